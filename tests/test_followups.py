"""make_followups: findings → one follow-up per (target, type), priority, due date, ids."""
from __future__ import annotations

import random
import re
from datetime import date

import pytest

from helpers import AS_OF, make_context, make_record
from toolkit.assign.followups import TYPE_OF_CODE, followup_id, make_followups
from toolkit.model import finding
from toolkit.settings import Category, Settings
from toolkit.text import Text

MON, TUE, WED, FRI = AS_OF, date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 27)


def res(i: int, **kw):
    values = dict(id=f"LR-{i:03d}", name=f"老人{i}", estate="松和苑", address=f"{i}号101室",
                  lives_alone=False)
    values.update(kw)
    return make_record("elderly", 2 + i, **values)


def visit(row: int, who, day: date, **kw):
    values = dict(date=day, elderly_id=who.id, volunteer="ZY-001", service=("巡访",), outcome="正常")
    values.update(kw)
    return make_record("visits", row, **values)


def req(i: int, **kw):
    values = dict(id=f"SQ-{i:03d}", received=date(2026, 11, 2), source="来电", estate="松和苑",
                  content="路灯不亮")
    values.update(kw)
    return make_record("requests", 2 + i, **values)


def msg(text="说明"):
    return Text(text, text)


def test_several_findings_on_one_resident_make_one_visit():
    r = res(1)
    v = visit(5, r, date(2026, 11, 2), follow_up=True)
    ctx = make_context(r, v)
    fus = make_followups(ctx, [finding("C301", msg("超期"), record=r),
                               finding("C311", msg("需跟进"), record=v)])   # C311 is on the visit row
    assert len(fus) == 1
    fu = fus[0]
    assert (fu.type, fu.target, fu.codes, fu.kind) == ("visit", "LR-001", ["C301", "C311"], "elderly")
    assert len(fu.findings) == 2 and "超期" in fu.reason.zh and "需跟进" in fu.reason.zh


def test_visit_row_finding_found_by_resident_name():
    r = res(1)
    v = visit(5, r, date(2026, 11, 20), elderly_id=None, elderly_name="老人1",
              blood_pressure=(185, 112))
    fus = make_followups(make_context(r, v), [finding("C306", msg(), record=v)])
    assert [(f.type, f.target) for f in fus] == [("bp_recheck", "LR-001")]


@pytest.mark.parametrize("code", sorted(c for c in TYPE_OF_CODE if c.startswith("C")))
def test_type_of_each_care_code(code):
    r = res(1, needs=("助餐",))
    fus = make_followups(make_context(r), [finding(code, msg(), record=r, value="助餐")])
    assert [f.type for f in fus] == [TYPE_OF_CODE[code]]
    assert fus[0].target == "LR-001"


@pytest.mark.parametrize("code", sorted(c for c in TYPE_OF_CODE if c.startswith("R")))
def test_type_of_each_request_code(code):
    q = req(1)
    fus = make_followups(make_context(q), [finding(code, msg(), record=q)])
    assert [(f.type, f.kind, f.target) for f in fus] == [(TYPE_OF_CODE[code], "requests", "SQ-001")]


def test_service_one_followup_per_resident_and_need():
    r = res(1, needs=("助餐", "代配药"))
    fus = make_followups(make_context(r), [
        finding("C308", msg("助餐无记录"), record=r, key="needs", value="助餐"),
        finding("C308", msg("代配药无记录"), record=r, key="needs", value="代配药")])
    assert sorted((f.type, f.skill) for f in fus) == [("service", "代配药"), ("service", "助餐")]


def test_service_need_read_from_params_when_value_is_the_whole_cell():
    r = res(1, needs=("助餐", "代配药"))
    f = finding("C308", msg("近30天没有助餐服务记录"), record=r, key="needs",   # value = raw cell
                params={"service": "代配药"})
    assert [x.skill for x in make_followups(make_context(r), [f])] == ["代配药"]   # never the message


def test_codes_outside_the_table_make_no_followup():
    r = res(1)
    assert make_followups(make_context(r), [finding("C310", msg(), record=r),
                                            finding("D101", msg(), record=r)]) == []


