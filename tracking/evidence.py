"""Machine-found evidence: which passages of later documents report on an obligation, and how far it got.

For each obligation, passages of documents dated after the obligation's document are scored on
two things:
- structure (a prior): the passage sits under the same numbered action ("Actie 4" with a similar
  title) as the obligation; or it, or its section, refers to the obligation's document by number,
  by title or by date ("de op 13 juni 2024 aangenomen conclusies van de Raad over ..."); or its
  document refers to it somewhere.
- subject (topical): cosine of the obligation's text to the stored passage vector, IDF-weighted
  overlap of stemmed words with the passage's best sentence, and a shared actor.
``confidence = topical * (TOPICAL_WEIGHT + prior)``: structure amplifies a shared subject but never
replaces it, so a passage that only shares a topic stays at or below ``TOPICAL_WEIGHT`` and a passage
in the right section about something else stays low (a passage under the same action number is
kept at ``ACTION_FLOOR``, so every action shows its report section). Only links above
``MIN_CONFIDENCE`` are kept, ``MAX_LINKS`` per obligation. The best sentence (with a following
sentence that refers back to it, "Deze inventarisatie zal ...") is the evidence text, and
``nlp.progress`` reads its status. A completion read in a sentence that names the obligation's own
document, or that restates an obligation, counts as a mention. Weights were set on the sample
corpus with the offline English MiniLM, whose cosines on Dutch text separate poorly (unrelated
passages about 0.5), hence the weight on word overlap.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from spacy.language import Language

from conclusio.records import EvidenceLink, Obligation, Passage
from index.analysis import analyze, fold
from index.store import ObligationQuery, Store
from nlp.actors import find_actors
from nlp.annotate import sentences
from nlp.deadlines import tag_text
from nlp.progress import STATUS_ORDER, progress_reader
from tracking.document_ties import (
    DocumentInfo,
    load_documents,
    names_document,
    obligation_action,
    passage_action,
    plain,
    point_numbers,
    text_names,
)

MIN_CONFIDENCE = 0.35
MAX_LINKS = 3
TOPICAL_WEIGHT = 0.6  # what a link with no structural tie can reach at best
PRIOR_ACTION = 0.5  # same action number and a similar action title
PRIOR_SECTION_REFERENCE = 0.3  # the passage or its section names the obligation's document
PRIOR_DOCUMENT_REFERENCE = 0.1  # the later document names it somewhere else
ACTION_FLOOR = 0.4  # a passage under the same numbered action is always worth showing
ON_TIME_BONUS = 0.1  # a completion dated inside the obligation's due period ("in november 2024" for "eind 2024")
SEMANTIC_SHARE, LEXICAL_SHARE, ACTOR_SHARE = 0.3, 0.6, 0.1  # parts of the topical score
LEXICAL_ACTION_SHARE = 0.6  # the action clause weighs more than the rest of the unit's text
LEXICAL_SCALE = 2.5  # an IDF-weighted word cosine of 0.4 is already a clear match between two texts
PRECISION_SHARE = 0.6  # a short report sentence made of the obligation's own words counts too
MIN_SHARED_WORDS = 3
ACTION_TITLE_MIN = 0.3  # Jaccard of stemmed action titles for "Actie N" to count as the same action
SECTION_MAX_SHARE = 0.25  # a "section" holding more of the document than this is the whole document

_ANAPHORA = frozenset("deze dit die dat hiermee daarmee daarbij hierbij".split())


@dataclass
class _Sentence:
    text: str
    terms: frozenset[str]
    folded: str = ""
    names: frozenset[str] = frozenset()  # earlier documents this sentence names itself
    norm: float = 0.0  # IDF norm of its terms, computed on first use
    weight: float = 0.0  # IDF sum of its word terms, computed on first use


@dataclass
class _Candidate:
    """A body passage of some document that may report on an earlier obligation."""

    passage: Passage
    doc_date: str
    sentences: list[_Sentence]
    action: tuple[str, frozenset[str]] | None  # (number, title terms)
    names: set[str] = field(default_factory=set)  # source files this passage or its section refers to
    vector_row: int = -1
    points: frozenset[str] = frozenset()  # numbered points its own label or section headings report on


def refresh_evidence(store: Store, embedder: Any, nlp: Language) -> int:
    """Recompute every machine evidence link in the store; returns how many were stored."""
    documents = load_documents(store)
    obligations = store.obligations(ObligationQuery())
    candidates = _candidates(documents, nlp)
    if not obligations or not candidates:
        store.replace_evidence([])
        return 0
    passage_ids = [c.passage.passage_id for c in candidates]
    passage_vectors = np.asarray(store.passage_vectors(passage_ids), dtype=np.float32)
    for row, candidate in enumerate(candidates):
        candidate.vector_row = row
    obligation_vectors = _obligation_vectors(store, embedder, obligations)
    idf = _idf(candidates)
    classifier = progress_reader(nlp)
    commitments: dict[str, list[frozenset[str]]] = defaultdict(list)
    for other in obligations:
        commitments[other.passage_id].append(_content_terms(other.source_text))
    readings: dict[str, list] = {}
    links: list[EvidenceLink] = []
    for obligation, vector in zip(obligations, obligation_vectors, strict=True):
        home = documents.get(obligation.source_file)
        if home is None or home.date is None:
            continue
        scored = _score(obligation, home, documents, candidates, passage_vectors @ vector, idf)
        for confidence, method, candidate, sentence in scored[:MAX_LINKS]:
            passage_id = candidate.passage.passage_id
            if passage_id not in readings:
                readings[passage_id] = classifier.classify_sentences(
                    candidate.passage.text, date.fromisoformat(candidate.doc_date)
                )
            sentence = _deciding_sentence(nlp, obligation, candidate, sentence, readings[passage_id], idf)
            restates = _restates_an_obligation(sentence, commitments[passage_id])
            link = _link(nlp, obligation, candidate, sentence, confidence, method, readings[passage_id], restates)
            links.append(link)
    store.replace_evidence(links)
    return len(links)


def _link(
    nlp: Language,
    obligation: Obligation,
    candidate: _Candidate,
    sentence: _Sentence,
    confidence: float,
    method: str,
    readings: Sequence[Any],
    restates: bool,
) -> EvidenceLink:
    """The evidence link, with the progress its sentence reports measured against the obligation's deadline."""
    reading = _reading_for(readings, sentence.text)
    status, new_end = (reading.status, reading.new_end) if reading else ("mentioned", None)
    cue = reading.cue if reading else None
    if status == "completed" and (obligation.source_file in sentence.names or restates):
        # "de op 13 juni aangenomen conclusies": the document was adopted, not the action done;
        # a later request or commitment repeating the action is no report of it either
        status = "mentioned"
    if status == "completed" and _dated_within(nlp, sentence.text, obligation, candidate.doc_date):
        confidence = min(1.0, confidence + ON_TIME_BONUS)
    deadline_end = obligation.deadline.end if obligation.deadline else None
    if status in {"in_progress", "rescheduled"}:
        late = bool(new_end and deadline_end and new_end > deadline_end)
        status = "rescheduled" if late else "in_progress"
    passage = candidate.passage
    return EvidenceLink(
        obligation_id=obligation.id,
        passage_id=passage.passage_id,
        source_file=passage.source_file,
        paragraph=passage.paragraph,
        text=sentence.text,
        status=status,
        confidence=round(confidence, 3),
        doc_date=candidate.doc_date,
        new_end=new_end,
        method=method,
        actors=find_actors(nlp, sentence.text),
        page=passage.page,
        cue=cue,
    )


