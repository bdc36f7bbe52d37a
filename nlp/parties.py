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
from nlp.subjects import BODY_NOUN_ENDINGS

ABBREVIATION_HEADING = re.compile(
    # "Afkortingen", "Afkortingenlijst", "List of abbreviations", "Sigles et abréviations", "Abkürzungsverzeichnis"
    r"\b(?:afkorting(?:en)?|acroniemen|abbreviations|acronyms|abréviations|sigles|abkürzung(?:en)?|akronyme)\w*",
    re.IGNORECASE
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
# "samen met (de) X", "together with X", "conjointement avec X", "gemeinsam mit X": X acts too.
_TOGETHER_WITH = re.compile(
    r"\b(?:[Ss]amen|[Tt]ezamen|[Tt]ogether|[Cc]onjointement|[Gg]emeinsam)\s+(?:met|with|avec|mit)\s+(?:de\s+|het\s+|the\s+|la\s+|le\s+|les\s+|l'|den\s+|dem\s+|der\s+)?"
    r"(?P<name>[A-ZÀ-Ý][\w&'’-]*(?:\s+(?:van|voor|de|der|en|of|for)?\s*[A-ZÀ-Ý][\w&'’-]*)*|[a-zà-ÿ][\w-]+)")
# A party marked as one that only supports or advises ("IGO (ondersteunend)", "Myria (adviserend)", "IOM (support)"):
# it helps, it does not act (obligations.md: partners are no actors). The mark covers the name before it.
_SUPPORTING_PARTY = re.compile(
    r"[^,;/+&\n()]*\(\s*(?:ondersteun\w*|advis\w*|raadgevend\w*|support\w*|advisory|consult\w*|soutien|en soutien|"
    r"conseil|consultatif|consultative|unterstützend|beratend)\s*\)",
    re.IGNORECASE,
)
# "minister van Financiën", "ministerie van Defensie", "gemeente Rotterdam"'s like: a body named by its head and its field.
_BODY_OF_OWN = re.compile(r"^[a-zà-ÿ]\w+\s+(?:van|voor)\s+[A-ZÀ-Ý]")
_LEADING_CONJUNCTION = re.compile(r"^(?:en|and|et|und|alsook|as well as)\s+(?=\S)", re.IGNORECASE)
_LIST_SEPARATORS = re.compile(r"\s*[,;/+&\n]\s*")
_CONJUNCTION = re.compile(r"\s+(?:en|and|et|und)\s+")
# "Lead: COM", "Trekker: NP", "Chef de file : FR": a role named before the parties of a cell.
_ROLE_LABEL = re.compile(r"^[^:]{1,30}\s?:\s*(?=\S)")
# "deelnemende LS", "andere EU-lidstaten", "participating MS": a qualifier before a party's name.
_QUALIFIER = re.compile(r"^[a-zà-ÿ][\w-]*\s+(?=\S)")
_MAX_QUALIFIERS = 2
_PREPOSITIONS = {"van", "voor", "tegen", "over", "naar", "door", "onder", "über", "gegen", "against", "pour", "contre", "met", "in", "op", "bij", "uit", "of", "for", "with", "from", "at", "de", "du", "des", "pour",
                 "avec", "von", "für", "mit", "aus", "bei", "zur", "zum", "en", "and", "et", "und"}
_ARTICLE = re.compile(r"^(?:de|het|alle|the|all|la|le|les|l'|die|der|das)\s+", re.IGNORECASE)
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
# What a responsible cell holds when it names no one: "n.v.t.", "nog te bepalen", "-".
_NO_PARTY = re.compile(
    r"^(?:n\.?v\.?t\.?|nvt|n/a|n\.a\.?|na|n\.?t\.?b\.?|t\.?b\.?d\.?|t\.?b\.?c\.?|p\.?m\.?|n\.?n\.?|"
    r"(?:nog|nader) (?:te )?(?:bepalen|vast te stellen|in te vullen)|onbekend|open|geen|none|to be (?:determined|confirmed|decided)|"
    r"à (?:déterminer|définir|confirmer)|aucun|noch (?:offen|festzulegen|zu bestimmen)|offen|keine|-+|–|—|\?)$",
    re.IGNORECASE,
)
# The member states by the codes of the EU's interinstitutional style guide (and ISO's GR), and the Schengen
# associated countries that take part in EU actions: a responsible cell names them so, and they act as written.
MEMBER_STATE_CODES = frozenset(
    "BE BG CZ DK DE EE IE EL GR ES FR HR IT CY LV LT LU HU MT NL AT PL PT RO SI SK FI SE NO CH IS LI".split()
)


@dataclass(frozen=True)
class Parties:
    """Resolves the names a document gives its parties: its own abbreviations first, then the usual ones."""

    table: ActorTable
    abbreviations: dict[str, str]  # the document's own list: short form as written -> expansion
    involved_act: bool = False  # the plan says its "Betrokken" parties answer for the action too (involved_parties_act)

    def resolve(self, name: str) -> str | None:
        """The actor a written name stands for, or None when nothing is left of it ("n.t.b.", "TBD", "-").

        A qualifier before a known name goes ("deelnemende LS", "andere EU-lidstaten" -> lidstaten); a name
        nothing knows stays as written, without its article ("Havenbedrijf Rotterdam", "gemeenten")."""
        name = _ARTICLE.sub("", " ".join(name.split())).strip(" ,.;:'\"")
        if not name or self._names_no_one(name):
            return None
        found = self._resolved(name)
        if found is not None:
            return found
        for rest in _without_qualifiers(name):
            found = self._resolved(rest)
            if found is not None:
                return found
        return name

    def _resolved(self, name: str) -> str | None:
        """A name the document's list or the usual short forms and aliases know, resolved; else None."""
        expansion = self.expansion(name)
        if expansion is not None:
            return self.table.canonical(expansion) or self._known(name) or expansion
        return self._known(name)

    def _names_no_one(self, name: str) -> bool:
        """ "n.t.b.", "TBD", "nog te bepalen", or a short form the document's list expands so."""
        expansion = self.expansion(name) or self.expansion(name + ".")
        return any(_NO_PARTY.match(text) or _NO_PARTY.match(text + ".") for text in (name, expansion or "")
                   if text) or bool(expansion and _NO_PARTY.match(_TRAILING_PARENTHESIS.sub("", expansion).strip()))

    def expansion(self, short: str) -> str | None:
        """What the document's own list says a short form means, or None."""
        found = self.abbreviations.get(short)
        if found is None:
            found = next((long for key, long in self.abbreviations.items() if key.lower() == short.lower()), None)
        return found

    def _known(self, name: str) -> str | None:
        if name in MEMBER_STATE_CODES:
            return name
        return self.table.canonical(name) or self.table.abbreviation(name)

    def is_party(self, name: str) -> bool:
        """True for a name the document's list, the gazetteer or the member-state codes know (qualifiers aside)."""
        name = _ARTICLE.sub("", " ".join(name.split())).strip(" ,.;:'\"")
        if not name or self._names_no_one(name):
            return False
        return any(self._resolved(rest) is not None for rest in [name, *_without_qualifiers(name)])

    def names(self, text: str) -> list[str]:
        """The names a cell lists, split at commas, slashes and the like, and at "en"/"and" only where each side
        names a party of its own ("Europol en Eurojust"; not "Ministerie van Justitie en Veiligheid")."""
        names: list[str] = []
        for part in _LIST_SEPARATORS.split(text):
            # "Europol, LS" + "en Frontex" on the next line of the cell: the conjunction opens no name.
            part = _LEADING_CONJUNCTION.sub("", _ROLE_LABEL.sub("", part.strip()))
            if not part:
                continue
            pieces = _CONJUNCTION.split(part)
            if len(pieces) > 1 and not self.is_party(part) and all(self.is_party(p) or _one_name(p) for p in pieces):
                names.extend(pieces)
            elif len(pieces) > 1 and not self.is_party(part):
                names.extend(self._named_apart(part))
            else:
                names.append(part)
        return names

    def _named_apart(self, part: str) -> list[str]:
        """ "minister van Financiën en minister van Justitie en Veiligheid" -> two ministers; "JenV en minister van
        Financiën" -> two: a conjunction parts two names where the name after it repeats the first one's head noun,
        or follows a whole name and is a body of its own ("minister van X"); "Justitie en Veiligheid" stays whole."""
        head = _ARTICLE.sub("", part).split()[0].lower()
        names: list[str] = []
        start = 0
        for conjunction in _CONJUNCTION.finditer(part):
            left, right = part[start:conjunction.start()], _ARTICLE.sub("", part[conjunction.end():])
            repeats = right.split()[0].lower() == head if right.split() else False
            whole_left = self.is_party(left) or _one_name(left)
            if repeats or (whole_left and _BODY_OF_OWN.match(right)):
                names.append(left)
                start = conjunction.end()
        names.append(part[start:])
        return names

    def of_cell(self, text: str) -> list[str]:
        """The actors a responsible-parties cell names: "LS, COM (DG HOME)" -> lidstaten, Commissie;
        "HV/EDEO" -> two actors; departments and marks in parentheses ("(lead)") belong to their party;
        partners are left out; "n.t.b." names no one."""
        acting = _SUPPORTING_PARTY.sub("", text)
        while _PARENTHESIS.search(acting):
            acting = _PARENTHESIS.sub("", acting)
        partners = _PARTNERS.search(acting)
        acting = acting[: partners.start()] if partners else acting
        actors: list[str] = []
        for part in self.names(acting):
            actor = self.resolve(part)
            if actor and actor not in actors:
                actors.append(actor)
        return actors

    def co_actors(self, action: str) -> list[str]:
        """The parties an action cell says act along with the responsible ones: "Samen met de Kansspelautoriteit een
        overleg inrichten" (obligations.md: "samen met X" makes X a co-actor; "in samenwerking met X" does not)."""
        found: list[str] = []
        for match in _TOGETHER_WITH.finditer(action):
            name = match.group("name")
            if name[:1].isupper() or self.is_party(name) or _plural_body(name):
                actor = self.resolve(name)
                if actor and actor not in found:
                    found.append(actor)
        return found

    def running_text_names(self) -> dict[str, str]:
        """The short forms of the document's list that name a body, and the names it writes them out to, with the
        actor each stands for: read in its running text too ("JenV zal ...", "de deelnemende LS", "de Fiscale
        Inlichtingen- en Opsporingsdienst"). A short form for a thing ("OAP: operationeel actieplan") or a
        placeholder ("n.t.b.") is left out."""
        found: dict[str, str] = {}
        for short, long in self.abbreviations.items():
            actor = self.resolve(short)
            if actor and (short == long or self._known(short) or self.table.canonical(long) or _names_a_body(long)):
                found[short] = actor
                if long != short and long[:1].isupper() and long not in self.abbreviations:
                    found.setdefault(long, actor)  # the name the list writes out, as the text may write it too
        return found

    def names_parties(self, text: str) -> bool:
        """True when every name in ``text`` is a body the gazetteer or the document's list knows
        ("COM, HV/EDEO" is; "EU) 2021/555" and "zie bijlage" are not)."""
        parts = [p for p in self.names(_PARENTHESIS.sub("", text)) if p.strip()]
        return bool(parts) and all(self.is_party(p.strip()) for p in parts)

    def reads_as_parties(self, text: str) -> tuple[int, int] | None:
        """How a cell reads where no header says what it holds: None unless every name in it could be a party (a
        known one, a short form, a body's noun, a short proper name: "IenW, Havenbedrijf Rotterdam", "gemeenten");
        else (names the gazetteer or the document's list know, names)."""
        parts = [p.strip() for p in self.names(_PARENTHESIS.sub("", text)) if p.strip()]
        if not parts or not all(self.is_party(p) or _could_be_a_party(p) for p in parts):
            return None
        return sum(1 for p in parts if self.is_party(p)), len(parts)

    def names_no_one(self, text: str) -> bool:
        """True for a cell that holds a placeholder instead of parties ("n.t.b.", "TBD", "–")."""
        parts = [p for p in self.names(_PARENTHESIS.sub("", text)) if p.strip()]
        return bool(parts) and all(self.resolve(p) is None for p in parts)


_NOT_BODIES = {"elkaar", "anderen", "andere", "hen", "hun", "haar", "hem", "ons", "jullie", "zich", "deze", "die", "alle"}


def _plural_body(word: str) -> bool:
    """ "gemeenten", "provincies", "partners": a plural noun that can name a group of bodies; not "elkaar"."""
    return len(word) >= 5 and word.endswith(("en", "s")) and word.lower() not in _NOT_BODIES


def _names_a_body(expansion: str) -> bool:
    """ "Ministerie van Financiën", "Koninklijke Marechaussee", "Regionale Informatie- en Expertisecentra": a body's
    name (a body noun, or a proper name: every longer word capitalised); not "operationeel actieplan"."""
    words = [w for w in re.findall(r"[\w-]+", expansion) if len(w) > 3 and w.lower() not in _PREPOSITIONS]
    if any(w.lower().endswith(BODY_NOUN_ENDINGS) for w in words):
        return True
    return bool(words) and all(w[:1].isupper() for w in words)


_MAX_PARTY_WORDS = 4


def _could_be_a_party(name: str) -> bool:
    """A name of a few words without figures that is a short form, a proper name or ends in a body's noun."""
    words = _ARTICLE.sub("", name).split()
    if not words or len(words) > _MAX_PARTY_WORDS or any(ch.isdigit() for ch in name):
        return False
    if words[-1].lower().endswith(BODY_NOUN_ENDINGS):
        return True
    return all(w[:1].isupper() for w in words if len(w) > 3)


def _without_qualifiers(name: str) -> list[str]:
    """The name without one, then two leading qualifiers ("deelnemende LS" -> "LS"); never past a preposition
    ("douaneautoriteiten van andere lidstaten" names the customs, not the member states)."""
    found: list[str] = []
    rest = name
    for _ in range(_MAX_QUALIFIERS):
        match = _QUALIFIER.match(rest)
        if not match or match.group(0).strip().lower() in _PREPOSITIONS:
            break
        rest = rest[match.end():]
        found.append(rest)
    return found


def _one_name(text: str) -> bool:
    """A single word or short form ("gemeenten", "NL", "RIEC's"): no name of several words to keep whole."""
    return len(text.split()) == 1


# A plan's reading guide on its involved parties: "Zowel de trekker als de betrokken partijen zijn verantwoordelijk voor
# de uitvoering" (they act) against "partijen die een bijdrage leveren maar niet verantwoordelijk zijn" (they do not).
_INVOLVED = re.compile(r"\bbetrokken(?:\s+partijen|\s+organisaties|\s+diensten)?\b|\binvolved\s+parties\b", re.IGNORECASE)
_ANSWER_FOR = re.compile(r"\b(?:verantwoordelijk\w*|mede-?verantwoordelijk\w*|voeren\s+\w+\s+(?:mee\s+)?uit|responsible)\b",
                         re.IGNORECASE)
_DENIED = re.compile(r"\b(?:niet|geen|zonder|not|no)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")


def involved_parties_act(document: Document) -> bool:
    """True when the plan says its involved parties ("betrokken partijen") answer for its actions along with the lead:
    a sentence of its own text that names them and says they are responsible, without denying it. By default they do
    not act: obligations.md leaves out the parties an action involves ("X te betrekken")."""
    for passage in document.passages:
        if passage.kind != "body" or passage.table_row is not None:
            continue
        for sentence in _SENTENCE.split(passage.text):
            involved = _INVOLVED.search(sentence)
            answer = _ANSWER_FOR.search(sentence)
            if involved and answer and involved.start() < answer.start() and not _DENIED.search(sentence, involved.end(), answer.start()):
                return True
    return False


def document_abbreviations(document: Document) -> dict[str, str]:
    """The document's own list of abbreviations: short form -> expansion as the list writes it.

    The list is the section under a heading "Afkortingen", "Lijst van afkortingen", "Abbreviations" ...:
    table rows (short form | expansion) or lines "LS: lidstaten", "COM – Europese Commissie". Several short
    forms defined at once ("AT, BE, DE: landcodes") name a kind of party, not one body: each stands for itself.
    """
    found: dict[str, str] = {}
    for passage in document.passages:
        if passage.kind != "body" or not in_abbreviation_list(passage.section_path):
            continue
        if passage.table_row is not None:
            cells = [cell for cell in passage.table_row.cells if cell.strip()]
            pairs = [(cells[0], cells[1])] if len(cells) >= 2 else []
        else:
            pairs = []
            for line in passage.text.split("\n"):
                match = _DEFINITION.match(line) or _CODES_DEFINITION.match(line)
                if match:
                    pairs.append((match.group("short"), match.group("long")))
        for short, long in pairs:
            short, long = short.strip(" -•*\u2022"), _TRAILING_PARENTHESIS.sub("", long).strip(" .;")
            long = _LEADING_PARENTHESIS.sub(r"\1 ", long)  # "(minister van) Justitie en Veiligheid": the words belong
            codes = _CODE_LIST.fullmatch(short)
            if codes:
                for code in _LIST_SEPARATORS.split(short):
                    found.setdefault(code, code)
            elif _is_short_form(short, long):
                found.setdefault(short, long)
    return found


_LEADING_PARENTHESIS = re.compile(r"^\(([^()]{1,40})\)\s*")
_CODE_LIST = re.compile(r"[A-Z]{2,5}(?:\s*,\s*[A-Z]{2,5})+")
_CODES_DEFINITION = re.compile(r"^\s*(?P<short>[A-Z]{2,5}(?:\s*,\s*[A-Z]{2,5})+)\s*(?::|=|\t|\s[\u2013\u2014-]\s)\s*(?P<long>\S.{2,})$")


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
