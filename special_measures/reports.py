"""The determination and the letters to the congressional committees, as PDFs ready to sign,
and the public list of measures in force (JSON, CSV, iCalendar)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from reportlab.platypus import Flowable, Spacer

from core import clocks, exports, ical, pdf
from core.consultations.models import Consultation
from special_measures import rules
from special_measures.models import CongressionalNotice, MeasureAction, SpecialMeasureCase
from special_measures.rules import MeasureKind, SubjectKind

UNCLASSIFIED = "UNCLASSIFIED"


def subject_description(case: SpecialMeasureCase) -> str:
    if case.kind is SubjectKind.JURISDICTION:
        region = f", {case.region}" if case.region else ""
        return f"the foreign jurisdiction {case.jurisdiction}{region}"
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
    """The dates a determination sets, each with its rule and arithmetic (DESIGN.md §4)."""
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
                    f"received {case.referral_received_on.isoformat()}",
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
        pdf.facts(dates_table(case)),
    ]
    status = "Issued" if case.issued_on else "DRAFT — not issued"
    return pdf.build_pdf(
        title=f"Determination {case.reference}: special measure under 15 CFR 7.307",
        subtitle=f"{UNCLASSIFIED} · {status}",
        story=story,
        cui=None,
        generated_at=generated_at,
        draft=None if case.issued_on else status,
    )


def _salutation(addressee: str) -> str:
    surname = addressee.replace("The Honorable", "").strip().split()
    return f"Dear Chair {surname[-1]}:" if surname else "Dear Chair:"


def letter_pdf(notice: CongressionalNotice, *, generated_at: datetime) -> bytes:
    """A letter to one committee chair under §7.307(d), ready to sign."""
    case = notice.case
    committee = rules.COMMITTEES_BY_KEY[notice.committee]
    action: MeasureAction | None = notice.action
    if action is None:
        opening = (
            f"Pursuant to 15 CFR 7.307(d), I write to notify the {committee.name} that on "
            f"{_iso(case.issued_on)} the Secretary of Commerce issued determination "
            f"{case.reference} under 15 CFR 7.307(a), imposing a special measure with respect to "
            f"{subject_description(case)}. The measure was imposed on issuance (§7.307(a)(4))."
        )
    else:
        opening = (
            f"Pursuant to 15 CFR 7.307(d), I write to notify the {committee.name} that on "
            f"{_iso(action.published_on)} the Department published in the Federal Register "
            f"({action.federal_register_citation}) a notice extending the special measure imposed "
            f"by determination {case.reference} with respect to {subject_description(case)}, "
            f"finding that the measure remains necessary (§7.307(a)(5)). The measure, which would "
            f"have ended after {_iso(action.prior_last_day_on)}, now remains in effect through "
            f"{_iso(action.new_last_day_on)}."
        )
    story: list[Flowable] = [
        pdf.paragraph(notice.prepared_on.strftime("%B %-d, %Y")),
        Spacer(1, 8),
        pdf.paragraph(
            f"{notice.addressee}\n{committee.chair_title}, {committee.name}\n"
            f"{committee.chamber}\n{committee.address}"
        ),
        Spacer(1, 8),
        pdf.paragraph(_salutation(notice.addressee)),
        Spacer(1, 4),
        pdf.paragraph(opening),
        Spacer(1, 4),
        pdf.paragraph(
            f"Finding ({rules.finding_paragraph(case.kind)}): {rules.FINDING_TEXT[case.kind]}"
        ),
        Spacer(1, 4),
        pdf.paragraph(f"Summary of the evaluation: {case.evaluation_summary}"),
        Spacer(1, 4),
        pdf.paragraph(f"The measure: {measure_text(case)}"),
        Spacer(1, 6),
        pdf.facts(dates_table(case)),
        Spacer(1, 6),
        pdf.paragraph(
            "The unclassified determination is enclosed. Please contact the Department's Office "
            "of Legislative and Intergovernmental Affairs with any questions."
        ),
        Spacer(1, 24),
        pdf.paragraph("Sincerely,"),
        Spacer(1, 36),
        pdf.paragraph("______________________________\nSecretary of Commerce"),
    ]
    kind = "extension" if action else "determination"
    return pdf.build_pdf(
        title=f"Notice of special measure {kind} {case.reference}",
        subtitle=f"{UNCLASSIFIED} · To the {committee.chair_title}, {committee.name}, "
        f"{committee.chamber}",
        story=story,
        cui=None,
        generated_at=generated_at,
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
