"""OCR for scanned PDFs (no text layer) with the tesseract and pdftoppm command-line tools.

Each page is rendered at 300 dpi by pdftoppm and read by tesseract as hOCR, which gives every
line's position and letter size; the PDF reader turns those lines into the same line records it
builds from a text layer, so running headers, footers, page numbers and footnotes are handled alike.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError

RESOLUTION_DPI = 300
PAGE_TIMEOUT_S = 180  # per command and page: a dense 300 dpi page takes a few seconds
_POINTS_PER_PIXEL = 72 / RESOLUTION_DPI
_TOOLS = (("tesseract", "tesseract-ocr"), ("pdftoppm", "poppler-utils"))
_LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}
_TITLE_FIELD = re.compile(r"(\w+)\s+([^;]*)")
# tesseract's OpenMP threads fight over busy cores; one thread per page is faster on a shared machine.
_ONE_THREAD_VARIABLES = {"OMP_THREAD_LIMIT": "1"}


@dataclass(frozen=True)
class OcrLine:
    """One line tesseract read, placed like PDF text: points from the page's left and bottom edges."""

    text: str
    x: float
    y: float  # the baseline
    size: float  # tesseract's estimate of the line's letter height (ascender to descender)


def ocr_available() -> bool:
    """True when both tesseract and pdftoppm are installed."""
    return all(shutil.which(tool) is not None for tool, _package in _TOOLS)


def ocr_pdf(path: Path, page_count: int, language: str) -> list[list[OcrLine]]:
    """The lines of every page of a scanned PDF, or an IngestError saying why OCR cannot run."""
    _check_tools(path, language)
    pages: list[list[OcrLine]] = []
    with tempfile.TemporaryDirectory(prefix="conclusio-ocr-") as work:
        for number in range(1, page_count + 1):
            image = Path(work) / f"page-{number}"
            _run(path, number, ["pdftoppm", "-r", str(RESOLUTION_DPI), "-gray", "-png", "-singlefile",
                                "-f", str(number), "-l", str(number), str(Path(path).resolve()), str(image)])
            hocr = _run(path, number, ["tesseract", f"{image}.png", "stdout", "-l", language, "hocr"])
            pages.append(_hocr_lines(path, number, hocr))
            Path(f"{image}.png").unlink(missing_ok=True)  # a 300 dpi page is ~1 MB; keep one at a time
    if not any(pages):
        raise IngestError(path, "no text layer and OCR found no text")
    return pages


def _check_tools(path: Path, language: str) -> None:
    missing = [f"{tool} (Debian package {package})" for tool, package in _TOOLS if shutil.which(tool) is None]
    if missing:
        raise IngestError(path, f"no text layer (scanned PDF?) and {' and '.join(missing)} "
                                f"{'is' if len(missing) == 1 else 'are'} not installed, so it cannot be OCR'd")
    listed = _run(path, None, ["tesseract", "--list-langs"])
    installed = {line.strip() for line in listed.splitlines()[1:]}  # first line names the data folder
    absent = [part for part in language.split("+") if part not in installed]
    if absent:
        raise IngestError(path, f"no text layer (scanned PDF?) and tesseract has no language data for "
                                f"{', '.join(absent)} (Debian package tesseract-ocr-{absent[0]})")


def _run(path: Path, page: int | None, command: list[str]) -> str:
    where = f" on page {page}" if page else ""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PAGE_TIMEOUT_S, check=False,
                              env={**os.environ, **_ONE_THREAD_VARIABLES})
    except subprocess.TimeoutExpired as e:
        raise IngestError(path, f"OCR failed{where} ({command[0]} ran over {PAGE_TIMEOUT_S} s)") from e
    except OSError as e:
        raise IngestError(path, f"OCR failed{where} ({command[0]}: {e})") from e
    if done.returncode != 0:
        raise IngestError(path, f"OCR failed{where} ({command[0]}: {done.stderr.strip()[:200]})")
    return done.stdout


def _hocr_lines(path: Path, page: int, hocr: str) -> list[OcrLine]:
    """The non-empty lines of one page's hOCR, in points with the origin at the bottom left."""
    try:
        root = ElementTree.fromstring(hocr)
    except ElementTree.ParseError as e:
        raise IngestError(path, f"OCR failed on page {page} (unreadable tesseract output: {e})") from e
    page_box = next((_title(node).get("bbox") for node in root.iter() if "ocr_page" in _classes(node)), None)
    page_height = page_box[3] if page_box and len(page_box) == 4 else 0.0
    lines: list[OcrLine] = []
    for node in root.iter():
        if not _classes(node) & _LINE_CLASSES:
            continue
        words = ["".join(word.itertext()).strip() for word in node.iter() if "ocrx_word" in _classes(word)]
        text = " ".join(word for word in words if word)
        if not any(ch.isalnum() for ch in text):  # specks and rules read as "|" or "—"
            continue
        title = _title(node)
        if len(title.get("bbox", [])) != 4:
            continue
        left, top, _right, bottom = title["bbox"]
        baseline = bottom + title.get("baseline", [0.0])[-1]  # "baseline slope offset", from the box bottom
        size = title.get("x_size", [bottom - top])[0]
        lines.append(OcrLine(text, left * _POINTS_PER_PIXEL, (page_height - baseline) * _POINTS_PER_PIXEL,
                             size * _POINTS_PER_PIXEL))
    return lines


def _classes(node: ElementTree.Element) -> set[str]:
    return set(node.get("class", "").split())


def _title(node: ElementTree.Element) -> dict[str, list[float]]:
    """hOCR properties ("bbox 0 0 10 10; x_size 42") as numbers."""
    fields: dict[str, list[float]] = {}
    for name, values in _TITLE_FIELD.findall(node.get("title", "")):
        try:
            fields[name] = [float(value) for value in values.split()]
        except ValueError:  # non-numeric properties ("image" file names) are not needed
            continue
    return fields
