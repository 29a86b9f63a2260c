"""镇汇总.xlsx — several communities' 镇报送表 combined into one town summary.

Totals are recomputed from the numerators and denominators each community reported (a rate is
never averaged): 办结率 of the town = Σ办结 / Σ应办结. A community that did not report an
indicator (no 是否解决 → no 解决率) adds nothing to it, and the summary says how many communities
reported each. Communities are ranked on the three rates of 12345 practice — 响应率
(REQ_FIRST_CONTACT_RATE), 解决率 (REQ_SOLVED_RATE) and 满意率 (REQ_SATISFIED_RATE); definitions
in docs/indicators.md. Reports of different periods are refused; reports of one period with
different cut-offs (统计截止日) too, unless ``latest`` (each community's latest report is kept).

The tables are built with pandas, imported here only (the other commands never load it):
one long table of every community's 指标 rows, summed by code and group.

    merge_reports([Path("a/镇报送表.xlsx"), Path("b/镇报送表.xlsx")], Path("镇汇总.xlsx"),
                  as_of=date(2026, 12, 1), csv=Path("镇汇总.csv"))
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable

from toolkit import schema
from toolkit.errors import ToolkitError
from toolkit.read.reports import TownReport, read_town_report
from toolkit.report.indicators import (KIND_OF, Indicator, cutoff_indicator, group_label,
                                       recompute)
from toolkit.report.town import formats, value_format, write_indicator_sheet
from toolkit.files import write_text
from toolkit.report.writer import fit_row, write_workbook
from toolkit.schema import label
from toolkit.text import Text

__all__ = ["merge_reports", "merge_totals", "merge_table", "unknown_codes", "rank", "MergeError",
           "SUMMARY_CODES", "RANK_CODES", "CSV_COLUMNS"]

SUMMARY_CODES = ("REQ_RECEIVED", "REQ_RESOLVED", "REQ_CLOSED_DUE_RATE", "REQ_SOLVED_RATE",
                 "REQ_FIRST_CONTACT_RATE", "REQ_ONTIME_RATE", "REQ_REPLY_RATE",
                 "REQ_SATISFIED_RATE", "REQ_OVERDUE_OPEN", "CARE_REGISTERED",
                 "CARE_KEY_VISIT_RATE", "CARE_ONTIME_RATE", "CARE_OVERDUE", "CARE_URGENT",
                 "VOL_ON_DUTY", "VOL_KEY_RATIO", "VOL_SERVICES", "VOL_HOURS", "WORK_ERRORS",
                 "DATA_ERRORS", "MTG_MEETINGS", "MTG_TO_REQUEST_RATE", "MTG_FEEDBACK_RATE")
RANK_CODES = ("REQ_FIRST_CONTACT_RATE", "REQ_SOLVED_RATE", "REQ_SATISFIED_RATE")
RANK_NAMES = {"REQ_FIRST_CONTACT_RATE": ("响应率", "response rate"),
              "REQ_SOLVED_RATE": ("解决率", "solved rate"),
              "REQ_SATISFIED_RATE": ("满意率", "satisfaction rate")}
# the --csv file: one row per community and indicator, then the town totals (居委 = 合计)
CSV_COLUMNS = schema.TOWN_CSV_COLUMNS
TEXT = {"title": ("镇汇总", "Town summary"), "summary": ("汇总", "Summary"),
        "ranking": ("排名", "Ranking"), "total": ("合计", "Total"),
        "community": ("居委", "Community"), "rank": ("名次", "rank"),
        "overall": ("综合名次", "overall rank"), "period": ("报送周期", "Period"),
        "date": ("汇总日期", "Summary date"), "count": ("居委数", "Communities"),
        "cutoff": ("统计截止日", "Cut-off day"),
        "cutoffs_differ": ("各居委不同（已按 --latest 取各居委最新一份），见下表",
                           "differs by community (--latest: each one's latest), see below"),
        "unknown": ("未注明", "not stated"),
        "reporting": ("报告该项的居委数", "communities reporting"),
        "chart": ("各居委三率对比", "Three rates by community"),
        "rank_note": ("三率：响应率（先行联系口径）、解决率、满意率。综合名次按三项名次之和排序（无数据的项按末位计）；"
                      "比率按分子分母汇总，不取平均；未报告某项的居委不计入该项。",
                      "Rates: first contact, solved, satisfied. Overall rank: sum of the three "
                      "ranks (no data = last); rates are recomputed from counts, never averaged; "
                      "a community that did not report an indicator is left out of it."),
        "page": ("第 &P 页，共 &N 页", "page &P of &N")}


class MergeError(ToolkitError):
    """Reports that cannot be merged (mixed periods, the same community twice, a town summary)."""


def merge_reports(paths: Iterable[Path], out: Path, *, as_of: date, lang: str = "zh",
                  latest: bool = False, csv: Path | None = None,
                  warn: Callable[[Text], None] | None = None) -> Path:
    """Read every town report, check they cover one period (and one cut-off, unless
    ``latest``), write the town summary, and the long table as CSV when ``csv`` is given.
    ``warn`` is told, once per report that has any, the codes this version does not know: they
    are left out of the summary, never added up under another code."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise MergeError("请指定要汇总的镇报送表，例如：shequ merge 甲居委/镇报送表.xlsx 乙居委/镇报送表.xlsx",
                         "give the town reports to merge")
    reports = _no_summaries([read_town_report(p) for p in paths])   # ReportReadError names it
    _check_periods(reports)
    reports = _check_cutoffs(_with_names(reports), latest, warn)
    reports = _named(reports)
    period = reports[0].period
    table = merge_table(reports)
    totals, reporting = _totals(table)
    cutoffs = {r.cutoff for r in reports}
    if len(cutoffs) == 1 and next(iter(cutoffs)):
        totals = [cutoff_indicator(date.fromisoformat(next(iter(cutoffs))))] + totals

    def build(workbook) -> None:
        fmt = formats(workbook)
        _summary_sheet(workbook, fmt, reports, totals, reporting, period, as_of, lang)
        _ranking_sheet(workbook, fmt, reports, lang)
        _indicator_sheet(workbook, fmt, totals, period, lang)

    written = write_workbook(Path(out), build, as_of=as_of,
                             title=f"{label(TEXT['title'], lang)} {period}", output=True)
    if csv is not None:
        write_text(Path(csv), _csv_text(table, totals, reporting, period, cutoffs, lang),
                   encoding="utf-8-sig")
    for r in reports:
        codes = unknown_codes(r)
        if codes and warn is not None:
            warn(Text(f"注意：{r.path} 里有本版本不认识的指标代码，未计入汇总：{'、'.join(codes)}。"
                      "请升级 shequ 后重新汇总。",
                      f"note: {r.path} holds indicator codes this version does not know, left "
                      f"out of the summary: {', '.join(codes)}; update shequ and merge again."))
    return written


