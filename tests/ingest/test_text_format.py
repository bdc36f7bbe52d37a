"""Text converted from PDF: page-break artefacts, footnote blocks and glued marks, both styles."""

from __future__ import annotations

from pathlib import Path

from ingest import parse_file
from ingest.text_format import read_text

SEPARATOR = " " * 49

COUNCIL_STYLE = "\n\n".join([
    " RESULTAAT BESPREKINGEN",
    "van: het secretariaat-generaal van de Raad",
    "d.d.: 9 maart 2025",
    "Betreft: Conclusies van de Raad over de bestrijding van",
    "cybercriminaliteit",
    "DE RAAD VAN DE EUROPESE UNIE,",
    "VERWIJZEND naar de strategie voor de veiligheidsunie (2020-2025)1 en de conclusies",
    "van de Raad over ransomware2, waarin de lidstaten worden opgeroepen de samenwerking te",
    "versterken;",
    "VERZOEKT DE LIDSTATEN OM:",
    "1. de capaciteit van hun rechtshandhavingsinstanties voor digitale onderzoeken te",
    "versterken en de samenwerking met het Europees Centrum voor cybercriminaliteit bij",
    SEPARATOR,
    "1 COM(2020) 605 final.",
    "2 Doc. 9364/24.",
    " Europol verder te intensiveren, in het bijzonder bij de bestrijding van ransomware en van",
    "de verkoop van gestolen gegevens op het darknet;",
    "2. tegen eind 2026 verslag uit te brengen over de stand van zaken.",
])

MARKDOWN_STYLE = """Brussel, 3.5.2024
COM(2024) 200 final

**MEDEDELING VAN DE COMMISSIE AAN HET EUROPEES PARLEMENT EN DE RAAD**

## 1. INLEIDING

De Commissie zal in 2025 een evaluatie<sup>1</sup> uitvoeren van de bestaande regels inzake de

---

<sup>1</sup> Zie COM(2023) 641 final.

bestrijding van drugsprecursoren en de resultaten aan de Raad voorleggen.

### ***Actie 1: Precursoren sneller registreren***

*Belangrijkste actoren: Commissie, lidstaten*

De Commissie zal een voorstel indienen.
"""


def test_council_style_pages_footnotes_and_marks() -> None:
    source = read_text(COUNCIL_STYLE)
    assert source.pages == 2
    assert [(f.label, f.text, f.page) for f in source.footnotes] == [
        ("1", "COM(2020) 605 final.", 1), ("2", "Doc. 9364/24.", 1)]
    assert not any(line.text.startswith(" ") or "COM(2020) 605" in line.text for line in source.lines)


def test_council_style_document(tmp_path: Path) -> None:
    path = tmp_path / "cyber.txt"
    path.write_text(COUNCIL_STYLE, encoding="utf-8")
    document = parse_file(path)
    points = {p.paragraph: p for p in document.passages if p.kind == "body" and p.paragraph}
    assert list(points) == ["1", "2"]
    assert points["1"].text.endswith("gestolen gegevens op het darknet;")
    assert (points["1"].page, points["1"].page_end) == (1, 2)
    assert points["1"].addressees == "VERZOEKT DE LIDSTATEN OM:"
    recital = next(p for p in document.passages if p.text.startswith("VERWIJZEND"))
    assert "(2020-2025) en de conclusies" in recital.text and "ransomware, waarin" in recital.text
    assert recital.footnote_refs == ["1", "2"]
    assert document.metadata.date == "2025-03-09"
    assert document.metadata.title == "Conclusies van de Raad over de bestrijding van cybercriminaliteit"


def test_markdown_style_document(tmp_path: Path) -> None:
    path = tmp_path / "mededeling.md"
    path.write_text(MARKDOWN_STYLE, encoding="utf-8")
    document = parse_file(path)
    metadata = document.metadata
    assert (metadata.doc_number, metadata.date, metadata.kind) == ("COM(2024) 200", "2024-05-03", "commission_communication")
    body = [p for p in document.passages if p.kind == "body"]
    evaluation = next(p for p in body if p.text.startswith("De Commissie zal in 2025"))
    assert evaluation.text.endswith("aan de Raad voorleggen.") and evaluation.footnote_refs == ["1"]
    assert (evaluation.page, evaluation.page_end) == (1, 2)
    proposal = next(p for p in body if p.text == "De Commissie zal een voorstel indienen.")
    assert proposal.paragraph == "Actie 1" and proposal.section_path[-1] == "Actie 1: Precursoren sneller registreren"
    assert not any("*" in p.text or "<sup>" in p.text for p in document.passages)


