"""Obligations from the rows of action tables: action, responsible parties and timetable by column.

An action plan sets its actions out in tables ``Actie | Verantwoordelijke partijen | Tijdschema |
Indicator``. Each row with responsible parties is one unit (shared/spec/obligations.md): its action
is the action cell, its actors the parties of the responsible cell (``nlp.parties``), its deadline
the timetable cell ("doorlopend" -> none, "2026, daarna jaarlijks" -> 2026 and every year), and its
modality a commitment: the rows of an adopted plan are what its parties undertook. The indicator
column is ignored: its years measure, they are not due dates.

Columns get their role from their header, in Dutch, English, French or German, and from their
content when the table has no header or a header of other words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from spacy.language import Language

from conclusio.calendar_words import DUTCH_MONTHS, GERMAN_MONTHS, MONTHS, MONTHS_ANY_LANGUAGE, PERIOD_WORDS_OTHER_LANGUAGES
from conclusio.records import Deadline, Passage, TableRow
from ingest.tables import plain
from ingest.units import labelled_field
from nlp import deadlines as deadline_tagging
from nlp.parties import Parties

ROLE_WORDS: dict[str, tuple[str, ...]] = {
    # words a header of that column has, begins a word with, or (five letters and more) holds in a compound
    "label": ("nr", "no", "n", "nummer", "number", "numéro", "#", "ref", "lfd"),
    "action": ("actie", "acties", "actiepunt", "maatregel", "activiteit", "action", "measure", "activity",
               "mesure", "activité", "maßnahme", "massnahme", "aktion", "tätigkeit", "omschrijving", "beschrijving",
               "wat", "taak", "task", "tâche", "aufgabe", "vorhaben", "description"),
    # who answers for the action: its lead ("Trekker", "Action leader", "Chef de file", "Federführung") ...
    "lead": ("verantwoordelijk", "uitvoerder", "trekker", "eigenaar", "wie", "leider", "coördinat", "coordinat",
             "responsib", "lead", "owner", "who", "responsable", "pilot", "chef",
             "verantwortlich", "zuständig", "federführ", "leitung", "koordinat", "porteur"),
    # ... and whoever takes part in it ("Participants", "Deelnemers", "Beteiligte"): actors too
    # ("Partners" too: a plan names its partners beside the lead as the bodies that carry the action out with it)
    "participant": ("partij", "deelnem", "actor", "particip", "parties", "party", "acteur", "akteur",
                    "beteiligt", "teilnehm", "mitwirk", "contribu", "partner", "partenaire"),
    # whoever is involved ("Betrokken", "Betrokken partijen", "Involved"): no actor (obligations.md: "X te betrekken"
    # leaves X out), unless the plan says they answer for the action too (``Parties.involved_act``)
    "involved": ("betrokken", "betrokkenen", "involved", "impliqu", "associé", "einbezogen"),
    # whoever only helps ("Ondersteuning", "Ondersteunende partners", "In samenwerking met"): no actor (obligations.md)
    "partner": ("ondersteun", "steun", "samenwerking", "support", "stakeholder", "belanghebbend", "soutien",
                "unterstütz", "advis", "advies", "consult", "berat"),
    "timetable": ("tijdschema", "termijn", "tijdpad", "tijdlijn", "planning", "datum", "deadline", "wanneer",
                  "uiterste", "gereed", "einddatum", "afronding", "oplevering", "looptijd", "timing", "timeline",
                  "timetable", "time", "date", "when", "schedule", "due", "calendrier", "échéan", "délai", "zeitplan",
                  "frist", "zeitrahmen", "termin", "zeitraum", "zeitpunkt", "fällig"),
    "indicator": ("indicator", "resultaat", "resultaten", "output", "prestatie", "kpi", "result", "deliverable",
                  "outcome", "indicateur", "résultat", "livrable", "indikator", "ergebnis", "meetbaar", "streef", "target"),
    "status": ("stand", "status", "voortgang", "progress", "état", "avancement"),
}
# A header with words of several roles takes the most specific: "Action leader" names a lead, "Actietermijn" a
# timetable ("action" only qualifies), "Lead partner" a lead, "Ondersteunende partijen" partners.
ROLE_PRECEDENCE = ("status", "timetable", "indicator", "lead", "partner", "involved", "participant", "label", "action")
RESPONSIBLE_ROLES = ("lead", "participant")
ONGOING = {"doorlopend", "lopend", "permanent", "continu", "voortdurend", "blijvend", "ongoing", "continuous",
           "en cours", "laufend", "fortlaufend", "ständig", "n.v.t.", "nvt", "-", "–"}
_WORD = re.compile(r"[#\w]+", re.UNICODE)
_GLOSSARY_HEADER = re.compile(r"\b(?:afkorting|afkortingen|betekenis|abbreviation|acronym|abréviation|sigle|abkürzung)", re.IGNORECASE)
_LABEL_OPENING = re.compile(r"^\(?\d{1,3}(?:\.\d{1,3}){0,3}[.)]?\s+(?=\S)")
_ROW_LABEL = re.compile(r"^\(?(?:[A-Z]\.)?\d{1,3}(?:\.\d{1,3}){0,3}[.)]?$")  # "1.2", "B.1"
_MAX_TIMETABLE_WORDS = 12
# A footnote's mark after a cell's value ("DNB¹", "2027³", "doorlopend²"): no part of the party or the date.
_FOOTNOTE_MARK = re.compile(r"(?<=\S)[\u00b9\u00b2\u00b3\u2070-\u2079]+(?=\s|[,;.)]|$)")


@dataclass(frozen=True)
class ColumnRoles:
    """Which column holds what; None where the table has no such column."""

    action: int | None = None
    responsible: int | None = None  # the first column of parties: the lead where the table names one
    timetable: int | None = None
    label: int | None = None
    participants: tuple[int, ...] = ()  # further columns of parties ("Betrokken partijen", "Participants")
    status: int | None = None  # a roadmap's column of progress ("Stand van zaken", "Status"): no part of the action

    @property
    def is_action_table(self) -> bool:
        """A table of actions: an action column and a column saying who acts."""
        return self.action is not None and self.responsible is not None

    @property
    def responsible_columns(self) -> tuple[int, ...]:
        """Every column whose parties act: the lead first, then the participants in column order."""
        return ((self.responsible,) if self.responsible is not None else ()) + self.participants


@dataclass(frozen=True)
class RowUnit:
    """What one action row says: who does what by when, with where its action stands in the row's text."""

    actors: list[str]
    action: str
    action_start: int  # offsets of the action cell in the passage text
    action_end: int
    deadline: Deadline | None


