"""镇报送表.xlsx — the community's report to the town office (街镇).

Mostly counts: a header block (居委名称, 所属街镇, 报送周期, 填报人, 填报日期), the request,
care and volunteer indicators, a by-category table, one data-quality line per ledger, the
urgent items (masked), and a machine-readable ``指标`` sheet that ``shequ merge`` reads back.

With 报送 脱敏 = 是 (the default) no name, phone or ID number of a resident or volunteer appears:
urgent items show only the code, ledger, 编号 and a scrubbed message, and a group label typed
outside the lists (a 来源 such as ``张桂英转述138…``) is scrubbed the same way. Print-ready: A4 portrait,
fit to width, the title rows repeated on each page, page numbers in the footer.
"""
from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Iterable

from toolkit import schema
from toolkit.codes import CODES
from toolkit.model import Finding
from toolkit.report.indicators import (CARE_CODES, COUNCIL_CODES, DATA_CODES, ESTATE_CARE_CODES,
                                       ESTATE_REQUEST_CODES, ESTATE_VOLUNTEER_CODES, KIND_OF,
                                       OTHER_KIND, REQUEST_CODES, VOLUNTEER_CODES, WORK_CODES,
                                       Indicator, as_map, cutoff_of, group_label, indicator,
                                       period_bounds, recompute, worst_estate)
from toolkit.mask import known_personal, scrubber
from toolkit.report.writer import (GREY, fit_row, print_setup, set_widths, write_row,
                                   write_workbook)
from toolkit.schema import label

__all__ = ["write_town_report", "formats", "value_format", "INDICATOR_COLUMNS", "TITLE_TEXT"]

INDICATOR_COLUMNS = schema.INDICATOR_COLUMNS     # the 指标 sheet, read back by toolkit.read.reports
TITLE_TEXT = ("社区工作报送表", "Community report to the town office")
SECTION_TEXT = {
    "requests": ("一、诉求办理", "1. Resident requests"),
    "sources": ("按来源受理", "Requests by source"),
    "categories": ("二、诉求分类统计", "2. Requests by category"),
    "request_estates": ("诉求按小区统计", "Requests by estate"),
    "care": ("三、老年人巡访", "3. Elderly care"),
    "tiers": ("巡访分级统计", "Care by tier"),
    "care_people": ("在册老人按小区统计", "Residents by estate"),
    "care_services": ("巡访服务按小区统计（人次）", "Visits and services by estate"),
    "volunteers": ("四、志愿服务", "4. Volunteers"),
    "volunteer_estates": ("志愿服务按小区统计", "Volunteers by estate"),
    "services": ("物业+养老服务", "Services (物业+养老)"),
    "service_items": ("服务人次（按服务项目）", "Services by item"),
    "rooms": ("活动室", "Activity rooms"),
    "work": ("五、工作问题（应办未办的事）", "5. Work problems (work not done)"),
    "quality": ("六、台账数据质量（台账本身的错误）", "6. Ledger data quality (the ledger is wrong)"),
    "urgent": ("七、紧急事项", "7. Urgent items"),
    "council": ("八、居民议事会", "8. Resident council"),     # only when minutes were read
}
CATEGORY_COLUMNS = ("REQ_RECEIVED", "REQ_RESOLVED", "REQ_CLOSED_DUE_RATE", "REQ_SOLVED_RATE",
                    "REQ_ONTIME_RATE", "REQ_FIRST_CONTACT_RATE", "REQ_REPLY_RATE",
                    "REQ_SATISFIED_RATE", "REQ_OVERDUE_OPEN")
