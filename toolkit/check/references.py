"""Rules D108 (probably the same person twice) and D110 (a reference points at nothing).

Matching itself lives in ``toolkit.check.care.CareIndex`` (done once per run); these rules
report the matches that failed or were doubtful. Decisions in docs/care.md.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable

from toolkit import schema
from toolkit.check import rule
from toolkit.check.care import (AMBIGUOUS, MATCH_ID_NAME_DIFFERS, MATCH_NAME_BAD_ID, UNKNOWN,
                                Match, norm, usable)
from toolkit.check.context import Context
from toolkit.model import Finding, Record, Text, finding, workbook_order


def _where(record: Record) -> str:
    return f"{record.file}「{record.sheet}」第{record.row}行"


def _candidates(match: Match) -> str:
    return "、".join(f"{r.id}（{usable(r, 'estate') or ''}）" if r.kind == "elderly" else str(r.id)
                     for r in match.candidates)


# ------------------------------------------------------------------------ D110
@rule("D110")
def broken_references(ctx: Context) -> Iterable[Finding]:
    """Visit → unknown/ambiguous resident; visit → unknown volunteer; 结对志愿者 unknown."""
    care = ctx.care
    if care.residents:
        for visit in care.visits:
            yield from _visit_resident(care.match_visit(visit), visit)
    if care.volunteers:
        for visit in care.visits:
            yield from _volunteer_ref(care.visit_volunteer_match(visit), visit, "volunteer",
                                      "巡访记录的志愿者", "visit's volunteer")
        for resident in care.residents:
            yield from _volunteer_ref(care.pairing_match(resident), resident, "volunteer",
                                      f"老人{usable(resident, 'name') or resident.id}的结对志愿者",
                                      f"paired volunteer of {resident.id}")


def _visit_resident(match: Match, visit: Record) -> Iterable[Finding]:
    rid, name = usable(visit, "elderly_id"), usable(visit, "elderly_name")
    label = "、".join(str(x) for x in (rid, name) if x)
    if match.how == UNKNOWN:
        yield finding("D110", Text(
            f"巡访记录中的老人“{label}”在老年人台账中找不到，这次巡访没有计入任何老人",
            f"visited resident '{label}' is not in the elderly ledger"),
            record=visit, key="elderly_id" if rid else "elderly_name",
            fix=Text("按老年人台账填写正确的老人编号（或姓名）；若是新老人，先在老年人台账登记",
                     "write the resident's id as in the elderly ledger, or add the resident"))
    elif match.how == AMBIGUOUS:
        yield finding("D110", Text(
            f"巡访记录只写了姓名“{name}”，老年人台账中有{len(match.candidates)}位同名老人"
            f"（{_candidates(match)}），无法确定是哪一位，这次巡访没有计入",
            f"resident name '{name}' fits {len(match.candidates)} residents; the visit was not counted"),
            record=visit, key="elderly_name",
            fix=Text("在巡访记录中填写老人编号", "write the resident's id in the visit row"))
    elif match.how == MATCH_NAME_BAD_ID:
        yield finding("D110", Text(
            f"巡访记录的老人编号“{rid}”在老年人台账中找不到；已按姓名“{name}”计入老人"
            f"{match.record.id}",
            f"resident id '{rid}' is unknown; the visit was matched by name to {match.record.id}"),
            record=visit, key="elderly_id",
            fix=Text(f"把老人编号改为{match.record.id}", f"correct the id to {match.record.id}"))
    elif match.how == MATCH_ID_NAME_DIFFERS:
        real = usable(match.record, "name")
        yield finding("D110", Text(
            f"巡访记录的老人编号“{rid}”在老年人台账中是“{real}”，但姓名写的是“{name}”；"
            f"已按编号计入{real}",
            f"resident id '{rid}' belongs to another name than '{name}'; counted by id"),
            record=visit, key="elderly_name",
            fix=Text("核对这次巡访的是哪位老人，改正编号或姓名", "check which resident was visited"))


def _volunteer_ref(match: Match, record: Record, key: str, what_zh: str,
                   what_en: str) -> Iterable[Finding]:
    ref = usable(record, key)
    if match.how == UNKNOWN:
        yield finding("D110", Text(
            f"{what_zh}“{ref}”在志愿者名册中找不到",
            f"{what_en} '{ref}' is not in the volunteer roster"),
            record=record, key=key,
            fix=Text("按志愿者名册填写志愿者编号（或姓名）；若是新志愿者，先在志愿者名册登记",
                     "write the volunteer's id as in the roster, or add the volunteer"))
    elif match.how == AMBIGUOUS:
        yield finding("D110", Text(
            f"{what_zh}“{ref}”在志愿者名册中有{len(match.candidates)}位同名"
            f"（{_candidates(match)}），无法确定是哪一位",
            f"{what_en} '{ref}' fits {len(match.candidates)} volunteers"),
            record=record, key=key,
            fix=Text("改填志愿者编号", "write the volunteer's id instead"))


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
            label = schema.KIND_LABELS[other.kind][0]
            yield finding("D108", Text(
                f"{label}中编号{other.id}与{_where(first)}的编号{first.id}{why_zh}"
                f"（{usable(other, 'name') or ''}），疑似同一人登记了两次",
                f"{other.id} and {first.id} ({_where(first)}): {why_en}; probably one person"),
                record=other, key=key,
                fix=Text(f"核对两行是否同一人；若是，合并为一行并保留编号{first.id}，"
                         f"同时把巡访记录中的{other.id}改为{first.id}",
                         f"if one person, merge the rows under {first.id}"))
