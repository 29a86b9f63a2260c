"""History: five simulated weeks with rows deleted, re-added and requests going backwards."""
from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

from helpers import make_record

from toolkit.automate.history import SCHEMA_VERSION, History, HistoryError
from toolkit.automate.weekly import open_history, week_label
from toolkit.model import Workspace

import pytest

MONDAY = date(2026, 10, 26)


def elderly(n: int, skip: tuple[str, ...] = ()) -> list:
    return [make_record("elderly", i + 3, id=f"LR-{i:03d}", name=f"老人{i}", estate="松和苑",
                        address=f"{i}号101室", lives_alone=True, id_number="310117194105120023",
                        phone="13812345678")
            for i in range(n) if f"LR-{i:03d}" not in skip]


def request(rid: str, **values):
    base = dict(id=rid, received=date(2026, 10, 1), source="议事会", estate="松和苑", content="路灯坏了")
    base.update(values)
    return make_record("requests", 5, **base)


def codes(findings) -> list[tuple[str, str | None]]:
    return sorted((f.code, f.record) for f in findings)


def test_five_weeks(tmp_path):
    db = tmp_path / "history.sqlite"
    closed = dict(category="其他", classified=date(2026, 10, 2), assignee="物业", assigned=date(2026, 10, 3),
                  resolved=date(2026, 10, 10), resolution="已修", replied=date(2026, 10, 12))
    weeks = [
        # week 1: 20 residents, one replied request, one open
        Workspace(".", records={"elderly": elderly(20), "requests": [request("SQ-1", **closed),
                                                                      request("SQ-2")]}),
        # week 2: LR-005 deleted
        Workspace(".", records={"elderly": elderly(20, ("LR-005",)),
                                "requests": [request("SQ-1", **closed), request("SQ-2")]}),
        # week 3: LR-005 re-added; SQ-1 lost its reply (stage 4 → 3); SQ-2 deleted
        Workspace(".", records={"elderly": elderly(20),
                                "requests": [request("SQ-1", **{**closed, "replied": None})]}),
        # week 4: three residents deleted (20 → 17: 15 % shrink); SQ-1 reopened
        Workspace(".", records={"elderly": elderly(20, ("LR-001", "LR-002", "LR-003")),
                                "requests": [request("SQ-1", **{**closed, "status": "重办"})]}),
        # week 5: unchanged
        Workspace(".", records={"elderly": elderly(20, ("LR-001", "LR-002", "LR-003")),
                                "requests": [request("SQ-1", **{**closed, "status": "重办"})]}),
    ]
    expected = [
        [],
        [("H601", "LR-005")],
        [("H601", "SQ-2"), ("H602", None), ("H603", "SQ-1")],   # requests 2 → 1
        [("H601", "LR-001"), ("H601", "LR-002"), ("H601", "LR-003"), ("H602", None),
         ("H603", "SQ-1")],
        [],
    ]
    for i, (ws, want) in enumerate(zip(weeks, expected)):
        as_of = MONDAY + timedelta(weeks=i)
        history = History.open(db)
        try:
            found = history.compare(ws, week_label(as_of))
            assert codes(found) == want, f"week {i + 1}"
            history.record_run(ws, week_label(as_of), as_of, {"ELD_TOTAL": len(ws.ledger("elderly"))})
        finally:
            history.close()

    history = History.open(db)
    past = history.past_runs(week_label(MONDAY + timedelta(weeks=5)))
    assert [run.indicators["ELD_TOTAL"] for run in past] == [20, 19, 20, 17, 17]
    history.close()


def test_vanished_row_shows_last_values_but_no_id_number_or_phone(tmp_path):
    db = tmp_path / "h.sqlite"
    h = History.open(db)
    h.record_run(Workspace(".", records={"elderly": elderly(10)}), "2026-W47", date(2026, 11, 16), {})
    found = h.compare(Workspace(".", records={"elderly": elderly(10, ("LR-001",))}), "2026-W48")
    h.close()
    (f,) = found
    assert f.code == "H601" and f.severity == "error"
    assert "老人1" in f.message.zh and "1号101室" in f.message.zh and "第4行" in f.message.zh
    dump = "\n".join(sqlite3.connect(db).iterdump())
    assert "310117194105120023" not in dump and "13812345678" not in dump


