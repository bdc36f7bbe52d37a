"""A process that loads the models once and forks an ingest per request: the crash test kills the forks.

Loading spaCy and the embedding model takes longer than ingesting the crash test's two small files, so
each ingest runs in a child forked from this process (``os.fork``): the child is a real process with
its own store connections and dies for real when it gets SIGKILL, and it starts in milliseconds. The
models are loaded but never run here: torch's thread pool must not exist before a fork.

Protocol (tab-separated lines on stdin): ``ingest STORE CORPUS EVENTS`` forks a child and prints its pid;
then ``kill`` (SIGKILL to that child now) or ``wait`` reaps it and prints its wait status. Only this
process signals its child, and only before reaping it, so the pid cannot have passed to another process.
The child writes "SECONDS EVENT" lines to EVENTS as it goes.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from application.services import Conclusio
from conclusio.settings import Settings


def main() -> None:
    import application.pipeline  # noqa: F401  (imported lazily by the services: here once, not in every child)

    loaded = Conclusio(Settings.from_env({}))
    nlp, embedder = loaded.pipeline, loaded.embedder
    print("ready", flush=True)
    for line in sys.stdin:
        command, store, corpus, events = line.rstrip("\n").split("\t")
        assert command == "ingest"
        pid = os.fork()
        if pid == 0:
            os._exit(_ingest(nlp, embedder, Path(store), Path(corpus), Path(events)))
        print(pid, flush=True)
        then = sys.stdin.readline().strip()
        if then == "kill":
            os.kill(pid, signal.SIGKILL)  # not reaped yet: still our child (or its zombie)
        _, status = os.waitpid(pid, 0)
        print(status, flush=True)


def _ingest(nlp, embedder, store: Path, corpus: Path, events: Path) -> int:
    started = time.monotonic()
    with events.open("w", encoding="utf-8") as log:

        def note(what: str) -> None:
            log.write(f"{time.monotonic() - started:.3f}\t{what}\n")
            log.flush()

        app = Conclusio(Settings.from_env({}, store_dir=store))
        app.__dict__["pipeline"], app.__dict__["embedder"] = nlp, embedder  # the parts loaded before the fork
        note("start")
        report = app.ingest([corpus], on_result=lambda result: note(f"{result.status}\t{Path(result.path).name}"))
        note("done")
    return report.exit_code


if __name__ == "__main__":
    main()
