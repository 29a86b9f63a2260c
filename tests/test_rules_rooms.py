"""Activity rooms: U901–U904, time ranges and the 活动室 settings on inline records (issue #17)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from helpers import AS_OF, make_context, make_record
from toolkit.check import rooms
from toolkit.read.normalise import parse
from toolkit.clock import Clock, TimeRange
from toolkit.settings import RoomSetting, Settings

D = AS_OF  # 2026-11-23, a Monday
DANCE = RoomSetting("舞蹈室", "松和苑", ("舞蹈房",), frozenset(range(7)), False,
                    ((510, 690), (810, 1230)), 20, row=2)
PINGPONG = RoomSetting("乒乓球室", "", ("乒乓室",), frozenset(), True, ((510, 1230),), None, row=3)


def ago(days: int) -> date:
    return D - timedelta(days=days)


def slot(text: str) -> TimeRange:
    return parse("time range", text, as_of=D).value


def book(row, day=None, room="舞蹈室", when="09:00-11:00", **values):
    base = dict(date=day or ago(1), room=room, slot=slot(when) if when else None, user=f"团队{row}")
    base.update(values)
    return make_record("rooms", row, **base)


def run(fn, *records, rooms_=(DANCE, PINGPONG), **kw):
    settings = Settings(rooms=tuple(rooms_)) if rooms_ is not None else Settings()
    return list(fn(make_context(*records, settings=settings, **kw)))


# ------------------------------------------------------------------ time ranges
@pytest.mark.parametrize("text,expected", [
    ("09:00-11:00", (540, 660)), ("9:00～11:30", (540, 690)), ("9点半-11点", (570, 660)),
    ("９：００－１１：００", (540, 660)), ("8:30—11:30", (510, 690)), ("9:00至11:30", (540, 690)),
    ("下午2点-4点", (840, 960)), ("上午", (510, 690)), ("下午", (810, 1020)), ("晚上", (1110, 1230)),
])
def test_time_ranges_as_staff_write_them(text, expected):
    value = slot(text)
    assert (value.start, value.end) == expected


def test_all_day_and_unreadable_ranges():
    assert slot("全天").all_day
    for bad in ("11:00-9:00", "上午九点", "9:00", "下周"):
        parsed = parse("time range", bad, as_of=D)
        assert parsed.value is None and parsed.error == "D102"


# ------------------------------------------------------------------ U901
def test_u901_on_the_later_booking_naming_the_other():
    a, b = book(2, when="09:00-11:00"), book(3, when="10:30-12:00")
    [f] = run(rooms.overlapping, b, a)
    assert (f.code, f.severity, f.row, f.column) == ("U901", "error", 3, "C")
    assert "第2行" in f.message.zh and "团队2" in f.message.zh


def test_u901_back_to_back_bookings_do_not_overlap():
    assert run(rooms.overlapping, book(2, when="09:00-11:00"), book(3, when="11:00-12:00")) == []
    assert run(rooms.overlapping, book(2, when="上午"), book(3, when="下午")) == []


def test_u901_same_start_is_on_the_later_row_and_alias_is_the_same_room():
    [f] = run(rooms.overlapping, book(2, when="09:00-10:00"), book(3, room="舞蹈房", when="09:00-11:00"))
    assert f.row == 3
    # other days, other rooms do not clash
    assert run(rooms.overlapping, book(2), book(3, day=ago(2))) == []
    assert run(rooms.overlapping, book(2), book(3, room="乒乓球室")) == []


def test_u901_all_day_takes_the_opening_hours_and_works_without_settings():
    [f] = run(rooms.overlapping, book(2, when="全天"), book(3, when="14:00-15:00"))
    assert f.row == 3
    assert run(rooms.overlapping, book(2, when="全天"), book(3, when="12:00-13:00")) == []  # lunch break
    assert len(run(rooms.overlapping, book(2, room="书屋"), book(3, room="书屋", when="10:00-12:00"),
                   rooms_=None)) == 1


def test_u901_start_and_end_columns():
    a = book(2, when=None, start=Clock(540), end=Clock(660))
    b = book(3, when=None, start=Clock(600), end=Clock(630))
    assert [f.row for f in run(rooms.overlapping, a, b)] == [3]


# ------------------------------------------------------------------ U902
def test_u902_outside_hours_partly_and_wholly_and_across_the_lunch_break():
    assert run(rooms.outside_opening, book(2, when="09:00-11:30")) == []
    assert run(rooms.outside_opening, book(2, when="08:00-09:00"))
    assert run(rooms.outside_opening, book(2, when="11:00-14:00"))      # lunch break 11:30-13:30
    assert run(rooms.outside_opening, book(2, when="晚上")) == []
    assert run(rooms.outside_opening, book(2, when="全天")) == []


def test_u902_closed_days_and_working_days_follow_the_calendar():
    saturday, sunday = date(2026, 11, 21), date(2026, 11, 22)
    assert run(rooms.outside_opening, book(2, day=D, room="乒乓室")) == []
    [f] = run(rooms.outside_opening, book(2, day=saturday, room="乒乓室"))
    assert "不开放" in f.message.zh and f.column == "A"
    # 调休: a Sunday made a working day (settings 节假日) opens a 工作日 room
    settings = Settings(rooms=(PINGPONG,), holidays={sunday: True})
    assert list(rooms.outside_opening(make_context(book(2, day=sunday, room="乒乓室"),
                                                   settings=settings))) == []


def test_u902_to_u904_off_without_room_settings():
    records = [book(2, when="06:00-07:00", attendance=500)]
    for fn in (rooms.outside_opening, rooms.over_capacity, rooms.idle_room):
        assert run(fn, *records, rooms_=None) == []


# ------------------------------------------------------------------ U903
def test_u903_attendance_above_capacity():
    assert run(rooms.over_capacity, book(2, attendance=20)) == []
    [f] = run(rooms.over_capacity, book(2, attendance=21))
    assert (f.code, f.column) == ("U903", "I")
    assert run(rooms.over_capacity, book(2, room="乒乓球室", attendance=99)) == []   # unchecked


# ------------------------------------------------------------------ U904
def test_u904_idle_room_on_its_settings_row():
    found = run(rooms.idle_room, book(2, day=ago(29)), book(3, room="乒乓球室", day=ago(30)))
    [f] = found
    assert (f.code, f.severity, f.file, f.sheet, f.row, f.record) == \
        ("U904", "info", "设置.xlsx", "活动室", 3, "乒乓球室")
    # a booking ahead of the as-of date does not make a room used
    assert len(run(rooms.idle_room, book(2, day=ago(1)), book(3, room="乒乓球室", day=D + timedelta(days=3)))) == 1
    assert run(rooms.idle_room) == []          # no rooms ledger: silent


# ------------------------------------------------------------------ one name, two 小区
PP_SONGHE = RoomSetting("乒乓球室", "松和苑", ("乒乓室",), None, False, ((510, 1230),), None, row=2)
PP_YONGZE = RoomSetting("乒乓球室", "咏泽苑", ("乒乓室",), None, False, ((510, 1230),), None, row=3)


def test_a_booking_of_a_shared_name_without_its_estate_is_d109_naming_the_rooms():
    both = (PP_SONGHE, PP_YONGZE)
    [f] = run(rooms.unknown_room, book(2, room="乒乓室", day=ago(6)), rooms_=both)
    assert (f.code, f.severity, f.row, f.column) == ("D109", "warning", 2, "B")
    assert "有2间（乒乓球室（松和苑）、乒乓球室（咏泽苑））" in f.message.zh
    assert "没有写小区" in f.message.zh and "没有计入任何一间" in f.message.zh
    assert "“松和苑”、“咏泽苑”" in f.fix.zh and f.message.en and f.fix.en
    [g] = run(rooms.unknown_room, book(2, room="乒乓室", estate="莘城苑"), rooms_=both)
    assert "小区“莘城苑”不是其中之一" in g.message.zh
    assert run(rooms.unknown_room, book(2, room="乒乓室", estate="咏泽苑"), rooms_=both) == []


def test_u904_never_calls_a_room_idle_that_a_booking_without_its_estate_may_be():
    both = (PP_SONGHE, PP_YONGZE)
    # booked 6 days ago, 小区 unknown: neither room is idle (whether it was used is not known)
    assert run(rooms.idle_room, book(2, room="乒乓室", day=ago(6)), rooms_=both) == []
    # the room's own booking in 咏泽苑 decides that one; 松和苑 may still be the one booked
    assert run(rooms.idle_room, book(2, room="乒乓室", day=ago(6)),
               book(3, room="乒乓室", estate="咏泽苑", day=ago(3)), rooms_=both) == []
    # an ambiguous booking 40 days ago: both idle, and neither said to be never used
    found = run(rooms.idle_room, book(2, room="乒乓室", day=ago(40)), rooms_=both)
    assert [f.row for f in found] == [2, 3]
    for f in found:
        assert "没有任何使用记录" not in f.message.zh
        assert "没有确定是这一间的使用记录" in f.message.zh and ago(40).isoformat() in f.message.zh


def test_rooms_sheet_labels_a_shared_name_booking_and_counts_it_for_neither(tmp_path):
    from dataclasses import replace

    import openpyxl

    from toolkit.check import run_rules
    from toolkit.report.staff import write_staff_report
    ctx = make_context(book(2, room="乒乓室", day=ago(6)))
    ctx.settings = replace(ctx.settings, rooms=(PP_SONGHE, PP_YONGZE))
    path = write_staff_report(tmp_path / "r.xlsx", ctx, run_rules(ctx), [], period="month")
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path)["活动室"].iter_rows()]
    names = [r[0] for r in rows if r and r[0]]
    assert "乒乓室（未在设置中）" not in names
    assert "乒乓室（同名的有几间，未能确定是哪一间）" in names
    listed = [r for r in rows if r and r[0] and r[0].startswith("乒乓球室")]
    assert [(r[3], r[5], r[8]) for r in listed] == [(0, 0, "否"), (0, 0, "否")]   # not idle either


def test_weekly_table_and_chart_tell_apart_two_rooms_of_one_name(tmp_path):
    from dataclasses import replace

    import openpyxl

    from toolkit.check import run_rules
    from toolkit.report.staff import write_staff_report
    ctx = make_context(book(2, room="乒乓室", estate="松和苑", day=ago(6)),
                       book(3, room="舞蹈室", day=ago(6)))
    ctx.settings = replace(ctx.settings, rooms=(PP_SONGHE, PP_YONGZE, DANCE))
    path = write_staff_report(tmp_path / "r.xlsx", ctx, run_rules(ctx), [], period="month")
    sheet = openpyxl.load_workbook(path)["活动室"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    head = next(r for r in rows if r and r[0] == "周")
    assert head[1:4] == ["乒乓球室（松和苑）", "乒乓球室（咏泽苑）", "舞蹈室"]
    # the chart's series take their names from these header cells
    import zipfile
    with zipfile.ZipFile(path) as z:
        xml = next(x for x in (z.read(n).decode() for n in z.namelist()
                               if n.startswith("xl/charts/chart")) if "各活动室每周利用率" in x)
    assert xml.count("<c:tx><c:strRef>") == 3
    assert "<c:v>乒乓球室（松和苑）</c:v>" in xml and "<c:v>乒乓球室（咏泽苑）</c:v>" in xml


# ------------------------------------------------------------------ D101/D102/D109
def test_start_without_end_and_unknown_room():
    [f] = run(rooms.start_without_end, book(2, when=None, start=Clock(540)))
    assert f.code == "D101"
    [g] = run(rooms.start_without_end, book(2, when=None, start=Clock(600), end=Clock(540)))
    assert g.code == "D102"
    [h] = run(rooms.unknown_room, book(2, room="瑜伽室"))
    assert h.code == "D109" and "舞蹈室" in h.message.zh
    assert run(rooms.unknown_room, book(2, room="瑜伽室"), rooms_=None) == []


def test_u902_holidays_excepted_close_on_public_holidays_only():
    """开放日 每天（节假日除外）: closed on 国庆 (a Thursday), open on an ordinary Sunday."""
    from toolkit.read.settings import read_settings
    from toolkit.domain.services_rooms import open_on
    from toolkit.workdays import WorkCalendar
    room = RoomSetting("书屋", "", (), None, False, ((510, 1230),), None, row=2, holidays_off=True)
    cal = WorkCalendar()
    assert not open_on(room, date(2026, 10, 1), cal) and open_on(room, date(2026, 11, 22), cal)
    [f] = run(rooms.outside_opening, book(2, day=date(2026, 10, 1), room="书屋"), rooms_=(room,))
    assert "不开放" in f.message.zh


def test_an_unreadable_time_is_told_how_to_write_a_time_not_a_date(tmp_path):
    """D102 of a 时段 or an end time gave the date fix 按 2026-11-03 的格式填写真实日期."""
    from toolkit.read import read_workspace
    (tmp_path / "活动室使用登记.csv").write_text(
        "使用日期,活动室,时段,活动名称,参加人数\n2026-11-03,舞蹈室,随便,排练,10\n"
        "2026-11-04,舞蹈室,09:00-11:00,排练,12\n", encoding="utf-8")
    [f] = [f for f in read_workspace([tmp_path], as_of=AS_OF).findings if f.code == "D102"]
    assert "09:00-11:00" in f.fix.zh and "2026-11-03" not in f.fix.zh and "09:00-11:00" in f.fix.en
    [g] = run(rooms.start_without_end, book(2, when=None, start=Clock(600), end=Clock(540)))
    assert g.code == "D102" and "结束时间" in g.fix.zh and "2026-11-03" not in g.fix.zh
