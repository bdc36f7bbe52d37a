"""Tables, whatever format they come from: a grid of cells read into header, rows and what could not be read.

Every reader (Markdown pipe tables, HTML ``<table>``, Word tables, PDF tables) hands a ``Grid`` to
``read_grid``: merged cells already marked, header rows given where the format says so. Out come
table rows with their column headers and row label, rows that span the table (a heading inside
it, "Prioriteit 2: ..."), and the rows that could not be read, with the reason: their text is kept
as a paragraph, so nothing is lost, and the reason is reported. A table used for layout (a label
column beside text, "van:" | "het voorzitterschap") is no data table: ``is_layout`` tells the
readers to keep reading it as lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from conclusio.records import TableRow
from ingest.lines import SourceLine, split_marks

ROW_LABEL = re.compile(r"^\(?((?:[A-Z]\.)?\d{1,3}(?:\.\d{1,3}){0,3})[.)]?$|^((?:Actie|Action|Maatregel|Mesure|Maßnahme)\s+\d{1,3}(?:\.\d{1,3})*)\.?$")
LABEL_OPENING = re.compile(r"^\(?(\d{1,3}(?:\.\d{1,3}){0,3})[.)]?\s+(?=\S)")
NUMBER_HEADERS = {"nr", "nr.", "no", "no.", "n°", "nº", "#", "nummer", "number", "numéro", "nummer.", "ref", "ref.", "id"}
_TERMINAL = re.compile(r"[.!?;]['\"”’)]*$")
_MAX_HEADER_WORDS = 8
_MAX_SPANNING_WORDS = 15  # a row with text in its first cell only is a heading inside the table when short
CELL_SEPARATOR = "; "


@dataclass
class GridCell:
    """One cell position of a table as the format gives it."""

    text: str
    spans_left: bool = False  # covered by the cell to its left (a merge across columns)
    spans_above: bool = False  # covered by the cell above it (a merge across rows)


@dataclass
class Grid:
    """A table as a reader found it: rows of cells, with what the format says about its header."""

    rows: list[list[GridCell]]
    header_rows: int | None = None  # known from the markup (<th>, a header row property, a Markdown rule); None: infer
    pages: list[int] = field(default_factory=list)  # the page each row starts on, where the format has pages
    caption: str | None = None


@dataclass
class ReadRow:
    """One row of a read table: a data row, a row spanning the table, or a row that could not be read."""

    kind: str  # "row" | "span" | "unread"
    text: str  # the row as it reads in the document (the table row rendered, the spanning text, the raw cells)
    page: int = 1
    row: TableRow | None = None


@dataclass
class TableReading:
    """A table read: its rows in order and what could not be read in full."""

    headers: list[str]
    rows: list[ReadRow]
    warnings: list[str] = field(default_factory=list)


def plain(text: str) -> str:
    """Cell text with spaces collapsed; the line breaks of a cell of several paragraphs or list items kept."""
    lines = (re.sub(r"[ \t\r\f\v\u00a0]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    """Cell text on one line (for comparing headers)."""
    return " ".join(text.split())


def is_layout(grid: Grid) -> bool:
    """True for a table that only lays text out: one column, or two whose first holds labels or field names.

    Council and EUR-Lex files put numbered points ("1." | text) and header fields ("van:" | ...)
    in two-column tables; those are read as lines, as before. Wider tables, and two-column tables
    of another kind (abbreviations, "Actie" | "Termijn"), are data.
    """
    width = _width(grid)
    if width <= 1 or (grid.header_rows and len(grid.rows) <= grid.header_rows):
        return True
    if width >= 3 or grid.header_rows:
        return False
    firsts = [one_line(split_marks(row[0].text)[0]) for row in grid.rows if row and row[0].text.strip()]
    return not firsts or all(ROW_LABEL.match(f) or f.endswith(":") or re.fullmatch(r"\(?[a-z]\)", f) for f in firsts)


def read_grid(grid: Grid, table: int, title: str | None = None) -> TableReading:
    """Header, rows and warnings of one table; ``table`` is its number in the document."""
    width = _width(grid)
    header_count = grid.header_rows if grid.header_rows is not None else _inferred_header_rows(grid, width)
    if header_count and grid.rows and _reads_as_data([c.text for c in grid.rows[0]][:width]):
        header_count = 0  # a table without a header row whose format marks its first row as one anyway
    headers = _headers(grid.rows[:header_count], width)
    header_key = [one_line(h).lower() for h in headers]
    title = grid.caption or title
    reading = TableReading(headers, [])
    number = 0
    above: list[str] = [""] * width
    for index, cells in enumerate(grid.rows[header_count:], start=header_count):
        page = grid.pages[index] if index < len(grid.pages) else (grid.pages[-1] if grid.pages else 1)
        texts = _resolved(cells, above)
        if not any(t.strip() for t in texts):
            continue
        if [one_line(split_marks(t)[0]).lower() for t in texts[:width]] == header_key and any(header_key):
            continue  # the header repeated where the table runs on over a page
        previous = reading.rows[-1] if reading.rows else None
        # (a narrow PDF column breaks the word itself: "(con" / "tinu" / "ed)")
        if texts and _CONTINUED.match("".join(split_marks(texts[0])[0].split())) and previous and previous.row:
            # "(vervolg)" | "... de rest van de maatregel" | "en Frontex": the row above goes on in this one.
            _continue_row(previous, texts[1:width])
            continue
        spanning = _spanning_text(cells, texts, width)
        if spanning is not None:
            reading.rows.append(ReadRow("span", spanning, page))
            above = [""] * width
            continue
        raw = " | ".join(one_line(t) for t in texts if t.strip())
        where = _where(table, index - header_count + 1, title, raw)
        if any(t.strip() for t in texts[width:]):
            reading.rows.append(ReadRow("unread", raw, page))
            reading.warnings.append(f"{where}: {len(texts)} cells for {width} columns; kept as text")
            continue
        if len(texts) < width:
            reading.warnings.append(f"{where}: {len(texts)} cells for {width} columns; read as the first {len(texts)}")
        texts = texts[:width] + [""] * (width - len(texts))
        number += 1
        row = TableRow(table=table, row=number, headers=list(headers), cells=[plain(t) for t in texts],
                       label=row_label(headers, texts), title=title)
        reading.rows.append(ReadRow("row", render_row(row), page, row))
        above = texts
    return reading


# A row that goes on from the row above, as its first cell says: "(vervolg)", "(continued)", "(suite)", "(Forts.)".
_CONTINUED = re.compile(r"^\(?(?:vervolg|vervolgd|continued|cont\.?|continuation|suite|Fortsetzung|Forts\.?)\)?$", re.IGNORECASE)


def _continue_row(read: ReadRow, texts: list[str]) -> None:
    """Each cell of a continuation row joins the cell above it, on a line of its own."""
    row = read.row
    assert row is not None
    for column, text in enumerate(texts, start=1):
        if column < len(row.cells) and plain(text):
            row.cells[column] = "\n".join(part for part in (row.cells[column], plain(text)) if part)
    read.text = render_row(row)


def _where(table: int, row: int, title: str | None, raw: str) -> str:
    """ "table 2 (Prioriteit 1), row 5 ('2.2 | de dialoog met ...')": where a user finds the row."""
    name = f"table {table}" + (f" ({title[:60]})" if title else "")
    opening = raw if len(raw) <= 40 else raw[:40].rsplit(" ", 1)[0] + "..."
    return f"{name}, row {row} ('{opening}')"


def _width(grid: Grid) -> int:
    """The table's number of columns: the header's when marked, else the most common row length."""
    if grid.header_rows:
        return max(len(row) for row in grid.rows[: grid.header_rows])
    counts = Counter(len(row) for row in grid.rows if any(c.text.strip() for c in row))
    if not counts:
        return 0
    return max(counts.items(), key=lambda item: (item[1], item[0]))[0]


def _inferred_header_rows(grid: Grid, width: int) -> int:
    """1 when the first row reads as column names (short, unpunctuated, no row label) and the rows
    below do not all read so too (a list of abbreviations is short words throughout), else 0."""
    if len(grid.rows) < 2 or not _looks_like_header([c.text for c in grid.rows[0]][:width]):
        return 0
    return 1 if any(not _looks_like_header([c.text for c in row][:width]) for row in grid.rows[1:]) else 0


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _reads_as_data(texts: list[str]) -> bool:
    """A row of data, not of column names: it opens with a row label ("1.1", "B.1", "Actie 3"), fills its first
    cell only, or holds a date and a text too long for a column name."""
    cells = [one_line(split_marks(t)[0]) for t in texts]
    if cells and ROW_LABEL.match(cells[0]):
        return True
    if len(cells) >= 3 and cells[0] and not any(cells[1:]):
        return True  # a heading across the table ("Operationele doelstelling 1"), not the names of its columns
    return any(_YEAR.search(c) for c in cells) and any(len(c.split()) > _MAX_HEADER_WORDS for c in cells)


def _looks_like_header(texts: list[str]) -> bool:
    cells = [one_line(split_marks(t)[0]) for t in texts]
    filled = [c for c in cells if c]
    if len(filled) < 2:
        return False
    if ROW_LABEL.match(cells[0]) or LABEL_OPENING.match(cells[0]) or _reads_as_data(texts):
        return False
    # "Nr." and "Resp." end in a full stop too: only a cell of a few words that ends so reads as a sentence.
    return all(len(c.split()) <= _MAX_HEADER_WORDS and not (_TERMINAL.search(c) and len(c.split()) > 2) for c in filled)


def _headers(rows: list[list[GridCell]], width: int) -> list[str]:
    """One header per column; several header rows are joined per column ("Termijn" over "start" -> "Termijn start")."""
    headers = [""] * width
    for cells in rows:
        previous = ""
        for column in range(width):
            cell = cells[column] if column < len(cells) else GridCell("")
            text = previous if cell.spans_left else one_line(split_marks(cell.text)[0])
            previous = text
            if text and text not in headers[column].split(" "):
                headers[column] = f"{headers[column]} {text}".strip()
    return headers


def _resolved(cells: list[GridCell], above: list[str]) -> list[str]:
    """The text of each position: a merged cell's text in every position it covers."""
    texts: list[str] = []
    for column, cell in enumerate(cells):
        if cell.spans_above:
            texts.append(above[column] if column < len(above) else "")
        elif cell.spans_left and texts:
            texts.append(texts[-1])
        else:
            texts.append(cell.text)
    return texts


