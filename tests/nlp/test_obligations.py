"""Obligation units from documents of the genre, through the real pipeline."""

from __future__ import annotations

from dataclasses import replace

import pytest
import spacy

import nlp.factories  # noqa: F401  (registers the components)
from ingest.identity import fingerprint
from nlp import extract_obligations
from tests.nlp.conftest import make_document

BLOCK = "verzoekt de Raad de lidstaten en Europol:"


def test_numbered_points_under_a_block_take_its_addressees(pipeline):
    document = make_document(
        [
            ("3", None, "erkennend dat Europol de lidstaten zal blijven ondersteunen;"),
            (None, BLOCK, BLOCK),
            ("4", BLOCK, "uiterlijk in de loop van 2025 een gemeenschappelijke methode te ontwikkelen, in nauwe samenwerking met Cepol;"),
            ("5", BLOCK, "de resultaten te delen met de Commissie;"),
        ]
    )
    found = extract_obligations(pipeline, document)
    assert [(o.paragraph, o.actors, o.modality) for o in found] == [
        ("4", ["lidstaten", "Europol"], "request"),
        ("5", ["lidstaten", "Europol"], "request"),
    ]
    assert found[0].deadline is not None and found[0].deadline.end == "2025-12-31"
    assert found[0].verbs == ["ontwikkelen"]


def test_separate_request_sentence_inside_a_point_is_its_own_unit(pipeline):
    block = "verzoekt de Raad de Commissie:"
    document = make_document(
        [
            (None, block, block),
            (
                "7",
                block,
                "een verslag op te stellen over de uitvoering; In dit verband worden de lidstaten verzocht hun gegevens tegen eind 2025 te delen. "
                "Daarnaast zal Eurojust een netwerk opzetten;",
            ),
        ]
    )
    found = extract_obligations(pipeline, document)
    assert [(o.actors, o.modality) for o in found] == [
        (["Commissie"], "request"),
        (["lidstaten"], "request"),
        (["Eurojust"], "commitment"),
    ]
    assert found[1].deadline.end == "2025-12-31"
    assert found[0].deadline is None
    # Ids follow each unit's own text (ingest.identity), under the document and the point's label.
    assert [o.id for o in found] == [f"test.txt#7#{fingerprint(o.source_text)}" for o in found]
    assert len({o.id for o in found}) == 3


def test_lettered_sub_points_belong_to_their_parent(pipeline):
    block = "VERZOEKT DE EUROPESE COMMISSIE OM:"
    document = make_document(
        [
            (None, block, block),
            ("2", block, "specifieke werkzaamheden uit te voeren, teneinde:"),
            ("a)", block, "toezicht te houden op de strategieën;"),
            ("b)", block, "activiteiten te ondersteunen;"),
            ("3", block, "de samenwerking te bevorderen."),
        ]
    )
    found = extract_obligations(pipeline, document)
    assert [o.paragraph for o in found] == ["2", "3"]
    assert found[0].actors == ["Commissie"]
    assert "activiteiten te ondersteunen" in found[0].source_text


def test_capitals_request_in_running_text(pipeline):
    document = make_document(
        [
            (None, None, "DRAAGT HET COSI OP om de uitvoering van deze conclusies te monitoren."),
            (None, None, "VERZOEKT HET VOORZITTERSCHAP aan de Raad verslag uit te brengen over de vorderingen."),
        ]
    )
    found = extract_obligations(pipeline, document)
    assert [(o.actors, o.modality) for o in found] == [(["COSI"], "request"), (["voorzitterschap"], "request")]


