"""Rules V401–V405 on small inline records."""
from __future__ import annotations

from datetime import timedelta

import pytest

from helpers import AS_OF, make_context, make_record
from toolkit.check import volunteers as rules
from toolkit.settings import Settings, Thresholds

D = AS_OF  # 2026-11-23, Monday of ISO week 48


def volunteer(row=2, **values):
    base = dict(id=f"ZY-{row:03d}", name=f"志愿者{row}", phone=f"138000000{row:02d}",
                estates=("松和苑",), skills=("巡访",))
    base.update(values)
    return make_record("volunteers", row, **base)


def elder(row=2, **values):
    base = dict(id=f"LR-{row:03d}", name=f"老人{row}", estate="松和苑", address=f"{row}号",
                lives_alone=True, age=85, volunteer="ZY-002")
    base.update(values)
    return make_record("elderly", row, **base)


def visit(row, day, **values):
    base = dict(date=day, elderly_id="LR-002", volunteer="ZY-002", service=("巡访",), outcome="正常")
    base.update(values)
    return make_record("visits", row, **base)


def run(fn, *records, **kw):
    return list(fn(make_context(*records, **kw)))


# ------------------------------------------------------------------ V401
def test_v401_pairings_over_the_pair_cap():
    residents = [elder(i) for i in range(2, 8)]           # 6 residents paired with ZY-002
    [f] = run(rules.over_capacity, volunteer(), *residents, volunteer(3, active=True))
    assert f.record == "ZY-002" and f.value == 6 and "6位老人" in f.message.zh
    assert run(rules.over_capacity, volunteer(), *residents[:5]) == []
    gone = elder(7, status="去世")
    assert run(rules.over_capacity, volunteer(), *residents[:5], gone) == []
    cap6 = Settings(thresholds=Thresholds(volunteer_pair_cap=6))
    assert run(rules.over_capacity, volunteer(), *residents, settings=cap6) == []


def test_v401_visits_this_iso_week_over_capacity():
    vol = volunteer(capacity=2)
    week = [visit(i, D + timedelta(days=i - 2)) for i in range(2, 5)]   # Mon–Wed of W48
    last_sunday = visit(9, D - timedelta(days=1))
    [f] = run(rules.over_capacity, vol, elder(), *week, last_sunday)
    assert f.value == 3 and "第48周" in f.message.zh and f.header == "每周上限"
    assert run(rules.over_capacity, vol, elder(), *week[:2], last_sunday) == []
    # default cap 5 from settings when 每周上限 is empty
    assert run(rules.over_capacity, volunteer(), elder(), *week) == []


def test_v401_inactive_volunteer_left_to_v403():
    residents = [elder(i) for i in range(2, 9)]
    assert run(rules.over_capacity, volunteer(active=False), *residents) == []


# ------------------------------------------------------------------ V402
def test_v402_expired_and_expiring():
    expired = volunteer(2, certificate="养老护理员", certificate_expiry=D - timedelta(days=1))
    soon = volunteer(3, certificate="养老护理员", certificate_expiry=D + timedelta(days=30))
    later = volunteer(4, certificate="养老护理员", certificate_expiry=D + timedelta(days=31))
    today = volunteer(5, certificate="养老护理员", certificate_expiry=D)
    no_expiry = volunteer(6, certificate="养老护理员")
    unreadable = volunteer(7, certificate="养老护理员", invalid={"certificate_expiry": "长期"})
    inactive = volunteer(8, certificate="养老护理员", certificate_expiry=D - timedelta(days=9),
                         active=False)
    found = run(rules.certificate_expiry, expired, soon, later, today, no_expiry, unreadable, inactive)
    assert [f.record for f in found] == ["ZY-002", "ZY-003", "ZY-005"]
    assert "已于2026-11-22过期" in found[0].message.zh
    assert "还剩30天" in found[1].message.zh
    assert "今天（2026-11-23）到期" in found[2].message.zh and "还剩0天" not in found[2].message.zh


# ------------------------------------------------------------------ V403
def test_v403_inactive_but_paired_or_booked():
    paired = run(rules.inactive_still_used, volunteer(active=False), elder())
    assert len(paired) == 1 and "老人2" in paired[0].message.zh
    booked = run(rules.inactive_still_used, volunteer(active=False),
                 visit(2, D + timedelta(days=2)), visit(3, D - timedelta(days=2)))
    assert len(booked) == 1 and "1次巡访" in booked[0].message.zh
    assert run(rules.inactive_still_used, volunteer(active=True), elder()) == []
    assert run(rules.inactive_still_used, volunteer(active=False), elder(status="去世"),
               visit(2, D)) == []
    assert run(rules.inactive_still_used, volunteer(invalid={"active": "请假"}), elder()) == []


