"""Obligations page: filter and track obligations, see them by actor and over time, review their evidence,
set statuses (with a confirmation and an undo), export.

Everything here is keyed by obligation id, never by a row's position: the detail pane shows the
obligation that was selected, whatever the filters show since, and every change goes to that id.
The filters and the selection are kept across pages and in the URL (``ui.state``). No embedding
model is needed on this page.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from typing import get_args

import altair as alt
import pandas as pd
import streamlit as st

from application import ObligationQuery, UnknownItemError
from application.citations import cite_evidence, cite_unit, document_label
from conclusio.errors import ConclusioError
from conclusio.records import ObligationStatus
from conclusio.text import printable
from ui import components, resources, state
from ui.components import STATUS_COLOURS
from ui.state import Field

STATUSES = list(get_args(ObligationStatus))
URGENCY = ("overdue", "due soon", "in progress", "open", "no deadline", "done")  # the board's order
EXPORTS = {  # label: (format, CSV delimiter, MIME type)
    "CSV": ("csv", ",", "text/csv"), "CSV (;)": ("csv", ";", "text/csv"),
    "Excel": ("xlsx", ",", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "Markdown": ("md", ",", "text/markdown"), "Calendar": ("ics", ",", "text/calendar"),
    "JSON": ("json", ",", "application/json"),
}
SELECTED = "selected_obligation"
FIELDS = (
    Field("as_of", "asof", "date", date.today()),
    Field("actors", "actor", "list", []),
    Field("statuses", "status", "list", []),
    Field("documents", "doc", "list", []),
    Field("due_before", "due", "date", None),
    Field(SELECTED, "id", "text", ""),
)

settings = resources.load_settings()
app = resources.app_or_stop(settings)
user = app.user.name  # changes are recorded under the signed-in user's name, never a typed one
previous_selection = st.session_state.get(SELECTED)
state.restore(FIELDS)
if st.session_state.get(SELECTED) != previous_selection and previous_selection is not None:
    st.session_state["_table_generation"] = st.session_state.get("_table_generation", 0) + 1  # a link chose it

st.title("Obligations")


# ---- changes, as callbacks: they run before the page is drawn again, on the obligation they were made for ----

def _last_override(obligation_id: str) -> tuple[str | None, str]:
    """The manual status in force and its note, from the audit trail (None when the status is computed)."""
    entries = [e for e in app.audit(obligation_id) if e.field == "status" and e.obligation_id == obligation_id]
    return (entries[-1].new_value, entries[-1].note) if entries else (None, "")


def save_status(obligation_id: str, cited: str) -> None:
    choice = st.session_state.get(f"status_choice::{obligation_id}", "(computed)")
    note = st.session_state.get(f"status_note::{obligation_id}", "")
    new = None if choice == "(computed)" else choice
    before, before_note = _last_override(obligation_id)
    try:
        app.set_status(obligation_id, new, user, note)
    except ConclusioError as error:
        components.flash(f"Not saved: {error}", kind="error")
        return
    said = f"status set to '{new}'" if new else "status back to the computed one"
    components.flash(f"Saved for {cited} ({obligation_id}): {said}, by {user}.",
                     undo={"kind": "status", "id": obligation_id, "status": before, "note": before_note,
                           "what": f"the status of {cited}"})


def review(obligation_id: str, passage_id: str, verdict: str | None, before: str | None, cited: str) -> None:
    try:
        app.review(obligation_id, passage_id, verdict, user)
    except ConclusioError as error:
        components.flash(f"Not saved: {error}", kind="error")
        return
    said = {"confirmed": "confirmed", "rejected": "rejected", None: "review cleared"}[verdict]
    components.flash(f"Evidence {said}: {cited}, for {obligation_id}, by {user}.",
                     undo={"kind": "review", "id": obligation_id, "passage": passage_id, "verdict": before,
                           "what": f"the review of {cited}"})


def undo(change: dict) -> None:
    try:
        if change["kind"] == "status":
            app.set_status(change["id"], change["status"], user, change.get("note", ""))
        else:
            app.review(change["id"], change["passage"], change["verdict"], user)
    except ConclusioError as error:
        components.flash(f"Not undone: {error}", kind="error")
        return
    components.flash(f"Undone: {change['what']} is as it was before, for {change['id']}.")


def select(obligation_id: str) -> None:
    st.session_state[SELECTED] = obligation_id
    st.session_state["_table_generation"] = st.session_state.get("_table_generation", 0) + 1


def picked(table_key: str) -> None:
    """The table's row selection, turned into the id of the obligation in that row of *that* table."""
    ids = st.session_state.get("_table_ids", {}).get(table_key, [])
    event = st.session_state.get(table_key)
    rows = event["selection"]["rows"] if event else []
    st.session_state[SELECTED] = ids[rows[0]] if rows and rows[0] < len(ids) else ""


