"""Each page run headless with AppTest against the ingested sample corpus."""

from __future__ import annotations


def test_search_page_finds_hits_with_citations(corpus_env, page):
    at = page("search.py")
    at.run()
    at.text_input(key="query").input("verslag van Europol over legale bedrijfsstructuren").run()
    assert not at.exception
    markdown = [m.value for m in at.markdown]
    hit_titles = [m for m in markdown if m.startswith("**1. ") or m.startswith("**2. ") or m.startswith("**3. ")]
    assert len(hit_titles) == 3
    assert any("27" in title for title in hit_titles)
    assert any("**" in m and "Europol" in m for m in markdown[1:])  # a snippet with highlighted terms
    document_filter = at.multiselect(key="filter_source_files")
    assert document_filter.options and all("(" in option for option in document_filter.options)


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


def test_pages_say_how_to_ingest_when_the_store_is_missing(monkeypatch, tmp_path, page):
    monkeypatch.setenv("CONCLUSIO_STORE", str(tmp_path / "nothing"))
    for name in ("search.py", "prior_wording.py", "obligations.py", "documents.py"):
        at = page(name)
        at.run()
        assert not at.exception, name
        assert any("conclusio ingest" in code.value for code in at.code), name
