"""``annotate``: a COPY of a staff workbook with each problem cell filled (red error, amber
warning, blue info) and commented with the message and the fix, and a ``问题汇总`` sheet in
front. The original is never written.

This module lives in the reading layer because it is the one place (besides reading) that
must load a staff workbook with openpyxl to keep its content; it only ever saves to a new
path, atomically. openpyxl cannot keep charts, images, pivot tables or form controls: when
the original holds any, the caller is told what the copy lost.
"""
from __future__ import annotations

import re
import warnings
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from toolkit import layout, schema
from toolkit.errors import UsageError
from toolkit.model import Finding
from toolkit.schema import label
from toolkit.text import long_digits

SUMMARY_SHEET = "问题汇总"
FILLS = {"error": "F8CBAD", "warning": "FFE699", "info": "DDEBF7"}
SEVERITIES = ("error", "warning", "info")          # worst first
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _pin_save_time(path: Path, as_of: date | None) -> None:
    """openpyxl stamps the save time into docProps/core.xml and every zip entry; pin both (the
    as-of day, and 1980-01-01 for the entries) so the same inputs give the same bytes."""
    stamp = (as_of.isoformat() if as_of else "1980-01-01") + "T00:00:00Z"
    with zipfile.ZipFile(path) as zin:
        parts = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in parts:
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            pinned = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            zout.writestr(pinned, data)


# zip parts openpyxl drops on save, and what a clerk calls them
LOSSY_PARTS = (("xl/charts/", ("图表", "charts")), ("xl/media/", ("图片", "images")),
               ("xl/pivotTables/", ("数据透视表", "pivot tables")),
               ("xl/ctrlProps/", ("表单控件", "form controls")),
               ("xl/drawings/vmlDrawing", ("原有批注的格式", "old comment shapes")))
# what openpyxl says, while loading, it drops (its warnings), and what a clerk calls it
LOSSY_WARNINGS = (
    ("Data Validation extension",
     ("引用其他工作表的下拉列表（数据验证）", "drop-down lists that refer to another sheet")),
    ("Conditional Formatting extension", ("部分条件格式", "part of the conditional formatting")),
    ("Failed to load a conditional formatting rule",
     ("部分条件格式", "part of the conditional formatting")),
    ("Sparkline Group extension", ("迷你图", "sparklines")),
    ("Slicer List extension", ("切片器", "slicers")),
    ("Timeline Ref extension", ("日程表", "timelines")),
    ("DrawingML support is incomplete", ("形状和文本框", "shapes and text boxes")),
    ("is part of a merged range but has a comment",
     ("合并单元格上的批注", "comments on merged cells")),
    ("is marked as a date but the serial value",
     ("超出日期范围的日期（副本中显示为 #VALUE!）", "dates out of range (shown as #VALUE! in the copy)")),
    ("extension is not supported", ("部分 Excel 扩展设置", "some Excel extension settings")),
)
SUMMARY_HEADERS = (("严重程度", "severity"), ("代码", "code"), ("工作表", "sheet"), ("行", "row"),
                   ("列", "column"), ("表头", "header"), ("编号", "record"), ("原值", "value"),
                   ("问题", "problem"), ("怎么改", "fix"))
SUMMARY_WIDTHS = (10, 7, 12, 6, 7, 12, 12, 14, 48, 36)
OWN_COMMENT = ("原批注", "original comment")   # the clerk's comment, kept under ours
COMMENT_LIMIT = 30000                           # under Excel's 32,767 characters
SUMMARY_FONT_SIZE = 11                          # when the workbook's own font has no size
WRAP_COLUMNS = frozenset({3, 6, 8, 9, 10})     # 1-based: 工作表, 表头, 原值, 问题, 怎么改


@dataclass
class AnnotateResult:
    path: Path
    annotated_cells: int
    findings: int
    lost: list[tuple[str, str]] = field(default_factory=list)   # (zh, en) of what the copy lost


