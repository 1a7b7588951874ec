"""The dates, refusals and status of special measures, as plain tables (§7.307)."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import IllegalTransition
from special_measures import rules
from special_measures.rules import CaseState, MeasureStatus, SubjectKind

ISSUED = date(2027, 3, 15)
DATES = rules.determination_dates(ISSUED, earliest_compliance_days=180)


def test_issuance_sets_the_three_dates_of_the_rule():
    assert DATES.congress_notice_due == date(2027, 3, 25)  # §7.307(d): +10 days
    assert DATES.earliest_compliance_on == date(2027, 9, 11)  # §7.307(a)(6): +180 days
    # §7.307(a)(5): the 365-day period beginning on issuance ends 364 days later.
    assert DATES.last_day_in_effect == date(2028, 3, 13)


def test_the_earliest_compliance_date_follows_the_rule_parameter():
    longer = rules.determination_dates(ISSUED, earliest_compliance_days=210)
    assert longer.earliest_compliance_on == date(2027, 10, 11)
    assert longer.last_day_in_effect == DATES.last_day_in_effect
    # Without a parameter value the catalogue's number applies: 180 days (§7.307(a)(6)).
    assert rules.determination_dates(ISSUED, earliest_compliance_days=None) == DATES


@pytest.mark.parametrize(
    ("compliance_on", "refused"),
    [(date(2027, 9, 10), True), (date(2027, 9, 11), False), (date(2028, 1, 1), False)],
)
def test_a_compliance_date_earlier_than_180_days_after_issuance_is_refused(compliance_on, refused):
    if refused:
        with pytest.raises(rules.ComplianceDateTooEarly, match=r"§7.307\(a\)\(6\)") as error:
            rules.check_compliance_date(compliance_on, DATES)
        assert "2027-09-11" in str(error.value)
    else:
        rules.check_compliance_date(compliance_on, DATES)


LAST_DAY = DATES.last_day_in_effect


@pytest.mark.parametrize(
    ("published_on", "new_last_day", "message"),
    [
        (LAST_DAY, date(2029, 3, 13), None),
        (date(2028, 2, 1), date(2029, 3, 13), None),
        (date(2028, 3, 14), date(2029, 3, 13), "after the measure's last day"),
        (date(2028, 2, 1), LAST_DAY, "must be after the current one"),
        (date(2027, 3, 1), date(2029, 3, 13), "cannot predate"),
        (date(2028, 3, 10), date(2029, 3, 13), "once the notice has been published"),
    ],
)
def test_an_extension_needs_a_notice_published_by_the_last_day(published_on, new_last_day, message):
    check = {
        "published_on": published_on,
        "new_last_day": new_last_day,
        "current_last_day": LAST_DAY,
        "issued_on": ISSUED,
        "today": date(2028, 3, 5) if published_on == date(2028, 3, 10) else date(2028, 3, 20),
    }
    if message is None:
        rules.check_extension(**check)
    else:
        with pytest.raises(rules.ExtensionRefused, match=message):
            rules.check_extension(**check)


@pytest.mark.parametrize(
    ("day", "revoked_on", "status"),
    [
        (date(2027, 3, 14), None, MeasureStatus.NOT_ISSUED),
        (ISSUED, None, MeasureStatus.IN_EFFECT),
        (LAST_DAY, None, MeasureStatus.IN_EFFECT),
        (date(2028, 3, 14), None, MeasureStatus.LAPSED),
        (date(2027, 6, 30), date(2027, 7, 1), MeasureStatus.IN_EFFECT),
        (date(2027, 7, 1), date(2027, 7, 1), MeasureStatus.REVOKED),
    ],
)
def test_a_measure_lapses_the_day_after_its_last_day_and_ends_on_revocation(
    day, revoked_on, status
):
    assert (
        rules.status_on(day, issued_on=ISSUED, last_day=LAST_DAY, revoked_on=revoked_on) is status
    )


def test_the_factors_and_paragraphs_follow_the_subject():
    jurisdiction = [f.citation for f in rules.evaluation_factors(SubjectKind.JURISDICTION)]
    person = [f.citation for f in rules.evaluation_factors(SubjectKind.PERSON)]
    assert jurisdiction == ["§7.307(b)(3)(i)(A)", "§7.307(b)(3)(i)(B)", "§7.307(b)(3)(i)(C)"]
    assert person[-1] == "§7.307(b)(3)(ii)(D)" and len(person) == 4
    assert rules.finding_paragraph(SubjectKind.PERSON) == "§7.307(a)(3)(ii)"
    assert rules.measure_paragraph(SubjectKind.JURISDICTION) == "§7.307(b)(1)"
    text = rules.describe_measure(SubjectKind.PERSON, rules.MeasureKind.CONDITIONS, "Verify ID.")
    assert text.startswith("Conditions on") and text.endswith("(§7.307(b)(2)): Verify ID.")


def test_unassessed_factors_are_those_without_reasons():
    factors = rules.evaluation_factors(SubjectKind.JURISDICTION)
    missing = rules.unassessed(factors, {"b3iA": "Seen in 40 incidents.", "b3iB": "  "})
    assert [f.code for f in missing] == ["b3iB", "b3iC"]


@pytest.mark.parametrize(
    ("country", "region", "problem"),
    [("UA", "UA-43", None), ("UA", "Crimea", None), ("RU", "UA-43", "subdivision of UA")],
)
def test_a_subnational_code_must_belong_to_the_country(country, region, problem):
    found = rules.region_problem(country, region)
    assert (found is None) if problem is None else (problem in found)


def test_an_issued_case_only_lapses_a_lapsed_one_is_final_and_a_reviewed_one_returns_to_draft():
    rules.check_transition(CaseState.IN_REVIEW, CaseState.DRAFTED)
    rules.check_transition(CaseState.APPROVED, CaseState.ISSUED)
    rules.check_transition(CaseState.ISSUED, CaseState.LAPSED)
    for wanted in set(CaseState) - {CaseState.LAPSED}:
        with pytest.raises(IllegalTransition):
            rules.check_transition(CaseState.ISSUED, wanted)
    for wanted in CaseState:
        with pytest.raises(IllegalTransition):
            rules.check_transition(CaseState.LAPSED, wanted)
    with pytest.raises(IllegalTransition):
        rules.check_transition(CaseState.DRAFTED, CaseState.ISSUED)


LAPSE_CASE = {
    "state": CaseState.ISSUED,
    "last_day": LAST_DAY,
    "revoked_on": None,
    "action_pending": False,
}


@pytest.mark.parametrize(
    ("day", "changes", "lapses"),
    [
        (LAST_DAY, {}, False),  # in effect through its last day
        (date(2028, 3, 14), {}, True),  # the day after, with no extension
        (date(2028, 6, 1), {}, True),  # a run missed for weeks lapses it still
        (date(2028, 3, 14), {"last_day": date(2029, 3, 13)}, False),  # extended
        (date(2029, 3, 14), {"last_day": date(2029, 3, 13)}, True),  # the extension ran out
        (date(2028, 3, 14), {"revoked_on": date(2027, 7, 1)}, False),  # ended by revocation
        (date(2028, 3, 14), {"revoked_on": LAST_DAY}, False),  # revoked on its last day
        (date(2028, 3, 20), {"revoked_on": date(2028, 3, 20)}, True),  # revoked once lapsed
        (date(2028, 3, 14), {"action_pending": True}, False),  # a notice may yet be recorded
        (date(2028, 3, 14), {"state": CaseState.LAPSED}, False),  # recorded already
        (date(2028, 3, 14), {"state": CaseState.APPROVED, "last_day": None}, False),
        (date(2028, 3, 14), {"state": CaseState.CLOSED, "last_day": None}, False),
    ],
)
def test_an_issued_measure_lapses_the_day_after_its_last_day_unless_extended_or_revoked(
    day, changes, lapses
):
    assert rules.lapses(day, **{**LAPSE_CASE, **changes}) is lapses


@pytest.mark.parametrize(
    ("state", "final"),
    [
        (CaseState.CONSULTATION, None),
        (CaseState.DRAFTED, None),
        (CaseState.IN_REVIEW, None),
        (CaseState.APPROVED, None),
        (CaseState.ISSUED, "The determination SM-2027-0001 was issued on 2027-03-15"),
        (CaseState.LAPSED, "The determination SM-2027-0001 was issued on 2027-03-15"),
        (CaseState.CLOSED, "Case SM-2027-0001 was closed without a measure"),
    ],
)
def test_the_agencies_positions_are_final_once_the_case_is_decided(state, final):
    reason = rules.positions_final(
        state,
        reference="SM-2027-0001",
        issued_on=ISSUED if state in (CaseState.ISSUED, CaseState.LAPSED) else None,
    )
    if final is None:
        assert reason is None
    else:
        assert reason.startswith(final) and reason.endswith("can no longer change (§7.307(c)).")


def test_a_notice_is_sent_between_its_preparation_and_today():
    rules.check_sent_on(date(2027, 3, 20), prepared_on=ISSUED, today=date(2027, 3, 20))
    with pytest.raises(rules.NoticeSentProblem, match="before it was prepared"):
        rules.check_sent_on(date(2027, 3, 1), prepared_on=ISSUED, today=date(2027, 3, 20))
    with pytest.raises(rules.NoticeSentProblem, match="future"):
        rules.check_sent_on(date(2027, 3, 21), prepared_on=ISSUED, today=date(2027, 3, 20))


# --- Screening --------------------------------------------------------------------------------


def _measure(kind: SubjectKind, **fields: object) -> rules.ScreenedMeasure:
    values = {
        "case_id": 1,
        "reference": "SM-2027-0001",
        "kind": kind,
        "jurisdiction": None,
        "region": None,
        "names": (),
        "version": "v1",
    }
    return rules.ScreenedMeasure(**{**values, **fields})


@pytest.mark.parametrize(
    ("first", "second", "matches"),
    [
        ("Volga Hosting Group LLC", "VOLGA GROUP HOSTING, L.L.C.", True),
        ("Müller Cloud GmbH", "Muller Cloud", True),
        ("Volga Hosting", "Volga Hostings", True),
        ("Volga Hosting", "Volga Shipping", False),
        ("Baltic Compute Ltd", "Black Compute Ltd", False),
    ],
)
def test_names_match_at_the_stated_threshold(first, second, matches):
    assert (rules.name_score(first, second) >= rules.NAME_MATCH_THRESHOLD) is matches


def test_screening_finds_parties_in_a_jurisdiction_and_named_like_a_person():
    jurisdiction = _measure(SubjectKind.JURISDICTION, jurisdiction="KP", region=None)
    person = _measure(
        SubjectKind.PERSON, case_id=2, reference="SM-2027-0002",
        names=("Volga Hosting Group LLC", "Volga Host"),
    )  # fmt: skip
    parties = [
        rules.Party("foreign reseller", "Pyongyang Data Co", "KP", "reseller 1"),
        rules.Party("foreign reseller", "VOLGA HOST", "DE", "reseller 2"),
        rules.Party("foreign reseller", "Rheinland Cloud GmbH", "DE", "reseller 3"),
    ]
    hits = rules.screen(parties, [jurisdiction, person])
    assert [(h.party.reference, h.measure.reference, h.matched_on, h.score) for h in hits] == [
        ("reseller 1", "SM-2027-0001", "jurisdiction", 100),
        ("reseller 2", "SM-2027-0002", "alias", 100),
    ]


def test_a_measure_version_changes_with_what_it_says():
    same = rules.measure_version("person", None, ("Volga Host",), date(2028, 3, 13))
    assert same == rules.measure_version("person", None, ("Volga Host",), date(2028, 3, 13))
    assert same != rules.measure_version("person", None, ("Volga Host",), date(2029, 3, 13))


# --- Only foreign jurisdictions, and their regions (§7.301) -----------------------------------


@pytest.mark.parametrize(
    ("code", "foreign"),
    [
        # The States and the territories "subject to the civil or military jurisdiction of the
        # United States" are no foreign jurisdiction (§7.301).
        ("US", False), ("PR", False), ("GU", False), ("VI", False), ("AS", False),
        ("MP", False), ("UM", False), ("pr", False),
        # Sovereign states, the freely associated ones included, are.
        ("KP", True), ("RU", True), ("PW", True), ("MH", True), ("FM", True), ("VG", True),
    ],
)  # fmt: skip
def test_only_foreign_jurisdictions_may_be_the_subject_of_a_measure(code, foreign):
    problem = rules.jurisdiction_problem(code)
    assert (problem is None) is foreign
    if problem:
        assert "§7.301" in problem and code.upper() in problem


def test_the_referral_form_offers_no_territory_of_the_united_states():
    from special_measures.forms import FOREIGN_COUNTRIES

    offered = {choice.value for choice in FOREIGN_COUNTRIES}
    assert offered.isdisjoint({"US", "PR", "GU", "VI", "AS", "MP", "UM"})
    assert {"KP", "RU", "PW"} <= offered


@pytest.mark.parametrize(
    ("measure_region", "party_region", "within"),
    [
        (None, None, True),  # a measure on the whole country reaches everyone in it
        (None, "Crimea", True),
        ("Crimea", "crimea", True),  # case does not matter
        ("UA-43", "Avtonomna Respublika Krym", True),  # a code is its ISO 3166-2 name
        ("RU-KGD", "Kaliningradskaya oblast'", True),
        ("UA-43", "UA-43", True),
        ("UA-43", "Kyiv", False),  # the filing places the party elsewhere
        ("UA-43", "UA-30", False),
        ("Crimea", None, None),  # the filing says nothing: the analyst decides
        ("Crimea", "  ", None),
    ],
)
def test_a_region_is_honoured_where_the_filing_gives_one(measure_region, party_region, within):
    assert rules.region_matches(measure_region, party_region) is within


def test_screening_keeps_a_regional_measure_to_its_region():
    crimea = _measure(SubjectKind.JURISDICTION, jurisdiction="UA", region="UA-43")
    parties = [
        rules.Party(
            "foreign customer", "Krym Compute", "UA", "filing A", "Avtonomna Respublika Krym"
        ),
        rules.Party("foreign customer", "Kyiv Cloud", "UA", "filing B", "Kyiv"),
        rules.Party("foreign reseller", "Dnipro Hosting", "UA", "reseller 4"),
    ]
    hits = rules.screen(parties, [crimea])
    assert [(h.party.reference, h.matched_text) for h in hits] == [
        ("filing A", "UA (UA-43)"),
        ("reseller 4", f"UA (UA-43); {rules.REGION_NOT_GIVEN}"),
    ]


# --- The measure's text (§7.307(b)(1)) --------------------------------------------------------


def test_a_jurisdiction_measure_states_both_limbs_of_the_prohibition():
    text = rules.describe_measure(SubjectKind.JURISDICTION, rules.MeasureKind.PROHIBITION, "")
    # First limb: accounts opened or maintained with a provider by a person located there.
    assert (
        "with any U.S. IaaS provider of an Account, including a Reseller Account, by any "
        "foreign person located in the jurisdiction" in text
    )
    # Second limb: accounts a provider opens or maintains for or on behalf of such a person.
    assert (
        "or by any U.S. IaaS provider of U.S. IaaS products for or on behalf of a foreign "
        "person located in the jurisdiction" in text
    )
    assert text.startswith("Prohibition of") and text.endswith("(§7.307(b)(1)).")
