"""Rules V401–V405: volunteers (load, certificates, pairing of inactive volunteers, ratio).

Every rule asks ``ctx.care`` (toolkit.domain.care.CareIndex). Decisions in docs/care.md.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Iterable

from toolkit.check import record_label, rule
from toolkit.domain.care import AMBIGUOUS, is_doctor, norm, usable
from toolkit.domain.context import Context
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
            yield finding("V401", record=volunteer, key="id", value=len(paired), params={
                "volunteer": vol(volunteer), "id": record_label(volunteer), "count": len(paired),
                "names": _names(paired), "cap": pair_cap, "extra": len(paired) - pair_cap})
        booked, cap = care.visits_in_week(volunteer, ctx.as_of), care.capacity(volunteer)
        if booked > cap:
            yield finding("V401", record=volunteer, key="capacity", value=booked, variant="week",
                          params={"volunteer": vol(volunteer), "id": record_label(volunteer),
                                  "year": year, "week": week, "count": booked, "cap": cap,
                                  "extra": booked - cap})


@rule("V402")
def certificate_expiry(ctx: Context) -> Iterable[Finding]:
    """Active volunteer whose 证书有效期 has passed or falls within the next 30 days."""
    care = ctx.care
    horizon = ctx.as_of + timedelta(days=CERT_WARN_DAYS)
    for volunteer in care.volunteers:
        expiry = usable(volunteer, "certificate_expiry")
        if expiry is None or not care.is_active(volunteer) or expiry > horizon:
            continue
        yield finding("V402", record=volunteer, key="certificate_expiry",
                      variant=None if expiry < ctx.as_of else "today" if expiry == ctx.as_of
                      else "expiring",
                      params={"volunteer": vol(volunteer), "id": record_label(volunteer),
                              "certificate": usable(volunteer, "certificate") or "证书",
                              "expiry": expiry, "left": (expiry - ctx.as_of).days})


@rule("V403")
def inactive_still_used(ctx: Context) -> Iterable[Finding]:
    """Volunteer not 在岗 (在岗 否, or 离岗日期 passed) who is still someone's 结对志愿者, or
    with visits after the 离岗日期 when it is filled (else, for 在岗 否, after the as-of date)."""
    care = ctx.care
    for volunteer in care.volunteers:
        left = care.left_on(volunteer)
        if not care.inactive(volunteer) and left is None:
            continue
        paired = ([r for r in care.paired_residents(volunteer) if not care.gone(r)]
                  if care.inactive(volunteer) else [])
        after = left if left is not None else ctx.as_of
        booked = [v for v in care.visits_by(volunteer) if v.values["date"] > after]
        if not paired and not booked:
            continue
        parts_zh, parts_en = [], []
        if paired:
            parts_zh.append(f"仍是{len(paired)}位老人的结对志愿者（{_names(paired)}）")
            parts_en.append(f"still paired with {len(paired)} residents")
        if booked and left is not None:
            parts_zh.append(f"离岗日期{iso(left)}之后还有{len(booked)}次巡访记录"
                            f"（最早{iso(booked[0].values['date'])}）")
            parts_en.append(f"{len(booked)} visits after leaving on {iso(left)}")
        elif booked:
            parts_zh.append(f"{iso(ctx.as_of)}之后还排有{len(booked)}次巡访"
                            f"（最早{iso(booked[0].values['date'])}）")
            parts_en.append(f"{len(booked)} visits booked after {iso(ctx.as_of)}")
        only_left = not paired and left is not None
        yield finding("V403", record=volunteer, key="left" if only_left else "active",
                      variant="left" if only_left and not care.inactive(volunteer) else None,
                      params={
            "volunteer": vol(volunteer), "id": record_label(volunteer), "paired": len(paired),
            "booked": len(booked), "parts": Text("，".join(parts_zh), " and ".join(parts_en))})


@rule("V404")
def idle(ctx: Context) -> Iterable[Finding]:
    """Active volunteer without any visit in the last 60 days (as_of-60 < date ≤ as_of)."""
    care = ctx.care
    since = ctx.as_of - timedelta(days=IDLE_DAYS)
    if any(s.kind == "visits" and "volunteer" not in s.columns for s in ctx.workspace.sources):
        return       # a visit sheet that does not say who went (F004): nobody can be called idle
    # a visit whose 志愿者 is a name two roster volunteers share (D110) may be either's: neither
    # is said to have no visit while such a visit falls in the window
    maybe: set[int] = set()
    for visit, match in care.doubtful_volunteers:        # the D110 ones, found while indexing
        day = visit.values.get("date")
        if match.how == AMBIGUOUS and isinstance(day, date) and since < day <= ctx.as_of:
            maybe.update(id(v) for v in match.candidates)
    for volunteer in care.volunteers:
        if not care.is_active(volunteer) or id(volunteer) in maybe:
            continue
        done = care.visits_by_until(volunteer)
        if done and done[-1].values["date"] > since:
            continue
        ahead = care.visits_by_after(volunteer)      # only booked ahead: not "no record at all"
        yield finding("V404", record=volunteer, key="id",
                      variant=None if done else "ahead" if ahead else "never",
                      params={"volunteer": vol(volunteer), "id": record_label(volunteer), "days": IDLE_DAYS,
                              "last": done[-1].values["date"] if done else None,
                              "first": ahead[0].values["date"] if ahead else None})


@rule("V405")
def ratio_by_estate(ctx: Context) -> Iterable[Finding]:
    """Per 小区: 在册 tier A/B residents above (pair cap, default 5) × active volunteers
    covering the 小区. One finding per 小区 (kind volunteers, no row). Silent when nothing
    of the volunteer roster was read (no roster in the folder, or one not read whose ledger
    could not be guessed — a guessed one withholds V405 itself, docs/reliability.md): "没有服务
    该小区的在岗志愿者" would be a guess, as D110 does not call a visitor unknown then."""
    care = ctx.care
    if not care.volunteers:
        return
    per = ctx.settings.thresholds.volunteer_pair_cap
    residents: dict[str, int] = defaultdict(int)
    shown: dict[str, str] = {}
    for resident in care.residents:
        estate = usable(resident, "estate")
        if estate and care.on_register(resident) and care.tier(resident) in ("A", "B"):
            residents[norm(estate)] += 1
            shown.setdefault(norm(estate), str(estate))
    # the 家庭医生团队 are not 老伙伴 volunteers (rules.md V405)
    active = [v for v in care.volunteers if care.is_active(v) and not is_doctor(v)]
    for key in sorted(residents):
        estate = shown[key]
        helpers = sum(1 for v in active if care.covers(v, estate))
        count = residents[key]
        if count <= per * helpers:
            continue
        need = -(-count // per) - helpers
        yield finding("V405", kind="volunteers", value=estate, variant=None if helpers else "none",
                      params={"estate": estate, "count": count, "helpers": helpers, "per": per,
                              "need": need, "ratio": f"{count / helpers:.1f}" if helpers else ""})
