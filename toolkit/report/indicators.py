"""Report indicators (指标) for one community and one period; definitions in docs/indicators.md.

Pure: records, settings and findings in, ``Indicator`` values out. Every rate and average keeps
its numerator and denominator, so a town summary recomputes from counts and never averages
rates. ``group`` is ``""`` for the whole community, else the breakdown it belongs to (a 诉求
类别, a care tier ``A``/``B``/``C``, or a ledger kind for data quality).

    start, end, label = period_bounds(as_of, "month")
    indicators = compute_indicators(ctx, findings, period_start=start, period_end=end)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable

from toolkit import schema
from toolkit.domain.care import is_doctor
from toolkit.domain.health import bp_class, bp_of
from toolkit.domain.requests import due_date, filled
from toolkit.errors import UsageError
from toolkit.domain.services_rooms import ROOMS, SERVICES, bookings, idle, room_use, usable
from toolkit.model import Finding, Record
from toolkit.report.usage import service_table

__all__ = ["Indicator", "compute_indicators", "period_bounds", "indicator", "recompute",
           "KIND_OF", "REQUEST_CODES", "CARE_CODES", "VOLUNTEER_CODES", "QUALITY_CODES",
           "WORK_CODES", "DATA_CODES", "CUTOFF_CODE", "COUNCIL_CODES", "OTHER_KIND",
           "group_label", "as_map", "cutoff_of", "estate_group", "worst_estate", "family",
           "ledgers_of"]

REQUEST_CODES = ("REQ_RECEIVED", "REQ_RESOLVED", "REQ_CLOSED_DUE_RATE", "REQ_RESOLVED_RATE",
                 "REQ_SOLVED_RATE", "REQ_SOLVED", "REQ_PARTLY_SOLVED", "REQ_NOT_SOLVED",
                 "REQ_ONTIME_RATE", "REQ_FIRST_CONTACT_RATE", "REQ_RESPONSE_RATE", "REQ_REPLY_RATE",
                 "REQ_SATISFIED_RATE", "REQ_UNSATISFIED", "REQ_OVERDUE_OPEN", "REQ_REPEAT",
                 "REQ_REOPENED", "REQ_AVG_DAYS")
CARE_CODES = ("CARE_REGISTERED", "CARE_AGE_60_79", "CARE_AGE_80_89", "CARE_AGE_90_99",
              "CARE_AGE_100", "CARE_OLD", "CARE_ALONE", "CARE_DISABLED", "CARE_LOW_INCOME",
              "CARE_FAMILY_PLANNING", "CARE_DUE", "CARE_ONTIME_RATE", "CARE_OVERDUE",
              "CARE_KEY_VISIT_RATE", "CARE_HOME_VISITS", "CARE_PHONE_CALLS", "CARE_BP_MEASURED",
              "CARE_BP_ABNORMAL_VISITS", "CARE_BP_ABNORMAL", "CARE_MEDS", "CARE_MEALS",
              "CARE_CLEANING", "CARE_ESCORT", "CARE_WASTE", "CARE_URGENT")
CARE_TIER_CODES = ("CARE_REGISTERED", "CARE_DUE", "CARE_ONTIME_RATE", "CARE_OVERDUE")
VOLUNTEER_CODES = ("VOL_ON_DUTY", "VOL_DOCTORS", "VOL_KEY_RATIO", "VOL_SERVICES", "VOL_HOURS")
WORK_CODES = ("WORK_ERRORS", "WORK_WARNINGS")
DATA_CODES = ("DATA_ERRORS", "DATA_WARNINGS")
QUALITY_CODES = ("DQ_ERRORS", "DQ_WARNINGS")
SERVICE_CODES = ("SVC_COUNT", "SVC_FEE_COMPLIANT_RATE", "SVC_UNSATISFIED")       # issue #17
ROOM_CODES = ("ROOM_UTIL_RATE", "ROOM_ACTIVITIES", "ROOM_ATTENDANCE", "ROOM_IDLE")
COUNCIL_CODES = ("MTG_MEETINGS", "MTG_ITEMS", "MTG_TO_REQUEST_RATE", "MTG_FEEDBACK_RATE")
OTHER_KIND = "other"          # data-quality group of findings about files/settings
CUTOFF_CODE = schema.CUTOFF_CODE   # a text row: the 统计截止日 (ISO date) in the value column
# the by-小区 breakdowns (group ``小区：<name>``)
ESTATE_REQUEST_CODES = ("REQ_RECEIVED", "REQ_CLOSED_DUE_RATE", "REQ_SOLVED_RATE",
                        "REQ_FIRST_CONTACT_RATE", "REQ_OVERDUE_OPEN")
ESTATE_CARE_CODES = ("CARE_REGISTERED", "CARE_AGE_60_79", "CARE_AGE_80_89", "CARE_AGE_90_99",
                     "CARE_AGE_100", "CARE_ALONE", "CARE_DISABLED", "CARE_LOW_INCOME",
                     "CARE_FAMILY_PLANNING", "CARE_KEY_VISIT_RATE", "CARE_HOME_VISITS",
                     "CARE_PHONE_CALLS", "CARE_BP_MEASURED", "CARE_BP_ABNORMAL_VISITS",
                     "CARE_MEDS", "CARE_MEALS", "CARE_CLEANING", "CARE_ESCORT", "CARE_WASTE")
ESTATE_VOLUNTEER_CODES = ("VOL_ON_DUTY", "VOL_KEY_RATIO", "VOL_SERVICES", "VOL_HOURS")
AGE_BANDS = (("CARE_AGE_60_79", 60, 79), ("CARE_AGE_80_89", 80, 89), ("CARE_AGE_90_99", 90, 99),
             ("CARE_AGE_100", 100, None))
HARDSHIP_CODES = (("CARE_DISABLED", ("失能",)), ("CARE_LOW_INCOME", ("低保", "低收入")),
                  ("CARE_FAMILY_PLANNING", ("计生特殊家庭",)))
VISIT_SERVICE_CODES = (("CARE_MEDS", "代配药"), ("CARE_MEALS", "助餐"), ("CARE_CLEANING", "助洁"),
                 ("CARE_ESCORT", "助医"), ("CARE_WASTE", "垃圾投放"))

# how a value is made from numerator/denominator: count (sum), rate (num/den, 0..1),
# average and ratio (num/den, not a percentage); text (CUTOFF: not summed, compared)
KIND_OF = {code: ("rate" if code.endswith("_RATE") else
                  "average" if code == "REQ_AVG_DAYS" else
                  "ratio" if code in ("VOL_RATIO", "VOL_KEY_RATIO") else
                  "text" if code == CUTOFF_CODE else "count")
           for code in schema.INDICATOR_LABELS}
_DIGITS = {"rate": 4, "average": 2, "ratio": 2}

# The ledgers an indicator is counted from. While a file or sheet that may hold one of them is
# unreadable (F001/F002/F009, domain/unread.py) the indicator is not reported: a count of the
# rows that happened to be readable would reach the town as the community's real figure.
_ELDERLY_ONLY = frozenset({"CARE_REGISTERED", "CARE_OLD", "CARE_ALONE", "CARE_DISABLED",
                           "CARE_LOW_INCOME", "CARE_FAMILY_PLANNING",
                           *(code for code, _, _ in AGE_BANDS)})
_VISIT_ROWS = frozenset({"CARE_HOME_VISITS", "CARE_PHONE_CALLS", "CARE_BP_MEASURED",
                         "CARE_BP_ABNORMAL_VISITS", "VOL_SERVICES", "VOL_HOURS",
                         *(code for code, _ in VISIT_SERVICE_CODES)})


def ledgers_of(code: str) -> frozenset[str]:
    """The ledger kinds ``code`` is counted from (empty: findings or the date only)."""
    if code.startswith("REQ_"):
        return frozenset({"requests"})
    if code in _ELDERLY_ONLY:
        return frozenset({"elderly"})
    if code in _VISIT_ROWS:
        return frozenset({"visits"})
    if code.startswith("CARE_"):          # who is due, overdue, seen, urgent: both
        return frozenset({"elderly", "visits"})
    if code in ("VOL_KEY_RATIO", "VOL_RATIO"):
        return frozenset({"elderly", "volunteers"})
    if code.startswith("VOL_"):
        return frozenset({"volunteers"})
    if code == "MTG_TO_REQUEST_RATE":
        return frozenset({"meetings", "requests"})
    kind = _LEDGER_OF_PREFIX.get(code.split("_", 1)[0])
    return frozenset({kind}) if kind else frozenset()


_LEDGER_OF_PREFIX = {"SVC": SERVICES, "ROOM": ROOMS, "MTG": "meetings"}


def _withhold_unread(ctx, indicators: list[Indicator]) -> list[Indicator]:
    """``indicators`` with those counted from a ledger not fully read this run not reported."""
    missing = ctx.unread.kinds
    if not missing:
        return indicators
    return [indicator(i.code, None, group=i.group) if ledgers_of(i.code) & missing else i
            for i in indicators]


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    value: float | int | str | None    # None: denominator is 0, or not reported
    numerator: float | int | None = None
    denominator: float | int | None = None
    group: str = schema.INDICATOR_GROUP_ALL

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh

    @property
    def kind(self) -> str:
        return KIND_OF.get(self.code, "count")


def indicator(code: str, numerator: float | int | None, denominator: float | int | None = None,
              group: str = schema.INDICATOR_GROUP_ALL, *, reported: bool = True) -> Indicator:
    """Build an indicator; counts have no denominator, others get value = num / den.
    ``reported=False``: the community lacks what the indicator needs (no 是否解决 filled): value,
    numerator and denominator all empty, so a merge leaves it out of the totals."""
    zh, en = schema.INDICATOR_LABELS[code]
    kind = KIND_OF[code]
    if not reported or numerator is None:
        return Indicator(code, zh, en, None, None, None, group)
    if kind == "count":
        value = round(numerator, 2) if isinstance(numerator, float) else numerator
        return Indicator(code, zh, en, value, value, None, group)
    value = round(numerator / denominator, _DIGITS[kind]) if denominator else None
    return Indicator(code, zh, en, value, numerator, denominator or 0, group)


def recompute(code: str, numerator: float | int, denominator: float | int | None,
              group: str = schema.INDICATOR_GROUP_ALL) -> Indicator:
    """An indicator from summed counts (used by the town merge)."""
    return indicator(code, numerator, denominator, group)


# ---------------------------------------------------------------------------------------
# periods

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)
_PERIOD_WORDS = {"week": "week", "周": "week", "month": "month", "月": "month"}


def period_bounds(as_of: date, period: str) -> tuple[date, date, str]:
    """``(first day, last day, label)`` of a reporting period.

    ``week``: the ISO week containing ``as_of`` (label ``2026-W48``); ``month``: the calendar
    month containing ``as_of`` (label ``2026-11``); ``YYYY-MM``: that month; ``YYYY-Www``: that
    ISO week.
    """
    text = str(period or "").strip()
    kind = _PERIOD_WORDS.get(text.lower(), _PERIOD_WORDS.get(text))
    if kind == "week":
        start = as_of - timedelta(days=as_of.weekday())
        return _week(start)
    if kind == "month":
        return _month(as_of.year, as_of.month)
    match = _MONTH_RE.match(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return _month(int(match.group(1)), int(match.group(2)))
    match = _WEEK_RE.match(text)
    if match:
        try:
            return _week(date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1))
        except ValueError:
            pass
    raise UsageError(f"报送周期“{period}”无法识别：请写 week（本周）、month（本月）或 2026-11 这样的月份",
                     f"unknown period {period!r}: use week, month, or a month such as 2026-11")


def same_span_before(start: date, end: date, as_of: date) -> tuple[date, date, date]:
    """The span to compare ``[start, min(end, as_of)]`` with, like with like: a week → the
    previous ISO week up to the same weekday; a month → the previous month up to the same day
    (its last day when shorter). Returns ``(first day, last day, cut-off)`` of that period."""
    cutoff = min(end, as_of)
    if (end - start).days == 6:                                  # an ISO week
        return start - timedelta(days=7), end - timedelta(days=7), cutoff - timedelta(days=7)
    prev_end = start - timedelta(days=1)
    prev_start = prev_end.replace(day=1)
    whole = cutoff == end                                        # a finished month: all of the last
    day = prev_end.day if whole else min(cutoff.day, prev_end.day)
    return prev_start, prev_end, prev_start.replace(day=day)


# counted from this run's findings: an earlier span's value is the last run's (the ledgers alone
# cannot say what would have been found then)
FINDING_CODES = ("CARE_URGENT", "DQ_ERRORS", "DQ_WARNINGS", "WORK_ERRORS", "WORK_WARNINGS",
                 "DATA_ERRORS", "DATA_WARNINGS", "REQ_REPEAT")


def _week(monday: date) -> tuple[date, date, str]:
    year, week, _ = monday.isocalendar()
    return monday, monday + timedelta(days=6), f"{year}-W{week:02d}"


def _month(year: int, month: int) -> tuple[date, date, str]:
    start = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return start, nxt - timedelta(days=1), f"{year}-{month:02d}"


# ---------------------------------------------------------------------------------------
# the indicators

def compute_indicators(ctx, findings: Iterable[Finding], *, period_start: date,
                       period_end: date, cutoff: date | None = None,
                       groups: bool = True) -> list[Indicator]:
    """Every indicator of docs/indicators.md for ``[period_start, period_end]``.
    ``groups=False``: the request, care and volunteer indicators without their per-类别,
    per-小区, per-tier and per-来源 groups (the staff report's 上期同期 shows totals only; the
    service, room and council indicators are small and come whole).

    An indicator counted from a ledger whose file (or sheet) could not be read this run is
    not reported (``ledgers_of``; docs/indicators.md).

    Facts are counted up to the cut-off ``min(period_end, ctx.as_of)``: a date after it has not
    happened yet. Snapshot indicators (在册, 超期未办结, 超期未访 …) are taken at the cut-off.
    The first indicator is ``CUTOFF`` (统计截止日, ISO text).
    """
    cutoff = min(period_end, ctx.as_of, cutoff or period_end)
    findings = list(findings)
    at_cutoff = ctx if cutoff == ctx.as_of else ctx.at(cutoff)
    visits = _visits_in(at_cutoff, period_start, cutoff)      # shared by care and volunteers
    out: list[Indicator] = [cutoff_indicator(cutoff)]
    out += request_indicators(at_cutoff, period_start, cutoff, findings, groups=groups)
    out += care_indicators(at_cutoff, findings, period_start, period_end, cutoff, visits,
                           groups=groups)
    out += volunteer_indicators(at_cutoff, period_start, cutoff, visits, groups=groups)
    out += service_indicators(at_cutoff, period_start, cutoff)
    out += room_indicators(at_cutoff, period_start, cutoff)
    out += council_indicators(at_cutoff, period_start, cutoff)
    out += quality_indicators(findings)
    return _withhold_unread(ctx, out)


def cutoff_indicator(cutoff: date) -> Indicator:
    zh, en = schema.INDICATOR_LABELS[CUTOFF_CODE]
    return Indicator(CUTOFF_CODE, zh, en, cutoff.isoformat(), None, None)


def cutoff_of(indicators: Iterable[Indicator]) -> date | None:
    """The 统计截止日 of a list of indicators (None when absent: a report of an older version)."""
    for ind in indicators:
        if ind.code == CUTOFF_CODE and ind.value:
            try:
                return date.fromisoformat(str(ind.value)[:10])
            except ValueError:
                return None
    return None


def estate_group(name: str) -> str:
    return f"{schema.ESTATE_GROUP}{name}"


def _estate(record: Record) -> str | None:
    value = record.values.get("estate")
    if value in (None, "") or "estate" in record.invalid or isinstance(value, tuple):
        return None
    return str(value).strip() or None


def _estate_order(settings, names: Iterable[str | None]) -> list[str]:
    """小区 in the settings' order. A name the settings' 小区 list does not hold is a typo or
    a 小区 not set up (D109 says so): no group of its own, or the town would get 咏泽园 beside
    咏泽苑 as a real estate; its records count in the totals only. Without a list in the
    settings every name written is a group, sorted."""
    seen = {n for n in names if n}
    if settings.estates:
        return [e for e in settings.estates if e in seen]
    return sorted(seen)


def _date(record: Record, key: str, cutoff: date) -> date | None:
    """The record's date if it is a real date on or before the cut-off."""
    value = record.values.get(key)
    if isinstance(value, date) and key not in record.invalid and value <= cutoff:
        return value
    return None


