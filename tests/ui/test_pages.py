"""Each page run headless with AppTest against the ingested sample corpus."""

from __future__ import annotations


def test_search_page_shows_the_searchers_hits_with_citations(corpus_env, page, ingested_corpus, embedder):
    from index.search import Searcher
    from index.store import SearchFilters

    query = "verslag van Europol over legale bedrijfsstructuren"
    at = page("search.py")
    at.run()
    at.text_input(key="query").input(query).run()
    assert not at.exception
    markdown = [m.value for m in at.markdown]
    titles = [m for m in markdown if m.startswith("**") and "score" in m]
    searcher = Searcher.from_settings(ingested_corpus.settings, ingested_corpus.store, embedder)
    expected = searcher.search(query, k=10, mode="hybrid", filters=SearchFilters()).hits
    assert len(titles) == len(expected) > 0
    assert [t.split("**")[1] for t in titles] == [f"{n}. {hit.citation}" for n, hit in enumerate(expected, 1)]
    assert any("**" in m and "Europol" in m and "score" not in m for m in markdown)  # a snippet, terms in bold
    document_filter = at.multiselect(key="filter_source_files")
    assert document_filter.options and all(option.endswith(")") for option in document_filter.options)


def test_search_hits_show_who_must_do_what_by_when(corpus_env, page):
    at = page("search.py")
    at.run()
    at.text_input(key="query").input("what did the Council ask Europol to deliver, by when?").run()
    assert not at.exception
    obligation_lines = [m.value for m in at.markdown if "-badge[" in m.value]
    assert any("Europol" in line and "by 2024-12-31" in line for line in obligation_lines)


def test_search_page_filters_by_document(corpus_env, page):
    at = page("search.py")
    at.run()
    at.text_input(key="query").input("Europol").run()
    first = at.multiselect(key="filter_source_files").options[0]
    document = first.rsplit(" (", 1)[0]
    at.multiselect(key="filter_source_files").select(document).run()
    assert not at.exception
    assert at.session_state["filter_source_files"] == [document]
    titles = [m.value for m in at.markdown if m.value.startswith("**1. ")]
    assert titles  # hits remain, now only from that document (the citation names it by number or title)


def test_prior_wording_page_shows_a_coloured_diff(corpus_env, page):
    at = page("prior_wording.py")
    at.run()
    at.text_area(key="draft").input(
        "De Raad verzoekt Europol een verslag op te stellen over het gebruik van legale bedrijfsstructuren"
    ).run()
    assert not at.exception
    html = " ".join(element.proto.body for element in at.get("html"))
    assert "diff-delete" in html or "diff-insert" in html
    assert "diff-equal" not in html and "similarity" in " ".join(m.value for m in at.markdown)


def test_documents_page_lists_documents_and_passages(corpus_env, page):
    at = page("documents.py")
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 5 and {"document", "number", "date", "kind"} <= set(table.columns)
    assert "15571/25" in set(table["number"])
    passages = at.dataframe[1].value
    assert len(passages) > 5 and "paragraph" in passages.columns


def test_documents_page_shows_a_documents_tables(monkeypatch, tmp_path, page, test_settings, embedder, nlp_pipeline):
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
    at = page("documents.py")
    at.run()
    assert not at.exception
    assert [h.value for h in at.subheader] == ["Table 1: Prioriteit 1"]
    table = at.dataframe[2].value
    assert list(table.columns) == ["Nr.", "Actie", "Verantwoordelijk", "Tijdschema"]
    assert table.values.tolist() == [["1.1", "de samenwerking versterken", "LS, COM", "2026"],
                                     ["1.2", "een verslag opstellen", "Europol", "eind 2027"]]


def test_pages_say_how_to_ingest_when_the_store_is_missing(monkeypatch, tmp_path, page):
    monkeypatch.setenv("CONCLUSIO_STORE", str(tmp_path / "nothing"))
    for name in ("search.py", "prior_wording.py", "obligations.py", "documents.py"):
        at = page(name)
        at.run()
        assert not at.exception, name
        assert any("conclusio ingest" in code.value for code in at.code), name


def test_obligations_page_shows_tracked_rows_counts_and_filters(corpus_env, page, ingested_corpus):
    from datetime import date

    from tracking import track

    at = page("obligations.py")
    at.run()
    assert not at.exception
    expected = track(ingested_corpus.store, None, as_of=date.today())
    table = at.dataframe[0].value
    assert len(table) == len(expected) > 0
    assert {"status", "actors", "action", "deadline", "due", "document", "paragraph"} <= set(table.columns)
    assert sum(int(metric.value) for metric in at.metric) == len(table)
    assert len(at.get("download_button")) == 4

    at.selectbox(key="actor").select("Europol").run()
    assert not at.exception
    filtered = at.dataframe[0].value
    assert 0 < len(filtered) < len(table)
    assert all("Europol" in actors for actors in filtered["actors"])


def test_search_page_has_query_help_a_sort_and_a_date_range(corpus_env, page, ingested_corpus):
    from datetime import date

    at = page("search.py")
    at.run()
    assert any("europol -eurojust" in code.value and "status:overdue" in code.value for code in at.code)
    at.text_input(key="query").input("drugshandel -eurojust").run()
    at.selectbox(key="sort").select("oldest").run()
    at.date_input(key="filter_date_to").set_value(date(2024, 12, 31)).run()
    assert not at.exception
    dates = {d.metadata.doc_number or d.metadata.title: d.metadata.date for d in ingested_corpus.store.list_documents()}
    titles = [m.value for m in at.markdown if m.value.startswith("**") and "score" in m.value]
    assert titles and "15571/25" not in " ".join(titles)  # the 2025 note falls outside the date range
    assert any("oldest document first" in caption.value for caption in at.caption)
    assert max(d for d in dates.values() if d) > "2024-12-31"


def test_a_note_is_shown_as_plain_text_without_control_characters(monkeypatch, tmp_path, ingested_corpus, page):
    import shutil
    from datetime import date

    from tracking import open_curation, track

    store = tmp_path / "store"
    shutil.copytree(ingested_corpus.settings.store_dir, store)
    monkeypatch.setenv("CONCLUSIO_STORE", str(store))
    monkeypatch.setenv("CONCLUSIO_EMBED_MODEL", ingested_corpus.settings.embed_model)
    rows = track(ingested_corpus.store, None, as_of=date.today())
    chosen = rows[3].obligation.id
    note = "**niet vet** <b>geen html</b> [link](javascript:alert(1)) \x1b[31mrood\x1b[0m"
    curation = open_curation(ingested_corpus.settings.with_(store_dir=store))
    curation.set_status(chosen, "done", "tester", note)
    curation.close()
    at = page("obligations.py")
    at.session_state["table"] = {"selection": {"rows": [3], "columns": []}, "selection_mode": "single-row"}
    at.run()
    assert not at.exception
    texts = [t.value for t in at.text]
    assert any("**niet vet** <b>geen html</b> [link](javascript:alert(1)) [31mrood[0m" in t for t in texts)
    assert not any("niet vet" in m.value or "\x1b" in m.value for m in at.markdown)
