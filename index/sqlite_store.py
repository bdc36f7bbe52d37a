"""The embedded store: one SQLite file (WAL) with FTS5 for keywords and numpy for vectors.

FTS5 cannot Snowball-stem, so passages are indexed pre-analysed: the ``title``, ``section``
and ``body`` columns hold space-joined ``index.analysis.analyze`` terms, and ``surface``
holds folded, unstemmed tokens for phrase matching. Queries are built here from analysed
terms, each quoted as an FTS5 string, so no user syntax ever reaches FTS5.

Expansions (translations, synonyms) run as separate OR queries, one per weight; a
passage's keyword score is the sum over queries of weight x BM25 (weight 1 for the
user's own words).

Vectors: a passage has one or more (one per sentence, as the ingest pipeline hands them in).
They are kept per document as one contiguous blob (``document_vectors``, float16: see
``VECTOR_STORAGE``), so the search matrix is a concatenation of one array per document, built
once per write generation, not a decoding of one blob per row. Vector search is brute-force
cosine over that matrix, a passage scoring as its best row. ``passages.vector`` keeps one
float32 vector per passage (the normalised mean of its rows) for ``passage_vectors``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from conclusio.records import Document, DocumentMetadata, EvidenceLink, Obligation, Passage, from_dict, to_dict
from index.analysis import analyze, tokens
from index.errors import ModelMismatchError, StoreNotFoundError
from index.store import (
    FacetCounts,
    LexicalQuery,
    ObligationQuery,
    ScoredPassage,
    SearchFilters,
    passage_actors,
    StoredDocument,
    StoreStats,
    vector_rows,
)

SCHEMA_VERSION = 2  # 2: document_vectors (rows per sentence); a version-1 store is migrated on open
DB_FILE = "conclusio.sqlite3"
_PASSAGE_KINDS = ("body", "heading", "footnote")
# How vector rows are kept on disk. float16 halves the store and the load against float32 and ranks the
# same: dev / check nDCG@10 semantic 0.564 / 0.606 and min-max hybrid 0.782 / 0.821 with either, and int8
# with a per-row scale was within 0.001 of both (not used: a second blob for the scales, for half again).
# The search matrix is float32 in memory: numpy's float16 product is ~7x slower (no BLAS).
VECTOR_STORAGE = np.float16
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    source_file TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    media_type TEXT NOT NULL,
    text TEXT NOT NULL,
    metadata TEXT NOT NULL,
    kind TEXT, date TEXT, classification TEXT NOT NULL DEFAULT '[]', language TEXT, doc_number TEXT, title TEXT,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS passages (
    rowid INTEGER PRIMARY KEY,
    passage_id TEXT NOT NULL UNIQUE,
    source_file TEXT NOT NULL REFERENCES documents(source_file) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    data TEXT NOT NULL,
    obligations INTEGER NOT NULL DEFAULT 0,
    vector BLOB
);
CREATE INDEX IF NOT EXISTS passages_by_file ON passages(source_file, seq);
CREATE TABLE IF NOT EXISTS passage_actors (
    passage_rowid INTEGER NOT NULL REFERENCES passages(rowid) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    PRIMARY KEY (passage_rowid, actor)
);
CREATE INDEX IF NOT EXISTS passage_actors_by_actor ON passage_actors(actor);
CREATE TABLE IF NOT EXISTS obligations (
    id TEXT PRIMARY KEY,
    source_file TEXT NOT NULL REFERENCES documents(source_file) ON DELETE CASCADE,
    passage_id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    modality TEXT NOT NULL,
    deadline_end TEXT,
    actors TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS obligations_by_file ON obligations(source_file, ord);
CREATE TABLE IF NOT EXISTS evidence (
    obligation_id TEXT NOT NULL,
    passage_id TEXT NOT NULL,
    source_file TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (obligation_id, passage_id)
);
CREATE TABLE IF NOT EXISTS document_vectors (
    source_file TEXT PRIMARY KEY REFERENCES documents(source_file) ON DELETE CASCADE,
    first_rowid INTEGER NOT NULL,
    rows INTEGER NOT NULL,
    passage_rowids BLOB NOT NULL,
    vectors BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS document_vectors_in_order ON document_vectors(first_rowid);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    title, section, body, surface, tokenize = 'unicode61 remove_diacritics 0'
);
"""


