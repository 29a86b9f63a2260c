"""Privacy: resident ID numbers, phones and names never leave the staff's own files.

The weekly job runs on the sample workspace (two weeks, then the scheduler once); then every
cell and every XML part of 镇报送表.xlsx, every log line and every byte of the history
database is scanned for every name, phone and ID number in the ledgers. Also: output paths
never come from settings text unsanitised (``safe_name``).
"""
from __future__ import annotations

import re
import sqlite3
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import make_workspace
from toolkit import schema
from toolkit.automate.history import RESTORE_FIELDS
from toolkit.automate.schedule import Scheduler
from toolkit.automate.weekly import history_path, run_weekly, state_dir
from toolkit.cli import cli
from toolkit.read import read_workspace
from toolkit.report.writer import MAX_NAME, safe_name
from toolkit.settings import Settings

AS_OF = date(2026, 11, 23)
WEEK = "2026-W48"
SENSITIVE = {  # kind → keys holding personal data (names, phones, ID numbers)
    "elderly": ("name", "id_number", "phone", "emergency_contact", "emergency_phone"),
    "volunteers": ("name", "phone"),
    "requests": ("resident", "phone"),
    "visits": ("elderly_name",),
}
PHONE_KEYS = {"phone", "emergency_phone"}
NAME_KEYS = {"name", "resident", "emergency_contact", "elderly_name"}


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def personal_data(workspace: Path) -> dict[str, set[str]]:
    """Every name, phone and ID number in the ledgers, as typed and as normalised."""
    ws = read_workspace([workspace], as_of=AS_OF)
    found = {"name": set(), "phone": set(), "id_number": set()}
    for kind, keys in SENSITIVE.items():
        for record in ws.ledger(kind):
            for key in keys:
                group = "name" if key in NAME_KEYS else "phone" if key in PHONE_KEYS else key
                for value in (record.values.get(key), record.raw(key)):
                    if isinstance(value, float) and value.is_integer():
                        value = str(int(value))
                    if isinstance(value, str) and len(value.strip()) >= 2:
                        found[group].add(value.strip())
    found["phone"] = {p for p in found["phone"] if len(digits(p)) >= 7}
    return found


def leaks(text: str, data: dict[str, set[str]], groups=("name", "phone", "id_number")) -> list:
    out = []
    flat = digits(text)
    for group in groups:
        for value in data[group]:
            if value in text:
                out.append((group, value))
            elif group != "name" and len(digits(value)) >= 7 and digits(value) in flat:
                out.append((group, value))
    return out


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """The sample after two weekly runs and one scheduled run (which writes the log)."""
    workspace = make_workspace(tmp_path_factory.mktemp("privacy") / "ws", AS_OF)
    run_weekly(workspace, as_of=date(2026, 11, 16))
    result = CliRunner().invoke(cli, ["weekly", str(workspace), "--as-of", AS_OF.isoformat(),
                                      "--quiet"])
    assert result.exit_code in (0, 1), result.output
    scheduler = Scheduler(workspace, lambda day: run_weekly(workspace, as_of=day).summary_line())
    assert scheduler.run_once(datetime(2026, 11, 23, 8, 30)) is True
    return workspace, personal_data(workspace)


def test_the_sample_has_personal_data_to_find(ran):
    _, data = ran
    assert len(data["name"]) > 20 and len(data["phone"]) > 10 and len(data["id_number"]) > 5


def test_the_scan_finds_personal_data_where_it_belongs(ran):
    """Control: the staff report may show names and phones, and the scan does find them."""
    import openpyxl

    workspace, data = ran
    staff = openpyxl.load_workbook(workspace / schema.REPORTS_DIR / WEEK / schema.STAFF_REPORT)
    text = " ".join(str(c.value) for ws in staff.worksheets for row in ws.iter_rows()
                    for c in row if c.value is not None)
    groups = {group for group, _ in leaks(text, data)}
    assert "name" in groups


