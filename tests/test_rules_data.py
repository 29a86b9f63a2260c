"""Single-record data-quality rules: D101, D103, D106, D107, D109, D111."""
from __future__ import annotations

from datetime import date

from helpers import AS_OF, make_context, make_record
from toolkit import schema
from toolkit.model import Cell
from toolkit.check import data
from toolkit.read.normalise import id_check_digit
from toolkit.settings import Settings

VALID_ID = "11010519491231002X"        # born 1949-12-31, female; 76 on 2026-11-23


def elderly(row=2, **values):
    base = dict(id=f"LR-{row}", name="张秀英", estate="松和苑", address="12号301室", lives_alone=True,
                age=80)
    base.update(values)
    return make_record("elderly", row, **{k: v for k, v in base.items() if v is not ...})


def request(row=2, **values):
    base = dict(id=f"SQ-{row}", received=date(2026, 11, 2), source="议事会", estate="松和苑",
                content="电动自行车乱停放")
    base.update(values)
    return make_record("requests", row, **base)


def visit(row=2, **values):
    base = dict(date=date(2026, 11, 20), elderly_id="LR-2", volunteer="ZY-1",
                service=("巡访",), outcome="正常")
    base.update(values)
    return make_record("visits", row, **base)


def volunteer(row=2, **values):
    base = dict(id=f"ZY-{row}", name="李红", phone="13812345678", estates=("松和苑",),
                skills=("巡访",))
    base.update(values)
    return make_record("volunteers", row, **base)


def codes(fn, *records, **kw):
    return [(f.code, f.row, f.column) for f in fn(make_context(*records, **kw))]


# ---------------------------------------------------------------------------------------
def test_d101_fires_on_an_empty_required_value():
    r = request(5, content=None)
    found = list(data.required_empty(make_context(r)))
    assert [(f.code, f.row, f.header) for f in found] == [("D101", 5, "诉求内容")]
    assert "诉求内容" in found[0].message.zh and found[0].severity == "error"


def test_d101_not_for_complete_rows_optional_columns_or_parse_failures():
    assert codes(data.required_empty, request(), elderly(), visit(), volunteer()) == []
    assert codes(data.required_empty, request(received=None, invalid={"received": "明天"})) == []
    assert codes(data.required_empty, request(resident=None, phone=None)) == []


def test_d101_not_when_the_sheet_lacks_the_column():
    r = request(content=None)
    del r.cells["content"]             # the sheet had no 诉求内容 column: F004 says so once
    assert codes(data.required_empty, r) == []


def test_d101_empty_multi_and_bool():
    v = volunteer(3, skills=None)
    e = elderly(4, lives_alone=None)
    assert codes(data.required_empty, v, e) == [("D101", 4, "L"), ("D101", 3, "F")]


def test_d101_one_of_group():
    e = elderly(age=None)              # no birth, id_number or age
    found = list(data.required_empty(make_context(e)))
    assert [f.code for f in found] == ["D101"]
    assert "出生日期、身份证号、年龄" in found[0].message.zh
    assert codes(data.required_empty, elderly(age=None, birth=date(1941, 5, 1))) == []
    assert codes(data.required_empty, visit(elderly_id=None, elderly_name="张秀英")) == []
    assert len(codes(data.required_empty, visit(elderly_id=None))) == 1
    bad = elderly(age=None, invalid={"id_number": "3.10117E+17"})
    assert codes(data.required_empty, bad) == []


# ---------------------------------------------------------------------------------------
def test_d103_future_dates():
    r = request(3, received=date(2026, 11, 24), replied=date(2026, 12, 1), due=date(2026, 12, 31))
    v = visit(4, date=date(2027, 1, 1))
    found = list(data.date_after_as_of(make_context(r, v)))
    assert sorted((f.row, f.header) for f in found) == [(3, "登记日期"), (3, "答复日期"),
                                                        (4, "巡访日期")]
    msg = [f for f in found if f.header == "登记日期"][0].message.zh
    assert "2026-11-24" in msg and "2026-11-23" in msg


def test_d103_not_on_or_before_as_of_nor_for_due():
    r = request(received=AS_OF, due=date(2027, 1, 1))
    assert codes(data.date_after_as_of, r, visit(date=AS_OF)) == []


# ---------------------------------------------------------------------------------------
def test_d106_agreeing_id():
    e = elderly(id_number=VALID_ID, birth=date(1949, 12, 31), gender="女", age=76)
    assert codes(data.id_disagrees, e) == []
    e = elderly(id_number=VALID_ID, age=77)                        # ±1 allowed
    assert codes(data.id_disagrees, e) == []


def test_d106_birth_gender_age():
    e = elderly(3, id_number=VALID_ID, birth=date(1949, 12, 1), gender="男", age=80)
    found = list(data.id_disagrees(make_context(e)))
    assert [(f.code, f.row, f.header) for f in found] == [("D106", 3, "身份证号")]
    msg = found[0].message.zh
    assert "1949-12-31" in msg and "1949-12-01" in msg and "男" in msg and "80岁" in msg
    assert "76岁" in msg and VALID_ID not in msg


