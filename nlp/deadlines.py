"""Dutch temporal tagger and deadline normaliser (shared/spec/deadlines.md).

Temporal expressions are found with a spaCy token ``Matcher`` whose patterns live in
``nlp/data/deadline_patterns.json``; each match is widened to its preposition ("tegen",
"in de loop van", "vóór" ...) and normalised to a ``Deadline``. Matches that are not due
dates are kept apart with a reason: a period that names a plan ("EU-drugsstrategie
2021-2025"), a date before the document's date, or a date in a past-tense clause.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from conclusio import calendar_words
from conclusio.records import Deadline
from nlp.annotate import sentences
from nlp.periods import NUMERIC_DATE_RE, RANGE_RE, YEAR_RE, Period, add_span, day_before, interpret
from nlp.windows import match_near_triggers

DEFAULT_PATTERNS = Path(__file__).parent / "data" / "deadline_patterns.json"
SPAN_KEY = "deadlines"
COMPONENT = "conclusio_deadline_tagger"
# Words that make a bare year or range the name of a plan, cycle or edition ("Empact 2022-2025").
PLAN_NOUN_ENDINGS = (
    "strategie",
    "plan",
    "plannen",
    "cyclus",
    "programma",
    "agenda",
    "kader",
    "oap",
    "prioriteit",
    "prioriteiten",
    "verslag",
    "begroting",
    "socta",
    "routekaart",
    "stappenplan",
)
PAST_MARKERS = {"heeft", "hebben", "had", "hadden", "werd", "werden", "was", "waren"}
FUTURE_MARKERS = {"zal", "zullen", "moet", "moeten", "dient", "dienen", "voornemens", "verwacht", "beginnen"}
CLAUSE_BOUNDARIES = {",", ";", ":", "(", ")", "die", "dat", "waarvan", "waarin", "waarbij", "welke", "wat"}
TEMPORAL_PREPOSITIONS = {"in", "tegen", "uiterlijk", "vanaf", "tot", "tijdens", "gedurende", "op", "vóór", "rond"}

if not Span.has_extension("deadline"):
    Span.set_extension("deadline", default=None)
if not Doc.has_extension("doc_date"):
    Doc.set_extension("doc_date", default=None)
if not Doc.has_extension("entry_into_force"):
    Doc.set_extension("entry_into_force", default=None)  # the date the document says its act enters into force

# "binnen zes maanden na de goedkeuring van deze conclusies / van dit actieplan": counted from the date the
# document itself was adopted, which for conclusions and adopted plans is the document's date.
ADOPTION_NOUNS = {"goedkeuring", "aanneming", "vaststelling", "bekendmaking", "publicatie", "ondertekening",
                  "indiening", "presentatie", "aanvaarding"}
BARE_ADOPTION_NOUNS = {"goedkeuring", "aanneming", "vaststelling", "aanvaarding"}
OWN_DOCUMENT_NOUNS = {"conclusies", "actieplan", "plan", "strategie", "verklaring", "routekaart", "stappenplan",
                      "mededeling", "verslag", "besluit", "resolutie", "document", "agenda", "programma", "nota",
                      "aanbeveling", "aanbevelingen", "kader"}
ENTRY_INTO_FORCE_NOUNS = {"inwerkingtreding"}
_ANCHOR_WORDS = {"na", "nadat", "vanaf", "volgend", "volgende", "te", "rekenen"}


@dataclass(frozen=True)
class TaggedDeadline:
    """A temporal expression found in a text, normalised; ``excluded`` says why it is no due date."""

    deadline: Deadline
    label: str
    start_char: int
    end_char: int
    excluded: str | None = None


# The granularity a label is written at, for a date that does not exist ("30 februari").
_GRANULARITY = {"DAY": "day", "MONTH": "month", "SEASON": "season", "QUARTER": "quarter", "PART_YEAR": "quarter",
                "HALF": "half", "YEAR": "year", "YEARS": "years", "SPAN": "day"}

TRIGGER_SETS = ("@month", "@season", "@recurrence_adverb", "@unit", "@once")
TRIGGER_WORDS = {"helft", "jaarhelft", "halfjaar", "semester", "kwartaal", "q1", "q2", "q3", "q4", "k1", "k2", "k3", "k4", "h1", "h2"}


def word_sets() -> dict[str, list[str]]:
    """The ``@set`` placeholders the patterns use, filled from the one calendar word table."""
    return {
        "@month": list(calendar_words.DUTCH_MONTHS),
        "@part": list(calendar_words.PART_OF_YEAR),
        "@quarter_ordinal": list(calendar_words.ORDINALS),
        "@half_ordinal": list(calendar_words.HALF_ORDINALS),
        "@season": list(calendar_words.SEASON_START),
        "@rel_year_word": list(calendar_words.NEXT_YEAR_WORDS),
        "@number": list(calendar_words.NUMBER_WORDS),
        "@unit": list(calendar_words.TIME_UNITS),
        "@recurrence_adverb": list(calendar_words.RECURRENCES),
        "@every": list(calendar_words.EVERY_WORDS),
        "@once": list(calendar_words.ONCE_WORDS),
    }


def load_patterns(path: Path = DEFAULT_PATTERNS) -> tuple[list[tuple[str, list[dict]]], list[list[str]]]:
    """Matcher patterns (with ``@set`` placeholders expanded) and preposition sequences from a data file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    sets = word_sets()
    sets["@triggers"] = sorted(TRIGGER_WORDS.union(*(sets[name] for name in TRIGGER_SETS)))

    def expand(value: object) -> object:
        if isinstance(value, str) and value in sets:
            return sets[value]
        if isinstance(value, dict):
            return {key: expand(item) for key, item in value.items()}
        return value

    patterns = [(entry["label"], [expand(token) for token in entry["pattern"]]) for entry in data["patterns"]]
    prepositions = sorted(data["prepositions"], key=len, reverse=True)
    patterns.append(("@triggers", [expand("@triggers")]))  # type: ignore[list-item]
    return patterns, prepositions


