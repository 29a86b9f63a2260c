"""Shared concepts of the 物业+养老 services and the activity rooms (issue #17), used by the
rules (``toolkit.check.services``/``rooms``), C308 and the reports alike.

Services: which published standard (收费标准) applies to a row and the most it may charge;
who a service was for; the elderly need an item meets. Rooms: each booking resolved to its
room (name or alias, 小区) with its time as half-open minute ranges; a room's opening hours on a
day; booked and open hours (utilisation).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterator

from toolkit import schema
from toolkit.model import Record
from toolkit.clock import FEN, Clock, TimeRange
from toolkit.settings import FeeStandard, RoomSetting

SERVICES, ROOMS = "services", "rooms"


def usable(record: Record, key: str):
    """The record's value when it parsed (None when empty or invalid)."""
    if key in record.invalid:
        return None
    return record.values.get(key)


def _text(value) -> str:
    return "" if value is None else "".join(str(value).split())


def iso(day: date) -> str:
    return day.isoformat()


def money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def who(record: Record) -> str:
    """The service's resident as the clerk wrote them (编号 and/or 姓名)."""
    rid, name = usable(record, "elderly_id"), usable(record, "elderly_name")
    if rid and name:
        return f"{name}（{rid}）"
    return str(name or rid or "（未填服务对象）")


def services_of(ctx) -> list[Record]:
    return ctx.ledger(SERVICES)


def item_of(record: Record) -> str | None:
    """服务项目 when it is one of the list (schema.SERVICE_ITEMS); None when empty or not in it
    (送餐, 保洁: D109) — such a row is checked against no standard (no P801/P802), and counts
    in the total 服务人次 but in no item's."""
    item = usable(record, "item")
    return item if item in schema.SERVICE_ITEMS else None


def fee_of(record: Record) -> Decimal | None:
    fee = usable(record, "fee")
    return fee if isinstance(fee, Decimal) else None


# ---------------------------------------------------------------------------------------
# which standard applies

@dataclass(frozen=True)
class Applied:
    """The outcome of looking up a row's standard: ``standard`` (None when none applies),
    ``amount`` (the most that may be charged; None when it cannot be computed), ``skip`` (why
    the row is not checked), ``provider`` (the provider the row is taken to be)."""
    standard: FeeStandard | None
    amount: Decimal | None
    provider: str
    skip: str | None = None


def provider_key(value) -> str:
    """A 服务单位 name as compared with 收费标准's: NFKC, no spaces (国贸物业 服务中心 =
    国贸物业服务中心, full-width letters = half-width)."""
    return _text(unicodedata.normalize("NFKC", str(value))) if value is not None else ""


def standard_providers(fees: tuple[FeeStandard, ...]) -> set[str]:
    """The providers named in 收费标准, as ``provider_key``s."""
    return {provider_key(f.provider) for f in fees if f.provider}


def match_provider(written: str, fees: tuple[FeeStandard, ...]) -> str:
    """The 收费标准 provider a written 服务单位 is: the one equal to it after ``provider_key``,
    else the only one that contains it or is contained in it (国贸物业 ↔ 国贸物业服务中心); when
    none or several do, the name as written (``provider_key``)."""
    key = provider_key(written)
    named = standard_providers(fees)
    if not key or key in named:
        return key
    near = [n for n in named if key in n or n in key]
    return near[0] if len(near) == 1 else key


def row_provider(record: Record, fees: tuple[FeeStandard, ...]) -> str:
    """服务单位 as written, matched to 收费标准's name (``match_provider``), else the only
    provider named in 收费标准 (ledgers.md), else ''."""
    written = provider_key(usable(record, "provider"))
    if written:
        return match_provider(written, fees)
    named = standard_providers(fees)
    return next(iter(named)) if len(named) == 1 else ""


