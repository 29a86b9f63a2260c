"""Reading without false alarms (#13), on small grids built in the test (as python-calamine
returns them: '' for empty, floats for numbers): sheet kinds by anchors, commonplace columns,
merged cells in the data area, synonyms and bool words, CSV dates, file order."""
from __future__ import annotations

from datetime import date

import pytest

from toolkit import schema
from toolkit.read import read_workspace
from toolkit.read.headers import classify, is_common_extra, normalise_header
from toolkit.read.normalise import bool_words, is_native_csv_date
from toolkit.read.records import build_records
from toolkit.read.sheets import Formulas, Grid
from toolkit.settings import Settings

AS_OF = date(2026, 11, 23)


def grid(rows, merged=(), name="S"):
    width = max(len(r) for r in rows)
    return Grid(name, [list(r) + [""] * (width - len(r)) for r in rows], list(merged))


def records(g, fmt=""):
    return build_records(g, classify(g), file="f.xlsx", as_of=AS_OF, fmt=fmt)


# --------------------------------------------------------------------------- sheet kinds
@pytest.mark.parametrize("headers, kind", [
    (["编号", "登记日期", "小区", "诉求内容"], "requests"),
    (["编号", "小区", "类别", "状态", "满意度"], None),           # no 诉求内容: a tally, no anchor
    (["编号", "姓名", "小区", "地址"], None),                      # elderly needs 独居 or a birth
    (["编号", "姓名", "小区", "独居"], "elderly"),
    (["编号", "姓名", "地址", "身份证号"], "elderly"),
    (["编号", "姓名", "联系电话", "服务技能"], "volunteers"),
    (["编号", "姓名", "联系电话", "所属队伍"], None),              # a contact list
    (["日期", "姓名", "走访人"], "visits"),
    (["老人姓名", "服务内容", "巡访情况"], "visits"),
    (["日期", "走访人", "备注"], None),                            # 备注 never counts
])
def test_kind_needs_its_anchor_columns(headers, kind):
    g = grid([headers, ["x"] * len(headers)])
    assert classify(g).kind == kind


def test_anchors_are_data_in_the_schema():
    for kind, anchors in schema.ANCHORS.items():
        keys = set(schema.LEDGERS[kind].keys)
        assert anchors and all(set(group) <= keys for anchor in anchors for group in anchor)
    assert set(schema.ANCHORS) == set(schema.LEDGERS)


@pytest.mark.parametrize("header, quiet", [
    ("序号", True), ("备注", True), ("说明", True), ("网格", True), ("楼组", True), ("楼组长", True),
    ("附件", True), ("照片", True), ("所在楼组", True), ("网格员", True), ("备注1", True),
    ("经办人", False), ("身高", False),
])
def test_commonplace_columns(header, quiet):
    assert is_common_extra(normalise_header(header)) is quiet


def test_commonplace_columns_are_unmapped_but_quiet_and_beizhu_is_an_alias_on_visits():
    g = grid([["巡访日期", "老人姓名", "走访人", "巡访情况", "备注", "所在楼组", "服务人"],
              ["2026-11-02", "张", "李", "正常", "血压偏高", "3组", "王"]])
    layout = classify(g)
    assert layout.mapping[4] == "issue"                           # 备注 is visits.issue
    assert layout.unmapped == [5, 6] and layout.extra == [5]      # 服务人 (~ 服务人员) alone: F006


