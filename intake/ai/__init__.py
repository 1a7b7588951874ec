"""Reports of large AI model training (§7.308): the screening aids and IP access logs (pure),
the accelerator catalogue, the use cases and the pages."""
