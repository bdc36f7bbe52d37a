"""The application layer: the ingest pipeline, the services the CLI and the UI share, and the thin CLI.

It stands on every stage (ingest, nlp, index, tracking, evaluation) and is what the UI imports; the
ground (``conclusio``) never imports it.

Public surface: ``Conclusio`` (the services, one per process), ``SearchFilters`` and ``ObligationQuery``
(what a caller may ask for), ``SearchAnswer``, ``IngestReport``.
"""

from application.pipeline import FileResult, IngestReport
from application.services import Conclusio, SearchAnswer, StatusReport, StoreEmptyError, UnknownItemError
from index.errors import StoreNotFoundError
from index.store import ObligationQuery, SearchFilters

__all__ = [
    "Conclusio",
    "FileResult",
    "IngestReport",
    "ObligationQuery",
    "SearchAnswer",
    "SearchFilters",
    "StatusReport",
    "StoreEmptyError",
    "StoreNotFoundError",
    "UnknownItemError",
]