# --- requests --------------------------------------------------------------------------

def request_indicators(ctx, start: date, cutoff: date,
                       findings: Iterable[Finding] = (), *, groups: bool = True) -> list[Indicator]:
    """Totals, then the same indicators per 类别 (settings order, then others, 未分类 last),
    per 小区 (``小区：<name>``, the few of ESTATE_REQUEST_CODES), and 受理数 by 来源."""
    known = [r for r in ctx.ledger("requests") if _date(r, "received", cutoff)]
    # 是否解决 is reported when any request known at the cut-off has it filled
    has_solved = any(_solved(r) is not None for r in known)
    due = {id(r): due_date(r, ctx.settings, ctx.calendar) for r in known}   # once per request
    out = _request_group(ctx, known, start, cutoff, schema.INDICATOR_GROUP_ALL, has_solved, due)
    cohort = [r for r in known if start <= _date(r, "received", cutoff)]
    rows = {(r.file, r.sheet, r.row) for r in cohort}
    repeats = {(f.file, f.sheet, f.row) for f in findings if f.code == "R210"} & rows
    reopened = sum(r.values.get("status") == schema.REOPENED for r in known)
    out += [indicator("REQ_REPEAT", len(repeats)), indicator("REQ_REOPENED", reopened)]
    if not groups:
        return out
    by_category, by_estate = _grouped(known, _category), _grouped(known, _estate)
    for name in _category_groups(ctx.settings, known):
        out += _request_group(ctx, by_category[name], start, cutoff, name, has_solved, due)
    for name in _estate_order(ctx.settings, by_estate):
        out += [i for i in _request_group(ctx, by_estate[name], start, cutoff, estate_group(name),
                                          has_solved, due) if i.code in ESTATE_REQUEST_CODES]
    sources = [s for s in schema.SOURCES if any(r.values.get("source") == s for r in cohort)]
    sources += sorted({str(r.values["source"]) for r in cohort if r.values.get("source")
                       and "source" not in r.invalid} - set(sources))
    for source in sources:
        out.append(indicator("REQ_BY_SOURCE", sum(r.values.get("source") == source
                                                  and "source" not in r.invalid for r in cohort),
                             group=source))
    unknown = sum(not r.values.get("source") or "source" in r.invalid for r in cohort)
    if unknown:
        out.append(indicator("REQ_BY_SOURCE", unknown, group=schema.NO_SOURCE_LABEL[0]))
    return out


