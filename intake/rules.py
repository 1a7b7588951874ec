"""What each kind of filing must contain (§7.304), how it is checked, and how it is judged for
timeliness. Pure: takes the facts as arguments, reads neither the clock nor the database."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from core import clocks
from core.schema import Field, Kind, Problem, Result, validate

# Named on every receipt, so that a filing can be re-judged by the rules that accepted it.
RULES_VERSION = "2026.11-1"

L = Kind.LONG_TEXT


def _contact_fields(prefix: str, citation: str, *, required: bool = True) -> tuple[Field, ...]:
    return (
        Field(f"{prefix}_name", "Primary Contact's name", Kind.TEXT, citation, required),
        Field(f"{prefix}_title", "Primary Contact's title", Kind.TEXT, citation, required),
        Field(f"{prefix}_email", "Primary Contact's email", Kind.EMAIL, citation, required),
        Field(f"{prefix}_phone", "Primary Contact's telephone", Kind.PHONE, citation, required),
    )


UNVERIFIED_ACCOUNT_COLUMNS = (
    Field("customer_reference", "Customer or account reference", Kind.TEXT, "§7.304(a)(2)(ix)"),
    Field("provisioned_on", "Date the account was provisioned", Kind.DATE, "§7.304(a)(2)(ix)(A)"),
    Field("verification_plan", "Actions and timeline to verify identity", L, "§7.304(a)(2)(ix)(B)"),
    Field(
        "account_information",
        "Other information on the nature of the account",
        L,
        "§7.304(a)(2)(ix)(C)",
        required=False,
    ),
    Field(
        "deprovision_on",
        "Date the account will be deprovisioned if still unverified",
        Kind.DATE,
        "§7.304(a)(2)(ix)(D)",
    ),
    Field(
        "reestablishment_prevention",
        "Steps so the person cannot re-establish new accounts",
        L,
        "§7.304(a)(2)(ix)(E)",
    ),
)

CERTIFICATION_FIELDS: tuple[Field, ...] = (
    Field("verification_tools", "How the identity of foreign persons is verified", L,
          "§7.304(a)(1)(i)"),
    Field("ownership_change_procedures",
          "How customers must report ownership changes, and ongoing verification", L,
          "§7.304(a)(1)(ii)"),
    Field("malicious_activity_detection", "Tools used to detect malicious cyber activity", L,
          "§7.304(a)(1)(iii)"),
    Field("reseller_cip_procedures", "How each foreign reseller is required to keep a CIP", L,
          "§7.304(a)(1)(iv)"),
    Field("large_ai_training_procedures",
          "How a foreign person's training of a large AI model is identified", L,
          "§7.304(a)(1)(v)"),
    *_contact_fields("primary_contact", "§7.304(a)(1)(vi)"),
    Field("foreign_offerings", "Service offerings and customer bases in foreign jurisdictions",
          L, "§7.304(a)(2)(i)"),
    Field("employee_count", "Employees in IaaS provision and related services", Kind.INTEGER,
          "§7.304(a)(2)(ii)"),
    Field("detection_tools_usage", "Tools to detect malicious cyber-enabled activity, and how "
          "they are used", L, "§7.304(a)(2)(iii)"),
    Field("training_run_detection", "Tools to detect a training run of a large AI model", L,
          "§7.304(a)(2)(iv)"),
    Field("reporting_process", "How suspected malicious cyber activity is reported to "
          "authorities", L, "§7.304(a)(2)(v)"),
    Field("customer_count", "Number of IaaS customers", Kind.INTEGER, "§7.304(a)(2)(vi)"),
    Field("foreign_beneficial_owner_count", "Number of foreign beneficial owners", Kind.INTEGER,
          "§7.304(a)(2)(vii)"),
    Field("foreign_beneficial_owner_locations", "Locations of foreign beneficial owners",
          Kind.TEXT_LIST, "§7.304(a)(2)(vii)", required=False),
    Field("foreign_resellers", "All foreign resellers of the provider's IaaS products",
          Kind.TABLE, "§7.304(a)(2)(viii)", required=False,
          columns=(
              Field("name", "Reseller's name", Kind.TEXT, "§7.304(a)(2)(viii)"),
              Field("jurisdiction", "Reseller's jurisdiction (ISO 3166)", Kind.COUNTRY,
                    "§7.304(a)(2)(viii)"),
          )),
    Field("unverified_account_count", "Foreign customer accounts whose identity is not "
          "verified", Kind.INTEGER, "§7.304(a)(2)(ix)"),
    Field("unverified_accounts", "Each unverified foreign customer's accounts", Kind.TABLE,
          "§7.304(a)(2)(ix)", required=False, columns=UNVERIFIED_ACCOUNT_COLUMNS),
    Field("attest_cip_meets_7302", "The written CIP meets the standards of §7.302",
          Kind.ATTESTATION, "§7.304(a)(3)"),
)  # fmt: skip

ANNUAL_FIELDS: tuple[Field, ...] = (
    *CERTIFICATION_FIELDS,
    Field("attest_reviewed", "Reviewed its CIP since the last certification", Kind.ATTESTATION,
          "§7.304(b)(1)"),
    Field("attest_updated_offerings", "Updated its CIP for changes in service offerings",
          Kind.ATTESTATION, "§7.304(b)(2)"),
    Field("attest_updated_threats", "Updated its CIP for changes in the threat landscape",
          Kind.ATTESTATION, "§7.304(b)(3)"),
    Field("attest_complies", "Ensured its CIP complies with subpart D", Kind.ATTESTATION,
          "§7.304(b)(4)"),
    Field("attest_tracked_failures", "Tracked each time it could not verify a customer",
          Kind.ATTESTATION, "§7.304(b)(5)"),
    Field("attest_recorded_resolutions", "Recorded the resolution of each such case",
          Kind.ATTESTATION, "§7.304(b)(6)"),
    Field("failed_verification_count", "Times the identity of a customer could not be verified",
          Kind.INTEGER, "§7.304(b)(5)"),
    Field("failed_verification_resolutions", "Resolution of each failed verification",
          Kind.TABLE, "§7.304(b)(6)", required=False,
          columns=(
              Field("customer_reference", "Customer or account reference", Kind.TEXT,
                    "§7.304(b)(6)"),
              Field("resolution", "How it was resolved", L, "§7.304(b)(6)"),
          )),
)  # fmt: skip


class ChangeType(enum.StrEnum):
    OPERATIONS_OR_STRUCTURE = "operations_or_structure"
    MATERIAL_CIP_CHANGE = "material_cip_change"
    PRIMARY_CONTACT = "primary_contact"
    RESELLER_PRIMARY_CONTACT = "reseller_primary_contact"


CHANGE_TYPE_LABELS = {
    ChangeType.OPERATIONS_OR_STRUCTURE: "Significant change in business operations or "
    "corporate structure",
    ChangeType.MATERIAL_CIP_CHANGE: "Material change to the CIP (e.g. verification methods, "
    "handling of unverified accounts)",
    ChangeType.PRIMARY_CONTACT: "Change of the provider's Primary Contact",
    ChangeType.RESELLER_PRIMARY_CONTACT: "Change of a foreign reseller's Primary Contact",
}

IRREGULAR_UPDATE_FIELDS: tuple[Field, ...] = (
    Field("change_type", "What changed", Kind.CHOICE, "§7.304(c)",
          choices=tuple((key.value, label) for key, label in CHANGE_TYPE_LABELS.items())),
    Field("description", "Description of the change", L, "§7.304(c)"),
    Field("effective_on", "Date the change took effect", Kind.DATE, "§7.304(c)"),
    Field("reseller_name", "Foreign reseller concerned", Kind.TEXT, "§7.304(c)",
          required=False),
    *_contact_fields("new_contact", "§7.304(c)", required=False),
)  # fmt: skip


class FilingKind(enum.StrEnum):
    CIP_CERTIFICATION = "cip_certification"
    ANNUAL_CERTIFICATION = "annual_certification"
    IRREGULAR_UPDATE = "irregular_update"
    NEW_PROVIDER_CERTIFICATION = "new_provider_certification"


@dataclass(frozen=True)
class KindSpec:
    kind: FilingKind
    title: str
    citation: str
    fields: tuple[Field, ...]
    # A certification of the provider's CIP starts (and meets) the annual clock.
    certifies_cip: bool


KINDS: dict[FilingKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(FilingKind.CIP_CERTIFICATION, "CIP certification form", "§7.304(a)",
                 CERTIFICATION_FIELDS, certifies_cip=True),
        KindSpec(FilingKind.ANNUAL_CERTIFICATION, "Annual CIP certification", "§7.304(b)",
                 ANNUAL_FIELDS, certifies_cip=True),
        KindSpec(FilingKind.IRREGULAR_UPDATE, "Irregular update", "§7.304(c)",
                 IRREGULAR_UPDATE_FIELDS, certifies_cip=False),
        KindSpec(FilingKind.NEW_PROVIDER_CERTIFICATION, "New-provider CIP certification",
                 "§7.304(d)", CERTIFICATION_FIELDS, certifies_cip=True),
    )
}  # fmt: skip


class UnknownKind(ValueError):
    pass


def kind_spec(kind: str) -> KindSpec:
    try:
        return KINDS[FilingKind(kind)]
    except ValueError:
        known = ", ".join(kind.value for kind in FilingKind)
        raise UnknownKind(f"unknown filing kind {kind!r}; known kinds: {known}") from None


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
        for spec in _contact_fields("new_contact", "§7.304(c)"):
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
    result = validate(spec.fields, payload)
    if result.errors:
        return result
    if spec.fields in (CERTIFICATION_FIELDS, ANNUAL_FIELDS):
        result.errors += _certification_problems(result.cleaned)
    if spec.kind is FilingKind.ANNUAL_CERTIFICATION:
        result.errors += _annual_problems(result.cleaned)
    if spec.kind is FilingKind.IRREGULAR_UPDATE:
        result.errors += _irregular_update_problems(result.cleaned)
    return result


# --- Warnings: accepted, but flagged ---------------------------------------------------------


@dataclass(frozen=True)
class FilingFacts:
    """What the registry knows when a filing arrives."""

    received_on: date
    previous_certification_on: date | None
    first_foreign_account_on: date | None


def timeliness(kind: FilingKind, facts: FilingFacts) -> clocks.Timeliness | None:
    """Early, on time or late for an annual certification (§7.304(b)); None for other kinds."""
    if kind is not FilingKind.ANNUAL_CERTIFICATION or facts.previous_certification_on is None:
        return None
    return clocks.annual_timeliness(
        "cip.annual_certification", facts.previous_certification_on, facts.received_on
    )


def warnings(kind: FilingKind, facts: FilingFacts) -> list[Problem]:
    """Flags that never refuse a filing: nothing received is lost (DESIGN.md §3)."""
    found = []
    verdict = timeliness(kind, facts)
    previous = facts.previous_certification_on
    if verdict is clocks.Timeliness.TOO_EARLY and previous:
        opens = clocks.window_opens("cip.annual_certification", previous)
        found.append(
            Problem("", f"received before the annual window opened on {opens.isoformat()} "
                    "(no earlier than 60 days before the anniversary)", "§7.304(b)")
        )  # fmt: skip
    elif verdict is clocks.Timeliness.LATE and previous:
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
    first_account = facts.first_foreign_account_on
    if (
        kind is FilingKind.NEW_PROVIDER_CERTIFICATION
        and first_account is not None
        and first_account < facts.received_on
    ):
        found.append(
            Problem("", f"the provider furnished a foreign customer an account on "
                    f"{first_account.isoformat()}, before certifying", "§7.304(d)")
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
    *_contact_fields("primary_contact", "§7.304(a)(1)(vi)"),
    Field("first_foreign_account_on", "Date it first furnished an account to a foreign customer",
          Kind.DATE, "§7.304(d)", required=False),
)  # fmt: skip


class CertificationStatus(enum.Enum):
    CURRENT = "current"
    WINDOW_OPEN = "window open"
    OVERDUE = "overdue"
    NEVER_CERTIFIED = "never certified"


def certification_status(last_certified_on: date | None, today: date) -> CertificationStatus:
    """Where a provider stands on its annual certification (§7.304(b))."""
    if last_certified_on is None:
        return CertificationStatus.NEVER_CERTIFIED
    if today > clocks.due("cip.annual_certification", last_certified_on):
        return CertificationStatus.OVERDUE
    if today >= clocks.window_opens("cip.annual_certification", last_certified_on):
        return CertificationStatus.WINDOW_OPEN
    return CertificationStatus.CURRENT


# --- Responses to the Department's requests --------------------------------------------------

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def document_type(filename: str, head: bytes, zip_names: frozenset[str]) -> str | None:
    """The document's type from what its bytes are, not what its name says; None if neither
    a PDF nor a Word document. ``zip_names`` lists the members when the file is a ZIP."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "pdf" and head.startswith(b"%PDF-"):
        return "pdf"
    if extension == "docx" and head.startswith(b"PK\x03\x04") and "word/document.xml" in zip_names:
        return "docx"
    return None


REQUEST_CLOCKS = {
    "cip_copy": "cip.copy_on_request",  # §7.305(a)
    "reseller_cip_copy": "reseller.cip_copy_on_request",  # §7.303(d)
}
