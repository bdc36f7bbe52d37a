"""Cross-lingual query expansion: English, German and French queries find Dutch passages.

Two vocabularies map a query's words onto Dutch terms: a hand-written glossary of EU
justice-and-home-affairs concepts (``index/data/glossary_jha.tsv``) and, when configured,
EuroVoc (preferred labels nl/en/de/fr, alternative labels en/fr). Dutch queries get Dutch
synonyms from the same glossary and, optionally, from small Open Dutch WordNet synsets.
The result feeds lexical search (weighted Dutch terms) and semantic search (a Dutch
rendering of the query is encoded too).
"""

from __future__ import annotations

import csv
import gc
import hashlib
import logging
import os
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from index.analysis import DUTCH_STOPWORDS, fold

log = logging.getLogger(__name__)

LANGUAGES = ("nl", "en", "de", "fr")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_MAX_NGRAM = 8

# Function words per language: the strongest signal for short queries, where langdetect guesses.
_FUNCTION_WORDS = {
    "nl": set("de het een en van in op te dat die voor met zijn is aan bij door naar om over tot uit of ook "
              "wat welke wie hoe wanneer waarom moet moeten zal zullen wordt worden heeft hebben deze dit "
              "niet geen nog al tegen onder zoals".split()),
    "en": set("the a an and of in on to that for with is are be by from as at or which what who how when "
              "why should must will shall has have this these not no against under such their its into "
              "did does do was were been between since during about after before until within their them they "
              "there than then also can could would might".split()),
    "de": set("der die das und von zu den dem des ein eine einer im für mit ist sind auf bei durch nach "
              "über aus oder auch was welche wer wie wann warum soll sollen wird werden hat haben diese "
              "nicht kein gegen unter sowie zur zum einen einem zwischen seit während vor bis innerhalb ihre ihrer "
              "ihren sich es sie wurde wurden kann können sollte sollten".split()),
    "fr": set("le la les un une et des du de en dans sur pour avec est sont par au aux ou aussi que qui "
              "quoi quel quelle quels comment quand pourquoi doit doivent sera seront a ont ce cette ces "
              "ne pas contre sous leur leurs d l entre chez depuis pendant avant après jusqu quelles devrait "
              "devraient peut peuvent été se sa son ses il ils elle elles".split()),
}


@dataclass(frozen=True)
class Concept:
    """One concept with its surface forms per language; the first Dutch form renders it."""

    key: str
    forms: dict[str, tuple[str, ...]]
    source: str  # "glossary" | "eurovoc"

    @property
    def dutch(self) -> tuple[str, ...]:
        return self.forms.get("nl", ())


@dataclass(frozen=True)
class ConceptMatch:
    """A span of the query recognised as a concept."""

    concept: Concept
    surface: str
    language: str
    start: int  # token offsets in the query
    end: int


