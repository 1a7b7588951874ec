"""Intake use cases: the provider registry, receiving filings, receipts, requests."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import logging
import re
import secrets
import threading
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas
from flask import Flask, current_app
from sqlalchemy import Select, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from core import clocks, control_characters, counters, crypto, documents, exports, hooks, signals
from core.audit.services import FAILURE, record_event
from core.auth.models import User
from core.db import db, utcnow
from core.deadlines import services as deadlines
from core.deadlines.models import Deadline
from core.errors import DomainError, IllegalTransition
from core.schema import Problem, email_key, validate
from core.urls import parse_record_id
from intake import reseller_registry, rules
from intake.ai import services as ai_services
from intake.models import (
    ApiToken,
    DepartmentRequest,
    Document,
    Filing,
    ForeignReseller,
    Provider,
    ResellerImport,
)

ANNUAL_CLOCK = "cip.annual_certification"


class FilingRejected(DomainError):
    """The filing has errors; nothing was stored."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems))


class IdempotencyConflict(DomainError):
    """The same Idempotency-Key was used before with a different payload."""


# --- Providers --------------------------------------------------------------------------------


def list_providers() -> list[Provider]:
    return list(db.session.execute(select(Provider).order_by(Provider.legal_name)).scalars())


def get_provider(provider_id: int) -> Provider | None:
    return db.session.get(Provider, provider_id)


def register_provider(data: dict[str, Any], *, actor: User) -> Provider:
    result = validate(rules.PROVIDER_FIELDS, data)
    if not result.errors:
        duplicate = db.session.execute(
            select(Provider.id).where(Provider.legal_name == result.cleaned["legal_name"])
        ).first()
        if duplicate:
            result.errors.append(Problem("legal_name", "is already registered", "§7.304(a)(1)"))
    if result.errors:
        raise FilingRejected(result.errors)
    values = result.cleaned
    provider = Provider(
        legal_name=values["legal_name"],
        business_names=list(values["business_names"]),
        street_address=values["street_address"],
        city=values["city"],
        state=values["state"],
        postal_code=values["postal_code"],
        is_us_reseller=bool(values["is_us_reseller"]),
        contact_name=values["primary_contact_name"],
        contact_title=values["primary_contact_title"],
        contact_email=values["primary_contact_email"],
        contact_phone=values["primary_contact_phone"],
        first_foreign_account_on=(
            date.fromisoformat(values["first_foreign_account_on"])
            if values["first_foreign_account_on"]
            else None
        ),
    )
    db.session.add(provider)
    db.session.flush()
    record_event("provider.register", actor=actor, subject=("provider", provider.id), after=values)
    return provider


# --- Receipts ---------------------------------------------------------------------------------


def next_receipt_number(year: int) -> str:
    """The next receipt number of ``year``: OICTS-2026-000042, never shared, skipped or reused."""
    return counters.next_reference("OICTS", year, digits=6)


# --- Filings ----------------------------------------------------------------------------------


def get_filing(receipt_number: str) -> Filing | None:
    return db.session.execute(
        select(Filing).where(Filing.receipt_number == receipt_number)
    ).scalar_one_or_none()


def filings_of(provider: Provider) -> list[Filing]:
    return list(
        db.session.execute(
            select(Filing)
            .where(Filing.provider_id == provider.id)
            .order_by(Filing.received_at.desc())
        ).scalars()
    )


def _superseded_ids(provider_id: int) -> set[int]:
    return set(
        db.session.execute(
            select(Filing.supersedes_id).where(
                Filing.provider_id == provider_id, Filing.supersedes_id.is_not(None)
            )
        ).scalars()
    )


def last_certification(provider: Provider, *, excluding: Filing | None = None) -> Filing | None:
    """The latest certification of the provider's CIP that counts for the annual clock (not
    received before its window opened). A correction does not move the clock: the certification
    it corrects was made on the day that one arrived (§7.304(b)), so only first versions count,
    as in ``registry``."""
    kinds = [spec.kind.value for spec in rules.KINDS.values() if spec.certifies_cip]
    candidates = db.session.execute(
        select(Filing)
        .where(
            Filing.provider_id == provider.id,
            Filing.kind.in_(kinds),
            Filing.supersedes_id.is_(None),
        )
        .order_by(Filing.received_on.desc(), Filing.id.desc())
    ).scalars()
    for filing in candidates:
        if excluding is not None and filing.id == _first_version(excluding).id:
            continue
        if filing.timeliness == clocks.Timeliness.TOO_EARLY.value:
            continue
        return filing
    return None


def _first_version(filing: Filing) -> Filing:
    while filing.supersedes is not None:
        filing = filing.supersedes
    return filing


@dataclass(frozen=True)
class Submission:
    """What arrived: the kind, the content, and how it came."""

    kind: str
    payload: Any
    raw: str
    channel: str  # web, api or bulk
    supersedes: str | None = None  # receipt number of the filing this one corrects
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Received:
    filing: Filing
    created: bool  # False when an Idempotency-Key replay returned the earlier filing


def _replayed(provider: Provider, submission: Submission) -> Filing | None:
    """The filing an earlier request with the same Idempotency-Key created, if any."""
    if not submission.idempotency_key:
        return None
    earlier = db.session.execute(
        select(Filing).where(
            Filing.provider_id == provider.id, Filing.idempotency_key == submission.idempotency_key
        )
    ).scalar_one_or_none()
    if earlier is None:
        return None
    if json.loads(ai_services.received_payload(earlier)) != json.loads(submission.raw):
        raise IdempotencyConflict(
            f"Idempotency-Key {submission.idempotency_key!r} was already used for receipt "
            f"{earlier.receipt_number} with different content"
        )
    return earlier


