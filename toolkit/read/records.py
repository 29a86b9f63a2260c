"""Rows of a recognised sheet → ``Record`` objects with provenance, values normalised.

Rows below the header that are not records: blank rows (or rows holding only a 序号, or
filled only in columns not read as a field: a note typed into 备注 or 所在楼组),
合计/小计/总计 rows, ``注：…`` note rows, and a header row repeated mid-sheet (a copy-pasted
block). Every other row that holds data becomes a record — never silently dropped.
Each cell is normalised by ``toolkit.read.normalise.parse``, memoised per column over unique
raw values; failures become D-findings on the record, spelling fixes one D112 per column.
"""
from __future__ import annotations

import gc
import re
import unicodedata
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain, compress
from operator import itemgetter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Callable

from toolkit import schema
from toolkit.codes import CODES
from toolkit.model import Cell, Finding, Record, RowCells, StruckRecord, Text, column_letter, finding
from toolkit.text import listing
from toolkit.read.headers import Layout, normalise_header
from toolkit.read.normalise import (Parsed, bool_words, bp_half, bp_readings, bp_text, clip,
                                    is_month_only, is_native_csv_date, latest_by, month_day, no_day,
                                    numeric_month_day, parse, parse_bp, parse_day_month,
                                    parse_period, phantom_day, reads_day_first, year_near)
from toolkit.read.sheets import CellError, Grid
from toolkit.workdays import Days, Period

_TOTALS = tuple(schema.TOTAL_MARKS)
_NOTES = tuple(unicodedata.normalize("NFKC", p) for p in schema.NOTE_PREFIXES) + schema.NOTE_PREFIXES
_EMPTY_PARSED = Parsed(None)
_DATE_TYPES = frozenset((date, datetime))
_SHOWN_FOR_60 = date(1900, 2, 28)        # how calamine shows Excel's serial 60 (1900-02-29)
_PHANTOM = phantom_day()
_VALID: frozenset[str] = frozenset()     # ``invalid`` of every row read without a failed cell


@dataclass
class SheetRecords:
    """What one sheet gave: its records, the findings made on them, rows skipped as repeats."""
    records: list[Record] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    repeated_headers: list[int] = field(default_factory=list)   # Excel rows
    # key -> (values normalised, its D112 finding, example raw and value as shown)
    changed: dict[str, tuple[int, Finding, str, str]] = field(default_factory=dict)
    # key -> the values of that column, one per record (what each record's ``values`` holds)
    columns: dict[str, list[Any]] | None = None
    # (row0, col0) of the formula cells without a cached value that were read as a record's
    # value (F007): cells of 合计/注 rows, blank rows and unmapped columns are not among them
    formula_gaps: list[tuple[int, int]] = field(default_factory=list)


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
    suspect: bool = False          # holds a date shown as 1900-02-28: maybe Excel's serial 60
    synonyms: dict[str, str] | None = None     # enum/multi: what staff write -> listed value
    words: tuple[frozenset[str], frozenset[str]] | None = None  # bool: the column's own words
    csv_dates: bool = False        # a CSV date column: 2026/5/26 is the file's normal form
    needs_day: bool = False        # a date column other than a birth month: 2026.11 is D102
    not_future: bool = False       # a date column whose dates cannot lie after as-of (D103)
    year_less: bool = False        # holds a date written without a year (11月3日)
    century: int = 0               # a two-digit year is in this century (elderly 出生日期: 1900)
    periods: bool = False          # a limit may be written as days (办理时限 15个工作日): a Period
    day_first: bool = False        # its year-less 25/5, 3/11 are day/month (``reads_day_first``)
    unit: str = ""                 # the header's unit when it is converted (分钟 for hours): a
    #                                plain number is read as written in it (30 → 30分钟 → 0.5)


def _column(kind: str, index: int, key: str, header: str, fmt: str, unit: str = "") -> _Column:
    spec = schema.LEDGERS[kind].column(key)
    col = _Column(index, key, spec.type, column_letter(index), header)
    col.unit = unit
    col.synonyms = schema.SYNONYMS.get((kind, key))
    if spec.type == schema.BOOL:
        col.words = bool_words((header,) + spec.names)
        extra = schema.BOOL_FIELD_WORDS.get((kind, key))
        if extra is not None:
            col.words = (col.words[0] | frozenset(extra[0]), col.words[1] | frozenset(extra[1]))
    col.csv_dates = fmt == "csv" and spec.type == schema.DATE
    col.needs_day = spec.type == schema.DATE and (kind, key) not in schema.MONTH_DATES
    col.not_future = key in schema.NOT_FUTURE_DATES.get(kind, ())
    col.century = schema.CENTURY_DATES.get((kind, key), 0)
    col.periods = (kind, key) in schema.PERIOD_DATES
    return col


def _fill_merged(grid: Grid, layout: Layout, kept: list[list[Any]], numbers: list[int]
                 ) -> dict[int, set[int]]:
    """A value merged down over several data rows belongs to every row it spans (in its first
    column; a value merged across columns stays in its first column, as the file stores it).
    Rows are kept or skipped by what they hold themselves, before this fill.

    Returns column → the indices (into ``kept``) of the rows filled from a merge whose anchor
    row is a record too: what the cell says is reported once, on the anchor's row (one D102
    for ``2026.9.31`` merged over six rows, not six), and counted once in D112."""
    fills: dict[int, list[tuple[int, Any, bool]]] = {}
    rows = grid.rows
    read = {number - 1 for number in numbers}
    for r0, c0, r1, c1 in grid.merged:
        if r1 <= r0 or r0 <= layout.header_row or r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        if value is None or value == "":
            continue
        anchored = r0 in read
        for r in range(r0 + 1, r1 + 1):
            fills.setdefault(r, []).append((c0, value, anchored))
    filled: dict[int, set[int]] = {}
    if not fills:
        return filled
    for i, number in enumerate(numbers):
        todo = fills.get(number - 1)
        if todo is None:
            continue
        row = kept[i]
        for c, value, anchored in todo:
            if len(row) <= c:
                row.extend([""] * (c + 1 - len(row)))
            if row[c] is None or row[c] == "":
                row[c] = value
                if anchored:
                    filled.setdefault(c, set()).add(i)
    return filled


def _join_spans(layout: Layout, rows: list[list[Any]]) -> list[list[Any]]:
    """Rows (copies) with each value under a header merged across columns put into its first
    column: text joined (家庭住址 over ``12号`` | ``301室`` → ``12号301室``); for other types the
    first filled part."""
    kinds = schema.LEDGERS[layout.kind]
    out = []
    for row in rows:
        row = list(row)
        for first, rest in layout.spans.items():
            parts = [row[c] for c in [first, *rest] if c < len(row)
                     and row[c] is not None and (type(row[c]) is not str or row[c].strip())]
            if len(parts) > 1:
                if kinds.column(layout.mapping[first]).type == schema.TEXT:
                    row[first] = "".join(show(v) for v in parts)
                else:
                    row[first] = parts[0]
            elif parts and first < len(row):
                row[first] = parts[0]
        out.append(row)
    return out


_UNIT_TAIL = re.compile(r"\s*(?:mmhg|毫米汞柱)$", re.IGNORECASE)
_PART_EMPTY = frozenset(schema.EMPTY_MARKS)


def _part_text(value: Any) -> str | None:
    """One part of a field kept in two columns as written (``112mmHg`` → ``112``; None when
    empty or an empty mark such as ``/``)."""
    if value is None or type(value) is CellError:
        return None
    text = _UNIT_TAIL.sub("", unicodedata.normalize("NFKC", show(value)).strip())
    return None if not text or text in _PART_EMPTY else text


