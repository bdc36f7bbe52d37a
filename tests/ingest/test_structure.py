"""The shared structure step on small hand-made sources (the same rules every format relies on)."""

from __future__ import annotations

import pytest

from conclusio.records import Passage
from ingest.lines import FootnoteSource, SourceLine, SourceText, footnote_mark
from ingest.structure import build_passages


def wrapped(*lines: str, page: int = 1) -> list[SourceLine]:
    return [SourceLine(line, page=page) for line in lines]


def structure(lines: list[SourceLine], footnotes: list[FootnoteSource] | None = None,
              soft: bool = True) -> list[Passage]:
    result = build_passages(SourceText(lines, footnotes or [], pages=3, soft_wrapped=soft), "doc.txt")
    for passage in result.passages:
        assert result.text[passage.char_start:passage.char_end] == passage.text
    return result.passages


def labelled(passages: list[Passage]) -> dict[str, Passage]:
    return {p.paragraph: p for p in passages if p.kind == "body" and p.paragraph}


def test_points_sub_points_and_follow_up_paragraphs_stay_one_passage() -> None:
    passages = structure(wrapped(
        "Conclusies van de Raad over de weerbaarheid van havens",
        "VERZOEKT DE LIDSTATEN EN DE COMMISSIE OM:",
        "1. de samenwerking tussen douane en politie te versterken in alle havens van de Unie, met",
        "inbegrip van de kleinere havens die door criminelen worden gebruikt, teneinde:",
        "a) risicoanalyses te delen;",
        "b) gezamenlijke controles te houden;",
        "Daarbij wordt bijzondere aandacht besteed aan de beveiliging van containerterminals in de",
        "grote havens.",
        "2. tegen eind 2025 verslag uit te brengen aan de Raad over de uitvoering van deze conclusies.",
    ))
    points = labelled(passages)
    assert list(points) == ["1", "2"]
    assert "a) risicoanalyses te delen;\nb) gezamenlijke controles" in points["1"].text
    assert "containerterminals in de grote havens." in points["1"].text
    assert points["1"].addressees == points["2"].addressees == "VERZOEKT DE LIDSTATEN EN DE COMMISSIE OM:"
    block = next(p for p in passages if p.text == "VERZOEKT DE LIDSTATEN EN DE COMMISSIE OM:")
    assert block.kind == "heading" and block.section_path[-1] == block.text


def test_a_number_in_running_text_is_not_a_point() -> None:
    passages = structure(wrapped(
        "1. de Commissie te verzoeken de Empact-cyclus voor de periode van 2026 tot en met",
        "2029. Daarbij wordt rekening gehouden met de nieuwe dreigingsevaluatie van Europol.",
    ))
    assert list(labelled(passages)) == ["1"]
    assert "2029. Daarbij" in passages[0].text


def test_recital_ends_the_block_and_a_point_may_name_its_own_addressee() -> None:
    passages = structure(wrapped(
        "verzoekt de Raad de lidstaten:",
        "1. nationale contactpunten aan te wijzen;",
        "BENADRUKKEND dat preventie een integrerend deel is van het beleid;",
        "2. VERZOEKT de Commissie om tegen 2026 een evaluatie voor te leggen;",
        "3. ERKENT het belang van de samenwerking met derde landen.",
        "NODIGT het voorzitterschap UIT om de Raad op de hoogte te houden.",
    ))
    points = labelled(passages)
    assert points["1"].addressees == "verzoekt de Raad de lidstaten:"
    assert points["2"].addressees == "VERZOEKT de Commissie om"
    assert points["3"].addressees is None
    recital = next(p for p in passages if p.text.startswith("BENADRUKKEND"))
    assert recital.addressees is None and recital.paragraph is None
    closing = passages[-1]
    assert closing.addressees == "NODIGT het voorzitterschap UIT om" and closing.kind == "body"


def test_standalone_lettered_points_and_bullets_with_a_lead_in() -> None:
    passages = structure(wrapped(
        "Inleiding",
        "a) De drugshandel is een grote bedreiging voor de veiligheid van de Unie en haar burgers.",
        "b) Criminele netwerken gebruiken steeds vaker geweld en corruptie.",
        "Samenwerking",
        "Om deze doelen te bereiken, zullen wij:",
        "\uf0b7 informatie delen via Europol;",
        "\uf0b7 gezamenlijke onderzoeken opzetten.",
    ))
    points = labelled(passages)
    assert list(points) == ["a)", "b)"]
    assert points["a)"].text.startswith("De drugshandel") and points["a)"].section_path == ["Inleiding"]
    bullets = [p for p in passages if p.addressees == "Om deze doelen te bereiken, zullen wij:"]
    assert [b.text for b in bullets] == ["informatie delen via Europol;", "gezamenlijke onderzoeken opzetten."]
    assert bullets[0].section_path == ["Samenwerking"]


