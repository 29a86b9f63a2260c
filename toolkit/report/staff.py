"""周检查报告.xlsx — the staff's weekly report (names in full: it stays in the 居委).

Sheets:
- 概览: urgent items first, then key numbers (last week beside them when history is given),
  native charts (requests by stage and category, visit coverage by tier, findings by ledger,
  and a 12-week trend when history is given); chart data sits on 图表数据;
- 问题清单: every finding, rows coloured by severity, autofilter, frozen header, each row with
  a link that opens the staff workbook at the offending cell;
- 诉求闭环: each open request with its stage, working days in stage, due date and 责任人;
- 巡访情况: each 在册 resident due this week or overdue;
- 志愿者: each volunteer's load this week, visits in 30 days, certificate expiry;
- 议事会: each council meeting's counts and the open items by meeting (``toolkit.report.council``;
  only when minutes were read).

Links are ``external:<link_base>/<file>#'<sheet>'!<cell>``: the report lives in
``DIR/报表/<week>/`` so ``link_base`` defaults to ``../..``.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Iterable

from toolkit import schema
from toolkit.codes import CODES
from toolkit.domain.requests import due_date, is_open, stage, stage_date, stage_deadline
from toolkit.model import Finding, FollowUp, Record
from toolkit.report.indicators import (OTHER_KIND, Indicator, as_map, compute_indicators,
                                       FINDING_CODES, group_label, period_bounds,
                                       same_span_before)
from toolkit.report.council import council_sheet
from toolkit.report.town import formats, value_format
from toolkit.report.workorders import repeat_text
from toolkit.report.writer import (AMBER, BLUE, RED, SEVERITY_FILL, fit_row, print_setup,
                                   set_widths, write_row, write_workbook)
from toolkit.schema import label

__all__ = ["write_staff_report", "finding_link", "KEY_CODES", "TREND_RATE_CODES",
           "TREND_COUNT_CODES"]

KEY_CODES = ("REQ_RECEIVED", "REQ_CLOSED_DUE_RATE", "REQ_SOLVED_RATE", "REQ_ONTIME_RATE",
             "REQ_FIRST_CONTACT_RATE", "REQ_REPLY_RATE", "REQ_SATISFIED_RATE",
             "REQ_OVERDUE_OPEN", "REQ_REPEAT", "CARE_REGISTERED", "CARE_DUE", "CARE_ONTIME_RATE",
             "CARE_KEY_VISIT_RATE", "CARE_OVERDUE", "CARE_BP_ABNORMAL", "CARE_URGENT",
             "VOL_ON_DUTY", "VOL_KEY_RATIO", "VOL_SERVICES", "VOL_HOURS", "WORK_ERRORS",
             "DATA_ERRORS")
TREND_RATE_CODES = ("REQ_RESOLVED_RATE", "REQ_ONTIME_RATE", "REQ_SATISFIED_RATE",
                    "CARE_ONTIME_RATE")
TREND_COUNT_CODES = ("REQ_OVERDUE_OPEN", "CARE_OVERDUE", "DQ_ERRORS")
TREND_WEEKS = 12
MAX_LINKS = 65000              # Excel's limit is 65,530 hyperlinks per sheet
MAX_URL = 2000                 # xlsxwriter refuses longer URLs
CERT_SOON_DAYS = 30            # V402
WEEK_DAYS = 7                  # 近7天巡访: a Monday run still shows last week's work
RECENT_DAYS = 30

T = {  # report words (zh, en)
    "title": ("周检查报告", "Weekly check report"),
    "overview": ("概览", "Overview"), "findings": ("问题清单", "Findings"),
    "requests": ("诉求闭环", "Requests"), "visits": ("巡访情况", "Visits due"),
    "volunteers": ("志愿者", "Volunteers"), "chart_data": ("图表数据", "Chart data"),
    "as_of": ("检查日期", "As of"), "period": ("统计周期", "Period"),
    "urgent": ("一、紧急事项（请今天处理）", "1. Urgent items (act today)"),
    "no_urgent": ("无紧急事项", "no urgent items"),
    "ordered": ("已派给{who}今天处理（{id}，见跟进派单）", "assigned to {who} for today ({id}, see the work orders)"),
    "key": ("二、关键数字", "2. Key numbers"), "charts": ("三、图表", "3. Charts"),
    "repeats": ("三、上周已派、仍未完成（{n} 项，见跟进派单）",
                "3. Sent last week, still not done ({n}, see the work orders)"),
    "charts_after": ("四、图表", "4. Charts"),
    "indicator": ("指标", "indicator"), "now": ("本期", "this period"),
    "last": ("上期同期", "same span before"), "change": ("变化", "change"),
    "span_now": ("本期：{a}至{b}", "this period: {a} to {b}"),
    "span_before": ("上期同期：{a}至{b}（紧急事项数、重复诉求数和问题数比的是上次运行）",
                    "same span before: {a} to {b} (urgent items, repeat requests and findings: "
                    "the last run)"),
    "followups": ("跟进派单数", "follow-ups"), "unassigned": ("未能派单数", "unassigned follow-ups"),
    "findings_count": ("问题总数", "findings"),
    "where": ("位置", "location"), "what": ("问题", "problem"), "fix": ("建议", "what to do"),
    "link": ("打开", "open"), "open_link": ("定位", "go to"),
    "severity": ("级别", "severity"), "code": ("代码", "code"), "ledger": ("台账", "ledger"),
    "file": ("文件", "file"), "sheet": ("工作表", "sheet"), "row": ("行", "row"),
    "column": ("列", "column"), "header": ("表头", "header"), "record": ("编号", "record"),
    "value": ("填写的值", "value"), "message": ("说明", "message"),
    "stage": ("阶段", "stage"), "days_in_stage": ("本阶段工作日", "working days in stage"),
    "next_deadline": ("下一步期限", "next step due"), "overdue": ("下一步已超期", "next step overdue"),
    "tier": ("等级", "tier"), "last_visit": ("上次巡访", "last visit"),
    "next_due": ("应访日期", "due"), "days_overdue": ("超期天数", "days overdue"),
    "never": ("从未巡访", "never visited"),
    "visits_scope": ("本表列出已超期和到本周日（{week_end}）应访的在册老人；概览和指标中的“应访人数”按统计周期计，"
                     "人数可能多于本表",
                     "this sheet lists the registered residents overdue or due by Sunday ({week_end}); "
                     "the residents due in 概览 and the indicators count the whole reporting period, "
                     "so they may be more"),
    "visits_unread": ("本次没有读到巡访记录（没有找到或无法读取），无法列出应访老人；见问题清单",
                      "no visit log was read this run (not found or unreadable): the residents "
                      "due cannot be listed; see the findings"),
    "paired": ("结对志愿者", "paired volunteer"),
    "week_visits": ("近7天巡访", "visits in the last 7 days"), "week_orders": ("本周派单", "follow-ups this week"),
    "visits30": ("近30天巡访", "visits in 30 days"), "pairs": ("结对老人", "paired residents"),
    "cert_state": ("证书状态", "certificate"), "expired": ("已过期", "expired"),
    "expiring": ("30天内到期", "expires within 30 days"), "valid": ("有效", "valid"),
    "yes": ("是", "yes"), "no": ("否", "no"),
    "by_stage": ("诉求按阶段", "Requests by stage"), "by_category": ("诉求按类别", "Requests by category"),
    "coverage": ("各等级巡访覆盖", "Visit coverage by tier"),
    "by_ledger": ("各台账问题数", "Findings by ledger"),
    "trend_rates": ("近12周比率趋势", "12-week trend of rates"),
    "trend_counts": ("近12周超期与错误", "12-week trend of overdue items and errors"),
    "count": ("件数", "count"), "on_time": ("按期", "on schedule"),
    "open_requests": ("在办诉求", "open requests"),
    "week": ("周", "week"),
}


def write_staff_report(path: Path, ctx, findings: Iterable[Finding],
                       followups: Iterable[FollowUp] = (), *,
                       history: list[tuple[str, dict]] | None = None, lang: str = "zh",
                       link_base: str = "../..", indicators: list[Indicator] | None = None,
                       period: str | None = None, period_label: str | None = None) -> Path:
    """Write 周检查报告.xlsx. ``history``: ``[(week label, {code: value})]`` of past runs;
    ``indicators`` and ``period_label``: reuse already computed ones (``toolkit.pipeline.
    write_reports`` does); else computed for ``period``, default the settings' 报送周期."""
    findings = sorted(findings, key=lambda f: f.sort_key)
    followups = list(followups)
    # the period's bounds: from the label when the caller computed it (write_reports does)
    start, end, label_ = period_bounds(ctx.as_of, period_label or period or ctx.settings.period)
    period_label = period_label or label_
    if indicators is None:
        indicators = compute_indicators(ctx, findings, period_start=start, period_end=end)
    history = sorted(history or [], key=lambda item: item[0])
    week_label = period_bounds(ctx.as_of, "week")[2]
    history = [h for h in history if h[0] < week_label][-(TREND_WEEKS - 1):]

    def build(workbook) -> None:
        fmt = _formats(workbook)
        overview = workbook.add_worksheet(label(T["overview"], lang))
        _findings_sheet(workbook, fmt, findings, link_base, lang, _paper(ctx, lang))
        _requests_sheet(workbook, fmt, ctx, link_base, lang)
        _visits_sheet(workbook, fmt, ctx, link_base, lang)
        _volunteers_sheet(workbook, fmt, ctx, followups, lang)
        _usage_sheets(workbook, fmt, ctx, period_label, lang)                    # issue #17
        council_sheet(workbook, fmt, ctx, link_base, lang,
                      lambda record, key: _record_link(link_base, record, key))
        data = workbook.add_worksheet(label(T["chart_data"], lang))
        charts = _chart_data(workbook, data, fmt, ctx, findings, indicators, history, week_label,
                             lang)
        _overview(workbook, overview, fmt, ctx, findings, followups, indicators, history, charts,
                  week_label, period_label, lang, _before(ctx, start, end, history))
        overview.activate()

    title = f"{ctx.settings.committee} {label(T['title'], lang)} {week_label}".strip()
    return write_workbook(Path(path), build, as_of=ctx.as_of, title=title, output=True)


