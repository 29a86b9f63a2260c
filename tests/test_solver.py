"""assign / plan_followups: hard constraints, preferences, priorities, requests, nothing dropped."""
from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from helpers import AS_OF, make_context, make_record
from toolkit import schema
from toolkit.assign import assign, make_followups, plan_followups
from toolkit.model import finding
from toolkit.settings import Category, DutyStaff, Settings
from toolkit.text import Text

MON, TUE, WED, THU, FRI = (AS_OF + timedelta(days=k) for k in range(5))
SAT = AS_OF + timedelta(days=5)


def res(i: int, **kw):
    values = dict(id=f"LR-{i:03d}", name=f"老人{i}", estate="松和苑", address=f"{i}号101室",
                  lives_alone=False)
    values.update(kw)
    return make_record("elderly", 2 + i, **values)


def vol(i: int, **kw):
    values = dict(id=f"ZY-{i:03d}", name=f"志愿者{i}", phone="13800000000", estates=("松和苑",),
                  skills=("巡访", "量血压"))
    values.update(kw)
    return make_record("volunteers", 2 + i, **values)


_rows = iter(range(100, 10**6))


def visit(who, by, day: date, **kw):
    values = dict(date=day, elderly_id=who.id, volunteer=by.id, service=("巡访",), outcome="正常")
    values.update(kw)
    return make_record("visits", next(_rows), **values)


def req(i: int, **kw):
    values = dict(id=f"SQ-{i:03d}", received=date(2026, 11, 2), source="来电", estate="松和苑",
                  content="路灯不亮")
    values.update(kw)
    return make_record("requests", 2 + i, **values)


def msg():
    return Text("说明", "details")


def plan(records, findings, settings=None, as_of=AS_OF):
    ctx = make_context(*records, settings=settings, as_of=as_of)
    return {f.target + "/" + f.type: f for f in plan_followups(ctx, findings)}, ctx


def only(records, findings, **kw):
    fus, _ = plan(records, findings, **kw)
    assert len(fus) == 1
    return next(iter(fus.values()))


# ------------------------------------------------------------------------ hard constraints
def test_inactive_volunteer_is_never_assigned():
    r = res(1)
    fu = only([r, vol(1, active=False)], [finding("C301", msg(), record=r)])
    assert fu.assignee is None and fu.unassigned_reason.zh == "松和苑没有在岗志愿者（服务小区含松和苑或“全部”）"
    fu = only([r, vol(1, active=False), vol(2)], [finding("C301", msg(), record=r)])
    assert fu.assignee == "ZY-002"


def test_volunteer_must_cover_the_estate():
    r = res(1, estate="惠泽苑")
    fu = only([r, vol(1, estates=("松和苑",))], [finding("C301", msg(), record=r)])
    assert fu.assignee is None and "惠泽苑没有在岗志愿者" in fu.unassigned_reason.zh
    fu = only([r, vol(1, estates=("松和苑",)), vol(2, estates=(schema.ALL_ESTATES,))],
              [finding("C301", msg(), record=r)])
    assert fu.assignee == "ZY-002"


def test_bp_recheck_needs_the_skill_or_the_family_doctor_team():
    r = res(1, estate="惠泽苑")
    c305 = finding("C305", msg(), record=r)
    fu = only([r, vol(1, estates=("惠泽苑",), skills=("巡访",))], [c305])
    assert fu.assignee is None
    assert fu.unassigned_reason.zh.startswith("惠泽苑没有会量血压的在岗志愿者")
    fu = only([r, vol(1, estates=("惠泽苑",), skills=("巡访",)),
               vol(2, estates=("惠泽苑",), skills=("助医",), team=schema.TEAM_DOCTOR)], [c305])
    assert fu.assignee == "ZY-002"


@pytest.mark.parametrize("team", ["家庭医生", "家庭医生团队成员", "社区家庭医生"])
def test_bp_recheck_goes_to_the_doctors_whatever_their_team_is_called(team):
    """A 所属队伍 written 家庭医生 (not 家庭医生团队) is the doctors' team all the same."""
    r = res(1, estate="惠泽苑")
    c305 = finding("C305", msg(), record=r)
    fu = only([r, vol(1, estates=("惠泽苑",), skills=("巡访",)),
               vol(2, estates=("惠泽苑",), skills=("助医",), team=team)], [c305])
    assert fu.assignee == "ZY-002"


