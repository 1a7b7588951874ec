"""Web forms drawn from a ``core.schema`` description, so that a form keyed in by an analyst and
a JSON filing from a provider's system are checked by the same rules.

Input names: a field's own name; a table cell ``<table>-<row>-<column>``; a text list is a
textarea with one item per line. Tables grow by a plain submit button ("Add a row"), so they
work from the keyboard and without JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

from core.schema import Field, Kind, Problem, phone_shown

ADD_ROW_PREFIX = "add-row:"
INTEGER_TEXT = re.compile(r"^\s*\d[\d,]*\s*$")


def input_id(path: str) -> str:
    """The HTML id for a field path: ``accounts[0].opened_on`` → ``accounts-0-opened_on``."""
    return re.sub(r"\[(\d+)\]\.", r"-\1-", path)


def _scalar_from_text(spec: Field, text: str | None, checked: bool) -> Any:
    if spec.kind in (Kind.BOOLEAN, Kind.ATTESTATION):
        return checked
    text = (text or "").strip()
    if not text:
        return None
    if spec.kind is Kind.INTEGER and INTEGER_TEXT.match(text):
        return int(text.replace(",", ""))
    return text


def _row_numbers(table: str, form: Mapping[str, str]) -> list[int]:
    pattern = re.compile(rf"^{re.escape(table)}-(\d+)-")
    return sorted({int(match.group(1)) for key in form if (match := pattern.match(key))})


def _table_from_form(spec: Field, form: Mapping[str, str]) -> list[dict[str, Any]]:
    rows = []
    for number in _row_numbers(spec.name, form):
        row = {
            column.name: _scalar_from_text(
                column,
                form.get(f"{spec.name}-{number}-{column.name}"),
                f"{spec.name}-{number}-{column.name}" in form,
            )
            for column in spec.columns
        }
        if any(value not in (None, False) for value in row.values()):
            rows.append(row)
    return rows


def payload_from_form(specs: Sequence[Field], form: MultiDict[str, str]) -> dict[str, Any]:
    """The JSON payload a web form stands for; empty table rows are dropped."""
    payload: dict[str, Any] = {}
    for spec in specs:
        if spec.kind is Kind.TABLE:
            payload[spec.name] = _table_from_form(spec, form)
        elif spec.kind is Kind.TEXT_LIST:
            lines = (form.get(spec.name) or "").splitlines()
            payload[spec.name] = [line.strip() for line in lines if line.strip()]
        else:
            payload[spec.name] = _scalar_from_text(spec, form.get(spec.name), spec.name in form)
    return payload


def table_to_grow(form: MultiDict[str, str]) -> str | None:
    action = form.get("action", "")
    return action[len(ADD_ROW_PREFIX) :] if action.startswith(ADD_ROW_PREFIX) else None


@dataclass(frozen=True)
class FormState:
    """What a schema form shows: the values, one error list per input, and the rows per table."""

    values: dict[str, Any]
    errors: dict[str, list[str]]
    form_errors: list[str]
    extra_rows: dict[str, int]

    def rows(self, spec: Field) -> list[dict[str, Any]]:
        existing = list(self.values.get(spec.name) or [])
        blank_rows = self.extra_rows.get(spec.name, 0 if existing else 1)
        return existing + [{} for _ in range(blank_rows)]

    def errors_for(self, path: str) -> list[str]:
        return self.errors.get(input_id(path), [])


def form_state(
    values: dict[str, Any] | None = None,
    problems: Sequence[Problem] = (),
    grow: str | None = None,
) -> FormState:
    errors: dict[str, list[str]] = {}
    form_errors: list[str] = []
    for problem in problems:
        text = f"{problem.message} ({problem.citation})" if problem.citation else problem.message
        if problem.path:
            errors.setdefault(input_id(problem.path), []).append(text)
        else:
            form_errors.append(text)
    return FormState(values or {}, errors, form_errors, {grow: 1} if grow else {})


def display_value(spec: Field, value: Any) -> str:
    """A stored value as text for a page or a PDF."""
    if value is None or value == []:
        return "—"
    if spec.kind in (Kind.BOOLEAN, Kind.ATTESTATION):
        return "Yes" if value else "No"
    if spec.kind is Kind.CHOICE:
        return dict(spec.choices).get(value, str(value))
    if spec.kind is Kind.INTEGER:
        return f"{value:,}"
    if spec.kind is Kind.PHONE:
        return phone_shown(str(value))
    if spec.kind is Kind.TEXT_LIST:
        shown = phone_shown if spec.item_kind is Kind.PHONE else str
        return "; ".join(shown(item) for item in value)
    return str(value)
