"""Benchmark: parse and extract obligations from every file in corpora/ (no embeddings).

Run: .venv/bin/python benchmarks/bench_extraction.py [CORPUS_DIR]
The pipeline is built once (not timed); the figure is parse + extract over the whole corpus.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ingest import discover, parse_file
from nlp import build_pipeline, extract_obligations

TARGET_SECONDS = 5.0


def main(corpus_dir: Path) -> None:
    """Print per-document counts and the total parse + extract time."""
    started = time.perf_counter()
    pipeline = build_pipeline()
    build_seconds = time.perf_counter() - started
    files, _ = discover([corpus_dir])
    counts = {}
    parse_seconds = extract_seconds = 0.0
    for path in files:
        started = time.perf_counter()
        document = parse_file(path)
        parsed = time.perf_counter()
        counts[Path(path).name] = len(extract_obligations(pipeline, document))
        parse_seconds += parsed - started
        extract_seconds += time.perf_counter() - parsed
    seconds = parse_seconds + extract_seconds
    for name, count in counts.items():
        print(f"{name}: {count} obligations")
    print(f"pipeline build: {build_seconds:.2f} s (once)")
    print(f"parse: {parse_seconds:.2f} s, extract: {extract_seconds:.2f} s")
    print(f"parse + extract {len(files)} files: {seconds:.2f} s (target < {TARGET_SECONDS:.0f} s) {'OK' if seconds < TARGET_SECONDS else 'TOO SLOW'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "corpora")
