"""Cell value normalisers: every accepted spelling, the failures, and property tests."""
from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import assume, given, settings as hsettings, strategies as st

from toolkit import schema
from toolkit.domain.people import age_at
from toolkit.read.normalise import (
    Parsed, id_birth, id_check_digit, id_gender, is_empty, is_month_only, normalise_code,
    normalise_text, parse, parse_bool, parse_bp, parse_date, parse_days, parse_idnum, parse_int,
    parse_multi, parse_number, parse_phone, clip, QUOTE_CHARS)
from toolkit.workdays import WORKDAYS, Days, WorkCalendar

AS_OF = date(2026, 11, 23)
VALID_ID = "11010519491231002X"        # the GB 11643 example: born 1949-12-31, female


def d(raw, **kw):
    return parse_date(raw, as_of=kw.pop("as_of", AS_OF), **kw)


# ---------------------------------------------------------------------------------------
# empty

@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\n", "无", "/", "-", "—", "－",
                                 "／", " N/A ", float("nan")])
def test_empty_marks(raw):
    assert is_empty(raw)
    assert parse("text", raw, as_of=AS_OF) == Parsed(None, False, None, None)
    assert parse("date", raw, as_of=AS_OF).value is None


@pytest.mark.parametrize("raw", ["0", 0, 0.0, "否", False, "a"])
def test_not_empty(raw):
    assert not is_empty(raw)


# ---------------------------------------------------------------------------------------
# dates

@pytest.mark.parametrize("raw, expected, changed", [
    ("2026-11-03", date(2026, 11, 3), False),
    ("2026/11/3", date(2026, 11, 3), True),
    ("2026.11.3", date(2026, 11, 3), True),
    ("2026.3.5", date(2026, 3, 5), True),
    ("2026年11月3日", date(2026, 11, 3), True),
    ("2026年11月3号", date(2026, 11, 3), True),
    ("2026 年 11 月 3 日", date(2026, 11, 3), True),
    ("20261103", date(2026, 11, 3), True),
    (20261103.0, date(2026, 11, 3), True),
    (20261103, date(2026, 11, 3), True),
    ("２０２６－１１－０３", date(2026, 11, 3), True),
    ("2026-11-03 00:00:00", date(2026, 11, 3), True),
    ("2026-11-03T08:30", date(2026, 11, 3), True),
    ("2026年11月3日下午", date(2026, 11, 3), True),      # a part of the day, with or without a time
    ("2026.11.3 下午", date(2026, 11, 3), True),
    ("2026年11月3日下午2点", date(2026, 11, 3), True),
    ("2026-11-03 上午9:30", date(2026, 11, 3), True),
    ("2026/11/3 晚上7点半", date(2026, 11, 3), True),
    ("2026年11月3日14时30分", date(2026, 11, 3), True),
    ("2026.11.3 14:00", date(2026, 11, 3), True),
    ("11月3日上午", date(2026, 11, 3), True),
    ("2026年11月3日（周二）", date(2026, 11, 3), True),
    ("2026-11-03 星期二", date(2026, 11, 3), True),
    ("2026年11月3日（周二）下午", date(2026, 11, 3), True),     # weekday and part of day together
    ("2026年11月3日 周二 下午2点", date(2026, 11, 3), True),
    (datetime(2026, 11, 3, 0, 0), date(2026, 11, 3), False),
    (datetime(2026, 11, 3, 14, 5), date(2026, 11, 3), False),
    (date(2026, 11, 3), date(2026, 11, 3), False),
    (46329.0, date(2026, 11, 3), True),            # Excel serial of 2026-11-03
    (46329, date(2026, 11, 3), True),
    (46329.75, date(2026, 11, 3), True),           # serial with a time of day
    (1.0, date(1900, 1, 1), True),
    (59.0, date(1900, 2, 28), True),
    (61.0, date(1900, 3, 1), True),
    (2958465.0, date(9999, 12, 31), True),
    ("1940.05", date(1940, 5, 1), True),
    ("1940.5", date(1940, 5, 1), True),
    ("1940.10", date(1940, 10, 1), True),
    ("1940.1", date(1940, 1, 1), True),            # text: January
    ("1940年5月", date(1940, 5, 1), True),
    ("1940年05月", date(1940, 5, 1), True),
    ("1940-05", date(1940, 5, 1), True),
    ("1940/5", date(1940, 5, 1), True),
    (1940.05, date(1940, 5, 1), True),             # calamine float of 1940.05
    (1940.12, date(1940, 12, 1), True),
    (1940.5, date(1940, 5, 1), True),
])
def test_date_spellings(raw, expected, changed):
    assert d(raw) == Parsed(expected, changed)


