"""Special measures (§7.307): the case's states, the factors weighed, the dates a determination
sets, and which measures are in force on a day. Pure: no Flask, no database, no clock reading."""

from __future__ import annotations

import enum
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import pycountry
from rapidfuzz import fuzz

from core import clocks
from core.approvals.rules import OWN_DRAFT, OWN_DRAFT_NEEDED
from core.auth.rules import Role
from core.workflow import rules as workflow
from intake.rules import US_JURISDICTIONS

# --- Where a case comes from and what it is about (§7.307(a)(2)) ---------------------------------


class ReferralSource(enum.StrEnum):
    SECRETARY = "secretary"
    AGENCY = "agency"
    PROVIDER = "provider"


SOURCE_LABELS = {
    ReferralSource.SECRETARY: "The Secretary's own initiative",
    ReferralSource.AGENCY: "Referral from another executive department or agency",
    ReferralSource.PROVIDER: "Referral from a U.S. IaaS provider",
}


class SubjectKind(enum.StrEnum):
    JURISDICTION = "jurisdiction"
    PERSON = "person"


SUBJECT_LABELS = {
    SubjectKind.JURISDICTION: "A foreign jurisdiction",
    SubjectKind.PERSON: "A foreign person",
}

# ISO 3166-2: the country's alpha-2 code, a hyphen, and up to three letters or digits.
SUBDIVISION_CODE = re.compile(r"^([A-Z]{2})-[A-Z0-9]{1,3}$")


def jurisdiction_problem(code: str) -> str | None:
    """A "foreign jurisdiction" excludes every place "subject to the civil or military
    jurisdiction of the United States" (§7.301): the States and the territories that have
    codes of their own (Puerto Rico, Guam, the U.S. Virgin Islands, American Samoa, the Northern
    Mariana Islands, the Minor Outlying Islands) are never the subject of a measure."""
    if code.strip().upper() in US_JURISDICTIONS:
        return (
            f"{code.strip().upper()} is subject to the jurisdiction of the United States, so it "
            "is not a foreign jurisdiction (§7.301); special measures concern foreign "
            "jurisdictions and foreign persons (§7.307(a)(1))."
        )
    return None


def _region_key(region: str) -> str:
    """A region compared by its ISO 3166-2 name when given by code, else as written, without
    case, accents or punctuation."""
    text = region.strip()
    if SUBDIVISION_CODE.match(text.upper()) and (
        found := pycountry.subdivisions.get(code=text.upper())
    ):
        text = found.name
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split())


def region_matches(measure_region: str | None, party_region: str | None) -> bool | None:
    """Whether a party is within the subnational territory or region a measure names (a foreign
    jurisdiction may be one, §7.301): True when the measure names none or the party's filing
    names the same one, False when the filing names another, None when the filing names none
    (the party may be anywhere in the country, so the hit stands for an analyst to decide)."""
    if not measure_region:
        return True
    if not party_region or not party_region.strip():
        return None
    return _region_key(measure_region) == _region_key(party_region)


def region_problem(country: str, region: str) -> str | None:
    """A subnational region is named freely or by its ISO 3166-2 code; a code must belong to
    the country chosen."""
    code = SUBDIVISION_CODE.match(region.strip().upper())
    if code and code.group(1) != country:
        return f"{region.strip()} is a subdivision of {code.group(1)}, not of {country}."
    return None


# --- The factors weighed (§7.307(b)(3), (b)(4)) ----------------------------------------------


@dataclass(frozen=True)
class Factor:
    code: str
    citation: str
    text: str


