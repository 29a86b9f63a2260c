"""跟进派单.xlsx: sheets, columns, strings kept as strings, print set-up, determinism, PDF."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import date, datetime

import openpyxl
import pytest
from click.testing import CliRunner

from helpers import AS_OF, make_context, make_record
from toolkit import schema
from toolkit.assign import plan_followups
from toolkit.model import finding
from toolkit.report.workorders import sheet_name, write_work_orders
from toolkit.settings import Category, DutyStaff, Settings
from toolkit.text import Text


def _workspace():
    residents = [
        make_record("elderly", 3, id="0029", name="张秀英", estate="松和苑", address="12号301室",
                    phone="13812345678", emergency_contact="张伟", emergency_phone="13912345678",
                    lives_alone=True, volunteer="ZY-001"),
        make_record("elderly", 4, id="LR-002", name="王阿婆", estate="松和苑", address="3号102室",
                    phone="021-57651234", lives_alone=False),
        make_record("elderly", 5, id="LR-003", name="李老伯", estate="惠泽苑", address="8号201室",
                    lives_alone=False),
    ]
    vols = [make_record("volunteers", 3, id="ZY-001", name="李红", phone="13800000001",
                        estates=("松和苑",), skills=("巡访",)),
            make_record("volunteers", 4, id="ZY-002", name="周/敏[组长]", phone="13800000002",
                        estates=("松和苑",), skills=("巡访", "量血压"))]
    request = make_record("requests", 3, id="SQ-001", received=date(2026, 11, 2), source="来电",
                          estate="松和苑", content="路灯不亮", resident="赵先生", phone="13700000000",
                          category="小区安全", classified=date(2026, 11, 3), assignee="网格长",
                          assigned=date(2026, 11, 4), resolved=date(2026, 11, 10))
    settings = Settings(committee="莘泽居民区", duty=(DutyStaff("张主任", "021-1234", frozenset(range(5))),),
                        categories=(Category("小区安全", "网格长"),))
    ctx = make_context(*residents, *vols, request, settings=settings)
    m = Text("=HYPERLINK(\"x\")最近一次巡访是10月2日", "last visit Oct 2")
    findings = [finding("C301", m, record=residents[0]),
                finding("C307", Text("敲门无应答", "no answer"), record=residents[0]),
                finding("C305", Text("血压150/95", "BP 150/95"), record=residents[1]),
                finding("C301", Text("超期", "overdue"), record=residents[2]),     # nobody in 惠泽苑
                finding("R204", Text("办结未答复", "not replied"), record=request)]
    return ctx, findings


def _cells(path):
    wb = openpyxl.load_workbook(path)
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb}


def _table(rows):
    """Header row (3rd) → list of dicts for the data rows under it."""
    head = rows[2]
    return [dict(zip(head, row)) for row in rows[3:]]


@pytest.fixture()
def written(tmp_path):
    ctx, findings = _workspace()
    fus = plan_followups(ctx, findings)
    path = write_work_orders(tmp_path / schema.WORK_ORDERS, fus, ctx)
    return path, fus, ctx


def test_sheets_summary_people_and_unassigned(written):
    path, fus, _ = written
    cells = _cells(path)
    names = list(cells)
    assert names[0] == "总表" and names[-1] == "未能派单"
    assert "周_敏_组长_ ZY-002" in names and "李红 ZY-001" in names and "张主任" in names
    summary = _table(cells["总表"])
    assert [r["派单编号"] for r in summary] == [f.id for f in fus]
    ids = {r["负责人"]: r["负责人编号"] for r in summary if r["负责人"]}
    assert ids["李红"] == "ZY-001" and ids["张主任"] is None       # staff: no id beside the name
    unassigned = _table(cells["未能派单"])
    assert [r["对象编号"] for r in unassigned] == ["LR-003"]
    assert unassigned[0]["未能派单原因"] == "惠泽苑没有在岗志愿者（服务小区含惠泽苑或“全部”）"


def test_person_sheet_has_who_where_what_and_result_columns(written):
    path, fus, _ = written
    cells = _cells(path)
    rows = cells["李红 ZY-001"]
    assert "李红" in rows[1][0] and "13800000001" in rows[1][0]
    head = rows[2]
    assert head[-3:] == ["巡访情况", "血压", "备注"]
    table = _table(rows)
    safety = next(r for r in table if r["事项"] == "安全上门核查")
    assert safety["对象编号"] == "0029"                         # text id kept, not 29
    assert safety["对象"] == "张秀英" and safety["地址"] == "12号301室"
    assert safety["电话"].startswith("13812345678") and "张伟 13912345678" in safety["电话"]
    assert "张主任" in safety["要做什么"] and "敲门无应答" in safety["原因"]
    assert safety["计划日期"] == datetime(2026, 11, 23) and safety["截止日期"] == datetime(2026, 11, 23)
    assert all(r["巡访情况"] is None and r["血压"] is None and r["备注"] is None for r in table)
    visit = next(r for r in table if r["事项"] == "上门巡访")
    assert visit["原因"].startswith("C301 超期未巡访：=HYPERLINK")   # text, never a formula


def test_strings_stay_strings(written):
    path, _, _ = written
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.data_type in ("s", "d", "n")
                    if cell.data_type == "n":
                        pytest.fail(f"number in {ws.title}!{cell.coordinate}: {cell.value!r}")
    phone = _table(_cells(path)["周_敏_组长_ ZY-002"])
    assert any(r["电话"] == "021-57651234" for r in phone)


def test_request_work_order_for_staff(written):
    path, _, _ = written
    table = _table(_cells(path)["张主任"])
    assert [(r["事项"], r["对象编号"], r["对象"], r["电话"]) for r in table] == [
        ("答复回访", "SQ-001", "赵先生", "13700000000")]


def test_print_setup(written):
    path, _, _ = written
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        assert ws.page_setup.paperSize == 9 or ws.page_setup.paperSize == "9"
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$3:$3"
        assert "&P" in ws.oddFooter.center.text


def test_same_input_same_cells(tmp_path):
    ctx, findings = _workspace()
    a = write_work_orders(tmp_path / "a.xlsx", plan_followups(ctx, findings), ctx)
    ctx2, findings2 = _workspace()
    b = write_work_orders(tmp_path / "b.xlsx", plan_followups(ctx2, list(reversed(findings2))), ctx2)
    assert _cells(a) == _cells(b)
    assert a.read_bytes() == b.read_bytes()


def test_english_labels(tmp_path):
    ctx, findings = _workspace()
    path = write_work_orders(tmp_path / "en.xlsx", plan_followups(ctx, findings), ctx, lang="en")
    cells = _cells(path)
    assert list(cells)[0] == "All" and list(cells)[-1] == "unassigned"
    assert cells["All"][2][:3] == ["No.", "Priority", "Task"]


def test_empty_plan_still_makes_a_workbook(tmp_path):
    ctx, _ = _workspace()
    cells = _cells(write_work_orders(tmp_path / "empty.xlsx", [], ctx))
    assert list(cells) == ["总表", "未能派单"]
    assert cells["未能派单"][3][0] == "（无）"


def test_sheet_names_are_excel_safe_and_unique():
    used: set[str] = set()
    names = [sheet_name(n, used) for n in ("总表", "a/b:c*d?e[f]g\\h", "x" * 40, "x" * 40, "X" * 31,
                                           "'quoted'", "History", "")]
    assert names[1] == "a_b_c_d_e_f_g_h"
    assert all(len(n) <= 31 and not set(n) & set('[]:*?/\\') for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert names[5] == "quoted" and names[6] != "History" and names[7] == "Sheet"


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_opens_in_libreoffice_and_converts_to_pdf(written, tmp_path):
    path, _, _ = written
    profile = tmp_path / "lo-profile"
    out = tmp_path / "pdf"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = out / (path.stem + ".pdf")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000


def test_cli_assign_writes_work_orders_and_json(tmp_path):
    from toolkit.cli import cli
    from toolkit.samples.generate import generate_town
    generate_town(tmp_path / "ws", communities=1, seed=5, as_of=AS_OF, elderly=40, requests=40,
                  volunteers=12, visits=300, defect_rate=0.0)
    folder = next((tmp_path / "ws").iterdir())
    out = tmp_path / "派单.xlsx"
    result = CliRunner().invoke(cli, ["assign", str(folder), "--as-of", "2026-11-23", "-o", str(out),
                                      "--format", "json", "-q"])
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2026-11-23" and doc["followups"]
    for fu in doc["followups"]:
        assert fu["type"] in schema.FOLLOWUP_TYPES and fu["priority"] in schema.PRIORITIES
        assert (fu["assignee"] is None) == (fu["unassigned_reason"] is not None)
    cells = _cells(out)
    assert len(_table(cells["总表"])) == len(doc["followups"])
    assert os.path.getsize(out) > 0


def test_format_followups_lists_who_and_why():
    from toolkit.report.workorders import format_followups
    ctx, findings = _workspace()
    lines = format_followups(plan_followups(ctx, findings)).splitlines()
    assert len(lines) == 5
    assert any("安全上门核查 0029 → 李红（ZY-001） 2026-11-23" in line for line in lines)
    assert any("上门巡访 LR-003 → 未能派单：惠泽苑没有在岗志愿者" in line for line in lines)


def test_a_repeat_of_last_weeks_order_says_so(tmp_path):
    """The order's text opens with last week's: to a coordinator (总表) it names who had it; to
    the assignee, 已派给您 or 本周改派您; 上次 when the run before was not last week; 连续第N周;
    English under lang="en". Orders without a repeat are unchanged."""
    from toolkit.model import Repeat
    from toolkit.report.workorders import repeat_text

    ctx, findings = _workspace()
    fus = plan_followups(ctx, findings)
    visit = next(f for f in fus if f.type == "visit" and f.assignee)
    reply = next(f for f in fus if f.type == "reply_callback")
    other = next(f for f in fus if f.assignee and f not in (visit, reply))
    visit.repeat = Repeat(previous="2026-W47", adjacent=True, assigned=True, assignee="ZY-009",
                          assignee_name="曹玲", planned=date(2026, 11, 17), times=2,
                          since="2026-W47", weeks=True)
    reply.repeat = Repeat(previous="2026-W45", adjacent=False, assigned=True,
                          assignee=reply.assignee, assignee_name=reply.assignee_name,
                          planned=None, times=3, since="2026-W44", weeks=False)
    cells = _cells(write_work_orders(tmp_path / schema.WORK_ORDERS, fus, ctx))
    rows = {r["派单编号"]: r for r in _table(cells["总表"])}
    assert rows[visit.id]["要做什么"].splitlines()[0] == \
        f"上周（2026-W47）派给曹玲（计划2026-11-17），台账里还没有完成的记录，本周改派{visit.assignee_name}"
    assert rows[reply.id]["要做什么"].splitlines()[0] == \
        f"上次（2026-W45）已派给{reply.assignee_name}，台账里还没有完成的记录（连续第3次，2026-W44起）"
    assert "上周" not in rows[other.id]["要做什么"] and "上次" not in rows[other.id]["要做什么"]
    own = {r["派单编号"]: r["要做什么"] for title, sheet in cells.items()
           if title not in ("总表", "未能派单") for r in _table(sheet)}
    assert own[visit.id].splitlines()[0] == \
        "上周（2026-W47）派给曹玲（计划2026-11-17），台账里还没有完成的记录，本周改派您"
    assert own[reply.id].startswith("上次（2026-W45）已派给您，")
    assert repeat_text(visit, "en", you=True) == \
        "Sent to 曹玲 (planned 2026-11-17) last week (2026-W47), not done; reassigned to you this week"
    assert repeat_text(reply, "en", you=True) == ("Sent to you last time (2026-W45); the ledgers "
                                                  "show it still not done (time 3 in a row, since 2026-W44)")
