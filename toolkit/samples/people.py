"""Fictional but valid-looking people: names, resident ID numbers, phones, addresses.

Every builder takes a ``random.Random`` so the same seed gives the same people. The names are
common Shanghai-area names put together at random; the ID numbers carry correct GB 11643 check
digits and Shanghai Songjiang region codes, but belong to nobody.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

# GB 11643-1999: weights of the first 17 digits, and the check character for sum mod 11
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
SONGJIANG = "310117"            # 上海市松江区
SONGJIANG_OLD = "310227"        # 上海市松江县 (before 1998; IDs issued then keep it)
REGIONS = (SONGJIANG, SONGJIANG, SONGJIANG, SONGJIANG, SONGJIANG, SONGJIANG_OLD)

SURNAMES = ("王", "张", "陈", "李", "刘", "朱", "徐", "沈", "陆", "顾", "周", "吴", "钱", "施", "蒋",
            "姚", "唐", "金", "杨", "黄", "孙", "胡", "赵", "曹", "许", "俞", "严", "潘", "范", "郁",
            "卫", "盛", "邱", "倪", "袁", "马", "丁", "戴", "宋", "龚")
ELDER_FEMALE = ("秀英", "桂英", "玉兰", "凤英", "秀珍", "桂兰", "美华", "惠珍", "月娥", "彩娣", "雅琴",
                "金妹", "素珍", "丽华", "菊英", "根娣", "小妹", "莲英", "宝珍", "杏娣", "妙英", "引娣",
                "翠英", "佩华", "琴芳", "爱珍", "梅芳", "雪英")
ELDER_MALE = ("建国", "国强", "德明", "根生", "福林", "志明", "永康", "金根", "荣生", "明华", "伟民",
              "关林", "家福", "水根", "国平", "炳生", "文斌", "正兴", "阿福", "林生", "宝根", "雪林",
              "富根", "惠民", "耀华", "振华", "洪生", "培德")
YOUNG_FEMALE = ("丽", "敏", "静", "艳", "芳", "燕", "婷", "红", "霞", "蕾", "佳", "雯", "晓燕", "海燕",
                "丽娟", "春梅", "晓红", "慧", "玲", "洁", "琳", "颖", "嘉怡", "思琪")
YOUNG_MALE = ("伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "浩", "俊", "辉", "明", "峰", "刚",
              "晓东", "建华", "卫东", "志刚", "海峰", "文杰", "立新", "振宇", "亮")
RELATIONS = ("儿子", "女儿", "儿媳", "女婿", "侄子", "外甥女", "孙子", "邻居")

MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "153", "155", "156", "158", "159", "176", "177", "180", "181", "182",
                   "183", "186", "187", "188", "189", "199")
LANDLINE_PREFIXES = ("5765", "5768", "5779", "5764", "6769")     # 松江 / 佘山 exchanges

# community and estate names of a fictional town (莘泽 stays free for the demo workspace)
NAME_FIRST = ("佘", "松", "新", "江", "月", "北", "泗", "天", "秋", "兰", "桃", "翠", "东", "西", "凤",
              "云", "星", "林", "鹤", "明", "安", "嘉", "和", "春", "华", "泉", "锦", "御", "景", "海")
NAME_SECOND = ("山", "北", "宅", "秋", "湖", "干", "泾", "马", "园", "溪", "苑", "庭", "浦", "塘",
               "湾", "桥", "泽", "林", "锦", "悦", "嘉", "晨", "丰", "源", "泰", "汇", "景", "茂", "宁",
               "康")
ESTATE_SUFFIXES = ("苑", "园", "苑", "新村", "公寓", "花园", "小区", "佳苑", "雅苑", "名邸")


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character (0-9 or X) for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK[total % 11]


def id_is_valid(number: str) -> bool:
    """True for an 18-character ID with a correct check character and a real birth date."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return number[17].upper() == id_check_digit(number[:17])


def make_id_number(rng: random.Random, birth: date, gender: str, region: str | None = None) -> str:
    """A valid 18-digit resident ID for ``birth`` and ``gender`` (男 = odd sequence)."""
    region = region or rng.choice(REGIONS)
    seq = rng.randrange(1, 999)
    if (seq % 2 == 1) != (gender == "男"):
        seq += 1
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def break_check_digit(number: str) -> str:
    """The same ID with a wrong check character (a typical typing error)."""
    good = id_check_digit(number[:17])
    wrong = ID_CHECK[(ID_CHECK.index(good) + 3) % 11]
    return number[:17] + wrong


