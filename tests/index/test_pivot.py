"""The English pivot for English-only models, with the real glossary, EuroVoc and model."""

from dataclasses import replace

import numpy as np
import pytest

from index.crosslingual import QueryExpander
from index.pivot import EnglishRenderer, blend_vectors, with_english_pivot
from index.search import semantic_text


@pytest.fixture(scope="module")
def renderer(test_settings):
    return EnglishRenderer.from_expander(QueryExpander.from_settings(test_settings))


@pytest.fixture(scope="module")
def pivot(minilm_embedder, test_settings):
    return with_english_pivot(minilm_embedder, test_settings)  # English-only: already set to pivot


@pytest.fixture(scope="module")
def base(pivot):
    return replace(pivot, pivot=None, dim=pivot.dim // 2)


def test_known_dutch_terms_become_english_and_names_stay(renderer):
    english = renderer.render("De lidstaten en Europol moeten het witwassen van geld bestrijden")
    assert "member states" in english
    assert "money laundering" in english
    assert "europol" in english.lower()
    assert " de " not in f" {english} " and " het " not in f" {english} "  # Dutch stop words go


def test_pivot_vectors_are_unit_length_and_twice_as_wide(pivot, base):
    vectors = pivot.encode_passages(["De Raad verzoekt Europol een verslag op te stellen.", "Havens en douane"])
    assert vectors.shape == (2, 2 * base.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_pivot_similarity_is_the_mean_of_both_cosines(pivot, base):
    passage, query = "bestrijding van witwassen en financieel onderzoek", "witwassen"
    combined = float(pivot.encode_passages([passage])[0] @ pivot.encode_queries([query])[0])
    native = float(base.encode_passages([passage])[0] @ base.encode_queries([query])[0])
    english = float(base.encode_passages([pivot.pivot(passage)])[0]
                    @ base.encode_queries([pivot.pivot(query)])[0])
    assert combined == pytest.approx((native + english) / 2, abs=1e-4)


def test_an_english_query_lies_closer_to_its_dutch_passage_through_the_pivot(pivot, base, test_settings):
    passages = ["De lidstaten versterken de bestrijding van witwassen en de confiscatie van vermogensbestanddelen.",
                "De Commissie organiseert een conferentie over de veiligheid van jongeren op school."]
    query = "money laundering and confiscation of criminal assets"
    expansion = QueryExpander.from_settings(test_settings).expand(query)
    plain = base.encode_passages(passages) @ base.encode_queries([query])[0]
    through = pivot.encode_passages(passages) @ pivot.encode_queries(
        [semantic_text(expansion)], pivot_sources=[expansion.dutch_text])[0]
    assert through[0] - through[1] > plain[0] - plain[1]


def test_use_blends_its_pivot_into_unit_vectors_of_its_own_size(embedder):
    assert embedder.pivot is not None and embedder.dim == 512
    passages = ["De Raad verzoekt Europol een verslag op te stellen.", "Havens en douane", ""]
    vectors = embedder.encode_passages(passages)
    assert vectors.shape == (3, 512)
    np.testing.assert_allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert not vectors[2].any()  # an empty text has no meaning to compare
    bare = replace(embedder, pivot=None)
    both = bare.encode_passages([*passages[:2], *(embedder.pivot(t) for t in passages[:2])])
    np.testing.assert_allclose(vectors[:2], blend_vectors(both, 2), atol=1e-5)


def test_use_query_renders_its_pivot_source(embedder, test_settings):
    expansion = QueryExpander.from_settings(test_settings).expand("money laundering")
    text = semantic_text(expansion)
    rendered = embedder.encode_queries([text], pivot_sources=[expansion.dutch_text])[0]
    bare = replace(embedder, pivot=None)
    expected = blend_vectors(bare.encode_queries([text, embedder.pivot(expansion.dutch_text)]), 1)[0]
    np.testing.assert_allclose(rendered, expected, atol=1e-5)