def applicable(record: Record, fees: tuple[FeeStandard, ...]) -> Applied:
    """The published standard for ``record`` and the amount it allows (module docstring)."""
    item, day = item_of(record), usable(record, "date")
    provider = row_provider(record, fees)
    if item is None or not isinstance(day, date):
        return Applied(None, None, provider, "unreadable")
    known = [f for f in fees if f.item == item and f.published <= day]
    if provider:
        own = [f for f in known if provider_key(f.provider) == provider]
    else:
        named = {provider_key(f.provider) for f in known if f.provider}
        own = []
        if len(named) > 1 and not any(not f.provider for f in known):
            return Applied(None, None, provider, "ambiguous")
        if len(named) == 1:
            own = [f for f in known if f.provider]
    pool = own or [f for f in known if not f.provider]
    if not pool:
        return Applied(None, None, provider)
    standard = max(pool, key=lambda f: (f.published, f.row))
    if standard.unit == schema.FEE_UNIT_HOUR:
        hours = usable(record, "hours")
        if not isinstance(hours, (int, float)) or isinstance(hours, bool):
            return Applied(standard, None, provider, "no_hours")
        factor = Decimal(repr(float(hours)))
    else:
        if "quantity" in record.invalid:        # 数量 written but unreadable (D111): not ×1
            return Applied(standard, None, provider, "bad_quantity")
        quantity = usable(record, "quantity")
        factor = Decimal(repr(float(quantity))) if isinstance(quantity, (int, float)) \
            and not isinstance(quantity, bool) else Decimal(1)
    amount = (standard.price * factor).quantize(FEN, rounding=ROUND_HALF_UP)
    return Applied(standard, amount, provider)


def applied_fee(ctx, record: Record) -> Applied:
    """``applicable(record, ctx.settings.fees)``, worked out once per row and run (P801, P802
    and the 服务 sheet all ask)."""
    memo = ctx.__dict__.setdefault("_applied_fees", {})
    key = id(record)
    if key not in memo:
        memo[key] = applicable(record, ctx.settings.fees)
    return memo[key]


def resident_key(ctx, record: Record) -> str:
    """Who a service was for: the elderly ledger's 编号 when the row matches a resident
    (by 编号, else a unique 姓名). Otherwise (no elderly ledger, or someone not on it) the
    姓名 when the services ledger writes that 编号 and 姓名 only with each other — so 张秀英
    with LR-001, 张秀英 alone and LR-001 alone are one person; when rows give one name two 编号
    (two residents of that name) or one 编号 two names, the 编号 as written, else the 姓名."""
    match = ctx.care.match_visit(record)
    if match.record is not None and match.record.id:
        return f"id:{match.record.id}"
    rid, name = _text(usable(record, "elderly_id")), _text(usable(record, "elderly_name"))
    ids_of, names_of = _written_residents(ctx)
    if rid:
        names = names_of.get(rid, set())
        if len(names) == 1 and (not name or name in names) \
                and len(ids_of[next(iter(names))]) == 1:
            return f"name:{next(iter(names))}"      # one id, one name: the same person
        return f"id:{rid}"
    return f"name:{name}"


