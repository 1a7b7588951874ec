"""Use cases of reports on large AI model training (§7.308): sealing payment identifiers, the
cross-filing index, the IP accesses a report holds (the logs that bring them are
``intake.ai.ip_logs``), the report's clock, requests for additional information,
the covered-transaction aid and the plausibility of the compute estimate (against the
accelerator catalogue of ``intake.ai.accelerators``).

``intake.services.receive_filing`` calls ``seal`` and ``on_report_received`` for every AI
report; this module never imports ``intake.services``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import func, or_, select

from core import crypto
from core.audit.services import record_event
from core.auth.models import User
from core.db import db
from core.deadlines import services as deadlines
from core.errors import DomainError, InvalidInput
from core.parameters import services as parameters
from core.risk import RiskSignal
from core.schema import Problem, check_phone, email_key, phone_key, phone_shown
from core.schema_forms import field_label
from intake import kinds, rules
from intake.ai import accelerators as ai_accelerators
from intake.ai import ip_log, ip_logs
from intake.ai import rules as ai_rules
from intake.correspondence import requests as sent_requests
from intake.models import (
    DepartmentRequest,
    Filing,
    IpAccess,
    Provider,
    ReportIdentifier,
)

FOLLOW_UP_CLOCK = "ai.follow_up_report"
INFORMATION_REQUEST = "ai_additional_information"
REPORT_KINDS = tuple(kinds.AI_REPORT_CLOCKS)
WALLET = kinds.PaymentMethod.WALLET.value


# --- Payment identifiers: encrypted at rest, masked everywhere (docs/architecture.md §8) ----------


@dataclass(frozen=True)
class Sealed:
    """A report's data as stored (identifiers masked) and the identifiers themselves."""

    data: dict[str, Any]
    secrets: list[tuple[str, str]]  # (path, plaintext)


def seal(spec: kinds.KindSpec, cleaned: dict[str, Any]) -> Sealed:
    secrets = rules.sensitive_paths(spec.fields, cleaned)
    if not secrets:
        return Sealed(cleaned, [])
    masked = json.loads(json.dumps(cleaned))
    tables = [spec_field for spec_field in spec.fields if spec_field.columns]
    for table in tables:
        for row in masked.get(table.name) or []:
            for column in table.columns:
                if column.sensitive and row.get(column.name):
                    row[column.name] = rules.mask_identifier(row[column.name])
    return Sealed(masked, secrets)


def received_payload(filing: Filing) -> str:
    """What was received, byte for byte as text: decrypted where it carries identifiers."""
    return crypto.decrypt(filing.raw_payload) if filing.raw_encrypted else filing.raw_payload


def _identifiers(filing: Filing, cleaned: dict[str, Any]) -> Iterable[ReportIdentifier]:
    """Every name, email, telephone number and payment identifier in a report, for the
    cross-filing search (a pattern of conduct, §7.307(a)(3)(ii))."""

    def row(kind: str, path: str, key: str, shown: str, **extra: Any) -> ReportIdentifier:
        return ReportIdentifier(
            filing_id=filing.id, provider_id=filing.provider_id, kind=kind, path=path,
            match_key=key[:300], shown_as=shown[:300], **extra,
        )  # fmt: skip

    names = [("person_name", cleaned.get("person_name"))]
    names += [
        (f"{field}[{index}]", name)
        for field in ("other_business_names", "beneficial_owners")
        for index, name in enumerate(cleaned.get(field) or [])
    ]
    names.append(("ultimate_beneficial_owner", cleaned.get("ultimate_beneficial_owner")))
    for path, name in names:
        if name and rules.normalise_name(name):
            yield row("name", path, rules.normalise_name(name), name)
    for index, email in enumerate(cleaned.get("emails") or []):
        yield row("email", f"emails[{index}]", email_key(email), email)
    for index, phone in enumerate(cleaned.get("phones") or []):
        yield row("phone", f"phones[{index}]", phone_key(phone), phone_shown(phone))
    for index, payment in enumerate(cleaned.get("payment_methods") or []):
        identifier = payment["identifier"]
        kind = "wallet" if payment["method"] == WALLET else "payment"
        yield row(
            kind,
            f"payment_methods[{index}].identifier",
            crypto.keyed_hash(rules.normalise_identifier(identifier)),
            rules.mask_identifier(identifier),
            detail=payment["method"],
            ciphertext=crypto.encrypt(identifier),
        )


