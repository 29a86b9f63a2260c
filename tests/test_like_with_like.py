"""Like with like (issue #14): the staff report compares a span with the same span one period
earlier, labelled so; 近7天巡访 counts the last 7 days; no negative day counts."""
from __future__ import annotations

from datetime import date, timedelta

import openpyxl

from helpers import make_context, make_record
from toolkit.report.indicators import compute_indicators, period_bounds, same_span_before
from toolkit.report.staff import write_staff_report
from toolkit.settings import Settings

D = date


def test_same_span_before():
    # a week: the previous ISO week up to the same weekday
    assert same_span_before(D(2026, 11, 30), D(2026, 12, 6), D(2026, 12, 1)) == (
        D(2026, 11, 23), D(2026, 11, 29), D(2026, 11, 24))
    # month to date: the same days of the previous month
    assert same_span_before(D(2026, 12, 1), D(2026, 12, 31), D(2026, 12, 1)) == (
        D(2026, 11, 1), D(2026, 11, 30), D(2026, 11, 1))
    # 31 March against February: up to February's last day
    assert same_span_before(D(2027, 3, 1), D(2027, 3, 31), D(2027, 3, 31)) == (
        D(2027, 2, 1), D(2027, 2, 28), D(2027, 2, 28))
    assert same_span_before(D(2027, 3, 1), D(2027, 3, 31), D(2027, 3, 30)) == (
        D(2027, 2, 1), D(2027, 2, 28), D(2027, 2, 28))
    # a finished month against the whole previous month; January against December
    assert same_span_before(D(2026, 10, 1), D(2026, 10, 31), D(2026, 11, 20)) == (
        D(2026, 9, 1), D(2026, 9, 30), D(2026, 9, 30))
    assert same_span_before(D(2027, 1, 1), D(2027, 1, 31), D(2027, 1, 5)) == (
        D(2026, 12, 1), D(2026, 12, 31), D(2026, 12, 5))


def _request(row, received, **kw):
    return make_record("requests", row, id=f"SQ-{row:03d}", received=received, source="来电",
                       estate="松和苑", content="路灯不亮", **kw)


def _overview(path):
    ws = openpyxl.load_workbook(path)["概览"]
    rows = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    head = next(i for i, r in enumerate(rows) if r[:4] == ("指标", "本期", "上期同期", "变化"))
    table = {r[0]: r[1:4] for r in rows[head + 1:] if isinstance(r[0], str)}
    return rows[head - 2][0], rows[head - 1][0], table


def test_month_to_date_is_compared_with_the_same_days_of_last_month(tmp_path):
    as_of = D(2026, 12, 1)
    # 15 requests in November, one on 1 November; one on 1 December
    records = [_request(2 + i, D(2026, 11, 1 + i)) for i in range(15)] + [_request(40, D(2026, 12, 1))]
    ctx = make_context(*records, as_of=as_of, settings=Settings(period="month"))
    history = [("2026-W48", {"REQ_RECEIVED": 15})]          # last run's month-to-date
    path = write_staff_report(tmp_path / "r.xlsx", ctx, [], history=history)
    now_line, before_line, table = _overview(path)
    assert table["受理数"] == (1, 1, 0)                      # not 1 vs 15 (−14)
    assert "2026-12-01至2026-12-01" in now_line and "2026-11-01至2026-11-01" in before_line
    assert "上期同期" in before_line


def test_a_week_is_compared_with_last_week_up_to_the_same_day(tmp_path):
    as_of = D(2026, 12, 2)                                   # Wednesday
    records = [_request(2, D(2026, 11, 23)), _request(3, D(2026, 11, 25)), _request(4, D(2026, 11, 27)),
               _request(5, D(2026, 11, 30))]
    ctx = make_context(*records, as_of=as_of, settings=Settings(period="week"))
    _, before_line, table = _overview(write_staff_report(tmp_path / "r.xlsx", ctx, []))
    assert table["受理数"] == (1, 2, -1)                     # Mon–Wed against Mon–Wed
    assert "2026-11-23至2026-11-25" in before_line


