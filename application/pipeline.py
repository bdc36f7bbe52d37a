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
    warnings: list[str] = field(default_factory=list)  # what was read only in part (table rows kept as text)


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
    written: list[str] = []
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
        vectors = model.encode_passages([embedding_text(p) for p in document.passages])
        try:
            store.write_document(document, vectors, obligations, model.name, actors)
        except ModelMismatchError:
            raise  # every file would fail the same way: the user must re-embed or switch model
        except Exception as e:  # e.g. duplicate ids from one document; the store is left as it was
            log.exception("storing %s failed", document.source_file)
            record(FileResult(str(path), "failed", f"could not be stored: {type(e).__name__}: {e}"))
            continue
        written.append(document.source_file)
        record(
            FileResult(
                str(path), "ingested", passages=len(document.passages), obligations=len(obligations),
                seconds=parse_seconds + time.perf_counter() - started, warnings=list(document.warnings),
            )
        )
    if written:
        _refresh_evidence(store, model, nlp, report, written)
    return report


def reembed(store: Store, embedder: Embedder, nlp: Language) -> int:
    """Re-encode every passage with ``embedder`` and rewrite the store; returns the passage count.

    All vectors are computed before anything is written, so a failure while encoding leaves
    the store untouched. Documents are then deleted and rewritten (the store refuses to mix
    two models), so an interruption in that short write phase needs a re-ingest.
    """
    rebuilt: list[tuple[Document, Any, list[Obligation], dict[str, list[str]]]] = []
    for stored in store.list_documents():
        document = store.get_document(stored.source_file)
        if document is None:
            continue
        obligations = store.obligations(ObligationQuery(source_files=(document.source_file,)))
        vectors = embedder.encode_passages([embedding_text(p) for p in document.passages])
        rebuilt.append((document, vectors, obligations, actors_by_passage(nlp, document.passages, obligations)))
    for document, *_ in rebuilt:
        store.delete_document(document.source_file)
    for document, vectors, obligations, actors in rebuilt:
        store.write_document(document, vectors, obligations, embedder.name, actors)
    report = IngestReport()
    if rebuilt:
        _refresh_evidence(store, embedder, nlp, report)
    return sum(len(document.passages) for document, *_ in rebuilt)


def embedding_text(passage: Passage) -> str:
    """What is embedded for a passage: its addressee block, then its text.

    A numbered point under "verzoekt de Raad de lidstaten en Europol:" is addressed to
    them though its own text never names them; on the dev queries this context helped
    hybrid search slightly, while adding section headings made it worse.
    """
    block = (passage.addressees or "").strip()
    if not block or block == passage.text.strip():
        return passage.text
    return f"{block}\n{passage.text}"


def with_resolved_references(document: Document, known_numbers: dict[str, str]) -> Document:
    """The document with each reference to a stored (or co-ingested) document pointing at its file."""
    others = {number: file for number, file in known_numbers.items() if file != document.source_file}
    references = ingest.resolve_references(list(document.metadata.references), others)
    return replace(document, metadata=replace(document.metadata, references=references))


def _refresh_evidence(
    store: Store, embedder: Embedder, nlp: Language, report: IngestReport, changed: Sequence[str] | None = None
) -> None:
    """Relink evidence for what ``changed`` documents touch (all, when None); a failure is reported, the
    ingested data stays."""
    try:
        refresh_evidence(store, embedder, nlp, changed)
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