@pytest.mark.parametrize("raw, expected", [
    ("46350", date(2026, 11, 24)), (" 46329 ", date(2026, 11, 3)), ("46329.75", date(2026, 11, 3)),
    ("１００００", date(1927, 5, 18)), ("73050", date(2099, 12, 31)),
])
def test_an_excel_serial_kept_as_text_is_a_date(raw, expected):
    """A date column pasted into a text-formatted column, or a CSV of serials, holds the text
    "46350": read as the serial's date (a spelling change, D112), in 10000–73050 (1927–2099)."""
    assert d(raw) == Parsed(expected, True)
    assert d("44867", date1904=True).value == date(2026, 11, 3)


@pytest.mark.parametrize("raw", ["9999", "73051", "123456", "4635", "46350号", "0046350"])
def test_other_numbers_as_text_stay_no_date(raw):
    assert d(raw).error == "D102"


def test_date_1904_system():
    assert d(0.0, date1904=True).value == date(1904, 1, 1)
    assert d(44867.0, date1904=True).value == date(2026, 11, 3)
    assert d(44867.0).value == date(2022, 11, 2)


@pytest.mark.parametrize("raw, expected", [
    ("11月3日", date(2026, 11, 3)),
    ("11月3号", date(2026, 11, 3)),
    ("12月24日", date(2026, 12, 24)),      # 31 days after as-of: still this year
    ("12月25日", date(2025, 12, 25)),      # 32 days after: last year
    ("1月5日", date(2026, 1, 5)),
    ("11/3", date(2026, 11, 3)),
])
def test_month_day_takes_year_from_as_of(raw, expected):
    assert d(raw) == Parsed(expected, True)


def test_month_day_early_in_year_goes_back():
    assert d("12月30日", as_of=date(2027, 1, 5)).value == date(2026, 12, 30)
    assert d("1月20日", as_of=date(2027, 1, 5)).value == date(2027, 1, 20)


@pytest.mark.parametrize("raw, words", [
    ("2026-02-30", "不存在"), ("2026年2月29日", "不存在"), ("2026/13/1", "不存在"),
    ("20260230", "不存在"), (20261340.0, "不存在"), ("明天", "无法识别"), ("2026", "只有年份"),
    (1940.0, "只有年份"), ("1940.13", "没有13月"), (0.0, "无法识别"), (-3.0, "无法识别"),
    (60.0, "1900-02-29"), (3000000.0, "无法识别"), (float("inf"), "无法识别"), (True, "无法识别"),
    (1940.1, "1月还是10月"), ("11月31日", "不存在"), ("3-12点", "无法识别"), ("2026-11-032点", "无法识别"),
    ("2026年11月3日下班后", "无法识别"),
])
def test_date_failures(raw, words):
    p = d(raw)
    assert p.value is None and p.error == "D102"
    assert words in p.detail.zh
    shown = str(int(raw)) if isinstance(raw, float) and not math.isinf(raw) and raw.is_integer() \
        else str(raw)
    assert shown in p.detail.zh and p.detail.en


def test_year_edges_do_not_crash():
    assert d("1900-01-01").value == date(1900, 1, 1)
    assert d("9999-12-31").value == date(9999, 12, 31)
    assert d("0000-01-01").error == "D102"
    assert d("9999年12月31日").value == date(9999, 12, 31)


def test_is_month_only():
    assert is_month_only("1940.05") and is_month_only("1940年5月") and is_month_only(1940.05)
    assert not is_month_only("1940-05-12") and not is_month_only(date(1940, 5, 1))
    assert not is_month_only(46329.0)


SPELLINGS = [
    lambda x: x.isoformat(),
    lambda x: f"{x.year}/{x.month}/{x.day}",
    lambda x: f"{x.year}.{x.month}.{x.day}",
    lambda x: f"{x.year}年{x.month}月{x.day}日",
    lambda x: f"{x.year}{x.month:02d}{x.day:02d}",
    lambda x: float(f"{x.year}{x.month:02d}{x.day:02d}"),
    lambda x: x,
    lambda x: datetime(x.year, x.month, x.day, 9, 30),
    lambda x: float((x - date(1899, 12, 30)).days),
    lambda x: x.isoformat().translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}),
]


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
       st.sampled_from(range(len(SPELLINGS))))