def test_town_report_cells_hold_no_personal_data(ran):
    import openpyxl

    workspace, data = ran
    town = workspace / schema.REPORTS_DIR / WEEK / schema.TOWN_REPORT
    wb = openpyxl.load_workbook(town)
    found = []
    for ws in wb.worksheets:
        found += [(ws.title, "title", hit) for hit in leaks(ws.title, data)]
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    found += [(ws.title, cell.coordinate, hit) for hit in leaks(str(cell.value), data)]
    assert found == []


def test_town_report_parts_hold_no_personal_data(ran):
    """Every XML part (headers/footers, comments, properties, charts, defined names)."""
    workspace, data = ran
    town = workspace / schema.REPORTS_DIR / WEEK / schema.TOWN_REPORT
    with zipfile.ZipFile(town) as zf:
        for name in zf.namelist():
            text = zf.read(name).decode("utf-8", errors="replace")
            assert leaks(text, data, groups=("name", "id_number")) == [], name
            # phones: digits only inside text nodes (XML attributes hold numbers of their own)
            nodes = " ".join(re.findall(r">([^<]+)<", text))
            assert leaks(nodes, data, groups=("phone",)) == [], name


def test_town_summary_and_its_csv_hold_no_personal_data(ran, tmp_path):
    """镇汇总 (every cell, the by-小区 and by-来源 rows included) and the --csv long table."""
    import openpyxl

    from toolkit.report.merge import merge_reports
    workspace, data = ran
    town = workspace / schema.REPORTS_DIR / WEEK / schema.TOWN_REPORT
    summary = merge_reports([town], tmp_path / "镇汇总.xlsx", as_of=AS_OF,
                            csv=tmp_path / "镇汇总.csv")
    cells = [str(c.value) for ws in openpyxl.load_workbook(summary).worksheets
             for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(v.startswith(schema.ESTATE_GROUP) for v in cells)       # the new cells are there
    assert [hit for v in cells for hit in leaks(v, data)] == []
    text = (tmp_path / "镇汇总.csv").read_text("utf-8-sig")
    assert "REQ_BY_SOURCE" in text and leaks(text, data) == []


def test_logs_hold_no_personal_data(ran):
    workspace, data = ran
    logs = sorted((state_dir(workspace) / "logs").glob("*"))
    assert logs, "the scheduled run wrote no log"
    lines = [line for log in logs for line in log.read_text("utf-8").splitlines()]
    assert any("完成" in line for line in lines)
    for line in lines:
        assert leaks(line, data) == [], line


def test_history_holds_no_id_numbers_or_phones(ran):
    """Not in any table, and not in the file's bytes (free pages included)."""
    workspace, data = ran
    raw = history_path(workspace).read_bytes()
    text = raw.decode("utf-8", errors="replace")
    assert leaks(text, data, groups=("id_number", "phone")) == []


def test_history_keeps_names_only_where_h601_needs_them(ran):
    workspace, data = ran
    with sqlite3.connect(history_path(workspace)) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            columns = [c[1] for c in conn.execute(f"PRAGMA table_info({table})")]
            for row in conn.execute(f"SELECT * FROM {table}"):
                for column, value in zip(columns, row):
                    if table in ("records", "vanished") and column == "restore":
                        continue
                    assert leaks(str(value), data, groups=("name",)) == [], (table, column)
        for kind, restore in conn.execute("SELECT kind, restore FROM records UNION ALL "
                                          "SELECT kind, restore FROM vanished"):
            import json
            # where it was, the week it was last read, how many rows had the id (D107)
            kept = set(json.loads(restore)) - {"file", "sheet", "row", "week", "copies"}
            assert kept <= set(RESTORE_FIELDS[kind])
            assert not kept & {"id_number", "phone", "emergency_phone", "emergency_contact"}


def test_failed_run_log_holds_no_personal_data(tmp_path):
    workspace = tmp_path / "ws"
    workspace.mkdir()

    def job(day):
        raise ValueError("cannot parse '张秀英 13812345678'")

    scheduler = Scheduler(workspace, job)
    assert scheduler.run_once(datetime(2026, 11, 23, 8, 30)) is False
    text = "".join(p.read_text("utf-8") for p in (state_dir(workspace) / "logs").glob("*"))
    assert "失败" in text
    assert "13812345678" not in text and "张秀英" not in text


# ---------------------------------------------------------------------------------------
# paths from settings text

def test_settings_text_never_becomes_a_path(tmp_path):
    """居委名称/所属街镇 such as ``../../逃逸/CON``: every file the run makes stays inside the
    workspace's 报表/<week>/ and .shequ/ folders."""
    from toolkit.report.templates import write_settings

    workspace = make_workspace(tmp_path / "ws", AS_OF)
    evil = "../../逃逸/CON"
    write_settings(workspace / schema.SETTINGS_FILE,
                   replace(Settings(), committee=evil, town="..\\..\\NUL"), as_of=AS_OF)
    before = {p for p in tmp_path.rglob("*")}
    result = CliRunner().invoke(cli, ["weekly", str(workspace), "--as-of", AS_OF.isoformat(),
                                      "--quiet"])
    assert result.exit_code in (0, 1), result.output
    made = {p for p in tmp_path.rglob("*")} - before
    allowed = (workspace / schema.REPORTS_DIR, workspace / schema.STATE_DIR)
    for path in made:
        assert any(path == a or a in path.parents for a in allowed), path
    assert not (tmp_path / "逃逸").exists()


names = st.text(st.characters(), max_size=120)


@settings(max_examples=300, deadline=None)
@given(names)
def test_safe_name_is_one_harmless_component(text):
    name = safe_name(text)
    assert name and len(name) <= MAX_NAME
    assert "/" not in name and "\\" not in name and ".." not in name
    assert not name.startswith(".") and not name.endswith((".", " "))
    assert not any(ch in name for ch in '<>:"|?*') and all(ord(ch) >= 32 for ch in name)
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in name)
    base = name.split(".")[0].rstrip().upper()
    assert base not in {"CON", "PRN", "AUX", "NUL"} and not re.fullmatch(r"(COM|LPT)[1-9¹²³]", base)
    assert safe_name(name) == name


