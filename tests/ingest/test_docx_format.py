"""Word ingestion: heading styles, automatic and literal numbering, footnotes from the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import IngestError, parse_file


def test_structure_of_a_word_document(council_docx: Path) -> None:
    document = parse_file(council_docx)
    headings = [(p.text, p.section_path) for p in document.passages if p.kind == "heading"]
    assert headings[:3] == [
        ("Betreft: Conclusies van de Raad over criminaliteitspreventie", ["front matter"]),
        ("Conclusies van de Raad over criminaliteitspreventie",
         ["Conclusies van de Raad over criminaliteitspreventie"]),
        ("Inleiding", ["Conclusies van de Raad over criminaliteitspreventie", "Inleiding"]),
    ]
    assert document.text.startswith("Brussel, 4 december 2023\n\nBetreft:")  # the date stays in the text, not a passage
    assert not any(p.text.startswith("Brussel") for p in document.passages)
    points = {p.paragraph: p for p in document.passages if p.kind == "body" and p.paragraph}
    assert list(points) == ["1", "2", "3"]  # 1 and 2 from Word numbering, 3 written out
    assert points["1"].addressees == "VERZOEKT DE LIDSTATEN OM:"
    assert points["3"].addressees == "VERZOEKT DE EUROPESE COMMISSIE OM:"
    assert "a) toezicht te houden" in points["2"].text and "b) activiteiten" in points["2"].text
    closing = [p for p in document.passages if p.text.startswith("De Raad zal")]
    assert closing[0].addressees is None and closing[0].section_path[-1] == "Slotbepalingen"
    assert document.metadata.date == "2023-12-04"
    assert document.metadata.title == "Conclusies van de Raad over criminaliteitspreventie"


def test_footnotes_of_a_word_document(council_docx: Path) -> None:
    document = parse_file(council_docx)
    (note,) = [p for p in document.passages if p.kind == "footnote"]
    point = next(p for p in document.passages if p.paragraph == "1")
    assert (note.footnote_label, note.text, note.cited_by) == ("1", "Besluit 2009/902/JBZ van de Raad.", point.passage_id)
    assert point.footnote_refs == ["1"]
    assert any(r.normalised == "Besluit 2009/902/JBZ" for r in document.metadata.references)


def test_a_broken_word_file_is_an_ingest_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(IngestError, match="broken.docx"):
        parse_file(broken)
    text = tmp_path / "text.docx"
    text.write_text("gewone tekst", encoding="utf-8")
    with pytest.raises(IngestError, match="not a Word file"):
        parse_file(text)


def test_header_fields_in_a_table(tmp_path: Path) -> None:
    import docx

    word = docx.Document()
    word.add_paragraph("NOTA")
    table = word.add_table(rows=3, cols=2)
    for row, (name, value) in enumerate([("van:", "het voorzitterschap"), ("aan:", "het Comité"),
                                         ("Betreft:", "Bestrijding van drugshandel")]):
        table.cell(row, 0).text, table.cell(row, 1).text = name, value
    word.add_paragraph("De Raad wordt verzocht nota te nemen van dit verslag.")
    path = tmp_path / "nota.docx"
    word.save(str(path))
    metadata = parse_file(path).metadata
    assert (metadata.sender, metadata.recipient, metadata.title, metadata.kind) == (
        "het voorzitterschap", "het Comité", "Bestrijding van drugshandel", "presidency_note")
