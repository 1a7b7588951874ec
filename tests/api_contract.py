"""The API's contract, checked on every call the suite makes: each answer under ``/api/`` is
validated against the OpenAPI document the server itself publishes at ``/api/v1/openapi.json``
(with openapi-core), and each request the server accepted must be one the document allows. So
a change to the server that the document does not follow, or the other way round, fails the
test that made the call.

An address or method the document does not have must still answer a problem document
(RFC 9457), with ``Allow`` on a 405.
"""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import EnvironBuilder, FlaskClient
from jsonschema.exceptions import best_match
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.deserializing.media_types.util import json_loads, plain_loads
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_schema_validator import OAS31Validator
from werkzeug.test import TestResponse
from werkzeug.wrappers import Request

API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"  # RFC 9457 §6.1
DOCUMENT_PATH = "/api/v1/openapi.json"
CONFIG = Config(
    extra_media_type_deserializers={
        PROBLEM_JSON: json_loads,
        "text/csv": plain_loads,
        "text/calendar": plain_loads,
    }
)
_contracts: dict[str, tuple[dict[str, Any], OpenAPI]] = {}


class ContractViolation(AssertionError):
    pass


def published_document(app: Flask) -> tuple[dict[str, Any], OpenAPI]:
    """The document as the server answers it (a plain client, so it is not checked against
    itself first), and openapi-core's reading of it, made once per distinct document."""
    text = FlaskClient(app).get(DOCUMENT_PATH).get_data(as_text=True)
    if text not in _contracts:
        document = json.loads(text)
        _contracts[text] = (document, OpenAPI.from_dict(document, config=CONFIG))
    return _contracts[text]


def schema_validator(document: dict[str, Any], schema: dict[str, Any]) -> OAS31Validator:
    """A validator for one schema of the document, its ``$ref``s resolved within the document."""
    return OAS31Validator({"components": document["components"], "allOf": [schema]})


def is_api_call(args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    target = args[0] if args else kwargs.get("path", "/")
    return isinstance(target, str) and urlsplit(target).path.startswith(API_PREFIX)


def replayable_request(app: Flask, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Request:
    """The request a test is about to send, with its body kept for the check afterwards."""
    builder = EnvironBuilder(app, *args, **kwargs)
    try:
        request = builder.get_request()
    finally:
        builder.close()
    body = request.get_data()
    request.environ["wsgi.input"] = io.BytesIO(body)
    return request


def check(app: Flask, request: Request, response: TestResponse) -> None:
    document, contract = published_document(app)
    openapi_request = WerkzeugOpenAPIRequest(request)
    call = f"{request.method} {request.full_path.rstrip('?')} answered {response.status_code}"
    try:
        contract.validate_response(openapi_request, WerkzeugOpenAPIResponse(response))
    except (PathNotFound, OperationNotFound):
        _check_undocumented(document, response, call)
        return
    except Exception as error:
        raise ContractViolation(f"{call}, which the document does not describe: {error!r}; "
                                f"{_reasons(error)}") from error  # fmt: skip
    if response.status_code < 400:
        try:
            contract.validate_request(openapi_request)
        except Exception as error:
            raise ContractViolation(f"{call} to a request the document does not allow: "
                                    f"{error!r}; {_reasons(error)}") from error  # fmt: skip


def _reasons(error: BaseException) -> str:
    details = getattr(error, "schema_errors", None) or getattr(
        getattr(error, "__cause__", None), "schema_errors", None
    )
    return "; ".join(str(best_match([detail]).message) for detail in details or ())


def _check_undocumented(document: dict[str, Any], response: TestResponse, call: str) -> None:
    """An address or method the document lacks can only be refused, as a problem document."""
    if response.status_code < 400 or response.mimetype != PROBLEM_JSON:
        raise ContractViolation(f"{call} ({response.mimetype}) at an address the document lacks")
    problem = response.get_json()
    errors = list(
        schema_validator(document, {"$ref": "#/components/schemas/Problem"}).iter_errors(problem)
    )
    if errors:
        raise ContractViolation(
            f"{call} with a problem document that is not one: {errors[0].message}"
        )
    if response.status_code == 405 and "Allow" not in response.headers:
        raise ContractViolation(f"{call} without an Allow header")
