"""Recognising the document's own units at the start of a line: points, bullets, blocks, headings."""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBERED = re.compile(r"^\(?(\d{1,3})[.)]\s+(?=\S)")
LETTERED = re.compile(r"^\(?([a-z])\)\s+(?=\S)")
BULLET = re.compile(r"^([\uf0b7\uf0a7\uf0d8\uf076\u2022\u25aa\u25cf\u25a0\u2023\u2043\u2012\u2013\u2014-])\s+(?=\S)")
HEADER_FIELD = re.compile(
    r"^(van|aan|d\.d\.|datum|nr\. vorig doc\.|nr\. cion doc\.|betreft|onderwerp)\s*:", re.IGNORECASE
)
# "Trekker: FOD Justitie", "Lead: COM", "Échéance : T2 2027": a field of a record, its label a few words before a colon.
_LABELLED_FIELD = re.compile(r"^(?P<label>[^\W\d_][^\W\d_'’()/.-]*(?:[ /-][^\W\d_(][^\W\d_'’()/.-]*\)?){0,3}(?:\s\([^()]{1,30}\))?)\s?:\s+(?P<value>\S.*)$", re.DOTALL)
ACTION_HEADING = re.compile(r"^(Actie|Action|Maatregel)\s+(\d{1,3}(?:\.\d{1,3})*)\s*[:.\u2013\u2014-]\s*(.+?)\s*$")

# Request verbs that open an addressee block ("verzoekt de Raad de lidstaten:", "DRAAGT HET COSI OP om").
_REQUEST_VERBS = "verzoekt|verzoeken|roept|roepen|draagt|dragen|nodigt|nodigen|moedigt|spoort|vraagt|dringt|verzoek"
_LOWER_BLOCK = re.compile(
    rf"^(?:(?:de raad|de europese raad|het comité|de commissie)\s*,?\s+)?(?:{_REQUEST_VERBS})\b", re.IGNORECASE
)
_UPPER_VERB = re.compile(rf"^(?:{_REQUEST_VERBS.upper()})\b")
_SEPARABLE_VERBS = {"roept", "roepen", "draagt", "dragen", "nodigt", "nodigen", "moedigt", "spoort", "dringt"}
_PARTICLE = re.compile(r"^.{0,160}?\s(?:OP|UIT|AAN|op|uit|aan)(?=[\s,:;]|$)(?:,?\s+om\b)?")
_UPPER_WORD = re.compile(r"[A-ZÀ-Ý][A-ZÀ-Ý'’-]+")
_RECITAL_WORDS = {
    "ZICH", "GELET", "INDACHTIG", "INGENOMEN", "VERHEUGD", "BEZORGD", "OVERWEGENDE", "CONCLUDEERT",
    "ONDERSTREEPT", "BENADRUKT", "ERKENT", "BEVESTIGT", "HERHAALT", "NEEMT", "STELT",
}
_ORGANISATIONS = {"EUROPOL", "EUROJUST", "CEPOL", "FRONTEX", "INTERPOL", "EMPACT", "COSI", "ENCP", "ENAA"}


@dataclass(frozen=True)
class Addressee:
    """An addressee block: its verbatim text, and whether the block line also holds the request."""

    block: str
    inline: bool


def numbered_label(text: str) -> str | None:
    """"19" for a line that starts "19. "."""
    match = NUMBERED.match(text)
    return match.group(1) if match else None


def lettered_label(text: str) -> str | None:
    """"a" for a line that starts "a) "."""
    match = LETTERED.match(text)
    return match.group(1) if match else None


def is_bullet(text: str) -> bool:
    """True for a line that starts with a bullet symbol or a dash and a space."""
    return BULLET.match(text) is not None


def strip_bullet(text: str) -> str:
    """The bullet's text without its symbol."""
    return BULLET.sub("", text, count=1)


def addressee(text: str) -> Addressee | None:
    """The addressee block a paragraph opens with, or None."""
    stripped = text.strip()
    if _UPPER_VERB.match(stripped):
        if stripped.endswith(":") and len(stripped) < 300:
            return Addressee(stripped, inline=False)
        return Addressee(_inline_block(stripped), inline=True)
    if _LOWER_BLOCK.match(stripped) and stripped.endswith(":") and len(stripped) < 250:
        return Addressee(stripped, inline=False)
    return None


def unpunctuated_block(text: str, following: str) -> Addressee | None:
    """A block line whose colon was lost ("verzoekt de Raad de lidstaten") when a numbered point follows."""
    stripped = text.strip()
    if not (_UPPER_VERB.match(stripped) or _LOWER_BLOCK.match(stripped)) or numbered_label(following) is None:
        return None
    if len(stripped.split()) > 15 or re.search(r"[.;,]$", stripped):
        return None
    return Addressee(stripped, inline=False)


def point_addressee(text: str) -> str | None:
    """The request a numbered point opens with itself: "VERZOEKT de lidstaten om" in "5. VERZOEKT ..."."""
    stripped = text.strip()
    if not (_UPPER_VERB.match(stripped) or _LOWER_BLOCK.match(stripped)):
        return None
    found = addressee(stripped)
    if found is not None:
        return found.block
    return _inline_block(stripped)


