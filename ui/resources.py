"""Settings, models and stores for the UI, built once per process with the same factories as the CLI."""

from __future__ import annotations

import streamlit as st

from conclusio.settings import Settings


def load_settings() -> Settings:
    """Settings from the environment (``conclusio ui`` passes --store and --model as variables)."""
    return Settings.from_env()


@st.cache_resource(show_spinner="Loading the embedding model…")
def embedder(settings: Settings):
    """The embedding model in use (or its offline fallback)."""
    from index.embeddings import load_embedder

    return load_embedder(settings)


@st.cache_resource(show_spinner=False)
def store(settings: Settings):
    """The derived store; raises StoreNotFoundError when it does not exist yet."""
    from index import open_store

    return open_store(settings, create=False)


@st.cache_resource(show_spinner=False)
def curation(settings: Settings):
    """The curation store (reviews, status overrides, audit trail)."""
    from index import open_curation

    return open_curation(settings)


@st.cache_resource(show_spinner="Preparing search…")
def searcher(settings: Settings):
    """A Searcher over the store with the embedding model."""
    from index.search import Searcher

    return Searcher.from_settings(settings, store(settings), embedder(settings))


def store_or_stop(settings: Settings):
    """The store when it holds documents; otherwise a plain message with the ingest command, and stop."""
    from index.errors import StoreNotFoundError

    command = f"conclusio ingest corpora/ --store {settings.store_dir}"
    try:
        opened = store(settings)
    except StoreNotFoundError:
        opened = None
    if opened is None or opened.stats().documents == 0:
        st.info(f"The store at `{settings.store_dir}` holds no documents yet. Ingest some first:")
        st.code(command, language="bash")
        st.stop()
    return opened
