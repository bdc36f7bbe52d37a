"""OCR of scanned PDFs: a two-page Council-style scan (an image-only PDF) read back with tesseract."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from ingest import IngestError, parse_file

DPI = 300
PAGE_SIZE = (round(8.27 * DPI), round(11.69 * DPI))  # A4
MARGIN = DPI  # one inch
BODY_PT, NOTE_PT, LEADING_PT = 11, 8, 15
FOOTER = "10512/24     JAI.1     NL"

# (indent in points, text); a blank text is an empty line. Point labels hang left of their text.
# The scan is an excerpt from the middle of the conclusions: the points follow an addressee block.
SCANNED_PAGES = [
    [
        (0, "Conclusies van de Raad over de meest bedreigende criminele netwerken"),
        (0, ""),
        (0, "verzoekt de Raad de lidstaten:"),
        (0, "18.   erop toe te zien dat de georganiseerde criminaliteit als ernstige"),
        (28, "bedreiging voor de interne veiligheid van de Unie wordt aangepakt;"),
        (0, "19.   tweejaarlijks een inventarisatie te maken van de meest bedreigende"),
        (28, "criminele netwerken, in nauwe samenwerking met Europol en Eurojust;"),
    ],
    [
        (0, "20.   de nationale contactpunten tegen eind 2025 volledig operationeel te"),
        (28, "maken en daarover verslag uit te brengen aan het Permanent Comité;"),
        (0, ""),
        (0, "verzoekt de Raad Europol:"),
        (0, "21.   de lidstaten bij de inventarisatie te steunen met een jaarlijkse dreigings-"),
        (28, "analyse voor de rechtshandhavingsinstanties."),
    ],
]


def pixels(points: float) -> int:
    return round(points * DPI / 72)


def truetype_font(size_pt: int):  # type: ignore[no-untyped-def]
    """DejaVu Sans where installed (Debian fonts-dejavu-core), else Pillow's own scalable font."""
    from PIL import ImageFont

    found = sorted(Path("/usr/share/fonts").glob("**/DejaVuSans.ttf"))
    if found:
        return ImageFont.truetype(str(found[0]), pixels(size_pt))
    return ImageFont.load_default(size=pixels(size_pt))


def write_scanned_pdf(path: Path) -> Path:
    """An image-only PDF: each page a 300 dpi black-and-white scan of text, with the running footer and page number."""
    from PIL import Image, ImageDraw

    body, small = truetype_font(BODY_PT), truetype_font(NOTE_PT)
    images = []
    speckles = random.Random(24)
    for number, lines in enumerate(SCANNED_PAGES, 1):
        image = Image.new("L", PAGE_SIZE, 255)
        draw = ImageDraw.Draw(image)
        y = MARGIN
        for indent, text in lines:
            assert draw.textlength(text, font=body) + pixels(indent) < PAGE_SIZE[0] - 2 * MARGIN
            draw.text((MARGIN + pixels(indent), y), text, font=body, fill=0)
            y += pixels(LEADING_PT)
        footer_y = PAGE_SIZE[1] - MARGIN
        draw.text((MARGIN, footer_y), FOOTER, font=small, fill=0)
        draw.text((PAGE_SIZE[0] - MARGIN, footer_y), str(number), font=body, fill=0, anchor="ra")
        images.append(_as_scanned(image, speckles))
    images[0].save(path, save_all=True, append_images=images[1:], resolution=DPI)
    return path


def _as_scanned(image, speckles: random.Random):  # type: ignore[no-untyped-def]
    """What a scanner makes of a printed page: slightly skewed, specks of dust, black and white."""
    from PIL import Image

    image = image.rotate(0.5, resample=Image.Resampling.BICUBIC, fillcolor=255)
    dots = image.load()
    for _ in range(5000):
        dots[speckles.randrange(image.width), speckles.randrange(image.height)] = 0
    return image.point(lambda value: 0 if value < 160 else 255).convert("1")


def ocr_missing_reason(language: str = "nld") -> str | None:
    """Why OCR cannot run on this machine (a missing tool or language), or None."""
    for tool, package in (("tesseract", "tesseract-ocr"), ("pdftoppm", "poppler-utils")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian package {package})"
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout
    if language not in listed.split():
        return f"tesseract has no '{language}' language data (Debian package tesseract-ocr-{language})"
    return None


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scanned_pdf(tmp_path_factory.mktemp("scan") / "gescand.pdf")


@pytest.fixture(scope="module")
def ocr_document(scanned_pdf: Path):
    reason = ocr_missing_reason()
    if reason:
        pytest.skip(f"OCR test needs tesseract with Dutch: {reason}")
    return parse_file(scanned_pdf)


def body_points(document) -> dict[str, object]:
    return {p.paragraph: p for p in document.passages if p.kind == "body" and p.paragraph}


def test_scanned_pdf_has_no_text_layer(scanned_pdf: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(scanned_pdf)
    assert len(reader.pages) == 2
    assert all(not page.extract_text().strip() for page in reader.pages)


def test_ocr_recovers_numbered_points_with_pages_and_addressees(ocr_document) -> None:
    found = body_points(ocr_document)
    assert {"18", "19", "20", "21"} <= set(found)
    nineteen = found["19"]
    assert nineteen.page == 1 and found["20"].page == 2 and found["21"].page == 2
    words = nineteen.text.lower()
    assert all(word in words for word in ("tweejaarlijks", "inventarisatie", "bedreigende", "netwerken"))
    assert nineteen.text.lower().startswith("tweejaarlijks")  # the hanging label is not part of the text
    assert "criminele netwerken" in words  # the wrapped line is joined to its point
    assert nineteen.addressees is not None and "lidstaten" in nineteen.addressees.lower()
    assert found["20"].addressees == nineteen.addressees  # the block runs on over the page break
    assert found["21"].addressees is not None and "europol" in found["21"].addressees.lower()
    assert "dreigingsanalyse" in found["21"].text  # a word hyphenated at the line end is joined
    assert ocr_document.metadata.pages == 2
    title = ocr_document.passages[0]
    assert title.text.lower().startswith("conclusies") and "verzoekt" not in title.text  # kept apart by the gap


def test_ocr_drops_the_running_footer_and_page_numbers(ocr_document) -> None:
    for passage in ocr_document.passages:
        assert "JAI" not in passage.text and "10512" not in passage.text
        assert not passage.text.strip().isdigit()
    assert ocr_document.metadata.doc_number == "10512/24"  # read from the first page's footer


def test_without_tesseract_a_scan_is_refused_with_the_reason(scanned_pdf: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    monkeypatch.setenv("PATH", str(empty_path))  # the tools are looked up on PATH, as in a bare install
    with pytest.raises(IngestError, match="no text layer.*tesseract.*not installed") as raised:
        parse_file(scanned_pdf)
    assert raised.value.path == str(scanned_pdf)


def test_missing_language_data_is_named(scanned_pdf: Path) -> None:
    reason = ocr_missing_reason()
    if reason:
        pytest.skip(f"needs tesseract with Dutch: {reason}")
    with pytest.raises(IngestError, match="no language data for xxx"):
        parse_file(scanned_pdf, ocr_language="xxx")
