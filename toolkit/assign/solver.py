"""Follow-ups → people and dates.

Volunteer work (上门巡访, 安全上门核查, 血压复查, 服务补派) is a min-cost flow (networkx network
simplex) over the graph

    level source → follow-up → (volunteer, window end) → (volunteer, day) → (volunteer, ISO week) → sink

- hard constraints are the arcs that exist: 在岗, covers the resident's 小区 (or 全部), the
  skill (巡访 / 量血压 or 家庭医生团队 / the needed service; 安全核查: the 结对志愿者 or the 小区's
  楼组长), 可服务时间 on the day, the day between as-of and the due date, and the weekly
  上限 minus the visits already logged that ISO week (unit arcs into the sink);
- preferences are arc costs: the 结对志愿者, then the last visitor (continuity), then anyone;
  among equals the least loaded volunteer (k-th booking of a week costs more: convex), and a
  volunteer's bookings are spread over the days (k-th booking on one day costs more), earlier
  days first;
- priorities are lexicographic: the flow is solved once per level (urgent, high, normal); a
  level's follow-ups carry a reward larger than any cost change, and the levels solved before
  must keep exactly the number assigned they reached. So the number of urgent follow-ups
  assigned is maximal, then the number of high ones given that, then normal — something a
  greedy pass cannot promise.

Request follow-ups go to the 居委's own staff (rules.md follow-up table): 诉求分派 and 诉求催办
→ the category's 跟进人 (settings 诉求类别), else the 值班人员 on duty — the work order then
names the 默认责任人 to hand the request to, or the request's 责任人 to chase; 答复回访 → the
值班人员 on duty. The 物业 or a bureau is who is chased, never who is told to chase.

When a volunteer follow-up does not go to the resident's 结对志愿者, ``FollowUp.instead`` says
why (不在岗, 本周已满, 当天不可服务 …) so the work order can tell the assignee.

议事会落实 → the council's 记录人 (settings 议事会), else the 值班人员 on duty.

Everything is sorted before it enters the graph, so the same input gives the same plan.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

from toolkit import schema
from toolkit.assign.followups import PRIORITY_RANK, REQUEST_TYPES, VOLUNTEER_TYPES
from toolkit.domain.care import AMBIGUOUS, ROSTER_SEVERAL, UNKNOWN, Match, is_doctor
from toolkit.domain.names import norm, usable
from toolkit.model import FollowUp, Record
from toolkit.settings import DutyStaff
from toolkit.text import Text, numbers_in

if TYPE_CHECKING:
    import networkx as nx

HORIZON_DAYS = 7            # plan at most a week ahead (as-of .. as-of + 6)
EARLY = 1                   # cost per day after as-of
SPREAD = 4                  # k-th booking of one volunteer on one day costs SPREAD * k
LOAD = 6                    # k-th booking of one volunteer in one week costs LOAD * (logged + k)
STAFF_SEARCH_DAYS = 14      # look this far for a 值班人员 on duty


def assign(ctx, followups: list[FollowUp]) -> list[FollowUp]:
    """Copies of ``followups`` with ``assignee``, ``assignee_name``, ``planned`` filled, or
    ``unassigned_reason`` saying why nobody could be found. Order is kept; nothing dropped."""
    items = [dataclasses.replace(f, assignee=None, assignee_name=None, planned=None,
                                 unassigned_reason=None, note=None, instead=None)
             for f in followups]
    _VolunteerPlanner(ctx).plan([f for f in items if f.type in VOLUNTEER_TYPES])
    staff = _StaffPlanner(ctx)
    for f in items:
        if f.type in REQUEST_TYPES:
            staff.plan(f)
        elif f.type == "council":
            staff.plan_council(f)
    return items


# =======================================================================================
# volunteers
@dataclasses.dataclass
class _Item:
    fu: FollowUp
    rank: int                       # priority rank (0 = urgent)
    end: date                       # last day it may be planned
    days: list[date]                # window days
    cands: dict[int, int]           # volunteer index -> preference cost
    group: str                      # who could do it, for the capacity reason ("松和苑会巡访的志愿者")
    group_en: str
    alone: bool = False             # the group is one person (结对志愿者胡涛（ZY-012）)
    also: Text | None = None        # said after the reason (，咏泽苑没有楼组长)


class _VolunteerPlanner:
    def __init__(self, ctx):
        self.ctx = ctx
        self.care = ctx.care
        self.as_of: date = ctx.as_of
        self.vols: list[Record] = sorted(self.care.volunteers, key=_vol_key)
        # one person on two rows (D108: same 姓名 and 联系电话, two 编号) has one weekly 上限
        first: dict[str, int] = {}
        self.person: list[int] = [first.setdefault(_same_person(v), i) if _same_person(v) else i
                                  for i, v in enumerate(self.vols)]
        # the later rows of a repeated 编号 set aside as copies (D107): one that says 不在岗 or a
        # 离岗日期 may be the update — nobody is sent against it (a copy struck through is
        # deleted: it says nothing)
        kept = {id(v) for v in self.care.volunteers}
        self.copies: dict[str, list[Record]] = defaultdict(list)
        for row in ctx.rows("volunteers"):
            if id(row) not in kept and norm(row.id) and not row.struck:
                self.copies[norm(row.id)].append(row)
        self.remaining: dict[tuple[int, tuple[int, int]], int] = {}
        self.logged: dict[tuple[int, tuple[int, int]], int] = {}

    # ------------------------------------------------------------------ public
    def plan(self, followups: list[FollowUp]) -> None:
        items: list[_Item] = []
        for fu in followups:
            item = self._item(fu)
            if item is not None:
                items.append(item)
        pref_step = self._pref_step(items)
        for item in items:
            item.cands = {vi: rank * pref_step for vi, rank in item.cands.items()}
        result = _solve(self, items) if items else {}
        for index, item in enumerate(items):
            if index in result:
                vi, day = result[index]
                self._set(item.fu, self.vols[vi], day)
            else:
                self._capacity_reason(item)
        for fu in followups:
            if fu.type == "safety_check":
                self._safety_staff(fu)
            elif fu.priority == "urgent" and fu.assignee is None:
                self._urgent_staff(fu)
        by_fu = {id(item.fu): item for item in items}
        duty = {s.name for s in self.ctx.settings.duty}
        for fu in followups:
            if fu.assignee is not None and not (fu.type != "safety_check" and fu.assignee in duty
                                                and fu.note is not None):
                fu.instead = self._instead(fu, by_fu.get(id(fu)))

    def _instead(self, fu: FollowUp, item: _Item | None) -> Text | None:
        """Why the resident's 结对志愿者 is not the one going (None when they are)."""
        resident = self.care.resident_by_id.get(norm(fu.target))
        if resident is None:
            return None
        match = self.care.pairing_match(resident)
        paired = match.record
        if paired is None and not self.vols:
            return Text("没有读到志愿者名册", "no volunteer roster was read")
        if paired is None:
            return _unmatched_pairing(match, resident)
        pid = _vid(paired)
        if pid == fu.assignee:
            return None
        name = _who(paired)
        estate = str(resident.get("estate") or fu.estate or "")
        skill = fu.skill or schema.SERVICE_VISIT
        # the days it could have been planned (a safety check staff took: its one day)
        days = item.days if item is not None else [fu.planned or self.as_of]
        if "active" in paired.invalid:      # 请假, 暂停: D109, not sent — but not "不在岗" either
            raw = _text(paired.raw("active")).strip()
            why = (f"在岗一栏写的是“{raw}”，无法确认仍在岗", f"has an unreadable 在岗 '{raw}'")
        elif not self.care.is_active(paired):
            why = ("不在岗", "is not active")
        elif "left" in paired.invalid:
            raw = _text(paired.raw("left")).strip()
            why = (f"离岗日期写的是“{raw}”，无法确认仍在岗", f"has an unreadable leaving date '{raw}'")
        elif not self._active(paired):
            row = next(r for r in self._rows(paired)[1:] if not self._active_row(r))
            why = (f"在名册第{row.row}行（编号重复）写着不在岗或已离岗",
                   f"is written as not active on roster row {row.row} (repeated id)")
        elif fu.type != "safety_check" and estate and not self.care.covers(paired, estate):
            why = (f"不服务{estate}", f"does not serve {estate}")
        elif fu.type not in ("safety_check",) and not self._can(paired, fu.type, skill):
            why = (f"不会{skill}", f"cannot do {skill}")
        elif "availability" in paired.invalid:
            raw = _text(paired.raw("availability")).strip()
            why = (f"可服务时间写的是“{raw}”，无法确定哪天能去", f"has an unreadable availability '{raw}'")
        elif not any(self._free(paired, d) for d in days):
            left = self._left(paired)
            span = _span(days) if item is not None else ("今天", "today")
            why = (f"{left.isoformat()}离岗", f"leaves on {left}") \
                if left is not None and left <= days[-1] else \
                (f"{span[0]}不可服务", f"is not available {span[1]}")
        else:       # active, serves, can, free on a day of the window: the week is full
            when = self._when(days)
            why = (f"{when[0]}{'已满' if when[0] == '本周' else '已排满'}", f"is fully booked {when[1]}")
        return Text(f"结对志愿者{name}{why[0]}", f"paired volunteer {pid} {why[1]}")

    # ------------------------------------------------------------------ candidates
    def _item(self, fu: FollowUp) -> _Item | None:
        """The follow-up's window and candidates; None (with a reason set) when nobody fits."""
        resident = self.ctx.resolve(fu.ref)
        if resident is None:
            fu.unassigned_reason = Text(f"老年人台账中找不到老人“{fu.target}”，无法派给志愿者",
                                        f"resident {fu.target!r} is not in the elderly ledger")
            return None
        estate = str(resident.get("estate") or fu.estate or "")
        end = min(max(fu.due, self.as_of), self.as_of + timedelta(days=HORIZON_DAYS - 1))
        days = [self.as_of + timedelta(days=k) for k in range((end - self.as_of).days + 1)]
        if fu.type == "safety_check":
            return self._safety_item(fu, resident, estate, days, end)
        skill = fu.skill or schema.SERVICE_VISIT
        if not self.vols:
            fu.unassigned_reason = _NO_ROSTER
            return None
        active = [i for i, v in enumerate(self.vols) if self._active(v)]
        covering = [i for i in active if self.care.covers(self.vols[i], estate)]
        where = estate or "（未填小区）"
        if not covering:
            fu.unassigned_reason = Text(f"{where}没有在岗志愿者（服务小区含{where}或“全部”）",
                                        f"no active volunteer serves {where}")
            return None
        skilled = [i for i in covering if self._can(self.vols[i], fu.type, skill)]
        if not skilled:
            extra = (f"，也没有在岗的{schema.TEAM_DOCTOR}成员", " and no active family-doctor team member") \
                if fu.type == "bp_recheck" else ("", "")
            fu.unassigned_reason = Text(f"{where}没有会{skill}的在岗志愿者{extra[0]}",
                                        f"no active volunteer in {where} can do {skill}{extra[1]}")
            return None
        return self._with_days(fu, resident, skilled, days, end,
                               f"{where}会{skill}的在岗志愿者", f"volunteers in {where} who can do {skill}")

    def _safety_item(self, fu, resident, estate, days, end) -> _Item | None:
        """The paired volunteer and the 小区's 楼组长; a reason names only who there is."""
        if not self.vols:
            fu.unassigned_reason = _NO_ROSTER
            return None
        paired = self.care.paired_volunteer(resident)
        leader = schema.TEAM_BUILDING_LEADER
        leaders = [i for i, v in enumerate(self.vols)
                   if v is not paired and _team(v) == leader and self.care.covers(v, estate)]
        active_leaders = [i for i in leaders if self._active(self.vols[i])]
        pool = sorted(active_leaders + [i for i, v in enumerate(self.vols)
                                        if v is paired and self._active(v)])
        where = estate or "（未填小区）"
        if not pool:
            fu.unassigned_reason = Text(
                f"没有在岗的结对志愿者，{where}也没有在岗的{leader}",
                f"no active paired volunteer and no active building leader in {where}")
            return None
        if active_leaders and len(pool) > len(active_leaders):
            return self._with_days(fu, resident, pool, days, end, f"结对志愿者和{where}的{leader}",
                                   f"the paired volunteer and the building leaders of {where}")
        if active_leaders:
            return self._with_days(fu, resident, pool, days, end, f"{where}的{leader}",
                                   f"the building leaders of {where}")
        other = ("其他", " other") if _team(paired) == leader and self.care.covers(paired, estate) \
            else ("", "")
        also = Text(f"，{where}的{other[0]}{leader}都不在岗",
                    f"; the{other[1]} building leaders of {where} are not active") if leaders else \
            Text(f"，{where}没有{other[0]}{leader}", f"; {where} has no{other[1]} building leader")
        return self._with_days(fu, resident, pool, days, end, f"结对志愿者{_who(paired)}",
                               f"paired volunteer {_vid(paired)}", alone=True, also=also)

    def _with_days(self, fu, resident, pool, days, end, group, group_en, *, alone=False,
                   also: Text | None = None) -> _Item | None:
        free = [i for i in pool if any(self._free(self.vols[i], d) for d in days)]
        if not free:
            span = _span(days)
            fu.unassigned_reason = Text(
                f"{group}在{span[0]}{'' if alone else '都'}没有服务时间（可服务时间）",
                f"{group_en} {'is' if alone else 'are'} not available {span[1]}") + (also or Text("", ""))
            return None
        if len(free) < len(pool):         # the capacity reason speaks of who could serve
            span = _span(days)
            group, group_en = f"{group}中{span[0]}能服务的", f"{group_en} available {span[1]}"
        paired = self.care.paired_volunteer(resident)
        last = self.care.last_visitor(resident)
        cands = {}
        for i in free:
            vol = self.vols[i]
            cands[i] = 0 if vol is paired else (1 if vol is last else 2)
        return _Item(fu, PRIORITY_RANK[fu.priority], end, days, cands, group, group_en, alone, also)

    def cap(self, vol: Record) -> int:
        """每周上限 (``capacity``); one that cannot be read as one number (1-2次, 两次, 3次以内)
        is taken at the smallest number written in it, never above the settings default — she
        is not sent more often than she said (D111 reports the cell). No number (不限): the
        default."""
        cap = self.care.capacity(vol)
        if "capacity" in vol.invalid:
            cap = min([cap, *numbers_in(_text(vol.raw("capacity")))])
        return cap

    def _rows(self, vol: Record) -> list[Record]:
        """The volunteer's row and the copies of it set aside (same 编号 and 姓名, D107)."""
        return [vol, *self.copies.get(norm(vol.id), ())] if vol.id is not None else [vol]

    def _active_row(self, row: Record) -> bool:
        return self.care.is_active(row) and "left" not in row.invalid

    def _active(self, vol: Record) -> bool:
        """在岗 for sending: ``is_active``, and no 离岗日期 written that cannot be read (已离岗,
        2026年11月, 11月底 …: she may have left — nobody is sent on a guess; D102 reports the
        cell), as an unreadable 在岗 sends nobody; the same on every row of her 编号."""
        return all(self._active_row(r) for r in self._rows(vol))

    def _left(self, vol: Record) -> date | None:
        """The earliest 离岗日期 on her rows."""
        return min((d for r in self._rows(vol) if (d := self.care.left_on(r)) is not None), default=None)

    def _free(self, vol: Record, day: date) -> bool:
        """``available_on`` the day, and the day before a 离岗日期 written on a copy of her row.
        A 可服务时间 that cannot be read (不定, 单周周六, 暂停) sends her on no day: it is no
        guess that she serves every working day (D111 reports the cell)."""
        if "availability" in vol.invalid:
            return False
        left = self._left(vol)
        return self.care.available_on(vol, day) and (left is None or day < left)

    def _can(self, vol: Record, ftype: str, skill: str) -> bool:
        if ftype == "bp_recheck":
            return self.care.has_skill(vol, schema.SERVICE_BP) or is_doctor(vol)
        return self.care.has_skill(vol, skill)

    # ------------------------------------------------------------------ capacity per week
    def week_left(self, vi: int, week: tuple[int, int], day: date) -> int:
        """What is left of the person's weekly 上限 (the rows of one person, and copies of a
        row, share it: the lowest 上限, minus the visits logged under any of them). Keyed by
        person."""
        key = (self.person[vi], week)
        if key not in self.remaining:
            rows = [v for i, v in enumerate(self.vols) if self.person[i] == key[0]]
            logged = sum(self.care.visits_in_week(v, day) for v in rows)
            self.logged[key] = logged
            cap = min(self.cap(r) for v in rows for r in self._rows(v))
            self.remaining[key] = max(cap - logged, 0)
        return self.remaining[key]

    def _pref_step(self, items: list[_Item]) -> int:
        """A preference step larger than any load/spread/day cost difference."""
        caps = [self.cap(v) for v in self.vols] or [0]
        return LOAD * (2 * max(caps) + 2) + SPREAD * (max(caps) + 1) + EARLY * HORIZON_DAYS + 1

    # ------------------------------------------------------------------ results
    def _set(self, fu: FollowUp, vol: Record, day: date) -> None:
        fu.assignee = str(vol.id if vol.id is not None else vol.get("name"))
        fu.assignee_name = str(vol.get("name") or fu.assignee)
        fu.planned = day

    def _capacity_reason(self, item: _Item) -> None:
        caps = sorted({self.cap(self.vols[i]) for i in item.cands})
        cap = (f"（上限{caps[0]}次）", f" (cap {caps[0]})") if len(caps) == 1 else \
            ("（已达各自的每周上限）", " (each at their weekly cap)")
        when = self._when(item.days)
        full = ("已满", "is") if item.alone else ("都已排满", "are")
        item.fu.unassigned_reason = Text(
            f"{item.group}{when[0]}{full[0]}{cap[0]}",
            f"{item.group_en} {full[1]} fully booked {when[1]}{cap[1]}") + (item.also or Text("", ""))

    def _when(self, days: list[date]) -> tuple[str, str]:
        """本周 when the window is within the as-of week, else 2026-12-01前."""
        if {_week(d) for d in days} == {_week(self.as_of)}:
            return ("本周", "this week")
        return (f"{days[-1].isoformat()}前", f"before {days[-1]}")

    def _safety_staff(self, fu: FollowUp) -> None:
        """安全上门核查 is done with staff: name the 值班人员 on duty; with no volunteer, the
        值班人员 takes it."""
        on_duty = _on_duty(self.ctx.settings.duty, self.as_of, self.ctx.calendar)
        if on_duty:
            who = "、".join(f"{s.name}（{s.phone}）" if s.phone else s.name for s in on_duty)
            note = Text(f"值班人员{who}一同上门核查",
                        f"the staff on duty ({who}) go along")
        else:
            note = Text("今天没有排值班人员，请居委会安排一名工作人员一同上门核查",
                        "no staff on duty today: the committee sends a staff member along")
        fu.note = note
        if fu.assignee is None and on_duty:
            self._to_staff(fu, on_duty, Text(f"没有可上门的志愿者（{fu.unassigned_reason.zh}），由您今天上门核查",
                                             f"no volunteer ({fu.unassigned_reason.en}); you go today"))
        elif fu.assignee is None:
            self._nobody_on_duty(fu, fu.unassigned_reason or Text("", ""))

    def _urgent_staff(self, fu: FollowUp) -> None:
        """An urgent follow-up no volunteer can take (C306: a critical blood pressure to recheck
        today) goes to the 值班人员 on duty today, who has the family doctor come (or goes and
        calls 120): an urgent danger never waits in 未能派单 while someone is on duty. The note
        says why no volunteer; with nobody on duty it stays unassigned and says that too."""
        on_duty = _on_duty(self.ctx.settings.duty, self.as_of, self.ctx.calendar)
        reason = fu.unassigned_reason or Text("", "")
        if on_duty:
            self._to_staff(fu, on_duty, Text(
                f"没有能上门的志愿者：{reason.zh}。事情紧急，派给今天的值班人员。",
                f"no volunteer: {reason.en}. It is urgent: the staff on duty today take it."))
        else:
            self._nobody_on_duty(fu, reason)

    def _to_staff(self, fu: FollowUp, on_duty: list, note: Text) -> None:
        """``fu`` to the first staff member on duty today, with ``note`` saying why."""
        fu.note = note
        fu.assignee = fu.assignee_name = on_duty[0].name
        fu.planned = self.as_of
        fu.unassigned_reason = None

    def _nobody_on_duty(self, fu: FollowUp, reason: Text) -> None:
        empty = not self.ctx.settings.duty
        fu.unassigned_reason = reason + Text(
            "；今天也没有值班人员" + ("（值班人员表为空）" if empty else ""),
            "; no staff on duty today" + (" (duty roster empty)" if empty else ""))


