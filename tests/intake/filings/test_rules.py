"""What the inbox's date filters mean, as plain rules."""

from datetime import date

import pytest

from intake.filings.rules import range_reversed

JAN_10, JAN_20 = date(2027, 1, 10), date(2027, 1, 20)


@pytest.mark.parametrize(
    ("received_from", "received_through", "reversed_"),
    [(JAN_10, JAN_20, False), (JAN_20, JAN_10, True), (JAN_10, JAN_10, False),
     (None, JAN_10, False), (JAN_10, None, False), (None, None, False)],
    ids=["in order", "ends before it starts", "one day", "no start", "no end", "neither"],
)  # fmt: skip
def test_a_range_is_reversed_only_when_it_ends_before_it_starts(
    received_from, received_through, reversed_
):
    assert range_reversed(received_from, received_through) is reversed_
