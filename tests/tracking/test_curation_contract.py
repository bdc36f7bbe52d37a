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


# ---- the audit trail's hash chain ------------------------------------------------------------


def _edit_by_hand(store: CurationStore, position: int, **changes: str) -> None:
    """Change the ``position``-th audit entry (from 1) behind the store's back, as someone with the files could."""
    if isinstance(store, SQLiteCurationStore):
        import sqlite3

        with sqlite3.connect(store.path) as db:  # the append-only triggers are in the way: a tamperer drops them
            db.execute("DROP TRIGGER audit_chained_never_changed")
            db.execute("DROP TRIGGER audit_never_deleted")
            seq = db.execute("SELECT seq FROM audit ORDER BY seq LIMIT 1 OFFSET ?", (position - 1,)).fetchone()[0]
            if changes:
                db.execute(f"UPDATE audit SET {', '.join(f'{k} = ?' for k in changes)} WHERE seq = ?",
                           (*changes.values(), seq))
            else:
                db.execute("DELETE FROM audit WHERE seq = ?", (seq,))
        return
    record_id, _ = store._chain()[position - 1]
    if changes:
        source = store._client.get(index=store._audit_index, id=record_id)["_source"]
        store._client.index(index=store._audit_index, id=record_id, body={**source, **changes}, refresh=True)
    else:
        store._client.delete(index=store._audit_index, id=record_id, refresh=True)


def _some_changes(curation: CurationStore) -> None:
    curation.set_status(OBLIGATION, "done", "anna", "report received")
    curation.review_link(OBLIGATION, "report.txt#76", "confirmed", "bram")
    curation.record_ingest("report.txt", None, "a" * 64, "carla")
    curation.set_status(OTHER, "overdue", "anna")


def test_an_untouched_audit_trail_verifies_with_its_head(curation) -> None:
    assert curation.verify_audit().ok and curation.verify_audit().entries == 0
    _some_changes(curation)
    checked = curation.verify_audit()
    assert checked.ok and (checked.entries, checked.chained) == (4, 4) and len(checked.head or "") == 64
    assert "intact: 4 entries" in checked.message
    ingest = [e for e in curation.audit_trail() if e.field == "ingest:report.txt"]
    assert [(e.who, e.new_value, e.note) for e in ingest] == [("carla", "a" * 64, "added")]


@pytest.mark.parametrize(
    ("changes", "named", "why"),
    [
        ({"who": "mallory"}, "entry 2 of 4", "does not match its hash"),
        ({"new_value": "rejected"}, "entry 2 of 4", "does not match its hash"),
        ({}, "entry 2 of 3", "does not follow the entry before it"),  # the second entry deleted: the third is named
    ],
)
def test_an_audit_trail_edited_by_hand_fails_at_the_first_broken_entry(opener, changes, named, why) -> None:
    curation = opener()
    _some_changes(curation)
    _edit_by_hand(curation, 2, **changes)
    checked = opener().verify_audit()
    assert not checked.ok and named in checked.message and why in checked.message, checked.message
    curation.close()


def test_sqlite_audit_rows_can_be_neither_deleted_nor_changed(tmp_path: Path) -> None:
    import sqlite3

    store = SQLiteCurationStore(tmp_path / CURATION_FILE)
    _some_changes(store)
    store.close()
    with sqlite3.connect(tmp_path / CURATION_FILE) as db:
        for statement in ("DELETE FROM audit", "UPDATE audit SET who = 'mallory'"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                db.execute(statement)


def test_sqlite_a_trail_written_before_chaining_is_chained_by_its_next_write(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / CURATION_FILE
    with sqlite3.connect(path) as db:  # the file as the last version wrote it: no chain columns
        db.executescript("""
            CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL,
                obligation_id TEXT NOT NULL, field TEXT NOT NULL, old_value TEXT, new_value TEXT,
                note TEXT NOT NULL DEFAULT '');
            INSERT INTO audit (at, who, obligation_id, field, new_value) VALUES
                ('2025-01-02T10:00:00+00:00', 'anna', 'x#1#a', 'status', 'done'),
                ('2025-01-03T10:00:00+00:00', 'bram', 'x#1#a', 'status', 'overdue');
        """)
    legacy = SQLiteCurationStore(path, read_only=True)
    before = legacy.verify_audit()
    assert not before.ok and before.chained == 0 and "written before it was chained" in before.message
    legacy.close()
    store = SQLiteCurationStore(path)
    store.set_status(OBLIGATION, "done", "carla")
    checked = store.verify_audit()
    assert checked.ok and checked.entries == 4
    trail = store.audit_trail()
    assert [e.who for e in trail] == ["anna", "bram", "carla", "carla"]
    assert trail[2].field == "audit:chained" and "2 earlier entries" in trail[2].note


def test_opensearch_two_writers_keep_one_chain(tmp_path: Path) -> None:
    """Two processes' stores over one server (the recording stand-in) append in turns: one chain, no fork."""
    from tests.index.opensearch_recorder import FakeServer
    from tracking.opensearch_curation import OpenSearchCurationStore

    server = FakeServer()
    first, second = (OpenSearchCurationStore("http://recorded.invalid:9200", index_prefix="chain",
                                             client=server.client()) for _ in range(2))
    for number in range(3):
        first.set_status(OBLIGATION, "done" if number % 2 else "overdue", "anna")
        second.review_link(OTHER, f"report.txt#{number}", "confirmed", "bram")
    checked = second.verify_audit()
    assert checked.ok and checked.entries == 6
    created = [r for r in server.requests if r.path.startswith("/chain-audit/_doc/after-")]
    assert len(created) == 6 and all(r.params.get("op_type") in ("create", b"create") for r in created)
    again = server.client().index(index="chain-audit", id=created[0].path.rsplit("/", 1)[-1], body={},
                                  op_type="create", ignore=[409])
    assert again["status"] == 409  # the first entry's place is taken: nobody appends after its head twice