JURISDICTION_FACTORS = (
    Factor(
        "b3iA",
        "§7.307(b)(3)(i)(A)",
        "Evidence that foreign malicious cyber actors have obtained U.S. IaaS products from "
        "persons offering them in the jurisdiction, including through foreign resellers",
    ),
    Factor(
        "b3iB",
        "§7.307(b)(3)(i)(B)",
        "The extent to which the jurisdiction is a source of malicious cyber-enabled activities",
    ),
    Factor(
        "b3iC",
        "§7.307(b)(3)(i)(C)",
        "Whether the United States has a mutual legal assistance treaty with the jurisdiction, "
        "and law enforcement and regulatory officials' experience in obtaining information "
        "about activities involving U.S. IaaS products originating in or routed through it",
    ),
)
PERSON_FACTORS = (
    Factor(
        "b3iiA",
        "§7.307(b)(3)(ii)(A)",
        "The extent to which the foreign person uses U.S. IaaS products to conduct, facilitate "
        "or promote malicious cyber-enabled activities",
    ),
    Factor(
        "b3iiB",
        "§7.307(b)(3)(ii)(B)",
        "The extent to which U.S. IaaS products offered by the foreign person are used to "
        "facilitate or promote malicious cyber-enabled activities",
    ),
    Factor(
        "b3iiC",
        "§7.307(b)(3)(ii)(C)",
        "The extent to which U.S. IaaS products offered by the foreign person are used for "
        "legitimate business purposes in the foreign jurisdiction",
    ),
    Factor(
        "b3iiD",
        "§7.307(b)(3)(ii)(D)",
        "The extent to which actions short of special measures are sufficient to guard against "
        "malicious cyber-enabled activities in transactions involving the foreign person",
    ),
)
SELECTION_FACTORS = (
    Factor(
        "b4i",
        "§7.307(b)(4)(i)",
        "Whether the measure would create a significant competitive disadvantage, including "
        "undue cost or burden of compliance, for U.S. IaaS providers",
    ),
    Factor(
        "b4ii",
        "§7.307(b)(4)(ii)",
        "The extent to which the measure or its timing would have a significant adverse effect "
        "on legitimate business activities involving the jurisdiction or person",
    ),
    Factor(
        "b4iii",
        "§7.307(b)(4)(iii)",
        "The effect of the measure on U.S. national security, law enforcement investigations, "
        "U.S. supply chains, foreign policy, or U.S. public health or safety",
    ),
)
ALL_FACTORS = {factor.code: factor for factor in (*JURISDICTION_FACTORS, *PERSON_FACTORS)} | {
    factor.code: factor for factor in SELECTION_FACTORS
}


def evaluation_factors(kind: SubjectKind) -> tuple[Factor, ...]:
    """§7.307(b)(3)(i) for a jurisdiction, (b)(3)(ii) for a person."""
    return JURISDICTION_FACTORS if kind is SubjectKind.JURISDICTION else PERSON_FACTORS


def unassessed(factors: Iterable[Factor], reasons: Mapping[str, str]) -> list[Factor]:
    """Factors that have no reasons written yet."""
    return [factor for factor in factors if not (reasons.get(factor.code) or "").strip()]


# --- The measure and the finding (§7.307(a)(3), (b)(1)–(2)) ----------------------------------


class MeasureKind(enum.StrEnum):
    PROHIBITION = "prohibition"
    CONDITIONS = "conditions"


def measure_paragraph(kind: SubjectKind) -> str:
    """(b)(1) reaches accounts of persons located in a jurisdiction; (b)(2) accounts involving a
    particular foreign person."""
    return "§7.307(b)(1)" if kind is SubjectKind.JURISDICTION else "§7.307(b)(2)"


def finding_paragraph(kind: SubjectKind) -> str:
    return "§7.307(a)(3)(i)" if kind is SubjectKind.JURISDICTION else "§7.307(a)(3)(ii)"


FINDING_TEXT = {
    SubjectKind.JURISDICTION: (
        "Reasonable grounds exist to determine that the foreign jurisdiction has a significant "
        "number of foreign persons offering U.S. IaaS products that are used for malicious "
        "cyber-enabled activities, or directly obtaining U.S. IaaS products for use in them."
    ),
    SubjectKind.PERSON: (
        "Reasonable grounds exist to determine that the foreign person has established a "
        "pattern of conduct of offering U.S. IaaS products that are used for malicious "
        "cyber-enabled activities, or of directly obtaining U.S. IaaS products for use in them."
    ),
}


