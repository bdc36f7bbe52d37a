"""Running parts of the one pipeline over a text: all its components, or only the ones a reading needs.

spaCy refuses a text over ``nlp.max_length`` characters (1,000,000 by default), which a single long
passage of a file within the size limit can be. Such a text is read in pieces cut at a paragraph,
line, sentence or word end (``text_chunks``): readings that return a doc join the pieces' docs;
obligation extraction reads each piece on its own (``nlp.obligations``).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_COMPONENTS = ("sentencizer", "senter", "parser")
CHUNK_BOUNDARIES = ("\n\n", "\n", ". ", " ")


def text_chunks(text: str, limit: int) -> list[tuple[int, str]]:
    """``(offset, piece)`` pairs covering ``text`` in order, each piece at most ``limit`` characters.

    A piece ends after the last paragraph break, else line break, else sentence end, else space in its
    second half; only text with none of those is cut mid-word.
    """
    if len(text) <= limit:
        return [(0, text)]
    chunks: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = limit
        for boundary in CHUNK_BOUNDARIES:
            found = window.rfind(boundary, limit // 2)
            if found >= 0:
                cut = found + len(boundary)
                break
        chunks.append((start, text[start : start + cut]))
        start += cut
    chunks.append((start, text[start:]))
    return chunks


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc`` for a text of any length (over ``nlp.max_length`` it is tokenised in pieces)."""
    if len(text) <= nlp.max_length:
        return nlp.make_doc(text)
    pieces = [nlp.make_doc(piece) for _, piece in text_chunks(text, nlp.max_length)]
    return Doc.from_docs(pieces, ensure_whitespace=False)


def annotate(nlp: Language, text: str, **extensions) -> Doc:
    """A doc of ``text`` run through every enabled pipeline component, with the given Doc extensions set first.

    The text must be within ``nlp.max_length``: split a longer one with ``text_chunks`` first.
    """
    doc = nlp.make_doc(text)
    for name, value in extensions.items():
        setattr(doc._, name, value)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def run_components(nlp: Language, text: str, names: Iterable[str]) -> Doc:
    """A doc of ``text`` run through the named components only, in pipeline order; absent names are skipped.

    A text over ``nlp.max_length`` is run piece by piece and the pieces' docs are joined.
    """
    wanted = set(names)
    if len(text) > nlp.max_length:
        pieces = [run_components(nlp, piece, wanted) for _, piece in text_chunks(text, nlp.max_length)]
        return Doc.from_docs(pieces, ensure_whitespace=False)
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name in wanted:
            doc = component(doc)
    return doc


def sentences(nlp: Language, text: str) -> Doc:
    """A doc of ``text`` with sentence boundaries (and nothing else the pipeline does)."""
    return run_components(nlp, text, SENTENCE_COMPONENTS)
