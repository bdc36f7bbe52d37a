"""The application's services: what the CLI and the UI both call, composed once over the stages.

``Conclusio`` is one per process (a CLI command, the UI server). It builds each heavy part (the
store, the spaCy pipeline, the embedding model, the searcher) once, when first needed, so that a
command that needs no model loads none, and every reading of Dutch in the process shares one
pipeline.

Every call is made as one user (``application.access``): the CLI's (``--user``, ``CONCLUSIO_USER``, else
the login name), or, in the UI, the signed-in person's, through ``as_user`` (services for that user
over the same parts). Their role decides what they may do (reading, curating, administering: refused
with ``AccessDenied`` before anything is looked up), their clearance what they may read: the store they
read through is the store's view for their clearance (``Store.for_clearance``), which filters inside
every query, and the audit trail they see leaves out entries about what that view does not hold.
Reviews, statuses and ingests are recorded under their name, never a name typed in.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any


from application.access import User, resolve_user
from application.citations import Citation, cite_passage
from application.journal import pending_message
from conclusio.errors import AccessDenied, ConclusioError
from conclusio.records import Document, DocumentMetadata, Hit, Obligation
from conclusio.settings import Settings
from conclusio.text import json_text, printable
from index import open_store
from index.embeddings import Embedder, ModelResolution, load_embedder, resolve_model
from index.errors import EmbeddingModelError
from index.crosslingual import QueryExpander
from index.lock import lock_held, store_lock
from index.originals import OriginalFiles
from index.query_filters import deadline_within
from index.query_language import FieldFilters
from index.search import SearchResult, Searcher
from index.store import ObligationQuery, PendingRun, SearchFilters, Store, StoredDocument, StoreStats
from tracking import CurationStore, TrackedObligation, export_obligations, open_curation, track, track_passages
from tracking.exports import ExportError, table_csv, table_xlsx
from tracking.status import StatusChange, StatusPoint, changes, history
from tracking.curation import ANCHOR_MOVED, INGEST, LINK_ARROW, AuditEntry, AuditVerification

if TYPE_CHECKING:  # spaCy (and torch through it) loads only when a pipeline is built
    from spacy.language import Language

log = logging.getLogger(__name__)


class StoreEmptyError(ConclusioError):
    """The store exists but holds no documents yet."""


class UnknownItemError(ConclusioError):
    """An obligation, passage or document id that the store does not hold."""


HIT_COLUMNS: tuple[str, ...] = (
    "rank", "citation", "score", "doc_number", "doc_title", "doc_date", "paragraph", "page", "obligations", "text",
    "source_file", "passage_id",
)
HIT_EXPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx", "json")


@dataclass
class SearchAnswer:
    """A search with, for each hit, the obligations its passage states and their status, and its citation.

    ``weak_match`` says that nothing matched well although hits are listed: no keyword matched and the best
    semantic similarity is below the ``weak_similarity`` setting (fused scores are relative: the best hit of
    a nonsense query scores high too).
    """

    query: str
    result: SearchResult
    obligations: dict[str, list[TrackedObligation]] = field(default_factory=dict)  # by passage id
    citations: dict[str, Citation] = field(default_factory=dict)  # by passage id
    weak_match: bool = False

    @property
    def hits(self) -> list[Hit]:
        return self.result.hits


@dataclass(frozen=True)
class Orphan:
    """A curated item whose unit is no longer in the store: kept, shown, never applied to another unit."""

    item: str  # "status" | "link"
    obligation_id: str
    passage_id: str | None
    value: str  # the status or the verdict
    who: str
    at: str
    reason: str  # from the audit trail's re-anchoring entry, or why it is an orphan now


@dataclass(frozen=True)
class CheckReport:
    """What ``conclusio check`` found: damage (problems) and work an interrupted ingest left (pending)."""

    location: str
    problems: list[str]
    pending: list[PendingRun]
    interrupted: bool  # pending work and no ingest running: it was interrupted

    @property
    def clean(self) -> bool:
        return not self.problems


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


class _Parts:
    """The heavy parts of one process, each built once when first needed, shared by every user's services."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.lock = threading.Lock()  # the UI serves sessions from threads; heavy parts are built once

    @cached_property
    def store(self) -> Store:
        """The store, read-only; it must exist and hold documents (a mistyped --store is never created).

        An ingest that was interrupted is said (as a logged warning) with the command that completes it.
        """
        store = open_store(self.settings, create=False, read_only=True)  # StoreNotFoundError says how to create it
        if store.stats().documents == 0:
            store.close()
            raise StoreEmptyError(
                f"the store at {self.settings.store_dir} holds no documents. Ingest some: {ingest_hint(self.settings)}"
            )
        runs = store.pending_runs()
        if runs and not lock_held(self.settings.store_dir):
            log.warning(pending_message(self.settings.store_dir, runs))
        return store

    @cached_property
    def curation(self) -> CurationStore:
        self.store  # noqa: B018  (curation beside no store is a mistyped --store: say so, create nothing)
        return open_curation(self.settings, read_only=True)

    @cached_property
    def curation_writer(self) -> CurationStore:
        self.store  # noqa: B018
        return open_curation(self.settings)

    @cached_property
    def pipeline(self) -> Language:
        from nlp import build_pipeline

        with self.lock:
            return build_pipeline(self.settings)

    @cached_property
    def expander(self) -> QueryExpander:
        with self.lock:
            return QueryExpander.from_settings(self.settings)

    @cached_property
    def embedder(self) -> Embedder:
        expander = self.expander
        with self.lock:
            return load_embedder(self.settings, expander)

    @cached_property
    def searcher(self) -> Searcher:
        return Searcher.from_settings(self.settings, self.store, self.embedder, self.expander)

    def close(self) -> None:
        for name in ("curation_writer", "curation", "store"):
            if name in self.__dict__:
                self.__dict__.pop(name).close()


