"""Elderly care (domain layer): care tiers and the lookups built once per run (``ctx.care``).

Visits are matched to residents once (by 老人编号, else by 老人姓名), volunteers are indexed
by 编号 and by 姓名, and per-resident / per-volunteer visit lists are kept sorted, so every
rule and the assignment step ask this index instead of joining ledgers again.
Everything is O(n log n) in the number of rows. See docs/care.md for the decisions.

Built in one pass over the visits (issue #20): a reference is matched once per distinct way
it is written (150,000 visits of 3,000 residents name ~3,000 ids), the dated visits are sorted
once, and what several rules ask of a resident — the tier, the visits up to as-of, the latest
counted visit, the readings — is worked out once per resident, the first time it is asked.

A value whose key is in ``record.invalid`` failed to parse and is never used here.
"""
from __future__ import annotations

import copy
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter, itemgetter
from typing import Any, Iterable, Protocol

from toolkit import schema
from toolkit.domain.columns import Columns
from toolkit.domain.health import bp_candidates, bp_halves, bp_of
from toolkit.domain.names import norm, usable
from toolkit.domain.people import age_at, birth_from_id_number
from toolkit.model import Record
from toolkit.settings import Settings
from toolkit.workdays import WORKDAYS, Days, WorkCalendar

__all__ = ["CareIndex", "Match", "norm", "usable", "bp_of", "services_of", "was_seen",
           "age_at", "birth_from_id_number", "is_doctor"]

# how a visit found (or failed to find) its resident — D110 reports the failures
MATCH_ID = "id"                       # by 老人编号
MATCH_NAME = "name"                   # by 老人姓名 (no 编号 written)
MATCH_NAME_ESTATE = "name+estate"     # by 老人姓名, repeated name told apart by 小区
MATCH_NAME_BAD_ID = "name, id unknown"  # 编号 points at nothing, 姓名 found the resident
MATCH_ID_NAME_DIFFERS = "id, name differs"  # 编号 found a resident whose 姓名 is another
STAFF = "staff"                       # no volunteer, but a 居委 staff member of the settings
MATCH_SEVERAL = "several"             # a cell naming several visitors (曹玲、李静), each found
UNKNOWN = "unknown"                   # nothing matches
AMBIGUOUS = "ambiguous"               # several residents/volunteers match the name
EMPTY = "empty"                       # no reference written (D101's business)
# a pairing the elderly ledger leaves empty, found on the roster's side (结对老人 lists her)
MATCH_ROSTER = "roster"               # exactly one volunteer lists the resident
ROSTER_SEVERAL = "roster, several"    # several volunteers list her: not guessed (C303 says so)

SEEN_FAILED = schema.NOT_COUNTED_OUTCOMES   # 敲门无应答, 外出: the resident was not seen


def is_doctor(volunteer: Record) -> bool:
    """A member of the 家庭医生团队: her 所属队伍 names the family doctors (家庭医生团队, and as
    clerks also write it 家庭医生、家庭医生团队成员、社区家庭医生 …). Professionals: they take BP
    rechecks and are not counted as volunteers (V405, 在岗志愿者数). The one test for it."""
    return schema.TEAM_DOCTOR_WORD in norm(usable(volunteer, "team"))


@dataclass(frozen=True)
class Match:
    """Result of matching a reference: the record (or None) and how it was found."""
    record: Record | None
    how: str
    candidates: tuple[Record, ...] = ()   # the residents/volunteers an ambiguous name fits
    # a 走访人 cell naming several visitors (曹玲、李静): every volunteer found (``record`` is the
    # first) and the parts that found none (UNKNOWN) or several (AMBIGUOUS, ``candidates``)
    records: tuple[Record, ...] = ()
    parts: tuple[str, ...] = ()


def _row_key(record: Record) -> tuple:
    return (record.file, record.sheet, record.row)


def _visit_date(visit: Record) -> date:
    return visit.values["date"]


def _visit_key(visit: Record) -> tuple:
    return (visit.values.get("date"),) + _row_key(visit)


def services_of(visit: Record) -> tuple[str, ...] | None:
    """The visit's 服务类型 words; None when unreadable (not the same as empty)."""
    if "service" in visit.invalid:
        return None
    return tuple(visit.values.get("service") or ())


def was_seen(visit: Record) -> bool:
    """The resident was met or answered: outcome readable and not 敲门无应答/外出.

    An empty outcome counts as seen (staff leave 正常 blank); an unreadable one does not,
    since it may be a spelling of 敲门无应答.
    """
    outcome = visit.values.get("outcome")
    if "outcome" in visit.invalid or (outcome is not None and outcome not in schema.OUTCOMES):
        return False                       # a word outside the list (D109) is kept as written
    return outcome not in SEEN_FAILED


def went_unanswered(visit: Record) -> bool:
    """The visit found nobody: 敲门无应答 (or a synonym), or an outcome outside the list that
    contains one of those words (``敲门无应答（电话也未接）``, ``敲门无人应答``) — D109 all the same,
    but an urgent C307 must not lapse because the clerk wrote a few words more."""
    outcome = visit.values.get("outcome")
    if outcome in schema.OUTCOMES:
        return outcome == schema.OUTCOME_NO_ANSWER
    raw = visit.raw("outcome") if "outcome" in visit.invalid else outcome
    text = re.sub(r"\s+", "", str(raw)) if raw is not None else ""
    return any(word in text for word in schema.NO_ANSWER_WORDS) \
        and schema.REACHED_WORDS.search(text) is None


