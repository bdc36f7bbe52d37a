"""Keyword search for the embedded store: the query language compiled to FTS5, one MATCH per query.

Passages are indexed pre-analysed (``index.sqlite_store``): ``title``, ``section`` and ``body`` hold
stems, ``surface`` folded unstemmed tokens (phrases, prefixes), ``parts`` the stems of the compound
parts of the passage's words ("douaneautoriteiten" -> "douan", "autoriteit"). User text only ever
reaches FTS5 as quoted string literals built here from analysed terms.

Matching. A query's constraint (``index.query_language``) becomes one FTS5 expression over the
passage's own text: a word matches its stem in ``body`` or ``parts`` (so ``-douane`` also keeps out
"douanecontroles"), a hyphenated word the phrase of its parts, a phrase and a prefix ``surface``.
A constraint FTS5 cannot state alone (``-a`` with nothing beside it) becomes SQL around a MATCH.

Ranking. FTS5's ``bm25()`` weighs every phrase of a MATCH alike, but expansions weigh less than
the user's words. So one MATCH (the constraint AND any scoring term) picks candidates by plain
bm25, and their weighted score is then computed here exactly as FTS5 computes bm25 (same k1, b,
IDF floor, column weights, row length over the four text columns): the sum over scoring items of
``weight x idf x f (k1 + 1) / (f + k1 (1 - b + b D / avgdl))``. IDFs come from one count per item,
cached per store generation; row lengths from ``passages_fts_docsize``; averages from the FTS5
averages record. ``tests/index/test_sqlite_store.py`` checks the scores against ``bm25()`` itself.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.analysis import analyze, fold, tokens
from index.query_language import AllOf, AnyOf, Node, Phrase, Without, Word

K1, B = 1.2, 0.75  # FTS5's bm25 constants
ROW_CACHE_LIMIT = 50_000  # rows whose counted stems a scorer keeps (a few KB each)
POSTINGS_CACHE_LIMIT = 5_000_000  # (row, frequency) entries a stem pool keeps (16 bytes each)
TEXT_COLUMNS = ("title", "section", "body", "surface")  # the columns bm25 counts a row's length over
STEM_COLUMNS = "{title section body}"
OWN_WORDS = "{body parts}"
_PARTS = re.compile(r"[^\W_]+", re.UNICODE)


def quote(term: str) -> str:
    """An FTS5 string literal: the engine sees data, never syntax."""
    return '"' + term.replace('"', '""') + '"'


# ---- the constraint as FTS5 ----------------------------------------------------------------


def word_expression(word: Word) -> str | None:
    """A word as FTS5 over the passage's own text; None when it has no index terms."""
    if word.prefix:
        parts = _PARTS.findall(fold(word.text))
        return f"surface : {quote(' '.join(parts))} *" if parts else None
    stems = analyze(word.text)
    if len(stems) == 1:
        return f"{OWN_WORDS} : {quote(stems[0])}"
    parts = _PARTS.findall(fold(word.text))  # "EU-Celac" -> the phrase "eu celac", written with or without hyphen
    return f"surface : {quote(' '.join(parts))}" if parts else None


def phrase_expression(phrase: Phrase) -> str | None:
    words = tokens(phrase.text)
    if not words:
        return None
    if phrase.within is None or len(words) == 1:
        return f"surface : {quote(' '.join(words))}"
    return f"surface : NEAR({' '.join(quote(w) for w in words)}, {phrase.within})"


def fts_expression(node: Node) -> str | None:
    """The constraint as one FTS5 expression, or None where FTS5 cannot say it (a bare NOT)."""
    if isinstance(node, Word):
        return word_expression(node)
    if isinstance(node, Phrase):
        return phrase_expression(node)
    if isinstance(node, Without):
        return None
    if isinstance(node, AnyOf):
        parts = [fts_expression(p) for p in node.parts]
        return None if any(p is None for p in parts) else "(" + " OR ".join(parts) + ")"
    positive = [fts_expression(p) for p in node.parts if not isinstance(p, Without)]
    negative = [fts_expression(p.part) for p in node.parts if isinstance(p, Without)]
    if not positive or any(p is None for p in positive + negative):
        return None
    expression = "(" + " AND ".join(positive) + ")"
    return expression + (" NOT (" + " OR ".join(negative) + ")" if negative else "")


