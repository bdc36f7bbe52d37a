"""OCR for scanned PDFs (no text layer) with the tesseract and pdftoppm command-line tools."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ingest.errors import IngestError

_RESOLUTION_DPI = 300
_TIMEOUT_S = 600


def ocr_available() -> bool:
    """True when both tesseract and pdftoppm are installed."""
    return shutil.which("tesseract") is not None and shutil.which("pdftoppm") is not None


def ocr_pdf(path: Path, language: str) -> list[str]:
    """The text of every page of a scanned PDF, or an IngestError when OCR cannot run."""
    if not ocr_available():
        raise IngestError(path, "no text layer (scanned PDF?) and tesseract is not installed")
    with tempfile.TemporaryDirectory(prefix="conclusio-ocr-") as work:
        prefix = Path(work) / "page"
        _run(path, ["pdftoppm", "-r", str(_RESOLUTION_DPI), "-png", str(path), str(prefix)])
        pages: list[str] = []
        for image in sorted(Path(work).glob("page*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[-1])):
            result = _run(path, ["tesseract", str(image), "stdout", "-l", language])
            pages.append(result)
    if not any(page.strip() for page in pages):
        raise IngestError(path, "no text layer and OCR found no text")
    return pages


def _run(path: Path, command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise IngestError(path, f"OCR failed ({command[0]}: {e})") from e
    if done.returncode != 0:
        raise IngestError(path, f"OCR failed ({command[0]}: {done.stderr.strip()[:200]})")
    return done.stdout