# --------------------------------------------------------------------------- merged cells
def test_merged_down_fills_every_row_and_across_keeps_the_first_column():
    rows = [["编号", "登记日期", "小区", "地址", "楼号", "诉求内容"],
            ["SQ-1", date(2026, 11, 2), "松和苑", "1号", "", "路灯"],
            ["SQ-2", "", "", "2号", "", "噪音"],
            ["SQ-3", date(2026, 11, 3), "", "3号", "", "漏水"],
            ["", "", "", "", "", ""],                                 # blank inside the merge
            ["SQ-4", date(2026, 11, 4), "咏泽苑", "4号", "", "停车"]]
    merged = [(1, 1, 2, 1), (1, 2, 4, 2), (1, 3, 1, 4)]             # down, down, across
    out = records(grid(rows, merged))
    values = [(r.id, r.values["received"], r.values["estate"], r.values["address"])
              for r in out.records]
    assert values == [("SQ-1", date(2026, 11, 2), "松和苑", "1号"),
                      ("SQ-2", date(2026, 11, 2), "松和苑", "2号"),
                      ("SQ-3", date(2026, 11, 3), "松和苑", "3号"),
                      ("SQ-4", date(2026, 11, 4), "咏泽苑", "4号")]   # the blank row stays blank
    assert out.records[1].cells["estate"].raw == "松和苑"


def test_merges_in_the_header_or_title_do_not_fill_data():
    rows = [["台账"], ["编号", "登记日期", "小区", "诉求内容"], ["SQ-1", "2026-11-02", "", "路灯"]]
    out = records(grid(rows, [(0, 0, 0, 3), (1, 2, 1, 2)]))
    assert out.records[0].values["estate"] is None


# --------------------------------------------------------------------------- words
def test_bool_words_of_a_column():
    true, false = bool_words(("是否独居", "独居"))
    assert true == {"独居"} and {"不独居", "非独居", "无需独居"} <= false
    true, false = bool_words(("是否需要跟进", "需跟进"))
    assert {"需要跟进", "跟进", "需跟进", "需要"} <= true
    assert {"无需跟进", "不需要跟进", "不跟进", "不需要", "无需"} <= false


@pytest.mark.parametrize("written, expected, problem", [
    ("独居", True, None), ("不独居", False, None), ("非独居", False, None), ("是", True, None),
    ("√", True, None), ("独居老人", True, None), ("是独居", None, "D109"),   # 独居老人: BOOL_FIELD_WORDS
])
def test_a_bool_column_takes_its_own_word_whole_cell(written, expected, problem):
    g = grid([["编号", "姓名", "小区", "是否独居"], ["LR-1", "张", "松和苑", written]])
    out = records(g)
    assert out.records[0].values["lives_alone"] is expected
    assert [f.code for f in out.findings if f.code != "D112"] == ([problem] if problem else [])


def test_synonyms_are_whole_cell_and_one_d112_per_column():
    g = grid([["编号", "登记日期", "小区", "诉求内容", "状态"],
              ["SQ-1", "2026-11-02", "松和苑", "a", "完成"],
              ["SQ-2", "2026-11-02", "松和苑", "b", "未完成"],
              ["SQ-3", "2026-11-02", "松和苑", "c", "在办"],
              ["SQ-4", "2026-11-02", "松和苑", "d", " 处理中 "],
              ["SQ-5", "2026-11-02", "松和苑", "e", "已办结"]])
    out = records(g)
    assert [r.values["status"] for r in out.records] == ["已办结", "未完成", "办理中", "办理中", "已办结"]
    [d112] = [f for f in out.findings if f.code == "D112"]
    assert d112.header == "状态" and "3个值" in d112.message.zh


def test_synonyms_in_a_multi_column_map_each_item():
    g = grid([["巡访日期", "老人姓名", "走访人", "服务内容", "情况"],
              ["2026-11-02", "张", "李", "上门、量血压", "无人应答"],
              ["2026-11-03", "张", "李", "电话", "家中无人"]])
    out = records(g)
    assert [r.values["service"] for r in out.records] == [("巡访", "量血压"), ("电话问候",)]
    assert [r.values["outcome"] for r in out.records] == ["敲门无应答", "敲门无应答"]


def test_every_synonym_maps_to_a_listed_value():
    for (kind, key), table in schema.SYNONYMS.items():
        if kind not in schema.LEDGERS:
            continue                  # services etc. come with their ledgers
        listed = set(schema.LEDGERS[kind].column(key).choices)
        if (kind, key) == ("volunteers", "estates"):
            listed = {schema.ALL_ESTATES}     # the 小区 come from the settings; 全部 is the one word
        assert set(table.values()) <= listed, (kind, key)