def constraint_sql(node: Node, rowid: str = "p.rowid") -> tuple[str, list]:
    """A SQL condition on ``rowid`` for any constraint: MATCH subqueries joined by AND, OR, NOT."""
    expression = fts_expression(node)
    if expression is not None:
        return f"{rowid} IN (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?)", [expression]
    if isinstance(node, Without):
        inner, params = constraint_sql(node.part, rowid)
        return f"NOT ({inner})", params
    if isinstance(node, (AllOf, AnyOf)):
        pieces = [constraint_sql(p, rowid) for p in node.parts]
        joiner = " AND " if isinstance(node, AllOf) else " OR "
        return "(" + joiner.join(sql for sql, _ in pieces) + ")", [x for _, params in pieces for x in params]
    return "0", []  # a word without index terms matches nothing


# ---- scoring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoringItem:
    """One FTS5 phrase that ranks: a stem over title/section/body, or a phrase or prefix over surface."""

    expression: str
    weight: float
    kind: str  # stem | phrase | prefix
    words: tuple[str, ...]


def scoring_items(
    text: str, expansions: Sequence[tuple[str, float]], phrases: Sequence[str], prefixes: Sequence[str]
) -> list[ScoringItem]:
    """The user's stems (weight 1) and the expansions' (their weight), summed per stem; phrases and prefixes at 1."""
    weights = dict.fromkeys(analyze(text), 1.0)
    by_group: dict[float, list[str]] = {}
    for words, weight in expansions:
        if weight > 0 and math.isfinite(weight):
            by_group.setdefault(float(weight), []).extend(analyze(words))
    for weight, terms in by_group.items():  # a stem counts once per weight group, as one OR group did
        for term in dict.fromkeys(terms):
            weights[term] = weights.get(term, 0.0) + weight
    items = [ScoringItem(f"{STEM_COLUMNS} : {quote(t)}", w, "stem", (t,)) for t, w in weights.items()]
    for phrase in phrases:
        words = tuple(tokens(phrase))
        if words:
            items.append(ScoringItem(f"surface : {quote(' '.join(words))}", 1.0, "phrase", words))
    for prefix in prefixes:
        words = tuple(_PARTS.findall(fold(prefix)))
        if words:
            items.append(ScoringItem(f"surface : {quote(' '.join(words))} *", 1.0, "prefix", words))
    return items


@dataclass(frozen=True)
class ColumnWeights:
    """BM25 weights per FTS5 column.

    ``title`` and ``section`` hold context every passage of a document or section inherits,
    so they weigh below the passage's own words; a heading passage's own text is in ``body``
    and BM25's length normalisation already favours those short passages. On the dev
    queries, lexical nDCG@10 rose from 0.614 (2, 2, 1) to 0.666 (0.25, 0.5, 1). ``parts``
    (compound parts) only match, never rank: its weight is 0.
    """

    title: float = 0.25
    section: float = 0.5
    body: float = 1.0
    surface: float = 1.0