def test_any_date_in_any_spelling_parses_back(x, which):
    spelled = SPELLINGS[which](x)
    assume(not (isinstance(spelled, float) and 1800 <= spelled <= 2200))   # a year alone: D102
    assert d(spelled).value == x


@given(st.dates(min_value=date(1904, 1, 1), max_value=date(9999, 12, 31)))
def test_1904_serial_round_trip(x):
    serial = float((x - date(1904, 1, 1)).days)
    assume(not 1800 <= serial <= 2200)          # read as a year typed alone (D102), by design
    assert d(serial, date1904=True).value == x


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31)))
def test_birth_month_spellings(x):
    first = x.replace(day=1)
    for raw in (f"{x.year}.{x.month:02d}", f"{x.year}年{x.month}月", f"{x.year}-{x.month:02d}"):
        assert d(raw).value == first, raw
    number = float(f"{x.year}.{x.month:02d}")
    if x.month == 10:     # 1940.10 as a number is 1940.1: January or October cannot be told
        assert d(number).error == "D102"
    else:
        assert d(number).value == first


# ---------------------------------------------------------------------------------------
# phones

@pytest.mark.parametrize("raw, expected, changed", [
    ("13812345678", "13812345678", False),
    (13812345678.0, "13812345678", True),
    (13812345678, "13812345678", True),
    ("13812345678.0", "13812345678", True),
    ("138 1234 5678", "13812345678", True),
    ("138-1234-5678", "13812345678", True),
    ("+86 138 1234 5678", "13812345678", True),
    ("１３８１２３４５６７８", "13812345678", True),
    ("021-57651234", "021-57651234", False),
    ("57651234", "57651234", False),
    (57651234.0, "57651234", True),
    ("02157651234", "021-57651234", True),
    ("(021)57651234", "021-57651234", True),
    ("（021）5765 1234", "021-57651234", True),
    ("0571-8765432", "0571-8765432", False),
    ("13812345678/57651234", "13812345678", True),
    ("57651234、13812345678", "57651234", True),
    ("13812345678 57651234", "13812345678", True),
    ("12345/13812345678", "13812345678", True),
    ("儿子13912345678", "13912345678", True),
    ("13912345678（儿子）", "13912345678", True),       # a note after the number, as before it
    ("13912345679(女儿)", "13912345679", True),
    ("57651234（家）", "57651234", True),
    ("(021)57651234（办公室）", "021-57651234", True),
])
def test_phone_spellings(raw, expected, changed):
    assert parse_phone(raw) == Parsed(expected, changed)


@pytest.mark.parametrize("raw", ["1381234567", "138123456789", "12812345678", "5765123",
                                 "12345", "电话", 1.5, True, "0215765123"])
def test_phone_failures(raw):
    p = parse_phone(raw)
    assert p.error == "D104" and p.value is None and "位数字" in p.detail.zh


@given(st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9),
       st.sampled_from(["{}", "{} ", "{}.0", " {} ", "{}/57651234"]))
def test_mobile_round_trip(second, rest, fmt):
    number = "1" + second + rest
    assert parse_phone(fmt.format(number)).value == number
    assert parse_phone(float(number)).value == number
    assert parse_phone(f"{number[:3]}-{number[3:7]}-{number[7:]}").value == number


@given(st.sampled_from("23456789"), st.text("0123456789", min_size=7, max_size=7))
def test_landline_round_trip(first, rest):
    local = first + rest
    assert parse_phone(local).value == local
    assert parse_phone(f"021-{local}").value == f"021-{local}"
    assert parse_phone(f"021{local}").value == f"021-{local}"


# ---------------------------------------------------------------------------------------
# resident IDs

def test_id_valid_and_helpers():
    assert parse_idnum(VALID_ID) == Parsed(VALID_ID, False)
    assert parse_idnum("11010519491231002x") == Parsed(VALID_ID, True)
    assert parse_idnum(" 110105 19491231 002X ") == Parsed(VALID_ID, True)
    assert parse_idnum("１１０１０５１９４９１２３１００２Ｘ").value == VALID_ID
    assert id_birth(VALID_ID) == date(1949, 12, 31)
    assert id_gender(VALID_ID) == "女"
    assert id_gender("11010519491231001" + id_check_digit("11010519491231001")) == "男"
    assert age_at(date(1949, 12, 31), AS_OF) == 76
    assert age_at(date(1949, 11, 23), AS_OF) == 77


