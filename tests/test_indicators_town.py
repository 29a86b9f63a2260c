"""The indicators a 镇 statistician asks for (issue #15), each computed by hand on one small
workspace: a monthly report made by a weekly run on Monday 2026-11-23 (cut-off 11-23).

Requests (登记 → the facts that matter):
  Q1 11-02 东苑 议事会  先行联系 11-02 (分类 11-04 would be late), due 11-10, 办结 11-09 已解决, 满意
  Q2 11-03 西苑 12345   no 先行联系: fallback 分类 11-05 > limit 11-04; due 11-12, 办结 11-16 (late)
                        未解决 (closed but not solved), 不满意
  Q3 11-10 东苑 议事会  分类 11-10; due 12-01 (after the cut-off), 办结 11-20 部分解决; R210
  Q4 10-20 西苑 接待点  October (not received this month) but due 11-05: 应办结, open, overdue, 重办
  Q5 11-23 东苑 12345   received on the cut-off day: its 先行联系时限 has not passed
  Q6 10-28 东苑 来访    办结 10-31 (last month, 是 = 已解决), due 11-18: 应办结 and closed
  Q7 11-30              after the as-of date: not counted at all
  Q8 11-16 西苑 网格巡查 category limit: due in December, open
"""
from __future__ import annotations

import csv
import shutil
import subprocess
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from helpers import make_context, make_record
from toolkit import schema
from toolkit.model import Finding, Text
from toolkit.report.indicators import as_map, compute_indicators, period_bounds
from toolkit.report.merge import MergeError, merge_reports
from toolkit.report.town import write_town_report
from toolkit.settings import Settings

D = date
AS_OF = D(2026, 11, 23)            # a Monday: the weekly run, mid-month
EAST, WEST = "东苑", "西苑"
SETTINGS = Settings(estates=(EAST, WEST), committee="松和居委")


def q(row, **values):
    return make_record("requests", row, **values)


def requests():
    return [
        q(2, id="Q1", received=D(2026, 11, 2), source="议事会", estate=EAST, category="晾晒",
          content="晾衣架", first_contact=D(2026, 11, 2), classified=D(2026, 11, 4),
          assignee="物业", assigned=D(2026, 11, 4), due=D(2026, 11, 10),
          resolved=D(2026, 11, 9), solved="已解决", replied=D(2026, 11, 10), satisfaction="满意"),
        q(3, id="Q2", received=D(2026, 11, 3), source="12345", estate=WEST, category="晾晒",
          content="晾衣竿", classified=D(2026, 11, 5), assignee="物业", assigned=D(2026, 11, 5),
          due=D(2026, 11, 12), resolved=D(2026, 11, 16), solved="未解决",
          replied=D(2026, 11, 17), satisfaction="不满意"),
        q(4, id="Q3", received=D(2026, 11, 10), source="议事会", estate=EAST, category="环境卫生",
          content="垃圾", classified=D(2026, 11, 10), assignee="保洁", assigned=D(2026, 11, 11),
          due=D(2026, 12, 1), resolved=D(2026, 11, 20), solved="部分解决"),
        q(5, id="Q4", received=D(2026, 10, 20), source="接待点", estate=WEST, category="环境卫生",
          content="积水", classified=D(2026, 10, 20), assignee="保洁", assigned=D(2026, 10, 21),
          due=D(2026, 11, 5), status="重办"),
        q(6, id="Q5", received=D(2026, 11, 23), source="12345", estate=EAST, content="路灯"),
        q(7, id="Q6", received=D(2026, 10, 28), source="来访", estate=EAST, category="小区安全",
          content="门禁", classified=D(2026, 10, 28), assignee="物业", assigned=D(2026, 10, 29),
          due=D(2026, 11, 18), resolved=D(2026, 10, 31), solved="是"),
        q(8, id="Q7", received=D(2026, 11, 30), source="12345", estate=EAST, content="噪声"),
        q(9, id="Q8", received=D(2026, 11, 16), source="网格巡查", estate=WEST, category="环境卫生",
          content="绿化", classified=D(2026, 11, 16), assignee="保洁", assigned=D(2026, 11, 17)),
    ]


