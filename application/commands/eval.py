"""``conclusio eval``: quality figures for extraction, deadlines, search and prior wording."""

from __future__ import annotations

import argparse
from pathlib import Path

from datetime import date

from application.commands._common import CliError, add_format, iso_date, open_app, print_json
from evaluation import datasets


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
    obligations.add_argument("gold", nargs="+", metavar="GOLD.jsonl", help="one or more gold files, scored together")
    obligations.add_argument("--corpus", default="corpora", metavar="DIR",
                             help="folder with the annotated documents, one rendering each: DOC_* or DOC.SUFFIX "
                             "(default corpora)")
    add_format(obligations, "text", "json")
    obligations.set_defaults(func=run_eval_obligations)

    deadlines = targets.add_parser("deadlines", parents=[common], help="accuracy of deadline normalisation",
                                   description="Normalise the deadline expressions of a cases file and compare "
                                   "with the expected dates.")
    deadlines.add_argument("cases", nargs="?", metavar="CASES",
                           help="cases file (JSONL; default: the cases shipped with the evaluation package)")
    add_format(deadlines, "text", "json")
    deadlines.set_defaults(func=run_eval_deadlines)

    search = targets.add_parser("search", parents=[common], help="ranking quality of search",
                                description="Run each query of a JSONL file against the store and report "
                                "ranking quality (recall@k, MRR, nDCG).")
    search.add_argument("queries", nargs="?", metavar="QUERIES.jsonl",
                        help="queries with judgements (default: the development set shipped with the evaluation package)")
    add_format(search, "text", "json")
    search.set_defaults(func=run_eval_search)

    tracking = targets.add_parser("tracking", parents=[common], help="progress, deciding sentence and status",
                                  description="Compare the tracked status of obligations in the store with a gold "
                                  "file (progress, deciding sentence, expected date, status on the day).")
    tracking.add_argument("gold", metavar="GOLD.jsonl")
    tracking.add_argument("--as-of", type=iso_date, required=True, metavar="YYYY-MM-DD",
                          help="the day the gold's statuses hold (e.g. the report's date)")
    add_format(tracking, "text", "json")
    tracking.set_defaults(func=run_eval_tracking)

    similar = targets.add_parser("similar", parents=[common], help="quality of prior-wording retrieval",
                                 description="Run each draft of a JSONL file through 'similar' and report how "
                                 "often the expected passage is found.")
    similar.add_argument("cases", nargs="?", metavar="CASES.jsonl",
                         help="drafts with their source (default: the development set shipped with the evaluation package)")
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
    from evaluation.obligations import evaluate_gold

    gold, corpus = [existing(path) for path in args.gold], existing(args.corpus)
    with open_app(args) as app:
        return report(evaluate_gold(app.pipeline, gold, corpus), args.format)


def run_eval_deadlines(args: argparse.Namespace) -> int:
    from evaluation.deadlines import evaluate_deadline_cases

    cases = existing(args.cases or str(datasets.DEADLINE_CASES))
    with open_app(args) as app:
        return report(evaluate_deadline_cases(app.pipeline, cases), args.format)


def run_eval_search(args: argparse.Namespace) -> int:
    from evaluation.search import evaluate_search

    path = existing(args.queries or str(datasets.SEARCH_DEV_QUERIES))
    with open_app(args) as app:
        return report(evaluate_search(path, app.searcher), args.format)


def run_eval_similar(args: argparse.Namespace) -> int:
    from evaluation.search import evaluate_similar

    path = existing(args.cases or str(datasets.SIMILAR_DEV_CASES))
    with open_app(args) as app:
        return report(evaluate_similar(path, app.searcher), args.format)


def run_eval_tracking(args: argparse.Namespace) -> int:
    from evaluation.tracking import evaluate_tracking

    path = existing(args.gold)
    as_of = date.fromisoformat(args.as_of)
    with open_app(args) as app:
        return report(evaluate_tracking(path, app.obligations(as_of=as_of), as_of), args.format)