def _grouped(records: Iterable[Record], key) -> dict[Any, list[Record]]:
    """``{key(r): [records with that key, in their order]}``."""
    out: dict[Any, list[Record]] = {}
    for r in records:
        out.setdefault(key(r), []).append(r)
    return out


def _solved(record: Record) -> str | None:
    """已解决 / 部分解决 / 未解决 (是 → 已解决, 否 → 未解决), None when empty or unreadable."""
    if "solved" in record.invalid:
        return None
    value = record.values.get("solved")
    if value in (None, ""):
        return None
    value = schema.SOLVED_WORDS.get(str(value).strip(), str(value).strip())
    return value if value in schema.SOLVED_VALUES else None


def _contact_date(r: Record, cutoff: date) -> date | None:
    """先行联系日期; when empty, the earliest of 分类/分派/答复 (the documented fallback)."""
    first = _date(r, "first_contact", cutoff)
    if first is not None:
        return first
    dates = [d for d in (_date(r, k, cutoff) for k in ("classified", "assigned", "replied")) if d]
    return min(dates) if dates else None


def _category(record: Record) -> str:
    """The request's 类别 as written; 未分类 when empty, an empty mark (无, /) or a word saying
    it is not classified yet (待定, 待分类: the request is at stage 0, ``filled``)."""
    value = record.values.get("category")
    if value in (None, "") or not filled(record, "category"):
        return schema.UNCLASSIFIED_LABEL[0]
    return str(value).strip()


