"""A provider's foreign resellers: the compiled certification of them (§7.304(e)-(f)), its
import, and where the provider's list of them comes from (§7.303)."""