def _inline_block(text: str) -> str:
    """The block part of a line that holds its request too: "DRAAGT HET COSI OP om", "NODIGT de Commissie UIT"."""
    caps = _upper_prefix(text)
    if len([w for w in caps.split() if w != "om"]) >= 2:
        return caps
    if text.split()[0].lower() in _SEPARABLE_VERBS:
        particle = _PARTICLE.match(text)
        if particle:
            return particle.group(0).strip()
    until_om = re.match(r"^(.{0,160}?\s)om\b", text)
    if until_om:
        return until_om.group(0)
    return re.split(r"[,;:]", text, maxsplit=1)[0][:160].strip()


def _upper_prefix(text: str) -> str:
    """"DRAAGT HET COSI OP om" from "DRAAGT HET COSI OP om, binnen zijn mandaat, ..."."""
    words = text.split()
    taken: list[str] = []
    for word in words:
        core = word.strip(",;:")
        if core and core == core.upper() and any(ch.isalpha() for ch in core):
            taken.append(core)
            if core != word:
                break
            continue
        if core == "om":
            taken.append(core)
        break
    return " ".join(taken)


def is_recital(text: str) -> bool:
    """True for a consideration in capitals: "ZICH ERVAN BEWUST", "VERWIJZEND naar", "DE RAAD ...,"."""
    caps = []
    for word in text.split()[:8]:
        core = word.strip(",;:()")
        if not _UPPER_WORD.fullmatch(core):
            break
        caps.append(core)
    if not caps or caps[0] in _ORGANISATIONS:
        return False
    first = caps[0]
    if first.endswith(("END", "ENDE")) or first in _RECITAL_WORDS:
        return True
    return len(caps) >= 2 and any(len(word) >= 5 for word in caps) and caps[0] in {"DE", "HET", "REKENING", "NOTA"}


def is_upper_line(text: str) -> bool:
    """True when every letter of the line is a capital (a block continued over lines)."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def action_heading(text: str) -> tuple[str, str] | None:
    """("Actie 4", "De criminele netwerken ...") for an action heading."""
    match = ACTION_HEADING.match(text)
    if not match or len(text) > 300:
        return None
    return f"{match.group(1)} {match.group(2)}", match.group(3)  # with its full stop: is_run_in_action reads it


# An action set out as running text after its number ("Actie 4: De minister zal vóór 1 juli 2027 ... vaststellen."):
# whole sentences, not a title. A title names the action in a few words and ends without a full stop
# ("Actie 4: De criminele netwerken in kaart brengen"); a run-in action says it in a sentence of its own.
_MIN_RUN_IN_WORDS = 10
_MIN_TEXT_SENTENCES = 3


_COMMITTING_VERB = re.compile(
    r"\b(?:zal|zullen|moet|moeten|dient|dienen|wil|willen|gaat|gaan|(?:is|zijn) voornemens|(?:wordt|worden) "
    r"(?:verzocht|opgeroepen|aangemoedigd)|roept|roepen|nodigt|verzoekt|verzoeken|will|shall|must)\b",
    re.IGNORECASE,
)


# The number an action in running text opens with, and its emphasis: "**Actie 4:** ", "Maatregel 7. ".
RUN_IN_LABEL = re.compile(r"^(?:\*{1,3}|_{1,3})?\s*(?:Actie|Action|Maatregel)\s+\d{1,3}(?:\.\d{1,3})*\s*[:.\u2013\u2014-]"
                          r"\s*(?:\*{1,3}|_{1,3})?\s*(?=\S)")


def states_action(title: str) -> bool:
    """True when the text after an action's number says in a sentence who commits, must or is asked to do what
    ("De minister zal vóór 1 juli 2027 ... vaststellen.", "Gemeenten worden verzocht ...")."""
    text = title.strip()
    long_enough = len(text.split()) >= _MIN_RUN_IN_WORDS or len(re.findall(r"[.!?](?:\s|$)", text + " ")) >= 2
    return text.endswith(".") and long_enough and bool(_COMMITTING_VERB.search(text))


def is_run_in_action(title: str) -> bool:
    """True when the text after an action's number is the action itself in running text, not its title: a sentence
    of some length or more than one, closed by a full stop, that commits, obliges or asks ("zal", "dienen", "worden
    verzocht"). A title says what is to be done in the infinitive ("De openbare veiligheid ... verbeteren.")."""
    text = title.strip()
    sentences = len(re.findall(r"[.!?](?:\s|$)", text + " "))
    # a paragraph of three sentences and more is no title either ("Maatregel 3.1 – Titel. <action>. Trekker: X. ...")
    return states_action(text) or (text.endswith(".") and sentences >= _MIN_TEXT_SENTENCES)


def labelled_field(text: str) -> tuple[str, str] | None:
    """ "Trekker: FOD Justitie" -> ("Trekker", "FOD Justitie"): a line that gives a record's field by its label
    (a measure set out as "Maatregel: ... / Trekker: ... / Timing: ..."); None for any other line."""
    match = _LABELLED_FIELD.match(text.strip())
    return (match.group("label"), match.group("value").strip()) if match else None
