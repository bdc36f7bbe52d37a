"""The ingest pipeline over real files, the real parser, extractor, model and SQLite store."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import pytest

import numpy as np

from application.pipeline import embedding_text, embedding_units, ingest_paths, reembed
from index.embeddings import UseEmbedder
from index.sqlite_store import SQLiteStore
from index.store import ObligationQuery


@dataclass
class CountingEmbedder(UseEmbedder):
    """The real embedder, counting the texts (sentences) it was asked to encode, and the calls."""

    encoded: int = 0
    calls: int = 0

    @classmethod
    def around(cls, embedder: UseEmbedder, name: str | None = None) -> CountingEmbedder:
        values = {f.name: getattr(embedder, f.name) for f in fields(UseEmbedder)}
        if name:
            values["name"] = name
        return cls(**values)

    def encode_passages(self, texts):
        self.encoded += len(texts)
        self.calls += 1
        return super().encode_passages(texts)


def units_of(nlp, documents) -> int:
    """How many texts the pipeline embeds for these documents' passages."""
    return sum(len(embedding_units(nlp, d.passages).texts) for d in documents)


POINTS = """Betreft: Conclusies van de Raad over {topic}

1. De Raad verzoekt de Commissie uiterlijk in juni 2026 een verslag over {topic} voor te leggen.

2. De lidstaten zullen hun samenwerking op het gebied van {topic} tegen eind 2025 versterken.
"""


