"""Every report reads well on paper (issue #21).

- the row-height estimate (toolkit/layout.py) on inline text;
- the sample's weekly outputs and an annotate copy, read back: wrapped rows have the height
  their text needs, every sheet is set up for paper (A4, one page wide, header row repeated,
  footer 居委名称 · 第 N 页 / 共 M 页 · 检查日期);
- the same files printed by LibreOffice (one ``soffice`` call): from ``pdftotext -bbox-layout``,
  no two text lines overlap on our sheets, and every column header of a printed table is on
  the page that holds its first column (whole rows across the page width).
"""
from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from toolkit import layout
from toolkit.cli import cli
from toolkit.read.annotate import SUMMARY_SHEET

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "xinze"
AS_OF = "2026-11-23"
COMMITTEE = "莘泽居民区"
REPORTS = ("周检查报告.xlsx", "跟进派单.xlsx", "镇报送表.xlsx")
ANNOTATED = ("诉求台账.xlsx", "老年人台账.xlsx")
XHTML = "{http://www.w3.org/1999/xhtml}"


# ---------------------------------------------------------------------------------------
# the estimate

def test_cjk_counts_double_and_latin_words_do_not_break():
    # a 20-wide column holds about 10 CJK characters, or about 17 Latin ones (LibreOffice
    # prints them in DejaVu Sans, wider than SimSun's half-width glyphs)
    assert layout.text_lines("居" * 9, 20) == 1
    assert layout.text_lines("居" * 12, 20) == 2
    assert layout.text_lines("a" * 16, 20) == 1
    assert layout.text_lines("居" * 40, 20) == 4
    assert layout.display_width("莘泽 A1") == 7
    # a Latin word moves to the next line whole; a too-long one breaks anywhere
    assert layout.text_lines("abcdefgh abcdefghij", 20) == 2
    assert layout.text_lines("abcdefgh 居", 20) == 1
    assert layout.text_lines("9" * 60, 20) >= 3
    # line breaks in the text count, empty paragraphs too
    assert layout.text_lines("第一行\n第二行\n\n第四行", 30) == 4


def test_row_height_fits_the_tallest_cell_and_is_capped():
    one = layout.row_height([("短", 10)])
    three = layout.row_height([("短", 10), ("居" * 25, 20)])
    assert three > 2.5 * one - 10
    capped = layout.row_height([("居" * 1000, 20)])
    assert capped == layout.row_height([("居" * 1000, 20)], max_lines=layout.MAX_LINES)
    assert capped < layout.row_height([("居" * 1000, 20)], max_lines=1000)
    assert layout.row_height([("", 10)], min_height=30) == 30
    # a 14 pt title needs a taller line than 10 pt text
    assert layout.row_height([("标题", 40)], font_size=14) > layout.row_height([("标题", 40)])


def test_page_footer_names_the_committee_and_the_date_and_escapes_ampersands():
    from datetime import date
    left, centre, right = layout.footer_parts("A&B 居委", date(2026, 11, 23))
    assert left == "A&&B 居委 · &A" and "&P" in centre and "&N" in centre
    assert right == "检查日期 2026-11-23"
    footer = layout.page_footer("居" * 400, date(2026, 11, 23), "en")
    assert len(footer) <= 255 and "page &P of &N" in footer and footer.endswith("as of 2026-11-23")


# ---------------------------------------------------------------------------------------
# the sample's outputs, read back

@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """The sample's weekly run and two annotate copies: {file name: path}."""
    tmp = tmp_path_factory.mktemp("print")
    ws = tmp / "xinze"
    shutil.copytree(SAMPLE, ws)
    runner = CliRunner()
    result = runner.invoke(cli, ["weekly", str(ws), "--as-of", AS_OF, "-q"])
    assert result.exit_code in (0, 1), result.output
    week = next((ws / "报表").glob("2026-W48"))
    files = {name: week / name for name in REPORTS}
    for name in ANNOTATED:
        target = tmp / "标注" / name
        result = runner.invoke(cli, ["annotate", str(ws / name), "-o", str(target),
                                     "--as-of", AS_OF, "-q"])
        assert result.exit_code == 0, result.output
        files[f"标注-{name}"] = target
    assert all(p.exists() for p in files.values())
    return files