def test_priority_and_due():
    a, b, c = res(1), res(2), res(3)
    fus = {f.target: f for f in make_followups(make_context(a, b, c), [
        finding("C307", msg(), record=a),      # urgent
        finding("C302", msg(), record=b),      # error
        finding("C301", msg(), record=c)])}    # warning (tier C)
    assert (fus["LR-001"].priority, fus["LR-001"].due) == ("urgent", MON)
    assert (fus["LR-002"].priority, fus["LR-002"].due) == ("high", WED)     # 2 working days
    assert (fus["LR-003"].priority, fus["LR-003"].due) == ("normal", WED)


def test_severity_of_the_finding_not_the_code_decides():
    r = res(1)
    f = finding("C301", msg(), record=r, severity="error")   # tier A: C301 is an error
    assert make_followups(make_context(r), [f])[0].priority == "high"


def test_visit_due_is_the_next_due_date_when_still_ahead():
    # tier A (alone, 86): interval 7 days; last counted visit Nov 18 → next due Nov 25
    r = res(1, lives_alone=True, birth=date(1940, 1, 1))
    v = visit(5, r, date(2026, 11, 18), follow_up=True)
    fus = make_followups(make_context(r, v), [finding("C311", msg(), record=v)])
    assert fus[0].due == WED


def test_visit_due_is_capped_at_this_week():
    r = res(1)                                   # tier C: next due in 90 days
    v = visit(5, r, date(2026, 11, 20), follow_up=True)
    fus = make_followups(make_context(r, v), [finding("C311", msg(), record=v)])
    assert fus[0].due == FRI


def test_request_due_is_the_sla_or_two_working_days_when_late():
    soon = req(1, category="环境卫生", classified=date(2026, 11, 3), assignee="物业",
               assigned=date(2026, 11, 4), due=TUE)
    late = req(2, category="环境卫生", classified=date(2026, 11, 3), assignee="物业",
               assigned=date(2026, 11, 4), due=date(2026, 11, 18))
    fus = {f.target: f for f in make_followups(make_context(soon, late), [
        finding("R211", msg(), record=soon), finding("R203", msg(), record=late)])}
    assert fus["SQ-001"].due == TUE
    assert fus["SQ-002"].due == WED


def test_unknown_resident_still_makes_a_followup():
    v = make_record("visits", 9, date=date(2026, 11, 20), elderly_id="LR-999", volunteer="ZY-1",
                    service=("巡访",), outcome="正常", follow_up=True)
    fus = make_followups(make_context(v), [finding("C311", msg(), record=v)])
    assert [(f.type, f.target) for f in fus] == [("visit", "LR-999")]


def test_ids_are_deterministic_and_follow_priority_due_type_target():
    rs = [res(i) for i in range(1, 7)]
    q = req(1)
    findings = [finding("C301", msg(), record=rs[0]), finding("C307", msg(), record=rs[1]),
                finding("C302", msg(), record=rs[2]), finding("C306", msg(), record=rs[3]),
                finding("C305", msg(), record=rs[4]), finding("R204", msg(), record=q),
                finding("C301", msg(), record=rs[5])]
    ctx = make_context(*rs, q)
    first = [(f.id, f.type, f.target) for f in make_followups(ctx, findings)]
    for seed in range(5):
        shuffled = findings[:]
        random.Random(seed).shuffle(shuffled)
        assert [(f.id, f.type, f.target) for f in make_followups(ctx, shuffled)] == first
    assert [i for i, _, _ in first] == [f"FU-2026W48-{n:03d}" for n in range(1, 8)]
    assert [(t, x) for _, t, x in first[:2]] == [("safety_check", "LR-002"), ("bp_recheck", "LR-004")]
    assert all(re.fullmatch(r"FU-\d{4}W\d{2}-\d{3}", i) for i, _, _ in first)


def test_followup_id_uses_the_iso_year_and_week():
    assert followup_id(date(2027, 1, 1), 7) == "FU-2026W53-007"
    assert followup_id(date(2026, 1, 5), 12) == "FU-2026W02-012"


def test_settings_category_does_not_change_grouping():
    q = req(1, category="环境卫生")
    ctx = make_context(q, settings=Settings(categories=(Category("环境卫生", "物业"),)))
    fus = make_followups(ctx, [finding("R201", msg(), record=q), finding("R202", msg(), record=q)])
    assert [(f.type, f.codes) for f in fus] == [("request_assign", ["R201", "R202"])]