def describe_measure(kind: SubjectKind, measure: MeasureKind, conditions: str) -> str:
    """The measure as the determination imposes it. A (b)(1) measure has two limbs: Accounts
    opened or maintained with a U.S. IaaS provider by a foreign person located in the
    jurisdiction, and Accounts a U.S. IaaS provider opens or maintains for or on behalf of such a
    person (§7.307(b)(1), "or by any U.S. IaaS provider ... for or on behalf of a foreign
    person")."""
    account = (
        "the opening or maintaining with any U.S. IaaS provider of an Account, including a "
        "Reseller Account, by any foreign person located in the jurisdiction, or by any U.S. IaaS "
        "provider of U.S. IaaS products for or on behalf of a foreign person located in the "
        "jurisdiction"
        if kind is SubjectKind.JURISDICTION
        else "the opening or maintaining of an Account, including a Reseller Account, for or on "
        "behalf of a foreign person, where the Account involves the foreign person"
    )
    if measure is MeasureKind.PROHIBITION:
        return f"Prohibition of {account} ({measure_paragraph(kind)})."
    return f"Conditions on {account} ({measure_paragraph(kind)}): {conditions.strip()}"


# --- States --------------------------------------------------------------------------------


class CaseState(enum.StrEnum):
    REFERRED = "referred"
    EVALUATION = "under evaluation"
    CONSULTATION = "in consultation"
    DRAFTED = "determination drafted"
    IN_REVIEW = "in review"
    APPROVED = "approved"
    ISSUED = "issued"
    # No longer in effect: its last day passed with no extension (§7.307(a)(5)).
    LAPSED = "lapsed"
    CLOSED = "closed without a measure"


# The evaluation decides "whether to impose" a measure (§7.307(a)(2)), and a measure is imposed
# only when the determination is issued (§7.307(a)(4)): until then the case may close without one,
# even with a draft in review or approved.
ALLOWED: dict[CaseState, frozenset[CaseState]] = {
    CaseState.REFERRED: frozenset({CaseState.EVALUATION, CaseState.CLOSED}),
    CaseState.EVALUATION: frozenset({CaseState.CONSULTATION, CaseState.CLOSED}),
    CaseState.CONSULTATION: frozenset({CaseState.DRAFTED, CaseState.CLOSED}),
    # A draft its author withdraws leaves the case in consultation, to be drafted again.
    CaseState.DRAFTED: frozenset({CaseState.IN_REVIEW, CaseState.CONSULTATION, CaseState.CLOSED}),
    CaseState.IN_REVIEW: frozenset({CaseState.APPROVED, CaseState.DRAFTED, CaseState.CLOSED}),
    # A material change after approval voids it: back to a draft, to be reviewed again.
    CaseState.APPROVED: frozenset({CaseState.ISSUED, CaseState.DRAFTED, CaseState.CLOSED}),
    # The daily run records the lapse the day after the last day in effect (§7.307(a)(5)).
    CaseState.ISSUED: frozenset({CaseState.LAPSED}),
    CaseState.LAPSED: frozenset(),
    CaseState.CLOSED: frozenset(),
}


ANALYSTS = frozenset({Role.ANALYST})
REVIEWERS = frozenset({Role.REVIEWER})
RECORDERS = ANALYSTS | REVIEWERS
C = CaseState
# The evaluation and the draft may change until they go to review, and again once the reviewer
# returns them (to "determination drafted"); in review or approved they stand as the reviewer read
# them, and once issued or closed they are part of the record (docs/architecture.md §5). Once a
# determination is drafted, it and the evaluation it rests on are its author's to change.
EDITABLE = frozenset({C.REFERRED, C.EVALUATION, C.CONSULTATION, C.DRAFTED})
OWN = {OWN_DRAFT: OWN_DRAFT_NEEDED}
IN_EFFECT = "in_effect"
NONE_PENDING = "no_action_pending"
_AMENDMENT_NEEDS = {
    IN_EFFECT: "Only a measure in effect can be extended or revoked (§7.307(a)(5)).",
    NONE_PENDING: "Finish the extension or revocation already drafted first.",
}
# What a person may do to a case, named as the route that does it.
ACTIONS: dict[str, workflow.Action[CaseState]] = {
    "evaluation": workflow.Action(ANALYSTS, EDITABLE, OWN),
    # §7.307(c): the agencies are consulted during the evaluation, before the draft.
    "request_consultations": workflow.Action(ANALYSTS, frozenset({C.EVALUATION})),
    "determination": workflow.Action(ANALYSTS, frozenset({C.CONSULTATION, C.DRAFTED}), OWN),
    "withdraw_determination": workflow.Action(ANALYSTS, frozenset({C.DRAFTED}), OWN),
    "submit": workflow.Action(ANALYSTS, frozenset({C.DRAFTED})),
    "decide": workflow.Action(REVIEWERS, frozenset({C.IN_REVIEW})),
    "issue": workflow.Action(RECORDERS, frozenset({C.APPROVED})),
    # The determination's publication is a fact of its record, corrected after a lapse too.
    "publication": workflow.Action(RECORDERS, frozenset({C.ISSUED, C.LAPSED})),
    "close": workflow.Action(
        ANALYSTS, frozenset(s for s, nexts in ALLOWED.items() if C.CLOSED in nexts)
    ),
    "draft_extension": workflow.Action(ANALYSTS, frozenset({C.ISSUED}), _AMENDMENT_NEEDS),
    "draft_revocation": workflow.Action(ANALYSTS, frozenset({C.ISSUED}), _AMENDMENT_NEEDS),
}


