"""Build the demo workspace ``samples/xinze/`` — a fictional 莘泽居民区 (佘山镇, 松江区).

    /tmp/venv/bin/python samples/make_xinze.py        # needs LibreOffice (soffice)

Deterministic rows (fixed seed, the generator's builders), then planted defects, then each
ledger written in a different real-world layout and re-saved / converted by LibreOffice so
the files look like files staff really keep:

- 老年人台账.xlsx  title row, 填报单位 row, 序号, two-level header, aliases, blank row between
                   小区, 合计 row with a formula, 注： note, a hidden column and a hidden sheet;
- 志愿者名册.xls   legacy .xls (LibreOffice convert), alias headers;
- 诉求台账.xlsx    one sheet per 小区 + an empty Sheet2, dates in mixed spellings;
- 巡访记录.csv     GBK-encoded CSV, alias headers;
- 议事会记录.xlsx  a year of monthly 居民议事会 minutes, one row per 议题, title row, alias
                   headers, 会议日期/会议名称/参会人员 merged down over each meeting's items;
- 设置.xlsx        written by ``toolkit.report.templates.write_settings``;
- 睦邻集市报名表.xlsx  a workbook that is no ledger at all.

The README (defect table with the final Excel row numbers, clean rows, demo week) is written
from the same plan, so it always matches the files.
"""
from __future__ import annotations

import csv
import io
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit import schema  # noqa: E402
from toolkit.files import write_text  # noqa: E402
from toolkit.report.writer import write_row, write_workbook  # noqa: E402
from toolkit.samples import generate as gen  # noqa: E402
from toolkit.samples import people  # noqa: E402
from toolkit.settings import Category, DutyStaff, Settings  # noqa: E402
from toolkit.workdays import WorkCalendar  # noqa: E402

AS_OF = date(2026, 11, 23)          # a Monday: the demo's week
START = date(2026, 5, 25)           # six months of visits and requests
SEED = 20261123
NAME, TOWN = "莘泽居民区", "佘山镇"
ESTATES = ["松和苑", "咏泽苑", "惠泽苑"]
OUT = ROOT / "samples" / "xinze"

F_ELDERLY, F_VOLUNTEERS = "老年人台账.xlsx", "志愿者名册.xls"
F_REQUESTS, F_VISITS, F_MARKET = "诉求台账.xlsx", "巡访记录.csv", "睦邻集市报名表.xlsx"
S_ELDERLY, S_HIDDEN, S_VOLUNTEERS = "花名册", "下拉选项", "志愿者名册"
F_MEETINGS, S_MEETINGS = "议事会记录.xlsx", "议事会记录"
MEETINGS_START = date(2025, 12, 1)       # a year of monthly meetings
NO_MEETING = frozenset({(2026, 10)})     # October: National Day, no council met (M701)
RECORDER = "陆佳怡"                       # settings 议事会 记录人

# real-world header spellings (every one is a canonical header or an alias of schema.py)
ELDERLY_HEADERS = [("序号", None), ("老人编号", "id"), ("姓名", "name"), ("性别", "gender"),
                   ("出生年月", "birth"), ("身份证号码", "id_number"), ("年龄", "age"),
                   ("小区", "estate"), ("家庭住址", "address"), ("本人电话", "phone"),
                   ("紧急联系人电话", "emergency_phone"), ("紧急联系人", "emergency_contact"),
                   ("是否独居", "lives_alone"), ("特殊困难", "hardship"), ("健康状况", "health"),
                   ("签约医生", "family_doctor"), ("服务需求", "needs"),
                   ("结对志愿者", "volunteer"), ("在册状态", "status"), ("所在楼组", None)]
ELDERLY_FIRST_ROW, HIDDEN_COLUMN, PHONE_GROUP = 5, "年龄", ("联系方式", 9, 10)
VOLUNTEER_HEADERS = [("序号", None), ("志愿者编号", "id"), ("志愿者姓名", "name"), ("手机", "phone"),
                     ("所属队伍", "team"), ("负责小区", "estates"), ("可提供服务", "skills"),
                     ("空闲时间", "availability"), ("每周最多", "capacity"),
                     ("资格证书", "certificate"), ("有效期至", "certificate_expiry"),
                     ("是否在岗", "active")]
VOLUNTEER_FIRST_ROW = 3
REQUEST_HEADERS = [("诉求编号", "id"), ("反映日期", "received"), ("渠道", "source"),
                   ("反映人", "resident"), ("联系电话", "phone"), ("小区", "estate"),
                   ("楼号室号", "address"), ("反映内容", "content"), ("诉求类别", "category"),
                   ("梳理日期", "classified"), ("责任人", "assignee"), ("交办日期", "assigned"),
                   ("办理时限", "due"), ("办理进展", "progress"), ("办结日期", "resolved"),
                   ("办理结果", "resolution"), ("回访日期", "replied"), ("回访方式", "reply_method"),
                   ("回访评价", "satisfaction"), ("办理状态", "status"), ("备注", None)]
REQUEST_FIRST_ROW = 3
VISIT_HEADERS = [("走访日期", "date"), ("老人编号", "elderly_id"), ("服务对象", "elderly_name"),
                 ("走访人", "volunteer"), ("服务内容", "service"), ("情况", "outcome"),
                 ("血压", "blood_pressure"), ("用药情况", "medication"), ("备注", "issue"),
                 ("是否跟进", "follow_up"), ("服务时长", "hours")]
VISIT_FIRST_ROW = 2
MEETING_HEADERS = [("开会日期", "date"), ("会议名称", "meeting"), ("参会人员", "attendees"),
                   ("议题", "topic"), ("关联诉求", "request_id"), ("议定事项", "decision"),
                   ("牵头人", "owner"), ("反馈日期", "feedback_date"), ("落实情况", "feedback")]
MEETING_FIRST_ROW = 3
# items of the meetings before the request ledger starts (2026-05-25): not requests
EARLY_ITEMS = (("社区配套用房“微改造”方案征求意见", "重新划分舞蹈室、乒乓球室、棋牌室，国贸地产实施", "物业经理"),
               ("“零距离”接待点值班安排", "每周二、四下午由网格长和党员轮值", "网格长"),
               ("“莘卫互助圈”家庭医生上门服务对象名单", "独居高龄老人全部纳入，每月上门量血压", "居委副主任"),
               ("睦邻集市摊位招募", "楼组长动员居民报名，每月第三个周六举办", "楼组长"),
               ("电动自行车集中充电点选址", "征求松和苑、咏泽苑居民意见后报物业", "物业经理"),
               ("“莘汇”议事团增补成员", "增补惠泽苑楼组长两名，下次会议起参会", "居委主任"))
DATE_KEYS = ("received", "classified", "assigned", "due", "resolved", "replied")

# --- 物业+养老 services and the activity rooms (issue #17) ---------------------------------
F_SERVICES, F_ROOMS = "服务记录.xlsx", "活动室使用登记.xlsx"
S_ROOMS = "使用登记"
PROVIDERS = {"国贸物业": "国贸物业服务中心", "绿城物业": "绿城物业莘泽项目部"}   # sheet -> 服务单位
SERVICE_HEADERS = [("序号", None), ("日期", "date"), ("档案号", "elderly_id"), ("服务对象", "elderly_name"),
                   ("服务项目", "item"), ("服务单位", "provider"), ("服务人员", "worker"),
                   ("数量", "quantity"), ("时长", "hours"), ("收费金额（元）", "fee"),
                   ("付费情况", "paid"), ("满意度", "rating")]
SERVICE_FIRST_ROW = 3
ROOM_HEADERS = [("使用日期", "date"), ("活动室", "room"), ("时段", "slot"), ("使用团队", "user"),
                ("活动内容", "activity"), ("参加人数", "attendance"), ("负责人", "contact")]
ROOM_FIRST_ROW = 3
USAGE_START = AS_OF - timedelta(days=364)        # a year of services
PEIZHEN_PUBLISHED = date(2026, 6, 1)             # 陪诊 priced only from June (P802 before)


def _fee(item, provider, unit, price, published, row):
    from decimal import Decimal
    from toolkit.settings import FeeStandard
    return FeeStandard(item, provider, unit, Decimal(price), published, row)


def _room(name, estate, aliases, days, workdays, hours, capacity, row):
    from toolkit.settings import RoomSetting
    return RoomSetting(name, estate, aliases, days, workdays, hours, capacity, row)


FEES = (_fee("助餐", "", "份", "12.00", date(2025, 9, 1), 2),
        _fee("助洁", "国贸物业服务中心", "小时", "25.00", date(2025, 9, 1), 3),
        _fee("助洁", "绿城物业莘泽项目部", "小时", "22.00", date(2025, 9, 1), 4),
        _fee("垃圾投放", "", "次", "2.00", date(2025, 9, 1), 5),
        _fee("代配药", "", "次", "5.00", date(2025, 9, 1), 6),
        _fee("陪诊", "", "小时", "30.00", PEIZHEN_PUBLISHED, 7))
LUNCH_BREAK = ((510, 690), (810, 1230))          # 08:30-11:30、13:30-20:30
ROOMS = (_room("舞蹈室", "松和苑", ("舞蹈房",), None, False, LUNCH_BREAK, 25, 2),
         _room("乒乓球室", "松和苑", ("乒乓室",), None, False, LUNCH_BREAK, 12, 3),
         _room("棋牌室", "咏泽苑", (), None, False, ((510, 1230),), 16, 4),
         _room("书屋", "咏泽苑", ("悦享书屋",), frozenset(), True, ((510, 1050),), 20, 5),
         _room("多功能厅", "松和苑", (), None, False, LUNCH_BREAK, 60, 6))