def _superseded_filing(
    provider: Provider, submission: Submission, spec: rules.KindSpec
) -> Filing | None:
    if not submission.supersedes:
        return None
    earlier = get_filing(submission.supersedes)
    if earlier is None or earlier.provider_id != provider.id:
        raise FilingRejected(
            [Problem("supersedes", "no filing of this provider has that receipt number", "")]
        )
    if earlier.id in _superseded_ids(provider.id):
        raise FilingRejected(
            [Problem("supersedes", "that filing was already corrected; correct the latest", "")]
        )
    if earlier.kind != submission.kind and earlier.kind not in spec.corrects:
        raise FilingRejected(
            [Problem("supersedes", f"a correction must be of the same kind ({earlier.kind})", "")]
        )
    return earlier


def check_submission(provider: Provider, submission: Submission, received_on: date):
    """Errors and warnings without storing anything (validation-only filing)."""
    try:
        spec = rules.kind_spec(submission.kind)
    except rules.UnknownKind as error:
        raise FilingRejected([Problem("kind", str(error), "§7.304")]) from None
    result = rules.check_filing(spec.kind, submission.payload)
    if result.errors:
        raise FilingRejected(result.errors)
    superseded = _superseded_filing(provider, submission, spec)
    previous = last_certification(provider, excluding=superseded)
    if spec.is_ai_report:
        problems = ai_services.report_problems(provider, spec.kind, result.cleaned, superseded)
        if problems:
            raise FilingRejected(problems)
    facts = rules.FilingFacts(
        received_on=received_on,
        previous_certification_on=previous.received_on if previous else None,
        first_foreign_account_on=provider.first_foreign_account_on,
        report_clock_start_on=rules.report_clock_start(spec.kind, result.cleaned),
        unknown_reseller=_unknown_reseller(provider, result.cleaned),
        resellers_not_listed=(
            tuple(reseller_registry.not_listed(provider, result.cleaned["foreign_resellers"]))
            if "foreign_resellers" in result.cleaned
            else ()
        ),
    )
    return spec, result.cleaned, superseded, facts


def receive_filing(
    provider: Provider,
    submission: Submission,
    *,
    actor: User | None = None,
    token: ApiToken | None = None,
    received_at: datetime | None = None,
) -> Received:
    """Validate and store a filing whole, or store nothing and raise FilingRejected."""
    if (earlier := _replayed(provider, submission)) is not None:
        return Received(earlier, created=False)
    received_at = received_at or utcnow()
    received_on = clocks.office_today(received_at)
    spec, cleaned, superseded, facts = check_submission(provider, submission, received_on)
    verdict = rules.timeliness(spec.kind, facts)
    sealed = ai_services.seal(spec, cleaned)
    filing = Filing(
        receipt_number=next_receipt_number(received_on.year),
        kind=spec.kind.value,
        provider_id=provider.id,
        channel=submission.channel,
        raw_payload=crypto.encrypt(submission.raw) if sealed.secrets else submission.raw,
        raw_encrypted=bool(sealed.secrets),
        payload_sha256=hashlib.sha256(submission.raw.encode("utf-8")).hexdigest(),
        data_json=sealed.data,
        received_at=received_at,
        received_on=received_on,
        keyed_by_id=actor.id if actor else None,
        api_token_id=token.id if token else None,
        idempotency_key=submission.idempotency_key,
        supersedes_id=superseded.id if superseded else None,
        warnings_json=[w.as_dict() for w in rules.warnings(spec.kind, facts)],
        timeliness=verdict.value if verdict else None,
        rules_version=rules.RULES_VERSION,
    )
    db.session.add(filing)
    db.session.flush()
    _registry_follows(provider, filing, cleaned, actor)
    signals.send(signals.filing_received, filing=filing, actor=actor)
    if spec.is_ai_report:
        parties = ai_services.on_report_received(
            filing, cleaned, clock_start_on=facts.report_clock_start_on, actor=actor
        )
        signals.send(signals.ai_report_received, filing=filing, actor=actor, parties=parties)
    if spec.certifies_cip and verdict is not clocks.Timeliness.TOO_EARLY and superseded is None:
        _restart_annual_clock(provider, filing, actor)
    record_event(
        "filing.receive",
        actor=actor,
        actor_label=f"api token {token.label}" if token else None,
        subject=("filing", filing.receipt_number),
        after={
            "kind": filing.kind,
            "provider": provider.id,
            "channel": filing.channel,
            "sha256": filing.payload_sha256,
            "supersedes": superseded.receipt_number if superseded else None,
            "warnings": len(filing.warnings),
        },
    )
    return Received(filing, created=True)


def _registry_follows(
    provider: Provider, filing: Filing, data: dict[str, Any], actor: User | None
) -> None:
    """Keep the registry as the latest filing says (§7.304(a)(1)(vi), (a)(2)(viii), (c))."""
    if "foreign_resellers" in data:
        reseller_registry.enter_listed(provider, filing, data["foreign_resellers"], actor)
    before = _contact_of(provider)
    if filing.kind == rules.FilingKind.IRREGULAR_UPDATE:
        change = data["change_type"]
        if change == rules.ChangeType.PRIMARY_CONTACT:
            _set_contact(provider, data, "new_contact")
        elif change == rules.ChangeType.RESELLER_PRIMARY_CONTACT:
            _set_reseller_contact(provider, data)
    elif "primary_contact_name" in data:
        _set_contact(provider, data, "primary_contact")
    if _contact_of(provider) != before:
        record_event(
            "provider.contact_change",
            actor=actor,
            subject=("provider", provider.id),
            before=before,
            after=_contact_of(provider),
        )


def _contact_of(provider: Provider) -> dict[str, str]:
    return {
        "name": provider.contact_name,
        "title": provider.contact_title,
        "email": provider.contact_email,
        "phone": provider.contact_phone,
    }


