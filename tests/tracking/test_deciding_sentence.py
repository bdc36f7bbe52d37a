"""The deciding sentence of a roadmap action in a later progress report, on a small roadmap and report of
our own, ingested with the real pipeline, the USE embedder and the SQLite store.

Rules for the genre of Council progress reports:
- the report's own "Actie N" section decides "Actie N"; a section on another action does not, however
  close its words are;
- within the section, the sentence that reports what happened decides, not the one restating the aim;
- a completion by someone else in the section shows work on the action, not its completion.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracking.status import track

ROADMAP = """Brussel, 15.1.2024
COM(2024) 990 final

**MEDEDELING VAN DE COMMISSIE AAN DE RAAD**

**over een stappenplan voor veilige binnenhavens**

## 1. PRIORITAIRE ACTIES

### Actie 7: Een register van risicovolle binnenvaartschepen

De Commissie zal in 2024 een gemeenschappelijk register van risicovolle binnenvaartschepen opzetten.

### Actie 8: Opleiding van het havenpersoneel

De Commissie zal een opleidingsprogramma voor havenpersoneel over de herkenning van verborgen ladingen ontwikkelen.

### Actie 9: Samenwerking met de rivierpolitie

De Commissie zal in 2024 een handboek voor de samenwerking tussen havenbeheerders en rivierpolitie opstellen.
"""

REPORT = """Brussel, 3 maart 2025
(OR. nl)

7001/25

**NOTA**

van:	het voorzitterschap
aan:	de Raad
nr. vorig doc.:	COM(2024) 990 final
Betreft:	Stappenplan voor veilige binnenhavens – Verslag over de uitvoering

## Stand van zaken

### Actie 7: Een register van risicovolle binnenvaartschepen

Het doel van deze actie was een gemeenschappelijk register van risicovolle binnenvaartschepen op te zetten, zodat controles gerichter worden.

Het register van risicovolle binnenvaartschepen werd in november 2024 door de Commissie gelanceerd. Ook het opleidingsprogramma voor havenpersoneel over verborgen ladingen werd in het kader van het register al door enkele havens besproken.

### Actie 8: Opleiding van het havenpersoneel

Het doel van deze actie was havenpersoneel beter toe te rusten voor de herkenning van verborgen ladingen.

De Commissie werkt momenteel aan de eerste modules van het opleidingsprogramma, die naar verwachting in juni 2025 beschikbaar zullen zijn.

### Actie 9: Samenwerking met de rivierpolitie

Het doel van deze actie was de samenwerking tussen havenbeheerders en rivierpolitie te verbeteren.

De havenbeheerders van Antwerpen en Duisburg hebben in oktober 2024 een gezamenlijke oefening met de rivierpolitie gehouden.
"""

AS_OF = date(2025, 3, 31)


@pytest.fixture(scope="module")
def rows(tmp_path_factory, test_settings, embedder, nlp_pipeline):
    from application.pipeline import ingest_paths
    from index import open_store

    folder = tmp_path_factory.mktemp("havens")
    Path(folder, "stappenplan.md").write_text(ROADMAP, encoding="utf-8")
    Path(folder, "verslag.md").write_text(REPORT, encoding="utf-8")
    settings = test_settings.with_(store_dir=tmp_path_factory.mktemp("havens-store"))
    store = open_store(settings)
    report = ingest_paths([folder], settings=settings, store=store, embedder=lambda: embedder, pipeline=lambda: nlp_pipeline)
    assert report.evidence_refreshed
    found = {row.obligation.paragraph: row for row in track(store, None, as_of=AS_OF)
             if row.obligation.source_file == "stappenplan.md"}
    yield found
    store.close()


def _action(rows, number: str):
    row = next((row for label, row in rows.items() if label and label.startswith(f"Actie {number}")), None)
    assert row is not None, sorted(rows)
    return row


def test_the_sentence_that_reports_what_happened_decides_not_the_aim(rows) -> None:
    row = _action(rows, "7")
    assert row.deciding is not None
    assert "werd in november 2024 door de Commissie gelanceerd" in row.deciding.text
    assert row.progress == "done"


def test_a_section_on_another_action_does_not_decide(rows) -> None:
    row = _action(rows, "8")
    assert row.progress == "in progress", row.deciding
    assert "momenteel aan de eerste modules" in row.deciding.text
    report_links = [link for link in row.evidence if link.source_file == "verslag.md"]
    assert report_links
    assert all("register" not in link.text for link in report_links), [link.text for link in report_links]


def test_what_others_did_in_the_section_is_work_on_the_action_not_its_completion(rows) -> None:
    row = _action(rows, "9")
    assert row.progress == "in progress", row.deciding
    assert "gezamenlijke oefening" in row.deciding.text
