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
