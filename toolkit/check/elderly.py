"""Rules C301–C311: elderly care (巡访 intervals, pairing, blood pressure, safety, services).

Every rule asks ``ctx.care`` (toolkit.domain.care.CareIndex) — visits are matched once.
Findings about a resident sit on the resident's row (kind ``elderly``); findings about one
visit sit on the visit's row (kind ``visits``) with ``record`` = the resident's 编号, so the
assignment step can find the resident either way. Decisions are written in docs/care.md.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Iterable, Iterator

from toolkit import schema
from toolkit.check import as_written, record_label, rule
from toolkit.domain.care import (MATCH_ID_NAME_DIFFERS, ROSTER_SEVERAL, CareIndex, services_of,
                                 was_seen, went_unanswered)
from toolkit.domain.health import bp_class, bp_of, bp_riskiest
from toolkit.domain.health import bp_critical as critical_bp
from toolkit.domain.names import usable
from toolkit.domain.services_rooms import service_dates      # issue #17: services meet needs
from toolkit.domain.context import Context
from toolkit.codes import CODES, Joined
from toolkit.model import Finding, Record, finding
from toolkit.text import Text
from toolkit.read.normalise import bp_text, clip

BP_RECHECK_DAYS = 7        # rules.md C305: a recheck within 7 days
SERVICE_WINDOW_DAYS = 30   # rules.md C308: service recorded in the last 30 days
GONE_WINDOW_DAYS = 30      # C309: no date of the status change is kept; see docs/care.md


# ------------------------------------------------------------------------ wording helpers
def who(resident: Record) -> str:
    """张秀英（LR-001，松和苑 12号301室）"""
    name = clip(str(usable(resident, "name") or "（无姓名）"))
    place = " ".join(clip(str(x)) for x in (usable(resident, "estate"), usable(resident, "address")) if x)
    inner = "，".join(str(x) for x in (clip(resident.id or ""), place) if x)
    return f"{name}（{inner}）" if inner else str(name)


def vol(volunteer: Record | None) -> str:
    if volunteer is None:
        return "（无）"
    name = clip(str(usable(volunteer, "name") or ""))
    return f"{name}（{clip(volunteer.id)}）" if volunteer.id else name


def tier_zh(tier: str) -> str:
    return schema.TIER_LABELS[tier][0]


def iso(day: date) -> str:
    return day.isoformat()


def _who_does(care: CareIndex, resident: Record) -> tuple[str, str]:
    """Who should go: 'the paired volunteer X' or 'a volunteer of the 小区'.

    The paired volunteer is named only when the work order could send her (the assignment's
    hard rules that do not depend on the week: 在岗, a readable 离岗日期, serves the 小区, can
    巡访); otherwise the advice names the 小区's volunteers and says why not her, as the work
    order does — never "安排结对志愿者X" while the order goes to someone else for a reason that
    holds every week. A full week or a day off is the week's business: the order says it."""
    paired = care.paired_volunteer(resident)
    estate = usable(resident, "estate") or ""
    if paired is not None and care.is_active(paired):
        why = None
        if "left" in paired.invalid:
            why = ("的离岗日期无法识别", "has an unreadable leaving date")
        elif not care.covers(paired, estate):
            why = (f"不服务{estate}", f"does not serve {estate}")
        elif not care.has_skill(paired, schema.SERVICE_VISIT):
            why = (f"不会{schema.SERVICE_VISIT}", f"cannot do {schema.SERVICE_VISIT}")
        if why is None:
            return f"结对志愿者{vol(paired)}", f"paired volunteer {paired.id}"
        return (f"{estate}的在岗志愿者（结对志愿者{vol(paired)}{why[0]}）",
                f"an active volunteer of {estate} (paired volunteer {paired.id} {why[1]})")
    return f"{estate}的在岗志愿者", f"an active volunteer of {estate}"


def _about(resident: Record) -> dict:
    """The params every C finding about a resident carries."""
    return {"resident": who(resident), "id": record_label(resident)}


