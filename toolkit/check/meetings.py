"""Rules M701–M704 (resident council 议事会, ledger ``meetings``) and D110 on the minutes.

Nothing raised at a meeting may be lost: every 议题 must reach the request ledger (M702),
every 议定事项 needs a 落实人 (M703) and must be reported back by the next meeting (M704),
and the council must meet as often as settings say (M701). All M rules are silent when no
meetings ledger was read; M702 is also silent when no request ledger was read. Meetings,
matching and similarity live in ``toolkit.domain.council``.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from toolkit import schema
from toolkit.check import rule
from toolkit.domain.context import Context
from toolkit.domain.council import (FREQUENCY_LABELS, NO_NEXT_MEETING_DAYS, UNKNOWN_ID, UNMATCHED,
                                    council, decision, fed_back, feedback_ahead, feedback_before,
                                    period_text,
                                    previous_period, topic, usable)
from toolkit.model import Finding, Record, finding
from toolkit.text import listing


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
    yield finding("M701", params={"period": zh, "period_en": en, "frequency": freq[0],
                                  "frequency_en": freq[1], "last": last.label,
                                  "start": start, "end": end},
                  kind="meetings", file=where.file, sheet=where.sheet, row=where.row,
                  column=_letter(where, "date"), header=_header(where, "date"), value=zh,
                  record_id=None)


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
        params = {"meeting": meeting.label, "topic": _clip(text), "days": index.register_days,
                  "deadline": deadline}
        variant = None
        if match.request is not None:
            variant = "closest_before" if match.earlier else "closest"
            params.update(closest=match.request.id or f"第{match.request.row}行",
                          closest_content=_clip(str(usable(match.request, "content") or "")),
                          score=f"{match.score:.2f}")
            if match.earlier:
                params["closest_day"] = usable(match.request, "received")
        yield finding("M702", record=item, key="request_id", value=text, params=params,
                      variant=variant, record_id=None)


@rule("M703")
def no_owner(ctx: Context) -> Iterator[Finding]:
    """M703: an 议定事项 without a 落实人 (instead of D101)."""
    for meeting, item in council(ctx).items():
        what = decision(item)
        if not what or "owner" in item.invalid or usable(item, "owner") not in (None, ""):
            continue
        yield finding("M703", record=item, key="owner", record_id=None,
                      params={"meeting": meeting.label, "decision": _clip(what)})


@rule("M704")
def not_reported_back(ctx: Context) -> Iterator[Finding]:
    """M704: an 议定事项 with no 反馈日期 on or before the next meeting of the same name
    (30 calendar days after the meeting when there is none yet). Late feedback is not
    reported. A 反馈日期 before the meeting's own date is no feedback on it (as if empty; the
    message quotes it); one on the meeting day counts."""
    for meeting, item in council(ctx).items():
        what = decision(item)
        if not what or "feedback_date" in item.invalid or fed_back(item, ctx.as_of):
            continue
        early = feedback_before(item)                # before the meeting: a typo, another matter
        ahead = feedback_ahead(item, ctx.as_of)      # a 反馈日期 after as-of: not yet given
        if early is None and ahead is None and usable(item, "feedback_date") is not None:
            continue
        deadline = meeting.feedback_deadline()
        if ctx.as_of <= deadline:
            continue
        owner = usable(item, "owner")
        variant = ("next" if meeting.next_day is not None else "later") + ("_owner" if owner else "") \
            + ("_early" if early else "_ahead" if ahead else "")
        yield finding("M704", record=item, key="feedback_date", value=what, record_id=None,
                      variant=variant, params={
                          "meeting": meeting.label, "decision": _clip(what), "name": meeting.name,
                          "deadline": deadline, "owner": str(owner or ""),
                          "days": NO_NEXT_MEETING_DAYS, "feedback": early or ahead or "",
                          "held": meeting.day})


@rule("D110")
def unknown_request(ctx: Context) -> Iterable[Finding]:
    """D110 on the minutes: a 诉求编号 that is no request of the request ledger (only when a
    request ledger was read); a cell of several ids names only those that are missing."""
    index = council(ctx)
    if not index.has_requests or ctx.incomplete("requests"):   # it may be in a file not read
        return
    for meeting, item in index.items():
        match = index.match(item)
        if match.state != UNKNOWN_ID:
            continue
        yield finding("D110", record=item, key="request_id", record_id=None, variant="minutes",
                      params={"request_id": listing(match.missing), "topic": _clip(topic(item))})


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
