"""Machine evidence links on the real ingested sample corpus: where they may point and what they carry."""

from __future__ import annotations

from collections import Counter

import pytest

from tracking.evidence import MAX_LINKS, MIN_CONFIDENCE
from index.store import ObligationQuery


@pytest.fixture(scope="module")
def links(corpus_store):
    return corpus_store.evidence()


@pytest.fixture(scope="module")
def documents(corpus_store):
    return {d.source_file: d.metadata for d in corpus_store.list_documents()}


@pytest.fixture(scope="module")
def obligations(corpus_store):
    return {o.id: o for o in corpus_store.obligations(ObligationQuery())}


def test_links_point_only_to_later_documents(links, documents, obligations) -> None:
    assert links
    for link in links:
        home = documents[obligations[link.obligation_id].source_file]
        assert link.source_file != obligations[link.obligation_id].source_file
        assert home.date and link.doc_date and link.doc_date > home.date


def test_links_are_few_confident_and_quote_their_passage(corpus_store, links) -> None:
    per_obligation = Counter(link.obligation_id for link in links)
    assert max(per_obligation.values()) <= MAX_LINKS
    passages = {p.passage_id: p for p in corpus_store.get_passages(sorted({link.passage_id for link in links}))}
    for link in links:
        assert MIN_CONFIDENCE <= link.confidence <= 1.0
        assert link.method in {"action_number", "doc_reference", "similarity"}
        assert link.status in {"completed", "in_progress", "rescheduled", "mentioned"}
        words = link.text.split()
        assert words and all(w in passages[link.passage_id].text for w in words[:5])
        if link.status == "rescheduled":
            assert link.new_end


def test_similarity_alone_stays_below_structural_links(links) -> None:
    by_method = {m: [link.confidence for link in links if link.method == m] for m in ("action_number", "similarity")}
    assert by_method["action_number"] and by_method["similarity"]
    assert max(by_method["similarity"]) <= 0.75
    assert sum(by_method["action_number"]) / len(by_method["action_number"]) > min(by_method["similarity"])


def test_a_section_that_names_the_conclusions_by_title_and_date_links_by_reference(links, obligations) -> None:
    # the progress report's "Actie 4" opens with "de op 13 juni 2024 aangenomen conclusies van de Raad over ..."
    from_conclusions = [
        link for link in links
        if obligations[link.obligation_id].source_file.startswith("000_") and link.source_file.startswith("002_")
    ]
    assert any(link.method == "doc_reference" and link.paragraph == "Actie 4" for link in from_conclusions)


def test_refresh_is_repeatable(corpus_store, embedder, nlp_pipeline, links) -> None:
    from tracking import refresh_evidence

    before = sorted((link.obligation_id, link.passage_id, link.status) for link in links)
    seen: list[tuple[int, int]] = []
    count = refresh_evidence(corpus_store, embedder, nlp_pipeline, on_progress=lambda done, total: seen.append((done, total)))
    after = sorted((link.obligation_id, link.passage_id, link.status) for link in corpus_store.evidence())
    assert count == len(after) and after == before
    # A progress bar gets a start, steps that only go up, and the end: every obligation counted once.
    total = len(corpus_store.obligations(ObligationQuery()))
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen) and len(seen) > 3


def test_adding_documents_one_by_one_links_as_a_full_refresh_does(tmp_path, test_settings, embedder, nlp_pipeline, corpus_dir) -> None:
    """Incremental linking (only what a new document can touch) ends where a full refresh of the store ends,
    whatever order the documents come in: here the report before the roadmap it reports on."""
    from application.pipeline import ingest_paths
    from index import open_store
    from tracking import refresh_evidence

    settings = test_settings.with_(store_dir=tmp_path / "one-by-one")
    store = open_store(settings)
    for prefix in ("002_", "001_", "000_", "004_"):
        ingest_paths(list(corpus_dir.glob(f"{prefix}*.txt")), settings=settings, store=store,
                     embedder=lambda: embedder, pipeline=lambda: nlp_pipeline)

    def keyed(links):
        return {(e.obligation_id, e.passage_id): e for e in links}

    one_by_one = keyed(store.evidence())
    assert any(e.source_file.startswith("002_") for e in one_by_one.values())  # the report, ingested first, was linked later
    refresh_evidence(store, embedder, nlp_pipeline)  # a full refresh of the same store
    full = keyed(store.evidence())
    # Word weights (IDF) come from the whole store, so a link made when fewer documents were in it can score a
    # little differently; which passages are linked, and what their sentences say, must not change.
    shared = one_by_one.keys() & full.keys()
    assert len(shared) >= 0.95 * len(full) and len(shared) >= 0.95 * len(one_by_one), (
        sorted(one_by_one.keys() ^ full.keys()))
    for key in shared:
        assert (one_by_one[key].status, one_by_one[key].text) == (full[key].status, full[key].text)
        assert abs(one_by_one[key].confidence - full[key].confidence) <= 0.15
    store.close()
