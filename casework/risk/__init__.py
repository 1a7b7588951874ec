"""Risk scores (§7.305(d)) kept between requests: ``kept`` refreshes and reads them."""
