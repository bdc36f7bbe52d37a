"""The query language's parser: operators, fields, precedence, and input it cannot read."""

from __future__ import annotations

import pytest

from index.query_language import (
    AllOf,
    AnyOf,
    FieldFilters,
    Phrase,
    Without,
    Word,
    date_range,
    is_pure_negation,
    parse_query,
)


def test_plain_words_are_a_best_match_query_without_a_tree():
    parsed = parse_query("Wat vraagt de Raad aan Europol tegen eind 2024?")
    assert parsed.constraint is None and not parsed.boolean
    assert parsed.text == "Wat vraagt de Raad aan Europol tegen eind 2024?"
    assert parsed.fields.empty and not parsed.notices


@pytest.mark.parametrize("query", ["EU-Celac La Paz", "Ameripol-verdrag ratificatie", "money laundering and assets",
                                   "l'Afrique de l'Ouest", "200 miljoen EUR"])
def test_everyday_punctuation_is_not_an_operator(query):
    assert parse_query(query).constraint is None


def test_not_and_prefix():
    parsed = parse_query("haven* -douane")
    assert parsed.constraint == AllOf((Word("haven", prefix=True), Without(Word("douane"))))
    assert parsed.prefixes == ("haven",) and parsed.text == ""
    assert parse_query("europol NOT eurojust").constraint == parse_query("europol -eurojust").constraint


def test_words_side_by_side_are_all_required_once_an_operator_is_used():
    assert parse_query("europol verslag -eurojust").constraint == AllOf(
        (Word("europol"), Word("verslag"), Without(Word("eurojust")))
    )
    assert parse_query("+europol +verslag").constraint == parse_query("europol AND verslag").constraint


def test_precedence_not_then_and_then_or_and_parentheses():
    assert parse_query("a b OR c -d").constraint == AnyOf(
        (AllOf((Word("a"), Word("b"))), AllOf((Word("c"), Without(Word("d")))))
    )
    assert parse_query("(verslag | rapport) europol").constraint == AllOf(
        (AnyOf((Word("verslag"), Word("rapport"))), Word("europol"))
    )


def test_phrases_and_proximity():
    parsed = parse_query('"legale bedrijfsstructuren" Europol')
    assert parsed.phrases == ("legale bedrijfsstructuren",)
    assert parsed.text == "legale bedrijfsstructuren Europol"
    assert parse_query("“verslag  Europol”~3").constraint == Phrase("verslag Europol", within=3)
    nested = parse_query('"a b" | "c d"')
    assert nested.phrases == () and nested.constraint == AnyOf((Phrase("a b"), Phrase("c d")))


def test_fields_filter_the_whole_query():
    parsed = parse_query('actor:Europol date:2024-01-01..2024-12-31 kind:council_conclusions doc:"COM(2023) 641" '
                         "lang:NL deadline:..2025-06 status:due_soon verslag")
    assert parsed.fields == FieldFilters(
        kinds=("council_conclusions",), documents=("COM(2023) 641",), languages=("nl",),
        date_from="2024-01-01", date_to="2024-12-31", actors=("Europol",), deadline_to="2025-06-30",
        statuses=("due soon",),
    )
    assert parsed.text == "verslag" and parsed.constraint is None and parsed.fields.about_obligations


def test_fields_beside_and_and_inside_groups():
    assert parse_query("kind:x AND europol").fields.kinds == ("x",)
    assert parse_query("europol AND kind:x -eurojust").constraint == AllOf((Word("europol"), Without(Word("eurojust"))))
    nested = parse_query("europol (kind:x OR drugs)")
    assert nested.fields.empty and any("fields filter the whole query" in n for n in nested.notices)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024", ("2024-01-01", "2024-12-31")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2024-01-01..2024-12-31", ("2024-01-01", "2024-12-31")),
        ("..2025-06-30", (None, "2025-06-30")),
        ("2024-06..", ("2024-06-01", None)),
        ("2025..2024", None),
        ("2024-13", None),
        ("soon", None),
        ("..", None),
    ],
)
def test_date_ranges(value, expected):
    assert date_range(value) == expected


def test_bad_field_values_are_reported_and_ignored():
    parsed = parse_query("date:gisteren status:late europol")
    assert parsed.fields.empty
    assert any("date:gisteren" in n for n in parsed.notices) and any("status:late" in n for n in parsed.notices)
    unknown = parse_query("title:drugs")
    assert unknown.text == "drugs" and "unknown field title" in unknown.notices[0]


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ('"legale bedrijfsstructuren', "unclosed quote"),
        ("(europol verslag", "opening parenthesis"),
        ("europol) verslag", "closing parenthesis"),
        ("europol OR", "OR without a word after it"),
        ("AND europol", "AND without a word before it"),
        ("a AND OR NOT b", "AND without a word after it"),
    ],
)
def test_unreadable_input_is_searched_as_plain_words_with_a_notice(query, why):
    parsed = parse_query(query)
    assert parsed.constraint is None
    assert any(why in n and "searched as plain words" in n for n in parsed.notices)
    assert parsed.text and not any(ch in parsed.text for ch in '"()')
    assert "AND" not in parsed.text.split() and "OR" not in parsed.text.split()


def test_stop_words_and_symbols_drop_out_of_the_tree():
    assert parse_query("europol -de").constraint == Word("europol")
    assert any("stop word" in n for n in parse_query("europol -de").notices)
    assert parse_query("?!*").constraint is None
    short = parse_query("e* europol")  # too short for a prefix: the word itself, and no operator left
    assert short.constraint is None and short.text == "e europol" and "2 letters" in short.notices[0]


def test_pure_negation_is_recognised():
    assert is_pure_negation(parse_query("-eurojust").constraint)
    assert is_pure_negation(parse_query("-eurojust -douane").constraint)
    assert not is_pure_negation(parse_query("europol -eurojust").constraint)


@pytest.mark.parametrize("query", ["", "   ", '"', "(", ")", "-", "- europol", "*", "|", "||", "AND", "NOT", "+",
                                   "x" * 5000, "NEAR(a b, 3)", "{title body}: x", "'; DROP TABLE passages; --",
                                   "\x00", "🙂", '"a"~', '"a"~99999', "a:", ":", "doc:", 'doc:"unclosed'])
def test_the_parser_never_raises(query):
    parsed = parse_query(query)
    assert isinstance(parsed.notices, tuple)
