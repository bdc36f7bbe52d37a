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

from conclusio.records import Deadline, Passage, TableRow
from nlp import deadlines as deadline_tagging
from nlp.parties import Parties

ROLE_WORDS: dict[str, tuple[str, ...]] = {
    # words a header of that column has, begins a word with, or (five letters and more) holds in a compound
    "label": ("nr", "no", "nummer", "number", "numéro", "#", "ref"),
    "action": ("actie", "acties", "actiepunt", "maatregel", "activiteit", "action", "measure", "activity",
               "mesure", "activité", "maßnahme", "massnahme", "aktion", "tätigkeit", "omschrijving", "wat"),
    "responsible": ("verantwoordelijk", "actor", "uitvoerder", "trekker", "eigenaar", "wie", "betrokken", "partij",
                    "responsib", "lead", "owner", "who", "responsable", "acteur", "pilote", "chef",
                    "verantwortlich", "zuständig", "akteur", "federführ"),
    "timetable": ("tijdschema", "termijn", "tijdpad", "tijdlijn", "planning", "datum", "deadline", "wanneer",
                  "uiterste", "timing", "timeline", "timetable", "time", "date", "when", "schedule", "calendrier",
                  "échéan", "délai", "zeitplan", "frist", "zeitrahmen", "termin", "zeitraum"),
    "indicator": ("indicator", "resultaat", "resultaten", "output", "prestatie", "kpi", "result", "deliverable",
                  "outcome", "indicateur", "résultat", "indikator", "ergebnis", "meetbaar"),
    "status": ("stand", "status", "voortgang", "progress", "état"),
}
ONGOING = {"doorlopend", "lopend", "permanent", "continu", "voortdurend", "blijvend", "ongoing", "continuous",
           "en cours", "laufend", "fortlaufend", "ständig", "n.v.t.", "nvt", "-", "–"}
_WORD = re.compile(r"[#\w]+", re.UNICODE)
_GLOSSARY_HEADER = re.compile(r"\b(?:afkorting|afkortingen|betekenis|abbreviation|acronym|abréviation|sigle|abkürzung)", re.IGNORECASE)
_LABEL_OPENING = re.compile(r"^\(?\d{1,3}(?:\.\d{1,3}){0,3}[.)]?\s+(?=\S)")
_ROW_LABEL = re.compile(r"^\(?\d{1,3}(?:\.\d{1,3}){0,3}[.)]?$")
_MAX_TIMETABLE_WORDS = 12


@dataclass(frozen=True)
class ColumnRoles:
    """Which column holds what; None where the table has no such column."""

    action: int | None = None
    responsible: int | None = None
    timetable: int | None = None
    label: int | None = None

    @property
    def is_action_table(self) -> bool:
        """A table of actions: an action column and a column saying who acts."""
        return self.action is not None and self.responsible is not None


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
    for column, header in enumerate(headers):
        role = _role_of_header(header)
        if role and role not in roles:
            roles[role] = column
    if "status" in roles:
        # "Actie | Verantwoordelijk | Stand van zaken": a progress report's table restates a plan's actions to
        # report on them; the plan states the obligations, and tracking links this report to them.
        return ColumnRoles(label=roles.get("label"))
    named = {"action", "responsible"} & set(roles)
    missing = [role for role in ("label", "responsible", "timetable", "action") if role not in roles]
    if missing and rows:
        taken = set(roles.values())
        for role, column in _roles_from_content(rows, parties, taken, missing).items():
            roles.setdefault(role, column)
    if not named and "timetable" not in roles:
        # Read from the cells alone, a column of names beside a column of text is as likely a glossary
        # or a list of members: only a column of dates as well makes it a table of actions.
        return ColumnRoles(label=roles.get("label"))
    return ColumnRoles(roles.get("action"), roles.get("responsible"), roles.get("timetable"), roles.get("label"))