@dataclass
class Plant:
    code: str
    kind: str
    row: dict | None        # the planted row (identity), or None for file/ledger-level ones
    what: str
    key: str = ""
    file: str = ""
    sheet: str = ""


@dataclass
class Clean:
    kind: str
    row: dict


# ------------------------------------------------------------------------------ data
def make_settings() -> Settings:
    owners = {"电动自行车停放": "物业经理", "健身设施": "居委主任", "晾晒": "物业经理",
              "小区安全": "网格长", "环境卫生": "物业经理", "物业服务": "物业经理",
              "养老服务": "居委副主任", "其他": "居委主任"}
    # 跟进人: the 居委 staff who assign and chase; 物业 matters are followed by 陆佳怡
    followers = {"电动自行车停放": "陆佳怡", "晾晒": "陆佳怡", "环境卫生": "陆佳怡",
                 "物业服务": "陆佳怡", "养老服务": "施晓红"}
    categories = tuple(Category(c, owners[c], None if c == "其他" else 15, followers.get(c, ""))
                       for c in schema.CATEGORIES)
    duty = (DutyStaff("施晓红", "13916203318", frozenset({0, 2, 4})),
            DutyStaff("陆佳怡", "13764518872", frozenset({1, 3})),
            DutyStaff("顾敏", "18917730245", frozenset({5})))
    return Settings(committee=NAME, town=TOWN, reporter="施晓红", reporter_phone="021-57651234",
                    estates=tuple(ESTATES), categories=categories, duty=duty,
                    council_recorder=RECORDER, fees=FEES, rooms=ROOMS)


class Data:
    """The rows of the four ledgers, built with the generator's builders."""

    def __init__(self, rng: random.Random, settings: Settings):
        self.rng = rng
        self.settings = settings
        self.calendar = WorkCalendar(settings.holidays)
        self.volunteers = gen.build_volunteers(rng, 26, ESTATES, AS_OF)
        self._shape_volunteers()
        self.elderly = gen.build_elderly(rng, 84, ESTATES, AS_OF)
        self._shape_elderly()
        self.tiers = {}
        for row in self.elderly:
            self.tiers[row["id"]] = gen.care_tier({**row, "lives_alone": row["_alone"]}, AS_OF)
            gen._assign_needs(rng, row, self.tiers[row["id"]])
        gen.pair_volunteers(rng, self.elderly, self.volunteers, self.tiers, 5)
        self._pair_leftovers()
        self.visits = gen.build_visits(rng, self.elderly, self.volunteers, self.tiers, 600,
                                       START, AS_OF)
        self.requests = gen.build_requests(rng, 62, ESTATES, settings, START, AS_OF,
                                           self.calendar)
        self.used: set[int] = set()
        self.services: list[dict] = []       # issue #17
        self.bookings: list[dict] = []
        self.meetings: list[dict] = []       # 议事会记录 rows (built after the requests' plants)

    def _shape_volunteers(self) -> None:
        """惠泽苑 is short of volunteers (V405): only two active volunteers cover it; nobody
        active covers 全部."""
        for i, v in enumerate(self.volunteers):
            v["active"] = v["active"] if v["active"] != "否" else "是"
            if i in (3, 11):
                v["estates"], v["team"] = ["惠泽苑"], "楼组长"
                v["skills"] = ["巡访", "垃圾投放", "量血压"]
            else:
                v["estates"] = [e for e in v["estates"] if e in ESTATES[:2]] or \
                    [ESTATES[i % 2]] if v["team"] != schema.TEAM_DOCTOR else ESTATES[:2]
                if "巡访" not in v["skills"] and v["team"] != schema.TEAM_DOCTOR:
                    v["skills"].append("巡访")

    def _shape_elderly(self) -> None:
        """Every row 在册 or a real status; enough tier A/B residents in 惠泽苑 for V405."""
        for row in self.elderly:
            if row["status"] in schema.GONE_STATUSES:
                row["status"] = schema.ON_REGISTER
        huize = [r for r in self.elderly if r["estate"] == "惠泽苑"]
        for row in huize[::2]:
            if not row["_alone"]:
                row["_alone"], row["lives_alone"] = True, "是"
                row["emergency_contact"] = people.make_emergency_contact(self.rng, row["name"][0])
                row["emergency_phone"] = people.make_mobile(self.rng)

    def _pair_leftovers(self) -> None:
        """A/B residents nobody in their 小区 could take are paired across 小区 (as staff do)."""
        load = {}
        for row in self.elderly:
            if row.get("_volunteer_id"):
                load[row["_volunteer_id"]] = load.get(row["_volunteer_id"], 0) + 1
        helpers = [v for v in self.volunteers if v["active"] != "否" and "巡访" in v["skills"]]
        for row in self.elderly:
            if self.tiers[row["id"]] != "C" and not row["volunteer"]:
                best = min(helpers, key=lambda v: (load.get(v["id"], 0), v["id"]))
                load[best["id"]] = load.get(best["id"], 0) + 1
                row["volunteer"], row["_volunteer_id"] = best["id"], best["id"]

    # -------------------------------------------------------------- pickers
    def pick(self, kind: str, test) -> dict:
        for row in getattr(self, kind):
            if id(row) not in self.used and test(row):
                self.used.add(id(row))
                return row
        raise LookupError(f"no {kind} row fits")

    def resident(self, tier: str, estate: str | None = None, extra=lambda r: True) -> dict:
        return self.pick("elderly", lambda r: self.tiers[r["id"]] == tier
                         and r["status"] in ("", schema.ON_REGISTER)
                         and (estate is None or r["estate"] == estate) and extra(r))

    def visits_of(self, row: dict) -> list[dict]:
        return [v for v in self.visits if v["elderly_id"] == row["id"]]

    def volunteer_of(self, row: dict) -> dict:
        return next(v for v in self.volunteers if v["id"] == row.get("_volunteer_id"))

    def add_visit(self, row: dict, day: date, **values) -> dict:
        volunteer = self.volunteer_of(row) if row.get("_volunteer_id") else \
            next(v for v in self.volunteers if v["active"] != "否" and row["estate"] in v["estates"])
        visit = {"date": day, "elderly_id": row["id"], "elderly_name": row["name"],
                 "volunteer": volunteer["name"], "service": ["巡访"], "outcome": "正常",
                 "blood_pressure": "", "medication": "", "issue": "", "follow_up": "否",
                 "hours": 0.5}
        visit.update(values)
        self.visits.append(visit)
        self.used.add(id(visit))
        return visit

    def drop_visits(self, row: dict, after: date | None = None) -> None:
        """Remove the resident's visits (after ``after``); the last one left then covers the
        resident's needs, as the generator's last visit did."""
        self.visits = [v for v in self.visits if not (
            v["elderly_id"] == row["id"] and (after is None or v["date"] > after))]
        left = self.visits_of(row)
        if left:
            left[-1].update(outcome="正常", follow_up="否",
                            service=list(dict.fromkeys(["巡访"] + row["needs"])))
            if "量血压" in left[-1]["service"]:
                left[-1]["blood_pressure"] = left[-1]["blood_pressure"] or "128/80"

    def request(self, test) -> dict:
        return self.pick("requests", test)

    def sort_visits(self) -> None:
        self.visits.sort(key=lambda v: (v["date"] if isinstance(v["date"], date) else AS_OF,
                                        v["elderly_id"], v["volunteer"]))


