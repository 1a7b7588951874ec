"""A penalty case as issue 19 asks: each violation against its own transaction (§7.309(c)(1)),
the cap in force when the penalty is assessed (15 CFR 6.3), any person as respondent
(§7.309(a)), referrals and civil actions to recover (§7.309(c)(2), (c)(3)), and the late
petition flagged (§7.309(c)(1)(i))."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from casework.penalties import rules, services
from casework.penalties.rules import ProceedingKind, Violation
from core import clocks
from core.auth.rules import Role
from core.db import db
from core.deadlines.models import Deadline
from core.errors import IllegalTransition, InvalidInput
from core.parameters import services as parameters
from core.pdf import formal_date
from tests.factories import (
    log_in,
    make_provider,
    make_resellers,
    make_user,
    set_office_settings,
    violation_rows,
    violations_of,
)
from tests.pdftext import pdf_pages, searchable

TODAY = clocks.office_today()
DAY = date(2026, 3, 2)
CAP = 377_700


def _v(paragraph: str = "a2", value: int | None = None, transaction: str = "") -> Violation:
    return Violation(paragraph, DAY, transaction or ("A sale" if value else ""), value)


# --- §7.309(c)(1): "the greater of $250,000 per violation, subject to inflationary adjustment,
# or an amount that is twice the amount of the transaction that is the basis of the violation"


@pytest.mark.parametrize(
    ("violations", "lines", "total"),
    [
        # No transaction: the cap alone, per violation.
        ((_v(),), [CAP], CAP),
        # Twice a small transaction is below the cap: the cap.
        ((_v(value=100_000),), [CAP], CAP),
        # Exactly half the cap: twice it equals the cap.
        ((_v(value=CAP // 2),), [CAP], CAP),
        # Twice a large transaction is above the cap: twice the transaction.
        ((_v(value=250_000),), [500_000], 500_000),
        # Each violation against its own transaction, summed.
        ((_v(value=250_000), _v("a8"), _v("a3", value=1_000_000)), [500_000, CAP, 2_000_000],
         2_877_700),
        # Two violations on one large transaction are still two maxima.
        ((_v(value=400_000), _v("a8", value=400_000)), [800_000, 800_000], 1_600_000),
    ],
)  # fmt: skip
def test_the_maximum_is_per_violation_each_against_its_own_transaction(violations, lines, total):
    maximum = rules.PenaltyMaximum(CAP, violations)
    assert [line.maximum for line in maximum.lines] == lines
    assert maximum.total == total


@pytest.mark.parametrize(
    ("violation", "arithmetic"),
    [
        (_v(), "greater of $377,700 and no transaction value = $377,700"),
        (_v(value=250_000), "greater of $377,700 and 2 × $250,000 = $500,000 = $500,000"),
    ],
)
def test_each_line_shows_its_arithmetic(violation, arithmetic):
    assert rules.PenaltyMaximum(CAP, (violation,)).lines[0].arithmetic == arithmetic


@pytest.mark.parametrize(
    ("violations", "problems"),
    [
        ([], {"violations"}),
        ([_v("a9")], {"violations-0-paragraph"}),
        ([Violation("a2", DAY + timedelta(days=1), "", None)], {"violations-0-occurred_on"}),
        ([_v(), Violation("a8", DAY, " ", 5_000)], {"violations-1-transaction"}),
        ([_v(), _v("a8", value=5_000)], set()),
    ],
)
def test_each_violation_is_checked_on_its_own_row(violations, problems):
    assert set(rules.violation_problems(violations, today=DAY)) == problems


# --- The cap in force when the penalty is assessed (28 U.S.C. 2461 note §6; 15 CFR 6.3) --------


@pytest.mark.parametrize(
    ("served_on", "today", "day", "why"),
    [
        (None, DAY, DAY, rules.AssessedOn.TODAY),
        (date(2025, 12, 30), DAY, date(2025, 12, 30), rules.AssessedOn.SERVICE),
        (date(2026, 1, 16), DAY, date(2026, 1, 16), rules.AssessedOn.SERVICE),
    ],
)
def test_the_cap_is_the_one_in_force_on_the_assessment_date(served_on, today, day, why):
    assert rules.assessment_date(served_on=served_on, today=today) == (day, why)


@pytest.mark.parametrize(
    ("today", "years", "due"),
    [
        (date(2026, 1, 1), {2024, 2025}, 2026),  # the year has begun: this year's is awaited
        (date(2026, 12, 3), {2024, 2025}, 2026),  # still not entered in December
        (date(2026, 1, 20), {2025, 2026}, None),  # entered
        (date(2025, 6, 1), {2024, 2025}, None),
    ],
)
def test_the_january_adjustment_is_due_until_a_figure_dated_in_the_year_is_entered(
    today, years, due
):
    assert rules.cap_adjustment_year(today, years) == due


@pytest.mark.parametrize(
    ("received_on", "late"),
    [
        (date(2026, 3, 31), 0),  # before the 30th day
        (date(2026, 4, 1), 0),  # on the 30th day: in time
        (date(2026, 4, 2), 1),
        (date(2026, 4, 16), 15),
    ],
)
def test_a_petition_after_its_30_days_is_late_by_the_days_past(received_on, late):
    # Served 2026-03-02: the 30 days end 2026-04-01 (§7.309(c)(1)(i)).
    due = clocks.due("penalty.petition", DAY)
    assert due == date(2026, 4, 1)
    assert rules.petition_days_late(received_on=received_on, petition_due=due) == late


@pytest.mark.parametrize(
    ("kind", "started_on", "decided_on", "final_amount", "field"),
    [
        # A referral may be made whatever the civil case's stage (§7.309(c)(2), (e)).
        (ProceedingKind.REFERRAL, DAY, None, None, None),
        (ProceedingKind.REFERRAL, DAY - timedelta(days=1), None, None, "started_on"),
        (ProceedingKind.REFERRAL, DAY + timedelta(days=40), None, None, "started_on"),
        # A civil action recovers a penalty imposed (§7.309(c)(3)).
        (ProceedingKind.CIVIL_ACTION, DAY, None, None, "kind"),
        (ProceedingKind.CIVIL_ACTION, DAY + timedelta(days=5), DAY, 0, "kind"),
        (ProceedingKind.CIVIL_ACTION, DAY + timedelta(days=5), DAY + timedelta(days=9), 10,
         "started_on"),
        (ProceedingKind.CIVIL_ACTION, DAY + timedelta(days=9), DAY + timedelta(days=5), 10, None),
    ],
)  # fmt: skip
def test_referrals_and_civil_actions_are_dated_within_the_case(
    kind, started_on, decided_on, final_amount, field
):
    problems = rules.proceeding_problems(
        kind, started_on=started_on, today=DAY + timedelta(days=30), proposed_on=DAY,
        decided_on=decided_on, final_amount=final_amount,
    )  # fmt: skip
    assert list(problems) == ([field] if field else [])


# --- Services and pages, on both databases ---------------------------------------------------


def _served(respondent, *, violations, proposed=500_000, served_on=None):
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    case = services.draft_penalty(
        respondent, violations=violations, conduct="Kept accounts it could not verify.",
        proposed_amount=proposed, actor=analyst, today=TODAY - timedelta(days=40),
    )  # fmt: skip
    services.submit_penalty(case, actor=analyst)
    services.decide_penalty(case, approve=True, comments="", actor=reviewer)
    services.serve_penalty(
        case, served_on=served_on or TODAY - timedelta(days=35), actor=analyst, today=TODAY
    )
    db.session.commit()
    return case, analyst, reviewer


def test_the_notice_lists_each_violation_with_its_transaction_and_the_cap_on_service(client):
    provider = make_provider()
    day = TODAY - timedelta(days=60)
    violations = [
        Violation("a3", day, "Accounts sold through Reseller X", 300_000),
        Violation("a8", day, "", None),
    ]
    case, analyst, _ = _served(provider, violations=violations, proposed=900_000)
    # A figure entered since, dated before the day of service, does not move a served case.
    parameters.add_value(
        services.CAP_PARAMETER, value_text="400000", effective_from=TODAY - timedelta(days=36),
        citation="15 CFR 6.3 (test figure)", note=None, actor=make_user(Role.ADMIN),
    )  # fmt: skip
    db.session.commit()
    set_office_settings()
    log_in(client, analyst)
    page = client.get(f"/casework/penalties/{case.id}").text
    assert page.count('data-testid="maximum-line"') == 2
    assert "Accounts sold through Reseller X" in page
    assert "greater of $377,700 and 2 × $300,000 = $600,000 = $600,000" in page
    assert "$977,700" in page
    assert "the date the notice was served, when the penalty is assessed" in page
    notice = " ".join(
        searchable(p)
        for p in pdf_pages(client.get(f"/casework/penalties/{case.id}/notice.pdf").data)
    )
    assert "Accounts sold through Reseller X $300,000 $600,000" in notice
    assert "None — $377,700" in notice
    assert "Maximum civil penalty $977,700" in notice
    assert (
        f"The cap per violation is $377,700, the amount in force on {formal_date(case.served_on)}"
        in notice
    )
    assert "90 FR 3687" in notice and "when the penalty is assessed" in notice


def test_before_service_the_cap_is_todays_and_service_fixes_the_one_then_in_force(app):
    analyst, reviewer = make_user(Role.ANALYST), make_user(Role.REVIEWER)
    drafted_on = TODAY - timedelta(days=20)
    case = services.draft_penalty(
        make_provider(), violations=violations_of("a2", on=drafted_on - timedelta(days=5)),
        conduct="Never certified.", proposed_amount=377_700, actor=analyst, today=drafted_on,
    )  # fmt: skip
    parameters.add_value(
        services.CAP_PARAMETER, value_text="390000", effective_from=TODAY - timedelta(days=3),
        citation="15 CFR 6.3 (test adjustment)", note=None, actor=make_user(Role.ADMIN),
    )  # fmt: skip
    maximum, cap = services.maximum_of(case, TODAY)
    assert (cap.amount, maximum.total, case.cap) == (390_000, 390_000, 377_700)
    services.submit_penalty(case, actor=analyst)
    services.decide_penalty(case, approve=True, comments="", actor=reviewer)
    services.serve_penalty(case, served_on=TODAY, actor=analyst, today=TODAY)
    db.session.commit()
    assert (case.cap, case.cap_on) == (390_000, TODAY)
    assert "15 CFR 6.3 (test adjustment)" in case.cap_source
    maximum, cap = services.maximum_of(case, TODAY + timedelta(days=400))
    assert (cap.amount, cap.on) == (390_000, TODAY)


def test_a_penalty_on_a_foreign_reseller_is_served_by_other_means(client):
    (reseller,) = make_resellers(make_provider(), 1)
    case, analyst, _ = _served(reseller, violations=violations_of("a2"), proposed=10_000)
    assert (case.respondent_kind, case.provider_id, case.reseller_id) == (
        rules.RespondentKind.RESELLER, None, reseller.id,
    )  # fmt: skip
    log_in(client, analyst)
    listing = client.get("/casework/penalties").text
    assert f'{reseller.name} <span class="app-small">(foreign reseller)</span>' in listing
    page = client.get(f"/casework/penalties/{case.id}").text
    assert "(foreign reseller of" in page


def test_a_penalty_on_a_named_person_keeps_the_name_and_address_encrypted(client):
    analyst = make_user(Role.ANALYST)
    log_in(client, analyst)
    form = "/casework/penalties/new"
    missing = client.post(form, data={**violation_rows("a5"), "conduct": "Aided the provider.",
                                      "proposed_amount": "5000"})  # fmt: skip
    assert missing.status_code == 422
    assert "Enter the name of the person the penalty is proposed on." in missing.text
    assert "Aided the provider." in missing.text
    drafted = client.post(
        form,
        data={**violation_rows("a5"), "conduct": "Aided the provider.", "proposed_amount": "5000",
              "person_name": "Ana Ruiz", "person_address": "12 Calle Mayor\nMadrid"},
        follow_redirects=True,
    )  # fmt: skip
    assert drafted.status_code == 200 and "Ana Ruiz (other person)" in drafted.text
    (case,) = services.penalties_of()
    assert case.person_name == "Ana Ruiz" and case.provider_id is None
    stored = db.session.execute(
        text("SELECT person_name_sealed, person_address_sealed FROM penalty_cases")
    ).one()
    assert "Ana Ruiz" not in stored[0] and "Madrid" not in stored[1]


def test_a_row_is_added_for_another_violation_without_losing_what_was_typed(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    page = client.post(
        f"/casework/providers/{provider.id}/penalties/new",
        data={**violation_rows("a1", "a2", "a3"), "conduct": "Several failures.",
              "more_rows": "1"},
    )  # fmt: skip
    assert page.status_code == 200
    assert page.text.count('data-testid="violation-row"') == 4
    assert "Several failures." in page.text
    assert services.penalties_of() == []


def test_a_row_missing_its_date_is_refused_at_the_row(client):
    provider = make_provider()
    log_in(client, make_user(Role.ANALYST))
    page = client.post(
        f"/casework/providers/{provider.id}/penalties/new",
        data={"violations-0-paragraph": "a2", "violations-1-paragraph": "a8",
              "violations-1-occurred_on": "2026-01-05", "conduct": "x",
              "proposed_amount": "100"},
    )  # fmt: skip
    assert page.status_code == 422
    assert 'id="violations-0-occurred_on-error"' in page.text
    assert "Row 1, Date of the violation: Enter the date of the violation" in page.text


def test_a_late_petition_is_recorded_and_flagged_with_its_30th_day(client):
    served_on = TODAY - timedelta(days=35)
    case, analyst, _ = _served(make_provider(), violations=violations_of("a2"), proposed=1_000,
                               served_on=served_on)  # fmt: skip
    log_in(client, analyst)
    page = client.post(
        f"/casework/penalties/{case.id}/petition",
        data={"received_on": TODAY.isoformat(), "summary": "We did not see the notice."},
        follow_redirects=True,
    ).text
    due = served_on + timedelta(days=30)
    assert 'data-testid="petition-late"' in page
    assert f"5 days after the 30 days to petition ended on {due.isoformat()}" in page


def test_referral_and_civil_action_are_recorded_steps_with_their_outcomes(client):
    case, analyst, reviewer = _served(make_provider(), violations=violations_of("a8"),
                                      proposed=50_000)  # fmt: skip
    log_in(client, analyst)
    page = f"/casework/penalties/{case.id}"
    refused = client.post(
        f"{page}/proceedings",
        data={"kind": "CIVIL_ACTION", "started_on": TODAY.isoformat(), "note": "Sued."},
    )
    assert refused.status_code == 422 and case.proceedings == []
    assert "A civil action recovers a penalty the final decision imposed." in refused.text
    referred = client.post(
        f"{page}/proceedings",
        data={"kind": "REFERRAL", "started_on": TODAY.isoformat(),
              "note": "Willful false certification, to the Criminal Division."},
        follow_redirects=True,
    )  # fmt: skip
    assert "Referral to the attorney general for criminal action" in referred.text
    (proceeding,) = case.proceedings
    ended = client.post(
        f"{page}/proceedings/{proceeding.id}/outcome",
        data={f"outcome-{proceeding.id}-outcome_on": TODAY.isoformat(),
              f"outcome-{proceeding.id}-outcome": "Declined by the Department of Justice."},
        follow_redirects=True,
    )  # fmt: skip
    assert f'{TODAY.isoformat()}: <span class="app-prewrap">Declined' in ended.text
    services.record_final_decision(
        case, decided_on=TODAY, decision="Imposed.", final_amount=50_000, actor=reviewer,
        today=TODAY,
    )  # fmt: skip
    services.record_proceeding(
        case, kind=ProceedingKind.CIVIL_ACTION, started_on=TODAY, note="D.D.C. complaint.",
        actor=analyst, today=TODAY,
    )  # fmt: skip
    db.session.commit()
    history = db.session.execute(
        text(
            "SELECT action FROM audit_events WHERE subject_type = 'penalty' "
            "AND subject_id = :id ORDER BY seq"
        ).bindparams(id=str(case.id))
    ).scalars()
    assert [a for a in history if a.startswith("penalty.proceeding")] == [
        "penalty.proceeding", "penalty.proceeding_outcome", "penalty.proceeding",
    ]  # fmt: skip
    with pytest.raises(IllegalTransition):
        services.record_proceeding_outcome(
            case, proceeding, outcome_on=TODAY, outcome="Again.", actor=analyst, today=TODAY
        )


def test_a_civil_action_recovers_only_a_penalty_the_decision_imposed(app):
    case, analyst, reviewer = _served(make_provider(), violations=violations_of("a8"),
                                      proposed=50_000)  # fmt: skip

    def sue():
        services.record_proceeding(
            case, kind=ProceedingKind.CIVIL_ACTION, started_on=TODAY, note="Too soon.",
            actor=analyst, today=TODAY,
        )  # fmt: skip

    with pytest.raises(InvalidInput) as refused:
        sue()
    assert list(refused.value.field_errors) == ["kind"]
    services.record_final_decision(
        case, decided_on=TODAY, decision="No penalty.", final_amount=0, actor=reviewer,
        today=TODAY,
    )  # fmt: skip
    with pytest.raises(InvalidInput) as refused:
        sue()
    assert list(refused.value.field_errors) == ["kind"]
    assert case.proceedings == []


def test_an_administrator_is_reminded_each_january_until_the_new_cap_is_entered(app):
    admin = make_user(Role.ADMIN)
    january = date(2027, 1, 2)
    said = services.remind_of_cap_adjustment(january)
    assert "administrator is reminded" in said
    (reminder,) = db.session.execute(
        select(Deadline).where(Deadline.clock_key == services.CAP_ADJUSTMENT_CLOCK)
    ).scalars()
    assert (reminder.due_on, reminder.assignee_id) == (date(2027, 1, 15), admin.id)
    assert reminder.citation == "§7.309(d)(1); 28 U.S.C. 2461 note §4"
    services.remind_of_cap_adjustment(january + timedelta(days=1))
    assert db.session.execute(select(Deadline.id)).scalars().all() == [reminder.id]
    parameters.add_value(
        services.CAP_PARAMETER, value_text="385000", effective_from=date(2027, 1, 15),
        citation="15 CFR 6.3 (2027 adjustment)", note=None, actor=admin,
    )  # fmt: skip
    services.remind_of_cap_adjustment(date(2027, 1, 16))
    assert reminder.met_on == date(2027, 1, 16)