def _category_groups(settings, records: list[Record]) -> list[str]:
    seen = {_category(r) for r in records}
    ordered = [c for c in settings.category_names if c in seen]
    unclassified = schema.UNCLASSIFIED_LABEL[0]
    ordered += sorted(seen - set(ordered) - {unclassified})
    return ordered + ([unclassified] if unclassified in seen else [])


def _request_group(ctx, records: list[Record], start: date, cutoff: date,
                   group: str, has_solved: bool = True,
                   due_dates: dict[int, date | None] | None = None) -> list[Indicator]:
    """The request indicators of one group; ``due_dates``: each record's ``due_date`` by
    ``id()``, when already worked out."""
    settings, calendar = ctx.settings, ctx.calendar
    if due_dates is None:
        due_dates = {id(r): due_date(r, settings, calendar) for r in records}
    cohort = [r for r in records if start <= _date(r, "received", cutoff)]
    resolved = [r for r in cohort if _date(r, "resolved", cutoff)]

    # 办结率（应办结口径）: requests (any 登记 date) whose due date falls in [start, cut-off]
    due_num = due_den = 0
    for r in records:
        due = due_dates[id(r)]
        if isinstance(due, date) and start <= due <= cutoff:
            due_den += 1
            due_num += _date(r, "resolved", cutoff) is not None

    # 解决率: requests resolved in [start, cut-off] with 是否解决 filled
    closed = [r for r in records
              if (day := _date(r, "resolved", cutoff)) is not None and day >= start]
    verdicts = [v for v in (_solved(r) for r in closed) if v is not None]

    # 响应率（先行联系口径）: cohort requests whose 先行联系时限 has passed by the cut-off
    contact_num = contact_den = 0
    for r in cohort:
        limit = calendar.add_workdays(_date(r, "received", cutoff), settings.first_contact_days)
        if limit < cutoff:
            contact_den += 1
            contact = _contact_date(r, cutoff)
            contact_num += contact is not None and contact <= limit

    ontime_num = ontime_den = 0
    for r in resolved:
        due = due_dates[id(r)]
        if isinstance(due, date):
            ontime_den += 1
            ontime_num += _date(r, "resolved", cutoff) <= due

    response = [_responded(r, settings, calendar, cutoff) for r in cohort]
    rated = [r for r in cohort if r.values.get("satisfaction") in schema.SATISFACTION]
    satisfied = sum(r.values.get("satisfaction") in schema.SATISFIED for r in rated)
    unsatisfied = sum(r.values.get("satisfaction") == schema.UNSATISFIED for r in rated)

    overdue = 0
    for r in records:                  # snapshot: every request known at the cut-off
        if _date(r, "resolved", cutoff) or _date(r, "replied", cutoff):
            continue                   # replied without 办结日期 is R205, not open (诉求闭环)
        due = due_dates[id(r)]
        overdue += isinstance(due, date) and due < cutoff

    days_sum = days_n = 0
    for r in resolved:
        begin = _date(r, "assigned", cutoff) or _date(r, "received", cutoff)
        days = calendar.workdays_between(begin, _date(r, "resolved", cutoff))
        if days >= 0:                  # dates out of order (R206) are not measured
            days_sum += days
            days_n += 1

    return [
        indicator("REQ_RECEIVED", len(cohort), group=group),
        indicator("REQ_RESOLVED", len(resolved), group=group),
        indicator("REQ_CLOSED_DUE_RATE", due_num, due_den, group),
        indicator("REQ_RESOLVED_RATE", len(resolved), len(cohort), group),
        indicator("REQ_SOLVED_RATE", verdicts.count(schema.SOLVED), len(verdicts), group,
                  reported=has_solved),
        indicator("REQ_SOLVED", verdicts.count(schema.SOLVED), group=group, reported=has_solved),
        indicator("REQ_PARTLY_SOLVED", verdicts.count(schema.PARTLY_SOLVED), group=group,
                  reported=has_solved),
        indicator("REQ_NOT_SOLVED", verdicts.count(schema.NOT_SOLVED), group=group,
                  reported=has_solved),
        indicator("REQ_ONTIME_RATE", ontime_num, ontime_den, group),
        indicator("REQ_FIRST_CONTACT_RATE", contact_num, contact_den, group),
        indicator("REQ_RESPONSE_RATE", sum(x is True for x in response),
                  sum(x is not None for x in response), group),
        indicator("REQ_REPLY_RATE", sum(bool(_date(r, "replied", cutoff)) for r in resolved),
                  len(resolved), group),
        indicator("REQ_SATISFIED_RATE", satisfied, len(rated), group),
        indicator("REQ_UNSATISFIED", unsatisfied, group=group),
        indicator("REQ_OVERDUE_OPEN", overdue, group=group),
        indicator("REQ_AVG_DAYS", days_sum, days_n, group),
    ]