def test_rerun_of_same_week_replaces_it(tmp_path):
    db = tmp_path / "h.sqlite"
    h = History.open(db)
    h.record_run(Workspace(".", records={"elderly": elderly(3)}), "2026-W47", date(2026, 11, 16), {"X": 1})
    h.record_run(Workspace(".", records={"elderly": elderly(2)}), "2026-W47", date(2026, 11, 17), {"X": 2})
    assert h.conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    # a re-run is compared with the week's earlier run: LR-002, lost by the second run, stays
    # reported (no earlier week here, so the third run's baseline is this week's alone)
    found = h.compare(Workspace(".", records={"elderly": []}), "2026-W47")
    assert codes(found) == [("H601", "LR-000"), ("H601", "LR-001"), ("H601", "LR-002"),
                            ("H602", None)]
    h.close()


def test_schema_is_versioned(tmp_path):
    h = History.open(tmp_path / "h.sqlite")
    assert h.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    h.close()
    conn = sqlite3.connect(tmp_path / "h.sqlite")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(HistoryError):
        History.open(tmp_path / "h.sqlite")


def test_corrupt_history_is_moved_aside_with_finding(tmp_path):
    path = tmp_path / ".shequ" / "history.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database" * 100)
    history, findings = open_history(tmp_path, date(2026, 11, 23))
    assert history is not None
    history.close()
    assert [f.code for f in findings] == ["H604"]
    assert (tmp_path / ".shequ" / "history.broken-2026-11-23.sqlite").read_bytes().startswith(b"this is")
    assert json.dumps(findings[0].to_dict())  # serialisable


def test_a_duplicated_id_is_compared_on_the_row_history_stored(tmp_path):
    """D107 names the first row of a duplicated id as the real one: history stores it and
    the comparison must use the same row, else an unchanged ledger gives H603 every week."""
    replied = dict(category="其他", classified=date(2026, 10, 2), assignee="物业",
                   assigned=date(2026, 10, 3), resolved=date(2026, 10, 10), resolution="已修",
                   replied=date(2026, 10, 12))
    ws = Workspace(".", records={"requests": [request("SQ-1", **replied), request("SQ-1")]})
    h = History.open(tmp_path / "h.sqlite")
    try:
        h.record_run(ws, "2026-W47", date(2026, 11, 16), {})
        assert h.compare(ws, "2026-W48") == []
    finally:
        h.close()


def test_a_history_of_schema_1_is_migrated_and_its_unreadable_rows_stay_quiet(tmp_path):
    """A database written before per-sheet counts (schema 1) is migrated in place; a file
    unreadable now is judged from its stored rows: no H601, no H602 guessed."""
    from toolkit.automate.history import MIGRATIONS
    from toolkit.model import Source, finding

    db = tmp_path / "h.sqlite"
    conn = sqlite3.connect(db)
    conn.executescript(MIGRATIONS[1])
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    h = History.open(db)
    try:
        assert h.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        h.conn.execute("DELETE FROM sheets")      # as a schema-1 run left it: no sheet counts
        h.record_run(Workspace(".", records={"elderly": elderly(10)}), "2026-W47",
                     date(2026, 11, 16), {})
        h.conn.execute("DELETE FROM sheets")
        broken = finding("F001", file="老年人台账.xlsx", variant="broken_zip",
                         params={"file": "老年人台账.xlsx"})
        now = Workspace(".", records={"elderly": []}, findings=[broken],
                        sources=[Source(file="诉求台账.xlsx", sheet="2026年", kind="requests",
                                        header_row=1, records=0)])
        assert h.compare(now, "2026-W48") == []
    finally:
        h.close()