class Run(Protocol):
    """What the index needs of a run (``toolkit.domain.context.Context`` is one)."""
    as_of: date
    settings: Settings
    calendar: WorkCalendar
    columns: Columns

    def ledger(self, kind: str) -> list[Record]: ...


class CareIndex:
    """Lookups over the elderly, volunteers and visits ledgers of one run."""

    def __init__(self, ctx: Run):
        # no reference back to ctx: ctx.care -> index -> ctx would be a cycle that keeps a
        # checked community's records alive until a full collection (a town checked in one
        # process grew to 800 MB)
        self.calendar: WorkCalendar = ctx.calendar
        self.as_of: date = ctx.as_of
        self.settings = ctx.settings
        self.residents: list[Record] = list(ctx.ledger("elderly"))
        self.volunteers: list[Record] = list(ctx.ledger("volunteers"))
        self.visits: list[Record] = list(ctx.ledger("visits"))
        # any visit row giving two different readings (D111 bp_conflict) or half of one
        # (190/: D111 bp_no_diastolic)? Most runs: none
        self._any_conflict = any(map(_ALTERNATIVES, self.visits))   # C-level: 150,000 visits
        # per resident (by id()), worked out the first time a rule asks
        self._tier: dict[int, str] = {}
        self._until: dict[int, list[Record]] = {}
        self._last_counted: dict[int, Record | None] = {}
        self._readings: dict[int, list[tuple[Record, tuple[int, int]]]] = {}
        self._latest: dict[int, tuple[Record, tuple[int, int]] | None] = {}
        self._bp_memo: dict[Any, tuple[int, int] | None] = {}
        self._conflicts: dict[int, list[tuple[Record, tuple[tuple[int, int], ...]]]] = {}
        self._halves: dict[int, list[tuple[Record, tuple]]] = {}

        self.resident_by_id: dict[str, Record] = _first_by(self.residents, lambda r: norm(usable(r, "id")))
        # an 编号 given to several people (D107, another 姓名): all of them, for a visit naming one
        self._holders_of_id = {k: v for k, v in _group_by(
            self.residents, lambda r: norm(usable(r, "id"))).items() if len(v) > 1}
        self.volunteer_by_id: dict[str, Record] = _first_by(self.volunteers, lambda r: norm(usable(r, "id")))
        self._staff: frozenset[str] = frozenset(norm(n) for n in ctx.settings.staff_names)
        self._residents_by_name = _group_by(self.residents, lambda r: norm(usable(r, "name")))
        self._volunteers_by_name = _group_by(self.volunteers, lambda r: norm(usable(r, "name")))

        # visits matched ONCE per distinct written reference (the Match shared by the visits
        # that write it); dated visits per resident sorted by (date, file, sheet, row)
        self._resident_matches: dict[tuple, Match] = {}   # (编号, 姓名, 小区, sheet) -> Match
        self._volunteer_matches: dict[Any, Match] = {}    # 编号 or 姓名 -> Match
        self._visits_by_resident: dict[int, list[Record]] = defaultdict(list)
        self._visits_by_volunteer: dict[int, list[Record]] = defaultdict(list)
        self.doubtful_residents: list[tuple[Record, Match]] = []    # D110, in ledger order
        self.doubtful_volunteers: list[tuple[Record, Match]] = []
        self._index_visits([ctx.columns.values("visits", k) for k in _VISIT_KEYS])

        self._pair_match: dict[int, Match] = {}
        self._paired: dict[int, list[Record]] = defaultdict(list)
        # the roster's side (结对老人): who lists each resident; the entries naming nobody (D110)
        self.doubtful_roster: list[tuple[Record, str, Match]] = []
        # residents whose 结对志愿者 names one volunteer while others list her (D112, once)
        self.pairing_differs: list[tuple[Record, Record, tuple[Record, ...]]] = []
        listed = self._roster_pairings()
        for resident in self.residents:
            pm = self.match_volunteer(usable(resident, "volunteer"))
            by_roster = listed.get(id(resident), ())
            if by_roster and pm.how == EMPTY and "volunteer" not in resident.invalid:
                pm = (Match(by_roster[0], MATCH_ROSTER) if len(by_roster) == 1
                      else Match(None, ROSTER_SEVERAL, by_roster))
            elif by_roster and pm.record is not None:
                others = tuple(v for v in by_roster if _volunteer_key(v) != _volunteer_key(pm.record))
                if others:                 # the elderly ledger (the spec's column) wins
                    self.pairing_differs.append((resident, pm.record, others))
            self._pair_match[id(resident)] = pm
            if pm.record is not None:
                self._paired[id(pm.record)].append(resident)

    def _roster_pairings(self) -> dict[int, tuple[Record, ...]]:
        """Per resident (by id()), the volunteers whose 结对老人 lists her, in roster order (one
        volunteer on two rows, D107, counted once). An entry naming no resident, or a name
        several residents share, pairs nobody and is kept for D110 (``doubtful_roster``). A
        struck-through roster row is deleted: its list pairs nobody."""
        listed: dict[int, list[Record]] = defaultdict(list)
        for volunteer in self.volunteers:
            entries = usable(volunteer, "residents")
            if not entries or volunteer.struck:
                continue
            for entry in self._roster_entries(entries):
                match = self.match_roster_entry(entry)
                if match.record is None:
                    if match.how != EMPTY:
                        self.doubtful_roster.append((volunteer, str(entry), match))
                    continue
                mine = listed[id(match.record)]
                if all(_volunteer_key(v) != _volunteer_key(volunteer) for v in mine):
                    mine.append(self.volunteer_by_id.get(norm(usable(volunteer, "id")), volunteer))
        return {k: tuple(v) for k, v in listed.items()}

    def _roster_entries(self, written: Any) -> list[Any]:
        """The entries of a 结对老人 cell: split on 、，,；;/ and line breaks; a piece with spaces
        is one entry when it names someone as a whole (a name padded to line up, ``龚 珍``; a
        nickname after a space, ``龚宝根 (老龚)``), else its words are (``张三 李四``), a word
        naming nobody joined to the next when together they name someone (``欧阳 娜 李四``)."""
        if isinstance(written, (tuple, list)):
            return [e for w in written for e in self._roster_entries(w)]
        if not isinstance(written, str):
            return [written]
        found: list[Any] = []
        for piece in _ROSTER_SPLIT.split(written):
            piece = piece.strip()
            words = _RE_NAME_NOTE.sub(" ", piece).split()
            if not words:
                continue
            if len(words) < 2 or self._names_someone(piece):
                found.append(piece)
                continue
            i = 0
            while i < len(words):
                pair = " ".join(words[i:i + 2])
                if (i + 1 < len(words) and not self._names_someone(words[i])
                        and self._names_someone(pair)):
                    found.append(pair)
                    i += 2
                else:
                    found.append(words[i])
                    i += 1
        return found

    def _names_someone(self, entry: str) -> bool:
        return self.match_roster_entry(entry).how not in (UNKNOWN, EMPTY)

    def match_roster_entry(self, entry: Any) -> Match:
        """A resident named in a volunteer's 结对老人: by 老人编号 (an 编号 several residents
        hold, D107, fits each), else by a 姓名 (or the name before a bracketed note) only one
        resident has. Never a guess: several fit → AMBIGUOUS, none → UNKNOWN."""
        key = norm(entry)
        if not key:
            return Match(None, EMPTY)
        if key in self.resident_by_id:
            holders = self._holders_of_id.get(key)
            if holders:
                return Match(None, AMBIGUOUS, tuple(holders))
            return Match(self.resident_by_id[key], MATCH_ID)
        named = (self._residents_by_name.get(key) or self._residents_by_name.get(_bare_name(entry))
                 or (self._residents_by_name.get(norm(_RE_NAME_NOTE.sub("", entry)), [])
                     if type(entry) is str else []))
        if len(named) == 1:
            return Match(named[0], MATCH_NAME)
        if named:
            return Match(None, AMBIGUOUS, tuple(named))
        return Match(None, UNKNOWN)

    def at(self, day: date) -> "CareIndex":
        """This index answering as of ``day`` (a report's earlier cut-off) without being built
        again: the matching, the sorted visit lists and the pairings do not depend on the day
        and are shared; what does (the as-of date, and the per-resident tiers, visits up to
        as-of, last counted visits and readings worked out from it) starts afresh."""
        other = copy.copy(self)
        other.as_of = day
        other._tier, other._until, other._last_counted, other._readings = {}, {}, {}, {}
        other._latest, other._conflicts, other._halves = {}, {}, {}
        return other

    def _index_visits(self, columns: list[list[Any]]) -> None:
        """One pass over the visits: each matched to its resident and volunteer (once per
        distinct way the reference is written), then the dated ones sorted once and dealt out
        to residents and volunteers. ``columns``: the visits' values of ``_VISIT_KEYS``."""
        residents, volunteers = self._resident_matches, self._volunteer_matches
        dated: list[tuple] = []
        # is the ledger in (file, sheet, row) order already (as read: rows down each sheet, and
        # files and sheets whose names happen to sort as they come)? Checked on the way: a new
        # sheet against the last one, a row against the row above it
        ordered, last_file, last_sheet, last_row = True, "", "", 0
        for i, (visit, rid, name, estate, ref, day) in enumerate(zip(self.visits, *columns)):
            invalid = visit.invalid
            if invalid:            # a value that failed to parse is never used
                rid, name, estate, ref, day = (None if k in invalid else v for k, v in
                                               zip(_VISIT_KEYS, (rid, name, estate, ref, day)))
            sheet, file, row = visit.sheet, visit.file, visit.row
            if sheet is not last_sheet or file is not last_file:
                if ordered and (file, sheet, row) < (last_file, last_sheet, last_row):
                    ordered = False
                last_file, last_sheet = file, sheet
            elif row < last_row:
                ordered = False
            last_row = row
            written = (rid, name, estate, sheet)
            try:                   # the usual visit: both references met before
                match, vmatch = residents[written], volunteers[ref]
            except (KeyError, TypeError):
                match, vmatch = self._resident_match(written), self._visit_volunteer(ref)
            if match.how not in _CLEAR:
                self.doubtful_residents.append((visit, match))
            if vmatch.how not in _CLEAR:
                self.doubtful_volunteers.append((visit, vmatch))
            if day is not None:    # undated visits are D101/D102's business, never used here
                dated.append((day, file, sheet, row, i, match.record,
                              vmatch if vmatch.record is not None else None))
        # one sort by (date, file, sheet, row, ledger position): of a ledger in (file, sheet,
        # row) order, a stable sort by date alone gives just that (half the time: dates compare
        # once, not whole tuples on every tie)
        if ordered:
            dated.sort(key=_FIRST)
        else:
            dated.sort()
        visits = self.visits
        by_resident, by_volunteer = self._visits_by_resident, self._visits_by_volunteer
        for _, _, _, _, i, resident, volunteer in dated:
            if resident is not None:
                by_resident[id(resident)].append(visits[i])
            if volunteer is not None:
                by_volunteer[id(volunteer.record)].append(visits[i])
                for other in volunteer.records[1:]:      # visited together (曹玲、李静)
                    by_volunteer[id(other)].append(visits[i])

    # ---------------------------------------------------------------- matching
    def match_volunteer(self, ref: Any) -> Match:
        """Find a volunteer by 编号, else by a 姓名 that only one volunteer has."""
        key = norm(ref)
        if not key:
            return Match(None, EMPTY)
        if key in self.volunteer_by_id:
            return Match(self.volunteer_by_id[key], MATCH_ID)
        named = self._volunteers_by_name.get(key, [])
        if len(named) == 1:
            return Match(named[0], MATCH_NAME)
        if named:
            return Match(None, AMBIGUOUS, tuple(named))
        return Match(None, UNKNOWN)

    def volunteer_for(self, ref: str | None) -> Record | None:
        """The volunteer a 编号 or 姓名 refers to; None when unknown or ambiguous."""
        return self.match_volunteer(ref).record

    def match_visit(self, visit: Record) -> Match:
        """How a visit finds its resident (worked out once per distinct written reference).

        老人编号 first; when it is missing or points at nothing, 老人姓名. A repeated name is
        told apart only by a 小区 the visit carries (an ``estate`` value, or a sheet named after
        the 小区); otherwise it is ambiguous — never a guess.
        """
        return self._resident_match(tuple(usable(visit, k) for k in _VISIT_REF_KEYS) + (visit.sheet,))

    def _resident_match(self, written: tuple) -> Match:
        """``_match_written(*written)``, remembered per distinct ``written`` (``_remembered``)."""
        return _remembered(self._resident_matches, written, self._match_written)

    def _visit_volunteer(self, ref: Any) -> Match:
        """``match_visitor(ref)``, remembered per distinct ``ref`` (``_remembered``)."""
        return _remembered(self._volunteer_matches, ref, self.match_visitor)

    def match_visitor(self, ref: Any) -> Match:
        """Who made a visit: a volunteer (``match_volunteer``); else, when the name is one of
        the 居委 staff of the settings (``Settings.staff_names``: 值班人员 doing a safety
        check …), ``STAFF`` — no D110, the visit counts for the resident but for no volunteer."""
        match = self.match_volunteer(ref)
        if match.how == UNKNOWN and norm(ref) in self._staff:
            return Match(None, STAFF)
        if match.how == UNKNOWN and type(ref) is str:
            return self._match_visitors(ref) or match
        return match

    def _match_visitors(self, ref: str) -> Match | None:
        """A cell naming several visitors (``曹玲、李静``, ``ZY-004/ZY-024``; split on 、，,/；; and
        spaces) that matches no one as a whole: each part matched as ``match_visitor``. Every
        part found (a volunteer or staff): ``MATCH_SEVERAL``, the visit counts for each volunteer.
        Some found: UNKNOWN (or AMBIGUOUS) with only the other ``parts``, so D110 names just
        them; the found ones still count. None found: None (the cell is unknown as a whole)."""
        parts = [p for p in _VISITOR_SPLIT.split(ref) if norm(p)]
        if len(parts) < 2:
            return None
        found: list[Record] = []
        unknown: list[str] = []
        ambiguous: list[tuple[str, Match]] = []
        staff = False
        for part in parts:
            match = self.match_volunteer(part)
            if match.record is not None:
                if all(match.record is not r for r in found):
                    found.append(match.record)
            elif match.how == UNKNOWN and norm(part) in self._staff:
                staff = True
            elif match.how == AMBIGUOUS:
                ambiguous.append((part.strip(), match))
            else:
                unknown.append(part.strip())
        if not found and not staff:
            return None
        first = found[0] if found else None
        if unknown:
            return Match(first, UNKNOWN, records=tuple(found), parts=tuple(unknown))
        if ambiguous:
            part, match = ambiguous[0]
            return Match(first, AMBIGUOUS, match.candidates, records=tuple(found), parts=(part,))
        return Match(first, MATCH_SEVERAL if found else STAFF, records=tuple(found))

    def _match_written(self, rid: Any, name: Any, estate: Any, sheet: str) -> Match:
        """``match_visit`` on what a visit row writes: 老人编号, 老人姓名, 小区 and its sheet."""
        written, rid, name = name, norm(rid), norm(name)
        if rid and rid in self.resident_by_id:
            resident = self.resident_by_id[rid]
            if name and name != norm(usable(resident, "name")) \
                    and _bare_name(written) != norm(usable(resident, "name")):
                # the 编号 reused for another person (D107): the visit names which one
                holder = next((r for r in self._holders_of_id.get(rid, ())
                               if norm(usable(r, "name")) == name), None)
                if holder is not None:
                    return Match(holder, MATCH_ID)
                return Match(resident, MATCH_ID_NAME_DIFFERS)
            return Match(resident, MATCH_ID)
        if not name:
            return Match(None, UNKNOWN if rid else EMPTY)
        named = self._residents_by_name.get(name, [])
        if not named and _bare_name(written):
            named = self._residents_by_name.get(_bare_name(written), [])   # 胡引娣（胡阿姨）
        if len(named) > 1:
            estates = {norm(estate), norm(sheet)} - {""}
            in_estate = [r for r in named if norm(usable(r, "estate")) in estates]
            if len(in_estate) == 1:
                return Match(in_estate[0], _bad_id(rid, in_estate[0]) or MATCH_NAME_ESTATE)
            return Match(None, AMBIGUOUS, tuple(named))
        if named:
            return Match(named[0], _bad_id(rid, named[0]) or MATCH_NAME)
        return Match(None, UNKNOWN)

    def unattributed_visits(self, resident: Record, after: date | None = None) -> list[Record]:
        """Dated visits up to as-of (and after ``after``) whose 老人姓名 fits this resident and
        another one of the same name, with no 编号 telling them apart (D110 ``AMBIGUOUS``): the
        visits may be hers, but were counted for nobody. Ledger order."""
        by_resident = self.__dict__.get("_unattributed")
        if by_resident is None:          # day-independent: shared by ``at``'s copies
            by_resident = defaultdict(list)
            for visit, match in self.doubtful_residents:
                if match.how == AMBIGUOUS:
                    for candidate in match.candidates:
                        by_resident[id(candidate)].append(visit)
            self._unattributed = by_resident
        found = []
        for visit in by_resident.get(id(resident), ()):
            day = None if "date" in visit.invalid else visit.values.get("date")
            if isinstance(day, date) and day <= self.as_of and (after is None or day > after):
                found.append(visit)
        return found

    def resident_for_visit(self, visit: Record) -> Record | None:
        """The resident a visit is for; None when unknown or ambiguous (D110)."""
        return self.match_visit(visit).record

    def volunteer_of_visit(self, visit: Record) -> Record | None:
        """The volunteer who made a visit; None when unknown or ambiguous (D110)."""
        return self.visit_volunteer_match(visit).record

    def visit_volunteer_match(self, visit: Record) -> Match:
        return self._visit_volunteer(usable(visit, "volunteer"))

    def pairing_match(self, resident: Record) -> Match:
        """How a resident's 结对志愿者 was matched; when it is empty, the one volunteer whose
        结对老人 lists her (``MATCH_ROSTER``), or the several that do (``ROSTER_SEVERAL``)."""
        return self._pair_match.get(id(resident)) or self.match_volunteer(usable(resident, "volunteer"))

    # ---------------------------------------------------------------- residents
    def age(self, resident: Record) -> int | None:
        """Age at as-of: from 出生日期, else the ID number's birth date, else 年龄."""
        birth = usable(resident, "birth")
        if isinstance(birth, date):
            return age_at(birth, self.as_of)
        birth = birth_from_id_number(usable(resident, "id_number"))
        if birth is not None:
            return age_at(birth, self.as_of)
        age = usable(resident, "age")
        return int(age) if isinstance(age, (int, float)) and not isinstance(age, bool) else None

    def age_on(self, resident: Record, day: date) -> int | None:
        """Age on ``day`` (a reading's date): from the birth date when known, else the written 年龄."""
        birth = usable(resident, "birth")
        if not isinstance(birth, date):
            birth = birth_from_id_number(usable(resident, "id_number"))
        if isinstance(birth, date):
            return age_at(birth, day)
        age = usable(resident, "age")
        return int(age) if isinstance(age, (int, float)) and not isinstance(age, bool) else None

    def lives_alone(self, resident: Record) -> bool:
        """独居 = 是; empty or unreadable counts as not alone."""
        return usable(resident, "lives_alone") is True

    def hardships(self, resident: Record) -> tuple[str, ...]:
        return tuple(usable(resident, "hardship") or ())

    def tier(self, resident: Record) -> str:
        """Care tier: A = 独居 and (age ≥ 高龄 or 失能/重残); B = 独居 or any 特殊困难; C = others."""
        tier = self._tier.get(id(resident))
        if tier is None:
            tier = self._tier[id(resident)] = self._work_out_tier(resident)
        return tier

    def _work_out_tier(self, resident: Record) -> str:
        hardships = self.hardships(resident)
        if self.lives_alone(resident):
            age = self.age(resident)
            old = age is not None and age >= self.settings.thresholds.old_age
            if old or any(h in schema.SEVERE_HARDSHIPS for h in hardships):
                return "A"
            return "B"
        return "B" if hardships else "C"

    def interval(self, tier: str) -> int:
        return int(self.settings.intervals.get(tier, 0) or 0)

    def status(self, resident: Record) -> str | None:
        """The 状态 as read; when its cell is empty (or there is no 状态 column), 去世/迁出 as
        the row's 备注 says it in a clause of its own (``status_from_note``)."""
        status = usable(resident, "status")
        if status is None and resident.note is not None:
            return self.status_from_note(resident)
        return status

    def status_from_note(self, resident: Record) -> str | None:
        """去世/迁出 read from the 备注 of a resident whose 状态 cell is empty (never over a
        written status, even one the tool cannot read), else None."""
        if resident.note is None or "status" in resident.invalid or \
                str(resident.raw("status") or "").strip() not in ("",) + schema.EMPTY_MARKS:
            return None
        return gone_in_note(str(resident.note.raw), self.as_of)

    def on_register(self, resident: Record) -> bool:
        """在册: status empty or 在册. An unreadable status, or a word outside the list and its
        synonyms (健在, 正常: D109), counts as 在册 too: still due a visit and in every care
        rule and indicator — only a listed status (住院, 外出, 入住机构, 迁出, 去世) takes a
        resident out, never a word the tool does not know; and a row struck through (删除线,
        ``Record.struck``: the clerk's way of deleting it, docs/read.md)."""
        return not resident.struck and self.status(resident) not in _OFF_REGISTER

    def gone(self, resident: Record) -> bool:
        """Status 去世 or 迁出, or the row struck through (deleted: died or moved out, which
        one unknown — ``status`` does not say it)."""
        return resident.struck or self.status(resident) in schema.GONE_STATUSES

    def visits_of(self, resident: Record) -> list[Record]:
        """Dated visits matched to the resident, sorted by date then row (future ones too)."""
        return self._visits_by_resident.get(id(resident), [])

    def visits_until(self, resident: Record, day: date | None = None) -> list[Record]:
        """Matched visits on or before ``day`` (default as-of). Do not change the list: up
        to as-of it is worked out once per resident and shared."""
        if day is None or day == self.as_of:
            until = self._until.get(id(resident))
            if until is None:
                visits = self.visits_of(resident)
                until = self._until[id(resident)] = visits[:bisect_right(
                    visits, self.as_of, key=_visit_date)]
            return until
        visits = self.visits_of(resident)          # sorted by date: cut, don't scan
        return visits[:bisect_right(visits, day, key=_visit_date)]

    def visits_between(self, resident: Record, after: date, until: date) -> list[Record]:
        """Matched visits dated after ``after`` and on or before ``until``."""
        visits = self.visits_of(resident)
        return visits[bisect_right(visits, after, key=_visit_date):
                      bisect_right(visits, until, key=_visit_date)]

    def readings(self, resident: Record) -> list[tuple[Record, tuple[int, int]]]:
        """(visit, plausible reading) of the visits up to as-of, oldest first; unreadable and
        implausible readings never appear. Do not change the list (shared)."""
        readings = self._readings.get(id(resident))
        if readings is None:
            readings = [(visit, bp) for visit in self.visits_until(resident)
                        for bp in (self._reading(visit),) if bp is not None]
            self._readings[id(resident)] = readings
        return readings

    def latest_reading(self, resident: Record) -> tuple[Record, tuple[int, int]] | None:
        """The last of ``readings``, found from the latest visit backwards (most residents'
        latest visit has one: no walk over the year)."""
        readings = self._readings.get(id(resident))
        if readings is not None:
            return readings[-1] if readings else None
        key = id(resident)
        if key not in self._latest:       # C305 and C306 both ask
            self._latest[key] = self._last_reading(self.visits_until(resident))
        return self._latest[key]

    def _last_reading(self, visits: list[Record]) -> tuple[Record, tuple[int, int]] | None:
        for visit in reversed(visits):
            bp = self._reading(visit)
            if bp is not None:
                return visit, bp
        return None

    def bp_conflicts(self, resident: Record) -> list[tuple[Record, tuple[tuple[int, int], ...]]]:
        """(visit, its readings) of the visits up to as-of whose row gives two different
        readings (``bp_candidates``: 血压 130/80 beside 高压 | 低压 186/112), oldest first. Never
        in ``readings``: the value is unknown; only the danger rules weigh them (C306, C305).
        Do not change the list (shared)."""
        return self._of_alternatives(self._conflicts, resident, lambda visit: (
            [(visit, candidates)] if (candidates := bp_candidates(visit)) else []))

    def bp_halves(self, resident: Record) -> list[tuple[Record, tuple]]:
        """(visit, a half reading) of the visits up to as-of whose row gives one number of a
        reading (``bp_halves``: 190/ → (190, None); also a half among a row's two disagreeing
        candidates, 130/80 beside 高压 186 alone), oldest first. Never in ``readings``: only
        C306 weighs them. Do not change the list (shared)."""
        return self._of_alternatives(self._halves, resident,
                                     lambda visit: [(visit, half) for half in bp_halves(visit)])

    def _of_alternatives(self, memo: dict, resident: Record, entries) -> list:
        """``entries(visit)`` of each visit up to as-of whose row kept candidate readings
        (``Record.alternatives``), oldest first; worked out once per resident into ``memo``."""
        if not self._any_conflict:
            return []
        found = memo.get(id(resident))
        if found is None:
            found = memo[id(resident)] = [entry for visit in self.visits_until(resident)
                                          if visit.alternatives for entry in entries(visit)]
        return found

    def _reading(self, visit: Record) -> tuple[int, int] | None:
        """``bp_of(visit)``, worked out once per reading as written."""
        written = visit.values.get("blood_pressure")
        if not written or "blood_pressure" in visit.invalid:
            return None
        memo = self._bp_memo
        try:
            return memo[written]
        except KeyError:
            bp = memo[written] = bp_of(visit)
            return bp
        except TypeError:                  # unhashable: not remembered
            return bp_of(visit)

    def counts_as_visit(self, visit: Record, tier: str) -> bool:
        """Counts toward the interval: resident seen (not 敲门无应答/外出), and the service is
        not only 电话问候 (a phone call counts for tier C only)."""
        if not was_seen(visit):
            return False
        services = services_of(visit)
        if services is None:              # unreadable 服务类型: may be a phone call
            return tier == "C"
        phone_only = bool(services) and all(s == schema.SERVICE_PHONE for s in services)
        return not phone_only or tier == "C"

    def last_counted_visit(self, resident: Record) -> Record | None:
        """Latest counted visit on or before as-of."""
        key = id(resident)
        if key in self._last_counted:
            return self._last_counted[key]
        tier, found = self.tier(resident), None
        for visit in reversed(self.visits_until(resident)):
            if self.counts_as_visit(visit, tier):
                found = visit
                break
        self._last_counted[key] = found
        return found

    def next_due(self, resident: Record) -> date | None:
        """Date the next visit is due (last counted visit + interval); None if never visited."""
        last = self.last_counted_visit(resident)
        if last is None:
            return None
        return last.values["date"] + timedelta(days=self.interval(self.tier(resident)))

    def paired_volunteer(self, resident: Record) -> Record | None:
        return self.pairing_match(resident).record

    def last_visit(self, resident: Record) -> Record | None:
        """Latest visit on or before as-of, whatever its outcome."""
        visits = self.visits_until(resident)
        return visits[-1] if visits else None

    def last_visitor(self, resident: Record) -> Record | None:
        """Volunteer of the latest visit on or before as-of (None if unknown)."""
        last = self.last_visit(resident)
        return self.volunteer_of_visit(last) if last is not None else None

    # ---------------------------------------------------------------- volunteers
    def is_active(self, volunteer: Record) -> bool:
        """在岗: empty = yes. An unreadable 在岗 is not treated as active (no work is assigned),
        nor is a volunteer whose 离岗日期 is on or before the as-of date."""
        if "active" in volunteer.invalid or volunteer.struck:
            return False
        return volunteer.values.get("active") is not False and not self.has_left(volunteer)

    def inactive(self, volunteer: Record) -> bool:
        """在岗 written as 否, or a 离岗日期 on or before the as-of date (explicitly not
        active, or her row struck through: docs/read.md); what C304/V403 report."""
        return volunteer.struck or usable(volunteer, "active") is False or self.has_left(volunteer)

    def left_on(self, volunteer: Record) -> date | None:
        """离岗日期 when filled and readable."""
        left = usable(volunteer, "left")
        return left if isinstance(left, date) else None

    def has_left(self, volunteer: Record) -> bool:
        left = self.left_on(volunteer)
        return left is not None and left <= self.as_of

    def covers(self, volunteer: Record, estate: str | None) -> bool:
        """服务小区 contains ``estate`` or 全部."""
        estates = tuple(usable(volunteer, "estates") or ())
        if schema.ALL_ESTATES in estates:
            return True
        return bool(estate) and norm(estate) in {norm(e) for e in estates}

    def has_skill(self, volunteer: Record, skill: str) -> bool:
        return skill in tuple(usable(volunteer, "skills") or ())

    def available_on(self, volunteer: Record, day: date) -> bool:
        """可服务时间 holds the day (``Days.on``: 工作日 follows the working-day calendar, 调休
        included; weekdays as written); empty (or unreadable) = every working day. Never on
        or after the 离岗日期: a volunteer leaving tomorrow may serve today only."""
        left = self.left_on(volunteer)
        if left is not None and day >= left:
            return False
        days = Days.of(usable(volunteer, "availability")) or WORKDAYS
        return days.on(day, self.calendar)

    def capacity(self, volunteer: Record) -> int:
        """每周上限, or the settings default when empty/unreadable/negative."""
        cap = usable(volunteer, "capacity")
        if isinstance(cap, (int, float)) and not isinstance(cap, bool) and cap >= 0:
            return int(cap)
        return self.settings.thresholds.volunteer_weekly_cap

    def visits_in_week(self, volunteer: Record, day: date) -> int:
        """Visits logged by this volunteer in ``day``'s ISO week (any outcome): Monday to
        Sunday, cut from the date-sorted list."""
        monday = day - timedelta(days=day.weekday())
        visits = self.visits_by(volunteer)
        return bisect_right(visits, monday + timedelta(days=6), key=_visit_date) \
            - bisect_left(visits, monday, key=_visit_date)

    def visits_by(self, volunteer: Record) -> list[Record]:
        """Dated visits made by the volunteer, sorted by date then row."""
        return self._visits_by_volunteer.get(id(volunteer), [])

    def visits_by_until(self, volunteer: Record) -> list[Record]:
        """The volunteer's visits on or before as-of (sorted: cut, don't scan)."""
        visits = self.visits_by(volunteer)
        return visits[:bisect_right(visits, self.as_of, key=_visit_date)]

    def visits_by_between(self, volunteer: Record, after: date, until: date) -> list[Record]:
        """The volunteer's visits dated after ``after`` and on or before ``until``."""
        visits = self.visits_by(volunteer)
        return visits[bisect_right(visits, after, key=_visit_date):
                      bisect_right(visits, until, key=_visit_date)]

    def visits_by_after(self, volunteer: Record) -> list[Record]:
        """The volunteer's visits dated after as-of (booked ahead)."""
        visits = self.visits_by(volunteer)
        return visits[bisect_right(visits, self.as_of, key=_visit_date):]

    def paired_residents(self, volunteer: Record) -> list[Record]:
        """Residents paired with this volunteer (any status), in ledger order: their 结对志愿者
        names her, or it is empty and only her 结对老人 lists them."""
        return self._paired.get(id(volunteer), [])