def _spanning_text(cells: list[GridCell], texts: list[str], width: int) -> str | None:
    """The text of a row that spans the whole table (a heading inside it), else None."""
    if width < 2:
        return None
    own = [cell for cell in cells[:width] if not cell.spans_left and not cell.spans_above]
    merged_across = len(own) == 1 and len(cells) >= width and all(c.spans_left for c in cells[1:width])
    filled = [t for t in texts if t.strip()]
    first = one_line(split_marks(texts[0])[0]) if texts else ""
    alone = (len(filled) == 1 and first and width >= 3 and not ROW_LABEL.match(first)
             and len(first.split()) <= _MAX_SPANNING_WORDS and not _TERMINAL.search(first))
    if merged_across or alone:
        return one_line(texts[0])
    # "1 | Doelstelling 1 – ...": a number, then one cell merged across every other column, heads the rows below it
    # (an objective); a row of actions has a cell of its own in the columns of parties and dates.
    numbered = (width >= 3 and len(own) == 2 and len(cells) >= width and ROW_LABEL.match(first) is not None
                and not cells[1].spans_left and not cells[1].spans_above and texts[1].strip()
                and all(c.spans_left for c in cells[2:width]))
    if numbered:
        return f"{first} {one_line(texts[1])}"
    return None


def row_label(headers: list[str], cells: list[str]) -> str | None:
    """The row's number or name: a label cell ("1.2", "Actie 3") or the number opening its first cell."""
    if not cells:
        return None
    first = one_line(split_marks(cells[0])[0])
    match = ROW_LABEL.match(first)
    if match:
        return match.group(1) or match.group(2)
    if headers and one_line(headers[0]).lower() in NUMBER_HEADERS and first and len(first) <= 12:
        return first.rstrip(".")
    opening = LABEL_OPENING.match(first)
    return opening.group(1) if opening else None