def test_vanished_row_shows_yes_no_and_dates_as_a_clerk_writes_them(tmp_path):
    """H601's last values: a 是/否 column reads 是/否 (yes/no in English), never True/False;
    a date is a date; an empty value is left out. A database written before this stored
    the text True/False: it reads 是/否 too."""
    h = History.open(tmp_path / "h.sqlite")
    try:
        alone = make_record("elderly", 4, id="LR-1", name="老人甲", estate="松和苑", lives_alone=True)
        not_alone = make_record("elderly", 5, id="LR-2", name="老人乙", estate="松和苑",
                                lives_alone=False)
        req = request("SQ-9", replied=date(2026, 10, 12))
        h.record_run(Workspace(".", records={"elderly": [alone, not_alone], "requests": [req]}),
                     "2026-W47", date(2026, 11, 16), {})
        old = json.dumps({"file": "老年人台账.xlsx", "sheet": "2026年", "row": 6, "name": "老人丙",
                          "lives_alone": "True", "address": ""}, ensure_ascii=False)
        h.conn.execute("INSERT INTO records VALUES ('2026-W47', 'elderly', 'LR-3', 'x', NULL, NULL, ?)",
                       (old,))
        h.conn.commit()
        found = {f.record: f for f in h.compare(Workspace(".", records={}), "2026-W48")}
    finally:
        h.close()
    assert "独居：是" in found["LR-1"].message.zh and "Lives alone: yes" in found["LR-1"].message.en
    assert "独居：否" in found["LR-2"].message.zh and "Lives alone: no" in found["LR-2"].message.en
    assert "独居：是" in found["LR-3"].message.zh and "地址" not in found["LR-3"].message.zh
    assert "答复日期：2026-10-12" in found["SQ-9"].message.zh
    for f in found.values():
        assert "True" not in f.message.zh + f.message.en and "False" not in f.message.zh + f.message.en
        assert "None" not in f.message.zh + f.message.en


def test_a_row_deleted_between_two_runs_of_the_same_week_is_reported(tmp_path):
    """Monday's run of W48 saw SQ-2 (new that week); it is deleted on Wednesday and 立即检查
    is run again: H601 (named as last seen in W48). What Monday reported against W47 (LR-001
    deleted) is still reported; a third run of the week still reports both; W49 reports
    neither again (they were reported in W48, as any deletion is reported once, the week
    after)."""
    many = [request(f"SQ-1{i:02d}") for i in range(20)]
    h = History.open(tmp_path / "h.sqlite")
    try:
        def run(week, day, ws):
            found = h.compare(ws, week)
            h.record_run(ws, week, day, {})
            return found

        assert run("2026-W47", date(2026, 11, 16),
                   Workspace(".", records={"elderly": elderly(20), "requests": many})) == []
        monday = run("2026-W48", date(2026, 11, 23), Workspace(".", records={
            "elderly": elderly(20, ("LR-001",)), "requests": [*many, request("SQ-2")]}))
        assert codes(monday) == [("H601", "LR-001")]
        wednesday_ws = Workspace(".", records={"elderly": elderly(20, ("LR-001",)),
                                               "requests": many})
        wednesday = run("2026-W48", date(2026, 11, 25), wednesday_ws)
        assert codes(wednesday) == [("H601", "LR-001"), ("H601", "SQ-2")]
        sq2 = next(f for f in wednesday if f.record == "SQ-2")
        assert "上次（2026-W48）" in sq2.message.zh and "路灯坏了" in sq2.message.zh
        assert codes(run("2026-W48", date(2026, 11, 26), wednesday_ws)) == codes(wednesday)
        # SQ-2 typed back in the same week: no longer vanished
        back = Workspace(".", records={"elderly": elderly(20, ("LR-001",)),
                                       "requests": [*many, request("SQ-2")]})
        assert codes(h.compare(back, "2026-W48")) == [("H601", "LR-001")]
        assert run("2026-W49", date(2026, 11, 30), wednesday_ws) == []
        assert h.conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 3
    finally:
        h.close()