def test_markdown_list_items_without_punctuation_stay_apart(tmp_path: Path) -> None:
    path = tmp_path / "lijst.md"
    path.write_text("## Acties\n\nDe Commissie zal:\n\n- een studie laten uitvoeren\n- de lidstaten raadplegen\n"
                    "  over de resultaten\n- verslag uitbrengen\n", encoding="utf-8")
    bullets = [p for p in parse_file(path).passages if p.addressees == "De Commissie zal:"]
    assert [b.text for b in bullets] == [
        "een studie laten uitvoeren", "de lidstaten raadplegen over de resultaten", "verslag uitbrengen"]


def test_a_bold_opening_cut_by_a_page_break_is_no_heading(tmp_path: Path) -> None:
    path = tmp_path / "mededeling.md"
    path.write_text(
        "***Actie 3: Het juridische kader versterken***\n\n"
        "De Commissie zal met de lidstaten samenwerken.\n\n"
        "**Richtlijn 2011/36/EU inzake de voorkoming en bestrijding van mensenhandel en de bescherming van**\n\n"
        "---\n\n<sup>12</sup> PB L 101 van 15.4.2011, blz. 1.\n\n"
        "**slachtoffers daarvan**<sup>13</sup> zal in 2025 worden geëvalueerd.\n\n"
        "Daarnaast wordt een studie uitgevoerd.\n", encoding="utf-8")
    passages = parse_file(path).passages
    assert not any(p.kind == "heading" and p.text.startswith("Richtlijn") for p in passages)
    sentence = next(p for p in passages if p.text.startswith("Richtlijn 2011/36/EU"))
    assert sentence.text.endswith("zal in 2025 worden geëvalueerd.") and sentence.paragraph == "Actie 3"
    assert next(p for p in passages if p.text.startswith("Daarnaast")).paragraph == "Actie 3"


def test_markdown_notes_without_a_rule_are_still_notes(tmp_path: Path) -> None:
    path = tmp_path / "noten.md"
    path.write_text("## Inleiding\n\nDe Raad heeft conclusies aangenomen<sup>1</sup>.\n\n"
                    "<sup>1</sup> Doc. 11153/24.\n\nDe Commissie zal verslag uitbrengen.\n", encoding="utf-8")
    passages = parse_file(path).passages
    assert [p.text for p in passages if p.kind == "body"] == [
        "De Raad heeft conclusies aangenomen.", "De Commissie zal verslag uitbrengen."]
    (note,) = [p for p in passages if p.kind == "footnote"]
    assert note.text == "Doc. 11153/24." and note.cited_by == passages[1].passage_id


def test_council_footnotes_without_their_rule_are_still_notes() -> None:
    text = COUNCIL_STYLE.replace(SEPARATOR + "\n\n", "")
    source = read_text(text)
    assert [(f.label, f.text, f.page) for f in source.footnotes] == [
        ("1", "COM(2020) 605 final.", 1), ("2", "Doc. 9364/24.", 1)]
    assert not any("COM(2020) 605" in line.text for line in source.lines)


def test_hard_wrapped_text_without_interleaved_blanks(tmp_path: Path) -> None:
    path = tmp_path / "compact.txt"
    path.write_text(COUNCIL_STYLE.replace("\n\n", "\n"), encoding="utf-8")
    document = parse_file(path)
    points = {p.paragraph: p for p in document.passages if p.kind == "body" and p.paragraph}
    assert list(points) == ["1", "2"] and (points["1"].page, points["1"].page_end) == (1, 2)
    assert points["1"].text.endswith("op het darknet;")
    assert [p.footnote_label for p in document.passages if p.kind == "footnote"] == ["1", "2"]


def test_markdown_field_lines_ending_in_a_hard_break_are_paragraphs_of_their_own(tmp_path: Path) -> None:
    # "**Trekker:** ICMH  " with two spaces: Markdown's line break, the next line the next field of the measure.
    path = tmp_path / "plan.md"
    path.write_text("#### Maatregel 1.1 – Campagne\n\n**Maatregel:** Een campagne ontwikkelen en uitrollen,  \n"
                    "**Trekker:** ICMH  \n**Pilote :** COM  \n**Timing:** tweede semester 2026  \n\n"
                    "Een zin die doorloopt  \nop de volgende regel.\n", encoding="utf-8")
    texts = [p.text for p in parse_file(path).passages if p.kind == "body"]
    assert texts == ["Maatregel: Een campagne ontwikkelen en uitrollen,", "Trekker: ICMH", "Pilote : COM",
                     "Timing: tweede semester 2026", "Een zin die doorloopt op de volgende regel."]
