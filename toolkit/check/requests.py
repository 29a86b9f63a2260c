"""Rules R201–R211: the request closed loop 梳理分类 → 分派研究 → 跟踪解决 → 答复反馈.

Public helpers (reports and follow-ups import them; see docs/requests.md):

- ``stage(r)``            0..4, the furthest stage whose fields are filled
- ``stage_date(r, k)``    the date stage ``k`` was reached, for SLAs (empty date → previous stage's)
- ``due_date(r, settings, calendar)``        办理时限, else category limit after 分派, else None
- ``stage_deadline(r, settings, calendar)``  when the current stage's next step is due
- ``is_open(r)``          not yet replied, or reopened (状态 重办)
- ``expected_status(r)``  the 状态 the filled fields imply

A value that failed to parse (key in ``r.invalid``, already reported as D102/D109) still counts
as *filled* for the stage, but is never used as a value: no SLA is computed from it.
"""
from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any, Iterator

from toolkit import schema
from toolkit.check import rule
from toolkit.check.context import Context
from toolkit.model import Finding, Record, Text, finding
from toolkit.settings import Settings
from toolkit.workdays import WorkCalendar

__all__ = ["stage", "stage_date", "due_date", "stage_deadline", "is_open", "expected_status",
           "STAGE_FIELDS", "STAGE_DATES", "EXPECTED_STATUS", "REPEAT_WINDOW_DAYS", "DUE_SOON_DAYS"]

KIND = "requests"
# fields whose being filled means the stage is reached; the first is the one R205 names
STAGE_FIELDS: dict[int, tuple[str, ...]] = {
    1: ("category", "classified"),
    2: ("assignee", "assigned"),
    3: ("resolved", "resolution"),
    4: ("replied", "reply_method", "satisfaction"),
}
# the date of each stage, in the order they must run (登记 ≤ 分类 ≤ 分派 ≤ 办结 ≤ 答复)
STAGE_DATES: dict[int, str] = {0: "received", 1: "classified", 2: "assigned", 3: "resolved",
                               4: "replied"}
# stage -> the status it implies: 待分类, 待分派, 办理中, 已办结, 已答复 (schema order)
EXPECTED_STATUS: dict[int, str] = dict(zip(schema.STAGES, schema.REQUEST_STATUSES))
REPEAT_WINDOW_DAYS = 30     # R210: calendar days between two requests about the same place
DUE_SOON_DAYS = 2           # R211: working days ahead


# ---------------------------------------------------------------------------------------
# public helpers

def stage(r: Record) -> int:
    """The furthest stage (0..4) any of whose fields is filled (see ``STAGE_FIELDS``)."""
    for k in (4, 3, 2, 1):
        if any(_filled(r, key) for key in STAGE_FIELDS[k]):
            return k
    return 0


def stage_date(r: Record, k: int) -> date | None:
    """The date stage ``k`` was reached, used for SLAs.

    The stage's own date when filled; when it is empty, the previous stage's date (down to
    登记日期). None when a date on the way failed to parse (no SLA from an unreadable date).
    """
    for j in range(k, -1, -1):
        key = STAGE_DATES[j]
        if key in r.invalid:
            return None
        value = _date(r, key)
        if value is not None:
            return value
    return None


def due_date(r: Record, settings: Settings, calendar: WorkCalendar) -> date | None:
    """办理时限: the 办理时限 cell; else, once assigned (stage ≥ 2), the category's
    办理时限(工作日) counted from the 分派 date (``stage_date(r, 2)``); else None.

    An unreadable 办理时限 cell gives None (it is reported as D102, not guessed).
    """
    if "due" in r.invalid:
        return None
    written = _date(r, "due")
    if written is not None:
        return written
    if stage(r) < 2:
        return None
    limit = _category_limit(r, settings)
    start = stage_date(r, 2)
    if limit is None or start is None:
        return None
    return calendar.add_workdays(start, limit)


def is_open(r: Record) -> bool:
    """Not yet replied (stage < 4), or reopened (状态 重办)."""
    return stage(r) < 4 or _status(r) == schema.REOPENED


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


# ---------------------------------------------------------------------------------------
# rules

