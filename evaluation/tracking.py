"""Evaluation of tracking against gold: progress, the deciding sentence and the status, per obligation.

A gold line names an obligation by a verbatim anchor of its text (found in an extracted obligation's
source text after the normalisation of shared/eval/README.md) and gives what a later report says of it:
``progress`` (done / in progress / no info), the ``deciding_sentence`` copied from the report (or null),
``expected_end`` for a rescheduled one, and the status the obligation should show on the evaluation day
(a key starting with ``status_as_of``).

Figures, over the gold obligations that were found among the extracted ones:
- progress accuracy, over all of them and over the *linked* ones (gold or system has a deciding sentence);
- deciding sentence: the system's deciding sentence is the gold sentence or contains it;
- status accuracy on the day;
- false completions: ``done`` where the gold says otherwise, and ``done`` without a completion sentence
  (the spec forbids the latter outright).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from evaluation.obligations import normalise_text
from tracking.status import TrackedObligation

_PUNCTUATION_SPACE = re.compile(r"\s+([,.;:])")


def _comparable(text: str) -> str:
    """Text as sentences are compared: markup gone, whitespace collapsed, case and quote styles ignored."""
    text = normalise_text(text).lower().replace("“", '"').replace("”", '"').replace("’", "'")
    return _PUNCTUATION_SPACE.sub(r"\1", text)


@dataclass
class TrackingOutcome:
    """One gold obligation and what tracking made of it."""

    anchor: str
    found: bool
    gold_progress: str
    progress: str | None = None
    gold_sentence: str | None = None
    sentence: str | None = None
    sentence_ok: bool | None = None
    gold_status: str | None = None
    status: str | None = None
    gold_expected_end: str | None = None
    expected_end: str | None = None
    completion_backed: bool | None = None  # for a done obligation: its deciding sentence reports completion


@dataclass
class TrackingEvaluation:
    """Outcomes for one gold file on one day."""

    gold: str
    as_of: str
    outcomes: list[TrackingOutcome] = field(default_factory=list)

    def _found(self) -> list[TrackingOutcome]:
        return [o for o in self.outcomes if o.found]

    def figures(self) -> dict[str, float | int]:
        found = self._found()
        linked = [o for o in found if o.gold_sentence or o.sentence]
        with_sentence = [o for o in found if o.gold_sentence]
        with_status = [o for o in found if o.gold_status]
        done = [o for o in found if o.progress == "done"]

        def share(rows: list[TrackingOutcome], ok) -> float:
            return sum(1 for o in rows if ok(o)) / len(rows) if rows else 0.0

        return {
            "gold_obligations": len(self.outcomes),
            "found": len(found),
            "progress_accuracy": share(found, lambda o: o.progress == o.gold_progress),
            "linked": len(linked),
            "progress_accuracy_linked": share(linked, lambda o: o.progress == o.gold_progress),
            "deciding_sentence": share(with_sentence, lambda o: bool(o.sentence_ok)),
            "status_accuracy": share(with_status, lambda o: o.status == o.gold_status),
            "false_done": sum(1 for o in done if o.gold_progress != "done"),
            "done_without_completion_sentence": sum(1 for o in done if not o.completion_backed),
        }

    def to_dict(self) -> dict:
        return {"gold": self.gold, "as_of": self.as_of, **self.figures(), "outcomes": [asdict(o) for o in self.outcomes]}

    def to_text(self) -> str:
        f = self.figures()
        lines = [
            f"tracking evaluation: {self.gold} as of {self.as_of}",
            f"gold obligations: {f['gold_obligations']}, found among the extracted: {f['found']}",
            f"progress right: {f['progress_accuracy']:.3f} of found; {f['progress_accuracy_linked']:.3f} of the "
            f"{f['linked']} linked",
            f"deciding sentence is the gold one (or contains it): {f['deciding_sentence']:.3f}",
            f"status right on the day: {f['status_accuracy']:.3f}",
            f"done where the gold says otherwise: {f['false_done']}; done without a completion sentence: "
            f"{f['done_without_completion_sentence']}",
        ]
        wrong = [o for o in self._found() if o.progress != o.gold_progress or (o.gold_sentence and not o.sentence_ok)]
        if wrong:
            lines.append("differences:")
            for o in wrong:
                lines.append(f"  {o.anchor[:60]!r}: progress {o.progress} (gold {o.gold_progress})")
                if o.gold_sentence and not o.sentence_ok:
                    lines.append(f"    sentence: {(o.sentence or '-')[:110]!r}")
                    lines.append(f"    gold:     {o.gold_sentence[:110]!r}")
        missing = [o for o in self.outcomes if not o.found]
        if missing:
            lines.append("gold obligations not among the extracted: " + "; ".join(o.anchor[:50] for o in missing))
        return "\n".join(lines)


def load_gold(path: Path) -> list[dict]:
    """Gold lines of a JSON-lines file, blank lines skipped."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate_tracking(gold_path: Path, rows: list[TrackedObligation], as_of: date) -> TrackingEvaluation:
    """Compare tracked obligations (status as of ``as_of``) with a gold file."""
    evaluation = TrackingEvaluation(str(gold_path), as_of.isoformat())
    texts = [(_comparable(row.obligation.source_text), row) for row in rows]
    for gold in load_gold(gold_path):
        anchor = _comparable(gold["obligation_anchor"])
        candidates = [row for text, row in texts if anchor in text]
        status_key = next((k for k in gold if k.startswith("status_as_of")), None)
        outcome = TrackingOutcome(
            anchor=gold["obligation_anchor"], found=bool(candidates), gold_progress=gold["progress"],
            gold_sentence=gold.get("deciding_sentence"), gold_status=gold.get(status_key) if status_key else None,
            gold_expected_end=gold.get("expected_end"),
        )
        if candidates:
            row = min(candidates, key=lambda r: len(r.obligation.source_text))
            deciding = row.deciding
            outcome.progress, outcome.status, outcome.expected_end = row.progress, row.status, row.expected_end
            outcome.sentence = deciding.text if deciding else None
            if outcome.gold_sentence:
                outcome.sentence_ok = bool(outcome.sentence) and (
                    _comparable(outcome.gold_sentence) in _comparable(outcome.sentence)
                )
            if row.progress == "done":
                outcome.completion_backed = deciding is not None and deciding.status == "completed"
        evaluation.outcomes.append(outcome)
    return evaluation
