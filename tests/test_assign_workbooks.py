"""Follow-ups planned from small workspaces written as staff would (openpyxl in tmp_path), read
by the real reader: 工作日 follows the working-day calendar, 离岗日期 ends a volunteer's work,
and each work order tells its reader the truth about who, when and why."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from toolkit import pipeline, schema
from toolkit.assign import plan_followups
from toolkit.report.templates import write_settings
from toolkit.report.workorders import write_work_orders
from toolkit.settings import Settings

NAMES = {"elderly": "老年人台账.xlsx", "volunteers": "志愿者名册.xlsx", "visits": "巡访记录.xlsx",
         "services": "服务记录.xlsx"}


def _ledger(path: Path, kind: str, rows: list[dict]) -> None:
    headers = [c.header for c in schema.LEDGERS[kind].columns]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = schema.LEDGERS[kind].sheet
    ws.append(headers)
    for row in rows:
        assert set(row) <= set(headers), set(row) - set(headers)
        ws.append([row.get(h) for h in headers])
    wb.save(path)


def workspace(tmp_path: Path, *, duty=(), **ledgers) -> Path:
    """A folder with the given ledgers ({kind: [{header: value}]}) and 设置.xlsx whose 值班人员
    table holds ``duty`` rows (姓名, 电话, 值班日)."""
    folder = tmp_path / "ws"
    folder.mkdir()
    for kind, rows in ledgers.items():
        _ledger(folder / NAMES[kind], kind, rows)
    path = write_settings(folder / schema.SETTINGS_FILE, Settings(), as_of=date(2026, 11, 23))
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.SET_DUTY]
    for r, row in enumerate(duty, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c).value = value
    wb.save(path)
    return folder


def plan(folder: Path, as_of: date, tmp_path: Path):
    """(follow-ups by target/type, the 总表 rows of 跟进派单.xlsx by 派单编号)."""
    result = pipeline.check([folder], as_of=as_of)
    followups = plan_followups(result.context, result.findings)
    out = write_work_orders(tmp_path / schema.WORK_ORDERS, followups, result.context)
    rows = list(openpyxl.load_workbook(out)["总表"].iter_rows(min_row=3, values_only=True))
    table = {row[0]: dict(zip(rows[0], row)) for row in rows[1:] if row[0]}
    return {f"{f.target}/{f.type}": f for f in followups}, table


def elder(i: str, volunteer=None, **kw) -> dict:
    row = {"编号": i, "姓名": f"老{i}", "出生日期": datetime(1940, 1, 1), "小区": "松和苑",
           "地址": f"{i}号", "独居": "是", "紧急联系人": "家属", "紧急联系电话": "13800000000",
           "结对志愿者": volunteer}
    row.update(kw)
    return row


def volunteer(i: str, **kw) -> dict:
    row = {"编号": i, "姓名": f"志{i[-1]}", "联系电话": "13900000001", "服务小区": "松和苑",
           "服务技能": "巡访"}
    row.update(kw)
    return row


def knocked(who: str, by: str, day: date) -> dict:
    return {"巡访日期": datetime.combine(day, datetime.min.time()), "老人编号": who, "志愿者": by,
            "服务类型": "巡访", "巡访情况": "敲门无应答"}


# ------------------------------------------------------------------------ 工作日 and the calendar
def test_workday_volunteer_and_staff_serve_on_a_tiaoxiu_saturday(tmp_path):
    """2026-10-10 is a Saturday working day (国庆调休): 工作日 in 可服务时间 and 值班日 includes it."""
    folder = workspace(tmp_path, elderly=[elder("T1", "ZY-001")],
                       volunteers=[volunteer("ZY-001", 可服务时间="工作日")],
                       visits=[knocked("T1", "ZY-001", date(2026, 10, 9))],
                       duty=[("值班甲", "13911111111", "工作日")])
    fus, table = plan(folder, date(2026, 10, 10), tmp_path)
    fu = fus["T1/safety_check"]
    assert (fu.assignee, fu.planned) == ("ZY-001", date(2026, 10, 10))
    assert "再与值班人员值班甲（13911111111）一同上门" in table[fu.id]["要做什么"]


def test_workday_volunteer_and_staff_do_not_serve_on_national_day(tmp_path):
    """2026-10-01 (国庆, a Thursday) is no working day: the 工作日 volunteer is not sent, the
    工作日 staff member is not on duty; an every-day volunteer goes instead."""
    folder = workspace(tmp_path, elderly=[elder("T1", "ZY-001")],
                       volunteers=[volunteer("ZY-001", 可服务时间="工作日"),
                                   volunteer("ZY-002", 可服务时间="每天", 所属队伍=schema.TEAM_BUILDING_LEADER)],
                       visits=[knocked("T1", "ZY-001", date(2026, 9, 30))],
                       duty=[("值班甲", "13911111111", "工作日")])
    fus, table = plan(folder, date(2026, 10, 1), tmp_path)
    fu = fus["T1/safety_check"]
    assert (fu.assignee, fu.planned) == ("ZY-002", date(2026, 10, 1))
    text = table[fu.id]["要做什么"]
    assert "值班甲" not in text and "居委会安排的一名工作人员" in text
    assert "结对志愿者志1（ZY-001）2026-10-01（周四）不可服务" in text
    visit = fus["T1/visit"]                      # C302, planned within the holiday week
    assert visit.planned is None or visit.assignee != "ZY-001" or visit.planned >= date(2026, 10, 9)


def test_literal_weekdays_stay_literal_on_holidays(tmp_path):
    """周一至周五 is what the volunteer wrote: a Thursday holiday is still one of their days."""
    folder = workspace(tmp_path, elderly=[elder("T1", "ZY-001")],
                       volunteers=[volunteer("ZY-001", 可服务时间="周一至周五")],
                       visits=[knocked("T1", "ZY-001", date(2026, 9, 30))],
                       duty=[("值班甲", "13911111111", "周一至周五")])
    fus, table = plan(folder, date(2026, 10, 1), tmp_path)
    fu = fus["T1/safety_check"]
    assert (fu.assignee, fu.planned) == ("ZY-001", date(2026, 10, 1))
    assert "值班甲" in table[fu.id]["要做什么"]


# ------------------------------------------------------------------------ safety checks
def test_a_non_urgent_safety_check_is_planned_the_same_day_with_todays_staff(tmp_path):
    """C307 on a resident who does not live alone, knocked today: an error, not urgent — still a
    same-day check (rules.md), so 今天 is true and the staff named is the one on duty today."""
    folder = workspace(tmp_path, elderly=[elder("S4", "ZY-001", 独居="否")],
                       volunteers=[volunteer("ZY-001")],
                       visits=[knocked("S4", "ZY-001", date(2026, 11, 23))],
                       duty=[("值班甲", "13911111111", "周一"), ("值班乙", "13922222222", "周二")])
    fus, table = plan(folder, date(2026, 11, 23), tmp_path)
    fu = fus["S4/safety_check"]
    assert fu.priority == "high"
    assert (fu.assignee, fu.planned, fu.due) == ("ZY-001", date(2026, 11, 23), date(2026, 11, 23))
    text = table[fu.id]["要做什么"]
    assert "请您今天上门查看" in text and "值班人员值班甲（13911111111）" in text and "值班乙" not in text


def test_staff_taking_a_safety_check_says_the_paired_volunteer_is_fully_booked(tmp_path):
    """The paired volunteer can serve today but has used the week's one visit: 本周已满."""
    folder = workspace(tmp_path, elderly=[elder("S5", "ZY-005", 小区="咏泽苑"), elder("S6", "ZY-005", 小区="咏泽苑")],
                       volunteers=[volunteer("ZY-005", 服务小区="咏泽苑", 每周上限=1)],
                       visits=[knocked("S5", "ZY-005", date(2026, 11, 22)),
                               {**knocked("S6", "ZY-005", date(2026, 11, 23)), "巡访情况": "正常"}],
                       duty=[("值班甲", "13911111111", "周一")])
    fus, table = plan(folder, date(2026, 11, 23), tmp_path)
    fu = fus["S5/safety_check"]
    assert fu.assignee == "值班甲"
    text = table[fu.id]["要做什么"]
    assert "结对志愿者志5（ZY-005）本周已满" in text and "不可服务" not in text


