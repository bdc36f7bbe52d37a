"""The search surface the CLI and UI call: lexical, semantic or hybrid search, and `similar`.

Retrieval lives in the store (keyword and vector retrievers); this module reads the query
(``index.query_language``: operators, phrases, fields; hostile input), expands it across
languages, fuses the two ranked lists, sorts by relevance or document date, and turns
passages into hits with snippets and citations. Operators restrict both retrievers alike
(``SearchFilters.matching``): semantic search ranks the free text's meaning among the
passages the operators and fields allow.
"""

from __future__ import annotations

import copy
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from dataclasses import replace

from conclusio.records import Hit, Passage
from index.analysis import analyze
from index.crosslingual import Expansion, QueryExpander
from index.errors import SearchConfigError
from index.fusion import FUSION_METHODS, min_max_fusion, reciprocal_rank_fusion
from index.pivot import is_english_only
from index.query_filters import ObligationPassages, restricts, stated_in, with_fields
from index.query_language import HELP as QUERY_HELP
from index.query_language import MIN_PREFIX, ParsedQuery, parse_query
from index.similar import WEIGHT_MEANING, best_window, combined_similarity, cosine_rows, word_diff
from index.snippets import citation, highlight, make_snippet, query_terms
from index.store import FacetCounts, LexicalQuery, ScoredPassage, SearchFilters, Store, StoredDocument

MODES = ("hybrid", "lexical", "semantic")
SORTS = ("relevance", "newest", "oldest")  # newest and oldest: by document date, among the best matches
MAX_QUERY_CHARS = 1000
_PHRASE = re.compile(r"[\"“”„]([^\"“”„]+)[\"“”„]")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]", re.UNICODE)
DEFAULT_WEIGHTS = (1.0, 1.0)


@dataclass(frozen=True)
class FusionDefault:
    """How hybrid search fuses by default for a kind of model, when the settings leave it to ``auto``."""

    method: str
    weights: tuple[float, float]  # lexical, semantic
    rrf_k: int = 60


# USE multilingual v3 (with its blended English pivot, sentence vectors): its list helps keyword search
# only with a low weight. Tuned on the 45 dev queries (hybrid nDCG@10; lexical alone 0.773):
# min-max (1, 0.3) 0.783, (1, 0.2) 0.783, (1, 0.5) 0.769; RRF k=20 (1, 0.2) 0.778, k=60 (1, 0.2) 0.774,
# k=60 (1, 1) 0.705. The two best, fixed before the 46 blind queries were run, scored there: min-max
# (1, 0.3) 0.645, RRF k=20 (1, 0.2) 0.625 (lexical alone 0.593), so min-max is the default.
MULTILINGUAL_FUSION = FusionDefault("minmax", (1.0, 0.3))
# The offline English-only model, even with the English pivot (index.pivot), ranks Dutch
# passages well below lexical search, so by default its list counts less and is fused by
# min-max scores, not by rank. RRF gives a lexical first place barely more than a tenth
# place (1/61 vs 1/70), so passages both lists hold at middling ranks overtook keyword
# matches the weak model did not see. nDCG@10 of hybrid search, RRF (1, 0.3) -> min-max
# (1, 0.4): dev set (45 queries) 0.783 -> 0.789; 24 held-out queries written blind to the
# tuning 0.781 -> 0.847 (lexical alone 0.830).
ENGLISH_ONLY_FUSION = FusionDefault("minmax", (1.0, 0.4))


@dataclass
class SearchResult:
    """Hits with their facet counts, the expansions used, and a message when the query was odd."""

    hits: list[Hit] = field(default_factory=list)
    facets: FacetCounts = field(default_factory=FacetCounts)
    expansions: list[str] = field(default_factory=list)
    message: str | None = None
    language: str | None = None
    # How well anything matched, beyond the relative fused scores: the keyword candidates found (None when
    # keyword search did not run on its own) and the best raw cosine of the semantic list (None when it did not run).
    keyword_matches: int | None = None
    best_similarity: float | None = None


