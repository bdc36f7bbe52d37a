"""Which sentence of a report section decides which commitment, on material of our own, ingested with the real
pipeline, the USE embedder and the SQLite store.

Rules for the genre of Council and Commission progress reports:
- one numbered section ("Actie N", "punten 1 tot en met 3") often reports on several commitments; each of its
  sentences speaks for the commitment it is closest to, so a completion of one does not close its neighbour;
- a sentence of the section that reports on this commitment decides, even where the passage around it is
  about more;
- a report that names the conclusions by a shortened title and their date ("de conclusies van de Raad van
  12 maart 2024") reports on them, in the sections that name their points;
- within one passage, a sentence on the same commitment about work still to come keeps it from being done.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracking.status import track

ROADMAP = """Brussel, 15.1.2024
COM(2024) 991 final

**MEDEDELING VAN DE COMMISSIE AAN DE RAAD**

**over een stappenplan voor de controle van binnenhavens**

## 1. PRIORITAIRE ACTIES

### Actie 4: Controles in binnenhavens

De Commissie zal in 2024 een gemeenschappelijk handboek voor de controle van containers in binnenhavens publiceren.

De lidstaten zullen hun douanepersoneel opleiden in het gebruik van mobiele scanners voor vrachtwagens.
"""

ROADMAP_REPORT = """Brussel, 3 maart 2025
(OR. nl)

7002/25

**NOTA**

van:	het voorzitterschap
aan:	de Raad
nr. vorig doc.:	COM(2024) 991 final
Betreft:	Stappenplan voor de controle van binnenhavens – Verslag over de uitvoering

## Stand van zaken

### Actie 4: Controles in binnenhavens

Het doel van deze actie was de controles in binnenhavens doeltreffender te maken.

Het gemeenschappelijke handboek voor de controle van containers in binnenhavens werd in december 2024 door de Commissie gepubliceerd. Verscheidene lidstaten zijn in januari 2025 begonnen met de opleiding van hun douanepersoneel in het gebruik van mobiele scanners voor vrachtwagens.
"""

CONCLUSIONS = """RAAD VAN DE EUROPESE UNIE

Brussel, 12 maart 2024

RESULTAAT BESPREKINGEN

van: het secretariaat-generaal van de Raad

d.d.: 12 maart 2024

aan: de delegaties

Betreft: Conclusies van de Raad over de bescherming van kritieke infrastructuur in zeehavens

DE RAAD VAN DE EUROPESE UNIE,

VERZOEKT DE LIDSTATEN OM:

1. een nationaal register van kritieke haveninfrastructuur aan te leggen;

2. jaarlijks een oefening van de havenbeveiliging te houden;

VERZOEKT DE EUROPESE COMMISSIE OM:

3. een studie naar de kwetsbaarheid van havenkranen voor cyberaanvallen uit te voeren en de bescherming van havenkranen tegen cyberaanvallen te versterken.
"""

CONCLUSIONS_REPORT = """RAAD VAN DE EUROPESE UNIE

Brussel, 2 februari 2026

6001/26

NOTA

van: het voorzitterschap
aan: de Raad
Betreft: Infrastructuur in zeehavens – Verslag over de uitvoering van de conclusies van de Raad van 12 maart 2024

## 1. Lidstaten (punten 1 en 2)

Alle lidstaten hebben inmiddels een nationaal register van kritieke haveninfrastructuur aangelegd.

## 2. Europese Commissie (punt 3)

De Commissie heeft de studie naar de kwetsbaarheid van havenkranen voor cyberaanvallen in oktober 2025 afgerond. De versterking van de bescherming van havenkranen tegen cyberaanvallen loopt vertraging op en wordt nu pas in 2027 verwacht.
"""


@pytest.fixture(scope="module")
def rows(tmp_path_factory, test_settings, embedder, nlp_pipeline):
    from application.pipeline import ingest_paths
    from index import open_store

    folder = tmp_path_factory.mktemp("binnenhavens")
    for name, text in (("stappenplan.md", ROADMAP), ("verslag.md", ROADMAP_REPORT), ("conclusies.md", CONCLUSIONS),
                       ("verslag_conclusies.md", CONCLUSIONS_REPORT)):
        Path(folder, name).write_text(text, encoding="utf-8")
    settings = test_settings.with_(store_dir=tmp_path_factory.mktemp("binnenhavens-store"))
    store = open_store(settings)
    report = ingest_paths([folder], settings=settings, store=store, embedder=lambda: embedder, pipeline=lambda: nlp_pipeline)
    assert report.evidence_refreshed
    found = list(track(store, None, as_of=date(2026, 3, 1)))
    yield found
    store.close()


def _row(rows, words: str):
    row = next((row for row in rows if words in row.obligation.source_text), None)
    assert row is not None, [row.obligation.source_text for row in rows]
    return row


def test_each_commitment_of_a_section_is_decided_by_its_own_sentence(rows) -> None:
    handbook = _row(rows, "handboek")
    assert handbook.progress == "done", handbook.deciding
    assert "gepubliceerd" in handbook.deciding.text
    training = _row(rows, "opleiden")
    assert training.progress == "in progress", training.deciding
    assert "begonnen met de opleiding" in training.deciding.text


def test_a_report_naming_the_conclusions_by_short_title_and_date_decides_their_points(rows) -> None:
    register = _row(rows, "register van kritieke")
    assert register.deciding is not None and register.deciding.source_file == "verslag_conclusies.md"
    assert register.progress == "done", register.deciding
    exercise = _row(rows, "oefening van de havenbeveiliging")
    assert exercise.progress != "done", exercise.deciding


def test_work_still_to_come_on_the_same_commitment_keeps_it_from_being_done(rows) -> None:
    cranes = _row(rows, "havenkranen")
    assert cranes.progress == "in progress", cranes.deciding
    assert cranes.expected_end is None or cranes.expected_end.startswith("2027")
