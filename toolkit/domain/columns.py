"""A ledger read down its columns (domain layer): which records may hold a finding.

Most rows of a big ledger hold nothing a given rule reports, and the same few values recur on
every row (150,000 visits of a year write a few hundred dates, a thousand readings, a handful
of outcomes). ``Columns.where`` takes a key's values out of every record at once, asks the
rule's test once per *distinct* value, and gives back only the records whose value passed —
the rule then runs its usual checks on those, and on nothing else.

A test must answer the same for equal values (``1 == 1.0 == True``: they are asked once) and
must pass every value the rule might report on (it narrows the walk; the rule still decides).
"""
from __future__ import annotations

from itertools import compress, repeat
from operator import attrgetter
from typing import Any, Callable, Mapping

from toolkit.model import Record

__all__ = ["Columns"]

_VALUES = attrgetter("values")


class Columns:
    """The values of each ledger by key (``record.values.get(key)``, in ledger order): the
    reader's own columns when it handed them over for every sheet of the ledger
    (``Workspace.columns``), else taken out of the records the first time a rule asks."""

    def __init__(self, ledger: Callable[[str], list[Record]],
                 given: Mapping[str, list[tuple[int, Mapping[str, list[Any]] | None]]] | None = None):
        self._ledger = ledger
        self._given = given or {}
        self._dicts: dict[str, list[dict]] = {}
        self._values: dict[tuple[str, str], list[Any]] = {}
        self._sets: dict[tuple[str, str], set[Any]] = {}

    def values(self, kind: str, key: str) -> list[Any]:
        """``values.get(key)`` of every record of ``kind``, in ledger order. Do not change it."""
        found = self._values.get((kind, key))
        if found is None:
            found = self._given_values(kind, key)
            if found is None:
                dicts = self._dicts.get(kind)
                if dicts is None:
                    dicts = self._dicts[kind] = list(map(_VALUES, self._ledger(kind)))
                found = list(map(dict.get, dicts, repeat(key)))
            self._values[(kind, key)] = found
        return found

    def _given_values(self, kind: str, key: str) -> list[Any] | None:
        """The reader's column of ``key`` over the ledger's sheets (None where a sheet has no
        such column); None when some sheet's columns were not handed over."""
        sheets = self._given.get(kind)
        if not sheets or sum(n for n, _ in sheets) != len(self._ledger(kind)) \
                or any(columns is None for n, columns in sheets if n):
            return None
        if len(sheets) == 1 and key in (sheets[0][1] or {}):
            return sheets[0][1][key]
        out: list[Any] = []
        for n, columns in sheets:
            if n:
                column = columns.get(key)
                out.extend(repeat(None, n) if column is None else column)
        return out

    def where(self, kind: str, tests: Mapping[str, Callable[[Any], bool]]) -> list[Record]:
        """The records of ``kind``, in ledger order, whose value of some key in ``tests``
        passes that key's test; each test is asked once per distinct value. A key holding
        an unhashable value gives every record (nothing can be said per value)."""
        records = self._ledger(kind)
        found: list[tuple[set, list[Any]]] = []        # (values passing, the column)
        for key, test in tests.items():
            values = self.values(kind, key)
            try:
                passing = {value for value in self._distinct(kind, key) if test(value)}
            except TypeError:                          # an unhashable value
                return list(records)
            if passing:
                found.append((passing, values))
        if len(found) == 1:
            passing, values = found[0]
            return list(compress(records, map(passing.__contains__, values)))
        rows: set[int] = set()
        for passing, values in found:
            rows.update(compress(range(len(values)), map(passing.__contains__, values)))
        return [records[i] for i in sorted(rows)]

    def _distinct(self, kind: str, key: str) -> set[Any]:
        found = self._sets.get((kind, key))
        if found is None:
            found = self._sets[(kind, key)] = set(self.values(kind, key))
        return found