@dataclass(frozen=True)
class PreparedQuery:
    """A query made safe and read: the free text, its required phrases, notes for the user, the parse."""

    text: str
    phrases: tuple[str, ...]
    note: str | None
    parsed: ParsedQuery | None = None


def _trimmed(raw: object) -> tuple[str, str | None] | str:
    if not isinstance(raw, str):
        return "empty query"
    text = raw.replace("\x00", " ").strip()
    if not text:
        return "empty query"
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUERY_CHARS]
        return text, f"query cut to its first {MAX_QUERY_CHARS:,} characters"
    return text, None


def prepare_query(raw: object) -> PreparedQuery | str:
    """A usable query read by the query language, or the reason why there is none (never an exception)."""
    trimmed = _trimmed(raw)
    if isinstance(trimmed, str):
        return trimmed
    text, note = trimmed
    parsed = parse_query(text)
    notes = "; ".join(n for n in (note, *parsed.notices) if n) or None
    words = bool(_LETTER_OR_DIGIT.search(parsed.text) or parsed.prefixes or parsed.phrases)
    if not words and parsed.fields.empty:
        why = ("nothing to search for besides the excluded words" if parsed.boolean
               else "no searchable words in the query (only punctuation or symbols)")
        return "; ".join(n for n in (notes, why) if n)
    return PreparedQuery(parsed.text, parsed.phrases, notes, parsed)


def plain_text(raw: object) -> PreparedQuery | str:
    """Text read as words only (a draft for ``similar``): quotes dropped, no operators, no fields."""
    trimmed = _trimmed(raw)
    if isinstance(trimmed, str):
        return trimmed
    text, note = trimmed
    plain = " ".join(_PHRASE.sub(" \\1 ", text).replace('"', " ").split())
    if not _LETTER_OR_DIGIT.search(plain):
        return "no searchable words in the query (only punctuation or symbols)"
    return PreparedQuery(plain, (), note)


def semantic_text(expansion: Expansion, extra_terms: int = 6) -> str:
    """What the embedder encodes: the Dutch rendering plus the strongest Dutch expansions.

    The passages are Dutch, so the Dutch side of the query is what lies near them, with an
    English-only model (measured: the English query text itself only adds noise) and with a
    multilingual one alike; the expansions give a short query more of the passages' words.
    """
    terms = [term for term, _ in expansion.terms[:extra_terms]]
    return " ".join([expansion.dutch_text, *terms]).strip()


MAX_POINTS_PER_LEAD_IN = 5


def is_addressee_lead_in(passage: Passage) -> bool:
    """True for an addressee block on its own ("verzoekt de Raad Europol:"), which has no content."""
    return passage.kind == "heading" and bool(passage.addressees) and passage.addressees.strip() == passage.text.strip()


def points_for_lead_ins(scored: list[ScoredPassage], points_under) -> list[ScoredPassage]:
    """A ranked list where each addressee lead-in gives its place to the points under it.

    A lead-in matches a query naming its addressee ("what did the Council ask Europol")
    and, being short, outranks everything on BM25, yet it answers nothing: the points
    below it do. They take its rank, best-ranked first (unranked ones in document order),
    at most ``MAX_POINTS_PER_LEAD_IN`` of them; a point already ranked higher stays put.
    """
    if not any(is_addressee_lead_in(sp.passage) for sp in scored):
        return scored
    position = {sp.passage.passage_id: i for i, sp in enumerate(scored)}
    ranked: list[ScoredPassage] = []
    seen: set[str] = set()
    for sp in scored:
        if not is_addressee_lead_in(sp.passage):
            if sp.passage.passage_id not in seen:
                seen.add(sp.passage.passage_id)
                ranked.append(sp)
            continue
        points = sorted(points_under(sp.passage), key=lambda p: (position.get(p.passage_id, len(scored)), p.seq))
        for point in [p for p in points if p.passage_id not in seen][:MAX_POINTS_PER_LEAD_IN]:
            seen.add(point.passage_id)
            ranked.append(ScoredPassage(point, sp.score))
    return ranked


