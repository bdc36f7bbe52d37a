"""The evaluation functions: gold units on the dev document, deadline cases against dateparser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conclusio.errors import ConclusioError

from evaluation.deadlines import evaluate_deadline_cases
from evaluation.obligations import actor_naming, evaluate_gold, normalise_text, text_abbreviations
from evaluation.datasets import ACTION_PLANS, DEADLINE_CASES

GOLD = Path("/work/shared/eval/obligations_000.jsonl")


def test_normalise_text_removes_markup_and_collapses_whitespace():
    assert normalise_text("de **Commissie**<sup>12</sup>  zal\n *dit* doen") == "de Commissie zal dit doen"


def test_a_short_form_and_its_expansion_in_the_documents_list_name_one_actor():
    naming = actor_naming({"OvJ": "(officier van) Justitie", "RWS": "Rijkswaterstaat", "LS": "lidstaten"})
    assert naming("Rijkswaterstaat") == naming("RWS") == naming("rws")
    assert naming("officier van Justitie") == naming("Justitie") == naming("(officier van) Justitie") == naming("OvJ")
    assert naming("Rijkswaterstaat") != naming("lidstaten")
    assert naming("Europol") == "Europol"  # a name the list does not hold stays itself


def test_a_short_form_the_text_introduces_in_brackets_names_the_same_actor():
    text = "Het college nodigt de Stichting Veilig Wonen (SVW) uit om in 2027 een plan op te stellen."
    assert text_abbreviations(text) == {"SVW": "Stichting Veilig Wonen"}
    naming = actor_naming(text_abbreviations(text))
    assert naming("SVW") == naming("Stichting Veilig Wonen")
    assert text_abbreviations("in het eerste kwartaal (Q1) van 2027") == {}


def _ingest_available() -> bool:
    try:
        from ingest import parse_file  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not GOLD.exists() or not _ingest_available(), reason="needs the dev gold and ingest.parse_file")
def test_dev_gold_figures(nlp_pipeline, corpus_dir):
    evaluation = evaluate_gold(nlp_pipeline, GOLD, corpus_dir)
    figures = evaluation.figures()
    print(evaluation.to_text())
    assert figures["recall"] >= 0.95
    assert figures["precision"] >= 0.90
    assert figures["actor_accuracy"] >= 0.95
    assert figures["deadline_accuracy"] >= 0.95
    assert json.dumps(evaluation.to_dict())


@pytest.mark.parametrize("rendering, documents", [
    ("md", ["plan_a", "plan_b", "progress_excerpt"]),
    ("docx", ["plan_b"]),
    ("pdf", ["plan_b"]),
    # written blind by someone else; failures seen on them were fixed by rules for their kind, then kept as dev sets
    ("md", ["plan_d", "plan_e"]),
    ("docx", ["plan_d", "plan_e"]),
    ("pdf", ["plan_d", "plan_e"]),
    # a third writer's, held out until measured once (README); the four causes found were fixed by rules for their kind
    ("md", ["plan_f", "plan_g"]),
    ("docx", ["plan_f", "plan_g"]),
    ("pdf", ["plan_f", "plan_g"]),
    # a fourth writer's roadmap, run once blind (README); a status column, dropped rows, a "(vervolg)" line
    ("md", ["plan_h", "plan_i"]),
    ("docx", ["plan_h", "plan_i"]),
    ("pdf", ["plan_h", "plan_i"]),
    # a fifth writer's, run once blind (README): field blocks with involved parties, inline labels, merged cells,
    # numbered running-text actions
    ("md", ["plan_j", "plan_k", "plan_l"]),
    ("docx", ["plan_j", "plan_k", "plan_l"]),
    ("pdf", ["plan_j", "plan_k", "plan_l"]),
])
def test_action_plans_in_every_rendering(nlp_pipeline, rendering, documents):
    gold = [ACTION_PLANS / f"{document}.gold.jsonl" for document in documents]
    evaluation = evaluate_gold(nlp_pipeline, gold, ACTION_PLANS / rendering)
    figures = evaluation.figures()
    print(evaluation.to_text())
    assert evaluation.documents == documents
    for name in ("precision", "recall", "actor_accuracy", "deadline_accuracy"):
        assert figures[name] >= 0.95, name


def test_a_folder_with_two_renderings_of_a_document_is_refused(nlp_pipeline, tmp_path):
    (tmp_path / "plan.md").write_text("# Plan", encoding="utf-8")
    (tmp_path / "plan.pdf").write_bytes(b"%PDF-1.7")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "x", "doc": "plan", "anchor": "a", "actors": []}) + "\n", encoding="utf-8")
    with pytest.raises(ConclusioError, match="2 files for gold document 'plan'"):
        evaluate_gold(nlp_pipeline, gold, tmp_path)


def test_gold_with_a_missing_document_names_it(tmp_path, nlp_pipeline):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "x", "doc": "999", "anchor": "a", "actors": []}) + "\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="999"):
        evaluate_gold(nlp_pipeline, gold, tmp_path)


def test_deadline_cases_ours_beats_the_dateparser_baseline(nlp_pipeline):
    pytest.importorskip("dateparser")
    evaluation = evaluate_deadline_cases(nlp_pipeline, DEADLINE_CASES)
    figures = evaluation.to_dict()
    assert figures["cases"] == len(evaluation.rows) > 40
    assert figures["ours_accuracy"] > figures["baseline_accuracy"]
    assert "dateparser" in evaluation.to_text()
