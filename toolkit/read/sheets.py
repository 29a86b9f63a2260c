"""Opening a workbook: every worksheet as a grid of raw cell values.

``.xlsx``/``.xlsm``/``.xls`` are read with python-calamine (fast; numbers come back as float,
empty cells as ``''``). For ``.xlsx`` the zip is opened once beforehand to enforce the safety
limits, learn the 1904 date system, and find formula cells without a cached value (F007),
which calamine cannot tell from empty cells; an ``.ods``'s merged ranges (which calamine does
not report) come from its content.xml. ``.csv`` is decoded here (UTF-8, UTF-8 with BOM,
UTF-16, else GBK/GB18030) and parsed with the csv module; Excel's text marks (``="…"``, a
leading apostrophe) are unwrapped; bad bytes and unclosed quotes become findings, never a crash.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from defusedxml import ElementTree as SafeET

from toolkit.model import Finding, Text, finding
from toolkit.read import isolate
from toolkit.read.files import MAX_CELLS, file_finding, utf16_encoding, workbook_stream, zip_problem
from toolkit.read.isolate import FATAL as _FATAL, Failure, TooLarge

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CHUNK = 1 << 20

# a formula cell whose <v> is missing or empty (openpyxl writes <f>…</f><v/>)
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*"
    rb"(<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_STR_TYPE = re.compile(rb'\bt="str"')
# a number cell (or formula result) stored as 60.x: Excel's 1900-02-29 in the 1900 date system
_SERIAL_60 = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*)?"
    rb"<(?:\w+:)?v>\s*60(?:\.\d*)?\s*</(?:\w+:)?v>")
_NOT_NUMBER = re.compile(rb'\bt="(?!n")')
# a cell showing an error value (t="e"), with or without its formula
_ERROR_TYPE = b't="e"'
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>\s*(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*)?'
    rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
# BIFF error codes (BOOLERR records and FORMULA results of legacy .xls)
_BIFF_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
                0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
# a BOOLERR record header, or a FORMULA result that is an error code
_BIFF_ERROR_HINT = re.compile(rb"\x05\x02\x08\x00"
                              rb"|\x02\x00[\x00\x07\x0f\x17\x1d\x24\x2a\x2b]\x00\x00\x00\xff\xff")


class CellError(str):
    """A cell showing an error value (``#N/A``, ``#REF!`` …) instead of a result. calamine
    reads such a cell as empty; the grid holds the text Excel shows as this ``str`` subclass,
    never equal to a plain string, so no parser takes it for a value (records make F011)."""
    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is CellError and str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__


@dataclass(frozen=True)
class Formulas:
    cells: frozenset[tuple[int, int]] = frozenset()
    cross_sheet: frozenset[tuple[int, int]] = frozenset()


_NO_FORMULAS = Formulas()


@dataclass
class Grid:
    """One worksheet. ``rows[i][j]`` is Excel row ``i + 1``, column ``j`` (0 = A).

    Values are as the library gave them: str, float, bool, date/datetime/time, ``''`` or None
    for empty. ``merged`` holds inclusive 0-based (row0, col0, row1, col1) ranges.
    """
    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden: bool = False
    formula_gaps: list[tuple[int, int]] = field(default_factory=list)   # (row0, col0)
    phantom_source: Callable[[], frozenset[tuple[int, int]]] | None = field(default=None, repr=False)
    _phantoms: frozenset[tuple[int, int]] | None = field(default=None, repr=False)
    formula_source: Callable[[], "Formulas"] | None = field(default=None, repr=False)
    _formulas: "Formulas | None" = field(default=None, repr=False)
    # (row0, col0) of the cells drawn with a struck-through font (删除线; .xlsx only, and only
    # looked for when the workbook's styles have such a font at all: ``struck_styles``)
    struck: frozenset[tuple[int, int]] = frozenset()

    def formulas(self) -> "Formulas":
        """(row0, col0) of the cells holding a formula, and of those whose formula reaches
        another sheet (``'9月'!A2``, ``COUNTIF(巡访记录!F:F, …)``). Looked up in the file only
        when asked (the reader asks to tell a summary sheet from a ledger)."""
        if self._formulas is None:
            try:
                found = self.formula_source() if self.formula_source is not None else _NO_FORMULAS
            except Exception:  # noqa: BLE001 - a lookup failure: the sheet is read as a ledger
                found = _NO_FORMULAS
            self._formulas = found
        return self._formulas

    def phantom_cells(self) -> frozenset[tuple[int, int]]:
        """(row0, col0) of cells whose stored number is Excel's serial 60 — 1900-02-29, a day
        that never existed, which calamine shows as 1900-02-28. Looked up in the file only
        when asked (the records layer asks when a date column holds 1900-02-28)."""
        if self._phantoms is None:
            try:
                found = self.phantom_source() if self.phantom_source is not None else frozenset()
            except Exception:  # noqa: BLE001 - a lookup failure leaves the dates as calamine read them
                found = frozenset()
            self._phantoms = found
        return self._phantoms


@dataclass
class Book:
    """A workbook opened: its sheets in workbook order, or None when it could not be read."""
    fmt: str
    grids: list[Grid] | None
    date1904: bool = False
    findings: list[Finding] = field(default_factory=list)


def open_book(path: Path, fmt: str, rel: str, data: bytes | None = None) -> Book:
    """Open ``path`` (already sniffed as ``fmt``; ``data``: its decrypted bytes, if any).
    Safety findings leave ``grids`` None; a sheet that cannot be read is a finding for that
    sheet while the others are read."""
    return scan_book(path, fmt, rel, data).finish()


def scan_book(path: Path, fmt: str, rel: str, data: bytes | None = None) -> "Opening":
    """The first half of ``open_book``: the safety scans of the file (zip bombs, each sheet's
    reach, formula and error cells), before any native reader sees it."""
    if fmt == "csv":
        return Opening(read_csv(path, rel))
    opening = Opening(Book(fmt, None), Source(path, data), rel)
    book = opening.book
    if fmt == "xlsx":
        with opening.source.zip() as zf:
            problem = zip_problem(zf, rel)
            if problem is not None:
                book.findings.append(problem)
                return Opening(book)
            book.date1904, opening.parts = xlsx_meta(zf)
            marks = {name: sheet_marks(zf, part) for name, part in opening.parts.items()}
            opening.gaps = {name: found[0] for name, found in marks.items()}
            opening.errors = {name: found[1] for name, found in marks.items() if found[1]}
            opening.big = not opening.parts or any(found[2] for found in marks.values())
            styles = struck_styles(zf)
            if styles:                  # almost never: most workbooks have no struck font
                opening.struck = {name: struck_cells(zf.read(part), styles)
                                  for name, part in opening.parts.items()}
    elif fmt == "xls":
        book.date1904 = _xls_date1904(opening.source)
        opening.errors = _xls_errors(opening.source)
    elif fmt == "xlsb":
        with opening.source.zip() as zf:
            problem = zip_problem(zf, rel)
            if problem is not None:
                book.findings.append(problem)
                return Opening(book)
    if book.date1904:
        book.findings.append(file_finding("F010", rel, "date1904"))
    return opening


@dataclass
class Opening:
    """A workbook scanned (``scan_book``) and not yet read: ``finish`` reads its cells. An
    opening without ``source`` is finished already (a CSV, or a file refused by the scans)."""
    book: Book
    source: "Source | None" = None
    rel: str = ""
    gaps: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    parts: dict[str, str] = field(default_factory=dict)
    big: bool = False
    struck: dict[str, frozenset[tuple[int, int]]] = field(default_factory=dict)

    def finish(self, *, isolated: bool = True) -> Book | None:
        """The book with its grids; done once. ``isolated=False`` (on a thread other than
        the reading one, which must not start child processes): None, and nothing done, when
        the workbook is to be read in a child — ``finish()`` later does that."""
        if self.source is None:
            return self.book
        source, book, fmt = self.source, self.book, self.book.fmt
        read = _read_isolated(source, fmt, self.gaps, self.big, isolated)
        if read is None:
            return None
        self.source = None                 # finished: a second call gives the same book
        if read.failure is not None:
            book.findings.append(_file_failure(self.rel, read.failure))
            return book
        book.grids = read.grids
        book.findings.extend(_sheet_failure(self.rel, sheet, failure)
                             for sheet, failure in read.sheet_failures)
        for grid in book.grids:
            put_errors(grid.rows, self.errors.get(grid.name, {}))
            grid.struck = self.struck.get(grid.name, frozenset())
        _attach_formula_sources(book, source, fmt, self.parts)
        if not book.date1904:        # serial 60 is a real day (1904-03-01) in the 1904 system
            for grid in book.grids:
                if fmt == "xlsx" and grid.name in self.parts:
                    grid.phantom_source = partial(_xlsx_serial_60, source, self.parts[grid.name])
                elif fmt == "xls":
                    grid.phantom_source = partial(_xls_serial_60, source, grid.name)
        return book


@dataclass(frozen=True)
class Source:
    """Where a workbook's bytes are: its file, or the decrypted copy in memory."""
    path: Path
    data: bytes | None = None

    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(self.data) if self.data is not None else self.path)

    def ole(self):
        import olefile

        return olefile.OleFileIO(self.data if self.data is not None else str(self.path))


