"""Reading raw bytes safely: size limits, binary detection and text decoding."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ingest.errors import IngestError

_TEXT_ENCODINGS = ("utf-8", "cp1252", "latin-1")
_MAX_CONTROL_RATIO = 0.02

# Characters that print badly or split words once text is extracted; NFKC would change too much else.
_CHAR_FIXES = {
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space
    "\u2007": " ",  # figure space
    "\u2009": " ",  # thin space
    "\u200b": "",  # zero-width space
    "\u00ad": "",  # soft hyphen
    "\ufeff": "",  # byte order mark
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
_FIX_TABLE = str.maketrans(_CHAR_FIXES)
_LINE_END_SOFT_HYPHEN = re.compile(r"\u00ad(?=[ \t]*(?:\n|$))")
# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F; \t \n \v \f \r (U+0009-U+000D) are allowed.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or an IngestError for a missing, empty or oversized file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as e:
        raise IngestError(path, "file not found") from e
    except OSError as e:
        raise IngestError(path, f"cannot read file ({e.strerror or e})") from e
    if not path.is_file():
        raise IngestError(path, "not a regular file")
    if size == 0:
        raise IngestError(path, "empty file")
    if size > max_bytes:
        raise IngestError(path, f"file is {size} bytes, over the limit of {max_bytes} bytes")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(path, f"cannot read file ({e.strerror or e})") from e
    return data


def decode_text(path: Path, data: bytes) -> str:
    """Text decoded as UTF-8, else cp1252, else latin-1; binary content is an IngestError."""
    if b"\x00" in data:
        raise IngestError(path, "binary content (NUL bytes) in a text file")
    text = None
    for encoding in _TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:  # latin-1 decodes every byte, so this is unreachable; kept for clarity
        raise IngestError(path, "cannot decode text")
    if text.startswith("\ufeff"):
        text = text[1:]
    controls = len(_CONTROLS.findall(text))  # a regex, not a loop over every character (ingest speed)
    if controls > max(2, _MAX_CONTROL_RATIO * len(text)):
        raise IngestError(path, "binary content (control characters) in a text file")
    if not text.strip():
        raise IngestError(path, "file contains no text")
    return text


def normalise_chars(text: str) -> str:
    """Ligatures, odd spaces and soft hyphens replaced; compatibility forms folded where safe."""
    # A soft hyphen where a line ends marks a word split by the layout; elsewhere it is invisible.
    text = _LINE_END_SOFT_HYPHEN.sub("-", text).translate(_FIX_TABLE)
    if text.isascii():
        return text
    # NFKC only on characters that have a compatibility decomposition and are not private-use
    # (bullets like U+F0B7 must survive) nor superscript digits (footnote marks in some PDFs).
    # Only the non-ASCII runs are looked at character by character: most of a Dutch text is ASCII.
    return _NON_ASCII_RUN.sub(
        lambda run: "".join(unicodedata.normalize("NFKC", ch) if _safe_to_fold(ch) else ch for ch in run.group()), text
    )


def _safe_to_fold(ch: str) -> bool:
    if ch.isascii():
        return False
    decomposition = unicodedata.decomposition(ch)
    if not decomposition.startswith("<"):
        return False
    return not decomposition.startswith(("<super>", "<sub>", "<fraction>"))
