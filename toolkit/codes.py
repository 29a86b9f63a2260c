"""Catalogue of finding codes (spec/rules.md): severity, urgency, title, default fix, and the
message (and fix) templates a finding is rendered from.

Codes never change meaning; a new rule takes a new code here. S5xx codes (settings and
calendar) are this project's addition: settings.md asks for findings that rules.md does not
number.

Adding a rule (the whole rule-author API)
-----------------------------------------
1. A row in ``_ALL`` below: ``_c("C312", "warning", title_zh, title_en, fix_zh, fix_en)``.
2. Its templates in ``TEMPLATES`` (and ``FIX_TEMPLATES`` when the fix names facts): one
   ``(zh, en)`` pair per variant, ``str.format`` fields named after the params::

       "C312": {"": ("{resident}的{what}已{days}天未更新", "{id}: {what} not updated for {days} days")},

   Several messages for one code? Name them: ``{"": (…), "never": (…)}`` and pass
   ``variant="never"``.
3. The rule yields ``finding(code, record=…, key=…, params={…})``::

       @rule("C312")
       def stale(ctx: Context) -> Iterable[Finding]:
           for r in ctx.ledger("elderly"):
               yield finding("C312", record=r, key="phone", about=r,
                             params={"resident": who(r), "id": r.id, "what": "电话", "days": 90})

   ``record``/``key`` locate the finding (file, sheet, row, column, the cell's raw value);
   ``about`` is the record it is about when that is another one (a visit row's resident);
   ``params`` are the facts (a phrase that differs by language, e.g. “未填写” / “not given”, is
   a ``Text`` param: each language's template gets its own). The message is rendered from the template when output asks for
   a language (``finding.message.get("en")``), so later stages read ``finding.params`` —
   never the message text.

Templates are checked by tests/test_codes.py: every field a template names must be given.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from toolkit.text import Text, one_line

MAX_MESSAGE_CHARS = 1000  # last guard: a message quoting a huge cell never exceeds this


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    title: Text
    fix: Text
    urgent: bool = False

    def message(self, params: Mapping[str, Any], variant: str | None = None) -> "Message":
        """The finding message of ``params`` (rendered when a language is asked for)."""
        if (variant or "") not in TEMPLATES.get(self.code, {}):
            raise KeyError(f"{self.code} has no message template {variant or ''!r} in codes.py")
        return Message(self.code, TEMPLATES, variant or "", params)

    def fix_message(self, params: Mapping[str, Any], variant: str | None = None) -> "Text | Message":
        """The fix: the code's fix template for ``variant`` when it has one, else ``fix``."""
        fixes = FIX_TEMPLATES.get(self.code, {})
        if (variant or "") in fixes:
            return Message(self.code, FIX_TEMPLATES, variant or "", params)
        return self.fix


def localised(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """``params`` with every phrase (a ``Text`` or ``Message``) in ``lang``."""
    view = _Localised(params, lang)
    return {k: view[k] for k in params}


class _Localised:
    """``params`` seen in ``lang``: a phrase (a ``Text`` or ``Message``) gives its text in
    ``lang``, a text its one-line form (``text.one_line``: a cell's line breaks never break a
    message in the console, run.json or a report cell), anything else itself. A view for
    ``str.format_map``: only the fields a template names are looked up, with no copy of the
    params — a town renders ~30,000 messages."""
    __slots__ = ("_params", "_lang")

    def __init__(self, params: Mapping[str, Any], lang: str):
        self._params, self._lang = params, lang

    def __getitem__(self, key: str) -> Any:
        value = self._params[key]
        if type(value) is str:
            return one_line(value)
        return value.get(self._lang) if isinstance(value, (Text, Message)) else value


class _Rendered:
    """``zh``, ``en``, equality and hash of a message rendered by ``get(lang)``: equal to a
    ``Text``, ``Message`` or ``Joined`` with the same two texts."""
    __slots__ = ()

    def get(self, lang: str = "zh") -> str:
        raise NotImplementedError

    @property
    def zh(self) -> str:
        return self.get("zh")

    @property
    def en(self) -> str:
        return self.get("en")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (_Rendered, Text)):
            return (self.zh, self.en) == (other.zh, other.en)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.zh, self.en))


class Message(_Rendered):
    """A template of this module with its params; ``get(lang)`` renders it (zh or en).

    Behaves like ``Text`` (``get``, ``zh``, ``en``); equal when the rendered texts are."""
    __slots__ = ("code", "_table", "variant", "params")

    def __init__(self, code: str, table: dict, variant: str, params: Mapping[str, Any]):
        self.code, self._table, self.variant, self.params = code, table, variant, params

    def get(self, lang: str = "zh") -> str:
        zh, en = self._table[self.code][self.variant]
        text = (en if lang == "en" else zh).format_map(_Localised(self.params, lang))
        return text[:MAX_MESSAGE_CHARS] + "…" if len(text) > MAX_MESSAGE_CHARS else text

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {self.variant!r}, {dict(self.params)!r})"

    def __reduce__(self):
        # pickled (a town's worker sending its findings) by the table's name, not the table:
        # each community's answer would otherwise carry, and the parent keep, its own copy
        # of every template (~35 KB each)
        name = next((n for n, table in _TABLES.items() if table is self._table), None)
        return (_message, (self.code, name or self._table, self.variant, self.params))


def _message(code: str, table: "str | dict", variant: str, params: Mapping[str, Any]) -> Message:
    """A pickled ``Message`` again (``Message.__reduce__``): ``table`` by name or as itself."""
    return Message(code, _TABLES[table] if isinstance(table, str) else table, variant, params)


class Joined(_Rendered):
    """Two messages as one (a finding's message with a sentence added, e.g. the F001 of a file
    the rules had to do without: ``toolkit.check.explain_unread``). Behaves like ``Message``."""
    __slots__ = ("first", "then")

    def __init__(self, first: "Text | Message | Joined", then: "Text | Message"):
        self.first, self.then = first, then

    def get(self, lang: str = "zh") -> str:
        first, then = self.first.get(lang).rstrip(), self.then.get(lang)
        if lang == "en":
            text = (first if first.endswith((".", "!", "?")) else first + ".") + " " + then
        else:
            text = (first if first.endswith(("。", "！", "？")) else first + "。") + then
        return text[:MAX_MESSAGE_CHARS] + "…" if len(text) > MAX_MESSAGE_CHARS else text

    def __repr__(self) -> str:
        return f"Joined({self.first!r}, {self.then!r})"

    def __reduce__(self):
        return (Joined, (self.first, self.then))


def _c(code, severity, title_zh, title_en, fix_zh, fix_en, urgent=False):
    return Code(code, severity, Text(title_zh, title_en), Text(fix_zh, fix_en), urgent)


_ALL = (
    # F — files and sheets
    _c("F001", "error", "文件无法读取", "file cannot be read",
       "用 Excel/WPS 打开该文件另存为 .xlsx 后再运行；若不是台账文件，请移出台账文件夹",
       "open the file in Excel/WPS and save it as .xlsx, or move it out of the ledger folder"),
    _c("F002", "error", "文件设置了打开密码", "file is password-encrypted",
       "在 Excel/WPS 中取消打开密码（文件→信息→保护工作簿）后另存",
       "remove the open password in Excel/WPS and save again"),
    _c("F003", "warning", "没有工作表能对应任何台账", "no sheet matches any ledger",
       "不是台账的文件可不理会（或移出台账文件夹）；若是台账，检查表头是否在前10行、是否与模板一致，可用 shequ template 生成标准模板",
       "a file that is no ledger can be left alone (or moved out of the folder); for a ledger, "
       "check the header is within the first 10 rows and matches the template"),
    _c("F004", "error", "台账缺少必需的列", "ledger sheet lacks a required column",
       "在表头中补上该列（名称可参照模板）", "add the column to the header (see the template)"),
    _c("F005", "warning", "两列对应同一项目（表头重复）", "two columns map to the same field",
       "删除或改名其中一列；程序只读取第一列", "delete or rename one of them; only the first is read"),
    _c("F006", "info", "未识别的列，已忽略", "column not recognised and ignored",
       "如需读取，请改用模板中的列名", "rename it as in the template if it should be read"),
    _c("F007", "warning", "公式单元格没有计算结果", "formula cell without a cached value",
       "用 Excel/WPS 打开该文件并保存一次，让公式算出结果",
       "open and save the file once in Excel/WPS so formulas get values"),
    _c("F008", "info", "文件正被 Excel/WPS 打开", "file is open in Excel/WPS right now",
       "读到的是上次保存的内容；请保存并关闭后再运行",
       "the last saved version was read; save and close it, then run again"),
    _c("F009", "error", "文件超出安全限制，未读取", "file exceeds safety limits",
       "文件异常（解压后过大、条目过多或含异常内容）；请重新导出或另存后再试",
       "the file looks abnormal; export or save it again"),
    _c("F010", "info", "旧格式或特殊格式，已处理", "legacy or unusual format handled",
       "建议另存为 .xlsx", "consider saving it as .xlsx"),
    _c("F011", "warning", "公式结果是错误值", "formula shows an error value",
       "在 Excel/WPS 中检查该单元格的公式（引用的单元格可能被删除）", "check the cell's formula in Excel/WPS"),
    # D — data quality
    _c("D101", "error", "必填项为空", "a required value is empty", "补填该项", "fill in the value"),
    _c("D102", "error", "日期无法识别或不存在", "date cannot be read or does not exist",
       "按 2026-11-03 的格式填写真实日期", "write a real date like 2026-11-03"),
    _c("D103", "warning", "日期晚于检查日期", "date lies after the as-of date",
       "核对日期是否填错（年份、月份）", "check the date (year, month)"),
    _c("D104", "warning", "电话号码格式不对", "phone number malformed",
       "填写11位手机号或8位固定电话（可带021-）", "write an 11-digit mobile or an 8-digit landline"),
    _c("D105", "error", "身份证号不正确", "resident ID malformed",
       "核对18位身份证号；单元格先设为“文本”格式再输入，避免末几位变成0",
       "check the 18-character ID; format the cell as text before typing it"),
    _c("D106", "warning", "身份证号与出生日期/性别/年龄不一致", "ID disagrees with birth date, gender or age",
       "核对身份证号和出生日期、性别、年龄", "check the ID against birth date, gender and age"),
    _c("D107", "error", "编号重复", "the same id appears on two rows",
       "给其中一行换一个新编号（编号不能重复）", "give one of the rows a new id"),
    _c("D108", "warning", "疑似同一人登记了两次", "probably the same person twice",
       "核对两行是否同一人，合并为一行", "check whether both rows are one person and merge them"),
    _c("D109", "warning", "填写的值不在可选范围内", "value not in the allowed list",
       "改为问题说明中列出的可选值之一", "write one of the accepted values the message lists"),
    _c("D110", "error", "引用的人找不到", "a reference points at nothing",
       "核对编号或姓名是否与老年人台账/志愿者名册一致", "check the id or name against the ledgers"),
    _c("D111", "warning", "数值超出合理范围", "number out of range",
       "核对数值（年龄、血压、时长）", "check the number (age, blood pressure, hours)"),
    _c("D112", "info", "已统一格式", "values were normalised",
       "无需处理；今后可按标准格式填写", "nothing to do; use the standard spelling next time"),
    # R — request closed loop
    _c("R201", "warning", "诉求登记后未及时梳理分类", "request not classified in time",
       "填写类别和分类日期", "fill in category and classification date"),
    _c("R202", "warning", "诉求分类后未及时分派", "request classified but not assigned",
       "填写责任人和分派日期", "fill in assignee and assignment date"),
    _c("R203", "error", "诉求超过办理时限仍未办结", "request past its due date and not resolved",
       "催办责任人，办结后填写办结日期和办理结果", "chase the assignee; fill in the resolution when done"),
    _c("R204", "error", "诉求已办结但未答复居民（闭环未完成）", "resolved but the resident has had no reply",
       "联系居民答复办理结果，填写答复日期、答复方式和满意度",
       "reply to the resident and fill in reply date, method and satisfaction"),
    _c("R205", "error", "后一环节已填写而前一环节为空", "a later stage is filled while an earlier one is empty",
       "补填前一环节（分类/分派/办结）的内容", "fill in the earlier stage"),
    _c("R206", "error", "各环节日期先后顺序不对", "stage dates out of order",
       "核对日期：登记≤分类≤分派≤办结≤答复", "check dates: received ≤ classified ≤ assigned ≤ resolved ≤ replied"),
    _c("R207", "warning", "填写的状态与实际进度不符", "written status contradicts the filled fields",
       "更正状态，或补填对应环节", "correct the status or fill in the stage"),
    _c("R208", "warning", "已分派但没有办理时限", "assigned without a due date",
       "填写办理时限，或在设置.xlsx的诉求类别中填写时限",
       "fill in the due date or set a category limit in 设置.xlsx"),
    _c("R209", "error", "居民不满意，诉求未重办", "resident unsatisfied and the request not reopened",
       "将状态改为“重办”并重新办理、再次答复", "set status 重办, handle it again and reply again"),
    _c("R210", "info", "疑似重复诉求", "possible repeat request",
       "核对是否同一问题，可合并办理", "check whether it is the same issue and handle them together"),
    _c("R211", "info", "诉求即将到期", "request due within 2 working days",
       "提醒责任人按时办结", "remind the assignee"),
    # C — elderly care
    _c("C301", "warning", "超期未巡访", "visit overdue", "尽快安排上门巡访并记录", "arrange a visit and log it"),
    _c("C302", "error", "重点老人从未巡访", "tier A/B resident never visited",
       "尽快安排上门巡访并记录", "arrange a first visit and log it"),
    _c("C303", "warning", "重点老人没有结对志愿者", "tier A/B resident without a paired volunteer",
       "在老年人台账中填写结对志愿者", "pair a volunteer in the elderly ledger"),
    _c("C304", "warning", "结对志愿者不在岗", "paired volunteer not active",
       "为老人重新结对一名在岗志愿者", "pair an active volunteer"),
    _c("C305", "warning", "血压异常且7天内未复查", "abnormal blood pressure not rechecked within 7 days",
       "安排志愿者或家庭医生上门复查血压", "arrange a blood-pressure recheck"),
    _c("C306", "error", "血压危急", "critical blood pressure",
       "今天联系家庭医生上门，必要时送医", "contact the family doctor today", urgent=True),
    _c("C307", "error", "敲门无应答后一直未见到老人", "last visit unanswered and nobody has seen the resident since",
       "立即联系紧急联系人并上门核查", "call the emergency contact and check at the door now", urgent=True),
    _c("C308", "warning", "服务需求近30天没有服务记录", "service need without service in 30 days",
       "安排有该技能的志愿者提供服务", "arrange a volunteer with that skill"),
    _c("C309", "warning", "去世/迁出后仍有巡访记录", "visit recorded after death or moving out",
       "核对巡访记录或老人状态", "check the visit record or the resident's status"),
    _c("C310", "warning", "独居老人缺少紧急联系人或电话", "lives alone without emergency contact",
       "补填紧急联系人和紧急联系电话", "fill in the emergency contact and phone"),
    _c("C311", "warning", "标记需跟进但之后没有巡访", "visit flagged for follow-up without a later visit",
       "安排跟进巡访并记录", "arrange the follow-up visit and log it"),
    _c("C312", "info", "巡访发现的问题没有登记为诉求", "a problem found on a visit is not in the request ledger",
       "核实后登记为诉求（诉求台账新增一行，来源填“网格巡查”），按四步办理",
       "check it and register it as a request (a new row in the request ledger)"),
    # V — volunteers
    _c("V401", "warning", "志愿者结对人数或本周服务次数超过上限", "volunteer over the pairing or weekly cap",
       "调整结对或排班，分给其他志愿者", "move pairings or bookings to others"),
    _c("V402", "warning", "证书已过期或即将过期", "certificate expired or expiring within 30 days",
       "提醒志愿者复审证书并更新有效期", "renew the certificate and update the expiry date"),
    _c("V403", "warning", "志愿者不在岗但仍有结对或排班", "inactive volunteer still paired or booked",
       "名单中的每位老人另有一条C304，按C304逐一改结对；已排的巡访改派给在岗志愿者",
       "each resident listed has a C304 for the re-pairing; move the booked visits to active volunteers"),
    _c("V404", "info", "志愿者60天内没有服务记录", "volunteer with no visit in 60 days",
       "联系志愿者了解情况", "check in with the volunteer"),
    _c("V405", "info", "小区每名在岗志愿者对应的重点老人超过5位", "over 5 tier A/B residents per active volunteer",
       "在该小区招募或调配志愿者（老伙伴计划：一名志愿者结对五位老人）", "recruit volunteers in this estate"),
    # P — 物业+养老 services (issue #17)
    _c("P801", "error", "收费高于公示标准", "fee above the published standard",
       "核对收费，多收部分请服务单位退还", "check the fee; have the provider refund the excess"),
    _c("P802", "warning", "收费未公示", "fee charged with no published standard",
       "先公示收费标准并填入设置.xlsx的“收费标准”表", "publish the price and list it in 设置.xlsx"),
    _c("P803", "warning", "服务不满意后没有回访改进", "unsatisfied service not followed up",
       "回访老人，督促服务单位改进", "call back the resident and have the provider improve"),
    # U — activity rooms (issue #17)
    _c("U901", "error", "活动室预约时间冲突", "overlapping room bookings",
       "与对方团队协调，改期或换活动室", "agree a new time or room with the other team"),
    _c("U902", "warning", "预约超出活动室开放时间", "booking outside the room's opening hours",
       "核对时段，或在设置.xlsx的“活动室”表中更正开放日/开放时间",
       "check the time, or correct the opening days/hours in 设置.xlsx"),
    _c("U903", "warning", "参加人数超过活动室容纳人数", "attendance above the room's capacity",
       "分场次活动或换更大的活动室", "split the activity or use a larger room"),
    _c("U904", "info", "活动室30天没有使用（闲置）", "room idle for 30 days",
       "了解原因，向居民和团队宣传开放时间", "find out why and promote the room"),
    # M — resident council (议事会), ledger meetings
    _c("M701", "warning", "上一周期没有召开议事会", "no council meeting in the previous period",
       "按议事会频次召开居民议事会，并在议事会记录中登记",
       "hold the resident council as often as settings say and record it"),
    _c("M702", "warning", "议事会议题没有登记为诉求", "a council agenda item was not registered as a request",
       "把该议题登记进诉求台账，并在议事会记录的“诉求编号”列填上编号；不是诉求的议题填“不涉及”",
       "register the item in the request ledger and write its id under 诉求编号 (不涉及 if it is no request)"),
    _c("M703", "warning", "议定事项没有落实人", "a council decision has no owner",
       "在议事会记录中填写落实人（谁牵头落实）", "name the owner under 落实人"),
    _c("M704", "warning", "议定事项没有按时反馈", "a council decision was not reported back",
       "了解落实情况，在议事会上向居民通报，并填写反馈日期和反馈情况",
       "find out how it went, report it back to residents and fill in 反馈日期 and 反馈情况"),
    # S — settings and calendar (project addition)
    _c("S501", "warning", "设置值无效，已使用默认值", "settings value invalid, default used",
       "按说明更正 设置.xlsx 中该单元格", "correct that cell in 设置.xlsx"),
    _c("S502", "warning", "缺少该年的节假日数据，按周末计算", "no holiday data for the year",
       "在设置.xlsx的“节假日”表中填写该年的放假和调休日期",
       "list that year's holidays and 调休 days in the 节假日 sheet of 设置.xlsx"),
    _c("S503", "warning", "设置中没有填写居委名称", "settings have no 居委名称",
       "在设置.xlsx的“基本信息”表“居委名称”一行填写本居委的名称（如 莘泽居民区）",
       "write the committee's name in the 居委名称 row of the 基本信息 sheet of 设置.xlsx"),
    # H — history
    _c("H601", "error", "上次还在的记录不见了", "a record present last run has vanished",
       "按上次的内容恢复该行，或确认是有意删除", "restore the row from its last known values"),
    _c("H602", "warning", "台账比上次少了10%以上", "ledger shrank by more than 10%",
       "核对是否误删了行或工作表", "check for deleted rows or sheets"),
    _c("H603", "info", "已办结的诉求重新打开或环节倒退", "request reopened or stage went backwards",
       "核对诉求的办理情况", "check the request's handling"),
    _c("H604", "warning", "历史记录库损坏或被占用，已移到一旁并重新开始",
       "history database unusable; moved aside and started afresh",
       "无需处理；本次无法与上次比较（H601–H603），下周起恢复",
       "nothing to do; this run cannot compare with the last one"),
)

