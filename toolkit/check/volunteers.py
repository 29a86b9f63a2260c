"""Rules: volunteers (being written)."""
