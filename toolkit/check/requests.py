"""Rules R201–R211: the request closed loop 梳理分类 → 分派研究 → 跟踪解决 → 答复反馈.

What a request's stage is, when it is due and whether it is open lives in
``toolkit.domain.requests`` (reports and follow-ups use it too); this module only holds the
rules. A value that failed to parse (key in ``r.invalid``, already reported as D102/D109)
still counts as *filled* for the stage, but is never used as a value.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from datetime import date
from typing import Any, Iterator

from toolkit import schema
from toolkit.check import as_written, rule
from toolkit.domain.context import Context
from toolkit.domain.requests import (EXPECTED_STATUS, STAGE_DATES, STAGE_FIELDS, category_limit,
                                     category_of, category_owner, date_of, due_date, filled,
                                     has_column, kept, period_of, stage, stage_date, status_of,
                                     status_rank, text_of)
from toolkit.domain.similarity import SimilarPairs, bigrams
from toolkit.model import Finding, Record, Text, finding
from toolkit.settings import Settings

KIND = "requests"
REPEAT_WINDOW_DAYS = 30     # R210: calendar days between two requests about the same place
DUE_SOON_DAYS = 2           # R211: working days ahead


# ---------------------------------------------------------------------------------------
# rules

@rule("R201")
def not_classified(ctx: Context) -> Iterator[Finding]:
    """R201: not classified ``classify_days`` working days after 登记."""
    for r in _open(ctx, 0):
        late = _overdue(ctx, stage_date(r, 0), ctx.settings.classify_days)
        if late is None:
            continue
        deadline, days = late
        yield finding("R201", record=r, key="category", params={
            "received": _d(r, "received"), "days": ctx.settings.classify_days,
            "deadline": deadline, "late": _late(days), "late_days": days,
            "category": _h(r, "category"), "classified": _h(r, "classified")})


@rule("R202")
def not_assigned(ctx: Context) -> Iterator[Finding]:
    """R202: classified but not assigned ``assign_days`` working days after 分类."""
    for r in _open(ctx, 1):
        late = _overdue(ctx, stage_date(r, 1), ctx.settings.assign_days)
        if late is None:
            continue
        deadline, days = late
        owner = category_owner(r, ctx.settings)
        yield finding("R202", record=r, key="assignee", variant="owner" if owner else None,
                      params={"since": _since(r, 1), "days": ctx.settings.assign_days,
                              "deadline": deadline, "late": _late(days), "late_days": days,
                              "owner": owner, "assignee": _h(r, "assignee"),
                              "assigned": _h(r, "assigned")})


@rule("R203")
def past_due(ctx: Context) -> Iterator[Finding]:
    """R203: assigned, past its 办理时限 and not resolved."""
    for r in _open(ctx, 2):
        due = due_date(r, ctx.settings, ctx.calendar)
        if due is None or ctx.as_of <= due:
            continue
        days = ctx.calendar.workdays_between(due, ctx.as_of)
        yield finding("R203", record=r, key="resolved", params={
            "due": due, "due_source": _due_source(r, ctx.settings), "late": _late(days),
            "late_days": days, "who": _who(r), "resolved": _h(r, "resolved"),
            "resolution": _h(r, "resolution")})


@rule("R204")
def not_replied(ctx: Context) -> Iterator[Finding]:
    """R204: resolved but no reply ``reply_days`` working days after 办结."""
    for r in _open(ctx, 3):
        late = _overdue(ctx, stage_date(r, 3), ctx.settings.reply_days)
        if late is None:
            continue
        deadline, days = late
        yield finding("R204", record=r, key="replied", params={
            "since": _since(r, 3), "days": ctx.settings.reply_days, "deadline": deadline,
            "late": _late(days), "late_days": days, "who": _who(r)})


@rule("R205")
def stage_skipped(ctx: Context) -> Iterator[Finding]:
    """R205: a later stage filled while an earlier one is empty (one finding per record)."""
    for r in ctx.ledger(KIND):
        s = stage(r)
        missing = next((k for k in range(1, s) if not any(
            filled(r, key) for key in STAGE_FIELDS[k]) and kept(r, k)), None)
        if missing is None:
            continue   # a stage whose columns the sheet lacks is F004 "stage", not one per row
        later = next(key for key in STAGE_FIELDS[s] if filled(r, key))
        own = [key for key in STAGE_FIELDS[missing] if has_column(r, key)]
        need = own[0]
        other = [key for key in own[1:2] if not filled(r, key)]
        yield finding("R205", record=r, key=need, variant="and_date" if other else None,
                      params={"later": _h(r, later), "later_stage": Text(*schema.STAGE_LABELS[s]),
                              "need": _h(r, need),
                              "need_stage": Text(*schema.STAGE_LABELS[missing]),
                              "also": _h(r, other[0]) if other else None})


@rule("R206")
def dates_out_of_order(ctx: Context) -> Iterator[Finding]:
    """R206: a stage date earlier than the nearest earlier-stage date that is filled."""
    for r in ctx.ledger(KIND):
        previous: str | None = None
        for k in sorted(STAGE_DATES):
            key = STAGE_DATES[k]
            if date_of(r, key) is None:
                continue
            if previous is not None and date_of(r, key) < date_of(r, previous):
                yield finding("R206", record=r, key=key, params={
                    "later": _h(r, key), "later_date": date_of(r, key),
                    "earlier": _h(r, previous), "earlier_date": date_of(r, previous)})
            previous = key


@rule("R207")
def status_contradicts(ctx: Context) -> Iterator[Finding]:
    """R207: the written 状态 does not match the filled fields (empty 状态: nothing to say)."""
    for r in ctx.ledger(KIND):
        written, s = status_of(r), stage(r)
        if written is None or written not in schema.REQUEST_STATUSES:
            continue   # empty, unreadable or not in the list (D109)
        if written == schema.REOPENED:
            if s >= 2:
                continue
        elif written == EXPECTED_STATUS[s]:
            continue
        elif written == EXPECTED_STATUS[3] and s == 4:
            continue   # 已办结 (办结, 已完成 …) stays true once the reply is made: not a contradiction
        elif status_rank(written) > s and not kept(r, status_rank(written)):
            continue   # the status claims a stage the sheet has no column for: nothing to compare
        expected = EXPECTED_STATUS[s]
        yield finding("R207", record=r, key="status",
                      variant="ahead" if status_rank(written) > s else None,
                      params={"written": _as_written(r, "status"), "status": written, "stage": s,
                              "stage_label": Text(*schema.STAGE_LABELS[s]),
                              "expected": expected, "or_fill": _or_fill(r, written, s)})


@rule("R208")
def no_due_date(ctx: Context) -> Iterator[Finding]:
    """R208: assigned, not resolved, no 办理时限 and no category limit in settings."""
    for r in _open(ctx, 2):
        if filled(r, "due") or category_limit(r, ctx.settings) is not None:
            continue
        yield finding("R208", record=r, key="due", params={
            "who": _who(r), "due": _h(r, "due"), "why": _no_limit_reason(r, ctx.settings),
            "or_limit": _or_limit(r, ctx.settings)})


@rule("R209")
def unsatisfied_not_reopened(ctx: Context) -> Iterator[Finding]:
    """R209: resident 不满意 and 状态 is not 重办."""
    for r in ctx.ledger(KIND):
        if "satisfaction" in r.invalid or r.values.get("satisfaction") != schema.UNSATISFIED:
            continue
        if status_of(r) == schema.REOPENED:
            continue
        when = date_of(r, "replied")
        status = status_of(r)
        written = _as_written(r, "status") if filled(r, "status") else None
        yield finding("R209", record=r, key="status", params={
            "replied": when, "status": status,
            "when": Text(f"（{when}答复）", f" (reply {when})") if when else Text("", ""),
            "status_is": Text(f"状态为“{written}”", f"status is {written}") if written
            else Text("状态为空", "status is empty")})


@rule("R210")
def possible_repeat(ctx: Context) -> Iterator[Finding]:
    """R210 (info): another request, open or closed, registered within 30 calendar days before,
    with the same 小区 and 类别 (both filled), and the same place (问题地点 if filled, else 地址)
    or nearly the same 诉求内容 (bigram Dice ≥ 0.6).

    Each group (小区, 类别) is sorted by 登记日期 once; a request is compared only with the
    earlier ones inside its 30-day window (a sliding start), each request's keys worked out once."""
    groups: dict[tuple[str, str], list[_Repeatable]] = {}
    similar = SimilarPairs()
    for r in ctx.ledger(KIND):
        key = _repeat_group(r)
        received = date_of(r, "received")
        if key is not None and received is not None:
            groups.setdefault(key, []).append(_Repeatable.of(r, received))
    for members in groups.values():
        members.sort(key=lambda m: (m.received, m.record.file, m.record.sheet, m.record.row))
        start = 0
        for i, later in enumerate(members):
            while (later.received - members[start].received).days > REPEAT_WINDOW_DAYS:
                start += 1
            earlier = _repeats_of(later, members[start:i], similar)
            if earlier:
                yield _repeat_finding(later.record, earlier)


