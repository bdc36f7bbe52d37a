"""Canonical actor names and the actor gazetteer component."""

from __future__ import annotations

import pytest
import spacy

import nlp.factories  # noqa: F401  (registers the components)
from nlp.actors import canonical_actor, find_actors


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("de Europese Commissie", "Commissie"),
        ("Commission", "Commissie"),
        ("de EU-lidstaten", "lidstaten"),
        ("EMCDDA", "EUDA"),
        ("het EU-drugsagentschap", "EUDA"),
        ("het Europees Openbaar Ministerie", "EOM"),
        ("EPPO", "EOM"),
        ("het secretariaat van het ENCP", "ENCP"),
        ("de agentschappen op het gebied van justitie en binnenlandse zaken", "JBZ-agentschappen"),
        ("CEPOL", "Cepol"),
        ("het voorzitterschap", "voorzitterschap"),
    ],
)
def test_canonical_actor(pipeline, written, canonical):
    assert canonical_actor(pipeline, written) == canonical


def test_unknown_body_has_no_canonical_name(pipeline):
    assert canonical_actor(pipeline, "de gemeenteraad van Gent") is None


def test_find_actors_in_order_of_first_mention(pipeline):
    text = "verzoekt de Raad de lidstaten, Europol en de Europese Commissie, met de steun van Eurojust en Europol:"
    assert find_actors(pipeline, text) == ["Raad", "lidstaten", "Europol", "Commissie", "Eurojust"]


def test_find_actors_in_capitals_block(pipeline):
    assert find_actors(pipeline, "VERZOEKT DE LIDSTATEN EN DE AGENTSCHAPPEN OP HET GEBIED VAN JUSTITIE EN BINNENLANDSE ZAKEN OM:") == [
        "lidstaten",
        "JBZ-agentschappen",
    ]


def test_lower_case_common_noun_is_not_the_council(pipeline):
    assert find_actors(pipeline, "de raad van bestuur van het bedrijf") == []


def test_registered_gazetteer_component():
    blank = spacy.blank("nl")
    blank.add_pipe("conclusio_actor_gazetteer")
    blank.initialize()
    doc = blank("Het EMCDDA wordt het nieuwe EU-drugsagentschap.")
    assert [(s.text, s.label_) for s in doc.spans["actors"]] == [("EMCDDA", "EUDA"), ("EU-drugsagentschap", "EUDA")]
