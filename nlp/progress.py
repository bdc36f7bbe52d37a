"""How far a later report says an action has got: completed, in progress, rescheduled or only mentioned.

Dutch progress reports state completion in the past tense ("heeft ... gepubliceerd", "werd ...
voorgelegd", "is opgericht", "publiceerde Europol"), ongoing work with aspect markers ("is bezig",
"aan het actualiseren", "wordt momenteel", "loopt nog") and plans in the future ("zal in juni 2026
worden bekendgemaakt", "naar verwachting", "is gepland"). The one pipeline's lookup lemmatizer
gives lemmas; a token ``Matcher`` over lemmas and two morphological token
attributes (past participle, past finite verb) finds the cues. Each sentence is read on its own;
a text with several sentences takes the least finished reading, so one sentence about work still
to come keeps a report from counting as done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from conclusio.records import EvidenceStatus
from nlp.annotate import SENTENCE_COMPONENTS, run_components
from nlp.deadlines import parse_deadlines
from nlp.verbs import is_known_lemma

COMPONENT = "conclusio_progress_reader"
# What a progress reading needs of the pipeline: sentences and lemmas (with whatever a trained lemmatizer needs).
LEMMA_COMPONENTS = (*SENTENCE_COMPONENTS, "tok2vec", "tagger", "morphologizer", "attribute_ruler", "lemmatizer")

_AUXILIARY_LEMMAS = frozenset({"hebben", "zijn", "worden", "zullen", "kunnen", "moeten", "willen", "mogen"})
_AUXILIARY_FORMS = frozenset(
    "heeft hebben had hadden is zijn was waren werd werden wordt worden zal zullen zou zouden kon konden moest moesten "
    "mocht mochten".split()
)
# Separable particles that put "ge" inside a participle: af-ge-rond, op-ge-richt, bekend-ge-maakt.
_PARTICLES = (
    "aan af bekend bij bijeen door goed in mee na om op over plaats samen tegen terug toe tot uit vast voor voort weg"
).split()
_PARTICIPLE_SHAPE = re.compile(
    rf"^(?:(?:{'|'.join(_PARTICLES)})?ge\w{{2,}}(?:d|t|en)|(?:{'|'.join(_PARTICLES)})?ge(?:g|d|st)aan|(?:be|ver|ont|her)\w{{3,}}(?:ld|nd|rd|eid|eerd|kt|pt|st|ft))$"
)
# Participles without "ge-": a particle before an unstressed prefix ("voorbereid", "aanbesteed"), and strong
# participles of prefixed verbs ("begonnen", "besloten", "verkregen"), which share their ending with infinitives.
_PREFIXED_PARTICIPLE = re.compile(rf"^(?:{'|'.join(_PARTICLES)})(?:be|ver|ont|her|er)\w{{2,}}[dt]$")
_STRONG_PREFIXED_PARTICIPLE = re.compile(r"^(?:be|ver|ont|her)\w{3,}en$")
# Strong participles that the lookup table also lists as lemmas of their own (as adjectives: "besloten").
_STRONG_PARTICIPLES = frozenset(
    "begonnen besloten verschenen ontvangen verkregen verworven bevonden vertrokken bevolen vergeleken ontstaan".split()
)
# Participles that describe a state or a request, not a finished piece of work.
_NON_COMPLETION_LEMMAS = frozenset(
    """verzoeken vragen oproepen aanmoedigen uitnodigen aanbevelen plannen voorzien verwachten richten
    baseren wijden bedoelen betrekken verbinden belasten verplichten overtuigen noemen blijven opdragen
    omvatten bevatten vormen betreffen behelzen beogen inhouden toevertrouwen machtigen""".split()
)
_NON_COMPLETION_FORMS = frozenset(
    "gepland voorzien verwacht gericht gebaseerd gewijd bedoeld betrokken verbonden belast verplicht "
    "overtuigd bekend bereid genoemd verzocht gevraagd opgeroepen aangemoedigd uitgenodigd opgedragen "
    "toevertrouwd gemachtigd".split()
)
# A perfect or passive of these says the work began, not that it was delivered ("de werkzaamheden zijn begonnen").
_BEGINNING_LEMMAS = frozenset("beginnen starten aanvangen opstarten aanvatten".split())
_BEGINNING_FORMS = frozenset("begonnen gestart opgestart aangevangen aangevat".split())
_PRESENT_PASSIVE_AUXILIARIES = frozenset({"wordt", "worden"})
# "Er wordt gewezen op ...", "wordt benadrukt dat ...": a present passive of saying reports a statement, not work.
_STATEMENT_FORMS = frozenset(
    """gewezen benadrukt onderstreept beschreven vermeld genoemd erkend opgemerkt verwezen aanbevolen
    geconcludeerd aangetoond gesteld geschat gemeld aangegeven toegelicht uiteengezet""".split()
)
_RELATIVE_WORDS = frozenset("die dat waarin waarmee waarbij waardoor waarover welke wat".split())
_MODALS = frozenset("zal zullen zou zouden moet moeten kan kunnen dient dienen mag mogen".split())
# Past modals: "moest ... worden opgesteld" says what had to be done, not that it is under way; "konden ... in kaart
# worden gebracht" says that it could be, and so was, done.
_PAST_MODALS = frozenset("moest moesten mocht mochten diende dienden".split())
_PAST_ABILITY = frozenset({"kon", "konden"})

_DETERMINERS = frozenset("de het een deze die dit dat zijn haar hun onze uw elk elke alle".split())
_FUNCTION_WORDS = _DETERMINERS | frozenset(
    """er hij zij ze wij we men ook al reeds nog daarin daarbij daarom in op aan met voor tijdens na bij
    uit over onder door tot als zich samen vervolgens toen daarna eerst opnieuw verder""".split()
)
_NOUNS_OF_PARTICIPLE_SHAPE = frozenset("gebied geweld gebouw gezag gevolg geval gebod verband verbod bestand".split())

_DISCUSSION_LEMMAS = frozenset(
    """bespreken bediscussiëren beraadslagen verkennen aankaarten agenderen overleggen""".split()
)
# Verbs of effort: "hebben zich ingezet", "heeft haar inspanningen opgevoerd", "hebben de samenwerking versterkt"
# say that work was done on a matter, not that a deliverable was.
_EFFORT_LEMMAS = frozenset("inzetten opvoeren intensiveren versterken verbeteren voortzetten verdiepen".split())
_EFFORT_FORMS = frozenset("ingezet opgevoerd geïntensiveerd versterkt verbeterd voortgezet verdiept".split())
# An event whose subject is a discussion ("een bespreking heeft plaatsgevonden", "hield een debat") is work on it too.
_EVENT_LEMMAS = frozenset("plaatsvinden vinden houden voeren organiseren".split())
_DISCUSSION_NOUNS = frozenset("bespreking gedachtewisseling debat discussie beraadslaging overleg".split())
# "Het doel van deze actie was ...": a sentence about the aim, whatever its tense
_GOAL_PATTERNS = [[{"LOWER": "doel"}], [{"LOWER": "doelstelling"}], [{"LOWER": "tot"}, {"LOWER": "doel"}]]

STATUS_ORDER: dict[str, int] = {"rescheduled": 0, "in_progress": 1, "completed": 2, "mentioned": 3}


@dataclass(frozen=True)
class ProgressReading:
    """What a text says about the state of an action, and the words that decided it."""

    status: EvidenceStatus
    new_end: str | None = None  # ISO: the date by which the text now expects the action
    cue: str | None = None  # the words that decided, e.g. "werd ... voorgelegd"
    sentence: str | None = None  # the sentence the cue is in


# Strong past forms that the lookup lemmatizer leaves without their verb ("kwam", "vonden ... plaats"); forms that
# are also common nouns ("namen", "sloten", "wezen") are left out.
_STRONG_PAST = {
    **dict.fromkeys(("kwam", "kwamen"), "komen"),
    **dict.fromkeys(("vond", "vonden"), "vinden"),
    **dict.fromkeys(("stond", "stonden"), "staan"),
    **dict.fromkeys(("hield", "hielden"), "houden"),
    **dict.fromkeys(("nam",), "nemen"),
    **dict.fromkeys(("gaf",), "geven"),
    **dict.fromkeys(("bracht", "brachten"), "brengen"),
    **dict.fromkeys(("besloot",), "besluiten"),
    **dict.fromkeys(("sloot",), "sluiten"),
    **dict.fromkeys(("ging", "gingen"), "gaan"),
    **dict.fromkeys(("zag", "zagen"), "zien"),
    **dict.fromkeys(("bood",), "bieden"),
    **dict.fromkeys(("schreef", "schreven"), "schrijven"),
    **dict.fromkeys(("trok", "trokken"), "trekken"),
    **dict.fromkeys(("sprak", "spraken"), "spreken"),
    **dict.fromkeys(("koos", "kozen"), "kiezen"),
    **dict.fromkeys(("droeg", "droegen"), "dragen"),
    **dict.fromkeys(("verscheen", "verschenen"), "verschijnen"),
    **dict.fromkeys(("begon", "begonnen"), "beginnen"),
}


def _lemma(token: Token) -> str:
    return _STRONG_PAST.get(token.lower_) or (token.lemma_ or token.lower_).lower()


def _is_participle(token: Token) -> bool:
    """A past participle by form: a lemma that is a verb other than the form, or the ge- shape."""
    lower, lemma = token.lower_, _lemma(token)
    if not token.is_alpha or lower in _AUXILIARY_FORMS or lower in _NOUNS_OF_PARTICIPLE_SHAPE:
        return False
    if lower.endswith(("heid", "ende", "gebied")):
        return False
    if lower.endswith(("de", "te")):  # inflected adjective ("gerichte") or past finite verb
        return False
    known_verb = lemma != lower and lemma.endswith("en") and lower.endswith(("d", "t", "en", "aan"))
    if known_verb or (lemma == lower and bool(_PARTICIPLE_SHAPE.match(lower))):
        return True
    if lemma != lower:
        return False
    if _PREFIXED_PARTICIPLE.match(lower):
        return True
    # "begonnen" is no infinitive of its own (unlike "beginnen", "versterken"); a plural noun has a lemma of its own
    if lower in _STRONG_PARTICIPLES:
        return True
    return bool(_STRONG_PREFIXED_PARTICIPLE.match(lower)) and not is_known_lemma(lower)


def _is_past_finite(token: Token) -> bool:
    """A finite past-tense verb: weak ("publiceerde", "keurden") or strong ("hield", "besloot")."""
    lower, lemma = token.lower_, _lemma(token)
    if lower in {"had", "hadden"}:
        return True
    if lower in _STRONG_PAST and lower not in {"begonnen", "verschenen"}:  # those two are participles as well
        return True
    if not token.is_alpha or lemma == lower or not lemma.endswith("en") or lemma in _AUXILIARY_LEMMAS:
        return False
    if lower.endswith(("ende", "enden")):
        return False
    if lower.endswith(("de", "te", "den", "ten")):
        # "gerichte" is an adjective (participle + e); "gebruikte" of "gebruiken" is a verb
        if lower.startswith("ge") and not lemma.startswith("ge"):
            return False
        return not _attributive(token)
    if lower.endswith("en") or _PARTICIPLE_SHAPE.match(lower):
        return False
    shared = len(_common_prefix(lower, lemma))
    return shared < len(lemma) - 3  # far from the infinitive: an ablaut past, not a present form


def _attributive(token: Token) -> bool:
    """An inflected form between an article and a noun ("een onderbouwde aanpak") is an adjective."""
    doc = token.doc
    before = doc[token.i - 1].lower_ if token.i > 0 else ""
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if before in _DETERMINERS:
        return True
    if after is None or not after.is_alpha or after.is_title or after.is_upper:
        return False
    return after.lower_ not in _FUNCTION_WORDS


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


for _name, _getter in (("progress_participle", _is_participle), ("progress_past", _is_past_finite)):
    if not Token.has_extension(_name):
        Token.set_extension(_name, getter=_getter)

# Marks that do not end a clause: emphasis, quotes, and brackets round an aside ("het netwerk (EJOCN) goedgekeurd").
_INSIDE_A_CLAUSE = frozenset({"*", "**", "“", "”", '"', "(", ")"})
_PAST_AUXILIARIES = frozenset("heeft hebben had hadden werd werden is zijn was waren".split())
_MAX_AUX_DISTANCE = 25  # tokens between an auxiliary and its participle in one clause

_PATTERNS: dict[str, list[list[dict]]] = {
    "FUTURE": [
        [{"LEMMA": "zullen"}],
        [{"LOWER": "naar"}, {"LOWER": "verwachting"}],
        [{"LOWER": "voornemens"}],
        [{"LOWER": {"IN": ["gepland", "voorzien", "verwacht", "beoogd"]}}],
        [{"LOWER": "in"}, {"LOWER": "voorbereiding"}],
    ],
    "ONGOING": [
        [{"LOWER": "bezig"}],
        [{"LOWER": "aan"}, {"LOWER": "het"}, {"LOWER": {"REGEX": r"^\w{3,}en$"}}],
        [{"LOWER": {"IN": ["momenteel", "thans", "lopende", "voortdurend", "doorlopend", "onverminderd", "gewerkt"]}}],
        [{"LOWER": "nog"}, {"LOWER": {"IN": ["steeds", "niet", "gaande"]}}],
        [{"LEMMA": "lopen"}, {"LOWER": "nog"}],
        [{"LOWER": "aan"}, {"LOWER": "de"}, {"LOWER": "gang"}],
        # a subject that was discussed ("kwam aan bod", "stond op de agenda") is work on it, not its delivery
        [{"LOWER": "aan"}, {"LOWER": "bod"}],
        [{"LOWER": "op"}, {"LOWER": "de"}, {"LOWER": "agenda"}],
    ],
    "PAST": [[{"_": {"progress_past": True}}]],
    # "Sinds september 2025 brengt het secretariaat ... samen": a present since a date is a practice that goes on
    "SINCE": [[{"LOWER": "sinds"}]],
    "GOAL": _GOAL_PATTERNS,
}


class ProgressClassifier:
    """Reads progress cues in Dutch text with the pipeline's tokens, sentences and lemmas.

    Registered as the pipeline component ``conclusio_progress_reader``, disabled: it is no step of
    reading a document, but it shares the one pipeline (its vocabulary, lemmatizer and deadline tagger).
    """

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.matcher = Matcher(self.nlp.vocab)
        for label, patterns in _PATTERNS.items():
            self.matcher.add(label, patterns)

    def classify(self, text: str, doc_date: date | None, deadline_end: str | None = None) -> ProgressReading:
        """The least finished reading over the sentences of ``text``."""
        readings = self.classify_sentences(text, doc_date, deadline_end)
        if not readings:
            return ProgressReading("mentioned")
        return min(readings, key=lambda r: (STATUS_ORDER[r.status], r.new_end is None))

    def classify_sentences(
        self, text: str, doc_date: date | None, deadline_end: str | None = None
    ) -> list[ProgressReading]:
        """One reading per sentence, in order."""
        doc = run_components(self.nlp, _plain(text), LEMMA_COMPONENTS)
        return [self._classify_sentence(sent, doc_date, deadline_end) for sent in doc.sents if sent.text.strip()]

    def __call__(self, doc: Doc) -> Doc:
        """A pipeline component must take a doc; this one reads texts on request and leaves docs as they are."""
        return doc

    def _classify_sentence(self, sent: Span, doc_date: date | None, deadline_end: str | None) -> ProgressReading:
        cues: dict[str, str] = {}
        starts: dict[str, int] = {}
        found = [(self.nlp.vocab.strings[m], s, e) for m, s, e in self.matcher(sent.as_doc())]
        found += [("PAST", s, e) for s, e in _perfect_and_passive(sent)]
        found += [("ONGOING", s, e) for s, e in _present_passive(sent)]
        found += [("ONGOING", s, e) for s, e in _continuing(sent)]
        found += [("PAST", s, e) for s, e in _past_ability_passive(sent)]
        for label, start, end in sorted(found, key=lambda m: m[1]):
            if label == "PAST":
                if not _completes(sent[start:end]):
                    continue
                # talking about an action ("werd besproken") or beginning it ("zijn begonnen") is work on it,
                # not its delivery
                lemma = _verb_lemma(sent[start:end])
                began = lemma in _BEGINNING_LEMMAS or sent[end - 1].lower_ in _BEGINNING_FORMS
                effort = lemma in _EFFORT_LEMMAS or sent[end - 1].lower_ in _EFFORT_FORMS
                discussed = lemma in _DISCUSSION_LEMMAS or effort or (
                    lemma in _EVENT_LEMMAS and any(_lemma(t) in _DISCUSSION_NOUNS for t in sent)
                )
                label = "ONGOING" if discussed or began else "COMPLETED"
            cues.setdefault(label, _cue_text(sent[start:end]))
            starts.setdefault(label, start)
        if "COMPLETED" in cues:
            # "X heeft Y opgericht, die ... zal onderhouden": a plan in a relative clause leaves the main clause done
            for label in ("FUTURE", "ONGOING"):
                if label in cues and _in_later_relative_clause(sent, starts["COMPLETED"], starts[label]):
                    del cues[label]
        if "GOAL" in cues and starts["GOAL"] <= 3:
            return ProgressReading("mentioned", None, cues["GOAL"], sent.text.strip())
        text = sent.text.strip()
        later, wholly_later = _dates_after(self.nlp, text, doc_date)
        if "FUTURE" in cues or ("COMPLETED" not in cues and wholly_later):
            cue = cues.get("FUTURE") or "future date"
            if later and deadline_end and later > deadline_end:
                return ProgressReading("rescheduled", later, cue, text)
            return ProgressReading("in_progress", later, cue, text)
        if "ONGOING" in cues:
            return ProgressReading("in_progress", later, cues["ONGOING"], text)
        if "COMPLETED" in cues:
            return ProgressReading("completed", None, cues["COMPLETED"], text)
        if "SINCE" in cues and not _with_perfect(sent):
            return ProgressReading("in_progress", later, cues["SINCE"], text)
        return ProgressReading("mentioned", None, None, text)


def _perfect_and_passive(sent: Span) -> list[tuple[int, int]]:
    """Spans from a past auxiliary to its participle in the same clause: "heeft ... gepubliceerd", "opgericht is"."""
    spans: list[tuple[int, int]] = []
    for i, token in enumerate(sent):
        if not token._.progress_participle:
            continue
        after = sent[i + 1] if i + 1 < len(sent) else None
        if after is not None and after.lower_ in _PAST_AUXILIARIES:
            spans.append((i, i + 2))
            continue
        possessive_zijn = None  # "zijn" before a noun: the auxiliary only when the clause has no other one
        for j in range(i - 1, max(-1, i - _MAX_AUX_DISTANCE), -1):
            before = sent[j]
            if before.is_punct and before.text not in _INSIDE_A_CLAUSE:
                break
            if before.lower_ in _PAST_AUXILIARIES:
                if not _possessive(before):
                    spans.append((j, i + 1))
                    break
                possessive_zijn = j if possessive_zijn is None else possessive_zijn
        if (not spans or spans[-1][1] != i + 1) and possessive_zijn is not None:
            spans.append((possessive_zijn, i + 1))  # "In 2024 zijn verscheidene lidstaten begonnen"
    return spans


def _present_passive(sent: Span) -> list[tuple[int, int]]:
    """Spans of a present passive without a modal: "wordt ... voorbereid" says the work is under way."""
    spans: list[tuple[int, int]] = []
    for i, token in enumerate(sent):
        if token.lower_ not in _PRESENT_PASSIVE_AUXILIARIES:
            continue
        clause = _clause_around(sent, i)
        if any(t.lower_ in _MODALS or t.lower_ in _PAST_MODALS or t.lower_ in _PAST_ABILITY
               for t in [*clause, *_reach_back(sent, i)]):
            continue  # "zal ... worden afgerond" is a plan, read by the FUTURE cue; "moest ... worden" no work
        for other in clause:
            if other.i > token.i and other._.progress_participle and other.lower_ not in _STATEMENT_FORMS \
                    and _completes(sent.doc[other.i : other.i + 1]):
                spans.append((i, other.i - sent.start + 1))
                break
    return spans


# Separable verbs of going on with something, in the present: "zetten hun deelname voort", "werkt ... samen met",
# "neemt deel aan". A finite form and its particle later in the same clause.
_GOING_ON = {"voort": frozenset({"zet", "zetten"}), "samen": frozenset({"werkt", "werken"}),
             "deel": frozenset({"neemt", "nemen"})}


def _continuing(sent: Span) -> list[tuple[int, int]]:
    """Spans of "blijft/blijven ... <infinitive>" (a commitment being kept) and of "zetten ... voort", "werkt ...
    samen", "neemt ... deel" in the present: work that goes on."""
    spans: list[tuple[int, int]] = []
    for i, token in enumerate(sent):
        for particle, forms in _GOING_ON.items():
            if token.lower_ in forms and (i == 0 or sent[i - 1].lower_ not in _DETERMINERS):
                after = [t for t in _clause_around(sent, i) if t.i > token.i and t.lower_ == particle]
                if after:
                    spans.append((i, after[0].i - sent.start + 1))
        if token.lower_ not in {"blijft", "blijven", "blijf"}:
            continue
        for other in _clause_around(sent, i):
            if other.i > token.i and other.is_alpha and len(other) > 3 and other.lower_.endswith("en") \
                    and _lemma(other) == other.lower_ and other.lower_ not in _FUNCTION_WORDS:
                spans.append((i, other.i - sent.start + 1))
                break
    return spans