_BARE_NUMBER = re.compile(r"[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?")


def _with_word(part: str | None, word: str) -> str:
    """A part of a field kept in two columns with its word (``12`` → ``12号`` under 楼号); as
    written when it has a word of its own (``12号楼``, ``301室``) or the field has none."""
    if part is None:
        return ""
    return part + word if word and _BARE_NUMBER.fullmatch(part) else part


def _join_pairs(layout: Layout, rows: list[list[Any]], gaps: frozenset = frozenset()
                ) -> tuple[dict[int, set[int]], dict[int, dict[int, tuple]],
                           dict[int, dict[int, tuple]], dict[int, dict[int, Any]]]:
    """Each row's two parts of a field kept in two columns (``Layout.pairs``: 高压 | 低压)
    written as one value (``186/112``) into the field's column and the first part's column of
    the row (changed rows are copied in ``rows``): the field is read from it and its cell is
    the first part's (高压), showing both numbers. One part empty gives ``186/`` or ``/112``:
    an incomplete reading (D111). A part showing an error value (``#DIV/0!``) makes the whole
    reading an error value (``186/#DIV/0!``: F011, the value unknown, never a half reading);
    a part that is a formula without a cached value (``gaps``: (row index, column)) leaves
    the reading unknown (F007, by ``_unknown_formulas``). Where a column of the field's own
    (血压) is there too, it is read wherever it is filled with digits and the pair only where
    it is empty (or holds no digits: √, 已测); a row with both is weighed by ``_one_reading``
    (the same reading silently; the cell's half and the pair's full reading: the pair's).
    Returns field column → the rows (indices) read from the pair, and field column → row →
    (the cell's candidate, the pair's) for the rows of a field not kept as text (血压) where
    the two disagree (``_conflicts``: D111, the value unknown: (what the cell says, what the
    pair says, the candidates)), field column → row → the one number of a reading whose
    other part is empty or unreadable (高压 190 | 低压 未测 → (190, None); ``_keep_halves``),
    and field column → row → the 血压 cell's text of a row read from its pair though the cell
    is unreadable (``190``, ``186 112`` beside 186 | 112: the cell's own D111, ``_untidy``)."""
    used: dict[int, set[int]] = {}
    conflicts: dict[int, dict[int, tuple]] = {}
    halves: dict[int, dict[int, tuple]] = {}
    untidy: dict[int, dict[int, Any]] = {}
    for c, (a, b) in layout.pairs.items():
        rows_used = used[c] = set()
        key = layout.mapping[c]
        joiner, words = schema.SPLIT_FIELDS[(layout.kind, key)][2:4]
        typed = schema.LEDGERS[layout.kind].column(key).type != schema.TEXT
        for i, row in enumerate(rows):
            p = row[a] if a < len(row) else None
            q = row[b] if b < len(row) else None
            x, y = _part_text(p), _part_text(q)
            own = c != a and c < len(row) and _part_text(row[c]) is not None
            if own and typed and (x is not None or y is not None) \
                    and not _DIGIT.search(_part_text(row[c])):
                own = False                  # 血压 √ / 已测 / 见右, the numbers in 高压 | 低压
            if own:                          # its 血压 cell is filled: candidates weighed
                if typed and (x is not None or y is not None) and type(p) is not CellError \
                        and type(q) is not CellError and (i, a) not in gaps and (i, b) not in gaps:
                    found = _one_reading(row[c], x, y)
                    if found is _CONFLICT:
                        own_bp, pair_bp = _bp_candidate(row[c]), _pair_candidate(x, y)
                        conflicts.setdefault(c, {})[i] = (bp_text(own_bp), bp_text(pair_bp),
                                                          (own_bp, pair_bp))
                    elif type(found) is _Several:   # 左186/112 右150/90 beside 186 | 112
                        conflicts.setdefault(c, {})[i] = (
                            clip(show(row[c]).strip()), bp_text(found.pair), found.candidates)
                    elif found is not None:  # 186/ beside 186 | 112: the pair's reading
                        if type(found) is _Unread:   # 190 beside 186 | 112: and the cell's D111
                            untidy.setdefault(c, {})[i] = row[c]
                            found = found.pair
                        row = rows[i] = list(row)
                        row[c] = row[a] = f"{found[0]}/{found[1]}"
                        rows_used.add(i)
                continue
            if (i, a) in gaps or (i, b) in gaps:
                if c == a:                   # unknown, not half a reading: no 186/ D111
                    row = rows[i] = list(row)
                    row[a] = None
                continue
            if type(p) is CellError or type(q) is CellError:
                joined = CellError(f"{p if type(p) is CellError else _with_word(x, words[0])}"
                                   f"{joiner}{q if type(q) is CellError else _with_word(y, words[1])}")
            elif x is None and y is None:
                continue
            elif y is None and "/" in x:
                joined = x                   # 186/112 typed into 高压 alone
            else:                            # 12 | 301 → 12号301室 (楼号 | 室号)
                first, second = _with_word(x, words[0]), _with_word(y, words[1])
                if not joiner and first and second.startswith(first) and second != first:
                    joined = second          # 12 | 12号502室: 门牌 holds the whole address
                else:
                    joined = f"{first}{joiner}{second}"
                if typed:                    # 190 | 未测: the known number, if one is
                    half = _half_of(x, y)
                    if half is not None:
                        halves.setdefault(c, {})[i] = half
            row = rows[i] = list(row)
            if len(row) <= max(a, c):
                row.extend([None] * (max(a, c) + 1 - len(row)))
            row[c] = row[a] = joined
            rows_used.add(i)
    return used, conflicts, halves, untidy


_WHOLE = re.compile(r"\d{1,4}")
_DIGIT = re.compile(r"\d")
_CONFLICT = object()


@dataclass(frozen=True)
class _Unread:
    """The pair's full reading beside a 血压 cell that names no other (``190``, ``186 112``,
    ``186/112/90``): read, the cell keeping its own D111."""
    pair: tuple[int, int]


@dataclass(frozen=True)
class _Several:
    """A 血压 cell not readable as one reading but naming readings (``左186/112 右150/90``)
    one of which differs from the pair's: a conflict; ``candidates`` the distinct readings,
    the cell's in the order written, then the pair's."""
    pair: tuple[int, int]
    candidates: tuple[tuple[int, int], ...]


def _bp_candidate(raw: Any) -> tuple[int | None, int | None] | None:
    """What a 血压 cell gives: a full reading (130, 80), half of one (190, None), or None."""
    parsed = parse_bp(raw)
    return parsed.value if parsed.value is not None and not parsed.error else bp_half(raw)


def _pair_candidate(x: str | None, y: str | None) -> tuple[int | None, int | None] | None:
    """What 高压 | 低压 give (parts as ``_part_text`` leaves them): a full reading, half of one
    (190 | 未测 → (190, None)), or None."""
    if x is None and y is None:
        return None
    if y is None and "/" in x:               # 186/112 (or 186/) typed into 高压 alone
        return _bp_candidate(x)
    parsed = parse_bp(f"{x or ''}/{y or ''}")
    return parsed.value if parsed.value is not None and not parsed.error else _half_of(x, y)


def _agree(one: tuple, other: tuple) -> bool:
    """Two candidates of a row tell the same reading: equal, or a half whose known number is
    that part of the other (186/ and 186/112); two halves only when equal."""
    return all(p is None or q is None or p == q for p, q in zip(one, other)) and (
        one == other or None not in one or None not in other)


