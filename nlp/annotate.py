"""Running parts of the one pipeline over a text: all its components, or only the ones a reading needs."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_COMPONENTS = ("sentencizer", "senter", "parser")


def annotate(nlp: Language, text: str, **extensions) -> Doc:
    """A doc of ``text`` run through every enabled pipeline component, with the given Doc extensions set first."""
    doc = nlp.make_doc(text)
    for name, value in extensions.items():
        setattr(doc._, name, value)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def run_components(nlp: Language, text: str, names: Iterable[str]) -> Doc:
    """A doc of ``text`` run through the named components only, in pipeline order; absent names are skipped."""
    wanted = set(names)
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name in wanted:
            doc = component(doc)
    return doc


def sentences(nlp: Language, text: str) -> Doc:
    """A doc of ``text`` with sentence boundaries (and nothing else the pipeline does)."""
    return run_components(nlp, text, SENTENCE_COMPONENTS)
