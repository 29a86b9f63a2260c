"""Names and ids as compared, and a record's usable values (domain layer)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from toolkit.model import Record

__all__ = ["norm", "usable"]


def norm(value: Any) -> str:
    """A name/id as compared: no spaces of any width; '' for empty."""
    if value is None:
        return ""
    if type(value) is str:
        return _norm_text(value)      # the same few hundred names/ids recur on every visit
    return "".join(str(value).split()).replace("\u3000", "")


@lru_cache(maxsize=1 << 16)
def _norm_text(value: str) -> str:
    return "".join(value.split()).replace("\u3000", "")


def usable(record: Record, key: str) -> Any:
    """The normalised value of ``key``, or None when empty or failed to parse."""
    if key in record.invalid:
        return None
    return record.values.get(key)
