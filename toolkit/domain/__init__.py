"""Domain layer: shared concepts every stage asks, below check, assign and report.

- ``council``   the resident council: meetings from the minutes, item ↔ request matching
"""