def _our_sheets(name: str, book):
    """The sheets we set up for paper: all of a report; only 问题汇总 of an annotate copy."""
    return [book[SUMMARY_SHEET]] if name.startswith("标注-") else list(book.worksheets)


def test_every_output_sheet_is_set_up_for_paper(outputs):
    for name, path in outputs.items():
        book = openpyxl.load_workbook(path)
        for ws in _our_sheets(name, book):
            where = f"{name} / {ws.title}"
            assert ws.page_setup.paperSize in (9, "9"), where
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert ws.page_setup.fitToWidth in (1, "1", None), where     # None: Excel's default 1
            assert ws.page_setup.fitToHeight in (0, "0"), where
            footer = ws.oddFooter
            assert footer.left.text == f"{COMMITTEE} · &A", where       # &A: sheet name
            if name == "跟进派单.xlsx":     # handed out sheet by sheet: its own pages from 1
                assert footer.center.text == "第 &P 页", where
                assert ws.page_setup.firstPageNumber in (None, 1, "1"), where   # 1 by default
                assert ws.page_setup.useFirstPageNumber, where
            else:
                assert "&P" in footer.center.text and "&N" in footer.center.text, where
            assert footer.right.text == f"检查日期 {AS_OF}", where
        if name.startswith("标注-"):
            summary = book[SUMMARY_SHEET]
            assert summary.page_setup.orientation == "landscape"
            assert summary.print_title_rows == "$1:$1"
            assert summary.print_options.gridLines
            # the clerk's own sheets keep their own set-up: no footer of ours
            others = [ws for ws in book.worksheets if ws.title != SUMMARY_SHEET]
            assert others and all(ws.oddFooter.right.text != f"检查日期 {AS_OF}" for ws in others)


def test_wrapped_rows_are_as_tall_as_their_text(outputs):
    """Every wrapped cell's row is at least as tall as the estimate (capped) says."""
    checked = 0
    for name, path in outputs.items():
        book = openpyxl.load_workbook(path)
        for ws in _our_sheets(name, book):
            merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
            widths = {}
            for row in ws.iter_rows():
                for cell in row:
                    if not (isinstance(cell.value, str) and cell.alignment.wrap_text):
                        continue
                    span = merged.get((cell.row, cell.column))
                    cols = range(span.min_col, span.max_col + 1) if span else (cell.column,)
                    width = sum(widths.setdefault(c, _width(ws, c)) for c in cols)
                    need = layout.row_height([(cell.value, width)],
                                             font_size=cell.font.sz or layout.FONT_SIZE)
                    if layout.text_lines(cell.value, width, cell.font.sz or 10) > 1:
                        height = ws.row_dimensions[cell.row].height
                        assert height is not None and height >= need - 0.05, \
                            f"{name} / {ws.title} / {cell.coordinate}: {height} < {need}"
                        checked += 1
    assert checked > 100             # the sample's reports wrap text in many rows


def _width(ws, col: int) -> float:
    """A column's width as the writer set it (xlsxwriter adds ~0.71 of padding)."""
    from openpyxl.utils import get_column_letter
    letter = get_column_letter(col)
    for dim in ws.column_dimensions.values():
        if dim.min and dim.max and dim.min <= col <= dim.max and dim.width:
            return round(dim.width - (0.7109375 if dim.width % 1 else 0), 2)
    dim = ws.column_dimensions.get(letter)
    return dim.width if dim is not None and dim.width else 8.43


# ---------------------------------------------------------------------------------------
# printed by LibreOffice