def _responded(r: Record, settings, calendar, cutoff: date) -> bool | None:
    """True: classified within 分类时限 and assigned within 分派时限; False: a limit was
    missed; None: still within its limits and not yet assigned (not measured yet)."""
    received = _date(r, "received", cutoff)
    classified, assigned = _date(r, "classified", cutoff), _date(r, "assigned", cutoff)
    classify_by = calendar.add_workdays(received, settings.classify_days)
    if classified is None:
        if assigned is not None:       # assigned without a classification date (R205)
            return assigned <= calendar.add_workdays(received, settings.classify_days
                                                     + settings.assign_days)
        return None if cutoff <= classify_by else False
    if classified > classify_by:
        return False
    assign_by = calendar.add_workdays(classified, settings.assign_days)
    if assigned is None:
        return None if cutoff <= assign_by else False
    return assigned <= assign_by


# --- care ------------------------------------------------------------------------------

def care_indicators(ctx, findings: list[Finding], start: date, end: date, cutoff: date,
                    visits: list[tuple[Record, str | None]] | None = None, *,
                    groups: bool = True) -> list[Indicator]:
    """Care totals, per tier (A/B/C) and per 小区 (ESTATE_CARE_CODES). ``visits``: the
    period's ``_visits_in`` when already worked out. What a resident contributes (tier, age,
    visit state, seen this month) is worked out once; the groups only add it up."""
    care = ctx.care
    registered = sorted((r for r in care.residents if care.on_register(r)),
                        key=lambda r: (str(r.id), r.file, r.sheet, r.row))
    old_age = ctx.settings.thresholds.old_age
    tiers = {id(r): care.tier(r) for r in registered}
    ages = {id(r): care.age(r) for r in registered}
    due = {id(r): _visit_state(care, r, tiers[id(r)], end, cutoff) for r in registered}
    month_start = cutoff.replace(day=1)
    seen_this_month = {id(r): _seen_between(care, r, tiers[id(r)], month_start, cutoff)
                       for r in registered if tiers[id(r)] in ("A", "B")}
    if visits is None:
        visits = _visits_in(ctx, start, cutoff)

    def tally(members: list[Record], group: str) -> list[Indicator]:
        overdue = sum(due[id(r)] == "overdue" for r in members)
        return [
            indicator("CARE_REGISTERED", len(members), group=group),
            indicator("CARE_DUE", sum(due[id(r)] in ("overdue", "due") for r in members),
                      group=group),
            indicator("CARE_ONTIME_RATE", len(members) - overdue, len(members), group),
            indicator("CARE_OVERDUE", overdue, group=group),
        ]

    def profile(members: list[Record], group: str) -> dict[str, Indicator]:
        """The new care counts of one group of residents and their visits."""
        out: dict[str, Indicator] = {}
        ages_ = [ages[id(r)] for r in members]
        for code, low, high in AGE_BANDS:
            out[code] = indicator(code, sum(_is_old(a, low) and (high is None or a <= high)
                                            for a in ages_), group=group)
        out["CARE_ALONE"] = indicator("CARE_ALONE", sum(care.lives_alone(r) for r in members),
                                      group=group)
        for code, words in HARDSHIP_CODES:
            out[code] = indicator(code, sum(any(h in words for h in care.hardships(r))
                                            for r in members), group=group)
        key = [r for r in members if tiers[id(r)] in ("A", "B")]
        seen = sum(seen_this_month[id(r)] for r in key)
        out["CARE_KEY_VISIT_RATE"] = indicator("CARE_KEY_VISIT_RATE", seen, len(key), group)
        return out

    def visit_counts(rows: list[Record], group: str) -> dict[str, Indicator]:
        services = [_services(v) for v in rows]
        readings = [(v, pair) for v in rows if (pair := _bp(v)) is not None]
        abnormal = sum(_bp_abnormal(care, v, pair, ctx.settings.thresholds) for v, pair in readings)
        out = {"CARE_HOME_VISITS": indicator("CARE_HOME_VISITS", sum(
                   schema.SERVICE_VISIT in s for s in services), group=group),
               "CARE_PHONE_CALLS": indicator("CARE_PHONE_CALLS", sum(
                   schema.SERVICE_PHONE in s for s in services), group=group),
               "CARE_BP_MEASURED": indicator("CARE_BP_MEASURED", len(readings), group=group),
               "CARE_BP_ABNORMAL_VISITS": indicator("CARE_BP_ABNORMAL_VISITS", abnormal,
                                                    group=group)}
        for code, word in VISIT_SERVICE_CODES:
            out[code] = indicator(code, sum(word in s for s in services), group=group)
        return out

    by_code = {i.code: i for i in tally(registered, schema.INDICATOR_GROUP_ALL)}
    by_code.update(profile(registered, schema.INDICATOR_GROUP_ALL))
    by_code.update(visit_counts([v for v, _ in visits], schema.INDICATOR_GROUP_ALL))
    by_code["CARE_OLD"] = indicator("CARE_OLD", sum(_is_old(ages[id(r)], old_age)
                                                    for r in registered))
    by_code["CARE_BP_ABNORMAL"] = indicator("CARE_BP_ABNORMAL", sum(
        _abnormal_bp_in(care, r, ctx.settings.thresholds, start, cutoff) for r in registered))
    by_code["CARE_URGENT"] = indicator("CARE_URGENT", sum(1 for f in findings if f.urgent))
    out = [by_code[code] for code in CARE_CODES]
    if not groups:
        return out
    for tier in schema.TIERS:
        out += tally([r for r in registered if tiers[id(r)] == tier], tier)
    estates = _estate_order(ctx.settings, [_estate(r) for r in registered] +
                            [estate for _, estate in visits])
    for name in estates:
        group = estate_group(name)
        members = [r for r in registered if _estate(r) == name]
        mine = {"CARE_REGISTERED": indicator("CARE_REGISTERED", len(members), group=group)}
        mine.update(profile(members, group))
        mine.update(visit_counts([v for v, estate in visits if estate == name], group))
        out += [mine[code] for code in ESTATE_CARE_CODES]
    return out


