"""Latency of search and `similar` on an ingested store, with the model loaded.

    .venv/bin/python benchmarks/bench_search.py [--store DIR] [--repeat 3]

Ingests corpora/ into a temporary store first when --store is not given. Prints the
median and 90th-percentile wall time per query for each mode, over the dev queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an ingested store (default: ingest corpora/ into a temp dir)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, help="embedding threads (default: CONCLUSIO_EMBED_THREADS, else half the cores)")
    args = parser.parse_args()

    from application.pipeline import embedding_units
    from conclusio.settings import Settings
    from index import open_store
    from index.embeddings import load_embedder
    from evaluation import datasets
    from evaluation.search import load_jsonl
    from index.search import Searcher

    store_dir = args.store or Path(tempfile.mkdtemp(prefix="conclusio-bench-"))
    settings = Settings.from_env(store_dir=store_dir, embed_threads=args.threads)
    embedder = load_embedder(settings)
    store = open_store(settings)
    if args.store is None:
        import ingest
        from nlp import build_pipeline

        nlp = build_pipeline(settings)
        started = time.perf_counter()
        for path in sorted((REPO / "corpora").glob("*.txt")):
            document = ingest.parse_file(path)
            units = embedding_units(nlp, document.passages)
            vectors = embedder.encode_passages(units.texts)
            store.write_document(document, vectors, [], embedder.name, vector_passages=units.passages)
        print(f"ingested corpora/ (no obligations) in {time.perf_counter() - started:.1f} s")
    searcher = Searcher.from_settings(settings, store, embedder)
    queries = [r["query"] for r in load_jsonl(datasets.SEARCH_DEV_QUERIES)]
    drafts = [r["draft"] for r in load_jsonl(datasets.SIMILAR_DEV_CASES)]
    searcher.search("warm-up", k=10)  # first call loads lazy state (vector matrix, glossary)
    stats = store.stats()
    print(f"model: {embedder.name}; passages: {stats.passages}; "
          f"weights {searcher.weights}, rrf_k {searcher.rrf_k}, fusion {searcher.fusion}")
    for mode in ("lexical", "semantic", "hybrid"):
        times = []
        for _ in range(args.repeat):
            for query in queries:
                started = time.perf_counter()
                searcher.search(query, k=10, mode=mode)
                times.append(time.perf_counter() - started)
        print(f"search {mode:<9} n={len(times):<4} median {statistics.median(times) * 1000:7.1f} ms"
              f"   p90 {_percentile(times, 0.9) * 1000:7.1f} ms")
    times = []
    for draft in drafts:
        started = time.perf_counter()
        searcher.similar(draft, k=5)
        times.append(time.perf_counter() - started)
    print(f"similar          n={len(times):<4} median {statistics.median(times) * 1000:7.1f} ms"
          f"   p90 {_percentile(times, 0.9) * 1000:7.1f} ms")
    store.close()


if __name__ == "__main__":
    main()
