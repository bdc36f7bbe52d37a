"""The format-neutral input of the structure step: logical lines with pages, and footnotes.

Every format reader (text/Markdown, PDF, Word, HTML) turns its file into a ``SourceText``;
``ingest.structure`` alone decides what a paragraph, a numbered point or a heading is.
Footnote marks travel inside line text as a private-use sentinel so they survive line joining.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from conclusio.records import TableRow

MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
MARK_PATTERN = re.compile(f"{MARK_OPEN}([^{MARK_CLOSE}]*){MARK_CLOSE}")


def footnote_mark(label: str) -> str:
    """The sentinel that stands for a footnote mark inside line text."""
    return f"{MARK_OPEN}{label}{MARK_CLOSE}"


def split_marks(text: str) -> tuple[str, list[str]]:
    """Text without footnote sentinels, and the labels they carried in order."""
    labels = MARK_PATTERN.findall(text)
    return MARK_PATTERN.sub("", text), labels


@dataclass
class SourceLine:
    """One physical line (or one known paragraph) of the source, with where it sits."""

    text: str
    page: int = 1
    hard_break: bool = False  # the format knows a paragraph starts here (blank line, <p>, Word paragraph)
    heading_level: int | None = None  # the format knows this is a heading (Markdown #, <h2>, Word style)
    row: TableRow | None = None  # a table row (``text`` renders it); ingest.tables reads a table into such lines


@dataclass
class FootnoteSource:
    """A footnote as found at the bottom of a page or in a notes part."""

    label: str
    text: str
    page: int | None = None


@dataclass
class SourceText:
    """What a format reader hands to the structure step."""

    lines: list[SourceLine]
    footnotes: list[FootnoteSource] = field(default_factory=list)
    pages: int | None = None
    soft_wrapped: bool = True  # lines are wrapped at a fixed width and must be rejoined into paragraphs
    paginated: bool = True  # False for formats without pages (HTML): passages then carry no page
    warnings: list[str] = field(default_factory=list)  # what the reader could read only in part (table rows)
