"""The ingest pipeline: files -> parsed documents -> obligations and actors -> vectors -> store -> evidence.

A file whose content hash is already stored is skipped before any parsing or embedding.
Each changed file is parsed first (cheap), so references can be resolved against the
whole batch as well as the store; then obligations are extracted, passages embedded and
the document written in one store transaction. One file's failure is recorded with its
reason and the batch goes on.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from spacy.language import Language

import ingest
from conclusio.records import Document, Obligation, Passage
from conclusio.settings import Settings
from index.embeddings import Embedder
from index.errors import ModelMismatchError
from index.store import ObligationQuery, Store
from ingest.errors import IngestError
from nlp import actors_by_passage, extract_obligations
from nlp.annotate import sentences
from tracking import refresh_evidence

log = logging.getLogger(__name__)

FileStatus = Literal["ingested", "unchanged", "failed"]


@dataclass
class FileResult:
    """What happened to one file."""

    path: str
    status: FileStatus
    reason: str = ""
    passages: int = 0
    obligations: int = 0
    seconds: float = 0.0


@dataclass
class IngestReport:
    """Per-file results of one ingest run: unchanged and unparsable files first, then ingested ones."""

    results: list[FileResult] = field(default_factory=list)
    evidence_refreshed: bool = False
    evidence_error: str | None = None  # why refreshing evidence links failed, when it did

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
) -> IngestReport:
    """Ingest files and folders into the store; unchanged files are neither parsed nor embedded.

    ``embedder`` and ``pipeline`` are called only when some file changed, so that a run over an
    unchanged corpus loads no model. ``force`` processes unchanged files again: the content hash
    cannot tell that a newer Conclusio parses or extracts differently.
    """
    report = IngestReport()

    def record(result: FileResult) -> None:
        report.results.append(result)
        if on_result is not None:
            on_result(result)

    stored = {d.source_file: d for d in store.list_documents()}
    parsed: list[tuple[Path, Document, float]] = []
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
        try:
            document = ingest.parse_file(path, max_bytes=settings.max_file_bytes, ocr_language=settings.ocr_language)
        except IngestError as e:
            record(FileResult(str(path), "failed", e.reason, seconds=time.perf_counter() - started))
            continue
        except Exception as e:  # a parser bug on one file must not stop the batch
            log.exception("parsing %s failed", path)
            record(FileResult(str(path), "failed", f"could not parse: {type(e).__name__}: {e}"))
            continue
        parsed.append((path, document, time.perf_counter() - started))

    nlp = pipeline() if parsed else None
    model = embedder() if parsed else None
    known_numbers = _doc_numbers(
        [(d.source_file, d.metadata.doc_number) for d in stored.values()]
        + [(doc.source_file, doc.metadata.doc_number) for _, doc, _ in parsed]
    )
    changed = False
    batch: list[_ReadDocument] = []

    def write_batch() -> None:
        """Embed the batch's sentences in one call (the model works best on many at once), then write each document."""
        nonlocal changed
        started = time.perf_counter()
        vectors = model.encode_passages([text for read in batch for text in read.units.texts])
        embed_seconds = time.perf_counter() - started
        total_units = max(1, sum(len(read.units.texts) for read in batch))
        offset = 0
        for read in batch:
            rows = vectors[offset : offset + len(read.units.texts)]
            offset += len(read.units.texts)
            started = time.perf_counter()
            try:
                store.write_document(read.document, rows, read.obligations, model.name, read.actors,
                                     vector_passages=read.units.passages)
            except ModelMismatchError:
                raise  # every file would fail the same way: the user must re-embed or switch model
            except Exception as e:  # e.g. duplicate ids from one document; the store is left as it was
                log.exception("storing %s failed", read.document.source_file)
                record(FileResult(str(read.path), "failed", f"could not be stored: {type(e).__name__}: {e}"))
                continue
            changed = True
            share = embed_seconds * len(read.units.texts) / total_units
            record(
                FileResult(
                    str(read.path), "ingested", passages=len(read.document.passages),
                    obligations=len(read.obligations), seconds=read.seconds + share + time.perf_counter() - started,
                )
            )
        batch.clear()

    for path, document, parse_seconds in parsed:
        started = time.perf_counter()
        document = with_resolved_references(document, known_numbers)
        try:
            obligations = extract_obligations(nlp, document)
            actors = actors_by_passage(nlp, document.passages, obligations)
        except Exception as e:  # an extractor bug on one document must not stop the batch
            log.exception("obligation extraction failed on %s", document.source_file)
            record(FileResult(str(path), "failed", f"obligation extraction failed: {type(e).__name__}: {e}"))
            continue
        units = embedding_units(nlp, document.passages)
        batch.append(_ReadDocument(path, document, obligations, actors, units,
                                   parse_seconds + time.perf_counter() - started))
        if sum(len(read.units.texts) for read in batch) >= EMBED_BATCH_UNITS:
            write_batch()
    if batch:
        write_batch()
    if changed:
        _refresh_evidence(store, model, nlp, report)
    return report


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
    dev / check queries (USE multilingual v3 with its English pivot): one vector per passage 0.507 /
    0.498, one per sentence 0.551 / 0.604, sentences plus the passage 0.564 / 0.606; scoring a passage
    by the mean of its two best sentences instead of the best: 0.443 / 0.524 (without the pivot).
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


def reembed(
    store: Store, embedder: Embedder, nlp: Language, on_progress: Callable[[int, int], None] | None = None
) -> int:
    """Re-encode every passage with ``embedder`` and rewrite the store; returns the passage count.

    All vectors are computed before anything is written, so a failure while encoding leaves
    the store untouched. Documents are then deleted and rewritten (the store refuses to mix
    two models), so an interruption in that short write phase needs a re-ingest.
    ``on_progress(done, total)`` is called as passages are encoded (for a progress bar).
    """
    stored = store.list_documents()
    total = sum(d.passages for d in stored)
    done = 0
    rebuilt: list[tuple[Document, Any, EmbeddingUnits, list[Obligation], dict[str, list[str]]]] = []
    for listed in stored:
        document = store.get_document(listed.source_file)
        if document is None:
            continue
        obligations = store.obligations(ObligationQuery(source_files=(document.source_file,)))
        units = embedding_units(nlp, document.passages)
        vectors = embedder.encode_passages(units.texts)
        rebuilt.append((document, vectors, units, obligations, actors_by_passage(nlp, document.passages, obligations)))
        done += len(document.passages)
        if on_progress is not None:
            on_progress(done, total)
    for document, *_ in rebuilt:
        store.delete_document(document.source_file)
    for document, vectors, units, obligations, actors in rebuilt:
        store.write_document(document, vectors, obligations, embedder.name, actors, vector_passages=units.passages)
    report = IngestReport()
    if rebuilt:
        _refresh_evidence(store, embedder, nlp, report)
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


def _refresh_evidence(store: Store, embedder: Embedder, nlp: Language, report: IngestReport) -> None:
    """Recompute machine-found evidence links; a failure is reported, the ingested data stays."""
    try:
        refresh_evidence(store, embedder, nlp)
    except Exception as e:  # derived data: the documents are already safely written
        log.exception("refreshing evidence links failed")
        report.evidence_error = f"{type(e).__name__}: {e}"
        return
    report.evidence_refreshed = True


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
