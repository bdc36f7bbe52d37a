"""nlp stage: all Dutch reading, with one spaCy pipeline per process.

Public surface: ``build_pipeline`` (once per process), then, each taking that pipeline first:
``extract_obligations``, ``find_actors``, ``actors_by_passage``, ``parse_deadlines``, ``classify_progress``.
"""

from nlp.actors import actors_by_passage, canonical_actor, find_actors
from nlp.deadlines import parse_deadlines
from nlp.obligations import extract_obligations
from nlp.pipeline import build_pipeline
from nlp.progress import classify_progress

__all__ = [
    "actors_by_passage",
    "build_pipeline",
    "canonical_actor",
    "classify_progress",
    "extract_obligations",
    "find_actors",
    "parse_deadlines",
]
