"""A word diff as coloured HTML: red struck-through deletions, green insertions."""

from __future__ import annotations

from html import escape

STYLES = {
    "delete": "background:#fde2e1;color:#a11;text-decoration:line-through",
    "insert": "background:#dcf5dc;color:#165d16",
}


def diff_html(diff: list[dict[str, str]]) -> str:
    """HTML for a diff given as ``[{"op": "equal|insert|delete", "text": ...}]``."""
    parts = []
    for segment in diff:
        text = escape(segment["text"])
        style = STYLES.get(segment["op"])
        parts.append(f'<span class="diff-{segment["op"]}" style="{style}">{text}</span>' if style else text)
    return f'<div style="line-height:1.7">{" ".join(parts)}</div>'