def _obligation_vectors(store: Store, embedder: Any, obligations: Sequence[Obligation]) -> np.ndarray:
    """The stored vector of each obligation's passage; encoded afresh only when the store has none."""
    ids = [o.passage_id for o in obligations]
    vectors = np.asarray(store.passage_vectors(ids), dtype=np.float32)
    if vectors.shape[0] == len(ids):
        return vectors
    return embedder.encode_passages([plain(o.source_text) for o in obligations])


def _score(
    obligation: Obligation,
    home: DocumentInfo,
    documents: dict[str, DocumentInfo],
    candidates: Sequence[_Candidate],
    cosines: np.ndarray,
    idf: dict[str, float],
) -> list[tuple[float, str, _Candidate, _Sentence]]:
    """Candidates above the threshold for one obligation, best first."""
    action_terms = _content_terms(obligation.action or obligation.source_text)
    source_terms = _content_terms(obligation.source_text)
    action_norm, source_norm = _norm(action_terms, idf), _norm(source_terms, idf)
    action = obligation_action(obligation, home.document)
    actors = {fold(a) for a in obligation.actors if len(a) > 2}
    scored = []
    point = (obligation.paragraph or "").strip().lower()
    for candidate in candidates:
        if candidate.passage.source_file == obligation.source_file or candidate.doc_date <= (home.date or ""):
            continue
        prior, method = _prior(action, point, candidate, home, documents)
        sentence, lexical = max(
            (
                (s, max(
                    LEXICAL_ACTION_SHARE * _weighted_cosine(action_terms, action_norm, s, idf)
                    + (1 - LEXICAL_ACTION_SHARE) * _weighted_cosine(source_terms, source_norm, s, idf),
                    PRECISION_SHARE * _sentence_precision(source_terms, s, idf),
                ))
                for s in candidate.sentences
            ),
            key=lambda pair: pair[1],
        )
        semantic = _rescale(float(cosines[candidate.vector_row]))
        shared_actor = 1.0 if any(a in sentence.folded for a in actors) else 0.0
        topical = min(1.0, SEMANTIC_SHARE * semantic + LEXICAL_SHARE * min(1.0, LEXICAL_SCALE * lexical) + ACTOR_SHARE * shared_actor)
        confidence = min(1.0, topical * (TOPICAL_WEIGHT + prior))
        if method == "action_number":
            confidence = max(confidence, ACTION_FLOOR)
        if confidence >= MIN_CONFIDENCE:
            scored.append((confidence, topical, method, candidate, sentence))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [(confidence, method, candidate, sentence) for confidence, _, method, candidate, sentence in scored]


