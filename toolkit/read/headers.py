"""Finding the header row of a sheet and deciding which ledger the sheet is.

Headers are compared after ``normalise_header`` (full→half width, no whitespace, no ``*``,
no trailing ``（必填）``/``(小时)``-style marks); ``header_key`` maps a header to a ledger's
field reading a trailing bracket: a mark is dropped, a unit must be the field's own (or one
converted to it: 服务时长（分钟）), any other word qualifies the header (紧急联系人（电话） is
紧急联系电话). The header may stand on any of the first
``HEADER_SEARCH_ROWS`` rows and may have two levels (a merged parent such as ``联系方式`` over
``本人电话`` | ``紧急联系人电话``). A sheet can be of a kind only when it has one of that kind's
anchor sets (``schema.ANCHORS``), at least ``MIN_MATCHED`` matched columns and a date, an id or
a person (``schema.RECORD_KEYS``: a sheet of option lists or prices is none); among those
kinds the most matched columns wins (``schema.NEVER_COUNTS`` — 备注 — never counts), ties
going to the ledger lacking fewest required columns (a volunteer roster with 性别/出生日期/身份证号/
住址 matches as many elderly columns, but lacks none of its own), then to the one whose own
(distinctive) headers match most.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any, NamedTuple

from toolkit import schema
from toolkit.read.sheets import Grid

HEADER_SEARCH_ROWS = 10
MIN_MATCHED = 3

_SPACE = re.compile(r"\s+")
_TRAILING_MARK = re.compile(r"(\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|<[^<>]*>)$")
_BRACKET = re.compile(r"(?:\(([^()]*)\)|\[([^\[\]]*)\]|【([^【】]*)】|<([^<>]*)>)$")


def normalise_header(value: Any) -> str:
    """Header text as compared: ``'联系\\n电话（必填）*'`` → ``'联系电话'``."""
    if type(value) is str:
        return _normalised_text(value)
    return _normalised_text(cell_text(value))


@lru_cache(maxsize=8192)
def _normalised_text(value: str) -> str:
    """``normalise_header`` of a text, remembered: every sheet's first rows are compared as
    headers of each ledger, and the same texts come back in every sheet and file."""
    text = value.strip()
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub("", text).replace("*", "")
    while True:
        stripped = _TRAILING_MARK.sub("", text).rstrip(":：")
        if stripped == text or not stripped:
            return text
        text = stripped


@lru_cache(maxsize=8192)
def _cleaned(value: str) -> str:
    """A header as ``normalise_header`` makes it but keeping its trailing brackets."""
    text = unicodedata.normalize("NFKC", value.strip())
    return _SPACE.sub("", text).replace("*", "").rstrip(":：")


def header_key(kind: str, value: Any) -> tuple[str | None, str]:
    """(the field of ``kind`` a header names, or None; the unit its numbers are written in
    when that has to be converted, else ''). A trailing bracket is read, not just dropped:

    - a mark (``schema.HEADER_MARKS``: 必填, 选填 …) is dropped;
    - a unit (``schema.HEADER_UNITS``) must be the field's own (``Column.unit``; a field
      without one takes any) or one converted to it (``schema.UNIT_CONVERSIONS``: 服务时长
      （分钟）); another unit leaves the column unread (金额（万元）, 服务时长（天）);
    - another word qualifies the header: header and word together may name a field
      (紧急联系人（电话） → 紧急联系人电话 = 紧急联系电话); a name word (姓名) keeps the header's
      field (紧急联系人（姓名）); a word naming the header's own field or none (地址（门牌号）,
      办理时限（工作日）) keeps it; a word naming another field leaves the column unread
      (联系电话（家属）: whose phone?); a header naming no field takes the word's field
      (联系方式（本人电话） → 联系电话)."""
    text = value if type(value) is str else cell_text(value)
    return _header_key(kind, _cleaned(text)) if text else (None, "")


@lru_cache(maxsize=16384)
def _header_key(kind: str, text: str) -> tuple[str | None, str]:
    names = INDEX.by_kind[kind]
    if not text:
        return None, ""
    if text in names:
        return names[text], ""
    if "/" in text:
        # 服务技能/特长, 服务区域/负责小区: two names of one field joined by a slash name it;
        # names of different fields (姓名/电话) or a word naming none leave the column unread
        found = {_header_key(kind, part) for part in text.split("/")}
        return found.pop() if len(found) == 1 else (None, "")
    m = _BRACKET.search(text)
    if m is None:
        return None, ""
    base = text[:m.start()].rstrip(":：")
    inner = next(g for g in m.groups() if g is not None).strip(":：")
    if not base:
        return None, ""
    if not inner or inner in _MARKS:
        return _header_key(kind, base)
    key, unit = _header_key(kind, base)
    written = schema.HEADER_UNITS.get(inner)
    if written is not None:
        if key is None:
            return None, ""
        wanted = schema.LEDGERS[kind].column(key).unit
        if not wanted or written == wanted:
            return key, unit
        if written in schema.UNIT_CONVERSIONS.get(wanted, ()):
            return key, written
        return None, ""                    # a unit the field is not kept in: not read
    inner_norm = normalise_header(inner)
    joined = _joined(kind, normalise_header(base), inner_norm)
    if joined is not None:
        return joined, ""
    if inner_norm in _NAME_WORDS:
        return key, unit
    other, other_unit = _header_key(kind, inner_norm)
    if key is None:
        return other, other_unit
    if other is None or other == key:
        return key, unit
    return None, ""                        # 联系电话（家属）: whose phone? not read


def _joined(kind: str, base: str, word: str) -> str | None:
    """The field named by ``base`` followed by ``word`` or by another name of ``word``'s
    field: 紧急联系人 + 电话 → 紧急联系人电话, 家属 + 手机 → 家属电话 (手机 is 电话's field)."""
    names = INDEX.by_kind[kind]
    if not base or not word:
        return None
    key = names.get(base + word)
    if key is not None:
        return key
    field = names.get(word)
    if field is None:
        return None
    for name in INDEX.names_of[kind][field]:
        key = names.get(base + name)
        if key is not None:
            return key
    return None


def sub_header_key(kind: str, parent: Any, child: Any) -> tuple[str | None, str, bool]:
    """(field, unit as in ``header_key``, named by the child alone?) for the child cell of a
    two-level header under ``parent``. Parent and child together first (紧急联系人 over 电话 →
    紧急联系电话; 家属信息 over 手机 → 家属电话); a name word under a person's header is that
    person (紧急联系人 over 姓名 → 紧急联系人); otherwise the child alone (联系方式 over 本人电话
    → 联系电话; 巡访情况 over 血压 → 血压)."""
    p, c = _cleaned(cell_text(parent)), _cleaned(cell_text(child))
    return _sub_header_key(kind, p, c)


@lru_cache(maxsize=4096)
def _sub_header_key(kind: str, parent: str, child: str) -> tuple[str | None, str, bool]:
    word = normalise_header(child)
    bases = [normalise_header(parent)]
    bases += [bases[0][:-len(s)] for s in schema.PARENT_SUFFIXES if bases[0].endswith(s)]
    for base in bases:
        joined = _joined(kind, base, word)
        if joined is not None:
            return joined, "", False
    if word in _NAME_WORDS:
        for base in bases:
            key, _ = _header_key(kind, base)
            if key is not None:
                return key, "", False
    key, unit = _header_key(kind, child)
    return key, unit, True


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
    names_of: dict[str, dict[str, tuple[str, ...]]]   # kind -> key -> its normalised names
    distinctive: dict[str, frozenset[str]]      # kind -> keys whose names no other ledger uses
    serial: frozenset[str]
    record: dict[str, frozenset[str]]           # kind -> its date columns and schema.RECORD_KEYS


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
    record = {kind: frozenset(schema.RECORD_KEYS[kind])
              | {c.key for c in ledger.columns if c.type == schema.DATE}
              for kind, ledger in schema.LEDGERS.items()}
    names_of = {kind: {} for kind in by_kind}
    for kind, names in by_kind.items():
        for norm, key in names.items():
            names_of[kind].setdefault(key, ())
            names_of[kind][key] += (norm,)
    return _Index(by_kind, names_of, distinctive, serial, record)


_NEVER_COUNTS = frozenset(normalise_header(s) for s in schema.NEVER_COUNTS)
_MARKS = frozenset(schema.HEADER_MARKS)
_NAME_WORDS = frozenset(schema.NAME_WORDS)
_EXTRA_WORDS = tuple(normalise_header(s) for s in schema.COMMON_EXTRA_WORDS)


def is_common_extra(norm: str) -> bool:
    """A header clerks commonly add (序号, 备注, 所在楼组, 网格员, 照片附件 …): no F006."""
    return any(word in norm for word in _EXTRA_WORDS)


LOOKS_LIKE = 0.5      # bigram Dice with a field name from which an unknown header gets F006


def _bigrams(text: str) -> frozenset[str]:
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith(("P", "S")))
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)) or frozenset((text,))


