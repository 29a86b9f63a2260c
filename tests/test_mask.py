"""Masking of names, ID numbers and phones for the town office."""
from hypothesis import given, strategies as st

from toolkit.mask import mask_address, mask_id, mask_name, mask_phone, mask_text


def test_mask_name():
    assert mask_name("张秀英") == "张*英"
    assert mask_name("王芳") == "王*"
    assert mask_name("欧阳秀英") == "欧**英"
    assert mask_name("李") == "*"
    assert mask_name("") == "" and mask_name(None) == ""


def test_mask_address_drops_every_number():
    # mask_name kept the first character: 6号401室 went to the town as 6****室
    assert mask_address("6号401室") == "*号***室"
    assert mask_address("14号601室") == "**号***室"
    assert mask_address("松和苑B座12号") == "松和苑*座**号"
    out = mask_text("胡引娣（LR-005，咏泽苑 6号401室）", known_names=["胡引娣", "6号401室"])
    assert out == "胡*娣（LR-005，咏泽苑 *号***室）"


def test_mask_id():
    assert mask_id("310117194105120023") == "310117********0023"
    assert mask_id("31011719410512002X") == "310117********002X"


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("13812345678.0") == "138****5678"
    assert mask_phone("021-57651234") == "***-****1234"
    assert mask_phone("57651234") == "****1234"


def test_mask_text_scrubs_known_and_shaped_values():
    text = ("张秀英（310117194105120023）敲门无应答，联系人张伟 13912345678，"
            "座机 021-57651234，居委 57650000")
    out = mask_text(text, known_names=["张秀英", "张伟"], known_phones=["13912345678"],
                    known_ids=["310117194105120023"])
    for secret in ("张秀英", "张伟", "310117194105120023", "13912345678", "57651234", "57650000"):
        assert secret not in out
    assert "张*英" in out and "139****5678" in out and "310117********0023" in out
    assert "敲门无应答" in out


def test_mask_text_longest_name_first_and_single_chars_ignored():
    out = mask_text("张秀英和张秀", known_names=["张秀", "张秀英", "英"])
    assert out == "张*英和张*"


def test_mask_text_keeps_dates_and_record_ids():
    text = "SQ-2026-031 于 2026-11-03 登记，LR-017"
    assert mask_text(text, known_names=["王阿姨"]) == text


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_any_mobile_in_text_is_masked(phone):
    out = mask_text(f"电话{phone}。")
    assert phone not in out and phone[-4:] in out


def _replace_every_known_value(text, names, phones, ids):
    """The straightforward scrub ``scrubber`` must equal: one replace per known value, longest
    first, then the number shapes."""
    from toolkit.mask import ID_RE, LANDLINE_RE, MOBILE_RE, _variants
    replacements = {}
    for value in ids:
        for v in _variants(value):
            replacements[v] = mask_id(v)
    for value in phones:
        for v in _variants(value):
            replacements[v] = mask_phone(v)
    for value in names:
        for v in _variants(value):
            if len(v) >= 2:
                replacements.setdefault(v, mask_address(v) if any(c.isdigit() for c in v)
                                        else mask_name(v))
    out = text
    for value in sorted(replacements, key=lambda v: (-len(v), v)):
        out = out.replace(value, replacements[value])
    out = ID_RE.sub(lambda m: mask_id(m.group(0)), out)
    out = MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), out)
    return LANDLINE_RE.sub(lambda m: mask_phone(m.group(0)), out)


_PIECES = st.sampled_from(["张秀英", "张秀", "秀英", "王", "13812345678", "021-57651234", "6号203室",
                           "310117194105120023", "转述", "家", " ", "（", "Ab", "ab", "小区：", "1"])


@given(text=st.lists(_PIECES, max_size=12).map("".join),
       names=st.sets(st.sampled_from(["张秀英", "张秀", "秀英", "王", "6号203室", "Ab"])),
       phones=st.sets(st.sampled_from(["13812345678", "021-57651234", "1"])),
       ids=st.sets(st.sampled_from(["310117194105120023", "3101171941051200"])))
def test_scrubber_equals_replacing_every_known_value(text, names, phones, ids):
    from toolkit.mask import scrubber
    assert scrubber(names, phones, ids)(text) == _replace_every_known_value(text, names, phones, ids)
