"""Sentence readings that decide whether a clause states a plan, on docs annotated by the real pipeline."""

from __future__ import annotations

from nlp import plans
from nlp.annotate import annotate
from nlp.subjects import actor_spans


def test_dated_present_plan_needs_a_date_after_the_text_was_written(pipeline):
    later = annotate(pipeline, "Zoals aangekondigd, start de Commissie in 2026 een evaluatie.", doc_date="2025-11-21")
    plan = plans.dated_present_plan(later, later[:], actor_spans(later, 0, len(later)))
    assert plan is not None and plan.actors == ["Commissie"] and later[plan.verb_index].text == "start"
    past = annotate(pipeline, "Zoals aangekondigd, start de Commissie in 2025 een evaluatie.", doc_date="2025-11-21")
    assert plans.dated_present_plan(past, past[:], actor_spans(past, 0, len(past))) is None


def test_quoted_request_depends_on_the_kind_of_document(pipeline):
    text = "In die conclusies verzoekt de Raad de Commissie een verslag op te stellen."
    for kind, quoted in (("presidency_note", True), ("council_conclusions", False), (None, False)):
        doc = annotate(pipeline, text, doc_kind=kind)
        cue = next(c for c in doc.spans["modality"] if c.label_ == "INVITE")
        assert plans.reported_from_other_text(doc, cue, doc[:]) is quoted


def test_the_author_as_helper_and_elaborating_passives(pipeline):
    helped = annotate(pipeline, "De samenwerking zal worden voortgezet met steun van de Commissie.", main_actor="Commissie")
    assert plans.author_only_helps(helped, helped[:])
    how = annotate(pipeline, "Hierbij zal gebruik worden gemaakt van bestaande netwerken.", main_actor="Commissie")
    assert plans.elaborates_previous(how, how[:])
