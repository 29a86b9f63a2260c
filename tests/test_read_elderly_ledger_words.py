"""The elderly ledger as clerks keep it, continued (docs/read.md, docs/care.md): two-digit
birth years, 楼号 | 室号 in two columns, a death or move written only in 备注."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers import save_sheet as save
from toolkit.read import read_workspace

AS_OF = date(2026, 11, 23)


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


def _noted_folder(tmp_path: Path, status_column: bool) -> Path:
    header = ["编号", "姓名", "出生日期", "小区", "地址", "是否独居"] + (["状态"] if status_column else []) + ["备注"]
    notes = {"LR-001": "已于2026年8月去世", "LR-002": "2026.9迁出", "LR-003": "已故",
             "LR-004": "搬到女儿家", "LR-005": "女儿说下月可能搬走", "LR-006": "曾住院",
             "LR-007": "老伴已去世"}
    rows = [header]
    for n, (rid, note) in enumerate(notes.items(), 1):
        rows.append([rid, f"老人{n}", date(1940, 5, n), "松和苑", f"12号30{n}室", "是"]
                    + ([None] if status_column else []) + [note])
    folder = save(tmp_path / "ws", rows)
    (folder / "巡访记录.csv").write_text(
        "巡访日期,老人编号,老人姓名,志愿者,服务类型,巡访情况\n2026-11-10,LR-001,老人1,ZY-1,巡访,正常\n",
        encoding="utf-8")
    return folder


def test_death_or_move_written_only_in_the_note(tmp_path):
    # 状态 empty, 备注 已于2026年8月去世: she stayed 在册 and a volunteer was sent to visit a
    # dead resident (C301/C302 work orders); C309 for the visit after her death was lost
    from toolkit import api
    for status_column in (True, False):
        folder = _noted_folder(tmp_path / str(status_column), status_column)
        result = api.check([folder], as_of=AS_OF)
        due = {f.record for f in result.findings if f.code in ("C301", "C302")}
        assert due == {"LR-005", "LR-006", "LR-007"}           # ambiguous notes stay 在册
        assert [f.record for f in result.findings if f.code == "C309"] == ["LR-001"]
        [note] = [f for f in result.findings if f.code == "D112" and f.kind == "elderly"]
        assert note.params["count"] == 4 and note.header == "备注"
        message = note.message.get("zh")
        assert all(f"LR-00{n}" in message for n in (1, 2, 3, 4))
        assert "LR-005" not in message and "状态" in note.fix.get("zh")


def test_a_written_status_is_never_overridden_by_the_note(tmp_path):
    from toolkit import api
    folder = save(tmp_path / "ws", [
        ["编号", "姓名", "出生日期", "小区", "地址", "是否独居", "状态", "备注"],
        ["LR-001", "张秀英", date(1940, 5, 12), "松和苑", "12号301室", "是", "在册", "2026.9迁出"],
        ["LR-002", "李桂兰", date(1940, 5, 13), "松和苑", "12号302室", "是", "健在", "已故"],
    ])
    (folder / "巡访记录.csv").write_text(
        "巡访日期,老人编号,老人姓名,志愿者,服务类型,巡访情况\n2026-11-10,LR-009,某某,ZY-1,巡访,正常\n",
        encoding="utf-8")
    result = api.check([folder], as_of=AS_OF)
    assert {f.record for f in result.findings if f.code == "C302"} == {"LR-001", "LR-002"}
    assert not [f for f in result.findings if f.code == "D112" and f.kind == "elderly"]


def test_only_a_clause_saying_just_that_is_read():
    from toolkit.domain.care import gone_in_note
    said = {"已于2026年8月去世": "去世", "2026.9迁出": "迁出", "已故": "去世", "搬到女儿家": "迁出",
            "独居，已于8月病故": "去世", "已于2026年8月去世，户口未销": "去世",
            " 已故 ": "去世", "2026.9 迁出": "迁出"}
    for note, status in said.items():
        assert gone_in_note(note, AS_OF) == status, note
    for note in ("女儿说下月可能搬走", "曾住院", "老伴已去世", "老伴去世后独居", "拟迁出",
                 "2027年1月迁出", "搬到12号301室", "搬到养老院", "暂时搬到女儿家",
                 "搬到女儿家住一段时间", "迁入", "死亡证明未交", "已故老伴的抚恤金",
                 "女儿 已搬走", "老伴 已故", "冬天 搬到女儿家住", "儿子搬到外地",
                 "老伴已于2026年去世，本人独居", "去世老伴的抚恤金已办"):
        assert gone_in_note(note, AS_OF) is None, note
