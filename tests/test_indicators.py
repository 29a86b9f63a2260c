"""Report indicators on small hand-computed inline tables (definitions: docs/indicators.md)."""
from datetime import date

import pytest

from toolkit import schema
from toolkit.domain.context import Context
from toolkit.errors import UsageError
from toolkit.model import Finding, Record, Text, Workspace
from toolkit.report.indicators import as_map, compute_indicators, indicator, period_bounds
from toolkit.settings import Settings

AS_OF = date(2026, 11, 23)          # Monday
D = date


def rec(kind, row, **values):
    return Record(kind=kind, file=f"{kind}.xlsx", sheet="Sheet1", row=row, values=values)


def requests_ledger():
    return [
        # on time, replied, satisfied; 4 working days 11-03 → 11-09
        rec("requests", 2, id="R1", received=D(2026, 11, 2), category="晾晒", classified=D(2026, 11, 2),
            assignee="物业", assigned=D(2026, 11, 3), due=D(2026, 11, 10), resolved=D(2026, 11, 9),
            replied=D(2026, 11, 10), satisfaction="满意"),
        # resolved LATE but replied: in 办结率 and 答复率, not in 按时办结率; 6 working days
        rec("requests", 3, id="R2", received=D(2026, 11, 2), category="晾晒", classified=D(2026, 11, 3),
            assignee="物业", assigned=D(2026, 11, 4), due=D(2026, 11, 6), resolved=D(2026, 11, 12),
            replied=D(2026, 11, 13), satisfaction="不满意"),
        # classified late (limit 11-18): response missed; due from category limit (Dec), open
        rec("requests", 4, id="R3", received=D(2026, 11, 16), category="环境卫生",
            classified=D(2026, 11, 20), assignee="保洁", assigned=D(2026, 11, 20)),
        # received in October: not in the cohort, but overdue and open at the cut-off
        rec("requests", 5, id="R4", received=D(2026, 10, 20), category="环境卫生",
            classified=D(2026, 10, 20), assignee="保洁", assigned=D(2026, 10, 21), due=D(2026, 11, 5)),
        # received Friday, still within its 2-day classification limit: response not measured
        rec("requests", 6, id="R5", received=D(2026, 11, 20)),
        # resolved on time (category limit), not replied, unrated; 2 working days
        rec("requests", 7, id="R6", received=D(2026, 11, 5), category="环境卫生", classified=D(2026, 11, 5),
            assignee="保洁", assigned=D(2026, 11, 6), resolved=D(2026, 11, 10)),
        # after the as-of date: not counted
        rec("requests", 8, id="R7", received=D(2026, 12, 1)),
    ]


def care_ledgers():
    elderly = [
        rec("elderly", 2, id="E1", name="张秀英", birth=D(1941, 5, 12), lives_alone=True),      # A
        rec("elderly", 3, id="E2", name="李四", birth=D(1956, 1, 1), lives_alone=True,
            volunteer="V1"),                                                                      # B
        rec("elderly", 4, id="E3", name="王五", birth=D(1950, 1, 1), lives_alone=False),       # C
        rec("elderly", 5, id="E4", name="赵六", birth=D(1966, 1, 1), lives_alone=True,
            hardship=("失能",)),                                                                  # A
        rec("elderly", 6, id="E5", name="钱七", birth=D(1930, 1, 1), lives_alone=True, status="去世"),
        rec("elderly", 7, id="E6", name="孙八", birth=D(1951, 1, 1), lives_alone=False),       # C
    ]
    visits = [
        rec("visits", 2, date=D(2026, 11, 20), elderly_id="E1", volunteer="V1", service=("巡访",),
            outcome="正常", blood_pressure=(150, 95), hours=0.5),
        rec("visits", 3, date=D(2026, 10, 1), elderly_id="E2", volunteer="V1", service=("巡访",),
            outcome="正常", hours=1),
        rec("visits", 4, date=D(2026, 9, 1), elderly_id="E6", volunteer="V1", service=("电话问候",),
            outcome="正常"),
        rec("visits", 5, date=D(2026, 11, 25), elderly_id="E2", volunteer="V1", service=("巡访",),
            outcome="正常", hours=2),                       # after the as-of date
    ]
    volunteers = [rec("volunteers", 2, id="V1", name="李红", active=None),
                  rec("volunteers", 3, id="V2", name="周敏", active=False)]
    return elderly, visits, volunteers


