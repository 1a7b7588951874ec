"""What each rule parameter means, how its value is written, and which value is in force."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation


class Unit(enum.Enum):
    DAYS = "days"
    OPERATIONS = "operations"
    USD = "USD"
    POINTS = "points"


# The weights of the risk score (§7.305(d)): what each thing the office knows adds to it.
RISK_WEIGHTS = (
    ("never_certified", "Risk score: provider has never certified its CIP", "§7.305(d)(2)(i)"),
    ("overdue_certification", "Risk score: annual CIP certification overdue", "§7.305(d)(2)(i)"),
    ("late_filing", "Risk score: each filing received late", "§7.305(d)(2)(i)"),
    (
        "overdue_exemption_notification",
        "Risk score: an exempt provider's annual notification overdue",
        "§7.305(d)(2)(i)",
    ),
    (
        "unverified_account",
        "Risk score: each unverified foreign customer account reported",
        "§7.305(d)(1)(i)",
    ),
    (
        "stale_unverified_account",
        "Risk score: each foreign account unverified for more than 90 days",
        "§7.305(d)(1)(i)",
    ),
    # Findings within their remediation period have no weight: they are not a failure to
    # implement until it ends (§7.305(a), (d)(2)(ii)); the weight "open_findings" is retired.
    (
        "overdue_findings",
        "Risk score: each finding not remediated by the end of its period",
        "§7.305(d)(2)(ii)",
    ),
    (
        "ai_training_report",
        "Risk score: each large AI model training run reported for a foreign person",
        "§7.305(d)(1)(ii)",
    ),
    (
        "late_ai_report",
        "Risk score: each AI training report filed after its clock",
        "§7.305(d)(1)(ii)",
    ),
    (
        "reseller_oversight",
        "Risk score: each open case of a foreign reseller failing to keep or implement a CIP",
        "§7.305(d)(1)(i)",
    ),
    (
        "reseller_reporting_oversight",
        "Risk score: each open case of a foreign reseller not complying with §7.308",
        "§7.305(d)(1)(ii)",
    ),
    (
        "corrected_ai_report",
        "Risk score: each AI training report corrected after filing",
        "§7.305(d)(1)(ii)",
    ),
    (
        "implausible_compute_estimate",
        "Risk score: each report whose compute estimate the reported hardware puts in question",
        "§7.305(d)(1)(ii)",
    ),
    (
        "deficient_certification",
        "Risk score: each certification reviewed as deficient, resubmission awaited",
        "§7.305(d)(2)(i)",
    ),
    (
        "overdue_certification_resubmission",
        "Risk score: each deficient certification not resubmitted by the end of its period",
        "§7.305(d)(2)(ii)",
    ),
    (
        "change_notice_not_given",
        "Risk score: each notice of a material change (§7.309(b)) owed and not given",
        "§7.305(d)(2)(i)",
    ),
    (
        "change_notice_late",
        "Risk score: each notice of a material change given after the Department learned of it",
        "§7.305(d)(2)(i)",
    ),
    (
        "special_measure_hit",
        "Risk score: each foreign reseller or customer matching a special measure in force",
        "§7.305(d)(1)(i)",
    ),
)


@dataclass(frozen=True)
class ParameterDefinition:
    key: str
    title: str
    unit: Unit
    citation: str
    minimum: int = 0


DEFINITIONS: dict[str, ParameterDefinition] = {
    definition.key: definition
    for definition in (
        ParameterDefinition(
            "special_measure.earliest_compliance_days",
            "Days after issuance before providers can be required to comply with a special measure",
            Unit.DAYS,
            "§7.307(a)(6)",
            minimum=1,
        ),
        ParameterDefinition(
            "special_measure.effect_after_publication_days",
            "Days after Federal Register publication before a special measure takes effect",
            Unit.DAYS,
            "§7.307(a)(4); NPRM preamble IV(3)(A)",
        ),
        ParameterDefinition(
            "ai.large_model_operations",
            "Technical condition of a large AI model: training operations above",
            Unit.OPERATIONS,
            "§7.301 (large AI model); E.O. 14110 §4.2(b)(i)",
            minimum=1,
        ),
        ParameterDefinition(
            "ai.large_model_operations_biological",
            "Technical condition for a model trained primarily on biological sequence data: "
            "training operations above",
            Unit.OPERATIONS,
            "§7.301 (large AI model); E.O. 14110 §4.2(b)(i)",
            minimum=1,
        ),
        ParameterDefinition(
            "penalty.ieepa_civil_cap",
            "IEEPA maximum civil penalty per violation (or twice the transaction, if greater)",
            Unit.USD,
            "§7.309(c)(1); 50 U.S.C. 1705(b)",
            minimum=1,
        ),
        *(
            ParameterDefinition(f"risk.weight.{kind}", title, Unit.POINTS, citation)
            for kind, title, citation in RISK_WEIGHTS
        ),
        ParameterDefinition(
            "assessment.risk_schedule_points",
            "Risk score at which a provider is due for a risk-based compliance assessment",
            Unit.POINTS,
            "§7.305(e)(1)",
            minimum=1,
        ),
        ParameterDefinition(
            "assessment.resubmission_days",
            "Default period for a provider to resolve CIP shortcomings and resubmit",
            Unit.DAYS,
            "§7.305(a)",
            minimum=1,
        ),
    )
}


class UnknownParameter(KeyError):
    pass


def definition(key: str) -> ParameterDefinition:
    try:
        return DEFINITIONS[key]
    except KeyError:
        raise UnknownParameter(key) from None


def parse_value(unit: Unit, text: str, *, minimum: int = 0) -> int:
    """A whole number from what an administrator typed: "180", "1e26", "10^26", "$377,700"."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "").lstrip("$")
    if cleaned.startswith("10^") and cleaned[3:].isdigit():
        number = Decimal(10) ** int(cleaned[3:])
    else:
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(
                f"Enter a whole number of {unit.value}, such as 180 or 1e26."
            ) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(f"Enter a whole number of {unit.value}.")
    value = int(number)
    if value < minimum:
        raise ValueError(f"The value must be at least {minimum}.")
    return value


def format_value(unit: Unit, value: int) -> str:
    if unit is Unit.OPERATIONS:
        exponent = len(str(value)) - 1
        if value == 10**exponent:
            return f"10^{exponent} operations"
        return f"{value:.3e} operations"
    if unit is Unit.USD:
        return f"${value:,}"
    if unit is Unit.POINTS:
        return f"{value} point{'s' if value != 1 else ''}"
    return f"{value} day{'s' if value != 1 else ''}"


def value_in_force(history: Iterable[tuple[date, int]], on: date) -> int | None:
    """The value whose effective date is the latest on or before ``on``."""
    candidates = [
        (effective_from, value) for effective_from, value in history if effective_from <= on
    ]
    return max(candidates)[1] if candidates else None