components.show_flash(undo)

# ---- filters, with counts of what each value would show given the other filters ----

as_of = st.session_state.get("as_of") or date.today()
every_row = app.obligations(as_of=as_of)
metadata = app.metadata()


def matches(row, skip: str = "") -> bool:
    o = row.obligation
    chosen_actors = st.session_state.get("actors") or []
    due_before = st.session_state.get("due_before")
    return ((skip == "actors" or not chosen_actors or any(a in o.actors for a in chosen_actors))
            and (skip == "statuses" or not st.session_state.get("statuses") or row.status in st.session_state.statuses)
            and (skip == "documents" or not st.session_state.get("documents")
                 or o.source_file in st.session_state.documents)
            and (not isinstance(due_before, date) or bool(o.deadline and o.deadline.end
                                                            and o.deadline.end < due_before.isoformat())))


def counted(key: str, values: Callable) -> Counter:
    return Counter(value for row in every_row if matches(row, skip=key) for value in values(row))


actor_counts = counted("actors", lambda r: r.obligation.actors)
status_counts = counted("statuses", lambda r: [r.status])
document_counts = counted("documents", lambda r: [r.obligation.source_file])
by_date = sorted({r.obligation.source_file for r in every_row}, key=lambda f: (metadata[f].date or "") if f in metadata else "")

with st.sidebar:
    st.subheader("Filters")
    st.date_input("Status as of", key="as_of")
    st.multiselect("Actor", sorted(set(actor_counts) | set(st.session_state.actors)), key="actors",
                   format_func=lambda v: f"{v} ({actor_counts.get(v, 0)})", placeholder="any actor")
    st.multiselect("Status", STATUSES, key="statuses", format_func=lambda v: f"{v} ({status_counts.get(v, 0)})",
                   placeholder="any status")
    st.multiselect("Document", list(dict.fromkeys(by_date + list(st.session_state.documents))), key="documents",
                   format_func=lambda f: printable(f"{document_label(f, metadata.get(f))} ({document_counts.get(f, 0)})",
                                                   one_line=True), placeholder="any document")
    st.date_input("Due before", key="due_before", help="Only obligations whose deadline ends before this day. "
                  "A day picked in the calendar applies at once, a typed date when you press Enter.")
    components.enter_applies_dates()
state.remember(FIELDS)
may_curate = app.user.may("curate")  # reviews and statuses are recorded under the signed-in user's name

rows = [r for r in every_row if matches(r)]
selected_id = st.session_state.get(SELECTED) or ""

counts = Counter(r.status for r in rows)
for column, status in zip(st.columns(len(STATUSES)), STATUSES):
    column.metric(status, counts.get(status, 0))

if not rows:
    st.info("No obligations match these filters.")

list_tab, board_tab, timeline_tab, changes_tab = st.tabs(["List", "Board", "Timeline", "What changed"])


def citation_of(row) -> str:
    o = row.obligation
    return str(cite_unit(o.source_file, metadata.get(o.source_file), o.paragraph, o.page))