def column_roles(headers: list[str], rows: list[list[str]], parties: Parties) -> ColumnRoles:
    """Column roles from the header words, completed from the cells where headers say nothing."""
    if any(_GLOSSARY_HEADER.search(header) for header in headers):
        return ColumnRoles()  # "Afkorting | Betekenis": a list of abbreviations, whose first column names bodies
    roles: dict[str, int] = {}
    responsible: list[tuple[int, int]] = []  # (rank: lead before participant, column)
    named_columns: set[int] = set()
    for column, header in enumerate(headers):
        role = _role_of_header(header)
        if role is None:
            continue
        if role == "involved":
            role = "participant" if parties.involved_act else "partner"
        named_columns.add(column)
        if role in RESPONSIBLE_ROLES:
            responsible.append((RESPONSIBLE_ROLES.index(role), column))
        elif role not in roles:
            roles[role] = column
    named = bool({"action"} & set(roles)) or bool(responsible)
    missing = [role for role in ("label", "responsible", "timetable", "action") if role not in roles]
    unnamed = [column for column in range(len(headers)) if column not in named_columns]
    if rows and (missing or (responsible and unnamed)):
        found = _roles_from_content(rows, parties, named_columns, missing, want_more_parties=bool(responsible))
        for role, column in found.items():
            if role != "responsible":
                roles.setdefault(role, column)  # type: ignore[arg-type]
        responsible += [(len(RESPONSIBLE_ROLES), column) for column in found.get("responsible", [])]  # type: ignore[union-attr]
    if not named and "timetable" not in roles:
        # Read from the cells alone, a column of names beside a column of text is as likely a glossary
        # or a list of members: only a column of dates as well makes it a table of actions.
        return ColumnRoles(label=roles.get("label"))
    ordered = [column for _, column in sorted(responsible)]
    return ColumnRoles(roles.get("action"), ordered[0] if ordered else None, roles.get("timetable"), roles.get("label"),
                       tuple(ordered[1:]), roles.get("status"))