def test_a_same_week_rerun_shrink_is_reported_against_that_weeks_first_run(tmp_path):
    """H602 compares with the previous week and with this week's earlier run: a ledger that
    grew on Monday and lost 20 % by Wednesday is reported; the previous week's figure is
    named when the shrink is against it."""
    h = History.open(tmp_path / "h.sqlite")
    try:
        h.record_run(Workspace(".", records={"elderly": elderly(10)}), "2026-W47",
                     date(2026, 11, 16), {})
        h.record_run(Workspace(".", records={"elderly": elderly(20)}), "2026-W48",
                     date(2026, 11, 23), {})
        found = h.compare(Workspace(".", records={"elderly": elderly(16)}), "2026-W48")
        (shrink,) = [f for f in found if f.code == "H602"]
        assert shrink.message.params["before"] == 20 and shrink.message.params["now"] == 16
        found = h.compare(Workspace(".", records={"elderly": elderly(8)}), "2026-W48")
        (shrink,) = [f for f in found if f.code == "H602"]
        assert shrink.message.params["previous"] == "2026-W47"
    finally:
        h.close()


def test_a_sheet_that_lost_its_id_column_is_not_a_disappearance(tmp_path):
    """F004 for the id column (the 编号 header deleted or retyped): that sheet's rows have no
    ids, so they cannot be compared: no H601 for the ids it held, no H602 for its rows; the
    other sheet of the same file is compared as usual; the week the column is back, the
    comparison is with the last run that had it."""
    from toolkit.model import finding

    def on(sheet, rows):
        return [make_record("elderly", i + 3, sheet=sheet, id=f"{sheet}-{i:02d}", name=f"老人{i}",
                            estate="松和苑") for i in rows]

    def no_id(records):
        for r in records:
            r.values["id"] = None
        return records

    def lost(sheet):
        return finding("F004", kind="elderly", file="老年人台账.xlsx", sheet=sheet, row=2,
                       header="编号", params={"sheet": sheet, "ledger": "老年人台账",
                                             "header": "编号", "aliases": "老人编号"})

    h = History.open(tmp_path / "h.sqlite")
    try:
        h.record_run(Workspace(".", records={"elderly": on("甲", range(20)) + on("乙", range(20))}),
                     "2026-W47", date(2026, 11, 16), {})
        # 甲 lost its id column; 乙 lost a row for real; then 甲's rows are fewer too (no ids:
        # cannot be told apart from a sheet that is half gone): nothing said about 甲
        now = Workspace(".", records={"elderly": no_id(on("甲", range(5))) + on("乙", range(1, 20))},
                        findings=[lost("甲")])
        found = h.compare(now, "2026-W48")
        assert codes(found) == [("H601", "乙-00")]
        h.record_run(now, "2026-W48", date(2026, 11, 23), {})
        # a required column other than the id missing: the ids are there, compared as usual
        other = finding("F004", kind="elderly", file="老年人台账.xlsx", sheet="甲", row=2,
                        header="姓名", params={"sheet": "甲", "ledger": "老年人台账",
                                              "header": "姓名", "aliases": ""})
        back = Workspace(".", records={"elderly": on("甲", range(1, 20)) + on("乙", range(1, 20))},
                         findings=[other])
        found = h.compare(back, "2026-W49")
        assert codes(found) == [("H601", "甲-00")]
        assert "上次（2026-W47）" in found[0].message.zh
    finally:
        h.close()


def test_a_duplicated_id_gives_no_h603_whatever_the_row_order(tmp_path):
    """D107: an id on two rows. Sorting the sheet puts the other row first; deleting one of
    the two copies keeps the other. Which row is 'the' request depends on the order, so H603
    is not given for an id duplicated in this run or in the run compared with (D107 already
    asks the clerk to sort it out); H601 still holds."""
    replied = dict(category="其他", classified=date(2026, 10, 2), assignee="物业",
                   assigned=date(2026, 10, 3), resolved=date(2026, 10, 10), resolution="已修",
                   replied=date(2026, 10, 12))
    done, open_ = request("SQ-1", **replied), request("SQ-1")
    h = History.open(tmp_path / "h.sqlite")
    try:
        h.record_run(Workspace(".", records={"requests": [done, open_, request("SQ-2", **replied)]}),
                     "2026-W47", date(2026, 11, 16), {})
        sorted_ws = Workspace(".", records={"requests": [open_, done, request("SQ-2", **replied)]})
        assert h.compare(sorted_ws, "2026-W48") == []
        one_left = Workspace(".", records={"requests": [open_, request("SQ-2")]})
        assert codes(h.compare(one_left, "2026-W48")) == [("H602", None), ("H603", "SQ-2")]
    finally:
        h.close()


