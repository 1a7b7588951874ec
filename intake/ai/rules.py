"""Screening aids for large AI model training (§7.308): is a transaction a covered transaction,
and is the compute estimate in a report plausible for the hardware reserved?

Pure: takes the facts, the thresholds in force and the dates as arguments; reads neither the
clock nor the database. The thresholds are effective-dated rule parameters
(``ai.large_model_operations``, ``ai.large_model_operations_biological``) that the caller looks
up and passes in, so that a verdict can be re-checked against the numbers that produced it.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, utils

from core import clocks

SECONDS_PER_DAY = 86_400

# §7.301 (large AI model) and §7.308(b)(2): the technical conditions come from the Department's
# interpretive rules; until then, the E.O. 14110 §4.2(b)(i) compute thresholds.
TECHNICAL_CONDITIONS = "§7.301 (large AI model); §7.308(b)(2)"
ESTIMATE_CITATION = "§7.308(d)(1)(ii)(A)"


@dataclass(frozen=True)
class Reason:
    """One step of a verdict, in words a reviewer can check against the paragraph cited."""

    text: str
    citation: str


# --- Formatting numbers of operations ------------------------------------------------------------


def format_operations(value: float, *, significant: int = 2) -> str:
    """``3.1e24`` style; an exact power of ten is written as the rule parameters are, ``1e26``."""
    value = float(value)  # a rule parameter arrives as the integer 10**26
    if value == 0:
        return "0"
    mantissa, exponent_text = f"{value:.{significant - 1}e}".split("e")
    exponent = int(exponent_text)
    if value == float(f"1e{exponent}"):
        return f"1e{exponent}"
    return f"{mantissa}e{exponent}"


def _distinguishable(value: float, other: float) -> tuple[str, str]:
    """Both numbers written with enough figures that different numbers never read the same:
    1.04e26 must not be shown as "1.0e26 is above 1e26"."""
    for significant in range(2, 18):
        shown, other_shown = (
            format_operations(value, significant=significant),
            format_operations(other, significant=significant),
        )
        if value == other or float(shown) != float(other_shown):
            break
    return shown, other_shown


def _require_operations(value: float, what: str) -> None:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a number of operations, zero or more")


# --- 1. Is it a covered transaction? (§7.308(b), §7.301) ----------------------------------------


@dataclass(frozen=True)
class CoverageFacts:
    """What the analyst knows about one transaction."""

    customer_is_foreign_person: bool
    # §7.308(b)(1): "by, for, or on behalf of a foreign person" — e.g. the foreign person is the
    # beneficial owner, or the one a U.S. person trains the model for (Examples 3 and 4).
    for_or_on_behalf_of_foreign_person: bool
    estimated_operations: float | None
    trained_primarily_on_biological_sequence_data: bool
    # §7.308(b)(3)(ii), Example 2: reason to believe is enough, with or without a number.
    reason_to_believe_large_model: bool
    # §7.308(b)(1)(ii): None when the original arrangements are not known or not in question.
    original_arrangements_met_conditions: bool | None
    later_change_meets_conditions: bool
    # §7.308(b)(3)(iv), Example 4: infrastructure co-located in another company's facility.
    third_party_facility: bool
    relevant_on: date
    # §7.308(b)(1)(i), "results or could result": the most the reserved hardware would perform
    # over the reported dates (the high end of ``plausible_operations``), when it is known.
    hardware_could_perform: float | None = None

    def __post_init__(self) -> None:
        if self.estimated_operations is not None:
            _require_operations(self.estimated_operations, "The estimate")
        if self.hardware_could_perform is not None:
            _require_operations(self.hardware_could_perform, "What the hardware could perform")


@dataclass(frozen=True)
class Thresholds:
    """The compute thresholds in force on the relevant date, and where they come from."""

    operations: float
    operations_biological: float
    source: str  # e.g. "E.O. 14110 §4.2(b)(i), as a rule parameter in force on 2026-11-29"

    def __post_init__(self) -> None:
        for value in (self.operations, self.operations_biological):
            if not math.isfinite(value) or value <= 0:
                raise ValueError("A threshold must be a positive number of operations")


class CoverageBasis(enum.StrEnum):
    # §7.308(b)(1)(i): the transaction results or could result in training a large AI model.
    TRAINING = "§7.308(b)(1)(i)"
    # §7.308(b)(1)(ii): the original arrangements would not, but a development or update does.
    CHANGED_ARRANGEMENTS = "§7.308(b)(1)(ii)"


@dataclass(frozen=True)
class CoverageVerdict:
    covered: bool
    basis: CoverageBasis | None
    reasons: tuple[Reason, ...]
    who_reports: str
    # How "could result" was read, shown beside the verdict when the hardware was weighed.
    reading: str | None = None


# The rule does not say whether hardware able to exceed the technical conditions makes a
# transaction one that "could result" in such training when the customer's estimate stays below
# them. Read here: it does, if the reserved hardware, at the top of the utilisation large runs
# reach (UTILISATION_RANGE, not its theoretical peak), would exceed them over the reported dates:
# the arrangements provide the compute, and a lower estimate is the customer's plan, not a limit.
COULD_RESULT_READING = (
    "“Results or could result” (§7.308(b)(1)(i)) is read as what the arrangements make possible: "
    "a transaction whose reserved hardware, at the top of the utilisation that large training "
    "runs reach, would perform more operations over the reported dates than the technical "
    "conditions is covered, even when the reported estimate is lower, unless the provider shows "
    "how the run is limited. The hardware's theoretical peak is not used."
)


def _foreign_person_involved(facts: CoverageFacts) -> bool:
    return facts.customer_is_foreign_person or facts.for_or_on_behalf_of_foreign_person


def _foreign_person_reason(facts: CoverageFacts) -> Reason:
    if facts.customer_is_foreign_person:
        return Reason(
            "The customer is a foreign person (not a United States person)",
            "§7.301 (foreign person); §7.308(b)(1)",
        )
    if facts.for_or_on_behalf_of_foreign_person:
        return Reason(
            "The transaction is for or on behalf of a foreign person",
            "§7.301 (foreign person); §7.308(b)(1)",
        )
    return Reason(
        "No foreign person is involved: the customer is not a foreign person and the transaction "
        "is not for or on behalf of one, so it is not a covered transaction",
        "§7.301 (foreign person); §7.308(b)(1)",
    )


def _threshold_for(facts: CoverageFacts, thresholds: Thresholds) -> tuple[float, str]:
    """The number to exceed, and how it is described. E.O. 14110 §4.2(b)(i) sets a lower number
    for a model trained primarily on biological sequence data."""
    if facts.trained_primarily_on_biological_sequence_data:
        return (
            float(thresholds.operations_biological),
            " for a model trained primarily on biological sequence data",
        )
    return float(thresholds.operations), ""


def _estimate_above_threshold(facts: CoverageFacts, thresholds: Thresholds) -> bool:
    # Strictly above: the condition is "greater than" the threshold. Compared as floats so that
    # a threshold stored as the integer 10**26 equals the estimate 1e26.
    threshold, _ = _threshold_for(facts, thresholds)
    estimate = facts.estimated_operations
    return estimate is not None and float(estimate) > threshold


def _estimate_reason(facts: CoverageFacts, thresholds: Thresholds) -> Reason:
    threshold, kind = _threshold_for(facts, thresholds)
    in_force = f"in force on {facts.relevant_on.isoformat()} ({thresholds.source})"
    estimate = facts.estimated_operations
    if estimate is None:
        return Reason(
            f"No estimate of the training operations is given to compare with the "
            f"{format_operations(threshold)}{kind} {in_force}",
            TECHNICAL_CONDITIONS,
        )
    shown, threshold_shown = _distinguishable(float(estimate), threshold)
    if float(estimate) > threshold:
        comparison = "is above"
    elif float(estimate) == threshold:
        comparison = "equals, and so is not above,"
    else:
        comparison = "is not above"
    return Reason(
        f"The estimate of {shown} operations {comparison} the {threshold_shown}{kind} {in_force}",
        TECHNICAL_CONDITIONS,
    )


def _hardware_above_threshold(facts: CoverageFacts, thresholds: Thresholds) -> bool:
    threshold, _ = _threshold_for(facts, thresholds)
    could = facts.hardware_could_perform
    return could is not None and float(could) > threshold


def _hardware_reason(facts: CoverageFacts, thresholds: Thresholds) -> Reason:
    threshold, kind = _threshold_for(facts, thresholds)
    assert facts.hardware_could_perform is not None  # asked only when the hardware is known
    shown, threshold_shown = _distinguishable(float(facts.hardware_could_perform), threshold)
    if _hardware_above_threshold(facts, thresholds):
        text = (
            f"The reserved hardware could perform up to {shown} operations over the reported "
            f"dates, above the {threshold_shown}{kind}: the transaction could result in training "
            "a model that meets the technical conditions"
        )
    else:
        text = (
            f"The reserved hardware could perform at most {shown} operations over the reported "
            f"dates, not above the {threshold_shown}{kind}: the hardware alone does not make "
            "the transaction covered"
        )
    return Reason(text, "§7.308(b)(1)(i); §7.308(d)(1)(ii)(C)")


def _belief_reason() -> Reason:
    return Reason(
        "The provider has reason to believe the foreign person intends to train a large AI model "
        "with potential capabilities that could be used in malicious cyber-enabled activity, "
        "whatever the estimate",
        "§7.308(b)(1)(i); §7.308(b)(3)(ii)",
    )


def _arrangements_reasons(facts: CoverageFacts, conditions_met_now: bool) -> list[Reason]:
    original = facts.original_arrangements_met_conditions
    reasons = []
    if original is True:
        reasons.append(
            Reason(
                "The original arrangements provided for training a model that meets the "
                "technical conditions, so the transaction was covered when agreed",
                "§7.308(b)(1)(i)",
            )
        )
    elif original is False:
        reasons.append(
            Reason(
                "The original arrangements would not have resulted in training a model that "
                "meets the technical conditions",
                "§7.308(b)(1)(ii)",
            )
        )
    if facts.later_change_meets_conditions:
        reasons.append(
            Reason(
                "A development or update in the arrangements means the transaction now does or "
                "could result in training a model that meets the technical conditions",
                "§7.308(b)(1)(ii); §7.308(b)(3)(iii)",
            )
        )
    elif original is False and conditions_met_now:
        # The facts now meet the conditions the original arrangements did not: something changed.
        reasons.append(
            Reason(
                "The facts now meet the technical conditions although the original arrangements "
                "did not: a development or update in the arrangements",
                "§7.308(b)(1)(ii)",
            )
        )
    elif original is False:
        reasons.append(
            Reason(
                "No development or update in the arrangements is known to change that",
                "§7.308(b)(1)(ii)",
            )
        )
    return reasons


def _who_reports(basis: CoverageBasis | None, facts: CoverageFacts) -> str:
    if basis is None:
        return (
            "No report is due under §7.308(a)(1) on these facts; assess the transaction again if "
            "the arrangements change (§7.308(b)(1)(ii))."
        )
    if facts.third_party_facility:
        reporter = (
            "The U.S. IaaS provider that agreed to the transaction reports it, even though the "
            "infrastructure sits in another company's facility (§7.308(b)(3)(iv))."
        )
    else:
        reporter = (
            "The U.S. IaaS provider with knowledge of the covered transaction reports it to the "
            "Department (§7.308(a)(1))."
        )
    days = clocks.get("ai.initial_report").days
    if basis is CoverageBasis.CHANGED_ARRANGEMENTS:
        start = "the development in the arrangements or of the provider's knowledge of it"
    else:
        start = "the covered transaction or of the provider's knowledge of it"
    return f"{reporter} The report is due within {days} calendar days of {start} (§7.308(c)(1))."


def assess_coverage(facts: CoverageFacts, thresholds: Thresholds) -> CoverageVerdict:
    """Whether the transaction is a covered transaction, on which basis, and why.

    Every condition is explained, met or not, so that a reviewer sees what failed.
    """
    reasons = [_foreign_person_reason(facts), _estimate_reason(facts, thresholds)]
    weighed_hardware = facts.hardware_could_perform is not None
    if weighed_hardware:
        reasons.append(_hardware_reason(facts, thresholds))
    if facts.reason_to_believe_large_model:
        reasons.append(_belief_reason())
    conditions_met_now = (
        _estimate_above_threshold(facts, thresholds)
        or _hardware_above_threshold(facts, thresholds)
        or facts.reason_to_believe_large_model
        or facts.later_change_meets_conditions
    )
    reasons += _arrangements_reasons(facts, conditions_met_now)
    covered = _foreign_person_involved(facts) and (
        conditions_met_now or facts.original_arrangements_met_conditions is True
    )
    basis = None
    if covered:
        basis = (
            CoverageBasis.CHANGED_ARRANGEMENTS
            if facts.original_arrangements_met_conditions is False
            else CoverageBasis.TRAINING
        )
    reading = COULD_RESULT_READING if weighed_hardware else None
    return CoverageVerdict(covered, basis, tuple(reasons), _who_reports(basis, facts), reading)


# --- 2. Plausibility of the compute estimate (§7.308(d)(1)(ii)(A)–(C)) ---------------------------


@dataclass(frozen=True)
class Accelerator:
    model: str
    vendor: str
    peak_dense_ops_per_second: float  # dense BF16/FP16 tensor throughput, without sparsity
    number_format: str
    source: str


# Seed for the admin-editable catalogue. Vendors print some figures "with sparsity"; a training
# run does dense arithmetic, so the dense figure (half the sparse one) is the ceiling.
ACCELERATOR_SEED: tuple[Accelerator, ...] = (
    Accelerator("A100 SXM", "NVIDIA", 312e12, "BF16 dense",
                "NVIDIA A100 Tensor Core GPU datasheet (2021): BF16 Tensor Core 312 teraFLOPS "
                "(624 with sparsity)"),
    Accelerator("H100 SXM", "NVIDIA", 989.4e12, "BF16 dense",
                "NVIDIA H100 Tensor Core GPU datasheet (2022): BF16 Tensor Core 1,979 teraFLOPS "
                "with sparsity; dense 989.4 in the NVIDIA H100 Tensor Core GPU Architecture "
                "whitepaper (2022)"),
    Accelerator("H200 SXM", "NVIDIA", 989.4e12, "BF16 dense",
                "NVIDIA H200 Tensor Core GPU datasheet (2024): BF16 Tensor Core 1,979 teraFLOPS "
                "with sparsity; the same Hopper tensor cores as the H100 SXM, dense 989.4"),
    Accelerator("MI250X", "AMD", 383e12, "BF16 dense",
                "AMD Instinct MI250X accelerator datasheet (2021): peak BF16 383 teraFLOPS"),
    Accelerator("MI300X", "AMD", 1307.4e12, "BF16 dense",
                "AMD Instinct MI300X accelerator datasheet (2023): peak BF16 1,307.4 teraFLOPS "
                "(2,614.9 with sparsity)"),
    Accelerator("TPU v4", "Google", 275e12, "BF16 dense",
                "Google Cloud TPU v4 documentation (2022): peak compute per chip (bf16) "
                "275 teraFLOPS"),
    Accelerator("TPU v5p", "Google", 459e12, "BF16 dense",
                "Google Cloud TPU v5p documentation (2023): peak compute per chip (bf16) "
                "459 teraFLOPS"),
)  # fmt: skip


def _squashed(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def find_accelerator(name: str, catalogue: Iterable[Accelerator]) -> Accelerator | None:
    """The catalogue entry a report names, ignoring case, spacing and punctuation, with or
    without the vendor: "H100 SXM", "nvidia h100-sxm". A bare "H100" finds nothing, because the
    variants differ in throughput and guessing one would skew the plausibility check."""
    wanted = _squashed(name)
    if not wanted:
        return None
    for accelerator in catalogue:
        model = _squashed(accelerator.model)
        if wanted in (model, _squashed(accelerator.vendor) + model):
            return accelerator
    return None


# How alike (rapidfuzz WRatio, 0–100) a reported name and a catalogue entry must be for the entry
# to be proposed: "NVIDIA H200" and "NVIDIA H200 SXM" score 95, "H100 PCIe" and "H100 SXM" 86;
# "NVIDIA B200" and "H200 SXM", different hardware, 77.
PROPOSAL_CUTOFF = 80
PROPOSALS_SHOWN = 3


def _likeness(name: str, accelerator: Accelerator) -> tuple[float, float]:
    """How alike a reported name and a catalogue entry are: word by word, then (between entries
    alike word by word) letter by letter."""
    written = f"{accelerator.vendor} {accelerator.model}"
    return (
        fuzz.WRatio(name, written, processor=utils.default_process),
        fuzz.ratio(_squashed(name), _squashed(written)),
    )


def nearest_accelerators(
    name: str, catalogue: Sequence[Accelerator], limit: int = PROPOSALS_SHOWN
) -> list[Accelerator]:
    """The catalogue entries nearest a name ``find_accelerator`` does not find ("NVIDIA H200"
    beside "H200 SXM"), best first, for an analyst to confirm one. None is ever taken without
    that confirmation: variants of one chip differ in throughput (§7.308(d)(1)(ii)(C))."""
    if not _squashed(name):
        return []
    scored = [(_likeness(name, accelerator), accelerator) for accelerator in catalogue]
    near = [(score, accelerator) for score, accelerator in scored if score[0] >= PROPOSAL_CUTOFF]
    near.sort(key=lambda pair: pair[0], reverse=True)
    return [accelerator for _, accelerator in near[:limit]]


# Model FLOPs utilisation reported for large training runs is well below peak: PaLM reported
# 46.2% on TPU v4 (Chowdhery et al., 2022), Llama 3 405B 38–43% on H100 (Meta, 2024). 20–60%
# brackets those with room for poorly tuned runs below and the best reported runs above.
UTILISATION_RANGE: tuple[float, float] = (0.2, 0.6)


@dataclass(frozen=True)
class OperationsRange:
    low: float
    high: float
    arithmetic: str  # the computation written out for the screen


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _check_hardware(
    peak_ops_per_second: float, accelerator_count: int, utilisation: tuple[float, float]
) -> None:
    if not math.isfinite(peak_ops_per_second) or peak_ops_per_second <= 0:
        raise ValueError("The peak throughput must be a positive number of operations a second")
    if accelerator_count < 1:
        raise ValueError("At least one accelerator must be reserved")
    low, high = utilisation
    if not 0 < low <= high <= 1:
        raise ValueError("Utilisation is a range of fractions of peak: 0 < low ≤ high ≤ 1")


def run_days(start_on: date, end_on: date) -> int:
    """Days the run occupies, counting both the start and the completion date: §7.308(d)(1)(ii)(B)
    asks for dates, not times, so the run may use any part of either day, and the count must not
    understate what the hardware could do."""
    if end_on < start_on:
        raise ValueError(
            f"The completion date {end_on.isoformat()} is before the start date "
            f"{start_on.isoformat()}"
        )
    return (end_on - start_on).days + 1


def plausible_operations(
    peak_ops_per_second: float,
    accelerator_count: int,
    start_on: date,
    end_on: date,
    utilisation: tuple[float, float] = UTILISATION_RANGE,
) -> OperationsRange:
    """The operations the reserved accelerators would perform over the reported dates at the
    low and high ends of the utilisation range (§7.308(d)(1)(ii)(B)–(C))."""
    _check_hardware(peak_ops_per_second, accelerator_count, utilisation)
    days = run_days(start_on, end_on)
    seconds = days * SECONDS_PER_DAY
    at_peak = peak_ops_per_second * accelerator_count * seconds
    low_share, high_share = utilisation
    low, high = at_peak * low_share, at_peak * high_share
    shares = f"{low_share:g}" if low_share == high_share else f"{low_share:g}–{high_share:g}"
    result = (
        format_operations(low)
        if low == high
        else f"{format_operations(low)}–{format_operations(high)}"
    )
    arithmetic = (
        f"{peak_ops_per_second / 1e12:g}e12 operations/s × "
        f"{_plural(accelerator_count, 'accelerator')} × {seconds:,} s "
        f"({_plural(days, 'day')}) × {shares} utilisation = {result}"
    )
    return OperationsRange(low, high, arithmetic)


class FlagKind(enum.StrEnum):
    ABOVE_POSSIBLE = "above_possible"
    BELOW_PLAUSIBLE = "below_plausible"
    COULD_EXCEED_THRESHOLD = "could_exceed_threshold"


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    message: str
    citation: str


def estimate_flags(estimate: float, operations: OperationsRange, threshold: float) -> list[Flag]:
    """What an analyst should question about a reported estimate, most important first."""
    _require_operations(estimate, "The estimate")
    estimate, threshold = float(estimate), float(threshold)
    shown = format_operations(estimate)
    flags = []
    if operations.high > threshold >= estimate:
        # The point of the check: a run the hardware could push over the threshold while the
        # report says it stays under is a transaction that may be covered (§7.308(b)(1)).
        flags.append(
            Flag(
                FlagKind.COULD_EXCEED_THRESHOLD,
                f"The reserved hardware could perform up to {format_operations(operations.high)} "
                f"operations, above the threshold of {format_operations(threshold)}, but the "
                f"estimate of {shown} is at or below it: ask how the run is limited, and whether "
                f"the transaction is covered ({operations.arithmetic})",
                f"{ESTIMATE_CITATION}; §7.308(b)(1)",
            )
        )
    if estimate > operations.high:
        flags.append(
            Flag(
                FlagKind.ABOVE_POSSIBLE,
                f"The estimate of {shown} operations is more than the reserved hardware could "
                f"perform over the reported dates, at most {format_operations(operations.high)} "
                f"({operations.arithmetic})",
                ESTIMATE_CITATION,
            )
        )
    elif estimate < operations.low:
        flags.append(
            Flag(
                FlagKind.BELOW_PLAUSIBLE,
                f"The estimate of {shown} operations is implausibly small for the reserved "
                f"hardware, which would perform at least {format_operations(operations.low)} "
                f"over the reported dates ({operations.arithmetic})",
                ESTIMATE_CITATION,
            )
        )
    return flags