def identifiers_of(filing: Filing) -> list[ReportIdentifier]:
    return list(
        db.session.execute(
            select(ReportIdentifier)
            .where(ReportIdentifier.filing_id == filing.id)
            .order_by(ReportIdentifier.id)
        ).scalars()
    )


def reveal_identifier(filing: Filing, identifier_id: int, *, actor: User) -> tuple[str, str]:
    """The full payment identifier, for an analyst or reviewer who needs it; every reveal is an
    audit event (docs/architecture.md §8). Returns (where in the report, value)."""
    identifier = db.session.get(ReportIdentifier, identifier_id)
    if identifier is None or identifier.filing_id != filing.id or identifier.ciphertext is None:
        raise DomainError("That report has no such payment identifier.")
    record_event(
        "filing.sensitive_view",
        actor=actor,
        subject=("filing", filing.receipt_number),
        after={"path": identifier.path, "shown_as": identifier.shown_as},
    )
    return identifier.path, crypto.decrypt(identifier.ciphertext)


# --- What happens when a report arrives ---------------------------------------------------------


def report_problems(
    provider: Provider, kind: str, cleaned: dict[str, Any], superseded: Filing | None
) -> list[Problem]:
    """What the records say is wrong with a report, beyond its own fields."""
    if kind == "ai_corrected_report" and superseded is None:
        return [Problem("supersedes", "a corrected report names the receipt number of the report "
                        "it corrects", "§7.308(c)(4)")]  # fmt: skip
    if kind != "ai_follow_up_report":
        return []
    request = db.session.get(DepartmentRequest, cleaned["request_number"])
    if request is None or request.provider_id != provider.id or request.kind != INFORMATION_REQUEST:
        return [Problem("request_number", "no request for additional information to this "
                        "provider has that number", "§7.308(e)")]  # fmt: skip
    if request.responded_on is not None:
        answered_by = request.response_filing.receipt_number if request.response_filing else ""
        message = (
            f"that request was already answered by {answered_by}; file a corrected report to "
            "change the answer"
        )
        return [Problem("request_number", message, "§7.308(c)(4)")]
    if date.fromisoformat(cleaned["request_received_on"]) < request.requested_on:
        return [Problem("request_received_on", "must not be before the request was sent on "
                        f"{request.requested_on.isoformat()}", "§7.308(c)(3)")]  # fmt: skip
    return []


def on_report_received(
    filing: Filing,
    cleaned: dict[str, Any],
    *,
    clock_start_on: date | None,
    actor: User | None,
) -> list[dict[str, str | None]]:
    """Index the report, keep its IP accesses, record its clock; returns the parties to screen
    against the special measures in force (§7.307)."""
    db.session.add_all(_identifiers(filing, cleaned))
    given = _inline_accesses(cleaned)
    ip_logs.store_ip_accesses(filing, given, attachment_id=None)
    if filing.kind in kinds.AI_RUN_REPORT_KINDS:
        _chase_ip_addresses(filing, given=bool(given), actor=actor)
    if filing.kind == "ai_follow_up_report":
        _meet_information_request(filing, cleaned["request_number"], actor)
    elif clock_start_on is not None:
        _record_report_clock(filing, clock_start_on, actor)
    return parties_of(cleaned)


def _chase_ip_addresses(filing: Filing, *, given: bool, actor: User | None) -> None:
    """A report without the IP addresses of §7.308(d)(1)(i)(F) starts the office's clock for
    them, met when a log is attached to it; a corrected report that gives them meets the clock
    of the report it corrects."""
    if not given:
        ip_logs.open_ip_clock(filing, actor=actor)
    elif filing.supersedes is not None:
        ip_logs.meet_ip_clock(
            filing.supersedes, met_on=filing.received_on, actor=actor,
            note=f"given in corrected report {filing.receipt_number}",
        )  # fmt: skip