@rule("R211")
def due_soon(ctx: Context) -> Iterator[Finding]:
    """R211 (info): due within the next 2 working days and not resolved."""
    horizon = ctx.calendar.add_workdays(ctx.as_of, DUE_SOON_DAYS)
    for r in _open(ctx, 2):
        due = due_date(r, ctx.settings, ctx.calendar)
        if due is None or not ctx.as_of <= due <= horizon:
            continue
        left = ctx.calendar.workdays_between(ctx.as_of, due)
        variant = "today" if due == ctx.as_of else "rest_day" if left == 0 else None
        yield finding("R211", record=r, key="resolved", variant=variant,
                      params={"due": due, "due_source": _due_source(r, ctx.settings),
                              "left": left, "who": _who(r), "resolved": _h(r, "resolved")})


# ---------------------------------------------------------------------------------------
# internals


def _open(ctx: Context, at_stage: int) -> list[Record]:
    """Open requests whose stage is ``at_stage`` (the ones SLA rules look at), leaving out
    those whose sheet has no column for the next stage: "not classified yet" (R201), "not
    assigned" (R202), "not resolved" (R203, R208, R211), "not replied" (R204) would then be a
    fact nobody wrote and no cell the clerk could fill (the reader's F004 "stage" says so
    once per sheet)."""
    return [r for r in ctx.lifecycle.open_at(at_stage) if kept(r, at_stage + 1)]


