"""The query language both backends understand: a small syntax tree from what the user typed.

Operators (those of OpenSearch's ``simple_query_string`` plus the words EUR-Lex users type):
``"exact phrase"``, ``"phrase"~3`` (the words within 3 words of each other, any order),
``+word`` / ``AND``, ``|`` / ``OR``, ``-word`` / ``NOT``, ``prefix*``, ``( )``. Precedence:
NOT, then AND, then OR (``a b OR c`` is ``(a AND b) OR c``). Fields filter the whole query:
``actor:Europol kind:council_conclusions doc:15571/25 lang:nl date:2024-01-01..2024-12-31
deadline:..2025-06-30 status:overdue``.

Two readings, decided by the query itself:
- plain words (no operator): best match. Every word counts, none is required; passages with more
  of the words, and rarer ones, rank first. Questions and queries in other languages are plain words
  (measured: a required-word reading of the dev queries finds nothing for most questions).
- with any operator: Boolean. Words side by side are all required (AND is the default),
  ``OR`` offers alternatives, ``NOT`` excludes. The words still rank the passages that qualify.

Words are matched as typed, analysed by ``index.analysis`` (stop words carry no meaning and are
dropped); a hyphenated word is matched as the phrase of its parts, so ``EU-Socta`` also finds
"EU Socta". The parser never raises: input it cannot read (an unclosed quote, a lone parenthesis,
an operator without a word beside it) is searched as plain words, with a notice saying why.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from datetime import date

from index.analysis import DUTCH_STOPWORDS, analyze, fold, tokens

QUOTES = "\"“”„"
STATUSES = ("done", "overdue", "due soon", "open", "no deadline")
FIELDS = ("actor", "kind", "doc", "lang", "date", "deadline", "status")
MIN_PREFIX = 2  # letters before a *: shorter prefixes match nearly every passage

_FIELD = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_WORD_CHARS = re.compile(r"[^\s()|" + QUOTES + r"]+")
_WITHIN = re.compile(r"~(\d{1,3})")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


# ---- the syntax tree ---------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    """A word as typed; with ``prefix`` it stood before a ``*`` and matches words starting with it."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words in this order; with ``within`` set, all of them within that many words of each other, any order."""

    text: str
    within: int | None = None


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Without:
    part: Node


Node = Word | Phrase | AllOf | AnyOf | Without


@dataclass(frozen=True)
class FieldFilters:
    """The fields of a query. Actor, deadline and status are about the obligations a passage states."""

    kinds: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()  # document numbers ("15571/25") or file names
    languages: tuple[str, ...] = ()
    date_from: str | None = None  # ISO, inclusive, on the document date
    date_to: str | None = None
    actors: tuple[str, ...] = ()
    deadline_from: str | None = None  # ISO, inclusive, on the deadline's end
    deadline_to: str | None = None
    statuses: tuple[str, ...] = ()

    @property
    def about_obligations(self) -> bool:
        """True when the passages must state an obligation (actor, deadline or status given)."""
        return bool(self.actors or self.deadline_from or self.deadline_to or self.statuses)

    @property
    def empty(self) -> bool:
        return self == FieldFilters()


@dataclass(frozen=True)
class ParsedQuery:
    """A query read: what must match, what ranks, what filters, and what the user should be told."""

    raw: str
    text: str  # the free text: the positive words and phrases, for ranking, expansion and meaning
    constraint: Node | None = None  # what a passage must satisfy; None: plain words, best match
    fields: FieldFilters = field(default_factory=FieldFilters)
    phrases: tuple[str, ...] = ()  # phrases every hit must hold (required at the top of the query)
    prefixes: tuple[str, ...] = ()  # positive prefixes, folded: they rank as well as restrict
    notices: tuple[str, ...] = ()

    @property
    def boolean(self) -> bool:
        return self.constraint is not None

    @property
    def has_words(self) -> bool:
        return bool(self.text.strip() or self.prefixes or self.phrases)


# ---- reading ------------------------------------------------------------------------------


class _Unreadable(Exception):
    """Why a query cannot be read as the language; it is then searched as plain words."""


@dataclass(frozen=True)
class _Token:
    kind: str  # word | phrase | field | ( | ) | or | and | not | plus
    value: str = ""
    prefix: bool = False
    within: int | None = None
    name: str = ""