CARE_PEOPLE_COLUMNS = ESTATE_CARE_CODES[:9]
CARE_SERVICE_COLUMNS = ESTATE_CARE_CODES[9:]
TIER_COLUMNS = ("CARE_REGISTERED", "CARE_DUE", "CARE_ONTIME_RATE", "CARE_OVERDUE")
WORDS = {"indicator": ("指标", "indicator"), "value": ("数值", "value"),
         "numerator": ("分子", "numerator"), "denominator": ("分母", "denominator"),
         "category": ("类别", "category"), "tier": ("等级", "tier"),
         "ledger": ("台账", "ledger"), "errors": ("错误", "errors"), "warnings": ("警告", "warnings"),
         "code": ("代码", "code"), "item": ("事项", "item"), "record": ("编号", "record"),
         "message": ("说明", "details"), "none": ("无", "none"),
         "masked": ("（个人信息已脱敏）", "(personal data masked)"),
         "estate": ("小区", "estate"), "source": ("来源", "source"),
         "cutoff": ("统计截止日", "Cut-off day"),
         "unread": ("未报送", "Not reported"),
         "worst": ("志愿者最紧的小区", "Estate with the fewest volunteers"),
         "no_volunteer": ("无在岗志愿者", "no active volunteer"),
         "per_estate_note": ("服务多个小区（或“全部”）的志愿者在每个小区都计入，故各小区之和可大于合计。",
                             "A volunteer serving several estates (or 全部) counts in each."),
         "service_item": ("服务项目", "item")}
REPORT_SHEET = ("报送表", "Report")
REPORT_WIDTHS = (30,) + (11,) * 10         # the 报送表 sheet's columns (by-小区 tables: 11)


def formats(workbook) -> dict:
    """The formats every report uses (one look across outputs)."""
    add = workbook.add_format
    base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
    return {
        "title": add({**base, "bold": True, "font_size": 14, "align": "center"}),
        "section": add({**base, "bold": True, "font_size": 11, "bottom": 1}),
        "head": add({**base, "bold": True, "bg_color": GREY, "border": 1, "text_wrap": True,
                     "align": "center"}),
        "label": add({**base, "bold": True, "border": 1}),
        "text": add({**base, "border": 1, "text_wrap": True}),
        "plain": add(base),
        "count": add({**base, "border": 1, "num_format": "0"}),
        "decimal": add({**base, "border": 1, "num_format": "0.0"}),
        "rate": add({**base, "border": 1, "num_format": "0.0%"}),
        "money": add({**base, "border": 1, "num_format": "0.00"}),            # 元, to the fen
        "money_label": add({**base, "bold": True, "border": 1, "num_format": "0.00"}),
        "date": add({**base, "border": 1, "num_format": "yyyy-mm-dd", "align": "left"}),
        "raw": add({**base, "border": 1}),
        "note": add({**base, "italic": True, "font_color": "#595959"}),
    }


def value_format(fmt: dict, code: str, value=None):
    kind = KIND_OF.get(code, "count")
    if kind == "rate":
        return fmt["rate"]
    if kind in ("average", "ratio") or isinstance(value, float) and not float(value).is_integer():
        return fmt["decimal"]
    return fmt["count"]


def _put_value(sheet, row: int, col: int, ind: Indicator | None, fmt: dict) -> None:
    if ind is None or ind.value is None:
        sheet.write_string(row, col, "—", fmt["text"])
    else:
        sheet.write_number(row, col, ind.value, value_format(fmt, ind.code, ind.value))


def write_town_report(path: Path, ctx, findings: Iterable[Finding], indicators: list[Indicator], *,
                      period_label: str, lang: str = "zh") -> Path:
    """Write 镇报送表.xlsx; personal data masked unless 设置 报送 脱敏 = 否."""
    findings = sorted(findings, key=lambda f: f.sort_key)
    mask = ctx.settings.mask
    scrub = _lazy_scrubber(ctx) if mask else None      # built once, and only if needed
    indicators = _masked_groups(list(indicators), ctx, scrub) if mask else list(indicators)

    shown = shown_period(period_label, cutoff_of(indicators), ctx.as_of, lang)

    def build(workbook) -> None:
        fmt = formats(workbook)
        _report_sheet(workbook, fmt, ctx, findings, indicators, shown, lang, scrub)
        _indicator_sheet(workbook, fmt, ctx, indicators, period_label, lang)

    title = f"{ctx.settings.committee} {label(TITLE_TEXT, lang)} {shown}".strip()
    return write_workbook(Path(path), build, as_of=ctx.as_of, title=title, output=True)


