"""Reciprocal rank fusion: merge ranked lists without comparing their scores.

The same method OpenSearch 2.19+ applies server-side in its ``score-ranker-processor``:
a document's fused score is the sum over lists of ``weight / (k + rank)``, rank from 1.
"""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank_fusion(
    ranked_lists: Sequence[Sequence[str]],
    weights: Sequence[float] | None = None,
    k: int = 60,
) -> list[tuple[str, float]]:
    """Fused (id, score) pairs, best first; ties keep the order of first appearance."""
    if weights is None:
        weights = [1.0] * len(ranked_lists)
    if len(weights) != len(ranked_lists):
        raise ValueError(f"got {len(weights)} weights for {len(ranked_lists)} ranked lists")
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    scores: dict[str, float] = {}
    for ranked, weight in zip(ranked_lists, weights):
        seen: set[str] = set()
        rank = 0
        for item in ranked:
            if item in seen:  # a duplicate in one list counts once, at its best rank
                continue
            seen.add(item)
            rank += 1
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))

