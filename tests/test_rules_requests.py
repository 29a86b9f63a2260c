"""Request closed-loop rules R201–R211 and their helpers, on inline records.

Calendar facts used (chinese_calendar 1.11, 2026):
- National Day: Oct 1–7 off; Sep 25 (Fri, 中秋) off; Sep 20 (Sun) and Oct 10 (Sat) are working days.
- Spring Festival: Feb 15–23 off; Feb 14 (Sat) and Feb 28 (Sat) are working days.
"""
from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import make_context, make_record
import toolkit.check.requests  # noqa: F401 - registers R201–R211
from toolkit.check import RULES
from toolkit.domain import requests as rq
from toolkit.settings import Category, Settings
from toolkit.workdays import WorkCalendar

D = date
CAL = WorkCalendar()
BASE = dict(source="来电", estate="松和苑", content="楼下电动自行车乱停放")


def req(row: int = 5, **values):
    """A request on ``row`` with the always-needed fields filled."""
    values = {**BASE, "id": f"SQ-{row:03d}", **values}
    return make_record("requests", row, **values)


def run(code: str, *records, as_of: date = D(2026, 11, 23), settings: Settings | None = None):
    ctx = make_context(*records, as_of=as_of, settings=settings)
    return [f for fn in RULES[code] for f in fn(ctx) if f.code == code]


def assigned(row=5, assigned=D(2026, 11, 2), **values):
    """A request at stage 2 (classified and assigned, not resolved)."""
    base = dict(received=D(2026, 10, 28), category="环境卫生", classified=D(2026, 10, 29),
                assignee="物业经理", assigned=assigned)
    return req(row, **{**base, **values})


def resolved(row=5, on=D(2026, 11, 16), **values):
    return assigned(row, resolved=on, resolution="已清理", **values)


def replied(row=5, on=D(2026, 11, 18), **values):
    base = dict(replied=on, reply_method="电话", satisfaction="满意")
    return resolved(row, **{**base, **values})


# ---------------------------------------------------------------------------------------
# helpers: stage, stage_date, due_date, is_open, expected_status, stage_deadline

def test_every_code_is_registered():
    for n in range(201, 212):
        assert f"R{n}" in RULES


@pytest.mark.parametrize("values, expected", [
    ({}, 0),
    ({"category": "环境卫生"}, 1),                       # 类别 alone reaches stage 1
    ({"classified": D(2026, 11, 3)}, 1),                # 分类日期 alone too
    ({"assignee": "物业经理"}, 2),
    ({"assigned": D(2026, 11, 4)}, 2),
    ({"resolution": "已清理"}, 3),
    ({"progress": "已联系物业"}, 0),                      # 办理进展 is not 办结
    ({"replied": D(2026, 11, 20)}, 4),
    ({"satisfaction": "满意"}, 4),
    ({"category": "/"}, 0),                             # an empty mark is empty
])
def test_stage_is_the_furthest_filled_stage(values, expected):
    assert rq.stage(req(received=D(2026, 11, 2), **values)) == expected


def test_unreadable_value_counts_as_filled_for_the_stage():
    r = req(received=D(2026, 11, 2), invalid={"resolved": "2026-02-30"})
    assert rq.stage(r) == 3
    assert rq.stage_date(r, 3) is None          # never used as a date


@pytest.mark.parametrize("values, invalid, expected", [
    ({"resolution": "暂无"}, {}, 2),                          # 办理结果 暂无: not resolved
    ({"resolution": "尚未解决"}, {}, 2),
    ({}, {"resolved": "未办结"}, 2),                           # 办结日期 未办结 (D102 too)
    ({"resolved": D(2026, 11, 13)}, {"replied": "未回访"}, 3),
    ({"resolved": D(2026, 11, 13)}, {"satisfaction": "未回访", "reply_method": "待回访"}, 3),
    ({"resolution": "未能解决，已向居民说明情况"}, {}, 3),        # a result, not a "not yet"
    ({"resolution": "未发现漏水"}, {}, 3),                     # a result: nothing found
    ({"resolution": "未采纳"}, {}, 3),                        # a result: proposal turned down
    ({"resolution": "待处理"}, {}, 2),
    ({"resolved": D(2026, 11, 13), "satisfaction": "没意见"}, {}, 4),   # a reply (D109)
    ({"resolved": D(2026, 11, 13), "satisfaction": "没有意见"}, {}, 4),
])
def test_a_not_yet_word_does_not_reach_the_stage(values, invalid, expected):
    r = assigned(**values, invalid=invalid)
    assert rq.stage(r) == expected


