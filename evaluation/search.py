"""Measure search and `similar` against dev sets whose relevance survives re-ingesting.

Relevant passages are named by a source-file prefix plus a verbatim anchor (compared on
letters and digits only, so whitespace, hyphenation and markup do not matter) and/or a
paragraph label, never by passage id. Figures: nDCG@k, recall@k (share of relevance
judgements found), MRR and success@k (a grade-2 passage in the top k), per query kind and
per mode; for `similar`, the top-1 rate on light edits, the top-3 rate on paraphrases and
the top-1 rate on drafts translated from another language.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import mean, median

from conclusio.records import Passage
from index.analysis import fold

MODES = ("lexical", "semantic", "hybrid")


@dataclass(frozen=True)
class Judgement:
    """One relevant passage, named robustly."""

    source: str  # prefix of the source file name
    anchor: str | None = None  # verbatim substring of the passage text
    paragraph: str | None = None  # the passage's own label
    grade: int = 1

    def matches(self, passage: Passage) -> bool:
        if not passage.source_file.startswith(self.source):
            return False
        if self.anchor:
            return _letters(self.anchor) in _letters(passage.text)
        return self.paragraph is not None and passage.paragraph == self.paragraph


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", fold(re.sub(r"<sup>\d+</sup>", "", text)))


def _judgements(cells: list[dict]) -> list[Judgement]:
    return [Judgement(c["source"], c.get("anchor"), c.get("paragraph"), int(c.get("grade", 1))) for c in cells]


def load_jsonl(path: Path) -> list[dict]:
    """Records of a JSON-lines file, blank lines skipped."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _all_passages(store) -> list[Passage]:
    passages: list[Passage] = []
    for stored in store.list_documents():
        document = store.get_document(stored.source_file)
        if document is not None:
            passages.extend(p for p in document.passages if p.kind != "footnote")
    return passages


@dataclass
class QueryOutcome:
    """One query in one mode."""

    query_id: str
    kind: str
    mode: str
    ndcg: float
    recall: float
    reciprocal_rank: float
    success: bool
    seconds: float


@dataclass
class Summary:
    kind: str
    mode: str
    queries: int
    ndcg: float
    recall: float
    mrr: float
    success: float


@dataclass
class SearchEvaluation:
    """Per-query outcomes and their means per kind and mode."""

    k: int
    model: str
    outcomes: list[QueryOutcome] = field(default_factory=list)
    unjudgeable: list[str] = field(default_factory=list)  # judgements no stored passage matches

    def summaries(self) -> list[Summary]:
        groups: dict[tuple[str, str], list[QueryOutcome]] = defaultdict(list)
        for o in self.outcomes:
            groups[(o.kind, o.mode)].append(o)
            groups[("ALL", o.mode)].append(o)
        return [
            Summary(kind, mode, len(rows), mean(r.ndcg for r in rows), mean(r.recall for r in rows),
                    mean(r.reciprocal_rank for r in rows), mean(1.0 if r.success else 0.0 for r in rows))
            for (kind, mode), rows in sorted(groups.items(), key=lambda kv: (kv[0][0] == "ALL", kv[0][0], MODES.index(kv[0][1])))
        ]

    def median_seconds(self, mode: str) -> float:
        times = [o.seconds for o in self.outcomes if o.mode == mode]
        return median(times) if times else 0.0

    def to_dict(self) -> dict:
        return {
            "k": self.k,
            "model": self.model,
            "summaries": [asdict(s) for s in self.summaries()],
            "median_seconds": {m: self.median_seconds(m) for m in MODES},
            "outcomes": [asdict(o) for o in self.outcomes],
            "unjudgeable": self.unjudgeable,
        }

    def to_text(self) -> str:
        k = self.k
        lines = [f"search evaluation (model: {self.model})",
                 f"{'kind':<14}{'mode':<10}{'n':>4}{f'nDCG@{k}':>10}{f'recall@{k}':>11}{'MRR':>7}{f'hit@{k}':>8}"]
        for s in self.summaries():
            lines.append(f"{s.kind:<14}{s.mode:<10}{s.queries:>4}{s.ndcg:>10.3f}{s.recall:>11.3f}{s.mrr:>7.3f}{s.success:>8.2f}")
        lines.append("median seconds per query: " + ", ".join(f"{m} {self.median_seconds(m):.3f}" for m in MODES))
        if self.unjudgeable:
            lines.append("judgements no stored passage matches: " + "; ".join(self.unjudgeable))
        return "\n".join(lines)