def test_service_needs_that_skill():
    r = res(1, needs=("助餐",))
    c308 = finding("C308", msg(), record=r, value="助餐")
    fu = only([r, vol(1), vol(2, skills=("巡访", "助餐"))], [c308])
    assert (fu.type, fu.skill, fu.assignee) == ("service", "助餐", "ZY-002")
    fu = only([r, vol(1)], [c308])
    assert fu.assignee is None and fu.unassigned_reason.zh == "松和苑没有会助餐的在岗志愿者"


def test_volunteer_must_be_available_on_the_planned_day():
    r = res(1)
    tuesday_only = vol(1, availability=frozenset({1}))
    urgent = only([r, tuesday_only], [finding("C306", msg(), record=r)])      # today = Monday
    assert urgent.assignee is None and "服务时间" in urgent.unassigned_reason.zh
    normal = only([r, tuesday_only], [finding("C301", msg(), record=r)])
    assert (normal.assignee, normal.planned) == ("ZY-001", TUE)


def test_weekend_and_holidays_follow_the_calendar():
    r = res(1)
    fu = only([r, vol(1)], [finding("C301", msg(), record=r)], as_of=SAT)   # due Tue Dec 1
    assert fu.planned == date(2026, 11, 30)          # Monday: empty 可服务时间 = working days
    weekend = only([r, vol(1, availability=frozenset({5, 6}))], [finding("C301", msg(), record=r)],
                   as_of=SAT)
    assert weekend.planned == SAT


def test_capacity_counts_visits_already_logged_this_week():
    r, other = res(1), res(2)
    v = vol(1, capacity=2)
    this_week = [visit(other, v, AS_OF), visit(other, v, AS_OF)]      # Monday, logged already
    fu = only([r, other, v, *this_week], [finding("C301", msg(), record=r)])
    assert fu.assignee is None
    assert fu.unassigned_reason.zh == "松和苑会巡访的在岗志愿者本周都已排满（上限2次）"
    last_week = [visit(other, v, AS_OF - timedelta(days=3)), visit(other, v, AS_OF - timedelta(days=4))]
    fu = only([r, other, v, *last_week], [finding("C301", msg(), record=r)])
    assert fu.assignee == "ZY-001"


def test_capacity_is_per_week_across_days_and_work_is_spread():
    rs = [res(i, needs=("助餐",)) for i in range(1, 6)]
    v = vol(1, capacity=3, skills=("助餐",))
    fus, _ = plan([*rs, v], [finding("C308", msg(), record=r, value="助餐") for r in rs])
    assigned = [f for f in fus.values() if f.assignee]
    assert len(assigned) == 3 and len(fus) == 5
    assert len({f.planned for f in assigned}) == 3                    # not all on Monday
    assert all(MON <= f.planned <= f.due for f in assigned)
    assert all("排满" in f.unassigned_reason.zh for f in fus.values() if not f.assignee)


def test_spread_over_the_days_up_to_due():
    rs = [res(i, needs=("助餐",)) for i in range(1, 5)]
    v = vol(1, skills=("助餐",), capacity=5)
    fus, _ = plan([*rs, v], [finding("C308", msg(), record=r, value="助餐") for r in rs])
    days = sorted(f.planned for f in fus.values())
    assert days == [MON, TUE, WED, THU]                               # due Friday, one a day
    assert all(f.planned <= f.due == FRI for f in fus.values())


def test_planned_never_after_due():
    rs = [res(i) for i in range(1, 4)]
    fus, _ = plan([*rs, vol(1)], [finding("C301", msg(), record=r) for r in rs])
    assert sorted(f.planned for f in fus.values()) == [MON, TUE, WED]   # due Wednesday


# ------------------------------------------------------------------------ preferences
def test_paired_volunteer_first_even_when_busier():
    r, other = res(1, volunteer="ZY-002"), res(2)
    busy, idle = vol(2, capacity=5), vol(1, capacity=5)
    logged = [visit(other, busy, AS_OF) for _ in range(3)]
    fu = only([r, other, idle, busy, *logged], [finding("C301", msg(), record=r)])
    assert fu.assignee == "ZY-002"


