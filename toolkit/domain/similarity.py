"""Bigram similarity (ledgers.md "Bigram similarity"): R210 repeat requests and M702 minutes."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["bigrams", "dice", "SIMILAR"]

SIMILAR = 0.6      # Dice at or above this: "nearly the same content" (R210, M702)


@lru_cache(maxsize=1 << 14)
def bigrams(text: str) -> frozenset[str]:
    """The set of adjacent character pairs of ``text`` after removing whitespace and every
    punctuation or symbol character (Unicode categories P*, S*). NFKC first, so full-width
    and half-width spellings give the same pairs."""
    kept = [ch for ch in unicodedata.normalize("NFKC", text)
            if not ch.isspace() and unicodedata.category(ch)[0] not in "PS"]
    return frozenset(a + b for a, b in zip(kept, kept[1:]))


def dice(a: str | frozenset[str], b: str | frozenset[str]) -> float:
    """Dice coefficient of two texts' bigram sets: 2|A∩B| / (|A|+|B|); 0.0 when both are empty."""
    sa = bigrams(a) if isinstance(a, str) else a
    sb = bigrams(b) if isinstance(b, str) else b
    if not sa and not sb:
        return 0.0
    return 2 * len(sa & sb) / (len(sa) + len(sb))
