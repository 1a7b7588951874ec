"""The OpenAPI document as a client generator reads it: every address the server answers under
/api/v1 is in it, every operation is named and tagged, and every example passes its schema."""

import re

from openapi_spec_validator import validate as validate_openapi

from tests.api_contract import schema_validator

METHODS = ("get", "post", "put", "patch", "delete")
SCHEMA_KEYS = ("type", "$ref", "properties", "oneOf", "anyOf", "allOf", "enum")


def _document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate_openapi(document)
    return document


def _operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _examples(node, where="#"):
    """Each example in the document with the schema it must pass, and where it is."""
    if isinstance(node, dict):
        if "example" in node and "schema" in node:
            yield where, node["schema"], node["example"]
        elif "example" in node and any(key in node for key in SCHEMA_KEYS):
            yield where, node, node["example"]
        for key, value in node.items():
            yield from _examples(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _examples(value, f"{where}/{index}")


def test_every_example_in_the_document_passes_its_own_schema(client):
    document = _document(client)
    examples = list(_examples(document))
    filings = [where for where, _, _ in examples if where.endswith("Filing")]
    assert len(filings) >= 9  # one working example for each kind filed as JSON
    failures = [
        f"{where}: {error.message} at {'/'.join(map(str, error.absolute_path))}"
        for where, schema, example in examples
        for error in schema_validator(document, schema).iter_errors(example)
    ]
    assert failures == []


def test_every_address_under_the_api_is_in_the_document(app, client):
    document = _document(client)
    documented = {(path, method) for path, method, _ in _operations(document)}
    served = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1")), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served - documented == set()
    assert ("/special-measures.ics", "get") in documented
    assert ("/filings/{receipt_number}/receipt.pdf", "get") in documented


def test_every_operation_is_named_tagged_and_open_only_where_it_says(client):
    document = _document(client)
    tags = {tag["name"] for tag in document["tags"]}
    operations = list(_operations(document))
    names = [operation.get("operationId") for _, _, operation in operations]
    assert None not in names
    assert len(set(names)) == len(names)
    assert all(operation["tags"] and set(operation["tags"]) <= tags for *_, operation in operations)
    public = {path for path, _, operation in operations if operation.get("security") == []}
    assert public == {
        "/openapi.json", "/problems/{name}",
        "/special-measures", "/special-measures.csv", "/special-measures.ics",
    }  # fmt: skip


def test_an_unsupported_content_type_is_described_by_what_the_operation_takes(client):
    document = _document(client)
    for path, method, operation in _operations(document):
        if "415" not in operation["responses"]:
            continue
        taken = set(operation["requestBody"]["content"])
        named = set(
            re.findall(r"\b[a-z]+/[a-z0-9.+-]+", operation["responses"]["415"]["description"])
        )
        assert named == taken, f"{method} {path}"


def test_every_operation_documents_a_wrong_method_the_rate_limit_and_a_body_too_large(client):
    document = _document(client)
    answers = document["components"]["responses"]
    assert answers["MethodNotAllowed"]["headers"]["Allow"]["required"] is True
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        assert responses["405"] == {"$ref": "#/components/responses/MethodNotAllowed"}, path
        assert responses["429"] == {"$ref": "#/components/responses/TooManyRequests"}, path
        if "requestBody" in operation:
            assert "413" in responses, f"{method} {path}"


def test_a_filing_links_its_receipt_to_the_operations_that_take_its_number(client):
    document = _document(client)
    filed = document["paths"]["/filings"]["post"]["responses"]["201"]["links"]
    assert {link["operationId"] for link in filed.values()} == {
        "getFiling", "getFilingReceiptPdf", "attachIpLog",
    }  # fmt: skip
    assert all(
        link["parameters"] == {"receipt_number": "$response.body#/receipt_number"}
        for link in filed.values()
    )
