"""Read back a community's 镇报送表.xlsx (its machine-readable ``指标`` sheet) for ``shequ merge``.

    report = read_town_report(Path("松和居委/镇报送表.xlsx"))
    report.community, report.period, report.indicators[0].code

A file that is not a town report, or cannot be opened, raises ``ReportReadError`` naming the
file (the user passed it explicitly, so this is a usage problem, not a data finding).
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import schema
from toolkit.errors import ToolkitError

__all__ = ["TownReport", "ReportedIndicator", "ReportReadError", "read_town_report", "content_digest"]


class ReportReadError(ToolkitError):
    """A town report could not be read."""


@dataclass(frozen=True)
class ReportedIndicator:
    code: str
    group: str
    name: str
    value: float | int | None
    numerator: float | int | None
    denominator: float | int | None


@dataclass
class TownReport:
    community: str
    period: str
    indicators: list[ReportedIndicator] = field(default_factory=list)
    path: Path | None = None
    cutoff: str = ""                  # 统计截止日 (ISO); "" for a report made before it existed

    def get(self, code: str, group: str = "") -> ReportedIndicator | None:
        for ind in self.indicators:
            if ind.code == code and ind.group == group:
                return ind
        return None


def _error(path: Path, zh: str, en: str) -> ReportReadError:
    return ReportReadError(f"无法读取报送表 {path}：{zh}", f"cannot read town report {path}: {en}")


def read_town_report(path: Path) -> TownReport:
    """The community, period and indicators of one 镇报送表.xlsx (its 指标 sheet read with
    python-calamine; openpyxl, with its clear messages, when that fails)."""
    path = Path(path)
    if not path.is_file():
        raise _error(path, "文件不存在。", "the file does not exist.")
    rows = _fast_rows(path)
    if rows is not None:
        return _parse(path, rows)
    import openpyxl
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise _error(path, f"不是有效的 Excel 文件（{type(exc).__name__}）。请使用 shequ 生成的镇报送表。",
                     f"not a valid Excel file ({type(exc).__name__}); use a report made by shequ.") \
            from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure is the same user problem
        raise _error(path, f"文件已损坏（{type(exc).__name__}）。", f"the file is damaged ({exc}).") from exc
    try:
        if schema.INDICATOR_SHEET not in workbook.sheetnames:
            raise _error(path, f"没有“{schema.INDICATOR_SHEET}”工作表，不是 shequ 生成的镇报送表。",
                         f"no '{schema.INDICATOR_SHEET}' sheet; not a town report made by shequ.")
        rows = list(workbook[schema.INDICATOR_SHEET].iter_rows(values_only=True))
    finally:
        workbook.close()
    return _parse(path, rows)


def content_digest(path: Path) -> str:
    """A digest of what a workbook says — every sheet's name and cell values — not of its
    bytes: Excel recalculates a file written by xlsxwriter on opening and asks to save it,
    and a clerk who says yes without typing anything has changed the bytes but not the
    report. Other files (run.json), or a workbook calamine cannot read: the bytes' sha256."""
    import hashlib
    digest = hashlib.sha256()
    try:
        if path.suffix.lower() != ".xlsx":
            raise ValueError(path.suffix)
        from python_calamine import CalamineWorkbook
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            digest.update(repr(name).encode("utf-8"))
            rows = [[v for v in row] for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
            for row in rows:
                while row and row[-1] in ("", None):
                    row.pop()
            while rows and not rows[-1]:
                rows.pop()
            for row in rows:
                digest.update(repr(row).encode("utf-8") + b"\n")
        return "cells:" + digest.hexdigest()
    except Exception:  # noqa: BLE001 - unreadable as a workbook: compare the bytes
        return "bytes:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _fast_rows(path: Path) -> list[tuple] | None:
    """The 指标 sheet's rows by python-calamine (a 镇报送表 is read ~10× faster than with
    openpyxl); None when calamine cannot read it or there is no such sheet."""
    try:
        from python_calamine import CalamineWorkbook
        book = CalamineWorkbook.from_path(str(path))
        if schema.INDICATOR_SHEET not in book.sheet_names:
            return None
        rows = book.get_sheet_by_name(schema.INDICATOR_SHEET).to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 - openpyxl reads it again and explains the problem
        return None
    return [tuple(None if v == "" else v for v in row) for row in rows]


def _parse(path: Path, rows: list[tuple]) -> TownReport:
    if not rows:
        raise _error(path, f"“{schema.INDICATOR_SHEET}”工作表是空的。", "the indicator sheet is empty.")
    key_of = {h: k for k, h in schema.INDICATOR_HEADERS.items()}
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    header = [key_of.get(h, h) for h in header]         # 代码 → code; old English headers kept
    missing = [c for c in schema.INDICATOR_COLUMNS if c not in header]
    if missing:
        raise _error(path, f"“{schema.INDICATOR_SHEET}”工作表缺少列："
                           f"{'、'.join(schema.INDICATOR_HEADERS[c] for c in missing)}。",
                     f"the indicator sheet lacks columns: {', '.join(missing)}.")
    col = {name: header.index(name) for name in schema.INDICATOR_COLUMNS}
    indicators, periods, communities = [], {}, {}     # period / name → the first row holding it
    first_row: dict[tuple[str, str], int] = {}     # (code, group) → its row: a copy is refused
    cutoff = ""
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i] if i < len(row) else None) for name, i in col.items()}
        code = _text(cells["code"])
        if not code:
            continue
        if code == schema.CUTOFF_CODE:         # a text row: the 统计截止日
            value = cells["value"]
            cutoff = value.date().isoformat() if hasattr(value, "date") else _text(value)[:10]
            continue
        group = _text(cells["group"])
        if (code, group) in first_row:
            first = first_row[code, group]
            raise _error(path, f"“{schema.INDICATOR_SHEET}”工作表第{number}行重复了第{first}行"
                               f"（代码 {code}，分组 {group or '（空）'}），会被重复计入。"
                               f"请删除第{number}行，或请该居委重新生成报送表。",
                         f"row {number} of the '{schema.INDICATOR_SHEET}' sheet repeats row "
                         f"{first} (code {code}, group {group or '(empty)'}) and would be counted "
                         f"twice; delete row {number}, or have the community make the report "
                         "again.")
        first_row[code, group] = number
        try:
            indicators.append(ReportedIndicator(
                code=code, group=group, name=_text(cells["name"]),
                value=_number(cells["value"]), numerator=_number(cells["numerator"]),
                denominator=_number(cells["denominator"])))
        except ValueError as exc:
            raise _error(path, f"“{schema.INDICATOR_SHEET}”第{number}行的数值无法识别（{exc}）。",
                         f"row {number} of the indicator sheet has a value that is not a number "
                         f"({exc}).") from exc
        periods.setdefault(_text(cells["period"]), number)
        communities.setdefault(_text(cells["community"]), number)
    if not indicators:
        raise _error(path, "报送表里没有任何指标。", "the report holds no indicators.")
    if len(periods) > 1:
        raise _mixed(path, periods, "的统计周期不一致", "mixed periods",
                     "请每行填同一统计周期，或请该居委重新生成报送表。",
                     "give every row one period, or have the community make the report again.")
    if len(communities) > 1:
        raise _mixed(path, communities, "里有多个居委名称", "several community names",
                     f"一份报送表只能是一个居委的：请把“{schema.INDICATOR_HEADERS['community']}”列"
                     "改成同一个名称，或请该居委重新生成报送表。",
                     "a report is one community's: give every row of the "
                     f"{schema.INDICATOR_HEADERS['community']} column one name, or have the "
                     "community make the report again.")
    return TownReport(community=next(iter(communities)), period=next(iter(periods)),
                      indicators=indicators, path=path, cutoff=cutoff)


