"""How each kind of filing (intake.kinds) is checked, and how it is judged for timeliness.
Pure: takes the facts as arguments, reads neither the clock nor the database."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core import clocks
from core.schema import (
    Field,
    Kind,
    Problem,
    Result,
    validate,
)
from intake.ai import ip_log
from intake.kinds import (
    AI_REPORT_CLOCKS,
    ANNUAL_FIELDS,
    BY_UPLOAD_ONLY,
    CERTIFICATION_FIELDS,
    ChangeType,
    ExemptionScope,
    FilingKind,
    contact_fields,
    kind_spec,
)

# Named on every receipt, so that a filing can be re-judged by the rules that accepted it.
RULES_VERSION = "2026.11-1"


# --- A request for an exemption (§7.306(e)(1)) -------------------------------------------------


def _exemption_request_problems(cleaned: Mapping[str, Any]) -> list[Problem]:
    """The scope names what is to be exempted: a reseller by name and jurisdiction, an account
    type by description (§7.306(a), (e))."""
    scope = cleaned.get("scope")
    problems = []
    if scope == ExemptionScope.FOREIGN_RESELLER:
        for name in ("reseller_name", "reseller_jurisdiction"):
            if not cleaned.get(name):
                problems.append(
                    Problem(name, "is required when the request is for a foreign reseller",
                            "§7.306(e)")
                )  # fmt: skip
    if scope == ExemptionScope.ACCOUNT_TYPE and not cleaned.get("account_type"):
        problems.append(
            Problem("account_type", "describe the type of account or lessee", "§7.306(a)")
        )
    return problems


# --- Reports of large AI model training (§7.308) ----------------------------------------------


def _ai_report_problems(cleaned: Mapping[str, Any]) -> list[Problem]:
    problems = []
    start, end = cleaned.get("anticipated_start_on"), cleaned.get("anticipated_completion_on")
    if start and end and end < start:
        problems.append(
            Problem("anticipated_completion_on", "must not be before the anticipated start date",
                    "§7.308(d)(1)(ii)(B)")
        )  # fmt: skip
    problems += entity_element_problems(cleaned)
    transaction, knowledge = cleaned.get("transaction_on"), cleaned.get("knowledge_on")
    if transaction and knowledge and knowledge < transaction:
        problems.append(
            Problem("knowledge_on", "must not be before the date of the transaction; leave it "
                    "empty when the provider knew on that day", "§7.308(c)(1)")
        )  # fmt: skip
    reported = cleaned.get("reseller_reported_on")
    if transaction and reported and reported < transaction:
        problems.append(
            Problem("reseller_reported_on", "must not be before the date of the transaction",
                    "§7.308(c)(2)")
        )  # fmt: skip
    for index, access in enumerate(cleaned.get("ip_accesses") or []):
        problems += _ip_access_problems(index, access)
    return problems


# What §7.308(d)(1)(i)(B) asks of an entity beyond its address, which every report gives: the
# locations the training request comes from ((B)(3)), the jurisdiction it is organised under
# ((B)(4)) and its beneficial owners, the ultimate ones included ((B)(5)). Other names
# ((A)(2)) and an ultimate owner other than itself ((A)(3)) may truly be none, so stay optional.
ENTITY_ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("request_origin_locations", "the location(s) from which the training request originates",
     "§7.308(d)(1)(i)(B)(3)"),
    ("organised_in", "the jurisdiction under whose laws it is organised",
     "§7.308(d)(1)(i)(B)(4)"),
    ("beneficial_owners", "the name(s) of the beneficial owner(s) of the account, the ultimate "
     "ones included", "§7.308(d)(1)(i)(B)(5)"),
)  # fmt: skip


def entity_element_problems(cleaned: Mapping[str, Any]) -> list[Problem]:
    """Each element §7.308(d)(1)(i)(B) requires for an entity that the report leaves empty."""
    if cleaned.get("person_type") != "entity":
        return []
    return [
        Problem(name, f"is required for an entity: {what}", citation)
        for name, what, citation in ENTITY_ELEMENTS
        if not cleaned.get(name)
    ]


def _ip_access_problems(index: int, access: Mapping[str, Any]) -> list[Problem]:
    """Each IP address and time in the report itself is checked as an attached log would be."""
    problems = []
    path = f"ip_accesses[{index}]"
    try:
        ip_log.canonical_ip(access["ip_address"])
    except ValueError as error:
        problems.append(Problem(f"{path}.ip_address", str(error), "§7.308(d)(1)(i)(F)"))
    try:
        ip_log.parse_access_time(access["accessed_at"])
    except ValueError as error:
        problems.append(Problem(f"{path}.accessed_at", str(error), "§7.308(d)(1)(i)(F)"))
    return problems


def report_clock_start(kind: str, cleaned: Mapping[str, Any]) -> date | None:
    """The day a report's 15- or 30-day clock starts (§7.308(c)): the transaction, or the later
    day of knowledge; the transaction for a reseller's report; the request's receipt; the
    knowledge of the inaccuracy."""

    def day(name: str) -> date | None:
        value = cleaned.get(name)
        return date.fromisoformat(value) if value else None

    if kind == "ai_initial_report":
        return max(filter(None, (day("transaction_on"), day("knowledge_on"))), default=None)
    return day(
        {
            "ai_reseller_report": "transaction_on",
            "ai_follow_up_report": "request_received_on",
            "ai_corrected_report": "inaccuracy_known_on",
        }.get(kind, "")
    )


SENSITIVE_MASK = "•••• "


def mask_identifier(value: str) -> str:
    """A payment identifier as every page shows it: its last four characters
    (docs/architecture.md §8)."""
    compact = "".join(value.split())
    return SENSITIVE_MASK + compact[-4:]


def sensitive_paths(specs: Sequence[Field], data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(path, value) of every sensitive value present in cleaned ``data``."""
    found = []
    for spec in specs:
        if spec.kind is Kind.TABLE:
            for index, row in enumerate(data.get(spec.name) or []):
                found += [
                    (f"{spec.name}[{index}].{column.name}", row[column.name])
                    for column in spec.columns
                    if column.sensitive and row.get(column.name)
                ]
        elif spec.sensitive and data.get(spec.name):
            found.append((spec.name, data[spec.name]))
    return found


