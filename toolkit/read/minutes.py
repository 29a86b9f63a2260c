"""Council minutes (议事会记录) as staff write them: a meeting's date, name and attendees are
written once, on its first 议题 row (or merged down over its items), and left empty below.

``continue_meetings`` gives every row of one sheet the meeting it belongs to:

- an empty 会议日期 continues the date of the row above (one D112 per sheet says so);
- on such a row, and on a row whose date is the one above (merged down, which the reader
  fills in, or written again), an empty 会议名称 / 参会人员 continues the name / attendees
  above too;
- on a row with its own date an empty 会议名称 means ``schema.DEFAULT_MEETING`` (居民议事会).

A row below an unreadable date (D102) continues nothing: its date stays empty and is marked
invalid, so the one D102 stands for the whole meeting (no D101 on each item under it).
"""
from __future__ import annotations

from datetime import date

from toolkit import schema
from toolkit.model import Finding, Record, Text, finding

def continue_meetings(records: list[Record], *, file: str, sheet: str) -> list[Finding]:
    """Fill each continued row's date/name/attendees from the row above (in place)."""
    continued: list[Record] = []
    above: Record | None = None
    for r in records:
        own_date = r.raw("date") is not None or "date" in r.invalid
        if own_date:
            same = (above is not None and "date" not in r.invalid
                    and isinstance(r.values.get("date"), date)
                    and above.values.get("date") == r.values.get("date"))
            if same:                              # the date merged down, or written again
                _continue(r, above)
            if r.values.get("meeting") is None and "meeting" not in r.invalid:
                r.values["meeting"] = schema.DEFAULT_MEETING
            above = r
            continue
        if above is None:
            continue                              # no date above: D101 on this row
        if "date" in above.invalid or not isinstance(above.values.get("date"), date):
            if not isinstance(r.invalid, set):
                r.invalid = set(r.invalid)        # the reader shares one frozenset
            r.invalid.add("date")                 # the D102 above covers it
            continue
        r.values["date"] = above.values["date"]
        _continue(r, above)
        if r.values.get("meeting") is None:
            r.values["meeting"] = schema.DEFAULT_MEETING
        continued.append(r)
        above = r
    if not continued:
        return []
    first = continued[0]
    cell = first.cells.get("date")
    header = cell.header if cell is not None else schema.MEETINGS.column("date").header
    day = first.values["date"].isoformat()
    return [finding("D112", Text(
        f"「{header}」列有 {len(continued)} 个空格沿用了上一行的会议日期（同一次会议只写一次日期），"
        f"例如第 {first.row} 行 → {day}",
        f"{len(continued)} empty cell(s) in column '{header}' continue the meeting date above "
        f"(one date per meeting), e.g. row {first.row} → {day}"),
        record=first, key="date", kind="meetings", file=file, sheet=sheet, record_id=None)]


def _continue(record: Record, above: Record) -> None:
    """An empty 会议名称 / 参会人员 takes the value of the row above (the same meeting)."""
    for key in schema.MEETING_CONTINUED_KEYS:
        if record.values.get(key) in (None, (), frozenset()) and key not in record.invalid:
            record.values[key] = above.values.get(key)
