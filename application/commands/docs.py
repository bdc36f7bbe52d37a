"""The CLI reference (docs/cli.md), generated from the parsers' own --help."""

from __future__ import annotations

import argparse
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent.parent.parent / "docs" / "cli.md"
HEADER = """# Conclusio command line reference

Generated from `--help` by `python -m application.cli --write-docs` (or `make docs`); do not edit by hand.
Every command takes `--store DIR` (default `$CONCLUSIO_STORE`, else `./conclusio-data`) and `--model NAME`.
Every command takes `--verbose`: it shows the traceback under an error (for a bug report) and debug messages.
Every command takes `--user NAME` (default `$CONCLUSIO_USER`, else your login name): who it acts as. With a users
file (`$CONCLUSIO_USERS`), NAME's role decides what it may do (reader: search, read, export; analyst: also
`review` and `set-status`; admin: also ingest and care for the store) and NAME's clearance what it may read;
an unknown NAME is refused. Without one, you are the one local user, an admin with full clearance.

Exit codes: 0 success; 1 a usage, input or environment error (one line on stderr: the file, field or value and
the reason); 2 some files failed to ingest (the others were ingested); 3 the store is busy (another ingest
holds it: `--wait` waits); 4 the store is damaged (`conclusio check` names what, `conclusio rebuild` repairs
it); 5 refused: the user is unknown to the users file or their role may not do this (nothing was done); 70
an internal error (a bug: run again with `--verbose` and report the traceback); 130 interrupted.
"""


def subcommand_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every parser below this one, depth first, in the order they were added."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found.append(sub)
                found.extend(subcommand_parsers(sub))
    return found


def render(parser: argparse.ArgumentParser) -> str:
    """The whole reference as Markdown."""
    sections = [HEADER, f"## `{parser.prog}`\n\n```text\n{parser.format_help().rstrip()}\n```\n"]
    for sub in subcommand_parsers(parser):
        sections.append(f"## `{sub.prog}`\n\n```text\n{sub.format_help().rstrip()}\n```\n")
    return "\n".join(sections)


def write(parser: argparse.ArgumentParser, path: Path) -> Path:
    """Write the reference to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(parser), encoding="utf-8")
    return path
