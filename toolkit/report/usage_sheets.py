"""The 服务 and 活动室 sheets of 周检查报告.xlsx (issue #17). Names in full: the staff report
stays in the 居委.

- 服务: 人次 by 服务项目 and 服务单位, fees charged against the published standard, 超标准 /
  未公示 counts, 不满意; the 收费合规率; then each 不满意 service of the period.
- 活动室: each room of the settings with its open hours, booked hours and utilisation
  (booked ÷ open hours in the period; overlapping bookings counted once), activities,
  attendance, last use and 闲置 (no booking in 30 days, nor one that may be it); rooms booked but
  not in the settings, and bookings of a name several rooms share with no 小区 (counted for none);
  then each week's utilisation per room (last 8 weeks) with a line chart.
"""
from __future__ import annotations

from datetime import date

from toolkit import schema
from toolkit.report.usage import service_table, weekly_utilisation
from toolkit.report.writer import fit_row, print_setup, write_row
from toolkit.schema import label
from toolkit.domain.services_rooms import ROOMS, bookings, idle, room_use, usable

W = {  # sheet words (zh, en)
    "services": ("服务", "Services"), "rooms": ("活动室", "Rooms"),
    "svc_title": ("物业+养老服务（{period}）", "Services delivered ({period})"),
    "room_title": ("活动室使用（{period}）", "Activity rooms ({period})"),
    "item": ("服务项目", "item"), "provider": ("服务单位", "provider"), "count": ("人次", "services"),
    "charged": ("收费笔数", "charged"), "fees": ("收费合计（元）", "fees (元)"),
    "checked_fees": ("其中按标准核对的收费（元）", "of which checked against a standard (元)"),
    "allowed": ("这些收费按公示标准最多（元）", "allowed for those by the standard (元)"),
    "above": ("超标准笔数", "above standard"), "unpublished": ("未公示笔数", "no published price"),
    "unsatisfied": ("不满意", "unsatisfied"), "total": ("合计", "total"),
    "compliance": ("收费合规率", "fee compliance"), "no_fees": ("未设置收费标准，收费未核对",
                                                              "no 收费标准 sheet: fees not checked"),
    "unsat_list": ("不满意的服务", "Services rated unsatisfied"),
    "date": ("服务日期", "date"), "resident": ("服务对象", "resident"), "worker": ("服务人员", "worker"),
    "where": ("位置", "location"),
    "room": ("活动室", "room"), "estate": ("小区", "estate"), "open": ("开放小时", "open hours"),
    "booked": ("预约小时", "booked hours"), "rate": ("利用率", "utilisation"),
    "activities": ("活动场次", "activities"), "attendance": ("参加人次", "attendance"),
    "last": ("最近使用", "last used"), "idle": ("闲置（30天无预约）", "idle (30 days)"),
    "yes": ("是", "yes"), "no": ("否", "no"), "not_listed": ("（未在设置中）", "(not in settings)"),
    "ambiguous": ("（同名的有几间，未能确定是哪一间）", "(several rooms of that name: which one is unknown)"),
    "no_rooms": ("设置.xlsx 中没有活动室名单：利用率和闲置无法计算", "no 活动室 sheet: utilisation not computed"),
    "weekly": ("各活动室每周利用率", "Weekly utilisation per room"), "week": ("周", "week"),
    "none": ("无", "none"),
}


SERVICE_WIDTHS = (12, 20, 8, 16, 16, 24, 26, 9, 9, 8)
ROOM_WIDTHS = (16, 10, 10, 10, 9, 9, 9, 12, 12)


def _page(sheet, ctx, widths, lang) -> None:
    """Column widths and the reports' one paper set-up (footer 居委 · 第 N 页 · 检查日期). No
    header row repeats: each sheet holds several tables (a 居委's rooms, or its items × providers,
    fit one page), and the first table's header repeated on a later page would stand over
    another table — the weekly utilisation, the 不满意 list."""
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    print_setup(sheet, committee=ctx.settings.committee, as_of=ctx.as_of, lang=lang, repeat=None)


