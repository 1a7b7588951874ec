"""The provider registry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from core.auth.models import User
from core.db import ENCRYPTED, JSONDocument, UTCDateTime, coded, db, utcnow
from core.deadlines.models import Deadline
from core.documents import StoredDocument
from core.search.rules import search_column
from intake.ai.ip_log import IpLogStatus
from intake.kinds import AccessAction, Channel, IdentifierKind
from intake.resellers.rules import ImportStatus, ResellerStatus
from intake.rules import RequestKind

# The folded names the search box compares (core.search.rules.search_column; docs/architecture.md
# §14), worked out from the row's own names when it is inserted, by the ORM or by the bulk
# statements of a reseller import alike, and again when the ORM changes a name.
PROVIDER_SEARCH_CHARS = 1000
RESELLER_SEARCH_CHARS = 300


def provider_search_name(legal_name: str, business_names: list[str] | None) -> str:
    return search_column([legal_name, *(business_names or [])], limit=PROVIDER_SEARCH_CHARS)


def reseller_search_name(name: str) -> str:
    return search_column([name], limit=RESELLER_SEARCH_CHARS)


def _inserted_provider_names(context: DefaultExecutionContext) -> str:
    row = context.get_current_parameters()
    return provider_search_name(row.get("legal_name") or "", row.get("business_names"))


def _inserted_reseller_names(context: DefaultExecutionContext) -> str:
    return reseller_search_name(context.get_current_parameters().get("name") or "")


class Provider(db.Model):
    """A U.S. IaaS provider (§7.301), with its Primary Contact (§7.304(a)(1)(vi))."""

    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(200), unique=True)
    # Every name the provider does business under, one per line (§7.304(a)(1)(i)).
    business_names: Mapped[list[str]] = mapped_column(JSONDocument, default=lambda: [])
    search_name: Mapped[str] = mapped_column(
        String(PROVIDER_SEARCH_CHARS), default=_inserted_provider_names, index=True
    )
    street_address: Mapped[str] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(2))
    postal_code: Mapped[str] = mapped_column(String(10))
    # A U.S. reseller of another provider's U.S. IaaS products (§7.302(b)).
    is_us_reseller: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_title: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    # E.164 with any extension after ";ext=" (core.schema.check_phone).
    contact_phone: Mapped[str] = mapped_column(String(50))
    # When it first furnished an account to a foreign customer (§7.304(d)).
    first_foreign_account_on: Mapped[date | None] = mapped_column(Date)
    # The day of its last annual certification (§7.304(b)), kept as each certifying filing is
    # received, so that the registry filters and sorts by status on an index
    # (intake.registry.recount_last_certified is its definition; docs/architecture.md §13).
    last_certified_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    resellers: Mapped[list[ForeignReseller]] = relationship(
        back_populates="provider", order_by="ForeignReseller.name"
    )

    @property
    def letter_address(self) -> list[str]:
        """The lines a letter to the provider is addressed with: its contact, then the firm."""
        return [
            self.contact_name,
            self.contact_title,
            self.legal_name,
            self.street_address,
            f"{self.city}, {self.state} {self.postal_code}",
        ]


class ForeignReseller(db.Model):
    """A foreign reseller of the provider's U.S. IaaS products (§7.303)."""

    __tablename__ = "foreign_resellers"
    __table_args__ = (UniqueConstraint("provider_id", "name", "jurisdiction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    search_name: Mapped[str] = mapped_column(
        String(RESELLER_SEARCH_CHARS), default=_inserted_reseller_names, index=True
    )
    jurisdiction: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    status: Mapped[ResellerStatus] = mapped_column(
        coded(ResellerStatus, constraint="status_known", length=20), default=ResellerStatus.ACTIVE
    )
    began_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_title: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(50))
    # Where the entry comes from: the latest CIP certification whose list of foreign resellers
    # names it (§7.304(a)(2)(viii)), and the latest compiled certification that certifies its
    # CIP (§7.304(f)). Listed but not yet certified, its CIP certification is still owed.
    listed_in_id: Mapped[int | None] = mapped_column(ForeignKey("filings.id"))
    certified_in_id: Mapped[int | None] = mapped_column(ForeignKey("filings.id"))

    provider: Mapped[Provider] = relationship(back_populates="resellers")
    listed_in: Mapped[Filing | None] = relationship(foreign_keys=[listed_in_id])
    certified_in: Mapped[Filing | None] = relationship(foreign_keys=[certified_in_id])


