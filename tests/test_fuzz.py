"""Fuzzing the whole read → check path with random workbooks (hypothesis).

Random sheets: headers drawn from the schema's canonical headers and aliases (with spaces,
``*``, units and noise columns), cells of every type the libraries give (None, text, int,
float incl. NaN/inf, bool, date/datetime/time incl. 1900 and 9999, formula-looking strings
written as text or as real formulas without cached values, values from the enum lists).
``read_workspace`` and every rule must return records and findings, or raise a
``ToolkitError`` — nothing else. Kept small (50 examples) so CI stays fast.
"""
from __future__ import annotations

import math
import tempfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import schema
from toolkit.check import run_rules
from toolkit.domain.context import Context
from toolkit.errors import ToolkitError
from toolkit.read import read_workspace
from toolkit.settings import Settings

AS_OF = date(2026, 11, 23)
ALL_NAMES = sorted({name for ledger in schema.LEDGERS.values() for col in ledger.columns
                    for name in col.names})
WORDS = sorted({w for ledger in schema.LEDGERS.values() for col in ledger.columns
                for w in col.choices} | set(schema.TRUE_WORDS) | set(schema.FALSE_WORDS)
               | set(schema.EMPTY_MARKS) | set(schema.TOTAL_MARKS))
FORMULAS = ("=cmd|' /C calc'!A0", "@SUM(1)", "+1", "-1", "=1/0", "=A1", "=#REF!", "\t=1")

# text openpyxl can store (XML 1.0): no surrogates, no C0 controls other than tab/newline
safe_text = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n"),
                    max_size=30)


def decorate(header: str) -> st.SearchStrategy[str]:
    """A header as staff might type it: spaces, ``*``, a unit, a line break, full-width."""
    return st.sampled_from([header, f" {header} ", f"{header}*", f"{header}（必填）",
                            f"{header}(小时)", header.replace("", " ").strip(),
                            f"{header[:1]}\n{header[1:]}"])


headers = st.lists(st.one_of(st.sampled_from(ALL_NAMES).flatmap(decorate), safe_text,
                             st.just("序号"), st.none()), min_size=1, max_size=14)

cells = st.one_of(
    st.none(),
    safe_text,
    st.sampled_from(WORDS),
    st.sampled_from(FORMULAS).map(lambda f: ("formula", f)),
    st.integers(min_value=-10**12, max_value=10**19),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31)),
    st.times(),
    st.from_regex(r"1[3-9]\d{9}|\d{17}[\dX]|\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?|\d{2,3}/\d{2,3}",
                  fullmatch=True),
)


@st.composite
def workbooks(draw) -> list[tuple[str, list[list]]]:
    """1–3 sheets: optional title rows, a header row, up to 12 data rows."""
    sheets = []
    for i in range(draw(st.integers(1, 3))):
        rows: list[list] = [[draw(safe_text)] for _ in range(draw(st.integers(0, 2)))]
        head = draw(headers)
        rows.append(head)
        rows += [[draw(cells) for _ in head] for _ in range(draw(st.integers(0, 12)))]
        if draw(st.booleans()):
            rows.insert(len(rows) - 1, list(head))               # header repeated mid-sheet
        sheets.append((f"表{i}", rows))
    return sheets


def save(sheets: list[tuple[str, list[list]]], path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, tuple):                      # ("formula", text)
                    cell = ws.cell(r, c, value[1])
                    if not value[1].startswith("="):
                        cell.data_type = "s"
                    continue
                if isinstance(value, float) and not math.isfinite(value):
                    value = str(value)                            # openpyxl writes nan as text
                cell = ws.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"                          # text stays text
    wb.save(path)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large])
@given(workbooks())
def test_random_workbooks_never_crash(sheets):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        save(sheets, folder / "随机.xlsx")
        try:
            workspace = read_workspace([folder], as_of=AS_OF)
            ctx = Context(workspace=workspace, settings=Settings(), as_of=AS_OF)
            findings = run_rules(ctx)
        except ToolkitError:
            return
        assert workspace.files == ["随机.xlsx"]
        for finding in findings + workspace.findings:
            assert finding.code and finding.message.zh and finding.message.en
        for records in workspace.records.values():
            for record in records:
                assert record.file == "随机.xlsx" and record.row >= 1


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=0, max_size=2048), st.sampled_from([".xlsx", ".xls", ".xlsm", ".csv"]))
def test_random_bytes_never_crash(data, ext):
    """Arbitrary bytes under a spreadsheet name: F-findings, never an exception."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / f"随机{ext}").write_bytes(data)
        workspace = read_workspace([folder], as_of=AS_OF)
        run_rules(Context(workspace=workspace, settings=Settings(), as_of=AS_OF))
        assert workspace.files == [f"随机{ext}"]


@settings(max_examples=30, deadline=None)
@given(st.binary(min_size=1, max_size=64), st.integers(min_value=0))
def test_mutated_workbook_never_crashes(patch, where):
    """A real workbook with some bytes overwritten (a damaged copy)."""
    good = Path(__file__).parent / "corpus" / "good" / "好的志愿者名册.xlsx"
    data = bytearray(good.read_bytes())
    at = where % len(data)
    data[at:at + len(patch)] = patch
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "损坏.xlsx").write_bytes(bytes(data))
        workspace = read_workspace([folder], as_of=AS_OF)
        run_rules(Context(workspace=workspace, settings=Settings(), as_of=AS_OF))
        assert workspace.files == ["损坏.xlsx"]
