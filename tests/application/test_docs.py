"""docs/cli.md must document every command and flag, and match what --help prints now."""

from __future__ import annotations

import argparse

from application.cli import build_parser
from application.commands import docs


def all_parsers() -> list[argparse.ArgumentParser]:
    parser = build_parser()
    return [parser, *docs.subcommand_parsers(parser)]


def test_reference_is_current():
    written = docs.DEFAULT_PATH.read_text(encoding="utf-8")
    assert written == docs.render(build_parser()), "docs/cli.md is stale: run `make docs`"


def test_every_command_and_flag_is_documented():
    written = docs.DEFAULT_PATH.read_text(encoding="utf-8")
    parsers = all_parsers()
    assert len(parsers) > 10
    for parser in parsers:
        assert f"## `{parser.prog}`" in written, f"{parser.prog} has no section in docs/cli.md"
        for action in parser._actions:
            if action.help == argparse.SUPPRESS:
                continue
            for flag in action.option_strings:
                assert flag in written, f"{parser.prog} {flag} is not documented"


def test_contract_commands_exist():
    names = {parser.prog.removeprefix("conclusio ").strip() for parser in all_parsers()}
    expected = {"ingest", "search", "similar", "obligations", "status", "documents", "show", "ui", "reembed",
                "review", "set-status", "audit", "eval obligations", "eval search", "eval similar", "eval deadlines"}
    assert expected <= names
