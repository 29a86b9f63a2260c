"""Rules D108 (probably the same person twice) and D110 (a reference points at nothing).

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
