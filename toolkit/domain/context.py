"""The workspace context (domain layer): what every rule, the assignment step and the reports
see: the workspace, settings, as-of date, calendar, and shared lookups.

Lookups are ``cached_property``: built at most once per run, whichever rule asks first.
Care-related lookups (visit matching, tiers) are in ``toolkit.domain.care``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from toolkit.domain.care import CareIndex
from toolkit.domain.columns import Columns
from toolkit.domain.records import UNIQUE_ID_KINDS, RecordIndex, first_of_each_id
from toolkit.domain.requests import RequestIndex
from toolkit.domain.unread import Unread
from toolkit.model import Record, RecordRef, Workspace
from toolkit.settings import Settings
from toolkit.workdays import WorkCalendar


@dataclass
class Context:
    workspace: Workspace
    settings: Settings
    as_of: date
    calendar: WorkCalendar = field(default=None)

    def __post_init__(self):
        if self.calendar is None:
            self.calendar = WorkCalendar(self.settings.holidays)

    def ledger(self, kind: str) -> list[Record]:
        """The ledger's records as the rules, the assignment and the reports count them: for a
        ledger keyed by 编号 (``UNIQUE_ID_KINDS``), a row whose 编号 an earlier row in workbook
        order already has is set aside — its D107 is its finding, the first row is the person
        (docs/care.md). Data-quality rules on a row's own cells read ``rows``."""
        try:
            return self._ledgers[kind]
        except KeyError:
            rows = self.workspace.ledger(kind)
            out = self._ledgers[kind] = first_of_each_id(rows) if kind in UNIQUE_ID_KINDS else rows
            return out

    def rows(self, kind: str) -> list[Record]:
        """Every row read of the ledger, repeated 编号 included (data-quality rules)."""
        return self.workspace.ledger(kind)

    @cached_property
    def _ledgers(self) -> dict[str, list[Record]]:
        return {}

    @cached_property
    def records(self) -> RecordIndex:
        """Every record of the run by its row (``resolve``)."""
        return RecordIndex(self.workspace.records.values())

    def resolve(self, ref: RecordRef | None) -> Record | None:
        """The record a finding's or follow-up's ``ref`` points at (None when not read)."""
        return self.records.resolve(ref)

    def at(self, day: date) -> "Context":
        """The same run seen on another day (a report's earlier cut-off): the care index is
        shared, answering as of ``day`` (``CareIndex.at``), not built again, and so are the
        columns (the same records); the other lookups are built for that day when asked."""
        other = Context(workspace=self.workspace, settings=self.settings, as_of=day,
                        calendar=self.calendar)
        other.care = self.care.at(day)      # a cached_property is set on the instance
        other.columns = self.columns        # the same records, read down their columns
        other._ledgers = self._ledgers
        other.unread = self.unread
        return other

    @cached_property
    def care(self) -> CareIndex:
        """Shared elderly-care lookups (visit matching, tiers, volunteers); see domain/care.py."""
        return CareIndex(self)

    @cached_property
    def columns(self) -> Columns:
        """Each ledger read down its columns: ``where`` gives the records that may hold a
        finding, testing each distinct value once (see domain/columns.py)."""
        return Columns(self.workspace.ledger,     # not self.ledger: no cycle back to ctx
                       self.workspace.columns)

    @cached_property
    def unread(self) -> Unread:
        """The files and sheets not read this run, each with its guessed ledger (domain/unread.py)."""
        return Unread(self.workspace)

    def incomplete(self, kind: str) -> bool:
        """Records of ``kind`` may be in a file or sheet that could not be read this run: the
        rules that conclude from their absence are withheld (docs/reliability.md)."""
        return self.unread.incomplete(kind)

    @cached_property
    def lifecycle(self) -> RequestIndex:
        """The open requests by stage (see domain/requests.py)."""
        return RequestIndex(self.ledger("requests"))
