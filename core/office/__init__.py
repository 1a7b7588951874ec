"""Office settings an administrator keeps: who signs the letters, whom CUI documents name."""
