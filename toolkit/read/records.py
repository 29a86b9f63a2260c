"""Rows of a recognised sheet → ``Record`` objects with provenance, values normalised.

Rows below the header that are not records: blank rows (or rows holding only a 序号),
合计/小计/总计 rows, ``注：…`` note rows, and a header row repeated mid-sheet (a copy-pasted
block). Every other row that holds data becomes a record — never silently dropped.
Each cell is normalised by ``toolkit.read.normalise.parse``, memoised per column over unique
raw values; failures become D-findings on the record, spelling fixes one D112 per column.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from toolkit import schema
from toolkit.model import Cell, Finding, Record, Text, finding
from toolkit.read.headers import Layout, cell_text, normalise_header
from toolkit.read.normalise import Parsed, parse
from toolkit.read.sheets import Grid, column_letter

_TOTALS = tuple(schema.TOTAL_MARKS)
_NOTES = tuple(unicodedata.normalize("NFKC", p) for p in schema.NOTE_PREFIXES) + schema.NOTE_PREFIXES
_EMPTY_PARSED = Parsed(None)


@dataclass
class SheetRecords:
    """What one sheet gave: its records, the findings made on them, rows skipped as repeats."""
    records: list[Record] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    repeated_headers: list[int] = field(default_factory=list)   # Excel rows


@dataclass
class _Column:
    index: int
    key: str
    type: str
    letter: str
    header: str
    memo: dict = field(default_factory=dict)
    changed: int = 0
    example: tuple[Any, Any, int] | None = None   # (raw, value, Excel row) of the first change


def build_records(grid: Grid, layout: Layout, *, file: str, as_of: date,
                  date1904: bool = False) -> SheetRecords:
    """Records of ``grid`` below ``layout``'s header, in row order."""
    kind = layout.kind
    ledger = schema.LEDGERS[kind]
    columns = [_Column(c, key, ledger.column(key).type, column_letter(c), layout.headers[c])
               for c, key in sorted(layout.mapping.items())]
    serial = set(layout.serial)
    out = SheetRecords()
    for r in range(layout.header_row + 1, len(grid.rows)):
        row = grid.rows[r]
        verdict = _row_kind(row, serial, layout)
        if verdict == "repeat":
            out.repeated_headers.append(r + 1)
        if verdict:
            continue
        out.records.append(_record(row, r + 1, columns, kind, file, grid.name, as_of, date1904,
                                   out.findings))
    out.findings.extend(_normalised_findings(columns, kind, file, grid.name))
    return out


def _record(row: list[Any], excel_row: int, columns: list[_Column], kind: str, file: str,
            sheet: str, as_of: date, date1904: bool, findings: list[Finding]) -> Record:
    rec = Record(kind, file, sheet, excel_row)
    values, cells = rec.values, rec.cells
    errors: list[tuple[str, Parsed]] = []
    width = len(row)
    for col in columns:
        raw = row[col.index] if col.index < width else None
        if raw is None or raw == "":
            values[col.key] = None
            cells[col.key] = Cell(col.letter, col.header, None)
            continue
        memo_key = raw if type(raw) is str else (type(raw), raw)
        memo = col.memo.get(memo_key)
        if memo is None:
            parsed = parse(col.type, raw, as_of=as_of, date1904=date1904)
            visible = parsed.changed and show(raw, col.type) != show(parsed.value, col.type)
            memo = col.memo[memo_key] = (parsed, visible)
        parsed, visible = memo
        values[col.key] = parsed.value
        cells[col.key] = Cell(col.letter, col.header, raw)
        if parsed.error:
            errors.append((col.key, parsed))
        elif visible:
            col.changed += 1
            if col.example is None:
                col.example = (raw, parsed.value, excel_row)
    for key, parsed in errors:
        rec.invalid.add(key)
        detail = parsed.detail or Text(f"无法识别：{rec.raw(key)}", f"cannot read: {rec.raw(key)}")
        findings.append(finding(parsed.error, detail, record=rec, key=key))
    return rec


def _row_kind(row: list[Any], serial: set[int], layout: Layout) -> str | None:
    """Why a row is not a record (``blank``/``total``/``note``/``repeat``), or None."""
    first = None
    filled = 0
    for c, value in enumerate(row):
        if value is None or value == "" or (type(value) is str and not value.strip()):
            continue
        if c in serial:
            continue
        filled += 1
        if first is None:
            first = value
    if not filled:
        return "blank"
    # a 合计 in the 序号 column counts too
    lead = next((v for v in row if cell_text(v)), first)
    if isinstance(lead, str):
        text = "".join(unicodedata.normalize("NFKC", lead).split())
        if text.startswith(_TOTALS):
            return "total"
        if text.startswith(_NOTES):
            return "note"
    if filled >= 2 and _is_header_repeat(row, layout, filled):
        return "repeat"
    return None


def _is_header_repeat(row: list[Any], layout: Layout, filled: int) -> bool:
    same = 0
    for c, texts in enumerate(layout.header_texts):
        if c < len(row) and texts and isinstance(row[c], str) and normalise_header(row[c]) in texts:
            same += 1
    return same >= 2 and same * 2 >= filled


def _normalised_findings(columns: list[_Column], kind: str, file: str, sheet: str) -> list[Finding]:
    """One D112 per column where at least one spelling was visibly normalised (a phone kept
    as the number 13812345678 and read as the text 13812345678 is not reported)."""
    out = []
    for col in columns:
        if not col.changed or col.example is None:
            continue
        raw, value, row = col.example
        shown_raw, shown = show(raw, col.type), show(value, col.type)
        out.append(finding(
            "D112", Text(f"「{col.header}」列有 {col.changed} 个值已统一格式，例如第 {row} 行 {shown_raw} → {shown}",
                         f"{col.changed} value(s) in column '{col.header}' were normalised, e.g. "
                         f"row {row}: {shown_raw} → {shown}"),
            kind=kind, file=file, sheet=sheet, row=row, column=col.letter, header=col.header,
            value=raw))
    return out


def show(value: Any, type_: str = schema.TEXT) -> str:
    """A raw or normalised value as a clerk would write it (for D112 examples)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if type_ == schema.BP and isinstance(value, tuple):
        return "/".join(show(v) for v in value)
    if type_ == schema.DAYS and isinstance(value, (set, frozenset)):
        return "、".join(schema.WEEKDAY_NAMES[d] for d in sorted(value))
    if isinstance(value, (set, frozenset, tuple, list)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "、".join(show(v) for v in items)
    return str(value).strip() if isinstance(value, str) else str(value)
