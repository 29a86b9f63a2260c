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
from toolkit.check.context import Context
from toolkit.domain.council import (FREQUENCY_LABELS, NO_NEXT_MEETING_DAYS, UNKNOWN_ID, UNMATCHED,
                                    council, decision, period_text, previous_period, topic, usable)
from toolkit.model import Finding, Record, Text, finding


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
