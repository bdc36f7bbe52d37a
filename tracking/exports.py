"""Obligation exports for analysts: JSON, CSV, Excel, Markdown and iCalendar; the CLI and UI both call this.

Every tabular format carries the same flat columns (``COLUMNS``), so a CSV or an .xlsx sheet reads
back to the same rows; the sheet holds dates as real date cells and pages as numbers, so Excel sorts
and filters them as such. The CSV opens in Excel as written: UTF-8 with a byte-order mark (without it
Excel reads "België" as "BelgiÃ«"), and with ``delimiter=";"`` for a Dutch Excel, whose list separator
is the semicolon. The analyst's note and the reviewed evidence links are columns too. The calendar has
one all-day event per obligation with a due date, on that date, with a UID derived from the obligation
id so re-exports update events instead of duplicating.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

from conclusio.errors import ConclusioError
from conclusio.text import json_text, printable
from tracking.status import TrackedObligation

ExportFormat = Literal["json", "csv", "xlsx", "md", "ics"]
FORMATS: tuple[str, ...] = ("json", "csv", "xlsx", "md", "ics")
CSV_DELIMITERS: tuple[str, ...] = (",", ";")

COLUMNS: tuple[str, ...] = (
    "id", "status", "progress", "timeliness", "status_source", "actors", "action", "deadline_text", "deadline_end",
    "granularity", "recurrence", "expected_end", "modality", "verbs", "doc_number", "doc_title", "doc_date",
    "source_file", "paragraph", "page", "deciding_sentence", "deciding_source", "evidence", "source_text",
    "note", "reviews",
)
DATE_COLUMNS = frozenset({"deadline_end", "expected_end", "doc_date"})  # real date cells in a sheet
NUMBER_COLUMNS = frozenset({"page"})
_WIDE_COLUMNS = {"action": 60, "evidence": 60, "source_text": 80, "doc_title": 40, "deciding_sentence": 60,
                 "note": 40, "reviews": 60}
_SUMMARY_LENGTH = 70


class ExportError(ConclusioError, ValueError):
    """An export was asked for in a format this module does not write, or its file cannot be written."""


def export_obligations(
    rows: Sequence[TrackedObligation], fmt: ExportFormat, path: Path | None = None, *, delimiter: str = ","
) -> bytes:
    """The rows in ``fmt``; also written to ``path`` when one is given. ``delimiter`` separates CSV fields."""
    writers = {"json": _json, "csv": lambda r: _csv(r, delimiter), "xlsx": _xlsx, "md": _markdown, "ics": _ics}
    if fmt not in writers:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    check_delimiter(delimiter)
    data = writers[fmt](rows)
    if path is not None:
        write_output(Path(path), data)
    return data


def write_output(path: Path, data: bytes) -> None:
    """Write an export file, or an ExportError naming the file and why it cannot be written."""
    if not path.parent.is_dir():
        raise ExportError(f"cannot write {path}: the folder {path.parent} does not exist")
    try:
        path.write_bytes(data)
    except OSError as e:
        raise ExportError(f"cannot write {path}: {e.strerror or e}") from e


def flat_row(row: TrackedObligation) -> dict[str, str]:
    """One obligation as the flat, all-text columns of the tabular exports."""
    o, deadline = row.obligation, row.obligation.deadline
    evidence = " | ".join(
        f"[{link.status}] {link.source_file}" + (f" {link.paragraph}" if link.paragraph else "") + f": {link.text}"
        for link in row.evidence
    )
    deciding = row.deciding
    values: dict[str, Any] = {
        "id": o.id,
        "status": row.status,
        "progress": row.progress,
        "timeliness": row.timeliness,
        "status_source": row.status_source,
        "actors": "; ".join(o.actors),
        "action": o.action,
        "deadline_text": deadline.text if deadline else "",
        "deadline_end": deadline.end if deadline else "",
        "granularity": deadline.granularity if deadline else "",
        "recurrence": deadline.recurrence if deadline else "",
        "expected_end": row.expected_end,
        "modality": o.modality,
        "verbs": "; ".join(o.verbs),
        "doc_number": row.doc_number,
        "doc_title": row.doc_title,
        "doc_date": row.doc_date,
        "source_file": o.source_file,
        "paragraph": o.paragraph,
        "page": o.page,
        "deciding_sentence": deciding.text if deciding else "",
        "deciding_source": _where(deciding) if deciding else "",
        "evidence": evidence,
        "source_text": o.source_text,
        "note": row.status_note if row.status_source == "manual" else "",
        "reviews": _reviews(row),
    }
    # Control characters would act on a terminal and make openpyxl refuse the sheet: they are left out.
    return {key: "" if values[key] is None else printable(str(values[key])) for key in COLUMNS}


def _json(rows: Sequence[TrackedObligation]) -> bytes:
    return json_text([row.to_json() for row in rows], indent=2).encode("utf-8")


def _csv(rows: Sequence[TrackedObligation], delimiter: str) -> bytes:
    return table_csv(COLUMNS, [flat_row(row) for row in rows], delimiter=delimiter)


def _xlsx(rows: Sequence[TrackedObligation]) -> bytes:
    return table_xlsx(COLUMNS, [flat_row(row) for row in rows], sheet_title="Obligations", wide=_WIDE_COLUMNS,
                      dates=DATE_COLUMNS, numbers=NUMBER_COLUMNS)


def check_delimiter(delimiter: str) -> None:
    """An ExportError unless ``delimiter`` is one the CSV export writes."""
    if delimiter not in CSV_DELIMITERS:
        raise ExportError(f"unknown CSV delimiter {delimiter!r}: use one of {' '.join(CSV_DELIMITERS)}")


def table_csv(columns: Sequence[str], rows: Sequence[dict[str, str]], *, delimiter: str = ",") -> bytes:
    """Rows of text as CSV that Excel opens as written: UTF-8 with a byte-order mark, every field quoted as needed."""
    check_delimiter(delimiter)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(
    columns: Sequence[str],
    rows: Sequence[dict[str, str]],
    *,
    sheet_title: str,
    wide: dict[str, int] | None = None,
    dates: frozenset[str] = frozenset(),
    numbers: frozenset[str] = frozenset(),
) -> bytes:
    """Rows of text as one sheet: a bold, frozen header with a filter; ISO dates in ``dates`` columns as date
    cells and whole numbers in ``numbers`` columns as numbers, so that Excel sorts and filters them as such."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wide = wide or {}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        sheet.append([_cell_value(values.get(c, ""), c in dates, c in numbers) for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column in dates:
            for cell in sheet[letter][1:]:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        longest = max((len(str(c.value or "")) for c in sheet[letter]), default=len(column))
        sheet.column_dimensions[letter].width = wide.get(column, min(max(len(column), longest) + 2, 30))
        if column in dates:
            sheet.column_dimensions[letter].width = max(len(column) + 2, 12)
        if column in wide:
            for cell in sheet[letter][1:]:
                cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_value(text: str, is_date: bool, is_number: bool) -> Any:
    """A sheet cell's value: a date or a number where the column holds them and the text is one, else the text."""
    if not text:
        return None
    if is_date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    if is_number and text.isdigit():
        return int(text)
    return text


