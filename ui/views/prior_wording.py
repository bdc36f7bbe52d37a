"""Prior wording page: paste a draft and see the closest stored passages with a word diff."""

from __future__ import annotations

import streamlit as st

from ui import resources
from ui.diff_view import diff_html

settings = resources.load_settings()
app = resources.app_or_stop(settings)

st.title("Prior wording")
if "draft" not in st.session_state:  # a link such as /prior_wording?draft=... opens with that draft
    st.session_state.draft = st.query_params.get("draft", "")
draft = st.text_area("Draft text", height=120, key="draft",
                     placeholder="Plak een conceptzin, bv. 'verzoekt Europol een verslag op te stellen over ...'")
k = st.slider("Passages", min_value=1, max_value=20, value=5, key="similar_k")
if not draft.strip():
    st.caption("Paste a draft sentence or paragraph to find how the Council worded it before.")
    st.stop()

with st.spinner("Looking for prior wording…"):
    hits = app.similar(draft, k=k)
if not hits:
    st.info("No similar passages found.")
st.caption("The diff turns the stored wording into your draft: :red[red struck-through] words are only in the "
           "stored passage, :green[green] words are new in your draft.")
for rank, hit in enumerate(hits, 1):
    with st.container(border=True):
        similarity = f"{hit.similarity:.2f}" if hit.similarity is not None else "?"
        st.markdown(f"**{rank}. {hit.citation or hit.passage_id}**  ·  similarity {similarity}")
        if hit.diff:
            st.html(diff_html(hit.diff))
        with st.expander("Stored passage"):
            st.write(hit.text)
