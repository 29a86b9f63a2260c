"""Rules D108 (probably the same person twice), D110 (a reference points at nothing) and the
D112 on pairings written on both sides that disagree.

Matching itself lives in ``toolkit.domain.care.CareIndex`` (done once per run); these rules
report the matches that failed or were doubtful. Decisions in docs/care.md.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable

from toolkit import schema
from toolkit.check import rule
from toolkit.domain.care import (AMBIGUOUS, MATCH_ID_NAME_DIFFERS, MATCH_NAME_BAD_ID, UNKNOWN,
                                Match, norm, usable)
from toolkit.domain.context import Context
from toolkit.model import Finding, Record, Text, finding, workbook_order
from toolkit.text import listing


def _where(record: Record) -> str:
    return f"{record.file}「{record.sheet}」第{record.row}行"


def _where_text(record: Record) -> Text:
    """Where ``record`` is, in each language (an English message never quotes 「」第N行)."""
    return Text(_where(record), f"{record.file} / {record.sheet} row {record.row}")


def _called(record: Record, zh_none: str, en_none: str) -> Text:
    """A row by its 编号 (编号LR-015 / LR-015), or — a ledger without ids — as a row."""
    if record.id is None:
        return Text(zh_none, en_none)
    return Text(f"编号{record.id}", str(record.id))


def _candidates(match: Match) -> str:
    """The records a name could mean, by id — or by row when the ledger keeps no ids (F004)."""
    def label(r: Record) -> str:
        return r.id if r.id is not None else f"第{r.row}行"
    return "、".join(f"{label(r)}（{usable(r, 'estate') or ''}）" if r.kind == "elderly" else label(r)
                     for r in match.candidates)


# ------------------------------------------------------------------------ D110
@rule("D110")
def broken_references(ctx: Context) -> Iterable[Finding]:
    """Visit → unknown/ambiguous resident; visit → unknown volunteer; 结对志愿者 unknown."""
    care = ctx.care                  # the index keeps the doubtful matches, in ledger order
    # none while the ledger referred to may be in a file not read (domain/unread.py)
    if care.residents and not ctx.incomplete("elderly"):
        for visit, match in care.doubtful_residents:
            yield from _visit_resident(match, visit)
    if care.volunteers and not ctx.incomplete("volunteers"):
        for visit, match in care.doubtful_volunteers:
            yield from _volunteer_ref(match, visit, "volunteer",
                                      "巡访记录的志愿者", "visit's volunteer")
        for resident in care.residents:
            yield from _volunteer_ref(care.pairing_match(resident), resident, "volunteer",
                                      f"老人{usable(resident, 'name') or resident.id}的结对志愿者",
                                      f"paired volunteer of {resident.id}")
    # the roster's side: an entry of a volunteer's 结对老人 naming no resident, or several
    if care.residents and not ctx.incomplete("elderly"):
        for volunteer, written, match in care.doubtful_roster:
            yield from _roster_entry(match, volunteer, written)


def _volunteer_label(volunteer: Record) -> tuple[str, str]:
    """李红（ZY-001） and ZY-001 (the 姓名 alone when the roster keeps no ids)."""
    name = str(usable(volunteer, "name") or "")
    if volunteer.id is None:
        return name or f"第{volunteer.row}行", name or f"row {volunteer.row}"
    return (f"{name}（{volunteer.id}）" if name else str(volunteer.id)), str(volunteer.id)


def _roster_entry(match: Match, volunteer: Record, written: str) -> Iterable[Finding]:
    zh, en = _volunteer_label(volunteer)
    params = {"volunteer": zh, "volunteer_id": en, "written": written}
    if match.how == UNKNOWN:
        yield finding("D110", record=volunteer, key="residents", variant="roster_resident_unknown",
                      params=params)
    elif match.how == AMBIGUOUS:
        yield finding("D110", record=volunteer, key="residents", variant="roster_resident_ambiguous",
                      params={**params, "count": len(match.candidates),
                              "candidates": _candidates(match)})


# ------------------------------------------------------------------------ D112 (结对)
PAIRINGS_SHOWN = 10        # residents named in the one D112; the rest counted


@rule("D112")
def pairing_differs(ctx: Context) -> Iterable[Finding]:
    """One D112 a run when residents' 结对志愿者 names one volunteer and the roster's 结对老人
    lists them under another: the elderly ledger (the spec's column) is followed; the clerk is
    told once, naming the residents and the roster rows (docs/care.md)."""
    differs = ctx.care.pairing_differs
    if not differs:
        return
    first = differs[0][2][0]
    cell = first.cells.get("residents")
    names = []
    for resident, paired, others in differs[:PAIRINGS_SHOWN]:
        name = usable(resident, "name") or ""
        label = f"{name}（{resident.id}）" if resident.id and name else str(name or resident.id)
        rows_zh = "、".join(f"第{v.row}行{_volunteer_label(v)[0]}" for v in others)
        rows_en = ", ".join(f"row {v.row} {_volunteer_label(v)[1]}" for v in others)
        names.append(Text(f"{label}老年人台账为{_volunteer_label(paired)[0]}，名册{rows_zh}也列了这位老人",
                          f"{resident.id or name}: {_volunteer_label(paired)[1]} in the elderly "
                          f"ledger, also listed by {rows_en}"))
    if len(differs) > PAIRINGS_SHOWN:
        names.append(Text(f"等{len(differs)}位", f"and {len(differs) - PAIRINGS_SHOWN} more"))
    header = cell.header if cell is not None else schema.VOLUNTEERS.column("residents").header
    yield finding("D112", variant="pairing_differs", record=first, key="residents",
                  header=header, record_id=first.id,
                  params={"count": len(differs), "header": header,
                          "who": Text("；".join(n.zh for n in names), "; ".join(n.en for n in names))})


def _visit_resident(match: Match, visit: Record) -> Iterable[Finding]:
    rid, name = usable(visit, "elderly_id"), usable(visit, "elderly_name")
    label = listing(x for x in (rid, name) if x)
    if match.how == UNKNOWN:
        yield finding("D110", record=visit, key="elderly_id" if rid else "elderly_name",
                      variant="resident_unknown", params={"written": label})
    elif match.how == AMBIGUOUS:
        yield finding("D110", record=visit, key="elderly_name", variant="resident_ambiguous",
                      params={"name": name, "count": len(match.candidates),
                              "candidates": _candidates(match)})
    elif match.how == MATCH_NAME_BAD_ID:
        yield finding("D110", record=visit, key="elderly_id", variant="resident_bad_id",
                      params={"written": rid, "name": name,
                                                  "id": match.record.id})
    elif match.how == MATCH_ID_NAME_DIFFERS:
        yield finding("D110", record=visit, key="elderly_name", variant="resident_name_differs",
                      params={"written": rid, "name": name,
                                                  "real": usable(match.record, "name")})


def _volunteer_ref(match: Match, record: Record, key: str, what_zh: str,
                   what_en: str) -> Iterable[Finding]:
    ref = usable(record, key)
    part, params = "", {"what": Text(what_zh, what_en), "written": ref}
    if match.parts:                  # several visitors in one cell: name only those not found
        part = "_part"
        params.update(cell=ref, written=listing(match.parts))
    if match.how == UNKNOWN:
        yield finding("D110", record=record, key=key, variant=f"volunteer{part}_unknown",
                      params=params)
    elif match.how == AMBIGUOUS:
        yield finding("D110", record=record, key=key, variant=f"volunteer{part}_ambiguous",
                      params={**params,
                              "count": len(match.candidates), "candidates": _candidates(match)})


# ------------------------------------------------------------------------ D108
@rule("D108")
def probable_duplicates(ctx: Context) -> Iterable[Finding]:
    """Two rows with different ids that look like one person.

    elderly: same 身份证号, or same 姓名 + 小区 + 地址; volunteers: same 姓名 + 联系电话.
    The later row gets the finding and names the first row.
    """
    care = ctx.care
    yield from _duplicates(care.residents, "id_number",
                           lambda r: norm(usable(r, "id_number")), "身份证号相同", "same ID number")
    yield from _duplicates(care.residents, "name", _name_address, "姓名、小区和地址都相同",
                           "same name, estate and address", skip=_same_id_number)
    yield from _duplicates(care.volunteers, "phone", _name_phone, "姓名和联系电话都相同",
                           "same name and phone")


def _name_address(r: Record) -> str:
    parts = [norm(usable(r, k)) for k in ("name", "estate", "address")]
    return "|".join(parts) if parts[0] and parts[2] else ""


def _name_phone(r: Record) -> str:
    parts = [norm(usable(r, k)) for k in ("name", "phone")]
    return "|".join(parts) if all(parts) else ""


def _same_id_number(a: Record, b: Record) -> bool:
    """Already reported as the same ID number: do not report the pair twice."""
    x = norm(usable(a, "id_number"))
    return bool(x) and x == norm(usable(b, "id_number"))


def _duplicates(records: list[Record], key: str, signature: Callable[[Record], str],
                why_zh: str, why_en: str,
                skip: Callable[[Record, Record], bool] | None = None) -> Iterable[Finding]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        sig = signature(r)
        if sig:
            groups[sig].append(r)
    for group in groups.values():
        if len(group) < 2:
            continue
        group = workbook_order(group)                  # as D107: never by sheet name
        first = group[0]
        for other in group[1:]:
            if norm(other.id) == norm(first.id):
                continue                      # same id twice is D107
            if skip is not None and skip(first, other):
                continue
            yield finding("D108", record=other, key=key,
                          variant="no_id" if other.id is None or first.id is None else None,
                          params={
                "ledger": schema.KIND_LABELS[other.kind][0], "id": other.id,
                "first_id": first.id, "first_row": _where_text(first), "why": Text(why_zh, why_en),
                "this": _called(other, "这一行（未填编号）", "this row (no id)"),
                "first": _called(first, "那一行（未填编号）", "the row (no id)"),
                "name": usable(other, "name") or ""})
