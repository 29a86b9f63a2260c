"""Town summary (镇汇总): totals from counts, ranking, refusals."""
from __future__ import annotations

from dataclasses import replace

import openpyxl
import pytest

from test_indicators import FINDINGS, make_ctx
from test_reports import personal_values, sample_context, write_both, xml_text
from toolkit.errors import ToolkitError
from toolkit.read.reports import ReportReadError, read_town_report
from toolkit.report.indicators import compute_indicators, period_bounds
from toolkit.report.merge import MergeError, merge_reports, rank
from toolkit.report.town import write_town_report
from helpers import AS_OF


def town(tmp_path, committee, *, drop=(), period="month"):
    """A town report from the inline tables of test_indicators (minus requests in ``drop``)."""
    ctx = make_ctx()
    ctx.settings = replace(ctx.settings, committee=committee)
    ctx.workspace.records["requests"] = [r for r in ctx.workspace.ledger("requests") if r.id not in drop]
    start, end, label = period_bounds(AS_OF, period)
    indicators = compute_indicators(ctx, FINDINGS, period_start=start, period_end=end)
    return write_town_report(tmp_path / committee / "镇报送表.xlsx", ctx, FINDINGS, indicators,
                             period_label=label)


def edit_indicators(path, edit):
    """The report at ``path`` with its 指标 sheet changed by hand: ``edit(ws)`` (openpyxl)."""
    wb = openpyxl.load_workbook(path)
    edit(wb["指标"])
    wb.save(path)
    return path


def find_row(ws, code, group=""):
    return next(r for r in range(2, ws.max_row + 1)
                if ws.cell(r, 1).value == code and (ws.cell(r, 2).value or "") == group)


def summary_rows(path):
    ws = openpyxl.load_workbook(path)["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "居委")
    header = rows[head]
    return {r[0]: dict(zip(header, r)) for r in rows[head + 1:] if r[0]}


def test_read_back(tmp_path):
    report = read_town_report(town(tmp_path, "甲居委"))
    assert report.community == "甲居委" and report.period == "2026-11"
    rate = report.get("REQ_RESOLVED_RATE")
    assert (rate.value, rate.numerator, rate.denominator) == (0.6, 3, 5)
    assert report.get("REQ_RECEIVED", "晾晒").value == 2


def test_totals_recomputed_from_counts_not_averaged(tmp_path):
    a = town(tmp_path, "甲居委")                              # 办结 3 / 受理 5
    b = town(tmp_path, "乙居委", drop=("R3", "R5", "R6"))     # 办结 2 / 受理 2
    out = merge_reports([a, b], tmp_path / "镇汇总.xlsx", as_of=AS_OF)
    rows = summary_rows(out)
    assert rows["甲居委"]["受理数"] == 5 and rows["乙居委"]["受理数"] == 2
    total = rows["合计"]
    assert total["受理数"] == 7 and total["办结数"] == 5
    assert total["在册老人数"] == 10
    machine = {(r[0], r[1]): r for r in openpyxl.load_workbook(out)["指标"].iter_rows(values_only=True)}
    assert machine[("REQ_RESOLVED_RATE", "")][3:6] == (round(5 / 7, 4), 5, 7)
    assert machine[("REQ_AVG_DAYS", "")][4:6] == (12 + 10, 3 + 2)
    assert machine[("REQ_RECEIVED", "晾晒")][3] == 4


def test_ranking_sheet_and_chart(tmp_path):
    a = town(tmp_path, "甲居委")
    b = town(tmp_path, "乙居委", drop=("R3", "R5", "R6"))
    out = merge_reports([b, a], tmp_path / "镇汇总.xlsx", as_of=AS_OF)
    wb = openpyxl.load_workbook(out)
    rows = list(wb["排名"].iter_rows(values_only=True))
    assert rows[1][:2] == (1, "乙居委") and rows[2][:2] == (2, "甲居委")
    assert len(wb["排名"]._charts) == 1


def test_rank_is_competition_ranking():
    assert rank({"a": 0.5, "b": 0.9, "c": 0.5, "d": None}) == {"a": 2, "b": 1, "c": 2, "d": None}


def test_mixed_periods_refused(tmp_path):
    a = town(tmp_path, "甲居委", period="month")
    b = town(tmp_path, "乙居委", period="2026-10")
    with pytest.raises(MergeError) as err:
        merge_reports([a, b], tmp_path / "镇汇总.xlsx", as_of=AS_OF)
    for lang in ("zh", "en"):
        message = err.value.message(lang)
        assert str(a) in message and str(b) in message
        assert "2026-11" in message and "2026-10" in message
    assert "报送周期不一致" in err.value.message("zh")
    assert not (tmp_path / "镇汇总.xlsx").exists()


def test_same_community_twice_refused(tmp_path):
    a = town(tmp_path, "甲居委")
    with pytest.raises(MergeError, match="甲居委"):
        merge_reports([a, a], tmp_path / "镇汇总.xlsx", as_of=AS_OF)


def test_unreadable_report_names_the_file(tmp_path):
    good = town(tmp_path, "甲居委")
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"this is not a zip")
    with pytest.raises(ReportReadError) as err:
        merge_reports([good, bad], tmp_path / "镇汇总.xlsx", as_of=AS_OF)
    assert str(bad) in err.value.message("zh") and str(bad) in err.value.message("en")
    assert isinstance(err.value, ToolkitError)


