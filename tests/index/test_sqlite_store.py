"""The embedded SQLite store: the shared contract plus what only SQLite promises."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import numpy as np
import pytest

from conclusio.records import Passage
from index import open_store
from index.errors import StoreNotFoundError
from index.sqlite_store import DB_FILE, SQLiteStore
from index.store import LexicalQuery, ObligationQuery, SearchFilters, Store
from tests.index.test_store_contract import StoreContract, write


class TestSQLiteStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path):
        store = SQLiteStore(tmp_path / "store")
        yield store
        store.close()

    def test_satisfies_the_protocol(self, store):
        assert isinstance(store, Store)

    def snapshot(self, store: SQLiteStore, source_file: str):
        return (
            store.get_document(source_file),
            store.stats(),
            store.obligations(ObligationQuery()),
            [h.passage.passage_id for h in store.keyword_search(LexicalQuery("verslag havenbeveiliging"), SearchFilters(), 10)],
        )

    def test_wrong_vector_count_rolls_the_whole_replace_back(self, store, versions, embedder):
        old, new = versions
        write(store, old, embedder.name)
        before = self.snapshot(store, old.document.source_file)
        broken = replace(new, vectors=np.vstack([new.vectors, new.vectors]))
        with pytest.raises(ValueError, match="vectors for"):
            write(store, broken, embedder.name)
        assert self.snapshot(store, old.document.source_file) == before

    def test_constraint_violation_mid_write_rolls_back(self, store, versions, embedder):
        old, new = versions
        write(store, old, embedder.name)
        before = self.snapshot(store, old.document.source_file)
        passages = list(new.document.passages)
        # A duplicate passage id violates UNIQUE only after the earlier rows went in.
        passages[-1] = replace(passages[-1], passage_id=passages[0].passage_id)
        broken = replace(new, document=replace(new.document, passages=passages))
        with pytest.raises(sqlite3.IntegrityError):
            write(store, broken, embedder.name)
        assert self.snapshot(store, old.document.source_file) == before

    def test_data_survives_reopening(self, tmp_path, versions, embedder):
        first = SQLiteStore(tmp_path)
        write(first, versions[0], embedder.name)
        first.close()
        again = SQLiteStore(tmp_path, create=False)
        assert again.document_state(versions[0].document.source_file) == versions[0].document.content_hash
        assert again.embedding_model() == (embedder.name, embedder.dim)
        again.close()

    def test_a_second_connection_sees_new_vectors(self, tmp_path, versions, embedder):
        reader, writer = SQLiteStore(tmp_path), SQLiteStore(tmp_path)
        old, new = versions
        write(writer, old, embedder.name)
        assert reader.vector_search(old.vectors[0], SearchFilters(), 1)[0].passage.text == old.document.passages[0].text
        write(writer, new, embedder.name)
        assert reader.vector_search(new.vectors[0], SearchFilters(), 1)[0].passage.text == new.document.passages[0].text
        reader.close()
        writer.close()

    def test_a_version_2_store_is_migrated_to_vector_blobs_when_opened_for_writing(self, tmp_path, versions, embedder):
        old, _ = versions
        first = SQLiteStore(tmp_path)
        write(first, old, embedder.name)
        first.close()
        with sqlite3.connect(tmp_path / DB_FILE) as db:  # as version 2 left it: vectors only per passage
            db.execute("DELETE FROM document_vectors")
            db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
            db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
        with pytest.raises(StoreNotFoundError, match="conclusio reembed"):  # a read-only open cannot migrate it
            SQLiteStore(tmp_path, create=False, read_only=True)
        again = SQLiteStore(tmp_path, create=False)
        hit = again.vector_search(old.vectors[0], SearchFilters(), 1)[0]
        assert hit.passage.passage_id == old.document.passages[0].passage_id
        assert hit.score == pytest.approx(1.0, abs=1e-3)
        assert again._meta("schema_version") == "3"
        again.close()

    def test_document_metadata_is_decoded_once_per_write_generation(self, store, versions, embedder):
        write(store, versions[0], embedder.name)
        first, again = store.list_documents(), store.list_documents()
        assert first == again and first[0] is again[0]  # the same decoded records: no second read
        store.replace_evidence([])  # any write moves the generation
        assert store.list_documents()[0] is not first[0]

    def test_the_only_document_may_switch_model(self, store, versions, embedder):
        old, _ = versions
        write(store, old, "another/embedding-model")
        write(store, old, embedder.name)
        assert store.embedding_model() == (embedder.name, embedder.dim)


def test_open_store_without_create_names_the_fix(tmp_path, test_settings):
    settings = test_settings.with_(store_dir=tmp_path / "missing")
    with pytest.raises(StoreNotFoundError, match="conclusio ingest corpora/ --store"):
        open_store(settings, create=False)
    assert not (tmp_path / "missing" / DB_FILE).exists()


def test_open_store_creates_an_empty_store(tmp_path, test_settings):
    store = open_store(test_settings.with_(store_dir=tmp_path / "new"))
    assert isinstance(store, SQLiteStore)
    assert store.stats().documents == 0
    store.close()
    with pytest.raises(StoreNotFoundError, match="no documents"):
        open_store(test_settings.with_(store_dir=tmp_path / "new"), create=False)


def test_passage_text_survives_as_given(tmp_path, embedder):
    """Odd characters in passage text are data, never SQL or FTS syntax."""
    from conclusio.records import Document, DocumentMetadata

    texts = ['Zij zei: "NEAR(a b)" OR \'x\'; --', "é—ü ø ß ∑ 😀", "a* - ( ) ^ {title}: b"]
    passages = [Passage(f"odd.txt#{i}", "odd.txt", i, "body", t) for i, t in enumerate(texts)]
    document = Document("odd.txt", "hash", "\n".join(texts), DocumentMetadata(), passages)
    store = SQLiteStore(tmp_path)
    store.write_document(document, embedder.encode_passages(texts), [], embedder.name)
    assert [p.text for p in store.get_document("odd.txt").passages] == texts
    assert store.keyword_search(LexicalQuery("NEAR"), SearchFilters(), 5)[0].passage.text == texts[0]
    store.close()


def test_weighted_keyword_scores_are_fts5s_own_bm25(search_store):
    """One MATCH per search: the scores computed from the index's statistics equal FTS5's bm25() exactly."""
    from index.sqlite_lexical import Bm25, scoring_items

    store = search_store
    w = store.weights
    every_column = Bm25(store._all, w, "test", length_columns=5)  # bm25() counts a row's length over all columns
    for words, expansions in [("verslag legale bedrijfsstructuren eind 2024", ()),
                              ("Europol criminele netwerken", ()),
                              ("coastguard havens", (("kustwacht zeehavens", 0.5), ("haven douane", 0.3)))]:
        items = scoring_items(words, expansions, ("criminele netwerken",), ("haven",))
        expected: dict[int, float] = {}
        for item in items:  # each item alone, weighted, as the old one-MATCH-per-weight search summed them
            rows = store._all(
                f"SELECT rowid, -bm25(passages_fts, {w.title}, {w.section}, {w.body}, {w.surface}, 0)"
                " FROM passages_fts WHERE passages_fts MATCH ?", [item.expression])
            for rowid, score in rows:
                expected[rowid] = expected.get(rowid, 0.0) + item.weight * score
        computed = every_column.scores(items, list(expected))
        assert computed.keys() == expected.keys()
        assert max(abs(computed[r] - expected[r]) for r in expected) < 1e-9
    # ranking itself counts the text columns only, as before the compound column existed
    assert store._scorer().length_columns == 4


def test_pooled_keyword_candidates_rank_as_fts5_does(tmp_path, embedder, corpus_dir):
    """The stem pool (many searches in a row) gives the candidates FTS5's MATCH gives, ties in rowid order."""
    import re

    import ingest
    from index.sqlite_lexical import scoring_items

    store = SQLiteStore(tmp_path)
    paths = sorted(corpus_dir.glob("00[01]_*.txt"))
    for copy in range(2):  # each document twice, under other names and dates: equal ranks everywhere
        for number, path in enumerate(paths):
            parsed = ingest.parse_file(path)
            name = f"{copy}_{path.name}"
            document = ingest.with_passage_ids(
                replace(parsed, source_file=name, metadata=replace(parsed.metadata, doc_number=f"{copy}/{number}",
                                                                   date=f"202{3 + copy}-0{number + 1}-15")), name)
            texts = [p.text for p in document.passages]
            store.write_document(document, embedder.encode_passages(texts), [], embedder.name)
    queries = [" ".join(list(dict.fromkeys(re.findall(r"[^\W\d_]{3,}", p.text)))[:24])
               for p in store.get_document(f"0_{paths[0].name}").passages if p.kind == "body"][:25]
    filters = [SearchFilters(), SearchFilters(passage_kinds=("body",), date_from="2024-01-01"),
               SearchFilters(passage_kinds=("body",), date_to="2023-06-01", has_obligations=False)]
    compared = 0
    for text in queries:
        items = scoring_items(text, (), (), ())
        for chosen in filters:
            for k in (3, 60):
                pooled = store._keyword_ranked(LexicalQuery(text), items, chosen, k, pooled=True)
                assert pooled == store._keyword_ranked(LexicalQuery(text), items, chosen, k), (text, chosen, k)
                compared += bool(pooled)
    assert compared > 100
    store.close()
