"""The channel to providers: every document the office issues to a provider, as a record, sent
to the provider's contact on record, and whose sending opens the clock the rule starts from its
receipt (§7.305(a), §7.303(d), §7.308(c)(3), §7.309(c)(1)(i))."""