def _one_reading(own: Any, x: str | None, y: str | None) -> Any:
    """A row with both a 血压 cell (with digits) and a filled 高压 | 低压 pair: the pair's full
    reading when the cell holds only half of it (186/ beside 186 | 112), ``_CONFLICT`` when
    the two disagree (130/80 beside 186 | 112 or 186 | empty; 186/ beside 150 | 95; 190/ beside
    低压 95 alone), None when the cell is read as it is (the same reading, a full one with a
    half agreeing, the same half twice, or one side unreadable: the cell's own D111 or none).
    A cell whose digits are no reading nor half of one beside the pair's full reading:
    ``_Several`` when the cell names a reading other than the pair's (``左186/112 右150/90``
    beside 186 | 112), else ``_Unread`` (``190``, ``186 112``: the pair read, the cell's D111
    kept). Only the reader's candidates; what they mean is the domain's (docs/read.md)."""
    cell = _bp_candidate(own)
    pair = _pair_candidate(x, y)
    if pair is None:
        return None
    if cell is None:
        if None in pair:
            return None
        inside = bp_readings(own)
        if any(bp != pair for bp in inside):
            return _Several(pair, inside if pair in inside else (*inside, pair))
        return _Unread(pair)
    if not _agree(cell, pair):
        return _CONFLICT
    return pair if None in cell and None not in pair else None


def _half_of(x: str | None, y: str | None) -> tuple[int | None, int | None] | None:
    """The one whole number of two parts (高压, 低压) when the other is empty or not a whole
    number (190 | 未测 → (190, None), 高 | 112 → (None, 112)); None otherwise."""
    a = x is not None and _WHOLE.fullmatch(x) is not None
    b = y is not None and _WHOLE.fullmatch(y) is not None
    if a and not b:
        return int(x), None
    if b and not a:
        return None, int(y)
    return None


def _keep_halves(out: SheetRecords, columns: list["_Column"], errors: list,
                 paired: dict[int, set[int]], halves: dict[int, dict[int, tuple]]) -> None:
    """A reading with one number missing (血压 ``190/`` or ``/120``; 高压 190 | 低压 empty,
    ``未测`` or unreadable) stays unknown with its D111, as before; the known number is kept in
    the record's ``alternatives`` (``{"blood_pressure": ((190, None),)}``) for the domain
    layer, which alone knows the thresholds: a half at a 危急 level is still C306
    (docs/care.md). Only read-time D111s of a blood-pressure column (no F011, no F007)."""
    for i, order, raw, parsed in errors:
        col = columns[order]
        if col.type != schema.BP or parsed.error != "D111":
            continue
        rec = out.records[i]
        if rec.alternatives and col.key in rec.alternatives:
            continue
        half = (halves.get(col.index, {}).get(i) if i in paired.get(col.index, ())
                else bp_half(raw))
        if half is not None:
            rec.alternatives = {**(rec.alternatives or {}), col.key: (half,)}


def _conflicts(layout: Layout, out: SheetRecords, conflicts: dict[int, dict[int, tuple]]) -> None:
    """A row whose 血压 cell and 高压 | 低压 cells give two different readings (130/80 and
    186/112), or a reading and half of another (130/80 and 高压 186 alone; 186/ and 150 | 95),
    or two different halves: which one was taken is unknown, so the value is unknown (the
    key in the record's ``invalid``: no reading taken from it, none taken to clear an earlier
    危急) and D111 names both, on the 血压 cell (the cell's own D111, 186/ “低压为空”, is
    dropped by the caller: it would be false). Both are kept in the record's
    ``alternatives`` (in the order written: the 血压 cell's, then the pair's; a half as
    (186, None)) for the domain layer, which alone knows the thresholds: a 危急 one among
    them is still C306 (a full 偏高/偏低 one C305; docs/care.md). The same reading written
    twice (140/90 and 140 | 90) is read once, silently (``_one_reading``). A cell not
    readable as one reading naming another (左186/112 右150/90 beside 186 | 112) is one too:
    D111 quoting the cell, its distinct readings and the pair's kept (``_Several``)."""
    for c, rows in conflicts.items():
        key = layout.mapping[c]
        a, b = layout.pairs[c]
        for i, (own, theirs, candidates) in rows.items():
            rec = out.records[i]
            if rec.invalid is _VALID:
                rec.invalid = set()
            rec.invalid.add(key)
            rec.values[key] = None
            rec.alternatives = {**(rec.alternatives or {}), key: candidates}
            out.findings.append(finding("D111", record=rec, key=key, variant="bp_conflict", params={
                "own": own, "pair": theirs, "header": layout.headers[c],
                "pair_header": f"{layout.headers[a]}/{layout.headers[b]}"}))


def _untidy(layout: Layout, out: SheetRecords, untidy: dict[int, dict[int, Any]]) -> None:
    """A row read from its 高压 | 低压 pair beside a 血压 cell whose digits are no reading
    (``190``, ``186 112``, ``186/112/90``; ``_Unread``): the cell's own D111 (认不出血压), on
    the 血压 cell as written, so the clerk tidies it; the row's reading is the pair's."""
    for c, rows in untidy.items():
        key = layout.mapping[c]
        for i, raw in rows.items():
            parsed = parse_bp(raw)
            if parsed.error != "D111":
                continue
            out.findings.append(finding(
                "D111", record=out.records[i], key=key, variant=parsed.detail.variant,
                params=parsed.detail.params, column=column_letter(c), header=layout.headers[c],
                value=raw))


def _note_column(layout: Layout) -> int | None:
    """The unread column whose text each record keeps (``schema.NOTE_KEYS``: the elderly
    ledger's 备注; its first such column), else None."""
    word = schema.NOTE_KEYS.get(layout.kind)
    if word is None:
        return None
    return next((c for c in layout.unmapped if word in normalise_header(layout.headers[c])), None)


def _keep_notes(records: list[Record], rows: list[list[Any]], c: int, header: str) -> None:
    letter = column_letter(c)
    for rec, row in zip(records, rows):
        raw = row[c] if c < len(row) else None
        if type(raw) is str and raw.strip():
            rec.note = Cell(letter, header, raw.strip())


def _pair_header(layout: Layout, c: int) -> str:
    """Column ``c``'s header as findings name it: the first part of a pair names both
    (``高压/低压``, the cells holding the reading), any other column its own header."""
    for a, b in layout.pairs.values():
        if a == c:
            return f"{layout.headers[a]}/{layout.headers[b]}"
    return layout.headers[c]