def _overdue(ctx: Context, start: date | None, days: int) -> tuple[date, int] | None:
    """(deadline, working days late) when ``as_of`` is after ``days`` working days from start."""
    if start is None:
        return None
    deadline = ctx.calendar.add_workdays(start, days)
    if ctx.as_of <= deadline:
        return None
    return deadline, ctx.calendar.workdays_between(deadline, ctx.as_of)


def _late(days: int) -> Text:
    return Text(f"已超期{days}个工作日" if days else "已过期限（其后均为休息日）",
                f"{days} working day(s) late" if days else "past the deadline (rest days since)")


def _due_source(r: Record, settings: Settings) -> Text:
    return Text(_due_source_zh(r, settings), _due_source_en(r, settings))


def _since(r: Record, k: int) -> Text:
    return Text(_since_zh(r, k), _since_en(r, k))


def _or_fill(r: Record, written: str, s: int) -> Text:
    return Text(_or_fill_zh(r, written, s), _or_fill_en(r, written, s))


def _no_limit_reason(r: Record, settings: Settings) -> Text:
    name = text_of(r, "category")
    if name is None and not has_column(r, "category"):
        return Text("台账没有类别列", "the sheet has no category column")
    if name is None:
        return Text("类别为空", "the category is empty")
    if settings.category(name) is None:
        return Text(f"类别“{name}”不在设置的诉求类别中", f"category {name} is not in the settings")
    return Text(f"设置中类别“{name}”没有填办理时限", f"category {name} has no limit in the settings")


