"""An English pivot for English-only embedding models: embed Dutch text and its glossary rendering.

The offline fallback model (all-MiniLM-L6-v2) was trained on English and ranks Dutch
passages poorly. Each text is therefore also rendered in English word by word: Dutch
terms the JHA glossary or EuroVoc knows become their English label, other content words
(names, numbers, cognates such as "Europol") stay. Both the Dutch text and the rendering
are embedded, and the two unit vectors are concatenated and scaled by 1/sqrt(2): the
dot product of two such vectors is the mean of the Dutch-Dutch and English-English
cosines, so any store or server doing plain cosine / inner-product search computes it.

``index.embeddings.Embedder`` does the encoding when its ``pivot`` is set (the model
name stays; the doubled dimension tells stores embedded without the pivot apart).
Dev queries (nDCG@10, semantic mode): 0.43 -> 0.61 overall, Dutch paraphrases 0.07 -> 0.34.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from index.analysis import DUTCH_STOPWORDS
from index.crosslingual import _FUNCTION_WORDS, QueryExpander, Vocabulary, _folded_words

_MAX_NGRAM = 8
_DUTCH_SKIP = frozenset(DUTCH_STOPWORDS | _FUNCTION_WORDS["nl"])


@dataclass(frozen=True)
class EnglishRenderer:
    """Renders Dutch text in English through concept vocabularies (glossary first, then EuroVoc)."""

    vocabularies: tuple[Vocabulary, ...]

    @classmethod
    def from_expander(cls, expander: QueryExpander) -> EnglishRenderer:
        return cls((expander.glossary_vocabulary, expander.eurovoc_vocabulary))

    def render(self, text: str) -> str:
        """Longest known Dutch term at each position -> its first English form; stop words dropped."""
        words = _folded_words(text)
        out: list[str] = []
        i = 0
        while i < len(words):
            length, english = self._longest(words, i)
            if english:
                out.append(english)
                i += length
                continue
            if words[i] not in _DUTCH_SKIP:
                out.append(words[i])
            i += 1
        return " ".join(out)

    def _longest(self, words: list[str], start: int) -> tuple[int, str | None]:
        best: tuple[int, str | None] = (0, None)
        for vocabulary in self.vocabularies:
            for n in range(min(_MAX_NGRAM, len(words) - start), best[0], -1):
                hits = vocabulary.entries.get(tuple(words[start : start + n]))
                if not hits:
                    continue
                english = next((c.forms["en"][0] for c, lang in hits if lang == "nl" and c.forms.get("en")), None)
                if english:
                    best = (n, english)
                break  # the longest entry here decides for this vocabulary
        return best


def pair_vectors(both: np.ndarray, count: int) -> np.ndarray:
    """Rows ``[native_i ; english_i] / sqrt(2)`` from ``count`` native rows followed by their renderings."""
    native, english = both[:count], both[count:]
    return np.ascontiguousarray(np.hstack([native, english]) / math.sqrt(2.0), dtype=np.float32)


def is_english_only(embedder) -> bool:
    """True for the offline all-MiniLM-L6-v2 fallback, trained on English text only."""
    name = str(getattr(embedder, "name", "")).lower()
    return "all-minilm" in name


def with_english_pivot(embedder, settings):
    """The embedder, for an English-only model set to embed the English pivot too (dim doubles)."""
    if not is_english_only(embedder) or embedder.pivot is not None:
        return embedder
    renderer = EnglishRenderer.from_expander(QueryExpander.from_settings(settings))
    return replace(embedder, pivot=renderer.render, dim=2 * embedder.dim)