def test_commission_commitments_in_action_sections(pipeline):
    document = make_document(
        [
            ("Actie 5", None, "De Commissie heeft in 2023 een studie gestart. Daarom zal de Commissie in 2025 een netwerk van deskundigen opzetten."),
            ("Actie 5", None, "Als eerste stap zal een projectgroep worden opgericht met steun van Europol."),
            ("Actie 6", None, "Samen met de lidstaten zal de Commissie richtsnoeren ontwikkelen, met de steun van Eurojust."),
            ("Actie 6", None, "De Commissie moedigt de lidstaten en Europol sterk aan om in 2025 gezamenlijke acties uit te voeren."),
        ],
        date="2024-10-18",
        kind="commission_communication",
    )
    found = extract_obligations(pipeline, document)
    assert [(o.actors, o.modality, o.deadline.end if o.deadline else None) for o in found] == [
        (["Commissie"], "commitment", "2025-12-31"),
        (["Commissie"], "commitment", None),
        (["Commissie", "lidstaten"], "commitment", None),
        (["lidstaten", "Europol"], "request", "2025-12-31"),
    ]
    assert found[0].verbs == ["opzetten"]
    assert found[1].verbs == ["oprichten"]


def test_passive_without_a_named_actor_nearby_is_no_unit(pipeline):
    document = make_document(
        [(None, None, "Het verslag zal in 2025 worden gepubliceerd. De samenwerking moet worden versterkt.")],
        kind="council_conclusions",
    )
    assert extract_obligations(pipeline, document) == []


def test_declaration_commitments_and_list_items(pipeline):
    intro = "Om deze samenwerking voort te zetten, zullen wij:"
    document = make_document(
        [
            (None, None, "Wij zullen ten minste eenmaal per jaar bijeenkomen. We zullen ook samenwerken met derde landen."),
            (None, None, intro),
            (None, intro, "Relevante kennis en analyses delen over georganiseerde criminaliteit."),
            (None, intro, "Criminele netwerken prioriteren en bestrijden."),
        ],
        date=None,
        kind="declaration",
    )
    found = extract_obligations(pipeline, document)
    assert [o.actors for o in found] == [["deelnemende landen"]] * 4
    assert {o.modality for o in found} == {"commitment"}
    assert found[0].deadline.recurrence == "P1Y"
    assert found[2].verbs == ["delen"]


def test_present_tense_with_future_date_is_a_commitment(pipeline):
    document = make_document(
        [("Actie 10", None, "Op 17 en 18 december 2025 organiseert de Commissie een bijeenkomst met de lidstaten.")],
        date="2025-11-21",
        kind="presidency_note",
    )
    (found,) = extract_obligations(pipeline, document)
    assert found.actors == ["Commissie"]
    assert found.deadline.end == "2025-12-18"
    assert found.verbs[0] == "organiseren"


def test_progress_report_sentences_are_not_units(pipeline):
    document = make_document(
        [
            (
                "Actie 4",
                None,
                "Europol heeft in april 2025 een verslag uitgebracht. Europol is bezig met de actualisering van de dataset. "
                "Deze actualisering zal in juni 2026 worden bekendgemaakt.",
            )
        ],
        date="2025-11-21",
        kind="presidency_note",
    )
    (found,) = extract_obligations(pipeline, document)
    assert found.actors == ["Europol"]
    assert found.deadline.end == "2026-06-30"


def test_footnotes_are_skipped_and_offsets_point_into_the_document(pipeline):
    document = make_document(
        [
            ("1", None, "De Commissie zal tegen eind 2025 een voorstel indienen."),
            (None, None, "De Commissie zal dit in 2026 evalueren."),
        ]
    )
    footnote = replace(document.passages[1], kind="footnote")
    document.passages[1] = footnote
    (found,) = extract_obligations(pipeline, document)
    assert document.text[found.char_start : found.char_end] == found.source_text
    assert found.passage_id == document.passages[0].passage_id
    assert found.page == 1


def test_pipeline_registration_with_blank_dutch():
    pipeline = spacy.blank("nl")
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe("conclusio_actor_gazetteer")
    pipeline.add_pipe("conclusio_deadline_tagger")
    pipeline.add_pipe("conclusio_modality")
    pipeline.add_pipe("conclusio_obligation_extractor")
    pipeline.initialize()
    doc = pipeline.make_doc("Daarom zal de Europese Commissie in 2025 een voorstel indienen.")
    doc._.doc_date = "2024-06-13"
    for _, component in pipeline.pipeline:
        doc = component(doc)
    (unit,) = doc._.obligation_units
    assert (unit.actors, unit.modality) == (["Commissie"], "commitment")


