"""Sentence readings that decide whether a clause states a plan of its own.

Dated plans in the present tense, passive plans the author stands behind, passives that only
say how the previous action is done, and requests quoted from another text. Works on a ``Doc``
annotated by the actor gazetteer, deadline tagger and modality tagger.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from nlp import deadlines as deadline_tagging
from nlp.subjects import PARTNER_WORDS, actor_spans, chain, is_partner, noun_phrase_actor

# Texts whose requests a document of another kind can only report ("In deze conclusies verzoekt de Raad ...").
OWN_TEXT_KIND = {"conclusies": "council_conclusions", "verklaring": "declaration", "resolutie": "resolution"}


def reported_from_other_text(doc: Doc, cue: Span, segment: Span) -> bool:
    """A request that a progress report or communication quotes from Council conclusions or a declaration."""
    kind = doc._.doc_kind
    if not kind:
        return False
    words = [t.lower_ for t in doc[segment.start : cue.start]]
    for i, word in enumerate(words[:-2]):
        noun = words[i + 2]
        if word == "in" and words[i + 1] in {"deze", "die", "de", "haar", "zijn", "dezelfde"} and OWN_TEXT_KIND.get(noun, kind) != kind:
            return True
    return False


ELABORATING_ADVERBS = {"hierbij", "daarbij", "hiervoor", "daarvoor", "hiermee", "daarmee", "hierin", "daarin"}


def elaborates_previous(doc: Doc, segment: Span) -> bool:
    """ "Hierbij zal gebruik worden gemaakt van ...": a passive that says how the previous action is done, no action of its own."""
    return doc[segment.start].lower_ in ELABORATING_ADVERBS


def author_only_helps(doc: Doc, segment: Span) -> bool:
    """ "zal worden voortgezet met steun van de Commissie": the author is named as a helper, so not the actor."""
    return any(s.label_ == doc._.main_actor and is_partner(doc, s) for s in actor_spans(doc, segment.start, segment.end))


def authors_own_plan(doc: Doc, cue: Span, segment: Span) -> bool:
    """A passive plan with no agent that the author stands behind: "zal in 2024 worden geëvalueerd", or
    "moet met de steun van Eurojust ... worden opgericht" (a named helper implies a concrete action)."""
    if cue.label_ == "COMMIT":
        return True
    window = [t.lower_ for t in doc[cue.start : segment.end]]
    return cue.label_ == "OBLIGE" and any(w in PARTNER_WORDS for w in window) and "met" in window


FUNDING_VERBS = {"gefinancierd", "medegefinancierd", "bekostigd"}


def states_funding(doc: Doc, cue: Span, segment: Span) -> bool:
    """ "De acties zullen worden gefinancierd uit het Fonds ...": a passive that names where the money comes
    from, not who acts."""
    window = [t.lower_ for t in doc[cue.end : segment.end]]
    return any(word in FUNDING_VERBS for word in window) and any(word in {"uit", "via"} for word in window)


def agentless_plan(doc: Doc, cue: Span, segment: Span) -> bool:
    """A future passive without an agent that states a concrete step: "Het eindverslag zal naar verwachting in
    de tweede helft van 2027 worden afgerond". Not "Hierbij zal ... worden gebruikt" (how the previous step is
    done) nor a funding statement."""
    if cue.label_ != "COMMIT" or doc[cue.start].lower_ not in {"zal", "zullen"}:
        return False
    return not elaborates_previous(doc, segment) and not states_funding(doc, cue, segment)


COORDINATED_OPENINGS = {"de", "het", "deze", "dit", "die", "zijn", "haar", "hun"}


def coordinated_subject(doc: Doc, cue: Span, segment: Span, spans: list[Span]) -> list[str]:
    """ "Europol heeft de gegevens verzameld en de bevindingen zullen ... worden voorgelegd": the body that opens
    the sentence acts in the clause joined to it by "en" too."""
    opener = chain(doc, spans, segment.start, +1)
    if not opener:
        return []
    first_end = max((s.end for s in spans if s.start >= segment.start and s.label_ in opener), default=segment.start)
    for token in doc[first_end : cue.start]:
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if token.lower_ == "en" and following is not None and following.lower_ in COORDINATED_OPENINGS:
            return opener
    return []


@dataclass(frozen=True)
class DatedPlan:
    """A present-tense sentence with a later date: who acts and where the finite verb stands."""

    actors: list[str]
    verb_index: int
    finite_verb: str | None


def dated_present_plan(doc: Doc, segment: Span, spans: list[Span]) -> DatedPlan | None:
    """ "Op 17 en 18 december 2025 organiseert de Commissie ...": a dated plan in the present tense."""
    dated = [d for d in doc.spans.get(deadline_tagging.SPAN_KEY, []) if segment.start <= d.start < segment.end and d._.deadline.end]
    for deadline in dated:
        if deadline.start - segment.start > 1:
            continue
        if deadline.end >= segment.end:
            continue
        verb = doc[deadline.end]
        actors = chain(doc, spans, deadline.end + 1, +1)
        if actors and verb.is_alpha and verb.lower_.endswith("t"):
            return DatedPlan(actors, deadline.end, verb.lemma_ or None)
        # "Op 2 oktober 2026 organiseren de minister van Financiën en de minister van Justitie en Veiligheid een
        # conferentie": the verb second after the date, then bodies the gazetteer need not know
        if verb.is_alpha and verb.is_lower and verb.lower_.endswith(("t", "en")) and verb.lower_ not in NOT_PLAN_VERBS:
            named = _bodies_after(doc, deadline.end + 1, segment.end)
            if named:
                return DatedPlan(named, deadline.end, verb.lemma_ or None)
    return _verb_second_with_future_date(doc, segment, spans, dated)


_PHRASE_STOPS = {"een", "in", "op", "met", "bij", "over", "tijdens", "om", "voor", "aan", "samen", "zijn", "haar", "hun"}
MAX_SUBJECT_WORDS = 16


def _bodies_after(doc: Doc, start: int, limit: int) -> list[str]:
    """The bodies a subject after the verb names, each opening with its article and joined by "en" ("de minister van
    Financiën en de minister van Justitie en Veiligheid"), up to the object ("een conferentie"); [] unless every
    conjunct names a body."""
    end = start
    while end < min(limit, start + MAX_SUBJECT_WORDS) and not doc[end].is_punct and doc[end].lower_ not in _PHRASE_STOPS:
        end += 1
    if end == start or doc[start].lower_ not in {"de", "het"}:
        return []
    cuts = [start] + [t.i + 1 for t in doc[start:end] if t.lower_ == "en" and t.i + 1 < end and doc[t.i + 1].lower_ in {"de", "het"}]
    named = []
    for first, last in zip(cuts, [*cuts[1:], end + 1], strict=True):
        part = doc[first : last - 1] if last <= end else doc[first:end]
        found = noun_phrase_actor(part)
        if not found:
            return []
        named.append(found)
    return named


NOT_PLAN_VERBS = {"wordt", "heeft", "moet", "dient", "bestaat", "staat", "gaat", "blijkt", "zegt", "vindt", "plaatsvindt"}


def _verb_second_with_future_date(doc: Doc, segment: Span, spans: list[Span], dated: list[Span]) -> DatedPlan | None:
    """ "Zoals aangekondigd, start de Commissie in 2026 een evaluatie": present verb, actor, then a date after the text's own date."""
    written = str(doc._.doc_date)[:10] if doc._.doc_date else None
    subject = chain(doc, spans, segment.start, +1)  # "De Commissie organiseert in 2026 ..."
    subject_end = max((s.end for s in spans if s.start >= segment.start and s.label_ in subject), default=None) if subject else None
    for verb in segment:
        opens_clause = verb.i == segment.start + 1 or (verb.i > segment.start and doc[verb.i - 1].text == ",")
        text = verb.text
        if not (verb.is_alpha and text.islower() and text.endswith("t") and len(text) > 3 and text not in NOT_PLAN_VERBS):
            continue
        if verb.i == subject_end:
            actors, after_actor = subject, verb.i + 1
        elif opens_clause and chain(doc, spans, verb.i + 1, +1):
            actors = chain(doc, spans, verb.i + 1, +1)
            after_actor = max(s.end for s in spans if s.start > verb.i and s.label_ in actors)
        else:
            continue
        for deadline in dated:
            start = deadline._.deadline.start
            if after_actor <= deadline.start <= after_actor + 2 and written and start and start > written:
                return DatedPlan(actors, verb.i, verb.lemma_ or None)
    return None
