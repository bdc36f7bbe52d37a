"""The root of every error Conclusio reports to a person: one line that names the file, field or value and the reason.

Each stage derives its own errors from ``ConclusioError`` (``ingest.errors``, ``index.errors``,
``tracking.curation``); the CLI and the UI print them as one line, never as a traceback.

Exit codes of the command line (docs/cli.md lists them too):
0 success; 1 a usage, input or environment error; 2 some files failed to ingest (the others were
ingested); 3 the store is busy (another ingest holds it); 4 the store is damaged (``conclusio check``
names what, ``conclusio rebuild`` repairs it); 5 refused: the user is unknown or their role may not do
this (the users file, ``CONCLUSIO_USERS``); 70 an internal error (a bug: ``--verbose`` shows the
traceback for a report); 130 interrupted.
"""

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_PARTIAL = 2
EXIT_BUSY = 3
EXIT_DAMAGED = 4
EXIT_DENIED = 5
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130


class ConclusioError(Exception):
    """An expected failure caused by input or environment, not a bug; its message is for the user."""

    exit_code = EXIT_ERROR


class SettingsError(ConclusioError):
    """A setting (an environment variable or a flag) has a value that cannot be used."""


class AccessDenied(ConclusioError):
    """The user is not in the users file, or their role may not do what was asked; nothing was done."""

    exit_code = EXIT_DENIED
