"""Run a token Matcher only near trigger tokens: most of a long passage cannot hold a match."""

from __future__ import annotations

from spacy.attrs import LOWER, SHAPE
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span


def trigger_windows(doc: Doc, lowers: set[int], shapes: set[int], before: int, after: int) -> list[tuple[int, int]]:
    """Merged token ranges [start, end) reaching ``before`` tokens left and ``after`` right of each trigger.

    A trigger is a token whose lower-case form or shape (as string-store hashes) is in the given sets.
    """
    if not len(doc):
        return []
    attrs = doc.to_array([LOWER, SHAPE]).tolist()
    hits = [i for i, (lower, shape) in enumerate(attrs) if lower in lowers or shape in shapes]
    ranges: list[tuple[int, int]] = []
    for index in hits:
        start, end = max(0, index - before), min(len(doc), index + after + 1)
        if ranges and start <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], end))
        else:
            ranges.append((start, end))
    return ranges


def match_near_triggers(
    matcher: Matcher, doc: Doc, lowers: set[int], shapes: set[int], before: int, after: int
) -> list[Span]:
    """Matcher matches (as labelled spans in ``doc``) found in the windows around trigger tokens."""
    found: dict[tuple[int, int, int], Span] = {}
    for start, end in trigger_windows(doc, lowers, shapes, before, after):
        for match_id, match_start, match_end in matcher(doc[start:end]):
            key = (match_id, start + match_start, start + match_end)
            found.setdefault(key, Span(doc, key[1], key[2], label=match_id))
    return list(found.values())