def build_records(grid: Grid, layout: Layout, *, file: str, as_of: date,
                  date1904: bool = False, fmt: str = "") -> SheetRecords:
    """Records of ``grid`` below ``layout``'s header, in row order.

    Works column by column (each column's unique raw values parsed once), then zips the
    columns into records: several times faster than cell by cell for big sheets."""
    kind = layout.kind
    ledger = schema.LEDGERS[kind]
    columns = [_column(kind, c, key, _pair_header(layout, c), fmt, layout.units.get(c, ""))
               for c, key in sorted(layout.mapping.items())]
    out = SheetRecords()
    cells = _Cells(grid.rows[layout.header_row + 1:])
    kept, numbers, every = _data_rows(grid, layout, out.repeated_headers, cells)
    if not kept or not columns:
        return out
    filled: dict[int, set[int]] = {}                   # column -> rows filled from a merge
    if grid.merged:
        filled = _fill_merged(grid, layout, kept, numbers)
        every = False                                  # cells filled in: read them again
    if layout.spans:
        kept = _join_spans(layout, kept)
        every = False
    paired: dict[int, set[int]] = {}
    conflicts: dict[int, dict[int, tuple]] = {}
    halves: dict[int, dict[int, tuple]] = {}
    untidy: dict[int, dict[int, Any]] = {}
    if layout.pairs:
        kept = list(kept)
        paired, conflicts, halves, untidy = _join_pairs(layout, kept,
                                                        _pair_gaps(grid, layout, numbers))
        every = False
    width = columns[-1].index + 1
    if min(map(len, kept)) < width:                    # short rows (CSV …): padded copies
        kept = [row if len(row) >= width else list(row) + [None] * (width - len(row))
                for row in kept]
        every = False
    if not every:
        cells = _Cells(kept)
    keys = [col.key for col in columns]
    where = {col.key: (col.index, col.letter, col.header) for col in columns}   # shared by rows
    overrides: dict[int, dict[str, Any]] = {}          # row index -> key -> raw shown instead
    with no_gc():
        value_cols, errors = [], []
        for order, col in enumerate(columns):
            raws = cells.column(col.index)
            if col.type == schema.DATE:
                col.day_first = reads_day_first(set(r for r in raws if type(r) is str))
            values, bad = _parse_column(col, raws, numbers, as_of, date1904,
                                        filled.get(col.index))
            if col.day_first:
                _day_first_example(col, raws, values, numbers)
            if col.suspect:
                bad.extend(_phantom_days(grid, col, raws, values, numbers, overrides))
            if col.year_less:
                _years_from_context(col, raws, values, numbers, as_of)
            value_cols.append(values)
            errors.extend((i, order, raw, parsed) for i, raw, parsed in bad)
        name = grid.name
        out.records = [Record(kind, file, name, number, values, RowCells(where, row), _VALID)
                       for number, values, row in zip(numbers, map(_values_dict(tuple(keys)),
                                                                   *value_cols), kept)]
        out.columns = dict(zip(keys, value_cols))
    pair_where = where                             # rows whose 血压 is read from 高压/低压
    for c, (a, b) in layout.pairs.items():
        if c != a:
            pair_where = dict(pair_where)
            pair_where[layout.mapping[c]] = (a, column_letter(a), _pair_header(layout, a))
    paired_rows = set().union(*paired.values())
    for i in paired_rows if pair_where is not where else ():
        out.records[i].cells = RowCells(pair_where, kept[i], overrides.get(i))
    for i, override in overrides.items():
        out.records[i].cells = RowCells(pair_where if i in paired_rows else where, kept[i], override)
    if filled:
        by_row: dict[int, set[str]] = {}
        for col in columns:
            for i in filled.get(col.index, ()):
                by_row.setdefault(i, set()).add(col.key)
        for i, keys_filled in by_row.items():
            out.records[i].filled = frozenset(keys_filled)
    note = _note_column(layout)
    if note is not None:
        _keep_notes(out.records, kept, note, layout.headers[note])
    if grid.formula_gaps:
        _unknown_formulas(grid, out, columns, numbers, layout)
    if conflicts and errors:                # 186/ beside 150 | 95: bp_conflict, not 低压为空
        orders = {col.index: order for order, col in enumerate(columns)}
        clash = {(i, orders[c]) for c, rows in conflicts.items() for i in rows}
        errors = [e for e in errors if (e[0], e[1]) not in clash]
    whole = _error_columns(columns, cells, errors)
    for i, order, raw, parsed in sorted(errors, key=itemgetter(0, 1)):
        col, rec = columns[order], out.records[i]
        if rec.invalid is _VALID:
            rec.invalid = set()
        rec.invalid.add(col.key)
        if col.key in rec.filled:
            continue                         # a merged cell's value: reported on its anchor row
        if order in whole:
            if whole[order] == i:            # the column's first error cell: its one F011
                out.findings.append(_error_column_finding(col, rec, raw, errors, order))
            continue
        out.findings.append(finding(parsed.error, record=rec, key=col.key,
                                    variant=parsed.detail.variant, params=parsed.detail.params))
    if conflicts:
        _conflicts(layout, out, conflicts)
    if untidy:
        _untidy(layout, out, untidy)
    if errors and schema.BP in {col.type for col in columns}:
        _keep_halves(out, columns, errors, paired, halves)
    for col, found in _normalised_findings(columns, kind, file, grid.name):
        out.findings.append(found)
        out.changed[col.key] = (col.changed, found, clip(show(col.example[0], col.type)),
                                clip(show(col.example[1], col.type)))
    return out


def _pair_gaps(grid: Grid, layout: Layout, numbers: list[int]) -> frozenset:
    """(row index, column) of the formula cells without a cached value in the parts of the
    fields kept in two columns (高压 | 低压)."""
    if not grid.formula_gaps:
        return frozenset()
    parts = {p for pair in layout.pairs.values() for p in pair}
    at = {number - 1: i for i, number in enumerate(numbers)}
    return frozenset((at[r], c) for r, c in grid.formula_gaps if c in parts and r in at)


def _unknown_formulas(grid: Grid, out: SheetRecords, columns: list[_Column],
                      numbers: list[int], layout: Layout | None = None) -> None:
    """Formula cells without a cached value (F007) read as a record's value: the value is
    unknown, not empty, so the key goes into the record's ``invalid`` (as an F011 error value)
    and no rule concludes anything from it (no D101 “必填项为空”, no D110). Kept in
    ``out.formula_gaps`` for the one F007 per column; cells outside the records (a 合计 row's
    =SUM, a blank row's =ROW()) and in columns that are not read are left out."""
    keys = {col.index: col.key for col in columns}
    for c, (a, b) in (layout.pairs.items() if layout is not None else ()):
        keys.setdefault(a, layout.mapping[c])        # 高压 | 低压: the part's 血压 is unknown
        keys.setdefault(b, layout.mapping[c])
    at = {number - 1: i for i, number in enumerate(numbers)}
    for r, c in sorted(grid.formula_gaps, key=itemgetter(1, 0)):
        key, i = keys.get(c), at.get(r)
        if key is None or i is None:
            continue
        rec = out.records[i]
        if rec.values.get(key) is not None:
            continue                     # a value filled in from a merged cell above
        if rec.invalid is _VALID:
            rec.invalid = set()
        rec.invalid.add(key)
        out.formula_gaps.append((r, c))


@lru_cache(maxsize=256)
def _values_dict(keys: tuple[str, ...]) -> Callable[..., dict[str, Any]]:
    """A function taking one value per key, in order, and giving ``{key: value, ...}`` — the
    same dict as ``dict(zip(keys, values))``. Written as a dict display its keys are
    constants and the dict is made at its final size: a record's values are built about
    twice as fast (a 15,000-row visit log: ~16 → ~9 ms). Generated the way the standard
    library's ``dataclasses`` generate ``__init__``; each key enters the source as ``repr``."""
    args = ", ".join(f"v{i}" for i in range(len(keys)))
    body = ", ".join(f"{key!r}: v{i}" for i, key in enumerate(keys))
    return eval(f"lambda {args}: {{{body}}}", {})  # noqa: S307 - keys as literals, names generated


