"""Run a token Matcher only near trigger tokens: most of a long passage cannot hold a match."""

from __future__ import annotations

from collections.abc import Callable

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token


def trigger_windows(doc: Doc, is_trigger: Callable[[Token], bool], before: int, after: int) -> list[tuple[int, int]]:
    """Merged token ranges [start, end) that reach ``before`` tokens left and ``after`` right of each trigger."""
    ranges: list[tuple[int, int]] = []
    for token in doc:
        if is_trigger(token):
            start, end = max(0, token.i - before), min(len(doc), token.i + after + 1)
            if ranges and start <= ranges[-1][1]:
                ranges[-1] = (ranges[-1][0], max(ranges[-1][1], end))
            else:
                ranges.append((start, end))
    return ranges


def match_near_triggers(
    matcher: Matcher, doc: Doc, is_trigger: Callable[[Token], bool], before: int, after: int
) -> list[Span]:
    """Matcher matches (as labelled spans in ``doc``) found in the windows around trigger tokens."""
    found: dict[tuple[int, int, int], Span] = {}
    for start, end in trigger_windows(doc, is_trigger, before, after):
        for match_id, match_start, match_end in matcher(doc[start:end]):
            key = (match_id, start + match_start, start + match_end)
            found.setdefault(key, Span(doc, key[1], key[2], label=match_id))
    return list(found.values())
