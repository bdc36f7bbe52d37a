"""Obligation status against later reports, on the real ingested sample corpus (as of 2025-11-21)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from tracking.sqlite_curation import SQLiteCurationStore
from index.store import ObligationQuery
from tracking.status import TrackedObligation, status_on, track
from conclusio.records import Deadline, EvidenceLink, Obligation

AS_OF = date(2025, 11, 21)
CONCLUSIONS, ROADMAP, PROGRESS = "000_", "001_", "002_"
CONTRACT_KEYS = {
    "id", "source_file", "doc_number", "doc_title", "doc_date", "paragraph", "page", "actors", "action", "verbs",
    "deadline", "modality", "status", "evidence", "source_text",
}


@pytest.fixture(scope="module")
def tracked(corpus_store) -> list[TrackedObligation]:
    return track(corpus_store, None, as_of=AS_OF)


def _point(rows: list[TrackedObligation], prefix: str, paragraph: str) -> list[TrackedObligation]:
    found = [r for r in rows if r.obligation.source_file.startswith(prefix) and r.obligation.paragraph == paragraph]
    assert found, f"no obligation extracted for {prefix} point {paragraph}"
    return found


def _action_number(label: str | None) -> int | None:
    match = re.match(r"Actie (\d+)", label or "")
    return int(match.group(1)) if match else None


def test_each_roadmap_action_is_linked_to_its_own_progress_section(tracked: list[TrackedObligation]) -> None:
    linked: dict[int, set[int]] = {}
    to_progress = same_action = 0
    for row in tracked:
        number = _action_number(row.obligation.paragraph)
        if not row.obligation.source_file.startswith(ROADMAP) or number is None:
            continue
        for link in row.evidence:
            if link.source_file.startswith(PROGRESS):
                to_progress += 1
                same_action += _action_number(link.paragraph) == number
                linked.setdefault(number, set()).add(_action_number(link.paragraph) or 0)
    assert sorted(n for n, targets in linked.items() if n in targets) == list(range(1, 18))
    assert same_action / to_progress >= 0.9, (same_action, to_progress)


def test_point_27_is_done_by_the_november_2024_report(tracked: list[TrackedObligation]) -> None:
    row = _point(tracked, CONCLUSIONS, "27")[0]
    assert row.obligation.deadline is not None and row.obligation.deadline.end == "2024-12-31"
    assert row.status == "done"
    completions = [e for e in row.evidence if e.status == "completed" and e.source_file.startswith(PROGRESS)]
    assert any("november 2024" in e.text and "bedrijfsstructuren" in e.text for e in completions), row.evidence


def test_point_19_is_linked_to_the_june_2026_inventory_and_not_done(tracked: list[TrackedObligation]) -> None:
    row = _point(tracked, CONCLUSIONS, "19")[0]
    assert row.status != "done"
    assert row.progress == "in progress" and row.status in {"in progress", "due soon"}
    assert row.deciding is not None and "juni 2026" in row.deciding.text
    inventory = [e for e in row.evidence if e.source_file.startswith(PROGRESS) and "juni 2026" in e.text]
    assert inventory, row.evidence
    assert inventory[0].status in {"in_progress", "rescheduled"}
    assert inventory[0].new_end == "2026-06-30"


def test_a_passed_deadline_without_evidence_of_completion_is_overdue(tracked: list[TrackedObligation]) -> None:
    row = _point(tracked, CONCLUSIONS, "28")[0]  # the crime-terror nexus report, due by end 2024
    assert row.obligation.deadline is not None and row.obligation.deadline.end < AS_OF.isoformat()
    assert not any(e.status == "completed" and e.confidence >= 0.5 for e in row.evidence)
    assert row.status == "overdue"


def test_statuses_follow_the_spec(tracked: list[TrackedObligation]) -> None:
    """shared/spec/tracking.md: progress and timeliness apart, then combined into the one status."""
    for row in tracked:
        deadline = row.obligation.deadline
        if row.progress == "done":
            assert row.deciding is not None and row.deciding.status == "completed"
            assert row.status == "done"
            continue
        if row.progress == "in progress":
            assert row.deciding is not None and row.deciding.status in {"in_progress", "rescheduled"}
        else:
            assert row.progress == "no info" and row.deciding is None
        if deadline is None or deadline.end is None:
            assert row.timeliness == "no deadline"
            assert row.status == ("in progress" if row.progress == "in progress" else "no deadline")
        elif deadline.end < AS_OF.isoformat():
            assert row.timeliness == row.status == "overdue"
        elif row.timeliness == "due soon":
            assert row.status == "due soon"
        else:
            assert row.timeliness == "on time"
            assert row.status == ("in progress" if row.progress == "in progress" else "open")
    assert {"done", "overdue", "in progress", "no deadline"} <= {r.status for r in tracked}


def test_evidence_published_after_the_day_asked_does_not_count(corpus_store) -> None:
    rows = track(corpus_store, None, as_of=date(2025, 1, 15))
    row = _point(rows, CONCLUSIONS, "27")[0]
    assert not any(e.source_file.startswith(PROGRESS) for e in row.evidence)
    assert row.status == "overdue"


def test_status_filter_and_query(corpus_store, tracked: list[TrackedObligation]) -> None:
    overdue = track(corpus_store, None, as_of=AS_OF, status="overdue")
    assert overdue and all(r.status == "overdue" for r in overdue)
    assert len(overdue) == sum(r.status == "overdue" for r in tracked)
    europol = track(corpus_store, None, as_of=AS_OF, query=ObligationQuery(actor="Europol"))
    assert europol and all("Europol" in r.obligation.actors for r in europol)


def test_json_is_the_cli_contract(tracked: list[TrackedObligation]) -> None:
    data = _point(tracked, CONCLUSIONS, "27")[0].to_json()
    assert CONTRACT_KEYS <= set(data)
    assert set(data["deadline"]) == {"text", "start", "end", "granularity", "recurrence", "note"}
    assert all({"source_file", "paragraph", "text", "status"} <= set(e) for e in data["evidence"])
    assert data["status_source"] == "computed"


def test_due_soon_within_90_days() -> None:
    deadline = Deadline("eind 2025", "2025-10-01", "2025-12-31", "quarter")
    assert status_on(deadline, date(2025, 11, 21), completed=False) == "due soon"
    assert status_on(deadline, date(2025, 9, 1), completed=False) == "open"
    assert status_on(deadline, date(2026, 1, 1), completed=False) == "overdue"
    assert status_on(deadline, date(2026, 1, 1), completed=True) == "done"
    assert status_on(None, date(2026, 1, 1), completed=False) == "no deadline"


def test_a_report_on_another_actor_does_not_complete_an_obligation(nlp_pipeline) -> None:
    from nlp import find_actors
    from tracking.status import reports_on_actor

    def link(text: str) -> EvidenceLink:  # as evidence linking writes it: with the actors its sentence names
        return EvidenceLink("o", "p", "r.txt", None, text, "completed", 0.9, actors=find_actors(nlp_pipeline, text))

    assert not reports_on_actor(link("In september 2024 organiseerde Eurojust een startvergadering."), ["Commissie"])
    assert reports_on_actor(link("De lidstaten hebben samen met de Commissie de projectgroep opgericht."), ["Commissie"])
    assert reports_on_actor(link("De projectgroep heeft zijn werkzaamheden in januari 2025 afgerond."), ["Commissie"])
    assert reports_on_actor(link("Het EU-Internetforum heeft het kennispakket gepubliceerd."), ["EU-Internetforum"])


@pytest.fixture(scope="module")
def own_corpus(tmp_path_factory, test_settings, embedder, nlp_pipeline, corpus_dir: Path):
    """The conclusions and the progress report in a store of this module's own, which it may change."""
    from application.pipeline import ingest_paths
    from index import open_store

    folder = tmp_path_factory.mktemp("tracked-docs")
    for prefix in (CONCLUSIONS, PROGRESS):
        shutil.copy(next(corpus_dir.glob(f"{prefix}*.txt")), folder)
    settings = test_settings.with_(store_dir=tmp_path_factory.mktemp("tracked-store"))
    store = open_store(settings)

    def ingest() -> None:
        report = ingest_paths([folder], settings=settings, store=store, embedder=lambda: embedder, pipeline=lambda: nlp_pipeline)
        assert report.exit_code == 0 and getattr(report, "evidence_error", None) is None

    ingest()
    yield store, folder, ingest, settings
    store.close()


