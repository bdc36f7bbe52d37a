"""Scale benchmark: a generated Council-style collection of 10k (and 100k) passages, end to end.

    .venv/bin/python benchmarks/bench_scale.py                      # 10,000 passages
    .venv/bin/python benchmarks/bench_scale.py --passages 10000 100000
    .venv/bin/python benchmarks/bench_scale.py --passages 100000 --workdir /tmp/scale --keep
    # some phases only, on a kept collection and store (each phase needs what the ones before it make):
    .venv/bin/python benchmarks/bench_scale.py --workdir /tmp/scale --keep --phases read add

For each size it prints: ingest passages/s per stage and end to end (embeddings and evidence included),
re-ingest of the unchanged collection, adding one 50-point document to the full store, search p50/p95/p99
per mode and for `similar` over the project's query and draft sets (more than 100 each), resident memory
at ingest and at search, the store's size on disk, the cold start of `conclusio search --mode lexical` to
its first result, and peers on the same passages and queries (raw SQLite FTS5 bm25(), bm25s, numpy brute
force over the same vectors) as ratios. Each phase runs in a process of its own, so that its memory is
its own. BENCHMARKS.md records the machine, the commands and the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, nargs="+", default=[10_000], help="collection sizes (default 10000)")
    parser.add_argument("--workdir", type=Path, help="where corpora and stores go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora and stores")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--phases", nargs="+", choices=PHASES, default=list(PHASES),
                        help="the phases to run (default all); without 'generate' the kept collection in --workdir is "
                             "used, and 'add' copies the kept store first, so it can be measured again")
    parser.add_argument("--defer-evidence", action="store_true",
                        help="ingest with --defer-evidence (no evidence links, no adding-one-document phase): the "
                        "search, memory and ingest-without-evidence figures of a size whose full link does not fit")
    args = parser.parse_args()
    if set(args.phases) != set(PHASES) and args.workdir is None:
        parser.error("--phases needs --workdir (the collection and store of an earlier run with --keep)")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="conclusio-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    try:
        for size in args.passages:
            run_size(workdir / f"n{size}", size, args.seed, set(args.phases), args.defer_evidence)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


PHASES = ("generate", "ingest", "read", "reingest", "add", "search", "cold")


def run_size(folder: Path, size: int, seed: int, phases: set[str], defer_evidence: bool = False) -> None:
    corpus, store, extra = folder / "corpus", folder / "store", folder / "extra"
    if "generate" in phases:
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        _phase("generate", str(corpus), str(size), str(seed), str(extra))
        print(f"\n== {size:,} passages (generated in {time.perf_counter() - started:.0f} s)")
    else:
        print(f"\n== {size:,} passages (the collection kept in {folder})")
    write = 0.0
    defer = ["defer"] if defer_evidence else []
    if "ingest" in phases:
        shutil.rmtree(store, ignore_errors=True)
        ingest = _phase("ingest", str(corpus), str(store), *defer)
        passages = ingest["passages"]
        if defer_evidence:
            print("evidence deferred (--defer-evidence): the figures below leave out evidence linking")
        print(f"ingest end to end: {ingest['seconds']:.0f} s, {passages / ingest['seconds']:.0f} passages/s "
              f"({ingest['documents']} documents, {passages:,} passages, {ingest['obligations']:,} obligations, "
              f"{ingest['links']:,} evidence links); peak RSS {ingest['rss_mb']:.0f} MB")
        for stage, seconds in ingest["stages"].items():
            rate = f", {passages / seconds:,.0f} passages/s" if seconds > 0 else ""
            print(f"  {stage:<10} {seconds:8.1f} s{rate}")
        write = ingest["stages"].get("write", 0.0)
    if "read" in phases:
        read = _phase("read", str(corpus))
        rate = read["passages"] / read["seconds"]
        print(f"  parse + extract alone ({read['jobs']} worker processes, nothing embedded or written): "
              f"{read['seconds']:.1f} s, {rate:,.0f} passages/s")
        if write:
            print(f"  with the write stage above: {read['passages'] / (read['seconds'] + write):,.0f} passages/s "
                  "without embeddings and evidence")
    if "reingest" in phases:
        again = _phase("ingest", str(corpus), str(store), *defer)
        print(f"re-ingest, nothing changed: {again['seconds']:.1f} s")
    if "add" in phases and defer_evidence:
        print("adding one document: not measured (it would make the deferred full link first)")
    elif "add" in phases:
        target = store
        if "ingest" not in phases:  # measure on a copy: the kept store stays as a full ingest left it
            target = folder / "store-add"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(store, target)
        added = _phase("ingest", str(extra), str(target))
        print(f"adding one {added['passages']}-passage document to the full store: {added['seconds']:.1f} s "
              f"(evidence {added['stages'].get('evidence', 0):.1f} s)")
    if "search" in phases:
        search = _phase("search", str(store))
        for name, row in search["latency"].items():
            print(f"{name:<10} n={row['n']:<4} p50 {row['p50']:7.1f} ms  p95 {row['p95']:7.1f} ms  p99 {row['p99']:7.1f} ms")
        print(f"search process RSS after all queries: {search['rss_mb']:.0f} MB; store on disk {_size_mb(store):.0f} MB")
        for name, row in search["peers"].items():
            print(f"peer {name:<22} p50 {row['p50']:7.2f} ms  (ours / peer at p50: {row['ratio']:.1f}x)")
    if "cold" in phases:
        colds = sorted(_cold_start(store) for _ in range(5))
        print(f"cold start, `conclusio search --mode lexical` to its first result: median of 5 {colds[2]:.2f} s "
              f"(min {colds[0]:.2f}, max {colds[-1]:.2f})")
    print(f"load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _phase(name: str, *arguments: str) -> dict:
    """Run one phase in a process of its own; it prints one JSON line last."""
    output = subprocess.run(
        [PYTHON, __file__, "--phase", name, *arguments], capture_output=True, text=True, cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1"),
    )
    if output.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1]) if output.stdout.strip() else {}


def _cold_start(store: Path) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, "-m", "application", "search", "havens drugssmokkel", "--mode", "lexical", "--store", str(store)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO), HF_HUB_OFFLINE="1"),
    )
    assert process.stdout is not None
    process.stdout.readline()
    seconds = time.perf_counter() - started
    process.communicate()
    return seconds


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentiles(times: list[float]) -> dict:
    ordered = sorted(times)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "p99": at(0.99)}


# ---- phases, each in its own process -------------------------------------------------------


def phase_generate(corpus: str, size: str, seed: str, extra: str) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus_generator import generate, generate_points_document

    generate(REPO / "corpora", Path(corpus), int(size), int(seed))
    generate_points_document(REPO / "corpora", Path(extra), points=50, seed=int(seed) + 1)
    print(json.dumps({}))


def phase_ingest(corpus: str, store: str, defer: str = "") -> None:
    from application import Conclusio
    from application.workers import default_jobs
    from conclusio.settings import Settings

    files = sorted(Path(corpus).glob("*.txt"))
    started = time.perf_counter()
    with Conclusio(Settings.from_env(store_dir=Path(store))) as app:
        report = app.ingest(files, jobs=default_jobs(), defer_evidence=defer == "defer")
        seconds = time.perf_counter() - started
        ingested = [r for r in report.results if r.status == "ingested"]
        links = len(app.store.evidence())
    print(json.dumps({
        "seconds": seconds, "documents": len(report.results), "passages": sum(r.passages for r in ingested),
        "obligations": sum(r.obligations for r in ingested), "links": links,
        "stages": dict(getattr(report, "timings", {}) or {}), "rss_mb": _rss_mb(),
    }))


def phase_read(corpus: str) -> None:
    """Parsing and reading alone (obligations, actors, sentences), in the worker processes an ingest uses."""
    import ingest
    from application.pipeline import _parse_task, _ParseTask, _read_task, _ReadTask
    from application.workers import TaskFailure, Workers, default_jobs
    from conclusio.settings import Settings
    from nlp import build_pipeline

    settings = Settings.from_env()
    files = sorted(Path(corpus).glob("*.txt"))
    jobs = default_jobs()
    started = time.perf_counter()
    passages = 0
    with Workers(settings, jobs, lambda: build_pipeline(settings)) as workers:
        parsed = list(workers.map(_parse_task, [_ParseTask(f, settings.max_file_bytes, settings.ocr_language)
                                                for f in files], needs_pipeline=False))
        tasks = [_ReadTask(f, ingest.with_passage_ids(p.document, p.document.source_file), p.document.source_file, 0.0)
                 for f, p in zip(files, parsed) if not isinstance(p, TaskFailure)]
        for read in workers.map(_read_task, tasks):
            if not isinstance(read, TaskFailure):
                passages += len(read.document.passages)
    print(json.dumps({"seconds": time.perf_counter() - started, "passages": passages, "jobs": jobs}))


def phase_search(store: str) -> None:
    from application import Conclusio
    from conclusio.settings import Settings
    from evaluation import datasets
    from evaluation.search import load_jsonl

    queries = [r["query"] for path in datasets.query_sets() for r in load_jsonl(path)]
    drafts = [r["draft"] for path in datasets.draft_sets() for r in load_jsonl(path)]
    with Conclusio(Settings.from_env(store_dir=Path(store))) as app:
        app.search("warm-up", k=10)
        app.similar("warm-up zin over havens en drugssmokkel", k=5)
        latency = {}
        for mode in ("lexical", "semantic", "hybrid"):
            times = []
            for query in queries:
                started = time.perf_counter()
                app.searcher.search(query, k=10, mode=mode)
                times.append(time.perf_counter() - started)
            latency[mode] = _percentiles(times)
        times = []
        for draft in drafts:
            started = time.perf_counter()
            app.similar(draft, k=5)
            times.append(time.perf_counter() - started)
        latency["similar"] = _percentiles(times)
        peers = _peers(app, queries, latency)
    print(json.dumps({"latency": latency, "peers": peers, "rss_mb": _rss_mb()}))


def _peers(app, queries: list[str], latency: dict) -> dict:
    """The same queries on raw FTS5 bm25(), on bm25s, and numpy brute force over the same vectors."""
    import sqlite3

    import numpy as np

    from index.analysis import analyze

    peers = {}
    database = sqlite3.connect(f"file:{app.settings.store_dir / 'conclusio.sqlite3'}?mode=ro", uri=True)
    analysed = [[t for t in dict.fromkeys(analyze(q))] for q in queries]
    times = []
    for terms in analysed:
        if not terms:
            continue
        expression = "body : (" + " OR ".join('"' + t.replace('"', '""') + '"' for t in terms) + ")"
        started = time.perf_counter()
        database.execute("SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY bm25(passages_fts) "
                         "LIMIT 10", (expression,)).fetchall()
        times.append(time.perf_counter() - started)
    peers["sqlite fts5 bm25()"] = _ratio(times, latency["lexical"])
    try:
        import bm25s
    except ImportError:
        bm25s = None
    if bm25s is not None:
        bodies = [row[0].split() for row in database.execute("SELECT body FROM passages_fts ORDER BY rowid")]
        retriever = bm25s.BM25()
        retriever.index(bodies, show_progress=False)
        times = []
        for terms in analysed:
            if terms:
                started = time.perf_counter()
                retriever.retrieve([terms], k=10, show_progress=False)
                times.append(time.perf_counter() - started)
        peers["bm25s"] = _ratio(times, latency["lexical"])
    rows = database.execute("SELECT count(*) FROM passages").fetchone()[0]
    vectors = app.store.passage_vectors([pid for (pid,) in database.execute("SELECT passage_id FROM passages")])
    vectors = np.asarray(vectors, dtype=np.float32)
    encoded = app.embedder.encode_queries(queries)
    times = []
    for vector in encoded:
        started = time.perf_counter()
        scores = vectors @ vector
        np.argpartition(-scores, 10)[:10]
        times.append(time.perf_counter() - started)
    peers[f"numpy brute force ({rows:,})"] = _ratio(times, latency["semantic"])
    database.close()
    return peers


def _ratio(times: list[float], ours: dict) -> dict:
    p50 = statistics.median(times) * 1000 if times else 0.0
    return {"p50": p50, "ratio": ours["p50"] / p50 if p50 else 0.0}


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--phase":
        globals()[f"phase_{sys.argv[2]}"](*sys.argv[3:])
    else:
        main()
