"""Main verbs of an action clause as infinitive lemmas, without a parser.

Dutch action clauses end their verb groups with infinitives ("... te publiceren", "zal ...
opzetten", "moet ... worden opgericht"). We collect those verb groups, join separable
particles ("uit te rollen" -> "uitrollen", "ter beschikking te stellen" -> "stellen") and
leave out auxiliaries and the infinitives that close a purpose clause ("om ... te vergroten").
"""

from __future__ import annotations

from functools import lru_cache

from spacy.lookups import Lookups, Table, load_lookups
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
# After a comma and the action's verb these open a relative clause (", die ... zal bieden"), whose verbs are not the action's.
RELATIVE_PRONOUNS = {"die", "dat", "welke", "waarmee", "waarin", "waarop", "wat"}
CLAUSE_OPENERS = {"het", "er", "de", "een", "dit", "deze", "die", "zij", "ze", "hij", "men", "wij", "we", "dat", "zo"}
# Infinitives that do not end in -en ("nagaan", "toezien", "bijstaan").
SHORT_INFINITIVES = ("gaan", "staan", "slaan", "doen", "zien")
NOT_VERBS = {"te", "ten", "en", "of", "alsmede", "tussen", "binnen", "buiten", "boven", "beneden", "tegen", "sinds", "wegen", "samen", "even", "tevens", "eigen", "open", "volgen"}
# A bare infinitive ends its verb group: it is followed by one of these (or punctuation) ...
GROUP_FOLLOWERS = {"en", "of", "hoe", "waar", "welke", "deze", "dit", "om", "te", "die", "dat", "wat", "waarbij", "teneinde", "zodat", "van", "met", "aan", "in", "op", "voor", "naar", "over", "bij", "tot", "via", "door", "als"}
# ... and is not preceded by a determiner, which would make it a plural noun.
DETERMINERS = {"de", "het", "een", "alle", "hun", "haar", "zijn", "deze", "die", "dit", "dat", "twee", "drie", "vele", "meer", "andere", "onze"}
# A bare infinitive never follows a preposition in a verb group: after one it is a noun ("van leden", "met derde landen").
PREPOSITIONS = {"van", "met", "tussen", "voor", "naar", "over", "tegen", "zonder", "onder", "via", "door", "bij", "aan", "in", "op", "uit", "tot", "binnen", "buiten", "waaronder", "zoals", "inclusief", "betreffende", "inzake"}
LIST_JOINERS = {",", "en", "of"}
ADJECTIVE_ENDINGS = ("isch", "lijk", "baar", "eel", "ief", "aal", "air", "oos")
VERB_PREFIXES = PARTICLES | {"onder", "ver", "ont", "her", "achter", "mis", "weer", "tegen", "terug", "voort", "bijeen"}
# Determiners that never stand alone as an object pronoun ("het", "dit" do: "dit evalueren en rapporteren").
NOUN_ONLY_DETERMINERS = {"de", "een", "alle", "hun", "onze"}


@lru_cache(maxsize=1)
def dutch_lookups() -> Lookups:
    """spaCy's Dutch lemma lookup table (spacy-lookups-data), loaded once: the pipeline's lemmatizer uses it too."""
    return load_lookups("nl", ["lemma_lookup"])


def _lemma_lookup() -> Table:
    """Inflected form -> lemma; keys are hashed, so use .get, never iterate the keys."""
    return dutch_lookups().get_table("lemma_lookup")


@lru_cache(maxsize=1)
def _known_lemmas() -> frozenset[str]:
    return frozenset(_lemma_lookup().values())


def is_known_lemma(word: str) -> bool:
    """Whether a word is a lemma of the Dutch lookup table (an infinitive, a singular noun ...)."""
    return word in _known_lemmas()