def elderly():
    e = lambda row, **v: make_record("elderly", row, **v)          # noqa: E731
    return [
        e(2, id="E1", name="甲", estate=EAST, birth=D(1945, 1, 1), lives_alone=True),      # 81 A
        e(3, id="E2", name="乙", estate=EAST, birth=D(1934, 6, 1), lives_alone=False,
          hardship=("低保",)),                                                              # 92 B
        e(4, id="E3", name="丙", estate=WEST, birth=D(1956, 1, 1), lives_alone=False,
          hardship=("计生特殊家庭",)),                                                        # 70 B
        e(5, id="E4", name="丁", estate=WEST, birth=D(1926, 1, 1), lives_alone=True,
          hardship=("失能",)),                                                              # 100 A
        e(6, id="E5", name="戊", estate=WEST, birth=D(1961, 1, 1), lives_alone=False),      # 65 C
        e(7, id="E6", name="己", estate=EAST, birth=D(1938, 1, 1), lives_alone=True,
          status="去世"),                                                                   # gone
        e(8, id="E7", name="庚", estate=WEST, birth=D(1966, 11, 23), lives_alone=False,
          hardship=("低收入",)),                                                            # 60 B
    ]


def visits():
    v = lambda row, **x: make_record("visits", row, **x)            # noqa: E731
    return [
        v(2, date=D(2026, 11, 5), elderly_id="E1", volunteer="V1", service=("巡访", "量血压"),
          outcome="正常", blood_pressure=(160, 95), hours=1),
        v(3, date=D(2026, 11, 10), elderly_id="E2", volunteer="V1", service=("电话问候",),
          outcome="正常", hours=0.5),
        v(4, date=D(2026, 11, 12), elderly_id="E3", volunteer="V2", service=("巡访", "代配药"),
          outcome="正常", blood_pressure=(120, 80), hours=1.5),
        v(5, date=D(2026, 11, 20), elderly_id="E4", volunteer="V2", service=("巡访",),
          outcome="敲门无应答"),
        v(6, date=D(2026, 10, 30), elderly_id="E7", volunteer="V2", service=("巡访", "助餐"),
          outcome="正常", hours=2),                                    # October
        v(7, date=D(2026, 11, 15), elderly_id="E5", volunteer="V1",
          service=("巡访", "助洁", "助医", "垃圾投放"), outcome="正常", blood_pressure=(85, 55),
          hours=1),
        v(8, date=D(2026, 11, 22), elderly_id="E7", estate=WEST, volunteer="V2",
          service=("助餐",), outcome="正常"),
        v(9, date=D(2026, 11, 25), elderly_id="E1", volunteer="V1", service=("巡访",),
          outcome="正常", hours=3),                                    # after the as-of date
    ]


def volunteers():
    v = lambda row, **x: make_record("volunteers", row, **x)        # noqa: E731
    return [
        v(2, id="V1", name="李红", team="党员志愿者", estates=(EAST,), skills=("巡访",)),
        v(3, id="V2", name="周敏", team="居民志愿者", estates=("全部",), skills=("巡访",),
          active=True),
        v(4, id="V3", name="王医生", team="家庭医生团队", estates=("全部",), skills=("量血压",)),
        v(5, id="V4", name="赵楼", team="楼组长", estates=(WEST,), skills=("巡访",), active=False),
        v(6, id="V5", name="钱敏", estates=(WEST,), skills=("巡访",)),
    ]


def fnd(code, severity, kind, row=None, file=None):
    return Finding(code=code, severity=severity, urgent=False, message=Text("x", "x"),
                   fix=Text("y", "y"), kind=kind, file=file, sheet="2026年" if row else None,
                   row=row)


REQ_FILE = "诉求台账.xlsx"
FINDINGS = [fnd("R210", "info", "requests", 4, REQ_FILE),       # Q3 (this month)
            fnd("R210", "info", "requests", 5, REQ_FILE),       # Q4 (October)
            fnd("R203", "error", "requests", 5, REQ_FILE), fnd("C301", "error", "elderly"),
            fnd("D101", "error", "requests"), fnd("F001", "error", None),
            fnd("D104", "warning", "requests"), fnd("V402", "warning", "volunteers"),
            fnd("H602", "warning", "requests")]


def context(*, drop=(), strip_solved=False, settings=SETTINGS, as_of=AS_OF):
    reqs = [r for r in requests() if r.id not in drop]
    if strip_solved:                                    # a community without 是否解决
        for r in reqs:
            r.values["solved"] = None
    return make_context(*reqs, *elderly(), *visits(), *volunteers(), settings=settings,
                        as_of=as_of)


def compute(ctx=None, period="month", findings=FINDINGS):
    ctx = ctx or context()
    start, end, _ = period_bounds(ctx.as_of, period)
    return compute_indicators(ctx, findings, period_start=start, period_end=end)


@pytest.fixture(scope="module")
def month():
    return compute()


