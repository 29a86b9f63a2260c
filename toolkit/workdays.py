"""Mainland-China working days: public holidays and 调休 from ``chinese_calendar``, plus the
settings' 节假日 sheet, which adds or overrides days (for years the library does not know).

A year the library does not know is covered by the settings only when they list a 休 day of
each of its main holidays (``schema.MAIN_HOLIDAYS``: 元旦, 春节, 国庆); otherwise S502 — one 休
row for 2027-01-01 is no 2027 calendar. Every SLA asks this one calendar; nothing here reads
the clock.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from toolkit import schema


class WorkCalendar:
    def __init__(self, overrides: dict[date, bool] | None = None):
        self.overrides = dict(overrides or {})
        self.missing_years: set[int] = set()   # years answered by weekends only
        self._gaps: dict[int, tuple[str, ...]] = {}   # year -> main holidays the settings lack

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        known = _library_workday(day)
        if known is None:
            if self.gaps(day.year):
                self.missing_years.add(day.year)
            return day.weekday() < 5
        return known

    def gaps(self, year: int) -> tuple[str, ...]:
        """The main holidays of ``year`` (元旦, 春节, 国庆) with no 休 day in the overrides."""
        if year not in self._gaps:
            off = [d for d, work in self.overrides.items() if d.year == year and not work]
            self._gaps[year] = tuple(
                name for name, first, last in schema.MAIN_HOLIDAYS
                if not any(date(year, *first) <= d <= date(year, *last) for d in off))
        return self._gaps[year]

    def add_workdays(self, day: date, n: int) -> date:
        """The date ``n`` working days after ``day`` (n = 0: ``day`` itself)."""
        current, step = day, 1 if n >= 0 else -1
        for _ in range(abs(n)):
            current += timedelta(days=step)
            while not self.is_workday(current):
                current += timedelta(days=step)
        return current

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end == start:
            return 0
        sign, lo, hi = (1, start, end) if end > start else (-1, end, start)
        count, day = 0, lo
        while day < hi:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return sign * count

    def coverage_findings(self) -> list:
        """One S502 warning per year that had to be answered by weekends only."""
        from toolkit.model import finding   # local: model imports codes only
        found = []
        for year in sorted(self.missing_years):
            given = sum(d.year == year for d in self.overrides)
            if given:
                found.append(finding("S502", kind="settings", value=year, variant="partial",
                                     params={"year": year, "count": given,
                                             "missing": "、".join(self.gaps(year))}))
            else:
                found.append(finding("S502", kind="settings", value=year, params={"year": year}))
        return found


@lru_cache(maxsize=8192)
def _library_workday(day: date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None
