"""The one resolver from a ``RecordRef`` (or a finding's location) to its ``Record``.

Findings carry ``ref`` (the record they are about); follow-ups carry the ``ref`` of their
resident or request. Assign, the solver and the work orders all resolve through
``Context.resolve``, so no stage looks an id string up again.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from toolkit.domain.names import norm, usable
from toolkit.model import Finding, Record, RecordRef, workbook_order

__all__ = ["RecordIndex", "ref_of_finding", "UNIQUE_ID_KINDS", "repeated_ids", "first_of_each_id"]

# ledgers whose rows are people or requests keyed by 编号: two rows with one 编号 are D107, and
# only the first is the person (or request) the rules, the assignment and the reports see
UNIQUE_ID_KINDS = ("requests", "elderly", "volunteers")
# what tells a copied row from another record given the same 编号 by mistake: a copy has the
# same 姓名 (people) or the same 诉求内容 (requests); another name is another person (D107 asks
# for a new 编号, and both are checked meanwhile)
SAME_RECORD_KEYS = {"requests": "content", "elderly": "name", "volunteers": "name"}


class RecordIndex:
    """Every record of a run by (kind, file, sheet, row)."""

    def __init__(self, ledgers: Iterable[Iterable[Record]]):
        self._by_row: dict[tuple, Record] = {}
        for records in ledgers:
            for r in records:
                self._by_row.setdefault((r.kind, r.file, r.sheet, r.row), r)

    def resolve(self, ref: RecordRef | None) -> Record | None:
        if ref is None:
            return None
        return self._by_row.get((ref.kind, ref.file, ref.sheet, ref.row))


def ref_of_finding(f: Finding) -> RecordRef | None:
    """The finding's ``ref``; for a finding built without one, the row it sits on."""
    if f.ref is not None:
        return f.ref
    if f.kind and f.file and f.sheet and f.row:
        return RecordRef(f.kind, f.record, f.file, f.sheet, f.row)
    return None


def repeated_ids(records: Iterable[Record]) -> Iterator[tuple[Record, Record]]:
    """(later row, first row) for every row whose 编号 an earlier row already has. "Earlier" is
    workbook order (``workbook_order``: files in natural order, sheets as the workbook orders
    them, rows); an empty or unreadable 编号 repeats nothing. What D107 reports."""
    first: dict = {}
    for r in workbook_order(list(records)):
        rid = r.values.get("id")
        if rid is None or "id" in r.invalid:
            continue
        other = first.setdefault(rid, r)
        if other is not r:
            yield r, other


def first_of_each_id(records: list[Record]) -> list[Record]:
    """``records`` (in their order) without the copies among the rows ``repeated_ids``
    reports: a later row with an earlier row's 编号 and the same 姓名 / 诉求内容
    (``SAME_RECORD_KEYS``). A pasted-twice row, a 副本 file beside the original or a hidden
    backup sheet is one person, not two. A row struck through (删除线) and written again below
    is the later row: the struck one is set aside instead."""
    repeated = list(repeated_ids(records))
    if not repeated:
        return records
    key = SAME_RECORD_KEYS.get(records[0].kind)
    kept: dict = {}                      # 编号 -> the 姓名/诉求内容 of the rows kept with it
    keeper: dict = {}                    # (编号, 姓名/诉求内容) -> the row kept for it
    for r, first in repeated:
        kept.setdefault(first.values.get("id"), {_same_as(first, key)})
        keeper.setdefault((first.values.get("id"), _same_as(first, key)), first)
    copies = set()
    for r, _ in repeated:                # in workbook order
        seen = kept[r.values.get("id")]
        written = _same_as(r, key)
        if key is None or written in seen:
            held = keeper.get((r.values.get("id"), written))
            if held is not None and held.struck and not r.struck:
                copies.add(id(held))     # the struck row was deleted: this one is the record
                keeper[(r.values.get("id"), written)] = r
            else:
                copies.add(id(r))
        else:
            seen.add(written)
            keeper[(r.values.get("id"), written)] = r
    return [r for r in records if id(r) not in copies]


def _same_as(r: Record, key: str | None) -> str:
    return norm(usable(r, key)) if key else ""