@dataclass(frozen=True)
class ColumnWeights:
    """BM25 weights per FTS5 column.

    ``title`` and ``section`` hold context every passage of a document or section inherits,
    so they weigh below the passage's own words; a heading passage's own text is in ``body``
    and BM25's length normalisation already favours those short passages. On the dev
    queries, lexical nDCG@10 rose from 0.614 (2, 2, 1) to 0.666 (0.25, 0.5, 1).
    """

    title: float = 0.25
    section: float = 0.5
    body: float = 1.0
    surface: float = 1.0


class SQLiteStore:
    """Derived data in ``DIR/conclusio.sqlite3``; satisfies ``index.store.Store``."""

    def __init__(self, directory: Path | str, *, create: bool = True, weights: ColumnWeights = ColumnWeights()):
        self.directory = Path(directory)
        self.path = self.directory / DB_FILE
        self.weights = weights
        if not self.path.exists():
            if not create:
                raise StoreNotFoundError(
                    f"no store at {self.directory}: run `conclusio ingest corpora/ --store {self.directory}` first"
                )
            self.directory.mkdir(parents=True, exist_ok=True)
        # One connection shared across threads (Streamlit), serialised by a lock.
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._ensure_schema_version()
        self._matrix: _VectorMatrix | None = None
        if not create and not self._one("SELECT 1 FROM documents LIMIT 1"):
            self._db.close()
            raise StoreNotFoundError(
                f"no documents in the store at {self.directory}: run `conclusio ingest corpora/ --store {self.directory}` first"
            )

    # ---- writing -------------------------------------------------------------------

    def document_state(self, source_file: str) -> str | None:
        row = self._one("SELECT content_hash FROM documents WHERE source_file = ?", (source_file,))
        return row[0] if row else None

    def write_document(
        self,
        document: Document,
        vectors: np.ndarray,
        obligations: Sequence[Obligation],
        embedding_model: str,
        actors: Mapping[str, Collection[str]] | None = None,
        vector_passages: Sequence[int] | None = None,
    ) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        dim = int(vectors.shape[1]) if vectors.ndim == 2 else 0
        rows = vector_rows(document.source_file, len(document.passages), vectors, vector_passages)
        actors_by_passage = passage_actors(document.passages, obligations, actors)
        obligations_per_passage: dict[str, int] = defaultdict(int)
        for obligation in obligations:
            obligations_per_passage[obligation.passage_id] += 1
        title_terms = " ".join(analyze(document.metadata.title or ""))
        with self._transaction() as db:
            if document.passages:  # a document without passages brings no vectors to compare
                self._check_model(db, document.source_file, embedding_model, dim)
            self._delete(db, document.source_file)
            meta = document.metadata
            db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    document.source_file, document.content_hash, document.media_type, document.text,
                    json.dumps(to_dict(meta), ensure_ascii=False), meta.kind, meta.date,
                    json.dumps(meta.classification, ensure_ascii=False), meta.language, meta.doc_number,
                    meta.title, datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )
            passage_rowids = np.zeros(len(document.passages), dtype=np.int64)
            for index, passage in enumerate(document.passages):
                data = json.dumps(to_dict(passage), ensure_ascii=False)
                vector = rows.passage_vectors[index].tobytes() if rows is not None else None
                cursor = db.execute(
                    "INSERT INTO passages (passage_id, source_file, seq, kind, text, data, obligations, vector)"
                    " VALUES (?,?,?,?,?,?,?,?)",
                    (
                        passage.passage_id, document.source_file, passage.seq, passage.kind, passage.text, data,
                        obligations_per_passage.get(passage.passage_id, 0), vector,
                    ),
                )
                rowid = cursor.lastrowid
                passage_rowids[index] = rowid
                db.execute(
                    "INSERT INTO passages_fts (rowid, title, section, body, surface) VALUES (?,?,?,?,?)",
                    (
                        rowid, title_terms, " ".join(analyze(" ".join(passage.section_path))),
                        " ".join(analyze(passage.text)), " ".join(tokens(passage.text)),
                    ),
                )
                db.executemany(
                    "INSERT OR IGNORE INTO passage_actors VALUES (?, ?)",
                    [(rowid, actor) for actor in actors_by_passage.get(passage.passage_id, ())],
                )
            if rows is not None:
                _insert_vectors(db, document.source_file, passage_rowids[rows.owners], rows.vectors)
            db.executemany(
                "INSERT INTO obligations VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        o.id, document.source_file, o.passage_id, n, o.modality,
                        o.deadline.end if o.deadline else None, json.dumps(o.actors, ensure_ascii=False),
                        json.dumps(to_dict(o), ensure_ascii=False),
                    )
                    for n, o in enumerate(obligations)
                ],
            )
            if document.passages:
                self._set_meta(db, "embedding_model", embedding_model)
                self._set_meta(db, "embedding_dim", str(dim))

    def delete_document(self, source_file: str) -> bool:
        with self._transaction() as db:
            return self._delete(db, source_file)

    def replace_evidence(self, links: Sequence[EvidenceLink]) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM evidence")
            db.executemany(
                "INSERT OR REPLACE INTO evidence VALUES (?,?,?,?)",
                [
                    (link.obligation_id, link.passage_id, link.source_file, json.dumps(to_dict(link), ensure_ascii=False))
                    for link in links
                ],
            )

    # ---- reading -------------------------------------------------------------------

    def get_document(self, source_file: str) -> Document | None:
        row = self._one(
            "SELECT source_file, content_hash, text, metadata, media_type FROM documents WHERE source_file = ?",
            (source_file,),
        )
        if row is None:
            return None
        passages = [
            _passage(data)
            for (data,) in self._all("SELECT data FROM passages WHERE source_file = ? ORDER BY seq", (source_file,))
        ]
        return Document(
            source_file=row[0], content_hash=row[1], text=row[2], metadata=_metadata(row[3]),
            passages=passages, media_type=row[4],
        )

    def list_documents(self) -> list[StoredDocument]:
        rows = self._all(
            "SELECT d.source_file, d.content_hash, d.metadata, d.ingested_at,"
            " (SELECT count(*) FROM passages p WHERE p.source_file = d.source_file),"
            " (SELECT count(*) FROM obligations o WHERE o.source_file = d.source_file)"
            " FROM documents d ORDER BY d.date IS NULL, d.date, d.source_file"
        )
        return [
            StoredDocument(
                source_file=r[0], content_hash=r[1], metadata=_metadata(r[2]), passages=r[4], obligations=r[5],
                ingested_at=r[3],
            )
            for r in rows
        ]

    def get_passages(self, passage_ids: Sequence[str]) -> list[Passage]:
        found = self._rows_by_passage_id(passage_ids, "data")
        return [_passage(found[pid][0]) for pid in passage_ids if pid in found]

    def passage_vectors(self, passage_ids: Sequence[str]) -> np.ndarray:
        found = self._rows_by_passage_id(passage_ids, "vector")
        rows = [np.frombuffer(found[pid][0], dtype=np.float32) for pid in passage_ids if pid in found]
        dim = (self.embedding_model() or ("", 0))[1]
        return np.vstack(rows) if rows else np.zeros((0, dim), dtype=np.float32)

    def obligations(self, query: ObligationQuery) -> list[Obligation]:
        where, params = [], []
        if query.actor:
            where.append("EXISTS (SELECT 1 FROM json_each(o.actors) a WHERE lower(a.value) = lower(?))")
            params.append(query.actor)
        if query.source_files:
            where.append(f"o.source_file IN ({_marks(query.source_files)})")
            params.extend(query.source_files)
        if query.due_before:
            where.append("o.deadline_end IS NOT NULL AND o.deadline_end < ?")
            params.append(query.due_before)
        if query.modality:
            where.append("o.modality = ?")
            params.append(query.modality)
        sql = (
            "SELECT o.data FROM obligations o JOIN documents d ON d.source_file = o.source_file"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY d.date IS NULL, d.date, d.source_file, o.ord"
        )
        return [_obligation(data) for (data,) in self._all(sql, params)]

    def evidence(self, obligation_ids: Sequence[str] | None = None) -> list[EvidenceLink]:
        if obligation_ids is None:
            rows = self._all("SELECT data FROM evidence ORDER BY obligation_id, passage_id")
        else:
            rows = [
                row
                for chunk in _chunks(list(obligation_ids))
                for row in self._all(
                    f"SELECT data FROM evidence WHERE obligation_id IN ({_marks(chunk)})"
                    " ORDER BY obligation_id, passage_id",
                    chunk,
                )
            ]
        return [from_dict(EvidenceLink, json.loads(data)) for (data,) in rows]

    def embedding_model(self) -> tuple[str, int] | None:
        if not self._one("SELECT 1 FROM passages LIMIT 1"):
            return None
        name, dim = self._meta("embedding_model"), self._meta("embedding_dim")
        return (name, int(dim)) if name and dim else None

    def stats(self) -> StoreStats:
        model = self.embedding_model()
        return StoreStats(
            documents=self._one("SELECT count(*) FROM documents")[0],
            passages=self._one("SELECT count(*) FROM passages")[0],
            obligations=self._one("SELECT count(*) FROM obligations")[0],
            embedding_model=model[0] if model else None,
            embedding_dim=model[1] if model else None,
            location=str(self.directory),
        )

    def facets(self, passage_ids: Sequence[str]) -> FacetCounts:
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        ids = list(dict.fromkeys(passage_ids))
        for chunk in _chunks(ids):
            rows = self._all(
                "SELECT p.rowid, p.source_file, p.obligations, d.kind, d.classification, d.language"
                f" FROM passages p JOIN documents d ON d.source_file = p.source_file WHERE p.passage_id IN ({_marks(chunk)})",
                chunk,
            )
            actor_rows = self._all(
                "SELECT pa.actor FROM passage_actors pa JOIN passages p ON p.rowid = pa.passage_rowid"
                f" WHERE p.passage_id IN ({_marks(chunk)})",
                chunk,
            )
            for _rowid, source_file, n_obligations, kind, classification, language in rows:
                counts["kind"][kind or "unknown"] += 1
                counts["document"][source_file] += 1
                counts["language"][language or "unknown"] += 1
                counts["has_obligations"]["yes" if n_obligations else "no"] += 1
                for label in json.loads(classification) or ["none"]:
                    counts["classification"][label] += 1
            for (actor,) in actor_rows:
                counts["actor"][actor] += 1
        return FacetCounts(counts={facet: dict(values) for facet, values in counts.items()})

    # ---- search --------------------------------------------------------------------

    def keyword_search(self, query: LexicalQuery, filters: SearchFilters, k: int) -> list[ScoredPassage]:
        groups: list[tuple[float, list[str]]] = [(1.0, analyze(query.text))]
        by_weight: dict[float, list[str]] = defaultdict(list)
        for term, weight in query.expansions:
            if weight > 0:
                by_weight[float(weight)].extend(analyze(term))
        groups.extend(sorted(by_weight.items(), reverse=True))
        phrases = [tokens(p) for p in query.phrases]
        phrases = [p for p in phrases if p]
        if k <= 0 or not (any(terms for _, terms in groups) or phrases):
            return []
        scores: dict[int, float] = defaultdict(float)
        candidates = max(k * 4, 50)
        filter_sql, filter_params = _filter_clause(filters)
        for weight, terms in groups:
            if terms:
                expression = "{title section body} : (" + " OR ".join(_quote(t) for t in dict.fromkeys(terms)) + ")"
                for rowid, score in self._match(expression, filter_sql, filter_params, candidates):
                    scores[rowid] += weight * score
        if phrases:
            # Phrases are a must-match restriction on the unstemmed column.
            expression = " AND ".join("surface : " + _quote(" ".join(p)) for p in phrases)
            phrase_hits = dict(self._match(expression, filter_sql, filter_params, 10_000))
            scores = {rowid: scores.get(rowid, 0.0) + s for rowid, s in phrase_hits.items()}
        best = sorted(scores.items(), key=lambda item: -item[1])[:k]
        passages = self._passages_by_rowid([rowid for rowid, _ in best])
        stems = {t for _, terms in groups for t in terms}
        return [
            ScoredPassage(
                passage=passages[rowid], score=score, highlights=_highlights(passages[rowid].text, stems, phrases)
            )
            for rowid, score in best
            if rowid in passages
        ]

    def vector_search(self, vector: np.ndarray, filters: SearchFilters, k: int) -> list[ScoredPassage]:
        matrix = self._vector_matrix()
        query = self._query(vector, matrix)
        if k <= 0 or matrix.group_rowids.size == 0:
            return []
        if replace(filters, passage_kinds=()) == SearchFilters(passage_kinds=()):
            mask = np.isin(matrix.kinds, list(filters.passage_kinds or _PASSAGE_KINDS))
        else:
            filter_sql, filter_params = _filter_clause(filters)
            allowed = self._all(
                f"SELECT p.rowid FROM passages p JOIN documents d USING (source_file) WHERE {filter_sql}", filter_params
            )
            mask = np.isin(matrix.group_rowids, np.array([r for (r,) in allowed], dtype=np.int64))
        count = int(mask.sum())
        if count == 0:
            return []
        # Score every row (no copy of the matrix), a passage by its best row; filtered-out passages sink.
        similarities = passage_scores(matrix.vectors @ query, matrix.starts)
        similarities[~mask] = -np.inf
        k = min(k, count)
        candidates = np.argpartition(-similarities, k - 1)[:k]
        top = candidates[np.lexsort((matrix.group_rowids[candidates], -similarities[candidates]))]
        passages = self._passages_by_rowid([int(matrix.group_rowids[i]) for i in top])
        return [
            ScoredPassage(passage=passages[int(matrix.group_rowids[i])], score=float(similarities[i]))
            for i in top
            if int(matrix.group_rowids[i]) in passages
        ]

    def vector_scores(self, vector: np.ndarray, passage_ids: Sequence[str]) -> dict[str, float]:
        matrix = self._vector_matrix()
        query = self._query(vector, matrix)
        rowid_of = {pid: rowid for pid, (rowid,) in self._rows_by_passage_id(passage_ids, "rowid").items()}
        if not rowid_of or matrix.group_rowids.size == 0:
            return {}
        wanted = np.array(list(rowid_of.values()), dtype=np.int64)
        groups = np.searchsorted(matrix.group_rowids, wanted)
        groups = np.minimum(groups, matrix.group_rowids.size - 1)
        found = matrix.group_rowids[groups] == wanted
        out: dict[str, float] = {}
        for pid, group, ok in zip(rowid_of, groups.tolist(), found.tolist()):
            if ok:
                start, end = matrix.starts[group], matrix.ends[group]
                out[pid] = float(passage_scores(matrix.vectors[start:end] @ query, np.zeros(1, dtype=np.int64))[0])
        return out

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ---- internals -----------------------------------------------------------------

    def _match(self, expression: str, filter_sql: str, params: list, limit: int) -> list[tuple[int, float]]:
        w = self.weights
        sql = (
            f"SELECT passages_fts.rowid, -bm25(passages_fts, {w.title}, {w.section}, {w.body}, {w.surface})"
            " FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid"
            " JOIN documents d ON d.source_file = p.source_file"
            f" WHERE passages_fts MATCH ? AND {filter_sql} ORDER BY bm25(passages_fts, {w.title}, {w.section},"
            f" {w.body}, {w.surface}) LIMIT ?"
        )
        return [(int(r), float(s)) for r, s in self._all(sql, [expression, *params, limit])]

    def _vector_matrix(self) -> _VectorMatrix:
        generation = self._meta("generation") or "0"
        if self._matrix is None or self._matrix.generation != generation:
            self._matrix = None  # let the old matrix go before the new one is built
            self._matrix = self._load_vector_matrix(generation)
        return self._matrix

    def _load_vector_matrix(self, generation: str) -> _VectorMatrix:
        """Every document's vector blob decoded straight into one float32 matrix, passages in rowid order.

        Documents are read in the order of their first passage rowid, and a document's passages have
        increasing rowids, so the rows come out grouped by passage and sorted without a copy; the
        blobs are streamed, so only the matrix and one document's blob are in memory at once.
        """
        dim = int(self._meta("embedding_dim") or 0)
        with self._lock:
            total = int(self._db.execute("SELECT coalesce(sum(rows), 0) FROM document_vectors").fetchone()[0])
            rowids = np.empty(total, dtype=np.int64)
            vectors = np.empty((total, dim if total else 0), dtype=np.float32)
            offset = 0
            for count, passage_rowids, blob in self._db.execute(
                "SELECT rows, passage_rowids, vectors FROM document_vectors ORDER BY first_rowid"
            ):
                rowids[offset : offset + count] = np.frombuffer(passage_rowids, dtype=np.int64)
                vectors[offset : offset + count] = np.frombuffer(blob, dtype=VECTOR_STORAGE).reshape(count, dim)
                offset += count
            kinds_by_rowid = dict(self._db.execute("SELECT rowid, kind FROM passages WHERE vector IS NOT NULL"))
        if total and not np.all(rowids[1:] >= rowids[:-1]):  # never expected; keeps the groups right if it happens
            order = np.argsort(rowids, kind="stable")
            rowids, vectors = rowids[order], vectors[order]
        starts = np.flatnonzero(np.r_[True, rowids[1:] != rowids[:-1]]) if total else np.zeros(0, np.int64)
        group_rowids = rowids[starts]
        kinds = np.array([kinds_by_rowid.get(int(r), "") for r in group_rowids], dtype="U16")
        ends = np.r_[starts[1:], total].astype(np.int64)
        return _VectorMatrix(generation, group_rowids, kinds, vectors, starts, ends)

    def _query(self, vector: np.ndarray, matrix: _VectorMatrix) -> np.ndarray:
        """The query vector as float32, or ModelMismatchError when its size is not the stored vectors'."""
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if matrix.group_rowids.size and query.shape[0] != matrix.vectors.shape[1]:
            stored = self.embedding_model() or ("?", matrix.vectors.shape[1])
            raise ModelMismatchError(stored[0], stored[1], "the query's model", int(query.shape[0]), str(self.directory))
        return query

    def _passages_by_rowid(self, rowids: list[int]) -> dict[int, Passage]:
        out: dict[int, Passage] = {}
        for chunk in _chunks(rowids):
            for rowid, data in self._all(f"SELECT rowid, data FROM passages WHERE rowid IN ({_marks(chunk)})", chunk):
                out[rowid] = _passage(data)
        return out

    def _rows_by_passage_id(self, passage_ids: Sequence[str], column: str) -> dict[str, tuple]:
        out: dict[str, tuple] = {}
        for chunk in _chunks(list(dict.fromkeys(passage_ids))):
            for pid, *rest in self._all(
                f"SELECT passage_id, {column} FROM passages WHERE passage_id IN ({_marks(chunk)})", chunk
            ):
                out[pid] = tuple(rest)
        return out

    def _check_model(self, db: sqlite3.Connection, source_file: str, model: str, dim: int) -> None:
        others = db.execute("SELECT 1 FROM passages WHERE source_file != ? LIMIT 1", (source_file,)).fetchone()
        stored = self._meta("embedding_model", db)
        stored_dim = int(self._meta("embedding_dim", db) or 0)
        if others and stored and (stored != model or stored_dim != dim):
            raise ModelMismatchError(stored, stored_dim, model, dim, str(self.directory))

    def _delete(self, db: sqlite3.Connection, source_file: str) -> bool:
        if not db.execute("SELECT 1 FROM documents WHERE source_file = ?", (source_file,)).fetchone():
            return False
        db.execute(
            "DELETE FROM evidence WHERE source_file = ?"
            " OR obligation_id IN (SELECT id FROM obligations WHERE source_file = ?)",
            (source_file, source_file),
        )
        db.execute(
            "DELETE FROM passages_fts WHERE rowid IN (SELECT rowid FROM passages WHERE source_file = ?)", (source_file,)
        )
        db.execute("DELETE FROM documents WHERE source_file = ?", (source_file,))  # cascades
        return True

    def _transaction(self) -> _Transaction:
        return _Transaction(self)

    def _ensure_schema_version(self) -> None:
        stored = self._meta("schema_version")
        if stored is None:
            with self._transaction() as db:
                self._set_meta(db, "schema_version", str(SCHEMA_VERSION))
        elif stored == "1":
            self._migrate_vectors_from_version_1()
        elif int(stored) != SCHEMA_VERSION:
            raise StoreNotFoundError(
                f"the store at {self.directory} has schema version {stored}, this Conclusio needs {SCHEMA_VERSION}:"
                f" ingest into a new --store directory"
            )

    def _migrate_vectors_from_version_1(self) -> None:
        """Version 1 kept one float32 vector per passage only: each becomes its passage's one row."""
        with self._transaction() as db:
            files = [f for (f,) in db.execute("SELECT source_file FROM documents").fetchall()]
            for source_file in files:
                rows = db.execute(
                    "SELECT rowid, vector FROM passages WHERE source_file = ? AND vector IS NOT NULL ORDER BY seq",
                    (source_file,),
                ).fetchall()
                if rows:
                    rowids = np.array([r for r, _ in rows], dtype=np.int64)
                    vectors = np.vstack([np.frombuffer(v, dtype=np.float32) for _, v in rows])
                    _insert_vectors(db, source_file, rowids, vectors)
            self._set_meta(db, "schema_version", str(SCHEMA_VERSION))

    def _meta(self, key: str, db: sqlite3.Connection | None = None) -> str | None:
        sql = "SELECT value FROM meta WHERE key = ?"
        row = db.execute(sql, (key,)).fetchone() if db else self._one(sql, (key,))
        return row[0] if row else None

    @staticmethod
    def _set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _one(self, sql: str, params: Sequence = ()) -> tuple | None:
        with self._lock:
            return self._db.execute(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()


@dataclass
class _VectorMatrix:
    """Every stored vector row, grouped by passage (a group per passage, in rowid order)."""

    generation: str
    group_rowids: np.ndarray  # the passage rowid of each group
    kinds: np.ndarray  # passage kind per group, so the default filter needs no SQL
    vectors: np.ndarray  # float32 rows, each passage's rows contiguous
    starts: np.ndarray  # first row of each group
    ends: np.ndarray  # one past the last row of each group


def _insert_vectors(db: sqlite3.Connection, source_file: str, passage_rowids: np.ndarray, vectors: np.ndarray) -> None:
    """A document's vector rows as one blob (``VECTOR_STORAGE``), with the passage rowid of each row."""
    db.execute(
        "INSERT OR REPLACE INTO document_vectors VALUES (?,?,?,?,?)",
        (source_file, int(passage_rowids.min()), len(passage_rowids), passage_rowids.astype(np.int64).tobytes(),
         np.ascontiguousarray(vectors, dtype=VECTOR_STORAGE).tobytes()),
    )


def passage_scores(row_similarities: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """A passage's closeness to the query from its rows' cosines: its best row (its best sentence)."""
    return np.maximum.reduceat(row_similarities, starts) if row_similarities.size else row_similarities


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception; bumps the write generation."""

    def __init__(self, store: SQLiteStore):
        self.store = store

    def __enter__(self) -> sqlite3.Connection:
        self.store._lock.acquire()
        try:
            self.store._db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.store._lock.release()
            raise
        return self.store._db

    def __exit__(self, exc_type, exc, tb) -> None:
        db = self.store._db
        try:
            if exc_type is None:
                db.execute(
                    "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key)"
                    " DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                )
                db.execute("COMMIT")
            else:
                db.execute("ROLLBACK")
        finally:
            self.store._lock.release()


def _filter_clause(filters: SearchFilters) -> tuple[str, list]:
    """A SQL condition over ``p`` (passages) and ``d`` (documents) for these filters."""
    where, params = ["1"], []

    def among(column: str, values: Iterable[str]) -> None:
        values = list(values)
        where.append(f"{column} IN ({_marks(values)})")
        params.extend(values)

    if filters.kinds:
        among("d.kind", filters.kinds)
    if filters.source_files:
        among("p.source_file", filters.source_files)
    if filters.languages:
        among("d.language", filters.languages)
    if filters.passage_kinds:
        among("p.kind", filters.passage_kinds)
    if filters.date_from:
        where.append("d.date >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        where.append("d.date <= ?")
        params.append(filters.date_to)
    if filters.classifications:
        where.append(f"EXISTS (SELECT 1 FROM json_each(d.classification) c WHERE c.value IN ({_marks(filters.classifications)}))")
        params.extend(filters.classifications)
    if filters.actors:
        where.append(
            "EXISTS (SELECT 1 FROM passage_actors pa WHERE pa.passage_rowid = p.rowid"
            f" AND lower(pa.actor) IN ({_marks(filters.actors)}))"
        )
        params.extend(a.lower() for a in filters.actors)
    if filters.has_obligations is not None:
        where.append("p.obligations > 0" if filters.has_obligations else "p.obligations = 0")
    return " AND ".join(where), params


def _highlights(text: str, stems: set[str], phrases: list[list[str]]) -> tuple[str, ...]:
    """Surface words of the passage whose analysed form matched a query term."""
    found: dict[str, None] = {}
    for match in _WORD.finditer(text):
        word = match.group(0)
        if any(term in stems for term in analyze(word)):
            found[word] = None
    for phrase in phrases:
        found[" ".join(phrase)] = None
    return tuple(found)


def _quote(term: str) -> str:
    """An FTS5 string literal: the engine sees data, never syntax."""
    return '"' + term.replace('"', '""') + '"'


def _marks(values: Sequence) -> str:
    return ",".join("?" * len(values))


def _chunks(values: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _passage(data: str) -> Passage:
    return from_dict(Passage, json.loads(data))


def _metadata(data: str) -> DocumentMetadata:
    return from_dict(DocumentMetadata, json.loads(data))


def _obligation(data: str) -> Obligation:
    return from_dict(Obligation, json.loads(data))


__all__ = ["DB_FILE", "SCHEMA_VERSION", "ColumnWeights", "SQLiteStore"]
