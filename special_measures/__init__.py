"""Special measures: referrals, evaluations and determinations (§7.307)."""