def _set_contact(target: Provider | ForeignReseller, data: dict[str, Any], prefix: str) -> None:
    target.contact_name = data[f"{prefix}_name"]
    target.contact_title = data[f"{prefix}_title"]
    target.contact_email = data[f"{prefix}_email"]
    target.contact_phone = data[f"{prefix}_phone"]


def _reseller_named(provider: Provider, name: str) -> ForeignReseller | None:
    return next((r for r in provider.resellers if r.name.casefold() == name.casefold()), None)


def _unknown_reseller(provider: Provider, data: dict[str, Any]) -> str | None:
    if data.get("change_type") != rules.ChangeType.RESELLER_PRIMARY_CONTACT:
        return None
    name = data.get("reseller_name") or ""
    return None if _reseller_named(provider, name) else name


def _set_reseller_contact(provider: Provider, data: dict[str, Any]) -> None:
    if (reseller := _reseller_named(provider, data["reseller_name"])) is not None:
        _set_contact(reseller, data, "new_contact")


def _restart_annual_clock(
    provider: Provider, filing: Filing, actor: User | None, clock_key: str = ANNUAL_CLOCK
) -> None:
    """A certification meets the open annual clock and starts the next one (§7.304(b); for the
    compiled foreign-reseller certification, §7.304(f))."""
    open_clocks = db.session.execute(
        select(Deadline).where(
            Deadline.clock_key == clock_key,
            Deadline.subject_type == "provider",
            Deadline.subject_id == str(provider.id),
            Deadline.met_on.is_(None),
        )
    ).scalars()
    for deadline in open_clocks:
        deadlines.meet_deadline(
            deadline,
            met_on=filing.received_on,
            actor=actor,
            note=f"Certification {filing.receipt_number}",
        )
    deadlines.open_deadline(
        clock_key,
        subject=("provider", provider.id),
        subject_label=provider.legal_name,
        start_on=filing.received_on,
        actor=actor,
    )


def chain_of(filing: Filing) -> list[Filing]:
    """The filing's versions, oldest first: what it corrected, and what corrected it."""
    older = []
    current = filing.supersedes
    while current is not None:
        older.append(current)
        current = current.supersedes
    newer = []
    current = filing
    while (
        successor := db.session.execute(
            select(Filing).where(Filing.supersedes_id == current.id)
        ).scalar_one_or_none()
    ) is not None:
        newer.append(successor)
        current = successor
    return [*reversed(older), filing, *newer]


@dataclass(frozen=True)
class RegistryRow:
    provider: Provider
    last_certified_on: date | None
    status: rules.CertificationStatus
    next_due_on: date | None


def registry(today: date, provider_ids: Collection[int] | None = None) -> list[RegistryRow]:
    """Every provider (or those of ``provider_ids``) with where it stands on its annual
    certification, in one query."""
    certifying = [spec.kind.value for spec in rules.KINDS.values() if spec.certifies_cip]
    last_certified = (
        select(Filing.provider_id, func.max(Filing.received_on).label("last_on"))
        .where(
            Filing.kind.in_(certifying),
            Filing.supersedes_id.is_(None),
            or_(
                Filing.timeliness.is_(None), Filing.timeliness != clocks.Timeliness.TOO_EARLY.value
            ),
        )
        .group_by(Filing.provider_id)
        .subquery()
    )
    query = (
        select(Provider, last_certified.c.last_on)
        .outerjoin(last_certified, last_certified.c.provider_id == Provider.id)
        .order_by(Provider.legal_name)
    )
    if provider_ids is not None:
        query = query.where(Provider.id.in_(list(provider_ids)))
    rows = db.session.execute(query).all()
    waivers = hooks.waivers_by_provider(provider_ids)
    return [
        RegistryRow(
            provider=provider,
            last_certified_on=last_on,
            status=(
                rules.CertificationStatus.EXEMPT
                if hooks.certification_waived(waivers.get(provider.id, []))
                else rules.certification_status(last_on, today)
            ),
            next_due_on=clocks.due(ANNUAL_CLOCK, last_on) if last_on else None,
        )
        for provider, last_on in rows
    ]


@dataclass(frozen=True)
class Expectations:
    """What intake expects of a provider today, after any waiver (an exemption, §7.306)."""

    certification: rules.CertificationStatus
    # The provider owes a CIP certification it has not made (§7.304(a), (b)).
    certification_missing: bool
    certification_waiver: hooks.Waiver | None
    # Foreign resellers not expected in compiled certifications (§7.304(f)), by id.
    exempt_resellers: dict[int, hooks.Waiver]


MISSING = (rules.CertificationStatus.NEVER_CERTIFIED, rules.CertificationStatus.OVERDUE)


def expectations_of(provider: Provider, today: date) -> Expectations:
    waivers = hooks.waivers_for(provider.id)
    provider_waiver = hooks.certification_waived(waivers)
    last = last_certification(provider)
    status = rules.certification_status(last.received_on if last else None, today)
    return Expectations(
        certification=status,
        certification_missing=status in MISSING and provider_waiver is None,
        certification_waiver=provider_waiver,
        exempt_resellers=reseller_registry.exempt_among(waivers),
    )


def providers_missing_certification(today: date) -> list[RegistryRow]:
    """Providers flagged for a missing or overdue CIP certification; a provider whose
    obligation is waived (an exemption, §7.306) is exempt, not flagged."""
    return [row for row in registry(today) if row.status in MISSING]


def resellers_expected_in_certification(provider: Provider) -> list[ForeignReseller]:
    """Active foreign resellers the next compiled certification must cover (§7.304(f)); an
    exempt reseller (§7.306(e)) is not expected."""
    exempt = reseller_registry.exempt_resellers(provider.id)
    return [
        reseller
        for reseller in db.session.scalars(resellers_query(provider))
        if reseller.status == "active" and reseller.id not in exempt
    ]


