"""What every subcommand shares: the settings, the store, friendly errors and output helpers."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conclusio.settings import Settings


@dataclass
class CliError(Exception):
    """An expected failure: printed as one line, no traceback."""

    message: str
    exit_code: int = 1

    def __str__(self) -> str:
        return self.message


def settings_from(args: argparse.Namespace) -> Settings:
    """One Settings object from the environment with the command's flags on top."""
    store = Path(args.store) if getattr(args, "store", None) else None
    return Settings.from_env(store_dir=store, embed_model=getattr(args, "model", None))


def ingest_hint(settings: Settings) -> str:
    """The command a user runs to fill the store."""
    return f"conclusio ingest corpora/ --store {settings.store_dir}"


def open_existing_store(settings: Settings):
    """The store, or a CliError telling how to create it when it is missing or empty."""
    from index import open_store

    store = open_store(settings, create=False)  # StoreNotFoundError says how to create it
    if store.stats().documents == 0:
        store.close()
        raise CliError(f"the store at {settings.store_dir} holds no documents. Ingest some: {ingest_hint(settings)}")
    return store


def open_existing_curation(settings: Settings):
    """The curation store of a store that exists; a missing store is refused, never created."""
    from index import open_curation

    open_existing_store(settings).close()  # curation beside no store is a mistyped --store: say so
    return open_curation(settings)


def load_embedder(settings: Settings):
    """The embedding model named in the settings (or its offline fallback)."""
    from index.embeddings import load_embedder as _load

    return _load(settings)


def print_json(data: Any, *, indent: int | None = 2) -> None:
    """JSON on stdout, non-ASCII kept readable."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent, default=str) + "\n")


def read_lines(path: str) -> list[str]:
    """Non-empty lines of a file, or of stdin for ``-``."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as e:
        raise CliError(f"cannot read {path}: {e.strerror}") from e
    return [line.strip() for line in text.splitlines() if line.strip()]


def add_format(parser: argparse.ArgumentParser, *choices: str, default: str = "text") -> None:
    """A ``--format`` flag with the given choices."""
    parser.add_argument("--format", choices=choices or ("text", "json"), default=default, help="output format")


def iso_date(value: str) -> str:
    """An argparse type: a date written YYYY-MM-DD."""
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None
