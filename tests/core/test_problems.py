"""Under /api/ every error is a problem document (RFC 9457), whichever part of the system
answers it; elsewhere people still get the error page."""

import pytest

from core.problems import PROBLEM_TYPES, problem

PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance", "errors"}


def _is_problem(response, status):
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.get_json()
    assert set(body) >= PROBLEM_MEMBERS
    assert body["status"] == status
    return body


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v2/filings", "/api/", "/api"])
def test_an_unknown_address_under_api_answers_a_problem_not_a_page(client, path):
    body = _is_problem(client.get(path), 404)
    assert (body["type"], body["title"]) == ("about:blank", "Not Found")
    assert body["instance"] == path
    assert "nothing at this address" in body["detail"]


def test_a_wrong_method_under_api_answers_405_with_the_methods_allowed(client):
    response = client.delete("/api/v1/filings")
    body = _is_problem(response, 405)
    assert "POST" in response.headers["Allow"]
    assert body["title"] == "Method Not Allowed"
    assert "does not accept DELETE" in body["detail"]
    feed = client.post("/api/v1/special-measures")
    _is_problem(feed, 405)
    assert "GET" in feed.headers["Allow"]


def test_pages_outside_the_api_still_answer_the_error_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Page not found" in response.text


def test_each_problem_type_leads_to_its_description(client):
    for name, kind in PROBLEM_TYPES.items():
        described = client.get(f"/api/v1/problems/{name}")
        assert described.status_code == 200
        assert described.get_json() == {
            "type": f"http://oicts.test/api/v1/problems/{name}",
            "title": kind.title,
            "status": kind.status,
            "description": kind.description,
        }
    _is_problem(client.get("/api/v1/problems/no-such-type"), 404)


def test_a_problem_of_a_named_type_has_that_types_status(app):
    with app.test_request_context("/api/v1/filings"):
        refused = problem(409, "Another import is running.", kind="refused-change")
        assert refused.get_json()["title"] == PROBLEM_TYPES["refused-change"].title
        with pytest.raises(ValueError, match="answers 409, not 422"):
            problem(422, "Another import is running.", kind="refused-change")


def test_the_instance_of_a_problem_is_a_uri_reference_whatever_the_address_asked(client):
    body = _is_problem(client.get("/api/v1/problems/%C3%84 b%09%25"), 404)
    assert body["instance"] == "/api/v1/problems/%C3%84%20b%09%25"
