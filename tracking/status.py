"""The status of every obligation on a day, from evidence and curation (shared/spec/tracking.md).

Two dimensions, combined into the one status shown:
- **progress** (done / in progress / no info): what the latest later document that reports on the
  obligation says, read from its *deciding sentence*. ``done`` needs a sentence that reports completion
  of this obligation by its own actor (confirmed by an analyst, or found with at least
  ``DONE_CONFIDENCE``); a continuing commitment ("blijven ...", "doorlopend") is never done.
- **timeliness** (overdue / due soon / on time / no deadline): against the ORIGINAL deadline's end.
  A rescheduled obligation keeps its timeliness against the deadline it was given and shows the new
  date as ``expected_end``: an analyst tracks whether commitments were kept as agreed.

Status = done if progress is done; else overdue or due soon; else in progress; else open (with a
deadline) or no deadline. As of a day D only documents dated on or before D count as evidence (every
obligation is listed, so that a document dated later, or misdated, never drops out of view). An
analyst's override wins over all, on any day asked (it is a judgement about the obligation); its
history shows it from the day it was made.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from conclusio.records import Deadline, DocumentMetadata, EvidenceLink, Obligation
from index.store import ObligationQuery, Store
from tracking.curation import AuditEntry, CurationStore, StatusOverride

DUE_SOON_DAYS = 90
DONE_CONFIDENCE = 0.5  # machine links below this may be shown, but never close an obligation on their own
# Below this a machine link shows, but does not set the progress: evidence linking keeps every passage under an
# obligation's own "Actie N" at 0.4 so that the section always shows, whether or not it speaks of this commitment.
PROGRESS_CONFIDENCE = 0.45
PROGRESS_VALUES = ("done", "in progress", "no info")
TIMELINESS_VALUES = ("overdue", "due soon", "on time", "no deadline")
# A commitment to keep doing something is never finished ("zal ... blijven steunen", "doorlopend").
_CONTINUING = re.compile(r"\bblijv\w*|\bdoorlopend|\bvoortdurend|\bpermanent|\bstructureel\b|\bvoortzetten\b|"
                         r"\bvoort te zetten\b", re.IGNORECASE)

__all__ = ["TrackedObligation", "StatusPoint", "StatusChange", "track", "track_passages", "history", "changes",
           "status_on", "timeliness_on", "combined_status"]


@dataclass
class TrackedObligation:
    """An obligation with its document, its progress, timeliness and status on a day, and the evidence."""

    obligation: Obligation
    doc_number: str | None
    doc_title: str | None
    doc_date: str | None
    status: str
    progress: str = "no info"
    timeliness: str = "no deadline"
    status_source: str = "computed"  # computed | manual
    status_note: str = ""  # the override's note, or why the computed status is what it is
    expected_end: str | None = None  # the later date a report now expects, when rescheduled
    rescheduled: bool = False
    deciding: EvidenceLink | None = None  # the link whose sentence decides the progress
    evidence: list[EvidenceLink] = field(default_factory=list)
    rejected_evidence: list[EvidenceLink] = field(default_factory=list)  # kept apart so a review can be undone

    def to_json(self) -> dict[str, Any]:
        """The CLI contract object, plus tracking keys (progress, timeliness, the deciding sentence, ...)."""
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
            "progress": self.progress,
            "timeliness": self.timeliness,
            "evidence": [evidence_json(link) for link in self.evidence],
            "deciding": evidence_json(self.deciding) if self.deciding else None,
            "source_text": o.source_text,
            "status_source": self.status_source,
            "status_note": self.status_note,
            "expected_end": self.expected_end,
            "rescheduled": self.rescheduled,
            "passage_id": o.passage_id,
        }


@dataclass(frozen=True)
class StatusPoint:
    """The status of one obligation after one event: a later document, an analyst's change, the deadline passing."""

    on: str  # ISO day of the event
    event: str  # "document" | "analyst" | "deadline" | "adopted"
    source: str  # the document, the analyst, or the deadline text
    status: str
    progress: str
    timeliness: str
    expected_end: str | None = None
    sentence: str | None = None  # the deciding sentence after this event


@dataclass(frozen=True)
class StatusChange:
    """How one obligation's status differs between two days."""

    kind: str  # newly done | newly overdue | rescheduled | progress
    before: TrackedObligation
    after: TrackedObligation


def timeliness_on(deadline: Deadline | None, as_of: date, progress: str) -> str:
    """Overdue, due soon, on time or no deadline, against the deadline's end (tracking.md)."""
    if deadline is None or deadline.end is None:
        return "no deadline"
    if progress == "done":
        return "on time"
    end = date.fromisoformat(deadline.end)
    if end < as_of:
        return "overdue"
    if end - as_of <= timedelta(days=DUE_SOON_DAYS):
        return "due soon"
    return "on time"


def combined_status(progress: str, timeliness: str) -> str:
    """The one status shown: done; else overdue or due soon; else in progress; else open or no deadline."""
    if progress == "done":
        return "done"
    if timeliness in {"overdue", "due soon"}:
        return timeliness
    if progress == "in progress":
        return "in progress"
    return "no deadline" if timeliness == "no deadline" else "open"


