"""The English run (`--lang en`) as its reader meets it: no Chinese the tool wrote itself, no
field keys, no ``None``, and the same facts as the Chinese message."""
from __future__ import annotations

import re

from helpers import AS_OF, make_context, make_record
from toolkit.check import data, elderly, references

CJK_PUNCT = re.compile("[「」、（）：；，]|第\\d+行")


def elder(row=2, **values):
    base = dict(id=f"LR-{row:03d}", name=f"老人{row}", estate="松和苑", address=f"{row}号101室",
                lives_alone=False, volunteer="ZY-002")
    base.update(values)
    return make_record("elderly", row, **base)


def run(fn, *records, **kw):
    return list(fn(make_context(*records, **kw)))


def test_d108_english_names_the_first_row_in_english():
    a = elder(2, name="张三", id_number="310117194105120023")
    b = elder(3, name="张叁", id_number="310117194105120023", address="9号")
    [f] = run(references.probable_duplicates, a, b)
    assert f.message.en == ("LR-003 and LR-002 (老年人台账.xlsx / 2026年 row 2): same ID number; "
                            "probably one person")
    assert not CJK_PUNCT.search(f.message.en.replace("2026年", ""))
    assert "LR-003" in f.fix.en and "LR-002" in f.fix.en
    # the Chinese message is unchanged
    assert f.message.zh.startswith("老年人台账中编号LR-003与老年人台账.xlsx「2026年」第2行的编号LR-002身份证号相同")


def test_d108_rows_without_ids_never_say_none():
    a = elder(2, name="李四", address="1号")
    b = elder(3, id=None, name="李四", address="1号")         # a ledger row without its 编号
    [f] = run(references.probable_duplicates, a, b)
    for text in (f.message.zh, f.message.en, f.fix.zh, f.fix.en):
        assert "None" not in text, text
    assert f.message.en.startswith("this row (no id) and LR-002 (老年人台账.xlsx / 2026年 row 2)")
    assert "这一行（未填编号）" in f.message.zh and "合并为一行" in f.fix.zh


def test_c310_english_says_what_is_missing_not_the_field_keys():
    r = elder(2, lives_alone=True, emergency_contact="儿子")
    [f] = run(elderly.alone_without_contact, r)
    assert "emergency_" not in f.message.en
    assert f.message.en == "LR-002 lives alone without an emergency phone"
    assert f.fix.en == "ask the resident and fill in an emergency phone"
    [f] = run(elderly.alone_without_contact, elder(2, lives_alone=True))
    assert f.message.en.endswith("without an emergency contact and an emergency phone")


def test_d106_english_gives_the_ids_gender_in_english():
    # 17th digit 1 (odd): the ID says 男; the ledger says 女
    r = elder(2, id_number="310117195402011019", gender="女")
    [f] = run(data.id_disagrees, r)
    assert "性别男" in f.message.zh
    assert ", male, " in f.message.en and "男" not in f.message.en


def test_c309_english_fix_matches_the_status():
    from datetime import timedelta
    from toolkit.check import elderly as rules
    gone = elder(2, status="去世")
    visit = make_record("visits", 5, date=AS_OF - timedelta(days=3), elderly_id="LR-002",
                        volunteer="ZY-002", service=("巡访",), outcome="正常")
    [f] = run(rules.visit_after_gone, gone, visit)
    assert "has not died" in f.fix.en and "left" not in f.fix.en
    moved = elder(2, status="迁出")
    [f] = run(rules.visit_after_gone, moved, visit)
    assert "has not moved out" in f.fix.en


def test_withheld_codes_are_listed_with_english_commas():
    from toolkit.check import explain_unread
    from toolkit.model import finding
    ctx = make_context(elder(2), make_record("volunteers", 2, id="ZY-002", name="甲",
                                             estates=("松和苑",), skills=("巡访",)))
    ctx.workspace.findings.append(finding("F001", file="巡访记录.xlsx", variant="not_workbook",
                                          params={"file": "巡访记录.xlsx"}))
    [f001] = explain_unread(ctx, ctx.workspace.findings)
    assert "C301, C302" in f001.message.en and "、" not in f001.message.en
    assert "C301、C302" in f001.message.zh


