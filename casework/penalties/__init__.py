"""Civil penalties (§7.309): a penalty case from its draft notice to the final decision."""