def _named_apart(care: CareIndex, visit: Record, found: Finding) -> Finding:
    """``found`` (an urgent C306/C307 from ``visit``) with a sentence added when the visit was
    counted for its resident by the 编号 while its 老人姓名 names someone else (D110 on the row):
    the 编号 may be the typo, and the danger another resident's. The work order asks the same
    (``params['written_name']``; toolkit/report/instructions.py)."""
    if care.match_visit(visit).how != MATCH_ID_NAME_DIFFERS:
        return found
    written = usable(visit, "elderly_name")
    if not written:
        return found
    params = {**found.params, "written_name": str(written), "row": visit.row}
    return replace(found, params=params,
                   message=Joined(found.message, CODES[found.code].message(params, "named_apart")))


def _registered(care: CareIndex) -> Iterator[Record]:
    return (r for r in care.residents if care.on_register(r))


def _not_gone(care: CareIndex) -> Iterator[Record]:
    return (r for r in care.residents if not care.gone(r))


# ------------------------------------------------------------------------ C301 / C302
@rule("C301")
def visit_overdue(ctx: Context) -> Iterable[Finding]:
    """在册 resident whose last counted visit is older than the tier's interval."""
    care = ctx.care
    for resident in _registered(care):
        due = care.next_due(resident)
        if due is None or ctx.as_of <= due:
            continue
        tier = care.tier(resident)
        last = care.last_counted_visit(resident).values["date"]
        late = (ctx.as_of - due).days
        goer, goer_en = _who_does(care, resident)
        params = {**_about(resident), "tier": tier, "tier_label": tier_zh(tier),
                  "interval": care.interval(tier), "last": last, "due": due,
                  "late": late, "goer": goer, "goer_en": goer_en}
        # later visits naming her and a namesake (D110) that would have counted: maybe hers.
        # Said in the message; the rule fires all the same (the visits are counted for nobody)
        unattributed = [v for v in care.unattributed_visits(resident, after=last)
                        if care.counts_as_visit(v, tier)]
        if unattributed:
            params.update(_unattributed(resident, unattributed))
        yield finding("C301", record=resident, severity="error" if tier == "A" else "warning",
                      params=params, variant="unattributed" if unattributed else None)


@rule("C302")
def never_visited(ctx: Context) -> Iterable[Finding]:
    """在册 tier A/B resident without any counted visit on or before as-of."""
    care = ctx.care
    for resident in _registered(care):
        tier = care.tier(resident)
        if tier not in ("A", "B") or care.last_counted_visit(resident) is not None:
            continue
        tried = care.visits_until(resident)
        goer, goer_en = _who_does(care, resident)
        params = {**_about(resident), "tier": tier, "tier_label": tier_zh(tier),
                  "goer": goer, "goer_en": goer_en}
        if tried:
            params.update(tried=len(tried), last_tried=tried[-1].values["date"])
        variant = "tried" if tried else None
        unattributed = care.unattributed_visits(resident)
        if unattributed:        # visits naming her and a namesake (D110): maybe hers, not counted
            params.update(_unattributed(resident, unattributed))
            variant = "tried_unattributed" if tried else "unattributed"
        yield finding("C302", record=resident, params=params, variant=variant)


UNATTRIBUTED_ROWS_SHOWN = 6      # rows named in the message; the rest as "等N行"


