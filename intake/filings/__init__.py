"""The filings inbox: every filing across providers, filtered, paged and exported."""