class Bm25:
    """FTS5's bm25 with a weight per item, computed from the index's own statistics."""

    def __init__(
        self,
        db: Callable[[str, Sequence], list[tuple]],
        weights: ColumnWeights,
        generation: str,
        length_columns: int = len(TEXT_COLUMNS),
    ):
        self._all = db
        self.weights = weights
        self.generation = generation
        # A row's length counts the text columns only, as before ``parts`` existed: ranking stays as it was.
        self.length_columns = length_columns
        self.rows, totals = self._averages()
        self.avgdl = sum(totals[:length_columns]) / self.rows if self.rows else 0.0
        self._idf: dict[str, float] = {}
        # rowid -> (weighted frequency of each stem over title, section and body; the row's length norm): evidence
        # linking scores hundreds of searches over overlapping rows, and reading and counting a row's columns
        # again for each was most of a search's time
        self._rows: dict[int, tuple[dict[str, float], float]] = {}

    def idf(self, expression: str) -> float:
        if expression not in self._idf:
            if len(self._idf) > 50_000:
                self._idf.clear()
            [(hits,)] = self._all("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", [expression])
            value = math.log((self.rows - hits + 0.5) / (hits + 0.5))
            self._idf[expression] = value if value > 0 else 1e-6
        return self._idf[expression]

    def scores(self, items: Sequence[ScoringItem], rowids: Sequence[int]) -> dict[int, float]:
        """The weighted score of each row (rows of the fts table; unknown rows score 0)."""
        if not items or not rowids or not self.rows:
            return {}
        idf = [self.idf(item.expression) for item in items]
        if all(item.kind == "stem" for item in items):
            return self._stem_scores(items, idf, rowids)
        marks = ",".join("?" * len(rowids))
        texts = {
            row[0]: row[1:]
            for row in self._all(f"SELECT rowid, title, section, body, surface FROM passages_fts WHERE rowid IN ({marks})",
                                 list(rowids))
        }
        lengths = {
            rowid: sum(_varints(size)[: self.length_columns])
            for rowid, size in self._all(f"SELECT id, sz FROM passages_fts_docsize WHERE id IN ({marks})", list(rowids))
        }
        w = self.weights
        stems = {item.words[0] for item in items if item.kind == "stem"}
        shared: dict[str, Counter] = {}  # a document's title and a section's heading recur in every passage

        def counted(column: str) -> Counter:
            if column not in shared:
                shared[column] = Counter(column.split())
            return shared[column]

        out: dict[int, float] = {}
        for rowid in rowids:
            if rowid not in texts:
                continue
            title, section, body, surface = texts[rowid]
            columns = (counted(title), counted(section), Counter(body.split()))
            words = surface.split()
            norm = K1 * (1 - B + B * lengths.get(rowid, 0) / self.avgdl)
            score = 0.0
            # the stems a row holds in some column (most rows hold few of a long query's); items keep their
            # order, so the sum is the same float as over every item
            held = stems.intersection(columns[2]).union(stems.intersection(columns[0]), stems.intersection(columns[1]))
            for item, item_idf in zip(items, idf):
                if item.kind == "stem":
                    if item.words[0] not in held:
                        continue
                    term = item.words[0]
                    f = w.title * columns[0][term] + w.section * columns[1][term] + w.body * columns[2][term]
                else:
                    f = w.surface * _occurrences(words, item.words, prefix=item.kind == "prefix")
                if f:
                    score += item.weight * item_idf * f * (K1 + 1) / (f + norm)
            out[rowid] = score
        return out

    def _stem_scores(self, items: Sequence[ScoringItem], idf: list[float], rowids: Sequence[int]) -> dict[int, float]:
        """``scores`` for stems only, from each row's weighted stem frequencies, counted once per generation.

        The same float sums as ``scores`` computes from the columns: the same expression per stem and item order."""
        missing = [rowid for rowid in dict.fromkeys(rowids) if rowid not in self._rows]
        if missing:
            if len(self._rows) + len(missing) > ROW_CACHE_LIMIT:
                self._rows.clear()
            self._count_rows(missing)
        position = {item.words[0]: i for i, item in enumerate(items)}  # stems are unique among the items
        factors = [item.weight * item_idf for item, item_idf in zip(items, idf)]
        terms = [item.words[0] for item in items]
        out: dict[int, float] = {}
        for rowid in rowids:
            row = self._rows.get(rowid)
            if row is None:
                continue
            frequencies, norm = row
            score = 0.0
            # only the stems the row holds (few of a long query's), in item order: the same float sum
            for i in sorted(position[term] for term in position.keys() & frequencies.keys()):
                f = frequencies[terms[i]]
                if f:
                    score += factors[i] * f * (K1 + 1) / (f + norm)
            out[rowid] = score
        return out

    def _count_rows(self, rowids: list[int]) -> None:
        w = self.weights
        shared: dict[str, Counter] = {}  # a document's title and a section's heading recur in every passage

        def counted(column: str) -> Counter:
            if column not in shared:
                shared[column] = Counter(column.split())
            return shared[column]

        for chunk in (rowids[i : i + 500] for i in range(0, len(rowids), 500)):
            marks = ",".join("?" * len(chunk))
            lengths = {
                rowid: sum(_varints(size)[: self.length_columns])
                for rowid, size in self._all(f"SELECT id, sz FROM passages_fts_docsize WHERE id IN ({marks})", chunk)
            }
            for rowid, title, section, body in self._all(
                    f"SELECT rowid, title, section, body FROM passages_fts WHERE rowid IN ({marks})", chunk):
                columns = (counted(title), counted(section), Counter(body.split()))
                frequencies = {
                    term: w.title * columns[0][term] + w.section * columns[1][term] + w.body * columns[2][term]
                    for term in {*columns[0], *columns[1], *columns[2]}
                }
                self._rows[rowid] = frequencies, K1 * (1 - B + B * lengths.get(rowid, 0) / self.avgdl)

    def _averages(self) -> tuple[int, list[int]]:
        """Row count and per-column token totals from the FTS5 averages record (rowid 1 of the data table)."""
        found = self._all("SELECT block FROM passages_fts_data WHERE id = 1", [])
        if not found or not found[0][0]:
            return 0, []
        values = _varints(found[0][0])
        return values[0], values[1:]