def test_block_line_without_ingest_addressees_still_governs_its_points(pipeline):
    document = make_document(
        [
            (None, None, "ROEPT DE LIDSTATEN EN EUROJUST OP OM:"),
            ("1", None, "uiterlijk in de eerste helft van 2026 nationale contactpunten aan te wijzen;"),
            ("2", None, "de samenwerking met derde landen te versterken."),
            (None, None, "De Raad zal de uitvoering van deze conclusies in 2027 evalueren."),
        ]
    )
    found = extract_obligations(pipeline, document)
    assert [(o.paragraph, o.actors, o.modality) for o in found] == [
        ("1", ["lidstaten", "Eurojust"], "request"),
        ("2", ["lidstaten", "Eurojust"], "request"),
        (None, ["Raad"], "commitment"),
    ]
    assert found[0].deadline.end == "2026-06-30"


def test_partner_in_a_block_is_not_an_addressee(pipeline):
    block = "verzoekt de Raad de lidstaten en de Commissie, in nauwe samenwerking met Europol:"
    document = make_document([(None, block, block), ("8", block, "in het eerste halfjaar van 2025 een actieplan op te stellen;")])
    (found,) = extract_obligations(pipeline, document)
    assert found.actors == ["lidstaten", "Commissie"]
    assert found.deadline.end == "2025-06-30"


def test_council_request_in_running_text_names_the_addressee(pipeline):
    document = make_document([(None, None, "De Raad verzoekt de Commissie om uiterlijk eind 2025 verslag uit te brengen.")])
    (found,) = extract_obligations(pipeline, document)
    assert (found.actors, found.modality, found.deadline.end) == (["Commissie"], "request", "2025-12-31")


def test_subject_of_a_subordinate_clause_and_a_fronted_phrase(pipeline):
    document = make_document(
        [
            ("Actie 3", None, "Er werd bepaald welke onderwerpen aan bod komen in de havenstrategie, die de Commissie in 2026 zal goedkeuren."),
            ("Actie 6", None, "Gezien de grensoverschrijdende aard van de criminaliteit zal de AMLA een mechanisme opzetten."),
        ],
        date="2025-11-21",
        kind="presidency_note",
    )
    found = extract_obligations(pipeline, document)
    assert [(o.actors, o.deadline.end if o.deadline else None) for o in found] == [(["Commissie"], "2026-12-31"), (["AMLA"], None)]


COUNCIL_CONCLUSIONS = """ RESULTAAT BESPREKINGEN
d.d.: 9 maart 2025
Betreft: Conclusies van de Raad over de bestrijding van vuurwapenhandel
 BIJLAGE
DE RAAD VAN DE EUROPESE UNIE,
ERKENNEND dat vuurwapenhandel een ernstige bedreiging vormt en dat de lidstaten moeten samenwerken;
VERWIJZEND naar het EU-actieplan 2020-2025 inzake vuurwapenhandel;
VERZOEKT DE LIDSTATEN OM:
1. uiterlijk 31 december 2025 nationale contactpunten aan te wijzen, in nauwe samenwerking met Europol;
2. jaarlijks gegevens over inbeslagnames te delen met Europol, te beginnen in 2026;
VERZOEKT DE COMMISSIE EN FRONTEX OM:
3. de samenwerking met de Westelijke Balkan te versterken. In dit verband wordt Frontex verzocht tegen medio 2026 een risicoanalyse op te stellen;
"""


def test_council_conclusions_through_ingest(tmp_path, pipeline):
    ingest = pytest.importorskip("ingest")
    path = tmp_path / "900_conclusies.txt"
    path.write_text(COUNCIL_CONCLUSIONS, encoding="utf-8")
    found = extract_obligations(pipeline, ingest.parse_file(path))
    assert [(o.paragraph, o.actors, o.deadline.end if o.deadline else None, o.deadline.recurrence if o.deadline else None) for o in found] == [
        ("1", ["lidstaten"], "2025-12-31", None),
        ("2", ["lidstaten"], "2026-12-31", "P1Y"),
        ("3", ["Commissie", "Frontex"], None, None),
        ("3", ["Frontex"], "2026-07-31", None),
    ]