def _unattributed(resident: Record, visits: list[Record]) -> dict:
    """The params of a C302 whose resident shares her name with another one and has visit rows
    naming only that name (``CareIndex.unattributed_visits``): how many, the name, where (the
    rows of the D110s), so the clerk confirms whose they are instead of sending a first visit."""
    places: dict[tuple[str, str], list[int]] = {}
    for visit in visits:
        places.setdefault((visit.file or "", visit.sheet or ""), []).append(visit.row)
    sheets = len({sheet for _, sheet in places}) > 1
    zh, en, shown = [], [], 0
    for (file, sheet), rows in places.items():
        keep = rows[:max(UNATTRIBUTED_ROWS_SHOWN - shown, 1)]
        shown += len(keep)
        where = f"{file}「{sheet}」" if sheets else file
        more = f"等{len(rows)}行" if len(keep) < len(rows) else "行"
        zh.append(f"{where}第{'、'.join(str(r) for r in keep)}{more}")
        en.append(f"{file} / {sheet} row{'s' if len(rows) > 1 else ''} "
                  f"{', '.join(str(r) for r in keep)}{' …' if len(keep) < len(rows) else ''}")
    name = usable(resident, "name") or ""
    return {"unattributed": len(visits), "name": name, "rows": Text("；".join(zh), "; ".join(en))}


# ------------------------------------------------------------------------ C303 / C304
@rule("C303")
def not_paired(ctx: Context) -> Iterable[Finding]:
    """Tier A/B resident (not 去世/迁出) with an empty 结对志愿者 and no one volunteer whose
    结对老人 lists her (the roster's side of the pairing, docs/care.md); listed by several:
    not guessed, the finding names them."""
    care = ctx.care
    for resident in _not_gone(care):
        tier = care.tier(resident)
        if tier not in ("A", "B") or "volunteer" in resident.invalid or usable(resident, "volunteer"):
            continue           # a written but unknown volunteer is D110, not C303
        match = care.pairing_match(resident)
        if match.record is not None:
            continue           # paired on the roster's side (结对老人)
        params = {**_about(resident), "tier": tier, "tier_label": tier_zh(tier),
                  "estate": usable(resident, "estate") or ""}
        variant = ""
        if match.how == ROSTER_SEVERAL:
            variant = "roster_several"
            params["volunteers"] = "、".join(vol(v) for v in match.candidates)
            params["volunteer_ids"] = ", ".join(str(v.id or usable(v, "name")) for v in match.candidates)
        yield finding("C303", record=resident, key="volunteer", variant=variant, params=params)


@rule("C304")
def paired_inactive(ctx: Context) -> Iterable[Finding]:
    """The paired volunteer's 在岗 says 否."""
    care = ctx.care
    for resident in _not_gone(care):
        paired = care.paired_volunteer(resident)
        if paired is None or not care.inactive(paired):
            continue
        yield finding("C304", record=resident, key="volunteer",
                      params={**_about(resident), "volunteer": vol(paired),
                              "volunteer_id": paired.id, "estate": usable(resident, "estate") or ""})


# ------------------------------------------------------------------------ C305 / C306
def _readings(care: CareIndex, resident: Record) -> list[tuple[Record, tuple[int, int]]]:
    """(visit, reading) on or before as-of, oldest first; unreadable readings never appear."""
    return care.readings(resident)          # worked out once per resident (shared)


def _is_bp_recheck(visit: Record) -> bool:
    """A 量血压 visit (or any visit with a reading) at which the resident was seen."""
    services = services_of(visit) or ()
    return was_seen(visit) and (schema.SERVICE_BP in services or bp_of(visit) is not None)


Reading = tuple[Record, tuple[int, int]]


def _later_conflict(care: CareIndex, resident: Record, latest: Reading | None, pick
                    ) -> tuple[Record, tuple[int, int], tuple] | None:
    """The latest visit row after ``latest`` (the last plausible reading) that gives two
    different readings (D111 ``bp_conflict``) one of which ``pick(visit, readings)`` takes
    as its danger: (visit, that reading, both readings); None when there is none. A row
    whose readings carry no such danger is passed over: it stands for no reading, so it
    neither raises a finding nor clears an earlier one."""
    for visit, candidates in reversed(care.bp_conflicts(resident)):
        if latest is not None and not _visit_after(visit, latest[0]):
            return None
        bp = pick(visit, candidates)
        if bp is not None:
            return visit, bp, candidates
    return None


