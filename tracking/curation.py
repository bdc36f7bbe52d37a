"""What analysts author (link reviews, status overrides, the audit trail) and where it is kept.

It is kept apart from the derived store so that re-ingesting, re-embedding or dropping the store
never touches it: with the embedded backend in ``curation.sqlite3`` beside the store, with the
OpenSearch backend in indices of its own. Both satisfy ``CurationStore`` and pass one contract suite
(``tests/tracking/test_curation_contract.py``).

The audit trail is append-only and tamper-evident: each entry carries the SHA-256 of the entry before
it together with its own content (``chain_hash``), so an entry changed, removed or slipped in by hand
breaks the chain at that entry (``verify_chain`` names the first). A trail written before it was
chained is chained, as it stands then, by its next write, which says so in an ``audit:chained`` entry.
Cutting off the newest entries leaves a valid chain: keep the head hash ``conclusio audit --verify``
prints somewhere else to see that too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, get_args, runtime_checkable

from conclusio.errors import ConclusioError
from conclusio.records import ObligationStatus
from conclusio.settings import Settings

CURATION_FILE = "curation.sqlite3"
VERDICTS = ("confirmed", "rejected")
STATUSES: tuple[str, ...] = get_args(ObligationStatus)


class CurationError(ConclusioError):
    """A curation change was refused: an unknown verdict or status, or a missing author."""


@dataclass(frozen=True)
class AuditEntry:
    """One manual change, kept forever."""

    at: str  # ISO timestamp
    who: str
    obligation_id: str
    field: str  # "status" | "link:<passage_id>"
    old_value: str | None
    new_value: str | None
    note: str = ""


@dataclass(frozen=True)
class StatusOverride:
    obligation_id: str
    status: str
    note: str
    who: str
    at: str


@dataclass(frozen=True)
class Move:
    """Where a unit of a re-ingested document went: its new id, or None when no unit matches it."""

    kind: str  # "obligation" | "passage"
    old_id: str
    new_id: str | None
    reason: str  # "same text under label 28 in the new version of x.txt", "similar text (0.91) ..."


@dataclass(frozen=True)
class CurationChange:
    """What re-anchoring did to one curated item: moved it to its unit's new id, or left it orphaned."""

    outcome: str  # "moved" | "orphaned"
    item: str  # "status" | "link"
    obligation_id: str  # where the item is kept now
    passage_id: str | None  # for a link review
    old_key: str  # "OBLIGATION" (a status) or "OBLIGATION <- PASSAGE" (a link review) before
    new_key: str | None  # after; None when orphaned
    reason: str


ANCHOR_MOVED, ANCHOR_ORPHANED = "moved", "orphaned"  # how the audit trail's fields for re-anchoring begin
INGEST = "ingest"  # an ingest's field: "ingest:<source_file>", old and new content hash
CHAINED = "audit:chained"  # the entry that says a trail written before chaining was chained
GENESIS = "0" * 64  # what the first entry of a chain follows
LINK_ARROW = " <- "  # a link review's key written out: "OBLIGATION <- PASSAGE"


@dataclass(frozen=True)
class ChainedEntry:
    """An audit entry as stored, with its place and its links in the chain (None: not chained)."""

    seq: int
    entry: AuditEntry
    prev_hash: str | None
    hash: str | None


@dataclass(frozen=True)
class AuditVerification:
    """What ``verify_chain`` found: how many entries, how many chained, the head hash, the first broken entry."""

    entries: int
    chained: int
    head: str | None
    broken: str | None = None  # "entry 3 of 7 (seq 3, 2025-06-01T..., bob, status): its content does not match ..."

    @property
    def ok(self) -> bool:
        return self.broken is None and self.chained == self.entries

    @property
    def message(self) -> str:
        if self.broken:
            return f"the audit trail is broken at {self.broken}"
        if self.chained < self.entries:
            return (f"cannot verify the audit trail: its {self.entries} entries were written before it was chained; "
                    "the next review, status change or ingest chains them")
        return f"the audit trail is intact: {self.entries} entries, head {self.head or GENESIS}"


def chain_hash(previous: str, seq: int, entry: AuditEntry) -> str:
    """The hash an entry carries: SHA-256 over the hash of the entry before it, its place and its content."""
    content = [previous, seq, entry.at, entry.who, entry.obligation_id, entry.field, entry.old_value, entry.new_value,
               entry.note]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def chain_legacy(rows: Sequence[ChainedEntry]) -> list[ChainedEntry]:
    """Links for a trail written before chaining (every row unchained), from the first entry on."""
    chained, previous = [], GENESIS
    for row in rows:
        digest = chain_hash(previous, row.seq, row.entry)
        chained.append(ChainedEntry(row.seq, row.entry, previous, digest))
        previous = digest
    return chained


