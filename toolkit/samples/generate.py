"""Synthetic 居民区 workspaces: the ledgers (+ 设置.xlsx) of fictional communities.

``build_community`` makes the rows (plain dicts keyed by the schema's column keys, holding the
raw cell values); ``inject_defects`` spoils a share of them the way staff do; ``write_community``
writes them with ``toolkit.report.writer``; ``generate_town`` does all of it for N communities.
The same seed gives the same rows and the same bytes.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from toolkit import schema
from toolkit.report.templates import write_settings
from toolkit.report.writer import write_row, write_workbook
from toolkit.samples import people
from toolkit.settings import Category, DutyStaff, Settings
from toolkit.workdays import WorkCalendar

# sample data only (not labels of the product): who usually owns each request category
CATEGORY_OWNERS = {"电动自行车停放": "物业经理", "健身设施": "居委主任", "晾晒": "物业经理",
                   "小区安全": "网格长", "环境卫生": "物业保洁主管", "物业服务": "物业经理",
                   "养老服务": "养老顾问", "其他": "居委主任"}
CONTENTS = {
    "电动自行车停放": ("{b}号楼下电动自行车乱停放，影响通行", "希望在{b}号楼附近增设电动自行车充电桩",
                 "有居民把电瓶车推进楼道充电，存在安全隐患", "非机动车棚太挤，停不下"),
    "健身设施": ("小区健身器材老旧松动，老人使用不安全", "儿童游乐设施破损，有尖角", "健身步道地砖松动",
             "希望增加适合老人的健身器材"),
    "晾晒": ("小区晾晒难，希望增设公共晾衣架", "{b}号楼前晾衣杆损坏", "楼下晾被子的地方被车占了"),
    "小区安全": ("小区门禁损坏，外来人员随意进出", "楼道堆物存在消防隐患", "{b}号楼路灯不亮，晚上出行不便",
             "小区围墙有缺口"),
    "环境卫生": ("垃圾厢房异味大", "绿化带杂草丛生，蚊虫多", "{b}号楼前有建筑垃圾未清运", "雨后路面积水"),
    "物业服务": ("{b}号楼电梯经常故障", "楼道灯不亮", "雨水管堵塞", "屋顶渗水，需要维修"),
    "养老服务": ("独居老人申请定期巡访", "希望提供老年助餐服务", "老人行动不便，希望上门代配药",
             "希望家庭医生定期上门量血压"),
    "其他": ("咨询舞蹈室开放时间", "希望书屋延长开放时间", "建议多组织睦邻集市活动", "乒乓球室灯光太暗"),
}
RESOLUTIONS = {
    "电动自行车停放": "已划定停放区并张贴告示", "健身设施": "已更换损坏器材", "晾晒": "已增设晾衣架",
    "小区安全": "已维修并加强巡查", "环境卫生": "已清运并安排定期保洁", "物业服务": "物业已维修完毕",
    "养老服务": "已纳入巡访/服务名单", "其他": "已答复并调整安排",
}
HEALTH = ("高血压", "糖尿病", "冠心病", "慢阻肺", "骨质疏松", "关节炎", "脑梗后遗症", "白内障")
DOCTORS = ("李医生", "王医生", "陈医生", "周医生")
MEDICATION = ("按时服药", "按时服药", "代配药已送达", "忘记服药，已提醒", "")
ISSUES = ("家中灯泡坏了，已告知物业", "老人反映腿疼", "冰箱里食物过期，已帮助清理", "需要更换助行器")
AVAILABILITY = ("周一至周五", "周一至周五", "每天", "周二、周四", "周末", "工作日", "")
SKILLS_BY_TEAM = {
    "物业志愿队": ("巡访", "垃圾投放", "助洁"),
    "党员志愿者": ("巡访", "助餐", "代配药"),
    "楼组长": ("巡访", "垃圾投放"),
    "家庭医生团队": ("量血压", "代配药", "助医"),
    "居民志愿者": ("巡访", "助餐", "助洁"),
}
TEAM_WEIGHTS = (("物业志愿队", 25), ("党员志愿者", 25), ("楼组长", 25), ("家庭医生团队", 8),
                ("居民志愿者", 17))
HARDSHIP_WEIGHTS = (("", 64), ("空巢", 12), ("低收入", 6), ("低保", 5), ("半失能", 5), ("失能", 3),
                    ("重残", 2), ("计生特殊家庭", 3))


@dataclass(frozen=True)
class Sizes:
    elderly: int = 300
    requests: int = 600
    volunteers: int = 80
    visits: int = 15000
    services: int | None = None     # issue #17; None = visits // 15
    bookings: int | None = None     # None = visits // 30


# How the ledgers are filled in. "mixed" (default): visits weighted by care tier, 老人编号 and
# 老人姓名 both written, 巡访人 by name, a reading only on 量血压 visits, headers now and then an
# alias. "estate" (issue #20, a large estate's year of weekly visits): the same number of visits
# for every resident (visits ÷ elderly), every visit a 量血压 visit with a reading (so the
# resident was seen), references by 编号 only (no 老人姓名; 巡访人 and 结对志愿者 as 志愿者编号),
# canonical headers.
SHAPES = ("mixed", "estate")


@dataclass(frozen=True)
class Defect:
    """One planted defect: which ledger row (index into the community's list) and what."""
    kind: str
    index: int
    code: str
    key: str
    what: str


@dataclass
class Community:
    name: str
    town: str
    estates: list[str]
    settings: Settings
    elderly: list[dict] = field(default_factory=list)
    volunteers: list[dict] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    visits: list[dict] = field(default_factory=list)
    services: list[dict] = field(default_factory=list)      # issue #17
    rooms: list[dict] = field(default_factory=list)         # issue #17: room bookings
    meetings: list[dict] = field(default_factory=list)      # 议事会记录: one row per 议题
    tiers: dict[str, str] = field(default_factory=dict)     # elderly id -> A/B/C
    defects: list[Defect] = field(default_factory=list)

    def rows(self, kind: str) -> list[dict]:
        return getattr(self, kind)


# --------------------------------------------------------------------------- helpers
def _weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


def care_tier(row: dict, as_of: date) -> str:
    """Default tier rule of ledgers.md: A alone and (≥80 or 失能/重残), B alone or hardship, C."""
    hardship = set(row.get("hardship") or ())
    age = people.age_on(row["birth"], as_of)
    if row["lives_alone"] and (age >= 80 or hardship & set(schema.SEVERE_HARDSHIPS)):
        return "A"
    if row["lives_alone"] or hardship:
        return "B"
    return "C"


def make_settings(name: str, town: str, estates: list[str], rng: random.Random) -> Settings:
    """The 设置 of a community: its 小区, category owners, two or three staff on duty."""
    categories = tuple(Category(c, CATEGORY_OWNERS.get(c, "居委主任"), 15) for c in schema.CATEGORIES)
    taken: set[str] = set()
    days = ((0, 2, 4), (1, 3), (0, 1, 2, 3, 4))
    duty = tuple(DutyStaff(people.make_name(rng, rng.choice(schema.GENDERS), elderly=False,
                                            taken=taken), people.make_mobile(rng), frozenset(d))
                 for d in days[:rng.choice((2, 3))])
    return Settings(committee=name, town=town, estates=tuple(estates), categories=categories,
                    duty=duty)


# --------------------------------------------------------------------------- volunteers
def build_volunteers(rng: random.Random, n: int, estates: list[str], as_of: date) -> list[dict]:
    rows, taken = [], set()
    width = max(3, len(str(n)))
    for i in range(1, n + 1):
        team = _weighted(rng, TEAM_WEIGHTS)
        gender = "女" if rng.random() < 0.65 else "男"
        if team == "家庭医生团队" or (team == "党员志愿者" and rng.random() < 0.1):
            served = [schema.ALL_ESTATES]
        elif team == "物业志愿队" and len(estates) > 1 and rng.random() < 0.3:
            served = rng.sample(estates, 2)
        else:
            served = [rng.choice(estates)]
        skills = list(SKILLS_BY_TEAM[team])
        if team != "家庭医生团队" and rng.random() < 0.3:
            skills.append("量血压")
        certificate, expiry = "", None
        if team == "物业志愿队" and rng.random() < 0.35:
            certificate = rng.choice(("养老护理员（四级）", "养老护理员（五级）"))
            expiry = as_of + timedelta(days=rng.randrange(90, 1000))
        elif team == "家庭医生团队":
            certificate, expiry = "执业医师资格证", as_of + timedelta(days=rng.randrange(200, 1500))
        rows.append({
            "id": f"ZY-{i:0{width}d}",
            "name": people.make_name(rng, gender, elderly=False, taken=taken),
            "phone": people.make_mobile(rng),
            "team": team,
            "estates": served,
            "skills": skills,
            "availability": rng.choice(AVAILABILITY),
            "capacity": rng.choice(("", "", 3, 4, 5, 6, 8)),
            "certificate": certificate,
            "certificate_expiry": expiry,
            "active": "否" if rng.random() < 0.04 else rng.choice(("是", "是", "")),
        })
    return rows


def _covers(volunteer: dict, estate: str) -> bool:
    return schema.ALL_ESTATES in volunteer["estates"] or estate in volunteer["estates"]


def _active(volunteer: dict) -> bool:
    return volunteer["active"] != "否"


# --------------------------------------------------------------------------- elderly
def build_elderly(rng: random.Random, n: int, estates: list[str], as_of: date) -> list[dict]:
    rows, taken_names, taken_addr = [], set(), set()
    width = max(3, len(str(n)))
    # 30 buildings x 6 floors x 4 flats = 720 addresses a 小区; a bigger estate (issue #20:
    # 3,000 elderly) gets more buildings, or no free address would ever be found. Sizes that
    # fit keep 30, so their files stay the same.
    buildings = 30 if n <= 720 * len(estates) else -(-3 * n // (2 * 24 * len(estates)))
    for i in range(1, n + 1):
        gender = "女" if rng.random() < 0.58 else "男"
        birth = people.make_birth(rng, as_of)
        name = people.make_name(rng, gender, taken=taken_names)
        estate = rng.choice(estates)
        address = people.make_address(rng, buildings)
        while (estate, address) in taken_addr:
            address = people.make_address(rng, buildings)
        taken_addr.add((estate, address))
        alone = rng.random() < 0.3
        hardship = _weighted(rng, HARDSHIP_WEIGHTS)
        hardship = [hardship] if hardship else []
        if hardship and rng.random() < 0.15:
            extra = _weighted(rng, HARDSHIP_WEIGHTS)
            if extra and extra not in hardship:
                hardship.append(extra)
        health = rng.sample(HEALTH, rng.choice((0, 1, 1, 2, 2, 3)))
        has_contact = alone or rng.random() < 0.7
        status = _weighted(rng, (("", 60), (schema.ON_REGISTER, 33), ("住院", 3), ("外出", 2),
                                 ("去世", 1), ("迁出", 1)))
        rows.append({
            "id": f"LR-{i:0{width}d}",
            "name": name,
            "gender": gender,
            "birth": birth,
            "id_number": people.make_id_number(rng, birth, gender),
            "age": people.age_on(birth, as_of),
            "estate": estate,
            "address": address,
            "phone": _weighted(rng, ((people.make_landline(rng), 5), (people.make_mobile(rng), 3),
                                     ("", 2))),
            "emergency_contact": people.make_emergency_contact(rng, name[0]) if has_contact else "",
            "emergency_phone": people.make_mobile(rng) if has_contact else "",
            "lives_alone": "是" if alone else "否",
            "hardship": hardship,
            "health": health,
            "family_doctor": rng.choice(DOCTORS),
            "needs": [],
            "volunteer": "",
            "status": status,
        })
    for row in rows:
        row["_alone"] = row["lives_alone"] == "是"
    return rows


def _assign_needs(rng: random.Random, row: dict, tier: str) -> None:
    if tier == "C":
        return
    needs = ["巡访"]
    if "高血压" in row["health"] or rng.random() < 0.2:
        needs.append("量血压")
    for need in ("代配药", "助餐", "助洁", "助医", "垃圾投放"):
        if rng.random() < (0.25 if tier == "A" else 0.1):
            needs.append(need)
    row["needs"] = needs


def pair_volunteers(rng: random.Random, elderly: list[dict], volunteers: list[dict],
                    tiers: dict[str, str], cap: int = 5, shape: str = "mixed") -> None:
    """Pair every tier A/B resident with an active volunteer of the 小区 who has room."""
    load = {v["id"]: 0 for v in volunteers}
    for row in elderly:
        if tiers[row["id"]] == "C":
            continue
        candidates = [v for v in volunteers if _active(v) and _covers(v, row["estate"])
                      and "巡访" in v["skills"]
                      and load[v["id"]] < min(cap, v["capacity"] or cap)]
        if not candidates:
            continue
        best = min(load[v["id"]] for v in candidates)
        chosen = rng.choice([v for v in candidates if load[v["id"]] == best])
        load[chosen["id"]] += 1
        by_name = rng.random() >= 0.6
        row["volunteer"] = chosen["name"] if by_name and shape != "estate" else chosen["id"]
        row["_volunteer_id"] = chosen["id"]


# --------------------------------------------------------------------------- visits
TIER_WEIGHT = {"A": 52, "B": 12, "C": 4}


def _normal_bp(rng: random.Random) -> str:
    return f"{rng.randrange(112, 139)}/{rng.randrange(66, 89)}"


def build_visits(rng: random.Random, elderly: list[dict], volunteers: list[dict],
                 tiers: dict[str, str], n: int, start: date, as_of: date,
                 shape: str = "mixed") -> list[dict]:
    """About ``n`` visits between ``start`` and ``as_of``, weighted by tier (shape "estate":
    the same number for everyone), evenly spread per resident with jitter; the last visit of
    each resident is normal and covers their needs."""
    weights = [TIER_WEIGHT[tiers[r["id"]]] for r in elderly]
    total = sum(weights) or 1
    by_id = {v["id"]: v for v in volunteers}
    visits: list[dict] = []
    for row, weight in zip(elderly, weights):
        count = max(1, round(n * weight / total) if shape != "estate" else n // len(elderly))
        end = as_of
        if row["status"] in schema.GONE_STATUSES:
            end = as_of - timedelta(days=rng.randrange(30, 120))
        span = max(1, (end - start).days)
        estate_volunteers = [v for v in volunteers if _active(v) and _covers(v, row["estate"])]
        paired = by_id.get(row.get("_volunteer_id", ""))
        dates = sorted(start + timedelta(days=min(span, int((k + 0.25 + 0.6 * rng.random())
                                                            * span / count)))
                       for k in range(count))
        for k, day in enumerate(dates):
            last = k == count - 1
            doer = paired if (paired and rng.random() < 0.85) else (
                rng.choice(estate_volunteers) if estate_volunteers else paired)
            visits.append(_visit(rng, row, doer, day, last, shape))
    visits.sort(key=lambda v: (v["date"], v["elderly_id"]))
    return visits


def _visit(rng: random.Random, row: dict, volunteer: dict | None, day: date, last: bool,
           shape: str = "mixed") -> dict:
    if shape == "estate":
        return _estate_visit(rng, row, volunteer, day, last)
    services = [schema.SERVICE_VISIT]
    needs = [n for n in row["needs"] if n != schema.SERVICE_VISIT]
    if needs:
        services += needs if last else rng.sample(needs, rng.randrange(0, len(needs) + 1))
    wants_bp = "高血压" in row["health"] or schema.SERVICE_BP in row["needs"]
    if schema.SERVICE_BP not in services and wants_bp and (last or rng.random() < 0.4):
        services.append(schema.SERVICE_BP)
    if not last and rng.random() < 0.08:
        services = [schema.SERVICE_PHONE]
    outcome = schema.OUTCOMES[0] if last else _weighted(
        rng, (("正常", 930), ("身体不适", 30), ("外出", 20), ("敲门无应答", 15), ("已送医", 5)))
    bp = ""
    if schema.SERVICE_BP in services and outcome not in schema.NOT_COUNTED_OUTCOMES:
        bp = _normal_bp(rng) if (last or rng.random() < 0.85) else \
            f"{rng.randrange(140, 165)}/{rng.randrange(85, 100)}"
    follow = "是" if (not last and outcome in ("身体不适", "已送医")) else rng.choice(("否", "", ""))
    return {
        "date": day,
        "elderly_id": row["id"],
        "elderly_name": row["name"],
        "volunteer": volunteer["name"] if volunteer else "",
        "service": services,
        "outcome": outcome,
        "blood_pressure": bp,
        "medication": rng.choice(MEDICATION) if "代配药" in services or bp else "",
        "issue": rng.choice(ISSUES) if follow == "是" else "",
        "follow_up": follow,
        "hours": rng.choice((0.5, 0.5, 1, 1, 1.5, 2)) if services != [schema.SERVICE_PHONE] else 0.2,
    }


def _estate_visit(rng: random.Random, row: dict, volunteer: dict | None, day: date,
                  last: bool) -> dict:
    """Shape "estate": a 量血压 visit with a reading, the resident seen, references by 编号."""
    services = [schema.SERVICE_VISIT]
    needs = [n for n in row["needs"] if n not in (schema.SERVICE_VISIT, schema.SERVICE_BP)]
    if needs:
        services += needs if last else rng.sample(needs, rng.randrange(0, len(needs) + 1))
    services.append(schema.SERVICE_BP)
    outcome = schema.OUTCOMES[0] if last else _weighted(
        rng, (("正常", 960), ("身体不适", 30), ("已送医", 10)))
    bp = _normal_bp(rng) if (last or rng.random() < 0.85) else \
        f"{rng.randrange(140, 165)}/{rng.randrange(85, 100)}"
    follow = "是" if (not last and outcome != "正常") else rng.choice(("否", "", ""))
    return {
        "date": day,
        "elderly_id": row["id"],
        "elderly_name": "",
        "volunteer": volunteer["id"] if volunteer else "",
        "service": services,
        "outcome": outcome,
        "blood_pressure": bp,
        "medication": rng.choice(MEDICATION),
        "issue": rng.choice(ISSUES) if follow == "是" else "",
        "follow_up": follow,
        "hours": rng.choice((0.5, 0.5, 1, 1, 1.5, 2)),
    }


# --------------------------------------------------------------------------- requests
def build_requests(rng: random.Random, n: int, estates: list[str], settings: Settings,
                   start: date, as_of: date, calendar: WorkCalendar) -> list[dict]:
    """``n`` requests received between ``start`` and ``as_of``, each as far along the four
    stages as time allows (so none is late unless a defect makes it so)."""
    span = (as_of - start).days
    received = sorted(start + timedelta(days=rng.randrange(0, span + 1)) for _ in range(n))
    rows, seq = [], {}
    for day in received:
        seq[day.year] = seq.get(day.year, 0) + 1
        rows.append(_request(rng, f"SQ{day.year}-{seq[day.year]:03d}", day, estates, settings,
                             as_of, calendar))
    return rows


def _resident_name(rng: random.Random, gender: str) -> str:
    """How staff write a resident: full name, or 王阿姨 / 陈老伯."""
    if rng.random() < 0.5:
        return people.make_name(rng, gender, elderly=False)
    return rng.choice(people.SURNAMES) + rng.choice(("阿姨", "女士") if gender == "女" else ("老伯", "先生"))


def _request(rng: random.Random, rid: str, received: date, estates: list[str], settings: Settings,
             as_of: date, calendar: WorkCalendar) -> dict:
    category = _weighted(rng, (("电动自行车停放", 18), ("健身设施", 10), ("晾晒", 8), ("小区安全", 14),
                               ("环境卫生", 16), ("物业服务", 18), ("养老服务", 10), ("其他", 6)))
    cat = settings.category(category)
    limit = cat.limit_days if cat and cat.limit_days else 15
    building = rng.randrange(1, 30)
    anonymous = rng.random() < 0.2
    gender = rng.choice(schema.GENDERS)
    classified = calendar.add_workdays(received, rng.choice((0, 1, 1)))
    assigned = calendar.add_workdays(classified, rng.choice((0, 1, 2)))
    due = calendar.add_workdays(assigned, limit)
    resolved = calendar.add_workdays(assigned, rng.randrange(2, max(3, limit - 3)))
    replied = calendar.add_workdays(resolved, rng.choice((0, 1, 1, 2)))
    row = {
        "id": rid, "received": received,
        "source": _weighted(rng, (("议事会", 25), ("接待点", 20), ("服务站", 15), ("网格巡查", 15),
                                  ("12345", 8), ("来电", 10), ("来访", 5), ("其他", 2))),
        "resident": "" if anonymous else _resident_name(rng, gender),
        "phone": "" if anonymous else people.make_mobile(rng),
        "estate": rng.choice(estates),
        "address": f"{building}号" + (f"{rng.randrange(1, 7)}0{rng.randrange(1, 5)}室"
                                      if rng.random() < 0.6 else ""),
        "content": rng.choice(CONTENTS[category]).format(b=building),
        "category": "", "classified": None, "assignee": "", "assigned": None, "due": None,
        "progress": "", "resolved": None, "resolution": "", "replied": None,
        "reply_method": "", "satisfaction": "", "status": "",
    }
    stage = 0
    if classified <= as_of:
        row.update(category=category, classified=classified)
        stage = 1
    if stage == 1 and assigned <= as_of:
        row.update(assignee=(cat.owner if cat and cat.owner else "居委主任"), assigned=assigned,
                   due=due if rng.random() < 0.6 else None, progress="已转交责任人")
        stage = 2
    if stage == 2 and resolved <= as_of:
        row.update(resolved=resolved, resolution=RESOLUTIONS[category], progress="已处理")
        stage = 3
    if stage == 3 and replied <= as_of:
        row.update(replied=replied, reply_method=_weighted(
            rng, (("电话", 50), ("上门", 20), ("议事会", 15), ("微信", 12), ("书面", 3))),
            satisfaction=_weighted(rng, (("满意", 78), ("基本满意", 22))))
        stage = 4
    if rng.random() < 0.7:
        row["status"] = ("待分类", "待分派", "办理中", "已办结", "已答复")[stage]
    return row


# --------------------------------------------------------------------------- council minutes
ATTENDEES = ("网格长", "党员代表", "楼组长", "物业经理", "居民代表", "业委会主任", "社区民警")
BRIEFINGS = ("冬季消防安全提示", "垃圾分类新规通报", "社区活动室开放安排", "防诈骗宣传",
             "高温天气关爱独居老人提示", "医保缴费政策解读")
MEETING_ITEMS = (2, 5)          # 议题 per meeting drawn from the requests (min, max)


def meeting_rng(community: "Community") -> random.Random:
    """The minutes' own random stream: adding the minutes leaves every other ledger (and the
    defects planted in them) exactly as before."""
    tail = community.requests[-1]["id"] if community.requests else ""
    return random.Random(f"meetings:{community.name}:{len(community.requests)}:{tail}")


def meeting_day(year: int, month: int, calendar: WorkCalendar) -> date:
    """The council's monthly date: the second Wednesday, or the next working day."""
    day = date(year, month, 1)
    day += timedelta(days=(2 - day.weekday()) % 7 + 7)
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def build_meetings(rng: random.Random, requests: list[dict], start: date, as_of: date,
                   calendar: WorkCalendar, register_days: int = 5,
                   skip: frozenset[tuple[int, int]] = frozenset()) -> list[dict]:
    """A year of monthly 居民议事会 minutes, one row per 议题: items are requests registered
    within ``register_days`` working days after the meeting (议事会 requests first), linked by
    诉求编号 or — about a third — by content only; one 通报 item per meeting; decisions with a
    落实人, reported back at the next meeting. Date, name and attendees are written on a
    meeting's first row only, as secretaries do. ``skip``: (year, month) without a meeting."""
    days, year, month = [], start.year, start.month
    while (year, month) <= (as_of.year, as_of.month):
        day = meeting_day(year, month, calendar)
        if start <= day <= as_of and (year, month) not in skip:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    rows: list[dict] = []
    used: set[str] = set()
    for n, day in enumerate(days):
        nxt = days[n + 1] if n + 1 < len(days) else None
        last = calendar.add_workdays(day, register_days)
        window = [r for r in requests if isinstance(r["received"], date) and r["content"]
                  and day <= r["received"] <= last and r["id"] not in used]
        window.sort(key=lambda r: (r["source"] != "议事会", r["received"], r["id"]))
        chosen = window[:rng.randint(*MEETING_ITEMS)]
        people_here = rng.sample(ATTENDEES, rng.randint(4, len(ATTENDEES)))
        items = []
        for r in chosen:
            used.add(r["id"])
            linked = rng.random() < 0.65
            item = {"topic": r["content"], "request_id": r["id"] if linked else ""}
            if r.get("assignee"):
                item.update(decision=f"由{r['assignee']}牵头办理：{RESOLUTIONS.get(r['category'], '研究解决')}",
                            owner=r["assignee"])
                feedback = nxt if nxt is not None and nxt <= as_of else None
                if feedback is None and nxt is None and (as_of - day).days > 20:
                    feedback = calendar.add_workdays(day, 10)
                if feedback is not None:
                    item.update(feedback_date=feedback, feedback="已在议事会上通报落实情况")
            items.append(item)
        items.append({"topic": rng.choice(BRIEFINGS), "request_id": "通报"})
        for i, item in enumerate(items):
            first = i == 0
            rows.append({"date": day if first else None, "meeting": "居民议事会" if first else "",
                         "attendees": "、".join(people_here) if first else "",
                         "topic": item["topic"], "request_id": item.get("request_id", ""),
                         "decision": item.get("decision", ""), "owner": item.get("owner", ""),
                         "feedback_date": item.get("feedback_date"),
                         "feedback": item.get("feedback", "")})
    return rows


# --------------------------------------------------------------------------- community
def build_community(rng: random.Random, name: str, estates: list[str], *, as_of: date,
                    sizes: Sizes = Sizes(), days: int = 365, town: str = "佘山镇",
                    shape: str = "mixed") -> Community:
    """All four ledgers of one fictional 居民区, consistent with each other and on time."""
    settings = make_settings(name, town, estates, rng)
    calendar = WorkCalendar(settings.holidays)
    start = as_of - timedelta(days=days)
    community = Community(name, town, list(estates), settings)
    community.volunteers = build_volunteers(rng, sizes.volunteers, estates, as_of)
    community.elderly = build_elderly(rng, sizes.elderly, estates, as_of)
    for row in community.elderly:
        tier = care_tier({**row, "lives_alone": row["_alone"]}, as_of)
        community.tiers[row["id"]] = tier
        _assign_needs(rng, row, tier)
    pair_volunteers(rng, community.elderly, community.volunteers, community.tiers,
                    settings.thresholds.volunteer_pair_cap, shape)
    community.visits = build_visits(rng, community.elderly, community.volunteers,
                                    community.tiers, sizes.visits, start, as_of, shape)
    community.requests = build_requests(rng, sizes.requests, estates, settings, start, as_of,
                                        calendar)
    if shape == "estate":    # issue #20's estate: the four core ledgers only, all scaling together
        return community
    community.meetings = build_meetings(meeting_rng(community), community.requests, start, as_of,
                                        calendar, settings.council_register_days)
    _add_usage(community, sizes, start, as_of, calendar)
    return community


def _add_usage(community: Community, sizes: Sizes, start: date, as_of: date, calendar) -> None:
    """Services and room bookings (issue #17) from their own generator, seeded from the
    community (so the four older ledgers stay what they were for a given seed)."""
    from dataclasses import replace

    from toolkit.samples import usage
    first = community.elderly[0]["id_number"] if community.elderly else ""
    sub = random.Random(f"usage:{community.name}:{first}")
    n_services = sizes.services if sizes.services is not None else max(20, sizes.visits // 15)
    n_bookings = sizes.bookings if sizes.bookings is not None else max(20, sizes.visits // 30)
    community.services = usage.build_services(sub, community.elderly, n_services, start, as_of)
    community.rooms = usage.build_bookings(sub, n_bookings, max(start, as_of - timedelta(days=180)),
                                           as_of, calendar)
    community.settings = replace(community.settings, fees=usage.fee_standards(),
                                 rooms=usage.room_settings())


# --------------------------------------------------------------------------- defects
def _bad_date(rng: random.Random, day: date | None) -> str:
    day = day or date(2026, 3, 5)
    return rng.choice((f"{day.year}-02-30", f"{day.year}.13.{day.day}", f"{day.year}-{day.month}-32",
                       "待定"))


def _defect_elderly(rng: random.Random, row: dict) -> tuple[str, str, str]:
    choice = rng.randrange(6)
    if choice == 0:
        row["address"] = ""
        return "D101", "address", "地址为空"
    if choice == 1:
        row["id_number"] = people.break_check_digit(row["id_number"])
        return "D105", "id_number", "身份证校验位错误"
    if choice == 2:
        row["phone"] = people.break_phone(rng, row["phone"] or people.make_mobile(rng))
        return "D104", "phone", "电话少一位或多一位"
    if choice == 3:
        row["birth"] = _bad_date(rng, row["birth"])
        return "D102", "birth", "出生日期不存在"
    if choice == 4:
        row["volunteer"] = "ZY-999"
        return "D110", "volunteer", "结对志愿者编号不存在"
    row["lives_alone"], row["emergency_phone"] = "是", ""
    return "C310", "emergency_phone", "独居但没有紧急联系电话"


def _defect_volunteer(rng: random.Random, row: dict, as_of: date) -> tuple[str, str, str]:
    choice = rng.randrange(3)
    if choice == 0:
        row["phone"] = people.break_phone(rng, row["phone"])
        return "D104", "phone", "电话少一位或多一位"
    if choice == 1:
        row["phone"] = ""
        return "D101", "phone", "电话为空"
    row["certificate"] = row["certificate"] or "养老护理员（五级）"
    row["certificate_expiry"] = as_of - timedelta(days=rng.randrange(1, 200))
    return "V402", "certificate_expiry", "证书已过期"


def _defect_request(rng: random.Random, row: dict, as_of: date) -> tuple[str, str, str]:
    choice = rng.randrange(6)
    if choice == 0:
        row["content"] = ""
        return "D101", "content", "诉求内容为空"
    if choice == 1:
        row["received"] = _bad_date(rng, row["received"])
        return "D102", "received", "登记日期无法识别"
    if choice == 2:
        row["source"] = "微信群"
        return "D109", "source", "来源不在可选范围"
    if choice == 3 and row["assigned"] and row["assigned"] < as_of - timedelta(days=40):
        row.update(resolved=None, resolution="", replied=None, reply_method="", satisfaction="",
                   status="办理中" if row["status"] else "", progress="正在协调",
                   due=row["assigned"] + timedelta(days=21))
        return "R203", "due", "超过办理时限仍未办结"
    if choice == 4 and row["replied"] and row["resolved"] < as_of - timedelta(days=10):
        row.update(replied=None, reply_method="", satisfaction="",
                   status="已办结" if row["status"] else "")
        return "R204", "replied", "已办结未答复"
    if row["replied"]:
        row["satisfaction"] = schema.UNSATISFIED
        return "R209", "satisfaction", "居民不满意，未重办"
    row["content"] = ""
    return "D101", "content", "诉求内容为空"


def _defect_visit(rng: random.Random, row: dict) -> tuple[str, str, str]:
    choice = rng.randrange(5)
    if choice == 0:
        row["volunteer"] = ""
        return "D101", "volunteer", "巡访人为空"
    if choice == 1:
        row["date"] = _bad_date(rng, row["date"])
        return "D102", "date", "巡访日期无法识别"
    if choice == 2:
        row["outcome"] = "情况不明"     # not a synonym (良好 reads as 正常)
        return "D109", "outcome", "巡访情况不在可选范围"
    if choice == 3:
        row["elderly_id"], row["elderly_name"] = "LR-9999", "查无此人"
        return "D110", "elderly_id", "老人编号不存在"
    row["service"] = sorted(set(row["service"]) | {schema.SERVICE_BP})
    row["blood_pressure"] = "300/80"
    return "D111", "blood_pressure", "血压数值超出范围"


def inject_defects(rng: random.Random, community: Community, rate: float, as_of: date) -> None:
    """Spoil about ``rate`` of the rows of every ledger; record each in ``community.defects``."""
    if rate <= 0:
        return
    makers = {"elderly": lambda r: _defect_elderly(rng, r),
              "volunteers": lambda r: _defect_volunteer(rng, r, as_of),
              "requests": lambda r: _defect_request(rng, r, as_of),
              "visits": lambda r: _defect_visit(rng, r)}
    for kind in ("elderly", "volunteers", "requests", "visits"):
        for index, row in enumerate(community.rows(kind)):
            if rng.random() < rate:
                code, key, what = makers[kind](row)
                community.defects.append(Defect(kind, index, code, key, what))
    mrng = meeting_rng(community)         # the minutes' own stream: the rows above stay as they were
    for index, row in enumerate(community.meetings):
        if row.get("request_id") != "通报" and mrng.random() < rate * 5:
            code, key, what = _defect_meeting(mrng, row)
            community.defects.append(Defect("meetings", index, code, key, what))
    _usage_defects(rng, community, rate, as_of)


def _usage_defects(rng: random.Random, community: Community, rate: float, as_of: date) -> None:
    """Services and rooms (issue #17): P801/D101/D102 and U901/U903/D102."""
    from toolkit.samples import usage
    spoiled: set[int] = set()
    for index, row in enumerate(community.services):
        if rng.random() < rate:
            code, key, what = usage.defect_service(rng, row, as_of)
            community.defects.append(Defect("services", index, code, key, what))
    for index, row in enumerate(community.rooms):
        if rng.random() < rate:
            earlier = community.rooms[index - 1] if index and index - 1 not in spoiled else None
            code, key, what = usage.defect_booking(rng, row, earlier)
            spoiled.add(index)
            community.defects.append(Defect("rooms", index, code, key, what))



def _defect_meeting(rng: random.Random, row: dict) -> tuple[str, str, str]:
    """M702 (item never registered), M703 (decision without owner), M704 (no feedback)."""
    if row.get("decision") and row.get("feedback_date") and rng.random() < 0.5:
        row.update(feedback_date=None, feedback="")
        return "M704", "feedback_date", "议定事项没有反馈"
    if row.get("decision") and rng.random() < 0.5:
        row["owner"] = ""
        return "M703", "owner", "议定事项没有落实人"
    row.update(topic="居民反映" + rng.choice(("小区停车位不足", "快递柜太少", "楼道广告多")),
               request_id="")
    return "M702", "request_id", "议题没有登记为诉求"


# --------------------------------------------------------------------------- writing
FILE_NAMES = {kind: f"{schema.LEDGERS[kind].title}.xlsx" for kind in schema.KINDS}


def headers_for(kind: str, rng: random.Random | None = None, alias_rate: float = 0.0) -> list[str]:
    """Header cells for a ledger: canonical, or (with ``rng``) now and then an alias."""
    out = []
    for column in schema.LEDGERS[kind].template_columns:
        if rng is not None and column.aliases and rng.random() < alias_rate:
            out.append(rng.choice(column.aliases))
        else:
            out.append(column.header)
    return out


def write_ledger(path: Path, kind: str, rows: list[dict], *, as_of: date,
                 headers: list[str] | None = None) -> Path:
    """One ledger as a plain workbook (header on row 1, canonical order), streamed."""
    columns = [c.key for c in schema.LEDGERS[kind].template_columns]
    headers = headers or headers_for(kind)

    def build(workbook) -> None:
        bold = workbook.add_format({"bold": True})
        day = workbook.add_format({"num_format": "yyyy-mm-dd"})
        sheet = workbook.add_worksheet(schema.LEDGERS[kind].sheet)
        sheet.set_column(0, len(columns) - 1, 12)
        write_row(sheet, 0, headers, bold)
        for r, row in enumerate(rows, start=1):
            write_row(sheet, r, [row.get(k) for k in columns], date_fmt=day)

    return write_workbook(path, build, as_of=as_of, title=schema.LEDGERS[kind].title,
                          constant_memory=True)


def write_community(folder: Path, community: Community, *, as_of: date,
                    rng: random.Random | None = None, alias_rate: float = 0.0) -> list[Path]:
    """The community's workspace: every ledger and 设置.xlsx."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [write_ledger(folder / FILE_NAMES[kind], kind, community.rows(kind), as_of=as_of,
                          headers=headers_for(kind, rng, alias_rate))
             for kind in schema.KINDS]
    paths.append(Path(write_settings(folder / schema.SETTINGS_FILE, community.settings,
                                     as_of=as_of) or folder / schema.SETTINGS_FILE))
    return paths


def community_seed(seed: int, index: int) -> int:
    """Each community's own seed: independent of how many are generated or in which order."""
    return random.Random(f"{seed}:{index}").randrange(2 ** 62)


def _one(args) -> list[Path]:
    out, index, name, seed, as_of, sizes, defect_rate, town, shape = args
    rng = random.Random(community_seed(seed, index))
    estates = people.estate_names(rng, rng.choice((2, 3, 3, 4)), stem=name)
    community = build_community(rng, name, estates, as_of=as_of, sizes=sizes, town=town,
                                shape=shape)
    inject_defects(rng, community, defect_rate, as_of)
    return write_community(Path(out) / name, community, as_of=as_of, rng=rng,
                           alias_rate=0.0 if shape == "estate" else 0.15)


def generate_town(out: Path, *, communities: int, seed: int, as_of: date,
                  elderly: int = 300, requests: int = 600, volunteers: int = 80,
                  visits: int = 15000, defect_rate: float = 0.02, town: str = "佘山镇",
                  workers: int = 1, services: int | None = None,
                  bookings: int | None = None, shape: str = "mixed") -> list[Path]:
    """Write ``communities`` workspaces under ``out`` (one folder per 居民区); return the files.

    Deterministic: the same arguments give byte-identical files, whatever ``workers`` is.
    """
    sizes = Sizes(elderly=elderly, requests=requests, volunteers=volunteers, visits=visits,
                  services=services, bookings=bookings)
    names = people.community_names(random.Random(seed), communities)
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}, not {shape!r}")
    jobs = [(str(out), i, name, seed, as_of, sizes, defect_rate, town, shape)
            for i, name in enumerate(names)]
    if workers > 1 and communities > 1:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_one, jobs))
    else:
        results = [_one(job) for job in jobs]
    return [path for paths in results for path in paths]


__all__ = ["Sizes", "SHAPES", "Defect", "Community", "build_community", "inject_defects",
           "write_ledger", "write_community", "generate_town", "care_tier", "make_settings",
           "headers_for", "build_meetings", "meeting_day"]