# extensions python-calamine's ``from_path`` opens as each sniffed format
_CALAMINE_EXTS = {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls",), "xlsb": (".xlsb",), "ods": (".ods",)}


def _open_calamine(source: Source, fmt: str):
    """Open by content, not by name: ``from_path`` picks the reader from the extension, so a
    file whose extension disagrees with what ``sniff`` found (an .xlsx named .xls, an .xls
    named .xlsx) is opened from its bytes, where calamine detects the format itself."""
    from python_calamine import CalamineWorkbook

    if source.data is not None:
        return CalamineWorkbook.from_filelike(io.BytesIO(source.data))
    if source.path.suffix.lower() in _CALAMINE_EXTS.get(fmt, ()):
        return CalamineWorkbook.from_path(str(source.path))
    with open(source.path, "rb") as fh:
        return CalamineWorkbook.from_filelike(fh)


def _calamine_grids(source: Source, fmt: str, gaps: dict[str, list[tuple[int, int]]],
                    failures: list[tuple[str, Failure]] | None = None) -> list[Grid]:
    """Every worksheet through calamine. With ``failures`` given, a sheet calamine cannot
    read (or one too large) is noted there and the others are read; without, it raises."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    workbook = _open_calamine(source, fmt)
    ods_merged = _ods_merged(source) if fmt == "ods" else {}
    try:
        grids = []
        for meta in workbook.sheets_metadata:
            if meta.typ not in (SheetTypeEnum.WorkSheet,):
                continue
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                if sheet.height * sheet.width > MAX_CELLS:
                    raise TooLarge(sheet.height * sheet.width)
                rows = sheet.to_python(skip_empty_area=False)
                merged = ods_merged.get(meta.name) if fmt == "ods" else [
                    (r0, c0, r1, c1) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            except _FATAL:
                raise
            except BaseException as exc:  # noqa: BLE001 - pyo3's PanicException included
                if failures is None:
                    raise
                failures.append((meta.name, Failure.of(exc)))
                continue
            grids.append(Grid(meta.name, rows, merged, meta.visible != SheetVisibleEnum.Visible,
                              sorted(gaps.get(meta.name, []))))
        return grids
    finally:
        workbook.close()


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_CELLS = {f"{{{_ODS_TABLE}}}table-cell", f"{{{_ODS_TABLE}}}covered-table-cell"}


def _ods_merged(source: Source) -> dict[str, list[tuple[int, int, int, int]]]:
    """Each sheet's merged ranges in an ``.ods`` (0-based, inclusive), which calamine does not
    report: a cell's ``table:number-rows-spanned``/``number-columns-spanned`` in content.xml,
    its place counted through repeated rows and cells (``number-rows-repeated``,
    ``number-columns-repeated``), header-row and row-group wrappers included. Streamed with
    defusedxml; a sheet nested in a cell (never a ledger) is skipped. Unparsable → none."""
    t = f"{{{_ODS_TABLE}}}"
    merged: dict[str, list[tuple[int, int, int, int]]] = {}
    stack: list[str] = []            # open elements' tags
    sheet: list | None = None        # the current top-level sheet's ranges
    row = col = 0
    try:
        with source.zip() as zf, zf.open("content.xml") as fh:
            for event, el in SafeET.iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start":
                    stack.append(tag)
                    tables = stack.count(t + "table")
                    if tag == t + "table" and tables == 1:
                        sheet = merged.setdefault(el.get(t + "name", ""), [])
                        row = 0
                    elif tables == 1 and tag == t + "table-row":
                        col = 0
                    elif tables == 1 and tag in _ODS_CELLS and stack[-2] == t + "table-row":
                        rows = int(el.get(t + "number-rows-spanned", 1))
                        cols = int(el.get(t + "number-columns-spanned", 1))
                        repeat = int(el.get(t + "number-columns-repeated", 1))
                        if (rows > 1 or cols > 1) and tag == t + "table-cell" and sheet is not None:
                            sheet.append((row, col, row + rows - 1, col + cols - 1))
                        col += repeat
                    continue
                stack.pop()
                if tag == t + "table-row" and stack.count(t + "table") == 1:
                    row += int(el.get(t + "number-rows-repeated", 1))
                if tag in _ODS_CELLS or tag == t + "table-row" or tag == t + "table":
                    el.clear()
    except (KeyError, ValueError, zipfile.BadZipFile, SafeET.ParseError, OSError):
        return {}
    return merged


@dataclass
class Read:
    """The grids of a workbook, the sheets that could not be read, or why none could."""
    grids: list[Grid] | None
    sheet_failures: list[tuple[str, Failure]] = field(default_factory=list)
    failure: Failure | None = None


def _read_isolated(source: Source, fmt: str, gaps: dict[str, list[tuple[int, int]]],
                   big: bool, isolated: bool = True) -> Read | None:
    """An ordinary ``.xlsx`` (every sheet's cells bounded by ``sheet_marks``) is read here;
    everything else — legacy ``.xls``, ``.xlsb``, ``.ods``, a sheet that may be huge, a file
    calamine failed on — in a child process with memory and time limits (docs/reliability.md);
    None instead of that when not ``isolated``."""
    if fmt == "xlsx" and not big:
        try:
            return Read(_calamine_grids(source, fmt, gaps))
        except _FATAL:
            raise
        except BaseException:  # noqa: BLE001 - read again in a child, with openpyxl's help
            pass
    if not isolated:
        return None
    try:
        return isolate.run(_read_grids, source, fmt, gaps)
    except isolate.Isolated as exc:
        return Read(None, failure=exc.failure)


def _read_grids(source: Source, fmt: str, gaps: dict[str, list[tuple[int, int]]]) -> Read:
    """calamine, sheet by sheet; for ``.xlsx`` openpyxl (read-only, through defusedxml) reads
    what calamine cannot: the whole workbook, or the sheets it failed on."""
    failures: list[tuple[str, Failure]] = []
    try:
        grids = _calamine_grids(source, fmt, gaps, failures)
    except _FATAL:
        raise
    except BaseException as exc:  # noqa: BLE001 - pyo3's PanicException included
        if fmt != "xlsx":
            return Read(None, failure=Failure.of(exc))
        try:
            grids, failures = _openpyxl_grids(source, gaps, None)
        except _FATAL:
            raise
        except BaseException:  # noqa: BLE001 - calamine's reason is the one reported
            return Read(None, failure=Failure.of(exc))
        return Read(grids, failures)
    retry = [name for name, failure in failures if failure.kind == "error"]
    if fmt != "xlsx" or not retry:
        return Read(grids, failures)
    try:
        found, _ = _openpyxl_grids(source, gaps, set(retry))
    except _FATAL:
        raise
    except BaseException:  # noqa: BLE001 - the sheets stay failed as calamine said
        return Read(grids, failures)
    recovered = {grid.name for grid in found}
    failures = [(name, f) for name, f in failures if name not in recovered]
    order = found_order(source)
    grids = sorted(grids + found, key=lambda g: order.get(g.name, len(order)))
    return Read(grids, failures)


def found_order(source: Source) -> dict[str, int]:
    """Sheet name → position in the workbook, as openpyxl lists them."""
    try:
        return {name: i for i, name in enumerate(_openpyxl_book(source).sheetnames)}
    except Exception:  # noqa: BLE001 - order then stays calamine's
        return {}


def _openpyxl_book(source: Source):
    import openpyxl

    handle = io.BytesIO(source.data) if source.data is not None else source.path
    if source.data is None and source.path.suffix.lower() not in (".xlsx", ".xlsm"):
        handle = io.BytesIO(source.path.read_bytes())     # openpyxl goes by the extension
    return openpyxl.load_workbook(handle, read_only=True, data_only=True, keep_links=False)


def _openpyxl_grids(source: Source, gaps: dict[str, list[tuple[int, int]]],
                    names: set[str] | None) -> tuple[list[Grid], list[tuple[str, Failure]]]:
    """Worksheets (all, or those in ``names``) through openpyxl; a sheet it also fails on, or
    one over ``MAX_CELLS``, is a failure. Trailing empty cells are dropped."""
    book = _openpyxl_book(source)
    grids: list[Grid] = []
    failures: list[tuple[str, Failure]] = []
    try:
        for ws in book.worksheets:
            if names is not None and ws.title not in names:
                continue
            try:
                rows, cells = [], 0
                for row in ws.iter_rows(values_only=True):
                    cells += len(row)
                    if cells > MAX_CELLS:
                        raise TooLarge(cells)
                    values = list(row)
                    while values and values[-1] in (None, ""):
                        values.pop()
                    rows.append(values)
                while rows and not rows[-1]:
                    rows.pop()
            except _FATAL:
                raise
            except BaseException as exc:  # noqa: BLE001 - this sheet only
                failures.append((ws.title, Failure.of(exc)))
                continue
            grids.append(Grid(ws.title, rows, [], ws.sheet_state != "visible",
                              sorted(gaps.get(ws.title, []))))
    finally:
        book.close()
    return grids, failures


def _why(failure: Failure) -> tuple[str, str, dict]:
    """(code, reason, params) saying why a file or sheet could not be read: ``reason`` names
    the templates of codes.py ("F — files": ``reason`` for the file, ``sheet_`` + reason)."""
    if failure.kind == "memory":
        return ("F009", "memory", {"limit": isolate.CHILD_MEMORY // 2**20})
    if failure.kind == "time":
        return ("F009", "time", {"seconds": failure.detail})
    if failure.kind == "cells":
        return ("F009", "cells", {"cells": int(failure.detail), "limit": MAX_CELLS})
    if failure.kind == "crash":
        return ("F001", "crash", {"detail": failure.detail})
    return ("F001", "unparsable", {"detail": failure.detail})


def _file_failure(rel: str, failure: Failure) -> Finding:
    code, reason, params = _why(failure)
    return file_finding(code, rel, reason, params)


def _sheet_failure(rel: str, sheet: str, failure: Failure) -> Finding:
    code, reason, params = _why(failure)
    return file_finding(code, rel, "sheet_" + reason, {"sheet": sheet, **params}, sheet=sheet)


# ---------------------------------------------------------------------------------------
# xlsx internals read straight from the zip (small parts parsed with defusedxml)

def xlsx_meta(zf: zipfile.ZipFile) -> tuple[bool, dict[str, str]]:
    """The 1904 flag and sheet name → worksheet part path. The workbook part is found through
    the package relationships (it need not be ``xl/workbook.xml``; names may use ``\\``)."""
    names = {n.replace("\\", "/").lower(): n for n in zf.namelist()}
    book = _main_part(zf, names)
    if book is None:
        return False, {}
    root = SafeET.fromstring(zf.read(names[book]))
    date1904 = False
    for pr in root.iter(f"{{{MAIN_NS}}}workbookPr"):
        date1904 = pr.get("date1904", "0").lower() in ("1", "true")
    base = PurePosixPath(book).parent
    targets = _relationships(zf, names, str(base / "_rels" / (PurePosixPath(book).name + ".rels")), base)
    parts = {}
    for sheet in root.iter(f"{{{MAIN_NS}}}sheet"):
        part = targets.get(sheet.get(f"{{{REL_NS}}}id", ""))
        if part and part.lower() in names:
            parts[sheet.get("name", "")] = names[part.lower()]
    return date1904, parts


def _main_part(zf: zipfile.ZipFile, names: dict[str, str]) -> str | None:
    """The lower-cased path of the workbook part: the package's officeDocument relationship,
    else the one part named ``workbook.xml``."""
    for target in _relationships(zf, names, "_rels/.rels", PurePosixPath(""), "/officeDocument").values():
        if target.lower() in names and target.lower().endswith(".xml"):
            return target.lower()
    found = sorted(n for n in names if n.endswith("workbook.xml"))
    return found[0] if found else None


def _relationships(zf: zipfile.ZipFile, names: dict[str, str], rels: str,
                   base: PurePosixPath, kind: str = "") -> dict[str, str]:
    """Relationship id → target part path (resolved against ``base``) of one .rels part;
    only relationships whose type ends with ``kind``, when given."""
    name = names.get(rels.lower().lstrip("/"))
    if name is None:
        return {}
    targets = {}
    for rel in SafeET.fromstring(zf.read(name)).iter(f"{{{PKG_REL_NS}}}Relationship"):
        if not rel.get("Type", "").endswith(kind):
            continue
        target = rel.get("Target", "").replace("\\", "/")
        path = target.lstrip("/") if target.startswith("/") else str(base / target)
        parts: list[str] = []
        for piece in path.split("/"):
            if piece == "..":
                if parts:
                    parts.pop()
            elif piece not in ("", "."):
                parts.append(piece)
        targets[rel.get("Id", "")] = "/".join(parts)
    return targets


_STRIKE = re.compile(rb"<(?:\w+:)?strike\b([^>]*)>")
_STRIKE_OFF = re.compile(rb'\bval\s*=\s*["\'](?:0|false)["\']')


def struck_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """The cell formats (``cellXfs`` indexes, a cell's ``s="N"``) whose font is struck through
    (``<strike/>``, ``<strike val="1"/>``; ``val="0"``/``"false"`` is not). Format 0, every
    unstyled cell's, is never counted, nor any format on font 0: a default font struck through
    is no row crossed out.
    The styles part (found as the workbook part is, through its relationships; else
    ``xl/styles.xml``) is small; it is parsed only when the word ``strike`` is in it."""
    names = {n.replace("\\", "/").lower(): n for n in zf.namelist()}
    book = _main_part(zf, names)
    part = ""
    if book is not None:
        base = PurePosixPath(book).parent
        rels = str(base / "_rels" / (PurePosixPath(book).name + ".rels"))
        part = next(iter(_relationships(zf, names, rels, base, "/styles").values()), "")
    name = names.get(part.lower()) or names.get("xl/styles.xml")
    if name is None:
        return frozenset()
    data = zf.read(name)
    if b"strike" not in data or not any(
            _STRIKE_OFF.search(m.group(1)) is None for m in _STRIKE.finditer(data)):
        return frozenset()
    try:
        root = SafeET.fromstring(data)
    except SafeET.ParseError:
        return frozenset()
    ns = f"{{{MAIN_NS}}}"
    fonts = root.find(f"{ns}fonts")
    struck_fonts = set()
    for i, font in enumerate(fonts.findall(f"{ns}font") if fonts is not None else ()):
        strike = font.find(f"{ns}strike")
        if strike is not None and strike.get("val", "1").strip().lower() not in ("0", "false"):
            struck_fonts.add(str(i))
    xfs = root.find(f"{ns}cellXfs")
    formats = xfs.findall(f"{ns}xf") if xfs is not None else []
    # the default font (font 0: the 常规/Normal style's) struck strikes the whole workbook,
    # headers and all: no row crossed out, whichever format (a border, a date format) a
    # cell adds to it
    struck_fonts.discard("0")
    return frozenset(i for i, xf in enumerate(formats)
                     if i and xf.get("fontId", "0") in struck_fonts)


_CELL_STYLE = re.compile(rb"<(?:\w+:)?c\b([^>]*\bs=\"(\d+)\"[^>]*)>")


def struck_cells(data: bytes, styles: frozenset[int]) -> frozenset[tuple[int, int]]:
    """(row0, col0) of the cells of a worksheet part whose format is one of ``styles``."""
    found = set()
    for match in _CELL_STYLE.finditer(data):
        if int(match.group(2)) in styles:
            ref = _REF.search(match.group(1))
            if ref:
                found.add((int(ref.group(2)) - 1, column_index(ref.group(1).decode())))
    return frozenset(found)


def put_errors(rows: list[list[Any]], errors: dict[tuple[int, int], str]) -> None:
    """Put each error cell's text (as ``CellError``) where calamine left an empty cell."""
    for (r, c), text in errors.items():
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([""] * (c + 1 - len(row)))
        if row[c] in ("", None):
            row[c] = CellError(text)


def sheet_marks(zf: zipfile.ZipFile, part: str
                 ) -> tuple[list[tuple[int, int]], dict[tuple[int, int], str], bool]:
    """Formula cells without a cached value (F007) and cells showing an error value (F011),
    both read as empty by calamine, and whether the sheet may be too large to read in this
    process (see ``_Reach``). One streamed look decides whether the part needs a closer one;
    most sheets have neither."""
    seen = errors = False
    tail = rest = b""
    reach: _Reach | None = None
    beyond = False
    done = 0                                   # bytes searched for cells already
    with zf.open(part) as fh:
        while chunk := fh.read(CHUNK):
            if reach is None:
                reach = _Reach.of(chunk)
            if _tag_hint(chunk) and _FORMULA_TAG.search(chunk) \
                    or _FORMULA_TAG.search(tail + chunk[:16]):
                seen = True
                break
            # a cell tag cut at the chunk's end is searched with the next chunk: the end kept
            # (``rest``) is searched with this chunk's start, then the chunk itself (no copy of
            # the whole chunk: a big sheet is tens of them)
            keep = min(_TAG_SPAN, len(chunk))
            beyond = beyond or (rest != b"" and reach.exceeded(rest + chunk[:_TAG_SPAN], len(rest))) \
                or reach.exceeded(chunk, len(chunk) - keep)
            rest = chunk[len(chunk) - keep:]
            done += len(chunk) - keep
            errors = errors or _ERROR_TYPE in chunk or _ERROR_TYPE in tail + chunk[:16]
            tail = chunk[-16:]
        else:
            beyond = beyond or (reach is not None and reach.exceeded(rest))
    big = reach is not None and (reach.big or beyond)
    if not seen:
        return [], (_error_cells(zf.read(part)) if errors else {}), big
    data = zf.read(part)
    big = big or (reach is not None and reach.exceeded(data[done:]))
    return _formula_gaps(data), (_error_cells(data) if _ERROR_TYPE in data else {}), big


_TAG_SPAN = 32      # longer than any cell tag's start: <x:c r="XFD1048576"

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d{1,7})'
                        rb'(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?"')


_PREFIX = re.compile(rb"<(\w+):(?:worksheet|sheetData)\b")


@dataclass(frozen=True)
class _Reach:
    """How far a worksheet's cells may reach. calamine allocates a sheet's whole bounding box
    (a 1 KB file with cells at A1 and XFD1048576 would need 500 GB), so before it runs in
    this process the box is bounded: the ``<dimension>`` claims a corner (without one,
    ``Z9999`` is assumed), and one search finds any cell that does not start with a reference
    inside the claim — one with more column letters or more characters than the corner, or
    one without a reference (calamine then counts cells along the row, so a row of bare
    ``<c/>`` could reach any column). ``big``: the claimed box may hold more than MAX_CELLS
    cells; then, or when a cell is found, the sheet is read in a child process."""
    big: bool
    beyond: re.Pattern

    @classmethod
    def of(cls, head: bytes) -> "_Reach":
        # each search only where its word occurs: either pattern tries every "<" of the head
        # (a 1 MB chunk: ~4 ms) before it fails
        found = _DIMENSION.search(head) if b"dimension" in head else None
        col, row = (found.group(3) or found.group(1), found.group(4) or found.group(2)) \
            if found else (b"Z", b"9999")
        letters, length = len(col), len(col) + len(row)
        if letters == 1:
            # the usual sheet (columns A–Z): its last column and the first digit of its last
            # row bound the box too — K150001 allows A–K and rows up to 199999, not Z999999,
            # so a 150,000-row ledger is read here, not in a child (issue #20)
            digits, first = len(row), int(row[:1])
            rows = ([b"[0-9]{1,%d}+" % (digits - 1)] if digits > 1 else []) \
                + [b"[0-%d][0-9]{%d}" % (first, digits - 1)]
            bound = (column_index(col.decode()) + 1) * ((first + 1) * 10 ** (digits - 1) - 1)
            inside = b"[A-" + col + b"](?:" + b"|".join(rows) + b")"
        else:
            bound = max((column_index("Z" * k) + 1) * (10 ** (length - k) - 1)
                        for k in range(1, letters + 1))
            inside = b"|".join(b"[A-Z]{%d}[0-9]{1,%d}+" % (k, length - k)
                               for k in range(1, letters + 1) if length - k >= 1)
        prefix = _PREFIX.search(head) if b":worksheet" in head or b":sheetData" in head else None
        tag = b"<" + (prefix.group(1) + b":" if prefix else b"") + b"c"
        # a literal prefix and one lookahead per cell: as fast as a plain search for "<c"
        return cls(bound > MAX_CELLS, re.compile(re.escape(tag) + b'(?! r="(?:' + inside + b')")[\\s>/]'))

    def exceeded(self, data: bytes, stop: int | None = None) -> bool:
        """A cell found in ``data`` starting before ``stop`` (default: anywhere)."""
        found = self.beyond.search(data)
        return found is not None and (stop is None or found.start() < stop)


_HINT_TRIES = 32      # 'f's looked at one by one before searching for "<f" / ":f" outright


def _tag_hint(chunk: bytes) -> bool:
    """``b"<f" in chunk or b":f" in chunk``, found faster: a worksheet holds few 'f' bytes
    outside formulas (finding one byte is a memchr; two-byte searches stop at every '<')."""
    find = chunk.find
    at = find(b"f", 1)
    for _ in range(_HINT_TRIES):
        if at < 0:
            return False
        if chunk[at - 1] in b"<:":
            return True
        at = find(b"f", at + 1)
    return at >= 0 and (b"<f" in chunk or b":f" in chunk)


def _error_cells(data: bytes) -> dict[tuple[int, int], str]:
    """(row0, col0) → the error text (``#N/A`` …) of each ``t="e"`` cell of a worksheet part."""
    found = {}
    for match in _ERROR_CELL.finditer(data):
        ref = _REF.search(match.group(1))
        if ref:
            text = match.group(2).decode("utf-8", errors="replace").strip() or "#N/A"
            found[(int(ref.group(2)) - 1, column_index(ref.group(1).decode()))] = text[:20]
    return found


def _formula_gaps(data: bytes) -> list[tuple[int, int]]:
    """Cells holding a formula but no cached value (file never recalculated by Excel/WPS)."""
    gaps = []
    for match in _FORMULA_CELL.finditer(data):
        attrs, empty_v = match.group(1), match.group(2)
        if empty_v is not None and _STR_TYPE.search(attrs):
            continue            # a formula whose result is the empty string ""
        ref = _REF.search(attrs)
        if ref:
            gaps.append((int(ref.group(2)) - 1, column_index(ref.group(1).decode())))
    return gaps


def _xlsx_serial_60(source: Source, part: str) -> frozenset[tuple[int, int]]:
    """Cells of one worksheet part holding the number 60.x (not text, bool or error)."""
    with source.zip() as zf:
        data = zf.read(part)
    found = set()
    for match in _SERIAL_60.finditer(data):
        if _NOT_NUMBER.search(match.group(1)):
            continue
        ref = _REF.search(match.group(1))
        if ref:
            found.add((int(ref.group(2)) - 1, column_index(ref.group(1).decode())))
    return frozenset(found)


def column_index(letters: str) -> int:
    """``A`` → 0, ``AA`` → 26."""
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _xls_date1904(source: Source) -> bool:
    """The DATEMODE record of a BIFF workbook's globals (1 = 1904 date system)."""
    try:
        with source.ole() as ole:
            data = ole.openstream(workbook_stream(ole)).read(1 << 20)
    except Exception:  # noqa: BLE001 - calamine will report a broken file
        return False
    pos = 0
    while pos + 4 <= len(data):
        rtype, length = struct.unpack_from("<HH", data, pos)
        if rtype == 0x0022 and length >= 2:
            return struct.unpack_from("<H", data, pos + 4)[0] == 1
        if rtype == 0x000A:       # EOF of the globals substream
            return False
        pos += 4 + length
    return False


def _biff_sheets(source: Source) -> tuple[bytes, dict[str, int]]:
    """A BIFF8 workbook stream and the offset of each worksheet's substream, by sheet name
    (BOUNDSHEET records of the globals). Empty for BIFF5 and older (``Book`` stream)."""
    with source.ole() as ole:
        stream = workbook_stream(ole)
        if stream is None or stream.lower() != "workbook":
            return b"", {}
        data = ole.openstream(stream).read()
    offsets: dict[str, int] = {}
    for rtype, pos, length in _biff_records(data, 0):
        if rtype == 0x0085 and length >= 8:                     # BOUNDSHEET8
            start, cch, flags = struct.unpack_from("<I2xBB", data, pos)
            wide = flags & 1
            name = data[pos + 8:pos + 8 + cch * (2 if wide else 1)]
            offsets[name.decode("utf-16-le" if wide else "latin-1", errors="replace")] = start
    return data, offsets


def _biff_records(data: bytes, pos: int):
    """(type, body offset, body length) of the records of one substream, up to its EOF."""
    while pos + 4 <= len(data):
        rtype, length = struct.unpack_from("<HH", data, pos)
        yield rtype, pos + 4, length
        if rtype == 0x000A:                                      # EOF
            return
        pos += 4 + length


def _rk(rk: int) -> float:
    """An RK number (BIFF's compact int/float)."""
    if rk & 2:
        value = float(struct.unpack("<i", struct.pack("<I", rk))[0] >> 2)
    else:
        value = struct.unpack("<d", struct.pack("<Q", (rk & 0xFFFFFFFC) << 32))[0]
    return value / 100 if rk & 1 else value


def _biff_numbers(data: bytes, start: int):
    """(row0, col0, number) of the number cells and numeric formula results of one sheet."""
    for rtype, pos, length in _biff_records(data, start):
        if rtype == 0x0203 and length >= 14:                     # NUMBER
            row, col = struct.unpack_from("<HH", data, pos)
            yield row, col, struct.unpack_from("<d", data, pos + 6)[0]
        elif rtype == 0x027E and length >= 10:                   # RK
            row, col, _, rk = struct.unpack_from("<HHHI", data, pos)
            yield row, col, _rk(rk)
        elif rtype == 0x00BD and length >= 6:                    # MULRK
            row, first = struct.unpack_from("<HH", data, pos)
            for i in range((length - 6) // 6):
                yield row, first + i, _rk(struct.unpack_from("<I", data, pos + 6 + 6 * i)[0])
        elif rtype == 0x0006 and length >= 14 and data[pos + 12:pos + 14] != b"\xff\xff":
            row, col = struct.unpack_from("<HH", data, pos)      # FORMULA with a number
            yield row, col, struct.unpack_from("<d", data, pos + 6)[0]


def _xls_errors(source: Source) -> dict[str, dict[tuple[int, int], str]]:
    """Error cells of a legacy workbook by sheet: BOOLERR records and FORMULA records whose
    result is an error. The stream is walked only when a byte pattern hints at one."""
    try:
        data, offsets = _biff_sheets(source)
    except Exception:  # noqa: BLE001 - calamine reports a broken file
        return {}
    if not _BIFF_ERROR_HINT.search(data):
        return {}
    found: dict[str, dict[tuple[int, int], str]] = {}
    for sheet, start in offsets.items():
        for rtype, pos, length in _biff_records(data, start):
            if rtype == 0x0205 and length >= 8 and data[pos + 7] == 1:            # BOOLERR
                code = data[pos + 6]
            elif rtype == 0x0006 and length >= 14 and data[pos + 6] == 2 \
                    and data[pos + 12:pos + 14] == b"\xff\xff":                   # FORMULA → error
                code = data[pos + 8]
            else:
                continue
            row, col = struct.unpack_from("<HH", data, pos)
            found.setdefault(sheet, {})[(row, col)] = _BIFF_ERRORS.get(code, "#N/A")
    return found


def _xls_serial_60(source: Source, sheet: str) -> frozenset[tuple[int, int]]:
    """Cells of one legacy worksheet holding the number 60.x."""
    data, offsets = _biff_sheets(source)
    if sheet not in offsets:
        return frozenset()
    return frozenset((row, col) for row, col, value in _biff_numbers(data, offsets[sheet])
                     if 60 <= value < 61)


# ---------------------------------------------------------------------------------------
# formula cells (to tell a summary sheet of formulas over other sheets from a ledger)

def _attach_formula_sources(book: Book, source: Source, fmt: str, parts: dict[str, str]) -> None:
    for grid in book.grids or ():
        if fmt == "xlsx" and grid.name in parts:
            grid.formula_source = partial(_xlsx_formulas, source, parts[grid.name])
        elif fmt == "xls":
            grid.formula_source = partial(_xls_formulas, source, grid.name)


_F_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:\w+:)?f>)")
_SHARED_INDEX = re.compile(rb'\bsi="(\d+)"')


