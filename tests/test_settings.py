"""Reading 设置.xlsx: defaults when missing, S501 at the right sheet/cell for each bad value
(and the default used), holidays, categories, duty staff, unreadable files."""
from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from toolkit import schema
from toolkit.read.settings import read_settings
from toolkit.report.templates import write_settings
from toolkit.settings import Category, DutyStaff, Settings
from toolkit.workdays import WORKDAYS, WorkCalendar

AS_OF = date(2026, 11, 23)
DEFAULT = Settings()


def settings_file(tmp_path: Path, edits: dict[tuple[str, str], object] | None = None,
                  drop: tuple[str, ...] = (), settings: Settings = DEFAULT) -> Path:
    """A 设置.xlsx with every default, then ``edits`` {(sheet, cell): value} made as staff would."""
    path = write_settings(tmp_path / schema.SETTINGS_FILE, settings, as_of=AS_OF)
    if edits or drop:
        wb = openpyxl.load_workbook(path)
        for (sheet, ref), value in (edits or {}).items():
            wb[sheet][ref] = value
        for sheet in drop:
            del wb[sheet]
        wb.save(path)
    return path


def only_s501(findings):
    assert [f.code for f in findings] == ["S501"], [f.message.zh for f in findings]
    return findings[0]


def test_no_file_means_defaults(tmp_path):
    assert read_settings(None) == (Settings(), [])
    assert read_settings(tmp_path / schema.SETTINGS_FILE) == (Settings(), [])


def test_template_reads_back_as_the_defaults(tmp_path):
    assert read_settings(settings_file(tmp_path)) == (Settings(), [])


def test_missing_sheets_mean_defaults(tmp_path):
    path = settings_file(tmp_path, {("办理时限", "B2"): 5},
                         drop=tuple(s for s in schema.SETTINGS_SHEETS if s != "办理时限"))
    settings, findings = read_settings(path)
    assert findings == []
    assert settings == Settings(classify_days=5)


def test_blank_cells_mean_defaults(tmp_path):
    path = settings_file(tmp_path, {("阈值", "B2"): None, ("基本信息", "B6"): None,
                                    ("巡访频次", "C2"): None, ("报送", "B2"): None})
    assert read_settings(path) == (Settings(), [])


@pytest.mark.parametrize("sheet, ref, raw, header, check", [
    ("办理时限", "B2", "两天", "分类时限", lambda s: s.classify_days == 2),
    ("办理时限", "B4", 0, "答复时限", lambda s: s.reply_days == 3),
    ("阈值", "B2", -5, "高血压收缩压", lambda s: s.thresholds.bp_high_sys == 140),
    ("阈值", "B5", "八十", "高龄年龄", lambda s: s.thresholds.old_age == 80),
    ("巡访频次", "C3", "一个月", "间隔天数", lambda s: s.intervals == {"A": 7, "B": 30, "C": 90}),
    ("巡访频次", "A3", "D", "等级", lambda s: s.intervals["B"] == 30),
    ("基本信息", "B6", "周八 08:30", "周检查时间",
     lambda s: (s.schedule_weekday, s.schedule_time) == (0, time(8, 30))),
    ("基本信息", "B6", "周三 25:00", "周检查时间",               # the weekday written is kept
     lambda s: (s.schedule_weekday, s.schedule_time) == (2, time(8, 30))),
    ("报送", "B2", "也许", "脱敏", lambda s: s.mask is True),
    ("报送", "B3", "年", "报送周期", lambda s: s.period == "month"),
    ("诉求类别", "D2", "很快", "办理时限(工作日)",
     lambda s: s.categories[0] == Category("电动自行车停放", "", 15)),
])
def test_bad_value_is_s501_at_the_cell_and_default_used(tmp_path, sheet, ref, raw, header, check):
    settings, findings = read_settings(settings_file(tmp_path, {(sheet, ref): raw}))
    f = only_s501(findings)
    assert (f.file, f.sheet, f.column, f.row, f.header, f.value) == (
        schema.SETTINGS_FILE, sheet, ref[0], int(ref[1:]), header, raw)
    assert f.severity == "warning" and sheet in f.message.zh and ref in f.message.zh
    assert f.message.en and f.fix.zh
    assert check(settings)


