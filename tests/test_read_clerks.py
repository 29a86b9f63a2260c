"""tests/fixtures/clerks/: a workspace kept the way real clerks keep files (#13).

Merged cells in the data area (.xlsx and .xls), one sheet per month with an id repeated across
months, enum synonyms and a bool column's own word, a stacked 全年 sheet and a 汇总 sheet of
formulas, autofilter-hidden rows, a GBK CSV with 2026/11/3 dates, commonplace extra columns,
an unrelated workbook. Every data-quality finding is listed: what must be found, and nothing
else (each row that is fine must stay quiet). How the files were made: tests/fixtures/README.md.
"""
from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from toolkit.pipeline import check

CLERKS = Path(__file__).resolve().parent / "fixtures" / "clerks"
AS_OF = date(2026, 11, 23)
REQUESTS, ELDERLY, VOLUNTEERS, VISITS = ("诉求台账2026.xlsx", "老年人花名册.xls", "志愿者名册.xlsx",
                                         "巡访记录.csv")


@pytest.fixture(scope="module")
def result():
    return check([CLERKS], as_of=AS_OF)


def _quality(result) -> set[tuple]:
    """Every D/F finding except the D112 summaries (tested on their own)."""
    return {(f.code, f.severity, f.file, f.sheet, f.row, f.header) for f in result.findings
            if f.code[0] in "DF" and f.code != "D112"}


def test_exact_record_counts_in_workbook_order(result):
    sources = [(s.file, s.sheet, s.kind, s.records) for s in result.workspace.sources]
    assert sources == [
        (VISITS, "巡访记录", "visits", 8),
        (VOLUNTEERS, "志愿者", "volunteers", 4),
        (ELDERLY, "花名册", "elderly", 8),
        (REQUESTS, "9月", "requests", 4),           # sheets as the workbook orders them,
        (REQUESTS, "10月", "requests", 4),          # never by name (10月 < 9月 by code point);
        (REQUESTS, "11月", "requests", 3),          # 全年 and 汇总 (formulas) are no ledger
    ]


def test_exactly_the_planted_problems_are_found(result):
    assert _quality(result) == {
        ("D107", "error", REQUESTS, "11月", 5, "诉求编号"),     # the later month, naming 9月
        ("D109", "warning", REQUESTS, "10月", 6, "状态"),       # 未完成 is not 完成
        ("D101", "error", VOLUNTEERS, "志愿者", 3, "证书有效期"),  # certificate, no expiry
        ("D111", "info", ELDERLY, "花名册", 6, "出生日期"),     # aged 51
        ("D102", "error", VISITS, "巡访记录", 7, "走访日期"),   # 2026/9/31
        ("F003", "warning", "活动报名表.xlsx", "报名", None, None),  # rules.md: warning
        ("F010", "info", VISITS, None, None, None),            # GBK
        ("F010", "info", ELDERLY, None, None, None),           # legacy .xls
    }
    [d107] = [f for f in result.findings if f.code == "D107"]
    assert "诉求台账2026.xlsx「9月」第5行" in d107.message.zh


def test_merged_cells_belong_to_every_row_they_span(result):
    requests = {(r.sheet, r.row): r for r in result.workspace.ledger("requests")}
    # 登记日期 merged over 9月 rows 4-5, 小区 over rows 4-6 (.xlsx saved by LibreOffice)
    assert requests[("9月", 5)].values["received"] == date(2026, 9, 3)
    assert [requests[("9月", r)].values["estate"] for r in (4, 5, 6, 7)] == \
        ["松和苑", "松和苑", "松和苑", "咏泽苑"]
    assert requests[("11月", 6)].values["received"] == date(2026, 11, 10)
    elderly = {r.id: r for r in result.workspace.ledger("elderly")}
    # 小区 merged down over each estate's block (.xls)
    assert [elderly[f"LR-0{i}"].values["estate"] for i in range(1, 9)] == ["松和苑"] * 4 + ["咏泽苑"] * 4
    # 地址 merged across 地址|楼组 belongs to 地址 (the first column) only
    assert elderly["LR-02"].values["address"] == "2号302室"
    assert elderly["LR-02"].cells["address"].column == "G"
    assert not [f for f in result.findings if f.code == "D101" and f.header in ("小区", "登记日期")]


def test_rows_hidden_by_an_autofilter_are_data(result):
    october = sorted(r.row for r in result.workspace.ledger("requests") if r.sheet == "10月")
    assert october == [4, 5, 6, 7]                   # rows 5 and 7 are hidden by the filter


def test_summary_sheets_give_no_records_and_no_findings(result):
    assert not [f for f in result.findings if f.sheet in ("全年", "汇总")]
    assert {r.sheet for r in result.workspace.ledger("requests")} == {"9月", "10月", "11月"}


