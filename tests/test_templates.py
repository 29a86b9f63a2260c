"""Blank ledger templates and the settings workbook: read back with openpyxl, opened by
LibreOffice, kept in step with the committed files in templates/, and filled → read back."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from decimal import Decimal

from toolkit.clock import TimeRange
from openpyxl.utils import column_index_from_string, get_column_letter

from toolkit import schema
from toolkit.errors import UsageError
from toolkit.read import read_workspace
from toolkit.report.templates import (TEMPLATE_AS_OF, TEMPLATE_ROWS, display_width,
                                      write_all_templates, write_settings, write_template)
from toolkit.settings import Category, DutyStaff, Settings
from toolkit.workdays import Days

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "templates"
AS_OF = date(2026, 11, 23)


def _load(path: Path):
    return openpyxl.load_workbook(path)


def _validations(ws) -> dict[str, object]:
    """First column letter of each validation range → the validation."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        first = str(dv.sqref).split()[0].split(":")[0]
        found[first.rstrip("0123456789")] = dv
    return found


def _column_dimension(ws, letter: str):
    """The column dimension covering ``letter`` (xlsxwriter groups equal neighbours)."""
    index = column_index_from_string(letter)
    for dim in list(ws.column_dimensions.values()):
        if dim.min is not None and dim.min <= index <= dim.max:
            return dim
    raise AssertionError(f"no width/format set for column {letter}")


def _list_items(dv) -> list[str]:
    return dv.formula1.strip('"').split(",")


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("templates")
    paths = write_all_templates(out, as_of=TEMPLATE_AS_OF)
    return dict(zip(schema.TEMPLATE_KINDS, paths))


@pytest.mark.parametrize("kind", schema.KINDS)
def test_ledger_template_layout(templates, kind):
    ledger = schema.LEDGERS[kind]
    wb = _load(templates[kind])
    assert wb.sheetnames == [ledger.sheet, schema.GUIDE_SHEET]
    ws = wb[ledger.sheet]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in ledger.template_columns]
    # only the spec's columns: the roster's 结对老人 is read from clerks' books, never invited
    # (the pairing belongs in the elderly ledger's 结对志愿者)
    assert "结对老人" not in headers
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(ledger.template_columns))}1"
    # print setup: A4 landscape, one page wide, header row repeated, page numbers
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight in (0, "0")
    assert ws.print_title_rows == "$1:$1"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    for index, column in enumerate(ledger.template_columns, start=1):
        cell = ws.cell(1, index)
        red = cell.font.color is not None and cell.font.color.rgb == "FFC00000"
        assert red == (column.required == schema.ALWAYS), column.header
        assert cell.font.b
        dim = _column_dimension(ws, get_column_letter(index))
        assert dim.width >= display_width(column.header) + 2, column.header


@pytest.mark.parametrize("kind", schema.KINDS)
def test_ledger_template_validations(templates, kind):
    ledger = schema.LEDGERS[kind]
    ws = _load(templates[kind])[ledger.sheet]
    dvs = _validations(ws)
    settings = Settings()
    for index, column in enumerate(ledger.template_columns, start=1):
        letter = get_column_letter(index)
        dv = dvs[letter]                      # every column has at least an input hint
        assert str(dv.sqref) == f"{letter}2:{letter}{TEMPLATE_ROWS}"
        assert dv.promptTitle == column.header and dv.prompt
        assert schema.REQUIRED_LABELS[column.required] in dv.prompt
        choices = settings.choices(column)
        if column.type == schema.ENUM and choices:
            assert dv.type == "list" and _list_items(dv) == list(choices)
            assert dv.error
        elif column.type == schema.BOOL:
            assert dv.type == "list" and _list_items(dv) == list(schema.BOOL_CHOICES)
        elif column.type == schema.DATE:
            assert dv.type == "date" and dv.error
        elif column.type == schema.INT:
            assert dv.type == "whole" and dv.error
        elif column.type == schema.NUMBER:
            assert dv.type == "decimal"
        if column.type in (schema.PHONE, schema.IDNUM):
            assert _column_dimension(ws, letter).number_format == "@"
        if column.type == schema.DATE:
            assert _column_dimension(ws, letter).number_format == "yyyy-mm-dd"


