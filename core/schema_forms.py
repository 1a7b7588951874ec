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
from dataclasses import field as dataclass_field
from typing import Any

from werkzeug.datastructures import MultiDict

from core import control_characters
from core.schema import MAX_INTEGER, Field, Kind, Problem, phone_shown

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
        digits = text.replace(",", "").lstrip("0") or "0"
        # Past the digits of the largest number a field takes, any number is too large; reading
        # thousands of digits would be refused by Python itself.
        return int(digits) if len(digits) <= len(str(MAX_INTEGER)) else MAX_INTEGER + 1
    if spec.kind is Kind.LONG_TEXT:
        return control_characters.strip(text)
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
    """What a schema form shows: the values, one error list per input, the lines of the error
    summary (the input each links to, and its text), and the rows per table."""

    values: dict[str, Any]
    errors: dict[str, list[str]]
    form_errors: list[str]
    extra_rows: dict[str, int]
    summary: list[tuple[str, str]] = dataclass_field(default_factory=list)

    def rows(self, spec: Field) -> list[dict[str, Any]]:
        existing = list(self.values.get(spec.name) or [])
        blank_rows = self.extra_rows.get(spec.name, 0 if existing else 1)
        return existing + [{} for _ in range(blank_rows)]

    def errors_for(self, path: str) -> list[str]:
        return self.errors.get(input_id(path), [])


FIELD_PATH = re.compile(r"^(?P<name>\w+)(?:\[(?P<index>\d+)\](?:\.(?P<column>\w+))?)?$")


@dataclass(frozen=True)
class Place:
    """Where a field path is on the form: the input (or fieldset) that shows its errors, the
    name a person knows it by, and the label of the field itself (a table's column)."""

    input_id: str
    label: str
    field_label: str


def place_of(specs: Sequence[Field], path: str) -> Place | None:
    """Where ``path`` is on the form. A table cell, ``unverified_accounts[1].provisioned_on``,
    is its input, labelled "Each unverified foreign customer's accounts, row 2: Date the
    account was provisioned"; a line of a text list, ``emails[2]``, is shown on the list's
    textarea as "Email addresses, line 3". None when the path is no field of ``specs``."""
    match = FIELD_PATH.match(path)
    spec = next((s for s in specs if s.name == match["name"]), None) if match else None
    if match is None or spec is None:
        return None
    if match["index"] is None:
        return Place(input_id(path), spec.label, spec.label)
    number = int(match["index"]) + 1
    if spec.kind is Kind.TEXT_LIST and match["column"] is None:
        return Place(spec.name, f"{spec.label}, line {number}", spec.label)
    if spec.kind is not Kind.TABLE:
        return None
    if match["column"] is None:
        return Place(spec.name, f"{spec.label}, row {number}", spec.label)
    column = next((c for c in spec.columns if c.name == match["column"]), None)
    if column is None:
        return None
    return Place(input_id(path), f"{spec.label}, row {number}: {column.label}", column.label)


def field_label(specs: Sequence[Field], path: str) -> str:
    """The name a person knows a field path by, for a page that lists fields (a correction's
    changes); a path that is no field of ``specs`` is shown as it is."""
    place = place_of(specs, path)
    return place.label if place else path


def form_state(
    values: dict[str, Any] | None = None,
    problems: Sequence[Problem] = (),
    grow: str | None = None,
    *,
    specs: Sequence[Field] = (),
) -> FormState:
    """Each problem next to its input, and in the summary under the field's label; a problem
    that names no field of ``specs`` is said about the form as a whole."""
    errors: dict[str, list[str]] = {}
    form_errors: list[str] = []
    summary: list[tuple[str, str]] = []
    for problem in problems:
        place = place_of(specs, problem.path) if problem.path else None
        # A message that ends with the field's label ("is required: Legal name") does not say
        # it twice once the label leads the summary's line.
        message = problem.message
        if place:
            message = message.removesuffix(f": {place.field_label}")
        text = f"{message} ({problem.citation})" if problem.citation else message
        if problem.path:
            errors.setdefault(place.input_id if place else input_id(problem.path), []).append(text)
        if place:
            summary.append((place.input_id, f"{place.label}: {text}"))
        else:
            form_errors.append(text)
    return FormState(values or {}, errors, form_errors, {grow: 1} if grow else {}, summary)


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
