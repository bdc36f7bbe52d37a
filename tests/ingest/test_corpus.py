"""The five sample documents: metadata, units, addressees, pages and footnotes recovered."""

from __future__ import annotations

import re

import pytest

from conclusio.records import Document, Passage


def body(document: Document) -> list[Passage]:
    return [p for p in document.passages if p.kind != "footnote"]


def by_label(document: Document, label: str) -> list[Passage]:
    return [p for p in body(document) if p.paragraph == label and p.kind == "body"]


def test_offsets_point_into_the_cleaned_text(corpus: dict[str, Document]) -> None:
    for document in corpus.values():
        for seq, passage in enumerate(document.passages):
            assert passage.seq == seq
            assert document.text[passage.char_start:passage.char_end] == passage.text
        key = document.metadata.doc_number or document.source_file
        ids = [p.passage_id for p in document.passages]
        assert len(set(ids)) == len(ids) and all(i.startswith(f"{key}#") for i in ids)


def test_metadata_of_the_council_conclusions(corpus: dict[str, Document]) -> None:
    first, last = corpus["000"].metadata, corpus["004"].metadata
    assert (first.kind, first.date, first.doc_number) == ("council_conclusions", "2024-06-13", None)
    assert first.previous_docs == ["10512/24"]
    assert first.title == "Conclusies van de Raad over het in kaart brengen van de meest bedreigende criminele netwerken"
    assert first.sender == "het secretariaat-generaal van de Raad" and first.recipient == "de delegaties"
    assert (last.kind, last.date, last.doc_number, last.previous_docs) == (
        "council_conclusions", "2023-12-04", None, ["15327/23"])
    assert last.title == "Conclusies van de Raad over de verdere stappen voor criminaliteitspreventie in Europa"
    assert first.language == last.language == "nl"
    assert first.classification == [] and first.codes == []


def test_metadata_of_the_communication_and_the_note(corpus: dict[str, Document]) -> None:
    communication, note = corpus["001"].metadata, corpus["002"].metadata
    assert (communication.kind, communication.doc_number, communication.date) == (
        "commission_communication", "COM(2023) 641", "2023-10-18")
    assert communication.title.startswith("MEDEDELING VAN DE COMMISSIE")
    assert communication.title.endswith("drugshandel en georganiseerde criminaliteit")
    assert (note.kind, note.doc_number, note.date) == ("presidency_note", "15571/25", "2025-11-21")
    assert note.classification == ["LIMITE"]
    assert note.codes[:2] == ["COSI 231", "ENFOPOL 430"] and note.codes[-2:] == ["EUDA", "EUROPOL"]
    assert len(note.codes) == 11
    assert note.previous_docs == ["10270/24", "16293/24", "8913/25"]
    assert note.sender == "het voorzitterschap"
    assert note.title.startswith("De bestrijding van drugshandel en georganiseerde criminaliteit")


def test_declaration_is_recognised_from_its_content(corpus: dict[str, Document]) -> None:
    declaration = corpus["003"].metadata
    assert declaration.kind == "declaration"
    assert declaration.title == "BIJLAGE: Belangrijkste samenwerkingsgebieden en -methoden"
    assert declaration.doc_number is None and declaration.date is None


def test_references_are_found_and_normalised(corpus: dict[str, Document]) -> None:
    found = {(r.kind, r.normalised) for r in corpus["000"].metadata.references}
    assert {("council_doc", "14114/23"), ("council_doc", "8085/21"), ("council_doc", "14542/23 REV 2"),
            ("legal_act", "Richtlijn (EU) 2024/1260")} <= found
    found = {(r.kind, r.normalised) for r in corpus["001"].metadata.references}
    assert {("com", "COM(2021) 170"), ("council_doc", "8927/20"), ("legal_act", "Verordening (EU) 2021/444")} <= found
    assert ("com", "COM(2004) 165") in {(r.kind, r.normalised) for r in corpus["004"].metadata.references}
    for document in corpus.values():
        normalised = [r.normalised for r in document.metadata.references]
        assert len(normalised) == len(set(normalised))


@pytest.mark.parametrize(("prefix", "count"), [("000", 29), ("004", 16)])
def test_every_numbered_point_is_exactly_one_passage(corpus: dict[str, Document], prefix: str, count: int) -> None:
    document = corpus[prefix]
    numbered = [p for p in body(document) if p.paragraph and p.paragraph.isdigit()]
    assert [p.paragraph for p in numbered] == [str(n) for n in range(1, count + 1)]
    for passage in numbered:
        assert not re.match(r"^\d+\.\s", passage.text), "the label is not repeated in the text"


