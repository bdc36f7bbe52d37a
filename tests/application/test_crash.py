"""kill -9 at any point of an ingest, then any command: the store ends as a clean ingest leaves it (issue 14).

A dozen seeded kill points over a real ingest of two small documents (Council conclusions and a later
progress report that reports on them, so that evidence links are at stake): half anywhere in the run,
half just after a document commits or while evidence is refreshed, where a crash used to lose the
evidence links for good. After each kill: the read commands work (and say an ingest was interrupted),
``conclusio check`` is clean, an ingest re-run completes, and documents, passages, obligations, evidence
and the kept original files equal those of an uninterrupted ingest.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from application.cli import main
from conclusio.records import to_dict
from conclusio.settings import REPO_ROOT
from index.originals import OriginalFiles
from index.sqlite_store import DB_FILE, SQLiteStore
from index.store import ObligationQuery

SEEDS = range(12)


def small_corpus(corpus_dir: Path, folder: Path) -> Path:
    """Conclusions 000 (its header and points 26-29, what it asks of Europol) and report 002 (its header and
    Actie 10, which reports on Europol's report on legal business structures: point 27)."""
    folder.mkdir()
    conclusions = next(corpus_dir.glob("000_*.txt"))
    text = conclusions.read_text(encoding="utf-8")
    (folder / conclusions.name).write_text(
        text[: text.index("Inleiding")] + text[text.index("verzoekt de Raad Europol:"):], encoding="utf-8")
    report = next(corpus_dir.glob("002_*.txt"))
    lines = report.read_text(encoding="utf-8").split("\n")
    (folder / report.name).write_text("\n".join(lines[:32] + lines[58:60] + lines[206:228]), encoding="utf-8")
    return folder


class Zygote:
    """The ingest process that forks (tests/application/ingest_zygote.py)."""

    def __init__(self, log: Path):
        env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), HF_HUB_OFFLINE="1")
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("ingest_zygote.py"))], cwd=REPO_ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
        )
        assert self.process.stdout.readline().strip() == "ready", log.read_text()

    def start(self, store: Path, corpus: Path, events: Path) -> int:
        """Fork an ingest; returns the child's pid."""
        self.process.stdin.write(f"ingest\t{store}\t{corpus}\t{events}\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def wait(self, *, kill: bool = False) -> int:
        """The wait status of the child, killed first (SIGKILL, by the zygote) when asked."""
        self.process.stdin.write("kill\n" if kill else "wait\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def run(self, store: Path, corpus: Path, events: Path) -> int:
        self.start(store, corpus, events)
        return self.wait()

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def events_of(path: Path) -> list[tuple[float, str]]:
    return [(float(seconds), what) for seconds, what in
            (line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines())]


def snapshot(store_dir: Path) -> dict:
    """Everything an ingest derives, without the times it was written at."""
    store = SQLiteStore(store_dir, read_only=True)
    try:
        listed = store.list_documents()
        evidence = []
        for link in store.evidence():
            data = to_dict(link)
            data["confidence"] = round(data["confidence"], 6)
            evidence.append(data)
        return {
            "documents": [(d.source_file, d.content_hash, to_dict(d.metadata), d.passages, d.obligations)
                          for d in listed],
            "texts": [to_dict(store.get_document(d.source_file)) for d in listed],
            "obligations": [to_dict(o) for o in store.obligations(ObligationQuery())],
            "evidence": evidence,
            "pending": store.pending_runs(),
            "problems": store.check(),
            "originals": {name: path.read_bytes() for name, path in OriginalFiles(store_dir).latest().items()},
        }
    finally:
        store.close()


def kill_point(seed: int, events: list[tuple[float, str]]) -> float:
    """Seconds after the start to kill at: anywhere, or near a commit or in the evidence refresh."""
    rng = random.Random(seed)
    end = events[-1][0]
    if seed % 2 == 0:
        return rng.uniform(0.0, end)
    marks = [seconds for seconds, what in events if what.startswith("ingested")]
    return min(end, max(0.0, rng.choice(marks) + rng.uniform(-0.05, 0.3)))


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    process = Zygote(tmp_path_factory.mktemp("zygote") / "stderr.log")
    yield process
    process.close()


@pytest.fixture(scope="module")
def reference(zygote, tmp_path_factory, corpus_dir):
    """An uninterrupted ingest of the small corpus, and the times of its steps."""
    folder = tmp_path_factory.mktemp("crash")
    corpus = small_corpus(corpus_dir, folder / "corpus")
    status = zygote.run(folder / "clean", corpus, folder / "clean.events")
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    clean = snapshot(folder / "clean")
    assert clean["evidence"], "the small corpus must have evidence links for the test to mean something"
    assert clean["pending"] == [] and clean["problems"] == []
    return corpus, clean, events_of(folder / "clean.events")


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_killed_ingest_is_completed_by_the_next_run_and_equals_a_clean_one(zygote, reference, tmp_path, capsys):
    corpus, clean, events = reference
    killed = 0
    for seed in SEEDS:
        delay = kill_point(seed, events)
        for attempt in range(3):
            # On a busy machine a run can end before its kill point: then try again, sooner, on a fresh store.
            store = tmp_path / f"seed{seed}-{attempt}"
            zygote.start(store, corpus, tmp_path / f"seed{seed}-{attempt}.events")
            time.sleep(delay)
            status = zygote.wait(kill=True)  # kill -9; a child that ended already is left as it is
            if os.WIFSIGNALED(status):
                break
            delay /= 3
        killed += os.WIFSIGNALED(status)
        if (store / DB_FILE).exists():
            # Any command afterwards: the read paths answer, and say what an interruption left.
            code, out, err = run_cli(capsys, "status", "--store", str(store))
            assert "Traceback" not in err and (code == 0 or "no documents" in err), (seed, err)
            code, out, err = run_cli(capsys, "check", "--store", str(store))
            assert code == 0 and "ok: no damage" in out, (seed, delay, out)
        status = zygote.run(store, corpus, tmp_path / f"seed{seed}.rerun")
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, (seed, status)
        assert snapshot(store) == clean, f"seed {seed}: killed after {delay:.2f} s, the re-run differs"
    assert killed >= len(SEEDS) // 2, f"only {killed} of {len(SEEDS)} runs were killed before they ended"