def status_on(deadline: Deadline | None, as_of: date, completed: bool) -> str:
    """The status of an obligation with no other progress than (not) completed."""
    progress = "done" if completed else "no info"
    return combined_status(progress, timeliness_on(deadline, as_of, progress))


def track(
    store: Store,
    curation: CurationStore | None,
    *,
    as_of: date,
    query: ObligationQuery = ObligationQuery(),  # noqa: B008 - frozen dataclass, safe as a default
    status: str | None = None,
    progress: str | None = None,
) -> list[TrackedObligation]:
    """Obligations matching ``query`` with their status on ``as_of`` (evidence dated up to that day only)."""
    obligations = store.obligations(query)
    metadata = {d.source_file: d.metadata for d in store.list_documents()}
    links = defaultdict(list)
    for link in store.evidence([o.id for o in obligations]):
        links[link.obligation_id].append(link)
    reviews = curation.link_reviews() if curation is not None else {}
    overrides = curation.status_overrides() if curation is not None else {}
    rows = []
    for obligation in obligations:
        meta = metadata.get(obligation.source_file)
        reviewed = [replace(link, review=reviews.get((obligation.id, link.passage_id))) for link in links[obligation.id]]
        row = tracked_on(obligation, meta, reviewed, as_of, overrides.get(obligation.id))
        if (status is None or row.status == status) and (progress is None or row.progress == progress):
            rows.append(row)
    return rows


def track_passages(
    store: Store, curation: CurationStore | None, passage_ids: Sequence[str], *, as_of: date
) -> dict[str, list[TrackedObligation]]:
    """The tracked obligations stated in each of the given passages (passages without any are left out).

    A search hit then answers "by when, and is it done?" beside the text that asked for it.
    """
    wanted = tuple(sorted(set(passage_ids)))
    if not wanted:
        return {}
    found: dict[str, list[TrackedObligation]] = {}
    for row in track(store, curation, as_of=as_of, query=ObligationQuery(passage_ids=wanted)):
        found.setdefault(row.obligation.passage_id, []).append(row)
    return found


def history(store: Store, curation: CurationStore | None, obligation_id: str, *, until: date) -> list[StatusPoint]:
    """The status after each event up to ``until``: adoption, each later document, each analyst change, the deadline."""
    obligation = next((o for o in store.obligations(ObligationQuery()) if o.id == obligation_id), None)
    if obligation is None:
        return []
    meta = next((d.metadata for d in store.list_documents() if d.source_file == obligation.source_file), None)
    reviews = curation.link_reviews() if curation is not None else {}
    links = [replace(link, review=reviews.get((obligation.id, link.passage_id))) for link in store.evidence([obligation_id])]
    trail = curation.audit_trail(obligation_id) if curation is not None else []
    events: list[tuple[str, str, str]] = []
    if meta is not None and meta.date:
        events.append((meta.date, "adopted", obligation.source_file))
    events += sorted({(link.doc_date, "document", link.source_file) for link in links if link.doc_date})
    events += [(entry.at[:10], "analyst", entry.who) for entry in trail]
    deadline = obligation.deadline
    if deadline is not None and deadline.end:
        passed = (date.fromisoformat(deadline.end) + timedelta(days=1)).isoformat()
        events.append((passed, "deadline", deadline.text))
    points: list[StatusPoint] = []
    for on, event, source in sorted(e for e in events if e[0] <= until.isoformat()):
        day = date.fromisoformat(on)
        row = tracked_on(obligation, meta, links, day, _override_on(trail, day))
        point = StatusPoint(on, event, source, row.status, row.progress, row.timeliness, row.expected_end,
                            row.deciding.text if row.deciding else None)
        if not points or (point.status, point.progress, point.expected_end, point.sentence) != (
            points[-1].status, points[-1].progress, points[-1].expected_end, points[-1].sentence
        ) or event in {"adopted", "analyst"}:
            points.append(point)
    return points


def changes(
    store: Store,
    curation: CurationStore | None,
    *,
    since: date,
    as_of: date,
    query: ObligationQuery = ObligationQuery(),  # noqa: B008 - frozen dataclass
) -> list[StatusChange]:
    """What changed between two days: newly done, newly overdue, rescheduled, other progress."""
    before = {row.obligation.id: row for row in track(store, curation, as_of=since, query=query)}
    found = []
    for after in track(store, curation, as_of=as_of, query=query):
        previous = before.get(after.obligation.id)
        if previous is None:
            continue
        kind = None
        if after.status == "done" and previous.status != "done":
            kind = "newly done"
        elif after.status == "overdue" and previous.status != "overdue":
            kind = "newly overdue"
        elif after.expected_end and after.expected_end != previous.expected_end:
            kind = "rescheduled"
        elif after.progress != previous.progress:
            kind = "progress"
        if kind:
            found.append(StatusChange(kind, previous, after))
    return found


