"""Main verbs of an action clause as infinitive lemmas, without a parser.

Dutch action clauses end their verb groups with infinitives ("... te publiceren", "zal ...
opzetten", "moet ... worden opgericht"). We collect those verb groups, join separable
particles ("uit te rollen" -> "uitrollen", "ter beschikking te stellen" -> "stellen") and
leave out auxiliaries and the infinitives that close a purpose clause ("om ... te vergroten").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

AUXILIARIES = {
    "worden",
    "zijn",
    "hebben",
    "blijven",
    "kunnen",
    "willen",
    "gaan",
    "laten",
    "zullen",
    "moeten",
    "mogen",
    "dienen",
    "beginnen",
    "trachten",
    "proberen",
}
PARTICLES = {
    "aan",
    "af",
    "bij",
    "door",
    "in",
    "mee",
    "na",
    "op",
    "om",
    "over",
    "toe",
    "uit",
    "vast",
    "voor",
    "weg",
    "terug",
    "samen",
    "tot",
    "vrij",
    "deel",
    "bekend",
    "plaats",
    "gebruik",
    "kennis",
}
VOWELS = set("aeiouy")
PURPOSE_MARKERS = {"om", "teneinde", "zodat", "opdat", "waardoor", "waarbij"}
# Right after a verb these open an embedded question ("nagaan of ...", "onderzoeken hoe ..."), whose verbs are not the action's.
QUESTION_WORDS = {"of", "hoe", "waar", "welke", "wanneer", "hoeveel", "wie"}
CLAUSE_OPENERS = {"het", "er", "de", "een", "dit", "deze", "die", "zij", "ze", "hij", "men", "wij", "we", "dat", "zo"}
# Infinitives that do not end in -en ("nagaan", "toezien", "bijstaan").
SHORT_INFINITIVES = ("gaan", "staan", "slaan", "doen", "zien")
NOT_VERBS = {"te", "ten", "en", "of", "alsmede", "tussen", "binnen", "buiten", "boven", "beneden", "tegen", "sinds", "wegen", "samen", "even", "tevens", "eigen", "open", "volgen"}
# A bare infinitive ends its verb group: it is followed by one of these (or punctuation) ...
GROUP_FOLLOWERS = {"en", "of", "hoe", "waar", "welke", "deze", "dit", "om", "te", "die", "dat", "wat", "waarbij", "teneinde", "zodat", "van", "met", "aan", "in", "op", "voor", "naar", "over", "bij", "tot", "via", "door", "als"}
# ... and is not preceded by a determiner, which would make it a plural noun.
DETERMINERS = {"de", "het", "een", "alle", "hun", "haar", "zijn", "deze", "die", "dit", "dat", "twee", "drie", "vele", "meer", "andere", "onze"}


def participle_infinitive(text: str) -> str | None:
    """The infinitive of a regular past participle ("ontwikkeld" -> "ontwikkelen", "vastgesteld" -> "vaststellen")."""
    text = text.replace("ï", "i")
    particle = next((p for p in sorted(PARTICLES, key=len, reverse=True) if text.startswith(p + "ge")), "")
    rest = text[len(particle) :]
    if rest[-1:] not in {"d", "t"} or len(rest) < 5:
        return None
    if rest.startswith("ge"):
        stem = rest[2:-1]
    elif not particle and rest.startswith(("be", "ver", "ont", "her", "er")):
        stem = rest[:-1]  # no "ge-" after an unstressed prefix: "ontwikkeld", "versterkt"
    else:
        return None
    if stem.endswith("ei") and rest.endswith("d"):
        infinitive = stem + "den"  # the stem's own d: "uitgebreid" -> "uitbreiden", "verspreid" -> "verspreiden"
    elif stem.endswith(("el", "er", "en", "ig")) and len(stem) > 4 and stem[-3:-2] not in {"e"}:
        infinitive = stem + "en"
    elif len(stem) >= 3 and stem[-1] not in VOWELS and stem[-2] in VOWELS and stem[-3] in VOWELS and stem[-2] == stem[-3]:
        infinitive = stem[:-2] + stem[-1] + "en"  # integreer -> integreren, maak -> maken
    elif len(stem) >= 3 and stem[-1] not in VOWELS and stem[-2] in VOWELS and stem[-3] not in VOWELS:
        infinitive = stem + stem[-1] + "en"  # stel -> stellen
    else:
        infinitive = stem + "en"
    return particle + infinitive


def _infinitive(token: Token) -> str | None:
    """The token as an infinitive lemma if it looks like a verb form that heads a verb group."""
    text = token.lower_
    if not token.is_alpha or token.text[:1].isupper() or text in NOT_VERBS:
        return None
    lemma = token.lemma_.lower() if token.lemma_ else ""
    if text.endswith(SHORT_INFINITIVES):
        return text
    if text.endswith("en") and len(text) > 3:
        # A plural noun has a lemma of its own ("lidstaten" -> "lidstaat"); an infinitive is its own lemma.
        # ... and a strong participle has its infinitive as lemma ("voorgezeten" -> "voorzitten").
        if lemma and lemma != text:
            return lemma if lemma.endswith("en") else None
        return text
    if lemma.endswith("en") and lemma != text:
        return lemma
    return participle_infinitive(text)


def _bare_infinitive_fits(tokens: list[Token], index: int) -> bool:
    """A bare infinitive closes a verb group and does not follow a determiner (else it is a plural noun)."""
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    previous = tokens[index - 1].lower_ if index >= 1 else ""
    closes = nxt is None or nxt.is_punct or nxt.lower_ in GROUP_FOLLOWERS
    # An inflected adjective ("de nieuwe stoffen") makes it a noun; a noun in -ie ("een evaluatie uitvoeren") does not.
    adjective = previous.endswith("e") and not previous.endswith("ie")
    return closes and previous not in DETERMINERS and not adjective


def _with_particle(tokens: list[Token], index: int, verb: str) -> str:
    """Join a separable particle written before "te" ("uit te rollen") to its verb."""
    if index >= 2 and tokens[index - 1].lower_ == "te" and tokens[index - 2].lower_ in PARTICLES:
        if index >= 3 and tokens[index - 3].lower_ == "rekening":
            return verb  # "rekening mee te houden" -> "houden"
        return tokens[index - 2].lower_ + verb
    return verb


def main_verbs(clause: Span, in_verb_group: bool = False) -> list[str]:
    """Infinitive lemmas of the main verbs of a clause, in order, without auxiliaries or purpose clauses."""
    tokens = list(clause)
    verbs: list[str] = []
    in_purpose = False
    purpose_closed = False
    for i, token in enumerate(tokens):
        lower = token.lower_
        if lower in PURPOSE_MARKERS and i + 1 < len(tokens) and tokens[i + 1].text == ":":
            break  # "teneinde: a) ... b) ...": a list of purposes closes the action
        embedded_question = (
            lower in QUESTION_WORDS
            and i >= 1
            and bool(verbs)
            and _infinitive(tokens[i - 1]) is not None
            and (lower != "of" or (i + 1 < len(tokens) and tokens[i + 1].lower_ in CLAUSE_OPENERS))  # "of" is also "or"
        )
        if lower in PURPOSE_MARKERS or embedded_question:
            in_purpose, purpose_closed = True, False
            continue
        if in_purpose and purpose_closed and token.text in {",", ";", ".", ":"}:
            in_purpose = False
            continue
        is_te_infinitive = i >= 1 and tokens[i - 1].lower_ == "te"
        passive_participle = (i >= 1 and tokens[i - 1].lower_ in {"worden", "wordt"}) or (
            i + 1 < len(tokens) and tokens[i + 1].lower_ in {"worden", "wordt"} and not _after_noun_modifier(tokens, i)
        )
        if not (is_te_infinitive or passive_participle or in_verb_group or _follows_verb_context(tokens, i)):
            continue
        verb = _infinitive(token)
        if verb is None or (verb in AUXILIARIES and _with_particle(tokens, i, verb) == verb):
            continue  # "gaan" is an auxiliary, "na te gaan" is not
        if not is_te_infinitive and not passive_participle and not (verb == lower and _bare_infinitive_fits(tokens, i)):
            continue
        if verb.startswith("ge") and verb == lower and (passive_participle or not _bare_infinitive_fits(tokens, i)):
            continue  # a strong participle ("gekeken") we cannot lemmatise
        if in_purpose:
            purpose_closed = True  # the purpose clause closes with its verb; coordinated verbs follow until a comma
            continue
        joined = _with_particle(tokens, i, verb)
        if joined not in verbs:
            verbs.append(joined)
    return verbs


def _after_noun_modifier(tokens: list[Token], index: int) -> bool:
    """ "hun belangrijkste leden worden ...": after a determiner or inflected adjective the word is the subject noun."""
    previous = tokens[index - 1].lower_ if index >= 1 else ""
    return previous in DETERMINERS or (previous.endswith("e") and not previous.endswith("ie"))


def _follows_verb_context(tokens: list[Token], index: int) -> bool:
    """A bare infinitive counts only inside a modal verb group."""
    window = {t.lower_ for t in tokens[max(0, index - 12) : index]}
    return bool(window & {"zal", "zullen", "moet", "moeten", "dient", "dienen", "voornemens"})
