"""The request lifecycle 梳理分类 → 分派研究 → 跟踪解决 → 答复反馈 (domain layer).

Rules R201–R211 (toolkit/check/requests.py), follow-ups, reports and history all ask these
functions (see docs/requests.md):

- ``stage(r)``            0..4, the furthest stage whose fields are filled
- ``stage_date(r, k)``    the date stage ``k`` was reached, for SLAs (empty date → previous stage's)
- ``due_date(r, settings, calendar)``        办理时限 (a date, or days after 分派), else category
                                             limit after 分派, else None
- ``stage_deadline(r, settings, calendar)``  when the current stage's next step is due
- ``is_open(r)``          not yet replied, or reopened (状态 重办)
- ``expected_status(r)``  the 状态 the filled fields imply

A value that failed to parse (key in ``r.invalid``, already reported as D102/D109) still counts
as *filled* for the stage, but is never used as a value: no SLA is computed from it.
"""
from __future__ import annotations

from datetime import date, datetime

from toolkit import schema
from toolkit.model import Record
from toolkit.settings import Settings
from toolkit.workdays import Period, WorkCalendar

__all__ = ["RequestIndex", "stage", "stage_date", "due_date", "stage_deadline", "is_open", "expected_status",
           "STAGE_FIELDS", "STAGE_DATES", "kept", "has_column", "EXPECTED_STATUS", "filled",
           "date_of", "text_of", "period_of",
           "status_of", "status_rank", "category_of", "category_limit", "category_owner"]

# fields whose being filled means the stage is reached; the first is the one R205 names
STAGE_FIELDS: dict[int, tuple[str, ...]] = schema.REQUEST_STAGE_FIELDS
# the date of each stage, in the order they must run (登记 ≤ 分类 ≤ 分派 ≤ 办结 ≤ 答复)
STAGE_DATES: dict[int, str] = {0: "received", 1: "classified", 2: "assigned", 3: "resolved",
                               4: "replied"}
# stage -> the status it implies: 待分类, 待分派, 办理中, 已办结, 已答复 (schema order)
EXPECTED_STATUS: dict[int, str] = dict(zip(schema.STAGES, schema.REQUEST_STATUSES))


# ---------------------------------------------------------------------------------------
# public helpers

def stage(r: Record) -> int:
    """The furthest stage (0..4) any of whose fields is filled (see ``STAGE_FIELDS``)."""
    for k in (4, 3, 2, 1):
        if any(filled(r, key) for key in STAGE_FIELDS[k]):
            return k
    return 0


def kept(r: Record, k: int) -> bool:
    """Whether the request's sheet keeps stage ``k`` at all: it has a column for at least one
    of the stage's fields. A sheet without any (a ledger that never kept 类别 or 分类日期) gets
    one F004 "stage" notice from the reader; no per-row finding asks to fill or chase a stage
    the sheet has no cell for. A record built without cells keeps every stage."""
    return not r.cells or any(key in r.cells for key in STAGE_FIELDS.get(k, ()))


def has_column(r: Record, key: str) -> bool:
    """Whether the request's sheet has ``key``'s column (a record without cells: assumed)."""
    return not r.cells or key in r.cells


def stage_date(r: Record, k: int) -> date | None:
    """The date stage ``k`` was reached, used for SLAs.

    The stage's own date when filled; when it is empty, the previous stage's date (down to
    登记日期). None when a date on the way failed to parse (no SLA from an unreadable date).
    """
    for j in range(k, -1, -1):
        key = STAGE_DATES[j]
        if key in r.invalid:
            return None
        value = date_of(r, key)
        if value is not None:
            return value
    return None


def due_date(r: Record, settings: Settings, calendar: WorkCalendar) -> date | None:
    """办理时限: the 办理时限 cell; else, once assigned (stage ≥ 2), the category's
    办理时限(工作日) counted from the 分派 date (``stage_date(r, 2)``); else None.

    A 办理时限 written as a number of days (``period_of``: 15个工作日, 3天) is counted from the
    same start as the category limit (working or calendar days as written), once assigned.
    An unreadable 办理时限 cell gives None (it is reported as D102, not guessed).
    """
    if "due" in r.invalid:
        return None
    written = date_of(r, "due")
    if written is not None:
        return written
    if stage(r) < 2:
        return None
    start = stage_date(r, 2)
    period = period_of(r)
    if period is not None:
        return period.end(start, calendar) if start is not None else None
    limit = category_limit(r, settings)
    if limit is None or start is None:
        return None
    return calendar.add_workdays(start, limit)


