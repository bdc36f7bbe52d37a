"""The format readers, in one table: file suffix and media type -> the function that reads the file.

A reader takes ``(path, raw bytes, OCR language)`` and returns the file's lines (``SourceText``) and
the text its metadata is read from. Readers are named as ``module:function`` and imported on first
use, so reading a text file never loads the PDF or Word libraries. A new format is one row here and
one module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ingest.lines import SourceText

ReadFunction = Callable[[Path, bytes, str], tuple[SourceText, str]]


@dataclass(frozen=True)
class Reader:
    """One format: the suffixes it is recognised by, its media type, and where its reader lives."""

    suffixes: tuple[str, ...]
    media_type: str
    function: str  # "module:function"

    def load(self) -> ReadFunction:
        """The reading function, imported now."""
        module, name = self.function.split(":")
        return getattr(import_module(module), name)


READERS: tuple[Reader, ...] = (
    Reader((".txt", ".text"), "text/plain", "ingest.text_format:read_text_file"),
    Reader((".md", ".markdown"), "text/markdown", "ingest.text_format:read_text_file"),
    Reader((".pdf",), "application/pdf", "ingest.pdf_format:read_pdf"),
    Reader((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "ingest.docx_format:read_docx"),
    Reader((".html", ".htm"), "text/html", "ingest.html_format:read_html"),
    Reader((".xhtml",), "application/xhtml+xml", "ingest.html_format:read_html"),
)
BY_SUFFIX: dict[str, Reader] = {suffix: reader for reader in READERS for suffix in reader.suffixes}
BY_MEDIA_TYPE: dict[str, Reader] = {reader.media_type: reader for reader in READERS}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(BY_SUFFIX)


def reader_for(path: Path) -> Reader | None:
    """The reader of a file by its suffix, or None when no format has that suffix."""
    return BY_SUFFIX.get(Path(path).suffix.lower())
