"""The scan that keeps protected facts out of email, and the choice of delivery."""

from __future__ import annotations

import pytest

from core.notifications import rules
from core.notifications.rules import Delivery, NoticeKind

KIND = NoticeKind("example_kind", label="An example", audience="tests", default=Delivery.DIGEST)


@pytest.mark.parametrize(
    ("body", "protected", "leaks"),
    [
        ("A report was received. Sign in to read it.", ["Volkov Analytics"], []),
        ("Report from VOLKOV  ANALYTICS received.", ["Volkov Analytics"], ["Volkov Analytics"]),
        ("Party: Volkov\nAnalytics", ["Volkov Analytics"], ["Volkov Analytics"]),
        ("Address 203.0.113.7 seen", ["203.0.113.7", None, ""], ["203.0.113.7"]),
        # Too short to tell from ordinary words: a country code.
        ("Received from CN and US", ["CN", "US"], []),
        ("Account acct-7731 and acct-7731 again", ["acct-7731", "acct-7731"], ["acct-7731"]),
    ],
)
def test_protected_values_found_in_a_body_are_named(body, protected, leaks):
    assert rules.protected_leaks(body, protected) == leaks


def test_a_person_who_has_not_chosen_gets_the_kinds_default():
    assert rules.delivery_for(KIND, None) is Delivery.DIGEST
    assert rules.delivery_for(KIND, Delivery.IN_APP) is Delivery.IN_APP


def test_a_kind_is_registered_once_under_its_name():
    rules.register_kind(KIND)
    assert rules.register_kind(KIND) is KIND
    with pytest.raises(ValueError, match="two kinds of notice"):
        rules.register_kind(NoticeKind("example_kind", label="Another", audience="tests"))
