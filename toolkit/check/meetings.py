"""Rules M701–M704 (resident council 议事会, ledger ``meetings``) and the council index that
the rules, the follow-ups and the reports share.

Nothing raised at a meeting may be lost: every 议题 must reach the request ledger (M702),
every 议定事项 needs a 落实人 (M703) and must be reported back by the next meeting (M704),
and the council must meet as often as settings say (M701). All M rules are silent when no
meetings ledger was read; M702 is also silent when no request ledger was read.

Matching an 议题 to a request (``CouncilIndex.match``):

1. a 诉求编号 that names a request → linked (an unknown id is D110);
2. 诉求编号 ``不涉及``/``通报`` → not a request;
3. otherwise the requests registered on or after the meeting day and by the as-of date
   (a late registration still counts) whose 诉求内容 is similar: character-bigram Dice
   ≥ ``SIMILAR`` (0.6, as R210), over the *sets* of adjacent character pairs after removing
   whitespace and every punctuation/symbol character (Unicode P*, S*). The finding names the
   closest request when its Dice is at least ``CLOSEST_MIN`` (0.3), so the clerk can add the
   link.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Iterable, Iterator

from toolkit import schema
from toolkit.check import rule
from toolkit.check.care import norm, usable
from toolkit.check.context import Context
from toolkit.model import Finding, Record, Text, finding

SIMILAR = 0.6               # M702: Dice of 议题 and 诉求内容 that counts as "the same request"
CLOSEST_MIN = 0.3           # M702: below this the closest request is not worth naming
NO_NEXT_MEETING_DAYS = 30   # M704: calendar days to report back when no next meeting is recorded
FREQUENCY_MONTHS = {"month": 1, "bimonth": 2, "quarter": 3}
FREQUENCY_LABELS = {"month": ("每月", "monthly"), "bimonth": ("每两月", "every two months"),
                    "quarter": ("每季度", "quarterly")}


# ---------------------------------------------------------------------------------------
# similarity (ledgers.md "Bigram similarity")

@lru_cache(maxsize=1 << 14)
def bigrams(text: str) -> frozenset[str]:
    """The set of adjacent character pairs of ``text`` after removing whitespace and every
    punctuation or symbol character (Unicode categories P*, S*). NFKC first, so full-width
    and half-width spellings give the same pairs."""
    kept = [ch for ch in unicodedata.normalize("NFKC", text)
            if not ch.isspace() and unicodedata.category(ch)[0] not in "PS"]
    return frozenset(a + b for a, b in zip(kept, kept[1:]))


def dice(a: str | frozenset[str], b: str | frozenset[str]) -> float:
    """Dice coefficient of two texts' bigram sets: 2|A∩B| / (|A|+|B|); 0.0 when both are empty."""
    sa = bigrams(a) if isinstance(a, str) else a
    sb = bigrams(b) if isinstance(b, str) else b
    if not sa and not sb:
        return 0.0
    return 2 * len(sa & sb) / (len(sa) + len(sb))


# ---------------------------------------------------------------------------------------
# the council index

LINKED, NOT_REQUEST, UNKNOWN_ID, MATCHED, UNMATCHED = (
    "linked", "not_request", "unknown_id", "matched", "unmatched")


@dataclass
class Match:
    """How an 议题 reached the request ledger."""
    state: str                        # LINKED, NOT_REQUEST, UNKNOWN_ID, MATCHED, UNMATCHED
    request: Record | None = None     # the request linked or matched, or the closest one
    score: float = 0.0                # Dice of the matched / closest request


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


def meeting_name(record: Record) -> str:
    value = usable(record, "meeting")
    return str(value).strip() if value not in (None, "") else schema.DEFAULT_MEETING