# the services table's amounts: 收费合计 (every charged row), 其中按标准核对的 and what the
# standard allows for those same rows — the last two compare like with like; a row whose fee
# could not be checked (no hours, unreadable 数量, several standards, P802) is in the first only
FEES = slice(4, 7)


def _service_row(sheet, row, values, fmt, money_fmt, widths) -> None:
    """One line of the services table, its amounts in 元 shown to the fen (147.50, not 147.5)."""
    write_row(sheet, row, values[:FEES.start], fmt)
    write_row(sheet, row, values[FEES], money_fmt, first_col=FEES.start)
    write_row(sheet, row, values[FEES.stop:], fmt, first_col=FEES.stop)
    fit_row(sheet, row, values, widths)


def _row(sheet, row, values, fmt, widths, date_fmt=None) -> None:
    write_row(sheet, row, values, fmt, date_fmt)
    fit_row(sheet, row, values, widths)


def services_sheet(workbook, fmt, ctx, start: date, cutoff: date, period: str, lang: str) -> None:
    sheet = workbook.add_worksheet(label(W["services"], lang))
    widths = SERVICE_WIDTHS
    _page(sheet, ctx, widths, lang)
    sheet.write_string(0, 0, label(W["svc_title"], lang).format(period=period), fmt["section"])
    header = [label(W[k], lang) for k in ("item", "provider", "count", "charged", "fees",
                                          "checked_fees", "allowed", "above", "unpublished",
                                          "unsatisfied")]
    _row(sheet, 2, header, fmt["head"], widths)
    table = service_table(ctx, start, cutoff)
    row = 3
    for x in table:
        _service_row(sheet, row, [x.item or "—", x.provider or "—", x.count, x.charged, float(x.fees),
                                  float(x.checked_fees), float(x.allowed), x.above, x.unpublished, x.unsatisfied],
                     fmt["text"], fmt["money"], widths)
        row += 1
    totals = [sum(getattr(x, k) for x in table) for k in ("count", "charged")] + \
        [float(sum(getattr(x, k) for x in table)) for k in ("fees", "checked_fees", "allowed")] + \
        [sum(getattr(x, k) for x in table) for k in ("above", "unpublished", "unsatisfied")]
    _service_row(sheet, row, [label(W["total"], lang), ""] + totals, fmt["label"],
                 fmt["money_label"], widths)
    row += 2
    sheet.write_string(row, 0, label(W["compliance"], lang), fmt["label"])
    checked = sum(x.checked for x in table)
    if ctx.settings.fees and checked:
        sheet.write_number(row, 1, round(sum(x.compliant for x in table) / checked, 4), fmt["rate"])
        sheet.write_string(row, 2, f"{sum(x.compliant for x in table)}/{checked}", fmt["text"])
    else:
        text = "—" if ctx.settings.fees else label(W["no_fees"], lang)
        sheet.write_string(row, 1, text, fmt["text"])
        fit_row(sheet, row, [label(W["compliance"], lang), text], widths)
    row += 2
    sheet.write_string(row, 0, label(W["unsat_list"], lang), fmt["section"])
    row += 1
    _row(sheet, row, [label(W[k], lang) for k in ("date", "resident", "item", "provider",
                                                  "worker", "where")], fmt["head"], widths)
    unsatisfied = [r for x in table for r in x.rows if usable(r, "rating") == schema.UNSATISFIED]
    unsatisfied.sort(key=lambda r: (r.values["date"], r.file, r.sheet, r.row))
    if not unsatisfied:
        sheet.write_string(row + 1, 0, label(W["none"], lang), fmt["text"])
    for r in unsatisfied:
        row += 1
        resident = " ".join(str(v) for v in (usable(r, "elderly_name"), usable(r, "elderly_id")) if v)
        _row(sheet, row, [r.values["date"], resident, usable(r, "item"), usable(r, "provider"),
                          usable(r, "worker"), f"{r.file} / {r.sheet} / {r.row}"],
             fmt["text"], widths, fmt["date"])


