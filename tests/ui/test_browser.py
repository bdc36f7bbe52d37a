"""The analysts' tasks end to end in a real browser: Playwright driving Debian's Chromium against
`conclusio ui` served on a free port over a copy of the session's ingested corpus.

One test per task; each saves a screenshot into ``test-artifacts/browser/`` (printed at the start).
The app is served once for the module. Streamlit draws tables on a canvas, so a row is ticked by
clicking its checkbox cell and read back from what the page prints beside it (the obligation id).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from conclusio.settings import REPO_ROOT
from tests.ui.serving import free_port, stop, wait_for

CHROMIUM = next((path for path in ("/usr/bin/chromium", shutil.which("chromium") or "") if path and Path(path).exists()),
                None)
ARTIFACTS = Path(os.environ.get("CONCLUSIO_TEST_ARTIFACTS", REPO_ROOT / "test-artifacts")) / "browser"
RUN_TIMEOUT = 180_000  # milliseconds for one script run; the first search loads the embedding model
ROW_HEIGHT, HEADER_HEIGHT = 35, 35  # Streamlit's data grid, in pixels

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"),
]


# ---- the served app, the browser, and what every test does with them -----------------------------------------

@pytest.fixture(scope="module")
def store_dir(ingested_corpus, tmp_path_factory) -> Path:
    """A copy of the session's corpus store: the tests review, set statuses and upload into it."""
    target = tmp_path_factory.mktemp("browser") / "store"
    shutil.copytree(ingested_corpus.settings.store_dir, target)
    return target


@pytest.fixture(scope="module")
def app_url(store_dir, ingested_corpus) -> str:
    """`python -m application ui` on a free port over the copied store, until the module's tests are done."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), HF_HUB_OFFLINE="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "application", "ui", "--port", str(port), "--store", str(store_dir),
         "--model", ingested_corpus.settings.embed_model],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    base = f"http://localhost:{port}"
    try:
        wait_for(f"{base}/_stcore/health", process, "conclusio ui")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        print(f"\nbrowser screenshots: {ARTIFACTS}")
        yield base
    finally:
        stop(process)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def idle(page, settle: float = 0.5) -> None:
    """Wait until the app's script run is over and its elements are drawn, and check that none failed."""
    time.sleep(settle)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=RUN_TIMEOUT)
    for _ in range(40):
        if not page.locator("[data-testid=stSkeleton]").count():
            break
        time.sleep(0.25)
    failures = page.locator("[data-testid=stException]")
    assert failures.count() == 0, f"the page shows a traceback: {failures.first.inner_text()[:500]}"


def visit(page, url: str, text: str) -> None:
    page.goto(url)
    page.get_by_text(text, exact=False).first.wait_for(timeout=RUN_TIMEOUT)
    idle(page)