def _pdf_pages(pdf: Path) -> list[list[tuple[tuple[float, float, float, float], str]]]:
    """Per page: each word's box (xMin, yMin, xMax, yMax) and text, in pdftotext's order."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                         capture_output=True, timeout=120).stdout
    pages = []
    for page in ET.fromstring(out).iter(f"{XHTML}page"):
        pages.append([(tuple(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")),
                       w.text or "") for w in page.iter(f"{XHTML}word")])
    return pages


def _overlaps(words) -> list[tuple[str, str]]:
    """Pairs of words printed over each other: their boxes cross by more than 1 pt across and
    by more than a quarter of the smaller one's height down. (The boxes of two lines of one
    wrapped cell touch by up to ~15 %: the font's box is taller than its line; text pushed out
    of a too-short row lands 30 % or more over the next row's.)"""
    found = []
    boxes = sorted(words, key=lambda w: w[0][1])
    for i, ((a0, a1, a2, a3), ta) in enumerate(boxes):
        for (b0, b1, b2, b3), tb in boxes[i + 1:]:
            if b1 >= a3:
                break
            dy = min(a3, b3) - max(a1, b1)
            if min(a2, b2) - max(a0, b0) > 1 and dy > 0.25 * min(a3 - a1, b3 - b1):
                found.append((ta, tb))
    return found


def _squash(text: str) -> str:
    return "".join(str(text).split())


def _tables(name: str, path: Path) -> list[tuple[str, list[str]]]:
    """(sheet, headers) of each printed table: a sheet whose repeated rows end in a header
    row of three or more cells."""
    book = openpyxl.load_workbook(path)
    tables = []
    for ws in _our_sheets(name, book):
        rows = ws.print_title_rows
        if not rows:
            continue
        last = int(rows.split(":")[-1].strip("$"))
        heads = [_squash(c.value) for c in ws[last] if isinstance(c.value, str) and c.value.strip()]
        if len(heads) >= 3:
            tables.append((ws.title, heads))
    return tables


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext (poppler-utils) not installed")
def test_outputs_print_without_overlapping_text_and_with_whole_rows(outputs, tmp_path):
    copies = {}
    for i, (name, path) in enumerate(outputs.items()):
        copies[name] = tmp_path / f"f{i}.xlsx"          # ASCII names for soffice
        shutil.copy(path, copies[name])
    outdir = tmp_path / "pdf"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(outdir), *map(str, copies.values())],
                   check=True, capture_output=True, timeout=300)
    marker = _squash(f"检查日期 {AS_OF}")
    for name, copy in copies.items():
        pages = _pdf_pages(outdir / f"{copy.stem}.pdf")
        texts = ["".join(_squash(t) for _, t in words) for words in pages]
        # our pages carry our footer; an annotate copy's other pages are the clerk's own
        ours = [n for n, text in enumerate(texts) if marker in text]
        assert ours, f"{name}: no page with the footer {marker}"
        if not name.startswith("标注-"):
            assert len(ours) == len(pages), f"{name}: pages without the footer"
        for n in ours:
            overlaps = _overlaps(pages[n])
            assert not overlaps, f"{name} page {n + 1}: text printed over text: {overlaps[:5]}"
            assert len(texts[n]) > len(marker) + 20, f"{name} page {n + 1} is (nearly) empty"
        for sheet, heads in _tables(name, outputs[name]):
            # the footer names the sheet: its pages are those with "居委名称 · 表名"
            label = _squash(f"{COMMITTEE} · {sheet}")
            mine = [n for n in ours if label in texts[n]]
            assert mine, f"{name} / {sheet}: no page names the sheet in its footer"
            for n in mine:
                missing = [h for h in heads if h not in texts[n]]
                assert not missing, (f"{name} / {sheet}: page {n + 1} lacks the columns "
                                     f"{missing} (not one page wide, or header not repeated)")
