"""One writer at a time per store: an advisory lock on a file in the store folder.

Two ingests into one store would both parse, embed and write every changed file, and both refresh
the evidence links. The second one waits for the first (``wait=True``) or stops at once with a
message that names the holder. The lock is ``flock`` on ``ingest.lock``: the kernel drops it when the
holder dies, so a killed ingest never leaves the store locked.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from index.errors import StoreAccessError, StoreBusyError

LOCK_FILE = "ingest.lock"


@contextmanager
def store_lock(
    directory: Path, *, wait: bool = False, on_wait: Callable[[str], None] | None = None, file_mode: int = 0o600
) -> Iterator[None]:
    """Hold the store's write lock; ``StoreBusyError`` when another process holds it and ``wait`` is False."""
    path = Path(directory) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, file_mode)
    except OSError as e:
        raise StoreAccessError(f"cannot lock the store at {directory} for writing ({e.strerror or e})") from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise StoreBusyError(
                    f"another ingest ({holder}) is writing the store at {directory}: wait for it to finish, "
                    "or run this command again with --wait"
                ) from None
            if on_wait is not None:
                on_wait(f"waiting for another ingest ({holder}) to finish writing the store at {directory}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}, since {datetime.now(UTC).isoformat(timespec='seconds')}\n".encode(), 0)
        except OSError as e:
            full = e.errno == errno.ENOSPC
            raise StoreAccessError(
                f"the disk holding the store at {directory} is full: free some space and run the command again"
                if full else f"cannot lock the store at {directory} for writing ({e.strerror or e})"
            ) from e
        yield
    finally:
        os.close(fd)  # closing releases the lock


def lock_held(directory: Path) -> bool:
    """Whether some process holds the store's write lock now (False when there is no lock file)."""
    try:
        fd = os.open(Path(directory) / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError as e:
        return e.errno in (errno.EWOULDBLOCK, errno.EAGAIN)
    finally:
        os.close(fd)
    return False


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "another process"
