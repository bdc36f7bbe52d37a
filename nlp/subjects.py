"""Who acts in a clause, without a parser: subjects, addressees, agents and partners.

Works on token positions of a ``Doc`` whose actor gazetteer has run (``doc.spans["actors"]``):
a subject is the actor chain next to the modal verb ("de Commissie zal", "zal Europol"), an
addressee the actor named after a request verb ("verzoekt de Raad de lidstaten"), an agent the
actor after "door" in a passive. Partners ("met de steun van X") are left out.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from nlp import actors as actor_tagging

PARTNER_WORDS = {"steun", "ondersteuning", "samenwerking", "overleg", "hulp", "behulp", "bijstand", "medewerking", "betrokkenheid"}
ARTICLES = {"de", "het", "een", "alle", "hun", "zijn", "haar", "onze", "deze", "die"}
NO_ACTOR = ""  # a passive whose agent is named but is no actor ("door voorbereidend overleg")
SUBORDINATORS = {"die", "dat", "wanneer", "indien", "zodat", "om", "waarbij", "waardoor", "omdat", "teneinde"}
# A relative clause ("de landen waarvan ... worden misbruikt") has its own verbs.
RELATIVES = {"waarvan", "waarin", "waarmee", "waarop", "waaraan", "waarover", "welke"}  # not "wat": "wat betreft"
BOUNDARY_WORDS = {"om", "te", "teneinde", ":", ";"}
BODY_NOUN_ENDINGS = (
    "groep",
    "netwerk",
    "netwerken",
    "agentschap",
    "agentschappen",
    "autoriteit",
    "autoriteiten",
    "diensten",
    "comité",
    "bureau",
    "instantie",
    "instanties",
    "organen",
    "landen",
    "staten",
    "ministeries",
    "secretariaat",
    "voorzitterschap",
    "parlementen",
    "regeringen",
    "partners",
    "alliantie",
    "eu",
    "unie",
    "forum",
    "partnerschap",
    "eenheden",
    "contactgroep",
    "taskforce",
    "douane",
    "politie",
    "vertegenwoordigers",
    # the bodies of national plans: the cabinet, municipalities, ministries, services, centres, associations
    "kabinet",
    "regering",
    "gemeenten",
    "provincies",
    "ministerie",
    "dienst",
    "inspectie",
    "marechaussee",
    "centrum",
    "centra",
    "vereniging",
    # offices that act for their body: "de minister van Justitie en Veiligheid", "de burgemeesters"
    "minister",
    "ministers",
    "staatssecretaris",
    "burgemeester",
    "burgemeesters",
    # the market parties an obligation addresses as a class: "Telecomaanbieders moeten ...", "Banken dienen ..."
    "aanbieders",
    "banken",
    "platforms",
    "platformen",
    "exploitanten",
    "beheerders",
    "ondernemingen",
    "bedrijven",
    "werkgevers",
    "instellingen",
)
PRONOUNS = {"zij", "ze", "hij"}
APPOSITION_MARKS = {",", "-", "–"}
def actor_spans(doc: Doc, start: int, end: int) -> list[Span]:
    return [s for s in doc.spans.get(actor_tagging.SPAN_KEY, []) if s.start >= start and s.end <= end]


def chain(doc: Doc, spans: list[Span], anchor: int, direction: int) -> list[str]:
    """Actors joined by "en" / "," that end (direction -1) or start (direction +1) at ``anchor``."""
    by_start = {s.start: s for s in spans}
    by_end = {s.end: s for s in spans}
    found: list[str] = []
    position = anchor
    while True:
        if direction < 0:
            span = by_end.get(position)
            if span is None:
                break
            found.insert(0, span.label_)
            position = span.start
            while position > 0 and doc[position - 1].lower_ in ARTICLES:
                position -= 1
            if position > 0 and doc[position - 1].lower_ in {"en", ","}:
                position -= 1
                continue
            break
        else:
            skipped = 0
            while position < len(doc) and (
                doc[position].lower_ in ARTICLES or (skipped < 2 and doc[position].is_lower and doc[position].lower_.endswith("e"))
            ):
                position += 1
                skipped += 1
            span = by_start.get(position)
            if span is None:
                break
            found.append(span.label_)
            position = span.end
            if position < len(doc) and doc[position].lower_ in {"en", ","}:
                position += 1
                continue
            break
    return list(dict.fromkeys(found))


def subject_before(doc: Doc, cue_start: int, spans: list[Span]) -> list[str]:
    position = cue_start
    if position > 0 and doc[position - 1].lower_ in {"zelf", "ook", "dan", "daarom"}:
        position -= 1
    position = before_parenthesis(doc, position)  # "Europol (EC3) zal": the unit named in brackets belongs to it
    found = chain(doc, spans, position, -1)
    if found:
        first = min((s for s in spans if s.label_ == found[0] and s.end <= cue_start), key=lambda s: -s.end, default=None)
        if first is not None:
            before = first.start - 1
            while before >= 0 and doc[before].lower_ in ARTICLES:
                before -= 1
            if before >= 0 and doc[before].lower_ in {"van", "met", "door", "aan", "via", "bij", "tot", "voor", "tussen"}:
                return []
            if before >= 0 and doc[before].lower_ == "en":
                # "De politie en het OM zullen": a body the gazetteer does not know, joined to one it does
                whole = noun_phrase_actors(doc, doc[clause_start(doc, before, 0) : position], spans)
                if whole and set(found) <= set(whole):
                    return whole
    return found


MAX_PARENTHESIS = 8
MAX_NAME_WORDS = 4
MAX_PHRASE_WORDS = 9


def before_parenthesis(doc: Doc, position: int) -> int:
    """Where a short bracketed part that ends at ``position`` opens ("Europol (EC3)"), else ``position``."""
    if position == 0 or doc[position - 1].text != ")":
        return position
    for i in range(position - 2, max(-1, position - 2 - MAX_PARENTHESIS), -1):
        if doc[i].text == "(":
            return i
        if doc[i].text in {")", ".", ";"}:
            break
    return position


def noun_phrase_actor(span: Span, bare: bool = False) -> str | None:
    """A body named by a short noun phrase that the gazetteer does not know ("de speciale projectgroep", "de
    stuurgroep Ondermijning", "de minister van Justitie en Veiligheid").

    With ``bare``, a single plural noun without article also counts ("Financiële-inlichtingeneenheden").
    """
    tokens = [t for t in span if not t.is_punct]
    if bare and len(tokens) == 1 and tokens[0].lower_.endswith(BODY_NOUN_ENDINGS) and tokens[0].lower_ not in ARTICLES:
        return tokens[0].text[:1].lower() + tokens[0].text[1:] if not tokens[0].text[1:2].isupper() else tokens[0].text
    if not tokens or len(tokens) > MAX_PHRASE_WORDS or tokens[0].lower_ not in {"de", "het"}:
        return None
    for body in range(len(tokens) - 2, 0, -1):
        if tokens[body].lower_.endswith(BODY_NOUN_ENDINGS) and is_proper_name(tokens[body + 1 :]):
            return " ".join(t.text for t in tokens[1:])  # a body noun and its name
    if any(t.lower_ in {"van", "voor", "met", "in", "op", "over"} for t in tokens):
        return None  # "het werk van de havenalliantie": the head is no body
    head = tokens[-1]
    if head.lower_.endswith(BODY_NOUN_ENDINGS) or (head.text.isupper() and len(head.text) > 1):
        if len(tokens) == 2:
            return named_earlier(span.doc, head) or head.text
        return " ".join(t.text for t in tokens[1:])
    return None


def is_proper_name(tokens: list[Token]) -> bool:
    """ "Ondermijning", "Justitie en Veiligheid", "van Financiën", "van het Onderwijs": the name after a body's
    noun, capitalised words joined by "en", after "van" where it names the office's field."""
    words = list(tokens)
    if words and words[0].lower_ == "van":
        words = words[1:]
        if words and words[0].lower_ in {"de", "het"}:
            words = words[1:]
    capitals = [t for t in words if t.lower_ != "en"]
    if not words or not capitals or len(capitals) > MAX_NAME_WORDS:
        return False
    if words[0].lower_ == "en" or words[-1].lower_ == "en":
        return False
    return all(t.lower_ == "en" or (t.is_alpha or "-" in t.text) and t.text[:1].isupper() and not t.is_upper for t in words)


def name_end(doc: Doc, start: int, limit: int) -> int:
    """Where a body's name that runs on from ``start`` ends: capitalised words, joined by "en"."""
    end = start
    while end < limit and end - start < MAX_NAME_WORDS:
        token = doc[end]
        joined = token.lower_ == "en" and end + 1 < limit and doc[end + 1].text[:1].isupper() and doc[end + 1].is_alpha
        if not (joined or (token.is_alpha and token.text.istitle())):
            break
        end += 2 if joined else 1
    if end > start and end < limit and doc[end].is_alpha and doc[end].is_lower and doc[end - 1].lower_.endswith("e"):
        return start  # "het partnerschap Financiële inlichtingen": the name runs on in lower case; where it ends is unclear
    return end


def noun_phrase_actors(doc: Doc, span: Span, spans: list[Span]) -> list[str]:
    """The bodies a subject names, joined by "en" or commas ("De provincies en gemeenten", "Europol en de Douane");
    a name with "en" inside stays whole ("de minister van Justitie en Veiligheid")."""
    whole = noun_phrase_actor(span, bare=True)
    if whole and not any(t.lower_ in {"en", ","} for t in span):
        return [whole]
    parts: list[Span] = []
    start = span.start
    for token in span:
        if token.lower_ in {"en", ","}:
            parts.append(doc[start : token.i])
            start = token.i + 1
    parts.append(doc[start : span.end])
    named: list[str] = []
    for part in parts:
        opening = part.start
        while opening < part.end and doc[opening].lower_ in {"de", "het", "alle"}:
            opening += 1
        exact = [s.label_ for s in spans if s.start == opening and s.end == part.end]
        found = exact[0] if exact else noun_phrase_actor(part, bare=True)
        if found and not exact and part.start > span.start and len(part) == 1:
            found = part.text  # "De Nationale Politie en Douane": only the sentence's first word is capitalised for it
        if not found or not part.text.strip():
            return [whole] if whole else []
        named.append(found)
    return list(dict.fromkeys(named))


ANTECEDENT_WINDOW = 160  # tokens: the two or three sentences before


def named_earlier(doc: Doc, head: Token) -> str | None:
    """The full name a bare "het forum" / "de groep" points back to: a compound on the same head just before.

    "... via het EU-Internetforum. Het forum zal in 2024 ..." names the EU-Internetforum; the
    spec keeps a body's own name, and "forum" alone names nothing.
    """
    for token in reversed(doc[max(0, head.i - ANTECEDENT_WINDOW) : head.i - 1]):
        word = token.lower_
        if len(word) > len(head.lower_) + 2 and word.endswith(head.lower_) and token.text.replace("-", "").isalpha():
            return token.text
    return None


def clause_end(doc: Doc, start: int, limit: int) -> int:
    end = start
    while end < limit and doc[end].text not in {";", ".", ":"}:
        end += 1
    return end


def is_passive(doc: Doc, cue: Span, limit: int) -> bool:
    end = cue.end
    while end < limit and doc[end].text not in {",", ";", ".", ":"} and doc[end].lower_ not in SUBORDINATORS | RELATIVES:
        end += 1
    # After "zal/moet" the passive auxiliary is the infinitive "worden"; a finite "wordt" belongs to another clause.
    return any(t.lower_ == "worden" for t in doc[cue.end : end]) or cue.label_ == "REQUEST"


def agent(doc: Doc, cue: Span, limit: int, spans: list[Span]) -> list[str]:
    """The agent of a passive ("door de Commissie")."""
    end = cue.end
    while end < limit and doc[end].text not in {";", ".", ":", "(", ","}:
        end += 1
    for token in doc[cue.start : end]:
        if token.lower_ == "door":
            position = token.i + 1
            while position < end and (doc[position].lower_ in ARTICLES or doc[position].lower_.endswith(("e", "d"))):
                position += 1
            found = chain(doc, spans, position, +1) or chain(doc, spans, token.i + 1, +1)
            return found or [NO_ACTOR]
    return []


def addressee_zone(doc: Doc, cue: Span, limit: int) -> tuple[int, int]:
    """The tokens that name whom a request verb addresses: all-capitals run, or up to "om"/"te"/":"."""
    start = cue.start + 1 if cue.label_ == "INVITE" and len(cue) == 1 else cue.start
    end = start
    if cue[0].text.isupper():
        while end < limit and (doc[end].text.isupper() or not doc[end].is_alpha) and doc[end].text not in {":", ";"}:
            end += 1
        return start, end
    if len(cue) > 1:
        return cue.start + 1, cue.end - 1
    while end < limit and doc[end].lower_ not in BOUNDARY_WORDS:
        end += 1
    return start, end


def addressees(doc: Doc, cue: Span, limit: int, floor: int = 0) -> list[str]:
    start, end = addressee_zone(doc, cue, limit)
    spans = [s for s in sorted(actor_spans(doc, start, end), key=lambda s: s.start) if not is_partner(doc, s)]
    named_any = bool(spans)
    if spans and subject_follows_verb(doc, cue, floor, spans[0]):
        # "In deze conclusies moedigt de Raad ... aan": the noun after the verb is its subject.
        spans = spans[1:]
    found = list(dict.fromkeys(s.label_ for s in spans))
    if len(found) > 1 and found[0] == "Raad":
        # "verzoekt de Raad de lidstaten": the Council is the one asking, not an addressee.
        found = found[1:]
    if spans and not cue[0].text.isupper():
        found += [name for name in unnamed_co_addressees(doc, spans[-1].end, end) if name not in found]
    if not found and not named_any:
        zone = [t for t in doc[start:end] if not t.is_punct and not _in_parentheses(doc, t.i, start)]
        led_by_article = bool(zone) and (zone[0].lower_ in {"de", "het", "alle"} or zone[0].text.isupper())
        words = [t for t in zone if t.is_alpha and t.lower_ not in ARTICLES and t.lower_ != "om"]
        while words and cue.end <= words[-1].i and words[-1].lower_ in SEPARABLE_PARTICLES:
            words = words[:-1]  # "roept online platforms op om": the verb's particle
        # "roept online platforms op": no article, but a class of bodies ("platforms", "hostingbedrijven")
        names_class = bool(words) and len(words) <= 3 and words[-1].lower_.endswith(BODY_NOUN_ENDINGS)
        if words and (led_by_article or names_class) and len(words) <= 8:
            name = " ".join(t.text for t in words)
            found = [name.lower() if name.isupper() else name]
    return found


def _in_parentheses(doc: Doc, index: int, floor: int) -> bool:
    """True for a token inside brackets ("de Nederlandse Vereniging van Banken (NVB)"): the short form the text gives."""
    for token in reversed(doc[floor:index]):
        if token.text == ")":
            return False
        if token.text == "(":
            return True
    return False


def is_partner(doc: Doc, span: Span) -> bool:
    """ "in (nauwe) samenwerking met X", "met de steun van X": X helps but is not asked to act."""
    window = [t.lower_ for t in doc[max(0, span.start - 5) : span.start]]
    return any(word in PARTNER_WORDS for word in window) and any(word in {"met", "van"} for word in window)


def subject_follows_verb(doc: Doc, cue: Span, floor: int, first: Span) -> bool:
    """True when the request verb stands second after a fronted phrase, so the next noun is its subject."""
    if cue.start <= floor or cue[0].text.isupper():
        return False
    previous = doc[cue.start - 1]
    if previous.lower_ in {"en", "of"} or subject_before(doc, cue.start, actor_spans(doc, floor, cue.start)):
        return False
    if previous.lower_ in {"hij", "zij", "ze", "het", "men"} or doc[cue.start + 1].lower_ in {"hij", "zij", "ze"}:
        return False
    if names_subject(doc[clause_start(doc, cue.start, floor) : cue.start]):
        return False  # "Nederland nodigt de Commissie uit", "Het kabinet verzoekt de VNG": the subject opens the clause
    gap = [t for t in doc[cue.start + 1 : first.start] if t.lower_ not in ARTICLES]
    return not gap


# Words that open a sentence before its verb without being its subject ("Daarnaast verzoekt het kabinet ...").
SENTENCE_ADVERBS = {"daarnaast", "tevens", "voorts", "ook", "verder", "bovendien", "daarom", "derhalve", "tenslotte",
                    "vervolgens", "eveneens", "hierbij", "daarbij", "daartoe", "hiertoe", "dan", "nu", "thans", "zo",
                    "evenzo", "tegelijk", "tegelijkertijd", "aldus", "hiermee", "daarmee", "eerst", "ten", "tot", "in",
                    "met", "op", "bij", "voor", "na", "om", "als", "zoals", "gezien", "gelet"}


def names_subject(fronted: Span) -> bool:
    """True when the words before a verb name who acts: a body's noun phrase ("het kabinet", "de stuurgroep
    Ondermijning") or names ("Nederland", "Nederland en België"), not an adverb or a fronted phrase."""
    tokens = [t for t in fronted if not t.is_punct]
    if not tokens or tokens[0].lower_ in SENTENCE_ADVERBS:
        return False
    if noun_phrase_actor(fronted, bare=True):
        return True
    return all(t.lower_ in {"en", "of"} or (t.is_alpha and t.text[:1].isupper()) for t in tokens) and len(tokens) <= 5


def fronted_subject(fronted: Span) -> bool:
    """True when the words before the verb are one body's noun phrase ("De politie", "Het kabinet", "De stuurgroep
    Ondermijning"): the clause's subject, whether the gazetteer knows the body or not."""
    return noun_phrase_actor(fronted, bare=True) is not None


def subordinate_subject(doc: Doc, cue: Span, floor: int, spans: list[Span]) -> list[str]:
    """ "..., die de Commissie in 2026 zal goedkeuren": in a subordinate clause the subject follows the pronoun."""
    start = clause_start(doc, cue.start, floor)
    if start < cue.start and doc[start].lower_ in SUBORDINATORS - {"om", "teneinde"}:
        return [a for a in chain(doc, spans, start + 1, +1)]
    return []


def anaphoric_subject(doc: Doc, cue: Span, floor: int) -> bool:
    """ "Deze inventarisatie zal ... worden bekendgemaakt": the subject points back to the previous sentence."""
    start = clause_start(doc, cue.start, floor)
    return start < cue.start and doc[start].lower_ in {"deze", "dit", "die", "dat", "dergelijke"}


def in_relative_clause(doc: Doc, cue: Span, floor: int) -> bool:
    """ "..., wat zal worden gebruikt": the cue belongs to a relative clause, not the main one."""
    i = cue.start - 1
    while i >= floor and doc[i].lower_ in {"ook", "dan", "nog", "daarbij", "verder"}:
        i -= 1
    return i >= floor and doc[i].lower_ in {"wat", "die", "dat", "waarmee", "waarin", "waarbij", "welke", "waardoor"}


def clause_start(doc: Doc, index: int, floor: int) -> int:
    start = index
    while start > floor and doc[start - 1].text not in {",", ";", ":", "(", ")"}:
        start -= 1
    return start


def with_co_actors(doc: Doc, segment: Span, spans: list[Span], actors: list[str]) -> list[str]:
    """ "samen met X" makes X a co-actor (unlike "met de steun van X" or "in samenwerking met X")."""
    for token in segment[:-1]:
        if token.lower_ == "samen" and doc[token.i + 1].lower_ == "met":
            partners = chain(doc, spans, token.i + 2, +1)
            if not partners:
                named = phrase_after(doc, token.i + 2, segment.end)
                partners = [named] if named else []
            actors = actors + [a for a in partners if a not in actors]
    return actors


def pronoun_subject(doc: Doc, cue: Span, floor: int) -> bool:
    """ "Zij zal ...", "Daartoe zullen zij ...": the subject is a personal pronoun that points back."""
    start = clause_start(doc, cue.start, floor)
    before = cue.start - 1 >= start and doc[cue.start - 1].lower_ in PRONOUNS and cue.start - 1 <= start + 1
    after = cue.end < len(doc) and doc[cue.end].lower_ in PRONOUNS
    return before or after


def apposition_subject(doc: Doc, cue: Span, segment: Span, spans: list[Span]) -> list[str]:
    """ "Een contactgroep, bestaande uit ..., zal ...": the subject opens the sentence, before the apposition."""
    if cue.start <= segment.start or doc[cue.start - 1].text not in APPOSITION_MARKS:
        return []
    end = segment.start
    while end < cue.start and doc[end].text not in APPOSITION_MARKS | {"(", "die", "dat"}:
        end += 1
    if end == segment.start or end >= cue.start - 1:
        return []
    named = chain(doc, spans, segment.start, +1)
    if named and all(s.end <= end for s in spans if s.label_ in named and s.start >= segment.start):
        return named
    owner = _owner(doc, segment.start, end, spans)
    if owner:
        return owner
    phrase = opening_noun_phrase(doc[segment.start : end])
    return [phrase] if phrase else []


def opening_noun_phrase(span: Span) -> str | None:
    """A body named by a short opening noun phrase, with or without article ("Een contactgroep", "Vertegenwoordigers van de lidstaten")."""
    tokens = [t for t in span if not t.is_punct]
    if tokens and tokens[0].lower_ == "een":
        tokens = tokens[1:]
    elif tokens and tokens[0].lower_ in {"de", "het"}:
        return noun_phrase_actor(span)
    if not tokens or len(tokens) > 6 or not tokens[0].lower_.endswith(BODY_NOUN_ENDINGS):
        return None
    text = " ".join(t.text for t in tokens)
    return text[:1].lower() + text[1:] if not text[1:2].isupper() else text


# Words that end the noun phrase after "samen met": the verb group, the next item, or a time or place that follows.
PHRASE_STOPS = {"zal", "zullen", "en", "om", "in", "op", "voor", "tegen", "uiterlijk", "binnen", "vanaf", "tijdens", "via"}


def phrase_after(doc: Doc, start: int, limit: int) -> str | None:
    """The body named right after ``start`` by a short noun phrase ("samen met de nationale autoriteiten")."""
    end = start
    while end < limit and end - start < 6 and doc[end].text not in {",", ";", ".", ":"} and doc[end].lower_ not in PHRASE_STOPS:
        end += 1
    return noun_phrase_actor(doc[start:end]) if end > start else None


def unnamed_co_addressees(doc: Doc, start: int, end: int) -> list[str]:
    """ "nodigt alle lidstaten en internationale partners uit": a body joined by "en" that the gazetteer does not know."""
    if start >= end or doc[start].lower_ not in {"en", ","}:
        return []
    words = [t for t in doc[start + 1 : end] if t.lower_ not in ARTICLES]
    if not words or len(words) > 3 or any(not t.is_alpha or t.lower_ in {"van", "voor", "om", "te", "en"} for t in words):
        return []
    if not words[-1].lower_.endswith(BODY_NOUN_ENDINGS):
        return []
    return [" ".join(t.text for t in words)]


SEPARABLE_PARTICLES = {"op", "uit", "aan"}
MEMBER_NOUNS = {"vertegenwoordigers", "deskundigen", "delegaties", "diensten", "autoriteiten", "ministeries", "ambtenaren"}


def _owner(doc: Doc, start: int, end: int, spans: list[Span]) -> list[str]:
    """ "Vertegenwoordigers van de deelnemende landen": people or services of a named body act for that body."""
    first = doc[start]
    if first.lower_ not in MEMBER_NOUNS or start + 1 >= end or doc[start + 1].lower_ != "van":
        return []
    position = start + 2
    while position < end and doc[position].lower_ in ARTICLES:
        position += 1
    direct = [s.label_ for s in spans if s.start == position]
    return direct or chain(doc, spans, position, +1)
