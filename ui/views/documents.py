"""Documents page: the stored documents' metadata, one document's passages in order and its tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from conclusio.records import to_dict
from ui import resources

settings = resources.load_settings()
app = resources.app_or_stop(settings)

st.title("Documents")
documents = app.documents()
table = pd.DataFrame(
    [
        {
            "document": d.source_file,
            "number": d.metadata.doc_number,
            "title": d.metadata.title,
            "date": d.metadata.date,
            "kind": d.metadata.kind,
            "classification": ", ".join(d.metadata.classification),
            "codes": ", ".join(d.metadata.codes),
            "previous": ", ".join(d.metadata.previous_docs),
            "language": d.metadata.language,
            "pages": d.metadata.pages,
            "passages": d.passages,
            "obligations": d.obligations,
        }
        for d in documents
    ]
)
st.dataframe(table, hide_index=True, width="stretch")

chosen = st.selectbox("Passages of", [d.source_file for d in documents], key="document")
document = app.document(chosen) if chosen else None
if document is None:
    st.stop()
references = document.metadata.references
if references:
    st.caption("References: " + "; ".join(r.normalised for r in references))
passages = pd.DataFrame(
    [
        {name: to_dict(p)[name] for name in ("paragraph", "kind", "page", "addressees", "text")}
        | {"section": " › ".join(p.section_path), "passage_id": p.passage_id}
        for p in document.passages
    ]
)
kinds = st.multiselect("Passage kinds", ["body", "heading", "footnote"], default=["body", "heading"], key="kinds")
st.dataframe(
    passages[passages["kind"].isin(kinds)],
    hide_index=True,
    width="stretch",
    height=600,
    column_order=("paragraph", "kind", "page", "section", "addressees", "text", "passage_id"),
    column_config={"text": st.column_config.TextColumn(width="large")},
)

tables: dict[int, list] = {}
for passage in document.passages:
    if passage.table_row is not None:
        tables.setdefault(passage.table_row.table, []).append(passage.table_row)
for number, rows in tables.items():
    headers = [header or f"({column + 1})" for column, header in enumerate(rows[0].headers)]
    headers = [h if headers.index(h) == i else f"{h} ({i + 1})" for i, h in enumerate(headers)]  # unique column names
    st.subheader(f"Table {number}" + (f": {rows[0].title}" if rows[0].title else ""))
    st.dataframe(pd.DataFrame([row.cells for row in rows], columns=headers), hide_index=True, width="stretch",
                 key=f"table_{number}")
