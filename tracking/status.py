"""Obligation tracking: the status of every obligation on a given day, from evidence and curation.

Status rules (shared/spec/deadlines.md), in order:
1. a manual status override wins and is shown as such (``status_source == "manual"``);
2. ``done`` when a completion is linked: a link read as ``completed`` that is confirmed by a user,
   or found by the machine with at least ``DONE_CONFIDENCE`` and not rejected;
3. ``no deadline`` when the obligation has none;
4. ``overdue`` when the deadline's end has passed, ``due soon`` within 90 days of it, else ``open``.

A rescheduled obligation (a later report expects it after its deadline) keeps its status against
the ORIGINAL deadline and carries ``rescheduled: true`` and ``expected_end``. An analyst tracks
whether commitments were kept as agreed: a slipped commitment must still show as overdue once its
deadline passes, and the new date is shown beside it rather than silently replacing it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from conclusio.records import Deadline, DocumentMetadata, EvidenceLink, Obligation
from index.store import ObligationQuery, Store
from tracking.curation import CurationStore

DUE_SOON_DAYS = 90
DONE_CONFIDENCE = 0.5  # machine links below this may be shown, but never close an obligation on their own

__all__ = ["TrackedObligation", "track", "track_passages", "status_on"]


@dataclass
class TrackedObligation:
    """An obligation with its document, its status on a day and the evidence behind it."""

    obligation: Obligation
    doc_number: str | None
    doc_title: str | None
    doc_date: str | None
    status: str
    status_source: str = "computed"  # computed | manual
    status_note: str = ""  # the override's note, or why the computed status is what it is
    expected_end: str | None = None  # the later date a report now expects, when rescheduled
    rescheduled: bool = False
    evidence: list[EvidenceLink] = field(default_factory=list)
    rejected_evidence: list[EvidenceLink] = field(default_factory=list)  # kept apart so a review can be undone

    def to_json(self) -> dict[str, Any]:
        """The CLI contract object, plus tracking keys (status_source, expected_end, ...)."""
        o = self.obligation
        return {
            "id": o.id,
            "source_file": o.source_file,
            "doc_number": self.doc_number,
            "doc_title": self.doc_title,
            "doc_date": self.doc_date,
            "paragraph": o.paragraph,
            "page": o.page,
            "actors": list(o.actors),
            "action": o.action,
            "verbs": list(o.verbs),
            "deadline": _deadline_json(o.deadline),
            "modality": o.modality,
            "status": self.status,
            "evidence": [_evidence_json(link) for link in self.evidence],
            "source_text": o.source_text,
            "status_source": self.status_source,
            "status_note": self.status_note,
            "expected_end": self.expected_end,
            "rescheduled": self.rescheduled,
            "passage_id": o.passage_id,
        }


def track(
    store: Store,
    curation: CurationStore | None,
    *,
    as_of: date,
    query: ObligationQuery = ObligationQuery(),  # noqa: B008 - frozen dataclass, safe as a default
    status: str | None = None,
) -> list[TrackedObligation]:
    """Obligations matching ``query`` with their status on ``as_of``; only ``status`` when given."""
    obligations = store.obligations(query)
    metadata = {d.source_file: d.metadata for d in store.list_documents()}
    links = defaultdict(list)
    for link in store.evidence([o.id for o in obligations]):
        links[link.obligation_id].append(link)
    reviews = curation.link_reviews() if curation is not None else {}
    overrides = curation.status_overrides() if curation is not None else {}
    rows = []
    for obligation in obligations:
        reviewed = [replace(link, review=reviews.get((obligation.id, link.passage_id))) for link in links[obligation.id]]
        row = _tracked(obligation, metadata.get(obligation.source_file), reviewed, as_of)
        override = overrides.get(obligation.id)
        if override is not None:
            row.status, row.status_source = override.status, "manual"
            row.status_note = f"set by {override.who} on {override.at[:10]}" + (f": {override.note}" if override.note else "")
        if status is None or row.status == status:
            rows.append(row)
    return rows


def track_passages(
    store: Store, curation: CurationStore | None, passage_ids: Sequence[str], *, as_of: date
) -> dict[str, list[TrackedObligation]]:
    """The tracked obligations stated in each of the given passages (passages without any are left out).

    A search hit then answers "by when, and is it done?" beside the text that asked for it.
    """
    wanted = set(passage_ids)
    # The passage records say which file each is in (ids are not parsed: ingest.identity).
    files = tuple(sorted({p.source_file for p in store.get_passages(sorted(wanted))}))
    if not files:
        return {}
    found: dict[str, list[TrackedObligation]] = {}
    for row in track(store, curation, as_of=as_of, query=ObligationQuery(source_files=files)):
        if row.obligation.passage_id in wanted:
            found.setdefault(row.obligation.passage_id, []).append(row)
    return found


def status_on(deadline: Deadline | None, as_of: date, completed: bool) -> str:
    """The computed status of an obligation on a day (shared/spec/deadlines.md)."""
    if completed:
        return "done"
    if deadline is None or deadline.end is None:
        return "no deadline"
    end = date.fromisoformat(deadline.end)
    if end < as_of:
        return "overdue"
    if end - as_of <= timedelta(days=DUE_SOON_DAYS):
        return "due soon"
    return "open"


def _tracked(
    obligation: Obligation, meta: DocumentMetadata | None, links: Sequence[EvidenceLink], as_of: date
) -> TrackedObligation:
    visible = sorted(
        (link for link in links if link.review != "rejected" and (link.doc_date or "") <= as_of.isoformat()),
        key=lambda link: (link.review != "confirmed", -link.confidence),
    )
    completion = next((link for link in visible if _completes(link, obligation)), None)
    later_dates = [link for link in visible if link.status == "rescheduled" and link.new_end]
    latest = max(later_dates, key=lambda link: (link.doc_date or "", link.new_end or ""), default=None)
    status = status_on(obligation.deadline, as_of, completion is not None)
    note = ""
    if completion is not None:
        note = f"completed according to {completion.source_file}" + (
            f" ({completion.paragraph})" if completion.paragraph else ""
        )
    elif latest is not None:
        note = f"rescheduled to {latest.new_end} according to {latest.source_file}"
    return TrackedObligation(
        obligation=obligation,
        doc_number=meta.doc_number if meta else None,
        doc_title=meta.title if meta else None,
        doc_date=meta.date if meta else None,
        status=status,
        status_note=note,
        expected_end=latest.new_end if latest and completion is None else None,
        rescheduled=latest is not None and completion is None,
        evidence=visible,
        rejected_evidence=[link for link in links if link.review == "rejected"],
    )


def _completes(link: EvidenceLink, obligation: Obligation) -> bool:
    if link.status != "completed":
        return False
    if link.review == "confirmed":
        return True
    return link.confidence >= DONE_CONFIDENCE and reports_on_actor(link, obligation.actors)


def reports_on_actor(link: EvidenceLink, actors: Sequence[str]) -> bool:
    """False when a report sentence names other actors only: "Eurojust organiseerde ..." does not
    complete what the Commission promised. A sentence naming no known actor ("De projectgroep heeft
    zijn werkzaamheden afgerond") may still report on it. ``link.actors`` were read when it was found.
    """
    if not actors:
        return True
    lowered = link.text.lower()
    if any(actor.lower() in lowered for actor in actors):
        return True
    return not link.actors or any(actor in link.actors for actor in actors)


def _deadline_json(deadline: Deadline | None) -> dict[str, Any] | None:
    if deadline is None:
        return None
    return {
        "text": deadline.text,
        "start": deadline.start,
        "end": deadline.end,
        "granularity": deadline.granularity,
        "recurrence": deadline.recurrence,
        "note": deadline.note,  # why end is null although a date is written ("no such date: 30 februari 2026")
    }


def _evidence_json(link: EvidenceLink) -> dict[str, Any]:
    return {
        "source_file": link.source_file,
        "paragraph": link.paragraph,
        "text": link.text,
        "status": link.status,
        "confidence": link.confidence,
        "passage_id": link.passage_id,
        "doc_date": link.doc_date,
        "new_end": link.new_end,
        "method": link.method,
        "review": link.review,
    }
