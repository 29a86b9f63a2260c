"""What a header says besides its field (real workbooks saved with openpyxl): a trailing
bracket that qualifies the header (紧急联系人（电话）), a unit (服务时长（分钟）), two-level
headers whose children add no field or carry their parent's field (巡访情况 over 身体状况), an alias beside the canonical header, footer rows."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from toolkit.read import read_workspace
from toolkit.read.headers import header_key

AS_OF = date(2026, 11, 23)
ELDERLY = ["编号", "姓名", "出生日期", "小区", "地址", "联系电话", "是否独居"]
PEOPLE = [["LR-001", "张秀英", date(1940, 5, 12), "松和苑", "12号301室", "57651234", "是"],
          ["LR-002", "李桂兰", date(1950, 3, 1), "松和苑", "12号302室", "57651235", "否"]]


def save(folder: Path, name: str, sheets: dict[str, list[list]], merged=None) -> Path:
    """A workbook of ``sheets`` (name -> rows, None for an empty cell); ``merged``: sheet
    name -> ranges such as ``"H1:I1"``."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    ws.cell(r, c, value)
        for cells in (merged or {}).get(title, ()):
            ws.merge_cells(cells)
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(folder / name)
    return folder


def read(folder: Path):
    ws = read_workspace([folder], as_of=AS_OF)
    return ws, [f for f in ws.findings if f.code != "F010"]


# --------------------------------------------------------------------------- brackets
@pytest.mark.parametrize("kind, header, key, unit", [
    ("elderly", "紧急联系人（电话）", "emergency_phone", ""),
    ("elderly", "紧急联系人(姓名)", "emergency_contact", ""),
    ("elderly", "家属（手机）", "emergency_phone", ""),
    ("elderly", "联系电话（必填）", "phone", ""),
    ("elderly", "地址（门牌号）", "address", ""),
    ("elderly", "联系方式（本人电话）", "phone", ""),
    ("elderly", "联系电话（家属）", None, ""),               # whose phone? not read
    ("requests", "办理时限（工作日）*", "due", ""),
    ("visits", "服务时长(小时)", "hours", ""),
    ("visits", "服务时长（h）", "hours", ""),
    ("visits", "服务时长（分钟）", "hours", "分钟"),
    ("visits", "服务时长（天）", None, ""),                  # a unit hours are not kept in
    ("visits", "血压(mmHg)", "blood_pressure", ""),
    ("services", "收费金额（元）", "fee", ""),
    ("services", "收费金额（万元）", None, ""),
])
def test_a_trailing_bracket_is_read_not_dropped(kind, header, key, unit):
    assert header_key(kind, header) == (key, unit)


def test_bracketed_name_and_phone_of_the_emergency_contact(tmp_path):
    rows = [ELDERLY + ["紧急联系人（姓名）", "紧急联系人（电话）"]]
    rows += [p + ["张伟", "13912345678"] for p in PEOPLE]
    ws, found = read(save(tmp_path / "ws", "老年人台账.xlsx", {"花名册": rows}))
    [source] = ws.sources
    assert source.columns["emergency_contact"] == "H" and source.columns["emergency_phone"] == "I"
    assert [r.values["emergency_phone"] for r in ws.ledger("elderly")] == ["13912345678"] * 2
    assert found == []


def test_minutes_under_a_minutes_header_are_read_as_hours(tmp_path):
    rows = [["巡访日期", "老人姓名", "巡访人", "服务类型", "巡访情况", "服务时长（分钟）"],
            [date(2026, 11, 3), "张秀英", "李红", "巡访", "正常", 30],
            [date(2026, 11, 4), "李桂兰", "李红", "巡访", "正常", "45"],
            [date(2026, 11, 5), "王建国", "李红", "巡访", "正常", "1小时"]]
    ws, found = read(save(tmp_path / "ws", "巡访记录.xlsx", {"巡访": rows}))
    assert [r.values["hours"] for r in ws.ledger("visits")] == [0.5, 0.75, 1.0]
    [d112] = found
    assert d112.code == "D112" and "30 → 0.5小时" in d112.message.zh


