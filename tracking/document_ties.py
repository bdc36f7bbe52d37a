"""How documents tie together: which earlier document a passage names, and which numbered action it is under.

A later text names an earlier document by its number ("Doc. 11153/24", "COM(2023) 641") or by its
title, with the document's date when the title is not quoted in full ("de op 13 juni 2024
aangenomen conclusies van de Raad over ..."). Numbered actions ("Actie 4: ...") come from a
passage's own label or the nearest heading above it, with the title's words for comparing
actions across documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from conclusio.calendar_words import DUTCH_MONTHS, date_phrases
from conclusio.records import Document, DocumentMetadata, Obligation, Passage
from index.analysis import analyze, fold
from index.store import Store

TITLE_COVERAGE = 0.95  # share of a title's words a passage must contain to name that document
# ... with the document's date beside them: a later report often gives a shortened title and the date ("Criminaliteits-
# preventie in Europa - verslag over de uitvoering van de conclusies van de Raad van 4 december 2023")
DATED_TITLE_COVERAGE = 0.5

_ACTION_LABEL = re.compile(r"\b(actie|maatregel|action|aktion|mesure)\s+(\d+[a-z]?)\b\s*[:.\-–]?\s*(.*)", re.I)
_MARKUP = re.compile(r"<sup>.*?</sup>|[*#_`]+")
# "punt 7", "de punten 4 tot en met 9", "punten 1 en 2", "punten 10-13", "points 3, 5 and 7", "Ziffer 4 bis 6":
# how a report on conclusions names the numbered points it reports on.
_POINT_WORDS = r"(?:punt(?:en)?|points?|paragra(?:af|fen|phs?)|ziffer[n]?|nummer[ns]?|nrs?\.?|§§?)"
_POINT_NUMBER = r"\d{1,3}[a-z]?"
_POINT_JOIN = r"(?:\s*(?:,|en|and|et|und|&)\s*|\s*(?:tot\s+en\s+met|t/m|-|–|to|à|bis|through)\s*)"
_POINT_REFERENCE = re.compile(rf"\b{_POINT_WORDS}\s+({_POINT_NUMBER}(?:{_POINT_JOIN}{_POINT_NUMBER})*)", re.I)
_RANGE_JOIN = re.compile(r"tot\s+en\s+met|t/m|-|–|\bto\b|\bà\b|\bbis\b|through", re.I)

# Months and the names of document types and institutions say nothing about which document it is.
GENERIC_TITLE_WORDS = frozenset(
    analyze(
        " ".join(DUTCH_MONTHS) + " mededeling commissie raad europees parlement conclusies verslag nota besluit "
        "bijlage resultaat besprekingen voorstel over"
    )
)


@dataclass
class DocumentInfo:
    """A stored document as other documents may call it: number, title words, date (from metadata alone)."""

    source_file: str
    metadata: DocumentMetadata
    date: str | None
    number_keys: set[str]
    title_terms: frozenset[str]
    date_phrases: tuple[str, ...]


def document_info(source_file: str, metadata: DocumentMetadata) -> DocumentInfo:
    """What later texts may call a document by, read from its metadata."""
    return DocumentInfo(
        source_file=source_file,
        metadata=metadata,
        date=metadata.date,
        number_keys={number_key(n) for n in [metadata.doc_number] if n},
        title_terms=frozenset(t for t in analyze(plain(metadata.title or "")) if not t.isdigit()) - GENERIC_TITLE_WORDS,
        date_phrases=date_phrases(metadata.date),
    )


def document_infos(store: Store) -> dict[str, DocumentInfo]:
    """Every stored document's info, keyed by source file; no passages are read."""
    return {d.source_file: document_info(d.source_file, d.metadata) for d in store.list_documents()}


def text_names(text: str, earlier: DocumentInfo, terms: frozenset[str] | None = None) -> bool:
    """Whether a text names an earlier document by number, or by title (with its date when it is shortened)."""
    folded = fold(text)
    keys = [key.lower() for key in earlier.number_keys if len(key) >= 5]
    if keys:
        squeezed = re.sub(r"\s+", "", folded)
        if any(key in squeezed for key in keys):
            return True
    if len(earlier.title_terms) < 4:
        return False
    terms = terms if terms is not None else frozenset(analyze(plain(text)))
    coverage = len(earlier.title_terms & terms) / len(earlier.title_terms)
    return coverage >= TITLE_COVERAGE or (coverage >= DATED_TITLE_COVERAGE and any(phrase in folded for phrase in earlier.date_phrases))


def names_document(later: DocumentInfo, earlier: DocumentInfo) -> bool:
    """Whether a later document's metadata (previous documents, resolved references) names the earlier one."""
    if earlier.number_keys & {number_key(n) for n in later.metadata.previous_docs}:
        return True
    for reference in later.metadata.references:
        if reference.resolved_source_file == earlier.source_file:
            return True
        if number_key(reference.normalised) in earlier.number_keys:
            return True
    return False


def obligation_action(obligation: Obligation, document: Document) -> tuple[str, frozenset[str]] | None:
    """The numbered action (number, title words) an obligation belongs to, if any."""
    passage = next((p for p in document.passages if p.passage_id == obligation.passage_id), None)
    if passage is None:
        return action_from_label(obligation.paragraph)
    return passage_action(passage, document)


def passage_action(passage: Passage, document: Document) -> tuple[str, frozenset[str]] | None:
    """The numbered action a passage belongs to: its own label, else the nearest "Actie N" heading above it."""
    for label in [passage.paragraph or "", *reversed(passage.section_path)]:
        found = action_from_label(label)
        if found:
            number, title = found
            if not title and passage.paragraph == label:
                title = heading_title(passage, document, label)
            return number, title
    return None


def action_from_label(label: str | None) -> tuple[str, frozenset[str]] | None:
    """("4", title words) from a label or heading like "Actie 4: De criminele netwerken ..."."""
    match = _ACTION_LABEL.search(plain(label or ""))
    if not match:
        return None
    return match.group(2).lower(), frozenset(analyze(match.group(3)))


def heading_title(passage: Passage, document: Document, label: str) -> frozenset[str]:
    """A title for an action label given without one: the heading passage that carries the label."""
    for other in document.passages:
        if other.kind == "heading" and other.paragraph == label:
            found = action_from_label(other.text)
            if found and found[1]:
                return found[1]
    return frozenset()


def number_key(number: str) -> str:
    """Document numbers compared without case, spaces, an "ST" prefix or a trailing "final"."""
    key = re.sub(r"\s+", "", number.upper())
    return re.sub(r"^ST|FINAL$", "", key)


def point_numbers(text: str) -> frozenset[str]:
    """The numbered points a text names: "Punten 4 tot en met 9" -> {"4", ..., "9"}, "punt 12a" -> {"12a"}."""
    found: set[str] = set()
    for match in _POINT_REFERENCE.finditer(plain(text)):
        numbers = re.findall(_POINT_NUMBER, match.group(1), re.I)
        joins = re.split(_POINT_NUMBER, match.group(1), flags=re.I)[1:-1]
        found.update(n.lower() for n in numbers)
        for first, join, last in zip(numbers, joins, numbers[1:]):
            if _RANGE_JOIN.search(join) and first.isdigit() and last.isdigit() and int(first) < int(last) <= int(first) + 60:
                found.update(str(n) for n in range(int(first), int(last) + 1))
    return frozenset(found)


def plain(text: str) -> str:
    """Text without Markdown emphasis, headings and footnote marks."""
    return _MARKUP.sub("", text)