def without_sensitive(specs: Sequence[Field], data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored filing's data to start a correction from: the masked identifiers are left
    empty, for the filer to give again in full."""
    copy = dict(data)
    for spec in specs:
        if spec.kind is Kind.TABLE and any(column.sensitive for column in spec.columns):
            copy[spec.name] = [
                {**row, **{c.name: None for c in spec.columns if c.sensitive}}
                for row in data.get(spec.name) or []
            ]
    return copy


def normalise_identifier(value: str) -> str:
    """Spaces and dashes do not make a different card or account number; a wallet address's
    letters keep their case (some encodings are case-sensitive)."""
    return re.sub(r"[\s\-]", "", value)


def normalise_name(name: str) -> str:
    """A person's or business's name for matching across reports: case, punctuation and spacing
    ignored."""
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())


# A foreign reseller is a foreign person (§7.301): its jurisdiction cannot be the United States
# or a place under U.S. jurisdiction (the "foreign jurisdiction" definition).
US_JURISDICTIONS = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})


def not_foreign(code: str) -> str:
    return f"{code} is under U.S. jurisdiction; a foreign reseller is a foreign person (§7.301)"


def some_of(names: Sequence[str], shown: int = 5) -> str:
    """The first few of a long list of names, and how many more."""
    text = ", ".join(names[:shown])
    return f"{text} and {len(names) - shown:,} more" if len(names) > shown else text


# --- Checks across fields --------------------------------------------------------------------


def _certification_problems(cleaned: Mapping[str, Any]) -> list[Problem]:
    problems = []
    accounts = cleaned.get("unverified_accounts") or []
    count = cleaned.get("unverified_account_count")
    if isinstance(count, int) and count != len(accounts):
        problems.append(
            Problem(
                "unverified_accounts",
                f"lists {len(accounts)} account(s) but the count says {count}; give the "
                "details of each unverified account",
                "§7.304(a)(2)(ix)",
            )
        )
    for index, reseller in enumerate(cleaned.get("foreign_resellers") or []):
        if reseller.get("jurisdiction") in US_JURISDICTIONS:
            problems.append(
                Problem(
                    f"foreign_resellers[{index}].jurisdiction",
                    not_foreign(reseller["jurisdiction"]),
                    "§7.304(a)(2)(viii)",
                )
            )
    problems += beneficial_owner_problems(
        cleaned.get("foreign_beneficial_owner_count"),
        cleaned.get("foreign_beneficial_owner_locations") or [],
    )
    for index, account in enumerate(accounts):
        provisioned, deprovision = account.get("provisioned_on"), account.get("deprovision_on")
        if provisioned and deprovision and deprovision < provisioned:
            problems.append(
                Problem(
                    f"unverified_accounts[{index}].deprovision_on",
                    "must not be before the date the account was provisioned",
                    "§7.304(a)(2)(ix)(D)",
                )
            )
    return problems


def beneficial_owner_problems(count: int | None, locations: Sequence[str]) -> list[Problem]:
    """§7.304(a)(2)(vii) asks for "the number and locations" of the foreign beneficial owners:
    a number above none comes with their locations, and locations with a number above none."""
    if not isinstance(count, int):
        return []
    if count > 0 and not locations:
        return [
            Problem("foreign_beneficial_owner_locations", f"give the locations of the {count:,} "
                    "foreign beneficial owner(s): the number and the locations go together",
                    "§7.304(a)(2)(vii)")
        ]  # fmt: skip
    if count == 0 and locations:
        return [
            Problem("foreign_beneficial_owner_count", "is 0, yet locations of foreign beneficial "
                    "owners are given: give their number with their locations",
                    "§7.304(a)(2)(vii)")
        ]  # fmt: skip
    return []


def _annual_problems(cleaned: Mapping[str, Any]) -> list[Problem]:
    resolutions = cleaned.get("failed_verification_resolutions") or []
    count = cleaned.get("failed_verification_count")
    if isinstance(count, int) and len(resolutions) != count:
        return [
            Problem(
                "failed_verification_resolutions",
                f"records {len(resolutions)} resolution(s) for {count} failed verification(s)",
                "§7.304(b)(6)",
            )
        ]
    return []


def _irregular_update_problems(cleaned: Mapping[str, Any]) -> list[Problem]:
    change = cleaned.get("change_type")
    problems = []
    if change in (ChangeType.PRIMARY_CONTACT, ChangeType.RESELLER_PRIMARY_CONTACT):
        for spec in contact_fields("new_contact", "§7.304(c)"):
            if not cleaned.get(spec.name):
                problems.append(
                    Problem(spec.name, f"is required for a change of contact: {spec.label}",
                            "§7.304(c)")
                )  # fmt: skip
    if change == ChangeType.RESELLER_PRIMARY_CONTACT and not cleaned.get("reseller_name"):
        problems.append(
            Problem("reseller_name", "name the foreign reseller whose contact changed", "§7.304(c)")
        )
    return problems


def check_filing(kind: str, payload: Any) -> Result:
    """Every error in a filing of ``kind``: the shape of each field, then checks across fields.

    The same function serves the web form, the JSON API and validation-only checks.
    """
    spec = kind_spec(kind)
    if spec.by_upload:
        return Result(errors=[Problem("kind", BY_UPLOAD_ONLY, spec.citation)])
    result = validate(spec.fields, payload)
    if result.errors:
        return result
    if spec.fields in (CERTIFICATION_FIELDS, ANNUAL_FIELDS):
        result.errors += _certification_problems(result.cleaned)
    if spec.kind is FilingKind.ANNUAL_CERTIFICATION:
        result.errors += _annual_problems(result.cleaned)
    if spec.kind is FilingKind.IRREGULAR_UPDATE:
        result.errors += _irregular_update_problems(result.cleaned)
    if spec.kind is FilingKind.EXEMPTION_REQUEST:
        result.errors += _exemption_request_problems(result.cleaned)
    if spec.is_ai_report:
        result.errors += _ai_report_problems(result.cleaned)
        if not result.errors:
            result.cleaned = _with_canonical_addresses(result.cleaned)
    return result


def _with_canonical_addresses(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """The report with each IP address written one way (§7.308(d)(1)(i)(F)), as an attached
    log's addresses are kept, so that a search finds it however the filer wrote it."""
    accesses = cleaned.get("ip_accesses")
    if not accesses:
        return dict(cleaned)
    canonical = [{**a, "ip_address": ip_log.canonical_ip(a["ip_address"])} for a in accesses]
    return {**cleaned, "ip_accesses": canonical}


# --- Warnings: accepted, but flagged ---------------------------------------------------------


@dataclass(frozen=True)
class FilingFacts:
    """What the registry knows when a filing arrives."""

    received_on: date
    previous_certification_on: date | None
    first_foreign_account_on: date | None
    # For an AI training report: the day its clock starts (§7.308(c)).
    report_clock_start_on: date | None = None
    # An irregular update naming a foreign reseller the registry does not list (§7.304(c)).
    unknown_reseller: str | None = None
    # Active foreign resellers on record that a certification's list leaves out
    # (§7.304(a)(2)(viii): the list is of all of them).
    resellers_not_listed: tuple[str, ...] = ()


def timeliness(kind: FilingKind, facts: FilingFacts) -> clocks.Timeliness | None:
    """Early, on time or late for an annual certification (§7.304(b)) or an AI training report
    (§7.308(c)); None for other kinds."""
    if kind.value in AI_REPORT_CLOCKS and facts.report_clock_start_on is not None:
        return clocks.timeliness(
            AI_REPORT_CLOCKS[kind.value], facts.report_clock_start_on, facts.received_on
        )
    if kind is not FilingKind.ANNUAL_CERTIFICATION or facts.previous_certification_on is None:
        return None
    return clocks.annual_timeliness(
        "cip.annual_certification", facts.previous_certification_on, facts.received_on
    )


def warnings(kind: FilingKind, facts: FilingFacts) -> list[Problem]:
    """Flags that never refuse a filing: nothing received is lost (docs/architecture.md §3)."""
    found = []
    verdict = timeliness(kind, facts)
    previous = facts.previous_certification_on
    if kind.value in AI_REPORT_CLOCKS and verdict is clocks.Timeliness.LATE:
        key, start = AI_REPORT_CLOCKS[kind.value], facts.report_clock_start_on
        assert start is not None  # a verdict needs a start
        found.append(
            Problem("", f"late: due by {clocks.explain(key, start)}", clocks.get(key).citation)
        )
    # The annual window is the annual certification's alone: a late training report is late by
    # its own clock, above, not by the provider's certification.
    annual = kind is FilingKind.ANNUAL_CERTIFICATION
    if annual and verdict is clocks.Timeliness.TOO_EARLY and previous:
        opens = clocks.window_opens("cip.annual_certification", previous)
        found.append(
            Problem("", f"received before the annual window opened on {opens.isoformat()} "
                    "(no earlier than 60 days before the anniversary)", "§7.304(b)")
        )  # fmt: skip
    elif annual and verdict is clocks.Timeliness.LATE and previous:
        due_on = clocks.due("cip.annual_certification", previous)
        found.append(
            Problem("", f"late: the annual certification was due by {due_on.isoformat()}",
                    "§7.304(b)")
        )  # fmt: skip
    if kind is FilingKind.ANNUAL_CERTIFICATION and previous is None:
        found.append(
            Problem("", "an annual certification with no earlier certification on record",
                    "§7.304(b)")
        )  # fmt: skip
    if facts.unknown_reseller:
        found.append(
            Problem("reseller_name", f"{facts.unknown_reseller} is not on the provider's list of "
                    "foreign resellers, so no contact was changed; check the name, or whether a "
                    "compiled certification should add it", "§7.304(c)")
        )  # fmt: skip
    if facts.resellers_not_listed:
        left_out = facts.resellers_not_listed
        found.append(
            Problem("foreign_resellers", f"{len(left_out):,} active foreign reseller(s) on record "
                    f"are not in the list ({some_of(left_out)}); the certification lists all "
                    "foreign resellers, and a relationship that ended is recorded on the list of "
                    "foreign resellers (§7.303(e))", "§7.304(a)(2)(viii)")
        )  # fmt: skip
    return found + new_provider_warnings(kind, facts)


def new_provider_warnings(kind: FilingKind, facts: FilingFacts) -> list[Problem]:
    """§7.304(d): a newly established provider certifies "prior to furnishing any foreign
    customer with an IaaS Account". A new-provider certification received after the provider's
    first foreign account is flagged, and so is one from a provider that has certified before
    (it is kept as a certification of its CIP all the same). A provider established before the
    rule certifies under §7.304(a) whenever it served its first foreign customer, so its first
    CIP certification form is not flagged."""
    found = []
    first_account, previous = facts.first_foreign_account_on, facts.previous_certification_on
    new_provider = kind is FilingKind.NEW_PROVIDER_CERTIFICATION
    if new_provider and first_account and first_account < facts.received_on:
        found.append(
            Problem("", f"the provider furnished a foreign customer an account on "
                    f"{first_account.isoformat()}, before certifying", "§7.304(d)")
        )  # fmt: skip
    if new_provider and previous is not None:
        found.append(
            Problem("", f"the provider certified its CIP already, on {previous.isoformat()}: a "
                    "new-provider certification is for a newly established provider, and this "
                    "one counts as a certification of its CIP", "§7.304(d)")
        )  # fmt: skip
    return found


# --- Corrections: what changed between two versions ------------------------------------------


@dataclass(frozen=True)
class Change:
    path: str
    before: Any
    after: Any


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat |= _flatten(item, f"{prefix}.{key}" if prefix else str(key))
        return flat
    if isinstance(value, list) and value and isinstance(value[0], Mapping):
        flat = {}
        for index, item in enumerate(value):
            flat |= _flatten(item, f"{prefix}[{index}]")
        return flat
    return {prefix: value}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Field-by-field changes from one version of a filing to the one that supersedes it."""
    old, new = _flatten(before), _flatten(after)
    return [
        Change(path, old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    ]


# --- The provider registry ---------------------------------------------------------------------

US_STATES_AND_TERRITORIES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI",
)  # fmt: skip

PROVIDER_FIELDS: tuple[Field, ...] = (
    Field("legal_name", "Legal name", Kind.TEXT, "§7.304(a)", max_length=200),
    Field("business_names", "Other names it does business under", Kind.TEXT_LIST, "§7.304(a)",
          required=False, max_length=200),
    Field("street_address", "Street address", Kind.TEXT, "§7.304(a)"),
    Field("city", "City", Kind.TEXT, "§7.304(a)", max_length=100),
    Field("state", "State or territory", Kind.CHOICE, "§7.304(a)",
          choices=tuple((code, code) for code in US_STATES_AND_TERRITORIES)),
    Field("postal_code", "ZIP code", Kind.TEXT, "§7.304(a)", max_length=10),
    Field("is_us_reseller", "Only resells another U.S. provider's IaaS products", Kind.BOOLEAN,
          "§7.302(b)", required=False),
    *contact_fields("primary_contact", "§7.304(a)(1)(vi)"),
    Field("first_foreign_account_on", "Date it first furnished an account to a foreign customer",
          Kind.DATE, "§7.304(d)", required=False),
)  # fmt: skip


class CertificationStatus(enum.Enum):
    CURRENT = "current"
    WINDOW_OPEN = "window open"
    OVERDUE = "overdue"
    NEVER_CERTIFIED = "never certified"
    EXEMPT = "exempt"  # an exemption lifts the obligation (§7.306(e))


def certification_status(last_certified_on: date | None, today: date) -> CertificationStatus:
    """Where a provider stands on its annual certification (§7.304(b))."""
    if last_certified_on is None:
        return CertificationStatus.NEVER_CERTIFIED
    if today > clocks.due("cip.annual_certification", last_certified_on):
        return CertificationStatus.OVERDUE
    if today >= clocks.window_opens("cip.annual_certification", last_certified_on):
        return CertificationStatus.WINDOW_OPEN
    return CertificationStatus.CURRENT


@dataclass(frozen=True)
class CertificationEdges:
    """Where ``certification_status`` changes on a given day, as dates of the last
    certification: one made before ``not_overdue_from`` is overdue, one before ``current_from``
    has its window open, a later one is current. The due date and the window's opening rise
    with the certification's date, so these two dates say it for every provider at once (the
    registry filters and sorts by status in SQL)."""

    not_overdue_from: date
    current_from: date

    def status_of(self, last_certified_on: date | None) -> CertificationStatus:
        if last_certified_on is None:
            return CertificationStatus.NEVER_CERTIFIED
        if last_certified_on < self.not_overdue_from:
            return CertificationStatus.OVERDUE
        if last_certified_on < self.current_from:
            return CertificationStatus.WINDOW_OPEN
        return CertificationStatus.CURRENT


def _first_day(holds: Callable[[date], bool], low: date, high: date) -> date:
    """The first day from ``low`` to ``high`` on which ``holds``, which once true stays true."""
    while low < high:
        middle = low + (high - low) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + timedelta(days=1)
    return low


def certification_edges(today: date) -> CertificationEdges:
    """The edges of ``certification_status`` on ``today`` (it is not overdue while today is on
    or before its due date, and current while today is before its window opens)."""
    key = "cip.annual_certification"
    # A year and a window back covers every edge; a certification dated today is current.
    low, high = today - timedelta(days=800), today + timedelta(days=1)
    return CertificationEdges(
        not_overdue_from=_first_day(lambda day: today <= clocks.due(key, day), low, high),
        current_from=_first_day(lambda day: today < clocks.window_opens(key, day), low, high),
    )


# --- Responses to the Department's requests --------------------------------------------------


class RequestKind(enum.StrEnum):
    CIP_COPY = "cip_copy"  # §7.305(a)
    RESELLER_CIP_COPY = "reseller_cip_copy"  # §7.303(d)
    AI_ADDITIONAL_INFORMATION = "ai_additional_information"  # §7.308(e)


REQUEST_CLOCKS = {
    "cip_copy": "cip.copy_on_request",  # §7.305(a)
    "reseller_cip_copy": "reseller.cip_copy_on_request",  # §7.303(d)
}