def _past_ability_passive(sent: Span) -> list[tuple[int, int]]:
    """Spans of "kon/konden ... worden <participle>": what could be done in the past was done."""
    spans: list[tuple[int, int]] = []
    for i, token in enumerate(sent):
        if token.lower_ not in _PAST_ABILITY:
            continue
        for k in range(i + 1, min(len(sent), i + _MAX_AUX_DISTANCE)):
            if sent[k].lower_ != "worden" or token not in _reach_back(sent, k):
                continue
            participle = sent[k - 1] if sent[k - 1]._.progress_participle else sent[k + 1] if k + 1 < len(sent) else None
            if participle is not None and participle._.progress_participle \
                    and _completes(sent.doc[participle.i : participle.i + 1]):
                spans.append((i, max(k, participle.i - sent.start) + 1))
            break
    return spans


# Words after a comma that open another clause; a comma before anything else lists parts of one clause
# ("konden de uitdagingen, lacunes en goede praktijken in kaart worden gebracht").
_CLAUSE_OPENERS = _RELATIVE_WORDS | frozenset(
    "waarbij waarna omdat zodat terwijl wanneer nadat doordat aangezien maar want hoewel indien zoals".split()
)


def _reach_back(sent: Span, i: int) -> list[Token]:
    """The tokens before the sentence's i-th one in its clause, read across commas that list parts of it."""
    out: list[Token] = []
    for j in range(i - 1, max(-1, i - _MAX_AUX_DISTANCE), -1):
        token = sent[j]
        if token.text in {";", ":"}:
            break
        # a comma before a clause opener, or before the verb itself (", wordt ..." after an inserted clause)
        if token.text == "," and j + 1 < len(sent) and (
                sent[j + 1].lower_ in _CLAUSE_OPENERS or sent[j + 1].lower_ in _AUXILIARY_FORMS):
            break
        out.append(token)
    return out