def nd(ind):
    return ind.numerator, ind.denominator


def estate(indicators, name):
    return as_map(indicators, schema.ESTATE_GROUP + name)


# --- requests ----------------------------------------------------------------------------

def test_cutoff_is_the_as_of_day_of_a_mid_month_run(month):
    assert as_map(month)["CUTOFF"].value == "2026-11-23"
    finished = compute(context(as_of=D(2026, 12, 1)), period="2026-11")
    assert as_map(finished)["CUTOFF"].value == "2026-11-30"
    # Q7 (11-30) is received once the month is complete
    assert as_map(finished)["REQ_RECEIVED"].value == as_map(month)["REQ_RECEIVED"].value + 1


def test_received_is_this_months_cohort(month):
    assert as_map(month)["REQ_RECEIVED"].value == 5                   # Q1 Q2 Q3 Q5 Q8
    assert nd(as_map(month)["REQ_RESOLVED_RATE"]) == (3, 5)           # 受理口径: Q1 Q2 Q3


def test_closed_due_rate_counts_requests_due_by_the_cut_off(month):
    # due in [11-01, 11-23]: Q1 Q2 Q4 (received in October) Q6 (closed in October);
    # Q3 is due after the cut-off, Q8 in December; closed: Q1 Q2 Q6
    ind = as_map(month)["REQ_CLOSED_DUE_RATE"]
    assert nd(ind) == (3, 4) and ind.value == 0.75
    assert nd(estate(month, EAST)["REQ_CLOSED_DUE_RATE"]) == (2, 2)  # Q1 Q6
    assert nd(estate(month, WEST)["REQ_CLOSED_DUE_RATE"]) == (1, 2)  # Q2; Q4 open


def test_solved_rate_is_not_the_closed_rate(month):
    # closed this month with 是否解决: Q1 已解决, Q2 未解决, Q3 部分解决 (Q6 closed in October)
    m = as_map(month)
    assert nd(m["REQ_SOLVED_RATE"]) == (1, 3) and m["REQ_SOLVED_RATE"].value == 0.3333
    assert m["REQ_SOLVED"].value == 1
    assert m["REQ_PARTLY_SOLVED"].value == 1
    assert m["REQ_NOT_SOLVED"].value == 1                              # Q2: closed, 未解决


def test_solved_rate_empty_when_no_request_has_it():
    m = as_map(compute(context(strip_solved=True)))
    for code in ("REQ_SOLVED_RATE", "REQ_SOLVED", "REQ_PARTLY_SOLVED", "REQ_NOT_SOLVED"):
        assert (m[code].value, m[code].numerator, m[code].denominator) == (None, None, None)
    assert m["REQ_CLOSED_DUE_RATE"].value == 0.75                      # never 办结率 renamed


def test_first_contact_rate_uses_first_contact_then_the_fallback(month):
    # limits (1 working day): Q1 11-03 (先行联系 11-02 ✓), Q2 11-04 (分类 11-05 ✗),
    # Q3 11-11 (分类 11-10 ✓), Q8 11-17 (分类 11-16 ✓); Q5's limit 11-24 has not passed
    assert nd(as_map(month)["REQ_FIRST_CONTACT_RATE"]) == (3, 4)
    # without the 先行联系日期 Q1 falls back to 分类 11-04: late
    ctx = context()
    ctx.ledger("requests")[0].values["first_contact"] = None
    assert nd(as_map(compute(ctx))["REQ_FIRST_CONTACT_RATE"]) == (2, 4)


def test_first_contact_limit_comes_from_settings():
    ctx = context(settings=replace(SETTINGS, first_contact_days=2))
    # limits: Q1 11-04 ✓, Q2 11-05 ✓, Q3 11-12 ✓, Q8 11-18 ✓
    assert nd(as_map(compute(ctx))["REQ_FIRST_CONTACT_RATE"]) == (4, 4)


def test_old_response_rate_keeps_its_meaning_under_its_new_label(month):
    ind = as_map(month)["REQ_RESPONSE_RATE"]
    assert ind.name_zh == "及时分派率"
    # 分类 within 2 and 分派 within 3 working days: Q1 Q2 (分类 11-05 = its limit) Q3 Q8;
    # Q5 still inside 分类时限. Same requests, another question than 先行联系 (3 of 4)
    assert nd(ind) == (4, 4)
    assert as_map(month)["REQ_RESOLVED_RATE"].name_zh == "办结率（受理口径）"


