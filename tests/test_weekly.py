"""weekly: one pass, reproducible files, inputs untouched, other weeks untouched."""
from __future__ import annotations

import hashlib
import shutil
import json
from datetime import date
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from toolkit import schema
from toolkit.automate.weekly import run_weekly, week_label
from toolkit.cli import cli

from tests.helpers import SAMPLE
AS_OF = date(2026, 11, 23)


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_week_label():
    assert week_label(date(2026, 11, 23)) == "2026-W48"
    assert week_label(date(2027, 1, 1)) == "2026-W53"


def test_weekly_writes_the_four_outputs_and_summary_line(workspace):
    inputs = hashes(workspace)
    result = CliRunner().invoke(cli, ["weekly", str(workspace), "--as-of", "2026-11-23"])
    assert result.exit_code == 1, result.output          # the sample has error-level defects
    assert "2026-W48" in result.output and "跟进派单" in result.output
    assert len(result.output.strip().splitlines()) == 1
    out = workspace / schema.REPORTS_DIR / "2026-W48"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [schema.STAFF_REPORT, schema.WORK_ORDERS, schema.TOWN_REPORT, schema.RUN_JSON])
    doc = json.loads((out / schema.RUN_JSON).read_text("utf-8"))
    assert doc["as_of"] == "2026-11-23" and "followups" in doc and doc["summary"]["urgent"] >= 1
    for name in (schema.STAFF_REPORT, schema.WORK_ORDERS, schema.TOWN_REPORT):
        assert openpyxl.load_workbook(out / name).sheetnames
    # staff ledgers are byte-identical; only 报表/ and .shequ/ are new
    after = {k: v for k, v in hashes(workspace).items()
             if not k.startswith((schema.REPORTS_DIR + "/", schema.STATE_DIR + "/"))}
    assert after == inputs


def test_weekly_twice_gives_identical_files(workspace):
    first = run_weekly(workspace, as_of=AS_OF)
    one = hashes(first.outdir)
    second = run_weekly(workspace, as_of=AS_OF)
    assert hashes(second.outdir) == one


def test_rerun_replaces_this_week_and_never_touches_other_weeks(workspace):
    run_weekly(workspace, as_of=date(2026, 11, 16))
    last_week = hashes(workspace / schema.REPORTS_DIR / "2026-W47")
    run_weekly(workspace, as_of=AS_OF)
    run_weekly(workspace, as_of=date(2026, 11, 24))     # same ISO week, a day later
    assert hashes(workspace / schema.REPORTS_DIR / "2026-W47") == last_week
    doc = json.loads((workspace / schema.REPORTS_DIR / "2026-W48" / schema.RUN_JSON).read_text("utf-8"))
    assert doc["as_of"] == "2026-11-24"
    leftovers = [p.name for p in (workspace / schema.REPORTS_DIR).iterdir() if p.name.startswith(".")]
    assert leftovers == []                                # no staging folders left behind


def test_history_finds_a_deleted_row_next_week(workspace, tmp_path):
    run_weekly(workspace, as_of=date(2026, 11, 16))
    # a clerk deletes a request row in LibreOffice-saved xlsx: emulate with openpyxl on the copy
    path = workspace / "诉求台账.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book[book.sheetnames[0]]
    header_row = next(r for r in range(1, 11)
                      if any(str(c.value or "").strip() in ("编号", "诉求编号", "工单号")
                             for c in sheet[r]))
    id_col = next(c.column for c in sheet[header_row]
                  if str(c.value or "").strip() in ("编号", "诉求编号", "工单号"))
    victim_row = header_row + 1
    victim = sheet.cell(victim_row, id_col).value
    sheet.delete_rows(victim_row)
    book.save(path)
    run = run_weekly(workspace, as_of=AS_OF)
    h601 = [f for f in run.result.findings if f.code == "H601"]
    assert [f.record for f in h601] == [str(victim)]
    assert "上次" in h601[0].message.zh


