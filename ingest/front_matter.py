"""The header block a Council or Commission document opens with, told apart from its own content.

The lines before the content (place and date, the document's number, classification, subject
codes, the document type, "van:"/"aan:"/"nr. vorig doc.:" fields) describe the document and are
read into ``DocumentMetadata``; they must not become searchable passages. The subject ("Betreft:
...") or the Commission's title block is kept apart as the document's title. Shared by every
format: it works on the ``SourceLine``s every reader produces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.lines import SourceLine, split_marks

FIELD = re.compile(
    r"^(?P<name>van|aan|d\.d\.|datum|nr\. vorig doc\.|nr\. cion doc\.|betreft|onderwerp|from|to|subject|"
    r"no\. prev\. doc\.)\s*:\s*(?P<value>.*)$", re.IGNORECASE,
)
SUBJECT_FIELDS = {"betreft", "onderwerp", "subject"}
OWN_NUMBER = re.compile(r"^(?:ST\s+)?\d{4,5}/(?:\d{1,2}/)?\d{2}(?:\s+REV\s*\d+)?(?:\s+\(OR\.\s*\w+\))?$")
# The Council footer repeats the document's own number: "10512/24   JAI.1   NL", "15571/25 JAI.1 LIMITE NL".
FOOTER_NUMBER = re.compile(
    r"^(\d{4,5}/(?:\d{1,2}/)?\d{2}(?:\s+REV\s*\d+)?)\s+(?:[A-Z][A-Z.\d/-]*\s+)*[A-Z]{2}(?:\s+\d{1,4})?$"
)
COM_NUMBER = re.compile(r"^(?:COM|SWD|JOIN|SEC)\s*\(\d{4}\)\s*\d+(?:\s+final)?$")
CLASSIFICATION = re.compile(
    r"^(LIMITE|(?:TRÈS SECRET|SECRET|CONFIDENTIEL|RESTREINT) UE\s*/\s*EU (?:TOP SECRET|SECRET|CONFIDENTIAL|RESTRICTED)"
    r"|PUBLIC|ONLY FOR DELEGATIONS|SENSITIVE)$"
)
PLACE_DATE = re.compile(
    r"^(?:Brussel|Brussels|Bruxelles|Luxemburg|Luxembourg|Straatsburg|Strasbourg)\b,?\s*(?:le\s+)?(.+)$"
)
CODE = re.compile(r"^([A-Z][A-Z-]{2,14})(?:\s+(\d{1,5}))?$")
NOT_CODES = {
    "NOTA", "NOTE", "LIMITE", "BIJLAGE", "ANNEX", "RESULTAAT", "BESPREKINGEN", "MEDEDELING", "VERSLAG",
    "REPORT", "PUBLIC", "INLEIDING", "CONCLUSIES", "ADDENDUM", "CORRIGENDUM", "INTERINSTITUTIONEEL", "DOSSIER",
}
COMMUNICATION_TITLE = re.compile(
    r"^(MEDEDELING|VERSLAG|VOORSTEL|COMMUNICATION|REPORT|PROPOSAL)\b.*\b(COMMISSIE|COMMISSION)"
)
_DOCUMENT_TYPE = re.compile(
    r"^(?:NOTA|NOTE|RESULTAAT BESPREKINGEN|OUTCOME OF PROCEEDINGS|I/A-PUNTNOTITIE|I/A ITEM NOTE|"
    r"BEGELEIDENDE NOTA|COVER NOTE|ADDENDUM(?: BIJ DE NOTA| TO NOTE)?|CORRIGENDUM)$"
)
_ISSUER = re.compile(
    r"^(?:Raad van de Europese Unie|Council of the European Union|Conseil de l'Union européenne|"
    r"Europese Commissie|European Commission|Commission européenne|Het Voorzitterschap|The Presidency)$",
    re.IGNORECASE,
)
_ORIGINAL_LANGUAGE = re.compile(r"^\(OR\.\s*[a-z, ]+\)$", re.IGNORECASE)
_DOSSIER = re.compile(r"^(?:Interinstitutioneel dossier|Interinstitutional File)\s*:", re.IGNORECASE)
_SUBTITLE_DASH = re.compile(r"^[\u2012\u2013\u2014-]\s+\S")
_UNIT_START = re.compile(r"^\(?(?:\d{1,3}|[a-z])[.)]\s")
FRONT_MATTER_SECTION = "front matter"


@dataclass
class FrontMatter:
    """A document's lines split into its header fields, its title (subject) and the rest."""

    fields: list[SourceLine]
    title: list[SourceLine]
    body: list[SourceLine]


