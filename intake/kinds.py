"""The kinds of filing and what each must contain (§7.304, §7.306(e)(1), §7.308): their
fields, the choices those fields offer, and the table of kinds. Pure."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from core.schema import PHONE_EXAMPLE, Field, Kind

L = Kind.LONG_TEXT


def contact_fields(prefix: str, citation: str, *, required: bool = True) -> tuple[Field, ...]:
    return (
        Field(f"{prefix}_name", "Primary Contact's name", Kind.TEXT, citation, required),
        Field(f"{prefix}_title", "Primary Contact's title", Kind.TEXT, citation, required),
        Field(f"{prefix}_email", "Primary Contact's email", Kind.EMAIL, citation, required),
        Field(
            f"{prefix}_phone",
            "Primary Contact's telephone",
            Kind.PHONE,
            citation,
            required,
            hint=f"With the country code and any extension, e.g. {PHONE_EXAMPLE}",
        ),
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
    *contact_fields("primary_contact", "§7.304(a)(1)(vi)"),
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
    # Required with a number above none (intake.rules.beneficial_owner_problems).
    Field("foreign_beneficial_owner_locations", "Locations of foreign beneficial owners",
          Kind.TEXT_LIST, "§7.304(a)(2)(vii)", required=False,
          hint="Required when the number above is more than 0: the rule asks for the number "
               "and the locations together"),
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


# What the receipt of a compiled foreign-reseller certification records: the file itself is kept
# as received (a Document); these figures describe it and what it changed on the reseller list.
RESELLER_CERTIFICATION_FIELDS: tuple[Field, ...] = (
    Field("filename", "File received", Kind.TEXT, "§7.304(f)"),
    Field("file_format", "Format", Kind.TEXT, "§7.304(f)"),
    Field("reseller_count", "Foreign resellers certified in the file", Kind.INTEGER, "§7.304(f)"),
    Field("added", "Added to the list of foreign resellers", Kind.INTEGER, "§7.304(a)(2)(viii)"),
    Field("updated", "Updated on the list of foreign resellers", Kind.INTEGER,
          "§7.304(a)(2)(viii)"),
    Field("unchanged", "Already on the list as filed", Kind.INTEGER, "§7.304(a)(2)(viii)"),
    Field("jurisdictions", "Jurisdictions of the foreign resellers", Kind.TEXT_LIST,
          "§7.304(a)(2)(viii)"),
    Field("customer_count", "IaaS customers of the foreign resellers, in total", Kind.INTEGER,
          "§7.304(a)(2)(vi)"),
    Field("unverified_account_count", "Unverified foreign customer accounts, in total",
          Kind.INTEGER, "§7.304(a)(2)(ix)"),
)  # fmt: skip

BY_UPLOAD_ONLY = (
    "a compiled foreign-reseller certification is filed by uploading the compiled file "
    "(CSV or Excel), one row per foreign reseller"
)


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
    *contact_fields("new_contact", "§7.304(c)", required=False),
)  # fmt: skip


# --- A request for an exemption (§7.306(e)(1)) -------------------------------------------------
# The request is a filing like any other (receipt, acknowledgement, API); the exemptions module
# works the case. Each element of the Abuse of IaaS Products Deterrence Program is its own field,
# in the order §7.306(b) lays them out, so that review can check them one by one.


class ExemptionScope(enum.StrEnum):
    PROVIDER = "provider"
    FOREIGN_RESELLER = "foreign_reseller"
    ACCOUNT_TYPE = "account_type"


EXEMPTION_SCOPE_LABELS = {
    # §7.306(e): the provider itself, from §§7.302, 7.304 and 7.305.
    ExemptionScope.PROVIDER: "The provider itself (§§7.302, 7.304, 7.305)",
    # §7.306(e): a specific foreign reseller, from §§7.303 and 7.304 for that reseller.
    ExemptionScope.FOREIGN_RESELLER: "A specific foreign reseller (§§7.303, 7.304)",
    # §7.306(a): a specific type of Account or lessee.
    ExemptionScope.ACCOUNT_TYPE: "A specific type of account or lessee (§7.306(a))",
}


def _element(name: str, label: str, citation: str) -> Field:
    return Field(name, label, L, citation, required=False)


ADP_ELEMENTS: tuple[Field, ...] = (
    _element("rf_risk_account_types", "Risk factor: the types of accounts offered or maintained",
             "§7.306(b)(1)(i)(A)"),
    _element("rf_risk_opening", "Risk factor: how an account is opened", "§7.306(b)(1)(i)(B)"),
    _element("rf_risk_access", "Risk factor: how an account is accessed", "§7.306(b)(1)(i)(C)"),
    _element("rf_risk_monitoring", "Risk factor: how account activity is monitored and assessed",
             "§7.306(b)(1)(i)(D)"),
    _element("rf_risk_experience", "Risk factor: experience with malicious cyber-enabled "
             "activities", "§7.306(b)(1)(i)(E)"),
    _element("rf_source_incidents", "Source: incidents IaaS providers have experienced",
             "§7.306(b)(1)(ii)(A)"),
    _element("rf_source_vulnerabilities", "Source: vulnerabilities that could contribute to "
             "abuse", "§7.306(b)(1)(ii)(B)"),
    _element("rf_source_methods", "Source: methods of abuse identified by IaaS providers",
             "§7.306(b)(1)(ii)(C)"),
    _element("rf_source_alerts", "Source: alerts, notifications, warnings and analytic tools "
             "received", "§7.306(b)(1)(ii)(D)"),
    _element("rf_category_identity", "Category: suspicious personally identifiable information "
             "or identity evidence", "§7.306(b)(1)(iii)(A)"),
    _element("rf_category_activity", "Category: suspicious or anomalous account activity",
             "§7.306(b)(1)(iii)(B)"),
    _element("rf_category_notice", "Category: notice from customers, victims, law enforcement "
             "or others", "§7.306(b)(1)(iii)(C)"),
    _element("detection", "Detecting Red Flags, including privacy-preserving data sharing and "
             "analytics", "§7.306(b)(2)"),
    _element("response_monitoring", "Response: monitoring an account", "§7.306(b)(3)(i)"),
    _element("response_contact", "Response: contacting the customer", "§7.306(b)(3)(ii)"),
    _element("response_credentials", "Response: changing passwords, codes or other security "
             "devices", "§7.306(b)(3)(iii)"),
    _element("response_reopen", "Response: reopening an account with a new number",
             "§7.306(b)(3)(iv)"),
    _element("response_reject", "Response: rejecting a request to open an account",
             "§7.306(b)(3)(v)"),
    _element("response_close", "Response: closing or suspending an account", "§7.306(b)(3)(vi)"),
    _element("response_payment", "Response: allowing only trusted methods of payment",
             "§7.306(b)(3)(vii)"),
    _element("response_law_enforcement", "Response: notifying law enforcement",
             "§7.306(b)(3)(viii)"),
    _element("response_none", "Response: deciding that no or a different response is warranted",
             "§7.306(b)(3)(ix)"),
    _element("update_experience", "Updating for: the provider's experience of abuse",
             "§7.306(b)(4)(i)"),
    _element("update_abuse_methods", "Updating for: changes in methods of abuse",
             "§7.306(b)(4)(ii)"),
    _element("update_mitigation_methods", "Updating for: changes in methods to detect, prevent "
             "and mitigate abuse", "§7.306(b)(4)(iii)"),
    _element("update_account_types", "Updating for: changes in the types of accounts offered",
             "§7.306(b)(4)(iv)"),
    _element("update_business", "Updating for: changes in business arrangements (mergers, "
             "resellers…)", "§7.306(b)(4)(v)"),
    _element("admin_oversight", "Administration: the approver's part in oversight, development "
             "and implementation", "§7.306(b)(5)(ii)"),
    _element("admin_training", "Administration: training staff to implement the program",
             "§7.306(b)(5)(iii)"),
    _element("admin_reseller_oversight", "Administration: oversight of reseller arrangements",
             "§7.306(b)(5)(iv)"),
    _element("consortium", "Participation in a consortium for privacy-preserving data sharing "
             "and analytics", "§7.306(c)"),
    _element("law_enforcement_cooperation", "Voluntary cooperation with law enforcement "
             "(forensic information)", "§7.306(d)"),
)  # fmt: skip

ADP_APPROVERS = (
    ("board", "The board of directors"),
    ("board_committee", "A committee of the board of directors"),
    ("senior_manager", "A designated employee at the level of senior management"),
)

EXEMPTION_REQUEST_FIELDS: tuple[Field, ...] = (
    Field("requester_name", "Name of the person making the request", Kind.TEXT, "§7.306(e)(1)"),
    Field("requester_title", "Their title", Kind.TEXT, "§7.306(e)(1)"),
    Field("requester_email", "Their email", Kind.EMAIL, "§7.306(e)(1)"),
    Field("scope", "What the exemption is for", Kind.CHOICE, "§7.306(a)",
          choices=tuple((key.value, label) for key, label in EXEMPTION_SCOPE_LABELS.items())),
    Field("reseller_name", "Foreign reseller's name (when the request is for a reseller)",
          Kind.TEXT, "§7.306(e)", required=False),
    Field("reseller_jurisdiction", "Foreign reseller's jurisdiction", Kind.COUNTRY, "§7.306(e)",
          required=False),
    Field("account_type", "Type of account or lessee (when the request is for one)", Kind.TEXT,
          "§7.306(a)", required=False),
    Field("program_summary", "The program in brief: how it suits the provider's size, "
          "complexity and offerings", L, "§7.306(b)"),
    *ADP_ELEMENTS[:27],
    # §7.306(b)(5)(i): the initial written program is approved by the board, a committee of it,
    # or a designated senior manager.
    Field("approved_by_body", "Who approved the written program", Kind.CHOICE,
          "§7.306(b)(5)(i)", choices=ADP_APPROVERS),
    Field("approved_by_name", "Name of the approver (or of the committee)", Kind.TEXT,
          "§7.306(b)(5)(i)"),
    Field("approved_on", "Date the program was approved", Kind.DATE, "§7.306(b)(5)(i)"),
    *ADP_ELEMENTS[27:],
)  # fmt: skip


# --- Reports of large AI model training (§7.308) ----------------------------------------------
# Four kinds share one description of the foreign person and the training run (§7.308(d)(1));
# each adds the dates its clock starts from (§7.308(c)). Payment identifiers are marked
# sensitive: intake encrypts them and keeps only their last four characters in the filing's data.


class PaymentMethod(enum.StrEnum):
    CARD = "card"
    ACCOUNT = "account"
    CUSTOMER_ID = "customer_id"
    TRANSACTION_ID = "transaction_id"
    WALLET = "wallet"
    EQUIVALENT = "equivalent"
    OTHER = "other"


PAYMENT_METHOD_LABELS = {
    PaymentMethod.CARD: "Credit card number (§7.308(d)(1)(i)(C)(1))",
    PaymentMethod.ACCOUNT: "Account number (§7.308(d)(1)(i)(C)(2))",
    PaymentMethod.CUSTOMER_ID: "Customer identifier (§7.308(d)(1)(i)(C)(3))",
    PaymentMethod.TRANSACTION_ID: "Transaction identifier (§7.308(d)(1)(i)(C)(4))",
    PaymentMethod.WALLET: "Virtual currency wallet or wallet address (§7.308(d)(1)(i)(C)(5))",
    PaymentMethod.EQUIVALENT: "Equivalent payment processing information (§7.308(d)(1)(i)(C)(6))",
    PaymentMethod.OTHER: "Other payment source or type (§7.308(d)(1)(i)(C)(7))",
}
ACCESS_ACTIONS = (("access", "Access"), ("administration", "Administrative action"))


class AccessAction(enum.StrEnum):
    ACCESS = "access"
    ADMINISTRATION = "administration"


class IdentifierKind(enum.StrEnum):
    NAME = "name"
    EMAIL = "email"
    PHONE = "phone"
    PAYMENT = "payment"
    WALLET = "wallet"


# §7.308(d)(1)(i)(B)(3)–(5) ask these of an entity only (intake.rules.entity_element_problems).
ENTITY_HINT = "Required when the foreign person is an entity"

FOREIGN_PERSON_FIELDS: tuple[Field, ...] = (
    Field("person_type", "The foreign person is", Kind.CHOICE, "§7.308(d)(1)(i)(A)",
          choices=(("individual", "An individual"), ("entity", "An entity"))),
    Field("person_name", "Full legal name (individual) or business name (entity)", Kind.TEXT,
          "§7.308(d)(1)(i)(A)(1)–(2)", max_length=200),
    Field("other_business_names", "Every other name the business is or has been known by",
          Kind.TEXT_LIST, "§7.308(d)(1)(i)(A)(2)", required=False, max_length=200),
    Field("ultimate_beneficial_owner", "Ultimate beneficial owner, if not the same person",
          Kind.TEXT, "§7.308(d)(1)(i)(A)(3)", required=False, max_length=200),
    Field("address", "Street address, or APO/FPO box; for an entity, its principal places of "
          "business", L, "§7.308(d)(1)(i)(B)(1)–(3)", max_length=2_000),
    Field("address_country", "Country of that address", Kind.COUNTRY, "§7.308(d)(1)(i)(B)"),
    # A measure may name a subnational territory or region (§7.301 "foreign jurisdiction");
    # screening reads it from here.
    Field("address_region", "Subnational territory or region of that address (its ISO 3166-2 "
          "code or its name), if any", Kind.TEXT, "§7.308(d)(1)(i)(B)", required=False,
          max_length=120),
    Field("request_origin_locations", "Locations the training request comes from",
          Kind.TEXT_LIST, "§7.308(d)(1)(i)(B)(3)", required=False, hint=ENTITY_HINT),
    Field("organised_in", "Jurisdiction under whose laws the entity is organised",
          Kind.COUNTRY, "§7.308(d)(1)(i)(B)(4)", required=False, hint=ENTITY_HINT),
    Field("beneficial_owners", "Beneficial owners of the account, the ultimate ones included",
          Kind.TEXT_LIST, "§7.308(d)(1)(i)(B)(5)", required=False, max_length=200,
          hint=ENTITY_HINT),
    Field("payment_methods", "Means and source of payment for the account", Kind.TABLE,
          "§7.308(d)(1)(i)(C)", max_rows=50,
          columns=(
              Field("method", "Kind of payment information", Kind.CHOICE, "§7.308(d)(1)(i)(C)",
                    choices=tuple((key.value, label)
                                  for key, label in PAYMENT_METHOD_LABELS.items())),
              Field("identifier", "Number, identifier or address", Kind.TEXT,
                    "§7.308(d)(1)(i)(C)", max_length=120, sensitive=True,
                    hint="Stored encrypted; shown as its last four characters"),
              Field("details", "Issuer, network or other details", Kind.TEXT,
                    "§7.308(d)(1)(i)(C)", required=False, max_length=200),
          )),
    Field("emails", "Email addresses", Kind.TEXT_LIST, "§7.308(d)(1)(i)(D)",
          max_length=254, item_kind=Kind.EMAIL),
    Field("phones", "Telephone numbers", Kind.TEXT_LIST, "§7.308(d)(1)(i)(E)",
          item_kind=Kind.PHONE, hint="International format, with any extension, e.g. "
          "+65 6555 0142 ext. 7"),
    Field("ip_accesses", "IP addresses used for access or administration, with the date and time "
          "of each (a longer log goes as a CSV attachment)", Kind.TABLE, "§7.308(d)(1)(i)(F)",
          required=False, max_rows=10_000,
          columns=(
              Field("ip_address", "IP address (IPv4 or IPv6)", Kind.TEXT, "§7.308(d)(1)(i)(F)",
                    max_length=45),
              Field("accessed_at", "Date and time, with its UTC offset", Kind.TEXT,
                    "§7.308(d)(1)(i)(F)", max_length=40,
                    hint="ISO 8601, e.g. 2027-01-05T14:03:22+08:00"),
              Field("action", "Access or administrative action", Kind.CHOICE,
                    "§7.308(d)(1)(i)(F)", choices=ACCESS_ACTIONS),
          )),
)  # fmt: skip

TRAINING_RUN_FIELDS: tuple[Field, ...] = (
    Field("estimated_operations", "Estimated number of computational operations in the run",
          Kind.NUMBER, "§7.308(d)(1)(ii)(A)", hint="e.g. 3.1e25 or 3.1 × 10^25"),
    Field("anticipated_start_on", "Anticipated start date of the run", Kind.DATE,
          "§7.308(d)(1)(ii)(B)"),
    Field("anticipated_completion_on", "Anticipated completion date of the run", Kind.DATE,
          "§7.308(d)(1)(ii)(B)"),
    Field("training_practices", "Training practices", L, "§7.308(d)(1)(ii)(C)"),
    Field("accelerator_model", "Model of the primary AI accelerator used", Kind.TEXT,
          "§7.308(d)(1)(ii)(C)", max_length=120, hint="e.g. NVIDIA H100 SXM"),
    Field("accelerator_count", "Number of those accelerators", Kind.INTEGER,
          "§7.308(d)(1)(ii)(C)"),
    Field("primarily_biological_sequence_data", "The model is trained primarily on biological "
          "sequence data", Kind.BOOLEAN, "§7.301 (large AI model); E.O. 14110 §4.2(b)(i)",
          required=False),
    Field("weights_security", "Policies and procedures for the secure storage of, and access to, "
          "the trained model weights", L, "§7.308(d)(1)(ii)(D)(1)"),
    Field("security_incidents", "Cybersecurity or insider-threat events of the last four years "
          "that gave unauthorised access to weights or source code, or other major damage "
          "(write “none” if there were none)", L, "§7.308(d)(1)(ii)(D)(2)"),
    Field("attest_true_correct_complete", "The report is true, correct and complete",
          Kind.ATTESTATION, "§7.308(d)"),
)  # fmt: skip

AI_INITIAL_REPORT_FIELDS: tuple[Field, ...] = (
    Field("transaction_on", "Date of the covered transaction", Kind.DATE, "§7.308(c)(1)"),
    Field("knowledge_on", "Date the provider had knowledge of it, if later", Kind.DATE,
          "§7.308(c)(1)", required=False),
    *FOREIGN_PERSON_FIELDS,
    *TRAINING_RUN_FIELDS,
)  # fmt: skip

AI_RESELLER_REPORT_FIELDS: tuple[Field, ...] = (
    Field("reseller_name", "Foreign reseller that reported the transaction", Kind.TEXT,
          "§7.308(a)(2)", max_length=200),
    Field("reseller_jurisdiction", "The reseller's jurisdiction", Kind.COUNTRY, "§7.308(a)(2)"),
    Field("transaction_on", "Date of the covered transaction", Kind.DATE, "§7.308(c)(2)"),
    Field("reseller_reported_on", "Date the reseller reported it to the provider", Kind.DATE,
          "§7.308(c)(2)", required=False),
    *FOREIGN_PERSON_FIELDS,
    *TRAINING_RUN_FIELDS,
)  # fmt: skip

AI_FOLLOW_UP_REPORT_FIELDS: tuple[Field, ...] = (
    Field("request_number", "Number of the Department's request for additional information",
          Kind.INTEGER, "§7.308(c)(3)"),
    Field("request_received_on", "Date the provider received the request", Kind.DATE,
          "§7.308(c)(3)"),
    Field("response", "All information responsive to the request", L, "§7.308(d)(2)",
          max_length=50_000),
    Field("attest_true_correct_complete", "The report is true, correct and complete",
          Kind.ATTESTATION, "§7.308(d)"),
)  # fmt: skip

AI_CORRECTED_REPORT_FIELDS: tuple[Field, ...] = (
    Field("inaccuracy_known_on", "Date the provider had knowledge of the inaccuracy", Kind.DATE,
          "§7.308(c)(4)"),
    Field("corrections_summary", "What was inaccurate, and what this report corrects", L,
          "§7.308(d)(3)"),
    Field("transaction_on", "Date of the covered transaction", Kind.DATE, "§7.308(c)(1)"),
    *FOREIGN_PERSON_FIELDS,
    *TRAINING_RUN_FIELDS,
)  # fmt: skip


# The clock each kind of report is judged by, and the field holding the day it starts from.
AI_REPORT_CLOCKS = {
    "ai_initial_report": "ai.initial_report",  # §7.308(c)(1)
    "ai_reseller_report": "ai.reseller_report",  # §7.308(c)(2)
    "ai_follow_up_report": "ai.follow_up_report",  # §7.308(c)(3)
    "ai_corrected_report": "ai.corrected_report",  # §7.308(c)(4)
}
# Reports that describe a training run; a follow-up answers a request in words (§7.308(c)(3)).
AI_RUN_REPORT_KINDS = ("ai_initial_report", "ai_reseller_report", "ai_corrected_report")


class Channel(enum.StrEnum):
    WEB = "web"
    API = "api"
    BULK = "bulk"


class FilingKind(enum.StrEnum):
    CIP_CERTIFICATION = "cip_certification"
    ANNUAL_CERTIFICATION = "annual_certification"
    IRREGULAR_UPDATE = "irregular_update"
    NEW_PROVIDER_CERTIFICATION = "new_provider_certification"
    RESELLER_CERTIFICATION = "reseller_certification"
    EXEMPTION_REQUEST = "exemption_request"
    AI_INITIAL_REPORT = "ai_initial_report"
    AI_RESELLER_REPORT = "ai_reseller_report"
    AI_FOLLOW_UP_REPORT = "ai_follow_up_report"
    AI_CORRECTED_REPORT = "ai_corrected_report"


@dataclass(frozen=True)
class KindSpec:
    kind: FilingKind
    title: str
    citation: str
    fields: tuple[Field, ...]
    # A certification of the provider's CIP starts (and meets) the annual clock.
    certifies_cip: bool
    # Filed only as one uploaded file, never field by field on a form or by the JSON API: the
    # compiled foreign-reseller certification (§7.304(f)).
    by_upload: bool = False
    # Kinds a filing of this kind may supersede besides its own: a corrected AI training report
    # corrects an initial or reseller report (§7.308(c)(4)).
    corrects: frozenset[str] = frozenset()

    @property
    def is_ai_report(self) -> bool:
        return self.kind.value in AI_REPORT_CLOCKS

    @property
    def corrected_as(self) -> str:
        """The kind a correction of this filing is filed as: a training report is corrected by
        a corrected report (§7.308(c)(4)); anything else by a new filing of its own kind."""
        for spec in KINDS.values():
            if self.kind.value in spec.corrects:
                return spec.kind.value
        return self.kind.value


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
        KindSpec(FilingKind.RESELLER_CERTIFICATION, "Compiled foreign-reseller certification",
                 "§7.304(f)", RESELLER_CERTIFICATION_FIELDS, certifies_cip=False, by_upload=True),
        KindSpec(FilingKind.EXEMPTION_REQUEST, "Request for an exemption (ADP)", "§7.306(e)(1)",
                 EXEMPTION_REQUEST_FIELDS, certifies_cip=False),
        KindSpec(FilingKind.AI_INITIAL_REPORT, "Large AI model training report", "§7.308(c)(1)",
                 AI_INITIAL_REPORT_FIELDS, certifies_cip=False),
        KindSpec(FilingKind.AI_RESELLER_REPORT, "Large AI model training report received "
                 "through a foreign reseller", "§7.308(c)(2)", AI_RESELLER_REPORT_FIELDS,
                 certifies_cip=False),
        KindSpec(FilingKind.AI_FOLLOW_UP_REPORT, "Follow-up report on large AI model training",
                 "§7.308(c)(3)", AI_FOLLOW_UP_REPORT_FIELDS, certifies_cip=False),
        KindSpec(FilingKind.AI_CORRECTED_REPORT, "Corrected report on large AI model training",
                 "§7.308(c)(4)", AI_CORRECTED_REPORT_FIELDS, certifies_cip=False,
                 corrects=frozenset({"ai_initial_report", "ai_reseller_report"})),
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