CODES: dict[str, Code] = {c.code: c for c in _ALL}


# Message templates: code -> variant -> (zh, en); fields are the finding's params.
# an urgent C306/C307 whose visit row names another resident than its 编号 (D110): appended
_NAMED_APART = ("巡访记录这一行的老人姓名写的是“{written_name}”，与编号对应的老人不符（见D110）："
                "编号和姓名可能有一个写错了，危险可能是另一位老人的，请先核实是哪一位",
                "the visit row's name is '{written_name}', not the resident of its id (see D110): "
                "one of the two may be wrong and the danger another resident's; check which first")
# C308's sentence on visits naming only her name, shared with another resident (D110)
_C308_UNATTRIBUTED = ("。另有{unattributed}条记有“{service}”的巡访只写了姓名“{name}”、没有能对上的老人编号，"
                      "老年人台账中另有同名老人，无法确定是哪一位，没有计入（见{rows}的D110）",
                      ". {unattributed} visit row(s) with {service} name only '{name}' with no "
                      "matching resident id, and another resident has that name, so they were not "
                      "counted (see the D110 on {rows})")

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    # D — data quality (rules of check/data.py; D102/D104/D105 are made while reading)
    "D101": {"": ("必填项“{header}”为空", "the required value '{header}' is empty"),
             "one_of": ("{headers}至少要填一项，现在都为空", "fill in at least one of {headers}"),
             "certificate": ("填了证书“{certificate}”，但“{header}”为空",
                             "a certificate is given but '{header}' is empty")},
    "D103": {"": ("“{header}”{date}晚于检查日期{as_of}", "{header} {date} is after the as-of date {as_of}")},
    "D106": {"": ("身份证号显示出生日期{born}、性别{gender}、到{as_of}为{age}岁，但{but}",
                  "the ID says born {born}, {gender}, aged {age} on {as_of}, but {but}"),
             "unborn": ("身份证号显示出生日期{born}、性别{gender}，但{but}",
                        "the ID says born {born}, {gender}, but {but}")},
    "D107": {"": ("编号“{id}”与{other}重复", "id '{id}' is also used on {other}")},
    # this / first = 编号LR-085 / LR-085, or the row when the ledger keeps no ids (variant no_id)
    "D108": {v: ("{ledger}中{this}与{first_row}的{first}{why}（{name}），疑似同一人登记了两次",
                 "{this} and {first} ({first_row}): {why}; probably one person")
             for v in ("", "no_id")},
    "D110": {"resident_unknown": ("巡访记录中的老人“{written}”在老年人台账中找不到，这次巡访没有计入任何老人",
                                  "visited resident '{written}' is not in the elderly ledger"),
             "resident_ambiguous": ("巡访记录只写了姓名“{name}”，老年人台账中有{count}位同名老人"
                                    "（{candidates}），无法确定是哪一位，这次巡访没有计入",
                                    "resident name '{name}' fits {count} residents; the visit was not "
                                    "counted"),
             "resident_bad_id": ("巡访记录的老人编号“{written}”在老年人台账中找不到；已按姓名“{name}”计入老人{id}",
                                 "resident id '{written}' is unknown; the visit was matched by name to {id}"),
             "resident_name_differs": ("巡访记录的老人编号“{written}”在老年人台账中是“{real}”，但姓名写的是"
                                       "“{name}”；已按编号计入{real}",
                                       "resident id '{written}' belongs to another name than '{name}'; "
                                       "counted by id"),
             # an entry of a volunteer's 结对老人 (the pairing kept on the roster's side)
             "roster_resident_unknown": ("志愿者{volunteer}的结对老人“{written}”在老年人台账中找不到，没有按结对计入",
                                         "paired resident '{written}' of volunteer {volunteer_id} is "
                                         "not in the elderly ledger"),
             "roster_resident_ambiguous": ("志愿者{volunteer}的结对老人“{written}”在老年人台账中有{count}位"
                                           "（{candidates}），无法确定是哪一位，没有按结对计入",
                                           "paired resident '{written}' of volunteer {volunteer_id} "
                                           "fits {count} residents; not taken as a pairing"),
             "volunteer_unknown": ("{what}“{written}”在志愿者名册中找不到",
                                   "{what} '{written}' is not in the volunteer roster"),
             "volunteer_ambiguous": ("{what}“{written}”在志愿者名册中有{count}位同名（{candidates}），无法确定是哪一位",
                                     "{what} '{written}' fits {count} volunteers"),
             # a cell naming several visitors (曹玲、王五): only the part(s) not found
             "volunteer_part_unknown": ("{what}“{cell}”中的“{written}”在志愿者名册中找不到；其余的已按志愿者计入",
                                        "{what} '{cell}': '{written}' is not in the volunteer roster; "
                                        "the others were counted"),
             "volunteer_part_ambiguous": ("{what}“{cell}”中的“{written}”在志愿者名册中有{count}位同名"
                                          "（{candidates}），无法确定是哪一位；其余的已按志愿者计入",
                                          "{what} '{cell}': '{written}' fits {count} volunteers; the "
                                          "others were counted")},
    "D109": {v: ("{header}“{item}”不在可选范围内（可选：{allowed}）",
                 "{header} '{item}' is not in the allowed list ({allowed})")
             for v in ("", "settings_list", "values")} | {
             "no_estates": ("设置.xlsx中还没有填写小区名单，{ledger}中的小区名称没有核对",
                            "the list of 小区 is not set up in 设置.xlsx; estate names in the {ledger} "
                            "were not checked"),
             "no_estates_no_workbook": ("文件夹里没有找到设置.xlsx，没有小区名单，{ledger}中的小区名称没有核对",
                                        "no 设置.xlsx was found in the folder, so there is no list of 小区; "
                                        "estate names in the {ledger} were not checked"),
             "no_estates_unreadable": ("设置.xlsx无法读取，没有小区名单，{ledger}中的小区名称没有核对",
                                       "设置.xlsx could not be read, so there is no list of 小区; "
                                       "estate names in the {ledger} were not checked")},
    "D111": {"age": ("年龄{age}岁超出合理范围（不超过{max}岁）", "age {age} is above {max}"),
             "age_low": ("年龄{age}岁，不到{min}岁，请核对年龄或出生日期（重残、特殊困难的居民可以不到{min}岁）",
                         "age {age} is under {min}: check the age or birth date"),
             "capacity": ("每周上限{capacity}不能为负数", "weekly capacity {capacity} is negative"),
             "blood_pressure": ("血压{systolic}/{diastolic}不合常理（收缩压应在{sys_low}–{sys_high}、"
                                "舒张压应在{dia_low}–{dia_high}，且收缩压高于舒张压）",
                                "blood pressure {systolic}/{diastolic} is implausible (systolic "
                                "{sys_low}–{sys_high}, diastolic {dia_low}–{dia_high}, systolic above "
                                "diastolic)"),
             "hours": ("服务时长{hours}小时超出合理范围（应大于0且不超过{max}小时）",
                       "{hours} hours is outside (0, {max}]")},
    # R — request closed loop. late/since/who/due_source are phrases (Text) in each language
    "R201": {"": ("{received}登记，{days}个工作日内应梳理分类（最迟{deadline}），{late}，类别仍为空",
                  "received {received}; should have been classified within {days} working days "
                  "(by {deadline}); {late}; no category yet")},
    "R202": {v: ("{since}，{days}个工作日内应分派（最迟{deadline}），{late}，责任人仍为空",
                 "{since}; should have been assigned within {days} working days (by {deadline}); "
                 "{late}; no assignee yet") for v in ("", "owner")},
    "R203": {"": ("办理时限{due}（{due_source}）已过，{late}，仍未办结；责任人：{who}",
                  "due {due} ({due_source}); {late}; not resolved; assignee: {who}")},
    "R204": {"": ("{since}，{days}个工作日内应答复居民（最迟{deadline}），{late}，闭环未完成；责任人：{who}",
                  "{since}; the resident should have had a reply within {days} working days "
                  "(by {deadline}); {late}; the loop is open; assignee: {who}")},
    "R205": {v: ("已填写“{later}”（{later_stage}），但前面的“{need}”（{need_stage}）为空",
                 "{later} ({later_stage}) is filled but the earlier {need} ({need_stage}) is empty")
             for v in ("", "and_date")},
    "R206": {"": ("“{later}”{later_date}早于“{earlier}”{earlier_date}",
                  "{later} {later_date} is before {earlier} {earlier_date}")},
    "R207": {"": ("状态写的是“{written}”，但已填内容已到“{stage_label}”（第{stage}步），应为“{expected}”",
                  "status says {written} but the filled fields already reach {stage_label} "
                  "(stage {stage}); it should be {expected}"),
             "ahead": ("状态写的是“{written}”，但已填内容只到“{stage_label}”（第{stage}步），应为“{expected}”",
                       "status says {written} but the filled fields only reach {stage_label} "
                       "(stage {stage}); it should be {expected}")},
    "R208": {"": ("已分派给{who}，但“{due}”为空，且{why}，无法判断是否超期",
                  "assigned to {who} but {due} is empty and {why}; cannot tell whether it is late")},
    "R209": {"": ("居民对答复不满意{when}，{status_is}，诉求未重办",
                  "the resident is unsatisfied{when}; {status_is}; the request has not been reopened")},
    "R210": {"": ("与{window}天内登记的诉求{earlier}同小区、同类别，且{why}，可能是重复反映",
                  "same estate and category as request(s) {earlier} received within {window} "
                  "days, {why}: possibly a repeat")},
    "R211": {"": ("办理时限{due}（{due_source}），还剩{left}个工作日，尚未办结；责任人：{who}",
                  "due {due} ({due_source}), {left} working day(s) left; not resolved; assignee: {who}"),
             "today": ("办理时限{due}（{due_source}），今天到期，尚未办结；责任人：{who}",
                       "due {due} ({due_source}), today; not resolved; assignee: {who}"),
             # a due date written on a rest day, with no working day after today before it
             "rest_day": ("办理时限{due}（{due_source}）是休息日，此前不再有别的工作日，尚未办结；责任人：{who}",
                          "due {due} ({due_source}), a rest day with no other working day before it; "
                          "not resolved; assignee: {who}")},
    # S, H — settings, calendar and history
    "S503": {"": ("{file}“{sheet}”表没有填写{label}，镇报送表上将没有居委名称，镇里汇总时会拒收",
                  "{file} sheet {sheet} has no {label}: the town report will carry no community "
                  "name and merge refuses it"),
             "no_workbook": ("文件夹里没有找到{file}，全部使用默认设置；没有居委名称，镇报送表上将没有居委名称，"
                             "镇里汇总时会拒收",
                             "no {file} was found in the folder, so every setting is the default; "
                             "with no community name the town report carries none and merge refuses it"),
             "unreadable": ("{file}无法读取，全部使用默认设置；读不到居委名称，镇报送表上将没有居委名称，"
                            "镇里汇总时会拒收",
                            "{file} could not be read, so every setting is the default; with no "
                            "community name the town report carries none and merge refuses it")},
    "S502": {"": ("{year}年没有节假日数据，工作日按周一至周五计算", "no holiday data for {year}; Monday to Friday used"),
             "partial": ("{year}年的节假日只填了{count}天，没有{missing}的放假日期；没填的节假日按周一至周五上班计算",
                         "only {count} day(s) of {year} are in the 节假日 sheet, none of {missing}; other "
                         "holidays count as working days Monday to Friday")},
    "H601": {"": ("编号{id}上次（{previous}）在{file}「{sheet}」第{row}行，这次找不到了。上次的内容：{last_values}",
                  "id {id} was at {file} / {sheet} row {row} last run ({previous}) and is gone now. "
                  "Last values: {last_values}")},
    "H602": {"": ("{ledger}从上次（{previous}）的{before}条减少到{now}条（减少{fewer}条）",
                  "{ledger} shrank from {before} records ({previous}) to {now}")},
    "H603": {"": ("诉求{id}的进度从上次（{previous}）的“{before}”退回到“{now}”",
                  "request {id} went back from {before} to {now}"),
             "reopened": ("诉求{id}已重新打开（状态为“重办”），上次（{previous}）为“{before}”",
                          "request {id} was reopened; last run it was {before}")},
    "H604": {"": ("历史记录库 {database} 无法使用（{error}），且无法移走",
                  "history database {database} unusable ({error}); it could not be moved"),
             "moved": ("历史记录库 {database} 无法使用（{error}），已移到 {aside}",
                       "history database {database} unusable ({error}); moved to {aside}")},
    # V — volunteers. volunteer = 金思琪（ZY-002）, id = ZY-002
    "V401": {"": ("志愿者{volunteer}结对了{count}位老人（{names}），超过每名志愿者结对上限{cap}人",
                  "volunteer {id} is paired with {count} residents (cap {cap})"),
             "week": ("志愿者{volunteer}在{year}年第{week}周登记了{count}次巡访/服务，超过每周上限{cap}次",
                      "volunteer {id} has {count} visits in week {year}-W{week:02d} (cap {cap})")},
    "V402": {"": ("志愿者{volunteer}的{certificate}已于{expiry}过期",
                  "volunteer {id}: certificate expired on {expiry}"),
             "expiring": ("志愿者{volunteer}的{certificate}将于{expiry}到期（还剩{left}天）",
                          "volunteer {id}: certificate expires on {expiry}"),
             "today": ("志愿者{volunteer}的{certificate}今天（{expiry}）到期",
                       "volunteer {id}: certificate expires today ({expiry})")},
    "V403": {"": ("志愿者{volunteer}已不在岗，但{parts}", "volunteer {id} is not active but {parts}"),
             "left": ("志愿者{volunteer}{parts}", "volunteer {id}: {parts}")},
    "V404": {"": ("志愿者{volunteer}近{days}天没有巡访或服务记录（最近一次是{last}）",
                  "volunteer {id} has no visit in the last {days} days"),
             "never": ("志愿者{volunteer}近{days}天没有巡访或服务记录（巡访记录中没有他/她的记录）",
                       "volunteer {id} has no visit in the last {days} days"),
             "ahead": ("志愿者{volunteer}近{days}天没有巡访或服务记录（只有{first}起排定的巡访）",
                       "volunteer {id} has no visit in the last {days} days (only visits booked "
                       "from {first})")},
    "V405": {"": ("{estate}有{count}位A、B级重点老人，服务该小区的在岗志愿者只有{helpers}人，"
                  "平均每人对应{ratio}位，超过{per}位（老伙伴计划：一名志愿者结对五位老人）",
                  "{estate}: {count} tier A/B residents and {helpers} active volunteers, {ratio} each "
                  "(over {per})"),
             "none": ("{estate}有{count}位A、B级重点老人，但没有服务该小区的在岗志愿者",
                      "{estate}: {count} tier A/B residents and no active volunteer serving it")},
    # C — elderly care. Common params: resident = 张秀英（LR-001，松和苑 12号301室）, id = LR-001
    "C301": {"": ("{resident}为{tier_label}，应每{interval}天巡访一次；上次有效巡访是{last}，"
                  "最迟应在{due}再访，已超期{late}天",
                  "{id}: tier {tier}, visit every {interval} days; last counted visit {last}, "
                  "due {due}, {late} days overdue"),
             # later rows naming only her name, which another resident shares (D110): maybe hers
             "unattributed": ("{resident}为{tier_label}，应每{interval}天巡访一次；上次能确定是这位老人的"
                              "有效巡访是{last}，最迟应在{due}再访，已超期{late}天。{last}之后另有"
                              "{unattributed}条有效巡访只写了姓名“{name}”、没有能对上的老人编号，"
                              "老年人台账中另有同名老人，无法确定是哪一位，没有计入（见{rows}的D110）",
                              "{id}: tier {tier}, visit every {interval} days; last visit counted for "
                              "her {last}, due {due}, {late} days overdue. {unattributed} later "
                              "visit row(s) name only '{name}' with no matching resident id, and "
                              "another resident has that name, so they were not counted (see the "
                              "D110 on {rows})")},
    "C302": {"": ("{resident}为{tier_label}，巡访记录中没有一次有效上门巡访",
                  "{id}: tier {tier}, never visited"),
             "tried": ("{resident}为{tier_label}，巡访记录中没有一次有效上门巡访（有{tried}条记录，"
                       "但都是敲门无应答、外出或仅电话问候，最近一次{last_tried}）",
                       "{id}: tier {tier}, never visited ({tried} logged, none counted)"),
             # rows naming only her name, which another resident shares (D110): maybe hers
             "unattributed": ("{resident}为{tier_label}，巡访记录中没有一次能确定是这位老人的有效上门巡访："
                              "有{unattributed}条巡访记录只写了姓名“{name}”、没有能对上的老人编号，"
                              "老年人台账中另有同名老人，无法确定是哪一位，没有计入（见{rows}的D110）",
                              "{id}: tier {tier}, no visit counted: {unattributed} visit row(s) name "
                              "only '{name}' with no matching resident id, and another resident has "
                              "that name, so they were not counted (see the D110 on {rows})"),
             "tried_unattributed": (
                 "{resident}为{tier_label}，巡访记录中没有一次能确定是这位老人的有效上门巡访："
                 "有{unattributed}条巡访记录只写了姓名“{name}”、没有能对上的老人编号，老年人台账中另有"
                 "同名老人，无法确定是哪一位，没有计入（见{rows}的D110）；另有{tried}条记录是敲门无应答、"
                 "外出或仅电话问候，最近一次{last_tried}",
                 "{id}: tier {tier}, no visit counted: {unattributed} visit row(s) name only "
                 "'{name}' with no matching resident id, and another resident has that name, so "
                 "they were not counted (see the D110 on {rows}); {tried} more logged, none counted")},
    "C303": {"": ("{resident}为{tier_label}，未填写结对志愿者",
                  "{id}: tier {tier} without a paired volunteer"),
             # 结对志愿者 empty, and several volunteers' 结对老人 list her: not guessed
             "roster_several": ("{resident}为{tier_label}，未填写结对志愿者；志愿者名册中{volunteers}的"
                                "“结对老人”都列了这位老人，无法确定由哪一位结对",
                                "{id}: tier {tier} without a paired volunteer; the roster lists the "
                                "resident under several volunteers ({volunteer_ids}), so none was "
                                "taken")},
    "C304": {"": ("{resident}的结对志愿者{volunteer}已不在岗",
                  "{id}: paired volunteer {volunteer_id} is not active")},
    "C305": {"": ("{resident}在{day}测得血压{systolic}/{diastolic}（{bp_class}），"
                  "到{window_end}为止7天内没有复查血压的记录",
                  "{id}: blood pressure {systolic}/{diastolic} on {day}, not rechecked within 7 days"),
             "conflict": ("{resident}在{day}的巡访记录同一行写了 {first} 和 {second} {count}个血压读数，"
                          "按{bp_class}的 {systolic}/{diastolic} 处理，到{window_end}为止7天内没有"
                          "复查血压的记录；请复查并核对台账",
                          "{id}: the visit row of {day} gives {count_en} blood pressures, {first} and "
                          "{second}; taken as {systolic}/{diastolic}, not rechecked within 7 days: "
                          "recheck and correct the ledger")},
    "C306": {"": ("{resident}在{day}测得血压{systolic}/{diastolic}，达到危急值",
                  "{id}: critical blood pressure {systolic}/{diastolic} on {day}"),
             # a row giving two readings (D111 bp_conflict), one 危急: that one counts
             "conflict": ("{resident}在{day}的巡访记录同一行写了 {first} 和 {second} {count}个血压读数，"
                          "按危急的 {systolic}/{diastolic} 处理，请马上复测并核对台账",
                          "{id}: the visit row of {day} gives {count_en} blood pressures, {first} and "
                          "{second}; taken as the critical {systolic}/{diastolic}: recheck now "
                          "and correct the ledger"),
             # a row giving one number of a reading (D111 bp_no_diastolic …), that one 危急
             "half_systolic": ("{resident}在{day}的巡访记录只写了高压 {value}（低压没有写或无法识别），"
                               "高压已达危急值，按危急处理，请马上复测并补全台账",
                               "{id}: the visit row of {day} gives only the systolic {value} (no "
                               "readable diastolic); the systolic is critical: treated as critical, "
                               "recheck now and complete the ledger"),
             "half_diastolic": ("{resident}在{day}的巡访记录只写了低压 {value}（高压没有写或无法识别），"
                                "低压已达危急值，按危急处理，请马上复测并补全台账",
                                "{id}: the visit row of {day} gives only the diastolic {value} (no "
                                "readable systolic); the diastolic is critical: treated as critical, "
                                "recheck now and complete the ledger"),
             # a row giving a reading and half of another (D111 bp_conflict), the half 危急
             "conflict_half_systolic": ("{resident}在{day}的巡访记录同一行写了 {first} 和 {second}，"
                                        "其中高压 {value} 已达危急值，按危急处理，请马上复测并核对台账",
                                        "{id}: the visit row of {day} gives {first} and {second}; "
                                        "the systolic {value} is critical: treated as critical, "
                                        "recheck now and correct the ledger"),
             "conflict_half_diastolic": ("{resident}在{day}的巡访记录同一行写了 {first} 和 {second}，"
                                         "其中低压 {value} 已达危急值，按危急处理，请马上复测并核对台账",
                                         "{id}: the visit row of {day} gives {first} and {second}; "
                                         "the diastolic {value} is critical: treated as critical, "
                                         "recheck now and correct the ledger"),
             "rechecked": ("{resident}在{day}测得血压{systolic}/{diastolic}，达到危急值；"
                           "之后{later_day}复测为{later_systolic}/{later_diastolic}",
                           "{id}: critical blood pressure {systolic}/{diastolic} on {day}; later "
                           "{later_systolic}/{later_diastolic} on {later_day}"),
             "named_apart": _NAMED_APART},
    "C307": {"": ("{resident}在{day}敲门无应答，此后{days}天没有见到老人的记录",
                  "{id}: no answer at the door on {day} and not seen since"),
             "alone": ("{resident}（独居）在{day}敲门无应答，此后{days}天没有见到老人的记录",
                       "{id}: no answer at the door on {day} and not seen since (lives alone)"),
             "named_apart": _NAMED_APART},
    "C308": {"": ("{resident}需要“{service}”服务，近{window}天（{since}至{as_of}）没有该服务记录，"
                  "最近一次是{last}",
                  "{id}: needs {service}, none recorded in the last {window} days"),
             "never": ("{resident}需要“{service}”服务，近{window}天（{since}至{as_of}）没有该服务记录，"
                       "从未有记录",
                       "{id}: needs {service}, none recorded in the last {window} days"),
             "ahead": ("{resident}需要“{service}”服务，近{window}天（{since}至{as_of}）没有该服务记录，"
                       "只有{first}起排定的服务",
                       "{id}: needs {service}, none recorded in the last {window} days (only booked "
                       "from {first})"),
             # later rows carrying the service and naming only her name, which another
             # resident shares (D110): maybe hers
             **{f"{v}_unattributed" if v else "unattributed": (zh + _C308_UNATTRIBUTED[0], en + _C308_UNATTRIBUTED[1])
                for v, (zh, en) in {
                    "": ("{resident}需要“{service}”服务，近{window}天（{since}至{as_of}）没有能确定是这位老人的"
                         "该服务记录，最近一次是{last}",
                         "{id}: needs {service}, none recorded for her in the last {window} days"),
                    "never": ("{resident}需要“{service}”服务，近{window}天（{since}至{as_of}）没有能确定是"
                              "这位老人的该服务记录，此前也没有",
                              "{id}: needs {service}, none ever recorded for her"),
                    "ahead": ("{resident}需要“{service}”服务，近{window}天（{since}至{as_of}）没有能确定是"
                              "这位老人的该服务记录，只有{first}起排定的服务",
                              "{id}: needs {service}, none recorded for her in the last {window} days "
                              "(only booked from {first})")}.items()}},
    "C309": {"": ("{resident}在老年人台账中为“{written}”，但巡访记录在{day}仍有一次巡访",
                  "{id} is marked {written} but a visit is logged on {day}")},
    "C310": {"": ("{resident}独居，缺少{missing_labels}",
                  "{id} lives alone without {missing_en}")},
    "C311": {"": ("{resident}在{day}的巡访标记需跟进，之后没有跟进巡访记录",
                  "{id}: visit on {day} flagged for follow-up, no later visit"),
             "issue": ("{resident}在{day}的巡访标记需跟进（{issue}），之后没有跟进巡访记录",
                       "{id}: visit on {day} flagged for follow-up, no later visit")},
}

