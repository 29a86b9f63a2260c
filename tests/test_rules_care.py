"""Rules C301–C311 and the references rules D108/D110 on small inline records."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import openpyxl
import pytest

from helpers import AS_OF, make_context, make_record, make_workspace
from toolkit import api
from toolkit.check import data, elderly, references

D = AS_OF  # 2026-11-23, a Monday


def elder(row=2, **values):
    base = dict(id=f"LR-{row:03d}", name=f"老人{row}", estate="松和苑", address=f"{row}号101室",
                lives_alone=False, volunteer="ZY-002")
    base.update(values)
    return make_record("elderly", row, **base)


def tier_a(row=2, **values):
    values.setdefault("emergency_contact", "儿子")
    values.setdefault("emergency_phone", "13912345678")
    return elder(row, lives_alone=True, age=85, **values)


def volunteer(row=2, **values):
    base = dict(id=f"ZY-{row:03d}", name=f"志愿者{row}", phone=f"138000000{row:02d}",
                estates=("松和苑",), skills=("巡访",))
    base.update(values)
    return make_record("volunteers", row, **base)


def visit(row, day, resident="LR-002", **values):
    base = dict(date=day, elderly_id=resident, volunteer="ZY-002", service=("巡访",),
                outcome="正常")
    base.update(values)
    return make_record("visits", row, **base)


def ago(days: int) -> date:
    return D - timedelta(days=days)


def run(fn, *records, **kw):
    return list(fn(make_context(*records, **kw)))


# ------------------------------------------------------------------ C301
def test_c301_interval_boundary_day_tier_a():
    r = tier_a()
    assert run(elderly.visit_overdue, r, volunteer(), visit(2, ago(7))) == []
    [f] = run(elderly.visit_overdue, r, volunteer(), visit(2, ago(8)))
    assert (f.code, f.severity, f.kind, f.row, f.record) == ("C301", "error", "elderly", 2, "LR-002")
    assert "已超期1天" in f.message.zh and ago(8).isoformat() in f.message.zh
    assert "志愿者2（ZY-002）" in f.fix.zh


def test_c301_tier_b_and_c_are_warnings_with_their_intervals():
    b = elder(2, hardship=("低保",))
    c = elder(3)
    records = [b, c, volunteer(), visit(2, ago(30)), visit(3, ago(90), resident="LR-003")]
    assert run(elderly.visit_overdue, *records) == []
    records = [b, c, volunteer(), visit(2, ago(31)), visit(3, ago(91), resident="LR-003")]
    found = run(elderly.visit_overdue, *records)
    assert [(f.record, f.severity) for f in found] == [("LR-002", "warning"), ("LR-003", "warning")]


def test_c301_phone_call_keeps_tier_c_but_not_tier_b_up_to_date():
    b = elder(2, hardship=("空巢",))
    c = elder(3)
    calls = [visit(2, ago(40)), visit(3, ago(5), service=("电话问候",)),
             visit(4, ago(100), resident="LR-003"), visit(5, ago(5), resident="LR-003",
                                                      service=("电话问候",))]
    found = run(elderly.visit_overdue, b, c, volunteer(), *calls)
    assert [f.record for f in found] == ["LR-002"]


def test_c301_only_registered_residents_are_due():
    away = tier_a(status="住院")
    gone = tier_a(3, status="去世")
    visits = [visit(2, ago(60)), visit(3, ago(60), resident="LR-003")]
    assert run(elderly.visit_overdue, away, gone, *visits) == []


def test_c301_no_answer_does_not_reset_the_clock():
    r = tier_a()
    found = run(elderly.visit_overdue, r, visit(2, ago(10)), visit(3, ago(2), outcome="敲门无应答"))
    assert [f.code for f in found] == ["C301"]


# ------------------------------------------------------------------ C302
def test_c302_tier_a_b_never_visited_not_tier_c():
    a, b, c = tier_a(2), elder(3, hardship=("低保",)), elder(4)
    found = run(elderly.never_visited, a, b, c)
    assert [(f.record, f.severity) for f in found] == [("LR-002", "error"), ("LR-003", "error")]


def test_c302_only_uncounted_visits_still_never_visited():
    r = tier_a()
    [f] = run(elderly.never_visited, r, visit(2, ago(3), outcome="敲门无应答"),
              visit(3, ago(2), service=("电话问候",)))
    assert "有2条记录" in f.message.zh
    assert run(elderly.never_visited, r, visit(2, ago(40))) == []   # visited: C301's business


def test_c302_future_visit_does_not_count():
    assert len(run(elderly.never_visited, tier_a(), visit(2, D + timedelta(days=1)))) == 1


# ------------------------------------------------------------------ C303 / C304
def test_c303_tier_a_b_without_paired_volunteer():
    a = tier_a(2, volunteer=None)
    c = elder(3, volunteer=None)
    unknown = tier_a(4, volunteer="没这个人")      # D110, not C303
    gone = tier_a(5, volunteer=None, status="迁出")
    found = run(elderly.not_paired, a, c, unknown, gone)
    assert [(f.record, f.column) for f in found] == [("LR-002", "Q")]


def test_c303_pairing_kept_on_the_roster_side():
    """结对志愿者 empty, the roster's 结对老人 lists her (by 编号 or by a name only she has):
    paired, no C303; listed by two volunteers: not guessed, C303 names both."""
    by_id = tier_a(2, volunteer=None)
    by_name = tier_a(3, volunteer=None, name="王秀英")
    twice = tier_a(4, volunteer=None)
    alone = tier_a(5, volunteer=None)
    v2 = volunteer(2, residents=("LR-002", "王秀英", "LR-004"))
    v3 = volunteer(3, residents=("LR-004",))
    ctx = make_context(by_id, by_name, twice, alone, v2, v3)
    assert ctx.care.paired_volunteer(by_id) is v2 and ctx.care.paired_volunteer(by_name) is v2
    assert ctx.care.paired_volunteer(twice) is None
    assert ctx.care.paired_residents(v2) == [by_id, by_name]
    found = list(elderly.not_paired(ctx))
    assert [f.record for f in found] == ["LR-004", "LR-005"]
    assert "结对老人" not in found[1].message.zh
    assert "志愿者2（ZY-002）、志愿者3（ZY-003）" in found[0].message.zh
    assert "无法确定" in found[0].message.zh and "ZY-002, ZY-003" in found[0].message.en
    assert run(references.broken_references, by_id, by_name, twice, alone, v2, v3) == []


def test_roster_pairing_never_on_a_guess():
    """A roster entry naming a name two residents share, or nobody: no pairing, D110 on the
    roster row (key 结对老人) — the same as an unknown 结对志愿者 on the elderly side."""
    one, two = tier_a(2, volunteer=None, name="张三"), tier_a(3, volunteer=None, name="张三")
    v = volunteer(2, residents=("张三", "LR-099"))
    ctx = make_context(one, two, v)
    assert ctx.care.paired_volunteer(one) is None and ctx.care.paired_volunteer(two) is None
    assert [f.record for f in elderly.not_paired(ctx)] == ["LR-002", "LR-003"]
    found = list(references.broken_references(ctx))
    assert [(f.code, f.kind, f.row, f.header) for f in found] == [
        ("D110", "volunteers", 2, "结对老人"), ("D110", "volunteers", 2, "结对老人")]
    assert "“张三”在老年人台账中有2位（LR-002（松和苑）、LR-003（松和苑））" in found[0].message.zh
    assert "“LR-099”在老年人台账中找不到" in found[1].message.zh


def test_pairing_written_on_both_sides_that_disagree():
    """The elderly ledger (the spec's column) wins; one D112 names the residents and rows."""
    r = tier_a(2, volunteer="ZY-003", name="李梅")
    agrees = tier_a(3, volunteer="ZY-002")
    v2 = volunteer(2, residents=("LR-002", "LR-003"))
    v3 = volunteer(3)
    ctx = make_context(r, agrees, v2, v3)
    assert ctx.care.paired_volunteer(r) is v3 and ctx.care.paired_residents(v2) == [agrees]
    [f] = list(references.pairing_differs(ctx))
    assert (f.code, f.severity, f.kind, f.row, f.header) == ("D112", "info", "volunteers", 2, "结对老人")
    assert "已按老年人台账" in f.message.zh
    assert "李梅（LR-002）老年人台账为志愿者3（ZY-003），名册第2行志愿者2（ZY-002）也列了这位老人" in f.message.zh
    assert list(references.pairing_differs(make_context(agrees, v2, v3))) == []


def test_c304_paired_volunteer_not_active():
    r = tier_a()
    [f] = run(elderly.paired_inactive, r, volunteer(active=False))
    assert "志愿者2（ZY-002）" in f.message.zh
    assert run(elderly.paired_inactive, r, volunteer(active=True)) == []
    assert run(elderly.paired_inactive, r, volunteer(active=None)) == []
    assert run(elderly.paired_inactive, r, volunteer(invalid={"active": "请假"})) == []


# ------------------------------------------------------------------ C305 / C306
def test_c305_high_reading_without_recheck_after_seven_days():
    r = elder()
    high = visit(2, ago(7), blood_pressure=(150, 85), service=("巡访", "量血压"))
    [f] = run(elderly.bp_not_rechecked, r, high)
    assert (f.kind, f.row, f.record, f.column) == ("visits", 2, "LR-002", "G")
    assert "150/85（偏高）" in f.message.zh
    # within the 7 days: not yet
    assert run(elderly.bp_not_rechecked, r, visit(2, ago(6), blood_pressure=(150, 85))) == []
    # rechecked (a 量血压 visit without a reading is a recheck)
    recheck = visit(3, ago(2), service=("量血压",))
    assert run(elderly.bp_not_rechecked, r, high, recheck) == []
    # a recheck after the 7 days is too late
    late = visit(3, ago(6), blood_pressure=None, service=("量血压",))
    high10 = visit(2, ago(14), blood_pressure=(150, 85))
    assert len(run(elderly.bp_not_rechecked, r, high10, late)) == 1


def test_c305_low_reading_and_thresholds():
    r = elder()
    assert len(run(elderly.bp_not_rechecked, r, visit(2, ago(9), blood_pressure=(89, 70)))) == 1
    assert len(run(elderly.bp_not_rechecked, r, visit(2, ago(9), blood_pressure=(120, 59)))) == 1
    assert run(elderly.bp_not_rechecked, r, visit(2, ago(9), blood_pressure=(139, 89))) == []
    assert run(elderly.bp_not_rechecked, r, visit(2, ago(9), blood_pressure=(90, 60))) == []


def test_c305_latest_reading_decides_and_parse_failures_are_not_readings():
    r = elder()
    old_high = visit(2, ago(20), blood_pressure=(160, 95))
    normal = visit(3, ago(10), blood_pressure=(125, 80))
    bad = visit(4, ago(9), invalid={"blood_pressure": "160/"})
    assert run(elderly.bp_not_rechecked, r, old_high, normal, bad) == []
    # an unreadable value never counts as a reading, nor as a recheck
    bad2 = visit(3, ago(18), invalid={"blood_pressure": "偏高"}, service=("巡访",))
    assert len(run(elderly.bp_not_rechecked, r, old_high, bad2)) == 1


def test_c306_critical_is_urgent():
    r = elder(family_doctor="李医生")
    [f] = run(elderly.bp_critical, r, visit(2, ago(6), blood_pressure=(182, 100)))
    assert f.urgent and f.severity == "error" and "182/100" in f.message.zh
    assert "李医生" in f.fix.zh
    assert len(run(elderly.bp_critical, r, visit(2, ago(1), blood_pressure=(150, 110)))) == 1
    assert run(elderly.bp_critical, r, visit(2, ago(1), blood_pressure=(179, 109))) == []
    assert run(elderly.bp_critical, r, visit(2, ago(1), invalid={"blood_pressure": "190/"})) == []
    assert run(elderly.bp_critical, r, visit(2, D + timedelta(days=1), blood_pressure=(190, 120))) == []


def test_c306_one_finding_per_resident_latest_reading():
    r = elder()
    found = run(elderly.bp_critical, r, visit(2, ago(5), blood_pressure=(185, 100)),
                visit(3, ago(2), blood_pressure=(190, 100)))
    assert [f.row for f in found] == [3]
    assert "190/100" in found[0].message.zh


def test_c306_never_lapses_with_time_and_is_never_downgraded_to_c305():
    """rules.md C306: however old, it stays urgent until a recheck or 已送医 is recorded."""
    r = elder()
    old = visit(2, ago(60), blood_pressure=(186, 112))
    [f] = run(elderly.bp_critical, r, old)
    assert f.urgent and f.code == "C306"
    assert run(elderly.bp_not_rechecked, r, old) == []          # not a 偏高 warning
    # a later reading below both critical values closes it (then C305 may take over)
    recheck = visit(3, ago(30), blood_pressure=(160, 95))
    assert run(elderly.bp_critical, r, old, recheck) == []
    assert [f.code for f in run(elderly.bp_not_rechecked, r, old, recheck)] == ["C305"]
    # so does 已送医, on the reading's own row or on a later day
    assert run(elderly.bp_critical, r, visit(2, ago(60), blood_pressure=(186, 112),
                                              outcome="已送医")) == []
    assert run(elderly.bp_critical, r, old, visit(3, ago(59), outcome="已送医")) == []
    # 已送医 before the reading does not
    assert len(run(elderly.bp_critical, r, visit(3, ago(61), outcome="已送医"), old)) == 1
    # nor does a later reading still critical on one side
    assert len(run(elderly.bp_critical, r, old, visit(3, ago(30), blood_pressure=(150, 110)))) == 1
    # gone residents are not reported
    assert run(elderly.bp_critical, elder(status="去世"), old) == []


def test_c305_age_adjusted_threshold():
    """From 高龄年龄 (80) on, age on the reading's date, 偏高 starts at 150 systolic."""
    reading = lambda bp: visit(2, ago(9), blood_pressure=bp)
    old = elder(birth=date(1940, 1, 1))                     # 86
    assert run(elderly.bp_not_rechecked, old, reading((145, 85))) == []
    assert len(run(elderly.bp_not_rechecked, old, reading((150, 85)))) == 1
    assert len(run(elderly.bp_not_rechecked, old, reading((140, 90)))) == 1   # diastolic unchanged
    young = elder(birth=date(1950, 1, 1))                   # 76
    assert len(run(elderly.bp_not_rechecked, young, reading((145, 85)))) == 1
    unknown = elder()                                       # no age: 140/90
    assert len(run(elderly.bp_not_rechecked, unknown, reading((145, 85)))) == 1
    # the age on the reading's day counts: 80th birthday after the reading -> 140
    turning = elder(birth=ago(9) + timedelta(days=1) - timedelta(days=365 * 80 + 20))
    assert len(run(elderly.bp_not_rechecked, turning, reading((145, 85)))) == 1
    # settings decide
    from toolkit.settings import Settings, Thresholds
    strict = Settings(thresholds=Thresholds(bp_high_sys_old=140))
    assert len(run(elderly.bp_not_rechecked, old, reading((145, 85)), settings=strict)) == 1


# ------------------------------------------------------------------ C307
def test_c307_lives_alone_urgent_at_once():
    r = tier_a()
    [f] = run(elderly.unanswered, r, visit(2, ago(3)), visit(3, D, outcome="敲门无应答"))
    assert f.urgent and f.row == 3 and f.record == "LR-002"
    assert "13912345678" in f.fix.zh


def test_c307_not_alone_urgent_from_the_next_day():
    r = elder()
    [today] = run(elderly.unanswered, r, visit(2, D, outcome="敲门无应答"))
    assert not today.urgent and today.severity == "error"
    [later] = run(elderly.unanswered, r, visit(2, ago(1), outcome="敲门无应答"))
    assert later.urgent


def test_c307_seen_since_or_same_day_clears_it():
    r = tier_a()
    assert run(elderly.unanswered, r, visit(2, ago(3), outcome="敲门无应答"), visit(3, ago(1))) == []
    assert run(elderly.unanswered, r, visit(5, ago(1)), visit(4, ago(1), outcome="敲门无应答")) == []
    assert run(elderly.unanswered, tier_a(status="住院"), visit(2, ago(1), outcome="敲门无应答")) == []


def test_c307_an_unlisted_outcome_saying_no_answer_stays_urgent():
    """敲门无应答（电话也未接） / 敲门无人应答 are outside the list (D109): the urgent C307 of a
    resident living alone lapsed, and the safety check with it. A word that says nothing about
    an answer (情况不明, 住院) still gives no C307."""
    for raw in ("敲门无应答（电话也未接）", "敲门无人应答", "无应答，电话未接", "家中无人 ", "未见到本人",
                "敲门不应"):
        [f] = run(elderly.unanswered, tier_a(), visit(2, ago(3)), visit(3, ago(1), outcome=raw))
        assert f.urgent and f.row == 3 and f.record == "LR-002", raw
    for raw in ("情况不明", "住院", "电话联系"):
        assert run(elderly.unanswered, tier_a(), visit(2, ago(3)),
                   visit(3, ago(1), outcome=raw)) == [], raw


def test_c307_not_for_an_unlisted_outcome_saying_she_was_reached_after_all():
    """敲门无应答后电话联系上了 contains the no-answer word but says the resident was reached:
    it gave a false urgent C307 (and a safety-check work order). A negated 未联系上 still counts."""
    for raw in ("邻居说老人不在家，敲门无应答后电话联系上了", "敲门无人应答，回电已接通", "无人应答，电话联系到本人"):
        assert run(elderly.unanswered, tier_a(), visit(2, ago(3)),
                   visit(3, ago(1), outcome=raw)) == [], raw
    for raw in ("敲门无应答，电话未联系上", "敲门无人应答，电话未接通", "敲门无应答，没有联系上家属"):
        [f] = run(elderly.unanswered, tier_a(), visit(2, ago(3)), visit(3, ago(1), outcome=raw))
        assert f.urgent, raw


def test_an_unlisted_outcome_is_not_a_visit_that_saw_the_resident():
    """The reader keeps a word outside the list (D109) as written, not as a failed cell: 敲门没人
    counted as a visit that saw her, so the A-tier resident's overdue C301 (docs/care.md: an
    unreadable outcome does not count) was silenced."""
    [f] = run(elderly.visit_overdue, tier_a(), visit(2, ago(10)), visit(3, ago(2), outcome="敲门没人"))
    assert f.code == "C301" and ago(10).isoformat() in f.message.zh


# ------------------------------------------------------------------ C308
def test_c308_service_need_without_service_in_30_days():
    r = elder(needs=("巡访", "助餐", "代配药", "量血压"))
    visits = [visit(2, ago(29), service=("助餐",)), visit(3, ago(30), service=("代配药",)),
              visit(4, ago(3), blood_pressure=(130, 80))]
    found = run(elderly.service_missing, r, *visits)
    assert [(f.code, f.value) for f in found] == [("C308", "代配药")]
    assert ago(30).isoformat() in found[0].message.zh


def test_c308_a_need_served_only_ahead_is_not_never_served():
    """A service booked after the as-of date does not count, but the message no longer says
    “从未有记录” about a resident whose 助餐 is booked (as V404 for volunteers)."""
    r = elder(needs=("助餐",))
    [f] = run(elderly.service_missing, r, visit(2, AS_OF + timedelta(days=3), service=("助餐",)))
    assert "只有" in f.message.zh and "从未有记录" not in f.message.zh
    assert (AS_OF + timedelta(days=3)).isoformat() in f.message.zh
    [never] = run(elderly.service_missing, elder(needs=("助餐",)))
    assert "从未有记录" in never.message.zh


def test_c308_unanswered_service_is_not_a_service_and_gone_not_due():
    r = elder(needs=("助洁",))
    assert len(run(elderly.service_missing, r, visit(2, ago(2), service=("助洁",),
                                                    outcome="敲门无应答"))) == 1
    assert run(elderly.service_missing, elder(needs=("助洁",), status="去世")) == []


# ------------------------------------------------------------------ C309
def test_c309_recent_visit_to_gone_resident():
    r = elder(status="去世")
    found = run(elderly.visit_after_gone, r, visit(2, ago(29)), visit(3, ago(30)), visit(4, ago(90)))
    assert [(f.kind, f.row, f.record) for f in found] == [("visits", 2, "LR-002")]
    assert run(elderly.visit_after_gone, elder(status="在册"), visit(2, ago(1))) == []


# ------------------------------------------------------------------ C310
def test_c310_alone_without_emergency_contact():
    a = elder(2, lives_alone=True, emergency_contact="女儿", emergency_phone=None)
    b = elder(3, lives_alone=True, emergency_contact="女儿", emergency_phone="13912345678")
    c = elder(4, lives_alone=False)
    d = elder(5, lives_alone=True, emergency_contact="女儿", invalid={"emergency_phone": "1391234"})
    found = run(elderly.alone_without_contact, a, b, c, d)
    assert [(f.record, f.header) for f in found] == [("LR-002", "紧急联系电话")]


# ------------------------------------------------------------------ C311
def test_c311_flagged_visit_without_later_visit():
    r = elder()
    flagged = visit(2, ago(10), follow_up=True, issue="腿脚不便")
    [f] = run(elderly.follow_up_missing, r, flagged)
    assert f.row == 2 and "腿脚不便" in f.message.zh
    assert run(elderly.follow_up_missing, r, flagged, visit(3, ago(4))) == []
    assert len(run(elderly.follow_up_missing, r, flagged, visit(3, ago(4), outcome="敲门无应答"))) == 1
    assert run(elderly.follow_up_missing, r, visit(2, ago(10), follow_up=False)) == []


# ------------------------------------------------------------------ D110
def test_d110_unknown_and_ambiguous_residents():
    a, b = elder(2, name="王芳"), elder(3, name="王芳", estate="咏泽苑")
    unknown = visit(2, ago(1), resident="LR-999")
    ambiguous = visit(3, ago(1), resident=None, elderly_name="王芳")
    by_name = visit(4, ago(1), resident=None, elderly_name="老人9")
    c = elder(9)
    found = run(references.broken_references, a, b, c, volunteer(), unknown, ambiguous, by_name)
    assert [(f.code, f.row, f.header) for f in found] == [
        ("D110", 2, "老人编号"), ("D110", 3, "老人姓名")]
    assert "2位同名老人" in found[1].message.zh


def test_d110_bad_id_matched_by_name_and_name_differs():
    r = elder(2, name="张三")
    bad_id = visit(2, ago(1), resident="LR-99", elderly_name="张三")
    differs = visit(3, ago(1), resident="LR-002", elderly_name="李四")
    found = run(references.broken_references, r, volunteer(), bad_id, differs)
    assert [f.row for f in found] == [2, 3]
    assert "LR-002" in found[0].fix.zh


def test_d110_no_bad_id_when_the_named_resident_has_no_id():
    # the 编号 column is missing from the elderly ledger (F004 says so): a visit's 老人编号
    # cannot be proven wrong, and "correct the id to None" would be a wrong instruction
    r = elder(2, name="张三", id=None)
    by_name = visit(2, ago(1), resident="LR-012", elderly_name="张三")
    assert run(references.broken_references, r, volunteer(), by_name) == []
    assert make_context(r, by_name).care.resident_for_visit(by_name) is r
    twin = elder(5, name="张三", id=None, estate="咏泽苑")
    found = run(references.broken_references, r, twin, volunteer(), by_name)
    assert "第2行（松和苑）、第5行（咏泽苑）" in found[0].message.zh    # rows, not "None"


def test_d110_unknown_volunteers_and_pairing():
    r = elder(2, volunteer="张老师")
    v = visit(2, ago(1), volunteer="ZY-404")
    ok = visit(3, ago(1), volunteer="志愿者2")
    found = run(references.broken_references, r, volunteer(), v, ok)
    assert [(f.kind, f.row) for f in found] == [("visits", 2), ("elderly", 2)]


def test_d110_ambiguous_volunteer_name():
    r = elder(2, volunteer="陈刚")
    found = run(references.broken_references, r, volunteer(2, name="陈刚"), volunteer(3, name="陈刚"))
    assert len(found) == 1 and "2位同名" in found[0].message.zh


# ------------------------------------------------------------------ D108
def test_d108_same_id_number_or_name_and_address():
    a = elder(2, name="张三", id_number="310117194105120023")
    b = elder(3, name="张叁", id_number="310117194105120023", address="9号")
    c = elder(4, name="李四", address="1号")
    d = elder(5, name="李四", address="1号")
    e = elder(6, name="李四", address="1号", estate="咏泽苑")   # other estate: not the same
    found = run(references.probable_duplicates, a, b, c, d, e)
    assert [(f.record, f.header) for f in found] == [("LR-003", "身份证号"), ("LR-005", "姓名")]
    assert "LR-002" in found[0].message.zh


def test_d108_volunteers_same_name_and_phone_and_same_id_left_to_d107():
    v1 = volunteer(2, name="李红", phone="13800000001")
    v2 = volunteer(3, name="李红", phone="13800000001")
    v3 = volunteer(4, name="李红", phone="13800000009")
    same_id = volunteer(5, id="ZY-002", name="李红", phone="13800000001")
    found = run(references.probable_duplicates, v1, v2, v3, same_id)
    assert [f.record for f in found] == ["ZY-003"]


def conflict(row, day, own, pair, **values):
    """A visit row whose 血压 cell (``own``) and 高压 | 低压 cells (``pair``) give two different
    readings: as the reader leaves it (D111 bp_conflict, the value unknown, both kept)."""
    v = visit(row, day, invalid={"blood_pressure": f"{own[0]}/{own[1]}"}, **values)
    v.alternatives = {"blood_pressure": (own, pair)}
    return v


@pytest.mark.parametrize("own, pair", [((130, 80), (186, 112)), ((186, 112), (130, 80))])
def test_c306_a_row_with_two_readings_one_critical_is_urgent(own, pair):
    """130/80 in 血压 beside 186/112 in 高压 | 低压: the value is unknown (D111), but the urgent
    C306 used to lapse with it; now it is the critical reading's, naming both."""
    r = elder(family_doctor="李医生")
    [f] = run(elderly.bp_critical, r, conflict(2, ago(3), own, pair))
    assert (f.code, f.urgent, f.kind, f.row, f.record) == ("C306", True, "visits", 2, "LR-002")
    first, second = (f"{a}/{b}" for a, b in (own, pair))
    assert f"同一行写了 {first} 和 {second} 两个血压读数，按危急的 186/112 处理，请马上复测并核对台账" \
        in f.message.zh
    assert "186/112" in f.message.en and "李医生" in f.fix.zh and "只保留实际测得的读数" in f.fix.zh
    assert run(elderly.bp_not_rechecked, r, conflict(2, ago(9), own, pair)) == []  # C306 holds it


def test_c306_a_row_whose_cell_names_two_readings_beside_a_third():
    """血压 左150/90 右140/85 beside 高压 | 低压 186/112 (the reader keeps all three distinct
    readings): the critical one is C306, naming them all (before: the rule took exactly two
    and could not name a third)."""
    v = visit(2, ago(3), invalid={"blood_pressure": "左150/90 右140/85"})
    v.alternatives = {"blood_pressure": ((150, 90), (140, 85), (186, 112))}
    [f] = run(elderly.bp_critical, elder(), v)
    assert (f.code, f.urgent, f.row) == ("C306", True, 2)
    assert "同一行写了 150/90、140/85 和 186/112 三个血压读数" in f.message.zh
    assert "按危急的 186/112 处理" in f.message.zh
    assert "gives three blood pressures" in f.message.en


def test_a_row_with_two_readings_none_critical_or_abnormal_stays_unknown():
    r = elder()
    for pair in ((128, 78), (300, 80), (139, 89)):          # normal, implausible, normal
        rows = [conflict(2, ago(9), (130, 80), pair)]
        assert run(elderly.bp_critical, r, *rows) == []
        assert run(elderly.bp_not_rechecked, r, *rows) == []
    # implausible beside critical: the critical one counts
    [f] = run(elderly.bp_critical, r, conflict(2, ago(1), (300, 90), (186, 112)))
    assert "同一行写了 300/90 和 186/112 两个血压读数" in f.message.zh


def test_a_row_with_two_readings_clears_no_earlier_danger():
    """The higher-risk reading wins for the danger only: a row's normal (or merely high)
    reading is never taken as the recheck that closes an earlier 危急 or 偏高."""
    r = elder()
    critical = visit(2, ago(10), blood_pressure=(186, 112))
    for pair in ((128, 78), (150, 95)):
        later = conflict(3, ago(2), (130, 80), pair, service=("巡访",))
        [f] = run(elderly.bp_critical, r, critical, later)
        assert f.row == 2
        assert "186/112" in f.message.zh and "同一行" not in f.message.zh
        assert run(elderly.bp_not_rechecked, r, critical, later) == []
    high = visit(2, ago(20), blood_pressure=(150, 95))
    normal = conflict(3, ago(16), (130, 80), (128, 78), service=("巡访",))
    [f] = run(elderly.bp_not_rechecked, r, high, normal)
    assert f.row == 2 and "150/95（偏高）" in f.message.zh


def test_a_row_with_a_critical_reading_is_closed_like_a_critical_reading():
    """A later plausible reading below both (or 已送医) closes it, as it closes any 危急."""
    r = elder()
    rows = [conflict(2, ago(10), (130, 80), (186, 112)), visit(3, ago(2), blood_pressure=(135, 85))]
    assert run(elderly.bp_critical, r, *rows) == []
    assert run(elderly.bp_not_rechecked, r, *rows) == []
    sent = conflict(2, ago(10), (130, 80), (186, 112), outcome="已送医")
    assert run(elderly.bp_critical, r, sent) == []
    # later critical beside an earlier one: one finding, on the latest
    found = run(elderly.bp_critical, r, visit(2, ago(10), blood_pressure=(182, 100)),
                conflict(3, ago(2), (130, 80), (186, 112)))
    assert [(f.row, "同一行" in f.message.zh) for f in found] == [(3, True)]


def test_c305_a_row_with_two_readings_one_high_is_that_reading():
    r = elder()
    [f] = run(elderly.bp_not_rechecked, r, conflict(2, ago(9), (130, 80), (152, 96)))
    assert (f.code, f.row) == ("C305", 2)
    assert "同一行写了 130/80 和 152/96 两个血压读数，按偏高的 152/96 处理" in f.message.zh
    assert "7天内没有复查血压的记录" in f.message.zh and "152/96" in f.message.en
    [f] = run(elderly.bp_not_rechecked, r, conflict(2, ago(9), (85, 55), (120, 80)))
    assert "按偏低的 85/55 处理" in f.message.zh
    assert run(elderly.bp_not_rechecked, r, conflict(2, ago(6), (130, 80), (152, 96))) == []
    assert run(elderly.bp_not_rechecked, r, conflict(2, ago(9), (130, 80), (152, 96)),
               visit(3, ago(5), service=("量血压",))) == []
    assert run(elderly.bp_critical, r, conflict(2, ago(9), (130, 80), (152, 96))) == []


def test_implausible_reading_is_not_a_reading():
    """300/80 is D111's (a typo), never an urgent C306 nor a C305."""
    r = elder()
    assert run(elderly.bp_critical, r, visit(2, ago(1), blood_pressure=(300, 80))) == []
    assert run(elderly.bp_not_rechecked, r, visit(2, ago(10), blood_pressure=(80, 90))) == []
    assert len(run(elderly.bp_critical, r, visit(2, ago(1), blood_pressure=(260, 100)))) == 1


def test_visit_by_name_only_counts_and_ambiguous_name_does_not():
    r = tier_a(2, name="周妙英")
    by_name = visit(2, ago(3), resident=None, elderly_name="周妙英")
    assert run(elderly.never_visited, r, by_name) == []
    twin = tier_a(3, name="周妙英", estate="咏泽苑")
    found = run(elderly.never_visited, r, twin, by_name)
    assert [f.record for f in found] == ["LR-002", "LR-003"]


def test_a_name_with_a_nickname_is_the_resident():
    """胡引娣（胡阿姨） without 编号 matched nobody: D110 and her urgent C306 lapsed; with the
    编号 it gave a D110 '姓名写的是胡引娣（胡阿姨）' on every such row."""
    r = tier_a(2, name="胡引娣")
    for written in ("胡引娣（胡阿姨）", "胡引娣(胡阿姨)", "胡引娣 胡阿姨"):
        no_id = visit(3, ago(2), resident=None, elderly_name=written, blood_pressure=(186, 112))
        assert make_context(r, no_id).care.resident_for_visit(no_id) is r, written
        [f] = run(elderly.bp_critical, r, no_id)
        assert f.urgent and f.record == "LR-002"
        with_id = visit(3, ago(2), elderly_name=written)
        assert run(references.broken_references, r, volunteer(), with_id, no_id) == [], written
    other = visit(3, ago(2), elderly_name="张阿姨（胡引娣邻居）")     # another name: still D110
    assert len(run(references.broken_references, r, volunteer(), other)) == 1
    assert len(run(references.broken_references, r, volunteer(),
                   visit(4, ago(2), resident=None, elderly_name="胡阿姨"))) == 1


def test_a_visit_log_without_a_visitor_column_calls_no_volunteer_idle(tmp_path):
    """A visit log whose visitor column is missing (F004) made every active volunteer 'idle
    for 60 days, no record in the visit log' (25 V404 on the sample); and 走访人员 / 是否需跟进,
    plain spellings of 走访人 / 是否需要跟进, were not read at all."""
    import csv
    from helpers import make_workspace
    from toolkit.pipeline import check
    root = make_workspace(tmp_path / "ws")
    log = root / "巡访记录.csv"
    rows = list(csv.reader(log.open(encoding="gbk", newline="")))
    assert rows[0][3] == "走访人" and rows[0][9] == "是否跟进"
    rows[0][9] = "是否需跟进"
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for name in (root.iterdir()):
        if name.name != log.name:
            (renamed / name.name).write_bytes(name.read_bytes())
    with (renamed / log.name).open("w", encoding="gbk", newline="") as f:
        csv.writer(f).writerows([r[:3] + ["走访人员"] + r[4:] if i == 0 else r
                                 for i, r in enumerate(rows)])
    result = check([renamed], as_of=AS_OF)
    codes = Counter(f.code for f in result.findings)
    assert codes["V404"] == 1 and codes["C311"] == 1 and "F004" not in codes
    with log.open("w", encoding="gbk", newline="") as f:
        csv.writer(f).writerows([r[:3] + r[4:] for r in rows])       # no visitor column
    result = check([root], as_of=AS_OF)
    codes = Counter(f.code for f in result.findings)
    assert codes["F004"] == 1 and codes["V404"] == 0 and codes["C307"] == 1


def test_huge_address_does_not_make_a_huge_message():
    from helpers import make_context, make_record
    from toolkit.check import run_rules
    resident = make_record("elderly", 5, id="LR-1", name="张秀英", estate="松和苑",
                           address="幢" * 300_000, lives_alone=True, age=85)
    findings = run_rules(make_context(resident))
    assert findings and all(len(f.message.zh) < 400 for f in findings)


def test_sample_lr005_is_still_urgent_a_week_later():
    """Issue #14: LR-005's 186/112 (2026-11-20) with nothing recorded since stays urgent."""
    from pathlib import Path
    from toolkit import pipeline
    sample = Path(__file__).resolve().parent.parent / "samples" / "xinze"
    for as_of in (date(2026, 11, 23), date(2026, 11, 30), date(2027, 1, 4)):
        found = [f for f in pipeline.check([sample], as_of=as_of).findings if f.record == "LR-005"
                 and f.code in ("C305", "C306")]
        assert [(f.code, f.urgent) for f in found] == [("C306", True)], as_of


# ------------------------------------------------------------------ a row whose 编号 repeats
def copy_of(record, row, **changes):
    """``record`` pasted again on ``row`` (another file or sheet with ``changes``)."""
    values = {k: v for k, v in record.values.items() if v is not None}
    copy = make_record(record.kind, row, sheet=changes.pop("sheet", record.sheet), **values)
    for key, value in changes.items():
        setattr(copy, key, value)
    return copy


def test_a_pasted_twice_resident_is_one_person_for_the_rules():
    """The copy's D107 is its finding; it is never 'never visited' nor served, and its
    pairing is not counted twice (the first row is the person, docs/care.md)."""
    from toolkit.check import data, volunteers
    a = tier_a(2, needs=("助餐",))
    twice = copy_of(a, 40)
    records = [a, twice, volunteer(), visit(2, ago(2), service=("巡访", "助餐"))]
    assert [f.row for f in data.duplicate_id(make_context(*records))] == [40]
    assert run(elderly.never_visited, *records) == []
    assert run(elderly.service_missing, *records) == []
    assert run(elderly.visit_overdue, *records) == []
    paired = [elder(i) for i in range(3, 7)]            # 4 + LR-002 = the cap of 5
    assert run(volunteers.over_capacity, *records, *paired) == []


def test_a_copy_file_or_backup_sheet_sorting_first_keeps_one_row_per_person():
    """A 副本 file beside the roster (natural order puts it first): one finding per
    resident, on the copy's row, never one on each file."""
    a = tier_a(2)
    copy = copy_of(a, 2, file="老年人台账 - 副本.xlsx")
    found = run(elderly.never_visited, a, copy)
    assert [(f.file, f.row) for f in found] == [("老年人台账 - 副本.xlsx", 2)]


def test_an_id_reused_for_another_person_keeps_both_checked():
    """Same 编号, another 姓名: two people (D107 asks for a new 编号); both stay checked."""
    a, b = tier_a(2), tier_a(3, id="LR-002", name="另一位")
    found = run(elderly.never_visited, a, b)
    assert [f.row for f in found] == [2, 3]


def test_a_visit_naming_the_second_holder_of_a_reused_id_counts_for_that_person():
    """Same 编号 given to two people: a visit writing the 编号 and the second one's 姓名 is her
    visit — not 'never visited' for her, not a visit of the first holder (whose own last
    visit is overdue), and no D110 telling the clerk it was counted for the first."""
    a, b = tier_a(2), tier_a(3, id="LR-002", name="另一位")
    records = [a, b, volunteer(), visit(2, ago(2), elderly_name="另一位"),
               visit(3, ago(20), elderly_name="老人2")]
    assert run(elderly.never_visited, *records) == []
    [overdue] = run(elderly.visit_overdue, *records)
    assert (overdue.row, overdue.params["last"]) == (2, ago(20))
    assert [f for f in run(references.broken_references, *records) if f.kind == "visits"] == []
    # a name that is neither holder's is still counted for the first, with D110 to check it
    other = visit(4, ago(1), elderly_name="王五")
    [d110] = [f for f in run(references.broken_references, a, b, volunteer(), other)
              if f.kind == "visits"]
    assert "王五" in d110.message.zh and "按编号计入老人2" in d110.message.zh


# ------------------------------------------------------------------ staff log their own visits
def test_a_visit_logged_by_duty_staff_counts_for_the_resident_not_for_a_volunteer():
    """A safety check assigned to the 值班人员 and logged with her as 巡访人: no D110, the
    visit counts (C301/C302/C307), and no volunteer is credited with it (V404)."""
    from toolkit.check import volunteers as vrules
    from toolkit.settings import DutyStaff, Settings
    settings = Settings(duty=(DutyStaff("施晓红"),), council_recorder="李主任")
    a = tier_a(2)
    staff = visit(2, ago(1), volunteer="施晓红")
    recorder = visit(3, ago(2), volunteer="李 主任")
    records = [a, volunteer(), staff, recorder]
    assert run(references.broken_references, *records, settings=settings) == []
    assert run(elderly.never_visited, *records, settings=settings) == []
    assert run(elderly.visit_overdue, *records, settings=settings) == []
    assert [f.record for f in run(vrules.idle, *records, settings=settings)] == ["ZY-002"]
    # without the settings naming her, she is an unknown volunteer (D110) as before
    assert [f.row for f in run(references.broken_references, *records)] == [2, 3]


# ------------------------------------------------------------------ a ledger file not read
def _unreadable(ctx, file, sheet=None):
    """``ctx`` as after reading a folder where ``file`` (or its ``sheet``) could not be read."""
    from toolkit.model import finding
    ctx.workspace.findings.append(finding("F001", file=file, sheet=sheet,
                                          variant="sheet_unparsable" if sheet else "not_workbook",
                                          params={"file": file, "sheet": sheet, "detail": "x"}))
    return ctx


def test_an_unreadable_visit_log_withholds_the_rules_that_need_its_records():
    """巡访记录.xlsx not read: nobody is 'never visited' (C302), no need 'unserved' (C308), no
    volunteer idle (V404); the F001 says which checks were not done."""
    from toolkit.check import explain_unread, run_rules
    from toolkit.check import volunteers as vrules
    records = [tier_a(2, needs=("助餐",)), volunteer()]
    assert run(elderly.never_visited, *records) != []            # as when no file is missing
    ctx = _unreadable(make_context(*records), "巡访记录.xlsx")
    found = run_rules(ctx)
    assert not {f.code for f in found} & {"C301", "C302", "C308", "V404"}
    assert list(vrules.idle(ctx))                                 # the rule itself is unchanged
    [f001] = explain_unread(ctx, ctx.workspace.findings)
    assert "它可能是巡访记录" in f001.message.zh and "C302" in f001.message.zh
    assert "C302" in f001.message.en and f001.params["withheld_codes"][1] == "C302"


def test_an_unreadable_roster_withholds_d110_on_the_visits_not_the_other_rules():
    from toolkit.check import run_rules
    visits = [visit(2, ago(1), resident="LR-404")]
    ctx = _unreadable(make_context(tier_a(2), volunteer(), *visits), "老人花名册.xlsx")
    found = run_rules(ctx)
    assert "D110" not in {f.code for f in found} and "C302" in {f.code for f in found}
    ctx = _unreadable(make_context(tier_a(2), volunteer(), *visits), "志愿者名册.xls")
    assert [f.code for f in run_rules(ctx) if f.code == "D110"] == ["D110"]   # the resident's


def test_the_ledger_of_an_unreadable_file_is_guessed_or_left_unknown():
    from toolkit.domain.unread import guess_kind
    from toolkit.model import Source, Workspace
    ws = Workspace(root=".", sources=[Source("诉求台账.xlsx", "松和苑", "requests", 2, 5)]
                   + [Source(f"{k}.xlsx", "S", k, 1, 1) for k in
                      ("elderly", "volunteers", "meetings", "services", "rooms")])
    assert guess_kind("老人巡访记录11月.xlsx", None, ws) == "visits"      # the log word wins
    assert guess_kind("走访.xls", None, ws) == "visits"
    assert guess_kind("诉求台账.xlsx", "咏泽苑", ws) == "requests"        # sheet of a read file
    assert guess_kind("新建 XLSX 工作表.xlsx", None, ws) == "visits"    # the one nothing was read of
    ws.sources.append(Source("x.xlsx", "S", "visits", 1, 1))
    assert guess_kind("新建 XLSX 工作表.xlsx", None, ws) is None        # cannot tell: rules run


def test_a_visit_log_that_is_a_csv_named_xlsx_makes_no_never_visited_nor_visit_orders(tmp_path):
    """The sample with its visit log saved as text under an .xlsx name (F001): the 44 'never
    visited' and their work orders of the old behaviour are withheld; the F001 says so."""
    from helpers import make_workspace
    from toolkit.pipeline import check, plan
    root = make_workspace(tmp_path / "ws")
    log = root / "巡访记录.csv"
    (root / "巡访记录.xlsx").write_bytes(log.read_bytes())
    log.unlink()
    result = check([root], as_of=AS_OF)
    codes = {f.code for f in result.findings}
    assert not codes & {"C301", "C302", "C308", "V404"} and "C303" in codes
    [f001] = [f for f in result.findings if f.code == "F001"]
    assert "这次没有做" in f001.message.zh and f001.file == "巡访记录.xlsx"
    assert not [fu for fu in plan(result) if {"C301", "C302", "C308"} & set(fu.codes)]


def test_no_visit_log_at_all_is_one_finding_not_a_never_visited_per_resident(tmp_path):
    """The sample without its visit log (left in another folder): 44 A/B residents were each
    'never visited' with a work order. Now one C302 says no visit log was read and which
    checks were not done; no visit work orders; the visit indicators are not reported."""
    from helpers import make_workspace
    from toolkit.pipeline import check, plan
    from toolkit.report.indicators import as_map, compute_indicators, period_bounds
    root = make_workspace(tmp_path / "ws")
    (root / "巡访记录.csv").unlink()
    result = check([root], as_of=AS_OF)
    codes = [f.code for f in result.findings]
    assert not {"C301", "C305", "C307", "C308", "C311", "V404"} & set(codes)
    [c302] = [f for f in result.findings if f.code == "C302"]
    assert c302.record is None and c302.kind == "visits"
    assert "没有读到巡访记录" in c302.message.zh and "44位" in c302.message.zh
    assert "shequ template visits" in c302.fix.zh and "No visit log" in c302.message.en
    assert not [fu for fu in plan(result) if {"C301", "C302", "C308"} & set(fu.codes)]
    assert "C303" in codes                                    # the pairing checks still run
    start, end, _ = period_bounds(AS_OF, "month")
    got = as_map(compute_indicators(result.context, result.findings, period_start=start,
                                    period_end=end))
    assert got["CARE_HOME_VISITS"].value is None and got["CARE_ONTIME_RATE"].numerator is None
    assert got["CARE_REGISTERED"].value == 78


def test_a_visit_log_present_gives_no_no_log_finding(tmp_path):
    from helpers import make_workspace
    from toolkit.pipeline import check
    result = check([make_workspace(tmp_path / "ws")], as_of=AS_OF)
    assert not [f for f in result.findings if f.params.get("ledger_missing")]
    assert result.context.unread.absent == frozenset()


# ------------------------------------------------------------------ status words outside the list
UNKNOWN_STATUS = ["健在", "正常", "在册中", "在住"]


@pytest.mark.parametrize("word", UNKNOWN_STATUS)
def test_an_unknown_status_word_stays_on_register(word):
    """Only a listed status takes a resident out of care (ledgers.md: empty = 在册); a word
    the tool does not know is D109 and the resident is still due: someone must check."""
    r = tier_a(status=word)
    assert make_context(r).care.on_register(r)
    assert [f.code for f in run(elderly.visit_overdue, r, visit(2, ago(8)))] == ["C301"]
    assert [f.code for f in run(elderly.never_visited, r)] == ["C302"]
    [f] = run(elderly.unanswered, r, visit(2, ago(1), outcome="敲门无应答"))
    assert f.code == "C307" and f.urgent
    assert [f.code for f in run(elderly.service_missing, elder(needs=("助餐",), status=word))] \
        == ["C308"]
    [d109] = [f for f in run(data.not_in_list, r) if f.header == "状态"]
    assert (d109.code, d109.value) == ("D109", word)


def test_listed_statuses_still_take_a_resident_out():
    for word in ("住院", "外出", "入住机构", "迁出", "去世"):
        r = tier_a(status=word)
        assert not make_context(r).care.on_register(r), word
        assert run(elderly.unanswered, r, visit(2, ago(1), outcome="敲门无应答")) == []


def test_unknown_status_words_in_the_sample_keep_every_care_finding(tmp_path):
    """samples/xinze with 在册状态 = 健在 on seven residents: seven more D109, no care
    finding lost (before: C307 for LR-007, C301 LR-003, C302 LR-016, C308 LR-014 and the V405
    of 惠泽苑 disappeared)."""
    def findings(root):
        return [(f.code, f.record) for f in api.check([root], as_of=AS_OF).findings]
    base = findings(make_workspace(tmp_path / "a"))
    root = make_workspace(tmp_path / "b")
    wb = openpyxl.load_workbook(root / "老年人台账.xlsx")
    ids = {"LR-003", "LR-005", "LR-006", "LR-007", "LR-014", "LR-016", "LR-021"}
    for row in wb["花名册"].iter_rows(min_row=5):
        if row[1].value in ids:
            assert wb["花名册"].cell(3, row[18].column).value == "在册状态"
            row[18].value = "健在"
    wb.save(root / "老年人台账.xlsx")
    changed = findings(root)
    assert Counter(f for f in changed if f[0] != "D109") == Counter(f for f in base if f[0] != "D109")
    assert sum(c == "D109" for c, _ in changed) == sum(c == "D109" for c, _ in base) + 7
    assert ("C307", "LR-007") in changed


# ------------------------------------------------------------------ several visitors in one cell
def test_two_volunteers_in_one_cell_are_no_d110_and_the_visit_counts_for_each():
    """曹玲、李静 visiting together: each is a volunteer, so no D110, and the visit is each one's
    (V401 weekly counts, V404 idle)."""
    from toolkit.check import volunteers as vrules
    cao, li = volunteer(4, name="曹玲"), volunteer(24, name="李静")
    records = [elder(2), volunteer(), cao, li]
    for written in ("曹玲、李静", "曹玲，李静", "曹玲,李静", "曹玲/李静", "曹玲；李静", "曹玲 李静",
                    "ZY-004、ZY-024", "曹玲、ZY-024"):
        together = visit(2, ago(3), volunteer=written)
        assert run(references.broken_references, *records, together) == [], written
        ctx = make_context(*records, together)
        assert [len(ctx.care.visits_by(v)) for v in (cao, li)] == [1, 1], written
        assert {f.record for f in vrules.idle(ctx)} == {"ZY-002"}, written
    # each one's weekly count: 3 visits together this week are 3 for each (cap 2 → V401 twice)
    week = [visit(i, D + timedelta(days=i - 2), volunteer="曹玲、李静") for i in range(2, 5)]
    capped = [volunteer(4, name="曹玲", capacity=2), volunteer(24, name="李静", capacity=2)]
    found = run(vrules.over_capacity, elder(2), *capped, *week)
    assert sorted(f.record for f in found) == ["ZY-004", "ZY-024"]


def test_a_visitor_cell_with_a_staff_member_and_a_volunteer():
    from toolkit.settings import DutyStaff, Settings
    settings = Settings(duty=(DutyStaff("施晓红"),))
    cao = volunteer(4, name="曹玲")
    together = visit(2, ago(3), volunteer="施晓红、曹玲")
    assert run(references.broken_references, elder(2), volunteer(), cao, together,
               settings=settings) == []
    ctx = make_context(elder(2), volunteer(), cao, together, settings=settings)
    assert len(ctx.care.visits_by(cao)) == 1


def test_only_the_unknown_part_of_a_visitor_cell_is_named():
    cao = volunteer(4, name="曹玲")
    together = visit(2, ago(3), volunteer="曹玲、王五")
    [f] = run(references.broken_references, elder(2), volunteer(), cao, together)
    assert f.code == "D110" and f.value == "曹玲、王五"
    assert "“王五”在志愿者名册中找不到" in f.message.zh and "“曹玲”" not in f.message.zh
    assert "'王五' is not in the volunteer roster" in f.message.en and "王五" in f.fix.zh
    ctx = make_context(elder(2), volunteer(), cao, together)
    assert len(ctx.care.visits_by(cao)) == 1             # 曹玲 did visit
    # a part with two volunteers of that name is named with them
    twins = [volunteer(5, name="陈刚"), volunteer(6, name="陈刚")]
    [f] = run(references.broken_references, elder(2), volunteer(), cao, *twins,
              visit(2, ago(3), volunteer="曹玲、陈刚"))
    assert "“陈刚”在志愿者名册中有2位同名" in f.message.zh and "ZY-005" in f.message.zh


def test_a_cell_matching_nobody_in_any_part_is_named_whole_as_before():
    [f] = run(references.broken_references, elder(2), volunteer(), visit(2, ago(3), volunteer="王五、赵六"))
    assert f.message.zh == "巡访记录的志愿者“王五、赵六”在志愿者名册中找不到"
    [f] = run(references.broken_references, elder(2), volunteer(), visit(2, ago(3), volunteer="ZY-404"))
    assert f.message.zh == "巡访记录的志愿者“ZY-404”在志愿者名册中找不到"


def test_c302_says_visits_naming_only_a_shared_name_were_not_attributed():
    """李玉兰 (LR-055) shares her name with another resident; visits naming only 李玉兰 get a
    D110 each and count for nobody. Her C302 said "没有一次有效上门巡访" and asked for a first
    visit although the log has visits in her name: it now says how many rows name her without
    an 编号, where (the D110 rows), and the fix asks to confirm whose they are first."""
    r = tier_a(2, name="李玉兰")
    twin = elder(3, name="李玉兰", estate="咏泽苑")
    rows = [visit(n, ago(d), resident=None, elderly_name="李玉兰") for n, d in ((41, 20), (190, 10), (272, 5))]
    [f] = run(elderly.never_visited, r, twin, *rows)
    assert f.record == "LR-002" and f.code == "C302" and f.severity == "error"
    assert "有3条巡访记录只写了姓名“李玉兰”" in f.message.zh
    assert "第41、190、272行的D110" in f.message.zh
    assert "核对" in f.fix.zh and "填上老人编号LR-002" in f.fix.zh
    assert "3 visit row(s) name only '李玉兰'" in f.message.en and "41, 190, 272" in f.message.en
    # a no-answer visit in her own 编号 as well: both are said
    tried = visit(5, ago(2), outcome="敲门无应答")
    [f] = run(elderly.never_visited, r, twin, tried, *rows)
    assert "有3条巡访记录只写了姓名" in f.message.zh and "另有1条记录是敲门无应答" in f.message.zh
    # a visit after the as-of date is no visit yet, and the namesake's own rows are not hers
    ahead = visit(6, D + timedelta(days=2), resident=None, elderly_name="李玉兰")
    [f] = run(elderly.never_visited, r, twin, ahead)
    assert "只写了姓名" not in f.message.zh
    # with an 编号 (or the sheet naming her 小区) they are hers: no C302 at all
    assert run(elderly.never_visited, r, twin,
               visit(7, ago(3), resident=None, elderly_name="李玉兰", estate="松和苑")) == []


def test_c301_says_later_visits_naming_only_a_shared_name_were_not_attributed():
    """A tier A resident last visited 10 days ago (by 编号) and visited twice since under a name
    she shares with another resident (D110 ambiguous): C301 still fires (they count for nobody)
    but says so, where, and the fix asks to confirm whose they are first."""
    r = tier_a(2, name="李玉兰")
    twin = elder(3, name="李玉兰", estate="咏泽苑")
    own = visit(4, ago(10))
    rows = [visit(n, ago(d), resident=None, elderly_name="李玉兰") for n, d in ((41, 5), (190, 2))]
    [f] = run(elderly.visit_overdue, r, twin, own, *rows)
    assert (f.code, f.record, f.severity) == ("C301", "LR-002", "error")
    assert "已超期" in f.message.zh and "另有2条有效巡访只写了姓名“李玉兰”" in f.message.zh
    assert "第41、190行的D110" in f.message.zh and "填上老人编号LR-002" in f.fix.zh
    assert "2 later visit row(s) name only '李玉兰'" in f.message.en
    # before her last counted visit, or not a visit that counts (敲门无应答): not said
    old = visit(41, ago(20), resident=None, elderly_name="李玉兰")
    no_answer = visit(190, ago(2), resident=None, elderly_name="李玉兰", outcome="敲门无应答")
    [f] = run(elderly.visit_overdue, r, twin, own, old, no_answer)
    assert "只写了姓名" not in f.message.zh and "核对" not in f.fix.zh


def test_c308_says_visits_naming_only_a_shared_name_carry_the_service():
    """量血压 needed, and the only readings are on visits naming a name she shares with another
    resident: C308 said "从未有记录". It still fires, but says those rows carry it."""
    r = elder(2, name="李玉兰", needs=("量血压",))
    twin = elder(3, name="李玉兰", estate="咏泽苑")
    bp = visit(41, ago(5), resident=None, elderly_name="李玉兰", blood_pressure=(130, 80))
    [f] = run(elderly.service_missing, r, twin, bp)
    assert (f.code, f.record, f.value) == ("C308", "LR-002", "量血压")
    assert "从未有记录" not in f.message.zh
    assert "另有1条记有“量血压”的巡访只写了姓名“李玉兰”" in f.message.zh and "第41行的D110" in f.message.zh
    assert "核对" in f.fix.zh and "填上老人编号LR-002" in f.fix.zh
    # an older record of her own: "最近一次是…" and the later unattributed row
    own = visit(4, ago(60), blood_pressure=(128, 82))
    [f] = run(elderly.service_missing, r, twin, own, bp)
    assert f"最近一次是{ago(60)}" in f.message.zh and "另有1条" in f.message.zh
    # a row without a reading is no 量血压: the old message
    plain = visit(41, ago(5), resident=None, elderly_name="李玉兰")
    [f] = run(elderly.service_missing, r, twin, plain)
    assert "从未有记录" in f.message.zh and "只写了姓名" not in f.message.zh


def test_visit_advice_names_the_paired_volunteer_only_when_she_can_be_sent():
    """C301/C302/C311 said "安排结对志愿者X" while the work order could never send X (X does not
    serve the resident's 小区, cannot 巡访, or her 离岗日期 cannot be read) and went to another
    volunteer. The advice now names the 小区's volunteers and why not X, as the order does."""
    r = tier_a()
    late = visit(2, ago(8))
    ok = volunteer()
    [f] = run(elderly.visit_overdue, r, ok, late)
    assert f.fix.zh.startswith("安排结对志愿者志愿者2（ZY-002）")
    for paired, why in ((volunteer(estates=("咏泽苑",)), "不服务松和苑"),
                        (volunteer(skills=("助餐",)), "不会巡访")):
        [f] = run(elderly.visit_overdue, r, paired, late)
        assert f.fix.zh.startswith(f"安排松和苑的在岗志愿者（结对志愿者志愿者2（ZY-002）{why}）"), f.fix.zh
        [f] = run(elderly.never_visited, r, paired)
        assert "结对志愿者志愿者2（ZY-002）" + why in f.fix.zh


def test_c309_quotes_the_status_as_written():
    r = elder(status="已故")
    r.values["status"] = "去世"                      # 已故 is read as 去世 (a synonym)
    [f] = run(elderly.visit_after_gone, r, visit(2, ago(3)))
    assert "在老年人台账中为“已故”" in f.message.zh and "已故" in f.message.en


def test_an_urgent_finding_from_a_row_naming_another_resident_says_so():
    """The 编号 LR-002 with the name of another resident (老人3) on the row of a critical
    reading or an unanswered knock: the visit counts for LR-002 (by 编号, D110), but the danger
    may be 老人3's — C306/C307 say so, and the work order asks to confirm first."""
    from toolkit.assign import plan_followups
    from toolkit.report.instructions import instruction
    r, other = tier_a(2), elder(3)
    bp = visit(4, ago(2), elderly_name="老人3", blood_pressure=(186, 112))
    [f] = run(elderly.bp_critical, r, other, bp)
    assert "姓名写的是“老人3”" in f.message.zh and "请先核实是哪一位" in f.message.zh
    assert "'老人3'" in f.message.en
    knock = visit(5, ago(1), elderly_name="老人3", outcome="敲门无应答")
    [f] = run(elderly.unanswered, r, other, knock)
    assert "姓名写的是“老人3”" in f.message.zh
    ctx = make_context(r, other, volunteer(), bp)
    from toolkit.check import run_rules
    [fu] = [fu for fu in plan_followups(ctx, run_rules(ctx)) if "C306" in fu.codes]
    assert instruction(fu, r, ctx.settings).startswith("出发前请先核实：巡访记录第4行写的老人编号是LR-002，姓名却是“老人3”")
    # the name that fits its 编号: nothing added
    [f] = run(elderly.bp_critical, r, other, visit(6, ago(2), elderly_name="老人2", blood_pressure=(186, 112)))
    assert "核实" not in f.message.zh


# ------------------------------------------------------------------ half a reading (190/)
def half(row, day, sys_=None, dia=None, **values):
    """A visit row giving one number of a reading (高压 190, 低压 empty): as the reader leaves
    it (D111 bp_no_diastolic / bp_no_systolic, the value unknown, the known number kept)."""
    shown = f"{sys_ if sys_ is not None else ''}/{dia if dia is not None else ''}"
    v = visit(row, day, invalid={"blood_pressure": shown}, **values)
    v.alternatives = {"blood_pressure": ((sys_, dia),)}
    return v


def test_c306_half_a_reading_at_a_critical_level_is_urgent():
    """高压 190 with 低压 empty used to be D111 only: the urgent C306 lapsed. A systolic ≥ 180
    (or a diastolic ≥ 110) alone already meets C306."""
    r = elder(family_doctor="李医生")
    [f] = run(elderly.bp_critical, r, half(2, date(2026, 11, 20), 190))
    assert (f.code, f.urgent, f.kind, f.row, f.record) == ("C306", True, "visits", 2, "LR-002")
    assert ("2026-11-20的巡访记录只写了高压 190（低压没有写或无法识别），高压已达危急值，"
            "按危急处理，请马上复测并补全台账") in f.message.zh
    assert "only the systolic 190" in f.message.en
    assert "李医生" in f.fix.zh and "补全那一行缺的读数" in f.fix.zh
    [f] = run(elderly.bp_critical, r, half(2, ago(3), dia=112))
    assert "只写了低压 112（高压没有写或无法识别），低压已达危急值" in f.message.zh
    # at the threshold exactly; the settings' thresholds, not fixed numbers
    assert len(run(elderly.bp_critical, r, half(2, ago(3), 180))) == 1
    assert len(run(elderly.bp_critical, r, half(2, ago(3), dia=110))) == 1
    from toolkit.settings import Settings, Thresholds
    raised = Settings(thresholds=Thresholds(bp_critical_sys=200, bp_critical_dia=120))
    assert run(elderly.bp_critical, r, half(2, ago(3), 190), settings=raised) == []
    assert run(elderly.bp_critical, r, half(2, ago(3), dia=115), settings=raised) == []
    assert len(run(elderly.bp_critical, r, half(2, ago(3), 200), settings=raised)) == 1


@pytest.mark.parametrize("sys_, dia", [(179, None), (None, 109), (150, None), (None, 60),
                                       (19, None), (1900, None), (None, 1100), (None, 11)])
def test_half_a_reading_below_critical_or_implausible_is_no_finding(sys_, dia):
    """Below its threshold: D111 only, no C306 and no C305 (half a reading says nothing
    reliable about 偏高/偏低); out of D111's range (高压 19 or 1900): a typo, not a danger."""
    r = elder()
    rows = [half(2, ago(9), sys_, dia)]
    assert run(elderly.bp_critical, r, *rows) == []
    assert run(elderly.bp_not_rechecked, r, *rows) == []


def test_half_a_reading_clears_no_earlier_danger_and_is_closed_like_any_critical():
    r = elder()
    critical = visit(2, ago(10), blood_pressure=(186, 112))
    [f] = run(elderly.bp_critical, r, critical, half(3, ago(2), 150))
    assert f.row == 2 and "186/112" in f.message.zh and "只写了" not in f.message.zh
    # a later full reading below both closes it, as it closes any C306; 已送医 too
    assert run(elderly.bp_critical, r, half(2, ago(10), 190),
               visit(3, ago(2), blood_pressure=(135, 85))) == []
    assert run(elderly.bp_critical, r, half(2, ago(10), 190, outcome="已送医")) == []
    assert run(elderly.bp_critical, r, half(2, ago(10), 190),
               visit(3, ago(9), outcome="已送医")) == []
    # a later half below the threshold closes nothing: still the 190
    [f] = run(elderly.bp_critical, r, half(2, ago(10), 190), half(3, ago(2), 150))
    assert f.row == 2 and "只写了高压 190" in f.message.zh
    # a critical half after an earlier critical reading: one finding, on the latest
    found = run(elderly.bp_critical, r, critical, half(3, ago(2), dia=115))
    assert [(f.row, "只写了低压 115" in f.message.zh) for f in found] == [(3, True)]
    # C306 holds it: no C305 for an earlier 偏高 reading while the half 190 is open
    assert run(elderly.bp_not_rechecked, r, visit(2, ago(20), blood_pressure=(150, 95)),
               half(3, ago(19), 190)) == []


# ------------------------------------- a reading beside half of another (血压 cell and pair)
@pytest.mark.parametrize("own, pair, part, value", [
    ((130, 80), (186, None), "高压", 186), ((130, 80), (None, 115), "低压", 115),
    ((186, None), (150, 95), "高压", 186), ((190, None), (150, None), "高压", 190)])
def test_c306_a_critical_half_beside_another_reading_is_urgent_naming_both(own, pair, part, value):
    """血压 130/80 beside 高压 186 | 低压 empty used to be read 130/80 silently (the 186 lost);
    now D111 bp_conflict keeps both, and the 危急 half is the urgent C306, naming both."""
    r = elder(family_doctor="李医生")
    [f] = run(elderly.bp_critical, r, conflict(2, ago(3), own, pair))
    assert (f.code, f.urgent, f.row) == ("C306", True, 2)
    show = lambda bp: f"{bp[0] or ''}/{bp[1] or ''}"       # noqa: E731
    assert (f"同一行写了 {show(own)} 和 {show(pair)}，其中{part} {value} 已达危急值，按危急处理"
            in f.message.zh)
    assert "None" not in f.message.zh + f.message.en
    assert "只保留实际测得的读数" in f.fix.zh
    assert run(elderly.bp_not_rechecked, r, conflict(2, ago(9), own, pair)) == []  # C306 holds it


def test_a_half_beside_another_reading_counts_for_c306_only_and_clears_nothing():
    r = elder()
    # a 偏高 full reading beside a half: C305 for the full one (naming both), never the half
    [f] = run(elderly.bp_not_rechecked, r, conflict(2, ago(9), (150, 95), (120, None)))
    assert "写了 150/95 和 120/ 两个血压读数，按偏高的 150/95 处理" in f.message.zh
    # a 偏高/偏低-looking half beside a normal reading: nothing (a half is never C305)
    for pair in ((150, None), (None, 95), (None, 50)):
        rows = [conflict(2, ago(9), (130, 80), pair)]
        assert run(elderly.bp_not_rechecked, r, *rows) == []
        assert run(elderly.bp_critical, r, *rows) == []
    # such a row closes no earlier 危急 (its normal 130/80 is no recheck)
    [f] = run(elderly.bp_critical, r, visit(2, ago(10), blood_pressure=(186, 112)),
              conflict(3, ago(2), (130, 80), (150, None)))
    assert f.row == 2 and "186/112" in f.message.zh
