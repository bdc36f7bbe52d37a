"""Rejoining wrapped lines into paragraphs.

A paragraph ends where the next line starts a unit of its own (a numbered point that follows
the previous number, a lettered point, a bullet, a header field, an addressee block, a recital
in capitals), or where the previous line stopped short: justified text only leaves room at the
end of a line when the paragraph ended there (the next line's first word would have fitted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from conclusio.records import TableRow
from ingest import units
from ingest.hyphenation import join_wrapped, vocabulary_of
from ingest.lines import SourceLine, split_marks

_TERMINAL = re.compile(r"[.!?;:]['\"”’)\]]*$")
_BARE_LABEL = re.compile(r"^\(?(?:\d{1,3}|[a-z])[.)]$")
_OPENING_UPPER = re.compile(r"^[\"'“‘(]*[A-ZÀ-Ý0-9]")
# A glossary line, "AMLA: Autoriteit voor ...", "DG HOME: directoraat-generaal ...": a short term, a colon, its text.
_DEFINITION_ITEM = re.compile(r"^(?P<term>[^\s:][^:]{0,15}?)\s*:\s+\S")
_MIN_DEFINITION_RUN = 3


@dataclass
class Block:
    """A paragraph: joined text (marks as sentinels) and the pages it runs over."""

    text: str
    page: int
    page_end: int
    heading_level: int | None = None
    last_line: str = ""
    row: TableRow | None = None  # a table row is a block of its own
    definition: bool = False  # an item of a glossary or list of abbreviations: never a heading


def join_lines(lines: list[SourceLine], soft_wrapped: bool) -> list[Block]:
    """Paragraph blocks from source lines."""
    width = _line_width(lines) if soft_wrapped else 0
    vocabulary = vocabulary_of([line.text for line in lines])
    blocks: list[Block] = []
    sequence = _Sequence()
    pending_label = ""
    definitions = _definition_items(lines) if soft_wrapped else set()
    for index, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            continue
        if line.row is not None:
            blocks.append(Block(text, line.page, line.page, None, split_marks(text)[0], line.row))
            continue
        if _BARE_LABEL.match(text) and line.heading_level is None:
            pending_label = f"{text} "  # "19." alone on its line, its text on the next
            continue
        text, pending_label = pending_label + text, ""
        plain = split_marks(text)[0]
        current = blocks[-1] if blocks else None
        starts = current is None or line.hard_break or line.heading_level is not None
        starts = starts or current.heading_level is not None or current.row is not None or index in definitions
        if not starts and soft_wrapped and not _continues_capitals(current.last_line, plain):
            starts = _starts_unit(plain, current.last_line, sequence, width) or _ends_short(
                current.last_line, plain, width
            )
        if line.heading_level is None:
            sequence.observe(plain, starts)
        if starts:
            blocks.append(Block(text, line.page, line.page, line.heading_level, plain, definition=index in definitions))
        else:
            current.text = join_wrapped(current.text, text, vocabulary)
            current.page_end = line.page
            current.last_line = plain
    return blocks


def _definition_items(lines: list[SourceLine]) -> set[int]:
    """Indexes of the lines that open a glossary item: runs of at least three "term: text" lines, each item
    followed by the next or by its own wrapped lines (which start in lower case)."""
    items: set[int] = set()
    run: list[int] = []
    for index, line in enumerate(lines):
        plain = split_marks(line.text)[0].strip()
        term = _DEFINITION_ITEM.match(plain)
        if term and len(term.group("term").split()) <= 3 and line.heading_level is None and line.row is None:
            run.append(index)
            continue
        if run and plain[:1].islower() and line.row is None:
            continue  # the item's definition wrapped onto this line
        if len(run) >= _MIN_DEFINITION_RUN:
            items.update(run)
        run = []
    if len(run) >= _MIN_DEFINITION_RUN:
        items.update(run)
    return items


class _Sequence:
    """The last numbered and lettered labels seen, so "2026." in running text is not point 2026."""

    def __init__(self) -> None:
        self.number: int | None = None
        self.letter: str | None = None

    def accepts_number(self, label: str) -> bool:
        value = int(label)
        return value == 1 or (self.number is not None and value == self.number + 1)

    def accepts_letter(self, label: str) -> bool:
        return label == "a" or (self.letter is not None and ord(label) == ord(self.letter) + 1)

    def observe(self, text: str, started: bool) -> None:
        if not started:
            return
        number = units.numbered_label(text)
        if number and self.accepts_number(number):
            self.number, self.letter = int(number), None
            return
        letter = units.lettered_label(text)
        if letter and self.accepts_letter(letter):
            self.letter = letter


def _starts_unit(text: str, previous: str, sequence: _Sequence, width: int) -> bool:
    number = units.numbered_label(text)
    if number and sequence.accepts_number(number):
        return True
    letter = units.lettered_label(text)
    if letter and sequence.accepts_letter(letter):
        return True
    if units.is_bullet(text) and not previous.endswith("-"):
        return True
    if units.HEADER_FIELD.match(text):
        return True
    at_boundary = bool(_TERMINAL.search(previous)) or _is_short(previous, text, width)
    if at_boundary and (units.addressee(text) or units.is_recital(text)):
        return True
    return bool(units.action_heading(text)) and _is_short(previous, text, width)


def _continues_capitals(previous: str, text: str) -> bool:
    """True for a block in capitals ("VERZOEKT HET SECRETARIAAT VAN ...") continued on the next line."""
    return units.is_upper_line(previous) and units.is_upper_line(text) and not _TERMINAL.search(previous)


def _ends_short(previous: str, text: str, width: int) -> bool:
    """True when the previous line stopped short of the margin before a new paragraph."""
    if previous.endswith("-") or previous.endswith(","):
        return False
    if not _OPENING_UPPER.match(text):
        return False
    if _TERMINAL.search(previous):
        # A short unpunctuated line after a finished sentence is a heading even when the sentence filled its line.
        return _is_short(previous, text, width) or (len(text) < 0.6 * width and not re.search(r"[.;,:]$", text))
    # No punctuation at all: a heading or title line, far shorter than a full line.
    return len(previous) < 0.6 * width


def _is_short(previous: str, text: str, width: int) -> bool:
    first_word = text.split()[0] if text.split() else ""
    return len(previous) + 1 + len(first_word) <= width


def _line_width(lines: list[SourceLine]) -> int:
    """The usual length of a full line: a high percentile of line lengths."""
    lengths = sorted(len(split_marks(line.text)[0]) for line in lines if line.heading_level is None and line.row is None)
    if not lengths:
        return 80
    if len(lengths) < 30:
        return lengths[-1]  # too few lines for a percentile: the longest line is the measure
    return lengths[int(0.9 * (len(lengths) - 1))]
