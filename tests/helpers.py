"""Small builders for logic tests: records as the reader would make them, and a check Context.

    r = make_record("requests", 5, id="SQ-1", received=date(2026, 11, 2))
    ctx = make_context(r, as_of=date(2026, 11, 23))
"""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

from toolkit import schema
from toolkit.domain.context import Context
from toolkit.model import Cell, Record, Workspace, column_letter
from toolkit.settings import Settings

FILES = {"requests": "诉求台账.xlsx", "elderly": "老年人台账.xlsx", "volunteers": "志愿者名册.xlsx",
         "visits": "巡访记录.xlsx", "meetings": "议事会记录.xlsx", "services": "服务记录.xlsx",
         "rooms": "活动室使用登记.xlsx"}
AS_OF = date(2026, 11, 23)   # the demo as-of date (a Monday)


def make_record(kind: str, row: int, *, invalid: dict[str, Any] | None = None,
                sheet: str = "2026年", **values: Any) -> Record:
    """A record of ``kind`` on Excel row ``row``; every column of the ledger gets a cell
    (canonical header, letter by column order). ``invalid`` maps keys to raw text that failed
    to parse: the key's value is None and the key is in ``record.invalid``."""
    ledger = schema.LEDGERS[kind]
    invalid = dict(invalid or {})
    unknown = (set(values) | set(invalid)) - set(ledger.keys)
    if unknown:
        raise KeyError(f"not a {kind} column: {sorted(unknown)}")
    cells = {}
    for index, column in enumerate(ledger.columns, start=1):
        raw = invalid.get(column.key, values.get(column.key))
        cells[column.key] = Cell(_letter(index), column.header, raw)
    full = {key: values.get(key) for key in ledger.keys}
    for key in invalid:
        full[key] = None
    return Record(kind=kind, file=FILES[kind], sheet=sheet, row=row, values=full, cells=cells,
                  invalid=set(invalid))


def make_context(*records: Record, as_of: date = AS_OF, settings: Settings | None = None,
                 root: str = ".") -> Context:
    """A Context over ``records`` (grouped by kind, order kept)."""
    grouped: dict[str, list[Record]] = {}
    for record in records:
        grouped.setdefault(record.kind, []).append(record)
    return Context(workspace=Workspace(root=root, records=grouped),
                   settings=settings or Settings(), as_of=as_of)


def _letter(index: int) -> str:
    """1 → A, 27 → AA."""
    return column_letter(index - 1)


SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "xinze"


def make_workspace(target: Path, as_of: date = AS_OF) -> Path:
    """samples/xinze copied (without its reports and state), else one small generated community."""
    if SAMPLE.is_dir():
        shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns(schema.REPORTS_DIR,
                                                                       schema.STATE_DIR))
        return target
    from toolkit.samples.generate import generate_town
    generate_town(target.parent / "town", communities=1, seed=5, as_of=as_of, elderly=30,
                  requests=30, volunteers=10, visits=200)
    [made] = [p for p in (target.parent / "town").iterdir() if p.is_dir()]
    made.rename(target)
    return target


def save_sheet(folder: Path, rows: list[list], name: str = "老年人台账.xlsx",
               title: str = "花名册") -> Path:
    """One workbook ``name`` in ``folder`` with one sheet of ``rows`` (None cells left empty),
    saved with openpyxl as a clerk's file; returns ``folder``."""
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                ws.cell(r, c, value)
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(folder / name)
    return folder
