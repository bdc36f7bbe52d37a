"""The files as they were ingested, kept in the store folder so that the store can be rebuilt from them.

``originals/{sha256}/{file name}``: one folder per content hash, so that a new version of a file is
written beside the old one before the database points at it, and the old one is removed only after.
Whatever moment an ingest is killed at, the version the database names is on disk. The database
being damaged does not touch these files: ``conclusio rebuild`` reads them back.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from index.errors import StoreAccessError

ORIGINALS_DIR = "originals"


class OriginalFiles:
    """The original bytes of every ingested file, under ``{store}/originals``."""

    def __init__(self, store_dir: Path, *, file_mode: int = 0o600, dir_mode: int = 0o700):
        self.root = Path(store_dir) / ORIGINALS_DIR
        self.file_mode = file_mode
        self.dir_mode = dir_mode

    def keep(self, source_file: str, content_hash: str, data: bytes) -> Path:
        """Write one file's bytes (atomically, synced) unless that version is there already."""
        if hashlib.sha256(data).hexdigest() != content_hash:
            raise ValueError(f"{source_file}: the bytes to keep do not have the hash {content_hash}")
        folder = self.root / content_hash
        target = folder / source_file
        if target.is_file() and target.stat().st_size == len(data):
            return target
        try:
            self.root.mkdir(mode=self.dir_mode, parents=True, exist_ok=True)
            folder.mkdir(mode=self.dir_mode, exist_ok=True)
            partial = folder / f".{source_file}.partial"
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, self.file_mode)
            try:
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(partial, target)
        except OSError as e:
            raise StoreAccessError(f"cannot keep a copy of {source_file} in {self.root} ({e.strerror or e})") from e
        return target

    def prune(self, source_file: str, keep_hash: str | None) -> None:
        """Remove every kept version of a file but ``keep_hash`` (all of them for None)."""
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if folder.name == keep_hash or not (folder / source_file).exists():
                continue
            (folder / source_file).unlink(missing_ok=True)
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()

    def path(self, source_file: str, content_hash: str) -> Path | None:
        """The kept file of this version, or None."""
        target = self.root / content_hash / source_file
        return target if target.is_file() else None

    def latest(self) -> dict[str, Path]:
        """Every kept file name with its newest version."""
        found: dict[str, Path] = {}
        if not self.root.is_dir():
            return found
        for folder in self.root.iterdir():
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if path.name.startswith(".") and path.name.endswith(".partial"):
                    continue
                known = found.get(path.name)
                if known is None or path.stat().st_mtime > known.stat().st_mtime:
                    found[path.name] = path
        return found

    def copy_to(self, destination: Path) -> int:
        """Copy every kept file to ``destination/originals`` (a backup); returns the file count."""
        if not self.root.is_dir():
            return 0
        target = Path(destination) / ORIGINALS_DIR
        shutil.copytree(self.root, target, dirs_exist_ok=True,
                        ignore=lambda _folder, names: [n for n in names if n.endswith(".partial")])
        return sum(1 for p in target.rglob("*") if p.is_file())


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
