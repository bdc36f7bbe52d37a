"""The tracking gold of evaluation/data/tracking through the real pipeline, model and store: the figures
the README reports must not fall (floors a little under them), and a wrong `done` is never allowed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from application import Conclusio
from evaluation.tracking import evaluate_tracking

DATA = Path(__file__).resolve().parents[2] / "evaluation" / "data" / "tracking"


def test_the_roadmap_of_001_tracked_in_its_report_002(ingested_corpus):
    as_of = date(2025, 11, 21)
    with Conclusio(ingested_corpus.settings) as app:
        figures = evaluate_tracking(DATA / "pair_001_002.gold.jsonl", app.obligations(as_of=as_of), as_of).figures()
    assert figures["found"] >= 70
    assert figures["done_without_completion_sentence"] == 0
    assert figures["false_done"] <= 2
    # floors a little under the README's figures, so that only a real fall fails
    assert figures["progress_accuracy"] >= 0.58
    assert figures["deciding_sentence"] >= 0.38


def test_the_conclusions_of_004_tracked_in_two_later_reports(ingested_corpus, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(ingested_corpus.settings.store_dir, store)
    with Conclusio(ingested_corpus.settings.with_(store_dir=store)) as app:
        app.ingest([DATA / "report_004_dev.md"])
        first = date(2025, 2, 5)
        dev = evaluate_tracking(DATA / "report_004_dev.gold.jsonl", app.obligations(as_of=first), first).figures()
        app.ingest([DATA / "report_004_heldout.md"])
        second = date(2026, 2, 3)
        later = evaluate_tracking(DATA / "report_004_heldout.gold.jsonl", app.obligations(as_of=second), second).figures()
    assert dev["found"] == 20 and later["found"] == 20
    for figures in (dev, later):
        assert figures["false_done"] == 0 and figures["done_without_completion_sentence"] == 0
    assert dev["progress_accuracy"] >= 0.75 and dev["deciding_sentence"] >= 0.65
    assert later["progress_accuracy"] >= 0.65 and later["deciding_sentence"] >= 0.45


def test_three_later_reports_written_blind_point_by_point_by_theme_and_by_action_table(ingested_corpus, tmp_path):
    """Run once as held-out material (README, "Tracking"); the floors keep those figures from falling."""
    store = tmp_path / "store"
    shutil.copytree(ingested_corpus.settings.store_dir, store)
    days = {"report_000": date(2025, 5, 14), "report_003": date(2025, 10, 2), "report_x": date(2025, 4, 15)}
    with Conclusio(ingested_corpus.settings.with_(store_dir=store)) as app:
        app.ingest([DATA / name for name in ("report_000.md", "report_003.md", "plan_x.md", "report_x.md")])
        figures = {name: evaluate_tracking(DATA / f"{name}.gold.jsonl", app.obligations(as_of=day), day).figures()
                   for name, day in days.items()}
    assert figures["report_000"]["found"] == 25 and figures["report_x"]["found"] == 19
    assert all(f["done_without_completion_sentence"] == 0 for f in figures.values())
    assert figures["report_000"]["false_done"] <= 1 and figures["report_x"]["false_done"] <= 2
    assert figures["report_003"]["false_done"] == 0  # its source has no date: nothing is later, nothing is linked
    assert figures["report_000"]["progress_accuracy"] >= 0.36 and figures["report_000"]["deciding_sentence"] >= 0.27
    assert figures["report_x"]["progress_accuracy"] >= 0.52 and figures["report_x"]["deciding_sentence"] >= 0.62