class DeadlineTagger:
    """Finds and normalises temporal expressions; as a pipeline component it fills ``doc.spans["deadlines"]``."""

    def __init__(self, vocab, patterns_path: Path = DEFAULT_PATTERNS):
        patterns, self.prepositions = load_patterns(patterns_path)
        trigger_words = next(p[0] for label, p in patterns if label == "@triggers")
        self.trigger_lowers = {vocab.strings.add(w) for w in trigger_words}
        self.trigger_shapes = {
            vocab.strings.add(shape)
            for _, pattern in patterns
            if isinstance(pattern, list)
            for token in pattern
            if isinstance(token, dict)
            for shape in _shapes(token)
        }
        self.matcher = Matcher(vocab)
        for label, pattern in patterns:
            if label != "@triggers":
                self.matcher.add(label, [pattern])

    def __call__(self, doc: Doc) -> Doc:
        doc_date = _as_date(doc._.doc_date)
        spans = []
        for tagged in self.tag(doc, doc_date):
            if tagged.excluded is None:
                span = doc.char_span(tagged.start_char, tagged.end_char, label=tagged.label)
                if span is not None:
                    span._.deadline = tagged.deadline
                    spans.append(span)
        doc.spans[SPAN_KEY] = spans
        return doc

    def tag(self, doc: Doc, doc_date: date | None) -> list[TaggedDeadline]:
        """Every temporal expression in ``doc`` with its normalised form and, if any, why it is excluded."""
        # The longest patterns reach 5 tokens before a trigger word and 4 after it.
        matches = match_near_triggers(self.matcher, doc, self.trigger_lowers, self.trigger_shapes, 5, 4)
        matches = [span for span in matches if all(_valid_number(token.text) for token in span if token.text[:1].isdigit())]
        found = []
        for core in sorted(filter_spans(matches), key=lambda span: span.start):
            preposition = self._preposition_before(doc, core.start)
            start = core.start - len(preposition)
            note = None
            end = core.end
            try:
                period, recurrence = interpret(core.label_, [t.lower_ for t in core], doc_date, _next_word(doc, core.end))
                if preposition and preposition[0] in {"vóór", "voor"} and core.label_ in {"DAY", "MONTH"}:
                    period = day_before(period)
                if core.label_ == "SPAN" and period.end is None:
                    period, end = _anchored_span(doc, core, doc_date, period)
            except (ValueError, OverflowError) as error:
                # "30 februari 2026", or a period past year 9999: the words stay, the date is unknown.
                period, recurrence = Period(None, None, _GRANULARITY.get(core.label_)), None
                note = f"no such date: {core.text} ({error})"
            text = doc[start:end].text
            deadline = Deadline(
                text=text,
                start=_iso(period.start),
                end=_iso(period.end),
                granularity=period.granularity,
                recurrence=recurrence,
                note=note,
            )
            excluded = self._exclusion(doc, core, preposition, period, doc_date)
            found.append(TaggedDeadline(deadline, core.label_, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), excluded))
        return found

    def _preposition_before(self, doc: Doc, start: int) -> list[str]:
        before = [t.lower_ for t in doc[max(0, start - 5) : start]]
        for sequence in self.prepositions:
            if len(sequence) <= len(before) and before[len(before) - len(sequence) :] == sequence:
                return sequence
        return []

    def _exclusion(self, doc: Doc, core: Span, preposition: list[str], period: Period, doc_date: date | None) -> str | None:
        if core.label_ in {"YEAR", "YEARS"} and core[0].lower_ not in {"de", "het", "dit", "volgend", "volgende", "komend", "komende"}:
            reason = _bare_year_reason(doc, core, preposition)
            if reason:
                return reason
        if doc_date is not None and period.end is not None and period.end < doc_date:
            return "past"
        if _in_past_tense_clause(doc, core):
            return "past_tense"
        return None


