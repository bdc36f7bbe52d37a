"""The root of every error Conclusio reports to a person: one line that names the file, field or value and the reason.

Each stage derives its own errors from ``ConclusioError`` (``ingest.errors``, ``index.errors``,
``tracking.curation``); the CLI and the UI print them as one line, never as a traceback.
"""


class ConclusioError(Exception):
    """An expected failure caused by input or environment, not a bug; its message is for the user."""

    exit_code = 1


class SettingsError(ConclusioError):
    """A setting (an environment variable or a flag) has a value that cannot be used."""
