"""Header normalisation, header-row detection, ledger classification and row skipping,
on small grids built in the test (as python-calamine returns them: '' for empty, floats)."""
from __future__ import annotations

from datetime import date

import pytest

from toolkit.read.headers import classify, normalise_header
from toolkit.read.records import build_records
from toolkit.read.sheets import Grid

AS_OF = date(2026, 11, 23)


@pytest.mark.parametrize("written, expected", [
    ("姓 名", "姓名"), ("姓\u3000名", "姓名"), ("联系\n电话", "联系电话"), ("*编号", "编号"),
    ("诉求内容（必填）", "诉求内容"), ("服务时长(小时)", "服务时长"), ("服务时长（小时）", "服务时长"),
    ("血压(mmHg)", "血压"), ("办理时限（工作日）*", "办理时限"), ("ＮＯ", "NO"), ("编号：", "编号"),
    ("  ", ""), (None, ""), (2026.0, "2026"),
])
def test_normalise_header(written, expected):
    assert normalise_header(written) == expected


VISITS = ["序号", "巡访日期", "老人编号", "老人姓名", "志愿者", "服务类型", "巡访情况"]


def grid(rows, merged=(), name="S"):
    width = max(len(r) for r in rows)
    return Grid(name, [list(r) + [""] * (width - len(r)) for r in rows], list(merged))


def test_header_below_title_rows():
    g = grid([["花名册"], ["填报单位：莘泽"], [], [], [], VISITS,
              [1, "2026-11-02", "LR-1", "张", "ZY-1", "巡访", "正常"]],
             merged=[(0, 0, 0, 6)])
    layout = classify(g)
    assert layout.kind == "visits" and layout.header_row == 5
    assert layout.mapping == {1: "date", 2: "elderly_id", 3: "elderly_name", 4: "volunteer",
                              5: "service", 6: "outcome"}
    assert layout.serial == [0] and layout.unmapped == []


def test_header_beyond_the_tenth_row_is_not_found():
    g = grid([["x"]] * 10 + [VISITS, [1, "2026-11-02", "LR-1", "张", "ZY-1", "巡访", "正常"]])
    assert classify(g).kind is None


def test_two_level_header_under_merged_parent():
    parents = ["序号", "编号", "姓名", "小区", "地址", "联系方式", "", "独居", "出生日期"]
    children = ["", "", "", "", "", "本人电话", "紧急联系人电话", "", ""]
    merged = [(0, c, 1, c) for c in (0, 1, 2, 3, 4, 7, 8)] + [(0, 5, 0, 6)]
    # calamine gives merged cells empty except the top-left one
    g = grid([parents, children, [1, "LR-1", "张", "松和苑", "1号", "57651234", "13912345678", "是",
                                  "1940-01-01"]], merged)
    layout = classify(g)
    # the vertically merged parents fill row 1 too, so row 1 alone is the whole header
    assert layout.kind == "elderly" and layout.header_row == 1
    assert layout.mapping[5] == "phone" and layout.mapping[6] == "emergency_phone"
    assert layout.headers[5] == "本人电话" and layout.headers[1] == "编号"
    records = build_records(g, layout, file="f.xlsx", as_of=AS_OF).records
    assert [r.row for r in records] == [3]


def test_two_level_header_without_merge_information():
    parents = ["编号", "姓名", "小区", "地址", "联系方式", "", "独居", "出生日期"]
    children = ["", "", "", "", "本人电话", "紧急联系人电话", "", ""]
    g = grid([parents, children, ["LR-1", "张", "松和苑", "1号", "", "", "是", ""]])
    layout = classify(g)
    assert layout.header_rows == (0, 1)
    assert layout.mapping[5] == "emergency_phone" and 4 not in layout.unmapped


def test_single_header_is_preferred_over_a_pair_with_the_title():
    g = grid([["老年人台账"], ["编号", "姓名", "小区", "地址", "独居", "年龄"]], merged=[(0, 0, 0, 5)])
    layout = classify(g)
    assert layout.header_rows == (1,)


