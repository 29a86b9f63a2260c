"""Mainland-China working days: public holidays and 调休 from ``chinese_calendar``, plus the
settings' 节假日 sheet, which adds or overrides days (for years the library does not know).

A year the library does not know is covered by the settings only when they list a 休 day of
each of its main holidays (``schema.MAIN_HOLIDAYS``: 元旦, 春节, 国庆); otherwise S502 — one 休
row for 2027-01-01 is no 2027 calendar. Every SLA asks this one calendar; nothing here reads
the clock. ``Days`` is a ``days`` value (可服务时间, 值班日, 开放日): whether someone serves on a
day is ``Days.on(day, calendar)``, so 工作日 follows this calendar (调休 included) wherever it is
written.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from toolkit import schema

ALL_WEEKDAYS = frozenset(range(7))


@dataclass(frozen=True)
class Days:
    """A ``days`` value: the weekdays written out (0 = Monday) and ``workdays`` — 工作日, the
    working-day calendar: a 调休 Saturday is one, a public holiday on a Thursday is not.
    ``周一至周五`` stays the five weekdays as written; ``工作日、周六`` is both.
    ``holidays_off`` — 节假日除外 — takes the calendar's public holidays out (``is_holiday``)."""
    weekdays: frozenset[int] = frozenset()
    workdays: bool = False
    holidays_off: bool = False

    @classmethod
    def of(cls, value) -> "Days | None":
        """A ``Days`` from a value as read (a plain weekday set is taken literally)."""
        if value is None or isinstance(value, Days):
            return value
        return cls(frozenset(value))

    def on(self, day: date, calendar: "WorkCalendar") -> bool:
        if self.holidays_off and calendar.is_holiday(day):
            return False
        return day.weekday() in self.weekdays or (self.workdays and calendar.is_workday(day))

    def __or__(self, other: "Days") -> "Days":
        weekdays = self.weekdays | other.weekdays
        return Days(weekdays, (self.workdays or other.workdays) and weekdays != ALL_WEEKDAYS,
                    self.holidays_off or other.holidays_off)

    def __bool__(self) -> bool:
        return bool(self.weekdays) or self.workdays

    @property
    def text(self) -> str:
        """As a clerk writes it: ``工作日``, ``周一、周三``, ``工作日、周六``."""
        parts = ["工作日"] if self.workdays else []
        parts += [schema.WEEKDAY_NAMES[d] for d in sorted(self.weekdays)]
        return "、".join(parts) + ("（节假日除外）" if self.holidays_off else "")


@dataclass(frozen=True)
class Period:
    """A time limit written as a number of days instead of a date (办理时限 ``15个工作日``,
    ``15个工作日内``, ``3天``, ``7日``): ``days`` working days (``workdays``) or calendar days.
    The reader keeps it as written; the domain counts it from its start (``end``)."""
    days: int
    workdays: bool

    def __str__(self) -> str:
        return f"{self.days}个工作日" if self.workdays else f"{self.days}天"

    @property
    def text_en(self) -> str:
        return f"{self.days} working day(s)" if self.workdays else f"{self.days} day(s)"

    def end(self, start: date, calendar: "WorkCalendar") -> date:
        """The last day of the period counted from ``start``."""
        if self.workdays:
            return calendar.add_workdays(start, self.days)
        return start + timedelta(days=self.days)


WORKDAYS = Days(workdays=True)



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

    def is_holiday(self, day: date) -> bool:
        """A public holiday (法定节假日, its days off included): a day off that is not an
        ordinary weekend — a weekday off, a weekend day inside a named holiday (国庆 10-03),
        or a day the settings' 节假日 sheet marks 休."""
        if self.is_workday(day):
            return False
        if day in self.overrides or day.weekday() < 5:
            return True
        return _library_holiday_name(day) is not None

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
                                             "missing": _holiday_names(self.gaps(year))}))
            else:
                found.append(finding("S502", kind="settings", value=year, params={"year": year}))
        return found


@lru_cache(maxsize=8192)
def _library_holiday_name(day: date) -> str | None:
    try:
        return chinese_calendar.get_holiday_detail(day)[1]
    except NotImplementedError:
        return None


@lru_cache(maxsize=8192)
def _library_workday(day: date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


_HOLIDAYS_EN = {"元旦": "New Year's Day", "春节": "the Spring Festival", "国庆": "National Day"}


def _holiday_names(names) -> "Text":
    """元旦、春节 in Chinese, New Year's Day, the Spring Festival in English."""
    from toolkit.text import Text
    names = list(names)
    return Text("、".join(names), ", ".join(_HOLIDAYS_EN.get(n, n) for n in names))