# C312 and the resident council (M701–M704, D110 on the minutes). Common params: meeting =
# 2026-10-28 居民议事会, topic / decision = the item's text (clipped to 40 characters).
TEMPLATES.update({
    "C312": {"": ("{day}巡访{resident}时发现“{issue}”（{kinds}：{keywords}），"
                  "前后{days}个工作日内诉求台账中没有该居民或该地址的诉求",
                  "the visit to {resident} on {day} found '{issue}' ({keywords}); no request from "
                  "that resident or address within {days} working days")},
    "M701": {"": ("{period}没有召开议事会（议事会频次：{frequency}；上一次会议是 {last}）",
                  "no council meeting in {period_en} (frequency: {frequency_en}; the last one was {last})")},
    "M702": {"": ("{meeting}的议题“{topic}”，{days}个工作日内（{deadline}前）应登记为诉求，诉求台账中没有找到",
                  "the item '{topic}' of {meeting} should have been registered as a request within "
                  "{days} working days (by {deadline}); none found"),
             "closest": ("{meeting}的议题“{topic}”，{days}个工作日内（{deadline}前）应登记为诉求，"
                         "诉求台账中没有找到；最接近的是 {closest}“{closest_content}”（相似度 {score}），"
                         "如是同一件事请把编号填进“诉求编号”",
                         "the item '{topic}' of {meeting} should have been registered as a request "
                         "within {days} working days (by {deadline}); none found; the closest is "
                         "{closest} '{closest_content}' (similarity {score}) — if it is the same matter "
                         "write its id under 诉求编号"),
             "closest_before": ("{meeting}的议题“{topic}”，{days}个工作日内（{deadline}前）应登记为诉求，"
                                "会后诉求台账中没有找到；最接近的是会前登记的 {closest}“{closest_content}”"
                                "（{closest_day}，相似度 {score}）：如果是同一件事，把编号填进“诉求编号”",
                                "the item '{topic}' of {meeting} should have been registered as a "
                                "request within {days} working days (by {deadline}); none registered "
                                "since the meeting; the closest is {closest} '{closest_content}', "
                                "registered before it ({closest_day}, similarity {score}) — if it is "
                                "the same matter write its id under 诉求编号")},
    "M703": {"": ("{meeting}议定“{decision}”，没有填写落实人",
                  "{meeting} decided '{decision}' but names no owner")},
    "M704": {"next": ("{meeting}议定“{decision}”，应在下一次{name}（{deadline}）前向居民反馈，至今没有反馈日期",
                      "{meeting} decided '{decision}'; it should have been reported back by the next "
                      "{name} ({deadline}); no 反馈日期 yet"),
             "next_owner": ("{meeting}议定“{decision}”（落实人：{owner}），应在下一次{name}（{deadline}）前"
                            "向居民反馈，至今没有反馈日期",
                            "{meeting} decided '{decision}' (owner: {owner}); it should have been "
                            "reported back by the next {name} ({deadline}); no 反馈日期 yet"),
             "later": ("{meeting}议定“{decision}”，之后还没有下一次{name}，应在会后{days}天内（{deadline}前）"
                       "反馈，至今没有反馈日期",
                       "{meeting} decided '{decision}'; no later {name} yet: it should have been "
                       "reported back within {days} days ({deadline}); no 反馈日期 yet"),
             "later_owner": ("{meeting}议定“{decision}”（落实人：{owner}），之后还没有下一次{name}，"
                             "应在会后{days}天内（{deadline}前）反馈，至今没有反馈日期",
                             "{meeting} decided '{decision}' (owner: {owner}); no later {name} yet: it "
                             "should have been reported back within {days} days ({deadline}); "
                             "no 反馈日期 yet")},
})
# M704 on a 反馈日期 after the as-of date: not reported back yet, and the message says what is written
TEMPLATES["M704"].update({
    f"{variant}_ahead": (zh.replace("至今没有反馈日期", "反馈日期写的是 {feedback}，晚于检查日期，还没有反馈"),
                         en.replace("no 反馈日期 yet", "its 反馈日期 {feedback} is after the as-of date: "
                                    "not reported back yet"))
    for variant, (zh, en) in list(TEMPLATES["M704"].items())})