def test_values_are_read_by_row_label_not_position(tmp_path):
    path = settings_file(tmp_path, {("阈值", "A2"): "每名志愿者结对上限", ("阈值", "B2"): 3,
                                    ("阈值", "A11"): "高血压收缩压", ("阈值", "B11"): 150})
    settings, findings = read_settings(path)
    assert findings == []
    assert settings.thresholds.volunteer_pair_cap == 3 and settings.thresholds.bp_high_sys == 150


@pytest.mark.parametrize("raw, weekday, at", [
    ("周三 09:15", 2, time(9, 15)), ("星期五 7:05", 4, time(7, 5)), ("周日", 6, time(8, 30)),
    ("礼拜天 18：00", 6, time(18, 0)), ("周一8:30", 0, time(8, 30)), (time(10, 0), 0, time(10, 0)),
])
def test_schedule_spellings(tmp_path, raw, weekday, at):
    settings, findings = read_settings(settings_file(tmp_path, {("基本信息", "B6"): raw}))
    assert findings == []
    assert (settings.schedule_weekday, settings.schedule_time) == (weekday, at)


def test_basic_info_text(tmp_path):
    path = settings_file(tmp_path, {("基本信息", "B2"): " 莘泽居民区 ", ("基本信息", "B3"): "莘庄镇",
                                    ("基本信息", "B4"): "陈敏", ("基本信息", "B5"): 13812345678})
    settings, findings = read_settings(path)
    assert findings == []
    assert (settings.committee, settings.town, settings.reporter, settings.reporter_phone) == (
        "莘泽居民区", "莘庄镇", "陈敏", "13812345678")


def test_holidays_override_calendar(tmp_path):
    path = settings_file(tmp_path, {
        ("节假日", "A2"): datetime(2027, 1, 1), ("节假日", "B2"): "休",
        ("节假日", "A3"): "2027/2/20", ("节假日", "B3"): "班",
        ("节假日", "A4"): "2027年10月8日", ("节假日", "B4"): "上班",
        ("节假日", "A5"): "2027-02-30", ("节假日", "B5"): "休",      # no such day
        ("节假日", "A6"): "10月9日", ("节假日", "B6"): "休",          # no year
        ("节假日", "A7"): "2027-05-01", ("节假日", "B7"): "放",       # bad type
    })
    settings, findings = read_settings(path)
    assert settings.holidays == {date(2027, 1, 1): False, date(2027, 2, 20): True,
                                 date(2027, 10, 8): True}
    assert [(f.code, f.sheet, f.column, f.row) for f in findings] == [
        ("S501", "节假日", "A", 5), ("S501", "节假日", "A", 6), ("S501", "节假日", "B", 7)]
    assert "2027-02-30" in findings[0].message.zh and "忽略" in findings[0].message.zh


def test_holidays_reach_the_work_calendar(tmp_path):
    from toolkit.workdays import WorkCalendar
    path = settings_file(tmp_path, {("节假日", "A2"): "2026-11-25", ("节假日", "B2"): "休"})
    settings, _ = read_settings(path)
    assert not WorkCalendar(settings.holidays).is_workday(date(2026, 11, 25))


