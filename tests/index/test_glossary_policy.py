"""The general policy-wording glossary: its shape, its overlap with the JHA glossary, its effect on queries."""

from collections import defaultdict
from importlib import resources

import pytest

from index.analysis import DUTCH_STOPWORDS
from index.crosslingual import _FUNCTION_WORDS, LANGUAGES, QueryExpander, _folded_words, _parse_glossary, load_glossary
from index.pivot import EnglishRenderer


def _shipped(name: str):
    text = resources.files("index").joinpath(f"data/{name}.tsv").read_text(encoding="utf-8")
    return text, _parse_glossary(text, name)


@pytest.fixture(scope="module")
def policy():
    return _shipped("glossary_policy")


@pytest.fixture(scope="module")
def expander():
    return QueryExpander(load_glossary())


def _surface_forms(concepts):
    """Folded form -> keys of the concepts that list it (in any language)."""
    owners = defaultdict(set)
    for concept in concepts:
        for forms in concept.forms.values():
            for form in forms:
                owners[tuple(_folded_words(form))].add(concept.key)
    return owners


def test_the_file_says_what_it_is_and_has_complete_rows(policy):
    text, concepts = policy
    assert text.startswith("#") and "Conclusio" in text.split("concept\t")[0]
    assert len(concepts) >= 300
    for concept in concepts:
        assert all(concept.forms.get(lang) for lang in LANGUAGES), concept.key
    assert len({c.key for c in concepts}) == len(concepts)


def test_no_surface_form_repeats_the_jha_glossary_or_another_policy_concept(policy):
    _, concepts = policy
    jha = _surface_forms(_shipped("glossary_jha")[1])
    owners = _surface_forms(concepts)
    assert sorted(form for form in owners if form in jha) == []
    assert {form: keys for form, keys in owners.items() if len(keys) > 1} == {}


def test_no_concept_maps_a_lone_function_word(policy):
    _, concepts = policy
    function_words = set(DUTCH_STOPWORDS).union(*_FUNCTION_WORDS.values())
    lone = [
        (c.key, form)
        for c in concepts
        for forms in c.forms.values()
        for form in forms
        if all(word in function_words for word in _folded_words(form))
    ]
    assert lone == []


def _dutch_words(concepts) -> set[str]:
    return {word for c in concepts for form in c.dutch for word in _folded_words(form)}


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("Kriminalprävention auf lokaler und regionaler Ebene", "de", ["lokaal", "regionaal", "niveau"]),
        ("Stärkung der Zusammenarbeit mit den Kommunen und den regionalen Behörden", "de", ["regionale", "autoriteiten"]),
        ("le rôle des autorités locales et régionales dans la prévention", "fr", ["rol", "regionale"]),
        ("The Commission will publish a report by the end of the year", "en", ["publiceren", "verslag", "jaar"]),
        ("evaluate the implementation of the action plan every two years", "en", ["beoordelen", "uitvoering"]),
    ],
)
def test_foreign_policy_wording_renders_in_dutch_without_leftovers(expander, query, language, expected):
    expansion = expander.expand(query)
    assert expansion.language == language
    rendered = _folded_words(expansion.dutch_text)
    for word in expected:
        assert word in rendered
    known_dutch = _dutch_words(load_glossary())
    leftovers = [w for w in rendered if w not in known_dutch and not w.isdigit()]
    assert leftovers == []


def test_dutch_policy_queries_stay_dutch(expander):
    expansion = expander.expand("samenwerking tussen lokale overheden en regionale autoriteiten")
    assert expansion.language == "nl"
    assert expansion.dutch_text == "samenwerking tussen lokale overheden en regionale autoriteiten"


def test_dutch_passages_render_policy_wording_in_english(expander):
    renderer = EnglishRenderer.from_expander(expander)
    english = renderer.render("De Commissie zal de uitvoering op lokaal en regionaal niveau jaarlijks beoordelen.")
    for word in ("implementation", "local and regional level", "assess"):
        assert word in english