def positions_final(state: CaseState, *, reference: str, issued_on: date | None) -> str | None:
    """§7.307(c): the agencies are consulted *in making* the determination. Once it is issued, or
    the case is closed without one, the positions it rests on are part of its record; before
    that a change is allowed and voids an approval (docs/architecture.md §5). Why they are
    final, or None."""
    if state in (CaseState.ISSUED, CaseState.LAPSED) and issued_on is not None:
        return (
            f"The determination {reference} was issued on {issued_on.isoformat()}; the agencies' "
            "positions it rests on are part of its record and can no longer change (§7.307(c))."
        )
    if state is CaseState.CLOSED:
        return (
            f"Case {reference} was closed without a measure; the agencies' positions are part of "
            "its record and can no longer change (§7.307(c))."
        )
    return None


def check_transition(current: CaseState, wanted: CaseState) -> None:
    workflow.check_transition(ALLOWED, current, wanted)


# --- The dates a determination sets (§7.307(a)(5), (a)(6), (d)) --------------------------------


@dataclass(frozen=True)
class DeterminationDates:
    issued_on: date
    congress_notice_due: date
    earliest_compliance_on: date
    last_day_in_effect: date


def determination_dates(
    issued_on: date, *, earliest_compliance_days: int | None
) -> DeterminationDates:
    """``earliest_compliance_days`` is the rule parameter in force on issuance; None leaves the
    catalogue's number (§7.307(a)(6))."""
    return DeterminationDates(
        issued_on=issued_on,
        congress_notice_due=clocks.due("special_measure.congress_notice", issued_on),
        earliest_compliance_on=clocks.due(
            "special_measure.earliest_compliance", issued_on, days=earliest_compliance_days
        ),
        last_day_in_effect=clocks.due("special_measure.expiry", issued_on),
    )


class ComplianceDateTooEarly(ValueError):
    pass


def check_compliance_date(compliance_on: date, dates: DeterminationDates) -> None:
    """§7.307(a)(6): no provider may be required to comply earlier than 180 days after issuance."""
    if compliance_on < dates.earliest_compliance_on:
        raise ComplianceDateTooEarly(
            f"The compliance date {compliance_on.isoformat()} is earlier than "
            f"{dates.earliest_compliance_on.isoformat()}: no provider may be required to comply "
            f"earlier than {(dates.earliest_compliance_on - dates.issued_on).days} days after "
            f"issuance on {dates.issued_on.isoformat()} (§7.307(a)(6))."
        )


def issuance_problem(issued_on: date, *, approved_on: date, today: date) -> str | None:
    if issued_on > today:
        return "A determination cannot be issued on a future date; record it once signed."
    if issued_on < approved_on:
        return (
            f"The determination was approved on {approved_on.isoformat()}; "
            "it cannot be issued earlier."
        )
    return None


# --- Extensions and revocations (§7.307(a)(5)) -------------------------------------------------


class ActionKind(enum.StrEnum):
    EXTENSION = "extension"
    REVOCATION = "revocation"


