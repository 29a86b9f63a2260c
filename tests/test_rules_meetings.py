"""Council rules M701–M704, D110 on the minutes, C312 (visit problems), bigram similarity and
the reading of minutes written once per meeting — on inline records and one small workbook.

Calendar facts used (chinese_calendar, 2026): National Day Oct 1–7 off; Oct 10 (Sat) is a
working day (调休).
"""
from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from helpers import make_context, make_record
from toolkit.check import RULES, _load_rules
from toolkit.domain.council import CLOSEST_MIN, SIMILAR, bigrams, council, dice, previous_period
from toolkit.check.visit_issues import action_words
from toolkit.read import read_workspace
from toolkit.settings import Settings
from toolkit.workdays import WorkCalendar

D = date
CAL = WorkCalendar()
_load_rules()                 # registers M701–M704, C312 (rule modules load via the registry)


def item(row, day, topic, **values):
    return make_record("meetings", row, date=day, meeting=values.pop("meeting", "居民议事会"),
                       topic=topic, **values)


def req(row, received, content, **values):
    base = dict(id=f"SQ-{row:03d}", source="议事会", estate="松和苑")
    return make_record("requests", row, received=received, content=content, **{**base, **values})


def run(code, *records, as_of=D(2026, 11, 23), settings=None):
    ctx = make_context(*records, as_of=as_of, settings=settings)
    return [f for fn in RULES[code] for f in fn(ctx) if f.code == code]


# ---------------------------------------------------------------------------------------
# bigram similarity (ledgers.md)

def test_bigrams_ignore_whitespace_punctuation_symbols_and_width():
    assert bigrams("电动 车，乱停！") == bigrams("电动车乱停") == frozenset({"电动", "动车", "车乱", "乱停"})
    assert bigrams("３号楼") == bigrams("3号楼")
    assert bigrams("★楼道+灯") == bigrams("楼道灯")
    assert bigrams("") == frozenset() and bigrams("灯") == frozenset()


def test_dice_is_over_sets():
    assert dice("哈哈哈哈", "哈哈") == 1.0                 # repeated pairs count once
    assert dice("楼下电动自行车乱停放", "楼下电动自行车乱停放。") == 1.0
    assert dice("楼道灯不亮", "健身器材损坏") == 0.0
    assert 0 < dice("3号楼电动自行车充电难", "3号楼电动自行车没地方充电") < 1
    assert dice("", "") == 0.0
    assert SIMILAR == 0.6 and CLOSEST_MIN < SIMILAR


def test_similar_pairs_give_dices_verdict_once_per_pair():
    from toolkit.domain.similarity import SimilarPairs
    pairs = SimilarPairs()
    texts = ["3号楼电动自行车充电难", "3号楼电动自行车没地方充电", "楼道灯不亮", "楼道灯不亮。"]
    for a in texts:
        for b in texts:
            key = (bigrams(a), bigrams(b))
            assert pairs[key] is (dice(a, b) >= SIMILAR)
    assert pairs[(bigrams("楼道灯不亮"), bigrams("楼道灯不亮。"))] is True
    assert len(pairs) == 3 * 3      # three distinct sets (the two 楼道灯 spellings give one)
    assert pairs[(frozenset(), frozenset())] is False            # two empty texts: never similar


# ---------------------------------------------------------------------------------------
# M701

def test_previous_period():
    assert previous_period(D(2026, 11, 23), "month") == (D(2026, 10, 1), D(2026, 10, 31))
    assert previous_period(D(2026, 1, 5), "month") == (D(2025, 12, 1), D(2025, 12, 31))
    assert previous_period(D(2026, 11, 23), "bimonth") == (D(2026, 9, 1), D(2026, 10, 31))
    assert previous_period(D(2026, 11, 23), "quarter") == (D(2026, 7, 1), D(2026, 9, 30))
    assert previous_period(D(2026, 2, 1), "quarter") == (D(2025, 10, 1), D(2025, 12, 31))


def test_m701_fires_for_a_month_without_meeting_across_national_day():
    minutes = [item(2, D(2026, 8, 27), "议题一"), item(3, D(2026, 9, 29), "议题二"),
               item(4, D(2026, 11, 5), "议题三")]
    found = run("M701", *minutes)
    assert len(found) == 1
    f = found[0]
    assert "2026年10月没有召开议事会" in f.message.zh and "2026-09-29" in f.message.zh
    assert (f.kind, f.file, f.row) == ("meetings", "议事会记录.xlsx", 3)
    # a meeting right after the holiday keeps October covered
    assert run("M701", *minutes, item(5, D(2026, 10, 9), "议题四")) == []


