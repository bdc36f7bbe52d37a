"""The embedded store: one SQLite file (WAL) with FTS5 for keywords and numpy for vectors.

FTS5 cannot Snowball-stem, so passages are indexed pre-analysed: the ``title``, ``section``
and ``body`` columns hold space-joined ``index.analysis.analyze`` terms, ``surface``
holds folded, unstemmed tokens for phrases and prefixes, and ``parts`` the stems of compound
parts (matched, never ranked). Queries are built in ``index.sqlite_lexical`` from analysed
terms, each quoted as an FTS5 string, so no user syntax ever reaches FTS5: one MATCH per
search, the weighted BM25 of its candidates computed there from the index's statistics.

Vectors: a passage has one or more (one per sentence, as the ingest pipeline hands them in).
They are kept per document as one contiguous blob (``document_vectors``, float16: see
``VECTOR_STORAGE``), so the search matrix is a concatenation of one array per document, built
once per write generation, not a decoding of one blob per row. Vector search is brute-force
cosine over that matrix, a passage scoring as its best row. ``passages.vector`` keeps one
float32 vector per passage (the normalised mean of its rows) for ``passage_vectors``.
Document metadata is decoded once per generation too (``list_documents``).

A reader's clearance (``for_clearance``) gives a view that shares the connection and caches and
adds one condition to every read's SQL: no marking of the passage's (or obligation's, or evidence
link's) document is among those the clearance may not read (``_visible_sql``). The markings are the
ones the store holds, judged by ``conclusio.clearance``; term statistics stay over every passage
(weights, never shown).
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import sqlite3
import tempfile
import threading
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import numpy as np

from conclusio.records import Document, DocumentMetadata, EvidenceLink, Obligation, Passage, from_dict, to_dict
from conclusio.clearance import Clearance
from index.analysis import analyze, compound_parts_of, fold, tokens
from index.errors import ModelMismatchError, StoreAccessError, StoreDamagedError, StoreNotFoundError
from index.query_language import AllOf, Node, Phrase
from index.sqlite_lexical import (
    Bm25,
    ColumnWeights,
    ScoringItem,
    StemPool,
    candidate_sql,
    constraint_sql,
    match_expression,
    run,
    scoring_items,
)
from index.store import (
    FacetCounts,
    JournalStep,
    LexicalQuery,
    ObligationQuery,
    PendingRun,
    ScoredPassage,
    SearchFilters,
    passage_actors,
    StoredDocument,
    StoreStats,
    vector_rows,
)

# 2: the compound ``parts`` column of passages_fts, and the run journal (runs, journal);
# 3: document_vectors (a passage's rows, one per sentence); a version-2 store is migrated when opened for writing.
SCHEMA_VERSION = 3
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
CREATE INDEX IF NOT EXISTS obligations_by_passage ON obligations(passage_id);
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
    title, section, body, surface, parts, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    pid INTEGER NOT NULL,
    finished_at TEXT
);
CREATE TABLE IF NOT EXISTS journal (
    run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    key TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL DEFAULT '{}',
    done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, step, key)
);
"""
# Damage SQLite reports as an error: the store is then refused for writing (conclusio rebuild repairs it).
_DAMAGE = ("malformed", "not a database", "disk image", "corrupt")
_FULL_DISK_BYTES = 1 << 20  # below this much free space, a write failure is taken for a full disk
FINISHED_RUNS_KEPT = 20  # the journal keeps the last few finished runs for `conclusio check`'s history


