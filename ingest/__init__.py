"""ingest stage: files (text, Markdown, PDF, Word, HTML) to Documents with metadata and passages."""

from ingest.errors import IngestError
from ingest.parse import SUPPORTED_SUFFIXES, discover, parse_file
from ingest.references import find_references, normalise_doc_number, resolve_references

__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestError",
    "discover",
    "find_references",
    "normalise_doc_number",
    "parse_file",
    "resolve_references",
]