@rule("R201")
def not_classified(ctx: Context) -> Iterator[Finding]:
    """R201: not classified ``classify_days`` working days after 登记."""
    for r in _open(ctx, 0):
        late = _late(ctx, stage_date(r, 0), ctx.settings.classify_days)
        if late is None:
            continue
        deadline, days = late
        yield finding("R201", Text(
            f"{_d(r, 'received')}登记，{ctx.settings.classify_days}个工作日内应梳理分类"
            f"（最迟{deadline}），{_late_zh(days)}，类别仍为空",
            f"received {_d(r, 'received')}; should have been classified within "
            f"{ctx.settings.classify_days} working days (by {deadline}); {_late_en(days)}; "
            f"no category yet"), record=r, key="category", fix=Text(
            f"梳理诉求内容，填写“{_h(r, 'category')}”和“{_h(r, 'classified')}”",
            f"read the request and fill in {_h(r, 'category')} and {_h(r, 'classified')}"))


@rule("R202")
def not_assigned(ctx: Context) -> Iterator[Finding]:
    """R202: classified but not assigned ``assign_days`` working days after 分类."""
    for r in _open(ctx, 1):
        late = _late(ctx, stage_date(r, 1), ctx.settings.assign_days)
        if late is None:
            continue
        deadline, days = late
        owner = _category_owner(r, ctx.settings)
        yield finding("R202", Text(
            f"{_since_zh(r, 1)}，{ctx.settings.assign_days}个工作日内应分派（最迟{deadline}），"
            f"{_late_zh(days)}，责任人仍为空",
            f"{_since_en(r, 1)}; should have been assigned within {ctx.settings.assign_days} "
            f"working days (by {deadline}); {_late_en(days)}; no assignee yet"),
            record=r, key="assignee", fix=Text(
            (f"分派给“{owner}”（设置中该类别的默认责任人），" if owner else "确定责任人，")
            + f"填写“{_h(r, 'assignee')}”和“{_h(r, 'assigned')}”",
            (f"assign it to {owner} (the category's default owner in settings) and " if owner
             else "decide who handles it and ") + f"fill in {_h(r, 'assignee')} and "
            f"{_h(r, 'assigned')}"))


@rule("R203")
def past_due(ctx: Context) -> Iterator[Finding]:
    """R203: assigned, past its 办理时限 and not resolved."""
    for r in _open(ctx, 2):
        due = due_date(r, ctx.settings, ctx.calendar)
        if due is None or ctx.as_of <= due:
            continue
        days = ctx.calendar.workdays_between(due, ctx.as_of)
        who = _who(r)
        yield finding("R203", Text(
            f"办理时限{due}（{_due_source_zh(r, ctx.settings)}）已过，{_late_zh(days)}，"
            f"仍未办结；责任人：{who.zh}",
            f"due {due} ({_due_source_en(r, ctx.settings)}); {_late_en(days)}; not resolved; "
            f"assignee: {who.en}"), record=r, key="resolved", fix=Text(
            f"催办{who.zh}；办结后填写“{_h(r, 'resolved')}”和“{_h(r, 'resolution')}”",
            f"chase {who.en}; when done fill in {_h(r, 'resolved')} and {_h(r, 'resolution')}"))


@rule("R204")
def not_replied(ctx: Context) -> Iterator[Finding]:
    """R204: resolved but no reply ``reply_days`` working days after 办结."""
    for r in _open(ctx, 3):
        late = _late(ctx, stage_date(r, 3), ctx.settings.reply_days)
        if late is None:
            continue
        deadline, days = late
        yield finding("R204", Text(
            f"{_since_zh(r, 3)}，{ctx.settings.reply_days}个工作日内应答复居民（最迟{deadline}），"
            f"{_late_zh(days)}，闭环未完成；责任人：{_who(r).zh}",
            f"{_since_en(r, 3)}; the resident should have had a reply within "
            f"{ctx.settings.reply_days} working days (by {deadline}); {_late_en(days)}; "
            f"the loop is open; assignee: {_who(r).en}"), record=r, key="replied")


@rule("R205")
def stage_skipped(ctx: Context) -> Iterator[Finding]:
    """R205: a later stage filled while an earlier one is empty (one finding per record)."""
    for r in ctx.ledger(KIND):
        s = stage(r)
        missing = next((k for k in range(1, s) if not any(_filled(r, key)
                                                           for key in STAGE_FIELDS[k])), None)
        if missing is None:
            continue
        later = next(key for key in STAGE_FIELDS[s] if _filled(r, key))
        need = STAGE_FIELDS[missing][0]
        zh_stage, en_stage = schema.STAGE_LABELS[missing]
        yield finding("R205", Text(
            f"已填写“{_h(r, later)}”（{schema.STAGE_LABELS[s][0]}），"
            f"但前面的“{_h(r, need)}”（{zh_stage}）为空",
            f"{_h(r, later)} ({schema.STAGE_LABELS[s][1]}) is filled but the earlier "
            f"{_h(r, need)} ({en_stage}) is empty"), record=r, key=need, fix=Text(
            f"补填“{_h(r, need)}”" + _and_date_zh(r, missing),
            f"fill in {_h(r, need)}" + _and_date_en(r, missing)))