def _inline_accesses(cleaned: dict[str, Any]) -> list[ip_log.IpLogEntry]:
    entries = []
    for access in cleaned.get("ip_accesses") or []:
        accessed_at, offset = ip_log.parse_access_time(access["accessed_at"])
        address = ip_log.canonical_ip(access["ip_address"])
        entries.append((ip_log.ip_key(address), address, accessed_at, offset, access["action"]))
    return entries


def _record_report_clock(filing: Filing, start_on: date, actor: User | None) -> None:
    """The report's own clock, opened and met by its arrival, so that the deadline history shows
    how its timeliness was judged (§7.308(c))."""
    deadline = deadlines.open_deadline(
        kinds.AI_REPORT_CLOCKS[filing.kind],
        subject=("filing", filing.receipt_number),
        subject_label=f"{filing.provider.legal_name}: report {filing.receipt_number}",
        start_on=start_on,
        actor=actor,
    )
    deadlines.meet_deadline(
        deadline, met_on=max(filing.received_on, start_on), actor=actor,
        note=f"received {filing.received_on.isoformat()}",
    )  # fmt: skip


def _meet_information_request(filing: Filing, number: int, actor: User | None) -> None:
    request = db.session.get(DepartmentRequest, number)
    assert request is not None  # checked before the filing was stored
    request.responded_on, request.response_filing_id = filing.received_on, filing.id
    # A request answered before its letter was recorded as sent has no clock to meet.
    if request.deadline is not None:
        deadlines.meet_deadline(
            request.deadline, met_on=max(filing.received_on, request.deadline.started_on),
            actor=actor, note=f"follow-up report {filing.receipt_number}",
        )  # fmt: skip


def parties_of(cleaned: dict[str, Any]) -> list[dict[str, str | None]]:
    """The foreign person, its other names, its owners (§7.308(d)(1)(i)(A), (B)(5))."""
    jurisdiction = cleaned.get("organised_in") or cleaned.get("address_country")
    # The address's region is where the person is only when the address is in that country.
    region = (
        cleaned.get("address_region") if jurisdiction == cleaned.get("address_country") else None
    )
    parties: list[dict[str, str | None]] = []
    if cleaned.get("person_name"):
        parties.append(
            {"kind": "foreign customer", "name": cleaned["person_name"],
             "jurisdiction": jurisdiction, "region": region}
        )  # fmt: skip
    parties += [
        {"kind": "foreign customer (other name)", "name": name, "jurisdiction": jurisdiction,
         "region": region}
        for name in cleaned.get("other_business_names") or []
    ]  # fmt: skip
    owners = [*(cleaned.get("beneficial_owners") or [])]
    if cleaned.get("ultimate_beneficial_owner"):
        owners.append(cleaned["ultimate_beneficial_owner"])
    parties += [{"kind": "beneficial owner", "name": name, "jurisdiction": None} for name in owners]
    return parties


# --- IP accesses (§7.308(d)(1)(i)(F)); the logs that bring them are intake.ai.ip_logs' --------


@dataclass(frozen=True)
class AccessSummary:
    count: int
    addresses: int
    first_at: datetime | None
    last_at: datetime | None


def access_summary(filing: Filing) -> AccessSummary:
    count, addresses, first_at, last_at = db.session.execute(
        select(
            func.count(IpAccess.id),
            func.count(func.distinct(IpAccess.ip_key)),
            func.min(IpAccess.accessed_at),
            func.max(IpAccess.accessed_at),
        ).where(IpAccess.filing_id == filing.id)
    ).one()
    return AccessSummary(count, addresses, first_at, last_at)


# --- Cross-filing search ------------------------------------------------------------------------


class SearchKind:
    ANYTHING = "anything"
    IP = "ip"
    EMAIL = "email"
    PHONE = "phone"
    PAYMENT = "payment"
    NAME = "name"