def write_files(folder: Path, topics: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, topic in enumerate(topics):
        path = folder / f"conclusies_{n}.txt"
        path.write_text(POINTS.format(topic=topic), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def store(tmp_path):
    store = SQLiteStore(tmp_path / "store")
    yield store
    store.close()


def test_corpus_ingests_completely(ingested_corpus, corpus_dir):
    report = ingested_corpus.report
    assert report.exit_code == 0
    assert report.counts == {"ingested": len(list(corpus_dir.glob("*.txt"))), "unchanged": 0, "failed": 0}
    stats = ingested_corpus.store.stats()
    assert stats.passages == sum(r.passages for r in report.results)
    assert stats.obligations == sum(r.obligations for r in report.results) > 0
    assert report.evidence_refreshed, report.evidence_error


def test_reingesting_the_corpus_parses_and_embeds_nothing(ingested_corpus, embedder, nlp_pipeline, corpus_dir):
    counting = CountingEmbedder.around(embedder)
    before = ingested_corpus.store.stats()
    seen = []
    report = ingest_paths(
        [corpus_dir], settings=ingested_corpus.settings, store=ingested_corpus.store, embedder=lambda: counting,
        pipeline=lambda: nlp_pipeline, on_result=seen.append,
    )
    assert {r.status for r in report.results} == {"unchanged"}
    assert seen == report.results
    assert counting.encoded == 0
    assert ingested_corpus.store.stats() == before
    assert [r.passages for r in report.results] == [r.passages for r in ingested_corpus.report.results]


def test_force_processes_unchanged_files_again(tmp_path, store, test_settings, embedder, nlp_pipeline):
    paths = write_files(tmp_path / "in", ["havens"])
    ingest_paths(paths, settings=test_settings, store=store, embedder=lambda: embedder, pipeline=lambda: nlp_pipeline)
    counting = CountingEmbedder.around(embedder)
    report = ingest_paths(
        paths, settings=test_settings, store=store, embedder=lambda: counting, pipeline=lambda: nlp_pipeline, force=True
    )
    assert [r.status for r in report.results] == ["ingested"]
    assert counting.encoded == units_of(nlp_pipeline, [store.get_document(paths[0].name)]) >= report.results[0].passages > 0
    assert store.stats().documents == 1


def test_references_resolve_to_stored_and_co_ingested_documents(tmp_path, store, test_settings, embedder, nlp_pipeline):
    folder = tmp_path / "in"
    folder.mkdir()
    numbered = "Brussel, 3 maart 2025\n\n{number}\n\nNOTA\n\nBetreft: Voortgangsverslag {n}\n\n1. De Commissie zal een studie afronden.\n"
    (folder / "a_nota.txt").write_text(numbered.format(number="6021/25", n=1), encoding="utf-8")
    (folder / "b_verwijzing.txt").write_text(
        POINTS.format(topic="havens") + "\n3. De Raad neemt nota van het verslag in doc. 6021/25.\n", encoding="utf-8"
    )
    ingest_paths([folder], settings=test_settings, store=store, embedder=lambda: embedder, pipeline=lambda: nlp_pipeline)
    assert store.get_document("a_nota.txt").metadata.doc_number == "6021/25"
    references = store.get_document("b_verwijzing.txt").metadata.references
    assert [r.resolved_source_file for r in references if r.normalised == "6021/25"] == ["a_nota.txt"]


def test_points_are_embedded_sentence_by_sentence_with_their_addressee_block(corpus_store, embedder, nlp_pipeline):
    passages = [
        p
        for d in corpus_store.list_documents()
        for p in corpus_store.get_document(d.source_file).passages
        if p.addressees and p.addressees.strip() != p.text.strip()
    ]
    assert passages
    sample = passages[:: max(1, len(passages) // 3)][:3]
    assert all(embedding_text(p).startswith(p.addressees.strip()) for p in sample)
    for passage in sample:
        units = embedding_units(nlp_pipeline, [passage])
        assert all(text.startswith(passage.addressees.strip() + "\n") for text in units.texts)
        rows = embedder.encode_passages(units.texts)
        # the passage vector is the mean of its rows; its vector search score is its best row's cosine
        mean = rows.sum(axis=0) / np.linalg.norm(rows.sum(axis=0))
        np.testing.assert_allclose(corpus_store.passage_vectors([passage.passage_id])[0], mean, atol=1e-3)
        query = rows[-1]
        assert corpus_store.vector_scores(query, [passage.passage_id])[passage.passage_id] == pytest.approx(1.0, abs=2e-3)


def test_a_passage_of_several_sentences_has_a_row_for_each_and_one_for_the_whole(nlp_pipeline):
    from conclusio.records import Passage

    two = Passage("x.txt#1", "x.txt", 1, "body", "De Raad is bezorgd. Hij vraagt de Commissie om een verslag.")
    one = Passage("x.txt#2", "x.txt", 2, "body", "Eén zin zonder meer.")
    units = embedding_units(nlp_pipeline, [two, one])
    assert units.texts == ["De Raad is bezorgd.", "Hij vraagt de Commissie om een verslag.",
                           "De Raad is bezorgd. Hij vraagt de Commissie om een verslag.", "Eén zin zonder meer."]
    assert units.passages == [0, 0, 0, 1]


def test_documents_are_embedded_together_in_batches(tmp_path, store, test_settings, embedder, nlp_pipeline):
    write_files(tmp_path / "in", ["havens", "jeugdcriminaliteit", "witwassen"])
    counting = CountingEmbedder.around(embedder)
    ingest_paths([tmp_path / "in"], settings=test_settings, store=store, embedder=lambda: counting,
                 pipeline=lambda: nlp_pipeline)
    assert store.stats().documents == 3
    documents = [store.get_document(d.source_file) for d in store.list_documents()]
    assert counting.calls == 1 and counting.encoded == units_of(nlp_pipeline, documents)


def test_one_bad_file_fails_alone(tmp_path, store, test_settings, embedder, nlp_pipeline):
    folder = tmp_path / "in"
    good = write_files(folder, ["havenbeveiliging"])
    (folder / "leeg.txt").write_bytes(b"")
    (folder / "vermomd.txt").write_bytes(b"%PDF-1.7\n\x00\x01binary")
    (folder / "foto.jpg").write_bytes(b"\xff\xd8\xff")
    report = ingest_paths([folder], settings=test_settings, store=store, embedder=lambda: embedder, pipeline=lambda: nlp_pipeline)
    assert report.exit_code == 2
    by_name = {Path(r.path).name: r for r in report.results}
    assert by_name[good[0].name].status == "ingested"
    for name in ("leeg.txt", "vermomd.txt", "foto.jpg"):
        assert by_name[name].status == "failed" and by_name[name].reason
    assert [d.source_file for d in store.list_documents()] == [good[0].name]


def test_a_changed_file_is_replaced(tmp_path, store, test_settings, embedder, nlp_pipeline):
    [path] = write_files(tmp_path / "in", ["drugssmokkel"])
    ingest_paths([path], settings=test_settings, store=store, embedder=lambda: embedder, pipeline=lambda: nlp_pipeline)
    path.write_text(POINTS.format(topic="cybercriminaliteit"), encoding="utf-8")
    counting = CountingEmbedder.around(embedder)
    report = ingest_paths([path], settings=test_settings, store=store, embedder=lambda: counting, pipeline=lambda: nlp_pipeline)
    assert [r.status for r in report.results] == ["ingested"]
    document = store.get_document(path.name)
    assert counting.encoded == units_of(nlp_pipeline, [document])
    assert "cybercriminaliteit" in document.text and "drugssmokkel" not in document.text
    assert all("drugssmokkel" not in o.source_text for o in store.obligations(ObligationQuery()))


def test_same_file_name_twice_in_one_batch_fails_the_second(tmp_path, store, test_settings, embedder, nlp_pipeline):
    [first] = write_files(tmp_path / "a", ["havens"])
    [second] = write_files(tmp_path / "b", ["luchthavens"])
    report = ingest_paths([first, second], settings=test_settings, store=store, embedder=lambda: embedder, pipeline=lambda: nlp_pipeline)
    by_path = {r.path: r for r in report.results}
    assert by_path[str(first)].status == "ingested"
    assert by_path[str(second)].status == "failed" and "same file name" in by_path[str(second)].reason
    assert "havens" in store.get_document(first.name).text


def test_reembed_moves_the_store_to_the_model_in_use(tmp_path, store, test_settings, embedder, nlp_pipeline):
    write_files(tmp_path / "in", ["havens", "jeugdcriminaliteit"])
    other = CountingEmbedder.around(embedder, name="another/embedding-model")
    ingest_paths([tmp_path / "in"], settings=test_settings, store=store, embedder=lambda: other, pipeline=lambda: nlp_pipeline)
    assert store.embedding_model() == ("another/embedding-model", embedder.dim)
    documents_before = [store.get_document(d.source_file) for d in store.list_documents()]
    obligations_before = store.obligations(ObligationQuery())
    counting = CountingEmbedder.around(embedder)
    progress = []
    count = reembed(store, counting, nlp_pipeline, on_progress=lambda done, total: progress.append((done, total)))
    assert count == store.stats().passages
    assert counting.encoded == units_of(nlp_pipeline, documents_before)
    assert progress[-1] == (count, count) and len(progress) == len(documents_before)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)
    assert store.embedding_model() == (embedder.name, embedder.dim)
    assert [store.get_document(d.source_file) for d in store.list_documents()] == documents_before
    assert store.obligations(ObligationQuery()) == obligations_before