# --------------------------------------------------------------------------- CSV dates
@pytest.mark.parametrize("text, native", [
    ("2026/5/26", True), ("2026/11/3 9:30", True), ("2026.5.26", False), ("2026年5月26日", False),
    ("2026-05-26", False),
])
def test_native_csv_date(text, native):
    assert is_native_csv_date(text) is native


def test_csv_dates_in_excels_form_give_no_d112_but_typed_text_in_a_workbook_does():
    rows = [["巡访日期", "老人姓名", "走访人", "巡访情况"],
            ["2026/5/26", "张", "李", "正常"], ["2026/5/27", "张", "李", "正常"]]
    assert not [f for f in records(grid(rows), fmt="csv").findings if f.code == "D112"]
    assert [f.header for f in records(grid(rows), fmt="xlsx").findings if f.code == "D112"] == ["巡访日期"]
    rows[2][0] = "2026.5.27"                                     # a clerk's own spelling in a CSV
    assert [f.row for f in records(grid(rows), fmt="csv").findings if f.code == "D112"] == [3]


# --------------------------------------------------------------------------- summary sheets
def _summary_grid(name, cross_share):
    rows = [["编号", "登记日期", "小区", "诉求内容"]] + [
        [f"SQ-{i}", "2026-11-02", "松和苑", f"内容{i}"] for i in range(10)]
    g = grid(rows, name=name)
    cells = {(r, c) for r in range(1, 11) for c in range(4)}
    cross = {(r, c) for r, c in sorted(cells)[:int(len(cells) * cross_share)]}
    g.formula_source = lambda: Formulas(frozenset(cells), frozenset(cross))
    return g


@pytest.mark.parametrize("name, cross_share, summary", [
    ("全年", 1.0, True),          # stacked copies of the month sheets, whatever the name
    ("全年", 0.3, False),         # a ledger with some VLOOKUP columns
    ("汇总", 0.0, True),          # named like a summary and made of formulas
    ("Sheet1", 0.0, False),
])
def test_summary_sheet_is_decided_by_content(name, cross_share, summary):
    from toolkit.read.headers import is_summary

    g = _summary_grid(name, cross_share)
    assert is_summary(g, classify(g)) is summary


def test_a_ledger_without_formulas_is_never_a_summary_even_if_named_so():
    from toolkit.read.headers import is_summary

    g = grid([["编号", "登记日期", "小区", "诉求内容"], ["SQ-1", "2026-11-02", "松和苑", "a"]],
             name="统计")
    assert not is_summary(g, classify(g))


# --------------------------------------------------------------------------- file order
def test_files_are_read_in_natural_order_and_d107_names_the_earlier_month(tmp_path):
    from toolkit.check import run_rules
    from toolkit.domain.context import Context

    header = "编号,登记日期,来源,小区,诉求内容\n"
    (tmp_path / "9月.csv").write_text(header + "SQ-1,2026-09-02,来电,松和苑,路灯\n", encoding="utf-8")
    (tmp_path / "10月.csv").write_text(header + "SQ-1,2026-10-02,来电,松和苑,噪音\n", encoding="utf-8")
    ws = read_workspace([tmp_path], as_of=AS_OF, settings=Settings())
    assert ws.files == ["9月.csv", "10月.csv"]
    found = [f for f in run_rules(Context(ws, Settings(), AS_OF), only={"D107"}) if f.code == "D107"]
    assert [(f.file, f.row) for f in found] == [("10月.csv", 2)] and "9月.csv" in found[0].message.zh


