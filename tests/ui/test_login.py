"""Signing in for real: a local OpenID provider (the npm package oidc-provider, run with this machine's
Node.js), `conclusio ui` with Streamlit's OIDC login configured against it, and Debian's Chromium driven by
Playwright. bob signs in at the provider, confirms an evidence link, and the audit trail names him.

The provider is installed into a folder outside the repository (``$CONCLUSIO_TEST_TOOLS``, default
``~/.cache/conclusio-test-tools``) with ``npm install --prefix`` the first time; the test is skipped with
the reason when Node.js, npm, the package or Chromium cannot be had.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conclusio.settings import REPO_ROOT
from tests.ui.serving import free_port, stop, wait_for
from tests.ui.test_browser import ARTIFACTS, CHROMIUM

NODE, NPM = shutil.which("node"), shutil.which("npm")
PROVIDER_PACKAGE = "oidc-provider@9"
TOOLS = Path(os.environ.get("CONCLUSIO_TEST_TOOLS", Path.home() / ".cache" / "conclusio-test-tools"))
WAIT = 120_000  # milliseconds: the first page a session opens loads the embedding model in the server
USERS = """
[users."bob@conclusio.test"]
role = "analyst"
clearance = "LIMITE"
"""
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(NODE is None or NPM is None, reason="Node.js and npm are not installed (apt-get install nodejs npm)"),
]


def provider_script() -> Path:
    """oidc_provider.mjs beside an installed oidc-provider (ES modules resolve packages from the script's folder)."""
    package = TOOLS / "node_modules" / "oidc-provider" / "package.json"
    if not package.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([NPM, "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", PROVIDER_PACKAGE],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not package.exists():
            pytest.skip(f"could not install {PROVIDER_PACKAGE} from the npm registry: {done.stderr.strip()[-300:]}")
    script = TOOLS / "oidc_provider.mjs"
    shutil.copyfile(Path(__file__).with_name("oidc_provider.mjs"), script)
    return script


@pytest.fixture
def signed_in_ui(tmp_path, ingested_corpus):
    """A local OpenID provider and `conclusio ui` signing in through it; yields the UI's base URL."""
    script = provider_script()
    provider_port, ui_port = free_port(), free_port()
    issuer, base = f"http://127.0.0.1:{provider_port}", f"http://127.0.0.1:{ui_port}"
    client_secret = secrets.token_urlsafe(24)
    provider = subprocess.Popen([NODE, str(script), str(provider_port), "conclusio", client_secret,
                                 f"{base}/oauth2callback"], cwd=TOOLS, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, start_new_session=True)
    try:
        wait_for(f"{issuer}/.well-known/openid-configuration", provider, "the OpenID provider")
        store = tmp_path / "store"
        shutil.copytree(ingested_corpus.settings.store_dir, store)
        users = tmp_path / "users.toml"
        users.write_text(USERS, encoding="utf-8")
        secrets_file = tmp_path / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{base}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
            'client_id = "conclusio"\n'
            f'client_secret = "{client_secret}"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            'client_kwargs = { prompt = "login" }\n',
            encoding="utf-8",
        )
        env = dict(os.environ, CONCLUSIO_USERS=str(users))
        env.pop("CONCLUSIO_USER", None)
        ui = subprocess.Popen(
            [sys.executable, "-m", "application", "ui", "--port", str(ui_port), "--address", "127.0.0.1",
             "--secrets", str(secrets_file), "--store", str(store), "--model", ingested_corpus.settings.embed_model],
            cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        try:
            wait_for(f"{base}/_stcore/health", ui, "conclusio ui")
            yield base
        finally:
            stop(ui)
    finally:
        stop(provider)


def test_bob_signs_in_at_the_provider_reviews_evidence_and_the_audit_trail_names_him(signed_in_ui):
    from playwright.sync_api import expect, sync_playwright

    base = signed_in_ui
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu",
                                            "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1100})
            # Only this machine: the provider's pages ask for a web font, which must not leave it.
            page.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]).*"), lambda route: route.abort())
            page.set_default_timeout(WAIT)
            page.goto(f"{base}/")
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/interaction/"))
            page.fill("input[name=login]", "bob")
            page.fill("input[name=password]", "any password")
            page.get_by_role("button", name="Sign-in").click()
            page.get_by_role("button", name="Continue").click()  # consent to share e-mail and profile
            page.wait_for_url(re.compile(re.escape(base)))
            expect(page.get_by_text("bob@conclusio.test").first).to_be_visible(timeout=WAIT)
            expect(page.get_by_text("analyst · clearance LIMITE").first).to_be_visible(timeout=WAIT)

            page.goto(f"{base}/obligations")
            grid = page.locator("[data-testid='stDataFrame']").first
            expect(grid).to_be_visible(timeout=WAIT)
            box = grid.bounding_box()
            # the first row's selection box: left of the grid, one header row down
            page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
            confirm = page.get_by_role("button", name="Confirm").first
            expect(confirm).to_be_visible(timeout=WAIT)
            confirm.click()
            expect(page.get_by_text("confirmed").first).to_be_visible(timeout=WAIT)
            expect(page.get_by_text("by bob@conclusio.test").first).to_be_visible(timeout=WAIT)  # the confirmation
            trail = page.locator("[data-testid=stTable]").last  # the audit trail, below the evidence
            expect(trail).to_contain_text("bob@conclusio.test", timeout=WAIT)
            cells = trail.inner_text().split()  # the table's cells in reading order
            who = cells.index("bob@conclusio.test")
            assert cells[who + 1].startswith("link:") and cells[who + 2] == "confirmed", cells
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "signed-in-review-audited.png"), full_page=True)
        finally:
            browser.close()