def _critical_latest(ctx: Context, care: CareIndex, resident: Record
                     ) -> tuple[Reading | None, tuple]:
    """The reading C306 weighs: the latest plausible one, unless a later row gives two
    readings one of which is 危急 (130/80 and 186/112): then that one, on that row (and the
    row's two readings, else ()). The higher-risk reading wins for the danger only: a row's
    readings neither of which is 危急 are passed over, never taken as a recheck."""
    latest = care.latest_reading(resident)
    th = ctx.settings.thresholds
    later = _later_conflict(care, resident, latest, lambda visit, candidates: bp_riskiest(
        candidates, th, critical_only=True))
    found, candidates = (later[:2], later[2]) if later is not None else (latest, ())
    half = _later_half(care, resident, found, th)
    if half is not None:               # 190/ alone, or beside 130/80 (then naming both)
        both = half[0].alternatives["blood_pressure"]
        return half, (both if len(both) > 1 else ())
    return found, candidates


def _later_half(care: CareIndex, resident: Record, latest: Reading | None, th
                ) -> tuple[Record, tuple] | None:
    """The latest visit row after ``latest`` that gives one number of a reading at a 危急
    level (``bp_half``: 高压 190, 低压 empty): (visit, (190, None)); None when there is none.
    A half below its threshold is passed over: it says nothing reliable (D111 only), stands
    for no reading, and clears nothing."""
    for visit, half in reversed(care.bp_halves(resident)):
        if latest is not None and not _visit_after(visit, latest[0]):
            return None
        if critical_bp(half, th):
            return visit, half
    return None


def _conflict_params(visit: Record, candidates: tuple) -> dict:
    """The two readings of a row that gives two (``first``: the 血压 cell's, ``second``: the
    高压 | 低压 pair's), implausible ones too; {} for a row that gives one. A cell naming
    several readings beside the pair's (左186/112 右150/90 and 140 | 90) gives more: all but
    the last are ``first`` (186/112、150/90)."""
    if not candidates:
        return {}
    *first, second = visit.alternatives["blood_pressure"]
    n = len(first) + 1
    return {"first": "、".join(map(bp_text, first)), "second": bp_text(second),
            "count": _COUNT_ZH.get(n, str(n)), "count_en": _COUNT_EN.get(n, str(n))}


_COUNT_ZH = {2: "两", 3: "三", 4: "四", 5: "五"}
_COUNT_EN = {2: "two", 3: "three", 4: "four", 5: "five"}


@rule("C305")
def bp_not_rechecked(ctx: Context) -> Iterable[Finding]:
    """Latest reading abnormal, 7 days have come, and no 量血压 visit after it within 7 days.
    A later row giving two different readings of which one is abnormal counts as that one
    (the higher-risk reading, for the danger only); one with two normal readings is passed
    over (docs/care.md)."""
    care = ctx.care
    th = ctx.settings.thresholds
    for resident in _registered(care):
        latest = care.latest_reading(resident)
        candidates: tuple = ()
        later = _later_conflict(care, resident, latest, lambda visit, found: bp_riskiest(
            found, th, care.age_on(resident, visit.values["date"])))
        if later is not None:
            latest, candidates = later[:2], later[2]
        if latest is None:
            continue
        visit, bp = latest
        day = visit.values["date"]
        critical, _ = _critical_latest(ctx, care, resident)
        if _open_critical(ctx, care, resident, critical) is not None:
            continue                # C306 holds it, urgent, until a recheck or 已送医
        kind = bp_class(bp, th, care.age_on(resident, day))
        window_end = day + timedelta(days=BP_RECHECK_DAYS)
        if kind is None or ctx.as_of < window_end:
            continue
        later_visits = [v for v in care.visits_between(resident, day, window_end)
                        if _is_bp_recheck(v)]
        if later_visits:
            continue
        params = {**_about(resident), "day": day, "systolic": bp[0], "diastolic": bp[1],
                  "bp_class": kind, "window_end": window_end, **_conflict_params(visit, candidates)}
        yield finding("C305", record=visit, key="blood_pressure", about=resident, params=params,
                      variant="conflict" if candidates else None)


