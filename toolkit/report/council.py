"""The 议事会 sheet of 周检查报告.xlsx: each meeting with its counts (议题, registered as
requests, decisions, carried out, reported back), then every open item by meeting — what to
register, whom to name, what to report back — ready to read out at the next meeting.

Written only when a meetings ledger was read. Counts:

- 已登记为诉求: items linked by 诉求编号 or matched by content (``CouncilIndex.match``);
  items marked 不涉及/通报 are not requests and are not counted as missing either; nor are
  items that may be a request whose 编号/登记日期/诉求内容 could not be read (``UNSURE``: the
  count would guess), and they are no open item to register;
- 已落实: decisions whose requests (linked — every id of the cell — or matched) have an 办结日期, or — for a decision not
  tied to a request — that have a 反馈日期;
- 已反馈: decisions with a 反馈日期 on or before the as-of date (a later one has not happened
  yet: the decision is still open, to report back).
"""
from __future__ import annotations

from datetime import date

from toolkit.domain.council import (LINKED, MATCHED, NOT_REQUEST, UNKNOWN_ID, UNSURE,
                                    CouncilIndex, council, decision, fed_back, feedback_before,
                                    topic, usable)
from toolkit.report.writer import fit_row, print_setup, set_widths, write_row
from toolkit.schema import label

__all__ = ["council_sheet", "meeting_rows", "open_items", "T"]

# columns: 会议日期, 会议名称, 行/议题数, 定位/应登记, 议题/已登记, 诉求编号/议定事项, 落实人/已落实,
# 议定事项/已反馈, 要做的事/待办, 期限, 已超期 (the two tables share the columns)
WIDTHS = (12, 12, 7, 13, 28, 12, 10, 26, 32, 11, 7)
MAX_LINKS = 60000             # Excel's limit is 65,530 hyperlinks per sheet

T = {
    "sheet": ("议事会", "Council"),
    "title": ("居民议事会落实情况", "Resident council follow-through"),
    "as_of": ("截至", "as of"),
    "meetings": ("一、历次会议", "1. Meetings"),
    "open": ("二、待办议题（按会议，可在下次议事会上逐条通报）",
             "2. Open items by meeting (to read out at the next meeting)"),
    "date": ("会议日期", "date"), "name": ("会议名称", "meeting"), "items": ("议题数", "items"),
    "requests": ("应登记为诉求", "requests expected"),
    "registered": ("已登记为诉求", "registered as requests"),
    "decisions": ("议定事项", "decisions"), "done": ("已落实", "carried out"),
    "fed_back": ("已反馈", "reported back"), "pending": ("待办", "open"),
    "total": ("合计", "total"), "link": ("打开", "open"), "go": ("定位", "go to"),
    "row": ("行", "row"), "topic": ("议题", "item"), "request": ("诉求编号", "request"),
    "decision": ("议定事项", "decision"), "owner": ("落实人", "owner"),
    "todo": ("要做的事", "to do"), "deadline": ("期限", "due"), "overdue": ("已超期", "overdue"),
    "yes": ("是", "yes"), "none": ("无待办议题", "no open items"),
    "register": ("登记为诉求，并把编号填回议事会记录", "register it as a request and write the id back"),
    "closest": ("最接近的诉求", "closest request"),
    "closest_before": ("最接近的是会前登记的诉求", "closest request, registered before the meeting"),
    "bad_id": ("诉求编号在诉求台账中找不到，请核对", "the request id is not in the request ledger: check it"),
    "name_owner": ("补填落实人", "name the owner"),
    "report_back": ("向居民通报落实情况，填写反馈日期", "report back to residents and fill in 反馈日期"),
    "report_back_early": ("反馈日期早于会议日期，请核对；未反馈的向居民通报落实情况，填写反馈日期",
                          "the 反馈日期 is before the meeting: check it; if not reported back, report "
                          "back to residents and fill in 反馈日期"),
}


def _w(key: str, lang: str) -> str:
    return label(T[key], lang)


def meeting_rows(index: CouncilIndex) -> list[dict]:
    """Per meeting held by the as-of date (an agenda typed ahead is no meeting yet: D103 says
    so): date, name and the counts of the module docstring."""
    out = []
    for m in index.meetings:
        if m.day > index.as_of:
            continue
        counts = dict(items=0, requests=0, registered=0, decisions=0, done=0, fed_back=0)
        for r in m.items:
            counts["items"] += 1
            match = index.match(r)
            done = match.state in (LINKED, MATCHED)
            # 应登记: registered, or its 登记时限 has passed (MTG_TO_REQUEST_RATE's denominator);
            # an item still within its time to register is not counted yet
            if match.state not in (NOT_REQUEST, UNSURE) and (
                    done or index.registration_deadline(m) < index.as_of):
                counts["requests"] += 1
                counts["registered"] += done
            if not decision(r):
                continue
            counts["decisions"] += 1
            fed = fed_back(r, index.as_of)     # a 反馈日期 after as-of has not happened yet
            counts["fed_back"] += fed
            requests = match.requests if match.state == LINKED else \
                (match.request,) if match.state == MATCHED else ()
            if requests:
                counts["done"] += all(isinstance(usable(q, "resolved"), date) for q in requests)
            else:
                counts["done"] += fed
        out.append({"meeting": m, **counts})
    return out


