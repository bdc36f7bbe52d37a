"""UI fixtures: the pages read the store from CONCLUSIO_STORE, as under `conclusio ui`."""

from __future__ import annotations

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
def page():
    """Makes an AppTest of one page script, by file name."""
    from streamlit.testing.v1 import AppTest

    return lambda name: AppTest.from_file(str(UI_DIR / "views" / name), default_timeout=TIMEOUT)
