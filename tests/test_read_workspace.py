"""read_workspace on the fixture folders (files made by tests/fixtures/make_fixtures.py)."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from toolkit.read import read_workspace

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = date(2026, 11, 23)


def read(*paths, root=None):
    return read_workspace(list(paths), as_of=AS_OF, root=root)


@pytest.fixture(scope="module")
def ws():
    return read(FIXTURES / "read")


def source(ws, file, sheet):
    [found] = [s for s in ws.sources if s.file == file and s.sheet == sheet]
    return found


def located(ws, code, file=None):
    return [(f.file, f.sheet, f.row, f.column) for f in ws.findings
            if f.code == code and (file is None or f.file == file)]


def test_files_sources_and_counts(ws):
    assert ws.files == ["Mac巡访_1904.xlsx", "公式未计算.xlsx", "巡访记录.xlsx", "志愿者名册.xls",
                        "老年人台账.xlsx", "诉求_缺列.xlsx", "诉求台账_BOM.csv", "诉求台账_GBK.csv",
                        "通讯录.xlsx"]
    assert ws.readable == 9
    assert [(s.file, s.sheet, s.kind, s.header_row, s.records) for s in ws.sources] == [
        ("Mac巡访_1904.xlsx", "巡访", "visits", 1, 2),
        ("公式未计算.xlsx", "志愿者名册", "volunteers", 1, 3),
        ("巡访记录.xlsx", "松和苑", "visits", 4, 4),
        ("巡访记录.xlsx", "咏泽苑", "visits", 4, 2),          # a hidden sheet is real data
        ("志愿者名册.xls", "志愿者", "volunteers", 2, 3),
        ("老年人台账.xlsx", "独居老人", "elderly", 4, 4),
        ("诉求_缺列.xlsx", "诉求", "requests", 1, 2),
        ("诉求台账_BOM.csv", "诉求台账_BOM", "requests", 1, 1),
        ("诉求台账_GBK.csv", "诉求台账_GBK", "requests", 1, 3),
    ]
    assert {k: len(v) for k, v in ws.records.items()} == {
        "requests": 6, "elderly": 4, "volunteers": 6, "visits": 8, "meetings": 0, "services": 0,
        "rooms": 0}


def test_messy_elderly_sheet(ws):
    src = source(ws, "老年人台账.xlsx", "独居老人")
    assert src.columns == {"id": "B", "name": "C", "gender": "D", "birth": "E", "id_number": "F",
                           "age": "G", "estate": "H", "address": "I", "phone": "J",
                           "emergency_phone": "K", "lives_alone": "L"}
    assert src.headers["name"] == "姓 名" and src.headers["emergency_phone"] == "紧急联系人\n电话"
    assert src.unmapped == ["备注"]
    records = ws.ledger("elderly")
    # blank row 7, 合计 row 10 and the 注 row 12 are not records
    assert [r.row for r in records] == [5, 6, 8, 9]
    first, second, third, fourth = records
    assert first.values["gender"] == "女"                    # hidden column D is read
    assert first.values["age"] == 85                         # formula, value cached by LibreOffice
    assert first.values["birth"] == date(1941, 5, 12)
    assert first.values["phone"] == "57651234" and first.cells["phone"].raw == 57651234.0
    assert second.values["birth"] == date(1938, 3, 5)        # "1938.3.5" typed as text
    assert third.values["birth"] == date(1945, 7, 1)         # "1945年7月"
    assert fourth.id == "0029"                               # text that looks like a number
    assert fourth.invalid == {"id_number"}                   # an ID stored as a number lost digits
    assert located(ws, "D105") == [("老年人台账.xlsx", "独居老人", 9, "F")]
    assert not located(ws, "F006", "老年人台账.xlsx")     # M 备注: commonplace, no F006 (#13)
    assert not located(ws, "F007", "老年人台账.xlsx")


def test_visits_one_sheet_per_estate(ws):
    visits = ws.ledger("visits")
    assert [(r.file, r.sheet, r.row) for r in visits] == [
        ("Mac巡访_1904.xlsx", "巡访", 2), ("Mac巡访_1904.xlsx", "巡访", 3),
        ("巡访记录.xlsx", "松和苑", 5), ("巡访记录.xlsx", "松和苑", 6), ("巡访记录.xlsx", "松和苑", 7),
        ("巡访记录.xlsx", "松和苑", 10),                      # row 9 repeats the header
        ("巡访记录.xlsx", "咏泽苑", 5), ("巡访记录.xlsx", "咏泽苑", 6)]
    assert visits[0].values["date"] == date(2026, 11, 10)     # 1904 date system
    assert visits[3].values["hours"] == 0.5                   # "0.5" stored as text
    assert visits[7].values["date"] == date(2026, 11, 20)     # "11月20日", year from as_of
    assert visits[7].values["blood_pressure"] == (182, 112)
    assert visits[6].values["blood_pressure"] == (150, 95)    # full-width slash
    assert source(ws, "巡访记录.xlsx", "松和苑").headers["hours"] == "服务时长（小时）"


def test_file_level_findings(ws):
    assert located(ws, "F010") == [("Mac巡访_1904.xlsx", None, None, None),
                                   ("志愿者名册.xls", None, None, None),
                                   ("诉求台账_GBK.csv", None, None, None)]
    assert located(ws, "F007") == [("公式未计算.xlsx", "志愿者名册", 2, "F")]
    required = [f for f in ws.findings if f.code == "F004" and f.params.get("stages") is None]
    assert [(f.file, f.sheet, f.row, f.column) for f in required] == [("诉求_缺列.xlsx", "诉求", 1, None)]
    # request sheets keeping no column of some stages: one error each (F004 "stage")
    stages = {f.file: f.message.zh for f in ws.findings
              if f.code == "F004" and f.params.get("stages") is not None and f.severity == "error"}
    assert "“分派研究”、“跟踪解决”、“答复反馈”" in stages["诉求台账_GBK.csv"]
    assert "“梳理分类”" in stages["诉求台账_BOM.csv"]
    # 电话 (C) and 联系电话 (D): the canonical 联系电话 is read, the alias column is the F005
    assert located(ws, "F005") == [("诉求_缺列.xlsx", "诉求", 1, "C")]
    assert located(ws, "F006", "诉求_缺列.xlsx") == [("诉求_缺列.xlsx", "诉求", 1, "G")]
    [f003] = [f for f in ws.findings if f.code == "F003"]
    assert f003.file == "通讯录.xlsx" and "志愿者名册" in f003.message.zh
    assert "服务小区" in f003.message.zh                     # the headers it lacked
    assert not located(ws, "F001") and not located(ws, "F008")


def test_formula_without_cached_value_reads_as_empty(ws):
    vols = {r.id: r for r in ws.ledger("volunteers")}
    assert vols["ZY-11"].values["capacity"] is None and vols["ZY-13"].values["capacity"] == 4


def test_parse_findings_carry_the_record(ws):
    [d102] = [f for f in ws.findings if f.code == "D102"]
    assert (d102.file, d102.row, d102.column, d102.header, d102.record, d102.value) == (
        "诉求_缺列.xlsx", 3, "B", "登记日期", "1001", "2026-11-31")
    d112 = [(f.file, f.sheet, f.column) for f in ws.findings if f.code == "D112"]
    assert len(d112) == len(set(d112))                        # one per column
    assert ("老年人台账.xlsx", "独居老人", "E") in d112
    # a phone kept as a number is not a spelling change
    assert ("老年人台账.xlsx", "独居老人", "J") not in d112


def test_bad_folder_each_file_gets_its_finding_and_good_files_are_read():
    ws = read(FIXTURES / "read_bad")
    assert ws.files == ["其实是Word.xlsx", "加密.xlsx", "好的老年人台账.xlsx", "志愿者.csv",
                        "截断.xlsx", "空文件.xlsx", "网页导出.xls"]
    assert ws.readable == 2
    by_file = {f.file: f.code for f in ws.findings if f.code in ("F001", "F002", "F008")}
    assert by_file == {"其实是Word.xlsx": "F001", "加密.xlsx": "F002", "好的老年人台账.xlsx": "F008",
                       "截断.xlsx": "F001", "空文件.xlsx": "F001", "网页导出.xls": "F001"}
    assert len(ws.ledger("elderly")) == 4 and len(ws.ledger("volunteers")) == 1


def test_root_and_single_file(tmp_path):
    sub = tmp_path / "台账" / "2026"
    sub.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "read" / "志愿者名册.xls", sub / "志愿者名册.xls")
    (tmp_path / "台账" / "报表").mkdir()
    shutil.copyfile(FIXTURES / "read" / "志愿者名册.xls", tmp_path / "台账" / "报表" / "旧.xls")
    ws = read(tmp_path / "台账")
    assert ws.files == ["2026/志愿者名册.xls"] and ws.root == str(tmp_path / "台账")
    assert ws.ledger("volunteers")[0].file == "2026/志愿者名册.xls"
    single = read(sub / "志愿者名册.xls")
    assert single.files == ["志愿者名册.xls"] and single.readable == 1


def test_same_input_same_output():
    first, second = read(FIXTURES / "read"), read(FIXTURES / "read")
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]
    assert [(r.file, r.row, r.values) for r in first.ledger("visits")] == \
        [(r.file, r.row, r.values) for r in second.ledger("visits")]


def test_unexpected_error_in_one_file_becomes_f001(tmp_path, monkeypatch):
    import toolkit.read as reader

    shutil.copyfile(FIXTURES / "read" / "诉求台账_BOM.csv", tmp_path / "a.csv")
    shutil.copyfile(FIXTURES / "read" / "志愿者名册.xls", tmp_path / "b.xls")
    real = reader.open_book

    def flaky(path, fmt, rel, data=None):
        if fmt == "csv":
            raise RuntimeError("boom")
        return real(path, fmt, rel, data)
    monkeypatch.setattr(reader, "open_book", flaky)
    ws = read(tmp_path)
    [f001] = [f for f in ws.findings if f.code == "F001"]
    assert f001.file == "a.csv" and "boom" in f001.message.zh
    assert ws.readable == 1 and len(ws.ledger("volunteers")) == 3


class FakePanic(BaseException):
    """Like pyo3's PanicException: a BaseException, not an Exception."""