# --- API tokens for providers' systems ---------------------------------------------------------

TOKEN_PREFIX = "oicts_"  # noqa: S105 (marks a token so that leaked ones are easy to spot)


def issue_token(provider: Provider, *, label: str, actor: User) -> tuple[ApiToken, str]:
    """A new bearer token; the plaintext is returned once and only its hash is kept."""
    label = label.strip()
    if not label:
        raise FilingRejected([Problem("label", "Name the system that will use the token.", "")])
    if problem := control_characters.problem(label):
        raise FilingRejected([Problem("label", f"The name {problem}.", "")])
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        provider_id=provider.id,
        label=label[:120],
        token_hash=crypto.token_digest(plaintext),
        token_hint=plaintext[-4:],
        created_by_id=actor.id,
    )
    db.session.add(token)
    db.session.flush()
    record_event(
        "api_token.issue",
        actor=actor,
        subject=("api_token", token.id),
        after={"provider": provider.id, "label": token.label, "hint": token.token_hint},
    )
    return token, plaintext


def revoke_token(token: ApiToken, *, actor: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_event("api_token.revoke", actor=actor, subject=("api_token", token.id))


def token_for(plaintext: str) -> ApiToken | None:
    """The live token a bearer presents, or None (unknown or revoked)."""
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == crypto.token_digest(plaintext))
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None:
        return None
    token.last_used_at = utcnow()
    return token


def list_tokens() -> list[ApiToken]:
    return list(db.session.execute(select(ApiToken).order_by(ApiToken.created_at.desc())).scalars())


# --- The Department's requests for copies of CIPs ---------------------------------------------


def request_cip_copy(
    provider: Provider,
    *,
    reseller: ForeignReseller | None,
    requested_on: date,
    actor: User,
    note: str = "",
) -> DepartmentRequest:
    """Ask for a copy of the provider's CIP (§7.305(a)) or of one of its foreign resellers'
    (§7.303(d)); the 10-day clock starts on the request."""
    if reseller is not None and reseller.provider_id != provider.id:
        raise DomainError("That foreign reseller belongs to another provider.")
    kind = "reseller_cip_copy" if reseller else "cip_copy"
    what = f"CIP of its foreign reseller {reseller.name}" if reseller else "copy of its CIP"
    deadline = deadlines.open_deadline(
        rules.REQUEST_CLOCKS[kind],
        subject=("provider", provider.id),
        subject_label=f"{provider.legal_name}: {what}",
        start_on=requested_on,
        actor=actor,
        assignee=actor,
    )
    department_request = DepartmentRequest(
        kind=kind,
        provider_id=provider.id,
        reseller_id=reseller.id if reseller else None,
        requested_on=requested_on,
        requested_by_id=actor.id,
        note=note.strip() or None,
        deadline_id=deadline.id,
    )
    db.session.add(department_request)
    db.session.flush()
    record_event(
        "request.open",
        actor=actor,
        subject=("department_request", department_request.id),
        after={"kind": kind, "provider": provider.id, "due_on": deadline.due_on},
    )
    return department_request


def requests_of(provider: Provider) -> list[DepartmentRequest]:
    return list(
        db.session.execute(
            select(DepartmentRequest)
            .where(DepartmentRequest.provider_id == provider.id)
            .order_by(DepartmentRequest.requested_on.desc(), DepartmentRequest.id.desc())
        ).scalars()
    )


# --- The list of a provider's foreign resellers (§7.303) -----------------------------------------


@dataclass(frozen=True)
class ResellerCriteria:
    name: str = ""
    jurisdiction: str = ""
    status: str = ""


def resellers_query(
    provider: Provider, criteria: ResellerCriteria = ResellerCriteria(), *, sources: bool = False
) -> Select:
    """A provider's foreign resellers, active first and then by name; a provider may have tens of
    thousands, so pages and exports read them from here rather than through the relationship.
    ``sources`` loads the filings each comes from, a query for them all."""
    query = select(ForeignReseller).where(ForeignReseller.provider_id == provider.id)
    if sources:
        query = query.options(
            selectinload(ForeignReseller.listed_in), selectinload(ForeignReseller.certified_in)
        )
    if criteria.name:
        query = query.where(
            func.lower(ForeignReseller.name).contains(criteria.name.lower(), autoescape=True)
        )
    if criteria.jurisdiction:
        query = query.where(ForeignReseller.jurisdiction == criteria.jurisdiction.upper())
    if criteria.status:
        query = query.where(ForeignReseller.status == criteria.status)
    return query.order_by(ForeignReseller.status, ForeignReseller.name, ForeignReseller.id)


def reseller_count(provider: Provider) -> int:
    return db.session.scalar(select(func.count()).where(ForeignReseller.provider_id == provider.id))


def reseller_of(provider: Provider, reseller_id: object) -> ForeignReseller | None:
    """The provider's foreign reseller with this id (as a form or a link gives it), or None."""
    try:
        wanted = parse_record_id(str(reseller_id))
    except ValueError:
        return None
    reseller = db.session.get(ForeignReseller, wanted)
    return reseller if reseller is not None and reseller.provider_id == provider.id else None


def end_reseller_relationship(
    reseller: ForeignReseller, *, ended_on: date, reason: str, actor: User
) -> None:
    """The registry follows a terminated relationship (§7.303(e)); the filings stay as filed."""
    before = {"status": reseller.status, "ended_on": reseller.ended_on}
    reseller.status, reseller.ended_on = "ended", ended_on
    record_event(
        "reseller.end",
        actor=actor,
        subject=("foreign_reseller", reseller.id),
        before=before,
        after={"status": reseller.status, "ended_on": ended_on, "reason": reason},
    )
    db.session.flush()