with list_tab:
    if rows:
        ids = [r.obligation.id for r in rows]
        fingerprint = hashlib.sha1("\n".join(ids).encode("utf-8")).hexdigest()[:12]
        table_key = f"obligations_{fingerprint}_{st.session_state.get('_table_generation', 0)}"
        st.session_state.setdefault("_table_ids", {})[table_key] = ids
        table = pd.DataFrame({
            "status": r.status + (" (manual)" if r.status_source == "manual" else ""),
            "actors": ", ".join(r.obligation.actors),
            "action": r.obligation.action,
            "deadline": r.obligation.deadline.text if r.obligation.deadline else "",
            "due": pd.Timestamp(r.obligation.deadline.end) if r.obligation.deadline and r.obligation.deadline.end
            else pd.NaT,
            "expected": pd.Timestamp(r.expected_end) if r.expected_end else pd.NaT,
            "citation": citation_of(r),
            "progress": r.progress,
            "timeliness": r.timeliness,
            "evidence": len(r.evidence),
            "id": r.obligation.id,
        } for r in rows)
        st.dataframe(
            table, hide_index=True, width="stretch", key=table_key, on_select=partial(picked, table_key),
            selection_mode="single-row",
            selection_default={"selection": {"rows": [ids.index(selected_id)]}} if selected_id in ids else None,
            column_config={"action": st.column_config.TextColumn(width="large"),
                           "due": st.column_config.DateColumn(format="YYYY-MM-DD"),
                           "expected": st.column_config.DateColumn(format="YYYY-MM-DD")},
        )
        st.caption(f"{len(rows)} obligations. Tick a row to open it below; it stays open when the filters change.")
        export_columns = st.columns(len(EXPORTS))
        for column, (label, (fmt, delimiter, mime)) in zip(export_columns, EXPORTS.items()):
            column.download_button(
                label, lambda fmt=fmt, delimiter=delimiter: app.export(rows, fmt, delimiter=delimiter),
                file_name=f"obligations.{fmt}", mime=mime, key=f"download_{label}", on_click="ignore",
                icon=":material/download:",
            )

with board_tab:
    if rows:
        lanes: dict[str, list] = {}
        for row in rows:
            for actor in row.obligation.actors or ["(no actor)"]:
                lanes.setdefault(actor, []).append(row)

        def urgency(actor: str) -> tuple:
            statuses = Counter(r.status for r in lanes[actor])
            return tuple(-statuses.get(s, 0) for s in URGENCY[:2]) + (-len(lanes[actor]), actor)

        order = sorted(lanes, key=urgency)
        board = pd.DataFrame([{"actor": actor, **{s: sum(r.status == s for r in lanes[actor]) for s in URGENCY},
                               "total": len(lanes[actor])} for actor in order])
        st.dataframe(board, hide_index=True, width="stretch", key="board_counts")
        st.caption("Actors with the most overdue obligations first; within an actor, the overdue ones first.")
        for actor in order:
            statuses = Counter(r.status for r in lanes[actor])
            summary = ", ".join(f"{statuses[s]} {s}" for s in URGENCY if statuses.get(s))
            with st.expander(printable(f"{actor}: {summary}", one_line=True)):
                for row in sorted(lanes[actor], key=lambda r: (URGENCY.index(r.status) if r.status in URGENCY else 9,
                                                               r.obligation.deadline.end if r.obligation.deadline
                                                               and r.obligation.deadline.end else "9999")):
                    o = row.obligation
                    due = f" · due {o.deadline.end}" if o.deadline and o.deadline.end else ""
                    text, button = st.columns([6, 1], vertical_alignment="center")
                    text.markdown(f"{components.badge(row.status)} {components.md_escape(citation_of(row) + due)}  \n"
                                  f"{components.md_escape(o.action[:300])}")
                    button.button("Open", key=f"board::{actor}::{o.id}", on_click=select, args=(o.id,),
                                  disabled=o.id == selected_id)

with timeline_tab:
    if rows:
        dated = pd.DataFrame(
            {"due": pd.Timestamp(r.obligation.deadline.end), "actor": actor, "status": r.status,
             "action": printable(r.obligation.action, one_line=True), "deadline": r.obligation.deadline.text,
             "id": r.obligation.id, "citation": citation_of(r)}
            for r in rows if r.obligation.deadline and r.obligation.deadline.end
            for actor in (r.obligation.actors or ["(no actor)"])
        )
        undated_rows = [r for r in rows if not (r.obligation.deadline and r.obligation.deadline.end)]
        undated = pd.DataFrame(
            [{"actor": actor, "status": status, "obligations": n}
             for (actor, status), n in Counter((actor, r.status) for r in undated_rows
                                               for actor in (r.obligation.actors or ["(no actor)"])).items()],
            columns=["actor", "status", "obligations"],
        )
        colour = alt.Color("status:N", legend=alt.Legend(orient="bottom"),
                           scale=alt.Scale(domain=STATUSES, range=[STATUS_COLOURS[s] for s in STATUSES]))
        charts = []
        if not dated.empty:
            points = alt.Chart(dated).mark_circle(size=90, opacity=0.8).encode(
                # Month and year on every label: a span of a few months never loses its year.
                x=alt.X("due:T", title="due", scale=alt.Scale(padding=14),
                        axis=alt.Axis(format="%b %Y", labelAngle=-30, labelOverlap=True)),
                y=alt.Y("actor:N", title=None),
                color=colour,
                tooltip=["citation", "id", "actor", "status", "deadline", "action"],
            )
            today = alt.Chart(pd.DataFrame({"as of": [pd.Timestamp(as_of)]})).mark_rule(
                color="#555", strokeDash=[4, 4]).encode(x="as of:T")
            charts.append((points + today).properties(width=700, title="Dated obligations"))
        if not undated.empty:
            lane = alt.Chart(undated).mark_circle(opacity=0.8).encode(
                x=alt.X("status:N", title="no date", sort=list(URGENCY), axis=alt.Axis(labelAngle=-30)),
                y=alt.Y("actor:N", title=None, axis=None if charts else alt.Axis()),
                size=alt.Size("obligations:Q", legend=None, scale=alt.Scale(range=[60, 400])),
                color=colour,
                tooltip=["actor", "status", "obligations"],
            )
            charts.append(lane.properties(width=160, title="Undated"))
        if charts:
            chart = alt.hconcat(*charts).resolve_scale(y="shared").properties(
                title=f"Deadlines by actor, status as of {as_of.isoformat()}")
            st.altair_chart(chart, key="deadline_timeline")
        st.caption(f"{len(rows) - len(undated_rows)} obligations with a due date, {len(undated_rows)} without.")

