"""Blood pressure kept in two columns (高压 | 低压, 收缩压 | 舒张压, under a merged 血压):
read as the one 血压 reading the rules use, named by the 高压 cell (docs/read.md)."""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from toolkit import pipeline
from toolkit.read.headers import classify
from toolkit.read.records import build_records
from toolkit.read.sheets import Grid

AS_OF = date(2026, 11, 23)
VISITS = ["巡访日期", "老人编号", "老人姓名", "志愿者", "服务类型", "巡访情况"]
ROW = ["2026-11-20", "LR-5", "张", "ZY-1", "量血压", "正常"]


def grid(rows, merged=()):
    width = max(len(r) for r in rows)
    return Grid("巡访", [list(r) + [""] * (width - len(r)) for r in rows], list(merged))


def read(rows, merged=()):
    g = grid(rows, merged)
    layout = classify(g)
    assert layout.kind == "visits"
    return layout, build_records(g, layout, file="v.xlsx", as_of=AS_OF)


@pytest.mark.parametrize("high, low", [("高压", "低压"), ("收缩压", "舒张压"),
                                       ("收缩压(mmHg)", "舒张压(mmHg)"), ("收缩压（mmHg）", "舒张压（mmHg）"),
                                       ("血压（高压）", "血压（低压）")])
def test_pair_is_read_as_one_reading(high, low):
    layout, out = read([VISITS + [high, low], ROW + [186.0, 112.0], ROW + ["150", "95mmHg"]])
    assert layout.pairs == {6: (6, 7)}
    assert 7 not in layout.unmapped and not layout.duplicates
    first, second = out.records
    assert first.values["blood_pressure"] == (186, 112)
    assert second.values["blood_pressure"] == (150, 95)
    cell = first.cells["blood_pressure"]
    assert (cell.column, cell.raw) == ("G", "186/112")
    assert cell.header == f"{high}/{low}"
    assert not [f for f in out.findings if f.code in ("D111", "F006", "F005")]


def test_swapped_order_names_the_high_cell():
    _, out = read([VISITS + ["低压", "高压"], ROW + [112.0, 186.0]])
    [r] = out.records
    assert r.values["blood_pressure"] == (186, 112)
    assert r.cells["blood_pressure"].column == "H"
    assert r.cells["blood_pressure"].header == "高压/低压"


def test_pair_under_merged_parent():
    parents = VISITS + ["血压", ""]
    children = [""] * 6 + ["高压", "低压"]
    merged = [(0, c, 1, c) for c in range(6)] + [(0, 6, 0, 7)]
    layout, out = read([parents, children, ROW + ["186", "112"]], merged)
    assert layout.header_rows == (0, 1)
    [r] = out.records
    assert r.row == 3 and r.values["blood_pressure"] == (186, 112)
    assert r.cells["blood_pressure"].column == "G"


def test_pair_under_merged_parent_without_other_headers_merged():
    parents = VISITS + ["血压", ""]
    children = [""] * 6 + ["收缩压", "舒张压"]
    layout, out = read([parents, children, ROW + ["186", "112"]], [(0, 6, 0, 7)])
    [r] = out.records
    assert r.row == 3 and r.values["blood_pressure"] == (186, 112)


def test_one_part_empty_is_an_incomplete_reading():
    _, out = read([VISITS + ["高压", "低压"], ROW + ["186", ""], ROW + ["", "112"], ROW + ["", ""],
                   ROW + ["/", "/"]])
    a, b, c, d = out.records
    assert a.values["blood_pressure"] is None and "blood_pressure" in a.invalid
    assert "blood_pressure" in b.invalid
    assert c.values["blood_pressure"] is None and "blood_pressure" not in c.invalid
    assert "blood_pressure" not in d.invalid
    found = sorted((f.row, f.column, f.message.zh) for f in out.findings if f.code == "D111")
    assert [(row, column) for row, column, _ in found] == [(2, "G"), (3, "G")]
    assert "只填了高压（收缩压）186" in found[0][2] and "低压（舒张压）为空" in found[0][2]
    assert "只填了低压（舒张压）112" in found[1][2]