@pytest.mark.parametrize("headers, kind", [
    (["编号", "姓名", "电话", "服务小区", "服务技能"], "volunteers"),
    (["编号", "姓名", "电话", "小区", "地址", "独居", "出生日期"], "elderly"),
    (["编号", "姓名", "电话", "小区", "诉求内容", "登记日期", "来源"], "requests"),
    (["日期", "编号", "姓名", "巡访人", "服务类型", "情况"], "visits"),
    (["编号", "姓名", "状态", "服务类型", "服务时间", "服务小区"], "volunteers"),
])
def test_shared_aliases_are_resolved_by_the_distinctive_columns(headers, kind):
    assert classify(grid([headers])).kind == kind


def test_too_few_matches_is_no_ledger_but_names_the_closest():
    layout = classify(grid([["姓名", "电话", "单位", "职务"], ["张三", "138", "物业", "经理"]]))
    assert layout.kind is None and layout.closest is not None


def test_empty_sheet_is_none():
    assert classify(grid([["", ""], ["", "  "]])) is None
    assert classify(Grid("Sheet2", [])) is None


def test_duplicates_unknown_and_missing_columns():
    layout = classify(grid([["编号", "登记日期", "电话", "联系电话", "小区", "诉求内容", "经办人", ""]]))
    assert layout.kind == "requests"
    # the canonical 联系电话 is read, the alias 电话 left of it is the duplicate
    assert layout.mapping == {0: "id", 1: "received", 3: "phone", 4: "estate", 5: "content"}
    assert layout.duplicates == [(2, "phone", 3)]
    assert layout.unmapped == [6]                 # an empty header cell is not "unmapped"
    assert layout.missing == ["source"]


def test_one_of_group_missing():
    layout = classify(grid([["巡访日期", "志愿者", "服务类型", "巡访情况"]]))
    assert layout.kind == "visits" and layout.missing_groups == [("elderly_id", "elderly_name")]


# --- rows --------------------------------------------------------------------------------------

def test_rows_blank_serial_only_total_note_and_repeated_header_are_skipped():
    rows = [
        VISITS,
        [1.0, "2026-11-02", "LR-1", "张", "ZY-1", "巡访", "正常"],
        ["", "", "", "", "", "", ""],
        [2.0, "", "", "", "", "", ""],                        # a pre-numbered empty row
        VISITS,                                               # copy-pasted block
        [3.0, "2026-11-03", "LR-2", "李", "ZY-1", "巡访", "正常"],
        ["合 计", "", "", "", "", "2次", ""],
        ["", "注：本表每周更新", "", "", "", "", ""],
        ["", "", "无", "", "", "", ""],                       # data-like mark: kept as a record
    ]
    g = grid(rows)
    layout = classify(g)
    out = build_records(g, layout, file="v.xlsx", as_of=AS_OF)
    assert [r.row for r in out.records] == [2, 6, 9]
    assert out.repeated_headers == [5]
    assert out.records[2].values["elderly_id"] is None


def test_the_title_of_a_second_table_under_the_first_is_no_record():
    """已办结诉求 alone above the second table's header used to be a request with four D101s."""
    head = ["编号", "登记日期", "来源", "小区", "诉求内容"]
    rows = [head,
            ["SQ-1", "2026-11-02", "来电", "松和苑", "路灯不亮"],
            ["SQ-2", "", "", "", "楼道堆物"],                     # just registered: a record
            ["", "", "", "", ""],
            ["已办结诉求", "", "", "", ""],
            head,
            ["SQ-3", "2026-10-02", "来电", "松和苑", "噪音"]]
    g = grid(rows)
    out = build_records(g, classify(g), file="r.xlsx", as_of=AS_OF)
    assert [r.row for r in out.records] == [2, 3, 7]
    assert out.repeated_headers == [6]
    assert out.records[1].values["content"] == "楼道堆物"


MEETINGS = ["会议日期", "会议名称", "参会人员", "议题", "关联诉求", "议定事项", "牵头人"]


