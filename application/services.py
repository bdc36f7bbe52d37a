"""The application's services: what the CLI and the UI both call, composed once over the stages.

``Conclusio`` is one per process (a CLI command, the UI server). It builds each heavy part (the
store, the spaCy pipeline, the embedding model, the searcher) once, when first needed, so that a
command that needs no model loads none, and every reading of Dutch in the process shares one
pipeline.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from spacy.language import Language

from conclusio.errors import ConclusioError
from conclusio.records import Document, Hit, Obligation
from conclusio.settings import Settings
from index import open_store
from index.embeddings import Embedder, ModelResolution, load_embedder, resolve_model
from index.errors import EmbeddingModelError
from index.crosslingual import QueryExpander
from index.search import SearchResult, Searcher
from index.store import ObligationQuery, SearchFilters, Store, StoredDocument, StoreStats
from tracking import CurationStore, TrackedObligation, export_obligations, open_curation, track, track_passages
from tracking.curation import AuditEntry


class StoreEmptyError(ConclusioError):
    """The store exists but holds no documents yet."""


class UnknownItemError(ConclusioError):
    """An obligation, passage or document id that the store does not hold."""


@dataclass
class SearchAnswer:
    """A search with, for each hit, the obligations its passage states and their status."""

    query: str
    result: SearchResult
    obligations: dict[str, list[TrackedObligation]] = field(default_factory=dict)  # by passage id

    @property
    def hits(self) -> list[Hit]:
        return self.result.hits


@dataclass(frozen=True)
class StatusReport:
    """Where the store is, what it holds, and which embedding model is (or would be) in use."""

    settings: Settings
    stats: StoreStats
    model: ModelResolution | None
    model_error: str | None

    @property
    def vectors_match(self) -> bool | None:
        """Whether the stored vectors came from the model in use; None when there is nothing to compare."""
        if self.model is None or not self.stats.embedding_model:
            return None
        same_size = self.model.dim is None or not self.stats.embedding_dim or self.model.dim == self.stats.embedding_dim
        return self.stats.embedding_model == self.model.name and same_size


def ingest_hint(settings: Settings) -> str:
    """The command a user runs to fill the store."""
    return f"conclusio ingest corpora/ --store {settings.store_dir}"


class Conclusio:
    """The services over one configured store; build it once per process and close it at the end."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()  # the UI serves sessions from threads; heavy parts are built once

    # ---- the parts, built on first use ----------------------------------------------

    @cached_property
    def store(self) -> Store:
        """The store, which must exist and hold documents (a mistyped --store is never created)."""
        store = open_store(self.settings, create=False)  # StoreNotFoundError says how to create it
        if store.stats().documents == 0:
            store.close()
            raise StoreEmptyError(
                f"the store at {self.settings.store_dir} holds no documents. Ingest some: {ingest_hint(self.settings)}"
            )
        return store

    @cached_property
    def curation(self) -> CurationStore:
        """Analysts' reviews, overrides and audit trail, beside the store."""
        self.store  # noqa: B018  (curation beside no store is a mistyped --store: say so, create nothing)
        return open_curation(self.settings)

    @cached_property
    def pipeline(self) -> Language:
        """The one spaCy pipeline of this process."""
        from nlp import build_pipeline

        with self._lock:
            return build_pipeline(self.settings)

    @cached_property
    def expander(self) -> QueryExpander:
        """The cross-lingual query expander (glossary, EuroVoc, ODWN): search and the embedder's English pivot share it."""
        with self._lock:
            return QueryExpander.from_settings(self.settings)

    @cached_property
    def embedder(self) -> Embedder:
        """The embedding model the settings name; a model that cannot be found is an error naming the setting."""
        expander = self.expander
        with self._lock:
            return load_embedder(self.settings, expander)

    @cached_property
    def searcher(self) -> Searcher:
        """Search over the store with the embedding model."""
        return Searcher.from_settings(self.settings, self.store, self.embedder, self.expander)

    def close(self) -> None:
        """Release the store and curation connections that were opened."""
        for name in ("curation", "store"):
            if name in self.__dict__:
                self.__dict__.pop(name).close()

    def __enter__(self) -> Conclusio:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ---- ingest ----------------------------------------------------------------------

    def ingest(
        self, paths: Sequence[Path | str], *, force: bool = False, on_result: Callable[[Any], None] | None = None
    ):
        """Ingest files and folders into the store (created when missing); the model loads only if a file changed."""
        from application.pipeline import ingest_paths

        store = open_store(self.settings, create=True)
        try:
            return ingest_paths(
                [Path(p) for p in paths], settings=self.settings, store=store, embedder=lambda: self.embedder,
                pipeline=lambda: self.pipeline, on_result=on_result, force=force,
            )
        finally:
            store.close()

    def reembed(self, on_progress: Callable[[int, int], None] | None = None) -> int:
        """Re-encode every stored passage with the model in use; returns the passage count.

        ``on_progress(done, total)`` is called as passages are encoded.
        """
        from application.pipeline import reembed

        return reembed(self.store, self.embedder, self.pipeline, on_progress)

    # ---- search ----------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        mode: str = "hybrid",
        filters: SearchFilters = SearchFilters(),  # noqa: B008 - frozen dataclass
        as_of: date | None = None,
    ) -> SearchAnswer:
        """The best passages for a query, each with the obligations it states and their status on ``as_of``."""
        result = self.searcher.search(query, k=k, mode=mode, filters=filters)
        stated = track_passages(self.store, self.curation, [h.passage_id for h in result.hits],
                                as_of=as_of or date.today())
        return SearchAnswer(query, result, stated)

    def similar(self, text: str, *, k: int = 5) -> list[Hit]:
        """Stored passages closest to a draft, each with a word diff."""
        return self.searcher.similar(text, k=k)

    # ---- obligations and curation ----------------------------------------------------

    def obligations(
        self,
        query: ObligationQuery = ObligationQuery(),  # noqa: B008 - frozen dataclass
        *,
        as_of: date | None = None,
        status: str | None = None,
    ) -> list[TrackedObligation]:
        """Obligations with their status on ``as_of`` (default today), only ``status`` when given."""
        return track(self.store, self.curation, as_of=as_of or date.today(), query=query, status=status)

    def export(self, rows: Sequence[TrackedObligation], fmt: str, path: Path | None = None) -> bytes:
        """The rows in an export format (json, csv, xlsx, md, ics); also written to ``path`` when given."""
        return export_obligations(rows, fmt, path)  # type: ignore[arg-type]

    def obligation(self, obligation_id: str) -> Obligation:
        """The stored obligation with this id, or an error naming it."""
        for obligation in self.store.obligations(ObligationQuery()):
            if obligation.id == obligation_id:
                return obligation
        raise UnknownItemError(f"no obligation with id {obligation_id!r} (list them with: conclusio obligations)")

    def review(self, obligation_id: str, passage_id: str, verdict: str | None, who: str, note: str = "") -> None:
        """Confirm, reject or clear (None) an evidence link, after checking both ids exist."""
        self.obligation(obligation_id)
        if not self.store.get_passages([passage_id]):
            raise UnknownItemError(f"no passage with id {passage_id!r} (see: conclusio show SOURCE_FILE)")
        self.curation.review_link(obligation_id, passage_id, verdict, who, note)

    def set_status(self, obligation_id: str, status: str | None, who: str, note: str = "") -> None:
        """Override (or with None clear) the computed status of an obligation."""
        self.obligation(obligation_id)
        self.curation.set_status(obligation_id, status, who, note)

    def audit(self, obligation_id: str | None = None) -> list[AuditEntry]:
        """Every manual change, oldest first; for one obligation or all."""
        return self.curation.audit_trail(obligation_id)

    # ---- documents and status --------------------------------------------------------

    def documents(self) -> list[StoredDocument]:
        """Every stored document with its metadata, oldest document date first."""
        return self.store.list_documents()

    def document(self, source_file: str) -> Document:
        """One stored document with its passages, or an error naming the documents there are."""
        document = self.store.get_document(source_file)
        if document is None:
            names = ", ".join(d.source_file for d in self.store.list_documents())
            raise UnknownItemError(f"no document {source_file!r} in the store (stored: {names})")
        return document

    def status(self) -> StatusReport:
        """Store counts and the model in use, decided from files alone (no weights loaded)."""
        store = open_store(self.settings, create=False)
        try:
            stats = store.stats()
        finally:
            store.close()
        try:
            model, model_error = resolve_model(self.settings), None
        except EmbeddingModelError as error:
            model, model_error = None, str(error)
        return StatusReport(self.settings, stats, model, model_error)
