"""What a work order tells its assignee to do (rules.md: "A work order speaks to the person it
is assigned to").

The text is made from the follow-up, its assignee and the record it is about — never copied
from a finding's fix, which is written for the clerk reading the findings list. The reader is
always 您: what you do, for whom, by when; anyone else named is someone you hand over to,
chase, call or go along with. When the resident's 结对志愿者 is not the assignee the order
says why (``FollowUp.instead``, set by the solver).

Work-order workbooks are always Chinese (cli.md), so the texts are Chinese only.
"""
from __future__ import annotations

from toolkit import schema
from toolkit.model import FollowUp, Record
from toolkit.workdays import WorkCalendar

__all__ = ["instruction"]

CALL_FOR_HELP = "联系不上又无人应门时，立即拨打110或120"


def instruction(fu: FollowUp, target: Record | None, settings) -> str:
    """The 要做什么 text of one work order (Chinese)."""
    make = _MAKERS.get(fu.type, _generic)
    lines = [make(fu, target, settings)]
    if fu.instead is not None and fu.type in ("visit", "bp_recheck", "service", "safety_check") \
            and fu.assignee:
        why = fu.instead.zh
        lines.append(f"由您去，因为{why}。" if why.startswith("结对志愿者") else f"{why}，由您去。")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
def _s(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _resident(fu: FollowUp, target: Record | None) -> str:
    """张秀英（LR-001）, or the id alone."""
    name = _s(target.get("name")) if target is not None else ""
    return f"{name}（{fu.target}）" if name and name != fu.target else fu.target


def _by(fu: FollowUp) -> str:
    return "今天" if fu.priority == "urgent" or fu.due is None else f"最迟{fu.due.isoformat()}"


def _contact(target: Record | None) -> str:
    if target is None:
        return ""
    who, phone = _s(target.get("emergency_contact")), _s(target.get("emergency_phone"))
    if not (who or phone):
        return ""
    return f"紧急联系人{who}{'（' + phone + '）' if phone and who else phone}"


def _visit(fu: FollowUp, target, settings) -> str:
    codes = set(fu.codes)
    what = "首次上门巡访" if "C302" in codes else "上门巡访"
    extra = "，看看上次巡访记下的需跟进事项办得怎样" if "C311" in codes else ""
    unattributed = next((f.params for f in fu.findings if f.params.get("unattributed")), None)
    if unattributed is not None:
        # visits naming only her name, which a namesake shares (C302 unattributed, D110): they
        # may be hers — first confirm, and go only when they are not
        rows = unattributed["rows"]
        rows = rows.zh if hasattr(rows, "zh") else str(rows)
        who = _resident(fu, target)
        return (f"请您{_by(fu)}先确认：巡访记录中只写了姓名“{_s(unattributed.get('name'))}”、没有对得上的老人编号的"
                f"{unattributed['unattributed']}条巡访（{rows}）是不是为{who}做的"
                f"（老年人台账中另有同名老人，这几条没有计入）。是的话，请您告诉居委会在这些行填上老人编号"
                f"{fu.target}，不用再去；不是的话，请您{what}{who}{extra}，"
                f"回来后在巡访记录中登记巡访情况（写上老人编号{fu.target}）。")
    return (f"请您{_by(fu)}{what}{_resident(fu, target)}{extra}，"
            f"回来后在巡访记录中登记巡访情况。")


def _named_apart(fu: FollowUp) -> str:
    """A first sentence for an urgent order whose visit row names another resident than its
    编号 (C306/C307 ``written_name``, D110): the danger may be the other one's."""
    found = next((f.params for f in fu.findings if f.params.get("written_name")), None)
    if found is None:
        return ""
    return (f"出发前请先核实：巡访记录第{found.get('row')}行写的老人编号是{fu.target}，姓名却是"
            f"“{_s(found['written_name'])}”，可能写错了，请先打电话确认是哪一位老人，确认不了的两位都去看看。")


def _safety(fu: FollowUp, target, settings) -> str:
    contact = _contact(target)
    call = f"先打电话给老人和{contact}" if contact else "先打电话给老人和家属"
    day = fu.planned or fu.due
    calendar = WorkCalendar(settings.holidays)      # the run's calendar (Context.calendar)
    staff = [s for s in settings.duty if day is not None and s.on_duty(day, calendar)
             and s.name != fu.assignee]
    if any(s.name == fu.assignee for s in settings.duty):
        # why it is the duty staff: the line under it (``fu.instead``) says, else this
        together = "" if fu.instead is not None else "，没有可上门的志愿者，由您上门"
    elif staff:
        names = "、".join(f"{s.name}（{s.phone}）" if s.phone else s.name for s in staff)
        together = f"，再与值班人员{names}一同上门"
    else:
        together = "，再与居委会安排的一名工作人员一同上门"
    return (f"{_named_apart(fu)}请您今天上门查看{_resident(fu, target)}是否安全：{call}{together}；"
            f"{CALL_FOR_HELP}。结果登记在巡访记录中。")


def _bp(fu: FollowUp, target, settings) -> str:
    return _named_apart(fu) + _bp_order(fu, target, settings)


def _bp_order(fu: FollowUp, target, settings) -> str:
    who = _resident(fu, target)
    if "C306" in fu.codes and any(s.name == fu.assignee for s in settings.duty):
        # no volunteer could go (the note under it says why): the staff on duty has the
        # resident's family doctor come today, or goes and calls 120
        contact = _contact(target)
        tell = f"，并告诉{contact}" if contact else "，并告诉家属"
        doctor = _s(target.get("family_doctor")) if target is not None else ""
        doctor = f"家庭医生{doctor}" if doctor else "家庭医生团队"
        return (f"请您今天联系{doctor}上门为{who}复查血压（血压曾达到危急值）；联系不上医生的，"
                f"由您今天上门看看老人：老人不舒服或说不清情况，立即拨打120送医{tell}。"
                f"在巡访记录中登记血压和巡访情况（送医的填“已送医”）。")
    if "C306" in fu.codes:
        contact = _contact(target)
        tell = f"，并告诉{contact}" if contact else "，并告诉家属"
        return (f"请您今天上门为{who}复查血压：血压曾达到危急值，复测仍达"
                f"{settings.thresholds.bp_critical_sys}/{settings.thresholds.bp_critical_dia}"
                f"或老人不舒服，立即拨打120送医{tell}。在巡访记录中登记血压和巡访情况"
                f"（送医的填“已送医”）。")
    return f"请您{_by(fu)}上门为{who}复查血压，并在巡访记录中登记血压。"


def _service(fu: FollowUp, target, settings) -> str:
    skill = fu.skill or "服务"
    return (f"请您{_by(fu)}上门为{_resident(fu, target)}提供{skill}服务，"
            f"并在巡访记录中登记服务内容。")


def _request(fu: FollowUp, target: Record | None) -> str:
    return f"诉求{fu.target}"


def _category(target: Record | None, settings):
    name = _s(target.get("category")) if target is not None and "category" not in target.invalid else ""
    return name, (settings.category(name) if name else None)


def _assign(fu: FollowUp, target, settings) -> str:
    req = _request(fu, target)
    name, category = _category(target, settings)
    by = _by(fu)
    if not name:
        return (f"请您{by}梳理{req}：填写“类别”和“梳理日期”，再交给该类别的默认责任人办理，"
                f"填写“责任人”和“交办日期”。")
    if category is None or not category.owner:
        return (f"请您{by}为{req}（{name}）确定由谁办理（设置里这一类别没有默认责任人），"
                f"交给办理人，填写“责任人”和“交办日期”。")
    if category.owner == fu.assignee:
        return (f"{req}（{name}）由您办理（您是这一类别的默认责任人）：请您{by}接手，"
                f"在诉求台账填写“责任人”和“交办日期”。")
    return (f"请您{by}把{req}（{name}）交给{category.owner}办理（这一类别的默认责任人），"
            f"在诉求台账填写“责任人”和“交办日期”。")


def _chase(fu: FollowUp, target, settings) -> str:
    req = _request(fu, target)
    owner = _s(target.get("assignee")) if target is not None and "assignee" not in target.invalid else ""
    late = "R203" in fu.codes
    state = "已超过办理时限" if late else "快到办理时限"
    if not owner:
        return (f"{req}{state}，但没有填写责任人：请您{_by(fu)}查明由谁办理，"
                f"填写“责任人”，并催办理人尽快办结；办结后填写“办结日期”和“办理结果”。")
    if owner == fu.assignee:
        return (f"{req}{state}，您是责任人：请您{_by(fu)}办结，"
                f"并在诉求台账填写“办结日期”和“办理结果”。")
    return (f"{req}{state}：请您{_by(fu)}联系责任人{owner}催办，问清进度和预计办结日期；"
            f"办结后在诉求台账填写“办结日期”和“办理结果”。")


def _callback(fu: FollowUp, target, settings) -> str:
    if fu.kind == "services":                       # P803: a service rated 不满意 (issue #17)
        return _service_callback(fu, target)
    req = _request(fu, target)
    resident = _s(target.get("resident")) if target is not None else ""
    phone = _s(target.get("phone")) if target is not None else ""
    who = f"居民{resident}" if resident else "反映人"
    if phone:
        who += f"（{phone}）"
    if "R209" in fu.codes and "R204" not in fu.codes:
        owner = _s(target.get("assignee")) if target is not None else ""
        again = f"联系责任人{owner}重新办理" if owner and owner != fu.assignee else "重新办理"
        return (f"{who}对{req}的办理不满意：请您{_by(fu)}把“状态”改为“重办”，{again}，"
                f"办好后再次答复居民，记下答复日期和满意度。")
    return (f"请您{_by(fu)}联系{who}，答复{req}的办理结果，"
            f"并在诉求台账填写“答复日期”、“答复方式”和“满意度”。")


def _service_callback(fu: FollowUp, target: Record | None) -> str:
    """P803: the staff member on duty calls the resident back about a 不满意 service. The
    resident is named from the elderly ledger (with her phone) when the row matched one, else
    as the service row writes her; never by the row's place in the file."""
    items = "、".join(dict.fromkeys(f"“{f.params.get('item')}”" for f in fu.findings
                                    if f.params.get("item"))) or "服务"
    if target is not None and target.kind == "elderly":
        who, phone = _resident(fu, target), _s(target.get("phone"))
    elif target is not None:
        rid, name = _s(target.get("elderly_id")), _s(target.get("elderly_name"))
        who = f"{name}（{rid}）" if name and rid else name or rid or \
            f"{target.file}第{target.row}行的服务对象"
        phone = ""
    else:
        who, phone = fu.target, ""
    call = f"（电话{phone}）" if phone else ""
    return (f"老人{who}对{items}服务评价“不满意”：请您{_by(fu)}回访老人{call}，了解不满意的原因，"
            f"督促服务单位改进，并在服务记录中登记回访后的评价。")


def _council(fu: FollowUp, target, settings) -> str:
    codes = set(fu.codes)
    todo = []
    if "M702" in codes:
        todo.append("把没登记的议题登记进诉求台账，并把诉求编号填回议事会记录")
    if "M703" in codes:
        todo.append("为没有落实人的议定事项确定落实人")
    if "M704" in codes:
        todo.append("了解议定事项的落实情况，在议事会上向居民通报，填写反馈日期和反馈情况")
    what = "；".join(todo) or "跟进议事会的落实事项"
    return f"请您{_by(fu)}跟进{fu.target}的落实（事项见“原因”一栏）：{what}。"


def _generic(fu: FollowUp, target, settings) -> str:
    what = schema.FOLLOWUP_LABELS.get(fu.type, (fu.type, fu.type))[0]
    return f"请您{_by(fu)}完成{what}（{fu.target}）。"


_MAKERS = {"visit": _visit, "safety_check": _safety, "bp_recheck": _bp, "service": _service,
           "request_assign": _assign, "request_chase": _chase, "reply_callback": _callback,
           "council": _council}
