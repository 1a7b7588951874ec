"""What a certification must contain (§7.304(a)(2)(vii)) and what §7.304(d) asks of new providers
and of new foreign resellers, as tables worked out from the rule text."""

from __future__ import annotations

from datetime import date

import pytest

from intake import rules
from intake.examples import payload
from intake.kinds import FilingKind
from intake.resellers import rules as reseller_rules
from intake.rules import FilingFacts

PAIRED = "the number and the locations go together"


@pytest.mark.parametrize(
    ("count", "locations", "expected"),
    [
        # §7.304(a)(2)(vii): "The number and locations of the IaaS provider's foreign beneficial
        # owners".
        (2, ["Toronto, Canada", "Dublin, Ireland"], []),
        (3, ["Toronto, Canada"], []),  # owners may share a location
        (0, [], []),
        (2, [], [("foreign_beneficial_owner_locations", "give the locations of the 2 foreign "
                  f"beneficial owner(s): {PAIRED}")]),
        (1_200, [], [("foreign_beneficial_owner_locations", "give the locations of the 1,200 "
                      f"foreign beneficial owner(s): {PAIRED}")]),
        (0, ["Dublin, Ireland"], [("foreign_beneficial_owner_count", "is 0, yet locations of "
                                   "foreign beneficial owners are given: give their number with "
                                   "their locations")]),
        (None, [], []),  # a missing number is the field's own error
    ],
)  # fmt: skip
def test_the_number_and_locations_of_foreign_beneficial_owners_go_together(
    count, locations, expected
):
    found = rules.beneficial_owner_problems(count, locations)
    assert [(problem.path, problem.message) for problem in found] == expected
    assert all(problem.citation == "§7.304(a)(2)(vii)" for problem in found)


@pytest.mark.parametrize("kind", ["cip_certification", "annual_certification",
                                  "new_provider_certification"])  # fmt: skip
def test_every_certification_form_refuses_a_number_without_its_locations(kind):
    result = rules.check_filing(kind, payload(kind, foreign_beneficial_owner_locations=[]))
    assert [(problem.path, problem.citation) for problem in result.errors] == [
        ("foreign_beneficial_owner_locations", "§7.304(a)(2)(vii)")
    ]
    assert rules.check_filing(kind, payload(kind)).errors == []


RECEIVED = date(2027, 3, 15)
BEFORE_CERTIFYING = (
    "the provider furnished a foreign customer an account on 2027-03-01, before certifying"
)
CERTIFIED_ALREADY = (
    "the provider certified its CIP already, on 2026-03-10: a new-provider certification is for "
    "a newly established provider, and this one counts as a certification of its CIP"
)


@pytest.mark.parametrize(
    ("kind", "previous", "first_account", "expected"),
    [
        # §7.304(d): "Prior to furnishing any foreign customer with an IaaS Account, any newly
        # established U.S. IaaS provider must notify the Department ... through submission of
        # their CIP certification form".
        (FilingKind.NEW_PROVIDER_CERTIFICATION, None, None, []),
        (FilingKind.NEW_PROVIDER_CERTIFICATION, None, date(2027, 4, 1), []),
        (FilingKind.NEW_PROVIDER_CERTIFICATION, None, RECEIVED, []),  # the same day: not before
        (FilingKind.NEW_PROVIDER_CERTIFICATION, None, date(2027, 3, 1), [BEFORE_CERTIFYING]),
        # A provider established before the rule certifies on the general form (§7.304(a)),
        # whenever it served its first foreign customer.
        (FilingKind.CIP_CERTIFICATION, None, date(2027, 3, 1), []),
        (FilingKind.CIP_CERTIFICATION, date(2026, 3, 10), date(2027, 3, 1), []),
        # A provider that certified before is not newly established.
        (FilingKind.NEW_PROVIDER_CERTIFICATION, date(2026, 3, 10), None, [CERTIFIED_ALREADY]),
        (FilingKind.NEW_PROVIDER_CERTIFICATION, date(2026, 3, 10), date(2027, 3, 1),
         [BEFORE_CERTIFYING, CERTIFIED_ALREADY]),
        # The annual certification follows a first one (§7.304(b)), never the first itself.
        (FilingKind.IRREGULAR_UPDATE, None, date(2027, 3, 1), []),
    ],
)  # fmt: skip
def test_what_7304d_asks_of_a_new_provider_is_flagged(kind, previous, first_account, expected):
    facts = FilingFacts(
        received_on=RECEIVED, previous_certification_on=previous,
        first_foreign_account_on=first_account,
    )  # fmt: skip
    found = rules.new_provider_warnings(kind, facts)
    assert [flag.message for flag in found] == expected
    assert all(flag.citation == "§7.304(d)" for flag in found)
    # Flagged, never refused: the flags are among the filing's warnings.
    assert all(flag in rules.warnings(kind, facts) for flag in found)


FIRST = reseller_rules.FirstReported
PREVIOUS_FILE = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("first_reported", "previous_on", "expected"),
    [
        # §7.304(d): notice "prior to the provision of U.S. IaaS products to a new foreign
        # reseller".
        ([FIRST("Rheinland Cloud GmbH", "DE", date(2027, 2, 1))], PREVIOUS_FILE,
         ["Rheinland Cloud GmbH (DE, began 2027-02-01)"]),
        ([FIRST("Rheinland Cloud GmbH", "DE", RECEIVED)], PREVIOUS_FILE, []),
        ([FIRST("Rheinland Cloud GmbH", "DE", date(2027, 4, 1))], PREVIOUS_FILE, []),
        ([FIRST("Rheinland Cloud GmbH", "DE", None)], PREVIOUS_FILE, []),
        # The provider's first compiled certification is its initial report (§7.304(e)-(f)).
        ([FIRST("Rheinland Cloud GmbH", "DE", date(2025, 2, 1))], None, []),
        ([FIRST("Sakura Edge KK", "JP", date(2026, 9, 1)), FIRST("Nubes Ltda.", "BR", RECEIVED)],
         PREVIOUS_FILE, ["Sakura Edge KK (JP, began 2026-09-01)"]),
    ],
)  # fmt: skip
def test_a_new_foreign_reseller_served_before_it_is_reported_is_flagged(
    first_reported, previous_on, expected
):
    found = reseller_rules.served_before_reported(first_reported, RECEIVED, previous_on=previous_on)
    assert found == expected
    flags = reseller_rules.reseller_certification_warnings(
        previous_on, RECEIVED, served_early=found
    )
    served = [flag for flag in flags if flag.citation == "§7.304(d)"]
    assert len(served) == (1 if expected else 0)
    if expected:
        assert expected[0] in served[0].message
