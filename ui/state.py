"""A page's query and filters, kept by value: across reruns, across pages, and in the URL to share.

Streamlit forgets a widget's value when its page is left, and a multiselect or selectbox keeps the
*label* the browser showed: an option whose label carries a count ("Europol (12)") stops matching
once the count changes, and the filter then asks for "Europol (12)". So each page declares its
fields; ``restore`` puts each value back under its widget key before the widgets are drawn (which
also re-labels chosen options with today's counts), and ``remember`` keeps the values in session
state and writes the ones that differ from their default into the URL (``st.query_params``), so that
a link opens the same search. A URL value the page did not write itself (a shared link, a link from
another page) wins; otherwise the widget's own value; a page entered from the menu (no link) shows
what it showed last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import streamlit as st

KEPT = "_kept"  # session-state key of the values kept per widget key
WRITTEN = "_written"  # what this session last wrote into the URL, per widget key


@dataclass(frozen=True)
class Field:
    """One piece of page state: the widget key it lives under and the URL parameter it is shared as."""

    key: str
    param: str
    kind: str = "text"  # text | list | date | bool | int | choice
    default: Any = None
    choices: Sequence[Any] = ()  # for "choice": the values allowed (others read as the default)
    bounds: tuple[int, int] = (1, 1000)  # for "int"
    max_chars: int = 5000  # longer text from a link is cut here


def _session_dict(name: str) -> dict[str, Any]:
    if name not in st.session_state:
        st.session_state[name] = {}
    return st.session_state[name]


def restore(fields: Sequence[Field]) -> None:
    """Put each field's value under its key: a link's (a URL value this page did not write), else the widget's
    own, else the value kept from the last visit, else the default."""
    keep, written = _session_dict(KEPT), _session_dict(WRITTEN)
    for f in fields:
        in_url = st.query_params.get_all(f.param)
        if in_url and in_url != written.get(f.key):
            value = from_url(f)
        elif f.key in st.session_state:
            value = st.session_state[f.key]
        elif f.key in keep:
            value = keep[f.key]
        else:
            value = f.default
        st.session_state[f.key] = valid(f, value)


def remember(fields: Sequence[Field]) -> None:
    """Keep each field's current value for the next visit and write the non-default ones into the URL."""
    keep, written = _session_dict(KEPT), _session_dict(WRITTEN)
    for f in fields:
        value = valid(f, st.session_state.get(f.key, f.default))
        keep[f.key] = value
        encoded = to_url(f, value)
        wanted = [] if encoded is None else encoded if isinstance(encoded, list) else [encoded]
        written[f.key] = wanted
        if not wanted:
            if f.param in st.query_params:
                del st.query_params[f.param]
        elif st.query_params.get_all(f.param) != wanted:
            st.query_params[f.param] = wanted if f.kind == "list" else wanted[0]


def from_url(f: Field) -> Any:
    """A field's value read from the URL; what cannot be read is the default."""
    values = st.query_params.get_all(f.param)
    text = values[-1] if values else ""
    try:
        if f.kind == "list":
            return [v[: f.max_chars] for v in values if v]
        if f.kind == "date":
            return date.fromisoformat(text) if text else None
        if f.kind == "bool":
            return text.lower() in ("1", "true", "yes", "on")
        if f.kind == "int":
            return int(text)
        return text[: f.max_chars]
    except ValueError:
        return f.default


def valid(f: Field, value: Any) -> Any:
    """The value in the type and range its widget accepts, else the default."""
    if f.kind == "list":
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else list(f.default or [])
    if f.kind == "date":
        return value if isinstance(value, date) or value is None else f.default
    if f.kind == "bool":
        return bool(value)
    if f.kind == "int":
        low, high = f.bounds
        return min(max(int(value), low), high) if isinstance(value, (int, float)) else f.default
    if f.kind == "choice":
        return value if value in f.choices else f.default
    return str(value)[: f.max_chars] if value is not None else (f.default or "")


def to_url(f: Field, value: Any) -> list[str] | str | None:
    """The URL form of a value; None for the default (left out of the link)."""
    if value == f.default or value in (None, "", []) and not f.default:
        return None
    if f.kind == "list":
        return [str(v) for v in value]
    if f.kind == "date":
        return value.isoformat()
    if f.kind == "bool":
        return "1" if value else "0"
    return str(value)