def _or_limit(r: Record, settings: Settings) -> Text:
    """R208's fix after "fill in 办理时限": the other way to get a deadline, for the reason
    there is none (a sheet without a 类别 column cannot use the settings' category limits)."""
    name, cat = text_of(r, "category"), _h(r, "category")
    if name is None and not has_column(r, "category"):
        return Text(f"；台账没有“{cat}”列，设置.xlsx中的类别时限用不上，也可在台账中加一列“{cat}”",
                    f"; the sheet has no {cat} column, so the category limits in 设置.xlsx cannot "
                    f"apply (or add a {cat} column to the sheet)")
    if name is None:
        return Text(f"，或填写“{cat}”（按设置.xlsx中该类别的时限计算）",
                    f", or fill in {cat} (its limit in 设置.xlsx then applies)")
    if settings.category(name) is None:
        return Text(f"，或在设置.xlsx的诉求类别中增加“{name}”并填写时限",
                    f", or add category {name} with a limit to 设置.xlsx")
    return Text(f"，或在设置.xlsx的诉求类别中为“{name}”填写时限",
                f", or set a limit for category {name} in 设置.xlsx")


def _due_source_zh(r: Record, settings: Settings) -> str:
    if date_of(r, "due") is not None:
        return f"台账填写的{_h(r, 'due')}"
    period = period_of(r)
    if period is not None:
        return f"{_h(r, 'due')}“{_as_written(r, 'due')}”，自{_since_zh(r, 2)}起算"
    cat = category_of(r, settings)
    return f"类别“{cat.name}”{cat.limit_days}个工作日，自{_since_zh(r, 2)}起算"


def _due_source_en(r: Record, settings: Settings) -> str:
    if date_of(r, "due") is not None:
        return f"{_h(r, 'due')} in the ledger"
    period = period_of(r)
    if period is not None:
        return f"{_h(r, 'due')} \"{_as_written(r, 'due')}\": {period.text_en} from {_since_en(r, 2)}"
    cat = category_of(r, settings)
    return f"category {cat.name}: {cat.limit_days} working days from {_since_en(r, 2)}"


def _since_zh(r: Record, k: int) -> str:
    """'分派日期2026-11-05' or, when the stage's date is empty, which date stands in for it."""
    start, own = stage_date(r, k), STAGE_DATES[k]
    if date_of(r, own) is not None:
        return f"{_h(r, own)}{start}"
    source = next(STAGE_DATES[j] for j in range(k - 1, -1, -1) if date_of(r, STAGE_DATES[j]))
    if not has_column(r, own):
        return f"台账没有“{_h(r, own)}”列，按“{_h(r, source)}”{start}计"
    return f"“{_h(r, own)}”为空，按“{_h(r, source)}”{start}计"


def _since_en(r: Record, k: int) -> str:
    start, own = stage_date(r, k), STAGE_DATES[k]
    if date_of(r, own) is not None:
        return f"{_h(r, own)} {start}"
    source = next(STAGE_DATES[j] for j in range(k - 1, -1, -1) if date_of(r, STAGE_DATES[j]))
    if not has_column(r, own):
        return f"the sheet has no {_h(r, own)} column, counted from {_h(r, source)} {start}"
    return f"{_h(r, own)} empty, counted from {_h(r, source)} {start}"


def _who(r: Record) -> Text:
    name = text_of(r, "assignee")
    return Text(name, name) if name else Text("未填写", "not given")


def _or_fill_zh(r: Record, written: str, s: int) -> str:
    target = status_rank(written)
    if target <= s:
        return ""
    return "，或补填“" + "”“".join(_h(r, _first_kept(r, k)) for k in range(s + 1, target + 1)
                                  if kept(r, k)) + "”"


def _or_fill_en(r: Record, written: str, s: int) -> str:
    target = status_rank(written)
    if target <= s:
        return ""
    return ", or fill in " + ", ".join(_h(r, _first_kept(r, k)) for k in range(s + 1, target + 1)
                                       if kept(r, k))


def _first_kept(r: Record, k: int) -> str:
    """Stage ``k``'s first field whose column the sheet has (the first field without cells)."""
    return next((key for key in STAGE_FIELDS[k] if has_column(r, key)), STAGE_FIELDS[k][0])


