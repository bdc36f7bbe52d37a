"""Exports read back in their own tools: csv, openpyxl/pandas, icalendar, json."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from conclusio.records import Deadline, EvidenceLink, Obligation
from tracking.exports import COLUMNS, ExportError, export_obligations, flat_row
from tracking.status import TrackedObligation


def _row(n: int, deadline: Deadline | None, status: str, actors: list[str]) -> TrackedObligation:
    obligation = Obligation(
        id=f"conclusions.txt#{n}#1",
        source_file="conclusions.txt",
        passage_id=f"conclusions.txt#{n + 40}",
        paragraph=str(n),
        page=3,
        actors=actors,
        action=f'tegen eind 2024 een specifiek verslag nummer {n} te publiceren over "legale" structuren; met | teken',
        verbs=["publiceren"],
        deadline=deadline,
        modality="request",
        source_text=f"{n}. tegen eind 2024 een specifiek verslag te publiceren,\nmet een tweede regel. " + "lang " * 60,
    )
    evidence = [
        EvidenceLink(obligation.id, "report.txt#76", "report.txt", "Actie 10", "Het verslag werd voorgelegd.",
                     "completed", 0.8, "2025-11-21", None, "doc_reference")
    ]
    return TrackedObligation(obligation, "11153/24", "Conclusies van de Raad", "2024-06-13", status, evidence=evidence)


@pytest.fixture()
def rows() -> list[TrackedObligation]:
    return [
        _row(27, Deadline("tegen eind 2024", "2024-10-01", "2024-12-31", "quarter"), "done", ["Europol"]),
        _row(19, Deadline("tweejaarlijks ..., in 2026", "2026-01-01", "2026-12-31", "year", "P2Y"), "open",
             ["lidstaten", "Europol"]),
        _row(10, None, "no deadline", ["lidstaten"]),
    ]


def test_json_is_the_cli_contract(rows: list[TrackedObligation]) -> None:
    data = json.loads(export_obligations(rows, "json"))
    assert [d["id"] for d in data] == [r.obligation.id for r in rows]
    contract = {"id", "source_file", "doc_number", "doc_title", "doc_date", "paragraph", "page", "actors", "action",
                "verbs", "deadline", "modality", "status", "evidence", "source_text"}
    assert contract <= set(data[0])
    assert set(data[0]["deadline"]) == {"text", "start", "end", "granularity", "recurrence", "note"}
    assert data[2]["deadline"] is None
    assert {"source_file", "paragraph", "text", "status"} <= set(data[0]["evidence"][0])


def test_csv_round_trips_with_the_csv_module(rows: list[TrackedObligation], tmp_path: Path) -> None:
    path = tmp_path / "obligations.csv"
    data = export_obligations(rows, "csv", path)
    assert path.read_bytes() == data
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark that makes Excel read UTF-8
    read = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert read == [flat_row(r) for r in rows]
    assert "\n" in read[0]["source_text"] and "|" in read[0]["action"]


def test_csv_for_a_dutch_excel_is_separated_by_semicolons(rows: list[TrackedObligation]) -> None:
    rows[0].obligation.action += "; met een puntkomma, en een komma"
    data = export_obligations(rows, "csv", delimiter=";")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ";".join(COLUMNS)
    assert list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";")) == [flat_row(r) for r in rows]
    with pytest.raises(ExportError, match="delimiter"):
        export_obligations(rows, "csv", delimiter="\t")


def _cell_text(value) -> str:
    """A sheet cell as the flat text column holds it: dates as ISO, numbers as digits, empty as ''."""
    if value is None:
        return ""
    return value.date().isoformat() if hasattr(value, "date") and callable(value.date) else str(value)


def test_xlsx_reads_back_to_the_same_rows(rows: list[TrackedObligation], tmp_path: Path) -> None:
    path = tmp_path / "obligations.xlsx"
    export_obligations(rows, "xlsx", path)
    sheet = load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(COLUMNS)
    expected = [[flat_row(r)[c] for c in COLUMNS] for r in rows]
    assert [[_cell_text(v) for v in row] for row in values[1:]] == expected
    due = sheet.cell(row=2, column=COLUMNS.index("deadline_end") + 1)
    assert due.is_date and due.value.date() == date(2024, 12, 31) and due.number_format == "yyyy-mm-dd"
    assert sheet.cell(row=2, column=COLUMNS.index("doc_date") + 1).is_date
    assert sheet.cell(row=2, column=COLUMNS.index("page") + 1).value == 3
    assert sheet.cell(row=4, column=COLUMNS.index("deadline_end") + 1).value is None  # no deadline: an empty cell
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    action = sheet.cell(row=1, column=COLUMNS.index("action") + 1).column_letter
    assert sheet.column_dimensions[action].width >= 40
    assert sheet[f"{action}2"].alignment.wrap_text
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_excel(path, dtype=str, keep_default_na=False)
    assert frame["id"].tolist() == [r.obligation.id for r in rows]
    assert frame["status"].tolist() == ["done", "open", "no deadline"]
    assert str(pandas.read_excel(path)["deadline_end"].dtype).startswith("datetime64")


def test_notes_and_reviews_are_exported(rows: list[TrackedObligation], tmp_path: Path) -> None:
    from dataclasses import replace

    confirmed = replace(rows[0].evidence[0], review="confirmed")
    rejected = replace(rows[0].evidence[0], passage_id="report.txt#80", paragraph="Actie 11", review="rejected")
    rows[0] = replace(rows[0], status_source="manual", status_note="set by anna on 2025-12-01: gezien in COSI",
                      evidence=[confirmed], rejected_evidence=[rejected])
    flat = flat_row(rows[0])
    assert flat["note"] == "set by anna on 2025-12-01: gezien in COSI"
    assert flat["reviews"] == ("confirmed: report.txt, Actie 10 (report.txt#76) | "
                               "rejected: report.txt, Actie 11 (report.txt#80)")
    assert flat_row(rows[1])["note"] == "" and flat_row(rows[1])["reviews"] == ""
    read = list(csv.DictReader(io.StringIO(export_obligations(rows, "csv").decode("utf-8-sig"), newline="")))
    assert read[0]["note"] == flat["note"] and read[0]["reviews"] == flat["reviews"]


def test_markdown_is_one_table_row_per_obligation(rows: list[TrackedObligation]) -> None:
    lines = export_obligations(rows, "md").decode("utf-8").splitlines()
    assert len(lines) == 2 + len(rows)
    assert all(line.startswith("|") and line.endswith("|") for line in lines)
    assert lines[2].count(" | ") == lines[0].count(" | ")  # the | inside the action is escaped


def test_ics_has_one_all_day_event_per_dated_obligation(rows: list[TrackedObligation]) -> None:
    calendar = Calendar.from_ical(export_obligations(rows, "ics"))
    events = calendar.walk("VEVENT")
    assert len(events) == 2  # the obligation without a deadline has no date
    first = events[0]
    assert first.decoded("dtstart") == date(2024, 12, 31)
    assert str(first["summary"]).startswith("Europol: tegen eind 2024")
    assert len(str(first["summary"])) <= 70
    description = str(first["description"])
    assert "11153/24" in description and "punt 27" in description and "p. 3" in description and "done" in description
    again = Calendar.from_ical(export_obligations(rows, "ics")).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in again]
    assert len({str(e["uid"]) for e in events}) == 2


def test_unknown_format_is_refused(rows: list[TrackedObligation]) -> None:
    with pytest.raises(ExportError, match="pdf"):
        export_obligations(rows, "pdf")  # type: ignore[arg-type]


def test_corpus_obligations_read_back_from_every_format(corpus_store, tmp_path: Path) -> None:
    from tracking import track

    rows = track(corpus_store, None, as_of=date(2025, 11, 21))
    assert rows
    ids = [r.obligation.id for r in rows]
    read_csv = list(csv.DictReader(io.StringIO(export_obligations(rows, "csv").decode("utf-8-sig"), newline="")))
    assert read_csv == [flat_row(r) for r in rows]
    export_obligations(rows, "xlsx", tmp_path / "all.xlsx")
    sheet = load_workbook(tmp_path / "all.xlsx").active
    read_xlsx = [dict(zip(COLUMNS, (_cell_text(v) for v in values), strict=True))
                 for values in sheet.iter_rows(min_row=2, values_only=True)]
    assert read_xlsx == read_csv
    assert [d["id"] for d in json.loads(export_obligations(rows, "json"))] == ids
    events = Calendar.from_ical(export_obligations(rows, "ics")).walk("VEVENT")
    dated = [r for r in rows if r.obligation.deadline and r.obligation.deadline.end]
    assert len(events) == len(dated)
    assert {e.decoded("dtstart").isoformat() for e in events} == {r.obligation.deadline.end for r in dated}
    assert len(export_obligations(rows, "md").decode("utf-8").splitlines()) == len(rows) + 2
