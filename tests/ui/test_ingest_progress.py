"""The upload page's stage bar: counts per stage and a time left only once it can be told."""

from ui.components import ingest_progress


def test_counts_and_fraction_per_stage():
    assert ingest_progress("parse", 2, 8, 0.2) == (0.25, "reading: 2 of 8 files")
    fraction, text = ingest_progress("write", 1200, 4800, 0.5)
    assert fraction == 0.25 and text == "embedding and writing: 1,200 of 4,800 passages"


def test_time_left_extrapolates_the_stage_pace():
    _, text = ingest_progress("write", 100, 400, 10.0)
    assert text.endswith("about 30 s left")
    _, text = ingest_progress("evidence", 50, 5000, 60.0)
    assert text.endswith("about 1 h 39 min left")


def test_no_estimate_before_the_first_unit_or_after_the_last():
    assert "left" not in ingest_progress("write", 0, 400, 30.0)[1]
    assert "left" not in ingest_progress("write", 400, 400, 30.0)[1]
    assert "left" not in ingest_progress("write", 10, 400, 0.3)[1]  # too early to tell


def test_counts_out_of_range_are_clamped_and_an_unknown_total_shows_the_stage():
    assert ingest_progress("write", 500, 400, 5.0)[0] == 1.0
    assert ingest_progress("evidence", 0, 0, 0.0) == (0.0, "linking evidence…")