def choose(page, label: str, option: str) -> None:
    """Pick the option whose label starts with ``option`` (options show their counts) in a select box."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    box.press_sequentially(option)  # the drop-down lists only what fits on screen: narrow it, as a user would
    page.get_by_role("option", name=re.compile("^" + re.escape(option))).first.click()
    page.keyboard.press("Escape")
    idle(page)


def unchoose(page, option: str) -> None:
    """Remove a chosen option (its tag) from a multiselect."""
    page.get_by_role("button", name=re.compile("^Remove " + re.escape(option))).first.click()
    idle(page)


def search(page, query: str) -> None:
    box = page.get_by_role("textbox", name="Query")
    box.fill(query)
    box.press("Enter")
    idle(page)


def hit_titles(page) -> list[str]:
    return [t for t in page.locator("[data-testid=stMarkdownContainer] strong").all_inner_texts()
            if re.match(r"^\d+\. ", t)]


def shot(page, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def tick_row(page, row: int, table: int = 0) -> None:
    """Tick the selection checkbox of a data grid row (from 0), as a user clicks it."""
    grid = page.locator("[data-testid=stDataFrame]").nth(table)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + HEADER_HEIGHT + ROW_HEIGHT * row + ROW_HEIGHT / 2)
    idle(page)


def shown_obligation_id(page) -> str:
    text = page.get_by_text("Obligation id:").first.inner_text()
    return text.split("Obligation id:", 1)[1].strip()


# ---- one test per task -----------------------------------------------------------------------------------------

def test_search_with_two_filters_and_a_changed_query_keeps_them_and_shares_as_a_link(page, app_url):
    visit(page, app_url, "Query")
    search(page, "Europol")
    assert hit_titles(page)
    choose(page, "Actor", "Europol")
    choose(page, "Document kind", "council_conclusions")
    with_both = hit_titles(page)
    assert with_both, "two filters together gave no hits"
    search(page, "verslag")
    assert page.get_by_role("button", name=re.compile(r"^Remove Europol \(")).count() == 1
    assert page.get_by_role("button", name=re.compile(r"^Remove council_conclusions \(")).count() == 1
    changed = hit_titles(page)
    assert changed and changed != with_both
    assert all("2024" in title or "2023" in title for title in changed)  # the council conclusions, by their date
    link = page.url
    assert "q=verslag" in link and "actor=Europol" in link and "kind=council_conclusions" in link

    page.get_by_role("link", name="Obligations").first.click()  # another page and back: nothing is lost
    idle(page)
    page.get_by_role("link", name="Search").first.click()
    idle(page)
    assert page.get_by_role("textbox", name="Query").input_value() == "verslag"
    assert hit_titles(page) == changed

    shared = page.context.new_page()  # a colleague opens the link: a new session, the same search
    visit(shared, link, "hits (")
    assert hit_titles(shared) == changed
    shot(shared, "search-two-filters-changed-query")
    shared.close()


def test_hostile_queries_never_show_a_traceback(page, app_url):
    visit(page, app_url, "Query")
    for query in ("x" * 5000, "<script>alert('x')</script>", "'; DROP TABLE passages; --", 'NEAR(a b) "open',
                  "*:* OR ^2 AND ()", "actor: date:2024-13-45..x"):
        search(page, query)  # idle() fails on any traceback
    assert page.locator("script", has_text="alert('x')").count() == 0
    visit(page, f"{app_url}/obligations?id=%3Cscript%3E&asof=garbage&status=nonsense&due=2024-99-99", "Obligations")
    assert page.get_by_text("no obligation with id").count() == 1
    visit(page, f"{app_url}/documents?doc=..%2F..%2Fetc%2Fpasswd&passage=%22%3E%3Cb%3E", "Documents")
    shot(page, "hostile-inputs")


def test_open_a_hit_in_its_document_at_its_passage(page, app_url):
    visit(page, f"{app_url}/?q=legale+bedrijfsstructuren", "hits (")
    hits = "[data-testid=stVerticalBlock]:has(> [data-testid=stLayoutWrapper] > [data-testid=stExpander])"
    first_hit = page.locator(hits).first  # the bordered box of the first hit
    title = first_hit.locator("strong").first.inner_text()
    first_hit.get_by_role("link", name="Open in document").click()
    page.locator(".conclusio-document").wait_for(timeout=RUN_TIMEOUT)
    idle(page, 1.5)
    assert "/documents?" in page.url and "passage=" in page.url
    highlighted = page.locator(".conclusio-document [style*='fff3b0']")
    assert highlighted.count() == 1
    box = highlighted.bounding_box()
    assert box is not None and 0 <= box["y"] < 1000, "the passage was not scrolled into view"
    citation = page.locator("[data-testid=stCode]").first.inner_text()
    page.locator("[data-testid=stCode]").first.hover()  # the citation has a copy button
    page.locator("[data-testid=stCode]").first.get_by_role("button", name="Copy to clipboard").wait_for(timeout=10_000)
    assert citation.split(",")[0] == title.split(". ", 1)[1].split(",")[0]  # the same document as the hit
    assert page.get_by_role("tab", name=re.compile(r"^Obligations \(")).count() == 1
    shot(page, "hit-opened-in-document")
    page.get_by_role("tab", name=re.compile(r"^References")).click()
    idle(page)
    assert page.get_by_text("This document refers to").count() == 1


def test_prior_wording_finds_the_source_of_a_light_edit(page, app_url, ingested_corpus):
    draft = ("De Raad verzoekt Europol om tegen eind 2025 een specifiek verslag te publiceren over het gebruik van "
             "legale bedrijfsstructuren door de meest bedreigende criminele netwerken")
    visit(page, f"{app_url}/prior_wording", "Draft text")
    box = page.get_by_role("textbox", name="Draft text")
    box.fill(draft)
    box.press("Control+Enter")
    page.get_by_text("similarity").first.wait_for(timeout=RUN_TIMEOUT)
    idle(page)
    first = hit_titles(page)[0]
    assert "punt" in first and "2024" in first, first  # the 2024 conclusions' own point, cited with its date
    assert page.locator(".diff-insert").count() >= 1 and page.locator(".diff-delete").count() >= 1
    assert "draft=" in page.url
    shot(page, "prior-wording-light-edit")


def test_upload_a_pdf_and_a_broken_file(page, app_url, tmp_path):
    spec = importlib.util.spec_from_file_location("council_documents", REPO_ROOT / "tests/ingest/council_documents.py")
    documents = sys.modules.setdefault("council_documents", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(documents)
    good = documents.write_council_pdf(tmp_path / "havenconclusies.pdf", documents.council_pages())
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    empty = tmp_path / "<script>leeg.txt"
    empty.write_bytes(b"")
    visit(page, f"{app_url}/add_documents", "Add documents")
    page.locator("input[type=file]").set_input_files([str(good), str(broken), str(empty)])
    page.get_by_text("kapot.pdf").first.wait_for()
    page.get_by_role("button", name="Add to the store").click()
    page.get_by_text("ingested: havenconclusies.pdf").wait_for(timeout=RUN_TIMEOUT)
    idle(page)
    assert page.get_by_text("done", exact=True).count() == 1  # the stage bar ran to its end
    failed = page.get_by_text(re.compile(r"failed: kapot\.pdf: .+")).first.inner_text()
    assert "Traceback" not in failed
    assert page.get_by_text(re.compile(r"failed: <script>leeg\.txt: .+")).count() >= 1  # the name as written
    shot(page, "upload-pdf-and-broken-file")
    page.get_by_role("link", name="Open havenconclusies.pdf").click()
    page.locator(".conclusio-document").wait_for(timeout=RUN_TIMEOUT)
    idle(page)
    assert page.get_by_text("legale bedrijfsstructuren").count() >= 1


def test_obligation_selection_follows_its_id_through_filters_status_and_audit(page, app_url):
    visit(page, f"{app_url}/obligations", "Tick a row")
    choose(page, "Actor", "Europol")
    choose(page, "Status", "overdue")
    overdue = int(page.locator("[data-testid=stMetricValue]").nth(1).inner_text())
    assert overdue >= 6, "the scenario needs six overdue Europol obligations"
    tick_row(page, 5)
    chosen = shown_obligation_id(page)
    unchoose(page, "overdue")  # the table now has other rows in that position
    assert shown_obligation_id(page) == chosen
    assert f"id={chosen.replace('#', '%23')}" in page.url

    form = page.locator("[data-testid=stForm]")
    form.scroll_into_view_if_needed()
    form.get_by_role("combobox", name="Status").click()  # the form's status box, not the filter
    page.get_by_role("option", name="done", exact=True).click()
    form.get_by_role("textbox", name="Note").fill("Afgerond volgens COSI <b>geen html</b>")
    form.get_by_role("button", name="Save").click()
    idle(page)
    confirmation = page.locator("[data-testid=stAlertContentSuccess]").first.inner_text()
    assert "Saved" in confirmation and chosen in confirmation and "'done'" in confirmation
    assert shown_obligation_id(page) == chosen
    audit = page.locator("[data-testid=stTable]").last.inner_text()
    assert "done" in audit and "Afgerond volgens COSI <b>geen html</b>" in audit
    assert page.get_by_text("Afgerond volgens COSI <b>geen html</b>").count() >= 1  # the note as written
    shot(page, "obligation-selected-filtered-saved")


def test_undo_a_rejected_evidence_link(page, app_url, ingested_corpus):
    from tracking import track

    with_evidence = next(r for r in track(ingested_corpus.store, None, as_of=date.today()) if r.evidence)
    oid = with_evidence.obligation.id
    visit(page, f"{app_url}/obligations?id={oid.replace('#', '%23')}", "Evidence from later documents")
    assert shown_obligation_id(page) == oid
    page.get_by_role("button", name="Reject").first.click()
    idle(page)
    assert "Evidence rejected" in page.locator("[data-testid=stAlertContentSuccess]").first.inner_text()
    assert page.get_by_text("Rejected evidence (1)").count() == 1
    page.get_by_role("button", name="Undo").click()  # undo from the confirmation
    idle(page)
    assert page.get_by_text("Rejected evidence").count() == 0

    page.get_by_role("button", name="Reject").first.click()  # reject again, then un-reject from the list
    idle(page)
    page.get_by_role("button", name="Un-reject").click()
    idle(page)
    assert page.get_by_text("Rejected evidence").count() == 0
    assert "review cleared" in page.locator("[data-testid=stAlertContentSuccess]").first.inner_text()
    audit = page.locator("[data-testid=stTable]").last.inner_text()
    assert audit.count("rejected") >= 2
    shot(page, "evidence-rejected-and-undone")


def test_export_every_format_and_read_the_files_back(page, app_url, tmp_path):
    from icalendar import Calendar
    from openpyxl import load_workbook

    visit(page, f"{app_url}/obligations?actor=Europol", "Tick a row")
    shown = sum(int(v) for v in page.locator("[data-testid=stMetricValue]").all_inner_texts())
    files = {}
    for label in ("CSV", "CSV (;)", "Excel", "Markdown", "Calendar", "JSON"):
        with page.expect_download() as download:
            page.get_by_role("button", name=label, exact=True).click()
        files[label] = tmp_path / f"{label}-{download.value.suggested_filename}"
        download.value.save_as(files[label])
    comma = files["CSV"].read_bytes()
    assert comma.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(comma.decode("utf-8-sig"), newline="")))
    assert len(rows) == shown and all("Europol" in r["actors"] for r in rows)
    semicolon = list(csv.DictReader(io.StringIO(files["CSV (;)"].read_bytes().decode("utf-8-sig"), newline=""),
                                    delimiter=";"))
    assert semicolon == rows
    sheet = load_workbook(files["Excel"]).active
    header = [c.value for c in sheet[1]]
    due = header.index("deadline_end") + 1
    dated = [sheet.cell(row=n, column=due) for n in range(2, sheet.max_row + 1) if sheet.cell(row=n, column=due).value]
    assert sheet.max_row - 1 == shown and dated and all(cell.is_date for cell in dated)
    assert [d["id"] for d in json.loads(files["JSON"].read_text("utf-8"))] == [r["id"] for r in rows]
    events = Calendar.from_ical(files["Calendar"].read_bytes()).walk("VEVENT")
    assert len(events) == len(dated)
    assert len(files["Markdown"].read_text("utf-8").splitlines()) == shown + 2
    shot(page, "obligations-exports")

    visit(page, f"{app_url}/?q=Europol+verslag", "hits (")
    for label, suffix in (("CSV", "csv"), ("Excel", "xlsx"), ("JSON", "json")):
        with page.expect_download() as download:
            page.get_by_role("button", name=label, exact=True).click()
        target = tmp_path / f"hits.{suffix}"
        download.value.save_as(target)
        files[f"hits {label}"] = target
    hits = list(csv.DictReader(io.StringIO(files["hits CSV"].read_bytes().decode("utf-8-sig"), newline="")))
    assert [h["citation"] for h in hits] == [t.split(". ", 1)[1] for t in hit_titles(page)]
    assert load_workbook(files["hits Excel"]).active.max_row == len(hits) + 1
    assert len(json.loads(files["hits JSON"].read_text("utf-8"))) == len(hits)


def test_board_and_timeline_show_actors_overdue_first_and_undated_obligations(page, app_url):
    visit(page, f"{app_url}/obligations", "Tick a row")
    page.get_by_role("tab", name="Board").click()
    idle(page)
    lanes = page.locator("[data-testid=stExpander] summary").all_inner_texts()
    overdue = [int(m.group(1)) if (m := re.search(r"(\d+) overdue", lane)) else 0 for lane in lanes]
    assert overdue and overdue == sorted(overdue, reverse=True)
    lane = page.locator("[data-testid=stExpander]").first
    lane.locator("summary").click()
    lane.get_by_role("button", name="Open", exact=True).first.click()
    idle(page)
    opened = shown_obligation_id(page)
    assert "overdue" in page.locator("[data-testid=stMarkdownContainer]", has_text="Timeliness:").first.inner_text()
    page.get_by_role("tab", name="Timeline").click()
    idle(page, 1.5)
    chart = page.locator("[data-testid=stVegaLiteChart]").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()  # drawn on a canvas: its axes and lanes are checked on its spec (test_pages.py)
    assert box and box["height"] > 150 and box["width"] > 500
    assert re.search(r"\d+ obligations with a due date, \d+ without", page.get_by_text("with a due date").inner_text())
    assert shown_obligation_id(page) == opened
    shot(page, "board-and-timeline")
