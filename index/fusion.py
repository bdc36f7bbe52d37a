"""Fusion of ranked lists: reciprocal rank fusion, and min-max score normalisation.

Both are what OpenSearch applies server-side to a hybrid query: RRF in its
``score-ranker-processor`` (2.19+): a document's fused score is the sum over lists of
``weight / (k + rank)``, rank from 1; min-max in its ``normalization-processor``: each
list's scores are scaled to [0, 1] by the list's own minimum and maximum and the scaled
scores are combined by weighted arithmetic mean, a document absent from a list scoring 0 there.
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



FUSION_METHODS = ("rrf", "minmax")


def min_max_fusion(
    scored_lists: Sequence[Sequence[tuple[str, float]]],
    weights: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    """Fused (id, score) pairs, best first: weighted mean of min-max scaled scores; ties keep first appearance.

    Unlike RRF it keeps how far apart a list's scores are: a keyword match far ahead of the
    rest stays ahead when the other list barely tells its candidates apart.
    """
    if weights is None:
        weights = [1.0] * len(scored_lists)
    if len(weights) != len(scored_lists):
        raise ValueError(f"got {len(weights)} weights for {len(scored_lists)} scored lists")
    total = sum(weights)
    if total <= 0 or any(w < 0 for w in weights):
        raise ValueError(f"weights must be >= 0 with a positive sum, got {list(weights)}")
    scores: dict[str, float] = {}
    for scored, weight in zip(scored_lists, weights):
        best: dict[str, float] = {}
        for item, score in scored:  # a duplicate in one list counts once, at its best score
            best[item] = max(score, best.get(item, score))
        if not best:
            continue
        low, high = min(best.values()), max(best.values())
        for item, score in best.items():
            scaled = (score - low) / (high - low) if high > low else 1.0
            scores[item] = scores.get(item, 0.0) + weight * scaled / total
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
