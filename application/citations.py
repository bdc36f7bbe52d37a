"""Citations as analysts write them: "Conclusies van de Raad, 13 juni 2024, punt 27, p. 11".

A citation names the document by its number (else its full title, else its file name), its date in
Dutch words, the unit's own label ("punt 27", "Actie 10", "voetnoot 3") and its page(s). The file
name stays beside it (``source_file``) for where it helps: two documents with the same title.
Search hits, obligations, evidence and the document view all cite through here, so the UI and
the exports say the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from conclusio.calendar_words import DUTCH_MONTHS
from conclusio.records import DocumentMetadata, EvidenceLink, Passage
from conclusio.text import printable

# Labels read as a point: "27", "2.3", "a)", "iv)", "(b)"; others ("Actie 10", "Bijlage I") stand as written.
_POINT_LABEL = re.compile(r"^(?:\d[\w.]*|\(?[a-z]{1,4}\)|\([a-z]{1,4}\)?)\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    """Where a passage is, in the words of a reference: document, date, point and page."""

    document: str  # number, else full title, else file name
    date: str | None  # ISO date of the document
    place: str = ""  # "punt 27", "Actie 10", "voetnoot 3"; "" for running text
    pages: str = ""  # "p. 11", "pp. 3-4"; "" when the format has no pages
    source_file: str = ""
    title: str | None = None  # the document's title, also when its number names it

    def __str__(self) -> str:
        return printable(", ".join(p for p in (self.document, dutch_date(self.date), self.place, self.pages) if p),
                         one_line=True)


def dutch_date(iso: str | None) -> str:
    """'2024-06-13' as '13 juni 2024'; '' for no date, the text as given when it is no ISO date."""
    if not iso:
        return ""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}"


def document_label(source_file: str, metadata: DocumentMetadata | None) -> str:
    """How a document is named: its number, else its full title, else its file name."""
    if metadata is not None:
        for name in (metadata.doc_number, metadata.title):
            if name and name.strip():
                return " ".join(name.split())
    return source_file


def place_of(paragraph: str | None, *, kind: str = "body", footnote_label: str | None = None) -> str:
    """'punt 27' for a numbered point, the label itself for 'Actie 10', 'voetnoot 3' for a footnote."""
    if kind == "footnote" and footnote_label:
        return f"voetnoot {footnote_label}"
    if not paragraph:
        return ""
    return f"punt {paragraph}" if _POINT_LABEL.match(paragraph.strip()) else paragraph


def pages_of(page: int | None, page_end: int | None = None) -> str:
    if page is None:
        return ""
    return f"pp. {page}-{page_end}" if page_end and page_end != page else f"p. {page}"


def cite_passage(passage: Passage, metadata: DocumentMetadata | None) -> Citation:
    """The citation of a stored passage."""
    return Citation(
        document=document_label(passage.source_file, metadata),
        date=metadata.date if metadata else None,
        place=place_of(passage.paragraph, kind=passage.kind, footnote_label=passage.footnote_label),
        pages=pages_of(passage.page, passage.page_end),
        source_file=passage.source_file,
        title=metadata.title if metadata else None,
    )


def cite_unit(
    source_file: str, metadata: DocumentMetadata | None, paragraph: str | None, page: int | None
) -> Citation:
    """The citation of an obligation (or any unit known by its label and page)."""
    return Citation(
        document=document_label(source_file, metadata),
        date=metadata.date if metadata else None,
        place=place_of(paragraph),
        pages=pages_of(page),
        source_file=source_file,
        title=metadata.title if metadata else None,
    )


def cite_evidence(link: EvidenceLink, metadata: DocumentMetadata | None) -> Citation:
    """The citation of an evidence sentence: its document (dated as the link says when the metadata does not)."""
    cited = cite_unit(link.source_file, metadata, link.paragraph, link.page)
    return cited if cited.date else Citation(cited.document, link.doc_date, cited.place, cited.pages,
                                             cited.source_file, cited.title)