def test_a_not_yet_word_keeps_the_sla_finding():
    """未办结 / 未回访 written by the clerk used to count as 办结 / 答复: R203 and R204 were lost
    and R207 told the clerk to write 已办结 on a request still open."""
    late = assigned(due=D(2026, 11, 10), status="办理中", invalid={"resolved": "未办结"})
    assert [f.record for f in run("R203", late)] == ["SQ-005"]
    assert run("R207", late) == []
    unanswered = resolved(on=D(2026, 11, 13), invalid={"satisfaction": "未回访"})
    assert [f.record for f in run("R204", unanswered)] == ["SQ-005"]
    assert run("R203", assigned(due=D(2026, 11, 10), category=None,
                                invalid={"category": "待定"})) != []


def test_stage_date_falls_back_to_previous_stage():
    r = req(received=D(2026, 11, 2), category="环境卫生", assignee="物业经理")
    assert rq.stage_date(r, 1) == D(2026, 11, 2)
    assert rq.stage_date(r, 2) == D(2026, 11, 2)
    r = req(received=D(2026, 11, 2), classified=D(2026, 11, 3), assignee="物业经理")
    assert rq.stage_date(r, 2) == D(2026, 11, 3)
    r = req(received=D(2026, 11, 2), assignee="物业经理", invalid={"classified": "11月31日"})
    assert rq.stage_date(r, 2) is None          # unreadable on the way: no SLA date


def test_due_date_written_then_category_limit_then_none():
    settings = Settings()
    assert rq.due_date(assigned(due=D(2026, 12, 1)), settings, CAL) == D(2026, 12, 1)
    # 环境卫生 default 15 working days after 分派 Sep 28 → Oct 23 across National Day
    assert rq.due_date(assigned(assigned=D(2026, 9, 28)), settings, CAL) == D(2026, 10, 23)
    no_limit = Settings(categories=(Category("环境卫生", "物业经理", None),))
    assert rq.due_date(assigned(), no_limit, CAL) is None
    assert rq.due_date(assigned(category="违章搭建"), settings, CAL) is None
    assert rq.due_date(assigned(invalid={"due": "下周"}), settings, CAL) is None
    # not yet assigned: the category limit has no start
    assert rq.due_date(req(received=D(2026, 11, 2), category="环境卫生"), settings, CAL) is None


def test_is_open_and_expected_status():
    assert rq.is_open(resolved()) and not rq.is_open(replied())
    assert rq.is_open(replied(status="重办"))
    assert [rq.expected_status(r) for r in (
        req(received=D(2026, 11, 2)), req(category="其他"), assigned(), resolved(), replied())
    ] == ["待分类", "待分派", "办理中", "已办结", "已答复"]


def test_stage_deadline_per_stage():
    s = Settings()
    assert rq.stage_deadline(req(received=D(2026, 9, 30)), s, CAL) == D(2026, 10, 9)
    assert rq.stage_deadline(req(received=D(2026, 9, 28), classified=D(2026, 9, 29),
                                 category="其他"), s, CAL) == D(2026, 10, 9)
    assert rq.stage_deadline(assigned(due=D(2026, 12, 1)), s, CAL) == D(2026, 12, 1)
    assert rq.stage_deadline(resolved(on=D(2026, 2, 13), assigned=D(2026, 2, 2),
                                      received=D(2026, 1, 28), classified=D(2026, 1, 29)),
                             s, CAL) == D(2026, 2, 25)
    assert rq.stage_deadline(replied(), s, CAL) is None


# ---------------------------------------------------------------------------------------
# R201 not classified

def test_r201_boundary_across_national_day():
    r = req(received=D(2026, 9, 30))            # +2 working days: Oct 8, Oct 9
    assert run("R201", r, as_of=D(2026, 10, 9)) == []
    [f] = run("R201", r, as_of=D(2026, 10, 10))  # Saturday Oct 10 is a working day
    assert (f.column, f.header, f.record, f.row) == ("I", "类别", "SQ-005", 5)
    assert "2026-10-09" in f.message.zh and "1个工作日" in f.message.zh
    assert f.severity == "warning"


