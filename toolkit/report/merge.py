"""镇汇总.xlsx — several communities' 镇报送表 combined into one town summary.

Totals are recomputed from the numerators and denominators each community reported (a rate is
never averaged): 办结率 of the town = Σ办结 / Σ受理. Communities are ranked on three rates —
响应率 (REQ_RESPONSE_RATE), 解决率 (= 办结率, REQ_RESOLVED_RATE) and 满意率 (REQ_SATISFIED_RATE);
definitions in docs/indicators.md. Reports of different periods are refused.

    merge_reports([Path("a/镇报送表.xlsx"), Path("b/镇报送表.xlsx")], Path("镇汇总.xlsx"),
                  as_of=date(2026, 12, 1))
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Iterable

from toolkit import schema
from toolkit.errors import ToolkitError
from toolkit.read.reports import TownReport, read_town_report
from toolkit.report.indicators import KIND_OF, Indicator, group_label, recompute
from toolkit.report.town import formats, value_format, write_indicator_sheet
from toolkit.report.writer import write_workbook
from toolkit.schema import label

__all__ = ["merge_reports", "merge_totals", "rank", "MergeError", "SUMMARY_CODES", "RANK_CODES"]

SUMMARY_CODES = ("REQ_RECEIVED", "REQ_RESOLVED", "REQ_RESOLVED_RATE", "REQ_ONTIME_RATE",
                 "REQ_RESPONSE_RATE", "REQ_REPLY_RATE", "REQ_SATISFIED_RATE", "REQ_OVERDUE_OPEN",
                 "CARE_REGISTERED", "CARE_ONTIME_RATE", "CARE_OVERDUE", "CARE_URGENT",
                 "VOL_ACTIVE", "VOL_SERVICES", "VOL_HOURS", "DQ_ERRORS",
                 "MTG_MEETINGS", "MTG_TO_REQUEST_RATE", "MTG_FEEDBACK_RATE")
RANK_CODES = ("REQ_RESPONSE_RATE", "REQ_RESOLVED_RATE", "REQ_SATISFIED_RATE")
RANK_NAMES = {"REQ_RESPONSE_RATE": ("响应率", "response rate"),
              "REQ_RESOLVED_RATE": ("解决率", "resolution rate"),
              "REQ_SATISFIED_RATE": ("满意率", "satisfaction rate")}
TEXT = {"title": ("镇汇总", "Town summary"), "summary": ("汇总", "Summary"),
        "ranking": ("排名", "Ranking"), "total": ("合计", "Total"),
        "community": ("居委", "Community"), "rank": ("名次", "rank"),
        "overall": ("综合名次", "overall rank"), "period": ("报送周期", "Period"),
        "date": ("汇总日期", "Summary date"), "count": ("居委数", "Communities"),
        "chart": ("各居委三率对比", "Three rates by community"),
        "rank_note": ("综合名次按三项名次之和排序（无数据的项按末位计）；比率按分子分母汇总，不取平均。",
                      "Overall rank: sum of the three ranks (no data = last); rates are "
                      "recomputed from counts, never averaged."),
        "page": ("第 &P 页，共 &N 页", "page &P of &N")}


class MergeError(ToolkitError):
    """Reports that cannot be merged (mixed periods, the same community twice)."""


def merge_reports(paths: Iterable[Path], out: Path, *, as_of: date, lang: str = "zh") -> Path:
    """Read every town report, check they cover one period, write the town summary."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise MergeError("请指定要汇总的镇报送表，例如：shequ merge 甲居委/镇报送表.xlsx 乙居委/镇报送表.xlsx",
                         "give the town reports to merge")
    reports = [read_town_report(p) for p in paths]        # ReportReadError names the file
    _check_periods(reports)
    reports = _named(reports)
    period = reports[0].period
    totals = merge_totals(reports)

    def build(workbook) -> None:
        fmt = formats(workbook)
        _summary_sheet(workbook, fmt, reports, totals, period, as_of, lang)
        _ranking_sheet(workbook, fmt, reports, lang)
        _indicator_sheet(workbook, fmt, totals, period, lang)

    return write_workbook(Path(out), build, as_of=as_of,
                          title=f"{label(TEXT['title'], lang)} {period}")


