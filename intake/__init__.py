"""Intake: providers, foreign resellers, filings, receipts, timeliness and the filing API."""
