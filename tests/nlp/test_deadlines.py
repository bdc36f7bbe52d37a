"""The deadline tagger and normaliser on every row of shared/spec/deadlines.md and the tricky cases."""

from __future__ import annotations

import json
from datetime import date

import pytest
import spacy

import nlp.factories  # noqa: F401  (registers the components)
from nlp.deadlines import merge_recurrence, normalise, parse_deadlines, tag_text
from evaluation.datasets import DEADLINE_CASES

CASES = [json.loads(line) for line in DEADLINE_CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
DOC_DATE = date(2024, 6, 13)


@pytest.mark.parametrize("case", CASES, ids=[c["note"] or c["text"][:40] for c in CASES])
def test_case_file(pipeline, case):
    doc_date = date.fromisoformat(case["doc_date"]) if case["doc_date"] else None
    governing = merge_recurrence(parse_deadlines(pipeline, case["text"], doc_date))
    expected = case["expected"]
    if expected is None:
        assert governing is None or governing.end is None
        return
    assert governing is not None
    assert (governing.start, governing.end, governing.granularity, governing.recurrence) == (
        expected["start"],
        expected["end"],
        expected["granularity"],
        expected["recurrence"],
    )


def test_normalise_keeps_the_written_text(pipeline):
    deadline = normalise(pipeline, "tegen eind 2024", DOC_DATE)
    assert deadline is not None
    assert deadline.text == "tegen eind 2024"
    assert (deadline.start, deadline.end, deadline.granularity) == ("2024-10-01", "2024-12-31", "quarter")


def test_normalise_without_temporal_expression_is_none(pipeline):
    assert normalise(pipeline, "de lidstaten en Europol", DOC_DATE) is None


def test_date_without_year_takes_the_next_year_when_already_past(pipeline):
    assert normalise(pipeline, "vóór 1 maart", DOC_DATE).end == "2025-02-28"
    assert normalise(pipeline, "op 2 juli", DOC_DATE).end == "2024-07-02"


def test_date_without_year_and_without_document_date_has_no_end(pipeline):
    deadline = normalise(pipeline, "op 2 juli", None)
    assert deadline is not None and deadline.end is None


def test_excluded_expressions_say_why(pipeline):
    tagged = tag_text(pipeline, "De EU-drugsstrategie 2021-2025 vormt het kader. In april 2024 heeft Europol dat gedaan.", DOC_DATE)
    assert [t.excluded for t in tagged] == ["name", "past"]


def test_past_tense_clause_is_no_deadline_even_when_the_year_is_not_over(pipeline):
    assert parse_deadlines(pipeline, "De twee studies die de Commissie in 2024 heeft gestart, zijn afgerond.", DOC_DATE) == []


def test_future_clause_beside_a_past_one_keeps_its_date(pipeline):
    found = parse_deadlines(pipeline, "De studie die in 2024 werd gestart, zal in 2025 worden afgerond.", DOC_DATE)
    assert [d.end for d in found] == ["2025-12-31"]


def test_a_code_of_two_letters_and_figures_is_no_range_of_quarters(pipeline):
    # Only "Q1-Q2" and "K3/K4" are ranges of quarters; a language level "A1-B2" or a form "A4-2026" names no period.
    found = parse_deadlines(pipeline, "De cursus op niveau A1-B2 2025 wordt herzien; formulier A4-2025 volgt in 2025.", DOC_DATE)
    assert [(d.text, d.end) for d in found] == [("in 2025", "2025-12-31")]
    assert [d.end for d in parse_deadlines(pipeline, "Dat gebeurt in Q3-Q4 2025.", DOC_DATE)] == ["2025-12-31"]


@pytest.mark.parametrize("text, end", [
    ("De Commissie zal binnen twaalf maanden na aanneming een verslag indienen.", "2025-06-13"),
    ("De lidstaten zullen binnen zes maanden na de goedkeuring door de Raad een contactpunt aanwijzen.", "2024-12-13"),
    # something else adopted, submitted or entering into force: its date is not the document's
    ("De lidstaten zullen binnen zes maanden na de aanneming van de richtlijn een contactpunt aanwijzen.", None),
    ("De Commissie zal het voorstel bespreken en binnen drie maanden na de goedkeuring ervan een advies geven.", None),
    ("De Commissie zal binnen drie maanden na de indiening een advies geven.", None),
    ("De lidstaten zullen binnen een jaar na de inwerkingtreding van de verordening verslag uitbrengen.", None),
])
def test_a_span_after_the_adoption_of_nothing_named_counts_from_the_documents_date(pipeline, text, end):
    (found,) = parse_deadlines(pipeline, text, DOC_DATE)
    assert found.text.startswith("binnen") and found.end == end


def test_registered_component_fills_doc_spans():
    blank = spacy.blank("nl")
    blank.add_pipe("sentencizer")
    blank.add_pipe("conclusio_deadline_tagger")
    doc = blank.make_doc("Europol wordt verzocht tegen eind 2024 een verslag te publiceren.")
    doc._.doc_date = "2024-06-13"
    for _, component in blank.pipeline:
        doc = component(doc)
    spans = doc.spans["deadlines"]
    assert [s.text for s in spans] == ["tegen eind 2024"]
    assert spans[0]._.deadline.end == "2024-12-31"
