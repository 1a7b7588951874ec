"""Effective-dated rule parameters: the numbers a final rule may change."""