# a date before the word in a 备注 (已于2026年8月去世, 2026.9迁出, 8月份去世, 2026年初迁出)
_NOTE_DATE = (r"(?:(?P<y>\d{4}|\d{2})\s*[年.．/\-]\s*)?(?:(?P<m>\d{1,2})\s*(?:月份?|[.．/\-])?"
              r"\s*(?:\d{1,2}\s*[日号]?)?)?\s*(?:初|底|中旬|上旬|下旬|左右)?")
_NOTE_GONE = re.compile(
    r"(?:本人|老人)?(?:已经?)?\s*(?:于|在)?\s*(?:" + _NOTE_DATE + r")?\s*(?:已经?)?\s*"
    r"(?:(?P<word>" + "|".join(w for ws in schema.NOTE_STATUS_WORDS.values() for w in ws) + r")"
    r"|(?P<move>" + "|".join(schema.NOTE_MOVE_WORDS) + r")(?P<place>[^\d]{0,10}?(?:"
    + "|".join(schema.NOTE_MOVE_PLACES) + r"))"
    r"(?:居住|生活|同住|住)?)了?")
# clauses end at punctuation, not at a space: 女儿 已搬走, 冬天 搬到女儿家住 are one clause each
_NOTE_CLAUSES = re.compile(r"[，,；;。！!]+")
_WORD_STATUS = {w: status for status, ws in schema.NOTE_STATUS_WORDS.items() for w in ws}


