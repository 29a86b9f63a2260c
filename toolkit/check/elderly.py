"""Rules: elderly (being written)."""
