"""Evaluation of the deadline normaliser against the dateparser baseline on the same written cases.

dateparser is only the baseline: it comes with the ``eval`` extra (``pip install -e .[eval]``); without it
the comparison says so and our own figure still stands.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from spacy.language import Language

from evaluation.datasets import DEADLINE_CASES
from nlp.deadlines import merge_recurrence, parse_deadlines


@dataclass
class DeadlineEvaluation:
    """Our normaliser against the dateparser baseline on the same deadline cases."""

    cases: int
    ours_correct: int
    baseline_correct: int
    rows: list[dict] = field(default_factory=list)
    baseline_missing: str | None = None  # why the baseline did not run

    def to_dict(self) -> dict:
        """Figures and per-case outcomes as JSON-ready data."""
        return {
            "cases": self.cases,
            "ours_accuracy": self.ours_correct / self.cases if self.cases else 0.0,
            "baseline_accuracy": None if self.baseline_missing else (
                self.baseline_correct / self.cases if self.cases else 0.0),
            "rows": self.rows,
        } | ({"baseline_missing": self.baseline_missing} if self.baseline_missing else {})

    def to_text(self) -> str:
        """A readable comparison."""
        figures = self.to_dict()
        lines = [
            f"deadline cases: {self.cases}",
            f"  ours (nlp.deadlines):            {figures['ours_accuracy']:.3f} ({self.ours_correct}/{self.cases})",
            f"  baseline (dateparser, nl):       {figures['baseline_accuracy']:.3f} ({self.baseline_correct}/{self.cases})"
            if self.baseline_missing is None else f"  baseline (dateparser, nl):       not run: {self.baseline_missing}",
            "scoring: a predicted end date is right when it lies in the expected period (start..end);",
            "         a non-deadline or open-ended case is right when no end date is predicted",
        ]
        lines += [f"  {'ok ' if r['ours_ok'] else 'BAD'} {'ok ' if r['baseline_ok'] else 'bad'} {r['text'][:70]!r} -> ours {r['ours_end']} / dateparser {r['baseline_date']} (expected {r['expected_end']})" for r in self.rows]
        return "\n".join(lines)


def _within(predicted: str | None, expected: dict | None) -> bool:
    expected_end = expected.get("end") if expected else None
    if expected_end is None:
        return predicted is None
    if predicted is None:
        return False
    start = expected.get("start") or expected_end
    return start <= predicted <= expected_end


def _baseline_date(search_dates, text: str, doc_date: date | None) -> str | None:
    settings = {"RELATIVE_BASE": datetime.combine(doc_date, datetime.min.time())} if doc_date else {}
    found = search_dates(text, languages=["nl"], settings=settings) or []
    return found[0][1].date().isoformat() if found else None


def evaluate_deadline_cases(nlp: Language, cases_path: Path = DEADLINE_CASES) -> DeadlineEvaluation:
    """Score our normaliser and dateparser's ``search_dates`` on the cases file (one JSON case per line)."""
    cases = [json.loads(line) for line in Path(cases_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    evaluation = DeadlineEvaluation(len(cases), 0, 0)
    try:
        from dateparser.search import search_dates
    except ImportError:
        search_dates = None
        evaluation.baseline_missing = "dateparser is not installed (pip install -e '.[eval]')"
    for case in cases:
        doc_date = date.fromisoformat(case["doc_date"]) if case.get("doc_date") else None
        expected = case.get("expected")
        ours = merge_recurrence(parse_deadlines(nlp, case["text"], doc_date))
        ours_ok = _within(ours.end if ours else None, expected) and (
            not expected or (ours is not None and ours.recurrence == expected.get("recurrence"))
        )
        baseline = _baseline_date(search_dates, case["text"], doc_date) if search_dates else None
        baseline_ok = _within(baseline, expected)
        evaluation.ours_correct += ours_ok
        evaluation.baseline_correct += baseline_ok
        evaluation.rows.append(
            {
                "text": case["text"],
                "expected_end": expected.get("end") if expected else None,
                "ours_end": ours.end if ours else None,
                "baseline_date": baseline,
                "ours_ok": ours_ok,
                "baseline_ok": baseline_ok,
            }
        )
    return evaluation