def _xlsx_formulas(source: Source, part: str) -> Formulas:
    """Formula cells of one worksheet part; a shared formula's cells take its master's text."""
    with source.zip() as zf:
        data = zf.read(part)
    if not (_tag_hint(data) and _FORMULA_TAG.search(data)):
        return _NO_FORMULAS
    cells, cross = set(), set()
    shared: dict[bytes, bool] = {}
    for match in _F_CELL.finditer(data):
        ref = _REF.search(match.group(1))
        if not ref:
            continue
        text = match.group(3)
        si = _SHARED_INDEX.search(match.group(2))
        if text:
            reaches = b"!" in text
            if si:
                shared[si.group(1)] = reaches
        else:
            reaches = bool(si) and shared.get(si.group(1), False)
        at = (int(ref.group(2)) - 1, column_index(ref.group(1).decode()))
        cells.add(at)
        if reaches:
            cross.add(at)
    return Formulas(frozenset(cells), frozenset(cross))


# BIFF8 formula tokens (ptg) → size of the token's data; 3-D references reach another sheet
_PTG_SIZES = {0x01: 4, 0x02: 4, 0x1C: 1, 0x1D: 1, 0x1E: 2, 0x1F: 8}
for _base, _size in ((0x20, 7), (0x21, 2), (0x22, 3), (0x23, 4), (0x24, 4), (0x25, 8),
                     (0x26, 6), (0x27, 6), (0x28, 6), (0x29, 2), (0x2A, 4), (0x2B, 8),
                     (0x2C, 4), (0x2D, 8), (0x39, 6), (0x3A, 6), (0x3B, 10), (0x3C, 6),
                     (0x3D, 10)):
    for _class in (0x00, 0x20, 0x40):
        _PTG_SIZES[_base + _class] = _size
