"""Search page: a query (with the query language's help), a mode, a sort, filters with facet counts and a
date range, hits with citations that open in their document, an export of the hits, and a notice when
nothing matched well.

The query, mode, sort and filters are kept by value (``ui.state``): across pages, and in the URL, so
that a search can be shared as a link.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from application import QUERY_HELP, SORTS, SearchFilters
from application.citations import document_label
from ui import components, resources, state
from ui.state import Field

SORT_LABELS = {"relevance": "Relevance", "newest": "Newest document first", "oldest": "Oldest document first"}
MODES = ("hybrid", "lexical", "semantic")
EARLIEST, LATEST = date(1950, 1, 1), date(2100, 12, 31)
HIT_EXPORTS = {"CSV": ("csv", ",", "text/csv"), "CSV (;)": ("csv", ";", "text/csv"),
               "Excel": ("xlsx", ",", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
               "JSON": ("json", ",", "application/json")}

FACET_FILTERS = (  # (facet name in FacetCounts, SearchFilters field, label, URL parameter)
    ("kind", "kinds", "Document kind", "kind"),
    ("document", "source_files", "Document", "doc"),
    ("actor", "actors", "Actor", "actor"),
    ("classification", "classifications", "Classification", "class"),
    ("language", "languages", "Language", "lang"),
)
FIELDS = (
    Field("query", "q"),
    Field("mode", "mode", "choice", "hybrid", MODES),
    Field("sort", "sort", "choice", "relevance", SORTS),
    Field("k", "k", "int", 10, bounds=(1, 50)),
    *(Field(f"filter_{field}", param, "list", []) for _, field, _, param in FACET_FILTERS),
    Field("filter_has_obligations", "oblig", "bool", False),
    Field("filter_date_from", "from", "date", None),
    Field("filter_date_to", "to", "date", None),
)

settings = resources.load_settings()
app = resources.app_or_stop(settings)
state.restore(FIELDS)

st.title("Search")
query_column, help_column = st.columns([6, 1], vertical_alignment="bottom")
query = query_column.text_input(
    "Query", placeholder='bv. verslag Europol "legale bedrijfsstructuren" -eurojust date:2024', key="query"
)
with help_column.popover("Syntax", help="Operators and fields of the query language"):
    st.markdown("Phrases, AND / OR / NOT, prefixes and fields; for example "
                "`europol -eurojust`, `haven* -douane`, `actor:Europol status:overdue`.")
    st.code(QUERY_HELP, language=None)
left, middle, right = st.columns([3, 2, 1])
mode = left.segmented_control("Mode", MODES, key="mode") or "hybrid"
sort = middle.selectbox("Sort", SORTS, format_func=SORT_LABELS.get, key="sort")
k = right.number_input("Hits", min_value=1, max_value=50, key="k")


def chosen_filters() -> SearchFilters:
    """The filters as chosen (kept by value, so a changed query or count never loses them)."""
    values = {field: tuple(st.session_state.get(f"filter_{field}", ())) for _, field, _, _ in FACET_FILTERS}
    only_obligations = st.session_state.get("filter_has_obligations", False)
    dates = {name: day.isoformat() if isinstance(day, date) else None
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
metadata = app.metadata()
labels = {"document": lambda value: document_label(value, metadata.get(value))}
with st.sidebar:
    st.subheader("Filters")
    for facet, field, label, _ in FACET_FILTERS:
        counts = facets.get(facet, {})
        chosen = st.session_state.get(f"filter_{field}", [])
        options = sorted(set(counts) | set(chosen))
        name = labels.get(facet, str)
        st.multiselect(label, options, key=f"filter_{field}",
                       format_func=lambda value, counts=counts, name=name: f"{name(value)} ({counts.get(value, 0)})")
    st.checkbox("Only passages of documents with obligations", key="filter_has_obligations")
    st.caption("Document date")
    st.date_input("From", min_value=EARLIEST, max_value=LATEST, key="filter_date_from")
    st.date_input("To", min_value=EARLIEST, max_value=LATEST, key="filter_date_to")
    components.enter_applies_dates()
state.remember(FIELDS)

date_from, date_to = st.session_state.get("filter_date_from"), st.session_state.get("filter_date_to")
if isinstance(date_from, date) and isinstance(date_to, date) and date_from > date_to:
    st.warning(f"The date range is empty: {date_from} is after {date_to}.")

if result is None:
    st.caption("Type a query: keywords, a phrase in quotes, or a question in Dutch or English; "
               "operators and fields are under Syntax.")
    st.stop()

if result.message:
    st.info(components.md_escape(result.message))
if answer.weak_match:
    best = result.best_similarity or 0.0
    st.warning(f"Nothing matched well: no word of the query occurs in the documents, and the closest passages are "
               f"only loosely related in meaning (best similarity {best:.2f}). The scores below rank the hits "
               "against each other, so the first one scores high anyway.", icon=":material/help:")
if result.expansions:
    st.caption("Also searched for: " + components.md_escape(", ".join(result.expansions)))
summary, *buttons = st.columns([3, 1, 1, 1, 1], vertical_alignment="center")
summary.caption(f"{len(result.hits)} hits ({mode}, {SORT_LABELS[sort].lower()})")
if result.hits:
    for column, (label, (fmt, delimiter, mime)) in zip(buttons, HIT_EXPORTS.items()):
        column.download_button(
            label, lambda fmt=fmt, delimiter=delimiter: app.export_hits(answer, fmt, delimiter=delimiter),
            file_name=f"hits.{fmt}", mime=mime, key=f"hits_{label}", on_click="ignore", icon=":material/download:",
        )

# What each hit asks of whom, by when, and whether it is done: the question a policy officer searches for.
stated = answer.obligations
for rank, hit in enumerate(result.hits, 1):
    cited = answer.citations.get(hit.passage_id)
    with st.container(border=True):
        st.markdown(f"**{rank}. {components.md_escape(str(cited or hit.citation))}**  ·  score {hit.score:.3f}")
        if cited and cited.title and cited.title.strip() != cited.document:
            st.caption(components.md_escape(cited.title))
        st.html(components.snippet_html(hit.snippet or hit.text))
        for row in stated.get(hit.passage_id, []):
            o = row.obligation
            deadline = f"by {o.deadline.end} ({o.deadline.text})" if o.deadline and o.deadline.end else "no deadline"
            expected = f", now expected {row.expected_end}" if row.expected_end else ""
            st.markdown(f"{components.badge(row.status)} {components.md_escape(', '.join(o.actors) or '?')} · "
                        f"{components.md_escape(deadline + expected)}", help=components.md_escape(o.action))
        cite_column, link_column = st.columns([4, 1], vertical_alignment="center")
        with cite_column:
            components.citation(cited or hit.citation)
        with link_column:
            components.open_in_document(hit.source_file, hit.passage_id)
        with st.expander("Full text"):
            components.plain(hit.text)
