"""Each page run headless with AppTest (the whole app, opened at that page) against the ingested sample corpus.

These are the fast checks; tests/ui/test_browser.py does the same tasks in a real browser.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

HOSTILE = ("", "x" * 5000, "<script>alert(1)</script>", "'; DROP TABLE passages; --", 'NEAR(a b) AND "open',
           "*:* OR ^2 AND () -", "actor: date:2024-13-45..x status:")


def hit_titles(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**") and "score" in m.value]


def param(at, name: str) -> list[str]:
    """A URL parameter as the page wrote it, as a list."""
    value = at.query_params.get(name)
    return [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]


def no_traceback(at) -> None:
    assert not at.exception, [e.message for e in at.exception]


def test_search_page_shows_hits_with_full_citations(corpus_env, page, corpus_services):
    query = "verslag van Europol over legale bedrijfsstructuren"
    at = page("search.py")
    at.run()
    at.text_input(key="query").input(query).run()
    no_traceback(at)
    expected = corpus_services.search(query, k=10)
    titles = hit_titles(at)
    assert len(titles) == len(expected.hits) > 0
    for rank, (title, hit) in enumerate(zip(titles, expected.hits), 1):
        cited = str(expected.citations[hit.passage_id])
        assert title.startswith(f"**{rank}. ") and title.split("**")[1].replace("\\", "") == f"{rank}. {cited}"
    assert any("november 2025" in t or "juni 2024" in t for t in titles)  # dates in words
    assert not any(t.count("…") for t in titles)  # titles are never cut
    html = " ".join(element.proto.body for element in at.get("html"))
    assert "<mark>" in html  # matched words highlighted, the rest escaped
    assert [c.value for c in at.code][1:] == [str(expected.citations[h.passage_id]) for h in expected.hits]
    assert len(at.get("page_link")) >= len(titles)  # every hit opens in its document
    assert len(at.get("download_button")) == 4


def test_search_hits_show_who_must_do_what_by_when(corpus_env, page):
    at = page("search.py")
    at.run()
    at.text_input(key="query").input("what did the Council ask Europol to deliver, by when?").run()
    no_traceback(at)
    obligation_lines = [m.value for m in at.markdown if "-badge[" in m.value]
    assert any("Europol" in line and "by 2024-12-31" in line for line in obligation_lines)


def test_two_filters_and_a_new_query_keep_their_values_while_their_counts_change(corpus_env, page):
    at = page("search.py")
    at.run()
    at.text_input(key="query").input("Europol").run()
    at.multiselect(key="filter_actors").select("Europol").run()
    at.multiselect(key="filter_kinds").select("council_conclusions").run()
    no_traceback(at)
    both = hit_titles(at)
    assert both
    at.text_input(key="query").input("verslag").run()
    no_traceback(at)
    assert at.session_state["filter_actors"] == ["Europol"]
    assert at.session_state["filter_kinds"] == ["council_conclusions"]
    assert hit_titles(at) and hit_titles(at) != both
    assert any(label.startswith("Europol (") for label in at.multiselect(key="filter_actors").options)  # counted
    assert param(at, "q") == ["verslag"]
    assert param(at, "actor") == ["Europol"] and param(at, "kind") == ["council_conclusions"]


def test_a_shared_search_link_opens_the_same_search(corpus_env, page):
    at = page("search.py", q="verslag", actor="Europol", kind="council_conclusions", sort="oldest", k="5")
    at.run()
    no_traceback(at)
    assert at.text_input(key="query").value == "verslag"
    assert at.session_state["filter_actors"] == ["Europol"] and at.session_state["sort"] == "oldest"
    assert 0 < len(hit_titles(at)) <= 5


def test_a_nonsense_query_gets_a_weak_match_notice(corpus_env, page):
    at = page("search.py", q="qwxz blorp fnord")
    at.run()
    no_traceback(at)
    assert hit_titles(at)
    assert any("Nothing matched well" in w.value for w in at.warning)
    real = page("search.py", q="legale bedrijfsstructuren")
    real.run()
    assert not any("Nothing matched well" in w.value for w in real.warning)


def test_search_page_has_query_help_a_sort_and_a_date_range(corpus_env, page, ingested_corpus):
    at = page("search.py")
    at.run()
    assert any("europol -eurojust" in code.value and "status:overdue" in code.value for code in at.code)
    at.text_input(key="query").input("drugshandel -eurojust").run()
    at.selectbox(key="sort").select("oldest").run()
    at.date_input(key="filter_date_to").set_value(date(2024, 12, 31)).run()
    no_traceback(at)
    dates = {d.metadata.doc_number or d.metadata.title: d.metadata.date for d in ingested_corpus.store.list_documents()}
    titles = hit_titles(at)
    assert titles and "15571/25" not in " ".join(titles)  # the 2025 note falls outside the date range
    assert any("oldest document first" in caption.value for caption in at.caption)
    assert max(d for d in dates.values() if d) > "2024-12-31"
    assert param(at, "to") == ["2024-12-31"]


@pytest.mark.parametrize("query", HOSTILE, ids=lambda q: q[:12] or "empty")
def test_search_takes_any_query_without_a_traceback(corpus_env, page, query):
    at = page("search.py")
    at.run()
    at.text_input(key="query").input(query).run()
    no_traceback(at)
    assert not any("<script>" in m.value for m in at.markdown)


def test_prior_wording_page_shows_a_coloured_diff_with_citations(corpus_env, page):
    at = page("prior_wording.py")
    at.run()
    at.text_area(key="draft").input(
        "De Raad verzoekt Europol een verslag op te stellen over het gebruik van legale bedrijfsstructuren"
    ).run()
    no_traceback(at)
    html = " ".join(element.proto.body for element in at.get("html"))
    assert "diff-delete" in html or "diff-insert" in html
    assert "diff-equal" not in html and "similarity" in " ".join(m.value for m in at.markdown)
    assert any("juni 2024" in c.value for c in at.code)
    assert param(at, "draft")[0].startswith("De Raad verzoekt")
    for draft in HOSTILE:
        at.text_area(key="draft").input(draft).run()
        no_traceback(at)


def test_documents_page_lists_documents_and_opens_one_at_a_passage(corpus_env, page, ingested_corpus):
    document = ingested_corpus.store.get_document("000_193f56f3ab2997d6.txt")
    point = next(p for p in document.passages if p.paragraph == "19")
    at = page("documents.py", doc=document.source_file, passage=point.passage_id)
    at.run()
    no_traceback(at)
    table = at.dataframe[0].value
    assert len(table) == 5 and {"document", "date", "kind", "title", "file"} <= set(table.columns)
    assert "15571/25" in set(table["document"])
    html = [element.proto.body for element in at.get("html")]
    text = next(body for body in html if "conclusio-document" in body)
    assert text.count("fff3b0") == 1  # one passage highlighted: the one asked for
    highlighted = text[text.index("fff3b0") - 300:text.index("fff3b0") + 400]
    assert "tweejaarlijks een inventarisatie" in text and "19" in highlighted
    assert any("scrollIntoView" in body for body in html)
    assert any("punt 19" in c.value and "13 juni 2024" in c.value for c in at.code)
    markdown = " ".join(m.value for m in at.markdown)
    assert "**Date:** 13 juni 2024" in markdown and "10512/24" in markdown  # a reference, not in the store


def test_documents_page_renders_a_documents_tables_from_their_rows(monkeypatch, tmp_path, page, test_settings,
                                                                   embedder, nlp_pipeline):
    from application.pipeline import ingest_paths
    from index import open_store

    plan = tmp_path / "docs" / "plan.md"
    plan.parent.mkdir()
    plan.write_text("# Actieplan\n\nBrussel, 12 maart 2026\n\n## Prioriteit 1\n\n| Nr. | Actie | Verantwoordelijk | Tijdschema |\n"
                    "| --- | --- | --- | --- |\n| 1.1 | de samenwerking versterken | LS, COM | 2026 |\n"
                    "| 1.2 | een verslag opstellen | Europol | eind 2027 |\n", encoding="utf-8")
    settings = test_settings.with_(store_dir=tmp_path / "store")
    store = open_store(settings)
    ingest_paths([plan.parent], settings=settings, store=store, embedder=lambda: embedder, pipeline=lambda: nlp_pipeline)
    store.close()
    monkeypatch.setenv("CONCLUSIO_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("CONCLUSIO_EMBED_MODEL", settings.embed_model)
    at = page("documents.py", doc="plan.md")
    at.run()
    no_traceback(at)
    text = next(e.proto.body for e in at.get("html") if "conclusio-document" in e.proto.body)
    table = text[text.index("<table"):text.index("</table>")]
    for cell in ("Nr.", "Actie", "Verantwoordelijk", "Tijdschema", "1.1", "de samenwerking versterken", "LS, COM",
                 "1.2", "een verslag opstellen", "Europol", "eind 2027"):
        assert f">{cell}</t" in table, cell
    assert "Prioriteit 1" in text


def test_pages_say_how_to_ingest_when_the_store_is_missing(monkeypatch, tmp_path, page):
    monkeypatch.setenv("CONCLUSIO_STORE", str(tmp_path / "nothing"))
    for name in ("search.py", "prior_wording.py", "obligations.py", "documents.py"):
        at = page(name)
        at.run()
        no_traceback(at)
        assert any("conclusio ingest" in code.value for code in at.code), name
    at = page("add_documents.py")
    at.run()
    no_traceback(at)
    assert at.get("file_uploader") and at.button  # documents can be added to an empty store


def test_obligations_page_shows_tracked_rows_counts_filters_and_exports(corpus_env, page, ingested_corpus):
    from tracking import track

    at = page("obligations.py")
    at.run()
    no_traceback(at)
    expected = track(ingested_corpus.store, None, as_of=date.today())
    table = at.dataframe[0].value
    assert len(table) == len(expected) > 0
    assert {"status", "actors", "action", "deadline", "due", "citation", "id"} <= set(table.columns)
    assert sum(int(metric.value) for metric in at.metric) == len(table)
    assert len(at.get("download_button")) == 6
    assert any("juni 2024" in c for c in table["citation"])

    at.multiselect(key="actors").select("Europol").run()
    no_traceback(at)
    filtered = at.dataframe[0].value
    assert 0 < len(filtered) < len(table)
    assert all("Europol" in actors for actors in filtered["actors"])
    assert param(at, "actor") == ["Europol"]
    assert any(option.startswith("Europol (") for option in at.multiselect(key="actors").options)


def test_the_selected_obligation_is_kept_by_id_when_the_filters_change(store_copy_env, page):
    at = page("obligations.py", actor="Europol", status="overdue")
    at.run()
    rows = at.dataframe[0].value
    assert len(rows) >= 6
    chosen = rows["id"].tolist()[5]
    at.session_state["selected_obligation"] = chosen  # what ticking the 6th row sets (the browser test ticks it)
    at.run()
    assert any(m.value == f"Obligation id: `{chosen}`" for m in at.markdown)
    at.multiselect(key="statuses").unselect("overdue").run()
    no_traceback(at)
    wider = at.dataframe[0].value
    assert wider["id"].tolist()[5] != chosen  # another obligation holds the 6th row now
    assert any(m.value == f"Obligation id: `{chosen}`" for m in at.markdown)
    assert param(at, "id") == [chosen]
    at.selectbox(key=f"status_choice::{chosen}").select("done")
    at.text_area(key=f"status_note::{chosen}").input("gezien")
    next(b for b in at.button if b.label == "Save").click().run()
    no_traceback(at)
    said = [s.value.replace("\\", "") for s in at.success]  # Markdown escapes taken out
    assert any("Saved for" in s and chosen in s and "'done'" in s for s in said)
    at.multiselect(key="statuses").select("overdue").run()  # the saved status leaves the filter: the pane stays
    no_traceback(at)
    assert chosen not in at.dataframe[0].value["id"].tolist()
    assert any(m.value == f"Obligation id: `{chosen}`" for m in at.markdown)
    assert any("not in the list with the current filters" in c.value for c in at.caption)


def test_a_review_can_be_undone_and_a_rejection_taken_back(store_copy_env, page, ingested_corpus):
    from tracking import track

    row = next(r for r in track(ingested_corpus.store, None, as_of=date.today()) if r.evidence)
    at = page("obligations.py", id=row.obligation.id)
    at.run()
    next(b for b in at.button if b.label == "Reject").click().run()
    no_traceback(at)
    assert any(m.value.startswith("**Rejected evidence** (1)") for m in at.markdown)
    next(b for b in at.button if b.label == "Undo").click().run()
    no_traceback(at)
    assert not any("Rejected evidence" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Reject").click().run()
    next(b for b in at.button if b.label == "Un-reject").click().run()
    no_traceback(at)
    assert not any("Rejected evidence" in m.value for m in at.markdown)
    assert any("review cleared" in s.value for s in at.success)


def test_a_note_is_shown_as_plain_text_without_control_characters(store_copy_env, ingested_corpus, page):
    from tracking import open_curation, track

    rows = track(ingested_corpus.store, None, as_of=date.today())
    chosen = rows[3].obligation.id
    note = "**niet vet** <b>geen html</b> [link](javascript:alert(1)) \x1b[31mrood\x1b[0m"
    curation = open_curation(ingested_corpus.settings.with_(store_dir=store_copy_env))
    curation.set_status(chosen, "done", "tester", note)
    curation.close()
    at = page("obligations.py", id=chosen)
    at.run()
    no_traceback(at)
    texts = [t.value for t in at.text]
    assert any("**niet vet** <b>geen html</b> [link](javascript:alert(1)) [31mrood[0m" in t for t in texts)
    assert not any("niet vet" in m.value or "\x1b" in m.value for m in at.markdown)
    audit = at.get("table")[0].proto  # the audit trail's cells are Markdown: the note is escaped there
    assert "javascript" in str(audit) and "\\\\*\\\\*niet vet" in str(audit).replace("\\\\\\\\", "\\\\")


def test_board_counts_by_actor_and_timeline_has_years_and_an_undated_lane(corpus_env, page):
    at = page("obligations.py")
    at.run()
    no_traceback(at)
    board = at.dataframe[1].value
    assert list(board.columns)[:3] == ["actor", "overdue", "due soon"]
    assert board["overdue"].tolist() == sorted(board["overdue"].tolist(), reverse=True)
    assert (board["total"] == board[["overdue", "due soon", "in progress", "open", "no deadline", "done"]].sum(axis=1)).all()
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    timeline = next(c for c in charts if "hconcat" in c)
    dated, undated = timeline["hconcat"]
    assert dated["layer"][0]["encoding"]["x"]["axis"]["format"] == "%b %Y"  # the year on every label
    assert undated["title"] == "Undated" and undated["encoding"]["x"]["title"] == "no date"


def test_hostile_links_never_show_a_traceback(corpus_env, page):
    for name, params in (
        ("search.py", {"q": "<script>", "k": "-5", "mode": "evil", "sort": "x", "from": "2024-99-01", "doc": "../x"}),
        ("obligations.py", {"id": "<script>alert(1)</script>", "asof": "garbage", "status": "nonsense",
                            "due": "2024-02-30", "actor": "'; DROP TABLE x; --"}),
        ("documents.py", {"doc": "../../etc/passwd", "passage": '"><b>x'}),
        ("prior_wording.py", {"draft": "x" * 6000, "k": "999"}),
    ):
        at = page(name, **params)
        at.run()
        no_traceback(at)


def test_obligations_and_documents_pages_never_load_the_embedding_model(store_copy_env, page):
    from conclusio.settings import Settings
    from ui import resources

    for name in ("obligations.py", "documents.py"):
        at = page(name)
        at.run()
        no_traceback(at)
        assert any(c.value.startswith("Model:") for c in at.sidebar.caption)  # named from its files
    parts = resources.app(Settings.from_env())._parts  # what the process loaded for the store these pages used
    assert "store" in parts.__dict__ and "embedder" not in parts.__dict__ and "searcher" not in parts.__dict__
