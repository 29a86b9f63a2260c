"""The elderly ledger as clerks keep it, continued (docs/read.md, docs/care.md): two-digit
birth years, 楼号 | 室号 in two columns, a death or move written only in 备注."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from toolkit.read import read_workspace

AS_OF = date(2026, 11, 23)


def save(folder: Path, rows: list[list], name: str = "老年人台账.xlsx") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                ws.cell(r, c, value)
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(folder / name)
    return folder


def test_two_digit_birth_years_are_19xx(tmp_path):
    # every 41.5.12 was a D102: the resident's age, tier and D106 were lost
    folder = save(tmp_path / "ws", [
        ["编号", "姓名", "出生日期", "小区", "地址", "是否独居"],
        ["LR-001", "张秀英", "41.5.12", "松和苑", "12号301室", "是"],
        ["LR-002", "李桂兰", "41-5-12", "松和苑", "12号302室", "是"],
        ["LR-003", "王阿大", "38年1月2日", "松和苑", "12号303室", "是"],
        ["LR-004", "赵小妹", "36.2.30", "松和苑", "12号304室", "是"],
    ])
    ws = read_workspace([folder], as_of=AS_OF)
    a, b, c, d = ws.ledger("elderly")
    assert a.values["birth"] == b.values["birth"] == date(1941, 5, 12)
    assert c.values["birth"] == date(1938, 1, 2)
    assert d.values["birth"] is None                 # no 30 February: still D102
    assert [f.row for f in ws.findings if f.code == "D102"] == [5]
    assert len([f for f in ws.findings if f.code == "D112" and f.column == "C"]) == 1


def test_two_digit_years_stay_unread_outside_birth_dates(tmp_path):
    folder = tmp_path / "ws"
    save(folder, [["编号", "姓名", "出生日期", "小区", "地址", "是否独居"],
                  ["LR-001", "张秀英", date(1941, 5, 12), "松和苑", "12号301室", "是"]])
    (folder / "巡访记录.csv").write_text(
        "巡访日期,老人编号,老人姓名,志愿者,服务类型,巡访情况\n26.11.3,LR-001,张秀英,ZY-1,巡访,正常\n",
        encoding="utf-8")
    ws = read_workspace([folder], as_of=AS_OF)
    [visit] = ws.ledger("visits")
    assert visit.values["date"] is None
    assert [f.code for f in ws.findings if f.kind == "visits" and f.column == "A"] == ["D102"]


def test_building_and_room_columns_are_read_as_one_address(tmp_path):
    # 楼号 | 室号: F004 (no 地址) and two F006s; every message lost the address and D108's
    # name + address match never fired
    folder = save(tmp_path / "ws", [
        ["编号", "姓名", "出生日期", "小区", "楼号", "室号", "是否独居"],
        ["LR-001", "张秀英", date(1940, 5, 12), "松和苑", 12, 301, "是"],
        ["LR-002", "李桂兰", date(1941, 3, 1), "松和苑", "12号楼", "302室", "是"],
        ["LR-003", "王阿大", date(1938, 1, 2), "松和苑", "7", None, "是"],
        ["LR-009", "张秀英", date(1940, 5, 12), "松和苑", "12", "301", "是"],
    ])
    ws = read_workspace([folder], as_of=AS_OF)
    assert not [f for f in ws.findings if f.code in ("F004", "F005", "F006")]
    a, b, c, d = ws.ledger("elderly")
    assert [r.values["address"] for r in (a, b, c, d)] == ["12号301室", "12号楼302室", "7号", "12号301室"]
    cell = a.cells["address"]
    assert (cell.column, cell.header) == ("E", "楼号/室号")
    from toolkit import api
    result = api.check([folder], as_of=AS_OF)
    assert [f.record for f in result.findings if f.code == "D108"] == ["LR-009"]


def test_a_room_column_alone_that_names_the_address_is_the_address(tmp_path):
    # 门牌号 is an alias of 地址 (ledgers.md) and one part of 楼号 | 门牌号: alone it stays 地址
    folder = save(tmp_path / "ws", [
        ["编号", "姓名", "出生日期", "小区", "门牌号", "是否独居"],
        ["LR-001", "张秀英", date(1940, 5, 12), "松和苑", "12号301室", "是"],
    ])
    ws = read_workspace([folder], as_of=AS_OF)
    assert not [f for f in ws.findings if f.code in ("F004", "F006")]
    [a] = ws.ledger("elderly")
    assert a.values["address"] == "12号301室"
