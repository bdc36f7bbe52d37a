"""Property tests (fuzzing) of the query parser and of what a parsed query does to the store: never an exception.

Documented: ``prepare_query`` returns a prepared query or the reason there is none (a message), for any
input; the store answers any prepared query with a (possibly empty) ranked list, because no query
syntax ever reaches FTS5. Queries are drawn from the operators people type (quotes, OR, NOT, -, *,
parentheses, fields like actor:Europol) mixed with arbitrary text.

Hook for the new query language: add its parser to ``PARSERS`` with how to tell a parsed query from a
notice (its documented outcomes), and these properties run against it too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.search import MAX_QUERY_CHARS, PreparedQuery, prepare_query
from index.store import LexicalQuery, SearchFilters

# (name, parse, is_query): every parser the backends use, with the test of a usable result.
PARSERS: list[tuple[str, Callable[[object], object], Callable[[object], bool]]] = [
    ("prepare_query", prepare_query, lambda result: isinstance(result, PreparedQuery)),
]

SYNTAX = st.sampled_from(['"', "“", "”", "„", "'", "(", ")", "*", "-", "+", "|", "~3", ":", "^", "NEAR", "NOT", "OR",
                          "AND", "actor:", "doc:15571/25", "date:2024-01-01..2024-12-31", "{title}", "\\", "\x00",
                          "NEAR(a b)", "--", ";", "%", "_", "\u202e", "\x1b[31m"])
WORD = st.sampled_from(["europol", "verslag", "havens", "drugshandel", "Commissie", "lidstaten", "Actie", "4",
                        "2025", "criminaliteit", "rechtshandhaving", "é", "ß"])
QUERY = st.one_of(
    st.lists(st.one_of(SYNTAX, WORD, st.text(max_size=8)), max_size=12).map(" ".join),
    st.lists(st.one_of(SYNTAX, WORD), max_size=12).map("".join),
    st.text(max_size=60),
    st.text(min_size=MAX_QUERY_CHARS - 5, max_size=MAX_QUERY_CHARS + 50, alphabet="ab \"*-("),
    st.one_of(st.none(), st.integers(), st.binary(max_size=10)),
)


@pytest.mark.parametrize(("name", "parse", "is_query"), PARSERS, ids=[p[0] for p in PARSERS])
@given(raw=QUERY)
def test_any_input_parses_to_a_query_or_a_notice(name, parse, is_query, raw):
    result = parse(raw)
    if not is_query(result):
        assert isinstance(result, str) and result  # the reason there is no query, for the user
        return
    assert len(result.text) <= MAX_QUERY_CHARS + 1 and "\x00" not in result.text
    assert all(phrase.strip() for phrase in result.phrases)


@given(raw=QUERY)
def test_the_store_answers_any_prepared_query(search_store, raw):
    prepared = prepare_query(raw)
    if not isinstance(prepared, PreparedQuery):
        return
    hits = search_store.keyword_search(LexicalQuery(prepared.text, phrases=prepared.phrases), SearchFilters(), 5)
    assert len(hits) <= 5 and [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
