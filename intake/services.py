"""Intake use cases: providers, receiving filings, receipts, requests (the registry, as a list,
is intake.registry)."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, selectinload

from core import clocks, control_characters, counters, crypto, documents, hooks, signals
from core.audit.services import record_event
from core.auth.models import User
from core.db import db, utcnow
from core.deadlines import services as deadlines
from core.deadlines.models import Deadline
from core.errors import DomainError, IllegalTransition
from core.schema import Problem, validate
from core.urls import parse_record_id
from intake import kinds, notices, rules
from intake.ai import services as ai_services
from intake.correspondence import requests as sent_requests
from intake.models import (
    ApiToken,
    DepartmentRequest,
    Document,
    Filing,
    ForeignReseller,
    Provider,
    audit_label_of,
)
from intake.registry import ANNUAL_CLOCK
from intake.resellers import registry as reseller_registry


class FilingRejected(DomainError):
    """The filing has errors; nothing was stored."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems))


class IdempotencyConflict(DomainError):
    """The same Idempotency-Key was used before with a different payload."""


# --- Providers --------------------------------------------------------------------------------


def with_provider(query: Select[Any], model: Any) -> Select[Any]:
    """A list of a case module's records joined to each one's provider, loaded with it, so that
    the list sorts by ``PROVIDER_NAME`` in SQL."""
    return query.join(model.provider).options(contains_eager(model.provider))


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
    certifying = [spec.kind.value for spec in kinds.KINDS.values() if spec.certifies_cip]
    candidates = db.session.execute(
        select(Filing)
        .where(
            Filing.provider_id == provider.id,
            Filing.kind.in_(certifying),
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
    provider: Provider, submission: Submission, spec: kinds.KindSpec
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
        spec = kinds.kind_spec(submission.kind)
    except kinds.UnknownKind as error:
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
    # Lateness, certification and unverified accounts are read from filings (§7.305(d)(2)).
    signals.send(signals.provider_facts_changed, provider_ids=[filing.provider_id])
    if spec.is_ai_report:
        parties = ai_services.on_report_received(
            filing, cleaned, clock_start_on=facts.report_clock_start_on, actor=actor
        )
        signals.send(signals.ai_report_received, filing=filing, actor=actor, parties=parties)
    if spec.certifies_cip and verdict is not clocks.Timeliness.TOO_EARLY and superseded is None:
        restart_annual_clock(provider, filing, actor)
        # The latest day, whatever order filings are keyed in with their days of receipt.
        provider.last_certified_on = max(
            filter(None, (provider.last_certified_on, filing.received_on))
        )
    record_event(
        "filing.receive",
        actor=actor,
        actor_label=audit_label_of(token),
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
    notices.filing_received(filing, actor)
    return Received(filing, created=True)


def _registry_follows(
    provider: Provider, filing: Filing, data: dict[str, Any], actor: User | None
) -> None:
    """Keep the registry as the latest filing says (§7.304(a)(1)(vi), (a)(2)(viii), (c))."""
    if "foreign_resellers" in data:
        reseller_registry.enter_listed(provider, filing, data["foreign_resellers"], actor)
    before = _contact_of(provider)
    if filing.kind == kinds.FilingKind.IRREGULAR_UPDATE:
        change = data["change_type"]
        if change == kinds.ChangeType.PRIMARY_CONTACT:
            _set_contact(provider, data, "new_contact")
        elif change == kinds.ChangeType.RESELLER_PRIMARY_CONTACT:
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
    if data.get("change_type") != kinds.ChangeType.RESELLER_PRIMARY_CONTACT:
        return None
    name = data.get("reseller_name") or ""
    return None if _reseller_named(provider, name) else name


def _set_reseller_contact(provider: Provider, data: dict[str, Any]) -> None:
    if (reseller := _reseller_named(provider, data["reseller_name"])) is not None:
        _set_contact(reseller, data, "new_contact")


def restart_annual_clock(
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
    today: date | None = None,
    note: str = "",
    sent_by_hand: bool = False,
) -> DepartmentRequest:
    """Ask for a copy of the provider's CIP (§7.305(a)) or of one of its foreign resellers'
    (§7.303(d)): the request is a letter sent to the provider's contact, and its 10-day clock
    starts when it is sent; ``sent_by_hand`` records a letter sent already by another means on
    ``requested_on``."""
    if reseller is not None and reseller.provider_id != provider.id:
        raise DomainError("That foreign reseller belongs to another provider.")
    waivers = hooks.waivers_for(provider.id)
    if waiver := hooks.copy_request_waived(waivers, reseller.id if reseller else None):
        raise DomainError(
            f"No copy is owed on request: {waiver.reason}, and the exemption lifts "
            + ("§7.303 for that foreign reseller." if reseller else "§7.305, §7.305(a) with it.")
        )
    kind = "reseller_cip_copy" if reseller else "cip_copy"
    department_request = DepartmentRequest(
        kind=kind,
        provider_id=provider.id,
        reseller_id=reseller.id if reseller else None,
        requested_on=requested_on,
        requested_by_id=actor.id,
        note=note.strip() or None,
    )
    db.session.add(department_request)
    db.session.flush()
    record_event(
        "request.open",
        actor=actor,
        subject=("department_request", department_request.id),
        after={"kind": kind, "provider": provider.id, "requested_on": requested_on},
    )
    sent_requests.send_request(
        department_request, actor=actor, today=today or clocks.office_today(),
        sent_by_hand_on=requested_on if sent_by_hand else None,
        note="Recorded with the request" if sent_by_hand else "",
    )  # fmt: skip
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


def store_document(filename: str, content: bytes, *, actor: User | None) -> Document:
    """Keep a checked document with its SHA-256 (call document_problems first)."""
    document = Document(uploaded_by_id=actor.id if actor else None)
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
    actor: User | None,
    token: ApiToken | None = None,
) -> Document:
    """Store the CIP copy that answers a request and meet its clock; from an analyst
    (``actor``) or the provider's system (``token``)."""
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
    # A request answered before its letter was recorded as sent has no clock to meet.
    if department_request.deadline is not None:
        deadlines.meet_deadline(
            department_request.deadline,
            met_on=responded_on,
            actor=actor,
            note=f"CIP copy received: {document.filename}",
        )
    record_event(
        "request.response",
        actor=actor,
        actor_label=audit_label_of(token),
        subject=("department_request", department_request.id),
        after={"document": document.filename, "sha256": document.sha256, "on": responded_on},
    )
    notices.request_answered(department_request, actor)
    return document


# --- Downloads: each is a read the audit trail records, in the request's transaction ----------


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
        actor_label=audit_label_of(token),
        subject=("filing", filing.receipt_number),
    )


def download_document(document: Document, *, actor: User) -> Document:
    record_event("export.document", actor=actor, subject=("document", document.id))
    return document