def _visits_in(ctx, start: date, cutoff: date) -> list[tuple[Record, str | None]]:
    """Visit rows dated in ``[start, cut-off]`` with their 小区: the row's own 小区, else the
    matched resident's, else None."""
    care = ctx.care
    out = []
    # down the date column: each distinct date is tested once, the period's rows are walked
    dated = ctx.columns.where("visits", {"date": lambda day: isinstance(day, date)
                                         and start <= day <= cutoff})
    for v in dated:
        day = _date(v, "date", cutoff)
        if day is None or day < start:
            continue
        estate = _estate(v)
        if estate is None:
            resident = care.resident_for_visit(v)
            estate = _estate(resident) if resident is not None else None
        out.append((v, estate))
    return out


def _services(visit: Record) -> tuple[str, ...]:
    if "service" in visit.invalid:
        return ()
    value = visit.values.get("service") or ()
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _bp(visit: Record):
    return bp_of(visit)


def _bp_abnormal(care, visit: Record, pair, th) -> bool:
    """偏高 or 偏低 by C305's thresholds (the domain's ``bp_class``, settings 阈值): 高龄高血压
    收缩压 from 高龄年龄 on, the resident's age on the reading's date; unknown resident → 140/90."""
    resident = care.resident_for_visit(visit)
    day = visit.values.get("date")
    age = care.age_on(resident, day) if resident is not None and isinstance(day, date) else None
    return bp_class(pair, th, age) is not None


