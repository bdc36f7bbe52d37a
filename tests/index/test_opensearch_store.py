"""The OpenSearch store: the shared contract against a live server, plus what only this backend promises.

The live tests run where ``OPENSEARCH_URL`` points at a server (``docker compose up -d opensearch``,
then ``OPENSEARCH_URL=http://localhost:9200``); each test works in indices of its own prefix,
deleted afterwards. The connection-failure tests run everywhere.
"""

from __future__ import annotations

import os
import uuid

import pytest
from opensearchpy import helpers

from conclusio.settings import Settings
from index import open_store
from index.errors import StoreNotFoundError
from index.opensearch_store import OpenSearchStore, passage_source
from index.store import LexicalQuery, SearchFilters, Store
from tests.index.test_store_contract import StoreContract, write

OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL")
needs_server = [
    pytest.mark.opensearch,
    pytest.mark.skipif(not OPENSEARCH_URL, reason="no OpenSearch server: set OPENSEARCH_URL to run these tests"),
]
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens there


def fresh_store() -> OpenSearchStore:
    return OpenSearchStore(OPENSEARCH_URL, index_prefix=f"conclusio-test-{uuid.uuid4().hex[:10]}")


@pytest.mark.parametrize("backend_url", [UNREACHABLE])
def test_an_unreachable_server_is_reported_with_its_address(backend_url):
    with pytest.raises(StoreNotFoundError, match="127.0.0.1:9"):
        OpenSearchStore(backend_url)
    with pytest.raises(StoreNotFoundError, match="127.0.0.1:9"):
        open_store(Settings(backend="opensearch", opensearch_url=backend_url))


def test_open_store_without_an_address_says_what_to_set():
    with pytest.raises(StoreNotFoundError, match="OPENSEARCH_URL"):
        open_store(Settings(backend="opensearch", opensearch_url=None))


class TestOpenSearchStore(StoreContract):
    pytestmark = needs_server

    @pytest.fixture
    def store(self):
        store = fresh_store()
        yield store
        store.drop()
        store.close()

    def test_satisfies_the_protocol(self, store):
        assert isinstance(store, Store)

    def test_open_store_builds_it_from_settings(self):
        prefix = f"conclusio-test-{uuid.uuid4().hex[:10]}"
        settings = Settings(backend="opensearch", opensearch_url=OPENSEARCH_URL, opensearch_index_prefix=prefix)
        with pytest.raises(StoreNotFoundError, match=prefix):
            open_store(settings, create=False)
        store = open_store(settings)
        try:
            assert isinstance(store, OpenSearchStore) and store.stats().documents == 0
        finally:
            store.drop()

    def test_a_write_that_never_switched_stays_invisible_and_is_cleaned_up(self, store, versions, embedder):
        old, new = versions
        write(store, old, embedder.name)
        # Step 1 of a replace that crashed before the switch: the new version's passages are in the index.
        orphan_version = "crashed-write"
        actions = [
            {
                "_index": store._names.passages,
                "_id": f"{orphan_version}|{passage.passage_id}",
                "_source": passage_source(passage, vector, new.document.metadata, orphan_version, (), False),
            }
            for passage, vector in zip(new.document.passages, new.vectors, strict=True)
        ]
        helpers.bulk(store._client, actions, refresh=True)
        assert store.keyword_search(LexicalQuery("drones luchthavens"), SearchFilters(), 10) == []
        assert store.get_document(old.document.source_file).passages == old.document.passages
        assert store.stats().passages == len(old.document.passages)
        write(store, new, embedder.name)
        left = store._client.count(index=store._names.passages, body={"query": {"match_all": {}}})["count"]
        assert left == len(new.document.passages)

    def test_highlights_are_the_surface_words_a_stem_matched(self, store, versions, embedder):
        write(store, versions[0], embedder.name)
        hits = store.keyword_search(LexicalQuery("containerscanner"), SearchFilters(), 5)
        assert hits and "containerscanners" in [h.lower() for h in hits[0].highlights]

    def test_location_names_the_server_and_prefix(self, store):
        assert store._names.prefix in store.stats().location


def test_refused_credentials_are_a_one_line_error_naming_the_settings():
    from tests.index.opensearch_recorder import FakeServer

    class Refusing(FakeServer):
        def _route(self, method, parts, params, body):
            return 401, {"error": {"type": "security_exception", "reason": "missing authentication credentials"},
                         "status": 401}

    with pytest.raises(StoreNotFoundError, match="refused the credentials.*OPENSEARCH_USER and OPENSEARCH_PASSWORD"):
        OpenSearchStore("https://user:secret@search.example:9200", client=Refusing().client())
    with pytest.raises(StoreNotFoundError) as raised:
        OpenSearchStore("https://user:secret@search.example:9200", client=Refusing().client())
    assert "secret" not in str(raised.value)
