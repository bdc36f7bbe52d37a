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
from tracking.curation import CURATION_FILE, CurationError, CurationStore, Move, open_curation
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


# ---- re-anchoring after a revised document is ingested ------------------------------------

MOVED = "conclusions.txt#28#5a46c1"  # point 27 renumbered to 28 by a paragraph inserted above it
REPORT_OLD, REPORT_NEW = "report.txt#Actie 4:aa11bb", "report.txt#Actie 4:cc22dd"  # a reworded report passage


def _moves() -> list[Move]:
    return [
        Move("obligation", OBLIGATION, MOVED, "same text under label 28 in the new version of conclusions.txt"),
        Move("obligation", OTHER, None, "no unit of the new version of roadmap.txt matches it"),
        Move("passage", REPORT_OLD, REPORT_NEW, "similar text (0.93) in the new version of report.txt"),
    ]


def test_reanchor_moves_statuses_and_reviews_to_the_new_ids_with_an_audit_entry(curation) -> None:
    curation.set_status(OBLIGATION, "done", "anna", "report received by mail")
    curation.review_link(OBLIGATION, REPORT_OLD, "confirmed", "anna")
    curation.review_link(OBLIGATION, "report.txt#Actie 5:ee33ff", "rejected", "bram")
    changes = curation.reanchor(_moves())
    assert {(c.outcome, c.item, c.old_key, c.new_key) for c in changes} == {
        ("moved", "status", OBLIGATION, MOVED),
        ("moved", "link", f"{OBLIGATION} <- {REPORT_OLD}", f"{MOVED} <- {REPORT_NEW}"),
        ("moved", "link", f"{OBLIGATION} <- report.txt#Actie 5:ee33ff", f"{MOVED} <- report.txt#Actie 5:ee33ff"),
    }
    override = curation.status_overrides()[MOVED]
    assert (override.status, override.who, override.note) == ("done", "anna", "report received by mail")
    assert OBLIGATION not in curation.status_overrides()
    assert curation.link_reviews() == {(MOVED, REPORT_NEW): "confirmed", (MOVED, "report.txt#Actie 5:ee33ff"): "rejected"}
    # The moved obligation's trail keeps what was recorded under its former id, then says where it went.
    trail = curation.audit_trail(MOVED)
    assert [e.field for e in trail] == ["status", f"link:{REPORT_OLD}", "link:report.txt#Actie 5:ee33ff",
                                        "moved:status", f"moved:link:{REPORT_NEW}", "moved:link:report.txt#Actie 5:ee33ff"]
    assert trail[3].old_value == OBLIGATION and trail[3].new_value == MOVED and "label 28" in trail[3].note


def test_reanchor_keeps_an_orphan_where_it_was_and_says_so_once(curation) -> None:
    curation.set_status(OTHER, "overdue", "bram")
    first = curation.reanchor(_moves())
    assert [(c.outcome, c.obligation_id, c.new_key) for c in first] == [("orphaned", OTHER, None)]
    assert curation.status_overrides()[OTHER].status == "overdue"  # kept, under the id it had
    again = curation.reanchor(_moves())  # an interrupted ingest completed later does it again
    assert [(c.outcome, c.obligation_id) for c in again] == [("orphaned", OTHER)]
    orphaned = [e for e in curation.audit_trail(OTHER) if e.field.startswith("orphaned")]
    assert len(orphaned) == 1 and "roadmap.txt" in orphaned[0].note


def test_reanchor_never_overwrites_what_is_curated_on_the_new_id(curation) -> None:
    curation.set_status(OBLIGATION, "done", "anna")
    curation.set_status(MOVED, "overdue", "bram")
    changes = curation.reanchor(_moves()[:1])
    assert [(c.outcome, c.obligation_id) for c in changes] == [("orphaned", OBLIGATION)]
    assert {k: v.status for k, v in curation.status_overrides().items()} == {OBLIGATION: "done", MOVED: "overdue"}


def test_reanchor_twice_moves_once(curation) -> None:
    curation.set_status(OBLIGATION, "done", "anna")
    curation.reanchor(_moves())
    assert curation.reanchor(_moves()) == []
    assert list(curation.status_overrides()) == [MOVED]
    assert sum(e.field.startswith("moved") for e in curation.audit_trail()) == 1


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


def test_sqlite_curation_read_only_writes_nothing_and_reads_a_missing_file_as_empty(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path)
    empty = open_curation(settings, read_only=True)
    assert empty.status_overrides() == {} and empty.audit_trail() == []
    empty.close()
    assert not (tmp_path / CURATION_FILE).exists()
    writer = open_curation(settings)
    writer.set_status("x.txt#1#aa11bb", "done", who="tester")
    writer.close()
    reader = open_curation(settings, read_only=True)
    assert reader.status_overrides()["x.txt#1#aa11bb"].status == "done"
    with pytest.raises(CurationError, match="read-only"):
        reader.set_status("x.txt#1#aa11bb", None, who="tester")
    reader.close()


def test_sqlite_curation_file_is_private(tmp_path: Path) -> None:
    curation = open_curation(Settings(store_dir=tmp_path))
    curation.close()
    assert (tmp_path / CURATION_FILE).stat().st_mode & 0o777 == 0o600
    shared = open_curation(Settings(store_dir=tmp_path / "shared", store_permissions="group"))
    shared.close()
    assert (tmp_path / "shared" / CURATION_FILE).stat().st_mode & 0o777 == 0o640
