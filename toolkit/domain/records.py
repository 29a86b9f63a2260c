"""The one resolver from a ``RecordRef`` (or a finding's location) to its ``Record``.

Findings carry ``ref`` (the record they are about); follow-ups carry the ``ref`` of their
resident or request. Assign, the solver and the work orders all resolve through
``Context.resolve``, so no stage looks an id string up again.
"""
from __future__ import annotations

from typing import Iterable

from toolkit.model import Finding, Record, RecordRef

__all__ = ["RecordIndex", "ref_of_finding"]


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
