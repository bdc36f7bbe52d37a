"""The application's services for the UI, built once per server process with the same settings as the CLI."""

from __future__ import annotations

import getpass

import streamlit as st

from application import Conclusio, ModelResolution, StoreEmptyError, StoreNotFoundError
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


def current_user(settings: Settings) -> str:
    """Who is using the app, for the audit trail: never a name typed into a box.

    Today the login name of the account the server runs under, shown in the sidebar; with single
    sign-on, the authenticated user.
    """
    del settings  # the identity provider's settings will decide it
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name for this uid (a container run with an arbitrary user)
        return "unknown"


@st.cache_resource(show_spinner=False)
def model(settings: Settings) -> ModelResolution | str:
    """The configured embedding model as its files say, without loading it, so that a page that needs no
    model never waits for one; why there is none, as one line."""
    try:
        return app(settings).model()
    except ConclusioError as error:
        return printable(str(error), one_line=True)


def app_or_stop(settings: Settings) -> Conclusio:
    """The services when the store holds documents; otherwise a plain message (with the ingest command), and stop.

    A store an interrupted ingest left unfinished is shown with the command that completes it.
    """
    services = app(settings)
    try:
        services.store  # noqa: B018  (opens and checks it once)
    except (StoreEmptyError, StoreNotFoundError):
        st.info(f"The store at `{settings.store_dir}` holds no documents yet. Add some on the **Add documents** "
                "page, or ingest a folder:")
        st.code(f"conclusio ingest corpora/ --store {settings.store_dir}", language="bash")
        st.stop()
    except ConclusioError as error:  # damaged, unreadable, a file where the folder should be: say what and how
        st.error(printable(str(error), one_line=True))
        st.stop()
    interruption = services.interruption()
    if interruption:
        st.warning(printable(interruption, one_line=True))
    return services