def test_unassigned_safety_check_says_the_estate_has_no_building_leader(tmp_path):
    """No 楼组长 in 咏泽苑 at all: the reason does not say the 楼组长 are fully booked."""
    folder = workspace(tmp_path, elderly=[elder("S5", "ZY-005", 小区="咏泽苑"), elder("S6", "ZY-005", 小区="咏泽苑")],
                       volunteers=[volunteer("ZY-005", 服务小区="咏泽苑", 每周上限=1)],
                       visits=[knocked("S5", "ZY-005", date(2026, 11, 22)),
                               {**knocked("S6", "ZY-005", date(2026, 11, 23)), "巡访情况": "正常"}])
    fus, table = plan(folder, date(2026, 11, 23), tmp_path)
    reason = fus["S5/safety_check"].unassigned_reason.zh
    assert "楼组长本周都已排满" not in reason
    assert reason.startswith("结对志愿者志5（ZY-005）本周已满（上限1次），咏泽苑没有楼组长")


# ------------------------------------------------------------------------ 离岗日期
def test_no_day_on_or_after_the_leaving_date_is_planned(tmp_path):
    """离岗日期 2026-11-24: the volunteer may still be planned on 11-23, never on 11-24 or later;
    the next volunteer takes the visit."""
    folder = workspace(tmp_path, elderly=[elder("C0", "ZY-C1", 独居="是")],
                       volunteers=[volunteer("ZY-C1", 可服务时间="周三至周五", 离岗日期=datetime(2026, 11, 24)),
                                   volunteer("ZY-C2")],
                       visits=[{**knocked("C0", "ZY-C1", date(2026, 10, 20)), "巡访情况": "正常"}])
    fus, table = plan(folder, date(2026, 11, 23), tmp_path)
    fu = fus["C0/visit"]
    assert fu.assignee == "ZY-C2"
    assert fu.planned == date(2026, 11, 23)
    assert "由您去，因为结对志愿者志1（ZY-C1）2026-11-24离岗" in table[fu.id]["要做什么"]