def test_requests_estate_without_settings_has_hint_not_list(templates):
    ws = _load(templates["requests"])["诉求台账"]
    letter = get_column_letter(schema.REQUESTS.keys.index("estate") + 1)
    dv = _validations(ws)[letter]
    assert dv.type is None                   # "any": hint only, every 小区 accepted
    assert schema.SETTINGS_FILE in dv.prompt


@pytest.mark.parametrize("kind", schema.KINDS)
def test_guide_sheet_explains_every_column(templates, kind):
    ledger = schema.LEDGERS[kind]
    ws = _load(templates[kind])[schema.GUIDE_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0][:len(schema.GUIDE_HEADERS)]) == list(schema.GUIDE_HEADERS)
    body = rows[1:1 + len(ledger.template_columns)]
    for column, row in zip(ledger.template_columns, body):
        header, required, type_label, _choices, note, example = row[:6]
        assert header == column.header
        assert required == schema.REQUIRED_LABELS[column.required]
        assert type_label == schema.TYPE_LABELS[column.type]
        if column.note:
            assert column.note in (note or "")
        assert (example or "") == column.example
    texts = [r[0] for r in rows if r[0]]
    assert schema.GUIDE_FOOTNOTES[0] in texts


def test_meetings_guide_does_not_promise_a_work_order_for_m701(templates):
    """rules.md/docs/council.md: M701 (no meeting in the period) is not dispatched; only
    M702–M704 become the 议事会落实 work order."""
    ws = _load(templates["meetings"])[schema.GUIDE_SHEET]
    texts = [str(r[0]) for r in ws.iter_rows(values_only=True) if r[0]]
    [line] = [t for t in texts if "议事会落实" in t]
    assert "上个月没开会，都会列进" not in line and "没开会只在检查结果里提示，不派单" in line


def test_settings_choices_reach_the_dropdowns(tmp_path):
    settings = Settings(estates=("松和苑", "咏泽苑"),
                        categories=(Category("加装电梯", "物业经理", 20), Category("其他")))
    path = write_template("requests", tmp_path / "r.xlsx", as_of=AS_OF, settings=settings)
    dvs = _validations(_load(path)["诉求台账"])
    estate = dvs[get_column_letter(schema.REQUESTS.keys.index("estate") + 1)]
    category = dvs[get_column_letter(schema.REQUESTS.keys.index("category") + 1)]
    assert _list_items(estate) == ["松和苑", "咏泽苑"]
    assert _list_items(category) == ["加装电梯", "其他"]
    assert category.errorStyle == "warning"       # a settings list: Excel asks, does not refuse
    path = write_template("volunteers", tmp_path / "v.xlsx", as_of=AS_OF, settings=settings)
    dvs = _validations(_load(path)["志愿者名册"])
    served = dvs[get_column_letter(schema.VOLUNTEERS.keys.index("estates") + 1)]
    assert _list_items(served) == ["松和苑", "咏泽苑", schema.ALL_ESTATES]
    assert served.errorStyle == "information"     # multi: several values may be typed


def test_long_estate_list_goes_to_hidden_sheet(tmp_path):
    estates = tuple(f"第{i}小区名称比较长的小区" for i in range(40))
    path = write_template("elderly", tmp_path / "e.xlsx", as_of=AS_OF,
                          settings=Settings(estates=estates))
    wb = _load(path)
    assert wb.sheetnames[-1] == schema.OPTIONS_SHEET
    assert wb[schema.OPTIONS_SHEET].sheet_state == "hidden"
    options = [r[0] for r in wb[schema.OPTIONS_SHEET].iter_rows(values_only=True)]
    assert tuple(options) == estates
    dv = _validations(wb["老年人台账"])[get_column_letter(schema.ELDERLY.keys.index("estate") + 1)]
    assert schema.OPTIONS_SHEET in dv.formula1 and "$A$1:$A$40" in dv.formula1


def test_unknown_kind_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError) as err:
        write_template("residents", tmp_path / "x.xlsx", as_of=AS_OF)
    assert "requests" in err.value.message("en")
    assert not (tmp_path / "x.xlsx").exists()


