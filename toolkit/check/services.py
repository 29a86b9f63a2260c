"""Rules: 物业+养老 services (P801–P803) — ledger ``services``, settings sheet 收费标准.

Which published standard applies to a service row (rules.md P801): the standards for the row's
item published on or before the service date; among them the row's provider's, else the
any-provider ones (服务单位 empty), the latest 公示日期 winning. A row without a provider takes
the only provider named in 收费标准 when there is one; when several providers have a standard
for that item and there is no any-provider standard, the row is skipped (which one charged?).

Amounts are ``Decimal`` in 元 to the fen: the fee must not exceed 标准价 × 数量 (per 次/份; empty
数量 = 1) or 标准价 × 服务时长 (per 小时; skipped when 时长 is empty), the product rounded half
up to the fen. The rules are silent when no services ledger was read. A service to someone not
on the elderly ledger is not a finding: services may reach any resident.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from toolkit import schema
from toolkit.check import rule
from toolkit.check.context import Context
from toolkit.model import Finding, Record, Text, finding
from toolkit.services_rooms import SERVICES as KIND
from toolkit.services_rooms import (_text, applicable, fee_of, iso, money, resident_key,
                                    services_of, usable, who)
from toolkit.settings import FeeStandard

UNSATISFIED_WAIT_DAYS = 7        # P803: a 不满意 7 or more days old with no later 满意


def _factor_text(record: Record, standard: FeeStandard) -> tuple[str, str]:
    if standard.unit == schema.FEE_UNIT_HOUR:
        hours = usable(record, "hours")
        return f"× {hours:g} 小时", f"× {hours:g} hours"
    quantity = usable(record, "quantity")
    q = quantity if isinstance(quantity, (int, float)) else 1
    return f"× {q:g} {standard.unit}", f"× {q:g} {standard.unit}"


def _standard_text(standard: FeeStandard) -> str:
    who_ = standard.provider or "所有服务单位"
    return f"{who_} {standard.item} {money(standard.price)} 元/{standard.unit}（{iso(standard.published)} 公示）"


# ---------------------------------------------------------------------------------------
@rule("P801")
def fee_above_standard(ctx: Context) -> Iterable[Finding]:
    """A fee above the published standard × quantity (or × hours), to the fen."""
    fees = ctx.settings.fees
    if not fees:
        return
    for r in services_of(ctx):
        fee = fee_of(r)
        if fee is None or fee <= 0:
            continue
        applied = applicable(r, fees)
        if applied.standard is None or applied.amount is None:
            continue
        if fee > applied.amount:
            std = applied.standard
            factor_zh, factor_en = _factor_text(r, std)
            over = fee - applied.amount
            yield finding("P801", Text(
                f"{iso(r.values['date'])} {who(r)} 的“{std.item}”收费 {money(fee)} 元，高于公示标准 "
                f"{money(std.price)} 元/{std.unit} {factor_zh} = {money(applied.amount)} 元"
                f"（多收 {money(over)} 元；标准：{_standard_text(std)}）",
                f"{iso(r.values['date'])}: {std.item} charged {money(fee)} 元, above the published "
                f"{money(std.price)} 元/{std.unit} {factor_en} = {money(applied.amount)} 元 "
                f"({money(over)} 元 too much)"),
                record=r, key="fee", record_id=_record_id(r),
                fix=Text(f"核对收费；多收的 {money(over)} 元请服务单位退还居民，或更正收费金额、数量/时长",
                         f"check the fee; have the provider refund {money(over)} 元, or correct "
                         "the fee, quantity or hours"))


def _record_id(r: Record) -> str | None:
    rid = usable(r, "elderly_id")
    return str(rid) if rid else None


# ---------------------------------------------------------------------------------------
@rule("P802")
def fee_not_published(ctx: Context) -> Iterable[Finding]:
    """A fee for an item with no standard published on or before the service date: one
    finding per provider and item, on its first such row (workbook order), with the count.
    No 收费标准 sheet at all: one info finding."""
    records = services_of(ctx)
    charged = [r for r in records if (fee_of(r) or 0) > 0]
    if not charged:
        return
    fees = ctx.settings.fees
    if not fees:
        first = charged[0]
        yield finding("P802", Text(
            f"服务记录中有 {len(charged)} 笔收费，但 设置.xlsx 中没有“{schema.SET_FEES}”表，收费没有核对",
            f"{len(charged)} service(s) charged a fee but 设置.xlsx has no {schema.SET_FEES} sheet; "
            "fees were not checked"),
            severity="info", kind=KIND, file=first.file, sheet=first.sheet, row=first.row,
            column=first.cells["fee"].column if "fee" in first.cells else None,
            header=first.cells["fee"].header if "fee" in first.cells else None, value=None,
            fix=Text(f"在 设置.xlsx 的“{schema.SET_FEES}”表中填写公示的收费标准（服务项目、服务单位、"
                     "计价单位、标准价、公示日期）",
                     f"list the published prices on the {schema.SET_FEES} sheet of 设置.xlsx"))
        return
    groups: dict[tuple[str, str], list[Record]] = {}
    for r in charged:
        applied = applicable(r, fees)
        if applied.standard is not None or applied.skip is not None:
            continue
        groups.setdefault((applied.provider, str(usable(r, "item"))), []).append(r)
    for (provider, item), rows in groups.items():
        first = rows[0]
        later = [f for f in fees if f.item == item and (not f.provider or _text(f.provider) == provider)]
        when = (f"（{item}的标准 {min(f.published for f in later).isoformat()} 才公示）"
                if later else "")
        shown = provider or "（未填服务单位）"
        yield finding("P802", Text(
            f"{shown} 的“{item}”有 {len(rows)} 笔收费，服务日期前没有公示收费标准{when}；"
            f"第一笔：{iso(first.values['date'])} {who(first)} {money(fee_of(first))} 元",
            f"{shown}: {len(rows)} fee(s) for {item} with no standard published on or before the "
            f"service date; first: {iso(first.values['date'])} {money(fee_of(first))} 元"),
            record=first, key="fee", record_id=_record_id(first),
            fix=Text(f"收费前先公示“{item}”的收费标准，并填入 设置.xlsx 的“{schema.SET_FEES}”表；"
                     "未公示期间的收费请核实",
                     f"publish the price for {item} and list it in {schema.SET_FEES}; check the "
                     "fees charged before"))


# ---------------------------------------------------------------------------------------
@rule("P803")
def unsatisfied_not_followed(ctx: Context) -> Iterable[Finding]:
    """A 不满意 at least 7 days old with no 满意/基本满意 for that resident and item in the
    7 days after it (a later row the same day counts)."""
    records = services_of(ctx)
    rated = [(i, r) for i, r in enumerate(records)
             if usable(r, "rating") in schema.SATISFACTION and isinstance(usable(r, "date"), date)]
    if not rated:
        return
    keys = {i: (resident_key(ctx, r), usable(r, "item")) for i, r in rated}
    cutoff = ctx.as_of - timedelta(days=UNSATISFIED_WAIT_DAYS)
    for i, r in rated:
        day = r.values["date"]
        if r.values["rating"] != schema.UNSATISFIED or day > cutoff:
            continue
        until = day + timedelta(days=UNSATISFIED_WAIT_DAYS)
        followed = any(
            keys[j] == keys[i] and o.values["rating"] in schema.SATISFIED
            and (day < o.values["date"] <= until or (o.values["date"] == day and j > i))
            for j, o in rated)
        if followed:
            continue
        yield finding("P803", Text(
            f"{iso(day)} {who(r)} 对“{r.values.get('item') or ''}”服务评价“不满意”，"
            f"之后{UNSATISFIED_WAIT_DAYS}天内没有回访改进后“满意/基本满意”的记录",
            f"{iso(day)}: the resident rated the {r.values.get('item') or ''} service 不满意 and "
            f"no 满意/基本满意 followed within {UNSATISFIED_WAIT_DAYS} days"),
            record=r, key="rating", record_id=_record_id(r),
            fix=Text("回访老人了解不满意的原因，督促服务单位改进，再次服务后登记评价",
                     "call back the resident, have the provider improve, and record the new rating"))


