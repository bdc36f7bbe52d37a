"""Obligation units inside one passage: segments, addressee blocks, actors and modality of each unit.

Works on a ``Doc`` that the actor gazetteer, deadline tagger and modality tagger have already
annotated (see ``nlp/factories.py``). One passage in, a list of ``UnitCandidate`` out, with
character offsets relative to the passage text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from conclusio.records import Deadline
from nlp import actors as actor_tagging
from nlp import deadlines as deadline_tagging
from nlp import modality as modality_tagging
from nlp.verbs import main_verbs

RECITAL_WORDS = {
    "bevestigend",
    "erkennend",
    "benadrukkend",
    "onderstrepend",
    "ingenomen",
    "verheugd",
    "overtuigd",
    "bewust",
    "verwijzend",
    "herinnerend",
    "overwegende",
    "vaststellend",
    "opmerkend",
    "houdend",
    "bezorgd",
    "betreurend",
    "verwelkomend",
    "constaterend",
    "wijzend",
    "nemend",
    "gelet",
    "concludeert",
    "brengend",
    "herhalend",
    "indachtig",
    "beklemtonend",
    "toejuichend",
    "waarderend",
    "refererend",
}
PARTNER_WORDS = {"steun", "ondersteuning", "samenwerking", "overleg", "hulp", "behulp", "bijstand", "medewerking", "betrokkenheid"}
ARTICLES = {"de", "het", "een", "alle", "hun", "zijn", "haar", "onze", "deze", "die"}
NO_ACTOR = ""  # a passive whose agent is named but is no actor ("door voorbereidend overleg")
SUBORDINATORS = {"die", "dat", "wanneer", "als", "indien", "zodat", "om", "waarbij", "waardoor", "omdat", "teneinde"}
BOUNDARY_WORDS = {"om", "te", "teneinde", ":", ";"}
BODY_NOUN_ENDINGS = (
    "groep",
    "netwerk",
    "netwerken",
    "agentschap",
    "agentschappen",
    "autoriteit",
    "autoriteiten",
    "diensten",
    "comité",
    "bureau",
    "instantie",
    "instanties",
    "organen",
    "landen",
    "staten",
    "ministeries",
    "secretariaat",
    "voorzitterschap",
    "parlementen",
    "regeringen",
    "partners",
    "alliantie",
    "eu",
    "unie",
    "forum",
    "partnerschap",
    "eenheden",
    "contactgroep",
    "taskforce",
)
DEADLINE_CUES = ("tegen", "uiterlijk", "vóór", "voor", "in de loop van", "binnen", "niet later dan", "ten laatste")


@dataclass
class UnitCandidate:
    """One obligation unit found in a passage (offsets into the passage text)."""

    start_char: int
    end_char: int
    actors: list[str]
    modality: str
    explicit_actor: bool = True
    segments: list[Span] = field(default_factory=list)
    cue_start: int | None = None  # token index of the modality cue; None for a numbered point
    finite_verb: str | None = None  # lemma of a present-tense main verb ("organiseert" -> "organiseren")


@dataclass(frozen=True)
class Block:
    """What an addressee block says: who is addressed and how."""

    actors: list[str]
    modality: str


def segments(doc: Doc) -> list[Span]:
    """Sentences, further split where a ';' is followed by a capitalised word (a new sentence inside a point)."""
    parts = []
    for sentence in doc.sents:
        start = sentence.start
        for token in sentence:
            nxt = token.i + 1
            if token.text == ";" and nxt < sentence.end and doc[nxt].text[:1].isupper():
                parts.append(doc[start:nxt])
                start = nxt
        if start < sentence.end:
            parts.append(doc[start : sentence.end])
    return [p for p in parts if p.text.strip()]


def is_recital(span: Span) -> bool:
    """A consideration ("erkennend", "ZICH ERVAN BEWUST", "ingenomen met") rather than an operative text."""
    return any(t.lower_ in RECITAL_WORDS for t in span[:3])


def _actor_spans(doc: Doc, start: int, end: int) -> list[Span]:
    return [s for s in doc.spans.get(actor_tagging.SPAN_KEY, []) if s.start >= start and s.end <= end]


def _chain(doc: Doc, spans: list[Span], anchor: int, direction: int) -> list[str]:
    """Actors joined by "en" / "," that end (direction -1) or start (direction +1) at ``anchor``."""
    by_start = {s.start: s for s in spans}
    by_end = {s.end: s for s in spans}
    found: list[str] = []
    position = anchor
    while True:
        if direction < 0:
            span = by_end.get(position)
            if span is None:
                break
            found.insert(0, span.label_)
            position = span.start
            while position > 0 and doc[position - 1].lower_ in ARTICLES:
                position -= 1
            if position > 0 and doc[position - 1].lower_ in {"en", ","}:
                position -= 1
                continue
            break
        else:
            skipped = 0
            while position < len(doc) and (
                doc[position].lower_ in ARTICLES or (skipped < 2 and doc[position].is_lower and doc[position].lower_.endswith("e"))
            ):
                position += 1
                skipped += 1
            span = by_start.get(position)
            if span is None:
                break
            found.append(span.label_)
            position = span.end
            if position < len(doc) and doc[position].lower_ in {"en", ","}:
                position += 1
                continue
            break
    return list(dict.fromkeys(found))


def _subject_before(doc: Doc, cue_start: int, spans: list[Span]) -> list[str]:
    position = cue_start
    if position > 0 and doc[position - 1].lower_ in {"zelf", "ook", "dan", "daarom"}:
        position -= 1
    found = _chain(doc, spans, position, -1)
    if found:
        first = min((s for s in spans if s.label_ == found[0] and s.end <= cue_start), key=lambda s: -s.end, default=None)
        if first is not None:
            before = first.start - 1
            while before >= 0 and doc[before].lower_ in ARTICLES:
                before -= 1
            if before >= 0 and doc[before].lower_ in {"van", "met", "door", "aan", "via", "bij", "tot", "voor", "tussen"}:
                return []
    return found


def _noun_phrase_actor(span: Span, bare: bool = False) -> str | None:
    """A body named by a short noun phrase that the gazetteer does not know ("de speciale projectgroep").

    With ``bare``, a single plural noun without article also counts ("Financiële-inlichtingeneenheden").
    """
    tokens = [t for t in span if not t.is_punct]
    if bare and len(tokens) == 1 and tokens[0].lower_.endswith(BODY_NOUN_ENDINGS) and tokens[0].lower_ not in ARTICLES:
        return tokens[0].text[:1].lower() + tokens[0].text[1:] if not tokens[0].text[1:2].isupper() else tokens[0].text
    if not tokens or len(tokens) > 7 or tokens[0].lower_ not in {"de", "het"}:
        return None
    if any(t.lower_ in {"van", "voor", "met", "in", "op", "over"} for t in tokens):
        return None  # "het werk van de havenalliantie": the head is no body
    head = tokens[-1]
    if head.lower_.endswith(BODY_NOUN_ENDINGS) or (head.text.isupper() and len(head.text) > 1):
        return " ".join(t.text for t in tokens[1:])
    return None


def _clause_end(doc: Doc, start: int, limit: int) -> int:
    end = start
    while end < limit and doc[end].text not in {";", ".", ":"}:
        end += 1
    return end


def _is_passive(doc: Doc, cue: Span, limit: int) -> bool:
    end = cue.end
    while end < limit and doc[end].text not in {",", ";", ".", ":"} and doc[end].lower_ not in SUBORDINATORS:
        end += 1
    # After "zal/moet" the passive auxiliary is the infinitive "worden"; a finite "wordt" belongs to another clause.
    return any(t.lower_ == "worden" for t in doc[cue.end : end]) or cue.label_ == "REQUEST"


def _agent(doc: Doc, cue: Span, limit: int, spans: list[Span]) -> list[str]:
    """The agent of a passive ("door de Commissie")."""
    end = cue.end
    while end < limit and doc[end].text not in {";", ".", ":", "(", ","}:
        end += 1
    for token in doc[cue.start : end]:
        if token.lower_ == "door":
            position = token.i + 1
            while position < end and (doc[position].lower_ in ARTICLES or doc[position].lower_.endswith(("e", "d"))):
                position += 1
            found = _chain(doc, spans, position, +1) or _chain(doc, spans, token.i + 1, +1)
            return found or [NO_ACTOR]
    return []


def _addressee_zone(doc: Doc, cue: Span, limit: int) -> tuple[int, int]:
    """The tokens that name whom a request verb addresses: all-capitals run, or up to "om"/"te"/":"."""
    start = cue.start + 1 if cue.label_ == "INVITE" and len(cue) == 1 else cue.start
    end = start
    if cue[0].text.isupper():
        while end < limit and (doc[end].text.isupper() or not doc[end].is_alpha) and doc[end].text not in {":", ";"}:
            end += 1
        return start, end
    if len(cue) > 1:
        return cue.start + 1, cue.end - 1
    while end < limit and doc[end].lower_ not in BOUNDARY_WORDS:
        end += 1
    return start, end


def _addressees(doc: Doc, cue: Span, limit: int, floor: int = 0) -> list[str]:
    start, end = _addressee_zone(doc, cue, limit)
    spans = [s for s in sorted(_actor_spans(doc, start, end), key=lambda s: s.start) if not _is_partner(doc, s)]
    named_any = bool(spans)
    if spans and _subject_follows_verb(doc, cue, floor, spans[0]):
        # "In deze conclusies moedigt de Raad ... aan": the noun after the verb is its subject.
        spans = spans[1:]
    found = list(dict.fromkeys(s.label_ for s in spans))
    if len(found) > 1 and found[0] == "Raad":
        # "verzoekt de Raad de lidstaten": the Council is the one asking, not an addressee.
        found = found[1:]
    if not found and not named_any:
        zone = [t for t in doc[start:end] if not t.is_punct]
        led_by_article = bool(zone) and (zone[0].lower_ in {"de", "het", "alle"} or zone[0].text.isupper())
        words = [t for t in zone if t.is_alpha and t.lower_ not in ARTICLES and t.lower_ != "om"]
        if words and led_by_article and len(words) <= 8:
            name = " ".join(t.text for t in words)
            found = [name.lower() if name.isupper() else name]
    return found


def _is_partner(doc: Doc, span: Span) -> bool:
    """ "in (nauwe) samenwerking met X", "met de steun van X": X helps but is not asked to act."""
    window = [t.lower_ for t in doc[max(0, span.start - 5) : span.start]]
    return any(word in PARTNER_WORDS for word in window) and any(word in {"met", "van"} for word in window)


def _subject_follows_verb(doc: Doc, cue: Span, floor: int, first: Span) -> bool:
    """True when the request verb stands second after a fronted phrase, so the next noun is its subject."""
    if cue.start <= floor or cue[0].text.isupper():
        return False
    previous = doc[cue.start - 1]
    if previous.lower_ in {"en", "of"} or _subject_before(doc, cue.start, _actor_spans(doc, floor, cue.start)):
        return False
    if previous.lower_ in {"hij", "zij", "ze", "het", "men"} or doc[cue.start + 1].lower_ in {"hij", "zij", "ze"}:
        return False
    gap = [t for t in doc[cue.start + 1 : first.start] if t.lower_ not in ARTICLES]
    return not gap


def read_block(doc: Doc) -> Block | None:
    """The addressees and modality of an addressee block ("verzoekt de Raad de lidstaten:")."""
    for cue in doc.spans.get(modality_tagging.SPAN_KEY, []):
        if cue.label_ in {"INVITE", "REQUEST"}:
            actors = _addressees(doc, cue, len(doc))
            if actors:
                return Block(actors, "request")
        if cue.label_ == "WE_COMMIT":
            return Block(["deelnemende landen"], "commitment")
        if cue.label_ in {"COMMIT", "OBLIGE"}:
            actors = _subject_before(doc, cue.start, _actor_spans(doc, 0, len(doc))) or _chain(
                doc, _actor_spans(doc, 0, len(doc)), cue.end, +1
            )
            if actors:
                return Block(actors, modality_tagging.modality_of(cue))
    return None


@dataclass
class UnitContext:
    """What a passage's units may inherit: the block above it and the actor committed just before."""

    block: Block | None
    declaration: bool
    nearby_actors: list[str]
    main_actor: str | None = None
    previous_subject: list[str] = field(default_factory=list)


