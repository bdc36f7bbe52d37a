"""Search page: a query (with the query language's help), a mode, a sort, filters with facet counts and a
date range, and hits with citations."""

from __future__ import annotations

from datetime import date

import streamlit as st

from application import QUERY_HELP, SORTS, SearchFilters
from ui import resources

STATUS_BADGES = {"done": ":green-badge[done]", "overdue": ":red-badge[overdue]", "due soon": ":orange-badge[due soon]",
                 "in progress": ":violet-badge[in progress]", "open": ":blue-badge[open]",
                 "no deadline": ":gray-badge[no deadline]"}

SORT_LABELS = {"relevance": "Relevance", "newest": "Newest document first", "oldest": "Oldest document first"}
EARLIEST, LATEST = date(1950, 1, 1), date(2100, 12, 31)

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
query_column, help_column = st.columns([6, 1], vertical_alignment="bottom")
query = query_column.text_input(
    "Query", placeholder='bv. verslag Europol "legale bedrijfsstructuren" -eurojust date:2024', key="query"
)
with help_column.popover("Syntax", help="Operators and fields of the query language"):
    st.markdown("Phrases, AND / OR / NOT, prefixes and fields; for example "
                "`europol -eurojust`, `haven* -douane`, `actor:Europol status:overdue`.")
    st.code(QUERY_HELP, language=None)
st.query_params["q"] = query
left, middle, right = st.columns([3, 2, 1])
mode = left.segmented_control("Mode", ("hybrid", "lexical", "semantic"), default="hybrid", key="mode") or "hybrid"
sort = middle.selectbox("Sort", SORTS, format_func=SORT_LABELS.get, key="sort")
k = right.number_input("Hits", min_value=1, max_value=50, value=10, key="k")


def chosen_filters() -> SearchFilters:
    """The filters from the sidebar widgets' current values."""
    values = {field: tuple(st.session_state.get(f"filter_{field}", ())) for _, field, _ in FACET_FILTERS}
    only_obligations = st.session_state.get("filter_has_obligations", False)
    dates = {name: day.isoformat() if day else None
             for name, day in (("date_from", st.session_state.get("filter_date_from")),
                               ("date_to", st.session_state.get("filter_date_to")))}
    return SearchFilters(**values, **dates, has_obligations=True if only_obligations else None)


answer = None
if query.strip():
    with st.spinner("Searching…"):
        answer = app.search(query, k=int(k), mode=mode, filters=chosen_filters(), as_of=date.today(), sort=sort)
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
    st.caption("Document date")
    st.date_input("From", value=None, min_value=EARLIEST, max_value=LATEST, key="filter_date_from")
    st.date_input("To", value=None, min_value=EARLIEST, max_value=LATEST, key="filter_date_to")

if result is None:
    st.caption("Type a query: keywords, a phrase in quotes, or a question in Dutch or English; "
               "operators and fields are under Syntax.")
    st.stop()

if result.message:
    st.info(result.message)
if result.expansions:
    st.caption("Also searched for: " + ", ".join(result.expansions))
st.caption(f"{len(result.hits)} hits ({mode}, {SORT_LABELS[sort].lower()})")
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
