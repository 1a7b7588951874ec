"""The health checks a load balancer and an operator read, without signing in."""

from sqlalchemy import text

from core.db import db
from core.jobs import queue


def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_is_ready_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready"}


def test_readyz_says_when_the_schema_is_not_the_codes(client):
    db.session.execute(text("UPDATE alembic_version SET version_num = '11ff492403ce'"))
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "not ready"
    [problem] = response.json["problems"]
    assert "the schema is at 11ff492403ce" in problem and "run flask db upgrade" in problem


def test_readyz_says_when_the_database_does_not_answer(tmp_path):
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path}/missing/folder/db.sqlite3")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "the database does not answer" in response.json["problems"][0]


def test_readyz_checks_the_job_queue_beside_the_database(queued_app):
    client = queued_app.test_client()
    assert client.get("/readyz").json == {"status": "ready"}

    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP TABLE job_queue_task"))
        db.session.commit()
    else:
        queue.the_queue().storage.sql("DROP TABLE task", commit=True)

    response = client.get("/readyz")
    assert response.status_code == 503
    [problem] = response.json["problems"]
    assert problem.startswith("the job queue does not answer")
