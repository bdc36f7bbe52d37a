"""Modality cues from the token Matcher."""

from __future__ import annotations

import pytest
import spacy

import nlp.factories  # noqa: F401  (registers the components)
from nlp.modality import modality_of


@pytest.fixture(scope="module")
def tagger():
    pipeline = spacy.blank("nl")
    pipeline.add_pipe("conclusio_modality")
    return pipeline


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("De Commissie zal een kader opzetten.", "commitment"),
        ("Wij zullen samenwerken met derde landen.", "commitment"),
        ("De Commissie is voornemens de resultaten bekend te maken.", "commitment"),
        ("De lidstaten moeten nationale contactpunten aanwijzen.", "obligation"),
        ("Europol dient het verslag in te dienen.", "obligation"),
        ("In dit verband worden de lidstaten verzocht deel te nemen.", "request"),
        ("De lidstaten worden sterk aangemoedigd om gebruik te maken van het SIS.", "request"),
        ("De Commissie nodigt alle lidstaten uit om deel te nemen.", "request"),
        ("Daarom is de Commissie van plan om nieuwe regels vast te stellen.", "commitment"),
        ("Het voorzitterschap heeft het voornemen een conferentie te organiseren.", "commitment"),
        ("Daarom stelt de Commissie het Europees Parlement en de Raad voor om het plan te onderschrijven.", "request"),
    ],
)
def test_first_cue_gives_the_modality(tagger, sentence, modality):
    doc = tagger(sentence)
    cues = doc.spans["modality"]
    assert len(cues) and modality_of(cues[0]) == modality


def test_past_tense_request_is_no_cue(tagger):
    doc = tagger("Europol werd in het stappenplan verzocht de netwerken in kaart te brengen.")
    assert list(doc.spans["modality"]) == []


def test_a_request_cue_does_not_reach_back_into_the_previous_sentence(tagger):
    doc = tagger("Daarna kan informatie worden gedeeld. Nationale eenheden worden sterk aangemoedigd om het systeem te gebruiken.")
    (cue,) = doc.spans["modality"]
    assert cue.text == "worden sterk aangemoedigd"