_NO_ROSTER = Text("没有读到志愿者名册（文件夹中没有志愿者名册，或名册中没有志愿者）",
                  "no volunteer roster was read (none in the folder, or it lists nobody)")


def _solve(planner: _VolunteerPlanner, items: list[_Item]) -> dict[int, tuple[int, date]]:
    """Lexicographic max-count, min-cost assignment: one min-cost flow per priority level.
    networkx is imported here, when there is volunteer work to plan: importing it takes
    ~0.1 s, a tenth of a weekly run that has none."""
    import networkx as nx
    levels = sorted({it.rank for it in items})
    best: dict[int, int] = {}
    flow = None
    for level in levels:
        graph = _graph(planner, items, best, level)
        flow = nx.network_simplex(graph)[1]
        best[level] = sum(flow[("P", level)].get(("F", i), {0: 0})[0]
                          for i, it in enumerate(items) if it.rank == level)
    return _decode(planner, items, flow)


def _graph(planner: _VolunteerPlanner, items: list[_Item], best: dict[int, int],
           level: int) -> nx.MultiDiGraph:
    import networkx as nx                # already imported by _solve
    graph = nx.MultiDiGraph()
    inside = [(i, it) for i, it in enumerate(items) if it.rank <= level]
    n_level = sum(1 for _, it in inside if it.rank == level)
    bound = _path_bound(planner, items)
    reward = bound * (len(inside) + 1) + 1
    for rank in sorted({it.rank for _, it in inside}):
        graph.add_node(("P", rank), demand=-(n_level if rank == level else best[rank]))
    graph.add_node("T", demand=n_level + sum(best[r] for r in best if r < level))
    graph.add_edge(("P", level), "T", capacity=n_level, weight=0)   # a follow-up may stay unassigned
    ends: dict[int, set[date]] = defaultdict(set)
    wanted: dict[int, int] = defaultdict(int)        # follow-ups that could use a volunteer
    for i, it in inside:
        graph.add_edge(("P", it.rank), ("F", i), capacity=1, weight=-reward if it.rank == level else 0)
        for vi in sorted(it.cands):
            graph.add_edge(("F", i), ("V", vi, it.end), capacity=1, weight=it.cands[vi])
            ends[vi].add(it.end)
            wanted[vi] += 1
    wanted_by: dict[int, int] = defaultdict(int)     # per person (planner.person)
    for vi, n in wanted.items():
        wanted_by[planner.person[vi]] += n
    weeks: dict[int, dict[tuple[int, int], date]] = defaultdict(dict)
    for vi in sorted(ends):
        vol = planner.vols[vi]
        person = planner.person[vi]
        used_days: set[date] = set()
        for end in sorted(ends[vi]):
            for k in range((end - planner.as_of).days + 1):
                day = planner.as_of + timedelta(days=k)
                if planner._free(vol, day) and planner.week_left(vi, _week(day), day) > 0:
                    graph.add_edge(("V", vi, end), ("D", vi, day), weight=EARLY * k)
                    used_days.add(day)
        for day in sorted(used_days):
            week = _week(day)
            weeks[person].setdefault(week, day)
            for k in range(min(planner.week_left(vi, week, day), wanted[vi])):
                graph.add_edge(("D", vi, day), ("W", person, week), capacity=1, weight=SPREAD * k)
    for person in sorted(weeks):
        for week, day in sorted(weeks[person].items()):
            logged = planner.logged[(person, week)]
            for k in range(min(planner.week_left(person, week, day), wanted_by[person])):
                graph.add_edge(("W", person, week), "T", capacity=1, weight=LOAD * (logged + k))
    return graph


