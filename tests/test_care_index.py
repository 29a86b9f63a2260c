"""CareIndex: matching visits to residents and volunteers, tiers, counted visits, capacity."""
from __future__ import annotations

import time
from datetime import date, timedelta

from helpers import AS_OF, make_context, make_record
from toolkit.domain.care import AMBIGUOUS, MATCH_NAME, MATCH_NAME_ESTATE, UNKNOWN
from toolkit.settings import Settings, Thresholds


def elder(row=2, **values):
    base = dict(id=f"LR-{row:03d}", name=f"老人{row}", estate="松和苑", address=f"{row}号101室",
                lives_alone=False)
    base.update(values)
    return make_record("elderly", row, **base)


def volunteer(row=2, **values):
    base = dict(id=f"ZY-{row:03d}", name=f"志愿者{row}", phone="13812345678", estates=("松和苑",),
                skills=("巡访",))
    base.update(values)
    return make_record("volunteers", row, **base)


def visit(row, day, **values):
    base = dict(date=day, volunteer="ZY-002", service=("巡访",), outcome="正常")
    base.update(values)
    return make_record("visits", row, **base)


# ------------------------------------------------------------------ age and tier
def test_age_from_birth_id_number_then_age_column():
    a = elder(2, birth=date(1946, 11, 24))            # turns 80 the day after as-of
    b = elder(3, id_number="310117194611230027")      # 80 on as-of (from the ID number)
    c = elder(4, age=77)
    d = elder(5, invalid={"birth": "1946-13-40"}, age=90)   # bad birth is never used
    care = make_context(a, b, c, d).care
    assert [care.age(r) for r in (a, b, c, d)] == [79, 80, 77, 90]


def test_tier_boundaries_age_79_80_and_severe_hardship():
    a79 = elder(2, lives_alone=True, birth=date(1946, 11, 24))
    a80 = elder(3, lives_alone=True, birth=date(1946, 11, 23))
    disabled = elder(4, lives_alone=True, age=66, hardship=("失能",))
    semi = elder(5, lives_alone=True, age=66, hardship=("半失能",))
    hardship_only = elder(6, age=90, hardship=("低保",))
    unknown_alone = elder(7, lives_alone=None, age=90)
    no_age_alone = elder(8, lives_alone=True)
    care = make_context(a79, a80, disabled, semi, hardship_only, unknown_alone, no_age_alone).care
    assert [care.tier(r) for r in (a79, a80, disabled, semi, hardship_only, unknown_alone,
                                   no_age_alone)] == ["B", "A", "A", "B", "B", "C", "B"]


def test_old_age_comes_from_settings():
    r = elder(2, lives_alone=True, age=75)
    settings = Settings(thresholds=Thresholds(old_age=75))
    assert make_context(r, settings=settings).care.tier(r) == "A"
    assert make_context(r).care.tier(r) == "B"


def test_on_register():
    rs = [elder(2), elder(3, status="在册"), elder(4, status="住院"), elder(5, status="去世"),
          elder(6, invalid={"status": "住院中?"})]
    care = make_context(*rs).care
    assert [care.on_register(r) for r in rs] == [True, True, False, False, True]


# ------------------------------------------------------------------ matching
def test_visit_matched_by_name_only_and_with_spaces():
    r = elder(2, name="张秀英")
    v = visit(2, date(2026, 11, 20), elderly_name="张 秀英")
    care = make_context(r, v).care
    assert care.resident_for_visit(v) is r
    assert care.match_visit(v).how == MATCH_NAME
    assert care.visits_of(r) == [v]


def test_repeated_name_is_ambiguous_unless_the_sheet_names_the_estate():
    a = elder(2, name="王芳", estate="松和苑")
    b = elder(3, name="王芳", estate="咏泽苑")
    v1 = visit(2, date(2026, 11, 20), elderly_name="王芳")
    v2 = make_record("visits", 3, sheet="咏泽苑", date=date(2026, 11, 20), elderly_name="王芳",
                     volunteer="ZY-002", service=("巡访",), outcome="正常")
    care = make_context(a, b, v1, v2).care
    assert care.resident_for_visit(v1) is None
    assert care.match_visit(v1).how == AMBIGUOUS
    assert list(care.match_visit(v1).candidates) == [a, b]
    assert care.resident_for_visit(v2) is b
    assert care.match_visit(v2).how == MATCH_NAME_ESTATE
    assert care.visits_of(a) == []


def test_id_wins_and_unknown_id_falls_back_to_name():
    a = elder(2, name="张三")
    b = elder(3, name="李四")
    by_id = visit(2, date(2026, 11, 20), elderly_id="LR-003", elderly_name="张三")
    bad_id = visit(3, date(2026, 11, 21), elderly_id="LR-999", elderly_name="张三")
    nothing = visit(4, date(2026, 11, 21), elderly_id="LR-999")
    care = make_context(a, b, by_id, bad_id, nothing).care
    assert care.resident_for_visit(by_id) is b
    assert care.resident_for_visit(bad_id) is a
    assert care.resident_for_visit(nothing) is None
    assert care.match_visit(nothing).how == UNKNOWN


