"""HTML ingestion of an EUR-Lex-style page: headings by class, points in tables, linked notes."""

from __future__ import annotations

from pathlib import Path

from ingest import parse_file


def test_structure_of_an_eurlex_page(eurlex_html: Path) -> None:
    document = parse_file(eurlex_html)
    headings = [p.text for p in document.passages if p.kind == "heading"]
    assert headings[:2] == ["Conclusies van de Raad over de bestrijding van drugshandel", "Inleiding"]
    points = {p.paragraph: p for p in document.passages if p.kind == "body" and p.paragraph}
    assert list(points) == ["1", "2"]
    assert points["1"].addressees == "verzoekt de Raad de lidstaten:"
    assert "a) de genomen maatregelen" in points["2"].text
    assert all(p.page is None for p in document.passages)
    assert document.metadata.date == "2025-11-21" and document.metadata.pages is None
    assert document.media_type == "text/html"


def test_footnotes_of_an_eurlex_page(eurlex_html: Path) -> None:
    document = parse_file(eurlex_html)
    notes = {p.footnote_label: p for p in document.passages if p.kind == "footnote"}
    assert notes["1"].text == "Doc. 14114/23."
    assert notes["2"].text.startswith("PB L 135")
    point = next(p for p in document.passages if p.paragraph == "1")
    assert point.footnote_refs == ["2"] and notes["2"].cited_by == point.passage_id
    assert "(2)" not in point.text and point.text.endswith("2016/794;")
    for passage in document.passages:
        if passage.kind != "footnote":
            assert "14114/23" not in passage.text


def test_ordered_lists_keep_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "lijst.html"
    path.write_text(
        "<html><body><h2>Conclusies</h2><p>verzoekt de Raad de lidstaten:</p><ol>"
        "<li>de samenwerking te versterken, met name:<ol type='a'><li>in havens;</li><li>op luchthavens;</li></ol></li>"
        "<li>verslag uit te brengen.</li></ol></body></html>", encoding="utf-8")
    points = {p.paragraph: p for p in parse_file(path).passages if p.kind == "body" and p.paragraph}
    assert list(points) == ["1", "2"]
    assert points["1"].text == "de samenwerking te versterken, met name:\na) in havens;\nb) op luchthavens;"
    assert points["2"].addressees == "verzoekt de Raad de lidstaten:"


def test_nested_eurlex_tables_keep_the_point_and_its_sub_points(tmp_path: Path) -> None:
    path = tmp_path / "genest.html"
    path.write_text(
        "<html><body><p class='oj-normal'>verzoekt de Raad de Commissie:</p><table><tr><td><p>1.</p></td>"
        "<td><p>een verslag op te stellen over:</p><table><tr><td><p>(a)</p></td><td><p>de havens;</p></td></tr>"
        "<tr><td><p>(b)</p></td><td><p>de luchthavens;</p></td></tr></table></td></tr>"
        "<tr><td><p>2.</p></td><td><p>de lidstaten te steunen.</p></td></tr></table></body></html>", encoding="utf-8")
    points = {p.paragraph: p for p in parse_file(path).passages if p.kind == "body" and p.paragraph}
    assert points["1"].text == "een verslag op te stellen over:\na) de havens;\nb) de luchthavens;"
    assert points["2"].text == "de lidstaten te steunen."