@pytest.mark.parametrize("raw, words", [
    (310117194105120000.0, "数字格式"), (310117194105120023, "数字格式"),
    ("3.10117E+17", "数字格式"), ("3.10117194105120E+17", "数字格式"),
    ("310117194105120000", "数字格式"), ("310117410512002", "15位"),
    ("1101051949123100", "18位"), ("11010519491231002Y", "18位"),
    ("11010519491231003X", "校验位"), ("110105194913310028", None), ("11010520991231002X", None),
])
def test_id_failures(raw, words):
    p = parse_idnum(raw, as_of=AS_OF)
    assert p.error == "D105" and p.value is None
    if words:
        assert words in p.detail.zh
    if isinstance(raw, str) and "E" not in raw:
        # shown in full: the clerk must see her typo (the town only sees masked text)
        assert raw in p.detail.zh


@given(st.text("0123456789儿子()（） -", min_size=8, max_size=16))
def test_a_phone_message_never_contradicts_itself(raw):
    """"共11位数字，应为11位手机号" said nothing: a count a number has is never the complaint."""
    p = parse_phone(raw)
    if p.error:
        assert "共11位数字" not in p.detail.zh and "共8位数字" not in p.detail.zh


def test_eleven_digits_that_are_no_mobile_say_why():
    assert "应以13至19开头，这里是12开头" in parse_phone("12812345678").detail.zh
    assert "读不出号码" in parse_phone("1391234儿子5678").detail.zh


def test_phone_failures_say_what_is_wrong_and_show_the_value():
    landline = parse_phone("021-5765123")
    assert "021-5765123" in landline.detail.zh and "10位" not in landline.detail.zh
    assert "区号021后面是7位数字" in landline.detail.zh and "8位" in landline.detail.zh
    mobile = parse_phone("1391234567")
    assert "1391234567" in mobile.detail.zh and "手机号应为11位数字，这里是10位" in mobile.detail.zh


def test_id_birth_date_inside_must_be_real():
    body = "11010519490230001"           # 1949-02-30
    p = parse_idnum(body + id_check_digit(body))
    assert p.error == "D105" and "出生日期" in p.detail.zh
    body = "11010520300101001"           # born after the as-of date
    assert parse_idnum(body + id_check_digit(body), as_of=AS_OF).error == "D105"


@st.composite
def resident_ids(draw):
    region = draw(st.text("0123456789", min_size=6, max_size=6))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 11, 23)))
    seq = draw(st.text("0123456789", min_size=3, max_size=3))
    body = f"{region}{born:%Y%m%d}{seq}"
    return body + id_check_digit(body), born


@given(resident_ids(), st.integers(0, 16), st.integers(1, 9))
def test_generated_ids_parse_and_one_digit_change_fails(pair, pos, delta):
    idnum, born = pair
    p = parse(schema.IDNUM, idnum, as_of=AS_OF)
    assert p.value == idnum and p.error is None
    assert id_birth(idnum) == born
    changed = idnum[:pos] + str((int(idnum[pos]) + delta) % 10) + idnum[pos + 1:]
    assert parse_idnum(changed, as_of=AS_OF).error == "D105"


# ---------------------------------------------------------------------------------------
# bool, multi, bp, days, numbers, text

@pytest.mark.parametrize("raw, expected, changed", [
    ("是", True, False), ("否", False, False), (" 是 ", True, False), ("有", True, True),
    ("无", False, True), ("√", True, True), ("×", False, True), ("Y", True, True),
    ("n", False, True), ("Ｙ", True, True), ("1", True, True), ("0", False, True),
    (1.0, True, True), (0.0, False, True), (1, True, True), (True, True, False),
    (False, False, False), ("在岗", True, True), ("离岗", False, True), ("", None, False),
    ("-", None, False),
])
def test_bool(raw, expected, changed):
    assert parse_bool(raw) == Parsed(expected, changed)


@pytest.mark.parametrize("raw", ["也许", 2.0, "是的吧", date(2026, 1, 1)])
def test_bool_unknown_is_d109(raw):
    p = parse_bool(raw)
    assert p.error == "D109" and p.value is None and "是/否" in p.detail.zh