def unknown_codes(report: TownReport) -> list[str]:
    """The codes of ``report`` this version does not know (a newer version's), in sheet order:
    the merge leaves them out, as it cannot tell whether they may be added up."""
    return list(dict.fromkeys(ind.code for ind in report.indicators if ind.code not in KIND_OF))


def _no_summaries(reports: list[TownReport]) -> list[TownReport]:
    """A town summary (镇汇总.xlsx, whose 指标 sheet is the 合计) is refused: it is no community,
    and its communities would be counted twice."""
    for r in reports:
        if r.community in TEXT["total"]:
            raise MergeError(f"{r.path} 是镇汇总表（shequ merge 的结果），不是居委的报送表，不能再汇总，"
                             "请改用各居委的镇报送表.xlsx。",
                             f"{r.path} is a town summary (made by shequ merge), not a "
                             "community's report; give the communities' 镇报送表.xlsx instead.")
    return reports


def _check_periods(reports: list[TownReport]) -> None:
    periods = {r.period for r in reports}
    if len(periods) > 1:
        listing_zh = "；".join(f"{r.path}：{r.period}" for r in reports)
        listing_en = "; ".join(f"{r.path}: {r.period}" for r in reports)
        raise MergeError(f"报送周期不一致，不能汇总（{listing_zh}）。请只汇总同一周期的报送表。",
                         f"the reports cover different periods ({listing_en}); merge reports of "
                         "one period only.")


