"""Plain text and Markdown converted from PDF: lines, pages and footnotes recovered.

Two artefacts of the PDF conversion carry the page structure and are consumed here:
a line that starts with a space where a page began, and a footnote block at the bottom of a
page (Council style: a line of spaces then "1 Doc. 8085/21."; Markdown style: ``---`` then
``<sup>1</sup> text``). Neither may reach a body passage.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from statistics import median

from ingest.decode import decode_text, normalise_chars
from ingest.errors import IngestError
from ingest.footnote_marks import attach_glued_marks
from ingest.units import HEADER_FIELD, LETTERED, NUMBERED, addressee, is_bullet, is_recital, labelled_field
from ingest.lines import FootnoteSource, SourceLine, SourceText, footnote_mark, split_marks
from ingest.tables import Grid, GridCell, read_grid, table_lines

_SUP = re.compile(r"<sup>\s*([0-9]{1,3}|[a-z*†‡])\s*</sup>", re.IGNORECASE)
_SUP_DEFINITION = re.compile(r"^\s*<sup>\s*([0-9]{1,3}|[a-z*†‡])\s*</sup>\s*(.*)$", re.IGNORECASE)
_COUNCIL_FOOTNOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]*)\)")
_MD_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_EMPHASIS = re.compile(r"(?<!\\)\*{1,3}")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
BOLD_LINE_LEVEL = 6  # the heading level given to a bold line standing alone
_BOLD_ONLY = re.compile(r"^\*{2,3}(?:(?!\*\*).)+\*{2,3}[.:]?$")
_MD_LIST_ITEM = re.compile(r"^[*+]\s+(?=\S)")  # "* item" would otherwise lose its bullet with the emphasis
_MARKDOWN_SIGN = re.compile(r"^#{1,6}\s|<sup>|^\*\*\S|^-{3,}\s*$|^\s*<https?://|\]\(https?://|^\s*\|?\s*:?-{3,}:?\s*\|")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_THEMATIC_BREAK = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_SENTENCE_END = re.compile(r"[.!?;:]['\"”’)]*$")
_SEPARATOR_MIN_SPACES = 10  # a footnote separator is a long run of spaces, not a stray " " line


def read_text_file(path: Path, data: bytes, _ocr_language: str) -> tuple[SourceText, str]:
    """The reader of .txt and .md files (see ``ingest.readers``): decoded, characters normalised, then read."""
    if data.startswith(b"%PDF-") or data.startswith(b"PK\x03\x04"):
        raise IngestError(path, "binary content (a PDF or ZIP file) with a text file name")
    text = normalise_chars(decode_text(path, data))
    return read_text(text), text


def read_text(text: str) -> SourceText:
    """Lines, pages and footnotes of a text or Markdown file converted from PDF."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    content = [i for i, line in enumerate(raw_lines) if line.strip()]
    markdown = any(_MARKDOWN_SIGN.search(raw_lines[i]) for i in content)
    wrapped = median(len(raw_lines[i].rstrip()) for i in content) < 120 if content else False
    if markdown or not wrapped:
        return _read_paragraphs(raw_lines)  # Markdown separates blocks with blank lines on purpose
    return _read_wrapped(raw_lines, blank_lines_break=not _is_interleaved(raw_lines, content))


def _is_interleaved(lines: list[str], content: list[int]) -> bool:
    """True when a converter put a blank line after every wrapped line (the blanks mean nothing)."""
    if len(content) < 10:
        return False
    followed_by_single_blank = sum(1 for a, b in zip(content, content[1:]) if b == a + 2)
    return followed_by_single_blank / (len(content) - 1) > 0.6


