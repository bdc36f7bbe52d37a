"""``conclusio search`` and ``conclusio similar``: find passages by query or by prior wording."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date

from application.commands._common import CliError, add_format, iso_date, open_app, print_json, read_lines
from conclusio.records import Hit, to_dict
from index.query_language import HELP as QUERY_HELP
from index.search import SORTS
from index.store import SearchFilters

SEARCH_HIT_FIELDS = ("passage_id", "source_file", "doc_number", "doc_title", "paragraph", "page", "score", "text",
                     "snippet", "citation")
SIMILAR_HIT_FIELDS = SEARCH_HIT_FIELDS + ("similarity", "diff")
FACET_VALUES_SHOWN = 8  # per facet in text output; JSON has no facets, the UI shows them all


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    search = subparsers.add_parser(
        "search",
        parents=[common],
        help="search passages (keywords, meaning or both)",
        description="Search the stored passages. Hybrid mode fuses keyword (BM25) and semantic ranks; "
        "operators and fields restrict both.",
        epilog=QUERY_HELP,
    )
    search.add_argument("query", nargs="?", metavar="QUERY", help="the query (omit with --batch); see below")
    search.add_argument("--k", type=int, default=10, metavar="N", help="number of hits (default 10)")
    search.add_argument("--mode", choices=("hybrid", "lexical", "semantic"), default="hybrid", help="retrieval mode")
    search.add_argument("--sort", choices=SORTS, default="relevance",
                        help="relevance (default), or newest / oldest document first among the best matches")
    search.add_argument("--batch", metavar="FILE", help="one query per line ('-' for stdin, UTF-8); the model loads "
                        "once; one answer per line, a blank line gets an empty one")
    add_format(search, "text", "json")
    filters = search.add_argument_group("filters")
    filters.add_argument("--kind", action="append", default=[], help="document kind, e.g. council_conclusions")
    filters.add_argument("--doc", action="append", default=[], metavar="SOURCE_FILE", help="only this document")
    filters.add_argument("--date-from", type=iso_date, metavar="YYYY-MM-DD", help="document date on or after")
    filters.add_argument("--date-to", type=iso_date, metavar="YYYY-MM-DD", help="document date on or before")
    filters.add_argument("--actor", action="append", default=[], help="canonical actor name, e.g. Europol")
    filters.add_argument("--classification", action="append", default=[], help="e.g. LIMITE")
    filters.add_argument("--has-obligations", action=argparse.BooleanOptionalAction, default=None,
                         help="only passages of documents with (or without) obligations")
    filters.add_argument("--language", action="append", default=[], help="ISO 639-1 code, e.g. nl")
    search.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD",
                        help="day the status of the obligations in the hits is computed for (default today)")
    search.set_defaults(func=run_search)

    similar = subparsers.add_parser(
        "similar",
        parents=[common],
        help="find prior wording of a draft sentence, with a word diff",
        description="Find the stored passages closest in wording to a draft text and show a word diff "
        "([-deleted-] {+inserted+}). The text comes from --text, from --batch (one per line) or from stdin.",
    )
    source = similar.add_mutually_exclusive_group()
    source.add_argument("--text", help="the draft text")
    source.add_argument("--batch", metavar="FILE", help="one draft per line ('-' for stdin, UTF-8); JSON: one array "
                        "per line, [] for a blank line")
    similar.add_argument("--k", type=int, default=5, metavar="N", help="number of passages (default 5)")
    add_format(similar, "text", "json")
    similar.set_defaults(func=run_similar)


def filters_from(args: argparse.Namespace) -> SearchFilters:
    """SearchFilters from the filter flags."""
    return SearchFilters(
        kinds=tuple(args.kind),
        source_files=tuple(args.doc),
        date_from=args.date_from,
        date_to=args.date_to,
        actors=tuple(args.actor),
        classifications=tuple(args.classification),
        has_obligations=args.has_obligations,
        languages=tuple(args.language),
    )


def run_search(args: argparse.Namespace) -> int:
    if (args.query is None) == (args.batch is None):
        raise CliError("give either a QUERY or --batch FILE")
    if args.k < 1:
        raise CliError(f"--k must be at least 1, not {args.k}")
    queries = read_lines(args.batch) if args.batch else [args.query]
    filters = filters_from(args)
    as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    with open_app(args) as app:
        for query in queries:
            if not query:  # a blank line of a batch: an empty answer keeps outputs in line with inputs
                print_json([], indent=None) if args.format == "json" else print(f"## \n(empty query)\n")
                continue
            answer = app.search(query, k=args.k, mode=args.mode, filters=filters, as_of=as_of, sort=args.sort)
            if args.format == "json":
                hits = [hit_json(h, SEARCH_HIT_FIELDS) | {"obligations": [obligation_json(r) for r in
                                                                          answer.obligations.get(h.passage_id, [])]}
                        for h in answer.hits]
                if answer.result.message:  # stdout stays one JSON array per query; the notice goes beside it
                    print(f"note: {answer.result.message}", file=sys.stderr)
                print_json(hits, indent=None if args.batch else 2)
            else:
                print_search_text(query, answer.result, answer.obligations, header=bool(args.batch))
    return 0


def run_similar(args: argparse.Namespace) -> int:
    if args.k < 1:
        raise CliError(f"--k must be at least 1, not {args.k}")
    if args.text is not None:
        texts = [args.text]
    elif args.batch:
        texts = read_lines(args.batch)
    elif sys.stdin.isatty():
        raise CliError("give --text TEXT, --batch FILE or pipe the draft on stdin")
    else:
        texts = [sys.stdin.read().strip()]
    if not any(texts):
        raise CliError("the draft text is empty")
    with open_app(args) as app:
        for text in texts:
            if not text:  # a blank line of a batch: an empty answer keeps outputs in line with inputs
                print_json([], indent=None) if args.format == "json" else print("## \nno draft on this line\n")
                continue
            hits = app.similar(text, k=args.k)
            if args.format == "json":
                print_json([hit_json(h, SIMILAR_HIT_FIELDS) for h in hits], indent=None if args.batch else 2)
            else:
                print_similar_text(text, hits, header=bool(args.batch))
    return 0


def hit_json(hit: Hit, fields: Iterable[str]) -> dict:
    """The contract fields of a hit."""
    data = to_dict(hit)
    return {name: data[name] for name in fields}


def obligation_json(row) -> dict:
    """An obligation stated in a hit: who, what, by when, and its status."""
    full = row.to_json()
    return {name: full[name] for name in ("id", "actors", "action", "deadline", "modality", "status", "expected_end")}


def obligation_line(row) -> str:
    """'Europol: tegen eind 2024 een specifiek verslag te publiceren … | deadline 2024-12-31 | done'."""
    o = row.obligation
    action = o.action if len(o.action) <= 90 else o.action[:89].rsplit(" ", 1)[0] + " …"
    deadline = f"deadline {o.deadline.end} ({o.deadline.text})" if o.deadline and o.deadline.end else "no deadline"
    status = row.status + (f", now expected {row.expected_end}" if row.expected_end else "")
    return f"{', '.join(o.actors) or '?'}: {one_line(action)} | {deadline} | {status}"


def print_search_text(query: str, result, stated: dict | None = None, *, header: bool) -> None:
    """Numbered hits with citation and snippet (and the obligations each states), then expansions and facets."""
    if header:
        print(f"## {query}")
    if result.message:
        print(result.message)
    for rank, hit in enumerate(result.hits, 1):
        print(f"{rank:>2}. {hit.citation or hit.passage_id}  (score {hit.score:.3f})")
        print(f"    {one_line(hit.snippet or hit.text)}")
        for row in (stated or {}).get(hit.passage_id, []):
            print(f"    -> {obligation_line(row)}")
    if result.expansions:
        print("\nexpanded with: " + ", ".join(result.expansions))
    for facet, values in result.facets.counts.items():
        ranked = sorted(values.items(), key=lambda kv: -kv[1])
        if ranked:
            more = f", +{len(ranked) - FACET_VALUES_SHOWN} more" if len(ranked) > FACET_VALUES_SHOWN else ""
            print(f"{facet}: " + ", ".join(f"{value} ({n})" for value, n in ranked[:FACET_VALUES_SHOWN]) + more)
    if header:
        print()


def print_similar_text(text: str, hits: list[Hit], *, header: bool) -> None:
    """Each passage with its similarity and a readable word diff against the draft."""
    if header:
        print(f"## {one_line(text)}")
    if not hits:
        print("no similar passages")
    for rank, hit in enumerate(hits, 1):
        similarity = f"{hit.similarity:.2f}" if hit.similarity is not None else "?"
        print(f"{rank:>2}. {hit.citation or hit.passage_id}  (similarity {similarity})")
        print(f"    {one_line(hit.text)}")
        if hit.diff:
            print(f"    diff: {render_diff(hit.diff)}")
    if header:
        print()


def render_diff(diff: list[dict[str, str]]) -> str:
    """A word diff as text: [-deleted-] and {+inserted+} around the changed words."""
    marks = {"delete": "[-{}-]", "insert": "{{+{}+}}", "equal": "{}"}
    return one_line(" ".join(marks[op["op"]].format(op["text"].strip()) for op in diff if op["text"].strip()))


def one_line(text: str) -> str:
    """Collapse whitespace so a passage prints on one line."""
    return " ".join(text.split())