def test_paired_on_the_roster_side_goes_first_too():
    """结对志愿者 empty, the roster's 结对老人 lists the resident: that volunteer goes, as if the
    elderly ledger named her; listed by two, neither is guessed and the order says why."""
    r, other = res(1), res(2)
    busy, idle = vol(2, capacity=5, residents=("LR-001",)), vol(1, capacity=5)
    logged = [visit(other, busy, AS_OF) for _ in range(3)]
    fu = only([r, other, idle, busy, *logged], [finding("C301", msg(), record=r)])
    assert (fu.assignee, fu.instead) == ("ZY-002", None)
    first, second = vol(1, residents=("老人1",)), vol(2, residents=("LR-001",))
    fu = only([r, first, second], [finding("C301", msg(), record=r)])
    assert fu.assignee in ("ZY-001", "ZY-002")
    assert "2位志愿者（ZY-001、ZY-002）的结对老人都列了这位老人" in fu.instead.zh


def test_continuity_last_visitor_next():
    r, other = res(1), res(2)
    a, b = vol(1), vol(2)
    history = [visit(r, b, AS_OF - timedelta(days=40)), visit(other, b, AS_OF)]   # b is busier
    fu = only([r, other, a, b, *history], [finding("C301", msg(), record=r)])
    assert fu.assignee == "ZY-002"


def test_least_loaded_among_equals():
    r, other = res(1), res(2)
    a, b = vol(1), vol(2)
    logged = [visit(other, a, AS_OF), visit(other, a, TUE)]
    fu = only([r, other, a, b, *logged], [finding("C301", msg(), record=r)])
    assert fu.assignee == "ZY-002"


def test_work_is_balanced_between_equal_volunteers():
    rs = [res(i) for i in range(1, 7)]
    fus, _ = plan([*rs, vol(1), vol(2)], [finding("C301", msg(), record=r) for r in rs])
    counts = sorted(sum(1 for f in fus.values() if f.assignee == v) for v in ("ZY-001", "ZY-002"))
    assert counts == [3, 3]


# ------------------------------------------------------------------------ priorities
def test_urgent_before_normal_when_capacity_is_short():
    a, b = res(1), res(2)
    v = vol(1, capacity=1)
    fus, _ = plan([a, b, v], [finding("C301", msg(), record=a), finding("C306", msg(), record=b)])
    assert fus["LR-002/bp_recheck"].assignee == "ZY-001"
    assert fus["LR-002/bp_recheck"].planned == MON
    assert fus["LR-001/visit"].assignee is None


def test_high_before_normal():
    a, b = res(1), res(2)
    v = vol(1, capacity=1)
    fus, _ = plan([a, b, v], [finding("C301", msg(), record=a), finding("C302", msg(), record=b)])
    assert fus["LR-002/visit"].priority == "high" and fus["LR-002/visit"].assignee == "ZY-001"
    assert fus["LR-001/visit"].assignee is None


def test_solver_does_not_strand_an_urgent_followup_that_greedy_would():
    """U1 (松和苑) and U2 (咏泽苑) urgent; X covers both and is U1's paired volunteer, Y covers
    only 松和苑; capacity 1 each. Greedy (U1 first, to its best volunteer X) leaves U2 with
    nobody. The flow gives U1 to Y and U2 to X."""
    u1 = res(1, estate="松和苑", volunteer="ZY-001")
    u2 = res(2, estate="咏泽苑")
    x = vol(1, estates=("松和苑", "咏泽苑"), capacity=1)
    y = vol(2, estates=("松和苑",), capacity=1)
    findings = [finding("C306", msg(), record=u1), finding("C306", msg(), record=u2)]
    ctx = make_context(u1, u2, x, y)
    fus = make_followups(ctx, findings)
    assert [f.target for f in fus] == ["LR-001", "LR-002"]           # U1 comes first
    # what a greedy pass would do: U1 to its preferred (paired) volunteer X …
    assert ctx.care.paired_volunteer(u1) is x
    # … leaving U2 (咏泽苑) only X, who is then full. The solver assigns both:
    out = {f.target: f.assignee for f in assign(ctx, fus)}
    assert out == {"LR-001": "ZY-002", "LR-002": "ZY-001"}


def test_lower_levels_never_take_capacity_from_higher_ones():
    # normal follow-ups for X's paired residents must not push the high one out
    high = res(1, estate="咏泽苑")
    normals = [res(i, volunteer="ZY-001") for i in range(2, 5)]
    x = vol(1, estates=("松和苑", "咏泽苑"), capacity=2)
    y = vol(2, capacity=1)
    fus, _ = plan([high, *normals, x, y], [finding("C302", msg(), record=high)]
                  + [finding("C301", msg(), record=r) for r in normals])
    assert fus["LR-001/visit"].assignee == "ZY-001"
    assert sum(1 for f in fus.values() if f.assignee) == 3           # 2 + 1: capacity used fully


