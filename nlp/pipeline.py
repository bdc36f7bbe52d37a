"""The one spaCy pipeline a process reads Dutch with: extraction, actors, deadlines and progress alike."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from spacy.util import compile_suffix_regex

from conclusio.settings import Settings
from nlp import factories  # noqa: F401  (registers the components)
from nlp.actors import DEFAULT_ACTORS
from nlp.verbs import dutch_lookups

TRAINED_DUTCH = ("nl_core_news_lg", "nl_core_news_md", "nl_core_news_sm")
OUR_COMPONENTS = (
    "conclusio_actor_gazetteer",
    "conclusio_deadline_tagger",
    "conclusio_modality",
    "conclusio_obligation_extractor",
)
# Read texts on request (progress reports) rather than annotating every document: added, but disabled.
ON_REQUEST_COMPONENTS = ("conclusio_progress_reader",)


def _split_full_stop_after_capital(nlp: Language) -> None:
    """ "... onder leiding van JenV. De stuurgroep ...": a full stop after a short form in mixed case ends the
    sentence; spaCy's rules split it off after a lower-case letter or two capitals only."""
    suffixes = list(nlp.Defaults.suffixes or []) + [r"(?<=[a-z][A-Z])\."]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


def build_pipeline(settings: Settings | None = None) -> Language:
    """A trained Dutch pipeline when one is installed, else blank Dutch with a lookup lemmatizer; plus ours.

    Build it once per process and pass it on: every Dutch reading takes it as its first argument.
    The settings name the data files (the actor aliases) its components load.
    """
    actors = settings.actors_file if settings is not None and settings.actors_file else DEFAULT_ACTORS
    trained = next((name for name in TRAINED_DUTCH if spacy.util.is_package(name)), None)
    if trained:
        nlp = spacy.load(trained, exclude=["ner"])
    else:
        nlp = spacy.blank("nl")
    _split_full_stop_after_capital(nlp)
    if "senter" not in nlp.pipe_names and "parser" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    for name in OUR_COMPONENTS:
        config = {"actors_path": str(Path(actors))} if name == "conclusio_actor_gazetteer" else {}
        nlp.add_pipe(name, config=config)
    if trained:
        nlp.get_pipe("conclusio_actor_gazetteer").initialize(nlp=nlp)
    else:
        nlp.initialize()
        # Added after initialize() so it takes the lookup table nlp.verbs already holds (loaded once, not twice).
        lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"}, before=OUR_COMPONENTS[0])
        lemmatizer.initialize(lookups=dutch_lookups())
    for name in ON_REQUEST_COMPONENTS:
        nlp.add_pipe(name)
        nlp.disable_pipe(name)
    return nlp
