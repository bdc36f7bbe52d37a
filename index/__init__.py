"""index stage: storage and retrieval only. Stores (embedded SQLite or OpenSearch), embeddings and search.

It imports nothing but the ground (``conclusio``): what a passage says (its actors, its obligations)
is read by the nlp stage before the write and handed in as data.

Public surface: ``open_store``; ``index.embeddings.load_embedder``; ``index.search.Searcher``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conclusio.errors import SettingsError

if TYPE_CHECKING:
    from conclusio.settings import Settings
    from index.store import Store

BACKENDS = ("sqlite", "opensearch")


def open_store(settings: Settings, create: bool = True, *, read_only: bool = False) -> Store:
    """The configured store; with ``create=False`` a missing store raises ``StoreNotFoundError``.

    ``read_only`` is for the read paths (search, show, status, audit, documents, exports): the embedded
    store is then opened with SQLite's ``mode=ro`` and works on a read-only medium.
    """
    if settings.backend == "opensearch":
        return _open_opensearch(settings, create and not read_only)
    if settings.backend != "sqlite":
        raise SettingsError(f"unknown store backend {settings.backend!r} (CONCLUSIO_BACKEND): use one of {', '.join(BACKENDS)}")
    from index.sqlite_store import SQLiteStore

    return SQLiteStore(settings.store_dir, create=create and not read_only, read_only=read_only,
                       file_mode=settings.store_file_mode)


def _open_opensearch(settings: Settings, create: bool) -> Store:
    from index.errors import StoreNotFoundError
    from index.opensearch_store import Connection, OpenSearchStore

    if not settings.opensearch_url:
        raise StoreNotFoundError("the opensearch backend needs a server address: set OPENSEARCH_URL")
    store = OpenSearchStore(Connection.from_settings(settings), index_prefix=settings.opensearch_index_prefix)
    if not create and store.stats().documents == 0:
        store.close()
        raise StoreNotFoundError(
            f"no documents in OpenSearch indices {settings.opensearch_index_prefix}-*: "
            "run `conclusio ingest corpora/` first"
        )
    return store