def _room_heads(rooms) -> list[str]:
    """Each room's name, with its 小区 when another room has that name (乒乓球室（松和苑）): the
    weekly table's columns and the chart's series must tell them apart."""
    names = [r.name for r in rooms]
    return [f"{r.name}（{r.estate}）" if names.count(r.name) > 1 and r.estate else r.name
            for r in rooms]


def rooms_sheet(workbook, fmt, ctx, start: date, cutoff: date, period: str, lang: str) -> None:
    sheet = workbook.add_worksheet(label(W["rooms"], lang))
    widths = ROOM_WIDTHS
    _page(sheet, ctx, widths, lang)
    sheet.write_string(0, 0, label(W["room_title"], lang).format(period=period), fmt["section"])
    header = [label(W[k], lang) for k in ("room", "estate", "open", "booked", "rate", "activities",
                                          "attendance", "last", "idle")]
    _row(sheet, 2, header, fmt["head"], widths)
    row = 3
    uses = room_use(ctx, start, cutoff)
    recent = {id(u.room): idle(u, ctx.as_of) for u in room_use(ctx, ctx.as_of, ctx.as_of)}
    for u in uses:
        _row(sheet, row, [u.room.name, u.room.estate, round(u.open / 60, 2),
                          round(u.booked / 60, 2), "", u.activities, u.attendance, u.last,
                          label(W["yes"] if recent[id(u.room)] else W["no"], lang)],
             fmt["text"], widths, fmt["date"])
        if u.rate is None:
            sheet.write_string(row, 4, "—", fmt["text"])
        else:
            sheet.write_number(row, 4, u.rate, fmt["rate"])
        row += 1
    others: dict[tuple, list] = {}
    for b in bookings(ctx):
        if b.room is None and b.day is not None and start <= b.day <= cutoff:
            others.setdefault((str(usable(b.record, "room") or ""), str(usable(b.record, "estate") or ""),
                               b.ambiguous), []).append(b)
    for (name, estate, ambiguous), members in sorted(others.items()):
        booked = round(sum(b.hours for b in members), 2)
        attendance = sum(a for b in members if isinstance(a := usable(b.record, "attendance"), int))
        why = label(W["ambiguous" if ambiguous else "not_listed"], lang)
        _row(sheet, row, [f"{name}{why}", estate, "—", booked, "—",
                          len(members), attendance, max(b.day for b in members), "—"],
             fmt["text"], widths, fmt["date"])
        row += 1
    if not ctx.settings.rooms:
        sheet.write_string(row + 1, 0, label(W["no_rooms"], lang), fmt["note"])
        return
    row += 2
    sheet.set_h_pagebreaks([row])        # the weekly table and its chart on a page of their own
    sheet.write_string(row, 0, label(W["weekly"], lang), fmt["section"])
    row += 1
    weeks = weekly_utilisation(ctx)
    heads = _room_heads([u.room for u in uses])
    _row(sheet, row, [label(W["week"], lang)] + heads, fmt["head"], widths)
    first = row + 1
    for label_, rates in weeks:
        row += 1
        sheet.write_string(row, 0, label_, fmt["raw"])
        for c, rate in enumerate(rates, start=1):
            if rate is None:
                sheet.write_blank(row, c, None, fmt["raw"])
            else:
                sheet.write_number(row, c, rate, fmt["rate"])
    chart = workbook.add_chart({"type": "line"})
    name = sheet.get_name()
    for c in range(1, len(uses) + 1):
        chart.add_series({"name": [name, first - 1, c], "categories": [name, first, 0, row, 0],
                          "values": [name, first, c, row, c], "marker": {"type": "circle", "size": 5}})
    chart.set_title({"name": label(W["weekly"], lang)})
    chart.set_y_axis({"num_format": "0%", "min": 0})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 640, "height": 300})
    sheet.insert_chart(row + 2, 0, chart)