def _open_critical(ctx: Context, care: CareIndex, resident: Record,
                   latest: Reading | None) -> Reading | None:
    """The latest critical reading with no later reading below both 危急 thresholds and no
    visit with outcome 已送医 on or after its date (its own row included), else None.

    Time alone never closes it: only a recorded recheck or 已送医 does (rules.md C306).
    Readings are in (date, file, sheet, row) order, so every reading after the latest
    critical one is below both thresholds: one is open only when it is the ``latest``
    (``_critical_latest``: a row giving two readings, one 危急, counts as that one)."""
    if latest is None:
        return None
    visit, bp = latest
    if not critical_bp(bp, ctx.settings.thresholds):
        return None              # no critical reading, or a later one below both closed it
    day = visit.values["date"]
    if any(v.values.get("outcome") == schema.OUTCOME_TO_HOSPITAL and "outcome" not in v.invalid
           and v.values["date"] >= day for v in care.visits_until(resident)):
        return None
    return visit, bp


@rule("C306")
def bp_critical(ctx: Context) -> Iterable[Finding]:
    """A critical reading (≥ 180/110) not yet followed by a reading below both or by 已送医;
    one per resident, on the latest such reading, however old (never downgraded to C305).
    A row giving two different readings of which one is 危急 (130/80 and 186/112, D111) is
    that 危急 reading, the message naming both (variant ``conflict``); a row giving one number
    of a reading (高压 190, 低压 empty: D111) at a 危急 level is C306 too (variants
    ``half_systolic`` / ``half_diastolic``; ``conflict_half_systolic`` / ``…_diastolic``
    when the row gives another reading beside it, 130/80 and 高压 186 alone), never counted
    as a reading."""
    care = ctx.care
    for resident in _not_gone(care):
        latest, candidates = _critical_latest(ctx, care, resident)
        found = _open_critical(ctx, care, resident, latest)
        if found is None:
            continue
        visit, bp = found
        day = visit.values["date"]
        after = [(v, b) for v, b in _readings(care, resident) if _visit_after(v, visit)]
        doctor = usable(resident, "family_doctor")
        params = {**_about(resident), "day": day, "systolic": bp[0], "diastolic": bp[1],
                  "doctor": f"家庭医生{doctor}" if doctor else "家庭医生团队",
                  **_conflict_params(visit, candidates)}
        variant = "conflict" if candidates else None
        if None in bp:               # half a reading (190/): the known number is 危急
            params["value"] = bp[0] if bp[0] is not None else bp[1]
            variant = "half_systolic" if bp[0] is not None else "half_diastolic"
            if candidates:           # beside another reading (130/80 and 高压 186): both named
                variant = "conflict_" + variant
        if after:
            v2, b2 = after[-1]
            params.update(later_day=v2.values["date"], later_systolic=b2[0],
                          later_diastolic=b2[1])
            variant = "rechecked"
        yield _named_apart(care, visit, finding(
            "C306", record=visit, key="blood_pressure", about=resident, params=params,
            variant=variant))


def _visit_after(a: Record, b: Record) -> bool:
    return (a.values["date"], a.file, a.sheet, a.row) > (b.values["date"], b.file, b.sheet, b.row)


