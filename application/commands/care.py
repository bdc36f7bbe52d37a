"""``conclusio check``, ``resume``, ``backup``, ``restore`` and ``rebuild``: keeping a store whole."""

from __future__ import annotations

import argparse
from pathlib import Path

from application.commands._common import add_format, open_app, print_json
from application.commands.ingest import add_wait, format_result, format_summary, progress_bars
from conclusio.errors import EXIT_DAMAGED


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    check = subparsers.add_parser(
        "check",
        parents=[common],
        help="check the store for damage and for work an interrupted ingest left",
        description="Run SQLite's integrity check and FTS5's on the store (and the curation file) without "
        "writing anything, and name what is broken. Exit 0 when nothing is broken (work an interrupted ingest "
        "left is reported, with the command that completes it), 4 when something is.",
    )
    add_format(check, "text", "json")
    check.set_defaults(func=run_check)

    resume = subparsers.add_parser(
        "resume",
        parents=[common],
        help="complete what an interrupted or deferring ingest left (evidence links, re-anchoring)",
        description="Complete the derived steps an interrupted ingest (or one run with --defer-evidence) left pending: "
        "re-anchor curation of a revised document and refresh the evidence links, with a progress bar. Any ingest "
        "does this first as well.",
    )
    add_wait(resume)
    resume.set_defaults(func=run_resume)

    backup = subparsers.add_parser(
        "backup",
        parents=[common],
        help="copy the store, its curation and its original files to a new folder",
        description="Copy the store database and the curation file with SQLite's online backup API (searches "
        "and ingests may go on meanwhile), and the original files, into DEST (a new or empty folder).",
    )
    backup.add_argument("destination", metavar="DEST", help="a new folder")
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser(
        "restore",
        parents=[common],
        help="replace the store with a backup",
        description="Check the backup in SOURCE, then put it in place of the store's database, curation file "
        "and original files. The files it replaces are moved to a 'replaced-TIME' folder in the store.",
    )
    restore.add_argument("source", metavar="SOURCE", help="a folder written by 'conclusio backup'")
    add_wait(restore)
    restore.set_defaults(func=run_restore)

    rebuild = subparsers.add_parser(
        "rebuild",
        parents=[common],
        help="make a new store database from the original files kept in the store",
        description="Re-ingest the original files kept in the store (originals/) into a new database: the "
        "repair for a damaged store. The old database is moved to a 'damaged-TIME' folder; curation stays and "
        "applies to the rebuilt units. Loads the models.",
    )
    add_wait(rebuild)
    rebuild.set_defaults(func=run_rebuild)


def run_check(args: argparse.Namespace) -> int:
    with open_app(args) as app:
        report = app.check()
    hint = f"conclusio rebuild --store {report.location}"
    if args.format == "json":
        print_json({"store": report.location, "clean": report.clean, "problems": report.problems,
                    "interrupted": report.interrupted,
                    "pending_runs": [{"run_id": r.run_id, "started_at": r.started_at, "pid": r.pid,
                                      "steps": [s.step + (f":{s.key}" if s.key else "") for s in r.steps if not s.done]}
                                     for r in report.pending],
                    "repair": None if report.clean else hint})
    else:
        for problem in report.problems:
            print(f"broken: {problem}")
        if report.pending:
            state = "was interrupted" if report.interrupted else "is running"
            first = report.pending[0]
            print(f"pending: an ingest {state} (run {first.run_id}, started {first.started_at}); "
                  + (f"finish it with: conclusio resume --store {report.location}" if report.interrupted else
                     "it completes its own work"))
        if report.clean:
            print(f"ok: no damage found in the store at {report.location}")
        else:
            print(f"repair it with: {hint} (or restore a backup: conclusio restore SOURCE --store {report.location})")
    return 0 if report.clean else EXIT_DAMAGED


def run_resume(args: argparse.Namespace) -> int:
    with open_app(args) as app, progress_bars(True) as bars:
        report = app.resume(wait=args.wait, on_progress=bars.advance)
        bars.close()
        if not report.resumed_runs:
            print(f"nothing to resume in the store at {app.settings.store_dir}")
            return 0
        print(format_summary(report, app.settings))
    return 1 if report.evidence_error else 0


def run_backup(args: argparse.Namespace) -> int:
    with open_app(args) as app:
        destination = app.backup(Path(args.destination))
    print(f"backed up the store at {app.settings.store_dir} to {destination}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    with open_app(args) as app:
        aside = app.restore(Path(args.source), wait=args.wait)
    print(f"restored {args.source} into {app.settings.store_dir}; the replaced files are in {aside}")
    return 0


def run_rebuild(args: argparse.Namespace) -> int:
    with open_app(args) as app:
        report, aside = app.rebuild(on_result=lambda result: print(format_result(result), flush=True),
                                    wait=args.wait)
        print(format_summary(report, app.settings))
        print(f"the previous database is in {aside}")
    return report.exit_code