def semantic_order(
    lexical: list[ScoredPassage],
    semantic: list[ScoredPassage],
    vector: np.ndarray | None,
    store: Store,
) -> list[str]:
    """Every candidate of either list, by closeness to the query vector, best first.

    The vector search returns its top ``depth`` only, so a passage BM25 ranks first may be
    absent from it and then lose, in RRF, to passages both lists hold at middling ranks.
    The store scores it as its vector search would (``Store.vector_scores``): both lists then
    rank the same candidates. A point that took an addressee lead-in's place keeps the lead-in's
    closeness. Dev set, RRF hybrid nDCG@10: 0.767 -> 0.774, Dutch paraphrases 0.510 -> 0.542.
    """
    closeness: dict[str, float] = {}
    for sp in semantic:
        closeness.setdefault(sp.passage.passage_id, sp.score)
    unranked = list(dict.fromkeys(sp.passage.passage_id for sp in lexical if sp.passage.passage_id not in closeness))
    if unranked and vector is not None:
        scores = store.vector_scores(vector, unranked)
        closeness.update((pid, scores[pid]) for pid in unranked if pid in scores)
    order = {pid: i for i, pid in enumerate(closeness)}
    return sorted(closeness, key=lambda pid: (-closeness[pid], order[pid]))


class Searcher:
    """Search over one store with one embedder; hold it for the session (it caches metadata)."""

    def __init__(
        self,
        store: Store,
        embedder,
        expander: QueryExpander | None,
        *,
        rrf_k: int = 60,
        weights: tuple[float, float] = (1.0, 1.0),
        fusion: str = "rrf",
        server_fusion: bool = False,
    ):
        self.store = store
        self.embedder = embedder
        self.expander = expander
        self.rrf_k = rrf_k
        self.weights = weights
        if fusion not in FUSION_METHODS:
            raise SearchConfigError(
                f"unknown search fusion {fusion!r} (CONCLUSIO_SEARCH_FUSION): use one of auto, {', '.join(FUSION_METHODS)}"
            )
        self.fusion = fusion
        # Hybrid search fused by the store itself (OpenSearch: a hybrid query through a search pipeline).
        self.server_fusion = server_fusion and hasattr(store, "hybrid_search")
        # One list object, so that the views ``over`` makes (shallow copies) share the threads made on first use.
        self._threads: list[ThreadPoolExecutor] = []
        self._threads_lock = threading.Lock()

    def over(self, store: Store) -> Searcher:
        """The same searcher (model, expander, fusion) over another store: a reader's view of this one."""
        searcher = copy.copy(self)
        searcher.store = store
        searcher.server_fusion = self.server_fusion and hasattr(store, "hybrid_search")
        return searcher

    @classmethod
    def from_settings(cls, settings, store: Store, embedder, expander: QueryExpander | None = None) -> Searcher:
        """A searcher with the expander and fusion parameters the settings name (``expander``: one already loaded)."""
        default = ENGLISH_ONLY_FUSION if is_english_only(embedder) else MULTILINGUAL_FUSION
        fusion = getattr(settings, "search_fusion", "auto")
        weights = tuple(settings.search_weights)
        rrf_k = settings.rrf_k
        if fusion == "auto":
            fusion = default.method
            if weights == DEFAULT_WEIGHTS:
                weights = default.weights
            if fusion == "rrf" and rrf_k == 60:
                rrf_k = default.rrf_k
        where = getattr(settings, "opensearch_fusion", "client")
        if where not in ("client", "server"):
            raise SearchConfigError(f"unknown fusion place {where!r} (CONCLUSIO_OPENSEARCH_FUSION): use client or server")
        return cls(store, embedder, expander or QueryExpander.from_settings(settings), rrf_k=rrf_k, weights=weights,
                   fusion=fusion, server_fusion=where == "server")

    # ---- search ----------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        mode: str = "hybrid",
        filters: SearchFilters = SearchFilters(),
        sort: str = "relevance",
        obligation_passages: ObligationPassages | None = None,
    ) -> SearchResult:
        """The best ``k`` passages for a query; odd input gives a message, never an exception.

        ``sort`` "newest" or "oldest" orders the best matches by document date. ``obligation_passages``
        answers the query's actor:, deadline: and status: fields (default: the store's obligations,
        without status, which tracking computes).
        """
        if mode not in MODES:
            return SearchResult(message=f"unknown mode {mode!r}: use one of {', '.join(MODES)}")
        if sort not in SORTS:
            return SearchResult(message=f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
        prepared = prepare_query(query)
        if isinstance(prepared, str):
            return SearchResult(message=prepared)
        parsed = prepared.parsed
        k = max(1, min(int(k), 200))
        depth = max(k * 5, 50)
        documents = {d.source_file: d for d in self.store.list_documents()}  # decoded once per store generation
        filters, notices = with_fields(
            filters, parsed.fields, list(documents.values()), obligation_passages or stated_in(self.store)
        )
        filters = replace(filters, matching=parsed.constraint)
        message = "; ".join(n for n in (prepared.note, *notices) if n) or None
        if not (parsed.text.strip() or parsed.prefixes or parsed.phrases):  # fields (and exclusions) only
            order = "oldest" if sort == "oldest" else "newest"
            listed = self.store.keyword_search(LexicalQuery("", match_all=order), filters, k)
            hits = [self._hit(sp, 0.0, frozenset(), documents) for sp in listed]
            facets = self.store.facets([h.passage_id for h in hits]) if hits else FacetCounts()
            if not hits:
                message = "; ".join(m for m in (message, "no passages match") if m)
            return SearchResult(hits, facets, [], message, None)
        expansion = self._expand(prepared)
        on_server = mode == "hybrid" and self.server_fusion
        lexical: list[ScoredPassage] = []
        pending_lexical: Future | None = None
        if mode == "hybrid" and not on_server:
            # The keyword query (SQLite FTS5) and the query's encoding and vector product (numpy) both release the
            # GIL: side by side a hybrid search takes about the longer of the two, not their sum.
            pending_lexical = self._background().submit(self._lexical, prepared, expansion, filters, depth)
        elif mode == "lexical":
            lexical = self._lexical(prepared, expansion, filters, depth)
        meaning = expansion if expansion.dutch_text.strip() else Expansion("nl", " ".join(parsed.prefixes))
        try:
            vector = self._query_vector(meaning) if mode != "lexical" else None
            semantic = self.store.vector_search(vector, filters, depth) if vector is not None and not on_server else []
        finally:
            if pending_lexical is not None:
                lexical = pending_lexical.result()
        if on_server:  # one request: the store fuses both lists (same fusion and weights) and returns them ranked
            lexical = self.store.hybrid_search(
                self._lexical_query(prepared, expansion), vector, filters, depth,
                fusion=self.fusion, weights=self.weights, rank_constant=self.rrf_k,
            ) if vector is not None else self._lexical(prepared, expansion, filters, depth)
            mode = "lexical"  # already one ranked list
        points_under: dict[str, list[Passage]] = {}  # one document read per lead-in, for both lists

        def points_of(lead_in: Passage) -> list[Passage]:
            if lead_in.passage_id not in points_under:
                points_under[lead_in.passage_id] = self._points_under(lead_in, filters)
            return points_under[lead_in.passage_id]

        lexical = points_for_lead_ins(lexical, points_of)
        semantic = points_for_lead_ins(semantic, points_of)
        ranked = self._rank(mode, lexical, semantic, vector)
        passages = {sp.passage.passage_id: sp for sp in [*semantic, *lexical]}  # lexical keeps its highlights
        if sort != "relevance":
            dates = {pid: _date(documents, sp.passage.source_file) for pid, sp in passages.items()}
            ranked = by_document_date(ranked[:depth], dates, newest_first=sort == "newest")
        terms = query_terms(expansion.dutch_text, *prepared.phrases, *(t for t, _ in expansion.terms))
        if expansion.language != "nl":
            terms = terms | query_terms(prepared.text)
        hits = [self._hit(passages[pid], score, terms, documents, parsed.prefixes) for pid, score in ranked[:k]]
        facet_ids = [pid for pid, _ in ranked[: max(k, 50)]]
        facets = self.store.facets(facet_ids) if facet_ids else FacetCounts()
        if not hits:
            message = "; ".join(m for m in (message, "no passages match") if m)
        keyword_matches = None if mode == "semantic" or on_server else len(lexical)
        best_similarity = max((sp.score for sp in semantic), default=None) if semantic else None
        return SearchResult(hits, facets, expansion.shown_terms, message, expansion.language,
                            keyword_matches=keyword_matches, best_similarity=best_similarity)

    def _background(self) -> ThreadPoolExecutor:
        """Threads for the keyword half of hybrid searches, made on first use, shared with this searcher's views."""
        with self._threads_lock:
            if not self._threads:
                self._threads.append(ThreadPoolExecutor(max_workers=4, thread_name_prefix="conclusio-keyword"))
            return self._threads[0]

    def _expand(self, prepared: PreparedQuery) -> Expansion:
        if self.expander is None or not prepared.text.strip():
            return Expansion("nl", prepared.text, phrases=prepared.phrases)
        return self.expander.expand(prepared.text, prepared.phrases)

    def _lexical(
        self, prepared: PreparedQuery, expansion: Expansion, filters: SearchFilters, depth: int
    ) -> list[ScoredPassage]:
        return self.store.keyword_search(self._lexical_query(prepared, expansion), filters, depth)

    def _lexical_query(self, prepared: PreparedQuery, expansion: Expansion) -> LexicalQuery:
        text = expansion.dutch_text
        if expansion.language != "nl":
            # Untranslated words (names, acronyms) still count, below the Dutch rendering.
            extra = tuple((w, 0.3) for w in prepared.text.split() if w.lower() not in text.lower())
        else:
            extra = ()
        prefixes = prepared.parsed.prefixes if prepared.parsed else ()
        return LexicalQuery(
            text=text, expansions=tuple(expansion.terms) + extra, phrases=prepared.phrases, prefixes=prefixes
        )

    def _query_vector(self, expansion: Expansion) -> np.ndarray | None:
        """The query's embedding; None when the model gives nothing to compare (an all-zero vector)."""
        text = semantic_text(expansion)
        if getattr(self.embedder, "pivot", None) is not None:  # render the bare query, not its expansions
            vector = self.embedder.encode_queries([text], pivot_sources=[expansion.dutch_text])[0]
        else:
            vector = self.embedder.encode_queries([text])[0]
        return vector if np.any(vector) else None

    def _rank(
        self, mode: str, lexical: list[ScoredPassage], semantic: list[ScoredPassage], vector: np.ndarray | None
    ) -> list[tuple[str, float]]:
        if mode == "lexical":
            return [(sp.passage.passage_id, sp.score) for sp in lexical]
        if mode == "semantic":
            return [(sp.passage.passage_id, sp.score) for sp in semantic]
        if self.fusion == "minmax":
            scored = [[(sp.passage.passage_id, sp.score) for sp in found] for found in (lexical, semantic)]
            return min_max_fusion(scored, self.weights)
        lists = [
            list(dict.fromkeys(sp.passage.passage_id for sp in lexical)),
            semantic_order(lexical, semantic, vector, self.store),
        ]
        return reciprocal_rank_fusion(lists, self.weights, k=self.rrf_k)

    def _points_under(self, lead_in: Passage, filters: SearchFilters = SearchFilters()) -> list[Passage]:
        """The points an addressee lead-in introduces: the passages after it that carry its block.

        When the search is restricted (operators, fields, filters), only the points that pass
        the restriction themselves: a point must not bring in what ``-eurojust`` excluded.
        """
        document = self.store.get_document(lead_in.source_file)
        if document is None:
            return []
        points = []
        for passage in document.passages:
            if passage.seq <= lead_in.seq or passage.kind == "footnote":
                continue
            if passage.addressees != lead_in.addressees or is_addressee_lead_in(passage):
                break
            points.append(passage)
        if points and restricts(filters):
            ids = [p.passage_id for p in points]
            if filters.passage_ids is not None:
                ids = [pid for pid in ids if pid in set(filters.passage_ids)]
            allowed = {
                sp.passage.passage_id
                for sp in self.store.keyword_search(
                    LexicalQuery("", match_all="newest"), replace(filters, passage_ids=tuple(ids)), len(ids) or 1
                )
            } if ids else set()
            points = [p for p in points if p.passage_id in allowed]
        return points

    # ---- similar ---------------------------------------------------------------------

    def similar(self, text: str, *, k: int = 5, filters: SearchFilters = SearchFilters()) -> list[Hit]:
        """Passages whose wording and meaning are closest to a draft, each with a word diff."""
        prepared = plain_text(text)
        if isinstance(prepared, str):
            return []
        draft = prepared.text
        depth = max(k * 6, 40)
        lexical = self.store.keyword_search(LexicalQuery(text=draft), filters, depth)
        vector = self.embedder.encode_queries([draft])[0]
        semantic = self.store.vector_search(vector, filters, depth)
        candidates = {sp.passage.passage_id: sp.passage for sp in [*lexical, *semantic]}
        if not candidates:
            return []
        cosines = self.store.vector_scores(vector, list(candidates))
        terms = query_terms(draft)
        scored = []
        for pid, passage in candidates.items():
            window = best_window(draft, passage.text)
            scored.append((combined_similarity(window, cosines.get(pid, 0.0)), passage, window))
        scored.sort(key=lambda item: -item[0])
        scored = self._rescore_windows(scored[: max(k * 2, 10)], vector)
        hits = []
        for similarity, passage, window in scored[:k]:
            hit = self._hit(ScoredPassage(passage, similarity), similarity, terms)
            hit.snippet = highlight(window.text, terms)
            hit.similarity = round(similarity, 4)
            hit.diff = word_diff(window.text, draft)
            hits.append(hit)
        return hits

    def _rescore_windows(self, scored: list, vector: np.ndarray) -> list:
        """Meaning of the best window itself, not only of its whole passage, for the front runners.

        A passage vector blurs one sentence among many; a draft is one sentence. Encoding only
        the shortlisted windows keeps this to one small batch.
        """
        if not scored:
            return scored
        window_vectors = self.embedder.encode_passages([window.text for _, _, window in scored])
        window_cosines = cosine_rows(window_vectors, vector).tolist()
        rescored = []
        for (similarity, passage, window), window_cosine in zip(scored, window_cosines):
            passage_cosine = (similarity - combined_similarity(window, 0.0)) / WEIGHT_MEANING
            meaning = max(passage_cosine, window_cosine)
            rescored.append((combined_similarity(window, meaning), passage, window))
        return sorted(rescored, key=lambda item: -item[0])

    # ---- hits ------------------------------------------------------------------------

    def _hit(
        self,
        scored: ScoredPassage,
        score: float,
        terms: frozenset[str],
        documents: dict[str, StoredDocument] | None = None,
        prefixes: tuple[str, ...] = (),
    ) -> Hit:
        passage: Passage = scored.passage
        stored = (documents if documents is not None else self._documents()).get(passage.source_file)
        number, title = (stored.metadata.doc_number, stored.metadata.title) if stored else (None, None)
        return Hit(
            passage_id=passage.passage_id,
            source_file=passage.source_file,
            doc_number=number,
            doc_title=title,
            paragraph=passage.paragraph,
            page=passage.page,
            score=round(float(score), 6),
            text=passage.text,
            snippet=make_snippet(passage.text, terms, scored.highlights, prefixes=prefixes),
            citation=citation(passage, number, title),
        )

    def _documents(self) -> dict[str, StoredDocument]:
        """Stored documents by file; the store decodes their metadata once per write generation."""
        return {d.source_file: d for d in self.store.list_documents()}


def by_document_date(
    ranked: list[tuple[str, float]], dates: dict[str, str | None], *, newest_first: bool
) -> list[tuple[str, float]]:
    """Ranked passages by their document's date (``dates`` by passage id; undated last), ties in rank order."""
    dated = [item for item in ranked if dates.get(item[0])]
    undated = [item for item in ranked if not dates.get(item[0])]
    return sorted(dated, key=lambda item: dates[item[0]], reverse=newest_first) + undated


def _date(documents: dict[str, StoredDocument], source_file: str) -> str | None:
    stored = documents.get(source_file)
    return stored.metadata.date if stored else None
