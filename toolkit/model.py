"""Plain records passed between the layers: read → check → assign → report → automate."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from toolkit.codes import CODES, MAX_MESSAGE_CHARS, Message, localised
from toolkit.text import Text, natural_key

__all__ = ["Text", "Cell", "RowCells", "Record", "StruckRecord", "RecordRef", "Source", "Finding", "FollowUp",
           "Workspace", "finding", "json_value", "column_letter", "workbook_order"]


@dataclass(frozen=True)
class Cell:
    """Where a field's value came from: column letter, the header as written, the raw value."""
    column: str
    header: str
    raw: Any


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index: 0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class RowCells(Mapping):
    """A record's provenance (key → ``Cell``), each ``Cell`` made when asked: a read-only
    mapping over the sheet's shared column map (key → (column index, letter, header)) and the
    row's raw values as read. Equal to a plain dict of the same cells.

    A cell's ``raw`` is the value read, except: empty (``''`` or None) → None, a reader's
    ``str`` subclass (an error value such as ``#N/A``) → its plain text, and ``override``
    (key → raw) wins over the row."""
    __slots__ = ("_columns", "_row", "_override")

    def __init__(self, columns: Mapping[str, tuple[int, str, str]], row: list[Any] | tuple,
                 override: Mapping[str, Any] | None = None):
        self._columns = columns
        self._row = row
        self._override = override

    def raw(self, key: str, default: Any = None) -> Any:
        """The raw value of ``key``'s cell (``default`` when the sheet has no such column)."""
        column = self._columns.get(key)
        if column is None:
            return default
        if self._override is not None and key in self._override:
            return self._override[key]
        raw = self._row[column[0]]
        if type(raw) is str:
            return None if raw == "" else raw
        if isinstance(raw, str):
            return str(raw)
        return raw

    def __getitem__(self, key: str) -> Cell:
        column = self._columns[key]
        return Cell(column[1], column[2], self.raw(key))

    def get(self, key: str, default: Any = None) -> Any:
        column = self._columns.get(key)
        return default if column is None else Cell(column[1], column[2], self.raw(key))

    def __contains__(self, key: object) -> bool:
        return key in self._columns

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        return f"RowCells({dict(self.items())!r})"


@dataclass(slots=True)
class Record:
    """One ledger row, normalised, with provenance (file relative to the folder given).

    ``cells`` is a plain dict when built by hand (tests) and a read-only ``RowCells`` when read
    from a sheet; both are mappings key → ``Cell``. A row read without any failed cell shares
    one empty ``frozenset`` as ``invalid`` (no set per row); treat ``invalid`` as read-only."""
    kind: str
    file: str
    sheet: str
    row: int                                   # Excel row number, 1-based
    values: dict[str, Any] = field(default_factory=dict)    # key -> normalised value (None = empty)
    cells: Mapping[str, Cell] = field(default_factory=dict)  # key -> provenance
    invalid: set[str] | frozenset[str] = field(default_factory=set)  # keys whose raw value failed to parse
    filled: frozenset[str] = frozenset()       # keys filled from a cell merged down from a row above
    note: Cell | None = None                   # the row's 备注 (schema.NOTE_KEYS), never a field
    # key -> the different values the row gives for it in two places (血压 130/80 beside
    # 高压 | 低压 186/112): the value itself is unknown (key in ``invalid``); only the domain
    # layer weighs them (a 危急 one among them: C306, toolkit/domain/health.bp_candidates);
    # also the one number of a half reading (190/ → ((190, None),): a 危急 half is C306,
    # health.bp_half)
    alternatives: Mapping[str, tuple] | None = None

    # the row is struck through in the file (删除线 on every field it fills): ``StruckRecord``
    struck = False

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    @property
    def id(self) -> str | None:
        return self.values.get("id")

    def raw(self, key: str) -> Any:
        cells = self.cells
        if type(cells) is RowCells:
            return cells.raw(key)
        cell = cells.get(key)
        return None if cell is None else cell.raw


class StruckRecord(Record):
    """A row the clerk struck through (删除线) instead of deleting it, kept where other rows
    may name it (a resident, a volunteer: docs/read.md); the reader turns a ``Record`` into one
    by its class, so no other record carries a flag."""
    __slots__ = ()
    struck = True


def workbook_order(records: list[Record]) -> list[Record]:
    """``records`` in workbook order: files by relative path in natural order (``9月.xlsx``
    before ``10月.xlsx``), sheets in the order they come (the reader gives them as the workbook
    orders them, never by name), then rows."""
    sheets: dict[tuple[str, str], int] = {}
    for r in records:
        sheets.setdefault((r.file, r.sheet), len(sheets))
    return sorted(records, key=lambda r: (natural_key(r.file), sheets[(r.file, r.sheet)], r.row))