def test_r201_counts_the_sunday_working_day_sep_20():
    r = req(received=D(2026, 9, 18))            # Fri; Sun Sep 20 works → deadline Mon Sep 21
    assert run("R201", r, as_of=D(2026, 9, 21)) == []
    assert len(run("R201", r, as_of=D(2026, 9, 22))) == 1


def test_r201_not_when_classified_or_received_unreadable():
    assert run("R201", req(received=D(2026, 11, 2), category="环境卫生")) == []
    assert run("R201", req(invalid={"received": "2026-13-01"})) == []
    assert run("R201", req()) == []             # no 登记日期 at all (D101's business)


def test_r201_settings_holiday_overrides():
    r = req(received=D(2026, 11, 18))           # Wed; +2 → Fri Nov 20
    assert len(run("R201", r, as_of=D(2026, 11, 23))) == 1
    # 节假日 sheet: Fri Nov 20 made a rest day → deadline Mon Nov 23
    off = Settings(holidays={D(2026, 11, 20): False})
    assert run("R201", r, as_of=D(2026, 11, 23), settings=off) == []
    # Sat Nov 21 made a working day → deadline back to... Fri 20 off, Sat 21 work = Sat 21
    swap = Settings(holidays={D(2026, 11, 20): False, D(2026, 11, 21): True})
    [f] = run("R201", r, as_of=D(2026, 11, 23), settings=swap)
    assert "2026-11-21" in f.message.zh


def test_r201_custom_classify_days():
    r = req(received=D(2026, 11, 18))
    assert run("R201", r, as_of=D(2026, 11, 23), settings=Settings(classify_days=5)) == []


# ---------------------------------------------------------------------------------------
# R202 not assigned

def test_r202_boundary_across_national_day_and_owner_named():
    r = req(received=D(2026, 9, 28), category="环境卫生", classified=D(2026, 9, 29))
    settings = Settings(categories=(Category("环境卫生", "物业经理", 15),))
    assert run("R202", r, as_of=D(2026, 10, 9), settings=settings) == []
    [f] = run("R202", r, as_of=D(2026, 10, 10), settings=settings)
    assert (f.column, f.header) == ("K", "责任人")
    assert "物业经理" in f.fix.zh and "2026-10-09" in f.message.zh


def test_r202_classified_date_empty_counts_from_received():
    r = req(received=D(2026, 11, 16), category="环境卫生")   # +3 → Thu Nov 19
    [f] = run("R202", r)
    assert "登记日期" in f.message.zh and "2026-11-19" in f.message.zh
    assert run("R202", r, as_of=D(2026, 11, 19)) == []


def test_r202_not_when_assigned_or_unreadable():
    assert run("R202", assigned()) == []
    r = req(received=D(2026, 11, 2), category="环境卫生", invalid={"classified": "11.31"})
    assert run("R202", r) == []


# ---------------------------------------------------------------------------------------
# R203 past due / R211 due soon

def test_r203_written_due_boundary():
    r = assigned(due=D(2026, 11, 20))           # Friday
    assert run("R203", r, as_of=D(2026, 11, 20)) == []
    assert run("R203", r, as_of=D(2026, 11, 22)) != []    # Sunday: past, 0 working days
    [f] = run("R203", r, as_of=D(2026, 11, 23))
    assert (f.column, f.severity) == ("O", "error")
    assert "1个工作日" in f.message.zh and "物业经理" in f.message.zh


def test_r203_category_limit_across_national_day():
    r = assigned(assigned=D(2026, 9, 28))       # 环境卫生 15 working days → Oct 23
    assert run("R203", r, as_of=D(2026, 10, 23)) == []
    [f] = run("R203", r, as_of=D(2026, 10, 26))
    assert "2026-10-23" in f.message.zh and "15个工作日" in f.message.zh


def test_r203_not_when_resolved_closed_or_unreadable():
    assert run("R203", resolved(due=D(2026, 11, 10))) == []
    assert run("R203", assigned(invalid={"due": "尽快"})) == []
    assert run("R203", assigned(invalid={"assigned": "2026-11-31"})) == []
    assert run("R203", assigned(category="违章搭建")) == []


