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
``MIN_CONFIDENCE`` are kept, ``MAX_LINKS`` per obligation. A passage under another numbered action of
a report that has a section for the obligation's own action is no candidate ("Actie 7" does not report
on "Actie 8"). The deciding sentence is chosen at sentence level among the best passages and every
passage of the report's own section for the obligation: USE cosine of the sentence (encoded once per
refresh, only for these candidates) to the obligation's action clause, IDF-weighted word overlap, a
shared actor, and a preference for a sentence that reports progress over one that restates the aim. Within
the report's own section, each sentence is also compared with the section's other commitments: one clearly
closer to a neighbour does not decide, and one clearly closer to this commitment speaks for it.
A sentence that goes on about the one before ("Deze inventarisatie zal ...") is joined to it, and
``nlp.progress`` reads its status. A completion read in a sentence that names the obligation's own
document, or that restates an obligation, counts as a mention. Weights were set on the sample
corpus with the offline English MiniLM, whose cosines on Dutch text separate poorly (unrelated
passages about 0.5), hence the weight on word overlap. Cosines read differently per model (unrelated
passages about 0.27 with USE multilingual v3), so their scale is measured on the store's own vectors
(``cosine_scale``) and mapped onto the one the weights were set with.

Candidates come through the index, not from a scan of every passage: the passages of the later
documents that name the obligation's document (by metadata, or found by a keyword search for its
number or title and confirmed in the text), plus the best keyword and vector matches for the
obligation among later documents. Adding a document relinks only the obligations it can touch: its
own, those of the documents it names, and those its passages are closest to. A full refresh does the
same for every obligation, so its cost grows with the number of obligations, not with its square.
"""

from __future__ import annotations

import math
import re
from collections import ChainMap, Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from typing import Any

import numpy as np
from spacy.language import Language

from conclusio.records import Document, EvidenceLink, Obligation, Passage
from index.analysis import analyze, fold
from index.store import LexicalQuery, ObligationQuery, SearchFilters, Store
from nlp.actors import find_actors
from nlp.annotate import sentences
from nlp.deadlines import tag_text
from nlp.progress import STATUS_ORDER, progress_reader
from tracking.status import DONE_CONFIDENCE
from tracking.document_ties import (
    DocumentInfo,
    action_from_label,
    document_infos,
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

_NAMING_KINDS = ("body", "heading", "footnote")  # the passages in which a later document names an earlier one
_ANAPHORA = frozenset("deze dit die dat hiermee daarmee daarbij hierbij".split())


@dataclass
class _Sentence:
    text: str
    terms: frozenset[str]
    folded: str = ""
    norm: float = 0.0  # IDF norm of its terms, computed on first use
    weight: float = 0.0  # IDF sum of its word terms, computed on first use


@dataclass
class _Candidate:
    """A body passage of some document that may report on an earlier obligation."""

    passage: Passage
    doc_date: str
    sentences: list[_Sentence]
    action: tuple[str, frozenset[str]] | None  # (number, title terms)
    points: frozenset[str] = frozenset()  # numbered points its own label or section headings report on


K_LEXICAL = 20  # keyword matches among later documents considered per obligation
K_SEMANTIC = 20  # vector matches among later documents considered per obligation
K_REVERSE = 8  # per passage of a new document: the closest earlier passages stating obligations


def refresh_evidence(
    store: Store,
    embedder: Any,
    nlp: Language,
    changed: Collection[str] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute machine evidence links; returns how many were stored.

    ``changed`` (source files just written) relinks only the obligations those documents can touch;
    None relinks every obligation. ``on_progress(done, total)`` counts the obligations linked (a progress bar).
    """
    linker = EvidenceLinker(store, embedder, nlp)
    obligations = linker.obligations
    if changed is None:
        chosen = obligations
        links = linker.links_for(chosen, on_progress)
        store.replace_evidence(links)
        return len(links)
    affected = linker.affected_by(set(changed))
    chosen = [o for o in obligations if o.id in affected]
    links = linker.links_for(chosen, on_progress)
    store.replace_evidence(links, obligation_ids=[o.id for o in chosen])
    return len(links)


