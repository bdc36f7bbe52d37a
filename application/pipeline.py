"""The ingest pipeline: files -> parsed documents -> obligations and actors -> vectors -> store -> evidence.

A file whose content hash is already stored is skipped before any parsing or embedding.
Each changed file is parsed first (cheap), so references can be resolved against the
whole batch as well as the store; then obligations are extracted, passages embedded and
the document written in one store transaction. One file's failure is recorded with its
reason and the batch goes on.

Nothing is lost when the process dies at any moment (kill -9, power): the run journal in the store
marks the derived steps (evidence links; curation to re-anchor for a revised document) pending
before the first document commits, and marks them done after. The next ingest (or ``conclusio
resume``) completes whatever a dead run left pending before doing anything else. A revised
document's curation is re-anchored to its units' new ids (``tracking.anchoring``): the moves are
journalled before the document commits and applied after, so a crash in between loses none.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from spacy.language import Language

import ingest
from application.journal import DEFERRED, EVIDENCE_STEP, REANCHOR_STEP
from application.workers import TaskFailure, Workers
from conclusio.errors import ConclusioError
from conclusio.records import Document, Obligation, Passage
from conclusio.settings import Settings
from index.embeddings import Embedder
from index.errors import ModelMismatchError, StoreAccessError, StoreDamagedError
from index.originals import OriginalFiles
from index.store import ObligationQuery, Store
from ingest.errors import IngestError
from nlp import actors_by_passage, extract_obligations
from nlp.annotate import sentences
from tracking import refresh_evidence
from tracking.anchoring import document_moves
from tracking.curation import CurationChange, CurationStore, Move

log = logging.getLogger(__name__)

FileStatus = Literal["ingested", "unchanged", "failed"]
# Failures that stop the whole batch: every later file would fail the same way.
_BATCH_STOPPERS = (ModelMismatchError, StoreAccessError, StoreDamagedError)


@dataclass
class FileResult:
    """What happened to one file."""

    path: str
    status: FileStatus
    reason: str = ""
    passages: int = 0
    obligations: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)  # what was read only in part (table rows kept as text)


@dataclass
class IngestReport:
    """Per-file results of one ingest run: unchanged and unparsable files first, then ingested ones."""

    results: list[FileResult] = field(default_factory=list)
    evidence_refreshed: bool = False
    evidence_error: str | None = None  # why refreshing evidence links failed, when it did
    evidence_deferred: bool = False  # left pending on request, for `conclusio resume` (a bulk load)
    curation: list[CurationChange] = field(default_factory=list)  # curated items moved or orphaned by a revision
    resumed_runs: int = 0  # interrupted earlier runs whose pending steps this run completed
    # Seconds this process spent per stage: parse, extract (obligations, actors, sentences), embed, write,
    # evidence. With worker processes, parse and extract are the time spent waiting for them.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        """Files per status."""
        return {s: sum(r.status == s for r in self.results) for s in ("ingested", "unchanged", "failed")}

    @property
    def exit_code(self) -> int:
        """0 when every file was ingested or unchanged, 2 when some failed."""
        return 2 if any(r.status == "failed" for r in self.results) else 0


def ingest_paths(
    paths: Sequence[Path | str],
    *,
    settings: Settings,
    store: Store,
    embedder: Callable[[], Embedder],
    pipeline: Callable[[], Language],
    on_result: Callable[[FileResult], None] | None = None,
    force: bool = False,
    curation: CurationStore | None = None,
    originals: OriginalFiles | None = None,
    who: str = "conclusio",
    jobs: int = 1,
    on_progress: Callable[[str, int, int], None] | None = None,
    defer_evidence: bool = False,
) -> IngestReport:
    """Ingest files and folders into the store; unchanged files are neither parsed nor embedded.

    ``embedder`` and ``pipeline`` are called only when some file changed (or an earlier run left
    evidence to refresh), so that a run over an unchanged corpus loads no model. ``force`` processes
    unchanged files again: the content hash cannot tell that a newer Conclusio parses or extracts
    differently. With ``curation``, what analysts curated on a revised document follows its units;
    with ``originals``, each file's bytes are kept so that the store can be rebuilt from them. ``who`` (the
    user ingesting) is recorded in the curation's audit trail for each file written and each re-anchoring.
    ``jobs`` worker processes parse the files and read them (obligations, actors, sentences); this process
    embeds in batches across documents and writes, in input order, so the store is the same for any ``jobs``.
    ``on_progress(stage, done, total)`` follows the run: "parse" counts files, "write" passages, "evidence"
    obligations linked.
    ``defer_evidence`` leaves the evidence links of this run (and of runs still pending) to ``resume``: a bulk
    load is searchable as soon as it is written, and its links are made in one full pass later.
    The caller holds the store's write lock (``index.lock.store_lock``).
    """
    report = IngestReport()
    clock = _StageClock(report.timings)
    pending = complete_pending(store, curation, report, who)

    def record(result: FileResult) -> None:
        report.results.append(result)
        if on_result is not None:
            on_result(result)

    def progress(stage: str, done: int, total: int) -> None:
        if on_progress is not None:
            on_progress(stage, done, total)

    with clock("parse"):
        stored = {d.source_file: d for d in store.list_documents()}
        to_parse: list[Path] = []
        seen: dict[str, Path] = {}
        files, discovery_errors = ingest.discover([Path(p) for p in paths])
        for error in discovery_errors:
            record(FileResult(error.path, "failed", error.reason))
        for path in files:
            started = time.perf_counter()
            name = path.name
            if name in seen:
                record(FileResult(str(path), "failed", f"same file name as {seen[name]}; file names are the store's keys"))
                continue
            seen[name] = path
            try:
                digest = _sha256(path)
            except OSError as e:
                record(FileResult(str(path), "failed", f"cannot read file ({e.strerror or e})"))
                continue
            if not force and store.document_state(name) == digest:
                known = stored.get(name)
                record(
                    FileResult(
                        str(path), "unchanged", passages=known.passages if known else 0,
                        obligations=known.obligations if known else 0, seconds=time.perf_counter() - started,
                    )
                )
                continue
            to_parse.append(path)

    with Workers(settings, jobs, pipeline) as workers:
        parsed: list[tuple[Path, Document, float]] = []
        outcomes = workers.map(_parse_task, [_ParseTask(path, settings.max_file_bytes, settings.ocr_language)
                                             for path in to_parse], needs_pipeline=False)
        for count, path in enumerate(to_parse, 1):
            with clock("parse"):
                outcome = next(outcomes)
            progress("parse", count, len(to_parse))
            if isinstance(outcome, TaskFailure):
                record(FileResult(str(path), "failed", outcome.reason))
            else:
                parsed.append((path, outcome.document, outcome.seconds))

        if not parsed:
            if pending and defer_evidence:
                report.evidence_deferred = True
            elif pending:
                with clock("evidence"):
                    _refresh_evidence(store, embedder(), pipeline(), report, pending, on_progress=on_progress)
            return report
        with clock("embed"):
            model = embedder()
        numbers = [(d.source_file, d.metadata.doc_number) for d in stored.values()] + [
            (doc.source_file, doc.metadata.doc_number) for _, doc, _ in parsed]
        known_numbers = _doc_numbers(numbers)
        keys = _document_keys(numbers)
        # Evidence is marked pending before the first document commits: a crash from here on is completed later.
        run_id = store.begin_run(((EVIDENCE_STEP, ""),))
        written: list[str] = []
        batch: list[_ReadDocument] = []
        total_passages = sum(len(document.passages) for _, document, _ in parsed)
        done_passages = 0

        def write_one(read: _ReadDocument, vectors, embed_seconds: float) -> None:
            nonlocal done_passages
            started = time.perf_counter()
            document, path = read.document, read.path
            done_passages += len(document.passages)
            try:
                previous_hash = store.document_state(document.source_file)
                moves = _journal_moves(store, curation, run_id, document, read.obligations)
                if originals is not None:
                    originals.keep(document.source_file, document.content_hash, path.read_bytes())
                store.write_document(document, vectors, read.obligations, model.name, read.actors,
                                     vector_passages=read.units.passages)
            except _BATCH_STOPPERS:
                _drop_unstored_original(store, originals, document)
                raise  # every file would fail the same way: the user must re-embed, free space or rebuild
            except (ConclusioError, OSError, ValueError) as e:  # e.g. the file changed meanwhile; the store is as it was
                log.debug("storing %s failed", document.source_file, exc_info=True)
                reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
                record(FileResult(str(path), "failed", f"could not be stored: {reason}"))
                _drop_unstored_original(store, originals, document)
                return
            except Exception as e:  # a bug in one document's data (duplicate ids ...); the store is as it was
                log.debug("storing %s failed", document.source_file, exc_info=True)
                record(FileResult(str(path), "failed", f"could not be stored: {type(e).__name__}: {e}"))
                _drop_unstored_original(store, originals, document)
                return
            written.append(document.source_file)
            if originals is not None:
                originals.prune(document.source_file, keep_hash=document.content_hash)
            if curation is not None:
                curation.record_ingest(document.source_file, previous_hash, document.content_hash, who)
            if moves is not None and curation is not None:
                report.curation += curation.reanchor(moves, who)
                store.step_done(run_id, REANCHOR_STEP, document.source_file)
            record(
                FileResult(
                    str(path), "ingested", passages=len(document.passages), obligations=len(read.obligations),
                    seconds=read.seconds + embed_seconds + time.perf_counter() - started, warnings=list(document.warnings),
                )
            )

        def write_batch() -> None:
            """Embed the batch's sentences in one call (the model works best on many at once), then write each document."""
            started = time.perf_counter()
            with clock("embed"):
                vectors = model.encode_passages([text for read in batch for text in read.units.texts])
            embed_seconds = time.perf_counter() - started
            total_units = max(1, sum(len(read.units.texts) for read in batch))
            offset = 0
            for read in batch:
                count = len(read.units.texts)
                with clock("write"):
                    write_one(read, vectors[offset : offset + count], embed_seconds * count / total_units)
                progress("write", done_passages, total_passages)
                offset += count
            batch.clear()

        to_read = []
        for path, document, parse_seconds in parsed:
            key = keys[document.source_file]
            document = with_resolved_references(ingest.with_passage_ids(document, key), known_numbers)
            to_read.append(_ReadTask(path, document, key, parse_seconds))
        readings = workers.map(_read_task, to_read)
        for task in to_read:
            with clock("extract"):
                outcome = next(readings)
            if isinstance(outcome, TaskFailure):
                done_passages += len(task.document.passages)
                record(FileResult(str(task.path), "failed", outcome.reason))
                continue
            batch.append(outcome)
            if sum(len(read.units.texts) for read in batch) >= EMBED_BATCH_UNITS:
                write_batch()
        if batch:
            write_batch()
    if (written or pending) and defer_evidence:
        store.journal_step(run_id, EVIDENCE_STEP, "", {DEFERRED: True})
        report.evidence_deferred = True
    elif written or pending:
        # After an interrupted run nobody knows which documents it wrote: relink everything.
        with clock("evidence"):
            _refresh_evidence(store, model, pipeline(), report, [*pending, run_id], changed=None if pending else written,
                              on_progress=on_progress)
    else:
        store.finish_run(run_id)  # nothing was written: the evidence links are as they were
    return report


