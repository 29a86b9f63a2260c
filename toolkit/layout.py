"""How much room text needs on a printed sheet: display widths and wrapped row heights.

Neither XlsxWriter nor openpyxl fits a row's height to wrapped text, and LibreOffice (and
printing) keeps the height the file states: a row left at one line prints its wrapped text
over the rows below. So every output that wraps text sets the height itself, from this
estimate. Plain functions, no spreadsheet library: the writing layer (xlsxwriter) and
``annotate`` (openpyxl) both use them.

The model, in points:
- a column ``w`` characters wide is ``w * 7 + 5`` pixels (Excel's default font), minus the
  cell's padding;
- a CJK / full-width character (``unicodedata.east_asian_width`` W or F) is one em wide, any
  other character 0.6 em — LibreOffice prints 宋体 with Noto CJK and, for Latin letters and
  digits, DejaVu Sans, which is wider than SimSun's half-width glyphs (0.5 em);
- text wraps greedily: a CJK character may break anywhere, a run of Latin letters/digits only
  at a space (or, when longer than a line, anywhere);
- one line of 10 pt text takes 14.5 pt (Noto CJK's line spacing, the tallest of the fonts
  a clerk's machine may use).
"""
from __future__ import annotations

import math
import unicodedata
from functools import lru_cache
from datetime import date
from typing import Iterable

from toolkit.schema import AS_OF_LABEL, OWN_PAGE_LABEL, PAGE_NUMBER_LABEL, label

LINE_SPACING = 1.45       # line height / font size
MAX_LINES = 12            # taller rows are capped (~180 pt); the whole text stays in the cell
FONT_SIZE = 10.0
DEFAULT_HEIGHT = 15.0     # points: what a row without a stated height gets
PADDING = 4.0             # points of cell padding, left + right
NARROW_EM, WIDE_EM = 0.6, 1.0
CLOSING = frozenset("，。、；：！？）】」』》〉”’…—,.;:!?)]}%")
OPENING = frozenset("（【「『《〈“‘([{")


@lru_cache(maxsize=4096)
def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def display_width(text) -> int:
    """Width in Excel column units: 2 for a CJK/full-width character, 1 otherwise."""
    return sum(2 if is_wide(ch) else 1 for ch in str(text))


def column_points(width: float) -> float:
    """Usable text width, in points, of a column ``width`` characters wide."""
    return max((width * 7 + 5) * 0.75 - PADDING, 1.0)


def _words(paragraph: str) -> list[str]:
    """Break opportunities: spaces, each wide character, each run of other characters. A
    closing mark (，。）” …) stays with the character before it and an opening one (（“「 …)
    with the character after it: no line starts or ends with them (line-breaking rules every
    spreadsheet applies to Chinese text)."""
    words, run, glue = [], "", False
    for ch in paragraph:
        if ch.isspace():
            if run:
                words.append(run)
            words.append(ch)
            run, glue = "", False
        elif ch in CLOSING and (run or words):
            if run:
                run += ch
            elif words[-1].isspace():
                words.append(ch)
            else:
                words[-1] += ch
        elif is_wide(ch):
            if glue:
                run += ch
            else:
                if run:
                    words.append(run)
                run = ch
            glue = ch in OPENING
            if not glue:
                words.append(run)
                run = ""
        else:
            if run and is_wide(run[-1]) and not glue:
                words.append(run)
                run = ""
            run += ch
            glue = ch in OPENING
    if run:
        words.append(run)
    return words


def text_lines(text, width: float, font_size: float = FONT_SIZE) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` characters wide."""
    return _text_lines(str(text), width, font_size)


@lru_cache(maxsize=8192)
def _text_lines(text: str, width: float, font_size: float) -> int:
    """``text_lines``, remembered: a report repeats the same texts (a code's title and advice,
    a file's name) in the same columns on many rows."""
    room = column_points(width)
    widest = WIDE_EM * font_size
    narrow = NARROW_EM * font_size         # a character is ``widest`` or ``narrow``
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        if len(paragraph) * widest <= room:
            continue               # fits even if every character were wide: one line
        used = 0.0
        for word in _words(paragraph):
            size = sum(widest if is_wide(ch) else narrow for ch in word)
            if word.isspace():
                used += size           # a space at the end of a line costs nothing
                continue
            if used + size <= room or used == 0 and size <= room:
                used += size
                continue
            if used > 0:
                lines += 1
                used = 0.0
            for ch in word:            # a word longer than the line breaks anywhere
                step = widest if is_wide(ch) else narrow
                if used + step > room and used > 0:
                    lines += 1
                    used = 0.0
                used += step
    return max(lines, 1)


def lines_needed(cells: Iterable[tuple[object, float]], font_size: float = FONT_SIZE) -> int:
    """The most lines any ``(text, column width)`` of a row needs (1 for an empty row)."""
    return max([1] + [text_lines(text, width, font_size) for text, width in cells
                      if isinstance(text, str) and text])


def row_height(cells: Iterable[tuple[object, float]], *, font_size: float = FONT_SIZE,
               max_lines: int = MAX_LINES, min_height: float = 0.0) -> float:
    """Points that show every wrapped ``(text, width)`` of a row, at most ``max_lines`` lines,
    at least ``min_height``; rounded up to whole pixels (0.75 pt), as the files store it."""
    return lines_height(lines_needed(cells, font_size), font_size=font_size,
                        max_lines=max_lines, min_height=min_height)


def lines_height(lines: int, *, font_size: float = FONT_SIZE, max_lines: int = MAX_LINES,
                 min_height: float = 0.0) -> float:
    """``row_height`` of a row whose text needs ``lines`` lines."""
    lines = min(lines, max_lines)
    points = lines * font_size * LINE_SPACING + 3
    return max(min_height, math.ceil(points / 0.75 - 1e-9) * 0.75)   # whole pixels, as stored


MAX_FOOTER = 250          # Excel refuses header/footer text over 255 characters


def footer_parts(committee: str, as_of: date | None, lang: str = "zh", *,
                 own_pages: bool = False) -> tuple[str, str, str]:
    """The reports' page footer as (left, centre, right) in Excel's codes: 居委名称 and the
    sheet's name, ``第 &P 页 / 共 &N 页`` (``第 &P 页`` for a sheet with ``own_pages``), the
    as-of date. ``&`` in the name is doubled (a literal ampersand)."""
    right = f"{label(AS_OF_LABEL, lang)} {as_of.isoformat()}" if as_of else ""
    centre = label(OWN_PAGE_LABEL if own_pages else PAGE_NUMBER_LABEL, lang)
    room = MAX_FOOTER - len(centre) - len(right) - 12
    name = str(committee or "")[:max(room // 2, 0)].replace("&", "&&")
    left = f"{name} · &A" if name else "&A"          # &A: the sheet's name
    return left, centre, right


def page_footer(committee: str, as_of: date | None, lang: str = "zh", *,
                own_pages: bool = False) -> str:
    """The footer as one string (``&L…&C…&R…``), as XlsxWriter's ``set_footer`` takes it."""
    left, centre, right = footer_parts(committee, as_of, lang, own_pages=own_pages)
    return "".join(f"{code}{text}" for code, text in (("&L", left), ("&C", centre), ("&R", right))
                   if text)
