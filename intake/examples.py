"""Example filings, as a provider's compliance office would send them: for the OpenAPI document,
the demonstration office and the tests."""

from __future__ import annotations

import copy
from typing import Any

CERTIFICATION: dict[str, Any] = {
    "verification_tools": "Document verification through a commercial identity service; "
    "government ID checked against liveness video; sanctions screening at account opening.",
    "ownership_change_procedures": "Customers must report beneficial-owner changes within 30 "
    "days under the terms of service; ownership is re-verified every 12 months.",
    "malicious_activity_detection": "Network flow analytics, abuse-report intake and "
    "automated detection of scanning and credential-stuffing from customer instances.",
    "reseller_cip_procedures": "Each foreign reseller contract requires a written CIP meeting "
    "15 CFR 7.302(c)-(e); resellers certify annually and are audited on a risk basis.",
    "large_ai_training_procedures": "Accelerator reservations above 1,000 devices for more "
    "than 7 days trigger a review of the customer and the intended workload.",
    "primary_contact_name": "Alicia Moreno",
    "primary_contact_title": "Chief Compliance Officer",
    "primary_contact_email": "AMoreno@northwind.example",
    "primary_contact_phone": "(206) 555-0142",
    "foreign_offerings": "Virtual machines, object storage and managed Kubernetes offered in "
    "Germany, Japan and Brazil to small and medium businesses.",
    "employee_count": 420,
    "detection_tools_usage": "Flow logs are scored hourly; high scores open an abuse case "
    "reviewed by the trust and safety team within one business day.",
    "training_run_detection": "Billing telemetry flags sustained use of more than 512 "
    "accelerators by one customer.",
    "reporting_process": "Suspected malicious cyber activity is reported to CISA and the FBI "
    "through the abuse desk, as described in the CIP section 9.",
    "customer_count": 18250,
    "foreign_beneficial_owner_count": 2,
    "foreign_beneficial_owner_locations": ["Toronto, Canada", "Dublin, Ireland"],
    "foreign_resellers": [
        {"name": "Rheinland Cloud GmbH", "jurisdiction": "DE"},
        {"name": "Sakura Hosting KK", "jurisdiction": "JP"},
    ],
    "unverified_account_count": 1,
    "unverified_accounts": [
        {
            "customer_reference": "ACCT-88213",
            "provisioned_on": "2026-09-14",
            "verification_plan": "Second document requested; account limited until verified.",
            "account_information": "Two small virtual machines; no accelerators.",
            "deprovision_on": "2026-12-14",
            "reestablishment_prevention": "Payment instrument and device fingerprint "
            "blocked for new sign-ups.",
        }
    ],
    "attest_cip_meets_7302": True,
}

ANNUAL_CERTIFICATION: dict[str, Any] = {
    **CERTIFICATION,
    "attest_reviewed": True,
    "attest_updated_offerings": True,
    "attest_updated_threats": True,
    "attest_complies": True,
    "attest_tracked_failures": True,
    "attest_recorded_resolutions": True,
    "failed_verification_count": 2,
    "failed_verification_resolutions": [
        {"customer_reference": "ACCT-70110", "resolution": "Verified with a passport."},
        {"customer_reference": "ACCT-70442", "resolution": "Account closed after 30 days."},
    ],
}

IRREGULAR_UPDATE: dict[str, Any] = {
    "change_type": "primary_contact",
    "description": "The Chief Compliance Officer retired; her deputy takes over the CIP.",
    "effective_on": "2026-10-01",
    "new_contact_name": "Henry Boateng",
    "new_contact_title": "Chief Compliance Officer",
    "new_contact_email": "hboateng@northwind.example",
    "new_contact_phone": "+1 206 555 0199",
}

EXEMPTION_REQUEST: dict[str, Any] = {
    "requester_name": "Alicia Moreno",
    "requester_title": "Chief Compliance Officer",
    "requester_email": "amoreno@northwind.example",
    "scope": "provider",
    "program_summary": "A written program scaled to 18,250 customers in three regions, run by "
    "a trust and safety team of 24 reporting to the Chief Information Security Officer.",
    "rf_risk_account_types": "Self-service accounts, enterprise accounts and reseller "
    "sub-accounts are scored separately; self-service accounts with accelerators rank highest.",
    "rf_risk_opening": "Sign-up with card or invoice; invoice accounts need a business check.",
    "rf_risk_access": "Console with mandatory second factor; API keys scoped and rotated.",
    "rf_risk_monitoring": "Flow logs, billing anomalies and abuse reports scored hourly.",
    "rf_risk_experience": "Crypto-mining and scanning from trial accounts in 2024 and 2025.",
    "rf_source_incidents": "Our own abuse cases, reviewed monthly for new patterns.",
    "rf_source_vulnerabilities": "Vendor advisories and our bug bounty programme.",
    "rf_source_methods": "Industry abuse working groups and published reports.",
    "rf_source_alerts": "CISA alerts and the consortium's shared indicators.",
    "rf_category_identity": "Mismatched identity documents and reused payment instruments.",
    "rf_category_activity": "Outbound scanning, spam and sudden accelerator use.",
    "rf_category_notice": "Abuse desk reports from victims, customers and law enforcement.",
    "detection": "Hashed indicators shared through the consortium's privacy-preserving "
    "exchange; no customer content leaves the provider.",
    "response_monitoring": "Accounts under watch get hourly review of flows.",
    "response_contact": "The abuse desk contacts the customer within one business day.",
    "response_credentials": "Forced credential reset when compromise is suspected.",
    "response_reopen": "Compromised accounts are reopened under a new account number.",
    "response_reject": "Sign-ups matching known abuse indicators are refused.",
    "response_close": "Suspension pending review; closure after confirmed abuse.",
    "response_payment": "Prepaid cards refused for accelerator instances.",
    "response_law_enforcement": "Referral to the FBI for confirmed intrusions.",
    "response_none": "Documented decision when no action is warranted.",
    "update_experience": "Quarterly review of abuse cases.",
    "update_abuse_methods": "New methods from the consortium are added within 30 days.",
    "update_mitigation_methods": "Detection rules reviewed every quarter.",
    "update_account_types": "New account types get a risk review before launch.",
    "update_business": "Mergers and new reseller contracts trigger a program review.",
    "approved_by_body": "board_committee",
    "approved_by_name": "Risk Committee of the Board of Directors",
    "approved_on": "2026-06-30",
    "admin_oversight": "The Risk Committee receives a quarterly report.",
    "admin_training": "Annual training for support and trust and safety staff.",
    "admin_reseller_oversight": "Resellers must run equivalent Red Flag checks; audited yearly.",
    "consortium": "Member of a provider consortium exchanging hashed abuse indicators.",
    "law_enforcement_cooperation": "Forensic logs provided to investigators on legal process "
    "and voluntarily for confirmed intrusions.",
}

