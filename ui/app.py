"""Conclusio's Streamlit entry point: signs the user in (``resources.current_user``), routes to the pages and
shows who is signed in, the store and the model (named from its files, not loaded).

The pages live in ``views/``, not ``pages/``: Streamlit runs a script in a ``pages/`` folder on its own
for a deep link (/search), skipping this entry point, its page config and its sidebar.
The sidebar names the model from its files without loading it: the obligations and documents pages
need none, and must not wait for one.
"""

from __future__ import annotations

import streamlit as st

from ui import resources

st.set_page_config(page_title="Conclusio", page_icon=":material/gavel:", layout="wide")
settings = resources.load_settings()
user = resources.current_user(settings)  # signs in (OIDC) or stops with a page saying who is not let in

navigation = st.navigation(
    [
        st.Page("views/search.py", title="Search", icon=":material/search:", default=True),
        st.Page("views/prior_wording.py", title="Prior wording", icon=":material/difference:"),
        st.Page("views/obligations.py", title="Obligations", icon=":material/checklist:"),
        st.Page("views/documents.py", title="Documents", icon=":material/description:"),
        st.Page("views/add_documents.py", title="Add documents", icon=":material/upload_file:"),
    ]
)

with st.sidebar:
    resources.describe_user(user, settings)
    st.caption(f"Store: `{settings.store_dir}` ({settings.backend})")
    model = resources.model(settings)
    if isinstance(model, str):
        st.caption(f":orange[No embedding model: {model}]")
    else:
        st.caption(f"Model: `{model.name}`" + (f" (dim {model.dim})" if model.dim else ""))
        if model.languages:
            st.caption(f"Languages: {', '.join(model.languages)}")

navigation.run()
