"""Oversight of a provider's foreign resellers: evidence that one fails its CIP, the 30-day clock
to terminate it and the closing of its account (§7.303(e)); evidence that one fails §7.308, the
notice, the suspension and the resumption on assurances (§7.308(f))."""