# --------------------------------------------------------------------------- two levels
def _two_level(parent: str, children: list[str], values: list[list], top: int = 1) -> tuple:
    """An elderly sheet with a title row, the header on rows ``top``..``top + 1`` (1-based):
    the ELDERLY columns merged down over both rows, ``parent`` merged across ``children``."""
    width = len(ELDERLY) + len(children)
    rows = [["莘泽居民区老年人花名册"]] + [[f"说明第{k}行"] for k in range(2, top)]
    rows += [ELDERLY + [parent] + [None] * (len(children) - 1), [None] * len(ELDERLY) + children]
    rows += [p + v for p, v in zip(PEOPLE, values)]
    last = openpyxl.utils.get_column_letter(width)
    first = openpyxl.utils.get_column_letter(len(ELDERLY) + 1)
    merged = [f"A1:{last}1", f"{first}{top}:{last}{top}"]
    merged += [f"{c}{top}:{c}{top + 1}" for c in "ABCDEFG"]
    return rows, merged


@pytest.mark.parametrize("parent, children, values, mapped, unmapped", [
    ("其他信息", ["民族", "政治面貌", "文化程度"], [["汉族", "群众", "小学"]] * 2, {}, ["民族", "政治面貌", "文化程度"]),
    ("紧急联系人", ["姓名", "电话"], [["张伟", "13912345678"]] * 2,
     {"emergency_contact": "H", "emergency_phone": "I"}, []),
    ("家属信息", ["姓名", "关系", "电话"], [["张伟", "儿子", "13912345678"]] * 2,
     {"emergency_contact": "H", "emergency_phone": "J"}, ["关系"]),
])
def test_a_second_header_row_adding_no_field_is_no_record(tmp_path, parent, children, values,
                                                          mapped, unmapped):
    rows, merged = _two_level(parent, children, values, top=2)
    ws, found = read(save(tmp_path / "ws", "老年人台账.xlsx", {"花名册": rows}, {"花名册": merged}))
    [source] = ws.sources
    assert source.header_row == 3 and source.records == 2 and source.unmapped == unmapped
    assert {k: v for k, v in source.columns.items() if k in mapped} == mapped
    assert source.columns["name"] == "B"
    assert found == []


def test_a_two_level_header_on_rows_10_and_11(tmp_path):
    rows, merged = _two_level("联系方式", ["紧急联系人", "紧急联系人电话"],
                              [["张伟", "13912345678"]] * 2, top=10)
    ws, found = read(save(tmp_path / "ws", "老年人台账.xlsx", {"花名册": rows}, {"花名册": merged}))
    [source] = ws.sources
    assert source.header_row == 11 and source.records == 2
    assert source.columns["emergency_phone"] == "I"
    assert found == []


def test_a_data_row_under_a_header_merged_across_two_columns_stays_a_record(tmp_path):
    rows = [["编号", "姓名", "出生日期", "小区", "家庭住址", None, "是否独居"],
            [None, None, None, None, "花园路", "三号楼", None],
            ["LR-001", "张秀英", date(1940, 5, 12), "松和苑", "12号", "301室", "是"]]
    ws, found = read(save(tmp_path / "ws", "老年人台账.xlsx", {"花名册": rows}, {"花名册": ["E1:F1"]}))
    assert [r.row for r in ws.ledger("elderly")] == [2, 3]


def test_a_second_header_row_without_merge_information():
    """A CSV: 其他信息 followed by empty parent cells over 民族 | 政治面貌."""
    from toolkit.read.headers import classify
    from toolkit.read.records import build_records
    from toolkit.read.sheets import Grid
    rows = [ELDERLY + ["其他信息", ""], [""] * len(ELDERLY) + ["民族", "政治面貌"]]
    rows += [[str(v) for v in p] + ["汉族", "群众"] for p in PEOPLE]
    g = Grid("S", rows, [])
    layout = classify(g)
    assert layout.kind == "elderly" and layout.header_rows == (0, 1)
    assert [r.row for r in build_records(g, layout, file="f.csv", as_of=AS_OF).records] == [3, 4]