def looks_like_field(kind: str, norm: str) -> bool:
    """True when an unknown header looks like one of ``kind``'s fields (``经办人`` ~ 承办人,
    ``备用电话`` ⊃ 电话): the ones F006 is for (ledgers.md). A header like ``民族``, ``身高`` or
    ``政治面貌`` is a clerk's own column: kept out of the record without a finding."""
    mine = _bigrams(norm)
    for name in INDEX.by_kind[kind]:
        if len(name) >= 2 and (name in norm or norm in name):
            return True
        theirs = _bigrams(name)
        if 2 * len(mine & theirs) >= LOOKS_LIKE * (len(mine) + len(theirs)):
            return True
    return False


def anchored(kind: str, keys: set[str] | frozenset[str]) -> bool:
    """True when ``keys`` (matched columns) hold one of ``kind``'s anchor sets."""
    return any(all(keys.intersection(group) for group in anchor)
               for anchor in schema.ANCHORS.get(kind, ()))


INDEX = _build_index()


@dataclass
class Layout:
    """How a sheet is laid out: which ledger, where the header is, which column is which key."""
    kind: str | None                    # None: no ledger matched well enough
    header_rows: tuple[int, ...]        # 0-based rows making the header (1 or 2)
    headers: list[str]                  # per column: the header as written ('' none)
    mapping: dict[int, str] = field(default_factory=dict)   # column -> key (_reading: canonical, else first)
    duplicates: list[tuple[int, str, int]] = field(default_factory=list)  # (col, key, first col)
    unmapped: list[int] = field(default_factory=list)            # columns with unknown headers
    extra: list[int] = field(default_factory=list)    # of those, no F006: commonplace (序号,
    #                                     备注 …) or not looking like any field (民族, 身高)
    serial: list[int] = field(default_factory=list)              # 序号 columns
    missing: list[str] = field(default_factory=list)             # required keys not found
    missing_groups: list[tuple[str, ...]] = field(default_factory=list)  # one_of groups absent
    header_texts: list[frozenset[str]] = field(default_factory=list)  # per column, normalised
    closest: str | None = None          # for a sheet matching no ledger: the nearest one
    service_log: int | None = None      # visits sheet that looks like a service log: the
                                        # 服务项目 column (one F006 suggests 服务单位/收费金额)
    spans: dict[int, list[int]] = field(default_factory=dict)   # column -> the columns its
    #                                     header is merged across (家庭住址 over E:F): one field
    units: dict[int, str] = field(default_factory=dict)   # column -> unit its plain numbers
    #                                     are written in, converted to the field's (服务时长（分钟）)
    pairs: dict[int, tuple[int, int]] = field(default_factory=dict)  # column read as a field
    #                                     kept in two columns -> (first part, second part) columns:
    #                                     高压 | 低压 read as 血压 (schema.SPLIT_FIELDS)

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
    of rows (two-level header); the best ledger match wins, then a pair whose second row is
    surely a header row (``_sub_header_row``: it replaces both rows alone), then earlier and
    single rows.
    """
    if is_empty_grid(grid):
        return None
    top = _filled_top(grid)
    if not any(cell_text(v) for row in top for v in row):
        return _no_header(grid)
    best: tuple | None = None
    under = False                          # row r is the second row of a header above it
    for r in range(min(len(top), HEADER_SEARCH_ROWS)):
        pair = _two_level(grid, top, r) if r + 1 < len(top) else None
        if pair is not None and pair[2]:
            candidates = [pair]            # the child row is a header row, never a record
        elif r + 1 >= HEADER_SEARCH_ROWS:
            candidates = [] if under else [((r,), top[r], None)]   # row 11 only as a sure child
        else:
            candidates = [] if under else [((r,), top[r], None)]
            if pair is not None:
                candidates.append(pair)
        under = pair is not None and pair[2]
        for rows, written, sure in candidates:
            texts = [normalise_header(_item_text(v)) for v in written]
            for kind in schema.KINDS:
                rank = _rank(kind, written, texts)
                key = (rank, bool(sure), -rows[-1], -len(rows))
                if best is None or key > best[0]:
                    best = (key, kind, rows, written)
    ((eligible, *_), *_), kind, rows, written = best
    layout = _layout(kind, rows, written, top)
    _merged_across(grid, layout)
    if eligible and kind == "visits":
        layout.service_log = _service_log_column(layout)   # issue #17
    if not eligible:
        layout.kind = None
        layout.missing = [k for k in schema.LEDGERS[kind].required_keys
                          if k not in layout.mapping.values()]
        layout.closest = kind
    return layout


SUMMARY_LOOK_ROWS = 2000      # sheets longer than this are looked at only when named 汇总/统计


@dataclass(frozen=True)
class Summary:
    """Why a sheet is a summary: ``reaching`` of its ``filled`` cells below the header are
    formulas over other sheets; ``typed_rows`` of its rows hold a ledger's anchors typed by hand
    (fewer than half: those rows are not read, and the reader says so)."""
    reaching: int
    filled: int
    typed_rows: int


def is_summary(grid: Grid, layout: Layout, *, alone: bool = False) -> bool:
    """True when ``summary_of`` finds ``grid`` a summary sheet."""
    return summary_of(grid, layout, alone=alone) is not None


def summary_of(grid: Grid, layout: Layout, *, alone: bool = False) -> Summary | None:
    """A summary sheet (汇总, 统计) made of formulas over the ledger sheets: not a ledger.

    A sheet at least half of whose rows hold one of its ledger's anchor sets typed by hand
    (``typed_anchor_rows``: 巡访情况, or a date and a 巡访人 …) is a ledger, whatever its
    formulas and name: the VLOOKUPs of a visit log bring in a resident's 姓名/地址 by the typed
    老人编号, while a summary's rows are formulas. Otherwise decided by content: at least half
    of the filled cells below the header hold formulas that reach another sheet
    (``='9月'!B3``, ``COUNTIF(巡访记录!F:F,"正常")``); or the sheet is named like a summary
    (``schema.SUMMARY_SHEET_WORDS``) and a fifth of those cells are formulas over other sheets,
    or every one of them is a formula. The name alone never decides: a ledger with a formula
    序号/年龄 column stays a ledger, also when named 总表. A formula cell counts as filled
    whether or not the file holds its result. The file is looked at only for a sheet named so,
    or one of several sheets of at most ``SUMMARY_LOOK_ROWS`` rows (``alone``: the workbook's
    only sheet has no other sheet to sum up)."""
    named = any(word in grid.name for word in schema.SUMMARY_SHEET_WORDS)
    first = layout.header_row + 1
    rows = grid.rows[first:]
    if not rows or (not named and (alone or len(rows) > SUMMARY_LOOK_ROWS)):
        return None
    formulas = grid.formulas()
    if not formulas.cells:
        return None
    below = {(r, c) for r, c in formulas.cells if r >= first}
    if not below:
        return None
    typed = sum(1 for r, row in enumerate(rows, start=first) for c, v in enumerate(row)
                if v is not None and v != "" and (r, c) not in below)
    filled = typed + len(below)
    reaching = sum(1 for r, _ in formulas.cross_sheet if r >= first)
    if not (reaching * 2 >= filled or (named and (reaching * 5 >= filled or not typed))):
        return None
    typed_rows, data_rows = typed_anchor_rows(grid, layout, below)
    if typed_rows * 2 >= data_rows:
        return None
    return Summary(reaching, filled, typed_rows)


def typed_anchor_rows(grid: Grid, layout: Layout, formula_cells: set[tuple[int, int]]) -> tuple[int, int]:
    """(rows below the header holding one of the kind's anchor sets typed by hand — not by
    formula —, rows holding anything). A value merged down counts on every row it spans."""
    first = layout.header_row + 1
    columns: dict[str, list[int]] = {}
    for c, key in layout.mapping.items():
        columns.setdefault(key, []).append(c)
    anchors = [[[c for key in group for c in columns.get(key, ())] for group in anchor]
               for anchor in schema.ANCHORS.get(layout.kind, ())]
    anchors = [groups for groups in anchors if all(groups)]
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in grid.merged:
        if r1 > r0 and r0 >= first:
            for r in range(r0 + 1, r1 + 1):
                covered[(r, c0)] = (r0, c0)

    def typed(r: int, c: int) -> bool:
        r, c = covered.get((r, c), (r, c))
        row = grid.rows[r] if r < len(grid.rows) else ()
        v = row[c] if c < len(row) else None
        return v is not None and v != "" and (r, c) not in formula_cells

    formula_rows = {r for r, _ in formula_cells}
    count = data = 0
    for r in range(first, len(grid.rows)):
        if r not in formula_rows and not any(v is not None and v != "" for v in grid.rows[r]):
            continue
        data += 1
        if any(all(any(typed(r, c) for c in group) for group in groups) for groups in anchors):
            count += 1
    return count, data


def _no_header(grid: Grid) -> Layout:
    """A sheet with data but nothing in its first rows: no ledger, none close."""
    return Layout(None, (0,), [])


def _rank(kind: str, written: list[Any], texts: list[str]) -> tuple:
    keys = set()
    for value, text in zip(written, texts):
        if text and text not in _NEVER_COUNTS:
            key = _item_key(kind, value)[0]
            if key is not None:
                keys.add(key)
    keys.update(key for key, _ in _parent_fields(kind, written).values())
    if kind in _SPLIT_KINDS:                # 高压 | 低压 name 血压 together
        halves = {_part(kind, value) for value in written} - {None}
        keys.update(key for key, i in halves if i == 0 and (key, 1) in halves)
    ledger = schema.LEDGERS[kind]
    required = set(ledger.required_keys)
    eligible = len(keys) >= MIN_MATCHED and anchored(kind, keys) and bool(keys & INDEX.record[kind])
    lacking = len(required - keys) + sum(1 for group in ledger.one_of if not keys & set(group))
    return (eligible, len(keys), -lacking, len(keys & INDEX.distinctive[kind]),
            len(keys & required), -schema.KINDS.index(kind))


# --- services read as visits (issue #17) ------------------------------------------------
def _service_log_column(layout: Layout) -> int | None:
    """For a sheet read as visits: the column holding 服务项目 when the sheet has every
    services anchor but 服务单位/收费金额 (ledgers.md: read as visits, one info finding)."""
    keys: dict[str, int] = {}
    for c, header in enumerate(layout.headers):
        key = header_key("services", header)[0]
        if key is not None:
            keys.setdefault(key, c)
    hint = set(schema.SERVICE_LOG_HINT)
    groups = [g for g in schema.ANCHORS["services"][0] if set(g) != hint]
    if not all(set(keys) & set(g) for g in groups) or "item" not in keys:
        return None
    column = keys["item"]
    return column if column in layout.unmapped else None


def _filled_top(grid: Grid) -> list[list[Any]]:
    """The first rows (and the one below, for a two-level header's children) with each merged
    range's value copied into all its cells."""
    top = [list(row) for row in grid.rows[:HEADER_SEARCH_ROWS + 1]]
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


class _Sub(NamedTuple):
    """A child cell of a two-level header under its parent (紧急联系人 over 电话)."""
    parent: str
    child: str


def _item_key(kind: str, item: Any) -> tuple[str | None, str]:
    """(field, unit) of a header cell or of a ``_Sub``."""
    if type(item) is _Sub:
        return sub_header_key(kind, item.parent, item.child)[:2]
    return header_key(kind, item)


def _parent_fields(kind: str, written: list[Any]) -> dict[int, tuple[str, str]]:
    """column -> (field, unit) its merged parent gives it: a parent naming a field of ``kind``
    that no column provides, over children of which exactly one names no field (nor is a 序号
    or a commonplace column such as 备注) — 巡访情况 over 身体状况 | 血压 | 发现问题: the clerk's
    outcomes are under 身体状况. Not for a parent naming an id, a person or a date
    (``INDEX.record``: 紧急联系人 over 关系 | 电话 — 关系 is no contact), nor when no child or
    several children are unmatched."""
    if not any(type(item) is _Sub for item in written):
        return {}
    keys = [_item_key(kind, item)[0] for item in written]
    provided = set(keys)
    found: dict[int, tuple[str, str]] = {}
    c = 0
    while c < len(written):
        item = written[c]
        if type(item) is not _Sub:
            c += 1
            continue
        end = c + 1                        # the children of one parent: a run under its text
        while end < len(written) and type(written[end]) is _Sub and written[end].parent == item.parent:
            end += 1
        key, unit = header_key(kind, item.parent)
        if key is not None and key not in provided and key not in INDEX.record[kind]:
            free = [g for g in range(c, end) if keys[g] is None
                    and not _is_extra_word(normalise_header(written[g].child))
                    and _part(kind, written[g]) is None]
            if len(free) == 1:
                found[free[0]] = (key, unit)
        c = end
    return found


def _is_extra_word(norm: str) -> bool:
    """A 序号 or a commonplace extra column (备注, 所在楼组 …)."""
    return norm in INDEX.serial or is_common_extra(norm)


def _item_text(item: Any) -> str:
    """What is written in a header cell (a ``_Sub``: its child)."""
    return cell_text(item.child if type(item) is _Sub else item)


def _shown(kind: str, item: Any) -> str:
    """A header as findings name it: a child named by itself as written (本人电话), else
    parent and child (紧急联系人（电话）)."""
    if type(item) is _Sub:
        key, _, alone = sub_header_key(kind, item.parent, item.child)
        return item.child if alone or key is None else f"{item.parent}（{item.child}）"
    return cell_text(item)


def _two_level(grid: Grid, top: list[list[Any]], r: int) -> tuple | None:
    """Rows ``r`` (parents) and ``r + 1`` (children) as one header — (rows, written, is the
    child row surely a header row) — or None when row ``r`` has no merged parent over several
    columns and no empty parent above a child.

    A parent groups the columns of its merged range; without merge information (CSV, some
    ``.xls``) a parent followed by empty parent cells groups those columns too. A grouped
    child is written as ``_Sub(parent, child)``: 紧急联系人 over 姓名 | 电话 names 紧急联系人 and
    紧急联系电话 (``sub_header_key``)."""
    parent, child = top[r], top[r + 1]
    width = max(len(parent), len(child))
    grouped: dict[int, str] = {}                 # column -> its parent's text
    for r0, c0, r1, c1 in grid.merged:
        if r0 <= r <= r1 < r + 1 and c1 > c0 and c0 < len(parent):
            for c in range(c0, c1 + 1):
                grouped[c] = cell_text(parent[c0])
    texts_p = [cell_text(parent[c]) if c < len(parent) else "" for c in range(width)]
    texts_c = [cell_text(child[c]) if c < len(child) else "" for c in range(width)]
    for c in range(width - 1):
        if texts_p[c] and not texts_p[c + 1] and texts_c[c] and texts_c[c + 1]:
            end = c + 1
            while end + 1 < width and not texts_p[end + 1] and texts_c[end + 1]:
                end += 1
            for g in range(c, end + 1):
                grouped.setdefault(g, texts_p[c])
    written, used_child = [], False
    for c in range(width):
        p = parent[c] if c < len(parent) else ""
        ch = child[c] if c < len(child) else ""
        if cell_text(ch) and (c in grouped or not cell_text(p)) and ch != p:
            above = grouped.get(c, "")
            if above and normalise_header(above) != normalise_header(ch):
                written.append(_Sub(above, cell_text(ch)))
            else:
                written.append(ch)
            used_child = True
        else:
            written.append(p)
    if not used_child or (not grouped and not any(cell_text(v) for v in parent)):
        return None
    return (r, r + 1), written, _sub_header_row(grid, r, set(grouped))


def _sub_header_row(grid: Grid, r: int, grouped: set[int]) -> bool:
    """True when row ``r + 1`` is surely the second row of a header on row ``r``: it holds
    text only under grouped (merged) parents, in at least two columns, no digits, while row
    ``r`` has headers outside the groups too; and the sheet shows it is a header (the other
    header cells merged down over both rows, a child naming a ledger field or a commonplace
    column, or a sheet without merge information). Such a row is never a record, even when
    its children add no field (其他信息 over 民族 | 政治面貌 | 文化程度)."""
    rows = grid.rows
    if r + 1 >= len(rows) or not grouped:
        return False
    parent, child = rows[r], rows[r + 1]
    filled = [c for c, v in enumerate(child) if cell_text(v)]
    if len(filled) < 2 or not set(filled) <= grouped:
        return False
    if not any(cell_text(v) for c, v in enumerate(parent) if c not in grouped):
        return False
    words = [child[c] for c in filled]
    if not all(type(v) is str and len(v.strip()) <= 12 and not any(ch.isdigit() for ch in v)
               for v in words):
        return False
    if not grid.merged:
        return True
    if any(r0 == r and r1 >= r + 1 and c0 not in grouped for r0, c0, r1, c1 in grid.merged):
        return True
    return any(_known_word(normalise_header(v)) for v in words)


def _known_word(norm: str) -> bool:
    """A header some ledger names, a 序号, or a commonplace extra column."""
    return (norm in INDEX.serial or is_common_extra(norm)
            or any(norm in names for names in INDEX.by_kind.values())
            or any(norm in parts for parts in _SPLIT_PARTS.values()))


def _merged_across(grid: Grid, layout: Layout) -> None:
    """A header cell merged across several columns (家庭住址 over E:F) is one field: the other
    columns are no F005 duplicates but part of the first (``Layout.spans``)."""
    for r0, c0, r1, c1 in grid.merged:
        if c1 <= c0 or r0 not in layout.header_rows or r1 > layout.header_row:
            continue
        key = layout.mapping.get(c0)
        parts = {(c, key, c0) for c in range(c0 + 1, c1 + 1)}
        if key is None or not parts <= set(layout.duplicates):
            continue
        layout.duplicates = [d for d in layout.duplicates if d not in parts]
        layout.spans[c0] = list(range(c0 + 1, c1 + 1))


_SPLIT_PARTS = {kind: {normalise_header(name): (key, i)
                       for (k, key), parts in schema.SPLIT_FIELDS.items() if k == kind
                       for i, names in enumerate(parts[:2]) for name in names}
                for kind in schema.KINDS}


_SPLIT_KINDS = frozenset(kind for kind, _ in schema.SPLIT_FIELDS)


def _part(kind: str, item: Any) -> tuple[str, int] | None:
    """(field, 0 or 1) when a header cell names one part of a field kept in two columns
    (``schema.SPLIT_FIELDS``): 高压, 收缩压（mmHg）, 低压 under a merged 血压, 血压（舒张压）."""
    parts = _SPLIT_PARTS.get(kind)
    if not parts:
        return None
    text = _cleaned(_item_text(item))
    while True:
        found = parts.get(text)
        if found is not None:
            return found
        m = _BRACKET.search(text)
        if m is None:
            return None
        base = text[:m.start()].rstrip(":：")
        inner = normalise_header(next(g for g in m.groups() if g is not None))
        if inner in _MARKS or schema.HEADER_UNITS.get(inner) == "mmHg":
            text = base                      # 收缩压（mmHg） / 高压（必填）
            continue
        found = parts.get(inner)             # 血压（高压）: the field over its part
        if found is not None and _header_key(kind, base)[0] == found[0]:
            return found
        return None


def _pair_up(layout: Layout, parts: dict[str, tuple[list[int], list[int]]],
             claims: dict[str, list[tuple[int, str]]],
             named: dict[int, str]) -> dict[str, tuple[int, int]]:
    """Fields kept in two columns: the first column of each part makes the pair (field ->
    (first part, second part)); a field no column names is claimed by its first part's column.
    A further column naming a part is an F005 duplicate. A part alone (高压 without 低压) is
    no reading: an unknown column (F006), never silently dropped — unless its header is an
    alias of the field itself (``named``: 门牌号 alone is the 地址), read as the field."""
    pairs: dict[str, tuple[int, int]] = {}
    for key, (firsts, seconds) in parts.items():
        if not firsts or not seconds:
            for c in firsts + seconds:
                if c in named:
                    claims[key] = sorted(claims.get(key, []) + [(c, named[c])])
                else:
                    layout.unmapped.append(c)
            continue
        a, b = pairs[key] = firsts[0], seconds[0]
        claims.setdefault(key, [(a, "")])
        layout.duplicates.extend((c, key, a) for c in firsts[1:])
        layout.duplicates.extend((c, key, b) for c in seconds[1:])
    return pairs


def _reading(canonical: str, cols: list[tuple[int, str]], written: list[Any]) -> tuple[int, str]:
    """Of several columns naming one field, the one read: the field's canonical header as
    written (老人编号 beats 编号, the visit log's own record number, left of it), else the
    first. The others are F005."""
    canonical = normalise_header(canonical)
    for c, unit in cols:
        if type(written[c]) is not _Sub and normalise_header(written[c]) == canonical:
            return c, unit
    return cols[0]


def _layout(kind: str, rows: tuple[int, ...], written: list[Any], top: list[list[Any]]) -> Layout:
    headers = [_shown(kind, v) for v in written]
    parents = _parent_fields(kind, written)
    for c in parents:                               # 巡访情况（身体状况）
        headers[c] = f"{written[c].parent}（{written[c].child}）"
    layout = Layout(kind, rows, headers)
    claims: dict[str, list[tuple[int, str]]] = {}      # key -> (column, unit) naming it
    parts: dict[str, tuple[list[int], list[int]]] = {}  # split field -> its parts' columns
    named: dict[int, str] = {}                          # part column -> unit, when an alias
    for c, header in enumerate(headers):
        norm = normalise_header(header)
        layout.header_texts.append(frozenset(
            normalise_header(top[r][c]) for r in rows if c < len(top[r]) and cell_text(top[r][c])))
        if not norm:
            continue
        key, unit = parents.get(c) or _item_key(kind, written[c])
        part = None if norm in INDEX.serial or c in parents else _part(kind, written[c])
        if part is not None and key in (None, part[0]):
            parts.setdefault(part[0], ([], []))[part[1]].append(c)
            if key is not None:                     # 门牌号: a part and the field's own alias
                named[c] = unit
        elif norm in INDEX.serial:
            layout.serial.append(c)
        elif key is not None:
            claims.setdefault(key, []).append((c, unit))
        else:
            layout.unmapped.append(c)
            if is_common_extra(norm) or not looks_like_field(kind, norm):
                layout.extra.append(c)
    ledger = schema.LEDGERS[kind]
    pairs = _pair_up(layout, parts, claims, named)
    for key, cols in claims.items():                # one column per field: see _reading
        c, unit = _reading(ledger.column(key).header, cols, written)
        layout.mapping[c] = key
        if key in pairs:                # 高压 | 低压 (with a 血压 column: 血压 where filled)
            layout.pairs[c] = pairs[key]
        if unit:
            layout.units[c] = unit
        layout.duplicates.extend((other, key, c) for other, _ in cols if other != c)
    layout.mapping = dict(sorted(layout.mapping.items()))
    layout.unmapped.sort()
    layout.duplicates.sort()
    found = set(layout.mapping.values())
    layout.missing = [k for k in ledger.required_keys if k not in found]
    layout.missing_groups = [g for g in ledger.one_of if not found & set(g)]
    return layout
