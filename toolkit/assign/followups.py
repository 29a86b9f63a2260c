"""Findings → follow-ups (rules.md "Follow-ups"): one work order per (target, type).

Several findings on one resident of the same type make ONE follow-up listing every code
(C301 + C311 → one 上门巡访). A C308 (service need) makes one follow-up per resident AND
skill, since each need may go to a different volunteer. Findings whose code is not in the
follow-up table are not work orders and are ignored here (they stay in the findings list).

Targets: elderly findings name the resident; findings on a visit row (C311, and C306/C305
when a rule reports them on the visit) are mapped to the resident of that visit; request
findings name the request; council findings (M702–M704) make one 议事会落实 per meeting
(target ``2026-10-28 居民议事会``) listing its items. A finding whose resident cannot be found still makes a
follow-up (target = the id written, or the row's location) so nothing is dropped; the
solver then lists it as 未能派单 with the reason.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from toolkit import schema
from toolkit.codes import CODES
from toolkit.domain.names import usable
from toolkit.domain.records import ref_of_finding
from toolkit.domain.requests import stage_deadline
from toolkit.model import Finding, FollowUp, Record, RecordRef
from toolkit.text import Text

# rules.md follow-up table: code -> follow-up type
TYPE_OF_CODE: dict[str, str] = {
    "C301": "visit", "C302": "visit", "C311": "visit",
    "C307": "safety_check",
    "C305": "bp_recheck", "C306": "bp_recheck",
    "C308": "service",
    "R201": "request_assign", "R202": "request_assign",
    "R203": "request_chase", "R211": "request_chase",
    "R204": "reply_callback", "R209": "reply_callback",
    "P803": "reply_callback",                       # issue #17: a 不满意 service, call back
    "M702": "council", "M703": "council", "M704": "council",
}
VOLUNTEER_TYPES = ("visit", "safety_check", "bp_recheck", "service")
REQUEST_TYPES = ("request_assign", "request_chase", "reply_callback")
PRIORITY_RANK = {p: i for i, p in enumerate(schema.PRIORITIES)}
TYPE_RANK = {t: i for i, t in enumerate(schema.FOLLOWUP_TYPES)}

LATE_WORKDAYS = 2        # an overdue item is due within 2 working days
WEEK_WORKDAYS = 5        # a non-urgent volunteer item is due within this week's working days


def make_followups(ctx, findings: Iterable[Finding]) -> list[FollowUp]:
    """Group the findings of the follow-up table into work orders, numbered deterministically.

    Returned sorted by id; ``assignee``/``planned`` are left empty (see ``solver.assign``).
    """
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    targets = _Targets(ctx)
    for f in findings:
        ftype = TYPE_OF_CODE.get(f.code)
        if ftype is None or f.params.get("ledger_missing"):
            continue                # a ledger not found (C302 no_log) is no one's errand
        target = targets.target(f, ftype)
        skills = _service_skills(f, targets.resident(target)) if ftype == "service" else [""]
        for skill in skills:
            groups.setdefault((ftype, target, skill), []).append(f)
    items = [_followup(ctx, targets, key, found) for key, found in groups.items()]
    items.sort(key=_order)
    return [_numbered(item, ctx.as_of, n) for n, item in enumerate(items, start=1)]


def followup_id(as_of: date, number: int) -> str:
    """``FU-<ISO year>W<ISO week>-<NNN>`` (the ISO week of the as-of date)."""
    year, week, _ = as_of.isocalendar()
    return f"FU-{year}W{week:02d}-{number:03d}"


def priority_of(findings: Iterable[Finding]) -> str:
    """urgent when any finding is urgent; high when any is an error; normal otherwise."""
    findings = list(findings)
    if any(f.urgent for f in findings):
        return "urgent"
    if any(f.severity == "error" for f in findings):
        return "high"
    return "normal"


# ---------------------------------------------------------------------------------------
class _Targets:
    """Find the resident / request a finding is about: its ``ref``, resolved once by
    ``Context.resolve``; a finding on a visit row goes to that visit's resident."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.care = ctx.care
        self.records: dict[tuple[str, str], Record] = {}     # (kind, target) -> record

    def record(self, kind: str, target: str) -> Record | None:
        """The resident / request a follow-up's target was resolved to."""
        return self.records.get((kind, target))

    def resident(self, target: str) -> Record | None:
        return self.record("elderly", target)

    def _service_target(self, f: Finding, row: Record | None) -> str:
        """P803: the resident the service row names — the elderly ledger's 编号 when it matches
        (by 编号, else a unique 姓名; the call then has her name, phone and address), else the
        老人编号 or 老人姓名 as written (the service row is the record); the row's place only
        when it names nobody."""
        resident = self.care.match_visit(row).record if row is not None else None
        if resident is not None and resident.id is not None:
            target = str(resident.id)
            self.records.setdefault(("services", target), resident)
            return target
        written = None if row is None else \
            usable(row, "elderly_id") or usable(row, "elderly_name")
        target = str(written) if written is not None else \
            str(f.record) if f.record else _location(f)
        if row is not None:
            self.records.setdefault(("services", target), row)
        return target

    def target(self, f: Finding, ftype: str) -> str:
        row = self.ctx.resolve(ref_of_finding(f))
        if f.kind == "services":                    # issue #17 (P803): one callback per resident
            return self._service_target(f, row)
        if ftype == "council":                  # one work order per meeting
            if row is None or row.kind != "meetings":
                return _location(f)
            target = council_target(row)
            self.records.setdefault(("meetings", target), row)
            return target
        if ftype in REQUEST_TYPES:
            target = str(f.record) if f.record is not None else _location(f)
            if row is not None and row.kind == "requests":
                self.records.setdefault(("requests", target), row)
            return target
        resident = row if row is not None and row.kind == "elderly" else None
        if row is not None and row.kind == "visits":
            resident = self.care.resident_for_visit(row)
            if resident is None or resident.id is None:
                written = row.get("elderly_id") or row.get("elderly_name")
                if written is not None:
                    return str(written)
        if resident is not None and resident.id is not None:
            target = str(resident.id)
            self.records.setdefault(("elderly", target), resident)
            return target
        return str(f.record) if f.record is not None else _location(f)