# ------------------------------------------------------------------------ an unmatched pairing
@pytest.mark.parametrize("column, paired, other, said, t2_reason", [
    # 离岗日期 已离岗 / 2026年11月 cannot be read (D102): she may have left, so she is not sent —
    # as with an unreadable 在岗
    ("离岗日期", "已离岗", "2026年11月", "离岗日期写的是“已离岗”，无法确认仍在岗", "咏泽苑没有在岗志愿者"),
    # 可服务时间 单周周六 / 不定 cannot be read (D111): she is not planned on a working day she
    # never offered
    ("可服务时间", "单周周六", "不定", "可服务时间写的是“单周周六”，无法确定哪天能去", "没有服务时间"),
])
def test_an_unreadable_leaving_date_or_availability_sends_nobody(tmp_path, column, paired, other,
                                                                  said, t2_reason):
    """The volunteer whose 离岗日期 or 可服务时间 cannot be read is not sent on a guess; the order
    says why the paired volunteer is not going."""
    folder = workspace(tmp_path, elderly=[elder("T1", "ZY-001"), elder("T2", None, 小区="咏泽苑")],
                       volunteers=[volunteer("ZY-001", **{column: paired}), volunteer("ZY-002"),
                                   volunteer("ZY-003", 服务小区="咏泽苑", **{column: other})],
                       visits=[])
    fus, table = plan(folder, date(2026, 11, 23), tmp_path)
    fu = fus["T1/visit"]
    assert fu.assignee == "ZY-002"
    assert f"结对志愿者志1（ZY-001）{said}" in table[fu.id]["要做什么"]
    assert fus["T2/visit"].assignee is None
    assert t2_reason in fus["T2/visit"].unassigned_reason.zh


def test_one_volunteer_on_two_rows_keeps_one_weekly_cap(tmp_path):
    """志1 registered twice (ZY-001 and ZY-002, same 姓名 and 联系电话: D108), 每周上限 1 on
    each row: she is one person and gets one visit this week, not one per row."""
    folder = workspace(tmp_path, elderly=[elder(f"T{i}", None) for i in range(1, 4)],
                       volunteers=[volunteer("ZY-001", 每周上限=1),
                                   volunteer("ZY-002", 姓名="志1", 每周上限=1)],
                       visits=[])
    fus, _ = plan(folder, date(2026, 11, 23), tmp_path)
    visits = [fus[f"T{i}/visit"] for i in range(1, 4)]
    assert sum(f.assignee is not None for f in visits) == 1
    assert all("本周都已排满" in f.unassigned_reason.zh for f in visits if f.assignee is None)