def _communication(*sentences: tuple[str | None, str], date: str = "2024-10-18", kind: str = "commission_communication"):
    return make_document([(label, None, text) for label, text in sentences], date=date, kind=kind)


def test_pronoun_subject_points_back_to_the_previous_sentence(pipeline):
    document = _communication(
        ("Actie 2", "Op basis van haar ervaring zal de havenalliantie beste praktijken bevorderen. Zij zal ook gezamenlijke controles invoeren."),
        ("Actie 3", "Het netwerk is bedoeld als kenniscentrum voor aanklagers. Zij zullen de dialoog tussen de autoriteiten bevorderen."),
        ("Actie 4", "Bovendien heeft de Commissie middelen vrijgemaakt. Zij zal in 2025 oproepen tot het indienen van voorstellen organiseren."),
    )
    found = extract_obligations(pipeline, document)
    assert [(o.paragraph, o.actors) for o in found] == [
        ("Actie 2", ["havenalliantie"]),
        ("Actie 2", ["havenalliantie"]),
        ("Actie 3", ["netwerk"]),
        ("Actie 4", ["Commissie"]),
    ]
    assert found[-1].deadline.end == "2025-12-31"


def test_subject_before_an_apposition_and_a_bare_subject_after_the_verb(pipeline):
    document = _communication(
        (None, "Een werkgroep, bestaande uit deskundigen uit de deelnemende landen, zal de bijeenkomsten voorbereiden."),
        (None, "Vertegenwoordigers van de deelnemende landen, inclusief hun ministeries, zullen ervaringen uitwisselen."),
        (None, "Via dit programma zullen rechtshandhavingsinstanties informatie blijven uitwisselen."),
        (None, "Om de grenzen te beschermen, moet de douane de beschikbare instrumenten blijven gebruiken."),
        date="2024-03-01",
        kind="declaration",
    )
    found = extract_obligations(pipeline, document)
    assert [(o.actors, o.modality) for o in found] == [
        (["werkgroep"], "commitment"),
        (["deelnemende landen"], "commitment"),
        (["rechtshandhavingsinstanties"], "commitment"),
        (["douane"], "obligation"),
    ]


def test_passive_plan_in_a_commission_communication_is_the_commissions(pipeline):
    document = _communication(
        ("Actie 9", "Het kaderbesluit zal met name wat betreft drugshandel in 2025 worden geëvalueerd."),
        ("Actie 5", "Om de samenwerking te versterken, moet met de steun van Eurojust een netwerk van aanklagers worden opgericht."),
        (None, "De samenwerking met derde landen zal in Empact worden voortgezet met steun van de Commissie."),
        ("Actie 6", "Om het profiel op te stellen, moeten verschillende bronnen worden samengevoegd."),
    )
    found = extract_obligations(pipeline, document)
    assert [(o.paragraph, o.actors, o.modality, o.deadline.end if o.deadline else None) for o in found] == [
        ("Actie 9", ["Commissie"], "commitment", "2025-12-31"),
        ("Actie 5", ["Commissie"], "obligation", None),
    ]


def test_plans_proposals_and_co_actors_named_by_a_noun_phrase(pipeline):
    document = _communication(
        ("Actie 11", "Daarom is de Commissie van plan om vanaf 2025 nieuwe registratieregels vast te stellen."),
        ("Actie 15", "Samen met de nationale autoriteiten zal de Commissie een beoordeling van de havens uitvoeren."),
        (None, "Daarom stelt de Commissie het Europees Parlement en de Raad voor om de prioriteiten volledig te onderschrijven."),
        (None, "De EU moet de samenwerking blijven verbeteren met de landen waarvan de kaders door criminelen worden misbruikt."),
    )
    found = extract_obligations(pipeline, document)
    assert [(o.actors, o.modality) for o in found] == [
        (["Commissie"], "commitment"),
        (["Commissie", "nationale autoriteiten"], "commitment"),
        (["Europees Parlement", "Raad"], "request"),
        (["EU"], "obligation"),
    ]
    assert found[0].verbs == ["vaststellen"] and found[0].deadline.end == "2025-12-31"
    assert found[2].verbs == ["onderschrijven"]