# M704 on a 反馈日期 before the meeting itself: no feedback on this decision (a typo, another
# matter's date) — as if empty, and the message and fix say what is written
TEMPLATES["M704"].update({
    f"{variant}_early": (zh.replace("至今没有反馈日期", "反馈日期写的是 {feedback}，早于会议日期（{held}），"
                                    "不是这次议定事项的反馈"),
                         en.replace("no 反馈日期 yet", "its 反馈日期 {feedback} is before the meeting "
                                    "({held}): not feedback on this decision"))
    for variant, (zh, en) in list(TEMPLATES["M704"].items()) if not variant.endswith("_ahead")})
TEMPLATES.setdefault("D110", {})["minutes"] = (
    "诉求编号“{request_id}”在诉求台账中找不到（议题“{topic}”）",
    "request id '{request_id}' is not in the request ledger (item '{topic}')")

# Fix templates, for codes whose fix names facts (others use the fix of ``_ALL``).
# how to make the settings workbook when the folder has none (spec/cli.md: shequ template settings)
_MAKE_SETTINGS = ("在台账文件夹里运行 shequ template settings -o 设置.xlsx，生成填好默认值的设置.xlsx",
                  "make one: run shequ template settings -o 设置.xlsx in the ledger folder (every "
                  "default filled in)")
_REPAIR_SETTINGS = ("用 Excel/WPS 打开设置.xlsx 另存为 .xlsx（打不开就用旧的备份，或运行 shequ template settings "
                    "-o 设置.xlsx 重新生成）",
                    "open 设置.xlsx in Excel/WPS and save it as .xlsx (if it will not open, use a "
                    "backup or make a new one with shequ template settings -o 设置.xlsx)")
