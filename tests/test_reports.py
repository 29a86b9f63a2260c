"""Staff report (周检查报告) and town report (镇报送表): masking, text-only cells, links,
reproducible bytes, and LibreOffice rendering with charts."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
import zlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from helpers import AS_OF, make_context, make_record
from toolkit.check import run_rules
from toolkit.model import Text, finding
from toolkit.report.indicators import compute_indicators, period_bounds
from toolkit.report.staff import finding_link, write_staff_report
from toolkit.report.town import write_town_report

D = date
NAMES = ["张秀英", "李建国", "王桂兰", "陈志明", "刘芳", "赵丽华", "王阿姨"]
PHONES = ["13812345678", "13912345678", "021-57651234", "13711112222", "13633334444", "15900001111"]
IDS = ["310117194105120023", "31011719500101001X"]


def sample_records():
    elderly = [
        make_record("elderly", 4, id="LR-001", name="张秀英", birth=D(1941, 5, 12),
                    id_number=IDS[0], estate="松和苑", address="12号301室", phone=PHONES[2],
                    emergency_contact="陈志明", emergency_phone=PHONES[1], lives_alone=True,
                    volunteer="ZY-01"),
        make_record("elderly", 5, id="LR-002", name="李建国", birth=D(1950, 1, 1),
                    id_number=IDS[1], estate="咏泽苑", address="3号502室", phone=PHONES[0],
                    lives_alone=True, hardship=("低保",), volunteer="ZY-01"),
    ]
    volunteers = [
        make_record("volunteers", 3, id="ZY-01", name="王桂兰", phone=PHONES[3], estates=("全部",),
                    skills=("巡访", "量血压"), certificate="养老护理员", certificate_expiry=D(2026, 12, 1)),
        make_record("volunteers", 4, id="ZY-02", name="刘芳", phone=PHONES[4], estates=("松和苑",),
                    skills=("巡访",), active=False),
    ]
    visits = [
        make_record("visits", 2, date=D(2026, 11, 20), elderly_id="LR-001", elderly_name="张秀英",
                    volunteer="ZY-01", service=("巡访", "量血压"), outcome="敲门无应答",
                    blood_pressure=(185, 112), hours=0.5),
        make_record("visits", 3, date=D(2026, 9, 1), elderly_id="LR-002", elderly_name="李建国",
                    volunteer="王桂兰", service=("巡访",), outcome="正常"),
    ]
    requests = [
        make_record("requests", 2, id="SQ-001", received=D(2026, 11, 2), source="来电",
                    resident="赵丽华", phone=PHONES[5], estate="松和苑", address="7号101室",
                    content="楼道灯坏了", category="小区安全", classified=D(2026, 11, 2),
                    assignee="物业", assigned=D(2026, 11, 3), resolved=D(2026, 11, 6),
                    resolution="已修复", replied=D(2026, 11, 9), satisfaction="满意"),
        make_record("requests", 3, id="SQ-002", received=D(2026, 11, 10), source="来访",
                    resident="王阿姨", estate="咏泽苑", content="晾衣架损坏", category="晾晒",
                    classified=D(2026, 11, 16)),
    ]
    meetings = [   # a council meeting: one item registered, one not, a decision not reported back
        make_record("meetings", 3, date=D(2026, 10, 14), meeting="居民议事会",
                    attendees=("网格长", "楼组长"), topic="楼道灯坏了", request_id="SQ-001"),
        make_record("meetings", 4, date=D(2026, 10, 14), meeting="居民议事会",
                    topic="咏泽苑地下车库渗水", decision="物业排查渗水点", owner="物业经理"),
    ]
    return elderly + volunteers + visits + requests + meetings


def sample_context(committee="松和居委", **settings):
    ctx = make_context(*sample_records(), as_of=AS_OF)
    ctx.settings = replace(ctx.settings, committee=committee, town="泽镇", reporter="周红",
                           **settings)
    return ctx


def sample_findings(ctx):
    """Real rule findings plus findings whose messages and values carry personal data and
    formula-looking text."""
    found = list(run_rules(ctx))
    lr1 = ctx.ledger("elderly")[0]
    req = ctx.ledger("requests")[1]
    found += [
        finding("C307", Text(f"张秀英（{IDS[0]}）敲门无应答，联系人陈志明 {PHONES[1]}，电话 {PHONES[2]}",
                             "no answer"), record=lr1, key="name"),
        finding("D109", Text("值不在列表中", "not in list"), record=req, key="content",
                value='=HYPERLINK("http://x","y")'),
        finding("D109", Text("值不在列表中", "not in list"), record=req, key="address", value="+1-2"),
    ]
    return sorted(found, key=lambda f: f.sort_key)


def write_both(tmp_path, ctx=None, name="out"):
    ctx = ctx or sample_context()
    findings = sample_findings(ctx)
    start, end, label = period_bounds(ctx.as_of, "month")
    indicators = compute_indicators(ctx, findings, period_start=start, period_end=end)
    staff = write_staff_report(tmp_path / name / "周检查报告.xlsx", ctx, findings, [],
                               history=[("2026-W46", {"REQ_RESOLVED_RATE": 0.5, "CARE_OVERDUE": 3}),
                                        ("2026-W47", {"REQ_RESOLVED_RATE": 0.75, "CARE_OVERDUE": 2})])
    town = write_town_report(tmp_path / name / "镇报送表.xlsx", ctx, findings, indicators,
                             period_label=label)
    return staff, town


def all_cells(path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


def xml_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def personal_values():
    return NAMES + PHONES + [p.replace("021-", "") for p in PHONES] + IDS


def test_town_report_has_no_personal_data(tmp_path):
    _, town = write_both(tmp_path)
    text = xml_text(town)                      # every sheet, shared string, property, chart
    leaked = [v for v in personal_values() if v in text]
    assert leaked == []
    cells = " ".join(str(c.value) for _, c in all_cells(town))
    assert "张*英" in cells                     # the urgent item is listed, masked
    assert "敲门无应答" in cells


def test_town_report_unmasked_when_settings_say_no(tmp_path):
    ctx = sample_context(mask=False)
    _, town = write_both(tmp_path, ctx)
    assert "张秀英" in xml_text(town)


def test_town_report_header_indicators_and_print_setup(tmp_path):
    _, town = write_both(tmp_path)
    wb = openpyxl.load_workbook(town)
    sheet = wb.worksheets[0]
    header = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(3, 9)}
    assert header["居委名称"] == "松和居委" and header["所属街镇"] == "泽镇"
    # a month's report made on 11-23: marked 截至 its cut-off day
    assert header["报送周期"] == "2026-11，截至2026-11-23" and header["填报人"] == "周红"
    assert header["填报日期"].date() == AS_OF and header["统计截止日"].date() == AS_OF
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.fitToWidth in (None, 1)
    assert sheet.page_setup.fitToHeight == 0              # fit to width, pages as needed
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in sheet.oddFooter.center.text
    assert sheet.print_title_rows
    rows = list(wb["指标"].iter_rows(values_only=True))
    assert rows[0] == ("代码", "分组", "指标名称", "数值", "分子", "分母", "统计周期", "居委名称")
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    assert by_key[("CUTOFF", "")][3] == "2026-11-23"
    received = by_key[("REQ_RECEIVED", "")]
    assert received[3] == 2 and received[6] == "2026-11" and received[7] == "松和居委"
    rate = by_key[("REQ_RESOLVED_RATE", "")]
    assert (rate[3], rate[4], rate[5]) == (0.5, 1, 2)
    assert by_key[("REQ_RECEIVED", "晾晒")][3] == 1


def test_staff_report_writes_formula_like_values_as_text(tmp_path):
    staff, _ = write_both(tmp_path)
    wb = openpyxl.load_workbook(staff)
    values = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in ('=HYPERLINK("http://x","y")', "+1-2"):
                    values[cell.value] = cell.data_type
                assert cell.data_type != "f", f"formula in {ws.title}!{cell.coordinate}"
    assert values == {'=HYPERLINK("http://x","y")': "s", "+1-2": "s"}


def test_staff_report_sheets_names_and_links(tmp_path):
    staff, _ = write_both(tmp_path)
    wb = openpyxl.load_workbook(staff)
    assert wb.sheetnames[:5] == ["概览", "问题清单", "诉求闭环", "巡访情况", "志愿者"]
    overview = [c.value for _, c in all_cells(staff) if _ == "概览"]
    assert any("C307" in str(v) for v in overview[:12])          # urgent items first
    findings = wb["问题清单"]
    assert findings.freeze_panes == "A2" and findings.auto_filter.ref
    links = {}
    for row in findings.iter_rows(min_row=2):
        if row[0].hyperlink is not None:
            links[(row[2].value, row[11].value)] = (row[0].hyperlink.target, row[0].hyperlink.location)
    target, location = next(v for (code, _), v in links.items() if code == "C307")
    assert target.replace("\\", "/") == "../../老年人台账.xlsx" and location == "'2026年'!B4"
    text = xml_text(staff)
    assert "张秀英" in text and "王桂兰" in text               # staff report keeps full names
    visits = list(wb["巡访情况"].iter_rows(values_only=True))
    assert any(r[1] == "LR-002" for r in visits)                # B, last visit 09-01: overdue
    volunteers = {r[0]: r for r in wb["志愿者"].iter_rows(values_only=True)}
    assert volunteers["ZY-01"][13] == "30天内到期" and volunteers["ZY-02"][5] == "否"
    opened = {r[1] for r in wb["诉求闭环"].iter_rows(values_only=True)}
    assert "SQ-002" in opened and "SQ-001" not in opened        # replied = closed


def test_finding_link_quotes_sheet_names():
    assert finding_link("../..", "a/诉求.xlsx", "O'Brien", 12, "S") == \
        "external:../../a/诉求.xlsx#'O''Brien'!S12"
    assert finding_link("../..", None, "x", 1, "A") is None
    assert finding_link("", "f.xlsx", "表", None, None) == "external:f.xlsx#'表'!A1"


def test_same_inputs_same_bytes(tmp_path):
    a = write_both(tmp_path, name="a")
    b = write_both(tmp_path, name="b")
    for x, y in zip(a, b):
        assert x.read_bytes() == y.read_bytes(), x.name


def _pdf_drawing_ops(pdf: Path) -> int:
    """Path-construction operators (line-to, curve-to, rectangle) in all content streams."""
    data = pdf.read_bytes()
    count = 0
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            body = zlib.decompress(match.group(1))
        except zlib.error:
            body = match.group(1)
        count += len(re.findall(rb"[\d.]+ [\d.]+ l\b", body))
    return count


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_outputs_open_in_libreoffice_and_pdf_has_charts(tmp_path):
    from toolkit.report.merge import merge_reports
    staff, town = write_both(tmp_path)
    other = sample_context("咏泽居委")
    _, town2 = write_both(tmp_path, other, name="b")
    summary = merge_reports([town, town2], tmp_path / "镇汇总.xlsx", as_of=AS_OF)
    # the same staff report without history has fewer charts: compare drawing amounts
    ctx = sample_context()
    plain = write_staff_report(tmp_path / "plain" / "周检查报告.xlsx", ctx, sample_findings(ctx), [])
    outdir = tmp_path / "pdf"
    copies = []
    for i, path in enumerate((staff, town, summary, plain)):
        copy = tmp_path / f"f{i}.xlsx"
        shutil.copy(path, copy)
        copies.append(copy)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(outdir), *map(str, copies)],
                   check=True, capture_output=True, timeout=240)
    pdfs = [outdir / f"f{i}.pdf" for i in range(4)]
    assert all(p.exists() and p.stat().st_size > 1000 for p in pdfs)
    if shutil.which("pdftotext"):             # the council sheet and section print too
        texts = [subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True,
                                check=True).stdout for p in pdfs[:2]]
        assert "居民议事会落实情况" in texts[0] and "咏泽苑地下车库渗水" in texts[0]
        assert "八、居民议事会" in texts[1] and "议题转诉求率" in texts[1]
    staff_ops, town_ops, summary_ops, plain_ops = map(_pdf_drawing_ops, pdfs)
    assert staff_ops > plain_ops > 0            # the two trend line charts add drawings
    assert summary_ops > 0


def _chart_table(path, title):
    """The rows of one table on the staff report's 图表数据 sheet, under its ``title``."""
    rows = [r for r in openpyxl.load_workbook(path)["图表数据"].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == title) + 2
    end = next((i for i in range(start, len(rows)) if rows[i][0] is None), len(rows))
    return rows[start:end]