@dataclass(frozen=True)
class Expansion:
    """What the expander made of a query: language, Dutch terms with weights, phrases."""

    language: str
    dutch_text: str  # the query rendered in Dutch (the query itself when it is Dutch)
    terms: tuple[tuple[str, float], ...] = ()  # extra Dutch terms, weight < 1
    phrases: tuple[str, ...] = ()
    matches: tuple[ConceptMatch, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. "EuroVoc not configured: glossary only"
    translations: tuple[str, ...] = ()  # Dutch forms that replaced the query's own words

    @property
    def shown_terms(self) -> list[str]:
        """The expansions to show the user: translations first, then the weighted terms."""
        return list(dict.fromkeys([*self.translations, *(term for term, _ in self.terms)]))


@dataclass
class Vocabulary:
    """Folded surface form (a token tuple) -> concepts, for n-gram lookup."""

    entries: dict[tuple[str, ...], list[tuple[Concept, str]]] = field(default_factory=dict)

    def add(self, concept: Concept) -> None:
        for language, forms in concept.forms.items():
            for form in forms:
                key = tuple(_folded_words(form))
                if key and (len(key) > 1 or len(key[0]) >= 3):
                    bucket = self.entries.setdefault(key, [])
                    if all(c.key != concept.key for c, _ in bucket):
                        bucket.append((concept, language))

    def longest_matches(self, words: list[str]) -> list[tuple[int, int, list[tuple[Concept, str]]]]:
        """Greedy left-to-right longest matches over the query's folded words."""
        found = []
        i = 0
        while i < len(words):
            for n in range(min(_MAX_NGRAM, len(words) - i), 0, -1):
                hit = self.entries.get(tuple(words[i : i + n]))
                if hit:
                    found.append((i, i + n, hit))
                    i += n
                    break
            else:
                i += 1
        return found


_SNOWBALL = {"en": "english", "de": "german", "fr": "french", "nl": "dutch"}


@dataclass
class StemmedVocabulary:
    """One language's surface forms keyed by their Snowball stems: the fallback for inflected query words.

    Glossary and EuroVoc forms are mostly base forms ("local authority", "Kriminalprävention");
    queries inflect them ("lokaler", "autorités locales"). Exact lookup comes first; a span
    matching only by stems is used where exact lookup found nothing.
    """

    language: str
    entries: dict[tuple[str, ...], list[tuple[Concept, str]]]

    @classmethod
    def build(cls, vocabulary: Vocabulary, language: str) -> StemmedVocabulary:
        stem = _stem_function(language)
        entries: dict[tuple[str, ...], list[tuple[Concept, str]]] = {}
        for key, hits in vocabulary.entries.items():
            own = [(c, lang) for c, lang in hits if lang == language]
            if own:
                bucket = entries.setdefault(tuple(stem(w) for w in key), [])
                bucket.extend(h for h in own if all(h[0].key != c.key for c, _ in bucket))
        return cls(language, entries)

    def longest_matches(self, words: list[str]) -> list[tuple[int, int, list[tuple[Concept, str]]]]:
        return Vocabulary(self.entries).longest_matches([*map(_stem_function(self.language), words)])


def _stem_function(language: str):
    import Stemmer

    stemmer = Stemmer.Stemmer(_SNOWBALL[language])
    return stemmer.stemWord


def _folded_words(text: str) -> list[str]:
    return [m.group(0).replace("’", "'") for m in _WORD.finditer(fold(text))]


def _split_forms(cell: str) -> tuple[str, ...]:
    return tuple(f.strip() for f in cell.split("|") if f.strip())


SHIPPED_GLOSSARIES = ("glossary_jha.tsv", "glossary_policy.tsv")


def load_glossary(path: Path | None = None) -> list[Concept]:
    """The shipped glossaries (JHA terms, then general policy wording), or one file in the same format."""
    if path is not None:
        return _parse_glossary(path.read_text(encoding="utf-8"), path.stem)
    concepts: list[Concept] = []
    for name in SHIPPED_GLOSSARIES:
        resource = resources.files("index").joinpath(f"data/{name}")
        if resource.is_file():
            concepts.extend(_parse_glossary(resource.read_text(encoding="utf-8"), name.removesuffix(".tsv")))
    return concepts


def _parse_glossary(text: str, origin: str) -> list[Concept]:
    """Concepts of a five-column TSV (concept, nl, en, de, fr); keys are prefixed by origin when they clash."""
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header, *body = (row.split("\t") for row in rows)
    concepts = []
    for cells in body:
        record = dict(zip(header, cells))
        forms = {lang: _split_forms(record.get(lang, "")) for lang in LANGUAGES}
        key = record["concept"] if origin == "glossary_jha" else f"{origin}:{record['concept']}"
        concepts.append(Concept(key=key, forms=forms, source="glossary"))
    return concepts


def load_eurovoc(eurovoc_dir: Path) -> list[Concept]:
    """EuroVoc concepts from ``eurovoc_concepts.csv``: pref labels nl/en/de/fr, alt labels en/fr."""
    path = eurovoc_dir / "eurovoc_concepts.csv"
    concepts = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            nl = row.get("pref_nl", "").strip()
            if not nl:
                continue
            forms = {
                "nl": (nl,),
                "en": (row.get("pref_en", "").strip(), *_split_forms(row.get("alt_en", ""))),
                "de": (row.get("pref_de", "").strip(),),
                "fr": (row.get("pref_fr", "").strip(), *_split_forms(row.get("alt_fr", ""))),
            }
            forms = {lang: tuple(_strip_qualifier(f) for f in fs if f) for lang, fs in forms.items()}
            concepts.append(Concept(key=f"eurovoc:{row['concept_id']}", forms=forms, source="eurovoc"))
    return concepts


def _strip_qualifier(label: str) -> str:
    """'Aarhus (provincie)' -> 'Aarhus': qualifiers never occur in running text."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", label).strip()


def load_odwn_synonyms(odwn_dir: Path, max_lemmas: int = 3) -> dict[str, tuple[str, ...]]:
    """Dutch lemma -> its synonyms, from small ODWN synsets only (big ones are too noisy)."""
    path = odwn_dir / "synsets_nl.tsv"
    synonyms: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as handle:
        next(handle, None)
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 3 or cells[1] != "n":
                continue
            lemmas = [lemma.strip() for lemma in cells[2].split("|") if lemma.strip() and " " not in lemma]
            if not 2 <= len(lemmas) <= max_lemmas:
                continue
            for lemma in lemmas:
                synonyms.setdefault(fold(lemma), set()).update(fold(o) for o in lemmas if o != lemma)
    return {lemma: tuple(sorted(others)) for lemma, others in synonyms.items()}


def detect_language(query: str, matches: Iterable[ConceptMatch] = ()) -> str:
    """nl, en, de or fr: function words and concept-form languages vote; langdetect breaks ties."""
    words = _folded_words(query)
    votes = {lang: sum(1.0 for w in words if w in fws) for lang, fws in _FUNCTION_WORDS.items()}
    for match in matches:
        langs = {lang for lang, forms in match.concept.forms.items()
                 if any(_folded_words(f) == _folded_words(match.surface) for f in forms)}
        if len(langs) == 1:  # a form unique to one language says most
            votes[next(iter(langs))] += 1.5
        elif langs and "nl" not in langs:  # "confiscation" (en, fr) is at least not Dutch
            for lang in langs:
                votes[lang] += 1.5 / len(langs)
    best = max(votes.values())
    leaders = [lang for lang, v in votes.items() if v == best]
    if len(leaders) == 1 and best > 0:
        return leaders[0]
    return _langdetect(query, leaders if best > 0 else list(LANGUAGES))


def _langdetect(text: str, candidates: list[str]) -> str:
    try:
        from langdetect import DetectorFactory, detect_langs

        DetectorFactory.seed = 0  # deterministic answers
        for guess in detect_langs(text):
            if guess.lang in candidates:
                return guess.lang
    except Exception:  # langdetect raises on text without letters; Dutch is the corpus language
        pass
    return "nl" if "nl" in candidates else candidates[0]


class QueryExpander:
    """Maps a query onto Dutch terms through the glossary, EuroVoc and (optionally) ODWN."""

    def __init__(
        self,
        glossary: list[Concept],
        eurovoc: list[Concept] | None = None,
        odwn: dict[str, tuple[str, ...]] | None = None,
        notes: tuple[str, ...] = (),
    ):
        self.glossary_vocabulary = Vocabulary()
        for concept in glossary:
            self.glossary_vocabulary.add(concept)
        self.eurovoc_vocabulary = Vocabulary()
        for concept in eurovoc or ():
            self.eurovoc_vocabulary.add(concept)
        self.odwn = odwn or {}
        self.notes = notes
        self._stemmed: dict[str, tuple[StemmedVocabulary, StemmedVocabulary]] = {}

    @classmethod
    def from_settings(cls, settings) -> QueryExpander:
        """Glossary always; EuroVoc and ODWN when their folders are configured and present.

        Reading EuroVoc and ODWN and folding their tens of thousands of labels takes about a second;
        with ``settings.cache_dir`` the built expander is kept there (``vocabularies-*.pickle``, in
        the user's own cache) and read back in a fraction of that while its source files keep their
        sizes and modification times.
        """
        sources = _vocabulary_sources(settings)
        cache_dir = getattr(settings, "cache_dir", None)
        cache = Path(cache_dir) / f"vocabularies-{_sources_key(sources)}.pickle" if cache_dir else None
        if cache is not None:
            loaded = _read_cached(cache)
            if loaded is not None:
                return loaded
        expander = cls._read(sources)
        if cache is not None:
            for language in LANGUAGES[1:]:  # what other-language queries stem their words against
                expander._stemmed_for(language)
            _write_cached(cache, expander)
        return expander

    @classmethod
    def _read(cls, sources: _VocabularySources) -> QueryExpander:
        notes: list[str] = []
        eurovoc = load_eurovoc(sources.eurovoc) if sources.eurovoc else None
        if eurovoc is None:
            notes.append("EuroVoc not configured (Settings.eurovoc_dir): cross-lingual expansion uses the glossary only")
        odwn = load_odwn_synonyms(sources.odwn) if sources.odwn else None
        return cls(load_glossary(), eurovoc, odwn, tuple(notes))

    def expand(self, query: str, phrases: tuple[str, ...] = ()) -> Expansion:
        """Detect the query's language and collect weighted Dutch terms for it."""
        words = _folded_words(query)
        matches = self._matches(query, words)
        language = detect_language(query, matches)
        if language != "nl":
            matches = self._with_inflected_matches(words, matches, language)
        if language == "nl":
            terms = self._dutch_synonyms(words, matches)
            return Expansion("nl", query, tuple(terms), phrases, tuple(matches), self.notes)
        dutch_text, terms, translations = self._translate(words, matches, language)
        return Expansion(language, dutch_text, tuple(terms), phrases, tuple(matches), self.notes, translations)

    def _matches(self, query: str, words: list[str]) -> list[ConceptMatch]:
        glossary = self.glossary_vocabulary.longest_matches(words)
        eurovoc = self.eurovoc_vocabulary.longest_matches(words)
        displaced = _displaced_by_longer_terms(glossary, eurovoc)
        glossary = [g for g in glossary if (g[0], g[1]) not in displaced]
        matches = [
            ConceptMatch(concept, " ".join(words[s:e]), lang, s, e)
            for s, e, hits in glossary
            for concept, lang in hits
        ]
        covered = {i for m in matches for i in range(m.start, m.end)}
        for s, e, hits in eurovoc:
            if covered.isdisjoint(range(s, e)) and not all(w in _ALL_FUNCTION_WORDS for w in words[s:e]):
                matches.extend(ConceptMatch(c, " ".join(words[s:e]), lang, s, e) for c, lang in hits[:2])
        return sorted(matches, key=lambda m: m.start)

    def _with_inflected_matches(self, words: list[str], matches: list[ConceptMatch], language: str) -> list[ConceptMatch]:
        """Matches plus concepts found by stem where no exact form matched (glossary first, then EuroVoc)."""
        found = list(matches)
        covered = {i for m in matches for i in range(m.start, m.end)}
        for vocabulary in self._stemmed_for(language):
            for s, e, hits in vocabulary.longest_matches(words):
                span = range(s, e)
                if covered.isdisjoint(span) and not all(w in _ALL_FUNCTION_WORDS for w in words[s:e]):
                    found.extend(ConceptMatch(c, " ".join(words[s:e]), lang, s, e) for c, lang in hits[:2])
                    covered.update(span)
        return sorted(found, key=lambda m: m.start)

    def _stemmed_for(self, language: str) -> tuple[StemmedVocabulary, StemmedVocabulary]:
        if language not in self._stemmed:
            self._stemmed[language] = (StemmedVocabulary.build(self.glossary_vocabulary, language),
                                       StemmedVocabulary.build(self.eurovoc_vocabulary, language))
        return self._stemmed[language]

    def _dutch_synonyms(self, words: list[str], matches: list[ConceptMatch]) -> list[tuple[str, float]]:
        query_folded = " ".join(words)
        terms: dict[str, float] = {}
        for match in matches:
            if match.concept.source != "glossary":
                continue
            for form in match.concept.dutch:
                if fold(form) not in query_folded:
                    terms.setdefault(form, 0.5)
        # WordNet is sense-blind: skip function words ("voor" -> "groef") and words a concept
        # already covers ("commissie" -> "provisie"); never add a function word ("zijn" -> "is").
        covered = {i for m in matches for i in range(m.start, m.end)}
        for position, word in enumerate(words):
            if position in covered or word in _DUTCH_FUNCTION_WORDS:
                continue
            for synonym in self.odwn.get(word, ()):
                if synonym not in query_folded and synonym not in _ALL_FUNCTION_WORDS:
                    terms.setdefault(synonym, 0.3)
        return sorted(terms.items(), key=lambda kv: -kv[1])[:12]

    def _translate(
        self, words: list[str], matches: list[ConceptMatch], language: str
    ) -> tuple[str, list[tuple[str, float]], tuple[str, ...]]:
        by_start: dict[int, list[ConceptMatch]] = {}
        for match in matches:
            by_start.setdefault(match.start, []).append(match)
        rendered: list[str] = []
        translations: list[str] = []
        terms: dict[str, float] = {}
        i = 0
        stop = _FUNCTION_WORDS.get(language, set())
        while i < len(words):
            here = by_start.get(i)
            if not here:
                if words[i] not in stop:
                    rendered.append(words[i])  # names, numbers, words both languages share
                i += 1
                continue
            here.sort(key=lambda m: m.concept.source != "glossary")
            primary = here[0].concept
            rendered.append(primary.dutch[0])
            translations.append(primary.dutch[0])
            for match in here:
                base = 0.8 if match.concept.source == "glossary" else 0.6
                for rank, form in enumerate(match.concept.dutch):
                    terms[form] = max(terms.get(form, 0.0), base if rank == 0 else base * 0.6)
            i = here[0].end
        for form in rendered:
            terms.pop(form, None)  # already in the Dutch text at full weight
        # An inflection of a rendered word is that word ("verzoekt" for "verzoeken"): full weight.
        # The index's Porter stemmer keeps "verzoekt" apart; Snowball's newer Dutch stemmer does not.
        stem = _stem_function("nl")
        rendered_stems = {stem(w) for form in rendered for w in _folded_words(form)}
        for form in terms:
            words = _folded_words(form)
            if len(words) == 1 and stem(words[0]) in rendered_stems:
                terms[form] = 1.0
        ranked = sorted(terms.items(), key=lambda kv: -kv[1])[:16]
        return " ".join(rendered), ranked, tuple(dict.fromkeys(translations))


_ALL_FUNCTION_WORDS = set().union(*_FUNCTION_WORDS.values())
_DUTCH_FUNCTION_WORDS = _FUNCTION_WORDS["nl"] | DUTCH_STOPWORDS
_GENERAL_WORDING = "glossary_policy:"  # key prefix of the general policy-wording glossary


# Bump when QueryExpander's attributes or the loaders change: caches of an older layout are then not read.
_CACHE_LAYOUT = 1


@dataclass(frozen=True)
class _VocabularySources:
    """The files an expander is read from (None: not configured or not there)."""

    eurovoc: Path | None
    odwn: Path | None


def _vocabulary_sources(settings) -> _VocabularySources:
    def folder(name: str, file: str) -> Path | None:
        configured = getattr(settings, name, None)
        return Path(configured) if configured and (Path(configured) / file).exists() else None

    return _VocabularySources(folder("eurovoc_dir", "eurovoc_concepts.csv"), folder("odwn_dir", "synsets_nl.tsv"))


def _sources_key(sources: _VocabularySources) -> str:
    """A digest of every source file's path, size and modification time, and of the cache layout."""
    files = [sources.eurovoc / "eurovoc_concepts.csv" if sources.eurovoc else None,
             sources.odwn / "synsets_nl.tsv" if sources.odwn else None]
    for name in SHIPPED_GLOSSARIES:
        resource = resources.files("index").joinpath(f"data/{name}")
        files.append(Path(str(resource)) if resource.is_file() else None)
    parts = [str(_CACHE_LAYOUT)]
    for file in files:
        if file is None:
            parts.append("-")
            continue
        stat = file.stat()
        parts.append(f"{file.resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


def _read_cached(path: Path) -> QueryExpander | None:
    """The expander kept at ``path``; None when there is none or it cannot be read (it is then rebuilt)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    enabled = gc.isenabled()
    gc.disable()  # unpickling a million small objects: the collector would walk them again and again
    try:
        expander = pickle.loads(data)
    except Exception:  # a truncated or foreign file: rebuilding is always possible
        log.debug("cached vocabularies %s could not be read", path, exc_info=True)
        return None
    finally:
        if enabled:
            gc.enable()
    return expander if isinstance(expander, QueryExpander) else None


def _write_cached(path: Path, expander: QueryExpander) -> None:
    """Keep the built expander for the next process; best effort (a read-only cache folder only costs time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_bytes(pickle.dumps(expander, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, path)  # whole or not at all, also with two processes writing
    except OSError:
        log.debug("could not keep the vocabularies in %s", path, exc_info=True)


def _displaced_by_longer_terms(glossary: list, eurovoc: list) -> set[tuple[int, int]]:
    """Spans of general policy words that a longer EuroVoc term wholly covers ("common agricultural policy")."""
    displaced: set[tuple[int, int]] = set()
    for s, e, _ in eurovoc:
        overlapping = [(gs, ge, hits) for gs, ge, hits in glossary if gs < e and s < ge]
        if overlapping and all(
            s <= gs and ge <= e and ge - gs < e - s and all(c.key.startswith(_GENERAL_WORDING) for c, _ in hits)
            for gs, ge, hits in overlapping
        ):
            displaced.update((gs, ge) for gs, ge, _ in overlapping)
    return displaced