def _plural_noun(word: str) -> bool:
    """A known plural noun ("organen" -> "orgaan"), or a compound ending in one ("wetgevingsinitiatieven")."""
    lookup = _lemma_lookup()
    lemma = lookup.get(word)
    if lemma is not None:
        return lemma != word and not lemma.endswith("en")
    if word in _known_lemmas():
        return False  # a base form of its own ("opsporen"), not a compound of a plural ("op" + "sporen")
    for start in range(3, len(word) - 4):  # longest known tail first, at least five letters
        if word[:start] in VERB_PREFIXES:
            continue  # "onder" + "steunen" is a verb, not a compound noun
        tail_lemma = lookup.get(word[start:])
        if tail_lemma is not None:
            return tail_lemma != word[start:] and not tail_lemma.endswith("en")
    return False


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
    if rest.startswith("ge") and not particle and infinitive not in _known_lemmas() and "ge" + infinitive in _known_lemmas():
        infinitive = "ge" + infinitive  # "ge-" belongs to the verb: "gebruikt" -> "gebruiken", not "bruiken"
    own_final = stem + rest[-1] + "en"  # the stem's own d or t: "afgerond" -> "afronden", not "afronnen"
    if particle + infinitive not in _known_lemmas() and particle + own_final in _known_lemmas():
        infinitive = own_final
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
    """A bare infinitive closes a verb group and is not a plural noun (after a determiner, preposition or in a list)."""
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    closes = nxt is None or nxt.is_punct or nxt.lower_ in GROUP_FOLLOWERS
    if not closes or _after_noun_modifier(tokens, index) or _after_preposition(tokens, index):
        return False
    return not _plural_noun(tokens[index].lower_) and not _listed_after_noun(tokens, index)


def _after_preposition(tokens: list[Token], index: int) -> bool:
    """After a preposition (and an uninflected adjective: "tegen crimineel vermogen"), unless it is the
    split half of "er/daar ... voor" ("er daarom voor zorgen")."""
    at = index - 1
    if at >= 1 and tokens[at].lower_.endswith(ADJECTIVE_ENDINGS) and tokens[at - 1].lower_ in PREPOSITIONS:
        at -= 1
    if at < 0 or tokens[at].lower_ not in PREPOSITIONS:
        return False
    return not any(t.lower_ in {"er", "daar", "hier"} for t in tokens[max(0, at - 5) : at])


def _listed_after_noun(tokens: list[Token], index: int) -> bool:
    """ "deze organen, netwerken, ..." / "de landen en gebieden": the next item of a list of nouns is a noun too.

    A comma counts only inside a list (another joiner follows), not where it closes an aside before the verb.
    """
    if index < 2 or tokens[index - 1].lower_ not in LIST_JOINERS:
        return False
    if tokens[index - 1].lower_ == ",":
        nxt = tokens[index + 1].lower_ if index + 1 < len(tokens) else ""
        if nxt not in LIST_JOINERS:
            return False
    before = tokens[index - 2].lower_
    return _plural_noun(before) or (index >= 3 and tokens[index - 3].lower_ in NOUN_ONLY_DETERMINERS)


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
        relative_clause = lower in RELATIVE_PRONOUNS and i >= 1 and tokens[i - 1].text == "," and bool(verbs)
        if lower in PURPOSE_MARKERS or embedded_question or relative_clause:
            in_purpose, purpose_closed = True, False
            continue
        if in_purpose and purpose_closed and token.text in {",", ";", ".", ":"}:
            # In a modal verb group the action is a bare infinitive; te-infinitives after the comma
            # continue the list of purposes ("om A uit te wisselen, B te vergemakkelijken en ...").
            in_purpose = in_verb_group and token.text == "," and _next_verb_is_te_infinitive(tokens, i + 1)
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


def _next_verb_is_te_infinitive(tokens: list[Token], start: int) -> bool:
    for j in range(start, len(tokens)):
        if tokens[j].text in {";", ":", "."}:
            return False
        if _infinitive(tokens[j]) is None:
            continue
        if j >= 1 and tokens[j - 1].lower_ == "te":
            return True
        if _bare_infinitive_fits(tokens, j):
            return False
    return False


def _after_noun_modifier(tokens: list[Token], index: int) -> bool:
    """ "hun belangrijkste leden", "de nieuwe stoffen": after a determiner or inflected adjective the word is a noun.

    A noun in -ie before it ("een evaluatie uitvoeren") is no adjective.
    """
    previous = tokens[index - 1].lower_ if index >= 1 else ""
    return previous in DETERMINERS or (previous.endswith("e") and not previous.endswith("ie"))


def _follows_verb_context(tokens: list[Token], index: int) -> bool:
    """A bare infinitive counts only inside a modal verb group."""
    window = {t.lower_ for t in tokens[max(0, index - 12) : index]}
    return bool(window & {"zal", "zullen", "moet", "moeten", "dient", "dienen", "voornemens"})


# Inside an action cell these open a clause whose verbs are not the action's: "zorgen dat ...", "nagaan in welke ...",
# "de smokkelnetwerken die ... vormen", "om ... te meten".
_SUBORDINATE_OPENERS = {"dat", "die", "of", "waarmee", "waarin", "waarbij", "waarop", "welke", "wanneer", "indien",
                        "zodat", "om", "teneinde", "hoe", "waar", "wat", "opdat", "omdat", "als", "zoals"}
