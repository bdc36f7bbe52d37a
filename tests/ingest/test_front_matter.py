"""The header block of Council and Commission documents kept out of the searchable passages."""

from __future__ import annotations

from ingest.front_matter import split_front_matter
from ingest.lines import SourceLine, SourceText
from ingest.structure import build_passages


def lines(*texts: str) -> list[SourceLine]:
    return [SourceLine(text) for text in texts]


def texts(source: list[SourceLine]) -> list[str]:
    return [line.text for line in source]


def test_a_council_note_header_as_a_pdf_prints_it() -> None:
    front = split_front_matter(lines(
        "Raad van de Europese Unie", "Brussel, 3 maart 2025", "(OR. en)", "6789/25", "LIMITE", "JAI 321",
        "COSI 45", "EUROPOL", "NOTA", "van: het voorzitterschap", "aan: het Permanent Comité voor de operationele",
        "samenwerking op het gebied van de binnenlandse veiligheid", "nr. vorig doc.: 5432/25",
        "Betreft: Voorbereiding van de volgende Empact-cyclus", "– Bespreking",
        "Inleiding", "De delegaties treffen hierbij een nota aan over de volgende cyclus.",
    ))
    assert texts(front.fields)[-1] == "nr. vorig doc.: 5432/25" and len(front.fields) == 13
    assert texts(front.title) == ["Betreft: Voorbereiding van de volgende Empact-cyclus", "– Bespreking"]
    assert texts(front.body)[0] == "Inleiding"


def test_an_english_header_and_a_commission_title_block() -> None:
    note = split_front_matter(lines(
        "Council of the European Union", "Brussels, 14 May 2025", "8123/25", "NOTE", "From: Presidency",
        "To: Delegations", "Subject: Drug trafficking: state of play", "1. The Presidency invites delegations to ...",
    ))
    assert texts(note.title) == ["Subject: Drug trafficking: state of play"] and len(note.fields) == 6
    communication = split_front_matter(lines(
        "EUROPESE COMMISSIE", "Straatsburg, 5.12.2023", "COM(2023) 790 final",
        "MEDEDELING VAN DE COMMISSIE AAN HET EUROPEES PARLEMENT, DE RAAD, HET EUROPEES",
        "ECONOMISCH EN SOCIAAL COMITÉ EN HET COMITÉ VAN DE REGIO'S", "over de aanpak van drugshandel",
        "1. INLEIDING", "De Commissie stelt voor ...",
    ))
    assert len(communication.fields) == 3 and len(communication.title) == 3
    assert texts(communication.body)[0] == "1. INLEIDING"


def test_content_that_merely_starts_in_capitals_is_not_a_header() -> None:
    source = lines("EUROPOL", "Europol ondersteunt de lidstaten bij de bestrijding van zware criminaliteit.")
    front = split_front_matter(source)
    assert (front.fields, front.title, texts(front.body)) == ([], [], texts(source))
    only_header = lines("Brussel, 3 maart 2025", "6789/25")
    assert texts(split_front_matter(only_header).body) == texts(only_header)  # nothing left: not a header


def test_header_lines_stay_in_the_text_but_yield_no_passage() -> None:
    source = SourceText(lines(
        "LIMITE", "COSI 98", "ENFOPOL 250", "RESULTAAT BESPREKINGEN", "van: het secretariaat-generaal van de Raad",
        "d.d.: 13 juni 2024", "Betreft: Conclusies van de Raad over de bestrijding van", "georganiseerde criminaliteit",
        "DE RAAD VAN DE EUROPESE UNIE,", "1. erkennend dat de samenwerking een centrale rol vervult;",
    ), pages=1)
    result = build_passages(source, "doc.txt")
    title, *rest = result.passages
    assert result.text.startswith("LIMITE\nCOSI 98\nENFOPOL 250\nRESULTAAT BESPREKINGEN\nvan: ")
    assert (title.kind, title.section_path, title.seq) == ("heading", ["front matter"], 0)
    assert title.text == "Betreft: Conclusies van de Raad over de bestrijding van georganiseerde criminaliteit"
    assert [p.seq for p in result.passages] == list(range(len(result.passages)))
    assert all(result.text[p.char_start:p.char_end] == p.text for p in result.passages)
    assert [p.text for p in rest][:1] == ["DE RAAD VAN DE EUROPESE UNIE,"] and rest[0].section_path == []
