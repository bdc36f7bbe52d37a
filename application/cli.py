"""The ``conclusio`` command line: parse flags, build Settings, call the library, print.

Every subcommand lives in ``application.commands``; this module only assembles the parser and
turns expected library errors into one-line messages and exit codes.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sqlite3
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from conclusio import __version__
from application.commands import care, docs, eval as eval_cmd, ingest, obligations, search, store, ui
from conclusio.errors import EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED, ConclusioError
from conclusio.text import printable

COMMAND_MODULES = (ingest, search, obligations, store, care, ui, eval_cmd)
HELP_WIDTH = 100  # fixed so that generated docs do not depend on the terminal


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit 1 (argparse's own default is 2, which we use for partial failure)."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


class _Formatter(argparse.HelpFormatter):
    """Wraps one-line descriptions; text written on several lines (the query language's help) stays as laid out."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text.strip():
            return "\n".join(indent + line for line in text.strip("\n").splitlines())
        return super()._fill_text(text, width, indent)


def formatter(prog: str) -> argparse.HelpFormatter:
    return _Formatter(prog, width=HELP_WIDTH, max_help_position=32)


def build_parser() -> argparse.ArgumentParser:
    """The full parser: every subcommand with the shared --store and --model flags."""
    common = Parser(add_help=False, formatter_class=formatter)
    shared = common.add_argument_group("store and model")
    shared.add_argument("--store", metavar="DIR",
                        help="store folder (default: $CONCLUSIO_STORE, else ./conclusio-data)")
    shared.add_argument("--model", metavar="NAME",
                        help="embedding model (default: $CONCLUSIO_EMBED_MODEL, else use-multilingual-v3)")
    shared.add_argument("--user", metavar="NAME",
                        help="act as NAME (default: $CONCLUSIO_USER, else your login name); the users file "
                        "($CONCLUSIO_USERS) says what NAME may do and read")
    shared.add_argument("--verbose", action="store_true",
                        help="show each failure's traceback (for a bug report) and debug messages")
    parser = Parser(
        prog="conclusio",
        formatter_class=formatter,
        description="Document intelligence and search over EU Council, Commission and Europol texts.",
    )
    parser.add_argument("--version", action="version", version=f"conclusio {__version__}")
    parser.add_argument("--write-docs", nargs="?", const=str(docs.DEFAULT_PATH), metavar="FILE",
                        help=argparse.SUPPRESS)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMAND_MODULES:
        module.register(subparsers, common)
    for sub in docs.subcommand_parsers(parser):
        sub.formatter_class = formatter
    return parser


def expected_errors() -> tuple[type[BaseException], ...]:
    """Library errors that are the user's input or environment, not bugs: printed without a traceback."""
    return (ConclusioError,)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code (docs/cli.md lists them; conclusio.errors defines them)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # no model downloads from the hub, ever
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # keep stderr for our own messages
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.write_docs:
        path = docs.write(parser, Path(args.write_docs))
        print(f"wrote {path}")
        return 0
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 1
    verbose = bool(getattr(args, "verbose", False))
    with printable_output(), messages_on_stderr(verbose):
        try:
            return args.func(args)
        except expected_errors() as e:
            return report_error(str(e), getattr(e, "exit_code", EXIT_ERROR), verbose)
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            sys.stderr.close()  # the reader (e.g. head) went away: not an error
            return 0
        except OSError as e:  # the environment: a full disk, a folder we may not write, a vanished file
            return report_error(_os_error_text(e), EXIT_ERROR, verbose)
        except sqlite3.OperationalError as e:  # the store's disk or file, reached outside the store's own checks
            return report_error(f"the store database: {e}", EXIT_ERROR, verbose)
        except Exception as e:  # a bug: one line, and the traceback on request
            return report_error(f"internal error: {type(e).__name__}: {e} (a bug; run the command again with "
                                "--verbose for the traceback and report it)", EXIT_INTERNAL, verbose)


def report_error(message: str, code: int, verbose: bool) -> int:
    """Print one line (and with --verbose the traceback above it); returns the exit code."""
    if verbose:
        traceback.print_exc(file=sys.stderr)
    print(f"error: {printable(message, one_line=True)}", file=sys.stderr)
    return code


def _os_error_text(error: OSError) -> str:
    where = f" ({error.filename})" if error.filename else ""
    if error.errno == errno.ENOSPC:
        return f"no space left on the device{where}: free some space and run the command again"
    if "No usable temporary directory" in str(error):  # tempfile could write in none of them
        return f"{error}: is the disk full? Free some space (or set TMPDIR to a folder with room) and run it again"
    return f"{error.strerror or error}{where}"


class _Printable:
    """A text stream that drops control characters (escape sequences, carriage returns) before they reach a terminal."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def printable_output() -> Iterator[None]:
    """Everything the command prints passes through ``conclusio.text.printable`` (binary exports do not)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Printable(sys.stdout), _Printable(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


class _OneLine(logging.Formatter):
    """'warning: message' on one line; the traceback only when asked for."""

    def __init__(self, verbose: bool):
        super().__init__()
        self.verbose = verbose

    def format(self, record: logging.LogRecord) -> str:
        line = f"{record.levelname.lower()}: {printable(record.getMessage(), one_line=True)}"
        if self.verbose and record.exc_info:
            line += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return line


@contextmanager
def messages_on_stderr(verbose: bool) -> Iterator[None]:
    """Library warnings as one line each on stderr; with --verbose debug messages and tracebacks too."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine(verbose))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    for noisy in ("urllib3", "filelock", "fsspec", "httpx", "huggingface_hub", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


if __name__ == "__main__":
    sys.exit(main())
