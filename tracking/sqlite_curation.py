"""User-authored curation (link reviews, manual statuses, audit trail) in a SQLite file of its own.

Everything is keyed by obligation and passage ids, which follow their unit's content
(``ingest.identity``); when a revised document is ingested, ``reanchor`` moves what was keyed by a
changed id. Every change appends an audit row in the same transaction; audit rows are never updated
or deleted. Read paths open the file read-only (``mode=ro``).
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
    AuditEntry,
    CurationChange,
    CurationError,
    Move,
    StatusOverride,
    already_orphaned,
    audit_field,
    check_change,
    plan_reanchoring,
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
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_obligation ON audit (obligation_id);
"""


class SQLiteCurationStore:
    """The ``CurationStore`` protocol over one SQLite file."""

    def __init__(self, path: Path, *, read_only: bool = False, file_mode: int = 0o600):
        """Open (or make) the file; ``read_only`` never writes, and reads a missing file as no curation yet."""
        self.path = Path(path)
        self.read_only = read_only
        self.stand_in = False  # read-only over a file that did not exist yet: an empty view that never sees it
        self._lock = threading.Lock()
        try:
            if read_only:
                self._db = self._open_read_only()
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                if not self.path.exists():
                    os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, file_mode))
                self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise CurationError(f"{self.path}: not a usable curation database ({e}); restore it from a backup "
                                f"(conclusio restore)") from e
        except OSError as e:
            raise CurationError(f"cannot open the curation file {self.path} ({e.strerror or e})") from e

    def _open_read_only(self) -> sqlite3.Connection:
        if not self.path.exists():
            self.stand_in = True
            db = sqlite3.connect(":memory:", check_same_thread=False)  # nothing curated yet: an empty view
            db.executescript(_SCHEMA)
            return db
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        db = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
        db.execute("PRAGMA query_only=ON")
        db.execute("SELECT count(*) FROM audit").fetchone()
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction (committed, or rolled back on any error); what SQLite reports about the file, as one line."""
        if self.read_only:
            raise CurationError(f"the curation file {self.path} was opened read-only")
        try:
            with self._db:
                yield self._db
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
        with self._lock:
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
        with self._lock:
            rows = self._db.execute("SELECT obligation_id, status, note, who, at FROM status_overrides").fetchall()
        return {row[0]: StatusOverride(*row) for row in rows}

    def audit_trail(self, obligation_id: str | None = None) -> list[AuditEntry]:
        """Every manual change, oldest first; for one obligation also what was recorded under its former ids."""
        with self._lock:
            rows = self._db.execute(
                "SELECT at, who, obligation_id, field, old_value, new_value, note FROM audit ORDER BY seq"
            ).fetchall()
        entries = [AuditEntry(*row) for row in rows]
        return entries if obligation_id is None else with_former_ids(entries, obligation_id)

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
        self._db.execute(
            "INSERT INTO audit (at, who, obligation_id, field, old_value, new_value, note) VALUES (?,?,?,?,?,?,?)",
            (at, who, obligation_id, field, old, new, note),
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
