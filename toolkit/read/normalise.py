"""Cell value normalisers: one raw cell value (as python-calamine, openpyxl or CSV give it) →
a ``Parsed`` (normalised value, whether the spelling was normalised, finding code on failure).

Pure functions, no I/O, no clock (``as_of`` is a parameter). ``parse`` memoises on the raw
value. Accepted spellings and what is reported: ``docs/normalise.md``.

    >>> parse("date", "2026.11.3", as_of=date(2026, 11, 23))
    Parsed(value=datetime.date(2026, 11, 3), changed=True, error=None, detail=None)

Codes: D102 date, D104 phone, D105 resident ID, D109 bool word not recognised,
D111 unreadable int / number / blood pressure / weekday set.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, Callable

from toolkit import schema
from toolkit.clock import DAY_MINUTES, FEN, MAX_AMOUNT, Clock, TimeRange, minutes_text
from toolkit.codes import CODES, Message
from toolkit.text import chinese_number
from toolkit.workdays import WORKDAYS, Days, Period

__all__ = ["Parsed", "parse", "is_empty", "parse_date", "parse_phone", "parse_idnum",
           "parse_bool", "parse_multi", "parse_bp", "parse_days", "parse_int", "parse_number",
           "parse_text", "normalise_text", "normalise_code", "id_birth", "id_gender",
           "is_month_only", "no_day", "ID_WEIGHTS", "ID_CHECK", "id_check_digit",
           "clip", "QUOTE_CHARS", "phantom_day", "bool_words", "is_native_csv_date",
           "parse_time_range", "parse_time", "parse_money", "parse_count", "month_day", "year_near", "parse_period",
           "numeric_month_day", "reads_day_first", "parse_day_month",
           "latest_by", "bp_half"]


@dataclass(frozen=True)
class Parsed:
    value: Any               # normalised value; None when empty or failed
    changed: bool = False    # the spelling was normalised (D112)
    error: str | None = None     # finding code on failure
    detail: Message | None = None   # what failed, quoting the raw value: the code's template


EMPTY = Parsed(None)
_EMPTY_MARKS = frozenset(schema.EMPTY_MARKS)
_TRUE = frozenset(schema.TRUE_WORDS)
_FALSE = frozenset(schema.FALSE_WORDS)
_CANONICAL_BOOL = {True: "是", False: "否"}


def _fail(code: str, variant: str, **params: Any) -> Parsed:
    """A failed parse: the finding ``code``'s template ``variant`` (codes.py, "read-time D")."""
    return Parsed(None, False, code, CODES[code].message(params, variant))


# ---------------------------------------------------------------------------------------
# text helpers

# full-width forms that are safe to fold in text typed by staff: digits, Latin letters and
# the symbols used in codes/numbers. Chinese punctuation （），：；！？、 is kept as typed.
_KEEP_FULLWIDTH = set("（），：；！？")
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULLWIDTH}
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_FOLD)) + "]")
_LONGEST_MARK = max(map(len, _EMPTY_MARKS))


def _fold(text: str) -> str:
    """``text.translate(_FOLD)``, skipped when nothing would change (a regex look is several
    times cheaper than ``translate`` with a dict table)."""
    return text.translate(_FOLD) if _FOLDABLE.search(text) else text


def _raw_text(raw: Any) -> tuple[str, bool]:
    """Text of a non-empty raw value; second item: a date/bool was turned into text (a number
    is not a change: calamine gives every number as float, the clerk sees ``1`` for ``1.0``)."""
    if isinstance(raw, str):
        return raw, False
    if isinstance(raw, bool):
        return _CANONICAL_BOOL[raw], True
    if isinstance(raw, float):
        if raw.is_integer() and abs(raw) < 1e16:
            return str(int(raw)), False
        return repr(raw), False
    if isinstance(raw, int):
        return str(raw), False
    if isinstance(raw, datetime):
        return (raw.date().isoformat() if raw.time() == datetime.min.time()
                else raw.isoformat(sep=" ")), True
    if isinstance(raw, date):
        return raw.isoformat(), True
    return str(raw), True


QUOTE_CHARS = 50                    # a raw value quoted in a message is cut to this length


