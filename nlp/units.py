"""Obligation units inside one passage: segments, addressee blocks, actors and modality of each unit.

Works on a ``Doc`` that the actor gazetteer, deadline tagger and modality tagger have already
annotated (see ``nlp/factories.py``). One passage in, a list of ``UnitCandidate`` out, with
character offsets relative to the passage text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from conclusio.records import Deadline
from nlp import deadlines as deadline_tagging
from nlp import modality as modality_tagging
from nlp import plans
from nlp.subjects import (
    actor_spans,
    addressees,
    agent,
    anaphoric_subject,
    apposition_subject,
    chain,
    clause_start,
    fronted_subject,
    in_relative_clause,
    is_passive,
    NO_ACTOR,
    name_end,
    noun_phrase_actor,
    noun_phrase_actors,
    pronoun_subject,
    subject_before,
    subordinate_subject,
    with_co_actors,
)
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


def read_block(doc: Doc) -> Block | None:
    """The addressees and modality of an addressee block ("verzoekt de Raad de lidstaten:")."""
    for cue in doc.spans.get(modality_tagging.SPAN_KEY, []):
        if cue.label_ in {"INVITE", "REQUEST"}:
            actors = addressees(doc, cue, len(doc))
            if actors:
                return Block(actors, "request")
        if cue.label_ == "WE_COMMIT":
            return Block(["deelnemende landen"], "commitment")
        if cue.label_ in {"COMMIT", "OBLIGE"}:
            actors = subject_before(doc, cue.start, actor_spans(doc, 0, len(doc))) or chain(
                doc, actor_spans(doc, 0, len(doc)), cue.end, +1
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
    antecedent: list[str] = field(default_factory=list)  # whom "zij"/"hij" in the next sentence points back to
    section_owner: list[str] = field(default_factory=list)  # who owns the action the section reports on ("(COM)")


def _unit_from_segment(doc: Doc, segment: Span, context: UnitContext) -> UnitCandidate | None:
    if is_recital(segment):
        return None
    spans = actor_spans(doc, segment.start, segment.end)
    cues = [c for c in doc.spans.get(modality_tagging.SPAN_KEY, []) if segment.start <= c.start < segment.end]
    for cue in cues:
        modality = modality_tagging.modality_of(cue)
        actors: list[str] = []
        explicit = True
        if cue.label_ == "WE_COMMIT":
            actors = ["deelnemende landen"] if context.declaration else []
        elif cue.label_ == "URGE":
            # "Het is van cruciaal belang dat de lidstaten ...": a request to the body the clause names.
            actors = [] if in_relative_clause(doc, cue, segment.start) else chain(doc, spans, cue.end, +1)
        elif cue.label_ in {"INVITE", "REQUEST"}:
            if in_relative_clause(doc, cue, segment.start) or plans.reported_from_other_text(doc, cue, segment):
                continue  # a request reported from another text ("conclusies, waarin ... wordt verzocht")
            actors = (
                addressees(doc, cue, segment.end, segment.start)
                if cue.label_ == "INVITE"
                else [s.label_ for s in actor_spans(doc, cue.start, cue.end)]
            )
            if not actors and cue.label_ == "REQUEST":
                actors = subject_before(doc, cue.start, spans)
                if not actors:
                    actors = noun_phrase_actors(doc, doc[clause_start(doc, cue.start, segment.start) : cue.start], spans)
        elif not is_passive(doc, cue, segment.end) and (
            subject_before(doc, cue.start, spans) or chain(doc, spans, cue.end, +1)
        ):
            # "De politie is voornemens het LMIO om te vormen": a subject opening the clause before the verb, though the
            # gazetteer does not know it, comes before a known body after the verb (there the object)
            fronted = doc[clause_start(doc, cue.start, segment.start) : cue.start]
            actors = subject_before(doc, cue.start, spans) or (
                noun_phrase_actors(doc, fronted, spans) if fronted_subject(fronted) else []) or chain(doc, spans, cue.end, +1)
        elif is_passive(doc, cue, segment.end):
            actors = agent(doc, cue, segment.end, spans)
            if actors == [NO_ACTOR]:
                actors = []
            elif not actors and not in_relative_clause(doc, cue, segment.start):
                explicit = False
                if context.block:
                    actors = context.block.actors
                elif pronoun_subject(doc, cue, segment.start):
                    actors = list(context.antecedent)  # "Daartoe zullen zij nagaan of ... kan worden gebruikt"
                elif context.previous_subject and anaphoric_subject(doc, cue, segment.start):
                    actors = list(context.previous_subject)
                elif plans.states_funding(doc, cue, segment):
                    actors = []  # "De acties zullen worden gefinancierd uit het Fonds ...": where the money comes from
                elif context.main_actor and not plans.author_only_helps(doc, segment) and not plans.elaborates_previous(doc, segment) and (
                    context.main_actor in context.nearby_actors or plans.authors_own_plan(doc, cue, segment)
                ):
                    actors = [context.main_actor]
                elif plans.agentless_plan(doc, cue, segment):
                    # "Het eindverslag zal ... worden afgerond": whoever the context names as acting.
                    # The section's owner before the previous sentence's subject: a progress report's section
                    # reports on one action, and the step it announces is that action's.
                    actors = (plans.coordinated_subject(doc, cue, segment, spans) or list(context.section_owner)
                              or list(context.previous_subject))
        else:
            actors = subject_before(doc, cue.start, spans) or chain(doc, spans, cue.end, +1)
            actors = actors or subordinate_subject(doc, cue, segment.start, spans)
            actors = actors or [s.label_ for s in actor_spans(doc, cue.start, cue.end)]  # "is de Commissie van plan"
            actors = actors or apposition_subject(doc, cue, segment, spans)
            if not actors and pronoun_subject(doc, cue, segment.start):
                actors = list(context.antecedent)
                explicit = False
            if not actors and cue.label_ in {"COMMIT", "OBLIGE"}:
                if len(doc) > cue.end and doc[cue.end].lower_ in {"we", "wij"}:
                    actors = ["deelnemende landen"] if context.declaration else []
                elif cue.start > segment.start and doc[cue.start - 1].lower_ == "en":
                    # "De Commissie steunt ... en zal dat blijven doen": the subject opens the sentence.
                    actors = chain(doc, spans, segment.start, +1)
                else:
                    actors = noun_phrase_actors(doc, doc[clause_start(doc, cue.start, segment.start) : cue.start], spans)
                    subject = None
                    for length in (2, 3):  # "zal de havenalliantie", "zal de nieuwe projectgroep"
                        if not actors and not subject and cue.end + length <= segment.end and doc[cue.end].lower_ in {"de", "het"}:
                            subject = noun_phrase_actor(doc[cue.end : cue.end + length])
                            if subject:  # "zal de Inspectie Justitie en Veiligheid": the body's name runs on
                                subject = noun_phrase_actor(doc[cue.end : name_end(doc, cue.end + length, segment.end)]) or subject
                    if not actors and not subject and cue.end < segment.end and doc[cue.end].text[:1].islower():
                        subject = noun_phrase_actor(doc[cue.end : cue.end + 1], bare=True)  # "zullen rechtshandhavingsinstanties"
                    actors = actors or ([subject] if subject else [])
        if actors:
            actors = with_co_actors(doc, segment, spans, actors)
            verbs_from = cue.end if cue.label_ in {"INVITE", "REQUEST", "URGE"} else cue.start
            return UnitCandidate(segment.start_char, segment.end_char, actors, modality, explicit, [segment], verbs_from)
    return _present_with_future_date(doc, segment, spans)


def _present_with_future_date(doc: Doc, segment: Span, spans: list[Span]) -> UnitCandidate | None:
    """A dated plan in the present tense ("Op 17 en 18 december 2025 organiseert de Commissie ...")."""
    plan = plans.dated_present_plan(doc, segment, spans)
    if plan is None:
        return None
    unit = UnitCandidate(segment.start_char, segment.end_char, plan.actors, "commitment", True, [segment], plan.verb_index)
    unit.finite_verb = plan.finite_verb
    return unit


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
    antecedent = list(nearby_actors)
    owner = list(doc._.section_owner or [])
    for part in parts:
        if block is not None and not units:
            units.append(UnitCandidate(part.start_char, part.end_char, list(block.actors), block.modality, True, [part]))
            continue
        if block is None and part.text.rstrip().endswith(":"):
            previous_subject = []
            continue  # the introduction of a list ("zullen wij:"); its items are the units
        unit = _unit_from_segment(doc, part, UnitContext(block, declaration, nearby, main_actor, previous_subject, antecedent, owner))
        previous_subject = chain(doc, actor_spans(doc, part.start, part.end), part.start, +1)
        antecedent = _antecedent(doc, part, unit) or antecedent
        if unit is not None:
            units.append(unit)
            if unit.explicit_actor:
                nearby = unit.actors
        elif block is not None:
            units[-1].end_char = part.end_char
            units[-1].segments.append(part)
    return units


def _antecedent(doc: Doc, part: Span, unit: UnitCandidate | None) -> list[str]:
    """Whom a pronoun in the next sentence points back to: this sentence's unit, its opening body, or its first actor."""
    if unit is not None:
        return list(unit.actors)
    for length in (2, 3):  # "Het netwerk is ...", "De nieuwe projectgroep zal ..."
        opening = noun_phrase_actor(doc[part.start : min(part.start + length, part.end)])
        if opening:
            return [opening]
    named = sorted(actor_spans(doc, part.start, part.end), key=lambda s: s.start)
    return [named[0].label_] if named else []


