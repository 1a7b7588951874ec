"""Intake use cases: the provider registry, receiving filings, receipts, requests."""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core import clocks, crypto
from core.audit.services import record_event
from core.auth.models import User
from core.db import db, utcnow
from core.deadlines import services as deadlines
from core.deadlines.models import Deadline
from core.errors import DomainError
from core.schema import Problem, validate
from intake import rules
from intake.models import (
    ApiToken,
    DepartmentRequest,
    Document,
    Filing,
    ForeignReseller,
    Provider,
    ReceiptCounter,
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
        business_names_text="\n".join(values["business_names"]),
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
    """The next receipt number of ``year``: OICTS-2026-000042. The counter row is incremented in
    one UPDATE ... RETURNING, which the database serialises, so concurrent filings never share
    or skip a number, and a number is never reused."""
    dialect = db.session.get_bind().dialect.name
    make_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        make_insert(ReceiptCounter)
        .values(year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    number = db.session.execute(
        update(ReceiptCounter)
        .where(ReceiptCounter.year == year)
        .values(last_number=ReceiptCounter.last_number + 1)
        .returning(ReceiptCounter.last_number)
    ).scalar_one()
    return f"OICTS-{year}-{number:06d}"


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
    superseded, not received before its window opened)."""
    kinds = [spec.kind.value for spec in rules.KINDS.values() if spec.certifies_cip]
    superseded = _superseded_ids(provider.id)
    candidates = db.session.execute(
        select(Filing)
        .where(Filing.provider_id == provider.id, Filing.kind.in_(kinds))
        .order_by(Filing.received_on.desc(), Filing.id.desc())
    ).scalars()
    for filing in candidates:
        if filing.id in superseded or (excluding is not None and filing.id == excluding.id):
            continue
        if filing.timeliness == clocks.Timeliness.TOO_EARLY.value:
            continue
        return filing
    return None


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
    if json.loads(earlier.raw_payload) != json.loads(submission.raw):
        raise IdempotencyConflict(
            f"Idempotency-Key {submission.idempotency_key!r} was already used for receipt "
            f"{earlier.receipt_number} with different content"
        )
    return earlier


def _superseded_filing(provider: Provider, submission: Submission) -> Filing | None:
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
    if earlier.kind != submission.kind:
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
    superseded = _superseded_filing(provider, submission)
    previous = last_certification(provider, excluding=superseded)
    facts = rules.FilingFacts(
        received_on=received_on,
        previous_certification_on=previous.received_on if previous else None,
        first_foreign_account_on=provider.first_foreign_account_on,
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
    filing = Filing(
        receipt_number=next_receipt_number(received_on.year),
        kind=spec.kind.value,
        provider_id=provider.id,
        channel=submission.channel,
        raw_payload=submission.raw,
        payload_sha256=hashlib.sha256(submission.raw.encode("utf-8")).hexdigest(),
        data_json=json.dumps(cleaned, ensure_ascii=False),
        received_at=received_at,
        received_on=received_on,
        keyed_by_id=actor.id if actor else None,
        api_token_id=token.id if token else None,
        idempotency_key=submission.idempotency_key,
        supersedes_id=superseded.id if superseded else None,
        warnings_json=json.dumps([w.as_dict() for w in rules.warnings(spec.kind, facts)]),
        timeliness=verdict.value if verdict else None,
        rules_version=rules.RULES_VERSION,
    )
    db.session.add(filing)
    db.session.flush()
    _registry_follows(provider, spec.kind, cleaned, actor)
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
    provider: Provider, kind: rules.FilingKind, data: dict[str, Any], actor: User | None
) -> None:
    """Keep the registry as the latest filing says (§7.304(a)(1)(vi), §7.304(c))."""
    before = _contact_of(provider)
    if kind is rules.FilingKind.IRREGULAR_UPDATE:
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


def _set_reseller_contact(provider: Provider, data: dict[str, Any]) -> None:
    name = data["reseller_name"].casefold()
    for reseller in provider.resellers:
        if reseller.name.casefold() == name:
            _set_contact(reseller, data, "new_contact")


def _restart_annual_clock(provider: Provider, filing: Filing, actor: User | None) -> None:
    """A certification meets the open annual clock and starts the next one (§7.304(b))."""
    open_clocks = db.session.execute(
        select(Deadline).where(
            Deadline.clock_key == ANNUAL_CLOCK,
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
        ANNUAL_CLOCK,
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


def registry(today: date) -> list[RegistryRow]:
    """Every provider with where it stands on its annual certification, in one query."""
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
    rows = db.session.execute(
        select(Provider, last_certified.c.last_on)
        .outerjoin(last_certified, last_certified.c.provider_id == Provider.id)
        .order_by(Provider.legal_name)
    ).all()
    return [
        RegistryRow(
            provider=provider,
            last_certified_on=last_on,
            status=rules.certification_status(last_on, today),
            next_due_on=clocks.due(ANNUAL_CLOCK, last_on) if last_on else None,
        )
        for provider, last_on in rows
    ]


# --- API tokens for providers' systems ---------------------------------------------------------

TOKEN_PREFIX = "oicts_"  # noqa: S105 (marks a token so that leaked ones are easy to spot)


def issue_token(provider: Provider, *, label: str, actor: User) -> tuple[ApiToken, str]:
    """A new bearer token; the plaintext is returned once and only its hash is kept."""
    label = label.strip()
    if not label:
        raise FilingRejected([Problem("label", "Name the system that will use the token.", "")])
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


def _zip_names(content: bytes) -> frozenset[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return frozenset(archive.namelist())
    except zipfile.BadZipFile:
        return frozenset()


def record_response(
    department_request: DepartmentRequest,
    *,
    filename: str,
    content: bytes,
    responded_on: date,
    actor: User,
) -> Document:
    """Store the CIP copy that answers a request and meet its clock."""
    problems = []
    if department_request.responded_on is not None:
        problems.append("This request was already answered.")
    if not content:
        problems.append("The file is empty.")
    elif len(content) > rules.MAX_DOCUMENT_BYTES:
        limit = rules.MAX_DOCUMENT_BYTES // (1024 * 1024)
        problems.append(f"The file is larger than {limit} MB.")
    kind = rules.document_type(filename, content[:8], _zip_names(content)) if content else None
    if content and kind is None:
        problems.append("Upload the CIP as a PDF or a Word (.docx) document.")
    if responded_on < department_request.requested_on:
        problems.append("The response cannot be dated before the request.")
    if problems:
        raise DomainError(" ".join(problems))
    document = Document(
        filename=filename[:255],
        content_type=rules.DOCUMENT_TYPES[kind],
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=actor.id,
    )
    db.session.add(document)
    db.session.flush()
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