DECIDING_SHARE = 0.5  # a sentence at least this close to the best one may decide instead of it


def _deciding_sentence(
    nlp: Language,
    obligation: Obligation,
    candidate: _Candidate,
    best: _Sentence,
    readings: Sequence[Any],
    idf: dict[str, float],
) -> _Sentence:
    """The sentence of a linked passage that decides the obligation's progress.

    The sentence closest in words to the obligation often restates its aim ("Het doel van deze actie
    was ..."); the one that decides says what happened ("werd in januari 2024 gelanceerd"). Among the
    passage's sentences about as close to the obligation as the best one, one that reports progress and
    names the obligation's own actor (or none) wins; a neighbour's completion by another actor does not.
    """
    action_terms = _content_terms(obligation.action or obligation.source_text)
    source_terms = _content_terms(obligation.source_text)
    action_norm, source_norm = _norm(action_terms, idf), _norm(source_terms, idf)

    def closeness(sentence: _Sentence) -> float:
        return LEXICAL_ACTION_SHARE * _weighted_cosine(action_terms, action_norm, sentence, idf) + (
            1 - LEXICAL_ACTION_SHARE
        ) * _weighted_cosine(source_terms, source_norm, sentence, idf)

    top = closeness(best)
    own = set(obligation.actors)
    folded_own = {fold(a) for a in own if len(a) > 2}
    choices = []
    for sentence in candidate.sentences:
        near = closeness(sentence)
        if near < DECIDING_SHARE * top or near == 0.0:
            continue
        reading = _reading_for(readings, sentence.text)
        progress = reading is not None and reading.status != "mentioned"
        named = set(find_actors(nlp, sentence.text))
        own_actor = bool(named & own) or any(a in sentence.folded for a in folded_own)
        other_actor_only = bool(named) and not own_actor
        choices.append((progress and not other_actor_only, progress, own_actor, near, sentence))
    if not choices:
        return best
    return max(choices, key=lambda c: c[:4])[4]


def _sentence_precision(terms: frozenset[str], sentence: _Sentence, idf: dict[str, float]) -> float:
    """Share of the sentence's word weight that the obligation's words cover (when enough words are shared)."""
    shared = terms & sentence.terms
    if len(shared) < MIN_SHARED_WORDS:
        return 0.0
    if sentence.weight == 0.0:
        sentence.weight = sum(idf.get(t, 0.0) for t in sentence.terms if not t.isdigit()) or 1.0
    return sum(idf.get(t, 0.0) for t in shared) / sentence.weight


def _restates_an_obligation(sentence: _Sentence, commitments: Sequence[frozenset[str]]) -> bool:
    """Whether the sentence is (mostly) the text of an obligation found in the same passage."""
    own = _content_terms(sentence.text)
    return bool(own) and any(len(own & terms) >= 0.6 * len(own) for terms in commitments)


def _dated_within(nlp: Language, text: str, obligation: Obligation, doc_date: str) -> bool:
    """Whether the sentence dates what it reports inside the obligation's own due period ("in november 2024")."""
    deadline = obligation.deadline
    if deadline is None or not deadline.start or not deadline.end or deadline.granularity in {"year", "years"}:
        return False  # a whole year is too wide a window to tell an on-time delivery from any event
    for tagged in tag_text(nlp, text, date.fromisoformat(doc_date)):
        found = tagged.deadline
        if found.start and found.end and deadline.start <= found.start and found.end <= deadline.end:
            return True
    return False


def _content_terms(text: str) -> frozenset[str]:
    """Stemmed words without numbers: dates and counts match across unrelated sentences."""
    return frozenset(t for t in analyze(plain(text)) if not any(ch.isdigit() for ch in t))


def _norm(terms: frozenset[str], idf: dict[str, float]) -> float:
    return math.sqrt(sum(idf.get(t, 0.0) ** 2 for t in terms)) or 1.0