def test_point_19_of_000_carries_its_block_and_whole_text(corpus: dict[str, Document]) -> None:
    (point,) = by_label(corpus["000"], "19")
    assert point.addressees == "verzoekt de Raad de lidstaten en Europol:"
    assert point.text.startswith("tweejaarlijks een inventarisatie")
    assert "Om de werklast tot een minimum te beperken" in point.text
    assert point.text.endswith("wanneer dat passend wordt geacht;")
    (point_27,) = by_label(corpus["000"], "27")
    assert point_27.addressees == "verzoekt de Raad Europol:"
    assert "legale bedrijfsstructuren" in point_27.text  # "bedrijfs-" + "structuren" rejoined
    assert [p.addressees for p in by_label(corpus["000"], "9")] == [None]  # considerations, no block


def test_addressee_blocks_of_004(corpus: dict[str, Document]) -> None:
    document = corpus["004"]
    assert by_label(document, "1")[0].addressees == "VERZOEKT DE LIDSTATEN OM:"
    assert by_label(document, "4")[0].addressees == (
        "VERZOEKT HET SECRETARIAAT VAN HET EUROPEES NETWERK VOOR CRIMINALITEITSPREVENTIE (ENCP) OM:")
    assert by_label(document, "10")[0].addressees == "VERZOEKT DE EUROPESE COMMISSIE OM:"
    (point_3,) = by_label(document, "3")
    assert "a) toezicht te houden" in point_3.text and "d) de functies van de knooppunten" in point_3.text
    assert (point_3.page, point_3.page_end) == (6, 7)
    cosi = [p for p in body(document) if p.text.startswith("DRAAGT HET COSI OP")]
    assert cosi and cosi[0].addressees == "DRAAGT HET COSI OP om"
    recitals = [p for p in body(document) if p.text.startswith(("ZICH ERVAN BEWUST", "VERWIJZEND", "BENADRUKKEND"))]
    assert recitals and all(p.addressees is None and p.paragraph is None for p in recitals)


def test_standalone_lettered_points_of_000(corpus: dict[str, Document]) -> None:
    lettered = [p for p in body(corpus["000"]) if p.paragraph and p.paragraph.endswith(")")]
    assert [p.paragraph for p in lettered] == [f"{chr(c)})" for c in range(ord("a"), ord("p") + 1)]
    assert all(p.section_path[-1] == "Inleiding" for p in lettered)


@pytest.mark.parametrize("prefix", ["001", "002"])
def test_the_seventeen_actions_are_recovered(corpus: dict[str, Document], prefix: str) -> None:
    headings = [p for p in corpus[prefix].passages if p.kind == "heading" and (p.paragraph or "").startswith("Actie")]
    assert [p.paragraph for p in headings] == [f"Actie {n}" for n in range(1, 18)]
    assert headings[0].section_path[-1] == "Actie 1: De douanegemeenschap mobiliseren tegen drugshandel"
    under_four = [p for p in body(corpus[prefix]) if p.paragraph == "Actie 4" and p.kind == "body"]
    assert under_four and all(p.section_path[-1].startswith("Actie 4: ") for p in under_four)


def test_no_page_break_or_footnote_text_leaks_into_body(corpus: dict[str, Document]) -> None:
    for document in corpus.values():
        footnote_texts = [p.text for p in document.passages if p.kind == "footnote" and len(p.text) > 25]
        for passage in body(document):
            assert "<sup>" not in passage.text and "**" not in passage.text and "\ue000" not in passage.text
            assert not passage.text.startswith(" ")
            assert not any(text in passage.text for text in footnote_texts)
            assert not re.search(r"^\d{1,2} (Doc\.|COM|PB)", passage.text, re.MULTILINE)


def test_paragraphs_continue_over_a_footnote_block(corpus: dict[str, Document]) -> None:
    texts = [p.text for p in body(corpus["001"])]
    assert any("aan een overdosis drugs" in t and t.startswith("Het wereldwijde bereik") for t in texts)
    assert any("criminele activiteiten uit te voeren. De EU moet" in t for t in texts)
    assert not any(t.startswith(("drugsgelateerd geweld", "waarborgen en haar")) for t in texts)


