"""Which unit of a revised document each unit of its previous version became, so curation follows it.

Ids follow content (``ingest.identity``), so a unit whose text and label stayed keeps its id and
nothing is to be done. For every other unit of the old version, in order:

1. the same text: a new unit whose normalised text is the same (renumbered: "27" became "28"),
   the one with the same label first, else the nearest in the document;
2. a similar text: the best new unit left whose text is at least ``MOVE_THRESHOLD`` similar
   (rapidfuzz's normalised Indel similarity: a reworded point, a corrected date); texts too short to
   tell apart by a few letters ("Actie 4") need the same text;
3. else nothing: the unit is gone, and what was curated on it is orphaned (kept, listed by
   ``conclusio audit --orphans``, never applied to another unit).

Every new unit is claimed once, so two old units never land on the same new one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from conclusio.records import Obligation, Passage
from ingest.identity import normalised
from tracking.curation import Move

MOVE_THRESHOLD = 0.8  # a point reworded in a few places scores ~0.9; a different point of the same list ~0.5-0.7
MIN_FUZZY_LENGTH = 40  # characters of normalised text below which only the same text counts


@dataclass(frozen=True)
class Unit:
    """A passage or an obligation as matching sees it."""

    id: str
    label: str | None
    text: str
    position: int


def passage_units(passages: Sequence[Passage]) -> list[Unit]:
    return [Unit(p.passage_id, p.paragraph, p.text, i) for i, p in enumerate(passages)]


def obligation_units(obligations: Sequence[Obligation]) -> list[Unit]:
    return [Unit(o.id, o.paragraph, o.source_text, i) for i, o in enumerate(obligations)]


def match_units(old: Sequence[Unit], new: Sequence[Unit], kind: str, source_file: str) -> list[Move]:
    """A move for every old unit whose id is not in the new version; units that kept their id are left out."""
    old_text = {u.id: normalised(u.text) for u in old}
    new_text = {u.id: normalised(u.text) for u in new}
    claimed: set[str] = set()
    moves: list[Move] = []
    left: list[Unit] = []
    for unit in old:
        if unit.id in new_text and new_text[unit.id] == old_text[unit.id]:
            claimed.add(unit.id)
        else:
            left.append(unit)
    by_text: dict[str, list[Unit]] = defaultdict(list)
    for unit in new:
        if unit.id not in claimed:
            by_text[new_text[unit.id]].append(unit)
    fuzzy: list[Unit] = []
    for unit in left:
        candidates = [u for u in by_text.get(old_text[unit.id], []) if u.id not in claimed]
        if not candidates:
            fuzzy.append(unit)
            continue
        best = min(candidates, key=lambda u: (u.label != unit.label, abs(u.position - unit.position)))
        claimed.add(best.id)
        label = f" under label {best.label}" if best.label != unit.label and best.label else ""
        moves.append(Move(kind, unit.id, best.id, f"same text{label} in the new version of {source_file}"))
    pairs = []
    for unit in fuzzy:
        if len(old_text[unit.id]) < MIN_FUZZY_LENGTH:
            continue
        for other in new:
            if other.id in claimed or len(new_text[other.id]) < MIN_FUZZY_LENGTH:
                continue
            score = fuzz.ratio(old_text[unit.id], new_text[other.id], score_cutoff=MOVE_THRESHOLD * 100) / 100
            if score >= MOVE_THRESHOLD:
                pairs.append((-score, other.label != unit.label, abs(other.position - unit.position), unit, other))
    placed: set[str] = set()
    for negative_score, _, _, unit, other in sorted(pairs, key=lambda p: p[:3]):
        if unit.id in placed or other.id in claimed:
            continue
        placed.add(unit.id)
        claimed.add(other.id)
        moves.append(Move(kind, unit.id, other.id,
                          f"similar text ({-negative_score:.2f}) in the new version of {source_file}"))
    for unit in fuzzy:
        if unit.id not in placed:
            moves.append(Move(kind, unit.id, None, f"no unit of the new version of {source_file} matches it"))
    order = {u.id: u.position for u in old}
    return sorted(moves, key=lambda m: order[m.old_id])


def document_moves(
    source_file: str,
    old_passages: Sequence[Passage],
    old_obligations: Sequence[Obligation],
    new_passages: Sequence[Passage],
    new_obligations: Sequence[Obligation],
) -> list[Move]:
    """Moves of a re-ingested document's obligations and passages (what curation is keyed by)."""
    return match_units(obligation_units(old_obligations), obligation_units(new_obligations), "obligation",
                       source_file) + match_units(passage_units(old_passages), passage_units(new_passages),
                                                  "passage", source_file)