def _written_residents(ctx) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Over the services rows that match no resident of the elderly ledger: 姓名 → the 编号
    written with it, and 编号 → the 姓名 written with it (once per run)."""
    cached = ctx.__dict__.get("_services_written_residents")
    if cached is None:
        ids_of: dict[str, set[str]] = {}
        names_of: dict[str, set[str]] = {}
        care = ctx.care
        for r in services_of(ctx):
            if care.match_visit(r).record is not None:
                continue
            rid, name = _text(usable(r, "elderly_id")), _text(usable(r, "elderly_name"))
            if rid and name:
                ids_of.setdefault(name, set()).add(rid)
                names_of.setdefault(rid, set()).add(name)
        cached = ctx.__dict__["_services_written_residents"] = (ids_of, names_of)
    return cached


# ---------------------------------------------------------------------------------------
# C308: a service of an item counts for the matching elderly need (used by check/elderly.py)

def need_of(item: str | None) -> str | None:
    """The elderly need a service item meets (陪诊 → 助医; the others are their own word)."""
    if item is None:
        return None
    return schema.SERVICE_NEED_OF.get(item, item)


def service_dates(ctx, resident: Record, need: str) -> Iterator[date]:
    """Dates (up to the as-of date) of services meeting ``need`` for ``resident``."""
    index = _by_resident(ctx)
    for r in index.get(id(resident), ()):
        day = usable(r, "date")
        if isinstance(day, date) and day <= ctx.as_of and need_of(usable(r, "item")) == need:
            yield day


def _by_resident(ctx) -> dict[int, list[Record]]:
    cached = ctx.__dict__.get("_services_by_resident")
    if cached is None:
        cached = {}
        care = ctx.care
        for r in services_of(ctx):
            match = care.match_visit(r)
            if match.record is not None:
                cached.setdefault(id(match.record), []).append(r)
        ctx.__dict__["_services_by_resident"] = cached
    return cached


# ---------------------------------------------------------------------------------------
# rooms: bookings resolved to rooms, opening hours, utilisation

IDLE_DAYS = 30                   # U904: no booking in the 30 days up to the as-of date


def _norm(value) -> str:
    return _text(value)


@dataclass
class Booking:
    """One row of the rooms ledger: its day, its time as half-open minute ranges (None when
    unreadable or missing), the room it resolved to (None: not in settings, or no settings),
    and ``key``: what identifies the room for overlaps."""
    record: Record
    day: date | None
    spans: tuple[tuple[int, int], ...] | None
    room: RoomSetting | None
    key: tuple
    all_day: bool = False
    unknown: bool = False            # settings list rooms and this name/alias is not one
    ambiguous: bool = False          # several rooms of that name and no 小区 to tell them apart
    candidates: tuple[RoomSetting, ...] = ()   # ambiguous: the rooms it may be (settings order)

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def hours(self) -> float:
        return sum(e - s for s, e in self.spans or ()) / 60


def room_hours(room: RoomSetting | None) -> tuple[tuple[int, int], ...]:
    return room.hours if room is not None else schema.DEFAULT_OPEN_HOURS


def open_on(room: RoomSetting, day: date, calendar) -> bool:
    """Whether the room opens on ``day``: 开放日 empty = every day; 工作日 follows the
    working-day calendar (调休 included), 节假日除外 closes on public holidays (``Days.on``,
    the test 可服务时间 and 值班日 use too)."""
    return room.open_days.on(day, calendar)


def find_room(rooms: tuple[RoomSetting, ...], name, estate) -> tuple[RoomSetting | None, str]:
    """The room a booking names (name or alias, narrowed by 小区); status ``ok``, ``unknown``
    or ``ambiguous``."""
    text, place = _norm(name), _norm(estate)
    named = [r for r in rooms if text in {_norm(n) for n in r.names}]
    if not named:
        return None, "unknown"
    if place:
        here = [r for r in named if _norm(r.estate) == place]
        if len(here) == 1:
            return here[0], "ok"
        anywhere = [r for r in named if not r.estate]
        if len(anywhere) == 1 and not here:
            return anywhere[0], "ok"
        if not here and len(named) == 1:
            return named[0], "ok"
    if len(named) == 1:
        return named[0], "ok"
    return None, "ambiguous"


def room_candidates(rooms: tuple[RoomSetting, ...], name, estate) -> tuple[RoomSetting, ...]:
    """The rooms an ambiguous booking (``find_room`` status ``ambiguous``) may be: those of
    that name in its 小区 when several are, else every room of that name."""
    text, place = _norm(name), _norm(estate)
    named = tuple(r for r in rooms if text in {_norm(n) for n in r.names})
    here = tuple(r for r in named if place and _norm(r.estate) == place)
    return here if len(here) > 1 else named


def _spans(record: Record, room: RoomSetting | None) -> tuple[tuple[tuple[int, int], ...] | None, bool]:
    slot = usable(record, "slot")
    if isinstance(slot, TimeRange):
        if slot.all_day:
            return room_hours(room), True
        return ((slot.start, slot.end),), False
    if "slot" in record.invalid:
        return None, False
    start, end = usable(record, "start"), usable(record, "end")
    if isinstance(start, Clock) and isinstance(end, Clock) and end.minutes > start.minutes:
        return ((start.minutes, end.minutes),), False
    return None, False


def bookings(ctx) -> list[Booking]:
    """Every booking of the rooms ledger, resolved once per run (workbook order)."""
    cached = ctx.__dict__.get("_room_bookings")
    if cached is not None:
        return cached
    rooms = ctx.settings.rooms or ()
    out: list[Booking] = []
    found: dict[tuple, tuple] = {}             # (name, estate) -> find_room result, once each
    for r in ctx.ledger(ROOMS):
        name = usable(r, "room")
        if rooms and name:
            where = (name, usable(r, "estate"))
            if where not in found:
                room, status = find_room(rooms, *where)
                found[where] = room, status, (room_candidates(rooms, *where)
                                              if status == "ambiguous" else ())
            room, status, candidates = found[where]
        else:
            room, status, candidates = None, "none", ()
        if room is not None:
            key = ("room", room.name, room.estate)
        else:
            key = ("name", _norm(usable(r, "estate")) if status != "unknown" else "", _norm(name))
        spans, all_day = _spans(r, room)
        day = usable(r, "date")
        out.append(Booking(r, day if isinstance(day, date) else None, spans, room, key, all_day,
                           unknown=status == "unknown", ambiguous=status == "ambiguous",
                           candidates=candidates))
    ctx.__dict__["_room_bookings"] = out
    return out


def union_minutes(spans: list[tuple[int, int]]) -> int:
    """Minutes covered by half-open ranges, overlaps counted once."""
    total, end = 0, None
    for s, e in sorted(spans):
        if end is None or s >= end:
            total += e - s
            end = e
        elif e > end:
            total += e - end
            end = e
    return total


def within_hours(spans: list[tuple[int, int]], hours: tuple[tuple[int, int], ...]
                 ) -> list[tuple[int, int]]:
    """The parts of ``spans`` inside the opening ``hours`` (19:00-21:00 with hours to 20:30 →
    19:00-20:30): booked time outside them is U902's business, not use of the room."""
    return [(max(s, hs), min(e, he)) for s, e in spans for hs, he in hours
            if min(e, he) > max(s, hs)]


