"""Ruled tables in PDFs, found with pdfplumber: cells, merged cells, and tables that run over a page break.

pypdf's text (``ingest.pdf_format``) reads a table line by line, so the cells of one row are
interleaved with each other. pdfplumber finds a table from its ruling lines and gives each cell's
text; on the plan fixtures it read every row of every ruled table exactly, where PyMuPDF (AGPL)
lost the spaces between words (README, "Libraries"). pdfplumber parses a whole page, which costs
more than pypdf's text, so only pages whose content stream draws enough lines or rectangles for a
ruled table are handed to it. Tables without ruling lines are not detected: their text is read
as lines, as before.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from statistics import median

from ingest.hyphenation import join_wrapped
from ingest.lines import footnote_mark
from ingest.tables import GridCell

_RULING_OPERATOR = re.compile(rb"[\d.]\s+(?:re|l)\s")
_MIN_RULINGS = 8  # a ruled table of two rows and two columns draws at least this many lines or rectangles
_SMALL_MARK = 0.8  # a digit set this much smaller than the page's text is a footnote mark
_EDGE_TOLERANCE = 2.0
_MIN_COLUMNS_OF_ONE_ROW = 3  # points: a text line this close to a table's edge still belongs to it


@dataclass
class PdfTable:
    """A table on one page: where it stands (PDF user space, y upwards) and its cells as wrapped lines."""

    page: int
    top: float
    bottom: float
    rows: list[list[GridCell]]
    column_edges: list[float] = field(default_factory=list)

    def covers(self, y: float) -> bool:
        """True when a text line at height ``y`` lies inside the table."""
        return self.bottom - _EDGE_TOLERANCE <= y <= self.top + _EDGE_TOLERANCE


def ruled_pages(reader) -> list[int]:  # type: ignore[no-untyped-def]
    """Numbers (from 1) of the pages whose content draws enough lines or rectangles for a ruled table."""
    found = []
    for number, page in enumerate(reader.pages, 1):
        try:
            contents = page.get_contents()
            data = contents.get_data() if contents is not None else b""
        except Exception:  # a page whose content stream cannot be read has no table we could read either
            continue
        if len(_RULING_OPERATOR.findall(data)) >= _MIN_RULINGS:
            found.append(number)
    return found


def find_tables(data: bytes, pages: list[int]) -> dict[int, list[PdfTable]]:
    """The ruled tables on the given pages, top to bottom per page."""
    if not pages:
        return {}
    import pdfplumber

    found: dict[int, list[PdfTable]] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number in pages:
            page = pdf.pages[number - 1]
            sizes = [char["size"] for char in page.chars]
            body_size = median(sizes) if sizes else 10.0
            marks = [char for char in page.chars if _is_mark(char, body_size)]
            # Footnote marks are read apart, so that "opstellen3" does not reach the cell's text.
            text = page.filter(lambda obj: not (obj.get("object_type") == "char" and _is_mark(obj, body_size))) if marks else page
            tables = [_read_table(text, number, table, marks) for table in text.find_tables(_settings(page))]
            found[number] = sorted((t for t in tables if t is not None), key=lambda t: -t.top)
    return found


def _is_mark(char: dict, body_size: float) -> bool:
    return char["text"].isdigit() and char["size"] < _SMALL_MARK * body_size


def _settings(page) -> dict:  # type: ignore[no-untyped-def]
    """Table settings for a page: where a row runs on over the page break, its cells have no ruling at the
    page's edge; a line is added where the column rulings end without one, so the cut row is read too."""
    vertical = [edge for edge in page.edges if edge["orientation"] == "v"]
    horizontal = [edge["top"] for edge in page.edges if edge["orientation"] == "h"]
    ends = {round(edge[side], 1) for edge in vertical for side in ("top", "bottom")}
    missing = sorted(y for y in ends if not any(abs(y - ruled) <= _EDGE_TOLERANCE for ruled in horizontal))
    return {"explicit_horizontal_lines": missing} if missing and horizontal else {}


def _read_table(page, number: int, table, marks: list[dict]) -> PdfTable | None:  # type: ignore[no-untyped-def]
    """One pdfplumber table as grid cells; a cell pdfplumber leaves out is covered by a merged neighbour."""
    columns = [column.bbox for column in table.columns]
    if len(columns) < 2 or (len(table.rows) < 2 and len(columns) < _MIN_COLUMNS_OF_ONE_ROW):
        return None  # a framed box of text; one ruled row of three cells and more is a table (or its first row, a page break after it)
    rows: list[list[GridCell]] = []
    for row, texts in zip(table.rows, table.extract()):
        cells: list[GridCell] = []
        previous_box = None
        for column, (box, text) in enumerate(zip(row.cells, texts)):
            if box is None:
                spans_left = previous_box is not None and previous_box[2] > columns[column][0] + _EDGE_TOLERANCE
                cells.append(GridCell("", spans_left=spans_left, spans_above=not spans_left))
                continue
            label = "".join(m["text"] for m in marks if box[0] <= m["x0"] < box[2] and box[1] <= m["top"] < box[3])
            cells.append(GridCell(_joined(text or "") + (footnote_mark(label) if label else "")))
            previous_box = box
        rows.append(cells)
    x0, top, x1, bottom = table.bbox
    edges = [box[0] for box in columns] + [columns[-1][2]]
    return PdfTable(number, page.height - top, page.height - bottom, rows, edges)


def _joined(text: str) -> str:
    """A cell's lines joined where the line wrapped them."""
    joined = ""
    for line in (line.strip() for line in text.split("\n")):
        if line:
            joined = join_wrapped(joined, line)
    return joined


def continues(previous: PdfTable, table: PdfTable) -> bool:
    """True when ``table`` opens a page with the columns of ``previous``, which closed the page before."""
    if table.page != previous.page + 1 or len(table.column_edges) != len(previous.column_edges):
        return False
    return all(abs(a - b) <= 3 * _EDGE_TOLERANCE for a, b in zip(table.column_edges, previous.column_edges))


def join_split_row(rows: list[list[GridCell]], continuation: list[list[GridCell]], header: list[str]) -> list[list[GridCell]]:
    """The rows of a table continued on the next page; a row the page break cut in two is joined again.

    The continuation's header row, when repeated, is left for ``ingest.tables.read_grid`` to drop.
    A first row without a label in a table whose rows have one is the rest of the row above.
    """
    body = continuation[1:] if [c.text for c in continuation[0]] == header else continuation
    if not body or not rows:
        return rows + continuation
    first = body[0]
    labelled = sum(1 for row in rows if row and row[0].text.strip()) >= max(1, len(rows) - 1)
    if labelled and first and not first[0].text.strip() and not first[0].spans_above and any(c.text.strip() for c in first):
        last = rows[-1]
        merged = [GridCell(join_wrapped(a.text, b.text), a.spans_left, a.spans_above) for a, b in zip(last, first)]
        return rows[:-1] + [merged] + body[1:]
    return rows + continuation