def _is_old(age: Any, old_age: int) -> bool:
    return isinstance(age, (int, float)) and not isinstance(age, bool) and age >= old_age


def _visit_state(care, resident: Record, tier: str, end: date, cutoff: date) -> str:
    """``overdue`` (C301/C302 condition at the cut-off), ``due`` (due by the period's end),
    or ``ok``."""
    next_due = care.next_due(resident)
    if next_due is None:
        return "overdue" if tier in ("A", "B") else "ok"
    if next_due < cutoff:
        return "overdue"
    return "due" if next_due <= end else "ok"


def _abnormal_bp_in(care, resident: Record, th, start: date, cutoff: date) -> bool:
    """A reading 偏高/偏低 by C305's thresholds (age-adjusted) in the period."""
    for v in care.visits_between(resident, start - timedelta(days=1), cutoff):
        pair = _bp(v)
        if pair is not None and _bp_abnormal(care, v, pair, th):
            return True
    return False


def _seen_between(care, resident: Record, tier: str, first: date, cutoff: date) -> bool:
    """A visit dated in ``[first, cutoff]`` that counts toward ``tier``'s interval (the index's
    visits are dated, sorted and readable: cut, don't scan)."""
    return any(care.counts_as_visit(v, tier)
               for v in care.visits_between(resident, first - timedelta(days=1), cutoff))


# --- volunteers ------------------------------------------------------------------------

def volunteer_indicators(ctx, start: date, cutoff: date,
                         visits: list[tuple[Record, str | None]] | None = None, *,
                         groups: bool = True) -> list[Indicator]:
    """在岗志愿者 without the 家庭医生团队 (own count), tier A/B per volunteer, 服务人次 and 时长;
    per 小区 too (a volunteer serving 全部 or several 小区 counts in each). ``visits``: the
    period's ``_visits_in`` when already worked out."""
    care = ctx.care
    active = [v for v in care.volunteers if care.is_active(v)]
    doctors = [v for v in active if is_doctor(v)]
    on_duty = [v for v in active if not is_doctor(v)]
    if visits is None:
        visits = _visits_in(ctx, start, cutoff)
    key = [r for r in care.residents if care.on_register(r) and care.tier(r) in ("A", "B")]

    def group_of(rows, helpers, residents, group: str) -> list[Indicator]:
        return [indicator("VOL_ON_DUTY", len(helpers), group=group),
                indicator("VOL_KEY_RATIO", len(residents), len(helpers), group),
                indicator("VOL_SERVICES", len(rows), group=group),
                indicator("VOL_HOURS", round(sum(_hours(v) for v in rows), 2), group=group)]

    total = group_of([v for v, _ in visits], on_duty, key, schema.INDICATOR_GROUP_ALL)
    out = [total[0], indicator("VOL_DOCTORS", len(doctors)), total[1], total[2], total[3]]
    if not groups:
        return out
    registered = [r for r in care.residents if care.on_register(r)]
    for name in _estate_order(ctx.settings, [_estate(r) for r in registered] +
                              [estate for _, estate in visits]):
        out += group_of([v for v, estate in visits if estate == name],
                        [v for v in on_duty if care.covers(v, name)],
                        [r for r in key if _estate(r) == name], estate_group(name))
    return out


def _hours(visit: Record) -> float:
    value = visit.values.get("hours")
    if isinstance(value, (int, float)) and not isinstance(value, bool) \
            and "hours" not in visit.invalid and value > 0:
        return value
    return 0.0


def worst_estate(indicators: Iterable[Indicator]) -> Indicator | None:
    """The 小区 with the most tier A/B residents per volunteer (none at all = worst)."""
    ratios = [i for i in indicators if i.code == "VOL_KEY_RATIO"
              and i.group.startswith(schema.ESTATE_GROUP) and i.numerator]
    if not ratios:
        return None
    return max(ratios, key=lambda i: (i.denominator == 0, i.value or 0, i.numerator))


# --- resident council (议事会) ----------------------------------------------------------

def council_indicators(ctx, start: date, cutoff: date) -> list[Indicator]:
    """Meetings held in the period, their 议题, how many reached the request ledger, how many
    decisions due for report-back were reported back. Nothing when no minutes were read (a
    community without the ledger contributes nothing to the town's rates)."""
    from toolkit.domain.council import LINKED, MATCHED, NOT_REQUEST, UNSURE, council, decision
    from toolkit.domain.council import fed_back as fed_back_by
    index = council(ctx)
    if not ctx.ledger("meetings") and not any(s.kind == "meetings" for s in ctx.workspace.sources):
        return []
    held = [m for m in index.meetings if start <= m.day <= cutoff]
    items = [(m, r) for m in held for r in m.items]
    registered = decidable = 0
    for m, r in items:
        state = index.match(r, by=cutoff).state
        if state in (NOT_REQUEST, UNSURE):        # UNSURE: may be an unreadable request
            continue
        done = state in (LINKED, MATCHED)
        if done or index.registration_deadline(m) < cutoff:
            decidable += 1
            registered += done
    due = fed_back = 0
    for m in index.meetings:
        deadline = m.feedback_deadline()
        if not start <= deadline < cutoff:
            continue
        for r in m.items:
            if not decision(r):
                continue
            due += 1
            fed_back += fed_back_by(r, cutoff)    # not one dated before the meeting itself
    return [indicator("MTG_MEETINGS", len(held)), indicator("MTG_ITEMS", len(items)),
            indicator("MTG_TO_REQUEST_RATE", registered, decidable),
            indicator("MTG_FEEDBACK_RATE", fed_back, due)]


