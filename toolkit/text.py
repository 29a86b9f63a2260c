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


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def __add__(self, other: "Text") -> "Text":
        return Text(self.zh + other.zh, self.en + other.en)