def test_ontime_reply_and_satisfied_as_before(month):
    m = as_map(month)
    assert nd(m["REQ_ONTIME_RATE"]) == (2, 3)                          # Q2 late
    assert nd(m["REQ_REPLY_RATE"]) == (2, 3)                           # Q3 not replied
    assert nd(m["REQ_SATISFIED_RATE"]) == (1, 2)                       # over rated only


def test_requests_by_source(month):
    by_source = {i.group: i.value for i in month if i.code == "REQ_BY_SOURCE"}
    assert by_source == {"议事会": 2, "网格巡查": 1, "12345": 2}
    assert list(by_source) == ["议事会", "网格巡查", "12345"]          # the ledger's list order


def test_repeat_requests_are_r210_on_this_months_requests(month):
    assert as_map(month)["REQ_REPEAT"].value == 1                      # Q3; Q4 is October's


def test_reopened_and_overdue(month):
    m = as_map(month)
    assert m["REQ_REOPENED"].value == 1                                # Q4 重办
    assert m["REQ_OVERDUE_OPEN"].value == 1                            # Q4 due 11-05, open


def test_requests_by_estate(month):
    assert estate(month, EAST)["REQ_RECEIVED"].value == 3              # Q1 Q3 Q5
    assert estate(month, WEST)["REQ_RECEIVED"].value == 2              # Q2 Q8
    assert nd(estate(month, EAST)["REQ_SOLVED_RATE"]) == (1, 2)        # Q1 ✓, Q3 部分
    assert estate(month, WEST)["REQ_OVERDUE_OPEN"].value == 1          # Q4


# --- care --------------------------------------------------------------------------------

def test_age_bands(month):
    m = as_map(month)
    assert [m[c].value for c in ("CARE_AGE_60_79", "CARE_AGE_80_89", "CARE_AGE_90_99",
                                 "CARE_AGE_100")] == [3, 1, 1, 1]     # E3 E5 E7 | E1 | E2 | E4
    assert m["CARE_REGISTERED"].value == 6                             # E6 去世


def test_hardship_counts(month):
    m = as_map(month)
    assert m["CARE_DISABLED"].value == 1                               # E4
    assert m["CARE_LOW_INCOME"].value == 2                             # E2 低保, E7 低收入
    assert m["CARE_FAMILY_PLANNING"].value == 1                        # E3
    assert m["CARE_ALONE"].value == 2                                  # E1 E4 (E6 gone)


def test_key_resident_monthly_visit_rate(month):
    # tier A/B: E1 ✓ (11-05), E2 ✗ (phone only), E3 ✓, E4 ✗ (no answer), E7 ✓ (11-22;
    # 10-30 is last month)
    assert nd(as_map(month)["CARE_KEY_VISIT_RATE"]) == (3, 5)
    assert nd(estate(month, EAST)["CARE_KEY_VISIT_RATE"]) == (1, 2)
    assert nd(estate(month, WEST)["CARE_KEY_VISIT_RATE"]) == (2, 3)


def test_home_visits_and_phone_calls(month):
    m = as_map(month)
    assert m["CARE_HOME_VISITS"].value == 4                            # rows 2 4 5 7
    assert m["CARE_PHONE_CALLS"].value == 1                            # row 3
    assert estate(month, EAST)["CARE_HOME_VISITS"].value == 1
    assert estate(month, WEST)["CARE_HOME_VISITS"].value == 3


def test_blood_pressure_measured_and_abnormal(month):
    m = as_map(month)
    assert m["CARE_BP_MEASURED"].value == 3                            # 160/95 120/80 85/55
    assert m["CARE_BP_ABNORMAL_VISITS"].value == 2                     # high and low
    assert m["CARE_BP_ABNORMAL"].value == 2                            # residents E1 E5
    assert estate(month, WEST)["CARE_BP_MEASURED"].value == 2


def test_service_types_as_person_times(month):
    m = as_map(month)
    assert [m[c].value for c in ("CARE_MEDS", "CARE_MEALS", "CARE_CLEANING", "CARE_ESCORT",
                                 "CARE_WASTE")] == [1, 1, 1, 1, 1]     # 助餐 10-30 not counted


# --- volunteers --------------------------------------------------------------------------

def test_volunteers_without_the_family_doctor_team(month):
    m = as_map(month)
    assert m["VOL_ON_DUTY"].value == 3                                 # V1 V2 V5 (V4 不在岗)
    assert m["VOL_DOCTORS"].value == 1                                 # V3
    assert nd(m["VOL_KEY_RATIO"]) == (5, 3) and m["VOL_KEY_RATIO"].value == 1.67