def _data_rows(grid: Grid, layout: Layout, repeats: list[int], cells: "_Cells"
               ) -> tuple[list[list[Any]], list[int], bool]:
    """The rows below the header that are records, their Excel row numbers, and whether
    that is every row (``cells``: those rows' cells by column)."""
    start = layout.header_row + 1
    rows = cells.rows
    numbers = range(start + 1, start + 1 + len(rows))          # Excel row numbers
    judge = _Rows(layout)
    if judge.all_records(cells):               # the usual sheet, seen down its first columns
        return rows, list(numbers), True
    verdicts = list(map(judge.skip, rows))
    if "note" in verdicts:
        _continue_notes(rows, verdicts)
    if "repeat" in verdicts:
        _titles_of_repeats(rows, verdicts, judge.left)
    if not any(verdicts):
        return rows, list(numbers), True
    repeats.extend(n for n, verdict in zip(numbers, verdicts) if verdict == "repeat")
    keep = [verdict is None for verdict in verdicts]
    return list(compress(rows, keep)), list(compress(numbers, keep)), False


class _Cells:
    """A block of rows read column by column. When every row has the same length (calamine
    gives rectangular grids) the rows' cells are laid out flat in one pass and each column is
    a stride of that: one walk over the rows instead of one per column (each walk touches
    every row of a big sheet, cold in memory). Columns are kept once read; do not change them."""

    def __init__(self, rows: list[list[Any]]):
        self.rows = rows
        widths = set(map(len, rows))
        self.width = widths.pop() if len(widths) == 1 else None
        self._flat: list[Any] | None = None
        self._columns: dict[int, list[Any]] = {}

    def column(self, c: int) -> list[Any]:
        """Column ``c`` of every row (IndexError when a row is too short)."""
        found = self._columns.get(c)
        if found is None:
            if self.width is not None and c < self.width:
                if self._flat is None:
                    self._flat = list(chain.from_iterable(self.rows))
                found = self._flat[c::self.width]
            else:
                found = list(map(itemgetter(c), self.rows))
            self._columns[c] = found
        return found


_NUMERIC_TYPES = frozenset((bool, int, float))