def test_categories_with_owners_and_limits(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "诉求类别"
    ws.append(["类别", "默认责任人", "办理时限(工作日)"])
    ws.append(["加装电梯", "物业经理", 20])
    ws.append(["停车", "", "10天"])
    ws.append(["其他", None, None])                 # blank limit: no limit (R208)
    ws.append([None, None, None])                   # blank row
    ws.append(["停车", "张三", 5])                  # listed twice
    path = tmp_path / schema.SETTINGS_FILE
    wb.save(path)
    settings, findings = read_settings(path)
    assert settings.categories == (Category("加装电梯", "物业经理", 20), Category("停车", "", 10),
                                   Category("其他", "", None))
    assert settings.category("其他").limit_days is None
    f = only_s501(findings)
    assert (f.sheet, f.column, f.row, f.value) == ("诉求类别", "A", 6, "停车")
    assert settings == Settings(categories=settings.categories)


def test_estates_list(tmp_path):
    path = settings_file(tmp_path, {("小区", "A2"): "松和苑", ("小区", "A3"): " 咏泽苑",
                                    ("小区", "A5"): "松和苑"})
    settings, findings = read_settings(path)
    assert findings == []
    assert settings.estates == ("松和苑", "咏泽苑")


def test_duty_staff_weekdays(tmp_path):
    path = settings_file(tmp_path, {
        ("值班人员", "A2"): "陈敏", ("值班人员", "B2"): "13812345678", ("值班人员", "C2"): "周一、周三",
        ("值班人员", "A3"): "王芳", ("值班人员", "C3"): "每天",
        ("值班人员", "A4"): "刘强",                                      # blank: 工作日
        ("值班人员", "A5"): "赵丽", ("值班人员", "C5"): "周八",           # bad: 工作日 + S501
        ("值班人员", "A6"): "钱进", ("值班人员", "C6"): "工作日",
        ("值班人员", "A7"): "孙悦", ("值班人员", "C7"): "周一至周五",
    })
    settings, findings = read_settings(path)
    assert settings.duty == (DutyStaff("陈敏", "13812345678", frozenset({0, 2})),
                             DutyStaff("王芳", "", frozenset(range(7))),
                             DutyStaff("刘强", "", WORKDAYS),
                             DutyStaff("赵丽", "", WORKDAYS),
                             DutyStaff("钱进", "", WORKDAYS),
                             DutyStaff("孙悦", "", frozenset(range(5))))
    cal = WorkCalendar(settings.holidays)
    tiaoxiu, national_day = date(2026, 10, 10), date(2026, 10, 1)       # Saturday, Thursday
    assert [s.on_duty(tiaoxiu, cal) for s in settings.duty] == [False, True, True, True, True, False]
    assert [s.on_duty(national_day, cal) for s in settings.duty] == [False, True, False, False, False, True]
    f = only_s501(findings)
    assert (f.sheet, f.column, f.row, f.header, f.value) == ("值班人员", "C", 5, "值班日", "周八")


def test_filled_settings_round_trip(tmp_path):
    settings = Settings(estates=("松和苑",), intervals={"A": 5, "B": 20, "C": 60},
                        duty=(DutyStaff("陈敏", "", frozenset({1, 3})),),
                        holidays={date(2027, 1, 1): False}, mask=False, period="week")
    assert read_settings(settings_file(tmp_path, settings=settings)) == (settings, [])


def test_garbage_file_is_one_s501_and_defaults(tmp_path):
    path = tmp_path / schema.SETTINGS_FILE
    path.write_bytes(b"this is not a workbook at all")
    settings, findings = read_settings(path)
    assert settings == Settings()
    f = only_s501(findings)
    assert f.file == schema.SETTINGS_FILE and f.sheet is None and "默认" in f.message.zh


def test_encrypted_file_is_one_s501_and_defaults(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile
    plain = settings_file(tmp_path, {("办理时限", "B2"): 9})
    encrypted = tmp_path / "enc" / schema.SETTINGS_FILE
    encrypted.parent.mkdir()
    with open(plain, "rb") as fh, open(encrypted, "wb") as out:
        OOXMLFile(fh).encrypt("1234", out)
    settings, findings = read_settings(encrypted)
    assert settings == Settings()
    f = only_s501(findings)
    assert "密码" in f.message.zh


def test_room_and_duty_days_read_holidays_excepted(tmp_path):
    path = settings_file(tmp_path, {
        ("活动室", "A2"): "书屋", ("活动室", "D2"): "每天（节假日除外）",
        ("值班人员", "A2"): "陈敏", ("值班人员", "C2"): "周一至周六，节假日除外"})
    settings, findings = read_settings(path)
    assert findings == []
    [room] = settings.rooms
    assert (room.days, room.workdays, room.holidays_off) == (None, False, True)
    [staff] = settings.duty
    cal = WorkCalendar(settings.holidays)
    assert not staff.on_duty(date(2026, 10, 1), cal) and staff.on_duty(date(2026, 11, 21), cal)
    (tmp_path / "again").mkdir()
    again, _ = read_settings(settings_file(tmp_path / "again", settings=settings))
    assert again.rooms[0].holidays_off and again.duty == settings.duty     # written back as read


@pytest.mark.parametrize("written, days, workdays, off", [
    ("工作日", frozenset(), True, False), ("工作日、周六", frozenset({5}), True, False),
    ("工作日（节假日除外）", frozenset(), True, True), ("周二至周日", frozenset(range(1, 7)), False, False),
    ("每天", None, False, False), ("节假日除外", None, False, True)])
def test_room_opening_days(tmp_path, written, days, workdays, off):
    path = settings_file(tmp_path, {("活动室", "A2"): "书屋", ("活动室", "D2"): written})
    settings, findings = read_settings(path)
    assert findings == []
    room = settings.rooms[0]
    assert (room.days, room.workdays, room.holidays_off) == (days, workdays, off)


# --- labels and headers as clerks retype them (compared like ledger headers) -----------------

@pytest.mark.parametrize("sheet, row, label, value, check", [
    ("阈值", 5, "高龄年龄（岁）", 85, lambda s: s.thresholds.old_age == 85),
    ("阈值", 2, "高血压收缩压（mmHg）", 130, lambda s: s.thresholds.bp_high_sys == 130),
    ("阈值", 5, " 高龄年龄： ", 85, lambda s: s.thresholds.old_age == 85),
    ("办理时限", 3, "分派时限（工作日）", 5, lambda s: s.assign_days == 5),
    ("议事会", 3, "登记时限", 10, lambda s: s.council_register_days == 10),
    ("基本信息", 6, "每周检查时间", "周三 09:00", lambda s: s.schedule_weekday == 2),
])
def test_item_labels_with_units_or_aliases_are_read(tmp_path, sheet, row, label, value, check):
    settings, findings = read_settings(settings_file(tmp_path, {(sheet, f"A{row}"): label,
                                                                (sheet, f"B{row}"): value}))
    assert findings == []
    assert check(settings)


@pytest.mark.parametrize("header", ["办理时限", "办理时限（天）", "时限(工作日)", " 办理时限 (工作日) "])
def test_category_limit_header_spellings(tmp_path, header):
    settings, findings = read_settings(settings_file(tmp_path, {("诉求类别", "D1"): header,
                                                                ("诉求类别", "D2"): 30}))
    assert findings == []
    assert [c.limit_days for c in settings.categories] == [30] + [15] * 7


@pytest.mark.parametrize("header", ["间隔(天)", "巡访间隔天数", "间隔天数（天）"])
def test_interval_header_spellings(tmp_path, header):
    settings, findings = read_settings(settings_file(tmp_path, {("巡访频次", "C1"): header,
                                                                ("巡访频次", "C2"): 14}))
    assert findings == []
    assert settings.intervals == {"A": 14, "B": 30, "C": 90}


def test_duty_header_zhiban_shijian(tmp_path):
    settings, findings = read_settings(settings_file(tmp_path, {
        ("值班人员", "C1"): "值班时间", ("值班人员", "A2"): "陈敏", ("值班人员", "C2"): "周二、周四"}))
    assert findings == []
    assert settings.duty == (DutyStaff("陈敏", "", frozenset({1, 3})),)


def test_unrecognised_header_with_values_is_s501_and_the_default_limit_stays(tmp_path):
    settings, findings = read_settings(settings_file(tmp_path, {("诉求类别", "D1"): "处理期限",
                                                                ("诉求类别", "D2"): 30}))
    f = only_s501(findings)
    assert (f.sheet, f.column, f.row, f.value) == ("诉求类别", "D", 1, "处理期限")
    assert "处理期限" in f.message.zh and "办理时限(工作日)" in f.message.zh and f.message.en
    assert [c.limit_days for c in settings.categories] == [15] * 8      # not "no limit"


def test_unrecognised_item_label_with_a_value_is_s501(tmp_path):
    settings, findings = read_settings(settings_file(tmp_path, {("阈值", "A5"): "高龄标准",
                                                                ("阈值", "B5"): 85}))
    f = only_s501(findings)
    assert (f.sheet, f.column, f.row, f.value) == ("阈值", "A", 5, "高龄标准")
    assert "高龄标准" in f.message.zh and "高龄年龄" in f.message.zh
    assert settings.thresholds.old_age == 80


def test_note_rows_and_columns_are_not_questioned(tmp_path):
    path = settings_file(tmp_path, {("阈值", "A13"): "说明", ("阈值", "B13"): "按街道通知",
                                    ("诉求类别", "E1"): "备注", ("诉求类别", "E2"): "新增"})
    assert read_settings(path) == (Settings(), [])


# --- an item label entered twice (a new row instead of editing the old one) -----------------

def test_item_label_twice_the_filled_row_is_used(tmp_path):
    settings, findings = read_settings(settings_file(tmp_path, {
        ("阈值", "B5"): None, ("阈值", "A13"): "高龄年龄", ("阈值", "B13"): 85,
        ("办理时限", "B3"): None, ("办理时限", "A7"): "分派时限", ("办理时限", "B7"): 5}))
    assert findings == []
    assert settings.thresholds.old_age == 85 and settings.assign_days == 5


def test_item_label_twice_with_different_values_is_s501_on_the_other_row(tmp_path):
    settings, findings = read_settings(settings_file(tmp_path, {
        ("阈值", "A13"): "高龄年龄（岁）", ("阈值", "B13"): 85,
        ("阈值", "A14"): "高血压收缩压", ("阈值", "B14"): "140"}))      # same value: no finding
    f = only_s501(findings)
    assert (f.sheet, f.column, f.row, f.value) == ("阈值", "B", 13, 85)
    assert "B5" in f.message.zh and "80" in f.message.zh and "85" in f.message.zh
    assert settings.thresholds.old_age == 80


def test_item_label_twice_a_bad_first_value_gives_way_to_the_good_one(tmp_path):
    settings, findings = read_settings(settings_file(tmp_path, {
        ("阈值", "B5"): "八十", ("阈值", "A13"): "高龄年龄", ("阈值", "B13"): 85}))
    f = only_s501(findings)
    assert (f.column, f.row) == ("B", 5) and "B13" in f.message.zh
    assert settings.thresholds.old_age == 85


# --- numbers of days: bare or with the column's unit ------------------------------------------

@pytest.mark.parametrize("sheet, ref, raw, check", [
    ("办理时限", "B3", "5个工作日", lambda s: s.assign_days == 5),
    ("办理时限", "B3", "5 个工作日", lambda s: s.assign_days == 5),
    ("办理时限", "B3", "5日", lambda s: s.assign_days == 5),
    ("办理时限", "B3", "１５", lambda s: s.assign_days == 15),
    ("办理时限", "B3", "3.0", lambda s: s.assign_days == 3),
    ("诉求类别", "D2", "15个工作日", lambda s: s.categories[0].limit_days == 15),
    ("诉求类别", "D2", "20天", lambda s: s.categories[0].limit_days == 20),
    ("议事会", "B3", "10个工作日", lambda s: s.council_register_days == 10),
    ("巡访频次", "C2", "14天", lambda s: s.intervals["A"] == 14),
])
def test_day_counts_with_their_unit(tmp_path, sheet, ref, raw, check):
    settings, findings = read_settings(settings_file(tmp_path, {(sheet, ref): raw}))
    assert findings == []
    assert check(settings)


@pytest.mark.parametrize("sheet, ref, raw, check", [
    ("巡访频次", "C2", "每周1次", lambda s: s.intervals["A"] == 7),
    ("巡访频次", "C2", "每周2次", lambda s: s.intervals["A"] == 7),
    ("巡访频次", "C2", "7个工作日", lambda s: s.intervals["A"] == 7),
    ("办理时限", "B3", "5小时", lambda s: s.assign_days == 3),
    ("诉求类别", "D2", "2周", lambda s: s.categories[0].limit_days == 15),
    ("议事会", "B3", "5次", lambda s: s.council_register_days == 5),
])
def test_no_number_of_days_is_s501_and_the_default(tmp_path, sheet, ref, raw, check):
    settings, findings = read_settings(settings_file(tmp_path, {(sheet, ref): raw}))
    f = only_s501(findings)
    assert (f.sheet, f"{f.column}{f.row}", f.value) == (sheet, ref, raw)
    assert "天数" in f.message.zh
    assert check(settings)


# --- 周检查时间 as clerks write it --------------------------------------------------------------

@pytest.mark.parametrize("raw, weekday, at", [
    ("周三 9点半", 2, time(9, 30)), ("每周一 08:30", 0, time(8, 30)), ("周一上午8:30", 0, time(8, 30)),
    ("周二 下午2点", 1, time(14, 0)), ("每周一上午8点半", 0, time(8, 30)), ("星期四 9点30分", 3, time(9, 30)),
    ("礼拜五 15:00", 4, time(15, 0)), ("08:30 周三", 2, time(8, 30)), ("周1 08:30", 0, time(8, 30)),
    (datetime(1899, 12, 30, 9, 15), 0, time(9, 15)),
])
def test_schedule_clerk_spellings(tmp_path, raw, weekday, at):
    settings, findings = read_settings(settings_file(tmp_path, {("基本信息", "B6"): raw}))
    assert findings == []
    assert (settings.schedule_weekday, settings.schedule_time) == (weekday, at)


def test_schedule_unreadable_time_keeps_the_weekday_written(tmp_path):
    settings, findings = read_settings(settings_file(tmp_path, {("基本信息", "B6"): "周三 早点"}))
    f = only_s501(findings)
    assert (f.column, f.row) == ("B", 6) and "周三 08:30" in f.message.zh and f.message.en
    assert (settings.schedule_weekday, settings.schedule_time) == (2, time(8, 30))


@pytest.mark.parametrize("raw", ["周一、周四 08:30", "Monday 08:30", datetime(2026, 11, 23)])
def test_schedule_not_one_weekday_and_time_is_s501_and_the_default(tmp_path, raw):
    settings, findings = read_settings(settings_file(tmp_path, {("基本信息", "B6"): raw}))
    f = only_s501(findings)
    assert "周一 08:30" in f.message.zh
    assert (settings.schedule_weekday, settings.schedule_time) == (0, time(8, 30))


# --- the settings workbook saved under another name or format --------------------------------

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_settings_saved_as_xls_are_read(tmp_path):
    """tests/fixtures/settings/设置.xls: 设置.xlsx saved as .xls by LibreOffice (A = 14 days)."""
    settings, findings = read_settings(FIXTURES / "settings" / "设置.xls")
    assert findings == []
    assert settings.committee == "莘泽居民区" and settings.intervals == {"A": 14, "B": 30, "C": 90}


@pytest.mark.parametrize("name, ok", [
    ("设置.xlsx", True), ("设置.xls", True), ("设置.ods", True), ("设置(1).xlsx", True),
    ("设置（2）.xlsx", True), ("设置 - 副本.xlsx", True), ("设置 - 副本 (2).xlsx", True),
    ("设置的副本.xlsx", True), ("设置说明.xlsx", False), ("设置.csv", False), ("老年人台账.xlsx", False),
])
def test_settings_names(name, ok):
    from toolkit.read.files import is_settings_name
    assert is_settings_name(name) is ok


def test_find_settings_prefers_the_real_name(tmp_path):
    from toolkit.read.settings import find_settings
    assert find_settings(tmp_path) is None
    copy = settings_file(tmp_path).rename(tmp_path / "设置(1).xlsx")
    assert find_settings(tmp_path) == copy
    real = settings_file(tmp_path)
    assert find_settings(tmp_path) == real


def test_a_copied_settings_workbook_is_the_settings_not_a_ledger(tmp_path):
    from helpers import make_workspace
    from toolkit import pipeline
    work = make_workspace(tmp_path / "w")
    wb = openpyxl.load_workbook(work / "设置.xlsx")
    wb["巡访频次"]["C2"] = 14
    wb.save(work / "设置 - 副本.xlsx")
    (work / "设置.xlsx").unlink()
    result = pipeline.check([work], as_of=AS_OF)
    assert result.settings.intervals["A"] == 14 and result.settings.committee
    assert not [f for f in result.findings if f.code in ("F003", "S501", "S503")
                and "设置" in (f.file or "")], [f.message.zh for f in result.findings if f.code == "F003"]


def test_s503_names_the_settings_copy_read(tmp_path):
    from helpers import make_workspace
    from toolkit import pipeline
    work = make_workspace(tmp_path / "w")
    wb = openpyxl.load_workbook(work / "设置.xlsx")
    wb["基本信息"]["B2"] = None
    wb.save(work / "设置(1).xlsx")
    (work / "设置.xlsx").unlink()
    [f] = [f for f in pipeline.check([work], as_of=AS_OF).findings if f.code == "S503"]
    assert f.file == "设置(1).xlsx" and "设置(1).xlsx" in f.message.zh


# --- S502: a year the built-in calendar does not know -----------------------------------------

def _s502(overrides, *days):
    from toolkit.workdays import WorkCalendar
    calendar = WorkCalendar(overrides)
    for day in days:
        calendar.is_workday(day)
    return calendar.coverage_findings()


def test_one_holiday_row_does_not_cover_a_year():
    [f] = _s502({date(2027, 1, 1): False}, date(2027, 5, 3))
    assert (f.code, f.value) == ("S502", 2027)
    assert "2027" in f.message.zh and "春节" in f.message.zh and "国庆" in f.message.zh
    assert "元旦" not in f.message.zh and f.message.en


def test_main_holidays_listed_cover_the_year():
    given = {date(2027, 1, 1): False, date(2027, 2, 6): False, date(2027, 2, 7): False,
             date(2027, 10, 1): False, date(2027, 9, 26): True}
    assert _s502(given, date(2027, 5, 3), date(2027, 10, 4)) == []


def test_no_holiday_rows_is_the_plain_s502():
    [f] = _s502({}, date(2027, 3, 1))
    assert "没有节假日数据" in f.message.zh and f.params == {"year": 2027}


# --- no settings workbook in the folder, or one under a name of the clerk's own --------------

def test_without_a_settings_workbook_the_findings_say_it_is_missing_and_how_to_make_it(tmp_path):
    """No 设置.xlsx: S503 names no cell of a file that does not exist but says the workbook was
    not found and how to make one; D109 (小区 list) and P802 (收费标准) say the workbook is missing,
    not a sheet of it."""
    from helpers import make_workspace
    from toolkit import pipeline
    work = make_workspace(tmp_path / "w")
    (work / schema.SETTINGS_FILE).unlink()
    findings = pipeline.check([work], as_of=AS_OF).findings
    [s503] = [f for f in findings if f.code == "S503"]
    assert (s503.file, s503.sheet, s503.row, s503.column) == (None, None, None, None)
    assert "没有找到设置.xlsx" in s503.message.zh and "no 设置.xlsx was found" in s503.message.en
    assert "shequ template settings -o 设置.xlsx" in s503.fix.zh and "居委名称" in s503.fix.zh
    assert "shequ template settings -o 设置.xlsx" in s503.fix.en
    no_list = [f for f in findings if f.code == "D109" and f.params.get("ledger") is not None
               and not f.params.get("item")]
    assert no_list and all("没有找到设置.xlsx" in f.message.zh and "shequ template settings" in f.fix.zh
                           for f in no_list)
    [p802] = [f for f in findings if f.code == "P802" and "count" in f.params and "item" not in f.params]
    assert "没有找到设置.xlsx" in p802.message.zh and "中没有“收费标准”表" not in p802.message.zh
    assert "shequ template settings" in p802.fix.zh and "no 设置.xlsx was found" in p802.message.en


@pytest.mark.parametrize("damage", ["text", "truncated"])
def test_an_unreadable_settings_workbook_is_not_said_to_lack_a_sheet_or_value(tmp_path, damage):
    """A text file renamed 设置.xlsx, or a truncated one: S501 says it could not be read, and
    S503/D109/P802 say so too — never "基本信息 has no 居委名称" of a file nobody could open."""
    from helpers import make_workspace
    from toolkit import pipeline
    work = make_workspace(tmp_path / "w")
    target = work / schema.SETTINGS_FILE
    if damage == "text":
        target.write_text("这不是表格", encoding="utf-8")
    else:
        target.write_bytes(target.read_bytes()[:300])
    findings = pipeline.check([work], as_of=AS_OF).findings
    assert [f for f in findings if f.code == "S501"]
    [s503] = [f for f in findings if f.code == "S503"]
    assert (s503.file, s503.sheet, s503.row) == (schema.SETTINGS_FILE, None, None)
    assert "设置.xlsx无法读取" in s503.message.zh and "没有填写" not in s503.message.zh
    assert "could not be read" in s503.message.en and "has no" not in s503.message.en
    assert "另存为" in s503.fix.zh
    no_list = [f for f in findings if f.code == "D109" and f.params.get("ledger") is not None
               and not f.params.get("item")]
    assert no_list and all("设置.xlsx无法读取" in f.message.zh for f in no_list)
    [p802] = [f for f in findings if f.code == "P802" and "count" in f.params and "item" not in f.params]
    assert "设置.xlsx无法读取" in p802.message.zh and "中没有“收费标准”表" not in p802.message.zh


def test_with_a_settings_workbook_the_messages_name_its_sheet(tmp_path):
    from helpers import make_workspace
    from toolkit import pipeline
    work = make_workspace(tmp_path / "w")
    settings_file(work, drop=(schema.SET_ESTATES, schema.SET_FEES),
                  settings=Settings(committee="")).replace(work / schema.SETTINGS_FILE)
    findings = pipeline.check([work], as_of=AS_OF).findings
    [s503] = [f for f in findings if f.code == "S503"]
    assert (s503.file, s503.sheet, s503.row, s503.column) == (schema.SETTINGS_FILE, "基本信息", 2, "B")
    assert not [f for f in findings if "没有找到设置.xlsx" in f.message.zh]


def _renamed(work: Path, name: str) -> Path:
    wb = openpyxl.load_workbook(work / schema.SETTINGS_FILE)
    wb["巡访频次"]["C2"] = 14
    wb.save(work / name)
    return work / name


@pytest.mark.parametrize("name", ["莘泽居民区设置.xlsx", "设置表.xlsx"])
def test_the_one_workbook_named_with_settings_and_holding_its_sheets_is_the_settings(tmp_path, name):
    from helpers import make_workspace
    from toolkit import pipeline
    work = make_workspace(tmp_path / "w")
    _renamed(work, name)
    (work / schema.SETTINGS_FILE).unlink()
    result = pipeline.check([work], as_of=AS_OF)
    assert result.settings.intervals["A"] == 14 and result.settings.committee == "莘泽居民区"
    assert not result.settings.no_workbook
    assert not [f for f in result.findings if f.code in ("F003", "S501", "S503")
                and name in (f.file or "")]
    assert name not in result.workspace.files


def test_two_workbooks_like_the_settings_neither_is_read_and_each_says_so(tmp_path):
    from helpers import make_workspace
    from toolkit import pipeline
    work = make_workspace(tmp_path / "w")
    for name in ("莘泽居民区设置.xlsx", "设置表.xlsx"):
        _renamed(work, name)
    (work / schema.SETTINGS_FILE).unlink()
    result = pipeline.check([work], as_of=AS_OF)
    assert result.settings.intervals["A"] == 7 and result.settings.no_workbook
    for name in ("莘泽居民区设置.xlsx", "设置表.xlsx"):
        [f] = [f for f in result.findings if f.code == "F003" and f.file == name]
        assert "看起来是一份设置表" in f.message.zh and "诉求台账" not in f.message.zh
        assert "改名为“设置.xlsx”" in f.fix.zh and "rename the file to 设置.xlsx" in f.fix.en
    [s503] = [f for f in result.findings if f.code == "S503"]
    assert s503.file is None


def test_a_named_workbook_is_not_the_settings_with_a_sheet_of_its_own_or_no_settings_sheets(tmp_path):
    from toolkit.read.settings import find_settings
    extra = settings_file(tmp_path).rename(tmp_path / "设置表.xlsx")
    wb = openpyxl.load_workbook(extra)
    wb.create_sheet("老人名单")["A1"] = "姓名"
    wb.save(extra)
    assert find_settings(tmp_path) is None
    extra.unlink()
    ledger = tmp_path / "诉求设置.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "诉求"
    wb.active.append(["编号", "诉求内容"])
    wb.save(ledger)
    assert find_settings(tmp_path) is None
    settings_file(tmp_path, drop=(schema.SET_ROOMS,)).rename(tmp_path / "设置 2026.xlsx")
    assert find_settings(tmp_path) == tmp_path / "设置 2026.xlsx"
