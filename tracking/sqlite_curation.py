"""User-authored curation (link reviews, manual statuses, audit trail) in a SQLite file of its own.

Everything is keyed by obligation and passage ids, which follow their unit's content
(``ingest.identity``); when a revised document is ingested, ``reanchor`` moves what was keyed by a
changed id. Every change appends an audit row in the same transaction (``BEGIN IMMEDIATE``: one writer
at a time, so each row follows the row before it in the hash chain); triggers refuse to delete an audit
row or change a chained one. A file made before the chain gains its two columns when it is next opened
for writing, and its rows are chained by that first write. Read paths open the file read-only
(``mode=ro``).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from tracking.curation import (
    CHAINED,
    GENESIS,
    AuditEntry,
    AuditVerification,
    ChainedEntry,
    CurationChange,
    CurationError,
    Move,
    StatusOverride,
    already_orphaned,
    audit_field,
    chain_hash,
    chain_legacy,
    chained_note,
    check_change,
    ingest_entry,
    plan_reanchoring,
    verify_chain,
    with_former_ids,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS link_reviews (
    obligation_id TEXT NOT NULL,
    passage_id TEXT NOT NULL,
    verdict TEXT NOT NULL,
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (obligation_id, passage_id)
);
CREATE TABLE IF NOT EXISTS status_overrides (
    obligation_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    who TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    obligation_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    note TEXT NOT NULL DEFAULT '',
    prev_hash TEXT,
    entry_hash TEXT
);
CREATE INDEX IF NOT EXISTS audit_obligation ON audit (obligation_id);
"""
# Made after the chain's columns exist (a file made before them gains them first).
_APPEND_ONLY = """
CREATE TRIGGER IF NOT EXISTS audit_never_deleted BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: its entries are never deleted'); END;
CREATE TRIGGER IF NOT EXISTS audit_chained_never_changed BEFORE UPDATE ON audit WHEN OLD.entry_hash IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: a chained entry is never changed'); END;
"""
_ENTRY = "at, who, obligation_id, field, old_value, new_value, note"


