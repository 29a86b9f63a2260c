"""``annotate``: a COPY of a staff workbook with each problem cell filled (red error, amber
warning, blue info) and commented with the message and the fix, and a ``问题汇总`` sheet in
front. The original is never written.

This module lives in the reading layer because it is the one place (besides reading) that
must load a staff workbook with openpyxl to keep its content; it only ever saves to a new
path, atomically. openpyxl cannot keep charts, images, pivot tables or form controls: when
the original holds any, the caller is told what the copy lost.
"""
from __future__ import annotations

import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from toolkit import schema
from toolkit.errors import UsageError
from toolkit.model import Finding
from toolkit.schema import label

SUMMARY_SHEET = "问题汇总"
FILLS = {"error": "F8CBAD", "warning": "FFE699", "info": "DDEBF7"}
# zip parts openpyxl drops on save, and what a clerk calls them
LOSSY_PARTS = (("xl/charts/", ("图表", "charts")), ("xl/media/", ("图片", "images")),
               ("xl/pivotTables/", ("数据透视表", "pivot tables")),
               ("xl/ctrlProps/", ("表单控件", "form controls")),
               ("xl/drawings/vmlDrawing", ("原有批注的格式", "old comment shapes")))
SUMMARY_HEADERS = (("严重程度", "severity"), ("代码", "code"), ("工作表", "sheet"), ("行", "row"),
                   ("列", "column"), ("表头", "header"), ("编号", "record"), ("原值", "value"),
                   ("问题", "problem"), ("怎么改", "fix"))


@dataclass
class AnnotateResult:
    path: Path
    annotated_cells: int
    findings: int
    lost: list[tuple[str, str]] = field(default_factory=list)   # (zh, en) of what the copy lost


def lost_content(path: Path) -> list[tuple[str, str]]:
    """What in ``path`` openpyxl would not keep."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return []
    return [what for prefix, what in LOSSY_PARTS if any(n.startswith(prefix) for n in names)]


def _writable(sheet, ref: str):
    """The cell at ``ref``, or the top-left cell of the merged range that covers it."""
    cell = sheet[ref]
    if type(cell).__name__ == "MergedCell":
        for merged in sheet.merged_cells.ranges:
            if cell.coordinate in merged:
                return sheet.cell(merged.min_row, merged.min_col)
    return cell


def annotate(source: Path, target: Path, findings: list[Finding], *, rel: str,
             lang: str = "zh") -> AnnotateResult:
    """Write the annotated copy of ``source`` to ``target``. ``findings`` are the whole run's;
    those whose ``file`` equals ``rel`` are marked."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    from toolkit.files import atomic_path

    source, target = Path(source), Path(target)
    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError(f"只能给 .xlsx/.xlsm 文件加批注：{source.name}。请先用 Excel/WPS 另存为 .xlsx。",
                         f"only .xlsx/.xlsm can be annotated: {source.name}. Save it as .xlsx first.")
    if target.resolve() == source.resolve():
        raise UsageError("副本不能覆盖原台账，请用 -o 指定另一个文件名。",
                         "the copy must not replace the ledger; give another name with -o.")
    mine = [f for f in findings if f.file == rel]
    try:
        book = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm",
                                      rich_text=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        raise UsageError(f"无法打开 {source.name}：{exc}。请先运行 shequ check 查看原因。",
                         f"cannot open {source.name}: {exc}") from exc

    notes: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in mine:
        if f.sheet in book.sheetnames and f.row:
            notes[(f.sheet, f"{f.column or 'A'}{f.row}")].append(f)
    for (sheet, ref), items in sorted(notes.items()):
        cell = _writable(book[sheet], ref)
        worst = min(items, key=lambda f: ("error", "warning", "info").index(f.severity))
        cell.fill = PatternFill("solid", fgColor=FILLS[worst.severity])
        text = "\n".join(f"[{f.code} {label(schema.SEVERITY_LABELS[f.severity], lang)}] "
                         f"{f.message.get(lang)}\n→ {f.fix.get(lang)}" for f in items)
        cell.comment = Comment(text[:30000], "shequ", width=320, height=160)

    summary = book.create_sheet(SUMMARY_SHEET, 0)
    for col, pair in enumerate(SUMMARY_HEADERS, start=1):
        summary.cell(1, col, label(pair, lang)).font = Font(bold=True)
    for r, f in enumerate(sorted(mine, key=lambda f: f.sort_key), start=2):
        values = (label(schema.SEVERITY_LABELS[f.severity], lang), f.code, f.sheet, f.row, f.column,
                  f.header, f.record, f.value, f.message.get(lang), f.fix.get(lang))
        for col, value in enumerate(values, start=1):
            cell = summary.cell(r, col)
            if value is None:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = value
            else:
                cell.value = str(value)
                cell.data_type = "s"          # never a formula, whatever the text says
        summary.cell(r, 1).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        if f.sheet in book.sheetnames and f.row:
            link = summary.cell(r, 4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{f.sheet}'!{f.column or 'A'}{f.row}")
    summary.freeze_panes = "A2"
    summary.auto_filter.ref = f"A1:J{max(len(mine) + 1, 1)}"
    for letter, width in zip("ABCDEFGHIJ", (8, 7, 14, 6, 5, 14, 12, 16, 60, 40)):
        summary.column_dimensions[letter].width = width
    book.active = 0

    with atomic_path(target, suffix=target.suffix) as tmp:
        book.save(tmp)
    return AnnotateResult(path=target, annotated_cells=len(notes), findings=len(mine),
                          lost=lost_content(source))
