"""The ``Store`` over an OpenSearch cluster (2.19+ with the k-NN plugin), via opensearch-py.

Indices, all named ``{prefix}-...``: ``documents`` (one record per file: current version,
metadata, counts, cleaned text), ``passages`` (an alias over ``passages-d{dim}-{token}``:
Dutch text fields, keyword filter fields, nested ``sentences`` with a Lucene HNSW vector each,
and the passage's own vector in ``_source``), ``obligations``, ``evidence`` and ``meta``
(embedding model name, dimension and vector layout, current evidence batch).

Atomic replace without transactions (write-new-version-then-switch): OpenSearch has no
multi-document transactions, but a single-document write is atomic. Every write of a
document gets a fresh ``version`` (its content hash plus a write token). The store
1. bulk-indexes the new passages and obligations tagged ``doc_version = version`` (their
   ``_id`` includes the version, so they sit beside the old ones, invisible);
2. writes the document record pointing at the new version: this one write is the switch;
3. deletes, by query, the file's records of every other version.
Every read first collects the current versions from the documents index and filters on
``terms doc_version``, so a crash after step 1 leaves only invisible orphans (removed by
the next write of that file), and a crash after step 2 leaves a complete new document.
Evidence links use the same trick with a batch id recorded in ``meta``.

Fusion stays client-side by default (``index.fusion``: RRF or min-max) so both backends rank
alike. ``hybrid_search`` fuses on the server instead (one round trip for a large cluster): a
``hybrid`` query of the keyword bool and the ``knn`` clause through a search pipeline with the
``score-ranker-processor`` (RRF, OpenSearch 2.19+) or the ``normalization-processor`` (min-max,
weighted arithmetic mean); the Searcher uses it when ``CONCLUSIO_OPENSEARCH_FUSION=server``.
Facets are never taken from a hybrid query (its aggregations count the sub-queries' hits
unevenly): they come from a filtered query over the fused passage ids, as the embedded store
counts them (``facets``).

A reader's clearance (``for_clearance``) gives a view over the same client. The documents index holds
each document's markings in its record; the view reads them with the current versions (as every read
does) and keeps the versions of the documents the clearance permits (``conclusio.clearance``). Every
passages, obligations and facets request of the view then filters on those versions (``terms
doc_version``), passages requests also ``must_not`` the markings it may not read, and evidence requests
keep links whose passage and obligation both belong to readable documents.

Connections: ``Connection`` carries the URL, user, password and CA bundle (read by
``conclusio.settings`` from the environment); TLS follows the URL's scheme.
"""

from __future__ import annotations

import copy
import os
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import AuthenticationException, AuthorizationException, NotFoundError, RequestError
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import SSLError

from conclusio.clearance import Clearance
from conclusio.records import Document, DocumentMetadata, EvidenceLink, Obligation, Passage, from_dict, to_dict
from index import opensearch_mappings as bodies
from index.analysis import compound_parts_of
from index.errors import ModelMismatchError, StoreAccessError, StoreNotFoundError
from index.store import (
    FacetCounts,
    JournalStep,
    LexicalQuery,
    ObligationQuery,
    PendingRun,
    ScoredPassage,
    SearchFilters,
    passage_actors,
    StoreStats,
    StoredDocument,
    vector_rows,
)

_EMBEDDING_KEY = "embedding_model"
# How vectors are laid out in the passages index; a store written in another layout needs a re-embed.
VECTOR_LAYOUT = "sentences-v1"
_EVIDENCE_KEY = "evidence_batch"
_JOURNAL_KEY = "run_journal"
_FINISHED_RUNS_KEPT = 20
_PASSAGE_FIELDS = (
    "passage_id", "source_file", "seq", "text", "section_path", "paragraph", "addressees", "page",
    "page_end", "char_start", "char_end", "footnote_refs", "footnote_label", "cited_by", "table_row",
)  # fmt: skip


def redact_url(url: str) -> str:
    """The URL without user name and password, for messages and ``stats().location``."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@dataclass(frozen=True)
class IndexNames:
    """The names of one store's indices."""

    prefix: str

    @property
    def documents(self) -> str:
        return f"{self.prefix}-documents"

    @property
    def passages(self) -> str:
        return f"{self.prefix}-passages"  # an alias

    @property
    def obligations(self) -> str:
        return f"{self.prefix}-obligations"

    @property
    def evidence(self) -> str:
        return f"{self.prefix}-evidence"

    @property
    def meta(self) -> str:
        return f"{self.prefix}-meta"


@dataclass(frozen=True)
class Visibility:
    """What one read may see: the current versions and files of the readable documents, the markings it may not."""

    versions: list[str]
    files: list[str]
    hidden: tuple[str, ...] = ()


