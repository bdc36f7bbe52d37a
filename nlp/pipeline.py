"""The spaCy pipeline Conclusio runs over passages."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from nlp import factories  # noqa: F401  (registers the components)
from nlp.verbs import dutch_lookups

TRAINED_DUTCH = ("nl_core_news_lg", "nl_core_news_md", "nl_core_news_sm")
OUR_COMPONENTS = (
    "conclusio_actor_gazetteer",
    "conclusio_deadline_tagger",
    "conclusio_modality",
    "conclusio_obligation_extractor",
)


def build_pipeline() -> Language:
    """A trained Dutch pipeline when one is installed, else blank Dutch with a lookup lemmatizer; plus ours."""
    trained = next((name for name in TRAINED_DUTCH if spacy.util.is_package(name)), None)
    if trained:
        nlp = spacy.load(trained, exclude=["ner"])
    else:
        nlp = spacy.blank("nl")
    if "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    for name in OUR_COMPONENTS:
        nlp.add_pipe(name)
    if trained:
        _initialize_ours(nlp)
    else:
        nlp.initialize()
        # Added after initialize() so it takes the lookup table nlp.verbs already holds (loaded once, not twice).
        lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"}, before=OUR_COMPONENTS[0])
        lemmatizer.initialize(lookups=dutch_lookups())
    return nlp


def _initialize_ours(nlp: Language) -> None:
    for name in ("conclusio_actor_gazetteer",):
        nlp.get_pipe(name).initialize(nlp=nlp)


@lru_cache(maxsize=1)
def default_pipeline() -> Language:
    """The pipeline built once for callers that do not pass their own."""
    return build_pipeline()