def _dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def evaluate_search(queries_path: Path, searcher, k: int = 10, modes: tuple[str, ...] = MODES) -> SearchEvaluation:
    """Run every dev query in every mode and score the top ``k``."""
    passages = _all_passages(searcher.store)
    evaluation = SearchEvaluation(k=k, model=getattr(searcher.embedder, "name", "?"))
    for record in load_jsonl(queries_path):
        judgements = _judgements(record["relevant"])
        grade_of: dict[str, int] = {}
        for j in judgements:
            matched = [p.passage_id for p in passages if j.matches(p)]
            if not matched:
                evaluation.unjudgeable.append(f"{record['id']}: {j.source} {j.anchor or j.paragraph}")
            for pid in matched:
                grade_of[pid] = max(grade_of.get(pid, 0), j.grade)
        ideal = _dcg(sorted(grade_of.values(), reverse=True)[:k]) or 1.0
        for mode in modes:
            started = time.perf_counter()
            result = searcher.search(record["query"], k=k, mode=mode)
            seconds = time.perf_counter() - started
            ranked = [h.passage_id for h in result.hits[:k]]
            grades = [grade_of.get(pid, 0) for pid in ranked]
            found = [j for j in judgements if any(grade_of.get(pid) and _hit_matches(j, pid, passages) for pid in ranked)]
            first = next((i for i, g in enumerate(grades) if g > 0), None)
            evaluation.outcomes.append(QueryOutcome(
                record["id"], record["kind"], mode,
                ndcg=_dcg(grades) / ideal,
                recall=len(found) / len(judgements) if judgements else 0.0,
                reciprocal_rank=1.0 / (first + 1) if first is not None else 0.0,
                success=any(g >= 2 for g in grades),
                seconds=seconds,
            ))
    return evaluation


def _hit_matches(judgement: Judgement, passage_id: str, passages: list[Passage]) -> bool:
    passage = next((p for p in passages if p.passage_id == passage_id), None)
    return passage is not None and judgement.matches(passage)


@dataclass
class SimilarOutcome:
    case_id: str
    kind: str
    rank: int | None  # 1-based rank of the source passage, None when not in the top k
    similarity: float | None
    diff_ops: int


# Where a draft's source must rank for the case to count as found: light edits and translated
# drafts first, paraphrases (other words, same meaning) in the top 3.
TARGET_RANK = {"light_edit": 1, "paraphrase": 3, "translated": 1}


@dataclass
class SimilarEvaluation:
    """Where the source passage of each draft ranked."""

    model: str
    outcomes: list[SimilarOutcome] = field(default_factory=list)

    def rate(self, kind: str, within: int) -> float:
        rows = [o for o in self.outcomes if o.kind == kind]
        return mean(1.0 if o.rank is not None and o.rank <= within else 0.0 for o in rows) if rows else 0.0

    def count(self, kind: str) -> int:
        return sum(o.kind == kind for o in self.outcomes)

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "light_edit_top1": self.rate("light_edit", 1),
            "paraphrase_top3": self.rate("paraphrase", 3),
            "paraphrase_top1": self.rate("paraphrase", 1),
            "translated_top1": self.rate("translated", 1),
            "translated_top3": self.rate("translated", 3),
            "outcomes": [asdict(o) for o in self.outcomes],
        }

    def to_text(self) -> str:
        lines = [
            f"similar evaluation (model: {self.model})",
            f"light edits: source ranked first for {self.rate('light_edit', 1):.0%} ({self.count('light_edit')} cases)",
            f"paraphrases: source in the top 3 for {self.rate('paraphrase', 3):.0%}, first for "
            f"{self.rate('paraphrase', 1):.0%} ({self.count('paraphrase')} cases)",
        ]
        if self.count("translated"):
            lines.append(
                f"translated drafts: source ranked first for {self.rate('translated', 1):.0%}, in the top 3 for "
                f"{self.rate('translated', 3):.0%} ({self.count('translated')} cases)"
            )
        misses = [o for o in self.outcomes if o.rank is None or o.rank > TARGET_RANK.get(o.kind, 1)]
        if misses:
            lines.append("misses: " + ", ".join(f"{o.case_id} (rank {o.rank or '>5'})" for o in misses))
        return "\n".join(lines)


def evaluate_similar(cases_path: Path, searcher, k: int = 5) -> SimilarEvaluation:
    """Run every draft through `similar` and record where its source passage ranked."""
    evaluation = SimilarEvaluation(model=getattr(searcher.embedder, "name", "?"))
    for case in load_jsonl(cases_path):
        judgement = Judgement(case["source"], case.get("anchor"), case.get("paragraph"), 2)
        hits = searcher.similar(case["draft"], k=k)
        rank = None
        for i, hit in enumerate(hits, start=1):
            if hit.source_file.startswith(judgement.source) and judgement.matches(
                Passage(hit.passage_id, hit.source_file, 0, "body", hit.text, paragraph=hit.paragraph)
            ):
                rank = i
                break
        top = hits[rank - 1] if rank else None
        evaluation.outcomes.append(SimilarOutcome(
            case["id"], case["kind"], rank, top.similarity if top else None, len(top.diff or []) if top else 0
        ))
    return evaluation