# ------------------------------------------------------------------------------ plants
def plant_elderly(d: Data, plants: list[Plant]) -> None:
    def add(code, row, what, key=""):
        plants.append(Plant(code, "elderly", row, what, key))

    r = d.resident("C", "松和苑")
    r["address"] = "/"
    add("D101", r, "家庭住址填“/”，等于没填", "address")
    r = d.resident("C", "咏泽苑")
    r["birth"] = "1943-02-29"
    add("D102", r, "出生年月 1943-02-29 不存在（1943年不是闰年）", "birth")
    r = d.resident("C", "松和苑", lambda x: bool(x["phone"]))
    r["phone"] = "5765123"
    add("D104", r, "本人电话只有7位", "phone")
    r = d.resident("C", "咏泽苑")
    r["id_number"] = people.break_check_digit(r["id_number"])
    add("D105", r, "身份证号码校验位错误", "id_number")
    r = d.resident("C", "惠泽苑", lambda x: x["id_number"][-1] != "X")
    r["id_number"] = float(r["id_number"])
    add("D105", r, "身份证号码存成了数字，末几位已丢失（显示为 3.10117E+17）", "id_number")
    r = d.resident("C", "松和苑")
    r["gender"] = "男" if r["gender"] == "女" else "女"
    add("D106", r, "性别与身份证号码不符", "id_number")
    r = d.resident("C", "咏泽苑", lambda x: not x["needs"])
    r["volunteer"] = ""
    add("D109", r, "小区写成“咏泽园”（不在设置的小区列表里）", "estate")
    r["estate"] = "咏泽园"
    r = d.resident("B", "松和苑", lambda x: x["volunteer"] and x["needs"] == ["巡访"])
    r["volunteer"], r["_volunteer_id"] = "ZY-099", None
    add("D110", r, "结对志愿者 ZY-099 不在志愿者名册中", "volunteer")
    # a resident typed in twice, and a new resident typed with an 编号 already in use
    first = d.resident("C", "惠泽苑", lambda x: not x["needs"])
    twin = dict(first, id=f"LR-{len(d.elderly) + 1:03d}", address=first["address"],
                status=schema.ON_REGISTER)
    d.elderly.append(twin)
    d.used.add(id(twin))
    d.tiers[twin["id"]] = "C"
    add("D108", twin, f"与 {first['id']} 是同一人（身份证号码相同），重复登记", "id_number")
    clash = d.resident("C", "惠泽苑")
    newcomer = gen.build_elderly(random.Random(7), 1, ["惠泽苑"], AS_OF)[0]
    newcomer.update(id=clash["id"], lives_alone="否", _alone=False, hardship=[], needs=[],
                    volunteer="", status=schema.ON_REGISTER, emergency_contact="",
                    emergency_phone="")
    d.elderly.append(newcomer)
    d.used.add(id(newcomer))
    add("D107", newcomer, f"新登记的老人用了已有的编号 {clash['id']}", "id")

    # care
    r = d.resident("A")
    d.drop_visits(r, after=date(2026, 11, 9))
    last = d.visits_of(r)[-1]
    last.update(date=date(2026, 11, 9))
    add("C301", r, "A级（独居高龄），上次巡访 2026-11-09，已超过7天", "")
    r = d.resident("B", extra=lambda x: x["needs"] == ["巡访"] and x["volunteer"])
    d.drop_visits(r)
    add("C302", r, "B级，半年来没有一条巡访记录", "")
    r = d.resident("A")
    r["volunteer"] = ""
    add("C303", r, "A级老人没有结对志愿者", "volunteer")
    gone = next(v for v in d.volunteers if v["id"] == "ZY-020")
    gone.update(active="否", estates=[schema.ALL_ESTATES])
    r = d.resident("B", "松和苑", lambda x: x["needs"] == ["巡访"])
    r["volunteer"], r["_volunteer_id"] = gone["name"], gone["id"]
    left = [x for x in d.elderly if x.get("_volunteer_id") == gone["id"] and x["volunteer"]]
    for x in left:
        d.used.add(id(x))
        add("C304", x, f"结对志愿者{gone['name']}（{gone['id']}）已不在岗", "volunteer")
    plants.append(Plant("V403", "volunteers", gone,
                        f"已不在岗，但仍是{len(left)}位老人的结对志愿者", "active"))

    r = d.resident("A", extra=lambda x: "高血压" in x["health"])
    d.drop_visits(r, after=date(2026, 11, 19))
    for v in d.visits_of(r):
        if v["date"] >= date(2026, 11, 12):
            v.update(service=[s for s in v["service"] if s != "量血压"], blood_pressure="",
                     outcome="正常")
    d.add_visit(r, date(2026, 11, 19), service=["巡访"], hours=0.5)
    v = d.add_visit(r, date(2026, 11, 12), service=["巡访", "量血压"], blood_pressure="152/96",
                    medication="按时服药")
    plants.append(Plant("C305", "visits", v, "11-12 血压 152/96 偏高，之后7天内没有复查血压",
                        "blood_pressure"))
    d.used.add(id(r))
    r = d.resident("B", "咏泽苑", lambda x: x["volunteer"])
    v = d.add_visit(r, date(2026, 11, 20), service=["巡访", "量血压"], blood_pressure="186/112",
                    outcome="身体不适", issue="头晕，血压很高，已通知家属", follow_up="否", hours=1)
    plants.append(Plant("C306", "visits", v, "11-20 血压 186/112，达到危急值", "blood_pressure"))
    r = d.resident("A")
    d.drop_visits(r, after=date(2026, 11, 16))
    d.add_visit(r, date(2026, 11, 16))
    v = d.add_visit(r, date(2026, 11, 21), outcome="敲门无应答", issue="敲门无应答，电话无人接听",
                    follow_up="否", hours=0.2)
    plants.append(Plant("C307", "visits", v, "独居老人 11-21 敲门无应答，此后没有见到老人（紧急）",
                        "outcome"))
    r = d.resident("B", "松和苑", lambda x: x["volunteer"])
    r["needs"] = ["巡访", "助餐"]
    for v in d.visits_of(r):
        v["service"] = [s for s in v["service"] if s != "助餐"]
    add("C308", r, "服务需求有“助餐”，近30天没有助餐记录", "needs")
    r = d.resident("B", extra=lambda x: any(v["date"] > AS_OF - timedelta(days=25)
                                            for v in d.visits_of(x)))
    r["status"] = "去世"
    v = [v for v in d.visits_of(r) if v["date"] > AS_OF - timedelta(days=25)][-1]
    d.used.add(id(v))
    plants.append(Plant("C309", "visits", v, "老人已登记为“去世”，近30天仍有巡访记录", "date"))
    r = d.resident("B", "惠泽苑", lambda x: x["lives_alone"] == "是")
    r["emergency_contact"], r["emergency_phone"] = "", ""
    add("C310", r, "独居老人没有紧急联系人和电话", "emergency_contact")
    r = d.resident("C", "咏泽苑", lambda x: not x["needs"])
    d.drop_visits(r, after=date(2026, 11, 1))
    v = d.add_visit(r, date(2026, 11, 18), issue="反映卫生间漏水，需联系物业维修", follow_up="是")
    plants.append(Plant("C311", "visits", v, "11-18 巡访标记“需跟进”，之后没有再去", "follow_up"))


def plant_volunteers(d: Data, plants: list[Plant]) -> None:
    def add(code, row, what, key=""):
        plants.append(Plant(code, "volunteers", row, what, key))

    paired: dict[str, list[dict]] = {}
    for r in d.elderly:
        if r.get("_volunteer_id") and r["volunteer"]:
            paired.setdefault(r["_volunteer_id"], []).append(r)
    busy = max((v for v in d.volunteers if v["active"] != "否" and v["estates"] == ["松和苑"]),
               key=lambda v: (len(paired.get(v["id"], ())), v["id"]))
    d.used.add(id(busy))
    movable = [r for r in d.elderly if r.get("_volunteer_id") not in (None, busy["id"])
               and r["volunteer"] and r["estate"] == "松和苑" and id(r) not in d.used]
    for r in movable[:6 - len(paired.get(busy["id"], ()))]:
        r["volunteer"], r["_volunteer_id"] = busy["id"], busy["id"]
    for r in d.elderly:
        if r.get("_volunteer_id") == busy["id"]:
            d.used.add(id(r))               # later plants leave these six pairings alone
    assert sum(r.get("_volunteer_id") == busy["id"] for r in d.elderly) == 6
    add("V401", busy, "结对了6位老人，超过每名志愿者结对上限5", "id")

    ordinary = lambda x: (x["active"] != "否" and x["team"] != schema.TEAM_DOCTOR  # noqa: E731
                          and x["estates"] != ["惠泽苑"])
    v = d.pick("volunteers", ordinary)
    v.update(certificate="养老护理员（四级）", certificate_expiry=date(2026, 10, 31))
    add("V402", v, "养老护理员证 2026-10-31 已过期", "certificate_expiry")
    v = d.pick("volunteers", ordinary)
    v.update(certificate="养老护理员（五级）", certificate_expiry=date(2026, 12, 10))
    add("V402", v, "养老护理员证 2026-12-10 到期（30天内）", "certificate_expiry")
    load = {v["id"]: sum(1 for r in d.elderly if r["volunteer"] and r.get("_volunteer_id") == v["id"])
            for v in d.volunteers}
    idle = min((v for v in d.volunteers if v["active"] != "否" and id(v) not in d.used
                and "巡访" in v["skills"] and v["estates"] != ["惠泽苑"]),
               key=lambda v: (load[v["id"]], v["id"]))
    d.used.add(id(idle))
    others = sorted((v for v in d.volunteers if v is not idle and v is not busy
                     and v["active"] != "否" and "巡访" in v["skills"]
                     and set(v["estates"]) & set(idle["estates"])),
                    key=lambda v: (load[v["id"]], v["id"]))
    for r in d.elderly:
        if r["volunteer"] and r.get("_volunteer_id") == idle["id"]:
            r["volunteer"], r["_volunteer_id"] = others[0]["id"], others[0]["id"]
    for visit in d.visits:
        if visit["volunteer"] == idle["name"] and visit["date"] > date(2026, 9, 1):
            visit["volunteer"] = others[0]["name"]
    add("V404", idle, "在岗，但9月以来没有任何巡访记录", "id")
    plants.append(Plant("V405", "volunteers", None, "惠泽苑的A、B级老人超过在岗志愿者人数×5",
                        file=F_VOLUNTEERS))
    v = d.pick("volunteers", ordinary)
    v["skills"] = []
    add("D101", v, "可提供服务为空", "skills")
    v = d.pick("volunteers", ordinary)
    v["phone"] = v["phone"][:10]
    add("D104", v, "手机号只有10位", "phone")


def _request_dates(d: Data, received: date, classify: int = 0, assign: int = 1):
    classified = d.calendar.add_workdays(received, classify)
    return classified, d.calendar.add_workdays(classified, assign)


