"""Dutch text analysis for the embedded lexical index: the same chain at index and query time.

Lowercase, fold accents, split on non-word characters, drop stop words, Snowball-stem
(PyStemmer's Dutch stemmer, the same algorithm as OpenSearch's ``dutch`` analyzer).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)

# Snowball's Dutch stop list, accent-folded.
DUTCH_STOPWORDS = frozenset(
    """de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om hem
    dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar heb hoe
    heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al waren veel meer doen
    toen moet ben zonder kan hun dus alles onder ja eens hier wie werd altijd doch wordt wezen kunnen
    ons zelf tegen na reeds wil kon niets uw iemand geweest andere""".split()
)


def fold(text: str) -> str:
    """Lowercase and strip diacritics ("financiële" -> "financiele")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch")


def tokens(text: str) -> list[str]:
    """Folded surface tokens; hyphenated compounds yield the whole and its parts."""
    out: list[str] = []
    for match in _TOKEN.finditer(fold(text)):
        word = match.group(0)
        if "-" in word:
            parts = [p for p in word.split("-") if p]
            out.append("".join(parts))
            out.extend(parts)
        else:
            out.append(word)
    return out


def analyze(text: str) -> list[str]:
    """Index terms of a text: folded, stop words removed, stemmed."""
    stemmer = _stemmer()
    return [stemmer.stemWord(t) for t in tokens(text) if t not in DUTCH_STOPWORDS]