def council_target(item: Record) -> str:
    """A meeting as a work order's target: ``2026-10-28 居民议事会``."""
    day = item.values.get("date")
    name = item.values.get("meeting") or schema.DEFAULT_MEETING
    return f"{day.isoformat() if isinstance(day, date) else '?'} {name}"


def _location(f: Finding) -> str:
    return f"{f.file or ''}/{f.sheet or ''}/{f.row or ''}"


def _service_skills(f: Finding, resident: Record | None) -> list[str]:
    """The need(s) a C308 finding is about: its ``service`` param (rules.md C308 makes one
    finding per need), else its value when that is one need word, else the resident's needs,
    else the raw text. The message is never read."""
    service = f.params.get("service")
    if service:
        return [str(service)]
    if isinstance(f.value, str) and f.value.strip() in schema.NEEDS:
        return [f.value.strip()]
    if resident is not None and resident.get("needs"):
        return sorted(set(resident.get("needs")), key=_need_rank)
    return [str(f.value) if f.value not in (None, "") else schema.SERVICE_VISIT]


def _need_rank(need: str) -> tuple:
    return (schema.NEEDS.index(need) if need in schema.NEEDS else len(schema.NEEDS), need)


def _followup(ctx, targets: _Targets, key: tuple[str, str, str],
              found: list[Finding]) -> FollowUp:
    ftype, target, skill = key
    found = sorted(set(found), key=lambda f: f.sort_key)
    codes = sorted({f.code for f in found})
    priority = priority_of(found)
    if found[0].kind == "services":                 # issue #17 (P803): a callback, no request
        kind = "services"
    else:
        kind = "meetings" if ftype == "council" else "requests" if ftype in REQUEST_TYPES else "elderly"
    record = targets.record(kind, target)
    if ftype == "visit":
        skill = schema.SERVICE_VISIT
    elif ftype == "bp_recheck":
        skill = schema.SERVICE_BP
    elif ftype != "service":
        skill = ""
    due = _due(ctx, ftype, priority, codes, record)
    reason = _council_items(found, _many_sheets(ctx, "meetings")) if ftype == "council" \
        else _why(found)
    return FollowUp(id="", type=ftype, codes=codes, kind=kind, target=target, priority=priority,
                    due=due, reason=reason, estate=_estate(record),
                    findings=found, skill=skill or None, ref=RecordRef.of(record))


