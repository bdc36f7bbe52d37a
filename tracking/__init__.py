"""tracking stage: whether obligations were kept. Evidence linking across documents, status as of a day,
analysts' curation (reviews, overrides, audit trail) and the exports analysts take away.

It stands on the index (stores, vectors) and the nlp stage (progress, deadlines, actors), and hands
typed records up to the application.

Public surface: ``refresh_evidence``, ``track``, ``track_passages``, ``TrackedObligation``,
``open_curation``, ``export_obligations``.
"""

from tracking.curation import CurationError, CurationStore, open_curation
from tracking.exports import FORMATS as EXPORT_FORMATS
from tracking.exports import ExportError, export_obligations
from tracking.status import TrackedObligation, status_on, track, track_passages


def __getattr__(name: str):
    # Evidence linking reads Dutch with spaCy (and through it torch): seconds that status and search never need.
    if name == "refresh_evidence":
        from tracking.evidence import refresh_evidence

        return refresh_evidence
    raise AttributeError(f"module 'tracking' has no attribute {name!r}")


__all__ = [
    "EXPORT_FORMATS",
    "CurationError",
    "CurationStore",
    "ExportError",
    "TrackedObligation",
    "export_obligations",
    "open_curation",
    "refresh_evidence",
    "status_on",
    "track",
    "track_passages",
]