# --------------------------------------------------------------------------- parent's field
VISIT_TOP = ["序号", "巡访日期", "老人姓名", "巡访人", "服务类型"]
VISITS = [[1, date(2026, 11, 3), "张秀英", "李红", "巡访"],
          [2, date(2026, 11, 4), "李桂兰", "李红", "巡访、量血压"],
          [3, date(2026, 11, 10), "张秀英", "李红", "电话问候"]]


def _visit_log(parent: str, children: list[str], values: list[list], after: list = ()) -> tuple:
    """A visit log (the shape of probe p07): a title merged over row 1, the header on rows 3-4,
    the VISIT_TOP columns (and ``after``, headers then values) merged down over both rows,
    ``parent`` merged across ``children``."""
    width = len(VISIT_TOP) + len(children) + len(after)
    top = VISIT_TOP + [parent] + [None] * (len(children) - 1) + [h for h, _ in after]
    rows = [["独居老人巡访登记表"], [], top, [None] * len(VISIT_TOP) + children]
    rows += [v + w + [x for _, x in after] for v, w in zip(VISITS, values)]
    letter = openpyxl.utils.get_column_letter
    first, last = len(VISIT_TOP) + 1, len(VISIT_TOP) + len(children)
    merged = [f"A1:{letter(width)}1", f"{letter(first)}3:{letter(last)}3"]
    merged += [f"{letter(c)}3:{letter(c)}4" for c in range(1, width + 1) if not first <= c <= last]
    return rows, merged


def test_the_one_unmatched_child_of_a_parent_naming_a_field_carries_it(tmp_path):
    """巡访情况 merged over 身体状况 | 血压 | 发现问题: 血压 and 发现问题 are fields, the outcomes are
    written under 身体状况 — read as 巡访情况 (no F004), with the usual spelling fixes."""
    values = [["正常", "135/85", None], ["良好", "150/95", "厨房水管漏水"], ["敲门无应答", None, None]]
    rows, merged = _visit_log("巡访情况", ["身体状况", "血压", "发现问题"], values,
                              after=[("服务时长（分钟）", 30)])
    ws, found = read(save(tmp_path / "ws", "巡访记录.xlsx", {"松和苑": rows}, {"松和苑": merged}))
    [source] = ws.sources
    assert source.header_row == 4 and source.records == 3 and source.unmapped == []
    assert source.columns["outcome"] == "F" and source.headers["outcome"] == "巡访情况（身体状况）"
    assert source.columns["blood_pressure"] == "G" and source.columns["issue"] == "H"
    assert [r.values["outcome"] for r in ws.ledger("visits")] == ["正常", "正常", "敲门无应答"]
    assert [f.code for f in found if f.code.startswith("F")] == []
    [d112] = [f for f in found if f.column == "F"]
    assert d112.code == "D112" and d112.header == "巡访情况（身体状况）" and "良好 → 正常" in d112.message.zh


def test_a_commonplace_child_does_not_count_as_unmatched(tmp_path):
    values = [["正常", "有"], ["正常", None], ["敲门无应答", None]]
    rows, merged = _visit_log("巡访情况", ["身体状况", "照片"], values)
    ws, found = read(save(tmp_path / "ws", "巡访记录.xlsx", {"巡访": rows}, {"巡访": merged}))
    [source] = ws.sources
    assert source.columns["outcome"] == "F" and source.unmapped == ["照片"]
    assert [f.code for f in found] == []


@pytest.mark.parametrize("parent, children, values, after, outcome, unmapped", [
    # two children name no field: which one is the outcome? as before, F004
    ("巡访情况", ["身体状况", "精神状态", "血压"], [["正常", "好", "135/85"]] * 3, [], None,
     ["身体状况", "精神状态"]),
    # the outcome has its own column (结果): the child stays the clerk's own column
    ("巡访情况", ["身体状况", "血压", "发现问题"], [["良好", "135/85", None]] * 3, [("结果", "正常")],
     "I", ["身体状况"]),
])
def test_no_parent_field_for_several_unmatched_children_or_a_field_already_read(
        tmp_path, parent, children, values, after, outcome, unmapped):
    rows, merged = _visit_log(parent, children, values, after)
    ws, found = read(save(tmp_path / "ws", "巡访记录.xlsx", {"巡访": rows}, {"巡访": merged}))
    [source] = ws.sources
    assert source.columns.get("outcome") == outcome and source.unmapped == unmapped
    assert [f.code for f in found if f.code == "F004"] == ([] if outcome else ["F004"])
    if outcome:
        assert [r.values["outcome"] for r in ws.ledger("visits")] == ["正常"] * 3