@rule("R206")
def dates_out_of_order(ctx: Context) -> Iterator[Finding]:
    """R206: a stage date earlier than the nearest earlier-stage date that is filled."""
    for r in ctx.ledger(KIND):
        previous: str | None = None
        for k in sorted(STAGE_DATES):
            key = STAGE_DATES[k]
            if _date(r, key) is None:
                continue
            if previous is not None and _date(r, key) < _date(r, previous):
                yield finding("R206", Text(
                    f"“{_h(r, key)}”{_date(r, key)}早于“{_h(r, previous)}”{_date(r, previous)}",
                    f"{_h(r, key)} {_date(r, key)} is before {_h(r, previous)} "
                    f"{_date(r, previous)}"), record=r, key=key, fix=Text(
                    f"核对这两个日期（年份、月份是否写错）：{_h(r, previous)} 应不晚于 {_h(r, key)}",
                    f"check both dates (year, month): {_h(r, previous)} must not be after "
                    f"{_h(r, key)}"))
            previous = key


@rule("R207")
def status_contradicts(ctx: Context) -> Iterator[Finding]:
    """R207: the written 状态 does not match the filled fields (empty 状态: nothing to say)."""
    for r in ctx.ledger(KIND):
        written, s = _status(r), stage(r)
        if written is None or written not in schema.REQUEST_STATUSES:
            continue   # empty, unreadable or not in the list (D109)
        if written == schema.REOPENED:
            if s >= 2:
                continue
        elif written == EXPECTED_STATUS[s]:
            continue
        elif written == EXPECTED_STATUS[3] and s == 4:
            continue   # 已办结 (办结, 已完成 …) stays true once the reply is made: not a contradiction
        expected = EXPECTED_STATUS[s]
        zh_stage, en_stage = schema.STAGE_LABELS[s]
        yield finding("R207", Text(
            f"状态写的是“{written}”，但已填内容只到“{zh_stage}”（第{s}步），应为“{expected}”"
            if _rank(written) > s else
            f"状态写的是“{written}”，但已填内容已到“{zh_stage}”（第{s}步），应为“{expected}”",
            f"status says {written} but the filled fields reach {en_stage} (stage {s}): "
            f"{expected}"), record=r, key="status", fix=Text(
            f"把状态改为“{expected}”" + _or_fill_zh(r, written, s),
            f"set the status to {expected}" + _or_fill_en(r, written, s)))


@rule("R208")
def no_due_date(ctx: Context) -> Iterator[Finding]:
    """R208: assigned, not resolved, no 办理时限 and no category limit in settings."""
    for r in _open(ctx, 2):
        if _filled(r, "due") or _category_limit(r, ctx.settings) is not None:
            continue
        why = _no_limit_reason(r, ctx.settings)
        yield finding("R208", Text(
            f"已分派给{_who(r).zh}，但“{_h(r, 'due')}”为空，且{why.zh}，无法判断是否超期",
            f"assigned to {_who(r).en} but {_h(r, 'due')} is empty and {why.en}; "
            f"cannot tell whether it is late"), record=r, key="due")


@rule("R209")
def unsatisfied_not_reopened(ctx: Context) -> Iterator[Finding]:
    """R209: resident 不满意 and 状态 is not 重办."""
    for r in ctx.ledger(KIND):
        if "satisfaction" in r.invalid or r.values.get("satisfaction") != schema.UNSATISFIED:
            continue
        if _status(r) == schema.REOPENED:
            continue
        when = _date(r, "replied")
        written = _status(r)
        yield finding("R209", Text(
            "居民对答复不满意" + (f"（{when}答复）" if when else "") + "，"
            + (f"状态为“{written}”，" if written else "状态为空，") + "诉求未重办",
            "the resident is unsatisfied" + (f" (reply {when})" if when else "") + "; "
            + (f"status is {written}; " if written else "status is empty; ")
            + "the request has not been reopened"), record=r, key="status")