def _anchored_span(doc: Doc, core: Span, doc_date: date | None, period: Period) -> tuple[Period, int]:
    """A span counted from an event the text names ("binnen zes maanden na de goedkeuring van dit actieplan"):
    the period from that event's date, when the document gives it, and where the expression ends.

    The adoption of the document itself ("van dit actieplan", or no "van ..." at all: "na aanneming") dates from
    the document's date; the entry into force of an act from the date the document says it enters into force
    (``Doc._.entry_into_force``), else it stays open.
    """
    words = [t.lower_ for t in core]
    amount, unit = _amount_and_unit(words)
    i = core.end
    if i >= len(doc) or doc[i].lower_ not in {"na", "vanaf"}:
        return period, core.end
    i += 1
    if i < len(doc) and doc[i].lower_ in {"de", "het"}:
        i += 1
    if i >= len(doc) or doc[i].lower_ not in ADOPTION_NOUNS | ENTRY_INTO_FORCE_NOUNS:
        return period, core.end
    event = doc[i].lower_
    end = i + 1
    if end < len(doc) and doc[end].lower_ == "van":
        end += 1
        determiner = doc[end].lower_ if end < len(doc) else ""
        end += 1 if determiner in {"de", "het", "deze", "dit", "dat", "die", "onderhavige"} else 0
        while end < len(doc) and doc[end].is_alpha and doc[end].lower_.endswith("e") and doc[end].is_lower and end + 1 < len(doc) and doc[end + 1].is_alpha:
            end += 1  # "de herziene verordening": adjectives before the noun
        written = doc[end].text if end < len(doc) else ""
        if end < len(doc) and doc[end].is_alpha:
            end += 1
        own = determiner in {"deze", "dit", "onderhavige"} and _names_own_document(written)
    else:
        # "binnen twaalf maanden na aanneming", "na de goedkeuring door de Raad": nothing else is named as adopted,
        # so it is the document itself; "na de goedkeuring ervan" points back at something named before, and a bare
        # "na indiening" or "na publicatie" at a proposal or report the text is about, not at the document.
        own = event in BARE_ADOPTION_NOUNS and not (end < len(doc) and doc[end].lower_ in {"ervan", "daarvan"})
    anchor: date | None = None
    if event in ADOPTION_NOUNS and own:
        anchor = doc_date
    elif event in ENTRY_INTO_FORCE_NOUNS and doc._.entry_into_force:
        anchor = _as_date(doc._.entry_into_force)
    if anchor is None or amount is None:
        return period, end
    return Period(anchor, add_span(anchor, amount, unit), "day"), end