def _read_wrapped(raw_lines: list[str], blank_lines_break: bool) -> SourceText:
    """Hard-wrapped text (every physical line a line of the PDF); blank lines end a paragraph only
    when the converter did not put one after every line."""
    lines: list[SourceLine] = []
    footnotes: list[FootnoteSource] = []
    page = 1
    seen_content = False
    in_footnotes = False
    md_block = False
    pending_break = False
    for raw in raw_lines:
        stripped = raw.strip()
        if not stripped:
            if len(raw) >= _SEPARATOR_MIN_SPACES and seen_content:
                in_footnotes, md_block = True, False
            elif (raw or blank_lines_break) and seen_content:
                pending_break = True  # a line holding only a space or two: an empty paragraph in the PDF
            continue
        if _THEMATIC_BREAK.match(raw) and seen_content:
            in_footnotes, md_block = True, True
            continue
        starts_page = raw[0] in " \t\f" and seen_content
        if raw.startswith("\f") and seen_content:
            starts_page = True
        if in_footnotes:
            definition = _SUP_DEFINITION.match(stripped) if md_block else None
            council = _COUNCIL_FOOTNOTE.match(stripped) if not md_block else None
            if starts_page or not (definition or council or footnotes):
                in_footnotes = False
                page += 1
                pending_break = False
                starts_page = False
            else:
                _add_footnote_line(footnotes, definition or council, stripped, page)
                continue
        if starts_page:
            _salvage_unruled_footnotes(lines, footnotes, page)
            page += 1
        seen_content = True
        heading = _MD_HEADING.match(stripped)
        level = len(heading.group(1)) if heading else None
        body = heading.group(2) if heading else stripped
        lines.append(
            SourceLine(_clean_markdown(body), page=page, hard_break=pending_break or level is not None,
                       heading_level=level)
        )
        pending_break = level is not None
    _salvage_unruled_footnotes(lines, footnotes, page)
    source = SourceText(lines=lines, footnotes=footnotes, pages=page, soft_wrapped=True)
    return attach_glued_marks(source)


def _salvage_unruled_footnotes(lines: list[SourceLine], footnotes: list[FootnoteSource], page: int) -> None:
    """Footnotes a conversion left without their rule of spaces: the page's last lines "N text",
    numbered on from the last footnote seen, are moved out of the body."""
    expected = int(footnotes[-1].label) + 1 if footnotes and footnotes[-1].label.isdigit() else 1
    start = len(lines)
    while start > 0 and lines[start - 1].page == page and _COUNCIL_FOOTNOTE.match(lines[start - 1].text):
        start -= 1
    tail = [_COUNCIL_FOOTNOTE.match(line.text) for line in lines[start:]]
    labels = [int(match.group(1)) for match in tail if match]
    if not labels or labels != list(range(expected, expected + len(labels))):
        return
    if start == 0 or lines[start - 1].page != page:
        return  # a page of numbered lines only is a list, not notes
    footnotes.extend(FootnoteSource(match.group(1), match.group(2), page) for match in tail if match)
    del lines[start:]


def _add_footnote_line(footnotes: list[FootnoteSource], match: re.Match[str] | None, line: str, page: int) -> None:
    """A new footnote when the line opens with the next label, else a continuation of the last one."""
    if match:
        label = match.group(1)
        expected = str(int(footnotes[-1].label) + 1) if footnotes and footnotes[-1].label.isdigit() else None
        if expected is None or label == expected or not footnotes or footnotes[-1].page != page:
            footnotes.append(FootnoteSource(label, _clean_markdown(match.group(2)), page))
            return
    if footnotes:
        footnotes[-1].text = f"{footnotes[-1].text} {_clean_markdown(line)}".strip()


def _read_paragraphs(raw_lines: list[str]) -> SourceText:
    """Text whose paragraphs are separated by blank lines (Markdown style)."""
    blocks = _blocks(raw_lines)
    lines: list[SourceLine] = []
    footnotes: list[FootnoteSource] = []
    warnings: list[str] = []
    tables = 0
    page = 1
    index = 0
    after_page_break = False
    while index < len(blocks):
        block = blocks[index]
        first = block[0].strip()
        if _THEMATIC_BREAK.match(first) and len(block) == 1:
            following = blocks[index + 1][0].strip() if index + 1 < len(blocks) else ""
            if _SUP_DEFINITION.match(following):
                index += 1
                while index < len(blocks) and _SUP_DEFINITION.match(blocks[index][0].strip()):
                    for raw in blocks[index]:
                        definition = _SUP_DEFINITION.match(raw.strip())
                        _add_footnote_line(footnotes, definition, raw.strip(), page)
                    index += 1
                page += 1
                after_page_break = True
                continue
            index += 1
            continue
        if _SUP_DEFINITION.match(first):  # notes without a "---" rule before them: still notes, not body
            for raw in block:
                _add_footnote_line(footnotes, _SUP_DEFINITION.match(raw.strip()), raw.strip(), page)
            index += 1
            continue
        for kind, piece in _split_tables(block):
            if kind == "table":
                tables += 1
                reading = read_grid(_pipe_grid(piece, page), tables, _last_heading(lines))
                lines.extend(table_lines(reading))
                warnings.extend(reading.warnings)
                continue
            for part in _split_units(piece):
                lines.extend(_block_lines(part, page, lines, after_page_break))
                after_page_break = False
        index += 1
    return SourceText(lines=lines, footnotes=footnotes, pages=page, soft_wrapped=False, warnings=warnings)


