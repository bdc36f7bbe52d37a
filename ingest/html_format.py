"""HTML pages (EUR-Lex style) with BeautifulSoup: headings, numbered points and footnotes.

EUR-Lex sets numbered points as table rows ("1." | text) or as paragraphs with classes, and
footnotes as links: the mark ``<a href="#ntr1">(1)</a>`` in the text points to the note, which
links back. A link whose label is a short number and whose target sits in a separate block is
taken as a footnote mark; the target's block becomes the footnote.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.decode import normalise_chars
from ingest.errors import IngestError
from ingest.lines import FootnoteSource, SourceLine, SourceText, footnote_mark
from ingest.tables import Grid, GridCell, is_layout, read_grid, table_lines

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "tr", "dt", "dd", "blockquote", "caption"}
_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_HEADING_CLASSES = (
    (re.compile(r"(^|-)doc-ti$|^title-doc"), 1),
    (re.compile(r"ti-section-1|ti-grseq-1"), 2),
    (re.compile(r"ti-section-2|ti-grseq-2|ti-art$|sti-art"), 3),
)
_MARK_LABEL = re.compile(r"^[(\[]?\s*(\d{1,3}|[*†‡])\s*[)\]]?$")
_SKIPPED = ("script", "style", "nav", "noscript", "template", "head")


def read_html(path: Path, data: bytes, _ocr_language: str) -> tuple[SourceText, str]:
    """Block lines, footnotes and header text of an HTML page."""
    from bs4 import BeautifulSoup

    if b"\x00" in data[:4096]:
        raise IngestError(path, "binary content (NUL bytes) in an HTML file")
    soup = BeautifulSoup(data, "lxml")
    for tag in soup(_SKIPPED):
        tag.decompose()
    for line_break in soup.find_all("br"):
        line_break.replace_with("\n")  # a line break inside a table cell separates its items; elsewhere a space
    root = soup.body or soup
    footnotes = _extract_footnotes(root)
    lines: list[SourceLine] = []
    warnings: list[str] = []
    tables = 0
    for block in _leaf_blocks(root):
        if isinstance(block, Grid):
            tables += 1
            if block.caption:
                lines.append(SourceLine(normalise_chars(block.caption), page=1, hard_break=True))
            reading = read_grid(block, tables, _last_heading(lines))
            lines.extend(table_lines(reading))
            warnings.extend(reading.warnings)
            continue
        level = _heading_level(block)
        text = _block_text(block)
        if text:
            lines.append(SourceLine(normalise_chars(text), page=1, hard_break=True, heading_level=level))
    if not lines:
        raise IngestError(path, "no text in the HTML page")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    header = "\n".join([title] + [line.text for line in lines[:40]])
    return SourceText(lines, footnotes, pages=None, soft_wrapped=False, paginated=False, warnings=warnings), header


def _last_heading(lines: list[SourceLine]) -> str | None:
    return next((line.text for line in reversed(lines) if line.heading_level is not None), None)


def _extract_footnotes(root) -> list[FootnoteSource]:  # type: ignore[no-untyped-def]
    """Footnote blocks found through their marks; marks replaced by sentinels, notes removed."""
    notes: list[FootnoteSource] = []
    seen_blocks = set()
    for link in list(root.find_all("a", href=True)):
        if link.parent is None:
            continue
        href = link["href"]
        label_match = _MARK_LABEL.match(link.get_text("", strip=True))
        if not href.startswith("#") or not label_match:
            continue
        target = root.find(id=href[1:]) or root.find("a", attrs={"name": href[1:]})
        if target is None:
            continue
        note_block = _enclosing_block(target)
        mark_block = _enclosing_block(link)
        if note_block is None or note_block is mark_block or id(note_block) in seen_blocks:
            if note_block is not None and id(note_block) in seen_blocks:
                link.replace_with(footnote_mark(label_match.group(1)))
            continue
        seen_blocks.add(id(note_block))
        label = label_match.group(1)
        for own_label in note_block.find_all("a"):
            if _MARK_LABEL.match(own_label.get_text("", strip=True)):
                own_label.decompose()
                break
        notes.append(FootnoteSource(label, normalise_chars(_clean(note_block.get_text("")))))
        note_block.decompose()
        link.replace_with(footnote_mark(label))
    return notes


def _enclosing_block(element):  # type: ignore[no-untyped-def]
    node = element
    while node is not None and getattr(node, "name", None) not in _BLOCKS - {"div", "tr"}:
        node = node.parent
    return node


def _leaf_blocks(root):  # type: ignore[no-untyped-def]
    """Blocks that hold text directly: paragraphs, headings, list items, table rows of a layout table as
    one line each; a data table as one ``Grid``."""
    data_tables: set[int] = set()
    for element in root.find_all(True):
        name = element.name
        if data_tables and any(id(parent) in data_tables for parent in element.parents):
            continue  # inside a data table already read as a grid
        if name == "table" and element.find_parent("table") is None:
            grid = _grid(element)
            if grid.rows and not is_layout(grid):
                data_tables.add(id(element))
                yield grid
                continue
        if name == "tr":
            yield element  # a row's own cells; rows of a nested table follow as blocks of their own
            continue
        if name not in _BLOCKS or element.find_parent("tr") is not None:
            continue
        if element.find([b for b in _BLOCKS if b != "li"] + ["table"]):
            continue  # a container: its children are yielded themselves
        yield element


def _grid(table) -> Grid:  # type: ignore[no-untyped-def]
    """An HTML table as a grid: colspan and rowspan spread over the positions they cover; header rows
    are the leading rows of <th> cells or of <thead>."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    grid: list[list[GridCell]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    header_rows = 0
    counting_header = True
    for tr in rows:
        cells: list[GridCell] = []
        column = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while pending.get(column, 0) > 0:
                cells.append(GridCell("", spans_above=True))
                pending[column] -= 1
                column += 1
            text = _cell_text(cell)
            span_columns = _span(cell, "colspan")
            span_rows = _span(cell, "rowspan")
            for offset in range(span_columns):
                cells.append(GridCell(text) if offset == 0 else GridCell("", spans_left=True))
                if span_rows > 1:
                    pending[column] = span_rows - 1
                column += 1
        while pending.get(column, 0) > 0:
            cells.append(GridCell("", spans_above=True))
            pending[column] -= 1
            column += 1
        is_header = tr.find_parent("thead") is not None or (
            bool(tr.find_all("th", recursive=False)) and not tr.find_all("td", recursive=False))
        if counting_header and is_header:
            header_rows += 1
        else:
            counting_header = False
        grid.append(cells)
    caption = table.find("caption")
    caption_text = _clean(caption.get_text(" ")) if caption is not None else None
    return Grid(grid, header_rows=header_rows or None, caption=caption_text or None)


