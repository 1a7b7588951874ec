"""Two-person review: a draft is approved or returned by someone who did not write it, and an
approval holds only for the exact content that was approved (docs/architecture.md §5)."""
