"""User-authored curation (link reviews, manual statuses, audit trail) in OpenSearch indices.

Same rules as ``tracking.sqlite_curation``: verdicts and statuses are checked, every change
names its author and appends an audit record, audit records are never updated or deleted.
The indices (``{prefix}-curation``, ``{prefix}-audit``) are apart from the derived ones,
so re-ingesting or dropping the store never touches them.

OpenSearch has no transaction spanning the audit record and the change: the audit record is
written first, so a crash in between leaves an audited change that did not happen (visible
as an audit entry whose new value is not current) rather than a change nobody audited.

The audit records form a hash chain (``tracking.curation.chain_hash``). Each new record's ``_id`` is
``after-<hash of the record before it>`` and it is created with ``op_type=create``: two writers that
read the same head cannot both append after it (the second gets a conflict, reads the new head and
tries again), so the chain never forks. An index made before the chain gains its two fields on the
first write, which chains the records already there.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConflictError, NotFoundError

from index import opensearch_mappings as bodies
from index.opensearch_store import Connection, connect, ensure_index, reachable
from tracking.curation import (
    CHAINED,
    GENESIS,
    AuditEntry,
    AuditVerification,
    ChainedEntry,
    CurationError,
    CurationChange,
    Move,
    StatusOverride,
    already_orphaned,
    audit_field,
    chain_hash,
    chain_legacy,
    chained_note,
    check_change,
    ingest_entry,
    plan_reanchoring,
    verify_chain,
    with_former_ids,
)

LINK_REVIEW, STATUS = "link_review", "status"
APPEND_TRIES = 20  # writers racing for the head of the chain; each lost race costs one re-read


class OpenSearchCurationStore:
    """The ``CurationStore`` protocol over two OpenSearch indices."""

    def __init__(self, url: str | Connection, *, index_prefix: str = "conclusio", client: OpenSearch | None = None):
        connection = url if isinstance(url, Connection) else Connection(url)
        self._owns_client = client is None
        self._client = client if client is not None else connect(connection)
        reachable(self._client, connection.url)
        self._curation = f"{index_prefix}-curation"
        self._audit_index = f"{index_prefix}-audit"
        ensure_index(self._client, self._curation, bodies.curation_index_body())
        ensure_index(self._client, self._audit_index, bodies.audit_index_body())
        self._last_seq = 0
        self._chain_mapped = False

    def review_link(self, obligation_id: str, passage_id: str, verdict: str | None, who: str, note: str = "") -> None:
        """Confirm ("confirmed"), reject ("rejected") or clear (None) an evidence link."""
        check_change(obligation_id, f"link:{passage_id}", verdict, who)
        self._change(
            LINK_REVIEW, f"{LINK_REVIEW}|{obligation_id}|{passage_id}", obligation_id, passage_id,
            f"link:{passage_id}", verdict, who, note,
        )

    def link_reviews(self) -> dict[tuple[str, str], str]:
        """(obligation_id, passage_id) -> verdict, for every reviewed link."""
        return {(r["obligation_id"], r["passage_id"]): r["value"] for r in self._records(LINK_REVIEW)}

    def set_status(self, obligation_id: str, status: str | None, who: str, note: str = "") -> None:
        """Set a manual status (None clears it)."""
        check_change(obligation_id, "status", status, who)
        self._change(STATUS, f"{STATUS}|{obligation_id}", obligation_id, None, "status", status, who, note)

    def status_overrides(self) -> dict[str, StatusOverride]:
        """obligation_id -> the current manual status."""
        return {
            r["obligation_id"]: StatusOverride(r["obligation_id"], r["value"], r["note"], r["who"], r["at"])
            for r in self._records(STATUS)
        }

    def audit_trail(self, obligation_id: str | None = None) -> list[AuditEntry]:
        """Every manual change, oldest first; for one obligation also what was recorded under its former ids."""
        records = sorted(self._scan(self._audit_index, {"match_all": {}}), key=lambda r: r["seq"])
        entries = [
            AuditEntry(r["at"], r["who"], r["obligation_id"], r["field"], r["old_value"], r["new_value"], r["note"])
            for r in records
        ]
        return entries if obligation_id is None else with_former_ids(entries, obligation_id)

    def reanchor(self, moves: Sequence[Move], who: str = "conclusio") -> list[CurationChange]:
        """Move what is keyed by a moved unit's old id to its new id (tracking.curation.CurationStore).

        Each item is written under its new key before its old record is deleted (and its audit record
        first of all, as for every change): a crash in between leaves it under both keys, which the next
        run of the same re-anchoring resolves (the new key is then taken: the old record is left as is).
        """
        if not moves:
            return []
        statuses = {r["obligation_id"]: r for r in self._records(STATUS)}
        reviews = {(r["obligation_id"], r["passage_id"]): r for r in self._records(LINK_REVIEW)}
        status_moves, review_moves, orphans = plan_reanchoring(
            {k: r["value"] for k, r in statuses.items()}, {k: r["value"] for k, r in reviews.items()}, moves)
        for old, new, change in status_moves:
            record = dict(statuses[old], obligation_id=new)
            self._log(who, new, audit_field(change), change.old_key, change.new_key, change.reason)
            self._client.index(index=self._curation, id=f"{STATUS}|{new}", body=record, refresh=True)
            self._client.delete(index=self._curation, id=f"{STATUS}|{old}", refresh=True, ignore=[404])
        for old, new, change in review_moves:
            record = dict(reviews[old], obligation_id=new[0], passage_id=new[1])
            self._log(who, new[0], audit_field(change), change.old_key, change.new_key, change.reason)
            self._client.index(index=self._curation, id=f"{LINK_REVIEW}|{new[0]}|{new[1]}", body=record, refresh=True)
            self._client.delete(index=self._curation, id=f"{LINK_REVIEW}|{old[0]}|{old[1]}", refresh=True,
                                ignore=[404])
        trail = self.audit_trail() if orphans else []
        for change in orphans:
            if not already_orphaned(trail, change):
                self._log(who, change.obligation_id, audit_field(change), change.old_key, None, change.reason)
        return [c for _, _, c in status_moves] + [c for _, _, c in review_moves] + orphans

    def _log(self, who: str, obligation_id: str, field: str, old: str | None, new: str | None, note: str) -> None:
        at = datetime.now(UTC).isoformat(timespec="seconds")
        self._append(AuditEntry(at, who, obligation_id, field, old, new, note))

    def record_ingest(self, source_file: str, previous_hash: str | None, content_hash: str, who: str) -> None:
        """Append an audit entry for a document ingested (or revised) by ``who``."""
        self._append(ingest_entry(source_file, previous_hash, content_hash, who,
                                  datetime.now(UTC).isoformat(timespec="seconds")))

    def verify_audit(self) -> AuditVerification:
        """Check the audit trail's hash chain (read-only)."""
        return verify_chain([row for _, row in self._chain()])

    def _append(self, entry: AuditEntry) -> None:
        """Create one audit record after the head of the chain; a writer that got there first makes this one retry."""
        if not self._chain_mapped:  # an index made before the chain gains its fields
            self._client.indices.put_mapping(index=self._audit_index, body=bodies.audit_chain_mapping())
            self._chain_mapped = True
        for _ in range(APPEND_TRIES):
            rows = self._chain()
            if rows and all(row.hash is None for _, row in rows):
                self._chain_legacy(rows)
                self._append(AuditEntry(entry.at, entry.who, "", CHAINED, None, None, chained_note(len(rows))))
                continue
            head = next((row for _, row in reversed(rows) if row.hash is not None), None)
            previous = head.hash if head else GENESIS
            seq = max(self._next_seq(), rows[-1][1].seq + 1 if rows else 0)
            self._last_seq = seq
            record = {
                "at": entry.at, "seq": seq, "who": entry.who, "obligation_id": entry.obligation_id, "field": entry.field,
                "old_value": entry.old_value, "new_value": entry.new_value, "note": entry.note, "prev_hash": previous,
                "hash": chain_hash(previous, seq, entry),
            }  # fmt: skip
            try:
                self._client.index(index=self._audit_index, id=f"after-{previous}", body=record, refresh=True,
                                   op_type="create")
                return
            except ConflictError:
                continue  # another writer appended after the same head: read the new head
        raise CurationError(f"could not append to the audit trail in {self._audit_index}: other writers kept "
                            "appending first; nothing was changed, try again")

    def _chain(self) -> list[tuple[str, ChainedEntry]]:
        """Every audit record (its ``_id`` and its place in the chain), oldest first."""
        hits = helpers.scan(self._client, query={"query": {"match_all": {}}}, index=self._audit_index)
        rows = [(hit["_id"], ChainedEntry(int(r["seq"]), AuditEntry(r["at"], r["who"], r["obligation_id"], r["field"],
                                                                     r["old_value"], r["new_value"], r["note"]),
                                          r.get("prev_hash"), r.get("hash")))
                for hit in hits for r in (hit["_source"],)]
        return sorted(rows, key=lambda item: item[1].seq)

    def _chain_legacy(self, rows: list[tuple[str, ChainedEntry]]) -> None:
        """Give the records written before the chain their links, in one bulk request."""
        chained = chain_legacy([row for _, row in rows])
        actions = [{"_op_type": "update", "_index": self._audit_index, "_id": record_id,
                    "doc": {"prev_hash": row.prev_hash, "hash": row.hash}}
                   for (record_id, _), row in zip(rows, chained, strict=True)]
        helpers.bulk(self._client, actions, refresh=True)

    def close(self) -> None:
        """Release the connection (unless the client was handed in: then it is the caller's)."""
        if self._owns_client:
            self._client.close()

    def _change(
        self,
        record_type: str,
        record_id: str,
        obligation_id: str,
        passage_id: str | None,
        field: str,
        value: str | None,
        who: str,
        note: str,
    ) -> None:
        old = self._current(record_id)
        at = datetime.now(UTC).isoformat(timespec="seconds")
        self._append(AuditEntry(at, who, obligation_id, field, old, value, note))
        if value is None:
            self._client.delete(index=self._curation, id=record_id, refresh=True, ignore=[404])
            return
        record = {
            "record_type": record_type, "obligation_id": obligation_id, "passage_id": passage_id, "value": value,
            "note": note, "who": who, "at": at,
        }  # fmt: skip
        self._client.index(index=self._curation, id=record_id, body=record, refresh=True)

    def _current(self, record_id: str) -> str | None:
        try:
            return self._client.get(index=self._curation, id=record_id)["_source"]["value"]
        except NotFoundError:
            return None

    def _next_seq(self) -> int:
        # Nanoseconds order entries across processes; the max() keeps one process's own entries strictly ordered.
        self._last_seq = max(time.time_ns(), self._last_seq + 1)
        return self._last_seq

    def _records(self, record_type: str) -> Iterator[dict[str, Any]]:
        return self._scan(self._curation, {"term": {"record_type": record_type}})

    def _scan(self, index: str, query: dict[str, Any]) -> Iterator[dict[str, Any]]:
        for hit in helpers.scan(self._client, query={"query": query}, index=index):
            yield hit["_source"]
