"""``conclusio ingest`` and ``conclusio reembed``: fill the store and rebuild its vectors."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from application.commands._common import CliError, add_format, open_app, print_json
from application.workers import MAX_DEFAULT_JOBS, default_jobs


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
    ingest.add_argument("--jobs", type=int, default=None, metavar="N",
                        help=f"worker processes that parse and read the files (default: the cores this process may "
                        f"use, at most {MAX_DEFAULT_JOBS}); the store is the same for any N")
    ingest.add_argument("--defer-evidence", action="store_true",
                        help="write the documents and leave their evidence links for `conclusio resume` (a bulk load: "
                        "search works at once; statuses wait for the links, made in one pass later)")
    ingest.add_argument("--quiet", action="store_true", help="print the summary only, no line per file, no progress bar")
    add_format(ingest, "text", "json")
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
    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs < 1:
        raise CliError(f"--jobs must be at least 1, not {jobs}")
    text = args.format == "text"
    with open_app(args) as app, progress_bars(text and not args.quiet) as bars:

        def show(result) -> None:
            if text and not args.quiet:
                bars.write(format_result(result))

        report = app.ingest(args.paths, force=args.force, on_result=show, wait=args.wait, jobs=jobs,
                            on_progress=bars.advance, defer_evidence=args.defer_evidence)
        bars.close()
        if text:
            print(format_summary(report, app.settings))
        else:
            print_json(report_json(report))
    return report.exit_code


class _Bars:
    """One tqdm bar per ingest stage on stderr (files parsed, passages written, obligations linked), on a terminal
    only."""

    UNITS = {"parse": (" files", "parsing"), "write": (" passages", "embedding and writing"),
             "evidence": (" obligations", "linking evidence")}

    def __init__(self, shown: bool):
        self.shown = shown
        self.bar = None
        self.stage = ""

    def advance(self, stage: str, done: int, total: int) -> None:
        if not self.shown:
            return
        from tqdm import tqdm

        if stage != self.stage:
            self.close()
            unit, description = self.UNITS.get(stage, ("", stage))
            self.bar, self.stage = tqdm(total=total, desc=description, unit=unit, file=sys.stderr,
                                        dynamic_ncols=True, leave=False), stage
        self.bar.total = total
        self.bar.update(done - self.bar.n)

    def write(self, line: str) -> None:
        if self.bar is None:
            print(line, flush=True)
        else:  # above the bar, which is redrawn below it
            self.bar.write(line, file=sys.stdout)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        self.bar, self.stage = None, ""


@contextmanager
def progress_bars(wanted: bool):
    """Progress bars when ``wanted`` and stderr is a terminal (never into a file, a pipe or JSON)."""
    bars = _Bars(wanted and sys.stderr.isatty())
    try:
        yield bars
    finally:
        bars.close()


def report_json(report) -> dict:
    """The ingest report as JSON: per-file results, counts, seconds per stage, evidence and curation outcome."""
    return {
        "counts": report.counts,
        "files": [{"path": r.path, "status": r.status, "reason": r.reason, "passages": r.passages,
                   "obligations": r.obligations, "seconds": round(r.seconds, 3), "warnings": r.warnings}
                  for r in report.results],
        "timings": {stage: round(seconds, 3) for stage, seconds in report.timings.items()},
        "evidence_refreshed": report.evidence_refreshed,
        "evidence_error": report.evidence_error,
        "evidence_deferred": report.evidence_deferred,
        "resumed_runs": report.resumed_runs,
        "curation": [asdict(change) for change in report.curation],
    }


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
        lines.append(f"completed the work {report.resumed_runs} earlier ingest(s) left (interrupted, or deferred on request)")
    lines += [format_change(change) for change in report.curation]
    orphaned = sum(change.outcome == "orphaned" for change in report.curation)
    if orphaned:
        lines.append(f"{orphaned} curated item(s) orphaned: kept, not applied to any unit; list them with "
                     f"conclusio audit --orphans --store {settings.store_dir}")
    parts = ", ".join(f"{n} {status}" for status, n in report.counts.items())
    lines.append(f"{len(report.results)} files: {parts}. Store: {settings.store_dir}")
    if report.counts["ingested"] or report.evidence_refreshed:  # an all-unchanged run took no time worth saying
        lines.append(format_timings(report))
    if report.evidence_deferred:
        lines.append(f"evidence links deferred: search works now; link them with: conclusio resume --store "
                     f"{settings.store_dir}")
    if report.evidence_error:
        lines.append(f"warning: progress evidence was not refreshed: {report.evidence_error}; "
                     f"retry with: conclusio resume --store {settings.store_dir}")
    return "\n".join(lines)


def format_timings(report) -> str:
    """'seconds per stage: parse 0.4, extract 3.1, embed 12.0, write 0.6, evidence 1.2 (total 17.3; 610 passages/s)'."""
    order = ("parse", "extract", "embed", "write", "evidence")
    stages = sorted(report.timings.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    total = sum(report.timings.values())
    passages = sum(r.passages for r in report.results if r.status == "ingested")
    rate = f"; {passages / total:,.0f} passages/s" if passages and total > 0 else ""
    return (f"seconds per stage: {', '.join(f'{stage} {seconds:.1f}' for stage, seconds in stages)} "
            f"(total {total:.1f}{rate})")


def format_change(change) -> str:
    """'moved     status of A -> B (same text under label 28 ...)' or 'orphaned  link A <- P (...)'."""
    what = "status of" if change.item == "status" else "review of"
    target = f" -> {change.new_key}" if change.new_key else ""
    return f"{change.outcome:<9} {what} {change.old_key}{target} ({change.reason})"


def run_reembed(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    with open_app(args) as app:
        # Counts, rate and ETA on stderr; stdout keeps the one-line result.
        with tqdm(desc="re-embedding", unit=" passages", file=sys.stderr, dynamic_ncols=True,
                  disable=not sys.stderr.isatty()) as bar:  # a log file gets the result line, not bar redraws

            def advance(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            count = app.reembed(advance, wait=args.wait)
        print(f"re-embedded {count} passages with {app.embedder.name} (dim {app.embedder.dim})")
    return 0