def test_volunteer_for_by_id_then_unique_name():
    v1, v2, v3 = volunteer(2, name="李红"), volunteer(3, name="陈刚"), volunteer(4, name="陈刚")
    care = make_context(v1, v2, v3).care
    assert care.volunteer_for("ZY-002") is v1
    assert care.volunteer_for("李红") is v1
    assert care.volunteer_for("陈刚") is None            # two volunteers named 陈刚
    assert care.volunteer_for("ZY-404") is None
    assert care.volunteer_for(None) is None


def test_visits_sorted_by_date_then_row_and_undated_ignored():
    r = elder(2)
    late = visit(2, date(2026, 11, 20), elderly_id="LR-002")
    early = visit(9, date(2026, 11, 1), elderly_id="LR-002")
    undated = visit(5, None, elderly_id="LR-002", invalid={"date": "11月31日"})
    care = make_context(r, late, early, undated).care
    assert care.visits_of(r) == [early, late]



def test_visits_of_one_day_keep_file_sheet_row_order_however_the_ledger_runs():
    """The index sorts by (date, file, sheet, row): a ledger read in that order is sorted by
    date alone (stable), any other (10月 read after 9月, rows out of order) in full — the
    same lists either way."""
    from dataclasses import replace as with_
    r = elder(2)
    day = date(2026, 11, 20)
    in_order = [visit(3, day, elderly_id="LR-002"), visit(7, day, elderly_id="LR-002"),
                visit(4, date(2026, 11, 1), elderly_id="LR-002")]
    care = make_context(r, *in_order).care
    assert care.visits_of(r) == [in_order[2], in_order[0], in_order[1]]
    sept = with_(visit(5, day, elderly_id="LR-002"), file="9月.xlsx")      # read first (natural)
    octo = with_(visit(2, day, elderly_id="LR-002"), file="10月.xlsx")     # "10月" < "9月"
    back = visit(9, day, elderly_id="LR-002")
    above = visit(6, day, elderly_id="LR-002")                              # row 6 after row 9
    care = make_context(r, sept, octo, back, above).care
    assert care.visits_of(r) == sorted([sept, octo, back, above],
                                       key=lambda v: (v.values["date"], v.file, v.sheet, v.row))
    assert care.visits_of(r)[:2] == [octo, sept]


# ------------------------------------------------------------------ counted visits
def test_phone_call_counts_for_tier_c_only():
    phone = visit(2, date(2026, 11, 20), service=("电话问候",))
    both = visit(3, date(2026, 11, 20), service=("电话问候", "量血压"))
    care = make_context(phone, both).care
    assert care.counts_as_visit(phone, "C")
    assert not care.counts_as_visit(phone, "B")
    assert not care.counts_as_visit(phone, "A")
    assert care.counts_as_visit(both, "A")


def test_no_answer_away_and_unreadable_outcome_do_not_count():
    care = make_context().care
    assert not care.counts_as_visit(visit(2, AS_OF, outcome="敲门无应答"), "C")
    assert not care.counts_as_visit(visit(3, AS_OF, outcome="外出"), "C")
    assert not care.counts_as_visit(visit(4, AS_OF, invalid={"outcome": "敲门没人"}), "C")
    assert care.counts_as_visit(visit(5, AS_OF, outcome=None), "A")
    assert care.counts_as_visit(visit(6, AS_OF, outcome="身体不适"), "A")


def test_last_counted_visit_and_next_due_ignore_future_and_uncounted():
    r = elder(2, lives_alone=True, age=85)           # tier A, 7 days
    counted = visit(2, date(2026, 11, 10), elderly_id="LR-002")
    phone = visit(3, date(2026, 11, 15), elderly_id="LR-002", service=("电话问候",))
    future = visit(4, date(2026, 11, 30), elderly_id="LR-002")
    care = make_context(r, counted, phone, future).care
    assert care.last_counted_visit(r) is counted
    assert care.next_due(r) == date(2026, 11, 17)
    assert care.last_visitor(r) is None               # ZY-002 is not in the roster here
    assert care.next_due(elder(3)) is None