SEARCH_KINDS = (
    (SearchKind.ANYTHING, "Anything (the kind is recognised)"),
    (SearchKind.IP, "IP address or CIDR range"),
    (SearchKind.EMAIL, "Email address"),
    (SearchKind.PHONE, "Telephone number"),
    (SearchKind.PAYMENT, "Card, account or other payment identifier, or wallet (exact)"),
    (SearchKind.NAME, "Name of a person or business"),
)
MAX_HITS = 500


@dataclass(frozen=True)
class Hit:
    filing: Filing
    what: str  # "email", "IP address", …
    where: str  # the field of the report
    shown_as: str
    accesses: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None


@dataclass(frozen=True)
class SearchResult:
    looked_for: str  # how the query was understood
    hits: list[Hit]
    # A payment identifier typed in is never shown back (docs/architecture.md §8).
    secret: bool = False

    @property
    def providers(self) -> int:
        return len({hit.filing.provider_id for hit in self.hits})

    @property
    def reports(self) -> int:
        return len({hit.filing.id for hit in self.hits})


def search(query: str, kind: str = SearchKind.ANYTHING) -> SearchResult:
    """Where else does this appear? Across every provider's AI training reports."""
    query = query.strip()
    if not query:
        raise InvalidInput({"q": ["Enter what to look for."]})
    if kind == SearchKind.ANYTHING:
        kind = _recognise(query)
    if kind == SearchKind.IP:
        return _search_ip(query)
    if kind == SearchKind.EMAIL:
        key = email_key(query)
        return _search_identifiers(("email",), key, f"the email address {key}")
    if kind == SearchKind.PHONE:
        phone, _ = check_phone(query)
        if phone is None:
            raise InvalidInput({"q": ["Enter a telephone number, e.g. +65 6555 0142."]})
        return _search_identifiers(
            ("phone",), phone_key(phone), f"the telephone number {phone_shown(phone_key(phone))}"
        )
    if kind == SearchKind.PAYMENT:
        digest = crypto.keyed_hash(rules.normalise_identifier(query))
        shown = rules.mask_identifier(query)
        found = _search_identifiers(("payment", "wallet"), digest, f"the identifier {shown}")
        return SearchResult(found.looked_for, found.hits, secret=True)
    name = rules.normalise_name(query)
    if not name:
        raise InvalidInput({"q": ["Enter a name with letters or digits."]})
    return _search_identifiers(("name",), name, f"the name “{name}”")


def _recognise(query: str) -> str:
    try:
        ip_log.parse_search(query)
    except ValueError:
        pass
    else:
        return SearchKind.IP
    if "@" in query:
        return SearchKind.EMAIL
    compact = rules.normalise_identifier(query)
    if query.lstrip().startswith("+") and check_phone(query)[0]:
        return SearchKind.PHONE
    if compact.isdigit() or (len(compact) >= 20 and " " not in query.strip()):
        return SearchKind.PAYMENT
    return SearchKind.NAME


def _search_identifiers(identifier_kinds: Sequence[str], key: str, looked_for: str) -> SearchResult:
    key = key[:300]
    matches = ReportIdentifier.match_key == key
    if identifier_kinds == ("name",):
        # A name also finds the longer names it is part of, word for word: "kestrel analytics"
        # finds "kestrel analytics pte ltd", never "kestrelanalytics".
        column = ReportIdentifier.match_key
        matches = or_(
            matches,
            column.startswith(key + " ", autoescape=True),
            column.endswith(" " + key, autoescape=True),
            column.contains(f" {key} ", autoescape=True),
        )
    rows = db.session.execute(
        select(ReportIdentifier)
        .where(ReportIdentifier.kind.in_(identifier_kinds), matches)
        .order_by(ReportIdentifier.filing_id.desc())
        .limit(MAX_HITS)
    ).scalars()
    labels = {"name": "name", "email": "email", "phone": "telephone", "payment": "payment",
              "wallet": "wallet"}  # fmt: skip
    hits = [
        Hit(row.filing, labels[row.kind], _report_field(row.filing, row.path), row.shown_as)
        for row in rows
    ]
    return SearchResult(looked_for, hits)


def _report_field(filing: Filing, path: str) -> str:
    return field_label(kinds.kind_spec(filing.kind).fields, path)