def gone_in_note(note: str, as_of: date) -> str | None:
    """去世/迁出 when a clause of ``note`` says only that (with 已/于 and a date not after
    ``as_of``): ``已于2026年8月去世``, ``2026.9迁出``, ``已故``, ``搬到女儿家``. Never for a
    clause with other words (``老伴已去世``, ``女儿说下月可能搬走``, ``曾住院``, ``拟迁出``), a move
    within the community or to a care home (``搬到12号``, ``搬到养老院``), or two statuses."""
    found = set()
    for clause in _NOTE_CLAUSES.split(note.strip()):
        m = _NOTE_GONE.fullmatch(clause.strip())
        if m is None:
            continue
        if m["move"] and any(w in m["place"] for w in schema.NOTE_MOVE_NOT):
            continue
        year = int(m["y"]) if m["y"] else None
        if year is not None and year < 100:
            year += 2000
        month = int(m["m"]) if m["m"] else None
        if year is not None and (year, month or 1) > (as_of.year, as_of.month):
            continue                          # 2027年1月迁出: not yet
        found.add("迁出" if m["move"] else _WORD_STATUS[m["word"]])
    return found.pop() if len(found) == 1 else None


# the listed statuses that take a resident off the register (their synonyms read as them)
_OFF_REGISTER = frozenset(schema.ELDERLY_STATUSES) - {schema.ON_REGISTER}
_VISIT_REF_KEYS = ("elderly_id", "elderly_name", "estate")
_VISIT_KEYS = ("elderly_id", "elderly_name", "estate", "volunteer", "date")
_FIRST = itemgetter(0)
_ALTERNATIVES = attrgetter("alternatives")
# nothing for D110
_CLEAR = frozenset((MATCH_ID, MATCH_NAME, MATCH_NAME_ESTATE, EMPTY, STAFF, MATCH_SEVERAL))
# between the visitors of one 走访人/志愿者 cell (docs/care.md)
# a name with a nickname or note: 胡引娣（胡阿姨）, 金国平(金老伯), 戴明华 戴阿姨 → the name before it
_RE_NAME_NOTE = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")


