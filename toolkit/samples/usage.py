"""Synthetic 物业+养老 services and activity-room bookings (issue #17), for the generator
(``toolkit.samples.generate``), the demo workspace and the benchmarks.

Clean rows break no rule: every fee is the published price × quantity (or × hours), every
resident served is on the elderly ledger, nobody is 不满意, bookings of a room never overlap,
stay inside the opening hours and the capacity, and every room is used in the last 30 days.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from toolkit import schema
from toolkit.clock import range_text
from toolkit.settings import FeeStandard, RoomSetting

PROVIDERS = ("国贸物业", "绿城物业服务中心")
WORKERS = ("陈师傅", "李阿姨", "周师傅", "吴阿姨", "郑师傅", "孙阿姨")
PUBLISHED = date(2020, 1, 1)
# item -> (unit, price, provider: "" = any); 助洁 and 陪诊 are charged by the hour
PRICES = {"助餐": ("份", "12.00", ""), "助洁": ("小时", "25.00", PROVIDERS[0]),
          "垃圾投放": ("次", "2.00", ""), "代配药": ("次", "5.00", ""),
          "陪诊": ("小时", "30.00", "")}
PROVIDER_PRICE = {("助洁", PROVIDERS[1]): "22.00"}     # the second company's own 助洁 price
FREE_ITEMS = ("维修", "助医")
ROOM_NAMES = ("舞蹈室", "乒乓球室", "棋牌室", "书屋", "多功能厅")
ROOM_ALIASES = {"乒乓球室": ("乒乓室",), "书屋": ("悦享书屋",)}
ROOM_CAPACITY = {"舞蹈室": 25, "乒乓球室": 12, "棋牌室": 16, "书屋": 20, "多功能厅": 60}
ROOM_TEAMS = {"舞蹈室": ("怡和舞蹈队", "排舞队", "广场舞队"), "乒乓球室": ("乒乓球协会", "银发乒乓队"),
              "棋牌室": ("象棋社", "老年棋牌队"), "书屋": ("读书会", "书法小组"),
              "多功能厅": ("居民议事会", "党员学习小组", "健康讲座", "合唱团")}
SLOTS = ("09:00-11:00", "上午", "14:00-16:00", "下午", "18:30-20:30", "9:00～11:30")
SLOT_RANGES = {"上午": (510, 690), "下午": (810, 1020)}


def fee_standards() -> tuple[FeeStandard, ...]:
    out = [FeeStandard(item, provider, unit, Decimal(price), PUBLISHED, row)
           for row, (item, (unit, price, provider)) in enumerate(PRICES.items(), start=2)]
    for (item, provider), price in PROVIDER_PRICE.items():
        unit = PRICES[item][0]
        out.append(FeeStandard(item, provider, unit, Decimal(price), PUBLISHED, len(out) + 2))
    return tuple(out)


def room_settings() -> tuple[RoomSetting, ...]:
    """The five rooms of the seed: 书屋 opens on 工作日; the others every day with a lunch break."""
    out = []
    for row, name in enumerate(ROOM_NAMES, start=2):
        workdays = name == "书屋"
        out.append(RoomSetting(name, "", ROOM_ALIASES.get(name, ()),
                               frozenset() if workdays else None, workdays,
                               ((510, 690), (810, 1230)), ROOM_CAPACITY[name], row))
    return tuple(out)


def price_of(item: str, provider: str) -> tuple[str, Decimal] | None:
    if item not in PRICES:
        return None
    unit, price, _ = PRICES[item]
    return unit, Decimal(PROVIDER_PRICE.get((item, provider), price))


def service_row(rng: random.Random, resident: dict, day: date, item: str, provider: str) -> dict:
    """One clean service row (raw cell values, keyed by the schema's keys)."""
    row = {"date": day, "elderly_id": resident["id"], "elderly_name": resident["name"],
           "item": item, "provider": provider, "worker": rng.choice(WORKERS),
           "quantity": None, "hours": None, "fee": None, "paid": None,
           "rating": rng.choice(("满意", "满意", "基本满意", ""))}
    priced = price_of(item, provider)
    if priced is None:
        return row
    unit, price = priced
    if unit == schema.FEE_UNIT_HOUR:
        hours = rng.choice((1.0, 1.5, 2.0))
        row["hours"], fee = hours, price * Decimal(repr(hours))
    else:
        qty = rng.choice((1, 1, 1, 2))
        row["quantity"], fee = (qty if qty > 1 else None), price * qty
    row["fee"] = float(fee)
    row["paid"] = "是"
    return row


def build_services(rng: random.Random, elderly: list[dict], n: int, start: date,
                   as_of: date) -> list[dict]:
    """About ``n`` services between ``start`` and ``as_of`` to residents with a matching need
    (else 助餐/维修), by the two providers, sorted by date."""
    if not elderly or n <= 0:
        return []
    span = max(1, (as_of - start).days)
    items_for = {}
    for r in elderly:
        needs = [need for need in r.get("needs") or () if need in schema.SERVICE_ITEMS]
        items_for[r["id"]] = needs or ["助餐", "维修", "垃圾投放"]
    rows = []
    for _ in range(n):
        resident = rng.choice(elderly)
        item = rng.choice(items_for[resident["id"]])
        if item == "助医" and rng.random() < 0.5:
            item = "陪诊"
        day = start + timedelta(days=rng.randrange(span + 1))
        rows.append(service_row(rng, resident, day, item, rng.choice(PROVIDERS)))
    rows.sort(key=lambda r: (r["date"], r["elderly_id"], r["item"]))
    return rows


def build_bookings(rng: random.Random, n: int, start: date, as_of: date, calendar,
                   ahead: int = 14) -> list[dict]:
    """About ``n`` bookings of the five rooms from ``start`` to ``ahead`` days after the as-of
    date (rooms are booked ahead); one booking per room, day and slot kind (上午/下午/晚上),
    so none overlap; each room booked at least once in the last week."""
    rooms = room_settings()
    span = max(1, (as_of - start).days + ahead)
    taken: set[tuple[str, date, int]] = set()
    rows = []

    def add(room: RoomSetting, day: date) -> None:
        if room.workdays and not calendar.is_workday(day):
            return
        slot = rng.choice(SLOTS)
        part = 0 if slot in ("09:00-11:00", "上午", "9:00～11:30") else 1 if slot in (
            "14:00-16:00", "下午") else 2
        if (room.name, day, part) in taken:
            return
        taken.add((room.name, day, part))
        team = rng.choice(ROOM_TEAMS[room.name])
        rows.append({"date": day, "room": rng.choice(room.names) if rng.random() < 0.1 else room.name,
                     "slot": slot, "estate": None, "user": team, "activity": team.replace("队", "") + "活动",
                     "attendance": rng.randrange(3, room.capacity + 1),
                     "contact": rng.choice(("施阿姨", "王老伯", "张阿姨", "刘老师", "陆阿姨"))})

    for room in rooms:                      # used recently: no room idle (U904) in clean data
        for back in range(1, 8):
            before = len(rows)
            add(room, as_of - timedelta(days=back))
            if len(rows) > before:
                break
    for _ in range(max(0, n - len(rows))):
        add(rng.choice(rooms), start + timedelta(days=rng.randrange(span)))
    rows.sort(key=lambda r: (r["date"], r["room"], r["slot"]))
    return rows


# --------------------------------------------------------------------------- defects
def defect_service(rng: random.Random, row: dict, as_of: date) -> tuple[str, str, str]:
    """P801 (fee above the standard), D101 (no item), D102 (bad date)."""
    choice = rng.randrange(3)
    if choice == 0 and row.get("fee"):
        row["fee"] = round(row["fee"] + rng.choice((1, 5, 10)), 2)
        return "P801", "fee", "收费高于公示标准"
    if choice == 1:
        row["item"] = ""
        return "D101", "item", "服务项目为空"
    row["date"] = f"{as_of.year}-02-30"
    return "D102", "date", "服务日期不存在"


def defect_booking(rng: random.Random, row: dict, earlier: dict | None) -> tuple[str, str, str]:
    """U901 (same room, day and time as an earlier row), U903 (too many people), D102 (slot)."""
    choice = rng.randrange(3)
    if choice == 0 and earlier is not None and isinstance(earlier.get("date"), date) \
            and earlier.get("slot") not in ("随便", None):
        row.update(date=earlier["date"], room=earlier["room"], slot=earlier["slot"])
        return "U901", "slot", "与前面一条预约同时段"
    if choice == 1:
        row["attendance"] = 999
        return "U903", "attendance", "参加人数超过容纳人数"
    row["slot"] = "随便"
    return "D102", "slot", "时段无法识别"


def slot_range(text: str) -> str:
    """A slot as 09:00-11:00 (for the README)."""
    return range_text(*SLOT_RANGES[text]) if text in SLOT_RANGES else text
