"""Session-wide fixtures: models are loaded once, the sample corpus is ingested once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from conclusio.settings import REPO_ROOT, Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # tests never reach the hub

# Property tests (fuzzing) stay bounded in the suite: few enough examples, each within a deadline, and no
# example database written into the repository. HYPOTHESIS_PROFILE=fuzz runs them long, for a hunt.
hypothesis_settings.register_profile(
    "suite", max_examples=60, deadline=timedelta(seconds=5), database=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("fuzz", max_examples=5_000, deadline=timedelta(seconds=10), database=None,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

CORPUS_DIR = REPO_ROOT / "corpora"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The user's sample documents."""
    return CORPUS_DIR


@pytest.fixture(scope="session")
def test_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Default settings with a store directory of the session's own."""
    return Settings.from_env({}, store_dir=tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="session")
def embedder(test_settings: Settings):
    """The real default embedding model: USE multilingual v3 with its English pivot."""
    from index.embeddings import load_embedder

    return load_embedder(test_settings)


@pytest.fixture(scope="session")
def minilm_embedder(test_settings: Settings):
    """A configured sentence-transformers model: all-MiniLM-L6-v2 from its package (English-only: concatenated pivot)."""
    pytest.importorskip("sentence_transformers")
    from index.embeddings import MINILM_PACKAGE, load_embedder

    return load_embedder(test_settings.with_(embed_model=MINILM_PACKAGE))


@pytest.fixture(scope="session")
def nlp_pipeline():
    """The real obligation-extraction pipeline, built once."""
    from nlp import build_pipeline

    return build_pipeline()


@dataclass
class IngestedCorpus:
    """The sample corpus ingested once per session through the real pipeline; read-only for tests."""

    store: object
    report: object
    settings: Settings


@pytest.fixture(scope="session")
def ingested_corpus(test_settings: Settings, embedder, nlp_pipeline, corpus_dir: Path):
    """A store holding the whole sample corpus and the report of its first ingest."""
    from application.pipeline import ingest_paths
    from index import open_store

    store = open_store(test_settings)
    report = ingest_paths([corpus_dir], settings=test_settings, store=store, embedder=lambda: embedder, pipeline=lambda: nlp_pipeline)
    yield IngestedCorpus(store, report, test_settings)
    store.close()


@pytest.fixture(scope="session")
def corpus_store(ingested_corpus: IngestedCorpus):
    """The store of the ingested sample corpus; treat it as read-only."""
    return ingested_corpus.store


@pytest.fixture(scope="session")
def corpus_services(ingested_corpus: IngestedCorpus, embedder, nlp_pipeline):
    """The application's services over the corpus store, sharing the session's model and pipeline (loaded once)."""
    from application import Conclusio

    app = Conclusio(ingested_corpus.settings)
    app.__dict__.update(embedder=embedder, pipeline=nlp_pipeline)
    yield app
    app.close()
