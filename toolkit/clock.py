"""Times of day, time ranges and money amounts as values (issue #17): shared by the reader
(``toolkit.read.normalise`` parses them), the domain (room bookings, fees) and the reports.

A time is minutes after midnight; a range is half-open [start, end); ``TimeRange(None, None)``
is 全天 (the room's opening hours). Money is ``Decimal`` in 元, to the fen (``FEN``).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from toolkit import schema

__all__ = ["Clock", "TimeRange", "FEN", "MAX_AMOUNT", "DAY_MINUTES", "minutes_text", "range_text"]

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal(10) ** 9            # 元; anything larger is a typing error
DAY_MINUTES = 24 * 60


@dataclass(frozen=True, order=True)
class Clock:
    """A time of day in minutes after midnight (1440 = 24:00, only as an end)."""
    minutes: int

    def __str__(self) -> str:
        return minutes_text(self.minutes)


@dataclass(frozen=True)
class TimeRange:
    """A half-open range [start, end) in minutes; ``start is None`` means 全天 (the room's
    opening hours, resolved by the rules that know the room)."""
    start: int | None
    end: int | None

    @property
    def all_day(self) -> bool:
        return self.start is None

    def __str__(self) -> str:
        return schema.ALL_DAY_WORD if self.all_day else range_text(self.start, self.end)


def minutes_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def range_text(start: int, end: int) -> str:
    return f"{minutes_text(start)}-{minutes_text(end)}"