def shown_period(period_label: str, cutoff: date | None, as_of: date, lang: str = "zh") -> str:
    """``2026-11``, or ``2026-11，截至2026-11-23`` when the cut-off is before the period's end
    (a monthly report made by a weekly run mid-month)."""
    if cutoff is None:
        return period_label
    try:
        end = period_bounds(as_of, period_label)[1]
    except Exception:  # noqa: BLE001 - a label we cannot parse is shown as it is
        return period_label
    if cutoff >= end:
        return period_label
    return (f"{period_label}，截至{cutoff.isoformat()}" if lang != "en"
            else f"{period_label} (to {cutoff.isoformat()})")


def _report_sheet(workbook, fmt, ctx, findings, indicators, period_label, lang, scrub) -> None:
    """``scrub``: the masking of free text, None when 设置 报送 脱敏 = 否."""
    s = ctx.settings
    mask = scrub is not None
    sheet = workbook.add_worksheet(label(REPORT_SHEET, lang))
    print_setup(sheet, committee=s.committee, as_of=ctx.as_of, lang=lang, landscape=False,
                repeat=(0, 1), margins={"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6})
    set_widths(sheet, REPORT_WIDTHS)
    width = len(REPORT_WIDTHS)
    title = f"{s.committee}{label(TITLE_TEXT, lang)}（{period_label}）" if lang != "en" else \
        f"{label(TITLE_TEXT, lang)} — {s.committee} ({period_label})"
    sheet.merge_range(0, 0, 0, width - 1, title, fmt["title"])
    fit_row(sheet, 0, (), (), spans=[(title, sum(REPORT_WIDTHS))], font_size=14)
    sheet.merge_range(1, 0, 1, width - 1, label(WORDS["masked"], lang) if mask else "", fmt["note"])
    row = 2
    cutoff = cutoff_of(indicators)
    header = [("committee", s.committee), ("town", s.town), ("period", period_label),
              ("reporter", s.reporter), ("report_date", ctx.as_of), ("cutoff", cutoff)]
    unread = _unread_note(ctx, lang, scrub)
    if unread:                               # why some indicators below are — (not reported)
        header.append(("unread", unread))
    for key, value in header:                # 填报日期 is the run's as-of date
        if key == "cutoff" and value is None:
            continue
        words = WORDS[key] if key in WORDS else schema.REPORT_LABELS[key]
        sheet.write_string(row, 0, label(words, lang), fmt["label"])
        if isinstance(value, date):
            sheet.write_datetime(row, 1, datetime(value.year, value.month, value.day), fmt["date"])
        else:                                # B:E, room for 2026-11，截至2026-11-23
            sheet.merge_range(row, 1, row, 4, str(value or ""), fmt["text"])
            fit_row(sheet, row, (), (), spans=[(str(value or ""), sum(REPORT_WIDTHS[1:5]))])
        row += 1
    totals = as_map(indicators)
    estates = _groups(indicators, "CARE_REGISTERED", estates=True)
    row = _indicator_block(sheet, fmt, row + 1, "requests", REQUEST_CODES, totals, lang)
    row = _group_table(sheet, fmt, row + 1, "sources", "source", ("REQ_BY_SOURCE",),
                       _groups(indicators, "REQ_BY_SOURCE"), indicators, lang)
    row = _group_table(sheet, fmt, row + 1, "categories", "category", CATEGORY_COLUMNS,
                       _groups(indicators, "REQ_RECEIVED"), indicators, lang)
    row = _group_table(sheet, fmt, row + 1, "request_estates", "estate", ESTATE_REQUEST_CODES,
                       _groups(indicators, "REQ_RECEIVED", estates=True), indicators, lang)
    row = _outside_estates(sheet, fmt, row, "REQ_RECEIVED", indicators, lang)
    row = _indicator_block(sheet, fmt, row + 1, "care", CARE_CODES, totals, lang)
    row = _group_table(sheet, fmt, row + 1, "tiers", "tier", TIER_COLUMNS, list(schema.TIERS),
                       indicators, lang)
    row = _group_table(sheet, fmt, row + 1, "care_people", "estate", CARE_PEOPLE_COLUMNS,
                       estates, indicators, lang)
    row = _outside_estates(sheet, fmt, row, "CARE_REGISTERED", indicators, lang)
    row = _group_table(sheet, fmt, row + 1, "care_services", "estate", CARE_SERVICE_COLUMNS,
                       estates, indicators, lang)
    row = _indicator_block(sheet, fmt, row + 1, "volunteers", VOLUNTEER_CODES, totals, lang)
    row = _group_table(sheet, fmt, row + 1, "volunteer_estates", "estate",
                       ESTATE_VOLUNTEER_CODES, _groups(indicators, "VOL_ON_DUTY", estates=True),
                       indicators, lang)
    row = _worst_estate(sheet, fmt, row, indicators, lang)
    row = _usage_blocks(sheet, fmt, row, indicators, totals, lang)             # issue #17
    row = _quality_table(sheet, fmt, row + 1, "work", WORK_CODES, indicators, lang)
    row = _quality_table(sheet, fmt, row + 1, "quality", DATA_CODES, indicators, lang)
    row = _urgent_list(sheet, fmt, row + 1, findings, lang, scrub)
    if any(code in totals for code in COUNCIL_CODES):
        _indicator_block(sheet, fmt, row + 1, "council", COUNCIL_CODES, totals, lang)


def _unread_note(ctx, lang: str, scrub) -> str:
    """The files not read this run and the ledger each may hold: their indicators are not
    reported ("—"), so the town office does not take a partial count for the real one."""
    unread = ctx.unread
    places = sorted(unread.kind_of.items(), key=lambda p: (p[0][0], p[0][1] or ""))
    if not places and not unread.absent:
        return ""
    parts = []
    for (file, sheet), kind in places:
        where = f"{file.rsplit('/', 1)[-1]}「{sheet}」" if sheet else file.rsplit("/", 1)[-1]
        if scrub:                # a file or sheet name is typed free text (王建英老年人台账.xlsx)
            where = label(("文件", "a file") if not sheet else ("工作表", "a sheet"), lang)
        part = (f"{where}（{label(schema.KIND_LABELS[kind], lang)}）" if lang != "en"
                else f"{where} ({label(schema.KIND_LABELS[kind], lang)})")
        if part not in parts:
            parts.append(part)
    missing = "、".join(label(schema.KIND_LABELS[k], lang) for k in sorted(unread.absent))
    if lang != "en":
        text = "；".join(x for x in (
            "、".join(parts) + "本期无法读取" if parts else "",
            f"没有找到{missing}" if missing else "") if x) + "，由这些台账统计的指标未报送（—）"
    else:
        text = "; ".join(x for x in (
            "; ".join(parts) + ": could not be read this period" if parts else "",
            f"no {missing} found" if missing else "") if x) + \
            "; the indicators counted from them are not reported (—)"
    return scrub(text) if scrub else text


def _groups(indicators: list[Indicator], code: str, *, estates: bool = False) -> list[str]:
    """Groups of ``code`` in the order they were computed (totals excluded); the by-小区
    groups when ``estates``, else the others."""
    return [i.group for i in indicators if i.code == code and i.group
            and i.group.startswith(schema.ESTATE_GROUP) == estates]


def _worst_estate(sheet, fmt, row, indicators, lang) -> int:
    """One line under the by-小区 volunteer table: the 小区 with the most tier A/B residents per
    volunteer, and the note on volunteers counted in several 小区."""
    worst = worst_estate(indicators)
    if worst is not None:
        ratio = (f"{worst.numerator}:{worst.denominator}（{worst.value:.2f}）" if worst.denominator
                 else f"{worst.numerator}:0（{label(WORDS['no_volunteer'], lang)}）")
        sheet.write_string(row, 0, label(WORDS["worst"], lang), fmt["label"])
        sheet.write_string(row, 1, group_label(worst.group, lang), fmt["text"])
        sheet.merge_range(row, 2, row, 4, ratio, fmt["text"])
        fit_row(sheet, row, [group_label(worst.group, lang)], REPORT_WIDTHS, first_col=1,
                spans=[(ratio, sum(REPORT_WIDTHS[2:5]))])
        row += 1
    sheet.write_string(row, 0, label(WORDS["per_estate_note"], lang), fmt["note"])
    return row + 1


def _usage_blocks(sheet, fmt, row, indicators, totals, lang) -> int:
    """Services and rooms (issue #17), each only when the community keeps that ledger."""
    from toolkit.report.indicators import ROOM_CODES, SERVICE_CODES
    if "SVC_COUNT" in totals:
        row = _indicator_block(sheet, fmt, row + 1, "services", SERVICE_CODES, totals, lang)
        items = _groups(indicators, "SVC_COUNT")
        if items:
            row = _group_table(sheet, fmt, row + 1, "service_items", "service_item", ("SVC_COUNT",),
                               items, indicators, lang)
    if "ROOM_ACTIVITIES" in totals:
        row = _indicator_block(sheet, fmt, row + 1, "rooms", ROOM_CODES, totals, lang)
    return row


def _indicator_block(sheet, fmt, row, section, codes, totals, lang) -> int:
    sheet.write_string(row, 0, label(SECTION_TEXT[section], lang), fmt["section"])
    row += 1
    write_row(sheet, row, [label(WORDS[w], lang) for w in
                           ("indicator", "value", "numerator", "denominator")], fmt["head"])
    for code in codes:
        row += 1
        ind = totals.get(code)
        sheet.write_string(row, 0, label(schema.INDICATOR_LABELS[code], lang), fmt["label"])
        _put_value(sheet, row, 1, ind, fmt)
        if ind is not None and ind.denominator is not None:
            sheet.write_number(row, 2, ind.numerator, fmt["count"] if float(ind.numerator).is_integer()
                               else fmt["decimal"])
            sheet.write_number(row, 3, ind.denominator, fmt["count"] if float(ind.denominator).is_integer()
                               else fmt["decimal"])
        else:
            sheet.write_blank(row, 2, None, fmt["text"])
            sheet.write_blank(row, 3, None, fmt["text"])
    return row + 1


_OUTSIDE_WHAT = {"CARE_REGISTERED": ("位在册老人", "residents on the register"),
                 "REQ_RECEIVED": ("件当期受理的诉求", "requests received")}


def _outside_estates(sheet, fmt, row, code, indicators, lang) -> int:
    """A note under a by-小区 table whose rows add up to less than the total: the records whose
    小区 is empty or not in the settings' list (a typo: D101/D109) count in the total only."""
    total = as_map(indicators).get(code)
    parts = [i.value for i in indicators if i.code == code and i.group.startswith(schema.ESTATE_GROUP)]
    if total is None or not isinstance(total.value, int) or None in parts:
        return row
    outside = total.value - sum(parts)
    if outside <= 0:
        return row
    what = label(_OUTSIDE_WHAT[code], lang)
    text = (f"另有{outside}{what}的小区为空或不在设置的小区名单中（见问题 D101/D109），只计入合计。"
            if lang != "en" else
            f"{outside} more {what} have an empty 小区 or one not in the settings' list "
            "(findings D101/D109): counted in the total only.")
    sheet.write_string(row, 0, text, fmt["note"])
    return row + 1


def _group_table(sheet, fmt, row, section, first, codes, groups, indicators, lang) -> int:
    sheet.write_string(row, 0, label(SECTION_TEXT[section], lang), fmt["section"])
    row += 1
    heads = [label(WORDS[first], lang)] + [label(schema.INDICATOR_LABELS[c], lang) for c in codes]
    write_row(sheet, row, heads, fmt["head"])
    fit_row(sheet, row, heads, REPORT_WIDTHS, min_height=30)
    if not groups:
        row += 1
        sheet.write_string(row, 0, label(WORDS["none"], lang), fmt["text"])
    for group in groups:
        row += 1
        mine = as_map(indicators, group)
        sheet.write_string(row, 0, group_label(group, lang), fmt["label"])
        for col, code in enumerate(codes, start=1):
            _put_value(sheet, row, col, mine.get(code), fmt)
    return row + 1


def _quality_table(sheet, fmt, row, section, codes, indicators, lang) -> int:
    """Errors and warnings of one family (工作问题 or 台账数据质量) per ledger, then the total."""
    errors, warnings = codes
    sheet.write_string(row, 0, label(SECTION_TEXT[section], lang), fmt["section"])
    row += 1
    write_row(sheet, row, [label(WORDS[w], lang) for w in ("ledger", "errors", "warnings")],
              fmt["head"])
    for kind in schema.KINDS + (OTHER_KIND, schema.INDICATOR_GROUP_ALL):
        row += 1
        mine = as_map(indicators, kind)
        name = group_label(kind, lang) if kind else label(("合计", "total"), lang)
        sheet.write_string(row, 0, name, fmt["label"])
        _put_value(sheet, row, 1, mine.get(errors), fmt)
        _put_value(sheet, row, 2, mine.get(warnings), fmt)
    return row + 1


def _urgent_list(sheet, fmt, row, findings, lang, scrub) -> int:
    """Urgent items: code, title, ledger, 编号 and the message (scrubbed when masking)."""
    sheet.write_string(row, 0, label(SECTION_TEXT["urgent"], lang), fmt["section"])
    row += 1
    urgent = [f for f in findings if f.urgent]
    if not urgent:
        sheet.write_string(row, 0, label(WORDS["none"], lang), fmt["text"])
        return row + 1
    write_row(sheet, row, [label(WORDS[w], lang) for w in ("item", "ledger", "record", "message")],
              fmt["head"])
    sheet.merge_range(row, 3, row, 7, label(WORDS["message"], lang), fmt["head"])
    scrub = scrub or (lambda text: text)
    for f in urgent:
        row += 1
        title = f"{f.code} {CODES[f.code].title.get(lang)}" if f.code in CODES else f.code
        kind = group_label(f.kind if f.kind in schema.KINDS else OTHER_KIND, lang)
        sheet.write_string(row, 0, title, fmt["text"])
        sheet.write_string(row, 1, kind, fmt["text"])
        sheet.write_string(row, 2, scrub(f.record or ""), fmt["text"])
        message = scrub(f.message.get(lang))
        sheet.merge_range(row, 3, row, 7, message, fmt["text"])
        fit_row(sheet, row, [title, kind, scrub(f.record or "")], REPORT_WIDTHS, min_height=30,
                spans=[(message, sum(REPORT_WIDTHS[3:8]))])
    return row + 1


# groups the program names itself (ledger kinds, care tiers, 未分类, 未填来源): never scrubbed,
# so a community whose typed groups are all on the lists builds no scrubber at all
_BUILT_IN_GROUPS = frozenset(schema.KINDS) | {OTHER_KIND, schema.UNCLASSIFIED_LABEL[0],
                                               schema.NO_SOURCE_LABEL[0]} | set(schema.TIER_LABELS)


def _masked_groups(indicators: list[Indicator], ctx, scrub=None) -> list[Indicator]:
    """Group labels are what clerks typed under 小区, 类别, 来源 or 服务项目. A value outside the
    lists (settings' 小区 and 类别, the schema's 来源 and 服务项目) is free text: it may carry a
    name no ledger holds (``钱美凤转述…``, a relative named only in a remark), which no scrubber
    can find. So every such value of one code becomes one group ``清单外`` (``小区：清单外``),
    its counts summed and its rates recomputed from the summed numerators and denominators,
    on both sheets (and so in the town summary).

    Without a 小区 list in the settings every 小区 written is a group (docs/indicators.md):
    those are scrubbed (``scrub``: names, phones, IDs and addresses of the ledgers, anything
    shaped like a number), not lumped, or the by-小区 tables would say nothing."""
    listed = set(schema.SOURCES) | set(schema.SERVICE_ITEMS) | set(ctx.settings.category_names) \
        | {f"{schema.ESTATE_GROUP}{e}" for e in ctx.settings.estates} | _BUILT_IN_GROUPS
    unlisted = schema.UNLISTED_LABEL[0]
    out: list = []
    lumped: dict[tuple[str, str], list[Indicator]] = {}
    scrubbed = _scrubbed_estates(indicators, ctx, scrub) if not ctx.settings.estates else {}
    for ind in indicators:
        if not ind.group or ind.group in listed:
            out.append(ind)
            continue
        estate = ind.group.startswith(schema.ESTATE_GROUP)
        if estate and ind.group in scrubbed:
            out.append(dataclasses.replace(ind, group=scrubbed[ind.group]))
            continue
        key = (ind.code, f"{schema.ESTATE_GROUP}{unlisted}" if estate else unlisted)
        if key not in lumped:
            lumped[key] = []
            out.append(key)                  # the place of the first one
        lumped[key].append(ind)
    return [item if isinstance(item, Indicator) else _lump(*item, lumped[item])
            for item in out]


def _scrubbed_estates(indicators: list[Indicator], ctx, scrub=None) -> dict[str, str]:
    """``{小区 group: scrubbed}``; two that scrub alike stay two (``（2）``): merge refuses a
    report that holds one code and group twice."""
    groups = list(dict.fromkeys(i.group for i in indicators
                                if i.group.startswith(schema.ESTATE_GROUP)))
    if not groups:
        return {}
    scrub = scrub or _lazy_scrubber(ctx)
    used = set(groups)
    renamed: dict[str, str] = {}
    for group in groups:
        masked = base = schema.ESTATE_GROUP + scrub(group[len(schema.ESTATE_GROUP):])
        n = 1
        while masked != group and masked in used:
            n += 1
            masked = f"{base}（{n}）"
        renamed[group] = masked
        used.add(masked)
    return renamed


def _lump(code: str, group: str, parts: list[Indicator]) -> Indicator:
    """One indicator for several groups: numerators (and denominators) summed, as the merge does."""
    reported = [p for p in parts if p.numerator is not None]
    if not reported:
        return indicator(code, None, None, group)
    return recompute(code, sum(p.numerator for p in reported),      # a count keeps no denominator
                     sum(p.denominator or 0 for p in reported), group)


def _lazy_scrubber(ctx):
    """``_scrubber(ctx)``, built on the first call: it reads every name and phone in the
    ledgers, which a report with nothing to scrub never needs."""
    built = []

    def scrub(text):
        if not built:
            built.append(_scrubber(ctx))
        return built[0](text)
    return scrub


def _scrubber(ctx):
    records = [r for kind in schema.KINDS for r in ctx.rows(kind)]   # every row written
    names, phones, ids = known_personal(records)
    return scrubber(names, phones, ids)


def _indicator_sheet(workbook, fmt, ctx, indicators, period_label, lang) -> None:
    write_indicator_sheet(workbook, fmt, indicators, period=period_label,
                          community=ctx.settings.committee, name=lambda ind: ind.name(lang),
                          as_of=ctx.as_of, lang=lang)


def write_indicator_sheet(workbook, fmt, indicators, *, period: str, community: str,
                          name, as_of: date | None = None, lang: str = "zh") -> None:
    """One row per indicator and group: code, group, name, value, numerator, denominator,
    period, community — what ``shequ merge`` reads (also the layout of the town summary's)."""
    sheet = workbook.add_worksheet(schema.INDICATOR_SHEET)
    sheet.freeze_panes(1, 0)
    print_setup(sheet, committee=community, as_of=as_of, lang=lang, landscape=False)
    widths = set_widths(sheet, (26, 20, 38, 13, 13, 13, 12, 14))   # codes up to 23 characters
    headers = [schema.INDICATOR_HEADERS[c] for c in INDICATOR_COLUMNS]
    write_row(sheet, 0, headers, fmt["head"])
    fit_row(sheet, 0, headers, widths)
    for row, ind in enumerate(indicators, start=1):
        sheet.write_string(row, 0, ind.code, fmt["raw"])
        sheet.write_string(row, 1, ind.group, fmt["raw"])
        sheet.write_string(row, 2, name(ind), fmt["raw"])
        for col, value in ((3, ind.value), (4, ind.numerator), (5, ind.denominator)):
            if value is None:
                sheet.write_blank(row, col, None, fmt["raw"])
            elif isinstance(value, str):                    # CUTOFF: the date as ISO text
                sheet.write_string(row, col, value, fmt["raw"])
            else:
                sheet.write_number(row, col, value,
                                   value_format(fmt, ind.code, value) if col == 3 else fmt["raw"])
        sheet.write_string(row, 6, period, fmt["raw"])
        sheet.write_string(row, 7, community, fmt["raw"])
    sheet.autofilter(0, 0, max(len(indicators), 1), len(INDICATOR_COLUMNS) - 1)
