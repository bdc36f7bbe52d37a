"""What analysts author (link reviews, status overrides, the audit trail) and where it is kept.

It is kept apart from the derived store so that re-ingesting, re-embedding or dropping the store
never touches it: with the embedded backend in ``curation.sqlite3`` beside the store, with the
OpenSearch backend in indices of its own. Both satisfy ``CurationStore`` and pass one contract suite
(``tests/tracking/test_curation_contract.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, get_args, runtime_checkable

from conclusio.errors import ConclusioError
from conclusio.records import ObligationStatus
from conclusio.settings import Settings

CURATION_FILE = "curation.sqlite3"
VERDICTS = ("confirmed", "rejected")
STATUSES: tuple[str, ...] = get_args(ObligationStatus)


class CurationError(ConclusioError):
    """A curation change was refused: an unknown verdict or status, or a missing author."""


@dataclass(frozen=True)
class AuditEntry:
    """One manual change, kept forever."""

    at: str  # ISO timestamp
    who: str
    obligation_id: str
    field: str  # "status" | "link:<passage_id>"
    old_value: str | None
    new_value: str | None
    note: str = ""


@dataclass(frozen=True)
class StatusOverride:
    obligation_id: str
    status: str
    note: str
    who: str
    at: str


@runtime_checkable
class CurationStore(Protocol):
    """User-authored data that survives every re-ingest: link reviews, status overrides, audit."""

    def review_link(self, obligation_id: str, passage_id: str, verdict: str | None, who: str, note: str = "") -> None:
        """Confirm ("confirmed"), reject ("rejected") or clear (None) an evidence link."""

    def link_reviews(self) -> dict[tuple[str, str], str]:
        """(obligation_id, passage_id) -> verdict, for every reviewed link."""

    def set_status(self, obligation_id: str, status: str | None, who: str, note: str = "") -> None:
        """Set a manual status (None clears it)."""

    def status_overrides(self) -> dict[str, StatusOverride]:
        """obligation_id -> the current manual status."""

    def audit_trail(self, obligation_id: str | None = None) -> list[AuditEntry]:
        """Every manual change, oldest first."""

    def close(self) -> None:
        """Release connections."""


def check_change(obligation_id: str, field: str, value: str | None, who: str) -> None:
    """Refuse a change every backend must refuse: an unknown verdict or status, or no author."""
    allowed = STATUSES if field == "status" else VERDICTS
    if value is not None and value not in allowed:
        kind = "status" if field == "status" else "link verdict"
        raise CurationError(f"unknown {kind} {value!r} for {obligation_id}: use one of {allowed} or None")
    if not who or not who.strip():
        raise CurationError("every curation change needs an author (who): got an empty name")


def open_curation(settings: Settings) -> CurationStore:
    """The curation store of the configured backend: a SQLite file beside the store, or OpenSearch indices."""
    if settings.backend == "opensearch":
        from index.opensearch_store import Connection
        from tracking.opensearch_curation import OpenSearchCurationStore

        if not settings.opensearch_url:
            raise CurationError("the opensearch backend needs a server address: set OPENSEARCH_URL")
        return OpenSearchCurationStore(Connection.from_settings(settings), index_prefix=settings.opensearch_index_prefix)
    from tracking.sqlite_curation import SQLiteCurationStore

    settings.store_dir.mkdir(parents=True, exist_ok=True)
    return SQLiteCurationStore(settings.store_dir / CURATION_FILE)