# --- data quality ----------------------------------------------------------------------

def family(code: str) -> str:
    """``work`` (R, C, V, M, P, U: work not done) or ``data`` (F, D, S, H: the ledger itself)."""
    return "data" if code[:1] in schema.DATA_FAMILIES else "work"


def quality_indicators(findings: list[Finding]) -> list[Indicator]:
    """All findings by severity (DQ_*, as before), then 工作问题 (WORK_*) and 台账数据质量
    (DATA_*); each in total and per ledger (``other``: files and settings)."""
    def kind_of(f: Finding) -> str:
        return f.kind if f.kind in schema.KINDS else OTHER_KIND

    out: list[Indicator] = []
    for (errors, warnings), selected in (
            (QUALITY_CODES, findings),
            (WORK_CODES, [f for f in findings if family(f.code) == "work"]),
            (DATA_CODES, [f for f in findings if family(f.code) == "data"])):
        out += [indicator(errors, sum(f.severity == "error" for f in selected)),
                indicator(warnings, sum(f.severity == "warning" for f in selected))]
        for kind in schema.KINDS + (OTHER_KIND,):
            mine = [f for f in selected if kind_of(f) == kind]
            out += [indicator(errors, sum(f.severity == "error" for f in mine), group=kind),
                    indicator(warnings, sum(f.severity == "warning" for f in mine), group=kind)]
    return out


def group_label(group: str, lang: str = "zh") -> str:
    """How a group is shown: ledger kinds and tiers get their label, ``小区：X`` shows X,
    categories and sources stay."""
    if group.startswith(schema.ESTATE_GROUP):
        return group[len(schema.ESTATE_GROUP):]
    if group in schema.KIND_LABELS:
        return schema.label(schema.KIND_LABELS[group], lang)
    if group == OTHER_KIND:
        return schema.label(schema.OTHER_KIND_LABEL, lang)
    if group in schema.TIER_LABELS:
        return schema.label(schema.TIER_LABELS[group], lang)
    if group == schema.UNCLASSIFIED_LABEL[0]:
        return schema.label(schema.UNCLASSIFIED_LABEL, lang)
    if group == schema.UNLISTED_LABEL[0]:
        return schema.label(schema.UNLISTED_LABEL, lang)
    return group


def as_map(indicators: Iterable[Indicator], group: str = schema.INDICATOR_GROUP_ALL) -> dict:
    """``{code: Indicator}`` of one group (default: the community totals)."""
    return {i.code: i for i in indicators if i.group == group}


# --- services and rooms (issue #17) ----------------------------------------------------

def service_indicators(ctx, start: date, cutoff: date) -> list[Indicator]:
    """SVC_COUNT (total and per item), SVC_FEE_COMPLIANT_RATE, SVC_UNSATISFIED; nothing when
    no services ledger was read."""
    if not ctx.ledger(SERVICES):
        return []
    table = service_table(ctx, start, cutoff)
    out = [indicator("SVC_COUNT", sum(x.count for x in table)),
           indicator("SVC_FEE_COMPLIANT_RATE", sum(x.compliant for x in table),
                     sum(x.checked for x in table)),
           indicator("SVC_UNSATISFIED", sum(x.unsatisfied for x in table))]
    per_item: dict[str, int] = {}
    for x in table:
        per_item[x.item] = per_item.get(x.item, 0) + x.count
    out += [indicator("SVC_COUNT", n, group=item) for item, n in per_item.items() if item]
    return out


def room_indicators(ctx, start: date, cutoff: date) -> list[Indicator]:
    """ROOM_UTIL_RATE (booked ÷ open hours over the rooms of the settings), ROOM_ACTIVITIES,
    ROOM_ATTENDANCE, ROOM_IDLE (only with 活动室 settings); nothing without a rooms ledger."""
    if not ctx.ledger(ROOMS):
        return []
    inside = [b for b in bookings(ctx) if b.day is not None and start <= b.day <= cutoff]
    attendance = sum(a for b in inside if isinstance(a := usable(b.record, "attendance"), int) and a > 0)
    uses = room_use(ctx, start, cutoff)
    booked = round(sum(u.booked for u in uses) / 60, 2)
    opened = round(sum(u.open for u in uses) / 60, 2)
    out = [indicator("ROOM_UTIL_RATE", booked, opened),
           indicator("ROOM_ACTIVITIES", len(inside)),
           indicator("ROOM_ATTENDANCE", attendance)]
    if ctx.settings.rooms:
        out.append(indicator("ROOM_IDLE", sum(idle(u, ctx.as_of) for u in room_use(
            ctx, ctx.as_of - timedelta(days=29), ctx.as_of))))
    return out