with changes_tab:
    latest = as_of - timedelta(days=1)
    if not isinstance(st.session_state.get("since"), date) or st.session_state.since > latest:
        st.session_state.since = min(as_of - timedelta(days=180), latest)
    since = st.date_input("Since", max_value=latest, key="since")
    scope = ObligationQuery(source_files=tuple(st.session_state.documents))
    changed = [c for c in app.changes(since=since, as_of=as_of, query=scope) if matches(c.after)]
    if not changed:
        st.caption(f"No status changed between {since} and {as_of}.")
    for kind in ("newly done", "newly overdue", "rescheduled", "progress"):
        of_kind = [c for c in changed if c.kind == kind]
        if of_kind:
            st.markdown(f"**{kind}** ({len(of_kind)})")
            st.dataframe(pd.DataFrame({
                "citation": citation_of(c.after), "actors": ", ".join(c.after.obligation.actors),
                "before": c.before.status, "after": c.after.status, "expected": c.after.expected_end or "",
                "action": c.after.obligation.action, "id": c.after.obligation.id} for c in of_kind),
                hide_index=True, width="stretch", key=f"changed_{kind}")

# ---- the selected obligation: by id, whatever the list shows now ----

st.divider()
if not selected_id:
    st.caption("Select an obligation (a row of the list, or Open on the board) to see its source point and "
               "evidence, review the evidence and set its status.")
    st.stop()
try:
    row = app.tracked(selected_id, as_of=as_of)
except UnknownItemError as error:
    st.warning(printable(str(error), one_line=True))
    st.stop()
obligation = row.obligation
cited = citation_of(row)

heading, close = st.columns([8, 1], vertical_alignment="center")
heading.subheader(printable(cited, one_line=True))
close.button("Close", key="close_detail", on_click=select, args=("",), icon=":material/close:")
st.markdown(f"Obligation id: `{obligation.id.replace('`', '')}`")
components.citation(cited)
if obligation.id not in {r.obligation.id for r in rows}:
    st.caption("This obligation is not in the list with the current filters; it stays open because you selected it.")
st.markdown(f"**Status:** {components.badge(row.status)} ({row.status_source}) · **Progress:** "
            f"{components.md_escape(row.progress)} · **Timeliness:** {components.md_escape(row.timeliness)}")
if row.status_note:  # an analyst's note is plain text: no markdown, no HTML, no control characters
    components.plain(row.status_note)
if row.rescheduled:
    st.markdown(f"**Rescheduled:** now expected by {components.md_escape(row.expected_end)}")
deadline = f"  ·  **Deadline:** {components.md_escape(obligation.deadline.text)} → " \
           f"{components.md_escape(obligation.deadline.end or 'no end date')}" if obligation.deadline else ""
st.markdown(f"**Actors:** {components.md_escape(', '.join(obligation.actors))}  ·  **Modality:** "
            f"{components.md_escape(obligation.modality)}{deadline}")
with st.container(border=True):
    components.plain(obligation.source_text)
    components.open_in_document(obligation.source_file, obligation.passage_id)

if row.deciding is not None:
    d = row.deciding
    st.markdown("**Deciding sentence**")
    components.plain(printable(d.text, one_line=True))
    st.caption(components.md_escape(f"{cite_evidence(d, metadata.get(d.source_file))} · {d.method}"))

