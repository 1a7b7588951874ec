"""Casework: risk scoring (§7.305(d)), compliance assessments, reseller oversight, penalties."""
