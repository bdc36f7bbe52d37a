"""nlp stage: obligations (actors, actions, deadlines, modality) from parsed documents."""

from nlp.obligations import extract_obligations
from nlp.pipeline import build_pipeline

__all__ = ["build_pipeline", "extract_obligations"]