def _unit_from_segment(doc: Doc, segment: Span, context: UnitContext) -> UnitCandidate | None:
    if is_recital(segment):
        return None
    spans = _actor_spans(doc, segment.start, segment.end)
    cues = [c for c in doc.spans.get(modality_tagging.SPAN_KEY, []) if segment.start <= c.start < segment.end]
    for cue in cues:
        modality = modality_tagging.modality_of(cue)
        actors: list[str] = []
        explicit = True
        if cue.label_ == "WE_COMMIT":
            actors = ["deelnemende landen"] if context.declaration else []
        elif cue.label_ in {"INVITE", "REQUEST"}:
            if _in_relative_clause(doc, cue, segment.start):
                continue  # a request reported from another text ("conclusies, waarin ... wordt verzocht")
            actors = (
                _addressees(doc, cue, segment.end, segment.start)
                if cue.label_ == "INVITE"
                else [s.label_ for s in _actor_spans(doc, cue.start, cue.end)]
            )
            if not actors and cue.label_ == "REQUEST":
                actors = _subject_before(doc, cue.start, spans)
                if not actors:
                    subject = _noun_phrase_actor(doc[_clause_start(doc, cue.start, segment.start) : cue.start], bare=True)
                    actors = [subject] if subject else []
        elif not _is_passive(doc, cue, segment.end) and (
            _subject_before(doc, cue.start, spans) or _chain(doc, spans, cue.end, +1)
        ):
            actors = _subject_before(doc, cue.start, spans) or _chain(doc, spans, cue.end, +1)
        elif _is_passive(doc, cue, segment.end):
            actors = _agent(doc, cue, segment.end, spans)
            if actors == [NO_ACTOR]:
                actors = []
            elif not actors and not _in_relative_clause(doc, cue, segment.start):
                explicit = False
                if context.block:
                    actors = context.block.actors
                elif context.previous_subject and _anaphoric_subject(doc, cue, segment.start):
                    actors = list(context.previous_subject)
                elif context.main_actor and context.main_actor in context.nearby_actors:
                    actors = [context.main_actor]
        else:
            actors = _subject_before(doc, cue.start, spans) or _chain(doc, spans, cue.end, +1)
            actors = actors or _subordinate_subject(doc, cue, segment.start, spans)
            if not actors and cue.label_ in {"COMMIT", "OBLIGE"}:
                if len(doc) > cue.end and doc[cue.end].lower_ in {"we", "wij"}:
                    actors = ["deelnemende landen"] if context.declaration else []
                elif cue.start > segment.start and doc[cue.start - 1].lower_ == "en":
                    # "De Commissie steunt ... en zal dat blijven doen": the subject opens the sentence.
                    actors = _chain(doc, spans, segment.start, +1)
                else:
                    subject = _noun_phrase_actor(doc[_clause_start(doc, cue.start, segment.start) : cue.start], bare=True)
                    for length in (2, 3):  # "zal de havenalliantie", "zal de nieuwe projectgroep"
                        if not subject and cue.end + length <= segment.end and doc[cue.end].lower_ in {"de", "het"}:
                            subject = _noun_phrase_actor(doc[cue.end : cue.end + length])
                    actors = [subject] if subject else []
        if actors:
            actors = _with_co_actors(doc, segment, spans, actors)
            verbs_from = cue.end if cue.label_ in {"INVITE", "REQUEST"} else cue.start
            return UnitCandidate(segment.start_char, segment.end_char, actors, modality, explicit, [segment], verbs_from)
    return _present_with_future_date(doc, segment, spans)


