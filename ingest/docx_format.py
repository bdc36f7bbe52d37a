"""Word (.docx) files with python-docx: headings from styles, automatic numbering and footnotes.

python-docx has no footnote API, so the footnotes part of the package is read with lxml; its
numbering is rendered from numbering.xml ("19.", "a)") so the structure step sees the labels a
reader sees.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from ingest.decode import normalise_chars
from ingest.errors import IngestError
from ingest.lines import FootnoteSource, SourceLine, SourceText, footnote_mark
from ingest.tables import Grid, GridCell, is_layout, read_grid, table_lines

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
_HEADING_STYLE = re.compile(r"^(?:heading|kop|titre|überschrift)\s*(\d)$", re.IGNORECASE)
_BULLET_FORMATS = {"bullet", "none"}


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def read_docx(path: Path, data: bytes, _ocr_language: str) -> tuple[SourceText, str]:
    """Paragraph lines, footnotes and header text of a Word document."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data.startswith(b"PK"):
        raise IngestError(path, "not a Word file (not a ZIP package)")
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as e:
        raise IngestError(path, f"corrupt Word file ({e})") from e
    numbering = _Numbering(document)
    footnote_texts = _footnote_texts(document)
    labels: dict[str, str] = {}
    lines: list[SourceLine] = []
    warnings: list[str] = []
    tables = 0
    page = 1
    for group in _body_units(document.element.body):
        if not isinstance(group, list):  # a table: a data table is read as one, a layout table row by row
            counters = dict(numbering.counters)
            grid, page_after = _grid(group, document, numbering, labels, footnote_texts, page)
            if grid.rows and not is_layout(grid):
                page = page_after
                tables += 1
                reading = read_grid(grid, tables, _last_heading(lines))
                lines.extend(table_lines(reading))
                warnings.extend(reading.warnings)
                continue
            numbering.counters = counters  # the rows are read again, one line each, and counted then
            units = _layout_rows(group)
        else:
            units = [group]
        for unit in units:
            page = _add_paragraph_group(lines, unit, document, numbering, labels, footnote_texts, page)
    footnotes = [FootnoteSource(label, normalise_chars(footnote_texts[note_id]), _page_of(lines, label))
                 for note_id, label in labels.items() if note_id in footnote_texts]
    header = "\n".join(line.text for line in lines[:40])
    return SourceText(lines, footnotes, pages=page, soft_wrapped=False, warnings=warnings), header


def _add_paragraph_group(lines: list[SourceLine], group, document, numbering, labels, footnote_texts, page: int) -> int:  # type: ignore[no-untyped-def]
    """One paragraph (or the paragraphs of a layout table row) as a line; returns the page after it."""
    paragraph = group[0]
    pieces = [_paragraph_text(p, labels, footnote_texts) for p in group]
    text = " ".join(piece.strip() for piece, _ in pieces if piece.strip())
    page_breaks = sum(breaks for _, breaks in pieces)
    style = _style_name(document, paragraph)
    heading = _HEADING_STYLE.match(style)
    level = int(heading.group(1)) if heading else (1 if style.lower() == "title" else None)
    label = numbering.label(paragraph, document)
    if label and level is None:
        text = f"{label} {text}"
    if text.strip():
        lines.append(SourceLine(normalise_chars(text), page=page, hard_break=True, heading_level=level))
    return page + page_breaks


def _last_heading(lines: list[SourceLine]) -> str | None:
    return next((line.text for line in reversed(lines) if line.heading_level is not None), None)


def _body_units(body):  # type: ignore[no-untyped-def]
    """Paragraphs in reading order, each as a one-item list; a table as its ``w:tbl`` element."""
    for child in body.iterchildren():
        if child.tag == _q("p"):
            yield [child]
        elif child.tag == _q("tbl"):
            yield child


def _layout_rows(table):  # type: ignore[no-untyped-def]
    """A layout table row by row: one unit per row ("van:" | "het voorzitterschap", "1." | text)."""
    for row in table.iter(_q("tr")):
        cells = [list(cell.iter(_q("p"))) for cell in row.iterfind("w:tc", _NS)]
        if len(cells) == 1:
            yield from ([p] for p in cells[0])
        elif cells:
            yield [p for cell in cells for p in cell]


def _grid(table, document, numbering, labels, footnote_texts, page: int) -> tuple[Grid, int]:  # type: ignore[no-untyped-def]
    """A Word table as a grid: merged cells (gridSpan, vMerge) marked, header rows (tblHeader) counted;
    and the page after it. Numbering and footnote labels are counted as for any paragraph."""
    rows: list[list[GridCell]] = []
    pages: list[int] = []
    header_rows = 0
    counting_header = True
    for tr in table.iterfind("w:tr", _NS):
        cells: list[GridCell] = []
        pages.append(page)
        before = tr.find("w:trPr/w:gridBefore", _NS)
        cells += [GridCell("") for _ in range(_int(before, 0))]
        for tc in tr.iterfind("w:tc", _NS):
            texts = []
            for paragraph in tc.iter(_q("p")):
                text, breaks = _paragraph_text(paragraph, labels, footnote_texts)
                label = numbering.label(paragraph, document)
                text = f"{label} {text.strip()}" if label and text.strip() else text.strip()
                if text:
                    texts.append(normalise_chars(text))
                page += breaks
            merge = tc.find("w:tcPr/w:vMerge", _NS)
            continues = merge is not None and merge.get(_q("val"), "continue") == "continue"
            span = _int(tc.find("w:tcPr/w:gridSpan", _NS), 1)
            cells.append(GridCell("" if continues else "\n".join(texts), spans_above=continues))
            cells += [GridCell("", spans_left=True, spans_above=continues) for _ in range(span - 1)]
        is_header = tr.find("w:trPr/w:tblHeader", _NS) is not None
        if counting_header and is_header:
            header_rows += 1
        else:
            counting_header = False
        rows.append(cells)
    return Grid(rows, header_rows=header_rows or None, pages=pages), page