@dataclass(frozen=True)
class Connection:
    """Where the cluster is and how to log in: basic auth, TLS when the URL says https."""

    url: str
    user: str | None = None
    password: str | None = None
    ca_certs: str | None = None  # a PEM bundle that signs the server's certificate (e.g. a compose stack's own CA)
    verify_certs: bool = True

    @classmethod
    def from_settings(cls, settings: Any) -> Connection:
        """The connection the settings describe (``OPENSEARCH_URL``, ``OPENSEARCH_USER``, ...)."""
        return cls(
            url=settings.opensearch_url,
            user=settings.opensearch_user,
            password=settings.opensearch_password,
            ca_certs=str(settings.opensearch_ca_certs) if settings.opensearch_ca_certs else None,
            verify_certs=settings.opensearch_verify_certs,
        )

    def client_options(self) -> dict[str, Any]:
        """The keyword arguments of ``OpenSearch(...)`` for this connection."""
        options: dict[str, Any] = {"hosts": [self.url], "timeout": 30, "max_retries": 2, "retry_on_timeout": True}
        if self.user:
            options["http_auth"] = (self.user, self.password or "")
        if urlsplit(self.url).scheme == "https":
            options.update(use_ssl=True, verify_certs=self.verify_certs, ssl_show_warn=self.verify_certs)
            if self.ca_certs:
                options["ca_certs"] = self.ca_certs
        return options


def connect(connection: Connection | str) -> OpenSearch:
    """A client for one cluster, with retries on timeouts."""
    if isinstance(connection, str):
        connection = Connection(connection)
    return OpenSearch(**connection.client_options())


def ensure_index(client: OpenSearch, name: str, body: dict[str, Any]) -> None:
    """Create an index unless it exists; a concurrent creation is not an error."""
    if client.indices.exists(index=name):
        return
    try:
        client.indices.create(index=name, body=body)
    except RequestError as e:
        if e.error != "resource_already_exists_exception":
            raise


def reachable(client: OpenSearch, url: str) -> None:
    """Raise StoreNotFoundError naming the URL when no server answers there."""
    try:
        client.info()
    except SSLError as e:
        raise StoreNotFoundError(
            f"OpenSearch at {redact_url(url)}: the TLS handshake failed ({e.__class__.__name__}); "
            "set OPENSEARCH_CA_CERTS to the CA that signed its certificate"
        ) from e
    except (AuthenticationException, AuthorizationException) as e:
        raise StoreNotFoundError(
            f"OpenSearch at {redact_url(url)} refused the credentials (HTTP {e.status_code}); "
            "check OPENSEARCH_USER and OPENSEARCH_PASSWORD"
        ) from e
    except OpenSearchConnectionError as e:
        raise StoreNotFoundError(
            f"no OpenSearch server answers at {redact_url(url)} ({e.__class__.__name__}); "
            "start one with `docker compose up -d opensearch` or set CONCLUSIO_BACKEND=sqlite"
        ) from e