def test_m701_needs_meetings_from_before_the_period():
    assert run("M701", item(2, D(2026, 11, 5), "议题")) == []          # ledger began this month
    assert run("M701", item(2, D(2026, 10, 20), "议题")) == []         # October had one
    assert run("M701") == []                                            # no ledger at all


def test_m701_follows_the_frequency_setting():
    minutes = [item(2, D(2026, 5, 20), "议题"), item(3, D(2026, 8, 20), "议题")]
    quarterly = Settings(council_frequency="quarter")
    assert run("M701", *minutes, settings=quarterly) == []              # Q3 had one (Aug)
    assert len(run("M701", *minutes)) == 1                              # monthly: none in Oct


# ---------------------------------------------------------------------------------------
# M702

def test_m702_waits_for_the_registration_limit_across_national_day():
    meeting = item(2, D(2026, 9, 30), "健身苑点的健身器材损坏需要更换")
    other = req(9, D(2026, 9, 1), "其他问题")                             # a request ledger exists
    deadline = CAL.add_workdays(D(2026, 9, 30), 5)
    assert deadline == D(2026, 10, 13)           # Oct 8, 9, 10 (调休), 12, 13
    assert run("M702", meeting, other, as_of=D(2026, 10, 13)) == []
    found = run("M702", meeting, other, as_of=D(2026, 10, 14))
    assert len(found) == 1 and "2026-10-13" in found[0].message.zh
    assert found[0].header == "诉求编号" and found[0].value == "健身苑点的健身器材损坏需要更换"


def test_m702_matched_by_content_only():
    meeting = item(2, D(2026, 10, 28), "3号楼楼下电动自行车乱停放")
    same = req(5, D(2026, 10, 30), "3号楼楼下电动自行车乱停放，影响通行")
    assert dice(meeting.values["topic"], same.values["content"]) >= SIMILAR
    assert run("M702", meeting, same) == []


def test_m702_late_registration_counts_but_earlier_requests_do_not():
    meeting = item(2, D(2026, 10, 28), "3号楼楼下电动自行车乱停放")
    late = req(5, D(2026, 11, 20), "3号楼楼下电动自行车乱停放")
    assert run("M702", meeting, late) == []
    earlier = req(6, D(2026, 10, 20), "3号楼楼下电动自行车乱停放")
    found = run("M702", meeting, earlier)
    assert len(found) == 1 and "会后诉求台账中没有找到" in found[0].message.zh


def test_m702_names_a_request_registered_before_the_meeting_as_closest():
    """An identical request registered before the meeting does not count as registered
    (rules.md M702), but it is named — as registered before — and the fix says to check it
    rather than register the item again (a duplicate). On a tie the latest one is named."""
    from toolkit.report.council import open_items
    meeting = item(2, D(2026, 9, 28), "垃圾厢房异味大")
    old = req(14, D(2026, 6, 20), "垃圾厢房异味大")
    earlier = req(67, D(2026, 9, 14), "垃圾厢房异味大")
    weak = req(70, D(2026, 10, 8), "垃圾厢房门坏了")
    [found] = run("M702", meeting, old, earlier, weak)
    assert ("最接近的是会前登记的 SQ-067“垃圾厢房异味大”（2026-09-14，相似度 1.00）："
            "如果是同一件事，把编号填进“诉求编号”") in found.message.zh
    assert "registered before it (2026-09-14" in found.message.en
    assert "不要重复登记" in found.fix.zh and "SQ-067" in found.fix.zh
    [todo] = open_items(council(make_context(meeting, old, earlier, weak)))
    assert "最接近的是会前登记的诉求 SQ-067" in todo["todo"][0]
    # a closer request registered after the meeting is still the one named
    before, after = req(71, D(2026, 9, 1), "厢房垃圾"), req(72, D(2026, 10, 8), "垃圾厢房门坏了")
    assert dice("垃圾厢房异味大", "厢房垃圾") < dice("垃圾厢房异味大", "垃圾厢房门坏了") < SIMILAR
    [found] = run("M702", meeting, before, after)
    assert "SQ-072" in found.message.zh and "会前" not in found.message.zh


def test_m702_names_the_closest_request():
    meeting = item(2, D(2026, 10, 28), "松和苑3号楼电动自行车充电难")
    close = req(7, D(2026, 10, 29), "3号楼电动车没地方充电，希望装充电桩")
    far = req(8, D(2026, 10, 29), "晾衣架损坏")
    assert CLOSEST_MIN <= dice(meeting.values["topic"], close.values["content"]) < SIMILAR
    found = run("M702", meeting, close, far)
    assert len(found) == 1 and "SQ-007" in found[0].message.zh and "SQ-008" not in found[0].message.zh


