"""The resident council (议事会) as the stages see it: meetings grouped from the minutes, the
next meeting of the same name, and how each 议题 reached the request ledger. The rules
(M701–M704, toolkit.check.meetings), the follow-ups and the reports all ask this module.

Matching an 议题 to a request (``CouncilIndex.match``):

1. a 诉求编号 that names requests → linked (an unknown id is D110). The cell may hold several
   ids and words around them (``SQ2026-031、SQ2026-040``, ``SQ2026-050；SQ2026-031``,
   ``见SQ2026-031``): the whole cell is an id when a request has it, else it is split like
   ``multi`` (、 , ， ; ； / spaces, and brackets) and a part is an id when a request has it or
   else each run of letters and digits holding a digit in it (the 见 of 见SQ2026-031 is left
   out). The item is linked when every id names a request; D110 names the ids that do not;
2. 诉求编号 ``不涉及``/``通报`` — or a cell with no id that holds one of them, such as
   ``不涉及（通报）`` or ``仅通报`` — → not a request;
3. otherwise the requests registered on or after the meeting day and by the as-of date
   (a late registration still counts) whose 诉求内容 is similar: character-bigram Dice
   ≥ ``SIMILAR`` (0.6, as R210), over the *sets* of adjacent character pairs after removing
   whitespace and every punctuation/symbol character (Unicode P*, S*). The closest request is
   kept when its Dice is at least ``CLOSEST_MIN`` (0.3), so a finding can name it — searched
   among the requests registered before the meeting too (``Match.earlier``: the same matter
   may have been registered already; it is named, never counted as registered).

A request whose 编号, 登记日期 or 诉求内容 could not be read (key in ``invalid``: a formula
without a cached value F007, an error value F011, an unreadable date D102) may be the one an
item names or raised: then an item that would be unknown (1) or unmatched (3) is ``UNSURE``
instead, and no rule or report concludes from it (no D110, no M702, not counted as
registered or not). In 1, when any request's 编号 is unreadable; in 3, when a request with
an unreadable 登记日期 has similar 诉求内容 (or its 诉求内容 is unreadable and it was
registered on or after the meeting day, or its date is unreadable too).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from typing import Iterator

from toolkit import schema
from toolkit.domain.names import norm, usable  # noqa: F401 - usable is re-exported
from toolkit.domain.similarity import SIMILAR, bigrams, dice  # noqa: F401 - re-exported
from toolkit.model import Record

CLOSEST_MIN = 0.3           # M702: below this the closest request is not worth naming
NO_NEXT_MEETING_DAYS = 30   # M704: calendar days to report back when no next meeting is recorded
FREQUENCY_MONTHS = {"month": 1, "bimonth": 2, "quarter": 3}
FREQUENCY_LABELS = {"month": ("每月", "monthly"), "bimonth": ("每两月", "every two months"),
                    "quarter": ("每季度", "quarterly")}


# ---------------------------------------------------------------------------------------
# the council index

LINKED, NOT_REQUEST, UNKNOWN_ID, MATCHED, UNMATCHED, UNSURE = (
    "linked", "not_request", "unknown_id", "matched", "unmatched", "unsure")


@dataclass(frozen=True)
class Match:
    """How an 议题 reached the request ledger (shared: ``CouncilIndex.match`` remembers it)."""
    state: str                        # LINKED, NOT_REQUEST, UNKNOWN_ID, MATCHED, UNMATCHED, UNSURE
    request: Record | None = None     # the request linked or matched, or the closest one
    score: float = 0.0                # Dice of the matched / closest request
    requests: tuple[Record, ...] = ()   # every request the 诉求编号 names (LINKED, UNKNOWN_ID)
    missing: tuple[str, ...] = ()     # UNKNOWN_ID: the ids written that name no request
    earlier: bool = False             # UNMATCHED: the closest request was registered before the meeting


@dataclass
class Meeting:
    """One meeting: its date, name and 议题 rows (workbook order)."""
    day: date
    name: str
    items: list[Record] = field(default_factory=list)
    next_day: date | None = None      # the next meeting of the same 会议名称

    @property
    def label(self) -> str:
        return f"{self.day.isoformat()} {self.name}"

    def feedback_deadline(self) -> date:
        """Decisions are reported back at the next meeting of the same name, else within
        ``NO_NEXT_MEETING_DAYS`` calendar days."""
        return self.next_day or self.day + timedelta(days=NO_NEXT_MEETING_DAYS)


def topic(record: Record) -> str:
    value = usable(record, "topic")
    return str(value).strip() if value is not None else ""


def decision(record: Record) -> str:
    value = usable(record, "decision")
    return str(value).strip() if value is not None else ""


def fed_back(record: Record, as_of: date) -> bool:
    """The decision was reported back: its 反馈日期 is read, on or before the as-of date and
    not before the meeting's own 会议日期 (the meeting day itself counts: a 通报 given at the
    meeting). A 反馈日期 after the as-of date (a planned 通报, a typo) has not happened yet;
    one before the meeting (``feedback_before``) is a typo or another matter's date."""
    day = usable(record, "feedback_date")
    return isinstance(day, date) and day <= as_of and feedback_before(record) is None