def _role_of_header(header: str) -> str | None:
    words = [w.lower() for w in _WORD.findall(header)]
    found = {role for role, stems in ROLE_WORDS.items()
             if any(word == stem or (len(stem) > 3 and word.startswith(stem)) or (len(stem) >= 5 and stem in word)
                    for word in words for stem in stems)}
    # "Tijdschema", "Uitvoeringstermijn", "Eindverantwoordelijke", "Prestatie-indicator", "Action leader"
    return next((role for role in ROLE_PRECEDENCE if role in found), None)


def _roles_from_content(rows: list[list[str]], parties: Parties, taken: set[int], wanted: list[str],
                        want_more_parties: bool = False) -> dict[str, int | list[int]]:
    """Roles of unnamed columns read from their cells: labels, party names, timetable words, long action text.

    Every column of party names acts ("NP | OM, KMar": lead and participants); with ``want_more_parties`` the
    header already named the lead, and an unnamed column of party names joins it."""
    width = max(len(row) for row in rows)
    columns = [[row[c].strip() for row in rows if c < len(row) and row[c].strip()] for c in range(width)]
    found: dict[str, int | list[int]] = {}

    def share(cells: list[str], test) -> float:  # type: ignore[no-untyped-def]
        return sum(1 for cell in cells if test(cell)) / len(cells) if cells else 0.0

    free = [c for c in range(width) if c not in taken and columns[c]]
    if "label" in wanted:
        labels = [c for c in free if share(columns[c], lambda cell: _ROW_LABEL.match(cell)) >= 0.8]
        if labels:
            found["label"] = labels[0]
    free = [c for c in free if c != found.get("label")]
    if "responsible" in wanted or want_more_parties:
        # A placeholder ("n.t.b.", "TBD", "–") stands where a party will be named: it neither counts for nor against.
        named = [c for c in free if _reads_as_parties(columns[c], parties)]
        if named:
            found["responsible"] = named
    free = [c for c in free if c not in found.get("responsible", [])]  # type: ignore[operator]
    if "timetable" in wanted:
        # An indicator column has years too ("in 2028 ten minste 40 netwerken"): of the columns that read as dates,
        # the timetable is the one most often so, then the one of the shortest cells.
        timed = [(share(columns[c], _reads_as_timetable), -_mean_words(columns[c]), c) for c in free]
        best = max(timed, default=(0.0, 0.0, None))
        if best[0] >= 0.6:
            found["timetable"] = best[2]  # type: ignore[assignment]
    free = [c for c in free if c != found.get("timetable")]
    if "action" in wanted and free:
        # The action is the leftmost long text; an indicator column, when there is one, comes after it.
        lengths = {c: _mean_words(columns[c]) for c in free}
        longest = max(lengths.values())
        found["action"] = next(c for c in free if lengths[c] >= 0.6 * longest)
    return found


_PARTY_CELLS = 0.6  # share of a column's cells that must read as parties
_KNOWN_NAMES = 0.4  # share of the names in it that the gazetteer or the document's list must know


def _reads_as_parties(cells: list[str], parties: Parties) -> bool:
    """A column of parties: most cells list names that could be parties, and many of them are known ones. A
    placeholder ("n.t.b.", "TBD", "–") stands where a party will be named: it counts neither for nor against."""
    cells = [cell for cell in cells if not parties.names_no_one(cell)]
    readings = [parties.reads_as_parties(cell) for cell in cells]
    read = [r for r in readings if r is not None]
    if not cells or len(read) < _PARTY_CELLS * len(cells):
        return False
    return sum(known for known, _ in read) >= _KNOWN_NAMES * sum(names for _, names in read)


def _mean_words(cells: list[str]) -> float:
    return sum(len(cell.split()) for cell in cells) / len(cells) if cells else 0.0