FIX_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "S503": {"no_workbook": (_MAKE_SETTINGS[0] + "，再在其中“基本信息”表“居委名称”一行填写本居委的名称（如 莘泽居民区）",
                             _MAKE_SETTINGS[1] + ", then write the committee's name in the 居委名称 row "
                             "of its 基本信息 sheet"),
             "unreadable": (_REPAIR_SETTINGS[0] + "，再确认“基本信息”表“居委名称”一行填了本居委的名称",
                            _REPAIR_SETTINGS[1] + ", then check the 居委名称 row of its 基本信息 sheet")},
    "D108": {"": ("核对两行是否同一人；若是，合并为一行并保留编号{first_id}，同时把巡访记录中的{id}改为{first_id}",
                  "if one person, merge the rows under {first_id} and change {id} to {first_id} "
                  "in the visit log"),
             "no_id": ("核对两行是否同一人；若是，合并为一行，并填好编号",
                       "if one person, merge the two rows into one and give it an id")},
    "D110": {"resident_unknown": ("按老年人台账填写正确的老人编号（或姓名）；若是新老人，先在老年人台账登记",
                                  "write the resident's id as in the elderly ledger, or add the resident"),
             "resident_ambiguous": ("在巡访记录中填写老人编号", "write the resident's id in the visit row"),
             "resident_bad_id": ("把老人编号改为{id}", "correct the id to {id}"),
             "resident_name_differs": ("核对这次巡访的是哪位老人，改正编号或姓名", "check which resident was visited"),
             "roster_resident_unknown": ("把“{written}”改为老年人台账中的老人编号（或姓名）；若是新老人，先在老年人台账登记",
                                         "write '{written}' as the resident's id in the elderly "
                                         "ledger, or add the resident"),
             "roster_resident_ambiguous": ("把“{written}”改填老人编号", "write the resident's id instead of "
                                           "'{written}'"),
             "volunteer_unknown": ("按志愿者名册填写志愿者编号（或姓名）；若是新志愿者，先在志愿者名册登记",
                                   "write the volunteer's id as in the roster, or add the volunteer"),
             "volunteer_ambiguous": ("改填志愿者编号", "write the volunteer's id instead"),
             "volunteer_part_unknown": ("把“{written}”改为志愿者名册中的编号或姓名；若是新志愿者，先在志愿者名册登记",
                                        "write '{written}' as the volunteer's id or name in the roster, "
                                        "or add the volunteer"),
             "volunteer_part_ambiguous": ("把“{written}”改填志愿者编号",
                                          "write the volunteer's id instead of '{written}'")},
    "D101": {"certificate": ("补填证书上的有效期，便于到期前提醒复审", "fill in the certificate's expiry date")},
    "D111": {"age_low": ("核对年龄/出生日期；如确为不到{min}岁的重残或特殊困难居民，可不处理",
                         "check the age; a younger resident with a disability may be right"),
             # 数量 (the only count column) and whole-number columns (参加人数, 年龄, 每周上限)
             "not_count": ("改为份数或次数，如 3 或 3份；按小时收费的服务把时长填在“服务时长”列，数量可留空（按1）",
                           "write the number of 份/次, e.g. 3 or 3份; for an hourly service put the "
                           "hours under 服务时长 and leave 数量 empty (1)"),
             "not_whole": ("改为一个整数，如 20；不写“约”“多”“+”等字样",
                           "write a whole number, e.g. 20, without 约, 多 or +")},
    "D109": {"settings_list": ("改为{settings_file}“{sheet}”表中的名称；如确是新{header}，请在该表中补充",
                               "use a name from the '{sheet}' sheet of {settings_file}, or add it there if it is new"),
             "values": ("改为以下之一：{allowed}", "write one of: {allowed}"),
             "no_estates": ("在设置.xlsx的“小区”表中每行填一个小区名称",
                            "list the estates, one a row, on the 小区 sheet of 设置.xlsx"),
             "no_estates_no_workbook": (_MAKE_SETTINGS[0] + "，再在其中“小区”表中每行填一个小区名称",
                                        _MAKE_SETTINGS[1] + ", then list the estates, one a row, on "
                                        "its 小区 sheet"),
             "no_estates_unreadable": (_REPAIR_SETTINGS[0] + "，再确认“小区”表中每行填了一个小区名称",
                                       _REPAIR_SETTINGS[1] + ", then check its 小区 sheet lists "
                                       "the estates")},
    "R210": {"": ("核对是否与{first}为同一问题，是则合并办理、一并答复",
                  "check whether it is the same issue as {first}; if so handle and reply together")},
    "V401": {"": ("把其中{extra}位老人改结对给同小区的其他在岗志愿者", "re-pair {extra} of them with other volunteers"),
             "week": ("把本周多出的{extra}次改派给其他志愿者，或在名册中调整每周上限",
                      "move the extra visits to others, or raise the weekly cap")},
    "V402": {v: ("提醒志愿者办理复审，拿到新证后更新名册中的证书有效期；过期期间不安排需持证的服务",
                 "have the certificate renewed and update the expiry date")
             for v in ("", "expiring", "today")},
    "V403": {"": ("名单中的每位老人另有一条C304，按C304逐一改结对；已排的巡访改派给在岗志愿者",
                  "each resident listed has a C304 for the re-pairing; move the booked visits to "
                  "active volunteers"),
             "left": ("核对这些巡访是谁做的：改正巡访记录中的志愿者，或更正名册中的离岗日期",
                      "check who made these visits: correct the visit rows or the 离岗日期")},
    "V404": {v: ("联系志愿者了解情况：是否仍能服务；如已不能服务，在名册中把“在岗”改为否",
                 "check in; if they no longer serve, set 在岗 to 否") for v in ("", "never", "ahead")},
    "V405": {v: ("在{estate}再招募或调配至少{need}名志愿者", "recruit or move at least {need} more volunteer(s) to {estate}")
             for v in ("", "none")},
    "R201": {"": ("梳理诉求内容，填写“{category}”和“{classified}”",
                  "read the request and fill in {category} and {classified}")},
    "R202": {"": ("确定责任人，填写“{assignee}”和“{assigned}”",
                  "decide who handles it and fill in {assignee} and {assigned}"),
             "owner": ("分派给“{owner}”（设置中该类别的默认责任人），填写“{assignee}”和“{assigned}”",
                       "assign it to {owner} (the category's default owner in settings) and fill in "
                       "{assignee} and {assigned}")},
    "R203": {"": ("催办{who}；办结后填写“{resolved}”和“{resolution}”",
                  "chase {who}; when done fill in {resolved} and {resolution}")},
    # or_limit: the other way to a deadline for the reason there is none (check/requests.py)
    "R208": {"": ("填写“{due}”（应办结日期，或如“15个工作日”）{or_limit}",
                  "fill in {due} (a date, or e.g. 15个工作日){or_limit}")},
    "R205": {"": ("补填“{need}”", "fill in {need}"),
             "and_date": ("补填“{need}”和“{also}”", "fill in {need} and {also}")},
    "R206": {"": ("核对这两个日期（年份、月份是否写错）：“{earlier}”应不晚于“{later}”",
                  "check both dates (year, month): {earlier} must not be after {later}")},
    "R207": {v: ("把状态改为“{expected}”{or_fill}", "set the status to {expected}{or_fill}")
             for v in ("", "ahead")},
    # 最迟: the due day itself is still on time (“在{due}前” read as “before the due day”)
    "R211": {**{v: ("提醒{who}最迟{due}办结，办结后填写“{resolved}”",
                    "remind {who} to finish by {due} at the latest, then fill in {resolved}")
                for v in ("", "rest_day")},
             "today": ("提醒{who}今天（{due}）办结，办结后填写“{resolved}”",
                       "remind {who} to finish today ({due}), then fill in {resolved}")},
    "C301": {"": ("安排{goer}尽快上门巡访，并在巡访记录中登记", "ask {goer_en} to visit soon and log the visit"),
             "unattributed": ("先向{goer}和登记人核对这{unattributed}条只写了姓名的巡访（{rows}）是不是这位老人的："
                              "是，就在这些行填上老人编号{id}；都不是，再安排{goer}尽快上门巡访",
                              "first ask {goer_en} and whoever logged them whether these {unattributed} "
                              "visit(s) ({rows}) were hers: if so, write her id {id} on those rows; if "
                              "not, ask {goer_en} to visit soon")},
    "C302": {**{v: ("安排{goer}尽快首次上门巡访，并在巡访记录中登记",
                    "ask {goer_en} to make a first visit and log it") for v in ("", "tried")},
             **{v: ("先向{goer}和登记人核对这{unattributed}条只写了姓名的巡访（{rows}）是不是这位老人的："
                    "是，就在这些行填上老人编号{id}；都不是，再安排{goer}尽快首次上门巡访",
                    "first ask {goer_en} and whoever logged them whether these {unattributed} "
                    "visit(s) ({rows}) were hers: if so, write her id {id} on those rows; if not, "
                    "ask {goer_en} to make a first visit")
                for v in ("unattributed", "tried_unattributed")}},
    "C303": {"": ("在老年人台账“结对志愿者”列填写一名服务{estate}的在岗志愿者（编号或姓名）",
                  "write an active volunteer serving {estate} in the paired-volunteer column"),
             "roster_several": ("核对由哪一位志愿者结对，在老年人台账“结对志愿者”列填写其编号或姓名，"
                                "并从其他志愿者的“结对老人”中删去这位老人",
                                "check which volunteer is paired, write that volunteer in the "
                                "paired-volunteer column and take the resident off the others' lists")},
    "C304": {"": ("为该老人改结对一名服务{estate}的在岗志愿者", "pair an active volunteer of the estate")},
    "C305": {"": ("安排有“量血压”技能的志愿者或家庭医生上门复查，并在巡访记录中登记血压",
                  "arrange a recheck by a volunteer who can take blood pressure, or the family doctor"),
             "conflict": ("安排有“量血压”技能的志愿者或家庭医生上门复查，并在巡访记录中登记血压；"
                          "核对那一行，只保留实际测得的读数",
                          "arrange a recheck by a volunteer who can take blood pressure, or the "
                          "family doctor; keep only the reading actually taken on that row")},
    "C306": {**{v: ("今天联系{doctor}上门复查，必要时拨打120送医；同时告知紧急联系人",
                    "contact the family doctor today; call 120 if needed; tell the emergency contact")
                for v in ("", "rechecked")},
             **{v: ("今天联系{doctor}上门复查，必要时拨打120送医；同时告知紧急联系人；"
                    "再核对那一行，只保留实际测得的读数",
                    "contact the family doctor today; call 120 if needed; tell the emergency "
                    "contact; then keep only the reading actually taken on that row")
                for v in ("conflict", "conflict_half_systolic", "conflict_half_diastolic")},
             **{v: ("今天联系{doctor}上门复查，必要时拨打120送医；同时告知紧急联系人；"
                    "再补全那一行缺的读数，复测结果另登记一条巡访",
                    "contact the family doctor today; call 120 if needed; tell the emergency "
                    "contact; then fill in the missing number on that row and log the recheck "
                    "as a visit")
                for v in ("half_systolic", "half_diastolic")}},
    "C307": {v: ("立即电话联系老人和{call}，并安排结对志愿者或楼组长与社工上门核查",
                 "call the resident and the emergency contact now and check at the door")
             for v in ("", "alone")},
    "C308": {**{v: ("安排有“{service}”技能、服务{estate}的志愿者上门服务并登记",
                    "arrange a volunteer with the skill {service}") for v in ("", "never", "ahead")},
             **{v: ("先核对这{unattributed}条只写了姓名的巡访（{rows}）是不是这位老人的：是，就在这些行填上"
                    "老人编号{id}；都不是，再安排有“{service}”技能、服务{estate}的志愿者上门服务并登记",
                    "first check whether these {unattributed} visit(s) ({rows}) were hers: if so, "
                    "write her id {id} on those rows; if not, arrange a volunteer with the skill "
                    "{service}") for v in ("unattributed", "never_unattributed", "ahead_unattributed")}},
    "C309": {"": ("核对这条巡访的日期和老人编号是否写错（可能是别的老人或更早的日期），写错就改正；"
                  "若老人并未{status}，把老年人台账中的状态改回“在册”",
                  "check the visit's date and resident id and correct them if wrong; if the "
                  "resident has not {gone_en}, set the status back to 在册")},
    "C310": {"": ("上门或电话向老人了解家属情况，补填{missing_labels}",
                  "ask the resident and fill in {missing_en}")},
    "C311": {v: ("安排{goer}上门跟进，并在巡访记录中登记处理情况", "ask {goer_en} to follow up and log it")
             for v in ("", "issue")},
}



# --- 物业+养老 services and activity rooms (issue #17) -----------------------------------
TEMPLATES.update({
    "P801": {"": ("{day}，{who}的“{item}”收费{fee}元，高于公示标准{price}元/{unit}{factor}="
                  "{amount}元（多收{over}元；标准：{provider}{published}公示）",
                  "{day}: {item} charged {fee} 元, above the published {price} 元/{unit} {factor} = "
                  "{amount} 元 ({over} 元 too much; {provider}, published {published})")},
    "P802": {"": ("{provider}的“{item}”有{count}笔收费，服务日期前没有公示收费标准{when}；"
                  "第一笔：{first_day}，{who}，{fee}元",
                  "{provider}: {count} fee(s) for {item} with no standard published on or before "
                  "the service date{when}; first: {first_day} {fee} 元"),
             "provider_name": ("服务单位“{provider}”的“{item}”有{count}笔收费，收费没有核对：“收费标准”表中"
                               "“{item}”的服务单位是“{others}”，与服务记录写的“{provider}”名称不一致；"
                               "第一笔：{first_day}，{who}，{fee}元",
                               "{provider}: {count} fee(s) for {item} not checked: the 收费标准 sheet "
                               "lists {item} under '{others}', which does not match '{provider}' as "
                               "written in the services log; first: {first_day} {fee} 元"),
             "no_sheet": ("服务记录中有{count}笔收费，但设置.xlsx中没有“收费标准”表，收费没有核对",
                          "{count} service(s) charged a fee but 设置.xlsx has no 收费标准 sheet; "
                          "fees were not checked"),
             "no_workbook": ("服务记录中有{count}笔收费，但文件夹里没有找到设置.xlsx（没有收费标准），收费没有核对",
                             "{count} service(s) charged a fee but no 设置.xlsx was found in the folder "
                             "(no published prices); fees were not checked"),
             "unreadable": ("服务记录中有{count}笔收费，但设置.xlsx无法读取（没有收费标准），收费没有核对",
                            "{count} service(s) charged a fee but 设置.xlsx could not be read "
                            "(no published prices); fees were not checked")},
    "P803": {"": ("{day}，{who}对“{item}”服务评价“不满意”，之后{wait}天内没有回访改进后“满意/基本满意”的记录",
                  "{day}: the resident rated the {item} service 不满意 and no 满意/基本满意 followed "
                  "within {wait} days")},
    "U901": {"": ("{day}，{room}{slot}（{who}）与{where}{other_slot}（{other_who}）{more}时间重叠",
                  "{day} {room} {slot} overlaps the booking on {where} {other_slot}{more}")},
    "U902": {"": ("{day}，{room}预约{slot}，超出开放时间{hours}",
                  "{room} booked {slot} on {day}, outside its hours {hours}"),
             "closed": ("{day}（{weekday}）{room}不开放，却有预约{slot}",
                        "{room} is closed on {day} but booked {slot}")},
    "U903": {"": ("{day}，{room}参加{attendance}人，超过容纳人数{capacity}人",
                  "{attendance} attended in {room}, capacity {capacity}")},
    "U904": {"": ("{room}{estate}近{window}天（{since}至{as_of}）没有预约使用，{last}",
                  "{room}: no booking in the {window} days up to {as_of}; {last}")},
})
TEMPLATES["D101"]["end_time"] = ("填了开始时间，但结束时间为空",
                                 "a start time is given but the end time is empty")
TEMPLATES.setdefault("D102", {})["end_time"] = ("结束时间{end}不晚于开始时间{start}",
                                               "the end time {end} is not after the start time {start}")
TEMPLATES["D109"]["room"] = ("活动室“{name}”不在设置的活动室名单中（可选：{listed}）",
                             "room '{name}' is not in the settings list ({listed})")
# D102 of a time (时段, 开始/结束时间): the code's fix asks for a date like 2026-11-03
FIX_TEMPLATES["D102"] = {
    **{v: ("按 09:00-11:00 的格式填写时段，或填 上午、下午、晚上、全天",
           "write the time range like 09:00-11:00, or 上午/下午/晚上/全天")
       for v in ("time_range", "time_range_order")},
    "time": ("按 09:00 的格式填写时间", "write the time like 09:00"),
    "end_time": ("核对开始、结束时间，结束时间应晚于开始时间",
                 "check the start and end times: the end comes after the start")}
