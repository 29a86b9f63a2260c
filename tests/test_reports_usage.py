"""The 服务 and 活动室 report sheets and the SVC_*/ROOM_* indicators (issue #17): values
computed by hand here must match the report; merge recomputes the rates; the masked town
report carries no resident, worker or contact names."""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from helpers import AS_OF, make_context, make_record
from toolkit.check import run_rules
from toolkit.clock import TimeRange
from toolkit.report.indicators import as_map, compute_indicators, period_bounds
from toolkit.report.staff import write_staff_report
from toolkit.report.town import write_town_report
from toolkit.settings import FeeStandard, RoomSetting

D = date
MONEY = Decimal
NAMES = ["张秀英", "李建国", "陈师傅", "施阿姨", "王老伯"]
FEES = (FeeStandard("助餐", "", "份", MONEY("12.00"), D(2026, 1, 1), 2),
        FeeStandard("助洁", "国贸物业", "小时", MONEY("25.00"), D(2026, 1, 1), 3))
# 舞蹈室 open 08:30-11:30 and 13:30-20:30 every day (10 h); 书屋 on 工作日 08:30-20:30 (12 h)
ROOMS = (RoomSetting("舞蹈室", "", (), None, False, ((510, 690), (810, 1230)), 20, 2),
         RoomSetting("书屋", "", ("悦享书屋",), frozenset(), True, ((510, 1230),), None, 3))


def services():
    def s(row, day, item, fee, **kw):
        return make_record("services", row, date=day, item=item,
                           fee=None if fee is None else MONEY(fee), **kw)
    return [
        s(2, D(2026, 11, 2), "助餐", "12", elderly_name="张秀英", provider="国贸物业", quantity=1.0,
          worker="陈师傅", rating="满意"),                                     # compliant
        s(3, D(2026, 11, 3), "助餐", "30", elderly_name="张秀英", provider="国贸物业", quantity=2.0,
          worker="陈师傅", rating="不满意"),                                   # P801 (24 allowed)
        s(4, D(2026, 11, 4), "助洁", "50", elderly_name="李建国", provider="国贸物业", hours=2.0),  # ok
        s(5, D(2026, 11, 5), "助洁", "40", elderly_name="李建国", provider="绿城物业", hours=1.0),  # P802
        s(6, D(2026, 11, 6), "维修", None, elderly_name="李建国", provider="绿城物业"),   # free
        s(7, D(2026, 10, 6), "助餐", "12", elderly_name="张秀英", provider="国贸物业"),   # last month
    ]


def rooms():
    def b(row, day, room, when, attendance, user="怡和舞蹈队", contact="施阿姨"):
        return make_record("rooms", row, date=day, room=room, slot=when, attendance=attendance,
                           user=user, contact=contact)
    return [
        b(2, D(2026, 11, 2), "舞蹈室", TimeRange(540, 660), 15),           # 2 h
        b(3, D(2026, 11, 2), "舞蹈室", TimeRange(600, 690), 10),           # overlaps: +0.5 h
        b(4, D(2026, 11, 9), "舞蹈室", TimeRange(None, None), 12),         # 全天: 10 h
        b(5, D(2026, 11, 18), "悦享书屋", TimeRange(810, 1020), 6, contact="王老伯"),  # 3.5 h
    ]


def context():
    ctx = make_context(*services(), *rooms(), as_of=AS_OF)
    ctx.settings = replace(ctx.settings, committee="松和居委", fees=FEES, rooms=ROOMS)
    return ctx


def test_indicators_computed_by_hand():
    ctx = context()
    start, end, _ = period_bounds(AS_OF, "month")            # 2026-11-01 .. 11-30, cut-off 11-23
    m = as_map(compute_indicators(ctx, run_rules(ctx), period_start=start, period_end=end))
    assert m["SVC_COUNT"].value == 5
    # charged and checkable: rows 2 (ok), 3 (above), 4 (ok), 5 (no standard) → 2/4
    assert (m["SVC_FEE_COMPLIANT_RATE"].numerator, m["SVC_FEE_COMPLIANT_RATE"].denominator) == (2, 4)
    assert m["SVC_FEE_COMPLIANT_RATE"].value == 0.5
    assert m["SVC_UNSATISFIED"].value == 1
    # booked 2.5 + 10 + 3.5 = 16 h; open: 舞蹈室 23 days × 10 h = 230, 书屋 16 working days
    # from 11-01 to 11-23 × 12 h = 192 → 16 / 422
    util = m["ROOM_UTIL_RATE"]
    assert (util.numerator, util.denominator) == (16, 422)
    assert util.value == round(16 / 422, 4)
    assert m["ROOM_ACTIVITIES"].value == 4 and m["ROOM_ATTENDANCE"].value == 43
    assert m["ROOM_IDLE"].value == 0
    items = as_map(compute_indicators(ctx, [], period_start=start, period_end=end), "助餐")
    assert items["SVC_COUNT"].value == 2