def store_document(filename: str, content: bytes, *, actor: User) -> Document:
    """Keep a checked document with its SHA-256 (call document_problems first)."""
    document = Document(uploaded_by_id=actor.id)
    document.keep(documents.describe(filename, content), content)
    db.session.add(document)
    db.session.flush()
    return document


def record_response(
    department_request: DepartmentRequest,
    *,
    filename: str,
    content: bytes,
    responded_on: date,
    actor: User,
) -> Document:
    """Store the CIP copy that answers a request and meet its clock."""
    if department_request.responded_on is not None:
        raise IllegalTransition(
            f"This request was already answered on {department_request.responded_on.isoformat()}."
        )
    problems = documents.document_problems(filename, content, what="the CIP")
    if responded_on < department_request.requested_on:
        problems.append("The response cannot be dated before the request.")
    if problems:
        raise DomainError(" ".join(problems))
    document = store_document(filename, content, actor=actor)
    department_request.responded_on = responded_on
    department_request.response_document_id = document.id
    deadlines.meet_deadline(
        department_request.deadline,
        met_on=responded_on,
        actor=actor,
        note=f"CIP copy received: {document.filename}",
    )
    record_event(
        "request.response",
        actor=actor,
        subject=("department_request", department_request.id),
        after={"document": document.filename, "sha256": document.sha256, "on": responded_on},
    )
    return document


# --- Compiled foreign-reseller certifications (§7.304(e)-(f)) ----------------------------------

REPORT_HEADER = ("row", "column", "value", "message", "citation")
RESULTS_HEADER = ("row", "reseller_name", "jurisdiction", "result")
# A long cell (a 20,000-character summary) is cut in the report: the row and column find it.
REPORT_VALUE_CHARS = 200
CSV_PARSER_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
logger = logging.getLogger(__name__)


class UploadRefused(DomainError):
    """Not a file that can be checked (none, empty, too large, neither CSV nor Excel), or an
    import for the provider is still running; nothing was stored."""


class ImportStillRunning(UploadRefused):
    """An earlier file of the provider is still being imported: the upload waits for it."""


class UnreadableFile(DomainError):
    def __init__(self, problem: rules.RowProblem):
        self.problem = problem
        super().__init__(problem.message)


@dataclass(frozen=True)
class ResellerChanges:
    added: int
    updated: int
    unchanged: int
    left_out: list[str]  # active resellers on record that the file does not mention
    results: list[tuple[int, str, str, str]]  # row, name, jurisdiction, added/updated/unchanged


def get_reseller_import(import_id: int) -> ResellerImport | None:
    """The import; one that stopped with its process reads as failed (docs/architecture.md §3:
    nothing received is left looking as if it were still being worked on). Reading stores
    nothing: the failure is recorded when the provider's next file comes in
    (``_running_import``)."""
    record = db.session.get(ResellerImport, import_id)
    if record is not None and _is_stale(record):
        reference = secrets.token_hex(4).upper()
        logger.warning("reseller import %s stopped without finishing, reference %s",
                       import_id, reference)  # fmt: skip
        # Loaded values, not changes: this answer shows the failure, and no commit stores it.
        set_committed_value(record, "status", rules.ImportStatus.FAILED.value)
        set_committed_value(record, "failure_reference", reference)
    return record


def _is_stale(record: ResellerImport) -> bool:
    return rules.import_is_stale(record.status, record.started_at or record.uploaded_at, utcnow())


def reseller_imports_of(provider: Provider) -> list[ResellerImport]:
    return list(
        db.session.execute(
            select(ResellerImport)
            .where(ResellerImport.provider_id == provider.id)
            .order_by(ResellerImport.uploaded_at.desc(), ResellerImport.id.desc())
        ).scalars()
    )


def _running_import(provider: Provider) -> ResellerImport | None:
    running = [status.value for status in rules.RUNNING]
    for record_id in db.session.execute(
        select(ResellerImport.id).where(
            ResellerImport.provider_id == provider.id, ResellerImport.status.in_(running)
        )
    ).scalars():
        record = db.session.get(ResellerImport, record_id)
        if record is None:
            continue
        if not _is_stale(record):
            return record
        _fail_import(record, secrets.token_hex(4).upper(), "stopped without finishing")
    return None


def start_reseller_import(
    provider: Provider,
    *,
    filename: str,
    content: bytes,
    actor: User | None = None,
    token: ApiToken | None = None,
) -> ResellerImport:
    """Take an uploaded compiled certification in, queued for ``run_reseller_import``."""
    if not content.strip():
        raise UploadRefused("The file is empty.")
    if len(content) > rules.MAX_RESELLER_FILE_BYTES:
        limit = rules.MAX_RESELLER_FILE_BYTES // (1024 * 1024)
        raise UploadRefused(f"The file is larger than {limit} MB; split it into several files.")
    zip_names = documents.zip_names(content) if content.startswith(b"PK") else frozenset()
    file_format = rules.reseller_file_format(filename, content, zip_names)
    if file_format is None:
        raise UploadRefused(
            "Upload the compiled file as CSV (saved as UTF-8) or as an Excel workbook (.xlsx)."
        )
    if (running := _running_import(provider)) is not None:
        raise ImportStillRunning(
            f"The file {running.filename} is still being imported for this provider; wait until "
            "it has finished, then upload again."
        )
    record = ResellerImport(
        provider_id=provider.id,
        uploaded_by_id=actor.id if actor else None,
        api_token_id=token.id if token else None,
        filename=filename[:255],
        file_format=file_format,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        status=rules.ImportStatus.QUEUED.value,
        uploaded_at=utcnow(),
    )
    db.session.add(record)
    db.session.flush()
    record_event(
        "reseller_import.upload",
        actor=actor,
        actor_label=f"api token {token.label}" if token else None,
        subject=("reseller_import", record.id),
        after={
            "provider": provider.id,
            "filename": record.filename,
            "format": file_format,
            "bytes": record.size_bytes,
            "sha256": record.sha256,
        },
    )
    return record