# ------------------------------------------------------------------------ safety checks
def test_safety_check_goes_to_the_paired_volunteer_today_with_staff():
    r = res(1, volunteer="ZY-002", lives_alone=True)
    duty = Settings(duty=(DutyStaff("张主任", "021-57651234", frozenset({0})),))
    fu = only([r, vol(1, team=schema.TEAM_BUILDING_LEADER), vol(2, skills=("助餐",))],
              [finding("C307", msg(), record=r)], settings=duty)
    assert (fu.type, fu.priority, fu.assignee, fu.planned) == ("safety_check", "urgent", "ZY-002", MON)
    assert "张主任" in fu.note.zh


def test_safety_check_otherwise_the_estates_building_leader():
    r = res(1, estate="咏泽苑")
    leader_elsewhere = vol(1, team=schema.TEAM_BUILDING_LEADER, estates=("松和苑",))
    leader = vol(2, team=schema.TEAM_BUILDING_LEADER, estates=("咏泽苑",), skills=("助洁",))
    plain = vol(3, estates=("咏泽苑",))
    fu = only([r, leader_elsewhere, leader, plain], [finding("C307", msg(), record=r)])
    assert fu.assignee == "ZY-002"


def test_safety_check_without_volunteers_goes_to_staff_on_duty():
    r = res(1)
    duty = Settings(duty=(DutyStaff("李干事", "", frozenset({2})), DutyStaff("张主任", "", frozenset({0}))))
    fu = only([r, vol(1)], [finding("C307", msg(), record=r)], settings=duty)
    assert (fu.assignee, fu.planned, fu.unassigned_reason) == ("张主任", MON, None)
    fu = only([r, vol(1)], [finding("C307", msg(), record=r)])      # no duty roster
    assert fu.assignee is None and "值班人员表为空" in fu.unassigned_reason.zh


def test_urgent_bp_recheck_nobody_can_take_goes_to_staff_on_duty():
    """No volunteer roster at all (or nobody who can take a blood pressure): a C306 critical
    reading was left in 未能派单 although a 值班人员 was on duty that day. It now goes to the
    staff on duty today, the note saying why no volunteer; with nobody on duty it stays
    unassigned and says so. A normal (C305) recheck still waits for a volunteer."""
    from toolkit.report.instructions import instruction
    r = res(1, volunteer="ZY-008", family_doctor="王医生", emergency_contact="胡志刚（儿子）",
            emergency_phone="15313075017")
    duty = Settings(duty=(DutyStaff("李干事", "", frozenset({2})),
                          DutyStaff("施晓红", "13916203318", frozenset({0}))))
    fu = only([r], [finding("C306", msg(), record=r)], settings=duty)          # no roster
    assert (fu.assignee, fu.planned, fu.unassigned_reason) == ("施晓红", MON, None)
    assert "没有读到志愿者名册" in fu.note.zh and "值班人员" in fu.note.zh
    assert fu.instead is None                       # the note says why, once
    text = instruction(fu, r, duty)
    assert text.startswith("请您今天联系家庭医生王医生上门为老人1（LR-001）复查血压") and "120" in text
    assert "胡志刚" in text
    # volunteers, but none who can take a blood pressure: the same
    fu = only([r, vol(1, skills=("巡访",))], [finding("C306", msg(), record=r)], settings=duty)
    assert fu.assignee == "施晓红" and "没有会量血压的在岗志愿者" in fu.note.zh
    # nobody on duty today (Monday): unassigned, and the reason says it
    tuesday = Settings(duty=(DutyStaff("李干事", "", frozenset({1})),))
    fu = only([r], [finding("C306", msg(), record=r)], settings=tuesday)
    assert fu.assignee is None and "今天也没有值班人员" in fu.unassigned_reason.zh
    # not urgent: no staff
    fu = only([r], [finding("C305", msg(), record=r)], settings=duty)
    assert fu.assignee is None and fu.unassigned_reason.zh.startswith("没有读到志愿者名册")


