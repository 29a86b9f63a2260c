"""The largest workbook opened on a second thread (``read_workspace(…, ahead=True)``, the
default) gives exactly what reading every file in turn gives; what goes wrong there is the
file's finding as usual, and a workbook that needs a child process is read on the reading
thread."""
from __future__ import annotations

import shutil
import threading
from datetime import date
from pathlib import Path

import pytest

import toolkit.read as reader
import toolkit.read.sheets as sheets
from toolkit.read import isolate, read_workspace
from test_read_isolation import sparse_xlsx

SAMPLE = Path(__file__).parent.parent / "samples" / "xinze"
AS_OF = date(2026, 11, 23)


def _everything(ws):
    """What a workspace holds, in order, as plain values."""
    return {
        "files": list(ws.files),
        "readable": ws.readable,
        "sources": [s.to_dict() for s in ws.sources],
        "records": {kind: [(r.file, r.sheet, r.row, r.values, sorted(r.invalid),
                            {k: c.raw for k, c in r.cells.items()}) for r in recs]
                    for kind, recs in ws.records.items()},
        "columns": {kind: [(n, cols) for n, cols in parts] for kind, parts in ws.columns.items()},
        "findings": [(f.code, f.file, f.sheet, f.row, f.column, f.message.zh) for f in ws.findings],
    }


@pytest.fixture
def opened_on(monkeypatch):
    """file name → the thread that read its cells; the largest workbook goes ahead, however
    small."""
    monkeypatch.setattr(reader, "AHEAD_BYTES", 0)
    monkeypatch.setattr(reader, "AHEAD_SHARE", 0)
    threads: dict[str, str] = {}
    real = sheets.Opening.finish

    def finish(self, **kw):
        if self.source is not None:                  # the cells are read now
            threads[self.rel or self.book.fmt] = threading.current_thread().name
        return real(self, **kw)
    monkeypatch.setattr(sheets.Opening, "finish", finish)
    return threads


def test_reading_ahead_gives_what_reading_in_turn_gives(tmp_path, opened_on):
    folder = shutil.copytree(SAMPLE, tmp_path / "xinze")
    alone = read_workspace([folder], as_of=AS_OF, ahead=False)
    assert set(opened_on.values()) == {threading.main_thread().name}
    opened_on.clear()
    ahead = read_workspace([folder], as_of=AS_OF, ahead=True)
    largest = max((p for p in folder.glob("*.xlsx")), key=lambda p: p.stat().st_size).name
    # every workbook's cells (the CSV has none to read later), the largest on the second thread
    assert set(opened_on) == set(ahead.files) - {"巡访记录.csv"} and len(ahead.files) == 8
    assert [name for name, thread in opened_on.items() if thread == "shequ-read-ahead"] == [largest]
    assert ws_equal(alone, ahead)
    assert ahead.count("services") > 0 and ahead.readable == alone.readable == 8


def ws_equal(a, b) -> bool:
    return _everything(a) == _everything(b)


def test_only_a_large_workbook_that_outweighs_the_others_goes_ahead(tmp_path, monkeypatch):
    folder = shutil.copytree(SAMPLE, tmp_path / "xinze")
    files = sorted(p for p in folder.iterdir() if p.suffix in (".xlsx", ".xls", ".csv"))
    rels = [p.name for p in files]
    assert reader._Ahead.start(files, rels) is None            # every file < AHEAD_BYTES
    monkeypatch.setattr(reader, "AHEAD_BYTES", 0)
    assert reader._Ahead.start(files, rels) is None            # 服务记录 < all the others
    pair = [folder / "服务记录.xlsx", folder / "议事会记录.xlsx"]   # 47 KB beside 9 KB
    early = reader._Ahead.start(pair, [p.name for p in pair])
    assert early is not None and early.index == 0
    sniffed, opening = early.result()
    book = opening.finish()                                    # read already: given back
    assert sniffed.fmt == "xlsx" and book.grids[0].name == "国贸物业"     # a sheet per provider
    assert opening.source is None and opening.finish() is book
    assert reader._Ahead.start(pair[:1], ["服务记录.xlsx"]) is None   # nothing to read meanwhile


def test_a_failure_while_opening_ahead_is_that_files_finding(tmp_path, opened_on, monkeypatch):
    folder = shutil.copytree(SAMPLE, tmp_path / "xinze")
    largest = max((p for p in folder.glob("*.xlsx")), key=lambda p: p.stat().st_size).name
    real = sheets.Opening.finish

    def broken(self, **kw):
        if threading.current_thread().name == "shequ-read-ahead":
            raise ValueError("boom in the reader")
        return real(self, **kw)
    monkeypatch.setattr(sheets.Opening, "finish", broken)
    ws = read_workspace([folder], as_of=AS_OF)
    [f] = [f for f in ws.findings if f.file == largest]
    assert f.code == "F001" and "boom in the reader" in f.message.zh
    assert ws.readable == 7 and ws.count("requests") > 0 and ws.files[0] == "巡访记录.csv"


def test_a_workbook_that_needs_a_child_is_read_on_the_reading_thread(tmp_path, opened_on,
                                                                    monkeypatch):
    sparse_xlsx(tmp_path / "稀疏.xlsx")                         # the only, so the largest, xlsx
    shutil.copyfile(SAMPLE / "巡访记录.csv", tmp_path / "巡访记录.csv")
    children: list[str] = []
    real = isolate.run

    def run(fn, *args, **kw):
        children.append(threading.current_thread().name)
        return real(fn, *args, **kw)
    monkeypatch.setattr(isolate, "run", run)
    ws = read_workspace([tmp_path], as_of=AS_OF, root=tmp_path)
    assert children == [threading.main_thread().name]
    assert [f.code for f in ws.findings if f.file == "稀疏.xlsx"] == ["F009"]
    assert ws.readable == 1 and ws.count("visits") > 0
