"""The volunteer roster (志愿者名册) as different clerks keep the same volunteers: the sample's
roster rewritten as .xlsx with one thing changed, checked and assigned end to end. Every
difference from the unchanged roster must be the change's own (no false V/C/D findings, no
wrong reason in a work order, nobody sent who cannot go)."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from helpers import AS_OF, SAMPLE
from toolkit import api

ROSTER = "志愿者名册.xls"
pytestmark = pytest.mark.skipif(not (SAMPLE / ROSTER).is_file(), reason="needs samples/xinze")


def _rows() -> list[list]:
    book = CalamineWorkbook.from_path(str(SAMPLE / ROSTER))
    return [list(r) for r in book.get_sheet_by_index(0).to_python(skip_empty_area=False)]


def _workspace(tmp_path: Path, edit=None) -> Path:
    """samples/xinze with the roster as .xlsx, ``edit(rows)`` applied to its rows (row 0 the
    title, row 1 the header, then one volunteer a row, column 1 the 编号)."""
    import shutil
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("报表", ".shequ", "跟进派单.xlsx"))
    (root / ROSTER).unlink()
    rows = _rows()
    if edit:
        edit(rows)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "志愿者名册"
    for row in rows:
        sheet.append([None if v == "" else v for v in row])
    book.save(root / "志愿者名册.xlsx")
    return root


def _set(rows, header, values: dict):
    col = rows[1].index(header)
    for row in rows[2:]:
        if row[1] in values:
            row[col] = values[row[1]]


def _run(root: Path, tmp_path: Path):
    done = api.assign([root], as_of=AS_OF, output=tmp_path / "派单.xlsx")
    return done.result.findings, done.followups


def _codes(findings, *codes):
    return [f for f in findings if f.code in codes]


def test_other_spellings_of_bp_skill_read_as_liang_xueya(tmp_path):
    """测血压 / 血压测量 / 测量血压 are 量血压: no D109, one D112, the C305 recheck goes to
    the paired volunteer as with 量血压 (not to someone else "because she cannot 量血压")."""
    root = _workspace(tmp_path, lambda rows: _set(rows, "可提供服务", {
        "ZY-002": "巡访、垃圾投放、测血压", "ZY-001": "血压测量、代配药、助医",
        "ZY-024": "巡访 垃圾投放 助洁 测量血压"}))
    findings, followups = _run(root, tmp_path)
    assert not [f for f in _codes(findings, "D109") if f.kind == "volunteers"]
    [d112] = [f for f in _codes(findings, "D112") if f.kind == "volunteers"]
    assert "量血压" in d112.message.zh
    [bp] = [u for u in followups if u.type == "bp_recheck" and "C305" in u.codes]
    assert bp.assignee == "ZY-002"


def test_other_spellings_of_all_estates_read_as_quanbu(tmp_path):
    """全部小区 / 所有小区 / 不限 are 全部: no D109, and the 惠泽苑 volunteers still serve it
    (no V405 "没有服务该小区的在岗志愿者", no unassigned visit)."""
    root = _workspace(tmp_path, lambda rows: _set(rows, "负责小区", {
        "ZY-020": "全部小区", "ZY-004": "所有小区", "ZY-012": "不限"}))
    findings, followups = _run(root, tmp_path)
    assert not [f for f in _codes(findings, "D109") if f.kind == "volunteers"]
    [d112] = [f for f in _codes(findings, "D112") if f.kind == "volunteers"]
    assert "全部" in d112.message.zh
    assert not [f for f in _codes(findings, "V405") if "没有服务该小区" in f.message.zh]
    assert not [u for u in followups if u.type == "visit" and u.assignee is None]
    [c301] = [f for f in _codes(findings, "C301") if f.record == "LR-003"]
    assert "结对志愿者曹玲（ZY-004）" in c301.fix.zh and "不服务" not in c301.fix.zh
