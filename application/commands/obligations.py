"""``conclusio obligations`` and the curation commands ``review``, ``set-status`` and ``audit``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import get_args

from application.commands._common import CliError, add_format, iso_date, open_app, print_json
from conclusio.records import ObligationStatus, Progress, to_dict
from index.store import ObligationQuery

STATUSES = get_args(ObligationStatus)
PROGRESS = get_args(Progress)
BINARY_FORMATS = ("xlsx", "ics")


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    obligations = subparsers.add_parser(
        "obligations",
        parents=[common],
        help="list obligations with their tracked status, or export them",
        description="List obligations (actor, action, deadline) with their status as of a date, computed from "
        "later progress reports and manual overrides. Export as json, csv, xlsx, md or ics.",
    )
    obligations.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD", help="status date (default today)")
    obligations.add_argument("--actor", help="canonical actor name, e.g. Europol")
    obligations.add_argument("--status", choices=STATUSES, help="only obligations with this status")
    obligations.add_argument("--progress", choices=PROGRESS, help="only obligations with this progress")
    obligations.add_argument("--due-before", type=iso_date, metavar="YYYY-MM-DD", help="deadline ends before")
    obligations.add_argument("--doc", action="append", default=[], metavar="SOURCE_FILE", help="only this document")
    obligations.add_argument("--format", choices=("json", "csv", "xlsx", "md", "ics"), default="json",
                             help="output format (default json)")
    obligations.add_argument("--delimiter", choices=(",", ";"), default=",",
                             help="CSV field separator (default ','; ';' for a Dutch Excel)")
    obligations.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout (needed for "
                             "xlsx and ics on a terminal)")
    obligations.set_defaults(func=run_obligations)

    review = subparsers.add_parser(
        "review",
        parents=[common],
        help="confirm or reject an evidence link of an obligation",
        description="Confirm, reject or clear the link between an obligation and a passage that reports on it. "
        "Reviews survive re-ingest and are kept in the audit trail under your name (--user). Analysts and "
        "admins only.",
    )
    review.add_argument("obligation_id", metavar="OBLIGATION_ID")
    review.add_argument("passage_id", metavar="PASSAGE_ID")
    verdict = review.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--confirm", dest="verdict", action="store_const", const="confirmed", help="the link is right")
    verdict.add_argument("--reject", dest="verdict", action="store_const", const="rejected", help="the link is wrong")
    verdict.add_argument("--clear", dest="verdict", action="store_const", const="clear", help="forget the review")
    add_curation_flags(review)
    review.set_defaults(func=run_review)

    set_status = subparsers.add_parser(
        "set-status",
        parents=[common],
        help="set or clear a manual status of an obligation",
        description=f"Override the computed status of an obligation ({', '.join(STATUSES)}), or --clear the "
        "override. Overrides survive re-ingest and are kept in the audit trail under your name (--user). "
        "Analysts and admins only.",
    )
    set_status.add_argument("obligation_id", metavar="OBLIGATION_ID")
    set_status.add_argument("status", nargs="?", choices=STATUSES, metavar="STATUS", help="the new status")
    set_status.add_argument("--clear", action="store_true", help="remove the manual status")
    add_curation_flags(set_status)
    set_status.set_defaults(func=run_set_status)

    history = subparsers.add_parser(
        "history",
        parents=[common],
        help="how an obligation's status changed over time",
        description="The status of one obligation after each event: its adoption, each later document that "
        "reports on it (with the deciding sentence), each analyst change, and its deadline passing.",
    )
    history.add_argument("obligation_id", metavar="OBLIGATION_ID")
    history.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="last day (default today)")
    add_format(history, "text", "json")
    history.set_defaults(func=run_history)

    changes = subparsers.add_parser(
        "changes",
        parents=[common],
        help="what changed since a day: newly done, newly overdue, rescheduled",
        description="Obligations whose status changed between --since and --as-of (default today): newly done, "
        "newly overdue, rescheduled to a later date, or other progress.",
    )
    changes.add_argument("--since", type=iso_date, required=True, metavar="YYYY-MM-DD", help="the earlier day")
    changes.add_argument("--as-of", type=iso_date, metavar="YYYY-MM-DD", help="the later day (default today)")
    changes.add_argument("--actor", help="canonical actor name, e.g. Europol")
    add_format(changes, "text", "json")
    changes.set_defaults(func=run_changes)

    audit = subparsers.add_parser(
        "audit",
        parents=[common],
        help="show the audit trail of manual changes",
        description="Every manual review and status change and every ingest, oldest first, as far as your "
        "clearance reads; for one obligation or all. Entries 'moved:...' and 'orphaned:...' record where a revision "
        "of a document re-anchored curated items. --verify checks the trail's hash chain.",
    )
    audit.add_argument("obligation_id", nargs="?", metavar="OBLIGATION_ID",
                       help="only this obligation (with what was recorded under the ids it had before a revision)")
    audit.add_argument("--orphans", action="store_true",
                       help="list the manual statuses and reviews whose unit is no longer in the store (a revision "
                       "removed or rewrote it): kept, never applied to another unit (admins)")
    audit.add_argument("--verify", action="store_true",
                       help="check the audit trail's hash chain: exit 0 when intact, 1 naming the first entry changed, "
                       "removed or inserted by hand (admins); prints the head hash to keep elsewhere")
    add_format(audit, "text", "json")
    audit.set_defaults(func=run_audit)


def add_curation_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--note", default="", help="why (kept in the audit trail)")


def run_obligations(args: argparse.Namespace) -> int:
    binary = args.format in BINARY_FORMATS
    if binary and not args.output and sys.stdout.isatty():
        raise CliError(f"{args.format} is a binary format: give --output FILE or redirect stdout")
    output = Path(args.output) if args.output else None
    with open_app(args) as app:
        rows = app.obligations(
            ObligationQuery(actor=args.actor, source_files=tuple(args.doc), due_before=args.due_before),
            as_of=date.fromisoformat(args.as_of) if args.as_of else None,
            status=args.status,
            progress=args.progress,
        )
        data = app.export(rows, args.format, output, delimiter=args.delimiter)
    if output:
        print(f"wrote {len(rows)} obligations to {output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def run_review(args: argparse.Namespace) -> int:
    verdict = None if args.verdict == "clear" else args.verdict
    with open_app(args) as app:
        app.review(args.obligation_id, args.passage_id, verdict, note=args.note)
    print(f"{args.obligation_id} <- {args.passage_id}: {verdict or 'review cleared'}")
    return 0


def run_set_status(args: argparse.Namespace) -> int:
    if (args.status is None) == (not args.clear):
        raise CliError("give a STATUS or --clear, not both and not neither")
    with open_app(args) as app:
        app.set_status(args.obligation_id, args.status, note=args.note)
    print(f"{args.obligation_id}: {args.status or 'manual status cleared'}")
    return 0


def run_history(args: argparse.Namespace) -> int:
    until = date.fromisoformat(args.until) if args.until else date.today()
    with open_app(args) as app:
        points = app.history(args.obligation_id, until=until)
    if args.format == "json":
        print_json([to_dict(p) for p in points])
        return 0
    for p in points:
        expected = f", expected {p.expected_end}" if p.expected_end else ""
        print(f"{p.on}  {p.event:<9} {p.status:<12} progress {p.progress}, {p.timeliness}{expected}  ({p.source})")
        if p.sentence and p.event == "document":
            print(f"    {' '.join(p.sentence.split())}")
    return 0


def run_changes(args: argparse.Namespace) -> int:
    as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    since = date.fromisoformat(args.since)
    if since >= as_of:
        raise CliError(f"--since ({since}) must be before --as-of ({as_of})")
    with open_app(args) as app:
        found = app.changes(since=since, as_of=as_of, query=ObligationQuery(actor=args.actor))
    if args.format == "json":
        print_json([{"kind": c.kind, "id": c.after.obligation.id, "before": c.before.status, "after": c.after.status,
                     "progress": c.after.progress, "expected_end": c.after.expected_end,
                     "deciding": c.after.deciding.text if c.after.deciding else None} for c in found])
        return 0
    if not found:
        print(f"no changes between {since} and {as_of}")
    for kind in ("newly done", "newly overdue", "rescheduled", "progress"):
        rows = [c for c in found if c.kind == kind]
        if rows:
            print(f"{kind} ({len(rows)}):")
        for c in rows:
            o = c.after.obligation
            expected = f", now expected {c.after.expected_end}" if c.after.expected_end else ""
            print(f"  {o.id}  {', '.join(o.actors)}: {c.before.status} -> {c.after.status}{expected}")
    return 0


def run_audit(args: argparse.Namespace) -> int:
    if args.verify:
        return run_verify(args)
    if args.orphans:
        return run_orphans(args)
    with open_app(args) as app:
        entries = app.audit(args.obligation_id)
    if args.format == "json":
        print_json([to_dict(e) for e in entries])
        return 0
    if not entries:
        print("no manual changes" + (f" for {args.obligation_id}" if args.obligation_id else ""))
    for e in entries:
        note = f"  ({e.note})" if e.note else ""
        print(f"{e.at}  {e.who}  {e.obligation_id or '-'}  {e.field}: {e.old_value or '-'} -> {e.new_value or '-'}{note}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    if args.obligation_id or args.orphans:
        raise CliError("--verify checks the whole trail: give no OBLIGATION_ID and no --orphans")
    with open_app(args) as app:
        checked = app.verify_audit()
    if args.format == "json":
        print_json({"ok": checked.ok, "entries": checked.entries, "chained": checked.chained, "head": checked.head,
                    "broken": checked.broken, "message": checked.message})
    else:
        print(checked.message)
    return 0 if checked.ok else 1


def run_orphans(args: argparse.Namespace) -> int:
    if args.obligation_id:
        raise CliError("give OBLIGATION_ID or --orphans, not both")
    with open_app(args) as app:
        orphans = app.orphans()
    if args.format == "json":
        print_json([to_dict(o) for o in orphans])
        return 0
    if not orphans:
        print("no orphaned curation: every manual status and review sits on a unit in the store")
    for o in orphans:
        key = o.obligation_id + (f" <- {o.passage_id}" if o.passage_id else "")
        by = f" by {o.who}" if o.who else ""
        print(f"{o.at or '-'}  {o.item} {o.value}{by}  {key}  ({o.reason})")
    return 0
