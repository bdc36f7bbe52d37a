"""What every subcommand shares: the settings, the store, friendly errors and output helpers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from application.services import Conclusio
from conclusio.errors import ConclusioError
from conclusio.settings import Settings
from conclusio.text import json_text


class CliError(ConclusioError):
    """A usage error of the command line: printed as one line, no traceback."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def settings_from(args: argparse.Namespace) -> Settings:
    """One Settings object from the environment with the command's flags on top."""
    store = Path(args.store) if getattr(args, "store", None) else None
    return Settings.from_env(store_dir=store, embed_model=getattr(args, "model", None), user=getattr(args, "user", None))


def open_app(args: argparse.Namespace) -> Conclusio:
    """The application's services for this command's settings, as its user (close it, or use it in a ``with``).

    The user (``--user``, ``CONCLUSIO_USER``, else the login name) is looked up in the users file now, so that
    an unknown one is refused before anything is opened.
    """
    app = Conclusio(settings_from(args))
    app.user  # noqa: B018
    return app


def print_json(data: Any, *, indent: int | None = 2) -> None:
    """JSON on stdout, non-ASCII kept readable, control characters escaped."""
    sys.stdout.write(json_text(data, indent=indent) + "\n")


def read_lines(path: str) -> list[str]:
    """The lines of a UTF-8 file, or of stdin for ``-``, stripped; blank lines are kept (as "") so that
    a batch's outputs line up with its inputs. A trailing newline makes no extra line."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as e:
        raise CliError(f"cannot read {path}: {e.strerror or e}") from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        name = "stdin" if path == "-" else path
        raise CliError(f"{name} is not UTF-8 text: byte 0x{data[e.start]:02x} on line {line} cannot be read; "
                       "save it as UTF-8") from None
    return [line.strip() for line in text.splitlines()]


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
