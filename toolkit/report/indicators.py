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
from toolkit.domain.context import Context
from toolkit.domain.health import bp_class, bp_of
from toolkit.domain.requests import due_date
from toolkit.errors import UsageError
from toolkit.model import Finding, Record

__all__ = ["Indicator", "compute_indicators", "period_bounds", "indicator", "recompute",
           "KIND_OF", "REQUEST_CODES", "CARE_CODES", "VOLUNTEER_CODES", "QUALITY_CODES",
           "OTHER_KIND", "group_label", "as_map"]

REQUEST_CODES = ("REQ_RECEIVED", "REQ_RESOLVED", "REQ_RESOLVED_RATE", "REQ_ONTIME_RATE",
                 "REQ_RESPONSE_RATE", "REQ_REPLY_RATE", "REQ_SATISFIED_RATE", "REQ_UNSATISFIED",
                 "REQ_OVERDUE_OPEN", "REQ_AVG_DAYS")
CARE_CODES = ("CARE_REGISTERED", "CARE_ALONE", "CARE_OLD", "CARE_DUE", "CARE_ONTIME_RATE",
              "CARE_OVERDUE", "CARE_BP_ABNORMAL", "CARE_URGENT")
VOLUNTEER_CODES = ("VOL_ACTIVE", "VOL_SERVICES", "VOL_HOURS", "VOL_RATIO")
QUALITY_CODES = ("DQ_ERRORS", "DQ_WARNINGS")
OTHER_KIND = "other"          # data-quality group of findings about files/settings

# how a value is made from numerator/denominator: count (sum), rate (num/den, 0..1),
# average and ratio (num/den, not a percentage)
KIND_OF = {code: ("rate" if code.endswith("_RATE") else
                  "average" if code == "REQ_AVG_DAYS" else
                  "ratio" if code == "VOL_RATIO" else "count")
           for code in schema.INDICATOR_LABELS}
_DIGITS = {"rate": 4, "average": 2, "ratio": 2}


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    name_en: str
    value: float | int | None          # None: denominator is 0 (nothing to measure)
    numerator: float | int | None = None
    denominator: float | int | None = None
    group: str = schema.INDICATOR_GROUP_ALL

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh

    @property
    def kind(self) -> str:
        return KIND_OF.get(self.code, "count")


def indicator(code: str, numerator: float | int, denominator: float | int | None = None,
              group: str = schema.INDICATOR_GROUP_ALL) -> Indicator:
    """Build an indicator; counts have no denominator, others get value = num / den."""
    zh, en = schema.INDICATOR_LABELS[code]
    kind = KIND_OF[code]
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
                       period_end: date) -> list[Indicator]:
    """Every indicator of docs/indicators.md for ``[period_start, period_end]``.

    Facts are counted up to the cut-off ``min(period_end, ctx.as_of)``: a date after it has not
    happened yet. Snapshot indicators (在册, 超期未办结, 超期未访 …) are taken at the cut-off.
    """
    cutoff = min(period_end, ctx.as_of)
    findings = list(findings)
    at_cutoff = ctx if cutoff == ctx.as_of else _context_at(ctx, cutoff)
    out: list[Indicator] = []
    out += request_indicators(at_cutoff, period_start, cutoff)
    out += care_indicators(at_cutoff, findings, period_start, period_end, cutoff)
    out += volunteer_indicators(at_cutoff, period_start, cutoff)
    out += quality_indicators(findings)
    return out


def _context_at(ctx, day: date):
    return Context(workspace=ctx.workspace, settings=ctx.settings, as_of=day, calendar=ctx.calendar)


def _date(record: Record, key: str, cutoff: date) -> date | None:
    """The record's date if it is a real date on or before the cut-off."""
    value = record.values.get(key)
    if isinstance(value, date) and key not in record.invalid and value <= cutoff:
        return value
    return None


# --- requests --------------------------------------------------------------------------

def request_indicators(ctx, start: date, cutoff: date) -> list[Indicator]:
    """Totals, then the same indicators per 类别 (settings order, then others, 未分类 last)."""
    known = [r for r in ctx.ledger("requests") if _date(r, "received", cutoff)]
    groups = _category_groups(ctx.settings, known)
    out = _request_group(ctx, known, start, cutoff, schema.INDICATOR_GROUP_ALL)
    for name in groups:
        members = [r for r in known if _category(r) == name]
        out += _request_group(ctx, members, start, cutoff, name)
    return out


def _category(record: Record) -> str:
    value = record.values.get("category")
    return str(value).strip() if value not in (None, "") else schema.UNCLASSIFIED_LABEL[0]


def _category_groups(settings, records: list[Record]) -> list[str]:
    seen = {_category(r) for r in records}
    ordered = [c for c in settings.category_names if c in seen]
    unclassified = schema.UNCLASSIFIED_LABEL[0]
    ordered += sorted(seen - set(ordered) - {unclassified})
    return ordered + ([unclassified] if unclassified in seen else [])


