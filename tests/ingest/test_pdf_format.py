"""PDF ingestion on a generated Council-style PDF: furniture removed, footnotes and pages kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import IngestError, parse_file


@pytest.fixture(scope="module")
def document(council_pdf: Path):
    return parse_file(council_pdf)


def points(document) -> dict[str, object]:
    return {p.paragraph: p for p in document.passages if p.kind == "body" and p.paragraph}


def test_metadata_from_the_first_page_and_the_footer(document) -> None:
    metadata = document.metadata
    assert metadata.doc_number == "10512/24"  # from the running footer
    assert metadata.previous_docs == ["9876/24"]
    assert metadata.date == "2024-06-13"
    assert metadata.kind == "council_conclusions"
    assert metadata.title == "Conclusies van de Raad over de bestrijding van georganiseerde criminaliteit"
    assert metadata.pages == 3
    assert metadata.classification == ["LIMITE"] and metadata.codes == ["COSI 98", "ENFOPOL 250"]
    assert document.media_type == "application/pdf"


def test_running_header_footer_and_page_numbers_are_removed(document) -> None:
    for passage in document.passages:
        assert "JAI.1" not in passage.text
        assert passage.text != "Raad van de Europese Unie"
        assert not passage.text.strip().isdigit()


def test_points_pages_and_addressees(document) -> None:
    found = points(document)
    assert [label for label in found] == ["1", "2", "3", "4", "5"]
    assert [found[label].page for label in found] == [1, 1, 2, 2, 3]
    assert found["2"].addressees == "verzoekt de Raad de lidstaten:"
    assert found["4"].addressees == "verzoekt de Raad Europol:"
    assert "a) een overzicht" in found["3"].text and "b) een beoordeling" in found["3"].text
    for passage in document.passages:
        assert document.text[passage.char_start:passage.char_end] == passage.text


def test_dehyphenation_joins_split_words_and_keeps_real_hyphens(document) -> None:
    found = points(document)
    assert "rechtshandhavingsinstanties" in found["1"].text
    assert "EU-lidstaten" in found["2"].text


def test_footnotes_are_separated_and_linked(document) -> None:
    found = points(document)
    notes = {p.footnote_label: p for p in document.passages if p.kind == "footnote"}
    assert notes["1"].text == "Doc. 8085/21 + ADD 1." and notes["1"].page == 1
    assert notes["3"].text == "Doc. 14114/23." and notes["3"].page == 2
    assert notes["1"].cited_by == found["1"].passage_id
    assert notes["3"].cited_by == found["4"].passage_id
    assert found["1"].footnote_refs == ["1"] and found["2"].footnote_refs == ["2"]
    assert "(2021-2025) en de samenwerking" in found["1"].text  # raised mark removed from the text
    assert "Doc. 14114" not in found["4"].text


def test_encrypted_pdf_is_refused(council_pdf: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(council_pdf).pages:
        writer.add_page(page)
    writer.encrypt(user_password="geheim", owner_password="eigenaar")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(IngestError, match="encrypted PDF"):
        parse_file(locked)


def test_truncated_and_corrupt_pdfs_are_refused(council_pdf: Path, tmp_path: Path) -> None:
    data = council_pdf.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match="truncated"):
        parse_file(truncated)
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    with pytest.raises(IngestError) as raised:
        parse_file(garbage)
    assert raised.value.path == str(garbage)


def test_pdf_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    from ingest.ocr import ocr_available

    scanned = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(scanned))
    pdf.rect(100, 100, 300, 400, fill=1)  # an "image" of a page: drawing, no text
    pdf.showPage()
    pdf.save()
    if ocr_available():
        pytest.skip("tesseract is installed here; the refusal path cannot be observed")
    with pytest.raises(IngestError, match="no text layer"):
        parse_file(scanned)


def test_justified_paragraphs_with_baseline_marks(tmp_path: Path) -> None:
    """A layout engine's PDF (platypus): justified text, marks in a smaller font on the baseline."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = ParagraphStyle("body", fontName="Times-Roman", fontSize=12, leading=15, alignment=TA_JUSTIFY)
    story = [Paragraph("VERZOEKT DE COMMISSIE OM:", style)]
    story += [Paragraph(f"{n}. de samenwerking met de douane<super>{n}</super> in de havens van de Unie te versterken "
                        "en daarover tegen eind 2025 verslag uit te brengen aan de Raad en het Europees Parlement;",
                        style) for n in (1, 2)]

    def furniture(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("Times-Roman", 7)
        canvas.drawString(72, 104, "1")
        canvas.drawString(72, 92, "2")
        canvas.setFont("Times-Roman", 9)
        canvas.drawString(80, 100, "Doc. 9397/25.")
        canvas.drawString(80, 88, "Verordening (EU) 2021/444.")

    path = tmp_path / "platypus.pdf"
    SimpleDocTemplate(str(path)).build(story, onFirstPage=furniture)
    document = parse_file(path)
    found = points(document)
    assert list(found) == ["1", "2"]
    assert found["1"].footnote_refs == ["1"] and found["2"].footnote_refs == ["2"]
    assert "douane in de havens" in found["1"].text
    notes = {p.footnote_label: p.text for p in document.passages if p.kind == "footnote"}
    assert notes == {"1": "Doc. 9397/25.", "2": "Verordening (EU) 2021/444."}