def plant_requests(d: Data, plants: list[Plant]) -> None:
    def add(code, row, what, key=""):
        plants.append(Plant(code, "requests", row, what, key))

    def new(received: date, estate: str, category: str, content: str, stage: int, **values):
        seq = sum(1 for r in d.requests if str(r["id"]).startswith("SQ2026")) + 1
        row = {"id": f"SQ2026-{seq:03d}", "received": received, "source": "议事会",
               "resident": people.make_name(d.rng, "女", elderly=False),
               "phone": people.make_mobile(d.rng), "estate": estate,
               "address": f"{d.rng.randrange(1, 30)}号", "content": content, "category": "",
               "classified": None, "assignee": "", "assigned": None, "due": None, "progress": "",
               "resolved": None, "resolution": "", "replied": None, "reply_method": "",
               "satisfaction": "", "status": ""}
        owner = d.settings.category(category).owner
        classified, assigned = _request_dates(d, received)
        if stage >= 1:
            row.update(category=category, classified=classified)
        if stage >= 2:
            row.update(assignee=owner, assigned=assigned, progress="已转交责任人")
        row["status"] = ("待分类", "待分派", "办理中", "已办结", "已答复")[stage]
        row.update(values)
        d.requests.append(row)
        d.used.add(id(row))
        return row

    r = new(date(2026, 11, 18), "松和苑", "电动自行车停放", "12号楼下电动自行车乱停放，影响通行", 0,
            source="网格巡查")
    add("R201", r, "11-18 登记，2个工作日内未梳理分类", "category")
    r = new(date(2026, 11, 16), "咏泽苑", "晾晒", "希望在3号楼前增设公共晾衣架", 1)
    add("R202", r, "11-16 已分类，3个工作日内未分派", "assignee")
    r = new(date(2026, 10, 9), "松和苑", "物业服务", "8号楼电梯经常故障", 2,
            due=date(2026, 11, 2), progress="物业已报修，等待配件")
    add("R203", r, "办理时限 2026-11-02 已过，仍未办结", "resolved")
    r = new(date(2026, 10, 26), "惠泽苑", "健身设施", "小区健身器材老旧松动，老人使用不安全", 2,
            resolved=date(2026, 11, 13), resolution="已更换损坏器材", status="已办结")
    add("R204", r, "11-13 办结，3个工作日内未答复居民", "replied")
    r = new(date(2026, 9, 14), "咏泽苑", "环境卫生", "垃圾厢房异味大", 2,
            replied=date(2026, 9, 30), reply_method="电话", satisfaction="满意", status="已答复")
    add("R205", r, "已答复但办结日期、办理结果为空", "resolved")
    r = new(date(2026, 8, 3), "松和苑", "小区安全", "小区门禁损坏，外来人员随意进出", 2,
            resolved=date(2026, 8, 14), resolution="已维修并加强巡查", replied=date(2026, 8, 17),
            reply_method="上门", satisfaction="满意", status="已答复")
    r["assigned"] = date(2026, 7, 30)
    add("R206", r, "交办日期 2026-07-30 早于反映日期 2026-08-03", "assigned")
    r = new(date(2026, 11, 16), "惠泽苑", "小区安全", "11号楼路灯不亮，晚上出行不便", 2,
            status="已答复", due=date(2026, 12, 7))
    add("R207", r, "办理状态写“已答复”，实际只到分派研究", "status")
    r = new(date(2026, 11, 9), "咏泽苑", "其他", "建议多组织睦邻集市活动", 2)
    add("R208", r, "类别“其他”在设置中没有办理时限，台账也没填", "due")
    r = new(date(2026, 9, 7), "惠泽苑", "晾晒", "楼下晾被子的地方被车占了", 2,
            resolved=date(2026, 9, 18), resolution="已划定晾晒区", replied=date(2026, 9, 21),
            reply_method="电话", satisfaction="不满意", status="已答复")
    add("R209", r, "居民不满意，未改为“重办”", "status")
    new(date(2026, 11, 5), "惠泽苑", "环境卫生", "7号楼前有建筑垃圾未清运", 2, address="7号",
        due=date(2026, 11, 27))
    r = new(date(2026, 11, 17), "惠泽苑", "环境卫生", "7号楼前建筑垃圾还没清运，又堆了一些", 2,
            address="7号", due=date(2026, 12, 9))
    add("R210", r, "与11-05的诉求同小区、同地址、同类别，疑似重复", "content")
    r = new(date(2026, 11, 2), "松和苑", "电动自行车停放", "希望在5号楼附近增设电动自行车充电桩", 2,
            due=date(2026, 11, 24))
    add("R211", r, "办理时限 2026-11-24，明天到期仍未办结", "resolved")

    r = d.request(lambda x: x["replied"] and x["estate"] == "松和苑")
    r["content"] = ""
    add("D101", r, "反映内容为空", "content")
    r = d.request(lambda x: x["replied"] and x["estate"] == "咏泽苑" and x["received"].month == 10
                  and x["classified"] > x["received"])
    r["received"] = "2026.9.31"
    add("D102", r, "反映日期 2026.9.31 不存在", "received")
    r = new(date(2026, 12, 1), "咏泽苑", "其他", "舞蹈室开放时间咨询", 0, status="")
    r["received"] = "2026年12月1日"
    add("D103", r, "反映日期 2026年12月1日 晚于检查日期（应是11月1日）", "received")
    r = d.request(lambda x: x["replied"] and x["estate"] == "惠泽苑" and x["phone"])
    r["phone"] = r["phone"] + "9"
    add("D104", r, "联系电话12位", "phone")
    original = d.request(lambda x: x["replied"] and x["estate"] == "咏泽苑"
                         and x["received"] < date(2026, 10, 1))
    r = new(date(2026, 11, 13), "咏泽苑", "其他", "希望书屋延长开放时间", 2, due=date(2026, 12, 4))
    r["id"] = original["id"]
    add("D107", r, f"诉求编号 {original['id']} 与本表前面一行重复", "id")
    r = d.request(lambda x: x["replied"] and x["estate"] == "松和苑")
    r["source"] = "微信群"
    add("D109", r, "渠道“微信群”不在可选范围", "source")


def plant_visits(d: Data, plants: list[Plant]) -> None:
    def add(code, row, what, key=""):
        plants.append(Plant(code, "visits", row, what, key))

    def someone(estate: str) -> dict:
        r = d.resident("C", estate, lambda x: not x["needs"])
        return r

    v = d.add_visit(someone("松和苑"), date(2026, 10, 14), volunteer="")
    add("D101", v, "走访人为空", "volunteer")
    v = d.add_visit(someone("咏泽苑"), date(2026, 9, 30))
    v["date"] = "2026/9/31"
    add("D102", v, "走访日期 2026/9/31 不存在", "date")
    v = d.add_visit(someone("惠泽苑"), date(2026, 12, 3))
    add("D103", v, "走访日期 2026/12/3 晚于检查日期（提前登记了）", "date")
    v = d.add_visit(someone("松和苑"), date(2026, 10, 20), outcome="情况不明")
    add("D109", v, "情况写“情况不明”，不在可选范围（正常、敲门无应答……），也不是其同义写法", "outcome")
    v = d.add_visit(someone("咏泽苑"), date(2026, 10, 21))
    v.update(elderly_id="LR-099", elderly_name="沈阿大")
    add("D110", v, "老人编号 LR-099（沈阿大）不在老年人台账中", "elderly_id")
    v = d.add_visit(someone("惠泽苑"), date(2026, 10, 22), volunteer="赵无名")
    add("D110", v, "走访人“赵无名”不在志愿者名册中", "volunteer")
    v = d.add_visit(someone("松和苑"), date(2026, 10, 23), service=["巡访", "量血压"],
                    blood_pressure="300/80")
    add("D111", v, "血压 300/80 不合理（多打了一个0？）", "blood_pressure")
    v = d.add_visit(someone("咏泽苑"), date(2026, 10, 26), service=["巡访", "助洁"], hours=30)
    add("D111", v, "服务时长 30 小时", "hours")


def build_meetings(d: Data) -> None:
    """A year of monthly minutes (generator's builder over the requests, October skipped);
    the meetings before the request ledger begins discuss community matters, not requests."""
    rows = gen.build_meetings(random.Random(SEED + 5), d.requests, MEETINGS_START, AS_OF,
                              d.calendar, d.settings.council_register_days, skip=NO_MEETING)
    days = [r["date"] for r in rows if r["date"] is not None]
    early = iter(EARLY_ITEMS)
    out: list[dict] = []
    for row in rows:
        out.append(row)
        day = row["date"]
        if day is not None and day < START:
            topic, decision, owner = next(early, EARLY_ITEMS[-1])
            nxt = days[days.index(day) + 1]
            out.append({"date": None, "meeting": "", "attendees": "", "topic": topic,
                        "request_id": "不涉及", "decision": decision, "owner": owner,
                        "feedback_date": nxt, "feedback": "已在议事会上通报"})
    d.meetings = out


def meeting_groups(d: Data) -> list[list[dict]]:
    groups: list[list[dict]] = []
    for row in d.meetings:
        if row["date"] is not None:
            groups.append([])
        groups[-1].append(row)
    return groups