@pytest.mark.parametrize("team", ["家庭医生", "家庭医生团队成员", "社区家庭医生"])
def test_the_doctors_team_however_it_is_written(team):
    """所属队伍 家庭医生 (…成员, 社区…) is the 家庭医生团队: not an 在岗志愿者."""
    ctx = context()
    [doctor] = [v for v in ctx.workspace.records["volunteers"] if v.id == "V3"]
    doctor.values["team"] = team
    m = as_map(compute(ctx))
    assert (m["VOL_ON_DUTY"].value, m["VOL_DOCTORS"].value) == (3, 1)


def test_volunteer_ratio_per_estate_and_the_worst(month):
    from toolkit.report.indicators import worst_estate
    assert nd(estate(month, EAST)["VOL_KEY_RATIO"]) == (2, 2)         # E1 E2 / V1 V2
    assert nd(estate(month, WEST)["VOL_KEY_RATIO"]) == (3, 2)         # E3 E4 E7 / V2 V5
    assert worst_estate(month).group == schema.ESTATE_GROUP + WEST


def test_services_and_hours(month):
    m = as_map(month)
    assert m["VOL_SERVICES"].value == 6 and m["VOL_HOURS"].value == 4  # 1+0.5+1.5+1
    assert estate(month, EAST)["VOL_SERVICES"].value == 2
    assert estate(month, WEST)["VOL_HOURS"].value == 2.5


# --- work vs data ------------------------------------------------------------------------

def test_work_problems_and_ledger_data_quality_apart(month):
    m = as_map(month)
    assert (m["WORK_ERRORS"].value, m["WORK_WARNINGS"].value) == (2, 1)   # R203 C301 | V402
    assert (m["DATA_ERRORS"].value, m["DATA_WARNINGS"].value) == (2, 2)   # D101 F001 | D104 H602
    assert (m["DQ_ERRORS"].value, m["DQ_WARNINGS"].value) == (4, 3)       # all, as before
    assert as_map(month, "requests")["WORK_ERRORS"].value == 1
    assert as_map(month, "other")["DATA_ERRORS"].value == 1


# --- the town report and the merge -------------------------------------------------------

def write(tmp_path, name, ctx, period="month", findings=FINDINGS):
    ctx.settings = replace(ctx.settings, committee=name)
    start, end, label = period_bounds(ctx.as_of, period)
    indicators = compute_indicators(ctx, findings, period_start=start, period_end=end)
    return write_town_report(tmp_path / name / f"{ctx.as_of}" / "镇报送表.xlsx", ctx, findings,
                             indicators, period_label=label)


def cells(path, sheet=0):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet]
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def test_town_report_marks_the_cut_off_and_has_both_sections(tmp_path):
    path = write(tmp_path, "松和居委", context())
    rows = cells(path)
    flat = [c for row in rows for c in row if isinstance(c, str)]
    assert "2026-11，截至2026-11-23" in flat
    assert "五、工作问题（应办未办的事）" in flat and "六、台账数据质量（台账本身的错误）" in flat
    worst = next(row for row in rows if row[0] == "志愿者最紧的小区")
    assert worst[1:3] == (WEST, "3:2（1.50）")
    solved = next(row for row in rows if row[0] == "解决率")
    assert list(solved[1:4]) == [pytest.approx(0.3333), 1, 3]
    # a report of a finished month carries no 截至
    done = write(tmp_path, "咏泽居委", context(as_of=D(2026, 12, 1)), period="2026-11")
    assert "2026-11" in [c for row in cells(done) for c in row]


def town_reports(tmp_path):
    """Three communities: 甲 as above; 乙 without 是否解决; 丙 with only Q1 and Q2."""
    return [write(tmp_path, "甲居委", context()),
            write(tmp_path, "乙居委", context(strip_solved=True)),
            write(tmp_path, "丙居委", context(drop=("Q3", "Q4", "Q5", "Q6", "Q7", "Q8")))]


