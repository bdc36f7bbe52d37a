"""User-authored curation (link reviews, manual statuses, audit trail) in a SQLite file of its own.

Everything is keyed by stable ids: obligation ids ("{source_file}#{paragraph}#{n}")
and passage ids ("{source_file}#{seq}"), which an unchanged document keeps across ingests. Every
change appends an audit row in the same transaction; audit rows are never updated or deleted.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from tracking.curation import AuditEntry, CurationError, StatusOverride, check_change

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

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise CurationError(f"{self.path}: not a usable curation database ({e})") from e

    def review_link(self, obligation_id: str, passage_id: str, verdict: str | None, who: str, note: str = "") -> None:
        """Confirm ("confirmed"), reject ("rejected") or clear (None) an evidence link."""
        check_change(obligation_id, f"link:{passage_id}", verdict, who)
        with self._lock, self._db:
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
        with self._lock, self._db:
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
        """Every manual change, oldest first."""
        sql = "SELECT at, who, obligation_id, field, old_value, new_value, note FROM audit"
        args: tuple[str, ...] = ()
        if obligation_id is not None:
            sql, args = sql + " WHERE obligation_id = ?", (obligation_id,)
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY seq", args).fetchall()
        return [AuditEntry(*row) for row in rows]

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
