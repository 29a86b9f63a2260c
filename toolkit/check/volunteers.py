"""Rules V401–V405: volunteers (load, certificates, pairing of inactive volunteers, ratio).

Every rule asks ``ctx.care`` (toolkit.check.care.CareIndex). Decisions in docs/care.md.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Iterable

from toolkit import schema
from toolkit.check import rule
from toolkit.check.care import norm, usable
from toolkit.check.context import Context
from toolkit.check.elderly import iso, vol
from toolkit.model import Finding, Text, finding

CERT_WARN_DAYS = 30     # rules.md V402: expiring within 30 days
IDLE_DAYS = 60          # rules.md V404: no visit in the last 60 days


def _names(residents, limit: int = 8) -> str:
    names = [str(usable(r, "name") or r.id or "") for r in residents]
    more = f"等{len(names)}人" if len(names) > limit else ""
    return "、".join(names[:limit]) + more


@rule("V401")
def over_capacity(ctx: Context) -> Iterable[Finding]:
    """Active volunteer paired with more residents than the pair cap, or with more visits
    logged in the as-of ISO week than 每周上限."""
    care = ctx.care
    pair_cap = ctx.settings.thresholds.volunteer_pair_cap
    year, week, _ = ctx.as_of.isocalendar()
    for volunteer in care.volunteers:
        if not care.is_active(volunteer):
            continue
        paired = [r for r in care.paired_residents(volunteer) if not care.gone(r)]
        if len(paired) > pair_cap:
            yield finding("V401", Text(
                f"志愿者{vol(volunteer)}结对了{len(paired)}位老人（{_names(paired)}），"
                f"超过每名志愿者结对上限{pair_cap}人",
                f"volunteer {volunteer.id} is paired with {len(paired)} residents (cap {pair_cap})"),
                record=volunteer, key="id", value=len(paired),
                fix=Text(f"把其中{len(paired) - pair_cap}位老人改结对给同小区的其他在岗志愿者",
                         f"re-pair {len(paired) - pair_cap} of them with other volunteers"))
        booked, cap = care.visits_in_week(volunteer, ctx.as_of), care.capacity(volunteer)
        if booked > cap:
            yield finding("V401", Text(
                f"志愿者{vol(volunteer)}在{year}年第{week}周登记了{booked}次巡访/服务，"
                f"超过每周上限{cap}次",
                f"volunteer {volunteer.id} has {booked} visits in week {year}-W{week:02d} (cap {cap})"),
                record=volunteer, key="capacity", value=booked,
                fix=Text(f"把本周多出的{booked - cap}次改派给其他志愿者，或在名册中调整每周上限",
                         "move the extra visits to others, or raise the weekly cap"))


@rule("V402")
def certificate_expiry(ctx: Context) -> Iterable[Finding]:
    """Active volunteer whose 证书有效期 has passed or falls within the next 30 days."""
    care = ctx.care
    horizon = ctx.as_of + timedelta(days=CERT_WARN_DAYS)
    for volunteer in care.volunteers:
        expiry = usable(volunteer, "certificate_expiry")
        if expiry is None or not care.is_active(volunteer) or expiry > horizon:
            continue
        cert = usable(volunteer, "certificate") or "证书"
        if expiry < ctx.as_of:
            zh = f"已于{iso(expiry)}过期"
            en = f"expired on {iso(expiry)}"
        else:
            zh = f"将于{iso(expiry)}到期（还剩{(expiry - ctx.as_of).days}天）"
            en = f"expires on {iso(expiry)}"
        yield finding("V402", Text(
            f"志愿者{vol(volunteer)}的{cert}{zh}",
            f"volunteer {volunteer.id}: certificate {en}"),
            record=volunteer, key="certificate_expiry",
            fix=Text("提醒志愿者办理复审，拿到新证后更新名册中的证书有效期；过期期间不安排需持证的服务",
                     "have the certificate renewed and update the expiry date"))


@rule("V403")
def inactive_still_used(ctx: Context) -> Iterable[Finding]:
    """Volunteer whose 在岗 is 否 but who is still someone's 结对志愿者 or has visits after as-of."""
    care = ctx.care
    for volunteer in care.volunteers:
        if not care.inactive(volunteer):
            continue
        paired = [r for r in care.paired_residents(volunteer) if not care.gone(r)]
        booked = [v for v in care.visits_by(volunteer) if v.values["date"] > ctx.as_of]
        if not paired and not booked:
            continue
        parts_zh, parts_en = [], []
        if paired:
            parts_zh.append(f"仍是{len(paired)}位老人的结对志愿者（{_names(paired)}）")
            parts_en.append(f"still paired with {len(paired)} residents")
        if booked:
            parts_zh.append(f"{iso(ctx.as_of)}之后还排有{len(booked)}次巡访"
                            f"（最早{iso(booked[0].values['date'])}）")
            parts_en.append(f"{len(booked)} visits booked after {iso(ctx.as_of)}")
        yield finding("V403", Text(
            f"志愿者{vol(volunteer)}已不在岗，但" + "，".join(parts_zh),
            f"volunteer {volunteer.id} is not active but " + " and ".join(parts_en)),
            record=volunteer, key="active",
            fix=Text("名单中的每位老人另有一条C304，按C304逐一改结对；已排的巡访改派给在岗志愿者",
                     "each resident listed has a C304 for the re-pairing; move the booked visits "
                     "to active volunteers"))