def _after_block_verb(doc: Doc, segment: Span) -> Span:
    """ "DRAAGT HET COSI OP om ... te evalueren": the action starts after the request verb and its "om"."""
    opening = [c for c in doc.spans.get(modality_tagging.SPAN_KEY, []) if c.start == segment.start and c.label_ == "INVITE"]
    if not opening:
        return segment
    start = opening[0].end
    while start < segment.end and doc[start].lower_ in {"om", ",", ":"}:
        start += 1
    return doc[start : segment.end]


def unit_verbs(doc: Doc, unit: UnitCandidate) -> list[str]:
    """Main verbs of a unit (all its segments)."""
    first = unit.segments[0]
    clause = doc[unit.cue_start : first.end] if unit.cue_start is not None else _after_block_verb(doc, first)
    # A list item under "zullen wij:" is a bare verb group ("Relevante kennis delen ...").
    # "Het is van cruciaal belang dat de lidstaten ... maken": the request's verbs close its "dat" clause.
    urged = unit.cue_start is not None and unit.cue_start > 0 and doc[unit.cue_start - 1].lower_ == "dat"
    verbs = main_verbs(clause, in_verb_group=unit.modality != "request" or urged)
    if urged:  # a "dat" clause ends its verb groups: the verbs before "en", a comma or the full stop
        closing = {t.lower_ for i, t in enumerate(clause) if i + 1 == len(clause) or clause[i + 1].lower_ in {",", ";", ".", "en"}}
        verbs = [verb for verb in verbs if verb in closing] or verbs
    opening_om = next((t.i for t in clause if t.lower_ == "om"), None)
    if not verbs and not unit.finite_verb and opening_om is not None:
        # "aangemoedigd om ... te maken", "van plan om ... vast te stellen": this "om" opens the action, not a purpose
        # (a present-tense plan has its action in the finite verb: "organiseert ... om ... uit te wisselen").
        verbs = main_verbs(doc[opening_om + 1 : clause.end], in_verb_group=unit.modality != "request")
    finite = unit.finite_verb
    if finite and not finite.endswith("en") and finite.endswith("t"):
        finite += "en"  # no lemma known: "start" -> "starten"
    if finite and finite.endswith("en"):
        verbs = [finite] + [v for v in verbs if v != finite]
    return verbs