def verify_chain(rows: Sequence[ChainedEntry]) -> AuditVerification:
    """Check each entry (oldest first) against the one before it and its own content; name the first that fails."""
    expected, chained = GENESIS, 0

    def broken(position: int, row: ChainedEntry, reason: str) -> AuditVerification:
        e = row.entry
        where = f"entry {position} of {len(rows)} (seq {row.seq}, {e.at}, {e.who}, {e.field})"
        return AuditVerification(len(rows), chained, expected if chained else None, f"{where}: {reason}")

    unchained = [position for position, row in enumerate(rows, 1) if row.hash is None]
    if unchained and len(unchained) < len(rows):  # a trail is chained whole on its first write after chaining came
        first = unchained[0]
        return broken(first, rows[first - 1], "it carries no hash although other entries do: it was added or altered "
                                              "by hand")
    if unchained:
        return AuditVerification(len(rows), 0, None)
    for position, row in enumerate(rows, 1):
        if row.prev_hash != expected:
            return broken(position, row, "it does not follow the entry before it: an entry before it was removed, "
                                         "inserted or changed")
        if row.hash != chain_hash(row.prev_hash, row.seq, row.entry):
            return broken(position, row, "its content does not match its hash: it was changed after it was written")
        expected, chained = row.hash, chained + 1
    return AuditVerification(len(rows), chained, expected if chained else None)


def chained_note(count: int) -> str:
    """The note of the entry that records chaining a trail written before chaining."""
    return (f"{count} earlier entries, written before the audit trail was chained, were chained as they stood now; "
            "what they said before this moment cannot be verified")


@runtime_checkable
class CurationStore(Protocol):
    """User-authored data that survives every re-ingest: link reviews, status overrides, audit."""

    def review_link(self, obligation_id: str, passage_id: str, verdict: str | None, who: str, note: str = "") -> None:
        """Confirm ("confirmed"), reject ("rejected") or clear (None) an evidence link."""

    def link_reviews(self) -> dict[tuple[str, str], str]:
        """(obligation_id, passage_id) -> verdict, for every reviewed link."""

    def set_status(self, obligation_id: str, status: str | None, who: str, note: str = "") -> None:
        """Set a manual status (None clears it)."""

    def status_overrides(self) -> dict[str, StatusOverride]:
        """obligation_id -> the current manual status."""

    def audit_trail(self, obligation_id: str | None = None) -> list[AuditEntry]:
        """Every manual change, oldest first; for one obligation also what was recorded under its former ids."""

    def record_ingest(self, source_file: str, previous_hash: str | None, content_hash: str, who: str) -> None:
        """Append an audit entry for a document ingested (or revised) by ``who``."""

    def verify_audit(self) -> AuditVerification:
        """Check the audit trail's hash chain (read-only)."""

    def reanchor(self, moves: Sequence[Move], who: str = "conclusio") -> list[CurationChange]:
        """Move overrides and reviews keyed by a moved unit's old id to its new id, in one step, with an audit
        entry each; an item whose unit is gone, or whose new key is taken by another item, stays where it is
        and is reported orphaned. Doing it twice changes nothing more (an ingest resumed after a crash).
        """

    def close(self) -> None:
        """Release connections."""


def plan_reanchoring(
    overrides: Mapping[str, str], reviews: Mapping[tuple[str, str], str], moves: Sequence[Move]
) -> tuple[list[tuple[str, str, CurationChange]], list[tuple[tuple[str, str], tuple[str, str], CurationChange]],
           list[CurationChange]]:
    """What every backend's ``reanchor`` does, decided once: (override moves, review moves, orphans).

    ``overrides`` maps obligation id -> status, ``reviews`` (obligation id, passage id) -> verdict. A
    move never overwrites: when two items would land on one key, neither moves (both are orphaned).
    """
    obligations = {m.old_id: m for m in moves if m.kind == "obligation"}
    passages = {m.old_id: m for m in moves if m.kind == "passage"}
    orphans: list[CurationChange] = []

    status_targets: dict[str, list[str]] = {}
    for oid in overrides:
        move = obligations.get(oid)
        target = move.new_id if move else oid
        if target is not None:
            status_targets.setdefault(target, []).append(oid)
    status_moves = []
    for oid in overrides:
        move = obligations.get(oid)
        if move is None:
            continue
        if move.new_id is None or len(status_targets[move.new_id]) > 1:
            reason = move.reason if move.new_id is None else f"{move.new_id} has a manual status of its own"
            orphans.append(CurationChange(ANCHOR_ORPHANED, "status", oid, None, oid, None, reason))
        else:
            status_moves.append((oid, move.new_id, CurationChange(ANCHOR_MOVED, "status", move.new_id, None, oid,
                                                                  move.new_id, move.reason)))

    def mapped(key: tuple[str, str]) -> tuple[tuple[str, str] | None, str]:
        oid, pid = key
        o, p = obligations.get(oid), passages.get(pid)
        if (o and o.new_id is None) or (p and p.new_id is None):
            return None, (o.reason if o and o.new_id is None else p.reason)  # type: ignore[union-attr]
        reasons = "; ".join(m.reason for m in (o, p) if m)
        return ((o.new_id if o else oid), (p.new_id if p else pid)), reasons  # type: ignore[return-value]

    review_targets: dict[tuple[str, str], int] = {}
    for key in reviews:
        target, _ = mapped(key)
        if target is not None:
            review_targets[target] = review_targets.get(target, 0) + 1
    review_moves = []
    for key in reviews:
        target, reason = mapped(key)
        if target == key:
            continue
        old_key = f"{key[0]}{LINK_ARROW}{key[1]}"
        if target is None or review_targets[target] > 1:
            reason = reason if target is None else f"{target[0]}{LINK_ARROW}{target[1]} has a review of its own"
            orphans.append(CurationChange(ANCHOR_ORPHANED, "link", key[0], key[1], old_key, None, reason))
        else:
            review_moves.append((key, target, CurationChange(ANCHOR_MOVED, "link", target[0], target[1], old_key,
                                                             f"{target[0]}{LINK_ARROW}{target[1]}", reason)))
    return status_moves, review_moves, orphans


