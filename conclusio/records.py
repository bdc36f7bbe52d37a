"""Typed records that flow one way through the stages: ingest -> nlp -> index -> tracking -> application -> ui.

Every stage takes and returns these dataclasses; none of them knows about storage,
models or the CLI. Dates are ISO strings (``YYYY-MM-DD``) so records serialise to JSON
without custom encoders. ``to_dict`` and ``from_dict`` are the one way to (de)serialise
them: stores and exports never decode a record field by field.
"""

from __future__ import annotations

import copy
import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, TypeVar

PassageKind = Literal["body", "footnote", "heading"]
Modality = Literal["request", "commitment", "obligation"]
# shared/spec/tracking.md: two dimensions, progress and timeliness, combined into the one status shown.
Progress = Literal["done", "in progress", "no info"]
Timeliness = Literal["overdue", "due soon", "on time", "no deadline"]
ObligationStatus = Literal["done", "overdue", "due soon", "in progress", "open", "no deadline"]
EvidenceStatus = Literal["completed", "in_progress", "rescheduled", "mentioned"]


@dataclass(frozen=True)
class Reference:
    """A mention of another document in the text, e.g. ``Doc. 14114/23`` or ``COM(2021) 170 final``."""

    text: str  # as written
    kind: str  # council_doc | com | legal_act | oj | other
    normalised: str  # e.g. "14114/23", "COM(2021) 170", "Richtlijn (EU) 2024/1260"
    resolved_source_file: str | None = None  # set when the referenced document is in the store


@dataclass
class DocumentMetadata:
    """What a document says about itself; every field is optional because the text may not give it."""

    doc_number: str | None = None  # "15571/25", "COM(2023) 641"
    title: str | None = None  # the "Betreft:" line or the document's own title
    date: str | None = None  # ISO date of the document
    kind: str | None = None  # council_conclusions | outcome_of_proceedings | commission_communication
    #                          | presidency_note | declaration | report | other
    sender: str | None = None  # "van:"
    recipient: str | None = None  # "aan:"
    classification: list[str] = field(default_factory=list)  # ["LIMITE"], ["RESTREINT UE/EU RESTRICTED"]
    codes: list[str] = field(default_factory=list)  # ["COSI 231", "ENFOPOL 430"]
    previous_docs: list[str] = field(default_factory=list)  # ["10512/24"]
    references: list[Reference] = field(default_factory=list)
    language: str | None = None  # ISO 639-1, detected
    pages: int | None = None


@dataclass
class TableRow:
    """One row of a table in the document, with the column headers it is read under.

    ``cells`` and ``headers`` run in column order and have the same length (a header is "" where
    the table gives none); a cell merged over several columns or rows holds its text in each.
    """

    table: int  # the table's number in the document, from 1
    row: int  # the row's number in its table, from 1; header rows are not counted
    headers: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    label: str | None = None  # the row's own number or name when it has one: "1.2", "Actie 3"
    title: str | None = None  # the table's caption, else the heading above it


@dataclass
class Passage:
    """One unit of a document: a numbered point, a paragraph, a heading, a footnote or a table row.

    ``passage_id`` follows the passage's content, not its position: ``{document}#{label}:{fingerprint}``
    (``ingest.identity``), so inserting a paragraph above it leaves it as it was.
    ``char_start``/``char_end`` index into ``Document.text`` (the cleaned text).
    """

    passage_id: str
    source_file: str
    seq: int  # order in the document, from 0
    kind: PassageKind
    text: str
    section_path: list[str] = field(default_factory=list)  # ["BIJLAGE", "Conclusies van de Raad", ...]
    paragraph: str | None = None  # the document's own label: "19", "Actie 4", "b)"; None for running text
    addressees: str | None = None  # the addressee block above it, verbatim: "verzoekt de Raad de lidstaten:"
    page: int | None = None  # first page the passage is on (1-based)
    page_end: int | None = None  # last page, when it runs over a page break
    char_start: int = 0
    char_end: int = 0
    footnote_refs: list[str] = field(default_factory=list)  # footnote marks cited in a body passage
    footnote_label: str | None = None  # for kind == "footnote": its number
    cited_by: str | None = None  # for kind == "footnote": passage_id of the passage that cites it
    table_row: TableRow | None = None  # for a table row (kind "body"): its headers and cells; ``text`` renders it


@dataclass
class Document:
    """A parsed source file: cleaned text, metadata and its passages in order."""

    source_file: str  # file name as given (the key users see)
    content_hash: str  # sha256 of the raw bytes; the idempotence key
    text: str  # cleaned full text; passages' offsets point into it
    metadata: DocumentMetadata
    passages: list[Passage] = field(default_factory=list)
    media_type: str = "text/plain"  # application/pdf, text/markdown, text/html, ...
    warnings: list[str] = field(default_factory=list)  # what ingest read only in part: "table 2, row 4: ..."


