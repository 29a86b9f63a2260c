"""annotate: a marked-up copy; the original stays byte-identical."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.errors import UsageError
from toolkit.model import Finding, Text
from toolkit.read.annotate import annotate

FIXTURE = Path(__file__).parent / "fixtures" / "read" / "老年人台账.xlsx"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def ledger(tmp_path) -> Path:
    target = tmp_path / "台账" / "老年人台账.xlsx"
    target.parent.mkdir()
    shutil.copy(FIXTURE, target)
    return target


def test_cli_annotates_a_copy_and_leaves_the_original(ledger, tmp_path):
    before = sha(ledger)
    out = tmp_path / "copy.xlsx"
    result = CliRunner().invoke(cli, ["annotate", str(ledger), "-o", str(out), "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert sha(ledger) == before
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "问题汇总"
    summary = book["问题汇总"]
    codes = [summary.cell(r, 2).value for r in range(2, summary.max_row + 1)]
    assert "C303" in codes and "D105" in codes
    # the folder holds no visit log: no "never visited" C302 on each resident's row (the run's
    # one C302 no_log sits on no cell of this file)
    assert "C302" not in codes
    # the D105 cell (身份证号 of row 5) is red and carries the message and the fix
    row = next(r for r in range(2, summary.max_row + 1) if summary.cell(r, 2).value == "D105")
    sheet, ref = summary.cell(row, 3).value, f"{summary.cell(row, 5).value}{summary.cell(row, 4).value}"
    cell = book[sheet][ref]
    assert cell.fill.fgColor.rgb.endswith("F8CBAD")
    assert "D105" in cell.comment.text and "→" in cell.comment.text
    assert summary.cell(row, 4).hyperlink.location == f"'{sheet}'!{ref}"


def test_default_output_goes_under_reports_and_is_not_read_back(ledger):
    result = CliRunner().invoke(cli, ["annotate", str(ledger), "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    copy = ledger.parent / "报表" / "标注" / ledger.name
    assert copy.exists()
    again = CliRunner().invoke(cli, ["check", str(ledger.parent), "--as-of", "2026-11-23",
                                     "--format", "json"])
    assert "报表/" not in again.output


def test_formula_looking_values_are_written_as_text(ledger, tmp_path):
    evil = Finding("D109", "warning", False, Text("值不在列表中", "not in list"), Text("改", "fix"),
                   kind="elderly", file="老年人台账.xlsx", sheet=openpyxl.load_workbook(ledger).sheetnames[0],
                   row=5, column="B", header="姓名", record="LR-001",
                   value='=HYPERLINK("http://x","y")')
    out = annotate(ledger, tmp_path / "o.xlsx", [evil], rel="老年人台账.xlsx")
    cell = openpyxl.load_workbook(out.path)["问题汇总"]["H2"]
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"


def test_refuses_to_overwrite_the_original(ledger):
    with pytest.raises(UsageError):
        annotate(ledger, ledger, [], rel="老年人台账.xlsx")
    result = CliRunner().invoke(cli, ["annotate", str(ledger), "-o", str(ledger)])
    assert result.exit_code == 2 and "不能覆盖" in result.output


def test_reports_lost_charts(tmp_path):
    from toolkit.report.writer import write_workbook
    from datetime import date

    def build(wb):
        ws = wb.add_worksheet("老年人台账")
        ws.write_row(0, 0, ["编号", "姓名", "小区", "地址", "独居", "年龄"])
        ws.write_row(1, 0, ["LR-1", "张三", "松和苑", "1号", "是", 85])
        chart = wb.add_chart({"type": "column"})
        chart.add_series({"values": "=老年人台账!$F$2:$F$2"})
        ws.insert_chart("H2", chart)
    folder = tmp_path / "ws"
    folder.mkdir()
    path = write_workbook(folder / "老年人台账.xlsx", build, as_of=date(2026, 11, 23))
    result = CliRunner().invoke(cli, ["annotate", str(path), "-o", str(tmp_path / "c.xlsx"),
                                      "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "图表" in result.output


def test_two_runs_give_the_same_bytes(ledger, tmp_path):
    """openpyxl stamps the save time into the copy; annotate pins it, so the same ledger and
    as-of give a byte-identical copy (the non-negotiable for every output)."""
    import time
    outs = []
    for name in ("a.xlsx", "b.xlsx"):
        out = tmp_path / name
        result = CliRunner().invoke(cli, ["annotate", str(ledger), "-o", str(out), "--as-of", "2026-11-23"])
        assert result.exit_code == 0, result.output
        outs.append(out.read_bytes())
        time.sleep(2.1)                # zip timestamps have a 2-second resolution
    assert outs[0] == outs[1]
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").properties.modified.date().isoformat() == "2026-11-23"


def test_an_id_typed_as_a_number_is_shown_by_its_digits(ledger, tmp_path):
    """An 18-digit ID typed as a number (D105): its digits, as the message quotes them — not
    3.10117196E+17 — in the annotated copy and in the staff report's 问题清单."""
    from toolkit.report.writer import cell_text
    sheet = openpyxl.load_workbook(ledger).sheetnames[0]
    found = [Finding("D105", "error", False, Text("身份证号被存成了数字", "as a number"),
                     Text("改", "fix"), kind="elderly", file="老年人台账.xlsx", sheet=sheet,
                     row=5, column="E", header="身份证号", record="LR-028",
                     value=310117195507310976.0),
             Finding("D111", "warning", False, Text("x", "x"), Text("x", "x"), kind="elderly",
                     file="老年人台账.xlsx", sheet=sheet, row=6, column="F", header="年龄",
                     record="LR-029", value=130)]
    out = annotate(ledger, tmp_path / "o.xlsx", found, rel="老年人台账.xlsx")
    summary = openpyxl.load_workbook(out.path)["问题汇总"]
    assert (summary["H2"].value, summary["H2"].data_type) == ("310117195507310976", "s")
    assert summary["H3"].value == 130                                  # other numbers stay
    assert cell_text(13812345678) == "13812345678" and cell_text(2.5) == 2.5


