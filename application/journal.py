"""What an ingest run journals (index.store's run journal) and how a pending run is read back.

A run marks its derived steps pending before its first document commits; a crash leaves them pending
for the next ingest or ``conclusio resume``. A bulk load may also leave its evidence step pending on
purpose (``--defer-evidence``): the payload then says so, and what the user is told differs.
"""

from __future__ import annotations

from collections.abc import Sequence

from index.store import PendingRun

EVIDENCE_STEP, REANCHOR_STEP = "evidence", "reanchor"
DEFERRED = "deferred"  # payload key of an evidence step left pending on request


def deferred(run: PendingRun) -> bool:
    """The run finished writing and left its evidence links for later on request (it was not interrupted)."""
    return any(step.step == EVIDENCE_STEP and step.payload.get(DEFERRED) for step in run.steps)


def pending_message(store_dir: object, runs: Sequence[PendingRun]) -> str:
    """What pending runs left undone and the command that completes it."""
    first = runs[0]
    if all(deferred(run) for run in runs):
        return (f"evidence links in {store_dir} were deferred by the ingest started {first.started_at} "
                f"(run {first.run_id}): search works, statuses wait for the links. "
                f"Link them with: conclusio resume --store {store_dir}")
    return (f"an ingest into {store_dir} was interrupted (run {first.run_id}, started {first.started_at}): "
            f"its evidence links are not refreshed yet. Finish it with: conclusio resume --store {store_dir}")