@dataclass(frozen=True)
class RecordRef:
    """Which record a finding or follow-up is about: its ledger, 编号 and row. Resolved to the
    ``Record`` by one resolver, ``Context.resolve`` (toolkit.domain.context), never by
    looking an id string up again."""
    kind: str
    id: str | None
    file: str
    sheet: str
    row: int

    @classmethod
    def of(cls, record: Record | None) -> "RecordRef | None":
        if record is None:
            return None
        rid = record.values.get("id")
        return cls(record.kind, None if rid is None else str(rid), record.file, record.sheet,
                   record.row)


@dataclass
class Source:
    """One sheet recognised as (part of) a ledger; ``to_dict`` is the ``sources`` JSON of cli.md."""
    file: str
    sheet: str
    kind: str
    header_row: int
    records: int
    unmapped: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)   # key -> column letter
    headers: dict[str, str] = field(default_factory=dict)   # key -> header as written

    def to_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "kind": self.kind,
                "header_row": self.header_row, "records": self.records,
                "unmapped": list(self.unmapped)}


@dataclass(frozen=True)
class Finding:
    """One problem found. ``message`` and ``fix`` are a ``Text`` or a ``codes.Message`` (a
    template of codes.py with ``params``, rendered when asked for a language). ``params``:
    the values the message is made from, for any later stage that needs a fact (never parse
    the message). ``ref``: the record the finding is about (for a finding on a visit row, the
    resident), resolved by ``Context.resolve``."""
    code: str
    severity: str
    urgent: bool
    message: Text | Message
    fix: Text | Message
    kind: str | None = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    record: str | None = None
    value: Any = None
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)
    ref: RecordRef | None = field(default=None, compare=False)

    def to_dict(self, lang: str = "zh", *, params: bool = False) -> dict:
        """The finding object of cli.md; ``params=True`` adds the ``params`` key."""
        doc = {"code": self.code, "severity": self.severity, "urgent": self.urgent,
               "kind": self.kind, "file": self.file, "sheet": self.sheet, "row": self.row,
               "column": self.column, "header": self.header, "record": self.record,
               "value": json_value(self.value), "message": self.message.get(lang),
               "fix": self.fix.get(lang)}
        if params:
            doc["params"] = {k: json_value(v) for k, v in localised(self.params, lang).items()}
        return doc

    @property
    def sort_key(self) -> tuple:
        return (not self.urgent, SEVERITY_ORDER[self.severity], self.kind or "",
                _natural(self.file or ""), _natural(self.sheet or ""), self.row or 0,
                self.column or "", self.code, self.record or "")   # 9月 before 10月


SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


_natural = natural_key


MAX_VALUE_CHARS = 200     # a finding's ``value`` (the raw cell) is cut to this length


def finding(code: str, message: Text | None = None, *, record: Record | None = None,
            key: str | None = None, params: Mapping[str, Any] | None = None,
            variant: str | None = None, about: Record | None = None,
            fix: Text | None = None, severity: str | None = None, urgent: bool | None = None,
            kind: str | None = None, file: str | None = None, sheet: str | None = None,
            row: int | None = None, column: str | None = None, header: str | None = None,
            value: Any = ..., record_id: str | None = None) -> Finding:
    """Build a finding (the rule author's one call; see the top of codes.py).

    ``record`` (and ``key``'s cell) give the location; ``about`` is the record the finding is
    about when that is another one (a visit row's resident), else ``record``. ``params`` fill
    the code's message and fix templates (``variant`` picks one of several); a ``message``
    Text instead is older prose, still accepted."""
    spec = CODES[code]
    params = dict(params or {})
    if message is None:
        message = spec.message(params, variant)
        if fix is None:
            fix = spec.fix_message(params, variant)
    subject = about if about is not None else record
    if record_id is None and about is not None:
        record_id = about.id
    cell = record.cells.get(key) if (record is not None and key) else None
    if value is ...:
        value = cell.raw if cell is not None else None
    if type(value) is str and len(value) > MAX_VALUE_CHARS:
        value = value[:MAX_VALUE_CHARS] + "…"          # run.json and reports stay small
    return Finding(
        code=code,
        severity=severity or spec.severity,
        urgent=spec.urgent if urgent is None else urgent,
        message=_bounded(message),
        fix=_bounded(fix or spec.fix),
        kind=kind or (record.kind if record is not None else None),
        file=file or (record.file if record is not None else None),
        sheet=sheet or (record.sheet if record is not None else None),
        row=row or (record.row if record is not None else None),
        column=column or (cell.column if cell is not None else None),
        header=_one_line(header or (cell.header if cell is not None else None)),
        record=record_id or (record.id if record is not None else None),
        value=value,
        params=params,
        ref=RecordRef.of(subject),
    )


