"""Mentions of other documents: Council documents, COM documents, legal acts and OJ citations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from conclusio.records import Reference

_COUNCIL_PREFIX = r"(?:(?:Doc\.|doc\.|document|Document|ST|st)\s+(?:ST\s+)?)"
_COUNCIL_DOC = re.compile(
    rf"(?<![\w/.-])(?P<prefix>{_COUNCIL_PREFIX})?(?P<number>\d{{3,5}})/(?:(?P<revno>\d{{1,2}})/)?(?P<year>\d{{2}})"
    r"(?![\w/])(?:\s+(?:REV|rev)\s*(?P<rev>\d+))?(?:\s*\+\s*(?:ADD|COR)\s*\d+(?:\s+REV\s*\d+)?)?"
)
_WK_DOC = re.compile(r"\bWK\s+(?P<number>\d{3,5})/(?P<year>\d{4})(?:\s+REV\s*(?P<rev>\d+))?")
_COM_DOC = re.compile(r"\b(?P<series>COM|SEC|SWD|JOIN)\s*\((?P<year>\d{4})\)\s*(?P<number>\d{1,4})(?:\s+final)?")
_ACT_TYPES = (
    "Gedelegeerde Verordening|Gedelegeerde verordening|Uitvoeringsverordening|Uitvoeringsbesluit|Kaderbesluit"
    "|Richtlijn|Verordening|Besluit|Beschikking|Aanbeveling|Gemeenschappelijk Optreden|Gemeenschappelijk optreden"
    "|Framework Decision|Directive|Regulation|Decision|Recommendation"
)
_LEGAL_ACT = re.compile(
    rf"\b(?P<type>{_ACT_TYPES})\s+(?:\((?P<ns>EU|EG|EEG|EU, Euratom|EC|EEC)\)\s+)?(?:(?:nr\.|No)\s*)?"
    r"(?P<number>\d{2,4}/\d{1,4}(?:/(?:JBZ|JAI|GBVB|CFSP|EU|EG))?)(?!\d)"
)
_OJ = re.compile(r"\b(?P<series>PB|OJ)\s+(?P<part>[CL])\s*(?P<issue>\d{1,4}\s?[A-Z]?)?(?:,\s*\d{4}/\d+)?\s+(?:van|of)\s+"
                 r"(?P<date>\d{1,2}\.\d{1,2}\.\d{4})")


def find_references(text: str) -> list[Reference]:
    """References in a text, deduplicated on their normalised form, in order of appearance."""
    found: list[tuple[int, Reference]] = []
    legal_spans: list[tuple[int, int]] = []
    for match in _LEGAL_ACT.finditer(text):
        legal_spans.append(match.span())
        ns = f" ({match.group('ns')})" if match.group("ns") else ""
        normalised = f"{_capitalise(match.group('type'))}{ns} {match.group('number')}"
        found.append((match.start(), Reference(match.group(0), "legal_act", normalised)))
    for match in _COM_DOC.finditer(text):
        normalised = f"{match.group('series')}({match.group('year')}) {match.group('number')}"
        found.append((match.start(), Reference(match.group(0).strip(), "com", normalised)))
    for match in _WK_DOC.finditer(text):
        rev = f" REV {match.group('rev')}" if match.group("rev") else ""
        found.append((match.start(), Reference(match.group(0), "council_doc",
                                                f"WK {match.group('number')}/{match.group('year')}{rev}")))
    for match in _COUNCIL_DOC.finditer(text):
        if _inside(match.span("number"), legal_spans) or _in_url(text, match.start()):
            continue
        if not match.group("prefix") and len(match.group("number")) < 4:
            continue
        found.append((match.start(), Reference(match.group(0).strip(), "council_doc", _council_normalised(match))))
    for match in _OJ.finditer(text):
        issue = f" {match.group('issue').replace(' ', '')}" if match.group("issue") else ""
        normalised = f"{match.group('series')} {match.group('part')}{issue} van {match.group('date')}"
        found.append((match.start(), Reference(match.group(0), "oj", normalised)))
    seen: set[str] = set()
    unique: list[Reference] = []
    for _, reference in sorted(found, key=lambda item: item[0]):
        if reference.normalised not in seen:
            seen.add(reference.normalised)
            unique.append(reference)
    return unique


def normalise_doc_number(text: str) -> str | None:
    """The normalised number of a Council or COM document named in ``text``: "14114/23", "COM(2023) 641"."""
    for match in _COM_DOC.finditer(text):
        return f"{match.group('series')}({match.group('year')}) {match.group('number')}"
    for match in _WK_DOC.finditer(text):
        rev = f" REV {match.group('rev')}" if match.group("rev") else ""
        return f"WK {match.group('number')}/{match.group('year')}{rev}"
    for match in _COUNCIL_DOC.finditer(text):
        return _council_normalised(match)
    return None


def resolve_references(references: list[Reference], known: Mapping[str, str]) -> list[Reference]:
    """References with ``resolved_source_file`` set where ``known`` (doc number -> file) has them."""
    resolved: list[Reference] = []
    for reference in references:
        target = known.get(reference.normalised) or known.get(_base_number(reference.normalised))
        resolved.append(replace(reference, resolved_source_file=target) if target else reference)
    return resolved


def _council_normalised(match: re.Match[str]) -> str:
    rev = match.group("rev")
    return f"{match.group('number')}/{match.group('year')}" + (f" REV {rev}" if rev else "")


def _base_number(normalised: str) -> str:
    return re.sub(r"\s+REV\s*\d+$", "", normalised)


def _capitalise(word: str) -> str:
    return word[:1].upper() + word[1:]


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] < end for start, end in spans)


def _in_url(text: str, position: int) -> bool:
    start = max(text.rfind(" ", 0, position), text.rfind("(", 0, position), text.rfind("<", 0, position))
    return "://" in text[start + 1:position] or "www." in text[start + 1:position]