def _weighted_cosine(terms: frozenset[str], norm: float, sentence: _Sentence, idf: dict[str, float]) -> float:
    """IDF-weighted cosine of two word sets, so a long obligation is not penalised for its length alone."""
    shared = terms & sentence.terms
    if not shared:
        return 0.0
    if sentence.norm == 0.0:
        sentence.norm = _norm(sentence.terms, idf)
    return sum(idf.get(t, 0.0) ** 2 for t in shared) / (norm * sentence.norm)


def _prior(
    action: tuple[str, frozenset[str]] | None,
    point: str,
    candidate: _Candidate,
    home: DocumentInfo,
    documents: dict[str, DocumentInfo],
) -> tuple[float, str]:
    if action and candidate.action and action[0] == candidate.action[0]:
        if _jaccard(action[1], candidate.action[1]) >= ACTION_TITLE_MIN:
            return PRIOR_ACTION, "action_number"
    source = home.document.source_file
    later = documents[candidate.passage.source_file]
    names_home = source in candidate.names or source in later.named or names_document(later, home)
    if point and point in candidate.points and names_home:
        # a report on these conclusions, in its section on this point ("Punten 4 tot en met 9: ...")
        return PRIOR_ACTION, "point_number"
    if source in candidate.names:
        return PRIOR_SECTION_REFERENCE, "doc_reference"
    if names_home:
        return PRIOR_DOCUMENT_REFERENCE, "similarity"
    return 0.0, "similarity"


def _rescale(cosine: float) -> float:
    """Cosine to 0..1 where unrelated passages of the same genre (cosine about 0.5) sit near 0."""
    return min(1.0, max(0.0, (cosine - 0.5) / 0.35))


def _candidates(documents: dict[str, DocumentInfo], nlp: Language) -> list[_Candidate]:
    """Body passages of dated documents, each with the earlier documents it or its section names."""
    out: list[_Candidate] = []
    for info in documents.values():
        if info.date is None:
            continue
        earlier = [o for o in documents.values() if o.date and o.date < info.date]
        body = [p for p in info.document.passages if p.kind == "body"]
        by_id = {p.passage_id: p for p in info.document.passages}
        direct: dict[str, set[str]] = defaultdict(set)
        for passage in info.document.passages:
            named = {o.document.source_file for o in earlier if text_names(passage.text, o)}
            target = by_id.get(passage.cited_by) if passage.kind == "footnote" and passage.cited_by else passage
            if target is not None and named:
                direct[target.passage_id] |= named
                info.named |= named
        sections = Counter(tuple(p.section_path) for p in body)
        section_names: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for passage in body:
            key = tuple(passage.section_path)
            if key and sections[key] <= max(2, SECTION_MAX_SHARE * len(body)):
                section_names[key] |= direct.get(passage.passage_id, set())
        for passage in body:
            text = plain(passage.text)
            parts = [_sentence(s.text) for s in sentences(nlp, text).sents]
            parts = _with_continuations([s for s in parts if s.terms]) or [_sentence(text)]
            for sentence in parts:
                sentence.names = frozenset(
                    o.document.source_file for o in earlier if text_names(sentence.text, o, sentence.terms)
                )
            names = direct.get(passage.passage_id, set()) | section_names.get(tuple(passage.section_path), set())
            points = point_numbers(" ; ".join([*passage.section_path, passage.paragraph or ""]))
            out.append(_Candidate(passage, info.date, parts, passage_action(passage, info.document), names,
                                  points=points))
    return out


def _sentence(text: str) -> _Sentence:
    return _Sentence(text.strip(), frozenset(analyze(text)), fold(text))


def _with_continuations(parts: list[_Sentence]) -> list[_Sentence]:
    """Join a sentence that goes on about the one before ("Deze inventarisatie zal ...") to it."""
    out: list[_Sentence] = []
    for sentence in parts:
        first = sentence.text.split(maxsplit=1)[0].lower() if sentence.text else ""
        if out and first in _ANAPHORA:
            previous = out.pop()
            sentence = _Sentence(
                f"{previous.text} {sentence.text}", previous.terms | sentence.terms, f"{previous.folded} {sentence.folded}"
            )
        out.append(sentence)
    return out


def _reading_for(readings: Sequence[Any], text: str) -> Any:
    """The least finished reading among the sentences that make up the evidence text."""
    inside = [r for r in readings if r.sentence and (r.sentence in text or text in r.sentence)]
    return min(inside, key=lambda r: (STATUS_ORDER[r.status], r.new_end is None), default=None)


def _idf(candidates: Sequence[_Candidate]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    for candidate in candidates:
        frequency.update(set().union(*(s.terms for s in candidate.sentences)))
    n = len(candidates)
    return {term: math.log((n + 1) / (df + 0.5)) for term, df in frequency.items()}


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


