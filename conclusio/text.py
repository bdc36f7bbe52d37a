"""Text that is safe to show: control characters a terminal or a page would act on are removed.

File names, notes and document text come from outside. An escape sequence in a file name
("\\x1b]0;...") would retitle or repaint a terminal, a carriage return would overwrite what was
printed before it, and a bidirectional override would show a name other than the one stored. What is
printed or rendered keeps its letters and loses those controls; the stored value stays as it was.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls except tab and newline, DEL, C1 controls, and the bidirectional embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n]+")


def printable(text: str | None, *, one_line: bool = False) -> str:
    """``text`` without control characters; with ``one_line`` also without line breaks or tabs."""
    if not text:
        return ""
    clean = _CONTROLS.sub("", str(text))
    return _LINE_BREAKS.sub(" ", clean) if one_line else clean


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """JSON with non-ASCII kept readable and every control character escaped (so none reaches a terminal raw)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, default=str)
    # json escapes C0 controls itself; DEL, C1 and bidirectional controls are valid in JSON strings but not on a screen.
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