def _check_periods(reports: list[TownReport]) -> None:
    periods = {r.period for r in reports}
    if len(periods) > 1:
        listing_zh = "；".join(f"{r.path}：{r.period}" for r in reports)
        listing_en = "; ".join(f"{r.path}: {r.period}" for r in reports)
        raise MergeError(f"报送周期不一致，不能汇总（{listing_zh}）。请只汇总同一周期的报送表。",
                         f"the reports cover different periods ({listing_en}); merge reports of "
                         "one period only.")


def _named(reports: list[TownReport]) -> list[TownReport]:
    """The reports sorted by community name. A report without 居委名称 is refused, naming the
    file (a folder name such as 2026-W49 is no community); the same community twice is refused
    (it would be counted twice)."""
    for r in reports:
        if not r.community:
            raise MergeError(
                f"{r.path} 没有居委名称，无法汇总。请该居委在设置.xlsx的“基本信息”表填写居委名称，"
                "重新运行 shequ weekly（或 shequ report）后再报送。",
                f"{r.path} carries no community name (居委名称); fill it in the 基本信息 sheet of "
                "that community's 设置.xlsx, run shequ weekly again and resubmit.")
    seen: dict[str, Path] = {}
    for r in reports:
        if r.community in seen:
            raise MergeError(f"同一居委“{r.community}”出现了两次：{seen[r.community]} 和 {r.path}。"
                             "请去掉重复的报送表。",
                             f"community {r.community!r} appears twice: {seen[r.community]} and "
                             f"{r.path}; remove the duplicate.")
        seen[r.community] = r.path
    return sorted(reports, key=lambda r: (r.community, str(r.path)))


def merge_totals(reports: list[TownReport]) -> list[Indicator]:
    """Town totals of every (code, group) reported: counts summed, rates/averages/ratios
    recomputed from the summed numerators and denominators."""
    num: dict[tuple[str, str], float] = defaultdict(float)
    den: dict[tuple[str, str], float] = defaultdict(float)
    order: dict[tuple[str, str], int] = {}
    for r in reports:
        for ind in r.indicators:
            if ind.code not in KIND_OF:
                continue                          # an indicator this version does not know
            key = (ind.code, ind.group)
            order.setdefault(key, len(order))
            if KIND_OF[ind.code] == "count":
                num[key] += ind.value or 0
            else:
                num[key] += ind.numerator or 0
                den[key] += ind.denominator or 0
    out = []
    for key in sorted(order, key=order.get):
        code, group = key
        n = _tidy(num[key])
        out.append(recompute(code, n, None if KIND_OF[code] == "count" else _tidy(den[key]), group))
    return out


def _tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 4)


def rank(values: dict[str, float | None]) -> dict[str, int | None]:
    """Competition ranking, highest first (1, 2, 2, 4); None for no data."""
    known = sorted((v for v in values.values() if v is not None), reverse=True)
    return {k: (known.index(v) + 1 if v is not None else None) for k, v in values.items()}


def _community_value(report: TownReport, code: str) -> Indicator | None:
    ind = report.get(code)
    if ind is None:
        return None
    if KIND_OF.get(code) == "count":
        return recompute(code, ind.value or 0, None)
    return recompute(code, ind.numerator or 0, ind.denominator or 0)


def _page(sheet, lang: str, landscape: bool = True) -> None:
    sheet.set_paper(9)
    sheet.set_landscape() if landscape else sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.set_footer(f"&C{label(TEXT['page'], lang)}")