def _with_names(reports: list[TownReport]) -> list[TownReport]:
    """A report without 居委名称 is refused, naming the file (a folder name such as 2026-W49 is
    no community)."""
    for r in reports:
        if not r.community:
            raise MergeError(
                f"{r.path} 没有居委名称，无法汇总。请该居委在设置.xlsx的“基本信息”表填写居委名称，"
                "重新运行 shequ weekly（或 shequ report）后再报送。",
                f"{r.path} carries no community name (居委名称); fill it in the 基本信息 sheet of "
                "that community's 设置.xlsx, run shequ weekly again and resubmit.")
    return reports


def _check_cutoffs(reports: list[TownReport], latest: bool,
                   warn: Callable[[Text], None] | None = None) -> list[TownReport]:
    """One period, one cut-off: a weekly run writes the month's report again each week, so two
    cut-offs mean an old copy is among them. ``latest`` keeps each community's latest report
    (then the communities may differ; the summary lists each one's cut-off) and ``warn`` is
    told of each report it leaves out."""
    cutoffs = {r.cutoff for r in reports}
    if len(cutoffs) > 1 and not latest:
        unknown = label(TEXT["unknown"], "zh")
        listing_zh = "；".join(f"{r.path}：{r.cutoff or unknown}" for r in reports)
        listing_en = "; ".join(f"{r.path}: {r.cutoff or 'not stated'}" for r in reports)
        raise MergeError(
            f"同一报送周期的报送表统计截止日不同，不能直接汇总（{listing_zh}）。"
            "请各居委用同一截止日重新生成，或加 --latest 只取每个居委最新的一份。",
            f"the reports of one period have different cut-off days ({listing_en}); regenerate "
            "them with one cut-off, or add --latest to keep each community's latest report.")
    if not latest:
        return reports
    best: dict[str, TownReport] = {}
    keep: list[TownReport] = []
    dropped: list[tuple[TownReport, TownReport]] = []
    for r in reports:
        other = best.get(r.community)
        if other is None or r.cutoff > other.cutoff:
            best[r.community] = r
            if other is not None:
                dropped.append((other, r))
        elif r.cutoff == other.cutoff:
            keep.append(r)                   # the same community twice: _named refuses it
        else:
            dropped.append((r, other))
    if warn is not None:
        unknown = label(TEXT["unknown"], "zh")
        for old, new in dropped:
            warn(Text(f"{old.community}：{old.path}（统计截止日 {old.cutoff or unknown}）未汇总，"
                      f"已按 --latest 用更新的 {new.path}（{new.cutoff}）",
                      f"{old.community}: {old.path} (cut-off {old.cutoff or 'not stated'}) left "
                      f"out; --latest uses the newer {new.path} ({new.cutoff})"))
    return list(best.values()) + keep


def _named(reports: list[TownReport]) -> list[TownReport]:
    """The reports sorted by community name; the same community twice is refused (it would be
    counted twice)."""
    seen: dict[str, Path] = {}
    for r in reports:
        if r.community in seen:
            raise MergeError(f"同一居委“{r.community}”出现了两次：{seen[r.community]} 和 {r.path}。"
                             "请去掉重复的报送表。",
                             f"community {r.community!r} appears twice: {seen[r.community]} and "
                             f"{r.path}; remove the duplicate.")
        seen[r.community] = r.path
    return sorted(reports, key=lambda r: (r.community, str(r.path)))