def test_synonyms_and_bool_words_read_as_listed_values(result):
    requests = {(r.sheet, r.row): r for r in result.workspace.ledger("requests")}
    assert requests[("9月", 4)].values["status"] == "已答复"            # 已回访
    assert requests[("9月", 4)].values["satisfaction"] == "满意"        # 很满意
    assert requests[("9月", 5)].values["satisfaction"] == "基本满意"    # 一般
    assert requests[("9月", 7)].values["reply_method"] == "上门"        # 走访
    assert requests[("11月", 5)].values["status"] == "办理中"           # 在办
    assert requests[("10月", 6)].values["status"] == "未完成"           # kept as written: D109
    elderly = {r.id: r for r in result.workspace.ledger("elderly")}
    assert [elderly[f"LR-0{i}"].values["lives_alone"] for i in range(1, 9)] == \
        [True, False, True, False, False, True, True, False]          # 独居 非独居 是 否 不独居 …
    assert [elderly[i].values["status"] for i in ("LR-02", "LR-03", "LR-07")] == \
        ["去世", "入住机构", "迁出"]                                   # 已故 入住养老院 搬离
    visits = result.workspace.ledger("visits")
    assert [v.values["outcome"] for v in visits[:5]] == ["正常", "正常", "正常", "敲门无应答", "正常"]
    assert [v.values["service"] for v in visits[:4]] == [("巡访",), ("巡访", "量血压"), ("电话问候",),
                                                        ("巡访",)]
    assert [v.values["follow_up"] for v in visits[:4]] == [False, False, False, True]


def test_one_d112_summary_per_column_and_none_for_csv_dates(result):
    d112 = Counter((f.file, f.sheet, f.header) for f in result.findings if f.code == "D112")
    assert set(d112.values()) == {1}
    assert set(d112) == {
        (ELDERLY, "花名册", "是否独居"), (ELDERLY, "花名册", "状态"),
        (VOLUNTEERS, "志愿者", "在岗"),
        (VISITS, "巡访记录", "服务内容"), (VISITS, "巡访记录", "情况"), (VISITS, "巡访记录", "是否需要跟进"),
        (REQUESTS, "9月", "状态"), (REQUESTS, "9月", "满意度"), (REQUESTS, "9月", "答复方式"),
    }                                     # not 走访日期: 2026/11/3 is a CSV's normal date
    # one per column of the ledger, not per monthly sheet: on the first sheet, counting all
    status = next(f for f in result.findings if f.code == "D112" and f.header == "状态"
                  and f.file == REQUESTS)
    assert "9个值已统一格式（3张工作表合计）" in status.message.zh     # 3 + 3 + 3 (未完成 is no synonym)


def test_commonplace_columns_are_kept_out_without_f006(result):
    assert not [f for f in result.findings if f.code == "F006"]
    unmapped = {(s.file, s.sheet): s.unmapped for s in result.workspace.sources}
    assert unmapped[(REQUESTS, "9月")] == ["网格", "备注"]
    assert unmapped[(ELDERLY, "花名册")] == ["楼组", "备注"]
    assert unmapped[(VISITS, "巡访记录")] == ["附件"]


def test_the_monthly_workbook_saved_as_xls_reads_the_same():
    """clerks_xls/: the requests workbook saved by LibreOffice as BIFF8 — merged ranges, sheet
    order and the 全年/汇总 formulas (3-D references in FORMULA records) come from the .xls."""
    result = check([CLERKS.parent / "clerks_xls"], as_of=AS_OF)
    xls = "诉求台账2026.xls"
    assert [(s.sheet, s.records) for s in result.workspace.sources] == [("9月", 4), ("10月", 4), ("11月", 3)]
    requests = {(r.sheet, r.row): r for r in result.workspace.ledger("requests")}
    assert requests[("9月", 5)].values["received"] == date(2026, 9, 3)
    assert requests[("9月", 6)].values["estate"] == "松和苑"
    problems = {(f.code, f.file, f.sheet, f.row) for f in result.findings
                if f.code[0] in "DF" and f.severity != "info"}     # no 设置.xlsx here: 小区 info
    assert problems == {("D107", xls, "11月", 5), ("D109", xls, "10月", 6)}
    assert not [f for f in result.findings if f.sheet in ("全年", "汇总")]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_merged_cells_in_an_ods_belong_to_every_row_they_span(tmp_path):
    """The requests and elderly workbooks saved by LibreOffice as .ods: calamine gives no
    merged ranges for .ods, so they come from content.xml (number-rows-spanned), counted
    through repeated rows and cells. Before, 登记日期/小区 merged down read as empty below
    their first row (false D101, a request without 登记日期)."""
    folder = tmp_path / "ods"
    folder.mkdir()
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "ods", "--outdir", str(folder),
                           str(CLERKS / REQUESTS), str(CLERKS / ELDERLY)],
                          capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    result = check([folder], as_of=AS_OF)
    requests = {(r.sheet, r.row): r for r in result.workspace.ledger("requests")}
    assert requests[("9月", 5)].values["received"] == date(2026, 9, 3)
    assert [requests[("9月", r)].values["estate"] for r in (4, 5, 6, 7)] == \
        ["松和苑", "松和苑", "松和苑", "咏泽苑"]
    elderly = {r.id: r for r in result.workspace.ledger("elderly")}
    assert [elderly[f"LR-0{i}"].values["estate"] for i in range(1, 9)] == ["松和苑"] * 4 + ["咏泽苑"] * 4
    assert elderly["LR-02"].values["address"] == "2号302室"
    assert not [f for f in result.findings if f.code == "D101" and f.header in ("小区", "登记日期")]
