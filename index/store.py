"""The store interface every backend satisfies (embedded SQLite, OpenSearch).

``Store`` holds what is *derived* from the documents (passages, vectors, obligations, evidence
links, the actors each passage names): re-ingesting rebuilds it. What users author (reviews,
status overrides, the audit trail) is tracking's, kept apart (``tracking.curation``).

Search belongs in ``Store`` (unlike Haystack) because hybrid search must behave the same
over SQLite and OpenSearch; fusion (RRF) is a pure function in ``index.fusion`` that never
sees a store. One contract suite in ``tests/index/test_store_contract.py`` runs against
every backend.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from conclusio.clearance import Clearance
from conclusio.records import Document, DocumentMetadata, EvidenceLink, Obligation, Passage
from index.query_language import Node


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions on which passages a search may return; empty means no restriction."""

    kinds: tuple[str, ...] = ()  # document kinds
    source_files: tuple[str, ...] = ()
    date_from: str | None = None  # ISO, inclusive, on the document date
    date_to: str | None = None
    actors: tuple[str, ...] = ()  # canonical actor names mentioned in the passage or its document's obligations
    classifications: tuple[str, ...] = ()
    has_obligations: bool | None = None
    languages: tuple[str, ...] = ()
    passage_kinds: tuple[str, ...] = ("body", "heading")  # footnotes only when asked
    # Only these passages (e.g. those stating an overdue obligation, resolved above the index); None: any.
    passage_ids: tuple[str, ...] | None = None
    # What the passage's own words must satisfy: the query language's operators (index.query_language).
    matching: Node | None = None


@dataclass(frozen=True)
class LexicalQuery:
    """A keyword query before backend-specific analysis.

    ``text`` is the user's words; ``expansions`` are extra terms (translations, synonyms)
    with a weight below 1; ``phrases`` are quoted phrases that must match as phrases;
    ``prefixes`` rank passages with words starting with them (what must match is
    ``SearchFilters.matching``). Each backend analyses these its own way (SQLite:
    ``index.analysis``; OpenSearch: the same chain as a custom analyzer) and never lets query
    syntax reach its engine. A query without words returns nothing, unless ``match_all`` asks
    for every passage the filters allow, by document date ("newest" or "oldest" first), then
    in document order, each with score 0.
    """

    text: str
    expansions: tuple[tuple[str, float], ...] = ()
    phrases: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    match_all: str | None = None  # "newest" | "oldest"


@dataclass(frozen=True)
class ScoredPassage:
    """A passage returned by one retriever, with that retriever's own score."""

    passage: Passage
    score: float
    highlights: tuple[str, ...] = ()  # matched surface terms, for snippets


@dataclass(frozen=True)
class ObligationQuery:
    """Filters for listing obligations; status is computed later, so it is not here."""

    actor: str | None = None
    source_files: tuple[str, ...] = ()
    due_before: str | None = None  # ISO: deadline end strictly before
    modality: str | None = None
    passage_ids: tuple[str, ...] = ()  # stated in one of these passages (a page of search hits)


@dataclass
class StoredDocument:
    """A document as listed by the store: metadata and counts, no passages."""

    source_file: str
    content_hash: str
    metadata: DocumentMetadata
    passages: int
    obligations: int
    ingested_at: str


@dataclass(frozen=True)
class StoreStats:
    documents: int
    passages: int
    obligations: int
    embedding_model: str | None
    embedding_dim: int | None
    location: str


@dataclass(frozen=True)
class JournalStep:
    """One step of an ingest run: derived work ("evidence"), or curation to re-anchor ("reanchor", a file)."""

    step: str
    key: str  # "" for a step of the whole run; the source file for a step about one document
    payload: dict
    done: bool


@dataclass(frozen=True)
class PendingRun:
    """An ingest run that began and did not finish: its documents may be written, its derived steps not."""

    run_id: int
    started_at: str
    pid: int
    steps: tuple[JournalStep, ...]


