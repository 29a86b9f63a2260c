"""The reading layer's fast paths give exactly what the plain code they replace gave."""
from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from toolkit.model import Cell, Record, RowCells
from toolkit.read.normalise import _FOLD, _fold
from toolkit.read.sheets import CellError, _tag_hint

WHERE = {"id": (0, "A", "编号"), "name": (2, "C", "姓名"), "date": (3, "D", "日期")}


def test_row_cells_is_a_read_only_mapping_equal_to_the_plain_dict():
    row = ["LR-1", "x", "", date(2026, 11, 2)]
    cells = RowCells(WHERE, row)
    plain = {"id": Cell("A", "编号", "LR-1"), "name": Cell("C", "姓名", None),
             "date": Cell("D", "日期", date(2026, 11, 2))}
    assert cells == plain and plain == cells and dict(cells) == plain
    assert list(cells) == ["id", "name", "date"] and len(cells) == 3
    assert "id" in cells and "phone" not in cells
    assert cells["id"].column == "A" and cells.get("phone") is None and cells.get("phone", 1) == 1
    assert cells.raw("name") is None and cells.raw("phone", "-") == "-"
    assert "LR-1" in repr(cells)


def test_row_cells_raw_rules_match_the_reader():
    row = [CellError("#N/A"), None, "  ", 60.0]
    cells = RowCells({"a": (0, "A", "甲"), "b": (1, "B", "乙"), "c": (2, "C", "丙"),
                      "d": (3, "D", "丁")}, row, {"d": "1900-02-29"})
    assert type(cells["a"].raw) is str and cells["a"].raw == "#N/A"     # error shown as text
    assert cells["b"].raw is None and cells["c"].raw == "  "           # only '' and None empty
    assert cells["d"].raw == "1900-02-29"                              # override wins


def test_record_raw_reads_both_kinds_of_cells():
    lazy = Record("elderly", "a.xlsx", "S", 2, {"id": "LR-1"}, RowCells(WHERE, ["LR-1", 0, "", ""]))
    plain = Record("elderly", "a.xlsx", "S", 2, {"id": "LR-1"}, dict(lazy.cells))
    assert lazy.raw("id") == plain.raw("id") == "LR-1"
    assert lazy.raw("phone") is None and plain.raw("phone") is None
    assert lazy == plain


@given(st.binary(max_size=120) | st.text(alphabet="<:fx a", max_size=120).map(str.encode))
def test_formula_tag_hint_is_the_two_byte_search(chunk):
    assert _tag_hint(chunk) == (b"<f" in chunk or b":f" in chunk)


@given(st.text(alphabet=st.characters(min_codepoint=0xFEF0, max_codepoint=0xFF70) | st.sampled_from(
    list("abc 1/-王，（）")), max_size=12))
def test_fold_is_translate(text):
    assert _fold(text) == text.translate(_FOLD)
