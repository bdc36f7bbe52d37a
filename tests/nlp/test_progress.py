"""Progress reading on Dutch report sentences, with the real spaCy pipeline and deadline parser."""

from __future__ import annotations

from datetime import date

import pytest

from nlp.progress import ProgressReading, classify_progress

REPORT_DATE = date(2025, 11, 21)


@pytest.mark.parametrize(
    "text",
    [
        "De Commissie heeft in maart 2025 haar evaluatieverslag gepubliceerd.",
        "Het actieplan werd in oktober 2024 aan de Raad voorgelegd.",
        "Het netwerk van aanklagers is in juni 2024 opgericht.",
        "De gemeenschappelijke indicatoren zijn door de werkgroep vastgesteld.",
        "In februari 2025 publiceerde Frontex de risicoanalyse.",
        "De lidstaten hebben de richtsnoeren in januari 2025 goedgekeurd.",
        "Het platform werd in mei 2024 in Rotterdam gelanceerd.",
        "In september 2025 hield het netwerk zijn eerste plenaire vergadering.",
        "Cepol heeft een opleidingsmodule over financiële onderzoeken uitgebracht, die door 20 lidstaten wordt gebruikt.",
    ],
)
def test_past_tense_reports_read_as_completed(pipeline, text: str) -> None:
    reading = classify_progress(pipeline, text, REPORT_DATE)
    assert reading.status == "completed", reading
    assert reading.cue


@pytest.mark.parametrize(
    "text",
    [
        "De Commissie is momenteel bezig met een effectbeoordeling.",
        "Europol is de databank aan het uitbreiden.",
        "De evaluatie loopt nog.",
        "Er wordt gewerkt aan een handboek voor de lidstaten.",
        "De tweede ronde van wederzijdse evaluaties is nog steeds aan de gang.",
    ],
)
def test_ongoing_work_reads_as_in_progress(pipeline, text: str) -> None:
    assert classify_progress(pipeline, text, REPORT_DATE).status == "in_progress"


def test_future_date_after_the_deadline_is_rescheduled_with_the_new_date(pipeline) -> None:
    reading = classify_progress(pipeline, "Het verslag zal in juni 2026 worden bekendgemaakt.", REPORT_DATE, "2025-12-31")
    assert reading.status == "rescheduled"
    assert reading.new_end == "2026-06-30"


def test_future_date_within_the_deadline_stays_in_progress(pipeline) -> None:
    reading = classify_progress(pipeline, "Het verslag zal in juni 2026 worden bekendgemaakt.", REPORT_DATE, "2026-12-31")
    assert reading.status == "in_progress"
    assert reading.new_end == "2026-06-30"


def test_plans_without_a_date_are_in_progress(pipeline) -> None:
    reading = classify_progress(pipeline, "De Commissie zal naar verwachting een voorstel indienen.", REPORT_DATE)
    assert reading == ProgressReading("in_progress", None, reading.cue, reading.sentence)


@pytest.mark.parametrize(
    "text",
    [
        "Uit het verslag blijkt dat de meeste netwerken legale bedrijfsstructuren gebruiken.",
        "Drugshandel vormt een grote bedreiging voor de interne veiligheid.",
        "Bovendien werd Europol in het stappenplan verzocht de netwerken in kaart te brengen.",
        "De maatregelen zijn gericht op de bescherming van havens.",
    ],
)
def test_statements_requests_and_states_are_only_mentions(pipeline, text: str) -> None:
    assert classify_progress(pipeline, text, REPORT_DATE).status == "mentioned"


def test_a_plan_still_to_come_keeps_a_text_from_counting_as_completed(pipeline) -> None:
    text = (
        "De werkgroep heeft haar werkzaamheden in januari 2025 afgerond. "
        "Het eindverslag zal in het tweede kwartaal van 2026 worden gepresenteerd."
    )
    reading = classify_progress(pipeline, text, REPORT_DATE, "2025-12-31")
    assert reading.status == "rescheduled"
    assert reading.new_end == "2026-06-30"


def test_a_plan_in_a_relative_clause_leaves_the_main_clause_completed(pipeline) -> None:
    text = "Eurojust heeft een focusgroep opgericht, die de samenwerking met de lidstaten zal versterken."
    assert classify_progress(pipeline, text, REPORT_DATE).status == "completed"


def test_a_discussion_is_work_in_progress_not_delivery(pipeline) -> None:
    reading = classify_progress(pipeline, "De kwestie werd in maart 2025 in de werkgroep besproken.", REPORT_DATE)
    assert reading.status == "in_progress"