def test_existing_file_is_never_replaced_unless_asked(tmp_path):
    target = tmp_path / "诉求台账.xlsx"
    target.write_bytes(b"staff ledger")
    for kind in ("requests", "settings"):
        with pytest.raises(UsageError):
            write_template(kind, target, as_of=AS_OF)
        assert target.read_bytes() == b"staff ledger"
    write_template("requests", target, as_of=AS_OF, overwrite=True)
    assert _load(target).sheetnames[0] == "诉求台账"


def test_settings_template_has_every_sheet_and_default(templates):
    wb = _load(templates["settings"])
    assert wb.sheetnames == list(schema.SETTINGS_SHEETS)
    basic = {r[0]: r[1] for r in wb[schema.SET_BASIC].iter_rows(min_row=2, values_only=True)}
    assert list(basic) == [label for label, _, _ in schema.SET_BASIC_ROWS]
    assert basic["周检查时间"] == "周一 08:30"
    head = next(wb[schema.SET_CATEGORIES].iter_rows(max_row=1, max_col=4, values_only=True))
    assert head == ("类别", "默认责任人", "跟进人", "办理时限(工作日)")
    cats = list(wb[schema.SET_CATEGORIES].iter_rows(min_row=2, max_col=4, values_only=True))
    assert [c[0] for c in cats] == list(schema.CATEGORIES)
    assert all(c[1] is None and c[2] is None and c[3] == 15 for c in cats)
    limits = {r[0]: r[1] for r in wb[schema.SET_LIMITS].iter_rows(min_row=2, values_only=True)}
    assert limits == {"分类时限": 2, "分派时限": 3, "答复时限": 3, "先行联系时限": 1}
    tiers = list(wb[schema.SET_INTERVALS].iter_rows(min_row=2, max_col=3, values_only=True))
    assert [(t, d) for t, _, d in tiers] == [("A", 7), ("B", 30), ("C", 90)]
    assert all(cond for _, cond, _ in tiers)
    thresholds = {r[0]: r[1] for r in wb[schema.SET_THRESHOLDS].iter_rows(min_row=2, values_only=True)}
    assert thresholds == {"高血压收缩压": 140, "高血压舒张压": 90, "高龄高血压收缩压": 150,
                          "危急收缩压": 180, "危急舒张压": 110,
                          "低血压收缩压": 90, "低血压舒张压": 60, "志愿者每周上限": 5,
                          "每名志愿者结对上限": 5, "高龄年龄": 80}
    report = {r[0]: r[1] for r in wb[schema.SET_REPORTING].iter_rows(min_row=2, values_only=True)}
    assert report == {"脱敏": "是", "报送周期": "月"}
    estates = wb[schema.SET_ESTATES]
    assert estates["A1"].value == "小区" and estates["A2"].value is None
    assert estates["C2"].value == schema.SET_SHEET_HINTS[schema.SET_ESTATES]


def test_write_settings_round_trips_a_filled_settings(tmp_path):
    from toolkit.read.settings import read_settings
    from datetime import time
    settings = Settings(committee="莘泽居民区", town="莘庄镇", reporter="陈敏", reporter_phone="021-57651234",
                        schedule_weekday=2, schedule_time=time(9, 5), estates=("松和苑", "咏泽苑"),
                        categories=(Category("加装电梯", "物业经理", 20), Category("其他", "", None)),
                        classify_days=1, assign_days=4, reply_days=5,
                        intervals={"A": 5, "B": 20, "C": 60},
                        duty=(DutyStaff("陈敏", "13812345678", frozenset({0, 2})),),
                        holidays={date(2027, 1, 1): False, date(2027, 2, 20): True},
                        mask=False, period="week")
    path = write_settings(tmp_path / schema.SETTINGS_FILE, settings, as_of=AS_OF)
    back, findings = read_settings(path)
    assert findings == []
    assert back == settings


def test_templates_are_byte_reproducible(tmp_path):
    a = write_template("requests", tmp_path / "a.xlsx", as_of=TEMPLATE_AS_OF)
    b = write_template("requests", tmp_path / "b.xlsx", as_of=TEMPLATE_AS_OF)
    assert a.read_bytes() == b.read_bytes()


