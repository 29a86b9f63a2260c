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


def test_a_finding_renders_its_template_in_each_language():
    r = make_record("elderly", 5, id="LR-001", name="张秀英", needs=("助餐",))
    f = finding("C308", record=r, key="needs", value="助餐", variant="never",
                params={"resident": "张秀英（LR-001）", "id": "LR-001", "service": "助餐",
                        "window": 30, "since": date(2026, 11, 1), "as_of": date(2026, 11, 30),
                        "last": None, "estate": "松和苑"})
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


def test_rules_build_messages_from_templates_not_prose():
    """Every ``finding(...)`` in a rule module names its facts as params; no rule passes a
    finished message (a positional Text) any more."""
    import ast
    from pathlib import Path
    rules = Path(__file__).resolve().parent.parent / "toolkit" / "check"
    prose = []
    for path in sorted(rules.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "finding" \
                    and (len(node.args) > 1 or any(k.arg in ("message", "fix") for k in node.keywords)):
                prose.append(f"{path.name}:{node.lineno}")
    assert prose == []