# -- follow-ups carried from last week ("上周已派，仍未完成") -----------------------------------
def _carry_context(as_of):
    from helpers import make_context
    from toolkit.settings import DutyStaff, Settings

    people = [make_record("elderly", 3, id="LR-017", name="王阿婆", estate="松和苑"),
              make_record("volunteers", 3, id="ZY-004", name="曹玲", estates="松和苑"),
              make_record("volunteers", 4, id="ZY-005", name="黄芳", estates="松和苑"),
              request("SQ-031")]
    return make_context(*people, as_of=as_of,
                        settings=Settings(duty=(DutyStaff("施晓红", "13800000001"),)))


def _order(ctx, number, ftype, target, kind, assignee=None, name=None, skill=None):
    from toolkit.assign.followups import followup_id
    from toolkit.model import FollowUp, RecordRef

    record = next((r for r in ctx.workspace.ledger(kind) if r.id == target), None)
    return FollowUp(id=followup_id(ctx.as_of, number), type=ftype, codes=["C301"], kind=kind,
                    target=target, priority="high", due=ctx.as_of, assignee=assignee,
                    assignee_name=name, planned=ctx.as_of if assignee else None, skill=skill,
                    ref=RecordRef.of(record))


def test_last_weeks_followups_are_found_by_type_and_target(tmp_path):
    """Stored each week; the next week finds the same (type, target): who had it (the name from
    this run's roster by 编号; a 值班人员, stored only as a hash, found again by name), and how
    many weeks in a row. A target new this week, or another type, is no repeat."""
    h = History.open(tmp_path / "h.sqlite")
    try:
        ws = Workspace(".", records={})
        ctx = _carry_context(date(2026, 11, 16))
        last = [_order(ctx, 1, "visit", "LR-017", "elderly", "ZY-004", "曹玲", "巡访"),
                _order(ctx, 2, "request_chase", "SQ-031", "requests", "施晓红", "施晓红"),
                _order(ctx, 3, "safety_check", "LR-017", "elderly")]
        h.record_run(ws, "2026-W47", ctx.as_of, {}, last, ctx)
        stored = h.conn.execute("SELECT target, assignee, times, since FROM followups "
                                "ORDER BY id").fetchall()
        assert stored[0] == ("LR-017", "ZY-004", 1, "2026-W47")
        assert stored[1][0] == "SQ-031" and stored[1][1].startswith("#")   # no staff name kept
        ctx = _carry_context(date(2026, 11, 23))
        now = [_order(ctx, 1, "visit", "LR-017", "elderly", "ZY-005", "黄芳", "巡访"),
               _order(ctx, 2, "request_chase", "SQ-031", "requests", "施晓红", "施晓红"),
               _order(ctx, 3, "bp_recheck", "LR-017", "elderly", "ZY-004", "曹玲", "量血压"),
               _order(ctx, 4, "safety_check", "LR-017", "elderly", "ZY-004", "曹玲")]
        found = h.repeats("2026-W48", now, ctx)
        assert sorted(found) == ["FU-2026W48-001", "FU-2026W48-002", "FU-2026W48-004"]
        visit = found["FU-2026W48-001"]
        assert (visit.previous, visit.adjacent, visit.assignee, visit.assignee_name, visit.times,
                visit.weeks) == ("2026-W47", True, "ZY-004", "曹玲", 2, True)
        assert visit.planned == date(2026, 11, 16)
        chase = found["FU-2026W48-002"]
        assert (chase.assignee, chase.assignee_name) == ("施晓红", "施晓红")
        safety = found["FU-2026W48-004"]
        assert not safety.assigned and safety.assignee is None
        # a re-run of W48 compares with W47 again, never with W48's own earlier run
        for fu in now:
            fu.repeat = found.get(fu.id)
        h.record_run(ws, "2026-W48", ctx.as_of, {}, now, ctx)
        assert sorted(h.repeats("2026-W48", now, ctx)) == sorted(found)
        # a third week: 连续第3周 for the visit; W50 skipped, W51 then counts runs, not weeks
        ctx = _carry_context(date(2026, 11, 30))
        third = [_order(ctx, 1, "visit", "LR-017", "elderly", "ZY-004", "曹玲", "巡访")]
        again = h.repeats("2026-W49", third, ctx)["FU-2026W49-001"]
        assert (again.times, again.since, again.weeks, again.assignee) == (3, "2026-W47", True, "ZY-005")
        third[0].repeat = again
        h.record_run(ws, "2026-W49", ctx.as_of, {}, third, ctx)
        ctx = _carry_context(date(2026, 12, 14))
        late = [_order(ctx, 1, "visit", "LR-017", "elderly", "ZY-004", "曹玲", "巡访")]
        gap = h.repeats("2026-W51", late, ctx)["FU-2026W51-001"]
        assert (gap.previous, gap.adjacent, gap.times, gap.weeks) == ("2026-W49", False, 4, False)
    finally:
        h.close()