@pytest.mark.parametrize("raw, expected, changed", [
    ("巡访、量血压", ("巡访", "量血压"), False),
    ("巡访", ("巡访",), False),
    ("巡访,量血压", ("巡访", "量血压"), True),
    ("巡访，量血压；助餐", ("巡访", "量血压", "助餐"), True),
    ("巡访 / 量血压 ; 助餐", ("巡访", "量血压", "助餐"), True),
    ("巡访  量血压", ("巡访", "量血压"), True),
    ("巡访、巡访、助餐", ("巡访", "助餐"), True),
    ("、巡访、", ("巡访",), True),
    ("低保／空巢", ("低保", "空巢"), True),
    ("无", None, False), ("", None, False),
])
def test_multi(raw, expected, changed):
    assert parse_multi(raw) == Parsed(expected, changed)


@pytest.mark.parametrize("raw, expected, changed", [
    ("135/85", (135, 85), False), ("135／85", (135, 85), True), ("135-85", (135, 85), True),
    ("135/85mmHg", (135, 85), True), ("135 / 85 mmhg", (135, 85), True),
    ("１３５/８５", (135, 85), True), (" 135/85 ", (135, 85), False),
])
def test_bp(raw, expected, changed):
    assert parse_bp(raw) == Parsed(expected, changed)


@pytest.mark.parametrize("raw, expected", [
    ("高压186 低压112", (186, 112)), ("收缩压150，舒张压95", (150, 95)), ("BP186/112", (186, 112)),
    ("186/112（头晕）", (186, 112)), ("血压：150/95 mmHg", (150, 95)),
    ("150/95，复测186/112", (186, 112)), ("186/112，复测180/110", (180, 110)),
    ("152/96, 复查140/90", (140, 90)),
])
def test_bp_as_volunteers_write_it(raw, expected):
    """A reading with a label, a note or a recheck was D111 and read as nothing: the urgent
    C306 of 高压186 低压112 lapsed. The last reading of a cell is its reading."""
    assert parse_bp(raw) == Parsed(expected, True)


@pytest.mark.parametrize("raw", ["135", "高", 135.0, "135/85/70", "1350/85", "正常",
                                 "左186/112 右150/90", "186/112 心率80"])
def test_bp_failures(raw):
    p = parse_bp(raw)
    assert p.error == "D111" and "血压" in p.detail.zh


@given(st.integers(10, 999), st.integers(10, 999), st.sampled_from(["/", "／", "-", " / "]))
def test_bp_round_trip(sys_, dia, sep):
    assert parse_bp(f"{sys_}{sep}{dia}").value == (sys_, dia)


@pytest.mark.parametrize("raw, expected", [
    ("周一至周五", {0, 1, 2, 3, 4}), ("周一到周五", {0, 1, 2, 3, 4}), ("周一-周三", {0, 1, 2}),
    ("周二、周四", {1, 3}), ("周二，周四", {1, 3}), ("工作日", WORKDAYS), ("周末", {5, 6}),
    ("每天", set(range(7))), ("星期一", {0}), ("礼拜三", {2}), ("周日", {6}), ("星期天", {6}),
    ("周一三五", {0, 2, 4}), ("周二、四", {1, 3}), ("周六至周一", {5, 6, 0}),
    ("工作日、周六", Days(frozenset({5}), True)), ("周一上午", {0}), ("周三下午2:00-4:00", {2}),
    ("周1至周5", {0, 1, 2, 3, 4}), ("工作日、每天", set(range(7))),
])
def test_days(raw, expected):
    p = parse_days(raw)
    assert p.value == Days.of(expected) and p.error is None


def test_workdays_follow_the_calendar_and_weekdays_stay_literal():
    """工作日 is the working-day calendar (调休 included); 周一至周五 is the five weekdays."""
    cal = WorkCalendar()
    tiaoxiu, national_day = date(2026, 10, 10), date(2026, 10, 1)     # Saturday, Thursday
    workdays, mon_fri = parse_days("工作日").value, parse_days("周一至周五").value
    assert workdays.on(tiaoxiu, cal) and not workdays.on(national_day, cal)
    assert mon_fri.on(national_day, cal) and not mon_fri.on(tiaoxiu, cal)
    assert parse_days("工作日、周日").value.on(date(2026, 10, 4), cal)
    assert WorkCalendar({tiaoxiu: False}).is_workday(tiaoxiu) is False
    assert not workdays.on(tiaoxiu, WorkCalendar({tiaoxiu: False}))    # settings 节假日 win