def test_r211_due_within_two_working_days():
    as_of = D(2026, 9, 29)                      # Tue; +2 working days → Oct 8
    assert len(run("R211", assigned(due=D(2026, 9, 29)), as_of=as_of)) == 1   # today
    [f] = run("R211", assigned(due=D(2026, 10, 8)), as_of=as_of)
    assert "2个工作日" in f.message.zh and "物业经理" in f.fix.zh and "2026-10-08" in f.fix.zh
    assert run("R211", assigned(due=D(2026, 10, 9)), as_of=as_of) == []
    assert run("R211", assigned(due=D(2026, 9, 28)), as_of=as_of) == []       # overdue: R203
    assert run("R211", resolved(due=D(2026, 9, 30)), as_of=as_of) == []


def test_r211_due_on_a_rest_day_and_the_day_itself_on_time():
    """A written due date on a Sunday, checked on the Friday: no working day is left before it
    (not “还剩0个工作日”); the fix says 最迟 (the due day is on time, “在…前” read as before it)."""
    [f] = run("R211", assigned(due=D(2026, 11, 22)), as_of=D(2026, 11, 20))
    assert "是休息日" in f.message.zh and "rest day" in f.message.en and "还剩0" not in f.message.zh
    assert "最迟2026-11-22办结" in f.fix.zh and "前办结" not in f.fix.zh
    [today] = run("R211", assigned(due=D(2026, 11, 20)), as_of=D(2026, 11, 20))
    assert "今天（2026-11-20）办结" in today.fix.zh and "today" in today.fix.en
    [two] = run("R211", assigned(due=D(2026, 11, 24)), as_of=D(2026, 11, 20))
    assert "还剩2个工作日" in two.message.zh and "最迟2026-11-24办结" in two.fix.zh


# ---------------------------------------------------------------------------------------
# R204 no reply

def test_r204_boundary_across_spring_festival():
    r = resolved(on=D(2026, 2, 13), received=D(2026, 1, 28), classified=D(2026, 1, 29),
                 assigned=D(2026, 2, 2))      # +3: Sat Feb 14 (works), Feb 24, Feb 25
    assert run("R204", r, as_of=D(2026, 2, 25)) == []
    [f] = run("R204", r, as_of=D(2026, 2, 26))
    assert (f.column, f.header) == ("Q", "答复日期")
    assert "2026-02-25" in f.message.zh and "1个工作日" in f.message.zh


def test_r204_holiday_itself_is_no_working_day():
    r = resolved(on=D(2026, 2, 11), received=D(2026, 1, 28), classified=D(2026, 1, 29),
                 assigned=D(2026, 2, 2))      # +3: Feb 12, 13, 14 (Sat, works)
    [f] = run("R204", r, as_of=D(2026, 2, 20))   # inside the holiday: past, 0 working days
    assert "休息日" in f.message.zh


def test_r204_not_when_replied_or_resolved_unreadable():
    assert run("R204", replied(on=D(2026, 11, 22))) == []
    assert run("R204", assigned(resolution="已清理", invalid={"resolved": "2026-02-30"})) == []


# ---------------------------------------------------------------------------------------
# R205 skipped stage

def test_r205_reply_without_resolution():
    r = assigned(replied=D(2026, 11, 20))
    [f] = run("R205", r)
    assert (f.column, f.header) == ("O", "办结日期")
    assert "答复日期" in f.message.zh


def test_r205_names_first_missing_field_once():
    r = req(received=D(2026, 11, 2), resolved=D(2026, 11, 10), replied=D(2026, 11, 12))
    [f] = run("R205", r)                         # 类别 and 责任人 missing: one finding, 类别
    assert f.header == "类别"


def test_r205_not_when_complete_or_only_dates_missing():
    assert run("R205", replied()) == []
    r = req(received=D(2026, 11, 2), category="其他", assignee="物业经理", resolution="已办")
    assert run("R205", r) == []                 # each stage has one of its fields


# ---------------------------------------------------------------------------------------
# R206 dates out of order

