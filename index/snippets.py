"""Snippets with matched terms marked, and human citations for hits.

A snippet is the window of the passage with the most query matches, the matched words
wrapped in ``**`` (Markdown bold, readable as plain text too). A citation names the
document by its number (else its title, else its file), then the paragraph label and page:
"15571/25, Actie 4, p. 6".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from conclusio.records import Passage
from index.analysis import analyze, fold

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
MARK = "**"


def query_terms(*texts: str) -> frozenset[str]:
    """Analysed terms of the query and its expansions: what a passage word must share to be marked."""
    return frozenset(term for text in texts for term in analyze(text))


def _matched_spans(
    text: str, terms: frozenset[str], surfaces: Iterable[str], prefixes: Iterable[str] = ()
) -> list[tuple[int, int]]:
    wanted = {fold(s) for s in surfaces if s}
    starts = tuple(fold(p) for p in prefixes if p)
    spans = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        folded = fold(word)
        if folded in wanted or (starts and folded.startswith(starts)) or (terms and any(t in terms for t in analyze(word))):
            spans.append(match.span())
    return spans


def highlight(text: str, terms: frozenset[str], surfaces: Iterable[str] = ()) -> str:
    """The whole text with every matched word marked ``**word**``."""
    return _mark(text, _matched_spans(text, terms, surfaces), 0, len(text))


def _mark(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(text[cursor:s])
        out.append(f"{MARK}{text[s:e]}{MARK}")
        cursor = e
    out.append(text[cursor:end])
    return "".join(out)


def make_snippet(
    text: str, terms: frozenset[str], surfaces: Iterable[str] = (), width: int = 280, prefixes: Iterable[str] = ()
) -> str:
    """The densest window of about ``width`` characters, matches marked (words starting with a prefix too)."""
    clean = " ".join(text.split())
    spans = _matched_spans(clean, terms, surfaces, prefixes)
    if len(clean) <= width:
        return _mark(clean, spans, 0, len(clean))
    start = 0
    if spans:
        best_count = -1
        for s, _ in spans:  # a window opening a little before each match; keep the fullest
            begin = max(0, s - width // 5)
            count = sum(1 for a, b in spans if a >= begin and b <= begin + width)
            if count > best_count:
                best_count, start = count, begin
    end = min(len(clean), start + width)
    if start > 0:
        space = clean.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    if end < len(clean):
        space = clean.rfind(" ", start, end)
        end = space if space > start else end
    body = _mark(clean, spans, start, end)
    return ("… " if start > 0 else "") + body + (" …" if end < len(clean) else "")


def citation(passage: Passage, doc_number: str | None, doc_title: str | None) -> str:
    """'15571/25, Actie 4, p. 6'; the title or file name stands in for a missing number."""
    parts = [doc_number or _short_title(doc_title) or passage.source_file]
    if passage.paragraph:
        label = passage.paragraph
        parts.append(label if not label[:1].isdigit() else f"punt {label}")
    elif passage.kind == "footnote" and passage.footnote_label:
        parts.append(f"voetnoot {passage.footnote_label}")
    if passage.page is not None:
        pages = f"p. {passage.page}"
        if passage.page_end and passage.page_end != passage.page:
            pages = f"pp. {passage.page}-{passage.page_end}"
        parts.append(pages)
    return ", ".join(parts)


def _short_title(title: str | None, limit: int = 80) -> str | None:
    if not title:
        return None
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 1].rsplit(" ", 1)[0] + "…"
