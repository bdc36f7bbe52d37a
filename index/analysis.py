"""Dutch text analysis for the embedded lexical index: the same chain at index and query time.

Lowercase, fold accents, split on non-word characters, drop stop words, stem with the
original Dutch Porter/Snowball stemmer (PyStemmer ``dutch_porter``): the algorithm the
OpenSearch backend's Lucene ``dutch`` stemmer still implements, so both backends index the
same terms. It also measured better than Snowball's newer ``dutch`` (dev queries, lexical
nDCG@10 0.667 -> 0.687, no query kind worse).

Compound splitting ("drugshandel" -> "drugs" + "handel", against a vocabulary from the
glossary) stays out of the ranked terms: on the dev queries it cost nDCG@10
(lexical 0.626 -> 0.614) and recall@10 (0.752 -> 0.713), because parts such as "drugs"
or "netwerk" make nearly every passage match. Cross-lingual and synonym expansion already
supply the compound forms a query needs ("drugshandel" for "drug trafficking"). The parts
(``compound_parts_of``) are indexed beside the words for matching only: the query language's
``-douane`` and ``+douane`` reach "douanecontroles" too. Both backends split with this code.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import Stemmer

_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)

# Snowball's Dutch stop list, accent-folded.
DUTCH_STOPWORDS = frozenset(
    """de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om hem
    dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar naar heb hoe
    heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al waren veel meer doen
    toen moet ben zonder kan hun dus alles onder ja eens hier wie werd altijd doch wordt wezen kunnen
    ons zelf tegen na reeds wil kon niets uw iemand geweest andere""".split()
)

# Frequent heads and modifiers of policy-language compounds, beyond those the glossary's
# Dutch column contributes. Kept short and general: each must be a word in its own right.
_EXTRA_PARTS = """
actie acties plan beleid strategie preventie criminaliteit misdaad handel smokkel drugs drug
recht rechts handhaving instanties diensten autoriteiten samenwerking netwerk netwerken
informatie uitwisseling gegevens onderzoek onderzoeken dreiging evaluatie beeld inlichtingen
haven havens douane controle controles apparatuur laboratoria team groep project markt markten
geld winst winsten vermogen bestanddelen structuren bedrijf bedrijfs bedrijven economie
veiligheid gezondheid geweld wapens vuur wapen terrorisme financiering middelen kader wetgeving
verslag rapport cyclus prioriteit prioriteiten systeem platform partners partnerschap
jongeren kinderen burgers gemeenschap gemeenschappen overheid overheden minister ministers
precursoren precursor stoffen productie gebruik verkoop routes route keten knooppunten
capaciteit opbouw opleiding personeel praktijken analyse risico risicos indicatoren criteria
conferentie vergadering bijeenkomst werk werkzaamheden programma fonds steun controle agentschap
justitie justitieel strafrecht straf sancties bevel aanhouding uitlevering vervolging
""".split()


def fold(text: str) -> str:
    """Lowercase and strip diacritics ("financiële" -> "financiele")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if decomposed.isascii():  # most of a Dutch text: nothing to strip, and no per-character loop for it
        return decomposed
    return _NON_ASCII.sub(_without_combining, decomposed)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _without_combining(run: re.Match) -> str:
    return "".join(ch for ch in run.group() if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("dutch_porter")


@lru_cache(maxsize=1)
def compound_parts() -> frozenset[str]:
    """Known words a compound may be built from: the glossary's Dutch words plus common heads."""
    words = set(_EXTRA_PARTS)
    glossary = resources.files("index").joinpath("data/glossary_jha.tsv").read_text(encoding="utf-8")
    for line in glossary.splitlines()[3:]:
        cells = line.split("\t")
        if len(cells) > 1:
            words.update(w for w in re.split(r"[^\w]+", fold(cells[1])) if w)
    return frozenset(w for w in words if len(w) >= 4 and w not in DUTCH_STOPWORDS)


def split_compound(word: str, parts: frozenset[str] | None = None) -> list[str]:
    """The known parts of a closed compound, or [] ("drugshandel" -> ["drugs", "handel"])."""
    if len(word) < 8:
        return []
    vocabulary = compound_parts() if parts is None else parts
    return _split(word, vocabulary, top=True) or []


@lru_cache(maxsize=65536)
def _split_cached(word: str) -> tuple[str, ...]:
    return tuple(split_compound(word))


def _split(word: str, vocabulary: frozenset[str], top: bool) -> list[str] | None:
    """Fewest-parts cover of ``word`` by vocabulary words, allowing linking -s- and -e(n)-."""
    if not top and word in vocabulary:
        return [word]
    best: list[str] | None = None
    for cut in range(len(word) - 4, 3, -1):  # longest head first
        head = word[:cut]
        if head not in vocabulary:
            continue
        for link in ("", "s", "e", "en"):
            rest = word[cut:]
            if link and not rest.startswith(link):
                continue
            tail = rest[len(link):]
            if len(tail) < 4:
                continue
            split = _split(tail, vocabulary, top=False)
            if split and (best is None or len(split) + 1 < len(best)):
                best = [head, *split]
        if best and len(best) == 2:
            break
    return best


def tokens(text: str) -> list[str]:
    """Folded surface tokens; hyphenated compounds yield the whole and its parts."""
    out: list[str] = []
    for match in _TOKEN.finditer(fold(text)):
        word = match.group(0)
        if "-" in word:
            parts = [p for p in word.split("-") if p]
            out.append("".join(parts))
            out.extend(parts)
        else:
            out.append(word)
    return out


def compound_parts_of(text: str) -> list[str]:
    """The folded, unstemmed parts of the text's closed compounds ("douaneautoriteiten" -> "douane", "autoriteiten").

    Both backends index them apart from the words themselves, for matching only: ``-douane``
    then also keeps out "douanecontroles", and ``+douane`` finds them, while ranking sees
    whole words only (splitting for ranking cost nDCG, see the module docstring).
    """
    return [part for token in tokens(text) if token not in DUTCH_STOPWORDS for part in _split_cached(token)]


def analyze(text: str, *, compounds: bool = False) -> list[str]:
    """Index terms of a text: folded, stop words removed, stemmed; compound parts on request."""
    stemmer = _stemmer()
    out: list[str] = []
    for token in tokens(text):
        if token in DUTCH_STOPWORDS:
            continue
        out.append(stemmer.stemWord(token))
        if compounds:
            out.extend(stemmer.stemWord(part) for part in _split_cached(token))
    return out
