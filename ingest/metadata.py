"""What a document says about itself: number, title, date, kind, sender, classification, codes."""

from __future__ import annotations

import functools
import re
from datetime import date

from conclusio.calendar_words import MONTHS_ANY_LANGUAGE
from conclusio.records import DocumentMetadata, Passage
from ingest.front_matter import (
    CLASSIFICATION, CODE, COM_NUMBER, COMMUNICATION_TITLE, FIELD, FOOTER_NUMBER, NOT_CODES, OWN_NUMBER, PLACE_DATE,
)
from ingest.references import find_references, normalise_doc_number

_HEADER_LINES = 60
_WORD_DATE = re.compile(r"\b(\d{1,2})\s+([a-zéû]+)\s+(\d{4})\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MARKUP = re.compile(r"\*{1,3}|</?[a-z]+[^>]*>|^#{1,6}\s*")


def header_lines(raw_text: str) -> list[str]:
    """The first non-blank lines of a text, markup removed (where a document describes itself)."""
    lines = []
    for raw in raw_text.splitlines():
        line = _MARKUP.sub("", raw).replace("\t", " ").strip()
        line = re.sub(r"\s+", " ", line)
        if line and line != "---":
            lines.append(line)
        if len(lines) >= _HEADER_LINES:
            break
    return lines


def extract_metadata(header: list[str], passages: list[Passage], pages: int | None, language: str | None,
                     default_title: str | None = None) -> DocumentMetadata:
    """Metadata from the document's header lines and its passages."""
    fields = _fields(header)
    body_text = "\n".join(p.text for p in passages)
    # The header's fields have no passage, but the documents they cite are still references.
    cited_in_header = [fields[name] for name in ("nr. vorig doc.", "nr. cion doc.", "no. prev. doc.") if name in fields]
    metadata = DocumentMetadata(
        doc_number=_own_number(header),
        date=parse_date(fields.get("d.d.") or fields.get("datum") or "") or _place_date(header) or _approval_date(header),
        sender=fields.get("van") or fields.get("from"),
        recipient=fields.get("aan") or fields.get("to"),
        classification=_classification(header),
        codes=_codes(header),
        previous_docs=_previous_docs(fields.get("nr. vorig doc.") or fields.get("no. prev. doc.") or ""),
        references=find_references("\n".join([*cited_in_header, body_text])),
        language=language,
        pages=pages,
    )
    metadata.references = [r for r in metadata.references if r.normalised != metadata.doc_number]  # not itself
    metadata.title = fields.get("betreft") or fields.get("onderwerp") or fields.get("subject") \
        or _communication_title(header) or default_title or _first_heading(passages)
    metadata.kind = _kind(header, metadata, body_text)
    return metadata


def parse_date(text: str) -> str | None:
    """An ISO date from "13 juni 2024", "18.10.2023" or "2024-06-13"."""
    for pattern, order in ((_WORD_DATE, "dmy"), (_NUMERIC_DATE, "dmy"), (_ISO_DATE, "ymd")):
        for match in pattern.finditer(text):
            if order == "ymd":
                year, month, day = (int(g) for g in match.groups())
            else:
                day, year = int(match.group(1)), int(match.group(3))
                month_text = match.group(2).lower()
                month = MONTHS_ANY_LANGUAGE.get(month_text) if not month_text.isdigit() else int(month_text)
                if month is None:
                    continue
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                continue
    return None


def _fields(header: list[str]) -> dict[str, str]:
    """Header fields ("van:", "Betreft:" ...), the subject joined over its continuation lines."""
    fields: dict[str, str] = {}
    current: str | None = None
    for line in header:
        match = FIELD.match(line)
        if match:
            current = match.group("name").lower()
            fields.setdefault(current, match.group("value").strip())
            continue
        if current in {"betreft", "onderwerp", "subject"} and line[:1].islower():
            fields[current] = f"{fields[current]} {line}".strip()
            continue
        current = None
    return {name: value for name, value in fields.items() if value}


def _own_number(header: list[str]) -> str | None:
    for line in header[:25]:
        if OWN_NUMBER.match(line) or COM_NUMBER.match(line) or FOOTER_NUMBER.match(line):
            return normalise_doc_number(line)
    return None


def _place_date(header: list[str]) -> str | None:
    for line in header[:20]:
        match = PLACE_DATE.match(line)
        if match:
            parsed = parse_date(match.group(1))
            if parsed:
                return parsed
    for line in header[:_MAX_PLACE_DATE_LINES]:
        for match in _ANY_PLACE_DATE.finditer(line):
            parsed = parse_date(match.group("date"))
            if parsed:
                return parsed
    return None


# Any place and date in a header line, on its own or between its parts: "Den Haag, 10 september 2026. Het kabinet
# ...", "Ministerie van Financiën – Den Haag, 14 april 2026", "Raad van de Europese Unie – Brussel, 23 november 2026 –
# 15873/26": a capitalised place of up to three words, a comma, a day, a month written out, a year.
_ANY_PLACE_DATE = re.compile(
    r"(?:^|[\u2013\u2014|]\s+|\s-\s|[.;]\s+)(?:[A-ZÀ-Ý][\w'’-]+(?:\s+[A-Za-zÀ-ÿ][\w'’-]+){0,2}),\s+"
    r"(?:(?:le|den|de)\s+)?(?P<date>\d{1,2}\s+[^\W\d_]+\s+\d{4})\b")
_MAX_PLACE_DATE_LINES = 8


# "Goedgekeurd door de Ministerraad op 20 februari 2026", "Adopted by the Council on 3 June 2026": a national or
# institutional plan dated by its adoption, with no place and date line.
_APPROVAL = re.compile(r"^(?:goedgekeurd|vastgesteld|aangenomen|adopted|approved|adopté|approuvé|angenommen|beschlossen)\b",
                       re.IGNORECASE)
_MAX_APPROVAL_WORDS = 15


def _approval_date(header: list[str]) -> str | None:
    for line in header[:20]:
        if _APPROVAL.match(line.strip()) and len(line.split()) <= _MAX_APPROVAL_WORDS:
            parsed = parse_date(line)
            if parsed:
                return parsed
    return None


def _classification(header: list[str]) -> list[str]:
    found: list[str] = []
    for line in header[:30]:
        match = CLASSIFICATION.match(line)
        if match and match.group(1) not in found:
            found.append(re.sub(r"\s*/\s*", "/", match.group(1)))
    return found


def _codes(header: list[str]) -> list[str]:
    """Subject codes ("COSI 231", "ENFOPOL 430", bare "EUROPOL") from the code block of the header."""
    candidates = [(i, line) for i, line in enumerate(header[:40]) if CODE.match(line) and line.split()[0] not in NOT_CODES]
    numbered = [i for i, line in candidates if CODE.match(line).group(2)]
    if not numbered:
        return []
    start, end = min(numbered), max(numbered)
    codes: list[str] = []
    previous = start - 1
    for index, line in candidates:
        if index < start:
            continue
        if index > end and index != previous + 1:
            break
        codes.append(line)
        previous = index
    return codes


def _previous_docs(value: str) -> list[str]:
    docs = []
    for part in re.split(r"[;,]|\s+en\s+", value):
        number = normalise_doc_number(part)
        if number and number not in docs:
            docs.append(number)
    return docs


def _communication_title(header: list[str]) -> str | None:
    """"MEDEDELING VAN DE COMMISSIE ... over ...": the title lines of a Commission document."""
    for index, line in enumerate(header):
        if COMMUNICATION_TITLE.match(line):
            parts = [line]
            for follow in header[index + 1:index + 6]:
                if re.match(r"^\d", follow) or FIELD.match(follow):
                    break
                if follow[:1].islower() or follow.isupper():
                    parts.append(follow)
                else:
                    break
            return re.sub(r"\s+", " ", " ".join(parts))
    return None


def _first_heading(passages: list[Passage]) -> str | None:
    for passage in passages:
        if passage.kind == "heading":
            return passage.text
    return None


def _kind(header: list[str], metadata: DocumentMetadata, body_text: str) -> str:
    # Only lines in capitals name the document type; running text may mention "de mededeling".
    head = " ".join(line for line in header[:25] if line.isupper())
    title = (metadata.title or "").lower()
    if "RESULTAAT BESPREKINGEN" in head or "OUTCOME OF PROCEEDINGS" in head:
        return "council_conclusions" if "conclusies" in title or "conclusions" in title else "outcome_of_proceedings"
    if (metadata.doc_number or "").startswith("COM(") or re.search(r"MEDEDELING VAN DE COMMISSIE|COMMUNICATION FROM THE COMMISSION", head):
        return "commission_communication"
    if re.search(r"\b(NOTA|NOTE)\b", head):
        sender = (metadata.sender or "").lower()
        return "presidency_note" if "voorzitterschap" in sender or "presidency" in sender else "other"
    if "conclusies van de raad" in title or "council conclusions" in title:
        return "council_conclusions"
    if re.search(r"\b(VERKLARING|DECLARATION)\b", head) or _reads_like_declaration(body_text):
        return "declaration"
    if re.search(r"\b(VERSLAG|REPORT)\b", head) or "verslag" in title:
        return "report"
    return "other"


def _reads_like_declaration(text: str) -> bool:
    """Joint declarations commit "wij"/"we" and speak of "deelnemende landen"."""
    lowered = text.lower()
    commitments = len(re.findall(r"\b(wij|we) zullen\b|\bzullen (wij|we)\b", lowered))
    return commitments >= 3 and ("deelnemende landen" in lowered or "participating countries" in lowered)


@functools.cache
def _language_factory():  # type: ignore[no-untyped-def]
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0  # langdetect samples randomly; a fixed seed makes ingest deterministic
    return factory


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when it cannot be told."""
    sample = text[:5000]
    if len(sample.strip()) < 20:
        return None
    from langdetect.lang_detect_exception import LangDetectException

    try:
        detector = _language_factory().create()
        detector.append(sample)
        return detector.detect()
    except LangDetectException:
        return None
