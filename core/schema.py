"""A small declarative schema for what filers send: one description serves the web form, the
JSON API, the OpenAPI document and validation, so both ways in give the same answers.

Pure: no Flask, no database. Every field carries the rule paragraph it comes from, and every
problem found cites it.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import email_validator
import phonenumbers
import pycountry

from core import control_characters


class Kind(enum.Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    DATE = "date"
    EMAIL = "email"
    PHONE = "phone"
    BOOLEAN = "boolean"
    ATTESTATION = "attestation"  # must be true: the filer attests to the statement
    COUNTRY = "country"  # ISO 3166-1 alpha-2
    CHOICE = "choice"
    TEXT_LIST = "text_list"
    TABLE = "table"  # a list of rows, each with ``columns``
    NUMBER = "number"  # a non-negative quantity that may be very large: 3.1e25 operations


DEFAULT_MAX_LENGTH = {Kind.TEXT: 300, Kind.LONG_TEXT: 20_000, Kind.TEXT_LIST: 300}
# The largest whole number a field takes: what a PostgreSQL INTEGER column holds, where a count
# or a request number is kept or looked up.
MAX_INTEGER = 2**31 - 1
WHOLE_NUMBER = "must be a whole number, e.g. 1250"
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WHOLE_NUMBER_TEXT = re.compile(r"^-?\d[\d,]*(\.0+)?$")
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})
# Codes people write for a country that ISO 3166-1 spells otherwise.
NOT_ISO_CODES = {"UK": "GB", "EL": "GR"}


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind
    citation: str
    required: bool = True
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    columns: tuple[Field, ...] = ()
    max_rows: int = 10_000
    hint: str = ""
    # A payment identifier (§7.308(d)(1)(i)(C)): encrypted at rest, shown masked, searched by a
    # keyed hash (docs/architecture.md §8). The schema only marks it; intake keeps it so.
    sensitive: bool = False
    # For a TEXT_LIST: what each item must be (EMAIL, PHONE); plain text when None.
    item_kind: Kind | None = None

    @property
    def length_limit(self) -> int | None:
        return self.max_length or DEFAULT_MAX_LENGTH.get(self.kind)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) with a submission, at a field path."""

    path: str
    message: str
    citation: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.path, "message": self.message, "citation": self.citation}


@dataclass
class Result:
    cleaned: dict[str, Any] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# Without a country code, a number is read as U.S. filers write one: ten digits, NANP (+1).
PHONE_REGION = "US"
# How a telephone number is kept: E.164, and an extension after ";ext=" as RFC 3966 writes it.
EXTENSION_MARK = ";ext="
PHONE_EXAMPLE = "+1 202 555 0100 ext. 123"
# Room for the longest E.164 number with the longest extension, as typed with spacing.
PHONE_MAX_CHARS = 60


def check_email(text: str) -> tuple[str | None, str | None]:
    """An email address checked offline (no DNS): the address as given, local part and all, its
    domain in lower case; or why it is not one. Compare addresses with ``email_key``."""
    try:
        checked = email_validator.validate_email(text.strip(), check_deliverability=False)
    except email_validator.EmailNotValidError as error:
        return None, f"must be an email address, e.g. name@example.com: {error}"
    return checked.normalized, None


def email_key(address: str) -> str:
    """What two mentions of one mailbox share: mail systems match addresses whatever the case."""
    return address.casefold()


def _whole_number(text: str) -> phonenumbers.PhoneNumber | None:
    """The number ``text`` is, when it is nothing but one (and its extension): "call +1 202 555
    0100" or "+1 202 555 0100 please" is not."""
    if len(text) > PHONE_MAX_CHARS:
        return None
    matches = phonenumbers.PhoneNumberMatcher(text, PHONE_REGION, phonenumbers.Leniency.POSSIBLE)
    found = next(iter(matches), None)
    return found.number if found and (found.start, found.end) == (0, len(text)) else None


def check_phone(text: str) -> tuple[str | None, str | None]:
    """A telephone number in E.164 with any extension ("+12025550100;ext=123"), from what people
    type ("(202) 555-0100 x123", "+44 (0) 20 7946 0958", "0049 30 5550 1234"); or why it is not
    one. Only a number its country's numbering plan allows passes."""
    text = text.strip()
    if text.startswith("00"):  # the international prefix most of the world dials
        text = "+" + text[2:]
    number = _whole_number(text)
    if number is None:
        return None, (
            "must be a telephone number with its country code, and its extension if it has "
            f"one, e.g. {PHONE_EXAMPLE}"
        )
    if not phonenumbers.is_valid_number(number):
        return None, (
            f"is not a telephone number in use: no number with country code "
            f"+{number.country_code} is written that way; check the digits"
        )
    stored = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return (f"{stored}{EXTENSION_MARK}{number.extension}" if number.extension else stored), None


def phone_key(stored: str) -> str:
    """What two mentions of one line share: the number in E.164, whatever the extension."""
    return stored.split(EXTENSION_MARK, 1)[0]


