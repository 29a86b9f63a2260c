"""Reading the services and rooms ledgers and the 收费标准/活动室 settings (issue #17):
classification apart from the visit log, time cells, settings read back and bad cells."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from toolkit.read.headers import classify
from toolkit.read.records import build_records
from toolkit.read.sheets import Grid
from toolkit.clock import Clock, TimeRange

AS_OF = date(2026, 11, 23)


def grid(rows, name="S"):
    width = max(len(r) for r in rows)
    return Grid(name, [list(r) + [""] * (width - len(r)) for r in rows], [])


@pytest.mark.parametrize("headers, kind", [
    (["服务日期", "老人姓名", "服务项目", "服务单位", "收费金额", "评价"], "services"),
    (["日期", "服务对象", "服务内容", "物业公司", "服务人员", "金额"], "services"),
    (["服务日期", "老人编号", "服务项目", "收费金额"], "services"),
    (["巡访日期", "老人编号", "老人姓名", "志愿者", "服务类型", "巡访情况", "服务时长"], "visits"),
    (["服务日期", "服务对象", "服务内容", "服务人员", "情况", "服务时长"], "visits"),
    (["使用日期", "活动室", "时段", "使用团队", "参加人数", "负责人"], "rooms"),
    (["日期", "场地", "开始时间", "结束时间", "预约人"], "rooms"),
])
def test_services_and_rooms_are_told_apart_from_the_other_ledgers(headers, kind):
    assert classify(grid([headers])).kind == kind


def test_a_price_list_is_not_a_ledger():
    layout = classify(grid([["服务项目", "计价单位", "标准价"], ["助餐", "份", 12.0]]))
    assert layout.kind is None


def test_a_service_log_without_provider_or_fee_is_read_as_visits_with_one_hint(tmp_path):
    from openpyxl import Workbook

    from toolkit.read import read_workspace
    from toolkit.settings import Settings
    wb = Workbook()
    ws = wb.active
    ws.title = "助餐"
    ws.append(["服务日期", "老人姓名", "服务项目", "服务人员", "巡访情况", "服务类型"])
    ws.append(["2026-11-20", "张秀英", "助餐", "陈师傅", "正常", "助餐"])
    wb.save(tmp_path / "记录.xlsx")
    workspace = read_workspace([tmp_path], as_of=AS_OF, settings=Settings())
    assert [s.kind for s in workspace.sources] == ["visits"]
    [hint] = [f for f in workspace.findings if f.code == "F006"]
    assert hint.severity == "info" and hint.column == "C"
    assert "服务单位" in hint.message.zh and "收费金额" in hint.message.zh


def test_services_values_are_read_with_money_to_the_fen():
    layout = classify(grid([["服务日期", "老人姓名", "服务项目", "服务单位", "数量", "收费金额（元）"]]))
    rows = [["服务日期", "老人姓名", "服务项目", "服务单位", "数量", "收费金额（元）"],
            ["2026-11-20", "张秀英", "助餐", "国贸物业", 2.0, 24.0],
            ["2026-11-21", "李建国", "助洁", "", "", "12.5元"],
            ["2026-11-22", "王阿姨", "助医", "", "", "贵"]]
    built = build_records(grid(rows), layout, file="f.xlsx", as_of=AS_OF)
    fees = [r.values["fee"] for r in built.records]
    assert fees == [Decimal("24.00"), Decimal("12.50"), None]
    assert [f.code for f in built.findings if f.code != "D112"] == ["D111"]


def test_rooms_start_and_end_as_excel_time_cells_and_text():
    header = ["使用日期", "活动室", "开始时间", "结束时间", "使用团队"]
    rows = [header, [date(2026, 11, 20), "舞蹈室", time(9, 0), time(11, 30), "舞蹈队"],
            ["2026-11-21", "棋牌室", "14:00", "16:00", "棋牌队"],
            ["2026-11-21", "书屋", 0.375, 0.5, "读书会"]]
    built = build_records(grid(rows), classify(grid([header])), file="f.xlsx", as_of=AS_OF)
    assert [(r.values["start"], r.values["end"]) for r in built.records] == [
        (Clock(540), Clock(690)), (Clock(840), Clock(960)), (Clock(540), Clock(720))]


def test_unreadable_slot_is_d102():
    header = ["使用日期", "活动室", "时段", "使用团队"]
    rows = [header, ["2026-11-20", "舞蹈室", "上午", "舞蹈队"], ["2026-11-20", "舞蹈室", "随便", "x"]]
    built = build_records(grid(rows), classify(grid([header])), file="f.xlsx", as_of=AS_OF)
    assert built.records[0].values["slot"] == TimeRange(510, 690)
    assert [(f.code, f.row) for f in built.findings] == [("D102", 3)]


# ------------------------------------------------------------------ settings
def test_fee_and_room_settings_read_back_from_the_template(tmp_path):
    from toolkit.read.settings import read_settings
    from toolkit.report.templates import write_settings
    from toolkit.settings import FeeStandard, RoomSetting, Settings
    settings = Settings(
        fees=(FeeStandard("助餐", "", "份", Decimal("12.00"), date(2026, 1, 1), 2),
              FeeStandard("助洁", "国贸物业", "小时", Decimal("25.50"), date(2026, 3, 1), 3)),
        rooms=(RoomSetting("舞蹈室", "松和苑", ("舞蹈房",), None, False,
                           ((510, 690), (810, 1230)), 30, 2),
               RoomSetting("乒乓球室", "", ("乒乓室",), frozenset({5}), True, ((510, 1230),), None, 3),
               RoomSetting("书屋", "咏泽苑", (), None, False, ((510, 1230),), None, 4)))
    path = write_settings(tmp_path / "设置.xlsx", settings, as_of=AS_OF)
    read, findings = read_settings(path)
    assert findings == []
    assert read.fees == settings.fees
    assert read.rooms == settings.rooms


def test_empty_fee_and_room_sheets_mean_none_and_bad_cells_are_s501(tmp_path):
    from toolkit.read.settings import read_settings
    from toolkit.report.templates import write_settings
    from toolkit.settings import Settings
    path = write_settings(tmp_path / "设置.xlsx", Settings(), as_of=AS_OF)
    read, findings = read_settings(path)
    assert (read.fees, read.rooms, findings) == (None, None, [])
    wb = _fee_book([["助餐", "", "份", "12", "2026-01-01"], ["助餐", "", "碗", "12", "2026-01-01"],
                    ["理发", "", "次", "10", "2026-01-01"], ["助洁", "", "小时", "贵", "2026-01-01"]])
    rooms = wb.create_sheet("活动室")
    rooms.append(["名称", "小区", "别名", "开放日", "开放时间", "容纳人数"])
    rooms.append(["棋牌室", "", "", "周二至周日", "08:30-11:30、13:30-20:30", 12])
    rooms.append(["书屋", "", "", "", "早上", ""])
    wb.save(tmp_path / "bad.xlsx")
    read, findings = read_settings(tmp_path / "bad.xlsx")
    assert [f.row for f in findings] == [3, 4, 5, 3]
    assert all(f.code == "S501" for f in findings)
    assert [f.item for f in read.fees] == ["助餐"]
    chess, books = read.rooms
    assert chess.days == frozenset(range(1, 7)) and chess.hours == ((510, 690), (810, 1230))
    assert chess.capacity == 12 and books.hours == ((510, 1230),)


# ------------------------------------------------------------------ property: time ranges
from hypothesis import given, strategies as st  # noqa: E402


@given(st.integers(0, 23 * 60 + 59), st.integers(1, 240), st.booleans(), st.sampled_from("-~～至到—"))
def test_any_written_range_reads_back(start, length, padded, sep):
    from toolkit.read.normalise import parse
    end = min(start + length, 24 * 60)
    if end <= start:
        return
    def clock(m):
        return f"{m // 60:02d}:{m % 60:02d}" if padded else f"{m // 60}:{m % 60:02d}"
    parsed = parse("time range", f"{clock(start)}{sep}{clock(end)}", as_of=AS_OF)
    assert (parsed.value.start, parsed.value.end) == (start, end) and parsed.error is None


# ------------------------------------------------------------------ template and init
def test_template_and_init_write_the_services_and_rooms_ledgers(tmp_path):
    from click.testing import CliRunner

    from toolkit.cli import cli
    for kind, name in (("services", "服务记录.xlsx"), ("rooms", "活动室使用登记.xlsx")):
        result = CliRunner().invoke(cli, ["template", kind, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        layout = _first_sheet_layout(tmp_path / name)
        assert layout.kind == kind
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    assert {"服务记录.xlsx", "活动室使用登记.xlsx"} <= {p.name for p in (tmp_path / "ws").iterdir()}


def _first_sheet_layout(path):
    from toolkit.read.sheets import open_book
    book = open_book(path, "xlsx", path.name)
    return classify(book.grids[0])


def test_full_width_fees_give_one_d112_for_the_column_and_plain_fees_none():
    header = ["服务日期", "老人姓名", "服务项目", "服务单位", "收费金额（元）"]
    rows = [header, ["2026-11-20", "张秀英", "助餐", "国贸物业", "２４"],
            ["2026-11-21", "李建国", "助餐", "国贸物业", "１２"],
            ["2026-11-22", "王阿姨", "助餐", "国贸物业", " 12 "]]
    built = build_records(grid(rows), classify(grid([header])), file="f.xlsx", as_of=AS_OF)
    assert [r.values["fee"] for r in built.records] == [Decimal("24.00"), Decimal("12.00"),
                                                         Decimal("12.00")]
    [d112] = [f for f in built.findings if f.code == "D112"]
    assert (d112.column, d112.row) == ("E", 2) and "２４" in d112.message.zh
    plain = [header, ["2026-11-20", "张秀英", "助餐", "国贸物业", " 24 "],
             ["2026-11-21", "李建国", "助餐", "国贸物业", "24.00"], ["2026-11-22", "王", "助餐", "", 12.0]]
    built = build_records(grid(plain), classify(grid([header])), file="f.xlsx", as_of=AS_OF)
    assert [f for f in built.findings if f.code == "D112"] == []


def test_quantity_and_attendance_get_their_own_d111_fix_and_hours_d112_shows_the_number():
    header = ["服务日期", "老人姓名", "服务项目", "服务单位", "数量", "服务时长", "收费金额（元）"]
    rows = [header, ["2026-11-20", "张秀英", "助餐", "国贸物业", "很多", "", 12],
            ["2026-11-21", "李建国", "助洁", "国贸物业", "", "1.5小时", 37.5]]
    built = build_records(grid(rows), classify(grid([header])), file="f.xlsx", as_of=AS_OF)
    [d111] = [f for f in built.findings if f.code == "D111"]
    assert "年龄" not in d111.fix.zh and "3份" in d111.fix.zh
    [d112] = [f for f in built.findings if f.code == "D112"]
    assert "1.5小时 → 1.5" in d112.message.zh and "→ 1.5小时" not in d112.message.zh
    header = ["使用日期", "活动室", "时段", "使用团队", "参加人数", "负责人"]
    rows = [header, ["2026-11-20", "舞蹈室", "09:00-11:00", "舞蹈队", "约20人", "施阿姨"],
            ["2026-11-21", "舞蹈室", "09:00-11:00", "舞蹈队", "20+", "施阿姨"]]
    built = build_records(grid(rows), classify(grid([header])), file="f.xlsx", as_of=AS_OF)
    fixes = [f.fix.zh for f in built.findings if f.code == "D111"]
    assert len(fixes) == 2 and all("整数" in x and "年龄" not in x for x in fixes)


def test_a_price_written_with_its_unit_is_read(tmp_path):
    """标准价 `12元/份` was S501 and the 217 meals it priced P802 'not published'; the unit in
    the price fills an empty 计价单位, and one contradicting it is S501 on the unit."""
    from decimal import Decimal

    from toolkit.read.settings import read_settings
    _fee_book([["助餐", "", "份", "12元/份", "2026-01-01"], ["助洁", "国贸物业", "", "25/小时", "2026-01-01"],
               ["垃圾投放", "", "小时", "2元/次", "2026-01-01"]]).save(tmp_path / "设置.xlsx")
    read, findings = read_settings(tmp_path / "设置.xlsx")
    assert [(f.item, f.unit, f.price) for f in read.fees] == [
        ("助餐", "份", Decimal("12.00")), ("助洁", "小时", Decimal("25.00"))]
    assert [(f.code, f.row) for f in findings] == [("S501", 4)]


def _fee_book(rows):
    """A workbook whose first sheet is a 收费标准 table of ``rows``."""
    from openpyxl import Workbook
    wb = Workbook()
    fees = wb.active
    fees.title = "收费标准"
    fees.append(["服务项目", "服务单位", "计价单位", "标准价(元)", "公示日期"])
    for row in rows:
        fees.append(row)
    return wb
