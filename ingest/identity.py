"""Ids of passages and obligations that follow their content, not their position in the document.

An id is the document's identity, the unit's own label and a fingerprint of its text:

    passage     15571/25#27:3fa2c1        {document}#{label}:{fingerprint}
    obligation  15571/25#27#9b0e44        {document}#{label}#{fingerprint}

The document is named by its number ("15571/25", "COM(2023) 641"), else by its file name. The label
is the document's own ("27", "Actie 4", "b)"), else ``p`` for running text, ``h`` for a heading and
``fn3`` for footnote 3. The fingerprint is the start of a SHA-1 of the text normalised (case, accents
kept, punctuation and spacing ignored), so a paragraph inserted above a point leaves the point's
fingerprint as it was; only its label changes when the document renumbers. Two units with the same
label and text in one document are told apart by a counter (``...:3fa2c1~2``).

Nothing parses an id: code that needs a passage's file reads the passage record.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import replace

from conclusio.records import Document, Passage

FINGERPRINT_LENGTH = 6  # hex digits: short enough to type; the label and the counter keep ids unique
PASSAGE_SEPARATOR = ":"
OBLIGATION_SEPARATOR = "#"
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalised(text: str) -> str:
    """The words of a text, lower case, single-spaced: what two versions of a unit must share to be the same."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", folded)).strip()


def fingerprint(text: str) -> str:
    """A short, stable digest of a text's words."""
    return hashlib.sha1(normalised(text).encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def document_key(source_file: str, doc_number: str | None) -> str:
    """How ids name a document: its number when it has one, else its file name."""
    number = _SPACES.sub(" ", doc_number or "").strip()
    return number or source_file


def passage_label(passage: Passage) -> str:
    """The label part of a passage's id."""
    if passage.kind == "footnote":
        return f"fn{passage.footnote_label or ''}"
    if passage.paragraph:
        return _SPACES.sub(" ", passage.paragraph).strip()
    return "h" if passage.kind == "heading" else "p"


class IdMaker:
    """Ids for the units of one document, in document order; repeated label and text get a counter."""

    def __init__(self, key: str, separator: str):
        self.key = key
        self.separator = separator
        self._seen: Counter[str] = Counter()

    def __call__(self, label: str, text: str) -> str:
        base = f"{self.key}#{label}{self.separator}{fingerprint(text)}"
        self._seen[base] += 1
        count = self._seen[base]
        return base if count == 1 else f"{base}~{count}"


def with_passage_ids(document: Document, key: str) -> Document:
    """The document with every passage id made from ``key``, each passage's label and its text."""
    make = IdMaker(key, PASSAGE_SEPARATOR)
    renamed = {p.passage_id: make(passage_label(p), p.text) for p in document.passages}
    passages = [
        replace(p, passage_id=renamed[p.passage_id], cited_by=renamed.get(p.cited_by, p.cited_by) if p.cited_by else None)
        for p in document.passages
    ]
    return replace(document, passages=passages)


def obligation_ids(key: str, units: list[tuple[str | None, str]]) -> list[str]:
    """Ids for a document's obligations, given (paragraph label, source text) in document order."""
    make = IdMaker(key, OBLIGATION_SEPARATOR)
    return [make(_SPACES.sub(" ", label).strip() if label else "p", text) for label, text in units]
