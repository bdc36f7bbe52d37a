"""From paragraph blocks to passages: the document's own units, sections, addressees and footnotes.

Shared by every format. A numbered point is one passage (its lettered sub-points and follow-up
paragraphs stay in it); a lettered point standing alone, a bullet, a running paragraph and a
heading are passages of their own; an addressee block is a heading passage whose text every
numbered point below it carries in ``addressees`` until the next block, recital or heading.
The header block (codes, classification, date, "van:"/"aan:" fields) stays in the text without a
passage; the subject or title after it is one heading passage in the "front matter" section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ingest import units
from ingest.front_matter import FRONT_MATTER_SECTION, split_front_matter
from ingest.lines import SourceLine, SourceText, split_marks
from ingest.paragraphs import Block, join_lines
from conclusio.records import Document, DocumentMetadata, Passage, PassageKind, TableRow
from ingest.identity import with_passage_ids

_TERMINAL = re.compile(r"[.!?;,]['\"”’)\]]*$")
PASSAGE_SEPARATOR = "\n\n"
PART_SEPARATOR = "\n"
# Section levels on one scale: numbered headings 10/20/30 by depth ("3." / "3.1."), other headings
# nest under the innermost numbered one, then actions, lead-in headings ("Algemene overwegingen:")
# and addressee blocks, which a new block replaces.
_NUMBER_STEP = 10
_ACTION_LEVEL = 40
_LEAD_IN_LEVEL = 45
_ADDRESSEE_LEVEL = 50
_SECTION_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s*(?=[A-ZÀ-Ýa-z])")


@dataclass
class _Draft:
    """A passage under construction: its parts are paragraphs joined with a newline."""

    kind: PassageKind
    parts: list[str]
    page: int
    page_end: int
    label: str | None = None
    section_path: list[str] = field(default_factory=list)
    addressees: str | None = None
    open_for_children: bool = False  # a numbered point (or a bullet ending in ":") that sub-points attach to
    open_for_followups: bool = False  # a point whose follow-up paragraphs belong to it
    searchable: bool = True  # False for the header fields: kept in the text, but no passage
    table_row: TableRow | None = None


@dataclass
class Structured:
    """The cleaned text and its passages."""

    text: str
    passages: list[Passage]


class _Sections:
    """The heading path as a stack of (level, title)."""

    def __init__(self) -> None:
        self.stack: list[tuple[int, str]] = []

    def enter(self, level: int, title: str) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, title))

    def leave_from(self, level: int) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()

    def numbered_level(self) -> int:
        """The level of the innermost numbered section open, or 0."""
        return max((level for level, _ in self.stack if level % _NUMBER_STEP == 0 and level < _ACTION_LEVEL), default=0)

    def path(self) -> list[str]:
        return [title for _, title in self.stack]

    def action_label(self) -> str | None:
        for level, title in reversed(self.stack):
            if level == _ACTION_LEVEL:
                return title.split(":", 1)[0]
        return None


def build_passages(source: SourceText, source_file: str) -> Structured:
    """Passages of a document, with ``Document.text`` and offsets into it."""
    front = split_front_matter(source.lines)
    blocks = join_lines(front.body, source.soft_wrapped)
    drafts = _front_matter_drafts(front.fields, front.title, source.soft_wrapped) + _drafts(blocks, source.soft_wrapped)
    return _assemble(drafts, source, source_file)


def _front_matter_drafts(fields: list[SourceLine], title: list[SourceLine], soft_wrapped: bool) -> list[_Draft]:
    """The header fields as one unsearchable piece of text, the subject or title as one heading."""
    drafts: list[_Draft] = []
    if fields:
        drafts.append(_Draft("heading", [line.text for line in fields], fields[0].page, fields[-1].page,
                             section_path=[FRONT_MATTER_SECTION], searchable=False))
    blocks = join_lines(title, soft_wrapped) if title else []
    if blocks:
        drafts.append(_Draft("heading", [block.text for block in blocks], blocks[0].page, blocks[-1].page_end,
                             section_path=[FRONT_MATTER_SECTION]))
    return drafts


def _drafts(blocks: list[Block], soft_wrapped: bool) -> list[_Draft]:
    builder = _DraftBuilder(soft_wrapped)
    for index, block in enumerate(blocks):
        following = split_marks(blocks[index + 1].text)[0] if index + 1 < len(blocks) else ""
        builder.add(block, following)
    return builder.drafts


class _DraftBuilder:
    """Turns blocks into passage drafts, tracking sections, the addressee block and list numbering."""

    def __init__(self, soft_wrapped: bool) -> None:
        self.soft_wrapped = soft_wrapped
        self.drafts: list[_Draft] = []
        self.sections = _Sections()
        self.addressee: str | None = None  # the block numbered points are addressed by
        self.lead_in: str | None = None  # "..., zullen wij:" before a list of bullets
        self.last_number: int | None = None
        self.last_letter: str | None = None

    def add(self, block: Block, following: str) -> None:
        if block.row is not None:
            return self._table_row(block, block.row)
        plain = split_marks(block.text)[0]
        action = units.action_heading(plain)
        if action is not None:
            return self._action(block, *action)
        block_of_addressees = units.addressee(plain) or units.unpunctuated_block(plain, following)
        if block_of_addressees and not block_of_addressees.inline:
            return self._addressee_block(block, block_of_addressees.block)
        level = _heading_level(block, plain, self.soft_wrapped)
        if level is not None:
            return self._heading(block, plain, level)
        if block_of_addressees or units.is_recital(plain):
            # "DRAAGT HET COSI OP om, ..." holds its request itself; a recital closes the block.
            self.sections.leave_from(_ADDRESSEE_LEVEL)
            self.addressee = self.lead_in = None
            inline = block_of_addressees.block if block_of_addressees else None
            return self._append(_new(block, "body", None, self.sections.path(), addressees=inline))
        number = units.numbered_label(plain)
        if number and number.isdigit() and self._next_number(int(number)):
            return self._numbered(block, number)
        letter = units.lettered_label(plain)
        if letter and (letter == "a" or (self.last_letter and ord(letter) == ord(self.last_letter) + 1)):
            return self._lettered(block, letter)
        if units.is_bullet(plain):
            return self._bullet(block, plain)
        return self._running(block, plain)

    def _action(self, block: Block, label: str, title: str) -> None:
        self.sections.leave_from(_ACTION_LEVEL)
        self.sections.enter(_ACTION_LEVEL, f"{label}: {title.rstrip(' .')}")
        self.addressee = self.lead_in = None
        # "Actie 4: De minister zal ... vaststellen.": the action in running text, a unit under its own number;
        # "Actie 4: De criminele netwerken in kaart brengen" only titles the text below it.
        kind = "body" if units.is_run_in_action(title) else "heading"
        # The sentence is read without its number, as a numbered point is ("19. De lidstaten ..." -> "De lidstaten ...").
        text = units.RUN_IN_LABEL.sub("", block.text, count=1) if units.states_action(title) else None
        self._append(_new(block, kind, label, self.sections.path(), text=text))

    def _addressee_block(self, block: Block, text: str) -> None:
        self.addressee, self.lead_in = text, None
        self.sections.leave_from(_LEAD_IN_LEVEL)
        self.sections.enter(_ADDRESSEE_LEVEL, text)
        self._append(_new(block, "heading", None, self.sections.path(), addressees=text))

    def _heading(self, block: Block, plain: str, level: int) -> None:
        self.sections.enter(_section_level(level, plain, self.sections), plain.rstrip())
        self.addressee = self.lead_in = None
        self._append(_new(block, "heading", self.sections.action_label(), self.sections.path()))

    def _next_number(self, value: int) -> bool:
        return value == 1 or self.last_number is None or value == self.last_number + 1

    def _numbered(self, block: Block, number: str) -> None:
        self.last_number, self.last_letter, self.lead_in = int(number), None, None
        text = units.NUMBERED.sub("", block.text, count=1)
        own = units.point_addressee(split_marks(text)[0])  # "5. VERZOEKT de lidstaten om ..."
        draft = _new(block, "body", number, self.sections.path(), addressees=own or self.addressee, text=text)
        draft.open_for_children = draft.open_for_followups = True
        self._append(draft)

    def _lettered(self, block: Block, letter: str) -> None:
        self.last_letter = letter
        parent = self.drafts[-1] if self.drafts else None
        if parent is not None and parent.open_for_children:
            return _extend(parent, block, block.text)  # a sub-point of a numbered point
        text = units.LETTERED.sub("", block.text, count=1)
        draft = _new(block, "body", f"{letter})", self.sections.path(), addressees=self.addressee, text=text)
        draft.open_for_followups = True
        self._append(draft)

    def _bullet(self, block: Block, plain: str) -> None:
        parent = self.drafts[-1] if self.drafts else None
        if parent is not None and parent.open_for_children and parent.label and parent.label.isdigit():
            return _extend(parent, block, block.text)  # a dash list inside a numbered point
        text = units.strip_bullet(block.text)
        label = self.sections.action_label()
        draft = _new(block, "body", label, self.sections.path(), addressees=self.lead_in, text=text)
        draft.open_for_children = plain.rstrip().endswith(":")
        self._append(draft)

    def _running(self, block: Block, plain: str) -> None:
        parent = self.drafts[-1] if self.drafts else None
        if parent is not None and parent.open_for_followups:
            return _extend(parent, block, block.text)  # a follow-up paragraph of a point
        if plain.rstrip().endswith(":"):
            self.lead_in = plain.strip()
        self._append(_new(block, "body", self.sections.action_label(), self.sections.path()))

    def _table_row(self, block: Block, row: TableRow) -> None:
        """A row of a table: a passage of its own, under the headings above the table; no list numbering."""
        self.addressee = self.lead_in = None
        draft = _new(block, "body", row.label, self.sections.path())
        draft.table_row = row
        self._append(draft)

    def _append(self, draft: _Draft) -> None:
        self.drafts.append(draft)


def _section_level(level: int, title: str, sections: _Sections) -> int:
    """Where a heading sits: by its own number when it has one (formats' levels are unreliable)."""
    number = _SECTION_NUMBER.match(title)
    if number:
        return _NUMBER_STEP * min(3, number.group(1).count(".") + 1)
    if title.rstrip().endswith(":"):
        return _LEAD_IN_LEVEL
    return sections.numbered_level() + min(level, _NUMBER_STEP - 1)


def _heading_level(block: Block, plain: str, soft_wrapped: bool) -> int | None:
    """The block's heading level: given by the format, or inferred for wrapped text."""
    if block.heading_level is not None:
        return block.heading_level
    if not soft_wrapped or block.definition or units.HEADER_FIELD.match(plain) or units.is_bullet(plain):
        return None
    words = plain.split()
    if not words or len(words) > 20 or not (words[0][0].isupper() or words[0][0].isdigit()):
        return None
    if plain.rstrip().endswith(":"):
        return 3 if len(words) <= 5 else None
    if _TERMINAL.search(plain):
        return None
    if units.is_upper_line(plain) or re.match(r"^[A-ZÀ-Ý]{4,}\b[:.]?(\s|$)", plain):
        return 1  # "BIJLAGE", "BIJLAGE: Belangrijkste ...": a part of the document
    return 2 if len(words) > 6 else 3


def _new(block: Block, kind: PassageKind, label: str | None, path: list[str], *, addressees: str | None = None,
         text: str | None = None) -> _Draft:
    return _Draft(kind, [(text if text is not None else block.text).strip()], block.page, block.page_end,
                  label, list(path), addressees)


def _extend(draft: _Draft, block: Block, text: str) -> None:
    draft.parts.append(text.strip())
    draft.page_end = max(draft.page_end, block.page_end)


def _assemble(drafts: list[_Draft], source: SourceText, source_file: str) -> Structured:
    """Document text, passages with offsets, and footnote passages linked to the passage citing them."""
    pieces: list[str] = []
    passages: list[Passage] = []
    offset = 0
    existing = {footnote.label for footnote in source.footnotes}
    for draft in drafts:
        texts, refs = [], []
        for part in draft.parts:
            clean, labels = split_marks(part)
            texts.append(_tidy(clean))
            refs.extend(label for label in labels if label not in refs and label in existing)
        text = PART_SEPARATOR.join(t for t in texts if t)
        if not text:
            continue
        offset = _append(pieces, text, offset)
        if not draft.searchable:
            continue
        seq = len(passages)
        passages.append(Passage(
            passage_id=f"{source_file}#{seq}", source_file=source_file, seq=seq, kind=draft.kind, text=text,
            section_path=draft.section_path, paragraph=draft.label, addressees=draft.addressees,
            page=draft.page if source.paginated else None, page_end=draft.page_end if source.paginated else None,
            char_start=offset - len(text), char_end=offset, footnote_refs=refs,
            table_row=_without_marks(draft.table_row) if draft.table_row else None,
        ))
    for footnote in source.footnotes:
        text = _tidy(split_marks(footnote.text)[0])
        if not text:
            continue
        offset = _append(pieces, text, offset)
        seq = len(passages)
        passages.append(Passage(
            passage_id=f"{source_file}#{seq}", source_file=source_file, seq=seq, kind="footnote", text=text,
            page=footnote.page if source.paginated else None, page_end=footnote.page if source.paginated else None,
            char_start=offset - len(text), char_end=offset,
            footnote_label=footnote.label, cited_by=_citing_passage(passages, footnote.label, footnote.page),
        ))
    # Ids by content from here on (ingest.identity); parse_file names the document by its number once read.
    text = "".join(pieces)
    document = with_passage_ids(Document(source_file, "", text, DocumentMetadata(), passages), source_file)
    return Structured(text, document.passages)


def _without_marks(row: TableRow) -> TableRow:
    """The row's headers and cells as the passage text shows them: footnote marks out, whitespace tidied."""
    def clean(text: str) -> str:
        return _tidy(split_marks(text)[0])

    return replace(row, headers=[clean(h) for h in row.headers], cells=[clean(c) for c in row.cells],
                   label=clean(row.label) if row.label else None, title=clean(row.title) if row.title else None)


def _append(pieces: list[str], text: str, offset: int) -> int:
    if pieces:
        pieces.append(PASSAGE_SEPARATOR)
        offset += len(PASSAGE_SEPARATOR)
    pieces.append(text)
    return offset + len(text)


def _citing_passage(passages: list[Passage], label: str, page: int | None) -> str | None:
    citing = [p for p in passages if p.kind != "footnote" and label in p.footnote_refs]
    on_page = [p for p in citing if page is None or (p.page or 0) <= page <= (p.page_end or p.page or 0)]
    chosen = (on_page or citing)[:1]
    return chosen[0].passage_id if chosen else None


def _tidy(text: str) -> str:
    """Whitespace collapsed within lines; a space left before punctuation by a removed mark closed."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