def test_footnotes_are_linked_to_their_marks(corpus: dict[str, Document]) -> None:
    document = corpus["000"]
    footnotes = {p.footnote_label: p for p in document.passages if p.kind == "footnote"}
    assert sorted(footnotes, key=int) == [str(n) for n in range(1, 7)]
    assert footnotes["4"].text == "Doc. 14114/23."
    (point_b,) = [p for p in body(document) if p.paragraph == "b)"]
    assert point_b.footnote_refs[:1] == ["1"] and "(2021-2025) wil" in point_b.text
    assert footnotes["1"].cited_by == point_b.passage_id
    assert "2021-2025 en het EU-drugsactieplan" in point_b.text  # mark "2" removed from "2021-20252"
    for document in corpus.values():
        for footnote in (p for p in document.passages if p.kind == "footnote"):
            assert footnote.cited_by is not None, (document.source_file, footnote.footnote_label)


def test_pages_are_counted(corpus: dict[str, Document]) -> None:
    assert corpus["000"].metadata.pages == 11
    assert corpus["004"].metadata.pages == 9
    (point_20,) = by_label(corpus["000"], "20")
    assert point_20.page == 10
    pages = [p.page for p in body(corpus["001"])]
    assert pages == sorted(pages) and pages[-1] > 20


def test_declaration_bullets_carry_their_lead_in(corpus: dict[str, Document]) -> None:
    document = corpus["003"]
    bullets = [p for p in body(document) if p.addressees and p.addressees.endswith("zullen wij:")]
    assert len(bullets) == 6
    assert "a) de verwevenheid" in bullets[-1].text and "e) het in acht nemen" in bullets[-1].text
    assert not any(p.text.startswith(("\uf0b7", "- ")) for p in body(document))


def test_a_document_does_not_reference_itself(corpus: dict[str, Document]) -> None:
    for document in corpus.values():
        own = document.metadata.doc_number
        assert own is None or own not in {r.normalised for r in document.metadata.references}


# What a header line looks like, written independently of the ingest patterns: a subject code, a
# classification, a document type, a place and date, a document number, "(OR. en)" or a van/aan field.
_BARE_HEADER_LINE = re.compile(
    r"^(?:[A-Z][A-Z-]{2,14}(?: \d{1,5})?|LIMITE|NOTA|RESULTAAT BESPREKINGEN|\(OR\. \w+\)|\d{4,5}/\d{2}"
    r"|COM\(\d{4}\) \d+ final|(?:Brussel|Brussels), [\w .]+\d{4}"
    r"|(?:van|aan|d\.d\.|nr\. vorig doc\.)\s*:.*)$"
)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_passage_is_a_bare_header_line(corpus: dict[str, Document], prefix: str) -> None:
    document = corpus[prefix]
    for passage in document.passages:
        for line in passage.text.split("\n"):
            assert not (_BARE_HEADER_LINE.match(line) and line not in {"BIJLAGE", "INLEIDING"}), (prefix, line)
    assert not any(p.text.upper() == "EUROPOL" for p in document.passages)


@pytest.mark.parametrize(("prefix", "header", "title"), [
    ("000", "nr. vorig doc.: 10512/24", "Betreft: Conclusies van de Raad over het in kaart brengen"),
    ("001", "COM(2023) 641 final", "MEDEDELING VAN DE COMMISSIE AAN HET EUROPEES PARLEMENT EN DE RAAD\nover het"),
    ("002", "EUROPOL\nNOTA\nvan: het voorzitterschap", "Betreft: De bestrijding van drugshandel"),
    ("004", "d.d.: 4 december 2023", "Betreft: Conclusies van de Raad over de verdere stappen"),
])
def test_the_header_stays_in_the_text_and_only_its_title_is_a_passage(
        corpus: dict[str, Document], prefix: str, header: str, title: str) -> None:
    document = corpus[prefix]
    first = document.passages[0]
    assert header in document.text[:first.char_start]
    assert (first.kind, first.section_path, first.seq) == ("heading", ["front matter"], 0)
    assert first.text.startswith(title)
    assert not any(p.section_path == ["front matter"] for p in document.passages[1:])
    assert "front matter" not in document.passages[1].section_path  # the content's sections start afresh
    references = {r.normalised for r in document.metadata.references}
    assert set(document.metadata.previous_docs) <= references  # cited in the header, still a reference


def test_a_document_without_a_header_loses_nothing(corpus: dict[str, Document]) -> None:
    document = corpus["003"]
    assert document.passages[0].char_start == 0
    assert not any(p.section_path == ["front matter"] for p in document.passages)