def _role_of_header(header: str) -> str | None:
    words = [w.lower() for w in _WORD.findall(header)]
    for role, stems in ROLE_WORDS.items():
        if any(word == stem or (len(stem) > 3 and word.startswith(stem)) or (len(stem) >= 5 and stem in word)
               for word in words for stem in stems):
            return role  # "Tijdschema", "Uitvoeringstermijn", "Eindverantwoordelijke", "Prestatie-indicator"
    return None


def _roles_from_content(rows: list[list[str]], parties: Parties, taken: set[int], wanted: list[str]) -> dict[str, int]:
    """Roles of unnamed columns read from their cells: labels, party names, timetable words, long action text."""
    width = max(len(row) for row in rows)
    columns = [[row[c].strip() for row in rows if c < len(row) and row[c].strip()] for c in range(width)]
    found: dict[str, int] = {}

    def share(cells: list[str], test) -> float:  # type: ignore[no-untyped-def]
        return sum(1 for cell in cells if test(cell)) / len(cells) if cells else 0.0

    free = [c for c in range(width) if c not in taken and columns[c]]
    if "label" in wanted:
        labels = [c for c in free if share(columns[c], lambda cell: _ROW_LABEL.match(cell)) >= 0.8]
        if labels:
            found["label"] = labels[0]
    free = [c for c in free if c not in found.values()]
    if "responsible" in wanted:
        named = [(share(columns[c], parties.names_parties), c) for c in free]
        best = max(named, default=(0.0, None))
        if best[0] >= 0.6:
            found["responsible"] = best[1]
    free = [c for c in free if c not in found.values()]
    if "timetable" in wanted:
        timed = [(share(columns[c], _reads_as_timetable), c) for c in free]
        best = max(timed, default=(0.0, None))
        if best[0] >= 0.6:
            found["timetable"] = best[1]
    free = [c for c in free if c not in found.values()]
    if "action" in wanted and free:
        # The action is the leftmost long text; an indicator column, when there is one, comes after it.
        lengths = {c: sum(len(cell.split()) for cell in columns[c]) / len(columns[c]) for c in free}
        longest = max(lengths.values())
        found["action"] = next(c for c in free if lengths[c] >= 0.6 * longest)
    return found


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
    """The unit of one action row, or None for a row without parties (a heading row, an empty row)."""
    row = passage.table_row
    if row is None or roles.action is None or roles.responsible is None:
        return None
    cells = row.cells
    responsible = cells[roles.responsible] if roles.responsible < len(cells) else ""
    action = cells[roles.action] if roles.action < len(cells) else ""
    actors = parties.of_cell(responsible) if responsible.strip() else []
    if not actors or not action.strip():
        return None
    action = _LABEL_OPENING.sub("", action, count=1) if roles.label is None or roles.label == roles.action else action
    start = _cell_offset(passage.text, row.headers[roles.action] if roles.action < len(row.headers) else "", action)
    timetable = cells[roles.timetable] if roles.timetable is not None and roles.timetable < len(cells) else ""
    return RowUnit(actors, action.strip(), start, start + len(action.strip()), timetable_deadline(nlp, timetable, doc_date))


def _cell_offset(text: str, header: str, cell: str) -> int:
    """Where a cell's text stands in the row's rendered text ("Actie: <cell>")."""
    cell = cell.strip()
    if header:
        found = text.find(f"{header}: {cell}")
        if found >= 0:
            return found + len(header) + 2
    found = text.find(cell)
    return max(found, 0)


def timetable_deadline(nlp: Language, cell: str, doc_date: date | None) -> Deadline | None:
    """The deadline a timetable cell gives, its text as written.

    "doorlopend", "lopend", "permanent" -> none. A bare year is a date here ("2026"), unlike in running
    text. A recurrence with a first date ("2026, daarna jaarlijks") -> that date and the recurrence; several
    dates otherwise ("2026 (start), 2028 (afronding)") -> the last, by which the whole action is due.
    """
    text = " ".join(cell.split())
    if not text or text.lower().strip(" .") in ONGOING:
        return None
    found = [t for t in deadline_tagging.tag_text(nlp, text, doc_date) if t.excluded in (None, "no_temporal_cue", "past")]
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
