"""Rows struck through (删除线) instead of deleted (docs/read.md): a struck resident is not on
the register, a struck volunteer is not on duty, a struck row of any other ledger is no
record — each sheet's struck rows named in one D112."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from toolkit import api, pipeline
from toolkit.read import read_workspace
from toolkit.read import sheets

AS_OF = date(2026, 11, 23)


def save(path: Path, rows: list[list], struck: dict[int, list[int] | None] = {}) -> Path:
    """``rows`` (Excel row 1 = rows[0]) saved by openpyxl; ``struck``: Excel row → the
    1-based columns drawn struck through (None: every filled cell of the row)."""
    import openpyxl
    from openpyxl.styles import Font
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026年"
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                cell = ws.cell(r, c, value)
                columns = struck.get(r, ())
                if r in struck and (columns is None or c in columns):
                    cell.font = Font(strike=True)
    ws.cell(1, 1).font = Font(bold=True, strike=False)     # val="0": not struck
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


ELDERLY = [["编号", "姓名", "出生日期", "小区", "地址", "是否独居", "结对志愿者"],
           ["LR-001", "张秀英", date(1940, 5, 1), "松和苑", "12号301室", "是", "ZY-01"],
           ["LR-002", "李桂兰", date(1940, 5, 2), "松和苑", "12号302室", "是", "ZY-02"],
           ["LR-003", "王阿大", date(1940, 5, 3), "松和苑", "12号303室", "是", "ZY-02"]]
VOLUNTEERS = [["编号", "姓名", "联系电话", "服务小区", "服务技能", "在岗"],
              ["ZY-01", "曹玲", "13800000001", "松和苑", "巡访", "是"],
              ["ZY-02", "李静", "13800000002", "松和苑", "巡访", "是"]]
VISITS = [["巡访日期", "老人编号", "老人姓名", "志愿者", "服务类型", "巡访情况"],
          [date(2026, 9, 1), "LR-001", "张秀英", "ZY-01", "巡访", "正常"],
          [date(2026, 9, 1), "LR-002", "李桂兰", "ZY-02", "巡访", "正常"],
          [date(2026, 9, 1), "LR-003", "王阿大", "ZY-02", "巡访", "正常"],
          [date(2026, 11, 20), "LR-002", "李桂兰", "ZY-02", "巡访", "正常"]]


def _folder(tmp_path: Path, elderly: dict = {}, volunteers: dict = {}, visits: dict = {}) -> Path:
    folder = tmp_path / "ws"
    save(folder / "老年人台账.xlsx", ELDERLY, elderly)
    save(folder / "志愿者名册.xlsx", VOLUNTEERS, volunteers)
    save(folder / "巡访记录.xlsx", VISITS, visits)
    return folder


def _visit_orders(result) -> dict[str, str | None]:
    return {fu.target: fu.assignee for fu in pipeline.plan(result)
            if {"C301", "C302"} & set(fu.codes)}


def test_a_struck_resident_gets_no_visit_and_no_duty_finding(tmp_path):
    plain = api.check([_folder(tmp_path / "plain")], as_of=AS_OF)
    overdue = {f.record for f in plain.findings if f.code in ("C301", "C302")}
    assert {"LR-001", "LR-003"} <= overdue and "LR-001" in _visit_orders(plain)
    # LR-001 struck: a volunteer was sent to knock on a deleted resident's door
    result = api.check([_folder(tmp_path / "struck", elderly={2: None})], as_of=AS_OF)
    assert not [f for f in result.findings if f.code.startswith("C3") and f.record == "LR-001"]
    assert "LR-001" not in _visit_orders(result) and "LR-003" in _visit_orders(result)
    # the visit naming her still finds her: no D110
    assert not [f for f in result.findings if f.code == "D110"]
    [told] = [f for f in result.findings if f.code == "D112" and f.params.get("numbers")]
    assert (told.kind, told.row, told.record, told.params["numbers"]) == ("elderly", 2, "LR-001", [2])
    assert told.message.get("zh").startswith("第2行整行划了删除线")
    assert "状态" in told.fix.get("zh") and "row 2" in told.message.get("en")


def test_one_struck_cell_is_not_a_struck_row(tmp_path):
    # 姓名 struck for emphasis: the row is read as ever
    result = api.check([_folder(tmp_path, elderly={2: [2]}, volunteers={2: [4]})], as_of=AS_OF)
    assert "LR-001" in {f.record for f in result.findings if f.code in ("C301", "C302")}
    assert not [f for f in result.findings if f.code == "D112" and f.params.get("numbers")]
    assert not any(r.struck for kind in ("elderly", "volunteers")
                   for r in result.context.workspace.ledger(kind))


def test_a_struck_volunteer_is_not_assigned(tmp_path):
    # ZY-01 struck: still sent to visit her paired resident LR-001
    plain = api.check([_folder(tmp_path / "plain")], as_of=AS_OF)
    assert _visit_orders(plain)["LR-001"] == "ZY-01"
    result = api.check([_folder(tmp_path / "struck", volunteers={2: None})], as_of=AS_OF)
    orders = _visit_orders(result)
    assert "LR-001" in orders and orders["LR-001"] != "ZY-01"
    assert "ZY-01" not in orders.values()
    [told] = [f for f in result.findings if f.code == "D112" and f.params.get("numbers")]
    assert told.kind == "volunteers" and "不在岗" in told.message.get("zh")
    assert not [f for f in result.findings if f.code == "D110"]     # visits naming her resolve


def test_a_struck_visit_is_no_visit_and_is_named(tmp_path):
    # LR-002's visit of 11-20 struck: it was counted and she was not due
    plain = api.check([_folder(tmp_path / "plain")], as_of=AS_OF)
    assert "LR-002" not in {f.record for f in plain.findings if f.code in ("C301", "C302")}
    folder = _folder(tmp_path / "struck", visits={5: None})
    ws = read_workspace([folder], as_of=AS_OF)
    assert [v.row for v in ws.ledger("visits")] == [2, 3, 4]
    [source] = [s for s in ws.sources if s.kind == "visits"]
    assert source.records == 3
    result = api.check([folder], as_of=AS_OF)
    assert "LR-002" in {f.record for f in result.findings if f.code in ("C301", "C302")}
    [told] = [f for f in result.findings if f.code == "D112" and f.params.get("numbers")]
    assert (told.kind, told.row, told.record) == ("visits", 5, None)
    assert "不算记录" in told.message.get("zh")


def test_a_resident_struck_and_written_again_is_the_new_row(tmp_path):
    # the clerk strikes the old row and types it again below: the new row is the resident
    rows = ELDERLY + [["LR-001", "张秀英", date(1940, 5, 1), "松和苑", "12号301室", "是", "ZY-01"]]
    folder = _folder(tmp_path)
    save(folder / "老年人台账.xlsx", rows, {2: None})
    result = api.check([folder], as_of=AS_OF)
    assert [f.row for f in result.findings if f.code in ("C301", "C302") and f.record == "LR-001"] == [5]


def test_no_struck_font_no_look_for_struck_cells(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(sheets, "struck_cells", lambda *a: calls.append(a) or frozenset())
    folder = tmp_path / "ws"
    save(folder / "老年人台账.xlsx", ELDERLY)           # a font with strike val="0" only
    read_workspace([folder], as_of=AS_OF)
    assert calls == []
    save(folder / "老年人台账.xlsx", ELDERLY, {3: None})
    read_workspace([folder], as_of=AS_OF)
    assert len(calls) == 1


@pytest.mark.parametrize("xml, expected", [
    (b'<font><strike/></font>', {1}), (b'<font><strike val="1"/></font>', {1}),
    (b'<font><strike val="true"/></font>', {1}), (b'<font><strike val="0"/></font>', set()),
    (b'<font><strike val="false"/></font>', set())])
def test_struck_styles(xml, expected):
    import io
    import zipfile
    styles = (b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<fonts count="2"><font><sz val="11"/></font>' + xml + b'</fonts>'
              b'<cellXfs count="3"><xf fontId="1"/><xf fontId="1"/><xf fontId="0"/></cellXfs>'
              b'</styleSheet>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/styles.xml", styles)
    with zipfile.ZipFile(buf) as zf:
        assert set(sheets.struck_styles(zf)) == expected      # format 0 never counts


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice")
def test_rows_struck_in_a_file_saved_by_an_office_suite(tmp_path):
    # LibreOffice writes <strike val="true"/> and s="N" on every cell: read as Excel/WPS save it
    import subprocess
    made = save(tmp_path / "made" / "老年人台账.xlsx", ELDERLY, {2: None, 3: [2]})
    folder = tmp_path / "ws"
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", str(folder),
                    str(made)], check=True, capture_output=True, timeout=120)
    ws = read_workspace([folder], as_of=AS_OF)
    assert [r.row for r in ws.ledger("elderly") if r.struck] == [2]
    assert [f.params["numbers"] for f in ws.findings if f.code == "D112"
            and "numbers" in f.params] == [[2]]


@pytest.mark.parametrize("name", ["张秀英", "张秀瑛"])
def test_a_resident_struck_and_written_again_is_no_duplicate_id(tmp_path, name):
    # the documented way to correct a row (strike it, type it again below, the name corrected
    # or not): no D107 error "编号与第2行重复" against the deleted row
    rows = ELDERLY + [["LR-001", name, date(1940, 5, 1), "松和苑", "12号301室", "是", "ZY-01"]]
    folder = _folder(tmp_path)
    save(folder / "老年人台账.xlsx", rows, {2: None})
    result = api.check([folder], as_of=AS_OF)
    assert not [f for f in result.findings if f.code == "D107"]
    assert [f.params["numbers"] for f in result.findings
            if f.code == "D112" and "numbers" in f.params] == [[2]]
    # an unstruck copy still is one
    save(folder / "老年人台账.xlsx", rows)
    result = api.check([folder], as_of=AS_OF)
    assert [(f.code, f.row) for f in result.findings if f.code == "D107"] == [("D107", 5)]


def test_a_struck_default_font_strikes_no_row(tmp_path):
    """The 常规 (Normal) style's font struck (font 0): Excel draws the whole workbook struck,
    headers too — no row crossed out. Every cell bordered (format 1 on font 0) was read as
    struck: the whole register deleted, no visit planned."""
    import re
    import zipfile
    import openpyxl
    from openpyxl.styles import Border, Side
    folder = tmp_path / "ws"
    save(folder / "志愿者名册.xlsx", VOLUNTEERS)
    save(folder / "巡访记录.xlsx", VISITS)
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in ELDERLY:
        ws.append(row)
    thin = Side(style="thin")
    for row in ws.iter_rows():
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    plain = folder / "plain.xlsx"
    wb.save(plain)
    with zipfile.ZipFile(plain) as zin, \
            zipfile.ZipFile(folder / "老年人台账.xlsx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = re.sub(rb"<font>", b"<font><strike/>", data, count=1)
            zout.writestr(item, data)
    plain.unlink()
    result = api.check([folder], as_of=AS_OF)
    assert not [f for f in result.findings if f.params.get("numbers")]
    assert "LR-001" in _visit_orders(result)


def test_minutes_naming_a_struck_request_find_it(tmp_path):
    """A request struck through (voided: registered twice) that the council minutes name by
    its 诉求编号 is in the ledger: no error D110 '诉求编号“SQ-002”在诉求台账中找不到'."""
    requests = [["编号", "登记日期", "来源", "小区", "地址", "诉求内容", "类别", "分类日期",
                 "责任人", "分派日期", "办理时限", "办结日期", "答复日期", "答复方式", "满意度", "状态"],
                ["SQ-001", date(2026, 11, 2), "议事会", "松和苑", "6号203室", "楼道灯不亮", "物业服务",
                 date(2026, 11, 3), "物业经理", date(2026, 11, 3), date(2026, 11, 20),
                 date(2026, 11, 10), date(2026, 11, 11), "电话", "满意", "已答复"],
                ["SQ-002", date(2026, 11, 2), "议事会", "松和苑", "6号203室", "楼道灯不亮了", "物业服务",
                 date(2026, 11, 3), "物业经理", date(2026, 11, 3), date(2026, 11, 20),
                 date(2026, 11, 10), date(2026, 11, 11), "电话", "满意", "已答复"],
                ["SQ-003", date(2026, 11, 2), "议事会", "松和苑", "7号203室", "垃圾房漏水", "物业服务",
                 date(2026, 11, 3), "物业经理", date(2026, 11, 3), date(2026, 11, 20),
                 date(2026, 11, 10), date(2026, 11, 11), "电话", "满意", "已答复"]]
    minutes = [["会议日期", "会议名称", "议题", "诉求编号", "议定事项", "落实人", "反馈日期"],
               [date(2026, 11, 1), "居民议事会", "6号楼道灯不亮", "SQ-002", "物业维修", "物业经理",
                date(2026, 11, 12)],
               [date(2026, 11, 1), "居民议事会", "垃圾房", "SQ-009", None, None, None]]
    folder = _folder(tmp_path)
    save(folder / "诉求台账.xlsx", requests, {3: None})
    save(folder / "议事会记录.xlsx", minutes)
    result = api.check([folder], as_of=AS_OF)
    unknown = [f for f in result.findings if f.code == "D110" and f.kind == "meetings"]
    assert [(f.row, str(f.params["request_id"].zh)) for f in unknown] == [(3, "SQ-009")]
    [struck] = [f for f in result.findings if f.code == "D112" and f.kind == "requests"]
    assert struck.params["ids"] == ["SQ-002"]
