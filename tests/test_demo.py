"""``flask seed-demo`` fills an empty database with a working office, and only once."""

from sqlalchemy import func, select

from core.auth.models import User
from core.db import db
from core.deadlines.models import Deadline
from demo import OFFICE_SETTINGS
from intake.models import Provider
from special_measures.models import CongressionalNotice, SpecialMeasureCase
from tests.pdftext import pdf_text, searchable


def test_seed_demo_builds_an_office_whose_printed_login_works(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Provider.id))) == 12
    roles = dict(
        db.session.execute(select(User.role, func.count(User.id)).group_by(User.role)).all()
    )
    assert roles == {"analyst": 2, "reviewer": 1, "admin": 1, "viewer": 1, "liaison": 6}
    agencies = set(db.session.scalars(select(User.agency).where(User.role == "liaison")))
    assert agencies == {"DoD", "DOJ", "DHS", "DNI", "State", "Treasury"}
    assert db.session.scalar(select(func.count(Deadline.id))) > 12

    email = result.output.split("Sign in as ")[1].split()[0]
    password = result.output.split("with the password: ")[1].split()[0]
    client = app.test_client()
    client.post("/login", data={"acknowledge": "y", "email": email, "password": password})
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "Overdue" in dashboard.text
    assert "determination: letter to the U.S. House" in dashboard.text
    in_force = client.get("/special-measures/in-force")
    assert "Corvane Hosting Ltd" in in_force.text and "Halvard" not in in_force.text
    # The command hands the screening job its measure's issuance queued to the queue (run at
    # once in the suite), as a request does.
    measure = db.session.scalars(select(SpecialMeasureCase)).first()
    case_page = client.get(f"/special-measures/cases/{measure.id}").text
    assert 'data-testid="screening-state">Screened ' in case_page
    # The demonstration office names who signs its letters: the letters to Congress are signed.
    notice = db.session.scalars(select(CongressionalNotice)).first()
    letter = searchable(
        pdf_text(client.get(f"/special-measures/notices/{notice.id}/letter.pdf").data)
    )
    signer = OFFICE_SETTINGS["congress_signer_name"], OFFICE_SETTINGS["congress_signer_title"]
    assert f"Sincerely, {signer[0]} {signer[1]}" in letter and "DRAFT" not in letter


def test_seed_demo_leaves_a_database_with_users_alone(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    again = runner.invoke(args=["seed-demo"])
    assert "already has users" in again.output
    assert db.session.scalar(select(func.count(Provider.id))) == 12


def test_the_office_scale_seed_refuses_a_production_database(app):
    app.config["OICTS_ENV"] = "production"
    result = app.test_cli_runner().invoke(args=["seed-scale", "--providers", "3"])
    assert result.exit_code != 0
    assert "does not run with OICTS_ENV=production" in result.output
    assert db.session.scalar(select(func.count(Provider.id))) == 0
