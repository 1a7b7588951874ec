from tests.factories import log_in, make_user


def test_signed_in_analyst_sees_the_dashboard(client):
    analyst = make_user()
    response = log_in(client, analyst)
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert "Dashboard" in page.text
