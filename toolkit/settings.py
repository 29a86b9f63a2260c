"""Settings (spec/settings.md) with every built-in default.

``Settings()`` is the default workspace; ``toolkit.read.settings.read_settings`` fills one
from ``设置.xlsx`` and reports bad cells as S501 findings. Every later step takes this object.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from toolkit import schema
from toolkit.workdays import ALL_WEEKDAYS, WORKDAYS, Days, WorkCalendar


@dataclass(frozen=True)
class Category:
    name: str
    owner: str = ""                 # 默认责任人: who does the work (may be 物业 or a bureau)
    limit_days: int | None = 15     # 办理时限(工作日); None = no limit set (R208)
    follower: str = ""              # 跟进人: the 居委 staff who assigns and chases (empty = 值班人员)


@dataclass(frozen=True)
class DutyStaff:
    """One 值班人员. ``days``: 值班日 (empty = 工作日, the working-day calendar); a plain weekday
    set given here is taken as written (0 = Monday)."""
    name: str
    phone: str = ""
    days: Days = WORKDAYS

    def __post_init__(self):
        object.__setattr__(self, "days", Days.of(self.days))

    def on_duty(self, day: date, calendar: WorkCalendar) -> bool:
        return self.days.on(day, calendar)


# --- 收费标准 and 活动室 (issue #17) ----------------------------------------------------
@dataclass(frozen=True)
class FeeStandard:
    """One row of 收费标准: ``provider`` "" = any provider; ``row`` = Excel row on the sheet."""
    item: str
    provider: str
    unit: str                       # 次 / 份 / 小时
    price: Decimal                  # 元, to the fen
    published: date                 # 公示日期
    row: int = 0


@dataclass(frozen=True)
class RoomSetting:
    """One row of 活动室. ``days`` None = every day; ``workdays``: 工作日 (working-day calendar,
    调休 included) in addition to ``days``; ``hours``: half-open ranges in minutes.
    ``open_days`` is the same as the ``Days`` that 可服务时间 and 值班日 are read into."""
    name: str
    estate: str = ""
    aliases: tuple[str, ...] = ()
    days: frozenset[int] | None = None
    workdays: bool = False
    hours: tuple[tuple[int, int], ...] = schema.DEFAULT_OPEN_HOURS
    capacity: int | None = None
    row: int = 0
    holidays_off: bool = False      # 节假日除外: closed on the calendar's public holidays

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name,) + self.aliases

    @property
    def open_days(self) -> Days:
        return Days(ALL_WEEKDAYS if self.days is None else self.days, self.workdays,
                    self.holidays_off)


DEFAULT_CATEGORIES = tuple(Category(name) for name in schema.CATEGORIES)
DEFAULT_INTERVALS = {"A": 7, "B": 30, "C": 90}


@dataclass(frozen=True)
class Thresholds:
    bp_high_sys: int = 140
    bp_high_dia: int = 90
    bp_high_sys_old: int = 150      # 高龄高血压收缩压: from 高龄年龄 on (age at the reading)
    bp_critical_sys: int = 180
    bp_critical_dia: int = 110
    bp_low_sys: int = 90
    bp_low_dia: int = 60
    volunteer_weekly_cap: int = 5
    volunteer_pair_cap: int = 5
    old_age: int = 80               # 高龄年龄: tier A with 独居, C305's threshold, 高龄老人数


@dataclass(frozen=True)
class Settings:
    committee: str = ""             # 居委名称
    town: str = ""                  # 所属街镇
    reporter: str = ""              # 填报人
    reporter_phone: str = ""        # 联系电话
    schedule_weekday: int = 0       # 周检查时间: Monday
    schedule_time: time = time(8, 30)
    estates: tuple[str, ...] = ()   # empty: any 小区 accepted (one D109 info)
    categories: tuple[Category, ...] = DEFAULT_CATEGORIES
    classify_days: int = 2          # 办理时限 sheet, working days
    assign_days: int = 3
    reply_days: int = 3
    first_contact_days: int = 1     # 先行联系时限 (响应率（先行联系口径）)
    intervals: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_INTERVALS))
    thresholds: Thresholds = Thresholds()
    duty: tuple[DutyStaff, ...] = ()
    holidays: dict[date, bool] = field(default_factory=dict)   # date -> True 班 (work) / False 休
    mask: bool = True               # 报送: 脱敏
    period: str = "month"           # 报送周期: "week" | "month"
    # issue #17: None = no sheet (收费标准: one P802 info; 活动室: names unchecked, U902–U904 off)
    fees: tuple[FeeStandard, ...] | None = None
    rooms: tuple[RoomSetting, ...] | None = None
    # 议事会 sheet (resident council, rules M701–M704)
    council_frequency: str = "month"     # 议事会频次: "month" | "bimonth" | "quarter"
    council_register_days: int = 5       # 登记时限(工作日): M702
    council_recorder: str = ""           # 记录人 (empty: the 值班人员 get 议事会落实)
    # True when the workspace folder holds no settings workbook at all (pipeline.load_settings):
    # the findings that would name a sheet or cell of it say the workbook is missing instead
    no_workbook: bool = field(default=False, compare=False)
    # True when the settings workbook is there but could not be read at all (a corrupt file,
    # a text file named 设置.xlsx: one S501 says why): every default is used, and the findings
    # that would say a sheet or value of it is missing say it could not be read instead
    unreadable_workbook: bool = field(default=False, compare=False)

    def category(self, name: str | None) -> Category | None:
        for cat in self.categories:
            if cat.name == name:
                return cat
        return None

    @property
    def category_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)

    @property
    def staff_names(self) -> tuple[str, ...]:
        """The 居委 staff the settings name: 值班人员, 记录人, the 跟进人 of the 诉求类别 and the
        填报人 (not a 默认责任人: that may be 物业 or a bureau). Work orders go to them, and
        they may log a visit themselves (docs/care.md)."""
        names = [d.name for d in self.duty] + [self.council_recorder] \
            + [c.follower for c in self.categories] + [self.reporter]
        return tuple(dict.fromkeys(n.strip() for n in names if n and n.strip()))

    def choices(self, column: schema.Column) -> tuple[str, ...]:
        """Allowed values of an enum/multi column, taking 小区 and 类别 from settings."""
        if column.setting == "estates":
            return self.estates
        if column.setting == "categories":
            return self.category_names
        return column.choices