def test_r206_names_both_dates():
    r = resolved(assigned=D(2026, 11, 2), on=D(2026, 10, 30))
    [f] = run("R206", r)
    assert f.column == "O"
    assert "2026-10-30" in f.message.zh and "2026-11-02" in f.message.zh


def test_r206_skips_empty_and_unreadable_dates():
    r = req(received=D(2026, 11, 5), category="其他", invalid={"classified": "11月1日?"},
            assignee="x", assigned=D(2026, 11, 3))
    [f] = run("R206", r)                         # 登记 vs 分派 (分类 unreadable)
    assert "登记日期" in f.message.zh and f.header == "分派日期"
    assert run("R206", replied()) == []
    day = D(2026, 11, 2)
    same_day = req(received=day, category="其他", classified=day, assignee="x", assigned=day,
                   resolved=day, resolution="已办", replied=day)
    assert run("R206", same_day) == []


# ---------------------------------------------------------------------------------------
# R207 status

@pytest.mark.parametrize("record, status, fires", [
    (req(received=D(2026, 11, 20)), "待分类", False),
    (req(received=D(2026, 11, 20)), None, False),
    (assigned(), "已办结", True),
    (replied(), "办理中", True),
    (replied(), "已办结", False),     # 办结 written on a replied request is still true (#13)
    (assigned(), "重办", False),
    (replied(), "重办", False),
    (req(received=D(2026, 11, 20), category="其他"), "重办", True),
    (req(received=D(2026, 11, 20)), "乱写", False),       # not in the list: D109
])
def test_r207_status(record, status, fires):
    record.values["status"] = status
    found = run("R207", record)
    assert bool(found) == fires
    if fires:
        assert found[0].header == "状态" and rq.expected_status(record) in found[0].fix.zh


# ---------------------------------------------------------------------------------------
# R208 no due date

def test_r208_no_limit_anywhere():
    no_limit = Settings(categories=(Category("环境卫生", "物业经理", None),))
    [f] = run("R208", assigned(), settings=no_limit)
    assert f.column == "M" and "物业经理" in f.message.zh
    [f] = run("R208", assigned(category="违章搭建"))
    assert "违章搭建" in f.message.zh


def test_r208_not_when_due_written_or_limit_known_or_resolved():
    no_limit = Settings(categories=(Category("环境卫生", "物业经理", None),))
    assert run("R208", assigned()) == []                       # default limit 15
    assert run("R208", assigned(due=D(2026, 12, 1)), settings=no_limit) == []
    assert run("R208", assigned(invalid={"due": "下周"}), settings=no_limit) == []
    assert run("R208", resolved(), settings=no_limit) == []


# ---------------------------------------------------------------------------------------
# R209 unsatisfied

def test_r209_unsatisfied_not_reopened():
    [f] = run("R209", replied(satisfaction="不满意", status="已答复"))
    assert f.column == "T" and f.severity == "error" and "已答复" in f.message.zh
    assert run("R209", replied(satisfaction="不满意", status="重办")) == []
    assert run("R209", replied(satisfaction="基本满意")) == []
    assert len(run("R209", replied(satisfaction="不满意"))) == 1


# ---------------------------------------------------------------------------------------
# R210 possible repeat

def repeat(row, received, **values):
    return req(row, **{"received": received, "address": "12号 301室", "category": "环境卫生",
                       **values})


def test_r210_later_request_names_the_earlier():
    first, second = repeat(5, D(2026, 11, 1)), repeat(6, D(2026, 11, 20), address="12号301室")
    [f] = run("R210", second, first)
    assert f.record == "SQ-006" and "SQ-005" in f.message.zh and f.severity == "info"


def test_r210_window_and_keys():
    first = repeat(5, D(2026, 10, 1))
    assert len(run("R210", first, repeat(6, D(2026, 10, 31)))) == 1    # 30 days
    assert run("R210", first, repeat(6, D(2026, 11, 1))) == []         # 31 days
    assert run("R210", first, repeat(6, D(2026, 10, 5), category="晾晒")) == []
    assert run("R210", first, repeat(6, D(2026, 10, 5), estate="咏泽苑")) == []
    # no place on either row, and different content: nothing to compare
    assert run("R210", repeat(5, D(2026, 10, 1), address=None, content="楼道灯坏了"),
               repeat(6, D(2026, 10, 5), address=None, content="垃圾箱满了没人清运")) == []