def plant_meetings(d: Data, plants: list[Plant]) -> None:
    def add(code, row, what, key=""):
        d.used.add(id(row))
        plants.append(Plant(code, "meetings", row, what, key))

    groups = {g[0]["date"]: g for g in meeting_groups(d)}

    def meeting(month: int) -> list[dict]:
        return next(g for day, g in groups.items() if (day.year, day.month) == (2026, month))

    def insert(group: list[dict], row: dict) -> dict:
        full = {"date": None, "meeting": "", "attendees": "", "topic": "", "request_id": "",
                "decision": "", "owner": "", "feedback_date": None, "feedback": "", **row}
        last = group[-1]
        before = len(group) > 1 and last["request_id"] == "通报"     # keep the 通报 item last
        at = next(i for i, x in enumerate(d.meetings) if x is last) + (0 if before else 1)
        d.meetings.insert(at, full)
        group.insert(len(group) - 1 if before else len(group), full)
        return full

    plants.append(Plant("M701", "meetings", None, "10月（国庆长假所在月）没有召开居民议事会",
                        file=F_MEETINGS, sheet=S_MEETINGS))
    aug, sep, nov = meeting(8), meeting(9), meeting(11)
    r = insert(sep, {"topic": "咏泽苑地下车库渗水，车位长期积水"})
    add("M702", r, "9月议题“咏泽苑地下车库渗水”会后没有登记进诉求台账", "request_id")
    r = insert(aug, {"topic": "惠泽苑楼道广告乱贴", "request_id": "SQ2026-999"})
    add("D110", r, "关联诉求 SQ2026-999 在诉求台账中不存在", "request_id")
    r = next(x for x in aug if x["decision"] and x["feedback_date"])
    r.update(feedback_date=None, feedback="")
    add("M704", r, "8月议定事项，到9月议事会（及之后）都没有反馈", "feedback_date")
    r = insert(nov, {"topic": "松和苑5号楼想装电动自行车充电桩", "request_id": "不涉及",
                     "decision": "征求5号楼居民意见后确定位置"})
    add("M703", r, "11月议定事项没有写牵头人", "owner")


def plant_visit_problem(d: Data, plants: list[Plant]) -> None:
    """C312: a visit finds a problem for the 居委 and nobody registers it."""
    day = date(2026, 11, 6)
    near = [r for r in d.requests if isinstance(r["received"], date)
            and abs((r["received"] - day).days) <= 10]
    r = d.resident("C", "松和苑", lambda x: not x["needs"] and all(
        q["resident"] != x["name"] and q["address"].replace("室", "") != x["address"].replace("室", "")
        for q in near))
    d.drop_visits(r, after=date(2026, 11, 1))
    v = d.add_visit(r, day, issue="楼道灯不亮，扶手松动，老人上下楼不安全", follow_up="否")
    plants.append(Plant("C312", "visits", v, "11-06 巡访发现楼道灯不亮、扶手松动，没有登记为诉求",
                        "issue"))


def file_level_plants(plants: list[Plant]) -> None:
    plants += [
        Plant("F003", "", None, "睦邻集市报名表不是台账，程序跳过并说明", file=F_MARKET),
        Plant("F010", "volunteers", None, "旧版 .xls 文件", file=F_VOLUNTEERS),
        Plant("F010", "visits", None, "GBK 编码的 CSV", file=F_VISITS),
        Plant("D112", "requests", None, "日期写法不统一（2026.3.5、2026年3月5日），已统一识别",
              file=F_REQUESTS, sheet="松和苑"),
        Plant("D112", "elderly", None, "是否独居写“√/×”，已识别为是/否", file=F_ELDERLY,
              sheet=S_ELDERLY),
    ]


def pick_clean(d: Data) -> list[Clean]:
    """Untouched rows that must show no error-level finding."""
    def visited_ok(r):
        vs = d.visits_of(r)
        return vs and vs[-1]["date"] > AS_OF - timedelta(days=25)
    clean = [Clean("elderly", d.resident("B", "松和苑", lambda x: x["volunteer"] and visited_ok(x))),
             Clean("elderly", d.resident("C", "咏泽苑")),
             Clean("volunteers", d.pick("volunteers", lambda x: x["active"] != "否")),
             Clean("requests", d.request(lambda x: x["replied"] and x["estate"] == "惠泽苑")),
             Clean("requests", d.request(lambda x: x["replied"] and x["estate"] == "松和苑"))]
    visit = next(v for v in reversed(d.visits) if id(v) not in d.used
                 and v["outcome"] == "正常" and isinstance(v["date"], date)
                 and v["elderly_id"] == clean[0].row["id"])
    clean.append(Clean("visits", visit))
    by_month = {g[0]["date"].month: g for g in meeting_groups(d) if g[0]["date"].year == 2026}
    # reported back at the next meeting (November: October had none) and matched by content only
    clean.append(Clean("meetings", next(r for r in by_month[9] if id(r) not in d.used
                                        and r["decision"] and r["feedback_date"])))
    clean.append(Clean("meetings", next(r for g in by_month.values() for r in g
                                        if id(r) not in d.used and r["topic"]
                                        and r["request_id"] == "")))
    return clean

# ------------------------------------------------------------------------------ services, rooms
def _service(rng: random.Random, resident: dict, day: date, item: str, sheet: str,
             rating: str | None = None) -> dict:
    """A clean service row: the fee is the published price × quantity (or × hours)."""
    provider = PROVIDERS[sheet]
    row = {"date": day, "elderly_id": resident["id"], "elderly_name": resident["name"],
           "item": item, "provider": provider, "worker": rng.choice(("陈师傅", "李阿姨", "周师傅",
                                                                     "吴阿姨", "郑师傅")),
           "quantity": None, "hours": None, "fee": None, "paid": None, "_sheet": sheet,
           "rating": rating if rating is not None else rng.choice(("满意", "满意", "基本满意", ""))}
    standards = [f for f in FEES if f.item == item and f.provider in ("", provider)
                 and f.published <= day]
    if standards:
        std = max(standards, key=lambda f: (bool(f.provider), f.published))
        if std.unit == "小时":
            row["hours"] = rng.choice((1.0, 1.5, 2.0))
            row["fee"] = float(std.price) * row["hours"]
        else:
            qty = rng.choice((1, 1, 1, 2))
            row["quantity"] = qty
            row["fee"] = float(std.price) * qty
        row["paid"] = "已付"
    return row


def build_services(d: Data, plants: list[Plant]) -> list[dict]:
    """About two services a day for a year by the two property companies (国贸 serves 松和苑
    and 咏泽苑, 绿城 惠泽苑), to residents on the register, items from their needs."""
    rng = random.Random(SEED + 17)
    c308 = {p.row["id"] for p in plants if p.code == "C308"}
    residents = [r for r in d.elderly if r["status"] in ("", schema.ON_REGISTER)
                 and r["id"] not in c308 and isinstance(r.get("id"), str)]
    rows = []
    for n in range((AS_OF - USAGE_START).days + 1):
        day = USAGE_START + timedelta(days=n)
        for _ in range(rng.choice((1, 2, 2, 3))):
            resident = rng.choice(residents)
            needs = [x for x in resident.get("needs") or () if x in schema.SERVICE_ITEMS]
            item = rng.choice(needs or ["助餐", "维修", "垃圾投放"])
            if item == "助医" and day >= PEIZHEN_PUBLISHED and rng.random() < 0.5:
                item = "陪诊"
            sheet = "绿城物业" if resident["estate"] == "惠泽苑" else "国贸物业"
            rows.append(_service(rng, resident, day, item, sheet))
    return rows


def plant_services(d: Data, services: list[dict], plants: list[Plant]) -> None:
    rng = random.Random(SEED + 18)

    def add(code, row, what, key=""):
        services.append(row)
        plants.append(Plant(code, "services", row, what, key))

    def someone(estate: str) -> dict:
        return next(r for r in d.elderly if r["estate"] == estate and r["status"] in ("", "在册")
                    and r["id"] not in {p.row["id"] for p in plants if p.code == "C308"})
    a, b, c = someone("松和苑"), someone("惠泽苑"), someone("咏泽苑")
    meal = _service(rng, a, date(2026, 11, 10), "助餐", "国贸物业", "满意")
    meal.update(quantity=2, fee=30.0)
    add("P801", meal, "助餐2份收30元，公示标准12元/份，最多24元", "fee")
    clean = _service(rng, b, date(2026, 11, 12), "助洁", "绿城物业", "满意")
    clean.update(hours=1.5, fee=37.5)
    add("P801", clean, "绿城物业助洁1.5小时收37.50元：绿城公示22元/小时（最多33元），按国贸的25元收了", "fee")
    for day, fee in ((date(2026, 4, 8), 60.0), (date(2026, 5, 20), 45.0)):
        row = _service(rng, c, day, "陪诊", "国贸物业", "满意")
        row.update(hours=2.0 if fee == 60 else 1.5, fee=fee, paid="已付")
        if day == date(2026, 4, 8):
            add("P802", row, "陪诊收费标准2026-06-01才公示，之前已收费2笔", "fee")
        else:
            services.append(row)
    bad = _service(rng, a, date(2026, 11, 5), "助洁", "国贸物业", "不满意")
    add("P803", bad, "11-05 助洁“不满意”，之后7天没有回访改进的记录", "rating")
    for row in services:                      # nothing makes up for it in those 7 days
        if row is not bad and row["elderly_id"] == a["id"] and row["item"] == "助洁" \
                and date(2026, 11, 5) <= row["date"] <= date(2026, 11, 12):
            row["rating"] = ""
    # a 不满意 that was followed up (不满意 on 10-12, 满意 on 10-15): no finding
    services.append(_service(rng, c, date(2026, 10, 12), "助餐", "国贸物业", "不满意"))
    services.append(_service(rng, c, date(2026, 10, 15), "助餐", "国贸物业", "满意"))
    services.sort(key=lambda r: (r["date"], r["_sheet"]))