_OPERATOR_KINDS = frozenset({"phrase", "(", ")", "or", "and", "not", "plus"})


def parse_query(raw: str) -> ParsedQuery:
    """The query as a syntax tree, fields and free text; never raises."""
    notices: list[str] = []
    try:
        found = _tokenize(raw, notices)
    except _Unreadable as why:
        return _plain(raw, [f"{why}: searched as plain words"])
    fields, rest = _fields(found, notices)
    boolean = any(t.kind in _OPERATOR_KINDS or (t.kind == "word" and t.prefix) for t in rest)
    if not boolean:
        words = " ".join(t.value for t in rest if t.kind == "word")
        return ParsedQuery(raw, words, None, fields, notices=tuple(notices))
    try:
        tree = _Parser(rest, notices).parse()
    except _Unreadable as why:
        return _plain(raw, [*notices, f"{why}: searched as plain words"])
    tree = _simplify(tree, notices)
    if tree is None:
        return ParsedQuery(raw, "", None, fields, notices=tuple(notices))
    words, prefixes, phrases = _positive_leaves(tree)
    required = tuple(p.text for p in _conjuncts(tree) if isinstance(p, Phrase) and p.within is None)
    return ParsedQuery(
        raw, " ".join(words), tree, fields, phrases=required, prefixes=tuple(dict.fromkeys(prefixes)),
        notices=tuple(notices),
    )


def _plain(raw: str, notices: list[str]) -> ParsedQuery:
    text = re.sub(r"[" + QUOTES + r"()|*]", " ", raw)
    words = [w for w in text.split() if w not in ("AND", "OR", "NOT") and w.strip("+-")]
    return ParsedQuery(raw, " ".join(w.lstrip("+-") for w in words), notices=tuple(notices))


def _tokenize(raw: str, notices: list[str]) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch.isspace():
            i += 1
        elif ch in QUOTES:
            end = _closing_quote(raw, i + 1)
            text = " ".join(raw[i + 1 : end].split())
            i = end + 1
            within = _WITHIN.match(raw, i)
            if within:
                i = within.end()
            out.append(_Token("phrase", text, within=int(within.group(1)) if within else None))
        elif ch in "()":
            out.append(_Token(ch))
            i += 1
        elif ch == "|":
            while i < n and raw[i] == "|":
                i += 1
            out.append(_Token("or"))
        elif ch in "+-" and (i + 1 < n and not raw[i + 1].isspace() and raw[i + 1] not in "+-)|"):
            out.append(_Token("plus" if ch == "+" else "not"))
            i += 1
        else:
            match = _WORD_CHARS.match(raw, i)
            if match is None:  # a lone + or - before a space: nothing to apply it to
                i += 1
                continue
            word = match.group(0)
            i = match.end()
            if word in ("AND", "OR", "NOT"):
                out.append(_Token(word.lower()))
                continue
            named = _FIELD.fullmatch(word)
            if named and named.group(1).lower() in FIELDS:
                value = named.group(2)
                if not value and i < n and raw[i] in QUOTES:
                    end = _closing_quote(raw, i + 1)
                    value, i = raw[i + 1 : end], end + 1
                out.append(_Token("field", value.strip(), name=named.group(1).lower()))
                continue
            if named and named.group(2) and not named.group(2).startswith("//"):
                notices.append(f"unknown field {named.group(1)}: searched for {named.group(2)} "
                               f"(fields: {', '.join(FIELDS)})")
                word = named.group(2)
            prefix = word.endswith("*")
            stem = word.rstrip("*").replace("*", "")
            if not stem:
                continue
            if prefix and len(fold(stem)) < MIN_PREFIX:
                notices.append(f"{word}: a prefix needs at least {MIN_PREFIX} letters; searched as the word")
                prefix = False
            out.append(_Token("word", stem, prefix=prefix))
    return out


def _closing_quote(raw: str, start: int) -> int:
    for j in range(start, len(raw)):
        if raw[j] in QUOTES:
            return j
    raise _Unreadable("unclosed quote")