def merge_table(reports: list[TownReport]):
    """The long table (pandas DataFrame): one row per community and reported indicator, with
    ``kind`` and ``reported`` (False: the community left the indicator empty). Codes this
    version does not know (``unknown_codes``) and the text row (CUTOFF) are left out."""
    import pandas as pd

    rows = []
    for number, r in enumerate(reports):
        community = getattr(r, "community", "") or f"#{number + 1}"
        for ind in r.indicators:
            kind = KIND_OF.get(ind.code)
            if kind is None or kind == "text":
                continue
            count = kind == "count"
            numerator = ind.value if count else ind.numerator
            denominator = None if count else ind.denominator
            name = ind.name if isinstance(ind.name, str) else ind.name("zh")   # read / computed
            rows.append({"community": community, "cutoff": getattr(r, "cutoff", ""),
                         "code": ind.code, "group": ind.group, "name": name, "kind": kind,
                         "value": ind.value, "numerator": numerator,
                         "denominator": denominator,
                         "reported": numerator is not None and (count or denominator is not None)})
    columns = ["community", "cutoff", "code", "group", "name", "kind", "value", "numerator",
               "denominator", "reported"]
    return pd.DataFrame(rows, columns=columns)


def _totals(table) -> tuple[list[Indicator], dict[tuple[str, str], int]]:
    """Town totals of every (code, group), in the order first reported: counts summed, rates,
    averages and ratios recomputed from the summed numerators and denominators of the
    communities that reported them; and how many communities reported each."""
    if table.empty:
        return [], {}
    reported = table[table["reported"]]
    sums = reported.groupby(["code", "group"], sort=False)[["numerator", "denominator"]].sum()
    counts = reported.groupby(["code", "group"], sort=False)["community"].nunique()
    out, reporting = [], {}
    for code, group in table[["code", "group"]].drop_duplicates().itertuples(index=False):
        key = (code, group)
        reporting[key] = int(counts.get(key, 0))
        if key not in sums.index:
            out.append(Indicator(code, *schema.INDICATOR_LABELS[code], None, None, None, group))
            continue
        num, den = sums.loc[key]
        out.append(recompute(code, _tidy(num), None if KIND_OF[code] == "count" else _tidy(den),
                             group))
    return out, reporting


def merge_totals(reports: list[TownReport]) -> list[Indicator]:
    """Town totals of every (code, group) reported (see ``_totals``)."""
    return _totals(merge_table(reports))[0]


def _csv_text(table, totals, reporting, period, cutoffs, lang) -> str:
    """The long table and the town totals as CSV (written UTF-8 with BOM, for Excel)."""
    import pandas as pd

    cutoff = next(iter(cutoffs)) if len(cutoffs) == 1 else ""
    rows = [[row.code, row.group, row.name, _plain(row.value),
             _plain(row.numerator) if row.kind != "count" else "",
             _plain(row.denominator), period, row.cutoff, row.community, ""]
            for row in table.itertuples(index=False)]
    total = label(TEXT["total"], lang)
    for ind in totals:
        if ind.code == schema.CUTOFF_CODE:
            continue
        name = ind.name(lang) + (f"（{group_label(ind.group, lang)}）" if ind.group else "")
        rows.append([ind.code, ind.group, name, _plain(ind.value),
                     _plain(ind.numerator) if ind.kind != "count" else "",
                     _plain(ind.denominator), period, cutoff, total,
                     reporting.get((ind.code, ind.group), 0)])
    frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS))
    return frame.to_csv(index=False, lineterminator="\n")


def _plain(value):
    """A number as the CSV shows it: integers without ``.0``, empty for no value."""
    if value is None or value != value:          # None or NaN
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _tidy(value) -> float | int:
    value = float(value)
    return int(value) if value.is_integer() else round(value, 4)


