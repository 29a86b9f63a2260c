"""Discovery, sniffing, safety limits and CSV decoding of the reading layer."""
from __future__ import annotations

import codecs
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from toolkit.errors import ToolkitError
from toolkit.read import _require_defusedxml
from toolkit.read.files import discover, relative, sniff, zip_problem
from toolkit.model import column_letter
from toolkit.read.sheets import column_index, open_book, read_csv

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "read" / "老年人台账.xlsx"


def codes(findings):
    return [f.code for f in findings]


# --- discovery ---------------------------------------------------------------------------

def test_discover_skips_reports_state_hidden_owner_settings_and_text(tmp_path):
    for name in ["b.xlsx", "a.csv", "sub/c.xls", "sub/deeper/d.xlsm", "报表/2026-W48/周检查报告.xlsx",
                 ".shequ/x.xlsx", ".hidden/y.xlsx", "~$b.xlsx", ".~lock.a.csv#", "设置.xlsx",
                 "说明.txt", "照片.png", "notes.md"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    found = discover([tmp_path], tmp_path)
    assert [relative(p, tmp_path) for p in found.files] == [
        "a.csv", "b.xlsx", "sub/c.xls", "sub/deeper/d.xlsm"]
    # both owner files are noticed (F008), for the file they belong to
    assert [(f.code, f.file) for f in found.findings] == [("F008", "a.csv"), ("F008", "b.xlsx")]


def test_discover_files_given_explicitly_and_deduplicated(tmp_path):
    (tmp_path / "a.xlsx").write_bytes(b"x")
    (tmp_path / "readme.txt").write_bytes(b"x")
    found = discover([tmp_path / "readme.txt", tmp_path, tmp_path / "a.xlsx"], tmp_path)
    assert [p.name for p in found.files] == ["a.xlsx", "readme.txt"]
    assert found.findings == []


def test_relative_uses_posix_separators_and_dotdot_outside_root(tmp_path):
    inner = tmp_path / "x" / "y.xlsx"
    assert relative(inner, tmp_path) == "x/y.xlsx"
    assert relative(tmp_path / "z.xlsx", tmp_path / "x") == "../z.xlsx"


# --- sniffing ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, code, words", [
    ("截断.xlsx", "F001", "已损坏或不完整"),
    ("空文件.xlsx", "F001", "空文件"),
    ("其实是Word.xlsx", "F001", "Word 文档"),
    ("网页导出.xls", "F001", "网页文件"),
    ("加密.xlsx", "F002", "打开密码"),
])
def test_sniff_names_what_the_file_really_is(name, code, words):
    found = sniff(FIXTURES / "read_bad" / name, name)
    assert found.fmt is None
    [f] = found.findings
    assert (f.code, f.file) == (code, name)
    assert words in f.message.zh and name in f.message.zh
    assert f.message.en and f.fix.zh


def test_sniff_good_files():
    assert sniff(GOOD, "x").fmt == "xlsx"
    xls = sniff(FIXTURES / "read" / "志愿者名册.xls", "志愿者名册.xls")
    assert xls.fmt == "xls" and codes(xls.findings) == ["F010"]
    assert sniff(FIXTURES / "read" / "诉求台账_GBK.csv", "x").fmt == "csv"


def test_sniff_other_disguises(tmp_path):
    cases = {"a.xlsx": b"%PDF-1.7 ...", "b.xlsx": b"\x89PNG\r\n\x1a\n....",
             "c.xlsx": b"just some text,with commas\n", "d.ods": b"PK\x03\x04"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    messages = {name: sniff(tmp_path / name, name).findings[0].message.zh for name in cases}
    assert "PDF" in messages["a.xlsx"]
    assert "PNG" in messages["b.xlsx"]
    assert "不是 Excel 工作簿" in messages["c.xlsx"]
    assert ".ods" in messages["d.ods"]


def test_xlsx_named_xls_is_read_with_f010(tmp_path):
    path = tmp_path / "x.xls"
    shutil.copyfile(GOOD, path)
    found = sniff(path, "x.xls")
    assert found.fmt == "xlsx" and codes(found.findings) == ["F010"]
    # opened by content, not by its name (calamine's from_path would read it as BIFF)
    book = open_book(path, found.fmt, "x.xls")
    assert book.findings == [] and [g.name for g in book.grids] == \
        [g.name for g in open_book(GOOD, "xlsx", "g.xlsx").grids]


def test_xls_named_xlsx_is_read_with_f010(tmp_path):
    path = tmp_path / "x.xlsx"
    shutil.copyfile(FIXTURES / "read" / "志愿者名册.xls", path)
    found = sniff(path, "x.xlsx")
    assert found.fmt == "xls" and codes(found.findings) == ["F010"]
    assert "扩展名不是 .xls" in found.findings[0].message.zh
    book = open_book(path, found.fmt, "x.xlsx")
    right = open_book(FIXTURES / "read" / "志愿者名册.xls", "xls", "y.xls")
    assert [g.rows for g in book.grids] == [g.rows for g in right.grids]


def test_broken_ole_container_is_f001(tmp_path):
    broken = tmp_path / "broken.xls"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert codes(sniff(broken, "broken.xls").findings) == ["F001"]


# --- safety (F009) --------------------------------------------------------------------------

def _copy_with(tmp_path: Path, name: str, change) -> Path:
    out = tmp_path / name
    with zipfile.ZipFile(GOOD) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, change(info.filename, src.read(info.filename)))
        extra = getattr(change, "extra", None)
        if extra:
            extra(dst)
    return out


