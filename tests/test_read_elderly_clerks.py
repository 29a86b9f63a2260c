"""The elderly ledger as different clerks keep it (real workbooks saved with openpyxl): header
words outside ledgers.md that name one field only, a 居住状况 column written as 独居 /
与子女同住, … Each change keeps every resident, tier and urgent finding of the plain ledger."""
from __future__ import annotations

from datetime import date


from toolkit import api
from helpers import save_sheet as save
from toolkit.read import read_workspace

AS_OF = date(2026, 11, 23)


def test_unlisted_but_unambiguous_headers_are_read(tmp_path):
    # 居住地址 + 独居情况 left the sheet with neither anchor: the whole ledger was dropped
    # (one F003, then info) and with it every resident's C301/C302/C306/C307
    folder = save(tmp_path / "ws", [
        ["编号", "姓名", "出生年月日", "身份证", "小区", "居住地址", "独居情况", "监护人", "监护人电话"],
        ["LR-001", "张秀英", date(1940, 5, 12), "310117194005120022", "松和苑", "12号301室", "是",
         "张伟（儿子）", "13912345678"],
        ["LR-002", "李桂兰", date(1950, 3, 1), None, "松和苑", "12号302室", "否", None, None],
    ])
    ws = read_workspace([folder], as_of=AS_OF)
    assert not [f for f in ws.findings if f.code in ("F003", "F004", "F006")]
    [source] = ws.sources
    assert source.kind == "elderly" and source.records == 2 and source.unmapped == []
    first, second = ws.ledger("elderly")
    assert first.values["address"] == "12号301室" and first.values["lives_alone"] is True
    assert first.values["birth"] == date(1940, 5, 12)
    assert first.values["id_number"] == "310117194005120022"
    assert first.values["emergency_contact"] == "张伟（儿子）"
    assert first.values["emergency_phone"] == "13912345678"
    assert second.values["lives_alone"] is False


def test_living_arrangement_written_as_words(tmp_path):
    # 居住状况 独居 / 与子女同住: the 独居 column was missing (F004) and every resident counted
    # as not alone — an 86-year-old living alone fell from tier A (7 days) to C (90 days)
    folder = save(tmp_path / "ws", [
        ["编号", "姓名", "出生日期", "小区", "地址", "居住状况"],
        ["LR-001", "张秀英", date(1940, 5, 12), "松和苑", "12号301室", "独居"],
        ["LR-002", "李桂兰", date(1950, 3, 1), "松和苑", "12号302室", "与子女同住"],
        ["LR-003", "王阿大", date(1938, 1, 2), "松和苑", "12号303室", "与老伴同住"],
        ["LR-004", "赵小妹", date(1939, 2, 3), "松和苑", "12号304室", "独居老人"],
    ])
    result = api.check([folder], as_of=AS_OF)
    assert not [f for f in result.findings if f.code in ("F003", "F004", "D101") or (f.code == "D109" and f.row)]
    care = result.context.care
    assert [(r.id, care.lives_alone(r), care.tier(r)) for r in result.context.ledger("elderly")] == [
        ("LR-001", True, "A"), ("LR-002", False, "C"), ("LR-003", False, "C"), ("LR-004", True, "A")]


def test_status_and_hardship_spellings(tmp_path):
    # 搬走 was D109 and the resident stayed 在册 (visit orders for someone who moved away);
    # 低保户 / 空巢老人 / 失独 were a D109 warning each
    folder = save(tmp_path / "ws", [
        ["编号", "姓名", "出生日期", "小区", "地址", "是否独居", "困难类型", "状态"],
        ["LR-001", "张秀英", date(1940, 5, 12), "松和苑", "12号301室", "是", "低保户", "搬走"],
        ["LR-002", "李桂兰", date(1950, 3, 1), "松和苑", "12号302室", "否", "空巢老人、失独", "已过世"],
        ["LR-003", "王阿大", date(1938, 1, 2), "松和苑", "12号303室", "否", "低收入户", None],
    ])
    result = api.check([folder], as_of=AS_OF)
    assert not [f for f in result.findings if f.code == "D109" and f.row]
    care = result.context.care
    rows = result.context.ledger("elderly")
    assert [r.values["status"] for r in rows] == ["迁出", "去世", None]
    assert [care.on_register(r) for r in rows] == [False, False, True]
    assert [r.values["hardship"] for r in rows] == [("低保",), ("空巢", "计生特殊家庭"), ("低收入",)]
    assert not [f for f in result.findings if f.code in ("C301", "C302", "C303", "C310")
                and f.record in ("LR-001", "LR-002")]


def test_lives_alone_ticked_with_blank_for_no(tmp_path):
    # 独居 kept as a tick list (√ or nothing): every blank was a D101 error — 2 of 3 rows here,
    # 58 on the sample's ledger
    rows = [["编号", "姓名", "出生日期", "小区", "地址", "是否独居"],
            ["LR-001", "张秀英", date(1940, 5, 12), "松和苑", "12号301室", "√"],
            ["LR-002", "李桂兰", date(1950, 3, 1), "松和苑", "12号302室", None],
            ["LR-003", "王阿大", date(1938, 1, 2), "松和苑", "12号303室", None]]
    result = api.check([save(tmp_path / "ticks", rows)], as_of=AS_OF)
    assert not [f for f in result.findings if f.code == "D101"]
    care = result.context.care
    assert [care.tier(r) for r in result.context.ledger("elderly")] == ["A", "C", "C"]
    # a column that also says no somewhere keeps its blanks as values left out
    rows[3][5] = "否"
    result = api.check([save(tmp_path / "yes_no", rows)], as_of=AS_OF)
    assert [(f.code, f.record) for f in result.findings if f.code == "D101"] == [("D101", "LR-002")]