_TIMETABLE_WORD = re.compile(
    r"\b(?:19|20)\d\d\b|\b[QqKkHh][1-4]\b|jaarlijks|kwartaal|helft|halfjaar|medio|begin|eind|voorjaar|zomer|najaar|"
    r"winter|doorlopend|lopend|permanent|ongoing|annual|quarter|semester|maand|januari|februari|maart|april|mei|juni|"
    r"juli|augustus|september|oktober|november|december",
    re.IGNORECASE,
)


def _reads_as_timetable(cell: str) -> bool:
    return len(cell.split()) <= _MAX_TIMETABLE_WORDS and bool(_TIMETABLE_WORD.search(cell))


def table_roles(rows: list[Passage], parties: Parties) -> ColumnRoles:
    """The roles of one table's columns, from the header and the cells of all its rows."""
    first: TableRow = rows[0].table_row  # type: ignore[assignment]
    return column_roles(first.headers, [p.table_row.cells for p in rows if p.table_row], parties)


def row_unit(nlp: Language, passage: Passage, roles: ColumnRoles, parties: Parties, doc_date: date | None) -> RowUnit | None:
    """The unit of one action row, or None for a row without parties (a heading row, an empty row) or one the plan
    dropped. A row whose party cells are empty gives a unit without actors: its action may name them itself
    ("De Commissie zal ..."), and the caller reads it so."""
    row = passage.table_row
    if row is None or roles.action is None or roles.responsible is None:
        return None
    cells = [_FOOTNOTE_MARK.sub("", cell) for cell in _realigned(row.cells, roles, parties)]
    action = cells[roles.action] if roles.action < len(cells) else ""
    if not action.strip() or is_dropped(action, cells[roles.status] if roles.status is not None and roles.status < len(cells) else ""):
        return None
    actors: list[str] = []
    named = False
    for column in roles.responsible_columns:
        if column < len(cells) and cells[column].strip():
            named = True
            actors += [actor for actor in parties.of_cell(cells[column]) if actor not in actors]
    if not actors and named:
        return None  # "n.t.b.", "–": no party yet
    if actors:
        actors += [actor for actor in parties.co_actors(action) if actor not in actors]
    action = _LABEL_OPENING.sub("", action, count=1) if roles.label is None or roles.label == roles.action else action
    start = _cell_offset(passage.text, row.headers[roles.action] if roles.action < len(row.headers) else "", action)
    timetable = cells[roles.timetable] if roles.timetable is not None and roles.timetable < len(cells) else ""
    return RowUnit(actors, action.strip(), start, start + len(action.strip()), timetable_deadline(nlp, timetable, doc_date))


# A measure the plan no longer carries out: "vervallen (opgenomen in 1.6)", "geschrapt", "withdrawn", "supprimée".
_DROPPED = re.compile(
    r"^\W*(?:vervallen|vervalt|komt te vervallen|geschrapt|ingetrokken|geannuleerd|afgevoerd|niet (?:langer|meer) van toepassing|"
    r"dropped|deleted|withdrawn|cancell?ed|discontinued|abandoned|no longer (?:applicable|pursued)|"
    r"supprim[ée]e?s?|abandonn[ée]e?s?|annul[ée]e?s?|retir[ée]e?s?|sans objet|entf[aä]ll(?:t|en)|gestrichen|zurückgezogen|"
    r"aufgehoben)\b",
    re.IGNORECASE,
)
_MAX_DROPPED_ACTION_WORDS = 6


def is_dropped(action: str, status: str) -> bool:
    """True for a row the plan dropped: its status says so ("vervallen", "geschrapt", "withdrawn"), or its action cell
    is no more than that ("Vervallen.", "Vervallen (zie 5.1)."). A row done or delayed is still a measure."""
    if _DROPPED.match(status.strip()):
        return True
    return bool(_DROPPED.match(action.strip())) and len(action.split()) <= _MAX_DROPPED_ACTION_WORDS