def lost_content(path: Path, said: list[str] = ()) -> list[tuple[str, str]]:
    """What in ``path`` openpyxl would not keep: its zip parts, and ``said`` — the warnings
    openpyxl gave while loading it (each names something it dropped), once each."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (OSError, zipfile.BadZipFile):
        names = []
    lost = [what for prefix, what in LOSSY_PARTS if any(n.startswith(prefix) for n in names)]
    for message in said:
        what = next((what for key, what in LOSSY_WARNINGS if key in message), None)
        if what is not None and what not in lost:
            lost.append(what)
    return lost


def _location(sheet: str, ref: str) -> str:
    """A link's target: the sheet name quoted as a formula quotes it (an apostrophe in the
    name doubled — ``'11月 王''s'!B13``), else the link opens nothing."""
    return "'" + sheet.replace("'", "''") + "'!" + ref


def _own_comment(comment, lang: str) -> str:
    """The clerk's comment on a cell we mark, kept under our text: 原批注（author） and its text."""
    who = (comment.author or "").strip()
    return f"\n—— {label(OWN_COMMENT, lang)}{f'（{who}）' if who else ''} ——\n{comment.text}"


def _above_conditional_formats(sheet, cells: dict[str, list[str]]) -> None:
    """A conditional format's fill shows over a cell's own fill: on a sheet with any (banded
    rows, a colour for 办理中 …) the marks in its range were hidden. Each severity's marked
    cells get a rule of their own, always true, ahead of the clerk's rules (theirs keep their
    order); a sheet without conditional formats is left as it was."""
    from openpyxl.formatting.formatting import ConditionalFormatting, ConditionalFormattingList
    from openpyxl.formatting.rule import Rule
    from openpyxl.styles import PatternFill
    from openpyxl.styles.differential import DifferentialStyle

    theirs = [(block.sqref, rule) for block in sheet.conditional_formatting for rule in block.rules]
    if not theirs:
        return
    ours = sorted(cells.items(), key=lambda item: SEVERITIES.index(item[0]))
    formats = sheet.conditional_formatting = ConditionalFormattingList()
    for priority, (severity, refs) in enumerate(ours, start=1):    # first, in the file too
        colour = "FF" + FILLS[severity]                                # (LibreOffice takes the first)
        fill = PatternFill("solid", fgColor=colour, bgColor=colour)
        formats.add(" ".join(refs), Rule(type="expression", formula=["TRUE"], priority=priority,
                                         dxf=DifferentialStyle(fill=fill)))
    for sqref, rule in theirs:
        rule.priority = (rule.priority or 0) + len(ours)
        formats.add(ConditionalFormatting(sqref), rule)


def _ref(sheet, f: Finding) -> str:
    """The cell a finding is marked on: its own; for a finding about a whole record (no
    column), the row's first filled cell in a visible column — column A may be empty (a table
    that starts in column C) or hidden, and a mark there is seen by no one."""
    if f.column:
        return f"{f.column}{f.row}"
    from openpyxl.utils import get_column_letter
    hidden = {i for dim in sheet.column_dimensions.values() if dim.hidden
              for i in range(dim.min or 0, (dim.max or dim.min or 0) + 1)}
    filled = sorted(col for (row, col), cell in sheet._cells.items()     # reading, not adding
                    if row == f.row and col not in hidden and cell.value not in (None, ""))
    if filled:
        return f"{get_column_letter(filled[0])}{f.row}"
    return f"A{f.row}"


def _writable(sheet, ref: str):
    """The cell at ``ref``, or the top-left cell of the merged range that covers it."""
    cell = sheet[ref]
    if type(cell).__name__ == "MergedCell":
        for merged in sheet.merged_cells.ranges:
            if cell.coordinate in merged:
                return sheet.cell(merged.min_row, merged.min_col)
    return cell


def _fit(sheet, row: int, values, font_size: float) -> None:
    """The row's height from its wrapped text (openpyxl, like Excel's file format, keeps the
    stated height: a one-line row would print its wrapped text over the rows below)."""
    cells = [(str(v), w) for v, w in zip(values, SUMMARY_WIDTHS) if v is not None]
    if layout.lines_needed(cells, font_size) > 1:
        sheet.row_dimensions[row].height = layout.row_height(cells, font_size=font_size)


def _print_setup(sheet, committee: str, as_of: date | None, lang: str) -> None:
    """The added sheet prints like our reports: A4 landscape, one page wide, the header row on
    every page, gridlines, footer 居委名称 · 第 N 页 / 共 M 页 · 检查日期. The clerk's own sheets
    keep their print settings."""
    sheet.page_setup.paperSize = 9
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.print_title_rows = "1:1"
    left, centre, right = layout.footer_parts(committee, as_of, lang)
    sheet.oddFooter.left.text = left or None
    sheet.oddFooter.center.text = centre
    sheet.oddFooter.right.text = right or None


