"""The one search box: what a person types, asked of every module (docs/architecture.md §14)."""