def test_staff_report_sheets_match_the_hand_computation(tmp_path):
    ctx = context()
    findings = run_rules(ctx)
    assert sorted(f.code for f in findings if f.code[0] in "PU") == ["P801", "P802", "P803", "U901"]
    path = write_staff_report(tmp_path / "周检查报告.xlsx", ctx, findings, [], period="month")
    wb = openpyxl.load_workbook(path)
    assert {"服务", "活动室"} <= set(wb.sheetnames)
    svc = [[c.value for c in row] for row in wb["服务"].iter_rows()]
    lines = {(r[0], r[1]): r[2:10] for r in svc if r and r[0] in ("助餐", "助洁", "维修")}
    # 收费合计, then the part checked against a standard and what the standard allows for it
    assert lines[("助餐", "国贸物业")] == [2, 2, 42, 42, 36, 1, 0, 1]
    assert lines[("助洁", "国贸物业")] == [1, 1, 50, 50, 50, 0, 0, 0]
    assert lines[("助洁", "绿城物业")] == [1, 1, 40, 0, 0, 0, 1, 0]         # P802: not checked
    rate_row = next(r for r in svc if r and r[0] == "收费合规率")
    assert rate_row[1] == 0.5
    money = [row[4:7] for row in wb["服务"].iter_rows() if row[0].value in ("助餐", "合计")]
    assert money and {c.number_format for cells in money for c in cells} == {"0.00"}   # 元 to the fen
    # several tables on each sheet: no header repeated over the next table on a later page
    assert not wb["服务"].print_title_rows and not wb["活动室"].print_title_rows
    room = {r[0]: r for r in ([c.value for c in row] for row in wb["活动室"].iter_rows()) if r and r[0]}
    assert room["舞蹈室"][2:7] == [230, 12.5, round(12.5 / 230, 4), 3, 37]
    assert room["书屋"][2:7] == [192, 3.5, round(3.5 / 192, 4), 1, 6]
    assert "各活动室每周利用率" in room


def test_masked_town_report_has_no_resident_worker_or_contact_names(tmp_path):
    ctx = context()
    findings = run_rules(ctx)
    start, end, label = period_bounds(AS_OF, "month")
    indicators = compute_indicators(ctx, findings, period_start=start, period_end=end)
    path = write_town_report(tmp_path / "镇报送表.xlsx", ctx, findings, indicators, period_label=label)
    wb = openpyxl.load_workbook(path)
    text = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                    if c.value is not None)
    assert "活动室利用率" in text and "收费合规率" in text
    assert not [n for n in NAMES if n in text]


def test_merge_sums_counts_and_recomputes_rates_from_hours(tmp_path):
    from toolkit.read.reports import read_town_report
    from toolkit.report.merge import merge_totals
    paths = []
    for name, cut in (("甲居委", 4), ("乙居委", 2)):
        recs = services() + rooms()[:cut]
        ctx = make_context(*recs, as_of=AS_OF)
        ctx.settings = replace(ctx.settings, committee=name, fees=FEES, rooms=ROOMS)
        start, end, label = period_bounds(AS_OF, "month")
        ind = compute_indicators(ctx, [], period_start=start, period_end=end)
        paths.append(write_town_report(tmp_path / name / "镇报送表.xlsx", ctx, [], ind,
                                       period_label=label))
    totals = as_map(merge_totals([read_town_report(p) for p in paths]))
    assert totals["ROOM_UTIL_RATE"].numerator == 16 + 2.5
    assert totals["ROOM_UTIL_RATE"].denominator == 844
    assert totals["ROOM_UTIL_RATE"].value == round(18.5 / 844, 4)
    assert totals["SVC_COUNT"].value == 10 and totals["ROOM_ACTIVITIES"].value == 6


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_usage_sheets_open_in_libreoffice(tmp_path):
    ctx = context()
    path = write_staff_report(tmp_path / "r.xlsx", ctx, run_rules(ctx), [], period="month")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "r.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "收费合规率" in text and "各活动室每周利用率" in text
        assert "42.00" in text and "36.00" in text                  # fees printed to the fen
        weekly = next(page for page in text.split("\f") if "各活动室每周利用率" in page)
        assert "开放小时" not in weekly          # the rooms table's header is not printed over it