def _content(path: Path) -> dict:
    """What a template says, read back: sheets, cell values, validations, layout."""
    wb = _load(path)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = {
            "state": ws.sheet_state,
            "cells": [list(r) for r in ws.iter_rows(values_only=True)],
            "validations": sorted((str(dv.sqref), dv.type, dv.formula1, dv.formula2, dv.prompt,
                                   dv.error, dv.errorStyle) for dv in ws.data_validations.dataValidation),
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "widths": sorted((d.min, d.max, d.width, d.number_format)
                             for d in ws.column_dimensions.values() if d.min),
        }
    return out


@pytest.mark.parametrize("kind", schema.TEMPLATE_KINDS)
def test_committed_templates_match_the_schema(templates, kind):
    committed = COMMITTED / schema.TEMPLATE_FILES[kind]
    assert committed.exists(), "run: python -m toolkit.report.templates templates/"
    assert _content(committed) == _content(templates[kind]), (
        f"templates/{committed.name} is out of date; regenerate with "
        "python -m toolkit.report.templates templates/")


@pytest.mark.libreoffice
def test_templates_open_in_libreoffice(templates, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    files = [str(p) for p in templates.values()]
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *files], check=True, capture_output=True, timeout=180)
    for path in templates.values():
        pdf = out / (path.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, pdf.name


# ---------------------------------------------------------------------------------------
# round trip: fill each template as staff would, read it with the ledger reader

SAMPLE_ROWS = {
    "requests": [
        {"id": "SQ-2026-001", "received": date(2026, 11, 3), "source": "议事会", "resident": "王阿姨",
         "phone": "13812345678", "estate": "松和苑", "address": "12号301室",
         "content": "楼下电动自行车乱停放", "category": "电动自行车停放",
         "classified": date(2026, 11, 4), "assignee": "物业经理", "assigned": date(2026, 11, 5),
         "due": date(2026, 11, 26), "resolved": date(2026, 11, 20), "resolution": "已划定停放区",
         "replied": date(2026, 11, 21), "reply_method": "电话", "satisfaction": "满意", "status": "已答复"},
        {"id": "SQ-2026-002", "received": date(2026, 11, 10), "source": "来电", "estate": "咏泽苑",
         "content": "健身器材损坏"},
    ],
    "elderly": [
        {"id": "LR-001", "name": "张秀英", "gender": "女", "birth": date(1941, 5, 12),
         "id_number": "31011719410512002X", "estate": "松和苑", "address": "12号301室",
         "phone": "57651234", "emergency_contact": "张伟", "emergency_phone": "13912345678",
         "lives_alone": True, "hardship": ("低保", "空巢"), "needs": ("量血压", "代配药"),
         "volunteer": "ZY-001", "status": "在册"},
        {"id": "LR-002", "name": "李建国", "age": 78, "estate": "咏泽苑", "address": "3号102室",
         "lives_alone": False},
    ],
    "volunteers": [
        {"id": "ZY-001", "name": "李红", "phone": "13812345678", "team": "党员志愿者",
         "estates": ("松和苑", "咏泽苑"), "skills": ("巡访", "量血压"), "availability": frozenset(range(5)),
         "capacity": 5, "certificate": "养老护理员（四级）", "certificate_expiry": date(2027, 6, 30),
         "active": True},
    ],
    "visits": [
        {"date": date(2026, 11, 20), "elderly_id": "LR-001", "elderly_name": "张秀英",
         "volunteer": "ZY-001", "service": ("巡访", "量血压"), "outcome": "正常",
         "blood_pressure": (135, 85), "medication": "按时服药", "follow_up": False, "hours": 0.5},
    ],
    # issue #17
    "services": [
        {"date": date(2026, 11, 20), "elderly_id": "LR-001", "elderly_name": "张秀英", "item": "助餐",
         "provider": "国贸物业", "worker": "陈师傅", "quantity": 2.0, "fee": Decimal("24.00"),
         "paid": True, "rating": "满意"},
        {"date": date(2026, 11, 21), "elderly_name": "李建国", "item": "助洁", "hours": 1.5,
         "fee": Decimal("37.50")},
    ],
    "rooms": [
        {"date": date(2026, 11, 20), "room": "舞蹈室", "slot": TimeRange(540, 660),
         "estate": "松和苑", "user": "怡和舞蹈队", "activity": "排舞练习", "attendance": 15,
         "contact": "施阿姨"},
        {"date": date(2026, 11, 21), "room": "棋牌室", "slot": TimeRange(810, 1020), "contact": "王老伯"},
    ],
    "meetings": [
        {"date": date(2026, 11, 5), "meeting": "居民议事会", "attendees": ("网格长", "楼组长", "物业经理"),
         "topic": "3号楼电动自行车充电难", "request_id": "SQ-2026-031", "decision": "物业在车棚加装充电桩",
         "owner": "物业经理", "feedback_date": date(2026, 11, 20), "feedback": "充电桩已装好，会上通报"},
        {"date": date(2026, 11, 12), "meeting": "楼组议事会", "topic": "冬季防火安全宣传",
         "request_id": "通报"},
    ],
}


def _cell_value(column: schema.Column, value):
    """How staff would type ``value`` into the template."""
    if value is None:
        return None
    if column.type == schema.BOOL:
        return "是" if value else "否"
    if column.type == schema.BP:
        return f"{value[0]}/{value[1]}"
    if column.type == schema.DAYS:
        return "周一至周五" if value == frozenset(range(5)) else "、".join(
            schema.WEEKDAY_NAMES[d] for d in sorted(value))
    if column.type == schema.MULTI:
        return "、".join(value)
    if column.type in (schema.MONEY, schema.TIME_RANGE):
        return str(value)
    return value


@pytest.mark.parametrize("kind", schema.KINDS)
def test_filled_template_reads_back_exactly(tmp_path, kind):
    ledger = schema.LEDGERS[kind]
    settings = Settings(estates=("松和苑", "咏泽苑"))
    folder = tmp_path / "ws"
    path = write_template(kind, folder / schema.LEDGER_FILES[kind], as_of=AS_OF, settings=settings)
    wb = _load(path)
    ws = wb[ledger.sheet]
    for r, sample in enumerate(SAMPLE_ROWS[kind], start=2):
        for c, column in enumerate(ledger.template_columns, start=1):
            value = _cell_value(column, sample.get(column.key))
            if value is not None:
                ws.cell(r, c, value)
    wb.save(path)
    workspace = read_workspace([folder], as_of=AS_OF)
    records = workspace.ledger(kind)
    assert [r.row for r in records] == list(range(2, 2 + len(SAMPLE_ROWS[kind])))
    for record, sample in zip(records, SAMPLE_ROWS[kind]):
        got = {k: v for k, v in record.values.items() if v is not None}
        expected = {k: v for k, v in sample.items() if v is not None}
        if kind == "elderly" and "age" not in sample and "birth" in sample:
            got.pop("age", None)              # derived from the birth date
        got = {k: (Days.of(v) if k == "availability" else v) for k, v in got.items()}
        expected = {k: (Days.of(v) if k == "availability" else v) for k, v in expected.items()}
        assert got == expected
        assert not record.invalid
    assert not [f for f in workspace.findings if f.severity == "error"], workspace.findings


def test_meetings_template_offers_without_interrupting_and_hints_what_is_there(tmp_path):
    """诉求编号 and 落实人 suggest a few words but a typed id or name is the usual entry: no
    "不在下拉列表中" pop-up each time; 参会人员 has no list, so its hint mentions none."""
    path = write_template("meetings", tmp_path / "m.xlsx", as_of=AS_OF)
    dvs = _validations(_load(path)["议事会记录"])
    column = lambda key: dvs[get_column_letter(schema.MEETINGS.keys.index(key) + 1)]  # noqa: E731
    for key in ("request_id", "owner"):
        assert _list_items(column(key)) and column(key).showErrorMessage in (False, None)
    attendees = column("attendees")
    assert "下拉" not in attendees.prompt and "、" in attendees.prompt