def unit_deadline(doc: Doc, unit: UnitCandidate) -> Deadline | None:
    """The deadline that governs a unit: a recurrence merged with its first date, else the first cued date."""
    floor = unit.segments[0].start
    if unit.cue_start is not None:
        floor = clause_start(doc, unit.cue_start, floor)
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


# "Dit loket moet eind 2027 operationeel zijn": the sentence after a commitment that says by when its result must
# stand, its subject pointing back at it ("dit", "deze") and naming no one who acts.
_RESULT_DUE = re.compile(
    r"^\s*(?:Dit|Deze|Dat|Die)\s+[\w-]+\s+(?:moet|moeten|dient|dienen|zal|zullen)\b[^.;]*?\b(?:operationeel|gereed|klaar|"
    r"afgerond|beschikbaar|ingericht|in werking|actief|voltooid|opgeleverd|vastgesteld|in gebruik)\b[^.;]*?\b(?:zijn|te zijn|"
    r"worden|genomen|getreden)?\s*[.;]")


def result_deadline(doc: Doc, unit: UnitCandidate) -> Deadline | None:
    """The deadline of a unit that gives none itself, from the next sentence when that says by when the unit's result
    must stand ("De politie is voornemens het LMIO om te vormen tot een fraudeloket. Dit loket moet eind 2027
    operationeel zijn.")."""
    rest = doc.text[unit.end_char:]
    match = _RESULT_DUE.match(rest)
    if not match:
        return None
    start, end = unit.end_char, unit.end_char + match.end()
    found = [s._.deadline for s in doc.spans.get(deadline_tagging.SPAN_KEY, [])
             if s.start_char >= start and s.end_char <= end and s._.deadline.end]
    return found[0] if len(found) == 1 else None