def _bare_name(written: Any) -> str:
    """The name a visit writes without a bracketed nickname or a word after a space ('' when
    nothing is left, or when it is the whole name anyway)."""
    if type(written) is not str:
        return ""
    words = _RE_NAME_NOTE.sub(" ", written).split()
    bare = norm(words[0]) if words else ""
    return bare if bare != norm(written) else ""


# between the residents of a roster's 结对老人 cell (spaces: ``CareIndex._roster_entries``)
_ROSTER_SPLIT = re.compile(rf"[{schema.LIST_SEPARATORS}\r\n]+")
_VISITOR_SPLIT = re.compile(rf"[{schema.LIST_SEPARATORS}\s]+")


def _bad_id(written_id: str, resident: Record) -> str | None:
    """``MATCH_NAME_BAD_ID`` when a visit's 老人编号 differs from the id of the resident its
    姓名 found. A resident with no id (the 编号 column or cell is missing: F004/D101 say so)
    cannot prove the written id wrong, so the name match stands on its own."""
    return MATCH_NAME_BAD_ID if written_id and resident.id is not None else None


def _volunteer_key(volunteer: Record) -> Any:
    """One volunteer however many roster rows she has: her 编号, else the row."""
    return norm(usable(volunteer, "id")) or id(volunteer)


def _remembered(memo: dict, written: Any, match) -> Match:
    """``match(written)`` (or ``match(*written)`` for a tuple), once per distinct ``written``.
    Only texts and Nones are remembered: 1, 1.0 and True are equal keys but are written
    differently — and a text never equals another type, so a look-up never mixes them up.
    (The memo is a plain dict the index holds: a dict that called back into the index would
    make a reference cycle, keeping a run's records alive until a full collection.)"""
    try:
        found = memo.get(written)
    except TypeError:                       # unhashable: matched on its own
        found = None
    if found is None:
        found = match(*written) if type(written) is tuple else match(written)
        parts = written if type(written) is tuple else (written,)
        if all(type(x) is str or x is None for x in parts):
            memo[written] = found
    return found


def _first_by(records: Iterable[Record], key) -> dict[str, Record]:
    out: dict[str, Record] = {}
    for r in records:
        k = key(r)
        if k and k not in out:
            out[k] = r
    return out


def _group_by(records: Iterable[Record], key) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        k = key(r)
        if k:
            out[k].append(r)
    return dict(out)