def _estate(record: Record | None) -> str | None:
    estate = record.get("estate") if record is not None else None
    return str(estate) if estate is not None else None


def _why(found: list[Finding]) -> Text:
    zh = "；".join(f"{f.code} {CODES[f.code].title.zh}：{f.message.zh}" for f in found)
    en = "; ".join(f"{f.code} {CODES[f.code].title.en}: {f.message.en}" for f in found)
    return Text(zh, en)


def _council_items(found: list[Finding], sheets: bool = False) -> Text:
    """议事会落实: the meeting's items, one numbered line each (row, what is missing), ready to
    read out at the next meeting. ``sheets``: the minutes are kept on several sheets (one a
    month), so a row is named with its sheet — every month's sheet has a 第3行."""
    zh, en = [], []
    for n, f in enumerate(found, start=1):
        where_zh = f"「{f.sheet}」第{f.row}行" if sheets and f.sheet else f"第{f.row}行"
        where_en = f"'{f.sheet}' row {f.row}" if sheets and f.sheet else f"row {f.row}"
        zh.append(f"{n}. {where_zh} {CODES[f.code].title.zh}：{f.message.zh}")
        en.append(f"{n}. {where_en} {CODES[f.code].title.en}: {f.message.en}")
    return Text("\n".join(zh), "\n".join(en))


def _many_sheets(ctx, kind: str) -> bool:
    """The ``kind`` ledger was read from more than one sheet (of one or several files)."""
    return len({(s.file, s.sheet) for s in ctx.workspace.sources if s.kind == kind}) > 1


def _due(ctx, ftype: str, priority: str, codes: list[str], record: Record | None) -> date:
    """Urgent, and every safety check (rules.md: "same day", urgent or not): the as-of day.
    Others: the SLA / next due date when still ahead, else within 2 working days (volunteer
    items no later than this week's 5th working day)."""
    as_of, cal = ctx.as_of, ctx.calendar
    late = cal.add_workdays(as_of, LATE_WORKDAYS)
    if priority == "urgent" or ftype == "safety_check":
        return as_of
    if ftype in REQUEST_TYPES:
        sla = _request_sla(ctx, codes, record)
        return sla if sla is not None and sla >= as_of else late
    week_end = cal.add_workdays(as_of, WEEK_WORKDAYS - 1 if cal.is_workday(as_of) else WEEK_WORKDAYS)
    if ftype == "visit" and record is not None:
        nxt = ctx.care.next_due(record)
        if nxt is not None and nxt > as_of:
            return max(min(nxt, week_end), as_of)
        return late
    if ftype == "service":
        return week_end
    return late


def _request_sla(ctx, codes: list[str], record: Record | None) -> date | None:
    """The deadline of the request's current closed-loop step (classify, assign, resolve or
    reply: ``stage_deadline``); None for R209 (a reopened loop has no deadline of its own)."""
    if record is None or codes == ["R209"]:
        return None
    return stage_deadline(record, ctx.settings, ctx.calendar)


def _order(f: FollowUp) -> tuple:
    return (PRIORITY_RANK[f.priority], f.due, TYPE_RANK[f.type], f.target, f.skill or "")


def _numbered(f: FollowUp, as_of: date, n: int) -> FollowUp:
    f.id = followup_id(as_of, n)
    return f