SLOT_WORDS = (("09:00-11:00", 540, 660), ("上午", 510, 690), ("9:00～11:30", 540, 690),
              ("下午", 810, 1020), ("14:00-16:00", 840, 960), ("晚上", 1110, 1230),
              ("19:00-20:30", 1140, 1230))
TEAMS = {"舞蹈室": ("怡和舞蹈队", "排舞队"), "乒乓球室": ("银发乒乓队", "乒乓球协会"),
         "棋牌室": ("象棋社", "老年棋牌队"), "书屋": ("读书会", "书法小组"),
         "多功能厅": ("健康讲座", "合唱团", "党员学习")}
CONTACTS = ("施阿姨", "王老伯", "张阿姨", "刘老师", "陆阿姨", "顾老师")
IDLE_ROOM, IDLE_SINCE = "多功能厅", date(2026, 10, 10)


def _booking(rng: random.Random, room, day: date, slot: str, team: str | None = None,
             attendance: int | None = None) -> dict:
    team = team or rng.choice(TEAMS[room.name])
    name = rng.choice(room.names) if rng.random() < 0.15 else room.name
    return {"date": day, "room": name, "slot": slot, "user": team,
            "activity": f"{team}活动", "attendance": attendance or rng.randrange(4, room.capacity - 1),
            "contact": rng.choice(CONTACTS), "_room": room.name}


def build_bookings(d: Data) -> list[dict]:
    """Bookings of the five rooms from START to two weeks ahead: at most one booking per room,
    day and part of the day, inside the opening hours; 多功能厅 not used after 10-10."""
    rng = random.Random(SEED + 19)
    rows = []
    for n in range((AS_OF + timedelta(days=14) - START).days + 1):
        day = START + timedelta(days=n)
        for room in ROOMS:
            if room.name == IDLE_ROOM and day > IDLE_SINCE:
                continue
            if room.workdays and not d.calendar.is_workday(day):
                continue
            parts = {}
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                slot, start, end = rng.choice(SLOT_WORDS)
                if not any(s <= start and end <= e for s, e in room.hours):
                    continue
                parts.setdefault(start < 720 and "am" or start < 1080 and "pm" or "eve", slot)
            rows += [_booking(rng, room, day, slot) for slot in parts.values()]
    return rows


def plant_rooms(d: Data, bookings: list[dict], plants: list[Plant]) -> None:
    rng = random.Random(SEED + 20)
    by = {r.name: r for r in ROOMS}

    def clear(room: str, day: date) -> None:
        bookings[:] = [b for b in bookings if not (b["_room"] == room and b["date"] == day)]

    def add(code, row, what, key=""):
        bookings.append(row)
        plants.append(Plant(code, "rooms", row, what, key))

    clear("舞蹈室", date(2026, 11, 17))
    bookings.append(_booking(rng, by["舞蹈室"], date(2026, 11, 17), "09:00-11:00", "怡和舞蹈队", 18))
    add("U901", _booking(rng, by["舞蹈室"], date(2026, 11, 17), "10:30-11:30", "排舞队", 12),
        "11-17 舞蹈室 10:30-11:30 排舞队与 09:00-11:00 怡和舞蹈队重叠", "slot")
    clear("乒乓球室", date(2026, 11, 18))           # back to back: no overlap
    bookings.append(_booking(rng, by["乒乓球室"], date(2026, 11, 18), "09:00-10:00", "银发乒乓队", 8))
    bookings.append(_booking(rng, by["乒乓球室"], date(2026, 11, 18), "10:00-11:00", "乒乓球协会", 8))
    clear("棋牌室", date(2026, 11, 14))
    add("U902", _booking(rng, by["棋牌室"], date(2026, 11, 14), "20:00-21:30", "象棋社", 8),
        "棋牌室 20:30 关门，预约到 21:30", "slot")
    clear("书屋", date(2026, 11, 15))
    add("U902", _booking(rng, by["书屋"], date(2026, 11, 15), "上午", "读书会", 10),
        "书屋只在工作日开放，11-15 是周日", "date")
    clear("乒乓球室", date(2026, 11, 12))
    add("U903", _booking(rng, by["乒乓球室"], date(2026, 11, 12), "下午", "乒乓球协会", 18),
        "乒乓球室容纳12人，登记参加18人", "attendance")
    plants.append(Plant("U904", "settings_rooms", by[IDLE_ROOM],
                        f"多功能厅 {IDLE_SINCE:%m-%d} 以后没有预约使用（闲置）"))
    bookings.sort(key=lambda b: (b["date"], b["_room"], b["slot"]))


def write_services(path: Path, services: list[dict]) -> None:
    def build(wb) -> None:
        head = wb.add_format({"bold": True, "border": 1, "bg_color": "#E2EFDA"})
        cell = wb.add_format({"border": 1})
        day = wb.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        for sheet, provider in PROVIDERS.items():
            ws = wb.add_worksheet(sheet)
            ws.write_string(0, 0, f"{provider}“物业+养老”服务记录（{NAME}）",
                            wb.add_format({"bold": True, "font_size": 14}))
            write_row(ws, SERVICE_FIRST_ROW - 2, [h for h, _ in SERVICE_HEADERS], head)
            mine = [r for r in services if r["_sheet"] == sheet]
            for i, row in enumerate(mine):
                values = [i + 1 if key is None else row.get(key) for _, key in SERVICE_HEADERS]
                write_row(ws, SERVICE_FIRST_ROW - 1 + i, values, cell, date_fmt=day)
            ws.set_column(0, len(SERVICE_HEADERS) - 1, 11)

    write_workbook(path, build, as_of=AS_OF, title="服务记录", author="国贸物业")


def write_rooms(path: Path, bookings: list[dict]) -> None:
    def build(wb) -> None:
        head = wb.add_format({"bold": True, "border": 1, "bg_color": "#FFF2CC"})
        cell = wb.add_format({"border": 1})
        day = wb.add_format({"border": 1, "num_format": "yyyy/m/d"})
        ws = wb.add_worksheet(S_ROOMS)
        ws.write_string(0, 0, f"{NAME}社区活动室使用登记表", wb.add_format({"bold": True, "font_size": 14}))
        write_row(ws, ROOM_FIRST_ROW - 2, [h for h, _ in ROOM_HEADERS], head)
        for i, row in enumerate(bookings):
            values = ["" if key is None else row.get(key) for _, key in ROOM_HEADERS]
            write_row(ws, ROOM_FIRST_ROW - 1 + i, values, cell, date_fmt=day)
        ws.set_column(0, len(ROOM_HEADERS) - 1, 12)

    write_workbook(path, build, as_of=AS_OF, title="活动室使用登记", author="莘泽居民区")



# ------------------------------------------------------------------------------ layout
def spell_date(rng: random.Random, value):
    """How staff type a date: an Excel date mostly, now and then 2026.3.5 or 2026年3月5日."""
    if not isinstance(value, date):
        return value
    roll = rng.random()
    if roll < 0.15:
        return f"{value.year}.{value.month}.{value.day}"
    if roll < 0.3:
        return f"{value.year}年{value.month}月{value.day}日"
    return value


def elderly_layout(d: Data) -> list[tuple[int, dict | None]]:
    """(Excel row, row) in the final file; ``None`` rows are the blank rows between 小区."""
    order = {e: i for i, e in enumerate(ESTATES)}
    rows = sorted(d.elderly, key=lambda r: (order.get(r["estate"].replace("园", "苑"), 9), r["id"]))
    out, excel, previous = [], ELDERLY_FIRST_ROW, None
    for row in rows:
        estate = row["estate"].replace("园", "苑")
        if previous is not None and estate != previous:
            out.append((excel, None))
            excel += 1
        out.append((excel, row))
        excel += 1
        previous = estate
    return out


def request_layout(d: Data) -> dict[str, list[tuple[int, dict]]]:
    sheets = {}
    for estate in ESTATES:
        rows = [r for r in d.requests if r["estate"] == estate]
        rows.sort(key=lambda r: (r["received"] if isinstance(r["received"], date)
                                 else _loose_date(r["received"]), r["id"]))
        sheets[estate] = [(REQUEST_FIRST_ROW + i, r) for i, r in enumerate(rows)]
    return sheets


def _loose_date(text: str) -> date:
    digits = [int(x) for x in text.replace("年", ".").replace("月", ".").replace("日", "")
              .replace("/", ".").replace("-", ".").split(".") if x]
    return date(digits[0], digits[1], min(digits[2], 28))


