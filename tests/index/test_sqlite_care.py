"""What only the embedded store promises about its files: read-only opening, damage, backups, permissions, locks."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from index.errors import StoreAccessError, StoreBusyError, StoreDamagedError, StoreNotFoundError
from index.lock import lock_held, store_lock
from index.originals import OriginalFiles
from index.sqlite_store import DB_FILE, SQLiteStore
from index.store import LexicalQuery, SearchFilters
from tests.index.test_store_contract import CONCLUSIONS_TEXT, parse, prepare, small_text, write


@pytest.fixture(scope="module")
def sample(tmp_path_factory, test_settings, embedder, nlp_pipeline):
    path = small_text(tmp_path_factory.mktemp("care"), "conclusies.txt", CONCLUSIONS_TEXT)
    return prepare(parse(path, test_settings), embedder, nlp_pipeline)


@pytest.fixture
def filled_dir(tmp_path, sample, embedder) -> Path:
    store = SQLiteStore(tmp_path / "store")
    write(store, sample, embedder.name)
    store.close()
    return tmp_path / "store"


def damage(path: Path, at_fraction: float = 0.5, length: int = 4096) -> None:
    """Overwrite a stretch in the middle of a file with bytes no SQLite page holds."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(int(size * at_fraction) // 4096 * 4096)
        handle.write(b"\xa5" * length)


def test_read_only_opening_reads_and_refuses_to_write(filled_dir, sample, embedder):
    store = SQLiteStore(filled_dir, create=False, read_only=True)
    assert store.keyword_search(LexicalQuery("jeugdcriminaliteit"), SearchFilters(), 3)
    with pytest.raises(StoreAccessError, match="read-only"):
        write(store, sample, embedder.name)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store._db.execute("DELETE FROM documents")  # the connection itself is mode=ro, not only our methods
    store.close()


def test_read_only_opening_of_a_missing_store_creates_nothing(tmp_path):
    with pytest.raises(StoreNotFoundError, match="conclusio ingest"):
        SQLiteStore(tmp_path / "none", read_only=True)
    assert not (tmp_path / "none").exists()


def test_a_store_path_that_is_a_file_is_named(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    for read_only in (False, True):
        with pytest.raises(StoreAccessError, match="is a file, not a folder"):
            SQLiteStore(tmp_path / "file", read_only=read_only)


def test_store_files_are_private_or_group_readable(tmp_path, sample, embedder):
    store = SQLiteStore(tmp_path / "private")
    write(store, sample, embedder.name)
    assert (tmp_path / "private" / DB_FILE).stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "private" / f"{DB_FILE}-wal").stat().st_mode & 0o777 == 0o600  # SQLite copies the mode
    store.close()
    assert (tmp_path / "private").stat().st_mode & 0o777 == 0o700
    shared = SQLiteStore(tmp_path / "shared", file_mode=0o640)
    shared.close()
    assert (tmp_path / "shared" / DB_FILE).stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "shared").stat().st_mode & 0o777 == 0o750


def test_check_finds_a_damaged_page_and_writing_is_refused(filled_dir, sample, embedder):
    damage(filled_dir / DB_FILE)
    try:
        reader = SQLiteStore(filled_dir, read_only=True)
    except StoreDamagedError:
        pass  # damage where SQLite looks first is found on opening
    else:
        problems = reader.check()
        reader.close()
        assert problems and all(p.startswith(("database:", "keyword index")) for p in problems)
    with pytest.raises(StoreDamagedError, match=f"conclusio rebuild --store {filled_dir}") as refused:
        SQLiteStore(filled_dir)
    assert "\n" not in str(refused.value)


def test_a_file_that_is_no_database_is_named_damaged(tmp_path):
    (tmp_path / DB_FILE).write_bytes(b"these are not the pages you are looking for " * 200)
    for read_only in (True, False):
        with pytest.raises(StoreDamagedError, match="not a database"):
            SQLiteStore(tmp_path, read_only=read_only)


def test_check_finds_a_keyword_index_out_of_step(filled_dir):
    db = sqlite3.connect(filled_dir / DB_FILE)
    db.execute("DELETE FROM passages_fts WHERE rowid = (SELECT min(rowid) FROM passages)")
    db.commit()
    db.close()
    store = SQLiteStore(filled_dir, read_only=True)
    problems = store.check()
    store.close()
    assert any(p.startswith("keyword index") for p in problems)


def test_backup_is_a_consistent_private_copy(filled_dir, tmp_path, sample):
    store = SQLiteStore(filled_dir, read_only=True)
    store.backup_to(tmp_path / "copy.sqlite3")
    with pytest.raises(StoreAccessError, match="exists already"):
        store.backup_to(tmp_path / "copy.sqlite3")
    store.close()
    assert (tmp_path / "copy.sqlite3").stat().st_mode & 0o777 == 0o600
    copy_dir = tmp_path / "restored"
    copy_dir.mkdir()
    (tmp_path / "copy.sqlite3").rename(copy_dir / DB_FILE)
    copy = SQLiteStore(copy_dir, read_only=True)
    assert copy.check() == [] and copy.get_document(sample.document.source_file) == sample.document
    copy.close()


def test_a_store_of_the_first_format_is_refused_with_what_to_do(tmp_path, filled_dir):
    """Format 2 changed the keyword index's columns: a format-1 store cannot be read or upgraded in place."""
    db = sqlite3.connect(filled_dir / DB_FILE)
    db.executescript("DROP TABLE journal; DROP TABLE runs; UPDATE meta SET value = '1' WHERE key = 'schema_version';")
    db.close()
    for read_only in (True, False):
        with pytest.raises(StoreNotFoundError, match="schema version 1.*new --store"):
            SQLiteStore(filled_dir, read_only=read_only)


def test_one_writer_at_a_time(tmp_path):
    with store_lock(tmp_path):
        assert lock_held(tmp_path)
        with pytest.raises(StoreBusyError, match="--wait") as busy:
            with store_lock(tmp_path):
                pass
        assert f"pid {os.getpid()}" in str(busy.value)
    assert not lock_held(tmp_path)


def test_a_waiting_writer_goes_on_when_the_first_is_done(tmp_path):
    order, waited = [], []

    def first():
        with store_lock(tmp_path):
            order.append("first in")
            time.sleep(0.5)
            order.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    while not order:
        time.sleep(0.01)
    with store_lock(tmp_path, wait=True, on_wait=waited.append):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"] and "waiting" in waited[0]


def test_originals_keep_one_version_per_file_and_survive_a_damaged_database(tmp_path):
    import hashlib

    kept = OriginalFiles(tmp_path)
    one, two = b"eerste versie", b"tweede versie"
    kept.keep("a.txt", hashlib.sha256(one).hexdigest(), one)
    kept.keep("a.txt", hashlib.sha256(two).hexdigest(), two)
    assert len(list((tmp_path / "originals").glob("*/a.txt"))) == 2  # the new one beside the old until it commits
    kept.prune("a.txt", keep_hash=hashlib.sha256(two).hexdigest())
    assert kept.latest()["a.txt"].read_bytes() == two
    assert [p.read_bytes() for p in (tmp_path / "originals").glob("*/a.txt")] == [two]
    assert kept.latest()["a.txt"].stat().st_mode & 0o777 == 0o600
    with pytest.raises(ValueError, match="hash"):
        kept.keep("b.txt", "0" * 64, b"anders")