def feedback_before(record: Record) -> date | None:
    """The 反馈日期 when it lies before the row's 会议日期 (not feedback on this decision:
    2026-10-05 for 2026-11-05, a year slip, day and month swapped), else None."""
    day, held = usable(record, "feedback_date"), usable(record, "date")
    return day if isinstance(day, date) and isinstance(held, date) and day < held else None


def feedback_ahead(record: Record, as_of: date) -> date | None:
    """The 反馈日期 when it lies after the as-of date (not fed back yet), else None."""
    day = usable(record, "feedback_date")
    return day if isinstance(day, date) and day > as_of else None


def meeting_name(record: Record) -> str:
    value = usable(record, "meeting")
    return str(value).strip() if value not in (None, "") else schema.DEFAULT_MEETING


class CouncilIndex:
    """Meetings, their items and how each item reached the request ledger; built once per
    run (``council(ctx)``)."""

    def __init__(self, ctx):
        self.as_of = ctx.as_of     # not the context itself: kept on it, that would be a cycle
        self.calendar = ctx.calendar
        self.register_days = ctx.settings.council_register_days
        by_key: dict[tuple[date, str], Meeting] = {}
        self.dated: list[Record] = []
        for r in ctx.ledger("meetings"):
            day = usable(r, "date")
            if not isinstance(day, date):
                continue
            self.dated.append(r)
            key = (day, meeting_name(r))
            by_key.setdefault(key, Meeting(day, key[1])).items.append(r)
        self.meetings = sorted(by_key.values(), key=lambda m: (m.day, m.name))
        self.meeting_of: dict[int, Meeting] = {}
        later: dict[str, date] = {}
        for m in reversed(self.meetings):
            m.next_day = later.get(m.name)
            later[m.name] = m.day
            for r in m.items:
                self.meeting_of[id(r)] = m
        self.has_requests = bool(ctx.ledger("requests")) or any(
            s.kind == "requests" for s in ctx.workspace.sources)
        self.requests_by_id: dict[str, Record] = {}
        self.unreadable_ids = False        # a request's 编号 could not be read
        # 编号 of request rows struck through (删除线, docs/read.md): not records, yet in the
        # ledger; an item naming one is no unknown request (D110 would say 找不到)
        self.struck_ids = {norm(i) for f in ctx.workspace.findings
                           if f.code == "D112" and f.kind == "requests"
                           for i in f.params.get("ids", ())}
        self._unreadable: list[tuple[date | None, frozenset | None]] = []   # (登记日期, 内容)
        dated_requests = []
        for r in ctx.ledger("requests"):
            if r.id is not None:
                self.requests_by_id.setdefault(norm(r.id), r)
            invalid = r.invalid
            self.unreadable_ids = self.unreadable_ids or "id" in invalid
            received = usable(r, "received")
            content = usable(r, "content")
            if isinstance(received, date) and content:
                dated_requests.append((received, bigrams(str(content)), r))
            elif "received" in invalid or "content" in invalid:
                self._unreadable.append((received if isinstance(received, date) else None,
                                         bigrams(str(content)) if content else None))
        dated_requests.sort(key=lambda t: t[0])
        self._requests = dated_requests
        self._received = [t[0] for t in dated_requests]     # for bisect: where a day starts
        self._matches: dict[tuple[int, date], Match] = {}   # (id(item), by) -> Match

    # ------------------------------------------------------------------ items
    def items(self) -> Iterator[tuple[Meeting, Record]]:
        for m in self.meetings:
            for r in m.items:
                yield m, r

    def registration_deadline(self, meeting: Meeting) -> date:
        return self.calendar.add_workdays(meeting.day, self.register_days)

    def match(self, item: Record, by: date | None = None) -> Match:
        """How ``item`` reached the request ledger, counting registrations up to ``by``
        (default: the as-of date)."""
        by = by or self.as_of
        key = (id(item), by)
        if key not in self._matches:     # the rules and both reports ask about the same items
            self._matches[key] = self._match(item, by)
        return self._matches[key]

    def _match(self, item: Record, by: date) -> Match:
        raw_id = usable(item, "request_id")
        written = norm(raw_id)
        if written in schema.NOT_A_REQUEST_MARKS:
            return Match(NOT_REQUEST)
        if written:
            return self._linked(str(raw_id))
        text = topic(item)
        day = self.meeting_of[id(item)].day
        best: tuple[float, date, Record] | None = None
        grams = bigrams(text)
        start = bisect_left(self._received, day)
        for received, content, request in islice(self._requests, start, None):
            if received > by:
                break
            score = dice(grams, content)
            if best is None or score > best[0]:
                best = (score, received, request)
        if best is not None and best[0] >= SIMILAR:
            return Match(MATCHED, best[2], best[0])
        if self._maybe_unreadable(grams, day, by):
            return Match(UNSURE)
        # not registered after the meeting; the closest request may still be one registered
        # before it (the same matter raised earlier): named, never counted as registered
        before: tuple[float, Record] | None = None
        for _, content, request in islice(self._requests, 0, start):
            score = dice(grams, content)
            if before is None or score >= before[0]:      # a tie: the latest registered
                before = (score, request)
        if before is not None and before[0] >= CLOSEST_MIN and (best is None
                                                                or before[0] > best[0]):
            return Match(UNMATCHED, before[1], before[0], earlier=True)
        if best is not None and best[0] >= CLOSEST_MIN:
            return Match(UNMATCHED, best[2], best[0])
        return Match(UNMATCHED)

    def _maybe_unreadable(self, grams: frozenset, day: date, by: date) -> bool:
        """Whether a request with an unreadable 登记日期 or 诉求内容 may be the item's."""
        for received, content in self._unreadable:
            if received is not None and not day <= received <= by:
                continue
            if content is None or dice(grams, content) >= SIMILAR:
                return True
        return False

    def _linked(self, written: str) -> Match:
        """A 诉求编号 cell that is not empty (module docstring, 1 and 2)."""
        ids, marked = written_ids(written, self.requests_by_id)
        if not ids:
            if marked:
                return Match(NOT_REQUEST)
            return Match(UNKNOWN_ID, missing=(written.strip(),))
        found = tuple(self.requests_by_id[norm(i)] for i in ids if norm(i) in self.requests_by_id)
        missing = tuple(i for i in ids if norm(i) not in self.requests_by_id
                        and norm(i) not in self.struck_ids)
        if not found and not missing:    # only struck (voided) requests: registered, then
            return Match(UNSURE)         # struck; which request holds it now is unknown
        if missing and self.unreadable_ids:
            return Match(UNSURE, found[0] if found else None, requests=found, missing=missing)
        if missing:
            return Match(UNKNOWN_ID, found[0] if found else None, requests=found, missing=missing)
        return Match(LINKED, found[0], 1.0, requests=found)


