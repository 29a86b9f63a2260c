"""A user-visible sentence in Chinese (first) and English."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_DIGITS = re.compile(r"(\d+)")


@lru_cache(maxsize=4096)          # the same few file and sheet names, on every finding
def natural_key(text: str) -> tuple:
    """Sort key putting numbers in numeric order: ``9月.xlsx`` before ``10月.xlsx``."""
    return tuple(int(part) if i % 2 else part for i, part in enumerate(_DIGITS.split(text)))


# a run of whitespace holding a line break or tab (Alt+Enter in a cell: \n, or \r\n)
_BREAK = "[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]"
_BREAKS = re.compile(r"\s*" + _BREAK + r"\s*")
_EDGE_BREAKS = re.compile(r"^\s*" + _BREAK + r"\s*|\s*" + _BREAK + r"\s*$")


def one_line(text: str) -> str:
    """``text`` quoted on one line: each run of whitespace holding a line break or tab is one
    space (``13号\n503室`` → ``13号 503室``), or nothing at either end; plain spaces stay as
    typed. Text without such characters (nearly all) is returned as it is after one scan."""
    if text.isprintable():
        return text
    return _BREAKS.sub(" ", _EDGE_BREAKS.sub("", text))


def long_digits(value) -> str | None:
    """An ID or phone typed as a number (a whole number of 11 digits or more), as its digits:
    written back as a number, Excel and LibreOffice show ``3.10117195507311E+017``, not what
    the finding's message quotes. None for any other value."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 1e10 \
            and float(value).is_integer():
        return str(int(value))
    return None


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def __add__(self, other: "Text") -> "Text":
        return Text(self.zh + other.zh, self.en + other.en)


def listing(items) -> Text:
    """Several values as one phrase: ``a、b`` in Chinese, ``a, b`` in English (an English
    message never lists with the Chinese enumeration comma)."""
    shown = [one_line(str(item)) for item in items]
    return Text("、".join(shown), ", ".join(shown))


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBERS = re.compile(r"\d+|[一二两三四五六七八九十]{1,3}")


def chinese_number(text: str) -> int | None:
    """一 … 九十九 (两 for 2; 十, 十二, 二十, 二十五); None for anything else (二二, 十十)."""
    tens, _, ones = text.partition("十")
    if not _:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    if len(tens) > 1 or len(ones) > 1 or tens == "两" or ones == "两":
        return None
    high = _CN_DIGITS.get(tens) if tens else 1
    low = _CN_DIGITS.get(ones) if ones else 0
    return None if high is None or low is None else high * 10 + low


def numbers_in(text: str) -> list[int]:
    """The whole numbers written in ``text``, in digits or small Chinese numerals
    (``1-2次`` → [1, 2], ``两次`` → [2], ``十二次`` → [12])."""
    found = (int(t) if t.isdigit() else chinese_number(t) for t in _NUMBERS.findall(text))
    return [n for n in found if n is not None]