class SQLiteCurationStore:
    """The ``CurationStore`` protocol over one SQLite file."""

    def __init__(self, path: Path, *, read_only: bool = False, file_mode: int = 0o600):
        """Open (or make) the file; ``read_only`` never writes, and reads a missing file as no curation yet."""
        self.path = Path(path)
        self.read_only = read_only
        self._lock = threading.Lock()
        try:
            if read_only:
                self._db = self._open_read_only()
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                if not self.path.exists():
                    _create(self.path, file_mode)
                self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
                self._db.executescript(_SCHEMA)
                columns = {row[1] for row in self._db.execute("PRAGMA table_info(audit)")}
                for column in ("prev_hash", "entry_hash"):
                    if column not in columns:  # a file made before the audit trail was chained
                        self._db.execute(f"ALTER TABLE audit ADD COLUMN {column} TEXT")
                self._db.executescript(_APPEND_ONLY)
        except sqlite3.DatabaseError as e:
            raise CurationError(f"{self.path}: not a usable curation database ({e}); restore it from a backup "
                                f"(conclusio restore)") from e
        except OSError as e:
            raise CurationError(f"cannot open the curation file {self.path} ({e.strerror or e})") from e

    def _open_read_only(self) -> sqlite3.Connection:
        self._not_yet = not self.path.exists()
        if self._not_yet:
            db = sqlite3.connect(":memory:", check_same_thread=False)  # nothing curated yet: an empty view
            db.executescript(_SCHEMA)
            return db
        self._roll_back_interrupted_write()
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        db = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
        db.execute("PRAGMA query_only=ON")
        db.execute("SELECT count(*) FROM audit").fetchone()
        return db

    def _roll_back_interrupted_write(self) -> None:
        """A writer killed mid-transaction leaves a hot rollback journal, which only a writable connection may
        roll back; a read-only one then fails ("attempt to write a readonly database"). When we may write the
        file, let SQLite roll it back first, as the next writer would (a live writer's journal is left alone:
        SQLite only rolls back a journal no connection holds a lock for)."""
        journal = self.path.with_name(self.path.name + "-journal")
        if not journal.exists() or not os.access(self.path, os.W_OK) or not os.access(self.path.parent, os.W_OK):
            return
        recovering = sqlite3.connect(self.path, timeout=30)
        try:
            recovering.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            recovering.close()

    def _reading(self) -> threading.Lock:
        """The lock around a read; a read-only view opened before the file existed opens it once it does (a
        long-running UI sees the first review someone makes)."""
        if self.read_only and getattr(self, "_not_yet", False) and self.path.exists():
            with self._lock:
                if self._not_yet:
                    empty, self._db = self._db, self._open_read_only()
                    empty.close()
        return self._lock

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction (committed, or rolled back on any error); what SQLite reports about the file, as one line."""
        if self.read_only:
            raise CurationError(f"the curation file {self.path} was opened read-only")
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.OperationalError as e:
            lowered = str(e).lower()
            why = ("the disk is full" if "full" in lowered else
                   "it is on a read-only medium or you may not write it" if "readonly" in lowered else str(e))
            raise CurationError(f"cannot write the curation file {self.path}: {why} ({e}); nothing was changed") from e
        except sqlite3.DatabaseError as e:
            raise CurationError(f"{self.path}: not a usable curation database ({e}); restore it from a backup "
                                "(conclusio restore)") from e

    def review_link(self, obligation_id: str, passage_id: str, verdict: str | None, who: str, note: str = "") -> None:
        """Confirm ("confirmed"), reject ("rejected") or clear (None) an evidence link."""
        check_change(obligation_id, f"link:{passage_id}", verdict, who)
        with self._lock, self._write():
            row = self._db.execute(
                "SELECT verdict FROM link_reviews WHERE obligation_id = ? AND passage_id = ?",
                (obligation_id, passage_id),
            ).fetchone()
            old = row[0] if row else None
            at = _now()
            if verdict is None:
                self._db.execute(
                    "DELETE FROM link_reviews WHERE obligation_id = ? AND passage_id = ?", (obligation_id, passage_id)
                )
            else:
                self._db.execute(
                    "INSERT OR REPLACE INTO link_reviews VALUES (?,?,?,?,?,?)",
                    (obligation_id, passage_id, verdict, who, at, note),
                )
            self._audit(at, who, obligation_id, f"link:{passage_id}", old, verdict, note)

    def link_reviews(self) -> dict[tuple[str, str], str]:
        """(obligation_id, passage_id) -> verdict, for every reviewed link."""
        with self._reading():
            rows = self._db.execute("SELECT obligation_id, passage_id, verdict FROM link_reviews").fetchall()
        return {(o, p): v for o, p, v in rows}

    def set_status(self, obligation_id: str, status: str | None, who: str, note: str = "") -> None:
        """Set a manual status (None clears it)."""
        check_change(obligation_id, "status", status, who)
        with self._lock, self._write():
            row = self._db.execute(
                "SELECT status FROM status_overrides WHERE obligation_id = ?", (obligation_id,)
            ).fetchone()
            old = row[0] if row else None
            at = _now()
            if status is None:
                self._db.execute("DELETE FROM status_overrides WHERE obligation_id = ?", (obligation_id,))
            else:
                self._db.execute(
                    "INSERT OR REPLACE INTO status_overrides VALUES (?,?,?,?,?)", (obligation_id, status, note, who, at)
                )
            self._audit(at, who, obligation_id, "status", old, status, note)

    def status_overrides(self) -> dict[str, StatusOverride]:
        """obligation_id -> the current manual status."""
        with self._reading():
            rows = self._db.execute("SELECT obligation_id, status, note, who, at FROM status_overrides").fetchall()
        return {row[0]: StatusOverride(*row) for row in rows}

    def audit_trail(self, obligation_id: str | None = None) -> list[AuditEntry]:
        """Every manual change, oldest first; for one obligation also what was recorded under its former ids."""
        with self._reading():
            rows = self._db.execute(
                "SELECT at, who, obligation_id, field, old_value, new_value, note FROM audit ORDER BY seq"
            ).fetchall()
        entries = [AuditEntry(*row) for row in rows]
        return entries if obligation_id is None else with_former_ids(entries, obligation_id)

    def record_ingest(self, source_file: str, previous_hash: str | None, content_hash: str, who: str) -> None:
        """Append an audit entry for a document ingested (or revised) by ``who``."""
        entry = ingest_entry(source_file, previous_hash, content_hash, who, _now())
        with self._lock, self._write():
            self._append(entry)

    def verify_audit(self) -> AuditVerification:
        """Check the audit trail's hash chain (read-only)."""
        with self._reading():
            columns = {row[1] for row in self._db.execute("PRAGMA table_info(audit)")}
            links = "prev_hash, entry_hash" if "entry_hash" in columns else "NULL, NULL"
            rows = self._db.execute(f"SELECT seq, {_ENTRY}, {links} FROM audit ORDER BY seq").fetchall()
        return verify_chain([ChainedEntry(row[0], AuditEntry(*row[1:8]), row[8], row[9]) for row in rows])

    def reanchor(self, moves: Sequence[Move], who: str = "conclusio") -> list[CurationChange]:
        """Move what is keyed by a moved unit's old id to its new id (tracking.curation.CurationStore)."""
        if not moves:
            return []
        with self._lock, self._write():
            overrides = dict(self._db.execute("SELECT obligation_id, status FROM status_overrides").fetchall())
            reviews = {(o, p): v for o, p, v in self._db.execute(
                "SELECT obligation_id, passage_id, verdict FROM link_reviews").fetchall()}
            status_moves, review_moves, orphans = plan_reanchoring(overrides, reviews, moves)
            at = _now()
            # Every moved row is taken out before any is put back, so that moves along a chain cannot collide.
            moved_overrides = [(self._db.execute("SELECT status, note, who, at FROM status_overrides WHERE "
                                                 "obligation_id = ?", (old,)).fetchone(), new, change)
                               for old, new, change in status_moves]
            self._db.executemany("DELETE FROM status_overrides WHERE obligation_id = ?",
                                 [(old,) for old, _, _ in status_moves])
            for (status, note, author, when), new, change in moved_overrides:
                self._db.execute("INSERT INTO status_overrides VALUES (?,?,?,?,?)", (new, status, note, author, when))
                self._audit(at, who, new, audit_field(change), change.old_key, change.new_key, change.reason)
            moved_reviews = [(self._db.execute("SELECT verdict, who, at, note FROM link_reviews WHERE obligation_id = ?"
                                               " AND passage_id = ?", old).fetchone(), new, change)
                             for old, new, change in review_moves]
            self._db.executemany("DELETE FROM link_reviews WHERE obligation_id = ? AND passage_id = ?",
                                 [old for old, _, _ in review_moves])
            for (verdict, author, when, note), new, change in moved_reviews:
                self._db.execute("INSERT INTO link_reviews VALUES (?,?,?,?,?,?)", (*new, verdict, author, when, note))
                self._audit(at, who, new[0], audit_field(change), change.old_key, change.new_key, change.reason)
            trail = [AuditEntry(*row) for row in self._db.execute(
                "SELECT at, who, obligation_id, field, old_value, new_value, note FROM audit ORDER BY seq")]
            for change in orphans:
                if not already_orphaned(trail, change):
                    self._audit(at, who, change.obligation_id, audit_field(change), change.old_key, None,
                                change.reason)
        return [change for _, _, change in status_moves] + [change for _, _, change in review_moves] + orphans

    def backup_to(self, target: Path, file_mode: int = 0o600) -> None:
        """A consistent copy of the curation file at ``target`` (SQLite's online backup API)."""
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode))
        except OSError as e:
            raise CurationError(f"cannot write {target} ({e.strerror or e})") from e
        copy = sqlite3.connect(target)
        try:
            with self._lock:
                self._db.backup(copy)
        finally:
            copy.close()

    def check(self) -> list[str]:
        """What is broken in the curation file, one line each."""
        with self._lock:
            try:
                rows = self._db.execute("PRAGMA integrity_check").fetchall()
            except sqlite3.DatabaseError as e:
                return [f"curation: {e}"]
        return [f"curation: {row[0]}" for row in rows if row[0] != "ok"]

    def close(self) -> None:
        """Release the connection."""
        with self._lock:
            self._db.close()

    def _audit(self, at: str, who: str, obligation_id: str, field: str, old: str | None, new: str | None, note: str):
        self._append(AuditEntry(at, who, obligation_id, field, old, new, note))

    def _append(self, entry: AuditEntry) -> None:
        """Insert one audit row chained to the row before it (inside the caller's write transaction)."""
        last = self._db.execute("SELECT entry_hash FROM audit WHERE entry_hash IS NOT NULL ORDER BY seq DESC LIMIT 1"
                                ).fetchone()
        previous = last[0] if last else self._chain_legacy(entry.who, entry.at)
        seq = (self._db.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0] or 0) + 1
        self._db.execute(
            f"INSERT INTO audit (seq, {_ENTRY}, prev_hash, entry_hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (seq, entry.at, entry.who, entry.obligation_id, entry.field, entry.old_value, entry.new_value, entry.note,
             previous, chain_hash(previous, seq, entry)),
        )

    def _chain_legacy(self, who: str, at: str) -> str:
        """Chain the rows written before the trail was chained, and say so in the trail; the new head hash."""
        rows = [ChainedEntry(row[0], AuditEntry(*row[1:]), None, None)
                for row in self._db.execute(f"SELECT seq, {_ENTRY} FROM audit ORDER BY seq")]
        if not rows:
            return GENESIS
        for row in chain_legacy(rows):
            self._db.execute("UPDATE audit SET prev_hash = ?, entry_hash = ? WHERE seq = ?", (row.prev_hash, row.hash,
                                                                                              row.seq))
        self._append(AuditEntry(at, who, "", CHAINED, None, None, chained_note(len(rows))))
        last = self._db.execute("SELECT entry_hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return last[0]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _create(path: Path, file_mode: int) -> None:
    """A new curation file, put in place with its schema whole: an ingest killed while making it (kill -9,
    power) must not leave an empty file that every later command reads as a damaged database."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, file_mode))
    try:
        db = sqlite3.connect(partial, isolation_level=None)
        try:
            db.executescript(_SCHEMA)
            db.executescript(_APPEND_ONLY)
        finally:
            db.close()
        try:
            os.link(partial, path)  # never replaces a file another process made meanwhile
        except FileExistsError:
            pass
    finally:
        partial.unlink(missing_ok=True)
