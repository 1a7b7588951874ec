"""Opening, meeting and listing deadlines, with dates from the clocks catalogue."""

from datetime import date, timedelta

import pytest

from core import clocks
from core.auth.rules import Role
from core.db import db
from core.deadlines import services
from core.deadlines.rules import Urgency
from core.errors import DomainError
from core.parameters import services as parameters
from tests.factories import make_provider, make_user

TODAY = date(2026, 11, 22)


def _open(clock_key, start_on, **kwargs):
    provider = kwargs.pop("provider", None) or make_provider()
    deadline = services.open_deadline(
        clock_key,
        subject=("provider", provider.id),
        subject_label=provider.legal_name,
        start_on=start_on,
        actor=kwargs.pop("actor", None),
        **kwargs,
    )
    db.session.commit()
    return deadline


def test_a_deadline_records_its_due_date_citation_and_arithmetic(app):
    deadline = _open("special_measure.congress_notice", date(2027, 3, 15))
    assert deadline.due_on == date(2027, 3, 25)
    assert deadline.citation == "§7.307(d)"
    assert (
        deadline.computation
        == "2027-03-25 = determination 2027-03-15 + 10 calendar days, §7.307(d)"
    )
    assert deadline.module == "special_measures"


def test_a_parameterised_clock_uses_the_value_in_force_on_its_start_date(app):
    admin = make_user(Role.ADMIN)
    parameters.add_value(
        "special_measure.earliest_compliance_days",
        value_text="200",
        effective_from=date(2028, 1, 1),
        citation="Final rule",
        note=None,
        actor=admin,
    )
    before = _open("special_measure.earliest_compliance", date(2027, 12, 31))
    after = _open("special_measure.earliest_compliance", date(2028, 1, 1))
    assert before.due_on == date(2027, 12, 31) + timedelta(days=180)
    assert after.due_on == date(2028, 1, 1) + timedelta(days=200)
    assert "+ 200 calendar days, §7.307(a)(6)" in after.computation


def test_a_period_set_for_the_case_overrides_the_default(app):
    deadline = _open("assessment.resubmission", date(2027, 1, 10), days=45)
    assert deadline.due_on == date(2027, 2, 24)
    default = _open("assessment.resubmission", date(2027, 1, 10))
    assert default.period_days == 90


def test_the_board_lists_overdue_first_then_due_soon_then_later(app):
    later = _open("cip.annual_certification", TODAY - timedelta(days=100))
    overdue = _open("cip.copy_on_request", TODAY - timedelta(days=12))
    soon = _open("penalty.petition", TODAY - timedelta(days=25))
    rows = services.board(services.BoardFilter(), TODAY)
    assert [row.deadline.id for row in rows] == [overdue.id, soon.id, later.id]
    assert [row.urgency for row in rows] == [Urgency.OVERDUE, Urgency.DUE_SOON, Urgency.LATER]
    assert rows[0].days_left == "2 days overdue"


def test_a_met_deadline_leaves_the_board_and_records_who_and_when(app):
    analyst = make_user(Role.ANALYST)
    deadline = _open("cip.copy_on_request", TODAY - timedelta(days=3))
    services.meet_deadline(deadline, met_on=TODAY, actor=analyst, note="CIP received")
    db.session.commit()
    assert services.board(services.BoardFilter(), TODAY) == []
    assert deadline.met_by_id == analyst.id
    with pytest.raises(DomainError, match="already met"):
        services.meet_deadline(deadline, met_on=TODAY, actor=analyst)


def test_a_clock_cannot_be_met_before_it_started(app):
    analyst = make_user(Role.ANALYST)
    deadline = _open("cip.copy_on_request", TODAY)
    with pytest.raises(DomainError, match="before it started"):
        services.meet_deadline(deadline, met_on=TODAY - timedelta(days=1), actor=analyst)


def test_the_board_filters_by_module_assignee_and_clock(app):
    analyst = make_user(Role.ANALYST)
    mine = _open("cip.copy_on_request", TODAY, assignee=analyst)
    _open("penalty.petition", TODAY)
    by_module = services.board(services.BoardFilter(module="intake"), TODAY)
    assert [row.deadline.id for row in by_module] == [mine.id]
    by_assignee = services.board(services.BoardFilter(assignee_id=analyst.id), TODAY)
    assert [row.deadline.id for row in by_assignee] == [mine.id]
    by_clock = services.board(services.BoardFilter(clock_key="penalty.petition"), TODAY)
    assert [row.deadline.clock_key for row in by_clock] == ["penalty.petition"]


def test_a_due_date_on_a_holiday_is_flagged_not_moved(app):
    # 2026-12-15 + 10 days = Christmas Day.
    deadline = _open("cip.copy_on_request", date(2026, 12, 15))
    row = services.board(services.BoardFilter(), date(2026, 12, 16))[0]
    assert deadline.due_on == date(2026, 12, 25)
    assert "Christmas Day" in row.date_warning


def test_every_clock_in_the_catalogue_can_be_opened(app):
    for key in clocks.CATALOGUE:
        deadline = _open(key, date(2028, 2, 29))
        assert deadline.due_on >= deadline.started_on
        assert deadline.citation == clocks.get(key).citation