@event.listens_for(Provider, "before_update")
def _renamed_provider(_mapper: object, _connection: object, provider: Provider) -> None:
    provider.search_name = provider_search_name(provider.legal_name, provider.business_names)


@event.listens_for(ForeignReseller, "before_update")
def _renamed_reseller(_mapper: object, _connection: object, reseller: ForeignReseller) -> None:
    reseller.search_name = reseller_search_name(reseller.name)


class Filing(db.Model):
    """A filing exactly as received: never edited; a correction is a new filing
    (docs/architecture.md §3)."""

    __tablename__ = "filings"
    __table_args__ = (
        UniqueConstraint("provider_id", "idempotency_key", name="one_filing_per_key"),
        CheckConstraint(
            "warning_count = coalesce(json_array_length(warnings_json), 0)",
            name="warning_count_counts_warnings",
        ),
        # The inbox's filters, so that it counts what they select from the index alone.
        Index("ix_filings_inbox_filters", "kind", "timeliness", "warning_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_number: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    channel: Mapped[Channel] = mapped_column(coded(Channel, constraint="channel_known", length=10))
    # The body exactly as it arrived (for the web, the form's fields as JSON) and its SHA-256.
    # Encrypted when it carries payment identifiers (an AI training report, §7.308(d)(1)(i)(C)):
    # see intake.services.received_payload.
    raw_payload: Mapped[str] = mapped_column(
        Text, info={**ENCRYPTED, "encrypted_when": "raw_encrypted"}
    )
    raw_encrypted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    payload_sha256: Mapped[str] = mapped_column(String(64))
    # The same content after validation (trimmed text, E.164 phones, ISO dates), for display.
    data_json: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    received_on: Mapped[date] = mapped_column(Date)  # the office's calendar day of receipt
    keyed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("filings.id"), unique=True)
    warnings_json: Mapped[list[dict[str, str]]] = mapped_column(JSONDocument, default=lambda: [])
    # How many warnings it has, kept beside them (the check holds them equal), so that the
    # inbox filters and sorts by it without reading every filing's warnings.
    warning_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    timeliness: Mapped[str | None] = mapped_column(String(20))
    rules_version: Mapped[str] = mapped_column(String(20))

    provider: Mapped[Provider] = relationship()
    supersedes: Mapped[Filing | None] = relationship(remote_side=[id], foreign_keys=[supersedes_id])
    keyed_by: Mapped[User | None] = relationship(foreign_keys=[keyed_by_id])

    @property
    def data(self) -> dict[str, Any]:
        return self.data_json

    @property
    def warnings(self) -> list[dict[str, str]]:
        return self.warnings_json

    @validates("warnings_json")
    def _counted(self, _key: str, warnings: list[dict[str, str]]) -> list[dict[str, str]]:
        self.warning_count = len(warnings or [])
        return warnings


class Document(StoredDocument, db.Model):
    """An uploaded document (a CIP copy answering a request), kept with its hash."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class DepartmentRequest(db.Model):
    """A request to a provider: for a copy of a CIP, the provider's (§7.305(a)) or a foreign
    reseller's (§7.303(d)), or for additional information about a training report (§7.308(e)).
    Its clock is a Deadline, opened when the request is sent (the rule counts from receipt), so
    none until then."""

    __tablename__ = "department_requests"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'reseller_cip_copy') = (reseller_id IS NOT NULL)", name="reseller_when_needed"
        ),
        CheckConstraint(
            "(kind = 'ai_additional_information') = (filing_id IS NOT NULL)",
            name="report_when_needed",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(
        coded(RequestKind, constraint="kind_known", length=30)
    )
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    reseller_id: Mapped[int | None] = mapped_column(ForeignKey("foreign_resellers.id"))
    requested_on: Mapped[date] = mapped_column(Date)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    responded_on: Mapped[date | None] = mapped_column(Date)
    response_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # A request for additional information about an AI training report (§7.308(e)), met by a
    # follow-up report (§7.308(c)(3)).
    filing_id: Mapped[int | None] = mapped_column(ForeignKey("filings.id"), index=True)
    response_filing_id: Mapped[int | None] = mapped_column(ForeignKey("filings.id"))

    provider: Mapped[Provider] = relationship()
    reseller: Mapped[ForeignReseller | None] = relationship()
    deadline: Mapped[Deadline | None] = relationship()
    response_document: Mapped[Document | None] = relationship()
    filing: Mapped[Filing | None] = relationship(foreign_keys=[filing_id])
    response_filing: Mapped[Filing | None] = relationship(foreign_keys=[response_filing_id])


class ApiToken(db.Model):
    """A provider system's bearer token; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(String(8))  # the last characters, to recognise it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    provider: Mapped[Provider] = relationship()


def audit_label_of(token: ApiToken | None) -> str | None:
    """Who an audit event names when a provider's system acted through ``token``."""
    return f"api token {token.label}" if token else None


class ResellerImport(db.Model):
    """One upload of a compiled foreign-reseller certification (§7.304(f)) and how far its
    import got. A rejected file leaves only this row and its error report: the file itself, the
    filing and the reseller list are written together or not at all (docs/architecture.md §3)."""

    __tablename__ = "reseller_imports"
    __table_args__ = (
        CheckConstraint("(status = 'imported') = (filing_id IS NOT NULL)", name="filing_on_import"),
        # An analyst's upload, or a provider system's by API: one or the other.
        CheckConstraint("(uploaded_by_id IS NULL) != (api_token_id IS NULL)", name="one_uploader"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))
    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(10))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[ImportStatus] = mapped_column(
        coded(ImportStatus, constraint="status_known", length=20), default=ImportStatus.QUEUED
    )
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # The row-by-row report (CSV: row, column, value, message, citation), values as they are:
    # its page and the API show them; the download neutralises them for a spreadsheet.
    error_report: Mapped[str | None] = mapped_column(Text)
    # An imported file's result for each row (CSV: row, reseller_name, jurisdiction, result),
    # as well as for the whole file (docs/architecture.md §3).
    row_results: Mapped[str | None] = mapped_column(Text)
    failure_reference: Mapped[str | None] = mapped_column(String(16))
    filing_id: Mapped[int | None] = mapped_column(ForeignKey("filings.id"), unique=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # When the file arrived: the filing's time of receipt, whenever the import finishes.
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    provider: Mapped[Provider] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    api_token: Mapped[ApiToken | None] = relationship()
    filing: Mapped[Filing | None] = relationship()
    document: Mapped[Document | None] = relationship()


class ReportIdentifier(db.Model):
    """One name, email, telephone number or payment identifier in an AI training report
    (§7.308(d)(1)(i)), indexed for the question "where else does this appear?".

    ``match_key`` is the normalised value, except for payment identifiers, whose match key is a
    keyed hash and whose value is kept only encrypted (docs/architecture.md §8).
    """

    __tablename__ = "report_identifiers"
    __table_args__ = (
        CheckConstraint("(kind IN ('payment', 'wallet')) = (ciphertext IS NOT NULL)",
                        name="payments_encrypted"),
        Index("ix_report_identifiers_kind_match_key", "kind", "match_key"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id"))
    kind: Mapped[IdentifierKind] = mapped_column(
        coded(IdentifierKind, constraint="kind_known", length=10)
    )
    # Where in the report: "emails[0]", "payment_methods[1].identifier".
    path: Mapped[str] = mapped_column(String(80))
    # What the payment information is (card, account, wallet …) for a payment identifier.
    detail: Mapped[str | None] = mapped_column(String(30))
    match_key: Mapped[str] = mapped_column(String(300))
    shown_as: Mapped[str] = mapped_column(String(300))
    ciphertext: Mapped[str | None] = mapped_column(Text, info=ENCRYPTED)

    filing: Mapped[Filing] = relationship()


class IpLogAttachment(db.Model):
    """A CSV log of IP addresses attached to an AI training report (§7.308(d)(1)(i)(F)). The
    request that receives it stores this row and a job that checks and stores the log; once
    attached, the log is kept byte for byte as a Document and its rows are in ip_accesses. A
    rejected log leaves only this row and its problems (docs/architecture.md §3)."""

    __tablename__ = "ip_log_attachments"
    __table_args__ = (
        CheckConstraint(
            "(status = 'attached') = (document_id IS NOT NULL)", name="document_when_attached"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), index=True)
    status: Mapped[IpLogStatus] = mapped_column(
        coded(IpLogStatus, constraint="status_known", length=12), default=IpLogStatus.QUEUED
    )
    filename: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # Data rows read by the check, and rows stored (every one, or none).
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    problem_count: Mapped[int] = mapped_column(Integer, default=0)
    # A rejected log's first problems (row, column, value, message, citation), as its page and
    # the API show them.
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONDocument)
    failure_reference: Mapped[str | None] = mapped_column(String(16))
    # When the log was received, which is when it counts as filed, however long its check.
    attached_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attached_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id"))

    filing: Mapped[Filing] = relationship()
    document: Mapped[Document | None] = relationship()
    attached_by: Mapped[User | None] = relationship()
    api_token: Mapped[ApiToken | None] = relationship()


class IpAccess(db.Model):
    """One access or administrative action from an IP address, with its time (UTC) and the UTC
    offset the filer wrote, kept as evidence (§7.308(d)(1)(i)(F); docs/architecture.md §10).

    ``ip_key`` is the address as 32 hex digits (IPv4 mapped into IPv6), so that one B-tree index
    answers an exact address and a CIDR range on SQLite and PostgreSQL alike."""

    __tablename__ = "ip_accesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The provider is the filing's: not repeated on a million rows, whose every foreign key
    # costs the bulk load time (benchmarks/ip_search.py).
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), index=True)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("ip_log_attachments.id"))
    ip_key: Mapped[str] = mapped_column(String(32), index=True)
    ip_address: Mapped[str] = mapped_column(String(45))
    accessed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    utc_offset_minutes: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[AccessAction] = mapped_column(
        coded(AccessAction, constraint="action_known", length=15)
    )


class Accelerator(db.Model):
    """An AI accelerator's peak dense throughput, from its maker's published figures, for judging
    whether a reported compute estimate is plausible (§7.308(d)(1)(ii)(A), (C)). Administrators
    keep the catalogue; each change is audited."""

    __tablename__ = "accelerators"

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(String(120), unique=True)
    vendor: Mapped[str] = mapped_column(String(80))
    peak_dense_ops_per_second: Mapped[float] = mapped_column(Float)
    number_format: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AcceleratorChoice(db.Model):
    """The catalogue entry an analyst confirmed for the accelerator a training report names when
    the name is not the catalogue's own ("NVIDIA H200" for "H200 SXM"), so that the compute
    estimate is checked against that hardware (§7.308(d)(1)(ii)(A)). The report stays as filed."""

    __tablename__ = "accelerator_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id"), unique=True)
    accelerator_id: Mapped[int] = mapped_column(ForeignKey("accelerators.id"))
    # The name as the report gives it, so that the choice reads on its own in the record.
    reported_model: Mapped[str] = mapped_column(String(120))
    chosen_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    accelerator: Mapped[Accelerator] = relationship()
    chosen_by: Mapped[User] = relationship()
