"""Pieces the pages share: citations with a copy button, links into a document, plain text, status badges.

Text from documents, notes and queries is never read as Markdown or HTML here: it is shown with
``st.text`` or escaped into ``st.html``, so a note with a link or a ``<script>`` shows as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

import streamlit as st

from application import Citation
from conclusio.text import printable

DOCUMENT_PAGE = "views/documents.py"
STATUS_COLOURS = {"done": "#2e7d32", "overdue": "#c62828", "due soon": "#ef6c00", "in progress": "#6a1b9a",
                  "open": "#1565c0", "no deadline": "#757575"}
STATUS_BADGES = {"done": ":green-badge[done]", "overdue": ":red-badge[overdue]", "due soon": ":orange-badge[due soon]",
                 "in progress": ":violet-badge[in progress]", "open": ":blue-badge[open]",
                 "no deadline": ":gray-badge[no deadline]"}
# What Streamlit's Markdown reads as formatting within a line: emphasis, code, links and images, HTML, formulas,
# strike-through, tables, and the ':red[...]' / ':emoji:' directives; at the start of a line also headings,
# lists and quotes.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>$~|]|:(?=\w))")
_MARKDOWN_LINE_START = re.compile(r"^(\s*(?:\d+)?)([#>+\-.)])")
_MARKED = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


_STAGE_WORDS = {"parse": ("reading", "files"), "write": ("embedding and writing", "passages"),
                "evidence": ("linking evidence", "obligations")}


def ingest_progress(stage: str, done: int, total: int, elapsed: float) -> tuple[float, str]:
    """(fraction, text) of an ingest stage for a progress bar: counts, and the time left once it can be told.

    The time left is a straight extrapolation of the stage's own pace, shown after a second of it and the
    first unit done (before that any estimate is noise).
    """
    verb, unit = _STAGE_WORDS.get(stage, (stage, "items"))
    total = max(total, 0)
    done = min(max(done, 0), total)
    fraction = done / total if total else 0.0
    text = f"{verb}: {done:,} of {total:,} {unit}" if total else f"{verb}…"
    if 0 < done < total and elapsed >= 1.0:
        left = elapsed * (total - done) / done
        text += f" · about {_duration(left)} left"
    return fraction, text


def _duration(seconds: float) -> str:
    """'8 s', '3 min', '1 h 20 min': as precise as a time left can usefully be."""
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def md_escape(text: str | None) -> str:
    """Text that Streamlit's Markdown shows as written (no links, colours, emphasis or formulas); one line."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", printable(text, one_line=True))
    return _MARKDOWN_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def badge(status: str) -> str:
    """A coloured status badge in Streamlit Markdown."""
    return STATUS_BADGES.get(status, md_escape(status))


def citation(cited: Citation | str) -> None:
    """A citation on one line with a copy button (Streamlit's code block copies its text)."""
    st.code(str(cited), language=None, wrap_lines=True)


def snippet_html(snippet: str) -> str:
    """A search snippet with its matched words (marked ``**word**`` by the searcher) highlighted; all else escaped."""
    parts = []
    cursor = 0
    text = printable(snippet, one_line=True)
    for match in _MARKED.finditer(text):
        parts.append(escape(text[cursor:match.start()]))
        parts.append(f"<mark>{escape(match.group(1))}</mark>")
        cursor = match.end()
    parts.append(escape(text[cursor:]))
    return f'<div class="snippet" style="line-height:1.6">{"".join(parts)}</div>'


def open_in_document(source_file: str, passage_id: str | None = None, *, label: str = "Open in document") -> None:
    """A link to the document view, opened at the passage (highlighted and scrolled into view)."""
    params = {"doc": source_file} | ({"passage": passage_id} if passage_id else {})
    st.page_link(DOCUMENT_PAGE, label=label, icon=":material/article:", query_params=params)


def plain(text: str | None) -> None:
    """Text as written, without control characters: no Markdown, no HTML."""
    st.text(printable(text))


FLASH = "_flash"


def flash(message: str, *, kind: str = "success", undo: dict | None = None) -> None:
    """A confirmation (or a refusal) to show on the run a change causes, with what undoes it when it can be undone."""
    st.session_state[FLASH] = {"message": printable(message, one_line=True), "kind": kind, "undo": undo}


def show_flash(undo: Callable[[dict], None]) -> None:
    """The last confirmation, once, with an Undo button that calls ``undo`` with what the change recorded."""
    shown = st.session_state.pop(FLASH, None)
    if not shown:
        return
    message, change = md_escape(shown["message"]), shown.get("undo")
    if shown.get("kind") == "error":
        st.error(message, icon=":material/error:")
        return
    text, button = st.columns([8, 1], vertical_alignment="center")
    text.success(message, icon=":material/check_circle:")
    if change:
        button.button("Undo", key="undo_last_change", on_click=undo, args=(change,), icon=":material/undo:")
    st.toast(message, icon=":material/check_circle:")


# Streamlit's date field takes a typed date only when its calendar closes (Escape, or leaving the field): Enter
# does nothing, so a typed "Due before" seemed not to apply. This makes Enter in a date field close its calendar,
# which applies the date at once. It only sends the key Streamlit already handles; no page data is involved.
_ENTER_APPLIES_DATES = """<script>
(function () {
  const root = window.parent && window.parent.document ? window.parent.document : document;
  if (root.__conclusioEnterAppliesDates) return;
  root.__conclusioEnterAppliesDates = true;
  root.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.closest) return;
    const field = event.target.closest('[data-testid="stDateInputField"]');
    if (!field) return;
    event.preventDefault();
    event.target.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", code: "Escape", bubbles: true}));
  }, true);
})();
</script>"""


def enter_applies_dates() -> None:
    """Make Enter in any date field of the page apply the typed date at once (see above)."""
    st.html(_ENTER_APPLIES_DATES, unsafe_allow_javascript=True)
