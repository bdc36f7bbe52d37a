"""Ingest with worker processes: the same store as in one process, and a dying worker fails only its file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from application.pipeline import ingest_paths
from application.workers import WORKER_DIED, TaskFailure, Workers
from index.sqlite_store import SQLiteStore

STAGES = {"parse", "extract", "embed", "write", "evidence"}


def _length_unless_fatal(nlp, text: str):
    """A task as the ingest's are (module level, the pipeline first); 'fatal' kills its worker process outright."""
    if text == "fatal":
        os._exit(9)  # what a segfault in a parser library or the kernel's OOM killer looks like from outside
    return len(nlp(text))


def _store_content(path: Path) -> list[tuple]:
    """What an ingest wrote, in a stable order: passages, obligations, evidence links, vector blobs."""
    database = sqlite3.connect(path / "conclusio.sqlite3")
    try:
        rows = []
        for table, order in (("passages", "passage_id"), ("obligations", "id"),
                             ("evidence", "obligation_id, passage_id"), ("document_vectors", "source_file")):
            columns = [c[1] for c in database.execute(f"PRAGMA table_info({table})")]
            kept = [c for c in columns if c not in {"rowid", "ingested_at", "created_at"}]
            rows.append(database.execute(f"SELECT {', '.join(kept)} FROM {table} ORDER BY {order}").fetchall())
        return rows
    finally:
        database.close()


def test_two_workers_write_what_one_process_writes(tmp_path, corpus_dir, test_settings, embedder, nlp_pipeline):
    stores = {}
    for jobs in (1, 2):
        settings = test_settings.with_(store_dir=tmp_path / f"jobs{jobs}")
        store = SQLiteStore(settings.store_dir)
        results = []
        try:
            report = ingest_paths([corpus_dir], settings=settings, store=store, embedder=lambda: embedder,
                                  pipeline=lambda: nlp_pipeline, jobs=jobs, on_result=results.append)
        finally:
            store.close()
        assert report.counts["ingested"] == 5 and report.exit_code == 0
        assert set(report.timings) == STAGES and all(seconds >= 0 for seconds in report.timings.values())
        # results in input order whatever order the workers finished in
        assert [Path(r.path).name for r in results] == sorted(p.name for p in corpus_dir.glob("*.txt"))
        stores[jobs] = _store_content(settings.store_dir)
    assert stores[1] == stores[2]
    assert all(stores[1])  # passages, obligations and evidence links were all written


def test_a_dying_worker_fails_its_task_only(test_settings, nlp_pipeline):
    texts = ["De Raad verzoekt Europol.", "fatal", "De lidstaten zullen rapporteren.", "Eén.", "Twee woorden."]
    with Workers(test_settings, 2, lambda: nlp_pipeline) as workers:
        results = list(workers.map(_length_unless_fatal, texts))
    assert results[1] == TaskFailure(WORKER_DIED)
    assert results[:1] + results[2:] == [len(nlp_pipeline(t)) for t in texts if t != "fatal"]


def test_one_job_runs_in_this_process_with_its_pipeline(test_settings, nlp_pipeline):
    with Workers(test_settings, 1, lambda: nlp_pipeline) as workers:
        texts = ["Eén zin.", "Nog een zin hier."]
        assert list(workers.map(_length_unless_fatal, texts)) == [len(nlp_pipeline(t)) for t in texts]
        assert workers._pool is None
