"""The shared lookups rules read instead of walking every record (issue #20): a ledger read
down its columns (``ctx.columns``), the open requests by stage (``ctx.lifecycle``), a
resident's latest reading, and a run that leaves no reference cycle around its records."""
from __future__ import annotations

import gc
from datetime import date, timedelta
from pathlib import Path

import pytest

from helpers import AS_OF, SAMPLE, make_context, make_record
from toolkit import pipeline, schema
from toolkit.domain.columns import Columns
from toolkit.domain.requests import is_open, stage
from toolkit.model import Record
from toolkit.read import read_workspace
from toolkit.settings import Settings


def visit(row, day, **values):
    base = dict(date=day, volunteer="ZY-002", service=("巡访",), outcome="正常")
    base.update(values)
    return make_record("visits", row, **base)


# ------------------------------------------------------------------ ctx.columns
def test_values_are_each_records_value_in_ledger_order():
    rows = [visit(2, AS_OF, hours=1.5), visit(3, AS_OF), visit(4, AS_OF, hours=30.0)]
    columns = make_context(*rows).columns
    assert columns.values("visits", "hours") == [1.5, None, 30.0]
    assert columns.values("visits", "no_such_key") == [None, None, None]
    assert columns.values("requests", "id") == []


def test_where_gives_the_records_passing_any_test_in_ledger_order_asking_once_per_value():
    rows = [visit(n, AS_OF, hours=h, issue=i) for n, (h, i) in enumerate(
        [(1.0, None), (30.0, None), (1.0, "灯坏了"), (30.0, None), (2.0, None)], start=2)]
    asked: list = []

    def too_long(hours):
        asked.append(hours)
        return hours is not None and hours > 24

    found = make_context(*rows).columns.where("visits", {"hours": too_long, "issue": bool})
    assert [r.row for r in found] == [3, 4, 5]          # rows 3 and 5 by hours, 4 by issue
    assert sorted(asked) == [1.0, 2.0, 30.0]             # each distinct value once
    assert make_context(*rows).columns.where("visits", {"hours": lambda h: False}) == []


def test_where_with_an_unhashable_value_gives_every_record():
    rows = [make_record("visits", 2, date=AS_OF), make_record("visits", 3, date=AS_OF)]
    rows[1].values["service"] = ["巡访"]               # a list: no per-value answer possible
    found = make_context(*rows).columns.where("visits", {"service": lambda v: False})
    assert found == rows


# ------------------------------------------------------------------ ctx.lifecycle
def test_open_requests_by_stage_are_those_stage_and_is_open_give():
    day = date(2026, 11, 2)
    rows = [make_record("requests", 2, id="SQ-1", received=day),
            make_record("requests", 3, id="SQ-2", received=day, category="环境卫生"),
            make_record("requests", 4, id="SQ-3", received=day, category="环境卫生",
                        assignee="王", replied=day),
            make_record("requests", 5, id="SQ-4", received=day, category="环境卫生",
                        assignee="王", replied=day, status="重办"),
            make_record("requests", 6, id="SQ-5", received=day)]
    lifecycle = make_context(*rows).lifecycle
    for k in range(5):
        assert lifecycle.open_at(k) == [r for r in rows if stage(r) == k and is_open(r)]
    assert [r.id for r in lifecycle.open_at(0)] == ["SQ-1", "SQ-5"]
    assert [r.id for r in lifecycle.open_at(4)] == ["SQ-4"]       # replied, but 重办


# ------------------------------------------------------------------ latest reading
def test_latest_reading_is_the_last_of_the_readings():
    elder = make_record("elderly", 2, id="LR-002", name="老人", estate="松和苑", address="1号",
                        lives_alone=True)
    visits = [visit(2, AS_OF - timedelta(days=20), elderly_id="LR-002", blood_pressure=(150, 90)),
              visit(3, AS_OF - timedelta(days=10), elderly_id="LR-002", blood_pressure=(300, 80)),
              visit(4, AS_OF - timedelta(days=5), elderly_id="LR-002"),
              visit(5, AS_OF + timedelta(days=1), elderly_id="LR-002", blood_pressure=(120, 80))]
    care = make_context(elder, *visits).care
    latest = care.latest_reading(elder)        # asked first: found from the latest visit back
    assert latest == (visits[0], (150, 90))    # 300/80 is implausible; row 5 is after as-of
    assert care.readings(elder) == [latest]
    assert care.latest_reading(elder) == latest
    other = make_record("elderly", 3, id="LR-003", name="别人", estate="松和苑", address="2号",
                        lives_alone=False)
    assert make_context(other).care.latest_reading(other) is None


# ------------------------------------------------------------------ no cycles
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="samples/xinze is not in this checkout")
def test_a_checked_communitys_records_need_no_cycle_collector():
    """Nothing a check builds (the context, the care and council indexes, the column view)
    refers back to what holds it: once the result is dropped its records are freed at once,
    not kept until a full collection (a town checked in one process, and every run's exit,
    paid for that)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        before = sum(1 for o in gc.get_objects() if type(o) is Record)   # other tests' records
        result = pipeline.check([SAMPLE], as_of=AS_OF)
        ctx = result.context
        ctx.care, ctx.columns, ctx.lifecycle         # every shared lookup built
        assert result.workspace.ledger("visits")
        del result, ctx                # the collector is off: only reference counts free them
        left = sum(1 for o in gc.get_objects() if type(o) is Record)
        assert left == before
    finally:
        if enabled:
            gc.enable()


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _changed_after_parsing(folder: Path) -> Path:
    """A 小区 taken from a sheet's name, a meeting's date continued from the row above."""
    folder.mkdir()
    (folder / "松和苑诉求.csv").write_text("编号,登记日期,来源,诉求内容\nSQ-1,2026-11-02,来电,路灯\n"
                                        "SQ-2,2026-11-03,来电,噪音\n", encoding="utf-8")
    (folder / "议事会.csv").write_text("会议日期,会议名称,议题\n2026-11-05,居民议事会,加装电梯\n"
                                     ",,停车\n2026-11-12,,绿化\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", ["xinze", "clerks", "read", "changed"])
def test_the_readers_columns_are_what_the_records_hold(name, tmp_path):
    """The columns the reader hands over (``Workspace.columns``) are each record's values,
    object for object — also after a 小区 taken from a sheet's name or a meeting's date
    continued from the row above (values changed after parsing)."""
    folder = {"xinze": SAMPLE, "clerks": FIXTURES / "clerks", "read": FIXTURES / "read"}.get(name)
    if folder is None:
        folder = _changed_after_parsing(tmp_path / "changed")
    if not folder.is_dir():
        pytest.skip(f"{folder} is not in this checkout")
    workspace = read_workspace([folder], as_of=AS_OF, settings=Settings(estates=("松和苑",)))
    columns = Columns(workspace.ledger, workspace.columns)
    handed = 0
    for kind in schema.KINDS:
        records = workspace.ledger(kind)
        for key in schema.LEDGERS[kind].keys:
            handed += columns._given_values(kind, key) is not None
            values = columns.values(kind, key)
            assert len(values) == len(records)
            assert all(v is r.values.get(key) for v, r in zip(values, records)), (kind, key)
    assert handed                           # the reader did hand its columns over
    if name == "changed":
        assert [r.values["estate"] for r in workspace.ledger("requests")] == ["松和苑", "松和苑"]
        assert [r.values["date"] for r in workspace.ledger("meetings")] == [
            date(2026, 11, 5), date(2026, 11, 5), date(2026, 11, 12)]
