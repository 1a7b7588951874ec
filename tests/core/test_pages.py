"""The house style of every page: error pages, CUI banners, the official-government banner."""

from flask import Flask

from core.access import public
from core.auth.rules import Role
from tests.conftest import make_app
from tests.factories import log_in, make_provider, make_user


def test_an_unknown_address_gets_the_house_404_page(client):
    log_in(client, make_user())
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "An official website of the United States government" in response.text


def test_a_server_error_shows_a_reference_number_and_no_traceback(database_url, caplog):
    app: Flask = make_app(database_url)

    @public
    def explode():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "Reference number" in response.text
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    # The same reference is in the log, so the help desk can find what happened.
    reference = response.text.split('data-testid="error-reference">')[1].split("<")[0]
    assert reference in caplog.text


def test_a_route_that_declares_no_roles_is_denied(database_url):
    app: Flask = make_app(database_url)
    app.add_url_rule("/undeclared", "undeclared", lambda: "should never be seen")
    response = app.test_client().get("/undeclared")
    assert response.status_code == 403
    assert "should never be seen" not in response.text


def test_a_page_showing_filing_contents_carries_the_cui_banner_top_and_bottom(client):
    provider = make_provider("Cascade Hosting Corp.")
    log_in(client, make_user(Role.ANALYST))
    page = client.get(f"/intake/providers/{provider.id}").text
    assert page.count("CUI//PRVCY/PROPIN") == 2
    top, bottom = page.index('data-testid="cui-top"'), page.index('data-testid="cui-bottom"')
    assert top < page.index("<h1>Cascade Hosting Corp.</h1>") < bottom


def test_a_page_without_filing_contents_has_no_cui_banner(client):
    log_in(client, make_user(Role.ANALYST))
    assert "CUI//" not in client.get("/deadlines/").text


def test_each_module_landing_page_lists_its_clocks_with_citations(client):
    log_in(client, make_user(Role.VIEWER))
    casework = client.get("/casework/").text
    assert "Petition against a proposed penalty" in casework
    assert "§7.309(c)(1)(i)" in casework
    special_measures = client.get("/special-measures/").text
    assert "365-day period beginning on the start date" in special_measures
    assert "§7.307(a)(5)" in special_measures
    assert "§7.306(f)" in client.get("/exemptions/").text
