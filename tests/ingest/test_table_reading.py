"""Tables through every reader: one passage per row with its headers, label and cells; broken tables warn."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from conclusio.records import Passage, TableRow, from_dict, to_dict
from ingest import parse_file
from ingest.pdf_tables import join_split_row
from ingest.tables import Grid, GridCell, read_grid

from action_plans import HEADERS, firearms_plan, html, markdown, write_docx, write_pdf


@pytest.fixture(scope="module")
def renderings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    plan = firearms_plan()
    folder = tmp_path_factory.mktemp("plan")
    (folder / "plan.md").write_text(markdown(plan), encoding="utf-8")
    (folder / "plan.html").write_text(html(plan), encoding="utf-8")
    return {
        "md": folder / "plan.md",
        "html": folder / "plan.html",
        "docx": write_docx(plan, folder / "plan.docx"),
        "pdf": write_pdf(plan, folder / "plan.pdf"),
    }


def rows_of(path: Path) -> list[Passage]:
    return [p for p in parse_file(path).passages if p.table_row is not None]


@pytest.mark.parametrize("rendering", ["md", "html", "docx", "pdf"])
def test_every_reader_reads_each_action_row_with_its_headers_label_and_cells(renderings, rendering) -> None:
    plan = firearms_plan()
    actions = [p for p in rows_of(renderings[rendering]) if p.table_row.headers == list(HEADERS)]
    assert [tuple(p.table_row.cells) for p in actions] == [row for priority in plan.priorities for row in priority.rows]
    assert [p.paragraph for p in actions] == [row[0] for priority in plan.priorities for row in priority.rows]
    assert {p.table_row.title for p in actions} == {priority.heading for priority in plan.priorities}
    assert [p.table_row.row for p in actions if p.table_row.table == actions[0].table_row.table] == [1, 2, 3, 4]
    assert actions[0].section_path[-1] == plan.priorities[0].heading


@pytest.mark.parametrize("rendering", ["md", "html", "docx", "pdf"])
def test_a_row_reads_as_header_and_cell_pairs_in_the_document_text(renderings, rendering) -> None:
    document = parse_file(renderings[rendering])
    row = next(p for p in document.passages if p.paragraph == "1.3")
    assert row.text == ("1.3 Actie: de gegevens over inbeslagnames jaarlijks aan Europol meedelen; "
                        "Verantwoordelijke partijen: LS; Tijdschema: jaarlijks; Indicator: aantal meldingen")
    assert document.text[row.char_start:row.char_end] == row.text
    assert row.kind == "body" and not document.warnings


@pytest.mark.parametrize("rendering", ["md", "docx", "pdf"])
def test_a_table_without_a_header_row_keeps_its_first_row(tmp_path: Path, rendering) -> None:
    # Markdown puts the first row where the header goes; the PDF leaves one row of a table at a page's foot.
    plan = replace(firearms_plan(), header_row=False)
    if rendering == "md":
        path = tmp_path / "plan.md"
        path.write_text(markdown(plan), encoding="utf-8")
    elif rendering == "docx":
        path = write_docx(plan, tmp_path / "plan.docx")
    else:
        path = write_pdf(plan, tmp_path / "plan.pdf", gap_before_tables=550)
    document = parse_file(path)
    actions = [p for p in document.passages if p.table_row is not None and p.table_row.headers == [""] * len(HEADERS)]
    assert [tuple(p.table_row.cells) for p in actions] == [row for priority in plan.priorities for row in priority.rows]
    assert [p.paragraph for p in actions] == [row[0] for priority in plan.priorities for row in priority.rows]
    if rendering == "pdf":
        assert next(p for p in actions if p.paragraph == "1.1").page + 1 == next(p for p in actions if p.paragraph == "1.2").page


def test_the_text_around_the_tables_is_kept(renderings) -> None:
    for path in renderings.values():
        texts = [p.text for p in parse_file(path).passages if p.table_row is None]
        assert "De Commissie zal in 2028 verslag uitbrengen over de uitvoering van dit actieplan." in texts
        assert "Lijst van afkortingen" in texts


def test_a_pdf_table_run_on_over_a_page_break_is_one_table_without_its_repeated_header(renderings) -> None:
    rows = [p for p in rows_of(renderings["pdf"]) if p.table_row.title == firearms_plan().priorities[1].heading]
    assert [p.paragraph for p in rows] == ["2.1", "2.2", "2.3", "2.4", "2.5"]
    assert {p.page for p in rows} == {1, 2}
    assert len({p.table_row.table for p in rows}) == 1


def test_a_table_row_survives_to_dict_and_from_dict() -> None:
    row = TableRow(table=2, row=1, headers=["Nr.", "Actie"], cells=["1.1", "versterken"], label="1.1", title="Prioriteit 1")
    passage = Passage("plan.md#3", "plan.md", 3, "body", "1.1 Actie: versterken", table_row=row)
    assert from_dict(Passage, to_dict(passage)) == passage
    assert from_dict(Passage, {k: v for k, v in to_dict(passage).items() if k != "table_row"}).table_row is None


BROKEN = """# Actieplan

