"""Fixtures for the search tests: the sample corpus in a real store, and a real searcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation import datasets



@pytest.fixture(scope="session")
def search_store(request, tmp_path_factory, embedder, corpus_dir):
    """The ingested sample corpus; parsed without obligations when the NLP stage is not there."""
    try:
        shared = request.getfixturevalue("corpus_store")
    except pytest.skip.Exception:
        shared = None
    if shared is not None:
        yield shared
        return
    import ingest
    from index.sqlite_store import SQLiteStore

    store = SQLiteStore(tmp_path_factory.mktemp("search-store"))
    for path in sorted(corpus_dir.glob("*.txt")):
        document = ingest.parse_file(path)
        store.write_document(document, embedder.encode_passages([p.text for p in document.passages]), [], embedder.name)
    yield store
    store.close()


@pytest.fixture(scope="session")
def searcher(search_store, embedder, test_settings):
    """The searcher the CLI builds: expander from settings (glossary + EuroVoc when present)."""
    from index.search import Searcher

    return Searcher.from_settings(test_settings, search_store, embedder)


@pytest.fixture(scope="session")
def dev_queries_path() -> Path:
    return datasets.SEARCH_DEV_QUERIES


@pytest.fixture(scope="session")
def similar_cases_path() -> Path:
    return datasets.SIMILAR_DEV_CASES
