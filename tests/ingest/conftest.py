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
