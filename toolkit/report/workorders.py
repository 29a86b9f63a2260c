"""跟进派单.xlsx — printable work orders, one sheet per person.

Sheets: 总表 (every follow-up), one sheet per assignee (volunteer or staff) with who to see,
address, phone, what to do and why, the planned and due dates and empty columns for the
result (巡访情况, 血压, 备注 — typed into the visit log afterwards), and 未能派单 with the
reason each follow-up could not be assigned. Names and phones are in full: this file stays
with the committee's staff and volunteers (the town-office report is the masked one).

A4 landscape, fit to width, header row repeated on every page, page numbers in the footer.
Every text cell is written as a string (IDs, phones never become numbers or formulas).
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

from toolkit import schema
from toolkit.domain.names import norm
from toolkit.model import FollowUp, Record, Text
from toolkit.report.instructions import instruction
from toolkit.report.writer import (AMBER, GREY, RED, fit_row, print_setup, set_widths, write_row,
                                   write_workbook)
from toolkit.schema import label

__all__ = ["write_work_orders", "format_followups", "repeat_text", "sheet_name", "SUMMARY_SHEET",
           "UNASSIGNED_SHEET"]

SUMMARY_SHEET = ("总表", "All")
UNASSIGNED_SHEET = schema.UNASSIGNED_LABEL
TITLE = ("跟进派单", "Work orders")
WORDS = {
    "id": ("派单编号", "No."), "priority": ("优先级", "Priority"), "type": ("事项", "Task"),
    "target": ("对象编号", "Target"), "who": ("对象", "Who"), "estate": ("小区", "Estate"),
    "address": ("地址", "Address"), "phone": ("电话", "Phone"), "todo": ("要做什么", "To do"),
    "why": ("原因", "Why"), "planned": ("计划日期", "Planned"), "due": ("截止日期", "Due"),
    "assignee": ("负责人", "Assigned to"), "assignee_id": ("负责人编号", "Assignee ID"),
    "reason": ("未能派单原因", "Why unassigned"), "remark": ("备注", "Remarks"),
    "as_of": ("检查日期", "As of"),
    "emergency": ("紧急联系人", "emergency contact"), "count": ("共 {n} 项", "{n} items"),
    "none": ("（无）", "(none)"),
}
# result columns named as in the visit log, so results can be typed straight into it
RESULT_HEADERS = (schema.VISITS.column("outcome"), schema.VISITS.column("blood_pressure"))
INVALID_SHEET_CHARS = set('[]:*?/\\')
PRIORITY_FILL = {"urgent": RED, "high": AMBER}
WRITE_HEIGHT = 36           # person sheets: room to write the result by hand


def write_work_orders(path: Path, followups: Iterable[FollowUp], ctx, *, lang: str = "zh") -> Path:
    """Write 跟进派单.xlsx for ``followups`` (as made by ``plan_followups``)."""
    items = sorted(followups, key=lambda f: f.id)
    people = _people(items)
    lookup = _Lookup(ctx)

    def build(workbook) -> None:
        fmt = _formats(workbook)
        used: set[str] = set()
        _summary_sheet(workbook, fmt, items, lookup, ctx, lang, used)
        for key, mine in people:
            _person_sheet(workbook, fmt, key, mine, lookup, ctx, lang, used)
        _unassigned_sheet(workbook, fmt, [f for f in items if not f.assignee], lookup, ctx,
                          lang, used)

    title = f"{ctx.settings.committee}{label(TITLE, lang)} {ctx.as_of.isoformat()}".strip()
    return write_workbook(Path(path), build, as_of=ctx.as_of, title=title, output=True)


def format_followups(followups: Iterable[FollowUp], lang: str = "zh") -> str:
    """Terminal lines, one per follow-up: id, priority, task, target → who and when, or why not."""
    lines = []
    for f in sorted(followups, key=lambda f: f.id):
        opening, closing = ("（", "）") if lang != "en" else (" (", ")")
        head = (f"{f.id} {_priority(f, lang)} {label(schema.FOLLOWUP_LABELS[f.type], lang)}"
                f"{opening + f.skill + closing if f.type == 'service' and f.skill else ''} {f.target}")
        if f.assignee:
            who = f.assignee_name if f.assignee_name == f.assignee else \
                f"{f.assignee_name}{opening}{f.assignee}{closing}"
            # the findings above it may name the paired volunteer (C301/C302/C311 "安排结对志愿者…"):
            # when someone else goes, the line says why, as the work order does
            why = f"{opening}{f.instead.get(lang)}{closing}" if f.instead is not None else ""
            lines.append(f"  {head} → {who} {f.planned.isoformat() if f.planned else ''}{why}")
        else:
            reason = f.unassigned_reason.get(lang) if f.unassigned_reason else ""
            lines.append(f"  {head} → {label(schema.UNASSIGNED_LABEL, lang)}：{reason}" if lang != "en"
                         else f"  {head} → {label(schema.UNASSIGNED_LABEL, lang)}: {reason}")
    return "\n".join(lines) + ("\n" if lines else "")


def sheet_name(wanted: str, used: set[str]) -> str:
    """An Excel-safe, unique sheet name: no []:*?/\\, no leading/trailing ', ≤ 31 chars,
    unique ignoring case (``used`` holds lower-cased names already taken and is updated)."""
    clean = "".join("_" if ch in INVALID_SHEET_CHARS or ord(ch) < 32 else ch for ch in wanted)
    clean = clean.strip().strip("'").strip() or "Sheet"
    if clean.lower() == "history":          # reserved by Excel
        clean = f"{clean}_"
    name, n = clean[:31], 1
    while name.lower() in used:
        n += 1
        suffix = f"~{n}"
        name = clean[:31 - len(suffix)] + suffix
    used.add(name.lower())
    return name


# ---------------------------------------------------------------------------------------
class _Lookup:
    """Who a follow-up is about (resident or request) and who does it."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.care = ctx.care
        self.settings = ctx.settings
        self.staff_phone = {s.name: s.phone for s in ctx.settings.duty}

    def target(self, fu: FollowUp) -> Record | None:
        return self.ctx.resolve(fu.ref)

    def who(self, fu: FollowUp) -> str:
        rec = self.target(fu)
        if rec is None:
            return ""
        if fu.kind == "requests":
            return _text(rec.get("resident"))
        if rec.kind == "services":            # P803 for someone not on the elderly ledger
            return _text(rec.get("elderly_name"))
        return _text(rec.get("name"))

    def address(self, fu: FollowUp) -> str:
        rec = self.target(fu)
        return _text(rec.get("address")) if rec is not None else ""

    def phone(self, fu: FollowUp, lang: str) -> str:
        rec = self.target(fu)
        if rec is None:
            return ""
        parts = [_text(rec.get("phone"))]
        if fu.kind == "elderly" and (rec.get("emergency_contact") or rec.get("emergency_phone")):
            contact = " ".join(x for x in (_text(rec.get("emergency_contact")),
                                           _text(rec.get("emergency_phone"))) if x)
            parts.append(f"{label(WORDS['emergency'], lang)}：{contact}" if lang != "en"
                         else f"{label(WORDS['emergency'], lang)}: {contact}")
        return "\n".join(p for p in parts if p)

    def person(self, key: str, name: str) -> tuple[str, str]:
        """(display name, phone) of an assignee: a volunteer, a 值班人员 or a 责任人."""
        vol = self.care.volunteer_by_id.get(norm(key))
        if vol is not None:
            return _text(vol.get("name")) or key, _text(vol.get("phone"))
        return name or key, self.staff_phone.get(name or key, "")


