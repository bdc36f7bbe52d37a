"""Shared fixtures for the ingest tests: the sample corpus parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from conclusio.records import Document
from ingest import parse_file

CORPUS = Path(__file__).resolve().parents[2] / "corpora"


def corpus_file(prefix: str) -> Path:
    """The corpus file whose name starts with ``prefix`` ("000")."""
    return next(CORPUS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def corpus() -> dict[str, Document]:
    """Every corpus document, parsed once, keyed by its three-digit prefix."""
    return {path.name[:3]: parse_file(path) for path in sorted(CORPUS.glob("*.txt"))}


@pytest.fixture(scope="session")
def council_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A three-page Council-style PDF (header, footer, page numbers, footnotes, hyphenation)."""
    from council_documents import council_pages, write_council_pdf

    return write_council_pdf(tmp_path_factory.mktemp("pdf") / "conclusies.pdf", council_pages())


@pytest.fixture(scope="session")
def council_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Word file with headings, numbered points and a footnote."""
    from council_documents import write_council_docx

    return write_council_docx(tmp_path_factory.mktemp("docx") / "conclusies.docx")


@pytest.fixture(scope="session")
def eurlex_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An EUR-Lex-style page with a table of numbered points and linked footnotes."""
    from council_documents import EURLEX_HTML

    path = tmp_path_factory.mktemp("html") / "conclusies.html"
    path.write_text(EURLEX_HTML, encoding="utf-8")
    return path