def _subordinate_subject(doc: Doc, cue: Span, floor: int, spans: list[Span]) -> list[str]:
    """ "..., die de Commissie in 2026 zal goedkeuren": in a subordinate clause the subject follows the pronoun."""
    start = _clause_start(doc, cue.start, floor)
    if start < cue.start and doc[start].lower_ in SUBORDINATORS - {"om", "teneinde"}:
        return [a for a in _chain(doc, spans, start + 1, +1)]
    return []


def _anaphoric_subject(doc: Doc, cue: Span, floor: int) -> bool:
    """ "Deze inventarisatie zal ... worden bekendgemaakt": the subject points back to the previous sentence."""
    start = _clause_start(doc, cue.start, floor)
    return start < cue.start and doc[start].lower_ in {"deze", "dit", "die", "dat", "dergelijke"}


def _in_relative_clause(doc: Doc, cue: Span, floor: int) -> bool:
    """ "..., wat zal worden gebruikt": the cue belongs to a relative clause, not the main one."""
    i = cue.start - 1
    while i >= floor and doc[i].lower_ in {"ook", "dan", "nog", "daarbij", "verder"}:
        i -= 1
    return i >= floor and doc[i].lower_ in {"wat", "die", "dat", "waarmee", "waarin", "waarbij", "welke", "waardoor"}