Brussel, 2 februari 2026

| Nr. | Actie | Verantwoordelijk | Termijn |
| --- | --- | --- | --- |
| 1 | de samenwerking versterken | LS | 2026 |
| 2 | een verslag opstellen | COM |
| 3 | de regels evalueren | COM | 2027 | onduidelijk | nog iets |
| **Prioriteit 2: preventie** | | | |
| 4 | een campagne voeren | LS, COM | doorlopend |

Tekst na de tabel.
"""


def test_a_broken_markdown_table_keeps_every_row_it_can_read_and_names_the_others(tmp_path: Path) -> None:
    path = tmp_path / "gebroken.md"
    path.write_text(BROKEN, encoding="utf-8")
    document = parse_file(path)
    rows = {p.paragraph: p.table_row for p in document.passages if p.table_row}
    assert list(rows) == ["1", "2", "4"]
    assert rows["2"].cells == ["2", "een verslag opstellen", "COM", ""]
    assert "3 | de regels evalueren | COM | 2027 | onduidelijk | nog iets" in document.text  # kept as text
    assert document.warnings == [
        "table 1 (Actieplan), row 2 ('2 | een verslag opstellen | COM'): 3 cells for 4 columns; read as the first 3",
        "table 1 (Actieplan), row 3 ('3 | de regels evalueren | COM | 2027 |...'): 6 cells for 4 columns; kept as text",
    ]
    heading = next(p for p in document.passages if p.text == "Prioriteit 2: preventie")
    assert heading.kind == "heading"
    assert next(p for p in document.passages if p.paragraph == "4").section_path[-1] == "Prioriteit 2: preventie"
    assert "Tekst na de tabel." in document.text


def test_merged_html_cells_hold_their_text_in_every_position_they_cover(tmp_path: Path) -> None:
    path = tmp_path / "samengevoegd.html"
    path.write_text(
        "<html><body><h1>Actieplan</h1><table><tr><th>Nr.</th><th>Actie</th><th>Verantwoordelijk</th><th>Termijn</th></tr>"
        "<tr><td>1</td><td>de samenwerking versterken</td><td rowspan='2'>LS<br>COM</td><td>2026</td></tr>"
        "<tr><td>2</td><td>een verslag opstellen</td><td>eind 2027</td></tr>"
        "<tr><td colspan='4'>Prioriteit 2: preventie</td></tr>"
        "<tr><td>3</td><td>een campagne voeren</td><td>LS</td><td>doorlopend</td></tr></table></body></html>",
        encoding="utf-8")
    document = parse_file(path)
    rows = {p.paragraph: p.table_row for p in document.passages if p.table_row}
    assert rows["1"].cells[2] == rows["2"].cells[2] == "LS\nCOM"
    assert rows["2"].cells[3] == "eind 2027"
    assert any(p.kind == "heading" and p.text == "Prioriteit 2: preventie" for p in document.passages)
    assert not document.warnings


def test_merged_word_cells_and_a_merged_row_across_the_table(tmp_path: Path) -> None:
    import docx

    word = docx.Document()
    word.add_heading("Actieplan", 1)
    table = word.add_table(rows=5, cols=4)
    for column, header in enumerate(["Nr.", "Actie", "Verantwoordelijk", "Termijn"]):
        table.cell(0, column).text = header
    for index, cells in enumerate([["1", "de samenwerking versterken", "LS, COM", "2026"],
                                   ["2", "een verslag opstellen", "", "eind 2027"],
                                   ["", "", "", ""],
                                   ["3", "een campagne voeren", "Europol", "doorlopend"]], 1):
        for column, text in enumerate(cells):
            table.cell(index, column).text = text
    table.cell(1, 2).merge(table.cell(2, 2))
    merged = table.cell(3, 0).merge(table.cell(3, 3))
    merged.text = "Prioriteit 2: preventie"
    path = tmp_path / "samengevoegd.docx"
    word.save(str(path))
    document = parse_file(path)
    rows = {p.paragraph: p.table_row for p in document.passages if p.table_row}
    assert list(rows) == ["1", "2", "3"]
    assert rows["2"].cells[2] == "LS, COM"
    assert next(p for p in document.passages if p.paragraph == "3").section_path[-1] == "Prioriteit 2: preventie"


def test_a_row_cut_by_a_page_break_is_joined_to_its_first_part() -> None:
    header = ["Nr.", "Actie", "Verantwoordelijk", "Termijn"]
    first_page = [[GridCell(t) for t in header], [GridCell(t) for t in ["1", "de samenwerking", "LS", "2026"]]]
    next_page = [[GridCell(t) for t in header], [GridCell(t) for t in ["", "versterken", "", ""]],
                 [GridCell(t) for t in ["2", "een verslag opstellen", "COM", "2027"]]]
    rows = join_split_row(first_page, next_page, header)
    assert [[c.text for c in row] for row in rows] == [
        header, ["1", "de samenwerking versterken", "LS", "2026"], ["2", "een verslag opstellen", "COM", "2027"]]


def test_a_heading_row_in_the_header_position_heads_the_rows_below_it() -> None:
    # A table without a header row, written as Markdown: its first row, a heading across it, stands where the header goes.
    cells = [["Doelstelling 1 – Inlichtingen", "", "", ""], ["1.1", "een analyse opstellen", "Europol", "Q2 2027"],
             ["1.2", "gegevens verzamelen", "NL", "eind 2027"]]
    reading = read_grid(Grid([[GridCell(text) for text in row] for row in cells], header_rows=1), 1)
    assert reading.headers == ["", "", "", ""]
    assert [(row.kind, row.text) for row in reading.rows][0] == ("span", "Doelstelling 1 – Inlichtingen")
    assert [row.row.cells for row in reading.rows if row.row] == cells[1:]


def test_a_first_row_labelled_by_part_and_number_is_data_where_the_format_marks_it_as_the_header() -> None:
    # Markdown has no table without a header row: a table of rows "C.1", "C.2" puts its first row in the header's place.
    cells = [["C.1", "een register opzetten", "COM", "2027"], ["C.2", "controles uitvoeren", "LS", "doorlopend"]]
    reading = read_grid(Grid([[GridCell(text) for text in row] for row in cells], header_rows=1), 1)
    assert reading.headers == ["", "", "", ""]
    assert [(row.row.label, row.row.cells) for row in reading.rows if row.row] == [("C.1", cells[0]), ("C.2", cells[1])]


def test_a_number_then_one_cell_merged_across_the_other_columns_heads_the_rows_below_it() -> None:
    def row(*cells: str | None) -> list[GridCell]:
        return [GridCell("", spans_left=True) if cell is None else GridCell(cell) for cell in cells]

    grid = Grid([row("Nr.", "Actie", "Verantwoordelijk", "Termijn", "Indicator"),
                 row("3", "Doelstelling 3 – Preventie", None, None, None),
                 row("3.1", "een campagne voeren", "LS", "2027", "aantal campagnes"),
                 row("3.2", "een handleiding opstellen", "COM", "eind 2027", None)],  # merged over timetable and result
                header_rows=1)
    reading = read_grid(grid, 1)
    assert [(read.kind, read.text if read.kind == "span" else read.row.label) for read in reading.rows] == [
        ("span", "3 Doelstelling 3 – Preventie"), ("row", "3.1"), ("row", "3.2")]
    assert reading.rows[2].row.cells[2:] == ["COM", "eind 2027", "eind 2027"]


@pytest.mark.parametrize("mark", ["(vervolg)", "(continued)", "(suite)", "(con tinu ed)"])
def test_a_continuation_row_carries_on_the_row_above_it(mark: str) -> None:
    # A measure too long for one table line goes on in a row labelled so; a narrow PDF column breaks the label's word.
    cells = [["Nr.", "Maatregel", "Verantwoordelijk", "Termijn"],
             ["2.5", "een platform uitbreiden,", "Europol, LS", "Q1 2027"],
             [mark, "waarin ook analyses worden gedeeld", "en Frontex", ""],
             ["2.6", "opleidingen organiseren", "Cepol", "2027"]]
    reading = read_grid(Grid([[GridCell(text) for text in row] for row in cells], header_rows=1), 1)
    assert [row.row.cells for row in reading.rows] == [
        ["2.5", "een platform uitbreiden,\nwaarin ook analyses worden gedeeld", "Europol, LS\nen Frontex", "Q1 2027"],
        cells[3]]
    assert "waarin ook analyses" in reading.rows[0].text