def test_every_urgent_finding_of_the_sample_gets_a_same_day_followup_or_a_reason():
    from toolkit import pipeline
    from toolkit.assign import plan_followups
    result = pipeline.check([SAMPLE], as_of=AS_OF)
    urgent = [f for f in result.findings if f.urgent]
    assert {f.code for f in urgent} >= {"C306", "C307"}
    followups = plan_followups(result.context, result.findings)
    for f in urgent:
        (fu,) = [fu for fu in followups if fu.target == f.record and f.code in fu.codes]
        assert fu.priority == "urgent"
        if fu.assignee:
            assert fu.planned == AS_OF
        else:
            assert fu.unassigned_reason and fu.unassigned_reason.zh


def test_weekly_on_the_sample_shows_the_council(workspace):
    """The resident council end to end: the staff report's 议事会 sheet, 议事会落实 work orders
    for the settings' 记录人, and the MTG_* indicators in the town report."""
    CliRunner().invoke(cli, ["weekly", str(workspace), "--as-of", "2026-11-23"])
    out = workspace / schema.REPORTS_DIR / "2026-W48"
    staff = openpyxl.load_workbook(out / schema.STAFF_REPORT)
    assert "议事会" in staff.sheetnames
    cells = [c for row in staff["议事会"].iter_rows(values_only=True) for c in row if c is not None]
    assert "咏泽苑地下车库渗水，车位长期积水" in cells and "二、待办议题（按会议，可在下次议事会上逐条通报）" in cells
    doc = json.loads((out / schema.RUN_JSON).read_text("utf-8"))
    council = [f for f in doc["followups"] if f["type"] == "council"]
    assert {f["target"] for f in council} == {"2026-08-12 居民议事会", "2026-09-09 居民议事会",
                                              "2026-11-11 居民议事会"}
    assert {f["assignee"] for f in council} == {"陆佳怡"}
    orders = openpyxl.load_workbook(out / schema.WORK_ORDERS)
    texts = [c for ws in orders.worksheets for row in ws.iter_rows(values_only=True) for c in row
             if isinstance(c, str)]
    assert any("议事会落实" in t for t in texts)
    town = openpyxl.load_workbook(out / schema.TOWN_REPORT)
    codes = {row[0]: row for row in town[schema.INDICATOR_SHEET].iter_rows(values_only=True)}
    assert {"MTG_MEETINGS", "MTG_ITEMS", "MTG_TO_REQUEST_RATE", "MTG_FEEDBACK_RATE"} <= set(codes)
    assert codes["MTG_MEETINGS"][3] == 1                      # November's meeting
    report = [c for row in town.worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert "八、居民议事会" in report and "议题转诉求率" in report


def test_two_unchanged_weeks_of_the_sample_give_no_history_findings(workspace):
    """The sample repeats SQ2026-003 (D107): the second week compares the same row history
    stored, so an unchanged folder gives no H601/H602/H603."""
    run_weekly(workspace, as_of=date(2026, 11, 16))
    run = run_weekly(workspace, as_of=AS_OF)
    assert [f.code for f in run.result.findings if f.code.startswith("H")] == []


def _delete_first_row(path: Path) -> str:
    """Delete the first data row of the first sheet whose id appears once; return its id."""
    book = openpyxl.load_workbook(path)
    sheet = book[book.sheetnames[0]]
    header_row = next(r for r in range(1, 11)
                      if any(str(c.value or "").strip().endswith("编号") for c in sheet[r]))
    id_col = next(c.column for c in sheet[header_row] if str(c.value or "").strip().endswith("编号"))
    ids = [sheet.cell(r, id_col).value for r in range(header_row + 1, sheet.max_row + 1)]
    row = next(r for r, v in enumerate(ids, start=header_row + 1) if v and ids.count(v) == 1)
    victim = str(sheet.cell(row, id_col).value)
    sheet.delete_rows(row)
    book.save(path)
    return victim


def test_a_ledger_unreadable_for_a_week_is_not_a_disappearance(workspace):
    """A truncated file is F001, not 85 H601 and an H602 to zero; the week after, with the
    file back, it is compared with the last run that read it (one real deletion: one H601)."""
    path = workspace / "老年人台账.xlsx"
    good = path.read_bytes()
    run_weekly(workspace, as_of=date(2026, 11, 9))
    path.write_bytes(good[:4000])
    broken = run_weekly(workspace, as_of=date(2026, 11, 16))
    codes = [f.code for f in broken.result.findings]
    assert "F001" in codes
    assert [c for c in codes if c.startswith("H")] == []
    path.write_bytes(good)
    victim = _delete_first_row(path)
    back = run_weekly(workspace, as_of=AS_OF)
    history = [(f.code, f.record) for f in back.result.findings if f.code.startswith("H")]
    assert history == [("H601", victim)]
    assert "2026-W46" in next(f for f in back.result.findings if f.code == "H601").message.zh


def test_a_ledger_file_gone_is_a_disappearance(workspace):
    """A file no longer in the folder (not renamed: its ids are nowhere) is a real loss."""
    run_weekly(workspace, as_of=date(2026, 11, 16))
    (workspace / "老年人台账.xlsx").unlink()
    run = run_weekly(workspace, as_of=AS_OF)
    codes = [f.code for f in run.result.findings]
    assert codes.count("H601") > 50 and "H602" in codes


def _own(findings) -> list[tuple[str, str]]:
    return sorted((f.file, f.severity) for f in findings
                  if f.code == "F003" and "shequ" in f.message.zh)


def test_weekly_pointed_at_its_reports_folder_reads_nothing_and_writes_nothing(workspace):
    """cli.md: nothing read → one sentence naming the folder, exit 2, no outputs, no history;
    the tool's own reports are never ledgers."""
    run_weekly(workspace, as_of=date(2026, 11, 16))
    reports = workspace / schema.REPORTS_DIR
    before = hashes(reports)
    result = CliRunner().invoke(cli, ["weekly", str(reports), "--as-of", "2026-11-23"])
    assert result.exit_code == 2, result.output
    assert str(reports) in result.output
    assert hashes(reports) == before                     # no 报表/报表/…, no .shequ inside
    assert not (reports / schema.STATE_DIR).exists()


def test_reports_saved_into_the_ledger_folder_are_skipped_with_one_finding_each(workspace):
    """A clerk saves last week's 周检查报告 and 跟进派单 (one renamed) beside the ledgers: each
    is one info finding, and the week's findings are otherwise those of the clean folder."""
    from toolkit import pipeline
    clean = pipeline.check([workspace], as_of=AS_OF)
    run_weekly(workspace, as_of=date(2026, 11, 16))
    week = workspace / schema.REPORTS_DIR / "2026-W47"
    shutil.copy(week / schema.STAFF_REPORT, workspace / schema.STAFF_REPORT)
    shutil.copy(week / schema.WORK_ORDERS, workspace / "11月派单（打印）.xlsx")
    shutil.copy(week / schema.TOWN_REPORT, workspace / "上报" / "镇报送表-11月.xlsx") \
        if (workspace / "上报").mkdir() is None else None
    result = pipeline.check([workspace], as_of=AS_OF)
    assert _own(result.findings) == [("11月派单（打印）.xlsx", "info"),
                                     ("上报/镇报送表-11月.xlsx", "info"),
                                     (schema.STAFF_REPORT, "info")]
    def rest(findings):
        return sorted((f.code, f.file, f.sheet, f.row) for f in findings
                      if not (f.code == "F003" and "shequ" in f.message.zh))
    assert rest(result.findings) == rest(clean.findings)
    assert len(result.workspace.sources) == len(clean.workspace.sources)


def test_an_annotated_copy_beside_its_ledger_is_not_read_again(workspace):
    from toolkit import api, pipeline
    clean = pipeline.check([workspace], as_of=AS_OF)
    api.annotate(workspace / "老年人台账.xlsx", workspace / "老年人台账-已标注.xlsx", as_of=AS_OF)
    result = pipeline.check([workspace], as_of=AS_OF)
    assert _own(result.findings) == [("老年人台账-已标注.xlsx", "info")]
    assert len(result.workspace.ledger("elderly")) == len(clean.workspace.ledger("elderly"))


def test_a_report_of_an_earlier_version_without_the_marker_is_recognised(tmp_path):
    """Reports written before the marker existed carry our author and a report title; a
    template of ours (same author, a ledger's title) filled in by a clerk is a ledger."""
    import xlsxwriter

    from toolkit import pipeline
    from toolkit.report.templates import write_template

    folder = tmp_path / "台账"
    folder.mkdir()
    book = xlsxwriter.Workbook(str(folder / "上周报告.xlsx"))
    book.set_properties({"title": "莘泽居委会 周检查报告 2026-W47", "author": "shequ 社区台账助手"})
    sheet = book.add_worksheet("问题清单")
    for col, head in enumerate(["级别", "代码", "文件", "工作表", "行", "编号", "问题", "诉求编号"]):
        sheet.write_string(0, col, head)
    sheet.write_row(1, 0, ["错误", "D107", "诉求台账.xlsx", "咏泽苑", 29, "SQ2026-003", "重复", "SQ2026-003"])
    book.close()
    write_template("elderly", folder / "老年人台账.xlsx", as_of=AS_OF)
    filled = openpyxl.load_workbook(folder / "老年人台账.xlsx")
    sheet = filled.worksheets[0]
    header = [c.value for c in sheet[1]]
    values = {"老人编号": "LR-001", "编号": "LR-001", "姓名": "张三", "小区": "松和苑",
              "住址": "1号101室", "地址": "1号101室"}
    for col, head in enumerate(header, start=1):
        if head in values:
            sheet.cell(2, col, values[head])
    filled.save(folder / "老年人台账.xlsx")
    result = pipeline.check([folder], as_of=AS_OF)
    assert _own(result.findings) == [("上周报告.xlsx", "info")]
    assert [r.id for r in result.workspace.ledger("elderly")] == ["LR-001"]


def test_an_earlier_week_run_after_later_weeks_leaves_history_alone(workspace):
    """weekly --as-of a past week when later weeks are recorded: that week's reports are
    written (asked for), compared with the run before it; the history (that week's row and
    every later week's, hence the later weeks' trends) stays as it was, and stderr says so
    in one sentence, Chinese first."""
    import sqlite3
    run_weekly(workspace, as_of=date(2026, 11, 16))
    run_weekly(workspace, as_of=AS_OF)
    db = workspace / schema.STATE_DIR / "history.sqlite"
    before = list(sqlite3.connect(db).iterdump())
    later = hashes(workspace / schema.REPORTS_DIR / "2026-W48")
    # the ledgers changed since: an elderly row deleted (W47's figures would change)
    path = workspace / "老年人台账.xlsx"
    book = openpyxl.load_workbook(path)
    book[book.sheetnames[0]].delete_rows(6)
    book.save(path)
    result = CliRunner().invoke(cli, ["weekly", str(workspace), "--as-of", "2026-11-17"])
    assert result.exit_code == 1, result.output
    assert "2026-W47" in result.stdout
    note = result.stderr.strip()
    assert len(note.splitlines()) == 1 and "历史记录没有改动" in note and "2026-W48" in note
    assert list(sqlite3.connect(db).iterdump()) == before
    assert hashes(workspace / schema.REPORTS_DIR / "2026-W48") == later
    doc = json.loads((workspace / schema.REPORTS_DIR / "2026-W47" / schema.RUN_JSON).read_text("utf-8"))
    assert doc["as_of"] == "2026-11-17"              # the week's reports were written
    en = CliRunner().invoke(cli, ["weekly", str(workspace), "--as-of", "2026-11-17", "--lang", "en"])
    assert "history left unchanged" in en.stderr and "2026-W48" in en.stderr
    # the latest week itself, re-run, is recorded as usual (no note)
    again = CliRunner().invoke(cli, ["weekly", str(workspace), "--as-of", "2026-11-24"])
    assert again.stderr == "" and list(sqlite3.connect(db).iterdump()) != before


def test_a_report_edited_by_staff_is_kept_not_overwritten(workspace):
    """跟进派单.xlsx filled in by hand (saved in Excel), and a staff workbook saved under an
    output's name: the next run of the week keeps both under a new name and says so."""
    out = workspace / schema.REPORTS_DIR / "2026-W48"
    run_weekly(workspace, as_of=AS_OF)
    orders = out / schema.WORK_ORDERS
    book = openpyxl.load_workbook(orders)
    book.worksheets[0]["A1"] = "王阿姨已上门，11月24日"
    book.save(orders)
    edited = orders.read_bytes()
    own = shutil.copyfile(workspace / "诉求台账.xlsx", out / schema.TOWN_REPORT).read_bytes()
    result = CliRunner().invoke(cli, ["weekly", str(workspace), "--as-of", "2026-11-23"])
    assert result.exit_code == 1
    assert (out / "跟进派单（修改过，已保留）.xlsx").read_bytes() == edited
    assert (out / "镇报送表（修改过，已保留）.xlsx").read_bytes() == own
    assert ("没有覆盖，已改名保留：跟进派单.xlsx → 跟进派单（修改过，已保留）.xlsx；"
            "镇报送表.xlsx → 镇报送表（修改过，已保留）.xlsx。") in result.output
    # the new outputs are in place; a run with nothing edited keeps nothing more
    before = hashes(out)
    again = CliRunner().invoke(cli, ["weekly", str(workspace), "--as-of", "2026-11-23"])
    assert "已改名保留" not in again.output
    assert hashes(out) == before


def test_a_report_saved_without_edits_is_replaced_as_usual(workspace):
    """Excel recalculates an xlsxwriter file on opening and asks to save it on closing: a
    clerk who says yes has changed the bytes, not the report — no kept copy for that."""
    out = workspace / schema.REPORTS_DIR / "2026-W48"
    run_weekly(workspace, as_of=AS_OF)
    first = hashes(out)
    for name in (schema.STAFF_REPORT, schema.WORK_ORDERS):
        openpyxl.load_workbook(out / name).save(out / name)       # saved, nothing typed
    assert hashes(out) != first
    result = CliRunner().invoke(cli, ["weekly", str(workspace), "--as-of", "2026-11-23"])
    assert "已改名保留" not in result.output
    assert hashes(out) == first


def _orders(path: Path) -> dict[str, dict[tuple, str]]:
    """跟进派单.xlsx read back: sheet → {(事项, 对象编号): 要做什么}."""
    book = openpyxl.load_workbook(path)
    out = {}
    for sheet in book.worksheets:
        heads = [c.value for c in sheet[3]]
        if "要做什么" not in heads:
            continue
        task, target, todo = (heads.index(h) for h in ("事项", "对象编号", "要做什么"))
        out[sheet.title] = {(r[task], r[target]): r[todo] or "" for r in
                            sheet.iter_rows(min_row=4, values_only=True) if r[0]}
    return out


def test_a_followup_sent_last_week_says_so_this_week(workspace):
    """上周已派，仍未完成: an order made in W47 and again in W48 says so in the work orders (总表
    names last week's assignee, her own sheet says 您) and in the staff report; one new this
    week does not; W47 itself (no history before it) has no such line."""
    run_weekly(workspace, as_of=date(2026, 11, 16))
    first = run_weekly(workspace, as_of=AS_OF)
    reports = workspace / schema.REPORTS_DIR
    before = _orders(reports / "2026-W47" / schema.WORK_ORDERS)["总表"]
    now = _orders(reports / "2026-W48" / schema.WORK_ORDERS)
    assert not any("上周" in text for text in before.values())
    again = [key for key in now["总表"] if key in before]
    new = [key for key in now["总表"] if key not in before]
    assert again and new
    for key in again:
        assert now["总表"][key].startswith("上周（2026-W47）"), (key, now["总表"][key])
        assert "台账里还没有完成的记录" in now["总表"][key].splitlines()[0]
    for key in new:
        assert "上周" not in now["总表"][key], key
    # on the assignee's own sheet: 已派给您 (the same person) or 本周改派您 (another)
    mine = {key: text for title, rows in now.items() if title not in ("总表", "未能派单")
            for key, text in rows.items() if key in again}
    assert mine and all("您" in text.splitlines()[0] for text in mine.values())
    assert any("已派给您" in text for text in mine.values())
    fu = next(f for f in first.followups if f.repeat is not None and f.assignee)
    assert fu.repeat.previous == "2026-W47" and fu.repeat.times == 2
    # the staff report's overview lists them, and charts become section 四
    overview = openpyxl.load_workbook(reports / "2026-W48" / schema.STAFF_REPORT)["概览"]
    cells = [c for row in overview.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert f"三、上周已派、仍未完成（{len(again)} 项，见跟进派单）" in cells and "四、图表" in cells
    assert sum(1 for c in cells if c.startswith("上周（2026-W47）")) >= len(again)
    # the JSON keeps its keys (cli.md)
    doc = json.loads((reports / "2026-W48" / schema.RUN_JSON).read_text("utf-8"))
    assert set(doc["followups"][0]) == {"id", "type", "codes", "kind", "target", "priority",
                                        "assignee", "planned", "unassigned_reason"}
    # same inputs, same as-of, same history: the same files
    one = hashes(first.outdir)
    assert hashes(run_weekly(workspace, as_of=AS_OF).outdir) == one


def _book(path: Path, rows: list[list]) -> None:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def test_an_order_carried_out_last_week_is_not_said_undone(tmp_path):
    """W47 sends 曹玲 to recheck a critical reading; she rechecks on 11-18 and logs it, still
    critical: W48's recheck order comes from her reading, not from last week's order left
    undone — never "上周已派给您，台账里还没有完成的记录". With no recheck logged it says so."""
    ws = tmp_path / "ws"
    _book(ws / "老年人台账.xlsx", [
        ["编号", "姓名", "出生日期", "小区", "地址", "是否独居", "结对志愿者"],
        ["LR-001", "张秀英", date(1940, 5, 1), "松和苑", "12号301室", "是", "ZY-01"]])
    _book(ws / "志愿者名册.xlsx", [
        ["编号", "姓名", "联系电话", "服务小区", "服务技能", "在岗"],
        ["ZY-01", "曹玲", "13800000001", "松和苑", "巡访、量血压", "是"]])
    visits = [["巡访日期", "老人编号", "老人姓名", "志愿者", "服务类型", "巡访情况", "血压"],
              [date(2026, 11, 10), "LR-001", "张秀英", "ZY-01", "巡访", "正常", "186/112"]]
    _book(ws / "巡访记录.xlsx", visits)
    reports = ws / schema.REPORTS_DIR

    def recheck_line(as_of: date) -> str:
        run_weekly(ws, as_of=as_of)
        rows = _orders(reports / week_label(as_of) / schema.WORK_ORDERS)["总表"]
        return rows[("血压复查", "LR-001")].splitlines()[0]

    assert not recheck_line(date(2026, 11, 16)).startswith("上周")
    assert recheck_line(AS_OF).startswith("上周（2026-W47）已派给曹玲")     # nothing logged since
    visits.append([date(2026, 11, 18), "LR-001", "张秀英", "ZY-01", "量血压", "正常", "182/111"])
    _book(ws / "巡访记录.xlsx", visits)
    assert "上周" not in recheck_line(AS_OF)                                # she did it
