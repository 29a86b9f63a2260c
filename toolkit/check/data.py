"""Rules: data (being written)."""
