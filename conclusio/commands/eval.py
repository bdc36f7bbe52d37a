"""``conclusio eval``: quality figures for extraction, deadlines, search and prior wording."""

from __future__ import annotations

import argparse
from pathlib import Path

from conclusio.commands._common import CliError, add_format, print_json
from conclusio.commands.search import open_searcher
from conclusio.settings import REPO_ROOT

DEADLINE_CASES = REPO_ROOT / "tests" / "data" / "deadline_cases.jsonl"


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    evaluate = subparsers.add_parser(
        "eval",
        help="measure quality against annotated data",
        description="Measure extraction, deadline, search and prior-wording quality on annotated files.",
    )
    targets = evaluate.add_subparsers(dest="target", metavar="TARGET", required=True)

    obligations = targets.add_parser("obligations", parents=[common], help="precision/recall of extraction",
                                      description="Extract obligations from the corpus and compare them with a "
                                      "gold JSONL file (precision, recall, actor and deadline accuracy).")
    obligations.add_argument("gold", metavar="GOLD.jsonl")
    obligations.add_argument("--corpus", default="corpora", metavar="DIR",
                             help="folder with the annotated documents (default corpora)")
    add_format(obligations, "text", "json")
    obligations.set_defaults(func=run_eval_obligations)

    deadlines = targets.add_parser("deadlines", parents=[common], help="accuracy of deadline normalisation",
                                   description="Normalise the deadline expressions of a cases file and compare "
                                   "with the expected dates.")
    deadlines.add_argument("cases", nargs="?", metavar="CASES",
                           help="cases file (JSONL; default: the cases shipped in tests/data)")
    add_format(deadlines, "text", "json")
    deadlines.set_defaults(func=run_eval_deadlines)

    search = targets.add_parser("search", parents=[common], help="ranking quality of search",
                                description="Run each query of a JSONL file against the store and report "
                                "ranking quality (recall@k, MRR, nDCG).")
    search.add_argument("queries", metavar="QUERIES.jsonl")
    add_format(search, "text", "json")
    search.set_defaults(func=run_eval_search)

    similar = targets.add_parser("similar", parents=[common], help="quality of prior-wording retrieval",
                                 description="Run each draft of a JSONL file through 'similar' and report how "
                                 "often the expected passage is found.")
    similar.add_argument("cases", metavar="CASES.jsonl")
    add_format(similar, "text", "json")
    similar.set_defaults(func=run_eval_similar)


def existing(path: str) -> Path:
    """A path that must exist, or a CliError naming it."""
    if not Path(path).exists():
        raise CliError(f"no such file or folder: {path}")
    return Path(path)


def report(result, fmt: str) -> int:
    """Print an evaluation report as text or JSON."""
    if fmt == "json":
        print_json(result.to_dict())
    else:
        print(result.to_text())
    return 0


def run_eval_obligations(args: argparse.Namespace) -> int:
    from nlp.evaluate import evaluate_gold

    return report(evaluate_gold(existing(args.gold), existing(args.corpus)), args.format)


def run_eval_deadlines(args: argparse.Namespace) -> int:
    from nlp.evaluate import evaluate_deadline_cases

    return report(evaluate_deadline_cases(existing(args.cases or str(DEADLINE_CASES))), args.format)


def run_eval_search(args: argparse.Namespace) -> int:
    from index.evaluate import evaluate_search

    path = existing(args.queries)
    store, searcher = open_searcher(args)
    try:
        return report(evaluate_search(path, searcher), args.format)
    finally:
        store.close()


def run_eval_similar(args: argparse.Namespace) -> int:
    from index.evaluate import evaluate_similar

    path = existing(args.cases)
    store, searcher = open_searcher(args)
    try:
        return report(evaluate_similar(path, searcher), args.format)
    finally:
        store.close()
