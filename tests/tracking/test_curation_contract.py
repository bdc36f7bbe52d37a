"""One contract for every curation store: reviews, overrides and an append-only audit trail.

The SQLite store runs always (a real file); the OpenSearch store runs against a live server when
``OPENSEARCH_URL`` is set, and is skipped otherwise.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from conclusio.settings import Settings
from tracking.curation import CURATION_FILE, CurationError, CurationStore, open_curation
from tracking.sqlite_curation import SQLiteCurationStore

OBLIGATION = "conclusions.txt#27#1"
OTHER = "roadmap.txt#Actie 4#2"
OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL")


def _sqlite(tmp_path: Path) -> Callable[[], CurationStore]:
    return lambda: SQLiteCurationStore(tmp_path / CURATION_FILE)


def _opensearch(prefix: str) -> Callable[[], CurationStore]:
    from tracking.opensearch_curation import OpenSearchCurationStore

    return lambda: OpenSearchCurationStore(OPENSEARCH_URL, index_prefix=prefix)


@pytest.fixture(params=["sqlite", pytest.param("opensearch", marks=pytest.mark.opensearch)])
def opener(request, tmp_path: Path):
    """Opens the backend's curation store; every call opens it anew over the same data."""
    if request.param == "sqlite":
        yield _sqlite(tmp_path)
        return
    if not OPENSEARCH_URL:
        pytest.skip("no OpenSearch server: set OPENSEARCH_URL to run these tests")
    prefix = f"conclusio-test-{uuid.uuid4().hex[:10]}"
    yield _opensearch(prefix)
    cleanup = _opensearch(prefix)()
    cleanup._client.indices.delete(index=f"{prefix}-curation,{prefix}-audit", ignore_unavailable=True)
    cleanup.close()


@pytest.fixture
def curation(opener):
    store = opener()
    yield store
    store.close()


def test_satisfies_the_protocol(curation) -> None:
    assert isinstance(curation, CurationStore)


def test_status_override_set_changed_and_cleared_with_full_trail(curation) -> None:
    curation.set_status(OBLIGATION, "done", "anna", "report received by mail")
    curation.set_status(OBLIGATION, "overdue", "bram")
    assert curation.status_overrides()[OBLIGATION].status == "overdue"
    assert curation.status_overrides()[OBLIGATION].who == "bram"
    curation.set_status(OBLIGATION, None, "anna", "back to computed")
    assert OBLIGATION not in curation.status_overrides()
    trail = curation.audit_trail(OBLIGATION)
    assert [(e.field, e.old_value, e.new_value, e.who) for e in trail] == [
        ("status", None, "done", "anna"),
        ("status", "done", "overdue", "bram"),
        ("status", "overdue", None, "anna"),
    ]
    assert trail[0].note == "report received by mail"
    assert all(e.at for e in trail)


def test_link_reviews_are_keyed_by_obligation_and_passage(curation) -> None:
    curation.review_link(OBLIGATION, "report.txt#76", "confirmed", "anna")
    curation.review_link(OBLIGATION, "report.txt#74", "rejected", "anna", "only a statistic")
    curation.review_link(OTHER, "report.txt#74", "confirmed", "bram")
    assert curation.link_reviews() == {
        (OBLIGATION, "report.txt#76"): "confirmed",
        (OBLIGATION, "report.txt#74"): "rejected",
        (OTHER, "report.txt#74"): "confirmed",
    }
    curation.review_link(OBLIGATION, "report.txt#74", None, "anna")
    assert (OBLIGATION, "report.txt#74") not in curation.link_reviews()
    fields = [(e.field, e.old_value, e.new_value) for e in curation.audit_trail(OBLIGATION)]
    assert fields[-1] == ("link:report.txt#74", "rejected", None)
    assert [e.obligation_id for e in curation.audit_trail()] == [OBLIGATION, OBLIGATION, OTHER, OBLIGATION]


def test_survives_reopening(opener) -> None:
    first = opener()
    first.set_status(OBLIGATION, "done", "anna")
    first.close()
    second = opener()
    assert second.status_overrides()[OBLIGATION].status == "done"
    assert len(second.audit_trail()) == 1
    second.close()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.set_status(OBLIGATION, "finished", "anna"), "finished"),
        (lambda c: c.review_link(OBLIGATION, "p#1", "maybe", "anna"), "maybe"),
        (lambda c: c.set_status(OBLIGATION, "done", " "), "author"),
    ],
)
def test_refuses_unknown_values_and_anonymous_changes(curation, call, message: str) -> None:
    with pytest.raises(CurationError, match=message):
        call(curation)
    assert curation.audit_trail() == []


# ---- what is particular to one backend ------------------------------------------------


def test_sqlite_curation_lives_beside_the_derived_store(tmp_path: Path) -> None:
    curation = open_curation(Settings(store_dir=tmp_path))
    curation.set_status("x.txt#1#1", "done", who="tester")
    assert curation.status_overrides()["x.txt#1#1"].status == "done"
    assert (tmp_path / CURATION_FILE).exists()
    curation.close()


def test_sqlite_a_file_that_is_not_a_database_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / CURATION_FILE
    path.write_text("not sqlite at all " * 100)
    with pytest.raises(CurationError, match=CURATION_FILE):
        SQLiteCurationStore(path)


def test_opensearch_curation_without_an_address_says_what_to_set() -> None:
    with pytest.raises(CurationError, match="OPENSEARCH_URL"):
        open_curation(Settings(backend="opensearch", opensearch_url=None))