def test_a_followup_on_a_rows_place_or_an_unknown_name_is_matched_safely(tmp_path):
    """A target that is a row's place (nothing named it) is never stored or matched; a resident
    named only by name in a visit row is stored as a hash, and still matched next week."""
    from toolkit.model import finding

    h = History.open(tmp_path / "h.sqlite")
    try:
        ws = Workspace(".", records={})
        ctx = _carry_context(date(2026, 11, 16))
        place = _order(ctx, 1, "visit", "巡访记录.xlsx/2026年/9", "elderly")
        place.findings = [finding("C311", file="巡访记录.xlsx", sheet="2026年", row=9)]
        named = _order(ctx, 2, "visit", "李阿公", "elderly", "ZY-004", "曹玲", "巡访")
        h.record_run(ws, "2026-W47", ctx.as_of, {}, [place, named], ctx)
        rows = h.conn.execute("SELECT target FROM followups").fetchall()
        assert len(rows) == 1 and rows[0][0].startswith("#") and "李阿公" not in rows[0][0]
        ctx = _carry_context(date(2026, 11, 23))
        place2 = _order(ctx, 1, "visit", "巡访记录.xlsx/2026年/9", "elderly")
        place2.findings = [finding("C311", file="巡访记录.xlsx", sheet="2026年", row=9)]
        named2 = _order(ctx, 2, "visit", "李阿公", "elderly", "ZY-004", "曹玲", "巡访")
        assert sorted(h.repeats("2026-W48", [place2, named2], ctx)) == ["FU-2026W48-002"]
    finally:
        h.close()


def test_a_history_of_schema_3_is_migrated_and_has_no_followups_to_carry(tmp_path):
    """A database written before follow-ups were stored gains the table; its weeks carry
    nothing (no error, no note), and the next run's follow-ups are stored."""
    from toolkit.automate.history import MIGRATIONS

    db = tmp_path / "h.sqlite"
    conn = sqlite3.connect(db)
    for v in (1, 2, 3):
        conn.executescript(MIGRATIONS[v])
    conn.execute("PRAGMA user_version = 3")
    conn.execute("INSERT INTO runs VALUES ('2026-W47', '2026-11-16', '{}')")
    conn.commit()
    conn.close()
    h = History.open(db)
    try:
        assert h.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        ctx = _carry_context(date(2026, 11, 23))
        now = [_order(ctx, 1, "visit", "LR-017", "elderly", "ZY-004", "曹玲", "巡访")]
        assert h.repeats("2026-W48", now, ctx) == {}
        h.record_run(Workspace(".", records={}), "2026-W48", ctx.as_of, {}, now, ctx)
        assert h.conn.execute("SELECT week, id FROM followups").fetchall() == [
            ("2026-W48", "FU-2026W48-001")]
    finally:
        h.close()