def _summary_sheet(workbook, fmt, reports, totals, period, as_of, lang) -> None:
    sheet = workbook.add_worksheet(label(TEXT["summary"], lang))
    _page(sheet, lang)
    width = len(SUMMARY_CODES) + 1
    sheet.merge_range(0, 0, 0, width - 1, f"{label(TEXT['title'], lang)}（{period}）", fmt["title"])
    for row, (key, value) in enumerate((("period", period), ("date", as_of),
                                        ("count", len(reports))), start=1):
        sheet.write_string(row, 0, label(TEXT[key], lang), fmt["label"])
        if isinstance(value, date):
            sheet.write_datetime(row, 1, datetime(value.year, value.month, value.day), fmt["date"])
        elif isinstance(value, int):
            sheet.write_number(row, 1, value, fmt["count"])
        else:
            sheet.write_string(row, 1, value, fmt["text"])
    head = 5
    sheet.write_string(head, 0, label(TEXT["community"], lang), fmt["head"])
    for col, code in enumerate(SUMMARY_CODES, start=1):
        sheet.write_string(head, col, label(schema.INDICATOR_LABELS[code], lang), fmt["head"])
    sheet.set_row(head, 45)
    sheet.repeat_rows(head)
    sheet.freeze_panes(head + 1, 1)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, width - 1, 10)
    row = head
    for report in reports:
        row += 1
        sheet.write_string(row, 0, report.community, fmt["label"])
        for col, code in enumerate(SUMMARY_CODES, start=1):
            _cell(sheet, row, col, _community_value(report, code), fmt)
    row += 1
    by_code = {i.code: i for i in totals if i.group == ""}
    sheet.write_string(row, 0, label(TEXT["total"], lang), fmt["head"])
    for col, code in enumerate(SUMMARY_CODES, start=1):
        _cell(sheet, row, col, by_code.get(code), fmt)


def _cell(sheet, row, col, ind: Indicator | None, fmt) -> None:
    if ind is None or ind.value is None:
        sheet.write_string(row, col, "—", fmt["text"])
    else:
        sheet.write_number(row, col, ind.value, value_format(fmt, ind.code, ind.value))


def _ranking_sheet(workbook, fmt, reports, lang) -> None:
    sheet = workbook.add_worksheet(label(TEXT["ranking"], lang))
    _page(sheet, lang)
    values = {code: {r.community: (_community_value(r, code).value
                                   if _community_value(r, code) else None) for r in reports}
              for code in RANK_CODES}
    ranks = {code: rank(values[code]) for code in RANK_CODES}
    last = len(reports) + 1

    def overall_key(community: str) -> tuple:
        return (sum(ranks[c][community] or last for c in RANK_CODES), community)

    order = sorted((r.community for r in reports), key=overall_key)
    overall = {c: i for i, c in enumerate(order, start=1)}
    header = [label(TEXT["overall"], lang), label(TEXT["community"], lang)]
    for code in RANK_CODES:
        header += [label(RANK_NAMES[code], lang), label(TEXT["rank"], lang)]
    for col, text in enumerate(header):
        sheet.write_string(0, col, text, fmt["head"])
    sheet.repeat_rows(0)
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 16)
    sheet.set_column(2, len(header) - 1, 10)
    for row, community in enumerate(order, start=1):
        sheet.write_number(row, 0, overall[community], fmt["count"])
        sheet.write_string(row, 1, community, fmt["label"])
        for i, code in enumerate(RANK_CODES):
            value, place = values[code][community], ranks[code][community]
            if value is None:
                sheet.write_string(row, 2 + 2 * i, "—", fmt["text"])
                sheet.write_string(row, 3 + 2 * i, "—", fmt["text"])
            else:
                sheet.write_number(row, 2 + 2 * i, value, fmt["rate"])
                sheet.write_number(row, 3 + 2 * i, place, fmt["count"])
    note_row = len(order) + 2
    sheet.write_string(note_row, 0, label(TEXT["rank_note"], lang), fmt["note"])
    _rank_chart(workbook, sheet, len(order), note_row + 2, lang)


def _rank_chart(workbook, sheet, n: int, at_row: int, lang) -> None:
    if n == 0:
        return
    chart = workbook.add_chart({"type": "column"})
    name = sheet.get_name()
    for i, code in enumerate(RANK_CODES):
        col = 2 + 2 * i
        chart.add_series({"name": label(RANK_NAMES[code], lang),
                          "categories": [name, 1, 1, n, 1],
                          "values": [name, 1, col, n, col]})
    chart.set_title({"name": label(TEXT["chart"], lang)})
    chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 720, "height": 320})
    sheet.insert_chart(at_row, 0, chart)


def _indicator_sheet(workbook, fmt, totals, period, lang) -> None:
    """The town totals in the same machine-readable layout as a community's 指标 sheet."""
    write_indicator_sheet(
        workbook, fmt, totals, period=period, community=label(TEXT["total"], lang),
        name=lambda ind: ind.name(lang) + (f"（{group_label(ind.group, lang)}）" if ind.group else ""))
