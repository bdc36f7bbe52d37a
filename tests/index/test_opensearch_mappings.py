"""The OpenSearch index and query bodies, checked against the documented API shapes (no server needed)."""

from __future__ import annotations

import json
from dataclasses import replace
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from conclusio.records import Deadline, Document, DocumentMetadata, EvidenceLink, Obligation, Passage, Reference, TableRow
from index import opensearch_mappings as bodies
from index.analysis import DUTCH_STOPWORDS, compound_parts_of
from index.query_language import parse_query
from index.opensearch_store import (
    document_record,
    evidence_source,
    metadata_from,
    obligation_from,
    obligation_source,
    passage_from,
    passage_source,
    redact_url,
)
from index.store import LexicalQuery, ObligationQuery, SearchFilters

VERSIONS = ("abc123-0001", "def456-0002")
HOSTILE = 'title:europol AND (drugs OR "x^9 ~2 \\ /regex/ * ? {!lucene} <script> text.exact:"'


def walk(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every (key path, value) in a JSON body."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for value in node:
            yield from walk(value, path)


def clause_count(body: dict[str, Any]) -> int:
    """An upper bound on Lucene clauses: words x fields for each match-type query."""
    total = 0
    for _path, node in walk(body):
        if isinstance(node, dict) and "multi_match" in node:
            spec = node["multi_match"]
            total += len(spec["query"].split()) * len(spec["fields"])
        if isinstance(node, dict) and "match" in node:
            total += sum(len(v["query"].split()) for v in node["match"].values())
        if isinstance(node, dict) and "match_phrase" in node:
            total += sum(len(v["query"].split()) for v in node["match_phrase"].values())
    return total


@pytest.fixture(scope="module")
def passages_body() -> dict[str, Any]:
    return bodies.passages_index_body(384)


def test_passages_mapping_declares_nested_lucene_hnsw_cosine_sentence_vectors_of_the_given_dimension(passages_body):
    assert passages_body["settings"]["index"]["knn"] is True
    properties = passages_body["mappings"]["properties"]
    sentences = properties[bodies.SENTENCES_FIELD]
    assert sentences["type"] == "nested"
    embedding = sentences["properties"]["embedding"]
    assert embedding["type"] == "knn_vector" and embedding["dimension"] == 384
    # the passage's own vector is kept for Store.passage_vectors, not indexed a second time
    assert properties["embedding"] == {"type": "float", "index": False, "doc_values": False}
    method = embedding["method"]
    assert (method["name"], method["engine"], method["space_type"]) == ("hnsw", "lucene", "cosinesimil")
    assert set(method["parameters"]) <= {"m", "ef_construction"}  # the Lucene engine's only HNSW parameters
    with pytest.raises(ValueError, match="dimension"):
        bodies.passages_index_body(0)


def test_text_fields_use_the_embedded_stores_chain_and_the_phrase_subfield_is_unstemmed(passages_body):
    analysis = passages_body["settings"]["index"]["analysis"]
    properties = passages_body["mappings"]["properties"]
    dutch = analysis["analyzer"][properties["text"]["analyzer"]]
    # index.analysis: words are letter/digit runs with inner hyphens, folded, hyphenated words whole and in parts
    assert analysis["tokenizer"][dutch["tokenizer"]] == {"type": "pattern", "pattern": bodies.WORD_SPLIT}
    assert dutch["filter"][:4] == ["lowercase", "asciifolding", "conclusio_hyphenated", "flatten_graph"]
    declared = analysis["filter"]
    assert declared["conclusio_hyphenated"]["catenate_all"] is True
    assert declared["conclusio_hyphenated"]["split_on_case_change"] is False
    assert declared["conclusio_dutch_stop"] == {"type": "stop", "stopwords": sorted(DUTCH_STOPWORDS)}  # the same list
    assert declared[dutch["filter"][-1]] == {"type": "stemmer", "language": "dutch"}  # dutch_porter's algorithm
    # no compound splitting in the ranked text: the embedded store does not split there either
    assert not any(spec.get("type", "").endswith("decompounder") for spec in declared.values())
    exact = analysis["analyzer"][properties["text"]["fields"]["exact"]["analyzer"]]
    assert exact["filter"] == dutch["filter"][:4] and exact["tokenizer"] == dutch["tokenizer"]  # unstemmed, stop words kept
    assert properties["title"]["analyzer"] == properties["section"]["analyzer"] == properties["text"]["analyzer"]
    assert properties[bodies.PARTS_FIELD]["analyzer"] == properties["text"]["analyzer"]


def test_compound_parts_are_split_on_the_client_and_matched_not_ranked():
    document, _ = sample_document()
    passage = replace(document.passages[1], text="De douaneautoriteiten en de havenbedrijven")
    source = passage_source(passage, np.ones(4, dtype=np.float32), document.metadata, "v", (), False)
    assert source[bodies.PARTS_FIELD].split() == compound_parts_of(passage.text) == [
        "douane", "autoriteiten", "haven", "bedrijven"]
    body = bodies.keyword_query(LexicalQuery("douane"), SearchFilters(), VERSIONS, 5)
    assert bodies.PARTS_FIELD not in json.dumps(body["query"]["bool"]["must"] + body["query"]["bool"]["should"])
    matching = bodies.keyword_query(LexicalQuery("x"), SearchFilters(matching=parse_query("-douane x").constraint),
                                    VERSIONS, 5)
    assert bodies.PARTS_FIELD in json.dumps(matching["query"]["bool"]["filter"])


def test_filter_fields_are_keywords_and_actors_have_a_case_folded_subfield(passages_body):
    properties = passages_body["mappings"]["properties"]
    for field in ("source_file", "doc_version", "passage_kind", "doc_kind", "classification", "language", "actors"):
        assert properties[field]["type"] == "keyword", field
    normalizer = properties["actors"]["fields"]["folded"]["normalizer"]
    assert passages_body["settings"]["index"]["analysis"]["normalizer"][normalizer]["filter"] == ["lowercase"]
    assert properties["has_obligations"]["type"] == "boolean"
    assert properties["doc_date"]["type"] == "date"


def sample_document() -> tuple[Document, list[Obligation]]:
    metadata = DocumentMetadata(
        doc_number="15571/25",
        title="Voortgangsverslag",
        date="2025-11-21",
        kind="presidency_note",
        classification=["LIMITE"],
        references=[Reference(text="Doc. 14114/23", kind="council_doc", normalised="14114/23")],
        language="nl",
    )
    passages = [
        Passage(
            passage_id="note.txt#0", source_file="note.txt", seq=0, kind="heading", text="Actie 4",
            section_path=["BIJLAGE"], paragraph="Actie 4",
        ),
        Passage(
            passage_id="note.txt#1", source_file="note.txt", seq=1, kind="body",
            text="De Raad verzoekt Europol uiterlijk eind 2026 een verslag in te dienen.",
            section_path=["BIJLAGE", "Actie 4"], paragraph="1", page=2, footnote_refs=["3"],
        ),
        Passage(
            passage_id="note.txt#2", source_file="note.txt", seq=2, kind="body",
            text="1.1 Actie: de uitwisseling versterken; Verantwoordelijk: LS, COM; Tijdschema: 2026",
            section_path=["BIJLAGE", "Prioriteit 1"], paragraph="1.1", page=3,
            table_row=TableRow(table=1, row=1, headers=["Nr.", "Actie", "Verantwoordelijk", "Tijdschema"],
                               cells=["1.1", "de uitwisseling versterken", "LS, COM", "2026"], label="1.1",
                               title="Prioriteit 1"),
        ),
    ]
    obligation = Obligation(
        id="note.txt#1#1", source_file="note.txt", passage_id="note.txt#1", paragraph="1", page=2,
        actors=["Europol"], action="een verslag in te dienen", verbs=["indienen"],
        deadline=Deadline(text="uiterlijk eind 2026", start="2026-01-01", end="2026-12-31", granularity="year"),
        modality="request", source_text=passages[1].text,
    )
    text = "\n".join(p.text for p in passages)
    return Document("note.txt", "f" * 64, text, metadata, passages), [obligation]


def sample_link(document: Document) -> EvidenceLink:
    passage = document.passages[1]
    return EvidenceLink(
        obligation_id="004.txt#7#1", passage_id=passage.passage_id, source_file=document.source_file,
        paragraph=passage.paragraph, text=passage.text, status="in_progress", confidence=0.8,
        doc_date=document.metadata.date, method="action_number",
    )


def test_every_field_the_store_writes_is_mapped_so_strict_mappings_accept_it(passages_body):
    document, obligations = sample_document()
    vector = np.full(384, 0.05, dtype=np.float32)
    records = [
        (passages_body, passage_source(document.passages[1], vector, document.metadata, "v1", ["Europol"], True)),
        (passages_body, passage_source(document.passages[2], vector, document.metadata, "v1", ["lidstaten"], True)),
        (bodies.obligations_index_body(), obligation_source(obligations[0], "v1", "2025-11-21", 0)),
        (bodies.documents_index_body(), document_record(document, "v1", len(obligations))),
        (bodies.evidence_index_body(), evidence_source(sample_link(document), "batch-1")),
    ]
    for body, record in records:
        assert body["mappings"]["dynamic"] == "strict"
        assert set(record) <= set(body["mappings"]["properties"]), set(record) - set(body["mappings"]["properties"])
        json.dumps(record)  # the bulk helper serialises it as JSON


def test_records_round_trip_to_the_same_dataclasses():
    document, obligations = sample_document()
    vector = np.linspace(-1, 1, 8, dtype=np.float32)
    for passage in document.passages:
        source = json.loads(json.dumps(passage_source(passage, vector, document.metadata, "v1", (), False)))
        assert passage_from(source) == passage
        assert source["embedding"] == pytest.approx(vector.tolist())
    stored = json.loads(json.dumps(obligation_source(obligations[0], "v1", None, 0)))
    assert obligation_from(stored["record"]) == obligations[0]
    record = json.loads(json.dumps(document_record(document, "v1", 1)))
    assert metadata_from(record["metadata"]) == document.metadata
    link = sample_link(document)
    assert EvidenceLink(**json.loads(json.dumps(evidence_source(link, "b")))["record"]) == link


def test_hostile_input_only_ever_becomes_match_query_values():
    query = LexicalQuery(HOSTILE, expansions=((HOSTILE, 0.5),), phrases=(HOSTILE,))
    body = bodies.keyword_query(query, SearchFilters(), VERSIONS, 10)
    assert body is not None
    keys = {key for path, _ in walk(body) for key in path}
    assert not keys & {"query_string", "simple_query_string", "regexp", "wildcard", "script", "prefix", "fuzzy"}
    carriers = [path for path, value in walk(body) if isinstance(value, str) and "europol" in value]
    assert carriers, "the user's words must reach the query"
    for path in carriers:
        assert path[-1] == "query" and path[-2] in {"multi_match", "text", bodies.PHRASE_FIELD}, path
        assert path[-3] in {"match", "match_phrase"} or path[-2] == "multi_match", path


def test_words_must_match_the_text_and_title_and_section_only_add_with_boosts():
    query = LexicalQuery("drugshandel Europol", expansions=(("drug trafficking", 0.6), ("ignored", 0.0)))
    boolean = bodies.keyword_query(query, SearchFilters(), VERSIONS, 10)["query"]["bool"]
    [required] = boolean["must"]
    assert required["bool"]["minimum_should_match"] == 1
    assert required["bool"]["should"] == [
        {"match": {"text": {"query": "drugshandel Europol", "boost": 1.0}}},
        {"match": {"text": {"query": "drug trafficking", "boost": 0.6}}},
    ]
    words, expansion = (clause["multi_match"] for clause in boolean["should"])
    assert words["fields"] == ["title^3", "section^2"] and words["boost"] == 1.0
    assert expansion["query"] == "drug trafficking" and expansion["boost"] == 0.6


def test_phrases_are_required_matches_on_the_unstemmed_subfield():
    query = LexicalQuery("verslag", phrases=("verzoekt Europol",))
    boolean = bodies.keyword_query(query, SearchFilters(), VERSIONS, 10)["query"]["bool"]
    assert boolean["must"] == [{"match_phrase": {"text.exact": {"query": "verzoekt Europol"}}}]
    # The words only add to the score of passages that hold the phrase.
    assert {"match": {"text": {"query": "verslag", "boost": 1.0}}} in boolean["should"]
    assert "minimum_should_match" not in boolean
    only_phrase = bodies.keyword_query(LexicalQuery("", phrases=("eind 2026",)), SearchFilters(), VERSIONS, 5)
    assert only_phrase["query"]["bool"]["should"] == []


@pytest.mark.parametrize(
    "query, k, versions",
    [
        (LexicalQuery(""), 10, VERSIONS),
        (LexicalQuery("   \n\t "), 10, VERSIONS),
        (LexicalQuery("", expansions=(("x", 0.0),), phrases=("  ",)), 10, VERSIONS),
        (LexicalQuery("europol"), 0, VERSIONS),
        (LexicalQuery("europol"), 10, ()),
    ],
)
def test_nothing_to_search_gives_no_query(query, k, versions):
    assert bodies.keyword_query(query, SearchFilters(), versions, k) is None


def test_very_long_input_stays_under_the_clause_limit_and_the_result_window():
    flood = " ".join(f"woord{i}" for i in range(20_000))
    query = LexicalQuery(flood, expansions=tuple((flood, 0.5) for _ in range(500)), phrases=(flood,) * 100)
    body = bodies.keyword_query(query, SearchFilters(), VERSIONS, 1_000_000)
    assert clause_count(body) < 1024
    assert body["size"] == bodies.MAX_RESULT_WINDOW


def test_filters_become_term_terms_and_range_clauses():
    filters = SearchFilters(
        kinds=("council_conclusions",),
        source_files=("000.txt", "004.txt"),
        date_from="2023-01-01",
        date_to="2024-12-31",
        actors=("Europol", "de Commissie"),
        classifications=("LIMITE",),
        has_obligations=True,
        languages=("nl",),
    )
    clauses = bodies.filter_clauses(filters, VERSIONS)
    assert {"terms": {"doc_version": sorted(VERSIONS)}} in clauses
    assert {"terms": {"doc_kind": ["council_conclusions"]}} in clauses
    assert {"terms": {"source_file": ["000.txt", "004.txt"]}} in clauses
    assert {"terms": {"actors.folded": ["de commissie", "europol"]}} in clauses
    assert {"terms": {"classification": ["LIMITE"]}} in clauses
    assert {"terms": {"language": ["nl"]}} in clauses
    assert {"terms": {"passage_kind": ["body", "heading"]}} in clauses  # footnotes only when asked
    assert {"range": {"doc_date": {"gte": "2023-01-01", "lte": "2024-12-31"}}} in clauses
    assert {"term": {"has_obligations": True}} in clauses
    assert len(clauses) == 9


def test_default_filters_only_restrict_versions_and_passage_kinds():
    clauses = bodies.filter_clauses(SearchFilters(passage_kinds=()), VERSIONS)
    assert clauses == [{"terms": {"doc_version": sorted(VERSIONS)}}]
    no_obligations = bodies.filter_clauses(SearchFilters(has_obligations=False), VERSIONS)
    assert {"term": {"has_obligations": False}} in no_obligations


def test_knn_query_walks_the_nested_sentence_vectors_with_the_filters_inside_the_knn_clause():
    vector = np.random.default_rng(0).normal(size=384)
    filters = SearchFilters(source_files=("001.txt",))
    body = bodies.knn_query(vector / np.linalg.norm(vector), filters, VERSIONS, 7)
    nested = body["query"]["nested"]
    assert (nested["path"], nested["score_mode"]) == (bodies.SENTENCES_FIELD, "max")  # a passage: its best sentence
    knn = nested["query"]["knn"][bodies.SENTENCE_VECTOR_FIELD]
    assert knn["k"] == body["size"] == 7 and len(knn["vector"]) == 384
    assert knn["filter"] == {"bool": {"filter": bodies.filter_clauses(filters, VERSIONS)}}
    assert body["_source"] == {"excludes": ["embedding", "sentences"]}


def test_knn_query_for_the_scores_of_given_passages():
    vector = np.ones(8) / np.sqrt(8)
    body = bodies.knn_query(vector, SearchFilters(passage_kinds=()), VERSIONS, 2, ["a.txt#1", "b.txt#4"])
    clauses = body["query"]["nested"]["query"]["knn"][bodies.SENTENCE_VECTOR_FIELD]["filter"]["bool"]["filter"]
    assert {"terms": {"passage_id": ["a.txt#1", "b.txt#4"]}} in clauses
    assert bodies.current_version_filter(VERSIONS) in clauses


def test_a_passage_record_holds_each_of_its_rows_as_a_nested_sentence_vector():
    document, _ = sample_document()
    passage_vector = np.full(4, 0.5, dtype=np.float32)
    rows = np.eye(4, dtype=np.float32)[:3]
    source = passage_source(document.passages[0], passage_vector, document.metadata, "v1", (), False, rows)
    assert source["embedding"] == [0.5] * 4
    assert [s["embedding"] for s in source["sentences"]] == rows.tolist()
    alone = passage_source(document.passages[0], passage_vector, document.metadata, "v1", (), False)
    assert alone["sentences"] == [{"embedding": [0.5] * 4}]


@pytest.mark.parametrize("vector", [np.zeros(8), np.array([np.nan] * 8), np.array([])])
def test_knn_query_refuses_vectors_cosine_cannot_score(vector):
    assert bodies.knn_query(vector, SearchFilters(), VERSIONS, 5) is None


def test_cosine_is_recovered_from_the_documented_cosinesimil_score():
    rng = np.random.default_rng(1)
    for _ in range(20):
        a, b = rng.normal(size=(2, 16))
        cosine = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
        documented_score = (2 - (1 - cosine)) / 2  # OpenSearch: d = 1 - cos, score = (2 - d) / 2
        assert bodies.cosine_from_knn_score(documented_score) == pytest.approx(cosine)


def test_highlighted_terms_are_the_marked_surface_words_in_first_seen_order():
    pre, post = bodies.HIGHLIGHT_PRE, bodies.HIGHLIGHT_POST
    fragments = [f"De {pre}Raad{post} verzoekt {pre}Europol{post}", f"{pre}Europol{post} en {pre}financiële{post}"]
    assert bodies.highlighted_terms(fragments) == ("Raad", "Europol", "financiële")
    assert bodies.highlighted_terms([]) == ()


def test_facets_aggregate_each_facet_over_the_given_passages_only():
    body = bodies.facets_query(["a#1", "b#2"], VERSIONS)
    assert body["size"] == 0
    assert {"terms": {"passage_id": ["a#1", "b#2"]}} in body["query"]["bool"]["filter"]
    assert set(body["aggs"]) == {"kind", "document", "actor", "classification", "language", "has_obligations"}
    assert body["aggs"]["kind"]["terms"] == {"field": "doc_kind", "size": bodies.FACET_SIZE, "missing": "unknown"}


def test_facet_counts_label_booleans_yes_no_and_drop_empty_facets():
    aggregations = {
        "has_obligations": {"buckets": [{"key": 1, "key_as_string": "true", "doc_count": 3}]},
        "document": {"buckets": [{"key": "true", "doc_count": 2}]},
        "actor": {"buckets": []},
    }
    assert bodies.facet_counts(aggregations) == {"has_obligations": {"yes": 3}, "document": {"true": 2}}


def test_obligation_filters():
    query = ObligationQuery(actor="Europol", source_files=("000.txt",), due_before="2025-01-01", modality="request")
    clauses = bodies.obligations_filter(query, VERSIONS)["bool"]["filter"]
    assert {"term": {"actors.folded": "europol"}} in clauses
    assert {"range": {"deadline_end": {"lt": "2025-01-01"}}} in clauses
    assert {"term": {"modality": "request"}} in clauses
    assert {"terms": {"source_file": ["000.txt"]}} in clauses


def test_stale_versions_query_keeps_only_the_current_version():
    keep = bodies.stale_versions_query("000.txt", "v2")["bool"]
    assert keep == {"filter": [{"term": {"source_file": "000.txt"}}], "must_not": [{"term": {"doc_version": "v2"}}]}
    assert "must_not" not in bodies.stale_versions_query("000.txt", None)["bool"]


def test_locations_never_show_credentials():
    assert redact_url("https://admin:s3cret@search.example:9200/") == "https://search.example:9200/"
    assert redact_url("http://localhost:9200") == "http://localhost:9200"


@pytest.mark.parametrize(
    "body",
    [
        bodies.documents_index_body(),
        bodies.obligations_index_body(),
        bodies.evidence_index_body(),
        bodies.meta_index_body(),
        bodies.curation_index_body(),
        bodies.audit_index_body(),
    ],
)
def test_every_index_is_single_shard_and_strict(body):
    assert body["settings"]["index"]["number_of_shards"] == 1
    assert body["mappings"]["dynamic"] == "strict"
    for _path, node in walk(body["mappings"]["properties"]):
        if isinstance(node, dict) and "type" in node:
            assert node["type"] in {"keyword", "text", "date", "integer", "long", "boolean", "object", "knn_vector"}


def test_the_query_language_becomes_filter_clauses():
    def clause(query: str) -> dict:
        return bodies.constraint_query(parse_query(query).constraint)

    own = lambda word: {"bool": {"should": [{"match": {"text": {"query": word}}},  # noqa: E731
                                            {"match": {bodies.PARTS_FIELD: {"query": word}}}],
                                 "minimum_should_match": 1}}
    assert clause("europol -eurojust") == {"bool": {"filter": [own("europol")], "must_not": [own("eurojust")]}}
    assert clause("haven* -x")["bool"]["filter"] == [{"prefix": {"text.exact": {"value": "haven"}}}]
    assert clause('"legale bedrijfsstructuren" +x')["bool"]["filter"][0] == {
        "match_phrase": {"text.exact": {"query": "legale bedrijfsstructuren"}}}
    assert clause('"verslag europol"~3 +x')["bool"]["filter"][0] == {"intervals": {"text.exact": {
        "match": {"query": "verslag europol", "max_gaps": 3, "ordered": False}}}}
    assert clause("EU-Celac +x")["bool"]["filter"][0] == {"match_phrase": {"text.exact": {"query": "eu celac"}}}
    either = clause("eurojust | kustwacht")["bool"]
    assert either["minimum_should_match"] == 1 and len(either["should"]) == 2
    assert clause("-eurojust") == {"bool": {"must_not": [own("eurojust")]}}
    filters = SearchFilters(matching=parse_query("europol -eurojust").constraint, passage_ids=("a#1",))
    clauses = bodies.filter_clauses(filters, VERSIONS)
    assert {"terms": {"passage_id": ["a#1"]}} in clauses and clause("europol -eurojust") in clauses


def test_a_query_without_words_lists_passages_by_document_date():
    body = bodies.keyword_query(LexicalQuery("", match_all="oldest"), SearchFilters(kinds=("x",)), VERSIONS, 5)
    assert body["sort"][0] == {"doc_date": {"order": "asc", "missing": "_last"}}
    assert {"terms": {"doc_kind": ["x"]}} in body["query"]["bool"]["filter"]
    assert bodies.keyword_query(LexicalQuery(""), SearchFilters(), VERSIONS, 5) is None


def test_hybrid_query_and_search_pipelines():
    body = bodies.hybrid_query(LexicalQuery("europol"), [0.1] * 8, SearchFilters(), VERSIONS, 5)
    keyword, knn = body["query"]["hybrid"]["queries"]
    assert "bool" in keyword and body["size"] == 5
    assert "knn" in knn["nested"]["query"]  # the sentence vectors: nested k-NN, a passage scored by its best one
    rrf = bodies.search_pipeline_body("rrf", (1.0, 1.0), 60)["phase_results_processors"][0]
    assert rrf == {"score-ranker-processor": {"combination": {"technique": "rrf", "rank_constant": 60}}}
    minmax = bodies.search_pipeline_body("minmax", (1.0, 0.4))["phase_results_processors"][0]["normalization-processor"]
    assert minmax["normalization"] == {"technique": "min_max"}
    assert sum(minmax["combination"]["parameters"]["weights"]) == pytest.approx(1.0)
