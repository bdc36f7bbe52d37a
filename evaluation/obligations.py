"""Evaluation of obligation extraction against gold units (shared/eval/README.md).

Matching follows shared/eval/README.md: a gold unit is found when an extracted obligation's
source text contains its anchor, after collapsing whitespace and removing ``**``, ``*`` and
``<sup>..</sup>``. Each extracted obligation matches at most one gold unit. Optional gold units
count neither as misses nor (when matched) as false positives.

Field accuracies are over matched non-optional units:
- actors: the canonical actor sets are equal; a short form of the document's own list of abbreviations and the
  name the list writes it out to are one actor ("JenV" = "minister van Justitie en Veiligheid" where the list has
  "JenV | (minister van) Justitie en Veiligheid"), and so are a name and the short form the text introduces for
  it in brackets ("de Nederlandse Vereniging van Banken (NVB)"): writers of gold differ on which of the two they
  keep, and both name the same body;
- deadline: both absent, or both present with ends at most 31 days apart;
- verbs: Jaccard similarity of the verb sets >= 0.5;
- modality: equal.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from spacy.language import Language

from conclusio.errors import ConclusioError
from conclusio.records import Obligation
from ingest import SUPPORTED_SUFFIXES, parse_file
from nlp import extract_obligations
from nlp.parties import document_abbreviations

MARKUP = re.compile(r"<sup>.*?</sup>|\*\*|\*")
DEADLINE_TOLERANCE_DAYS = 31
VERB_JACCARD = 0.5


def normalise_text(text: str) -> str:
    """Text as the gold anchors are compared: markup removed, whitespace collapsed."""
    return " ".join(MARKUP.sub("", text).split())


@dataclass
class UnitResult:
    """One gold unit and what it was matched to."""

    gold_id: str
    anchor: str
    optional: bool
    obligation_id: str | None = None
    actors_ok: bool | None = None
    deadline_ok: bool | None = None
    verbs_ok: bool | None = None
    modality_ok: bool | None = None
    detail: str = ""


@dataclass
class ObligationEvaluation:
    """Precision, recall and field accuracies of extraction against gold units."""

    documents: list[str]
    gold_units: int
    extracted: int
    true_positives: int
    matched_optional: int
    results: list[UnitResult] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        counted = self.extracted - self.matched_optional
        return self.true_positives / counted if counted else 0.0

    @property
    def recall(self) -> float:
        required = sum(1 for r in self.results if not r.optional)
        return self.true_positives / required if required else 0.0

    def _accuracy(self, name: str) -> float:
        scored = [getattr(r, name) for r in self.results if not r.optional and r.obligation_id]
        return sum(1 for ok in scored if ok) / len(scored) if scored else 0.0

    def figures(self) -> dict[str, float]:
        """The headline figures."""
        return {
            "precision": self.precision,
            "recall": self.recall,
            "actor_accuracy": self._accuracy("actors_ok"),
            "deadline_accuracy": self._accuracy("deadline_ok"),
            "verb_accuracy": self._accuracy("verbs_ok"),
            "modality_accuracy": self._accuracy("modality_ok"),
        }

    def to_dict(self) -> dict:
        """Figures, per-unit results and false positives as JSON-ready data."""
        return {
            **self.figures(),
            "documents": self.documents,
            "gold_units": self.gold_units,
            "extracted": self.extracted,
            "true_positives": self.true_positives,
            "matched_optional": self.matched_optional,
            "misses": [asdict(r) for r in self.results if not r.optional and not r.obligation_id],
            "results": [asdict(r) for r in self.results],
            "false_positives": self.false_positives,
        }

    def to_text(self) -> str:
        """A readable report: figures, field errors, misses and false positives."""
        lines = [f"documents: {', '.join(self.documents)}"]
        lines.append(f"gold units: {self.gold_units}  extracted: {self.extracted}  matched: {self.true_positives} (+{self.matched_optional} optional)")
        lines += [f"{name:>18}: {value:.3f}" for name, value in self.figures().items()]
        lines.append("verb accuracy = share of matched units whose verb sets have Jaccard >= 0.5")
        errors = [r for r in self.results if r.obligation_id and r.detail]
        if errors:
            lines.append("field errors:")
            lines += [f"  {r.gold_id}: {r.detail}" for r in errors]
        misses = [r for r in self.results if not r.optional and not r.obligation_id]
        lines.append(f"misses ({len(misses)}):")
        lines += [f"  {r.gold_id}: {r.anchor}" for r in misses]
        lines.append(f"false positives ({len(self.false_positives)}):")
        lines += [f"  {fp['id']} {fp['actors']}: {fp['text'][:110]}" for fp in self.false_positives]
        return "\n".join(lines)


def _deadline_ok(predicted, gold: dict | None) -> bool:
    predicted_end = predicted.end if predicted else None
    gold_end = gold.get("end") if gold else None
    if predicted_end is None or gold_end is None:
        return predicted_end is None and gold_end is None
    return abs((date.fromisoformat(predicted_end) - date.fromisoformat(gold_end)).days) <= DEADLINE_TOLERANCE_DAYS


def _verbs_ok(predicted: list[str], gold: list[str]) -> bool:
    union = set(predicted) | set(gold)
    return not union or len(set(predicted) & set(gold)) / len(union) >= VERB_JACCARD


_OPTIONAL_WORDS = re.compile(r"\(([^()]*)\)\s*")
# "de Nederlandse Vereniging van Banken (NVB)": a name and the short form the text introduces for it
_TEXT_DEFINITION = re.compile(r"((?:[A-ZÀ-Ý][\w-]+)(?:\s+(?:van|voor|de|der|en|het|[A-ZÀ-Ý][\w-]+)){0,6}?)\s+\(([A-Z][A-Za-z]{1,9})\)")


def text_abbreviations(text: str) -> dict[str, str]:
    """The short forms a text introduces in brackets after a capitalised name: short form -> the name."""
    found: dict[str, str] = {}
    for name, short in _TEXT_DEFINITION.findall(text):
        words = name.split()
        capitals = "".join(w[0] for w in words if w[:1].isupper())
        # the short form takes the name's initials ("NVB" for "Nederlandse Vereniging van Banken"): trim what precedes
        while words and not short.upper().startswith(words[0][0].upper()):
            words = words[1:]
        if words and capitals and short[0].upper() == words[0][0].upper():
            found.setdefault(short, " ".join(words))
    return found


def actor_naming(abbreviations: dict[str, str]):  # type: ignore[no-untyped-def]
    """A function giving the name an actor is compared by: a short form of the document's list and every way of
    writing its expansion ("(minister van) Justitie en Veiligheid", with or without the words in brackets) give
    the short form; any other name stays itself."""
    forms: dict[str, str] = {}
    for short, long in abbreviations.items():
        for written in (long, _OPTIONAL_WORDS.sub(r"\1 ", long), _OPTIONAL_WORDS.sub("", long)):
            forms.setdefault(" ".join(written.split()).lower(), short.lower())
        forms.setdefault(short.lower(), short.lower())

    def naming(actor: str) -> str:
        return forms.get(" ".join(actor.split()).lower(), actor)

    return naming


def _score(result: UnitResult, obligation: Obligation, gold: dict, naming=lambda actor: actor) -> None:  # type: ignore[no-untyped-def]
    result.obligation_id = obligation.id
    result.actors_ok = {naming(a) for a in obligation.actors} == {naming(a) for a in gold["actors"]}
    result.deadline_ok = _deadline_ok(obligation.deadline, gold.get("deadline"))
    result.verbs_ok = _verbs_ok(obligation.verbs, gold.get("verbs", []))
    result.modality_ok = obligation.modality == gold.get("modality")
    problems = []
    if not result.actors_ok:
        problems.append(f"actors {obligation.actors} != {gold['actors']}")
    if not result.deadline_ok:
        problems.append(f"deadline {obligation.deadline.end if obligation.deadline else None} != {(gold.get('deadline') or {}).get('end')}")
    if not result.verbs_ok:
        problems.append(f"verbs {obligation.verbs} vs {gold.get('verbs')}")
    if not result.modality_ok:
        problems.append(f"modality {obligation.modality} != {gold.get('modality')}")
    result.detail = "; ".join(problems)


class GoldError(ConclusioError, FileNotFoundError):
    """A gold file or corpus folder that cannot be evaluated (no file or several for a document, bad JSON)."""


def corpus_file(corpus_dir: Path, doc: str) -> Path:
    """The one file of ``corpus_dir`` that renders gold document ``doc``: ``{doc}_*`` (the sample corpus's
    hashed names) or ``{doc}.*`` (``plan_b.md``). A folder holds one rendering of a document: keep the
    Markdown, Word and PDF renderings of one plan in folders of their own and evaluate each."""
    candidates = {*corpus_dir.glob(f"{doc}_*"), *corpus_dir.glob(f"{doc}.*")}
    matches = sorted(path for path in candidates if path.suffix.lower() in SUPPORTED_SUFFIXES)
    if not matches:
        raise GoldError(f"{corpus_dir}: no file for gold document {doc!r} (looked for {doc}_* and {doc}.*)")
    if len(matches) > 1:
        names = ", ".join(m.name for m in matches)
        raise GoldError(f"{corpus_dir}: {len(matches)} files for gold document {doc!r} ({names}); "
                        "put each rendering in a folder of its own")
    return matches[0]


def read_gold(paths: Path | list[Path]) -> list[dict]:
    """The gold units of one or more JSONL files, in order."""
    units: list[dict] = []
    for path in [paths] if isinstance(paths, Path) else paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    units.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise GoldError(f"{path}:{number}: not a JSON object ({e.msg})") from e
    return units


def evaluate_gold(nlp: Language, gold_path: Path | list[Path], corpus_dir: Path) -> ObligationEvaluation:
    """Parse each gold document with ingest, extract obligations and score them against the gold units."""
    gold = read_gold(gold_path)
    documents = list(dict.fromkeys(g["doc"] for g in gold))
    evaluation = ObligationEvaluation(documents, sum(1 for g in gold if not g.get("optional")), 0, 0, 0)
    for doc in documents:
        document = parse_file(corpus_file(Path(corpus_dir), doc))
        obligations = extract_obligations(nlp, document)
        naming = actor_naming({**text_abbreviations(document.text), **document_abbreviations(document)})
        evaluation.extracted += len(obligations)
        texts = [normalise_text(o.source_text) for o in obligations]
        used: set[int] = set()
        for unit in (g for g in gold if g["doc"] == doc):
            anchor = normalise_text(unit["anchor"])
            result = UnitResult(unit["id"], unit["anchor"], bool(unit.get("optional")))
            candidates = [i for i, text in enumerate(texts) if anchor in text and i not in used]
            if candidates:
                best = min(candidates, key=lambda i: len(texts[i]))
                used.add(best)
                _score(result, obligations[best], unit, naming)
                if result.optional:
                    evaluation.matched_optional += 1
                else:
                    evaluation.true_positives += 1
            evaluation.results.append(result)
        evaluation.false_positives += [
            {"id": o.id, "actors": o.actors, "text": normalise_text(o.source_text)} for i, o in enumerate(obligations) if i not in used
        ]
    return evaluation