# ------------------------------------------------------------------------------ writing
def write_elderly(path: Path, d: Data, layout) -> None:
    rng = random.Random(SEED + 1)
    last_col = len(ELDERLY_HEADERS) - 1

    def build(wb) -> None:
        title = wb.add_format({"bold": True, "font_size": 16, "align": "center"})
        head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1,
                              "text_wrap": True, "bg_color": "#DDEBF7"})
        cell = wb.add_format({"border": 1})
        day = wb.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
        ws = wb.add_worksheet(S_ELDERLY)
        ws.merge_range(0, 0, 0, last_col, f"{NAME}独居老人花名册（2026年）", title)
        ws.merge_range(1, 0, 1, last_col, f"填报单位：{NAME}        填报日期：2026-11-20")
        group, first, second = PHONE_GROUP
        for col, (header, _) in enumerate(ELDERLY_HEADERS):
            if col == first:
                ws.merge_range(2, first, 2, second, group, head)
                ws.write_string(3, first, header, head)
            elif col == second:
                ws.write_string(3, second, header, head)
            else:
                ws.merge_range(2, col, 3, col, header, head)
        ws.set_column(0, last_col, 11)
        ws.set_column(5, 5, 20)
        hidden = [h for h, _ in ELDERLY_HEADERS].index(HIDDEN_COLUMN)
        ws.set_column(hidden, hidden, 6, None, {"hidden": True})
        serial = 0
        for excel, row in layout:
            if row is None:
                continue
            serial += 1
            values = []
            for header, key in ELDERLY_HEADERS:
                if key is None:
                    values.append(serial if header == "序号" else _building_group(row["address"]))
                    continue
                value = row.get(key)
                if key == "lives_alone" and row["estate"] == "惠泽苑":
                    value = "√" if value == "是" else "×"
                if key == "phone" and isinstance(value, str) and value.isdigit() and rng.random() < 0.3:
                    value = int(value)              # a number cell, as often in real files
                values.append(value)
            write_row(ws, excel - 1, values, cell, date_fmt=day)
        last_data = layout[-1][0]
        ws.write_string(last_data, 0, "合计", cell)
        ws.write_formula(last_data, 1, f'=COUNTA(B{ELDERLY_FIRST_ROW}:B{last_data})&"人"', cell,
                         f"{sum(1 for _, r in layout if r is not None)}人")
        ws.merge_range(last_data + 2, 0, last_data + 2, last_col,
                       "注：1. A级（独居且80岁以上或失能/重残）每周巡访一次；2. 身份证号码请设为文本格式；"
                       "3. 本表每月20日前更新。")
        lists = wb.add_worksheet(S_HIDDEN)
        for i, estate in enumerate(ESTATES):
            lists.write_string(i, 0, estate)
        for i, word in enumerate(("是", "否")):
            lists.write_string(i, 1, word)
        lists.hide()

    write_workbook(path, build, as_of=AS_OF, title="独居老人花名册", author="莘泽居民区")


def _building_group(address: str) -> str:
    """``12号301室`` → ``12号楼组``."""
    number = address.split("号")[0]
    return f"{number}号楼组" if number.isdigit() else ""


def write_volunteers(path: Path, d: Data) -> None:
    def build(wb) -> None:
        head = wb.add_format({"bold": True, "border": 1})
        cell = wb.add_format({"border": 1})
        day = wb.add_format({"border": 1, "num_format": "yyyy/m/d"})
        ws = wb.add_worksheet(S_VOLUNTEERS)
        ws.write_string(0, 0, f"{NAME}“莘卫互助圈”志愿者名册", wb.add_format({"bold": True,
                                                                         "font_size": 14}))
        write_row(ws, VOLUNTEER_FIRST_ROW - 2, [h for h, _ in VOLUNTEER_HEADERS], head)
        for i, row in enumerate(d.volunteers):
            values = [i + 1 if key is None else row.get(key) for _, key in VOLUNTEER_HEADERS]
            write_row(ws, VOLUNTEER_FIRST_ROW - 1 + i, values, cell, date_fmt=day)
        ws.set_column(0, len(VOLUNTEER_HEADERS) - 1, 12)

    write_workbook(path, build, as_of=AS_OF, title="志愿者名册", author="莘泽居民区")


def write_requests(path: Path, d: Data, sheets) -> None:
    rng = random.Random(SEED + 2)

    def build(wb) -> None:
        head = wb.add_format({"bold": True, "border": 1, "text_wrap": True})
        cell = wb.add_format({"border": 1})
        day = wb.add_format({"border": 1, "num_format": "yyyy年m月d日"})
        for estate, rows in sheets.items():
            ws = wb.add_worksheet(estate)
            ws.write_string(0, 0, f"{estate}居民诉求登记台账（“莘汇”议事团）",
                            wb.add_format({"bold": True, "font_size": 14}))
            write_row(ws, REQUEST_FIRST_ROW - 2, [h for h, _ in REQUEST_HEADERS], head)
            for excel, row in rows:
                values = []
                for _, key in REQUEST_HEADERS:
                    value = "" if key is None else row.get(key)
                    if key in DATE_KEYS:
                        value = spell_date(rng, value)
                    values.append(value)
                write_row(ws, excel - 1, values, cell, date_fmt=day)
            ws.set_column(0, len(REQUEST_HEADERS) - 1, 12)
            ws.set_column(7, 7, 30)
        wb.add_worksheet("Sheet2")

    write_workbook(path, build, as_of=AS_OF, title="诉求台账", author="莘泽居民区")


def write_visits(path: Path, d: Data) -> None:
    rng = random.Random(SEED + 3)
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    out.writerow([h for h, _ in VISIT_HEADERS])
    for row in d.visits:
        values = []
        for _, key in VISIT_HEADERS:
            value = row.get(key)
            if isinstance(value, date):
                value = f"{value.year}/{value.month}/{value.day}" if rng.random() < 0.85 \
                    else value.isoformat()
            elif isinstance(value, list):
                value = "、".join(value)
            elif isinstance(value, float) and value.is_integer():
                value = int(value)
            values.append("" if value is None else value)
        out.writerow(values)
    path.write_bytes(buffer.getvalue().encode("gbk"))


def write_meetings(path: Path, d: Data) -> None:
    """议事会记录: title row, alias headers, one row per 议题; a meeting's date, name and
    attendees merged down over its items (as secretaries lay out minutes)."""
    def build(wb) -> None:
        head = wb.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center"})
        cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        day = wb.add_format({"border": 1, "num_format": "yyyy年m月d日", "valign": "top"})
        ws = wb.add_worksheet(S_MEETINGS)
        ws.write_string(0, 0, f"{NAME}“莘汇”议事团 居民议事会记录",
                        wb.add_format({"bold": True, "font_size": 14}))
        write_row(ws, MEETING_FIRST_ROW - 2, [h for h, _ in MEETING_HEADERS], head)
        keys = [k for _, k in MEETING_HEADERS]
        first = MEETING_FIRST_ROW - 1
        for group in meeting_groups(d):
            last = first + len(group) - 1
            for i, row in enumerate(group):
                write_row(ws, first + i, [row.get(k) for k in keys], cell, date_fmt=day)
            if last > first:
                head_row = group[0]
                ws.merge_range(first, 0, last, 0, None, day)
                ws.write_datetime(first, 0, datetime(head_row["date"].year, head_row["date"].month,
                                                     head_row["date"].day), day)
                for col in (1, 2):
                    ws.merge_range(first, col, last, col, head_row[keys[col]], cell)
            first = last + 1
        for col, width in enumerate((14, 11, 22, 34, 12, 34, 12, 14, 20)):
            ws.set_column(col, col, width)

    write_workbook(path, build, as_of=AS_OF, title="议事会记录", author="莘泽居民区")


def write_market(path: Path) -> None:
    rng = random.Random(SEED + 4)

    def build(wb) -> None:
        ws = wb.add_worksheet("报名")
        write_row(ws, 0, ["序号", "摊位号", "摊主", "经营项目", "报名时间"])
        items = ("手工编织", "旧书交换", "烙画体验", "家常点心", "绿植认领", "修补衣物")
        for i, item in enumerate(items):
            write_row(ws, i + 1, [i + 1, f"A{i + 1:02d}", rng.choice(people.SURNAMES) + "阿姨",
                                  item, "11月15日"])

    write_workbook(path, build, as_of=AS_OF, title="睦邻集市报名表")


def libreoffice(files: list[Path], fmt: str, outdir: Path, profile: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to build samples/xinze")
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)],
                   check=True, capture_output=True, timeout=300)


# ------------------------------------------------------------------------------ README
def locate(d: Data, layout, sheets, kind: str, row: dict) -> tuple[str, str, int, str]:
    if kind == "elderly":
        excel = next(e for e, r in layout if r is row)
        return F_ELDERLY, S_ELDERLY, excel, row["id"]
    if kind == "volunteers":
        return F_VOLUNTEERS, S_VOLUNTEERS, VOLUNTEER_FIRST_ROW + d.volunteers.index(row), row["id"]
    if kind == "requests":
        for estate, rows in sheets.items():
            for excel, r in rows:
                if r is row:
                    return F_REQUESTS, estate, excel, r["id"]
    if kind == "meetings":
        index = next(i for i, r in enumerate(d.meetings) if r is row)
        return F_MEETINGS, S_MEETINGS, MEETING_FIRST_ROW + index, ""
    if kind == "visits":
        index = next(i for i, v in enumerate(d.visits) if v is row)
        sheet = Path(F_VISITS).stem
        return F_VISITS, sheet, VISIT_FIRST_ROW + index, row["elderly_id"]
    if kind == "services":
        mine = [r for r in d.services if r["_sheet"] == row["_sheet"]]
        index = next(i for i, r in enumerate(mine) if r is row)
        return F_SERVICES, row["_sheet"], SERVICE_FIRST_ROW + index, row["elderly_id"]
    if kind == "rooms":
        index = next(i for i, r in enumerate(d.bookings) if r is row)
        return F_ROOMS, S_ROOMS, ROOM_FIRST_ROW + index, ""
    if kind == "settings_rooms":
        return schema.SETTINGS_FILE, schema.SET_ROOMS, row.row, row.name
    raise LookupError(kind)


