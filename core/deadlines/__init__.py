"""Open statutory clocks as rows, so that one query lists everything overdue or due soon."""