def test_a_repeated_row_saying_she_left_sends_nobody(tmp_path):
    """ZY-001 written twice (D107; the later row is set aside as a copy): the later row says
    在岗 否 — perhaps the update. She is not sent, and the order says which row says so; a copy
    with a 离岗日期 tomorrow leaves ZY-002 today only."""
    folder = workspace(tmp_path, elderly=[elder("T1", "ZY-001"), elder("T2", "ZY-002"),
                                          elder("T3", "ZY-002")],
                       volunteers=[volunteer("ZY-001"), volunteer("ZY-002"), volunteer("ZY-003"),
                                   volunteer("ZY-001", 在岗="否"),
                                   volunteer("ZY-002", 离岗日期=datetime(2026, 11, 24))],
                       visits=[])
    fus, table = plan(folder, date(2026, 11, 23), tmp_path)
    fu = fus["T1/visit"]
    assert fu.assignee == "ZY-003"
    assert "结对志愿者志1（ZY-001）在名册第5行（编号重复）写着不在岗或已离岗" in table[fu.id]["要做什么"]
    two = [fus["T2/visit"], fus["T3/visit"]]
    assert all(f.assignee != "ZY-002" or f.planned == date(2026, 11, 23) for f in two)


def test_a_full_reason_speaks_only_of_who_could_serve_that_day(tmp_path):
    """Two safety checks today; the 楼组长 takes one. The other's paired volunteer serves on
    周二 only: she is not "fully booked", so the reason speaks of those who could serve today."""
    folder = workspace(tmp_path, elderly=[elder("T1", "ZY-001"), elder("T2", "ZY-002")],
                       volunteers=[volunteer("ZY-001", 每周上限=1), volunteer("ZY-002", 可服务时间="周二"),
                                   volunteer("ZY-003", 所属队伍=schema.TEAM_BUILDING_LEADER, 每周上限=1)],
                       visits=[knocked("T1", "ZY-001", date(2026, 11, 21)),
                               knocked("T2", "ZY-002", date(2026, 11, 21)),
                               knocked("T1", "ZY-001", date(2026, 11, 23))])
    fus, _ = plan(folder, date(2026, 11, 23), tmp_path)
    assert fus["T1/safety_check"].assignee == "ZY-003"
    assert fus["T2/safety_check"].unassigned_reason.zh.startswith(
        "结对志愿者和松和苑的楼组长中2026-11-23（周一）能服务的本周都已排满（上限1次）")


def test_a_paired_volunteer_full_next_week_is_not_full_this_week(tmp_path):
    """Friday 11-27, visit due Tuesday 12-01: the paired volunteer serves on 周一 only and next
    week's one visit is booked — she is full before 12-01, not "本周已满"."""
    folder = workspace(tmp_path, elderly=[elder("T1", "ZY-001"), elder("T2", None)],
                       volunteers=[volunteer("ZY-001", 可服务时间="周一", 每周上限=1), volunteer("ZY-002")],
                       visits=[{**knocked("T2", "ZY-001", date(2026, 12, 1)), "巡访情况": "正常"}])
    fus, table = plan(folder, date(2026, 11, 27), tmp_path)
    fu = fus["T1/visit"]
    assert (fu.assignee, fu.due) == ("ZY-002", date(2026, 12, 1))
    text = table[fu.id]["要做什么"]
    assert "结对志愿者志1（ZY-001）2026-12-01前已排满" in text and "本周已满" not in text


def test_an_unreadable_weekly_cap_is_never_read_above_what_she_wrote(tmp_path):
    """每周上限 1-2次 / 两次 is no whole number (D111): she is sent at most the smallest number
    written, not the settings default of 5; 不限 is the default."""
    folder = workspace(tmp_path, elderly=[elder(f"T{i}", None) for i in range(1, 5)]
                       + [elder(f"U{i}", None, 小区="咏泽苑") for i in range(1, 5)]
                       + [elder(f"V{i}", None, 小区="惠泽苑") for i in range(1, 5)],
                       volunteers=[volunteer("ZY-001", 每周上限="1-2次"),
                                   volunteer("ZY-002", 服务小区="咏泽苑", 每周上限="两次"),
                                   volunteer("ZY-003", 服务小区="惠泽苑", 每周上限="不限")],
                       visits=[])
    fus, _ = plan(folder, date(2026, 11, 23), tmp_path)
    sent = {v: sum(f.assignee == v for f in fus.values()) for v in ("ZY-001", "ZY-002", "ZY-003")}
    assert sent == {"ZY-001": 1, "ZY-002": 2, "ZY-003": 4}
    reasons = {fus[f"T{i}/visit"].unassigned_reason for i in range(1, 5)} - {None}
    assert {r.zh for r in reasons} == {"松和苑会巡访的在岗志愿者本周都已排满（上限1次）"}