FIX_TEMPLATES.update({
    "P801": {"": ("核对收费；多收的{over}元请服务单位退还居民，或更正收费金额、数量/时长",
                  "check the fee; have the provider refund {over} 元, or correct the fee, "
                  "quantity or hours")},
    "P802": {"": ("收费前先公示“{item}”的收费标准，并填入设置.xlsx的“收费标准”表；未公示期间的收费请核实",
                  "publish the price for {item} and list it in 收费标准; check the fees charged before"),
             "provider_name": ("如是同一服务单位，把服务记录的“服务单位”和设置.xlsx“收费标准”表中的写成一样"
                               "（如都写“{other}”）；如不是，先公示“{provider}”的“{item}”收费标准并填入该表",
                               "if it is the same provider, write its name the same in the services "
                               "log and on the 收费标准 sheet (e.g. '{other}'); if not, publish "
                               "{provider}'s price for {item} and list it there"),
             "no_sheet": ("在设置.xlsx的“收费标准”表中填写公示的收费标准（服务项目、服务单位、计价单位、"
                          "标准价、公示日期）",
                          "list the published prices on the 收费标准 sheet of 设置.xlsx"),
             "no_workbook": (_MAKE_SETTINGS[0] + "，再在其中“收费标准”表中填写公示的收费标准（服务项目、服务单位、"
                             "计价单位、标准价、公示日期）",
                             _MAKE_SETTINGS[1] + ", then list the published prices on its 收费标准 sheet"),
             "unreadable": (_REPAIR_SETTINGS[0] + "，再确认“收费标准”表填了公示的收费标准",
                            _REPAIR_SETTINGS[1] + ", then check its 收费标准 sheet")},
    "P803": {"": ("回访老人了解不满意的原因，督促服务单位改进，再次服务后登记评价",
                  "call back the resident, have the provider improve, and record the new rating")},
    "U901": {"": ("与{other}协调，调整时段或换活动室", "agree another time or room with {other}")},
})
TEMPLATES["D109"]["room_ambiguous"] = (
    "活动室“{name}”在设置的活动室名单中有{count}间（{candidates}），{why}，无法确定是哪一间，这次使用没有计入任何一间",
    "room '{name}' fits {count} rooms of the settings ({candidates}); {why}: which one is unknown, "
    "so the booking counts for none")
FIX_TEMPLATES.setdefault("D109", {})["room_ambiguous"] = (
    "在这条预约的“小区”列填写{estates}之一（没有这一列就加上）",
    "write one of {estates} under 小区 for this booking (add the column if it is missing)")
FIX_TEMPLATES.setdefault("D109", {})["room"] = (
    "改为名单中的名称，或在设置.xlsx的“活动室”表中补充该活动室或别名",
    "use a listed name, or add the room or alias on the 活动室 sheet of 设置.xlsx")
FIX_TEMPLATES.setdefault("F011", {})["column"] = (
    "在 Excel/WPS 中检查这一列的公式（引用的工作表或单元格可能被删除），改好后保存",
    "check the column's formula in Excel/WPS (the sheet or cells it refers to may have been "
    "deleted), then save")
# M702 whose closest request was registered before the meeting: the fix is not to register it
# again (a duplicate) but to check whether it is the same matter
FIX_TEMPLATES.setdefault("M702", {})["closest_before"] = (
    "先看会前登记的 {closest} 是不是同一件事：是的话把 {closest} 填进议事会记录的“诉求编号”，"
    "不要重复登记；不是的话把该议题登记进诉求台账，并填上新的编号",
    "check whether {closest}, registered before the meeting, is the same matter: if so write "
    "{closest} under 诉求编号 instead of registering it again; if not, register the item and "
    "write its new id")
FIX_TEMPLATES.setdefault("M704", {}).update(dict.fromkeys(
    [v for v in TEMPLATES["M704"] if v.endswith("_early")],
    ("核对反馈日期是否写错（年份、月份或日和月写反）并改正；如果还没有反馈，了解落实情况，在议事会上向居民通报，"
     "再填写反馈日期和反馈情况",
     "check whether the 反馈日期 is mistyped (year, month, or day and month swapped) and correct it; "
     "if it was not reported back yet, find out how it went, report it to residents and then fill "
     "in 反馈日期 and 反馈情况")))
FIX_TEMPLATES.setdefault("D110", {})["minutes"] = (
    "核对编号是否与诉求台账一致；尚未登记的，先登记为诉求再填编号",
    "check the id against the request ledger; register the request first if needed")


# F — files (made while reading: toolkit/read/files.py, sheets.py, __init__.py). Every file
# finding names the file: file = the path relative to the checked folder. what = a phrase (Text)
TEMPLATES.update({
    "F001": {
        "unsupported": ("「{file}」是{what}，本工具不能直接读取。", "'{file}' is a {ext} file, which is not supported."),
        "unopenable": ("「{file}」无法打开（{why}）。", "'{file}' cannot be opened ({why})."),
        "empty": ("「{file}」是空文件（0 字节）。", "'{file}' is empty (0 bytes)."),
        "broken_link": ("「{file}」是一个快捷方式（符号链接），它指向的“{target}”不存在，没有读取。",
                        "'{file}' is a shortcut (symbolic link) to '{target}', which does not exist; "
                        "it was not read."),
        "utf16": ("「{file}」内容是 UTF-16 文本（如 Excel“Unicode 文本”），不是 Excel 工作簿。",
                  "'{file}' is UTF-16 text (Excel's 'Unicode text'), not an Excel workbook."),
        "other_kind": ("「{file}」不是真正的表格文件，而是{what}。", "'{file}' is not a spreadsheet but {what}."),
        "not_workbook": ("「{file}」内容不是 Excel 工作簿（可能是文本文件改了扩展名）。",
                         "'{file}' is not an Excel workbook (perhaps a text file renamed)."),
        "very_old": ("「{file}」是非常旧的 Excel 格式（Excel 2.x–4.0，1987–1994 年），本工具不能读取。",
                     "'{file}' is in a very old Excel format (Excel 2.x–4.0, 1987–1994), which cannot be read."),
        "broken_zip": ("「{file}」已损坏或不完整（压缩结构无法解开，可能复制或下载时中断）。",
                       "'{file}' is damaged or truncated (the zip structure is broken)."),
        "renamed": ("「{file}」不是真正的表格文件，而是{what}（改了扩展名）。",
                    "'{file}' is not a spreadsheet but {what}."),
        "broken_ole": ("「{file}」已损坏（旧版 Office 文件结构无法解开）。", "'{file}' is damaged (broken OLE container)."),
        "office": ("「{file}」不是表格文件，而是{what}。", "'{file}' is not a spreadsheet but {what}."),
    },
    "F002": {"": ("「{file}」设置了打开密码，无法读取。", "'{file}' is protected by a password and cannot be read.")},
    "F008": {"": ("「{file}」正被 Excel/WPS 打开（旁边有临时文件 {owner}）。读取的是最后一次保存的内容；请保存并关闭后再检查。",
                  "'{file}' is open in Excel/WPS (owner file {owner} beside it); the last saved version was "
                  "read. Save and close it, then check again.")},
    "F009": {
        "entries": ("「{file}」超出安全限制，未读取：包含 {entries} 个内部文件（上限 {limit}）。",
                    "'{file}' exceeds a safety limit and was not read: holds {entries} entries (limit {limit})."),
        "uncompressed": ("「{file}」超出安全限制，未读取：解压后约 {mb} MB（上限 {limit_mb} MB）。",
                         "'{file}' exceeds a safety limit and was not read: declares {mb} MB uncompressed "
                         "(limit {limit_mb} MB)."),
        "dtd": ("「{file}」超出安全限制，未读取：内部文件 {entry} 含有 DOCTYPE/ENTITY 声明（可能是恶意文件）。",
                "'{file}' exceeds a safety limit and was not read: entry {entry} declares a DOCTYPE/ENTITY "
                "(possible entity bomb)."),
    },
    "F010": {
        "misnamed": ("「{file}」扩展名是 {ext}，内容其实是{what}，已按 {read_as} 读取。",
                     "'{file}' is named {ext} but is {what}; read as {read_as}."),
        "legacy": ("「{file}」是旧版 Excel 格式（.xls），已读取。", "'{file}' is in the legacy Excel format (.xls); it was read."),
        "legacy_misnamed": ("「{file}」是旧版 Excel 格式（.xls），已读取（扩展名不是 .xls）。",
                            "'{file}' is in the legacy Excel format (.xls); it was read."),
        "default_key": ("「{file}」用 Excel 内置的默认密钥加密（打开时不需要密码，常见于设置了“修改密码”或保护了"
                        "工作表的文件），已解密读取。",
                        "'{file}' is encrypted with Excel's built-in default key (it opens without a password, as "
                        "when only a modify password or sheet protection is set); it was decrypted and read."),
    },
})
FIX_TEMPLATES.update({
    "F001": {
        "unsupported": ("请用 Excel/WPS 打开后“另存为”Excel 工作簿（.xlsx）", "open it and save as .xlsx"),
        "unopenable": ("请检查文件是否存在、是否有读取权限", "check that it exists and can be read"),
        "empty": ("文件可能在复制或保存时出错，请从原处重新复制或重新保存",
                  "it was probably damaged when copied or saved; copy or save it again"),
        "broken_link": ("把真正的台账文件复制到这个文件夹，并删除这个失效的快捷方式",
                        "copy the real ledger into this folder and delete the broken shortcut"),
        "utf16": ("请把扩展名改为 .csv，或用 Excel/WPS 打开后“另存为”.xlsx",
                  "rename it to .csv, or open it and save as .xlsx"),
        "other_kind": ("请找到真正的台账文件，或用 Excel/WPS 打开后“另存为”.xlsx",
                       "find the real ledger file, or open it and save as .xlsx"),
        "not_workbook": ("请用 Excel/WPS 打开后“另存为”Excel 工作簿（.xlsx）", "open it and save as .xlsx"),
        "very_old": ("请用 Excel/WPS/LibreOffice 打开后“另存为”Excel 工作簿（.xlsx）",
                     "open it in Excel/WPS/LibreOffice and re-save as .xlsx"),
        "broken_zip": ("请从原处重新复制，或在 Excel/WPS 中打开原文件重新保存",
                       "copy it again from where it came from, or re-save the original"),
        "renamed": ("请找到真正的台账文件，或打开后“另存为”.xlsx",
                    "find the real ledger file, or open it and save as .xlsx"),
        "broken_ole": ("请在 Excel/WPS 中打开原文件重新保存为 .xlsx", "re-save the original as .xlsx"),
        "office": ("请找到真正的台账文件", "find the real ledger file"),
    },
    "F002": {"": ("请在 Excel/WPS 中打开，取消“文档加密”（文件→信息→保护工作簿→用密码进行加密，清空密码）后保存",
                  "open it, remove the password (File → Info → Protect Workbook → Encrypt) and save")},
    "F010": {v: ("建议在 Excel/WPS 中“另存为”.xlsx", "consider saving it as .xlsx")
             for v in ("legacy", "legacy_misnamed")},
})

# why a file or a sheet could not be read (read/sheets.py ``_why``): F009 for a safety limit,
# F001 else; the file's variant is the reason, the sheet's is "sheet_" + the reason
_F_REASONS = {
    "F009": {"memory": ("读取所需内存超过上限（{limit} MB）", "needs more memory than allowed ({limit} MB)"),
             "time": ("读取超过 {seconds} 秒仍未完成", "took longer than {seconds} s to read"),
             "cells": ("有 {cells:,} 个单元格（上限 {limit:,}）", "holds {cells:,} cells (limit {limit:,})")},
    "F001": {"crash": ("读取组件异常退出（{detail}）", "the reader crashed ({detail})"),
             "unparsable": ("无法解析（{detail}）", "cannot be parsed ({detail})")},
}
for _code, _reasons in _F_REASONS.items():
    for _reason, (_zh, _en) in _reasons.items():
        TEMPLATES[_code][_reason] = (
            ("「{file}」超出安全限制，未读取：" + _zh + "。", "'{file}' exceeds a safety limit and was not read: " + _en + ".")
            if _code == "F009" else ("「{file}」无法读取：" + _zh + "。", "'{file}' cannot be read: " + _en + "."))
        TEMPLATES[_code]["sheet_" + _reason] = (
            "「{file}」的工作表「{sheet}」未能读取：" + _zh + "。其余工作表已读取",
            "sheet '{sheet}' of '{file}' was not read: " + _en + ". The other sheets were read")
        FIX_TEMPLATES.setdefault(_code, {})["sheet_" + _reason] = (
            "请在 Excel/WPS 中打开该文件，检查这张工作表后“另存为”.xlsx",
            "open the file in Excel/WPS, check this sheet and save it as .xlsx")
        if _code == "F001":
            FIX_TEMPLATES["F001"][_reason] = ("请在 Excel/WPS 中打开该文件，确认能正常打开后“另存为”.xlsx",
                                              "open it in Excel/WPS and save it again as .xlsx")
TEMPLATES["F009"]["too_large"] = ("「{file}」太大，读取时内存不足，未读取。", "'{file}' is too large to read.")
# added to the F001/F002/F009 of a file (or sheet) that may hold a ledger (toolkit/domain/unread.py):
# the checks that conclude from that ledger's records being absent were withheld
for _code in ("F001", "F002", "F009"):
    TEMPLATES[_code]["withheld"] = (
        "它可能是{ledger}：在它能读取之前，要看{ledger}里有没有记录才能下结论的检查（{withheld}）这次没有做，也没有据此派单。",
        "It may be the {ledger} ledger: until it can be read, the checks that conclude from its records "
        "being absent ({withheld}) were not done this run, and no work orders were made from them.")
# check/data.py: many ids repeated between two folders — two 居委 read as one, or an old copy
TEMPLATES["D107"]["folders"] = (
    "文件夹「{a}」和「{b}」里的台账有{n}个编号相同（见各行的 D107）：它们被当成了同一个居委的台账。",
    "The ledgers in the folders '{a}' and '{b}' share {n} ids (see the D107 on each row): they "
    "were read as one community's.")