def audit_field(change: CurationChange) -> str:
    """The audit trail's field for a re-anchoring: "moved:status", "moved:link:<passage>", "orphaned:status" ..."""
    passage = change.passage_id if change.outcome == ANCHOR_ORPHANED else (change.new_key or "").split(LINK_ARROW)[-1]
    return f"{change.outcome}:{change.item}" + (f":{passage}" if change.item == "link" else "")


def with_former_ids(entries: Sequence[AuditEntry], obligation_id: str) -> list[AuditEntry]:
    """The entries of an obligation and of the ids it had before re-anchoring moved it (oldest first)."""
    ids = {obligation_id}
    changed = True
    while changed:
        former = {e.old_value.split(LINK_ARROW)[0] for e in entries
                  if e.field.startswith(ANCHOR_MOVED) and e.obligation_id in ids and e.old_value}
        changed = not former <= ids
        ids |= former
    return [e for e in entries if e.obligation_id in ids]


def already_orphaned(entries: Sequence[AuditEntry], change: CurationChange) -> bool:
    """Whether the trail's last re-anchoring entry for this item already says it is orphaned."""
    mine = [e for e in entries if e.obligation_id == change.obligation_id and e.old_value == change.old_key
            and e.field.startswith((ANCHOR_MOVED, ANCHOR_ORPHANED))]
    return bool(mine) and mine[-1].field.startswith(ANCHOR_ORPHANED)


def ingest_entry(source_file: str, previous_hash: str | None, content_hash: str, who: str, at: str) -> AuditEntry:
    """The audit entry of one ingested file."""
    if not who or not who.strip():
        raise CurationError("every ingest recorded in the audit trail needs an author (who): got an empty name")
    return AuditEntry(at, who, "", f"{INGEST}:{source_file}", previous_hash, content_hash,
                      "added" if previous_hash is None else "revised")


def check_change(obligation_id: str, field: str, value: str | None, who: str) -> None:
    """Refuse a change every backend must refuse: an unknown verdict or status, or no author."""
    allowed = STATUSES if field == "status" else VERDICTS
    if value is not None and value not in allowed:
        kind = "status" if field == "status" else "link verdict"
        raise CurationError(f"unknown {kind} {value!r} for {obligation_id}: use one of {allowed} or None")
    if not who or not who.strip():
        raise CurationError("every curation change needs an author (who): got an empty name")


def open_curation(settings: Settings, *, read_only: bool = False) -> CurationStore:
    """The curation store of the configured backend: a SQLite file beside the store, or OpenSearch indices.

    ``read_only`` (the read paths: search, obligations, audit) never writes, so it works on a read-only medium.
    """
    if settings.backend == "opensearch":
        from index.opensearch_store import Connection
        from tracking.opensearch_curation import OpenSearchCurationStore

        if not settings.opensearch_url:
            raise CurationError("the opensearch backend needs a server address: set OPENSEARCH_URL")
        return OpenSearchCurationStore(Connection.from_settings(settings), index_prefix=settings.opensearch_index_prefix)
    from tracking.sqlite_curation import SQLiteCurationStore

    if settings.store_dir.exists() and not settings.store_dir.is_dir():
        raise CurationError(f"the store path {settings.store_dir} is a file, not a folder: give --store a folder")
    return SQLiteCurationStore(settings.store_dir / CURATION_FILE, read_only=read_only,
                               file_mode=settings.store_file_mode)