def test_a_pairing_that_matches_nobody_is_not_called_no_pairing(tmp_path):
    """结对志愿者 ZY-099 (not in the roster) or 王芳 (two volunteers share it): the order says
    what is written could not be matched, never that the resident has no paired volunteer."""
    visited = {"巡访日期": datetime(2026, 10, 1), "志愿者": "ZY-002", "服务类型": "巡访", "巡访情况": "正常"}
    folder = workspace(tmp_path, elderly=[elder("U1", "ZY-099"), elder("U2", "王芳"), elder("U3")],
                       volunteers=[volunteer("ZY-002"),
                                   volunteer("ZY-003", 姓名="王芳", 可服务时间="周六"),
                                   volunteer("ZY-004", 姓名="王芳", 服务小区="咏泽苑")],
                       visits=[{**visited, "老人编号": u} for u in ("U1", "U2", "U3")],
                       duty=[("值班甲", "13911111111", "工作日")])
    fus, table = plan(folder, date(2026, 11, 23), tmp_path)
    texts = {u: table[fus[f"{u}/visit"].id]["要做什么"] for u in ("U1", "U2", "U3")}
    assert all("还没有结对志愿者" not in texts[u] for u in ("U1", "U2"))
    assert "老人登记的结对志愿者“ZY-099”在志愿者名册中找不到，由您去。" in texts["U1"]
    assert "老人登记的结对志愿者“王芳”在志愿者名册中有2位同名（ZY-003、ZY-004），无法确定是哪一位，由您去。" \
        in texts["U2"]
    assert "老人还没有结对志愿者，由您去。" in texts["U3"]


# ------------------------------------------------------------------------ P803 callbacks
def test_a_p803_callback_names_the_resident_to_call(tmp_path):
    """A 不满意 service: on the elderly ledger the order names 王阿婆 with her phone and address;
    a recipient known only by name is named as written — never a file path."""
    served = {"服务单位": "甲物业", "评价": "不满意"}
    folder = workspace(tmp_path, elderly=[elder("E1", 姓名="王阿婆", 联系电话="13812345678", 地址="1号101",
                                                独居="否")],
                       volunteers=[volunteer("ZY-001")],
                       services=[{**served, "服务日期": datetime(2026, 11, 10), "老人编号": "E1",
                                  "老人姓名": "王阿婆", "服务项目": "助洁"},
                                 {**served, "服务日期": datetime(2026, 11, 10), "老人姓名": "李阿公",
                                  "服务项目": "助餐"},
                                 {**served, "服务日期": datetime(2026, 11, 16), "老人姓名": "王阿婆",
                                  "服务项目": "助餐"}],
                       duty=[("值班甲", "13911111111", "工作日")])
    fus, table = plan(folder, date(2026, 11, 23), tmp_path)
    callbacks = sorted((f for f in fus.values() if f.type == "reply_callback"), key=lambda f: f.id)
    assert [f.target for f in callbacks] == ["E1", "李阿公"]          # 王阿婆's two rows: one call
    wang, li = (table[f.id] for f in callbacks)
    assert (wang["对象编号"], wang["对象"], wang["小区"]) == ("E1", "王阿婆", "松和苑")
    assert wang["要做什么"].startswith("老人王阿婆（E1）对“助洁”、“助餐”服务评价“不满意”：请您最迟2026-11-25"
                                      "回访老人（电话13812345678）")
    assert (li["对象编号"], li["对象"]) == ("李阿公", "李阿公")
    assert li["要做什么"].startswith("老人李阿公对“助餐”服务评价“不满意”：请您最迟2026-11-25回访老人，")
    person = {row[0]: row for row in openpyxl.load_workbook(tmp_path / schema.WORK_ORDERS)["值班甲"]
              .iter_rows(min_row=4, values_only=True)}
    head = next(openpyxl.load_workbook(tmp_path / schema.WORK_ORDERS)["值班甲"]
                .iter_rows(min_row=3, max_row=3, values_only=True))
    row = dict(zip(head, person[callbacks[0].id]))
    assert (row["地址"], row["电话"]) == ("1号101", "13812345678")
    assert all(".xlsx" not in str(v) for r in table.values() for v in r.values())