def tracked_on(
    obligation: Obligation,
    meta: DocumentMetadata | None,
    links: Sequence[EvidenceLink],
    as_of: date,
    override: StatusOverride | None = None,
) -> TrackedObligation:
    """One obligation's status on a day, from its (reviewed) links and the override in force then."""
    visible = sorted(
        (link for link in links if link.review != "rejected" and (link.doc_date or "") <= as_of.isoformat()),
        key=lambda link: (link.review != "confirmed", -link.confidence),
    )
    deciding = deciding_link(visible, obligation)
    progress = deciding.progress if deciding else "no info"
    expected_end = _expected_end(visible, deciding, progress)
    if override is not None:
        if override.status in {"done", "in progress"}:
            progress = override.status
        timeliness = timeliness_on(obligation.deadline, as_of, progress)
        status, source = override.status, "manual"
        note = f"set by {override.who} on {override.at[:10]}" + (f": {override.note}" if override.note else "")
    else:
        timeliness = timeliness_on(obligation.deadline, as_of, progress)
        status, source, note = combined_status(progress, timeliness), "computed", _note(deciding, expected_end)
    return TrackedObligation(
        obligation=obligation,
        doc_number=meta.doc_number if meta else None,
        doc_title=meta.title if meta else None,
        doc_date=meta.date if meta else None,
        status=status,
        progress=progress,
        timeliness=timeliness,
        status_source=source,
        status_note=note,
        expected_end=expected_end if progress != "done" else None,
        rescheduled=bool(expected_end) and progress != "done",
        deciding=deciding,
        evidence=visible,
        rejected_evidence=[link for link in links if link.review == "rejected"],
    )


def deciding_link(links: Sequence[EvidenceLink], obligation: Obligation) -> EvidenceLink | None:
    """The link whose sentence decides the progress: from the latest document that reports progress.

    A completion counts only when it reports on the obligation's own actor and is confirmed or found with
    at least ``DONE_CONFIDENCE``; otherwise, and for a continuing commitment, it reads as work going on. Within
    one document a confirmed link comes first, then the most confident.
    """
    continuing = is_continuing(obligation)
    usable = []
    for link in links:
        if link.progress == "no info":
            continue
        if link.status == "completed":
            if not _completes(link, obligation):
                # something was done in the obligation's matter (a meeting held, another actor's delivery):
                # work on it, not its completion
                if link.review != "confirmed" and link.confidence < PROGRESS_CONFIDENCE:
                    continue
                link = replace(link, status="in_progress")
            elif continuing:
                link = replace(link, status="in_progress")
        elif link.review != "confirmed" and link.confidence < PROGRESS_CONFIDENCE:
            continue
        usable.append(link)
    if not usable:
        return None
    latest = max(link.doc_date or "" for link in usable)
    return min(
        (link for link in usable if (link.doc_date or "") == latest),
        key=lambda link: (link.review != "confirmed", -link.confidence),
    )


def is_continuing(obligation: Obligation) -> bool:
    """A commitment to keep doing something ("blijven", "doorlopend", "voortzetten"), which is never done."""
    deadline_text = obligation.deadline.text if obligation.deadline else ""
    return bool(_CONTINUING.search(obligation.action) or _CONTINUING.search(deadline_text))


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


def _expected_end(links: Sequence[EvidenceLink], deciding: EvidenceLink | None, progress: str) -> str | None:
    """The date a report now expects the action by, when it moved past the deadline (the latest report's)."""
    if progress == "done":
        return None
    if deciding is not None and deciding.status == "rescheduled" and deciding.new_end:
        return deciding.new_end
    later = [link for link in links if link.status == "rescheduled" and link.new_end]
    latest = max(later, key=lambda link: (link.doc_date or "", link.new_end or ""), default=None)
    return latest.new_end if latest else None


def _note(deciding: EvidenceLink | None, expected_end: str | None) -> str:
    if deciding is not None:
        where = deciding.source_file + (f" ({deciding.paragraph})" if deciding.paragraph else "")
        if deciding.status == "completed":
            return f"completed according to {where}"
        if expected_end:
            return f"rescheduled to {expected_end} according to {where}"
        return f"in progress according to {where}"
    return f"rescheduled to {expected_end}" if expected_end else ""


def _override_on(trail: Sequence[AuditEntry], day: date) -> StatusOverride | None:
    """The manual status in force on a day, from the audit trail (the last status change made by then)."""
    last = None
    for entry in trail:
        if entry.field == "status" and entry.at[:10] <= day.isoformat():
            last = entry
    if last is None or last.new_value is None:
        return None
    return StatusOverride(last.obligation_id, last.new_value, last.note, last.who, last.at)


def evidence_json(link: EvidenceLink) -> dict[str, Any]:
    """An evidence link in the CLI contract: its deciding sentence, where it is, what it indicates."""
    return {
        "source_file": link.source_file,
        "paragraph": link.paragraph,
        "page": link.page,
        "text": link.text,
        "status": link.status,
        "progress": link.progress,
        "confidence": link.confidence,
        "passage_id": link.passage_id,
        "doc_date": link.doc_date,
        "new_end": link.new_end,
        "method": link.method,
        "cue": link.cue,
        "review": link.review,
    }


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