def _realigned(cells: list[str], roles: ColumnRoles, parties: Parties) -> list[str]:
    """A row that lacks a cell before its last, read where its cells belong. A Markdown row with a cell too few
    ("3.2 | De Commissie zal ... | eind 2026 | lopend |") puts its date under the parties and its status under the
    date; when the party cell reads as a date and names no one, and the last cell is empty, the cells from the
    party column on move one column right."""
    party, timetable = roles.responsible, roles.timetable
    if party is None or timetable is None or timetable <= party or len(cells) <= timetable or cells[-1].strip():
        return cells
    cell = cells[party].strip()
    if not cell or not _reads_as_timetable(cell) or parties.reads_as_parties(cell) is not None or parties.is_party(cell):
        return cells
    return cells[:party] + [""] + cells[party:-1]


def _cell_offset(text: str, header: str, cell: str) -> int:
    """Where a cell's text stands in the row's rendered text ("Actie: <cell>")."""
    cell = cell.strip()
    if header:
        found = text.find(f"{header}: {cell}")
        if found >= 0:
            return found + len(header) + 2
    found = text.find(cell)
    return max(found, 0)


# Words of a timetable cell in another language, and the Dutch ones the deadline tagger reads.
_OTHER_LANGUAGE_WORDS = PERIOD_WORDS_OTHER_LANGUAGES | {
    name: DUTCH_MONTHS[number - 1] for name, number in (MONTHS_ANY_LANGUAGE | GERMAN_MONTHS).items() if name not in MONTHS
}
_OTHER_LANGUAGE_WORD = re.compile(
    r"(?<![\w'])(" + "|".join(re.escape(w) for w in sorted(_OTHER_LANGUAGE_WORDS, key=len, reverse=True)) + r")(?![\w'])",
    re.IGNORECASE,
)
# "T2 2027" (trimestre) is the second quarter, "S1 2027" (semestre) the first half-year: "Q2", "H1" in the tagger's codes.
_QUARTER_CODE = re.compile(r"\b[Tt]([1-4])\b")
_HALF_CODE = re.compile(r"\b[Ss]([12])\b")
# An ordinal in figures before a quarter or half-year: "1. Quartal", "III. Quartal", "1er trimestre", "2ème semestre".
_ORDINAL_FIGURE = re.compile(r"\b([1-4]|I{1,3}|IV)(?:\.|er|re|ère|e|ème|nd|rd|st|th)?\s*"
                             r"(?=(?:quartal|halbjahr|jahreshälfte|hälfte|trimestre|semestre|quarter|half)\b)", re.IGNORECASE)