# A report of a covered transaction (§7.308(d)(1)). The card number is the networks' well-known
# test number, the IBAN the example of ISO 13616, the wallet the example address of BIP 173,
# the IP addresses documentation ranges (RFC 5737, RFC 3849).
AI_PERSON_AND_RUN = {
    "person_type": "entity",
    "person_name": "Kestrel Analytics Pte Ltd",
    "other_business_names": ["Kestrel AI"],
    "ultimate_beneficial_owner": "Harrow Peak Holdings Ltd",
    "address": "12 Marina Boulevard, #30-01, Singapore 018982",
    "address_country": "SG",
    "request_origin_locations": ["Singapore", "Kuala Lumpur, Malaysia"],
    "organised_in": "SG",
    "beneficial_owners": ["Harrow Peak Holdings Ltd", "Lim Wei Jie"],
    "payment_methods": [
        {"method": "card", "identifier": "4111 1111 1111 1111", "details": "Visa, corporate"},
        {"method": "account", "identifier": "GB29 NWBK 6016 1331 9268 19",
         "details": "Wire transfers"},
        {"method": "wallet", "identifier": "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
         "details": "Prepaid credits"},
    ],
    "emails": ["ops@kestrel-analytics.example"],
    "phones": ["+65 6555 0142"],
    "ip_accesses": [
        {"ip_address": "192.0.2.10", "accessed_at": "2026-11-20T09:15:00+08:00",
         "action": "administration"},
        {"ip_address": "2001:db8::10", "accessed_at": "2026-11-20T09:40:12+08:00",
         "action": "access"},
    ],
    "estimated_operations": 2.4e26,
    "anticipated_start_on": "2026-12-01",
    "anticipated_completion_on": "2027-03-31",
    "training_practices": "Dense transformer pre-training with data and tensor parallelism; "
    "checkpoints every 6 hours.",
    "accelerator_model": "NVIDIA H100 SXM",
    "accelerator_count": 8192,
    "primarily_biological_sequence_data": False,
    "weights_security": "Weights encrypted at rest with customer-managed keys; access through "
    "two-person approval; no export outside the tenancy.",
    "security_incidents": "None in the last four years.",
    "attest_true_correct_complete": True,
}  # fmt: skip
AI_INITIAL_REPORT = {"transaction_on": "2026-11-20", "knowledge_on": None, **AI_PERSON_AND_RUN}
AI_RESELLER_REPORT = {
    "reseller_name": "Rheinland Cloud GmbH",
    "reseller_jurisdiction": "DE",
    "transaction_on": "2026-11-20",
    "reseller_reported_on": "2026-11-28",
    **AI_PERSON_AND_RUN,
}
AI_FOLLOW_UP_REPORT = {
    "request_number": 1,
    "request_received_on": "2026-11-25",
    "response": "The run is limited to 6,000 of the 8,192 reserved accelerators by a quota; the "
    "quota configuration is attached to our response letter.",
    "attest_true_correct_complete": True,
}
AI_CORRECTED_REPORT = {
    "inaccuracy_known_on": "2026-11-26",
    "corrections_summary": "The estimate was understated: 3.1e26 operations, not 2.4e26.",
    "transaction_on": "2026-11-20",
    **AI_PERSON_AND_RUN,
    "estimated_operations": 3.1e26,
}

BY_KIND = {
    "cip_certification": CERTIFICATION,
    "annual_certification": ANNUAL_CERTIFICATION,
    "irregular_update": IRREGULAR_UPDATE,
    "new_provider_certification": CERTIFICATION,
    "exemption_request": EXEMPTION_REQUEST,
    "ai_initial_report": AI_INITIAL_REPORT,
    "ai_reseller_report": AI_RESELLER_REPORT,
    "ai_follow_up_report": AI_FOLLOW_UP_REPORT,
    "ai_corrected_report": AI_CORRECTED_REPORT,
}


def payload(kind: str, **changes: Any) -> dict[str, Any]:
    """A fresh copy of a valid payload of ``kind``, with ``changes`` applied."""
    return {**copy.deepcopy(BY_KIND[kind]), **changes}