def _before(ctx, start, end, history) -> tuple[dict, tuple[date, date], tuple[date, date]]:
    """Key numbers of the same span one period earlier (like with like: month-to-date against
    the same days of the previous month, week against the previous week up to the same day),
    computed from the ledgers at that cut-off; the finding counts come from the last run."""
    prev_start, prev_end, prev_cutoff = same_span_before(start, end, ctx.as_of)
    values = {i.code: i.value for i in compute_indicators(ctx, [], period_start=prev_start,
                                                          period_end=prev_end, cutoff=prev_cutoff,
                                                          groups=False)
              if i.group == schema.INDICATOR_GROUP_ALL and i.code not in FINDING_CODES}
    last = history[-1][1] if history else {}
    values.update({c: _number(last.get(c)) for c in FINDING_CODES if c in last})
    return values, (start, min(end, ctx.as_of)), (prev_start, prev_cutoff)


def _usage_sheets(workbook, fmt, ctx, period_label, lang) -> None:
    """服务 and 活动室 (issue #17), each only when its ledger was read, for the report's period."""
    from toolkit.report.usage_sheets import rooms_sheet, services_sheet
    start, end, _ = period_bounds(ctx.as_of, period_label)
    cutoff = min(end, ctx.as_of)
    if ctx.ledger("services"):
        services_sheet(workbook, fmt, ctx, start, cutoff, period_label, lang)
    if ctx.ledger("rooms"):
        rooms_sheet(workbook, fmt, ctx, start, cutoff, period_label, lang)


