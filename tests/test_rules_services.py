"""物业+养老 services: P801–P803 and C308 on small inline records (issue #17)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from helpers import AS_OF, make_context, make_record
from toolkit.check import elderly, services
from toolkit.settings import FeeStandard, Settings

D = AS_OF  # 2026-11-23


def ago(days: int) -> date:
    return D - timedelta(days=days)


def svc(row, day=None, item="助餐", fee=None, **values):
    base = dict(date=day or ago(3), elderly_name=f"居民{row}", item=item,
                fee=None if fee is None else Decimal(fee).quantize(Decimal("0.01")))
    base.update(values)
    return make_record("services", row, **base)


def std(item="助餐", price="12", unit="次", provider="", published=date(2026, 1, 1), row=2):
    return FeeStandard(item, provider, unit, Decimal(price), published, row)


def run(fn, *records, fees=None, **kw):
    settings = Settings(fees=tuple(fees)) if fees is not None else Settings()
    return list(fn(make_context(*records, settings=settings, **kw)))


# ------------------------------------------------------------------ P801
def test_p801_fee_equal_to_standard_is_fine_and_one_fen_more_is_not():
    fees = [std(price="12.00")]
    assert run(services.fee_above_standard, svc(2, fee="12"), fees=fees) == []
    [f] = run(services.fee_above_standard, svc(2, fee="12.01"), fees=fees)
    assert (f.code, f.severity, f.kind, f.row, f.column) == ("P801", "error", "services", 2, "I")
    assert "12.01" in f.message.zh and "0.01" in f.message.zh


def test_p801_price_times_quantity_and_empty_quantity_is_one():
    fees = [std(price="7.50", unit="份")]
    assert run(services.fee_above_standard, svc(2, fee="22.5", quantity=3.0), fees=fees) == []
    assert run(services.fee_above_standard, svc(2, fee="22.51", quantity=3.0), fees=fees)
    assert run(services.fee_above_standard, svc(2, fee="7.5"), fees=fees) == []
    assert run(services.fee_above_standard, svc(2, fee="8"), fees=fees)


def test_p801_per_hour_uses_hours_not_quantity_and_skips_without_hours():
    fees = [std(item="助洁", price="25", unit="小时")]
    assert run(services.fee_above_standard, svc(2, item="助洁", fee="37.5", hours=1.5, quantity=9.0),
               fees=fees) == []
    [f] = run(services.fee_above_standard, svc(2, item="助洁", fee="50", hours=1.5), fees=fees)
    assert "37.50" in f.message.zh and "1.5小时" in f.message.zh
    assert run(services.fee_above_standard, svc(2, item="助洁", fee="500"), fees=fees) == []


def test_p801_exact_decimal_comparison_where_floats_would_err():
    # 0.1 × 3 = 0.30000000000000004 in floating point; in 元 to the fen it is 0.30
    fees = [std(price="0.10", unit="份")]
    assert run(services.fee_above_standard, svc(2, fee="0.3", quantity=3.0), fees=fees) == []


def test_p801_latest_standard_on_or_before_the_service_date_applies():
    fees = [std(price="10", published=date(2026, 1, 1)), std(price="12", published=date(2026, 11, 1), row=3)]
    assert run(services.fee_above_standard, svc(2, day=date(2026, 11, 1), fee="12"), fees=fees) == []
    [f] = run(services.fee_above_standard, svc(2, day=date(2026, 10, 31), fee="12"), fees=fees)
    assert "10.00元/次" in f.message.zh


def test_p801_provider_standard_before_any_provider():
    fees = [std(price="10"), std(price="15", provider="国贸物业", row=3)]
    assert run(services.fee_above_standard, svc(2, fee="15", provider="国贸物业"), fees=fees) == []
    assert run(services.fee_above_standard, svc(2, fee="15", provider="绿城物业"), fees=fees)


def test_p801_row_without_provider_skipped_when_several_providers_and_no_any_provider():
    fees = [std(price="10", provider="国贸物业"), std(price="15", provider="绿城物业", row=3)]
    assert run(services.fee_above_standard, svc(2, fee="99"), fees=fees) == []
    assert run(services.fee_not_published, svc(2, fee="99"), fees=fees) == []
    # the only provider named in 收费标准 is taken for a row without one
    assert run(services.fee_above_standard, svc(2, fee="99"), fees=fees[:1])


# ------------------------------------------------------------------ P802
def test_p802_price_published_only_after_the_service_date():
    fees = [std(price="12", published=date(2026, 11, 10))]
    rows = [svc(2, day=date(2026, 11, 5), fee="12"), svc(3, day=date(2026, 11, 6), fee="12"),
            svc(4, day=date(2026, 11, 12), fee="12")]
    [f] = run(services.fee_not_published, *rows, fees=fees)
    assert (f.code, f.severity, f.row) == ("P802", "warning", 2)
    assert "2笔" in f.message.zh and "2026-11-10才公示" in f.message.zh
    assert run(services.fee_above_standard, *rows, fees=fees) == []


def test_p802_one_finding_per_provider_and_item_and_free_services_are_fine():
    fees = [std(item="助餐")]
    rows = [svc(2, item="助洁", fee="20", provider="国贸物业"), svc(3, item="助洁", fee="20", provider="国贸物业"),
            svc(4, item="助洁", fee="20", provider="绿城物业"), svc(5, item="维修", fee=None),
            svc(6, item="维修", fee="0")]
    found = run(services.fee_not_published, *rows, fees=fees)
    assert [(f.row, "2笔" in f.message.zh) for f in found] == [(2, True), (4, False)]


def test_p802_info_when_there_is_no_fee_sheet_and_silent_without_fees():
    [f] = run(services.fee_not_published, svc(2, fee="5"), svc(3, fee="6"))
    assert (f.severity, f.row) == ("info", 2) and "2笔" in f.message.zh
    assert run(services.fee_not_published, svc(2)) == []
    assert run(services.fee_not_published) == []


# ------------------------------------------------------------------ P803
def test_p803_unsatisfied_without_a_later_satisfied_rating():
    bad = svc(2, day=ago(7), rating="不满意", elderly_id="LR-009")
    [f] = run(services.unsatisfied_not_followed, bad)
    assert (f.code, f.row, f.record) == ("P803", 2, "LR-009")
    # too recent to chase yet
    assert run(services.unsatisfied_not_followed, svc(2, day=ago(6), rating="不满意")) == []
    # followed within 7 days by 基本满意 for the same resident and item
    good = svc(3, day=ago(2), rating="基本满意", elderly_id="LR-009")
    assert run(services.unsatisfied_not_followed, bad, good) == []
    # a different item, or after those 7 days, does not count
    other = svc(3, day=ago(2), item="助洁", rating="满意", elderly_id="LR-009")
    assert run(services.unsatisfied_not_followed, bad, other)
    late = svc(3, day=ago(10) + timedelta(days=8), rating="满意", elderly_name="居民2")
    old = svc(2, day=ago(10), rating="不满意")
    assert run(services.unsatisfied_not_followed, old, late)


def test_a_service_to_someone_not_on_the_elderly_ledger_is_not_a_finding():
    from toolkit.check import run_rules
    ctx = make_context(svc(2, fee=None, elderly_name="路过居民", rating="满意"))
    assert [f for f in run_rules(ctx) if f.kind == "services"] == []


# ------------------------------------------------------------------ C308
def test_c308_a_service_meets_the_matching_need_and_陪诊_counts_as_助医():
    resident = make_record("elderly", 2, id="LR-002", name="老人2", estate="松和苑", address="1号",
                           lives_alone=False, needs=("助餐", "助医"))
    [meal, doctor] = run(elderly.service_missing, resident)
    assert {meal.value, doctor.value} == {"助餐", "助医"}
    served = [svc(2, day=ago(3), item="助餐", elderly_id="LR-002"),
              svc(3, day=ago(10), item="陪诊", elderly_name="老人2")]
    assert run(elderly.service_missing, resident, *served) == []
    old = [svc(2, day=ago(31), item="助餐", elderly_id="LR-002")]
    [f] = [f for f in run(elderly.service_missing, resident, *old) if f.value == "助餐"]
    assert ago(31).isoformat() in f.message.zh


def test_a_service_does_not_end_c307():
    resident = make_record("elderly", 2, id="LR-002", name="老人2", estate="松和苑", address="1号",
                           lives_alone=True, age=85)
    knock = make_record("visits", 2, date=ago(3), elderly_id="LR-002", volunteer="ZY-1",
                        service=("巡访",), outcome="敲门无应答")
    meal = svc(2, day=ago(1), item="助餐", elderly_id="LR-002")
    assert [f.code for f in run(elderly.unanswered, resident, knock, meal)] == ["C307"]


def test_p803_becomes_a_reply_callback_for_the_staff_on_duty():
    from dataclasses import replace

    from toolkit.assign.followups import make_followups
    from toolkit.assign.solver import assign
    from toolkit.settings import DutyStaff
    ctx = make_context(svc(2, day=ago(8), rating="不满意", elderly_id="LR-009"))
    ctx.settings = replace(ctx.settings, duty=(DutyStaff("施晓红", "13916203318"),))
    findings = list(services.unsatisfied_not_followed(ctx))
    [fu] = assign(ctx, make_followups(ctx, findings))
    assert (fu.type, fu.kind, fu.target, fu.assignee) == ("reply_callback", "services", "LR-009", "施晓红")
    assert fu.planned == D


# ------------------------------------------------------------------ 数量 as clerks write it
def _services_workspace(tmp_path, rows, fees, header=None):
    """A real workspace: 设置.xlsx with ``fees`` and a 服务记录.xlsx of ``rows``."""
    import openpyxl

    from toolkit import schema
    from toolkit.report.templates import write_settings
    write_settings(tmp_path / schema.SETTINGS_FILE, Settings(fees=tuple(fees)), as_of=D)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "服务记录"
    ws.append(header or ["服务日期", "老人姓名", "服务项目", "服务单位", "数量", "收费金额（元）", "评价"])
    for row in rows:
        ws.append(list(row))
    wb.save(tmp_path / "服务记录.xlsx")
    return tmp_path


def _check(path):
    from toolkit.api import check
    return check([path], as_of=D).findings


def test_quantity_written_with_its_unit_or_in_chinese_numerals_is_read(tmp_path):
    fees = [std(price="12", unit="份", provider="国贸物业"), std(item="代配药", price="5.5", row=3)]
    day = date(2026, 11, 3)
    rows = [(day, "张秀英", "助餐", "国贸物业", "3份", 36),       # 12 × 3: compliant
            (day, "王桂兰", "助餐", "国贸物业", "3 份", 36),
            (day, "李梅", "代配药", "国贸物业", "2次", 11),       # 5.5 × 2
            (day, "张秀英", "助餐", "国贸物业", "两份", 24),
            (day, "王桂兰", "助餐", "国贸物业", "三次", 36),
            (day, "李梅", "助餐", "国贸物业", "2份", 30)]          # 24 allowed: a true P801
    findings = _check(_services_workspace(tmp_path, rows, fees))
    codes = [(f.code, f.row) for f in findings if f.kind == "services"]
    assert ("P801", 7) in codes
    assert [c for c in codes if c[0] in ("P801", "D111")] == [("P801", 7)]
    [p801] = [f for f in findings if f.code == "P801"]
    assert "×2份=24.00元" in p801.message.zh and "多收6.00元" in p801.message.zh
    [d112] = [f for f in findings if f.code == "D112" and f.column == "E"]
    assert "6个值已统一格式" in d112.message.zh


def test_an_unreadable_quantity_skips_p801_instead_of_counting_one(tmp_path):
    fees = [std(price="12", unit="份")]
    rows = [(date(2026, 11, 3), "张秀英", "助餐", "国贸物业", "很多", 36),
            (date(2026, 11, 3), "张秀英", "助餐", "国贸物业", "1.5小时", 36)]
    findings = [f for f in _check(_services_workspace(tmp_path, rows, fees)) if f.kind == "services"]
    assert [(f.code, f.row, f.column) for f in findings if f.code != "D112"] == [
        ("D111", 2, "E"), ("D111", 3, "E")]
    assert "不是数量" in findings[0].message.zh


def test_an_unreadable_quantity_leaves_the_row_out_of_the_compliance_rate():
    from toolkit.report.usage import service_table
    fees = (std(price="12", unit="份"),)
    ctx = make_context(svc(2, fee="36", provider="国贸物业", invalid={"quantity": "很多"}),
                       svc(3, fee="12", provider="国贸物业"), settings=Settings(fees=fees))
    [line] = service_table(ctx, ago(30), D)
    assert (line.charged, line.checked, line.compliant, line.above) == (2, 1, 1, 0)
    assert line.allowed == Decimal("12.00")


def test_p803_follow_up_written_with_or_without_the_id_is_the_same_resident(tmp_path):
    # no elderly ledger: 张秀英 (LR-001) and 张秀英 alone are one person; so is LR-005 alone,
    # only ever written with 钱芳; two 王桂兰 with different ids stay two residents
    header = ["服务日期", "老人编号", "老人姓名", "服务项目", "服务单位", "收费金额", "评价"]
    rows = [(date(2026, 11, 10), "LR-001", "张秀英", "助餐", "国贸物业", 12, "不满意"),
            (date(2026, 11, 12), None, "张秀英", "助餐", "国贸物业", 12, "满意"),
            (date(2026, 11, 10), "LR-005", "钱芳", "助餐", "国贸物业", 12, "不满意"),
            (date(2026, 11, 12), "LR-005", None, "助餐", "国贸物业", 12, "满意"),
            (date(2026, 11, 10), "LR-002", "王桂兰", "助餐", "国贸物业", 12, "不满意"),
            (date(2026, 11, 11), "LR-012", "王桂兰", "助餐", "国贸物业", 12, "满意"),
            (date(2026, 11, 10), "LR-003", "李梅", "助餐", "国贸物业", 12, "不满意")]
    found = [f for f in _check(_services_workspace(tmp_path, rows, [], header)) if f.code == "P803"]
    assert [f.row for f in found] == [6, 8]          # 王桂兰（LR-002）and 李梅: true P803s


def test_p803_with_an_elderly_ledger_still_matches_by_the_ledger(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["编号", "姓名", "性别", "出生日期", "小区", "地址", "独居", "状态"])
    wb.active.append(["LR-001", "张秀英", "女", date(1940, 3, 1), "松和苑", "1号101", "否", "在册"])
    wb.active.append(["LR-002", "王桂兰", "女", date(1941, 3, 1), "松和苑", "1号102", "否", "在册"])
    wb.save(tmp_path / "老年人台账.xlsx")
    header = ["服务日期", "老人编号", "老人姓名", "服务项目", "服务单位", "收费金额", "评价"]
    rows = [(date(2026, 11, 10), "LR-001", "张秀英", "助餐", "国贸物业", 12, "不满意"),
            (date(2026, 11, 12), None, "张秀英", "助餐", "国贸物业", 12, "满意"),
            (date(2026, 11, 10), None, "王桂兰", "助洁", "国贸物业", None, "不满意"),
            (date(2026, 11, 12), "LR-002", None, "助洁", "国贸物业", None, "满意"),
            (date(2026, 11, 10), "LR-001", "张秀英", "助洁", "国贸物业", None, "不满意"),
            (date(2026, 11, 12), "LR-002", "王桂兰", "助洁", "国贸物业", None, "满意")]
    found = [f for f in _check(_services_workspace(tmp_path, rows, [], header)) if f.code == "P803"]
    assert [f.row for f in found] == [6]


# ------------------------------------------------------------------ 服务单位 written differently
def test_provider_written_shorter_or_longer_than_in_the_standard_is_matched():
    fees = [std(item="助洁", price="25", unit="次", provider="国贸物业服务中心"),
            std(item="助洁", price="22", unit="次", provider="绿城物业莘泽项目部", row=3)]
    for written in ("国贸物业", "国贸物业 服务中心", "国贸物业服务中心（松和苑）"):
        row = svc(2, item="助洁", fee="30", provider=written)
        [f] = run(services.fee_above_standard, row, fees=fees)
        assert "多收5.00元" in f.message.zh, written
        assert run(services.fee_not_published, row, fees=fees) == []
    reverse = [std(item="助洁", price="25", unit="次", provider="国贸物业")]
    assert run(services.fee_above_standard, svc(2, item="助洁", fee="30", provider="国贸物业服务中心"),
               fees=reverse)


def test_provider_matching_several_or_no_standard_gets_p802_naming_the_standards():
    fees = [std(item="助洁", price="25", provider="国贸物业服务中心"),
            std(item="助洁", price="20", provider="国贸物业维修部", row=3)]
    row = svc(2, item="助洁", fee="30", provider="国贸物业")       # fits both: not guessed
    assert run(services.fee_above_standard, row, fees=fees) == []
    [f] = run(services.fee_not_published, row, fees=fees)
    assert f.variant == "provider_name" if hasattr(f, "variant") else True
    assert "名称不一致" in f.message.zh and "国贸物业服务中心、国贸物业维修部" in f.message.zh
    assert "没有公示" not in f.message.zh and "写成一样" in f.fix.zh
    [g] = run(services.fee_not_published, svc(2, item="助洁", fee="30", provider="国茂物业"),
              fees=fees[:1])
    assert "名称不一致" in g.message.zh and "国贸物业服务中心" in g.message.zh
    # a provider 收费标准 names (for another item) keeps the plain message
    fees2 = fees[:1] + [std(item="助餐", provider="绿城物业", row=4)]
    [h] = run(services.fee_not_published, svc(2, item="助洁", fee="30", provider="绿城物业"), fees=fees2)
    assert "没有公示收费标准" in h.message.zh


def test_an_item_not_in_the_list_is_checked_against_no_standard():
    # 送餐 / 保洁 are D109: no P802 asking to publish a price for them, no P801 either
    fees = [std(item="助餐", price="12")]
    rows = [svc(2, item="送餐", fee="30", provider="国贸物业"), svc(3, item="保洁", fee="30")]
    assert run(services.fee_not_published, *rows, fees=fees) == []
    assert run(services.fee_above_standard, *rows, fees=[std(item="送餐", price="12")]) == []