def read_reseller_table(content: bytes, file_format: str) -> list[tuple[str, ...]]:
    """Every row of the file (an Excel workbook's first sheet) as text cells: the spreadsheet's
    row n is item n - 1, empty rows included, so that row numbers match what a person sees."""
    options: dict[str, Any] = {"header": None, "dtype": str, "keep_default_na": False}
    if file_format == "xlsx":
        try:
            frame = pandas.read_excel(io.BytesIO(content), sheet_name=0, **options)
        # A workbook that passed the format check can still be broken in many ways (XML, styles,
        # shared strings); each is the file's fault, not the system's.
        except Exception:
            message = "could not be read as an Excel workbook; save it from the template as .xlsx"
            raise UnreadableFile(
                rules.RowProblem(1, "", "", message, rules.FILE_CITATION)
            ) from None
        return list(frame.itertuples(index=False, name=None))
    try:
        text = content.decode("utf-8-sig")
        frame = pandas.read_csv(io.StringIO(text), skip_blank_lines=False, **options)
    except pandas.errors.EmptyDataError:
        return []
    except pandas.errors.ParserError as error:
        row, message = 1, "could not be read as CSV; save it from the template as CSV UTF-8"
        if match := CSV_PARSER_COUNT.search(str(error)):
            expected, line, saw = match.groups()
            row, message = int(line), f"has {saw} cells where the header row has {expected}"
        raise UnreadableFile(rules.RowProblem(row, "", "", message, rules.FILE_CITATION)) from None
    return list(frame.itertuples(index=False, name=None))


def error_report_csv(check: rules.ResellerFileCheck) -> str:
    rows: list[tuple[object, ...]] = [
        (
            problem.row,
            problem.column,
            problem.value[:REPORT_VALUE_CHARS]
            + ("…" if len(problem.value) > REPORT_VALUE_CHARS else ""),
            problem.message,
            problem.citation,
        )
        for problem in check.problems
    ]
    if check.problem_count > len(check.problems):
        more = check.problem_count - len(check.problems)
        rows.append(("", "", "", f"and {more:,} more problems, not listed", ""))
    return exports.plain_csv_text(REPORT_HEADER, rows)


def error_preview(record: ResellerImport, limit: int = 100) -> list[list[str]]:
    """The first problems of a rejected file's report, for its page."""
    if not record.error_report:
        return []
    reader = csv.reader(io.StringIO(record.error_report))
    next(reader, None)
    return list(itertools.islice(reader, limit))


# A small file is imported within the request; a large one (50,000 rows and more) in a
# background thread, whose progress the import's status page and API answer show.
INLINE_IMPORT_MAX_BYTES = 256 * 1024


def import_reseller_file(import_id: int, content: bytes) -> None:
    """Run an import now if the file is small, else in a background thread.

    Commits the request's work first: the import runs in transactions of its own (in another
    thread for a large file), which must find the queued import stored."""
    db.session.commit()
    if len(content) <= INLINE_IMPORT_MAX_BYTES:
        run_reseller_import(import_id, content)
        return
    threading.Thread(
        target=_import_in_background,
        args=(current_app._get_current_object(), import_id, content),
        name=f"reseller-import-{import_id}",
        daemon=True,
    ).start()


def _import_in_background(app: Flask, import_id: int, content: bytes) -> None:
    with app.app_context():
        run_reseller_import(import_id, content)


def run_reseller_import(import_id: int, content: bytes) -> ResellerImport:
    """Check a compiled file and store all of it, or nothing but its error report
    (docs/architecture.md §3).

    Runs in the request for a small file and in a background thread for a large one; like a
    command it owns its transactions: progress is committed as the rows are checked, the outcome
    in one transaction at the end. Anything unexpected marks the import failed with a reference
    number for the log.
    """
    record = db.session.get(ResellerImport, import_id)
    if record is None:
        raise DomainError(f"no reseller import {import_id}")
    try:
        record.status = rules.next_import_status(record.status, rules.ImportStatus.CHECKING)
        record.started_at = utcnow()
        db.session.commit()
        try:
            table = read_reseller_table(content, record.file_format)
        except UnreadableFile as unreadable:
            check = rules.ResellerFileCheck(problems=[unreadable.problem], problem_count=1)
        else:
            record.rows_total = max(len(table) - 1, 0)
            db.session.commit()
            check = rules.check_reseller_file(table, progress=_progress_saver(record))
        if check.ok:
            _store_reseller_certification(record, check, content)
        else:
            _reject_import(record, check)
        db.session.commit()
    except Exception:
        reference = secrets.token_hex(4).upper()
        logger.exception("reseller import %s failed, reference %s", import_id, reference)
        db.session.rollback()
        try:
            _fail_import(db.session.get(ResellerImport, import_id), reference, "failed")
            db.session.commit()
        # Even the failure could not be recorded (the database is gone): the log has the
        # reference, and the status page marks the import failed once it is stale.
        except Exception:
            logger.exception(
                "reseller import %s: could not record failure %s", import_id, reference
            )
            db.session.rollback()
    return record


def _progress_saver(record: ResellerImport):
    def save(rows_done: int) -> None:
        record.rows_done = rows_done
        db.session.commit()

    return save


def _uploader(record: ResellerImport) -> User | None:
    """The analyst who uploaded the file; None when a provider's system filed it by API."""
    return record.uploaded_by


def _system_label(record: ResellerImport) -> str | None:
    return f"api token {record.api_token.label}" if record.api_token else None