def _path_bound(planner: _VolunteerPlanner, items: list[_Item]) -> int:
    """An upper bound of one follow-up's path cost (logged + k < 上限 on every load arc)."""
    cap = max((planner.cap(v) for v in planner.vols), default=0)
    pref = max((c for it in items for c in it.cands.values()), default=0)
    return pref + EARLY * HORIZON_DAYS + SPREAD * cap + LOAD * cap + 1


def _decode(planner: _VolunteerPlanner, items: list[_Item],
            flow: dict) -> dict[int, tuple[int, date]]:
    """Follow-up index -> (volunteer index, day). Follow-ups meeting at one (volunteer, window
    end) node are interchangeable, so the node's days are dealt to them in id order."""
    at_node: dict[tuple, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        for node, arcs in flow.get(("F", i), {}).items():
            if sum(arcs.values()) > 0:
                at_node[node].append(i)
    result: dict[int, tuple[int, date]] = {}
    for node in sorted(at_node, key=lambda n: (n[1], n[2])):
        _, vi, _ = node
        days = []
        for target, arcs in sorted(flow.get(node, {}).items(), key=lambda kv: kv[0][2]):
            days.extend([target[2]] * sum(arcs.values()))
        members = sorted(at_node[node], key=lambda i: items[i].fu.id)
        for i, day in zip(members, days):
            result[i] = (vi, day)
    return result


# =======================================================================================
# staff and request owners
class _StaffPlanner:
    def __init__(self, ctx):
        self.ctx = ctx
        self.load: dict[str, int] = defaultdict(int)
        self.first_workday = _next_workday(ctx.calendar, ctx.as_of)

    def plan(self, fu: FollowUp) -> None:
        if fu.kind == "services":                   # issue #17: a P803 callback, staff on duty
            self._to_duty(fu)
            return
        request = self.ctx.resolve(fu.ref)
        if request is None:
            fu.unassigned_reason = Text(f"诉求台账中找不到编号“{fu.target}”",
                                        f"request {fu.target!r} is not in the requests ledger")
            return
        if fu.type in ("request_assign", "request_chase"):
            self._to_follower(fu, request)
        else:
            self._to_duty(fu)

    def plan_council(self, fu: FollowUp) -> None:
        """议事会落实 → the council's 记录人 (settings 议事会), else the 值班人员 on duty."""
        recorder = self.ctx.settings.council_recorder
        if recorder:
            self._set(fu, recorder, self.first_workday)
        else:
            self._to_duty(fu)

    def _to_follower(self, fu: FollowUp, request: Record) -> None:
        """The category's 跟进人 (settings 诉求类别), else the 值班人员 on duty."""
        name = request.get("category")
        category = None if name in (None, "") or "category" in request.invalid else \
            self.ctx.settings.category(str(name))
        if category is not None and category.follower:
            self._set(fu, category.follower, self.first_workday)
        else:
            self._to_duty(fu)

    def _to_duty(self, fu: FollowUp) -> None:
        duty = self.ctx.settings.duty
        if not duty:
            fu.unassigned_reason = Text("值班人员表为空（设置.xlsx 值班人员表）",
                                        "the duty roster (值班人员) in 设置.xlsx is empty")
            return
        cal, day = self.ctx.calendar, self.ctx.as_of
        for _ in range(STAFF_SEARCH_DAYS):
            if cal.is_workday(day):
                on_duty = _on_duty(duty, day, cal)
                if on_duty:
                    staff = min(on_duty, key=lambda s: (self.load[s.name], duty.index(s)))
                    self._set(fu, staff.name, day)
                    if day > fu.due:
                        fu.note = Text(f"{fu.due.isoformat()}前没有值班人员，排在最近的值班日",
                                       f"nobody on duty before {fu.due}; the next duty day is used")
                    return
            day += timedelta(days=1)
        fu.unassigned_reason = Text(f"{STAFF_SEARCH_DAYS}天内的工作日都没有值班人员（设置.xlsx 值班日）",
                                    f"no staff on duty on any working day in {STAFF_SEARCH_DAYS} days")

    def _set(self, fu: FollowUp, name: str, day: date) -> None:
        fu.assignee = fu.assignee_name = name
        fu.planned = day
        self.load[name] += 1


# =======================================================================================
def _on_duty(duty: tuple[DutyStaff, ...], day: date, calendar) -> list[DutyStaff]:
    """The 值班人员 whose 值班日 holds ``day`` (工作日 follows the working-day calendar)."""
    return [s for s in duty if s.on_duty(day, calendar)]


def _next_workday(calendar, day: date) -> date:
    for _ in range(STAFF_SEARCH_DAYS):
        if calendar.is_workday(day):
            return day
        day += timedelta(days=1)
    return day


def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return (iso[0], iso[1])


def _text(value) -> str:
    return "" if value is None else str(value)


def _unmatched_pairing(match: Match, resident: Record) -> Text:
    """No paired volunteer found: none written, or what is written fits nobody / several
    (D110 reports it too; the work order quotes it as written, like that message)."""
    written = usable(resident, "volunteer")
    if match.how == UNKNOWN and written is not None:
        return Text(f"老人登记的结对志愿者“{written}”在志愿者名册中找不到",
                    f"the paired volunteer written, '{written}', is not in the volunteer roster")
    if match.how == AMBIGUOUS and written is not None:
        ids = "、".join(_vid(v) for v in match.candidates)
        return Text(f"老人登记的结对志愿者“{written}”在志愿者名册中有{len(match.candidates)}位同名"
                    f"（{ids}），无法确定是哪一位",
                    f"the paired volunteer written, '{written}', fits {len(match.candidates)} volunteers")
    if match.how == ROSTER_SEVERAL:
        ids = "、".join(_vid(v) for v in match.candidates)
        return Text(f"老人没有填写结对志愿者，志愿者名册中{len(match.candidates)}位志愿者（{ids}）的"
                    f"结对老人都列了这位老人，无法确定是哪一位",
                    f"no paired volunteer written, and {len(match.candidates)} volunteers list the "
                    f"resident ({ids})")
    return Text("老人还没有结对志愿者", "the resident has no paired volunteer")


def _vid(vol: Record) -> str:
    """A volunteer as the work order's 负责人编号: 编号, else 姓名."""
    return str(vol.id if vol.id is not None else vol.get("name"))


def _who(vol: Record) -> str:
    """志五（ZY-005）, or the 姓名 alone when there is no 编号."""
    pid = _vid(vol)
    return f"{_text(vol.get('name')) or pid}（{pid}）" if vol.id is not None else pid


def _team(vol: Record) -> str:
    return norm(vol.get("team"))


def _same_person(vol: Record) -> str:
    """姓名|联系电话 when both are filled (D108's test for one volunteer on two rows), else ''."""
    parts = [norm(usable(vol, k)) for k in ("name", "phone")]
    return "|".join(parts) if all(parts) else ""


def _vol_key(vol: Record) -> tuple:
    return (norm(vol.id), vol.file, vol.sheet, vol.row)


def _span(days: list[date]) -> tuple[str, str]:
    if len(days) == 1:
        day = days[0]
        return (f"{day.isoformat()}（{schema.WEEKDAY_NAMES[day.weekday()]}）", f"on {day}")
    return (f"{days[0].isoformat()}至{days[-1].isoformat()}", f"from {days[0]} to {days[-1]}")
