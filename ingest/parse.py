"""One file in, one Document out: read, pick the format reader (``ingest.readers``), structure, describe."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from conclusio.records import Document
from ingest.decode import read_bytes
from ingest.errors import IngestError
from ingest.identity import document_key, with_passage_ids
from ingest.lines import SourceText
from ingest.metadata import detect_language, extract_metadata, header_lines
from ingest.readers import SUPPORTED_SUFFIXES, reader_for
from ingest.structure import build_passages

_WORD = re.compile(r"[^\W_]", re.UNICODE)


def parse_file(path: Path, *, max_bytes: int = 50 * 1024 * 1024, ocr_language: str = "nld") -> Document:
    """A parsed Document (metadata and passages), or an IngestError naming the file and the reason."""
    path = Path(path)
    reader = reader_for(path)
    if reader is None:
        raise IngestError(path, f"unsupported file type '{path.suffix.lower() or path.name}'")
    data = read_bytes(path, max_bytes)
    try:
        source, header_text = reader.load()(path, data, ocr_language)
        return _document(path, data, reader.media_type, source, header_text)
    except IngestError:
        raise
    except Exception as e:  # a reader library failing on malformed input is still a bad file to the user
        raise IngestError(path, f"could not be parsed ({type(e).__name__}: {e})") from e


def _document(path: Path, data: bytes, media_type: str, source: SourceText, header_text: str) -> Document:
    structured = build_passages(source, path.name)
    if not any(p.kind != "footnote" and _WORD.search(p.text) for p in structured.passages):
        raise IngestError(path, "no text found in the document")  # nothing, or only symbols and control characters
    header = header_lines(header_text)
    metadata = extract_metadata(header, structured.passages, source.pages, detect_language(structured.text))
    document = Document(
        source_file=path.name,
        content_hash=hashlib.sha256(data).hexdigest(),
        text=structured.text,
        metadata=metadata,
        passages=structured.passages,
        media_type=media_type,
        warnings=list(source.warnings),
    )
    return with_passage_ids(document, document_key(path.name, metadata.doc_number))


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[IngestError]]:
    """Files to ingest under the given paths (folders expanded, sorted) and the errors for the rest."""
    files: list[Path] = []
    errors: list[IngestError] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            errors.append(IngestError(path, "no such file or folder"))
        elif path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = found.relative_to(path).parts
                if any(part.startswith(".") for part in relative) or _is_repo_note(found):
                    continue
                if found.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(found)
                else:
                    errors.append(IngestError(found, f"unsupported file type '{found.suffix or found.name}'"))
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            files.append(path)
        else:
            errors.append(IngestError(path, f"unsupported file type '{path.suffix or path.name}'"))
    return files, errors


def _is_repo_note(path: Path) -> bool:
    return path.name.upper().startswith(("README", "LICENSE", "LICENCE"))