def test_requests_by_category_chart_holds_categories_not_estates(tmp_path):
    staff, _ = write_both(tmp_path)
    table = _chart_table(staff, "诉求按类别")
    assert sorted(r[0] for r in table) == ["小区安全", "晾晒"]     # 松和苑/咏泽苑 are no category
    assert sum(r[1] for r in table) == 2                             # each request once


def test_coverage_chart_of_an_unread_visit_log_is_empty_not_a_crash(tmp_path):
    from toolkit.model import finding as make_finding
    ctx = sample_context()
    ctx.workspace.findings.append(make_finding(
        "F001", file="巡访记录.xlsx", variant="not_workbook",
        params={"file": "巡访记录.xlsx", "sheet": None, "detail": "x"}))
    staff, town = write_both(tmp_path, ctx)
    assert all(r[1] is None and r[2] is None for r in _chart_table(staff, "各等级巡访覆盖"))


def test_an_urgent_item_with_a_work_order_names_who_goes(tmp_path):
    """概览 said 今天联系家庭医生王医生上门复查 while the work order sent 周杰: for an urgent
    finding a work order was made of, the overview names its assignee and id instead of the
    general advice; an urgent finding without a work order keeps the advice."""
    from toolkit.assign import plan_followups
    ctx = sample_context()
    findings = sample_findings(ctx)
    followups = plan_followups(ctx, findings)
    urgent = [f for f in findings if f.urgent]
    ordered = {id(x): fu for fu in followups for x in fu.findings if fu.assignee}
    assert any(id(f) in ordered for f in urgent)
    staff = write_staff_report(tmp_path / "周检查报告.xlsx", ctx, findings, followups)
    rows = list(openpyxl.load_workbook(staff)["概览"].iter_rows(values_only=True))
    for f in urgent:
        text = next(r[4] for r in rows if r[0] and str(r[0]).startswith(f.code) and r[1] == f.record)
        if id(f) in ordered:
            fu = ordered[id(f)]
            assert text.endswith(f"→ 已派给{fu.assignee_name or fu.assignee}今天处理（{fu.id}，见跟进派单）")
        else:
            assert text.endswith(f"→ {f.fix.zh}")


