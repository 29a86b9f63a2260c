"""Rules: activity rooms (U901–U904) — ledger ``rooms``, settings sheet 活动室.

A booking's time is its 时段 (``09:00-11:00``, ``上午`` … ``全天`` = the room's opening hours)
or its 开始时间/结束时间; ranges are half-open, so 09:00-11:00 and 11:00-12:00 do not overlap.
A room is one settings row (name or alias, in its 小区); with no 活动室 sheet, bookings of the
same name (and 小区) are one room, names are not checked and U902–U904 are off. The rules are
silent when no rooms ledger was read. Also here: D101/D102 for a 开始时间 without a readable
结束时间 (the pair replaces 时段), and D109 for a room that is not in the settings, or for a
name several rooms share (乒乓室 in two 小区) with no 小区 to tell which: that booking counts
for none of them, and none of them is called idle (U904) while it may be the one booked.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Iterable

from toolkit import schema
from toolkit.check import rule
from toolkit.domain.context import Context
from toolkit.model import Finding, finding
from toolkit.text import Text, listing
from toolkit.clock import Clock, range_text
from toolkit.domain.services_rooms import (IDLE_DAYS, ROOMS, Booking, bookings, idle, iso,
                                           open_on, room_hours, room_use, usable)


def _where(b: Booking) -> str:
    r = b.record
    return f"「{r.sheet}」第{r.row}行"


def _who(b: Booking) -> str:
    return str(usable(b.record, "user") or usable(b.record, "contact") or "")


def _slot(b: Booking) -> Text:
    return Text("全天", "all day") if b.all_day else listing(range_text(s, e) for s, e in b.spans)


def _room_name(b: Booking) -> str:
    return b.room.name if b.room is not None else str(usable(b.record, "room") or "")


def _key(b: Booking) -> str:
    return "slot" if "slot" in b.record.cells else "start"


# ---------------------------------------------------------------------------------------
@rule("D101", "D102")
def start_without_end(ctx: Context) -> Iterable[Finding]:
    """开始时间 given (no 时段) but 结束时间 empty (D101) or not after it (D102)."""
    for r in ctx.ledger(ROOMS):
        if usable(r, "slot") is not None or "slot" in r.invalid:
            continue
        start, end = usable(r, "start"), usable(r, "end")
        if not isinstance(start, Clock) or "end" in r.invalid:
            continue
        if end is None:
            if "end" in r.cells:
                yield finding("D101", record=r, key="end", variant="end_time")
            continue
        if end.minutes <= start.minutes:
            yield finding("D102", record=r, key="end", variant="end_time",
                          params={"start": str(start), "end": str(end)})


@rule("D109")
def unknown_room(ctx: Context) -> Iterable[Finding]:
    """A 活动室 that is neither a name nor an alias in settings (only when settings list rooms)."""
    rooms = ctx.settings.rooms
    if not rooms:
        return
    listed = listing(r.name for r in rooms)
    for b in bookings(ctx):
        if b.ambiguous:
            yield _ambiguous(b)
        if not b.unknown:
            continue
        yield finding("D109", record=b.record, key="room", variant="room",
                      params={"name": usable(b.record, "room"), "listed": listed})


def _ambiguous(b: Booking) -> Finding:
    """D109 on a booking naming a room that several rooms of the settings share (乒乓室 in two
    小区) with no 小区 (or one that is none of theirs): the fix names the candidates' 小区."""
    estate = usable(b.record, "estate")
    shown = [f"{r.name}（{r.estate}）" if r.estate else r.name for r in b.candidates]
    named = list(dict.fromkeys(r.estate for r in b.candidates if r.estate))
    estates = Text("、".join(f"“{e}”" for e in named), ", ".join(named)) if named else None
    why = Text(f"这条预约的小区“{estate}”不是其中之一", f"its 小区 '{estate}' is none of theirs") \
        if estate else Text("这条预约没有写小区", "the booking gives no 小区")
    return finding("D109", record=b.record, key="room", variant="room_ambiguous", params={
        "name": usable(b.record, "room"), "count": len(b.candidates),
        "candidates": listing(shown), "why": why,
        "estates": estates or listing(shown)})


# ---------------------------------------------------------------------------------------
def _overlaps(a: Booking, b: Booking) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a.spans for s2, e2 in b.spans)