def test_r207_english_says_what_the_status_should_be():
    from toolkit.codes import CODES
    params = {"written": "已答复", "stage_label": "assigned", "stage": 2, "expected": "办理中"}
    en = CODES["R207"].message(params, "ahead").en
    assert en == ("status says 已答复 but the filled fields only reach assigned (stage 2); "
                  "it should be 办理中")


def test_english_follow_up_lines_use_english_brackets():
    from datetime import date
    from toolkit.model import FollowUp
    from toolkit.report.workorders import format_followups
    fu = FollowUp(id="FU-2026W48-017", type="service", codes=["C308"], kind="elderly",
                  target="LR-014", priority="normal", due=date(2026, 11, 23), assignee="ZY-007", assignee_name="陈勇",
                  planned=date(2026, 11, 23), skill="助餐")
    assert format_followups([fu], "en").strip() == \
        "FU-2026W48-017 normal service (助餐) LR-014 → 陈勇 (ZY-007) 2026-11-23"
    assert format_followups([fu], "zh").strip() == \
        "FU-2026W48-017 一般 服务补派（助餐） LR-014 → 陈勇（ZY-007） 2026-11-23"


def test_a_resident_without_an_id_is_named_not_none():
    r = elder(2, id=None, name="王阿婆", lives_alone=True)
    [f] = run(elderly.alone_without_contact, r)
    assert "None" not in f.message.en
    assert f.message.en.startswith("王阿婆 (row 2, no id) lives alone without")


def test_english_lists_use_commas():
    """D109's allowed list, D110's id and name: ', ' in English, '、' in Chinese."""
    from toolkit.text import listing
    assert listing(["松和苑", "咏泽苑"]).en == "松和苑, 咏泽苑"
    assert listing(["松和苑", "咏泽苑"]).zh == "松和苑、咏泽苑"
    visit = make_record("visits", 9, date=AS_OF, elderly_id="LR-099", elderly_name="沈阿大",
                        volunteer="ZY-002", service=("巡访",), outcome="正常")
    found = [f for f in run(references.broken_references, elder(2), visit)
             if f.params.get("written") is not None and f.row == 9]
    assert found and "'LR-099, 沈阿大'" in found[0].message.en
    assert "“LR-099、沈阿大”" in found[0].message.zh


def test_s502_names_the_missing_holidays_in_english():
    from toolkit.workdays import _holiday_names
    assert _holiday_names(["元旦", "国庆"]).en == "New Year's Day, National Day"
    assert _holiday_names(["元旦", "国庆"]).zh == "元旦、国庆"


def test_an_unopenable_file_gives_the_reason_not_the_os_text(tmp_path):
    from toolkit.read.files import sniff
    link = tmp_path / "断链.xlsx"
    link.symlink_to(tmp_path / "nowhere" / "x.xlsx")
    [f] = sniff(link, "断链.xlsx").findings     # a broken link: what it is, not the OS text
    assert f.message.en == (f"'断链.xlsx' is a shortcut (symbolic link) to "
                            f"'{tmp_path / 'nowhere' / 'x.xlsx'}', which does not exist; it was not read.")
    assert "Errno" not in f.message.en
    gone = tmp_path / "消失.xlsx"                 # a file gone between listing and opening
    [f] = sniff(gone, "消失.xlsx").findings
    assert f.message.en == "'消失.xlsx' cannot be opened (no such file or folder)."
    assert "Errno" not in f.message.en


def test_annotate_says_finding_s_in_english(tmp_path):
    import shutil
    from pathlib import Path
    from click.testing import CliRunner
    from toolkit.cli import cli
    sample = Path(__file__).resolve().parent.parent / "samples" / "xinze"
    shutil.copytree(sample, tmp_path / "ws")
    out = tmp_path / "copy.xlsx"
    result = CliRunner().invoke(cli, ["annotate", str(tmp_path / "ws" / "睦邻集市报名表.xlsx"),
                                      "-o", str(out), "--as-of", "2026-11-23", "--lang", "en", "-q"])
    assert "1 finding(s), 0 cell(s) marked." in result.output, result.output