def test_workbook_without_indicator_sheet_refused(tmp_path):
    other = tmp_path / "其他.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "code"
    wb.save(other)
    with pytest.raises(ReportReadError, match="指标"):
        read_town_report(other)


def test_summary_has_no_personal_data(tmp_path):
    _, a = write_both(tmp_path, sample_context("松和居委"), name="a")
    _, b = write_both(tmp_path, sample_context("咏泽居委"), name="b")
    out = merge_reports([a, b], tmp_path / "镇汇总.xlsx", as_of=AS_OF)
    text = xml_text(out)
    assert [v for v in personal_values() if v in text] == []
    assert "松和居委" in text


def test_merge_is_reproducible(tmp_path):
    a = town(tmp_path, "甲居委")
    b = town(tmp_path, "乙居委", drop=("R1",))
    one = merge_reports([a, b], tmp_path / "1.xlsx", as_of=AS_OF)
    two = merge_reports([b, a], tmp_path / "2.xlsx", as_of=AS_OF)
    assert one.read_bytes() == two.read_bytes()


def test_cli_report_then_merge(tmp_path):
    import shutil
    from pathlib import Path

    from click.testing import CliRunner

    from toolkit.cli import cli
    sample = Path(__file__).resolve().parents[1] / "samples" / "xinze"
    if not sample.is_dir():
        pytest.skip("samples/xinze not present")
    work = tmp_path / "莘泽"
    shutil.copytree(sample, work)
    runner = CliRunner()
    done = runner.invoke(cli, ["report", str(work), "--period", "month", "--as-of", "2026-11-23", "-q"])
    assert done.exit_code in (0, 1), done.output
    outdir = work / "报表" / "2026-11"
    assert (outdir / "周检查报告.xlsx").is_file() and (outdir / "镇报送表.xlsx").is_file()
    other = town(tmp_path, "甲居委", period="2026-10")
    mixed = runner.invoke(cli, ["merge", str(outdir / "镇报送表.xlsx"), str(other), "-o",
                                str(tmp_path / "镇汇总.xlsx")])
    assert mixed.exit_code == 2 and "报送周期不一致" in mixed.output
    same = town(tmp_path, "乙居委", period="month")
    ok = runner.invoke(cli, ["merge", str(outdir / "镇报送表.xlsx"), str(same), "-o",
                             str(tmp_path / "镇汇总.xlsx"), "-q"])
    assert ok.exit_code == 0, ok.output
    rows = summary_rows(tmp_path / "镇汇总.xlsx")
    assert set(rows) >= {"乙居委", "合计", "报告该项的居委数"} and len(rows) == 4