def test_a_sheet_per_estate_without_the_column_takes_the_estate_from_its_name(tmp_path):
    """One sheet (or CSV) per 小区 with no 小区 column: the sheet's name gives it, when settings
    list that 小区 — no F004, no D101; an unlisted name still lacks the column (F004)."""
    header = "编号,登记日期,来源,诉求内容\n"
    (tmp_path / "松和苑诉求.csv").write_text(header + "SQ-1,2026-11-02,来电,路灯\n", encoding="utf-8")
    (tmp_path / "其他.csv").write_text(header + "SQ-2,2026-11-02,来电,噪音\n", encoding="utf-8")
    settings = Settings(estates=("松和苑", "咏泽苑"))
    ws = read_workspace([tmp_path], as_of=AS_OF, settings=settings)
    by_id = {r.id: r for r in ws.ledger("requests")}
    assert by_id["SQ-1"].values["estate"] == "松和苑" and by_id["SQ-2"].values.get("estate") is None
    assert [(f.code, f.file) for f in ws.findings
            if f.code == "F004" and f.params.get("stages") is None] == [("F004", "其他.csv")]


def test_a_summary_sheet_pasted_from_the_months_is_read_once(tmp_path):
    """汇总 holding the months' rows as values (copy-paste, no formulas): no records from it,
    no D107 on every row; a 汇总 sheet of its own rows (not copies) is a ledger sheet."""
    import openpyxl

    from toolkit.pipeline import check

    header = ["编号", "登记日期", "来源", "小区", "诉求内容"]
    months = {"9月": [["SQ-1", "2026-09-02", "来电", "松和苑", "路灯"]],
              "10月": [["SQ-2", "2026-10-02", "来电", "松和苑", "噪音"],
                       ["SQ-3", "2026-10-03", "来电", "松和苑", "漏水"]]}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for month, rows in months.items():
        ws = wb.create_sheet(month)
        for row in [header] + rows:
            ws.append(row)
    total = wb.create_sheet("汇总")
    for row in [header] + months["9月"] + months["10月"]:
        total.append(row)
    wb.save(tmp_path / "诉求.xlsx")
    result = check([tmp_path], as_of=AS_OF)
    assert [s.sheet for s in result.workspace.sources] == ["9月", "10月"]
    assert not [f for f in result.findings if f.code == "D107" or f.sheet == "汇总"]
    total.delete_rows(2, 3)
    total.append(["SQ-9", "2026-11-02", "来电", "松和苑", "绿化"])
    wb.save(tmp_path / "诉求.xlsx")
    assert [s.sheet for s in check([tmp_path], as_of=AS_OF).workspace.sources] == ["9月", "10月", "汇总"]


@pytest.mark.parametrize("header, kind, f006", [
    ("经办人", "requests", True),       # ~ 承办人
    ("备用电话", "elderly", True),      # ⊃ 电话
    ("老人编码", "visits", True),       # ~ 老人编号
    ("民族", "elderly", False), ("身高", "elderly", False), ("政治面貌", "elderly", False),
    ("婚姻状况", "elderly", False), ("籍贯", "elderly", False), ("月份", "requests", False),
])
def test_f006_only_for_a_header_that_looks_like_a_field(header, kind, f006):
    """ledgers.md: F006 is for a header that looks like a ledger field but matches none."""
    heads = {"requests": ["编号", "登记日期", "小区", "诉求内容"],
             "elderly": ["编号", "姓名", "小区", "独居"],
             "visits": ["巡访日期", "老人姓名", "走访人", "巡访情况"]}[kind]
    layout = classify(grid([heads + [header], ["x"] * 5]))
    assert layout.kind == kind and layout.unmapped == [4]
    assert (4 not in layout.extra) is f006


@pytest.mark.parametrize("footer", ["填表人：张三    审核人：李四", "制表日期：2026年11月20日",
                                    "（以下空白）", "共计 3 条"])
def test_a_forms_footer_is_no_record(footer):
    rows = [["编号", "登记日期", "小区", "诉求内容"], ["SQ-1", "2026-11-02", "松和苑", "路灯"],
            ["", footer, "", ""]]
    out = records(grid(rows))
    assert [r.id for r in out.records] == ["SQ-1"] and not out.findings


@pytest.mark.parametrize("cells", [
    ["记录人：陆佳怡", "", "", ""], ["", "", "", "记录人：陆佳怡"], ["记录人:陆佳怡", "", "", ""],
    ["记录人：陆佳怡", "", "审核：居委主任", ""], ["", "主持人： 王芳", "", ""],
    ["经办人：李四", "", "", ""], ["", "", "记录：陆佳怡", ""]])
