"""Every instruction right for the person who reads it (issue #14, wording items).

Each test fails on the wording the issue quotes."""
from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from helpers import AS_OF, make_context, make_record
from toolkit import pipeline, schema
from toolkit.check import elderly, requests, volunteers
from toolkit.codes import CODES

XINZE = Path(__file__).resolve().parent.parent / "samples" / "xinze"
CJK = "\u4e00-\u9fff"
# a space between two Chinese words (or Chinese punctuation), as copied from English
ENGLISH_SPACING = re.compile(rf"[{CJK}“”」）] +[{CJK}“「（]")


def ago(days):
    return AS_OF - timedelta(days=days)


def resident(row=2, **kw):
    values = dict(id=f"LR-{row:03d}", name=f"老人{row}", estate="松和苑", address=f"{row}号",
                  lives_alone=True, age=85, volunteer="ZY-002")
    values.update(kw)
    return make_record("elderly", row, **values)


def volunteer(row=2, **kw):
    values = dict(id=f"ZY-{row:03d}", name=f"志愿者{row}", estates=("松和苑",), skills=("巡访",))
    values.update(kw)
    return make_record("volunteers", row, **values)


def visit(row, day, **kw):
    values = dict(date=day, elderly_id="LR-002", volunteer="ZY-002", service=("巡访",), outcome="正常")
    values.update(kw)
    return make_record("visits", row, **values)


def run(fn, *records):
    return list(fn(make_context(*records)))


def test_c301_says_by_when_not_before():
    [f] = run(elderly.visit_overdue, resident(), volunteer(), visit(2, ago(8)))
    due = ago(1).isoformat()
    assert f"最迟应在{due}再访" in f.message.zh and f"{due}前" not in f.message.zh


def test_c307_message_has_no_file_or_row_provenance():
    """The message reaches the town report: the location lives in the file/row fields only."""
    [f] = run(elderly.unanswered, resident(), visit(7, ago(2), outcome="敲门无应答"))
    assert "第7行" not in f.message.zh and ".xlsx" not in f.message.zh and "「" not in f.message.zh
    assert f.row == 7


def test_c309_fix_never_says_delete():
    gone = resident(status="去世")
    [f] = run(elderly.visit_after_gone, gone, visit(3, ago(3)))
    assert "删" not in f.fix.zh and "delete" not in f.fix.en
    assert "删" not in CODES["C309"].fix.zh


def test_v401_title_names_both_caps_its_messages_use():
    title = CODES["V401"].title.zh
    assert "结对" in title and "每周" in title or "本周" in title
    many = [resident(i) for i in range(2, 9)]
    [f] = run(volunteers.over_capacity, volunteer(), *many)
    assert "结对上限" in f.message.zh


def test_v405_ratio_is_written_one_way_and_zero_volunteers_reads_right():
    # a roster read, nobody in it serving 咏泽苑 (no roster read at all: no V405, docs/care.md)
    [zero] = run(volunteers.ratio_by_estate, resident(2, estate="咏泽苑"), volunteer())
    assert "只有0人" not in zero.message.zh and "没有服务该小区的在岗志愿者" in zero.message.zh
    many = [resident(i) for i in range(2, 14)]
    [f] = run(volunteers.ratio_by_estate, *many, volunteer())
    for text in (CODES["V405"].title.zh, f.message.zh, CODES["V405"].fix.zh):
        assert "1:5" not in text and "5:1" not in text
    assert "超过5位" in f.message.zh and "5位" in CODES["V405"].title.zh


def test_v405_does_not_count_the_family_doctor_team():
    many = [resident(i) for i in range(2, 9)]                   # 7 tier A residents
    doctor = volunteer(3, team=schema.TEAM_DOCTOR)
    assert len(run(volunteers.ratio_by_estate, *many, volunteer(), doctor)) == 1
    assert run(volunteers.ratio_by_estate, *many, volunteer(), volunteer(4)) == []


def test_tier_a_label_is_unambiguous():
    label = schema.TIER_LABELS["A"][0]
    assert label == "A级（独居高龄，或独居且失能/重残）"
    assert "独居且高龄或" not in schema.TIER_CONDITIONS["A"]


def test_no_english_style_spacing_in_messages_of_the_sample():
    for as_of in (date(2026, 11, 23), date(2026, 11, 30)):
        result = pipeline.check([XINZE], as_of=as_of)
        bad = {(f.code, text) for f in result.findings for text in (f.message.zh, f.fix.zh)
               if ENGLISH_SPACING.search(text)}
        assert bad == set()
    r = make_record("requests", 2, id="SQ-001", received=date(2026, 11, 2), source="来电",
                    estate="松和苑", content="x", category="其他", classified=date(2026, 11, 10),
                    assigned=date(2026, 11, 5))
    [f] = run(requests.dates_out_of_order, r)
    assert not ENGLISH_SPACING.search(f.fix.zh)


def test_summary_line_counts_infos():
    from toolkit.automate.weekly import WeeklyResult
    result = pipeline.check([XINZE], as_of=AS_OF)
    line = WeeklyResult(week="2026-W48", outdir=Path("x"), result=result).summary_line()
    s = result.summary()
    assert f"错误 {s['error']}，警告 {s['warning']}，提示 {s['info']}" in line


def test_settings_notes_are_not_developer_talk():
    notes = [note for rows in (schema.SET_BASIC_ROWS, schema.SET_LIMIT_ROWS, schema.SET_THRESHOLD_ROWS,
                               schema.SET_REPORTING_ROWS) for _, _, note in rows]
    notes += list(schema.SET_SHEET_HINTS.values())
    assert not [n for n in notes if "本工具" in n or "新增" in n]


@pytest.mark.parametrize("raw", ["13912345", "021-5765123"])
def test_clerk_sees_her_own_phone_value_unmasked(raw):
    from toolkit.read.normalise import parse_phone
    p = parse_phone(raw)
    assert p.error == "D104" and raw in p.detail.zh and "*" not in p.detail.zh