def _request_group(ctx, records: list[Record], start: date, cutoff: date,
                   group: str) -> list[Indicator]:
    settings, calendar = ctx.settings, ctx.calendar
    cohort = [r for r in records if start <= _date(r, "received", cutoff)]
    resolved = [r for r in cohort if _date(r, "resolved", cutoff)]

    ontime_num = ontime_den = 0
    for r in resolved:
        due = due_date(r, settings, calendar)
        if isinstance(due, date):
            ontime_den += 1
            ontime_num += _date(r, "resolved", cutoff) <= due

    response = [_responded(r, settings, calendar, cutoff) for r in cohort]
    rated = [r for r in cohort if r.values.get("satisfaction") in schema.SATISFACTION]
    satisfied = sum(r.values.get("satisfaction") in schema.SATISFIED for r in rated)
    unsatisfied = sum(r.values.get("satisfaction") == schema.UNSATISFIED for r in rated)

    overdue = 0
    for r in records:                  # snapshot: every request known at the cut-off
        if _date(r, "resolved", cutoff):
            continue
        due = due_date(r, settings, calendar)
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
        indicator("REQ_RESOLVED_RATE", len(resolved), len(cohort), group),
        indicator("REQ_ONTIME_RATE", ontime_num, ontime_den, group),
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

def care_indicators(ctx, findings: list[Finding], start: date, end: date,
                    cutoff: date) -> list[Indicator]:
    care = ctx.care
    registered = sorted((r for r in care.residents if care.on_register(r)),
                        key=lambda r: (str(r.id), r.file, r.sheet, r.row))
    old_age = ctx.settings.thresholds.old_age
    tiers = {id(r): care.tier(r) for r in registered}
    due = {id(r): _visit_state(care, r, tiers[id(r)], end, cutoff) for r in registered}

    def tally(members: list[Record], group: str) -> list[Indicator]:
        overdue = sum(due[id(r)] == "overdue" for r in members)
        return [
            indicator("CARE_REGISTERED", len(members), group=group),
            indicator("CARE_DUE", sum(due[id(r)] in ("overdue", "due") for r in members),
                      group=group),
            indicator("CARE_ONTIME_RATE", len(members) - overdue, len(members), group),
            indicator("CARE_OVERDUE", overdue, group=group),
        ]

    by_code = {i.code: i for i in tally(registered, schema.INDICATOR_GROUP_ALL)}
    alone = sum(care.lives_alone(r) for r in registered)
    old = sum(_is_old(care.age(r), old_age) for r in registered)
    bp = sum(_abnormal_bp_in(care.visits_of(r), ctx.settings.thresholds, start, cutoff)
             for r in registered)
    urgent = sum(1 for f in findings if f.urgent)
    out = [by_code["CARE_REGISTERED"], indicator("CARE_ALONE", alone), indicator("CARE_OLD", old),
           by_code["CARE_DUE"], by_code["CARE_ONTIME_RATE"], by_code["CARE_OVERDUE"],
           indicator("CARE_BP_ABNORMAL", bp), indicator("CARE_URGENT", urgent)]
    for tier in schema.TIERS:
        out += tally([r for r in registered if tiers[id(r)] == tier], tier)
    return out


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


def _abnormal_bp_in(visits: Iterable[Record], th, start: date, cutoff: date) -> bool:
    for v in visits:
        day = _date(v, "date", cutoff)
        pair = bp_of(v)
        if day is None or day < start or pair is None:
            continue
        if bp_class(pair, th) is not None:
            return True
    return False


# --- volunteers ------------------------------------------------------------------------

def volunteer_indicators(ctx, start: date, cutoff: date) -> list[Indicator]:
    care = ctx.care
    active = sum(1 for v in care.volunteers if care.is_active(v))
    visits = [v for v in ctx.ledger("visits")
              if (day := _date(v, "date", cutoff)) is not None and day >= start]
    hours = 0.0
    for v in visits:
        value = v.values.get("hours")
        if isinstance(value, (int, float)) and not isinstance(value, bool) \
                and "hours" not in v.invalid and value > 0:
            hours += value
    key_residents = sum(1 for r in care.residents
                        if care.on_register(r) and care.tier(r) in ("A", "B"))
    return [indicator("VOL_ACTIVE", active), indicator("VOL_SERVICES", len(visits)),
            indicator("VOL_HOURS", round(hours, 2)),
            indicator("VOL_RATIO", key_residents, active)]


# --- data quality ----------------------------------------------------------------------

def quality_indicators(findings: list[Finding]) -> list[Indicator]:
    """Errors and warnings, in total and per ledger (``other``: files and settings)."""
    def kind_of(f: Finding) -> str:
        return f.kind if f.kind in schema.KINDS else OTHER_KIND

    out = [indicator("DQ_ERRORS", sum(f.severity == "error" for f in findings)),
           indicator("DQ_WARNINGS", sum(f.severity == "warning" for f in findings))]
    for kind in schema.KINDS + (OTHER_KIND,):
        mine = [f for f in findings if kind_of(f) == kind]
        out += [indicator("DQ_ERRORS", sum(f.severity == "error" for f in mine), group=kind),
                indicator("DQ_WARNINGS", sum(f.severity == "warning" for f in mine), group=kind)]
    return out


def group_label(group: str, lang: str = "zh") -> str:
    """How a group is shown: ledger kinds and tiers get their label, categories stay."""
    if group in schema.KIND_LABELS:
        return schema.label(schema.KIND_LABELS[group], lang)
    if group == OTHER_KIND:
        return schema.label(schema.OTHER_KIND_LABEL, lang)
    if group in schema.TIER_LABELS:
        return schema.label(schema.TIER_LABELS[group], lang)
    if group == schema.UNCLASSIFIED_LABEL[0]:
        return schema.label(schema.UNCLASSIFIED_LABEL, lang)
    return group


def as_map(indicators: Iterable[Indicator], group: str = schema.INDICATOR_GROUP_ALL) -> dict:
    """``{code: Indicator}`` of one group (default: the community totals)."""
    return {i.code: i for i in indicators if i.group == group}