def _search_ip(query: str) -> SearchResult:
    try:
        wanted = ip_log.parse_search(query)
    except ValueError as error:
        raise InvalidInput({"q": [str(error)]}) from None
    grouped = db.session.execute(
        select(
            IpAccess.filing_id,
            func.count(IpAccess.id),
            func.min(IpAccess.accessed_at),
            func.max(IpAccess.accessed_at),
            func.min(IpAccess.ip_address),
            func.count(IpAccess.ip_key.distinct()),
        )
        .where(IpAccess.ip_key.between(wanted.low, wanted.high))
        .group_by(IpAccess.filing_id)
        .order_by(IpAccess.filing_id.desc())
        .limit(MAX_HITS)
    ).all()
    filings = {
        filing.id: filing
        for filing in db.session.execute(
            select(Filing).where(Filing.id.in_([row[0] for row in grouped]))
        ).scalars()
    }
    hits = [
        Hit(filings[filing_id], "IP address", "ip_accesses",
            _addresses_found(wanted, address, addresses), count, first_at, last_at)
        for filing_id, count, first_at, last_at, address, addresses in grouped
    ]  # fmt: skip
    return SearchResult(wanted.label, hits)


def _addresses_found(wanted: ip_log.IpSearch, lowest: str, addresses: int) -> str:
    """The one address a report's accesses came from, else how many addresses of the range."""
    if addresses == 1:
        return lowest
    return f"Accesses from {wanted.network}: {addresses:,} addresses"


# --- Requests for additional information (§7.308(e)) ------------------------------------------


def request_information(
    filing: Filing, *, requested_on: date, note: str, actor: User, today: date,
    sent_by_hand: bool = False,
) -> DepartmentRequest:  # fmt: skip
    """Ask the provider for more about a report: the request is a letter sent to the provider's
    contact, and the 15-day follow-up clock starts on the provider's receipt of it, the day it
    is sent (§7.308(c)(3)); ``sent_by_hand`` records a letter sent by another means on
    ``requested_on``."""
    if filing.kind not in REPORT_KINDS:
        raise DomainError("Additional information is requested about an AI training report.")
    if requested_on > today:
        raise InvalidInput({"requested_on": ["must not be in the future"]})
    if requested_on < filing.received_on:
        raise InvalidInput(
            {"requested_on": [f"must not be before the report arrived on {filing.received_on}"]}
        )
    if not note.strip():
        raise InvalidInput({"note": ["Say what information is requested (§7.308(e))."]})
    request = DepartmentRequest(
        kind=INFORMATION_REQUEST, provider_id=filing.provider_id, filing_id=filing.id,
        requested_on=requested_on, requested_by_id=actor.id, note=note.strip(),
    )  # fmt: skip
    db.session.add(request)
    db.session.flush()
    record_event(
        "request.open",
        actor=actor,
        subject=("department_request", request.id),
        after={"kind": INFORMATION_REQUEST, "report": filing.receipt_number,
               "requested_on": requested_on},
    )  # fmt: skip
    sent_requests.send_request(
        request, actor=actor, today=today,
        sent_by_hand_on=requested_on if sent_by_hand else None,
        note="Recorded with the request" if sent_by_hand else "",
    )  # fmt: skip
    return request


def ip_addresses_request_note(filing: Filing) -> str:
    """What a request for a report's missing IP addresses asks (§7.308(d)(1)(i)(F), (e))."""
    return (
        f"Report {filing.receipt_number} gives no IP addresses used for access or administration "
        "of the account, nor the date and time of each access or administrative action "
        "(§7.308(d)(1)(i)(F)). Attach the IP access log to that report, and file a follow-up "
        "report answering this request that says when it was attached."
    )


def information_requests_of(filing: Filing) -> list[DepartmentRequest]:
    return list(
        db.session.execute(
            select(DepartmentRequest)
            .where(DepartmentRequest.filing_id == filing.id)
            .order_by(DepartmentRequest.id)
        ).scalars()
    )


# --- Is it covered? Is the estimate plausible? ------------------------------------------------


class NoConditionsInForce(DomainError):
    """No technical conditions of a large AI model were in force on the day asked about."""