def _people(items: list[FollowUp]) -> list[tuple[str, list[FollowUp]]]:
    by: dict[str, list[FollowUp]] = {}
    for f in items:
        if f.assignee:
            by.setdefault(f.assignee, []).append(f)
    order = sorted(by, key=lambda k: (norm(k), k))
    return [(k, sorted(by[k], key=lambda f: (f.planned or date.max, f.id))) for k in order]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return "、".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _todo(fu: FollowUp, lookup: "_Lookup", lang: str = "zh", you: bool = False) -> str:
    """What the assignee does: made from the follow-up and its assignee, never from a fix.
    A repeat of last week's order says so first (``you``: on the assignee's own sheet)."""
    text = instruction(fu, lookup.target(fu), lookup.settings)
    if fu.note is not None and fu.type != "safety_check":
        text += "\n" + fu.note.zh
    if fu.repeat is not None:
        text = repeat_text(fu, lang, you=you) + "\n" + text
    return text


def repeat_text(fu: FollowUp, lang: str = "zh", *, you: bool = False) -> str:
    """"上周（2026-W47）已派给曹玲（计划2026-11-17），台账里还没有完成的记录": the order was made
    last week too (``FollowUp.repeat``, weekly only). ``you``: said to this week's assignee
    ("已派给您", "本周改派您"); else to a coordinator, naming both."""
    r = fu.repeat
    if r is None:
        return ""
    when = Text(f"上周（{r.previous}）", f"last week ({r.previous})") if r.adjacent \
        else Text(f"上次（{r.previous}）", f"last time ({r.previous})")
    day = r.planned.isoformat() if r.planned is not None else None
    plan = Text(f"（计划{day}）", f" (planned {day})") if day else Text("", "")
    who = r.assignee_name or r.assignee
    then = Text((who or "他人") + plan.zh, (who or "someone else") + plan.en)
    now = fu.assignee_name or fu.assignee
    same = r.assigned and r.assignee is not None and r.assignee == fu.assignee
    streak = Text("", "") if r.times < 3 else \
        Text(f"（连续第{r.times}周）", f" (week {r.times} in a row)") if r.weeks else \
        Text(f"（连续第{r.times}次，{r.since}起）", f" (time {r.times} in a row, since {r.since})")
    if not r.assigned:
        text = Text(f"{when.zh}已列出，未能派单；台账里还没有完成的记录",
                    f"Listed {when.en} too but not assigned; the ledgers show it still not done")
    elif same:
        text = Text(f"{when.zh}已派给{'您' + plan.zh if you else then.zh}，台账里还没有完成的记录",
                    f"Sent to {'you' + plan.en if you else then.en} {when.en}; "
                    "the ledgers show it still not done")
    elif now:
        text = Text(f"{when.zh}派给{then.zh}，台账里还没有完成的记录，本周改派{'您' if you else now}",
                    f"Sent to {then.en} {when.en}, not done; reassigned to "
                    f"{'you' if you else now} this week")
    else:
        text = Text(f"{when.zh}已派给{then.zh}，台账里还没有完成的记录",
                    f"Sent to {then.en} {when.en}; the ledgers show it still not done")
    return text.get(lang) + streak.get(lang)


