"""Screening aids for large AI model training: covered transactions (§7.308(b)) and the
plausibility of a compute estimate (§7.308(d)(1)(ii)). No database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from intake.ai.rules import (
    ACCELERATOR_SEED,
    Accelerator,
    CoverageFacts,
    FlagKind,
    Thresholds,
    assess_coverage,
    estimate_flags,
    find_accelerator,
    format_operations,
    nearest_accelerators,
    plausible_operations,
)

THRESHOLDS = Thresholds(
    operations=1e26,
    operations_biological=1e23,
    source="E.O. 14110 §4.2(b)(i), as a rule parameter in force on 2026-11-29",
)

# A transaction with nothing that makes it covered; each test changes what it is about.
NOTHING = CoverageFacts(
    customer_is_foreign_person=False,
    for_or_on_behalf_of_foreign_person=False,
    estimated_operations=None,
    trained_primarily_on_biological_sequence_data=False,
    reason_to_believe_large_model=False,
    original_arrangements_met_conditions=None,
    later_change_meets_conditions=False,
    third_party_facility=False,
    relevant_on=date(2027, 1, 10),
)


def _facts(**changes):
    return replace(NOTHING, **changes)


def _texts(verdict):
    return " | ".join(reason.text for reason in verdict.reasons)


def _citations(verdict):
    return {reason.citation for reason in verdict.reasons}


# --- The four examples of §7.308(b)(3) ---------------------------------------------------------


def test_example_1_a_foreign_person_trains_a_model_meeting_the_conditions():
    # §7.308(b)(3)(i): Corporation A, a foreign person, agrees with U.S. provider B to train a
    # model whose specifications meet the technical conditions.
    verdict = assess_coverage(
        _facts(customer_is_foreign_person=True, estimated_operations=3e26), THRESHOLDS
    )
    assert verdict.covered
    assert verdict.basis == "§7.308(b)(1)(i)"
    assert (
        "The estimate of 3.0e26 operations is above the 1e26 in force on 2027-01-10 "
        "(E.O. 14110 §4.2(b)(i)" in _texts(verdict)
    )
    assert "The customer is a foreign person" in _texts(verdict)
    assert "15 calendar days" in verdict.who_reports


def test_example_2_credits_the_provider_has_reason_to_believe_will_train_a_large_model():
    # §7.308(b)(3)(ii): U.S. Corporation A invests in foreign Corporation B partly in credits,
    # with reason to believe B will use them to train a large AI model. No number is known.
    verdict = assess_coverage(
        _facts(customer_is_foreign_person=True, reason_to_believe_large_model=True), THRESHOLDS
    )
    assert verdict.covered
    assert verdict.basis == "§7.308(b)(1)(i)"
    assert "reason to believe" in _texts(verdict)
    assert "No estimate of the training operations is given" in _texts(verdict)
    assert "§7.308(b)(1)(i); §7.308(b)(3)(ii)" in _citations(verdict)


def test_example_3_a_change_after_training_starts_makes_the_transaction_covered():
    # §7.308(b)(3)(iii): U.S. Corporation A trains a model for foreign Corporation B; the agreed
    # specifications fell short, but adjustments during training give A reason to believe the
    # model will meet the conditions.
    verdict = assess_coverage(
        _facts(
            for_or_on_behalf_of_foreign_person=True,
            original_arrangements_met_conditions=False,
            later_change_meets_conditions=True,
        ),
        THRESHOLDS,
    )
    assert verdict.covered
    assert verdict.basis == "§7.308(b)(1)(ii)"
    assert "for or on behalf of a foreign person" in _texts(verdict)
    assert "A development or update in the arrangements" in _texts(verdict)
    assert "§7.308(b)(1)(ii); §7.308(b)(3)(iii)" in _citations(verdict)
    assert "of the development in the arrangements" in verdict.who_reports


def test_example_4_the_provider_that_agreed_reports_though_the_facility_is_another_companys():
    # §7.308(b)(3)(iv): U.S. Corporation A trains a model meeting the conditions for foreign
    # Corporation B on infrastructure co-located in Corporation C's facility; A reports.
    verdict = assess_coverage(
        _facts(
            for_or_on_behalf_of_foreign_person=True,
            estimated_operations=2e26,
            third_party_facility=True,
        ),
        THRESHOLDS,
    )
    assert verdict.covered
    assert verdict.basis == "§7.308(b)(1)(i)"
    assert "above the 1e26" in _texts(verdict)
    assert verdict.who_reports.startswith(
        "The U.S. IaaS provider that agreed to the transaction reports it, even though the "
        "infrastructure sits in another company's facility (§7.308(b)(3)(iv))."
    )
    assert "within 15 calendar days" in verdict.who_reports
    assert "(§7.308(c)(1))" in verdict.who_reports


# --- Boundaries and the conditions that fail ---------------------------------------------------


@pytest.mark.parametrize(
    ("estimate", "threshold", "covered", "shown"),
    [
        (1e26, 1e26, False, "The estimate of 1e26 operations equals, and so is not above,"),
        # Thresholds are stored as whole numbers: the integer 10**26 is the same threshold.
        (1e26, 10**26, False, "equals, and so is not above, the 1e26"),
        (9.9e25, 1e26, False, "The estimate of 9.9e25 operations is not above the 1e26"),
        # Just above is shown with the figures that make the difference visible.
        (1.04e26, 1e26, True, "The estimate of 1.04e26 operations is above the 1e26"),
        (1.0000001e26, 1e26, True, "The estimate of 1.0000001e26 operations is above the 1e26"),
    ],
)
def test_the_estimate_must_be_strictly_above_the_threshold(estimate, threshold, covered, shown):
    thresholds = replace(THRESHOLDS, operations=threshold)
    verdict = assess_coverage(
        _facts(customer_is_foreign_person=True, estimated_operations=estimate), thresholds
    )
    assert verdict.covered is covered
    assert shown in _texts(verdict)


@pytest.mark.parametrize(
    ("biological", "estimate", "covered", "shown"),
    [
        (True, 5e23, True, "is above the 1e23 for a model trained primarily on biological"),
        (True, 1e23, False, "equals, and so is not above, the 1e23 for a model trained"),
        # The same estimate for a model not trained primarily on biological sequence data.
        (False, 5e23, False, "The estimate of 5.0e23 operations is not above the 1e26 in force"),
    ],
)
def test_a_model_trained_primarily_on_biological_sequence_data_has_the_lower_threshold(
    biological, estimate, covered, shown
):
    verdict = assess_coverage(
        _facts(
            customer_is_foreign_person=True,
            estimated_operations=estimate,
            trained_primarily_on_biological_sequence_data=biological,
        ),
        THRESHOLDS,
    )
    assert verdict.covered is covered
    assert shown in _texts(verdict)


def test_no_foreign_person_is_not_covered_however_large_the_model():
    verdict = assess_coverage(
        _facts(estimated_operations=5e26, reason_to_believe_large_model=True), THRESHOLDS
    )
    assert not verdict.covered
    assert verdict.basis is None
    first = verdict.reasons[0]
    assert first.text.startswith("No foreign person is involved")
    assert first.citation == "§7.301 (foreign person); §7.308(b)(1)"
    # The reviewer still sees that the model itself would meet the conditions.
    assert "above the 1e26" in _texts(verdict)
    assert verdict.who_reports.startswith("No report is due under §7.308(a)(1)")


def test_a_foreign_customer_without_an_estimate_or_reason_to_believe_is_not_covered():
    verdict = assess_coverage(_facts(customer_is_foreign_person=True), THRESHOLDS)
    assert not verdict.covered
    assert "No estimate of the training operations is given" in _texts(verdict)
    assert "reason to believe" not in _texts(verdict)


def test_original_arrangements_short_of_the_conditions_and_no_change_are_not_covered():
    verdict = assess_coverage(
        _facts(
            customer_is_foreign_person=True,
            estimated_operations=4e25,
            original_arrangements_met_conditions=False,
        ),
        THRESHOLDS,
    )
    assert not verdict.covered
    assert "The original arrangements would not have resulted" in _texts(verdict)
    assert "No development or update in the arrangements is known" in _texts(verdict)


def test_an_estimate_now_above_the_threshold_after_arrangements_that_were_not_is_a_change():
    verdict = assess_coverage(
        _facts(
            customer_is_foreign_person=True,
            estimated_operations=2e26,
            original_arrangements_met_conditions=False,
        ),
        THRESHOLDS,
    )
    assert verdict.covered
    assert verdict.basis == "§7.308(b)(1)(ii)"
    assert "The facts now meet the technical conditions although the original" in _texts(verdict)


def test_a_transaction_covered_when_agreed_stays_covered_if_the_estimate_is_later_lowered():
    verdict = assess_coverage(
        _facts(
            customer_is_foreign_person=True,
            estimated_operations=5e25,
            original_arrangements_met_conditions=True,
        ),
        THRESHOLDS,
    )
    assert verdict.covered
    assert verdict.basis == "§7.308(b)(1)(i)"
    assert "covered when agreed" in _texts(verdict)


def test_every_reason_cites_a_paragraph():
    verdict = assess_coverage(
        _facts(
            for_or_on_behalf_of_foreign_person=True,
            estimated_operations=2e26,
            reason_to_believe_large_model=True,
            original_arrangements_met_conditions=False,
            later_change_meets_conditions=True,
        ),
        THRESHOLDS,
    )
    assert len(verdict.reasons) == 5
    assert all(reason.citation.startswith("§7.3") for reason in verdict.reasons)


@pytest.mark.parametrize("estimate", [-1.0, float("nan"), float("inf")])
def test_an_estimate_that_is_not_a_number_of_operations_is_refused(estimate):
    with pytest.raises(ValueError, match="number of operations"):
        _facts(estimated_operations=estimate)


# --- Formatting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (3e26, "3.0e26"),
        (1e26, "1e26"),
        (10**26, "1e26"),
        (1e23, "1e23"),
        (3.14159e24, "3.1e24"),
        (9.96e25, "1.0e26"),
        (0, "0"),
    ],
)
def test_operations_are_written_in_short_scientific_notation(value, shown):
    assert format_operations(value) == shown


# --- The accelerator catalogue -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("H100 SXM", "H100 SXM"),
        ("nvidia h100-sxm", "H100 SXM"),
        ("  NVIDIA H100_SXM ", "H100 SXM"),
        ("amd mi300x", "MI300X"),
        ("MI300X", "MI300X"),
        ("Google TPU v5p", "TPU v5p"),
        ("tpu-v4", "TPU v4"),
    ],
)
def test_an_accelerator_is_found_whatever_the_case_spacing_or_vendor_prefix(name, model):
    found = find_accelerator(name, ACCELERATOR_SEED)
    assert found is not None
    assert found.model == model


@pytest.mark.parametrize("name", ["H100", "Gaudi 3", "", "   "])
def test_an_ambiguous_or_unknown_accelerator_is_not_guessed(name):
    assert find_accelerator(name, ACCELERATOR_SEED) is None


def test_the_catalogue_searched_is_the_one_given():
    edited = (Accelerator("B200", "NVIDIA", 2.25e15, "BF16 dense", "admin entry"),)
    assert find_accelerator("nvidia b200", edited) == edited[0]
    assert find_accelerator("H100 SXM", edited) is None


def test_every_seed_accelerator_is_found_by_its_own_name_and_no_other():
    for accelerator in ACCELERATOR_SEED:
        assert find_accelerator(accelerator.model, ACCELERATOR_SEED) is accelerator
        with_vendor = f"{accelerator.vendor} {accelerator.model}"
        assert find_accelerator(with_vendor, ACCELERATOR_SEED) is accelerator
        assert accelerator.number_format == "BF16 dense"
        assert "datasheet" in accelerator.source or "documentation" in accelerator.source


@pytest.mark.parametrize(
    ("name", "proposed"),
    [
        ("NVIDIA H200", ["H200 SXM"]),
        ("H200", ["H200 SXM"]),
        ("H100", ["H100 SXM"]),
        ("nvidia h100 pcie", ["H100 SXM"]),
        ("NVIDIA A100-SXM4-80GB", ["A100 SXM"]),
        ("A100 80GB", ["A100 SXM"]),
        ("MI300", ["MI300X"]),
        # Alike word by word, the nearer letter by letter comes first.
        ("AMD Instinct MI250", ["MI250X", "MI300X"]),
        ("Google TPU v5", ["TPU v5p", "TPU v4"]),
        # Ambiguous: every near entry is proposed, the nearest first, at most three.
        ("TPU v5e", ["TPU v5p", "TPU v4"]),
        ("NVIDIA", ["A100 SXM", "H100 SXM", "H200 SXM"]),
        # Other hardware altogether: nothing is near enough to propose.
        ("NVIDIA B200", []),
        ("Cerebras WSE-3", []),
        ("Intel Gaudi 3", []),
        ("", []),
        ("  -- ", []),
    ],
)
def test_the_nearest_catalogue_entries_are_proposed_for_a_name_not_found(name, proposed):
    assert [found.model for found in nearest_accelerators(name, ACCELERATOR_SEED)] == proposed


def test_proposals_come_from_the_catalogue_given():
    b200 = Accelerator("B200", "NVIDIA", 2.25e15, "BF16 dense", "admin entry")
    assert nearest_accelerators("NVIDIA B200 HGX", (*ACCELERATOR_SEED, b200))[0] is b200
    assert nearest_accelerators("Google TPU v5p", (b200,)) == []


# --- The plausible range of operations ---------------------------------------------------------


def test_the_arithmetic_is_written_out_for_the_screen():
    # 1 January to 31 March 2027 is 90 days, counting both dates.
    operations = plausible_operations(989e12, 2048, date(2027, 1, 1), date(2027, 3, 31))
    assert operations.arithmetic == (
        "989e12 operations/s × 2,048 accelerators × 7,776,000 s (90 days) × 0.2–0.6 utilisation "
        "= 3.2e24–9.5e24"
    )
    assert operations.low == pytest.approx(989e12 * 2048 * 7_776_000 * 0.2)
    assert operations.high == pytest.approx(989e12 * 2048 * 7_776_000 * 0.6)


def test_a_run_that_starts_and_ends_on_the_same_day_occupies_that_day():
    operations = plausible_operations(1e15, 1, date(2027, 5, 4), date(2027, 5, 4), (0.5, 0.5))
    assert operations.arithmetic == (
        "1000e12 operations/s × 1 accelerator × 86,400 s (1 day) × 0.5 utilisation = 4.3e19"
    )
    assert operations.low == operations.high == pytest.approx(4.32e19)


def test_a_seed_accelerator_gives_the_range_for_its_peak():
    h100 = find_accelerator("H100 SXM", ACCELERATOR_SEED)
    assert h100 is not None
    operations = plausible_operations(
        h100.peak_dense_ops_per_second, 1000, date(2027, 1, 1), date(2027, 1, 10)
    )
    assert operations.arithmetic.startswith("989.4e12 operations/s × 1,000 accelerators")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((1e15, 8, date(2027, 2, 1), date(2027, 1, 31)), "before the start date"),
        ((0.0, 8, date(2027, 1, 1), date(2027, 1, 31)), "peak throughput"),
        ((1e15, 0, date(2027, 1, 1), date(2027, 1, 31)), "At least one accelerator"),
        ((1e15, 8, date(2027, 1, 1), date(2027, 1, 31), (0.7, 0.3)), "Utilisation"),
        ((1e15, 8, date(2027, 1, 1), date(2027, 1, 31), (0.0, 0.5)), "Utilisation"),
        ((1e15, 8, date(2027, 1, 1), date(2027, 1, 31), (0.5, 1.5)), "Utilisation"),
    ],
)
def test_impossible_hardware_or_dates_are_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        plausible_operations(*arguments)


# 1e15 operations/s × 1,000 accelerators × 100 days = 8.64e24 at peak: 1.728e24–5.184e24.
SMALL_RUN = plausible_operations(1e15, 1_000, date(2027, 1, 1), date(2027, 4, 10))
# The same for 20,000 accelerators: 3.456e25–1.0368e26, whose high end is above 1e26.
LARGE_RUN = plausible_operations(1e15, 20_000, date(2027, 1, 1), date(2027, 4, 10))


@pytest.mark.parametrize(
    ("estimate", "operations", "kinds"),
    [
        (3e24, SMALL_RUN, []),
        (6e24, SMALL_RUN, [FlagKind.ABOVE_POSSIBLE]),
        (1e24, SMALL_RUN, [FlagKind.BELOW_PLAUSIBLE]),
        (5e25, LARGE_RUN, [FlagKind.COULD_EXCEED_THRESHOLD]),
        # At the threshold is not above it, and the hardware could go beyond.
        (1e26, LARGE_RUN, [FlagKind.COULD_EXCEED_THRESHOLD]),
        # Above the threshold: the report itself shows a large model; nothing to question.
        (1.01e26, LARGE_RUN, []),
        (1e25, LARGE_RUN, [FlagKind.COULD_EXCEED_THRESHOLD, FlagKind.BELOW_PLAUSIBLE]),
    ],
)
def test_estimates_an_analyst_should_question_are_flagged(estimate, operations, kinds):
    flags = estimate_flags(estimate, operations, 1e26)
    assert [flag.kind for flag in flags] == kinds
    assert all(flag.citation.startswith("§7.308(d)(1)(ii)(A)") for flag in flags)


def test_the_threshold_flag_names_the_figures_and_the_coverage_paragraph():
    (flag,) = estimate_flags(5e25, LARGE_RUN, 1e26)
    assert flag.message.startswith(
        "The reserved hardware could perform up to 1.0e26 operations, above the threshold of "
        "1e26, but the estimate of 5.0e25 is at or below it"
    )
    assert LARGE_RUN.arithmetic in flag.message
    assert flag.citation == "§7.308(d)(1)(ii)(A); §7.308(b)(1)"


def test_an_estimate_beyond_the_hardware_names_the_most_it_could_do():
    (flag,) = estimate_flags(6e24, SMALL_RUN, 1e26)
    assert "more than the reserved hardware could perform" in flag.message
    assert "at most 5.2e24" in flag.message
    assert flag.citation == "§7.308(d)(1)(ii)(A)"


def test_the_biological_threshold_can_be_passed_for_the_threshold_flag():
    # 312e12 × 256 × 30 days = 2.07e23 at peak: 4.1e22–1.2e23.
    operations = plausible_operations(312e12, 256, date(2027, 1, 1), date(2027, 1, 30))
    assert [flag.kind for flag in estimate_flags(5e22, operations, 1e26)] == []
    assert [flag.kind for flag in estimate_flags(5e22, operations, 1e23)] == [
        FlagKind.COULD_EXCEED_THRESHOLD
    ]