class ExtensionRefused(ValueError):
    pass


def check_extension(
    *, published_on: date, new_last_day: date, current_last_day: date, issued_on: date, today: date
) -> None:
    """An extension takes effect only through a Federal Register notice published on or before
    the last day of the period in effect, and must carry the measure past that day."""
    if published_on > current_last_day:
        raise ExtensionRefused(
            f"The notice was published on {published_on.isoformat()}, after the measure's last "
            f"day in effect ({current_last_day.isoformat()}); an extension must be published "
            "on or before that day (§7.307(a)(5)). The measure has lapsed; a new determination "
            "is needed."
        )
    if published_on < issued_on:
        raise ExtensionRefused("The notice cannot predate the determination it extends.")
    if published_on > today:
        raise ExtensionRefused("Record the extension once the notice has been published.")
    if new_last_day <= current_last_day:
        raise ExtensionRefused(
            f"The new last day must be after the current one ({current_last_day.isoformat()})."
        )


def revocation_problem(*, revoked_on: date, issued_on: date, today: date) -> str | None:
    if revoked_on < issued_on:
        return f"A revocation cannot take effect before issuance ({issued_on.isoformat()})."
    if revoked_on > today:
        return "Record the revocation on or after the day it takes effect."
    return None


# --- In force on a day -----------------------------------------------------------------------


class MeasureStatus(enum.StrEnum):
    IN_EFFECT = "in effect"
    LAPSED = "lapsed"
    REVOKED = "revoked"
    NOT_ISSUED = "not issued"


def status_on(
    day: date, *, issued_on: date | None, last_day: date | None, revoked_on: date | None
) -> MeasureStatus:
    """A measure is imposed on issuance (§7.307(a)(4)), ends on revocation, and lapses by itself
    after its last day unless extended (§7.307(a)(5))."""
    if issued_on is None or last_day is None or day < issued_on:
        return MeasureStatus.NOT_ISSUED
    if revoked_on is not None and day >= revoked_on:
        return MeasureStatus.REVOKED
    if day > last_day:
        return MeasureStatus.LAPSED
    return MeasureStatus.IN_EFFECT


def lapses(
    day: date,
    *,
    state: CaseState,
    last_day: date | None,
    revoked_on: date | None,
    action_pending: bool,
) -> bool:
    """Whether the daily run records on ``day`` that an issued measure has lapsed: its last day
    in effect has passed with no extension recorded (§7.307(a)(5)), and it was not revoked by
    then. A measure with an extension or revocation drafted while it was in effect, and not yet
    recorded or returned, waits: a notice published by the last day may be recorded after it."""
    if state is not CaseState.ISSUED or last_day is None or action_pending:
        return False
    revoked_in_effect = revoked_on is not None and revoked_on <= last_day
    return day > last_day and not revoked_in_effect


# --- Notices to Congress (§7.307(d)) --------------------------------------------------------


@dataclass(frozen=True)
class Committee:
    key: str
    name: str
    chamber: str
    chair_title: str
    address: str
    # The chair when this catalogue was written (119th Congress, 2025–2027: clerk.house.gov and
    # senate.gov committee rosters); the office corrects the addressee on each notice.
    chair_default: str


COMMITTEES = (
    Committee(
        "house_energy_commerce",
        "Committee on Energy and Commerce",
        "U.S. House of Representatives",
        "Chair",
        "2125 Rayburn House Office Building, Washington, DC 20515",
        "The Honorable Brett Guthrie",
    ),
    Committee(
        "senate_commerce",
        "Committee on Commerce, Science, and Transportation",
        "U.S. Senate",
        "Chair",
        "254 Russell Senate Office Building, Washington, DC 20510",
        "The Honorable Ted Cruz",
    ),
)
COMMITTEES_BY_KEY = {committee.key: committee for committee in COMMITTEES}


class NoticeSentProblem(ValueError):
    pass


def check_sent_on(sent_on: date, *, prepared_on: date, today: date) -> None:
    if sent_on < prepared_on:
        raise NoticeSentProblem(
            f"The notice cannot have been sent before it was prepared ({prepared_on.isoformat()})."
        )
    if sent_on > today:
        raise NoticeSentProblem("A notice cannot be recorded as sent on a future date.")