def make_ctx(as_of=AS_OF):
    elderly, visits, volunteers = care_ledgers()
    ws = Workspace(root=".", records={"requests": requests_ledger(), "elderly": elderly,
                                      "visits": visits, "volunteers": volunteers})
    return Context(workspace=ws, settings=Settings(), as_of=as_of)


def fnd(code, severity, kind, urgent=False):
    return Finding(code=code, severity=severity, urgent=urgent, message=Text("x", "x"),
                   fix=Text("y", "y"), kind=kind)


FINDINGS = [fnd("C307", "error", "elderly", urgent=True), fnd("D101", "error", "requests"),
            fnd("D104", "warning", "requests"), fnd("F001", "error", None),
            fnd("V402", "warning", "volunteers")]


@pytest.fixture(scope="module")
def month():
    start, end, _ = period_bounds(AS_OF, "month")
    return compute_indicators(make_ctx(), FINDINGS, period_start=start, period_end=end)


def num_den(i):
    return (i.numerator, i.denominator)


def test_request_totals_hand_computed(month):
    m = as_map(month)
    assert m["REQ_RECEIVED"].value == 5                      # R1 R2 R3 R5 R6
    assert m["REQ_RESOLVED"].value == 3                      # R1 R2 R6
    assert num_den(m["REQ_RESOLVED_RATE"]) == (3, 5) and m["REQ_RESOLVED_RATE"].value == 0.6
    assert num_den(m["REQ_ONTIME_RATE"]) == (2, 3)           # R2 resolved late
    assert num_den(m["REQ_RESPONSE_RATE"]) == (3, 4)         # R3 late; R5 not yet measured
    assert num_den(m["REQ_REPLY_RATE"]) == (2, 3)            # R6 resolved, no reply
    assert num_den(m["REQ_SATISFIED_RATE"]) == (1, 2)        # unrated R6 excluded
    assert m["REQ_UNSATISFIED"].value == 1
    assert m["REQ_OVERDUE_OPEN"].value == 1                  # R4 (received in October)
    assert num_den(m["REQ_AVG_DAYS"]) == (12, 3) and m["REQ_AVG_DAYS"].value == 4.0


def test_requests_by_category(month):
    drying, env = as_map(month, "晾晒"), as_map(month, "环境卫生")
    unclassified = as_map(month, schema.UNCLASSIFIED_LABEL[0])
    assert num_den(drying["REQ_RESOLVED_RATE"]) == (2, 2)
    assert num_den(drying["REQ_ONTIME_RATE"]) == (1, 2)
    assert env["REQ_RECEIVED"].value == 2 and env["REQ_OVERDUE_OPEN"].value == 1
    assert unclassified["REQ_RECEIVED"].value == 1
    # categories sum to the total
    groups = {i.group for i in month if i.code == "REQ_RECEIVED"} - {""}
    assert sum(as_map(month, g)["REQ_RECEIVED"].value for g in groups) == 5


def test_care_hand_computed(month):
    m = as_map(month)
    assert m["CARE_REGISTERED"].value == 5                   # E5 去世 not counted
    assert m["CARE_ALONE"].value == 3 and m["CARE_OLD"].value == 1
    assert m["CARE_DUE"].value == 4                          # E1, E6 due in Nov; E2, E4 overdue
    assert m["CARE_OVERDUE"].value == 2
    assert num_den(m["CARE_ONTIME_RATE"]) == (3, 5)
    assert m["CARE_BP_ABNORMAL"].value == 1
    assert m["CARE_URGENT"].value == 1
    assert [as_map(month, t)["CARE_REGISTERED"].value for t in "ABC"] == [2, 1, 2]
    assert as_map(month, "A")["CARE_OVERDUE"].value == 1