def test_safety_check_without_a_roster_says_so():
    """No roster: the safety check went to the 值班人员 saying the paired volunteer 'ZY-004 is not
    in the volunteer roster' — there was no roster to look in."""
    from toolkit.report.instructions import instruction
    r = res(1, volunteer="ZY-004", lives_alone=True)
    duty = Settings(duty=(DutyStaff("施晓红", "", frozenset({0})),))
    fu = only([r], [finding("C307", msg(), record=r)], settings=duty)
    assert fu.assignee == "施晓红"
    text = instruction(fu, r, duty)
    assert "没有读到志愿者名册" in text and "找不到" not in text


# ------------------------------------------------------------------------ requests
def _routing():
    return Settings(categories=(Category("环境卫生", "物业保洁主管"), Category("晾晒", "")),
                    duty=(DutyStaff("王姐", "", frozenset({1, 3})), DutyStaff("小陈", "", frozenset({1}))))


def test_request_assign_goes_to_the_categorys_follower():
    """rules.md: 诉求分派 → the category's 跟进人 (a 居委 staff member), never the 默认责任人."""
    routing = _routing()
    routing = Settings(categories=(Category("环境卫生", "物业保洁主管", 15, "陆佳怡"),),
                       duty=routing.duty)
    q = req(1, category="环境卫生", classified=date(2026, 11, 3))
    fu = only([q], [finding("R202", msg(), record=q)], settings=routing)
    assert (fu.type, fu.assignee, fu.planned) == ("request_assign", "陆佳怡", MON)


def test_request_assign_without_follower_goes_to_staff_on_duty():
    empty_owner = req(1, category="晾晒", classified=date(2026, 11, 3))
    unknown = req(2, category="停车", classified=date(2026, 11, 3))
    unclassified = req(3)
    fus, _ = plan([empty_owner, unknown, unclassified],
                  [finding("R202", msg(), record=empty_owner), finding("R202", msg(), record=unknown),
                   finding("R201", msg(), record=unclassified)], settings=_routing())
    # nobody on duty Monday: Tuesday's 值班人员
    assert {(f.assignee, f.planned) for f in fus.values()} <= {("王姐", TUE), ("小陈", TUE)}
    fus, _ = plan([unclassified], [finding("R201", msg(), record=unclassified)])
    assert next(iter(fus.values())).unassigned_reason.zh.startswith("值班人员表为空")


def test_request_chase_goes_to_staff_never_to_the_request_owner():
    q = req(1, category="环境卫生", classified=date(2026, 11, 3), assignee="物业经理",
            assigned=date(2026, 11, 4), due=date(2026, 11, 18))
    fu = only([q], [finding("R203", msg(), record=q)], settings=_routing())
    assert (fu.type, fu.assignee, fu.planned) == ("request_chase", "王姐", TUE)
    q2 = req(2, category="环境卫生", classified=date(2026, 11, 3), due=date(2026, 11, 18))
    fu = only([q2], [finding("R203", msg(), record=q2)], settings=_routing())
    assert fu.assignee in ("王姐", "小陈")


def test_reply_callback_goes_to_staff_on_duty_that_day():
    qs = [req(i, category="环境卫生", classified=date(2026, 11, 3), assignee="物业",
              assigned=date(2026, 11, 4), resolved=date(2026, 11, 10)) for i in (1, 2, 3)]
    fus, _ = plan(qs, [finding("R204", msg(), record=q) for q in qs], settings=_routing())
    got = sorted((f.planned, f.assignee) for f in fus.values())
    # nobody on duty Monday: Tuesday, shared between 王姐 and 小陈 (least loaded first)
    assert got == [(TUE, "小陈"), (TUE, "王姐"), (TUE, "王姐")]


def test_reply_callback_with_an_empty_duty_roster():
    q = req(1, resolved=date(2026, 11, 10), satisfaction="不满意", replied=date(2026, 11, 12))
    fu = only([q], [finding("R209", msg(), record=q)])
    assert fu.assignee is None and fu.unassigned_reason.zh.startswith("值班人员表为空")


def test_unknown_resident_is_reported_not_dropped():
    v = make_record("visits", 9, date=date(2026, 11, 20), elderly_id="LR-999", volunteer="ZY-001",
                    service=("巡访",), outcome="正常", follow_up=True)
    fu = only([v, vol(1)], [finding("C311", msg(), record=v)])
    assert fu.assignee is None and "LR-999" in fu.unassigned_reason.zh


# ------------------------------------------------------------------------ properties
CODES = ("C301", "C302", "C305", "C306", "C307", "C308", "C311")
ESTATES = ("松和苑", "咏泽苑", "惠泽苑")


