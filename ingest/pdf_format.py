"""PDF files with pypdf: text lines per page with font sizes, page furniture and footnotes separated.

Lines are rebuilt from pypdf's text chunks (position and size), so a footnote mark set in a
smaller raised font becomes a mark, the smaller lines at the bottom of a page become footnotes,
and edge lines repeated on many pages (modulo digits: "10512/24 JAI.1 NL", page numbers) are dropped.
"""

from __future__ import annotations

import difflib
import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.decode import normalise_chars
from ingest.errors import IngestError
from ingest.footnote_marks import attach_glued_marks
from ingest.lines import FootnoteSource, SourceLine, SourceText, footnote_mark
from ingest.ocr import OcrLine, ocr_pdf
from ingest.pdf_tables import PdfTable, continues, find_tables, join_split_row, ruled_pages
from ingest.tables import Grid, read_grid, table_lines

_MIN_TEXT_CHARS = 20
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:\d{1,4}|[ivxlc]{1,6})(?:\s*/\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE)
_FOOTNOTE_START = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_OCR_ALIKE = 0.8  # similarity of two OCR readings of one footer (difflib ratio)
_FURNITURE_SLOTS = 3  # lines at the top and bottom of a page that may be running headers or footers


@dataclass
class _Chunk:
    text: str
    x: float
    y: float
    size: float


@dataclass
class _Line:
    y: float
    size: float
    chunks: list[_Chunk] = field(default_factory=list)
    text: str = ""
    starts_with_mark: str | None = None  # a raised label opening the line: a footnote's number


def read_pdf(path: Path, data: bytes, ocr_language: str) -> tuple[SourceText, str]:
    """Lines, footnotes and tables of a PDF, and the text its metadata is read from."""
    reader = _open(path, data)
    pages = [_page_lines(page) for page in reader.pages]
    scanned = sum(len(line.text) for lines in pages for line in lines) < _MIN_TEXT_CHARS
    if scanned:
        pages = [_ocr_page_lines(page) for page in ocr_pdf(path, len(pages), ocr_language)]
    tables = {} if scanned else find_tables(data, ruled_pages(reader))
    furniture = _repeated_furniture(pages, misreads=scanned)
    lines: list[SourceLine | _TableSlot] = []
    footnotes: list[FootnoteSource] = []
    header: list[str] = []
    slots: list[_TableSlot] = []
    for number, page_lines in enumerate(pages, 1):
        on_page = tables.get(number, [])
        page_lines = [line for line in page_lines if not any(table.covers(line.y) for table in on_page)]
        edges = _edge_indexes(page_lines)
        kept = [line for index, line in enumerate(page_lines) if not _is_furniture(line, index, edges, furniture)]
        if number == 1:
            header = [line.text for line in page_lines if _furniture_key(line.text) in furniture][:2]
            header += [line.text for line in kept]
        body, notes, carried = _split_footnotes(kept, continuing=bool(footnotes))
        if carried and footnotes:  # a long footnote runs on at the bottom of the next page
            footnotes[-1].text = f"{footnotes[-1].text} {carried}"
        breaks = _spaced_paragraph_starts(body)
        page_items: list[tuple[float, SourceLine | _TableSlot]] = [
            (line.y, SourceLine(line.text, page=number, hard_break=index in breaks)) for index, line in enumerate(body)
        ]
        for table in on_page:
            opens_page = not any(line.y > table.top for line in body)
            last = slots[-1] if slots else None
            closes_page = not any(line.y < table.bottom for line in body)
            if opens_page and last is not None and last.closes_page and continues(last.tables[-1], table):
                last.tables.append(table)  # the same table, run on over the page break
                last.closes_page = closes_page
                continue
            slots.append(_TableSlot([table], closes_page))
            page_items.append((table.top, slots[-1]))
        lines.extend(item for _, item in sorted(page_items, key=lambda pair: -pair[0]))
        footnotes.extend(FootnoteSource(label, text, number) for label, text in notes)
    read, warnings = _with_tables(lines)
    source = attach_glued_marks(SourceText(read, footnotes, pages=len(pages), soft_wrapped=True, warnings=warnings))
    return source, "\n".join(header)


@dataclass
class _TableSlot:
    """Where a table stands among a PDF's lines; the tables of later pages it runs on into."""

    tables: list[PdfTable]
    closes_page: bool  # no text below it on its (last) page: the next page may continue it


def _with_tables(items: list[SourceLine | _TableSlot]) -> tuple[list[SourceLine], list[str]]:
    """Source lines with each table read into its rows where it stands, and what could not be read."""
    lines: list[SourceLine] = []
    warnings: list[str] = []
    number = 0
    for item in items:
        if isinstance(item, SourceLine):
            lines.append(item)
            continue
        number += 1
        rows, pages = list(item.tables[0].rows), [item.tables[0].page] * len(item.tables[0].rows)
        header = [cell.text for cell in rows[0]]
        for table in item.tables[1:]:
            joined = join_split_row(rows, table.rows, header)
            pages += [table.page] * (len(joined) - len(rows))
            rows = joined
        title = next((line.text for line in reversed(lines) if line.heading_level is not None), None)
        reading = read_grid(Grid(rows, pages=pages), number, title or _line_before(lines))
        lines.extend(table_lines(reading))
        warnings.extend(reading.warnings)
    return lines, warnings


