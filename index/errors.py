"""Errors raised by the index stage; messages name the offending value and say what to do."""

from conclusio.errors import EXIT_BUSY, EXIT_DAMAGED, ConclusioError


class IndexStageError(ConclusioError):
    """Base class for the errors of the index stage (stores, embeddings, search settings)."""


class StoreNotFoundError(IndexStageError):
    """The store directory or database does not exist or holds no documents."""


class ModelMismatchError(IndexStageError):
    """The store holds vectors of another embedding model than the one in use."""

    def __init__(self, stored: str, stored_dim: int, current: str, current_dim: int, store_location: str):
        self.stored, self.stored_dim, self.current, self.current_dim = stored, stored_dim, current, current_dim
        super().__init__(
            f"the store at {store_location} holds vectors of {stored} (dim {stored_dim}), "
            f"but the model in use is {current} (dim {current_dim}); vectors of two models cannot be mixed. "
            f"Re-embed everything with: conclusio reembed --store {store_location} "
            f"(or use CONCLUSIO_EMBED_MODEL={stored})"
        )


class EmbeddingModelError(IndexStageError):
    """No embedding model could be loaded."""


class EmbeddingModelNotFoundError(EmbeddingModelError):
    """The configured embedding model (CONCLUSIO_EMBED_MODEL / --model) exists nowhere on this machine."""


class SearchConfigError(IndexStageError, ValueError):
    """A search setting names something that does not exist (e.g. an unknown fusion method)."""


class StoreAccessError(IndexStageError):
    """The store cannot be used as asked: its path is a file, it cannot be written, or its disk is full."""


class StoreBusyError(IndexStageError):
    """Another ingest holds the store; this one would redo its work or race it."""

    exit_code = EXIT_BUSY


class StoreDamagedError(IndexStageError):
    """The store's database is malformed: it is read as far as it goes, never written to."""

    exit_code = EXIT_DAMAGED