def _paper(ctx, lang: str) -> dict:
    """What every sheet's page footer names: the 居委 and the as-of date."""
    return {"committee": ctx.settings.committee, "as_of": ctx.as_of, "lang": lang}


def _formats(workbook) -> dict:
    fmt = formats(workbook)
    add = workbook.add_format
    base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "border": 1,
            "text_wrap": True}
    for sev, colour in SEVERITY_FILL.items():
        fmt[f"sev_{sev}"] = add({**base, "bg_color": colour})
        fmt[f"sev_{sev}_date"] = add({**base, "bg_color": colour, "num_format": "yyyy-mm-dd"})
        fmt[f"sev_{sev}_link"] = add({**base, "bg_color": colour, "font_color": "blue",
                                      "underline": 1})
    fmt["urgent"] = add({**base, "bg_color": RED, "bold": True})
    fmt["late"] = add({**base, "bg_color": RED})
    fmt["late_date"] = add({**base, "bg_color": RED, "num_format": "yyyy-mm-dd"})
    fmt["soon"] = add({**base, "bg_color": AMBER})
    fmt["cell"] = add(base)
    fmt["cell_date"] = add({**base, "num_format": "yyyy-mm-dd"})
    fmt["link"] = add({**base, "font_color": "blue", "underline": 1})
    fmt["info"] = add({**base, "bg_color": BLUE})
    return fmt


# ---------------------------------------------------------------------------------------
# links

def finding_link(link_base: str, file: str | None, sheet: str | None, row: int | None,
                 column: str | None) -> str | None:
    """``external:<link_base>/<file>#'<sheet>'!<col><row>``; None without a file."""
    if not file:
        return None
    target = f"{link_base.rstrip('/')}/{file}" if link_base else file
    if not sheet:
        return f"external:{target}"
    cell = f"{column or 'A'}{row or 1}"
    return f"external:{target}#'{sheet.replace(chr(39), chr(39) * 2)}'!{cell}"