@rule("V404")
def idle(ctx: Context) -> Iterable[Finding]:
    """Active volunteer without any visit in the last 60 days (as_of-60 < date ≤ as_of)."""
    care = ctx.care
    since = ctx.as_of - timedelta(days=IDLE_DAYS)
    for volunteer in care.volunteers:
        if not care.is_active(volunteer):
            continue
        done = [v for v in care.visits_by(volunteer) if v.values["date"] <= ctx.as_of]
        if done and done[-1].values["date"] > since:
            continue
        last = f"最近一次是{iso(done[-1].values['date'])}" if done else "巡访记录中没有他/她的记录"
        yield finding("V404", Text(
            f"志愿者{vol(volunteer)}近{IDLE_DAYS}天没有巡访或服务记录（{last}）",
            f"volunteer {volunteer.id} has no visit in the last {IDLE_DAYS} days"),
            record=volunteer, key="id",
            fix=Text("联系志愿者了解情况：是否仍能服务；如已不能服务，在名册中把“在岗”改为否",
                     "check in; if they no longer serve, set 在岗 to 否"))


@rule("V405")
def ratio_by_estate(ctx: Context) -> Iterable[Finding]:
    """Per 小区: 在册 tier A/B residents above (pair cap, default 5) × active volunteers
    covering the 小区. One finding per 小区 (kind volunteers, no row)."""
    care = ctx.care
    per = ctx.settings.thresholds.volunteer_pair_cap
    residents: dict[str, int] = defaultdict(int)
    shown: dict[str, str] = {}
    for resident in care.residents:
        estate = usable(resident, "estate")
        if estate and care.on_register(resident) and care.tier(resident) in ("A", "B"):
            residents[norm(estate)] += 1
            shown.setdefault(norm(estate), str(estate))
    # the 家庭医生团队 are not 老伙伴 volunteers (rules.md V405)
    active = [v for v in care.volunteers if care.is_active(v)
              and norm(usable(v, "team")) != norm(schema.TEAM_DOCTOR)]
    for key in sorted(residents):
        estate = shown[key]
        helpers = sum(1 for v in active if care.covers(v, estate))
        count = residents[key]
        if count <= per * helpers:
            continue
        need = -(-count // per) - helpers
        if helpers:
            zh = (f"{estate}有{count}位A、B级重点老人，服务该小区的在岗志愿者只有{helpers}人，"
                  f"平均每人对应{count / helpers:.1f}位，超过{per}位（老伙伴计划：一名志愿者结对五位老人）")
            en = (f"{estate}: {count} tier A/B residents and {helpers} active volunteers, "
                  f"{count / helpers:.1f} each (over {per})")
        else:
            zh = f"{estate}有{count}位A、B级重点老人，但没有服务该小区的在岗志愿者"
            en = f"{estate}: {count} tier A/B residents and no active volunteer serving it"
        yield finding("V405", Text(zh, en),
            kind="volunteers", value=estate,
            fix=Text(f"在{estate}再招募或调配至少{need}名志愿者",
                     f"recruit or move at least {need} more volunteers to {estate}"))
