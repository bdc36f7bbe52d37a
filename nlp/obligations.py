"""From a parsed ``Document`` to its ``Obligation`` records (shared/spec/obligations.md)."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from conclusio.records import Document, Obligation, Passage
from ingest.identity import document_key, obligation_ids
from nlp import tables, units
from nlp.actors import gazetteer
from nlp.annotate import annotate, text_chunks
from nlp.deadlines import entry_into_force_date
from nlp.parties import Parties, document_abbreviations, in_abbreviation_list, involved_parties_act
from nlp.verbs import action_verbs

WE_COMMIT = re.compile(r"\b(?:wij|we) zullen\b|\bzullen (?:wij|we)\b", re.IGNORECASE)
NUMBERED = re.compile(r"^\d+[a-z]?$")
LETTERED = re.compile(r"^\(?[a-z]\)$|^\(?[ivx]+\)$")


def _is_declaration(document: Document) -> bool:
    """A joint declaration commits its signatories as "wij"."""
    return document.metadata.kind == "declaration" or len(WE_COMMIT.findall(document.text)) >= 2


def _ends_with_colon(text: str) -> bool:
    return text.rstrip().endswith(":")


def _passage_offset(document: Document, passage: Passage) -> int:
    """Where the passage text starts in the document text (its own offsets, checked)."""
    if document.text[passage.char_start : passage.char_start + len(passage.text)] == passage.text:
        return passage.char_start
    found = document.text.find(passage.text)
    return found if found >= 0 else passage.char_start


MAIN_ACTOR_BY_KIND = {"commission_communication": "Commissie", "declaration": "deelnemende landen"}


def _read_block(nlp: Language, text: str, doc_date: str | None) -> units.Block | None:
    """The addressee block a line opens ("verzoekt de lidstaten:"); a text past the NLP limit is none."""
    if len(text) > nlp.max_length:
        return None
    return units.read_block(annotate(nlp, text, doc_date=doc_date))


def extract_obligations(nlp: Language, document: Document, *, key: str | None = None) -> list[Obligation]:
    """Every obligation unit of a document, in document order.

    Ids follow each unit's content (``ingest.identity``); ``key`` names the document in them (default:
    its number, else its file name: what ``ingest.parse_file`` names its passages by).
    """
    doc_date = document.metadata.date
    declaration = _is_declaration(document)
    main_actor = "deelnemende landen" if declaration else MAIN_ACTOR_BY_KIND.get(document.metadata.kind or "")
    blocks: dict[str, units.Block | None] = {}
    obligations: list[Obligation] = []
    nearby: list[str] = []
    previous_section: list[str] | None = None
    last_block_unit: Obligation | None = None
    block_line: str | None = None  # our own reading of the last block line, where ingest gives none
    context = _DocumentContext.of(nlp, document)
    for passage in document.passages:
        if passage.kind == "footnote" or not passage.text.strip():
            continue
        record = context.records.get(passage.passage_id)
        if record is not None:
            # A measure set out field by field: one unit from its fields, read as a row; its other fields state none.
            if record.passages[0] is passage:
                found = _record_obligation(nlp, document, record, context)
                if found is not None:
                    obligations.append(found)
            continue
        if passage.table_row is not None:
            # A table row: an action row is one unit of its own; the cells of other tables state none.
            record = _row_obligation(nlp, document, passage, context)
            if record is not None:
                obligations.append(record)
            continue
        label = (passage.paragraph or "").strip()
        if _ends_with_colon(passage.text):
            if passage.text.strip() not in blocks:
                blocks[passage.text.strip()] = _read_block(nlp, passage.text.strip(), doc_date)
            block_line = passage.text.strip() if blocks[passage.text.strip()] else None
        elif not label:
            block_line = None
        if passage.kind != "body":
            continue
        if passage.section_path != previous_section:
            nearby, previous_section = [], passage.section_path
        block = None
        addressees = passage.addressees or (block_line if label and passage.text.strip() != block_line else None)
        if addressees:
            if addressees not in blocks:
                blocks[addressees] = _read_block(nlp, addressees, doc_date)
            block = blocks[addressees]
        offset = _passage_offset(document, passage)
        if block is not None and LETTERED.match(label) and last_block_unit is not None:
            # Lettered sub-points belong to their numbered parent.
            last_block_unit.char_end = offset + len(passage.text.rstrip())
            last_block_unit.source_text = document.text[last_block_unit.char_start : last_block_unit.char_end]
            last_block_unit.action = last_block_unit.source_text
            continue
        # A numbered point or a bullet under a block; the block line itself is no point.
        numbered_block = block if block is not None and passage.text.strip() != addressees.strip() else None
        found = 0
        # A passage past spaCy's limit (one huge paragraph) is read piece by piece.
        for chunk_start, chunk in text_chunks(passage.text, nlp.max_length):
            doc = annotate(
                nlp,
                chunk,
                doc_date=doc_date,
                block=numbered_block,
                declaration=declaration,
                nearby_actors=nearby,
                main_actor=main_actor,
                doc_kind=document.metadata.kind,
                section_owner=context.section_owner(passage),
                entry_into_force=context.entry_into_force,
                document_parties=context.running_text_names,
            )
            for unit in doc._.obligation_units or []:
                unit.actors = context.named(unit.actors)
                obligations.append(_record(document, passage, doc, unit, offset + chunk_start))
                found += 1
                if unit.explicit_actor:
                    nearby = unit.actors
        if numbered_block is not None and found:
            last_block_unit = obligations[-found]
        elif block is None:
            last_block_unit = None
    # Ids last: a lettered sub-point above has extended its parent's text.
    ids = obligation_ids(
        key or document_key(document.source_file, document.metadata.doc_number),
        [(o.paragraph, o.source_text) for o in obligations],
    )
    return [replace(o, id=i) for o, i in zip(obligations, ids, strict=True)]


def _record(document: Document, passage: Passage, doc: Doc, unit: units.UnitCandidate, offset: int) -> Obligation:
    start = offset + unit.start_char
    end = offset + unit.end_char
    source_text = document.text[start:end]
    return Obligation(
        id="",  # set from its content once the document is read
        source_file=document.source_file,
        passage_id=passage.passage_id,
        paragraph=passage.paragraph,
        page=passage.page,
        actors=unit.actors,
        action=source_text.strip(),
        verbs=units.unit_verbs(doc, unit),
        deadline=units.unit_deadline(doc, unit) or units.result_deadline(doc, unit),
        modality=unit.modality,  # type: ignore[arg-type]
        source_text=source_text,
        char_start=start,
        char_end=end,
    )


class _DocumentContext:
    """What a document says once for all its passages: its abbreviations, its action tables, who owns which
    action, and the date its act enters into force."""

    def __init__(self, parties: Parties, roles: dict[int, tables.ColumnRoles], owners: dict[str, list[str]],
                 entry_into_force: str | None, records: list[tables.FieldRecord] | None = None,
                 continued: dict[str, str] | None = None) -> None:
        self.parties = parties
        # row passage -> the responsible cell of the row above, for a row whose own is empty (a merged cell's continuation)
        self.continued = continued or {}
        # passage -> the measure set out field by field that it is a field of
        self.records = {p.passage_id: record for record in records or [] for p in record.passages}
        self.roles = roles  # table number -> column roles, for the action tables only
        self.owners = owners  # action number ("1.1") -> the parties of its row
        self.entry_into_force = entry_into_force
        self.running_text_names = parties.running_text_names()  # short form -> actor, read in running text too

    @classmethod
    def of(cls, nlp: Language, document: Document) -> _DocumentContext:
        table = gazetteer(nlp).table
        assert table is not None
        parties = Parties(table, document_abbreviations(document), involved_parties_act(document))
        by_table: dict[int, list[Passage]] = {}
        for passage in document.passages:
            if passage.table_row is not None:
                by_table.setdefault(passage.table_row.table, []).append(passage)
        roles = {number: tables.table_roles(rows, parties) for number, rows in by_table.items()
                 if not in_abbreviation_list(rows[0].section_path)}
        roles = {number: found for number, found in roles.items() if found.is_action_table}
        records = tables.field_records([p for p in document.passages if not in_abbreviation_list(p.section_path)
                                        and not (p.table_row and p.table_row.table in roles)], parties)
        owners: dict[str, list[str]] = {}
        continued: dict[str, str] = {}
        for number, rows in by_table.items():
            if number in roles:
                continued.update(_continued_parties(rows, roles[number]))
                for row in rows:
                    cells = row.table_row.cells if row.table_row else []
                    named = [parties.of_cell(cells[column]) for column in roles[number].responsible_columns
                             if column < len(cells) and cells[column].strip()]
                    if row.paragraph and named:
                        owners.setdefault(row.paragraph, list(dict.fromkeys(a for actors in named for a in actors)))
        for record in records:
            label = _record_label(record)
            named = [parties.of_cell(record.row.cells[c]) for c in record.roles.responsible_columns if record.row.cells[c].strip()]
            if label and named:
                owners.setdefault(label, list(dict.fromkeys(a for actors in named for a in actors)))
        return cls(parties, roles, owners, entry_into_force_date(document.text), records, continued)

    def named(self, actors: list[str]) -> list[str]:
        """Actors with the document's own abbreviations written out ("EUAA" -> its expansion in the list)."""
        resolved = [self.parties.resolve(actor) or actor if self.parties.expansion(actor) else actor for actor in actors]
        return list(dict.fromkeys(resolved))

    def section_owner(self, passage: Passage) -> list[str]:
        """Who owns the action a section reports on: the parties its heading names in parentheses ("Actie 1.1 -
        Evaluatie ... (COM)"), or the parties of the table row of the action it is numbered after."""
        for title in reversed(passage.section_path):
            owned = _OWNER_IN_HEADING.search(title)
            if owned and self.parties.names_parties(owned.group(1)):
                return self.parties.of_cell(owned.group(1))
            action = _ACTION_NUMBER.match(title)
            if action and action.group(1) in self.owners:
                return list(self.owners[action.group(1)])
        return []


