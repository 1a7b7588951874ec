"""Notices to the office's people in the application and by email, and the delivery of every
message the system sends (docs/architecture.md §12)."""