def _why(fu: FollowUp, lang: str) -> str:
    return fu.reason.get(lang) if fu.reason is not None else " ".join(fu.codes)


def _formats(workbook) -> dict:
    add = workbook.add_format
    base = {"font_name": "宋体", "font_size": 10, "valign": "top"}
    fmt = {
        "title": add({**base, "bold": True, "font_size": 14, "valign": "vcenter"}),
        "head": add({**base, "bold": True, "bg_color": GREY, "border": 1, "text_wrap": True,
                     "align": "center", "valign": "vcenter"}),
        "text": add({**base, "border": 1, "text_wrap": True}),
        "date": add({**base, "border": 1, "num_format": "yyyy-mm-dd", "align": "left"}),
        "blank": add({**base, "border": 1}),
    }
    for priority, colour in PRIORITY_FILL.items():
        fmt[f"text.{priority}"] = add({**base, "border": 1, "text_wrap": True, "bg_color": colour})
    return fmt


def _setup(sheet, ctx, lang: str, header_row: int, widths: list[float], title: str) -> None:
    print_setup(sheet, committee=ctx.settings.committee, as_of=ctx.as_of, lang=lang,
                repeat=(header_row, header_row), header=title, own_pages=True)
    set_widths(sheet, widths)
    sheet.freeze_panes(header_row + 1, 0)


def _title_rows(sheet, fmt, title: str, subtitle: str, widths: list[float]) -> None:
    ncols = len(widths)
    sheet.merge_range(0, 0, 0, ncols - 1, title, fmt["title"])
    fit_row(sheet, 0, (), (), spans=[(title, sum(widths))], font_size=14)
    sheet.merge_range(1, 0, 1, ncols - 1, subtitle, fmt["text"])
    fit_row(sheet, 1, (), (), spans=[(subtitle, sum(widths))])


def _heads(sheet, fmt, row: int, keys: list, lang: str, widths: list[float]) -> None:
    texts = [label(WORDS[key], lang) if key in WORDS else key for key in keys]
    for col, text in enumerate(texts):
        sheet.write_string(row, col, text, fmt["head"])
    fit_row(sheet, row, texts, widths)


def _row(sheet, fmt, row: int, fu: FollowUp, values: list, widths: list[float],
         min_height: float = 0.0) -> None:
    text = fmt.get(f"text.{fu.priority}", fmt["text"])
    write_row(sheet, row, values, text, fmt["date"])
    fit_row(sheet, row, values, widths, min_height=min_height)


def _priority(fu: FollowUp, lang: str) -> str:
    return label(schema.PRIORITY_LABELS[fu.priority], lang)


def _subtitle(ctx, n: int, lang: str, extra: str = "") -> str:
    parts = [ctx.settings.committee, f"{label(WORDS['as_of'], lang)} {ctx.as_of.isoformat()}",
             label(WORDS["count"], lang).format(n=n), extra]
    return "  ".join(p for p in parts if p)