class Conclusio:
    """The services over one configured store, as one user; build it once per process and close it at the end.

    ``user`` is who the calls are made as; None: the settings' user (``CONCLUSIO_USER``, else the login
    name) as the users file names them, resolved at the first call that needs it.
    """

    def __init__(self, settings: Settings, *, user: User | None = None, _parts: _Parts | None = None):
        self.settings = settings
        self._parts = _parts if _parts is not None else _Parts(settings)
        self._owner = _parts is None
        if user is not None:
            self.__dict__["user"] = user

    def as_user(self, user: User) -> Conclusio:
        """The same services as ``user``, over this process's parts (the UI: one per signed-in session)."""
        return Conclusio(self.settings, user=user, _parts=self._parts)

    # ---- who, and the parts as they may see them -----------------------------------------

    @cached_property
    def user(self) -> User:
        """Who the calls are made as; ``AccessDenied`` when a users file does not name them."""
        return resolve_user(self.settings)

    def require(self, action: str) -> None:
        """Refuse (``AccessDenied``) unless this user's role may do ``action`` ("read", "curate", "administer")."""
        self.user.require(action)

    @cached_property
    def store(self) -> Store:
        """The store as this user may read it: its view for their clearance (the store itself for full clearance)."""
        self.require("read")
        return self._parts.store.for_clearance(self.user.clearance)

    def interruption(self) -> str | None:
        """What an interrupted ingest left undone and how to finish it; None when nothing (or an ingest runs now)."""
        runs = self._parts.store.pending_runs()
        if runs and not lock_held(self.settings.store_dir):
            return pending_message(self.settings.store_dir, runs)
        return None

    @cached_property
    def curation(self) -> CurationStore:
        """Analysts' reviews, overrides and audit trail (read-only), the trail as far as this user may read it."""
        self.store  # noqa: B018
        if self.user.clearance.full:
            return self._parts.curation
        return VisibleCuration(self._parts.curation, self.store)

    @property
    def curation_writer(self) -> CurationStore:
        """The curation store opened for changes (reviews, statuses)."""
        return self._parts.curation_writer

    @property
    def pipeline(self) -> Language:
        """The one spaCy pipeline of this process."""
        return self._parts.pipeline

    @property
    def expander(self) -> QueryExpander:
        """The cross-lingual query expander (glossary, EuroVoc, ODWN): search and the embedder's English pivot share it."""
        return self._parts.expander

    @property
    def embedder(self) -> Embedder:
        """The embedding model the settings name ; a model that cannot be found is an error naming the setting."""
        return self._parts.embedder

    @cached_property
    def searcher(self) -> Searcher:
        """Search over the store as this user may read it, with the embedding model."""
        store = self.store
        return self._parts.searcher if store is self._parts.store else self._parts.searcher.over(store)

    def close(self) -> None:
        """Release the store and curation connections that were opened (the owner's; a user's services share them)."""
        if self._owner:
            self._parts.close()
        for name in ("store", "curation", "searcher"):
            self.__dict__.pop(name, None)

    def __enter__(self) -> Conclusio:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ---- ingest ----------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[Path | str],
        *,
        force: bool = False,
        on_result: Callable[[Any], None] | None = None,
        wait: bool = False,
        jobs: int = 1,
        on_progress: Callable[[str, int, int], None] | None = None,
        defer_evidence: bool = False,
    ):
        """Ingest files and folders into the store (created when missing); the model loads only if a file changed.

        One ingest at a time: another one running makes this one wait (``wait``) or raise ``StoreBusyError``.
        Work an interrupted ingest left is completed first. ``jobs`` worker processes parse and read the
        files; ``on_progress(stage, done, total)`` follows the run (``application.pipeline.ingest_paths``);
        ``defer_evidence`` leaves the evidence links to ``resume`` (a bulk load).
        """
        from application.pipeline import ingest_paths

        self.require("administer")
        with self.writing(wait=wait) as (store, curation):
            return ingest_paths(
                [Path(p) for p in paths], settings=self.settings, store=store, embedder=lambda: self.embedder,
                pipeline=lambda: self.pipeline, on_result=on_result, force=force, curation=curation,
                originals=self.originals, who=self.user.name, jobs=jobs, on_progress=on_progress,
                defer_evidence=defer_evidence,
            )

    def resume(self, *, wait: bool = False, on_progress: Callable[[str, int, int], None] | None = None):
        """Complete what an interrupted or deferring ingest left pending (re-anchoring, evidence links)."""
        from application.pipeline import resume

        self.require("administer")
        self._existing_store()
        with self.writing(wait=wait) as (store, curation):
            return resume(store, curation, lambda: self.embedder, lambda: self.pipeline, on_progress)

    def reembed(self, on_progress: Callable[[int, int], None] | None = None, *, wait: bool = False) -> int:
        """Re-encode every stored passage with the model in use; returns the passage count.

        ``on_progress(done, total)`` is called as passages are encoded.
        """
        from application.pipeline import reembed

        self.require("administer")
        self._existing_store()
        with self.writing(wait=wait) as (store, curation):
            return reembed(store, self.embedder, self.pipeline, curation, on_progress)

    @property
    def originals(self) -> OriginalFiles:
        """The ingested files as they were, kept in the store folder (what ``rebuild`` reads)."""
        return OriginalFiles(self.settings.store_dir, file_mode=self.settings.store_file_mode,
                             dir_mode=self.settings.store_dir_mode)

    def writing(self, *, wait: bool = False):
        """The store and curation opened for writing under the store's lock (a context manager)."""
        from application.maintenance import writing

        return writing(self.settings, wait=wait)

    def _existing_store(self) -> None:
        """Raise the read path's error (no store, no documents) before anything is created."""
        open_store(self.settings, create=False, read_only=True).close()

    # ---- search ----------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        mode: str = "hybrid",
        filters: SearchFilters = SearchFilters(),  # noqa: B008 - frozen dataclass
        as_of: date | None = None,
        sort: str = "relevance",
    ) -> SearchAnswer:
        """The best passages for a query (``index.query_language``), each with the obligations it states
        and their status on ``as_of``; ``sort`` relevance, newest or oldest (document date)."""
        day = as_of or date.today()
        result = self.searcher.search(
            query, k=k, mode=mode, filters=filters, sort=sort,
            obligation_passages=lambda fields: self._passages_stating(fields, day),
        )
        stated = track_passages(self.store, self.curation, [h.passage_id for h in result.hits], as_of=day)
        weak = bool(result.hits) and not result.keyword_matches and result.best_similarity is not None \
            and result.best_similarity < self.settings.weak_similarity
        return SearchAnswer(query, result, stated, self.citations([h.passage_id for h in result.hits]), weak)

    def citations(self, passage_ids: Sequence[str]) -> dict[str, Citation]:
        """The citation of each stored passage asked for (document, date, point, page), by passage id."""
        metadata = self.metadata()
        return {p.passage_id: cite_passage(p, metadata.get(p.source_file)) for p in self.store.get_passages(list(passage_ids))}

    def metadata(self) -> dict[str, DocumentMetadata]:
        """Every stored document's metadata, by file name (the store decodes it once per write)."""
        return {d.source_file: d.metadata for d in self.store.list_documents()}

    def export_hits(self, answer: SearchAnswer, fmt: str, *, delimiter: str = ",") -> bytes:
        """A search's hits as CSV, an Excel sheet or JSON: rank, citation, score, document, text, obligations."""
        if fmt not in HIT_EXPORT_FORMATS:
            raise ExportError(f"unknown export format {fmt!r} for search hits: use one of {', '.join(HIT_EXPORT_FORMATS)}")
        metadata = self.metadata()
        rows = []
        for rank, hit in enumerate(answer.hits, 1):
            meta = metadata.get(hit.source_file)
            stated = answer.obligations.get(hit.passage_id, [])
            rows.append({
                "rank": str(rank),
                "citation": str(answer.citations.get(hit.passage_id) or hit.citation),
                "score": f"{hit.score:.3f}",
                "doc_number": hit.doc_number or "",
                "doc_title": hit.doc_title or "",
                "doc_date": meta.date if meta and meta.date else "",
                "paragraph": hit.paragraph or "",
                "page": "" if hit.page is None else str(hit.page),
                "obligations": " | ".join(
                    f"{row.status}: {', '.join(row.obligation.actors) or '?'}"
                    + (f" by {row.obligation.deadline.end}" if row.obligation.deadline and row.obligation.deadline.end else "")
                    + f" ({row.obligation.id})" for row in stated),
                "text": hit.text,
                "source_file": hit.source_file,
                "passage_id": hit.passage_id,
            })
        rows = [{key: printable(value) for key, value in row.items()} for row in rows]
        if fmt == "json":
            return json_text([{"query": answer.query, **row} for row in rows], indent=2).encode("utf-8")
        if fmt == "csv":
            return table_csv(HIT_COLUMNS, rows, delimiter=delimiter)
        return table_xlsx(HIT_COLUMNS, rows, sheet_title="Hits", wide={"citation": 40, "text": 80, "doc_title": 40,
                                                                     "obligations": 40},
                          dates=frozenset({"doc_date"}), numbers=frozenset({"rank", "page"}))

    def _passages_stating(self, fields: FieldFilters, as_of: date) -> frozenset[str]:
        """Passages stating an obligation of the query's actors, in its deadline range, with its status on ``as_of``.

        Status is tracking's (evidence and curation as of a day), so the query's actor:, deadline: and
        status: fields are answered here, one obligation at a time, and reach the index as passage ids.
        """
        found: set[str] = set()
        for actor in fields.actors or (None,):
            for row in track(self.store, self.curation, as_of=as_of, query=ObligationQuery(actor=actor)):
                if deadline_within(row.obligation, fields) and (not fields.statuses or row.status in fields.statuses):
                    found.add(row.obligation.passage_id)
        return frozenset(found)

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
        progress: str | None = None,
    ) -> list[TrackedObligation]:
        """Obligations with their status on ``as_of`` (default today); filtered by ``status`` and ``progress``."""
        return track(self.store, self.curation, as_of=as_of or date.today(), query=query, status=status,
                     progress=progress)

    def history(self, obligation_id: str, *, until: date | None = None) -> list[StatusPoint]:
        """How one obligation's status changed: after its adoption, each later document, each analyst change."""
        self.obligation(obligation_id)
        return history(self.store, self.curation, obligation_id, until=until or date.today())

    def changes(
        self,
        *,
        since: date,
        as_of: date | None = None,
        query: ObligationQuery = ObligationQuery(),  # noqa: B008 - frozen dataclass
    ) -> list[StatusChange]:
        """What changed between ``since`` and ``as_of``: newly done, newly overdue, rescheduled, other progress."""
        return changes(self.store, self.curation, since=since, as_of=as_of or date.today(), query=query)

    def export(
        self, rows: Sequence[TrackedObligation], fmt: str, path: Path | None = None, *, delimiter: str = ","
    ) -> bytes:
        """The rows in an export format (json, csv, xlsx, md, ics); also written to ``path`` when given.

        CSV is UTF-8 with a byte-order mark; ``delimiter=";"`` suits a Dutch Excel."""
        self.require("read")
        return export_obligations(rows, fmt, path, delimiter=delimiter)  # type: ignore[arg-type]

    def tracked(self, obligation_id: str, *, as_of: date | None = None) -> TrackedObligation:
        """One obligation with its status on ``as_of``, whatever filter a list shows; an error naming an unknown id."""
        obligation = self.obligation(obligation_id)
        for row in self.obligations(ObligationQuery(source_files=(obligation.source_file,)), as_of=as_of):
            if row.obligation.id == obligation_id:
                return row
        raise UnknownItemError(f"no obligation with id {obligation_id!r} (list them with: conclusio obligations)")

    def obligation(self, obligation_id: str) -> Obligation:
        """The stored obligation with this id, or an error naming it (and where it went, when it moved)."""
        obligations = self.store.obligations(ObligationQuery())
        for obligation in obligations:
            if obligation.id == obligation_id:
                return obligation
        hint = "list them with: conclusio obligations"
        moved = [e for e in self.curation.audit_trail() if e.field.startswith(ANCHOR_MOVED)
                 and (e.old_value or "").split(LINK_ARROW)[0] == obligation_id]
        if moved:
            hint = f"a revision of its document moved it to {moved[-1].obligation_id!r} on {moved[-1].at[:10]}"
        elif self.store.get_passages([obligation_id]):
            stated = [o.id for o in obligations if o.passage_id == obligation_id]
            hint = "that is a passage id; " + (f"the obligations it states: {', '.join(stated)}" if stated
                                                else "it states no obligation")
        raise UnknownItemError(f"no obligation with id {obligation_id!r} ({hint})")

    def review(self, obligation_id: str, passage_id: str, verdict: str | None, who: object = None,
               note: str = "") -> None:
        """Confirm, reject or clear (None) an evidence link, after checking both ids exist; recorded as this user.

        ``who``, when given, must be this user (their name or their ``User``): the trail never takes a typed name.
        """
        self._author(who, "curate")
        self.obligation(obligation_id)
        if not self.store.get_passages([passage_id]):
            raise UnknownItemError(f"no passage with id {passage_id!r} (see: conclusio show SOURCE_FILE)")
        self.curation_writer.review_link(obligation_id, passage_id, verdict, self.user.name, note)

    def set_status(self, obligation_id: str, status: str | None, who: object = None, note: str = "") -> None:
        """Override (or with None clear) the computed status of an obligation; recorded as this user."""
        self._author(who, "curate")
        self.obligation(obligation_id)
        self.curation_writer.set_status(obligation_id, status, self.user.name, note)

    def _author(self, who: object, action: str) -> None:
        """Refuse a change this user's role may not make, or one made in another's name."""
        self.require(action)
        named = getattr(who, "name", who)
        if named is not None and str(named) != self.user.name:
            raise AccessDenied(f"the audit trail records who is signed in ({self.user.name}), not {str(named)!r}; "
                               "nothing was changed")

    def audit(self, obligation_id: str | None = None) -> list[AuditEntry]:
        """Every manual change and ingest this user may read about, oldest first; for one obligation (with its
        former ids) or all."""
        return self.curation.audit_trail(obligation_id)

    def verify_audit(self) -> AuditVerification:
        """Check the whole audit trail's hash chain (administrators: it covers what others may not read)."""
        self.require("administer")
        self.store  # noqa: B018  (a mistyped --store is said, not verified as empty)
        return self._parts.curation.verify_audit()

    def orphans(self) -> list[Orphan]:
        """Curated items whose obligation or passage is no longer in the store, oldest first (administrators)."""
        self.require("administer")
        obligation_ids = {o.id for o in self.store.obligations(ObligationQuery())}
        trail = self.curation.audit_trail()
        reasons = {(e.obligation_id, e.old_value): e.note for e in trail if e.field.startswith("orphaned")}
        found = []
        for oid, override in self.curation.status_overrides().items():
            if oid not in obligation_ids:
                reason = reasons.get((oid, oid), "its obligation is no longer in the store")
                found.append(Orphan("status", oid, None, override.status, override.who, override.at, reason))
        reviews = self.curation.link_reviews()
        known_passages = {p.passage_id for p in self.store.get_passages(sorted({pid for _, pid in reviews}))}
        for (oid, pid), verdict in reviews.items():
            if oid not in obligation_ids or pid not in known_passages:
                who, at = _last_change(trail, oid, f"link:{pid}")
                reason = reasons.get((oid, f"{oid}{LINK_ARROW}{pid}"),
                                     "its obligation is no longer in the store" if oid not in obligation_ids
                                     else "its passage is no longer in the store")
                found.append(Orphan("link", oid, pid, verdict, who, at, reason))
        return sorted(found, key=lambda o: (o.at, o.obligation_id))

    # ---- care: check, backup, restore, rebuild ------------------------------------------

    def check(self) -> CheckReport:
        """Damage in the store and curation files, and work an interrupted ingest left (read-only)."""
        from application.maintenance import check

        self.require("administer")
        return check(self.settings)

    def backup(self, destination: Path) -> Path:
        """A consistent copy of the store, its curation and its original files in a new folder."""
        from application.maintenance import backup

        self.require("administer")
        return backup(self.settings, Path(destination))

    def restore(self, source: Path, *, wait: bool = False) -> Path:
        """Replace the store with a backup (the replaced files are moved aside, not deleted)."""
        from application.maintenance import restore

        self.require("administer")
        return restore(self.settings, Path(source), wait=wait)

    def rebuild(self, *, on_result: Callable[[Any], None] | None = None, wait: bool = False):
        """A new store from the original files kept in it; returns the ingest report and where the old database went."""
        from application.maintenance import rebuild

        self.require("administer")
        return rebuild(self, on_result=on_result, wait=wait)

    # ---- documents and status --------------------------------------------------------

    def documents(self) -> list[StoredDocument]:
        """Every stored document with its metadata, oldest document date first."""
        return self.store.list_documents()

    def document(self, source_file: str) -> Document:
        """One stored document (by file name, or by its number) with its passages, or an error naming the
        documents there are. A document above this user's clearance is refused as one the store does not hold
        for them: the message neither shows nor confirms it.
        """
        document = self.store.get_document(source_file)
        if document is None:
            numbered = [d for d in self.store.list_documents() if d.metadata.doc_number == source_file]
            document = self.store.get_document(numbered[0].source_file) if len(numbered) == 1 else None
        if document is None:
            names = ", ".join(d.source_file for d in self.store.list_documents())
            if not self.user.clearance.full:
                raise UnknownItemError(
                    f"cannot show {source_file!r}: no such document, or one above the clearance of {self.user.name} "
                    f"({self.user.clearance.name}); documents {self.user.name} may read: {names}")
            raise UnknownItemError(f"no document {source_file!r} in the store (stored: {names})")
        return document

    def model(self) -> ModelResolution:
        """The embedding model the settings lead to, decided from its files (no weights loaded), or an
        ``EmbeddingModelError`` saying why there is none."""
        return resolve_model(self.settings)

    def status(self) -> StatusReport:
        """Store counts (of what this user may read) and the model in use, decided from files alone (no weights loaded)."""
        self.require("read")
        store = open_store(self.settings, create=False, read_only=True)
        try:
            stats = store.for_clearance(self.user.clearance).stats()
            runs = store.pending_runs()
        finally:
            store.close()
        if runs and not lock_held(self.settings.store_dir):
            log.warning(pending_message(self.settings.store_dir, runs))
        try:
            model, model_error = resolve_model(self.settings), None
        except EmbeddingModelError as error:
            model, model_error = None, str(error)
        return StatusReport(self.settings, stats, model, model_error)