def _chart_anchors(path):
    """(chart file, first row, last row, first column) of each chart on 概览, and each chart's XML."""
    with zipfile.ZipFile(path) as z:
        drawing = next(n for n in z.namelist() if n.startswith("xl/drawings/drawing") and n.endswith(".xml"))
        xml = z.read(drawing).decode()
        anchors = re.findall(r"<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>.*?"
                             r"<xdr:to>.*?<xdr:row>(\d+)</xdr:row>", xml, re.S)
        charts = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
    return [(int(c), int(a), int(b)) for c, a, b in anchors], charts


def test_bar_charts_name_every_category_and_charts_do_not_overlap(tmp_path):
    """LibreOffice dropped every other category label of the two bar charts (诉求按类别,
    各台账问题数): their category axis now names each one (tickLblSkip 1, a smaller font), a bar
    chart grows with its categories, and the next pair of charts starts below it."""
    records = sample_records()
    records += [make_record("requests", 10 + i, id=f"SQ-1{i:02d}", received=D(2026, 11, 2),
                            estate="松和苑", content=f"事项{i}", category=f"类别{i:02d}")
                for i in range(16)]
    ctx = make_context(*records, as_of=AS_OF)
    staff = write_staff_report(tmp_path / "周检查报告.xlsx", ctx, list(run_rules(ctx)), [])
    anchors, charts = _chart_anchors(staff)
    bars = [x for x in charts if "<c:barDir val=\"bar\"/>" in x]
    assert len(bars) == 2 and all('<c:tickLblSkip val="1"/>' in x for x in bars)
    assert len(_chart_table(staff, "诉求按类别")) >= 17
    spans = sorted(anchors, key=lambda a: (a[1], a[0]))
    tall = max(b - a for _, a, b in spans)
    assert tall > min(b - a for _, a, b in spans)          # the category chart is taller
    rows = sorted({a for _, a, _ in spans})                # one start row per pair
    assert len(rows) == len(spans) // 2
    for above, below in zip(rows, rows[1:]):
        assert below > max(b for _, a, b in spans if a == above)   # below the taller of the two