FIX_TEMPLATES["D107"] = {"folders": (
    "如果它们是两个居委，请在每个文件夹里放一份设置.xlsx（或把文件夹名改为“…居民区”），镇文件夹会逐个居委分开检查；"
    "如果其中一个是旧台账或备份，请把它移出台账文件夹",
    "if they are two communities, put a 设置.xlsx in each folder (or name them …居民区) and they "
    "are checked one by one; if one is an old copy or a backup, move it out of the ledger folder")}
# check/__init__.py: no visit log at all beside an elderly ledger (domain/unread.py, NEEDED_WITH):
# one C302 for the run instead of one per resident, and no work orders
TEMPLATES["C302"]["no_log"] = (
    "没有读到巡访记录：老年人台账中有{count}位在册的A、B级老人，但台账文件夹里没有巡访记录，"
    "要看巡访记录才能下结论的检查（{withheld}）这次没有做，也没有据此派单。",
    "No visit log was read: the elderly ledger has {count} tier A/B residents on the register, "
    "but the folder holds no visit log; the checks that need it ({withheld}) were not done this "
    "run, and no work orders were made from them.")
FIX_TEMPLATES["C302"]["no_log"] = (
    "把巡访记录（如 巡访记录.xlsx）放进这个台账文件夹后重新检查；还没有巡访记录的，用 shequ template visits 建一本并开始登记",
    "put the visit log (e.g. 巡访记录.xlsx) in this folder and check again; if there is none yet, "
    "make one with shequ template visits and start logging visits")
TEMPLATES["F001"]["exception"] = ("「{file}」无法读取（{error}）。", "'{file}' cannot be read ({error}).")
FIX_TEMPLATES["F001"]["exception"] = FIX_TEMPLATES["F001"]["crash"]
# pipeline.py: a community of a town folder whose check failed (one F001 per file of it)
for _variant, (_zh, _en) in {
    "community_signal": ("检查进程意外退出（信号 {signal}，可能是内存不足）",
                         "the checking process died (signal {signal}, perhaps out of memory)"),
    "community_exit": ("检查进程意外退出（退出码 {exit_code}）", "the checking process exited ({exit_code})"),
    "community_error": ("{error}", "{error}"),
}.items():
    TEMPLATES["F001"][_variant] = (
        "「{file}」未能检查：居委文件夹「{folder}」检查时出错（" + _zh + "），其他居委照常检查。",
        "'{file}' not checked: checking the community folder '{folder}' failed (" + _en
        + "); the other communities were checked.")
    FIX_TEMPLATES["F001"][_variant] = ("请单独检查该居委文件夹（shequ check 文件夹），并把出错信息告诉维护人员",
                                       "check that folder on its own (shequ check FOLDER) and report the message")
# pipeline.py: a community folder of a town folder holding no ledger file at all
TEMPLATES["F001"]["community_empty"] = (
    "居委文件夹「{folder}」里没有台账文件（空文件夹，或只有设置.xlsx），这个居委这次没有检查。",
    "The community folder '{folder}' holds no ledger file (empty, or only 设置.xlsx); that "
    "community was not checked.")
FIX_TEMPLATES["F001"]["community_empty"] = (
    "把这个居委的台账（.xlsx、.xls 或 .csv）放进该文件夹后重新检查；不是居委的文件夹请改名或移出镇文件夹",
    "put the community's ledgers (.xlsx, .xls or .csv) in that folder and check again; rename or "
    "move a folder that is no community")
TEMPLATES["F010"].update({
    "date1904": ("「{file}」使用 1904 日期系统（常见于 Mac 版 Excel），日期已按此换算。",
                 "'{file}' uses the 1904 date system (Mac Excel); dates were converted accordingly."),
    "utf16": ("「{file}」是 UTF-16 编码的文本（如 Excel“Unicode 文本”），已按 UTF-16 读取。",
              "'{file}' is UTF-16 text (Excel's 'Unicode text'); it was read as UTF-16."),
    "gbk": ("「{file}」是 GBK 编码的 CSV（常见于 Excel“另存为 CSV”），已按 GBK 读取。",
            "'{file}' is a CSV in GBK encoding; it was read as GBK."),
    "bad_bytes": ("「{file}」含有无法识别的字符（按 {encoding} 读取，乱码处显示为 �），请核对这些单元格。",
                  "'{file}' contains bytes that are not valid {encoding}; they show as �. Check those cells."),
    "unmatched_quote": ("「{file}」第 {row} 行起引号（\"）没有配对，之后各行按原样逐行读取，请核对。",
                        "'{file}' has an unmatched quote (\") from row {row}; the rest was read line by line. "
                        "Check those rows."),
})
FIX_TEMPLATES["F003"] = {
    "settings_like": ("如这是本居委的设置，把它改名为“{settings_file}”，台账文件夹里只留这一份设置；"
                      "如是旧的副本，把它移出台账文件夹",
                      "if these are the committee's settings, rename the file to {settings_file} and "
                      "keep only that one settings file in the ledger folder; if it is an old copy, "
                      "move it out of the ledger folder"),
    "own_output": ("把它移出台账文件夹：shequ 的报表都放在「报表」文件夹里，那里的文件不会被当作台账读取",
                   "move it out of the ledger folder: shequ keeps its reports in the 报表 folder, "
                   "which is never read as ledgers"),
    "summary_sheet": ("如这张表是台账明细，把引用其他工作表的公式改成数值（复制→选择性粘贴→数值）；"
                      "如是汇总表，把手填的行移到台账工作表里",
                      "if it is a ledger, turn the formulas into values (copy, paste special → values); "
                      "if it is a summary, move the typed rows to the ledger sheet")}
FIX_TEMPLATES["F010"].update({v: ("请用 Excel/WPS 打开核对后另存为 .xlsx", "open it, check and save as .xlsx")
                              for v in ("bad_bytes", "unmatched_quote")})
TEMPLATES["F003"] = {
    "settings_like": ("「{file}」看起来是一份设置表（有{sheets}等工作表），不是台账，没有读取，也没有当作设置读取。",
                      "'{file}' looks like a settings workbook (sheets {sheets} …): it is no ledger and "
                      "was not read, nor read as the settings."),
    "own_output": ("「{file}」是 shequ 自己生成的文件（报表、派单或标注副本），不是台账，没有读取。",
                   "'{file}' was written by shequ itself (a report, work orders or an annotated "
                   "copy), not a ledger; it was not read."),
    "summaries_only": ("「{file}」只有汇总表（{names}：汇总其他工作表），没有台账明细，未读取。",
                       "'{file}' holds only summary sheets ({names}, summing up other sheets), no ledger rows."),
    "summary_sheet": ("工作表「{sheet}」按汇总表处理，没有当作{ledger}读取：表头下 {cells} 个有内容的单元格中"
                      "有 {formulas} 个是引用其他工作表的公式；其中手填的 {rows} 行也没有读取。",
                      "sheet '{sheet}' was taken as a summary, not as the {ledger} ledger: {formulas} of the "
                      "{cells} filled cells below its header are formulas over other sheets; the {rows} "
                      "row(s) typed by hand in it were not read either."),
    "no_field": ("「{file}」没有工作表能对应任何台账：表头里没有一项是台账（{titles}）的项目。",
                 "'{file}' matches no ledger: none of its headers is a field of any ledger ({titles})."),
    "empty": ("「{file}」里没有任何台账内容（所有工作表都是空的或没有表头）。",
              "'{file}' holds no ledger (every sheet is empty or has no header row)."),
    "closest": ("「{file}」没有工作表能对应任何台账。最接近的是工作表「{sheet}」→{ledger}"
                "（认出 {matched} 列），缺少表头：{lacks}",
                "no sheet of '{file}' matches a ledger. Closest: sheet '{sheet}' → {ledger} "
                "({matched} column(s) recognised); missing headers: {lacks}"),
}
# sheets and columns (read/__init__.py): ledger = the ledger's name (Text), column = a letter
TEMPLATES.update({
    "F004": {"": ("「{sheet}」是{ledger}，但缺少必需的列「{header}」（也可写作：{aliases}）",
                  "sheet '{sheet}' is the {ledger} ledger but lacks the required column '{header}'"),
             "one_of": ("「{sheet}」是{ledger}，但「{headers}」这几列一列都没有，至少需要其中一列",
                        "sheet '{sheet}' is the {ledger} ledger but has none of the columns {headers}"),
             "stage": ("「{sheet}」是{ledger}，但没有{stages}{step}的列（{headers}都没有），"
                       "{step}没有逐行检查（不报{step}未填、超期）",
                       "sheet '{sheet}' is the {ledger} ledger but has no column for the {stages} "
                       "{step_en} ({headers}); not checked row by row")},
    "F005": {"": ("「{header}」（{column}列）与{first_column}列「{first_header}」对应同一项目，只读取了{first_column}列",
                  "column {column} '{header}' maps to the same field as column {first_column} '{first_header}'; "
                  "only column {first_column} was read")},
    "F006": {"": ("{column}列「{header}」不是{ledger}的项目，已忽略",
                  "column {column} '{header}' is not a field of the {ledger} ledger and was ignored")},
    "F007": {"": ("{cells} 共 {count} 个公式单元格没有计算结果，值未知，未按空值检查",
                  "{count} formula cell(s) without a cached value ({cells}); value unknown, "
                  "not checked as empty")},
})

# read-time D (read/normalise.py: a cell's value cannot be read). shown = the value as typed,
# in full (the findings go to the clerk who typed it; what reaches the town is masked there)
for _code, _variants in {
    "D102": {
        "no_such_day": ("日期“{shown}”不存在（{year}年{month}月没有{day}日）", "date '{shown}' does not exist"),
        "unreadable": ("无法识别日期“{shown}”，请按 2026-11-03 的格式填写",
                       "cannot read the date '{shown}'; write it like 2026-11-03"),
        "not_serial": ("无法识别日期“{shown}”（不是有效的Excel日期数），请按 2026-11-03 的格式填写",
                       "cannot read the date '{shown}' (not an Excel date serial); write it like 2026-11-03"),
        "year_only": ("无法识别日期“{shown}”（只有年份），请按 2026-11-03 的格式填写",
                      "cannot read the date '{shown}' (a year alone); write it like 2026-11-03"),
        "phantom": ("日期显示为 1900-02-29，但 Excel 的 1900-02-29 并不存在（Excel 日期的历史错误），请填写真实日期",
                    "the date shows as 1900-02-29, but Excel's 1900-02-29 never existed; write the real date"),
        "phantom_typed": ("日期“{shown}”显示为 1900-02-29，但 Excel 的 1900-02-29 并不存在（Excel 日期的历史错误），"
                          "请填写真实日期",
                          "the date '{shown}' shows as 1900-02-29, but Excel's 1900-02-29 never existed; "
                          "write the real date"),
        "no_month": ("出生年月“{shown}”中没有{month}月", "'{shown}': no month {month}"),
        "no_day": ("日期“{shown}”只有年月、没有日，无法据此计算时限，请写全，如 2026-11-03",
                   "the date '{shown}' has a year and month but no day; write it in full, like 2026-11-03"),
        "month_lost": ("出生年月“{shown}”是数字格式，末尾的0可能已丢失，无法判断是1月还是10月，"
                       "请改为文本格式填写 {year}-01 或 {year}-10",
                       "'{shown}' is stored as a number: January or October? write {year}-01 or {year}-10"),
        # time ranges, times of day (services and rooms, issue #17)
        "time_range": ("无法识别时段“{shown}”，请按 09:00-11:00 填写，或填 上午、下午、晚上、全天",
                       "cannot read the time range '{shown}'; write it like 09:00-11:00, or 上午/下午/晚上/全天"),
        "time_range_order": ("无法识别时段“{shown}”（结束时间不晚于开始时间），请按 09:00-11:00 填写，或填 上午、下午、晚上、全天",
                             "cannot read the time range '{shown}' (it does not end after it starts); "
                             "write it like 09:00-11:00, or 上午/下午/晚上/全天"),
        "time": ("无法识别时间“{shown}”，请按 09:00 填写", "cannot read the time '{shown}'; write it like 09:00"),
    },
    "D104": {"": ("电话号码“{shown}”格式不对（共{digits}位数字），应为11位手机号或8位固定电话（可带区号，如 021-57651234）",
                  "phone '{shown}' is malformed ({digits} digits)"),
             "area": ("电话号码“{shown}”格式不对：区号{area}后面是{local}位数字，固定电话号码应为8位（如 021-57651234）",
                      "phone '{shown}' is malformed: {local} digits after the area code {area}, a landline number has 8"),
             "mobile": ("电话号码“{shown}”格式不对：手机号应为11位数字，这里是{digits}位",
                        "phone '{shown}' is malformed: a mobile has 11 digits, this has {digits}"),
             "prefix": ("电话号码“{shown}”格式不对：11位数字的手机号应以13至19开头，这里是{head}开头",
                        "phone '{shown}' is malformed: an 11-digit mobile starts with 13 to 19, this with {head}"),
             "other": ("电话号码“{shown}”读不出号码：请只写一个11位手机号或8位固定电话（可带区号，如 021-57651234），"
                       "说明写在号码后面的括号里，如 13912345678（儿子）",
                       "no number could be read from phone '{shown}': write one 11-digit mobile or 8-digit "
                       "landline (area code allowed), a note in brackets after it")},
    "D105": {
        "as_number": ("身份证号“{shown}”是以数字格式保存的，末几位已丢失（Excel只保留15位有效数字）",
                      "the ID '{shown}' was stored as a number, so its last digits were lost"),
        "malformed": ("身份证号“{shown}”不正确", "ID '{shown}' is malformed"),
        "old15": ("身份证号“{shown}”是旧的15位号码，请换成18位身份证号",
                  "'{shown}' is an old 15-digit ID; write the 18-character one"),
        "length": ("身份证号“{shown}”应为18位（17位数字加一位数字或X），现为{length}位",
                   "the ID '{shown}' must have 18 characters (17 digits and a digit or X); it has {length}"),
        "check_digit": ("身份证号“{shown}”校验位不对，可能有数字填错",
                        "the ID '{shown}' fails its check digit: a digit is wrong"),
        "birth": ("身份证号“{shown}”中的出生日期“{birth}”不是有效日期",
                  "the birth date '{birth}' inside the ID is not a real date"),
    },
    "D109": {"bool": ("“{shown}”不是可识别的是/否，请填写“是”或“否”", "'{shown}' is not a yes/no value; write 是 or 否")},
    "D111": {
        "bp_unreadable": ("无法识别血压“{shown}”，请按“收缩压/舒张压”填写，如 135/85",
                          "cannot read the blood pressure '{shown}'; write it like 135/85"),
        "bp_no_diastolic": ("血压只填了高压（收缩压）{value}，低压（舒张压）为空，无法判断血压；请补填低压，如 135/85",
                            "blood pressure has only the systolic {value}; the diastolic is empty: fill it in"),
        "bp_no_systolic": ("血压只填了低压（舒张压）{value}，高压（收缩压）为空，无法判断血压；请补填高压，如 135/85",
                           "blood pressure has only the diastolic {value}; the systolic is empty: fill it in"),
        # read/records.py: a 血压 column and 高压 | 低压 columns filled with two readings
        "bp_conflict": ("同一行的{header}写的是 {own}，{pair_header}写的是 {pair}，两个读数不一致，"
                        "无法判断这次量的血压（不算作一次读数，也不据此解除之前的提醒；其中有危急、"
                        "偏高或偏低的，按那一个另行提示）；请核对后只保留实际测得的读数",
                        "the row's {header} says {own} but its {pair_header} say {pair}: two "
                        "different readings, so the blood pressure is unknown (not counted as a "
                        "reading, clears no earlier alert; a critical, high or low one among them "
                        "is reported as such); keep only the reading actually taken"),
        "weekdays_unreadable": ("无法识别可服务时间“{shown}”，请填写如“周一至周五”“周二、周四”“工作日”“周末”“每天”",
                                "cannot read the weekdays '{shown}'; write e.g. 周一至周五, 周二、周四, 工作日"),
        "not_whole": ("“{shown}”不是整数", "'{shown}' is not a whole number"),
        "not_number": ("“{shown}”不是数字", "'{shown}' is not a number"),
        "not_count": ("“{shown}”不是数量，请填写如 3 或 3份", "'{shown}' is not a quantity; write e.g. 3 or 3份"),
        "money": ("“{shown}”不是金额，请填写如 12 或 12.50（元）；免费留空",
                  "'{shown}' is not an amount; write e.g. 12 or 12.50 (元), leave empty when free"),
    },
    # read/records.py: a formula cell showing an error value (#N/A …)
    "F011": {"": ("「{header}」显示为 {error}（公式的结果是错误值），已按无效值处理",
                  "'{header}' shows {error} (the formula's result is an error value); treated as invalid"),
             # the whole column shows error values (records.py, _error_columns): one per column
             "column": ("「{header}」整列 {count} 个单元格都显示错误值（{errors}，从第{row}行起），"
                        "公式的结果是错误值，已按无效值处理",
                        "all {count} filled cells of '{header}' show error values ({errors}, from "
                        "row {row}); treated as invalid")},
}.items():
    for _variant, _pair in _variants.items():
        assert _variant not in TEMPLATES.get(_code, {}), (_code, _variant)
        TEMPLATES.setdefault(_code, {})[_variant] = _pair
