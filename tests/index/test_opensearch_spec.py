"""Every request the OpenSearch backend sends, validated against OpenSearch's own API specification.

The real store code (``index.opensearch_store``, ``tracking.opensearch_curation``, and the Searcher over
the store) runs against a recording stand-in for the server (``opensearch_recorder``), behind
opensearch-py's own client: the bodies validated are exactly those sent. Each request is routed to its
operation of the specification (``opensearch_api_spec``) and its body validated against that
operation's schema, ``$ref``s resolved across the specification's files; a request the specification
rejects fails with its JSON path. The specification is read from ``Settings.opensearch_api_spec``
(``CONCLUSIO_OPENSEARCH_API_SPEC``, default ``../shared/data/opensearch-api-spec``); without it these
tests are skipped.

A new request (say, a nested k-NN query over sentence vectors) needs nothing here: once the store
sends it, the scenario below records it and it is validated; add a step to ``exercise`` only when no
existing step reaches it, and its operation to ``EXPECTED_OPERATIONS``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, replace

import numpy as np
import pytest
from opensearchpy.exceptions import RequestError

from conclusio.clearance import Clearance
from conclusio.records import EvidenceLink
from conclusio.settings import Settings

from index.opensearch_store import OpenSearchStore, passage_source
from index.query_filters import stated_in, with_fields
from index.query_language import parse_query
from index.search import Searcher
from index.store import LexicalQuery, ObligationQuery, SearchFilters
from tests.index.opensearch_api_spec import ApiSpec, Problem
from tests.index.opensearch_recorder import FakeServer, Request
from tests.index.test_store_contract import (
    CONCLUSIONS_TEXT,
    NOTE_TEXT,
    PORTS_TEXT,
    Sample,
    parse,
    prepare,
    small_text,
)

URL = "http://recorded.invalid:9200"
QUERIES = ('europol -eurojust', 'haven* -douane', '"legale bedrijfsstructuren"', '"bedrijfsstructuren legaal"~2',
           '(eurojust OR kustwacht) AND havens', 'EU-Socta +europol', 'actor:Europol date:2024-01-01..2024-12-31',
           'kind:council_conclusions lang:nl', '-eurojust -douane kind:council_conclusions', 'deadline:..2025-06-30',
           'verslag van Europol over legale bedrijfsstructuren', 'money laundering and confiscation of criminal assets')
EXPECTED_OPERATIONS = {
    "info", "indices.exists", "indices.create", "indices.exists_alias", "indices.get_alias", "indices.update_aliases",
    "indices.put_mapping", "indices.delete", "bulk", "index", "get", "delete", "search", "count", "delete_by_query",
    "search_pipeline.put", "scroll", "clear_scroll",
}


@pytest.fixture(scope="module")
def spec() -> ApiSpec:
    location = Settings.from_env().opensearch_api_spec  # where this checkout's settings say it is
    if location is None or not location.exists():
        pytest.skip("the OpenSearch API specification is not there: set CONCLUSIO_OPENSEARCH_API_SPEC")
    return ApiSpec(location)


@pytest.fixture(scope="module")
def samples(tmp_path_factory, test_settings, embedder, nlp_pipeline) -> list[Sample]:
    folder = tmp_path_factory.mktemp("spec-samples")
    texts = (("conclusies.txt", CONCLUSIONS_TEXT), ("nota.md", NOTE_TEXT), ("havens.txt", PORTS_TEXT))
    return [prepare(parse(small_text(folder, name, text), test_settings), embedder, nlp_pipeline) for name, text in texts]


@dataclass
class Recording:
    requests: list[Request]
    server: FakeServer


def exercise(server: FakeServer, samples: list[Sample], embedder, test_settings) -> None:
    """Every path of the store, the curation store and the Searcher that sends a request."""
    from tracking.opensearch_curation import OpenSearchCurationStore

    store = OpenSearchStore(URL, index_prefix="spec", client=server.client())
    first = samples[0]
    # a first document with another model and dimension, then the real ones: the passages index is remade
    store.write_document(first.document, first.vectors[:, :16].copy(), [], "another/model")
    store.delete_document(first.document.source_file)
    for sample in samples:
        store.write_document(sample.document, sample.vectors, sample.obligations, embedder.name)
    store.write_document(first.document, first.vectors, first.obligations, embedder.name)  # rewrite: mapping kept up
    # a passage with several vector rows (its sentences): nested objects in one record
    rows = np.vstack([first.vectors, first.vectors[:2]])
    owners = [*range(len(first.vectors)), 0, 0]
    store.write_document(first.document, rows, first.obligations, embedder.name, vector_passages=owners)
    store.get_document(first.document.source_file)
    store.list_documents()
    store.get_passages([p.passage_id for p in first.document.passages[:3]])
    store.passage_vectors([p.passage_id for p in first.document.passages[:3]])
    vector = embedder.encode_queries(["Europol verslag over havens"])[0]
    every_filter = SearchFilters(
        kinds=("council_conclusions",), source_files=(first.document.source_file,), date_from="2023-01-01",
        date_to="2025-12-31", actors=("Europol",), classifications=("LIMITE",), has_obligations=True,
        languages=("nl",), passage_kinds=("body",), passage_ids=(first.document.passages[0].passage_id,),
    )
    for query in QUERIES:
        parsed = parse_query(query)
        filters, _ = with_fields(SearchFilters(), parsed.fields, store.list_documents(), stated_in(store))
        filters = replace(filters, matching=parsed.constraint)
        lexical = LexicalQuery(parsed.text, expansions=(("rapport", 0.5), ("report", 0.3)), phrases=parsed.phrases,
                               prefixes=parsed.prefixes, match_all="newest")
        store.keyword_search(lexical, filters, 10)
        store.vector_search(vector, filters, 10)
        store.hybrid_search(lexical, vector, filters, 10, fusion="rrf")
    store.keyword_search(LexicalQuery("", match_all="oldest"), every_filter, 10)
    store.keyword_search(LexicalQuery("Europol"), every_filter, 10)
    store.vector_search(vector, every_filter, 10)
    store.keyword_candidates(LexicalQuery("Europol havens"), every_filter, 20)
    store.vector_candidates(np.vstack([vector, vector]), every_filter, 20)
    store.vector_scores(vector, [p.passage_id for p in first.document.passages[:5]])
    store.hybrid_search(LexicalQuery("Europol"), vector, every_filter, 10, fusion="minmax", weights=(1.0, 0.4))
    store.facets([p.passage_id for p in first.document.passages])
    store.obligations(ObligationQuery(actor="Europol", source_files=(first.document.source_file,),
                                      due_before="2026-01-01", modality="request"))
    store.replace_evidence([])
    store.evidence(["an-obligation"])
    store.stats()
    read_as_reader(store, samples, vector)
    for where in ("client", "server"):  # the Searcher over the store, as the application builds it
        searcher = Searcher.from_settings(test_settings.with_(opensearch_fusion=where), store, embedder)
        for query in QUERIES[:4]:
            searcher.search(query, k=5, mode="hybrid", sort="newest")
    curation = OpenSearchCurationStore(URL, index_prefix="spec", client=server.client())
    # a record written before the audit trail was chained: the first write chains it (a bulk update)
    server.client().index(index="spec-audit", body={"at": "2025-01-02T10:00:00+00:00", "seq": 1, "who": "anna",
                                                    "obligation_id": "an-obligation", "field": "status",
                                                    "old_value": None, "new_value": "done", "note": ""}, refresh=True)
    obligation_id = "an-obligation"
    curation.review_link(obligation_id, first.document.passages[0].passage_id, "confirmed", "tester", "checked")
    curation.set_status(obligation_id, "done", "tester")
    curation.set_status(obligation_id, None, "tester")
    curation.link_reviews()
    curation.status_overrides()
    curation.audit_trail(obligation_id)
    curation.record_ingest(first.document.source_file, None, first.document.content_hash, "tester")
    assert curation.verify_audit().ok
    store.delete_document(samples[1].document.source_file)
    store.drop()


def read_as_reader(store: OpenSearchStore, samples: list[Sample], vector) -> None:
    """Every read of a view for a reader without clearance (the LIMITE note hidden from it)."""
    reader = store.for_clearance(Clearance.parse("none"))
    note = samples[1].document
    ids = [p.passage_id for s in samples for p in s.document.passages[:3]]
    reader.list_documents()
    reader.get_document(note.source_file)
    reader.document_state(note.source_file)
    reader.get_passages(ids)
    reader.passage_vectors(ids)
    for filters in (SearchFilters(), SearchFilters(source_files=(note.source_file,))):
        reader.keyword_search(LexicalQuery("Europol havens"), filters, 10)
        reader.keyword_search(LexicalQuery("", match_all="newest"), filters, 10)
        reader.vector_search(vector, filters, 10)
        reader.hybrid_search(LexicalQuery("Europol havens"), vector, filters, 10, fusion="rrf")
    reader.facets(ids)
    reader.obligations(ObligationQuery())
    reader.evidence()
    reader.evidence([o.id for s in samples for o in s.obligations])
    reader.stats()


@pytest.fixture(scope="module")
def recording(samples, embedder, test_settings) -> Recording:
    server = FakeServer()
    exercise(server, samples, embedder, test_settings)
    return Recording(server.requests, server)


def _operation_group(spec: ApiSpec, request: Request) -> str:
    operation = spec.operation(request.method, request.path)
    return operation.operation_id.rsplit(".", 1)[0] if operation else f"{request.method} {request.path}"


def test_every_request_the_backend_sends_is_valid(spec, recording):
    problems: list[str] = []
    for request in recording.requests:
        problems.extend(f"{request.method} {request.path}: {p}" for p in spec.problems(
            request.method, request.path, request.params, request.body))
    assert not problems, "\n".join(problems[:20])


def test_the_scenario_reaches_every_kind_of_request(spec, recording):
    assert EXPECTED_OPERATIONS <= {_operation_group(spec, r) for r in recording.requests}
    searches = json.dumps([r.body for r in recording.requests if _operation_group(spec, r) == "search"])
    for clause in ('"hybrid"', '"knn"', '"highlight"', '"aggs"', '"match_phrase"', '"intervals"', '"prefix"',
                   '"must_not"', '"multi_match"', '"sort"', '"range"', '"terms"'):
        assert clause in searches, clause
    created = json.dumps([r.body for r in recording.requests if _operation_group(spec, r) == "indices.create"])
    for part in ('"knn_vector"', '"word_delimiter_graph"', '"pattern"', '"normalizer"', '"compound_parts"'):
        assert part in created, part
    pipelines = json.dumps([r.body for r in recording.requests if _operation_group(spec, r) == "search_pipeline.put"])
    assert "score-ranker-processor" in pipelines and "normalization-processor" in pipelines


def _first(recording: Recording, spec: ApiSpec, group: str, needle: str) -> Request:
    return next(r for r in recording.requests
                if _operation_group(spec, r) == group and needle in json.dumps(r.body))


@pytest.mark.parametrize(
    ("group", "needle", "old", "new", "path", "named"),
    [
        ("search", '"hybrid"', '"queries"', '"querys"', "$.query.hybrid", "querys"),
        ("search", '"knn"', '"k"', '"kk"', "$.query.nested.query.knn['sentences.embedding']", "kk"),
        ("search", '"intervals"', '"max_gaps"', '"max_gap"', ".intervals['text.exact'].match", "max_gap"),
        ("search", '"match_phrase"', '"match_phrase"', '"match_phrse"', "$.query.bool", "match_phrse"),
        ("search", '"aggs"', '"field"', '"feild"', "$.aggs.", "feild"),
        ("search", '"highlight"', '"pre_tags"', '"pre_tag"', "$.highlight", "pre_tag"),
        # a sort clause may also read as sort options, whose branch then names the field it cannot place
        ("search", '"sort"', '"missing"', '"mising"', "$.sort[0]", "doc_date"),
        ("indices.create", '"knn_vector"', '"space_type"', '"space_typ"',
         "$.mappings.properties.sentences.properties.embedding.method", "space_typ"),
        ("indices.create", '"word_delimiter_graph"', '"catenate_all"', '"catenate_al"',
         "$.settings.index.analysis.filter.conclusio_hyphenated", "catenate_al"),
        ("search_pipeline.put", '"normalization-processor"', '"normalization"', '"normalisation"',
         "$.phase_results_processors[0]['normalization-processor']", "normalisation"),
        ("indices.update_aliases", '"actions"', '"add"', '"ad"', "$.actions[", "'ad'"),
        ("bulk", '"_index"', '"index"', '"indx"', "$[0]", "indx"),
    ],
)
def test_breaking_a_field_name_fails_with_its_json_path(spec, recording, group, needle, old, new, path, named):
    request = _first(recording, spec, group, needle)
    recorded = copy.deepcopy(request.body)
    assert spec.problems(request.method, request.path, request.params, request.body) == []
    assert request.body == recorded  # validating never alters what was sent
    broken = json.loads(json.dumps(request.body).replace(old, new, 1))
    problems = spec.problems(request.method, request.path, request.params, broken)
    assert problems and isinstance(problems[0], Problem)
    assert path in problems[0].json_path and named in problems[0].message, problems[0]


def test_an_unknown_query_parameter_is_named(spec, recording):
    request = _first(recording, spec, "search", '"hybrid"')
    assert "search_pipeline" in request.params
    params = {**request.params, "search_pipelin": request.params["search_pipeline"]}
    assert any(p.json_path == "?search_pipelin" for p in spec.problems(request.method, request.path, params, request.body))


def test_a_body_for_an_operation_that_takes_none_is_refused(spec):
    assert spec.problems("HEAD", "/spec-documents", {}, {"query": {}})


def test_a_document_field_the_strict_mapping_lacks_is_refused_as_by_the_server(samples, embedder):
    server = FakeServer()
    store = OpenSearchStore(URL, index_prefix="strict", client=server.client())
    sample = samples[0]
    store.write_document(sample.document, sample.vectors, sample.obligations, embedder.name)
    physical = next(iter(server.aliases["strict-passages"]))
    mappings = server.indices[physical]["mappings"]
    source = passage_source(sample.document.passages[0], sample.vectors[0], sample.document.metadata, "v", (), False)
    assert set(source) <= set(mappings["properties"])  # every field the store writes is mapped
    with pytest.raises(RequestError, match="strict_dynamic_mapping_exception"):
        server.client().index(index="strict-passages", body={**source, "sentence_vectors": []})


def test_validated_bodies_in_brief(spec, recording):
    """What was validated, one line per operation and body shape (printed with -s for the record)."""
    shapes: dict[str, set[str]] = {}
    for request in recording.requests:
        body = request.body
        if isinstance(body, dict):
            shape = ",".join(sorted(body)) + (":" + ",".join(sorted(body["query"])) if isinstance(body.get("query"), dict) else "")
        elif isinstance(body, list):
            shape = "ndjson:" + ",".join(sorted({next(iter(line)) for line in body[::2] if isinstance(line, dict)}))
        else:
            shape = "(no body)"
        shapes.setdefault(_operation_group(spec, request), set()).add(shape)
    print()
    for group in sorted(shapes):
        print(f"{group}: {'; '.join(sorted(shapes[group]))}")
    assert len(recording.requests) > 100


def test_every_read_of_a_readers_view_carries_its_clearance(samples, embedder):
    """The LIMITE note's version, file and marking are kept out by a clause of each request a view sends."""
    server = FakeServer()
    store = OpenSearchStore(URL, index_prefix="reader", client=server.client())
    for sample in samples:
        store.write_document(sample.document, sample.vectors, sample.obligations, embedder.name)
    note = samples[1].document
    note_version = server.indices["reader-documents"]["docs"][note.source_file]["version"]
    obligations = [o for s in samples for o in s.obligations]
    passage = samples[0].document.passages[0]
    store.replace_evidence([EvidenceLink(obligation_id=obligations[0].id, passage_id=passage.passage_id,
                                         source_file=passage.source_file, paragraph=None, text=passage.text,
                                         status="mentioned", confidence=0.5)])
    start = len(server.requests)
    read_as_reader(store, samples, embedder.encode_queries(["Europol havens"])[0])
    reads = [r for r in server.requests[start:] if r.path.endswith(("/_search", "/_count")) and r.body]
    by_index = {name: [r for r in reads if r.path.startswith(f"/reader-{name}/")]
                for name in ("passages", "obligations", "evidence")}
    assert all(by_index.values()), {name: len(found) for name, found in by_index.items()}
    for request in by_index["passages"] + by_index["obligations"]:
        text = json.dumps(request.body)
        assert '"doc_version"' in text and note_version not in text, request.path
    for request in by_index["passages"]:
        assert '{"must_not": [{"terms": {"classification": ["LIMITE"]}}]}' in json.dumps(request.body), request.body
    for request in by_index["evidence"]:
        text = json.dumps(request.body)
        assert '"source_file"' in text and note.source_file not in text and '"obligation_id"' in text
    assert store.for_clearance(Clearance.parse("none")).get_document(note.source_file) is None
    assert [d.source_file for d in store.for_clearance(Clearance.parse("none")).list_documents()] == [
        s.document.source_file for s in samples if s.document is not note]