def _markdown(rows: Sequence[TrackedObligation]) -> bytes:
    columns = ("status", "progress", "timeliness", "actors", "action", "deadline_end", "expected_end", "source_file",
               "paragraph", "page", "id")
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        values = flat_row(row)
        lines.append("| " + " | ".join(_md_cell(values[c]) for c in columns) + " |")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _md_cell(value: str) -> str:
    return " ".join(value.split()).replace("|", "\\|")


def _ics(rows: Sequence[TrackedObligation]) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Conclusio//obligations//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Conclusio obligations")
    for row in rows:
        deadline = row.obligation.deadline
        if deadline is None or deadline.end is None:
            continue
        o = row.obligation
        day = date.fromisoformat(deadline.end)
        event = Event()
        event.add("uid", _uid(o.id))
        event.add("dtstamp", _stamp(row))
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1) if day < date.max else day)
        event.add("summary", printable(_summary(row), one_line=True))
        event.add("description", printable(_description(row)))
        event.add("categories", [row.status])
        event.add("x-conclusio-status", row.status)
        event.add("x-conclusio-progress", row.progress)
        event.add("x-conclusio-timeliness", row.timeliness)
        if deadline.recurrence:
            event.add("x-conclusio-recurrence", deadline.recurrence)
        calendar.add_component(event)
    return calendar.to_ical()


def _summary(row: TrackedObligation) -> str:
    actors = ", ".join(row.obligation.actors) or "?"
    action = " ".join(row.obligation.action.split())
    text = f"{actors}: {action}"
    return text if len(text) <= _SUMMARY_LENGTH else text[: _SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _description(row: TrackedObligation) -> str:
    o = row.obligation
    source = ", ".join(
        part for part in (row.doc_number or o.source_file, f"punt {o.paragraph}" if o.paragraph else "",
                          f"p. {o.page}" if o.page else "") if part
    )
    lines = [
        f"Actor: {', '.join(o.actors)}",
        f"Actie: {' '.join(o.action.split())}",
        f"Termijn: {o.deadline.text if o.deadline else ''}",
        f"Bron: {source} ({o.source_file})",
        f"Status: {row.status}" + (" (handmatig)" if row.status_source == "manual" else ""),
        f"Voortgang: {row.progress}",
        f"Tijdigheid: {row.timeliness}",
    ]
    if row.deciding is not None:
        lines.append(f"Bewijs: {' '.join(row.deciding.text.split())} ({_where(row.deciding)})")
    if row.expected_end:
        lines.append(f"Verwacht: {row.expected_end}")
    return "\n".join(lines)


def _reviews(row: TrackedObligation) -> str:
    """The evidence links an analyst confirmed or rejected: verdict, where the passage is, and its id."""
    reviewed = [link for link in row.evidence if link.review] + list(row.rejected_evidence)
    return " | ".join(
        f"{link.review}: " + ", ".join(p for p in (link.source_file, link.paragraph or "") if p) + f" ({link.passage_id})"
        for link in reviewed
    )


def _where(link) -> str:
    """Where an evidence sentence is: document, date, paragraph and page."""
    parts = [link.source_file, link.doc_date or "", link.paragraph or "", f"p. {link.page}" if link.page else ""]
    return ", ".join(part for part in parts if part)


def _uid(obligation_id: str) -> str:
    return hashlib.sha1(obligation_id.encode("utf-8")).hexdigest() + "@conclusio"


def _stamp(row: TrackedObligation):
    from datetime import datetime, timezone

    # a fixed stamp per document date keeps exports byte-stable for unchanged data
    day = date.fromisoformat(row.doc_date) if row.doc_date else date(2000, 1, 1)
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
