"""The application's services for the UI, built once per server process with the same settings as the CLI."""

from __future__ import annotations

import streamlit as st

from application import Conclusio, StoreEmptyError, StoreNotFoundError
from conclusio.errors import ConclusioError
from conclusio.settings import Settings
from conclusio.text import printable


def load_settings() -> Settings:
    """Settings from the environment (``conclusio ui`` passes --store and --model as variables)."""
    return Settings.from_env()


@st.cache_resource(show_spinner=False)
def app(settings: Settings) -> Conclusio:
    """The services over the configured store; their parts (pipeline, model, searcher) load on first use."""
    return Conclusio(settings)


def embedder(settings: Settings):
    """The embedding model in use, loaded once."""
    with st.spinner("Loading the embedding model…"):
        return app(settings).embedder


def app_or_stop(settings: Settings) -> Conclusio:
    """The services when the store holds documents; otherwise a plain message (with the ingest command), and stop.

    A store an interrupted ingest left unfinished is shown with the command that completes it.
    """
    services = app(settings)
    try:
        services.store  # noqa: B018  (opens and checks it once)
    except (StoreEmptyError, StoreNotFoundError):
        st.info(f"The store at `{settings.store_dir}` holds no documents yet. Ingest some first:")
        st.code(f"conclusio ingest corpora/ --store {settings.store_dir}", language="bash")
        st.stop()
    except ConclusioError as error:  # damaged, unreadable, a file where the folder should be: say what and how
        st.error(printable(str(error), one_line=True))
        st.stop()
    interruption = services.interruption()
    if interruption:
        st.warning(printable(interruption, one_line=True))
    return services
