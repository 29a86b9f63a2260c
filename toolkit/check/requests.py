"""Rules: requests (being written)."""
