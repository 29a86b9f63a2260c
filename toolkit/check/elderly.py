"""Rules C301–C311: elderly care (巡访 intervals, pairing, blood pressure, safety, services).

Every rule asks ``ctx.care`` (toolkit.check.care.CareIndex) — visits are matched once.
Findings about a resident sit on the resident's row (kind ``elderly``); findings about one
visit sit on the visit's row (kind ``visits``) with ``record`` = the resident's 编号, so the
assignment step can find the resident either way. Decisions are written in docs/care.md.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable, Iterator

from toolkit import schema
from toolkit.check import rule
from toolkit.check.care import CareIndex, bp_of, services_of, usable, was_seen
from toolkit.check.context import Context
from toolkit.model import Finding, Record, Text, finding
from toolkit.read.normalise import clip

BP_RECHECK_DAYS = 7        # rules.md C305: a recheck within 7 days
CRITICAL_WINDOW_DAYS = 7   # rules.md C306: a critical reading in the last 7 days
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
    """Who should go: 'the paired volunteer X' or 'a volunteer of the 小区'."""
    paired = care.paired_volunteer(resident)
    if paired is not None and care.is_active(paired):
        return f"结对志愿者{vol(paired)}", f"paired volunteer {paired.id}"
    estate = usable(resident, "estate") or ""
    return f"{estate}的在岗志愿者", f"an active volunteer of {estate}"


def _visit_row(visit: Record) -> str:
    return f"{visit.file}「{visit.sheet}」第{visit.row}行"


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
        yield finding("C301", Text(
            f"{who(resident)}为{tier_zh(tier)}，应每{care.interval(tier)}天巡访一次；"
            f"上次有效巡访是{iso(last)}，应在{iso(due)}前再访，已超期{late}天",
            f"{resident.id}: tier {tier}, visit every {care.interval(tier)} days; last counted "
            f"visit {iso(last)}, due {iso(due)}, {late} days overdue"),
            record=resident, severity="error" if tier == "A" else "warning",
            fix=Text(f"请{goer}尽快上门巡访，并在巡访记录中登记",
                     f"ask {goer_en} to visit soon and log the visit"))


@rule("C302")
def never_visited(ctx: Context) -> Iterable[Finding]:
    """在册 tier A/B resident without any counted visit on or before as-of."""
    care = ctx.care
    for resident in _registered(care):
        tier = care.tier(resident)
        if tier not in ("A", "B") or care.last_counted_visit(resident) is not None:
            continue
        tried = care.visits_until(resident)
        extra_zh = extra_en = ""
        if tried:
            extra_zh = (f"（有{len(tried)}条记录，但都是敲门无应答、外出或仅电话问候，"
                        f"最近一次{iso(tried[-1].values['date'])}）")
            extra_en = f" ({len(tried)} logged, none counted)"
        goer, goer_en = _who_does(care, resident)
        yield finding("C302", Text(
            f"{who(resident)}为{tier_zh(tier)}，巡访记录中没有一次有效上门巡访{extra_zh}",
            f"{resident.id}: tier {tier}, never visited{extra_en}"),
            record=resident,
            fix=Text(f"请{goer}尽快首次上门巡访，并在巡访记录中登记",
                     f"ask {goer_en} to make a first visit and log it"))


# ------------------------------------------------------------------------ C303 / C304
@rule("C303")
def not_paired(ctx: Context) -> Iterable[Finding]:
    """Tier A/B resident (not 去世/迁出) with an empty 结对志愿者."""
    care = ctx.care
    for resident in _not_gone(care):
        tier = care.tier(resident)
        if tier not in ("A", "B") or "volunteer" in resident.invalid or usable(resident, "volunteer"):
            continue           # a written but unknown volunteer is D110, not C303
        estate = usable(resident, "estate") or ""
        yield finding("C303", Text(
            f"{who(resident)}为{tier_zh(tier)}，未填写结对志愿者",
            f"{resident.id}: tier {tier} without a paired volunteer"),
            record=resident, key="volunteer",
            fix=Text(f"在老年人台账“结对志愿者”列填写一名服务{estate}的在岗志愿者（编号或姓名）",
                     f"write an active volunteer serving {estate} in the paired-volunteer column"))


@rule("C304")
def paired_inactive(ctx: Context) -> Iterable[Finding]:
    """The paired volunteer's 在岗 says 否."""
    care = ctx.care
    for resident in _not_gone(care):
        paired = care.paired_volunteer(resident)
        if paired is None or not care.inactive(paired):
            continue
        yield finding("C304", Text(
            f"{who(resident)}的结对志愿者{vol(paired)}已不在岗",
            f"{resident.id}: paired volunteer {paired.id} is not active"),
            record=resident, key="volunteer",
            fix=Text(f"为该老人改结对一名服务{usable(resident, 'estate') or ''}的在岗志愿者",
                     "pair an active volunteer of the estate"))