def test_no_parent_field_for_a_person(tmp_path):
    """紧急联系人 over 关系 | 电话: 关系 (儿子) is no contact's name."""
    rows, merged = _two_level("紧急联系人", ["关系", "电话"], [["儿子", "13912345678"]] * 2, top=2)
    ws, found = read(save(tmp_path / "ws", "老年人台账.xlsx", {"花名册": rows}, {"花名册": merged}))
    [source] = ws.sources
    assert "emergency_contact" not in source.columns and source.unmapped == ["关系"]
    assert source.columns["emergency_phone"] == "I"


# --------------------------------------------------------------------------- canonical first
def test_the_canonical_header_beats_an_alias_left_of_it(tmp_path):
    """A visit log numbering its own rows (编号) left of 老人编号: 编号 is visits.elderly_id's
    alias, but 老人编号 is the field's own header and is the column read."""
    rows = [["编号", "巡访日期", "老人编号", "老人姓名", "巡访人", "服务类型", "巡访情况"]]
    rows += [[f"XF-{i}", date(2026, 11, 18 + i), f"LR-00{i}", "张秀英", "李红", "巡访", "正常"]
             for i in (1, 2)]
    ws, found = read(save(tmp_path / "ws", "巡访记录.xlsx", {"巡访记录": rows}))
    [source] = ws.sources
    assert source.columns["elderly_id"] == "C"
    assert [r.values["elderly_id"] for r in ws.ledger("visits")] == ["LR-001", "LR-002"]
    [f005] = found
    assert (f005.code, f005.column) == ("F005", "A") and "只读取了C列" in f005.message.zh


# --------------------------------------------------------------------------- footers
@pytest.mark.parametrize("footer", [
    [["本月合计", None, None, None, "2人"]],
    [["松和苑小计", None, None, None, "2人"]],
    [["注："], ["1. 独居指一人居住；"], ["2. 每月5日前更新。"]],
    [["注意：请勿修改表头"]],
    [["填报说明：本表由网格员填写"]],
    [["单位负责人：李明", None, None, "填表人：王芳"]],
    [["统计：共2人，其中独居0人"]],
])
def test_footer_rows_under_the_data_are_no_records(tmp_path, footer):
    rows = [ELDERLY] + PEOPLE + [[]] + footer
    ws, found = read(save(tmp_path / "ws", "老年人台账.xlsx", {"花名册": rows}))
    assert [r.row for r in ws.ledger("elderly")] == [2, 3]
    assert found == []


def test_a_full_row_after_a_note_stays_a_record(tmp_path):
    late = ["LR-003", "王建国", date(1945, 7, 1), "咏泽苑", "1号101室", "57651236", "否"]
    rows = [ELDERLY] + PEOPLE + [["注：独居指一人居住"], ["1. 每月更新"], late]
    ws, _ = read(save(tmp_path / "ws", "老年人台账.xlsx", {"花名册": rows}))
    assert [r.row for r in ws.ledger("elderly")] == [2, 3, 6]


# --------------------------------------------------------------------------- merged across
def test_a_header_merged_across_two_columns_is_one_field(tmp_path):
    rows = [["编号", "姓名", "出生日期", "小区", "家庭住址", None, "是否独居", "紧急联系人", "紧急联系电话"],
            ["LR-001", "张秀英", date(1950, 5, 12), "松和苑", "12号", "301室", "否", "张伟", "13912345678"],
            ["LR-002", "李桂兰", date(1950, 3, 1), "松和苑", "12号", None, "否", "李强", "13912345679"]]
    ws, found = read(save(tmp_path / "ws", "老年人台账.xlsx", {"花名册": rows}, {"花名册": ["E1:F1"]}))
    assert [r.values["address"] for r in ws.ledger("elderly")] == ["12号301室", "12号"]
    assert found == []