def _write_link(sheet, row: int, col: int, url: str | None, text: str, fmt, counter: list) -> None:
    if url and len(url) <= MAX_URL and counter[0] < MAX_LINKS:
        counter[0] += 1
        sheet.write_url(row, col, url, fmt, string=text)
    else:
        sheet.write_blank(row, col, None, fmt)       # no file to open (or link limits)


def _record_link(link_base: str, record: Record, key: str | None = None) -> str | None:
    cell = record.cells.get(key) if key else None
    return finding_link(link_base, record.file, record.sheet, record.row,
                        cell.column if cell else "A")


# ---------------------------------------------------------------------------------------
# 问题清单

def _where(f: Finding, lang: str) -> str:
    parts = [p for p in (f.file, f.sheet) if p]
    if f.row:
        parts.append(f"{f.column or ''}{f.row}")
    return " / ".join(parts)


def _findings_sheet(workbook, fmt, findings: list[Finding], link_base: str, lang: str,
                    paper: dict) -> None:
    sheet = workbook.add_worksheet(label(T["findings"], lang))
    header = [label(T[k], lang) for k in ("open_link", "severity", "code", "what", "ledger", "file",
                                           "sheet", "row", "column", "header", "record", "value",
                                           "message", "fix")]
    write_row(sheet, 0, header, fmt["head"])
    widths = set_widths(sheet, (8, 8, 7, 24, 10, 18, 12, 6, 5, 12, 12, 20, 50, 40))
    fit_row(sheet, 0, header, widths)
    sheet.freeze_panes(1, 0)
    print_setup(sheet, **paper)
    links = [0]
    for i, f in enumerate(findings, start=1):
        sev = f"sev_{f.severity}"
        style = fmt["urgent"] if f.urgent else fmt[sev]
        title = CODES[f.code].title.get(lang) if f.code in CODES else ""
        severity = label(schema.SEVERITY_LABELS[f.severity], lang)
        if f.urgent:
            severity = f"{label(schema.URGENT_LABEL, lang)}·{severity}"
        kind = group_label(f.kind if f.kind in schema.KINDS else OTHER_KIND, lang)
        url = finding_link(link_base, f.file, f.sheet, f.row, f.column)
        _write_link(sheet, i, 0, url, label(T["link"], lang), fmt[f"{sev}_link"], links)
        values = [severity, f.code, title, kind, f.file, f.sheet, f.row, f.column, f.header,
                  f.record, f.value, f.message.get(lang), f.fix.get(lang)]
        write_row(sheet, i, values, style, fmt[f"{sev}_date"], first_col=1)
        fit_row(sheet, i, values, widths, first_col=1)
    sheet.autofilter(0, 0, max(len(findings), 1), len(header) - 1)


# ---------------------------------------------------------------------------------------
# 诉求闭环

def _requests_sheet(workbook, fmt, ctx, link_base: str, lang: str) -> None:
    sheet = workbook.add_worksheet(label(T["requests"], lang))
    col = schema.REQUESTS.column
    header = [label(T["open_link"], lang)] + \
        [_header(col(k), lang) for k in ("id", "received", "estate", "category", "content")] + \
        [label(T["stage"], lang), label(T["days_in_stage"], lang), label(T["next_deadline"], lang),
         _header(col("due"), lang), _header(col("assignee"), lang), _header(col("status"), lang),
         label(T["overdue"], lang)]
    write_row(sheet, 0, header, fmt["head"])
    widths = set_widths(sheet, (6, 14, 11, 10, 12, 36, 10, 8, 11, 11, 12, 8, 7))
    fit_row(sheet, 0, header, widths)
    sheet.freeze_panes(1, 2)
    print_setup(sheet, **_paper(ctx, lang))
    cal, s, as_of = ctx.calendar, ctx.settings, ctx.as_of
    rows = []
    for r in ctx.ledger("requests"):
        if not is_open(r):
            continue
        st = stage(r)
        since = stage_date(r, st)
        deadline = stage_deadline(r, s, cal)
        late = deadline is not None and deadline < as_of
        rows.append(((not late, deadline or date.max, str(r.id or ""), r.file, r.sheet, r.row),
                     (r, st, since, deadline, due_date(r, s, cal), late)))
    rows.sort(key=lambda x: x[0])
    links = [0]
    for i, (_, (r, st, since, deadline, due, late)) in enumerate(rows, start=1):
        style, dstyle = (fmt["late"], fmt["late_date"]) if late else (fmt["cell"], fmt["cell_date"])
        _write_link(sheet, i, 0, _record_link(link_base, r), label(T["link"], lang), fmt["link"], links)
        days = cal.workdays_between(since, as_of) if since else None
        if days is not None and days < 0:
            days = None                    # the stage starts after the as-of date (D103 says so)
        values = [
            r.values.get("id"), r.values.get("received"), r.values.get("estate"),
            r.values.get("category"), r.values.get("content"),
            f"{st} {label(schema.STAGE_LABELS[st], lang)}", days, deadline, due,
            r.values.get("assignee"), r.values.get("status"),
            label(T["yes"], lang) if late else ""]
        write_row(sheet, i, values, style, dstyle, first_col=1)
        fit_row(sheet, i, values, widths, first_col=1)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)