for _op in range(0x03, 0x17):
    _PTG_SIZES[_op] = 0
_PTG_3D = frozenset(b + k for b in (0x39, 0x3A, 0x3B, 0x3C, 0x3D) for k in (0x00, 0x20, 0x40))


def _rgce_cross(rgce: bytes) -> bool:
    """True when a parsed formula holds a 3-D reference (another sheet, or a name of one)."""
    i = 0
    while i < len(rgce):
        ptg = rgce[i]
        if ptg in _PTG_3D:
            return True
        if ptg == 0x17 and i + 2 < len(rgce):                   # ptgStr
            i += 3 + rgce[i + 1] * (2 if rgce[i + 2] & 1 else 1)
        elif ptg == 0x19 and i + 3 < len(rgce):                 # ptgAttr
            count = struct.unpack_from("<H", rgce, i + 2)[0]
            i += 4 + (2 * (count + 1) if rgce[i + 1] & 0x04 else 0)
        elif ptg in _PTG_SIZES:
            i += 1 + _PTG_SIZES[ptg]
        else:
            return False                                        # a token not walked: unknown
    return False


def _xls_formulas(source: Source, sheet: str) -> Formulas:
    """Formula cells of one legacy worksheet (FORMULA records; shared formulas by SHRFMLA)."""
    data, offsets = _biff_sheets(source)
    if sheet not in offsets:
        return _NO_FORMULAS
    cells: dict[tuple[int, int], bool | tuple[int, int]] = {}
    shared: dict[tuple[int, int], bool] = {}
    last: tuple[int, int] | None = None
    for rtype, pos, length in _biff_records(data, offsets[sheet]):
        if rtype == 0x0006 and length >= 22:                    # FORMULA
            row, col = struct.unpack_from("<HH", data, pos)
            cce = struct.unpack_from("<H", data, pos + 20)[0]
            rgce = data[pos + 22:pos + 22 + cce]
            if rgce[:1] == b"\x01" and len(rgce) >= 5:          # ptgExp: a shared formula
                cells[(row, col)] = struct.unpack_from("<HH", rgce, 1)
            else:
                cells[(row, col)] = _rgce_cross(rgce)
            last = (row, col)
        elif rtype == 0x04BC and length >= 10 and last is not None:   # SHRFMLA
            first_row, _, first_col = struct.unpack_from("<HHB", data, pos)
            cce = struct.unpack_from("<H", data, pos + 8)[0]
            shared[(first_row, first_col)] = _rgce_cross(data[pos + 10:pos + 10 + cce])
    cross = {at for at, how in cells.items()
             if how is True or (type(how) is tuple and shared.get(how, False))}
    return Formulas(frozenset(cells), frozenset(cross))