_PIPE_RULE_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _is_rule_row(line: str) -> bool:
    """The line under a pipe table's header: "| --- | :---: |"."""
    cells = _pipe_cells(line)
    return "|" in line and len(cells) >= 1 and all(_PIPE_RULE_CELL.match(cell) for cell in cells)


def _is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1


def _split_tables(block: list[str]) -> list[tuple[str, list[str]]]:
    """A block cut into text and pipe tables: a header row, its rule and the rows with a pipe below it;
    or, without a rule, two or more lines that open and close with a pipe."""
    pieces: list[tuple[str, list[str]]] = []
    index = 0
    text: list[str] = []
    while index < len(block):
        line = block[index]
        ruled = "|" in line and index + 1 < len(block) and _is_rule_row(block[index + 1])
        unruled = _is_pipe_row(line) and index + 1 < len(block) and _is_pipe_row(block[index + 1])
        if ruled or unruled:
            end = index + 2 if ruled else index + 1
            while end < len(block) and ("|" in block[end] if ruled else _is_pipe_row(block[end])):
                end += 1
            if text:
                pieces.append(("text", text))
                text = []
            pieces.append(("table", block[index:end]))
            index = end
            continue
        text.append(line)
        index += 1
    if text:
        pieces.append(("text", text))
    return pieces


