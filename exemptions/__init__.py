"""Exemptions: Abuse of IaaS Products Deterrence Program requests and findings (§7.306)."""