# --- Screening against the measures in force (docs/architecture.md §5) ----------------------------

# Names are compared after normalising (case, accents, punctuation, legal-form words) with a
# token-sort ratio, so that "Volga Hosting Group LLC" and "VOLGA GROUP HOSTING, L.L.C." match.
NAME_MATCH_THRESHOLD = 88
MATCHING_METHOD = (
    f"jurisdiction code equal to the measure's; names and aliases: token-sort similarity of "
    f"normalised names (case, accents, punctuation and legal-form words removed) at or above "
    f"{NAME_MATCH_THRESHOLD}/100"
)
LEGAL_FORMS = frozenset({
    "llc", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "co", "company", "plc",
    "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "oy", "ab", "as", "spa", "srl", "kk", "jsc",
    "pjsc", "ojsc", "ooo", "zao", "pte", "pty", "group", "holding", "holdings",
})  # fmt: skip


class HitDecision(enum.StrEnum):
    MATCH = "match"
    NOT_A_MATCH = "not a match"
    UNSURE = "unsure"


@dataclass(frozen=True)
class Party:
    """Someone named in a filing: a foreign reseller, a foreign customer in a report."""

    kind: str
    name: str
    jurisdiction: str | None
    reference: str  # where it comes from, e.g. "reseller 12"
    # The subnational territory or region the filing gives for the party, if it gives one.
    region: str | None = None


@dataclass(frozen=True)
class ScreenedMeasure:
    case_id: int
    reference: str
    kind: SubjectKind
    jurisdiction: str | None
    region: str | None
    names: tuple[str, ...]
    version: str


@dataclass(frozen=True)
class Hit:
    party: Party
    measure: ScreenedMeasure
    matched_on: str  # "jurisdiction", "name" or "alias"
    matched_text: str
    score: int


def normalise_name(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    # "L.L.C." and "Co." lose their dots before the words are split.
    words = re.sub(r"[^a-z0-9]+", " ", plain.casefold().replace(".", "")).split()
    kept = [word for word in words if word not in LEGAL_FORMS]
    return " ".join(kept or words)


def name_score(first: str, second: str) -> int:
    return round(fuzz.token_sort_ratio(normalise_name(first), normalise_name(second)))


def measure_version(*fields: object) -> str:
    """A short fingerprint of what a measure says; a decision of "not a match" holds until it
    changes (a new alias, an extension, a revocation)."""
    return hashlib.sha256(repr(fields).encode("utf-8")).hexdigest()[:12]


def _name_hit(party: Party, measure: ScreenedMeasure) -> Hit | None:
    best: Hit | None = None
    for position, candidate in enumerate(measure.names):
        score = name_score(party.name, candidate)
        if score >= NAME_MATCH_THRESHOLD and (best is None or score > best.score):
            matched_on = "name" if position == 0 else "alias"
            best = Hit(party, measure, matched_on, candidate, score)
    return best


def screen(parties: Iterable[Party], measures: Iterable[ScreenedMeasure]) -> list[Hit]:
    """Every party that falls under a measure: located in a jurisdiction under a (b)(1) measure
    (within its region, when the measure names one and the filing says where the party is), or
    named like a person under a (b)(2) measure."""
    measures = list(measures)
    hits = []
    for party in parties:
        for measure in measures:
            if measure.kind is SubjectKind.JURISDICTION:
                if hit := _jurisdiction_hit(party, measure):
                    hits.append(hit)
            elif hit := _name_hit(party, measure):
                hits.append(hit)
    return hits


# What a hit says when the measure names a region and the filing gives the party none.
REGION_NOT_GIVEN = "the filing names no region for the party: check where it is located"


def _jurisdiction_hit(party: Party, measure: ScreenedMeasure) -> Hit | None:
    if not party.jurisdiction or party.jurisdiction != measure.jurisdiction:
        return None
    within = region_matches(measure.region, party.region)
    if within is False:
        return None
    text = measure.jurisdiction + (f" ({measure.region})" if measure.region else "")
    if within is None:
        text += f"; {REGION_NOT_GIVEN}"
    return Hit(party, measure, "jurisdiction", text, 100)
