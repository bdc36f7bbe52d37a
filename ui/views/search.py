"""Search page: a query, a mode, filters with facet counts, and hits with citations."""

from __future__ import annotations

from datetime import date

import streamlit as st

from application import SearchFilters
from ui import resources

STATUS_BADGES = {"done": ":green-badge[done]", "overdue": ":red-badge[overdue]", "due soon": ":orange-badge[due soon]",
                 "in progress": ":violet-badge[in progress]", "open": ":blue-badge[open]",
                 "no deadline": ":gray-badge[no deadline]"}

FACET_FILTERS = (  # (facet name in FacetCounts, SearchFilters field, label)
    ("kind", "kinds", "Document kind"),
    ("document", "source_files", "Document"),
    ("actor", "actors", "Actor"),
    ("classification", "classifications", "Classification"),
    ("language", "languages", "Language"),
)

settings = resources.load_settings()
app = resources.app_or_stop(settings)

st.title("Search")
if "query" not in st.session_state:  # a link such as /?q=europol opens with that search
    st.session_state.query = st.query_params.get("q", "")
query = st.text_input("Query", placeholder="bv. verslag van Europol over legale bedrijfsstructuren", key="query")
st.query_params["q"] = query
left, right = st.columns([3, 1])
mode = left.segmented_control("Mode", ("hybrid", "lexical", "semantic"), default="hybrid", key="mode") or "hybrid"
k = right.number_input("Hits", min_value=1, max_value=50, value=10, key="k")


def chosen_filters() -> SearchFilters:
    """The filters from the sidebar widgets' current values."""
    values = {field: tuple(st.session_state.get(f"filter_{field}", ())) for _, field, _ in FACET_FILTERS}
    only_obligations = st.session_state.get("filter_has_obligations", False)
    return SearchFilters(**values, has_obligations=True if only_obligations else None)


answer = None
if query.strip():
    with st.spinner("Searching…"):
        answer = app.search(query, k=int(k), mode=mode, filters=chosen_filters(), as_of=date.today())
result = answer.result if answer else None

# The filter widgets come after the search so that their options can show this search's facet counts.
facets = result.facets.counts if result else {}
with st.sidebar:
    st.subheader("Filters")
    for facet, field, label in FACET_FILTERS:
        counts = facets.get(facet, {})
        chosen = st.session_state.get(f"filter_{field}", [])
        options = sorted(set(counts) | set(chosen))
        st.multiselect(label, options, key=f"filter_{field}",
                       format_func=lambda value, counts=counts: f"{value} ({counts.get(value, 0)})")
    st.checkbox("Only passages of documents with obligations", key="filter_has_obligations")

if result is None:
    st.caption("Type a query: keywords, a phrase in quotes, or a question in Dutch or English.")
    st.stop()

if result.message:
    st.info(result.message)
if result.expansions:
    st.caption("Also searched for: " + ", ".join(result.expansions))
st.caption(f"{len(result.hits)} hits ({mode})")
# What each hit asks of whom, by when, and whether it is done: the question a policy officer searches for.
stated = answer.obligations
for rank, hit in enumerate(result.hits, 1):
    with st.container(border=True):
        st.markdown(f"**{rank}. {hit.citation or hit.passage_id}**  ·  score {hit.score:.3f}")
        st.markdown(hit.snippet or hit.text)
        for row in stated.get(hit.passage_id, []):
            o = row.obligation
            deadline = f"by {o.deadline.end} ({o.deadline.text})" if o.deadline and o.deadline.end else "no deadline"
            expected = f", now expected {row.expected_end}" if row.expected_end else ""
            st.markdown(f"{STATUS_BADGES.get(row.status, row.status)} {', '.join(o.actors) or '?'} · {deadline}{expected}",
                        help=o.action)
        with st.expander("Full text"):
            st.write(hit.text)
