"""The reading layer's fast paths give exactly what the plain code they replace gave."""
from __future__ import annotations

from datetime import date

import pytest
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


# ------------------------------------------------------------------ rows below the header
_CELLS = st.sampled_from([None, "", "  ", "合计", "小计：3", "注：以上为", "编号", "姓名", "LR-1",
                          "张三", 1.0, True, CellError("#N/A"), date(2026, 1, 1), "ＬＲ-1"])


def _layout(serial):
    from toolkit.read.headers import Layout, normalise_header
    headers = ["序号" if c in serial else h for c, h in enumerate(["编号", "姓名", "地址", "电话"])]
    return Layout("elderly", (0,), headers, serial=list(serial),
                  header_texts=[frozenset({normalise_header(h)}) for h in headers])


@given(st.lists(st.lists(_CELLS, max_size=5), max_size=8), st.sampled_from([(), (0,), (1,)]))
def test_rows_kept_down_the_columns_are_those_kept_row_by_row(rows, serial):
    """``_data_rows`` (which may decide from the first columns' distinct values alone) keeps,
    skips and reports exactly the rows the row-by-row ``skip`` does."""
    from toolkit.read.records import _Cells, _data_rows, _Rows
    from toolkit.read.sheets import Grid
    layout = _layout(serial)
    grid = Grid("S", [list(layout.headers)] + [list(r) for r in rows])
    repeats: list[int] = []
    cells = _Cells(grid.rows[1:])
    kept, numbers, every = _data_rows(grid, layout, repeats, cells)
    verdicts = [_Rows(layout).skip(row) for row in grid.rows[1:]]
    assert numbers == [n for n, v in enumerate(verdicts, 2) if v is None]
    assert kept == [row for row, v in zip(grid.rows[1:], verdicts) if v is None]
    assert repeats == [n for n, v in enumerate(verdicts, 2) if v == "repeat"]
    assert every == all(v is None for v in verdicts)


@given(st.lists(st.lists(_CELLS, min_size=3, max_size=3), max_size=6)
       | st.lists(st.lists(_CELLS, min_size=1, max_size=4), max_size=6))
def test_a_block_of_rows_read_down_its_columns_is_each_rows_cell(rows):
    from toolkit.read.records import _Cells
    cells = _Cells(rows)
    for c in range(4):
        if all(len(row) > c for row in rows):
            assert cells.column(c) == [row[c] for row in rows]
            assert all(a is row[c] for a, row in zip(cells.column(c), rows))
        else:
            with pytest.raises(IndexError):
                cells.column(c)


def test_a_column_mixing_true_and_one_is_parsed_cell_by_cell():
    """True == 1 == 1.0 are one key of a dict: such a column is not looked up per value."""
    from toolkit.read.headers import Layout
    from toolkit.read.records import build_records
    from toolkit.read.sheets import Grid
    layout = Layout("elderly", (0,), ["编号", "年龄"], mapping={0: "id", 1: "age"})
    grid = Grid("S", [["编号", "年龄"], ["LR-1", 1.0], ["LR-2", True], ["LR-3", 1.0]])
    built = build_records(grid, layout, file="a.xlsx", as_of=date(2026, 11, 23))
    assert [r.values["age"] for r in built.records] == [1, None, 1]
    assert [r.invalid for r in built.records] == [frozenset(), {"age"}, frozenset()]


@given(st.lists(st.text(max_size=6), min_size=1, max_size=30),
       st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=4)), min_size=30, max_size=30))
def test_a_records_values_are_the_dict_of_its_keys_and_values(keys, values):
    # the generated dict display (read/records.py) against dict(zip): same items, same order,
    # a repeated key keeping its first place and last value, any key text (quotes, \, 中文)
    from toolkit.read.records import _values_dict
    values = values[:len(keys)]
    made = _values_dict(tuple(keys))(*values)
    assert made == dict(zip(keys, values)) and list(made) == list(dict(zip(keys, values)))


def test_a_wide_sheets_values_dict_takes_hundreds_of_keys():
    from toolkit.read.records import _values_dict
    keys = tuple(f"列{i}'\"\\" for i in range(300))
    assert _values_dict(keys)(*range(300)) == dict(zip(keys, range(300)))
