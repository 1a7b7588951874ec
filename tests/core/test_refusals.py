"""A step that a record's state refuses is answered once for the whole application: a message at
the top of the record's page, or 409 with the message under /api/; never a server error."""

from core.access import public
from core.errors import IllegalTransition


def _refusing_route(app, path):
    @public
    def refuse():
        raise IllegalTransition("This case is closed; it can no longer change.")

    app.add_url_rule(path, endpoint="refuse", view_func=refuse, methods=["POST"])


def test_a_step_refused_under_the_api_answers_409_with_the_reason(app, client):
    _refusing_route(app, "/api/v1/cases/7/close")
    answer = client.post("/api/v1/cases/7/close")
    assert answer.status_code == 409
    assert answer.mimetype == "application/problem+json"
    assert answer.json["status"] == 409
    assert answer.json["type"].endswith("/problems/refused-change")
    assert answer.json["detail"] == "This case is closed; it can no longer change."


def test_a_step_refused_on_a_page_goes_back_to_the_record_with_the_reason(app, client):
    _refusing_route(app, "/consultations/7/position/again")
    answer = client.post("/consultations/7/position/again")
    assert (answer.status_code, answer.location) == (303, "/consultations/7")