def phone_shown(stored: str) -> str:
    """A stored number as people read it: "+1 202-555-0100 ext. 123". A value kept before
    numbers were checked this way, that does not read as a number, is shown as it was kept."""
    try:
        number = phonenumbers.parse(stored, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def country_name(code: str) -> str | None:
    country = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    return country.name if country else None


COUNTRY_CHOICES: tuple[tuple[str, str], ...] = tuple(
    sorted(((country.alpha_2, country.name) for country in pycountry.countries), key=lambda c: c[1])
)


NUMBER_TEXT = re.compile(
    r"^(?P<mantissa>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?:[eE]\+?(?P<e>\d+)|[x×*]\s*10\s*\^\s*(?P<p>\d+))?$"
)


def parse_number_text(text: str) -> float | None:
    """A quantity as people write it: "3.1e25", "3.1 × 10^25", "10^26", "250,000"."""
    text = text.strip()
    if text.startswith("10^"):
        text = "1 × " + text
    match = NUMBER_TEXT.match(text)
    if not match:
        return None
    exponent = int(match.group("e") or match.group("p") or 0)
    number = float(f"{match.group('mantissa').replace(',', '')}e{exponent}")
    # 1e309 or 400 digits is past what a float holds: not a quantity anyone means.
    return number if math.isfinite(number) else None


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _check_text(spec: Field, value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, "must be text"
    if problem := control_characters.problem(value, free_text=spec.kind is Kind.LONG_TEXT):
        return None, problem
    value = value.strip()
    limit = spec.length_limit
    if limit and len(value) > limit:
        return None, f"must be at most {limit:,} characters (it has {len(value):,})"
    return value, None


def _finite_float(value: Any) -> float | None:
    """A number as a float; None for anything else, and for what no float holds (NaN, infinity,
    a JSON integer of 400 digits)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _check_scalar(spec: Field, value: Any) -> tuple[Any, str | None]:
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.LONG_TEXT):
        return _check_text(spec, value)
    if isinstance(value, str) and (problem := control_characters.problem(value)):
        return None, problem
    if kind is Kind.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            return None, WHOLE_NUMBER
        if value > MAX_INTEGER:
            return None, f"must be at most {MAX_INTEGER:,}"
        return (value, None) if value >= 0 else (None, "must not be negative")
    if kind is Kind.NUMBER:
        if isinstance(value, str):
            value = parse_number_text(value)
        number = _finite_float(value)
        if number is None:
            return None, "must be a number, e.g. 3.1e25"
        return (number, None) if number >= 0 else (None, "must not be negative")
    if kind is Kind.DATE:
        text = value.strip() if isinstance(value, str) else ""
        if not DATE_TEXT.match(text):
            return None, "must be a date written YYYY-MM-DD, e.g. 2024-02-01"
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, f"is not a real date: {text} does not exist"
    if kind is Kind.EMAIL:
        text, problem = _check_text(spec, value)
        return (None, problem) if problem else check_email(text)
    if kind is Kind.PHONE:
        if not isinstance(value, str):
            return None, "must be a telephone number written as text"
        return check_phone(value)
    if kind in (Kind.BOOLEAN, Kind.ATTESTATION):
        if not isinstance(value, bool):
            return None, "must be true or false"
        if kind is Kind.ATTESTATION and value is not True:
            return None, "must be attested for the filing to be complete"
        return value, None
    if kind is Kind.COUNTRY:
        code = value.strip().upper() if isinstance(value, str) else ""
        if code in NOT_ISO_CODES:
            return None, f"{code} is not an ISO 3166-1 code; use {NOT_ISO_CODES[code]}"
        if country_name(code) is None:
            return None, "must be an ISO 3166-1 two-letter country code, e.g. DE"
        return code, None
    if kind is Kind.CHOICE:
        allowed = [choice for choice, _ in spec.choices]
        if value not in allowed:
            return None, f"must be one of: {', '.join(allowed)}"
        return value, None
    raise ValueError(f"{kind} is not a scalar kind")


def read_cell(spec: Field, text: str) -> tuple[Any, str | None]:
    """A spreadsheet cell's text read as the value its kind takes, then checked as a JSON value
    of that kind is, so that a field has one check and one message however it arrives. A whole
    number may carry thousands separators or Excel's ".0", a date Excel's midnight, an
    attestation "yes" or "no". A date comes back as a ``date``."""
    kind = spec.kind
    if kind is Kind.INTEGER:
        if not WHOLE_NUMBER_TEXT.match(text):
            return None, WHOLE_NUMBER
        sign, digits = text[:1] == "-", text.lstrip("-").split(".")[0].replace(",", "")
        digits = digits.lstrip("0") or "0"
        if len(digits) > len(str(MAX_INTEGER)):  # Python reads no more than 4,300 digits
            return None, f"must be at most {MAX_INTEGER:,}"
        return _check_scalar(spec, -int(digits) if sign else int(digits))
    if kind is Kind.DATE:
        at_midnight = text.removesuffix(" 00:00:00").removesuffix("T00:00:00")
        value, problem = _check_scalar(spec, at_midnight)
        return (None, problem) if problem else (date.fromisoformat(value), None)
    if kind in (Kind.BOOLEAN, Kind.ATTESTATION):
        answer = text.strip().lower()
        if answer not in YES | NO:
            return None, "must be yes or no"
        return _check_scalar(spec, answer in YES)
    return _check_scalar(spec, text)


def _validate_list(spec: Field, value: Any, path: str, errors: list[Problem]) -> list[Any]:
    if not isinstance(value, list):
        errors.append(Problem(path, "must be a list", spec.citation))
        return []
    if len(value) > spec.max_rows:
        errors.append(Problem(path, f"must have at most {spec.max_rows:,} rows", spec.citation))
        return []
    cleaned = []
    for index, item in enumerate(value):
        item_path = f"{path}[{index}]"
        if spec.kind is Kind.TABLE:
            if not isinstance(item, Mapping):
                errors.append(Problem(item_path, "must be an object", spec.citation))
                continue
            cleaned.append(_validate_fields(spec.columns, item, item_path + ".", errors))
        else:
            text, problem = _check_text(spec, item)
            if not problem and text and spec.item_kind is not None:
                text, problem = _check_scalar(
                    Field(spec.name, spec.label, spec.item_kind, ""), text
                )
            if problem or not text:
                errors.append(Problem(item_path, problem or "must not be empty", spec.citation))
            cleaned.append(text)
    return cleaned


def _validate_fields(
    specs: Sequence[Field], payload: Mapping[str, Any], prefix: str, errors: list[Problem]
) -> dict[str, Any]:
    known = {spec.name for spec in specs}
    for name in payload:
        if name not in known:
            errors.append(Problem(f"{prefix}{name}", "is not a field of this form", ""))
    cleaned: dict[str, Any] = {}
    for spec in specs:
        path = f"{prefix}{spec.name}"
        value = payload.get(spec.name)
        if _is_blank(value):
            if spec.required:
                errors.append(Problem(path, f"is required: {spec.label}", spec.citation))
            cleaned[spec.name] = [] if spec.kind in (Kind.TABLE, Kind.TEXT_LIST) else None
            continue
        if spec.kind in (Kind.TABLE, Kind.TEXT_LIST):
            cleaned[spec.name] = _validate_list(spec, value, path, errors)
            continue
        checked, problem = _check_scalar(spec, value)
        if problem:
            errors.append(Problem(path, problem, spec.citation))
        cleaned[spec.name] = checked
    return cleaned


def validate(specs: Sequence[Field], payload: Any) -> Result:
    """Check ``payload`` against ``specs``: the cleaned values, and every problem by field path."""
    result = Result()
    if not isinstance(payload, Mapping):
        result.errors.append(Problem("", "must be a JSON object", ""))
        return result
    result.cleaned = _validate_fields(specs, payload, "", result.errors)
    return result


# --- JSON Schema 2020-12 (for the OpenAPI 3.1 document) ------------------------------------


def _json_schema_of(spec: Field) -> dict[str, Any]:
    description = f"{spec.label} ({spec.citation})" if spec.citation else spec.label
    schema: dict[str, Any] = {"description": description}
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.LONG_TEXT):
        schema |= {"type": "string", "maxLength": spec.length_limit}
    elif kind is Kind.INTEGER:
        schema |= {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER}
    elif kind is Kind.DATE:
        schema |= {"type": "string", "format": "date"}
    elif kind is Kind.EMAIL:
        schema |= {"type": "string", "format": "email"}
    elif kind is Kind.PHONE:
        schema |= {"type": "string", "example": "+12025550100"}
    elif kind is Kind.BOOLEAN:
        schema |= {"type": "boolean"}
    elif kind is Kind.ATTESTATION:
        schema |= {"type": "boolean", "enum": [True]}
    elif kind is Kind.COUNTRY:
        schema |= {"type": "string", "pattern": "^[A-Z]{2}$", "example": "DE"}
    elif kind is Kind.CHOICE:
        schema |= {"type": "string", "enum": [choice for choice, _ in spec.choices]}
    elif kind is Kind.NUMBER:
        schema |= {"type": "number", "minimum": 0, "example": 3.1e25}
    elif kind is Kind.TEXT_LIST:
        items = {"type": "string", "maxLength": spec.length_limit}
        if spec.item_kind is not None:
            items = _json_schema_of(Field(spec.name, spec.label, spec.item_kind, "")) | items
        schema |= {"type": "array", "items": items}
    elif kind is Kind.TABLE:
        schema |= {"type": "array", "maxItems": spec.max_rows, "items": object_schema(spec.columns)}
    return schema


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional field may be sent as null: ``validate`` takes null for blank (JSON Schema
    2020-12, as OpenAPI 3.1 writes it)."""
    nullable = dict(schema)
    if "type" in nullable:
        nullable["type"] = [nullable["type"], "null"]
    if "enum" in nullable:
        nullable["enum"] = [*nullable["enum"], None]
    return nullable


def object_schema(specs: Sequence[Field]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [spec.name for spec in specs if spec.required],
        "properties": {
            spec.name: _json_schema_of(spec) if spec.required else _or_null(_json_schema_of(spec))
            for spec in specs
        },
    }