THRESHOLD_KEYS = ("ai.large_model_operations", "ai.large_model_operations_biological")


class Yardsticks:
    """What reports are measured against: the technical conditions (effective-dated rule
    parameters) and the accelerator catalogue, read once however many reports are judged."""

    def __init__(self) -> None:
        self.histories = {key: parameters.history(key) for key in THRESHOLD_KEYS}

    @cached_property
    def accelerators(self) -> list[ai_rules.Accelerator]:
        return [ai_accelerators.as_rule(entry) for entry in ai_accelerators.catalogue()]

    @cached_property
    def confirmed(self) -> dict[int, ai_rules.Accelerator]:
        """The entry an analyst confirmed for each report whose accelerator the catalogue does
        not name as the report does, by filing id."""
        return ai_accelerators.confirmed_for()

    def thresholds_on(self, day: date) -> ai_rules.Thresholds:
        general, biological = (
            next((row for row in self.histories[key] if row.effective_from <= day), None)
            for key in THRESHOLD_KEYS
        )
        if general is None or biological is None:
            first = self.histories[THRESHOLD_KEYS[0]]
            since = f" (the first took effect on {first[-1].effective_from})" if first else ""
            raise NoConditionsInForce(
                f"No technical conditions of a large AI model were in force on "
                f"{day.isoformat()}{since}."
            )
        source = f"{general.citation}, in force from {general.effective_from.isoformat()}"
        return ai_rules.Thresholds(float(general.number), float(biological.number), source)

    def threshold_for(self, data: dict[str, Any], day: date) -> float:
        """The threshold that applies to a report's model; with none in force, infinity, so
        the estimate is still checked against the hardware."""
        try:
            limits = self.thresholds_on(day)
        except NoConditionsInForce:
            return float("inf")
        if data.get("primarily_biological_sequence_data"):
            return limits.operations_biological
        return limits.operations


def thresholds_on(day: date) -> ai_rules.Thresholds:
    """The technical conditions in force on ``day`` (effective-dated rule parameters)."""
    return Yardsticks().thresholds_on(day)


@dataclass(frozen=True)
class Plausibility:
    accelerator: ai_rules.Accelerator | None
    operations: ai_rules.OperationsRange | None
    flags: list[ai_rules.Flag]
    threshold: float
    note: str
    # The accelerator is the catalogue entry an analyst confirmed for the name the report gives.
    confirmed: bool = False


def plausibility(
    data: dict[str, Any],
    relevant_on: date,
    yardsticks: Yardsticks | None = None,
    *,
    confirmed: ai_rules.Accelerator | None = None,
) -> Plausibility | None:
    """The range of operations the reported hardware could perform over the reported dates,
    and what about the estimate an analyst should question (§7.308(d)(1)(ii)). The hardware is
    the catalogue entry the report names or, failing that, the one an analyst ``confirmed``."""
    if data.get("estimated_operations") is None:
        return None
    yardsticks = yardsticks or Yardsticks()
    threshold = yardsticks.threshold_for(data, relevant_on)
    found = ai_rules.find_accelerator(data.get("accelerator_model") or "", yardsticks.accelerators)
    if found is None and confirmed is None:
        note = (f"“{data.get('accelerator_model')}” is not in the accelerator catalogue, so the "
                "estimate cannot be checked against the hardware.")  # fmt: skip
        return Plausibility(None, None, [], threshold, note)
    hardware = found or confirmed
    assert hardware is not None  # one or the other, as checked above
    operations = ai_rules.plausible_operations(
        hardware.peak_dense_ops_per_second,
        data["accelerator_count"],
        date.fromisoformat(data["anticipated_start_on"]),
        date.fromisoformat(data["anticipated_completion_on"]),
    )
    flags = ai_rules.estimate_flags(data["estimated_operations"], operations, threshold)
    return Plausibility(hardware, operations, flags, threshold, hardware.source, found is None)


def relevant_day(filing: Filing) -> date:
    """The technical conditions in force on the day of the transaction apply (§7.308(b))."""
    day = filing.data.get("transaction_on")
    return date.fromisoformat(day) if day else filing.received_on


