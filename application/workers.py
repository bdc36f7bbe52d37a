"""Worker processes for the CPU-bound part of ingest: parsing files and reading their Dutch.

Each worker builds the one spaCy pipeline of its process once, in its initializer, and answers
tasks with typed records. Results come back in input order whatever the order they finish in, so
that an ingest with ``--jobs 4`` writes exactly what one with ``--jobs 1`` writes. A worker that
dies (a parser library crashing, the kernel killing it for memory) fails the one task it was running,
with a one-line reason; the pool is rebuilt and the other tasks go on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, TypeVar

from conclusio.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

# More processes than this gain nothing on a desktop: the main process embeds and writes meanwhile.
MAX_DEFAULT_JOBS = 8
# Tasks in flight per worker: enough to keep every worker busy, few enough that results waiting for
# their turn (parsed documents, obligations) stay a small part of memory.
_WINDOW_PER_WORKER = 4
WORKER_DIED = "the worker process reading it died (a crash in a parser library or out of memory)"


def default_jobs() -> int:
    """The number of cores this process may use, at most ``MAX_DEFAULT_JOBS``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_JOBS))


@dataclass(frozen=True)
class TaskFailure:
    """A task that could not be done: the one-line reason, for the file's result."""

    reason: str


# The pipeline of a worker process, built once by the initializer: a worker serves one ingest only.
_worker_nlp: Any = None


def _start_worker(settings: Settings) -> None:
    global _worker_nlp
    from nlp import build_pipeline

    _worker_nlp = build_pipeline(settings)


def _call_in_worker(task: Callable[[Any, T], R], item: T) -> R:
    return task(_worker_nlp, item)


class Workers:
    """``jobs`` worker processes, or the calling process itself when one job (or one task) is all there is.

    ``task(nlp, item)`` must be a module-level function (it is pickled by name) that returns a record or
    a ``TaskFailure``; ``pipeline`` gives the calling process's own pipeline for the in-process case.
    Use it in a ``with`` block: the processes stop at its end.
    """

    def __init__(self, settings: Settings, jobs: int, pipeline: Callable[[], Any]):
        self.settings = settings
        self.jobs = max(1, jobs)
        self.pipeline = pipeline
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *_: object) -> None:
        self._stop()

    def map(self, task: Callable[[Any, T], R], items: Iterable[T], *, needs_pipeline: bool = True
            ) -> Iterator[R | TaskFailure]:
        """``task`` over ``items``, results in input order, each as soon as it and those before it are done.

        In this process, a task that does not ``need_pipeline`` gets None for it (nothing is loaded for it).
        """
        items = list(items)
        if self.jobs == 1 or len(items) <= 1:
            if items:
                nlp = self.pipeline() if needs_pipeline else None
                yield from (task(nlp, item) for item in items)
            return
        in_flight: deque[tuple[int, Future]] = deque()
        submitted = 0
        window = self.jobs * _WINDOW_PER_WORKER
        while submitted < len(items) or in_flight:
            while submitted < len(items) and len(in_flight) < window:
                in_flight.append((submitted, self._submit(task, items[submitted])))
                submitted += 1
            index, future = in_flight.popleft()
            try:
                yield future.result()
                continue
            except BrokenProcessPool:
                pass
            # Some worker died and took every task in flight with it. Run this one alone in a fresh pool:
            # if it kills that one too, it is the culprit; either way the later ones are submitted again.
            self._stop()
            in_flight.clear()
            submitted = index + 1
            try:
                yield self._submit(task, items[index]).result()
            except BrokenProcessPool:
                log.debug("a worker died on task %d", index, exc_info=True)
                self._stop()
                yield TaskFailure(WORKER_DIED)

    def _submit(self, task: Callable[[Any, T], R], item: T) -> Future:
        if self._pool is None:
            # forkserver: workers start from a clean process that imported the pipeline's code and loaded its
            # tables once (application.worker_preload), never from this one (which may hold the embedding
            # model's threads, unsafe to fork).
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["application.worker_preload"])
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_start_worker,
                                             initargs=(self.settings,))
        return self._pool.submit(_call_in_worker, task, item)

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