def _header(column: schema.Column, lang: str) -> str:
    return column.label_en if lang == "en" and column.label_en else column.header


# ---------------------------------------------------------------------------------------
# 巡访情况

def _visits_sheet(workbook, fmt, ctx, link_base: str, lang: str) -> None:
    care = ctx.care
    as_of = ctx.as_of
    week_end = as_of + timedelta(days=6 - as_of.weekday())
    sheet = workbook.add_worksheet(label(T["visits"], lang))
    col = schema.ELDERLY.column
    header = [label(T["open_link"], lang)] + \
        [_header(col(k), lang) for k in ("id", "name", "estate", "address", "phone")] + \
        [label(T[k], lang) for k in ("tier", "last_visit", "next_due", "days_overdue", "paired")]
    write_row(sheet, 0, header, fmt["head"])
    widths = set_widths(sheet, (6, 10, 9, 10, 16, 13, 6, 11, 11, 8, 16))
    fit_row(sheet, 0, header, widths)
    sheet.freeze_panes(1, 3)
    print_setup(sheet, **_paper(ctx, lang))
    if ctx.unread.incomplete("visits"):
        # no visit log read (not found, or unreadable): every A/B resident would show 从未巡访,
        # which the checks do not claim (one C302 no_log / F001 instead) and 概览 shows as —
        sheet.write(1, 0, label(T["visits_unread"], lang), fmt["cell"])
        return
    rows = []
    for r in care.residents:
        if not care.on_register(r):
            continue
        tier = care.tier(r)
        next_due = care.next_due(r)
        if next_due is None and tier == "C":
            continue                       # tier C never visited is not due (rules.md C302)
        if next_due is not None and next_due > week_end:
            continue
        overdue = (as_of - next_due).days if next_due is not None else None
        late = next_due is None or next_due < as_of
        rank = -(overdue if overdue is not None else 10 ** 6)
        rows.append(((not late, rank, tier, str(r.id or ""), r.file, r.sheet, r.row),
                     (r, tier, next_due, overdue, late)))
    rows.sort(key=lambda x: x[0])
    links = [0]
    for i, (_, (r, tier, next_due, overdue, late)) in enumerate(rows, start=1):
        style, dstyle = (fmt["late"], fmt["late_date"]) if late else (fmt["soon"], fmt["cell_date"])
        last = care.last_counted_visit(r)
        volunteer = care.paired_volunteer(r)
        paired = f"{volunteer.values.get('name') or ''}（{volunteer.id}）" if volunteer is not None \
            else (r.values.get("volunteer") or "")
        _write_link(sheet, i, 0, _record_link(link_base, r), label(T["link"], lang), fmt["link"], links)
        values = [
            r.values.get("id"), r.values.get("name"), r.values.get("estate"),
            r.values.get("address"), r.values.get("phone"), tier,
            last.values.get("date") if last is not None else label(T["never"], lang),
            next_due, overdue if overdue is not None and overdue > 0 else None, paired]
        write_row(sheet, i, values, style, dstyle, first_col=1)
        fit_row(sheet, i, values, widths, first_col=1)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    # which residents: not the indicators' 应访人数 (the whole reporting period), so say so
    sheet.write_string(max(len(rows), 1) + 2, 0,
                       label(T["visits_scope"], lang).format(week_end=week_end.isoformat()), fmt["note"])


# ---------------------------------------------------------------------------------------
# 志愿者