# ------------------------------------------------------------------------ C307
@rule("C307")
def unanswered(ctx: Context) -> Iterable[Finding]:
    """The latest visit was 敲门无应答 and nobody saw the resident that day or since.

    独居: urgent at once. Not alone: urgent from the next day on (same day: error, not urgent).
    """
    care = ctx.care
    for resident in _registered(care):
        visits = care.visits_until(resident)
        if not visits or not went_unanswered(visits[-1]):
            continue
        last = visits[-1]
        day = last.values["date"]
        if any(was_seen(v) for v in visits if v.values["date"] == day):
            continue                       # seen on the same day at another row
        alone = care.lives_alone(resident)
        days = (ctx.as_of - day).days
        urgent = alone or days >= 1
        contact = usable(resident, "emergency_contact")
        phone = usable(resident, "emergency_phone")
        call = f"紧急联系人{contact or ''}{('（' + str(phone) + '）') if phone else ''}" \
            if (contact or phone) else "家属"
        yield _named_apart(care, last, finding(
            "C307", record=last, key="outcome", about=resident, urgent=urgent,
            variant="alone" if alone else None,
            params={**_about(resident), "day": day, "days": days, "alone": alone, "call": call}))


# ------------------------------------------------------------------------ C308
SERVICE_NEEDS = tuple(n for n in schema.NEEDS if n != schema.SERVICE_VISIT)  # 巡访 is C301


def _delivered(visit: Record, need: str) -> bool:
    if not was_seen(visit):
        return False
    if need in (services_of(visit) or ()):
        return True
    return need == schema.SERVICE_BP and bp_of(visit) is not None   # a reading is a 量血压


@rule("C308")
def service_missing(ctx: Context) -> Iterable[Finding]:
    """A 服务需求 (not 巡访) with no such service in the last 30 days; one finding per need."""
    care = ctx.care
    since = ctx.as_of - timedelta(days=SERVICE_WINDOW_DAYS)
    for resident in _registered(care):
        needs = [n for n in (usable(resident, "needs") or ()) if n in SERVICE_NEEDS]
        if not needs:
            continue
        visits = care.visits_until(resident)
        recent = care.visits_between(resident, since, ctx.as_of)
        for need in dict.fromkeys(needs):
            if any(_delivered(v, need) for v in recent):
                continue
            served = sorted(service_dates(ctx, resident, need))     # 物业+养老 services (#17)
            if served and served[-1] > since:
                continue
            ever = [v.values["date"] for v in visits if _delivered(v, need)] + served[-1:]
            ahead = None if ever else next((v.values["date"] for v in care.visits_of(resident)
                                            [len(visits):] if _delivered(v, need)), None)
            variant = None if ever else "ahead" if ahead else "never"
            params = {**_about(resident), "service": need, "window": SERVICE_WINDOW_DAYS,
                      "since": since + timedelta(days=1), "as_of": ctx.as_of,
                      "last": max(ever) if ever else None, "first": ahead,
                      "estate": usable(resident, "estate") or ""}
            # visits after the last record naming her and a namesake (D110) that carry the
            # service (a reading for 量血压): maybe hers — said, the rule fires all the same
            unattributed = [v for v in care.unattributed_visits(resident, after=params["last"])
                            if _delivered(v, need)]
            if unattributed:
                params.update(_unattributed(resident, unattributed))
                variant = f"{variant}_unattributed" if variant else "unattributed"
            yield finding("C308", record=resident, key="needs", value=need, variant=variant,
                          params=params)


# ------------------------------------------------------------------------ D112 (备注)
NOTE_NAMES_SHOWN = 10      # residents named in the one D112 of a sheet; the rest counted


@rule("D112")
def status_from_note(ctx: Context) -> Iterable[Finding]:
    """One D112 per elderly sheet naming the residents whose empty 状态 is read as 去世/迁出
    from their 备注 (``CareIndex.status_from_note``): no visit is sent to them; the clerk is
    asked to write the status (docs/care.md)."""
    care = ctx.care
    sheets: dict[tuple[str, str], list[tuple[Record, str]]] = {}
    for resident in care.residents:
        if usable(resident, "status") is None:
            status = care.status_from_note(resident)
            if status is not None:
                sheets.setdefault((resident.file, resident.sheet), []).append((resident, status))
    for found in sheets.values():
        first, _ = found[0]
        note = first.note
        names = [Text(f"{who(r)}第{r.row}行“{clip(str(r.note.raw), 30)}”→{status}",
                      f"{who(r)} (row {r.row}, '{clip(str(r.note.raw), 30)}' → {status})")
                 for r, status in found[:NOTE_NAMES_SHOWN]]
        if len(found) > NOTE_NAMES_SHOWN:
            names.append(Text(f"等{len(found)}位", f"and {len(found) - NOTE_NAMES_SHOWN} more"))
        yield finding("D112", variant="status_from_note", record=first,
                      column=note.column, header=note.header, value=note.raw,
                      record_id=first.id,
                      params={"count": len(found), "header": note.header,
                              "who": _joined(names)})


