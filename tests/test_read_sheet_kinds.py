"""Which sheets are ledgers (docs/read.md "汇总表怎么认", "工作表是哪本台账"): a ledger that looks
up some columns from another sheet or computes 序号/年龄 by formula is still a ledger, whatever
its name; a summary of formulas over the ledger sheets is not, and is never dropped silently
when clerks typed ledger rows into it; a sheet of option lists (no date, no person, no 编号) is
not a ledger; a tie on matched columns goes to the ledger that lacks fewest required columns.

Workbooks are made with openpyxl (formulas without cached values, as calamine then reads them:
empty) and, where LibreOffice is installed, saved once more by it (cached values, as a clerk's
file holds them)."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from toolkit.pipeline import check
from toolkit.read.headers import classify
from toolkit.read.sheets import Grid

AS_OF = date(2026, 11, 23)
ELDERLY = ["编号", "姓名", "性别", "出生日期", "小区", "地址", "联系电话", "是否独居", "紧急联系人",
           "紧急联系电话", "结对志愿者"]


def grid(rows, name="S"):
    width = max(len(r) for r in rows)
    return Grid(name, [list(r) + [""] * (width - len(r)) for r in rows], [])


def _roster(wb):
    sheet = wb.active
    sheet.title = "花名册"
    sheet.append(ELDERLY)
    for i in range(1, 5):
        sheet.append([f"LR-{i:03d}", f"老人{i}", "女", date(1950, i, 1), "松和苑", f"{i}号101室",
                      f"5765123{i}", "是", "家属", f"1391234567{i}", "李红"])
    team = wb.create_sheet("志愿者")
    team.append(["编号", "姓名", "联系电话", "服务小区", "服务技能"])
    team.append(["ZY-001", "李红", "13812345678", "松和苑", "巡访"])


def _lookup_visits(folder: Path) -> Path:
    """巡访记录 whose date, 巡访人, 服务类型, 巡访情况 are typed and 5 of 10 columns are VLOOKUPs
    of the typed 老人编号 into 花名册."""
    wb = openpyxl.Workbook()
    _roster(wb)
    visits = wb.create_sheet("巡访记录", 1)
    visits.append(["巡访日期", "老人编号", "老人姓名", "性别", "小区", "地址", "联系电话", "巡访人",
                   "服务类型", "巡访情况"])
    for i in range(1, 5):
        visits.append([date(2026, 11, 18 + i), f"LR-{i:03d}"]
                      + [f"=VLOOKUP($B{i + 1},花名册!$A:$K,{k},0)" for k in (2, 3, 5, 6, 7)]
                      + ["李红", "巡访", "正常"])
    wb.save(folder / "台账.xlsx")
    return folder


def _zongbiao(folder: Path) -> Path:
    """The file's only sheet, 独居老人总表, with 序号 =ROW()-1 and 年龄 =2026-YEAR(D2)."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "独居老人总表"
    sheet.append(["序号", "编号", "姓名", "出生日期", "年龄", "小区", "地址", "是否独居", "紧急联系人",
                  "紧急联系电话"])
    for r, (name, year) in enumerate((("张秀英", 1940), ("李桂兰", 1938), ("王建国", 1945),
                                      ("赵德明", 1936)), start=2):
        sheet.append(["=ROW()-1", f"LR-{r - 1:03d}", name, date(year, 5, 12), f"=2026-YEAR(D{r})",
                      "松和苑", f"{r}号101室", "是", "家属", f"1391234567{r}"])
    wb.save(folder / "老年人台账.xlsx")
    return folder


def _dropdown(folder: Path) -> Path:
    """A visit log and a hidden 下拉选项 sheet of the lists its data validation offers."""
    wb = openpyxl.Workbook()
    visits = wb.active
    visits.title = "巡访记录"
    visits.append(["巡访日期", "老人姓名", "巡访人", "服务类型", "巡访情况"])
    visits.append([date(2026, 11, 20), "张秀英", "李红", "巡访", "正常"])
    lists = wb.create_sheet("下拉选项")
    lists.append(["小区", "服务类型", "巡访情况"])
    for row in (["松和苑", "巡访", "正常"], ["咏泽苑", "电话问候", "敲门无应答"],
                ["惠泽苑", "量血压", "身体不适"], [None, "代配药", "已送医"], [None, None, "外出"]):
        lists.append(row)
    lists.sheet_state = "hidden"
    wb.save(folder / "巡访记录.xlsx")
    return folder