# ------------------------------------------------------------------ volunteers
def test_volunteer_lookups():
    vol = volunteer(2, estates=("松和苑", "咏泽苑"), skills=("巡访", "量血压"),
                    availability=frozenset({1, 3}), capacity=3, active=None)
    all_estates = volunteer(3, estates=("全部",), invalid={"capacity": "三次"}, active=False)
    unreadable = volunteer(4, invalid={"active": "请假"})
    r = elder(2, volunteer="志愿者2")
    visits = [visit(i, date(2026, 11, 16) + timedelta(days=i), volunteer="ZY-002")
              for i in range(2, 5)] + [visit(9, date(2026, 11, 30), volunteer="ZY-002")]
    care = make_context(vol, all_estates, unreadable, r, *visits).care
    assert care.is_active(vol) and not care.is_active(all_estates) and not care.is_active(unreadable)
    assert care.covers(vol, "咏泽苑") and not care.covers(vol, "其他苑")
    assert care.covers(all_estates, "其他苑")
    assert care.has_skill(vol, "量血压") and not care.has_skill(vol, "助餐")
    assert care.available_on(vol, date(2026, 11, 24))       # Tuesday
    assert not care.available_on(vol, date(2026, 11, 23))   # Monday
    assert care.capacity(vol) == 3 and care.capacity(all_estates) == 5
    assert care.visits_in_week(vol, date(2026, 11, 18)) == 3     # 11-18, 19, 20 in W47
    assert care.visits_in_week(vol, date(2026, 11, 30)) == 1
    assert care.paired_residents(vol) == [r]
    assert care.paired_volunteer(r) is vol
    # visits 11-18, 19, 20 and 30: after 11-18 up to and including 11-30
    assert care.visits_by_between(vol, date(2026, 11, 18), date(2026, 11, 30)) == visits[1:]
    assert care.visits_by_between(vol, date(2026, 11, 17), date(2026, 11, 19)) == visits[:2]
    assert care.visits_by_between(vol, date(2026, 11, 20), date(2026, 11, 29)) == []


def test_empty_availability_means_working_days():
    vol = volunteer(2)
    care = make_context(vol).care
    assert care.available_on(vol, date(2026, 11, 23))        # Monday
    assert not care.available_on(vol, date(2026, 11, 22))    # Sunday
    assert not care.available_on(vol, date(2026, 10, 1))     # 国庆节 (Thursday)


def test_index_scales_n_log_n():
    """15,000 visits × 300 residents builds and answers in well under a few seconds."""
    residents = [elder(i + 2, name=f"老人{i}", lives_alone=bool(i % 2), age=70 + i % 20)
                 for i in range(300)]
    vols = [volunteer(i + 2) for i in range(30)]
    visits = [visit(i + 2, date(2026, 1, 1) + timedelta(days=i % 320),
                    elderly_id=f"LR-{(i % 300) + 2:03d}" if i % 3 else None,
                    elderly_name=f"老人{i % 300}", volunteer=f"ZY-{(i % 30) + 2:03d}")
              for i in range(15000)]
    start = time.perf_counter()
    care = make_context(*residents, *vols, *visits).care
    dues = [care.next_due(r) for r in residents]
    elapsed = time.perf_counter() - start
    assert all(d is not None for d in dues)
    assert sum(len(care.visits_of(r)) for r in residents) == 15000
    assert elapsed < 5


def test_index_at_an_earlier_day_answers_as_one_built_for_that_day(sample):
    """``CareIndex.at`` (the reports' earlier cut-off) shares the matching but answers every
    day-dependent question — age, tier, visits up to the day, last counted visit, next due,
    readings, 在岗 — exactly as an index built for that day, even after the index it comes
    from has answered for its own day."""
    from toolkit.domain.context import Context
    from toolkit.pipeline import check
    ctx = check([sample], as_of=AS_OF).context

    def built_for(day):
        return Context(workspace=ctx.workspace, settings=ctx.settings, as_of=day).care

    care = ctx.care
    residents, volunteers = care.residents, care.volunteers
    for r in residents:                   # fill every per-day memo of the as-of index first
        care.next_due(r), care.readings(r)
    for day in (AS_OF - timedelta(days=7), date(2026, 10, 31), date(2026, 3, 15)):
        shared, fresh = ctx.at(day).care, built_for(day)
        assert shared.as_of == day and care.as_of == AS_OF
        for r in residents:
            assert (shared.age(r), shared.tier(r), shared.visits_until(r),
                    shared.last_counted_visit(r), shared.next_due(r), shared.readings(r),
                    shared.last_visit(r)) == \
                (fresh.age(r), fresh.tier(r), fresh.visits_until(r), fresh.last_counted_visit(r),
                 fresh.next_due(r), fresh.readings(r), fresh.last_visit(r))
        assert [shared.is_active(v) for v in volunteers] == [fresh.is_active(v) for v in volunteers]
        assert [len(shared.visits_by_until(v)) for v in volunteers] == \
            [len(fresh.visits_by_until(v)) for v in volunteers]
    fresh = built_for(AS_OF)               # the as-of index is untouched
    assert [care.next_due(r) for r in residents] == [fresh.next_due(r) for r in residents]