def _reject_import(record: ResellerImport, check: rules.ResellerFileCheck) -> None:
    record.status = rules.next_import_status(record.status, rules.ImportStatus.REJECTED)
    record.rows_total = record.rows_done = check.rows_total
    record.error_count = check.problem_count
    record.error_report = error_report_csv(check)
    record.finished_at = utcnow()
    first = check.problems[0]
    where = f"row {first.row}" + (f", {first.column}" if first.column else "")
    record_event(
        "reseller_import.reject",
        actor=_uploader(record),
        actor_label=_system_label(record),
        subject=("reseller_import", record.id),
        after={
            "provider": record.provider_id,
            "rows": check.rows_total,
            "problems": check.problem_count,
            "first": f"{where}: {first.message}",
        },
        outcome=FAILURE,
    )


def _fail_import(record: ResellerImport, reference: str, what: str) -> None:
    record.status = rules.next_import_status(record.status, rules.ImportStatus.FAILED)
    record.failure_reference = reference
    record.finished_at = utcnow()
    record_event(
        "reseller_import.fail",
        actor=None,
        actor_label="reseller import",
        subject=("reseller_import", record.id),
        after={"provider": record.provider_id, "reference": reference, "what": what},
        outcome=FAILURE,
    )


def _last_reseller_certification(provider: Provider) -> Filing | None:
    """The latest compiled certification that counts for the §7.304(f) clock (one received
    before its window opened does not)."""
    return db.session.execute(
        select(Filing)
        .where(
            Filing.provider_id == provider.id,
            Filing.kind == rules.FilingKind.RESELLER_CERTIFICATION.value,
            or_(
                Filing.timeliness.is_(None), Filing.timeliness != clocks.Timeliness.TOO_EARLY.value
            ),
        )
        .order_by(Filing.received_on.desc(), Filing.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _store_reseller_certification(
    record: ResellerImport, check: rules.ResellerFileCheck, content: bytes
) -> Filing:
    """The filing, the file as received, the clock and the reseller list, all in the caller's
    transaction."""
    actor = _uploader(record)
    # Taken first, so that two imports for one provider write its list one after the other.
    provider = db.session.execute(
        select(Provider).where(Provider.id == record.provider_id).with_for_update()
    ).scalar_one()
    received_on = clocks.office_today(record.uploaded_at)
    previous = _last_reseller_certification(provider)
    previous_on = previous.received_on if previous else None
    verdict = rules.reseller_certification_timeliness(previous_on, received_on)
    # The file is kept byte for byte in a Document rather than in the filing's raw_payload: an
    # Excel workbook is binary, a 50,000-row file runs to tens of megabytes, and every list of
    # filings loads raw_payload. The filing keeps the file's SHA-256 (what was received) and a
    # compact JSON pointing to the Document.
    document = Document(
        filename=record.filename,
        content_type=rules.RESELLER_FILE_FORMATS[record.file_format],
        size_bytes=record.size_bytes,
        sha256=record.sha256,
        content=content,
        uploaded_at=record.uploaded_at,
        uploaded_by_id=record.uploaded_by_id,
    )
    db.session.add(document)
    db.session.flush()
    raw = {
        "kind": rules.FilingKind.RESELLER_CERTIFICATION.value,
        "document_id": document.id,
        "filename": record.filename,
        "format": record.file_format,
        "size_bytes": record.size_bytes,
        "sha256": record.sha256,
        "rows": len(check.rows),
    }
    filing = Filing(
        receipt_number=next_receipt_number(received_on.year),
        kind=rules.FilingKind.RESELLER_CERTIFICATION.value,
        provider_id=provider.id,
        channel="api" if record.api_token_id else "bulk",
        raw_payload=json.dumps(raw, ensure_ascii=False),
        payload_sha256=record.sha256,
        # What the file changed on the list, once the list is written below.
        data_json={},
        received_at=record.uploaded_at,
        received_on=received_on,
        keyed_by_id=record.uploaded_by_id,
        api_token_id=record.api_token_id,
        timeliness=verdict.value if verdict else None,
        rules_version=rules.RULES_VERSION,
    )
    db.session.add(filing)
    db.session.flush()
    # The list records the certification each reseller's CIP was certified in (§7.304(f)).
    changes = _upsert_resellers(provider.id, check.rows, received_on, filing.id)
    warnings = rules.reseller_certification_warnings(
        previous_on, received_on, left_out=changes.left_out
    )
    summary = {
        "filename": record.filename,
        "file_format": record.file_format,
        "reseller_count": len(check.rows),
        "added": changes.added,
        "updated": changes.updated,
        "unchanged": changes.unchanged,
        "jurisdictions": sorted({row["jurisdiction"] for row in check.rows}),
        "customer_count": sum(row["customer_count"] for row in check.rows),
        "unverified_account_count": sum(row["unverified_account_count"] for row in check.rows),
    }
    filing.data_json = summary
    filing.warnings_json = [warning.as_dict() for warning in warnings]
    if verdict is not clocks.Timeliness.TOO_EARLY:
        _restart_annual_clock(provider, filing, actor, clock_key=rules.RESELLER_CLOCK)
    record.status = rules.next_import_status(record.status, rules.ImportStatus.IMPORTED)
    record.rows_total = record.rows_done = len(check.rows)
    record.filing_id, record.document_id = filing.id, document.id
    record.row_results = exports.plain_csv_text(RESULTS_HEADER, changes.results)
    record.finished_at = utcnow()
    record_event(
        "filing.receive",
        actor=actor,
        actor_label=_system_label(record),
        subject=("filing", filing.receipt_number),
        after={
            "kind": filing.kind,
            "provider": provider.id,
            "channel": filing.channel,
            "sha256": filing.payload_sha256,
            "supersedes": None,
            "warnings": len(warnings),
        },
    )
    record_event(
        "reseller_import.import",
        actor=actor,
        actor_label=_system_label(record),
        subject=("reseller_import", record.id),
        after={
            "filing": filing.receipt_number,
            "rows": len(check.rows),
            "added": changes.added,
            "updated": changes.updated,
            "unchanged": changes.unchanged,
        },
    )
    # Other modules react in this transaction (special measures screen the resellers).
    signals.send(signals.reseller_certification_received, filing=filing, actor=actor)
    return filing


RESELLER_VALUE_COLUMNS = (
    "began_on",
    "ended_on",
    "status",
    "contact_name",
    "contact_title",
    "contact_email",
    "contact_phone",
)


def _reseller_values(row: dict[str, Any], received_on: date) -> dict[str, Any]:
    return {
        "began_on": row["relationship_began_on"],
        "ended_on": row["relationship_ended_on"],
        "status": rules.reseller_status(row["relationship_ended_on"], received_on),
        "contact_name": row["contact_name"],
        "contact_title": row["contact_title"],
        "contact_email": row["contact_email"],
        "contact_phone": row["contact_phone"],
    }


def _comparable(column: str, value: Any) -> Any:
    return email_key(value) if column == "contact_email" and value else value


def _reseller_changed(on_record: Any, values: dict[str, Any]) -> bool:
    """Whether a row changes what is on record; an email that differs only in case is the same
    address, and stays as first given."""
    return any(
        _comparable(name, getattr(on_record, name)) != _comparable(name, values[name])
        for name in RESELLER_VALUE_COLUMNS
    )


def _upsert_resellers(
    provider_id: int, rows: list[dict[str, Any]], received_on: date, filing_id: int
) -> ResellerChanges:
    """Add the file's new resellers and update those on record (matched by name and
    jurisdiction, §7.304(a)(2)(viii)) with executemany statements, so that 50,000 rows are a few
    round trips; every one in the file is marked as certified by the filing (§7.304(f))."""
    table = ForeignReseller.__table__
    by_key = reseller_registry.on_record(
        provider_id, *(name for name in RESELLER_VALUE_COLUMNS if name != "status")
    )
    inserts, updates, unchanged, in_file, results = [], [], [], set(), []
    for row in rows:
        key = rules.reseller_key(row["reseller_name"], row["jurisdiction"])
        in_file.add(key)
        values = _reseller_values(row, received_on)
        match = by_key.get(key)
        result = "unchanged"
        if match is None:
            result = "added"
            inserts.append(
                {
                    "provider_id": provider_id,
                    "name": row["reseller_name"],
                    "jurisdiction": row["jurisdiction"],
                    "certified_in_id": filing_id,
                    **values,
                }
            )
        elif _reseller_changed(match, values):
            result = "updated"
            updates.append({"target_id": match.id, **{f"new_{k}": v for k, v in values.items()}})
        else:
            unchanged.append({"target_id": match.id})
        results.append((row["row"], row["reseller_name"], row["jurisdiction"], result))
    if inserts:
        db.session.execute(insert(table), inserts)
    by_id = update(table).where(table.c.id == bindparam("target_id"))
    if updates:
        db.session.execute(
            by_id.values(
                {name: bindparam(f"new_{name}") for name in RESELLER_VALUE_COLUMNS}
                | {"certified_in_id": filing_id}
            ),
            updates,
        )
    if unchanged:
        db.session.execute(by_id.values(certified_in_id=filing_id), unchanged)
    exempt = reseller_registry.exempt_resellers(provider_id)
    # An exempt reseller is not expected in the certification (§7.306(e)).
    left_out = [
        f"{reseller.name} ({reseller.jurisdiction})"
        for key, reseller in by_key.items()
        if key not in in_file and reseller.status == "active" and reseller.id not in exempt
    ]
    return ResellerChanges(len(inserts), len(updates), len(unchanged), left_out, results)


# --- Downloads: each is a read the audit trail records, in the request's transaction ----------


def export_registry(today: date, *, actor: User) -> list[RegistryRow]:
    rows = registry(today)
    record_event("export.providers", actor=actor, after={"rows": len(rows)})
    return rows


def export_resellers(
    provider: Provider, criteria: ResellerCriteria, *, actor: User, filters: dict[str, str]
) -> list[ForeignReseller]:
    resellers = list(db.session.scalars(resellers_query(provider, criteria, sources=True)))
    record_event(
        "export.resellers",
        actor=actor,
        subject=("provider", provider.id),
        after={"rows": len(resellers), "filters": filters},
    )
    return resellers


def download_receipt(filing: Filing, *, actor: User | None, token: ApiToken | None = None) -> None:
    """The acknowledgement of receipt handed to staff (``actor``) or to the provider's system
    (``token``)."""
    record_event(
        "export.receipt",
        actor=actor,
        actor_label=f"api token {token.label}" if token else None,
        subject=("filing", filing.receipt_number),
    )


def download_document(document: Document, *, actor: User) -> Document:
    record_event("export.document", actor=actor, subject=("document", document.id))
    return document


def download_import_report(record: ResellerImport, report: str, *, actor: User) -> str | None:
    """One of an import's CSV reports: ``errors`` for a rejected file, ``results`` for an
    imported one; None if the import has no such report."""
    text = record.error_report if report == "errors" else record.row_results
    if not text:
        return None
    record_event(
        f"export.reseller_import_{report}",
        actor=actor,
        subject=("reseller_import", record.id),
        after={"problems": record.error_count, "rows": record.rows_total},
    )
    return text


def download_reseller_template(file_format: str, *, actor: User) -> None:
    record_event("export.reseller_template", actor=actor, after={"format": file_format})