def test_a_signature_line_is_no_record(cells):
    """A role label, a colon and a short value (记录人：陆佳怡), in any column, is a form's
    footer: no record, no D101/D102 (docs/read.md)."""
    rows = [["登记日期", "编号", "小区", "诉求内容"], ["2026-11-02", "SQ-1", "松和苑", "路灯"], cells]
    out = records(grid(rows))
    assert [r.id for r in out.records] == ["SQ-1"] and not out.findings


@pytest.mark.parametrize("cells", [
    ["2026-11-03", "SQ-2", "松和苑", "记录人：陆佳怡"],            # a real row, other fields filled
    ["", "", "", "记录人反映楼道灯不亮"],                            # no colon: text, not a label
    ["", "", "", "审核：居委主任同意后由物业牵头整改楼道照明并在月底前完成"]])  # a long value
def test_a_row_more_than_a_signature_stays_a_record(cells):
    rows = [["登记日期", "编号", "小区", "诉求内容"], ["2026-11-02", "SQ-1", "松和苑", "路灯"], cells]
    assert len(records(grid(rows)).records) == 2


def test_one_d112_per_column_of_a_ledger_over_monthly_files(tmp_path):
    """9月.csv and 10月.csv are one ledger: the spelling summary of 状态 is given once, on the
    first file in natural order, counting both (rules.md D112: one summary per column)."""
    header = "编号,登记日期,来源,小区,诉求内容,状态\n"
    (tmp_path / "9月.csv").write_text(header + "SQ-1,2026-09-02,来电,松和苑,路灯,办结\n",
                                      encoding="utf-8")
    (tmp_path / "10月.csv").write_text(header + "SQ-2,2026-10-02,来电,松和苑,噪音,在办\n"
                                       "SQ-3,2026-10-03,来电,松和苑,漏水,完成\n", encoding="utf-8")
    ws = read_workspace([tmp_path], as_of=AS_OF, settings=Settings())
    [d112] = [f for f in ws.findings if f.code == "D112"]
    assert (d112.file, d112.header) == ("9月.csv", "状态")
    assert "3个值已统一格式（2张工作表合计）" in d112.message.zh


# --------------------------------------------------------------------------- month-only dates
@pytest.mark.parametrize("written", ["2026.11", "2026年11月", 2026.11, "2026-11"])
def test_a_month_without_a_day_is_no_date_where_the_day_matters(written):
    """ledgers.md gives month forms for birth months only: 2026.11 in 登记日期 is D102 (the
    deadlines of R201–R204 cannot be counted from it), never silently the 1st of the month."""
    built = records(grid([["编号", "登记日期", "小区", "诉求内容"],
                          ["SQ-1", written, "松和苑", "楼道灯不亮"],
                          ["SQ-2", "2026.11.3", "松和苑", "路灯坏了"]]))
    first, second = built.records
    assert first.values.get("received") is None and second.values["received"] == date(2026, 11, 3)
    [d102] = [f for f in built.findings if f.code == "D102"]
    assert d102.row == 2 and d102.column == "B" and "只有年月" in d102.message.zh


@pytest.mark.parametrize("written", ["1940.05", "1940年5月", 1940.05])
def test_a_birth_month_stays_a_birth_month(written):
    built = records(grid([["编号", "姓名", "小区", "地址", "出生年月", "独居"],
                          ["LR-1", "张秀英", "松和苑", "1号101", written, "是"]]))
    [record] = built.records
    assert record.values["birth"] == date(1940, 5, 1)
    assert not [f for f in built.findings if f.code == "D102"]


# --------------------------------------------------------------------------- formulas (F007)
def _formula_book(path, sheets):
    """A workbook saved by openpyxl: its formulas have no cached value (F007)."""
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)


REQUEST_HEAD = ["编号", "登记日期", "来源", "小区", "诉求内容"]


