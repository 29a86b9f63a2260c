"""Finding templates of codes.py, params and the record reference (findings as data)."""
from __future__ import annotations

import string
from datetime import date

import pytest

from tests.helpers import make_context, make_record
from toolkit.codes import CODES, FIX_TEMPLATES, TEMPLATES, Message
from toolkit.model import RecordRef, finding
from toolkit.text import Text


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("table", [TEMPLATES, FIX_TEMPLATES], ids=["message", "fix"])
def test_every_template_belongs_to_a_code_and_has_both_languages(table):
    for code, variants in table.items():
        assert code in CODES
        for variant, (zh, en) in variants.items():
            assert zh and en, (code, variant)


def test_fix_variants_are_message_variants():
    for code, variants in FIX_TEMPLATES.items():
        assert set(variants) <= set(TEMPLATES[code]), code


def _never_served():
    """A C308 finding (variant ``never``) with a message and a fix template."""
    r = make_record("elderly", 5, id="LR-001", name="张秀英", needs=("助餐",))
    return finding("C308", record=r, key="needs", value="助餐", variant="never",
                   params={"resident": "张秀英（LR-001）", "id": "LR-001", "service": "助餐",
                           "window": 30, "since": date(2026, 11, 1), "as_of": date(2026, 11, 30),
                           "last": None, "estate": "松和苑"})


def test_a_finding_renders_its_template_in_each_language():
    f = _never_served()
    assert isinstance(f.message, Message)
    assert f.message.get("zh") == ("张秀英（LR-001）需要“助餐”服务，近30天（2026-11-01至2026-11-30）"
                                   "没有该服务记录，从未有记录")
    assert f.message.get("en") == "LR-001: needs 助餐, none recorded in the last 30 days"
    assert f.fix.get("zh") == "安排有“助餐”技能、服务松和苑的志愿者上门服务并登记"
    doc = f.to_dict("en", params=True)
    assert doc["params"]["service"] == "助餐" and doc["params"]["since"] == "2026-11-01"
    assert "params" not in f.to_dict("en")          # the cli.md document is unchanged


def test_a_missing_param_or_variant_is_an_error_not_a_silent_blank():
    r = make_record("elderly", 5, id="LR-001")
    with pytest.raises(KeyError):
        finding("C303", record=r, params={"resident": "x"}).message.get("zh")
    with pytest.raises(KeyError):
        finding("C303", record=r, variant="nope", params={})


def test_a_code_without_templates_still_takes_prose():
    r = make_record("elderly", 5, id="LR-001")
    f = finding("D101", Text("必填项为空", "empty"), record=r)
    assert f.message.get("en") == "empty" and f.params == {}


def test_messages_equal_their_rendered_text():
    params = {"resident": "甲", "id": "LR-1", "tier": "A", "tier_label": "A级"}
    assert CODES["C303"].message(params) == CODES["C303"].message(dict(params))
    assert CODES["C303"].message(params) == Text("甲为A级，未填写结对志愿者",
                                                  "LR-1: tier A without a paired volunteer")
    assert len({CODES["C303"].message(params), CODES["C303"].message(params)}) == 1


def test_a_pickled_message_names_its_table_instead_of_carrying_it():
    # a town's workers send their findings to the parent pickled
    import pickle
    f = _never_served()
    data = pickle.dumps(f, protocol=pickle.HIGHEST_PROTOCOL)
    again = pickle.loads(data)
    assert again.message._table is TEMPLATES and again.fix._table is FIX_TEMPLATES
    assert (again.message.zh, again.fix.en) == (f.message.zh, f.fix.en)
    assert len(data) < 2000          # the template tables (~35 KB each) are not in it
    odd = Message("C303", {"C303": {"": ("甲{x}", "a{x}")}}, "", {"x": 1})
    assert pickle.loads(pickle.dumps(odd)).zh == "甲1"      # any other table travels as itself


def test_a_message_puts_phrase_params_in_its_language_and_leaves_the_params_alone():
    params = {"resident": "甲", "id": "LR-2", "tier": "A", "tier_label": Text("A级", "tier A"),
              "unused": Text("不用", "unused")}
    message = CODES["C303"].message(params)
    assert message.get("zh") == "甲为A级，未填写结对志愿者"
    assert message.get("en") == "LR-2: tier A without a paired volunteer"
    assert params["tier_label"] == Text("A级", "tier A") and message.params is params
    nested = Message("C303", {"C303": {"": ("{inner}；{n:02d}", "{inner}; {n:02d}")}}, "",
                     {"inner": message, "n": 7})
    assert nested.get("en") == "LR-2: tier A without a paired volunteer; 07"


def test_ref_points_at_the_record_the_finding_is_about():
    resident = make_record("elderly", 7, id="LR-007", name="金国平")
    visit = make_record("visits", 12, elderly_id="LR-007", date=date(2026, 11, 20))
    f = finding("C311", record=visit, key="follow_up", about=resident, variant="issue",
                params={"resident": "金国平", "id": "LR-007", "day": date(2026, 11, 20),
                        "issue": "漏水", "goer": "志愿者", "goer_en": "a volunteer"})
    assert (f.kind, f.row, f.record) == ("visits", 12, "LR-007")
    assert f.ref == RecordRef.of(resident) and f.ref.kind == "elderly"
    ctx = make_context(resident, visit)
    assert ctx.resolve(f.ref) is resident
    assert ctx.resolve(RecordRef("elderly", "LR-007", "nowhere.xlsx", "x", 1)) is None


