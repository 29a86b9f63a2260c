"""Bigram similarity (ledgers.md "Bigram similarity"): R210 repeat requests and M702 minutes."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["bigrams", "dice", "SIMILAR", "SimilarPairs"]

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


class SimilarPairs(dict):
    """``pairs[(a, b)]``: is ``dice(a, b) >= SIMILAR``, for two bigram sets of ``bigrams``,
    worked out once per pair. A ledger's texts repeat word for word (楼道灯不亮 written the
    same way by many residents), and ``bigrams`` gives one set object per distinct text, so a
    rule comparing many requests compares each pair of distinct texts once."""

    def __missing__(self, pair: tuple[frozenset[str], frozenset[str]]) -> bool:
        verdict = self[pair] = dice(*pair) >= SIMILAR
        return verdict