def test_a_meetings_last_topic_alone_above_the_next_header_is_a_record():
    """Minutes kept as one block per meeting, each under its own header: the last 议题 of a
    block, its date written once above, holds only the 议题 — no title (a title stands in
    the leftmost column); it was dropped and its M702 lost. A title line is still none."""
    rows = [MEETINGS,
            ["2026-09-09", "居民议事会", "网格长", "防诈骗宣传", "通报", "", ""],
            ["", "", "", "更换楼道灯", "", "", ""],
            ["", "", "", "", "", "", ""],
            MEETINGS,
            ["2026-10-14", "居民议事会", "网格长", "加装电梯", "不涉及", "征询意见", "居委主任"],
            ["2026年11月议事会", "", "", "", "", "", ""],
            MEETINGS,
            ["2026-11-11", "居民议事会", "网格长", "绿化修剪", "", "", ""]]
    g = grid(rows)
    out = build_records(g, classify(g), file="m.xlsx", as_of=AS_OF)
    assert [r.row for r in out.records] == [2, 3, 6, 9]
    assert out.records[1].values["topic"] == "更换楼道灯"
    assert out.repeated_headers == [5, 8]


def test_record_provenance_values_and_invalid():
    g = grid([VISITS + ["血压"],
              [1.0, "2026.11.2", "LR-1", "张", "ZY-1", "巡访", "正常", "135/85"],
              [2.0, "2026-02-30", "LR-2", "李", "ZY-2", "巡访", "正常", "高"]])
    layout = classify(g)
    out = build_records(g, layout, file="sub/v.xlsx", as_of=AS_OF)
    first, second = out.records
    assert (first.kind, first.file, first.sheet, first.row) == ("visits", "sub/v.xlsx", "S", 2)
    assert first.values["date"] == date(2026, 11, 2)
    assert first.cells["date"].column == "B" and first.cells["date"].raw == "2026.11.2"
    assert first.cells["blood_pressure"].header == "血压"
    assert second.invalid == {"date", "blood_pressure"} and second.values["date"] is None
    by_code = {f.code: f for f in out.findings}
    assert by_code["D102"].row == 3 and by_code["D102"].column == "B"
    assert by_code["D111"].column == "H"
    [d112] = [f for f in out.findings if f.code == "D112"]
    assert d112.column == "B" and "2026.11.2 → 2026-11-02" in d112.message.zh


def test_one_d112_per_column_with_the_count():
    rows = [VISITS] + [[i, f"2026.11.{i}", "LR-1", "张", "ZY-1", "巡访", "正常"] for i in range(1, 6)]
    g = grid(rows)
    out = build_records(g, classify(g), file="v.xlsx", as_of=AS_OF)
    [d112] = [f for f in out.findings if f.code == "D112"]
    assert "5个值" in d112.message.zh and d112.row == 2


def test_two_level_header_with_only_the_group_merged():
    parents = ["编号", "姓名", "小区", "地址", "联系方式", "", "独居", "出生日期"]
    children = ["", "", "", "", "本人电话", "紧急联系人电话", "", ""]
    g = grid([parents, children, ["LR-1", "张", "松和苑", "1号", "", "13912345678", "是", ""],
              parents, children],            # the two header rows pasted again below
             merged=[(0, 4, 0, 5), (3, 4, 3, 5)])
    layout = classify(g)
    assert layout.header_rows == (0, 1)
    assert layout.mapping == {0: "id", 1: "name", 2: "estate", 3: "address", 4: "phone",
                              5: "emergency_phone", 6: "lives_alone", 7: "birth"}
    out = build_records(g, layout, file="e.xlsx", as_of=AS_OF)
    assert [r.row for r in out.records] == [3]
    assert out.repeated_headers == [4, 5]


def test_repeated_values_are_counted_and_mixed_bool_number_cells_are_not_confused():
    rows = [VISITS + ["需跟进", "服务时长"]]
    raws = [(True, 1.0), (1.0, True), ("是", 1.0), (False, 0.0), (True, "1")]
    for i, (follow, hours) in enumerate(raws, 1):
        rows.append([i, "2026.11.1", "LR-1", "张", "ZY-1", "巡访", "正常", follow, hours])
    g = grid(rows)
    out = build_records(g, classify(g), file="v.xlsx", as_of=AS_OF)
    assert [r.values["follow_up"] for r in out.records] == [True, True, True, False, True]
    # a TRUE in the number column is not the number 1 (the normaliser rejects it)
    assert [r.values["hours"] for r in out.records] == [1.0, None, 1.0, 0.0, 1.0]
    assert out.records[1].invalid == {"hours"}
    assert [type(r.raw("hours")) for r in out.records] == [float, bool, float, float, str]
    d112 = {f.column: f for f in out.findings if f.code == "D112"}
    assert "5个值" in d112["B"].message.zh and d112["B"].row == 2