def make_birth(rng: random.Random, as_of: date, min_age: int = 60, max_age: int = 100) -> date:
    """A birth date giving an age between ``min_age`` and ``max_age``, skewed to the young old."""
    age = min_age + int((max_age - min_age + 1) * rng.random() ** 1.6)
    age = min(age, max_age)
    latest = date(as_of.year - age, as_of.month, min(as_of.day, 28))
    return latest - timedelta(days=rng.randrange(0, 364))


def age_on(birth: date, as_of: date) -> int:
    return as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))


def make_name(rng: random.Random, gender: str, *, elderly: bool = True,
              taken: set[str] | None = None) -> str:
    """A plausible name; with ``taken`` it is unique (and added to the set)."""
    if elderly:
        pool = ELDER_MALE if gender == "男" else ELDER_FEMALE
    else:
        pool = YOUNG_MALE if gender == "男" else YOUNG_FEMALE
    for _ in range(200):
        name = rng.choice(SURNAMES) + rng.choice(pool)
        if taken is None or name not in taken:
            break
    else:  # pragma: no cover - only when the pool is exhausted
        name = rng.choice(SURNAMES) + rng.choice(pool) + rng.choice(pool)[:1]
    if taken is not None:
        taken.add(name)
    return name


def make_mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(0, 10 ** 8):08d}"


def make_landline(rng: random.Random, area_code: bool | None = None) -> str:
    number = rng.choice(LANDLINE_PREFIXES) + f"{rng.randrange(0, 10 ** 4):04d}"
    if area_code is None:
        area_code = rng.random() < 0.4
    return f"021-{number}" if area_code else number


def make_phone(rng: random.Random, mobile_share: float = 0.7) -> str:
    return make_mobile(rng) if rng.random() < mobile_share else make_landline(rng)


def break_phone(rng: random.Random, phone: str) -> str:
    """A malformed phone number as staff mistype it (a digit missing or one too many)."""
    digits = phone.replace("021-", "")
    if rng.random() < 0.5:
        cut = rng.randrange(len(digits))
        return digits[:cut] + digits[cut + 1:]
    return digits + str(rng.randrange(10))


def make_address(rng: random.Random, buildings: int = 30, floors: int = 6) -> str:
    """``12号301室``."""
    return f"{rng.randrange(1, buildings + 1)}号{rng.randrange(1, floors + 1)}0{rng.randrange(1, 5)}室"


def make_emergency_contact(rng: random.Random, surname: str) -> str:
    relation = rng.choice(RELATIONS)
    gender = "男" if relation in ("儿子", "女婿", "侄子", "孙子") else "女"
    given = rng.choice(YOUNG_MALE if gender == "男" else YOUNG_FEMALE)
    first = surname if relation in ("儿子", "女儿", "侄子", "孙子") else rng.choice(SURNAMES)
    return f"{first}{given}（{relation}）"


def community_names(rng: random.Random, n: int, exclude: tuple[str, ...] = ("莘泽",)) -> list[str]:
    """``n`` distinct fictional 居民区 names (``松秋居民区`` …)."""
    names: list[str] = []
    seen = set(exclude)
    while len(names) < n:
        stem = rng.choice(NAME_FIRST) + rng.choice(NAME_SECOND)
        if stem[0] == stem[1] or stem in seen:
            if len(seen) >= len(NAME_FIRST) * len(NAME_SECOND) - 1:
                stem = f"{stem}{len(names) + 1}"
            else:
                continue
        seen.add(stem)
        names.append(f"{stem}居民区")
    return names


def estate_names(rng: random.Random, n: int, stem: str = "") -> list[str]:
    """``n`` distinct 小区 names; the first usually shares the community's first character."""
    names: list[str] = []
    while len(names) < n:
        first = stem[:1] if (stem and not names) else rng.choice(NAME_FIRST)
        name = first + rng.choice(NAME_SECOND) + rng.choice(ESTATE_SUFFIXES)
        if name not in names and name[0] != name[1]:
            names.append(name)
    return names