def _line_before(lines: list[SourceLine]) -> str | None:
    """The short line just above a table (in a PDF its heading is a line like any other)."""
    if lines and len(lines[-1].text.split()) <= 12 and lines[-1].row is None:
        return lines[-1].text
    return None


def _open(path: Path, data: bytes):  # type: ignore[no-untyped-def]
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:1024].startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise IngestError(path, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise IngestError(path, "truncated or corrupt PDF (no end-of-file marker)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise IngestError(path, "encrypted PDF (password-protected)")
        if len(reader.pages) == 0:
            raise IngestError(path, "PDF has no pages")
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise IngestError(path, f"corrupt PDF ({e})") from e
    return reader


def _opens_without_password(reader) -> bool:  # type: ignore[no-untyped-def]
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises several types (missing crypto backend, bad key): all mean "locked"
        return False


def _page_lines(page) -> list[_Line]:  # type: ignore[no-untyped-def]
    """The page's text lines, top to bottom, with superscript marks turned into sentinels."""
    chunks: list[_Chunk] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, font_size: float) -> None:
        if not text or not text.strip():
            return
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = (font_size or 1) * (scale or 1)
        # pypdf sometimes hands over several lines at once; later lines sit one line spacing lower.
        parts = normalise_chars(text).split("\n")
        offset = 0
        for index, part in enumerate(parts):
            if part.strip():
                ending = "\n" if index < len(parts) - 1 else ""  # kept: a chunk that ended a line is spaced
                chunks.append(_Chunk(part + ending, x, y - offset * 1.15 * size, size))
                offset += 1

    page.extract_text(visitor_text=visit)
    return _build_lines(chunks)


def _ocr_page_lines(ocr_lines: list[OcrLine]) -> list[_Line]:
    """A scanned page's OCR'd lines as text-layer lines: pieces on one baseline (a hanging label
    read as its own block) are joined, and furniture and footnotes are then found the same way."""
    return _build_lines([_Chunk(normalise_chars(line.text) + " ", line.x, line.y, line.size) for line in ocr_lines])


def _build_lines(chunks: list[_Chunk]) -> list[_Line]:
    regular = sorted(chunks, key=lambda c: -c.y)
    lines: list[_Line] = []
    body_size = _usual_size(chunks)
    for chunk in sorted(chunks, key=lambda c: (-c.y, c.x)):
        if chunk.size < 0.8 * body_size and _attach_superscript(chunk, lines, regular):
            continue
        line = next((ln for ln in lines if abs(ln.y - chunk.y) <= 0.35 * max(ln.size, chunk.size)), None)
        if line is None:
            line = _Line(chunk.y, chunk.size)
            lines.append(line)
        line.chunks.append(chunk)
        line.size = max(line.size, chunk.size)
    for line in lines:
        line.text, line.starts_with_mark = _line_text(line)
    return sorted((ln for ln in lines if ln.text), key=lambda ln: -ln.y)


def _attach_superscript(chunk: _Chunk, lines: list[_Line], regular: list[_Chunk]) -> bool:
    """Attach a small raised chunk to the line whose baseline sits just below it."""
    label = chunk.text.strip()
    if not re.fullmatch(r"\d{1,3}|[*†‡]", label):
        return False
    for other in regular:
        if other.size >= 1.1 * chunk.size and 0 < chunk.y - other.y <= 0.6 * other.size:
            line = next((ln for ln in lines if abs(ln.y - other.y) <= 0.35 * other.size), None)
            if line is None:
                line = _Line(other.y, other.size)
                lines.append(line)
            line.chunks.append(_Chunk(footnote_mark(label), chunk.x, other.y, other.size))
            return True
    return False


def _line_text(line: _Line) -> tuple[str, str | None]:
    parts: list[str] = []
    previous_raw = ""
    ordered = sorted(line.chunks, key=lambda c: c.x)
    for index, chunk in enumerate(ordered):
        raw = chunk.text
        if _is_small_label(chunk, line.size) and (index == 0 or not previous_raw[-1:].isspace()):
            raw = footnote_mark(raw.strip())  # a mark set smaller on the baseline (rise not reported)
        elif parts and (previous_raw.endswith(("\n", " ")) or raw[:1].isspace()):
            parts.append(" ")
        parts.append(raw.strip())
        previous_raw = raw
    text = re.sub(r"\s+", " ", "".join(parts)).strip()
    opening = re.match(r"^\ue000([^\ue001]*)\ue001\s*", text)
    if opening:
        return text[opening.end():], opening.group(1)
    return text, None


def _is_small_label(chunk: _Chunk, line_size: float) -> bool:
    return chunk.size < 0.9 * line_size and re.fullmatch(r"\d{1,3}", chunk.text.strip()) is not None


def _usual_size(chunks: list[_Chunk]) -> float:
    weights: Counter[float] = Counter()
    for chunk in chunks:
        weights[round(chunk.size, 1)] += len(chunk.text.strip())
    return weights.most_common(1)[0][0] if weights else 10.0


def _furniture_key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text)).strip().lower()


