"""One file in, one Document out: read, pick the format reader, structure, describe."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from conclusio.records import Document
from ingest.decode import decode_text, normalise_chars, read_bytes
from ingest.errors import IngestError
from ingest.lines import SourceText
from ingest.metadata import detect_language, extract_metadata, header_lines
from ingest.structure import build_passages
from ingest.text_format import read_text

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".html", ".htm", ".xhtml"}
_MEDIA_TYPES = {
    ".txt": "text/plain", ".text": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown",
    ".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def parse_file(path: Path, *, max_bytes: int = 50 * 1024 * 1024, ocr_language: str = "nld") -> Document:
    """A parsed Document (metadata and passages), or an IngestError naming the file and the reason."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(path, f"unsupported file type '{suffix or path.name}'")
    data = read_bytes(path, max_bytes)
    try:
        source, header_text = _read_source(path, suffix, data, ocr_language)
        return _document(path, data, suffix, source, header_text)
    except IngestError:
        raise
    except Exception as e:  # a reader library failing on malformed input is still a bad file to the user
        raise IngestError(path, f"could not be parsed ({type(e).__name__}: {e})") from e


def _read_source(path: Path, suffix: str, data: bytes, ocr_language: str) -> tuple[SourceText, str]:
    if suffix in TEXT_SUFFIXES:
        if data.startswith(b"%PDF-") or data.startswith(b"PK\x03\x04"):
            raise IngestError(path, "binary content (a PDF or ZIP file) with a text file name")
        text = normalise_chars(decode_text(path, data))
        return read_text(text), text
    reader = _binary_reader(suffix)
    return reader(path, data, ocr_language)


def _binary_reader(suffix: str) -> Callable[[Path, bytes, str], tuple[SourceText, str]]:
    if suffix == ".pdf":
        from ingest.pdf_format import read_pdf

        return read_pdf
    if suffix == ".docx":
        from ingest.docx_format import read_docx

        return read_docx
    from ingest.html_format import read_html

    return read_html


def _document(path: Path, data: bytes, suffix: str, source: SourceText, header_text: str) -> Document:
    structured = build_passages(source, path.name)
    if not any(p.kind != "footnote" for p in structured.passages):
        raise IngestError(path, "no text found in the document")
    header = header_lines(header_text)
    metadata = extract_metadata(header, structured.passages, source.pages, detect_language(structured.text))
    return Document(
        source_file=path.name,
        content_hash=hashlib.sha256(data).hexdigest(),
        text=structured.text,
        metadata=metadata,
        passages=structured.passages,
        media_type=_MEDIA_TYPES.get(suffix, "application/octet-stream"),
    )


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