def test_d106_birth_month_compares_year_and_month():
    month = make_record("elderly", 2, id="LR-1", id_number=VALID_ID, birth=date(1949, 12, 1))
    month.cells["birth"] = Cell("D", "出生年月", "1949.12")
    assert codes(data.id_disagrees, month) == []
    month.cells["birth"] = Cell("D", "出生年月", 1949.11)
    month.values["birth"] = date(1949, 11, 1)
    assert len(codes(data.id_disagrees, month)) == 1


def test_d106_skips_invalid_ids():
    e = elderly(gender="男", invalid={"id_number": "11010519491231003X"})
    assert codes(data.id_disagrees, e) == []


# ---------------------------------------------------------------------------------------
def test_d107_duplicate_ids_name_the_first_row():
    a, b, c = elderly(2, id="LR-1"), elderly(7, id="LR-1"), elderly(9, id="LR-2")
    found = list(data.duplicate_id(make_context(b, c, a)))
    assert [(f.code, f.row, f.record) for f in found] == [("D107", 7, "LR-1")]
    assert "第2行" in found[0].message.zh and "老年人台账.xlsx" in found[0].message.zh


def test_d107_per_ledger_and_not_for_visits():
    assert codes(data.duplicate_id, elderly(2, id="X-1"), volunteer(2, id="X-1"),
                 request(2, id="X-1")) == []
    assert codes(data.duplicate_id, visit(2), visit(3)) == []
    assert len(codes(data.duplicate_id, request(2, id="A"), request(3, id="A"),
                     request(4, id="A"))) == 2


def test_d107_across_sheets_follows_workbook_order_not_names():
    """Sheets come in workbook order (松和苑 before 咏泽苑 here, though 咏 sorts first by code
    point): the later row is the one on the later sheet, and it names the first (#13)."""
    a = make_record("volunteers", 5, sheet="松和苑", id="ZY-1")
    b = make_record("volunteers", 3, sheet="咏泽苑", id="ZY-1")
    found = list(data.duplicate_id(make_context(a, b)))
    assert len(found) == 1 and found[0].sheet == "咏泽苑" and "「松和苑」第5行" in found[0].message.zh


def test_d107_months_and_files_in_natural_order():
    """9月 before 10月 whether they are sheets (in the order given) or files (by number)."""
    sep = make_record("requests", 4, sheet="Sheet1", id="SQ-1")
    oct_ = make_record("requests", 2, sheet="Sheet1", id="SQ-1")
    sep.file, oct_.file = "9月.xlsx", "10月.xlsx"
    found = list(data.duplicate_id(make_context(oct_, sep)))
    assert [(f.file, f.row) for f in found] == [("10月.xlsx", 2)]
    assert "9月.xlsx「Sheet1」第4行" in found[0].message.zh


# ---------------------------------------------------------------------------------------
ESTATES = Settings(estates=("松和苑", "咏泽苑"))


def test_d109_enum_and_multi():
    r = request(3, source="微博", satisfaction="很满意")
    e = elderly(4, hardship=("低保", "孤寡"), needs=("助餐",), gender="男")
    v = visit(5, service=("巡访", "聊天"), outcome="正常")
    found = list(data.not_in_list(make_context(r, e, v, settings=ESTATES)))
    got = sorted((f.row, f.header, f.value) for f in found)
    assert got == [(3, "来源", "微博"), (3, "满意度", "很满意"), (4, "特殊困难", ("低保", "孤寡")),
                   (5, "服务类型", ("巡访", "聊天"))]
    msg = [f for f in found if f.row == 4][0].message.zh
    assert "孤寡" in msg and "低保、低收入" in msg


def test_d109_estates_from_settings():
    found = list(data.not_in_list(make_context(request(estate="松和园"), settings=ESTATES)))
    assert [(f.code, f.severity) for f in found] == [("D109", "warning")]
    assert "松和园" in found[0].message.zh and "松和苑、咏泽苑" in found[0].message.zh
    assert list(data.not_in_list(make_context(request(estate="咏泽苑"), settings=ESTATES))) == []


def test_d109_volunteers_may_serve_all_estates():
    ok = volunteer(estates=(schema.ALL_ESTATES,))
    bad = volunteer(3, estates=("松和苑", "别的苑"))
    found = list(data.not_in_list(make_context(ok, bad, settings=ESTATES)))
    assert [(f.row, f.column) for f in found] == [(3, "E")]


def test_d109_one_info_per_ledger_when_estates_are_not_set_up():
    found = list(data.not_in_list(make_context(request(2, estate="甲"), request(3, estate="乙"),
                                               elderly(2, estate="丙"))))
    assert sorted((f.kind, f.severity, f.row) for f in found) == [
        ("elderly", "info", None), ("requests", "info", None)]
    assert "小区" in found[0].message.zh