def test_an_uncached_formula_cell_gets_one_finding_f007_and_no_d101(tmp_path):
    """A formula cell without a cached value is unknown, not empty: its key is in the record's
    ``invalid`` (as F011), so no D101 “必填项为空” on it and no D110 on a council item naming
    an id the request ledger may hold in such a cell."""
    from toolkit.pipeline import check

    _formula_book(tmp_path / "诉求.xlsx", {"诉求": [
        REQUEST_HEAD,
        ["SQ-1", "2026-11-02", "来电", "松和苑", "路灯不亮"],
        ['="SQ-2"', "2026-11-03", "来电", '="松和苑"', "楼道堆物"],
        ['="SQ-3"', "2026-11-04", "来电", "松和苑", "噪音扰民"]]})
    _formula_book(tmp_path / "议事会.xlsx", {"议事会": [
        ["会议日期", "议题", "诉求编号"],
        ["2026-11-05", "楼道堆物清理", "SQ-2"]]})
    result = check([tmp_path], as_of=AS_OF)
    found = [(f.code, f.sheet, f.row, f.column) for f in result.findings
             if f.code in ("F007", "D101", "D110", "M702")]
    assert sorted(found) == [("F007", "诉求", 3, "A"), ("F007", "诉求", 3, "D")]
    second = result.workspace.ledger("requests")[1]
    assert second.invalid == {"id", "estate"}


def test_an_uncached_total_in_a_footer_row_is_no_f007(tmp_path):
    """A 合计 row is no record: its uncalculated =SUM is never read as data, so no F007; an
    uncached cell in an unmapped column is not read either."""
    from toolkit.pipeline import check

    _formula_book(tmp_path / "服务.xlsx", {"国贸物业": [
        ["日期", "老人姓名", "服务项目", "服务单位", "收费金额", "备注"],
        ["2026-11-02", "张阿婆", "助浴", "国贸物业", 20, "=1+1"],
        ["2026-11-03", "李老伯", "助浴", "国贸物业", 20, ""],
        ["合计", "", "", "", "=SUM(E2:E3)", ""]]})
    result = check([tmp_path], as_of=AS_OF)
    assert [s.kind for s in result.workspace.sources] == ["services"]
    assert not [f for f in result.findings if f.code == "F007"]


# --------------------------------------------------------------------------- error values (F011)
def test_f011_once_per_column_when_the_whole_column_shows_error_values():
    """rules.md F011: one finding per column when a whole column is affected — every filled
    cell of the column on the sheet's record rows shows an error value, at least two; the
    keys stay invalid on every record. A column with one error among values: one per cell."""
    from toolkit.read.sheets import CellError

    rows = [["编号", "姓名", "小区", "独居", "年龄"],
            ["LR-001", "王阿婆", "一号小区", "是", CellError("#N/A")],
            ["LR-002", "李老伯", CellError("#REF!"), "否", CellError("#N/A")],
            ["LR-003", "张阿婆", "一号小区", "是", ""],
            ["LR-004", "赵老伯", "一号小区", "是", CellError("#REF!")]]
    built = records(grid(rows))
    f011 = [(f.row, f.column, f.record, f.value) for f in built.findings if f.code == "F011"]
    assert f011 == [(2, "E", None, "#N/A"), (3, "C", "LR-002", "#REF!")]
    [whole] = [f for f in built.findings if f.column == "E"]
    assert "3" in whole.message.zh and "#N/A" in whole.message.zh and "年龄" in whole.message.zh
    assert [("age" in r.invalid) for r in built.records] == [True, True, False, True]
    alone = records(grid(rows[:3] + [["LR-003", "张阿婆", "一号小区", "是", 80]]))
    assert [(f.row, f.column) for f in alone.findings if f.code == "F011"] == [
        (2, "E"), (3, "C"), (3, "E")]