def open_minutes(room: RoomSetting, start: date, end: date, calendar) -> int:
    """A room's opening minutes over the days ``start``..``end`` (inclusive)."""
    per_day = sum(e - s for s, e in room.hours)
    days = (end - start).days + 1
    return sum(per_day for i in range(max(days, 0))
               if open_on(room, start + timedelta(days=i), calendar))


@dataclass(frozen=True)
class RoomUse:
    """One room's use over a period: booked minutes (overlaps once; only the part inside its
    opening hours on the days it opens — the same hours as ``open``, so the rate never
    exceeds 1), open minutes, the
    number of bookings, the attendance written, the last booking on or before the cut-off;
    ``maybe_last``: the last booking on or before the cut-off that may be this room (a name
    several rooms share, no 小区 to tell which: counted for none of them, D109)."""
    room: RoomSetting
    booked: int
    open: int
    activities: int
    attendance: int
    last: date | None
    maybe_last: date | None = None

    @property
    def rate(self) -> float | None:
        return round(self.booked / self.open, 4) if self.open else None


def room_use(ctx, start: date, cutoff: date) -> list[RoomUse]:
    """Per room of the settings (settings order) for ``start``..``cutoff``."""
    rooms = ctx.settings.rooms or ()
    every = bookings(ctx)
    out = []
    for room in rooms:
        mine = [b for b in every if b.room is room and b.day is not None and b.day <= cutoff]
        inside = [b for b in mine if b.day >= start]
        by_day: dict[date, list[tuple[int, int]]] = {}
        for b in inside:
            by_day.setdefault(b.day, []).extend(b.spans or ())
        booked = sum(union_minutes(within_hours(spans, room.hours))
                     for day, spans in by_day.items() if open_on(room, day, ctx.calendar))
        attendance = sum(a for b in inside if isinstance(a := usable(b.record, "attendance"), int)
                         and a > 0)
        maybe = max((b.day for b in every if b.ambiguous and room in b.candidates
                     and b.day is not None and b.day <= cutoff), default=None)
        out.append(RoomUse(room, booked, open_minutes(room, start, cutoff, ctx.calendar),
                           len(inside), attendance, max((b.day for b in mine), default=None),
                           maybe))
    return out


def idle(use: RoomUse, as_of: date) -> bool:
    """No booking dated in the 30 days up to and including the as-of date (U904) — neither
    its own nor one that may be it (``RoomUse.maybe_last``: whether it was used is not known,
    so it is not called idle)."""
    since = as_of - timedelta(days=IDLE_DAYS)
    return all(day is None or day <= since for day in (use.last, use.maybe_last))
