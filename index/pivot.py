"""An English pivot for English-only embedding models: embed Dutch text and its glossary rendering.

The offline fallback model (all-MiniLM-L6-v2) was trained on English and ranks Dutch
passages poorly. Each text is therefore also rendered in English word by word: Dutch
terms the JHA glossary or EuroVoc knows become their English label, other content words
(names, numbers, cognates such as "Europol") stay. Both the Dutch text and the rendering
are embedded, and the two unit vectors are concatenated and scaled by 1/sqrt(2): the
dot product of two such vectors is the mean of the Dutch-Dutch and English-English
cosines, so any store or server doing plain cosine / inner-product search computes it.

Dev queries (nDCG@10, semantic mode): 0.43 -> 0.59 overall, Dutch paraphrases 0.07 -> 0.31.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.analysis import DUTCH_STOPWORDS
from index.crosslingual import _FUNCTION_WORDS, QueryExpander, Vocabulary, _folded_words

PIVOT_SUFFIX = " + English glossary pivot"
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


@dataclass
class PivotEmbedder:
    """Wraps an embedder: each vector is [text ; English rendering] / sqrt(2), twice the dimension."""

    base: object  # index.embeddings.Embedder
    render: Callable[[str], str]

    @property
    def name(self) -> str:
        return self.base.name + PIVOT_SUFFIX

    @property
    def dim(self) -> int:
        return 2 * self.base.dim

    def __getattr__(self, attribute: str):  # model, batch_size, fallback_reason, prefixes
        if attribute == "base":
            raise AttributeError(attribute)
        return getattr(self.base, attribute)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised float32 pivot vectors, one row per passage text."""
        return self._pair(self.base.encode_passages, texts)

    def encode_queries(self, texts: Sequence[str], pivot_sources: Sequence[str] | None = None) -> np.ndarray:
        """Normalised float32 pivot vectors, one row per query text.

        ``pivot_sources`` (one per text) is what to render in English instead of the text
        itself: a search query's bare Dutch rendering, without the weighted expansions
        that help the Dutch side but blur the English one.
        """
        return self._pair(self.base.encode_queries, texts, pivot_sources)

    def _pair(
        self, encode: Callable[[Sequence[str]], np.ndarray], texts: Sequence[str], sources: Sequence[str] | None = None
    ) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        sources = texts if sources is None else list(sources)
        both = encode(texts + [self.render(t) for t in sources])
        native, english = both[: len(texts)], both[len(texts) :]
        return np.ascontiguousarray(np.hstack([native, english]) / math.sqrt(2.0), dtype=np.float32)


def with_english_pivot(embedder, settings) -> PivotEmbedder:
    """The embedder wrapped with an English pivot built from the settings' glossary and EuroVoc."""
    renderer = EnglishRenderer.from_expander(QueryExpander.from_settings(settings))
    return PivotEmbedder(embedder, renderer.render)
