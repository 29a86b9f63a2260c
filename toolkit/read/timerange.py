"""Times of day and time ranges as staff write them in an activity-room log (ledgers.md types
``time range``), and money in 元 to the fen. Pure functions, no I/O, no clock.

    >>> parse_time_range("9:00～11:30").value
    TimeRange(start=540, end=690)
    >>> str(parse_time_range("下午").value)
    '13:30-17:00'

Accepted: start and end joined by ``-`` ``—`` ``–`` ``～`` ``~`` ``至`` ``到``; times as ``9:00``,
``09：00``, ``9点``, ``9点半``, ``9点30分``, ``9时``; a leading ``上午``/``下午``/``晚上``/``中午``
(``下午2点-4点`` = 14:00-16:00); the words ``上午`` (08:30-11:30), ``下午`` (13:30-17:00),
``晚上`` (18:30-20:30) and ``全天`` (the room's opening hours). Ranges are half-open
[start, end). An unreadable range, or one that does not end after it starts, is D102.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from toolkit import schema
from toolkit.text import Text

__all__ = ["Clock", "TimeRange", "parse_time", "parse_time_range", "parse_money", "FEN",
           "minutes_text", "range_text"]

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


# lazy import of Parsed (normalise imports this module)
def _parsed(value, changed=False, error=None, detail=None):
    from toolkit.read.normalise import Parsed
    return Parsed(value, changed, error, detail)


def _empty(raw: Any) -> bool:
    from toolkit.read.normalise import is_empty
    return is_empty(raw)


def _shown(raw: Any) -> str:
    from toolkit.read.normalise import clip
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return clip(str(raw).strip())


_PERIOD = r"(?P<{n}>上午|下午|晚上|中午|早上|凌晨)?"
_CLOCK = (r"(?P<{h}>\d{{1,2}})(?:[:：.](?P<{m}>\d{{2}})|[点时](?:(?P<{half}>半)|(?P<{m2}>\d{{1,2}})分?)?)?")
_SEP = r"\s*(?:-+|—+|–|~|〜|至|到)\s*"
_RE_RANGE = re.compile(
    _PERIOD.format(n="p1") + r"\s*" + _CLOCK.format(h="h1", m="m1", half="half1", m2="mm1")
    + _SEP + _PERIOD.format(n="p2") + r"\s*"
    + _CLOCK.format(h="h2", m="m2", half="half2", m2="mm2"))
_RE_ONE = re.compile(_PERIOD.format(n="p1") + r"\s*"
                     + _CLOCK.format(h="h1", m="m1", half="half1", m2="mm1"))
_AFTERNOON = ("下午", "晚上")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _clock(m: re.Match, n: str, period: str | None) -> int | None:
    hour = int(m[f"h{n}"])
    minute = int(m[f"m{n}"] or m[f"mm{n}"] or 0)
    if m[f"half{n}"]:
        minute = 30
    if period in _AFTERNOON and hour < 12:
        hour += 12
    elif period == "中午" and hour < 6:
        hour += 12
    if minute >= 60 or hour > 24 or (hour == 24 and minute):
        return None
    return hour * 60 + minute


def _bad_range(raw: Any, why_zh: str = "", why_en: str = "") -> Any:
    shown = _shown(raw)
    return _parsed(None, False, "D102", Text(
        f"无法识别时段“{shown}”{why_zh}，请按 09:00-11:00 填写，或填 上午、下午、晚上、全天",
        f"cannot read the time range '{shown}'{why_en}; write it like 09:00-11:00, or 上午/下午/晚上/全天"))


def parse_time_range(raw: Any):
    """``09:00-11:00``, ``9:00～11:30``, ``9点半-11点``, ``上午``, ``全天`` … → ``TimeRange``."""
    if _empty(raw):
        return _parsed(None)
    if not isinstance(raw, str):
        return _bad_range(raw)
    text = _nfkc(raw)
    compact = re.sub(r"\s+", "", text)
    if compact == schema.ALL_DAY_WORD:
        return _parsed(TimeRange(None, None))
    if compact in schema.TIME_WORDS:
        return _parsed(TimeRange(*schema.TIME_WORDS[compact]))
    m = _RE_RANGE.fullmatch(text)
    if m is None:
        return _bad_range(raw)
    start = _clock(m, "1", m["p1"])
    end = _clock(m, "2", m["p2"] or m["p1"])
    if start is None or end is None or start >= DAY_MINUTES:
        return _bad_range(raw)
    if end <= start:
        return _bad_range(raw, "（结束时间不晚于开始时间）", " (it does not end after it starts)")
    value = TimeRange(start, end)
    return _parsed(value, re.sub(r"\s+", "", raw) not in _plain_spellings(start, end))


def _plain_spellings(start: int, end: int) -> set[str]:
    """Spellings that are the normal form (no D112): 09:00-11:00 and 9:00-11:00."""
    def forms(minutes: int) -> set[str]:
        return {minutes_text(minutes), f"{minutes // 60}:{minutes % 60:02d}"}
    return {f"{a}-{b}" for a in forms(start) for b in forms(end)}


def _bad_time(raw: Any) -> Any:
    shown = _shown(raw)
    return _parsed(None, False, "D102", Text(
        f"无法识别时间“{shown}”，请按 09:00 填写", f"cannot read the time '{shown}'; write it like 09:00"))


def parse_time(raw: Any):
    """A time of day: an Excel time cell, ``9:00``, ``09：00``, ``9点半``, ``下午2点`` → ``Clock``."""
    if _empty(raw):
        return _parsed(None)
    if isinstance(raw, datetime):
        return _parsed(Clock(raw.hour * 60 + raw.minute))
    if isinstance(raw, time):
        return _parsed(Clock(raw.hour * 60 + raw.minute))
    if isinstance(raw, timedelta):
        minutes = round(raw.total_seconds() / 60)
        return _parsed(Clock(minutes)) if 0 <= minutes <= DAY_MINUTES else _bad_time(raw)
    if isinstance(raw, bool):
        return _bad_time(raw)
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and math.isnan(raw):
            return _parsed(None)
        if 0 <= raw <= 1:                         # a day fraction (a time cell read as a number)
            return _parsed(Clock(round(raw * DAY_MINUTES)))
        return _bad_time(raw)
    text = _nfkc(str(raw))
    m = _RE_ONE.fullmatch(text)
    if m is None:
        return _bad_time(raw)
    minutes = _clock(m, "1", m["p1"])
    if minutes is None:
        return _bad_time(raw)
    plain = {minutes_text(minutes), f"{minutes // 60}:{minutes % 60:02d}"}
    return _parsed(Clock(minutes), str(raw).strip() not in plain)


_RE_MONEY = re.compile(r"[¥￥]?\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+)\s*(?:元|块)?")
_FREE = ("免费", "不收费", "无偿")


def _bad_money(raw: Any) -> Any:
    shown = _shown(raw)
    return _parsed(None, False, "D111", Text(
        f"“{shown}”不是金额，请填写如 12 或 12.50（元）；免费留空",
        f"'{shown}' is not an amount; write e.g. 12 or 12.50 (元), leave empty when free"))


def parse_money(raw: Any):
    """An amount in 元 → ``Decimal`` to the fen: 12, 12.5, ``12.50元``, ``¥12``, ``1,200``;
    ``免费`` → 0. A negative amount is D111."""
    if _empty(raw):
        return _parsed(None)
    if isinstance(raw, bool):
        return _bad_money(raw)
    changed = False
    if isinstance(raw, int):
        amount = Decimal(raw)
    elif isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return _bad_money(raw)
        amount = Decimal(repr(raw))
    elif isinstance(raw, Decimal):
        amount = raw
    else:
        text = _nfkc(str(raw))
        if text in _FREE:
            return _parsed(Decimal("0.00"), True)
        m = _RE_MONEY.fullmatch(text)
        if m is None:
            return _bad_money(raw)
        try:
            amount = Decimal(m[1].replace(",", ""))
        except InvalidOperation:
            return _bad_money(raw)
        changed = m[1] != text
    if amount < 0 or amount > MAX_AMOUNT or not amount.is_finite():
        return _bad_money(raw)
    return _parsed(amount.quantize(FEN, rounding=ROUND_HALF_UP), changed)
