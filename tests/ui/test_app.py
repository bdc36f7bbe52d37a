"""The app as a whole: routing under AppTest, `conclusio ui` serving HTTP, and a real headless browser."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conclusio.settings import REPO_ROOT
from tests.ui.serving import free_port, get, stop, wait_for


def test_app_routes_to_search_and_shows_the_model_and_the_user(corpus_env):
    import getpass

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO_ROOT / "ui" / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Search"]
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "Model:" in sidebar and str(corpus_env) in sidebar
    assert f"**{getpass.getuser()}**" in sidebar  # who the audit trail will name; never a typed name
    assert not [w for w in at.text_input if "name" in w.label.lower()]


@pytest.fixture(scope="module")
def served_ui(ingested_corpus):
    """`conclusio ui` on a free port over the ingested corpus; yields (base URL, first line printed)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "application", "ui", "--port", str(port), "--store", str(ingested_corpus.settings.store_dir),
         "--model", ingested_corpus.settings.embed_model],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    first_line = process.stdout.readline()
    base = f"http://localhost:{port}"
    try:
        wait_for(f"{base}/_stcore/health", process, f"conclusio ui (it printed {first_line.strip()!r})")
        yield base, first_line
    finally:
        stop(process)


def test_conclusio_ui_prints_its_url_and_answers_http(served_ui):
    base, first_line = served_ui
    assert base in first_line
    status, body = get(base)
    assert status == 200 and "<html" in body.lower()
