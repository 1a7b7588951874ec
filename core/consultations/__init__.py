"""Interagency consultation: requests to other agencies and the positions they record
(§7.306(e)(2) for exemptions, §7.307(c) for special measures)."""