@pytest.mark.parametrize("raw", ["不定", "有空就来", 5.0, "周八", "周一至"])
def test_days_failures(raw):
    p = parse_days(raw)
    assert p.error == "D111" and "可服务时间" in p.detail.zh


@pytest.mark.parametrize("raw, expected, changed", [
    (85, 85, False), (85.0, 85, False), ("85", 85, False), ("８５", 85, True), ("85岁", 85, True),
    ("85周岁", 85, True), ("85.0", 85, True), ("每周3次", 3, True), ("3次", 3, True),
    (" 85 ", 85, False), ("-5", -5, False),
])
def test_int(raw, expected, changed):
    assert parse_int(raw) == Parsed(expected, changed)


@pytest.mark.parametrize("raw", [85.5, "八十五", "85.5", True, "约85"])
def test_int_failures(raw):
    p = parse_int(raw)
    assert p.error == "D111" and "整数" in p.detail.zh


@pytest.mark.parametrize("raw, expected, changed", [
    (0.5, 0.5, False), (1, 1.0, False), ("0.5", 0.5, False), ("０.５", 0.5, True),
    ("1.5小时", 1.5, True), ("30分钟", 0.5, True), ("半小时", 0.5, True), ("2h", 2.0, True),
    (".5", 0.5, False),
    # a duration in hours and minutes, as typed or as an Excel time/duration cell
    ("1小时30分", 1.5, True), ("1小时30分钟", 1.5, True), ("2h15min", 2.25, True), ("1:30", 1.5, True),
    ("1：30", 1.5, True), ("1个半小时", 1.5, True), (time(1, 30), 1.5, True),
    (timedelta(hours=2, minutes=15), 2.25, True),
])
def test_number(raw, expected, changed):
    assert parse_number(raw) == Parsed(expected, changed)


@pytest.mark.parametrize("raw", ["半天", "1-2小时", float("inf"), False, "1:75", "1小时90分"])
def test_number_failures(raw):
    assert parse_number(raw).error == "D111"


@pytest.mark.parametrize("raw, expected, changed", [
    (3, 3.0, False), (3.0, 3.0, False), ("3", 3.0, False), ("3份", 3.0, True), ("3 份", 3.0, True),
    ("2次", 2.0, True), ("２人次", 2.0, True), ("两份", 2.0, True), ("三次", 3.0, True),
    ("十二份", 12.0, True), ("二十五", 25.0, True), ("1.5份", 1.5, True),
])
def test_count(raw, expected, changed):
    from toolkit.read.normalise import parse_count
    assert parse_count(raw) == Parsed(expected, changed)


@pytest.mark.parametrize("raw", ["1.5小时", "30分钟", "很多", "-3", -1.0, "十十", "两十", True,
                                 float("inf")])
def test_count_failures(raw):
    from toolkit.read.normalise import parse_count
    p = parse_count(raw)
    assert p.error == "D111" and "不是数量" in p.detail.zh


@pytest.mark.parametrize("raw, expected, changed", [
    ("  张秀英 ", "张秀英", False), ("张伟（儿子）", "张伟（儿子）", False),
    ("ＬＲ－００１", "LR-001", True), (1.0, "1", False), (12345.0, "12345", False),
    (1.5, "1.5", False), (True, "是", True), (date(2026, 11, 3), "2026-11-03", True),
    ("12号301室", "12号301室", False), ("１２号３０１室", "12号301室", True),
])
def test_text(raw, expected, changed):
    assert parse("text", raw, as_of=AS_OF) == Parsed(expected, changed)
    assert parse("enum", raw, as_of=AS_OF) == Parsed(expected, changed)


def test_normalise_text_and_code():
    assert normalise_text(" 张伟（儿子） ") == "张伟（儿子）"
    assert normalise_code(" ＬＲ－００１ ") == "LR-001"
    assert normalise_code("无") is None


# ---------------------------------------------------------------------------------------
# dispatch and robustness

