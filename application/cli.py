"""The ``conclusio`` command line: parse flags, build Settings, call the library, print.

Every subcommand lives in ``application.commands``; this module only assembles the parser and
turns expected library errors into one-line messages and exit codes.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from conclusio import __version__
from application.commands import docs, eval as eval_cmd, ingest, obligations, search, store, ui
from conclusio.errors import ConclusioError

COMMAND_MODULES = (ingest, search, obligations, store, ui, eval_cmd)
HELP_WIDTH = 100  # fixed so that generated docs do not depend on the terminal


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit 1 (argparse's own default is 2, which we use for partial failure)."""

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog, width=HELP_WIDTH, max_help_position=32)


def build_parser() -> argparse.ArgumentParser:
    """The full parser: every subcommand with the shared --store and --model flags."""
    common = Parser(add_help=False, formatter_class=formatter)
    shared = common.add_argument_group("store and model")
    shared.add_argument("--store", metavar="DIR",
                        help="store folder (default: $CONCLUSIO_STORE, else ./conclusio-data)")
    shared.add_argument("--model", metavar="NAME",
                        help="embedding model (default: $CONCLUSIO_EMBED_MODEL, else use-multilingual-v3)")
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
    """Run one command; returns its exit code."""
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
    try:
        return args.func(args)
    except expected_errors() as e:
        print(f"error: {e}", file=sys.stderr)
        return getattr(e, "exit_code", 1)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader (e.g. head) went away: not an error
        return 0


if __name__ == "__main__":
    sys.exit(main())
