"""Reading the value in force and recording new effective-dated values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from core import signals
from core.audit.services import record_event
from core.auth.models import User
from core.db import db
from core.errors import InvalidInput
from core.parameters.models import RuleParameter
from core.parameters.rules import (
    DEFINITIONS,
    ParameterDefinition,
    definition,
    format_value,
    parse_value,
    value_in_force,
)


class ParameterNotSet(LookupError):
    pass


def history(key: str) -> list[RuleParameter]:
    return list(
        db.session.execute(
            select(RuleParameter)
            .where(RuleParameter.key == key)
            .order_by(RuleParameter.effective_from.desc())
        ).scalars()
    )


def value_on(key: str, on: date) -> int:
    definition(key)
    value = value_in_force(((row.effective_from, row.number) for row in history(key)), on)
    if value is None:
        raise ParameterNotSet(f"{key} has no value in force on {on.isoformat()}")
    return value


def row_in_force(key: str, on: date) -> RuleParameter | None:
    """The value in force on ``on`` with its citation and note (shown beside dates it sets)."""
    return next((row for row in history(key) if row.effective_from <= on), None)


@dataclass(frozen=True)
class ParameterSummary:
    definition: ParameterDefinition
    in_force: RuleParameter | None
    values: list[RuleParameter]

    @property
    def display(self) -> str:
        if self.in_force is None:
            return "not set"
        return format_value(self.definition.unit, self.in_force.number)


def summaries(on: date) -> list[ParameterSummary]:
    result = []
    for key, parameter_definition in DEFINITIONS.items():
        result.append(ParameterSummary(parameter_definition, row_in_force(key, on), history(key)))
    return result


def add_value(
    key: str,
    *,
    value_text: str,
    effective_from: date,
    citation: str,
    note: str | None,
    actor: User,
) -> RuleParameter:
    parameter_definition = definition(key)
    errors: dict[str, list[str]] = {}
    try:
        value = parse_value(
            parameter_definition.unit, value_text, minimum=parameter_definition.minimum
        )
    except ValueError as exc:
        errors["value"] = [str(exc)]
    if any(row.effective_from == effective_from for row in history(key)):
        errors["effective_from"] = [
            f"A value already takes effect on {effective_from.isoformat()}; pick another date."
        ]
    if not citation.strip():
        errors["citation"] = ["Cite the source of the value (a rule, notice or statute)."]
    if errors:
        raise InvalidInput(errors)
    row = RuleParameter(
        key=key,
        value=str(value),
        effective_from=effective_from,
        citation=citation.strip(),
        note=(note or "").strip() or None,
        created_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    if key.startswith("risk.weight."):
        # Every provider's kept score weighs by it (§7.305(d)).
        signals.send(signals.provider_facts_changed, provider_ids=None)
    record_event(
        "parameter.add_value",
        actor=actor,
        subject=("rule_parameter", key),
        after={
            "value": row.value,
            "effective_from": effective_from,
            "citation": row.citation,
            "note": row.note,
        },
    )
    return row
