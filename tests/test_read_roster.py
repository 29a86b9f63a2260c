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


def _rename(pairs):
    def edit(rows):
        for old, new in pairs:
            rows[1][rows[1].index(old)] = new
    return edit


def _outcome(findings, followups):
    return ({(f.code, f.kind, f.row, f.record) for f in findings},
            sorted((u.type, u.target, u.assignee, u.planned) for u in followups))


@pytest.fixture(scope="module")
def unchanged(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("unchanged")
    return _outcome(*_run(_workspace(tmp), tmp))


@pytest.mark.parametrize("pairs", [
    [("手机", "联系方式")],
    [("空闲时间", "可服务时段"), ("资格证书", "资质"), ("有效期至", "证书到期")],
    [("可提供服务", "服务技能/特长"), ("负责小区", "服务区域/负责小区"), ("空闲时间", "服务时间/可服务时段"),
     ("是否在岗", "状态/是否在岗")],
], ids=["联系方式", "可服务时段-资质-证书到期", "slash"])
def test_roster_headers_in_other_words_read_the_same(tmp_path, unchanged, pairs):
    """Headers clerks write for the same columns: the same findings and the same work orders
    (before: 联系方式 → F004; 可服务时段 unread → 曹玲 (周二、周四) sent on a Monday; 证书到期
    unread → V402 lost; 服务技能/特长 → no roster at all, every visit unassigned)."""
    assert _outcome(*_run(_workspace(tmp_path, _rename(pairs)), tmp_path)) == unchanged


def test_a_slash_between_names_of_different_fields_is_not_read():
    from toolkit.read.headers import header_key
    assert header_key("volunteers", "服务技能/特长")[0] == "skills"
    assert header_key("volunteers", "姓名/电话")[0] is None
    assert header_key("volunteers", "服务技能/备注")[0] is None


def test_unreadable_zai_gang_is_not_called_not_active_in_the_work_order(tmp_path):
    """在岗 written 请假 / 暂停 is D109 and the volunteer is not sent; the order going to someone
    else quotes what is written instead of saying she is 不在岗 (C304 is not reported either)."""
    root = _workspace(tmp_path, lambda rows: _set(rows, "是否在岗", {"ZY-002": "请假"}))
    findings, followups = _run(root, tmp_path)
    assert [f.record for f in _codes(findings, "D109") if f.kind == "volunteers"] == ["ZY-002"]
    assert not [f for f in _codes(findings, "C304") if f.record == "LR-065"]
    [bp] = [u for u in followups if u.type == "bp_recheck" and u.target == "LR-065"]
    assert bp.assignee not in (None, "ZY-002")
    assert "结对志愿者金思琪（ZY-002）在岗一栏写的是“请假”" in bp.instead.zh
    assert "不在岗" not in bp.instead.zh


@pytest.mark.parametrize("case", ["csv_as_xls", "password_unknown_name", "no_roster"])
def test_v405_never_says_no_volunteer_when_the_roster_was_not_read(tmp_path, case):
    """The roster saved as CSV under its .xls name (F001), a password-protected roster whose
    name does not say it is the roster while another ledger is missing too (F002, its ledger
    cannot be guessed), or no roster in the folder: nothing of the roster was read, so no V405
    "没有服务该小区的在岗志愿者" (before: one for each 小区 in the last two cases)."""
    import shutil
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root, ignore=shutil.ignore_patterns("报表", ".shequ", "跟进派单.xlsx"))
    (root / ROSTER).unlink()
    if case == "csv_as_xls":
        text = "\n".join(",".join("" if c is None else str(c) for c in row) for row in _rows()[1:])
        (root / ROSTER).write_text(text, encoding="utf-8")
    elif case == "password_unknown_name":
        import io

        from msoffcrypto.format.ooxml import OOXMLFile
        plain = _workspace(tmp_path / "plain") / "志愿者名册.xlsx"
        out = io.BytesIO()
        with open(plain, "rb") as fh:
            OOXMLFile(fh).encrypt("secret", out)
        (root / "莘卫互助圈.xlsx").write_bytes(out.getvalue())
        (root / "活动室使用登记.xlsx").unlink()
    findings = api.check([root], as_of=AS_OF).findings
    assert not _codes(findings, "V405")
    if case == "csv_as_xls":
        [f001] = _codes(findings, "F001")
        assert "V405" in f001.message.zh