def annotate(source: Path, target: Path, findings: list[Finding], *, rel: str,
             lang: str = "zh", committee: str = "", as_of: date | None = None) -> AnnotateResult:
    """Write the annotated copy of ``source`` to ``target``. ``findings`` are the whole run's;
    those whose ``file`` equals ``rel`` are marked. ``committee`` and ``as_of`` go into the
    summary sheet's page footer."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
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
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            book = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm",
                                          rich_text=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        raise UsageError(f"无法打开 {source.name}：{exc}。请先运行 shequ check 查看原因。",
                         f"cannot open {source.name}: {exc}") from exc

    notes: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in mine:
        if f.sheet in book.sheetnames and f.row:
            notes[(f.sheet, _ref(book[f.sheet], f))].append(f)
    marked: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for (sheet, ref), items in sorted(notes.items()):
        cell = _writable(book[sheet], ref)
        worst = min(items, key=lambda f: SEVERITIES.index(f.severity))
        cell.fill = PatternFill("solid", fgColor=FILLS[worst.severity])
        marked[sheet][worst.severity].append(cell.coordinate)
        text = "\n".join(f"[{f.code} {label(schema.SEVERITY_LABELS[f.severity], lang)}] "
                         f"{f.message.get(lang)}\n→ {f.fix.get(lang)}" for f in items)
        if cell.comment is not None and cell.comment.text:     # the clerk's own note stays
            text += _own_comment(cell.comment, lang)
        cell.comment = Comment(text[:COMMENT_LIMIT], "shequ", width=320, height=160)

    for sheet, cells in marked.items():
        _above_conditional_formats(book[sheet], cells)

    summary = book.create_sheet(SUMMARY_SHEET, 0)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    heads = [label(pair, lang) for pair in SUMMARY_HEADERS]
    own = summary.cell(1, 1).font                                   # the workbook's own font
    size = float(own.sz or SUMMARY_FONT_SIZE)
    bold = Font(name=own.name, sz=own.sz, family=own.family, scheme=own.scheme, bold=True)
    for col, text in enumerate(heads, start=1):
        head = summary.cell(1, col, text)
        head.font = bold
        head.border = border
        head.alignment = Alignment(wrap_text=True, vertical="center")
    _fit(summary, 1, heads, size)
    for r, f in enumerate(sorted(mine, key=lambda f: f.sort_key), start=2):
        values = (label(schema.SEVERITY_LABELS[f.severity], lang), f.code, f.sheet, f.row, f.column,
                  f.header, f.record, f.value, f.message.get(lang), f.fix.get(lang))
        for col, value in enumerate(values, start=1):
            cell = summary.cell(r, col)
            cell.border = border
            cell.alignment = wrap if col in WRAP_COLUMNS else Alignment(vertical="top")
            if value is None:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and long_digits(value) is None:
                cell.value = value
            else:                             # an ID typed as a number: its digits
                cell.value = long_digits(value) or str(value)
                cell.data_type = "s"          # never a formula, whatever the text says
        _fit(summary, r, [v if i in WRAP_COLUMNS else None for i, v in enumerate(values, start=1)],
             size)
        summary.cell(r, 1).fill = PatternFill("solid", fgColor=FILLS[f.severity])
        if f.sheet in book.sheetnames and f.row:
            link = summary.cell(r, 4)
            link.hyperlink = Hyperlink(ref=link.coordinate,
                                       location=_location(f.sheet, _ref(book[f.sheet], f)))
    summary.freeze_panes = "A2"
    summary.auto_filter.ref = f"A1:J{max(len(mine) + 1, 1)}"
    for letter, width in zip("ABCDEFGHIJ", SUMMARY_WIDTHS):
        summary.column_dimensions[letter].width = width
    _print_setup(summary, committee, as_of, lang)
    book.active = 0
    book.properties.keywords = schema.OUTPUT_MARKER     # never read back as a ledger

    with atomic_path(target, suffix=target.suffix) as tmp:
        book.save(tmp)
        _pin_save_time(Path(tmp), as_of)
    return AnnotateResult(path=target, annotated_cells=len(notes), findings=len(mine),
                          lost=lost_content(source, [str(w.message) for w in said]))
