"""The curation store on a real SQLite file: reviews, overrides and an append-only audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.sqlite_curation import CurationError, SQLiteCurationStore
from index.store import CurationStore

OBLIGATION = "conclusions.txt#27#1"
OTHER = "roadmap.txt#Actie 4#2"


@pytest.fixture()
def curation(tmp_path: Path) -> SQLiteCurationStore:
    store = SQLiteCurationStore(tmp_path / "curation.sqlite3")
    yield store
    store.close()


def test_satisfies_the_protocol(curation: SQLiteCurationStore) -> None:
    assert isinstance(curation, CurationStore)


def test_status_override_set_changed_and_cleared_with_full_trail(curation: SQLiteCurationStore) -> None:
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


def test_link_reviews_are_keyed_by_obligation_and_passage(curation: SQLiteCurationStore) -> None:
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
    assert len(curation.audit_trail()) == 4


def test_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "curation.sqlite3"
    first = SQLiteCurationStore(path)
    first.set_status(OBLIGATION, "done", "anna")
    first.close()
    second = SQLiteCurationStore(path)
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
def test_refuses_unknown_values_and_anonymous_changes(curation: SQLiteCurationStore, call, message: str) -> None:
    with pytest.raises(CurationError, match=message):
        call(curation)
    assert curation.audit_trail() == []


def test_a_file_that_is_not_a_database_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "curation.sqlite3"
    path.write_text("not sqlite at all " * 100)
    with pytest.raises(CurationError, match="curation.sqlite3"):
        SQLiteCurationStore(path)