def _finding(sheet: str, ref_col: str, row: int, code: str = "D104") -> Finding:
    return Finding(code, "warning", False, Text("电话号码格式不对", "bad phone"), Text("改", "fix"),
                   kind="elderly", file="老年人台账.xlsx", sheet=sheet, row=row, column=ref_col,
                   header="本人电话", record="LR-001", value="1391234567")


def test_the_clerks_own_comment_on_a_marked_cell_is_kept(ledger, tmp_path):
    """A cell the clerk had commented ("this is her son's number") and we mark: the copy kept
    only our text — her note was gone from the copy she works from."""
    from openpyxl.comments import Comment
    book = openpyxl.load_workbook(ledger)
    sheet = book.sheetnames[0]
    book[sheet]["E5"].comment = Comment("老人说这是他儿子的号码", "王")
    book.save(ledger)
    out = annotate(ledger, tmp_path / "o.xlsx", [_finding(sheet, "E", 5)], rel="老年人台账.xlsx")
    text = openpyxl.load_workbook(out.path)[sheet]["E5"].comment.text
    assert text.startswith("[D104 ")
    assert "原批注（王）" in text and text.endswith("老人说这是他儿子的号码")


def test_a_link_to_a_sheet_whose_name_holds_an_apostrophe(ledger, tmp_path):
    """问题汇总's link to sheet "11月 王's" was '11月 王's'!E5 — not a reference Excel or
    LibreOffice can follow; the apostrophe is doubled as in a formula."""
    book = openpyxl.load_workbook(ledger)
    book.worksheets[0].title = "11月 王's"
    book.save(ledger)
    out = annotate(ledger, tmp_path / "o.xlsx", [_finding("11月 王's", "E", 5)], rel="老年人台账.xlsx")
    copy = openpyxl.load_workbook(out.path)
    assert copy["问题汇总"]["D2"].hyperlink.location == "'11月 王''s'!E5"
    assert "D104" in copy["11月 王's"]["E5"].comment.text