@rule("R210")
def possible_repeat(ctx: Context) -> Iterator[Finding]:
    """R210 (info): same 小区 + 地址 + 类别 as an earlier open request within 30 days."""
    groups: dict[tuple[str, str, str], list[Record]] = {}
    for r in ctx.ledger(KIND):
        key = _repeat_key(r)
        if key is not None and is_open(r) and _date(r, "received") is not None:
            groups.setdefault(key, []).append(r)
    for members in groups.values():
        members.sort(key=lambda m: (_date(m, "received"), m.file, m.sheet, m.row))
        for i, later in enumerate(members):
            earlier = [e for e in members[:i]
                       if (_date(later, "received") - _date(e, "received")).days
                       <= REPEAT_WINDOW_DAYS and not _same_id(e, later)]
            if earlier:
                yield _repeat_finding(later, earlier)


@rule("R211")
def due_soon(ctx: Context) -> Iterator[Finding]:
    """R211 (info): due within the next 2 working days and not resolved."""
    horizon = ctx.calendar.add_workdays(ctx.as_of, DUE_SOON_DAYS)
    for r in _open(ctx, 2):
        due = due_date(r, ctx.settings, ctx.calendar)
        if due is None or not ctx.as_of <= due <= horizon:
            continue
        left = ctx.calendar.workdays_between(ctx.as_of, due)
        yield finding("R211", Text(
            f"办理时限{due}（{_due_source_zh(r, ctx.settings)}），"
            + ("今天到期" if due == ctx.as_of else f"还剩{left}个工作日")
            + f"，尚未办结；责任人：{_who(r).zh}",
            f"due {due} ({_due_source_en(r, ctx.settings)}), "
            + ("today" if due == ctx.as_of else f"{left} working day(s) left")
            + f"; not resolved; assignee: {_who(r).en}"), record=r, key="resolved", fix=Text(
            f"提醒{_who(r).zh}在{due}前办结，办结后填写“{_h(r, 'resolved')}”",
            f"remind {_who(r).en} to finish by {due}, then fill in {_h(r, 'resolved')}"))


# ---------------------------------------------------------------------------------------
# internals

def _filled(r: Record, key: str) -> bool:
    """A cell counts as filled when it holds a value, or held one that failed to parse."""
    if key in r.invalid:
        return True
    value = r.values.get(key)
    if value is None:
        return False
    if isinstance(value, str):
        text = value.strip()
        return bool(text) and text not in schema.EMPTY_MARKS
    if isinstance(value, (set, frozenset, tuple, list)):
        return bool(value)
    return True


def _date(r: Record, key: str) -> date | None:
    """A usable date, or None (empty or unreadable)."""
    if key in r.invalid:
        return None
    value = r.values.get(key)
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _text(r: Record, key: str) -> str | None:
    if key in r.invalid or not _filled(r, key):
        return None
    return str(r.values[key]).strip()


def _status(r: Record) -> str | None:
    return _text(r, "status")


def _rank(status: str) -> int:
    """The stage a written status claims (重办: at least 分派研究)."""
    if status == schema.REOPENED:
        return 2
    return next((k for k, s in EXPECTED_STATUS.items() if s == status), 0)


def _open(ctx: Context, at_stage: int) -> Iterator[Record]:
    """Open requests whose stage is ``at_stage`` (the ones SLA rules look at)."""
    for r in ctx.ledger(KIND):
        if stage(r) == at_stage and is_open(r):
            yield r


def _late(ctx: Context, start: date | None, days: int) -> tuple[date, int] | None:
    """(deadline, working days late) when ``as_of`` is after ``days`` working days from start."""
    if start is None:
        return None
    deadline = ctx.calendar.add_workdays(start, days)
    if ctx.as_of <= deadline:
        return None
    return deadline, ctx.calendar.workdays_between(deadline, ctx.as_of)


def _late_zh(days: int) -> str:
    return f"已超期{days}个工作日" if days else "已过期限（其后均为休息日）"


def _late_en(days: int) -> str:
    return f"{days} working day(s) late" if days else "past the deadline (rest days since)"


def _category(r: Record, settings: Settings):
    name = _text(r, "category")
    return settings.category(name) if name else None


def _category_limit(r: Record, settings: Settings) -> int | None:
    cat = _category(r, settings)
    return cat.limit_days if cat is not None else None


def _category_owner(r: Record, settings: Settings) -> str | None:
    cat = _category(r, settings)
    return (cat.owner or None) if cat is not None else None


def _no_limit_reason(r: Record, settings: Settings) -> Text:
    name = _text(r, "category")
    if name is None:
        return Text("类别为空", "the category is empty")
    if settings.category(name) is None:
        return Text(f"类别“{name}”不在设置的诉求类别中", f"category {name} is not in the settings")
    return Text(f"设置中类别“{name}”没有填办理时限", f"category {name} has no limit in the settings")