def split_front_matter(lines: list[SourceLine]) -> FrontMatter:
    """The leading header lines, the subject or title block after them, and the document's content."""
    fields_end = 0
    anchored = False  # bare codes ("EUDA") count only in a header that also has a date, number or field
    while fields_end < len(lines):
        text = _plain(lines[fields_end])
        kind = _field_kind(text)
        if kind is None:
            break
        anchored = anchored or kind == "anchor"
        fields_end += 1
        while fields_end < len(lines) and _continues_field(text, _plain(lines[fields_end])):
            fields_end += 1  # a wrapped field value ("van: het secretariaat-generaal van de" / "raad")
    if not anchored:
        fields_end = 0
    title_end = _title_end(lines, fields_end)
    if title_end >= len(lines):
        return FrontMatter([], [], list(lines))  # nothing left as content: it was not a header after all
    return FrontMatter(lines[:fields_end], lines[fields_end:title_end], lines[title_end:])


def _field_kind(text: str) -> str | None:
    """"anchor" for a line only a header has, "code" for a subject code, None for anything else."""
    field = FIELD.match(text)
    if field:
        return None if field.group("name").lower() in SUBJECT_FIELDS else "anchor"
    if (OWN_NUMBER.match(text) or COM_NUMBER.match(text) or FOOTER_NUMBER.match(text) or CLASSIFICATION.match(text)
            or _DOCUMENT_TYPE.match(text) or _ISSUER.match(text) or _ORIGINAL_LANGUAGE.match(text)
            or _DOSSIER.match(text)):
        return "anchor"
    place_date = PLACE_DATE.match(text)
    if place_date and re.search(r"\d", place_date.group(1)) and len(text) < 60:
        return "anchor"
    code = CODE.match(text)
    if code and code.group(1) not in NOT_CODES:
        return "code"
    return None


def _continues_field(field: str, text: str) -> bool:
    return bool(FIELD.match(field)) and text[:1].islower() and not FIELD.match(text)


def _title_end(lines: list[SourceLine], start: int) -> int:
    """Where the subject ("Betreft: ...", its continuation and "– Conclusies van de Raad (date)") or the
    Commission's title block ends; ``start`` when neither follows the header fields."""
    if start >= len(lines):
        return start
    first = _plain(lines[start])
    field = FIELD.match(first)
    if field and field.group("name").lower() in SUBJECT_FIELDS:
        end = start + 1
        while end < len(lines) and _continues_subject(_plain(lines[end])):
            end += 1
        return end
    if COMMUNICATION_TITLE.match(first):
        end = start + 1
        while end < len(lines) and _continues_communication_title(lines[end]):
            end += 1
        return end
    return start


def _continues_subject(text: str) -> bool:
    return not FIELD.match(text) and (text[:1].islower() or bool(_SUBTITLE_DASH.match(text)))


def _continues_communication_title(line: SourceLine) -> bool:
    """"over het EU-stappenplan ..." or a capitalised title line; not the first numbered section."""
    text = _plain(line)
    if not text or _UNIT_START.match(text) or text[0].isdigit() or FIELD.match(text):
        return False
    letters = [ch for ch in text if ch.isalpha()]
    return text[0].islower() or (len(letters) >= 3 and all(ch.isupper() for ch in letters))


def _plain(line: SourceLine) -> str:
    return re.sub(r"\s+", " ", split_marks(line.text)[0]).strip()
