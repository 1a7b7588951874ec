"""“Results or could result” (§7.308(b)(1)(i)): a foreign person's transaction whose reserved
hardware could exceed the technical conditions, whatever the estimate. No database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from intake.ai.rules import (
    UTILISATION_RANGE,
    CoverageBasis,
    assess_coverage,
    plausible_operations,
)
from tests.intake.ai.test_rules import NOTHING, THRESHOLDS

# The transaction of a foreign person, with nothing else that makes it covered.
FOREIGN = replace(NOTHING, customer_is_foreign_person=True, for_or_on_behalf_of_foreign_person=True)
# 40,960 H100 SXM (989.4e12 dense) for 100 days: at 60% about 2.1e26, at 20% about 7.0e25.
BIG = plausible_operations(989.4e12, 40_960, date(2027, 1, 1), date(2027, 4, 10))
# 256 of them for 30 days: at most about 3.9e23.
SMALL = plausible_operations(989.4e12, 256, date(2027, 1, 1), date(2027, 1, 30))


@pytest.mark.parametrize(
    ("foreign", "estimate", "could", "biological", "covered"),
    [
        # The estimate stays under 1e26, the hardware could pass it: covered, "could result".
        (True, 9e25, BIG.high, False, True),
        # No estimate at all, the hardware could pass it: covered.
        (True, None, BIG.high, False, True),
        # Neither estimate nor hardware passes it: not covered.
        (True, 3e23, SMALL.high, False, False),
        # The small cluster passes the lower threshold of a biological-sequence model.
        (True, 1e22, SMALL.high, True, True),
        # Hardware that could pass it, but no foreign person: not a covered transaction.
        (False, 9e25, BIG.high, False, False),
        # The hardware's capacity equal to the threshold is not above it.
        (True, 1e25, 1e26, False, False),
        # The hardware unknown: only the estimate counts, as before.
        (True, 9e25, None, False, False),
    ],
)  # fmt: skip
def test_hardware_able_to_exceed_the_conditions_makes_the_transaction_covered(
    foreign, estimate, could, biological, covered
):
    facts = replace(
        FOREIGN,
        customer_is_foreign_person=foreign,
        for_or_on_behalf_of_foreign_person=foreign,
        estimated_operations=estimate,
        hardware_could_perform=could,
        trained_primarily_on_biological_sequence_data=biological,
    )
    verdict = assess_coverage(facts, THRESHOLDS)
    assert verdict.covered is covered
    assert verdict.basis is (CoverageBasis.TRAINING if covered else None)
    assert (verdict.reading is not None) is (could is not None)


def test_the_reason_names_what_the_hardware_could_do_and_the_reading_is_given():
    verdict = assess_coverage(
        replace(FOREIGN, estimated_operations=9e25, hardware_could_perform=BIG.high), THRESHOLDS
    )
    texts = " | ".join(reason.text for reason in verdict.reasons)
    assert "The estimate of 9.0e25 operations is not above the 1e26" in texts
    assert "The reserved hardware could perform up to 2.1e26 operations" in texts
    assert "could result in training a model that meets the technical conditions" in texts
    assert "§7.308(b)(1)(i); §7.308(d)(1)(ii)(C)" in {r.citation for r in verdict.reasons}
    assert "“Results or could result” (§7.308(b)(1)(i))" in verdict.reading
    assert "theoretical peak is not used" in verdict.reading


def test_the_top_of_the_utilisation_range_not_the_peak_is_what_could_be_performed():
    # The big cluster's low end (20%) stays under 1e26 and its top (60%) passes it.
    assert BIG.low < 1e26 < BIG.high
    assert BIG.high == pytest.approx(989.4e12 * 40_960 * 100 * 86_400 * UTILISATION_RANGE[1])
    low_only = assess_coverage(
        replace(FOREIGN, estimated_operations=1e25, hardware_could_perform=BIG.low), THRESHOLDS
    )
    assert not low_only.covered
    assert "not above the 1e26" in " ".join(r.text for r in low_only.reasons)


def test_a_negative_capacity_is_refused():
    with pytest.raises(ValueError, match="What the hardware could perform"):
        replace(FOREIGN, hardware_could_perform=-1.0)
