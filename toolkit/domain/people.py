"""Ages and birth dates (domain layer): one ``age_at`` for every stage."""
from __future__ import annotations

from datetime import date

__all__ = ["age_at", "birth_from_id_number"]


def birth_from_id_number(id_number: str | None) -> date | None:
    """Birth date encoded in an 18-character resident ID (GB 11643), if it is a real date."""
    if not id_number or len(id_number) != 18 or not id_number[6:14].isdigit():
        return None
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def age_at(birth: date, day: date) -> int | None:
    """Whole years from ``birth`` to ``day``; None when born after ``day``."""
    if birth > day:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