def test_r210_open_or_closed_counts():
    """rules.md: another request, open or closed — a repeat after a closed one is the
    clearest sign the problem came back."""
    closed = replied(5, received=D(2026, 11, 1), address="12号301室", category="环境卫生")
    [f] = run("R210", closed, repeat(6, D(2026, 11, 10)))
    assert f.record == "SQ-006" and "SQ-005" in f.message.zh


def test_r210_nearly_the_same_content_at_another_address():
    first = repeat(5, D(2026, 11, 1), address="12号", content="12号楼下垃圾箱满了，无人清运，气味很大")
    second = repeat(6, D(2026, 11, 8), address="14号", content="12号楼下垃圾箱满了无人清运，味道很大！")
    [f] = run("R210", first, second)
    assert f.record == "SQ-006" and "内容相近" in f.message.zh
    unlike = repeat(7, D(2026, 11, 9), address="16号", content="健身器材螺丝松动")
    assert [f.record for f in run("R210", first, unlike)] == []


def test_r210_problem_place_comes_before_the_address():
    """问题地点 if filled, else 地址: two residents of different flats reporting the same
    broken street lamp are a repeat; the same flat reporting two different places is not."""
    lamp = dict(location="3号楼东侧路灯", content="路灯不亮")
    a = repeat(5, D(2026, 11, 1), address="3号101室", **lamp)
    b = repeat(6, D(2026, 11, 3), address="5号202室", **{**lamp, "content": "晚上路太黑"})
    [f] = run("R210", a, b)
    assert f.record == "SQ-006" and "地点相同" in f.message.zh
    c = repeat(7, D(2026, 11, 4), address="3号101室", location="小区北门", content="门禁坏了")
    assert run("R210", a, c) == []


# ---------------------------------------------------------------------------------------
# whole ledger: only open requests get SLA findings; nothing raises on unreadable values

def test_closed_request_gets_no_sla_finding():
    old = replied(received=D(2026, 1, 5), classified=D(2026, 1, 6), assigned=D(2026, 1, 7),
                  on=D(2026, 3, 1), due=D(2026, 1, 20))
    for code in ("R201", "R202", "R203", "R204", "R208", "R211"):
        assert run(code, old) == []


def test_all_rules_survive_unreadable_values():
    r = req(invalid={k: "??" for k in ("received", "classified", "assigned", "due", "resolved",
                                       "replied", "satisfaction", "status", "category")})
    for n in range(201, 212):
        run(f"R{n}", r)
    assert run("R205", r) == [] and run("R207", r) == []


def test_a_copied_request_row_is_one_request():
    """A request pasted again (or a 诉求台账(1).xlsx copy) has one R203, on the first row in
    workbook order; a reused 编号 on another 诉求内容 is another request and stays checked."""
    first = assigned(5, due=D(2026, 11, 10))
    copy = assigned(5, due=D(2026, 11, 10))
    copy.file = "诉求台账(1).xlsx"               # natural order: before 诉求台账.xlsx
    assert [(f.file, f.row) for f in run("R203", first, copy)] == [("诉求台账(1).xlsx", 5)]
    other = assigned(9, id="SQ-005", content="书屋延长开放时间", due=D(2026, 11, 10))
    assert [f.row for f in run("R203", first, other)] == [5, 9]


# ---------------------------------------------------------------------------------------
# a sheet that keeps no column for a stage (a clerk's ledger without 类别 and 分类日期)

def without(r, *keys):
    """``r`` as read from a sheet that has no column for ``keys``."""
    from dataclasses import replace
    values = {k: v for k, v in r.values.items() if k not in keys}
    return replace(r, values=values, cells={k: c for k, c in r.cells.items() if k not in keys})


