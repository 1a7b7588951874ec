"""The determination and the letters to the congressional committees, as PDFs ready to sign,
and the public list of measures in force (JSON, CSV, iCalendar)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from reportlab.platypus import Flowable, Spacer

from core import clocks, exports, ical, pdf
from core.consultations.models import Consultation
from core.schema import country_name
from special_measures import rules
from special_measures.models import CongressionalNotice, MeasureAction, SpecialMeasureCase
from special_measures.rules import MeasureKind, SubjectKind


def subject_description(case: SpecialMeasureCase) -> str:
    if case.kind is SubjectKind.JURISDICTION:
        region = f", {case.region}" if case.region else ""
        name = country_name(case.jurisdiction) or case.jurisdiction
        return f"the foreign jurisdiction {name}{region}"
    aliases = f" (also known as {'; '.join(case.aliases)})" if case.aliases else ""
    return f"the foreign person {case.person_name}{aliases}"


def measure_text(case: SpecialMeasureCase) -> str:
    if not case.measure_kind:
        return "not yet chosen"
    return rules.describe_measure(
        case.kind, MeasureKind(case.measure_kind), case.conditions_text or ""
    )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "—"


def dates_table(case: SpecialMeasureCase) -> list[tuple[str, str]]:
    """The dates a determination sets, each with its rule and arithmetic, for the case screen."""
    if case.issued_on is None:
        return [("Issued", "not yet issued")]
    if case.last_day_on != case.original_last_day_on:
        in_effect = f"{_iso(case.last_day_on)} (extended; originally {case.expiry_computation})"
    else:
        in_effect = case.expiry_computation or ""
    return [
        ("Issued; measure imposed (§7.307(a)(4))", _iso(case.issued_on)),
        (
            "Notice to Congress due",
            clocks.explain("special_measure.congress_notice", case.issued_on),
        ),
        (
            "Providers must comply from",
            f"{_iso(case.compliance_on)} (no earlier than {case.earliest_compliance_computation})",
        ),
        ("In effect through", in_effect),
    ]


def formal_dates(case: SpecialMeasureCase) -> list[tuple[str, str]]:
    """The dates a determination sets, as the determination states them."""
    if case.issued_on is None:
        return [("Issued", "not yet issued")]
    in_effect = pdf.formal_date(case.last_day_on)
    if case.last_day_on != case.original_last_day_on:
        in_effect += (
            ", as extended by notice in the Federal Register (originally through "
            f"{pdf.formal_date(case.original_last_day_on)})"
        )
    return [
        ("Issued; measure imposed", f"{pdf.formal_date(case.issued_on)} (§7.307(a)(4))"),
        ("Providers must comply from", f"{pdf.formal_date(case.compliance_on)} (§7.307(a)(6))"),
        ("In effect through", f"{in_effect} (§7.307(a)(5))"),
    ]


def determination_pdf(
    case: SpecialMeasureCase,
    *,
    consultations: Sequence[Consultation],
    approved_by: str | None,
    generated_at: datetime,
) -> bytes:
    """The unclassified written determination of §7.307(a)(3)–(4)."""
    factors = {factor.code: factor for factor in case.factors}
    story: list[Flowable] = [
        pdf.facts(
            [
                ("Case", case.reference),
                ("Subject", subject_description(case)),
                (
                    "Referral",
                    f"{rules.SOURCE_LABELS[rules.ReferralSource(case.source)]}, "
                    f"received {pdf.formal_date(case.referral_received_on)}",
                ),
                ("Approved by", approved_by or "not yet approved"),
            ]
        ),
        pdf.paragraph("Summary of the evaluation (§7.307(a)(3))", "heading"),
        pdf.paragraph(case.evaluation_summary),
        pdf.table(
            [
                (factor.citation, factors[factor.code].reasons if factor.code in factors else "")
                for factor in rules.evaluation_factors(case.kind)
            ],
            header=("Factor", "Reasons"),
            col_widths=[1.4 * 72, 5.5 * 72],
        ),
        pdf.paragraph(f"Finding ({rules.finding_paragraph(case.kind)})", "heading"),
        pdf.paragraph(rules.FINDING_TEXT[case.kind]),
        pdf.paragraph("Consultation (§7.307(c))", "heading"),
        pdf.table(
            [(c.agency, c.position or "awaiting", c.comments or "") for c in consultations],
            header=("Agency", "Position", "Comments"),
            col_widths=[1.2 * 72, 1.6 * 72, 4.1 * 72],
        ),
        pdf.paragraph("The special measure", "heading"),
        pdf.paragraph(measure_text(case)),
        pdf.table(
            [
                (factor.citation, factors[factor.code].reasons if factor.code in factors else "")
                for factor in rules.SELECTION_FACTORS
            ],
            header=("Factor weighed (§7.307(b)(4))", "Reasons"),
            col_widths=[1.4 * 72, 5.5 * 72],
        ),
        pdf.paragraph("Consistency with E.O. 13984 and this subpart (§7.307(a)(4))", "heading"),
        pdf.paragraph(case.consistency_text),
        pdf.paragraph("Dates", "heading"),
        pdf.facts(formal_dates(case)),
    ]
    issued = f"Issued {pdf.formal_date(case.issued_on)}" if case.issued_on else None
    # §7.307(a)(3): the determination is unclassified, and says so on every page.
    return pdf.build_pdf(
        title=f"Determination {case.reference}: special measure under 15 CFR 7.307",
        subtitle=issued or "Not issued",
        story=story,
        marking=pdf.UNCLASSIFIED,
        generated_at=generated_at,
        draft=None if case.issued_on else "DRAFT: not issued",
    )


def _salutation(addressee: str) -> str:
    surname = addressee.replace("The Honorable", "").strip().split()
    return f"Dear Chair {surname[-1]}:" if surname else "Dear Chair:"


def _opening(
    case: SpecialMeasureCase, action: MeasureAction | None, committee: rules.Committee
) -> str:
    if action is None:
        return (
            f"Pursuant to 15 CFR 7.307(d), I write to notify the {committee.name} that on "
            f"{pdf.formal_date(case.issued_on)}, the Secretary of Commerce issued determination "
            f"{case.reference} under 15 CFR 7.307(a), imposing a special measure with respect to "
            f"{subject_description(case)}. The measure took effect on issuance."
        )
    return (
        f"Pursuant to 15 CFR 7.307(d), I write to notify the {committee.name} that on "
        f"{pdf.formal_date(action.published_on)}, the Department published in the Federal "
        f"Register ({action.federal_register_citation}) a notice extending the special measure "
        f"imposed by determination {case.reference} with respect to "
        f"{subject_description(case)}, finding that the measure remains necessary. The measure, "
        f"which would have ended after {pdf.formal_date(action.prior_last_day_on)}, now remains "
        f"in effect through {pdf.formal_date(action.new_last_day_on)}."
    )


def letter_pdf(
    notice: CongressionalNotice, *, signer: pdf.Signer | None, generated_at: datetime
) -> bytes:
    """A letter to one committee chair under §7.307(d), ready to sign: formal dates, no
    arithmetic (the case screen shows it), and the signer's name and title."""
    case = notice.case
    committee = rules.COMMITTEES_BY_KEY[notice.committee]
    action: MeasureAction | None = notice.action
    kind = "extension" if action else "determination"
    story: list[Flowable] = [
        *pdf.letter_opening(
            dated=notice.prepared_on,
            address=[
                notice.addressee,
                committee.chair_title,
                committee.name,
                committee.chamber,
                *committee.address.split(", ", 1),
            ],
            regarding=f"Special measure {kind} {case.reference} (15 CFR 7.307)",
            salutation=_salutation(notice.addressee),
        ),
        pdf.paragraph(_opening(case, action, committee), "letter"),
        pdf.paragraph(f"The determination finds: {rules.FINDING_TEXT[case.kind]}", "letter"),
        pdf.paragraph(f"In summary: {case.evaluation_summary}", "letter"),
        pdf.paragraph(f"The measure: {measure_text(case)}", "letter"),
        pdf.paragraph(
            "U.S. IaaS providers must comply with the measure from "
            f"{pdf.formal_date(case.compliance_on)}. It remains in effect through "
            f"{pdf.formal_date(case.last_day_on)} unless extended by a notice published in the "
            "Federal Register.",
            "letter",
        ),
        pdf.signature(
            "The unclassified determination is enclosed. Please contact the Department's Office "
            "of Legislative and Intergovernmental Affairs with any questions.",
            signer,
        ),
        Spacer(1, 10),
        pdf.paragraph(f"Enclosure: Determination {case.reference}", "small"),
    ]
    return pdf.build_pdf(
        title=f"Letter to the {committee.chair_title}, {committee.name}: special measure "
        f"{kind} {case.reference}",
        story=story,
        marking=pdf.UNCLASSIFIED,
        generated_at=generated_at,
        draft=None if signer else pdf.UNSIGNED,
        letter=True,
    )


