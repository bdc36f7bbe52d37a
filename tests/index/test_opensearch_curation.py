"""Curation in OpenSearch: the same rules as the SQLite curation store, against a live server."""

from __future__ import annotations

import os
import uuid

import pytest

from index.opensearch_curation import OpenSearchCurationStore
from index.sqlite_curation import CurationError
from index.store import CurationStore

OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL")
pytestmark = [
    pytest.mark.opensearch,
    pytest.mark.skipif(not OPENSEARCH_URL, reason="no OpenSearch server: set OPENSEARCH_URL to run these tests"),
]


@pytest.fixture
def curation():
    prefix = f"conclusio-test-{uuid.uuid4().hex[:10]}"
    store = OpenSearchCurationStore(OPENSEARCH_URL, index_prefix=prefix)
    yield store
    store._client.indices.delete(index=f"{prefix}-curation,{prefix}-audit", ignore_unavailable=True)
    store.close()


def test_satisfies_the_protocol(curation):
    assert isinstance(curation, CurationStore)


def test_link_reviews_are_set_changed_cleared_and_audited(curation):
    curation.review_link("000.txt#19#1", "002.txt#40", "confirmed", "analist", "klopt")
    curation.review_link("000.txt#19#1", "002.txt#40", "rejected", "jurist")
    assert curation.link_reviews() == {("000.txt#19#1", "002.txt#40"): "rejected"}
    curation.review_link("000.txt#19#1", "002.txt#40", None, "analist")
    assert curation.link_reviews() == {}
    trail = curation.audit_trail("000.txt#19#1")
    assert [(e.who, e.field, e.old_value, e.new_value) for e in trail] == [
        ("analist", "link:002.txt#40", None, "confirmed"),
        ("jurist", "link:002.txt#40", "confirmed", "rejected"),
        ("analist", "link:002.txt#40", "rejected", None),
    ]
    assert trail[0].note == "klopt"


def test_status_overrides_and_the_audit_trail_across_obligations(curation):
    curation.set_status("001.txt#Actie 4#1", "done", "analist", "zie voortgangsverslag")
    curation.set_status("004.txt#7#1", "overdue", "analist")
    curation.set_status("004.txt#7#1", None, "jurist")
    overrides = curation.status_overrides()
    assert set(overrides) == {"001.txt#Actie 4#1"}
    assert (overrides["001.txt#Actie 4#1"].status, overrides["001.txt#Actie 4#1"].who) == ("done", "analist")
    assert [e.obligation_id for e in curation.audit_trail()] == ["001.txt#Actie 4#1", "004.txt#7#1", "004.txt#7#1"]


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c.review_link("o", "p", "maybe", "analist"),
        lambda c: c.set_status("o", "finished", "analist"),
        lambda c: c.set_status("o", "done", "  "),
    ],
)
def test_bad_changes_are_refused_and_leave_no_trace(curation, change):
    with pytest.raises(CurationError):
        change(curation)
    assert curation.audit_trail() == []
