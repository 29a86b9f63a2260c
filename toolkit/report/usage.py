"""Services and activity-room figures for the reports (issue #17): the per-item/provider table
behind the 服务 sheet and SVC_* indicators, and the weekly utilisation of the 活动室 sheet.

Pure: records, settings and calendar in, numbers out. The period is ``start``..``cutoff``
(``cutoff`` = min(period end, as-of), as for every indicator).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from toolkit import schema
from toolkit.domain.services_rooms import (SERVICES, applied_fee, fee_of, item_of, room_use,
                                           usable)

__all__ = ["ServiceRow", "service_table", "weekly_utilisation"]



def _in_period(record, start: date, cutoff: date) -> bool:
    day = usable(record, "date")
    return isinstance(day, date) and start <= day <= cutoff


@dataclass
class ServiceRow:
    """One (item, provider) line of the 服务 sheet."""
    item: str
    provider: str
    count: int = 0                      # 人次 (rows)
    charged: int = 0                    # rows with a fee > 0
    fees: Decimal = Decimal("0.00")     # 收费合计 (every charged row)
    checked_fees: Decimal = Decimal("0.00")  # 其中已核对: the fees of the rows behind ``allowed``
    allowed: Decimal = Decimal("0.00")  # 标准上限合计 over the rows checked against a standard
    checked: int = 0                    # charged rows with a standard and an amount (or P802)
    compliant: int = 0                  # charged rows within their standard
    above: int = 0                      # P801
    unpublished: int = 0                # P802
    unsatisfied: int = 0
    rows: list = field(default_factory=list)


def service_table(ctx, start: date, cutoff: date) -> list[ServiceRow]:
    """Per item (schema order) and provider: 人次, fees charged vs published, 不满意.

    A charged row counts towards 收费合规率 when it could be checked: a standard applied and
    the amount was computable (compliant when the fee is not above it), or no standard was
    published (P802: not compliant). Rows skipped by P801 (several providers, no hours, an unreadable 数量) and
    every row when there is no 收费标准 sheet are left out of the rate."""
    fees = ctx.settings.fees
    lines: dict[tuple[str, str], ServiceRow] = {}
    for r in ctx.ledger(SERVICES):
        if not _in_period(r, start, cutoff):
            continue
        item = item_of(r) or ""         # empty or not in the list (D109): no item's line
        applied = applied_fee(ctx, r) if fees else None
        provider = applied.provider if applied else "".join(str(usable(r, "provider") or "").split())
        line = lines.setdefault((item, provider), ServiceRow(item, provider))
        line.count += 1
        line.rows.append(r)
        line.unsatisfied += usable(r, "rating") == schema.UNSATISFIED
        fee = fee_of(r)
        if fee is None or fee <= 0:
            continue
        line.charged += 1
        line.fees += fee
        if applied is None or applied.skip is not None:
            continue
        if applied.standard is None:
            line.checked += 1
            line.unpublished += 1
        elif applied.amount is not None:
            line.checked += 1
            line.checked_fees += fee
            line.allowed += applied.amount
            if fee <= applied.amount:
                line.compliant += 1
            else:
                line.above += 1
    order = {item: i for i, item in enumerate(schema.SERVICE_ITEMS)}
    return sorted(lines.values(), key=lambda x: (order.get(x.item, len(order)), x.item, x.provider))


def weekly_utilisation(ctx, weeks: int = 8) -> list[tuple[str, list[float | None]]]:
    """``[(week label, [rate per settings room])]`` for the last ``weeks`` ISO weeks up to
    the as-of date. The current week is counted up to the as-of date, and its label says so
    (``2026-W48（至11-23）``): a Monday alone, where the 书屋 is closed, is not the week."""
    monday = ctx.as_of - timedelta(days=ctx.as_of.weekday())
    out = []
    for n in range(weeks - 1, -1, -1):
        first = monday - timedelta(weeks=n)
        last = min(first + timedelta(days=6), ctx.as_of)
        year, week, _ = first.isocalendar()
        name = f"{year}-W{week:02d}"
        if last < first + timedelta(days=6):
            name += f"（至{last.month:02d}-{last.day:02d}）"
        out.append((name, [u.rate for u in room_use(ctx, first, last)]))
    return out
