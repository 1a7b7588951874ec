"""The OpenAPI document of ``/api/v1``, assembled from the parts the modules register (each
module describes its own operations), with the problem documents every error answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.problems import BLANK, PROBLEM_JSON, PROBLEM_TYPES

OPENAPI_VERSION = "3.1.0"


@dataclass(frozen=True)
class ApiPart:
    """One module's operations: its tag (and what the tag covers), paths and schemas."""

    tag: str
    description: str
    paths: dict[str, Any]
    schemas: dict[str, Any] = field(default_factory=dict)


_parts: dict[str, Callable[[], ApiPart]] = {}


def register_part(name: str, build: Callable[[], ApiPart]) -> None:
    _parts[name] = build


def ref(schema: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{schema}"}


def closed_object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An object the server always answers whole: every property present, no other (so that
    the contract check notices a field added or dropped on one side only)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
        **extra,
    }


def json_response(description: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
        **extra,
    }


def problem_response(description: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": ref("Problem")}},
        **extra,
    }


FIELD_ERROR = closed_object(
    properties={
        "field": {
            "type": "string",
            "description": "Where: a field path (unverified_accounts[0].provisioned_on), a row "
            "and column (row 2, accessed_at), a header or parameter; empty for the whole",
        },
        "message": {"type": "string", "description": "What is wrong, written for a person"},
        "citation": {
            "type": "string",
            "description": "The paragraph of 15 CFR part 7 the rule comes from; empty when "
            "the rule is the system's own (a format, a size)",
        },
    },
)


def _problem_schema() -> dict[str, Any]:
    types = "; ".join(
        f"{kind.name} ({kind.status}): {kind.title}" for kind in PROBLEM_TYPES.values()
    )
    return {
        "type": "object",
        "description": "A problem document (RFC 9457), the answer to every error under /api/.",
        "required": ["type", "title", "status", "detail", "instance", "errors"],
        "properties": {
            "type": {
                "type": "string",
                "format": "uri",
                "description": f"{BLANK} for a plain HTTP error (the title is then the status "
                "phrase); otherwise the address of the problem type's description, "
                f"/api/v1/problems/<name>, one of: {types}",
            },
            "title": {"type": "string", "description": "The same for every problem of the type"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string", "description": "What went wrong with this request"},
            "instance": {
                "type": "string",
                "format": "uri-reference",
                "description": "The address that was asked",
            },
            "errors": {
                "type": "array",
                "items": ref("FieldError"),
                "description": "Each problem by field or row, with its citation; empty when "
                "the detail says it all",
            },
            "reference": {
                "type": "string",
                "description": "server-error only: the number the office's log keeps",
            },
            "problem_count": {
                "type": "integer",
                "minimum": 0,
                "description": "How many problems a file has in all, when errors lists the first",
            },
        },
    }


PROBLEM_TYPE = closed_object(
    properties={
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "description": {"type": "string"},
    },
)


def _problems_part() -> ApiPart:
    return ApiPart(
        tag="Problems",
        description="What each type of problem document means (RFC 9457)",
        paths={
            "/problems/{name}": {
                "get": {
                    "operationId": "getProblemType",
                    "tags": ["Problems"],
                    "summary": "The description of a problem type: where a problem's type leads",
                    "security": [],
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": list(PROBLEM_TYPES)},
                        }
                    ],
                    "responses": {
                        "200": json_response("The problem type", ref("ProblemType")),
                        "404": problem_response("No problem type has that name"),
                    },
                }
            }
        },
        schemas={
            "Problem": _problem_schema(),
            "FieldError": FIELD_ERROR,
            "ProblemType": PROBLEM_TYPE,
        },
    )


register_part("problems", _problems_part)


COMMON_RESPONSES = {
    "MethodNotAllowed": problem_response(
        "The address does not take this method; Allow lists those it takes",
        headers={"Allow": {"required": True, "schema": {"type": "string"}}},
    ),
    "TooManyRequests": problem_response(
        "Too many requests in a short time: the filing API answers each token, the public feed "
        "each address, only so many times a minute (the rate-limited problem, always with "
        "Retry-After); the proxy in front of the system may limit each client too. Send it "
        "again after Retry-After seconds",
        headers={"Retry-After": {"required": False, "schema": {"type": "integer", "minimum": 0}}},
    ),
}


def _with_common_answers(path_item: dict[str, Any]) -> dict[str, Any]:
    """Every operation may meet a wrong method on its address (405, with Allow) and the rate
    limits of the system and of the proxy in front of it (429)."""
    answers = {
        "405": {"$ref": "#/components/responses/MethodNotAllowed"},
        "429": {"$ref": "#/components/responses/TooManyRequests"},
    }
    return {
        method: {**operation, "responses": {**answers, **operation["responses"]}}
        for method, operation in path_item.items()
    }


def document(*, title: str, version: str, description: str) -> dict[str, Any]:
    """The whole document: every registered part's tag, paths and schemas."""
    parts = [build() for build in _parts.values()]
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for part in parts:
        paths |= {path: _with_common_answers(item) for path, item in part.paths.items()}
        schemas |= part.schemas
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version, "description": description},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": [{"name": part.tag, "description": part.description} for part in parts],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": COMMON_RESPONSES,
            "schemas": dict(sorted(schemas.items())),
        },
    }
