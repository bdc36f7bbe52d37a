"""Obligations page: filter and track obligations, review their evidence, set statuses, export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import get_args

import altair as alt
import pandas as pd
import streamlit as st

from application import ObligationQuery
from conclusio.records import ObligationStatus, to_dict
from conclusio.text import printable
from ui import resources

STATUSES = list(get_args(ObligationStatus))
STATUS_COLOURS = {"done": "#2e7d32", "overdue": "#c62828", "due soon": "#ef6c00", "in progress": "#6a1b9a",
                  "open": "#1565c0", "no deadline": "#9e9e9e"}
EXPORTS = {"CSV": ("csv", "text/csv"), "Excel": ("xlsx", "application/vnd.openxmlformats-officedocument."
                                                         "spreadsheetml.sheet"),
           "Markdown": ("md", "text/markdown"), "Calendar": ("ics", "text/calendar")}

settings = resources.load_settings()
app = resources.app_or_stop(settings)

st.title("Obligations")
every_obligation = [row.obligation for row in app.obligations()]
actors = sorted({actor for o in every_obligation for actor in o.actors})
documents = sorted({o.source_file for o in every_obligation})

with st.sidebar:
    st.subheader("Filters")
    as_of = st.date_input("Status as of", value=date.today(), key="as_of")
    actor = st.selectbox("Actor", actors, index=None, placeholder="any actor", key="actor")
    statuses = st.multiselect("Status", STATUSES, key="statuses")
    chosen_documents = st.multiselect("Document", documents, key="documents")
    due_before = st.date_input("Due before", value=None, key="due_before")
may_curate = app.user.may("curate")  # reviews and statuses are recorded under the signed-in user's name

query = ObligationQuery(actor=actor, source_files=tuple(chosen_documents),
                        due_before=due_before.isoformat() if due_before else None)
rows = [r for r in app.obligations(query, as_of=as_of) if not statuses or r.status in statuses]
if not rows:
    st.info("No obligations match these filters.")
    st.stop()

counts = pd.Series([r.status for r in rows]).value_counts()
for column, status in zip(st.columns(len(STATUSES)), STATUSES):
    column.metric(status, int(counts.get(status, 0)))

table = pd.DataFrame(
    {
        "status": r.status + (" (manual)" if r.status_source == "manual" else ""),
        "progress": r.progress,
        "timeliness": r.timeliness,
        "actors": ", ".join(r.obligation.actors),
        "action": r.obligation.action,
        "deadline": r.obligation.deadline.text if r.obligation.deadline else "",
        "due": pd.Timestamp(r.obligation.deadline.end) if r.obligation.deadline and r.obligation.deadline.end else pd.NaT,
        "document": r.doc_number or r.obligation.source_file,
        "paragraph": r.obligation.paragraph,
        "evidence": len(r.evidence),
    }
    for r in rows
)

dated = pd.DataFrame(
    {"due": r.obligation.deadline.end, "actor": actor_name, "status": r.status, "action": r.obligation.action,
     "deadline": r.obligation.deadline.text, "id": r.obligation.id}
    for r in rows if r.obligation.deadline and r.obligation.deadline.end
    for actor_name in (r.obligation.actors or ["(no actor)"])
)
if not dated.empty:
    st.subheader("Deadlines by actor")
    points = (
        alt.Chart(dated)
        .mark_circle(size=90, opacity=0.8)
        .encode(
            x=alt.X("due:T", title="due", scale=alt.Scale(padding=14)),  # points on the last day stay whole
            y=alt.Y("actor:N", title=None),
            color=alt.Color("status:N", legend=alt.Legend(orient="bottom"),
                            scale=alt.Scale(domain=STATUSES, range=[STATUS_COLOURS.get(s, "#000") for s in STATUSES])),
            tooltip=["id", "actor", "status", "deadline", "action"],
        )
    )
    today = alt.Chart(pd.DataFrame({"as of": [pd.Timestamp(as_of)]})).mark_rule(color="#555", strokeDash=[4, 4])
    chart = (points + today.encode(x="as of:T")).properties(height=alt.Step(28))
    st.altair_chart(chart, width="stretch")

st.subheader(f"{len(rows)} obligations")
selection = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="table",
    column_config={"action": st.column_config.TextColumn(width="large"),
                   "due": st.column_config.DateColumn(format="YYYY-MM-DD")},
)

downloads = st.columns(len(EXPORTS))
for column, (label, (fmt, mime)) in zip(downloads, EXPORTS.items()):
    column.download_button(f"Download {label}", app.export(rows, fmt), file_name=f"obligations.{fmt}",
                           mime=mime, key=f"download_{fmt}")

with st.expander("What changed since …"):
    since = st.date_input("Since", value=as_of - timedelta(days=180), max_value=as_of - timedelta(days=1), key="since")
    changed = app.changes(since=since, as_of=as_of, query=query)
    if not changed:
        st.caption(f"No status changed between {since} and {as_of}.")
    for kind in ("newly done", "newly overdue", "rescheduled", "progress"):
        of_kind = [c for c in changed if c.kind == kind]
        if of_kind:
            st.markdown(f"**{kind}** ({len(of_kind)})")
            st.dataframe(pd.DataFrame({
                "id": c.after.obligation.id, "actors": ", ".join(c.after.obligation.actors),
                "before": c.before.status, "after": c.after.status, "expected": c.after.expected_end or "",
                "action": c.after.obligation.action} for c in of_kind), hide_index=True, width="stretch")

selected = selection.selection.rows if selection else []
if not selected:
    st.caption("Select a row to see its source point and evidence, review the evidence and set its status.")
    st.stop()

row = rows[selected[0]]
obligation = row.obligation
st.divider()
st.subheader(printable(f"{row.doc_number or obligation.source_file}, {obligation.paragraph or 'point'}"
                       + (f", p. {obligation.page}" if obligation.page else ""), one_line=True))
st.markdown(f"**Status:** {row.status} ({row.status_source}) · **Progress:** {row.progress} · "
            f"**Timeliness:** {row.timeliness}")
if row.status_note:  # an analyst's note is plain text: no markdown, no HTML, no control characters
    st.text(printable(row.status_note))
if row.deciding is not None:
    d = row.deciding
    st.markdown("**Deciding sentence**")
    st.text(printable(d.text, one_line=True))
    st.caption(", ".join(p for p in (d.source_file, d.doc_date or "", d.paragraph or "",
                                     f"p. {d.page}" if d.page else "", d.method) if p))
points = app.history(obligation.id, until=as_of)
if len(points) > 1:
    st.markdown("**Status over time**")
    timeline = pd.DataFrame({"on": pd.Timestamp(p.on), "status": p.status, "event": p.event, "source": p.source,
                             "sentence": p.sentence or ""} for p in points)
    st.altair_chart(
        alt.Chart(timeline).mark_circle(size=140).encode(
            x=alt.X("on:T", title=None, axis=alt.Axis(format="%Y-%m-%d")),
            color=alt.Color("status:N", scale=alt.Scale(domain=STATUSES, range=[STATUS_COLOURS[s] for s in STATUSES])),
            tooltip=["on", "event", "status", "source", "sentence"],
        ).properties(height=70),
        width="stretch",
    )
if row.rescheduled:
    st.markdown(f"**Rescheduled:** now expected by {row.expected_end}")
st.markdown(f"**Actors:** {', '.join(obligation.actors)}  ·  **Modality:** {obligation.modality}"
            + (f"  ·  **Deadline:** {obligation.deadline.text} → {obligation.deadline.end}"
               if obligation.deadline else ""))
st.info(obligation.source_text)

st.markdown("**Evidence from later documents**")
if not row.evidence:
    st.caption("No later passage reports on this obligation.")
for link in row.evidence:
    with st.container(border=True):
        review = f", {link.review}" if link.review else ""
        st.text(printable(f"[{link.status}] {link.source_file} {link.paragraph or ''} "
                          f"(confidence {link.confidence:.2f}, {link.method}{review})", one_line=True))
        st.write(link.text)
        if not may_curate:
            continue
        confirm, reject, clear = st.columns(3)
        verdict = None
        if confirm.button("Confirm", key=f"confirm_{link.passage_id}"):
            verdict = "confirmed"
        if reject.button("Reject", key=f"reject_{link.passage_id}"):
            verdict = "rejected"
        if clear.button("Clear review", key=f"clear_{link.passage_id}", disabled=link.review is None):
            verdict = "clear"
        if verdict:
            app.review(obligation.id, link.passage_id, None if verdict == "clear" else verdict)
            st.rerun()

if may_curate:
    with st.form("set_status"):
        st.markdown("**Set the status by hand**")
        choice = st.selectbox("Status", ["(computed)"] + STATUSES, key="manual_status")
        note = st.text_input("Note", key="manual_note")
        if st.form_submit_button("Save"):
            app.set_status(obligation.id, None if choice == "(computed)" else choice, note=note)
            st.rerun()
else:
    st.caption(f"Reviewing evidence and setting statuses is for analysts and admins; {app.user.name} is a "
               f"{app.user.role}.")

trail = app.audit(obligation.id)
if trail:
    st.markdown("**Audit trail**")
    st.dataframe(pd.DataFrame([{key: printable(value) if isinstance(value, str) else value
                                for key, value in to_dict(e).items()} for e in trail]),
                 hide_index=True, width="stretch")