@dataclass(frozen=True)
class _ParseTask:
    path: Path
    max_bytes: int | None
    ocr_language: str


@dataclass(frozen=True)
class _Parsed:
    document: Document
    seconds: float


def _parse_task(nlp: Language | None, task: _ParseTask) -> _Parsed | TaskFailure:
    """Parse one file (in a worker process, or in this one); a failure is the file's, never the batch's."""
    started = time.perf_counter()
    try:
        document = ingest.parse_file(task.path, max_bytes=task.max_bytes, ocr_language=task.ocr_language)
    except IngestError as e:
        return TaskFailure(e.reason)
    except Exception as e:  # a parser bug on one file must not stop the batch
        log.debug("parsing %s failed", task.path, exc_info=True)
        return TaskFailure(f"could not parse: {type(e).__name__}: {e}")
    return _Parsed(document, time.perf_counter() - started)


@dataclass(frozen=True)
class _ReadTask:
    path: Path
    document: Document
    key: str
    seconds: float  # spent on it so far


def _read_task(nlp: Language, task: _ReadTask) -> _ReadDocument | TaskFailure:
    """A parsed document's obligations, actors and embedding units (in a worker process, or in this one)."""
    started = time.perf_counter()
    document = task.document
    try:
        obligations = extract_obligations(nlp, document, key=task.key)
        actors = actors_by_passage(nlp, document.passages, obligations)
    except Exception as e:  # an extractor bug on one document must not stop the batch
        log.debug("obligation extraction failed on %s", document.source_file, exc_info=True)
        return TaskFailure(f"obligation extraction failed: {type(e).__name__}: {e}")
    units = embedding_units(nlp, document.passages)
    return _ReadDocument(task.path, document, obligations, actors, units,
                         task.seconds + time.perf_counter() - started)