def test_no_stage_findings_for_a_stage_the_sheet_has_no_column_for():
    no_class = ("category", "classified")
    r = without(replied(), *no_class)
    assert run("R205", r) == []          # was: 类别 (column None) empty on every row
    fresh = without(req(received=D(2026, 11, 2)), *no_class)
    assert run("R201", fresh) == []      # "类别仍为空": no 类别 cell to fill
    # a status claiming the missing stage cannot contradict it
    assert run("R207", without(req(received=D(2026, 11, 2), status="待分派"), *no_class)) == []
    # the next stage missing: "not assigned" / "not replied" are not said either
    r = without(req(received=D(2026, 11, 2), category="环境卫生", classified=D(2026, 11, 3)),
                "assignee", "assigned")
    assert run("R202", r) == []
    r = without(resolved(on=D(2026, 11, 2)), "replied", "reply_method", "satisfaction")
    assert run("R204", r) == []


def test_stage_kept_by_one_column_still_checked_and_pointed_at():
    r = without(req(received=D(2026, 11, 2), assignee="物业经理", assigned=D(2026, 11, 4)),
                "category")                # 分类日期 kept, 类别 not
    [f] = run("R205", r)
    assert f.header == "分类日期" and f.column is not None
    assert "类别" not in f.fix.zh


def test_since_says_the_sheet_has_no_date_column():
    r = without(req(received=D(2026, 11, 2), category="环境卫生"), "classified")
    [f] = run("R202", r)
    assert "台账没有“分类日期”列，按“登记日期”2026-11-02计" in f.message.zh
    assert "has no 分类日期 column" in f.message.en


def test_layout_notice_once_per_sheet_without_a_stage(tmp_path):
    from toolkit.read import read_workspace
    (tmp_path / "诉求.csv").write_text(
        "编号,登记日期,来源,小区,诉求内容,责任人,交办日期,办结日期,办理结果,回访日期\n"
        "SQ-1,2026-11-02,来电,松和苑,路灯不亮,物业经理,2026-11-03,2026-11-05,已修,2026-11-06\n",
        encoding="utf-8")
    ws = read_workspace([tmp_path], as_of=D(2026, 11, 23))
    [f] = [f for f in ws.findings if f.code == "F004"]
    assert f.severity == "error" and f.sheet is not None          # rules.md: F004 is an error
    assert "没有“梳理分类”这一步的列（类别、分类日期都没有）" in f.message.zh
    assert "classified stage" in f.message.en


def test_status_quoted_as_the_clerk_wrote_it():
    """已完成 is read as 已办结 (a synonym): R207/R209 quote 已完成, the text in the cell."""
    r = assigned(status="已完成")
    r.values["status"] = "已办结"
    [f] = run("R207", r)
    assert "状态写的是“已完成”" in f.message.zh and "已办结" not in f.message.zh
    assert f.params["status"] == "已办结"
    r = replied(satisfaction="不满意", status="已完成")
    r.values["status"] = "已办结"
    [f] = run("R209", r)
    assert "状态为“已完成”" in f.message.zh
    r = replied(satisfaction="不满意", invalid={"status": "待定中"})
    [f] = run("R209", r)                    # an unreadable status is not "empty"
    assert "状态为“待定中”" in f.message.zh


# ---------------------------------------------------------------------------------------
# 办理时限 written as a number of days (15个工作日, 3天): counted from 分派, like a category limit

def _read_requests(rows):
    from toolkit.read.headers import classify
    from toolkit.read.records import build_records
    from toolkit.read.sheets import Grid
    head = ["编号", "登记日期", "小区", "诉求内容", "类别", "分类日期", "责任人", "分派日期", "办理时限",
            "办结日期"]
    g = Grid("S", [head] + [list(r) for r in rows], [])
    return build_records(g, classify(g), file="诉求台账.xlsx", as_of=D(2026, 11, 23))


def test_due_written_as_days_is_read_as_a_period_with_one_d112():
    rows = [[f"SQ-{i}", "2026-10-28", "松和苑", "楼道堆物", "环境卫生", "2026-10-29", "物业经理",
             "2026-11-02", due] for i, due in enumerate(
                 ["15个工作日", "15个工作日内", "3天", "7日", "十个工作日", "2026-11-30"])]
    out = _read_requests(rows)
    assert not [f for f in out.findings if f.code == "D102"]
    [d112] = [f for f in out.findings if f.code == "D112" and f.header == "办理时限"]
    assert "5个值" in d112.message.zh and "15个工作日 → 自分派日期起15个工作日" in d112.message.zh
    due = [rq.due_date(r, Settings(), CAL) for r in out.records]
    # Mon Nov 2: +15 working days = Nov 23; +3 days = Nov 5; +7 days = Nov 9; +10 wd = Nov 16
    assert due == [D(2026, 11, 23), D(2026, 11, 23), D(2026, 11, 5), D(2026, 11, 9),
                   D(2026, 11, 16), D(2026, 11, 30)]


