"""Registration of Conclusio's spaCy components, each with its default config.

| component | assigns | requires |
| --- | --- | --- |
| ``conclusio_actor_gazetteer`` | ``doc.spans["actors"]`` (label = canonical actor) | tokens |
| ``conclusio_deadline_tagger`` | ``doc.spans["deadlines"]``, ``Span._.deadline`` | ``Doc._.doc_date``, sentences |
| ``conclusio_modality`` | ``doc.spans["modality"]`` (label = cue kind) | tokens |
| ``conclusio_obligation_extractor`` | ``Doc._.obligation_units`` | all of the above, ``Doc._.block``, ``Doc._.doc_kind``, ``Doc._.section_owner`` |
| ``conclusio_progress_reader`` (disabled) | nothing: reads report texts on request (``nlp.progress``) | sentences, lemmas, the deadline tagger |

Data files (aliases, patterns) are loaded from paths in the config; the functions that can be
swapped are registered under versioned names in spaCy's ``misc`` registry.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry

from nlp import units
from nlp.actors import DEFAULT_ACTORS, ActorGazetteer
from nlp.deadlines import DEFAULT_PATTERNS as DEFAULT_DEADLINE_PATTERNS
from nlp.deadlines import DeadlineTagger
from nlp.modality import DEFAULT_PATTERNS as DEFAULT_MODALITY_PATTERNS
from nlp.modality import ModalityTagger
from nlp.progress import ProgressClassifier

for name, default in (("doc_date", None), ("block", None), ("declaration", False), ("nearby_actors", None), ("main_actor", None), ("doc_kind", None), ("obligation_units", None), ("section_owner", None)):
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=default)


@registry.misc("conclusio.find_units.v1")
def make_unit_finder():
    """The unit segmentation and actor assignment rules of shared/spec/obligations.md."""
    return units.find_units


@Language.factory("conclusio_actor_gazetteer", default_config={"actors_path": str(DEFAULT_ACTORS)})
def make_actor_gazetteer(nlp: Language, name: str, actors_path: str):
    """Marks actor aliases with their canonical names."""
    return ActorGazetteer(nlp, name, actors_path)


@Language.factory("conclusio_deadline_tagger", default_config={"patterns_path": str(DEFAULT_DEADLINE_PATTERNS)})
def make_deadline_tagger(nlp: Language, name: str, patterns_path: str):
    """Finds and normalises due dates."""
    return DeadlineTagger(nlp.vocab, Path(patterns_path))


@Language.factory("conclusio_modality", default_config={"patterns_path": str(DEFAULT_MODALITY_PATTERNS)})
def make_modality_tagger(nlp: Language, name: str, patterns_path: str):
    """Marks request / commitment / obligation cues."""
    return ModalityTagger(nlp.vocab, Path(patterns_path))


class ObligationExtractor:
    """Sets ``Doc._.obligation_units`` for one passage from the annotations of the other components."""

    def __init__(self, find_units):
        self.find_units = find_units

    def __call__(self, doc: Doc) -> Doc:
        doc._.obligation_units = self.find_units(
            doc, doc._.block, doc._.declaration, doc._.nearby_actors or [], doc._.main_actor
        )
        return doc


@Language.factory(
    "conclusio_obligation_extractor",
    default_config={"find_units": {"@misc": "conclusio.find_units.v1"}},
    requires=["doc.spans"],
)
def make_obligation_extractor(nlp: Language, name: str, find_units):
    """Finds obligation units in a passage."""
    return ObligationExtractor(find_units)


@Language.factory("conclusio_progress_reader")
def make_progress_reader(nlp: Language, name: str):
    """Reads how far a later report says an action has got."""
    return ProgressClassifier(nlp)