def test_native_panic_in_one_file_becomes_f001(tmp_path, monkeypatch):
    import toolkit.read as reader

    shutil.copyfile(FIXTURES / "read" / "诉求台账_BOM.csv", tmp_path / "a.csv")
    shutil.copyfile(FIXTURES / "read" / "志愿者名册.xls", tmp_path / "b.xls")
    real = reader.open_book

    def panicking(path, fmt, rel, data=None):
        if fmt == "csv":
            raise FakePanic("index out of bounds")
        return real(path, fmt, rel, data)
    monkeypatch.setattr(reader, "open_book", panicking)
    ws = read(tmp_path)
    [f001] = [f for f in ws.findings if f.code == "F001"]
    assert f001.file == "a.csv" and "FakePanic" in f001.message.zh
    assert ws.readable == 1 and len(ws.ledger("volunteers")) == 3


def test_keyboard_interrupt_is_never_swallowed(tmp_path, monkeypatch):
    import toolkit.read as reader

    shutil.copyfile(FIXTURES / "read" / "诉求台账_BOM.csv", tmp_path / "a.csv")

    def interrupted(path, fmt, rel, data=None):
        raise KeyboardInterrupt
    monkeypatch.setattr(reader, "open_book", interrupted)
    with pytest.raises(KeyboardInterrupt):
        read(tmp_path)


def test_progress_is_called_once_per_file(tmp_path):
    shutil.copyfile(FIXTURES / "read" / "诉求台账_BOM.csv", tmp_path / "a.csv")
    lines = []
    read_workspace([tmp_path], as_of=AS_OF, progress=lines.append)
    assert lines == ["读取 1/1 a.csv"]


def test_no_ledger_header_at_all_and_an_all_empty_workbook(tmp_path):
    # (人数 would be a rooms header: an alias of 参加人数)
    (tmp_path / "报名.csv").write_text("活动,摊位\n集市,30\n", encoding="utf-8")
    shutil.copyfile(FIXTURES / "read" / "通讯录.xlsx", tmp_path / "通讯录.xlsx")
    ws = read(tmp_path)
    messages = {f.file: f.message.zh for f in ws.findings if f.code == "F003"}
    assert "没有一项是台账" in messages["报名.csv"]
    assert "最接近的是工作表「通讯录」" in messages["通讯录.xlsx"]
    assert ws.readable == 2 and ws.sources == []
