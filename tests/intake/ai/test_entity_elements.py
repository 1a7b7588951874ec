"""What §7.308(d)(1)(i)(B) asks of an entity, required of every AI training report about one.
No database."""

from __future__ import annotations

import pytest

from intake import rules
from intake.examples import AI_PERSON_AND_RUN

ENTITY = {key: AI_PERSON_AND_RUN[key] for key in (
    "person_type", "person_name", "address", "address_country", "request_origin_locations",
    "organised_in", "beneficial_owners",
)}  # fmt: skip


def _problems(**changes):
    return {
        (problem.path, problem.citation): problem.message
        for problem in rules.entity_element_problems({**ENTITY, **changes})
    }


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({}, set()),
        # (B)(3): "the location(s) from which the training request originates".
        ({"request_origin_locations": []}, {("request_origin_locations", "§7.308(d)(1)(i)(B)(3)")}),
        # (B)(4): "the jurisdiction under whose laws the person is constituted or organized".
        ({"organised_in": None}, {("organised_in", "§7.308(d)(1)(i)(B)(4)")}),
        # (B)(5): "the name(s) of the beneficial owner(s) of that account".
        ({"beneficial_owners": []}, {("beneficial_owners", "§7.308(d)(1)(i)(B)(5)")}),
        ({"request_origin_locations": None, "organised_in": "", "beneficial_owners": None},
         {("request_origin_locations", "§7.308(d)(1)(i)(B)(3)"),
          ("organised_in", "§7.308(d)(1)(i)(B)(4)"),
          ("beneficial_owners", "§7.308(d)(1)(i)(B)(5)")}),
        # (A)(2) other names and (A)(3) an ultimate owner other than itself may be none.
        ({"other_business_names": [], "ultimate_beneficial_owner": None}, set()),
        # An individual gives a street address or APO/FPO box only ((B)(1)–(2)).
        ({"person_type": "individual", "request_origin_locations": [], "organised_in": None,
          "beneficial_owners": []}, set()),
    ],
)  # fmt: skip
def test_an_entity_report_carries_every_element_the_rule_asks_of_an_entity(changes, missing):
    assert set(_problems(**changes)) == missing


def test_the_message_says_what_is_missing_and_why():
    (message,) = _problems(beneficial_owners=[]).values()
    assert message == (
        "is required for an entity: the name(s) of the beneficial owner(s) of the account, the "
        "ultimate ones included"
    )


def test_a_whole_report_without_them_is_refused_field_by_field():
    payload = {**AI_PERSON_AND_RUN, "transaction_on": "2026-11-25", "request_origin_locations": [],
               "beneficial_owners": []}  # fmt: skip
    result = rules.check_filing("ai_initial_report", payload)
    paths = {problem.path for problem in result.errors}
    assert {"request_origin_locations", "beneficial_owners"} <= paths