class StemPool:
    """The candidate pool of a stems-only MATCH, ranked as FTS5 ranks it, from postings read once per term.

    ``candidate_sql`` has FTS5 compute ``bm25()`` for every row that holds any query stem (thousands for an
    obligation's two dozen words) and sort them, once per search; evidence linking runs hundreds of such
    searches over the same store. This computes the same ranking with numpy: FTS5's own formula (its row
    length ``D`` over all columns, ``avgdl`` over all columns, the rank weights per column, the phrases in
    query order, the same IDFs) over postings read from ``fts5vocab`` once per term and store generation.
    Equal ranks keep rowid order, as FTS5's sorter returns them (``tests/index`` checks pools against SQL).
    """

    def __init__(self, db: Callable[[str, Sequence], list[tuple]], weights: ColumnWeights, generation: str,
                 rows: list[tuple[int, bytes]], row_count: int, total_tokens: int):
        self._all = db
        self.generation = generation
        self.rowids = np.fromiter((rowid for rowid, _ in rows), dtype=np.int64, count=len(rows))
        lengths = np.fromiter((sum(_varints(size)) for _, size in rows), dtype=np.float64, count=len(rows))
        avgdl = float(total_tokens) / float(row_count) if row_count else 1.0
        self.norms = K1 * (1 - B + B * lengths / avgdl)  # as fts5Bm25Function writes it
        self._column_weights = {"title": weights.title, "section": weights.section, "body": weights.body}
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._cached = 0

    @classmethod
    def load(cls, db: Callable[[str, Sequence], list[tuple]], weights: ColumnWeights, generation: str) -> StemPool:
        rows = db("SELECT id, sz FROM passages_fts_docsize ORDER BY id", [])
        found = db("SELECT block FROM passages_fts_data WHERE id = 1", [])
        values = _varints(found[0][0]) if found and found[0][0] else [0]
        return cls(db, weights, generation, rows, values[0], sum(values[1:]))

    def ranked(self, items: Sequence[ScoringItem], idf: Sequence[float], allowed: np.ndarray, limit: int) -> list[int]:
        """Rowids of the best ``limit`` allowed rows holding any item's stem, by FTS5 rank (``allowed`` by position)."""
        scores = np.zeros(len(self.rowids), dtype=np.float64)
        matched = np.zeros(len(self.rowids), dtype=bool)
        for item, item_idf in zip(items, idf):
            positions, frequencies = self._postings_of(item.words[0])
            scores[positions] += item_idf * ((frequencies * (K1 + 1.0)) / (frequencies + self.norms[positions]))
            matched[positions] = True
        chosen = np.flatnonzero(matched & allowed)
        if len(chosen) > limit:  # keep every row tied with the last one kept, then order them all
            floor = np.partition(scores[chosen], len(chosen) - limit)[len(chosen) - limit]
            chosen = chosen[scores[chosen] >= floor]
        order = np.lexsort((self.rowids[chosen], -scores[chosen]))[:limit]
        return self.rowids[chosen[order]].tolist()

    def _postings_of(self, stem: str) -> tuple[np.ndarray, np.ndarray]:
        """(row positions, weighted frequency) of a stem over title, section and body."""
        if stem not in self._postings:
            counts: dict[int, float] = {}
            for rowid, column, count in self._all(
                "SELECT doc, col, count(*) FROM temp.passages_instances WHERE term = ?"
                " AND col IN ('title', 'section', 'body') GROUP BY doc, col", [stem]
            ):
                counts[rowid] = counts.get(rowid, 0.0) + self._column_weights[column] * count  # exact: quarters
            rowids = np.fromiter(counts, dtype=np.int64, count=len(counts))
            positions = np.searchsorted(self.rowids, rowids)
            known = (positions < len(self.rowids)) & (self.rowids[np.minimum(positions, len(self.rowids) - 1)] == rowids) \
                if len(self.rowids) else np.zeros(len(rowids), dtype=bool)
            frequencies = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            if self._cached > POSTINGS_CACHE_LIMIT:
                self._postings.clear()
                self._cached = 0
            self._postings[stem] = positions[known], frequencies[known]
            self._cached += int(known.sum())
        return self._postings[stem]