def rank(values: dict[str, float | None]) -> dict[str, int | None]:
    """Competition ranking, highest first (1, 2, 2, 4); None for no data."""
    known = sorted((v for v in values.values() if v is not None), reverse=True)
    return {k: (known.index(v) + 1 if v is not None else None) for k, v in values.items()}


def _community_value(report: TownReport, code: str) -> Indicator | None:
    ind = report.get(code)
    if ind is None or (ind.value is None and ind.denominator is None):
        return None                                   # not in the report, or not reported
    if KIND_OF.get(code) == "count":
        return recompute(code, ind.value or 0, None)
    return recompute(code, ind.numerator or 0, ind.denominator or 0)


def _page(sheet, lang: str, landscape: bool = True) -> None:
    sheet.set_paper(9)
    sheet.set_landscape() if landscape else sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.set_footer(f"&C{label(TEXT['page'], lang)}")


def _summary_sheet(workbook, fmt, reports, totals, reporting, period, as_of, lang) -> None:
    sheet = workbook.add_worksheet(label(TEXT["summary"], lang))
    _page(sheet, lang)
    width = len(SUMMARY_CODES) + 2
    sheet.merge_range(0, 0, 0, width - 1, f"{label(TEXT['title'], lang)}（{period}）", fmt["title"])
    cutoffs = {r.cutoff for r in reports}
    cutoff = (next(iter(cutoffs)) or label(TEXT["unknown"], lang)) if len(cutoffs) == 1 \
        else label(TEXT["cutoffs_differ"], lang)
    for row, (key, value) in enumerate((("period", period), ("cutoff", cutoff), ("date", as_of),
                                        ("count", len(reports))), start=1):
        sheet.write_string(row, 0, label(TEXT[key], lang), fmt["label"])
        if isinstance(value, date):
            sheet.write_datetime(row, 1, datetime(value.year, value.month, value.day), fmt["date"])
        elif isinstance(value, int):
            sheet.write_number(row, 1, value, fmt["count"])
        else:
            sheet.write_string(row, 1, value, fmt["text"])
    head = 6
    sheet.write_string(head, 0, label(TEXT["community"], lang), fmt["head"])
    sheet.write_string(head, 1, label(TEXT["cutoff"], lang), fmt["head"])
    for col, code in enumerate(SUMMARY_CODES, start=2):
        sheet.write_string(head, col, label(schema.INDICATOR_LABELS[code], lang), fmt["head"])
    heads = [label(TEXT["community"], lang), label(TEXT["cutoff"], lang)] + \
        [label(schema.INDICATOR_LABELS[code], lang) for code in SUMMARY_CODES]
    widths = [16, 11] + [9] * len(SUMMARY_CODES)
    fit_row(sheet, head, heads, widths, min_height=45)
    sheet.repeat_rows(head)
    sheet.freeze_panes(head + 1, 1)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 11)
    sheet.set_column(2, width - 1, 9)
    row = head
    for report in reports:
        row += 1
        sheet.write_string(row, 0, report.community, fmt["label"])
        sheet.write_string(row, 1, report.cutoff or label(TEXT["unknown"], lang), fmt["text"])
        for col, code in enumerate(SUMMARY_CODES, start=2):
            _cell(sheet, row, col, _community_value(report, code), fmt)
    row += 1
    by_code = {i.code: i for i in totals if i.group == ""}
    sheet.write_string(row, 0, label(TEXT["total"], lang), fmt["head"])
    sheet.write_blank(row, 1, None, fmt["head"])
    for col, code in enumerate(SUMMARY_CODES, start=2):
        _cell(sheet, row, col, by_code.get(code), fmt)
    row += 1
    sheet.write_string(row, 0, label(TEXT["reporting"], lang), fmt["label"])
    sheet.write_blank(row, 1, None, fmt["text"])
    for col, code in enumerate(SUMMARY_CODES, start=2):
        sheet.write_number(row, col, reporting.get((code, ""), 0), fmt["count"])


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
