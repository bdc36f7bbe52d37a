"""Documents page: every stored document, and one document read as a whole.

The document view opens at a passage (``?doc=FILE&passage=ID``, the link every hit, obligation and
evidence sentence carries): that passage is highlighted and scrolled into view. Beside the text: the
document's metadata, its structure (sections, numbered points, footnotes, tables rendered from their
rows), the obligations found in it, and links to the documents it refers to and that refer to it.
No embedding model is needed here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from html import escape

import pandas as pd
import streamlit as st

from application import ObligationQuery
from application.citations import cite_unit, document_label, dutch_date, pages_of, place_of
from conclusio.records import Document, Passage, TableRow
from conclusio.text import printable
from ui import components, resources, state
from ui.state import Field

HIGHLIGHT = "background:#fff3b0;border-left:4px solid #f0b400;padding:4px 8px;border-radius:4px"
FIELDS = (Field("doc_view", "doc"), Field("doc_passage", "passage"))

settings = resources.load_settings()
app = resources.app_or_stop(settings)
state.restore(FIELDS)

st.title("Documents")
documents = app.documents()
by_file = {d.source_file: d for d in documents}
table = pd.DataFrame(
    [
        {
            "document": document_label(d.source_file, d.metadata),
            "date": pd.Timestamp(d.metadata.date) if d.metadata.date else pd.NaT,
            "kind": d.metadata.kind,
            "title": d.metadata.title,
            "classification": ", ".join(d.metadata.classification),
            "codes": ", ".join(d.metadata.codes),
            "language": d.metadata.language,
            "pages": d.metadata.pages,
            "passages": d.passages,
            "obligations": d.obligations,
            "file": d.source_file,
        }
        for d in documents
    ]
)
with st.expander(f"{len(documents)} documents in the store", expanded=not st.session_state.get("doc_view")):
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"date": st.column_config.DateColumn(format="YYYY-MM-DD"),
                                "title": st.column_config.TextColumn(width="large")})

if st.session_state.get("doc_view") not in by_file:
    st.session_state.doc_view = None


def document_option(source_file: str) -> str:
    meta = by_file[source_file].metadata
    label = document_label(source_file, meta)
    if meta.doc_number and meta.title:
        label += f" – {' '.join(meta.title.split())}"
    return printable(label + (f" ({dutch_date(meta.date)})" if meta.date else ""), one_line=True)


chosen = st.selectbox("Document", list(by_file), format_func=document_option, key="doc_view",
                      placeholder="Choose a document to read")
if chosen is None:
    state.remember(FIELDS)
    st.stop()
document: Document = app.document(chosen)
passage_ids = {p.passage_id for p in document.passages}
if st.session_state.get("doc_passage") not in passage_ids:  # a passage of another document, or gone
    st.session_state.doc_passage = ""
state.remember(FIELDS)
focus = st.session_state.get("doc_passage") or None
meta = document.metadata


def anchor(passage_id: str) -> str:
    """An HTML id for a passage: hex only, whatever the passage id holds."""
    return "p-" + hashlib.sha1(passage_id.encode("utf-8")).hexdigest()[:16]


def table_html(rows: Sequence[TableRow], passages: Sequence[Passage]) -> str:
    """One table from its rows' cells under their headers; the focused row highlighted."""
    headers = rows[0].headers
    head = "".join(f"<th style='text-align:left;padding:4px;border-bottom:2px solid #ccc'>{escape(h)}</th>"
                   for h in headers) if any(headers) else ""
    body = []
    for row, passage in zip(rows, passages):
        style = HIGHLIGHT if passage.passage_id == focus else ""
        cells = "".join(f"<td style='vertical-align:top;padding:4px;border-bottom:1px solid #eee'>{escape(c)}</td>"
                        for c in row.cells)
        body.append(f"<tr id='{anchor(passage.passage_id)}' style='{style}'>{cells}</tr>")
    title = f"<div style='font-weight:600;margin-top:8px'>{escape(rows[0].title)}</div>" if rows[0].title else ""
    return (f"{title}<table style='border-collapse:collapse;width:100%;margin:6px 0 12px 0;font-size:0.92em'>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def passage_html(passage: Passage, show_addressees: bool) -> str:
    """A heading, point, paragraph or footnote with its label and page; the focused one highlighted."""
    style = HIGHLIGHT if passage.passage_id == focus else ""
    text = escape(printable(passage.text))
    page = pages_of(passage.page, passage.page_end)
    page_note = f" <span style='color:#888;font-size:0.8em'>[{escape(page)}]</span>" if page else ""
    if passage.kind == "heading":
        level = min(3 + max(len(passage.section_path) - 1, 0), 6)
        return f"<h{level} id='{anchor(passage.passage_id)}' style='margin:14px 0 6px 0;{style}'>{text}</h{level}>"
    if passage.kind == "footnote":
        return (f"<p id='{anchor(passage.passage_id)}' style='font-size:0.85em;color:#555;{style}'>"
                f"<sup>{escape(passage.footnote_label or '')}</sup> {text}{page_note}</p>")
    addressees = (f"<div style='font-style:italic;color:#555'>{escape(passage.addressees)}</div>"
                  if show_addressees and passage.addressees and passage.addressees not in passage.text else "")
    label = f"<b>{escape(passage.paragraph)}</b> " if passage.paragraph and not passage.text.startswith(
        passage.paragraph) else ""
    return (f"<div id='{anchor(passage.passage_id)}' style='margin:6px 0;white-space:pre-wrap;{style}'>"
            f"{addressees}{label}{text}{page_note}</div>")


def document_html(passages: Sequence[Passage]) -> str:
    """The whole document in reading order; consecutive rows of one table become one table."""
    parts: list[str] = []
    index = 0
    addressed = None  # the addressee block said last: said once above the points it introduces
    while index < len(passages):
        passage = passages[index]
        if passage.table_row is not None:
            number = passage.table_row.table
            group = []
            while index < len(passages) and passages[index].table_row is not None \
                    and passages[index].table_row.table == number:
                group.append(passages[index])
                index += 1
            parts.append(table_html([p.table_row for p in group], group))
            continue
        said = passage.kind == "body" and passage.addressees and passage.addressees != addressed
        if passage.kind == "body" or passage.kind == "heading":
            addressed = passage.addressees if passage.kind == "body" else (
                passage.text.strip() if passage.text.strip().endswith(":") else None)
        parts.append(passage_html(passage, bool(said)))
        index += 1
    return f"<div class='conclusio-document' style='line-height:1.55'>{''.join(parts)}</div>"


st.subheader(printable(meta.title or document_label(chosen, meta), one_line=True))
facts = [
    ("Number", meta.doc_number), ("Date", dutch_date(meta.date)), ("Kind", meta.kind),
    ("Classification", ", ".join(meta.classification)), ("Codes", ", ".join(meta.codes)),
    ("From", meta.sender), ("To", meta.recipient), ("Language", meta.language),
    ("Pages", str(meta.pages) if meta.pages else None), ("File", chosen),
]
st.markdown("  \n".join(f"**{name}:** {components.md_escape(value)}" for name, value in facts if value))
if meta.classification:
    st.warning(components.md_escape(f"Classified: {', '.join(meta.classification)}. Handle as marked."),
               icon=":material/lock:")

tracked = app.obligations(ObligationQuery(source_files=(chosen,)), as_of=date.today())
references = meta.references
cited_by = sorted({d.source_file for d in documents if d.source_file != chosen
                   and any(r.resolved_source_file == chosen for r in d.metadata.references)})
text_tab, obligations_tab, links_tab = st.tabs(
    ["Text", f"Obligations ({len(tracked)})", f"References ({len(references)} out, {len(cited_by)} in)"])

with text_tab:
    if focus:
        focused = next(p for p in document.passages if p.passage_id == focus)
        cited = cite_unit(chosen, meta, focused.paragraph, focused.page)
        st.caption("Opened at the highlighted passage:")
        components.citation(cited)
    st.html(document_html(document.passages))
    if focus:  # our own script, holding only a hex id: bring the highlighted passage into view
        st.html(f"""<script>
(function() {{
  let tries = 0;
  const look = () => {{
    const element = window.document.getElementById("{anchor(focus)}");
    if (element) {{ element.scrollIntoView({{block: "center"}}); return; }}
    if (tries++ < 40) setTimeout(look, 100);
  }};
  look();
}})();
</script>""", unsafe_allow_javascript=True)

with obligations_tab:
    if not tracked:
        st.caption("No obligations were found in this document.")
    else:
        st.caption("Select an obligation to highlight its point in the text and to open it on the Obligations page.")
        rows = pd.DataFrame({
            "status": r.status,
            "point": place_of(r.obligation.paragraph) or "(running text)",
            "page": r.obligation.page,
            "actors": ", ".join(r.obligation.actors),
            "action": r.obligation.action,
            "deadline": r.obligation.deadline.text if r.obligation.deadline else "",
            "due": pd.Timestamp(r.obligation.deadline.end) if r.obligation.deadline and r.obligation.deadline.end
            else pd.NaT,
            "id": r.obligation.id,
        } for r in tracked)
        picked = st.dataframe(rows, hide_index=True, width="stretch", on_select="rerun",
                              selection_mode="single-row", key=f"doc_obligations_{anchor(chosen)}",
                              column_config={"action": st.column_config.TextColumn(width="large"),
                                             "due": st.column_config.DateColumn(format="YYYY-MM-DD")})
        selected = picked.selection.rows if picked else []
        if selected and selected[0] < len(tracked):
            row = tracked[selected[0]]
            if st.session_state.get("doc_passage") != row.obligation.passage_id:
                st.session_state.doc_passage = row.obligation.passage_id
                state.remember(FIELDS)
                st.rerun()
            name = place_of(row.obligation.paragraph) or "this obligation"
            st.page_link("views/obligations.py", label=printable(f"Open {name} on the Obligations page", one_line=True),
                         icon=":material/checklist:", query_params={"id": row.obligation.id})

with links_tab:
    st.markdown("**This document refers to**")
    if not references:
        st.caption("No references to other documents were read in it.")
    for reference in references:
        target = reference.resolved_source_file
        if target and target in by_file:
            components.open_in_document(target, label=printable(
                f"{reference.normalised} – {document_label(target, by_file[target].metadata)}", one_line=True))
        else:
            st.markdown(f"- {components.md_escape(reference.normalised)} ({components.md_escape(reference.kind)}; "
                        "not in the store)")
    if meta.previous_docs:
        st.caption("Previous documents: " + components.md_escape(", ".join(meta.previous_docs)))
    st.markdown("**Documents that refer to this one**")
    if not cited_by:
        st.caption("None in the store.")
    for source_file in cited_by:
        components.open_in_document(source_file, label=printable(
            f"{document_label(source_file, by_file[source_file].metadata)} ({source_file})", one_line=True))