@dataclass(frozen=True)
class Repeat:
    """A follow-up that ``weekly`` made in the previous week with a run too (same type and
    target): sent then, still called for now. Not in the JSON (cli.md keys unchanged)."""
    previous: str                        # that week's label, e.g. 2026-W47
    adjacent: bool                       # ``previous`` is the ISO week just before this one
    assigned: bool                       # it had an assignee then
    assignee: str | None                 # that assignee's id (None: unassigned, or not known now)
    assignee_name: str | None            # looked up in this run's roster / 值班人员 by id
    planned: date | None                 # the date it was planned for then
    times: int                           # runs in a row that made it, this one included (≥ 2)
    since: str                           # the first of those weeks
    weeks: bool                          # those runs were consecutive ISO weeks


@dataclass
class FollowUp:
    """A work order made from findings (cli.md ``followups``)."""
    id: str
    type: str
    codes: list[str]
    kind: str
    target: str
    priority: str
    due: date
    assignee: str | None = None
    assignee_name: str | None = None
    planned: date | None = None
    unassigned_reason: Text | None = None
    reason: Text | None = None           # what to do and why (for the work order)
    estate: str | None = None
    findings: list[Finding] = field(default_factory=list)
    skill: str | None = None             # service follow-ups: the need (助餐, 代配药 …)
    note: Text | None = None             # assignment remark (e.g. 值班人员 joining a safety check)
    instead: Text | None = None          # why the paired volunteer is not the assignee (本周已满 …)
    ref: RecordRef | None = None         # the resident / request, when found in the ledgers
    repeat: "Repeat | None" = None       # weekly: the same order was made last week (history)

    def to_dict(self, lang: str = "zh") -> dict:
        return {"id": self.id, "type": self.type, "codes": list(self.codes), "kind": self.kind,
                "target": self.target, "priority": self.priority, "assignee": self.assignee,
                "planned": self.planned.isoformat() if self.planned else None,
                "unassigned_reason": (self.unassigned_reason.get(lang)
                                      if self.unassigned_reason else None)}


def _bounded(text: Text | Message) -> Text | Message:
    if isinstance(text, Message):
        return text                       # bounded when rendered
    if len(text.zh) <= MAX_MESSAGE_CHARS and len(text.en) <= MAX_MESSAGE_CHARS:
        return text
    cut = MAX_MESSAGE_CHARS
    return Text(text.zh[:cut] + "…" if len(text.zh) > cut else text.zh,
                text.en[:cut] + "…" if len(text.en) > cut else text.en)


def _one_line(text: str | None) -> str | None:
    """A header as one line (staff break long headers inside the cell)."""
    return " ".join(str(text).split()) if text else text


def json_value(value: Any) -> Any:
    """A cell's raw value as JSON can hold it (dates as ISO text)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple, list)):
        return [json_value(v) for v in sorted(value, key=str)] if isinstance(value, (set, frozenset)) \
            else [json_value(v) for v in value]
    return str(value)


@dataclass
class Workspace:
    """Everything read from the paths given: ledgers (rows of all sheets of one kind are one
    ledger), the sheets recognised, and the file/sheet/parse findings made while reading."""
    root: str                                                   # folder files are relative to
    records: dict[str, list[Record]] = field(default_factory=dict)   # kind -> records
    sources: list[Source] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)              # every file looked at (relative)
    readable: int = 0                                           # files that could be opened
    counts: dict[str, int] = field(default_factory=dict)        # kind -> records, when not kept
    # kind -> the reader's columns, sheet by sheet in record order: (records, key -> values),
    # values None where the sheet's values were changed after parsing (read from the records)
    columns: dict[str, list[tuple[int, dict[str, list[Any]] | None]]] = field(
        default_factory=dict, repr=False, compare=False)

    def ledger(self, kind: str) -> list[Record]:
        return self.records.get(kind, [])

    def count(self, kind: str) -> int:
        """Records of ``kind``: held here, or (a town checked in workers) counted there."""
        return self.counts.get(kind, 0) + len(self.records.get(kind, ()))