def _joined(names: list[Text]) -> Text:
    return Text("；".join(n.zh for n in names), "; ".join(n.en for n in names))


# ------------------------------------------------------------------------ C309
_GONE_EN = {"去世": "died", "迁出": "moved out"}     # the fix's words for the status


@rule("C309")
def visit_after_gone(ctx: Context) -> Iterable[Finding]:
    """A visit in the last 30 days to a resident marked 去世/迁出 (the date of the status
    change is not kept, so a recent visit is the best evidence; see docs/care.md)."""
    care = ctx.care
    since = ctx.as_of - timedelta(days=GONE_WINDOW_DAYS)
    for resident in care.residents:
        if not care.gone(resident) or resident.struck:   # struck: which of the two unknown
            continue
        status = care.status(resident)
        for visit in care.visits_until(resident):
            day = visit.values["date"]
            if day <= since:
                continue
            yield finding("C309", record=visit, key="date", about=resident,
                          params={**_about(resident), "status": status, "day": day,
                                  "written": as_written(resident, "status") or status,
                                  "gone_en": _GONE_EN.get(status, "left")})


# ------------------------------------------------------------------------ C310
_CONTACT_EN = {"emergency_contact": "an emergency contact", "emergency_phone": "an emergency phone"}


@rule("C310")
def alone_without_contact(ctx: Context) -> Iterable[Finding]:
    """独居 resident (not 去世/迁出) with an empty 紧急联系人 or 紧急联系电话.
    A malformed phone is D104's (still written, so not reported here)."""
    care = ctx.care
    for resident in _not_gone(care):
        if not care.lives_alone(resident):
            continue
        missing = [k for k in ("emergency_contact", "emergency_phone")
                   if k not in resident.invalid and not usable(resident, k)]
        if not missing:
            continue
        yield finding("C310", record=resident, key=missing[0],
                      params={**_about(resident), "missing": missing,
                              "missing_labels": "和".join(schema.ELDERLY.column(k).header
                                                         for k in missing),
                              "missing_keys": " and ".join(missing),
                              "missing_en": " and ".join(_CONTACT_EN[k] for k in missing)})


# ------------------------------------------------------------------------ C311
def _last_flagged(visits: list[Record]) -> int | None:
    """Index of the latest visit marked 需跟进 (是), None when none is."""
    for at in range(len(visits) - 1, -1, -1):
        visit = visits[at]
        if visit.values.get("follow_up") is True and "follow_up" not in visit.invalid:
            return at
    return None


@rule("C311")
def follow_up_missing(ctx: Context) -> Iterable[Finding]:
    """The latest visit flagged 需跟进 has no later-dated visit at which the resident was seen."""
    care = ctx.care
    for resident in _registered(care):
        visits = care.visits_until(resident)
        at = _last_flagged(visits)
        if at is None:
            continue
        mark = visits[at]
        day = mark.values["date"]
        if any(v.values["date"] > day and was_seen(v) for v in visits[at + 1:]):
            continue                # sorted by date: only visits after the mark can be later
        issue = usable(mark, "issue")
        goer, goer_en = _who_does(care, resident)
        yield finding("C311", record=mark, key="follow_up", about=resident,
                      variant="issue" if issue else None,
                      params={**_about(resident), "day": day, "issue": issue,
                              "goer": goer, "goer_en": goer_en})