def test_merge_of_three_one_without_solved_gives_hand_totals(tmp_path):
    out = merge_reports(town_reports(tmp_path), tmp_path / "镇汇总.xlsx", as_of=D(2026, 12, 1))
    machine = {(r[0], r[1]): r for r in cells(out, "指标")}
    value = lambda code: tuple(machine[(code, "")][3:6])            # noqa: E731
    assert value("REQ_RECEIVED")[0] == 5 + 5 + 2
    assert value("REQ_CLOSED_DUE_RATE") == (0.8, 3 + 3 + 2, 4 + 4 + 2)
    # 乙 lacks 是否解决: nothing from it in 解决率; 甲 1/3, 丙 Q1 ✓ Q2 ✗ 1/2
    assert value("REQ_SOLVED_RATE") == (0.4, 2, 5)
    assert value("REQ_NOT_SOLVED")[0] == 2 and value("REQ_PARTLY_SOLVED")[0] == 1
    assert value("REQ_FIRST_CONTACT_RATE") == (0.7, 3 + 3 + 1, 4 + 4 + 2)
    assert value("CARE_KEY_VISIT_RATE") == (0.6, 9, 15)
    assert value("VOL_ON_DUTY")[0] == 9 and value("VOL_KEY_RATIO")[1:] == (15, 9)
    assert machine[("REQ_BY_SOURCE", "12345")][3] == 2 + 2 + 1
    assert machine[("CARE_HOME_VISITS", schema.ESTATE_GROUP + WEST)][3] == 9
    assert machine[("CUTOFF", "")][3] == "2026-11-23"
    summary = cells(out, "汇总")
    head = next(i for i, r in enumerate(summary) if r[0] == "居委")
    header = summary[head]
    reporting = dict(zip(header, next(r for r in summary if r[0] == "报告该项的居委数")))
    assert reporting["解决率"] == 2 and reporting["受理数"] == 3
    rows = {r[0]: dict(zip(header, r)) for r in summary[head + 1:] if r[0]}
    assert rows["乙居委"]["解决率"] == "—" and rows["合计"]["解决率"] == 0.4


def test_merge_csv_is_utf8_with_bom(tmp_path):
    target = tmp_path / "镇汇总.csv"
    merge_reports(town_reports(tmp_path), tmp_path / "镇汇总.xlsx", as_of=D(2026, 12, 1),
                  csv=target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    total = next(r for r in rows if r["代码"] == "REQ_SOLVED_RATE" and r["居委"] == "合计"
                 and r["分组"] == "")
    assert (total["数值"], total["分子"], total["分母"], total["报告居委数"]) == ("0.4", "2", "5", "2")
    mine = next(r for r in rows if r["代码"] == "REQ_RECEIVED" and r["居委"] == "丙居委"
                and r["分组"] == "")
    assert mine["数值"] == "2" and mine["统计截止日"] == "2026-11-23"
    text = raw.decode("utf-8-sig")
    for person in ("李红", "周敏", "王医生", "甲", "乙"):
        assert f",{person}," not in text


def test_merge_refuses_mixed_cut_offs_unless_latest(tmp_path):
    early = write(tmp_path, "甲居委", context(as_of=D(2026, 11, 16)))
    late = write(tmp_path, "甲居委", context())
    other = write(tmp_path, "乙居委", context())
    with pytest.raises(MergeError) as err:
        merge_reports([early, late, other], tmp_path / "镇汇总.xlsx", as_of=AS_OF)
    assert "2026-11-16" in err.value.message("zh") and "--latest" in err.value.message("zh")
    assert not (tmp_path / "镇汇总.xlsx").exists()
    told = []
    out = merge_reports([early, late, other], tmp_path / "镇汇总.xlsx", as_of=AS_OF, latest=True,
                        warn=told.append)
    [left_out] = told                                  # the 11-16 copy is named, not dropped silently
    assert left_out.zh.startswith(f"甲居委：{early}（统计截止日 2026-11-16）未汇总")
    assert str(late) in left_out.zh and "left out" in left_out.en
    machine = {(r[0], r[1]): r for r in cells(out, "指标")}
    assert machine[("REQ_RECEIVED", "")][3] == 5 + 5                 # 甲 once: its 11-23 copy
    assert machine[("CUTOFF", "")][3] == "2026-11-23"


def test_cli_merge_latest_and_csv(tmp_path):
    from click.testing import CliRunner

    from toolkit.cli import cli
    early = write(tmp_path, "甲居委", context(as_of=D(2026, 11, 16)))
    late = write(tmp_path, "甲居委", context())
    runner = CliRunner()
    refused = runner.invoke(cli, ["merge", str(early), str(late), "-o",
                                  str(tmp_path / "s.xlsx")])
    assert refused.exit_code == 2 and "统计截止日不同" in refused.output
    ok = runner.invoke(cli, ["merge", str(early), str(late), "-o", str(tmp_path / "s.xlsx"),
                             "--latest", "--csv", str(tmp_path / "s.csv"), "-q"])
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "s.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_town_report_and_summary_print_to_a4_pdf(tmp_path):
    reports = town_reports(tmp_path)
    summary = merge_reports(reports, tmp_path / "镇汇总.xlsx", as_of=D(2026, 12, 1))
    copies = []
    for i, path in enumerate((reports[0], summary)):
        copy = tmp_path / f"p{i}.xlsx"
        shutil.copy(path, copy)
        copies.append(copy)
    outdir = tmp_path / "pdf"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(outdir), *map(str, copies)],
                   check=True, capture_output=True, timeout=240)
    for i in range(2):
        pdf = outdir / f"p{i}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            size = next(line for line in info.splitlines() if line.startswith("Page size"))
            assert "(A4)" in size, size                                 # portrait or landscape
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(outdir / "p0.pdf"), "-"], capture_output=True,
                              text=True).stdout
        assert "台账数据质量" in text and "统计截止日" in text