def test_r203_r211_say_the_deadline_came_from_days_written():
    rows = [["SQ-1", "2026-10-28", "松和苑", "楼道堆物", "环境卫生", "2026-10-29", "物业经理",
             "2026-11-02", "3天"],
            ["SQ-2", "2026-10-28", "松和苑", "路灯不亮", "环境卫生", "2026-10-29", "物业经理",
             "2026-11-03", "15个工作日"]]
    records = _read_requests(rows).records
    [late] = run("R203", *records)
    assert late.record == "SQ-1"
    assert "办理时限“3天”，自分派日期2026-11-02起算" in late.message.zh
    assert "3 day(s) from" in late.message.en
    [soon] = run("R211", *records)
    assert soon.record == "SQ-2" and "2026-11-24" in soon.message.zh
    assert "办理时限“15个工作日”，自分派日期2026-11-03起算" in soon.message.zh
    no_limit = Settings(categories=(Category("环境卫生", "物业经理", None),))
    assert run("R208", *records, settings=no_limit) == []      # a limit is written


def test_due_written_as_days_before_assignment_has_no_date():
    rows = [["SQ-1", "2026-10-28", "松和苑", "楼道堆物", "环境卫生", "2026-10-29", "", "", "3天"]]
    [r] = _read_requests(rows).records
    assert rq.stage(r) == 1 and rq.due_date(r, Settings(), CAL) is None


def test_r208_fix_names_the_way_to_a_limit_that_fits_the_reason():
    no_limit = Settings(categories=(Category("环境卫生", "物业经理", None),))
    [f] = run("R208", assigned(), settings=no_limit)
    assert "在设置.xlsx的诉求类别中为“环境卫生”填写时限" in f.fix.zh
    [f] = run("R208", assigned(category="违章搭建"))
    assert "增加“违章搭建”" in f.fix.zh
    [f] = run("R208", assigned(category=None))
    assert "或填写“类别”" in f.fix.zh
    r = assigned()
    del r.cells["category"]                     # a sheet without a 类别 column
    r.values["category"] = None
    [f] = run("R208", r)
    assert "台账没有“类别”列" in f.fix.zh and "设置.xlsx的诉求类别中填写" not in f.fix.zh
    assert "has no 类别 column" in f.fix.en


@pytest.mark.parametrize("word", ["待定", "未分类", "待分类", "暂未分类"])
def test_a_not_yet_category_is_r201_without_d109(word):
    """类别 written 待定 / 未分类 / 待分类: not classified yet (R201 when due), and no D109 telling
    the clerk to add 待定 to the settings' 诉求类别 as if it were a new category."""
    import toolkit.check.data  # noqa: F401 - registers D109
    r = req(received=D(2026, 11, 2), category=word)
    assert rq.stage(r) == 0
    assert [f.record for f in run("R201", r)] == ["SQ-005"]
    assert d109(r) == []
    # a real category outside the list, and a not-yet word where no stage is (来源), still are D109
    assert d109(req(received=D(2026, 11, 2), category="停车难")) == ["停车难"]
    assert d109(req(received=D(2026, 11, 2), source="待定")) == ["待定"]


def d109(r):
    """The items D109 reports on ``r``'s cells (not the 小区-list-unset notice)."""
    import toolkit.check.data  # noqa: F401 - registers D109
    return [f.params["item"] for f in run("D109", r) if f.record]


def test_a_not_yet_reply_word_in_a_listed_column_is_no_d109():
    import toolkit.check.data  # noqa: F401 - registers D109
    r = resolved(on=D(2026, 11, 13), reply_method="待回访", satisfaction="未回访")
    assert rq.stage(r) == 3 and d109(r) == []
    assert d109(resolved(on=D(2026, 11, 13), satisfaction="还行")) == ["还行"]
    assert [f.record for f in run("R204", r)] == ["SQ-005"]