def test_unreadable_part_is_d111_quoting_both():
    _, out = read([VISITS + ["高压", "低压"], ROW + ["高", "112"]])
    [d111] = [f for f in out.findings if f.code == "D111"]
    assert d111.column == "G" and "高/112" in d111.message.zh


def test_a_part_alone_is_no_reading_and_is_reported():
    layout, out = read([VISITS + ["高压"], ROW + ["186"]])
    assert 6 in layout.unmapped and 6 not in layout.extra     # F006, not silence
    assert not layout.pairs and out.records[0].values.get("blood_pressure") is None


def test_bp_column_and_pair_read_once_per_row():
    """血压 is read where filled; 高压/低压 only where 血压 is empty (never two readings); the
    same reading written in both is read once, silently."""
    layout, out = read([VISITS + ["血压", "高压", "低压"],
                        ROW + ["135/85", "", ""],
                        ROW + ["", "186", "112"],
                        ROW + ["140/90", "140", "90mmHg"]])
    assert layout.mapping[6] == "blood_pressure" and layout.pairs == {6: (7, 8)}
    assert not layout.duplicates and not layout.unmapped
    a, b, c = out.records
    assert a.values["blood_pressure"] == (135, 85) and a.cells["blood_pressure"].column == "G"
    assert b.values["blood_pressure"] == (186, 112)
    assert (b.cells["blood_pressure"].column, b.cells["blood_pressure"].raw) == ("H", "186/112")
    assert b.cells["blood_pressure"].header == "高压/低压"
    assert c.values["blood_pressure"] == (140, 90) and c.cells["blood_pressure"].column == "G"
    assert not [f for f in out.findings if f.code == "D111"]


@pytest.mark.parametrize("pair", [["141", "91"], ["186/112", ""]])
def test_bp_column_and_pair_that_disagree_are_d111_and_unknown(pair):
    """血压 140/90 beside 高压 | 低压 141 | 91 used to read 140/90 silently: the other reading was
    lost (186/112 beside 130/80: a 危急 reading never seen). Now neither is taken: the value is
    unknown (no C305/C306 from it, no later 130/80 clearing an earlier 危急) and D111 names both."""
    _, out = read([VISITS + ["血压", "高压", "低压"], ROW + ["140/90"] + pair])
    [r] = out.records
    assert r.values["blood_pressure"] is None and "blood_pressure" in r.invalid
    [d111] = [f for f in out.findings if f.code == "D111"]
    assert (d111.row, d111.column, d111.header) == (2, "G", "血压")
    want = "141/91" if pair[0] == "141" else "186/112"
    # both kept, as written, for the domain to weigh (a 危急 one is still C306: test_rules_care)
    assert r.alternatives == {"blood_pressure": ((140, 90), tuple(map(int, want.split("/"))))}
    assert f"血压写的是 140/90，高压/低压写的是 {want}，两个读数不一致" in d111.message.zh