_FIGURE_HALF = re.compile(r"\b([12]e) half\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# "mi-2027", "Mitte-2027", "mid-2027": a word joined to the year it qualifies.
_JOINED_YEAR = re.compile(r"(?<=[^\W\d_])-(?=(?:19|20)\d\d\b)")


def timetable_in_dutch(cell: str) -> str:
    """A timetable cell in the Dutch words the deadline tagger reads: codes and words of action tables written
    under French, German or English headers ("T4 2026, puis annuel" -> "Q4 2026, daarna jaarlijks",
    "2. Halbjahr 2027" -> "2e helft 2027", "Ende 2026" -> "eind 2026"). Dutch words are left as they are."""
    text = _JOINED_YEAR.sub(" ", cell)
    text = _QUARTER_CODE.sub(r"Q\1", text)
    text = _HALF_CODE.sub(r"H\1", text)
    text = _ORDINAL_FIGURE.sub(lambda m: f"{_ROMAN.get(m.group(1).lower(), m.group(1))}e ", text)
    text = _OTHER_LANGUAGE_WORD.sub(lambda m: _OTHER_LANGUAGE_WORDS[m.group(1).lower()], text)
    return _FIGURE_HALF.sub(r"\1 helft", text)  # "1st half 2027", read "1e half": the half-year, not mid-year


def timetable_deadline(nlp: Language, cell: str, doc_date: date | None) -> Deadline | None:
    """The deadline a timetable cell gives, its text as written.

    "doorlopend", "lopend", "permanent" -> none. A bare year is a date here ("2026"), unlike in running
    text. A recurrence with a first date ("2026, daarna jaarlijks") -> that date and the recurrence; several
    dates otherwise ("2026 (start), 2028 (afronding)") -> the last, by which the whole action is due. Cells
    in French, German or English period words are read as their Dutch equivalent (``timetable_in_dutch``).
    """
    text = " ".join(cell.split())
    read = timetable_in_dutch(text)
    if not text or read.lower().strip(" .") in ONGOING:
        return None
    found = [t for t in deadline_tagging.tag_text(nlp, read, doc_date) if t.excluded in (None, "no_temporal_cue", "past")]
    if not found:
        return None
    deadlines = [t.deadline for t in found]
    recurring = next((d for d in deadlines if d.recurrence), None)
    dated = [d for d in deadlines if d.end is not None]
    if recurring is not None:
        merged = deadline_tagging.merge_recurrence(deadlines)
        return Deadline(text, merged.start, merged.end, merged.granularity, recurring.recurrence) if merged else None
    if not dated:
        first = deadlines[0]
        return Deadline(text, first.start, None, first.granularity if first.end else None, None)
    last = max(dated, key=lambda d: d.end or "")
    return Deadline(text, min(d.start or d.end or "" for d in dated) or None, last.end, last.granularity, None)


@dataclass(frozen=True)
class FieldRecord:
    """A measure set out field by field ("Maatregel: ... / Trekker: ... / Timing: ..."), as paragraphs or as a
    two-column table of label and value: read as one row whose headers are its labels."""

    passages: list[Passage]  # the paragraphs or table rows it is written in, in order
    row: TableRow
    roles: ColumnRoles
    label: str | None = None  # the measure's number where its paragraph opens with it ("Actie C.1 – ...")


def field_records(passages: list[Passage], parties: Parties) -> list[FieldRecord]:
    """The measures a document sets out field by field, in document order.

    Fields are consecutive paragraphs "Label: value" under one heading, or the rows of a two-column table whose
    first column holds the labels ("Veld | Inhoud", or no header at all). A record ends where a label of a role it
    already has comes again (the next measure's "Maatregel:"). Only a record whose labels name an action and who
    carries it out (the header words of action tables: Maatregel, Actie, Action; Trekker, Lead, Pilote, Partners,
    Verantwoordelijke ...) is one: a two-column glossary or a header block is none."""
    runs: list[list[tuple[Passage, str, str]]] = []
    open_run: list[tuple[Passage, str, str]] = []
    previous: Passage | None = None
    records: list[FieldRecord] = []
    for passage in passages:
        inline = _inline_record(passage, parties)
        if inline is not None:
            # a measure in one paragraph, its fields labelled inline: a record of its own
            if open_run:
                runs.append(open_run)
                open_run = []
            records.append(inline)
            previous = passage
            continue
        field = _field_of(passage)
        joins = (field is not None and previous is not None and open_run
                 and _same_container(open_run[-1][0], passage) and previous is open_run[-1][0])
        if field is not None and not joins and open_run:
            runs.append(open_run)
            open_run = []
        if field is not None:
            open_run.append((passage, *field))
        elif open_run:
            runs.append(open_run)
            open_run = []
        previous = passage
    if open_run:
        runs.append(open_run)
    for run in runs:
        for fields in _split_records(run):
            headers, cells = [label for _, label, _ in fields], [value for _, _, value in fields]
            roles = column_roles(headers, [], parties)  # a record names every field: its labels alone say the roles
            if not roles.is_action_table:
                continue
            first = fields[0][0]
            table = first.table_row.table if first.table_row else 0
            title = first.table_row.title if first.table_row else (first.section_path[-1] if first.section_path else None)
            row = TableRow(table=table, row=1, headers=headers, cells=cells, label=None, title=title)
            written_in: list[Passage] = []
            for passage, _, _ in fields:
                if not any(passage is p for p in written_in):
                    written_in.append(passage)
            records.append(FieldRecord(written_in, row, roles))
    return sorted(records, key=lambda record: record.passages[0].char_start)


# A field labelled inside a paragraph, at the start of a sentence: "... indienen. Verantwoordelijke: minister van
# Justitie en Veiligheid. Planning: Q2 2027. Stand: ..." (the labels bold in the source, plain in its text).
_INLINE_LABEL = re.compile(r"(?:(?<=[.;!?])\s+|^)(?P<label>[A-ZÀ-Ý][^\W\d_]*(?:[ -][^\W\d_]+){0,2})\s?:\s+(?=\S)")
# The measure's number and title opening the paragraph: "Actie C.1 – Afpakken zonder veroordeling. "
_MEASURE_TITLE = re.compile(
    r"^(?P<label>(?:Actie|Maatregel|Action|Measure|Mesure|Maßnahme|Activiteit)\s+[A-Z]?\d{0,3}(?:\.\d{1,3})*[a-z]?)"
    r"\s*(?:[\u2013\u2014:-]\s*[^.:]{1,120}?)?[.:]\s+(?=\S)")
_MIN_INLINE_FIELDS = 2


def _inline_record(passage: Passage, parties: Parties) -> FieldRecord | None:
    """A measure written as one paragraph with its fields labelled inline ("Actie C.1 – Titel. <action>.
    Verantwoordelijke: X. Planning: Q2 2027. Stand: ..."): its action the text before the first label, after the
    measure's number and title; a record only when its labels name who carries it out."""
    if passage.kind != "body" or passage.table_row is not None:
        return None
    text = passage.text.strip()
    found = [m for m in _INLINE_LABEL.finditer(text) if m.start("label") > 0 and _role_of_header(m.group("label"))]
    if len(found) < _MIN_INLINE_FIELDS:
        return None
    title = _MEASURE_TITLE.match(text)
    action = text[title.end() if title else 0: found[0].start()].strip()
    if not action:
        return None
    headers, cells = ["Actie"], [action]
    for match, following in zip(found, [*found[1:], None], strict=True):
        headers.append(match.group("label"))
        cells.append(text[match.end(): following.start() if following else len(text)].strip().rstrip("."))
    roles = column_roles(headers, [], parties)
    if not roles.is_action_table or roles.action != 0:
        return None
    title_path = passage.section_path[-1] if passage.section_path else None
    row = TableRow(table=0, row=1, headers=headers, cells=cells, label=title.group("label") if title else None,
                   title=title_path)
    return FieldRecord([passage], row, roles, title.group("label") if title else None)


_MAX_FIELD_LABEL_WORDS = 4


def _field_of(passage: Passage) -> tuple[str, str] | None:
    """(label, value) for a paragraph "Label: value" or a row of a two-column table of label and value."""
    if passage.kind != "body":
        return None
    row = passage.table_row
    if row is not None:
        cells = [plain(cell) for cell in row.cells]
        if len(cells) != 2 or not cells[0] or not cells[1]:
            return None
        label = cells[0].rstrip(" :")
        return (label, cells[1]) if len(label.split()) <= _MAX_FIELD_LABEL_WORDS else None
    # Fields of no role ("Budget: ...") belong to the record all the same; the record's labels decide what it is.
    return labelled_field(passage.text)


def _same_container(first: Passage, second: Passage) -> bool:
    """Two fields of one run: paragraphs under the same heading, or rows of the same table."""
    if (first.table_row is None) != (second.table_row is None):
        return False
    if first.table_row is not None and second.table_row is not None:
        return first.table_row.table == second.table_row.table
    return first.section_path == second.section_path


def _split_records(run: list[tuple[Passage, str, str]]) -> list[list[tuple[Passage, str, str]]]:
    """A run of fields cut where a role comes again: each measure's fields apart. A table whose header row is a field
    itself ("Maatregel | ..." marked as the header) opens with it."""
    first = run[0][0].table_row
    if first is not None and first.row == 1 and len(first.headers) == 2 and _role_of_header(first.headers[0]):
        run = [(run[0][0], first.headers[0].rstrip(" :"), first.headers[1]), *run]
    records: list[list[tuple[Passage, str, str]]] = [[]]
    seen: set[str] = set()
    for field in run:
        role = _role_of_header(field[1]) or field[1].lower()
        if role in seen:
            records.append([])
            seen = set()
        seen.add(role)
        records[-1].append(field)
    return [record for record in records if record]