_OWNER_IN_HEADING = re.compile(r"\(([^()]{1,80})\)\s*$")
_ACTION_NUMBER = re.compile(r"^(?:Actie|Action|Maatregel|Mesure|Maßnahme)\s+(\d{1,3}(?:\.\d{1,3})*)\b", re.IGNORECASE)


def _row_obligation(nlp: Language, document: Document, passage: Passage, context: _DocumentContext,
                    roles: tables.ColumnRoles | None = None) -> Obligation | None:
    """The obligation of one action-table row: who (responsible cell), what (action cell), by when (timetable)."""
    if roles is None:
        roles = context.roles.get(passage.table_row.table) if passage.table_row else None
    row = tables.row_unit(nlp, passage, roles, context.parties, _as_date(document.metadata.date)) if roles else None
    if row is None:
        return None
    action_doc = annotate(nlp, row.action, doc_date=document.metadata.date)
    if not row.actors:
        # No party cell filled: an action written as a sentence names its actor ("De Commissie zal ... indienen").
        stated = [unit.actors for unit in action_doc._.obligation_units or [] if unit.actors]
        if not stated and passage.passage_id in context.continued:
            # A responsible cell merged over several rows: a converter leaves it empty below its first row.
            stated = [context.parties.of_cell(context.continued[passage.passage_id])]
        if not stated or not stated[0]:
            return None
        row = replace(row, actors=context.named(stated[0]))
    # The row is the unit's source: its offsets are the passage's; verbs come from the action cell.
    unit = units.UnitCandidate(0, len(passage.text), row.actors, "commitment", True, [action_doc[:]])
    record = _record(document, passage, action_doc, unit, _passage_offset(document, passage))
    return replace(record, action=row.action, deadline=row.deadline, verbs=action_verbs(action_doc[:]))