INTRO = """# 示例工作区：莘泽居民区（虚构）

这是一个**虚构的**居委会台账文件夹，仿照松江区佘山镇莘泽居民区的工作方式编写：
三个小区（松和苑、咏泽苑、惠泽苑），“莘汇”议事团每月开居民议事会收集诉求，
按“梳理分类、分派研究、跟踪解决、答复反馈”闭环办理；“莘卫互助圈”的家庭医生上门量血压、代配药；
“物业+养老”志愿者为高龄独居老人定期巡访、协助垃圾投放，提供助餐、助洁、助医。
所有姓名、身份证号码、电话都是程序随机生成的，与真实人员无关（身份证号码校验位正确，但不属于任何人）。

检查日期为 **2026-11-23（周一）**：

    shequ check samples/xinze --as-of 2026-11-23

文件（每本台账用一种真实常见的格式，由 LibreOffice 另存/转换）：

| 文件 | 内容 | 样式 |
|---|---|---|
| 老年人台账.xlsx | {n_elderly} 位老人 | 合并标题行、填报单位行、序号、两级表头（联系方式/本人电话、紧急联系人电话）、别名表头、小区之间空行、合计行（公式）、注释行、隐藏列“年龄”、隐藏工作表“下拉选项” |
| 志愿者名册.xls | {n_volunteers} 名志愿者 | 旧版 .xls，标题行，别名表头（志愿者编号、负责小区、可提供服务……） |
| 诉求台账.xlsx | {n_requests} 件诉求 | 每个小区一张表 + 空的 Sheet2；日期写法混杂（Excel 日期、2026.3.5、2026年3月5日） |
| 巡访记录.csv | {n_visits} 条巡访 | GBK 编码 CSV，别名表头（走访日期、服务对象、走访人……） |
| 议事会记录.xlsx | {n_meetings} 次居民议事会、{n_items} 个议题 | 标题行、别名表头（开会日期、关联诉求、牵头人……）、会议日期/会议名称/参会人员按会议合并单元格；10月（国庆）没有开会 |
| 服务记录.xlsx | {n_services} 条物业+养老服务 | 两家物业公司各一张表（国贸物业、绿城物业），标题行，别名表头（日期、档案号、服务对象、收费金额（元）……） |
| 活动室使用登记.xlsx | {n_bookings} 次活动室使用 | 舞蹈室、乒乓球室、棋牌室、书屋、多功能厅；时段写法混杂（09:00-11:00、9:00～11:30、上午、下午、晚上）；别名（乒乓室、悦享书屋） |
| 设置.xlsx | 居委名称、小区、诉求类别责任人、值班人员、议事会记录人、收费标准、活动室 | 由 `shequ` 的设置模板生成（类别“其他”不设办理时限；陪诊 2026-06-01 才公示收费标准） |
| 睦邻集市报名表.xlsx | 活动报名 | 不是台账（用来演示 F003） |

重新生成：`python samples/make_xinze.py`（需要 LibreOffice）。行号为 Excel 中看到的行号（CSV 为行号，表头是第1行）。

## 埋入的问题（defects）

下表每一行是故意埋入的一个问题；`row` 为空表示文件/列级的问题。测试 `tests/test_samples.py`
逐条核对检查结果。

"""

WEEK = """
## 本周（2026-11-23）检查会看到什么

- **紧急**：{c307}（独居，11-21 敲门无应答，此后没人见到）——今天上门核查；
  {c306} 11-20 血压 186/112——今天请家庭医生上门复查。
- 老人巡访：A级老人 {c301} 超过7天未巡访；B级老人 {c302} 半年没有巡访；
  {c303} 没有结对志愿者；{c304} 的结对志愿者已不在岗；血压偏高未复查、助餐服务缺失、
  需跟进未跟进各一例；一位已登记“去世”的老人近期仍有巡访记录（台账状态或巡访记录有一处写错）。
- 诉求闭环：1件登记未分类、1件分类未分派、1件超过办理时限、1件办结未答复、1件不满意未重办、
  1件明天到期；另有顺序颠倒、缺环节、状态不符、疑似重复等台账问题。
- 志愿者：惠泽苑只有2名在岗志愿者，A、B级老人偏多（1:5 比例超标）；1人结对超过上限；
  证书1张已过期、1张30天内到期；1人两个多月没有巡访记录。
- 物业+养老服务：助餐多收1笔、绿城物业助洁按别家价格收费1笔（收费高于公示标准）；陪诊在收费标准公示前
  已收费；1位老人对助洁不满意，7天没有回访改进。收费与公示标准相同的服务不报。
- 活动室：舞蹈室 11-17 两支队伍时间重叠；棋牌室预约到关门之后、书屋周日有预约；乒乓球室人数超过容纳人数；
  多功能厅 10-10 以后闲置。11-18 乒乓球室 09:00-10:00 与 10:00-11:00 首尾相接，不算重叠。
- 居民议事会：10月（国庆长假）没有开会；9月一个议题没登记进诉求台账；8月一项议定事项没有反馈；
  11月一项议定事项没有牵头人；8月一个议题的关联诉求编号写错——“议事会落实”派单交给记录人{recorder}，
  下次议事会上逐条通报。巡访中发现楼道灯不亮、扶手松动（{c312}），没有登记为诉求（提示）。
- 其余大部分记录是干净的：多数诉求已答复、多数老人按时巡访、血压正常；议题多数已按编号或按内容对上诉求，
  议定事项在下一次议事会上反馈。

## English

A fictional residents' committee workspace for demos and end-to-end tests (as-of 2026-11-23).
Every planted defect is listed above with its file, sheet and Excel row; `tests/test_samples.py`
checks that the pipeline reports each one, and that the clean rows get no error-level finding.
"""


def readme(d: Data, plants: list[Plant], clean: list[Clean], layout, sheets) -> str:
    lines = [INTRO.format(n_elderly=len(d.elderly), n_volunteers=len(d.volunteers),
                          n_requests=len(d.requests), n_visits=len(d.visits),
                          n_services=len(d.services), n_bookings=len(d.bookings),
                          n_meetings=len(meeting_groups(d)), n_items=len(d.meetings)),
             "| code | file | sheet | row | record | what |", "|---|---|---|---|---|---|"]
    names = {}
    for p in sorted(plants, key=lambda p: (p.code, p.file, p.what)):
        if p.row is None:
            lines.append(f"| {p.code} | {p.file} | {p.sheet} |  |  | {p.what} |")
            continue
        file, sheet, excel, record = locate(d, layout, sheets, p.kind, p.row)
        lines.append(f"| {p.code} | {file} | {sheet} | {excel} | {record} | {p.what} |")
        if p.kind == "visits":
            names[p.code] = f"{p.row['elderly_name']}（{record}）"
        elif p.kind == "elderly":
            names[p.code] = f"{p.row['name']}（{record}）"
    lines += ["", "## 干净的行（不应有任何“错误”级问题）", "",
              "| clean file | sheet | row | record |", "|---|---|---|---|"]
    for c in clean:
        file, sheet, excel, record = locate(d, layout, sheets, c.kind, c.row)
        lines.append(f"| {file} | {sheet} | {excel} | {record} |")
    lines.append(WEEK.format(recorder=RECORDER, **{k.lower(): v for k, v in names.items()
                                if k in ("C301", "C302", "C303", "C304", "C306", "C307", "C312")}))
    return "\n".join(lines)


# ------------------------------------------------------------------------------ main
def build() -> tuple[Data, list[Plant], list[Clean]]:
    settings = make_settings()
    d = Data(random.Random(SEED), settings)
    plants: list[Plant] = []
    plant_volunteers(d, plants)
    plant_elderly(d, plants)
    plant_requests(d, plants)
    plant_visits(d, plants)
    plant_visit_problem(d, plants)
    build_meetings(d)
    plant_meetings(d, plants)
    file_level_plants(plants)
    d.sort_visits()
    d.services = build_services(d, plants)              # issue #17
    plant_services(d, d.services, plants)
    d.bookings = build_bookings(d)
    plant_rooms(d, d.bookings, plants)
    clean = pick_clean(d)
    clean.append(Clean("services", next(r for r in reversed(d.services)
                                        if r["fee"] and r["rating"] == "满意"
                                        and not any(p.row is r for p in plants))))
    clean.append(Clean("rooms", next(r for r in reversed(d.bookings) if r["date"] <= AS_OF
                                     and not any(p.row is r for p in plants)
                                     and r["_room"] == "舞蹈室")))
    return d, plants, clean


def main() -> None:
    from toolkit.report.templates import write_settings

    d, plants, clean = build()
    layout, sheets = elderly_layout(d), request_layout(d)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xinze.") as tmp:
        tmp = Path(tmp)
        raw = tmp / "raw"
        write_elderly(raw / F_ELDERLY, d, layout)
        write_requests(raw / F_REQUESTS, d, sheets)
        write_market(raw / F_MARKET)
        write_meetings(raw / F_MEETINGS, d)
        write_volunteers(raw / "志愿者名册.xlsx", d)
        write_services(raw / F_SERVICES, d.services)
        write_rooms(raw / F_ROOMS, d.bookings)
        profile = tmp / "profile"
        libreoffice([raw / F_ELDERLY, raw / F_REQUESTS, raw / F_MARKET, raw / F_MEETINGS,
                     raw / F_SERVICES, raw / F_ROOMS], "xlsx", OUT, profile)
        libreoffice([raw / "志愿者名册.xlsx"], "xls", OUT, profile)
    write_visits(OUT / F_VISITS, d)
    write_settings(OUT / schema.SETTINGS_FILE, d.settings, as_of=AS_OF)
    write_text(OUT / "README.md", readme(d, plants, clean, layout, sheets))


if __name__ == "__main__":
    main()
