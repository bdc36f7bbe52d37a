"""The parties a document names in short: its own list of abbreviations, responsible cells, section owners.

Action plans write their actors in short ("LS, COM (DG HOME)", "HV/EDEO", "NFP") and define the
short forms in a list of their own ("Lijst van afkortingen", as a list or a table). A short form is
read through that list first, then through the usual short forms of ``nlp/data/actors.jsonl``:
a body the gazetteer knows gets its canonical name, any other body the expansion the document
writes (obligations.md: bodies not on the list keep the name the text uses), and a name that is no
abbreviation stays as written ("Interpol").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from conclusio.records import Document
from nlp.actors import ActorTable

ABBREVIATION_HEADING = re.compile(
    r"\b(?:afkortingen|acroniemen|abbreviations|acronyms|abréviations|sigles|abkürzungen|akronyme)\b", re.IGNORECASE
)
# "LS: lidstaten", "COM – Europese Commissie", "NFP = nationale contactpunten", "EDEO<tab>Europese Dienst ..."
_DEFINITION = re.compile(r"^\s*(?P<short>[^:=\t]{1,24}?)\s*(?::|=|\t|\s[\u2013\u2014-]\s)\s*(?P<long>\S.{2,})$")
_NOT_A_DEFINITION = {"afkorting", "afkortingen", "betekenis", "abbreviation", "meaning", "acroniem", "omschrijving",
                     "abréviation", "signification", "abkürzung", "bedeutung", "term", "begrip"}
# Partners in a responsible cell ("LS, met steun van Eurojust"): everything after the cue helps, but does not act.
_PARTNERS = re.compile(
    r"(?:\b(?:met|with|avec|mit)\s+(?:de\s+|the\s+|le\s+)?(?:steun|ondersteuning|hulp|bijstand|medewerking|support|"
    r"assistance|soutien|unterstützung)\s+(?:van|of|from|de|du|des|von|der|des)\b"
    r"|\bin\s+(?:nauwe\s+)?(?:samenwerking|overleg)\s+met\b|\bondersteund\s+door\b|\bsupported\s+by\b"
    r"|\bin\s+(?:close\s+)?(?:cooperation|consultation)\s+with\b|\ben\s+coopération\s+avec\b|\bin\s+Zusammenarbeit\s+mit\b)",
    re.IGNORECASE,
)
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
_SEPARATORS = re.compile(r"\s*(?:[,;/+&\n]|\s(?:en|and|et|und)\s)\s*")
_ARTICLE = re.compile(r"^(?:de|het|alle|the|all|la|le|les|l'|die|der|das)\s+", re.IGNORECASE)
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
# What a responsible cell holds when it names no one: "n.v.t.", "nog te bepalen", "-".
_NO_PARTY = re.compile(r"^(?:n\.?v\.?t\.?|nvt|n/a|na|tbd|tbc|p\.?m\.?|nog te bepalen|onbekend|geen|none|-+|–|—|\?)$",
                       re.IGNORECASE)


@dataclass(frozen=True)
class Parties:
    """Resolves the names a document gives its parties: its own abbreviations first, then the usual ones."""

    table: ActorTable
    abbreviations: dict[str, str]  # the document's own list: short form as written -> expansion

    def resolve(self, name: str) -> str | None:
        """The actor a written name stands for, or None when nothing is left of it."""
        name = _ARTICLE.sub("", " ".join(name.split())).strip(" ,.;:'\"")
        if not name or _NO_PARTY.match(name) or _NO_PARTY.match(name + "."):
            return None
        expansion = self.expansion(name)
        if expansion is not None:
            return self.table.canonical(expansion) or self._known(name) or expansion
        return self._known(name) or name

    def expansion(self, short: str) -> str | None:
        """What the document's own list says a short form means, or None."""
        found = self.abbreviations.get(short)
        if found is None:
            found = next((long for key, long in self.abbreviations.items() if key.lower() == short.lower()), None)
        return found

    def _known(self, name: str) -> str | None:
        return self.table.canonical(name) or self.table.abbreviation(name)

    def of_cell(self, text: str) -> list[str]:
        """The actors a responsible-parties cell names: "LS, COM (DG HOME)" -> lidstaten, Commissie;
        "HV/EDEO" -> two actors; departments in parentheses belong to their parent; partners are left out."""
        acting = text
        while _PARENTHESIS.search(acting):
            acting = _PARENTHESIS.sub("", acting)
        partners = _PARTNERS.search(acting)
        acting = acting[: partners.start()] if partners else acting
        actors: list[str] = []
        for part in _SEPARATORS.split(acting):
            actor = self.resolve(part)
            if actor and actor not in actors:
                actors.append(actor)
        return actors

    def names_parties(self, text: str) -> bool:
        """True when every name in ``text`` is a body the gazetteer or the document's list knows
        ("COM, HV/EDEO" is; "EU) 2021/555" and "zie bijlage" are not)."""
        parts = [p for p in _SEPARATORS.split(_PARENTHESIS.sub("", text)) if p.strip()]
        return bool(parts) and all(self.expansion(p.strip()) or self._known(p.strip()) for p in parts)


def document_abbreviations(document: Document) -> dict[str, str]:
    """The document's own list of abbreviations: short form -> expansion as the list writes it.

    The list is the section under a heading "Afkortingen", "Lijst van afkortingen", "Abbreviations" ...:
    table rows (short form | expansion) or lines "LS: lidstaten", "COM – Europese Commissie".
    """
    found: dict[str, str] = {}
    for passage in document.passages:
        if passage.kind != "body" or not in_abbreviation_list(passage.section_path):
            continue
        if passage.table_row is not None:
            cells = [cell for cell in passage.table_row.cells if cell.strip()]
            pairs = [(cells[0], cells[1])] if len(cells) >= 2 else []
        else:
            pairs = [(m.group("short"), m.group("long")) for m in map(_DEFINITION.match, passage.text.split("\n")) if m]
        for short, long in pairs:
            short, long = short.strip(" -•*\u2022"), _TRAILING_PARENTHESIS.sub("", long).strip(" .;")
            if _is_short_form(short, long):
                found.setdefault(short, long)
    return found


def in_abbreviation_list(section_path: list[str]) -> bool:
    """True for a passage right under an "Afkortingen" heading. Only the innermost heading counts: an
    unnumbered heading before the numbered sections ("## Afkortingen", then "## 1. Inleiding") stays their
    ancestor in the section path, and the whole document is no list of abbreviations."""
    return bool(section_path) and ABBREVIATION_HEADING.search(section_path[-1]) is not None


def _is_short_form(short: str, long: str) -> bool:
    """A plausible abbreviation and expansion: a short name of a few words, a longer expansion."""
    if short.lower() in _NOT_A_DEFINITION or long.lower() in _NOT_A_DEFINITION:
        return False
    return 0 < len(short) <= 16 and len(short.split()) <= 3 and len(long) > len(short)