def _continued_parties(rows: list[Passage], roles: tables.ColumnRoles) -> dict[str, str]:
    """Rows whose responsible cell is empty under a row whose is not, within one block of the table (no heading row or
    section between them): the cell above, which a merged cell spanning them both left there. Word repeats a merged
    cell in every row it spans; Markdown converters and PDF extraction leave it in the first. A row that fills no
    cell but its number and its action heads a block."""
    continued: dict[str, str] = {}
    above: str | None = None
    section: list[str] | None = None
    for row in rows:
        cells = row.table_row.cells if row.table_row else []
        party = cells[roles.responsible].strip() if roles.responsible is not None and roles.responsible < len(cells) else ""
        action = cells[roles.action].strip() if roles.action is not None and roles.action < len(cells) else ""
        others = [cell for column, cell in enumerate(cells) if column not in (roles.label, roles.action, roles.responsible)]
        if row.section_path != section:
            above, section = None, row.section_path  # a new block: nothing carries over its heading
        if not action or not any(cell.strip() for cell in others):
            above = None  # a heading row ("2 | Operationele samenwerking | | |")
            continue
        if party:
            above = party
        elif above is not None:
            continued[row.passage_id] = above
    return continued


def _record_label(record: tables.FieldRecord) -> str | None:
    """The measure's number: the paragraph label its fields carry ("Maatregel 1.1"), else the heading above it."""
    if record.label:
        return record.label
    for passage in record.passages:
        if passage.paragraph:
            return passage.paragraph
    for title in reversed(record.passages[0].section_path):
        action = _ACTION_NUMBER.match(title)
        if action:
            return action.group(0)
    return None


def _record_obligation(nlp: Language, document: Document, record: tables.FieldRecord,
                       context: _DocumentContext) -> Obligation | None:
    """The obligation of a measure set out field by field: its fields read as one row of an action table, its source
    the text from its first field to its last."""
    first, last = record.passages[0], record.passages[-1]
    start = _passage_offset(document, first)
    end = _passage_offset(document, last) + len(last.text)
    passage = replace(first, text=document.text[start:end], char_start=start, char_end=end,
                      paragraph=_record_label(record), table_row=record.row)
    return _row_obligation(nlp, document, passage, context, record.roles)


def _as_date(value: str | None):  # type: ignore[no-untyped-def]
    from datetime import date

    return date.fromisoformat(value) if value else None