def test_town_summary_given_as_a_report_refused(tmp_path):
    a = town(tmp_path, "甲居委")
    b = town(tmp_path, "乙居委", drop=("R1",))
    summary = merge_reports([a, b], tmp_path / "镇汇总.xlsx", as_of=AS_OF)
    with pytest.raises(MergeError) as err:
        merge_reports([summary, a], tmp_path / "再汇总.xlsx", as_of=AS_OF)
    zh, en = err.value.message("zh"), err.value.message("en")
    assert str(summary) in zh and str(summary) in en
    assert "镇汇总" in zh and "镇报送表.xlsx" in zh
    assert "town summary" in en and "镇报送表.xlsx" in en
    assert not (tmp_path / "再汇总.xlsx").exists()


def test_row_copied_twice_refused_not_summed_twice(tmp_path):
    copied = {}

    def copy_row(ws):
        row, new = find_row(ws, "REQ_RECEIVED", "晾晒"), ws.max_row + 1
        for col in range(1, 9):
            ws.cell(new, col).value = ws.cell(row, col).value
        copied.update(row=row, new=new)

    a = edit_indicators(town(tmp_path, "甲居委"), copy_row)
    b = town(tmp_path, "乙居委")
    with pytest.raises(ReportReadError) as err:
        merge_reports([a, b], tmp_path / "镇汇总.xlsx", as_of=AS_OF)
    for lang in ("zh", "en"):
        message = err.value.message(lang)
        assert str(a) in message and "指标" in message
        assert f"{copied['new']}" in message and f"{copied['row']}" in message
        assert "REQ_RECEIVED" in message and "晾晒" in message
    assert f"第{copied['new']}行" in err.value.message("zh")
    assert not (tmp_path / "镇汇总.xlsx").exists()


def test_codes_of_a_newer_version_are_named_on_stderr_not_dropped_silently(tmp_path):
    from click.testing import CliRunner

    from toolkit.cli import cli

    def add_newer_codes(ws):
        period, community = ws.cell(2, 7).value, ws.cell(2, 8).value
        for row in (["REQ_ESCALATED_RATE", "", "上报率", 0.5, 3, 6, period, community],
                    ["REQ_ESCALATED_RATE", "小区：东苑", "上报率（东苑）", 1, 2, 2, period, community],
                    ["CARE_DEMENTIA", "", "认知障碍老人数", 7, None, None, period, community]):
            ws.append(row)

    a = edit_indicators(town(tmp_path, "甲居委"), add_newer_codes)
    b = town(tmp_path, "乙居委")
    out, csv = tmp_path / "镇汇总.xlsx", tmp_path / "镇汇总.csv"
    for lang in ("zh", "en"):
        done = CliRunner().invoke(cli, ["merge", str(a), str(b), "-o", str(out), "--csv", str(csv),
                                        "-q", "--lang", lang])
        assert done.exit_code == 0, done.output
        lines = done.stderr.splitlines()
        assert len(lines) == 1, lines                       # one line per file, none for b
        assert str(a) in lines[0] and str(b) not in lines[0]
        assert "REQ_ESCALATED_RATE" in lines[0] and "CARE_DEMENTIA" in lines[0]
        assert lines[0].count("REQ_ESCALATED_RATE") == 1
        assert ("未计入" if lang == "zh" else "left out") in lines[0]
    codes = {r[0] for r in openpyxl.load_workbook(out)["指标"].iter_rows(values_only=True)}
    assert "REQ_RECEIVED" in codes and not codes & {"REQ_ESCALATED_RATE", "CARE_DEMENTIA"}
    assert "REQ_ESCALATED_RATE" not in csv.read_text("utf-8-sig")