def _mixed(path: Path, first_rows: dict[str, int], zh: str, en: str, fix_zh: str,
           fix_en: str) -> ReportReadError:
    """One report, several values where it holds one (统计周期, 居委名称): each named (an empty
    one as （空）), with the first row and the first row that differs."""
    (first, row), (other, changed) = list(first_rows.items())[:2]      # in row order

    def zh_value(v: str) -> str:
        return f"“{v}”" if v else "（空）"

    def en_value(v: str) -> str:
        return f"'{v}'" if v else "(empty)"
    sheet = schema.INDICATOR_SHEET
    return _error(path, f"“{sheet}”工作表{zh}：{'、'.join(map(zh_value, first_rows))}"
                        f"（第{row}行是{zh_value(first)}，第{changed}行是{zh_value(other)}）。{fix_zh}",
                  f"the '{sheet}' sheet has {en}: {', '.join(map(en_value, first_rows))} (row "
                  f"{row}: {en_value(first)}, row {changed}: {en_value(other)}); {fix_en}")


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)                   # calamine reads a typed 12345 as 12345.0
    return "" if value is None else str(value).strip()


def _number(value) -> float | int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(repr(value))
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else float(value)
    text = str(value).strip()
    number = float(text)                      # ValueError for text
    return int(number) if number.is_integer() else number
