"""UI fixtures: the pages read the store from CONCLUSIO_STORE, as under `conclusio ui`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conclusio.settings import REPO_ROOT

UI_DIR = REPO_ROOT / "ui"
TIMEOUT = 120  # seconds for one script run; the first one loads the embedding model


@pytest.fixture
def corpus_env(monkeypatch: pytest.MonkeyPatch, ingested_corpus) -> Path:
    """Point the UI at the session's ingested corpus store."""
    store_dir = Path(ingested_corpus.settings.store_dir)
    monkeypatch.setenv("CONCLUSIO_STORE", str(store_dir))
    monkeypatch.setenv("CONCLUSIO_EMBED_MODEL", ingested_corpus.settings.embed_model)
    return store_dir


@pytest.fixture
def store_copy_env(monkeypatch: pytest.MonkeyPatch, ingested_corpus, tmp_path: Path) -> Path:
    """Point the UI at a copy of the corpus store, for tests that write curation into it."""
    store_dir = tmp_path / "store"
    shutil.copytree(ingested_corpus.settings.store_dir, store_dir)
    monkeypatch.setenv("CONCLUSIO_STORE", str(store_dir))
    monkeypatch.setenv("CONCLUSIO_EMBED_MODEL", ingested_corpus.settings.embed_model)
    return store_dir


@pytest.fixture
def page():
    """Makes an AppTest of the app opened at one page (by file name), with the given URL parameters.

    The whole app runs (its navigation and sidebar), as in a browser: pages link to each other.
    """
    from streamlit.testing.v1 import AppTest

    def open_page(name: str, **params: str | list[str]) -> AppTest:
        at = AppTest.from_file(str(UI_DIR / "app.py"), default_timeout=TIMEOUT)
        for key, value in params.items():
            at.query_params[key] = value
        at.switch_page(f"views/{name}")
        return at

    return open_page