@dataclass
class FacetCounts:
    """Counts per value for each facet, over the hits of one search."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)


@runtime_checkable
class Store(Protocol):
    """Derived data: documents, passages, vectors, obligations, evidence links."""

    def for_clearance(self, clearance: Clearance) -> Store:
        """A read-only view that holds only the documents ``clearance`` may read (the store itself when it may
        read everything). Every read of the view (searches, facets, passages, documents, obligations, evidence,
        counts) filters inside its query; term statistics stay over the whole store (weights, never shown).
        """

    def document_state(self, source_file: str) -> str | None:
        """The stored content hash of a file, or None when it is not in the store."""

    def write_document(
        self,
        document: Document,
        vectors: np.ndarray,
        obligations: Sequence[Obligation],
        embedding_model: str,
        actors: Mapping[str, Collection[str]] | None = None,
        vector_passages: Sequence[int] | None = None,
    ) -> None:
        """Insert or atomically replace a document with its passages, vectors and obligations.

        ``vectors`` are normalised rows; ``vector_passages`` gives the index (in ``document.passages``)
        of the passage each row belongs to, so that a passage can have one row per sentence; None means
        one row per passage, in order. Every passage needs at least one row. Vector search scores a
        passage by its best row; ``passage_vectors`` returns the normalised mean of its rows.
        ``actors`` maps a passage id to the canonical actors it names (read by the nlp stage before the
        write); search filters and facets on them, together with the actors of each passage's obligations.
        Raises ``index.errors.ModelMismatchError`` when the store holds vectors of another model.
        """

    def delete_document(self, source_file: str) -> bool:
        """Remove a document and everything derived from it; False when it was not there."""

    def get_document(self, source_file: str) -> Document | None:
        """The document with its passages in order."""

    def list_documents(self) -> list[StoredDocument]:
        """All documents, oldest document date first."""

    def get_passages(self, passage_ids: Sequence[str]) -> list[Passage]:
        """Passages by id, in the order asked; unknown ids are skipped."""

    def keyword_search(self, query: LexicalQuery, filters: SearchFilters, k: int) -> list[ScoredPassage]:
        """Best ``k`` passages by lexical relevance (BM25 or the engine's equivalent)."""

    def keyword_candidates(self, query: LexicalQuery, filters: SearchFilters, k: int) -> list[tuple[str, float]]:
        """(passage id, score) of the passages ``keyword_search`` ranks first, in its order, without reading the
        passages or marking highlights (for callers that want candidates, such as the evidence linker)."""

    def vector_search(self, vector: np.ndarray, filters: SearchFilters, k: int) -> list[ScoredPassage]:
        """Best ``k`` passages by cosine similarity to a normalised query vector (a passage: its best row)."""

    def vector_candidates(self, vectors: np.ndarray, filters: SearchFilters, k: int) -> list[list[tuple[str, float]]]:
        """For each query vector (a row of ``vectors``), (passage id, score) of the passages ``vector_search``
        ranks first under the same filters, in its order; many queries answered at once."""

    def vector_scores(self, vector: np.ndarray, passage_ids: Sequence[str]) -> dict[str, float]:
        """The score ``vector_search`` gives each of these passages, by id; unknown ids are left out."""

    def passage_vectors(self, passage_ids: Sequence[str]) -> np.ndarray:
        """One normalised vector per passage (the mean of its rows), rows in the order asked; unknown ids skipped."""

    def facets(self, passage_ids: Sequence[str]) -> FacetCounts:
        """Facet counts (kind, document, actor, classification, language, has_obligations) over passages."""

    def obligations(self, query: ObligationQuery) -> list[Obligation]:
        """Obligations matching the query, in document then text order."""

    def replace_evidence(self, links: Sequence[EvidenceLink], obligation_ids: Sequence[str] | None = None) -> None:
        """Replace machine-found evidence links (derived data): all of them, or those of ``obligation_ids``."""

    def term_statistics(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        """(number of passages, in how many of them each analysed term occurs): for IDF weights outside search."""

    def evidence(self, obligation_ids: Sequence[str] | None = None) -> list[EvidenceLink]:
        """Machine-found evidence links, for some obligations or all."""

    def embedding_model(self) -> tuple[str, int] | None:
        """The (model name, dimension) the stored vectors were made with, or None when empty."""

    def stats(self) -> StoreStats:
        """Counts and the embedding model, for ``conclusio status``."""

    # The run journal: an ingest marks its derived steps pending before the first document commits and
    # finishes the run after them, so that work a crash left undone is found and completed.

    def begin_run(self, steps: Sequence[tuple[str, str]] = (("evidence", ""),)) -> int:
        """Record a new run with its pending (step, key) pairs; returns its id."""

    def journal_step(self, run_id: int, step: str, key: str, payload: Mapping) -> None:
        """Record (or replace) a pending step of a run with the data needed to complete it."""

    def step_done(self, run_id: int, step: str, key: str = "") -> None:
        """Mark one step of a run done."""

    def finish_run(self, run_id: int) -> None:
        """Mark a run and all its steps done."""

    def pending_runs(self) -> list[PendingRun]:
        """Runs that began and did not finish, oldest first, with their steps."""

    def check(self) -> list[str]:
        """What is broken in the store, one line each (empty: nothing found)."""

    def close(self) -> None:
        """Release connections."""


def passage_actors(
    passages: Sequence[Passage], obligations: Sequence[Obligation], actors: Mapping[str, Collection[str]] | None
) -> dict[str, set[str]]:
    """The actors every backend filters and facets on: those a passage names plus those of its obligations."""
    out: dict[str, set[str]] = defaultdict(set)
    for passage in passages:
        out[passage.passage_id].update((actors or {}).get(passage.passage_id, ()))
    for obligation in obligations:
        out[obligation.passage_id].update(obligation.actors)
    return out


@dataclass(frozen=True)
class VectorRows:
    """A document's vectors made ready for the store: rows grouped by passage, and one vector per passage."""

    vectors: np.ndarray  # float32, rows in passage order
    owners: np.ndarray  # the passage index of each row
    passage_vectors: np.ndarray  # the normalised mean of each passage's rows


def vector_rows(
    source_file: str, passages: int, vectors: np.ndarray, vector_passages: Sequence[int] | None
) -> VectorRows | None:
    """Check and group the vectors handed to ``write_document``; None for a document without passages.

    ``vector_passages`` names the passage index of each row; None means one row per passage, in order.
    Every passage needs at least one row (a passage without one could never be found by meaning).
    """
    if passages == 0:
        if len(vectors):
            raise ValueError(f"{source_file}: {len(vectors)} vectors for 0 passages")
        return None
    owners = np.arange(len(vectors)) if vector_passages is None else np.asarray(vector_passages, dtype=np.int64)
    if vectors.ndim != 2 or len(owners) != len(vectors):
        raise ValueError(f"{source_file}: vectors of shape {vectors.shape} for {len(owners)} row owners")
    if vector_passages is None and len(vectors) != passages:
        raise ValueError(f"{source_file}: {len(vectors)} vectors for {passages} passages")
    counts = np.bincount(owners, minlength=passages) if owners.size and owners.min() >= 0 else None
    if counts is None or len(counts) != passages or not counts.all():
        raise ValueError(f"{source_file}: every one of its {passages} passages needs at least one vector row")
    order = np.argsort(owners, kind="stable")
    owners, vectors = owners[order], vectors[order]
    sums = np.zeros((passages, vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, owners, vectors)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    means = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
    return VectorRows(np.ascontiguousarray(vectors), owners, means)
