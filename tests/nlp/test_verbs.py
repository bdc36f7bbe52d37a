"""Main verbs of action clauses as infinitive lemmas."""

from __future__ import annotations

import pytest

from nlp.verbs import main_verbs, participle_infinitive


@pytest.mark.parametrize(
    ("clause", "verbs"),
    [
        ("deze applicatie in de loop van 2025 uit te rollen", ["uitrollen"]),
        ("de dataset ter beschikking van de lidstaten te stellen", ["stellen"]),
        ("hun methoden verder te ontwikkelen om de netwerken nauwkeuriger op te sporen", ["ontwikkelen"]),
        ("het resultaat te integreren in de Socta en er rekening mee te houden", ["integreren", "houden"]),
        ("zal de Commissie een kader opzetten", ["opzetten"]),
        ("moet een contactpunt worden opgericht", ["oprichten"]),
        ("te overwegen deel te nemen aan de ontwikkeling", ["overwegen", "deelnemen"]),
        ("zal de Commissie samenwerken met de lidstaten", ["samenwerken"]),
        ("zal de Commissie een algemene evaluatie uitvoeren van het systeem", ["uitvoeren"]),
        ("zullen wij de nieuwe netwerken met elkaar verbinden", ["verbinden"]),
        ("na te gaan of er nationale plannen moeten worden opgesteld, teneinde de preventie te versterken", ["nagaan"]),
        ("zal de Commissie onderzoeken hoe de EU samenwerking kan opzetten", ["onderzoeken"]),
        ("zal de Commissie de lidstaten voorstellen deze criteria toe te passen", ["voorstellen", "toepassen"]),
        ("toe te zien op de uitvoering en de resultaten te publiceren of te actualiseren", ["toezien", "publiceren", "actualiseren"]),
        ("moeten de regels aan de realiteit van de netwerken en hun belangrijkste leden worden aangepast", ["aanpassen"]),
        ("zullen alle vergaderingen worden voorgezeten door het voorzitterschap", ["voorzitten"]),
        ("zal de lijst worden uitgebreid tot verwante stoffen", ["uitbreiden"]),
        ("werkzaamheden uit te voeren, teneinde: a) toezicht te houden op de strategieën; b) activiteiten te steunen;", ["uitvoeren"]),
        # plural nouns that look like infinitives: after a preposition, in a list of nouns, compounds of a plural
        ("zullen wij samenwerken met derde landen, waaronder landen in Azië", ["samenwerken"]),
        ("zal de Commissie een oproep doen tot het indienen van voorstellen op dit gebied", ["doen"]),
        ("zullen wij de samenwerking tussen organen, netwerken en landen ondersteunen", ["ondersteunen"]),
        ("zullen wij samenwerken met de landen en gebieden die banden onderhouden", ["samenwerken", "onderhouden"]),
        ("zullen wij werken aan beleids- en wetgevingsinitiatieven", ["werken"]),
        ("zal de autoriteit voor de bestrijding van witwassen ondersteuning bieden", ["bieden"]),
        ("zullen wij de samenwerking ondersteunen met als doel een aanpak tegen crimineel vermogen", ["ondersteunen"]),
        # ... but "er ... voor" is a split adverb, and a comma may close an aside before the verb
        ("moet de EU er daarom voor zorgen dat havens weerbaar zijn", ["zorgen"]),
        ("zullen wij, in overleg met de betrokken actoren, werken aan nieuwe initiatieven", ["werken"]),
        # a relative clause after the action says something about its object, not what must be done
        ("zal de Commissie een oproep publiceren, die nieuwe middelen zal bieden", ["publiceren"]),
    ],
)
def test_main_verbs(pipeline, clause, verbs):
    assert main_verbs(pipeline(clause)[:]) == verbs


def test_te_infinitives_after_a_purpose_go_on_listing_purposes_in_a_verb_group(pipeline):
    clause = pipeline("zal de Commissie blijven samenwerken om praktijken uit te wisselen, overleg te vergemakkelijken en na te denken")
    assert main_verbs(clause[:], in_verb_group=True) == ["samenwerken"]
    # in a request's "te"-infinitive point, a later "te"-infinitive after the comma is an action of its own
    point = pipeline("de dataset te delen om analyses te verbeteren, en de resultaten te publiceren")
    assert main_verbs(point[:]) == ["delen", "publiceren"]


@pytest.mark.parametrize(
    ("participle", "infinitive"),
    [
        ("vastgesteld", "vaststellen"),
        ("geïntegreerd", "integreren"),
        ("ontwikkeld", "ontwikkelen"),
        ("gemaakt", "maken"),
        ("verspreid", "verspreiden"),
        ("gebruikt", "gebruiken"),  # "ge-" of the verb itself, not of the participle
    ],
)
def test_participle_infinitive(participle, infinitive):
    assert participle_infinitive(participle) == infinitive