class _Progress:
    """Counts work done for an ``on_progress(done, total)`` callback, calling it about every 1% and at the end."""

    def __init__(self, callback: Callable[[int, int], None] | None, total: int):
        self.callback, self.total, self.done = callback, total, 0
        self.step, self.next = max(1, total // 100), 0
        if callback is not None:
            callback(0, total)

    def advance(self, count: int) -> None:
        self.done += count
        if self.callback is not None and (self.done >= self.next or self.done == self.total):
            self.callback(self.done, self.total)
            self.next = self.done + self.step


@dataclass
class _LoadedDocument:
    """A document read from the store for linking: its body passages, obligations and section sizes."""

    document: Document
    body: list[Passage]
    sections: Counter
    by_id: dict[str, Passage]


class EvidenceLinker:
    """Finds the evidence of obligations through the store's index; holds caches for one refresh."""

    def __init__(self, store: Store, embedder: Any, nlp: Language):
        self.store, self.embedder, self.nlp = store, embedder, nlp
        self.infos = document_infos(store)
        self.obligations = [o for o in store.obligations(ObligationQuery()) if o.source_file in self.infos]
        self.classifier = progress_reader(nlp)
        self._documents: dict[str, _LoadedDocument] = {}
        self._candidates: dict[str, _Candidate] = {}
        self._fetched: dict[str, Passage] = {}  # passages read ahead for ``_candidate``
        self._readings: dict[str, list] = {}
        self._naming: dict[str, set[str]] = {}
        self._names_in: dict[tuple[str, str], tuple[set[str], bool]] = {}
        self._commitments: dict[str, dict[str, list[frozenset[str]]]] = {}
        self._idf: dict[str, float] = {}
        self._sentence_vectors: dict[str, np.ndarray] = {}
        self._action_vector_of: dict[str, np.ndarray] = {}
        self._own_idf: dict[str, float] = {}
        self._sections: dict[str, tuple[dict[str, list[Obligation]], dict[str, list[Obligation]]]] = {}
        self._action_numbers: dict[str, frozenset[str]] = {}
        self._passages, _ = store.term_statistics(())

    @cached_property
    def cosine_scale(self) -> CosineScale:
        """The model's cosine scale measured on body passages spread over the stored documents."""
        files = sorted(self.infos)
        chosen = files[:: max(1, len(files) // SCALE_DOCUMENTS)][:SCALE_DOCUMENTS]  # a few, spread over the store
        per_document = max(1, SCALE_SAMPLE // max(1, len(chosen)))
        ids: list[str] = []
        for source_file in chosen:
            loaded = self._document(source_file)
            if loaded is not None:
                body = loaded.body
                ids.extend(p.passage_id for p in body[:: max(1, len(body) // per_document)][:per_document])
        vectors = np.asarray(self.store.passage_vectors(ids[:SCALE_SAMPLE]), dtype=np.float32)
        return cosine_scale(vectors[np.any(vectors, axis=1)])

    # ---- which obligations a new document can touch ------------------------------------

    def affected_by(self, changed: set[str]) -> set[str]:
        """Ids of the obligations whose links may change when ``changed`` documents were (re)written."""
        affected = {o.id for o in self.obligations if o.source_file in changed}
        for source_file in changed:
            if len(affected) == len(self.obligations):
                break  # every obligation is relinked already (a first ingest): no search can add one
            info = self.infos.get(source_file)
            if info is None or info.date is None:
                continue
            named = self._named_by(source_file, info)
            affected |= {o.id for o in self.obligations if o.source_file in named}
            affected |= self._closest_obligations(source_file, info.date)
        return affected

    def _named_by(self, source_file: str, info: DocumentInfo) -> set[str]:
        """Earlier documents that ``source_file`` names: by its metadata, or in the text of one of its passages.

        The inverse of ``naming``, read from the new document alone instead of a search per stored
        document; it finds every document ``naming`` can find for it (``naming`` confirms its keyword
        hits with the same ``text_names``), so no obligation that may change is left out.
        """
        earlier = {f: i for f, i in self.infos.items() if f != source_file and i.date and i.date < (info.date or "")}
        named = {f for f, i in earlier.items() if names_document(info, i)}
        loaded = self._document(source_file)
        texts = [(p.text, frozenset(analyze(plain(p.text)))) for p in loaded.document.passages
                 if p.kind in _NAMING_KINDS] if loaded else []
        for home, home_info in earlier.items():
            if home not in named and any(text_names(text, home_info, terms) for text, terms in texts):
                named.add(home)
        return named

    def _closest_obligations(self, source_file: str, day: str) -> set[str]:
        """Obligations of earlier documents stated in the passages closest to the new document's passages."""
        loaded = self._document(source_file)
        if loaded is None or not loaded.body:
            return set()
        by_passage: dict[str, list[str]] = defaultdict(list)
        for o in self.obligations:
            by_passage[o.passage_id].append(o.id)
        earlier = SearchFilters(date_to=_day_before(day), passage_kinds=("body",), has_obligations=True)
        found: set[str] = set()
        vectors = np.asarray(self.store.passage_vectors([p.passage_id for p in loaded.body]), dtype=np.float32)
        for hits in self.store.vector_candidates(vectors, earlier, K_REVERSE):
            for passage_id, _ in hits:
                found.update(by_passage.get(passage_id, ()))
        for passage in loaded.body:
            for passage_id, _ in self.store.keyword_candidates(LexicalQuery(_query_words(passage.text)), earlier, K_REVERSE):
                found.update(by_passage.get(passage_id, ()))
        return found

    # ---- links ---------------------------------------------------------------------------

    def links_for(
        self, obligations: Sequence[Obligation], on_progress: Callable[[int, int], None] | None = None
    ) -> list[EvidenceLink]:
        """The evidence links of these obligations: the best ``MAX_LINKS`` later passages of each, each with
        the sentence of it that reports on the obligation. ``on_progress(done, total)`` follows the obligations."""
        report = _Progress(on_progress, len(obligations))
        dated = [o for o in obligations if self.infos[o.source_file].date]
        report.advance(len(obligations) - len(dated))  # undated: nothing can come later
        vectors = _obligation_vectors(self.store, self.embedder, dated)
        actions = self._action_vectors(dated)
        self._action_vector_of.update({o.id: v for o, v in zip(dated, actions, strict=True)})
        nearest = self._vector_candidates(dated, vectors)
        links: list[EvidenceLink] = []
        for obligation, vector, action_vector, close in zip(dated, vectors, actions, nearest, strict=True):
            report.advance(1)
            home = self.infos[obligation.source_file]
            candidates = self._candidates_for(obligation, home, close)
            if not candidates:
                continue
            idf = self._idf_for(candidates)
            cosines = self._cosines(candidates, vector)
            scored = _score(self, obligation, home, candidates, cosines, idf)
            for choice in self._sentence_choices(obligation, scored, action_vector, idf)[:MAX_LINKS]:
                sentence, candidate = choice.sentence, choice.candidate
                passage_id = candidate.passage.passage_id
                restates = _restates_an_obligation(sentence, self._commitments_in(candidate.passage.source_file).get(passage_id, []))
                names_home = text_names(sentence.text, home, sentence.terms)
                links.append(_link(self.nlp, obligation, candidate, sentence, choice.confidence, choice.method,
                                   self._reading(candidate), restates or names_home, choice.neighbour))
        return links

    def _sentence_choices(
        self, obligation: Obligation, scored: Sequence[_Scored], action_vector: np.ndarray, idf: dict[str, float]
    ) -> list[_SentenceChoice]:
        """The candidate links of one obligation, each at its best sentence, best first.

        The pool is the best-scored passages plus every passage in the report's own section for the
        obligation ("Actie N", "Punten 4 tot en met 9": a section spreads over several passages, and the one
        that reports this commitment need not be the one closest to it as a whole). Each sentence of the pool is scored on its own: USE cosine
        to the obligation's action clause, IDF-weighted word overlap, a shared actor. A sentence that reports
        progress (done, under way, planned) is preferred over one that only restates the aim.
        """
        pool = list(scored[:MAX_LINKS]) + [item for item in scored[MAX_LINKS:] if item.method in _SECTION_METHODS]
        texts = [s.text for item in pool for s in item.candidate.sentences]
        self._encode_sentences(texts)
        topical_of = self._sentence_scorer(obligation, action_vector, idf)
        action_terms = _content_terms(obligation.action or obligation.source_text)
        choices = []
        for item in pool:
            readings = self._reading(item.candidate)
            # in the obligation's own report section, a sentence speaks for the commitment it is closest to: the
            # section's other commitments ("Actie 4" holds several) compete for each of its sentences
            in_section = item.method in _SECTION_METHODS
            neighbours = [self._sentence_scorer(other, self._action_vector(other), idf)
                          for other in self._section_neighbours(obligation, item)]
            best = None
            still_to_come = None  # the passage's best sentence on this commitment that reports work not done yet
            for sentence in item.candidate.sentences:
                topical = topical_of(sentence)
                reading = _reading_for(readings, sentence.text)
                reports = reading is not None and reading.status != "mentioned"
                closest_neighbour = max((score(sentence) for score in neighbours), default=0.0) if reports else 0.0
                # the sentence speaks of this commitment, in words or meaning of its own, clearly more than of any
                # neighbour; one clearly closer to a neighbour is that one's; one in between is the section's
                own = in_section and reports and topical >= SECTION_SENTENCE_MIN \
                    and topical >= closest_neighbour + CLEAR_MARGIN
                neighbour = reports and closest_neighbour >= SECTION_SENTENCE_MIN \
                    and topical < closest_neighbour - NEIGHBOUR_MARGIN
                reports = reports and not neighbour
                rank = topical + (PROGRESS_CUE_BONUS if reports else 0.0)
                if best is None or rank > best[0]:
                    best = (rank, topical, sentence, reports, neighbour, own)
                # a sentence about work still to come blocks a completion when it is on this commitment about as
                # much as on any other of the section (a long commitment with sub-points shares fewer of its words)
                on_it = in_section and reports and topical >= SECTION_SENTENCE_MIN / 2 \
                    and topical >= closest_neighbour - CLEAR_MARGIN
                if on_it and reading.status != "completed" and (still_to_come is None or rank > still_to_come[0]):
                    still_to_come = (rank, topical, sentence, reports, neighbour, own)
            if best[5] and still_to_come is not None and _reading_for(readings, best[2].text).status == "completed":
                # "... heeft besloten ...; de omvorming ... loopt vertraging op": one sentence on this commitment about
                # work still to come keeps the passage from reporting it done (the least finished reading wins)
                best = still_to_come
            rank, topical, sentence, reports, neighbour, own = best
            # the passage's own score and its best sentence's count alike: a long passage is not about an
            # obligation because one of its sentences is, nor the reverse
            blended = PASSAGE_SHARE * item.topical + (1 - PASSAGE_SHARE) * topical
            raw = min(1.0, blended * (TOPICAL_WEIGHT + item.prior))
            # the link's confidence stays the passage's (how sure it is about this obligation); the sentence
            # score chooses the sentence and orders the links. Measured on the dev pairs, confidence from the
            # sentence alone set more progress wrong: a short report sentence often shares no word with the
            # obligation its passage reports on
            confidence = item.confidence
            if own and len(action_terms & sentence.terms) >= MIN_SHARED_WORDS \
                    and _reading_for(readings, sentence.text).status == "completed":
                # a completion in the commitment's own words, in its own report section, and clearly about it rather
                # than about a neighbour: it may close the obligation (tracking.status, with its actor check)
                confidence = max(confidence, DONE_CONFIDENCE)
            choices.append(_SentenceChoice(rank - topical + raw, confidence, item.method, item.candidate, sentence,
                                           reports, neighbour, own))
        choices.sort(key=lambda c: -c.rank)
        return _section_confidence(choices)

    def _with_own_terms(self, idf: dict[str, float], obligation: Obligation) -> Mapping[str, float]:
        """``idf`` with the obligation's own words looked up too, so that comparing a sentence with the commitments
        of a section does not depend on which obligations were linked before in the same run (adding a document
        relinks only some). Kept apart from ``idf``, whose passage scores are set with it as it is."""
        own = _content_terms(obligation.action or obligation.source_text) | _content_terms(obligation.source_text)
        missing = [t for t in own if t not in idf and t not in self._own_idf]
        if missing and self._passages:
            n, frequencies = self.store.term_statistics(missing)
            self._own_idf.update({t: math.log((n + 1) / (frequencies.get(t, 0) + 0.5)) for t in missing})
        return ChainMap(idf, self._own_idf)

    def _sentence_scorer(self, obligation: Obligation, action_vector: np.ndarray, idf: dict[str, float]):
        """How close one report sentence is to an obligation: USE cosine to its action clause, IDF-weighted word
        overlap, and its actor named."""
        idf = self._with_own_terms(idf, obligation)
        closeness = _closeness(obligation, idf)
        actors = {fold(a) for a in obligation.actors if len(a) > 2}

        def topical(sentence: _Sentence) -> float:
            semantic = self.cosine_scale.rescale(float(self._sentence_vectors[sentence.text] @ action_vector))
            lexical = min(1.0, LEXICAL_SCALE * closeness(sentence))
            own = any(a in sentence.folded for a in actors)
            return SENTENCE_SEMANTIC * semantic + SENTENCE_LEXICAL * lexical + SENTENCE_ACTOR * own

        return topical

    def _action_vector(self, obligation: Obligation) -> np.ndarray:
        if obligation.id not in self._action_vector_of:
            self._action_vector_of[obligation.id] = self._action_vectors([obligation])[0]
        return self._action_vector_of[obligation.id]

    def _section_neighbours(self, obligation: Obligation, item: _Scored) -> list[Obligation]:
        """The other obligations of the same document whose own report section this passage is in: the same
        "Actie N", or a point the section heading names ("Punten 4 tot en met 9")."""
        if item.method not in _SECTION_METHODS:
            return []
        by_action, by_point = self._sections_of(obligation.source_file)
        candidate = item.candidate
        if item.method == "action_number" and candidate.action:
            found = by_action.get(candidate.action[0], [])
        else:
            found = [o for point in candidate.points for o in by_point.get(point, [])]
        return list({o.id: o for o in found if o.id != obligation.id}.values())

    def _sections_of(self, source_file: str) -> tuple[dict[str, list[Obligation]], dict[str, list[Obligation]]]:
        """A document's obligations by action number and by point."""
        if source_file not in self._sections:
            loaded = self._document(source_file)
            by_action: dict[str, list[Obligation]] = defaultdict(list)
            by_point: dict[str, list[Obligation]] = defaultdict(list)
            for o in self.obligations:
                if o.source_file != source_file:
                    continue
                action = obligation_action(o, loaded.document) if loaded else action_from_label(o.paragraph)
                if action:
                    by_action[action[0]].append(o)
                point = (o.paragraph or "").strip().lower()
                if point:
                    by_point[point].append(o)
            self._sections[source_file] = (by_action, by_point)
        return self._sections[source_file]

    def _action_vectors(self, obligations: Sequence[Obligation]) -> np.ndarray:
        """USE vectors of each obligation's action clause (what a report sentence about it speaks of)."""
        return self.embedder.encode_passages([plain(o.action or o.source_text) for o in obligations]) if obligations \
            else np.zeros((0, 1), dtype=np.float32)

    def _encode_sentences(self, texts: Sequence[str]) -> None:
        missing = list(dict.fromkeys(t for t in texts if t not in self._sentence_vectors))
        if missing:
            for text, vector in zip(missing, self.embedder.encode_passages(missing), strict=True):
                self._sentence_vectors[text] = np.asarray(vector, dtype=np.float32)

    def _vector_candidates(self, obligations: Sequence[Obligation], vectors: np.ndarray) -> list[list[str]]:
        """Each obligation's ``K_SEMANTIC`` closest passages of later documents: the obligations of one date are
        searched together (one filter, a few matrix products), not one search each."""
        out: list[list[str]] = [[] for _ in obligations]
        by_date: dict[str, list[int]] = defaultdict(list)
        for i, (obligation, vector) in enumerate(zip(obligations, vectors, strict=True)):
            if np.any(vector):
                by_date[self.infos[obligation.source_file].date].append(i)
        for day, chosen in by_date.items():
            later = SearchFilters(date_from=_day_after(day), passage_kinds=("body",))
            found = self.store.vector_candidates(np.asarray(vectors, dtype=np.float32)[chosen], later, K_SEMANTIC)
            for i, hits in zip(chosen, found, strict=True):
                out[i] = [passage_id for passage_id, _ in hits]
        return out

    def _candidates_for(self, obligation: Obligation, home: DocumentInfo, nearest: Sequence[str]) -> list[_Candidate]:
        """Later passages that may report on an obligation: every body passage of a later document that names
        its document, and the best keyword and vector matches among all later documents."""
        after = _day_after(home.date)
        later = SearchFilters(date_from=after, passage_kinds=("body",))
        ids: dict[str, None] = {}
        for source_file in sorted(self.naming(home.source_file)):
            loaded = self._document(source_file)
            ids.update((p.passage_id, None) for p in (loaded.body if loaded else ()))
        for passage_id, _ in self.store.keyword_candidates(
                LexicalQuery(_query_words(obligation.action or obligation.source_text)), later, K_LEXICAL):
            ids[passage_id] = None
        ids.update(dict.fromkeys(nearest))
        self._prefetch([passage_id for passage_id in ids if passage_id not in self._candidates])
        candidates = []
        for passage_id in ids:
            candidate = self._candidate(passage_id)
            if candidate is not None and candidate.doc_date > (home.date or ""):
                candidates.append(candidate)
        return candidates

    def naming(self, home: str) -> set[str]:
        """Later documents that name a document: in their metadata, or in their text (found by keyword search)."""
        if home in self._naming:
            return self._naming[home]
        info = self.infos[home]
        found: set[str] = set()
        if info.date:
            later = {f: i for f, i in self.infos.items() if f != home and i.date and i.date > info.date}
            found = {f for f, i in later.items() if names_document(i, info)}
            queries = [LexicalQuery(key) for key in info.number_keys if len(key) >= 5]
            if len(info.title_terms) >= 4:
                queries.append(LexicalQuery(" ".join(sorted(info.title_terms))))
            filters = SearchFilters(date_from=_day_after(info.date), passage_kinds=_NAMING_KINDS)
            for query in queries:
                hits = self.store.get_passages([pid for pid, _ in self.store.keyword_candidates(query, filters, 50)])
                for passage in hits:
                    source = passage.source_file
                    if source in later and source not in found and text_names(passage.text, info):
                        found.add(source)
        self._naming[home] = found
        return found

    def names_in(self, later: str, home: str) -> tuple[set[str], bool]:
        """(passages of ``later`` that, or whose section, name ``home``; whether ``later`` names it anywhere)."""
        key = (later, home)
        if key not in self._names_in:
            loaded, info = self._document(later), self.infos[home]
            direct: set[str] = set()
            for passage in loaded.document.passages if loaded else ():
                target = loaded.by_id.get(passage.cited_by) if passage.kind == "footnote" and passage.cited_by else passage
                if target is not None and text_names(passage.text, info):
                    direct.add(target.passage_id)
            named = set(direct)
            if loaded is not None:
                limit = max(2, SECTION_MAX_SHARE * len(loaded.body))
                sections = {tuple(p.section_path) for p in loaded.body if p.passage_id in direct
                            and p.section_path and loaded.sections[tuple(p.section_path)] <= limit}
                named |= {p.passage_id for p in loaded.body if tuple(p.section_path) in sections}
            self._names_in[key] = (named, bool(direct))
        return self._names_in[key]

    def action_numbers(self, source_file: str) -> frozenset[str]:
        """The numbered actions ("Actie N") a document has sections for."""
        if source_file not in self._action_numbers:
            loaded = self._document(source_file)
            found = {passage_action(p, loaded.document) for p in loaded.body} if loaded else set()
            self._action_numbers[source_file] = frozenset(a[0] for a in found if a)
        return self._action_numbers[source_file]

    # ---- caches ----------------------------------------------------------------------------

    def _document(self, source_file: str) -> _LoadedDocument | None:
        if source_file not in self._documents:
            document = self.store.get_document(source_file)
            if document is None:
                return None
            body = [p for p in document.passages if p.kind == "body"]
            self._documents[source_file] = _LoadedDocument(
                document, body, Counter(tuple(p.section_path) for p in body), {p.passage_id: p for p in document.passages}
            )
        return self._documents[source_file]

    def _prefetch(self, passage_ids: Sequence[str]) -> None:
        """Read the passages of candidates not read yet in one store call (not one call per candidate)."""
        if passage_ids:
            self._fetched.update((p.passage_id, p) for p in self.store.get_passages(passage_ids))

    def _candidate(self, passage_id: str) -> _Candidate | None:
        if passage_id not in self._candidates:
            passage = self._fetched.pop(passage_id, None)
            if passage is None:
                found = self.store.get_passages([passage_id])
                passage = found[0] if found else None
            if passage is None or passage.kind != "body":
                return None
            info = self.infos.get(passage.source_file)
            loaded = self._document(passage.source_file)
            if info is None or info.date is None or loaded is None:
                return None
            text = plain(passage.text)
            parts = [_sentence(s.text) for s in sentences(self.nlp, text).sents]
            parts = _with_continuations([s for s in parts if s.terms]) or [_sentence(text)]
            points = point_numbers(" ; ".join([*passage.section_path, passage.paragraph or ""]))
            self._candidates[passage_id] = _Candidate(passage, info.date, parts,
                                                      passage_action(passage, loaded.document), points=points)
        return self._candidates[passage_id]

    def _reading(self, candidate: _Candidate) -> list:
        passage_id = candidate.passage.passage_id
        if passage_id not in self._readings:
            self._readings[passage_id] = self.classifier.classify_sentences(
                candidate.passage.text, date.fromisoformat(candidate.doc_date)
            )
        return self._readings[passage_id]

    def _commitments_in(self, source_file: str) -> dict[str, list[frozenset[str]]]:
        if source_file not in self._commitments:
            stated: dict[str, list[frozenset[str]]] = defaultdict(list)
            for other in self.store.obligations(ObligationQuery(source_files=(source_file,))):
                stated[other.passage_id].append(_content_terms(other.source_text))
            self._commitments[source_file] = stated
        return self._commitments[source_file]

    def _idf_for(self, candidates: Sequence[_Candidate]) -> dict[str, float]:
        """IDF of the candidates' terms over the store's passages (or over the candidates, for a store without statistics)."""
        terms = set().union(*(s.terms for c in candidates for s in c.sentences))
        missing = [t for t in terms if t not in self._idf]
        if missing:
            if self._passages:
                n, frequencies = self.store.term_statistics(missing)
                for term in missing:
                    self._idf[term] = math.log((n + 1) / (frequencies.get(term, 0) + 0.5))
            else:
                local = _idf(candidates)
                self._idf.update({t: local.get(t, 0.0) for t in missing})
        return self._idf

    def _cosines(self, candidates: Sequence[_Candidate], vector: np.ndarray) -> np.ndarray:
        matrix = np.asarray(self.store.passage_vectors([c.passage.passage_id for c in candidates]), dtype=np.float32)
        if matrix.shape[0] != len(candidates) or not np.any(vector):
            return np.zeros(len(candidates), dtype=np.float32)
        return matrix @ np.asarray(vector, dtype=np.float32)


def _link(
    nlp: Language,
    obligation: Obligation,
    candidate: _Candidate,
    sentence: _Sentence,
    confidence: float,
    method: str,
    readings: Sequence[Any],
    restates: bool,
    neighbour: bool = False,
) -> EvidenceLink:
    """The evidence link, with the progress its sentence reports measured against the obligation's deadline.

    A sentence that reports on a neighbouring commitment of the same section shows, as a mention."""
    reading = _reading_for(readings, sentence.text)
    status, new_end = (reading.status, reading.new_end) if reading and not neighbour else ("mentioned", None)
    cue = reading.cue if reading and not neighbour else None
    if status == "completed" and restates:
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


@dataclass
class _Scored:
    """A candidate passage above the threshold for one obligation, with its parts of the score."""

    confidence: float
    topical: float
    prior: float
    method: str
    candidate: _Candidate
    sentence: _Sentence  # its sentence closest in words


@dataclass
class _SentenceChoice:
    """A candidate link at the sentence chosen to decide it."""

    rank: float
    confidence: float
    method: str
    candidate: _Candidate
    sentence: _Sentence
    reports: bool = False  # the sentence reports progress (done, under way, planned) on this obligation
    neighbour: bool = False  # it reports progress, but on another commitment of the same report section
    own: bool = False  # it reports progress and is closer to this commitment than to the section's others


def _section_confidence(choices: list[_SentenceChoice]) -> list[_SentenceChoice]:
    """Let the best progress sentence of the obligation's own report section show work on it.

    A report section often opens with the action's aim ("Het doel van deze actie was ..."), which is
    closest in words to the obligation and shows that the section is about it, and then says what
    happened in sentences of their own that share few of its words. The best-ranked sentence of the
    section that reports progress (and not on a neighbouring commitment, ``_sentence_choices``) speaks
    for the section. When it is closer to this commitment than to the section's others, it gets
    ``SECTION_LIFT``; when it is close to none of them, it gets ``SECTION_SHARE`` of the section's best
    confidence, so that a section that is only loosely about the obligation shows no work on it. Either
    way at most ``SECTION_LIFT``: that shows work in progress, while a completion must be about the
    obligation in its own words to close it (tracking.status closes an obligation from 0.5 only). The
    lifted sentence is kept among the stored links.
    """
    best_in_section: dict[tuple[str, tuple[str, ...]], float] = {}
    for choice in choices:
        if choice.method in _SECTION_METHODS:
            key = _section_key(choice.candidate)
            best_in_section[key] = max(best_in_section.get(key, 0.0), choice.confidence)
    lifted: set[tuple[str, tuple[str, ...]]] = set()
    out = []
    for choice in choices:  # best-ranked first
        key = _section_key(choice.candidate)
        if choice.method in _SECTION_METHODS and choice.reports and key not in lifted:
            lifted.add(key)
            lifted_to = SECTION_LIFT if choice.own else min(SECTION_SHARE * best_in_section[key], SECTION_LIFT)
            choice = replace(choice, confidence=max(choice.confidence, round(lifted_to, 3)))
            if len(out) >= MAX_LINKS:
                out.insert(MAX_LINKS - 1, choice)
                continue
        out.append(choice)
    return out


def _section_key(candidate: _Candidate) -> tuple[str, tuple[str, ...]]:
    return candidate.passage.source_file, tuple(candidate.passage.section_path)


def _score(
    linker: EvidenceLinker,
    obligation: Obligation,
    home: DocumentInfo,
    candidates: Sequence[_Candidate],
    cosines: np.ndarray,
    idf: dict[str, float],
) -> list[_Scored]:
    """Candidates above the threshold for one obligation, best first.

    A passage under another numbered action of a report that has a section for the obligation's own
    action is left out: "Actie 7" of a report does not report on "Actie 8" of the roadmap.
    """
    action_terms = _content_terms(obligation.action or obligation.source_text)
    source_terms = _content_terms(obligation.source_text)
    action_norm, source_norm = _norm(action_terms, idf), _norm(source_terms, idf)
    loaded = linker._document(obligation.source_file)
    action = obligation_action(obligation, loaded.document) if loaded else action_from_label(obligation.paragraph)
    actors = {fold(a) for a in obligation.actors if len(a) > 2}
    scored = []
    point = (obligation.paragraph or "").strip().lower()
    naming = linker.naming(home.source_file)
    for candidate, cosine in zip(candidates, cosines, strict=True):
        if candidate.passage.source_file == obligation.source_file or candidate.doc_date <= (home.date or ""):
            continue
        if action and candidate.action and candidate.action[0] != action[0] \
                and action[0] in linker.action_numbers(candidate.passage.source_file):
            continue
        prior, method = _prior(linker, action, point, candidate, home, naming)
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
        semantic = linker.cosine_scale.rescale(float(cosine))
        shared_actor = 1.0 if any(a in sentence.folded for a in actors) else 0.0
        topical = min(1.0, SEMANTIC_SHARE * semantic + LEXICAL_SHARE * min(1.0, LEXICAL_SCALE * lexical) + ACTOR_SHARE * shared_actor)
        confidence = min(1.0, topical * (TOPICAL_WEIGHT + prior))
        if method in _SECTION_METHODS:
            confidence = max(confidence, ACTION_FLOOR)
        if confidence >= MIN_CONFIDENCE:
            scored.append(_Scored(confidence, topical, prior, method, candidate, sentence))
    scored.sort(key=lambda item: (-item.confidence, -item.topical))
    return scored


# How one sentence of a candidate passage is scored against an obligation (``_sentence_choices``).
SENTENCE_SEMANTIC, SENTENCE_LEXICAL, SENTENCE_ACTOR = 0.45, 0.45, 0.1
PROGRESS_CUE_BONUS = 0.3  # a sentence that reports progress goes before a closer one that restates the aim
_SECTION_METHODS = frozenset({"action_number", "point_number"})  # the report's own section for the obligation
SECTION_SHARE = 0.9  # of its section's best confidence, for the section's best progress sentence
SECTION_LIFT = 0.49  # ... at most; and for one closest to this commitment: shows work in progress (from 0.45)
# but never closes the obligation (0.5) on the section's word alone
SECTION_SENTENCE_MIN = 0.2  # a progress sentence this far from every commitment of the section is on none of them
NEIGHBOUR_MARGIN = 0.15  # a sentence closer by this much to another commitment of the section is that one's (one report
# sentence often speaks for several commitments of its section: a smaller gap leaves it to all of them)
CLEAR_MARGIN = 0.05  # a sentence closer by this much to this commitment than to the others is about it
PASSAGE_SHARE = 0.5  # of a link's topical score: the passage as a whole; the rest is its chosen sentence


def _closeness(obligation: Obligation, idf: dict[str, float]):
    """IDF-weighted word closeness of a sentence to the obligation, its action clause weighing more."""
    action_terms = _content_terms(obligation.action or obligation.source_text)
    source_terms = _content_terms(obligation.source_text)
    action_norm, source_norm = _norm(action_terms, idf), _norm(source_terms, idf)

    def closeness(sentence: _Sentence) -> float:
        return LEXICAL_ACTION_SHARE * _weighted_cosine(action_terms, action_norm, sentence, idf) + (
            1 - LEXICAL_ACTION_SHARE
        ) * _weighted_cosine(source_terms, source_norm, sentence, idf)

    return closeness


def _sentence_precision(terms: frozenset[str], sentence: _Sentence, idf: dict[str, float]) -> float:
    """Share of the sentence's word weight that the obligation's words cover (when enough words are shared).

    Sums over word sets use ``math.fsum``: a plain sum depends on the set's order, which depends on the
    process's hash seed, and its last bit decided ties between candidates differently from run to run."""
    shared = terms & sentence.terms
    if len(shared) < MIN_SHARED_WORDS:
        return 0.0
    if sentence.weight == 0.0:
        sentence.weight = math.fsum(idf.get(t, 0.0) for t in sentence.terms if not t.isdigit()) or 1.0
    return math.fsum(idf.get(t, 0.0) for t in shared) / sentence.weight


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
    return math.sqrt(math.fsum(idf.get(t, 0.0) ** 2 for t in terms)) or 1.0


def _weighted_cosine(terms: frozenset[str], norm: float, sentence: _Sentence, idf: dict[str, float]) -> float:
    """IDF-weighted cosine of two word sets, so a long obligation is not penalised for its length alone."""
    shared = terms & sentence.terms
    if not shared:
        return 0.0
    if sentence.norm == 0.0:
        sentence.norm = _norm(sentence.terms, idf)
    return math.fsum(idf.get(t, 0.0) ** 2 for t in shared) / (norm * sentence.norm)


def _prior(
    linker: EvidenceLinker,
    action: tuple[str, frozenset[str]] | None,
    point: str,
    candidate: _Candidate,
    home: DocumentInfo,
    naming: set[str],
) -> tuple[float, str]:
    if action and candidate.action and action[0] == candidate.action[0]:
        if _jaccard(action[1], candidate.action[1]) >= ACTION_TITLE_MIN:
            return PRIOR_ACTION, "action_number"
    later = candidate.passage.source_file
    if later not in naming:
        return 0.0, "similarity"
    named_passages, names_anywhere = linker.names_in(later, home.source_file)
    in_named_section = candidate.passage.passage_id in named_passages
    if point and point in candidate.points:
        # a report on these conclusions, in its section on this point ("Punten 4 tot en met 9: ...")
        return PRIOR_ACTION, "point_number"
    if in_named_section:
        return PRIOR_SECTION_REFERENCE, "doc_reference"
    return PRIOR_DOCUMENT_REFERENCE, "similarity"


@dataclass(frozen=True)
class CosineScale:
    """How a model's cosines read on this store: ``unrelated`` maps to 0, ``unrelated + span`` to 1."""

    unrelated: float
    span: float

    def rescale(self, cosine: float) -> float:
        """Cosine to 0..1, unrelated passages of the same genre near 0."""
        return min(1.0, max(0.0, (cosine - self.unrelated) / self.span))


# The scale the weights were set with: all-MiniLM-L6-v2 with its English pivot, whose passage pairs
# on the sample corpus have a median cosine of 0.52 and a 99th percentile of 0.75.
MINILM_SCALE = CosineScale(0.5, 0.35)
TOP_PAIR_SCORE = 0.73  # where that scale put the 99th percentile of passage pairs: (0.75 - 0.5) / 0.35
SCALE_SAMPLE = 1500  # passages whose pairwise cosines measure the scale
SCALE_DOCUMENTS = 12  # documents they are read from (each read costs; a linking run reads some anyway)


def cosine_scale(vectors: np.ndarray) -> CosineScale:
    """The scale of these passage vectors' model: their median pair cosine, and the span that puts the
    99th percentile where ``MINILM_SCALE`` put it. Models differ widely (median 0.52 for MiniLM with
    its pivot, 0.27 for USE multilingual v3 on the sample corpus), so fixed thresholds would not carry."""
    if len(vectors) < 20:
        return MINILM_SCALE
    pairs = (vectors @ vectors.T)[np.triu_indices(len(vectors), 1)]
    unrelated, top = (float(x) for x in np.percentile(pairs, [50, 99]))
    span = (top - unrelated) / TOP_PAIR_SCORE
    return CosineScale(unrelated, span) if span > 0.05 else MINILM_SCALE


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




def _query_words(text: str, limit: int = 24) -> str:
    """The distinct words of a text, as a plain keyword query (no operators, no numbers)."""
    words = re.findall(r"[^\W\d_]{3,}", plain(text))
    return " ".join(list(dict.fromkeys(words))[:limit])


def _day_after(iso: str | None) -> str | None:
    return (date.fromisoformat(iso) + timedelta(days=1)).isoformat() if iso else None


def _day_before(iso: str) -> str:
    return (date.fromisoformat(iso) - timedelta(days=1)).isoformat()
