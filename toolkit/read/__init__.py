"""Reading layer: workbook → records with provenance. Only this package imports openpyxl,
python_calamine and msoffcrypto.

    workspace = read_workspace([Path("台账")], as_of=date(2026, 11, 23))
    workspace.ledger("elderly")      # records of every elderly sheet of every file

Steps: ``files`` (discover, sniff, safety) → ``sheets`` (grids) → ``headers`` (header row,
ledger kind, column → key) → ``records`` (rows → ``Record``, values normalised). One bad file
never stops the run: whatever goes wrong in a file becomes an F-finding naming it.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from toolkit import schema
from toolkit.errors import ToolkitError
from toolkit.model import Finding, Source, Text, Workspace, column_letter, finding
from toolkit.settings import Settings
from toolkit.text import listing, natural_key

__all__ = ["read_workspace"]


def _require_defusedxml() -> None:
    """openpyxl must parse XML through defusedxml (entity-expansion attacks)."""
    try:
        import defusedxml  # noqa: F401
        import openpyxl.xml
    except ImportError as exc:
        raise ToolkitError(f"缺少读取 Excel 所需的组件（{exc.name}）。请运行：pip install defusedxml openpyxl",
                           f"missing a component needed to read Excel ({exc.name}). "
                           "Run: pip install defusedxml openpyxl") from exc
    if not openpyxl.xml.DEFUSEDXML:
        raise ToolkitError("openpyxl 没有启用 defusedxml 安全解析。请运行：pip install defusedxml，"
                           "并不要设置环境变量 OPENPYXL_DEFUSEDXML=False",
                           "openpyxl is not using defusedxml. Run: pip install defusedxml, and do "
                           "not set OPENPYXL_DEFUSEDXML=False")


def _defusedxml_ready() -> None:
    """The condition of ``openpyxl.xml.DEFUSEDXML``, checked without importing openpyxl (which
    pulls in numpy: ~0.27 s of every run, and checking reads no workbook with openpyxl).
    Once openpyxl is imported, its own flag is asked."""
    if "openpyxl.xml" in sys.modules:
        _require_defusedxml()
        return
    try:
        import defusedxml  # noqa: F401
    except ImportError:
        _require_defusedxml()                # raises the usual message
    if os.environ.get("OPENPYXL_DEFUSEDXML", "True") != "True":
        _require_defusedxml()                # imports openpyxl, which then says DEFUSEDXML False


_defusedxml_ready()

from toolkit.read.files import (Discovery, Sniffed, discover, file_finding, has_settings_sheets,  # noqa: E402
                                 relative, settings_sheet_names, sniff)
from toolkit.read.headers import Layout, classify, summary_of  # noqa: E402
from toolkit.read.minutes import continue_meetings  # noqa: E402
from toolkit.read.records import build_records, merge_d112, no_gc, strike, struck_records  # noqa: E402
from toolkit.read.sheets import Book, Opening, open_book, scan_book  # noqa: E402


def read_workspace(paths: list[Path], *, as_of: date, settings: Settings | None = None,
                   root: Path | None = None,
                   progress: Callable[[str], None] | None = None,
                   found: Discovery | None = None, ahead: bool = True) -> Workspace:
    """Read every ledger under ``paths`` (folders and/or files).

    ``root`` is the folder file names are shown relative to (default: the first folder
    given, else the parent of the first file). ``settings.estates`` (when given) names the 小区 a sheet per
    小区 without a 小区 column may be named after; value lists are checked later by the rules.
    ``found``: the files already discovered under ``paths`` (``toolkit.read.files.discover``),
    so a caller that grouped them never makes the file system walk twice. ``progress`` gets
    one line per file. Never raises for bad files: they become findings.

    ``ahead``: parse the largest workbook, when it outweighs the others, on a second thread
    while this one reads the others, and read it as soon as it is parsed (``_Ahead``;
    calamine parses without holding the interpreter, so a spare core takes the biggest parse
    off the reading thread). The
    result is the same either way: files are merged into the workspace in their order (only
    the order of the ``progress`` lines may differ). A town's worker processes pass False
    (every core is busy already).
    """
    paths = [Path(p) for p in paths]
    root = Path(root) if root is not None else _default_root(paths)
    if found is None:
        found = discover(paths, root)
    found.files.sort(key=lambda path: natural_key(relative(path, root)))   # 9月 before 10月
    workspace = Workspace(root=str(root), records={kind: [] for kind in schema.KINDS})
    workspace.findings.extend(found.findings)
    files = found.files
    rels = [relative(path, root) for path in files]
    early = _Ahead.start(files, rels) if ahead else None
    waiting = [i for i in range(len(files)) if early is None or i != early.index]
    estates = settings.estates if settings else ()
    parts: dict[int, _FileRead] = {}
    for number in range(1, len(files) + 1):
        # the others while it is being opened; it as soon as it is open (its cells are not
        # held longer than need be)
        if early is not None and early.index not in parts and (early.ready() or not waiting):
            i, opened = early.index, early.result
        else:
            i, opened = waiting.pop(0), None
        if progress is not None:
            progress(f"读取 {number}/{len(files)} {rels[i]}")
        parts[i] = _read_file(files[i], rels[i], as_of, estates, opened)
    changes: list = []                       # (kind, SheetRecords) of every sheet read, in order
    for i, rel in enumerate(rels):
        workspace.files.append(rel)
        parts.pop(i).merge_into(workspace, changes)
    merged = merge_d112(changes)             # one D112 per column of a ledger, not per sheet
    if merged:
        workspace.findings = [merged.get(id(f), f) for f in workspace.findings
                              if merged.get(id(f), f) is not None]
    return workspace


def _default_root(paths: list[Path]) -> Path:
    for path in paths:
        if path.is_dir():
            return path
    return paths[0].parent if paths else Path(".")


@dataclass
class _FileRead:
    """What one file gave; merged into the workspace in file order (``merge_into``)."""
    findings: list[Finding] = field(default_factory=list)
    readable: bool = False
    sources: list[Source] = field(default_factory=list)
    records: dict[str, list] = field(default_factory=dict)
    sheet_findings: list[Finding] = field(default_factory=list)
    built: list = field(default_factory=list)             # (kind, SheetRecords) per sheet

    def merge_into(self, workspace: Workspace, changes: list) -> None:
        workspace.findings.extend(self.findings)
        if not self.readable:
            return
        workspace.readable += 1
        workspace.sources.extend(self.sources)
        for kind, recs in self.records.items():
            workspace.records[kind].extend(recs)
        for kind, sheet in self.built:       # the same sheets, in the same order
            workspace.columns.setdefault(kind, []).append((len(sheet.records), sheet.columns))
        workspace.findings.extend(self.sheet_findings)
        changes.extend(self.built)


def _read_file(path: Path, rel: str, as_of: date, estates: tuple[str, ...] = (),
               opened: Callable[[], tuple[Sniffed, Opening | None]] | None = None) -> _FileRead:
    """Everything about one file; any failure becomes F001 for that file only. ``opened``:
    the file's sniff and opening as read ahead (``_Ahead.result``; an opening the other
    thread could not finish, e.g. one read in a child process, is finished here)."""
    out = _FileRead()
    findings = out.findings
    try:
        sniffed, opening = opened() if opened is not None else (sniff(path, rel), None)
        findings.extend(sniffed.findings)
        if sniffed.fmt is None:
            return out
        with no_gc():        # a file's many new objects are scanned once, not again and again
            book = opening.finish() if opening is not None else \
                open_book(path, sniffed.fmt, rel, sniffed.data)
            findings.extend(book.findings)
            if book.grids is None:
                return out
            out.sources, out.records, out.sheet_findings, out.built = \
                _read_book(book, rel, as_of, estates)
    except MemoryError:
        findings.append(file_finding("F009", rel, "too_large"))
        return out
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - one bad file never stops the run; pyo3's
        # PanicException (a Rust panic in calamine) is a BaseException
        findings.append(file_finding("F001", rel, "exception",
                                     {"error": f"{type(exc).__name__}: {str(exc)[:200]}"}))
        return out
    out.readable = True
    return out


AHEAD_BYTES = 256 * 1024     # a workbook smaller than this is opened in turn: no thread pays off
AHEAD_SHARE = 1.0            # … and one smaller than this times all the other files together


class _Ahead:
    """The largest ``.xlsx`` of a folder read on a second thread while the reading thread
    reads the other files. The reading thread sniffs it and makes its safety scans first
    (``scan_book``: Python, quick), then the second thread reads its cells (``Opening.finish``:
    calamine, which parses without holding the interpreter). Only the in-process path runs
    there: a workbook that must be read in a child process is finished on the reading
    thread, as any other. An exception is raised again where the file is read, so it becomes
    that file's finding as usual. The thread is a daemon: an interrupted run never waits."""

    def __init__(self, index: int, path: Path, rel: str):
        import threading
        self.index = index
        self._done = threading.Event()
        self._outcome: tuple = (False, None)
        self._thread = None
        try:
            sniffed = sniff(path, rel)
            opening = scan_book(path, sniffed.fmt, rel, sniffed.data) \
                if sniffed.fmt == "xlsx" else None
        except (KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - raised again when the file is read
            self._outcome = (False, exc)
            self._done.set()
            return
        self._outcome = (True, (sniffed, opening))
        if opening is None or opening.source is None:      # nothing left to read
            self._done.set()
            return
        self._thread = threading.Thread(target=self._finish, args=(opening,),
                                        name="shequ-read-ahead", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, files: list[Path], rels: list[str]) -> "_Ahead | None":
        """Start on the largest ``.xlsx`` of ``files`` when it is worth it: at least
        ``AHEAD_BYTES``, and at least as large as all the other files together
        (``AHEAD_SHARE``: a community's visit log, whose parse takes about as long as reading
        the others). A folder of many big workbooks is read in turn: two big workbooks'
        cells at once would raise the peak memory for little gain."""
        if len(files) < 2:
            return None
        sizes = []
        for i, path in enumerate(files):
            try:
                sizes.append((path.stat().st_size, -i))
            except OSError:
                continue                 # reported when the file is read in turn
        candidates = [(size, last) for size, last in sizes
                      if files[-last].suffix.lower() == ".xlsx"]
        if not candidates:
            return None
        size, last = max(candidates)             # the first of equally large files
        others = sum(s for s, _ in sizes) - size
        if size < AHEAD_BYTES or size < AHEAD_SHARE * others:
            return None
        return cls(-last, files[-last], rels[-last])

    def _finish(self, opening: Opening) -> None:
        try:
            opening.finish(isolated=False)
        except BaseException as exc:  # noqa: BLE001 - raised again on the reading thread
            self._outcome = (False, exc)
        finally:
            self._done.set()

    def ready(self) -> bool:
        return self._done.is_set()

    def result(self) -> tuple[Sniffed, Opening | None]:
        self._done.wait()
        if self._thread is not None:
            self._thread.join()          # ends right after: no thread outlives the read
        ok, value = self._outcome
        if not ok:
            raise value
        return value


def _sheet_estate(name: str, kind: str, layout: Layout, estates: tuple[str, ...]) -> str | None:
    """The 小区 a sheet is named after (``松和苑``, ``松和苑独居老人``) when the sheet has no 小区
    column: a sheet per 小区 (ledgers.md). Only names listed in settings count, and only one."""
    if "estate" not in schema.LEDGERS[kind].keys or "estate" in layout.mapping.values():
        return None
    text = "".join(name.split())
    named = [e for e in estates if e and e in text]
    return named[0] if len(named) == 1 else None


def _read_book(book: Book, rel: str, as_of: date, estates: tuple[str, ...] = ()):
    """Classify every sheet and build the records of the recognised ones."""
    sources: list[Source] = []
    records: dict[str, list] = {}
    findings: list[Finding] = []
    misses: list[tuple[str, Layout]] = []
    summaries: list[str] = []
    sheets: list[tuple] = []                 # (name, kind, SheetRecords, findings, source)
    for grid in book.grids:
        layout = classify(grid)
        if layout is None:
            continue                         # an empty sheet is not a finding
        if layout.kind is None:
            misses.append((grid.name, layout))
            continue
        summary = summary_of(grid, layout, alone=len(book.grids) == 1)
        if summary is not None:
            summaries.append(grid.name)
            if summary.typed_rows:           # rows typed by hand in it are not read: say so
                findings.append(_summary_finding(grid.name, layout, rel, summary))
            continue                         # 汇总/统计 of formulas: no records, no findings
        estate = _sheet_estate(grid.name, layout.kind, layout, estates)
        if estate is not None and "estate" in layout.missing:
            layout.missing.remove("estate")          # 小区 comes from the sheet's name
        mine = _layout_findings(layout, rel, grid.name)
        built = build_records(grid, layout, file=rel, as_of=as_of, date1904=book.date1904,
                              fmt=book.fmt)
        if estate is not None:
            for record in built.records:
                record.values["estate"] = estate
            if built.columns is not None:
                built.columns["estate"] = [estate] * len(built.records)
        mine.extend(_formula_findings(grid.name, built.formula_gaps, layout, rel))
        if layout.kind == "meetings":            # a meeting's date written once per meeting
            mine.extend(continue_meetings(built.records, file=rel, sheet=grid.name))
            built.columns = None                 # values continued: the records hold them
        if grid.struck:                          # 删除线 (xlsx whose styles strike a font)
            struck = struck_records(grid, layout, built.records)
            if struck:
                mine.append(strike(built, struck, layout.kind, rel, grid.name))
        sheets.append((grid.name, layout.kind, built, mine, Source(
            file=rel, sheet=grid.name, kind=layout.kind, header_row=layout.header_row + 1,
            records=len(built.records), unmapped=[layout.headers[c] for c in layout.unmapped],
            columns={key: column_letter(c) for c, key in layout.mapping.items()},
            headers={key: layout.headers[c] for c, key in layout.mapping.items()})))
    copies = _summary_copies(sheets)
    for name, kind, built, mine, source in sheets:
        if name in copies:
            summaries.append(name)
            continue                         # 汇总 pasted from the other sheets: read once
        findings.extend(mine)
        findings.extend(built.findings)
        records.setdefault(kind, []).extend(built.records)
        sources.append(source)
    if not sources and summaries:
        findings.append(file_finding("F003", rel, "summaries_only", {"names": listing(summaries)}))
    elif not sources:
        findings.append(_no_ledger(rel, misses))
    return sources, records, findings, [(kind, built) for name, kind, built, _, _ in sheets
                                        if name not in copies]


COPY_SHARE = 0.8      # a 汇总/统计 sheet whose rows are this share of copies is no ledger


def _summary_copies(sheets: list[tuple]) -> set[str]:
    """Sheets named like a summary (汇总, 统计) whose rows are copies of rows on the workbook's
    other sheets of the same kind (the months pasted together): by 编号 where the ledger has
    one, else by all values. Read once, from the other sheets."""
    out = set()
    for name, kind, built, _, _ in sheets:
        recs = built.records
        if not recs or not any(word in name for word in schema.SUMMARY_SHEET_WORDS):
            continue
        seen = {_row_key(r) for other, k, b, _, _ in sheets if other != name and k == kind
                for r in b.records}
        if seen and sum(_row_key(r) in seen for r in recs) >= COPY_SHARE * len(recs):
            out.add(name)
    return out


def _summary_finding(sheet: str, layout: Layout, rel: str, summary) -> Finding:
    """F003 (info) for a sheet taken as a summary although some rows hold a ledger's anchors
    typed by hand: those rows are not read, never silently."""
    ledger = schema.LEDGERS[layout.kind]
    return finding("F003", file=rel, sheet=sheet, kind=layout.kind, row=layout.header_row + 1,
                   variant="summary_sheet",
                   params={"sheet": sheet, "ledger": Text(ledger.title, ledger.title_en),
                           "formulas": summary.reaching, "cells": summary.filled,
                           "rows": summary.typed_rows})


def _row_key(record) -> tuple:
    if record.values.get("id") is not None:
        return ("id", record.values["id"])
    return tuple(sorted((k, repr(v)) for k, v in record.values.items() if v is not None))


def _layout_findings(layout: Layout, rel: str, sheet: str) -> list[Finding]:
    """F004 (required column missing), F005 (duplicate), F006 (unrecognised) for one sheet."""
    ledger = schema.LEDGERS[layout.kind]
    ledger_name = Text(ledger.title, ledger.title_en)
    row = layout.header_row + 1
    out = []
    for key in layout.missing:
        header = ledger.column(key).header
        out.append(finding("F004", kind=layout.kind, file=rel, sheet=sheet, row=row, header=header,
                           params={"sheet": sheet, "ledger": ledger_name, "header": header,
                                   "aliases": "、".join(ledger.column(key).aliases) or "无"}))
    for group in layout.missing_groups:
        names = "、".join(ledger.column(k).header for k in group)
        out.append(finding("F004", kind=layout.kind, file=rel, sheet=sheet, row=row, header=names,
                           variant="one_of", params={"sheet": sheet, "ledger": ledger_name,
                                                     "headers": listing(ledger.column(k).header for k in group)}))
    out.extend(_stage_findings(layout, rel, sheet))
    for col, key, first in layout.duplicates:
        header = layout.headers[col]
        out.append(finding("F005", kind=layout.kind, file=rel, sheet=sheet, row=row,
                           column=column_letter(col), header=header,
                           params={"header": header, "column": column_letter(col),
                                   "first_column": column_letter(first), "first_header": layout.headers[first]}))
    for col in layout.unmapped:
        if col == layout.service_log:          # issue #17: a service log lacking 服务单位/收费金额
            out.append(_service_log_hint(layout, rel, sheet, col))
            continue
        if col in layout.extra:
            continue                         # 序号, 备注, 所在楼组 …: commonplace, no F006
        header = layout.headers[col]
        out.append(finding("F006", kind=layout.kind, file=rel, sheet=sheet, row=row,
                           column=column_letter(col), header=header,
                           params={"header": header, "column": column_letter(col), "ledger": ledger_name}))
    return out


def _stage_findings(layout: Layout, rel: str, sheet: str) -> list[Finding]:
    """F004 "stage" (an error, as every F004 in rules.md), once per 诉求 sheet that has no column for one or more stages of
    the closed loop (a clerk's ledger that never kept 类别 and 分类日期): those stages are not
    checked row by row (no R201/R205 … asking to fill a cell the sheet does not have)."""
    if layout.kind != "requests":
        return []
    found = set(layout.mapping.values())
    lacking = [k for k, keys in schema.REQUEST_STAGE_FIELDS.items() if not found & set(keys)]
    if not lacking:
        return []
    ledger = schema.LEDGERS[layout.kind]
    headers = [ledger.column(key).header for k in lacking for key in schema.REQUEST_STAGE_FIELDS[k]]
    stages = Text("、".join(f"“{schema.STAGE_LABELS[k][0]}”" for k in lacking),
                  ", ".join(schema.STAGE_LABELS[k][1] for k in lacking))
    return [finding("F004", kind=layout.kind, file=rel, sheet=sheet, row=layout.header_row + 1,
                    header="、".join(headers), variant="stage",
                    params={"sheet": sheet, "ledger": Text(ledger.title, ledger.title_en),
                            "stages": stages, "headers": listing(headers),
                            "step": "这一步" if len(lacking) == 1 else "这几步",
                            "step_en": "stage" if len(lacking) == 1 else "stages",
                            "count": len(lacking)})]


def _service_log_hint(layout: Layout, rel: str, sheet: str, col: int) -> Finding:
    """F006 (info) on 服务项目 of a sheet read as 巡访记录 that looks like a 服务记录."""
    services = schema.LEDGERS["services"]
    wanted = Text("或".join(f"「{services.column(k).header}」" for k in schema.SERVICE_LOG_HINT),
                  " or ".join(f"'{services.column(k).header}'" for k in schema.SERVICE_LOG_HINT))
    header = layout.headers[col]
    return finding("F006", kind=layout.kind, file=rel, sheet=sheet, row=layout.header_row + 1,
                   column=column_letter(col), header=header, variant="service_log",
                   params={"sheet": sheet, "column": column_letter(col), "header": header,
                           "wanted": wanted})


def _formula_findings(sheet: str, gaps: list[tuple[int, int]], layout: Layout,
                      rel: str) -> list[Finding]:
    """F007: formula cells without a cached value read as records' values (``gaps``, from
    ``build_records``), one finding per column."""
    by_col: dict[int, list[int]] = {}
    for r, c in gaps:
        by_col.setdefault(c, []).append(r + 1)
    out = []
    for c, rows in sorted(by_col.items()):
        letter = column_letter(c)
        header = layout.headers[c] if c < len(layout.headers) else ""
        cells = Text("、".join(f"{letter}{r}" for r in rows[:5]) + ("等" if len(rows) > 5 else ""),
                     ", ".join(f"{letter}{r}" for r in rows[:5]) + (" …" if len(rows) > 5 else ""))
        out.append(finding("F007", kind=layout.kind, file=rel, sheet=sheet, row=rows[0],
                           column=letter, header=header or None,
                           params={"cells": cells, "count": len(rows)}))
    return out


def _no_ledger(rel: str, misses: list[tuple[str, Layout]]) -> Finding:
    """F003 for a file none of whose sheets is a ledger: name the closest ledger; a file with
    the settings workbook's sheets (基本信息 …) is said to look like the settings instead."""
    if has_settings_sheets([sheet for sheet, _ in misses]):
        names = settings_sheet_names([sheet for sheet, _ in misses])
        return file_finding("F003", rel, "settings_like", {
            "sheets": Text("、".join(f"“{n}”" for n in names[:3]), ", ".join(names[:3])),
            "settings_file": schema.SETTINGS_FILE})
    close = [(sheet, lay) for sheet, lay in misses if lay.closest is not None and lay.matched]
    if misses and not close:
        titles = Text("、".join(lg.title for lg in schema.LEDGERS.values()),
                      ", ".join(lg.title_en for lg in schema.LEDGERS.values()))
        return file_finding("F003", rel, "no_field", {"titles": titles})
    if not close:
        return file_finding("F003", rel, "empty")
    sheet, layout = max(close, key=lambda item: item[1].matched)
    ledger = schema.LEDGERS[layout.closest]
    lacks = Text("、".join(ledger.column(k).header for k in layout.missing) or "—",
                 ", ".join(ledger.column(k).header for k in layout.missing) or "—")
    return finding("F003", file=rel, sheet=sheet, kind=layout.closest, variant="closest",
                   params={"file": rel, "sheet": sheet, "ledger": Text(ledger.title, ledger.title_en),
                           "matched": layout.matched, "lacks": lacks})
