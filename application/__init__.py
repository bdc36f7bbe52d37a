"""The application layer: the ingest pipeline, the services the CLI and the UI share, and the thin CLI.

It stands on every stage (ingest, nlp, index, tracking, evaluation) and is what the UI imports; the
ground (``conclusio``) never imports it.

Public surface: ``Conclusio`` (the services, one per process; ``as_user`` for each signed-in person),
``User``, ``resolve_user``, ``lookup``, ``load_users`` (who may do what: ``application.access``), ``SearchFilters`` and ``ObligationQuery``
(what a caller may ask for), ``SearchAnswer``, ``IngestReport``; ``QUERY_HELP`` and ``SORTS`` (the query
language and the sort orders, for the UI's help).
"""

from application.access import User, load_users, local_user, login_name, lookup, resolve_user
from application.services import Conclusio, SearchAnswer, StatusReport, StoreEmptyError, UnknownItemError
from index.errors import StoreNotFoundError
from index.query_language import HELP as QUERY_HELP
from index.search import SORTS
from index.store import ObligationQuery, SearchFilters


def __getattr__(name: str):
    # The ingest pipeline imports spaCy (and through it torch): seconds that a search never needs.
    if name in ("FileResult", "IngestReport"):
        from application import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'application' has no attribute {name!r}")


__all__ = [
    "Conclusio",
    "FileResult",
    "IngestReport",
    "ObligationQuery",
    "QUERY_HELP",
    "SORTS",
    "SearchAnswer",
    "SearchFilters",
    "StatusReport",
    "StoreEmptyError",
    "StoreNotFoundError",
    "UnknownItemError",
    "User",
    "load_users",
    "local_user",
    "login_name",
    "lookup",
    "resolve_user",
]