# --- The public list of measures in force ---------------------------------------------------

FEED_FIELDS = (
    "reference",
    "subject_kind",
    "jurisdiction",
    "region",
    "person_name",
    "aliases",
    "measure_paragraph",
    "measure_kind",
    "conditions",
    "issued_on",
    "compliance_from",
    "in_effect_through",
    "extended",
    "federal_register",
)


def feed_record(case: SpecialMeasureCase) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "subject_kind": case.subject_kind,
        "jurisdiction": case.jurisdiction,
        "region": case.region,
        "person_name": case.person_name,
        "aliases": case.aliases,
        "measure_paragraph": rules.measure_paragraph(case.kind),
        "measure_kind": case.measure_kind,
        "conditions": case.conditions_text,
        "issued_on": _iso(case.issued_on),
        "compliance_from": _iso(case.compliance_on),
        "in_effect_through": _iso(case.last_day_on),
        "extended": case.last_day_on != case.original_last_day_on,
        "federal_register": case.federal_register_citation,
    }


def feed_csv(cases: Iterable[SpecialMeasureCase]) -> str:
    rows = []
    for case in cases:
        record = feed_record(case)
        record["aliases"] = "; ".join(record["aliases"])
        # Written as the JSON writes it, for a machine reader (the OpenAPI document says so).
        record["extended"] = "true" if record["extended"] else "false"
        rows.append([record[name] for name in FEED_FIELDS])
    # Read by providers' systems, not opened as a spreadsheet: values exactly as in the JSON.
    return exports.plain_csv_text(FEED_FIELDS, rows)


def feed_calendar(
    cases: Iterable[SpecialMeasureCase], *, generated_at: datetime, base_url: str
) -> str:
    events = []
    for case in cases:
        label = f"{case.reference} ({case.subject_label})"
        assert case.issued_on and case.compliance_on and case.last_day_on
        for suffix, on, summary, citation in (
            ("issued", case.issued_on, "special measure imposed", "§7.307(a)(4)"),
            ("comply", case.compliance_on, "providers must comply from today", "§7.307(a)(6)"),
            ("last-day", case.last_day_on, "last day in effect", "§7.307(a)(5)"),
        ):
            events.append(
                ical.CalendarEvent(
                    uid=f"{case.reference}-{suffix}@oicts",
                    on=on,
                    summary=f"{label}: {summary}",
                    description=f"{measure_text(case)} {citation}",
                    url=f"{base_url}#{case.reference}",
                )
            )
    return ical.calendar("Special measures (15 CFR 7.307)", events, generated_at=generated_at)