def test_verb_second_present_tense_with_a_later_date_is_a_plan(pipeline):
    document = _communication(
        (None, "Zoals aangekondigd in de strategie, start de Commissie in 2025 een evaluatie van het actieplan."),
        (None, "Zoals bekend, start de Commissie in 2023 een studie naar havens."),
        (None, "Het agentschap wordt op 2 juli 2025 operationeel."),
        (None, "Europol organiseert in maart 2025 een conferentie over havens."),
        (None, "Europol heeft in 2025 een verslag gepland."),
        date="2024-10-18",
    )
    found = extract_obligations(pipeline, document)
    assert [(o.actors, o.modality, o.deadline.end) for o in found] == [
        (["Commissie"], "commitment", "2025-12-31"),
        (["Europol"], "commitment", "2025-03-31"),
    ]
    assert found[0].verbs[0] == "starten"


def test_request_quoted_from_council_conclusions_in_a_progress_report_is_no_unit(pipeline):
    sentence = "In deze conclusies verzoekt de Raad de Commissie om het wetgevingskader te actualiseren."
    report = _communication(("Actie 11", sentence), date="2025-11-21", kind="presidency_note")
    own = _communication(("Actie 11", sentence), date="2025-11-21", kind="council_conclusions")
    assert extract_obligations(pipeline, report) == []
    assert [o.actors for o in extract_obligations(pipeline, own)] == [["Commissie"]]


def test_unnamed_co_addressee_and_a_variant_name_of_the_crime_prevention_network(pipeline):
    document = _communication(
        (None, "De Commissie nodigt alle lidstaten en internationale partners uit om hieraan deel te nemen."),
        ("Actie 12", "Samen met de lidstaten en het netwerk inzake criminaliteitspreventie van de EU zal de Commissie in 2025 een conferentie organiseren."),
    )
    found = extract_obligations(pipeline, document)
    assert [o.actors for o in found] == [["lidstaten", "internationale partners"], ["Commissie", "lidstaten", "ENCP"]]
    assert found[0].verbs == ["deelnemen"]


def test_passive_that_says_how_the_previous_action_is_done_is_no_unit_of_its_own(pipeline):
    document = _communication(
        ("Actie 10", "De Commissie zal in 2025 richtsnoeren ontwikkelen. Hierbij zal gebruik worden gemaakt van de ervaring van het netwerk."),
    )
    (found,) = extract_obligations(pipeline, document)
    assert found.verbs == ["ontwikkelen"]


def test_a_bare_definite_body_takes_the_name_it_points_back_to(pipeline):
    document = make_document(
        [
            ("Actie 3", None, "De Commissie werkt samen met platforms via het EU-Internetforum. "
                              "Het forum zal in 2025 richtsnoeren voor moderatie opstellen."),
            ("Actie 4", None, "Er is een speciale projectgroep opgericht. De projectgroep zal in 2025 verslag uitbrengen."),
        ],
        date="2024-10-18",
        kind="commission_communication",
    )
    actors = [o.actors for o in extract_obligations(pipeline, document)]
    assert ["EU-Internetforum"] in actors  # not "forum": the compound named just before
    assert ["projectgroep"] in actors  # no longer name before it: the text's own word stays


@pytest.mark.parametrize("sentence, actors", [
    # a body the gazetteer does not know, joined to one it knows, both open the clause
    ("De spoorwegpolitie en Europol zullen in 2027 een gezamenlijke oefening houden.", ["spoorwegpolitie", "Europol"]),
    # the subject opening the clause acts, not the known body after the verb (its object)
    ("De havenpolitie is voornemens Europol in 2027 te vragen om een analyse.", ["havenpolitie"]),
    ("De Commissie zal in 2027 Europol om een analyse vragen.", ["Commissie"]),
])
def test_the_subject_before_the_verb_acts_though_the_gazetteer_does_not_know_it(pipeline, sentence, actors):
    (unit,) = extract_obligations(pipeline, make_document([(None, None, sentence)], kind=None))
    assert unit.actors == actors


