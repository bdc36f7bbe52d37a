"""Modality cues: the words that make a sentence a request, a commitment or an obligation.

A token ``Matcher`` (no parser is needed) marks each cue in ``doc.spans["modality"]``; the
span label is the modality (request | commitment | obligation). Patterns are data in
``nlp/data/modality_patterns.json``.
"""

from __future__ import annotations

import json
from pathlib import Path

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.windows import match_near_triggers

DEFAULT_PATTERNS = Path(__file__).parent / "data" / "modality_patterns.json"
SPAN_KEY = "modality"
# Cue labels in the data file -> the modality they express.
MODALITY_OF_CUE = {
    "COMMIT": "commitment",
    "OBLIGE": "obligation",
    "REQUEST": "request",
    "INVITE": "request",
    "BLOCK": "request",
    "WE_COMMIT": "commitment",
    "URGE": "request",  # "het is van cruciaal belang dat de lidstaten ...": a request to whoever the clause names
}


class ModalityTagger:
    """Marks modality cues; span labels are cue kinds (COMMIT, OBLIGE, REQUEST, INVITE, BLOCK, WE_COMMIT, URGE)."""

    def __init__(self, vocab, patterns_path: Path = DEFAULT_PATTERNS):
        self.matcher = Matcher(vocab)
        first_words: set[str] = set()
        for label, patterns in json.loads(Path(patterns_path).read_text(encoding="utf-8")).items():
            self.matcher.add(label, patterns)
            for pattern in patterns:
                lower = pattern[0].get("LOWER")
                first_words.update(lower.get("IN", []) if isinstance(lower, dict) else [lower])
        # Every cue starts with one of these words; the matcher only runs next to them (speed).
        self.first_words = {vocab.strings.add(word) for word in first_words}

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = match_near_triggers(self.matcher, doc, self.first_words, set(), 0, 10)
        doc.spans[SPAN_KEY] = sorted(filter_spans(spans), key=lambda span: span.start)
        return doc


def modality_of(cue: Span) -> str:
    """The modality a cue span expresses."""
    return MODALITY_OF_CUE[cue.label_]