def test_solved_reads_yes_and_no_and_they_count():
    """是/否 under 是否解决 are read as 已解决/未解决 (ledgers.md), and 解决率 uses them."""
    from toolkit.read.headers import classify
    from toolkit.read.records import build_records
    from toolkit.read.sheets import Grid
    rows = [["编号", "登记日期", "来源", "小区", "诉求内容", "办结日期", "是否解决", "先行联系日期"],
            ["SQ-1", "2026-11-02", "议事会", EAST, "a", "2026-11-05", "是", "2026-11-03"],
            ["SQ-2", "2026-11-02", "议事会", EAST, "b", "2026-11-06", "否", ""],
            ["SQ-3", "2026-11-02", "议事会", EAST, "c", "2026-11-06", "部分解决", ""]]
    g = Grid("S", rows, [])
    out = build_records(g, classify(g), file="r.xlsx", as_of=AS_OF)
    assert [r.values["solved"] for r in out.records] == ["已解决", "未解决", "部分解决"]
    assert out.records[0].values["first_contact"] == D(2026, 11, 3)
    assert not [f for f in out.findings if f.code in ("D109", "D102")]
    ctx = make_context(*out.records, settings=SETTINGS)
    assert nd(as_map(compute(ctx, findings=[]))["REQ_SOLVED_RATE"]) == (1, 3)


def test_bp_abnormal_uses_c305s_thresholds_with_the_old_age_systolic():
    """145/85: abnormal at 70 (≥ 140), normal at 81 (高龄高血压收缩压 150), as C305."""
    ctx = context()
    rows = ctx.ledger("visits")
    rows[0].values["blood_pressure"] = (145, 85)            # E1, 81 years old
    rows[2].values["blood_pressure"] = (145, 85)            # E3, 70 years old
    m = as_map(compute(ctx))
    assert m["CARE_BP_MEASURED"].value == 3
    assert m["CARE_BP_ABNORMAL_VISITS"].value == 2          # E3's 145/85 and E5's 85/55
    assert m["CARE_BP_ABNORMAL"].value == 2                 # E3 and E5, not E1


# --- a ledger file not read this run -----------------------------------------------------

def _unreadable(ctx, file, sheet=None):
    from toolkit.model import finding
    ctx.workspace.findings.append(finding("F001", file=file, sheet=sheet,
                                          variant="sheet_unparsable" if sheet else "not_workbook",
                                          params={"file": file, "sheet": sheet, "detail": "x"}))
    return ctx


def test_an_unreadable_visit_log_leaves_its_indicators_unreported(month):
    """巡访记录.xlsx not read: the visits that happened to be readable are not the community's
    count. Every indicator counted from the log is not reported (value, numerator and
    denominator empty, so a merge leaves this community out of it); the others stand."""
    ctx = _unreadable(context(), "巡访/巡访记录.xlsx")
    start, end, _ = period_bounds(AS_OF, "month")
    got = compute_indicators(ctx, FINDINGS, period_start=start, period_end=end)
    before = {(i.code, i.group): i for i in month}
    after = {(i.code, i.group): i for i in got}
    assert before.keys() == after.keys()                 # the same rows, some now empty
    gone = {code for (code, _), i in after.items() if i.value is None
            and before[(code, _)].value is not None}
    assert {"CARE_HOME_VISITS", "CARE_ONTIME_RATE", "CARE_OVERDUE", "CARE_KEY_VISIT_RATE",
            "CARE_BP_MEASURED", "CARE_MEALS", "VOL_SERVICES", "VOL_HOURS", "CARE_URGENT"} <= gone
    assert not gone & {"CARE_REGISTERED", "CARE_ALONE", "CARE_AGE_80_89", "VOL_ON_DUTY",
                       "REQ_RECEIVED", "REQ_SOLVED_RATE", "WORK_ERRORS", "CUTOFF"}
    home = after[("CARE_HOME_VISITS", estate_group_of(EAST))]
    assert (home.value, home.numerator, home.denominator) == (None, None, None)
    rate = after[("CARE_ONTIME_RATE", "A")]
    assert (rate.value, rate.numerator, rate.denominator) == (None, None, None)