def _clause_start(doc: Doc, index: int, floor: int) -> int:
    start = index
    while start > floor and doc[start - 1].text not in {",", ";", ":", "(", ")"}:
        start -= 1
    return start


def _with_co_actors(doc: Doc, segment: Span, spans: list[Span], actors: list[str]) -> list[str]:
    """ "samen met X" makes X a co-actor (unlike "met de steun van X" or "in samenwerking met X")."""
    for token in segment[:-1]:
        if token.lower_ == "samen" and doc[token.i + 1].lower_ == "met":
            actors = actors + [a for a in _chain(doc, spans, token.i + 2, +1) if a not in actors]
    return actors


def _present_with_future_date(doc: Doc, segment: Span, spans: list[Span]) -> UnitCandidate | None:
    """ "Op 17 en 18 december 2025 organiseert de Commissie ...": a dated plan in the present tense."""
    dated = [d for d in doc.spans.get(deadline_tagging.SPAN_KEY, []) if segment.start <= d.start < segment.end and d._.deadline.end]
    for deadline in dated:
        if deadline.start - segment.start > 1:
            continue
        actors = _chain(doc, spans, deadline.end + 1, +1)
        if actors and doc[deadline.end].is_alpha and doc[deadline.end].lower_.endswith("t"):
            unit = UnitCandidate(segment.start_char, segment.end_char, actors, "commitment", True, [segment], deadline.end)
            unit.finite_verb = doc[deadline.end].lemma_ or None
            return unit
    return None


