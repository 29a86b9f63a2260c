"""Coverage-guided fuzzing of ``toolkit.read.normalise.parse`` with atheris (not run in CI).

    pip install atheris
    python tests/fuzz/fuzz_normalise.py -atheris_runs=2000000 -max_len=64

Each input becomes (column type, raw value of any type the readers give, as-of date, 1904
flag). Invariants checked on every call:
- ``parse`` never raises, and returns a ``Parsed``;
- a failure has no value, a D-code and a two-language detail that quotes a bounded value;
- the same input gives the same result (memoisation cannot leak between types);
- normalising is idempotent: parsing a normalised date / text / phone / ID again gives it back.
"""
from __future__ import annotations

import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

with atheris.instrument_imports():
    from toolkit import schema
    from toolkit.read.normalise import Parsed, id_check_digit, parse

MAX_DETAIL = 400          # characters of a message beyond the raw value it quotes (a loose bound)


def raw_value(fdp: "atheris.FuzzedDataProvider"):
    """Any value python-calamine, openpyxl or the CSV reader can hand over."""
    choice = fdp.ConsumeIntInRange(0, 8)
    if choice == 0:
        return None
    if choice == 1:
        return fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 40))
    if choice == 2:
        return fdp.ConsumeFloat()
    if choice == 3:
        return fdp.ConsumeInt(8)
    if choice == 4:
        return fdp.ConsumeBool()
    if choice == 5:
        return date(1900, 1, 1) + timedelta(days=fdp.ConsumeIntInRange(0, 2958463))
    if choice == 6:
        return datetime(1900, 1, 1) + timedelta(seconds=fdp.ConsumeIntInRange(0, 2958463 * 86400))
    if choice == 7:
        return time(fdp.ConsumeIntInRange(0, 23), fdp.ConsumeIntInRange(0, 59))
    # text built from the characters ledgers are made of, to reach the parsers' deep branches
    alphabet = "0123456789０１２３年月日号./-／：:、，,；; X xY是否有无√×周一二三四五六日至工作末天（）()"
    return "".join(alphabet[fdp.ConsumeIntInRange(0, len(alphabet) - 1)]
                   for _ in range(fdp.ConsumeIntInRange(0, 24)))


def check(type_: str, raw, as_of: date, date1904: bool) -> None:
    parsed = parse(type_, raw, as_of=as_of, date1904=date1904)
    assert isinstance(parsed, Parsed), parsed
    again = parse(type_, raw, as_of=as_of, date1904=date1904)
    assert again == parsed, (type_, raw, parsed, again)
    if parsed.error:
        assert parsed.value is None, parsed
        assert parsed.error.startswith("D") and len(parsed.error) == 4, parsed
        assert parsed.detail is not None and parsed.detail.zh and parsed.detail.en
        bound = MAX_DETAIL + len(str(raw))
        assert len(parsed.detail.zh) <= bound and len(parsed.detail.en) <= bound, parsed
        return
    value = parsed.value
    if value is None:
        return
    if type_ == schema.DATE:
        assert isinstance(value, date) and not isinstance(value, datetime), (raw, value)
        assert parse(type_, value, as_of=as_of).value == value, (raw, value)
    elif type_ in (schema.TEXT, schema.ENUM):
        assert isinstance(value, str) and value == value.strip(), (raw, value)
        assert parse(type_, value, as_of=as_of).value == value, (raw, value)
    elif type_ == schema.IDNUM:
        assert len(value) == 18 and id_check_digit(value[:17]) == value[17], (raw, value)
        assert parse(type_, value, as_of=as_of).value == value, (raw, value)
    elif type_ == schema.PHONE:
        assert parse(type_, value, as_of=as_of).value == value, (raw, value)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    type_ = schema.TYPES[fdp.ConsumeIntInRange(0, len(schema.TYPES) - 1)]
    as_of = date(2000, 1, 1) + timedelta(days=fdp.ConsumeIntInRange(0, 20000))
    date1904 = fdp.ConsumeBool()
    check(type_, raw_value(fdp), as_of, date1904)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
