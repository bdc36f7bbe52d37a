"""The application layer: the ingest pipeline, the services the CLI and the UI share, and the thin CLI.

It stands on every stage (ingest, nlp, index, tracking, evaluation) and is what the UI imports; the
ground (``conclusio``) never imports it.

Public surface: ``Conclusio`` (the services, one per process; ``as_user`` for each signed-in person),
``User``, ``resolve_user``, ``lookup``, ``load_users`` (who may do what: ``application.access``), ``SearchFilters`` and ``ObligationQuery``
(what a caller may ask for), ``SearchAnswer``, ``IngestReport``; ``QUERY_HELP`` and ``SORTS`` (the query
language and the sort orders, for the UI's help); ``Citation`` and ``dutch_date`` (how hits, obligations and
evidence are cited); ``SUPPORTED_SUFFIXES`` (the file types ingest reads), ``EXPORT_FORMATS``,
``HIT_EXPORT_FORMATS`` and ``CSV_DELIMITERS`` (what the exports write).
"""

from application.access import User, load_users, local_user, login_name, lookup, resolve_user
from application.citations import Citation, dutch_date
from application.services import (HIT_EXPORT_FORMATS, Conclusio, SearchAnswer, StatusReport, StoreEmptyError,
                                  UnknownItemError)
from ingest import SUPPORTED_SUFFIXES
from index.embeddings import ModelResolution
from index.errors import StoreNotFoundError
from index.query_language import HELP as QUERY_HELP
from index.search import SORTS
from index.store import ObligationQuery, SearchFilters
from tracking.exports import CSV_DELIMITERS
from tracking.exports import FORMATS as EXPORT_FORMATS


def __getattr__(name: str):
    # The ingest pipeline imports spaCy (and through it torch): seconds that a search never needs.
    if name in ("FileResult", "IngestReport"):
        from application import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'application' has no attribute {name!r}")


__all__ = [
    "CSV_DELIMITERS",
    "Citation",
    "Conclusio",
    "EXPORT_FORMATS",
    "HIT_EXPORT_FORMATS",
    "FileResult",
    "IngestReport",
    "ModelResolution",
    "ObligationQuery",
    "QUERY_HELP",
    "SORTS",
    "SUPPORTED_SUFFIXES",
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
    "dutch_date",
]
