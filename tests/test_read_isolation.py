"""A native reader cannot take the run down (issue #19): the child process with its limits,
the bound on a sheet's reach before calamine runs in-process, and per-sheet failures."""
from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from toolkit.read import isolate, read_workspace
from toolkit.read.sheets import _Reach

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "read" / "志愿者名册.xls"

_CT = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/></Types>')
_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
         '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
              'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
              '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def sparse_xlsx(path: Path, far: str = "XFD1048576", dimension: str = "A1:B2") -> Path:
    """A 1 KB workbook whose cells sit at A1 and ``far``: calamine would allocate the whole box
    between them (17 G cells for XFD1048576), so the process would abort."""
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="{dimension}"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c>'
             f'</row><row r="{far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{far}"><v>1</v></c></row>'
             '</sheetData></worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _BOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def read(folder: Path):
    return read_workspace([folder], as_of=date(2026, 11, 23), root=folder)


def test_sparse_xlsx_with_a_lying_dimension_is_a_finding_and_the_neighbour_is_read(tmp_path):
    sparse_xlsx(tmp_path / "稀疏.xlsx")
    shutil.copyfile(GOOD, tmp_path / "志愿者名册.xls")
    started = time.perf_counter()
    ws = read(tmp_path)
    assert time.perf_counter() - started < 30
    [f] = [f for f in ws.findings if f.file == "稀疏.xlsx"]
    assert f.code == "F009" and "稀疏.xlsx" in f.message.zh
    assert ws.readable == 1 and len(ws.ledger("volunteers")) == 3


def test_sparse_xlsx_within_bounds_is_read(tmp_path):
    """A far cell that is not too far (Z5000: 130 000 cells) is read, in the child."""
    sparse_xlsx(tmp_path / "远.xlsx", far="Z5000")
    ws = read(tmp_path)
    assert ws.readable == 1 and not [f for f in ws.findings if f.code in ("F001", "F009")]


@pytest.mark.parametrize("dimension, ref, beyond", [
    ("A1:K14873", "K14873", False), ("A1:K14873", "K19999", False), ("A1:K14873", "AA1", True),
    ("A1:K14873", "A100000", True), ("A1:AD300", "ZZ999", False), ("A1:AD300", "AAA1", True),
    ("A1:AD300", "B99999", True), ("A1:AD300", "AB1000", True),
    # one-letter columns: the last column and the last row's first digit bound the box too
    ("A1:K14873", "Z99999", True), ("A1:K14873", "L1", True), ("A1:K14873", "K20000", True),
    ("A1:K150001", "K199999", False), ("A1:K150001", "A1", False), ("A1:K150001", "K200000", True),
    ("A1:K150001", "K0150001", True),
])
def test_reach_finds_references_beyond_the_dimension(dimension, ref, beyond):
    reach = _Reach.of(f'<dimension ref="{dimension}"/>'.encode())
    assert not reach.big
    assert reach.exceeded(f'<c r="{ref}">'.encode()) is beyond


def test_reach_of_a_huge_or_missing_dimension():
    assert _Reach.of(b'<dimension ref="A1:XFD1048576"/>').big
    missing = _Reach.of(b"<sheetData>")                 # Z9999 assumed
    assert not missing.big and missing.exceeded(b'<c r="A10000">') and not missing.exceeded(b'<c r="Z9999">')


@pytest.mark.parametrize("cells, beyond", [
    (b'<c r="A1"/><c/>', True),                   # a bare cell: calamine counts along the row
    (b'<c>', True), (b'<c s="1" r="A1">', True),  # reference not first: read in the child (safe)
    (b'<cols><col min="1"/></cols><c r="B2" t="s">', False),
])
def test_reach_sends_cells_without_a_leading_reference_to_the_child(cells, beyond):
    assert _Reach.of(b'<dimension ref="A1:K100"/>').exceeded(cells) is beyond


def test_reach_follows_a_namespace_prefix():
    reach = _Reach.of(b'<x:worksheet xmlns:x="..."><x:dimension ref="A1:C3"/>')
    assert reach.exceeded(b'<x:c r="XFD1048576">') and not reach.exceeded(b'<x:c r="C3">')


@pytest.mark.parametrize("bad", ['<c r="XFD5">', '<c>', '<c s="1" r="A5">'])
def test_a_cell_beyond_the_claim_is_found_wherever_the_chunks_cut_it(monkeypatch, tmp_path, bad):
    """``sheet_marks`` reads a sheet in chunks: a cell tag cut by a chunk's end is searched with
    the next chunk. The part is read in chunks of 64 bytes here, the bad cell moved along one
    byte at a time across a chunk's edge; a sheet whose cells are all inside is never sent away."""
    from toolkit.read import sheets
    monkeypatch.setattr(sheets, "CHUNK", 64)
    head = '<worksheet><dimension ref="A1:B9"/><sheetData><row r="1">'
    cell = '<c r="A1"><v>1</v></c>'
    for pad in range(64):
        for tag, beyond in ((bad, True), ('<c r="B5">', False)):
            xml = head + " " * pad + cell * 3 + tag + "<v>2</v></c>" + cell * 3 + "</row></sheetData></worksheet>"
            path = tmp_path / "s.zip"
            with zipfile.ZipFile(path, "w") as zf:
                zf.writestr("xl/worksheets/sheet1.xml", xml)
            with zipfile.ZipFile(path) as zf:
                assert sheets.sheet_marks(zf, "xl/worksheets/sheet1.xml")[2] is beyond, (pad, tag)


# --- the child process -------------------------------------------------------------------------

def _allocate():
    return bytearray(4 * 1024 ** 3)        # 4 GB: over the child's limit


def _sleep():
    time.sleep(30)


def _abort():
    os.abort()                             # what Rust does when an allocation fails


class _Panic(BaseException):
    pass


def _panic():
    raise _Panic("index out of bounds")


def _value(x):
    return [x, {"a": 1.5}]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the address-space limit is set on Linux")
def test_child_over_its_memory_limit_is_a_memory_failure():
    with pytest.raises(isolate.Isolated) as err:
        isolate.run(_allocate)
    assert err.value.failure.kind == "memory"


def test_child_over_its_time_is_a_time_failure():
    started = time.perf_counter()
    with pytest.raises(isolate.Isolated) as err:
        isolate.run(_sleep, seconds=1)
    assert err.value.failure == isolate.Failure("time", "1")
    assert time.perf_counter() - started < 10


def test_child_abort_and_panic_are_failures_and_values_come_back():
    with pytest.raises(isolate.Isolated) as err:
        isolate.run(_abort)
    assert err.value.failure.kind == "memory"
    with pytest.raises(isolate.Isolated) as err:
        isolate.run(_panic)
    assert err.value.failure == isolate.Failure("error", "_Panic: index out of bounds")
    assert isolate.run(_value, "x") == ["x", {"a": 1.5}]


def test_spawned_child_reads_a_legacy_workbook(monkeypatch):
    """Windows and macOS spawn the child instead of forking: the same read works there."""
    from toolkit.read.sheets import open_book

    monkeypatch.setattr(isolate, "_context", lambda: multiprocessing.get_context("spawn"))
    book = open_book(GOOD, "xls", "志愿者名册.xls")
    monkeypatch.undo()
    forked = open_book(GOOD, "xls", "志愿者名册.xls")
    assert book.grids and [g.rows for g in book.grids] == [g.rows for g in forked.grids]