def _int(element, default: int) -> int:  # type: ignore[no-untyped-def]
    if element is None:
        return default
    try:
        return int(element.get(_q("val"), default))
    except (TypeError, ValueError):
        return default


def _paragraph_text(paragraph, labels: dict[str, str], footnote_texts: dict[str, str]) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """The paragraph's text with footnote marks as sentinels, and the page breaks it contains."""
    parts: list[str] = []
    breaks = 0
    for element in paragraph.iter():
        tag = element.tag
        if tag == _q("t") and element.text:
            parts.append(element.text)
        elif tag in (_q("tab"), _q("cr")):
            parts.append(" ")
        elif tag == _q("br"):
            if element.get(_q("type")) == "page":
                breaks += 1
            parts.append(" ")
        elif tag == _q("lastRenderedPageBreak"):
            breaks += 1
        elif tag == _q("footnoteReference"):
            note_id = element.get(_q("id"))
            if note_id in footnote_texts:
                label = labels.setdefault(note_id, str(len(labels) + 1))
                parts.append(footnote_mark(label))
    return "".join(parts), breaks


def _style_name(document, paragraph) -> str:  # type: ignore[no-untyped-def]
    style_id = paragraph.find("w:pPr/w:pStyle", _NS)
    if style_id is None:
        return ""
    try:
        return document.styles.get_by_id(style_id.get(_q("val")), 1).name or ""
    except (KeyError, ValueError):
        return style_id.get(_q("val")) or ""


def _footnote_texts(document) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Footnote id -> text, from word/footnotes.xml when the package has it."""
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes") and not rel.is_external:
            root = etree.fromstring(rel.target_part.blob)
            notes = {}
            for note in root.iterfind("w:footnote", _NS):
                if note.get(_q("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                text = "".join(t.text or "" for t in note.iter(_q("t")))
                notes[note.get(_q("id"))] = re.sub(r"\s+", " ", text).strip()
            return notes
    return {}


def _page_of(lines: list[SourceLine], label: str) -> int | None:
    mark = footnote_mark(label)
    return next((line.page for line in lines if mark in line.text), None)


class _Numbering:
    """Renders automatic list numbers ("19.", "a)") from numbering.xml, counting as Word does."""

    def __init__(self, document) -> None:  # type: ignore[no-untyped-def]
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract = {a.get(_q("abstractNumId")): a for a in root.iterfind("w:abstractNum", _NS)}
        for num in root.iterfind("w:num", _NS):
            ref = num.find("w:abstractNumId", _NS)
            definition = abstract.get(ref.get(_q("val"))) if ref is not None else None
            if definition is None:
                continue
            for level in definition.iterfind("w:lvl", _NS):
                fmt = level.find("w:numFmt", _NS)
                text = level.find("w:lvlText", _NS)
                start = level.find("w:start", _NS)
                self.formats[(num.get(_q("numId")), int(level.get(_q("ilvl"))))] = (
                    fmt.get(_q("val")) if fmt is not None else "decimal",
                    text.get(_q("val")) if text is not None else "%1.",
                    int(start.get(_q("val"))) if start is not None else 1,
                )

    def label(self, paragraph, document) -> str | None:  # type: ignore[no-untyped-def]
        num_pr = paragraph.find("w:pPr/w:numPr", _NS)
        if num_pr is None:
            num_pr = self._style_numbering(paragraph, document)
        if num_pr is None:
            return None
        num_id = num_pr.find("w:numId", _NS)
        level = num_pr.find("w:ilvl", _NS)
        key = (num_id.get(_q("val")) if num_id is not None else "", int(level.get(_q("val"))) if level is not None else 0)
        if key not in self.formats or key[0] == "0":
            return None
        fmt, pattern, start = self.formats[key]
        if fmt in _BULLET_FORMATS:
            return "\u2022"
        for deeper in [k for k in self.counters if k[0] == key[0] and k[1] > key[1]]:
            del self.counters[deeper]  # a new parent item restarts its sub-list
        self.counters[key] = self.counters.get(key, start - 1) + 1
        value = self.counters[key]
        rendered = _render(value, fmt)
        return re.sub(r"%\d", rendered, pattern, count=1) if "%" in pattern else f"{rendered}."

    @staticmethod
    def _style_numbering(paragraph, document):  # type: ignore[no-untyped-def]
        style_id = paragraph.find("w:pPr/w:pStyle", _NS)
        if style_id is None:
            return None
        try:
            style = document.styles.get_by_id(style_id.get(_q("val")), 1)
        except (KeyError, ValueError):
            return None
        while style is not None:
            found = style.element.find("w:pPr/w:numPr", _NS)
            if found is not None:
                return found
            style = style.base_style
        return None


def _render(value: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out = ""
        for number, numeral in numerals:
            while value >= number:
                out, value = out + numeral, value - number
        return out if fmt == "lowerRoman" else out.upper()
    return str(value)
