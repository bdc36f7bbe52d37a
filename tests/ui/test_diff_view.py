"""The coloured word diff: deletions and insertions styled apart, text escaped."""

from ui.diff_view import diff_html


def test_deletions_and_insertions_are_coloured_and_escaped():
    html = diff_html([
        {"op": "equal", "text": "tegen eind"},
        {"op": "delete", "text": "2024"},
        {"op": "insert", "text": "2025 <b>"},
    ])
    assert '<span class="diff-delete" style="background:#fde2e1;color:#a11;text-decoration:line-through">2024' in html
    assert 'class="diff-insert"' in html and "2025 &lt;b&gt;" in html and "<b>" not in html
    assert "tegen eind" in html and "diff-equal" not in html