class _Parser:
    """Recursive descent over the tokens: or := and (OR and)*; and := unary (AND? unary)*."""

    def __init__(self, found: list[_Token], notices: list[str]):
        self.tokens = found
        self.at = 0
        self.notices = notices

    def parse(self) -> Node | None:
        node = self._or()
        if self.at < len(self.tokens):  # only a ")" can stop the top level early
            raise _Unreadable("a closing parenthesis without an opening one")
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.at].kind if self.at < len(self.tokens) else None

    def _or(self) -> Node | None:
        parts = [self._and()]
        while self._peek() == "or":
            self.at += 1
            if self._peek() in (None, ")", "or", "and"):
                raise _Unreadable("OR without a word after it")
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def _and(self) -> Node | None:
        if self._peek() in ("or", "and"):
            raise _Unreadable(f"{self.tokens[self.at].kind.upper()} without a word before it")
        parts = [self._unary()]
        while self._peek() not in (None, ")", "or"):
            if self._peek() == "and":
                self.at += 1
                if self._peek() in (None, ")", "or", "and"):
                    raise _Unreadable("AND without a word after it")
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def _unary(self) -> Node | None:
        kind = self._peek()
        if kind in ("not", "plus"):
            self.at += 1
            if self._peek() in (None, ")", "or", "and"):
                raise _Unreadable(("NOT" if kind == "not" else "+") + " without a word after it")
            part = self._unary()
            return Without(part) if kind == "not" and part is not None else part
        return self._primary()

    def _primary(self) -> Node | None:
        if self.at >= len(self.tokens):
            raise _Unreadable("an opening parenthesis without a closing one")
        token = self.tokens[self.at]
        self.at += 1
        if token.kind == "(":
            if self._peek() == ")":
                self.at += 1
                return None
            node = self._or()
            if self._peek() != ")":
                raise _Unreadable("an opening parenthesis without a closing one")
            self.at += 1
            return node
        if token.kind == ")":
            raise _Unreadable("a closing parenthesis without an opening one")
        if token.kind == "phrase":
            return Phrase(token.value, token.within) if token.value else None
        if token.kind == "field":
            self.notices.append(f"{token.name}:{token.value} ignored: fields filter the whole query, "
                                "so they stand outside ( ), OR and NOT")
            return None
        return Word(token.value, token.prefix)


# ---- fields -------------------------------------------------------------------------------


def _fields(found: list[_Token], notices: list[str]) -> tuple[FieldFilters, list[_Token]]:
    """Fields at the top level of the query (not inside parentheses, nor after OR or NOT) and the rest."""
    values: dict[str, list[str]] = {}
    rest: list[_Token] = []
    depth = 0
    skip = -1
    for index, token in enumerate(found):
        depth += token.kind == "("
        depth -= token.kind == ")"
        if index == skip:
            continue
        before = found[index - 1].kind if index else None
        after = found[index + 1].kind if index + 1 < len(found) else None
        nested = depth > 0 or before in ("not", "plus", "or") or after == "or"
        if token.kind == "field" and not nested:
            # "x AND kind:y", "kind:y AND x": the AND joined the filter, not two words
            if before == "and" and rest and rest[-1].kind == "and":
                rest.pop()
            elif after == "and":
                skip = index + 1
            if token.value:
                values.setdefault(token.name, []).append(token.value)
            else:
                notices.append(f"{token.name}: without a value ignored")
        else:
            rest.append(token)
    return _field_filters(values, notices), rest


def _field_filters(values: dict[str, list[str]], notices: list[str]) -> FieldFilters:
    out = FieldFilters(
        kinds=tuple(dict.fromkeys(values.get("kind", []))),
        documents=tuple(dict.fromkeys(values.get("doc", []))),
        languages=tuple(dict.fromkeys(v.lower() for v in values.get("lang", []))),
        actors=tuple(dict.fromkeys(values.get("actor", []))),
    )
    for name in ("date", "deadline"):
        for value in values.get(name, [])[-1:]:  # a second date: the last one counts
            span = date_range(value)
            if span is None:
                notices.append(f"{name}:{value} ignored: write a day, month or year, or a range A..B "
                               "(e.g. 2024-01-01..2024-12-31, 2024, ..2025-06-30)")
            else:
                out = replace(out, **{f"{name}_from": span[0], f"{name}_to": span[1]})
    statuses = []
    for value in values.get("status", []):
        status = " ".join(value.lower().replace("_", " ").replace("-", " ").split())
        if status in STATUSES:
            statuses.append(status)
        else:
            notices.append(f"status:{value} ignored: use one of {', '.join(s.replace(' ', '_') for s in STATUSES)}")
    return replace(out, statuses=tuple(dict.fromkeys(statuses)))