def test_a_statement_of_the_aim_is_only_a_mention(pipeline) -> None:
    text = "Het doel van deze maatregel was de samenwerking tussen de douane en de politie te versterken."
    assert classify_progress(pipeline, text, REPORT_DATE).status == "mentioned"


@pytest.mark.parametrize(
    "text",
    [
        "De Raad heeft de instelling van het Europees netwerk van havenautoriteiten (ENHA) in maart 2025 goedgekeurd.",
        "Het handboek is (na raadpleging van de lidstaten) in mei 2025 gepubliceerd.",
    ],
)
def test_a_bracketed_aside_does_not_split_auxiliary_and_participle(pipeline, text: str) -> None:
    assert classify_progress(pipeline, text, REPORT_DATE).status == "completed"


@pytest.mark.parametrize(
    "text",
    [
        "Op 4 maart 2025 vond in Lissabon de eerste bijeenkomst van de contactpunten plaats.",
        "De deskundigengroep kwam in 2024 vier keer bijeen.",
        "In oktober 2025 hielden de douanediensten een gezamenlijke controleactie.",
    ],
)
def test_strong_past_forms_the_lemmatizer_misses_read_as_completed(pipeline, text: str) -> None:
    assert classify_progress(pipeline, text, REPORT_DATE).status == "completed"


@pytest.mark.parametrize(
    "text",
    [
        "De bescherming van kritieke havens kwam ook aan bod tijdens de dialoog met Marokko.",
        "De bestrijding van online rekrutering stond in september 2025 op de agenda van het COSI.",
    ],
)
def test_a_subject_on_the_agenda_is_work_in_progress(pipeline, text: str) -> None:
    assert classify_progress(pipeline, text, REPORT_DATE).status == "in_progress"


@pytest.mark.parametrize(
    "text",
    [
        "Het Cypriotische voorzitterschap heeft zich ingezet voor een betere informatie-uitwisseling met derde landen.",
        "De lidstaten hebben hun inspanningen tegen witwassen in 2025 opgevoerd.",
        "De douanediensten hebben hun samenwerking met de havenbeheerders versterkt.",
        "In het Strategisch Comité heeft in maart 2025 een bespreking plaatsgevonden over de bewaring van gegevens.",
        "Het COSI hield in oktober 2025 een debat over de rekrutering van minderjarigen.",
    ],
)
def test_effort_and_discussion_are_work_in_progress_not_delivery(pipeline, text: str) -> None:
    assert classify_progress(pipeline, text, REPORT_DATE).status == "in_progress"


@pytest.mark.parametrize(
    "text",
    [
        # a launch with a strong participle in -aan, and a separable participle with "voort" read elsewhere
        "Het uitwisselingsprogramma voor douaneambtenaren is in maart 2025 van start gegaan.",
        # what could be done was done: a past "kon/konden" with a passive, across a list of commas
        "Dankzij de studie konden de risico's, de knelpunten en de goede praktijken in kaart worden gebracht.",
        # a past modal in an indirect question is no work under way; the main clause is finished
        "Alle regio's hebben intussen onderzocht of hun plannen moesten worden herzien.",
    ],
)
def test_launches_and_past_abilities_read_as_completed(pipeline, text: str) -> None:
    assert classify_progress(pipeline, text, REPORT_DATE).status == "completed"


@pytest.mark.parametrize(
    "text",
    [
        "De douanediensten zetten hun gezamenlijke controles in de havens onverminderd voort.",
        "De werkzaamheden aan het handboek zijn in 2024 voortgezet.",
        "Het agentschap werkt voor de risicoanalyses nauw samen met de nationale kustwachten.",
        "De lidstaten nemen actief deel aan de werkgroepen van het netwerk.",
        "Sinds januari 2025 brengt het agentschap elke maand de nationale contactpunten bijeen.",
        "Ook in 2024 bood de Commissie de nationale autoriteiten doorlopend technische bijstand.",
    ],
)
def test_going_on_with_work_reads_as_in_progress(pipeline, text: str) -> None:
    assert classify_progress(pipeline, text, date(2026, 2, 1)).status == "in_progress"


def test_what_was_done_since_a_date_is_completed(pipeline) -> None:
    reading = classify_progress(pipeline, "Sinds 2024 heeft het netwerk drie handboeken gepubliceerd.", REPORT_DATE)
    assert reading.status == "completed"


def test_a_modal_in_an_inserted_clause_leaves_the_present_passive_ongoing(pipeline) -> None:
    text = "Het actieplan, waarin de samenwerking met de havens moet worden versterkt, wordt door Europol opgesteld."
    assert classify_progress(pipeline, text, REPORT_DATE).status == "in_progress"