def _with_perfect(sent: Span) -> bool:
    """Whether the sentence has a perfect or a past ("sinds 2024 heeft ... gehouden" counts what was done)."""
    return bool(_perfect_and_passive(sent)) or any(t._.progress_past for t in sent)


def _clause_around(sent: Span, i: int) -> Span:
    """The tokens of the clause holding the sentence's i-th token: between commas, semicolons and brackets."""
    boundaries = {",", ";", ":"}  # a bracketed aside stays inside its clause
    start = i
    while start > 0 and sent[start - 1].text not in boundaries:
        start -= 1
    end = i + 1
    while end < len(sent) and sent[end].text not in boundaries:
        end += 1
    return sent[start:end]


def _verb_lemma(span: Span) -> str:
    last = span[-1] if span[-1]._.progress_participle or span[-1]._.progress_past else span[0]
    return _lemma(last)


def _possessive(token: Token) -> bool:
    """"zijn" before a noun ("zijn werkzaamheden") is a possessive, not the auxiliary."""
    if token.lower_ != "zijn" or token.i + 1 >= len(token.doc):
        return False
    after = token.doc[token.i + 1]
    return after.is_alpha and not after._.progress_participle and after.lower_ not in _FUNCTION_WORDS


def _completes(span: Span) -> bool:
    """A completion cue unless its participle or verb is a request or a state ("werd verzocht")."""
    last = span[-1] if span[-1]._.progress_participle or span[-1]._.progress_past else span[0]
    return last.lower_ not in _NON_COMPLETION_FORMS and _lemma(last) not in _NON_COMPLETION_LEMMAS