def _volunteers_sheet(workbook, fmt, ctx, followups: list[FollowUp], lang: str) -> None:
    care = ctx.care
    as_of = ctx.as_of
    week_start = as_of - timedelta(days=as_of.weekday())
    week_end = week_start + timedelta(days=6)
    orders = Counter(fu.assignee for fu in followups if fu.assignee and
                     (fu.planned is None or week_start <= fu.planned <= week_end))
    sheet = workbook.add_worksheet(label(T["volunteers"], lang))
    col = schema.VOLUNTEERS.column
    header = [_header(col(k), lang) for k in ("id", "name", "phone", "team", "estates", "active")] + \
        [label(T[k], lang) for k in ("pairs", "week_visits", "week_orders")] + \
        [_header(col("capacity"), lang), label(T["visits30"], lang), _header(col("certificate"), lang),
         _header(col("certificate_expiry"), lang), label(T["cert_state"], lang)]
    write_row(sheet, 0, header, fmt["head"])
    widths = set_widths(sheet, (9, 9, 13, 11, 14, 6, 8, 10, 8, 8, 11, 14, 11, 12))
    fit_row(sheet, 0, header, widths)
    sheet.freeze_panes(1, 2)
    print_setup(sheet, **_paper(ctx, lang))
    volunteers = sorted(care.volunteers, key=lambda v: (str(v.id or ""), v.file, v.sheet, v.row))
    unread = ctx.unread.incomplete("visits")
    for i, v in enumerate(volunteers, start=1):
        week = care.visits_in_week(v, as_of)               # the weekly cap is per ISO week
        last7 = len(care.visits_by_between(v, as_of - timedelta(days=WEEK_DAYS), as_of))
        booked = orders.get(v.id, 0)
        cap = care.capacity(v)
        recent = len(care.visits_by_between(v, as_of - timedelta(days=RECENT_DAYS), as_of))
        expiry = v.values.get("certificate_expiry") if "certificate_expiry" not in v.invalid else None
        state = ""
        if isinstance(expiry, date):
            state = label(T["expired"] if expiry < as_of else T["expiring"]
                          if expiry <= as_of + timedelta(days=CERT_SOON_DAYS) else T["valid"], lang)
        active = care.is_active(v)
        busy = week + booked > cap
        style = fmt["late"] if (busy or (isinstance(expiry, date) and expiry < as_of)) else \
            fmt["soon"] if (not active or state == label(T["expiring"], lang)) else fmt["cell"]
        values = [
            v.values.get("id"), v.values.get("name"), v.values.get("phone"), v.values.get("team"),
            v.values.get("estates"), label(T["yes"] if active else T["no"], lang),
            len(care.paired_residents(v)), None if unread else last7, booked, cap,
            None if unread else recent,     # no visit log read: not 0 visits, unknown
            v.values.get("certificate"), expiry, state]
        write_row(sheet, i, values, style, fmt["cell_date"])
        fit_row(sheet, i, values, widths)
    sheet.autofilter(0, 0, max(len(volunteers), 1), len(header) - 1)


# ---------------------------------------------------------------------------------------
# chart data and the overview

def _chart_data(workbook, sheet, fmt, ctx, findings, indicators, history, week_label, lang) -> dict:
    """Write the tables the charts read; return {chart name: (first row, last row, columns)}."""
    name = sheet.get_name()
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 8, 12)
    print_setup(sheet, landscape=False, repeat=None, **_paper(ctx, lang))
    blocks: dict[str, tuple] = {}
    row = 0

    def table(key: str, header: list[str], rows: list[list]) -> None:
        nonlocal row
        sheet.write_string(row, 0, label(T[key], lang), fmt["section"])
        write_row(sheet, row + 1, header, fmt["head"])
        for i, values in enumerate(rows):
            write_row(sheet, row + 2 + i, values, fmt["raw"])
        blocks[key] = (row + 2, row + 1 + len(rows), len(header))
        row += len(rows) + 4

    requests = ctx.ledger("requests")
    stages = Counter(stage(r) for r in requests)
    open_stages = Counter(stage(r) for r in requests if is_open(r))
    table("by_stage", [label(T["stage"], lang), label(T["count"], lang),
                       label(T["open_requests"], lang)],
          [[label(schema.STAGE_LABELS[s], lang), stages.get(s, 0), open_stages.get(s, 0)]
           for s in schema.STAGES])
    cats = [i.group for i in indicators if i.code == "REQ_RECEIVED" and i.group   # not 小区
            and not i.group.startswith(schema.ESTATE_GROUP)]
    table("by_category", [schema.REQUESTS.column("category").header if lang != "en" else "category",
                          label(schema.INDICATOR_LABELS["REQ_RECEIVED"], lang),
                          label(schema.INDICATOR_LABELS["REQ_OVERDUE_OPEN"], lang)],
          [[group_label(c, lang), as_map(indicators, c)["REQ_RECEIVED"].value,
            as_map(indicators, c)["REQ_OVERDUE_OPEN"].value] for c in cats] or [["—", 0, 0]])
    coverage = []
    for tier in schema.TIERS:
        m = as_map(indicators, tier)
        registered = m["CARE_REGISTERED"].value if "CARE_REGISTERED" in m else 0
        overdue = m["CARE_OVERDUE"].value if "CARE_OVERDUE" in m else 0
        on_time = None if registered is None or overdue is None else registered - overdue
        coverage.append([label(schema.TIER_LABELS[tier], lang).split("（")[0], on_time, overdue])
    table("coverage", [label(T["tier"], lang), label(T["on_time"], lang),
                       label(schema.INDICATOR_LABELS["CARE_OVERDUE"], lang)], coverage)
    kinds = list(schema.KINDS) + [OTHER_KIND]
    per = Counter((f.kind if f.kind in schema.KINDS else OTHER_KIND, f.severity) for f in findings)
    table("by_ledger", [label(T["ledger"], lang)] +
          [label(schema.SEVERITY_LABELS[s], lang) for s in schema.SEVERITIES],
          [[group_label(k, lang)] + [per.get((k, s), 0) for s in schema.SEVERITIES] for k in kinds])
    if history:
        now = as_map(indicators)
        weeks = history + [(week_label, {c: i.value for c, i in now.items()})]
        for key, codes in (("trend_rates", TREND_RATE_CODES), ("trend_counts", TREND_COUNT_CODES)):
            table(key, [label(T["week"], lang)] +
                  [label(schema.INDICATOR_LABELS[c], lang) for c in codes],
                  [[wk] + [_number(values.get(c)) for c in codes] for wk, values in weeks])
    blocks["_sheet"] = name
    return blocks


