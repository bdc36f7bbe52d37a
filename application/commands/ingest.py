"""``conclusio ingest`` and ``conclusio reembed``: fill the store and rebuild its vectors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from application.commands._common import CliError, open_app


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    ingest = subparsers.add_parser(
        "ingest",
        parents=[common],
        help="parse, analyse and index files or folders",
        description="Parse files (txt, md, pdf, docx, html) or every file under a folder, extract passages and "
        "obligations, embed them and write them to the store. Unchanged files are skipped. A revised file's "
        "manual statuses and reviews follow its units (the summary lists what moved or was orphaned). Work an "
        "interrupted ingest left is completed first. One ingest at a time per store. "
        "Exit 0 when every file was ingested, 2 when some failed (the others are ingested), 3 when another ingest "
        "holds the store.",
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="a file or a folder")
    ingest.add_argument("--force", action="store_true",
                        help="process unchanged files again (after upgrading Conclusio: parsing or extraction changed)")
    add_wait(ingest)
    ingest.set_defaults(func=run_ingest)

    reembed = subparsers.add_parser(
        "reembed",
        parents=[common],
        help="recompute every passage vector with the model in use",
        description="Re-embed every stored passage with the current embedding model (after changing --model), "
        "with a progress bar (counts, rate, time left) on stderr.",
    )
    add_wait(reembed)
    reembed.set_defaults(func=run_reembed)


def add_wait(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wait", action="store_true",
                        help="when another ingest is writing the store, wait for it (default: stop with exit 3)")


def run_ingest(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise CliError(f"no such file or folder: {', '.join(missing)}")
    with open_app(args) as app:
        report = app.ingest(
            args.paths, force=args.force, on_result=lambda result: print(format_result(result), flush=True),
            wait=args.wait,
        )
        print(format_summary(report, app.settings))
    return report.exit_code


def format_result(result) -> str:
    """One line per file: what happened to it and why."""
    name = Path(result.path).name
    if result.status == "failed":
        return f"failed    {name}: {result.reason}"
    counts = f"{result.passages} passages, {result.obligations} obligations"
    if result.status == "unchanged":
        return f"unchanged {name}  ({counts})"
    line = f"ingested  {name}  ({counts}, {result.seconds:.1f} s)"
    return "\n".join([line, *(f"  warning: {name}: {warning}" for warning in result.warnings)])


def format_summary(report, settings) -> str:
    """Counts per status, where the store is, curation a revision moved or orphaned, and evidence trouble."""
    lines = []
    if report.resumed_runs:
        lines.append(f"completed the work {report.resumed_runs} interrupted ingest(s) left")
    lines += [format_change(change) for change in report.curation]
    orphaned = sum(change.outcome == "orphaned" for change in report.curation)
    if orphaned:
        lines.append(f"{orphaned} curated item(s) orphaned: kept, not applied to any unit; list them with "
                     f"conclusio audit --orphans --store {settings.store_dir}")
    parts = ", ".join(f"{n} {status}" for status, n in report.counts.items())
    lines.append(f"{len(report.results)} files: {parts}. Store: {settings.store_dir}")
    if report.evidence_error:
        lines.append(f"warning: progress evidence was not refreshed: {report.evidence_error}; "
                     f"retry with: conclusio resume --store {settings.store_dir}")
    return "\n".join(lines)


def format_change(change) -> str:
    """'moved     status of A -> B (same text under label 28 ...)' or 'orphaned  link A <- P (...)'."""
    what = "status of" if change.item == "status" else "review of"
    target = f" -> {change.new_key}" if change.new_key else ""
    return f"{change.outcome:<9} {what} {change.old_key}{target} ({change.reason})"


def run_reembed(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    with open_app(args) as app:
        # Counts, rate and ETA on stderr; stdout keeps the one-line result.
        with tqdm(desc="re-embedding", unit=" passages", file=sys.stderr, dynamic_ncols=True) as bar:

            def advance(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            count = app.reembed(advance, wait=args.wait)
        print(f"re-embedded {count} passages with {app.embedder.name} (dim {app.embedder.dim})")
    return 0