# --------------------------------------------------------------------------- year-less dates
def test_a_year_less_date_takes_the_year_of_the_dates_around_it():
    """ledgers.md: 11月3日 with the year taken from context — the nearest full date of the same
    column above it (else below), the year putting it closest to that date; a year-old service
    log written 11月24日 is not read as a date after the as-of date (37 false D103)."""
    rows = [["日期", "老人姓名", "服务项目", "服务单位", "收费金额"],
            ["11月24日", "张阿婆", "助浴", "国贸物业", 20],          # nothing above: the one below
            ["2025-11-25", "李老伯", "助浴", "国贸物业", 20],
            ["11月30日", "王阿婆", "助浴", "国贸物业", 20],
            ["12月2日", "王阿婆", "助浴", "国贸物业", 20],
            ["2025-12-28", "李老伯", "助浴", "国贸物业", 20],
            ["1月3日", "王阿婆", "助浴", "国贸物业", 20]]            # after Dec 28: next year
    built = records(grid(rows))
    assert [r.values["date"] for r in built.records] == [
        date(2025, 11, 24), date(2025, 11, 25), date(2025, 11, 30), date(2025, 12, 2),
        date(2025, 12, 28), date(2026, 1, 3)]
    [d112] = [f for f in built.findings if f.code == "D112"]
    assert "2025-11-24" in d112.message.zh


def test_a_year_less_date_without_full_dates_around_is_not_put_after_as_of_where_it_cannot_be():
    """No full date in the column: in a column whose dates cannot lie after the as-of date
    (巡访日期, 登记日期 …) the latest such day not after it; elsewhere (办理时限, a booking) this
    year unless more than 31 days ahead, as before."""
    visits = records(grid([["巡访日期", "老人姓名", "走访人", "巡访情况"],
                           ["11月30日", "张阿婆", "小王", "正常"],
                           ["11月20日", "李老伯", "小王", "正常"]]))
    assert [r.values["date"] for r in visits.records] == [date(2025, 11, 30), date(2026, 11, 20)]
    requests = records(grid([["编号", "登记日期", "小区", "诉求内容", "办理时限"],
                             ["SQ-1", "", "松和苑", "路灯", "11月30日"]]))
    assert requests.records[0].values["due"] == date(2026, 11, 30)


def test_a_mistyped_future_date_does_not_put_the_year_less_dates_below_it_into_next_year():
    """A 登记日期 typed a month late (2026年12月1日, its own D103) used to anchor the 5月31日
    under it to 2027-05-31: a second, false D103 and a false R206 on a clean request."""
    rows = [["编号", "登记日期", "小区", "诉求内容", "分类日期"],
            ["SQ-1", "2026年12月1日", "松和苑", "路灯", ""],
            ["SQ-2", "5月31日", "松和苑", "噪音", "6月1日"]]
    built = records(grid(rows))
    assert [r.values["received"] for r in built.records] == [date(2026, 12, 1), date(2026, 5, 31)]
    assert built.records[1].values["classified"] == date(2026, 6, 1)


def test_a_request_ledger_headed_like_a_work_order_keeps_its_dates():
    """受理时间/交办时间/办结时间/回访时间 (12345 work-order words) used to leave the ledger
    without 登记日期 (F004) and every step date unread: R205 on every row, no SLA at all."""
    rows = [["工单号", "受理时间", "所属小区", "问题描述", "诉求类型", "分类时间", "承办部门",
             "交办时间", "办结时限", "办结时间", "回访时间", "群众满意度"],
            ["SQ-1", "2026-11-02", "松和苑", "路灯", "环境卫生", "2026-11-02", "物业",
             "2026-11-03", "2026-11-20", "2026-11-10", "2026-11-12", "满意"]]
    built = records(grid(rows))
    assert [f.code for f in built.findings if f.code in ("F004", "F006")] == []
    values = built.records[0].values
    assert (values["received"], values["classified"], values["assigned"], values["due"],
            values["resolved"], values["replied"]) == (
        date(2026, 11, 2), date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 20),
        date(2026, 11, 10), date(2026, 11, 12))
    assert (values["category"], values["assignee"], values["satisfaction"]) == ("环境卫生", "物业", "满意")