def period_of(r: Record, key: str = "due") -> Period | None:
    """A limit written as a number of days (办理时限 ``15个工作日``), else None."""
    value = r.values.get(key) if key not in r.invalid else None
    return value if isinstance(value, Period) else None


def is_open(r: Record) -> bool:
    """Not yet replied (stage < 4), or reopened (状态 重办)."""
    return _open_at(r, stage(r))


def _open_at(r: Record, k: int) -> bool:
    """``is_open`` of a request whose stage ``k`` is known already."""
    return k < 4 or status_of(r) == schema.REOPENED


def expected_status(r: Record) -> str:
    """The 状态 the filled fields imply: 待分类 / 待分派 / 办理中 / 已办结 / 已答复."""
    return EXPECTED_STATUS[stage(r)]


def stage_deadline(r: Record, settings: Settings, calendar: WorkCalendar) -> date | None:
    """The last day for the current stage's next step: classify (stage 0), assign (1),
    resolve (2: ``due_date``), reply (3). None at stage 4 and when no date can be used."""
    s = stage(r)
    if s == 2:
        return due_date(r, settings, calendar)
    days = {0: settings.classify_days, 1: settings.assign_days, 3: settings.reply_days}.get(s)
    start = stage_date(r, s)
    if days is None or start is None:
        return None
    return calendar.add_workdays(start, days)


class RequestIndex:
    """The open requests of a run by stage (``ctx.lifecycle``), each request's stage worked
    out once: the SLA rules ask for the open requests at one stage, six times a run."""

    def __init__(self, records: list[Record]):
        self._open: dict[int, list[Record]] = {}
        for r in records:
            k = stage(r)
            if _open_at(r, k):
                self._open.setdefault(k, []).append(r)

    def open_at(self, k: int) -> list[Record]:
        """Open requests (``is_open``) whose stage is ``k``, in ledger order. Do not change it."""
        return self._open.get(k, [])


# ---------------------------------------------------------------------------------------
# field helpers (a value that failed to parse counts as filled, never as a value)

def filled(r: Record, key: str) -> bool:
    """A cell counts as filled when it holds a value, or held one that failed to parse; a
    stage field holding a "not yet" word (``schema.PENDING_WORDS``: 未办结, 未回访, 暂无, 待定)
    is empty: the step has not been taken."""
    if key in r.invalid:              # 未办结 in a date column: a D102, held no value
        return not (key in STAGE_KEYS and not_yet(r.raw(key)))
    value = r.values.get(key)
    if value is None:
        return False
    if isinstance(value, str):        # 暂无, 待定 in a text column: read as written
        text = value.strip()
        return bool(text) and text not in schema.EMPTY_MARKS \
            and not (key in STAGE_KEYS and not_yet(text))
    if isinstance(value, (set, frozenset, tuple, list)):
        return bool(value)
    return True


# the stage fields (类别 … 满意度), for ``filled`` and for the rules and reports
STAGE_KEYS = frozenset(key for keys in STAGE_FIELDS.values() for key in keys)


def not_yet(raw) -> bool:
    """True for a stage cell's whole text saying the step is not taken yet (未办结, 待定, 未分类,
    待回访 …: ``schema.PENDING_WORDS``): the stage is not reached, and no listed value was
    meant — D109 is silent on it (docs/requests.md)."""
    return type(raw) is str and len(raw) <= 8 \
        and schema.PENDING_WORDS.fullmatch(raw.strip().replace(" ", "")) is not None


def date_of(r: Record, key: str) -> date | None:
    """A usable date, or None (empty or unreadable)."""
    if key in r.invalid:
        return None
    value = r.values.get(key)
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None

def text_of(r: Record, key: str) -> str | None:
    if key in r.invalid or not filled(r, key):
        return None
    return str(r.values[key]).strip()

def status_of(r: Record) -> str | None:
    return text_of(r, "status")

def status_rank(status: str) -> int:
    """The stage a written status claims (重办: at least 分派研究)."""
    if status == schema.REOPENED:
        return 2
    return next((k for k, s in EXPECTED_STATUS.items() if s == status), 0)

def category_of(r: Record, settings: Settings):
    name = text_of(r, "category")
    return settings.category(name) if name else None

def category_limit(r: Record, settings: Settings) -> int | None:
    cat = category_of(r, settings)
    return cat.limit_days if cat is not None else None

def category_owner(r: Record, settings: Settings) -> str | None:
    cat = category_of(r, settings)
    return (cat.owner or None) if cat is not None else None