def _volunteer_roster(folder: Path) -> Path:
    """A volunteer roster with personal details: as many elderly columns as volunteer ones."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "志愿者"
    sheet.append(["序号", "编号", "姓名", "性别", "出生日期", "身份证号", "联系电话", "住址", "服务小区",
                  "服务技能", "可服务时间", "在岗"])
    sheet.append([1, "ZY-001", "李红", "女", date(1965, 3, 2), "", "13812345678", "松和苑3号101",
                  "松和苑", "巡访、量血压", "周一至周五", "是"])
    sheet.append([2, "ZY-002", "陈明", "男", date(1960, 6, 1), "", "13812345679", "咏泽苑5号",
                  "咏泽苑", "巡访", "工作日", "是"])
    wb.save(folder / "志愿者名册.xlsx")
    return folder


def _summaries(folder: Path) -> Path:
    """A visit log, a 统计 sheet of COUNTIF/MAX over it per 巡访人 with a SUM row, and a 全年 sheet
    stacking it by ``=巡访记录!A2`` whose last row a clerk typed in by hand."""
    wb = openpyxl.Workbook()
    visits = wb.active
    visits.title = "巡访记录"
    visits.append(["巡访日期", "老人姓名", "巡访人", "服务类型", "巡访情况"])
    for i, who in enumerate(("李红", "陈明", "李红", "陈明", "李红"), start=1):
        visits.append([date(2026, 11, 10 + i), f"老人{i}", who, "巡访", "正常"])
    stats = wb.create_sheet("统计")
    stats.append(["巡访人", "巡访日期", "巡访情况", "服务类型"])
    for r, who in ((2, "李红"), (3, "陈明")):
        stats.append([who, "=MAX(巡访记录!A2:A6)",
                      f'=COUNTIFS(巡访记录!C2:C6,A{r},巡访记录!E2:E6,"正常")',
                      f"=COUNTIF(巡访记录!C2:C6,A{r})"])
    stats.append(["合计", "", "=SUM(C2:C3)", "=SUM(D2:D3)"])
    stacked = wb.create_sheet("全年")
    stacked.append(["巡访日期", "老人姓名", "巡访人", "服务类型", "巡访情况"])
    for r in range(2, 7):
        stacked.append([f"=巡访记录!{c}{r}" for c in "ABCDE"])
    stacked.append([date(2026, 11, 21), "老人9", "李红", "巡访", "正常"])
    wb.save(folder / "巡访.xlsx")
    return folder


BUILDERS = {"lookup": _lookup_visits, "zongbiao": _zongbiao, "dropdown": _dropdown,
            "volunteers": _volunteer_roster, "summaries": _summaries}


@pytest.fixture(params=["openpyxl", pytest.param("libreoffice", marks=[
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")])])
def made(request, tmp_path_factory):
    """name → a folder holding that workbook, as openpyxl wrote it or as LibreOffice saved it."""
    base = tmp_path_factory.mktemp(request.param)
    folders = {name: build(_mkdir(base / name)) for name, build in BUILDERS.items()}
    if request.param == "libreoffice":
        files = [path for folder in folders.values() for path in folder.glob("*.xlsx")]
        for path in files:
            path.rename(path.with_suffix(".in.xlsx"))
        out = base / "out"
        done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{base}/lo",
                               "--convert-to", "xlsx", "--outdir", str(out)]
                              + [str(p.with_suffix(".in.xlsx")) for p in files],
                              capture_output=True, timeout=300)
        assert done.returncode == 0, done.stderr
        for path in files:
            path.with_suffix(".in.xlsx").unlink()
            shutil.move(out / path.with_suffix(".in.xlsx").name, path)
    return folders


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _kinds(result) -> list[tuple[str, str, int]]:
    return [(s.sheet, s.kind, s.records) for s in result.workspace.sources]


# --------------------------------------------------------------------------- summaries
def test_a_visit_log_looking_up_half_its_columns_is_read(made):
    result = check([made["lookup"]], as_of=AS_OF)
    assert ("巡访记录", "visits", 4) in _kinds(result)
    assert not [f for f in result.findings if f.code in ("C302", "F003")]


def test_a_ledger_named_zongbiao_with_local_formulas_is_read(made):
    result = check([made["zongbiao"]], as_of=AS_OF)
    assert _kinds(result) == [("独居老人总表", "elderly", 4)]
    assert not [f for f in result.findings if f.code == "F003"]


def test_true_summaries_are_no_ledger_and_typed_rows_in_one_are_not_dropped_silently(made):
    result = check([made["summaries"]], as_of=AS_OF)
    assert _kinds(result) == [("巡访记录", "visits", 5)]
    assert not [f for f in result.findings if f.sheet == "统计"]      # COUNTIF/SUM: silent
    [told] = [f for f in result.findings if f.sheet == "全年"]        # one row typed by hand
    assert (told.code, told.severity) == ("F003", "warning")          # rules.md
    assert "全年" in told.message.zh and "汇总" in told.message.zh and "1 行" in told.message.zh
    assert "全年" in told.message.en


def test_a_sheet_named_zongbiao_of_formulas_only_nothing_typed_is_a_summary():
    from toolkit.read.headers import is_summary
    from toolkit.read.sheets import Formulas

    rows = [["巡访日期", "老人姓名", "巡访人", "巡访情况"]] + [["", "", "", ""]] * 4
    g = grid(rows, name="总表")
    cells = frozenset((r, c) for r in range(1, 5) for c in range(4))
    g.formula_source = lambda: Formulas(cells, frozenset())          # local formulas, nothing typed
    assert is_summary(g, classify(g))


# --------------------------------------------------------------------------- option lists
def test_a_hidden_sheet_of_dropdown_lists_is_no_ledger(made):
    result = check([made["dropdown"]], as_of=AS_OF)
    assert _kinds(result) == [("巡访记录", "visits", 1)]
    assert not [f for f in result.findings if f.sheet == "下拉选项"]


@pytest.mark.parametrize("headers, kind", [
    (["小区", "服务类型", "巡访情况"], None),                        # the lists of a visit log
    (["服务项目", "计价单位", "标准价"], None),                      # a price list
    (["活动室", "时段", "活动名称"], None),                          # rooms and their slots
    (["老人姓名", "服务内容", "巡访情况"], "visits"),                # a person: a visit log
    (["巡访日期", "服务类型", "巡访情况"], "visits"),                # a date: a visit log
    (["编号", "小区", "诉求内容"], "requests"),                      # an id: a ledger (F004 then)
    (["活动室", "时段", "使用团队"], "rooms"),
])
def test_a_sheet_with_no_date_no_person_and_no_id_is_no_ledger(headers, kind):
    assert classify(grid([headers, ["x"] * len(headers)])).kind == kind


def test_record_keys_are_data_in_the_schema():
    from toolkit import schema

    assert set(schema.RECORD_KEYS) == set(schema.LEDGERS)
    for kind, keys in schema.RECORD_KEYS.items():
        assert keys and set(keys) <= set(schema.LEDGERS[kind].keys)


# --------------------------------------------------------------------------- ties
def test_a_volunteer_roster_with_personal_details_is_the_volunteers_ledger(made):
    result = check([made["volunteers"]], as_of=AS_OF)
    assert _kinds(result) == [("志愿者", "volunteers", 2)]
    assert not [f for f in result.findings if f.code == "F004"]


@pytest.mark.parametrize("headers, kind", [
    (["编号", "姓名", "性别", "出生日期", "身份证号", "联系电话", "住址", "服务小区", "服务技能",
      "可服务时间", "在岗"], "volunteers"),                          # 7 each: volunteers lacks nothing
    (ELDERLY + ["服务需求"], "elderly"),
    (["编号", "姓名", "小区", "地址", "独居", "联系电话", "服务需求", "结对志愿者", "服务技能"], "elderly"),
])
def test_a_tie_goes_to_the_ledger_lacking_fewest_required_columns(headers, kind):
    assert classify(grid([headers])).kind == kind
