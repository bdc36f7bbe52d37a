"""The app as a whole: routing under AppTest, `conclusio ui` serving HTTP, and a real headless browser."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conclusio.settings import REPO_ROOT

START_TIMEOUT = 90  # seconds for Streamlit to answer /_stcore/health


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8", "replace")


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
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            try:
                if get(f"{base}/_stcore/health")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"conclusio ui did not answer on port {port}: {first_line}{process.stdout.read()}")
            time.sleep(0.5)
        yield base, first_line
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_conclusio_ui_prints_its_url_and_answers_http(served_ui):
    base, first_line = served_ui
    assert base in first_line
    status, body = get(base)
    assert status == 200 and "<html" in body.lower()