def test_overrides_and_reviews_apply_and_survive_a_reingest(own_corpus) -> None:
    store, folder, ingest, settings = own_corpus
    curation = SQLiteCurationStore(settings.store_dir / "curation.sqlite3")
    point_28 = _point(track(store, curation, as_of=AS_OF), CONCLUSIONS, "28")[0]
    point_27 = _point(track(store, curation, as_of=AS_OF), CONCLUSIONS, "27")[0]
    assert point_27.status == "done" and point_28.status == "overdue"

    curation.set_status(point_28.obligation.id, "done", "analist", "report received by mail")
    for link in point_27.evidence:
        curation.review_link(point_27.obligation.id, link.passage_id, "rejected", "analist", "not this report")

    def check() -> None:
        rows = track(store, curation, as_of=AS_OF)
        row_28 = next(r for r in rows if r.obligation.id == point_28.obligation.id)
        row_27 = next(r for r in rows if r.obligation.id == point_27.obligation.id)
        assert (row_28.status, row_28.status_source) == ("done", "manual")
        assert "report received by mail" in row_28.status_note
        assert row_27.status == "overdue"  # every completion link rejected
        assert row_27.evidence == [] or all(e.review != "rejected" for e in row_27.evidence)

    check()
    trail = curation.audit_trail()
    progress = next(folder.glob(f"{PROGRESS}*.txt"))
    progress.write_text(progress.read_text(encoding="utf-8") + "\n\nDeze nota wordt ter informatie voorgelegd.\n",
                        encoding="utf-8")
    ingest()
    reopened = SQLiteCurationStore(settings.store_dir / "curation.sqlite3")
    assert reopened.audit_trail() == trail
    curation = reopened
    check()


