"""The application's services for the UI, built once per server process with the same settings as the CLI,
and who is using them.

Identity: with OIDC configured (an ``[auth]`` section in Streamlit's ``secrets.toml``), a visitor signs in
with the provider (``st.login``) and is the e-mail address (else the subject) of their ID token; without
it, this is a single-user desktop run: the user is ``CONCLUSIO_USER``, else whoever started the server,
said plainly in the sidebar. Either way the users file (``CONCLUSIO_USERS``) decides their role and
clearance, and a name it does not hold gets a page saying so, nothing else.
"""

from __future__ import annotations

import streamlit as st

from application import Conclusio, ModelResolution, StoreEmptyError, StoreNotFoundError, User, load_users, lookup, resolve_user
from application.access import local_user
from conclusio.errors import AccessDenied, ConclusioError
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


@st.cache_resource(show_spinner=False)
def model(settings: Settings) -> ModelResolution | str:
    """The configured embedding model as its files say, without loading it, so that a page that needs no
    model never waits for one; why there is none, as one line."""
    try:
        return app(settings).model()
    except ConclusioError as error:
        return printable(str(error), one_line=True)


def oidc_provider() -> str | None:
    """The provider ``st.login`` signs in with ("" for the one configured in ``[auth]`` itself), or None: no login."""
    try:
        auth = st.secrets.get("auth")
    except (FileNotFoundError, KeyError, ConclusioError):  # no secrets file: a desktop run
        return None
    except Exception:  # Streamlit's own "no secrets" error
        return None
    if not auth:
        return None
    if auth.get("server_metadata_url"):
        return ""
    named = [name for name, value in auth.items() if hasattr(value, "get") and value.get("server_metadata_url")]
    return named[0] if named else None


def current_user(settings: Settings) -> User:
    """Who is using this session; a page that says why and ``st.stop()`` when nobody (known) is.

    The audit trail records this user's name: never a name typed into a form.
    """
    provider = oidc_provider()
    try:
        if provider is None:
            return resolve_user(settings)
        if not st.user.is_logged_in:
            _sign_in_page(provider)
        claims = {key: str(st.user.get(key) or "") for key in ("email", "sub", "name")}
        name = claims["email"] or claims["sub"]
        if settings.users_file is None:
            return local_user(name)
        return lookup(load_users(settings.users_file), name, settings.users_file, claims["sub"])
    except (AccessDenied, ConclusioError) as refused:
        st.title("Conclusio")
        st.error(printable(str(refused), one_line=True))
        if provider is not None and st.user.is_logged_in:
            st.button("Sign out", on_click=st.logout, key="sign_out_refused")
        st.stop()
        raise  # st.stop() ends the script run; this line is never reached


def _sign_in_page(provider: str) -> None:
    st.title("Conclusio")
    st.write("Sign in to search and track the documents you are cleared for.")
    st.button("Sign in", type="primary", key="sign_in",
              on_click=lambda: st.login(provider) if provider else st.login())
    st.stop()


def describe_user(user: User, settings: Settings) -> None:
    """The sidebar's lines about who is signed in, and how (a desktop run says it has no login)."""
    st.caption(f"Signed in as **{_escaped(user.name)}** · {user.role} · clearance {user.clearance.name}")
    if oidc_provider() is not None:
        if settings.users_file is None:
            st.caption(":orange[No users file: everyone who signs in is an admin with full clearance]")
        st.button("Sign out", on_click=st.logout, key="sign_out")
    elif settings.users_file is None:
        st.caption(":orange[Desktop run, no login: you are the one local user, admin with full clearance "
                   "(no users file)]")
    else:
        st.caption(":orange[Desktop run, no login: acting as the user who started the server]")


def _escaped(text: str) -> str:
    """Text shown as itself inside Markdown: no emphasis, links or HTML from a name."""
    return "".join(f"\\{c}" if c in "\\`*_{}[]()<>#+-.!|~:$" else c for c in printable(text, one_line=True))


def app_or_stop(settings: Settings) -> Conclusio:
    """The services, as this session's user, when the store holds documents; otherwise a plain message (with the
    ingest command), and stop.

    A store an interrupted ingest left unfinished is shown with the command that completes it.
    """
    services = app(settings).as_user(current_user(settings))
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