def test_visits_in_the_last_seven_days_on_a_monday(tmp_path):
    monday = D(2026, 11, 30)
    vol = make_record("volunteers", 2, id="ZY-001", name="李红", estates=("松和苑",), skills=("巡访",))
    res = make_record("elderly", 2, id="LR-001", name="王阿婆", estate="松和苑", lives_alone=False)
    visits = [make_record("visits", 2 + i, date=monday - timedelta(days=d), elderly_id="LR-001",
                          volunteer="ZY-001", service=("巡访",), outcome="正常")
              for i, d in enumerate((1, 3, 6, 7))]                # Sun, Thu, Tue in; last Mon out
    ctx = make_context(vol, res, *visits, as_of=monday)
    ws = openpyxl.load_workbook(write_staff_report(tmp_path / "r.xlsx", ctx, []))["志愿者"]
    rows = list(ws.iter_rows(values_only=True))
    col = rows[0].index("近7天巡访")
    assert rows[1][col] == 3


def test_no_negative_days_in_stage_for_a_future_dated_request(tmp_path):
    as_of = D(2026, 11, 23)
    ctx = make_context(_request(2, D(2026, 12, 3)), _request(3, D(2026, 11, 16)), as_of=as_of)
    ws = openpyxl.load_workbook(write_staff_report(tmp_path / "r.xlsx", ctx, []))["诉求闭环"]
    rows = list(ws.iter_rows(values_only=True))
    col = rows[0].index("本阶段工作日")
    days = {r[1]: r[col] for r in rows[1:]}
    assert days["SQ-002"] is None and days["SQ-003"] == 5


def _found(code: str, severity: str, record) -> "Finding":
    from toolkit.model import Finding, Text
    return Finding(code, severity, False, Text("x", "x"), Text("x", "x"), kind=record.kind,
                   file=record.file, sheet=record.sheet, row=record.row)


def test_counts_of_findings_are_compared_with_the_last_run_not_with_zero(tmp_path):
    """问题数 and 重复诉求数 come from this run's findings, which the ledgers alone cannot give
    for an earlier span: the 上期同期 column shows the last run's value, or "—" without one
    (it once showed 0, so 变化 was the whole count)."""
    as_of = D(2026, 12, 2)
    records = [_request(2, D(2026, 11, 30)), _request(3, D(2026, 12, 1))]
    findings = [_found("R210", "info", records[1]), _found("R204", "error", records[0]),
                _found("R204", "error", records[1]), _found("D102", "error", records[0])]
    ctx = make_context(*records, as_of=as_of, settings=Settings(period="week"))
    history = [("2026-W48", {"WORK_ERRORS": 5, "DATA_ERRORS": 1, "REQ_REPEAT": 0})]
    _, _, table = _overview(write_staff_report(tmp_path / "r.xlsx", ctx, findings,
                                               history=history))
    assert table["工作问题数（错误）"] == (2, 5, -3)
    assert table["台账数据错误数"] == (1, 1, 0)
    assert table["重复诉求数"] == (1, 0, 1)
    _, _, first = _overview(write_staff_report(tmp_path / "first.xlsx", ctx, findings))
    assert first["工作问题数（错误）"] == (2, "—", "—")
    assert first["重复诉求数"] == (1, "—", "—")


def test_totals_only_are_the_total_group_of_the_full_computation():
    """``groups=False`` (the 上期同期 column) gives exactly the totals of the full list."""
    from pathlib import Path

    from toolkit import pipeline
    from toolkit.schema import ESTATE_GROUP, INDICATOR_GROUP_ALL
    sample = Path(__file__).parent.parent / "samples" / "xinze"
    ctx = pipeline.check([sample], as_of=D(2026, 11, 23)).context
    for start, end, cutoff in ((D(2026, 11, 16), D(2026, 11, 22), None),
                               (D(2026, 10, 1), D(2026, 10, 31), D(2026, 10, 20))):
        full = compute_indicators(ctx, [], period_start=start, period_end=end, cutoff=cutoff)
        totals = compute_indicators(ctx, [], period_start=start, period_end=end, cutoff=cutoff,
                                    groups=False)
        assert [i for i in full if i.group == INDICATOR_GROUP_ALL] \
            == [i for i in totals if i.group == INDICATOR_GROUP_ALL]
        assert len([i for i in full if i.group != INDICATOR_GROUP_ALL]) > 40
        assert all(i in full for i in totals)          # what else it gives, it gives alike
        assert not {i.group for i in totals} & ({"A", "B", "C"} | {
            i.group for i in full if i.group.startswith(ESTATE_GROUP)})
