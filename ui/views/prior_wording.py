"""Prior wording page: paste a draft and see the closest stored passages with a word diff and a citation.

The draft is kept across pages and in the URL (``ui.state``), so a comparison can be shared as a link.
"""

from __future__ import annotations

import streamlit as st

from ui import components, resources, state
from ui.diff_view import diff_html
from ui.state import Field

FIELDS = (Field("draft", "draft", max_chars=5000), Field("similar_k", "k", "int", 5, bounds=(1, 20)))

settings = resources.load_settings()
app = resources.app_or_stop(settings)
state.restore(FIELDS)

st.title("Prior wording")
draft = st.text_area("Draft text", height=120, key="draft", max_chars=5000,
                     placeholder="Plak een conceptzin, bv. 'verzoekt Europol een verslag op te stellen over ...'")
k = st.slider("Passages", min_value=1, max_value=20, key="similar_k")
state.remember(FIELDS)
if not draft.strip():
    st.caption("Paste a draft sentence or paragraph to find how the Council worded it before.")
    st.stop()

with st.spinner("Looking for prior wording…"):
    hits = app.similar(draft, k=k)
if not hits:
    st.info("No similar passages found.")
    st.stop()
citations = app.citations([hit.passage_id for hit in hits])
st.caption("The diff turns the stored wording into your draft: :red[red struck-through] words are only in the "
           "stored passage, :green[green] words are new in your draft.")
for rank, hit in enumerate(hits, 1):
    cited = citations.get(hit.passage_id)
    with st.container(border=True):
        similarity = f"{hit.similarity:.2f}" if hit.similarity is not None else "?"
        st.markdown(f"**{rank}. {components.md_escape(str(cited or hit.citation))}**  ·  similarity {similarity}")
        if cited and cited.title and cited.title.strip() != cited.document:
            st.caption(components.md_escape(cited.title))
        if hit.diff:
            st.html(diff_html(hit.diff))
        cite_column, link_column = st.columns([4, 1], vertical_alignment="center")
        with cite_column:
            components.citation(cited or hit.citation)
        with link_column:
            components.open_in_document(hit.source_file, hit.passage_id)
        with st.expander("Stored passage"):
            components.plain(hit.text)