_ID_SPLIT = re.compile(r"[、,，;；/／\s（）()【】\[\]]+")
_ID_RUN = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*")


def written_ids(written: str, known: dict[str, Record]) -> tuple[tuple[str, ...], bool]:
    """The request ids in a 诉求编号 cell (order kept, each once) and whether a part of it says
    "not a request" (不涉及, 通报). ``known``: the request ledger's ids (``norm``)."""
    if norm(written) in known:
        return (written.strip(),), False
    ids: list[str] = []
    marked = False
    for part in _ID_SPLIT.split(written):
        if not part:
            continue
        if norm(part) in known:
            found = [part]
        else:
            found = [run for run in _ID_RUN.findall(part) if any(c.isdigit() for c in run)]
            marked = marked or (not found and any(m in part for m in schema.NOT_A_REQUEST_MARKS))
        ids.extend(i for i in found if i not in ids)
    return tuple(ids), marked


def council(ctx) -> CouncilIndex:
    """The run's ``CouncilIndex`` (built on first use and kept on the context)."""
    index = ctx.__dict__.get("_council_index")
    if index is None:
        index = ctx.__dict__["_council_index"] = CouncilIndex(ctx)
    return index


# ---------------------------------------------------------------------------------------
# periods (M701)

def previous_period(as_of: date, frequency: str) -> tuple[date, date]:
    """The last complete period before the one holding ``as_of``: the previous calendar
    month (每月), two-month block Jan–Feb, Mar–Apr … (每两月) or calendar quarter (每季度)."""
    months = FREQUENCY_MONTHS.get(frequency, 1)
    first_month = (as_of.month - 1) // months * months + 1       # the current block's start
    end = date(as_of.year, first_month, 1) - timedelta(days=1)
    start_month = (end.month - 1) // months * months + 1
    return date(end.year, start_month, 1), end


def period_text(start: date, end: date) -> tuple[str, str]:
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year}年{start.month}月", f"{start.year}-{start.month:02d}"
    return (f"{start.year}年{start.month}月至{end.month}月",
            f"{start.year}-{start.month:02d} to {end.year}-{end.month:02d}")
