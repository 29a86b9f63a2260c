"""The one home of every ledger column, header alias, value list and Chinese label.

Everything else (reader, rules, templates, reports) asks this module; no other module holds
a header string or an allowed-values list. Mirrors ``shared/spec/ledgers.md``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

# ---------------------------------------------------------------------------------------
# value types (see ledgers.md "Types")
TEXT, DATE, INT, NUMBER, PHONE, IDNUM, BOOL, ENUM, MULTI, BP, DAYS = (
    "text", "date", "int", "number", "phone", "idnum", "bool", "enum", "multi", "bp", "days")
# services and rooms (issue #17): money in 元 (Decimal to the fen), a time of day, a time range
MONEY, TIME, TIME_RANGE = "money", "time", "time range"
# a count of 份/次 (services' 数量): a number that may carry a counting unit (3份, 2次, 两份);
# ``number`` columns are hours (1.5小时, 30分钟), so each reads only the units of its field
COUNT = "count"
# what stands between the values of one cell holding several (ledgers.md: a multi value is
# split on 、 , ， ; ； / and spaces): the multi type, 可服务时间, 走访人, a roster's 结对老人
LIST_SEPARATORS = "、,，;；/／"

TYPES = (TEXT, DATE, INT, NUMBER, PHONE, IDNUM, BOOL, ENUM, MULTI, BP, DAYS, MONEY, TIME, TIME_RANGE,
         COUNT)

# requiredness
ALWAYS = "always"        # the column must exist (F004) and every row needs a value (D101)
OPTIONAL = "optional"
CONDITIONAL = "conditional"  # needed at a stage / for some residents; rules decide

# ---------------------------------------------------------------------------------------
# value lists (defaults; settings may replace 小区 and 类别)
SOURCES = ("议事会", "接待点", "服务站", "网格巡查", "12345", "来电", "来访", "其他")
CATEGORIES = ("电动自行车停放", "健身设施", "晾晒", "小区安全", "环境卫生", "物业服务", "养老服务", "其他")
REPLY_METHODS = ("电话", "上门", "议事会", "微信", "书面")
SATISFACTION = ("满意", "基本满意", "不满意")
SATISFIED = ("满意", "基本满意")
UNSATISFIED = "不满意"
REQUEST_STATUSES = ("待分类", "待分派", "办理中", "已办结", "已答复", "重办")
REOPENED = "重办"
# 是否解决 (requests.solved): closed is not solved; 是/否 are read as 已解决/未解决
SOLVED_VALUES = ("已解决", "部分解决", "未解决")
SOLVED, PARTLY_SOLVED, NOT_SOLVED = SOLVED_VALUES
SOLVED_WORDS = {"是": SOLVED, "否": NOT_SOLVED}
GENDERS = ("男", "女")
HARDSHIPS = ("低保", "低收入", "失能", "半失能", "重残", "计生特殊家庭", "空巢")
SEVERE_HARDSHIPS = ("失能", "重残")      # with 独居 makes tier A
NEEDS = ("巡访", "量血压", "代配药", "助餐", "助洁", "助医", "垃圾投放")
ELDERLY_STATUSES = ("在册", "住院", "外出", "入住机构", "迁出", "去世")
ON_REGISTER = "在册"
GONE_STATUSES = ("迁出", "去世")
# a resident whose 状态 is empty (or the ledger keeps none) but whose 备注 says, in a clause of
# its own, that she died or moved out: 已于2026年8月去世, 2026.9迁出, 已故, 搬到女儿家. Read as
# that status (no visit is sent; C309 still asks about a visit after it) and reported once per
# sheet (D112 status_from_note) so the clerk writes it into 状态 (docs/care.md). A clause with
# anything else before the word (老伴已去世, 女儿说下月可能搬走, 拟迁出) is not read.
NOTE_KEYS = {"elderly": "备注"}          # ledger -> the unread column whose text records keep
NOTE_STATUS_WORDS = {"去世": ("去世", "过世", "病故", "病逝", "逝世", "死亡", "亡故", "已故"),
                     "迁出": ("迁出", "搬走", "搬离", "迁走", "外迁", "已迁", "已搬")}
# 搬到女儿家 / 迁往外省: moved out, unless the place is in the community or a care home
NOTE_MOVE_WORDS = ("搬到", "搬去", "搬往", "迁到", "迁往", "迁至")
NOTE_MOVE_PLACES = ("家", "处", "那里", "那儿", "省", "市", "区", "县", "镇", "国外", "外地")  # how the place ends
NOTE_MOVE_NOT = ("号", "室", "楼", "栋", "幢", "养老", "敬老", "护理", "福利院", "医院", "机构")
TEAMS = ("物业志愿队", "党员志愿者", "楼组长", "家庭医生团队", "居民志愿者")
TEAM_BUILDING_LEADER = "楼组长"
TEAM_DOCTOR = "家庭医生团队"
# a 所属队伍 naming the family doctors (家庭医生、家庭医生团队成员、社区家庭医生 …): the doctors' team
TEAM_DOCTOR_WORD = "家庭医生"
ALL_ESTATES = "全部"
SERVICES = ("巡访", "电话问候", "量血压", "代配药", "助餐", "助洁", "助医", "垃圾投放")
SERVICE_VISIT, SERVICE_PHONE, SERVICE_BP = "巡访", "电话问候", "量血压"
OUTCOMES = ("正常", "敲门无应答", "身体不适", "已送医", "外出")
OUTCOME_NO_ANSWER, OUTCOME_AWAY, OUTCOME_TO_HOSPITAL = "敲门无应答", "外出", "已送医"
NOT_COUNTED_OUTCOMES = (OUTCOME_NO_ANSWER, OUTCOME_AWAY)

# words staff write for "nothing here" (D101 treats them as empty)
EMPTY_MARKS = ("无", "/", "-", "—", "--", "——", "－", "／", "N/A", "n/a", "NA")
# a request's stage field (类别 … 满意度) holding a "not yet" word is empty for the stage, not a
# step taken: 未办结 under 办结日期, 未回访 under 满意度, 暂无 under 办理结果, 待定 under 责任人
# (docs/requests.md). Whole cell only, short and without punctuation: 未能解决，已向居民说明 is a
# result. The cell is still reported as D102 where its column wants a date (no D109 in a listed
# column: 类别 待定 is not a wrong category, R201 says it is due).
# Only a "not yet" before a word for the step itself (办, 回访, 定 …): 未发现漏水, 未采纳 (a result)
# and 没意见 (a reply) are the step taken.
PENDING_STEPS = ("办", "处理", "完成", "解决", "落实", "回访", "答复", "回复", "反馈", "评价", "分类",
                 "梳理", "分派", "派", "交办", "分配", "定", "确定", "安排", "结", "填", "核实", "受理")
PENDING_WORDS = re.compile(r"(?:(?:尚|暂|还|仍)?(?:未|没有|没)|待)(?:%s)[\u4e00-\u9fff]{0,3}|暂无|暂缺|暂未"
                           % "|".join(sorted(PENDING_STEPS, key=len, reverse=True)))
# rows under the data that are not records
TOTAL_MARKS = ("合计", "小计", "总计", "共计")     # leading, or ending a short text (本月合计)
TOTAL_TEXT_MAX = 15                                # 松和苑小计: at most this long ending with one
NOTE_PREFIXES = ("注：", "注:", "备注：", "说明：", "填表说明", "填报说明", "注意：", "注意事项",
                 "统计：",
                 # a form's footer: 填表人：… 审核人：… 填表日期：…, and 以下空白
                 "填表人", "制表人", "审核人", "填报人", "填表日期", "制表日期", "填报日期",
                 "单位负责人", "负责人：",
                 "以下空白", "（以下空白", "以下无内容")
# a signature line under the data: a row whose every filled cell is one of these labels, a
# colon (： or :) and a short value (记录人：陆佳怡 | 审核：居委主任) is a note, not a record;
# a row with any other cell filled stays a record
ROLE_LABELS = ("记录人", "记录", "审核人", "审核", "主持人", "填表人", "填报人", "制表人", "负责人",
               "经办人")
ROLE_VALUE_MAX = 12                                # the value after the colon: at most this long
# after a note row, numbered lines (1. … / （2）… / ③…: at most this many text cells, nothing
# else) go on with the note until a row holding anything else
NOTE_LINE_CELLS = 2
# free-text fields whose values are often numbered items (一、更换楼道灯, 1、楼道堆物 in 议题
# or 诉求内容): such a value alone in its row is a half-filled record (a meeting's later 议题,
# its date written once above), never a section label (records._is_section_heading)
ITEM_TEXTS = frozenset({"content", "progress", "resolution", "issue", "activity", "topic",
                        "decision", "feedback"})
SERIAL_HEADERS = ("序号", "序", "NO", "No", "no")

# a header's trailing bracket (ledgers.md: marks and units are ignored; docs/read.md): a mark
# is dropped; a unit must be the field's own (Column.unit) or one converted to it; any other
# word qualifies the header: 紧急联系人（电话） is 紧急联系电话, 紧急联系人（姓名） 紧急联系人
HEADER_MARKS = ("必填", "选填", "可选", "必选", "非必填", "可不填", "如有", "可空", "可为空")
HEADER_UNITS = {"元": "元", "万元": "万元", "小时": "小时", "h": "小时", "H": "小时", "时": "小时",
                "分钟": "分钟", "min": "分钟", "分": "分钟", "天": "天", "mmHg": "mmHg",
                "mmhg": "mmHg", "人": "人", "岁": "岁", "次": "次", "份": "份"}
# field unit -> header units whose plain numbers are converted (normalise.parse_number reads
# 30分钟 as 0.5 hours): 服务时长（分钟） holds minutes, read as hours with one D112
UNIT_CONVERSIONS = {"小时": ("分钟",)}
# a field some clerks keep in two columns (ledgers.md visits 血压; docs/read.md): (ledger, key)
# -> (the first part's headers, the second part's headers, the joiner). 高压 | 低压 (also
# 收缩压 | 舒张压, 收缩压（mmHg）, under a merged 血压, in either order) are read as one
# 血压 ``186/112``, named by the first part's cell; a row with one part empty is an incomplete
# reading (D111); a part showing an error value or an uncalculated formula leaves the reading
# unknown (F011 / F007, no D111). With a 血压 column too, 血压 is read where filled, the pair
# where it is empty; both filled with two different readings: unknown, D111 naming both.
# The elderly and the request 地址 kept as 楼号 | 室号 (楼栋 | 门牌, 号 | 室 …) is read as one 地址
# ``12号301室``: a part written as a bare number gets its word (12 → 12号, 301 → 301室), the
# parts are joined with nothing between; one part empty gives the other alone (R210 compares
# the whole address: 12号301室 and 12号502室 are two places). (ledger, key) -> (first part's
# headers, second part's headers, joiner, (the first part's word, the second's)).
_ADDRESS_PARTS = (("楼号", "楼栋", "楼栋号", "栋号", "幢号", "号"),
                  ("室号", "室", "房号", "房间号", "门牌", "门牌号"), "", ("号", "室"))
SPLIT_FIELDS = {("visits", "blood_pressure"): (("高压", "收缩压"), ("低压", "舒张压"), "/", ("", "")),
                ("elderly", "address"): _ADDRESS_PARTS,
                ("requests", "address"): _ADDRESS_PARTS}
# a sub-header (or bracket) naming the person's name under a person's header: 紧急联系人 over
# 姓名 | 电话 is 紧急联系人 + 紧急联系电话, not the resident's own 姓名
NAME_WORDS = ("姓名", "名字", "名称")
# a two-level parent like 家属信息 names 家属 (its children 姓名 | 电话 are 家属 / 家属电话)
PARENT_SUFFIXES = ("信息", "情况", "资料")

# bool spellings (ledgers.md: 是/否, 有/无, √/×, Y/N, 1/0)
TRUE_WORDS = ("是", "有", "√", "✓", "✔", "Y", "y", "YES", "Yes", "yes", "1", "TRUE", "True", "true", "在岗", "对",
              "已付", "已付费")          # 已付费: services.paid (issue #17)
FALSE_WORDS = ("否", "无", "×", "✗", "✘", "N", "n", "NO", "No", "no", "0", "FALSE", "False", "false", "不在岗", "离岗",
               "未付", "未付费")

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
# the character after 周/星期/礼拜 → weekday (0 = Monday): 周日 = 周天 = 周七, 周1 … 周7
WEEKDAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6,
                 "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}

# a bool column also takes its own word as the value (ledgers.md "bool"): 独居 under 是否独居 is
# true; 不独居 / 非独居 / 无需独居 are false. The word is the header without these prefixes.
BOOL_QUESTION_PREFIXES = ("是否",)
BOOL_NEED_PREFIXES = ("需要", "需")         # 需跟进: 跟进 is the word too (无需跟进 = false)
BOOL_NEGATIONS = ("不", "非", "无需", "不需要", "不需")
# more words a bool column takes as its value, whole cell only: a 居住状况 column written as
# 独居 / 与子女同住 says alone or not (true words, false words)
BOOL_FIELD_WORDS: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {
    ("elderly", "lives_alone"): (
        ("独居老人", "一人居住", "一人独居", "孤老"),
        ("与子女同住", "与儿女同住", "与老伴同住", "与配偶同住", "与家人同住", "与亲属同住",
         "与子女合住", "与老伴居住", "与子女居住", "夫妻同住", "同住", "非独居")),
}

# Enum synonyms (ledgers.md "Enum synonyms"): (ledger, key) -> what staff write -> listed value.
# Whole-cell matches only (未完成 is not 完成); one D112 summary per column, never D109.
_SATISFACTION_SYNONYMS = {"非常满意": "满意", "很满意": "满意",
                          "比较满意": "基本满意", "较满意": "基本满意", "一般": "基本满意",
                          "非常不满意": "不满意", "很不满意": "不满意"}
# 服务技能 / 服务需求 use the words of elderly.needs: the visits' own synonyms of 巡访, and the
# plain other spellings of 量血压 (测血压 …) — a roster writing 测血压 must not read as "nobody
# can 量血压" (a BP recheck left unassigned). Only spellings that name the very same task.
_BP_WORDS = {"测血压": "量血压", "测量血压": "量血压", "血压测量": "量血压"}
_VISIT_WORDS = {"上门": "巡访", "入户": "巡访", "走访": "巡访", "探访": "巡访", "看望": "巡访"}
# 服务小区: ways of writing 全部 (every 小区 of the 居委)
_ALL_ESTATES_WORDS = {w: ALL_ESTATES for w in ("全部小区", "所有小区", "各小区", "全小区",
                                               "不限", "不限小区", "全居委", "全居民区")}
SYNONYMS: dict[tuple[str, str], dict[str, str]] = {
    ("volunteers", "skills"): {**_VISIT_WORDS, **_BP_WORDS},
    ("elderly", "needs"): {**_VISIT_WORDS, **_BP_WORDS},
    ("volunteers", "estates"): _ALL_ESTATES_WORDS,
    ("requests", "status"): {
        "办结": "已办结", "已完成": "已办结", "完成": "已办结", "已解决": "已办结",
        "在办": "办理中", "处理中": "办理中", "正在办理": "办理中", "跟进中": "办理中",
        "已回复": "已答复", "已反馈": "已答复", "已回访": "已答复",
        "重新办理": "重办", "退回重办": "重办"},
    ("requests", "satisfaction"): _SATISFACTION_SYNONYMS,
    ("requests", "solved"): SOLVED_WORDS,               # 是/否 under 是否解决
    ("services", "rating"): _SATISFACTION_SYNONYMS,
    ("requests", "reply_method"): {"入户": "上门", "走访": "上门",
                                   "电话联系": "电话", "电话回访": "电话"},
    ("visits", "service"): {**_VISIT_WORDS, **_BP_WORDS, "电话": "电话问候", "电话联系": "电话问候",
                            "电话回访": "电话问候"},
    ("visits", "outcome"): {"良好": "正常", "好": "正常", "无异常": "正常", "平安": "正常",
                            "无人应答": "敲门无应答", "无应答": "敲门无应答", "敲门未应": "敲门无应答",
                            "家中无人": "敲门无应答", "不在家": "敲门无应答",
                            "送医": "已送医", "就医": "已送医", "送医院": "已送医"},
    ("elderly", "status"): {"已故": "去世", "已去世": "去世", "死亡": "去世", "过世": "去世",
                            "病故": "去世", "搬离": "迁出", "已搬走": "迁出", "已迁出": "迁出",
                            "动迁": "迁出", "搬迁": "迁出", "入住养老院": "入住机构",
                            "机构养老": "入住机构",
                            # not in ledgers.md; the same words without 已 / with 已
                            "搬走": "迁出", "已搬离": "迁出", "迁走": "迁出", "已迁走": "迁出",
                            "已过世": "去世", "已死亡": "去世"},
    # not in ledgers.md: the household category written with 户 / 老人 / 家庭, and 失独 — one
    # of the two 计生特殊家庭 (独生子女死亡); each is the listed value and nothing else
    ("elderly", "hardship"): {"低保户": "低保", "低收入户": "低收入", "空巢老人": "空巢",
                              "失独": "计生特殊家庭", "失独家庭": "计生特殊家庭"},
}

# C307: an outcome outside the list that still says nobody answered (敲门无应答（电话也未接）,
# 敲门无人应答, 无应答，电话未接) is D109 and, read as text, a no-answer: someone must check
# 敲门不应, 未见到本人, 没人开门 say the same and nothing else; they stay D109 (not in ledgers.md)
NO_ANSWER_WORDS = (OUTCOME_NO_ANSWER,) + tuple(
    word for word, value in SYNONYMS[("visits", "outcome")].items() if value == OUTCOME_NO_ANSWER) + (
    "敲门不应", "未见到本人", "没见到本人", "未见到老人", "没见到老人", "无人开门", "没人开门", "没人应")

# ... unless the text also says the resident was reached after all (敲门无应答后电话联系上了,
# 无人应答，回电已接通): not a no-answer (still D109). A negated 未联系上/未接通 does not count.
REACHED_WORDS = re.compile(r"(?<![未没不无有])(?:联系上|联系到|接通|回电|见到老人|见到本人)")

# columns clerks commonly add that are no ledger field: kept out of the record with no F006
# (a header containing one of these words, e.g. 所在楼组, 网格员, 照片附件), unless the
# ledger lists the header as an alias (备注 is visits.issue)
COMMON_EXTRA_WORDS = ("序号", "备注", "说明", "网格", "楼组", "楼组长", "附件", "照片")
# header names that never count toward deciding a sheet's kind
NEVER_COUNTS = ("备注",)

# Sheet kinds (ledgers.md "How a sheet's kind is decided"). A sheet can be of a kind only if
# it has one of the kind's anchor sets: every group of the set matched by a column (a group
# is a tuple of keys, any of which counts; a key counts by any of its aliases). Among the
# kinds whose anchors are present, the most matched columns wins. A new kind is added here.
ANCHORS: dict[str, tuple[tuple[tuple[str, ...], ...], ...]] = {
    "requests": ((("id", "received"), ("content",)),),
    "elderly": ((("name",), ("lives_alone",)),
                (("address",), ("birth", "id_number"))),
    "volunteers": ((("name",), ("skills", "estates")),),
    "visits": ((("outcome",),),
               (("date",), ("volunteer",))),
    "meetings": ((("topic",),),),
}

# summary sheets (汇总/统计): formulas over the ledger sheets, not a ledger (docs/read.md)
SUMMARY_SHEET_WORDS = ("汇总", "统计", "总表")


@dataclass(frozen=True)
class Column:
    key: str
    header: str                     # canonical header, what templates write
    aliases: tuple[str, ...] = ()
    type: str = TEXT
    required: str = OPTIONAL
    choices: tuple[str, ...] = ()   # allowed values for enum / vocabulary for multi
    setting: str | None = None      # settings attribute that replaces ``choices`` (estates, categories)
    sensitive: bool = False         # personal data: masked for the town office
    label_en: str = ""
    note: str = ""                  # what the template's 填写说明 says
    example: str = ""
    unit: str = ""                  # the unit values are kept in (小时, 元): a header's trailing
    #                                 unit must be this one (HEADER_UNITS), or convert to it
    template: bool = True           # written in our blank ledgers (templates, samples); False for
    #                                 a column read from clerks' own books only (名册的结对老人)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header,) + self.aliases


@dataclass(frozen=True)
class Ledger:
    kind: str
    title: str                      # 诉求台账 …
    title_en: str
    columns: tuple[Column, ...]
    one_of: tuple[tuple[str, ...], ...] = ()   # at least one column of each group must exist
    sheet: str = ""                 # sheet name in our templates
    _by_key: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._by_key.update({c.key: c for c in self.columns})

    def column(self, key: str) -> Column:
        return self._by_key[key]

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @cached_property
    def template_columns(self) -> tuple[Column, ...]:
        """The columns our blank ledgers and samples write (``Column.template``)."""
        return tuple(c for c in self.columns if c.template)

    @cached_property
    def required_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns if c.required == ALWAYS)


C = Column
# requests aliases after the ones ledgers.md lists: what a 12345/网格 work order calls the same
# column, unambiguous in a request ledger (受理时间 … 回访时间 hold that step's date; 诉求类型,
# 承办部门, 办结时限, 群众满意度 name the listed fields); without them a ledger headed 受理时间
# lost its 登记日期 (F004), every SLA and every M702 match
REQUESTS = Ledger("requests", "诉求台账", "Resident requests", sheet="诉求台账", columns=(
    C("id", "编号", ("诉求编号", "工单号", "登记号"), TEXT, ALWAYS, label_en="ID",
      note="每条诉求唯一的编号", example="SQ-2026-001"),
    C("received", "登记日期", ("受理日期", "反映日期", "接件日期", "收集日期", "受理时间", "登记时间", "反映时间"), DATE, ALWAYS,
      label_en="Received", note="居民反映诉求的日期", example="2026-11-03"),
    C("source", "来源", ("诉求来源", "渠道", "反映渠道"), ENUM, ALWAYS, SOURCES, label_en="Source",
      note="诉求从哪里来", example="议事会"),
    C("resident", "反映人", ("居民姓名", "诉求人", "姓名"), TEXT, OPTIONAL, sensitive=True,
      label_en="Resident", note="可匿名，留空即可", example="王阿姨"),
    C("phone", "联系电话", ("电话", "手机", "联系方式"), PHONE, OPTIONAL, sensitive=True,
      label_en="Phone", note="11位手机号或固定电话", example="13812345678"),
    C("estate", "小区", ("所属小区", "小区名称"), ENUM, ALWAYS, setting="estates", label_en="Estate",
      note="从下拉列表选择小区", example="松和苑"),
    C("address", "地址", ("楼栋", "门牌", "住址", "楼号室号"), TEXT, OPTIONAL, sensitive=True,
      label_en="Address", note="楼号室号", example="12号301室"),
    C("content", "诉求内容", ("反映内容", "问题描述", "具体内容"), TEXT, ALWAYS, label_en="Content",
      note="居民反映的具体问题", example="楼下电动自行车乱停放"),
    C("category", "类别", ("诉求类别", "分类", "问题类型", "诉求类型"), ENUM, CONDITIONAL, CATEGORIES,
      setting="categories", label_en="Category", note="第一步 梳理分类", example="电动自行车停放"),
    C("classified", "分类日期", ("梳理日期", "分类时间", "梳理时间"), DATE, CONDITIONAL, label_en="Classified",
      note="第一步 梳理分类的日期", example="2026-11-04"),
    C("assignee", "责任人", ("责任单位", "承办人", "承办单位", "分派对象", "承办部门"), TEXT, CONDITIONAL,
      label_en="Assignee", note="第二步 分派研究：谁负责办理", example="物业经理"),
    C("assigned", "分派日期", ("交办日期", "分派时间", "交办时间"), DATE, CONDITIONAL, label_en="Assigned",
      note="第二步 分派的日期", example="2026-11-05"),
    C("due", "办理时限", ("截止日期", "应办结日期", "期限", "办结时限"), DATE, CONDITIONAL, label_en="Due",
      note="应办结日期；留空则按设置中的类别时限", example="2026-11-26"),
    C("progress", "办理进展", ("跟踪情况", "进展"), TEXT, OPTIONAL, label_en="Progress",
      note="第三步 跟踪解决的情况", example="已联系物业"),
    C("resolved", "办结日期", ("解决日期", "完成日期", "办结时间"), DATE, CONDITIONAL, label_en="Resolved",
      note="第三步 办结的日期", example="2026-11-20"),
    C("resolution", "办理结果", ("解决情况", "处理结果"), TEXT, CONDITIONAL, label_en="Resolution",
      note="怎么解决的", example="已划定停放区"),
    C("replied", "答复日期", ("反馈日期", "回复日期", "回访日期", "答复时间", "反馈时间", "回复时间", "回访时间"), DATE, CONDITIONAL, label_en="Replied",
      note="第四步 答复反馈的日期", example="2026-11-22"),
    C("reply_method", "答复方式", ("反馈方式", "回访方式"), ENUM, CONDITIONAL, REPLY_METHODS,
      label_en="Reply method", note="怎么答复居民", example="电话"),
    C("satisfaction", "满意度", ("居民评价", "评价", "回访评价", "群众满意度", "居民满意度"), ENUM, CONDITIONAL, SATISFACTION,
      label_en="Satisfaction", note="居民的评价", example="满意"),
    C("status", "状态", ("办理状态", "当前状态"), ENUM, OPTIONAL, REQUEST_STATUSES, label_en="Status",
      note="可留空，由程序根据已填内容判断", example="已答复"),
    # added in the second wave: at the end, so the columns of existing files keep their letters
    C("location", "问题地点", ("事发地点", "问题位置", "发生地点"), TEXT, OPTIONAL,
      label_en="Location", note="问题发生在哪里（重复诉求先按它比对，未填按地址）", example="5号楼北侧"),
    C("first_contact", "先行联系日期", ("首次联系日期", "联系居民日期"), DATE, OPTIONAL,
      label_en="First contact", note="登记后第一次联系居民的日期（响应率用）", example="2026-11-04"),
    C("solved", "是否解决", ("实际解决", "解决与否"), ENUM, OPTIONAL, SOLVED_VALUES,
      label_en="Solved", note="已解决/部分解决/未解决；办结不等于解决（解决率用）", example="已解决"),
))

ELDERLY = Ledger("elderly", "老年人台账", "Elderly residents", sheet="老年人台账",
                 one_of=(("birth", "id_number", "age"),), columns=(
    C("id", "编号", ("老人编号", "档案号"), TEXT, ALWAYS, label_en="ID", note="每位老人唯一的编号",
      example="LR-001"),
    C("name", "姓名", ("老人姓名",), TEXT, ALWAYS, sensitive=True, label_en="Name", example="张秀英"),
    C("gender", "性别", (), ENUM, OPTIONAL, GENDERS, label_en="Gender", example="女"),
    C("birth", "出生日期", ("出生年月", "生日", "出生年月日"), DATE, CONDITIONAL, label_en="Birth",
      note="出生日期、身份证号、年龄至少填一项", example="1941-05-12"),
    C("id_number", "身份证号", ("身份证号码", "证件号码", "公民身份号码", "身份证"), IDNUM, OPTIONAL, sensitive=True,
      label_en="ID number", note="18位，请设为文本格式，否则末几位会丢失", example="31011719410512002X"),
    C("age", "年龄", (), INT, OPTIONAL, label_en="Age", note="有出生日期时可不填", example="85"),
    C("estate", "小区", ("所属小区",), ENUM, ALWAYS, setting="estates", label_en="Estate",
      example="松和苑"),
    C("address", "地址", ("住址", "家庭住址", "楼号室号", "门牌号", "家庭地址", "居住地址"), TEXT, ALWAYS, sensitive=True,
      label_en="Address", example="12号301室"),
    C("phone", "联系电话", ("电话", "本人电话", "手机"), PHONE, OPTIONAL, sensitive=True,
      label_en="Phone", example="57651234"),
    C("emergency_contact", "紧急联系人", ("联系人", "家属", "监护人"), TEXT, CONDITIONAL, sensitive=True,
      label_en="Emergency contact", note="独居老人必填", example="张伟（儿子）"),
    C("emergency_phone", "紧急联系电话", ("联系人电话", "家属电话", "紧急联系人电话", "监护人电话"), PHONE, CONDITIONAL,
      sensitive=True, label_en="Emergency phone", note="独居老人必填", example="13912345678"),
    C("lives_alone", "独居", ("是否独居", "独居情况", "居住状况", "居住情况"), BOOL, ALWAYS, label_en="Lives alone", note="是/否",
      example="是"),
    C("hardship", "特殊困难", ("困难类型", "特殊情况"), MULTI, OPTIONAL, HARDSHIPS, label_en="Hardship",
      note="可多选，用、分隔", example="低保、空巢"),
    C("health", "健康状况", ("慢性病", "病史"), MULTI, OPTIONAL, label_en="Health", example="高血压"),
    C("family_doctor", "家庭医生", ("签约医生",), TEXT, OPTIONAL, label_en="Family doctor",
      example="李医生"),
    C("needs", "服务需求", ("需求", "所需服务"), MULTI, OPTIONAL, NEEDS, label_en="Needs",
      note="可多选，用、分隔", example="量血压、代配药"),
    C("volunteer", "结对志愿者", ("联系志愿者", "结对人"), TEXT, CONDITIONAL, label_en="Paired volunteer",
      note="志愿者编号或姓名；A、B级老人必填", example="ZY-001"),
    C("status", "状态", ("在册状态",), ENUM, OPTIONAL, ELDERLY_STATUSES, label_en="Status",
      note="留空表示在册", example="在册"),
))

VOLUNTEERS = Ledger("volunteers", "志愿者名册", "Volunteers", sheet="志愿者名册", columns=(
    C("id", "编号", ("志愿者编号",), TEXT, ALWAYS, label_en="ID", example="ZY-001"),
    C("name", "姓名", ("志愿者姓名",), TEXT, ALWAYS, sensitive=True, label_en="Name", example="李红"),
    C("phone", "联系电话", ("电话", "手机", "联系方式"), PHONE, ALWAYS, sensitive=True, label_en="Phone",
      example="13812345678"),
    C("team", "所属队伍", ("队伍", "所属组织", "所属单位"), TEXT, OPTIONAL, TEAMS, label_en="Team",
      example="党员志愿者"),
    C("estates", "服务小区", ("负责小区", "服务区域"), MULTI, ALWAYS, setting="estates",
      label_en="Estates served", note="可多选，或填“全部”", example="松和苑、咏泽苑"),
    C("skills", "服务技能", ("可提供服务", "特长", "服务类型"), MULTI, ALWAYS, NEEDS, label_en="Skills",
      note="可多选，用、分隔", example="巡访、量血压"),
    C("availability", "可服务时间", ("服务时间", "空闲时间", "可服务时段", "服务时段", "空闲时段"), DAYS, OPTIONAL, label_en="Availability",
      note="如 周一至周五、周二、周四、工作日、周末、每天；留空表示每个工作日", example="周一至周五"),
    C("capacity", "每周上限", ("每周可服务次数", "每周最多"), INT, OPTIONAL, label_en="Weekly capacity",
      note="留空按设置（默认5次）", example="5"),
    C("certificate", "证书", ("资格证书", "养老护理员证", "资质", "资质证书"), TEXT, OPTIONAL, label_en="Certificate",
      example="养老护理员（四级）"),
    C("certificate_expiry", "证书有效期", ("有效期至", "证书到期", "证书到期日", "证书有效期至"), DATE, CONDITIONAL, label_en="Certificate expiry",
      note="有证书时必填", example="2027-06-30"),
    C("active", "在岗", ("状态", "是否在岗"), BOOL, OPTIONAL, label_en="Active", note="留空表示在岗",
      example="是"),
    C("left", "离岗日期", ("退出日期",), DATE, OPTIONAL, label_en="Left on",
      note="不再服务的志愿者填写离开的日期；此后的巡访会被提示（V403）"),
    # not in ledgers.md: the pairing kept on the roster's side, as many clerks do (a volunteer's
    # residents by 编号 or 姓名, several a cell). Read, never written in our templates: the spec
    # keeps the pairing in the elderly ledger's 结对志愿者, which wins when both are filled
    # (CareIndex, docs/care.md)
    # (TEXT: split in the domain, which knows the residents: ``龚 珍`` is one name, ``张三 李四`` two)
    C("residents", "结对老人", ("联系老人", "负责老人", "结对对象"), TEXT, OPTIONAL, sensitive=True,
      label_en="Paired residents", note="该志愿者结对的老人（老人编号或姓名），多位用、分隔",
      example="LR-001、LR-017", template=False),
))

VISITS = Ledger("visits", "巡访记录", "Visit log", sheet="巡访记录",
                one_of=(("elderly_id", "elderly_name"),), columns=(
    C("date", "巡访日期", ("日期", "走访日期", "服务日期"), DATE, ALWAYS, label_en="Date",
      example="2026-11-20"),
    C("elderly_id", "老人编号", ("编号",), TEXT, CONDITIONAL, label_en="Resident ID",
      note="老人编号、老人姓名至少填一项", example="LR-001"),
    C("elderly_name", "老人姓名", ("姓名", "服务对象"), TEXT, CONDITIONAL, sensitive=True,
      label_en="Resident name", example="张秀英"),
    C("volunteer", "志愿者", ("巡访人", "服务人员", "走访人", "走访人员", "巡访人员"), TEXT, ALWAYS, label_en="Volunteer",
      note="志愿者编号或姓名", example="ZY-001"),
    C("service", "服务类型", ("服务内容", "巡访方式"), MULTI, ALWAYS, SERVICES, label_en="Service",
      note="可多选，用、分隔", example="巡访、量血压"),
    C("outcome", "巡访情况", ("情况", "结果"), ENUM, ALWAYS, OUTCOMES, label_en="Outcome", example="正常"),
    C("blood_pressure", "血压", ("血压(mmHg)",), BP, OPTIONAL, label_en="Blood pressure",
      note="收缩压/舒张压", example="135/85", unit="mmHg"),
    C("medication", "用药情况", ("用药",), TEXT, OPTIONAL, label_en="Medication", example="按时服药"),
    C("issue", "发现问题", ("问题", "备注"), TEXT, OPTIONAL, label_en="Issue", example=""),
    C("follow_up", "需跟进", ("是否跟进", "是否需要跟进", "是否需跟进"), BOOL, OPTIONAL, label_en="Follow up",
      note="是/否", example="否"),
    C("hours", "服务时长", ("时长", "服务时长(小时)"), NUMBER, OPTIONAL, label_en="Hours",
      note="小时", example="0.5", unit="小时"),
    # added in the second wave (at the end: existing files keep their letters)
    C("estate", "小区", ("所属小区",), ENUM, OPTIONAL, setting="estates", label_en="Estate",
      note="同名老人时用来区分；按小区统计时也用它", example="松和苑"),
))
# --- 物业+养老 services and activity rooms (issue #17) ----------------------------------
SERVICE_ITEMS = ("助餐", "助洁", "助医", "代配药", "垃圾投放", "陪诊", "维修", "其他")
SERVICE_NEED_OF = {"陪诊": "助医"}       # a service item counts for this elderly need (C308)
FEE_UNITS = ("次", "份", "小时")
FEE_UNIT_HOUR = "小时"

SERVICES_LEDGER = Ledger("services", "服务记录", "Services delivered", sheet="服务记录",
                         one_of=(("elderly_id", "elderly_name"),), columns=(
    C("date", "服务日期", ("日期",), DATE, ALWAYS, label_en="Date", example="2026-11-20"),
    C("elderly_id", "老人编号", ("档案号",), TEXT, CONDITIONAL, label_en="Resident ID",
      note="老人编号、老人姓名至少填一项；不在老年人台账上的居民也可以登记", example="LR-001"),
    C("elderly_name", "老人姓名", ("服务对象", "姓名"), TEXT, CONDITIONAL, sensitive=True,
      label_en="Resident name", example="张秀英"),
    C("item", "服务项目", ("服务内容", "项目"), ENUM, ALWAYS, SERVICE_ITEMS, label_en="Item",
      example="助餐"),
    C("provider", "服务单位", ("物业公司", "服务机构"), TEXT, OPTIONAL, label_en="Provider",
      note="留空表示收费标准中唯一的服务单位", example="国贸物业"),
    C("worker", "服务人员", ("服务人",), TEXT, OPTIONAL, sensitive=True, label_en="Worker",
      example="陈师傅"),
    C("quantity", "数量", ("次数", "份数"), COUNT, OPTIONAL, label_en="Quantity",
      note="留空表示1", example="1"),
    C("hours", "服务时长", ("时长",), NUMBER, OPTIONAL, label_en="Hours",
      note="小时；按小时收费的项目必填", example="1.5", unit="小时"),
    C("fee", "收费金额", ("金额", "收费", "费用"), MONEY, OPTIONAL, label_en="Fee",
      note="元；免费留空", example="12", unit="元"),
    C("paid", "是否付费", ("付费情况", "已付费"), BOOL, OPTIONAL, label_en="Paid", example="是"),
    C("rating", "评价", ("满意度", "服务评价"), ENUM, OPTIONAL, SATISFACTION, label_en="Rating",
      example="满意"),
))

ROOMS_LEDGER = Ledger("rooms", "活动室使用登记", "Activity room bookings", sheet="活动室使用登记",
                      one_of=(("slot", "start"), ("user", "contact")), columns=(
    C("date", "使用日期", ("日期", "活动日期"), DATE, ALWAYS, label_en="Date", example="2026-11-20"),
    C("room", "活动室", ("场地", "功能室", "使用场地"), ENUM, ALWAYS, setting="rooms",
      label_en="Room", note="设置.xlsx“活动室”表中的名称或别名", example="舞蹈室"),
    C("slot", "时段", ("使用时间", "时间段", "使用时段", "时间"), TIME_RANGE, CONDITIONAL,
      label_en="Time", note="如 09:00-11:00、上午、下午、晚上、全天；也可分开填开始时间、结束时间",
      example="09:00-11:00"),
    C("start", "开始时间", (), TIME, CONDITIONAL, label_en="Start", example="09:00"),
    C("end", "结束时间", (), TIME, CONDITIONAL, label_en="End", example="11:00"),
    C("estate", "小区", ("所属小区",), ENUM, OPTIONAL, setting="estates", label_en="Estate",
      note="两个小区有同名活动室时填写", example="松和苑"),
    C("user", "使用团队", ("团队", "使用单位", "预约团队", "预约单位"), TEXT, CONDITIONAL,
      label_en="Team", note="使用团队、负责人至少填一项", example="怡和舞蹈队"),
    C("activity", "活动名称", ("活动内容", "活动项目"), TEXT, OPTIONAL, label_en="Activity",
      example="排舞练习"),
    C("attendance", "参加人数", ("人数", "参与人数"), INT, OPTIONAL, label_en="Attendance",
      example="15"),
    C("contact", "负责人", ("联系人", "预约人"), TEXT, CONDITIONAL, sensitive=True,
      label_en="Contact", example="施阿姨"),
))
# anchors (ledgers.md "How a sheet's kind is decided"): services = a date, a resident, 服务项目
# and 服务单位 or 收费金额 (without the last two a service log is read as visits); rooms =
# 活动室 and a time (时段, or 开始时间)
# date columns where a year and month alone is a whole value (出生年月 1940.05); in any other
# date column 2026.11 is D102, not the 1st of the month (ledgers.md lists month forms for births)
MONTH_DATES = frozenset({("elderly", "birth")})
# birth-date columns whose two-digit year can only be 19xx (an elderly resident): 41.5.12,
# 41-5-12, 41年5月12日 are 1941-05-12, one D112 per column (docs/read.md). Never a visit or
# request date, never a volunteer's birth date (a volunteer may be born in 2005).
CENTURY_DATES = {("elderly", "birth"): 1900}
# date columns where a limit may be written as a number of days instead (办理时限 15个工作日, 3天):
# read as a ``Period``, counted by the domain from the same start as the settings' category limit
PERIOD_DATES = frozenset({("requests", "due")})
# dates that cannot lie after the as-of date (D103; a year-less 11月30日 in them is never read as
# a day still to come); 办理时限 (due) and bookings (rooms.date) may
NOT_FUTURE_DATES: dict[str, tuple[str, ...]] = {
    "requests": ("received", "classified", "assigned", "resolved", "replied"),
    "visits": ("date",),
    "elderly": ("birth",),
    "services": ("date",),
    "meetings": ("date",),
}

ANCHORS.update({
    "services": ((("date",), ("elderly_id", "elderly_name"), ("item",), ("provider", "fee")),),
    "rooms": ((("room",), ("slot", "start")),),
})
SERVICE_LOG_HINT = ("provider", "fee")     # what a service log read as visits lacks
# what makes a row a record of someone or something, besides any date column: an id or a
# person. A sheet naming none of them (nor a date) is a list of options or prices — the hidden
# 下拉选项 sheet of a visit log (小区, 服务类型, 巡访情况), a price list (服务项目, 计价单位,
# 标准价) — not a ledger (ledgers.md: "no dates, no people"; docs/read.md)
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "requests": ("id", "resident", "assignee"),
    "elderly": ("id", "name", "emergency_contact", "volunteer"),
    "volunteers": ("id", "name"),
    "visits": ("elderly_id", "elderly_name", "volunteer"),
    "meetings": ("attendees", "request_id", "owner"),
    "services": ("elderly_id", "elderly_name", "worker"),
    "rooms": ("user", "contact"),
}

# ---------------------------------------------------------------------------------------
# resident council (议事会) minutes — ledger ``meetings`` (spec ledgers.md, rules M701–M704)
DEFAULT_MEETING = "居民议事会"                # an empty 会议名称 on a meeting's first row
NOT_A_REQUEST_MARKS = ("不涉及", "通报")       # 诉求编号 words: the item is not a request (no M702)
MEETING_CONTINUED_KEYS = ("meeting", "attendees")   # continue with the date from the row above
MEETING_NAMES = ("居民议事会", "楼组议事会", "专题议事会", "联席会议")   # template suggestions only
MEETING_OWNERS = ("居委", "物业经理", "网格长", "楼组长", "业委会")        # template suggestions only
MEETINGS = Ledger("meetings", "议事会记录", "Council minutes", sheet="议事会记录", columns=(
    C("date", "会议日期", ("议事日期", "开会日期", "会议时间"), DATE, ALWAYS, label_en="Meeting date",
      note="开会的日期。同一次会议的多个议题只需在第一行填写，下面几行留空即沿用上一行的日期",
      example="2026-11-05"),
    C("meeting", "会议名称", ("会议", "会议类型"), TEXT, OPTIONAL, MEETING_NAMES, label_en="Meeting",
      note="留空即“居民议事会”；同一次会议下面几行留空沿用上一行", example="居民议事会"),
    C("attendees", "参会人员", ("出席人员", "参加人员"), MULTI, OPTIONAL, sensitive=True,
      label_en="Attendees", note="用、分隔；只需在会议的第一行填写", example="网格长、楼组长、物业经理"),
    C("topic", "议题", ("议事内容", "讨论事项", "议题内容"), TEXT, ALWAYS, label_en="Topic",
      note="一行写一个议题：居民提出的诉求或要商量的事", example="3号楼电动自行车充电难"),
    C("request_id", "诉求编号", ("关联诉求", "对应诉求编号"), TEXT, OPTIONAL, NOT_A_REQUEST_MARKS,
      label_en="Request ID",
      note="已登记进诉求台账的，填诉求台账的编号；不是诉求的议题填“不涉及”或“通报”",
      example="SQ-2026-031"),
    C("decision", "议定事项", ("会议决定", "处理意见", "决议"), TEXT, OPTIONAL, label_en="Decision",
      note="会上商定要做的事；没有决定可留空", example="物业在车棚加装充电桩"),
    C("owner", "落实人", ("牵头人", "落实责任人", "责任人"), TEXT, CONDITIONAL, MEETING_OWNERS,
      label_en="Owner",
      note="有议定事项时必填：谁牵头落实", example="物业经理"),
    C("feedback_date", "反馈日期", ("落实反馈日期", "通报日期"), DATE, OPTIONAL, label_en="Feedback date",
      note="向居民通报落实情况的日期，最迟在下一次议事会上", example="2026-12-03"),
    C("feedback", "反馈情况", ("落实情况",), TEXT, OPTIONAL, label_en="Feedback",
      note="落实得怎么样、怎么通报的", example="充电桩已装好，会上通报"),
))
# C312: words in a visit's 发现问题 that mean the 居委 must act (register a 诉求), by kind.
# A keyword after 无/没有/未发现 in the same clause (“无安全隐患”) does not count.
VISIT_ACTION_KEYWORDS = {
    "维修": ("漏水", "渗水", "漏雨", "报修", "维修", "损坏", "坏了", "破损", "堵塞", "不亮", "故障",
           "脱落", "裂缝", "门锁", "水管", "下水道", "马桶"),
    "安全": ("安全隐患", "隐患", "电线", "飞线", "私拉", "燃气", "煤气", "消防", "堆物", "扶手",
           "防滑", "电梯", "门禁", "路灯", "充电"),
    "环境": ("垃圾", "异味", "积水", "噪音", "蚊虫", "老鼠", "污水", "油烟", "乱停", "绿化"),
}
VISIT_KEYWORD_NEGATIONS = ("无", "没有", "未发现", "未见", "不存在")

del C

LEDGERS: dict[str, Ledger] = {lg.kind: lg for lg in (REQUESTS, ELDERLY, VOLUNTEERS, VISITS,
                                                     MEETINGS, SERVICES_LEDGER, ROOMS_LEDGER)}
KINDS = tuple(LEDGERS)
# words of a file or sheet name that tell which ledger it holds, for a file that cannot be read
# (toolkit/domain/unread.py, docs/reliability.md). 老人/志愿者 often only qualify a log
# (老人巡访记录, 志愿者服务记录): when a log's word is there too, the log wins.
KIND_NAME_WORDS = {
    "requests": ("诉求",),
    "elderly": ("老人", "老年", "高龄", "独居"),
    "volunteers": ("志愿者",),
    "visits": ("巡访", "走访", "探访", "巡视"),
    "meetings": ("议事",),
    "services": ("服务记录", "服务台账", "服务登记", "助餐", "助浴", "助洁"),
    "rooms": ("活动室",),
}
QUALIFIER_KINDS = ("elderly", "volunteers")

# ---------------------------------------------------------------------------------------
# labels shown to people (zh, en)
KIND_LABELS = {k: (lg.title, lg.title_en) for k, lg in LEDGERS.items()}
SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}
URGENT_LABEL = ("紧急", "urgent")
STAGES = (0, 1, 2, 3, 4)
# requests: the fields whose being filled means a stage is reached (the first is the one R205
# names); a sheet with none of a stage's columns does not keep that stage (F004 "stage")
REQUEST_STAGE_FIELDS: dict[int, tuple[str, ...]] = {
    1: ("category", "classified"),
    2: ("assignee", "assigned"),
    3: ("resolved", "resolution"),
    4: ("replied", "reply_method", "satisfaction"),
}
STAGE_LABELS = {0: ("已登记", "registered"), 1: ("梳理分类", "classified"), 2: ("分派研究", "assigned"),
                3: ("跟踪解决", "resolved"), 4: ("答复反馈", "replied")}
TIERS = ("A", "B", "C")
TIER_LABELS = {"A": ("A级（独居高龄，或独居且失能/重残）", "tier A"), "B": ("B级（独居或有特殊困难）", "tier B"),
               "C": ("C级（其他在册老人）", "tier C")}
FOLLOWUP_TYPES = ("visit", "safety_check", "bp_recheck", "service", "request_assign",
                  "request_chase", "reply_callback", "council")
FOLLOWUP_LABELS = {"visit": ("上门巡访", "visit"), "safety_check": ("安全上门核查", "safety check"),
                   "bp_recheck": ("血压复查", "BP recheck"), "service": ("服务补派", "service"),
                   "request_assign": ("诉求分派", "assign request"),
                   "request_chase": ("诉求催办", "chase request"),
                   "reply_callback": ("答复回访", "reply callback"),
                   "council": ("议事会落实", "council follow-through")}
PRIORITIES = ("urgent", "high", "normal")
PRIORITY_LABELS = {"urgent": ("紧急", "urgent"), "high": ("优先", "high"), "normal": ("一般", "normal")}
UNASSIGNED_LABEL = ("未能派单", "unassigned")

# ---------------------------------------------------------------------------------------
# report indicators (docs/indicators.md): stable ASCII code -> (zh, en) label
INDICATOR_LABELS = {
    "REQ_RECEIVED": ("受理数", "requests received"),
    "REQ_RESOLVED": ("办结数", "requests resolved"),
    "REQ_RESOLVED_RATE": ("办结率（受理口径）", "resolution rate (of requests received)"),
    "REQ_ONTIME_RATE": ("按时办结率", "on-time resolution rate"),
    "REQ_RESPONSE_RATE": ("及时分派率", "classified and assigned in time"),
    "REQ_REPLY_RATE": ("答复率", "reply rate"),
    "REQ_SATISFIED_RATE": ("满意率", "satisfaction rate"),
    "REQ_UNSATISFIED": ("不满意数", "unsatisfied residents"),
    "REQ_OVERDUE_OPEN": ("超期未办结数", "overdue and not resolved"),
    "REQ_AVG_DAYS": ("平均办理时长（工作日）", "average handling time (working days)"),
    "CARE_REGISTERED": ("在册老人数", "residents on the register"),
    "CARE_ALONE": ("独居老人数", "residents living alone"),
    "CARE_OLD": ("高龄老人数（80岁及以上）", "residents aged 80 or over"),
    "CARE_DUE": ("应访人数", "residents due for a visit"),
    "CARE_ONTIME_RATE": ("按期探访率", "visited on schedule"),
    "CARE_OVERDUE": ("超期未访数", "residents overdue for a visit"),
    "CARE_BP_ABNORMAL": ("血压异常数", "residents with abnormal blood pressure"),
    "CARE_URGENT": ("紧急事项数", "urgent items"),
    "VOL_ACTIVE": ("在岗人数（旧口径，含家庭医生团队）", "active (old definition, with the doctors)"),
    "VOL_SERVICES": ("服务人次", "services delivered"),
    "VOL_HOURS": ("服务时长（小时）", "service hours"),
    "VOL_RATIO": ("重点老人与在岗人数比（旧口径）", "tier A/B per active (old definition)"),
    # services and rooms (issue #17)
    # not 服务人次 alone: that is VOL_SERVICES (visit rows); a pivot by 指标名称 would add the two
    "SVC_COUNT": ("物业+养老服务人次", "services delivered (物业+养老)"),
    "SVC_FEE_COMPLIANT_RATE": ("收费合规率", "fees within the published standard"),
    "SVC_UNSATISFIED": ("服务不满意数", "services rated unsatisfied"),
    "ROOM_UTIL_RATE": ("活动室利用率", "activity room utilisation (booked ÷ open hours)"),
    "ROOM_ACTIVITIES": ("活动场次", "activities held"),
    "ROOM_ATTENDANCE": ("参与人次", "attendance"),
    "ROOM_IDLE": ("闲置活动室数", "idle activity rooms (no booking in 30 days)"),
    "MTG_MEETINGS": ("议事会次数", "council meetings held"),
    "MTG_ITEMS": ("议题数", "council agenda items"),
    "MTG_TO_REQUEST_RATE": ("议题转诉求率", "agenda items registered as requests"),
    "MTG_FEEDBACK_RATE": ("议定事项反馈率", "council decisions reported back"),
    "DQ_ERRORS": ("问题数（错误，含工作问题）", "findings: errors (work and data)"),
    "DQ_WARNINGS": ("问题数（警告，含工作问题）", "findings: warnings (work and data)"),
}
# --- second wave (issue #15, docs/indicators.md): a changed definition takes a new code, so a
# merge never adds an old report's value to a new one. VOL_ACTIVE and VOL_RATIO are retired
# (they counted the 家庭医生团队 as volunteers): new reports carry VOL_ON_DUTY, VOL_KEY_RATIO.
INDICATOR_LABELS.update({
    "CUTOFF": ("统计截止日", "cut-off day"),
    "REQ_CLOSED_DUE_RATE": ("办结率（应办结口径）", "resolution rate (of requests due)"),
    "REQ_SOLVED_RATE": ("解决率", "solved rate (of resolved requests with 是否解决)"),
    "REQ_SOLVED": ("已解决数", "resolved and solved"),
    "REQ_PARTLY_SOLVED": ("部分解决数", "resolved, partly solved"),
    "REQ_NOT_SOLVED": ("未解决数", "resolved but not solved"),
    "REQ_FIRST_CONTACT_RATE": ("响应率（先行联系口径）", "response rate (first contact in time)"),
    "REQ_BY_SOURCE": ("按来源受理数", "requests received by source"),
    "REQ_REPEAT": ("重复诉求数", "possible repeat requests (R210)"),
    "REQ_REOPENED": ("重办数", "requests reopened (重办)"),
    "CARE_KEY_VISIT_RATE": ("特殊困难老人月探访率", "tier A/B visited this calendar month"),
    "CARE_AGE_60_79": ("60–79岁老人数", "residents aged 60-79"),
    "CARE_AGE_80_89": ("80–89岁老人数", "residents aged 80-89"),
    "CARE_AGE_90_99": ("90–99岁老人数", "residents aged 90-99"),
    "CARE_AGE_100": ("百岁及以上老人数", "residents aged 100 or over"),
    "CARE_DISABLED": ("失能老人数", "residents with 失能"),
    "CARE_LOW_INCOME": ("低保/低收入老人数", "residents with 低保 or 低收入"),
    "CARE_FAMILY_PLANNING": ("计生特殊家庭老人数", "residents of 计生特殊家庭"),
    "CARE_HOME_VISITS": ("上门巡访人次", "home visits"),
    "CARE_PHONE_CALLS": ("电话问候人次", "phone calls"),
    "CARE_BP_MEASURED": ("量血压人次", "blood-pressure readings"),
    "CARE_BP_ABNORMAL_VISITS": ("血压异常人次", "abnormal blood-pressure readings"),
    "CARE_MEDS": ("代配药人次", "medicine fetched (代配药)"),
    "CARE_MEALS": ("助餐人次", "meal help (助餐)"),
    "CARE_CLEANING": ("助洁人次", "cleaning help (助洁)"),
    "CARE_ESCORT": ("助医人次", "medical escort (助医)"),
    "CARE_WASTE": ("垃圾投放人次", "rubbish taken out (垃圾投放)"),
    "VOL_ON_DUTY": ("在岗志愿者数（不含家庭医生团队）", "active volunteers (without the family-doctor team)"),
    "VOL_DOCTORS": ("家庭医生团队在岗人数", "family-doctor team members active"),
    "VOL_KEY_RATIO": ("重点老人与在岗志愿者比", "tier A/B residents per active volunteer"),
    "WORK_ERRORS": ("工作问题数（错误）", "work problems: errors"),
    "WORK_WARNINGS": ("工作问题数（警告）", "work problems: warnings"),
    "DATA_ERRORS": ("台账数据错误数", "ledger data errors"),
    "DATA_WARNINGS": ("台账数据警告数", "ledger data warnings"),
})
CUTOFF_CODE = "CUTOFF"                           # the 指标 sheet's text row (统计截止日)
RETIRED_INDICATORS = ("VOL_ACTIVE", "VOL_RATIO")   # old reports only; merge still reads them
ESTATE_GROUP = "小区："                          # group prefix of a by-小区 breakdown
NO_SOURCE_LABEL = ("未填来源", "no source")
# finding families (rules.md): work not done vs the ledger itself wrong (H: the ledger changed)
WORK_FAMILIES = ("R", "C", "V", "M", "P", "U")
DATA_FAMILIES = ("F", "D", "S", "H")
INDICATOR_GROUP_ALL = ""                       # the whole community (no breakdown)
UNCLASSIFIED_LABEL = ("未分类", "not classified")
# the town report's one group for every 类别/来源/服务项目 typed outside the lists (free text:
# may hold any name, phone or address, known to the ledgers or not)
UNLISTED_LABEL = ("清单外", "not on the list")
OTHER_KIND_LABEL = ("其他（文件/设置）", "other (files/settings)")
REPORT_LABELS = {                              # headers of the town report / summary
    "committee": ("居委名称", "Residents' committee"), "town": ("所属街镇", "Town"),
    "period": ("报送周期", "Period"), "reporter": ("填报人", "Reported by"),
    "report_date": ("填报日期", "Report date"), "code": ("代码", "code"),
    "group": ("分组", "group"), "name": ("指标", "indicator"), "value": ("数值", "value"),
    "numerator": ("分子", "numerator"), "denominator": ("分母", "denominator"),
    "community": ("居委", "community"),
}
INDICATOR_SHEET = "指标"
# columns of the machine-readable 指标 sheet of 镇报送表.xlsx (read back by ``shequ merge``)
INDICATOR_COLUMNS = ("code", "group", "name", "value", "numerator", "denominator", "period",
                     "community")
# the 指标 sheet's headers (Chinese; the codes stay in the 代码 column). Reports written before
# the headers were Chinese carry the keys themselves as headers; the reader accepts both.
INDICATOR_HEADERS = {"code": "代码", "group": "分组", "name": "指标名称", "value": "数值",
                     "numerator": "分子", "denominator": "分母", "period": "统计周期",
                     "community": "居委名称"}

# file names in a workspace
SETTINGS_FILE = "设置.xlsx"
# a folder named like a 居委 is a community of a town folder even without its own 设置.xlsx
# (pipeline.community_folders); 村 is left out: 曹杨新村 is as often a 小区 as a 居委
COMMUNITY_FOLDER_ENDINGS = ("居民区", "居委会", "居委", "社区")
REPORTS_DIR = "报表"
STATE_DIR = ".shequ"
STAFF_REPORT = "周检查报告.xlsx"
WORK_ORDERS = "跟进派单.xlsx"
TOWN_REPORT = "镇报送表.xlsx"
TOWN_SUMMARY = "镇汇总.xlsx"
RUN_JSON = "run.json"

# the tool's own output workbooks (周检查报告, 跟进派单, 镇报送表, 镇汇总, annotated copies) carry
# OUTPUT_MARKER in their document properties (keywords), which survive a rename, a copy and a
# save in Excel/WPS: the reader skips them wherever they are saved (F003 own_output), never
# taking a report's sheets for ledgers. Outputs written before the marker existed are known by
# their author and a report title; our blank ledgers (same author, a ledger's title) are ledgers.
OUTPUT_MARKER = "shequ-output"
# ``merge --csv`` (镇汇总.csv) has no document properties: its header row, stable for the
# automation that reads it, is what marks it as an output (F003 own_output)
TOWN_CSV_COLUMNS = ("代码", "分组", "指标", "数值", "分子", "分母", "报送周期", "统计截止日", "居委",
                    "报告居委数")
OUTPUT_AUTHOR = "shequ 社区台账助手"
OUTPUT_TITLES = ("周检查报告", "跟进派单", "社区工作报送表", "镇汇总", "Weekly check report",
                 "Work orders", "Community report to the town office", "Town summary")
STAFF_README = "使用说明.txt"


# blank ledgers in a workspace (shequ init) and in templates/ (shequ template)
LEDGER_FILES = {"requests": "诉求台账.xlsx", "elderly": "老年人台账.xlsx",
                "volunteers": "志愿者名册.xlsx", "visits": "巡访记录.xlsx",
                "meetings": "议事会记录.xlsx",
                "services": "服务记录.xlsx", "rooms": "活动室使用登记.xlsx"}
SETTINGS_KIND = "settings"
TEMPLATE_KINDS = KINDS + (SETTINGS_KIND,)
TEMPLATE_FILES = {**LEDGER_FILES, SETTINGS_KIND: SETTINGS_FILE}

# ---------------------------------------------------------------------------------------
# template labels: the 填写说明 sheet, input hints and error messages of blank ledgers
GUIDE_SHEET = "填写说明"
OPTIONS_SHEET = "下拉选项"          # hidden; only when a dropdown list is too long to inline
GUIDE_HEADERS = ("列名", "是否必填", "类型", "可选值", "说明", "示例")
BOOL_CHOICES = (TRUE_WORDS[0], FALSE_WORDS[0])     # 是 / 否
REQUIRED_LABELS = {ALWAYS: "必填", CONDITIONAL: "视情况填写", OPTIONAL: "选填"}
TYPE_LABELS = {TEXT: "文本", DATE: "日期", INT: "整数", NUMBER: "数字", PHONE: "电话号码",
               IDNUM: "身份证号", BOOL: "是/否", ENUM: "下拉选择", MULTI: "可多选（用、分隔）",
               BP: "血压（收缩压/舒张压）", DAYS: "星期（如 周一至周五）",
               MONEY: "金额（元）", TIME: "时间（如 09:00）", TIME_RANGE: "时段（如 09:00-11:00）",
               COUNT: "数字"}
TYPE_HINTS = {
    TEXT: "填写文字。",
    DATE: "填写日期，如 2026-11-03。",
    INT: "填写整数。",
    NUMBER: "填写数字，可带小数。",
    COUNT: "填写数字，可带小数。",
    PHONE: "11位手机号或8位固定电话（可带021-）。本列已设为文本格式。",
    IDNUM: "18位身份证号。本列已设为文本格式，末几位不会丢失。",
    BOOL: "从下拉列表选择 是 或 否。",
    ENUM: "从下拉列表选择。",
    MULTI: "可从下拉列表选一项；多项用、分隔直接输入。",
    BP: "收缩压/舒张压，如 135/85。",
    DAYS: "如 周一至周五、周二、周四、工作日、周末、每天。",
    MONEY: "填写金额（元），可带两位小数；免费留空。",
    TIME: "填写时间，如 09:00。",
    TIME_RANGE: "如 09:00-11:00、9:00～11:30、上午、下午、晚上、全天。",
}
MULTI_FREE_HINT = "多项用、分隔。"          # a multi column with no dropdown list (参会人员)
TYPE_ERRORS = {DATE: "请填写真实日期，如 2026-11-03。", INT: "请填写不小于0的整数。",
               NUMBER: "请填写不小于0的数字。", COUNT: "请填写不小于0的数字。",
               MONEY: "请填写不小于0的金额。", BOOL: "请选择 是 或 否。", ENUM: "请从下拉列表中选择。"}
ERROR_TITLE = "输入有误"
PRINT_FOOTER = "&C第 &P 页，共 &N 页"          # xlsxwriter/Excel page-number codes
# the reports' page footer: 居委名称 left, page numbers centre, as-of date right
PAGE_NUMBER_LABEL = ("第 &P 页 / 共 &N 页", "page &P of &N")
# a sheet handed to one person (a work order): its own pages, counted from 1, with no total —
# &N counts the whole workbook when it is printed or exported at once (第 3 页 / 共 10 页)
OWN_PAGE_LABEL = ("第 &P 页", "page &P")
AS_OF_LABEL = ("检查日期", "as of")
LIST_WARNING = "不在下拉列表中。如确需新增，请在设置.xlsx中补充该选项。"
LIST_SUGGESTION = "不在下拉列表中；多项请用、分隔。如确认无误，点“确定”保留。"
FREE_ESTATE_HINT = ("填写小区名称。要下拉列表：先在设置.xlsx的“小区”表中列出小区，再运行 "
                    "shequ template 种类 --settings 设置.xlsx 重新生成空白台账。")
GUIDE_KIND_NOTES = {   # extra lines at the top of a ledger's 填写说明 (a council secretary's words)
    "meetings": (
        "每次议事会开完，按议题一行一行登记：会议日期、会议名称、参会人员只在这次会议的第一行填写，下面几行留空即可（合并单元格也可以）。",
        "居民在会上提出的诉求，会后5个工作日内要登记进诉求台账，并把诉求编号填回“诉求编号”列；不是诉求的议题（如政策通报）填“不涉及”或“通报”。",
        "会上商定了要做的事，写在“议定事项”，并写明落实人；落实情况最迟在下一次议事会上向居民通报，填写反馈日期和反馈情况。",
        "程序每周会检查：没登记的议题、没有落实人或没有反馈的议定事项，按会议列进“议事会落实”派单交给记录人；上一个周期（默认上个月）没开会只在检查结果里提示，不派单。",
    ),
}
GUIDE_FOOTNOTES = (
    "表头为红色的列为必填项；“视情况填写”的列在办理到对应环节、或对应的老人时需要填写。",
    "请不要修改第1行的列名；可以增加自己的列，程序会忽略不认识的列。",
    "日期按 2026-11-03 的格式填写；电话、身份证号列已设为文本格式，请直接输入。",
)

# ---------------------------------------------------------------------------------------
# settings workbook labels (设置.xlsx, spec/settings.md). The writer
# (toolkit.report.templates) and the reader (toolkit.read.settings) both use these.
SET_BASIC, SET_ESTATES, SET_CATEGORIES, SET_LIMITS = "基本信息", "小区", "诉求类别", "办理时限"
SET_INTERVALS, SET_THRESHOLDS, SET_DUTY = "巡访频次", "阈值", "值班人员"
SET_HOLIDAYS, SET_REPORTING = "节假日", "报送"
SET_COUNCIL = "议事会"
SETTINGS_SHEETS = (SET_BASIC, SET_ESTATES, SET_CATEGORIES, SET_LIMITS, SET_INTERVALS,
                   SET_THRESHOLDS, SET_DUTY, SET_HOLIDAYS, SET_REPORTING, SET_COUNCIL)
# item sheets (基本信息, 办理时限, 阈值, 报送): column A 项目, B 值, C 说明; rows found by label
SET_ITEM, SET_VALUE, SET_NOTE = "项目", "值", "说明"
SET_HEADER_ROW = "表头"              # names a table sheet's header cell in S501 messages
# (row label, Settings attribute, note)
SET_BASIC_ROWS = (
    ("居委名称", "committee", "如 莘泽居民区"),
    ("所属街镇", "town", "如 莘庄镇"),
    ("填报人", "reporter", "报送表上的填报人"),
    ("联系电话", "reporter_phone", "报送表上的联系电话"),
    ("周检查时间", "schedule", "shequ schedule 每周自动检查的时间，如 周一 08:30"),
)
SET_LIMIT_ROWS = (
    ("分类时限", "classify_days", "登记后几个工作日内梳理分类"),
    ("分派时限", "assign_days", "分类后几个工作日内分派"),
    ("答复时限", "reply_days", "办结后几个工作日内答复居民"),
    ("先行联系时限", "first_contact_days", "登记后几个工作日内先行联系居民（响应率用）"),
)
SET_THRESHOLD_ROWS = (
    ("高血压收缩压", "bp_high_sys", "收缩压达到此值算偏高（mmHg）"),
    ("高血压舒张压", "bp_high_dia", "舒张压达到此值算偏高（mmHg）"),
    ("高龄高血压收缩压", "bp_high_sys_old", "达到高龄年龄的老人，收缩压达到此值算偏高（mmHg）"),
    ("高龄年龄", "old_age", "达到此年龄算高龄：独居高龄老人为A级，血压按高龄标准判断"),
    ("危急收缩压", "bp_critical_sys", "收缩压达到此值算危急（mmHg）"),
    ("危急舒张压", "bp_critical_dia", "舒张压达到此值算危急（mmHg）"),
    ("低血压收缩压", "bp_low_sys", "收缩压低于此值算偏低（mmHg）"),
    ("低血压舒张压", "bp_low_dia", "舒张压低于此值算偏低（mmHg）"),
    ("志愿者每周上限", "volunteer_weekly_cap", "名册未填每周上限时，每名志愿者每周最多服务次数"),
    ("每名志愿者结对上限", "volunteer_pair_cap", "每名志愿者最多结对几位老人"),
)
SET_REPORTING_ROWS = (
    ("脱敏", "mask", "报送给镇里的表是否隐去姓名、电话、身份证号：是/否"),
    ("报送周期", "period", "周 或 月"),
)
SET_COUNCIL_ROWS = (
    ("议事会频次", "council_frequency", "每月、每两月 或 每季度：多久至少开一次居民议事会"),
    ("登记时限(工作日)", "council_register_days", "会后几个工作日内把议题登记进诉求台账"),
    ("记录人", "council_recorder", "负责会议记录、跟进落实的工作人员；留空则派给值班人员"),
)
COUNCIL_FREQUENCIES = {"每月": "month", "每两月": "bimonth", "每季度": "quarter"}
COUNCIL_FREQUENCY_ALIASES = {"月": "每月", "每个月": "每月", "按月": "每月", "每1月": "每月",
                             "两月": "每两月", "每两个月": "每两月", "双月": "每两月", "每2月": "每两月",
                             "季度": "每季度", "每季": "每季度", "按季度": "每季度", "每个季度": "每季度"}
# table sheets: header row 1, one item a row; the 说明 column holds a hint
SET_ESTATE_HEADERS = ("小区",)
SET_CATEGORY_HEADERS = ("类别", "默认责任人", "跟进人", "办理时限(工作日)")
SET_INTERVAL_HEADERS = ("等级", "条件", "间隔天数")
SET_DUTY_HEADERS = ("姓名", "电话", "值班日")
SET_HOLIDAY_HEADERS = ("日期", "类型")
# Labels and headers are compared as ledger headers are (read.headers.normalise_header: no
# spaces, full/half width alike, trailing marks such as （岁）(工作日)（天） dropped), so
# 高龄年龄（岁） is 高龄年龄 and 办理时限（天） is 办理时限(工作日). Below: other words staff write
# for the same row or column (canonical label -> aliases).
SET_LABEL_ALIASES = {
    "居委名称": ("居委会名称", "居民区名称", "社区名称"),
    "周检查时间": ("每周检查时间", "检查时间"),
    "脱敏": ("是否脱敏",),
    "登记时限(工作日)": ("议题登记时限",),
}
SET_HEADER_ALIASES = {
    "类别": ("诉求类别", "类别名称"),
    "默认责任人": ("责任人", "责任单位"),
    "办理时限(工作日)": ("时限", "办理天数"),
    "等级": ("巡访等级", "老人等级"),
    "条件": ("巡访条件", "适用条件"),
    "间隔天数": ("间隔", "巡访间隔", "巡访间隔天数", "间隔时间"),
    "值班日": ("值班时间", "值班"),
    "电话": ("联系电话", "手机", "手机号", "手机号码"),
}
SET_INFO_HEADERS = ("条件",)        # table columns the reader does not use (notes for staff)
SET_NOTE_WORDS = ("说明", "备注", "序号")   # note columns/rows never read and never questioned
TIER_CONDITIONS = {"A": "独居且年龄达到高龄年龄（默认80岁），或独居且失能/重残",
                   "B": "独居，或有任何特殊困难", "C": "其他在册老人"}
HOLIDAY_TYPES = {"休": False, "班": True}          # 休 = day off, 班 = working day (调休)
HOLIDAY_TYPE_ALIASES = {"放假": "休", "休息": "休", "假": "休", "上班": "班", "补班": "班",
                        "调休上班": "班"}
# A year the built-in calendar does not know counts as given by 节假日 only when it lists a 休
# day in each of these windows (name, first, last (month, day)): one row is not a year's holidays
MAIN_HOLIDAYS = (("元旦", (1, 1), (1, 3)), ("春节", (1, 20), (2, 28)), ("国庆", (10, 1), (10, 8)))
PERIODS = {"周": "week", "月": "month"}
PERIOD_ALIASES = {"每周": "周", "每月": "月", "按周": "周", "按月": "月"}
WEEKDAY_ALIASES = {"星期一": 0, "星期二": 1, "星期三": 2, "星期四": 3, "星期五": 4, "星期六": 5,
                   "星期日": 6, "星期天": 6, "周天": 6, "礼拜一": 0, "礼拜二": 1, "礼拜三": 2,
                   "礼拜四": 3, "礼拜五": 4, "礼拜六": 5, "礼拜天": 6, "礼拜日": 6}
SET_SHEET_HINTS = {
    SET_ESTATES: "每行填写一个小区名称。留空表示不限制小区（台账中的小区名都接受）。",
    SET_CATEGORIES: "诉求类别列表（台账“类别”列的下拉选项）。默认责任人是办理的人（可以是物业或职能部门）；"
                     "跟进人是居委负责分派和催办该类别的工作人员，留空由值班人员跟进。办理时限留空表示该类别不设时限。",
    SET_INTERVALS: "每级老人多少天内至少巡访一次。",
    SET_DUTY: "负责答复回访的工作人员。值班日如 周一、周三，或 工作日、每天；工作日按法定节假日和调休；留空表示工作日。",
    SET_HOLIDAYS: "程序已内置国家法定节假日。只需补充尚未公布的年份或本地调整：类型填 休（放假）或 班（调休上班）。",
}
SET_BAD_VALUE = {   # what a good value looks like, for S501 messages (zh, en)
    "int": ("正整数", "a positive whole number"),
    "bool": ("是 或 否", "是 or 否"),
    "schedule": ("如 周一 08:30", "like 周一 08:30"),
    "days": ("如 周一、周三，或 工作日、每天", "like 周一、周三, 工作日 or 每天"),
    "date": ("日期，如 2026-10-01", "a date like 2026-10-01"),
    "holiday_type": ("休 或 班", "休 or 班"),
    "period": ("周 或 月", "周 or 月"),
    "council_frequency": ("每月、每两月 或 每季度", "每月, 每两月 or 每季度"),
    "tier": ("A、B 或 C", "A, B or C"),
    "time": ("时间，如 08:30", "a time like 08:30"),
    "unit": ("次、份 或 小时", "次, 份 or 小时"),
    "money": ("金额，如 12 或 12.50", "an amount like 12 or 12.50"),
    "time_range": ("时段，如 08:30-11:30、13:30-20:30", "time ranges like 08:30-11:30、13:30-20:30"),
    "text": ("文字", "text"),
    "day_count": ("天数，如 7", "a number of days like 7"),
    "workday_count": ("工作日天数，如 5", "a number of working days like 5"),
}

# --- settings sheets 收费标准 and 活动室 (issue #17) -------------------------------------
SET_FEES, SET_ROOMS = "收费标准", "活动室"
SET_FEE_HEADERS = ("服务项目", "服务单位", "计价单位", "标准价(元)", "公示日期")
SET_ROOM_HEADERS = ("名称", "小区", "别名", "开放日", "开放时间", "容纳人数")
SET_SHEET_HINTS[SET_FEES] = ("公示的收费标准。服务单位留空表示所有单位适用；计价单位填 次、份 或 小时；"
                             "公示日期之后的服务按该标准核对。没有本表时不核对收费。")
SET_SHEET_HINTS[SET_ROOMS] = ("活动室名单。别名用、分隔；开放日如 每天、工作日、周二至周日；开放时间如 "
                              "08:30-11:30、13:30-20:30（留空为08:30-20:30）；容纳人数留空不核对。")
SETTINGS_SHEETS = SETTINGS_SHEETS + (SET_FEES, SET_ROOMS)
# 时段 words (ledgers.md "time range"), minutes after midnight; 全天 = the room's opening hours
TIME_WORDS = {"上午": (510, 690), "下午": (810, 1020), "晚上": (1110, 1230)}
ALL_DAY_WORD = "全天"
DEFAULT_OPEN_HOURS = ((510, 1230),)            # 08:30-20:30


def label(pair: tuple[str, str], lang: str = "zh") -> str:
    """Pick the language from a (zh, en) label pair."""
    return pair[1] if lang == "en" else pair[0]