def test_v403_visits_after_the_leaving_date():
    """rules.md: visits after the 离岗日期 when it is filled — even when 在岗 was left empty."""
    left = D - timedelta(days=10)
    [f] = run(rules.inactive_still_used, volunteer(left=left),
              visit(2, left - timedelta(days=3)), visit(3, left), visit(4, left + timedelta(days=4)))
    assert f.column is not None and f.params["booked"] == 1
    assert f"离岗日期{left.isoformat()}之后还有1次巡访记录" in f.message.zh
    # visits on or before the leaving day are fine; so is a volunteer with no 离岗日期
    assert run(rules.inactive_still_used, volunteer(left=left), visit(2, left)) == []
    assert run(rules.inactive_still_used, volunteer(), visit(2, D - timedelta(days=1))) == []


def test_a_passed_leaving_date_means_not_active():
    """A 离岗日期 on or before the as-of date counts as not 在岗: no work is assigned to them and
    their pairings are reported; a leaving date still ahead does not."""
    from toolkit.domain.context import Context  # noqa: F401 - the care index lives there
    ctx = make_context(volunteer(left=D - timedelta(days=1)), elder())
    assert not ctx.care.is_active(ctx.care.volunteers[0])
    [f] = run(rules.inactive_still_used, volunteer(left=D - timedelta(days=1)), elder())
    assert "老人2" in f.message.zh and "已不在岗" in f.message.zh
    ahead = make_context(volunteer(left=D + timedelta(days=7)), elder())
    assert ahead.care.is_active(ahead.care.volunteers[0])


# ------------------------------------------------------------------ V404
def test_v404_no_visit_in_60_days():
    assert run(rules.idle, volunteer(), visit(2, D - timedelta(days=59))) == []
    [f] = run(rules.idle, volunteer(), visit(2, D - timedelta(days=60)))
    assert f.severity == "info" and (D - timedelta(days=60)).isoformat() in f.message.zh
    [never] = run(rules.idle, volunteer())
    assert "没有他/她的记录" in never.message.zh
    # only a visit booked ahead: the log does hold a record of them, so never say it does not
    [ahead] = run(rules.idle, volunteer(), visit(2, D + timedelta(days=1)))
    assert "没有他/她的记录" not in ahead.message.zh
    assert (D + timedelta(days=1)).isoformat() in ahead.message.zh
    assert run(rules.idle, volunteer(active=False)) == []


# ------------------------------------------------------------------ V405
def test_v405_ratio_per_estate():
    residents = [elder(i) for i in range(2, 13)]                 # 11 tier A in 松和苑
    residents.append(elder(13, estate="咏泽苑"))
    residents.append(elder(14, lives_alone=False, hardship=None))  # tier C: not counted
    vols = [volunteer(2), volunteer(3, estates=("全部",)), volunteer(4, active=False)]
    [f] = run(rules.ratio_by_estate, *residents, *vols)
    assert (f.kind, f.row, f.file, f.value) == ("volunteers", None, None, "松和苑")
    assert "11位" in f.message.zh and "2人" in f.message.zh and "至少1名" in f.fix.zh
    assert run(rules.ratio_by_estate, *residents[:10], *vols) == []


@pytest.mark.parametrize("team", ["家庭医生团队", "家庭医生", "家庭医生团队成员", "社区家庭医生"])
def test_v405_does_not_count_the_doctors_however_their_team_is_written(team):
    residents = [elder(i) for i in range(2, 8)]                  # 6 tier A in 松和苑
    vols = [volunteer(2), volunteer(3, team=team, estates=("全部",), skills=("量血压",))]
    [f] = run(rules.ratio_by_estate, *residents, *vols)
    assert "只有1人" in f.message.zh
    assert run(rules.ratio_by_estate, *residents, volunteer(2), volunteer(3, team="党员志愿者")) == []


def test_v405_estate_without_any_volunteer():
    [f] = run(rules.ratio_by_estate, elder(2, estate="咏泽苑"), volunteer(3, estates=("松和苑",)))
    assert f.value == "咏泽苑" and "没有服务该小区的在岗志愿者" in f.message.zh and "只有0人" not in f.message.zh


def test_v405_silent_when_no_volunteer_roster_was_read():
    """No roster read at all (none in the folder, or an unreadable file not known to be the
    roster): "没有服务该小区的在岗志愿者" would be a guess, not a fact."""
    assert run(rules.ratio_by_estate, elder(2, estate="咏泽苑"), elder(3)) == []


def test_v404_not_for_volunteers_sharing_a_name_written_on_a_recent_visit():
    """Two volunteers named 周杰 and a visit by 周杰 last week: the visit is D110 (which one?),
    and neither is told "近60天没有巡访…巡访记录中没有他/她的记录" — one of them went."""
    vols = [volunteer(2, name="周杰"), volunteer(3, name="周杰"), volunteer(4)]
    found = run(rules.idle, *vols, elder(), visit(5, D - timedelta(days=3), volunteer="周杰"))
    assert [f.record for f in found] == ["ZY-004"]
    # an old visit by 周杰 (before the 60 days) does not excuse them
    found = run(rules.idle, *vols, elder(), visit(5, D - timedelta(days=90), volunteer="周杰"))
    assert [f.record for f in found] == ["ZY-002", "ZY-003", "ZY-004"]