def find_units(
    doc: Doc, block: Block | None, declaration: bool, nearby_actors: list[str], main_actor: str | None = None
) -> list[UnitCandidate]:
    """The obligation units of one passage; under a block the first segment is always a unit."""
    parts = segments(doc)
    if not parts or is_recital(parts[0]):
        return []
    units: list[UnitCandidate] = []
    nearby = list(nearby_actors)
    previous_subject: list[str] = []
    for part in parts:
        if block is not None and not units:
            units.append(UnitCandidate(part.start_char, part.end_char, list(block.actors), block.modality, True, [part]))
            continue
        if block is None and part.text.rstrip().endswith(":"):
            previous_subject = []
            continue  # the introduction of a list ("zullen wij:"); its items are the units
        unit = _unit_from_segment(doc, part, UnitContext(block, declaration, nearby, main_actor, previous_subject))
        previous_subject = _chain(doc, _actor_spans(doc, part.start, part.end), part.start, +1)
        if unit is not None:
            units.append(unit)
            if unit.explicit_actor:
                nearby = unit.actors
        elif block is not None:
            units[-1].end_char = part.end_char
            units[-1].segments.append(part)
    return units


def unit_verbs(doc: Doc, unit: UnitCandidate) -> list[str]:
    """Main verbs of a unit (all its segments)."""
    first = unit.segments[0]
    clause = doc[unit.cue_start : first.end] if unit.cue_start is not None else first
    # A list item under "zullen wij:" is a bare verb group ("Relevante kennis delen ...").
    verbs = main_verbs(clause, in_verb_group=unit.cue_start is None and unit.modality != "request")
    if unit.finite_verb and unit.finite_verb.endswith("en"):
        verbs = [unit.finite_verb] + [v for v in verbs if v != unit.finite_verb]
    return verbs


def unit_deadline(doc: Doc, unit: UnitCandidate) -> Deadline | None:
    """The deadline that governs a unit: a recurrence merged with its first date, else the first cued date."""
    floor = unit.segments[0].start
    if unit.cue_start is not None:
        floor = _clause_start(doc, unit.cue_start, floor)
    found = [
        s._.deadline
        for s in doc.spans.get(deadline_tagging.SPAN_KEY, [])
        if s.start >= floor and s.start_char >= unit.start_char and s.end_char <= unit.end_char
    ]
    if not found:
        return None
    cued = [d for d in found if d.end and d.text.lower().startswith(DEADLINE_CUES)]
    ordered = cued + [d for d in found if d not in cued]
    return deadline_tagging.merge_recurrence(ordered)