def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _overview(workbook, sheet, fmt, ctx, findings, followups, indicators, history, charts, week_label,
              period_label, lang, before) -> None:
    s = ctx.settings
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 3, 12)
    sheet.set_column(4, 7, 24)
    print_setup(sheet, landscape=False, repeat=None, **_paper(ctx, lang))
    title = f"{s.committee}{label(T['title'], lang)}（{week_label}）"
    sheet.merge_range(0, 0, 0, 7, title, fmt["title"])
    fit_row(sheet, 0, (), (), spans=[(title, 30 + 3 * 12 + 4 * 24)], font_size=14)
    sheet.write_string(1, 0, label(T["as_of"], lang), fmt["label"])
    sheet.write_datetime(1, 1, datetime(ctx.as_of.year, ctx.as_of.month, ctx.as_of.day), fmt["date"])
    sheet.write_string(2, 0, label(T["period"], lang), fmt["label"])
    sheet.write_string(2, 1, period_label, fmt["text"])
    row = 4
    sheet.write_string(row, 0, label(T["urgent"], lang), fmt["section"])
    urgent = [f for f in findings if f.urgent]
    if not urgent:
        row += 1
        sheet.write_string(row, 0, label(T["no_urgent"], lang), fmt["text"])
    orders = {id(x): fu for fu in followups for x in fu.findings if fu.assignee}
    for f in urgent:
        row += 1
        title = CODES[f.code].title.get(lang) if f.code in CODES else f.code
        sheet.write_string(row, 0, f"{f.code} {title}", fmt["urgent"])
        sheet.write_string(row, 1, f.record or "", fmt["urgent"])
        sheet.merge_range(row, 2, row, 3, _where(f, lang), fmt["urgent"])
        # a work order made of it says who goes; the finding's general advice beside it
        # (联系家庭医生…) would be a second, different instruction for the same emergency
        order = orders.get(id(f))
        todo = (label(T["ordered"], lang).format(who=order.assignee_name or order.assignee,
                                                  id=order.id)
                if order else f.fix.get(lang))
        if order is not None and order.repeat is not None:
            todo += ("; " if lang == "en" else "；") + repeat_text(order, lang)
        text = f"{f.message.get(lang)} → {todo}"
        sheet.merge_range(row, 4, row, 7, text, fmt["urgent"])
        fit_row(sheet, row, [f"{f.code} {title}", f.record or ""], (30, 12), min_height=30,
                spans=[(_where(f, lang), 24), (text, 96)])
    row += 2
    sheet.write_string(row, 0, label(T["key"], lang), fmt["section"])
    values_before, (now_a, now_b), (was_a, was_b) = before
    row += 1
    sheet.merge_range(row, 0, row, 7, label(T["span_now"], lang).format(a=now_a, b=now_b), fmt["text"])
    row += 1
    sheet.merge_range(row, 0, row, 7, label(T["span_before"], lang).format(a=was_a, b=was_b),
                      fmt["text"])
    row += 1
    write_row(sheet, row, [label(T[k], lang) for k in ("indicator", "now", "last", "change")],
              fmt["head"])
    totals = as_map(indicators)
    for code in KEY_CODES:
        row += 1
        ind = totals.get(code)
        sheet.write_string(row, 0, label(schema.INDICATOR_LABELS[code], lang), fmt["label"])
        _value(sheet, row, 1, code, ind.value if ind else None, fmt)
        before = values_before.get(code)
        _value(sheet, row, 2, code, before, fmt)
        change = round(ind.value - before, 4) \
            if (ind and ind.value is not None and before is not None) else None
        _value(sheet, row, 3, code, change, fmt)
    extra = [("findings_count", len(findings)), ("followups", len(followups)),
             ("unassigned", sum(1 for fu in followups if not fu.assignee))]
    for key, value in extra:
        row += 1
        sheet.write_string(row, 0, label(T[key], lang), fmt["label"])
        sheet.write_number(row, 1, value, fmt["count"])
    repeats = sorted((fu for fu in followups if fu.repeat is not None), key=lambda fu: fu.id)
    if repeats:
        row = _repeats(sheet, fmt, repeats, row + 2, lang)
    row += 2
    sheet.write_string(row, 0, label(T["charts_after" if repeats else "charts"], lang),
                       fmt["section"])
    _charts(workbook, sheet, charts, row + 1, lang)