def _edge_indexes(lines: list[_Line]) -> set[int]:
    """Lines set apart at the top or bottom of the page by a gap wider than the line spacing."""
    def wide(upper: _Line, lower: _Line) -> bool:
        return upper.y - lower.y > 1.6 * max(upper.size, lower.size)

    edges: set[int] = set()
    for index in range(min(_FURNITURE_SLOTS, len(lines) - 1)):
        if wide(lines[index], lines[index + 1]):
            edges.update(range(index + 1))
            break
    for index in range(len(lines) - 1, max(len(lines) - 1 - _FURNITURE_SLOTS, 0), -1):
        if wide(lines[index - 1], lines[index]):
            edges.update(range(index, len(lines)))
            break
    return edges


def _repeated_furniture(pages: list[list[_Line]], *, misreads: bool = False) -> set[str]:
    """Edge lines that repeat, digits aside, on most pages: running headers and footers. With
    ``misreads`` (OCR'd pages) a line counts as repeated on a page where it reads nearly the same."""
    if len(pages) < 2:
        return set()
    page_keys = [{_furniture_key(lines[index].text) for index in _edge_indexes(lines)} for lines in pages]
    counts: Counter[str] = Counter(key for keys in page_keys for key in keys)
    if misreads:
        counts = Counter({key: sum(any(_reads_alike(key, other) for other in keys) for keys in page_keys)
                          for key in counts})
    threshold = max(2, math.ceil(0.3 * len(pages)))  # annex pages may carry a footer of their own
    return {key for key, count in counts.items() if count >= threshold and key}


def _reads_alike(key: str, other: str) -> bool:
    """The same line read twice by OCR ("#/# jai.# nl", "#/# jal# nl"): a few characters differ."""
    if key == other:
        return True
    if abs(len(key) - len(other)) > 0.25 * max(len(key), len(other)):
        return False
    matcher = difflib.SequenceMatcher(None, key, other, autojunk=False)
    return matcher.real_quick_ratio() >= _OCR_ALIKE and matcher.quick_ratio() >= _OCR_ALIKE and \
        matcher.ratio() >= _OCR_ALIKE


def _is_furniture(line: _Line, index: int, edges: set[int], furniture: set[str]) -> bool:
    if index not in edges:
        return False
    return _furniture_key(line.text) in furniture or bool(_PAGE_NUMBER.match(line.text))


def _spaced_paragraph_starts(lines: list[_Line]) -> set[int]:
    """Lines set apart from the line above by clearly more than the page's usual line spacing: the
    blank line a scan or a spaced layout puts between paragraphs, which the words alone do not show."""
    gaps = [upper.y - lower.y for upper, lower in zip(lines, lines[1:])]
    if len(gaps) < 2:
        return set()
    usual = sorted(gaps)[len(gaps) // 2]
    return {index + 1 for index, gap in enumerate(gaps) if usual > 0 and gap > 1.6 * usual}


def _split_footnotes(lines: list[_Line], continuing: bool) -> tuple[list[_Line], list[tuple[str, str]], str]:
    """Body lines, the footnotes set in a smaller font at the bottom of the page, and the text that
    continues the previous page's last footnote (small lines before the first label)."""
    if not lines:
        return [], [], ""
    body_size = _line_size_mode(lines)
    start = len(lines)
    while start > 0 and lines[start - 1].size < 0.92 * body_size:
        start -= 1
    zone = lines[start:]
    first_label = next((i for i, line in enumerate(zone) if _opens_footnote(line)), None)
    if not zone or first_label is None or (first_label > 0 and not continuing):
        return lines, [], ""
    carried = " ".join(line.text for line in zone[:first_label])
    notes: list[tuple[str, str]] = []
    for line in zone[first_label:]:
        opening = _opens_footnote(line)
        if opening:
            notes.append(opening)
        else:
            notes[-1] = (notes[-1][0], f"{notes[-1][1]} {line.text}")
    return lines[:start], notes, carried


def _opens_footnote(line: _Line) -> tuple[str, str] | None:
    if line.starts_with_mark:
        return line.starts_with_mark, line.text
    match = _FOOTNOTE_START.match(line.text)
    return (match.group(1), match.group(2)) if match else None


def _line_size_mode(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size, 1)] += len(line.text)
    return weights.most_common(1)[0][0]
