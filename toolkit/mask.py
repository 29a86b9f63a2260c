"""Masking of personal data (names, ID numbers, phones): the one copy, for anything sent to the
town office and for the ID numbers and phones that finding messages quote.

    mask_name("张秀英")            -> "张*英"      (2 characters: "张*"; 1 character: "*")
    mask_address("14号601室")      -> "**号***室"  (an address known from the ledgers, in free text)
    mask_id("310117194105120023")  -> "310117********0023"
    mask_phone("13812345678")      -> "138****5678"
    mask_phone("021-57651234")     -> "***-****1234"   (landline: only the last 4 digits kept)
    mask_text(message, names, phones, ids)   scrubs free text (finding messages hold names)

Two policies, both here: ``mask_*`` for anything sent to the town office (strict), and
``quote_id``/``quote_phone`` for a malformed ID or phone that a finding message quotes back
to the staff who keep the ledger (first and last digits kept so they find the cell; a
string too short to be a number is quoted as written). Anything for the town goes through
``mask_text`` again, which never lets a quoted number through whole.

Pure functions; no I/O.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

__all__ = ["mask_name", "mask_address", "mask_id", "mask_phone", "mask_text", "scrubber", "known_personal",
           "quote_id", "quote_phone", "MOBILE_RE", "ID_RE"]

STAR = "*"
# an 11-digit mobile or an 18-character ID that is not part of a longer run of digits
MOBILE_RE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
ID_RE = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
LANDLINE_RE = re.compile(r"(?<![0-9])(?:0[0-9]{2,3}-)?[2-9][0-9]{6,7}(?![0-9])")
DIGITS_RE = re.compile(r"[0-9]")


def mask_name(name: object) -> str:
    """Keep the first and last character of a name, star the rest."""
    text = "" if name is None else str(name).strip()
    if len(text) <= 1:
        return STAR if text else ""
    if len(text) == 2:
        return text[0] + STAR
    return text[0] + STAR * (len(text) - 2) + text[-1]


def mask_address(address: object) -> str:
    """Every digit and Latin letter of an address starred, its words kept: ``14号601室`` ->
    ``**号***室``. ``mask_name`` would keep the first character, and a one-digit building
    number (``6号401室`` -> ``6****室``) with the 小区 beside it narrows down the home."""
    text = "" if address is None else str(address).strip()
    return "".join(STAR if ch.isdigit() or (ch.isascii() and ch.isalpha()) else ch for ch in text)


def mask_id(id_number: object) -> str:
    """Keep the first 6 (region) and last 4 characters of an ID number, star the middle."""
    text = "" if id_number is None else str(id_number).strip()
    if len(text) <= 10:
        return STAR * len(text)
    return text[:6] + STAR * (len(text) - 10) + text[-4:]


def mask_phone(phone: object) -> str:
    """Mobile: first 3 and last 4 digits kept; anything else (landline): only the last 4 digits.

    Separators (``-``, spaces) stay where they were so the shape stays readable.
    """
    text = "" if phone is None else str(phone).strip()
    if text.endswith(".0") and text[:-2].isdigit():      # 13812345678.0 stored as a number
        text = text[:-2]
    digits = DIGITS_RE.findall(text)
    if not digits:
        return STAR * len(text)
    if len(digits) == 11 and digits[0] == "1" and text.isdigit():
        return text[:3] + STAR * 4 + text[-4:]
    keep_from = len(digits) - 4
    out, seen = [], 0
    for ch in text:
        if ch.isdigit():
            out.append(ch if seen >= keep_from else STAR)
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def quote_phone(text: str) -> str:
    """A malformed phone as a staff message quotes it: 138*****6549 (under 9 characters: as is)."""
    return text[:3] + STAR * (len(text) - 7) + text[-4:] if len(text) >= 9 else text


def quote_id(text: str) -> str:
    """A malformed ID as a staff message quotes it: 310117********0023, birth date hidden."""
    return text[:6] + STAR * (len(text) - 10) + text[-4:] if len(text) > 10 else text


def _variants(value: object) -> set[str]:
    text = "" if value is None else str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return {text, text.upper(), text.lower()} - {""}


def mask_text(text: object, known_names: Iterable[object] = (), known_phones: Iterable[object] = (),
              known_ids: Iterable[object] = ()) -> str:
    """Scrub free text: known names, phones and IDs, plus anything shaped like a mobile number,
    an ID number or a landline (``021-57651234``, ``57651234``).

    Longer known values are replaced first, so "张秀英" is masked before a "张秀" inside it.
    Names of one character are ignored (they would star every occurrence of that character).
    For many texts, ``scrubber`` works the replacements out once.
    """
    return scrubber(known_names, known_phones, known_ids)(text)


def scrubber(known_names: Iterable[object] = (), known_phones: Iterable[object] = (),
             known_ids: Iterable[object] = ()) -> Callable[[object], str]:
    """``mask_text`` for many texts: the replacements are made once, and each text is looked up
    by its own substrings (a short label costs a few set lookups, not one replace per known
    value)."""
    replacements: dict[str, str] = {}
    for value in known_ids:
        for v in _variants(value):
            replacements[v] = mask_id(v)
    for value in known_phones:
        for v in _variants(value):
            replacements[v] = mask_phone(v)
    for value in known_names:           # names, and the addresses that go with them
        for v in _variants(value):
            if len(v) >= 2:
                replacements.setdefault(v, mask_address(v) if DIGITS_RE.search(v) else mask_name(v))
    lengths = sorted({len(v) for v in replacements}, reverse=True)

    def scrub(text: object) -> str:
        out = "" if text is None else str(text)
        present = {out[i:i + n] for n in lengths if n <= len(out)
                   for i in range(len(out) - n + 1)} & replacements.keys()
        for value in sorted(present, key=lambda v: (-len(v), v)):
            out = out.replace(value, replacements[value])
        out = ID_RE.sub(lambda m: mask_id(m.group(0)), out)
        out = MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), out)
        return LANDLINE_RE.sub(lambda m: mask_phone(m.group(0)), out)
    return scrub


def known_personal(records: Iterable) -> tuple[set[str], set[str], set[str]]:
    """``(names, phones, ids)``: every sensitive value (schema ``sensitive=True``) of the given
    records, normalised and as written, for ``mask_text``. Addresses go with the names."""
    from toolkit import schema          # local: keeps the masking functions import-light

    names: set[str] = set()
    phones: set[str] = set()
    ids: set[str] = set()
    records = list(records)
    sensitive = {kind: [(c.key, phones if c.type == schema.PHONE else
                         ids if c.type == schema.IDNUM else names)
                        for c in ledger.columns if c.sensitive]
                 for kind, ledger in schema.LEDGERS.items()}
    for record in records:
        for key, bucket in sensitive.get(record.kind, ()):
            for value in (record.values.get(key), record.raw(key)):
                if value not in (None, "") and not isinstance(value, (list, tuple, set)):
                    bucket.add(str(value).strip())
    for record in records:              # a 结对志愿者/志愿者 written as a name (not an 编号)
        value = record.values.get("volunteer")
        if isinstance(value, str) and value.strip() and not any(c.isascii() for c in value.strip()):
            names.add(value.strip())
    return names - {""}, phones - {""}, ids - {""}