def _as_written(r: Record, key: str) -> str | None:
    """The cell as written (``check.as_written``), else the value read."""
    return as_written(r, key) or text_of(r, key)


def _h(r: Record, key: str) -> str:
    """The column's header as the clerk wrote it (canonical header when the column is absent)."""
    cell = r.cells.get(key)
    return cell.header if cell is not None and cell.header else schema.REQUESTS.column(key).header


def _d(r: Record, key: str) -> Any:
    return date_of(r, key)


@lru_cache(maxsize=1 << 14)          # 小区, 类别 and places recur on many requests
def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


def _repeat_group(r: Record) -> tuple[str, str] | None:
    """(小区, 类别) normalised, or None when either is empty (R210 needs both)."""
    estate, category = text_of(r, "estate"), text_of(r, "category")
    if estate is None or category is None:
        return None
    estate, category = _norm(estate), _norm(category)
    return (estate, category) if estate and category else None


def _place(r: Record) -> str | None:
    """R210's place key: 问题地点 if filled, else 地址 (normalised)."""
    for key in ("location", "address"):
        text = text_of(r, key)
        if text is not None and _norm(text):
            return _norm(text)
    return None


@dataclass
class _Repeatable:
    """What R210 compares of one request, worked out once: 登记日期, place key, the bigrams
    of 诉求内容 (None when empty) and its 编号 (stripped; see ``_repeats_of``)."""
    record: Record
    received: date
    place: str | None
    content: frozenset[str] | None
    own_id: str | None             # str(编号).strip(), None without one
    id_text: str                   # str(编号 or "").strip()

    @classmethod
    def of(cls, r: Record, received: date) -> "_Repeatable":
        content = text_of(r, "content")
        return cls(r, received, _place(r), bigrams(content) if content else None,
                   None if r.id is None else str(r.id).strip(), str(r.id or "").strip())

    @cached_property
    def shown(self) -> tuple[Text, str, str]:
        """How R210 names this request as an earlier one: its reference, and in Chinese and
        English with its 登记日期 (worked out once, however many later requests name it)."""
        ref = _ref(self.record)
        return ref, f"{ref.zh}（{self.received}登记）", f"{ref.en} (received {self.received})"


def _repeats_of(later: _Repeatable, candidates: list[_Repeatable],
                similar: SimilarPairs) -> list[tuple[_Repeatable, str]]:
    """The candidates ``later`` repeats, each with why: "place" when the two name the same
    place, "content" when their 诉求内容 is nearly the same (bigram Dice ≥ 0.6, each pair of
    distinct texts compared once: ``similar``). A candidate with ``later``'s own 编号 is the
    same request copied, not a repeat."""
    out = []
    place, content, written_id = later.place, later.content, later.id_text
    for e in candidates:
        if e.own_id is not None and e.own_id == written_id:
            continue
        if e.place is not None and e.place == place:
            out.append((e, "place"))
        elif e.content is not None and content is not None and similar[(e.content, content)]:
            out.append((e, "content"))
    return out


def _ref(r: Record) -> Text:
    if r.id:
        return Text(str(r.id), str(r.id))
    return Text(f"{r.sheet}第{r.row}行", f"{r.sheet} row {r.row}")


def _repeat_finding(later: Record, earlier: list[tuple["_Repeatable", str]]) -> Finding:
    why = _why(tuple(dict.fromkeys(w for _, w in earlier)))
    zh = "、".join(e.shown[1] for e, _ in earlier)
    en = ", ".join(e.shown[2] for e, _ in earlier)
    return finding("R210", record=later, key="content", params={
        "window": REPEAT_WINDOW_DAYS, "earlier": Text(zh, en), "first": earlier[0][0].shown[0],
        "why": why, "earlier_ids": [e.record.id for e, _ in earlier]})


_WHY = {"place": Text("地点相同", "same place"), "content": Text("内容相近", "nearly the same content")}


@lru_cache(maxsize=None)
def _why(reasons: tuple[str, ...]) -> Text:
    """R210's reasons (place, content, in the order first met) as one phrase."""
    return Text("、".join(_WHY[w].zh for w in reasons), " / ".join(_WHY[w].en for w in reasons))