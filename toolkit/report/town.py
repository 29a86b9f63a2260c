"""镇报送表.xlsx — the community's report to the town office (街镇).

Mostly counts: a header block (居委名称, 所属街镇, 报送周期, 填报人, 填报日期), the request,
care and volunteer indicators, a by-category table, one data-quality line per ledger, the
urgent items (masked), and a machine-readable ``指标`` sheet that ``shequ merge`` reads back.

With 报送 脱敏 = 是 (the default) no name, phone or ID number of a resident or volunteer appears:
urgent items show only the code, ledger, 编号 and a scrubbed message. Print-ready: A4 portrait,
fit to width, the title rows repeated on each page, page numbers in the footer.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Iterable

from toolkit import schema
from toolkit.codes import CODES
from toolkit.model import Finding
from toolkit.report.indicators import (CARE_CODES, KIND_OF, OTHER_KIND, REQUEST_CODES,
                                       VOLUNTEER_CODES, Indicator, as_map, group_label)
from toolkit.mask import known_personal, mask_text
from toolkit.report.writer import (GREY, fit_row, print_setup, set_widths, write_row,
                                   write_workbook)
from toolkit.schema import label

__all__ = ["write_town_report", "formats", "value_format", "INDICATOR_COLUMNS", "TITLE_TEXT"]

INDICATOR_COLUMNS = schema.INDICATOR_COLUMNS     # the 指标 sheet, read back by toolkit.read.reports
TITLE_TEXT = ("社区工作报送表", "Community report to the town office")
SECTION_TEXT = {
    "requests": ("一、诉求办理", "1. Resident requests"),
    "categories": ("二、诉求分类统计", "2. Requests by category"),
    "care": ("三、老年人巡访", "3. Elderly care"),
    "tiers": ("巡访分级统计", "Care by tier"),
    "volunteers": ("四、志愿服务", "4. Volunteers"),
    "quality": ("五、台账数据质量", "5. Ledger data quality"),
    "urgent": ("六、紧急事项", "6. Urgent items"),
}
CATEGORY_COLUMNS = ("REQ_RECEIVED", "REQ_RESOLVED", "REQ_RESOLVED_RATE", "REQ_ONTIME_RATE",
                    "REQ_REPLY_RATE", "REQ_SATISFIED_RATE", "REQ_OVERDUE_OPEN")
TIER_COLUMNS = ("CARE_REGISTERED", "CARE_DUE", "CARE_ONTIME_RATE", "CARE_OVERDUE")
WORDS = {"indicator": ("指标", "indicator"), "value": ("数值", "value"),
         "numerator": ("分子", "numerator"), "denominator": ("分母", "denominator"),
         "category": ("类别", "category"), "tier": ("等级", "tier"),
         "ledger": ("台账", "ledger"), "errors": ("错误", "errors"), "warnings": ("警告", "warnings"),
         "code": ("代码", "code"), "item": ("事项", "item"), "record": ("编号", "record"),
         "message": ("说明", "details"), "none": ("无", "none"),
         "masked": ("（个人信息已脱敏）", "(personal data masked)")}
REPORT_SHEET = ("报送表", "Report")
REPORT_WIDTHS = (30,) + (12,) * 7          # the 报送表 sheet's columns


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
    indicators = list(indicators)
    mask = ctx.settings.mask

    def build(workbook) -> None:
        fmt = formats(workbook)
        _report_sheet(workbook, fmt, ctx, findings, indicators, period_label, lang, mask)
        _indicator_sheet(workbook, fmt, ctx, indicators, period_label, lang)

    title = f"{ctx.settings.committee} {label(TITLE_TEXT, lang)} {period_label}".strip()
    return write_workbook(Path(path), build, as_of=ctx.as_of, title=title)


def _report_sheet(workbook, fmt, ctx, findings, indicators, period_label, lang, mask) -> None:
    s = ctx.settings
    sheet = workbook.add_worksheet(label(REPORT_SHEET, lang))
    print_setup(sheet, committee=s.committee, as_of=ctx.as_of, lang=lang, landscape=False,
                repeat=(0, 1), margins={"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6})
    set_widths(sheet, REPORT_WIDTHS)
    width = 8
    title = f"{s.committee}{label(TITLE_TEXT, lang)}（{period_label}）" if lang != "en" else \
        f"{label(TITLE_TEXT, lang)} — {s.committee} ({period_label})"
    sheet.merge_range(0, 0, 0, width - 1, title, fmt["title"])
    fit_row(sheet, 0, (), (), spans=[(title, 30 + 12 * (width - 1))], font_size=14)
    sheet.merge_range(1, 0, 1, width - 1, label(WORDS["masked"], lang) if mask else "", fmt["note"])
    row = 2
    header = [("committee", s.committee), ("town", s.town), ("period", period_label),
              ("reporter", s.reporter), ("report_date", ctx.as_of)]
    for key, value in header:
        sheet.write_string(row, 0, label(schema.REPORT_LABELS[key], lang), fmt["label"])
        if isinstance(value, date):
            sheet.write_datetime(row, 1, datetime(value.year, value.month, value.day), fmt["date"])
        else:
            sheet.write_string(row, 1, str(value or ""), fmt["text"])
        row += 1
    totals = as_map(indicators)
    row = _indicator_block(sheet, fmt, row + 1, "requests", REQUEST_CODES, totals, lang)
    row = _group_table(sheet, fmt, row + 1, "categories", "category", CATEGORY_COLUMNS,
                       _groups(indicators, "REQ_RECEIVED"), indicators, lang)
    row = _indicator_block(sheet, fmt, row + 1, "care", CARE_CODES, totals, lang)
    row = _group_table(sheet, fmt, row + 1, "tiers", "tier", TIER_COLUMNS, list(schema.TIERS),
                       indicators, lang)
    row = _indicator_block(sheet, fmt, row + 1, "volunteers", VOLUNTEER_CODES, totals, lang)
    row = _quality_table(sheet, fmt, row + 1, indicators, lang)
    _urgent_list(sheet, fmt, row + 1, ctx, findings, lang, mask)


def _groups(indicators: list[Indicator], code: str) -> list[str]:
    """Groups of ``code`` in the order they were computed (totals excluded)."""
    return [i.group for i in indicators if i.code == code and i.group]


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
            sheet.write_number(row, 3, ind.denominator, fmt["count"])
        else:
            sheet.write_blank(row, 2, None, fmt["text"])
            sheet.write_blank(row, 3, None, fmt["text"])
    return row + 1


def _group_table(sheet, fmt, row, section, first, codes, groups, indicators, lang) -> int:
    sheet.write_string(row, 0, label(SECTION_TEXT[section], lang), fmt["section"])
    row += 1
    heads = [label(WORDS[first], lang)] + [label(schema.INDICATOR_LABELS[c], lang) for c in codes]
    write_row(sheet, row, heads, fmt["head"])
    fit_row(sheet, row, heads, REPORT_WIDTHS, min_height=30)
    for group in groups:
        row += 1
        mine = as_map(indicators, group)
        sheet.write_string(row, 0, group_label(group, lang), fmt["label"])
        for col, code in enumerate(codes, start=1):
            _put_value(sheet, row, col, mine.get(code), fmt)
    return row + 1


def _quality_table(sheet, fmt, row, indicators, lang) -> int:
    sheet.write_string(row, 0, label(SECTION_TEXT["quality"], lang), fmt["section"])
    row += 1
    write_row(sheet, row, [label(WORDS[w], lang) for w in ("ledger", "errors", "warnings")],
              fmt["head"])
    for kind in schema.KINDS + (OTHER_KIND,):
        row += 1
        mine = as_map(indicators, kind)
        sheet.write_string(row, 0, group_label(kind, lang), fmt["label"])
        _put_value(sheet, row, 1, mine.get("DQ_ERRORS"), fmt)
        _put_value(sheet, row, 2, mine.get("DQ_WARNINGS"), fmt)
    return row + 1


def _urgent_list(sheet, fmt, row, ctx, findings, lang, mask) -> int:
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
    scrub = _scrubber(ctx) if mask else (lambda text: text)
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
                spans=[(message, 5 * 12)])
    return row + 1


def _scrubber(ctx):
    records = [r for kind in schema.KINDS for r in ctx.ledger(kind)]
    names, phones, ids = known_personal(records)
    return lambda text: mask_text(text, names, phones, ids)


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
    widths = set_widths(sheet, (22, 20, 24, 13, 13, 13, 12, 14))
    write_row(sheet, 0, INDICATOR_COLUMNS, fmt["head"])
    fit_row(sheet, 0, INDICATOR_COLUMNS, widths)
    for row, ind in enumerate(indicators, start=1):
        sheet.write_string(row, 0, ind.code, fmt["raw"])
        sheet.write_string(row, 1, ind.group, fmt["raw"])
        sheet.write_string(row, 2, name(ind), fmt["raw"])
        for col, value in ((3, ind.value), (4, ind.numerator), (5, ind.denominator)):
            if value is None:
                sheet.write_blank(row, col, None, fmt["raw"])
            else:
                sheet.write_number(row, col, value,
                                   value_format(fmt, ind.code, value) if col == 3 else fmt["raw"])
        sheet.write_string(row, 6, period, fmt["raw"])
        sheet.write_string(row, 7, community, fmt["raw"])
    sheet.autofilter(0, 0, max(len(indicators), 1), len(INDICATOR_COLUMNS) - 1)