def test_one_row_with_another_community_name_is_named_not_called_missing(tmp_path):
    where = {}

    def retype(ws):
        where["row"] = find_row(ws, "REQ_RESOLVED")
        ws.cell(where["row"], 8).value = "甲居委会"

    a = edit_indicators(town(tmp_path, "甲居委"), retype)
    b = town(tmp_path, "乙居委")
    with pytest.raises(ToolkitError) as err:
        merge_reports([a, b], tmp_path / "镇汇总.xlsx", as_of=AS_OF)
    zh, en = err.value.message("zh"), err.value.message("en")
    assert str(a) in zh and "“甲居委”" in zh and "“甲居委会”" in zh
    assert str(a) in en and "'甲居委'" in en and "'甲居委会'" in en
    assert "多个居委名称" in zh and f"第{where['row']}行" in zh
    assert "several community names" in en and f"row {where['row']}" in en
    assert "没有居委名称" not in zh and "设置.xlsx" not in zh and "no community name" not in en


def test_row_with_empty_period_is_named(tmp_path):
    where = {}

    def clear_period(ws):
        where["row"] = find_row(ws, "REQ_RESOLVED")
        ws.cell(where["row"], 7).value = None

    a = edit_indicators(town(tmp_path, "甲居委"), clear_period)
    with pytest.raises(ReportReadError) as err:
        merge_reports([a, town(tmp_path, "乙居委")], tmp_path / "镇汇总.xlsx", as_of=AS_OF)
    zh, en = err.value.message("zh"), err.value.message("en")
    assert str(a) in zh and "（空）" in zh and "2026-11" in zh and f"第{where['row']}行" in zh
    assert "：、" not in zh
    assert str(a) in en and "(empty)" in en and "2026-11" in en and f"row {where['row']}" in en


def test_cli_as_of_decides_the_summary_date_and_bytes(tmp_path):
    from datetime import date, datetime

    from click.testing import CliRunner

    from toolkit.cli import cli
    a, b = town(tmp_path, "甲居委"), town(tmp_path, "乙居委", drop=("R1",))
    outs = []
    for name in ("1.xlsx", "2.xlsx"):
        out = tmp_path / name
        done = CliRunner().invoke(cli, ["merge", str(a), str(b), "-o", str(out), "-q",
                                        "--as-of", "2026-11-30"])
        assert done.exit_code == 0, done.output
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    wb = openpyxl.load_workbook(tmp_path / "1.xlsx")
    dated = {r[0]: r[1] for r in wb["汇总"].iter_rows(max_row=5, values_only=True)}
    assert dated["汇总日期"] == datetime(2026, 11, 30)
    assert wb.properties.created.date() == date(2026, 11, 30)
    bad = CliRunner().invoke(cli, ["merge", str(a), "--as-of", "2026-13-01"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output


def test_the_town_summary_csv_in_a_checked_folder_is_our_output_not_a_ledger(tmp_path):
    """The town office keeps 镇汇总.xlsx and 镇汇总.csv beside the communities' folders and checks
    that folder: the CSV (no document properties) was an F003 warning 'no ledger headers'."""
    from click.testing import CliRunner

    from toolkit.cli import cli
    from toolkit.read import read_workspace
    from toolkit.report.merge import CSV_COLUMNS
    a, b = town(tmp_path / "in", "甲居委"), town(tmp_path / "in", "乙居委")
    folder = tmp_path / "镇"
    folder.mkdir()
    done = CliRunner().invoke(cli, ["merge", str(a), str(b), "-o", str(folder / "镇汇总.xlsx"),
                                    "--csv", str(folder / "镇汇总.csv"), "-q"])
    assert done.exit_code == 0, done.output
    text = (folder / "镇汇总.csv").read_text("utf-8-sig")
    (folder / "另存.csv").write_bytes(text.replace(",", "\t").encode("gb18030"))  # resaved by WPS
    (folder / "报名.csv").write_text("代码,分组,指标\nA,,集市\n", encoding="utf-8")  # not ours
    findings = {f.file: f for f in read_workspace([folder], as_of=AS_OF).findings
                if f.code == "F003"}
    for name in ("镇汇总.xlsx", "镇汇总.csv", "另存.csv"):
        assert findings[name].severity == "info" and "shequ 自己生成" in findings[name].message.zh
    assert findings["报名.csv"].severity == "warning"
    assert CSV_COLUMNS == ("代码", "分组", "指标", "数值", "分子", "分母", "报送周期", "统计截止日",
                           "居委", "报告居委数")              # the automation's columns
