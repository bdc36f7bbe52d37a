"""Benchmark: ingest a corpus into a fresh SQLite store, re-ingest it, and time searches.

Run: .venv/bin/python benchmarks/bench_ingest.py [CORPUS_DIR] [QUERIES.jsonl]
Model loading and pipeline building are not timed. Re-ingest must find every file unchanged.
Search latency is the median over 20 queries (from the dev query file when present), per mode;
peak resident memory of the process is printed last.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from application.pipeline import ingest_paths  # noqa: E402
from conclusio.settings import REPO_ROOT, Settings  # noqa: E402
from index import open_store  # noqa: E402
from index.embeddings import load_embedder  # noqa: E402
from index.store import LexicalQuery, SearchFilters  # noqa: E402
from index.search import Searcher  # noqa: E402
from evaluation.datasets import SEARCH_DEV_QUERIES  # noqa: E402
from nlp import build_pipeline  # noqa: E402

FALLBACK_QUERIES = [
    "verslag van Europol over legale bedrijfsstructuren",
    "Europol verslag criminele netwerken",
    "havens drugshandel",
    "preventie jeugdcriminaliteit",
    "uiterlijk eind 2025",
]


def queries(path: Path) -> list[str]:
    """Twenty queries: the dev set's, else a few typical ones repeated."""
    found = []
    if path.exists():
        found = [json.loads(line)["query"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = found or FALLBACK_QUERIES
    return (found * 20)[:20]


def median_ms(run, items: list[str]) -> float:
    times = []
    for item in items:
        started = time.perf_counter()
        run(item)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(corpus_dir: Path, queries_file: Path) -> None:
    """Print the figures."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings.from_env(store_dir=Path(folder))
        embedder = load_embedder(settings)
        pipeline = build_pipeline()
        store = open_store(settings)
        started = time.perf_counter()
        first = ingest_paths([corpus_dir], settings=settings, store=store, embedder=lambda: embedder, pipeline=lambda: pipeline)
        ingest_seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = ingest_paths([corpus_dir], settings=settings, store=store, embedder=lambda: embedder, pipeline=lambda: pipeline)
        reingest_seconds = time.perf_counter() - started
        stats = store.stats()

        print(f"model:               {embedder.name} (dim {embedder.dim})")
        print(f"files:               {first.counts}")
        print(f"ingest:              {ingest_seconds:.1f} s  ({stats.passages} passages, {stats.obligations} obligations)")
        print(f"evidence refreshed:  {first.evidence_refreshed} {first.evidence_error or ''}")
        print(f"re-ingest:           {reingest_seconds:.2f} s  {again.counts}")

        asked = queries(queries_file)
        vectors = {q: embedder.encode_queries([q])[0] for q in asked}
        keyword = median_ms(lambda q: store.keyword_search(LexicalQuery(q), SearchFilters(), 10), asked)
        vector = median_ms(lambda q: store.vector_search(vectors[q], SearchFilters(), 10), asked)
        encode = median_ms(lambda q: embedder.encode_queries([q]), asked)
        print(f"keyword search:      {keyword:.1f} ms median (store only)")
        print(f"vector search:       {vector:.1f} ms median (store only, query already encoded)")
        print(f"query encoding:      {encode:.1f} ms median")
        searcher = Searcher.from_settings(settings, store, embedder)
        for mode in ("hybrid", "lexical", "semantic"):
            ms = median_ms(lambda q, mode=mode: searcher.search(q, k=10, mode=mode), asked)
            print(f"search ({mode}):{' ' * (12 - len(mode))}{ms:.1f} ms median (index.search, with encoding)")
        # ru_maxrss is in KiB on Linux: the peak of the whole process, model included.
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory:         {peak_mib:.0f} MiB resident (model, pipeline, store and corpus)")
        store.close()


if __name__ == "__main__":
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO_ROOT / "corpora"
    query_file = Path(sys.argv[2]) if len(sys.argv) > 2 else SEARCH_DEV_QUERIES
    main(corpus, query_file)