def _workspace(seed: int, n_res: int, n_vol: int, n_find: int):
    rng = random.Random(seed)
    vols = [vol(i, estates=tuple(rng.sample(ESTATES + (schema.ALL_ESTATES,), rng.randint(1, 2))),
                skills=tuple(rng.sample(schema.NEEDS, rng.randint(1, 3))),
                active=rng.choice([None, True, False]), capacity=rng.choice([None, 0, 1, 2, 3]),
                availability=rng.choice([None, frozenset({0}), frozenset({1, 3}), frozenset(range(7))]),
                team=rng.choice([None, schema.TEAM_BUILDING_LEADER, schema.TEAM_DOCTOR]))
            for i in range(1, n_vol + 1)]
    residents = [res(i, estate=rng.choice(ESTATES), needs=tuple(rng.sample(schema.NEEDS, 2)),
                     volunteer=f"ZY-{rng.randint(1, n_vol + 1):03d}" if rng.random() < .5 else None)
                 for i in range(1, n_res + 1)]
    visits = [visit(rng.choice(residents), rng.choice(vols), AS_OF - timedelta(days=rng.randint(-2, 20)))
              for _ in range(n_res)] if vols else []
    requests = [req(i, category=rng.choice([None, "环境卫生", "晾晒"]), assignee=rng.choice([None, "物业"]))
                for i in range(1, 4)]
    findings = []
    for _ in range(n_find):
        r = rng.choice(residents)
        code = rng.choice(CODES + ("R201", "R203", "R204"))
        if code.startswith("R"):
            findings.append(finding(code, msg(), record=rng.choice(requests)))
        else:
            findings.append(finding(code, msg(), record=r, value=rng.choice(r.get("needs"))))
    duty = rng.choice([(), (DutyStaff("王姐", "", frozenset({1})),)])
    settings = Settings(categories=(Category("环境卫生", "物业保洁主管"), Category("晾晒", "")), duty=duty)
    return make_context(*residents, *vols, *visits, *requests, settings=settings), findings


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_res=st.integers(1, 8), n_vol=st.integers(0, 6),
       n_find=st.integers(0, 20))
def test_nothing_dropped_and_every_assignment_is_feasible(seed, n_res, n_vol, n_find):
    ctx, findings = _workspace(seed, n_res, n_vol, n_find)
    made = make_followups(ctx, findings)
    out = assign(ctx, made)
    assert [f.id for f in out] == [f.id for f in made]
    assigned = [f for f in out if f.assignee]
    unassigned = [f for f in out if not f.assignee]
    assert len(made) == len(assigned) + len(unassigned)
    assert all(f.unassigned_reason is not None and f.unassigned_reason.zh.strip()
               and f.unassigned_reason.en.strip() and f.planned is None for f in unassigned)
    assert all(f.planned is not None and f.unassigned_reason is None for f in assigned)
    care = ctx.care
    booked: dict[tuple, int] = {}
    for f in assigned:
        v = care.volunteer_by_id.get(f.assignee)
        if f.type not in ("visit", "bp_recheck", "service", "safety_check") or v is None:
            continue
        r = care.resident_by_id[f.target]
        assert care.is_active(v) and care.available_on(v, f.planned)
        assert ctx.as_of <= f.planned <= max(f.due, ctx.as_of)
        if f.type == "safety_check":
            assert v is care.paired_volunteer(r) or (
                v.get("team") == schema.TEAM_BUILDING_LEADER and care.covers(v, r.get("estate")))
        else:
            assert care.covers(v, r.get("estate"))
            assert care.has_skill(v, f.skill) or (f.type == "bp_recheck" and v.get("team") == schema.TEAM_DOCTOR)
        week = f.planned.isocalendar()[:2]
        booked[(f.assignee, week)] = booked.get((f.assignee, week), 0) + 1
        assert care.visits_in_week(v, f.planned) + booked[(f.assignee, week)] <= care.capacity(v)


def test_same_input_same_json():
    ctx1, findings = _workspace(7, 12, 6, 30)
    ctx2, _ = _workspace(7, 12, 6, 30)
    shuffled = findings[:]
    random.Random(1).shuffle(shuffled)
    doc1 = json.dumps([f.to_dict() for f in plan_followups(ctx1, findings)], ensure_ascii=False)
    doc2 = json.dumps([f.to_dict() for f in plan_followups(ctx2, shuffled)], ensure_ascii=False)
    assert doc1 == doc2
    assert json.loads(doc1)                                           # something was planned