def _repeats(sheet, fmt, repeats: list[FollowUp], row: int, lang: str) -> int:
    """三、上周已派、仍未完成: the follow-ups the previous week's run made too (weekly; the
    history knows them), one line each — the order, its target, who has it now and who had it
    then (连续第N周). Returns the last row written."""
    sheet.write_string(row, 0, label(T["repeats"], lang).format(n=len(repeats)), fmt["section"])
    for fu in repeats:
        row += 1
        task = f"{fu.id} {label(schema.FOLLOWUP_LABELS[fu.type], lang)}"
        if fu.type == "service" and fu.skill:
            task += f"（{fu.skill}）" if lang != "en" else f" ({fu.skill})"
        now = fu.assignee_name or fu.assignee or label(schema.UNASSIGNED_LABEL, lang)
        text = repeat_text(fu, lang)
        sheet.write_string(row, 0, task, fmt["text"])
        sheet.write_string(row, 1, fu.target, fmt["text"])
        sheet.merge_range(row, 2, row, 3, now, fmt["text"])
        sheet.merge_range(row, 4, row, 7, text, fmt["text"])
        fit_row(sheet, row, [task, fu.target], (30, 12), spans=[(now, 24), (text, 96)])
    return row


def _value(sheet, row, col, code, value, fmt) -> None:
    if value is None:
        sheet.write_string(row, col, "—", fmt["text"])
    else:
        sheet.write_number(row, col, value, value_format(fmt, code, value))


def _charts(workbook, sheet, charts: dict, row: int, lang: str) -> None:
    """The overview's charts, two to a row. A bar chart (categories down the side) is made
    tall enough to name every category — LibreOffice drops every other label when they do
    not fit — and the next pair starts below the taller of the two."""
    data = charts["_sheet"]
    specs = [("by_stage", "column", False), ("by_category", "bar", False),
             ("coverage", "column", True), ("by_ledger", "bar", True)]
    if "trend_rates" in charts:
        specs += [("trend_rates", "line", False), ("trend_counts", "line", False)]
    pair_rows = 0
    for n, (key, kind, stacked) in enumerate(specs):
        first, last, ncols = charts[key]
        chart = workbook.add_chart({"type": kind, **({"subtype": "stacked"} if stacked else {})})
        for c in range(1, ncols):
            series = {"name": [data, first - 1, c],
                      "categories": [data, first, 0, last, 0],
                      "values": [data, first, c, last, c]}
            if kind == "line":
                series["marker"] = {"type": "circle", "size": 5}
            chart.add_series(series)
        chart.set_title({"name": label(T[key], lang)})
        chart.set_legend({"position": "bottom"})
        if key == "trend_rates":
            chart.set_y_axis({"num_format": "0%", "min": 0, "max": 1})
        height = CHART_SIZE[1]
        if kind == "bar":       # the category axis of a bar chart is its y axis
            chart.set_y_axis({"interval_unit": 1, "num_font": {"size": 8}})
            height = max(height, BAR_FRAME_PX + BAR_ROW_PX * (last - first + 1))
        chart.set_size({"width": CHART_SIZE[0], "height": height})
        sheet.insert_chart(row, (n % 2) * 4, chart)
        pair_rows = max(pair_rows, -(-height // ROW_PX) + 1)
        if n % 2:
            row, pair_rows = row + pair_rows, 0


CHART_SIZE = (480, 288)         # pixels: two charts side by side fit a portrait A4 page
BAR_FRAME_PX, BAR_ROW_PX = 110, 20   # a bar chart's title, legend and axis; each category
ROW_PX = 20                      # a default row's height (15 pt)