# --------------------------------------------------------------------------- merged down
def _merged_dates(written):
    """登记日期 ``written`` merged down over three requests (B2:B4)."""
    rows = [["编号", "登记日期", "小区", "诉求内容"], ["SQ-1", written, "松和苑", "路灯"],
            ["SQ-2", "", "松和苑", "噪音"], ["SQ-3", "", "松和苑", "漏水"]]
    return records(grid(rows, merged=[(1, 1, 3, 1)]))


def test_a_bad_date_merged_down_is_one_d102_on_its_first_row():
    """docs/read.md: the merged value fills every row it spans (the rules need it), but what
    the cell says is reported once, on the merged cell's own row."""
    out = _merged_dates("2026.9.31")
    assert [(f.code, f.row) for f in out.findings] == [("D102", 2)]
    assert all(r.values["received"] is None and "received" in r.invalid for r in out.records)


def test_a_date_merged_down_is_counted_once_in_d112():
    out = _merged_dates("2026.9.3")
    assert [r.values["received"] for r in out.records] == [date(2026, 9, 3)] * 3
    [d112] = [f for f in out.findings if f.code == "D112"]
    assert "1个值" in d112.message.zh, d112.message.zh


def test_a_future_date_merged_down_is_one_d103():
    from helpers import make_context
    from toolkit.check import RULES, _load_rules
    _load_rules()
    out = _merged_dates("2026-12-01")
    ctx = make_context(*out.records, as_of=AS_OF)
    found = [f for fn in RULES["D103"] for f in fn(ctx) if f.code == "D103"]
    assert [f.row for f in found] == [2]


# --------------------------------------------------------------------------- day/month columns
def _dated(cells):
    return grid([["编号", "登记日期", "小区", "诉求内容"]]
                + [[f"SQ-{i}", d, "松和苑", "c"] for i, d in enumerate(cells)])


def test_a_column_with_a_first_number_over_12_is_read_day_month_whole():
    out = records(_dated(["25/5", "3/11", "4/6", "11月3日", "2026-10-02"]))
    assert [r.values["received"] for r in out.records] == [
        date(2026, 5, 25), date(2026, 11, 3), date(2026, 6, 4), date(2026, 11, 3), date(2026, 10, 2)]
    assert not [f for f in out.findings if f.code == "D102"]
    [d112] = [f for f in out.findings if f.code == "D112"]
    assert "25/5 → 2026-05-25" in d112.message.zh and "整列按“日/月”读" in d112.message.zh
    assert "day/month" in d112.message.en


def test_one_slip_over_12_does_not_turn_a_month_day_column():
    """A lone 13/11 among 11/1 … 11/12 written month/day turned the whole column day/month:
    11/3 read as 11 March, dozens of false C301/C305/C307/C308. It stays month/day and the
    slip is the one D102."""
    cells = [f"11/{d}" for d in range(1, 13)] + ["13/11"]
    out = records(_dated(cells))
    assert [r.values["received"] for r in out.records][:3] == [
        date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)]
    assert [f.row for f in out.findings if f.code == "D102"] == [len(cells) + 1]


@pytest.mark.parametrize("cells", [
    ["3/11", "4/6", "11/3"],             # nothing over 12: month/day (the Chinese habit)
    ["25/5", "11/23", "3/11"],           # both ways: month/day kept, 25/5 stays a D102
])
def test_month_day_is_kept_unless_the_column_can_only_be_day_month(cells):
    out = records(_dated(cells))
    assert out.records[cells.index("3/11")].values["received"] == date(2026, 3, 11)
    assert "整列按" not in " ".join(f.message.zh for f in out.findings)
    assert len([f for f in out.findings if f.code == "D102"]) == cells.count("25/5")


def test_a_day_month_column_takes_its_years_from_context_day_month():
    out = records(_dated(["2025-12-28", "3/1", "25/12"]))
    assert [r.values["received"] for r in out.records] == [
        date(2025, 12, 28), date(2026, 1, 3), date(2025, 12, 25)]
