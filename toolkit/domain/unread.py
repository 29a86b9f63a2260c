"""Files and sheets that could not be read this run (domain layer), and what follows from them.

A file or sheet present but unreadable (F001/F002/F009) hides its records: they are not
missing. History carries them forward (toolkit/automate/history.py); the rules that conclude
from the ABSENCE of a ledger's records (never visited, no service, an unknown resident …) are
withheld for a ledger that may be in such a file, and the unreadable file's message says which
(docs/reliability.md). The ledger is guessed from the file and sheet name
(``schema.KIND_NAME_WORDS``), from the file's other sheets, or — when nothing else tells — as
the one ledger nothing was read of; when it cannot be guessed, every rule runs.
"""
from __future__ import annotations

from toolkit import schema
from toolkit.model import Finding, Workspace

__all__ = ["UNREADABLE_CODES", "WITHHELD", "PER_REFERENCE", "NEEDED_WITH", "unread_places",
           "guess_kind", "Unread"]

UNREADABLE_CODES = frozenset({"F001", "F002", "F009"})

# kind -> the codes whose findings conclude from the absence of that ledger's records
WITHHELD: dict[str, tuple[str, ...]] = {
    "visits": ("C301", "C302", "C305", "C307", "C308", "C311", "V404"),
    "elderly": ("D110",),                # a visit naming a resident not found
    "volunteers": ("D110", "V405"),      # a visitor / 结对志愿者 not found; too few volunteers
    "requests": ("C312", "M702", "D110"),   # not registered as a request; 诉求编号 not found
    "services": ("C308", "P803"),
    "rooms": ("U904",),
    "meetings": ("M701",),
}
# a ledger that must be there once the one it serves was read: with an elderly ledger and no
# visit log at all (left in another folder, a CSV not copied), every A/B resident would be
# "never visited" and get a work order. Such a ledger is treated as unreadable (``absent``).
NEEDED_WITH: dict[str, str] = {"visits": "elderly"}
# withheld by the rule itself, per reference (D110 on a visit's resident needs the elderly
# ledger, on its volunteer the volunteer roster, on the minutes the request ledger)
PER_REFERENCE = frozenset({"D110"})


def unread_places(workspace: Workspace) -> set[tuple[str, str | None]]:
    """(file, None) for every file that could not be read this run, (file, sheet) for a sheet
    that could not (F001/F002/F009); a file read in part keeps its other sheets."""
    read = {s.file for s in workspace.sources}
    places: set[tuple[str, str | None]] = set()
    for f in workspace.findings:
        if f.code in UNREADABLE_CODES and f.file:
            if f.sheet:
                places.add((f.file, f.sheet))
            elif f.file not in read:
                places.add((f.file, None))
    return places


def _named(text: str) -> list[str]:
    named = [k for k, words in schema.KIND_NAME_WORDS.items() if any(w in text for w in words)]
    if len(named) > 1:
        logs = [k for k in named if k not in schema.QUALIFIER_KINDS]
        named = logs or named
    return named


def guess_kind(file: str, sheet: str | None, workspace: Workspace) -> str | None:
    """The ledger an unreadable file (or sheet) most likely holds, None when it cannot tell.

    1. the sheet's name, then the file's name (its last path part without the extension),
       by ``KIND_NAME_WORDS``; several named: the one nothing else was read of;
    2. a sheet of a file whose other sheets were read: their ledger, when they are one;
    3. the one ledger of the seven nothing at all was read of."""
    read_kinds = {s.kind for s in workspace.sources}
    name = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for text in ((sheet, name) if sheet else (name,)):
        named = _named(text)
        if len(named) > 1:
            named = [k for k in named if k not in read_kinds]
        if len(named) == 1:
            return named[0]
        if named:
            return None
    if sheet:
        kinds = {s.kind for s in workspace.sources if s.file == file}
        if len(kinds) == 1:
            return kinds.pop()
    absent = [k for k in schema.KINDS if k not in read_kinds]
    return absent[0] if len(absent) == 1 else None


class Unread:
    """The run's unreadable files and sheets, each with the ledger it is guessed to hold, and
    the ledgers ``absent``: not found at all though the ledger they serve was read
    (``NEEDED_WITH``)."""

    def __init__(self, workspace: Workspace):
        self.kind_of: dict[tuple[str, str | None], str] = {}
        for file, sheet in sorted(unread_places(workspace), key=lambda p: (p[0], p[1] or "")):
            kind = guess_kind(file, sheet, workspace)
            if kind is not None:
                self.kind_of[(file, sheet)] = kind
        read = {s.kind for s in workspace.sources}
        guessed = frozenset(self.kind_of.values())
        self.absent = frozenset(k for k, served in NEEDED_WITH.items()
                                if served in read and k not in read and k not in guessed)
        self.kinds = guessed | self.absent
        self.codes = frozenset(c for k in self.kinds for c in WITHHELD[k]) - PER_REFERENCE

    def incomplete(self, kind: str) -> bool:
        """Records of ``kind`` may be in a file or sheet that could not be read."""
        return kind in self.kinds

    def of(self, f: Finding) -> str | None:
        """The ledger an F001/F002/F009 finding's file (or sheet) is guessed to hold."""
        if f.code not in UNREADABLE_CODES or not f.file:
            return None
        return self.kind_of.get((f.file, f.sheet or None))
