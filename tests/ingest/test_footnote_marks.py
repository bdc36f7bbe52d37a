"""Footnote marks glued to words by the conversion are found; real numbers are left alone."""

from __future__ import annotations

from ingest.footnote_marks import attach_glued_marks
from ingest.lines import FootnoteSource, SourceLine, SourceText, split_marks


def marked(lines: list[str], labels: list[str]) -> list[tuple[str, list[str]]]:
    source = SourceText([SourceLine(text, page=1) for text in lines],
                        [FootnoteSource(label, "noot", 1) for label in labels])
    return [split_marks(line.text) for line in attach_glued_marks(source).lines]


def test_glued_marks_are_found_in_order() -> None:
    result = marked(
        ["De strategie (2021-2025)1 en de drugsstrategie 2021-20252 vormen samen met het",
         "actieplan van 2012 en de misdaad3, waarbij 37 derde landen betrokken zijn."],
        ["1", "2", "3"],
    )
    assert result[0] == ("De strategie (2021-2025) en de drugsstrategie 2021-2025 vormen samen met het", ["1", "2"])
    assert result[1] == ("actieplan van 2012 en de misdaad, waarbij 37 derde landen betrokken zijn.", ["3"])


def test_numbers_are_not_marks_when_no_such_footnote_exists_on_the_page() -> None:
    result = marked(["In 2022 werd 44 ton in beslag genomen in 12 havens."], ["2"])
    assert result[0] == ("In 2022 werd 44 ton in beslag genomen in 12 havens.", [])