def _span(cell, attribute: str) -> int:  # type: ignore[no-untyped-def]
    try:
        return max(1, min(int(cell.get(attribute, 1)), 50))
    except (TypeError, ValueError):
        return 1


def _cell_text(cell) -> str:  # type: ignore[no-untyped-def]
    """A cell's text; its paragraphs, list items and line breaks kept as lines."""
    from bs4 import Comment, NavigableString

    parts: list[str] = []

    def walk(element) -> None:  # type: ignore[no-untyped-def]
        for child in element.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                parts.append(str(child))
            elif child.name in {"p", "div", "li", "tr", "table", "ul", "ol"}:
                parts.append("\n")
                walk(child)
                parts.append("\n")
            else:
                walk(child)

    walk(cell)
    lines = (_clean(line) for line in "".join(parts).split("\n"))
    return normalise_chars("\n".join(line for line in lines if line))


def _block_text(block) -> str:  # type: ignore[no-untyped-def]
    if block.name == "tr":
        cells = [_clean(_own_text(cell, skip=("table", "ol", "ul"))) for cell in block.find_all(["td", "th"], recursive=False)]
        cells = [cell for cell in cells if cell]
        if len(cells) >= 2 and re.fullmatch(r"\(?\w{1,4}[.)]", cells[0]):
            label = cells[0]
            label = f"{label.strip('()')})" if label.startswith("(") else label
            return f"{label} {' '.join(cells[1:])}"
        return " ".join(cells)
    text = _clean(_own_text(block))
    return f"{_list_marker(block)}{text}" if block.name == "li" and text else text


def _own_text(element, skip: tuple[str, ...] = ("ol", "ul")) -> str:  # type: ignore[no-untyped-def]
    """The element's text without nested lists or tables (their items are blocks of their own)."""
    from bs4 import Comment, NavigableString

    parts: list[str] = []
    for child in element.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            parts.append(str(child))
        elif child.name not in skip:
            parts.append(_own_text(child, skip))
    return "".join(parts)


def _list_marker(item) -> str:  # type: ignore[no-untyped-def]
    """The number or bullet a browser would draw before a list item: "3. ", "b) ", "• "."""
    parent = item.find_parent(["ol", "ul"])
    if parent is None or parent.name == "ul":
        return "\u2022 "
    siblings = parent.find_all("li", recursive=False)
    try:
        start = int(parent.get("start", 1))
    except ValueError:
        start = 1
    position = start + next((i for i, sibling in enumerate(siblings) if sibling is item), 0)
    if parent.get("type") == "a":
        return f"{chr(ord('a') + (position - 1) % 26)}) "
    return f"{position}. "


def _heading_level(block) -> int | None:  # type: ignore[no-untyped-def]
    if block.name in _HEADING_TAGS:
        return _HEADING_TAGS[block.name]
    for css in block.get("class", []) or []:
        for pattern, level in _HEADING_CLASSES:
            if pattern.search(css):
                return level
    return None


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([,.;:)])", r"\1", text)
