"""Rules: activity rooms (U901–U904) — ledger ``rooms``, settings sheet 活动室.

A booking's time is its 时段 (``09:00-11:00``, ``上午`` … ``全天`` = the room's opening hours)
or its 开始时间/结束时间; ranges are half-open, so 09:00-11:00 and 11:00-12:00 do not overlap.
A room is one settings row (name or alias, in its 小区); with no 活动室 sheet, bookings of the
same name (and 小区) are one room, names are not checked and U902–U904 are off. The rules are
silent when no rooms ledger was read. Also here: D101/D102 for a 开始时间 without a readable
结束时间 (the pair replaces 时段), and D109 for a room that is not in the settings.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Iterable

from toolkit import schema
from toolkit.check import rule
from toolkit.check.context import Context
from toolkit.model import Finding, Text, finding
from toolkit.read.timerange import Clock, range_text
from toolkit.services_rooms import (IDLE_DAYS, ROOMS, Booking, bookings, iso, open_on,
                                    room_hours, usable)


def _where(b: Booking) -> str:
    r = b.record
    return f"{r.file} / {r.sheet} 第{r.row}行"


def _who(b: Booking) -> str:
    return str(usable(b.record, "user") or usable(b.record, "contact") or "")


def _slot(b: Booking) -> str:
    return "全天" if b.all_day else "、".join(range_text(s, e) for s, e in b.spans)


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
                yield finding("D101", Text("填了开始时间，但结束时间为空",
                                           "a start time is given but the end time is empty"),
                              record=r, key="end")
            continue
        if end.minutes <= start.minutes:
            yield finding("D102", Text(f"结束时间 {end} 不晚于开始时间 {start}",
                                       f"the end time {end} is not after the start time {start}"),
                          record=r, key="end")


@rule("D109")
def unknown_room(ctx: Context) -> Iterable[Finding]:
    """A 活动室 that is neither a name nor an alias in settings (only when settings list rooms)."""
    rooms = ctx.settings.rooms
    if not rooms:
        return
    listed = "、".join(r.name for r in rooms)
    for b in bookings(ctx):
        if not b.unknown:
            continue
        name = usable(b.record, "room")
        yield finding("D109", Text(
            f"活动室“{name}”不在设置的活动室名单中（可选：{listed}）",
            f"room '{name}' is not in the settings list ({listed})"), record=b.record, key="room",
            fix=Text(f"改为名单中的名称，或在 设置.xlsx 的“{schema.SET_ROOMS}”表中补充该活动室或别名",
                     f"use a listed name, or add the room or alias on the {schema.SET_ROOMS} sheet"))


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
            more = f"等 {len(clash)} 条" if len(clash) > 1 else ""
            yield finding("U901", Text(
                f"{iso(day)} {_room_name(later)} {_slot(later)}（{_who(later)}）与 {_where(other)}"
                f" {_slot(other)}（{_who(other)}）{more}时间重叠",
                f"{iso(day)} {_room_name(later)} {_slot(later)} overlaps the booking on "
                f"{other.record.file} / {other.record.sheet} row {other.record.row} {_slot(other)}"),
                record=later.record, key=_key(later),
                fix=Text(f"与{_who(other) or '对方'}协调，调整时段或换活动室",
                         "agree another time or room with the other booking"))


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
        hours = "、".join(range_text(s, e) for s, e in room_hours(room))
        if not open_on(room, b.day, ctx.calendar):
            weekday = schema.WEEKDAY_NAMES[b.day.weekday()]
            yield finding("U902", Text(
                f"{iso(b.day)}（{weekday}）{room.name}不开放，却有预约 {_slot(b)}",
                f"{room.name} is closed on {iso(b.day)} but booked {_slot(b)}"),
                record=b.record, key="date")
            continue
        if b.all_day:
            continue
        outside = [(s, e) for s, e in b.spans
                   if not any(o_s <= s and e <= o_e for o_s, o_e in room_hours(room))]
        if outside:
            yield finding("U902", Text(
                f"{iso(b.day)} {room.name} 预约 {_slot(b)}，超出开放时间 {hours}",
                f"{room.name} booked {_slot(b)} on {iso(b.day)}, outside its hours {hours}"),
                record=b.record, key=_key(b))


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
            yield finding("U903", Text(
                f"{iso(b.day) if b.day else ''} {b.room.name} 参加 {attendance} 人，超过容纳人数 "
                f"{b.room.capacity} 人",
                f"{attendance} attended in {b.room.name}, capacity {b.room.capacity}"),
                record=b.record, key="attendance")


@rule("U904")
def idle_room(ctx: Context) -> Iterable[Finding]:
    """A room of the settings with no booking dated in the 30 days up to and including the
    as-of date; located on the room's row of the settings sheet 活动室. Silent without a
    rooms ledger."""
    rooms = ctx.settings.rooms
    if not rooms or not ctx.ledger(ROOMS):
        return
    since = ctx.as_of - timedelta(days=IDLE_DAYS)
    every = bookings(ctx)
    for room in rooms:
        days = [b.day for b in every if b.room is room and b.day is not None and b.day <= ctx.as_of]
        if any(day > since for day in days):
            continue
        last = max(days, default=None)
        last_zh = f"最近一次使用是 {iso(last)}" if last else "没有任何使用记录"
        yield finding("U904", Text(
            f"{room.name}{f'（{room.estate}）' if room.estate else ''}近{IDLE_DAYS}天"
            f"（{iso(since + timedelta(days=1))}至{iso(ctx.as_of)}）没有预约使用，{last_zh}",
            f"{room.name}: no booking in the {IDLE_DAYS} days up to {iso(ctx.as_of)}"),
            kind=ROOMS, file=schema.SETTINGS_FILE, sheet=schema.SET_ROOMS, row=room.row,
            column="A", header=schema.SET_ROOM_HEADERS[0], record_id=room.name, value=room.name)