def test_m702_not_for_linked_or_marked_items_or_without_request_ledger():
    r = req(5, D(2026, 10, 1), "别的内容")
    linked = item(2, D(2026, 10, 28), "楼道堆物", request_id="SQ-005")
    marked = item(3, D(2026, 10, 28), "冬季防火宣传", request_id="通报")
    other = item(4, D(2026, 10, 28), "政策解读", request_id="不涉及")
    assert run("M702", r, linked, marked, other) == []
    assert run("M702", item(2, D(2026, 10, 28), "楼道堆物")) == []        # no request ledger


def test_unknown_request_id_is_d110_not_m702():
    r = req(5, D(2026, 10, 1), "别的内容")
    bad = item(2, D(2026, 10, 28), "楼道堆物", request_id="SQ-999")
    assert run("M702", r, bad) == []
    found = run("D110", r, bad)
    assert len(found) == 1 and found[0].kind == "meetings" and "SQ-999" in found[0].message.zh


def test_no_d110_or_m702_when_the_request_may_be_one_that_could_not_be_read():
    """A request whose 编号 or 登记日期 could not be read (formula without a cached value F007,
    error value F011, unreadable date D102; key in ``invalid``) may be the one an item names or
    raised: no D110, no M702 — nor a 'register it' line in the council sheet."""
    from toolkit.domain.council import UNSURE, council
    from toolkit.report.council import open_items

    r = req(5, D(2026, 10, 1), "别的内容")
    no_id = req(6, D(2026, 10, 29), "别的内容", invalid={"id": "=\"SQ-999\""})
    named = item(2, D(2026, 10, 28), "楼道堆物", request_id="SQ-999")
    assert run("D110", r, no_id, named) == []
    undated = req(7, None, "3号楼楼下电动自行车乱停放，影响通行", invalid={"received": "46350"})
    raised = item(3, D(2026, 10, 28), "3号楼楼下电动自行车乱停放")
    assert run("M702", r, undated, raised) == []
    ctx = make_context(r, undated, raised)
    assert council(ctx).match(raised).state == UNSURE and open_items(council(ctx)) == []
    other = item(4, D(2026, 10, 28), "健身器材损坏需要更换")       # not like the unreadable one
    assert len(run("M702", r, undated, other)) == 1
    no_text = req(8, D(2026, 10, 30), None, invalid={"content": "#REF!"})
    assert run("M702", r, no_text, other) == []           # registered after the meeting
    before = req(8, D(2026, 10, 1), None, invalid={"content": "#REF!"})
    assert len(run("M702", r, before, other)) == 1        # registered before it: not its