def test_action_sections_label_their_paragraphs() -> None:
    passages = structure([
        SourceLine("Prioritaire acties", heading_level=2, hard_break=True),
        SourceLine("Actie 4: De criminele netwerken in kaart brengen", heading_level=3, hard_break=True),
        SourceLine("Europol zal begin 2024 de netwerken in kaart brengen.", hard_break=True),
        SourceLine("Actie 5: Een netwerk van aanklagers", hard_break=True),
        SourceLine("Eurojust zal het netwerk ondersteunen.", hard_break=True),
        SourceLine("Conclusies", heading_level=2, hard_break=True),
        SourceLine("De Commissie zal verslag uitbrengen.", hard_break=True),
    ], soft=False)
    by_text = {p.text: p for p in passages}
    assert by_text["Europol zal begin 2024 de netwerken in kaart brengen."].paragraph == "Actie 4"
    assert by_text["Eurojust zal het netwerk ondersteunen."].section_path == [
        "Prioritaire acties", "Actie 5: Een netwerk van aanklagers"]
    assert by_text["Actie 5: Een netwerk van aanklagers"].kind == "heading"
    assert by_text["De Commissie zal verslag uitbrengen."].paragraph is None


def test_footnotes_follow_the_body_and_point_back() -> None:
    passages = structure(
        wrapped(f"1. de strategie{footnote_mark('1')} uit te voeren;", f"2. het actieplan{footnote_mark('2')} te evalueren."),
        [FootnoteSource("1", "Doc. 8085/21.", 1), FootnoteSource("2", "PB C 272 van 8.7.2021.", 1)],
    )
    points = labelled(passages)
    notes = [p for p in passages if p.kind == "footnote"]
    assert points["1"].text == "de strategie uit te voeren;" and points["1"].footnote_refs == ["1"]
    assert [(n.footnote_label, n.cited_by) for n in notes] == [("1", points["1"].passage_id), ("2", points["2"].passage_id)]
    assert [p.seq for p in passages] == list(range(len(passages)))


def test_a_paragraph_over_a_page_break_keeps_both_pages() -> None:
    passages = structure(
        wrapped("1. de lidstaten te verzoeken de samenwerking met Europol en Eurojust verder te versterken en", page=4)
        + wrapped("daarover tegen eind 2025 verslag uit te brengen.", page=5)
    )
    assert (passages[0].page, passages[0].page_end) == (4, 5)


def test_an_addressee_block_that_lost_its_colon() -> None:
    passages = structure(wrapped(
        "verzoekt de Raad de lidstaten en Europol",
        "1. de gegevens over criminele netwerken tweejaarlijks te actualiseren;",
        "2. de methode voor de inventarisatie verder te verfijnen.",
    ))
    points = labelled(passages)
    assert points["1"].addressees == points["2"].addressees == "verzoekt de Raad de lidstaten en Europol"


def test_a_dash_list_inside_a_numbered_point_stays_in_it() -> None:
    passages = structure(wrapped(
        "verzoekt de Raad de Commissie:",
        "1. een verslag in te dienen over:",
        "\u2013 de uitvoering van de routekaart;",
        "\u2013 de financiering van de acties;",
        "2. de lidstaten te ondersteunen.",
    ))
    points = labelled(passages)
    assert list(points) == ["1", "2"]
    assert "de uitvoering van de routekaart;" in points["1"].text and "de financiering" in points["1"].text


@pytest.mark.parametrize("line, kind", [
    ("Actie 2: Het RIEC zal in 2028 een signaleringsoverleg met de woningcorporaties inrichten.", "body"),
    ("Maatregel 7. Gemeenten dienen uiterlijk 1 juli 2028 een wijkaanpak vast te stellen.", "body"),
    ("Actie 3: De provincies worden verzocht een regionaal meldpunt in te richten. Het meldpunt sluit aan bij de politie.",
     "body"),
    ("Maatregel 8 – Toezicht. Het toezicht versterken. Trekker: ILT. Termijn: 2028.", "body"),  # fields inline
    ("Actie 4: Het toezicht op de jachthavens versterken", "heading"),  # a title
    ("Actie 5: De veiligheid in de wijken verbeteren waar de handel in drugs overlast geeft voor bewoners.", "heading"),
])
def test_an_action_set_out_in_running_text_after_its_number_is_a_unit_a_title_heads_one(line, kind) -> None:
    lines = [SourceLine("Acties", heading_level=2, hard_break=True), SourceLine(line, hard_break=True),
             SourceLine("De uitvoering begint in 2028.", hard_break=True)]
    passages = structure(lines, soft=False)
    label = " ".join(line.split()[:2]).rstrip(":.")
    first = next(p for p in passages if p.paragraph == label)
    assert first.kind == kind
    if kind == "body" and "zal" in line or "dienen" in line or "verzocht" in line:
        assert not first.text.startswith(label)  # read without its number, as a numbered point is