def _names_own_document(noun: str) -> bool:
    """ "dit actieplan", "dit uitvoeringsplan", "deze actieagenda", "dit OAP": a noun for a document of the kind
    that states plans (a compound on one, or a document's own short form), after "deze/dit"."""
    lowered = noun.lower()
    return lowered.endswith(tuple(OWN_DOCUMENT_NOUNS)) or bool(_DOCUMENT_SHORT_FORM.fullmatch(noun))


_DOCUMENT_SHORT_FORM = re.compile(r"[A-Z]{2,6}")


def _amount_and_unit(words: list[str]) -> tuple[int | None, str]:
    numbers = [calendar_words.NUMBER_WORDS.get(w) or (int(w) if w.isdigit() else None) for w in words]
    amount = next((n for n in numbers if n), None)
    unit = next((w for w in words if w in calendar_words.TIME_UNITS), "maanden")
    return amount, unit


_ENTRY_INTO_FORCE = re.compile(
    r"(?:treedt|treden|trad|traden)\b[^.;]{0,80}?\bin werking\b[^.;]{0,20}?\bop\s+(\d{1,2}\s+[a-z]+\s+\d{4})"
    r"|(?:treedt|treden)\s+op\s+(\d{1,2}\s+[a-z]+\s+\d{4})\s+in werking"
    r"|inwerkingtreding\b[^.;]{0,80}?\bop\s+(\d{1,2}\s+[a-z]+\s+\d{4})",
    re.IGNORECASE,
)


def entry_into_force_date(text: str) -> str | None:
    """The one date a document says an act enters into force ("treedt op 1 januari 2027 in werking"), or
    None when it gives none or several."""
    found = set()
    for match in _ENTRY_INTO_FORCE.finditer(text):
        written = next(group for group in match.groups() if group)
        day, month, year = written.split()
        number = calendar_words.MONTHS.get(month.lower())
        if number:
            try:
                found.add(date(int(year), number, int(day)).isoformat())
            except ValueError:
                continue
    return found.pop() if len(found) == 1 else None


def _shapes(token: dict) -> list[str]:
    shape = token.get("SHAPE")
    if isinstance(shape, str):
        return [shape]
    return list(shape.get("IN", [])) if isinstance(shape, dict) else []


DAY_RE = re.compile(r"^([1-9]|0[1-9]|[12]\d|3[01])(?:-([1-9]|0[1-9]|[12]\d|3[01]))?$")


def _valid_number(text: str) -> bool:
    """The patterns match digit shapes; this checks the values (years 1900-2099, days, real dates)."""
    if YEAR_RE.match(text) or RANGE_RE.match(text) or DAY_RE.match(text) or text.lower() in calendar_words.ORDINALS:
        return True  # "2e kwartaal", "1e helft": an ordinal written in figures
    numeric = NUMERIC_DATE_RE.match(text)
    if numeric:
        try:
            date(int(numeric.group(3)), int(numeric.group(2)), int(numeric.group(1)))
        except ValueError:
            return False
        return True
    return False


def _bare_year_reason(doc: Doc, core: Span, preposition: list[str]) -> str | None:
    """Why a bare year or range is a name rather than a date (None when it is a date)."""
    first = preposition[0] if preposition else None
    if first in TEMPORAL_PREPOSITIONS and first != "op":
        return None
    head = _name_before(doc, core.start - len(preposition))
    if first in {"voor", "van"}:
        return "name" if head is not None else None
    if head is None:
        return "no_temporal_cue"
    # "in de EU-Socta 2025": a product's edition year is the year it is due in.
    before = [t.lower_ for t in doc[max(0, head.i - 2) : head.i]]
    if core.label_ == "YEAR" and not preposition and any(w in {"in", "aan", "voor"} for w in before):
        return None
    return "name"