# read/records.py: one D112 per column (per ledger when it is kept on several sheets)
TEMPLATES["D112"] = {
    "": ("「{header}」列有{count}个值已统一格式，例如第{row}行：{raw} → {shown}",
         "{count} value(s) in column '{header}' were normalised, e.g. row {row}: {raw} → {shown}"),
    "sheets": ("「{header}」列有{count}个值已统一格式（{sheets}张工作表合计），例如第{row}行：{raw} → {shown}",
               "{count} value(s) in column '{header}' were normalised (over {sheets} sheets), e.g. "
               "row {row}: {raw} → {shown}"),
    # a column whose year-less 25/5, 3/11 are read day/month (normalise.reads_day_first)
    "day_first": ("「{header}」列有{count}个值已统一格式，例如第{row}行：{raw} → {shown}；"
                  "本列不带年份的“数字/数字”日期有的前一个数大于12（不可能是月份），整列按“日/月”读（如 3/11 为11月3日）",
                  "{count} value(s) in column '{header}' were normalised, e.g. row {row}: {raw} → "
                  "{shown}; some of its year-less dates have a first number over 12 (not a month), so "
                  "the whole column is read day/month (3/11 = 3 November)"),
    "sheets_day_first": ("「{header}」列有{count}个值已统一格式（{sheets}张工作表合计），例如第{row}行：{raw} → "
                         "{shown}；本列不带年份的“数字/数字”日期有的前一个数大于12（不可能是月份），整列按“日/月”读"
                         "（如 3/11 为11月3日）",
                         "{count} value(s) in column '{header}' were normalised (over {sheets} sheets), "
                         "e.g. row {row}: {raw} → {shown}; some of its year-less dates have a first "
                         "number over 12 (not a month), so the whole column is read day/month "
                         "(3/11 = 3 November)"),
    # read/minutes.py: empty 会议日期 cells continuing the meeting date above
    "continued": ("「{header}」列有 {count} 个空格沿用了上一行的会议日期（同一次会议只写一次日期），例如第 {row} 行 → {day}",
                  "{count} empty cell(s) in column '{header}' continue the meeting date above (one date per "
                  "meeting), e.g. row {row} → {day}"),
}

# check/elderly.py: residents whose empty 状态 is read from 备注 (one per sheet)
TEMPLATES["D112"]["status_from_note"] = (
    "{count}位老人的「状态」为空，但「{header}」写明已去世或迁出，已按{header}处理（不再安排巡访）：{who}",
    "{count} resident(s) have no status but the '{header}' column says they died or moved out; "
    "read as such (no visit is planned): {who}")
FIX_TEMPLATES.setdefault("D112", {})["status_from_note"] = (
    "核对后在「状态」列为这些老人填写“去世”或“迁出”（台账没有状态列的，加一列「状态」）",
    "check, then write 去世 or 迁出 in their 状态 cell (add a 状态 column if the ledger has none)")

# check/references.py: 结对志愿者 and the roster's 结对老人 name different volunteers (once a run)
TEMPLATES["D112"]["pairing_differs"] = (
    "{count}位老人的结对志愿者，老年人台账与志愿者名册“{header}”写的不一致，已按老年人台账的“结对志愿者”：{who}",
    "{count} resident(s) are paired with one volunteer in the elderly ledger and listed under "
    "another in the roster's '{header}'; the elderly ledger was followed: {who}")
FIX_TEMPLATES.setdefault("D112", {})["pairing_differs"] = (
    "核对由谁结对：老年人台账的“结对志愿者”写对了，就从其他志愿者的“{header}”中删去这位老人；否则改正老年人台账",
    "check who is paired: if the elderly ledger is right, take the resident off the other "
    "volunteers' lists; otherwise correct the elderly ledger")

# read/records.py: rows struck through (删除线) instead of deleted, one per sheet (docs/read.md)
TEMPLATES["D112"]["struck"] = (
    "{rows}整行划了删除线：按已删除读（不在册），不再安排巡访、不再派单",
    "{rows} struck through: read as deleted (off the register); no visit or work order is planned")
TEMPLATES["D112"]["struck_inactive"] = (
    "{rows}整行划了删除线：按已删除读（不在岗），不再派单",
    "{rows} struck through: read as deleted (not active); no work is assigned")
TEMPLATES["D112"]["struck_rows"] = (
    "{rows}整行划了删除线：按已删除读，不算记录（不计数、不检查）",
    "{rows} struck through: read as deleted, not as records (not counted, not checked)")
FIX_TEMPLATES["D112"]["struck"] = (
    "若是去世或迁出，请在「状态」列写明；若并未删除，请去掉删除线",
    "if the resident died or moved out, write it in 状态; if the row is not deleted, remove the strike-through")
FIX_TEMPLATES["D112"]["struck_inactive"] = (
    "若已不做志愿者，请在「在岗」列写“否”（或填离岗日期）；若并未删除，请去掉删除线",
    "if the volunteer left, write 否 in 在岗 (or a leaving date); if the row is not deleted, remove the strike-through")
FIX_TEMPLATES["D112"]["struck_rows"] = (
    "确已作废的行可以删掉；若并未作废，请去掉删除线",
    "rows that are void can be deleted; if a row is not void, remove the strike-through")

# S501 — settings (read/settings.py). cell = B3; expected = what a good value looks like (Text)
_S501_CELL = ("设置「{sheet}」表 {cell}（{header}）：", "settings sheet '{sheet}' {cell} ({header}): ")
TEMPLATES["S501"] = {
    "unreadable": ("设置文件「{file}」无法读取（{why}），全部使用默认设置。",
                   "the settings file '{file}' cannot be read ({why}); all defaults are used."),
    "corrupt": ("设置文件「{file}」无法读取（文件已损坏，或不是 Excel 工作簿），全部使用默认设置。",
                "the settings file '{file}' cannot be read ({why}); all defaults are used."),
} | {variant: (_S501_CELL[0] + zh + "。", _S501_CELL[1] + en + ".") for variant, (zh, en) in {
    "invalid": ("“{shown}”无效，应填写{expected}；已使用默认值“{default}”",
                "'{shown}' is invalid; expected {expected}; the default '{default}' is used"),
    "invalid_blank": ("“{shown}”无效，应填写{expected}；已按未填写处理",
                      "'{shown}' is invalid; expected {expected}; treated as blank"),
    "invalid_ignored": ("“{shown}”无效，应填写{expected}；该行已忽略",
                        "'{shown}' is invalid; expected {expected}; the row is ignored"),
    "no_category_name": ("类别名称为空；该行已忽略", "the category name is empty; the row is ignored"),
    "duplicate_category": ("类别“{name}”重复；该行已忽略", "category '{name}' is listed twice; the row is ignored"),
    "no_name": ("姓名为空；该行已忽略", "the name is empty; the row is ignored"),
    "holiday_twice": ("{day} 前面已填为“{before}”，此处又填“{word}”；该行已忽略",
                      "{day} is already listed as {before}; the row is ignored"),
    "schedule_time": ("“{shown}”中的时间无法识别，应填写{expected}；已按所填的星期、默认时间使用“{used}”",
                      "the time in '{shown}' is unreadable; expected {expected}; the weekday written and the "
                      "default time are used: '{used}'"),
    "unknown_item": ("“{shown}”不是本表的设置项，该行没有读取（本表的项目：{allowed}）",
                     "'{shown}' is not a setting of this sheet; the row was not read (its settings: {allowed})"),
    "unknown_column": ("“{shown}”无法识别，该列没有读取；本表缺少“{missing}”列，已按默认值处理"
                       "（本表的列：{allowed}）",
                       "header '{shown}' is not recognised and the column was not read; '{missing}' is "
                       "missing, so its default is used (columns: {allowed})"),
    "duplicate_item": ("“{label}”填了两次：{used} 填“{first}”，此处填“{shown}”；已使用 {used} 的值，本行已忽略",
                       "'{label}' is given twice: '{first}' at {used} and '{shown}' here; {used} is used "
                       "and this row is ignored"),
    # 收费标准 and 活动室 (issue #17)
    "service_item": ("服务项目“{shown}”不在可选范围（{allowed}）；该行已忽略",
                     "item '{shown}' is not one of {allowed}; the row is ignored"),
    "no_publication_date": ("公示日期为空；该行已忽略", "the publication date is empty; the row is ignored"),
    "no_room_name": ("名称为空；该行已忽略", "the name is empty; the row is ignored"),
    "duplicate_room": ("活动室“{name}”重复；该行已忽略", "room '{name}' is listed twice; the row is ignored"),
}.items()}
FIX_TEMPLATES.setdefault("F004", {})["stage"] = (
    "在表头加上{headers}列（名称可参照模板）并补记：诉求要走完梳理分类、分派研究、跟踪解决、答复反馈四步，"
    "每一步都要在台账里有记录，shequ 才能逐行检查",
    "add the columns {headers} (see the template) and fill them in: every request runs the four "
    "stages (classified, assigned, resolved, replied), each recorded in the ledger, to be checked "
    "row by row")
FIX_TEMPLATES["S501"] = {
    "unreadable": ("用 Excel/WPS 打开后另存为 .xlsx（不设密码），或用 shequ template settings 重新生成",
                   "save it as .xlsx without a password, or make a new one with shequ template settings"),
}
FIX_TEMPLATES["S501"]["corrupt"] = FIX_TEMPLATES["S501"]["unreadable"]

# F006 on 服务项目 of a sheet read as 巡访记录 that looks like a 服务记录 (read/__init__.py,
# issue #17); wanted = the missing services columns (「服务单位」或「收费金额」)
TEMPLATES["F006"]["service_log"] = (
    "「{sheet}」按巡访记录读取，{column}列「{header}」已忽略。如果这是物业+养老的服务记录，"
    "请加上{wanted}列，程序会按服务记录读取并核对收费",
    "sheet '{sheet}' was read as a visit log and column {column} '{header}' was ignored; "
    "if it is a services log, add a column {wanted}")
FIX_TEMPLATES.setdefault("F006", {})["service_log"] = (
    "服务记录请加上{wanted}列；巡访记录请把该列改为「服务类型」",
    "add {wanted} for a services log; rename it 服务类型 for a visit log")

# the tables a pickled Message names (Message.__reduce__)
_TABLES = {"TEMPLATES": TEMPLATES, "FIX_TEMPLATES": FIX_TEMPLATES}
