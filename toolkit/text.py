"""A user-visible sentence in Chinese (first) and English."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    zh: str
    en: str

    def get(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def __add__(self, other: "Text") -> "Text":
        return Text(self.zh + other.zh, self.en + other.en)