def estate_group_of(name):
    return schema.ESTATE_GROUP + name


def test_an_unreadable_request_sheet_leaves_the_request_indicators_unreported():
    ctx = _unreadable(context(), "诉求台账.xlsx", "西苑")
    start, end, _ = period_bounds(AS_OF, "month")
    got = as_map(compute_indicators(ctx, FINDINGS, period_start=start, period_end=end))
    assert got["REQ_RECEIVED"].value is None and got["REQ_CLOSED_DUE_RATE"].numerator is None
    assert got["CARE_REGISTERED"].value is not None and got["CARE_HOME_VISITS"].value is not None


def test_the_town_report_says_which_file_was_not_read(tmp_path):
    path = write(tmp_path, "松和居委", _unreadable(context(), "巡访/巡访记录.xlsx"))
    rows = cells(path)
    note = next(row for row in rows if row[0] == "未报送")
    # masked (the default): the ledger, not the file name (typed free text, may name a person)
    assert note[1] == "文件（巡访记录）本期无法读取，由这些台账统计的指标未报送（—）"
    home = next(row for row in rows if row[0] == "上门巡访人次")
    assert home[1:4] == ("—", None, None)
    assert next(row for row in rows if row[0] == "受理数")[1] == 5        # Q1 Q2 Q3 Q5 Q8
    assert "未报送" not in [row[0] for row in cells(write(tmp_path, "咏泽居委", context()))]


def test_a_request_replied_without_resolved_date_is_not_overdue_open():
    """SQ replied on 11-10 with no 办结日期 (R205 says so): not open in the loop — the staff
    report's 诉求闭环 leaves it out — so 超期未办结数 does not count it either; replied only
    after the cut-off, it is still overdue at the cut-off."""
    def with_gap(replied):
        gap = q(10, id="Q9", received=D(2026, 10, 20), estate=WEST, category="环境卫生",
                content="异味", classified=D(2026, 10, 20), assignee="保洁",
                assigned=D(2026, 10, 21), due=D(2026, 11, 5), replied=replied)
        ctx = make_context(*requests(), gap, *elderly(), *visits(), *volunteers(),
                           settings=SETTINGS, as_of=AS_OF)
        return as_map(compute(ctx))["REQ_OVERDUE_OPEN"].value
    assert with_gap(D(2026, 11, 10)) == 1                              # Q4 only
    assert with_gap(D(2026, 11, 25)) == 2                              # not replied by 11-23


def test_a_misspelt_estate_makes_no_group_of_its_own():
    """东园 for 东苑 (D109): counted in the totals, no 小区：东园 row for the town; without a
    小区 list in the settings every name written is a group."""
    typo = make_record("elderly", 9, id="E9", name="庚", estate="东园", birth=D(1940, 1, 1),
                       lives_alone=True)
    def groups(settings):
        ctx = make_context(*requests(), *elderly(), typo, *visits(), *volunteers(),
                           settings=settings, as_of=AS_OF)
        got = compute(ctx)
        return ({i.group for i in got if i.group.startswith(schema.ESTATE_GROUP)},
                as_map(got)["CARE_REGISTERED"].value)
    named, total = groups(SETTINGS)
    assert estate_group_of("东园") not in named and estate_group_of(EAST) in named
    assert total == as_map(compute())["CARE_REGISTERED"].value + 1
    assert estate_group_of("东园") in groups(Settings(committee="松和居委"))[0]


def test_the_town_report_says_why_its_estate_rows_add_up_to_less(tmp_path):
    typo = make_record("elderly", 9, id="E9", name="庚", estate="东园", birth=D(1940, 1, 1),
                       lives_alone=True)
    ctx = make_context(*requests(), *elderly(), typo, *visits(), *volunteers(),
                       settings=SETTINGS, as_of=AS_OF)
    rows = cells(write(tmp_path, "松和居委", ctx))
    notes = [r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("另有")]
    assert notes == ["另有1位在册老人的小区为空或不在设置的小区名单中（见问题 D101/D109），只计入合计。"]
    assert not [r for r in cells(write(tmp_path, "咏泽居委", context()))
                if isinstance(r[0], str) and r[0].startswith("另有")]