@contextmanager
def no_gc():
    """Pause the cyclic garbage collector while many small objects are made at once (it
    would rescan them again and again; nothing made here forms reference cycles). On the way
    out what was made goes to the oldest generation unscanned (``gc.freeze`` then
    ``gc.unfreeze``): turning the collector back on would otherwise scan a whole file's
    records at the next allocation. Used per file here and around a whole community's read
    and check (``pipeline``); nested, only the outermost one acts."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
            gc.unfreeze()


def _parse_column(col: _Column, raws: list[Any], numbers: list[int], as_of: date,
                  date1904: bool, filled: set[int] | None = None
                  ) -> tuple[list[Any], list[tuple[int, Any, Parsed]]]:
    """Values and what to report for one column, parsing each unique raw value once.

    ``col.memo`` maps raw → (value, report it?, Parsed). Errors are returned as
    (row index, raw, Parsed); visible spelling changes are counted on ``col`` directly, except
    on the ``filled`` rows (a merged cell's value, counted once on its anchor row)."""
    memo = col.memo
    lookup = _Lookup(col, as_of, date1904)     # one pass: each distinct raw parsed on first sight
    try:
        values = list(map(lookup.__getitem__, raws))
        mixed = not _NUMERIC_TYPES.isdisjoint(map(type, lookup)) \
            and len(_NUMERIC_TYPES & set(map(type, raws))) > 1     # True == 1 == 1.0
    except TypeError:                                              # an unhashable value
        mixed = True
    if mixed:
        entries = [_parse_cell(col, raw, as_of, date1904) for raw in raws]
        values = list(map(itemgetter(0), entries))
        flagged = {i: e for i, e in enumerate(entries) if e[1]}
        errors = [(i, raws[i], e[2]) for i, e in flagged.items() if e[2].error]
        changes = [(i, raws[i], e[2]) for i, e in flagged.items() if not e[2].error]
    else:
        bad = {raw for raw, e in memo.items() if e[1] and e[2].error}
        changed = {raw for raw, e in memo.items() if e[1] and not e[2].error}
        errors = [(i, raw, memo[raw][2]) for i, raw in enumerate(raws) if raw in bad] if bad else []
        changes = []
        if changed:
            counts = Counter(raws)
            first = next(i for i, raw in enumerate(raws) if raw in changed)
            changes = [(first, raws[first], memo[raws[first]][2])]
            col.changed += sum(counts[raw] for raw in changed) - 1
    for i, raw, parsed in changes:
        col.changed += 1
        if col.example is None:
            col.example = (raw, parsed.value, numbers[i])
    if filled:
        if mixed:
            col.changed -= sum(1 for i in filled if i in flagged and not flagged[i][2].error)
        elif changed:
            col.changed -= sum(1 for i in filled if raws[i] in changed)
    return values, errors


class _Lookup(dict):
    """raw → value of one column; a raw not seen before is parsed (``_parse_cell``) and its
    entry (value, report it?, Parsed) kept in ``col.memo``."""

    def __init__(self, col: _Column, as_of: date, date1904: bool):
        super().__init__()
        self.col, self.as_of, self.date1904 = col, as_of, date1904

    def __missing__(self, raw: Any) -> Any:
        entry = self.col.memo[raw] = _parse_cell(self.col, raw, self.as_of, self.date1904)
        self[raw] = entry[0]
        return entry[0]


def _parse_cell(col: _Column, raw: Any, as_of: date, date1904: bool) -> tuple:
    """(value, report it?, Parsed). ``report`` is True for an error, or for a spelling change
    a clerk can see. (The cell's provenance, ``RowCells``, shows an empty raw as None and an
    error value as its text.)"""
    if raw is None or raw == "":
        return (None, False, _EMPTY_PARSED)
    if type(raw) is CellError:
        return (None, True, _error_value(col, raw))
    if col.words is not None and type(raw) is str:
        word = _word_value(col.words, raw)
        if word is not None:
            return (word.value, True, word)
    if col.periods and type(raw) is str:
        period = parse_period(raw)
        if period is not None:        # 15个工作日: kept as written, one D112 for the column
            return (period.value, True, period)
    parsed = (col.day_first and parse_day_month(raw, as_of)) or \
        parse(col.type, _in_unit(raw, col.unit) if col.unit else raw, as_of=as_of,
              date1904=date1904)
    if type(raw) in _DATE_TYPES and parsed.value == _SHOWN_FOR_60:
        col.suspect = True
    if col.type == schema.DATE and type(parsed.value) is date and type(raw) is str \
            and month_day(raw) is not None:
        col.year_less = True                      # its year is settled from the column
    if col.century and parsed.error and type(raw) is str:
        parsed = _two_digit_year(raw, col.century) or parsed
    if col.needs_day and parsed.changed and parsed.value is not None and is_month_only(raw):
        return (None, True, no_day(raw))          # 2026.11 is not the 1st of the month
    if col.synonyms is not None and parsed.value is not None:
        parsed = _synonym(col.synonyms, parsed)
    report = bool(parsed.error) or (
        parsed.changed and show(raw, col.type) != show(parsed.value, col.type))
    if report and col.csv_dates and not parsed.error and is_native_csv_date(raw):
        report = False                # 2026/5/26 is how Chinese Excel writes dates in a CSV
    return (parsed.value, report, parsed)


_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# a date with a two-digit year: 41.5.12, 41-5-12, 41/5/12, 41年5月12日 (also 41年5月: a month)
_TWO_DIGIT_YMD = re.compile(r"(\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_TWO_DIGIT_YM = re.compile(r"(\d{2})\s*年\s*(\d{1,2})\s*月?")


def _two_digit_year(raw: str, century: int) -> Parsed | None:
    """``41.5.12`` in a column whose two-digit years are of ``century`` (elderly 出生日期:
    1941-05-12), read as changed (D112); None when it is not such a date or no such day."""
    text = unicodedata.normalize("NFKC", raw).strip()
    m = _TWO_DIGIT_YMD.fullmatch(text)
    if m is not None:
        y, mo, d = century + int(m[1]), int(m[2]), int(m[3])
    else:
        m = _TWO_DIGIT_YM.fullmatch(text)
        if m is None:
            return None
        y, mo, d = century + int(m[1]), int(m[2]), 1
    try:
        return Parsed(date(y, mo, d), True)
    except ValueError:
        return None


def _in_unit(raw: Any, unit: str) -> Any:
    """A plain number under a header naming its unit (服务时长（分钟）) as text in that unit
    (``'30分钟'``), for ``parse`` to convert; anything else (``1小时``, ``半小时``) as written."""
    if type(raw) in (int, float):
        text = show(raw)
    elif type(raw) is str:
        text = unicodedata.normalize("NFKC", raw).strip()
    else:
        return raw
    return text + unit if _PLAIN_NUMBER.fullmatch(text) else raw


def _word_value(words: tuple[frozenset[str], frozenset[str]], raw: str) -> Parsed | None:
    """A bool column's own word as its value: 独居 under 是否独居 (true), 不独居 (false)."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if text in words[0]:
        return Parsed(True, True)
    if text in words[1]:
        return Parsed(False, True)
    return None


def _synonym(synonyms: dict[str, str], parsed: Parsed) -> Parsed:
    """The listed value for a synonym (whole cell, or each item of a multi column)."""
    value = parsed.value
    if type(value) is str:
        listed = synonyms.get(value)
        return parsed if listed is None else Parsed(listed, True)
    if type(value) is tuple:
        items = tuple(synonyms.get(item, item) for item in value)
        if items != value:
            unique = tuple(dict.fromkeys(items))
            return Parsed(unique, True)
    return parsed


def _error_value(col: _Column, raw: CellError) -> Parsed:
    """F011: the cell shows an error value (#N/A, #REF! …) instead of a result."""
    return Parsed(None, False, "F011", CODES["F011"].message({"header": col.header, "error": str(raw)}))


ERROR_COLUMN_MIN = 2      # F011 once per column: at least this many error cells, and no value


def _error_columns(columns: list[_Column], cells: "_Cells", errors: list[tuple]
                   ) -> dict[int, int]:
    """The columns (order → row index of the first error cell) where a whole column shows
    error values (rules.md F011: one finding per column): every filled cell of the column on
    the sheet's record rows is an error value (#N/A, #REF! …), at least ``ERROR_COLUMN_MIN``
    of them — a VLOOKUP column whose lookup sheet was deleted. Empty cells do not count
    either way (rows with nothing to look up)."""
    by_order: dict[int, list[int]] = {}
    for i, order, raw, parsed in errors:
        if parsed.error == "F011":
            by_order.setdefault(order, []).append(i)
    out = {}
    for order, rows in by_order.items():
        if len(rows) < ERROR_COLUMN_MIN:
            continue
        filled = sum(1 for raw in cells.column(columns[order].index)
                     if raw is not None and (type(raw) is not str or raw.strip()))
        if filled == len(rows):
            out[order] = min(rows)
    return out


def _error_column_finding(col: _Column, first: Record, raw: Any, errors: list[tuple],
                          order: int) -> Finding:
    """One F011 for a column all of whose filled cells show error values, at its first one
    (no record: it is about the column, as F007): the count and the error values shown."""
    shown = list(dict.fromkeys(str(r) for _, o, r, p in errors if o == order and p.error == "F011"))
    count = sum(1 for _, o, _r, p in errors if o == order and p.error == "F011")
    return finding("F011", kind=first.kind, file=first.file, sheet=first.sheet, row=first.row,
                   column=col.letter, header=col.header, value=str(raw), variant="column",
                   params={"header": col.header, "count": count, "error": str(raw),
                           "errors": listing(shown), "row": first.row})


def _years_from_context(col: _Column, raws: list[Any], values: list[Any], numbers: list[int],
                        as_of: date) -> None:
    """The year of each date written without one (``11月24日``; ledgers.md: "with the year
    taken from context"), in place in ``values``: the year putting it closest to the nearest
    full date of the same column above it — else below it — on the sheet (``year_near``).
    Without any full date in the column: in a column whose dates cannot lie after as-of
    (``schema.NOT_FUTURE_DATES``) the latest such day not after as-of (``latest_by``); in
    the others (办理时限, bookings) as parsed: this year, or last year when more than 31 days
    ahead. In a column whose dates cannot lie after as-of, a full date after as-of (itself a
    D103) is no anchor: 5月31日 under a mistyped 2026年12月1日 is not 2027-05-31. One pass each
    way over the column; the D112 example shows the year chosen."""
    days = {}                                   # raw -> (month, day) or None, once per text
    for raw in set(r for r in raws if type(r) is str):
        days[raw] = month_day(raw, col.day_first)
    n = len(raws)
    above: list[date | None] = [None] * n
    last = None
    for i in range(n):
        above[i] = last
        value = values[i]
        if type(value) is date and days.get(raws[i]) is None and _anchor(col, value, as_of):
            last = value
    below = None
    for i in range(n - 1, -1, -1):
        raw, value = raws[i], values[i]
        md = days.get(raw) if type(raw) is str else None
        if md is None:
            if type(value) is date and _anchor(col, value, as_of):
                below = value
            continue
        if type(value) is not date:
            continue                             # 2月30日: D102 already
        anchor = above[i] or below
        if anchor is not None:
            found = year_near(md[0], md[1], anchor)
        elif col.not_future:
            found = latest_by(md[0], md[1], as_of)
        else:
            continue
        if found is not None and found != value:
            values[i] = found
            if col.example is not None and col.example[2] == numbers[i]:
                col.example = (raw, found, numbers[i])


def _day_first_example(col: _Column, raws: list[Any], values: list[Any], numbers: list[int]
                       ) -> None:
    """The D112 example of a column read day/month: its first 25/5-like date (the D112 says
    the column is read day/month; an example such as 2026.5.26 would not show it)."""
    for i, raw in enumerate(raws):
        if type(values[i]) is date and numeric_month_day(raw) is not None:
            col.example = (raw, values[i], numbers[i])
            return


def _anchor(col: _Column, value: date, as_of: date) -> bool:
    """May a full date settle the year of the year-less dates near it?"""
    return not (col.not_future and value > as_of)


def _phantom_days(grid: Grid, col: _Column, raws: list[Any], values: list[Any],
                  numbers: list[int], overrides: dict[int, dict[str, Any]]
                  ) -> list[tuple[int, Any, Parsed]]:
    """Cells shown as 1900-02-28 whose stored number is 60: Excel's 1900-02-29, a day that
    never existed (D102). The value is dropped; the cell's raw becomes what Excel shows
    (put in ``overrides``: row index → key → raw)."""
    phantoms = grid.phantom_cells()
    out = []
    for i, raw in enumerate(raws):
        if type(raw) in _DATE_TYPES and (numbers[i] - 1, col.index) in phantoms \
                and (raw.year, raw.month, raw.day) == (1900, 2, 28):
            values[i] = None
            overrides.setdefault(i, {})[col.key] = "1900-02-29"
            out.append((i, "1900-02-29", _PHANTOM))
    return out


_SKIP_LEADS = frozenset(p[0] for p in _TOTALS + _NOTES)


class _Rows:
    """Decides which rows below the header are not records.

    Per unique text it remembers what the checks found (a lead's 合计/注 verdict, the columns
    whose header a text repeats), so a big sheet costs a few dictionary look-ups per row."""

    def __init__(self, layout: Layout):
        self.serial = set(layout.serial)
        # the columns that are read as a field (a duplicate F005 column too: it names one):
        # only a cell in one of them makes a row a record. 序号, 备注, 所在楼组, a column
        # with an unknown header or none are never read, so a row filled only there (a note
        # typed in 备注 under the data) holds no record
        self.fields = frozenset(chain(layout.mapping, chain.from_iterable(layout.spans.values()),
                                      (c for c, _, _ in layout.duplicates)))
        self.first_field = min(self.fields, default=-1)
        if layout.mapping.get(self.first_field) in schema.ITEM_TEXTS:
            self.first_field = -1                 # 一、更换楼道灯 alone under 议题 is an item
        # a title stands in the table's leftmost column (typed there, or merged across from it)
        self.left = min((c for c, h in enumerate(layout.headers) if h), default=0)
        self.leads = _Leads()                     # lead text -> "total"/"note"/None
        self.heads = _Heads(layout.header_texts)  # text -> columns whose header it is

    def all_records(self, cells: "_Cells") -> bool:
        """True when ``skip`` would keep every row, told from the distinct values of the first
        columns alone: the first two columns read as fields are filled in every row (so they
        are each row's first and second data cells), no text in them or in a column before
        them (序号, 备注 …) marks 合计/注, and neither repeats its column's header. False
        decides nothing."""
        data = sorted(self.fields)[:2]
        if len(data) < 2:
            return False
        try:
            columns = {c: set(cells.column(c)) for c in chain(range(data[0] + 1), data[1:])}
        except (IndexError, TypeError):        # a short row (CSV), an unhashable value
            return False
        for c, values in columns.items():
            texts = [v for v in values if type(v) is str]
            if c <= data[0] and any(self.leads[v] is not None for v in texts):
                return False
            if c in data and (None in values or any(not v.strip() or c in self.heads[v]
                                                    for v in texts)):
                return False
        return True

    def skip(self, row: list[Any]) -> str | None:
        """Why a row is not a record (``blank``/``total``/``note``/``repeat``/``heading``), or None.
        ``blank``: nothing in a column read as a field (only a 序号, spaces, or a note in 备注)."""
        fields = self.fields
        lead = None
        first = second = -1
        for c, value in enumerate(row):
            if type(value) is str:
                if not value.strip():
                    continue
            elif value is None:
                continue
            if lead is None:
                lead = value            # a 合计 in the 序号 column counts too
            if c in fields:
                if first < 0:
                    first = c
                else:
                    second = c
                    break
        if first < 0:
            return "blank"              # nothing read: only a 序号, spaces, a 备注 …
        if type(lead) is str:
            verdict = self.leads[lead]
            if verdict is not None:
                if verdict == "sign":       # 记录人：… — a note only when nothing else is filled
                    return "note" if _is_signature(row) else None
                return verdict
        if second < 0:
            value = row[first]
            return "heading" if first == self.first_field and type(value) is str \
                and _is_section_heading(value, row) else None
        heads, a, b = self.heads, row[first], row[second]
        if (type(a) is str and first in heads[a] or type(b) is str and second in heads[b]) \
                and self._is_header_repeat(row):
            return "repeat"
        return None

    def _is_header_repeat(self, row: list[Any]) -> bool:
        """Most cells equal their column's header (checked in full only when one of the
        first two data cells does)."""
        data = [c for c, v in enumerate(row) if c not in self.serial and v != "" and v is not None
                and (type(v) is not str or v.strip())]
        heads = self.heads
        same = sum(1 for c in data if type(row[c]) is str and c in heads[row[c]])
        return same >= 2 and same * 2 >= len(data)


class _Heads(dict):
    """text → the columns whose header it repeats (normalised as headers are), worked out
    the first time a text is looked up."""

    def __init__(self, texts: list[frozenset[str]]):
        super().__init__()
        columns: dict[str, set[int]] = {}          # a header text -> the columns it heads
        for c, names in enumerate(texts):
            for name in names:
                columns.setdefault(name, set()).add(c)
        self.columns = {name: frozenset(cs) for name, cs in columns.items()}

    def __missing__(self, text: str) -> frozenset[int]:
        found = self[text] = self.columns.get(normalise_header(text), _NO_COLUMNS)
        return found


_NO_COLUMNS: frozenset[int] = frozenset()


class _Leads(dict):
    """A row's first text → ``total``/``note``/``sign``/None, worked out on first look-up
    (``sign``: a role label and a short value, 记录人：陆佳怡 — a note if the row holds nothing else)."""

    def __missing__(self, lead: str) -> str | None:
        verdict = self[lead] = _lead_verdict(lead)
        return verdict


def _lead_verdict(lead: str) -> str | None:
    """``total`` for a 合计/小计 row (合计：…, or a short text ending so: 本月合计, 松和苑小计),
    ``note`` for a 注：/填报说明：/单位负责人：… row, by the row's first text."""
    if unicodedata.normalize("NFKC", lead.lstrip()[:1]) in _SKIP_LEADS or "计" in lead:
        text = "".join(unicodedata.normalize("NFKC", lead).split())
        if text.startswith(_TOTALS) or (len(text) <= schema.TOTAL_TEXT_MAX
                                        and text.rstrip(":：").endswith(_TOTALS)):
            return "total"
        if text.startswith(_NOTES):
            return "note"
    if lead.lstrip()[:1] in _ROLE_FIRST and _ROLE.fullmatch(lead.rstrip()):
        return "sign"
    return None


_ROLE = re.compile(r"\s*(?:%s)\s*[:：]\s*\S.{0,%d}" % (
    "|".join(sorted(map(re.escape, schema.ROLE_LABELS), key=len, reverse=True)),
    schema.ROLE_VALUE_MAX - 1))


_ROLE_FIRST = frozenset(label[0] for label in schema.ROLE_LABELS)


def _is_signature(row: list[Any]) -> bool:
    """A signature line under the data (``记录人：陆佳怡``, ``审核：居委主任`` beside it): every
    filled cell is a role label, a colon and a short value. Any other cell filled (a number,
    a date, other text) keeps the row a record."""
    filled = [v for v in row if v is not None and (type(v) is not str or v.strip())]
    return bool(filled) and all(type(v) is str and _ROLE.fullmatch(v.rstrip()) for v in filled)


_SECTION = re.compile(r"\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]"
                      r"|\d{1,2}\s*、)\s*[^\s\d]")


def _is_section_heading(value: str, row: list[Any]) -> bool:
    """A section label between the data (``二、咏泽苑``, ``（三）松和苑独居老人``, ``2、咏泽苑``)
    in the first column read as a field (编号, or whatever comes first): a Chinese ordinal with
    、, one in brackets, or a number with 、, then words — a form no 编号, name or date takes —
    alone in its row. Any other cell filled, or the label further right (a lone ``1、楼道堆物``
    in 诉求内容 may be a half-filled request), keeps the row a record, with its D101s."""
    if not _SECTION.match(value):
        return False
    return sum(1 for v in row if v is not None and (type(v) is not str or v.strip())) == 1


_NOTE_LINE = re.compile(r"\s*(?:\d{1,2}\s*[.．、)）]|[（(]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十]{1,2}、)")


def _titles_of_repeats(rows: list[list[Any]], verdicts: list[str | None], left: int) -> None:
    """A row holding one text alone right above a repeated header (blank rows between allowed)
    is the title of a second table under the first (``已办结诉求``), not a half-filled record —
    when the text stands where a title does: no further right than the table's leftmost column
    ``left``. A text alone further right (a meeting's last 议题, its date written once above,
    over the next meeting's header) stays a record."""
    for i, verdict in enumerate(verdicts):
        if verdict != "repeat":
            continue
        j = i - 1
        while j >= 0 and verdicts[j] == "blank":
            j -= 1
        if j >= 0 and verdicts[j] is None:
            filled = [(c, v) for c, v in enumerate(rows[j])
                      if v is not None and (type(v) is not str or v.strip())]
            if len(filled) == 1 and type(filled[0][1]) is str and filled[0][0] <= left:
                verdicts[j] = "heading"


def _continue_notes(rows: list[list[Any]], verdicts: list[str | None]) -> None:
    """Rows after a note row holding only a numbered line or two of text (``1. 独居指一人居住；``,
    ``（2）…``, ``②…``) are that note's lines, until a row holding anything else (which stays
    a record: a lone ``无`` may be data)."""
    after = False
    for i, verdict in enumerate(verdicts):
        if verdict == "note":
            after = True
        elif verdict is None and after:
            filled = [v for v in rows[i] if v is not None and (type(v) is not str or v.strip())]
            if len(filled) <= schema.NOTE_LINE_CELLS and all(type(v) is str for v in filled) \
                    and _NOTE_LINE.match(filled[0]):
                verdicts[i] = "note"
            else:
                after = False


def merge_d112(sheets: list[tuple[str, SheetRecords]]) -> dict[int, Finding | None]:
    """One D112 per column of a ledger kept on several sheets or files (one per month …): the
    first one's finding, in workbook order, with the total count; the later ones dropped.
    ``sheets``: (kind, what the sheet gave), in workbook order. Returns id(finding) → the
    finding to show instead (None: drop it)."""
    first: dict[tuple[str, str], list] = {}    # (kind, key) -> [finding, total, sheets, raw, shown]
    out: dict[int, Finding | None] = {}
    for kind, built in sheets:
        for key, (count, found, shown_raw, shown) in built.changed.items():
            seen = first.get((kind, key))
            if seen is None:
                first[(kind, key)] = [found, count, 1, shown_raw, shown]
            else:
                seen[1] += count
                seen[2] += 1
                out[id(found)] = None
    for found, total, n, shown_raw, shown in first.values():
        if n > 1:
            params = {**found.params, "header": found.header, "count": total, "sheets": n}
            variant = "sheets_day_first" if getattr(found.message, "variant", "") == "day_first" \
                else "sheets"
            out[id(found)] = replace(found, message=CODES["D112"].message(params, variant), params=params)
    return out


def _normalised_findings(columns: list[_Column], kind: str, file: str, sheet: str
                         ) -> list[tuple[_Column, Finding]]:
    """One D112 per column where at least one spelling was visibly normalised (a phone kept
    as the number 13812345678 and read as the text 13812345678 is not reported)."""
    out = []
    for col in columns:
        if not col.changed or col.example is None:
            continue
        raw, value, row = col.example
        shown_raw, shown = clip(show(raw, col.type)), clip(show(value, col.type))
        if col.type == schema.NUMBER and shown \
                and "".join(shown_raw.split()) != shown + "小时":
            shown += "小时"       # number columns are hours: 30 → 0.5小时; 1.5小时 → 1.5, not itself
        out.append((col, finding(
            "D112", kind=kind, file=file, sheet=sheet, row=row, column=col.letter, header=col.header,
            value=raw, variant="day_first" if col.day_first else None, params={"header": col.header, "count": col.changed, "row": row,
                               "raw": shown_raw, "shown": shown})))
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
    if isinstance(value, Period):
        return f"自分派日期起{value}"
    if type_ == schema.DAYS and isinstance(value, Days):
        return value.text
    if type_ == schema.DAYS and isinstance(value, (set, frozenset)):
        return "、".join(schema.WEEKDAY_NAMES[d] for d in sorted(value))
    if isinstance(value, (set, frozenset, tuple, list)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "、".join(show(v) for v in items)
    return str(value).strip() if isinstance(value, str) else str(value)


# ---------------------------------------------------------------------------------------
# rows struck through (删除线) instead of deleted

STRUCK_KEPT = {"elderly": "struck", "volunteers": "struck_inactive"}   # kind -> D112 variant
STRUCK_ROWS_SHOWN = 10     # rows named in a sheet's one D112; the rest counted


def struck_records(grid: Grid, layout: Layout, records: list[Record]) -> list[int]:
    """Indexes (into ``records``) of the rows struck through: every cell of the row that is
    read as a field and filled (by the row itself, not by a value merged down from above) is
    drawn struck (``grid.struck``). One struck cell among unstruck ones is emphasis or a
    correction, not a deleted row."""
    rows_hit = {r for r, _ in grid.struck}
    if not rows_hit:
        return []
    key_of: dict[int, str] = dict(layout.mapping)
    for first, rest in layout.spans.items():
        for c in rest:
            key_of.setdefault(c, layout.mapping.get(first, ""))
    for c, pair in layout.pairs.items():
        for part in pair:
            key_of.setdefault(part, layout.mapping.get(c, ""))
    covered = {(r, c0) for r0, c0, r1, _ in grid.merged
               for r in range(r0 + 1, r1 + 1) if r in rows_hit}
    out = []
    for i, rec in enumerate(records):
        r = rec.row - 1
        if r not in rows_hit or r >= len(grid.rows):
            continue
        row = grid.rows[r]
        filled = [c for c, key in key_of.items() if c < len(row) and (r, c) not in covered
                  and key not in rec.filled and row[c] is not None
                  and (type(row[c]) is not str or row[c].strip())]
        if filled and all((r, c) in grid.struck for c in filled):
            out.append(i)
    return out


def strike(built: SheetRecords, indexes: list[int], kind: str, file: str, sheet: str
           ) -> Finding:
    """Read the struck rows ``indexes`` of one sheet: a resident as not on the register and
    a volunteer as not on duty (``StruckRecord``: kept, so visits naming them still find
    them); a row of any other ledger is no record (taken out of ``built``). One D112 names
    them (the rows are never dropped unsaid), and its ``ids`` the 编号 struck (a 诉求编号 the
    council minutes name is no unknown request: ``domain.council``)."""
    struck = [built.records[i] for i in indexes]
    numbers = [rec.row for rec in struck]
    shown = numbers[:STRUCK_ROWS_SHOWN]
    more = len(numbers) - len(shown)
    rows = Text("第" + "、".join(map(str, shown)) + "行" + (f"等{len(numbers)}行" if more else ""),
                ("rows " if len(numbers) > 1 else "row ") + ", ".join(map(str, shown))
                + (f" and {more} more" if more else ""))
    variant = STRUCK_KEPT.get(kind)
    if variant is not None:
        for rec in struck:
            rec.__class__ = StruckRecord
    else:
        gone = set(indexes)
        built.records = [rec for i, rec in enumerate(built.records) if i not in gone]
        built.columns = None                     # the records hold the values now
        variant = "struck_rows"
    first = struck[0]
    return finding("D112", variant=variant, record=first if variant != "struck_rows" else None,
                   kind=kind, file=file, sheet=sheet, row=first.row, value=None,
                   params={"count": len(numbers), "rows": rows, "numbers": numbers,
                           "ids": [str(rec.id) for rec in struck if rec.id is not None]})
