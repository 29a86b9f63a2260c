"""Run history in SQLite (``DIR/.shequ/history.sqlite``): what each weekly run saw, so the next
run can tell when a row vanished (H601), a ledger shrank (H602) or a request went backwards
(H603), and the staff report can draw 12-week trends.

A file present but unreadable this run (F001/F002/F009) hides its rows; they have not
vanished. So does a sheet read without its id column (F004 for 编号: the header deleted or
retyped): its rows have no ids to compare. Its rows and per-sheet counts are carried forward from the last run that read it,
so the next comparison is against that last known state. A file that is simply gone is a real
disappearance (H601/H602); a renamed or moved file keeps its ids and is no change at all.

Privacy: per record only a fingerprint (hash of normalised values) and the few fields that
H601 needs to help a clerk restore a deleted row are stored — no ID numbers, no phones.
Per follow-up (``followups``, so the next week can say "上周已派，仍未完成"): its id, type,
kind, skill, codes, priority, planned date, and its target and assignee — as written when they
are a ledger's 编号 or a volunteer's 编号, else only a hash (``#`` + 16 hex digits) that the
next run compares with its own: a resident named in a visit row, a 值班人员 (whose id is the
name) are never stored by name.
The schema is versioned with ``PRAGMA user_version`` and applied by ordered migrations.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from toolkit import schema
from toolkit.domain.requests import stage as request_stage
from toolkit.domain.unread import unread_places
from toolkit.model import Finding, FollowUp, Record, Repeat, Workspace, finding
from toolkit.text import Text

SCHEMA_VERSION = 4
MIGRATIONS = {
    1: """
    CREATE TABLE runs (
        week TEXT PRIMARY KEY,           -- ISO week label, e.g. 2026-W48 (a re-run replaces it)
        as_of TEXT NOT NULL,
        indicators TEXT NOT NULL         -- JSON {code: value}
    );
    CREATE TABLE ledgers (
        week TEXT NOT NULL REFERENCES runs(week) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        records INTEGER NOT NULL,
        PRIMARY KEY (week, kind)
    );
    CREATE TABLE records (
        week TEXT NOT NULL REFERENCES runs(week) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        stage INTEGER,                   -- requests only
        status TEXT,
        restore TEXT NOT NULL,           -- JSON: file, sheet, row and the key fields to restore it
        PRIMARY KEY (week, kind, record_id)
    );
    """,
    2: """
    CREATE TABLE sheets (                -- records per sheet read, to carry an unreadable file
        week TEXT NOT NULL REFERENCES runs(week) ON DELETE CASCADE,
        file TEXT NOT NULL,
        sheet TEXT NOT NULL,
        kind TEXT NOT NULL,
        records INTEGER NOT NULL,
        PRIMARY KEY (week, file, sheet, kind)
    );
    """,
    3: """
    CREATE TABLE vanished (              -- rows an earlier run of the same week saw, gone since
        week TEXT NOT NULL REFERENCES runs(week) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        restore TEXT NOT NULL,           -- as in records; "week" is the week it was last seen
        PRIMARY KEY (week, kind, record_id)
    );
    """,
    4: """
    CREATE TABLE followups (             -- the week's work orders (a re-run replaces them)
        week TEXT NOT NULL REFERENCES runs(week) ON DELETE CASCADE,
        id TEXT NOT NULL,                -- FU-2026W48-001
        type TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,            -- the 编号, or '#' + hash (see the module docstring)
        skill TEXT NOT NULL,             -- '' when none
        codes TEXT NOT NULL,             -- JSON list
        priority TEXT NOT NULL,
        assignee TEXT,                   -- a volunteer's 编号, or '#' + hash; NULL: unassigned
        planned TEXT,
        times INTEGER NOT NULL,          -- runs in a row that made it (1 = new this week)
        since TEXT NOT NULL,             -- the first of those weeks
        PRIMARY KEY (week, id)
    );
    """,
}

# fields kept to help restore a vanished row (H601); never id_number or phone
RESTORE_FIELDS = {
    "requests": ("received", "source", "estate", "category", "content", "assignee", "resolved",
                 "replied"),
    "elderly": ("name", "estate", "address", "lives_alone", "volunteer", "status"),
    "volunteers": ("name", "team", "estates", "skills"),
}
SHRINK_RATIO = 0.10
TRACKED_KINDS = tuple(RESTORE_FIELDS)     # visits have no id: covered by H602 only


class HistoryError(Exception):
    """The history database cannot be used (corrupt, locked, from a newer version)."""


@dataclass
class PastRun:
    week: str
    as_of: date
    indicators: dict[str, float]


def _text(value) -> str:
    if type(value) is str:          # most values: asked first (980 records × 27 values a week)
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return "、".join(str(v) for v in items)
    return "" if value is None else str(value)


def _kept(value):
    """A value as kept in ``restore``: text, except a 是/否 value, kept as a JSON true/false
    so that H601 can say 是/否 (yes/no) in the language of the run."""
    return value if isinstance(value, bool) else _text(value)


def _shown(kind: str, key: str, value, lang: str) -> str:
    """A kept value as a clerk writes it: 是/否 (yes/no) for a 是/否 column; a database
    written before ``_kept`` holds the text True/False there."""
    if schema.LEDGERS[kind].column(key).type == schema.BOOL and value in (True, False, "True", "False"):
        yes = value in (True, "True")
        if lang == "en":
            return "yes" if yes else "no"
        return schema.BOOL_CHOICES[0] if yes else schema.BOOL_CHOICES[1]
    return _text(value)


def fingerprint(record: Record) -> str:
    payload = json.dumps({k: _text(v) for k, v in record.values.items()},
                         ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def _lost_ids(f: Finding) -> bool:
    """F004 for the id column of a ledger with ids: the sheet was read, its ids were not."""
    if f.code != "F004" or f.kind not in RESTORE_FIELDS or not f.sheet:
        return False
    return schema.LEDGERS[f.kind].column("id").header in (f.header or "").split("、")


def hidden_places(workspace: Workspace) -> set[tuple[str, str | None]]:
    """The places whose ids history cannot see this run: every unreadable file or sheet
    (``unread_places``: F001/F002/F009) and a sheet read without its id column (F004)."""
    return unread_places(workspace) | {(f.file, f.sheet) for f in workspace.findings
                                       if f.file and _lost_ids(f)}


def _hidden(places: set[tuple[str, str | None]], file: str | None, sheet: str | None) -> bool:
    return (file, None) in places or (file, sheet) in places


def _hashed(text: str) -> str:
    return "#" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _is_place(fu: FollowUp) -> bool:
    """The target is a row's place (file/sheet/row: nothing named it): not the same thing
    next week, so never matched."""
    return any(fu.target == f"{f.file or ''}/{f.sheet or ''}/{f.row or ''}" for f in fu.findings)


def _kept_target(fu: FollowUp, ctx) -> str:
    """The target as stored: as written when it is the 编号 of the record it resolved to, or
    a meeting (date and name); else its hash (a resident's name written in a visit row …)."""
    record = ctx.resolve(fu.ref)
    if record is not None and (fu.type == "council" or
                               (record.id is not None and str(record.id) == fu.target)):
        return fu.target
    return _hashed(fu.target)


def _kept_assignee(fu: FollowUp) -> str | None:
    """A volunteer's 编号 as written; a name standing for an id (值班人员, a volunteer without
    编号) only as its hash."""
    if not fu.assignee:
        return None
    return fu.assignee if fu.assignee != fu.assignee_name else _hashed(fu.assignee)


def _key(fu: FollowUp, ctx) -> tuple[str, str, str]:
    return fu.type, _kept_target(fu, ctx), fu.skill or ""


def _week_start(label: str) -> date:
    year, week = label.split("-W")
    return date.fromisocalendar(int(year), int(week), 1)


def _next_week(earlier: str, later: str) -> bool:
    return (_week_start(later) - _week_start(earlier)).days == 7


class History:
    """Open with ``History.open(path)``; raises HistoryError when the file is unusable."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn, self.path = conn, path

    @classmethod
    def open(cls, path: Path) -> "History":
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(str(path), timeout=2.0)
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                conn.close()
                raise HistoryError(f"history schema {version} is newer than {SCHEMA_VERSION}")
            for v in range(version + 1, SCHEMA_VERSION + 1):
                with conn:
                    conn.executescript(MIGRATIONS[v])
                    conn.execute(f"PRAGMA user_version = {v}")
            conn.execute("SELECT count(*) FROM runs").fetchone()
        except sqlite3.DatabaseError as exc:
            raise HistoryError(str(exc)) from exc
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    # -- reading -------------------------------------------------------------------------
    def previous_week(self, week: str) -> str | None:
        row = self.conn.execute("SELECT week FROM runs WHERE week < ? ORDER BY week DESC LIMIT 1",
                                (week,)).fetchone()
        return row[0] if row else None

    def latest_week_after(self, week: str) -> str | None:
        """The latest week recorded after ``week`` (a run of an earlier week leaves the
        history alone when there is one)."""
        row = self.conn.execute("SELECT max(week) FROM runs WHERE week > ?", (week,)).fetchone()
        return row[0]

    def has_run(self, week: str) -> bool:
        return self.conn.execute("SELECT 1 FROM runs WHERE week = ?", (week,)).fetchone() is not None

    def baselines(self, week: str) -> list[str]:
        """The runs a run of ``week`` is compared with: the previous week's, then this week's
        earlier run (a re-run of the same week), when there are."""
        return [w for w in (self.previous_week(week), week if self.has_run(week) else None) if w]

    def latest_run(self) -> PastRun | None:
        """The run of the latest week recorded (for ``schedule --status``)."""
        row = self.conn.execute("SELECT week, as_of, indicators FROM runs ORDER BY week DESC "
                                "LIMIT 1").fetchone()
        return PastRun(row[0], date.fromisoformat(row[1]), json.loads(row[2])) if row else None

    def past_runs(self, week: str, limit: int = 12) -> list[PastRun]:
        """Up to ``limit`` runs before ``week``, oldest first (for trends)."""
        rows = self.conn.execute(
            "SELECT week, as_of, indicators FROM runs WHERE week < ? ORDER BY week DESC LIMIT ?",
            (week, limit)).fetchall()
        return [PastRun(w, date.fromisoformat(a), json.loads(i)) for w, a, i in reversed(rows)]

    def _stored(self, week: str, kind: str) -> dict[str, tuple]:
        """``week``'s rows of ``kind``: record_id → (stage, status, restore dict)."""
        return {rid: (stage, status, json.loads(restore)) for rid, stage, status, restore in
                self.conn.execute("SELECT record_id, stage, status, restore FROM records "
                                  "WHERE week = ? AND kind = ?", (week, kind))}

    def _vanished_in(self, week: str, kind: str) -> dict[str, dict]:
        """Rows an earlier run of ``week`` saw and a later run of ``week`` did not."""
        return {rid: json.loads(restore) for rid, restore in self.conn.execute(
            "SELECT record_id, restore FROM vanished WHERE week = ? AND kind = ?", (week, kind))}

    def _followups(self, week: str) -> dict[tuple[str, str, str], tuple]:
        """``week``'s stored follow-ups: (type, target, skill) → (assignee, planned, times,
        since)."""
        return {(t, target, skill): (assignee, planned, times, since)
                for t, target, skill, assignee, planned, times, since in self.conn.execute(
                    "SELECT type, target, skill, assignee, planned, times, since FROM followups "
                    "WHERE week = ? ORDER BY id", (week,))}

    def repeats(self, week: str, followups: list[FollowUp], ctx) -> dict[str, Repeat]:
        """The follow-ups (by id) that the previous week with a run (not this week's earlier
        run) made too, with the same type, target and skill: sent then, still called for.
        The previous assignee's name is this run's (volunteer roster, 值班人员, assignees)."""
        previous = self.previous_week(week)
        if previous is None:
            return {}
        before = self._followups(previous)
        if not before:
            return {}
        names = self._names(followups, ctx)
        adjacent = _next_week(previous, week)
        row = self.conn.execute("SELECT as_of FROM runs WHERE week = ?", (previous,)).fetchone()
        then = date.fromisoformat(row[0]) if row else None
        out: dict[str, Repeat] = {}
        for fu in followups:
            if _is_place(fu) or _visited_since(fu, ctx, then):
                continue
            found = before.get(_key(fu, ctx))
            if found is None:
                continue
            assignee, planned, times, since = found
            who, name = names.get(assignee, (None, None)) if assignee else (None, None)
            if who is None and assignee and not assignee.startswith("#"):
                who = assignee          # a 编号 no longer on the roster: shown as the id
            out[fu.id] = Repeat(
                previous=previous, adjacent=adjacent, assigned=assignee is not None,
                assignee=who, assignee_name=name,
                planned=date.fromisoformat(planned) if planned else None, times=times + 1, since=since,
                weeks=(_week_start(week) - _week_start(since)).days == 7 * times)
        return out

    @staticmethod
    def _names(followups: list[FollowUp], ctx) -> dict[str, tuple[str, str]]:
        """stored assignee → (id, name) for everyone this run knows: volunteers by 编号 (and
        by the hash of a name standing for an id), 值班人员 and this run's assignees."""
        out: dict[str, tuple[str, str]] = {}
        for v in sorted(ctx.care.volunteers, key=lambda r: (str(r.id or ""), r.file, r.sheet, r.row)):
            name = _text(v.get("name"))
            if v.id is not None:
                out.setdefault(str(v.id), (str(v.id), name or str(v.id)))
            elif name:
                out.setdefault(_hashed(name), (name, name))
        for person in ctx.settings.duty:
            out.setdefault(_hashed(person.name), (person.name, person.name))
        for fu in followups:
            kept = _kept_assignee(fu)
            if kept:
                out.setdefault(kept, (fu.assignee, fu.assignee_name or fu.assignee))
        return out

    # -- comparing ------------------------------------------------------------------------
    def compare(self, workspace: Workspace, week: str) -> list[Finding]:
        """H601/H602/H603 against the previous week's run and, for a re-run of the same week,
        against this week's earlier run too (``baselines``): what the week's first run
        reported is reported again, and what vanished since it is reported as well."""
        bases = self.baselines(week)
        if not bases:
            return []
        findings: list[Finding] = []
        places = hidden_places(workspace)
        shrinks = {base: self._shrinks(base, workspace, places) for base in bases}
        for kind in schema.KINDS:       # against the previous week first
            found = next((shrinks[base][kind] for base in bases if kind in shrinks[base]), None)
            if found is not None:
                findings.append(found)
        earlier = week if bases[-1] == week else None
        for kind in TRACKED_KINDS:
            current: dict[str, Record] = {}
            copies: dict[str, int] = {}
            for r in workspace.ledger(kind):     # the first row of an id, as stored (D107)
                if r.id:
                    current.setdefault(r.id, r)
                    copies[r.id] = copies.get(r.id, 0) + 1
            stored = {base: self._stored(base, kind) for base in bases}
            gone = self._vanished_in(earlier, kind) if earlier else {}
            for record_id in sorted(set(gone).union(*stored.values())):
                record = current.get(record_id)
                if record is None:
                    # last known values: the newest run that saw it
                    seen = [(base, stored[base][record_id][2]) for base in bases
                            if record_id in stored[base]]
                    if record_id in gone:
                        seen.append((week, gone[record_id]))
                    base, last = seen[-1]
                    if not _hidden(places, last.get("file"), last.get("sheet")):
                        findings.append(_vanished(kind, record_id, last, base))
                elif kind == "requests" and copies[record_id] == 1:
                    for base in bases:       # D107 then or now: which row is it? no H603
                        if record_id in stored[base] and stored[base][record_id][2].get("copies", 1) == 1:
                            stage, status, _ = stored[base][record_id]
                            back = _went_back(record, stage, status, base)
                            if back:
                                findings.extend(back)
                                break
        return findings

    def _shrinks(self, base: str, workspace: Workspace, places: set) -> dict[str, Finding]:
        """H602 per kind against the run of ``base``."""
        counts = dict(self.conn.execute("SELECT kind, records FROM ledgers WHERE week = ?",
                                        (base,)).fetchall())
        hidden = self._hidden_counts(base, places)
        out: dict[str, Finding] = {}
        for kind in schema.KINDS:
            if kind not in hidden:      # unknown share of an unreadable file: no guess
                continue
            records = workspace.ledger(kind)     # rows of a sheet without ids: not counted
            now = (sum(1 for r in records if not _hidden(places, r.file, r.sheet)) if places
                   else len(records))
            before = counts.get(kind, 0) - hidden[kind]
            if before > 0 and now < before * (1 - SHRINK_RATIO):
                out[kind] = finding("H602", kind=kind, value=now, params={
                    "ledger": Text(*schema.KIND_LABELS[kind]), "previous": base,
                    "before": before, "now": now, "fewer": before - now})
        return out

    def _hidden_counts(self, week: str, places: set) -> dict[str, int]:
        """Per kind, how many of ``week``'s records stood on sheets unread this run. A run
        stored before per-sheet counts existed knows it only for the kinds with ids; the other
        kinds are left out (no H602 for them while a file is unreadable)."""
        out = {kind: 0 for kind in schema.KINDS}
        if not places:
            return out
        sheets = self.conn.execute("SELECT file, sheet, kind, records FROM sheets WHERE week = ?",
                                   (week,)).fetchall()
        if sheets:
            for file, sheet, kind, n in sheets:
                if kind in out and _hidden(places, file, sheet):
                    out[kind] += n
            return out
        out = {kind: 0 for kind in TRACKED_KINDS}
        for kind, restore in self.conn.execute(
                "SELECT kind, restore FROM records WHERE week = ?", (week,)).fetchall():
            last = json.loads(restore)
            if kind in out and _hidden(places, last.get("file"), last.get("sheet")):
                out[kind] += 1
        return out

    # -- writing --------------------------------------------------------------------------
    def record_run(self, workspace: Workspace, week: str, as_of: date,
                   indicators: dict[str, float], followups: list[FollowUp] = (),
                   ctx=None) -> None:
        """Store this run (replacing an earlier run of the same week), with its follow-ups
        (``ctx`` resolves their targets; ``repeat`` gives how many weeks in a row). The rows and counts of
        files unreadable this run are carried from the run before (``hidden_places``): the
        week's earlier run if there is one, else the previous week's. Rows the week's earlier
        run saw (or had already lost) that are gone now are kept in ``vanished``, so every
        later run of the week still reports them (H601)."""
        places = hidden_places(workspace)
        earlier = week if self.has_run(week) else None
        source = earlier or (self.previous_week(week) if places else None)
        carry = source if places else None
        sheets: dict[tuple[str, str, str], int] = {}
        for kind in schema.KINDS:
            for r in workspace.ledger(kind):
                key = (r.file or "", r.sheet or "", kind)
                sheets[key] = sheets.get(key, 0) + 1
        counts = {k: len(workspace.ledger(k)) for k in schema.KINDS}
        if carry is not None:
            for file, sheet, kind, n in self.conn.execute(
                    "SELECT file, sheet, kind, records FROM sheets WHERE week = ?", (carry,)).fetchall():
                if _hidden(places, file, sheet) and (file, sheet, kind) not in sheets:
                    sheets[(file, sheet, kind)] = n
                    counts[kind] = counts.get(kind, 0) + n
        rows, seen = [], set()
        for kind in TRACKED_KINDS:
            copies: dict[str, int] = {}
            for r in workspace.ledger(kind):
                if r.id:
                    copies[r.id] = copies.get(r.id, 0) + 1
            for r in workspace.ledger(kind):
                if not r.id or (kind, r.id) in seen:
                    continue
                seen.add((kind, r.id))
                restore = {"file": r.file, "sheet": r.sheet, "row": r.row,
                           **{k: _kept(r.values.get(k)) for k in RESTORE_FIELDS[kind]}}
                if copies[r.id] > 1:             # D107: no H603 against it (``compare``)
                    restore["copies"] = copies[r.id]
                rows.append((week, kind, r.id, fingerprint(r),
                             request_stage(r) if kind == "requests" else None,
                             r.values.get("status"), json.dumps(restore, ensure_ascii=False)))
        if carry is not None:
            rows.extend(self._carried(carry, week, places, seen))
        gone = self._gone_since(earlier, week, seen) if earlier else []
        with self.conn:
            self.conn.execute("DELETE FROM runs WHERE week = ?", (week,))
            self.conn.execute("INSERT INTO runs VALUES (?, ?, ?)",
                              (week, as_of.isoformat(), json.dumps(indicators, sort_keys=True)))
            self.conn.executemany("INSERT INTO ledgers VALUES (?, ?, ?)",
                                  [(week, k, counts[k]) for k in schema.KINDS])
            self.conn.executemany("INSERT INTO sheets VALUES (?, ?, ?, ?, ?)",
                                  [(week, *key, n) for key, n in sorted(sheets.items())])
            self.conn.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            self.conn.executemany("INSERT INTO vanished VALUES (?, ?, ?, ?)", gone)
            self.conn.executemany("INSERT INTO followups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                  _followup_rows(week, followups, ctx))

    def _gone_since(self, earlier: str, week: str, seen: set) -> list[tuple]:
        """The rows of ``earlier`` (this week's earlier run), and those it had already lost,
        that this run does not hold: they stay reported for the rest of the week."""
        out = []
        for kind in TRACKED_KINDS:
            before = {rid: last for rid, (_, _, last) in self._stored(earlier, kind).items()}
            before.update(self._vanished_in(earlier, kind))
            for record_id, last in sorted(before.items()):
                if (kind, record_id) not in seen:
                    last.setdefault("week", earlier)
                    out.append((week, kind, record_id, json.dumps(last, ensure_ascii=False)))
        return out

    def _carried(self, previous: str, week: str, places: set, seen: set) -> list[tuple]:
        """``previous``'s rows on sheets unread this run, kept as this run's (last known
        state); the week they were last read stays in ``restore`` for H601's message."""
        out = []
        for kind, record_id, fp, stage, status, restore in self.conn.execute(
                "SELECT kind, record_id, fingerprint, stage, status, restore FROM records "
                "WHERE week = ? ORDER BY kind, record_id", (previous,)).fetchall():
            last = json.loads(restore)
            if (kind, record_id) in seen or not _hidden(places, last.get("file"), last.get("sheet")):
                continue
            seen.add((kind, record_id))
            last.setdefault("week", previous)
            out.append((week, kind, record_id, fp, stage, status,
                        json.dumps(last, ensure_ascii=False)))
        return out


VISIT_TYPES = ("visit", "safety_check", "bp_recheck")   # orders a visit row completes


def _visited_since(fu: FollowUp, ctx, then: date | None) -> bool:
    """A visit-type order (巡访, 安全核查, 血压复查) whose resident has a visit logged on or
    after the previous run's as-of date (``then``; a 血压复查: a visit with a reading): last
    week's order was carried out, this one comes from what that visit found (a recheck still
    high, again 需跟进, again 敲门无应答) — never "台账里还没有完成的记录"."""
    if then is None or fu.type not in VISIT_TYPES:
        return False
    resident = ctx.resolve(fu.ref)
    if resident is None or resident.kind != "elderly":
        return False
    care = ctx.care
    if fu.type == "bp_recheck":
        done = [visit for visit, _ in care.readings(resident)]
    else:
        done = care.visits_until(resident)
    return any(then <= visit.values["date"] for visit in done)


def _followup_rows(week: str, followups: list[FollowUp], ctx) -> list[tuple]:
    rows = []
    for fu in sorted(followups, key=lambda f: f.id):
        if _is_place(fu):
            continue
        repeat = fu.repeat
        rows.append((week, fu.id, fu.type, fu.kind, _kept_target(fu, ctx), fu.skill or "",
                     json.dumps(list(fu.codes)), fu.priority, _kept_assignee(fu),
                     fu.planned.isoformat() if fu.planned else None,
                     repeat.times if repeat else 1, repeat.since if repeat else week))
    return rows


def _vanished(kind: str, record_id: str, restore: dict, previous: str) -> Finding:
    ledger = schema.LEDGERS[kind]
    kept = [(k, v) for k, v in restore.items() if k in ledger.keys and v not in (None, "")]
    shown = "，".join(f"{ledger.column(k).header}：{_shown(kind, k, v, 'zh')}" for k, v in kept)
    shown_en = ", ".join(f"{ledger.column(k).label_en}: {_shown(kind, k, v, 'en')}" for k, v in kept)
    return finding("H601", kind=kind, file=restore.get("file"), sheet=restore.get("sheet"),
                   record_id=record_id, value=None, params={
                       "id": record_id, "previous": restore.get("week", previous), "file": restore.get("file"),
                       "sheet": restore.get("sheet"), "row": restore.get("row"),
                       "last_values": Text(shown, shown_en)})


def _went_back(record: Record, stage_before: int | None, status_before: str | None,
               previous: str) -> list[Finding]:
    now = request_stage(record)
    reopened = record.values.get("status") == schema.REOPENED and status_before != schema.REOPENED
    if stage_before is None or not (now < stage_before or reopened):
        return []
    before_label, now_label = schema.STAGE_LABELS[stage_before], schema.STAGE_LABELS[now]
    return [finding("H603", record=record, key="status",
                    variant="reopened" if reopened and now >= stage_before else None,
                    params={"id": record.id, "previous": previous, "before": Text(*before_label),
                            "now": Text(*now_label)})]