class CouncilIndex:
    """Meetings, their items and how each item reached the request ledger; built once per
    run (``council(ctx)``)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
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
        dated_requests = []
        for r in ctx.ledger("requests"):
            if r.id is not None:
                self.requests_by_id.setdefault(norm(r.id), r)
            received = usable(r, "received")
            content = usable(r, "content")
            if isinstance(received, date) and content:
                dated_requests.append((received, bigrams(str(content)), r))
        dated_requests.sort(key=lambda t: t[0])
        self._requests = dated_requests

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
        by = by or self.ctx.as_of
        raw_id = usable(item, "request_id")
        written = norm(raw_id)
        if written in schema.NOT_A_REQUEST_MARKS:
            return Match(NOT_REQUEST)
        if written:
            request = self.requests_by_id.get(written)
            return Match(LINKED, request, 1.0) if request is not None else Match(UNKNOWN_ID)
        text = topic(item)
        day = self.meeting_of[id(item)].day
        best: tuple[float, date, Record] | None = None
        grams = bigrams(text)
        for received, content, request in self._requests:
            if received < day:
                continue
            if received > by:
                break
            score = dice(grams, content)
            if best is None or score > best[0]:
                best = (score, received, request)
        if best is not None and best[0] >= SIMILAR:
            return Match(MATCHED, best[2], best[0])
        if best is not None and best[0] >= CLOSEST_MIN:
            return Match(UNMATCHED, best[2], best[0])
        return Match(UNMATCHED)


def council(ctx: Context) -> CouncilIndex:
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


# ---------------------------------------------------------------------------------------
# rules

@rule("M701")
def no_meeting(ctx: Context) -> Iterator[Finding]:
    """M701: no meeting in the previous complete period of 议事会频次 — only when the ledger
    holds meetings from before that period."""
    index = council(ctx)
    if not index.meetings:
        return
    start, end = previous_period(ctx.as_of, ctx.settings.council_frequency)
    before = [m for m in index.meetings if m.day < start]
    if not before or any(start <= m.day <= end for m in index.meetings):
        return
    last = before[-1]
    where = last.items[0]
    zh, en = period_text(start, end)
    freq = FREQUENCY_LABELS.get(ctx.settings.council_frequency, FREQUENCY_LABELS["month"])
    yield finding("M701", Text(
        f"{zh}没有召开议事会（议事会频次：{freq[0]}；上一次会议是 {last.label}）",
        f"no council meeting in {en} (frequency: {freq[1]}; the last one was {last.label})"),
        kind="meetings", file=where.file, sheet=where.sheet, row=where.row,
        column=_letter(where, "date"), header=_header(where, "date"), value=zh, record_id=None)


@rule("M702")
def not_registered(ctx: Context) -> Iterator[Finding]:
    """M702: an 议题 not registered as a request once 登记时限 working days have passed."""
    index = council(ctx)
    if not index.has_requests:
        return
    for meeting, item in index.items():
        text = topic(item)
        if not text:
            continue                                  # D101
        deadline = index.registration_deadline(meeting)
        if ctx.as_of <= deadline:
            continue
        match = index.match(item)
        if match.state != UNMATCHED:
            continue
        zh = (f"{meeting.label}的议题“{_clip(text)}”，{index.register_days}个工作日内（{deadline.isoformat()}前）"
              f"应登记为诉求，诉求台账中没有找到")
        en = (f"the item '{_clip(text)}' of {meeting.label} should have been registered as a request "
              f"within {index.register_days} working days (by {deadline.isoformat()}); none found")
        if match.request is not None:
            rid = match.request.id or f"第{match.request.row}行"
            content = _clip(str(usable(match.request, "content") or ""))
            zh += f"；最接近的是 {rid}“{content}”（相似度 {match.score:.2f}），如是同一件事请把编号填进“诉求编号”"
            en += (f"; the closest is {rid} '{content}' (similarity {match.score:.2f}) — if it is the "
                   f"same matter write its id under 诉求编号")
        yield finding("M702", Text(zh, en), record=item, key="request_id", value=text,
                      record_id=None)


@rule("M703")
def no_owner(ctx: Context) -> Iterator[Finding]:
    """M703: an 议定事项 without a 落实人 (instead of D101)."""
    for meeting, item in council(ctx).items():
        what = decision(item)
        if not what or "owner" in item.invalid or usable(item, "owner") not in (None, ""):
            continue
        yield finding("M703", Text(
            f"{meeting.label}议定“{_clip(what)}”，没有填写落实人",
            f"{meeting.label} decided '{_clip(what)}' but names no owner"),
            record=item, key="owner", record_id=None)


@rule("M704")
def not_reported_back(ctx: Context) -> Iterator[Finding]:
    """M704: an 议定事项 with no 反馈日期 on or before the next meeting of the same name
    (30 calendar days after the meeting when there is none yet). Late feedback is not
    reported."""
    for meeting, item in council(ctx).items():
        what = decision(item)
        if not what or "feedback_date" in item.invalid or usable(item, "feedback_date") is not None:
            continue
        deadline = meeting.feedback_deadline()
        if ctx.as_of <= deadline:
            continue
        owner = usable(item, "owner")
        who_zh = f"（落实人：{owner}）" if owner else ""
        who_en = f" (owner: {owner})" if owner else ""
        if meeting.next_day is not None:
            when_zh = f"应在下一次{meeting.name}（{deadline.isoformat()}）前向居民反馈"
            when_en = f"should have been reported back by the next {meeting.name} ({deadline.isoformat()})"
        else:
            when_zh = f"之后还没有下一次{meeting.name}，应在会后{NO_NEXT_MEETING_DAYS}天内（{deadline.isoformat()}前）反馈"
            when_en = (f"no later {meeting.name} yet: should have been reported back within "
                       f"{NO_NEXT_MEETING_DAYS} days ({deadline.isoformat()})")
        yield finding("M704", Text(
            f"{meeting.label}议定“{_clip(what)}”{who_zh}，{when_zh}，至今没有反馈日期",
            f"{meeting.label} decided '{_clip(what)}'{who_en}; it {when_en}; no 反馈日期 yet"),
            record=item, key="feedback_date", value=what, record_id=None)


@rule("D110")
def unknown_request(ctx: Context) -> Iterable[Finding]:
    """D110 on the minutes: a 诉求编号 that is no request of the request ledger (only when a
    request ledger was read)."""
    index = council(ctx)
    if not index.has_requests:
        return
    for meeting, item in index.items():
        if index.match(item).state != UNKNOWN_ID:
            continue
        written = usable(item, "request_id")
        yield finding("D110", Text(
            f"诉求编号“{written}”在诉求台账中找不到（议题“{_clip(topic(item))}”）",
            f"request id {written!r} is not in the request ledger (item '{_clip(topic(item))}')"),
            record=item, key="request_id", record_id=None, fix=Text(
                "核对编号是否与诉求台账一致；尚未登记的，先登记为诉求再填编号",
                "check the id against the request ledger; register the request first if needed"))


# ---------------------------------------------------------------------------------------

def _clip(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"


def _header(record: Record, key: str) -> str:
    cell = record.cells.get(key)
    return cell.header if cell is not None else schema.MEETINGS.column(key).header


def _letter(record: Record, key: str) -> str | None:
    cell = record.cells.get(key)
    return cell.column if cell is not None else None