def test_says_what_openpyxl_dropped_while_loading(ledger, tmp_path):
    """Excel keeps a drop-down list fed from another sheet (and data bars, sparklines …) in an
    extension openpyxl drops: the copy lost them and the clerk was not told."""
    import zipfile
    patched = tmp_path / "台账2" / "老年人台账.xlsx"
    patched.parent.mkdir()
    ext = (b'<extLst><ext xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"'
           b' uri="{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}"><x14:dataValidations count="1"'
           b' xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation'
           b' type="list"><x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1><xm:sqref>H5:H90'
           b'</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>')
    with zipfile.ZipFile(ledger) as zin, zipfile.ZipFile(patched, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", ext)
            zout.writestr(info, data)
    result = CliRunner().invoke(cli, ["annotate", str(patched), "-o", str(tmp_path / "c.xlsx"),
                                      "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "引用其他工作表的下拉列表" in result.output
    plain = CliRunner().invoke(cli, ["annotate", str(ledger), "-o", str(tmp_path / "d.xlsx"),
                                     "--as-of", "2026-11-23"])
    assert "下拉列表" not in plain.output


def test_marks_show_over_the_clerks_conditional_formats(ledger, tmp_path):
    """Banded rows (a conditional format) paint over a cell's own fill: the mark on a banded
    row was invisible on screen and on paper. The copy puts an always-true rule with the mark's
    colour ahead of the clerk's rules, which stay, in their order, behind it."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    book = openpyxl.load_workbook(ledger)
    sheet = book.sheetnames[0]
    book[sheet].conditional_formatting.add(
        "A5:T90", FormulaRule(formula=["MOD(ROW(),2)=1"], fill=PatternFill(bgColor="C6EFCE")))
    book.save(ledger)
    found = [_finding(sheet, "E", 5), Finding("D105", "error", False, Text("x", "x"), Text("x", "x"),
                                               kind="elderly", file="老年人台账.xlsx", sheet=sheet,
                                               row=7, column="F", header="身份证号")]
    out = annotate(ledger, tmp_path / "o.xlsx", found, rel="老年人台账.xlsx")
    formats = openpyxl.load_workbook(out.path)[sheet].conditional_formatting
    rules = sorted(((rule.priority, str(block.sqref), rule) for block in formats
                    for rule in block.rules), key=lambda item: item[0])
    assert [(p, ref) for p, ref, _ in rules] == [(1, "F7"), (2, "E5"), (3, "A5:T90")]
    assert rules[0][2].formula == ["TRUE"] and rules[0][2].dxf.fill.bgColor.rgb.endswith("F8CBAD")
    assert rules[1][2].dxf.fill.bgColor.rgb.endswith("FFE699")
    assert rules[2][2].formula == ["MOD(ROW(),2)=1"]
    # a sheet without conditional formats gets none
    plain = annotate(FIXTURE, tmp_path / "p.xlsx", [_finding(sheet, "E", 5)], rel="老年人台账.xlsx")
    assert not list(openpyxl.load_workbook(plain.path)[sheet].conditional_formatting)


def test_a_finding_about_a_whole_record_is_marked_where_the_clerk_sees_it(tmp_path):
    """A finding with no column (C303 "no volunteer") was marked on column A: outside the
    table when it starts in column C, unseen when column A (序号) is hidden. It goes on the
    row's first filled cell in a visible column; the 问题汇总 link goes there too."""
    path = tmp_path / "老年人台账.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "老人"
    sheet.append([])
    sheet.append([None, None, "老人编号", "姓名"])
    sheet.append([1, None, "LR-001", "张三"])
    sheet.append([2, None, None, "李四"])
    sheet.column_dimensions["A"].hidden = True
    book.save(path)
    found = [Finding("C303", "warning", False, Text("没有结对志愿者", "no volunteer"), Text("改", "fix"),
                     kind="elderly", file="老年人台账.xlsx", sheet="老人", row=row, column=None)
             for row in (3, 4)]
    out = annotate(path, tmp_path / "o.xlsx", found, rel="老年人台账.xlsx")
    copy = openpyxl.load_workbook(out.path)
    assert "C303" in copy["老人"]["C3"].comment.text and copy["老人"]["A3"].comment is None
    assert "C303" in copy["老人"]["D4"].comment.text
    assert [copy["问题汇总"].cell(r, 4).hyperlink.location for r in (2, 3)] == ["'老人'!C3", "'老人'!D4"]