def _saved(tmp_path, rows):
    """``rows`` of the visit log saved with openpyxl (error values as error cells, ``=…`` as
    formulas without a cached value: a file never opened in Excel), read end to end."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "巡访"
    for row in rows:
        ws.append(row)
    folder = tmp_path / "ws"
    folder.mkdir()
    wb.save(folder / "巡访记录.xlsx")
    from toolkit.read import read_workspace
    return read_workspace([folder], as_of=AS_OF)


def test_a_part_showing_an_error_value_is_f011_not_half_a_reading(tmp_path):
    """高压 #VALUE! | 低压 112 used to be D111 “只填了低压112，高压为空”: the cell is not empty,
    its formula failed. Now F011 on the reading, quoting what is shown; the value unknown."""
    ws = _saved(tmp_path, [VISITS + ["高压", "低压"],
                           ROW + ["#VALUE!", 112], ROW + [186, "#DIV/0!"], ROW + [130, 80]])
    a, b, c = ws.ledger("visits")
    assert a.values["blood_pressure"] is None and "blood_pressure" in a.invalid
    assert b.values["blood_pressure"] is None and "blood_pressure" in b.invalid
    assert c.values["blood_pressure"] == (130, 80)
    found = [f for f in ws.findings if f.kind == "visits" and f.code in ("D111", "F011", "F007")]
    assert [(f.code, f.row, f.column) for f in found] == [("F011", 2, "G"), ("F011", 3, "G")]
    assert "#VALUE!/112" in found[0].message.zh and "186/#DIV/0!" in found[1].message.zh


def test_a_part_that_is_a_formula_without_its_result_is_f007_not_half_a_reading(tmp_path):
    """A 高压 or 低压 formula never calculated (no cached value) used to give D111 “只填了…”
    and, for 低压, no F007 at all (the column was not a field's own). Now F007 on the part's
    column, the value unknown, no D111."""
    ws = _saved(tmp_path, [VISITS + ["高压", "低压"],
                           ROW + ["=1/0", 112], ROW + [186, "=A2*2"], ROW + [130, 80]])
    a, b, c = ws.ledger("visits")
    assert "blood_pressure" in a.invalid and "blood_pressure" in b.invalid
    assert a.values["blood_pressure"] is None and b.values["blood_pressure"] is None
    assert c.values["blood_pressure"] == (130, 80)
    found = [f for f in ws.findings if f.kind == "visits" and f.code in ("D111", "F011", "F007")]
    assert [(f.code, f.row, f.column, f.header) for f in found] \
        == [("F007", 2, "G", "高压"), ("F007", 3, "H", "低压")]


def test_half_reading_in_one_column():
    _, out = read([VISITS + ["血压"], ROW + ["186/"]])
    [d111] = [f for f in out.findings if f.code == "D111"]
    assert "只填了高压（收缩压）186" in d111.message.zh


# --- end to end: the sample community with its visit log's 血压 split in two ------------------

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "xinze"
VISIT_LOG = "巡访记录.csv"


def _split_rows(swap: bool = False):
    """The sample's visit log with 血压 as 高压 | 低压 (低压 first when ``swap``); every third
    低压 written with its unit (``66mmHg``)."""
    rows = list(csv.reader(io.StringIO((SAMPLE / VISIT_LOG).read_bytes().decode("gbk"))))
    at = rows[0].index("血压")
    out = []
    for n, row in enumerate(rows):
        if n == 0:
            pair = ["高压", "低压"]
        else:
            high, _, low = row[at].partition("/")
            pair = [high, low + ("mmHg" if low and n % 3 == 0 else "")]
        out.append(row[:at] + (pair[::-1] if swap else pair) + row[at + 1:])
    return out, at


def _key(f):
    return (f.code, f.kind, f.row, f.record, f.message.zh)


def _bp_findings_and_orders(folder):
    result = pipeline.check([folder], as_of=AS_OF)
    followups = pipeline.plan(result)
    return result, followups


@pytest.fixture(scope="module")
def original():
    return _bp_findings_and_orders(SAMPLE)


def _lr005_urgent(result, followups, column, header):
    [c306] = [f for f in result.findings if f.code == "C306"]
    assert c306.record == "LR-005" and c306.urgent and "186/112" in c306.message.zh
    assert (c306.column, c306.header) == (column, header)
    [order] = [fu for fu in followups if "C306" in fu.codes]
    assert order.target == "LR-005" and order.priority == "urgent" and order.assignee


def test_sample_with_split_bp_csv(tmp_path, original):
    folder = tmp_path / "xinze"
    shutil.copytree(SAMPLE, folder)
    rows, at = _split_rows()
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    (folder / VISIT_LOG).write_bytes(text.getvalue().encode("gbk"))
    result, followups = _bp_findings_and_orders(folder)
    _lr005_urgent(result, followups, "G", "高压/低压")
    assert Counter(map(_key, result.findings)) == Counter(map(_key, original[0].findings))
    assert [fu.to_dict() for fu in followups] == [fu.to_dict() for fu in original[1]]
    assert not [f for f in result.findings if f.code in ("F005", "F006") and f.kind == "visits"]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_sample_with_split_bp_under_merged_parent_saved_by_libreoffice(tmp_path, original):
    """低压 before 高压 under a merged 血压, the workbook saved by LibreOffice."""
    from openpyxl import Workbook
    folder = tmp_path / "xinze"
    shutil.copytree(SAMPLE, folder)
    (folder / VISIT_LOG).unlink()
    rows, at = _split_rows(swap=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "巡访记录"
    head = rows[0]
    ws.append([h if c not in (at, at + 1) else ("血压" if c == at else None)
               for c, h in enumerate(head)])
    ws.append([None if c not in (at, at + 1) else h for c, h in enumerate(head)])
    for c in range(len(head)):
        if c not in (at, at + 1):
            ws.merge_cells(start_row=1, start_column=c + 1, end_row=2, end_column=c + 1)
    ws.merge_cells(start_row=1, start_column=at + 1, end_row=1, end_column=at + 2)
    for row in rows[1:]:
        ws.append([float(v) if v.isdigit() else (v or None) for v in row])
    made = tmp_path / "made"
    made.mkdir()
    wb.save(made / "巡访记录.xlsx")
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                           "--convert-to", "xlsx", "--outdir", str(folder),
                           str(made / "巡访记录.xlsx")], capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr
    result, followups = _bp_findings_and_orders(folder)
    _lr005_urgent(result, followups, "H", "高压/低压")
    # rows move one down; dates typed as text are D112 in a workbook, the CSV has an F010
    strip = lambda fs: Counter((f.code, f.record) for f in fs if f.code not in ("F010", "D112"))
    assert not [f for f in result.findings if f.code == "D112" and f.header == "高压/低压"]
    assert strip(result.findings) == strip(original[0].findings)
    assert [fu.to_dict() for fu in followups] == [fu.to_dict() for fu in original[1]]


def test_sample_with_two_readings_on_the_critical_row_keeps_the_urgent_recheck(tmp_path, original):
    """The sample's visit log with 高压 | 低压 columns beside 血压, and LR-005's 186/112 row
    written as 血压 130/80 with 186 | 112 beside it: the row's value is unknown (D111
    bp_conflict), and the urgent C306 with its recheck order used to lapse with it. Now C306
    stays on that row naming both readings, the D111 stays, and the report counts the row as
    no reading (neither normal nor abnormal)."""
    folder = tmp_path / "xinze"
    shutil.copytree(SAMPLE, folder)
    rows = list(csv.reader(io.StringIO((SAMPLE / VISIT_LOG).read_bytes().decode("gbk"))))
    at = rows[0].index("血压")
    [n] = [n for n, row in enumerate(rows) if row[at] == "186/112"]
    out = [rows[0] + ["高压", "低压"]] + [row + ["", ""] for row in rows[1:]]
    out[n] = rows[n][:at] + ["130/80"] + rows[n][at + 1:] + ["186", "112"]
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(out)
    (folder / VISIT_LOG).write_bytes(text.getvalue().encode("gbk"))
    result, followups = _bp_findings_and_orders(folder)
    _lr005_urgent(result, followups, "G", "血压")
    [c306] = [f for f in result.findings if f.code == "C306"]
    assert c306.row == n + 1
    assert "同一行写了 130/80 和 186/112 两个血压读数，按危急的 186/112 处理，请马上复测并核对台账" \
        in c306.message.zh
    [d111] = [f for f in result.findings if f.code == "D111" and f.row == n + 1]
    assert "血压写的是 130/80，高压/低压写的是 186/112，两个读数不一致" in d111.message.zh
    # everything else as before but the one more D111 (and the C306's wording)
    strip = lambda fs: Counter((f.code, f.kind, f.row, f.record) for f in fs)
    assert strip(result.findings) - strip(original[0].findings) \
        == Counter({("D111", "visits", n + 1, d111.record): 1})
    assert strip(original[0].findings) - strip(result.findings) == Counter()
    assert [fu.to_dict() for fu in followups] == [fu.to_dict() for fu in original[1]]

    (was_measured, was_abnormal), (now_measured, now_abnormal) = \
        _bp_counts(original[0]), _bp_counts(result)
    assert now_measured == was_measured - 1 and now_abnormal == was_abnormal - 1


@pytest.mark.parametrize("low", ["", "未测"])
def test_sample_with_half_a_critical_reading_keeps_the_urgent_recheck(tmp_path, original, low):
    """The sample's visit log with 血压 as 高压 | 低压, LR-005's 186/112 row written as 高压 190
    with 低压 empty (or 未测): the reading is unknown (D111, as before), and the urgent C306
    with its recheck order used to lapse with it. A systolic of 190 alone is 危急 (rules.md
    C306: ≥ 180 or ≥ 110): now C306 stays on that row, and the row is still no reading."""
    folder = tmp_path / "xinze"
    shutil.copytree(SAMPLE, folder)
    rows, at = _split_rows()
    [n] = [n for n, row in enumerate(rows) if row[at] == "186" and row[at + 1].startswith("112")]
    rows[n][at:at + 2] = ["190", low]
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    (folder / VISIT_LOG).write_bytes(text.getvalue().encode("gbk"))
    result, followups = _bp_findings_and_orders(folder)
    [c306] = [f for f in result.findings if f.code == "C306"]
    assert (c306.record, c306.row, c306.urgent, c306.column) == ("LR-005", n + 1, True, "G")
    assert "的巡访记录只写了高压 190（低压没有写或无法识别），高压已达危急值，按危急处理，" \
           "请马上复测并补全台账" in c306.message.zh
    assert "only the systolic 190" in c306.message.en
    [order] = [fu for fu in followups if "C306" in fu.codes]
    assert (order.target, order.priority, order.type) == ("LR-005", "urgent", "bp_recheck")
    assert order.assignee
    [d111] = [f for f in result.findings if f.code == "D111" and f.row == n + 1]
    assert ("只填了高压（收缩压）190" if not low else "190/未测") in d111.message.zh
    # as before but the one more D111 and the C306's wording; same orders
    strip = lambda fs: Counter((f.code, f.kind, f.row, f.record) for f in fs)
    assert strip(result.findings) - strip(original[0].findings) \
        == Counter({("D111", "visits", n + 1, d111.record): 1})
    assert strip(original[0].findings) - strip(result.findings) == Counter()
    same = lambda fus: [(fu.type, fu.target, fu.priority, fu.assignee) for fu in fus]
    assert same(followups) == same(original[1])

    (was_measured, was_abnormal), (now_measured, now_abnormal) = \
        _bp_counts(original[0]), _bp_counts(result)
    assert now_measured == was_measured - 1 and now_abnormal == was_abnormal - 1


@pytest.mark.parametrize("row, want", [
    (["190", ""], (190, None)), (["190", "未测"], (190, None)), (["190", "低"], (190, None)),
    (["", "120"], (None, 120)), (["高", "120"], (None, 120)), (["19", ""], (19, None))])
def test_half_a_reading_keeps_its_known_number(row, want):
    """The reader keeps the known number of a half reading for the domain (it knows no
    thresholds); the value stays unknown and the D111 as it was."""
    _, out = read([VISITS + ["高压", "低压"], ROW + row])
    [r] = out.records
    assert r.values["blood_pressure"] is None and "blood_pressure" in r.invalid
    assert r.alternatives == {"blood_pressure": (want,)}
    assert [f.code for f in out.findings if f.code == "D111"] == ["D111"]


def test_half_a_reading_in_one_column_keeps_its_known_number():
    # 190/未测 keeps its 190 as 高压 190 | 低压 未测 does (it used to keep nothing); a bare 190
    # keeps nothing: it may be either number (D111 bp_unreadable only)
    _, out = read([VISITS + ["血压"], ROW + ["190/"], ROW + ["/120"], ROW + ["190"],
                   ROW + ["190/未测"], ROW + ["135/85"]])
    assert [r.alternatives for r in out.records] == [
        {"blood_pressure": ((190, None),)}, {"blood_pressure": ((None, 120),)}, None,
        {"blood_pressure": ((190, None),)}, None]
    assert [r.values["blood_pressure"] for r in out.records] == [None] * 4 + [(135, 85)]


def test_whole_pair_or_error_parts_keep_no_half(tmp_path):
    _, out = read([VISITS + ["高压", "低压"], ROW + ["186", "112"], ROW + ["", ""],
                   ROW + ["186/112", ""], ROW + ["190（复测180）", ""]])
    assert [r.alternatives for r in out.records] == [None] * 4
    ws = _saved(tmp_path, [VISITS + ["高压", "低压"], ROW + [190, "#DIV/0!"], ROW + [190, "=A2*2"]])
    assert [r.alternatives for r in ws.ledger("visits")] == [None, None]


@pytest.mark.parametrize("own", ["√", "已测", "是", "见右", "未测"])
def test_bp_cell_without_numbers_reads_the_pair(own):
    """A 血压 column used as a tick (√, 已测, 是, 见右) with the numbers in 高压 | 低压: the
    pair is the reading (before: D111 “无法识别血压‘√’” and the 186/112 on that row was lost,
    no urgent C306). A 血压 cell with digits is still read first (test above)."""
    _, out = read([VISITS + ["血压", "高压", "低压"], ROW + [own, "186", "112"],
                   ROW + [own, "", ""]])
    first, second = out.records
    assert first.values["blood_pressure"] == (186, 112)
    assert "blood_pressure" not in first.invalid
    assert second.values["blood_pressure"] is None and "blood_pressure" in second.invalid
    assert [f.row for f in out.findings if f.code == "D111"] == [3]


# ------------------------------------------------ one rule for a row's 血压 cell and pair
@pytest.mark.parametrize("own, want, variant", [
    ("190/未测", (190, None), "bp_unreadable"), ("190/mmHg", (190, None), "bp_no_diastolic"),
    ("190mmHg/", (190, None), "bp_no_diastolic"), ("未测/120", (None, 120), "bp_unreadable"),
    ("190", None, "bp_unreadable"), ("头晕/120", None, "bp_unreadable")])
def test_half_in_the_bp_cell_with_a_word_or_unit_keeps_its_number(own, want, variant):
    """190/未测, 190/mmHg, 190mmHg/ in 血压 were D111 bp_unreadable keeping nothing (高压 190 |
    低压 未测 kept its 190: a 危急 half, C306). A bare 190 may be either number: nothing kept."""
    _, out = read([VISITS + ["血压"], ROW + [own]])
    [r] = out.records
    assert r.values["blood_pressure"] is None and "blood_pressure" in r.invalid
    assert r.alternatives == ({"blood_pressure": (want,)} if want else None)
    [d111] = [f for f in out.findings if f.code == "D111"]
    assert d111.message.variant == variant


def _both(own, high, low):
    _, out = read([VISITS + ["血压", "高压", "低压"], ROW + [own, high, low]])
    [r] = out.records
    return r, [f for f in out.findings if f.code == "D111"]


@pytest.mark.parametrize("own, high, low, first, second", [
    ("130/80", "186", "", (130, 80), (186, None)),      # the 186 was ignored: 130/80 read
    ("130/80", "", "112", (130, 80), (None, 112)),
    ("130/80", "186", "未测", (130, 80), (186, None)),
    ("186/", "150", "95", (186, None), (150, 95)),
    ("190/", "150", "", (190, None), (150, None)),
    ("190/", "", "95", (190, None), (None, 95))])
def test_a_reading_and_a_half_that_disagree_are_a_conflict(own, high, low, first, second):
    r, d111s = _both(own, high, low)
    assert r.values["blood_pressure"] is None and "blood_pressure" in r.invalid
    assert r.alternatives == {"blood_pressure": (first, second)}
    [d111] = d111s
    assert (d111.message.variant, d111.column) == ("bp_conflict", "G")
    show = lambda bp: f"{bp[0] or ''}/{bp[1] or ''}"       # noqa: E731
    assert f"血压写的是 {show(first)}，高压/低压写的是 {show(second)}，两个读数不一致" in d111.message.zh


@pytest.mark.parametrize("own, high, low", [("186/", "186", "112"), ("/112", "186", "112"),
                                            ("186mmHg/", "186", "112mmHg")])
def test_half_in_the_cell_beside_the_full_pair_reads_the_pair(own, high, low):
    """血压 186/ beside 186 | 112 was unknown with D111 “低压为空” though 低压 held 112."""
    r, d111s = _both(own, high, low)
    assert r.values["blood_pressure"] == (186, 112) and "blood_pressure" not in r.invalid
    assert r.alternatives is None and d111s == []
    assert (r.cells["blood_pressure"].column, r.cells["blood_pressure"].header) == ("H", "高压/低压")


@pytest.mark.parametrize("own, high, low, want", [
    ("130/80", "130", "", (130, 80)), ("130/80", "", "80", (130, 80)),
    ("130/80", "130", "80", (130, 80)), ("130/80", "130/80", "", (130, 80))])
def test_a_full_reading_with_a_half_that_agrees_is_read_silently(own, high, low, want):
    r, d111s = _both(own, high, low)
    assert r.values["blood_pressure"] == want and r.alternatives is None and d111s == []
    assert r.cells["blood_pressure"].column == "G"


def test_the_same_half_twice_is_one_half():
    r, d111s = _both("190/", "190", "")
    assert r.values["blood_pressure"] is None
    assert r.alternatives == {"blood_pressure": ((190, None),)}
    assert [f.message.variant for f in d111s] == ["bp_no_diastolic"]


def test_an_unreadable_pair_or_a_cell_beside_a_half_keeps_todays_reading():
    r, d111s = _both("130/80", "高", "低")                 # no number in the pair: the cell
    assert r.values["blood_pressure"] == (130, 80) and d111s == []
    r, d111s = _both("190", "186", "")           # a half pair: the cell's own D111, as before
    assert r.values["blood_pressure"] is None and r.alternatives is None
    assert [(f.message.variant, f.column) for f in d111s] == [("bp_unreadable", "G")]


@pytest.mark.parametrize("own", ["190", "186/112/90", "186 112", "186/112 心率80", "190 头晕"])
def test_unreadable_cell_beside_the_full_pair_reads_the_pair_and_keeps_its_d111(own):
    """血压 ``190`` (or ``186 112`` …) beside 186 | 112 used to leave the row unknown with the
    cell's D111 and the pair unread: a 危急 186/112 gave no C306. Now the pair is the reading
    (its provenance the 高压 cell) and the cell keeps its D111 so the clerk tidies it."""
    r, d111s = _both(own, "186", "112mmHg")
    assert r.values["blood_pressure"] == (186, 112) and "blood_pressure" not in r.invalid
    assert r.alternatives is None
    assert (r.cells["blood_pressure"].column, r.cells["blood_pressure"].header) == ("H", "高压/低压")
    [d111] = d111s
    assert (d111.message.variant, d111.row, d111.column, d111.header, d111.value) \
        == ("bp_unreadable", 2, "G", "血压", own)
    assert f"无法识别血压“{own}”" in d111.message.zh


@pytest.mark.parametrize("own, high, low, want", [
    ("左186/112 右150/90", "186", "112", ((186, 112), (150, 90))),
    ("左186/112 右150/90", "150", "90", ((186, 112), (150, 90))),
    ("左186/112 右150/90", "140", "85", ((186, 112), (150, 90), (140, 85))),
    ("186/112 头晕，右手130/80", "130/80", "", ((186, 112), (130, 80)))])
def test_unreadable_cell_naming_another_reading_beside_the_pair_is_a_conflict(own, high, low,
                                                                               want):
    r, d111s = _both(own, high, low)
    assert r.values["blood_pressure"] is None and "blood_pressure" in r.invalid
    assert r.alternatives == {"blood_pressure": want}
    [d111] = d111s                                   # no second D111 认不出 on the same cell
    assert (d111.message.variant, d111.column, d111.header) == ("bp_conflict", "G", "血压")
    pair = f"{high}/{low}" if low else high
    assert f"血压写的是 {own}，高压/低压写的是 {pair}，两个读数不一致" in d111.message.zh


def test_bp_readings_lists_the_readings_inside_a_text():
    from toolkit.read.normalise import bp_readings
    assert bp_readings("左186/112 右150/90") == ((186, 112), (150, 90))
    assert bp_readings("左186/112 右186/112") == ((186, 112),)
    assert bp_readings("高压186 低压112") == ((186, 112),)
    for text in ("190", "186 112", "186/112/90", "2026-11-20", "10:30", 186.0):
        assert bp_readings(text) == ()
    assert bp_readings("2026-11-20 10:30 量 150/90") == ((150, 90),)


@pytest.mark.parametrize("own, high, low", [("130/80", "186", ""), ("186/", "186", "112"),
                                            ("190", "186", "112"),
                                            ("左186/112 右150/90", "186", "112")])
def test_sample_with_both_forms_on_the_critical_row_keeps_the_urgent_recheck(tmp_path, original,
                                                                             own, high, low):
    """The sample's visit log with 高压 | 低压 beside 血压, LR-005's 186/112 row written as 血压
    130/80 with 高压 186 alone (read as 130/80: no C306, no order) or 血压 186/ with 186 | 112
    (unknown, D111 “低压为空”: the urgent recheck lost). Now: C306 urgent with its order."""
    folder = tmp_path / "xinze"
    shutil.copytree(SAMPLE, folder)
    rows = list(csv.reader(io.StringIO((SAMPLE / VISIT_LOG).read_bytes().decode("gbk"))))
    at = rows[0].index("血压")
    [n] = [n for n, row in enumerate(rows) if row[at] == "186/112"]
    for m, row in enumerate(rows):
        row[at + 1:at + 1] = ["高压", "低压"] if m == 0 else ([high, low] if m == n else ["", ""])
    rows[n][at] = own
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    (folder / VISIT_LOG).write_bytes(text.getvalue().encode("gbk"))
    result, followups = _bp_findings_and_orders(folder)
    [c306] = [f for f in result.findings if f.code == "C306"]
    assert (c306.record, c306.row, c306.urgent) == ("LR-005", n + 1, True)
    [order] = [fu for fu in followups if "C306" in fu.codes]
    assert (order.target, order.priority, order.type) == ("LR-005", "urgent", "bp_recheck")
    d111 = [f for f in result.findings if f.code == "D111" and f.row == n + 1]
    if own == "130/80":
        assert "同一行写了 130/80 和 186/，其中高压 186 已达危急值" in c306.message.zh
        assert [f.message.variant for f in d111] == ["bp_conflict"]
    elif own == "190":      # 186 | 112 read (was: unknown, the C306 and its order lost)
        assert "测得血压186/112，达到危急值" in c306.message.zh and c306.column == "H"
        assert [(f.message.variant, f.column) for f in d111] == [("bp_unreadable", "G")]
    elif own.startswith("左"):     # the cell names 150/90 too: unknown, the 危急 one is C306
        assert "同一行写了 186/112 和 150/90 两个血压读数，按危急的 186/112 处理" in c306.message.zh
        assert [(f.message.variant, f.column) for f in d111] == [("bp_conflict", "G")]
        assert "血压写的是 左186/112 右150/90，高压/低压写的是 186/112" in d111[0].message.zh
    else:
        assert "186/112" in c306.message.zh and d111 == []


def _bp_counts(result):
    """The run's CARE_BP_MEASURED and CARE_BP_ABNORMAL_VISITS over its report period."""
    from toolkit.report.indicators import as_map, compute_indicators
    start, end, _ = pipeline.report_period(result)
    got = as_map(compute_indicators(result.context, result.findings, period_start=start,
                                    period_end=end))
    return got["CARE_BP_MEASURED"].value, got["CARE_BP_ABNORMAL_VISITS"].value
