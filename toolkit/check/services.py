"""Rules: 物业+养老 services (P801–P803) — ledger ``services``, settings sheet 收费标准.

Which published standard applies to a service row (rules.md P801): the standards for the row's
item published on or before the service date; among them the row's provider's, else the
any-provider ones (服务单位 empty), the latest 公示日期 winning. A row without a provider takes
the only provider named in 收费标准 when there is one; when several providers have a standard
for that item and there is no any-provider standard, the row is skipped (which one charged?).

Amounts are ``Decimal`` in 元 to the fen: the fee must not exceed 标准价 × 数量 (per 次/份; empty
数量 = 1; an unreadable 数量, D111, skips the row rather than guess 1) or 标准价 × 服务时长 (per
小时; skipped when 时长 is empty or unreadable), the product rounded half up to the fen. The rules are silent when no services ledger was read. A service to someone not
on the elderly ledger is not a finding: services may reach any resident.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from toolkit import schema
from toolkit.check import rule
from toolkit.domain.context import Context
from toolkit.model import Finding, Record, Text, finding
from toolkit.text import listing
from toolkit.domain.services_rooms import SERVICES as KIND
from toolkit.domain.services_rooms import (applied_fee, fee_of, iso, item_of, money, provider_key,
                                           resident_key, services_of, standard_providers, usable,
                                           who)
from toolkit.settings import FeeStandard

UNSATISFIED_WAIT_DAYS = 7        # P803: a 不满意 7 or more days old with no later 满意


def _factor(record: Record, standard: FeeStandard) -> Text:
    if standard.unit == schema.FEE_UNIT_HOUR:
        hours = usable(record, "hours")
        return Text(f"×{hours:g}小时", f"× {hours:g} hours")
    quantity = usable(record, "quantity")
    q = quantity if isinstance(quantity, (int, float)) else 1
    return Text(f"×{q:g}{standard.unit}", f"× {q:g} {standard.unit}")


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
        applied = applied_fee(ctx, r)
        if applied.standard is None or applied.amount is None or fee <= applied.amount:
            continue
        std = applied.standard
        yield finding("P801", record=r, key="fee", record_id=_record_id(r), params={
            "day": r.values["date"], "who": who(r), "item": std.item, "fee": money(fee),
            "price": money(std.price), "unit": std.unit, "factor": _factor(r, std),
            "amount": money(applied.amount), "over": money(fee - applied.amount),
            "provider": Text(std.provider or "所有服务单位", std.provider or "any provider"),
            "published": std.published})


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
        yield finding("P802", record=charged[0], key="fee", severity="info",
                      variant="no_workbook" if ctx.settings.no_workbook
                      else "unreadable" if ctx.settings.unreadable_workbook else "no_sheet",
                      value=None, record_id="", params={"count": len(charged)})
        return
    groups: dict[tuple[str, str], list[Record]] = {}
    for r in charged:
        applied = applied_fee(ctx, r)
        if applied.standard is not None or applied.skip is not None:
            continue
        groups.setdefault((applied.provider, str(item_of(r))), []).append(r)
    named = standard_providers(fees)
    for (provider, item), rows in groups.items():
        first = rows[0]
        others = _other_providers(fees, named, provider, item, rows)
        if others:
            yield finding("P802", record=first, key="fee", record_id=_record_id(first),
                          variant="provider_name", params={
                              "provider": provider, "item": item, "count": len(rows),
                              "others": listing(others), "other": others[0],
                              "first_day": first.values["date"], "who": who(first),
                              "fee": money(fee_of(first))})
            continue
        later = [f for f in fees if f.item == item
                 and (not f.provider or provider_key(f.provider) == provider)]
        when = Text("", "")
        if later:
            day = min(f.published for f in later).isoformat()
            when = Text(f"（{item}的标准{day}才公示）", f" (published only on {day})")
        shown = provider or "（未填服务单位）"
        yield finding("P802", record=first, key="fee", record_id=_record_id(first), params={
            "provider": Text(shown, provider or "(no provider)"), "item": item, "count": len(rows),
            "when": when, "first_day": first.values["date"], "who": who(first),
            "fee": money(fee_of(first))})


def _other_providers(fees, named: set[str], provider: str, item: str,
                     rows: list[Record]) -> list[str]:
    """The providers (as 收费标准 writes them) with a standard for ``item`` published by the
    group's last service date, when the rows' 服务单位 matches no provider of 收费标准 at all
    (``match_provider``): the name is likely written differently (P802 ``provider_name``)."""
    if not provider or provider in named:
        return []
    last = max(r.values["date"] for r in rows)
    return list(dict.fromkeys(f.provider for f in fees
                              if f.item == item and f.provider and f.published <= last))


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
        yield finding("P803", record=r, key="rating", record_id=_record_id(r), params={
            "day": day, "who": who(r), "item": r.values.get("item") or "",
            "wait": UNSATISFIED_WAIT_DAYS})


