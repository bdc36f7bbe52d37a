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
        "obligations, embed them and write them to the store. Unchanged files are skipped. "
        "Exit 0 when every file was ingested, 2 when some failed (the others are ingested).",
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="a file or a folder")
    ingest.add_argument("--force", action="store_true",
                        help="process unchanged files again (after upgrading Conclusio: parsing or extraction changed)")
    ingest.set_defaults(func=run_ingest)

    reembed = subparsers.add_parser(
        "reembed",
        parents=[common],
        help="recompute every passage vector with the model in use",
        description="Re-embed every stored passage with the current embedding model (after changing --model), "
        "with a progress bar (counts, rate, time left) on stderr.",
    )
    reembed.set_defaults(func=run_reembed)


def run_ingest(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise CliError(f"no such file or folder: {', '.join(missing)}")
    with open_app(args) as app:
        report = app.ingest(
            args.paths, force=args.force, on_result=lambda result: print(format_result(result), flush=True)
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
    return f"ingested  {name}  ({counts}, {result.seconds:.1f} s)"


def format_summary(report, settings) -> str:
    """Counts per status, where the store is, and a warning when evidence links could not be refreshed."""
    parts = ", ".join(f"{n} {status}" for status, n in report.counts.items())
    summary = f"{len(report.results)} files: {parts}. Store: {settings.store_dir}"
    if report.evidence_error:
        summary += f"\nwarning: progress evidence was not refreshed: {report.evidence_error}"
    return summary


def run_reembed(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    with open_app(args) as app:
        # Counts, rate and ETA on stderr; stdout keeps the one-line result.
        with tqdm(desc="re-embedding", unit=" passages", file=sys.stderr, dynamic_ncols=True) as bar:

            def advance(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            count = app.reembed(advance)
        print(f"re-embedded {count} passages with {app.embedder.name} (dim {app.embedder.dim})")
    return 0
