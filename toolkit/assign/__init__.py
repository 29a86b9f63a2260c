"""Assign layer: findings → follow-ups."""