@settings(max_examples=100, deadline=None)
@given(names)
def test_safe_name_stays_inside_its_folder(text):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / safe_name(text)
        assert path.resolve().parent == Path(tmp).resolve()
        if len(safe_name(text).encode()) <= 255:
            path.write_bytes(b"")
            assert path.exists()


@pytest.mark.parametrize("text, expected", [
    ("莘泽居民区", "莘泽居民区"), ("../../etc/passwd", "____etc_passwd"), ("CON", "_CON"),
    ("nul.txt", "_nul.txt"), ("COM1", "_COM1"), ("..", "_"), ("", "_"), ("a/b\\c", "a_b_c"),
    (".hidden", "_hidden"), ("居委会 ", "居委会"), ("LPT9.xlsx", "_LPT9.xlsx"),
])
def test_safe_name_examples(text, expected):
    assert safe_name(text) == expected


def test_typed_group_labels_never_reach_the_town_report(tmp_path):
    """小区, 类别, 来源 and 服务项目 become group labels of the town report; a value typed outside
    the lists is free text and may carry a name, phone or address, known to the ledgers or not
    (a relative named only in a remark): every such value of a code becomes the one group 清单外,
    on both sheets and in the town summary and its CSV, while listed values stay as they are."""
    import openpyxl

    from toolkit.report.merge import merge_reports
    workspace = make_workspace(tmp_path / "ws", AS_OF)
    if not (workspace / "服务记录.xlsx").exists():
        pytest.skip("needs the sample's ledgers")
    elderly = openpyxl.load_workbook(workspace / "老年人台账.xlsx")
    roll = elderly["花名册"]
    people = [(roll.cell(r, 3).value, str(roll.cell(r, 10).value), str(roll.cell(r, 6).value))
              for r in (5, 6, 7, 8)]
    roll.cell(5, 8).value = f"{people[0][0]}家 {people[0][1]}"                # 小区
    elderly.save(workspace / "老年人台账.xlsx")
    stranger, home = "钱美凤", "松和苑3号502室"           # in no ledger: no scrubber knows them
    requests = openpyxl.load_workbook(workspace / "诉求台账.xlsx")
    november = [row for ws in requests.worksheets for row in ws.iter_rows(min_row=3)
                if isinstance(row[1].value, datetime) and row[1].value >= datetime(2026, 11, 1)]
    november[0][2].value = f"{people[1][0]}转述{people[1][1]}"                 # 渠道 (来源)
    november[2][2].value = f"{stranger}转述"                                    # 渠道 (来源)
    november[1][8].value = f"其他（{people[2][0]}家）"                          # 诉求类别
    november[3][8].value = f"{stranger}家漏水（{home}）"                        # 诉求类别
    requests.save(workspace / "诉求台账.xlsx")
    services = openpyxl.load_workbook(workspace / "服务记录.xlsx")
    row = next(row for row in services.worksheets[0].iter_rows(min_row=3)
               if isinstance(row[1].value, datetime) and row[1].value >= datetime(2026, 11, 1))
    row[4].value = f"陪诊（{people[3][0]} {people[3][2]}）"                     # 服务项目
    services.save(workspace / "服务记录.xlsx")

    result = CliRunner().invoke(cli, ["report", str(workspace), "--as-of", AS_OF.isoformat(),
                                      "--period", "month", "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code in (0, 1), result.output
    data = personal_data(workspace)
    typed = {people[0][0], people[1][0], people[2][0], people[3][0]}
    assert typed <= data["name"] and people[1][1] in data["phone"]           # the scan knows them
    assert stranger not in data["name"]
    data["name"] |= {stranger, "3号502室", "502室"}
    town = tmp_path / "out" / schema.TOWN_REPORT
    book = openpyxl.load_workbook(town)
    cells = [str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r
             if c.value is not None]
    assert [hit for v in cells for hit in leaks(v, data)] == []
    # a 小区 the settings' list does not hold makes no group at all (indicators._estate_order)
    assert not any(v.startswith(schema.ESTATE_GROUP) and "家 " in v for v in cells)
    assert not any("转述" in v or "漏水" in v for v in cells)
    assert "物业服务" in cells and "清单外" in cells
    rows = {(r[0], r[1]): r[3] for r in book[schema.INDICATOR_SHEET].iter_rows(values_only=True)}
    assert rows[("REQ_BY_SOURCE", "清单外")] == 2                        # both typed 来源 summed
    assert rows[("REQ_RECEIVED", "清单外")] == 2                         # both typed 类别
    summary = merge_reports([town], tmp_path / "镇汇总.xlsx", as_of=AS_OF,
                            csv=tmp_path / "镇汇总.csv")
    merged = [str(c.value) for ws in openpyxl.load_workbook(summary).worksheets
              for r in ws.iter_rows() for c in r if c.value is not None]
    assert [hit for v in merged for hit in leaks(v, data)] == []
    assert leaks((tmp_path / "镇汇总.csv").read_text("utf-8-sig"), data) == []


def test_unlisted_groups_are_one_group_with_rates_recomputed():
    """Every unlisted group of a code becomes one 清单外 group: counts summed, rates recomputed
    from the summed numerators and denominators (never averaged), an unreported part left out;
    listed groups and the 小区 prefix stay."""
    from types import SimpleNamespace

    from toolkit.report.indicators import indicator
    from toolkit.report.town import _masked_groups
    ctx = SimpleNamespace(settings=replace(Settings(), estates=("松和苑",)), ledger=lambda kind: [],
                          rows=lambda kind: [])
    given = [indicator("REQ_BY_SOURCE", 1, group="13812345678"),
             indicator("REQ_BY_SOURCE", 3, group="来电"),
             indicator("REQ_BY_SOURCE", 2, group="钱美凤转述"),
             indicator("REQ_SOLVED_RATE", 1, 2, group="王芳家漏水"),
             indicator("REQ_SOLVED_RATE", 3, 3, group="钱美凤家"),
             indicator("REQ_SOLVED_RATE", None, None, group="赵小红家"),
             indicator("REQ_RECEIVED", 4, group=schema.ESTATE_GROUP + "松和苑"),
             indicator("REQ_RECEIVED", 5, group=schema.ESTATE_GROUP + "松和苑3号邵建军")]
    got = [(i.code, i.group, i.value, i.numerator, i.denominator) for i in _masked_groups(given, ctx)]
    assert got == [("REQ_BY_SOURCE", "清单外", 3, 3, None),
                   ("REQ_BY_SOURCE", "来电", 3, 3, None),
                   ("REQ_SOLVED_RATE", "清单外", 0.8, 4, 5),
                   ("REQ_RECEIVED", schema.ESTATE_GROUP + "松和苑", 4, 4, None),
                   ("REQ_RECEIVED", schema.ESTATE_GROUP + "清单外", 5, 5, None)]


def test_without_an_estate_list_estates_are_scrubbed_not_lumped():
    """No 小区 list in the settings: every 小区 written is a group; each is scrubbed (two that
    mask alike stay two groups: merge refuses one code and group twice), none is lumped."""
    from types import SimpleNamespace

    from toolkit.report.indicators import indicator
    from toolkit.report.town import _masked_groups
    ctx = SimpleNamespace(settings=Settings(), ledger=lambda kind: [], rows=lambda kind: [])
    estate = schema.ESTATE_GROUP
    given = [indicator("REQ_RECEIVED", 1, group=estate + "13812345678"),
             indicator("REQ_RECEIVED", 2, group=estate + "13812305678"),
             indicator("REQ_RECEIVED", 3, group=estate + "松和苑")]
    assert [i.group for i in _masked_groups(given, ctx)] == [
        estate + "138****5678", estate + "138****5678（2）", estate + "松和苑"]


def test_the_town_report_names_no_unread_file(tmp_path):
    """A file that cannot be read is named by the clerk (王建英13700001111老年人台账.xlsx): the town
    report's 未报送 line names its ledger, not the file; the staff report still names it."""
    import openpyxl

    workspace = make_workspace(tmp_path / "ws", AS_OF)
    (workspace / "钱美凤13700001111老年人台账.xlsx").write_bytes(b"not a workbook")
    result = CliRunner().invoke(cli, ["report", str(workspace), "--as-of", AS_OF.isoformat(),
                                      "--period", "month", "-o", str(tmp_path / "out"), "--quiet"])
    assert result.exit_code in (0, 1), result.output

    def text(name):
        book = openpyxl.load_workbook(tmp_path / "out" / name)
        return " ".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r
                        if c.value is not None)
    town = text(schema.TOWN_REPORT)
    assert "文件（老年人台账）本期无法读取" in town
    assert "钱美凤" not in town and "0000" not in town and "1111老年人" not in town
    assert "钱美凤13700001111老年人台账.xlsx" in text(schema.STAFF_REPORT)


def test_groups_the_program_names_build_no_scrubber(monkeypatch):
    """Ledger kinds, tiers, 未分类 and 未填来源 are the program's own group names: they are shown
    as they are, and a community whose typed groups are all on the lists never builds the
    scrubber (it reads every name and phone in the ledgers)."""
    from types import SimpleNamespace

    from toolkit.report import town
    from toolkit.report.indicators import indicator

    def no_scrubber(ctx):
        raise AssertionError("scrubber built for the program's own groups")
    monkeypatch.setattr(town, "_scrubber", no_scrubber)
    ctx = SimpleNamespace(settings=Settings(), ledger=lambda kind: [], rows=lambda kind: [])
    groups = ["visits", "other", "A", "C", schema.UNCLASSIFIED_LABEL[0],
              schema.NO_SOURCE_LABEL[0], schema.SOURCES[0], ""]
    given = [indicator("DQ_ERRORS", n, group=g) for n, g in enumerate(groups)]
    assert [i.group for i in town._masked_groups(given, ctx)] == groups
