"""Errors raised by the ingest stage; each names the file and the reason."""

from pathlib import Path

from conclusio.errors import ConclusioError


class IngestError(ConclusioError):
    """A file could not be ingested; the batch goes on without it."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