@rule("U901")
def overlapping(ctx: Context) -> Iterable[Finding]:
    """Two bookings of one room overlap: on the one starting later (the later row when both
    start together), naming the other (the earliest-starting one it overlaps)."""
    groups: dict[tuple, list[tuple[int, Booking]]] = {}
    for order, b in enumerate(bookings(ctx)):
        if b.day is not None and b.spans and not b.unknown:
            groups.setdefault((b.key, b.day), []).append((order, b))
    for (_, day), members in groups.items():
        members.sort(key=lambda item: (item[1].start, item[0]))
        for i, (_, later) in enumerate(members):
            clash = [other for _, other in members[:i] if _overlaps(other, later)]
            if not clash:
                continue
            other = clash[0]
            more = Text(f"等{len(clash)}条", f" and {len(clash) - 1} more") if len(clash) > 1 \
                else Text("", "")
            o = other.record
            yield finding("U901", record=later.record, key=_key(later), params={
                "day": day, "room": _room_name(later), "slot": _slot(later), "who": _who(later),
                "where": Text(f"「{o.sheet}」第{o.row}行", f"{o.sheet} row {o.row}"),
                "other_slot": _slot(other), "other_who": _who(other), "more": more,
                "other": Text(_who(other) or "对方", _who(other) or "the other booking")})


@rule("U902")
def outside_opening(ctx: Context) -> Iterable[Finding]:
    """A booking on a closed day, or wholly or partly outside the opening hours (a 全天
    booking means the opening hours)."""
    if not ctx.settings.rooms:
        return
    for b in bookings(ctx):
        if b.room is None or b.day is None or not b.spans:
            continue
        room = b.room
        hours = listing(range_text(s, e) for s, e in room_hours(room))
        if not open_on(room, b.day, ctx.calendar):
            yield finding("U902", record=b.record, key="date", variant="closed", params={
                "day": b.day, "weekday": schema.WEEKDAY_NAMES[b.day.weekday()], "room": room.name,
                "slot": _slot(b)})
            continue
        if b.all_day:
            continue
        outside = [(s, e) for s, e in b.spans
                   if not any(o_s <= s and e <= o_e for o_s, o_e in room_hours(room))]
        if outside:
            yield finding("U902", record=b.record, key=_key(b), params={
                "day": b.day, "room": room.name, "slot": _slot(b), "hours": hours})


@rule("U903")
def over_capacity(ctx: Context) -> Iterable[Finding]:
    """参加人数 above the room's 容纳人数."""
    if not ctx.settings.rooms:
        return
    for b in bookings(ctx):
        attendance = usable(b.record, "attendance")
        if b.room is None or b.room.capacity is None or not isinstance(attendance, int):
            continue
        if attendance > b.room.capacity:
            yield finding("U903", record=b.record, key="attendance", params={
                "day": b.day or "", "room": b.room.name, "attendance": attendance,
                "capacity": b.room.capacity})


@rule("U904")
def idle_room(ctx: Context) -> Iterable[Finding]:
    """A room of the settings with no booking dated in the 30 days up to and including the
    as-of date; located on the room's row of the settings sheet 活动室. Silent without a
    rooms ledger."""
    rooms = ctx.settings.rooms
    if not rooms or not ctx.ledger(ROOMS):
        return
    since = ctx.as_of - timedelta(days=IDLE_DAYS)
    for use in room_use(ctx, ctx.as_of, ctx.as_of):
        if not idle(use, ctx.as_of):
            continue                 # used, or booked under a name it shares (D109): not known
        room, last, maybe = use.room, use.last, use.maybe_last
        last_text = Text(f"最近一次使用是{iso(last)}", f"last used {iso(last)}") if last \
            else Text("没有任何使用记录", "never used") if maybe is None \
            else Text("没有确定是这一间的使用记录", "no booking known to be this room")
        if maybe is not None and (last is None or maybe > last):
            last_text = Text(f"{last_text.zh}（另有未写明小区的同名预约，最近是{iso(maybe)}）",
                             f"{last_text.en} (a booking of that name without its 小区 on {iso(maybe)})")
        yield finding("U904", kind=ROOMS, file=schema.SETTINGS_FILE, sheet=schema.SET_ROOMS,
                      row=room.row, column="A", header=schema.SET_ROOM_HEADERS[0],
                      record_id=room.name, value=room.name, params={
                          "room": room.name, "estate": f"（{room.estate}）" if room.estate else "",
                          "window": IDLE_DAYS, "since": since + timedelta(days=1),
                          "as_of": ctx.as_of, "last": last_text})