def _name_before(doc: Doc, index: int):
    """The token naming a plan or product just before ``index`` (skipping "(" and "'s"), or None."""
    i = index - 1
    while i >= 0 and doc[i].text in {"(", "’s", "'s", "’", "'"}:
        i -= 1
    if i < 0:
        return None
    token = doc[i]
    if token.is_punct or token.like_num:
        return None
    lower = token.lower_
    named = any(ch.isupper() for ch in token.text) and not token.is_sent_start
    if named or lower.endswith(PLAN_NOUN_ENDINGS):
        return token
    return None


def _in_past_tense_clause(doc: Doc, core: Span) -> bool:
    sentence = core.sent if doc.has_annotation("SENT_START") else doc[:]
    left = core.start
    while left > sentence.start and doc[left - 1].lower_ not in CLAUSE_BOUNDARIES:
        left -= 1
    right = core.end
    while right < sentence.end and doc[right].lower_ not in CLAUSE_BOUNDARIES:
        right += 1
    words = {t.lower_ for t in doc[left:right]}
    return bool(words & PAST_MARKERS) and not words & FUTURE_MARKERS


def _next_word(doc: Doc, index: int) -> str | None:
    return doc[index].lower_ if index < len(doc) else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def tagger(nlp: Language) -> DeadlineTagger:
    """The pipeline's deadline tagger."""
    return nlp.get_pipe(COMPONENT)


def tag_text(nlp: Language, text: str, doc_date: date | None) -> list[TaggedDeadline]:
    """Every temporal expression in a text, excluded ones included (with their reason)."""
    return tagger(nlp).tag(sentences(nlp, text), doc_date)


def parse_deadlines(nlp: Language, text: str, doc_date: date | None) -> list[Deadline]:
    """The due dates a text states, in order; names of plans, past dates and past-tense dates left out."""
    return [tagged.deadline for tagged in tag_text(nlp, text, doc_date) if tagged.excluded is None]


def normalise(nlp: Language, expression: str, doc_date: date | None) -> Deadline | None:
    """One written deadline ("tegen eind 2024") normalised; None when no temporal expression is in it."""
    found = tag_text(nlp, expression, doc_date)
    if not found:
        return None
    best = max(found, key=lambda t: t.end_char - t.start_char)
    return replace(best.deadline, text=expression.strip())


def merge_recurrence(deadlines: Iterable[Deadline]) -> Deadline | None:
    """The governing deadline of one unit: a recurrence with a first due date merges into one."""
    items = list(deadlines)
    if not items:
        return None
    recurring = next((d for d in items if d.recurrence), None)
    dated = [d for d in items if d.end is not None]
    if recurring and dated:
        first = _in_first_year(dated[0], dated[1:])
        return replace(first, text=f"{recurring.text} ..., {first.text}", recurrence=recurring.recurrence)
    return dated[0] if dated else items[0]


_WRITTEN_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _in_first_year(due: Deadline, others: list[Deadline]) -> Deadline:
    """ "jaarlijks vóór 1 juni ..., voor het eerst in 2027": a recurring day or month without its year falls first in
    the year the text names for the first time, not in the document's year."""
    first_year = next((d for d in others if d.granularity == "year" and d.end), None)
    if (first_year is None or due.end is None or due.granularity not in ("day", "month")
            or _WRITTEN_YEAR.search(due.text) or due.end[:4] == first_year.end[:4]):  # type: ignore[index]
        return due
    year = first_year.end[:4]  # type: ignore[index]
    try:
        return replace(due, start=year + due.start[4:] if due.start else None, end=year + due.end[4:])
    except ValueError:
        return due