def test_d109_categories_from_settings_and_categories_replaced():
    r = request(category="停车难")
    assert len(list(data.not_in_list(make_context(r, settings=ESTATES)))) == 1
    from toolkit.settings import Category
    s = Settings(estates=ESTATES.estates, categories=(Category("停车难"),))
    assert list(data.not_in_list(make_context(r, settings=s))) == []


def test_d109_skips_empty_and_invalid():
    assert list(data.not_in_list(make_context(
        request(satisfaction=None), elderly(hardship=None), settings=ESTATES))) == []


# ---------------------------------------------------------------------------------------
def test_d111_ranges():
    found = list(data.out_of_range(make_context(
        elderly(2, age=130), elderly(3, age=35), elderly(4, age=40), elderly(5, age=120),
        visit(6, blood_pressure=(300, 90)), visit(7, blood_pressure=(80, 90)),
        visit(8, blood_pressure=(120, 20)), visit(9, blood_pressure=(260, 160)),
        visit(10, hours=0.0), visit(11, hours=25.0), visit(12, hours=24.0), visit(13, hours=0.5),
        volunteer(14, capacity=-1), volunteer(15, capacity=0))))
    assert sorted(f.row for f in found) == [2, 3, 4, 6, 7, 8, 10, 11, 14]
    assert all(f.code == "D111" for f in found)
    by_row = {f.row: f.message.zh for f in found}
    assert "130岁" in by_row[2] and "300/90" in by_row[6] and "25小时" in by_row[11]
    severity = {f.row: f.severity for f in found}
    assert severity[2] == "warning" and severity[3] == severity[4] == "info"   # under 60: info


def test_d111_age_from_birth_or_id_when_no_age_is_written():
    """Under 60 on the elderly ledger is info, above 120 a warning, from the written 年龄, else
    the age at the as-of date (出生日期, else the ID's birth date); 60 itself is fine (#13)."""
    young_id = "310117197501090015"
    young_id = young_id[:17] + id_check_digit(young_id[:17])
    found = list(data.out_of_range(make_context(
        elderly(2, age=None, birth=date(1975, 1, 9)),
        elderly(3, age=None, birth=date(1900, 1, 1)),
        elderly(4, age=None, id_number=young_id),
        elderly(5, age=60), elderly(6, age=None, birth=date(1966, 11, 23)),
        elderly(7, age=None, birth=date(2030, 1, 1)))))        # future birth: D103's business
    assert [(f.row, f.severity, f.column) for f in found] == [
        (2, "info", "D"), (3, "warning", "D"), (4, "info", "E")]
    assert "51岁" in found[0].message.zh and "不到60岁" in found[0].message.zh


def test_d101_certificate_without_expiry():
    """A certificate given with no 证书有效期 is D101 on the expiry cell; no certificate, or
    a sheet without the expiry column, says nothing (#13)."""
    with_cert = volunteer(2, certificate="养老护理员证", certificate_expiry=None)
    dated = volunteer(3, certificate="养老护理员证", certificate_expiry=date(2027, 6, 30))
    none = volunteer(4, certificate=None, certificate_expiry=None)
    no_column = volunteer(5, certificate="养老护理员证")
    del no_column.cells["certificate_expiry"]
    found = list(data.required_empty(make_context(with_cert, dated, none, no_column)))
    assert [(f.code, f.row, f.header) for f in found] == [("D101", 2, "证书有效期")]
    assert "养老护理员证" in found[0].message.zh


def test_d109_fix_says_where_the_list_lives():
    """小区 and 类别: the settings sheet; every other list is quoted — never 'add it in 设置.xlsx'
    for a list that settings do not hold (#13)."""
    settings = Settings(estates=("松和苑", "咏泽苑"))
    found = list(data.not_in_list(make_context(
        request(2, estate="松和园", status="未完成", category="停车难"), settings=settings)))
    fixes = {f.header: f.fix.zh for f in found}
    assert "设置.xlsx" in fixes["小区"] and "“小区”表" in fixes["小区"]
    assert "设置.xlsx" in fixes["类别"] and "“诉求类别”表" in fixes["类别"]
    assert "设置" not in fixes["状态"] and "已办结" in fixes["状态"] and "重办" in fixes["状态"]


def test_d111_not_for_missing_values():
    assert list(data.out_of_range(make_context(elderly(age=None), visit(), volunteer()))) == []


def test_rules_are_registered():
    from toolkit.check import RULES, _load_rules
    _load_rules()
    for code in ("D101", "D103", "D106", "D107", "D109", "D111"):
        assert any(fn.__module__ == "toolkit.check.data" for fn in RULES[code])


def test_d106_with_generated_male_id():
    body = "31011719410512001"
    idnum = body + id_check_digit(body)
    assert codes(data.id_disagrees, elderly(id_number=idnum, gender="男", age=85,
                                            birth=date(1941, 5, 12))) == []
    assert len(codes(data.id_disagrees, elderly(id_number=idnum, gender="女"))) == 1
