"""Caring for a store: writing under its lock, checking it, backing it up, restoring and rebuilding it.

The embedded store is a folder: ``conclusio.sqlite3`` (documents, passages, vectors, obligations,
evidence, the run journal), ``curation.sqlite3`` (what analysts authored) and ``originals/`` (the
ingested files as they were). A backup copies all three with SQLite's online backup API (readers and
writers may go on meanwhile); a restore puts a backup in place and moves what it replaces aside; a
rebuild makes a new database from ``originals/`` when the old one is damaged.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from conclusio.errors import ConclusioError
from conclusio.settings import Settings
from index import open_store
from index.errors import StoreAccessError, StoreDamagedError, StoreNotFoundError
from index.lock import LOCK_FILE, lock_held, store_lock
from index.originals import ORIGINALS_DIR, OriginalFiles
from index.sqlite_store import DB_FILE, SQLiteStore
from index.store import Store
from tracking import CurationStore, open_curation
from tracking.curation import CURATION_FILE

if TYPE_CHECKING:
    from application.pipeline import IngestReport
    from application.services import CheckReport, Conclusio

SQLITE_ONLY = "works on the embedded (sqlite) store; for OpenSearch use the cluster's snapshots"


class MaintenanceError(ConclusioError):
    """A backup, restore or rebuild that cannot be done as asked."""


@contextmanager
def writing(settings: Settings, *, wait: bool = False) -> Iterator[tuple[Store, CurationStore]]:
    """The store and its curation opened for writing, under the store's lock; closed after."""
    import logging

    folder = settings.store_dir
    if folder.exists() and not folder.is_dir():
        raise StoreAccessError(f"the store path {folder} is a file, not a folder: give --store a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=settings.store_dir_mode)
    except OSError as e:
        raise StoreAccessError(f"cannot create the store folder {folder} ({e.strerror or e})") from e
    with store_lock(folder, wait=wait, on_wait=logging.getLogger(__name__).warning,
                    file_mode=settings.store_file_mode):
        store = open_store(settings, create=True)
        try:
            curation = open_curation(settings)
        except BaseException:
            store.close()
            raise
        try:
            yield store, curation
        finally:
            curation.close()
            store.close()


def check(settings: Settings) -> CheckReport:
    """What is damaged in the store and its curation, and what an interrupted ingest left; writes nothing."""
    from application.services import CheckReport

    problems: list[str] = []
    pending = []
    try:
        if settings.backend == "sqlite":  # an empty store is checked all the same
            store = SQLiteStore(settings.store_dir, create=True, read_only=True)
        else:
            store = open_store(settings, create=False, read_only=True)
    except StoreDamagedError as e:
        problems.append(f"database: {e}")
    if not problems:
        try:
            problems += store.check()
            pending = store.pending_runs()
        except StoreDamagedError as e:
            problems.append(f"database: {e}")
        finally:
            store.close()
    if settings.backend == "sqlite" and (settings.store_dir / CURATION_FILE).exists():
        try:
            curation = open_curation(settings, read_only=True)
        except ConclusioError as e:
            problems.append(f"curation: {e}")
        else:
            problems += curation.check()  # type: ignore[attr-defined]
            curation.close()
    location = str(settings.store_dir)
    return CheckReport(location, problems, pending, bool(pending) and not lock_held(settings.store_dir))


def backup(settings: Settings, destination: Path) -> Path:
    """Copy the store database, the curation file and the original files into a new folder ``destination``."""
    _sqlite_only(settings, "backup")
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise MaintenanceError(f"{destination} exists and is not an empty folder: back up into a new folder")
    store = SQLiteStore(settings.store_dir, create=False, read_only=True)
    try:
        try:
            destination.mkdir(parents=True, exist_ok=True, mode=settings.store_dir_mode)
        except OSError as e:
            raise MaintenanceError(f"cannot create {destination} ({e.strerror or e})") from e
        store.backup_to(destination / DB_FILE, settings.store_file_mode)
    finally:
        store.close()
    if (settings.store_dir / CURATION_FILE).exists():
        curation = open_curation(settings, read_only=True)
        try:
            curation.backup_to(destination / CURATION_FILE, settings.store_file_mode)  # type: ignore[attr-defined]
        finally:
            curation.close()
    OriginalFiles(settings.store_dir).copy_to(destination)
    return destination


def restore(settings: Settings, source: Path, *, wait: bool = False) -> Path:
    """Put the backup in ``source`` in place of the store; returns the folder the replaced files were moved to."""
    _sqlite_only(settings, "restore")
    if not (source / DB_FILE).is_file():
        raise MaintenanceError(f"{source} holds no {DB_FILE}: give the folder `conclusio backup` wrote")
    for name in (DB_FILE, CURATION_FILE):
        if (source / name).is_file():
            problems = _integrity(source / name)
            if problems:
                raise MaintenanceError(f"the backup {source / name} is damaged itself ({problems[0]}): not restored")
    folder = settings.store_dir
    folder.mkdir(parents=True, exist_ok=True, mode=settings.store_dir_mode)
    with store_lock(folder, wait=wait, file_mode=settings.store_file_mode):
        aside = _move_aside(folder, "replaced")
        for name in (DB_FILE, CURATION_FILE):
            if (source / name).is_file():
                _copy_database(source / name, folder / name, settings.store_file_mode)
        if (source / ORIGINALS_DIR).is_dir():
            shutil.copytree(source / ORIGINALS_DIR, folder / ORIGINALS_DIR, dirs_exist_ok=True)
    return aside


def rebuild(
    app: Conclusio, *, on_result: Callable[[Any], None] | None = None, wait: bool = False
) -> tuple[IngestReport, Path]:
    """A new store database from the original files kept in the store; the old one is moved aside (returned).

    Curation stays where it is: ids follow content, so the rebuilt units carry the ids it is keyed by.
    """
    from application.pipeline import ingest_paths

    settings = app.settings
    _sqlite_only(settings, "rebuild")
    folder = settings.store_dir
    originals = app.originals
    if not folder.is_dir():
        raise StoreNotFoundError(f"no store at {folder}")
    with store_lock(folder, wait=wait, file_mode=settings.store_file_mode):
        versions = _versions_to_rebuild(folder, originals)
        if not versions:
            raise MaintenanceError(
                f"no original files are kept in {folder / ORIGINALS_DIR}: ingest your files again with "
                f"conclusio ingest PATH --force --store {folder}"
            )
        aside = _move_aside(folder, "damaged", names=(DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm"))
        with tempfile.TemporaryDirectory(prefix="conclusio-rebuild-") as scratch:
            paths = []
            for name, kept in sorted(versions.items()):
                shutil.copyfile(kept, Path(scratch) / name)
                paths.append(Path(scratch) / name)
            store = open_store(settings, create=True)
            curation = open_curation(settings)
            try:
                report = ingest_paths(paths, settings=settings, store=store, embedder=lambda: app.embedder,
                                      pipeline=lambda: app.pipeline, on_result=on_result, force=True,
                                      curation=curation, originals=originals)
            finally:
                curation.close()
                store.close()
        return report, aside


def _versions_to_rebuild(folder: Path, originals: OriginalFiles) -> dict[str, Path]:
    """The kept file of each stored document's version; when the database cannot say, the newest kept files."""
    try:
        store = SQLiteStore(folder, create=False, read_only=True)
        try:
            wanted = {d.source_file: d.content_hash for d in store.list_documents()}
        finally:
            store.close()
    except (ConclusioError, sqlite3.Error):
        return originals.latest()
    found = {name: originals.path(name, digest) for name, digest in wanted.items()}
    latest = originals.latest()
    return {name: path or latest[name] for name, path in found.items() if path or name in latest}


def _move_aside(folder: Path, why: str, names: tuple[str, ...] | None = None) -> Path:
    """Move the store's database files (not its originals) into ``folder/{why}-{time}``; returns that folder."""
    names = names or (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", CURATION_FILE, f"{CURATION_FILE}-journal")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    aside = folder / f"{why}-{stamp}"
    aside.mkdir(mode=0o700, exist_ok=True)
    for name in names:
        if (folder / name).exists() and name != LOCK_FILE:
            (folder / name).rename(aside / name)
    return aside


def _copy_database(source: Path, target: Path, file_mode: int) -> None:
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode))
    reader = sqlite3.connect(_read_only_uri(source), uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _integrity(path: Path) -> list[str]:
    try:
        reader = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            rows = [r[0] for r in reader.execute("PRAGMA integrity_check").fetchall()]
        finally:
            reader.close()
    except sqlite3.DatabaseError as e:
        return [str(e)]
    return [r for r in rows if r != "ok"]


def _read_only_uri(path: Path) -> str:
    return f"file:{quote(str(path.resolve()))}?mode=ro"


def _sqlite_only(settings: Settings, what: str) -> None:
    if settings.backend != "sqlite":
        raise MaintenanceError(f"conclusio {what} {SQLITE_ONLY}")
