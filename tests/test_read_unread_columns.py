"""A row is a record only when a column read as a field holds something (docs/read.md
“表格下方的非记录行”). A note typed into 备注, 所在楼组 or a column with an unknown header or
none, on a row whose field columns are empty, is no record: no D101 for each required
field, no finding, not counted. A row with anything in a field column (a duplicate F005
column too) stays a record, so a half-filled row is never lost."""
from __future__ import annotations

import shutil
from datetime import date

import openpyxl
import pytest

from helpers import AS_OF, SAMPLE
from toolkit import api
from toolkit.read.headers import classify
from toolkit.read.records import build_records
from toolkit.read.sheets import Grid

REQ = ["编号", "登记日期", "小区", "诉求内容", "备注"]
SQ1 = ["SQ-1", "2026-11-02", "松和苑", "路灯不亮", ""]


def grid(rows):
    width = max(len(r) for r in rows)
    return Grid("S", [list(r) + [""] * (width - len(r)) for r in rows], [])


def rows_read(rows):
    g = grid(rows)
    return [r.row for r in build_records(g, classify(g), file="f.xlsx", as_of=AS_OF).records]


@pytest.mark.parametrize("note", ["以上截至11月20日，经办人：施晓红", "以下为咏泽苑", "无"])
def test_a_row_filled_only_in_beizhu_is_no_record(note):
    assert rows_read([REQ, SQ1, ["", "", "", "", note]]) == [2]


def test_a_row_filled_only_in_serial_and_beizhu_is_no_record():
    rows = [["序号"] + REQ, [1] + SQ1, [2, "", "", "", "", "见下页"]]
    assert rows_read(rows) == [2]


@pytest.mark.parametrize("header", ["所在楼组", "民族", "经办人", ""])
def test_a_row_filled_only_in_a_column_not_read_is_no_record(header):
    rows = [REQ[:4] + [header], SQ1[:4] + ["3号楼组"], ["", "", "", "", "以上为松和苑"]]
    assert rows_read(rows) == [2]


def test_a_row_with_one_field_filled_stays_a_record_beside_a_note():
    rows = [REQ, SQ1, ["", "", "", "楼道堆物", "待补登记"], ["SQ-3", "", "", "", ""]]
    assert rows_read(rows) == [2, 3, 4]


def test_a_row_filled_only_in_a_second_column_naming_a_field_stays_a_record():
    rows = [REQ[:4] + ["诉求内容"], SQ1[:4] + [""], ["", "", "", "", "电梯异响"]]
    assert rows_read(rows) == [2, 3]                       # the F005 column: data, not a note


def test_beizhu_read_as_a_field_keeps_its_row():
    rows = [["巡访日期", "老人姓名", "走访人", "巡访情况", "备注"],
            ["2026-11-02", "张秀英", "李明", "正常", ""], ["", "", "", "", "3号楼漏水"]]
    assert rows_read(rows) == [2, 3]                       # 备注 is visits.issue


def test_unread_columns_first_and_filled_in_every_row_decide_nothing():
    """The fast path (the first columns filled in every row: every row a record) looks at
    the first columns read as fields, not at 所在楼组/备注 before them."""
    rows = [["所在楼组", "备注"] + REQ[:4], ["3号", "x"] + SQ1[:4],
            ["4号", "x", "SQ-2", "2026-11-03", "松和苑", "电梯"], ["4号", "以上为松和苑", "", "", "", ""]]
    assert rows_read(rows) == [2, 3]


def _d101(tmp_path, edit):
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root)
    edit(root)
    found = api.check([root], as_of=AS_OF).findings
    return [f for f in found if f.code == "D101"]


def test_a_note_in_beizhu_under_the_requests_gives_no_d101(tmp_path):
    base = _d101(tmp_path / "a", lambda root: None)

    def note(root):
        path = root / "诉求台账.xlsx"
        wb = openpyxl.load_workbook(path)
        ws = wb["松和苑"]
        assert ws.cell(2, 21).value == "备注"
        ws.cell(ws.max_row + 1, 21, "以上截至11月20日，经办人：施晓红")
        wb.save(path)
    assert len(_d101(tmp_path / "b", note)) == len(base) == 4           # was 9