def coverage_of(
    data: dict[str, Any], relevant_on: date, *, hardware_could_perform: float | None = None
) -> ai_rules.CoverageVerdict | str:
    """The covered-transaction aid applied to what a report says (§7.308(b)), with what its
    reserved hardware could perform when the catalogue knows it ("could result",
    §7.308(b)(1)(i)); the reason in words when it cannot be judged."""
    try:
        thresholds = thresholds_on(relevant_on)
    except NoConditionsInForce as none:
        return str(none)
    facts = ai_rules.CoverageFacts(
        customer_is_foreign_person=True,
        for_or_on_behalf_of_foreign_person=True,
        estimated_operations=data.get("estimated_operations"),
        trained_primarily_on_biological_sequence_data=bool(
            data.get("primarily_biological_sequence_data")
        ),
        reason_to_believe_large_model=False,
        original_arrangements_met_conditions=None,
        later_change_meets_conditions=False,
        third_party_facility=False,
        relevant_on=relevant_on,
        hardware_could_perform=hardware_could_perform,
    )
    return ai_rules.assess_coverage(facts, thresholds)


# --- Risk (§7.305(d)(1)(ii)) ------------------------------------------------------------------


def _current_reports(provider_ids: Collection[int] | None = None) -> list[Filing]:
    corrected = select(Filing.supersedes_id).where(Filing.supersedes_id.is_not(None))
    query = select(Filing).where(
        Filing.kind.in_(kinds.AI_RUN_REPORT_KINDS), Filing.id.not_in(corrected)
    )
    if provider_ids is not None:
        query = query.where(Filing.provider_id.in_(list(provider_ids)))
    return list(db.session.execute(query).scalars())


def _report_signals(filings: list[Filing], yardsticks: Yardsticks) -> list[RiskSignal]:
    """One provider's reports as lines of the §7.305(d)(1)(ii) criterion: runs meeting the
    technical conditions, reports filed late or corrected, estimates the hardware questions."""
    large, late, corrected, questioned = [], [], [], []
    for filing in filings:
        data, day = filing.data, relevant_day(filing)
        if data.get("estimated_operations", 0) > yardsticks.threshold_for(data, day):
            large.append(filing)
        if filing.timeliness == "late":
            late.append(filing)
        if filing.kind == "ai_corrected_report":
            corrected.append(filing)
        judged = plausibility(data, day, yardsticks, confirmed=yardsticks.confirmed.get(filing.id))
        if judged is not None and judged.flags:
            questioned.append(filing)
    lines = (
        ("ai_training_report", large, "large AI model training run(s) for foreign persons "
         "reported, above the technical conditions in force (§7.308(b))"),
        ("late_ai_report", late, "training report(s) filed after their 15- or 30-day clock "
         "(§7.308(c)); scored here only, not again as a late filing under §7.305(d)(2)(i), "
         "which concerns CIP certifications"),
        ("corrected_ai_report", corrected, "training report(s) corrected after filing "
         "(§7.308(c)(4))"),
        ("implausible_compute_estimate", questioned, "compute estimate(s) the reported "
         "hardware puts in question (§7.308(d)(1)(ii)(A))"),
    )  # fmt: skip
    return [
        RiskSignal(
            "§7.305(d)(1)(ii)",
            kind,
            len(found),
            f"{len(found)} {what}: {', '.join(f.receipt_number for f in found)}.",
        )
        for kind, found, what in lines
        if found
    ]


def risk_signals(
    today: date, provider_ids: Collection[int] | None = None
) -> dict[int, list[RiskSignal]]:
    """Per provider asked about (None: every one): use by foreign persons to train large AI
    models (§7.305(d)(1)(ii)). Each report is weighed as of its own relevant day, not
    ``today``."""
    yardsticks = Yardsticks()
    reports: dict[int, list[Filing]] = {}
    for filing in _current_reports(provider_ids):
        reports.setdefault(filing.provider_id, []).append(filing)
    found = {
        provider: _report_signals(filings, yardsticks) for provider, filings in reports.items()
    }
    return {provider: signals for provider, signals in found.items() if signals}
