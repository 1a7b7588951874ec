"""Which agencies must answer before a decision (no database)."""

from datetime import date

from core.consultations.rules import (
    REQUIRED_AGENCIES,
    Position,
    Purpose,
    missing_positions,
    respond_by_problem,
)


def test_the_rule_names_four_agencies_for_exemptions_and_six_for_special_measures():
    assert set(REQUIRED_AGENCIES[Purpose.EXEMPTION]) == {"DoD", "DOJ", "DHS", "DNI"}
    assert set(REQUIRED_AGENCIES[Purpose.SPECIAL_MEASURE]) == {
        "State", "Treasury", "DoD", "DOJ", "DHS", "DNI"
    }  # fmt: skip


def test_a_decision_waits_for_every_required_position_optional_ones_do_not_count():
    recorded = [
        ("DoD", Position.CONCUR),
        ("DOJ", Position.NO_RESPONSE),  # recorded: the agency did not answer in time
        ("DHS", None),
        ("Commerce OIG", Position.CONCUR),
    ]
    assert missing_positions(Purpose.EXEMPTION, recorded) == ["DHS", "DNI"]


def test_the_response_date_cannot_precede_the_request():
    assert respond_by_problem(date(2027, 1, 10), date(2027, 1, 9))
    assert respond_by_problem(date(2027, 1, 10), date(2027, 1, 10)) is None
