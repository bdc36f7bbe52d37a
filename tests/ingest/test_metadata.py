"""Metadata from a document's own header: dates, numbers, classification, codes and kind."""

from __future__ import annotations

import pytest

from ingest.metadata import detect_language, extract_metadata, header_lines, parse_date

NOTE_HEADER = """Raad van de
Europese Unie
Brussel, 3 april 2024 (OR. en)
8123/1/24 REV 1
RESTREINT UE/EU RESTRICTED
**JAI 512**
**COSI 77**
**ENFOPOL 140**
**EUROPOL**
NOTA
van: het voorzitterschap
aan: het Permanent Comité operationele samenwerking binnenlandse veiligheid
nr. vorig doc.: 7001/24, 7002/24 en ST 6500/24
Betreft: Voorbereiding van de volgende Empact-cyclus
Inleiding
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13 juni 2024", "2024-06-13"),
        ("Brussel, 18.10.2023", "2023-10-18"),
        ("op 1 maart 2025 (OR. en)", "2025-03-01"),
        ("2024-12-31", "2024-12-31"),
        ("31 februari 2024", None),
        ("geen datum", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_header_of_a_presidency_note() -> None:
    metadata = extract_metadata(header_lines(NOTE_HEADER), [], pages=4, language="nl")
    assert metadata.doc_number == "8123/24 REV 1"
    assert metadata.date == "2024-04-03"
    assert metadata.classification == ["RESTREINT UE/EU RESTRICTED"]
    assert metadata.codes == ["JAI 512", "COSI 77", "ENFOPOL 140", "EUROPOL"]
    assert metadata.previous_docs == ["7001/24", "7002/24", "6500/24"]
    assert metadata.kind == "presidency_note"
    assert metadata.title == "Voorbereiding van de volgende Empact-cyclus"
    assert metadata.recipient.startswith("het Permanent Comité")


def test_language_detection_is_deterministic() -> None:
    dutch = "De Raad verzoekt de lidstaten de samenwerking met Europol te versterken en verslag uit te brengen."
    assert {detect_language(dutch) for _ in range(3)} == {"nl"}
    assert detect_language("The Council calls on the Member States to strengthen cooperation with Europol.") == "en"
    assert detect_language("   ") is None


@pytest.mark.parametrize(("header", "expected"), [
    ("Federaal actieplan 2026-2028\nICMH\nGoedgekeurd door de Ministerraad op 20 februari 2026\n", "2026-02-20"),
    ("Nationaal uitvoeringsplan\nVastgesteld door de ministerraad op 3 maart 2026\n", "2026-03-03"),
    # a place and date line comes first; a sentence that only mentions an approval dates nothing
    ("Brussel, 12 juni 2026\nGoedgekeurd door de Raad op 11 juni 2026\n", "2026-06-12"),
    ("Actieplan\nHet vorige plan werd goedgekeurd op 3 maart 2021 en liep tot eind 2025.\n", None),
])
def test_a_plan_without_a_place_and_date_line_is_dated_by_its_approval_line(header: str, expected: str | None) -> None:
    assert extract_metadata(header_lines(header), [], pages=1, language="nl").date == expected


@pytest.mark.parametrize(("header", "expected"), [
    ("Strategie tegen ondermijning\nUtrecht, 2 maart 2027. De provincie heeft deze strategie vastgesteld.\n", "2027-03-02"),
    ("Actieagenda\nMinisterie van Defensie – Den Helder, 5 mei 2027\n", "2027-05-05"),
    ("Raad van de Europese Unie – Luxemburg, 12 oktober 2027 – 9876/27 – JAI 55\n", "2027-10-12"),
    ("Nationaal plan\nRotterdam, le 3 juin 2027\n", "2027-06-03"),
    # a date in running text of the header, not after a place and a comma, dates nothing
    ("Actieplan\nIn 2021 werd op 3 maart 2021 een eerste plan gepubliceerd.\n", None),
])
def test_a_place_and_date_anywhere_in_a_header_line_dates_the_document(header: str, expected: str | None) -> None:
    assert extract_metadata(header_lines(header), [], pages=1, language="nl").date == expected