def render_row(row: TableRow) -> str:
    """A row as it reads in search and in the document's text: "1.2 Actie: ...; Verantwoordelijk: LS, COM"."""
    parts: list[str] = []
    for column, (header, cell) in enumerate(zip(row.headers, row.cells)):
        text = plain(cell)
        if not text:
            continue
        is_label_cell = column == 0 and row.label is not None and ROW_LABEL.match(one_line(split_marks(text)[0]))
        if is_label_cell and (not header or one_line(header).lower() in NUMBER_HEADERS):
            parts.append(text)
            continue
        parts.append(f"{one_line(split_marks(header)[0])}: {text}" if header.strip() else text)
    label_first = len(parts) > 1 and row.label is not None and split_marks(parts[0])[0].rstrip(".") == row.label
    if label_first:
        return f"{parts[0]} {CELL_SEPARATOR.join(parts[1:])}"
    return CELL_SEPARATOR.join(parts)


SPANNING_ROW_LEVEL = 5  # a row across the table ("Prioriteit 2: ...") heads the rows below it


def table_lines(reading: TableReading) -> list[SourceLine]:
    """The source lines of a read table: a line per row, a heading per spanning row, unread rows as text."""
    lines: list[SourceLine] = []
    for read in reading.rows:
        if read.kind == "row":
            lines.append(SourceLine(read.text, page=read.page, hard_break=True, row=read.row))
        elif read.kind == "span":
            lines.append(SourceLine(read.text, page=read.page, hard_break=True, heading_level=SPANNING_ROW_LEVEL))
        else:
            lines.append(SourceLine(read.text, page=read.page, hard_break=True))
    return lines