def _due_source_zh(r: Record, settings: Settings) -> str:
    if _date(r, "due") is not None:
        return f"台账填写的{_h(r, 'due')}"
    cat = _category(r, settings)
    return f"类别“{cat.name}”{cat.limit_days}个工作日，自{_since_zh(r, 2)}起算"


def _due_source_en(r: Record, settings: Settings) -> str:
    if _date(r, "due") is not None:
        return f"{_h(r, 'due')} in the ledger"
    cat = _category(r, settings)
    return f"category {cat.name}: {cat.limit_days} working days from {_since_en(r, 2)}"


def _since_zh(r: Record, k: int) -> str:
    """'分派日期2026-11-05' or, when the stage's date is empty, which date stands in for it."""
    start, own = stage_date(r, k), STAGE_DATES[k]
    if _date(r, own) is not None:
        return f"{_h(r, own)}{start}"
    source = next(STAGE_DATES[j] for j in range(k - 1, -1, -1) if _date(r, STAGE_DATES[j]))
    return f"“{_h(r, own)}”为空，按“{_h(r, source)}”{start}计"


def _since_en(r: Record, k: int) -> str:
    start, own = stage_date(r, k), STAGE_DATES[k]
    if _date(r, own) is not None:
        return f"{_h(r, own)} {start}"
    source = next(STAGE_DATES[j] for j in range(k - 1, -1, -1) if _date(r, STAGE_DATES[j]))
    return f"{_h(r, own)} empty, counted from {_h(r, source)} {start}"


def _who(r: Record) -> Text:
    name = _text(r, "assignee")
    return Text(name, name) if name else Text("未填写", "not given")


def _and_date_zh(r: Record, k: int) -> str:
    other = [key for key in STAGE_FIELDS[k][1:2] if not _filled(r, key)]
    return f"和“{_h(r, other[0])}”" if other else ""


def _and_date_en(r: Record, k: int) -> str:
    other = [key for key in STAGE_FIELDS[k][1:2] if not _filled(r, key)]
    return f" and {_h(r, other[0])}" if other else ""


def _or_fill_zh(r: Record, written: str, s: int) -> str:
    target = _rank(written)
    if target <= s:
        return ""
    return "，或补填“" + "”“".join(_h(r, STAGE_FIELDS[k][0]) for k in range(s + 1, target + 1)) + "”"


def _or_fill_en(r: Record, written: str, s: int) -> str:
    target = _rank(written)
    if target <= s:
        return ""
    return ", or fill in " + ", ".join(_h(r, STAGE_FIELDS[k][0]) for k in range(s + 1, target + 1))


def _h(r: Record, key: str) -> str:
    """The column's header as the clerk wrote it (canonical header when the column is absent)."""
    cell = r.cells.get(key)
    return cell.header if cell is not None and cell.header else schema.REQUESTS.column(key).header


def _d(r: Record, key: str) -> Any:
    return _date(r, key)


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _repeat_key(r: Record) -> tuple[str, str, str] | None:
    parts = tuple(_text(r, key) for key in ("estate", "address", "category"))
    if any(p is None or not _norm(p) for p in parts):
        return None
    return tuple(_norm(p) for p in parts)


def _same_id(a: Record, b: Record) -> bool:
    return a.id is not None and str(a.id).strip() == str(b.id or "").strip()


def _ref(r: Record) -> Text:
    if r.id:
        return Text(str(r.id), str(r.id))
    return Text(f"{r.sheet}第{r.row}行", f"{r.sheet} row {r.row}")


def _repeat_finding(later: Record, earlier: list[Record]) -> Finding:
    refs = [(_ref(e), _date(e, "received")) for e in earlier]
    zh = "、".join(f"{ref.zh}（{when}登记）" for ref, when in refs)
    en = ", ".join(f"{ref.en} (received {when})" for ref, when in refs)
    return finding("R210", Text(
        f"与{REPEAT_WINDOW_DAYS}天内的未结诉求{zh}同小区、同地址、同类别，可能是重复反映",
        f"same estate, address and category as open request(s) {en} within "
        f"{REPEAT_WINDOW_DAYS} days: possibly a repeat"), record=later, key="content", fix=Text(
        f"核对是否与{refs[0][0].zh}为同一问题，是则合并办理、一并答复",
        f"check whether it is the same issue as {refs[0][0].en}; if so handle and reply together"))