def test_memoised_parse_does_not_confuse_equal_values_of_other_types():
    assert parse("bool", True, as_of=AS_OF) == Parsed(True, False)
    assert parse("bool", 1.0, as_of=AS_OF) == Parsed(True, True)
    assert parse("bool", 1, as_of=AS_OF) == Parsed(True, True)
    assert parse("date", "11月3日", as_of=AS_OF).value == date(2026, 11, 3)
    assert parse("date", "11月3日", as_of=date(2027, 11, 23)).value == date(2027, 11, 3)
    assert parse("date", 44867.0, as_of=AS_OF, date1904=True).value == date(2026, 11, 3)
    assert parse("date", 44867.0, as_of=AS_OF).value == date(2022, 11, 2)


def test_unknown_type_is_a_programming_error():
    with pytest.raises(ValueError):
        parse("colour", "red", as_of=AS_OF)


ANY_RAW = st.one_of(st.text(), st.floats(), st.integers(), st.none(), st.booleans(), st.dates(),
                    st.datetimes(), st.text("0123456789-/.年月日 ", max_size=12))


@hsettings(max_examples=300)
@given(st.sampled_from(schema.TYPES), ANY_RAW, st.booleans())
def test_parse_never_raises(type_, raw, date1904):
    p = parse(type_, raw, as_of=AS_OF, date1904=date1904)
    assert isinstance(p, Parsed)
    assert (p.error is None) == (p.detail is None)
    if p.error:
        assert p.value is None and not p.changed
        assert p.detail.zh and p.detail.en


@pytest.mark.parametrize("type_, raw, code", [
    (schema.DATE, "日" * 100_000, "D102"), (schema.PHONE, "电话" + "1" * 100_000, "D104"),
    (schema.IDNUM, "3" * 100_000, "D105"), (schema.BOOL, "是否" * 50_000, "D109"),
    (schema.BP, "1" * 100_000, "D111"), (schema.DAYS, "周" * 100_000, "D111"),
    (schema.INT, "x" * 100_000, "D111"), (schema.NUMBER, "x" * 100_000, "D111")])
def test_long_raw_values_are_quoted_short(type_, raw, code):
    """A huge cell is quoted with at most QUOTE_CHARS characters and "…" (never the whole cell)."""
    p = parse(type_, raw, as_of=AS_OF)
    assert p.error == code
    for text in (p.detail.zh, p.detail.en):
        assert "…" in text and len(text) < QUOTE_CHARS + 150


def test_long_phone_counts_all_digits_and_is_clipped():
    p = parse_phone("1" * 60)
    assert "60位数字" in p.detail.zh and "…" in p.detail.zh
    assert clip("abc", 2) == "ab…" and clip("ab", 2) == "ab"


@pytest.mark.parametrize("raw, holiday_open", [
    ("每天（节假日除外）", False), ("周一至周日(法定节假日除外)", False), ("每天，节假日休息", False),
    ("除节假日外每天", False), ("每天", True), ("周一至周五", True)])
def test_holidays_excepted_follow_the_calendar(raw, holiday_open):
    """节假日除外: every day written except the calendar's public holidays (国庆 10-01 and the
    weekend inside it), ordinary weekends and 调休 working days still count."""
    days, cal = parse_days(raw).value, WorkCalendar()
    assert days.on(date(2026, 10, 1), cal) is holiday_open         # Thursday, 国庆
    assert days.on(date(2026, 10, 3), cal) is (holiday_open and 5 in days.weekdays)   # Saturday, 国庆
    assert days.on(date(2026, 10, 5), cal) is holiday_open          # Monday, 国庆
    assert days.on(date(2026, 11, 23), cal)                          # an ordinary Monday
    if 6 in days.weekdays:
        assert days.on(date(2026, 11, 22), cal)                      # an ordinary Sunday
    assert not parse_days("每天（节假日除外）").value.on(date(2027, 3, 1), WorkCalendar({date(2027, 3, 1): False}))


# ---------------------------------------------------------------------------------------
# money (收费金额)

@pytest.mark.parametrize("raw, value, changed", [
    (24.0, "24.00", False), ("24", "24.00", False), (" 24 ", "24.00", False),
    ("24.00", "24.00", False), ("24\u3000", "24.00", False), ("1,200", "1200.00", False),
    ("２４", "24.00", True), ("１２．５", "12.50", True), ("２４ ", "24.00", True),
    ("12.5元", "12.50", True), ("¥12", "12.00", True), ("免费", "0.00", True),
])
def test_money_full_width_digits_are_a_normalisation_plain_forms_are_not(raw, value, changed):
    from decimal import Decimal

    from toolkit.read.normalise import parse_money
    assert parse_money(raw) == Parsed(Decimal(value), changed)