def _last_change(trail: Sequence[AuditEntry], obligation_id: str, field: str) -> tuple[str, str]:
    """Who made the last change of this field of an obligation, and when ("", "" when the trail has none)."""
    mine = [e for e in trail if e.obligation_id == obligation_id and e.field == field]
    return (mine[-1].who, mine[-1].at) if mine else ("", "")


class VisibleCuration:
    """The read side of a curation store as a reader with less than full clearance sees it.

    Reviews and overrides only ever apply to the obligations and links the reader's store view holds; the
    audit trail leaves out entries about an obligation, a passage or an ingested file that view does not hold
    (and entries whose unit is gone, which cannot be told apart from hidden ones).
    """

    def __init__(self, curation: CurationStore, store: Store):
        self._curation = curation
        self._store = store

    def link_reviews(self):
        return self._curation.link_reviews()

    def status_overrides(self):
        return self._curation.status_overrides()

    def audit_trail(self, obligation_id: str | None = None) -> list[AuditEntry]:
        entries = self._curation.audit_trail(obligation_id)
        obligations = {o.id for o in self._store.obligations(ObligationQuery())}
        files = {d.source_file for d in self._store.list_documents()}
        passages = {_linked_passage(e.field) for e in entries} - {None}
        readable = {p.passage_id for p in self._store.get_passages(sorted(passages))}  # type: ignore[type-var]

        def shown(entry: AuditEntry) -> bool:
            if entry.field.startswith(f"{INGEST}:"):
                return entry.field.split(":", 1)[1] in files
            if not entry.obligation_id:
                return True  # entries about the trail itself ("audit:chained")
            if entry.obligation_id not in obligations:
                return False
            passage = _linked_passage(entry.field)
            return passage is None or passage in readable

        return [e for e in entries if shown(e)]

    def close(self) -> None:
        """The wrapped store belongs to the process's parts."""


def _linked_passage(field: str) -> str | None:
    """The passage of an audit field about a link ("link:P", "moved:link:P", "orphaned:link:P"); None otherwise."""
    head, found, passage = field.partition("link:")
    return passage if found and head in ("", f"{ANCHOR_MOVED}:", "orphaned:") else None