def _occurrences(words: list[str], phrase: tuple[str, ...], *, prefix: bool) -> int:
    """How often the phrase occurs in a token list (its last word as a prefix when asked), as FTS5 counts instances."""
    n = len(phrase)
    count = 0
    for i in range(len(words) - n + 1):
        if words[i : i + n - 1] == list(phrase[:-1]):
            last = words[i + n - 1]
            count += last.startswith(phrase[-1]) if prefix else last == phrase[-1]
    return count


def _varints(blob: bytes) -> list[int]:
    """SQLite's variable-length integers, as FTS5 writes them in its averages and docsize records."""
    values, i = [], 0
    while i < len(blob):
        value = 0
        for j in range(9):
            byte = blob[i]
            i += 1
            if j == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


# ---- the search ----------------------------------------------------------------------------


def candidate_sql(match: str | None, filter_sql: str, weights: ColumnWeights) -> str:
    """One query over the passages the filters allow: by plain bm25 when there is a MATCH."""
    w = weights
    if match is None:
        return (
            "SELECT p.rowid, 0.0 FROM passages p JOIN documents d ON d.source_file = p.source_file"
            f" WHERE {filter_sql} ORDER BY d.date IS NULL, d.date {{order}}, p.source_file, p.seq LIMIT ?"
        )
    # FTS5's rank column computes bm25 once per row (a bm25() in SELECT and ORDER BY computes it twice).
    rank = f"bm25({float(w.title)}, {float(w.section)}, {float(w.body)}, {float(w.surface)}, 0)"
    return (
        "SELECT passages_fts.rowid, -passages_fts.rank FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid"
        " JOIN documents d ON d.source_file = p.source_file"
        f" WHERE passages_fts MATCH ? AND passages_fts.rank MATCH '{rank}' AND {filter_sql}"
        " ORDER BY passages_fts.rank LIMIT ?"
    )


def match_expression(constraint: Node | None, items: Sequence[ScoringItem]) -> tuple[str | None, Node | None]:
    """The one MATCH of a search and the part of the constraint left to SQL (None when FTS5 holds it all)."""
    anything = "(" + " OR ".join(item.expression for item in items) + ")" if items else None
    if constraint is None:
        return anything, None
    expression = fts_expression(constraint)
    if expression is None:
        return anything, constraint
    return (f"({expression}) AND {anything}" if anything else expression), None


def run(db: Callable[[str, Sequence], list[tuple]], sql: str, params: list) -> list[tuple]:
    try:
        return db(sql, params)
    except sqlite3.OperationalError as e:  # a term FTS5 still refuses: never the user's problem
        if "fts5" in str(e).lower() or "syntax" in str(e).lower():
            return []
        raise