def _pairing_on_the_roster(root: Path, header: str, by_name: bool = False) -> None:
    """Move the elderly ledger's 结对志愿者 to a roster column ``header`` (each volunteer's
    residents by 老人编号, or by 姓名 with ``by_name``, 、-separated); a 结对志愿者 naming no
    volunteer (ZY-099, a planted D110) stays where it is."""
    book = openpyxl.load_workbook(root / "老年人台账.xlsx")
    sheet = book["花名册"]
    head = [c.value for c in sheet[3]]
    vcol, icol, ncol = (head.index(h) + 1 for h in ("结对志愿者", "老人编号", "姓名"))
    roster = openpyxl.load_workbook(root / "志愿者名册.xlsx")
    rsheet = roster.active
    ids = {str(rsheet.cell(r, 2).value): r for r in range(3, rsheet.max_row + 1)}
    names = {str(rsheet.cell(r, 3).value): r for r in range(3, rsheet.max_row + 1)}
    listed: dict[int, list[str]] = {}
    for r in range(5, sheet.max_row + 1):
        written = str(sheet.cell(r, vcol).value or "").strip()
        row = ids.get(written) or names.get(written)
        if row is None:
            continue
        listed.setdefault(row, []).append(str(sheet.cell(r, ncol if by_name else icol).value))
        sheet.cell(r, vcol).value = None
    book.save(root / "老年人台账.xlsx")
    col = rsheet.max_column + 1
    rsheet.cell(2, col).value = header
    for row, residents in listed.items():
        rsheet.cell(row, col).value = "、".join(residents)
    roster.save(root / "志愿者名册.xlsx")


@pytest.mark.parametrize("header", ["结对老人", "联系老人", "负责老人", "结对对象"])
def test_pairing_kept_on_the_roster_side(tmp_path, unchanged, header):
    """Clerks who list each volunteer's residents on the roster and leave 结对志愿者 empty:
    the same findings and work orders as the pairing on the elderly ledger (before: the column
    was not read, every tier A/B resident got a C303 and visits went to whoever was free)."""
    root = _workspace(tmp_path)
    _pairing_on_the_roster(root, header)
    assert _outcome(*_run(root, tmp_path)) == unchanged


def test_pairing_on_the_roster_by_name(tmp_path, unchanged):
    """Residents listed by 姓名: a name only one resident has pairs her; a name two residents
    share (李玉兰: LR-055 and LR-017) pairs neither, never a guess: D110 on the roster row, and
    LR-055 (tier B, paired only through that entry) keeps her C303. Nothing else changes."""
    root = _workspace(tmp_path)
    _pairing_on_the_roster(root, "结对老人", by_name=True)
    findings, followups = _run(root, tmp_path)
    got, orders = _outcome(findings, followups)
    assert orders == unchanged[1]
    assert got - unchanged[0] == {("D110", "volunteers", 11, "ZY-009"), ("C303", "elderly", 26, "LR-055")}
    assert unchanged[0] - got == set()
    [d110] = [f for f in _codes(findings, "D110") if f.kind == "volunteers"]
    assert "“李玉兰”在老年人台账中有2位" in d110.message.zh and d110.header == "结对老人"


def test_roster_pairing_names_with_spaces_and_nicknames(tmp_path):
    """A 结对老人 cell as clerks type it: a two-character name padded with a space to line up
    (龚 珍), a nickname after a space (龚宝根 (老龚)) or in brackets (陆引娣（陆阿姨）), names
    separated by spaces (LR-014 LR-011). Each names one resident and pairs her; before, the
    cell was split on every space: D110 for “龚”, “珍” and “(老龚)”, and 龚珍 unpaired (C303)."""
    listed = {"ZY-022": "龚 珍、陆引娣（陆阿姨）、龚宝根 (老龚)", "ZY-007": "LR-014 LR-011"}

    def edit(rows):
        rows[1].append("结对老人")
        for r in rows[2:]:
            r.append(listed.get(r[1], ""))
    root = _workspace(tmp_path, edit)
    book = openpyxl.load_workbook(root / "老年人台账.xlsx")
    sheet = book["花名册"]
    head = [c.value for c in sheet[3]]
    vcol, ncol = head.index("结对志愿者") + 1, head.index("姓名") + 1
    for r in range(5, sheet.max_row + 1):
        rid = sheet.cell(r, 2).value
        if rid in ("LR-001", "LR-009", "LR-010", "LR-011", "LR-014"):
            sheet.cell(r, vcol).value = None
        if rid == "LR-010":
            sheet.cell(r, ncol).value = "龚珍"
    book.save(root / "老年人台账.xlsx")
    findings, _ = _run(root, tmp_path)
    assert [f for f in _codes(findings, "D110", "D112") if f.kind == "volunteers"] == []
    assert [f.record for f in _codes(findings, "C303")
            if f.record in ("LR-001", "LR-009", "LR-010", "LR-011", "LR-014")] == []