def _minutes_workspace(tmp_path, cells):
    """诉求台账 with SQ2026-031, -040, -050 (-031 办结) and minutes of one meeting whose
    诉求编号 cells are ``cells``; read back through the reader."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "登记日期", "来源", "小区", "诉求内容", "状态", "办结日期"])
    ws.append(["SQ2026-031", D(2026, 9, 24), "议事会", "松和苑", "3号楼楼下电动自行车乱停放", "已办结",
               D(2026, 10, 10)])
    ws.append(["SQ2026-040", D(2026, 9, 25), "议事会", "松和苑", "3号楼门口共享单车堆放", "办理中", None])
    ws.append(["SQ2026-050", D(2026, 9, 25), "议事会", "松和苑", "楼道堆物清理", "已办结", D(2026, 10, 9)])
    wb.save(tmp_path / "诉求台账.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["会议日期", "会议名称", "议题", "诉求编号", "议定事项", "落实人", "反馈日期"])
    for i, cell in enumerate(cells):
        cell, what = cell if isinstance(cell, tuple) else (cell, None)
        ws.append([D(2026, 9, 24), "居民议事会", f"议题{i + 1}", cell, what, "物业" if what else None, None])
    wb.save(tmp_path / "议事会记录.xlsx")
    workspace = read_workspace([tmp_path], as_of=D(2026, 11, 23), settings=Settings())
    return make_context(*workspace.ledger("requests"), *workspace.ledger("meetings"))


def test_a_request_id_cell_with_several_ids_or_words_around_them_is_linked(tmp_path):
    from toolkit.domain.council import LINKED, NOT_REQUEST, council
    cells = ["SQ2026-031、SQ2026-040", "SQ2026-050；SQ2026-031", "见SQ2026-031", "参见 SQ2026-040",
             "SQ2026-031, SQ2026-050", "SQ2026-031/SQ2026-040", "不涉及（通报）", "仅通报", "不涉及"]
    ctx = _minutes_workspace(tmp_path, cells)
    index = council(ctx)
    states = [index.match(r).state for r in ctx.ledger("meetings")]
    assert states == [LINKED] * 6 + [NOT_REQUEST] * 3
    assert [q.id for q in index.match(ctx.ledger("meetings")[0]).requests] == ["SQ2026-031", "SQ2026-040"]
    assert [f for code in ("D110", "M702") for fn in RULES[code] for f in fn(ctx)] == []


def test_d110_names_only_the_id_that_is_missing(tmp_path):
    from toolkit.domain.council import UNKNOWN_ID, council
    ctx = _minutes_workspace(tmp_path, ["SQ2026-031、SQ2026-099", "见SQ2026-098", "待登记"])
    found = [f for fn in RULES["D110"] for f in fn(ctx)]
    assert [(f.row, f.column) for f in found] == [(2, "D"), (3, "D"), (4, "D")]
    assert "诉求编号“SQ2026-099”在诉求台账中找不到" in found[0].message.zh
    assert "SQ2026-031" not in found[0].message.zh
    assert "诉求编号“SQ2026-098”" in found[1].message.zh
    assert "诉求编号“待登记”" in found[2].message.zh
    assert council(ctx).match(ctx.ledger("meetings")[0]).state == UNKNOWN_ID


def test_council_sheet_counts_items_linked_by_several_ids(tmp_path):
    from toolkit.domain.council import council
    from toolkit.report.council import meeting_rows
    ctx = _minutes_workspace(tmp_path, [("SQ2026-031、SQ2026-040", "增设停车架"),
                                        ("见SQ2026-050", "清理堆物"), "不涉及（通报）"])
    [row] = meeting_rows(council(ctx))
    assert (row["items"], row["requests"], row["registered"]) == (3, 2, 2)
    # carried out: every request of the cell resolved (SQ2026-040 is not yet)
    assert (row["decisions"], row["done"]) == (2, 1)


# ---------------------------------------------------------------------------------------
# M703, M704

def test_m703_decision_without_owner():
    no_owner = item(2, D(2026, 11, 5), "楼道灯不亮", decision="物业更换灯具")
    owned = item(3, D(2026, 11, 5), "绿化修剪", decision="物业修剪", owner="物业经理")
    talk = item(4, D(2026, 11, 5), "政策通报", request_id="通报")
    found = run("M703", no_owner, owned, talk)
    assert [f.row for f in found] == [2] and found[0].header == "落实人"
    assert run("D101", no_owner) == []


def test_m704_reported_back_at_the_next_meeting():
    done = item(2, D(2026, 10, 28), "楼道灯不亮", decision="物业更换灯具", owner="物业经理",
                feedback_date=D(2026, 11, 25))
    nxt = item(3, D(2026, 11, 25), "下次议题")
    assert run("M704", done, nxt, as_of=D(2026, 12, 20)) == []


def test_m704_fires_after_the_next_meeting_without_feedback():
    open_ = item(2, D(2026, 10, 28), "楼道灯不亮", decision="物业更换灯具", owner="物业经理")
    nxt = item(3, D(2026, 11, 25), "下次议题")
    assert run("M704", open_, nxt, as_of=D(2026, 11, 25)) == []          # at the meeting itself
    found = run("M704", open_, nxt, as_of=D(2026, 11, 26))
    assert len(found) == 1 and "2026-11-25" in found[0].message.zh and "物业经理" in found[0].message.zh
    # a next meeting of another name does not set the deadline
    other = item(3, D(2026, 11, 5), "楼组议题", meeting="楼组议事会")
    assert run("M704", open_, other, as_of=D(2026, 11, 26)) == []        # Oct 28 + 30 = Nov 27
    assert len(run("M704", open_, other, as_of=D(2026, 11, 28))) == 1


def test_m704_late_feedback_is_not_reported():
    late = item(2, D(2026, 10, 28), "楼道灯不亮", decision="物业更换灯具", owner="物业经理",
                feedback_date=D(2026, 12, 1))
    nxt = item(3, D(2026, 11, 25), "下次议题")
    assert run("M704", late, nxt, as_of=D(2026, 12, 20)) == []


def test_m704_feedback_dated_after_the_as_of_date_is_not_given_yet():
    """A 反馈日期 after the as-of day has not happened: M704 fires, saying what is written, and
    the 议事会 sheet counts the decision as not reported back, an open item (no D103: rules.md
    lists no 反馈日期 among its dates)."""
    from toolkit.report.council import meeting_rows, open_items
    ahead = item(2, D(2026, 8, 12), "电动车乱停", decision="划定停放区", owner="物业经理",
                 feedback_date=D(2026, 12, 9))
    nxt = item(3, D(2026, 9, 9), "下次议题", request_id="通报")
    [found] = run("M704", ahead, nxt)
    assert "反馈日期写的是 2026-12-09，晚于检查日期，还没有反馈" in found.message.zh
    assert "after the as-of date" in found.message.en
    ctx = make_context(ahead, nxt)
    rows = meeting_rows(council(ctx))
    assert [(r["decisions"], r["fed_back"], r["done"]) for r in rows] == [(1, 0, 0), (0, 0, 0)]
    assert [o["record"].row for o in open_items(council(ctx))] == [2]
    assert run("D103", ahead, nxt) == []
    # on the day itself it is given
    assert run("M704", ahead, nxt, as_of=D(2026, 12, 9)) == []


def test_m704_feedback_dated_before_the_meeting_is_not_feedback_on_it():
    """A 反馈日期 before the meeting's own 会议日期 (a typo: 10-05 for 11-05, a year slip) cannot
    be feedback on that decision: M704 as if it were empty, its message and fix saying the
    written date is before the meeting; not 已反馈 (nor 已落实) on the 议事会 sheet, an open item,
    and not counted by MTG_FEEDBACK_RATE."""
    from toolkit.report.council import meeting_rows, open_items
    from toolkit.report.indicators import as_map, compute_indicators
    early = item(2, D(2026, 10, 14), "电动车乱停", decision="划定停放区", owner="物业经理",
                 request_id="不涉及", feedback_date=D(2026, 9, 14))                     # month slip for 2026-11-14
    nxt = item(3, D(2026, 11, 11), "下次议题", request_id="通报")
    [found] = run("M704", early, nxt)
    assert found.message.variant == "next_owner_early" and found.row == 2 and found.header == "反馈日期"
    assert "反馈日期写的是 2026-09-14，早于会议日期（2026-10-14）" in found.message.zh
    assert "before the meeting (2026-10-14)" in found.message.en
    assert "核对" in found.fix.zh and "反馈日期" in found.fix.zh and "check" in found.fix.en
    assert run("M704", early, nxt, as_of=D(2026, 11, 11)) == []     # like an empty cell: not due yet
    ctx = make_context(early, nxt)
    rows = meeting_rows(council(ctx))
    assert [(r["decisions"], r["fed_back"], r["done"]) for r in rows] == [(1, 0, 0), (0, 0, 0)]
    [todo] = open_items(council(ctx))
    assert todo["record"].row == 2 and todo["todo"] == [
        "反馈日期早于会议日期，请核对；未反馈的向居民通报落实情况，填写反馈日期"]
    got = as_map(compute_indicators(ctx, [], period_start=D(2026, 11, 1), period_end=D(2026, 11, 30)))
    fed = got["MTG_FEEDBACK_RATE"]
    assert (fed.numerator, fed.denominator) == (0, 1)
    # without a next meeting: the 30-day variant, no owner
    alone = item(2, D(2026, 10, 14), "电动车乱停", decision="划定停放区", feedback_date=D(2025, 11, 14))
    [found] = run("M704", alone)
    assert found.message.variant == "later_early" and "2025-11-14" in found.message.zh


def test_m704_feedback_on_the_meeting_day_itself_counts():
    """Feedback given at the meeting itself (a 通报 item reported on the day) is real: counted as
    fed back, no M704, 已反馈 on the 议事会 sheet and in MTG_FEEDBACK_RATE."""
    from toolkit.report.council import meeting_rows, open_items
    from toolkit.report.indicators import as_map, compute_indicators
    same = item(2, D(2026, 10, 14), "电动车乱停", decision="划定停放区", owner="物业经理",
                request_id="不涉及", feedback_date=D(2026, 10, 14))
    nxt = item(3, D(2026, 11, 11), "下次议题", request_id="通报")
    assert run("M704", same, nxt) == []
    ctx = make_context(same, nxt)
    assert [r["fed_back"] for r in meeting_rows(council(ctx))] == [1, 0]
    assert open_items(council(ctx)) == []
    got = as_map(compute_indicators(ctx, [], period_start=D(2026, 11, 1), period_end=D(2026, 11, 30)))
    assert (got["MTG_FEEDBACK_RATE"].numerator, got["MTG_FEEDBACK_RATE"].denominator) == (1, 1)


# ---------------------------------------------------------------------------------------
# C312

def elder(row=2, **values):
    base = dict(id="LR-001", name="张秀英", estate="松和苑", address="12号301室", lives_alone=True,
                birth=D(1940, 1, 1))
    return make_record("elderly", row, **{**base, **values})


def visit(row, day, issue, **values):
    base = dict(elderly_id="LR-001", volunteer="ZY-001", service=("巡访",), outcome="正常")
    return make_record("visits", row, date=day, issue=issue, **{**base, **values})


def test_action_words():
    assert action_words("楼道灯不亮，扶手松动") == [("维修", "不亮"), ("安全", "扶手")]
    assert action_words("无安全隐患，老人精神好") == []
    assert action_words("身体不错") == []


def test_c312_fires_without_a_request_from_resident_or_address():
    v = visit(5, D(2026, 11, 2), "厨房水管漏水")
    other = req(9, D(2026, 11, 3), "别人的事", resident="李四", address="5号101室")
    found = run("C312", elder(), v, other)
    assert len(found) == 1 and found[0].kind == "visits" and found[0].header == "发现问题"
    assert "漏水" in found[0].message.zh and "张秀英" in found[0].message.zh


@pytest.mark.parametrize("values", [dict(resident="张秀英"), dict(address="12号301"),
                                    dict(address="12号 301室")])
def test_c312_not_when_resident_or_address_registered(values):
    v = visit(5, D(2026, 11, 2), "厨房水管漏水")
    r = req(9, D(2026, 11, 4), "厨房漏水", **values)
    assert run("C312", elder(), v, r) == []


def test_c312_window_recency_negation_and_no_ledger():
    v = visit(5, D(2026, 11, 2), "厨房水管漏水")
    too_late = req(9, D(2026, 11, 20), "厨房漏水", resident="张秀英")     # > 5 working days after
    assert len(run("C312", elder(), v, too_late)) == 1
    fresh = visit(6, D(2026, 11, 19), "楼道堆物")                          # 5 working days not yet over
    assert run("C312", elder(), fresh, too_late) == []
    old = visit(7, D(2026, 9, 1), "楼道堆物")                              # beyond the 30-day look-back
    assert run("C312", elder(), old, too_late) == []
    calm = visit(8, D(2026, 11, 2), "无安全隐患")
    assert run("C312", elder(), calm, too_late) == []
    assert run("C312", elder(), v) == []                                   # no request ledger


# ---------------------------------------------------------------------------------------
# reading minutes written once per meeting

def test_minutes_continue_date_name_and_attendees(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2026年"
    ws.append(["会议日期", "会议名称", "参会人员", "议题", "诉求编号", "议定事项", "落实人", "反馈日期"])
    ws.append(["2026-10-28", "", "网格长、楼组长", "楼道灯不亮", "", "物业更换灯具", "物业经理", ""])
    ws.append([None, None, None, "电动车乱停", "", "", "", ""])
    ws.append([None, None, None, "政策解读", "通报", "", "", ""])
    ws.append(["2026-11-05", "楼组议事会", "楼组长", "晾衣架", "", "", "", ""])
    ws.append([None, None, None, "绿化", "", "", "", ""])
    ws.append(["2026-13-40", "", "", "日期写错的会", "", "", "", ""])
    ws.append([None, None, None, "其下的议题", "", "", "", ""])
    ws.merge_cells("A2:A4")
    wb.save(tmp_path / "议事会.xlsx")
    workspace = read_workspace([tmp_path], as_of=D(2026, 11, 23), settings=Settings())
    rows = workspace.ledger("meetings")
    assert [r.values["date"] for r in rows[:5]] == [D(2026, 10, 28)] * 3 + [D(2026, 11, 5)] * 2
    assert [r.values["meeting"] for r in rows[:5]] == ["居民议事会"] * 3 + ["楼组议事会"] * 2
    assert rows[1].values["attendees"] == rows[0].values["attendees"]
    assert rows[6].values["date"] is None and "date" in rows[6].invalid
    codes = sorted(f.code for f in workspace.findings if f.kind == "meetings")
    assert codes == ["D102", "D112"]
    d112 = next(f for f in workspace.findings if f.code == "D112" and f.kind == "meetings")
    # the merged A2:A4 is filled in by the reader; only row 6's empty cell continues
    assert "1 个空格沿用了上一行的会议日期" in d112.message.zh and d112.row == 6
    ctx = make_context(*rows, as_of=D(2026, 11, 23))
    assert [f for fn in RULES["D101"] for f in fn(ctx)] == []


def test_a_meeting_date_with_a_part_of_the_day_is_that_date(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["会议时间", "会议类型", "议事内容", "关联诉求"])
    ws.append(["2026年9月24日 14:00", "居民议事会", "3号楼电动自行车乱停放", "通报"])
    ws.append(["2026年10月28日下午", "居民议事会", "通报四季度计划", "通报"])
    ws.append(["2026.11.5 下午2点", "居民议事会", "通报年终总结", "通报"])
    wb.save(tmp_path / "议事会.xlsx")
    workspace = read_workspace([tmp_path], as_of=D(2026, 11, 23), settings=Settings())
    rows = workspace.ledger("meetings")
    assert [r.values["date"] for r in rows] == [D(2026, 9, 24), D(2026, 10, 28), D(2026, 11, 5)]
    codes = [f.code for f in workspace.findings if f.kind == "meetings"]
    assert codes == ["D112"]                       # one summary, no D102
    ctx = make_context(*rows, as_of=D(2026, 11, 23))
    assert [f for fn in RULES["M701"] for f in fn(ctx)] == []       # October's meeting counts


# ---------------------------------------------------------------------------------------
# follow-ups: 议事会落实 (type council) for the 记录人, else the 值班人员

def _council_orders(settings, as_of=D(2026, 11, 26)):
    from toolkit.assign import solver
    from toolkit.assign.followups import make_followups
    from toolkit.check import run_rules
    minutes = [item(2, D(2026, 10, 28), "3号楼楼下电动自行车乱停放"),
               item(3, D(2026, 10, 28), "楼道灯不亮", decision="物业更换灯具", request_id="不涉及"),
               item(4, D(2026, 11, 25), "绿化修剪", decision="物业修剪", owner="物业经理")]
    other = req(9, D(2026, 9, 1), "别的事")
    ctx = make_context(*minutes, other, as_of=as_of, settings=settings)
    findings = run_rules(ctx, only={"M701", "M702", "M703", "M704"})
    assert sorted(f.code for f in findings) == ["M702", "M703", "M704"]
    return solver.assign(ctx, make_followups(ctx, findings))


def test_council_findings_make_one_work_order_per_meeting_for_the_recorder():
    orders = _council_orders(Settings(council_recorder="陈秘书"))
    assert len(orders) == 1
    fu = orders[0]
    assert (fu.type, fu.kind, fu.target, fu.codes) == ("council", "meetings", "2026-10-28 居民议事会",
                                                       ["M702", "M703", "M704"])
    assert fu.assignee == "陈秘书" and fu.planned == D(2026, 11, 26)
    lines = fu.reason.zh.splitlines()
    assert len(lines) == 3 and lines[0].startswith("1. 第2行") and "3号楼楼下电动自行车乱停放" in lines[0]
    assert fu.to_dict()["type"] == "council"


def test_council_work_order_goes_to_duty_staff_without_a_recorder():
    from toolkit.settings import DutyStaff
    orders = _council_orders(Settings(duty=(DutyStaff("王值班", "13800000000", frozenset({3})),)))
    assert orders[0].assignee == "王值班" and orders[0].planned == D(2026, 11, 26)   # a Thursday
    unassigned = _council_orders(Settings())
    assert unassigned[0].assignee is None and "值班人员" in unassigned[0].unassigned_reason.zh


# ---------------------------------------------------------------------------------------
# indicators MTG_* (numerators and denominators kept; nothing without minutes)

def test_council_indicators_for_a_month():
    from toolkit.report.indicators import as_map, compute_indicators
    minutes = [
        item(2, D(2026, 10, 14), "楼道灯不亮", decision="物业更换灯具", owner="物业经理",
             feedback_date=D(2026, 11, 11)),                          # due Nov 11, fed back
        item(3, D(2026, 10, 14), "绿化修剪", decision="物业修剪", owner="物业经理"),   # due Nov 11, not
        item(4, D(2026, 11, 11), "3号楼楼下电动自行车乱停放"),          # matched by content
        item(5, D(2026, 11, 11), "地下车库渗水"),                       # past the limit, unregistered
        item(6, D(2026, 11, 11), "冬季防火宣传", request_id="通报"),    # not a request
        item(7, D(2026, 11, 20), "健身器材损坏"),                       # still inside its 5 days
    ]
    requests = [req(20, D(2026, 11, 12), "3号楼楼下电动自行车乱停放，影响通行")]
    ctx = make_context(*minutes, *requests, as_of=D(2026, 11, 23))
    got = as_map(compute_indicators(ctx, [], period_start=D(2026, 11, 1), period_end=D(2026, 11, 30)))
    assert got["MTG_MEETINGS"].value == 2 and got["MTG_ITEMS"].value == 4
    rate = got["MTG_TO_REQUEST_RATE"]
    assert (rate.numerator, rate.denominator, rate.value) == (1, 2, 0.5)
    fed = got["MTG_FEEDBACK_RATE"]
    assert (fed.numerator, fed.denominator, fed.value) == (1, 2, 0.5)
    without = as_map(compute_indicators(make_context(*requests, as_of=D(2026, 11, 23)), [],
                                        period_start=D(2026, 11, 1), period_end=D(2026, 11, 30)))
    assert not any(code.startswith("MTG_") for code in without)


def test_merge_adds_council_counts_not_rates():
    from toolkit.report.indicators import indicator
    from toolkit.report.merge import merge_totals

    class Report:
        def __init__(self, *indicators):
            self.indicators = list(indicators)
    a = Report(indicator("MTG_MEETINGS", 1), indicator("MTG_TO_REQUEST_RATE", 3, 4))
    b = Report(indicator("MTG_MEETINGS", 2), indicator("MTG_TO_REQUEST_RATE", 1, 1))
    c = Report(indicator("REQ_RECEIVED", 5))                           # no minutes: adds nothing
    totals = {i.code: i for i in merge_totals([a, b, c])}
    assert totals["MTG_MEETINGS"].value == 3
    rate = totals["MTG_TO_REQUEST_RATE"]
    assert (rate.numerator, rate.denominator, rate.value) == (4, 5, 0.8)


def test_a_council_work_order_names_the_sheet_when_the_minutes_have_one_a_month():
    """Every month's sheet has a 第3行: with the minutes on several sheets the work order's lines
    say which sheet; with one sheet they stay 第N行."""
    from toolkit.assign.followups import make_followups
    from toolkit.check import run_rules
    from toolkit.model import Source
    august = item(3, D(2026, 10, 28), "3号楼楼下电动自行车乱停放")
    august.sheet = "2026年10月"
    ctx = make_context(august, req(9, D(2026, 9, 1), "别的事"), as_of=D(2026, 11, 26),
                       settings=Settings(council_recorder="陈秘书"))
    ctx.workspace.sources += [Source("议事会记录.xlsx", "2026年10月", "meetings", 2, 3),
                              Source("议事会记录.xlsx", "2026年9月", "meetings", 2, 3)]
    findings = run_rules(ctx, only={"M702"})
    [fu] = make_followups(ctx, findings)
    assert fu.reason.zh.startswith("1. 「2026年10月」第3行") and "'2026年10月' row 3" in fu.reason.en
    ctx.workspace.sources = ctx.workspace.sources[:1]
    [fu] = make_followups(ctx, findings)
    assert fu.reason.zh.startswith("1. 第3行")


def test_a_meeting_dated_after_the_check_date_is_not_held_on_the_council_sheet():
    """An agenda typed in ahead (D103 on its date): no row of held meetings, no open item."""
    from toolkit.domain.council import council
    from toolkit.report.council import meeting_rows, open_items
    held = item(2, D(2026, 11, 5), "楼道灯不亮", decision="物业更换灯具", owner="物业经理")
    ahead = item(3, D(2026, 12, 9), "绿化修剪", decision="物业修剪")
    index = council(make_context(held, ahead, as_of=D(2026, 11, 23)))
    assert [r["meeting"].day for r in meeting_rows(index)] == [D(2026, 11, 5)]
    assert all(o["meeting"].day == D(2026, 11, 5) for o in open_items(index))


def test_the_sheets_items_to_register_wait_for_their_deadline_like_the_indicator():
    """An item raised 11-20 may still be registered until its 登记时限: the 议事会 sheet's
    应登记为诉求 does not count it yet (MTG_TO_REQUEST_RATE's denominator does not either)."""
    from toolkit.domain.council import council
    from toolkit.report.council import meeting_rows
    recent = item(2, D(2026, 11, 20), "楼道灯不亮")
    old = item(3, D(2026, 10, 28), "绿化修剪")
    rows = meeting_rows(council(make_context(recent, old, as_of=D(2026, 11, 23))))
    counts = {r["meeting"].day: (r["requests"], r["registered"]) for r in rows}
    assert counts == {D(2026, 10, 28): (1, 0), D(2026, 11, 20): (0, 0)}
