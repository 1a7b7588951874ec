"""Every response names its request, every log line of a request carries that name as JSON,
and an error page's reference number is that name, so the help desk finds the lines."""

import json
import logging

from core.access import public
from tests.conftest import make_app


def test_each_response_names_its_own_request(client):
    first, second = client.get("/healthz"), client.get("/login")
    assert len(first.headers["X-Request-ID"]) == 16
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_a_trusted_proxys_request_id_is_kept_and_anyone_elses_is_not(database_url):
    sent = {"X-Request-ID": "edge-7f3a9c21d4"}
    direct = make_app(database_url).test_client().get("/healthz", headers=sent)
    assert direct.headers["X-Request-ID"] != "edge-7f3a9c21d4"
    behind = make_app(database_url, TRUSTED_PROXIES=1).test_client()
    assert behind.get("/healthz", headers=sent).headers["X-Request-ID"] == "edge-7f3a9c21d4"
    junk = behind.get("/healthz", headers={"X-Request-ID": "x y\x7f"}).headers["X-Request-ID"]
    assert junk != "x y\x7f" and len(junk) == 16


def test_a_server_errors_reference_is_its_request_and_its_log_line_is_json(database_url, caplog):
    app = make_app(database_url)

    @public
    def explode():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    reference = response.text.split('data-testid="error-reference">')[1].split("<")[0]
    assert reference == response.headers["X-Request-ID"]

    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    [handler] = app.logger.handlers
    line = json.loads(handler.format(record).splitlines()[0])
    assert line["request_id"] == reference
    assert line["level"] == "ERROR"
    assert line["message"] == f"server error, reference {reference}"
