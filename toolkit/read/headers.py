"""Finding the header row of a sheet and deciding which ledger the sheet is.

Headers are compared after ``normalise_header`` (full→half width, no whitespace, no ``*``,
no trailing ``（必填）``/``(小时)``-style marks). The header may stand on any of the first
``HEADER_SEARCH_ROWS`` rows and may have two levels (a merged parent such as ``联系方式`` over
``本人电话`` | ``紧急联系人电话``). A sheet is a ledger when at least ``MIN_MATCHED`` of its
headers match that ledger's columns, one of them always required; ties go to the ledger whose
own (distinctive) headers match most.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from toolkit import schema
from toolkit.read.sheets import Grid

HEADER_SEARCH_ROWS = 10
MIN_MATCHED = 3

_SPACE = re.compile(r"\s+")
_TRAILING_MARK = re.compile(r"(\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|<[^<>]*>)$")


def normalise_header(value: Any) -> str:
    """Header text as compared: ``'联系\\n电话（必填）*'`` → ``'联系电话'``."""
    text = cell_text(value)
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub("", text).replace("*", "")
    while True:
        stripped = _TRAILING_MARK.sub("", text).rstrip(":：")
        if stripped == text or not stripped:
            return text
        text = stripped


def cell_text(value: Any) -> str:
    """A header cell as text (``''`` for empty, dates and times)."""
    if value is None or isinstance(value, (date, datetime, time)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class _Index:
    by_kind: dict[str, dict[str, str]]          # kind -> normalised name -> key
    distinctive: dict[str, frozenset[str]]      # kind -> keys whose names no other ledger uses
    serial: frozenset[str]


def _build_index() -> _Index:
    by_kind: dict[str, dict[str, str]] = {}
    owners: dict[str, set[str]] = {}
    for kind, ledger in schema.LEDGERS.items():
        names: dict[str, str] = {}
        for column in ledger.columns:
            for name in column.names:
                norm = normalise_header(name)
                names.setdefault(norm, column.key)
                owners.setdefault(norm, set()).add(kind)
        by_kind[kind] = names
    distinctive = {}
    for kind, names in by_kind.items():
        keys = {key for key in names.values()}
        shared = {key for norm, key in names.items() if len(owners[norm]) > 1}
        distinctive[kind] = frozenset(keys - shared)
    serial = frozenset(normalise_header(s) for s in schema.SERIAL_HEADERS)
    return _Index(by_kind, distinctive, serial)


INDEX = _build_index()


@dataclass
class Layout:
    """How a sheet is laid out: which ledger, where the header is, which column is which key."""
    kind: str | None                    # None: no ledger matched well enough
    header_rows: tuple[int, ...]        # 0-based rows making the header (1 or 2)
    headers: list[str]                  # per column: the header as written ('' none)
    mapping: dict[int, str] = field(default_factory=dict)        # column -> key (first wins)
    duplicates: list[tuple[int, str, int]] = field(default_factory=list)  # (col, key, first col)
    unmapped: list[int] = field(default_factory=list)            # columns with unknown headers
    serial: list[int] = field(default_factory=list)              # 序号 columns
    missing: list[str] = field(default_factory=list)             # required keys not found
    missing_groups: list[tuple[str, ...]] = field(default_factory=list)  # one_of groups absent
    header_texts: list[frozenset[str]] = field(default_factory=list)  # per column, normalised
    closest: str | None = None          # for a sheet matching no ledger: the nearest one
    service_log: int | None = None      # visits sheet that looks like a service log: the
                                        # 服务项目 column (one F006 suggests 服务单位/收费金额)

    @property
    def header_row(self) -> int:
        """0-based index of the lowest header row; data starts below it."""
        return self.header_rows[-1]

    @property
    def matched(self) -> int:
        return len(self.mapping)


def is_empty_grid(grid: Grid) -> bool:
    """True when no cell of the sheet holds anything."""
    return not any(cell_text(v) for row in grid.rows for v in row)


def classify(grid: Grid) -> Layout | None:
    """The best layout of ``grid``: a ledger (``kind`` set) or the closest miss (``kind`` None).

    None when the sheet is empty. Candidates are each of the first rows alone and each pair
    of rows (two-level header); the best ledger match wins, earlier and single rows on ties.
    """
    if is_empty_grid(grid):
        return None
    top = _filled_top(grid)
    if not any(cell_text(v) for row in top for v in row):
        return _no_header(grid)
    best: tuple | None = None
    for r in range(len(top)):
        candidates = [((r,), top[r], [r] * len(top[r]))]
        if r + 1 < len(top):
            pair = _two_level(grid, top, r)
            if pair is not None:
                candidates.append(pair)
        for rows, written, _ in candidates:
            texts = [normalise_header(v) for v in written]
            for kind in schema.KINDS:
                rank = _rank(kind, texts)
                key = (rank, -rows[-1], -len(rows))
                if best is None or key > best[0]:
                    best = (key, kind, rows, written)
    _, kind, rows, written = best
    layout = _layout(kind, rows, written, top)
    eligible = layout.matched >= MIN_MATCHED and any(
        k in schema.LEDGERS[kind].required_keys for k in layout.mapping.values()) \
        and _anchored(kind, set(layout.mapping.values()))
    if eligible and kind == "visits":
        layout.service_log = _service_log_column(layout)
    if not eligible:
        layout.kind = None
        layout.missing = [k for k in schema.LEDGERS[kind].required_keys
                          if k not in layout.mapping.values()]
        layout.closest = kind
    return layout


def _no_header(grid: Grid) -> Layout:
    """A sheet with data but nothing in its first rows: no ledger, none close."""
    return Layout(None, (0,), [])


def _rank(kind: str, texts: list[str]) -> tuple:
    names = INDEX.by_kind[kind]
    keys = {names[t] for t in texts if t in names}
    required = set(schema.LEDGERS[kind].required_keys)
    eligible = len(keys) >= MIN_MATCHED and bool(keys & required) and _anchored(kind, keys)
    return (eligible, len(keys), len(keys & INDEX.distinctive[kind]), len(keys & required),
            -schema.KINDS.index(kind))


# --- anchors of the services and rooms ledgers (issue #17; schema.KIND_ANCHORS) ----------
def _anchored(kind: str, keys: set[str]) -> bool:
    """A kind with anchors is possible only when every anchor group has a matched key."""
    return all(keys & set(group) for group in schema.KIND_ANCHORS.get(kind, ()))


def _service_log_column(layout: Layout) -> int | None:
    """For a sheet read as visits: the column holding 服务项目 when the sheet has every
    services anchor but 服务单位/收费金额 (ledgers.md: read as visits, one info finding)."""
    names = INDEX.by_kind["services"]
    keys: dict[str, int] = {}
    for c, header in enumerate(layout.headers):
        key = names.get(normalise_header(header))
        if key is not None:
            keys.setdefault(key, c)
    hint = set(schema.SERVICE_LOG_HINT)
    groups = [g for g in schema.KIND_ANCHORS["services"] if set(g) != hint]
    if not all(set(keys) & set(g) for g in groups) or "item" not in keys:
        return None
    column = keys["item"]
    return column if column in layout.unmapped else None


def _filled_top(grid: Grid) -> list[list[Any]]:
    """The first rows with each merged range's value copied into all its cells."""
    top = [list(row) for row in grid.rows[:HEADER_SEARCH_ROWS]]
    for r0, c0, r1, c1 in grid.merged:
        if r0 >= len(top) or c0 >= len(top[r0]):
            continue
        value = top[r0][c0]
        for r in range(r0, min(r1, len(top) - 1) + 1):
            row = top[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
    return top


def _two_level(grid: Grid, top: list[list[Any]], r: int) -> tuple | None:
    """Rows ``r`` (parents) and ``r + 1`` (children) as one header, or None when row ``r``
    has no merged parent over several columns and no empty parent above a child.

    A parent groups the columns of its merged range; without merge information (CSV, some
    ``.xls``) a parent followed by empty parent cells groups those columns too."""
    parent, child = top[r], top[r + 1]
    width = max(len(parent), len(child))
    grouped = set()
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= r <= r1 < r + 1 and c1 > c0:
            grouped.update(range(c0, c1 + 1))
    texts_p = [cell_text(parent[c]) if c < len(parent) else "" for c in range(width)]
    texts_c = [cell_text(child[c]) if c < len(child) else "" for c in range(width)]
    for c in range(width - 1):
        if texts_p[c] and not texts_p[c + 1] and texts_c[c] and texts_c[c + 1]:
            end = c + 1
            while end + 1 < width and not texts_p[end + 1] and texts_c[end + 1]:
                end += 1
            grouped.update(range(c, end + 1))
    written, origin, used_child = [], [], False
    for c in range(width):
        p = parent[c] if c < len(parent) else ""
        ch = child[c] if c < len(child) else ""
        if cell_text(ch) and (c in grouped or not cell_text(p)) and ch != p:
            written.append(ch)
            origin.append(r + 1)
            used_child = True
        else:
            written.append(p)
            origin.append(r)
    if not used_child or (not grouped and not any(cell_text(v) for v in parent)):
        return None
    return (r, r + 1), written, origin


def _layout(kind: str, rows: tuple[int, ...], written: list[Any], top: list[list[Any]]) -> Layout:
    names = INDEX.by_kind[kind]
    headers = [cell_text(v) for v in written]
    layout = Layout(kind, rows, headers)
    first_col: dict[str, int] = {}
    for c, header in enumerate(headers):
        norm = normalise_header(header)
        layout.header_texts.append(frozenset(
            normalise_header(top[r][c]) for r in rows if c < len(top[r]) and cell_text(top[r][c])))
        if not norm:
            continue
        if norm in INDEX.serial:
            layout.serial.append(c)
        elif norm in names:
            key = names[norm]
            if key in first_col:
                layout.duplicates.append((c, key, first_col[key]))
            else:
                first_col[key] = c
                layout.mapping[c] = key
        else:
            layout.unmapped.append(c)
    ledger = schema.LEDGERS[kind]
    found = set(layout.mapping.values())
    layout.missing = [k for k in ledger.required_keys if k not in found]
    layout.missing_groups = [g for g in ledger.one_of if not found & set(g)]
    return layout
