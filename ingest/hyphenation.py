"""Rejoining words that a line wrap split with a hyphen ("rechtshandhavings-" + "instanties")."""

from __future__ import annotations

import re

_VOWELS = set("aeiouyáéíóúàèëïöüâêîôû")
_CONJUNCTIONS = {"en", "of", "tot", "and", "or", "et", "ou", "und", "oder"}
_LAST_WORD = re.compile(r"(\S+)-$")
_FIRST_WORD = re.compile(r"^(\S+)")
_WORD = re.compile(r"\w+(?:-\w+)*")


def join_wrapped(left: str, right: str, vocabulary: frozenset[str] = frozenset()) -> str:
    """Two wrapped lines as one line, with a line-end hyphen removed only where it split a word.

    ``vocabulary`` (lower-case words of the same document) settles the case when the document
    itself writes the word elsewhere, joined or hyphenated.
    """
    left, right = left.rstrip(), right.lstrip()
    if not left:
        return right
    if not right:
        return left
    last = _LAST_WORD.search(left)
    if last is None or not left[-2:-1].isalpha():
        return f"{left} {right}"
    before = last.group(1).rsplit("-", 1)[-1]
    first = _FIRST_WORD.match(right)
    after = first.group(1) if first else ""
    if after.lower().strip(",.;:") in _CONJUNCTIONS:
        return f"{left} {right}"  # "rechtshandhavings- en justitiële": a suspended compound
    word = after.rstrip(",.;:)”’\"").lower()
    joined, hyphenated = f"{before.lower()}{word}", f"{before.lower()}-{word}"
    if hyphenated in vocabulary and joined not in vocabulary:
        return left + right
    if joined in vocabulary and hyphenated not in vocabulary:
        return left[:-1] + right
    if keeps_hyphen(before, after):
        return left + right
    return left[:-1] + right


def vocabulary_of(lines: list[str]) -> frozenset[str]:
    """Lower-case words (hyphenated compounds kept whole) that occur inside lines, not at their end."""
    words: set[str] = set()
    for line in lines:
        words.update(token.lower() for token in _WORD.findall(line.rstrip("-")))
    return frozenset(words)


def keeps_hyphen(before: str, after: str) -> bool:
    """True when the hyphen belongs to the word: "EU-lidstaten", "Empact-cyclus", "risico-indicatoren"."""
    if not before or not after:
        return True
    if not after[0].isalpha() or not after[0].islower():
        return True
    if any(ch.isupper() for ch in before) or any(ch.isdigit() for ch in before):
        return True
    if len(before) <= 2:
        return True  # "ad-hoc", "e-mail"
    # Dutch writes a hyphen where two vowels would merge into one sound: "zee-egel", "risico-indicatoren".
    return before[-1].lower() in _VOWELS and after[0].lower() in _VOWELS