points = app.history(obligation.id, until=as_of)
if len(points) > 1:
    st.markdown("**Status over time**")
    timeline = pd.DataFrame({"on": pd.Timestamp(p.on), "status": p.status, "event": p.event, "source": p.source,
                             "sentence": p.sentence or ""} for p in points)
    st.altair_chart(
        alt.Chart(timeline).mark_circle(size=140).encode(
            x=alt.X("on:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
            color=alt.Color("status:N", scale=alt.Scale(domain=STATUSES, range=[STATUS_COLOURS[s] for s in STATUSES]),
                            legend=alt.Legend(orient="bottom", columns=len(STATUSES))),
            tooltip=["on", "event", "status", "source", "sentence"],
        ).properties(height=70),
        width="stretch", key="status_over_time",
    )

st.markdown("**Evidence from later documents**")
if not row.evidence:
    st.caption("No later passage reports on this obligation" + (" (besides the rejected ones below)."
                                                                 if row.rejected_evidence else "."))
for link in row.evidence:
    link_cited = str(cite_evidence(link, metadata.get(link.source_file)))
    with st.container(border=True):
        review_note = f", {link.review}" if link.review else ""
        st.caption(components.md_escape(f"[{link.status}] {link_cited} (confidence {link.confidence:.2f}, "
                                        f"{link.method}{review_note})"))
        components.plain(link.text)
        if not may_curate:
            components.open_in_document(link.source_file, link.passage_id)
            continue
        confirm, reject, clear, where = st.columns([1, 1, 1, 2], vertical_alignment="center")
        confirm.button("Confirm", key=f"confirm::{obligation.id}::{link.passage_id}", on_click=review,
                       args=(obligation.id, link.passage_id, "confirmed", link.review, link_cited),
                       disabled=link.review == "confirmed")
        reject.button("Reject", key=f"reject::{obligation.id}::{link.passage_id}", on_click=review,
                      args=(obligation.id, link.passage_id, "rejected", link.review, link_cited))
        clear.button("Clear review", key=f"clear::{obligation.id}::{link.passage_id}", on_click=review,
                     args=(obligation.id, link.passage_id, None, link.review, link_cited),
                     disabled=link.review is None)
        with where:
            components.open_in_document(link.source_file, link.passage_id)

if row.rejected_evidence:
    st.markdown(f"**Rejected evidence** ({len(row.rejected_evidence)})")
    for link in row.rejected_evidence:
        link_cited = str(cite_evidence(link, metadata.get(link.source_file)))
        with st.container(border=True):
            st.caption(components.md_escape(f"[{link.status}] {link_cited} (rejected)"))
            components.plain(link.text)
            restore, where = st.columns([1, 2], vertical_alignment="center")
            if may_curate:
                restore.button("Un-reject", key=f"unreject::{obligation.id}::{link.passage_id}", on_click=review,
                               args=(obligation.id, link.passage_id, None, "rejected", link_cited),
                               icon=":material/undo:")
            with where:
                components.open_in_document(link.source_file, link.passage_id)

if may_curate:
    override, override_note = _last_override(obligation.id)
    with st.form(f"set_status::{obligation.id}"):
        st.markdown("**Set the status by hand**")
        choices = ["(computed)"] + STATUSES
        st.selectbox("Status", choices, index=choices.index(override) if override in choices else 0,
                     key=f"status_choice::{obligation.id}")
        st.text_area("Note", value=override_note, max_chars=2000, key=f"status_note::{obligation.id}",
                     help="Kept in the audit trail as plain text.")
        st.caption(f"Saved as **{components.md_escape(user)}**.")
        st.form_submit_button("Save", type="primary", on_click=save_status, args=(obligation.id, cited))
else:
    st.caption(f"Reviewing evidence and setting statuses is for analysts and admins; {app.user.name} is a "
               f"{app.user.role}.")

trail = app.audit(obligation.id)
if trail:
    st.markdown("**Audit trail**")
    st.table(pd.DataFrame([{"at": e.at[:19].replace("T", " "), "who": e.who, "what": e.field,
                            "from": e.old_value or "", "to": e.new_value or "", "note": e.note,
                            "obligation": e.obligation_id} for e in trail]).map(
        lambda v: components.md_escape(v) if isinstance(v, str) else v), hide_index=True)  # cells are Markdown
