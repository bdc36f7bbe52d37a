"""ingest stage: files (text, Markdown, PDF, Word, HTML) to Documents with metadata and passages.

Formats are rows of one table (``ingest.readers``); each reader is its own module.
"""

from ingest.errors import IngestError
from ingest.identity import document_key, fingerprint, normalised, with_passage_ids
from ingest.parse import discover, parse_file
from ingest.readers import READERS, SUPPORTED_SUFFIXES
from ingest.references import find_references, normalise_doc_number, resolve_references

__all__ = [
    "READERS",
    "SUPPORTED_SUFFIXES",
    "IngestError",
    "discover",
    "document_key",
    "fingerprint",
    "normalised",
    "with_passage_ids",
    "find_references",
    "normalise_doc_number",
    "parse_file",
    "resolve_references",
]