# ---------------------------------------------------------------------------------------
# CSV

def read_csv(path: Path, rel: str) -> Book:
    """Decode and parse a CSV file into one grid named after the file."""
    data = path.read_bytes()
    book = Book("csv", None)
    text = _decode(data, rel, book.findings)
    rows = _parse_csv(text, rel, book.findings)
    if '="' in text or "'" in text:
        rows = _unguard(rows)
    book.grids = [Grid(path.stem, rows)]
    return book


def _decode(data: bytes, rel: str, findings: list[Finding]) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return _decode_with(data[3:], "utf-8", rel, findings)
    utf16 = utf16_encoding(data)
    if utf16 is not None:
        findings.append(file_finding("F010", rel, "utf16"))
        return _decode_with(data, utf16, rel, findings)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    findings.append(file_finding("F010", rel, "gbk"))
    return text if text is not None else _decode_with(data, "gb18030", rel, findings)


def _decode_with(data: bytes, encoding: str, rel: str, findings: list[Finding]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        findings.append(file_finding("F010", rel, "bad_bytes", {"encoding": encoding}, severity="warning"))
        return data.decode(encoding, errors="replace")


def _parse_csv(text: str, rel: str, findings: list[Finding]) -> list[list[Any]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    lines = text.splitlines(keepends=True)
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    rows: list[list[Any]] = []
    while True:
        start = reader.line_num
        try:
            rows.append(next(reader))
        except StopIteration:
            return rows
        except csv.Error:
            break
    findings.append(file_finding("F010", rel, "unmatched_quote", {"row": len(rows) + 1}, severity="warning"))
    rest = csv.reader(iter(lines[start:]), delimiter=delimiter, quoting=csv.QUOTE_NONE)
    rows.extend(rest)
    return rows


# ``="310117…"``: Excel's way to keep a number-like text as text in a CSV (a formula returning
# the text; ``""`` inside is one quote)
_TEXT_GUARD = re.compile(r'="((?:[^"]|"")*)"')


def _unguard(rows: list[list[Any]]) -> list[list[Any]]:
    """The text marks other systems write into a CSV so that Excel keeps ids and phones as
    text: ``="…"`` becomes the text inside, and a leading apostrophe (``'310117…``, Excel's
    text marker, which Excel shows literally when it opens such a CSV) is dropped — in every
    column, since a clerk's text hardly ever starts with one; a word in single quotes (``'好'``)
    stays as written. Cells are looked at only when the file holds ``="`` or ``'`` at all."""
    for row in rows:
        for i, cell in enumerate(row):
            head = cell[:1]
            if head == "=" or (head in (" ", "\t") and cell.lstrip()[:2] == '="'):
                found = _TEXT_GUARD.fullmatch(cell.strip())
                if found is not None:
                    row[i] = found[1].replace('""', '"')
            elif head == "'" and not (len(cell) > 1 and cell.endswith("'")):
                row[i] = cell[1:]
    return rows
