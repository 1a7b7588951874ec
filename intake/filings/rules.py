"""What the inbox's filters mean: the timeliness intake recorded on each filing, and its
warnings (pure; docs/architecture.md §3)."""

from __future__ import annotations

from datetime import date

from core.clocks import Timeliness

# Filed with no clock to be judged by: a kind with none, or an annual certification with no
# earlier certification on record (intake.rules.timeliness).
NOT_TIMED = "none"

# An annual certification is too early before its window opens and late after its anniversary
# (§7.304(b)); a training report is late after its 15 or 30 days (§7.308(c)).
TIMELINESS_CHOICES = (
    (Timeliness.ON_TIME.value, "On time"),
    (Timeliness.LATE.value, "Late (§7.304(b), §7.308(c))"),
    (Timeliness.TOO_EARLY.value, "Early: before the annual window opened (§7.304(b))"),
    (NOT_TIMED, "No clock applies"),
)
TIMELINESS_SHOWN = {
    Timeliness.ON_TIME.value: "On time",
    Timeliness.LATE.value: "Late",
    Timeliness.TOO_EARLY.value: "Early",
}
TIMELINESS_RANK = {
    Timeliness.TOO_EARLY.value: 1,
    Timeliness.ON_TIME.value: 2,
    Timeliness.LATE.value: 3,
}

CHANNEL_SHOWN = {"web": "Keyed in", "api": "Filing API", "bulk": "Uploaded file"}

# Where a certification stands on review (§7.305(b)); other kinds are not reviewed.
NOT_REVIEWED = "not_reviewed"
ACCEPTED = "accepted"
DEFICIENT = "deficient"
DEFICIENT_OPEN = "deficient_open"
REVIEW_CHOICES = (
    (NOT_REVIEWED, "Certifications not yet reviewed (latest versions)"),
    (ACCEPTED, "Accepted"),
    (DEFICIENT, "Deficient (resubmitted or not)"),
    (DEFICIENT_OPEN, "Deficient, resubmission awaited"),
)

WITH_WARNINGS = "with"
WITHOUT_WARNINGS = "without"
WARNING_CHOICES = ((WITH_WARNINGS, "With warnings"), (WITHOUT_WARNINGS, "Without warnings"))


def timeliness_shown(value: str | None) -> str:
    """How a filing's recorded timeliness reads in the inbox and its downloads."""
    return TIMELINESS_SHOWN.get(value or "", "—")


def channel_shown(value: str) -> str:
    return CHANNEL_SHOWN.get(value, value)


def range_reversed(received_from: date | None, received_through: date | None) -> bool:
    """A range of received dates that ends before it starts: one mistake, so neither end
    applies (the form names it at the end date)."""
    return bool(received_from and received_through and received_through < received_from)
