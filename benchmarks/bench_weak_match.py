"""Where the weak-match notice falls: real queries against off-topic ones, by keyword matches and best cosine.

    .venv/bin/python benchmarks/bench_weak_match.py [--store DIR]

The search page says "nothing matched well" when no keyword matched and the best semantic similarity
is below CONCLUSIO_WEAK_SIMILARITY (fused scores are relative, so a nonsense query's first hit scores
high anyway). This prints, for the dev and check queries (real questions about the corpus) and for
off-topic queries written for this script, how many get the notice and the highest and lowest best
cosine of each group, so that the threshold can be set for another embedding model.
Ingests corpora/ into a temporary store first when --store is not given.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent
OFF_TOPIC = (  # nothing in Council documents on crime and drugs answers these
    "qwxz blorp fnord", "zzzz", "recept voor appeltaart met kaneel", "voetbal uitslagen eredivisie",
    "zonnepanelen subsidie aanvragen", "kat hond", "the weather tomorrow in paris", "beste camping in Frankrijk",
    "hoe repareer ik een lekke fietsband", "Mozart pianoconcert nummer 21", "Rezept für Apfelstrudel",
    "horaires des marées à Saint-Malo",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an ingested store (default: ingest corpora/ into a temp dir)")
    args = parser.parse_args()

    from application import Conclusio
    from conclusio.settings import Settings

    with tempfile.TemporaryDirectory() as scratch:
        store = args.store or Path(scratch) / "store"
        settings = Settings.from_env(store_dir=store)
        with Conclusio(settings) as app:
            if args.store is None:
                app.ingest([REPO / "corpora"])
            real = [json.loads(line)["query"] for name in ("search_dev_queries", "search_check_queries")
                    for line in (REPO / "evaluation" / "data" / f"{name}.jsonl").read_text("utf-8").splitlines()
                    if line.strip()]
            print(f"model {app.embedder.name}, CONCLUSIO_WEAK_SIMILARITY {settings.weak_similarity}")
            for group, queries in (("real", real), ("off-topic", list(OFF_TOPIC))):
                answers = [app.search(query, k=10) for query in queries]
                flagged = [q for q, a in zip(queries, answers) if a.weak_match]
                best = [a.result.best_similarity or 0.0 for a in answers]
                unmatched = [b for b, a in zip(best, answers) if not a.result.keyword_matches]
                print(f"{group}: {len(queries)} queries, {len(flagged)} with the notice; best cosine "
                      f"{min(best):.3f}-{max(best):.3f}; without a keyword match: {len(unmatched)}"
                      + (f", best cosine {min(unmatched):.3f}-{max(unmatched):.3f}" if unmatched else ""))
                for query in flagged if group == "real" else [q for q in queries if q not in flagged]:
                    print(f"  {'notice on a real query' if group == 'real' else 'no notice'}: {query}")


if __name__ == "__main__":
    main()