def _summary_sheet(workbook, fmt, items, lookup: _Lookup, ctx, lang, used) -> None:
    keys = ["id", "priority", "type", "target", "who", "estate", "assignee", "assignee_id",
            "planned", "due", "todo", "why", "reason"]
    widths = [17, 6, 12, 12, 8, 8, 10, 9, 11, 11, 30, 36, 24]
    sheet = workbook.add_worksheet(sheet_name(label(SUMMARY_SHEET, lang), used))
    title = f"{label(TITLE, lang)}（{label(SUMMARY_SHEET, lang)}）" if lang != "en" else \
        f"{label(TITLE, lang)} ({label(SUMMARY_SHEET, lang)})"
    _setup(sheet, ctx, lang, 2, widths, title)
    _title_rows(sheet, fmt, title, _subtitle(ctx, len(items), lang), widths)
    _heads(sheet, fmt, 2, keys, lang, widths)
    for r, fu in enumerate(items, start=3):
        _row(sheet, fmt, r, fu, [
            fu.id, _priority(fu, lang), label(schema.FOLLOWUP_LABELS[fu.type], lang), fu.target,
            lookup.who(fu), fu.estate or "", fu.assignee_name or "",
            fu.assignee if fu.assignee != fu.assignee_name else "",     # staff: the name is the id
            fu.planned, fu.due, _todo(fu, lookup, lang), _why(fu, lang),
            fu.unassigned_reason.get(lang) if fu.unassigned_reason else ""], widths)
    if not items:
        sheet.write_string(3, 0, label(WORDS["none"], lang), fmt["text"])


def _person_sheet(workbook, fmt, key, mine, lookup: _Lookup, ctx, lang, used) -> None:
    name, phone = lookup.person(key, mine[0].assignee_name or key)
    keys = ["id", "priority", "type", "target", "who", "estate", "address", "phone", "todo",
            "why", "planned", "due", *(c.header if lang != "en" else c.label_en
                                        for c in RESULT_HEADERS), "remark"]
    widths = [17, 6, 12, 12, 8, 8, 12, 16, 28, 32, 11, 11, 12, 9, 16]
    wanted = name if key == name else f"{name} {key}"
    sheet = workbook.add_worksheet(sheet_name(wanted, used))
    title = f"{label(TITLE, lang)}：{name}" if lang != "en" else f"{label(TITLE, lang)}: {name}"
    person = "  ".join(x for x in (name, key if key != name else "", phone) if x)
    _setup(sheet, ctx, lang, 2, widths, title)
    _title_rows(sheet, fmt, title, _subtitle(ctx, len(mine), lang, person), widths)
    _heads(sheet, fmt, 2, keys, lang, widths)
    for r, fu in enumerate(mine, start=3):
        _row(sheet, fmt, r, fu, [
            fu.id, _priority(fu, lang), label(schema.FOLLOWUP_LABELS[fu.type], lang), fu.target,
            lookup.who(fu), fu.estate or "", lookup.address(fu), lookup.phone(fu, lang),
            _todo(fu, lookup, lang, you=True), _why(fu, lang), fu.planned, fu.due, "", "", ""],
             widths, WRITE_HEIGHT)
        for col in range(len(keys) - 3, len(keys)):
            sheet.write_blank(r, col, None, fmt["blank"])


def _unassigned_sheet(workbook, fmt, items, lookup: _Lookup, ctx, lang, used) -> None:
    keys = ["id", "priority", "type", "target", "who", "estate", "due", "reason", "todo", "why"]
    widths = [17, 6, 12, 12, 8, 8, 11, 32, 30, 36]
    sheet = workbook.add_worksheet(sheet_name(label(UNASSIGNED_SHEET, lang), used))
    title = f"{label(TITLE, lang)}：{label(UNASSIGNED_SHEET, lang)}" if lang != "en" else \
        f"{label(TITLE, lang)}: {label(UNASSIGNED_SHEET, lang)}"
    _setup(sheet, ctx, lang, 2, widths, title)
    _title_rows(sheet, fmt, title, _subtitle(ctx, len(items), lang), widths)
    _heads(sheet, fmt, 2, keys, lang, widths)
    for r, fu in enumerate(items, start=3):
        _row(sheet, fmt, r, fu, [
            fu.id, _priority(fu, lang), label(schema.FOLLOWUP_LABELS[fu.type], lang), fu.target,
            lookup.who(fu), fu.estate or "", fu.due,
            fu.unassigned_reason.get(lang) if fu.unassigned_reason else "",
            _todo(fu, lookup, lang), _why(fu, lang)], widths)
    if not items:
        sheet.write_string(3, 0, label(WORDS["none"], lang), fmt["text"])