def test_as_of_views_differ_exactly_where_later_documents_change_things(corpus_store) -> None:
    """`--as-of 2024-06-01` vs `--as-of 2025-11-21`: progress moves only by a report dated in between; any
    other difference is timeliness, moved by the calendar alone."""
    early_day, late_day = date(2024, 6, 1), AS_OF
    early = {r.obligation.id: r for r in track(corpus_store, None, as_of=early_day)}
    late = {r.obligation.id: r for r in track(corpus_store, None, as_of=late_day)}
    assert set(early) == set(late)
    moved_by_reports = 0
    for oid, before in early.items():
        after = late[oid]
        assert all((link.doc_date or "") <= early_day.isoformat() for link in before.evidence)
        if after.progress != before.progress:
            assert after.deciding is not None and early_day.isoformat() < after.deciding.doc_date <= late_day.isoformat()
            moved_by_reports += 1
        elif after.status != before.status:
            assert after.timeliness != before.timeliness and after.obligation.deadline is not None
            assert early_day.isoformat() <= after.obligation.deadline.end or after.timeliness == "overdue"
    assert moved_by_reports >= 5


def test_history_shows_adoption_the_deadline_passing_and_the_report(corpus_store) -> None:
    from tracking.status import history

    row = _point(track(corpus_store, None, as_of=AS_OF), CONCLUSIONS, "27")[0]
    points = history(corpus_store, None, row.obligation.id, until=AS_OF)
    assert [(p.event, p.status) for p in points] == [("adopted", "open"), ("deadline", "overdue"), ("document", "done")]
    assert points[0].on == row.doc_date and points[1].on == "2025-01-01"
    assert points[-1].source.startswith(PROGRESS) and "november 2024" in points[-1].sentence


def test_changes_since_a_day_name_what_was_newly_done_and_newly_overdue(corpus_store) -> None:
    from tracking.status import changes

    found = changes(corpus_store, None, since=date(2024, 9, 1), as_of=AS_OF)
    kinds = {c.kind for c in found}
    assert {"newly done", "newly overdue"} <= kinds
    for change in found:
        if change.kind == "newly done":
            assert change.after.status == "done" != change.before.status
        if change.kind == "newly overdue":
            assert change.after.status == "overdue" != change.before.status
    point_27 = next(c for c in found if c.after.obligation.paragraph == "27" and c.after.obligation.source_file.startswith(CONCLUSIONS))
    assert point_27.kind == "newly done"


def test_a_continuing_commitment_is_never_done(nlp_pipeline) -> None:
    from tracking.status import is_continuing, tracked_on

    obligation = Obligation("c.txt#5#1", "c.txt", "c.txt#3", "5", 1, ["Commissie"],
                            "de Commissie zal het ENCP blijven steunen", ["steunen"], None, "commitment",
                            "De Commissie zal het ENCP blijven steunen.")
    assert is_continuing(obligation)
    completion = EvidenceLink(obligation.id, "r.txt#4", "r.txt", None, "De Commissie heeft het ENCP gesteund.",
                              "completed", 0.9, doc_date="2025-01-01", actors=["Commissie", "ENCP"])
    row = tracked_on(obligation, None, [completion], date(2025, 6, 1))
    assert (row.progress, row.status) == ("in progress", "in progress")


def test_exports_carry_status_progress_and_timeliness(tracked: list[TrackedObligation], tmp_path) -> None:
    import csv
    import io

    from icalendar import Calendar
    from openpyxl import load_workbook

    from tracking.exports import export_obligations

    rows = [r for r in tracked if r.obligation.deadline and r.obligation.deadline.end][:12]
    table = list(csv.DictReader(io.StringIO(export_obligations(rows, "csv").decode("utf-8-sig"))))
    assert [(t["status"], t["progress"], t["timeliness"]) for t in table] == [(r.status, r.progress, r.timeliness) for r in rows]
    (tmp_path / "o.xlsx").write_bytes(export_obligations(rows, "xlsx"))
    sheet = load_workbook(tmp_path / "o.xlsx").active
    header = [c.value for c in sheet[1]]
    values = [dict(zip(header, [c.value for c in line])) for line in sheet.iter_rows(min_row=2)]
    assert [(v["status"], v["progress"], v["timeliness"]) for v in values] == [(r.status, r.progress, r.timeliness) for r in rows]
    events = Calendar.from_ical(export_obligations(rows, "ics")).walk("VEVENT")
    assert [(str(e["X-CONCLUSIO-STATUS"]), str(e["X-CONCLUSIO-PROGRESS"]), str(e["X-CONCLUSIO-TIMELINESS"])) for e in events] == [
        (r.status, r.progress, r.timeliness) for r in rows
    ]