def test_volunteers_and_quality(month):
    m = as_map(month)
    assert m["VOL_ON_DUTY"].value == 1 and m["VOL_DOCTORS"].value == 0
    assert m["VOL_SERVICES"].value == 1 and m["VOL_HOURS"].value == 0.5   # 11-25 is after as-of
    assert num_den(m["VOL_KEY_RATIO"]) == (3, 1) and m["VOL_KEY_RATIO"].value == 3.0
    assert "VOL_ACTIVE" not in m and "VOL_RATIO" not in m                 # retired codes
    assert m["DQ_ERRORS"].value == 3 and m["DQ_WARNINGS"].value == 2
    assert as_map(month, "requests")["DQ_ERRORS"].value == 1
    assert as_map(month, "other")["DQ_ERRORS"].value == 1


def test_week_period_cohort_is_smaller():
    start, end, label = period_bounds(AS_OF, "week")
    assert (start, end, label) == (D(2026, 11, 23), D(2026, 11, 29), "2026-W48")
    week = as_map(compute_indicators(make_ctx(), [], period_start=start, period_end=end))
    assert week["REQ_RECEIVED"].value == 0 and week["REQ_RESOLVED_RATE"].value is None
    assert week["REQ_OVERDUE_OPEN"].value == 1               # snapshot, not cohort


def test_past_month_is_measured_at_its_end():
    start, end, label = period_bounds(AS_OF, "2026-10")
    assert label == "2026-10"
    octo = as_map(compute_indicators(make_ctx(), [], period_start=start, period_end=end))
    assert octo["REQ_RECEIVED"].value == 1                   # R4
    assert octo["REQ_OVERDUE_OPEN"].value == 0               # due 11-05 is after Oct 31
    assert octo["VOL_SERVICES"].value == 1 and octo["VOL_HOURS"].value == 1


def test_deterministic_order():
    start, end, _ = period_bounds(AS_OF, "month")
    a = compute_indicators(make_ctx(), FINDINGS, period_start=start, period_end=end)
    b = compute_indicators(make_ctx(), list(reversed(FINDINGS)), period_start=start, period_end=end)
    assert a == b


def test_period_bounds():
    assert period_bounds(D(2026, 12, 31), "week")[2] == "2026-W53"
    assert period_bounds(D(2027, 1, 1), "week")[2] == "2026-W53"
    assert period_bounds(AS_OF, "2026-02")[:2] == (D(2026, 2, 1), D(2026, 2, 28))
    assert period_bounds(AS_OF, "月")[2] == "2026-11"
    with pytest.raises(UsageError):
        period_bounds(AS_OF, "2026-13")


def test_indicator_kinds():
    assert indicator("REQ_RESOLVED_RATE", 0, 0).value is None
    assert indicator("REQ_RECEIVED", 7).denominator is None
    from toolkit.report import indicators as mod
    every = (mod.REQUEST_CODES + mod.CARE_CODES + mod.VOLUNTEER_CODES + mod.QUALITY_CODES
             + mod.WORK_CODES + mod.DATA_CODES + ("CUTOFF", "REQ_BY_SOURCE")
             + schema.RETIRED_INDICATORS + mod.COUNCIL_CODES + mod.SERVICE_CODES + mod.ROOM_CODES)
    assert set(every) == set(schema.INDICATOR_LABELS)
    assert all(code.isascii() and code.isupper() for code in every)


@pytest.mark.parametrize("word", ["待定", "未分类", "待分类", "/"])
def test_a_not_yet_category_counts_as_unclassified(word):
    """类别 written 待定 / 待分类 (the clerk has not classified yet) used to make a category group
    of its own (诉求按类别 “待定”, the town's 清单外) beside 未分类."""
    ws = Workspace(root=".", records={"requests": [
        rec("requests", 2, id="R1", received=D(2026, 11, 2), category=word),
        rec("requests", 3, id="R2", received=D(2026, 11, 3))]})
    start, end, _ = period_bounds(AS_OF, "month")
    out = compute_indicators(Context(workspace=ws, settings=Settings(), as_of=AS_OF), [],
                             period_start=start, period_end=end)
    groups = {i.group for i in out if i.code == "REQ_RECEIVED"} - {""}
    assert groups == {schema.UNCLASSIFIED_LABEL[0]}
    assert as_map(out, schema.UNCLASSIFIED_LABEL[0])["REQ_RECEIVED"].value == 2