_VERB_OBJECT_FOLLOWERS = {",", ".", ";", "en", "om", "hoe", "of", "wat", "welke", "waar", "dat"}
_ELLIPTIC_CONDITIONS = {"relevant", "nodig", "mogelijk", "passend", "dienstig", "noodzakelijk", "gepast"}
_NOT_ACTION_VERBS = NOT_VERBS | {"een", "geen", "alleen", "zeven", "negen", "tien", "heen", "hen", "nen"}


def action_verbs(clause: Span) -> list[str]:
    """Main verbs of an action written as an infinitive phrase, as action tables write them: "de uitwisseling
    van inlichtingen versterken", "een risicoanalyse uitvoeren van ...", "Beoordelen of ...", "Ervoor zorgen
    dat ...". The bare infinitives of the phrase itself; those of clauses inside it ("die ... vormen") are not
    the action's, nor are participles ("wordt verleend")."""
    tokens = list(clause)
    verbs: list[str] = []
    inside = False  # in a clause inside the phrase, until the next comma
    for i, token in enumerate(tokens):
        lower = token.lower_
        if inside:
            inside = token.text not in {",", ";"}
            continue
        question = lower == "of" and bool(verbs) and tokens[i - 1].lower_ == verbs[-1]  # "beoordelen of ..."
        elliptic = i + 1 < len(tokens) and tokens[i + 1].lower_ in _ELLIPTIC_CONDITIONS  # "waar relevant uitbreiden"
        if i > 0 and not elliptic and (question or (lower in _SUBORDINATE_OPENERS and lower != "of")):
            inside = True
            continue
        if not token.is_alpha or lower in AUXILIARIES or lower in _NOT_ACTION_VERBS or _infinitive_of(token) != lower:
            continue
        if lower not in _known_lemmas() and _with_particle(tokens, i, lower) not in _known_lemmas():
            continue  # a word in -en the lemma table does not know as a base form: a compound plural noun
        if not lower.endswith(("en", *SHORT_INFINITIVES)) or (i > 0 and token.text[:1].isupper()):
            continue
        if i > 0 and (_after_determiner_or_adjective(tokens, i) or _after_preposition(tokens, i)):
            continue
        nxt = tokens[i + 1].lower_ if i + 1 < len(tokens) else "."
        if i > 0 and _plural_noun(lower) and nxt not in _VERB_OBJECT_FOLLOWERS:
            continue  # "financiële onderzoeken naar ...": a noun; "de mogelijkheden onderzoeken om ...": a verb
        joined = _with_particle(tokens, i, lower)
        if joined not in verbs:
            verbs.append(joined)
    return verbs


def _infinitive_of(token: Token) -> str | None:
    """The token's infinitive when it is one itself (a capitalised first word included)."""
    text = token.lower_
    if text in NOT_VERBS:
        return None
    lemma = token.lemma_.lower() if token.lemma_ else ""
    if text.endswith(SHORT_INFINITIVES) or not lemma or lemma == text:
        return text
    return text if lemma.endswith("en") and lemma == text else None


ORDINALS = {"eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "laatste", "volgende", "vorige", "andere", "verdere"}


def _after_determiner_or_adjective(tokens: list[Token], index: int) -> bool:
    """After a determiner or an inflected adjective the word is a noun ("derde landen", "de nieuwe regels"); a
    noun in -e is no adjective ("een risicoanalyse uitvoeren"): an adjective's -e comes off a known base form."""
    word = tokens[index - 1].lower_
    return word in DETERMINERS or word in ORDINALS or _inflected_adjective(word)


def _inflected_adjective(word: str) -> bool:
    """ "nieuwe" (nieuw), "grote" (groot), "nodige" (nodig), "grijze" (grijs), "lieve" (lief)."""
    if not word.endswith("e") or word.endswith("ie") or len(word) < 4:
        return False
    known = _known_lemmas()
    base = word[:-1]
    candidates = {base, base[:-1] + {"z": "s", "v": "f"}.get(base[-1], base[-1])}
    if len(base) >= 3 and base[-2] in VOWELS and base[-3] not in VOWELS and base[-1] not in VOWELS:
        candidates.add(base[:-1] + base[-2] + base[-1])  # "grot" -> "groot"
    if len(base) >= 2 and base[-1] == base[-2]:
        candidates.add(base[:-1])  # "dikke" -> "dik"
    return any(candidate in known for candidate in candidates if candidate != word)