def test_doctype_in_shared_strings_is_f009(tmp_path):
    def change(name, data):
        if name == "xl/sharedStrings.xml":
            head, rest = data.split(b"?>", 1)
            return (head + b'?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                    + rest)
        return data
    path = _copy_with(tmp_path, "lol.xlsx", change)
    book = open_book(path, "xlsx", "lol.xlsx")
    assert book.grids is None
    [f] = book.findings
    assert f.code == "F009" and "DOCTYPE" in f.message.zh


def test_too_many_entries_is_f009(tmp_path):
    def change(name, data):
        return data

    def extra(dst):
        for i in range(10_001):
            dst.writestr(f"customXml/item{i}.bin", b"")
    change.extra = extra
    path = _copy_with(tmp_path, "many.xlsx", change)
    with zipfile.ZipFile(path) as zf:
        f = zip_problem(zf, "many.xlsx")
    assert f.code == "F009" and "10" in f.message.zh


def test_highly_compressed_media_is_not_a_bomb(tmp_path):
    """How well a part compresses is no sign of a bomb: a 30 MB run of zeros in a picture part
    (ratio ~1000) is never parsed, so it costs nothing and the file is read."""
    def change(name, data):
        return data

    def extra(dst):
        dst.writestr("xl/media/blank.png", b"\x00" * (30 * 1024 * 1024))
    change.extra = extra
    path = _copy_with(tmp_path, "media.xlsx", change)
    with zipfile.ZipFile(path) as zf:
        assert zip_problem(zf, "media.xlsx") is None


def test_xml_over_the_parse_bound_is_f009_in_milliseconds(tmp_path, monkeypatch):
    """XML that would cost too much to parse is refused from the declared sizes alone."""
    from toolkit.read import files

    monkeypatch.setattr(files, "MAX_UNCOMPRESSED", 4 * 1024 * 1024)

    def change(name, data):
        return data

    def extra(dst):
        dst.writestr("xl/worksheets/sheet9.xml", b" " * (5 * 1024 * 1024))
    change.extra = extra
    path = _copy_with(tmp_path, "bomb.xlsx", change)
    started = time.perf_counter()
    with zipfile.ZipFile(path) as zf:
        f = zip_problem(zf, "bomb.xlsx")
    assert f.code == "F009" and "解压后约 5 MB" in f.message.zh
    assert time.perf_counter() - started < 0.5


def test_good_workbook_passes_safety():
    with zipfile.ZipFile(GOOD) as zf:
        assert zip_problem(zf, "x") is None


def test_defusedxml_is_required(monkeypatch):
    import openpyxl.xml

    _require_defusedxml()                       # installed: no error
    monkeypatch.setattr(openpyxl.xml, "DEFUSEDXML", False)
    with pytest.raises(ToolkitError) as err:
        _require_defusedxml()
    assert "pip install defusedxml" in err.value.message("zh")


# --- CSV -------------------------------------------------------------------------------------

def test_csv_gbk_is_read_with_f010():
    book = read_csv(FIXTURES / "read" / "诉求台账_GBK.csv", "g.csv")
    assert codes(book.findings) == ["F010"] and "GBK" in book.findings[0].message.zh
    rows = book.grids[0].rows
    assert rows[0][:3] == ["编号", "登记日期", "来源"]
    assert rows[3][7] == "晾衣架, 需要修理"           # a quoted comma stays in its cell


def test_csv_utf8_bom_is_read_silently():
    book = read_csv(FIXTURES / "read" / "诉求台账_BOM.csv", "b.csv")
    assert book.findings == [] and book.grids[0].rows[0][0] == "编号"


def test_csv_bad_bytes_are_replaced_with_a_finding(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(codecs.BOM_UTF8 + "编号,姓名\nA1,".encode() + b"\xff\xfe" + "张\n".encode())
    book = read_csv(path, "bad.csv")
    assert codes(book.findings) == ["F010"] and book.findings[0].severity == "warning"
    assert book.grids[0].rows[1][0] == "A1" and "�" in book.grids[0].rows[1][1]


def test_csv_unclosed_quote_keeps_every_row(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('编号,内容\n1,"没有结束的引号\n2,第二行\n3,第三行\n', encoding="utf-8")
    book = read_csv(path, "q.csv")
    assert codes(book.findings) == ["F010"] and "引号" in book.findings[0].message.zh
    assert [row[0] for row in book.grids[0].rows] == ["编号", "1", "2", "3"]


def test_csv_tab_separated(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("编号\t姓名\nA\tB\n", encoding="utf-8")
    assert read_csv(path, "t.csv").grids[0].rows == [["编号", "姓名"], ["A", "B"]]


# --- xlsx internals -----------------------------------------------------------------------------

def test_formula_without_cached_value_is_found_and_cached_ones_are_not():
    book = open_book(FIXTURES / "read" / "公式未计算.xlsx", "xlsx", "f.xlsx")
    assert book.grids[0].formula_gaps == [(1, 5), (2, 5)]
    saved_by_libreoffice = open_book(GOOD, "xlsx", "g.xlsx")
    assert all(g.formula_gaps == [] for g in saved_by_libreoffice.grids)


def test_1904_flag_and_hidden_sheet():
    book = open_book(FIXTURES / "read" / "Mac巡访_1904.xlsx", "xlsx", "m.xlsx")
    assert book.date1904 and codes(book.findings) == ["F010"]
    visits = open_book(FIXTURES / "read" / "巡访记录.xlsx", "xlsx", "v.xlsx")
    assert [(g.name, g.hidden) for g in visits.grids] == [
        ("松和苑", False), ("咏泽苑", True), ("Sheet2", False)]


def test_column_letters_round_trip():
    for index in (0, 25, 26, 51, 702, 16383):
        assert column_index(column_letter(index)) == index
    assert column_letter(26) == "AA" and column_letter(16383) == "XFD"


def test_error_cells_are_kept_apart_from_typed_text():
    """A cell showing #N/A is a CellError: never equal to the text "#N/A" typed by a clerk, so
    the two are parsed apart (F011 for the error, the text read as text)."""
    from datetime import date

    from toolkit.read.headers import classify
    from toolkit.read.records import build_records
    from toolkit.read.sheets import CellError, Grid, put_errors

    assert CellError("#N/A") != "#N/A" and "#N/A" != CellError("#N/A")
    assert CellError("#N/A") == CellError("#N/A") and len({CellError("#N/A"), "#N/A"}) == 2
    rows = [["编号", "姓名", "小区", "独居"], ["LR-001", "", "一号小区", "是"],
            ["LR-002", "#N/A", "一号小区", "否"]]
    put_errors(rows, {(1, 1): "#N/A", (3, 4): "#REF!"})
    assert type(rows[1][1]) is CellError and rows[3] == ["", "", "", "", CellError("#REF!")]
    grid = Grid("老年人", rows[:3])
    built = build_records(grid, classify(grid), file="x.xlsx", as_of=date(2026, 11, 23))
    first, second = built.records
    assert first.values["name"] is None and "name" in first.invalid
    assert second.values["name"] == "#N/A" and "name" not in second.invalid
    [f011] = [f for f in built.findings if f.code == "F011"]
    assert (f011.row, f011.column, f011.value) == (2, "B", "#N/A")


def test_total_declared_size_limit_is_120_mb(tmp_path):
    """The declared sizes of the parsed parts are summed before anything is inflated: 121 MB
    is refused."""
    path = tmp_path / "big.xlsx"
    shutil.copyfile(GOOD, path)
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        [info] = [i for i in infos if i.filename.endswith(".xml")][:1]
        info.file_size = 121 * 2**20
        f = zip_problem(zf, "big.xlsx")
    assert f.code == "F009" and "解压后约 121 MB（上限 120 MB）" in f.message.zh


def test_xlsx_named_csv_is_read_by_content_with_f010(tmp_path):
    """Like any other misnamed workbook (an .xlsx named .xls, an .xls named .csv): read by
    what it is, with an F010 saying so — not refused."""
    path = tmp_path / "x.csv"
    shutil.copyfile(GOOD, path)
    found = sniff(path, "x.csv")
    assert found.fmt == "xlsx" and codes(found.findings) == ["F010"]
    assert found.findings[0].severity == "info" and ".csv" in found.findings[0].message.zh
    book = open_book(path, found.fmt, "x.csv")
    assert book.findings == [] and [g.rows for g in book.grids] == \
        [g.rows for g in open_book(GOOD, "xlsx", "g.xlsx").grids]


def test_csv_excel_text_guards_and_apostrophes_are_unwrapped(tmp_path):
    """``="310117…"`` (Excel's formula-returning-text guard, quoted or not) is the text inside;
    a leading apostrophe (the text marker export systems put before ids and phones) is
    dropped in every column. A word in single quotes ('好') stays as written."""
    path = tmp_path / "g.csv"
    path.write_text('编号,身份证号,电话,备注\n'
                    '="LR-001","=""310117194801256510""",\'13812345678,\'好\'\n'
                    '\'LR-002,=\"21\"\"号\",\',="" \n', encoding="utf-8")
    rows = read_csv(path, "g.csv").grids[0].rows
    assert rows[1] == ["LR-001", "310117194801256510", "13812345678", "'好'"]
    assert rows[2] == ["LR-002", '21"号', "", ""]


def test_guarded_ids_in_a_csv_ledger_are_read_as_ids(tmp_path):
    from datetime import date

    from toolkit.read import read_workspace
    (tmp_path / "老年人.csv").write_text(
        "编号,姓名,小区,地址,独居,身份证号,联系电话\n"
        '="LR-001",张秀英,松和苑,1号101室,是,="11010519491231002X",="13812345678"\n'
        "'LR-002,李建国,松和苑,1号102室,否,'11010519491231002X,'13912345678\n",
        encoding="utf-8-sig")
    ws = read_workspace([tmp_path], as_of=date(2026, 11, 23))
    [elderly] = [ws.records["elderly"]]
    assert [r.id for r in elderly] == ["LR-001", "LR-002"]
    assert {r.values["id_number"] for r in elderly} == {"11010519491231002X"}
    assert {r.values["phone"] for r in elderly} == {"13812345678", "13912345678"}
    assert {f.code for f in ws.findings} & {"D104", "D105", "D112"} == set()


def test_ods_merged_ranges_are_counted_through_repeated_rows_and_cells(tmp_path):
    """content.xml compresses empty rows and cells (number-rows-repeated, -columns-repeated)
    and wraps header rows; a merged cell's place is counted through them; a sheet nested in
    a cell is not a sheet."""
    from toolkit.read.sheets import Source, _ods_merged

    t = 'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    content = f"""<?xml version="1.0"?><office:document-content {t}
      xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><office:body><office:spreadsheet>
      <table:table table:name="花名册">
        <table:table-header-rows><table:table-row>
          <table:table-cell table:number-columns-spanned="3"/><table:covered-table-cell table:number-columns-repeated="2"/>
        </table:table-row></table:table-header-rows>
        <table:table-row table:number-rows-repeated="4"><table:table-cell table:number-columns-repeated="5"/></table:table-row>
        <table:table-row><table:table-cell table:number-columns-repeated="2"/>
          <table:table-cell table:number-rows-spanned="3"><table:table>
            <table:table-row><table:table-cell table:number-rows-spanned="9"/></table:table-row></table:table>
          </table:table-cell></table:table-row>
      </table:table>
      <table:table table:name="空表"><table:table-row><table:table-cell/></table:table-row></table:table>
    </office:spreadsheet></office:body></office:document-content>"""
    path = tmp_path / "t.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
    assert _ods_merged(Source(path)) == {"花名册": [(0, 0, 0, 2), (5, 2, 7, 2)], "空表": []}
    (tmp_path / "bad.ods").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    assert _ods_merged(Source(tmp_path / "bad.ods")) == {}


def test_broken_link_is_named_as_it_sits_in_the_folder(tmp_path):
    """A shortcut (symbolic link) in the ledger folder whose target is gone: F001 names the
    link the clerk sees, and says what it points to does not exist."""
    from datetime import date
    from toolkit.read import read_workspace
    folder = tmp_path / "台账"
    folder.mkdir()
    (folder / "诉求台账2.xlsx").symlink_to("../../nonexistent/x.xlsx")
    ws = read_workspace([folder], as_of=date(2026, 11, 23))
    [f] = [f for f in ws.findings if f.code == "F001"]
    assert f.file == "诉求台账2.xlsx"
    assert "快捷方式" in f.message.zh and "“../../nonexistent/x.xlsx”不存在" in f.message.zh
    assert "does not exist" in f.message.en and "nonexistent" not in (f.file or "")


def test_a_link_to_a_file_elsewhere_is_named_by_the_link(tmp_path):
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    (elsewhere / "x.csv").write_text("a\n", encoding="utf-8")
    folder = tmp_path / "台账"
    folder.mkdir()
    (folder / "老年人.csv").symlink_to(elsewhere / "x.csv")
    assert relative(folder / "老年人.csv", folder) == "老年人.csv"
