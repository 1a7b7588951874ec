"""Notices a provider owes the Department beyond its filings (§7.309(b)): a material change that
renders its CIP unnecessary (§7.309(b)(1)) and a representation that no longer holds
(§7.309(b)(3)), recorded with their dates and weighed in the risk score. A material change to an
exempt program (§7.309(b)(2)) belongs to its exemption case (exemptions)."""
