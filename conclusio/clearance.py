"""Classification markings on one ordered scale, and what a reader's clearance lets them read.

A document's ``DocumentMetadata.classification`` lists the markings found in its header ("LIMITE",
"RESTREINT UE/EU RESTRICTED", ...). The strictest of them decides the clearance a reader needs; a
marking that is not on the scale needs the highest clearance, so that a marking nobody foresaw hides
its document rather than showing it. The handling markings of Council documents ("ONLY FOR
DELEGATIONS", "SENSITIVE") restrict distribution as LIMITE does; "PUBLIC" needs none.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from conclusio.errors import SettingsError

# The EU's scale for classified information, below it LIMITE (restricted distribution) and nothing.
LEVELS = ("none", "LIMITE", "RESTREINT UE", "CONFIDENTIEL UE", "SECRET UE", "TRÈS SECRET UE")
_ENGLISH = {"EU RESTRICTED": 2, "EU CONFIDENTIAL": 3, "EU SECRET": 4, "EU TOP SECRET": 5}
_HANDLING = {"PUBLIC": 0, "ONLY FOR DELEGATIONS": 1, "SENSITIVE": 1}
TOP = len(LEVELS) - 1


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).upper().split())


_NAMES = {_folded(name): level for level, name in enumerate(LEVELS)} | {
    _folded(name): level for name, level in (_ENGLISH | _HANDLING).items()
}


def marking_level(marking: str) -> int:
    """The level a document marking needs: "RESTREINT UE/EU RESTRICTED" 2, "LIMITE" 1; not on the scale: the top."""
    parts = [_folded(part) for part in marking.split("/")]
    levels = [_NAMES[part] for part in parts if part in _NAMES]
    return max(levels) if levels else TOP


def required_level(classification: Iterable[str]) -> int:
    """The clearance level a document with these markings needs (0 for none)."""
    return max((marking_level(m) for m in classification), default=0)


@dataclass(frozen=True)
class Clearance:
    """How far up the scale a reader may read; ``TOP`` reads everything, markings off the scale too."""

    level: int = TOP

    @classmethod
    def parse(cls, text: str, *, where: str = "clearance") -> Clearance:
        """A clearance from its name ("none", "LIMITE", "RESTREINT UE" or "EU RESTRICTED", ...), any case or accents."""
        level = _NAMES.get(_folded(str(text)))
        if level is None or _folded(str(text)) in {_folded(h) for h in _HANDLING}:
            raise SettingsError(f"{where}: unknown clearance {text!r}; use one of: {', '.join(LEVELS)}")
        return cls(level)

    @property
    def name(self) -> str:
        return LEVELS[self.level]

    @property
    def full(self) -> bool:
        """Whether nothing is hidden from this reader."""
        return self.level >= TOP

    def permits(self, classification: Iterable[str]) -> bool:
        """Whether a document with these markings may be read."""
        return required_level(classification) <= self.level

    def hidden_markings(self, markings: Iterable[str]) -> tuple[str, ...]:
        """Of these markings (as stored), those this clearance may not read, sorted."""
        return tuple(sorted({m for m in markings if marking_level(m) > self.level}))


FULL = Clearance(TOP)