# calls that make a finding (or the failed parse a finding is made from): a finished message
# passed to one of them is prose, not a template
_FINDING_CALLS = {"finding", "file_finding", "_fail", "_bad", "Parsed"}
_PROSE_KEYWORDS = {"message", "fix", "detail"}


def _is_cjk(text: str) -> bool:
    return any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def _prose_in(node) -> bool:
    """A finished message in an argument: a ``Text(...)``, or Chinese text (a literal or an
    f-string). Dicts are params (phrases in them are ``Text`` params) and are not looked into."""
    import ast
    if isinstance(node, ast.Dict):
        return False
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Text":
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and _is_cjk(node.value):
        return True
    return any(_prose_in(child) for child in ast.iter_child_nodes(node))


def prose_calls(source: str, name: str = "<src>") -> list[str]:
    """``file:line`` of every call in ``source`` that passes a finished message or fix: a
    ``message``/``fix``/``detail`` keyword, a second positional argument to ``finding``, or
    a ``Text`` or Chinese text among the positional arguments of a finding-making call (of
    ``Parsed``: its ``detail``, the fourth)."""
    import ast
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if func not in _FINDING_CALLS:
            continue
        if any(k.arg in _PROSE_KEYWORDS for k in node.keywords) \
                or (func == "finding" and len(node.args) > 1) \
                or any(_prose_in(arg) for arg in node.args[3 if func == "Parsed" else 0:]):
            found.append(f"{name}:{node.lineno}")
    return found


def test_the_prose_check_finds_prose():
    """The check below can fail: each of these older forms is caught, the template forms not."""
    prose = [
        'finding("F001", Text("坏了", "broken"), file=rel)',
        'finding("F001", detail, record=r)',
        'finding("C303", record=r, params={}, fix=Text("修", "fix"))',
        'file_finding("F003", rel, "里没有任何台账内容", "holds no ledger")',
        'file_finding("F009", rel, f"超出安全限制：{zh}", f"too big: {en}")',
        '_fail("D105", f"身份证号“{raw}”不正确", f"ID {raw} is malformed")',
        'Parsed(None, False, "F011", Text(f"「{h}」显示为 {raw}", f"{h} shows {raw}"))',
        'self.findings.append(finding("S501", Text(a, b), file=self.file))',
    ]
    for source in prose:
        assert prose_calls(source) == ["<src>:1"], source
    templates = [
        'finding("F003", file=rel, variant="closest", params={"ledger": Text("老年人台账", "elderly")})',
        'file_finding("F010", rel, "misnamed", {"what": Text("工作簿", "a workbook")})',
        '_bad(rel, "office", what=Text(*what))',
        '_fail("D105", "malformed", shown=str(raw))',
        'Parsed(tuple(items), base.changed or "、".join(items) != base.value)',
    ]
    for source in templates:
        assert prose_calls(source) == [], source


def test_no_module_builds_messages_from_prose():
    """Every finding anywhere in toolkit/ (rules, the read layer, settings, history …) names
    its facts as params and takes its message and fix from codes.py's templates; no module
    passes a finished message (a Text, Chinese text) to ``finding``/``file_finding`` or to
    the failed parse a finding is made from."""
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "toolkit"
    paths = sorted(p for p in root.rglob("*.py") if p.name != "codes.py")
    assert any(p.parent.name == "read" for p in paths) and any(p.parent.name == "check" for p in paths)
    prose = []
    for path in paths:
        prose += prose_calls(path.read_text(encoding="utf-8"), str(path.relative_to(root)))
    assert prose == []


def test_a_value_with_line_breaks_is_quoted_on_one_line():
    """Alt+Enter in a cell (``13号\\n503室``) never breaks a message over lines: a run of
    whitespace holding a line break or tab is one space inside the value, nothing at its
    ends; plain spaces are quoted as typed."""
    params = {"resident": "张秀英（LR-001，松和苑 13号\r\n 503室）", "id": "LR-001\t",
              "tier": "A", "tier_label": Text("A级", "tier A")}
    message = CODES["C303"].message(params)
    assert message.get("zh") == "张秀英（LR-001，松和苑 13号 503室）为A级，未填写结对志愿者"
    assert message.get("en") == "LR-001: tier A without a paired volunteer"
    assert CODES["C303"].message({**params, "resident": "张  秀英 "}).zh.startswith("张  秀英 为")
    assert params["resident"].count("\n") == 1          # the params (JSON, reports) keep the cell


def test_a_finding_quoting_a_cell_with_a_line_break_prints_on_one_line():
    from toolkit.read.normalise import parse_phone
    r = make_record("elderly", 5, id="LR-001", invalid={"phone": "1381234\n567 儿子"})
    detail = parse_phone(r.cells["phone"].raw).detail
    f = finding("D104", record=r, key="phone", variant=detail.variant, params=detail.params)
    for lang in ("zh", "en"):
        assert "\n" not in f.message.get(lang) and "1381234 567" in f.message.get(lang)
    assert f.value == "1381234\n567 儿子"              # the raw cell, as it is