def test_weekly_run_on_the_sample_shows_both_sheets(tmp_path):
    from helpers import SAMPLE, make_workspace
    from toolkit import schema
    from toolkit.automate.weekly import run_weekly
    if not SAMPLE.is_dir():
        pytest.skip("samples/xinze is not in this checkout")
    workspace = make_workspace(tmp_path / "xinze")
    result = run_weekly(workspace, as_of=AS_OF)
    wb = openpyxl.load_workbook(result.outdir / schema.STAFF_REPORT)
    assert {"服务", "活动室"} <= set(wb.sheetnames)
    rooms = {r[0]: r for r in ([c.value for c in row] for row in wb["活动室"].iter_rows()) if r and r[0]}
    assert {"舞蹈室", "乒乓球室", "棋牌室", "书屋", "多功能厅"} <= set(rooms)
    assert rooms["多功能厅"][8] == "是"              # idle: no booking in 30 days
    assert rooms["舞蹈室"][8] == "否"
    town = openpyxl.load_workbook(result.outdir / schema.TOWN_REPORT)
    text = " ".join(str(c.value) for ws in town.worksheets for row in ws.iter_rows() for c in row
                    if c.value is not None)
    assert "收费合规率" in text and "活动室利用率" in text
    names = {str(r.values.get("elderly_name")) for r in _sample_records(workspace, "services")}
    names |= {str(r.values.get("worker")) for r in _sample_records(workspace, "services")}
    names |= {str(r.values.get("contact")) for r in _sample_records(workspace, "rooms")}
    assert not [n for n in names - {"None"} if len(n) >= 2 and n in text]


def _sample_records(workspace, kind):
    from toolkit.pipeline import check
    return check([workspace], as_of=AS_OF).workspace.ledger(kind)


def test_the_current_week_of_the_weekly_utilisation_says_it_is_partial():
    """A Monday run: W48 is one day, not the week (书屋 closed that day read as 0%)."""
    from toolkit.report.usage import weekly_utilisation
    weeks = weekly_utilisation(context())
    assert [w for w, _ in weeks][-2:] == ["2026-W47", "2026-W48（至11-23）"]
    sunday = context()
    sunday.as_of = D(2026, 11, 29)
    assert weekly_utilisation(sunday)[-1][0] == "2026-W48"            # a whole week: no mark


def test_booked_hours_count_only_inside_opening_hours_on_open_days():
    # 书屋 opens on 工作日 08:30-20:30: a Sunday booking and the part after 20:30 are U902,
    # not use; 舞蹈室 is closed 11:30-13:30, so 10:00-14:00 uses 2 h
    recs = [make_record("rooms", 2, date=D(2026, 11, 15), room="书屋", slot=TimeRange(540, 720),
                        user="读书会"),                                    # Sunday: 0
            make_record("rooms", 3, date=D(2026, 11, 16), room="书屋", slot=TimeRange(1140, 1290),
                        user="读书会"),                                    # 19:00-21:30: 1.5 h
            make_record("rooms", 4, date=D(2026, 11, 17), room="舞蹈室", slot=TimeRange(600, 840),
                        user="怡和舞蹈队")]                                # 2 h
    ctx = make_context(*recs, as_of=AS_OF)
    ctx.settings = replace(ctx.settings, fees=FEES, rooms=ROOMS)
    from toolkit.domain.services_rooms import room_use
    uses = {u.room.name: u for u in room_use(ctx, D(2026, 11, 15), D(2026, 11, 17))}
    assert uses["书屋"].booked == 90 and uses["书屋"].activities == 2
    assert uses["舞蹈室"].booked == 120
    assert sorted(f.code for f in run_rules(ctx) if f.code == "U902") == ["U902"] * 3
    # a week booked 全天 every day never exceeds 100%
    full = [make_record("rooms", 10 + i, date=D(2026, 11, 16 + i), room="书屋",
                        slot=TimeRange(None, None), user="读书会") for i in range(7)]
    ctx = make_context(*full, as_of=AS_OF)
    ctx.settings = replace(ctx.settings, rooms=ROOMS)
    [_, shu] = room_use(ctx, D(2026, 11, 16), D(2026, 11, 22))
    assert shu.booked == shu.open == 5 * 12 * 60 and shu.rate == 1.0


def test_an_item_not_in_the_list_counts_in_the_total_only_and_in_no_fee_check():
    extra = make_record("services", 9, date=D(2026, 11, 7), item="送餐", fee=MONEY("12"),
                        elderly_name="张秀英", provider="国贸物业")
    ctx = make_context(*services(), extra, *rooms(), as_of=AS_OF)
    ctx.settings = replace(ctx.settings, committee="松和居委", fees=FEES, rooms=ROOMS)
    start, end, _ = period_bounds(AS_OF, "month")
    indicators = compute_indicators(ctx, [], period_start=start, period_end=end)
    m = as_map(indicators)
    assert m["SVC_COUNT"].value == 6                                  # total: yes
    assert (m["SVC_FEE_COMPLIANT_RATE"].numerator, m["SVC_FEE_COMPLIANT_RATE"].denominator) == (2, 4)
    assert not [i for i in indicators if i.group == "送餐"]            # no group of its own
