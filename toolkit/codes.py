"""Catalogue of finding codes (spec/rules.md): severity, urgency, title and default fix.

Codes never change meaning; a new rule takes a new code here. S5xx codes (settings and
calendar) are this project's addition: settings.md asks for findings that rules.md does not
number.
"""
from __future__ import annotations

from dataclasses import dataclass

from toolkit.text import Text


@dataclass(frozen=True)
class Code:
    code: str
    severity: str
    title: Text
    fix: Text
    urgent: bool = False


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
    _c("F003", "info", "没有工作表能对应任何台账", "no sheet matches any ledger",
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
       "填写办理时限，或在 设置.xlsx 的诉求类别中填写时限",
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
    _c("C306", "error", "血压危急", "critical blood pressure in the last 7 days",
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
    # V — volunteers
    _c("V401", "warning", "志愿者超出每周上限", "volunteer over weekly capacity",
       "调整结对或排班，分给其他志愿者", "move pairings or bookings to others"),
    _c("V402", "warning", "证书已过期或即将过期", "certificate expired or expiring within 30 days",
       "提醒志愿者复审证书并更新有效期", "renew the certificate and update the expiry date"),
    _c("V403", "warning", "志愿者不在岗但仍有结对或排班", "inactive volunteer still paired or booked",
       "为相关老人改派在岗志愿者", "re-pair the residents with active volunteers"),
    _c("V404", "info", "志愿者60天内没有服务记录", "volunteer with no visit in 60 days",
       "联系志愿者了解情况", "check in with the volunteer"),
    _c("V405", "info", "小区重点老人与在岗志愿者比例超过5:1", "over 5 tier A/B residents per volunteer",
       "在该小区招募或调配志愿者（老伙伴计划1:5）", "recruit volunteers in this estate"),
    # S — settings and calendar (project addition)
    _c("S501", "warning", "设置值无效，已使用默认值", "settings value invalid, default used",
       "按说明更正 设置.xlsx 中该单元格", "correct that cell in 设置.xlsx"),
    _c("S502", "warning", "缺少该年的节假日数据，按周末计算", "no holiday data for the year",
       "在 设置.xlsx 的“节假日”表中填写该年的放假和调休日期",
       "list that year's holidays and 调休 days in the 节假日 sheet of 设置.xlsx"),
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