@pytest.mark.parametrize("sentence, actors", [
    ("Op 4 november 2027 organiseren de minister van Defensie en de minister van Buitenlandse Zaken een symposium.",
     ["minister van Defensie", "minister van Buitenlandse Zaken"]),
    ("Op 9 mei 2027 opent de stuurgroep Havenbeveiliging een meldpunt voor havenbedrijven.", ["stuurgroep Havenbeveiliging"]),
    ("Op 1 januari 2028 treedt de nieuwe wet in werking.", None),  # a law is no body: no unit
])
def test_a_dated_present_plan_names_bodies_the_gazetteer_does_not_know(pipeline, sentence, actors):
    found = extract_obligations(pipeline, make_document([(None, None, sentence)], date="2027-02-01", kind=None))
    assert ([o.actors for o in found] or [None])[0] == actors


@pytest.mark.parametrize("sentence, actors, modality", [
    ("Vervoersbedrijven moeten uiterlijk 1 juli 2028 hun personeel trainen in het herkennen van uitbuiting.",
     ["vervoersbedrijven"], "obligation"),
    ("Betaalinstellingen dienen verdachte transacties direct aan de toezichthouder te melden.", ["betaalinstellingen"],
     "obligation"),
    ("Hostingaanbieders zullen in 2028 een gezamenlijke gedragscode opstellen.", ["hostingaanbieders"], "commitment"),
])
def test_market_parties_addressed_as_a_class_act(pipeline, sentence, actors, modality):
    (unit,) = extract_obligations(pipeline, make_document([(None, None, sentence)], date="2027-02-01", kind=None))
    assert (unit.actors, unit.modality) == (actors, modality)


@pytest.mark.parametrize("sentence, actors", [
    ("De provincie roept jachthavenexploitanten op om verdachte schepen te melden.", ["jachthavenexploitanten"]),
    ("Het college roept hostingbedrijven op om meldingen sneller af te handelen.", ["hostingbedrijven"]),
    ("Het college roept de woningcorporaties op om leegstaande panden te melden.", ["woningcorporaties"]),
])
def test_an_appeal_to_a_class_of_bodies_names_them_without_the_verbs_particle(pipeline, sentence, actors):
    (unit,) = extract_obligations(pipeline, make_document([(None, None, sentence)], date="2027-02-01", kind=None))
    assert (unit.actors, unit.modality) == (actors, "request")


def test_an_invited_body_is_named_without_the_short_form_the_text_gives_it_in_brackets(pipeline):
    sentence = "Het college nodigt de Stichting Veilig Wonen (SVW) uit om in 2027 een plan op te stellen."
    (unit,) = extract_obligations(pipeline, make_document([(None, None, sentence)], date="2027-02-01", kind=None))
    assert unit.actors == ["Stichting Veilig Wonen"]


@pytest.mark.parametrize("text, end", [
    ("Het kabinet zal een regionaal meldpunt voor drugsafval inrichten. Dit meldpunt moet medio 2028 operationeel zijn.",
     "2028-07-31"),
    ("De inspectie is voornemens een toezichtsteam op te richten. Deze eenheid moet in 2029 volledig ingericht zijn.",
     "2029-12-31"),
    # a next sentence about something else gives no deadline
    ("Het kabinet zal een regionaal meldpunt inrichten. In 2028 worden de eerste resultaten verwacht.", None),
])
def test_the_next_sentence_saying_by_when_the_result_must_stand_dates_the_unit(pipeline, text, end):
    found = extract_obligations(pipeline, make_document([(None, None, text)], date="2027-02-01", kind=None))
    assert (found[0].deadline.end if found[0].deadline else None) == end
    assert len(found) == 1  # the sentence of the result is no unit of its own