def test_staff_report_without_a_visit_log_lists_nobody_as_never_visited(tmp_path):
    """No visit log read: the checks say so once (C302 no_log) and 概览 shows 应访人数 as —;
    巡访情况 must not list every A/B resident as 从未巡访, nor 志愿者 show 0 visits."""
    from tests.helpers import make_workspace
    from toolkit.automate.weekly import run_weekly
    workspace = make_workspace(tmp_path / "xinze")
    for f in list(workspace.iterdir()):
        if f.name.startswith("巡访记录"):
            f.unlink()
    run_weekly(workspace, as_of=AS_OF)
    staff = next(workspace.rglob("周检查报告.xlsx"))
    wb = openpyxl.load_workbook(staff)
    rows = [r for r in wb["巡访情况"].iter_rows(min_row=2, values_only=True) if any(r)]
    assert not any("从未巡访" in r for r in rows)
    assert len(rows) == 1 and "没有读到巡访记录" in rows[0][0]
    vols = [r for r in wb["志愿者"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert vols and all(r[7] is None and r[10] is None for r in vols)


def test_overview_says_which_previous_numbers_come_from_the_last_run(tmp_path):
    """重复诉求数 (R210 findings), like 紧急事项数 and the finding counts, is compared with the
    last run, not with 上期同期: the note under 关键数字 must name it, and the value must be
    the last run's."""
    from tests.helpers import make_workspace
    from toolkit.automate.weekly import run_weekly
    workspace = make_workspace(tmp_path / "xinze")
    run_weekly(workspace, as_of=date(2026, 11, 16))
    run_weekly(workspace, as_of=AS_OF)
    last = openpyxl.load_workbook(next(workspace.rglob("2026-W47/镇报送表.xlsx")))["指标"]
    repeat_last = next(r[3] for r in last.iter_rows(values_only=True)
                       if r[0] == "REQ_REPEAT" and not r[1])
    rows = list(openpyxl.load_workbook(next(workspace.rglob("2026-W48/周检查报告.xlsx")))["概览"]
                .iter_rows(values_only=True))
    note = next(r[0] for r in rows if str(r[0]).startswith("上期同期"))
    before = next(r[2] for r in rows if r[0] == "重复诉求数")
    assert before == repeat_last
    for words in ("重复诉求数", "紧急事项", "问题数"):
        assert words in note.split("（", 1)[1], note


def test_visits_sheet_says_whom_it_lists():
    """巡访情况 lists the residents overdue or due by Sunday; 概览's 应访人数 counts the whole
    period (12 rows against 14 on the sample): a note under the table says which is which."""
    import tempfile
    from pathlib import Path as P
    with tempfile.TemporaryDirectory() as tmp:
        staff, _ = write_both(P(tmp))
        rows = [r for r in openpyxl.load_workbook(staff)["巡访情况"].iter_rows(values_only=True) if any(r)]
    assert "到本周日（2026-11-29）应访" in rows[-1][0] and "按统计周期计" in rows[-1][0]