def clip(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` cut to ``limit`` characters and marked "…", so a 1 MB cell never makes a 1 MB
    message (the cell itself is named by file/sheet/row/column)."""
    return text if len(text) <= limit else text[:limit] + "…"


def _full_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e16:
        return str(int(raw))
    return str(raw).strip() if isinstance(raw, str) else str(raw)


def _show(raw: Any) -> str:
    """A raw value as quoted in messages (at most ``QUOTE_CHARS`` characters)."""
    return clip(_full_text(raw))


def is_empty(raw: Any) -> bool:
    """None, '', whitespace only, NaN, or a word for "nothing here" (无, /, -, — …)."""
    if raw is None:
        return True
    if isinstance(raw, str):
        s = raw.strip()
        return not s or s in _EMPTY_MARKS or (len(s) <= _LONGEST_MARK and _fold(s) in _EMPTY_MARKS)
    if isinstance(raw, float):
        return math.isnan(raw)
    return False


def normalise_text(raw: Any) -> str | None:
    """Text as typed, trimmed; full-width digits/letters/symbols folded, Chinese kept."""
    return parse_text(raw).value


def normalise_code(raw: Any) -> str | None:
    """An id or code (编号, 身份证号): trimmed and NFKC-normalised (all full-width folded)."""
    if is_empty(raw):
        return None
    text, _ = _raw_text(raw)
    return unicodedata.normalize("NFKC", text).strip() or None


def parse_text(raw: Any) -> Parsed:
    """``text`` and ``enum``: trimmed; full-width ASCII folded (changed); numbers → text."""
    if is_empty(raw):
        return EMPTY
    text, converted = _raw_text(raw)
    text = text.strip()
    folded = _fold(text)
    return Parsed(folded, converted or folded != text)


def _nfkc(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip()


# ---------------------------------------------------------------------------------------
# dates

_EXCEL_1900 = date(1899, 12, 30)
_EXCEL_1904 = date(1904, 1, 1)
_MAX_SERIAL_1900 = 2958465          # 9999-12-31
_MAX_SERIAL_1904 = _MAX_SERIAL_1900 - 1462
# a time of day after the date, dropped: 14:00, 14:00:00, and a part of the day with or
# without a clock (下午, 下午2点, 下午2:30, 晚上7点半) or 2点/14时30分
_CLOCK_WORDS = r"\d{1,2}(?:[:：]\d{2}|[点时](?:半|\d{1,2}分?)?)"
_TIME = (r"(?:[ T]\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?"
         r"|\s*(?:上午|下午|晚上|中午|早上|早晨|傍晚|凌晨)\s*(?:" + _CLOCK_WORDS + r")?"
         r"|(?:(?<=[日号])|\s+)\d{1,2}[点时](?:半|\d{1,2}分?)?)?")
_RE_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\.?" + _TIME)
_RE_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_RE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_RE_MD = re.compile(r"(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]?|[-/]\s*(\d{1,2}))" + _TIME)
_RE_YM = re.compile(r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月?)")
_RE_YEAR = re.compile(r"(\d{4})\s*年?")
_RE_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")
SERIAL_TEXT_RANGE = (10000, 73050)      # 1927-05-18 … 2099-12-31 (1900 date system)
# a weekday after the date, dropped wherever it stands: 2026年11月3日（周二）, …（周三）下午, … 周三 下午
_RE_DATE_WEEKDAY = re.compile(r"\s*(?:[(（]\s*)?(?:周|星期|礼拜)[一二三四五六日天](?:\s*[)）])?")


def _make_date(y: int, m: int, d: int, raw: Any) -> date | Parsed:
    try:
        return date(y, m, d)
    except ValueError:
        return _fail("D102", "no_such_day", shown=_show(raw), year=y, month=m, day=d)


def _unreadable_date(raw: Any, variant: str = "unreadable") -> Parsed:
    return _fail("D102", variant, shown=_show(raw))


def _from_serial(n: float, raw: Any, date1904: bool) -> Parsed:
    whole = math.floor(n)
    if date1904:
        if not 0 <= whole <= _MAX_SERIAL_1904:
            return _unreadable_date(raw, "not_serial")
        return Parsed(_EXCEL_1904 + timedelta(days=whole), True)
    if not 1 <= whole <= _MAX_SERIAL_1900:
        return _unreadable_date(raw, "not_serial")
    if whole == 60:      # Excel's 1900-02-29, a day that never existed
        return phantom_day(raw)
    base = _EXCEL_1900 if whole > 60 else date(1899, 12, 31)
    return Parsed(base + timedelta(days=whole), True)


def phantom_day(raw: Any = None) -> Parsed:
    """D102 for Excel's serial 60 (1900 date system): Excel shows 1900-02-29, a day that never
    existed (Lotus 1-2-3's leap-year bug). ``raw`` is quoted when given (the serial typed)."""
    if raw is None:
        return _fail("D102", "phantom")
    return _fail("D102", "phantom_typed", shown=_show(raw))


def _month_day(m: int, d: int, raw: Any, as_of: date) -> Parsed:
    """``11月3日``: this year, or last year when that would be > 31 days after as_of."""
    made = _make_date(as_of.year, m, d, raw)
    if isinstance(made, Parsed):
        made = _make_date(as_of.year - 1, m, d, raw)   # 2月29日 of a leap year
        return made if isinstance(made, Parsed) else Parsed(made, True)
    if made > as_of + timedelta(days=31):
        last = _make_date(as_of.year - 1, m, d, raw)
        return last if isinstance(last, Parsed) else Parsed(last, True)
    return Parsed(made, True)


def month_day(raw: Any, day_first: bool = False) -> tuple[int, int] | None:
    """(month, day) of a date written without a year (``11月3日``, ``11/3``), else None;
    ``day_first``: ``3/11`` is 3 November (a column that ``reads_day_first``)."""
    if type(raw) is not str:
        return None
    m = _RE_MD.fullmatch(_RE_DATE_WEEKDAY.sub("", _nfkc(raw)))
    if m is None:
        return None
    if day_first and m[3] is not None:
        return (int(m[3]), int(m[1]))
    return (int(m[1]), int(m[2] or m[3]))


_RE_MD_NUMERIC = re.compile(r"(\d{1,2})\s*[-/]\s*(\d{1,2})" + _TIME)


def numeric_month_day(raw: Any) -> tuple[int, int] | None:
    """The two numbers, as written, of a date written as two numbers without a year
    (``11/3``, ``25/5``, ``3-11``), else None (``11月3日`` is not one: its order is written)."""
    if type(raw) is not str:
        return None
    m = _RE_MD_NUMERIC.fullmatch(_RE_DATE_WEEKDAY.sub("", _nfkc(raw)))
    return (int(m[1]), int(m[2])) if m else None


def reads_day_first(raws: Any) -> bool:
    """Whether a column's year-less numeric dates are day/month (``25/5``, ``3/11`` = 3
    November): some have a first number over 12 (no month) and none a second number over 12.
    Decided for the whole column, never per cell; otherwise month/day (the Chinese habit).
    The ones with a first number over 12 must be at least a third of them (in a day/month
    column about 19 days of 31 are): a lone ``13/11`` among
    ``11/3``, ``11/5`` … (written month/day) is that cell's slip, not the column's order."""
    over = total = 0
    for raw in raws:
        pair = numeric_month_day(raw)
        if pair is None:
            continue
        if pair[1] > 12:
            return False
        total += 1
        over += pair[0] > 12
    return over > 0 and over * 3 >= total


def parse_day_month(raw: Any, as_of: date) -> Parsed | None:
    """``25/5`` read day/month (a column ``reads_day_first``); None when not such a date."""
    pair = numeric_month_day(raw)
    return None if pair is None else _month_day(pair[1], pair[0], raw, as_of)


def _real(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def year_near(m: int, d: int, anchor: date) -> date | None:
    """Month ``m`` day ``d`` in the year that puts it closest to ``anchor`` (a full date written
    near it: the year before, of or after the anchor's); the earlier on a tie."""
    days = [x for x in (_real(anchor.year + k, m, d) for k in (-1, 0, 1)) if x is not None]
    return min(days, key=lambda x: (abs((x - anchor).days), x)) if days else None


def latest_by(m: int, d: int, as_of: date) -> date | None:
    """The latest month ``m`` day ``d`` not after ``as_of`` (2月29日: of a leap year)."""
    for year in range(as_of.year, as_of.year - 8, -1):
        x = _real(year, m, d)
        if x is not None and x <= as_of:
            return x
    return None


def _year_month(y: int, m: int, raw: Any) -> Parsed:
    made = _make_date(y, m, 1, raw)
    if isinstance(made, Parsed):
        return _fail("D102", "no_month", shown=_show(raw), month=m)
    return Parsed(made, True)


def _date_from_number(n: float, raw: Any, date1904: bool) -> Parsed:
    if math.isinf(n):
        return _unreadable_date(raw)
    if n.is_integer():
        if 19000101 <= n <= 99991231:                       # 20261103 typed as a number
            y, md = divmod(int(n), 10000)
            made = _make_date(y, md // 100, md % 100, raw)
            return made if isinstance(made, Parsed) else Parsed(made, True)
        if 1800 <= n <= 2200:                               # a year alone: serials of 1905
            return _unreadable_date(raw, "year_only")
        return _from_serial(n, raw, date1904)
    if 1800 <= n < 2200:                                    # 1940.05 / 1940.1 birth months
        digits = repr(n).split(".")[1]
        if len(digits) == 2:
            return _year_month(int(n), int(digits), raw)
        if len(digits) == 1 and digits != "1":
            return _year_month(int(n), int(digits), raw)
        if digits == "1":
            return _fail("D102", "month_lost", shown=_show(raw), year=int(n))
        return _unreadable_date(raw)
    return _from_serial(n, raw, date1904)


def parse_date(raw: Any, *, as_of: date, date1904: bool = False) -> Parsed:
    """Excel dates, serial numbers and the text spellings of ledgers.md (see module doc)."""
    if is_empty(raw):
        return EMPTY
    if isinstance(raw, bool):
        return _unreadable_date(raw)
    if isinstance(raw, datetime):
        return Parsed(raw.date())
    if isinstance(raw, date):
        return Parsed(raw)
    if isinstance(raw, (int, float)):
        return _date_from_number(float(raw), raw, date1904)
    s = _RE_DATE_WEEKDAY.sub("", _nfkc(str(raw)))     # 2026年11月3日（周二）
    if _RE_ISO.fullmatch(s):
        made = _make_date(int(s[:4]), int(s[5:7]), int(s[8:]), raw)
        return made if isinstance(made, Parsed) else Parsed(made, s != str(raw).strip())
    m = _RE_YMD.fullmatch(s) or _RE_COMPACT.fullmatch(s)
    if m:
        made = _make_date(int(m[1]), int(m[2]), int(m[3]), raw)
        return made if isinstance(made, Parsed) else Parsed(made, True)
    m = _RE_YM.fullmatch(s)
    if m:
        return _year_month(int(m[1]), int(m[2] or m[3]), raw)
    m = _RE_MD.fullmatch(s)
    if m:
        return _month_day(int(m[1]), int(m[2] or m[3]), raw, as_of)
    if _RE_YEAR.fullmatch(s):
        return _unreadable_date(raw, "year_only")
    if _RE_SERIAL_TEXT.fullmatch(s) and SERIAL_TEXT_RANGE[0] <= float(s) < SERIAL_TEXT_RANGE[1] + 1:
        return _from_serial(float(s), raw, date1904)     # "46350": a serial kept as text
    return _unreadable_date(raw)


# a time limit written as a number of days (办理时限): 15个工作日, 15个工作日内, 3天, 7日, 十个工作日,
# 7个自然日, 限15个工作日内办结
_RE_PERIOD = re.compile(r"(?:限|须|应|要求)?\s*(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*个?\s*"
                        r"(工作日|自然日|天|日)\s*(?:内|以内|之内)?\s*(?:办结|完成|办理完毕)?")


def parse_period(raw: Any) -> Parsed | None:
    """A ``Period`` (toolkit.workdays) for a limit written as days (``15个工作日`` → 15 working
    days, ``3天``/``7日`` → calendar days), ``changed``; None for anything else (a date, text)."""
    if type(raw) is not str:
        return None
    m = _RE_PERIOD.fullmatch(_nfkc(raw))
    if m is None:
        return None
    n = int(m[1]) if m[1].isdigit() else chinese_number(m[1])
    if not n or n > 366:
        return None
    return Parsed(Period(n, m[2] == "工作日"), True)


def no_day(raw: Any) -> Parsed:
    """D102 for a year and month with no day (``2026.11``, ``2026年11月``) in a column that needs
    the day: 登记日期, 巡访日期 … (a birth month needs none)."""
    return _fail("D102", "no_day", shown=_show(raw))


def is_month_only(raw: Any) -> bool:
    """True when ``raw`` gives a year and month but no day (``1940.05``, ``1940年5月``)."""
    if isinstance(raw, float) and not raw.is_integer() and 1800 <= raw < 2200:
        return True
    return isinstance(raw, str) and _RE_YM.fullmatch(_nfkc(raw)) is not None


# ---------------------------------------------------------------------------------------
# phones: mobile → 11 digits; landline → "021-57651234" with an area code, else 8 digits

_RE_PHONE_RUN = re.compile(r"[0-9+()\-\s]+")
_RE_PHONE_GAPS = re.compile(r"[\s\-]")          # spaces and dashes inside a number
_RE_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
_RE_LANDLINE = re.compile(r"\(?(0[12]\d)\)?(\d{8})|\(?(0[3-9]\d{2})\)?(\d{7,8})|([2-9]\d{7})")


def _one_phone(token: str) -> str | None:
    # a bracket opening a note after the number, or closing one before it: 13912345678（儿子）
    digits = _RE_PHONE_GAPS.sub("", token.rstrip("(").lstrip(")"))
    m = _RE_MOBILE.fullmatch(digits)
    if m:
        return m[1]
    m = _RE_LANDLINE.fullmatch(digits)
    if not m:
        return None
    if m[1]:
        return f"{m[1]}-{m[2]}"
    if m[3]:
        return f"{m[3]}-{m[4]}"
    return m[5]


def parse_phone(raw: Any) -> Parsed:
    """11-digit mobile starting 1, or landline; the first valid number of several."""
    if is_empty(raw):
        return EMPTY
    if isinstance(raw, bool):
        return _bad_phone(raw)
    if isinstance(raw, float):
        if not raw.is_integer():
            return _bad_phone(raw)
        raw_text = str(int(raw))
    elif isinstance(raw, int):
        raw_text = str(raw)
    else:
        raw_text = str(raw).strip()
    s = unicodedata.normalize("NFKC", raw_text).replace("（", "(").replace("）", ")")
    for run in _RE_PHONE_RUN.findall(s):
        run = run.strip()
        if not run:
            continue
        for token in (run, *run.split()):
            found = _one_phone(token)
            if found:
                return Parsed(found, found != raw_text or not isinstance(raw, str))
    return _bad_phone(raw)


_RE_AREA = re.compile(r"\(?(0(?:[12]\d|[3-9]\d{2}))\)?[-\s]?(\d+)")


def _bad_phone(raw: Any) -> Parsed:
    """D104, saying what is wrong in the staff's terms. The value is shown in full: the
    findings go to the clerk who typed it (what reaches the town is masked there)."""
    full = _full_text(raw)
    plain = unicodedata.normalize("NFKC", full).strip()
    digits = re.sub(r"\D", "", plain)
    shown = clip(full)
    area = _RE_AREA.fullmatch(plain)
    if area and len(area[1]) == 3:
        return _fail("D104", "area", shown=shown, area=area[1], local=len(area[2]))
    only_digits = len(digits) == len(_RE_PHONE_GAPS.sub("", plain))
    if digits.startswith("1") and 9 <= len(digits) <= 13 and len(digits) != 11 and only_digits:
        return _fail("D104", "mobile", shown=shown, digits=len(digits))
    if len(digits) == 11 and digits.startswith("1") and only_digits:
        return _fail("D104", "prefix", shown=shown, head=digits[:2])
    if len(digits) in (8, 11):          # as many digits as a number has, yet none read
        return _fail("D104", "other", shown=shown)
    return _fail("D104", "", shown=shown, digits=len(digits))


# ---------------------------------------------------------------------------------------
# resident ID numbers (GB 11643)

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
_RE_ID18 = re.compile(r"\d{17}[\dX]")
_RE_SCI = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def id_birth(idnum: str) -> date:
    """Birth date written in an 18-character ID (raises ValueError when it is not a date)."""
    return date(int(idnum[6:10]), int(idnum[10:12]), int(idnum[12:14]))


def id_gender(idnum: str) -> str:
    """'男' when the 17th digit is odd, else '女'."""
    return schema.GENDERS[0] if int(idnum[16]) % 2 else schema.GENDERS[1]


def _id_as_number(raw: Any) -> Parsed:
    try:
        digits = str(int(float(raw)))
    except (ValueError, OverflowError):
        digits = _full_text(raw)
    shown = clip(digits)
    return _fail("D105", "as_number", shown=shown)


def parse_idnum(raw: Any, *, as_of: date | None = None) -> Parsed:
    """An 18-character ID with a valid check digit and birth date (not after ``as_of``)."""
    if is_empty(raw):
        return EMPTY
    if isinstance(raw, bool):
        return _fail("D105", "malformed", shown=str(raw))
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and (math.isnan(raw) or math.isinf(raw)):
            return _fail("D105", "malformed", shown=str(raw))
        return _id_as_number(raw)
    typed = str(raw).strip()
    s = re.sub(r"\s+", "", _nfkc(typed))
    if _RE_SCI.fullmatch(s):
        return _id_as_number(s)
    text = s.upper()
    if len(text) == 15 and text.isdigit():
        return _fail("D105", "old15", shown=text)
    if not _RE_ID18.fullmatch(text):
        shown = clip(text)
        return _fail("D105", "length", shown=shown, length=len(text))
    if id_check_digit(text[:17]) != text[17]:
        if text.endswith("000"):
            return _id_as_number(text)
        return _fail("D105", "check_digit", shown=text)
    try:
        born = id_birth(text)
    except ValueError:
        born = None
    if born is None or born.year < 1870 or (as_of is not None and born > as_of):
        return _fail("D105", "birth", shown=text, birth=text[6:14])
    return Parsed(text, text != typed)


# ---------------------------------------------------------------------------------------
# bool, multi, blood pressure, weekdays, numbers

def parse_bool(raw: Any) -> Parsed:
    """是/否, 有/无, √/×, Y/N, 1/0 … (schema.TRUE_WORDS / FALSE_WORDS); else D109."""
    if isinstance(raw, bool):
        return Parsed(raw)
    if isinstance(raw, str):
        s = _nfkc(raw)
        if s in _TRUE or s in _FALSE:
            value = s in _TRUE
            return Parsed(value, raw.strip() != _CANONICAL_BOOL[value])
    if is_empty(raw):
        return EMPTY
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return Parsed(bool(raw), True)
    shown = _show(raw)
    return _fail("D109", "bool", shown=shown)


def bool_words(names: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """A bool column's own words (ledgers.md ``bool``): from headers such as 是否独居, 在岗,
    需跟进 → true words {独居}, {在岗}, {需跟进, 跟进, 需要, 需}; false words 不X, 非X, 无需X …
    Matched against the whole cell only."""
    true: set[str] = set()
    needs = False
    for name in names:
        word = unicodedata.normalize("NFKC", name)
        word = re.sub(r"\s+", "", word)
        word = re.sub(r"[(（][^()（）]*[)）]$", "", word)
        for prefix in schema.BOOL_QUESTION_PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix):
                word = word[len(prefix):]
        if not word:
            continue
        true.add(word)
        for prefix in schema.BOOL_NEED_PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix):
                true.update((word[len(prefix):], "需要", "需"))      # 需要 / 不需要 answer it too
                needs = True
                break
    false = {neg + word for word in true for neg in schema.BOOL_NEGATIONS}
    if needs:
        false.update(neg for neg in schema.BOOL_NEGATIONS if neg.startswith(("无需", "不需")))
    true -= _FALSE
    return frozenset(true - false), frozenset(false - true)


_RE_CSV_DATE = re.compile(r"\d{4}/\d{1,2}/\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?")


def is_native_csv_date(raw: Any) -> bool:
    """``2026/5/26`` (optionally ``9:30``): how Excel in Chinese writes a date into a CSV, the
    file type's normal form of a date — read without a D112 (rules.md D112)."""
    return type(raw) is str and _RE_CSV_DATE.fullmatch(raw.strip()) is not None


_RE_MULTI_SPLIT = re.compile(rf"[{schema.LIST_SEPARATORS}\s]+")


def parse_multi(raw: Any) -> Parsed:
    """Several values split on 、 , ， ; ； / and spaces → tuple (trimmed, de-duplicated)."""
    base = parse_text(raw)
    if base.value is None:
        return EMPTY
    items: list[str] = []
    for item in _RE_MULTI_SPLIT.split(base.value):
        if item and item not in items and item not in _EMPTY_MARKS:
            items.append(item)
    if not items:
        return EMPTY
    return Parsed(tuple(items), base.changed or "、".join(items) != base.value)


_RE_BP = re.compile(r"(\d{2,3})\s*[/\\\-:]\s*(\d{2,3})\s*(?:mmhg|毫米汞柱)?", re.IGNORECASE)


# a reading with one number missing: ``186/`` or ``/112`` (高压 | 低压 with one cell empty);
# matched with the unit words taken out (``190mmHg/``, ``190/mmHg``)
_RE_BP_HALF = re.compile(r"\s*(?:(\d{2,3})\s*/|/\s*(\d{2,3}))\s*")
_RE_BP_UNIT = re.compile(r"mmhg|毫米汞柱", re.IGNORECASE)
# one number and, across the slash, a word saying the other was not taken (``190/未测``,
# ``未量/120``, ``190/？``): the known number of a half reading, the cell itself unreadable
# (as 高压 190 | 低压 未测); any other word (``头晕/120``) keeps no half
_BP_NOT_TAKEN = r"\s*(?:未测量?|未量|没测|没量|漏测|拒测|不详|未知|无|空|缺|[?？\-—－xX×*])+\s*"
_RE_BP_HALF_WORD = re.compile(rf"\s*(?:(\d{{2,3}})\s*/{_BP_NOT_TAKEN}"
                              rf"|{_BP_NOT_TAKEN}/\s*(\d{{2,3}})\s*)")
# 高压150 低压95 / 收缩压150，舒张压95 → 150/95
_RE_BP_LABELLED = re.compile(r"(?:高压|收缩压)\s*[:：]?\s*(\d{2,3})\s*(?:mmhg)?\s*[,，;；、/\s]*"
                             r"(?:低压|舒张压)\s*[:：]?\s*(\d{2,3})", re.IGNORECASE)
# what may stand between several readings of one cell (150/95，复测140/90)
_RE_BP_BETWEEN = re.compile(r"血压|bp|复测|复查|再测|重测|初测|首测|第[一二三123]次|[,，;；、。:：\s]",
                            re.IGNORECASE)


def parse_bp(raw: Any) -> Parsed:
    """``135/85`` (also ``135／85``, ``135-85``, ``135/85mmHg``) → (135, 85); else D111.

    A cell written the way volunteers write it is read too (changed, so one D112): labelled
    (``高压150 低压95``), one reading with words around it (``BP150/95``, ``186/112（头晕）``), or
    several readings with only recheck words between them (``150/95，复测140/90``): the last one
    is the reading (a recheck is why it was taken). Any other digits, or several readings with
    other words between them (``左186/112 右150/90``), stay D111."""
    if is_empty(raw):
        return EMPTY
    if isinstance(raw, str):
        s = _nfkc(raw)
        m = _RE_BP.fullmatch(s)
        if m:
            value = (int(m[1]), int(m[2]))
            return Parsed(value, raw.strip() != f"{value[0]}/{value[1]}")
        s = _RE_BP_LABELLED.sub(lambda m: f" {m[1]}/{m[2]} ", s)
        readings = list(_RE_BP.finditer(s))
        rest = _RE_BP.sub(" ", s)
        if readings and not re.search(r"\d", rest) and (
                len(readings) == 1 or not _RE_BP_BETWEEN.sub("", rest)):
            return Parsed((int(readings[-1][1]), int(readings[-1][2])), True)
        m = _RE_BP_HALF.fullmatch(_RE_BP_UNIT.sub("", s))
        if m:                            # 186/ or /112: one number of the two (高压 | 低压)
            return _fail("D111", "bp_no_diastolic" if m[1] else "bp_no_systolic",
                         shown=raw.strip(), value=m[1] or m[2])
    shown = _show(raw)
    return _fail("D111", "bp_unreadable", shown=shown)


# each full reading inside a text, not part of a longer run of numbers (a date 2026-11-20,
# 186/112/90): what ``bp_readings`` lists
_RE_BP_INSIDE = re.compile(r"(?<![\d/\\\-:])(\d{2,3})\s*[/\\\-:]\s*(\d{2,3})"
                           r"(?!\d|\s*[/\\\-:]\s*\d)")


def bp_text(bp: tuple[int | None, int | None]) -> str:
    """A reading as messages show it: 130/80; half of one as written, 186/ or /112."""
    return f"{'' if bp[0] is None else bp[0]}/{'' if bp[1] is None else bp[1]}"


def bp_readings(raw: Any) -> tuple[tuple[int, int], ...]:
    """The full readings written inside a cell ``parse_bp`` cannot read as one reading
    (``左186/112 右150/90`` → (186, 112), (150, 90)), distinct, in the order written; a pair of
    numbers whose first is not the larger (a time 10:30) is no reading, and neither is one
    inside a longer run (``186/112/90``, a date). Only for a row whose 高压 | 低压 pair also
    gives a reading: does the cell name a different one (records._one_reading)."""
    if not isinstance(raw, str):
        return ()
    s = _RE_BP_LABELLED.sub(lambda m: f" {m[1]}/{m[2]} ", _nfkc(raw))
    found: list[tuple[int, int]] = []
    for m in _RE_BP_INSIDE.finditer(s):
        bp = (int(m[1]), int(m[2]))
        if bp[0] > bp[1] and bp not in found:
            found.append(bp)
    return tuple(found)


def bp_half(raw: Any) -> tuple[int | None, int | None] | None:
    """The one number of a reading written with the other missing (``186/`` → (186, None),
    ``/112`` → (None, 112), also ``190mmHg/``: D111 ``bp_no_diastolic`` / ``bp_no_systolic``;
    ``190/未测`` → (190, None): D111 ``bp_unreadable``, as 高压 190 | 低压 未测), else None
    (a bare ``190`` too: it may be either number). Kept for the domain layer, which alone
    knows the thresholds (a 危急 half is still C306)."""
    if not isinstance(raw, str):
        return None
    s = _RE_BP_UNIT.sub("", _nfkc(raw))
    m = _RE_BP_HALF.fullmatch(s) or _RE_BP_HALF_WORD.fullmatch(s)
    if not m:
        return None
    return (int(m[1]), None) if m[1] else (None, int(m[2]))


_ALL_DAYS = frozenset(range(7))
_DAY_WORDS = {"每天": Days(_ALL_DAYS), "每日": Days(_ALL_DAYS), "天天": Days(_ALL_DAYS),
              "全周": Days(_ALL_DAYS), "全天": Days(_ALL_DAYS), "随时": Days(_ALL_DAYS),
              "均可": Days(_ALL_DAYS), "都可以": Days(_ALL_DAYS),
              "工作日": WORKDAYS,                      # the working-day calendar (调休 included)
              "周末": Days(frozenset({5, 6})), "双休日": Days(frozenset({5, 6})),
              "休息日": Days(frozenset({5, 6}))}
_RE_DAY_NOISE = re.compile(r"\d{1,2}[:：]\d{2}\s*(?:[-~至到]\s*\d{1,2}[:：]\d{2})?|上午|下午|晚上|白天"
                           r"|早上|中午|均可|可以|都行|每周|每个|[（(].*?[)）]")
_PREFIX = r"(?:周|星期|礼拜|週)"
_DAY = r"[一二三四五六日天七1-7]"
_RE_DAY_RANGE = re.compile(rf"{_PREFIX}?({_DAY})\s*(?:至|到|~|-|—|－)\s*{_PREFIX}?({_DAY})")
_RE_DAY_LIST = re.compile(rf"{_PREFIX}?({_DAY}+)")
_RE_DAY_SPLIT = re.compile(rf"[{schema.LIST_SEPARATORS}\s和及与]+")
# 节假日除外 / 法定节假日休息 / 除节假日外: the calendar's public holidays are taken out
_RE_HOLIDAYS_OFF = re.compile(r"(?:法定)?节假日(?:除外|休息|不\S{0,2})|除(?:法定)?节假日(?:外|以外)?")


def _days_token(token: str) -> Days | None:
    if token in _DAY_WORDS:
        return _DAY_WORDS[token]
    m = _RE_DAY_RANGE.fullmatch(token)
    if m:
        a, b = schema.WEEKDAY_CHARS[m[1]], schema.WEEKDAY_CHARS[m[2]]
        return Days(frozenset(range(a, b + 1)) if a <= b else frozenset((*range(a, 7), *range(b + 1))))
    m = _RE_DAY_LIST.fullmatch(token)
    if m and (token[0] not in "1234567" or len(token) == 1):
        return Days(frozenset(schema.WEEKDAY_CHARS[c] for c in m[1]))
    return None


def parse_days(raw: Any) -> Parsed:
    """``Days`` (toolkit.workdays): 周一至周五, 周二、周四, 周末, 每天, 周一三五 are weekdays as
    written (0 = Monday); 工作日 is the working-day calendar (调休 included), not Monday–Friday."""
    if is_empty(raw):
        return EMPTY
    if isinstance(raw, str):
        s = _nfkc(raw)
        if s in _DAY_WORDS:
            return Parsed(_DAY_WORDS[s], s != raw.strip())
        days = Days()
        s_days, off = _RE_HOLIDAYS_OFF.subn(" ", s)
        cleaned = _RE_DAY_NOISE.sub(" ", s_days)
        tokens = [t for t in _RE_DAY_SPLIT.split(cleaned) if t]
        if off and not tokens:                      # 节假日除外 alone: every other day
            days = Days(_ALL_DAYS)
        for token in tokens:
            found = _days_token(token)
            if found is None:
                break
            days |= found
        else:
            if days:
                if off:
                    days = Days(days.weekdays, days.workdays, True)
                return Parsed(days, s != raw.strip())
    shown = _show(raw)
    return _fail("D111", "weekdays_unreadable", shown=shown)


_RE_INT = re.compile(r"(?:每周)?\s*([+-]?\d+)(?:\.0+)?\s*(?:周岁|岁|次/周|次每周|次|人|位|名|个|天|小时|mmHg|毫米汞柱)?")
_RE_NUMBER = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(小时|h|hr|hrs|时|分钟|min|分)?",
                        re.IGNORECASE)
# a duration in hours and minutes: 1小时30分, 1小时30分钟, 1h30min, 1:30 (an [h]:mm cell typed as
# text), and n个半小时
_RE_HOURS_MINUTES = re.compile(r"(\d+)\s*(?:个)?(?:小时|h|时)\s*(\d{1,2})\s*(?:分钟|分|min)?"
                               r"|(\d{1,2}):([0-5]\d)", re.IGNORECASE)
_RE_AND_A_HALF = re.compile(r"(\d+)个半(?:小时|钟头)")


def parse_int(raw: Any) -> Parsed:
    """Whole numbers: 85, 85.0, ８５, 85岁, 每周3次 → int; else D111."""
    if is_empty(raw):
        return EMPTY
    if isinstance(raw, bool):
        return _bad_number(raw, whole=True)
    if isinstance(raw, int):
        return Parsed(raw)
    if isinstance(raw, float):
        if raw.is_integer():
            return Parsed(int(raw))
        return _bad_number(raw, whole=True)
    if isinstance(raw, str):
        s = _nfkc(raw)
        m = _RE_INT.fullmatch(s)
        if m:
            value = int(m[1])
            return Parsed(value, str(value) != raw.strip())
    return _bad_number(raw, whole=True)


def parse_number(raw: Any) -> Parsed:
    """Numbers (hours): 0.5, ０.５, 1.5小时, 30分钟 (→ 0.5, number columns are hours), 1小时30分,
    1:30, 1个半小时 and a duration or time cell (1:30) → float."""
    if is_empty(raw):
        return EMPTY
    if isinstance(raw, bool):
        return _bad_number(raw)
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and math.isinf(raw):
            return _bad_number(raw)
        return Parsed(float(raw))
    if isinstance(raw, timedelta):                    # an [h]:mm duration cell
        return Parsed(raw.total_seconds() / 3600, True)
    if isinstance(raw, time):                         # 1:30 formatted as a time of day
        return Parsed(raw.hour + raw.minute / 60, True)
    if isinstance(raw, str):
        s = _nfkc(raw)
        if s == "半小时":
            return Parsed(0.5, True)
        m = _RE_HOURS_MINUTES.fullmatch(s)
        if m and int(m[2] or m[4]) < 60:
            return Parsed(int(m[1] or m[3]) + int(m[2] or m[4]) / 60, True)
        m = _RE_AND_A_HALF.fullmatch(s)
        if m:
            return Parsed(int(m[1]) + 0.5, True)
        m = _RE_NUMBER.fullmatch(s)
        if m:
            value = float(m[1])
            unit = (m[2] or "").lower()
            if unit in ("分钟", "min", "分"):
                value = value / 60
            return Parsed(value, bool(unit) or s != raw.strip())
    return _bad_number(raw)


# a count (services' 数量): the number with a counting unit, never hours; small Chinese
# numerals (两份, 三次, 十二份) are read too
_RE_COUNT = re.compile(r"(\d+(?:\.\d*)?|\.\d+|[一二两三四五六七八九十]{1,3})\s*"
                       r"(人次|份|次|个|件|单|餐|顿|盒|袋|趟|回)?")


def parse_count(raw: Any) -> Parsed:
    """A count of 份/次: 3, 3.0, ３, ``3份``, ``2次``, ``3 份``, ``两份``, ``十二份`` → float.
    Negative, hours (``1.5小时``) or anything else → D111."""
    if is_empty(raw):
        return EMPTY
    if isinstance(raw, bool):
        return _bad_count(raw)
    if isinstance(raw, (int, float)):
        if math.isinf(raw) or raw < 0:
            return _bad_count(raw)
        return Parsed(float(raw))
    if isinstance(raw, str):
        s = _nfkc(raw)
        m = _RE_COUNT.fullmatch(s)
        if m:
            digits = m[1][0].isdigit() or m[1][0] == "."
            value = float(m[1]) if digits else chinese_number(m[1])
            if value is not None:
                return Parsed(float(value), not digits or m[2] is not None or s != raw.strip())
    return _bad_count(raw)


def _bad_count(raw: Any) -> Parsed:
    return _fail("D111", "not_count", shown=_show(raw))


def _bad_number(raw: Any, whole: bool = False) -> Parsed:
    shown = _show(raw)
    if whole:
        return _fail("D111", "not_whole", shown=shown)
    return _fail("D111", "not_number", shown=shown)


# ---------------------------------------------------------------------------------------
# dispatch with memoisation

_PARSERS: dict[str, Callable[..., Parsed]] = {
    schema.TEXT: parse_text, schema.ENUM: parse_text, schema.PHONE: parse_phone,
    schema.BOOL: parse_bool, schema.MULTI: parse_multi, schema.BP: parse_bp,
    schema.DAYS: parse_days, schema.INT: parse_int, schema.NUMBER: parse_number,
}



@lru_cache(maxsize=65536)
def _parse_cached(type_: str, _raw_type: type, raw: Any, as_of: date | None,
                  date1904: bool) -> Parsed:
    return _parse(type_, raw, as_of, date1904)


def _parse(type_: str, raw: Any, as_of: date | None, date1904: bool) -> Parsed:
    if type_ == schema.DATE:
        return parse_date(raw, as_of=as_of, date1904=date1904)
    if type_ == schema.IDNUM:
        return parse_idnum(raw, as_of=as_of)
    try:
        return _PARSERS[type_](raw)
    except KeyError:
        raise ValueError(f"unknown column type {type_!r}") from None


def parse(type_: str, raw: Any, *, as_of: date, date1904: bool = False) -> Parsed:
    """Normalise ``raw`` as a value of schema type ``type_``; never raises for bad data."""
    uses_as_of = type_ in (schema.DATE, schema.IDNUM)
    try:
        return _parse_cached(type_, type(raw), raw, as_of if uses_as_of else None,
                             date1904 and type_ == schema.DATE)
    except TypeError:                      # unhashable raw value
        return _parse(type_, raw, as_of, date1904)


# ---------------------------------------------------------------------------------------
# services and rooms (issue #17): time ranges as staff write them, times of day, money
#
# Time ranges: start and end joined by - — – ～ ~ 至 到; times as 9:00, 09：00, 9点, 9点半,
# 9点30分, 9时; a leading 上午/下午/晚上/中午 (下午2点-4点 = 14:00-16:00); the words 上午
# (08:30-11:30), 下午 (13:30-17:00), 晚上 (18:30-20:30) and 全天 (the room's opening hours).
# An unreadable range, or one that does not end after it starts, is D102. Money: 12, 12.5,
# 12.50元, ¥12, 1,200 → Decimal to the fen; 免费 → 0; negative or absurd → D111.

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


def _nfkc_strip(text: str) -> str:
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


def _bad_range(raw: Any, variant: str = "time_range") -> Any:
    return _fail("D102", variant, shown=_show(raw))


def parse_time_range(raw: Any):
    """``09:00-11:00``, ``9:00～11:30``, ``9点半-11点``, ``上午``, ``全天`` … → ``TimeRange``."""
    if is_empty(raw):
        return EMPTY
    if not isinstance(raw, str):
        return _bad_range(raw)
    text = _nfkc_strip(raw)
    compact = re.sub(r"\s+", "", text)
    if compact == schema.ALL_DAY_WORD:
        return Parsed(TimeRange(None, None))
    if compact in schema.TIME_WORDS:
        return Parsed(TimeRange(*schema.TIME_WORDS[compact]))
    m = _RE_RANGE.fullmatch(text)
    if m is None:
        return _bad_range(raw)
    start = _clock(m, "1", m["p1"])
    end = _clock(m, "2", m["p2"] or m["p1"])
    if start is None or end is None or start >= DAY_MINUTES:
        return _bad_range(raw)
    if end <= start:
        return _bad_range(raw, "time_range_order")
    value = TimeRange(start, end)
    return Parsed(value, re.sub(r"\s+", "", raw) not in _plain_spellings(start, end))


def _plain_spellings(start: int, end: int) -> set[str]:
    """Spellings that are the normal form (no D112): 09:00-11:00 and 9:00-11:00."""
    def forms(minutes: int) -> set[str]:
        return {minutes_text(minutes), f"{minutes // 60}:{minutes % 60:02d}"}
    return {f"{a}-{b}" for a in forms(start) for b in forms(end)}


def _bad_time(raw: Any) -> Any:
    return _fail("D102", "time", shown=_show(raw))


def parse_time(raw: Any):
    """A time of day: an Excel time cell, ``9:00``, ``09：00``, ``9点半``, ``下午2点`` → ``Clock``."""
    if is_empty(raw):
        return EMPTY
    if isinstance(raw, datetime):
        return Parsed(Clock(raw.hour * 60 + raw.minute))
    if isinstance(raw, time):
        return Parsed(Clock(raw.hour * 60 + raw.minute))
    if isinstance(raw, timedelta):
        minutes = round(raw.total_seconds() / 60)
        return Parsed(Clock(minutes)) if 0 <= minutes <= DAY_MINUTES else _bad_time(raw)
    if isinstance(raw, bool):
        return _bad_time(raw)
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and math.isnan(raw):
            return EMPTY
        if 0 <= raw <= 1:                         # a day fraction (a time cell read as a number)
            return Parsed(Clock(round(raw * DAY_MINUTES)))
        return _bad_time(raw)
    text = _nfkc_strip(str(raw))
    m = _RE_ONE.fullmatch(text)
    if m is None:
        return _bad_time(raw)
    minutes = _clock(m, "1", m["p1"])
    if minutes is None:
        return _bad_time(raw)
    plain = {minutes_text(minutes), f"{minutes // 60}:{minutes % 60:02d}"}
    return Parsed(Clock(minutes), str(raw).strip() not in plain)


_RE_MONEY = re.compile(r"[¥￥]?\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+)\s*(?:元|块)?")
_FREE = ("免费", "不收费", "无偿")


def _bad_money(raw: Any) -> Any:
    return _fail("D111", "money", shown=_show(raw))


def parse_money(raw: Any):
    """An amount in 元 → ``Decimal`` to the fen: 12, 12.5, ``12.50元``, ``¥12``, ``1,200``;
    ``免费`` → 0. A negative amount is D111. ``changed`` (D112) for a unit, a currency sign,
    full-width digits or 免费; not for the plain forms (``24``, ``24.00``, ``1,200``, spaces)."""
    if is_empty(raw):
        return EMPTY
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
        text = _nfkc_strip(str(raw))
        if text in _FREE:
            return Parsed(Decimal("0.00"), True)
        m = _RE_MONEY.fullmatch(text)
        if m is None:
            return _bad_money(raw)
        try:
            amount = Decimal(m[1].replace(",", ""))
        except InvalidOperation:
            return _bad_money(raw)
        # compared with the cell as typed (trimmed), not the NFKC text: full-width digits
        # (２４, １２．５) are a normalisation (D112), as in every other column
        changed = m[1] != str(raw).strip()
    if amount < 0 or amount > MAX_AMOUNT or not amount.is_finite():
        return _bad_money(raw)
    return Parsed(amount.quantize(FEN, rounding=ROUND_HALF_UP), changed)


_PARSERS.update({schema.MONEY: parse_money, schema.TIME: parse_time,
                 schema.TIME_RANGE: parse_time_range, schema.COUNT: parse_count})