def open_items(index: CouncilIndex, lang: str = "zh") -> list[dict]:
    """Every item with something left to do: not registered (with the closest request),
    an unknown 诉求编号, a decision without 落实人, a decision not reported back — with its
    deadline and whether that has passed."""
    as_of = index.as_of
    out = []
    for m, r in index.items():
        if m.day > as_of:                  # not held yet: nothing to do about it
            continue
        todo: list[tuple[str, date | None]] = []
        match = index.match(r)
        if match.state == UNKNOWN_ID:
            todo.append((_w("bad_id", lang), None))
        elif match.state not in (LINKED, MATCHED, NOT_REQUEST, UNSURE) and topic(r):
            text = _w("register", lang)
            if match.request is not None:
                word = _w("closest_before" if match.earlier else "closest", lang)
                text += f"（{word} {match.request.id or ''}）" if lang != "en" else \
                    f" ({word} {match.request.id or ''})"
            todo.append((text, index.registration_deadline(m)))
        if decision(r):
            if usable(r, "owner") in (None, "") and "owner" not in r.invalid:
                todo.append((_w("name_owner", lang), None))
            if not fed_back(r, as_of) and "feedback_date" not in r.invalid:
                early = feedback_before(r) is not None     # a typo or another matter's date
                todo.append((_w("report_back_early" if early else "report_back", lang),
                             m.feedback_deadline()))
        if not todo:
            continue
        deadlines = [d for _, d in todo if d is not None]
        deadline = min(deadlines) if deadlines else None
        out.append({"meeting": m, "record": r, "todo": [t for t, _ in todo], "deadline": deadline,
                    "overdue": deadline is not None and deadline < as_of})
    return out


def council_sheet(workbook, fmt: dict, ctx, link_base: str, lang: str, link) -> None:
    """Add the 议事会 sheet (nothing when no minutes were read). ``link(record, key)`` gives a
    record's hyperlink (the staff report's)."""
    if not ctx.ledger("meetings") and not any(s.kind == "meetings" for s in ctx.workspace.sources):
        return
    index = council(ctx)
    sheet = workbook.add_worksheet(_w("sheet", lang))
    widths = set_widths(sheet, WIDTHS)
    print_setup(sheet, committee=ctx.settings.committee, as_of=ctx.as_of, lang=lang, repeat=None)
    last_col = len(WIDTHS) - 1
    title = f"{ctx.settings.committee}{_w('title', lang)}（{_w('as_of', lang)} {ctx.as_of.isoformat()}）"
    sheet.merge_range(0, 0, 0, last_col, title.strip(), fmt["title"])
    fit_row(sheet, 0, (), widths, spans=[(title, sum(WIDTHS))], font_size=14)
    row = 2
    sheet.write_string(row, 0, _w("meetings", lang), fmt["section"])
    row += 1
    keys = ("date", "name", "items", "requests", "registered", "decisions", "done", "fed_back",
            "pending")
    header = [_w(k, lang) for k in keys]
    write_row(sheet, row, header, fmt["head"])
    fit_row(sheet, row, header, widths)
    pending: dict[int, int] = {}
    items = open_items(index, lang)
    for item in items:
        pending[id(item["meeting"])] = pending.get(id(item["meeting"]), 0) + 1
    rows = meeting_rows(index)
    totals = dict.fromkeys(("items", "requests", "registered", "decisions", "done", "fed_back"), 0)
    for entry in rows:
        row += 1
        m = entry["meeting"]
        for k in totals:
            totals[k] += entry[k]
        values = [m.day, m.name, entry["items"], entry["requests"], entry["registered"],
                  entry["decisions"], entry["done"], entry["fed_back"], pending.get(id(m), 0)]
        write_row(sheet, row, values, fmt["cell"], fmt["cell_date"])
        fit_row(sheet, row, values, widths)
    row += 1
    write_row(sheet, row, [_w("total", lang), len(rows), totals["items"], totals["requests"],
                           totals["registered"], totals["decisions"], totals["done"],
                           totals["fed_back"], len(items)], fmt["head"])
    row += 2
    sheet.write_string(row, 0, _w("open", lang), fmt["section"])
    row += 1
    head = ("date", "name", "row", "go", "topic", "request", "owner", "decision", "todo",
            "deadline", "overdue")
    header = [_w(k, lang) for k in head]
    write_row(sheet, row, header, fmt["head"])
    fit_row(sheet, row, header, widths)
    if not items:
        sheet.write_string(row + 1, 0, _w("none", lang), fmt["cell"])
    counter = [0]
    sep = "；" if lang != "en" else "; "
    for item in items:
        row += 1
        r, m = item["record"], item["meeting"]
        style, dstyle = (fmt["late"], fmt["late_date"]) if item["overdue"] else (fmt["cell"], fmt["cell_date"])
        write_row(sheet, row, [m.day, m.name, r.row], style, dstyle)
        url = link(r, "topic")
        if url and counter[0] < MAX_LINKS:
            counter[0] += 1
            sheet.write_url(row, 3, url, fmt["link"], string=_w("link", lang))
        else:
            sheet.write_blank(row, 3, None, style)
        values = [topic(r), _text(usable(r, "request_id")), _text(usable(r, "owner")),
                  decision(r), sep.join(item["todo"]), item["deadline"],
                  _w("yes", lang) if item["overdue"] else ""]
        write_row(sheet, row, values, style, dstyle, first_col=4)
        fit_row(sheet, row, [m.day, m.name, r.row, _w("link", lang)] + values, widths)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