class OpenSearchStore:
    """Derived data in OpenSearch indices; see the module docstring for the write protocol."""

    def __init__(
        self, url: str | Connection, *, index_prefix: str = "conclusio", client: OpenSearch | None = None
    ):
        connection = url if isinstance(url, Connection) else Connection(url)
        self._url = connection.url
        self._names = IndexNames(index_prefix)
        self._owns_client = client is None
        self._client = client if client is not None else connect(connection)
        self._pipelines: set[str] = set()
        self._parts_mapped = False
        self._clearance: Clearance | None = None  # a reader's view: only what this clearance permits
        reachable(self._client, self._url)
        for name, body in (
            (self._names.documents, bodies.documents_index_body()),
            (self._names.obligations, bodies.obligations_index_body()),
            (self._names.evidence, bodies.evidence_index_body()),
            (self._names.meta, bodies.meta_index_body()),
        ):
            ensure_index(self._client, name, body)

    @property
    def location(self) -> str:
        return f"{redact_url(self._url)} (indices {self._names.prefix}-*)"

    def for_clearance(self, clearance: Clearance) -> OpenSearchStore:
        """A read-only view over the same client holding only what ``clearance`` may read."""
        if clearance.full:
            return self
        view = copy.copy(self)
        view._clearance = clearance
        view._owns_client = False
        return view

    # -- documents -------------------------------------------------------------------

    def document_state(self, source_file: str) -> str | None:
        record = self._document_record(source_file)
        return record["content_hash"] if record else None

    def write_document(
        self,
        document: Document,
        vectors: np.ndarray,
        obligations: Sequence[Obligation],
        embedding_model: str,
        actors: Mapping[str, Collection[str]] | None = None,
        vector_passages: Sequence[int] | None = None,
    ) -> None:
        self._refuse_writes()
        matrix = np.asarray(vectors, dtype=np.float32)
        rows = vector_rows(document.source_file, len(document.passages), matrix, vector_passages)
        if rows is not None:
            self._prepare_passages_index(document.source_file, embedding_model, int(matrix.shape[1]))
        version = f"{document.content_hash[:16]}-{uuid.uuid4().hex[:12]}"
        named = passage_actors(document.passages, obligations, actors)
        with_obligations = {o.passage_id for o in obligations}
        sentence_rows = np.split(rows.vectors, np.cumsum(np.bincount(rows.owners))[:-1]) if rows is not None else []
        actions = [
            {
                "_index": self._names.passages,
                "_id": f"{version}|{passage.passage_id}",
                "_source": passage_source(
                    passage, rows.passage_vectors[index], document.metadata, version, named.get(passage.passage_id, ()),
                    passage.passage_id in with_obligations, sentence_rows[index],
                ),
            }
            for index, passage in enumerate(document.passages)
        ]
        actions += [
            {
                "_index": self._names.obligations,
                "_id": f"{version}|{obligation.id}",
                "_source": obligation_source(obligation, version, document.metadata.date, position),
            }
            for position, obligation in enumerate(obligations)
        ]
        if actions:
            helpers.bulk(self._client, actions, refresh=True)
        stale_obligations = self._obligation_ids(document.source_file)
        record = document_record(document, version, len(obligations))
        self._client.index(index=self._names.documents, id=document.source_file, body=record, refresh=True)
        self._delete_versions(document.source_file, keep_version=version)
        self._delete_evidence(document.source_file, stale_obligations)

    def delete_document(self, source_file: str) -> bool:
        self._refuse_writes()
        stale_obligations = self._obligation_ids(source_file)
        try:
            self._client.delete(index=self._names.documents, id=source_file, refresh=True)
        except NotFoundError:
            return False
        self._delete_versions(source_file, keep_version=None)
        self._delete_evidence(source_file, stale_obligations)
        return True

    def get_document(self, source_file: str) -> Document | None:
        record = self._document_record(source_file)
        if record is None:
            return None
        passages: list[Passage] = []
        if self._has_passages_index():
            current = [{"term": {"source_file": source_file}}, {"term": {"doc_version": record["version"]}}]
            passages = sorted(self._passages({"bool": {"filter": current}}), key=lambda p: p.seq)
        return Document(
            source_file=record["source_file"],
            content_hash=record["content_hash"],
            text=record["text"],
            metadata=metadata_from(record["metadata"]),
            passages=passages,
            media_type=record["media_type"],
        )

    def list_documents(self) -> list[StoredDocument]:
        records = [r for r in self._all(self._names.documents, {"match_all": {}}, {"excludes": ["text"]})
                   if self._readable(r)]
        records.sort(key=lambda r: (r.get("doc_date") is None, r.get("doc_date") or "", r["source_file"]))
        return [
            StoredDocument(
                source_file=r["source_file"],
                content_hash=r["content_hash"],
                metadata=metadata_from(r["metadata"]),
                passages=r["passages"],
                obligations=r["obligations"],
                ingested_at=r["ingested_at"],
            )
            for r in records
        ]

    def get_passages(self, passage_ids: Sequence[str]) -> list[Passage]:
        if not passage_ids or not self._has_passages_index():
            return []
        seen = self._visibility()
        query = bodies.by_ids_query("passage_id", passage_ids, seen.versions, seen.hidden)
        found = {p.passage_id: p for p in self._passages(query)}
        return [found[pid] for pid in passage_ids if pid in found]

    # -- search ----------------------------------------------------------------------

    def keyword_search(self, query: LexicalQuery, filters: SearchFilters, k: int) -> list[ScoredPassage]:
        hits = self._keyword_hits(query, filters, k, ids_only=False)
        return [
            ScoredPassage(
                passage=passage_from(hit["_source"]),
                score=float(hit.get("_score") or 0.0),  # a listing sorted by date has no score
                highlights=bodies.highlighted_terms(
                    fragment for fragments in hit.get("highlight", {}).values() for fragment in fragments
                ),
            )
            for hit in hits
        ]

    def keyword_candidates(self, query: LexicalQuery, filters: SearchFilters, k: int) -> list[tuple[str, float]]:
        hits = self._keyword_hits(query, filters, k, ids_only=True)
        return [(hit["_source"]["passage_id"], float(hit.get("_score") or 0.0)) for hit in hits]

    def _keyword_hits(self, query: LexicalQuery, filters: SearchFilters, k: int, *, ids_only: bool) -> list[dict]:
        """The raw hits of one keyword query (``ids_only``: ids and scores, no passage bodies or highlights)."""
        if not self._has_passages_index():
            return []
        seen = self._visibility()
        body = bodies.keyword_query(query, filters, seen.versions, k, seen.hidden)
        if body is None:
            return []
        found = self._client.search(index=self._names.passages, body=bodies.ids_only(body) if ids_only else body)
        return found["hits"]["hits"]

    def hybrid_search(
        self,
        query: LexicalQuery,
        vector: np.ndarray,
        filters: SearchFilters,
        k: int,
        *,
        fusion: str = "rrf",
        weights: tuple[float, float] = (1.0, 1.0),
        rank_constant: int = 60,
    ) -> list[ScoredPassage]:
        """Keyword and vector retrieval fused on the server (``hybrid`` query through a search pipeline)."""
        seen = self._visibility()
        if not seen.versions or k <= 0 or not self._has_passages_index():
            return []
        query_vector = np.asarray(vector, dtype=np.float32).ravel().tolist()
        body = bodies.hybrid_query(query, query_vector, filters, seen.versions, k, seen.hidden)
        if body is None:
            return []
        pipeline = self._search_pipeline(fusion, weights, rank_constant)
        hits = self._client.search(index=self._names.passages, body=body, params={"search_pipeline": pipeline})
        return [
            ScoredPassage(
                passage=passage_from(hit["_source"]),
                score=float(hit.get("_score") or 0.0),
                highlights=bodies.highlighted_terms(
                    fragment for fragments in hit.get("highlight", {}).values() for fragment in fragments
                ),
            )
            for hit in hits["hits"]["hits"]
        ]

    def vector_search(self, vector: np.ndarray, filters: SearchFilters, k: int) -> list[ScoredPassage]:
        stored = self._get_meta(_EMBEDDING_KEY)
        seen = self._visibility()
        if stored is None or not seen.versions or k <= 0 or not self._has_passages_index():
            return []
        query_vector = self._query_vector(vector, stored)
        body = bodies.knn_query(query_vector.tolist(), filters, seen.versions, k, hidden=seen.hidden)
        if body is None:
            return []
        hits = self._client.search(index=self._names.passages, body=body)["hits"]["hits"]
        return [
            ScoredPassage(passage=passage_from(hit["_source"]), score=bodies.cosine_from_knn_score(float(hit["_score"])))
            for hit in hits
        ]

    def vector_candidates(self, vectors: np.ndarray, filters: SearchFilters, k: int) -> list[list[tuple[str, float]]]:
        stored = self._get_meta(_EMBEDDING_KEY)
        seen = self._visibility()
        if stored is None or not seen.versions or k <= 0 or not self._has_passages_index():
            return [[] for _ in range(len(vectors))]
        out: list[list[tuple[str, float]]] = []
        for vector in vectors:  # one knn search each: the graph walk is per query vector anyway
            body = bodies.knn_query(self._query_vector(vector, stored).tolist(), filters, seen.versions, k,
                                    hidden=seen.hidden)
            hits = self._client.search(index=self._names.passages, body=bodies.ids_only(body))["hits"]["hits"] \
                if body is not None else []
            out.append([(hit["_source"]["passage_id"], bodies.cosine_from_knn_score(float(hit["_score"]))) for hit in hits])
        return out

    def vector_scores(self, vector: np.ndarray, passage_ids: Sequence[str]) -> dict[str, float]:
        ids = list(dict.fromkeys(passage_ids))
        stored = self._get_meta(_EMBEDDING_KEY)
        seen = self._visibility()
        if stored is None or not ids or not seen.versions or not self._has_passages_index():
            return {}
        query_vector = self._query_vector(vector, stored)
        body = bodies.knn_query(query_vector.tolist(), SearchFilters(passage_kinds=()), seen.versions, len(ids), ids,
                                hidden=seen.hidden)
        if body is None:
            return {}
        hits = self._client.search(index=self._names.passages, body=body)["hits"]["hits"]
        return {hit["_source"]["passage_id"]: bodies.cosine_from_knn_score(float(hit["_score"])) for hit in hits}

    def passage_vectors(self, passage_ids: Sequence[str]) -> np.ndarray:
        model = self.embedding_model()
        dim = model[1] if model else 0
        if not passage_ids or model is None:
            return np.zeros((0, dim), dtype=np.float32)
        seen = self._visibility()
        query = bodies.by_ids_query("passage_id", passage_ids, seen.versions, seen.hidden)
        found = {
            source["passage_id"]: source["embedding"]
            for source in self._all(self._names.passages, query, ["passage_id", "embedding"])
        }
        rows = [found[pid] for pid in passage_ids if pid in found]
        return np.asarray(rows, dtype=np.float32).reshape(len(rows), dim)

    def facets(self, passage_ids: Sequence[str]) -> FacetCounts:
        if not passage_ids or not self._has_passages_index():
            return FacetCounts()
        seen = self._visibility()
        body = bodies.facets_query(passage_ids, seen.versions, seen.hidden)
        aggregations = self._client.search(index=self._names.passages, body=body)["aggregations"]
        return FacetCounts(counts=bodies.facet_counts(aggregations))

    # -- obligations and evidence -----------------------------------------------------

    def obligations(self, query: ObligationQuery) -> list[Obligation]:
        wanted = set(query.passage_ids)
        if wanted:
            # The obligations index has no passage field (indices made before this filter would lack it): ask for
            # the passages' documents and keep the obligations stated in the passages themselves.
            files = {p.source_file for p in self.get_passages(sorted(wanted))}
            if query.source_files:
                files &= set(query.source_files)
            if not files:
                return []
            query = replace(query, passage_ids=(), source_files=tuple(sorted(files)))
        sources = self._all(self._names.obligations, bodies.obligations_filter(query, self._versions()))
        sources.sort(key=lambda s: (s.get("doc_date") is None, s.get("doc_date") or "", s["source_file"], s["ord"]))
        found = [obligation_from(s["record"]) for s in sources]
        return [o for o in found if o.passage_id in wanted] if wanted else found

    def replace_evidence(self, links: Sequence[EvidenceLink], obligation_ids: Sequence[str] | None = None) -> None:
        self._refuse_writes()
        if obligation_ids is not None:
            self._replace_some_evidence(links, obligation_ids)
            return
        batch = uuid.uuid4().hex
        # One record per (obligation, passage); a later link replaces an earlier one, as in SQLite.
        actions = [
            {
                "_index": self._names.evidence,
                "_id": f"{batch}|{link.obligation_id}|{link.passage_id}",
                "_source": evidence_source(link, batch),
            }
            for link in links
        ]
        if actions:
            helpers.bulk(self._client, actions, refresh=True)
        self._put_meta(_EVIDENCE_KEY, {"batch": batch})
        self._client.delete_by_query(
            index=self._names.evidence,
            body={"query": {"bool": {"must_not": [{"term": {"batch": batch}}]}}},
            refresh=True,
            conflicts="proceed",
        )

    def _replace_some_evidence(self, links: Sequence[EvidenceLink], obligation_ids: Sequence[str]) -> None:
        """The links of some obligations, in the current batch: theirs are deleted, the new ones written beside."""
        current = self._get_meta(_EVIDENCE_KEY)
        batch = current["batch"] if current else uuid.uuid4().hex
        ids = sorted(set(obligation_ids))
        if ids:
            self._client.delete_by_query(
                index=self._names.evidence,
                body={"query": {"bool": {"filter": [{"terms": {"obligation_id": ids}}]}}},
                refresh=True,
                conflicts="proceed",
            )
        actions = [
            {"_index": self._names.evidence, "_id": f"{batch}|{link.obligation_id}|{link.passage_id}",
             "_source": evidence_source(link, batch)}
            for link in links
        ]
        if actions:
            helpers.bulk(self._client, actions, refresh=True)
        if current is None:
            self._put_meta(_EVIDENCE_KEY, {"batch": batch})

    def term_statistics(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        seen = self._visibility()
        versions = seen.versions
        total = self._count_passages(versions, seen.hidden)
        wanted = list(dict.fromkeys(terms))
        if not wanted or not total:
            return total, {}
        # One request: a filters aggregation counting, per term, the current passages whose text matches it.
        body = {
            "size": 0,
            "query": {"bool": {"filter": [bodies.current_version_filter(versions),
                                          *bodies.hidden_markings_filter(seen.hidden)]}},
            "aggs": {"terms": {"filters": {"filters": {t: {"match": {"text": t}} for t in wanted}}}},
        }
        buckets = self._client.search(index=self._names.passages, body=body)["aggregations"]["terms"]["buckets"]
        return total, {term: int(bucket["doc_count"]) for term, bucket in buckets.items()}

    def evidence(self, obligation_ids: Sequence[str] | None = None) -> list[EvidenceLink]:
        current = self._get_meta(_EVIDENCE_KEY)
        if current is None or (obligation_ids is not None and not obligation_ids):
            return []
        clauses: list[dict[str, Any]] = [{"term": {"batch": current["batch"]}}]
        if self._clearance is not None:
            # Both ends readable: the passage that reports (its file) and the obligation it reports on.
            seen = self._visibility()
            wanted = bodies.current_version_filter(seen.versions)
            if obligation_ids is not None:
                wanted = bodies.by_ids_query("id", obligation_ids, seen.versions)
            readable = sorted({r["id"] for r in self._all(self._names.obligations, wanted, ["id"])}) if seen.versions else []
            if not readable:
                return []
            clauses += [{"terms": {"source_file": sorted(seen.files)}}, {"terms": {"obligation_id": readable}}]
        elif obligation_ids is not None:
            clauses.append({"terms": {"obligation_id": sorted(set(obligation_ids))}})
        sources = sorted(
            self._all(self._names.evidence, {"bool": {"filter": clauses}}),
            key=lambda s: (s["obligation_id"], s["passage_id"]),
        )
        return [from_dict(EvidenceLink, s["record"]) for s in sources]

    # -- model and status ---------------------------------------------------------------

    def embedding_model(self) -> tuple[str, int] | None:
        value = self._get_meta(_EMBEDDING_KEY)
        seen = self._visibility()
        if value is None or self._count_passages(seen.versions, seen.hidden) == 0:
            return None  # an emptied store accepts any model, as the embedded store does
        return value["name"], int(value["dim"])

    def stats(self) -> StoreStats:
        model = self.embedding_model()
        seen = self._visibility()
        versions = seen.versions
        obligations = {"query": bodies.current_version_filter(versions)}
        return StoreStats(
            documents=len(versions),
            passages=self._count_passages(versions, seen.hidden),
            obligations=self._client.count(index=self._names.obligations, body=obligations)["count"] if versions else 0,
            embedding_model=model[0] if model else None,
            embedding_dim=model[1] if model else None,
            location=self.location,
        )

    # -- the run journal (one meta record: writers are serialised by the ingest lock) ------

    def begin_run(self, steps: Sequence[tuple[str, str]] = (("evidence", ""),)) -> int:
        self._refuse_writes()
        journal = self._get_meta(_JOURNAL_KEY) or {"next_id": 1, "runs": []}
        run_id = int(journal["next_id"])
        journal["next_id"] = run_id + 1
        journal["runs"].append({
            "run_id": run_id, "started_at": datetime.now(UTC).isoformat(timespec="seconds"), "pid": os.getpid(),
            "finished_at": None, "steps": [{"step": step, "key": key, "payload": {}, "done": False} for step, key in steps],
        })  # fmt: skip
        self._put_meta(_JOURNAL_KEY, journal)
        return run_id

    def journal_step(self, run_id: int, step: str, key: str, payload: Mapping) -> None:
        journal, run = self._journal_run(run_id)
        run["steps"] = [s for s in run["steps"] if (s["step"], s["key"]) != (step, key)]
        run["steps"].append({"step": step, "key": key, "payload": dict(payload), "done": False})
        self._put_meta(_JOURNAL_KEY, journal)

    def step_done(self, run_id: int, step: str, key: str = "") -> None:
        journal, run = self._journal_run(run_id)
        for entry in run["steps"]:
            if (entry["step"], entry["key"]) == (step, key):
                entry["done"] = True
        self._put_meta(_JOURNAL_KEY, journal)

    def finish_run(self, run_id: int) -> None:
        journal, run = self._journal_run(run_id)
        run["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        for entry in run["steps"]:
            entry["done"] = True
        finished = [r for r in journal["runs"] if r["finished_at"]]
        journal["runs"] = [r for r in journal["runs"] if not r["finished_at"]] + finished[-_FINISHED_RUNS_KEPT:]
        self._put_meta(_JOURNAL_KEY, journal)

    def pending_runs(self) -> list[PendingRun]:
        journal = self._get_meta(_JOURNAL_KEY) or {"runs": []}
        return [
            PendingRun(r["run_id"], r["started_at"], r["pid"],
                       tuple(JournalStep(s["step"], s["key"], s["payload"], s["done"]) for s in r["steps"]))
            for r in journal["runs"] if not r["finished_at"]
        ]

    def _journal_run(self, run_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
        journal = self._get_meta(_JOURNAL_KEY) or {"next_id": 1, "runs": []}
        run = next((r for r in journal["runs"] if r["run_id"] == run_id), None)
        if run is None:
            raise KeyError(f"no run {run_id} in the journal of {self.location}")
        return journal, run

    def check(self) -> list[str]:
        """Indices that are missing or not green enough to answer: the cluster checks its own shards."""
        problems = []
        for name in (self._names.documents, self._names.obligations, self._names.evidence, self._names.meta):
            if not self._client.indices.exists(index=name):
                problems.append(f"index {name} is missing")
        if self._has_passages_index():
            health = self._client.cluster.health(index=self._names.passages)
            if health.get("status") == "red":
                problems.append(f"index {self._names.passages} is red (shards unassigned)")
        return problems

    def close(self) -> None:
        if self._owns_client and self._clearance is None:  # a client handed in belongs to the caller
            self._client.close()

    def drop(self) -> None:
        """Delete every index of this store (tests and ``reembed``); the store is unusable afterwards."""
        self._refuse_writes()
        passages = list(self._client.indices.get_alias(name=self._names.passages)) if self._has_passages_index() else []
        names = [*passages, self._names.documents, self._names.obligations, self._names.evidence, self._names.meta]
        self._client.indices.delete(index=",".join(names), ignore_unavailable=True)

    # -- internals --------------------------------------------------------------------

    def _query_vector(self, vector: np.ndarray, stored: dict[str, Any]) -> np.ndarray:
        """The query vector as float32, or ModelMismatchError when its size is not the stored vectors'."""
        query_vector = np.asarray(vector, dtype=np.float32).ravel()
        if query_vector.shape[0] != int(stored["dim"]):
            raise ModelMismatchError(
                stored["name"], int(stored["dim"]), "the query's model", int(query_vector.shape[0]), self.location
            )
        return query_vector

    def _document_record(self, source_file: str) -> dict[str, Any] | None:
        try:
            record = self._client.get(index=self._names.documents, id=source_file)["_source"]
        except NotFoundError:
            return None
        return record if self._readable(record) else None

    def _readable(self, record: dict[str, Any]) -> bool:
        """Whether a documents-index record's markings are within this view's clearance."""
        return self._clearance is None or self._clearance.permits(_markings(record))

    def _refuse_writes(self) -> None:
        if self._clearance is not None:
            raise StoreAccessError(f"{self.location}: a view for one reader's clearance is read-only")

    def _visibility(self) -> Visibility:
        """The current versions and files of the documents this view may read, and the markings it may not."""
        records = self._all(self._names.documents, {"match_all": {}},
                            source=["version", "source_file", "metadata.classification"])
        if self._clearance is None:
            return Visibility([r["version"] for r in records], [r["source_file"] for r in records])
        readable = [r for r in records if self._readable(r)]
        hidden = self._clearance.hidden_markings({m for r in records for m in _markings(r)})
        return Visibility([r["version"] for r in readable], [r["source_file"] for r in readable], hidden)

    def _versions(self, exclude: str | None = None) -> list[str]:
        """The current version of every readable document (but ``exclude``): the visibility filter of every read."""
        if exclude is None:
            return self._visibility().versions
        query = {"bool": {"must_not": [{"term": {"source_file": exclude}}]}}
        return [source["version"] for source in self._all(self._names.documents, query, source=["version"])]

    def _has_passages_index(self) -> bool:
        return bool(self._client.indices.exists_alias(name=self._names.passages))

    def _prepare_passages_index(self, source_file: str, model_name: str, dim: int) -> None:
        """Check the model against the stored one; create the passages index, or recreate it for a new dimension."""
        stored = self._get_meta(_EMBEDDING_KEY)
        stored_model = (stored["name"], int(stored["dim"])) if stored else None
        same_layout = bool(stored) and stored.get("layout") == VECTOR_LAYOUT
        if stored_model == (model_name, dim) and same_layout and self._has_passages_index():
            if not self._parts_mapped:  # an index made before compound parts were stored gains the field
                self._client.indices.put_mapping(index=self._names.passages, body=bodies.parts_mapping())
                self._parts_mapped = True
            return
        others = self._versions(exclude=source_file)
        if stored_model is not None and self._count_passages(others) > 0:
            # Another model, or vectors in an older layout (one per passage): both need a re-embed.
            raise ModelMismatchError(stored_model[0], stored_model[1], model_name, dim, self.location)
        if not self._has_passages_index() or stored_model is None or stored_model[1] != dim or not same_layout:
            self._new_passages_index(dim)
        self._put_meta(_EMBEDDING_KEY, {"name": model_name, "dim": dim, "layout": VECTOR_LAYOUT})

    def _search_pipeline(self, fusion: str, weights: tuple[float, float], rank_constant: int) -> str:
        """The name of a search pipeline fusing this way, created on first use."""
        body = bodies.search_pipeline_body(fusion, weights, rank_constant)
        name = f"{self._names.prefix}-hybrid-{uuid.uuid5(uuid.NAMESPACE_URL, repr(body)).hex[:10]}"
        if name not in self._pipelines:
            self._client.search_pipeline.put(id=name, body=body)
            self._pipelines.add(name)
        return name

    def _new_passages_index(self, dim: int) -> None:
        """Create ``passages-d{dim}-{token}`` and move the alias onto it in one atomic alias update."""
        alias = self._names.passages
        previous = list(self._client.indices.get_alias(name=alias)) if self._has_passages_index() else []
        physical = f"{alias}-d{dim}-{uuid.uuid4().hex[:8]}"
        self._client.indices.create(index=physical, body=bodies.passages_index_body(dim))
        moves = [{"remove": {"index": old, "alias": alias}} for old in previous]
        self._client.indices.update_aliases(body={"actions": [*moves, {"add": {"index": physical, "alias": alias}}]})
        if previous:
            self._client.indices.delete(index=",".join(previous), ignore_unavailable=True)

    def _count_passages(self, versions: Sequence[str], hidden: Sequence[str] = ()) -> int:
        if not versions or not self._has_passages_index():
            return 0
        body = {"query": {"bool": {"filter": [bodies.current_version_filter(versions),
                                              *bodies.hidden_markings_filter(hidden)]}}}
        return int(self._client.count(index=self._names.passages, body=body)["count"])

    def _obligation_ids(self, source_file: str) -> list[str]:
        """Ids of every stored obligation of a file, in any version."""
        records = self._all(self._names.obligations, {"term": {"source_file": source_file}}, ["id"])
        return sorted({record["id"] for record in records})

    def _delete_evidence(self, source_file: str, obligation_ids: Sequence[str]) -> None:
        """Evidence found in a file or about its obligations goes with the file (it is recomputed after ingest)."""
        should: list[dict[str, Any]] = [{"term": {"source_file": source_file}}]
        if obligation_ids:
            should.append({"terms": {"obligation_id": list(obligation_ids)}})
        self._client.delete_by_query(
            index=self._names.evidence,
            body={"query": {"bool": {"should": should, "minimum_should_match": 1}}},
            refresh=True,
            conflicts="proceed",
        )

    def _delete_versions(self, source_file: str, keep_version: str | None) -> None:
        indices = [self._names.obligations] + ([self._names.passages] if self._has_passages_index() else [])
        self._client.delete_by_query(
            index=",".join(indices),
            body={"query": bodies.stale_versions_query(source_file, keep_version)},
            refresh=True,
            conflicts="proceed",
        )

    def _get_meta(self, key: str) -> dict[str, Any] | None:
        try:
            return self._client.get(index=self._names.meta, id=key)["_source"]["value"]
        except NotFoundError:
            return None

    def _put_meta(self, key: str, value: dict[str, Any]) -> None:
        self._client.index(index=self._names.meta, id=key, body={"value": value}, refresh=True)

    def _all(self, index: str, query: dict[str, Any], source: Any = True) -> list[dict[str, Any]]:
        """The ``_source`` of every match: one search page, or a scroll when there are more."""
        body = {"query": query, "_source": source}
        result = self._client.search(index=index, body=body, size=bodies.MAX_RESULT_WINDOW, track_total_hits=True)
        hits = result["hits"]["hits"]
        if result["hits"]["total"]["value"] > len(hits):
            hits = list(helpers.scan(self._client, query=body, index=index))
        return [hit["_source"] for hit in hits]

    def _passages(self, query: dict[str, Any]) -> list[Passage]:
        return [
            passage_from(source)
            for source in self._all(self._names.passages, query, {"excludes": list(bodies.VECTOR_FIELDS)})
        ]


def _markings(record: dict[str, Any]) -> list[str]:
    return list((record.get("metadata") or {}).get("classification") or [])


def passage_source(
    passage: Passage,
    vector: np.ndarray,
    metadata: DocumentMetadata,
    version: str,
    actors: Iterable[str],
    has_obligations: bool,
    sentence_vectors: np.ndarray | None = None,
) -> dict[str, Any]:
    """The passages-index record: the passage's own fields, its document's filter fields, its vectors.

    ``vector`` is the passage's own; ``sentence_vectors`` its rows (a sentence each), which vector
    search walks; None: the passage vector is its only row. All-zero rows (a text with nothing to
    embed) are left out: ``cosinesimil`` cannot index them, and they are close to nothing.
    """
    rows = [row for row in ([vector] if sentence_vectors is None else sentence_vectors) if np.any(row)]
    data = to_dict(passage)  # nested records (a table row) as plain data
    source = {name: data[name] for name in _PASSAGE_FIELDS}
    source.update(
        doc_version=version,
        passage_kind=passage.kind,
        title=metadata.title or "",
        section=" / ".join(passage.section_path),
        compound_parts=" ".join(compound_parts_of(passage.text)),
        doc_kind=metadata.kind,
        doc_date=metadata.date,
        classification=list(metadata.classification),
        language=metadata.language,
        actors=sorted(actors),
        has_obligations=has_obligations,
        embedding=[float(x) for x in vector],
        sentences=[{"embedding": [float(x) for x in row]} for row in rows],
    )
    return source


def passage_from(source: dict[str, Any]) -> Passage:
    """A Passage back from its passages-index record."""
    return from_dict(Passage, {**{name: source.get(name) for name in _PASSAGE_FIELDS}, "kind": source["passage_kind"]})


def obligation_source(obligation: Obligation, version: str, doc_date: str | None, position: int) -> dict[str, Any]:
    """The obligations-index record: the whole obligation plus its filter and sort fields."""
    return {
        "id": obligation.id,
        "source_file": obligation.source_file,
        "doc_version": version,
        "doc_date": doc_date,
        "actors": list(obligation.actors),
        "modality": obligation.modality,
        "deadline_end": obligation.deadline.end if obligation.deadline else None,
        "ord": position,
        "record": to_dict(obligation),
    }


def obligation_from(record: dict[str, Any]) -> Obligation:
    """An Obligation back from its stored record."""
    return from_dict(Obligation, record)


def evidence_source(link: EvidenceLink, batch: str) -> dict[str, Any]:
    """The evidence-index record: the whole link, tagged with its batch."""
    return {
        "batch": batch,
        "obligation_id": link.obligation_id,
        "passage_id": link.passage_id,
        "source_file": link.source_file,
        "record": to_dict(link),
    }


def document_record(document: Document, version: str, obligations: int) -> dict[str, Any]:
    """The documents-index record: the switch that makes one version of a file current."""
    meta = document.metadata
    return {
        "source_file": document.source_file,
        "content_hash": document.content_hash,
        "version": version,
        "doc_kind": meta.kind,
        "doc_date": meta.date,
        "metadata": to_dict(meta),
        "media_type": document.media_type,
        "text": document.text,
        "passages": len(document.passages),
        "obligations": obligations,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def metadata_from(record: dict[str, Any]) -> DocumentMetadata:
    """DocumentMetadata back from its stored dict."""
    return from_dict(DocumentMetadata, record)