def _pipe_cells(line: str) -> list[str]:
    """The cells of a pipe-table row; an escaped pipe ("\\|") stays in its cell."""
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|"):
        stripped = stripped[:-1]
    return [cell.replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", stripped)]


def _pipe_grid(rows: list[str], page: int) -> Grid:
    """A pipe table as a grid; the rule row marks the one header row."""
    ruled = len(rows) > 1 and _is_rule_row(rows[1])
    body = [rows[0]] + rows[2:] if ruled else rows
    grid_rows = [[GridCell(_clean_markdown(_BR.sub("\n", cell))) for cell in _pipe_cells(row)] for row in body]
    return Grid(grid_rows, header_rows=1 if ruled else None, pages=[page] * len(grid_rows))


def _last_heading(lines: list[SourceLine]) -> str | None:
    """The text of the last heading read so far (the title a table is found under)."""
    return next((split_marks(line.text)[0] for line in reversed(lines) if line.heading_level is not None), None)


def _blocks(raw_lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines; a hard line break after a self-contained line also ends a run."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in raw_lines:
        if raw.strip():
            if current and HEADER_FIELD.match(raw.strip()):
                blocks.append(current)
                current = []
            current.append(raw)
            # A hard line break ends the run after a line standing on its own: a bold heading, or a record's
            # field ("**Trekker:** ICMH  ", "**Timing:** 2026  "), whose next line is the next field.
            if raw.endswith("  ") and (_balanced_emphasis(raw.strip()) or labelled_field(_clean_markdown(raw))):
                blocks.append(current)
                current = []
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _split_units(block: list[str]) -> list[list[str]]:
    """A block cut where a line opens a unit after a finished line ("1. ...", "a) ...", "van: ...")."""
    parts: list[list[str]] = [[]]
    for raw in block:
        line = _clean_markdown(raw)
        previous = _clean_markdown(parts[-1][-1]) if parts[-1] else ""
        opens_unit = bool(
            NUMBERED.match(line) or LETTERED.match(line) or is_bullet(line) or HEADER_FIELD.match(line)
            or addressee(line) or is_recital(line)
        )
        after_finished = _SENTENCE_END.search(previous) or HEADER_FIELD.match(previous) or HEADER_FIELD.match(line)
        in_list = bool(parts[-1]) and _list_kind(_clean_markdown(parts[-1][0])) == _list_kind(line) is not None
        if parts[-1] and opens_unit and (after_finished or in_list):
            parts.append([])
        parts[-1].append(raw)
    return parts


def _list_kind(line: str) -> str | None:
    """"numbered", "lettered" or "bullet" for a list item line (items of one list follow each other)."""
    if NUMBERED.match(line):
        return "numbered"
    if LETTERED.match(line):
        return "lettered"
    return "bullet" if is_bullet(line) else None


def _balanced_emphasis(line: str) -> bool:
    """True when the line opens and closes its own emphasis ("***Actie 8: ...***", "Brussel, 18.10.2023")."""
    return line.startswith("*") == line.endswith("*")


def _block_lines(block: list[str], page: int, previous: list[SourceLine], after_page_break: bool) -> list[SourceLine]:
    """One paragraph (a Markdown block) as one source line; headings keep their level."""
    joined = " ".join(line.strip() for line in block)
    heading = _MD_HEADING.match(joined)
    level: int | None = None
    if heading:
        level, joined = len(heading.group(1)), heading.group(2)
    elif _BOLD_ONLY.match(joined) and _looks_like_heading(_clean_markdown(joined)):
        level = BOLD_LINE_LEVEL  # a bold line standing alone acts as a heading in converted documents
    text = _clean_markdown(joined)
    hard = True
    if level is None and previous and _bold_opening_of(previous[-1], text):
        # "**Kaderbesluit ... en met**" | page break, footnotes | "**betrekking tot ...** zal ...": one
        # sentence whose bold opening ran to the page's end, not a heading (it would reset the section).
        previous[-1] = replace(previous[-1], heading_level=None)
    if level is None and previous and previous[-1].heading_level is None:
        # A paragraph cut by a page break (often around a footnote block) continues where it stopped:
        # the previous one has no closing punctuation, and this one goes on in lower case or after the break.
        unfinished = not _SENTENCE_END.search(split_marks(previous[-1].text)[0])
        # A header field ("aan: het Comité") always starts afresh, even after an unfinished "van: ..." line.
        continued = unfinished and (after_page_break or _starts_lowercase(text))
        hard = HEADER_FIELD.match(text) is not None or not continued
    return [SourceLine(text, page=page, hard_break=hard, heading_level=level)]


def _bold_opening_of(line: SourceLine, text: str) -> bool:
    """True when ``line``, taken for a bold heading, is the unfinished start of the paragraph ``text``."""
    return (line.heading_level == BOLD_LINE_LEVEL and _starts_lowercase(text)
            and not _SENTENCE_END.search(split_marks(line.text)[0]) and not line.text.rstrip().endswith(":"))


def _looks_like_heading(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 25:
        return False
    return not re.search(r"[;,]$", text)


def _starts_lowercase(text: str) -> bool:
    letters = text.lstrip("\"'“‘(")
    return bool(letters) and letters[0].islower()


def _clean_markdown(text: str) -> str:
    """Markdown and HTML markup removed; footnote marks kept as sentinels."""
    text = _SUP.sub(_sup_replacement, text)
    text = _MD_LIST_ITEM.sub("- ", text)
    text = _MD_LINK.sub(_link_text, text)
    text = _MD_AUTOLINK.sub(r"\1", text)
    text = _HTML_TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _sup_replacement(match: re.Match[str]) -> str:
    """A footnote sentinel, except inside a word ("ma<sup>3</sup>tch" is the name "ma³tch")."""
    text, start, end = match.string, match.start(), match.end()
    inside_word = start > 0 and text[start - 1].isalpha() and end < len(text) and text[end].isalpha()
    if inside_word:
        return match.group(1).translate(_SUPERSCRIPTS)
    return footnote_mark(match.group(1))


def _link_text(match: re.Match[str]) -> str:
    label, target = match.group(1).strip(), match.group(2).strip()
    if not target or target == "#":
        return label
    if target in label.replace("\\", ""):
        return target
    if not label:
        return target
    return f"{label} ({target})"
