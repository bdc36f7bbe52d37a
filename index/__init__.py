"""index stage: stores (embedded SQLite or OpenSearch), embeddings and search.

Public surface: ``open_store``, ``open_curation``; ``index.embeddings.load_embedder``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conclusio.settings import Settings
    from index.store import CurationStore, Store

CURATION_FILE = "curation.sqlite3"


def open_store(settings: Settings, create: bool = True) -> Store:
    """The configured store; with ``create=False`` a missing store raises ``StoreNotFoundError``."""
    if settings.backend == "opensearch":
        return _open_opensearch(settings, create)
    if settings.backend != "sqlite":
        raise ValueError(f"unknown store backend {settings.backend!r}: use sqlite or opensearch")
    from index.sqlite_store import SQLiteStore

    return SQLiteStore(settings.store_dir, create=create)


def open_curation(settings: Settings) -> CurationStore:
    """User-authored curation data, in a file of its own beside the derived store."""
    from index.sqlite_curation import SQLiteCurationStore

    settings.store_dir.mkdir(parents=True, exist_ok=True)
    return SQLiteCurationStore(settings.store_dir / CURATION_FILE)


def _open_opensearch(settings: Settings, create: bool) -> Store:
    from index.errors import StoreNotFoundError
    from index.opensearch_store import OpenSearchStore

    if not settings.opensearch_url:
        raise StoreNotFoundError("the opensearch backend needs a server address: set OPENSEARCH_URL")
    store = OpenSearchStore(settings.opensearch_url, index_prefix=settings.opensearch_index_prefix)
    if not create and store.stats().documents == 0:
        store.close()
        raise StoreNotFoundError(
            f"no documents in OpenSearch indices {settings.opensearch_index_prefix}-*: "
            "run `conclusio ingest corpora/` first"
        )
    return store