class _StageClock:
    """Adds the wall-clock seconds spent inside ``with clock(stage):`` to ``timings[stage]``."""

    def __init__(self, timings: dict[str, float]):
        self.timings = timings

    @contextmanager
    def __call__(self, stage: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started


# Sentences embedded per call across documents: enough to keep the encoder's batches full, few
# enough that the texts and vectors of one batch stay small (4,096 x 512 float32 = 8 MB).
EMBED_BATCH_UNITS = 4096


@dataclass(frozen=True)
class EmbeddingUnits:
    """What is embedded for a document: texts (sentences with their context) and the passage index of each."""

    texts: list[str]
    passages: list[int]


@dataclass
class _ReadDocument:
    """A parsed and read document waiting for its vectors."""

    path: Path
    document: Document
    obligations: list[Obligation]
    actors: dict[str, list[str]]
    units: EmbeddingUnits
    seconds: float


def embedding_units(nlp: Language, passages: Sequence[Passage]) -> EmbeddingUnits:
    """One text per sentence of each passage, plus the whole passage when it has several; each with its addressee block.

    The sentence encoder was trained on sentences, and a long point dilutes the one sentence a
    query is about: search scores a passage by its best row (``Store.vector_search``). The whole
    passage as one more row keeps what only the sentences together say. Semantic nDCG@10 on the
    dev / check queries (USE multilingual v3 with its English pivot, EuroVoc and ODWN configured):
    one vector per passage 0.512 / 0.507, one per sentence 0.555 / 0.608, sentences plus the passage
    0.569 / 0.610; scoring a passage by the mean of its two best sentences instead of its best one
    lost 0.07 / 0.03 (measured without the pivot).
    A passage without a sentence (empty text) still gets one row, so that every passage has one.
    """
    texts: list[str] = []
    owners: list[int] = []
    for index, passage in enumerate(passages):
        block = _addressee_context(passage)
        parts = passage_sentences(nlp, passage.text) or [passage.text]
        if len(parts) > 1:
            parts.append(" ".join(passage.text.split()))
        texts.extend(f"{block}\n{part}" if block else part for part in parts)
        owners.extend([index] * len(parts))
    return EmbeddingUnits(texts, owners)


def passage_sentences(nlp: Language, text: str) -> list[str]:
    """The sentences of a passage as the pipeline's sentence splitter finds them, whitespace-normalised."""
    return [" ".join(sentence.text.split()) for sentence in sentences(nlp, text).sents if sentence.text.strip()]


def complete_pending(store: Store, curation: CurationStore | None, report: IngestReport, who: str = "conclusio"
                     ) -> list[int]:
    """Apply the re-anchoring an interrupted run left pending; returns the runs whose evidence is still to refresh.

    A journalled re-anchoring is applied only when the store holds the document version it was made
    for: had the run died before that document committed, the old version (and its ids) are still there.
    """
    runs = store.pending_runs()
    for run in runs:
        for step in run.steps:
            if step.step != REANCHOR_STEP or step.done:
                continue
            if curation is not None and store.document_state(step.key) == step.payload.get("content_hash"):
                moves = [Move(**m) for m in step.payload.get("moves", [])]
                report.curation += curation.reanchor(moves, who)
            store.step_done(run.run_id, REANCHOR_STEP, step.key)
    report.resumed_runs = len(runs)
    return [run.run_id for run in runs]


def _journal_moves(
    store: Store, curation: CurationStore | None, run_id: int, document: Document, obligations: list[Obligation]
) -> list[Move] | None:
    """Where a stored document's units go in its new version, journalled before the new version commits."""
    if curation is None or store.document_state(document.source_file) is None:
        return None
    previous = store.get_document(document.source_file)
    old_obligations = store.obligations(ObligationQuery(source_files=(document.source_file,)))
    moves = document_moves(document.source_file, previous.passages if previous else [], old_obligations,
                           document.passages, obligations)
    if not moves:
        return None
    payload = {"content_hash": document.content_hash, "moves": [vars(m) for m in moves]}
    store.journal_step(run_id, REANCHOR_STEP, document.source_file, payload)
    return moves


def _drop_unstored_original(store: Store, originals: OriginalFiles | None, document: Document) -> None:
    """Keep only the version the store holds of a file whose new version could not be stored."""
    if originals is None:
        return
    try:
        originals.prune(document.source_file, keep_hash=store.document_state(document.source_file))
    except (ConclusioError, OSError):
        pass  # best effort: a kept file the store does not name is never read (rebuild asks the store first)


def _document_keys(numbers: Sequence[tuple[str, str | None]]) -> dict[str, str]:
    """Source file -> the name ids give that document: its number, unless another file (stored or in this
    batch) has it too, then its file name. A file listed twice (stored, and revised now) counts its last number."""
    holders: dict[str, set[str]] = {}
    keys: dict[str, str] = {}
    for source, number in numbers:
        key = keys[source] = ingest.document_key(source, number)
        if number and key != source:
            holders.setdefault(key, set()).add(source)
    return {source: key if key == source or holders[key] == {source} else source for source, key in keys.items()}


def reembed(
    store: Store,
    embedder: Embedder,
    nlp: Language,
    curation: CurationStore | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Re-encode every passage with ``embedder`` and rewrite the store; returns the passage count.

    All vectors are computed before anything is written, so a failure while encoding leaves
    the store untouched. Documents are then deleted and rewritten (the store refuses to mix
    two models), so an interruption in that short write phase needs a re-ingest.
    ``on_progress(done, total)`` is called as passages are encoded (for a progress bar).
    """
    report = IngestReport()
    pending = complete_pending(store, curation, report)
    listed = store.list_documents()
    total = sum(d.passages for d in listed)
    done = 0
    rebuilt: list[tuple[Document, Any, EmbeddingUnits, list[Obligation], dict[str, list[str]]]] = []
    for stored in listed:
        document = store.get_document(stored.source_file)
        if document is None:
            continue
        obligations = store.obligations(ObligationQuery(source_files=(document.source_file,)))
        units = embedding_units(nlp, document.passages)
        vectors = embedder.encode_passages(units.texts)
        rebuilt.append((document, vectors, units, obligations, actors_by_passage(nlp, document.passages, obligations)))
        done += len(document.passages)
        if on_progress is not None:
            on_progress(done, total)
    run_id = store.begin_run(((EVIDENCE_STEP, ""),))
    for document, *_ in rebuilt:
        store.delete_document(document.source_file)
    for document, vectors, units, obligations, actors in rebuilt:
        store.write_document(document, vectors, obligations, embedder.name, actors, vector_passages=units.passages)
    _refresh_evidence(store, embedder, nlp, report, [*pending, run_id])
    return sum(len(document.passages) for document, *_ in rebuilt)


def embedding_text(passage: Passage) -> str:
    """A whole passage as one embedded text: its addressee block, then its text."""
    block = _addressee_context(passage)
    return f"{block}\n{passage.text}" if block else passage.text


def _addressee_context(passage: Passage) -> str:
    """The addressee block a point stands under, unless the passage is that block itself.

    A numbered point under "verzoekt de Raad de lidstaten en Europol:" is addressed to
    them though its own text never names them; on the dev queries this context helped
    hybrid search slightly, while adding section headings made it worse.
    """
    block = (passage.addressees or "").strip()
    return "" if not block or block == passage.text.strip() else block


def with_resolved_references(document: Document, known_numbers: dict[str, str]) -> Document:
    """The document with each reference to a stored (or co-ingested) document pointing at its file."""
    others = {number: file for number, file in known_numbers.items() if file != document.source_file}
    references = ingest.resolve_references(list(document.metadata.references), others)
    return replace(document, metadata=replace(document.metadata, references=references))


def _refresh_evidence(
    store: Store,
    embedder: Embedder,
    nlp: Language,
    report: IngestReport,
    runs: Sequence[int] = (),
    changed: Sequence[str] | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> None:
    """Relink evidence for what ``changed`` documents touch (everything, when None), then close the runs
    that waited for it.

    A failure is reported and the runs stay pending (the next ingest or ``conclusio resume`` retries);
    the ingested documents stay.
    """
    try:
        follow = (lambda done, total: on_progress("evidence", done, total)) if on_progress is not None else None
        refresh_evidence(store, embedder, nlp, changed, follow)
    except _BATCH_STOPPERS:
        raise
    except Exception as e:  # derived data: the documents are already safely written
        log.debug("refreshing evidence links failed", exc_info=True)
        report.evidence_error = f"{type(e).__name__}: {e}"
        return
    for run_id in runs:
        store.finish_run(run_id)
    report.evidence_refreshed = True


def resume(store: Store, curation: CurationStore | None, embedder: Callable[[], Embedder],
           pipeline: Callable[[], Language], on_progress: Callable[[str, int, int], None] | None = None) -> IngestReport:
    """Complete what interrupted or deferring runs left pending (re-anchoring, then evidence); nothing when there
    is none. ``on_progress("evidence", done, total)`` counts the obligations linked."""
    report = IngestReport()
    pending = complete_pending(store, curation, report)
    if pending:
        with _StageClock(report.timings)("evidence"):
            _refresh_evidence(store, embedder(), pipeline(), report, pending, on_progress=on_progress)
    return report


def _doc_numbers(pairs: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Normalised document number -> source file, for resolving references."""
    known: dict[str, str] = {}
    for source_file, number in pairs:
        normalised = ingest.normalise_doc_number(number) if number else None
        if normalised:
            known[normalised] = source_file
    return known


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