@dataclass(frozen=True)
class Deadline:
    """A normalised deadline (see shared/spec/deadlines.md)."""

    text: str  # as written: "tegen eind 2024"
    start: str | None
    end: str | None  # last day the expression allows; the due date
    granularity: str | None  # day | month | quarter | half | season | year | years
    recurrence: str | None = None  # ISO 8601 duration: P2Y, P1Y, P6M
    note: str | None = None  # why ``end`` is missing although a date is written ("no such date: 30 februari 2026")


@dataclass
class Obligation:
    """One obligation unit (see shared/spec/obligations.md)."""

    id: str  # follows its content: "{document}#{paragraph or p}#{fingerprint}" (ingest.identity)
    source_file: str
    passage_id: str
    paragraph: str | None
    page: int | None
    actors: list[str]  # canonical names
    action: str  # the clause in the text's own words
    verbs: list[str]  # main verb lemmas, infinitive
    deadline: Deadline | None
    modality: Modality
    source_text: str  # the full text span of the unit
    char_start: int = 0  # offsets of source_text in Document.text
    char_end: int = 0


@dataclass
class EvidenceLink:
    """A passage of a later document that reports on an obligation."""

    obligation_id: str
    passage_id: str
    source_file: str
    paragraph: str | None
    text: str
    status: EvidenceStatus
    confidence: float
    doc_date: str | None = None
    new_end: str | None = None  # for "rescheduled": the new expected date
    method: str = ""  # how it was found: action_number | doc_reference | similarity
    review: Literal["confirmed", "rejected"] | None = None  # manual curation
    actors: list[str] = field(default_factory=list)  # canonical actors the evidence text names
    page: int | None = None  # page of the passage the sentence is on
    cue: str | None = None  # the words that decided the reading, e.g. "werd ... gelanceerd"

    @property
    def progress(self) -> str:
        """The progress this sentence indicates (shared/spec/tracking.md): done, in progress or no info."""
        return {"completed": "done", "in_progress": "in progress", "rescheduled": "in progress"}.get(self.status, "no info")


@dataclass
class Hit:
    """One search result: a passage with its score, snippet and citation."""

    passage_id: str
    source_file: str
    doc_number: str | None
    doc_title: str | None
    paragraph: str | None
    page: int | None
    score: float
    text: str
    snippet: str
    citation: str = ""
    similarity: float | None = None  # only for `similar`
    diff: list[dict[str, str]] | None = None  # only for `similar`: [{"op": "equal|insert|delete", "text": ...}]


R = TypeVar("R")


def to_dict(record: Any) -> dict[str, Any]:
    """A record as plain JSON-ready data: what ``dataclasses.asdict`` gives, without its deep copy of every
    string and number (a store write turns thousands of passages into JSON; asdict was a quarter of it)."""
    return {name: _plain(getattr(record, name)) for name in _field_names(type(record))}


_ATOMS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    if type(value) in _ATOMS:  # immutable: asdict's deep copy of them is the value itself
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_dict(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple, rebuilt as asdict rebuilds it
        return type(value)(*[_plain(v) for v in value])
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return type(value)((_plain(k), _plain(v)) for k, v in value.items())
    return copy.deepcopy(value)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def from_dict(cls: type[R], data: dict[str, Any]) -> R:
    """A record of type ``cls`` from ``to_dict`` output; nested records are rebuilt, unknown keys ignored.

    Keys a record gained after the data was written take their defaults, so stores written by an
    older Conclusio still read.
    """
    decoders = _field_decoders(cls)
    return cls(**{name: decoders[name](value) for name, value in data.items() if name in decoders})


@cache
def _field_decoders(cls: type) -> dict[str, Callable[[Any], Any]]:
    """Per field, how a plain value becomes the field's value: worked out once per record type, not per value
    (a linking run or a search decodes tens of thousands of records)."""
    resolved = typing.get_type_hints(cls)
    return {f.name: _decoder(resolved[f.name]) for f in dataclasses.fields(cls) if f.init}


def _as_is(value: Any) -> Any:
    return value


@cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    """``value -> decoded`` for a type hint: an optional one decodes its one inner type, a list its items, a
    record from its dict; anything else (and None) stays as it is."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(inner) != 1:
            return _as_is
        decode = _decoder(inner[0])
        return lambda value: None if value is None else decode(value)
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        decode_item = _decoder(item)
        if decode_item is _as_is:
            return lambda value: list(value) if isinstance(value, list) else value
        return lambda value: [decode_item(v) for v in value] if isinstance(value, list) else value
    if dataclasses.is_dataclass(hint):
        return lambda value: from_dict(hint, value) if isinstance(value, dict) else value
    return _as_is
