"""Prior wording for a draft: passages close in wording AND meaning, with a word diff.

Drafts are usually one sentence while passages are whole points, so each candidate is
scored on its best-matching sentence window. Wording closeness is a character-level ratio
(rapidfuzz) plus the share of the draft's analysed terms the window contains; meaning is
the cosine between the draft's vector and the passage's closest stored vector (its best
sentence, as vector search scores it). Candidates come from both retrievers, so a paraphrase
with few shared words, or a translation with none, still reaches the scorer.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from index.analysis import analyze, fold

_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[\"“(\[]?[A-Z0-9a-z])")
_WORDS = re.compile(r"\S+")

# How the three signals combine: wording dominates so a lightly edited sentence finds its
# own source first; meaning lifts paraphrases that share few words, and alone finds the
# source of a draft translated from another language. Dev cases (USE multilingual v3,
# sentence vectors): (0.40, 0.30, 0.30) and (0.35, 0.30, 0.35) both rank every light edit
# and translated draft first and 9 of 10 paraphrases in the top 3; the second by a wider margin.
WEIGHT_CHARACTERS = 0.35
WEIGHT_TERMS = 0.30
WEIGHT_MEANING = 0.35


@dataclass(frozen=True)
class WindowMatch:
    """The best sentence window of one passage for a draft, with its wording scores."""

    text: str
    character_ratio: float  # 0..1, rapidfuzz ratio on folded text
    term_share: float  # 0..1, share of the draft's analysed terms found in the window


def sentences(text: str) -> list[str]:
    """Sentences (and ';'-separated clauses, as Council points use them) of a passage."""
    clean = " ".join(text.split())
    return [s for s in _SENTENCE_END.split(clean) if s.strip()]


def windows(text: str, max_sentences: int = 3) -> list[str]:
    """Runs of 1..max_sentences consecutive sentences, plus the whole text."""
    parts = sentences(text)
    out = {" ".join(parts[i : i + n]) for n in range(1, max_sentences + 1) for i in range(len(parts) - n + 1)}
    out.add(" ".join(text.split()))
    return sorted(out, key=len)


def best_window(draft: str, passage_text: str) -> WindowMatch:
    """The window of the passage closest in wording to the draft."""
    draft_folded = fold(" ".join(draft.split()))
    draft_terms = set(analyze(draft))
    best = WindowMatch(passage_text, 0.0, 0.0)
    best_score = -1.0
    for window in windows(passage_text):
        ratio = fuzz.ratio(draft_folded, fold(window)) / 100.0
        window_terms = set(analyze(window))
        share = len(draft_terms & window_terms) / len(draft_terms) if draft_terms else 0.0
        # Long windows contain more terms; the ratio penalises their extra length.
        score = WEIGHT_CHARACTERS * ratio + WEIGHT_TERMS * share
        if score > best_score:
            best, best_score = WindowMatch(window, ratio, share), score
    return best


def combined_similarity(window: WindowMatch, cosine: float) -> float:
    """One 0..1 figure: wording and meaning together."""
    meaning = max(0.0, min(1.0, cosine))
    return WEIGHT_CHARACTERS * window.character_ratio + WEIGHT_TERMS * window.term_share + WEIGHT_MEANING * meaning


def word_diff(source: str, draft: str) -> list[dict[str, str]]:
    """Word-level edits that turn the source wording into the draft: equal / delete / insert."""
    a, b = _WORDS.findall(source), _WORDS.findall(draft)
    matcher = difflib.SequenceMatcher(a=[fold(w) for w in a], b=[fold(w) for w in b], autojunk=False)
    ops: list[dict[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append({"op": "equal", "text": " ".join(b[j1:j2])})
            continue
        if i2 > i1:
            ops.append({"op": "delete", "text": " ".join(a[i1:i2])})
        if j2 > j1:
            ops.append({"op": "insert", "text": " ".join(b[j1:j2])})
    return ops


def cosine_rows(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Cosine of each row with the query (rows and query are normalised already)."""
    if vectors.size == 0:
        return np.zeros(0, dtype=np.float32)
    return vectors @ np.asarray(query, dtype=np.float32).reshape(-1)