# ------------------------------------------------------------------------ C305 / C306
def _bp_abnormal(ctx: Context, bp: tuple[int, int]) -> str | None:
    t = ctx.settings.thresholds
    sys_, dia = bp
    if sys_ >= t.bp_high_sys or dia >= t.bp_high_dia:
        return "偏高"
    if sys_ < t.bp_low_sys or dia < t.bp_low_dia:
        return "偏低"
    return None


def _bp_critical(ctx: Context, bp: tuple[int, int]) -> bool:
    t = ctx.settings.thresholds
    return bp[0] >= t.bp_critical_sys or bp[1] >= t.bp_critical_dia


def _readings(care: CareIndex, resident: Record) -> list[tuple[Record, tuple[int, int]]]:
    """(visit, reading) on or before as-of, oldest first; unreadable readings never appear."""
    out = []
    for visit in care.visits_until(resident):
        bp = bp_of(visit)
        if bp is not None:
            out.append((visit, bp))
    return out


def _is_bp_recheck(visit: Record) -> bool:
    """A 量血压 visit (or any visit with a reading) at which the resident was seen."""
    services = services_of(visit) or ()
    return was_seen(visit) and (schema.SERVICE_BP in services or bp_of(visit) is not None)


@rule("C305")
def bp_not_rechecked(ctx: Context) -> Iterable[Finding]:
    """Latest reading abnormal, 7 days have come, and no 量血压 visit after it within 7 days."""
    care = ctx.care
    for resident in _registered(care):
        readings = _readings(care, resident)
        if not readings:
            continue
        visit, bp = readings[-1]
        kind = _bp_abnormal(ctx, bp)
        day = visit.values["date"]
        window_end = day + timedelta(days=BP_RECHECK_DAYS)
        if kind is None or ctx.as_of < window_end:
            continue
        later = [v for v in care.visits_until(resident, window_end)
                 if v.values["date"] > day and _is_bp_recheck(v)]
        if later:
            continue
        yield finding("C305", Text(
            f"{who(resident)}在{iso(day)}测得血压{bp[0]}/{bp[1]}（{kind}），"
            f"到{iso(window_end)}为止7天内没有复查血压的记录",
            f"{resident.id}: blood pressure {bp[0]}/{bp[1]} on {iso(day)}, not rechecked within 7 days"),
            record=visit, key="blood_pressure", record_id=resident.id,
            fix=Text("安排有“量血压”技能的志愿者或家庭医生上门复查，并在巡访记录中登记血压",
                     "arrange a recheck by a volunteer who can take blood pressure, or the family doctor"))


@rule("C306")
def bp_critical(ctx: Context) -> Iterable[Finding]:
    """A reading ≥ 180/110 within the last 7 days (as_of-7 < date ≤ as_of); one per resident."""
    care = ctx.care
    since = ctx.as_of - timedelta(days=CRITICAL_WINDOW_DAYS)
    for resident in _not_gone(care):
        readings = _readings(care, resident)
        critical = [(v, bp) for v, bp in readings
                    if v.values["date"] > since and _bp_critical(ctx, bp)]
        if not critical:
            continue
        visit, bp = critical[-1]
        day = visit.values["date"]
        after = [(v, b) for v, b in readings if _visit_after(v, visit)]
        note_zh = note_en = ""
        if after:
            v2, b2 = after[-1]
            note_zh = f"；之后{iso(v2.values['date'])}复测为{b2[0]}/{b2[1]}"
            note_en = f"; later {b2[0]}/{b2[1]} on {iso(v2.values['date'])}"
        doctor = usable(resident, "family_doctor")
        goer = f"家庭医生{doctor}" if doctor else "家庭医生团队"
        yield finding("C306", Text(
            f"{who(resident)}在{iso(day)}测得血压{bp[0]}/{bp[1]}，达到危急值{note_zh}",
            f"{resident.id}: critical blood pressure {bp[0]}/{bp[1]} on {iso(day)}{note_en}"),
            record=visit, key="blood_pressure", record_id=resident.id,
            fix=Text(f"今天联系{goer}上门复查，必要时拨打120送医；同时告知紧急联系人",
                     "contact the family doctor today; call 120 if needed; tell the emergency contact"))


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
        if not visits or visits[-1].values.get("outcome") != schema.OUTCOME_NO_ANSWER \
                or "outcome" in visits[-1].invalid:
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
        yield finding("C307", Text(
            f"{who(resident)}{'（独居）' if alone else ''}在{iso(day)}敲门无应答"
            f"（{_visit_row(last)}），此后{days}天没有见到老人的记录",
            f"{resident.id}: no answer at the door on {iso(day)} and not seen since"
            f"{' (lives alone)' if alone else ''}"),
            record=last, key="outcome", record_id=resident.id, urgent=urgent,
            fix=Text(f"立即电话联系老人和{call}，并安排结对志愿者或楼组长与社工上门核查",
                     "call the resident and the emergency contact now and check at the door"))


