"""The one writer: xlsxwriter with safe options, atomic replace and reproducible bytes.

- strings are written as strings: no formula, URL or number conversion (formula injection);
- the workbook's ``created`` property is pinned to the as-of date, so the same inputs give the
  same bytes (xlsxwriter stamps zip entries with a fixed date);
- the file appears only when complete (``toolkit.files.atomic_path``); a target open in
  Excel/WPS, a read-only folder or a full disk give a clear OutputError.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import xlsxwriter
import xlsxwriter.exceptions

from toolkit import layout, schema
from toolkit.files import atomic_path, output_error
from toolkit.text import long_digits

WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}

# one palette for every output
RED, AMBER, BLUE, GREY = "#F8CBAD", "#FFE699", "#DDEBF7", "#D9D9D9"
SEVERITY_FILL = {"error": RED, "warning": AMBER, "info": BLUE}


def write_workbook(path: Path, build: Callable[["xlsxwriter.Workbook"], None], *, as_of: date,
                   title: str = "", author: str = schema.OUTPUT_AUTHOR,
                   constant_memory: bool = False, output: bool = False) -> Path:
    """Create ``path`` with ``build(workbook)``; atomic, string-safe, reproducible.

    ``output``: a report of the tool's own (not a ledger a clerk fills in): its keywords carry
    ``schema.OUTPUT_MARKER``, so it is never read as a ledger wherever it is saved.

    ``constant_memory``: stream rows to disk (fast and small for big sheets; rows must then
    be written in order, and merged ranges/row-level edits of earlier rows are not possible).
    """
    path = Path(path)
    # in memory unless streaming: the parts go straight into the zip, not through temp files
    options = dict(WORKBOOK_OPTIONS, constant_memory=True) if constant_memory else \
        dict(WORKBOOK_OPTIONS, in_memory=True)
    with atomic_path(path, suffix=".xlsx") as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), options)
        properties = {"title": title, "author": author, "company": "",
                      "created": datetime(as_of.year, as_of.month, as_of.day)}
        if output:
            properties["keywords"] = schema.OUTPUT_MARKER
        workbook.set_properties(properties)
        try:
            build(workbook)
        finally:
            try:
                workbook.close()
            except OSError as exc:
                raise output_error(path, exc) from exc
            except xlsxwriter.exceptions.FileCreateError as exc:   # wraps the OSError
                cause = exc.args[0] if exc.args else None
                raise output_error(path, cause if isinstance(cause, OSError)
                                    else OSError(str(exc))) from exc
    return path


def cell_text(value) -> object:
    """A value as it should land in a cell: dates/numbers stay, everything else is text."""
    if value is None:
        return ""
    if isinstance(value, (int, float, date)) and not isinstance(value, bool):
        return long_digits(value) or value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return "、".join(str(v) for v in items)
    return str(value)


def write_row(sheet, row: int, values, fmt=None, date_fmt=None, first_col: int = 0) -> None:
    """Write one row cell by cell with explicit types (text is always ``write_string``),
    starting at ``first_col``."""
    for col, value in enumerate(values, start=first_col):
        value = cell_text(value)
        if isinstance(value, datetime):
            sheet.write_datetime(row, col, value, date_fmt or fmt)
        elif isinstance(value, date):
            sheet.write_datetime(row, col, datetime(value.year, value.month, value.day),
                                 date_fmt or fmt)
        elif isinstance(value, (int, float)):
            sheet.write_number(row, col, value, fmt)
        elif value == "":
            sheet.write_blank(row, col, None, fmt)
        else:
            sheet.write_string(row, col, value, fmt)


def set_widths(sheet, widths, first_col: int = 0) -> list[float]:
    """Set the columns' widths (from ``first_col``); return them for ``fit_row``."""
    widths = list(widths)
    for col, width in enumerate(widths, start=first_col):
        sheet.set_column(col, col, width)
    return [0.0] * first_col + widths


def fit_row(sheet, row: int, values, widths, *, first_col: int = 0, spans=(),
            min_height: float = 0.0, font_size: float = layout.FONT_SIZE,
            max_lines: int = layout.MAX_LINES) -> None:
    """Give ``row`` the height its wrapped text needs (XlsxWriter does not, and LibreOffice and
    printers keep the stated height: a one-line row prints its wrapped text over the rows below).

    ``values`` start at ``first_col``; ``widths`` are the sheet's column widths from column 0;
    ``spans`` are ``(text, width)`` of merged ranges. A row whose text fits on one line keeps
    the default height unless ``min_height`` asks for more.
    """
    cells = list(spans)
    for col, value in enumerate(values, start=first_col):
        if col < len(widths):
            cells.append((cell_text(value), widths[col]))
    lines = layout.lines_needed(cells, font_size)
    height = layout.lines_height(lines, font_size=font_size, max_lines=max_lines,
                                 min_height=min_height)
    if lines > 1 or height > layout.DEFAULT_HEIGHT:
        sheet.set_row(row, height)


def print_setup(sheet, *, committee: str, as_of: date | None, lang: str = "zh",
                landscape: bool = True, repeat: tuple[int, int] | None = (0, 0),
                header: str | None = None, margins: dict | None = None,
                own_pages: bool = False) -> None:
    """Paper set-up of an output sheet: A4, landscape (or portrait), one page wide and as many
    tall as needed, the header rows ``repeat`` printed on every page, and the footer
    ``居委名称 · 第 N 页 / 共 M 页 · 检查日期``. Rows stay traceable on paper through the
    cells' borders (every table format has one). ``own_pages``: a sheet handed to one person
    numbers its own pages from 1 (``第 N 页``), whatever sheets are printed with it."""
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(**(margins or {"left": 0.4, "right": 0.4, "top": 0.6, "bottom": 0.6}))
    if repeat is not None:
        sheet.repeat_rows(*repeat)
    if header:
        sheet.set_header(f"&L{header.replace('&', '&&')}")
    sheet.set_footer(layout.page_footer(committee, as_of, lang, own_pages=own_pages))
    if own_pages:
        sheet.set_start_page(1)


# characters Windows refuses in file names, and its reserved device names
_UNSAFE_CHARS = frozenset('<>:"/\\|?*') | {chr(c) for c in range(32)} | {"\x7f"}
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
                      | {f"{dev}{n}" for dev in ("COM", "LPT") for n in "123456789¹²³"})
MAX_NAME = 80                 # characters; 80 CJK characters are 240 bytes (< 255 on every FS)


def safe_name(text: str, fallback: str = "_") -> str:
    """One path component made from free text (居委名称 from 设置.xlsx, a person's name …).

    No separators, no ``..``, no leading dot (hidden file), no characters Windows refuses, no
    trailing dot/space, never a reserved device name (``CON``, ``NUL``, ``COM1`` … also with an
    extension), at most ``MAX_NAME`` characters; Chinese text stays as it is. Idempotent and
    never empty.
    """
    name = "".join("_" if ch in _UNSAFE_CHARS or 0xD800 <= ord(ch) <= 0xDFFF else ch
                   for ch in str(text))
    name = re.sub(r"\.{2,}", "_", name).strip()
    name = name[:MAX_NAME].rstrip(". ")
    if name.startswith("."):
        name = "_" + name[1:]
    if name.split(".")[0].rstrip().upper() in _RESERVED:
        name = f"_{name}"[:MAX_NAME].rstrip(". ")
    return name or fallback