def date_range(value: str) -> tuple[str | None, str | None] | None:
    """``2024`` -> (2024-01-01, 2024-12-31); ``A..B``, ``A..``, ``..B`` with days, months or years; None if unreadable."""
    if ".." not in value:
        start, end = _period(value, first=True), _period(value, first=False)
        return (start, end) if start and end else None
    low, _, high = value.partition("..")
    start = _period(low, first=True) if low else None
    end = _period(high, first=False) if high else None
    if (low and start is None) or (high and end is None) or (start is None and end is None):
        return None
    if start and end and start > end:
        return None
    return start, end


def _period(text: str, *, first: bool) -> str | None:
    match = _PARTIAL_DATE.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = int(match.group(1)), match.group(2), match.group(3)
    try:
        if day:
            return date(year, int(month), int(day)).isoformat()
        if month:
            m = int(month)
            return date(year, m, 1 if first else calendar.monthrange(year, m)[1]).isoformat()
        return date(year, 1, 1).isoformat() if first else date(year, 12, 31).isoformat()
    except ValueError:
        return None


# ---- the tree after reading ------------------------------------------------------------------


def _simplify(node: Node | None, notices: list[str]) -> Node | None:
    """Words without index terms (stop words, punctuation) dropped, nested AND/OR flattened."""
    if node is None:
        return None
    if isinstance(node, Word):
        if node.prefix:
            return node if tokens(node.text) else None
        if not analyze(node.text):
            if fold(node.text) in DUTCH_STOPWORDS:
                notices.append(f"{node.text}: a stop word, ignored")
            return None
        return node
    if isinstance(node, Phrase):
        return node if tokens(node.text) else None
    if isinstance(node, Without):
        part = _simplify(node.part, notices)
        return Without(part) if part is not None else None
    parts: list[Node] = []
    for part in (_simplify(p, notices) for p in node.parts):
        if part is None:
            continue
        parts.extend(part.parts if type(part) is type(node) else (part,))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return type(node)(tuple(parts))


def _conjuncts(node: Node) -> tuple[Node, ...]:
    return node.parts if isinstance(node, AllOf) else (node,)


def _positive_leaves(node: Node) -> tuple[list[str], list[str], list[Phrase]]:
    """Words (not prefixes), folded prefixes and phrases outside any NOT, in query order."""
    words: list[str] = []
    prefixes: list[str] = []
    phrases: list[Phrase] = []

    def walk(n: Node) -> None:
        if isinstance(n, Word):
            (prefixes.append(fold(n.text)) if n.prefix else words.append(n.text))
        elif isinstance(n, Phrase):
            phrases.append(n)
            words.append(n.text)
        elif isinstance(n, (AllOf, AnyOf)):
            for part in n.parts:
                walk(part)

    walk(node)
    return words, prefixes, phrases


def is_pure_negation(node: Node) -> bool:
    """True when a node only excludes (``-a``, ``-a -b``): it cannot stand alone in a full-text engine."""
    if isinstance(node, Without):
        return True
    return isinstance(node, AllOf) and all(isinstance(p, Without) for p in node.parts)


HELP = """\
Query language (the same on both backends):
  europol verslag              plain words: best match; more of the words, and rarer ones, rank higher
  "legale bedrijfsstructuren"  exact phrase
  "europol verslag"~5          the words within 5 words of each other, in any order
  europol -eurojust            without a word (also: europol NOT eurojust)
  +europol +verslag            every word required (also: europol AND verslag)
  verslag | rapport            either word (also: verslag OR rapport)
  haven*                       words starting with: havens, havenbedrijven, ...
  (verslag | rapport) europol  grouping; NOT binds first, then AND, then OR
  With any operator, words side by side are all required. Words match as typed, with Dutch
  stemming and compound parts (-douane also keeps out "douanecontroles").
Fields filter the whole query:
  date:2024-01-01..2024-12-31  document date (also date:2024, date:2024-06.., date:..2023)
  kind:council_conclusions     document kind          lang:nl   document language
  doc:15571/25                 document number or file name
  actor:Europol                passages stating an obligation of this actor
  deadline:..2025-06-30        ... whose deadline ends in this range
  status:overdue               ... with this status on the as-of day (done, overdue, due_soon, open,
                               no_deadline)
A query that cannot be read (an unclosed quote or parenthesis) is searched as plain words, with a notice.
"""