# ------------------------------------------------------------------------ C308
from toolkit.services_rooms import service_dates  # noqa: E402  (issue #17)
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
        recent = [v for v in visits if v.values["date"] > since]
        for need in dict.fromkeys(needs):
            if any(_delivered(v, need) for v in recent):
                continue
            served = sorted(service_dates(ctx, resident, need))     # 物业+养老 services (#17)
            if served and served[-1] > since:
                continue
            ever = [v.values["date"] for v in visits if _delivered(v, need)] + served[-1:]
            last_zh = f"，最近一次是{iso(max(ever))}" if ever else "，从未有记录"
            yield finding("C308", Text(
                f"{who(resident)}需要“{need}”服务，近{SERVICE_WINDOW_DAYS}天"
                f"（{iso(since + timedelta(days=1))}至{iso(ctx.as_of)}）没有该服务记录{last_zh}",
                f"{resident.id}: needs {need}, none recorded in the last {SERVICE_WINDOW_DAYS} days"),
                record=resident, key="needs", value=need,
                fix=Text(f"安排有“{need}”技能、服务{usable(resident, 'estate') or ''}的志愿者上门服务并登记",
                         f"arrange a volunteer with the skill {need}"))


# ------------------------------------------------------------------------ C309
@rule("C309")
def visit_after_gone(ctx: Context) -> Iterable[Finding]:
    """A visit in the last 30 days to a resident marked 去世/迁出 (the date of the status
    change is not kept, so a recent visit is the best evidence; see docs/care.md)."""
    care = ctx.care
    since = ctx.as_of - timedelta(days=GONE_WINDOW_DAYS)
    for resident in care.residents:
        if not care.gone(resident):
            continue
        status = care.status(resident)
        for visit in care.visits_until(resident):
            day = visit.values["date"]
            if day <= since:
                continue
            yield finding("C309", Text(
                f"{who(resident)}在老年人台账中为“{status}”，但巡访记录在{iso(day)}仍有一次巡访",
                f"{resident.id} is marked {status} but a visit is logged on {iso(day)}"),
                record=visit, key="date", record_id=resident.id,
                fix=Text(f"核对：若老人确已{status}，删除或更正这条巡访记录；若台账状态填错，改回“在册”",
                         "either correct the visit row, or the resident's status"))


# ------------------------------------------------------------------------ C310
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
        labels = "和".join(schema.ELDERLY.column(k).header for k in missing)
        yield finding("C310", Text(
            f"{who(resident)}独居，缺少{labels}",
            f"{resident.id} lives alone without " + " and ".join(missing)),
            record=resident, key=missing[0],
            fix=Text(f"上门或电话向老人了解家属情况，补填{labels}",
                     "ask the resident and fill in the emergency contact and phone"))


# ------------------------------------------------------------------------ C311
@rule("C311")
def follow_up_missing(ctx: Context) -> Iterable[Finding]:
    """The latest visit flagged 需跟进 has no later-dated visit at which the resident was seen."""
    care = ctx.care
    for resident in _registered(care):
        visits = care.visits_until(resident)
        flagged = [v for v in visits if usable(v, "follow_up") is True]
        if not flagged:
            continue
        mark = flagged[-1]
        day = mark.values["date"]
        if any(v.values["date"] > day and was_seen(v) for v in visits):
            continue
        issue = usable(mark, "issue")
        goer, goer_en = _who_does(care, resident)
        yield finding("C311", Text(
            f"{who(resident)}在{iso(day)}的巡访标记需跟进"
            f"{('（' + str(issue) + '）') if issue else ''}，之后没有跟进巡访记录",
            f"{resident.id}: visit on {iso(day)} flagged for follow-up, no later visit"),
            record=mark, key="follow_up", record_id=resident.id,
            fix=Text(f"请{goer}上门跟进，并在巡访记录中登记处理情况",
                     f"ask {goer_en} to follow up and log it"))
