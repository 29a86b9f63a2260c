"""Our own exceptions. Each message says, in Chinese and English, what to do.

The library raises these; ``cli.py`` turns them into a clean message and exit code 2 in one
place. Bad *data* never raises: it becomes a finding.
"""
from __future__ import annotations

from toolkit.text import Text


class ToolkitError(Exception):
    """Base class: a problem the user can fix. ``text`` holds both languages."""

    exit_code = 2

    def __init__(self, zh: str, en: str | None = None):
        self.text = Text(zh, en or zh)
        super().__init__(zh)

    def message(self, lang: str = "zh") -> str:
        return self.text.get(lang)


class NothingToRead(ToolkitError):
    """No ledger could be read at all (exit code 2 per cli.md)."""


class UsageError(ToolkitError):
    """Bad paths or options."""


class OutputError(ToolkitError):
    """An output could not be written (open in Excel, no permission, disk full)."""


class LockedError(ToolkitError):
    """Another run holds the workspace lock."""