_MARKUP = re.compile(r"<sup>.*?</sup>|\*+|#+ ")


def _plain(text: str) -> str:
    """Text without Markdown emphasis, headings and footnote marks, which split clauses for no reason."""
    return _MARKUP.sub("", text)


def _cue_text(span: Span) -> str:
    if len(span) <= 2:
        return span.text
    return f"{span[0].text} ... {span[-1].text}"




def _in_later_relative_clause(sent: Span, main_start: int, cue_start: int) -> bool:
    """Whether a cue sits in a relative clause ("..., die ...") that opens after the main clause's cue."""
    if cue_start <= main_start:
        return False
    tokens = [t for t in sent[main_start:cue_start]]
    return any(a.text == "," and b.lower_ in _RELATIVE_WORDS for a, b in zip(tokens, tokens[1:], strict=False))


def _dates_after(nlp: Language, text: str, doc_date: date | None) -> tuple[str | None, bool]:
    """The latest due date in the text after the document's date, and whether some period starts after it."""
    if doc_date is None:
        return None, False
    today = doc_date.isoformat()
    deadlines = [d for d in parse_deadlines(nlp, text, doc_date) if d.end and d.end > today]
    if not deadlines:
        return None, False
    return max(d.end for d in deadlines if d.end), any(d.start and d.start > today for d in deadlines)


def progress_reader(nlp: Language) -> ProgressClassifier:
    """The pipeline's progress reader."""
    return nlp.get_pipe(COMPONENT)


def classify_progress(nlp: Language, text: str, doc_date: date | None, deadline_end: str | None = None) -> ProgressReading:
    """Classify a report's text as completed, in progress, rescheduled (after ``deadline_end``) or mentioned."""
    return progress_reader(nlp).classify(text, doc_date, deadline_end)