def test_a_note_in_an_added_beizhu_column_between_estates_gives_no_d101(tmp_path):
    def note(root):
        path = root / "老年人台账.xlsx"
        wb = openpyxl.load_workbook(path)
        ws = wb["花名册"]
        first = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 8).value == "咏泽苑")
        ws.insert_rows(first)
        ws.cell(3, 21, "备注")
        ws.cell(first, 21, "以下为咏泽苑")
        wb.save(path)
    assert len(_d101(tmp_path, note)) == 4                              # was 10


@pytest.mark.parametrize("label", ["二、咏泽苑", "（三）松和苑独居老人", "2、咏泽苑", "十一. 其他小区"])
def test_a_section_label_alone_in_the_first_field_column_is_no_record(label):
    """``二、咏泽苑`` typed in 编号 on a separator row: no 编号 takes that form (docs/read.md)."""
    rows = [["序号"] + REQ, [1] + SQ1, ["", label, "", "", "", ""], [2, "SQ-2", "2026-11-03",
                                                                   "咏泽苑", "电梯异响", ""]]
    assert rows_read(rows) == [2, 4]


@pytest.mark.parametrize("row", [
    ["", "二、咏泽苑", "2026-11-03", "", "", ""],        # another field filled: a half-filled row
    ["", "二、咏泽苑", "", "", "", "待核"],             # a note beside it
    ["", "", "", "", "1、楼道堆物", ""],               # the label form further right: content
    ["", "SQ-3", "", "", "", ""],                     # an id alone: a half-filled row
    ["", "2、", "", "", "", ""],                      # no words after the ordinal
])
def test_rows_like_a_section_label_that_stay_records(row):
    rows = [["序号"] + REQ, [1] + SQ1, row]
    assert rows_read(rows) == [2, 3]


MEETING = ["议题", "会议日期", "参会人员", "关联诉求", "议定事项", "牵头人"]


@pytest.mark.parametrize("item", ["二、更换楼道灯", "2、楼道堆物清理", "（三）加装电梯意见征询"])
def test_a_numbered_topic_alone_under_yiti_first_is_a_record(item):
    """Minutes whose first column is 议题: a meeting's later items are numbered and hold only
    the 议题 (the date is written once above). They were dropped as section labels."""
    rows = [MEETING, ["一、防诈骗宣传", "2026-10-14", "网格长", "通报", "", ""],
            [item, "", "", "", "", ""]]
    assert rows_read(rows) == [2, 3]


def test_a_numbered_topic_under_merged_date_is_a_record(tmp_path):
    """The same with 会议日期 and 参会人员 merged down over the meeting's items: each item is a
    议题 of that meeting (no M702 was given for the dropped ones)."""
    root = tmp_path / "c"
    shutil.copytree(SAMPLE, root)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(MEETING)
    ws.append(["一、防诈骗宣传", date(2026, 10, 14), "网格长、物业经理", "通报"])
    ws.append(["二、更换楼道灯"])
    ws.append(["三、加装电梯意见征询"])
    ws.merge_cells("B2:B4")
    ws.merge_cells("C2:C4")
    wb.save(root / "议事会记录.xlsx")
    result = api.check([root], as_of=date(2026, 11, 23))
    topics = [r.values["topic"] for r in result.workspace.ledger("meetings")]
    assert topics == ["一、防诈骗宣传", "二、更换楼道灯", "三、加装电梯意见征询"]
    assert {f.row for f in result.findings if f.code == "M702"} == {3, 4}


def test_a_section_label_under_bianhao_gives_no_d101_on_the_sample(tmp_path):
    def edit(root):
        path = root / "老年人台账.xlsx"
        wb = openpyxl.load_workbook(path)
        ws = wb.worksheets[0]
        ws.insert_rows(10)
        ws.cell(10, 2, "二、松和苑")                    # 老人编号 column (A is 序号)
        wb.save(path)
    assert not [f for f in _d101(tmp_path, edit) if f.file == "老年人台账.xlsx" and f.row == 10]
