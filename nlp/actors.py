"""Actor gazetteer: canonical names for the bodies that EU texts ask or commit to act.

Aliases live in ``nlp/data/actors.jsonl`` (one body per line: canonical name, aliases, and the short
forms action tables write in their responsible-parties column: "LS", "COM", "HV"). As a pipeline
component the gazetteer marks every alias in ``doc.spans["actors"]`` with the canonical name as the
span's label; the short forms are not matched in running text ("COM(2023) 641" names a document).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from collections.abc import Sequence
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from conclusio.records import Obligation, Passage
from nlp.annotate import make_doc

if not Doc.has_extension("document_parties"):
    Doc.set_extension("document_parties", default=None)  # short form -> actor, from the document's own list

DEFAULT_ACTORS = Path(__file__).parent / "data" / "actors.jsonl"
COMPONENT = "conclusio_actor_gazetteer"
SPAN_KEY = "actors"
ARTICLES = re.compile(r"^(de|het|een|the|zijn|haar|hun)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class ActorTable:
    """Alias -> canonical name, keyed by the lower-cased alias."""

    canonical_by_alias: dict[str, str]
    aliases: dict[str, list[str]]
    canonical_by_abbreviation: dict[str, str] = field(default_factory=dict)  # "LS" -> "lidstaten", as written

    @classmethod
    def load(cls, path: Path = DEFAULT_ACTORS) -> ActorTable:
        """Read the alias file."""
        aliases: dict[str, list[str]] = {}
        abbreviations: dict[str, str] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                aliases[entry["canonical"]] = [entry["canonical"], *entry["aliases"]]
                abbreviations.update({short: entry["canonical"] for short in entry.get("abbreviations", [])})
        by_alias = {alias.lower(): canonical for canonical, names in aliases.items() for alias in names}
        return cls(by_alias, aliases, abbreviations)

    def canonical(self, name: str) -> str | None:
        """The canonical name of a body written as ``name`` (article and case ignored), or None."""
        key = ARTICLES.sub("", " ".join(name.split())).strip(" ,.;:").lower()
        return self.canonical_by_alias.get(key)

    def abbreviation(self, short: str) -> str | None:
        """The canonical name a usual short form stands for ("LS", "COM", "HV"; case as written), or None."""
        return self.canonical_by_abbreviation.get(short.strip(" ,.;:"))


def _case_fits(written: str, alias: str) -> bool:
    """Accept a match as written, capitalised at a sentence start, or in an all-capitals block."""
    return written == alias or written == alias[:1].upper() + alias[1:] or written.isupper() or alias.islower() and written.lower() == alias


class ActorGazetteer:
    """Marks actor aliases in ``doc.spans["actors"]``; aliases are loaded at ``initialize``."""

    def __init__(self, nlp, name: str = "conclusio_actor_gazetteer", actors_path: str | None = None):
        self.name = name
        self.vocab = nlp.vocab
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.table: ActorTable | None = None
        self._actors_path = Path(actors_path) if actors_path else DEFAULT_ACTORS
        self._tokenizer = nlp.tokenizer

    def initialize(self, get_examples=None, *, nlp=None, actors_path: str | None = None) -> None:
        """Load the alias file and build the phrase patterns."""
        self.table = ActorTable.load(Path(actors_path) if actors_path else self._actors_path)
        self.matcher = PhraseMatcher(self.vocab, attr="LOWER")
        for canonical, names in self.table.aliases.items():
            self.matcher.add(canonical, [self._tokenizer(alias) for alias in names])

    def __call__(self, doc: Doc) -> Doc:
        if self.table is None:
            self.initialize()
        assert self.table is not None
        spans = []
        for match_id, start, end in self.matcher(doc):
            span = Span(doc, start, end, label=match_id)
            alias_canon = self.table.canonical_by_alias.get(span.text.lower())
            alias = next((a for a in self.table.aliases.get(span.label_, []) if a.lower() == span.text.lower()), None)
            if alias_canon and alias and _case_fits(span.text, alias):
                spans.append(span)
        spans += document_party_spans(doc, doc._.document_parties or {}, spans)
        doc.spans[SPAN_KEY] = filter_spans(spans)
        return doc


# "COM(2023) 641", "COSI 245", "JAI 1802": a short form followed by a number names a document, not a body.
_DOCUMENT_NUMBER_AFTER = re.compile(r"\s*(?:\(\s*)?\d")


def document_party_spans(doc: Doc, parties: dict[str, str], taken: list[Span]) -> list[Span]:
    """Spans for the short forms the document's own list defines ("JenV zal ...", "de deelnemende LS"): each
    labelled with the actor it stands for. Not where a number follows (a document's number) nor inside a run
    of capitals ("RAAD VAN DE EUROPESE UNIE" holds no "DE" for Germany)."""
    if not parties:
        return []
    covered = {i for span in taken for i in range(span.start, span.end)}
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(s) for s in sorted(parties, key=len, reverse=True)) + r")(?![\w-])")
    found: list[Span] = []
    for match in pattern.finditer(doc.text):
        if _DOCUMENT_NUMBER_AFTER.match(doc.text, match.end()):
            continue
        span = doc.char_span(match.start(), match.end(), label=parties[match.group(0)])
        if span is None or covered & set(range(span.start, span.end)) or _in_capitals(doc, span, parties):
            continue
        found.append(span)
    return found


def _in_capitals(doc: Doc, span: Span, parties: dict[str, str]) -> bool:
    neighbours = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
    return any(t.is_alpha and t.is_upper and len(t) > 1 and t.text not in parties for t in neighbours)


def gazetteer(nlp: Language) -> ActorGazetteer:
    """The pipeline's actor gazetteer, initialised."""
    component = nlp.get_pipe(COMPONENT)
    if component.table is None:
        component.initialize()
    return component


def canonical_actor(nlp: Language, name: str) -> str | None:
    """The canonical actor name for a written name ("de Europese Commissie" -> "Commissie"), or None."""
    table = gazetteer(nlp).table
    assert table is not None
    return table.canonical(name)


def find_actors(nlp: Language, text: str) -> list[str]:
    """Canonical names of the actors a text mentions, in order of first mention."""
    doc = gazetteer(nlp)(make_doc(nlp, text))
    return list(dict.fromkeys(span.label_ for span in sorted(doc.spans[SPAN_KEY], key=lambda s: s.start)))


def actors_by_passage(nlp: Language, passages: Sequence[Passage], obligations: Sequence[Obligation]) -> dict[str, list[str]]:
    """Actors each passage mentions plus the actors of the obligations it states: what stores filter and facet on."""
    found: dict[str, list[str]] = {p.passage_id: find_actors(nlp, p.text) for p in passages}
    for obligation in obligations:
        actors = found.setdefault(obligation.passage_id, [])
        actors.extend(a for a in obligation.actors if a not in actors)
    return found
