"""The app as a whole: routing under AppTest, `conclusio ui` serving HTTP, and a real headless browser."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from conclusio.settings import REPO_ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
START_TIMEOUT = 90  # seconds for Streamlit to answer /_stcore/health


def test_app_routes_to_search_and_shows_the_model(corpus_env):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO_ROOT / "ui" / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Search"]
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "Model:" in sidebar and str(corpus_env) in sidebar


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


def rendered_dom(url: str, *expected: str) -> str:
    """The DOM headless Chromium renders for a URL, once all ``expected`` strings are in it (or after 2 min)."""
    with tempfile.TemporaryDirectory() as profile:
        command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                   "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                   "--window-size=1400,1000", "--virtual-time-budget=15000", "--dump-dom", url]
        # The first visit loads the embedding model in the server; later visits render at once.
        deadline = time.monotonic() + 120
        dom = ""
        while time.monotonic() < deadline:
            dom = subprocess.run(command, capture_output=True, text=True, timeout=90).stdout
            if all(text in dom for text in expected):
                break
            time.sleep(2)
    return dom


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_a_headless_browser_sees_the_search_page_render(served_ui):
    base, _ = served_ui
    dom = rendered_dom(f"{base}/", "Query", "Model:")
    assert "Prior wording" in dom and "Obligations" in dom  # the navigation rendered
    assert "Query" in dom and "Model:" in dom, "the search page did not render in the browser"


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_a_deep_link_opens_its_page_inside_the_app(served_ui):
    base, _ = served_ui
    dom = rendered_dom(f"{base}/obligations", "Status as of", "Model:")
    assert "Status as of" in dom, "the obligations page did not render"
    assert "Model:" in dom and "Prior wording" in dom, "the page ran without the app's sidebar and navigation"