class SQLiteStore:
    """Derived data in ``DIR/conclusio.sqlite3``; satisfies ``index.store.Store``."""

    def __init__(
        self,
        directory: Path | str,
        *,
        create: bool = True,
        read_only: bool = False,
        weights: ColumnWeights = ColumnWeights(),
        file_mode: int = 0o600,
    ):
        """Open (``create``: or make) the store; ``read_only`` opens it with ``mode=ro`` and never writes.

        A read-only store works on a read-only medium. A store opened for writing is checked first
        (``PRAGMA quick_check``): a damaged one is refused with ``StoreDamagedError``.
        """
        self.directory = Path(directory)
        self.path = self.directory / DB_FILE
        self.weights = weights
        self.read_only = read_only
        self._cache = _Caches()  # shared with the views for_clearance makes
        self._hidden: tuple[str, ...] | None = None  # a view: None reads everything
        self._clearance: Clearance | None = None
        self._lock = threading.RLock()  # one connection shared across threads (Streamlit), serialised by this lock
        if self.directory.exists() and not self.directory.is_dir():
            raise StoreAccessError(f"the store path {self.directory} is a file, not a folder: give --store a folder")
        existed = self.path.exists()
        if not existed and (read_only or not create):
            raise StoreNotFoundError(
                f"no store at {self.directory}: run `conclusio ingest corpora/ --store {self.directory}` first"
            )
        self._db = self._open_read_only() if read_only else self._open_for_writing(existed, file_mode)
        if not create and not self._one("SELECT 1 FROM documents LIMIT 1"):
            self._db.close()
            raise StoreNotFoundError(
                f"no documents in the store at {self.directory}: run `conclusio ingest corpora/ --store {self.directory}` first"
            )

    def _open_for_writing(self, existed: bool, file_mode: int) -> sqlite3.Connection:
        if not existed:
            try:
                self.directory.mkdir(parents=True, exist_ok=True, mode=_dir_mode(file_mode))
                # SQLite gives its -wal and -shm files the database file's permissions: set them first.
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, file_mode))
            except OSError as e:
                raise StoreAccessError(f"cannot create the store at {self.directory} ({e.strerror or e})") from e
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA synchronous=NORMAL")
            if existed:
                self._refuse_if_damaged(db)
            db.executescript(_SCHEMA)
        except sqlite3.Error as e:
            db.close()
            raise self._translated(e) from e
        self._db = db
        self._ensure_schema_version()
        return db

    def _open_read_only(self) -> sqlite3.Connection:
        uri = f"file:{quote(str(self.path.resolve()))}"
        try:
            db = _connect_read_only(f"{uri}?mode=ro")
        except sqlite3.OperationalError as e:
            # SQLite reads a WAL database through a shared-memory file (-shm) beside it, which it cannot
            # make on a read-only medium or a full disk. With no write-ahead log waiting to be copied in,
            # the database file alone is the whole store, and nothing writes it: it is read as immutable.
            wal = self.path.with_name(self.path.name + "-wal")
            if wal.exists() and wal.stat().st_size > 0:
                raise StoreAccessError(self._cannot_read_message(e)) from e
            try:
                db = _connect_read_only(f"{uri}?immutable=1")
            except sqlite3.Error as error:
                raise self._unreadable(error) from error
        except sqlite3.Error as e:
            raise self._unreadable(e) from e
        self._db = db
        stored = self._meta("schema_version")
        if stored is not None and int(stored) != SCHEMA_VERSION:
            db.close()
            fix = "upgrade Conclusio" if int(stored) > SCHEMA_VERSION else "ingest into a new --store directory"
            if stored == "2":  # migrated by any write; its vectors are of an older model anyway
                fix = f"upgrade it once with `conclusio reembed --store {self.directory}`"
            raise StoreNotFoundError(
                f"the store at {self.directory} has schema version {stored}, this Conclusio reads {SCHEMA_VERSION}: {fix}"
            )
        return db

    def _refuse_if_damaged(self, db: sqlite3.Connection) -> None:
        rows = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
        if rows != ["ok"]:
            raise StoreDamagedError(self._damaged_message(rows[0] if rows else "quick_check failed"))

    def _damaged_message(self, detail: str) -> str:
        return (
            f"the store at {self.directory} is damaged ({detail}); nothing was written to it. "
            f"See what is broken with: conclusio check --store {self.directory}; repair it with: "
            f"conclusio rebuild --store {self.directory}"
        )

    def _cannot_read_message(self, error: sqlite3.Error) -> str:
        if _disk_full(self.directory):
            why = "the disk holding it is full"
        elif not os.access(self.directory, os.W_OK):
            why = "it is on a read-only medium (or you may not write its folder)"
        else:
            why = "SQLite cannot make its shared-memory file beside it"
        return (f"cannot read the store at {self.directory}: {why}, and its last changes are still in its "
                f"write-ahead log, which SQLite copies in only where it can write ({error}). Free some space, or "
                "open it once where it can be written, then read it here")

    def _unreadable(self, error: sqlite3.Error) -> Exception:
        translated = self._translated(error)
        if isinstance(translated, StoreDamagedError):
            return translated
        return StoreAccessError(f"cannot read the store at {self.directory} ({error})")

    def _translated(self, error: sqlite3.Error) -> Exception:
        """A one-line store error for what SQLite reports about the file or the disk; other errors as they are."""
        message = str(error)
        lowered = message.lower()
        if any(word in lowered for word in _DAMAGE):
            return StoreDamagedError(self._damaged_message(message))
        if "disk is full" in lowered or ("i/o" in lowered and _disk_full(self.directory)):
            return StoreAccessError(f"the disk holding the store at {self.directory} is full ({message}); "
                                    "nothing was changed. Free some space and run the command again")
        if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
            return StoreAccessError(f"cannot write the store at {self.directory} ({message}): it is on a "
                                    "read-only medium or you may not write it")
        return error

    # ---- writing -------------------------------------------------------------------

    def for_clearance(self, clearance: Clearance) -> SQLiteStore:
        """A read-only view of this store holding only what ``clearance`` may read (the same connection)."""
        if clearance.full:
            return self
        view = copy.copy(self)
        view._clearance = clearance
        view._hidden = ()  # worked out per write generation (_hidden_markings)
        return view

    def document_state(self, source_file: str) -> str | None:
        visible, params = self._visible_sql()
        row = self._one(f"SELECT content_hash FROM documents d WHERE source_file = ? AND {visible}",
                        (source_file, *params))
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
                    "INSERT INTO passages_fts (rowid, title, section, body, surface, parts) VALUES (?,?,?,?,?,?)",
                    (
                        rowid, title_terms, " ".join(analyze(" ".join(passage.section_path))),
                        " ".join(analyze(passage.text)), " ".join(tokens(passage.text)),
                        " ".join(analyze(" ".join(compound_parts_of(passage.text)))),
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

    # ---- the run journal -----------------------------------------------------------

    def begin_run(self, steps: Sequence[tuple[str, str]] = (("evidence", ""),)) -> int:
        with self._transaction() as db:
            run_id = db.execute(
                "INSERT INTO runs (started_at, pid) VALUES (?, ?)", (datetime.now(UTC).isoformat(timespec="seconds"),
                                                                     os.getpid())
            ).lastrowid
            db.executemany("INSERT INTO journal (run_id, step, key) VALUES (?,?,?)",
                           [(run_id, step, key) for step, key in steps])
        return int(run_id)

    def journal_step(self, run_id: int, step: str, key: str, payload: Mapping) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO journal (run_id, step, key, payload) VALUES (?,?,?,?) ON CONFLICT(run_id, step, key)"
                " DO UPDATE SET payload = excluded.payload, done = 0",
                (run_id, step, key, json.dumps(payload, ensure_ascii=False)),
            )

    def step_done(self, run_id: int, step: str, key: str = "") -> None:
        with self._transaction() as db:
            db.execute("UPDATE journal SET done = 1 WHERE run_id = ? AND step = ? AND key = ?", (run_id, step, key))

    def finish_run(self, run_id: int) -> None:
        with self._transaction() as db:
            db.execute("UPDATE journal SET done = 1 WHERE run_id = ?", (run_id,))
            db.execute("UPDATE runs SET finished_at = ? WHERE run_id = ?",
                       (datetime.now(UTC).isoformat(timespec="seconds"), run_id))
            db.execute(
                "DELETE FROM runs WHERE finished_at IS NOT NULL AND run_id NOT IN"
                " (SELECT run_id FROM runs WHERE finished_at IS NOT NULL ORDER BY run_id DESC LIMIT ?)",
                (FINISHED_RUNS_KEPT,),
            )

    def pending_runs(self) -> list[PendingRun]:
        if not self._one("SELECT 1 FROM sqlite_master WHERE name = 'runs'"):
            return []  # a version-1 store opened read-only: it has no journal
        runs = self._all("SELECT run_id, started_at, pid FROM runs WHERE finished_at IS NULL ORDER BY run_id")
        steps: dict[int, list[JournalStep]] = defaultdict(list)
        for run_id, step, key, payload, done in self._all(
            "SELECT run_id, step, key, payload, done FROM journal WHERE run_id IN"
            " (SELECT run_id FROM runs WHERE finished_at IS NULL) ORDER BY rowid"
        ):
            steps[run_id].append(JournalStep(step, key, json.loads(payload), bool(done)))
        return [PendingRun(run_id, started_at, pid, tuple(steps[run_id])) for run_id, started_at, pid in runs]

    # ---- care: integrity and backups -------------------------------------------------

    def check(self) -> list[str]:
        try:
            with self._lock:
                problems = [f"database: {row[0]}" for row in self._db.execute("PRAGMA integrity_check") if row[0] != "ok"]
                problems += [f"database: {table} row {rowid} points at a missing {parent} row"
                             for table, rowid, parent, _ in self._db.execute("PRAGMA foreign_key_check")]
            if not problems:
                problems += self._fts_problems()
        except sqlite3.DatabaseError as e:  # damage the check itself runs into
            problems = [f"database: {e}"]
        return problems

    def _fts_problems(self) -> list[str]:
        """FTS5's own check compares its index with the passages it holds; it needs a writable connection."""
        counts = self._one("SELECT (SELECT count(*) FROM passages), (SELECT count(*) FROM passages_fts)")
        problems = [] if counts[0] == counts[1] else [
            f"keyword index: {counts[1]} rows for {counts[0]} passages"]
        with tempfile.TemporaryDirectory(prefix="conclusio-check-") as scratch:
            if self.read_only or not os.access(self.directory, os.W_OK):
                # Checked on a copy, so that a store on a read-only medium is never written.
                target = sqlite3.connect(Path(scratch) / DB_FILE)
                with self._lock:
                    self._db.backup(target)
                connection = target
            else:
                connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                connection.execute("BEGIN")
                connection.execute("INSERT INTO passages_fts(passages_fts) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as e:
                problems.append(f"keyword index (FTS5): {e}")
            finally:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                connection.close()
        return problems

    def backup_to(self, target: Path, file_mode: int = 0o600) -> None:
        """A consistent copy of the database at ``target`` (SQLite's online backup: writers may go on)."""
        _backup(self._db, self._lock, Path(target), file_mode)

    def replace_evidence(self, links: Sequence[EvidenceLink], obligation_ids: Sequence[str] | None = None) -> None:
        with self._transaction() as db:
            if obligation_ids is None:
                db.execute("DELETE FROM evidence")
            else:
                for chunk in _chunks(list(dict.fromkeys(obligation_ids))):
                    db.execute(f"DELETE FROM evidence WHERE obligation_id IN ({_marks(chunk)})", chunk)
            db.executemany(
                "INSERT OR REPLACE INTO evidence VALUES (?,?,?,?)",
                [
                    (link.obligation_id, link.passage_id, link.source_file, json.dumps(to_dict(link), ensure_ascii=False))
                    for link in links
                ],
            )

    # ---- reading -------------------------------------------------------------------

    def get_document(self, source_file: str) -> Document | None:
        visible, params = self._visible_sql()
        row = self._one(
            f"SELECT source_file, content_hash, text, metadata, media_type FROM documents d WHERE source_file = ? AND {visible}",
            (source_file, *params),
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
        # Decoded once per write generation: search and tracking ask on every query.
        generation = self._meta("generation") or "0"
        cache = self._cache
        if cache.listed_generation != generation:
            cache.listed_generation, cache.listed = generation, {}
        key = self._hidden_markings()
        if key not in cache.listed:
            cache.listed[key] = self._read_documents()
        return list(cache.listed[key])

    def _read_documents(self) -> list[StoredDocument]:
        visible, params = self._visible_sql()
        rows = self._all(
            "SELECT d.source_file, d.content_hash, d.metadata, d.ingested_at,"
            " (SELECT count(*) FROM passages p WHERE p.source_file = d.source_file),"
            " (SELECT count(*) FROM obligations o WHERE o.source_file = d.source_file)"
            f" FROM documents d WHERE {visible} ORDER BY d.date IS NULL, d.date, d.source_file",
            params,
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
        if query.passage_ids:  # one JSON parameter: any number of ids, no bound-variable limit
            where.append("o.passage_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(query.passage_ids)))
        visible, visible_params = self._visible_sql()
        if visible_params:
            where.append(visible)
            params.extend(visible_params)
        sql = (
            "SELECT o.data FROM obligations o JOIN documents d ON d.source_file = o.source_file"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY d.date IS NULL, d.date, d.source_file, o.ord"
        )
        return [_obligation(data) for (data,) in self._all(sql, params)]

    def evidence(self, obligation_ids: Sequence[str] | None = None) -> list[EvidenceLink]:
        source, params = "evidence e", []
        if self._hidden_markings():
            # Both ends must be readable: the passage reporting (its document) and the obligation reported on.
            passage_side, first = self._visible_sql("pd")
            obligation_side, second = self._visible_sql("od")
            source = ("evidence e JOIN documents pd ON pd.source_file = e.source_file"
                      " JOIN obligations o ON o.id = e.obligation_id JOIN documents od ON od.source_file = o.source_file"
                      f" WHERE {passage_side} AND {obligation_side} AND")
            params = [*first, *second]
        else:
            source += " WHERE"
        if obligation_ids is None:
            rows = self._all(f"SELECT e.data FROM {source} 1 ORDER BY e.obligation_id, e.passage_id", params)
        else:
            rows = [
                row
                for chunk in _chunks(list(obligation_ids))
                for row in self._all(
                    f"SELECT e.data FROM {source} e.obligation_id IN ({_marks(chunk)})"
                    " ORDER BY e.obligation_id, e.passage_id",
                    [*params, *chunk],
                )
            ]
        return [from_dict(EvidenceLink, json.loads(data)) for (data,) in rows]

    def term_statistics(self, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
        # fts5vocab over the body column, created in the connection's temp schema: no change to the store file.
        with self._lock:
            self._db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.passages_vocab USING fts5vocab(main, passages_fts, col)"
            )
        total = self._one("SELECT count(*) FROM passages")[0]
        found: dict[str, int] = {}
        for chunk in _chunks(list(dict.fromkeys(terms))):
            rows = self._all(
                f"SELECT term, doc FROM temp.passages_vocab WHERE col = 'body' AND term IN ({_marks(chunk)})", chunk
            )
            found.update({term: int(count) for term, count in rows})
        return total, found

    def embedding_model(self) -> tuple[str, int] | None:
        if not self._one("SELECT 1 FROM passages LIMIT 1"):
            return None
        name, dim = self._meta("embedding_model"), self._meta("embedding_dim")
        return (name, int(dim)) if name and dim else None

    def stats(self) -> StoreStats:
        model = self.embedding_model()
        visible, params = self._visible_sql()
        return StoreStats(
            documents=self._one(f"SELECT count(*) FROM documents d WHERE {visible}", params)[0],
            passages=self._one(f"SELECT count(*) FROM passages p JOIN documents d USING (source_file) WHERE {visible}",
                               params)[0],
            obligations=self._one(f"SELECT count(*) FROM obligations o JOIN documents d USING (source_file) WHERE {visible}",
                                  params)[0],
            embedding_model=model[0] if model else None,
            embedding_dim=model[1] if model else None,
            location=str(self.directory),
        )

    def facets(self, passage_ids: Sequence[str]) -> FacetCounts:
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        ids = list(dict.fromkeys(passage_ids))
        visible, params = self._visible_sql()
        for chunk in _chunks(ids):
            rows = self._all(
                "SELECT p.rowid, p.source_file, p.obligations, d.kind, d.classification, d.language"
                f" FROM passages p JOIN documents d ON d.source_file = p.source_file WHERE p.passage_id IN ({_marks(chunk)})"
                f" AND {visible}",
                [*chunk, *params],
            )
            actor_rows = self._all(
                "SELECT pa.actor FROM passage_actors pa JOIN passages p ON p.rowid = pa.passage_rowid"
                f" JOIN documents d ON d.source_file = p.source_file WHERE p.passage_id IN ({_marks(chunk)}) AND {visible}",
                [*chunk, *params],
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
        items = scoring_items(query.text, query.expansions, query.phrases, query.prefixes)
        best = self._keyword_ranked(query, items, filters, k)
        passages = self._passages_by_rowid([rowid for rowid, _ in best])
        stems = {term for item in items if item.kind == "stem" for term in item.words}
        phrases = [list(item.words) for item in items if item.kind == "phrase"]
        prefixes = [item.words[-1] for item in items if item.kind == "prefix"]
        return [
            ScoredPassage(
                passage=passages[rowid], score=score,
                highlights=_highlights(passages[rowid].text, stems, phrases, prefixes),
            )
            for rowid, score in best
            if rowid in passages
        ]

    def keyword_candidates(self, query: LexicalQuery, filters: SearchFilters, k: int) -> list[tuple[str, float]]:
        items = scoring_items(query.text, query.expansions, query.phrases, query.prefixes)
        best = self._keyword_ranked(query, items, filters, k, pooled=True)
        ids = self._passage_ids_by_rowid([rowid for rowid, _ in best])
        return [(ids[rowid], score) for rowid, score in best if rowid in ids]

    def _keyword_ranked(
        self, query: LexicalQuery, items: list[ScoringItem], filters: SearchFilters, k: int, *, pooled: bool = False
    ) -> list[tuple[int, float]]:
        """(rowid, score) of the best ``k`` passages: one FTS5 MATCH for the candidates, the weighted BM25 to rank them.

        ``pooled``: a stems-only query under simple filters ranks its candidates with ``StemPool`` (the same
        candidates in the same order, without FTS5 scoring every matching row again): for many searches in a row.
        """
        if k <= 0:
            return []
        required = [Phrase(p) for p in query.phrases if tokens(p)]
        constraint = _all_of([filters.matching, *required])
        match, left_to_sql = match_expression(constraint, items)
        filter_sql, params = _filter_clause(replace(filters, matching=left_to_sql), self._visible_sql())
        if match is None:
            if query.match_all not in ("newest", "oldest"):
                return []
            sql = candidate_sql(None, filter_sql, self.weights).format(order="DESC" if query.match_all == "newest" else "ASC")
            best = [(rowid, 0.0) for rowid, _ in run(self._all, sql, [*params, k])]
        else:
            # Plain bm25 picks the candidates; expansions weigh less in their exact score (index.sqlite_lexical).
            limit = max(k * 8, 400)
            pool = self._stem_pool() if pooled and items and not required and filters.matching is None \
                and all(item.kind == "stem" for item in items) and _simple(filters) and not self._hidden_markings() else None
            if pool is not None:
                scorer = self._scorer()
                allowed = _simple_mask(filters, *pool[1])
                found = [(rowid, 0.0) for rowid in pool[0].ranked(items, [scorer.idf(i.expression) for i in items],
                                                                     allowed, limit)]
            else:
                found = run(self._all, candidate_sql(match, filter_sql, self.weights), [match, *params, limit])
            order = {rowid: i for i, (rowid, _) in enumerate(found)}
            if items:
                weighted = self._scorer().scores(items, list(order))
                best = sorted(weighted.items(), key=lambda item: (-item[1], order[item[0]]))[:k]
            else:  # only the constraint's own words: its plain bm25 ranks
                best = [(rowid, float(score)) for rowid, score in found[:k]]
        return best

    def vector_search(self, vector: np.ndarray, filters: SearchFilters, k: int) -> list[ScoredPassage]:
        matrix = self._vector_matrix()
        query = self._query(vector, matrix)
        if k <= 0 or matrix.group_rowids.size == 0:
            return []
        mask = self._vector_mask(filters, matrix)
        if not mask.any():
            return []
        # Score every row (no copy of the matrix), a passage by its best row; filtered-out passages sink.
        top = _top_groups(passage_scores(matrix.vectors @ query, matrix.starts), mask, matrix.group_rowids, k)
        passages = self._passages_by_rowid([rowid for rowid, _ in top])
        return [ScoredPassage(passage=passages[rowid], score=score) for rowid, score in top if rowid in passages]

    def vector_candidates(self, vectors: np.ndarray, filters: SearchFilters, k: int) -> list[list[tuple[str, float]]]:
        matrix = self._vector_matrix()
        queries = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
        if k <= 0 or matrix.group_rowids.size == 0 or not len(queries):
            return [[] for _ in range(len(queries))]
        self._query(queries[0], matrix)  # the model check
        mask = self._vector_mask(filters, matrix)
        if not mask.any():
            return [[] for _ in range(len(queries))]
        # One product per query, as vector_search computes it: a product over a block of queries (BLAS gemm)
        # rounds differently in the last bit, and a generated or real collection holds duplicate passages
        # whose exact ties are then broken otherwise (86 of 2,299 obligations got another top 20 that way).
        # What is shared is the filter mask and one id lookup for all queries.
        tops = [_top_groups(passage_scores(matrix.vectors @ query, matrix.starts), mask, matrix.group_rowids, k)
                for query in queries]
        ids = self._passage_ids_by_rowid(list({rowid for top in tops for rowid, _ in top}))
        return [[(ids[rowid], score) for rowid, score in top if rowid in ids] for top in tops]

    def _vector_mask(self, filters: SearchFilters, matrix: _VectorMatrix) -> np.ndarray:
        """Which passage groups of the matrix the filters (and this view's clearance) allow."""
        if _simple(filters) and not self._hidden_markings():
            # kinds, dates and obligations are columns of the matrix: no SQL per search (evidence linking filters
            # on a date per obligation)
            return _simple_mask(filters, matrix.kinds, matrix.dates, matrix.with_obligations)
        filter_sql, filter_params = _filter_clause(filters, self._visible_sql())
        allowed = self._all(
            f"SELECT p.rowid FROM passages p JOIN documents d USING (source_file) WHERE {filter_sql}", filter_params
        )
        return np.isin(matrix.group_rowids, np.array([r for (r,) in allowed], dtype=np.int64))

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
        if self._clearance is not None:
            return  # a view: the connection is the store's, closed with it
        with self._lock:
            self._db.close()

    # ---- internals -----------------------------------------------------------------

    def _hidden_markings(self) -> tuple[str, ...]:
        """The stored markings this view's clearance may not read (none for the store itself), per write generation."""
        if self._clearance is None:
            return ()
        generation = self._meta("generation") or "0"
        cache = self._cache
        if cache.markings_generation != generation:
            rows = self._all("SELECT DISTINCT c.value FROM documents d, json_each(d.classification) c")
            cache.markings_generation, cache.markings = generation, tuple(value for (value,) in rows)
        return self._clearance.hidden_markings(cache.markings)

    def _visible_sql(self, documents: str = "d") -> tuple[str, list]:
        """A SQL condition on a ``documents`` row: none of its markings is hidden from this view ("1" for the store)."""
        hidden = self._hidden_markings()
        if not hidden:
            return "1", []
        return (f"NOT EXISTS (SELECT 1 FROM json_each({documents}.classification) hidden"
                f" WHERE hidden.value IN ({_marks(hidden)}))", list(hidden))

    def _scorer(self) -> Bm25:
        """The weighted-BM25 scorer of the current write generation (its statistics and IDFs cached)."""
        generation = self._meta("generation") or "0"
        if self._cache.bm25 is None or self._cache.bm25.generation != generation:
            self._cache.bm25 = Bm25(self._all, self.weights, generation)
        return self._cache.bm25

    def _stem_pool(self) -> tuple[StemPool, tuple[np.ndarray, np.ndarray, np.ndarray]] | None:
        """The stem pool of the current write generation and each of its rows' kind, date and obligations flag;
        None where the connection cannot make the temporary vocabulary table it reads (a read-only store)."""
        generation = self._meta("generation") or "0"
        cache = self._cache
        if cache.stem_pool is None or cache.stem_pool[0].generation != generation:
            cache.stem_pool = None
            try:
                with self._lock:
                    self._db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.passages_instances"
                                     " USING fts5vocab(main, passages_fts, instance)")
            except sqlite3.Error:
                return None
            pool = StemPool.load(self._all, self.weights, generation)
            described = {rowid: (kind, date or "", obligations > 0) for rowid, kind, date, obligations in self._all(
                "SELECT p.rowid, p.kind, d.date, p.obligations FROM passages p JOIN documents d USING (source_file)", [])}
            rows = [described.get(int(r), ("", "", False)) for r in pool.rowids]
            columns = (np.array([kind for kind, _, _ in rows], dtype=str), np.array([date for _, date, _ in rows], dtype=str),
                       np.array([flag for _, _, flag in rows], dtype=bool))
            cache.stem_pool = (pool, columns)
        return cache.stem_pool

    def _vector_matrix(self) -> _VectorMatrix:
        generation = self._meta("generation") or "0"
        cache = self._cache  # shared with the clearance views: one matrix per store
        if cache.matrix is None or cache.matrix.generation != generation:
            cache.matrix = None  # let the old matrix go before the new one is built
            cache.matrix = self._load_vector_matrix(generation)
        return cache.matrix

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
            described = {rowid: (kind, date or "", obligations > 0) for rowid, kind, date, obligations in self._db.execute(
                "SELECT p.rowid, p.kind, d.date, p.obligations FROM passages p JOIN documents d USING (source_file)"
                " WHERE p.vector IS NOT NULL")}
        if total and not np.all(rowids[1:] >= rowids[:-1]):  # never expected; keeps the groups right if it happens
            order = np.argsort(rowids, kind="stable")
            rowids, vectors = rowids[order], vectors[order]
        starts = np.flatnonzero(np.r_[True, rowids[1:] != rowids[:-1]]) if total else np.zeros(0, np.int64)
        group_rowids = rowids[starts]
        described_groups = [described.get(int(r), ("", "", False)) for r in group_rowids]
        kinds = np.array([kind for kind, _, _ in described_groups], dtype="U16")
        dates = np.array([date for _, date, _ in described_groups], dtype=str)
        with_obligations = np.array([flag for _, _, flag in described_groups], dtype=bool)
        ends = np.r_[starts[1:], total].astype(np.int64)
        return _VectorMatrix(generation, group_rowids, kinds, vectors, starts, ends, dates, with_obligations)

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

    def _passage_ids_by_rowid(self, rowids: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for chunk in _chunks(rowids):
            out.update(self._all(f"SELECT rowid, passage_id FROM passages WHERE rowid IN ({_marks(chunk)})", chunk))
        return out

    def _rows_by_passage_id(self, passage_ids: Sequence[str], column: str) -> dict[str, tuple]:
        out: dict[str, tuple] = {}
        visible, params = self._visible_sql()
        for chunk in _chunks(list(dict.fromkeys(passage_ids))):
            for pid, *rest in self._all(
                f"SELECT p.passage_id, p.{column} FROM passages p JOIN documents d ON d.source_file = p.source_file"
                f" WHERE p.passage_id IN ({_marks(chunk)}) AND {visible}", [*chunk, *params]
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
        elif stored == "2":
            self._migrate_vectors_from_version_2()
        elif int(stored) != SCHEMA_VERSION:
            raise StoreNotFoundError(
                f"the store at {self.directory} has schema version {stored}, this Conclusio needs {SCHEMA_VERSION}:"
                f" ingest into a new --store directory"
            )

    def _migrate_vectors_from_version_2(self) -> None:
        """Version 2 kept one float32 vector per passage only: each becomes its passage's one row."""
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
            try:
                return self._db.execute(sql, params).fetchone()
            except sqlite3.DatabaseError as e:
                raise self._translated(e) from e

    def _all(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as e:
                raise self._translated(e) from e


@dataclass
class _Caches:
    """What a store works out once per write generation, shared by the store and its clearance views."""

    matrix: _VectorMatrix | None = None
    bm25: Bm25 | None = None
    stem_pool: tuple[StemPool, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
    listed_generation: str | None = None
    listed: dict[tuple[str, ...], list[StoredDocument]] = field(default_factory=dict)  # by hidden markings
    markings_generation: str | None = None
    markings: tuple[str, ...] = ()


@dataclass
class _VectorMatrix:
    """Every stored vector row, grouped by passage (a group per passage, in rowid order)."""

    generation: str
    group_rowids: np.ndarray  # the passage rowid of each group
    kinds: np.ndarray  # passage kind per group, so the default filter needs no SQL
    vectors: np.ndarray  # float32 rows, each passage's rows contiguous
    starts: np.ndarray  # first row of each group
    ends: np.ndarray  # one past the last row of each group
    dates: np.ndarray  # the document date of each group's passage, "" for none
    with_obligations: np.ndarray  # whether each group's passage states an obligation


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


def _top_groups(similarities: np.ndarray, mask: np.ndarray, group_rowids: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(passage rowid, score) of the best ``k`` allowed groups, best first, ties by rowid."""
    similarities = np.where(mask, similarities, -np.inf)
    k = min(k, int(mask.sum()))
    if k <= 0:
        return []
    candidates = np.argpartition(-similarities, k - 1)[:k]
    top = candidates[np.lexsort((group_rowids[candidates], -similarities[candidates]))]
    return [(int(group_rowids[i]), float(similarities[i])) for i in top]


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception; bumps the write generation."""

    def __init__(self, store: SQLiteStore):
        self.store = store

    def __enter__(self) -> sqlite3.Connection:
        if self.store._clearance is not None:
            raise StoreAccessError(f"the store at {self.store.directory} was opened for one reader's clearance: read-only")
        if self.store.read_only:
            raise StoreAccessError(f"the store at {self.store.directory} was opened read-only")
        self.store._lock.acquire()
        try:
            self.store._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            self.store._lock.release()
            raise self.store._translated(e) from e
        except BaseException:
            self.store._lock.release()
            raise
        return self.store._db

    def __exit__(self, exc_type, exc, tb) -> bool:
        db = self.store._db
        try:
            if exc_type is None:
                try:
                    db.execute(
                        "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key)"
                        " DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                    )
                    db.execute("COMMIT")
                except sqlite3.Error as e:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise self.store._translated(e) from e
            elif db.in_transaction:
                db.execute("ROLLBACK")
        finally:
            self.store._lock.release()
        if isinstance(exc, sqlite3.Error):
            translated = self.store._translated(exc)
            if translated is not exc:
                raise translated from exc
        return False


def _simple(filters: SearchFilters) -> bool:
    """Whether the filters restrict passage kinds, document dates and obligations only."""
    rest = replace(filters, passage_kinds=(), date_from=None, date_to=None, has_obligations=None)
    return rest == SearchFilters(passage_kinds=())


def _simple_mask(filters: SearchFilters, kinds: np.ndarray, dates: np.ndarray, with_obligations: np.ndarray) -> np.ndarray:
    """``_filter_clause`` of simple filters over per-passage columns; as in SQL, no date passes no date bound."""
    mask = np.isin(kinds, list(filters.passage_kinds or _PASSAGE_KINDS))
    if filters.date_from:
        mask &= (dates != "") & (dates >= filters.date_from)
    if filters.date_to:
        mask &= (dates != "") & (dates <= filters.date_to)
    if filters.has_obligations is not None:
        mask &= with_obligations == filters.has_obligations
    return mask


def _filter_clause(filters: SearchFilters, visibility: tuple[str, list] = ("1", [])) -> tuple[str, list]:
    """A SQL condition over ``p`` (passages) and ``d`` (documents) for these filters and a view's visibility."""
    where, params = [visibility[0]], list(visibility[1])

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
    if filters.passage_ids is not None:
        where.append("p.passage_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(filters.passage_ids)))
    if filters.matching is not None:
        sql, more = constraint_sql(filters.matching)
        where.append(sql)
        params.extend(more)
    return " AND ".join(where), params


def _all_of(nodes: Sequence[Node | None]) -> Node | None:
    present = [n for n in nodes if n is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else AllOf(tuple(present))


@lru_cache(maxsize=131072)
def _word_terms(word: str) -> tuple[str, ...]:
    # Every hit's every word is analysed to mark it: the same few thousand words, again and again.
    return tuple(analyze(word))


def _highlights(text: str, stems: set[str], phrases: list[list[str]], prefixes: Sequence[str] = ()) -> tuple[str, ...]:
    """Surface words of the passage whose analysed form matched a query term, or that start with a prefix."""
    found: dict[str, None] = {}
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not stems.isdisjoint(_word_terms(word)) or any(fold(word).startswith(p) for p in prefixes):
            found[word] = None
    for phrase in phrases:
        found[" ".join(phrase)] = None
    return tuple(found)


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


def _backup(source: sqlite3.Connection, lock: threading.RLock, target: Path, file_mode: int) -> None:
    """Copy a database with SQLite's online backup API into a new file of the given mode."""
    if target.exists():
        raise StoreAccessError(f"{target} exists already: back up into a new folder")
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode))
        copy = sqlite3.connect(target)
    except OSError as e:
        raise StoreAccessError(f"cannot write {target} ({e.strerror or e})") from e
    try:
        with lock:
            source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    except sqlite3.Error as e:
        copy.close()
        target.unlink(missing_ok=True)
        raise StoreAccessError(f"the backup to {target} failed ({e})") from e
    copy.close()


def _connect_read_only(uri: str) -> sqlite3.Connection:
    db = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False, isolation_level=None)
    try:
        db.execute("PRAGMA query_only=ON")
        db.execute("PRAGMA temp_store=MEMORY")  # a read never needs the disk, even a full one
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the file now, not at the first query
    except sqlite3.Error:
        db.close()
        raise
    return db


def _disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _FULL_DISK_BYTES
    except OSError:
        return False


def _dir_mode(file_mode: int) -> int:
    """A folder mode for a file mode: search (x) wherever read is given."""
    return file_mode | ((file_mode & 0o444) >> 2)


__all__ = ["DB_FILE", "SCHEMA_VERSION", "ColumnWeights", "SQLiteStore"]
