"""Footnote marks that a PDF-to-text conversion glued to words: "(2021-2025)1", "misdaad2,".

A mark is only accepted for a footnote that exists on the same page, and marks are found in
label order, so real numbers in the text ("37 derde landen", "2021-2025") are left alone.
"""

from __future__ import annotations

import re

from ingest.lines import MARK_OPEN, SourceLine, SourceText, footnote_mark, split_marks

_FOLLOWING = r"(?=[\s,.;:)\]”’\"]|$)"
_YEAR = re.compile(r"(19|20)\d\d$")


def attach_glued_marks(source: SourceText) -> SourceText:
    """Source with the glued marks of each page's footnotes turned into mark sentinels."""
    by_page: dict[int, list[str]] = {}
    for footnote in source.footnotes:
        if footnote.page is not None:
            by_page.setdefault(footnote.page, []).append(footnote.label)
    for page, labels in by_page.items():
        on_page = [line for line in source.lines if line.page == page]
        already = {label for line in on_page for label in split_marks(line.text)[1]}
        unmarked = [label for label in labels if label not in already]
        _mark_page([line for line in on_page if MARK_OPEN not in line.text], unmarked)
    return source


def _mark_page(lines: list[SourceLine], labels: list[str]) -> None:
    """Replace, in order, the first plausible glued occurrence of every label on the page."""
    line_index, position = 0, 0
    for label in labels:
        found = _find_mark(lines, label, line_index, position)
        if found is None:
            continue
        line_index, start = found
        text = lines[line_index].text
        sentinel = footnote_mark(label)
        lines[line_index].text = text[:start] + sentinel + text[start + len(label):]
        position = start + len(sentinel)


def _find_mark(lines: list[SourceLine], label: str, line_index: int, position: int) -> tuple[int, int] | None:
    pattern = re.compile(rf"(?<=\S){re.escape(label)}{_FOLLOWING}")
    for index in range(line_index, len(lines)):
        text = lines[index].text
        start_at = position if index == line_index else 0
        for match in pattern.finditer(text, start_at):
            if _plausible_mark(text, match.start()):
                return index, match.start()
    return None


def _plausible_mark(text: str, start: int) -> bool:
    """A label glued to a word or closing bracket, or to a year ("2021-20252" is 2025 + mark 2)."""
    before = text[start - 1]
    if before.isalpha() or before in ")]”’\"'.":
        return not (before == "." and start >= 2 and text[start - 2].isdigit())
    if before.isdigit():
        token_start = start
        while token_start > 0 and text[token_start - 1].isdigit():
            token_start -= 1
        digits = text[token_start:start]
        return len(digits) == 4 and bool(_YEAR.match(digits))
    return False
