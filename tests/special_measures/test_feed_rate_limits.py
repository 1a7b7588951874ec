"""The public feed's rate limit: each address, across the three formats, with a problem
document and Retry-After when it is reached (a figure named by each test)."""

from tests.factories import make_measure

FEED = ("/api/v1/special-measures", "/api/v1/special-measures.csv", "/api/v1/special-measures.ics")


def test_an_address_is_counted_across_the_three_formats(app, client):
    app.config["RATELIMIT_PUBLIC_FEED"] = "4 per minute"
    make_measure()
    assert [client.get(path).status_code for path in FEED] == [200, 200, 200]
    assert client.get(f"{FEED[0]}?on=yesterday").status_code == 400  # counted too
    refused = client.get(FEED[1])
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.json["detail"].startswith(
        "Too many requests for the list of special measures from this address; try again in "
    )
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    client.environ_base["REMOTE_ADDR"] = "192.0.2.8"
    assert client.get(FEED[1]).status_code == 200
