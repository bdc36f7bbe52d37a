"""Every broken environment of issue 14 gives a one-line error or the degraded result, never a traceback.

The CLI runs for real: in-process (``main(argv)``) where that suffices, as a subprocess where the
environment must be real (a read-only medium, a full disk). Read-only media and full disks are made
with a read-only bind mount and a small tmpfs in a private mount namespace (``unshare -m``), or, for a
user that is not root, with file permissions; where neither is possible the test says why it skips.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from application.cli import main
from application.pipeline import ingest_paths
from conclusio.settings import REPO_ROOT
from index import open_store
from index.lock import store_lock
from index.originals import OriginalFiles
from index.sqlite_store import DB_FILE
from index.store import ObligationQuery
from tests.index.test_sqlite_care import damage
from tracking import open_curation

ESC = "\x1b"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


def ingest_into(store_dir: Path, settings, paths, embedder, nlp_pipeline):
    """What `conclusio ingest` does, with the session's models: curation follows, originals are kept."""
    settings = settings.with_(store_dir=store_dir)
    store, curation = open_store(settings), open_curation(settings)
    try:
        return ingest_paths(paths, settings=settings, store=store, embedder=lambda: embedder,
                            pipeline=lambda: nlp_pipeline, curation=curation, originals=OriginalFiles(store_dir))
    finally:
        curation.close()
        store.close()


@pytest.fixture(scope="module")
def small_store(tmp_path_factory, test_settings, corpus_dir, embedder, nlp_pipeline) -> Path:
    """Two corpus documents (000, 003) ingested as the CLI would; copy it before changing it."""
    folder = tmp_path_factory.mktemp("small") / "store"
    files = [next(corpus_dir.glob("000_*.txt")), next(corpus_dir.glob("003_*.txt"))]
    report = ingest_into(folder, test_settings, files, embedder, nlp_pipeline)
    assert report.exit_code == 0 and report.evidence_refreshed
    return folder


@pytest.fixture
def store_copy(small_store, tmp_path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(small_store, target)
    return target


# Several commands in one process of its own (one start-up, one model load), each as `conclusio ...` runs it.
SESSION = """
import io, json, sys
from contextlib import redirect_stderr, redirect_stdout
from application.cli import main
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    out.flush()
    results.append([code, out.buffer.getvalue().decode("utf-8"), err.getvalue()])
sys.__stdout__.write(json.dumps(results))
"""


def cli_session(commands: list[list[str]], prefix: list[str] | None = None) -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) of each command, run one after the other in a new process."""
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), HF_HUB_OFFLINE="1")
    done = subprocess.run([*(prefix or []), sys.executable, "-c", SESSION, json.dumps(commands)], cwd=REPO_ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [tuple(result) for result in json.loads(done.stdout)]


# ---- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [("CONCLUSIO_MAX_FILE_MB", "abc", "CONCLUSIO_MAX_FILE_MB='abc'"),
     ("CONCLUSIO_MAX_FILE_MB", "-3", "above 0"),
     ("CONCLUSIO_BACKEND", "bogus", "CONCLUSIO_BACKEND='bogus'"),
     ("CONCLUSIO_STORE_PERMISSIONS", "world", "CONCLUSIO_STORE_PERMISSIONS='world'")],
)
@pytest.mark.parametrize("argv", [("status",), ("search", "europol"), ("ingest", "corpora"), ("audit",),
                                  ("obligations",), ("check",), ("ui",)])
def test_an_unusable_setting_is_one_line_naming_it(capsys, monkeypatch, tmp_path, variable, value, named, argv):
    monkeypatch.setenv(variable, value)
    code, out, err = run(capsys, *argv, "--store", str(tmp_path / "s"))
    assert code == 1 and out == ""
    assert named in one_line_error(err)
    assert not (tmp_path / "s").exists()


# ---- the store path, output files, batch files --------------------------------------------------


@pytest.mark.parametrize("argv", [("ingest", "corpora"), ("search", "europol"), ("status",), ("documents",),
                                  ("audit",), ("check",), ("obligations",), ("set-status", "x", "done"),
                                  ("backup", "elsewhere"), ("rebuild",)])
def test_a_store_path_that_is_a_file_is_one_line(capsys, tmp_path, argv):
    path = tmp_path / "conclusio-data"
    path.write_text("I am a file")
    code, out, err = run(capsys, *argv, "--store", str(path))
    assert code == 1 and out == ""
    assert "is a file, not a folder" in one_line_error(err) or "no store at" in err
    assert path.read_text() == "I am a file"


def test_verbose_shows_the_traceback_above_the_one_line(capsys, tmp_path):
    path = tmp_path / "conclusio-data"
    path.write_text("I am a file")
    code, _, err = run(capsys, "status", "--store", str(path), "--verbose")
    assert code == 1 and "Traceback (most recent call last)" in err
    assert err.strip().splitlines()[-1].startswith("error: ")


def test_output_into_a_missing_folder_is_one_line(capsys, small_store, tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "out.csv"
    code, out, err = run(capsys, "obligations", "--format", "csv", "--output", str(target), "--store", str(small_store))
    assert code == 1 and out == ""
    assert f"the folder {target.parent} does not exist" in one_line_error(err)


def test_a_batch_file_that_is_not_utf8_is_one_line(capsys, small_store, tmp_path):
    batch = tmp_path / "queries.txt"
    batch.write_bytes("drugshandel\nmensenhandel \xe9n smokkel\n".encode("latin-1"))
    for command in ("search", "similar"):
        code, out, err = run(capsys, command, "--batch", str(batch), "--store", str(small_store))
        assert code == 1 and out == ""
        assert f"{batch} is not UTF-8 text: byte 0xe9 on line 2" in one_line_error(err)


# ---- damaged stores: check, refuse, rebuild, backup and restore -----------------------------------


def test_a_damaged_store_is_named_by_check_and_refused_for_writing(capsys, store_copy, corpus_dir):
    damage(store_copy / DB_FILE, at_fraction=0.6, length=8192)
    code, out, err = run(capsys, "check", "--store", str(store_copy))
    assert code == 4 and err == ""
    assert any(line.startswith("broken: database") for line in out.splitlines())
    assert f"conclusio rebuild --store {store_copy}" in out
    before = (store_copy / DB_FILE).read_bytes()
    code, out, err = run(capsys, "ingest", str(next(corpus_dir.glob("004_*.txt"))), "--store", str(store_copy))
    assert code == 4 and out == ""
    assert f"conclusio rebuild --store {store_copy}" in one_line_error(err)
    assert (store_copy / DB_FILE).read_bytes() == before  # not one byte written


def test_a_file_that_is_no_database_fails_every_read_in_one_line(capsys, tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    (store / DB_FILE).write_bytes(b"\x00garbage" * 512)
    for argv in (("status",), ("documents",), ("search", "europol"), ("obligations",), ("audit",)):
        code, out, err = run(capsys, *argv, "--store", str(store))
        assert code == 4 and out == ""
        assert "damaged" in one_line_error(err)


def test_rebuild_makes_the_store_again_from_its_original_files(capsys, store_copy):
    settings_store = str(store_copy)
    obligation = run_json(capsys, "obligations", "--store", settings_store)[0]
    assert run(capsys, "set-status", obligation["id"], "done", "--user", "tester", "--store", settings_store)[0] == 0
    documents = run_json(capsys, "documents", "--store", settings_store)
    damage(store_copy / DB_FILE, at_fraction=0.5, length=16384)
    code, out, err = run(capsys, "rebuild", "--store", settings_store)
    assert code == 0, err
    assert "2 files: 2 ingested" in out and "the previous database is in" in out
    assert run(capsys, "check", "--store", settings_store)[0] == 0
    assert run_json(capsys, "documents", "--store", settings_store) == documents
    rebuilt = {r["id"]: r for r in run_json(capsys, "obligations", "--store", settings_store)}
    assert rebuilt[obligation["id"]]["status"] == "done"  # curation applies to the rebuilt units: same ids
    assert list(store_copy.glob("damaged-*/" + DB_FILE))


def test_backup_and_restore(capsys, store_copy, tmp_path):
    store = str(store_copy)
    first = run_json(capsys, "obligations", "--store", store)[0]["id"]
    assert run(capsys, "set-status", first, "done", "--user", "tester", "--store", store)[0] == 0
    destination = tmp_path / "backup"
    code, out, err = run(capsys, "backup", str(destination), "--store", store)
    assert code == 0, err
    assert {p.name for p in destination.iterdir()} == {DB_FILE, "curation.sqlite3", "originals"}
    assert all(p.stat().st_mode & 0o077 == 0 for p in destination.rglob("*") if p.is_file())
    code, _, err = run(capsys, "backup", str(destination), "--store", store)
    assert code == 1 and "not an empty folder" in one_line_error(err)
    # After the backup: another status change, then the database is damaged.
    assert run(capsys, "set-status", first, "overdue", "--user", "tester", "--store", store)[0] == 0
    damage(store_copy / DB_FILE, at_fraction=0.5, length=16384)
    code, out, err = run(capsys, "restore", str(destination), "--store", store)
    assert code == 0, err
    assert run(capsys, "check", "--store", store)[0] == 0
    restored = {r["id"]: r["status"] for r in run_json(capsys, "obligations", "--store", store)}
    assert restored[first] == "done"  # as it was when backed up
    assert list(store_copy.glob("replaced-*/" + DB_FILE))


def test_restore_refuses_a_damaged_backup(capsys, store_copy, tmp_path):
    destination = tmp_path / "backup"
    assert run(capsys, "backup", str(destination), "--store", str(store_copy))[0] == 0
    damage(destination / DB_FILE, at_fraction=0.5, length=16384)
    before = (store_copy / DB_FILE).read_bytes()
    code, _, err = run(capsys, "restore", str(destination), "--store", str(store_copy))
    assert code == 1 and "is damaged itself" in one_line_error(err)
    assert (store_copy / DB_FILE).read_bytes() == before


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    return json.loads(out)


# ---- hostile names and notes ----------------------------------------------------------------------


def test_escape_codes_in_names_and_notes_never_reach_the_terminal(capsys, tmp_path, test_settings, corpus_dir,
                                                                   embedder, nlp_pipeline):
    folder = tmp_path / "in"
    folder.mkdir()
    evil = f"rood{ESC}[31m{ESC}]0;pwned\x07.txt"
    shutil.copy(next(corpus_dir.glob("003_*.txt")), folder / evil)
    store = tmp_path / "store"
    assert ingest_into(store, test_settings, [folder / evil], embedder, nlp_pipeline).exit_code == 0
    obligation = run_json(capsys, "obligations", "--store", str(store))[0]["id"]
    note = f"gezien{ESC}[2J\r{ESC}[1;1Hniets aan de hand\u202e"
    assert run(capsys, "set-status", obligation, "done", "--note", note, "--user", f"ann{ESC}[8m",
               "--store", str(store))[0] == 0
    for argv in (("documents",), ("show", evil), ("audit",), ("obligations", "--format", "md"),
                 ("obligations", "--format", "csv"), ("search", "samenwerking", "--mode", "lexical")):
        code, out, err = run(capsys, *argv, "--store", str(store))
        assert code == 0, err
        shown = (out + err).replace("\r\n", "\n")  # CSV ends its lines with CRLF, as RFC 4180 has it
        assert not any(ch in shown for ch in (ESC, "\x07", "\r", "\u202e")), argv
    code, out, _ = run(capsys, "audit", "--store", str(store))
    assert "gezien[2J[1;1Hniets aan de hand" in out and "ann[8m" in out  # the words stay, the controls go
    documents = run_json(capsys, "documents", "--store", str(store))
    assert documents[0]["source_file"] == evil  # JSON keeps the name, escaped (\u001b), so it reads back
    (folder / f"slecht{ESC}[2J.xyz").write_text("niet ondersteund")
    code, out, err = run(capsys, "ingest", str(folder / f"slecht{ESC}[2J.xyz"), "--store", str(store))
    assert code == 2 and ESC not in out + err and "slecht[2J.xyz" in out


# ---- concurrency ---------------------------------------------------------------------------------


def test_a_second_ingest_stops_with_a_clear_message_while_one_runs(capsys, store_copy, corpus_dir):
    with store_lock(store_copy):
        code, out, err = run(capsys, "ingest", str(next(corpus_dir.glob("004_*.txt"))), "--store", str(store_copy))
    assert code == 3 and out == ""
    line = one_line_error(err)
    assert f"pid {os.getpid()}" in line and "--wait" in line
    assert {d["source_file"][:3] for d in run_json(capsys, "documents", "--store", str(store_copy))} == {"000", "003"}


def test_reviews_and_searches_go_on_during_an_ingest(capsys, store_copy):
    obligation = run_json(capsys, "obligations", "--store", str(store_copy))[0]["id"]
    with store_lock(store_copy):  # an ingest holds the store
        assert run(capsys, "set-status", obligation, "done", "--user", "tester", "--store", str(store_copy))[0] == 0
        code, out, err = run(capsys, "status", "--store", str(store_copy))
        assert code == 0 and "interrupted" not in err


# ---- degraded, not failed ------------------------------------------------------------------------

IMPOSSIBLE = """Brussel, 30 februari 2026

NOTA

Betreft: Vervolg van de conclusies over havenbeveiliging

1. De Raad verzoekt de Commissie uiterlijk 30 februari 2026 een verslag over havenbeveiliging voor te leggen.

2. De lidstaten zullen hun samenwerking tegen eind 2026 versterken.
"""

FAR_FUTURE = """Brussel, 31 december 9999

NOTA

Betreft: Een nota uit een verre toekomst

1. De Raad verzoekt de Commissie binnen zes maanden een verslag voor te leggen en uiterlijk in juni een voorstel.

2. De lidstaten zullen tegen eind volgend jaar hun gegevens delen.
"""


def test_impossible_dates_and_far_years_keep_the_document(capsys, tmp_path, test_settings, embedder, nlp_pipeline):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "februari.txt").write_text(IMPOSSIBLE, encoding="utf-8")
    (folder / "verre_toekomst.txt").write_text(FAR_FUTURE, encoding="utf-8")
    store = tmp_path / "store"
    report = ingest_into(store, test_settings, [folder], embedder, nlp_pipeline)
    assert report.counts == {"ingested": 2, "unchanged": 0, "failed": 0}
    rows = {r["source_text"].strip()[:30]: r for r in run_json(capsys, "obligations", "--store", str(store))}
    impossible = next(r for r in rows.values() if "30 februari" in r["source_text"])
    assert impossible["deadline"]["text"] == "uiterlijk 30 februari 2026" and impossible["deadline"]["end"] is None
    assert "no such date" in impossible["deadline"]["note"] and impossible["status"] == "no deadline"
    assert next(r for r in rows.values() if "eind 2026" in r["source_text"])["deadline"]["end"] == "2026-12-31"
    far = [r for r in rows.values() if r["source_file"] == "verre_toekomst.txt"]
    assert far and all(r["deadline"] is None or r["deadline"]["end"] is None or r["deadline"]["end"] <= "9999-12-31"
                       for r in far)
    for fmt in ("ics", "xlsx", "md"):
        assert run(capsys, "obligations", "--format", fmt, "--output", str(tmp_path / f"x.{fmt}"),
                   "--store", str(store))[0] == 0


def test_a_passage_over_the_nlp_limit_is_read_in_pieces(capsys, tmp_path, test_settings, embedder, nlp_pipeline):
    filler = "De samenwerking tussen de diensten wordt verder besproken in de werkgroep. "
    body = filler * (nlp_pipeline.max_length // len(filler) + 500)
    text = ("Brussel, 3 maart 2025\n\nNOTA\n\nBetreft: Een zeer lange alinea\n\n" + body
            + "De Commissie zal uiterlijk in juni 2026 een verslag over de werkgroep indienen.\n")
    (tmp_path / "lang.txt").write_text(text, encoding="utf-8")
    report = ingest_into(tmp_path / "store", test_settings, [tmp_path / "lang.txt"], embedder, nlp_pipeline)
    assert report.counts["ingested"] == 1, report.results
    store = open_store(test_settings.with_(store_dir=tmp_path / "store"), create=False, read_only=True)
    [passage] = [p for p in store.get_document("lang.txt").passages if len(p.text) > nlp_pipeline.max_length]
    [obligation] = store.obligations(ObligationQuery())
    store.close()
    assert obligation.passage_id == passage.passage_id and obligation.deadline.end == "2026-06-30"
    assert obligation.source_text.startswith("De Commissie zal uiterlijk in juni 2026")


# ---- a read-only medium and a full disk -------------------------------------------------------------


def _namespace_works() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null "
                            "|| mount -t tmpfs -o size=64k tmpfs /tmp"], capture_output=True)
    return probe.returncode == 0


NAMESPACE = _namespace_works()


def read_only_view(folder: Path):
    """A command prefix that runs its command with ``folder`` read-only, and how to undo it (or a skip)."""
    if NAMESPACE:
        script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
        return ["unshare", "-m", "sh", "-c", script, str(folder)], lambda: None
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for path in modes:
            path.chmod(stat.S_IMODE(modes[path]) & ~0o222)
        return [], lambda: [path.chmod(stat.S_IMODE(mode)) for path, mode in modes.items()]
    pytest.skip("needs a user that is not root, or root with mount namespaces (unshare -m), to make a read-only store")


def test_every_read_path_works_on_a_read_only_medium(store_copy, corpus_dir):
    store = ["--store", str(store_copy)]
    obligation = run_json_in(store_copy, "obligations")[0]
    snapshot = {p: p.read_bytes() for p in store_copy.rglob("*") if p.is_file()}
    reads = [["status"], ["documents"], ["show", obligation["source_file"]], ["audit"], ["audit", "--orphans"],
             ["obligations", "--format", "csv"], ["check"], ["search", "Europol verslag", "--k", "3"]]
    writes = [["ingest", str(next(corpus_dir.glob("004_*.txt")))], ["set-status", obligation["id"], "done"]]
    prefix, undo = read_only_view(store_copy)
    try:
        results = cli_session([[*argv, *store] for argv in reads + writes], prefix=prefix)
    finally:
        undo()
    for argv, (code, out, err) in zip(reads, results, strict=False):
        assert code == 0 and out and "Traceback" not in err, (argv, err)
    for argv, (code, out, err) in zip(writes, results[len(reads):], strict=True):
        assert code == 1 and out == "", argv
        assert "read-only" in one_line_error(err).lower(), (argv, err)
    assert {p: p.read_bytes() for p in store_copy.rglob("*") if p.is_file()} == snapshot


def run_json_in(store: Path, *argv: str):
    [(code, out, err)] = cli_session([[*argv, "--format", "json", "--store", str(store)]])
    assert code == 0, err
    return json.loads(out)


@pytest.mark.skipif(not NAMESPACE, reason="needs root with mount namespaces (unshare -m) to make a small full disk")
def test_a_full_disk_keeps_search_working_and_stops_an_ingest_in_one_line(small_store, tmp_path, corpus_dir):
    mount = tmp_path / "disk"
    mount.mkdir()
    store = ["--store", str(mount / "store")]
    commands = [["search", "Europol verslag", "--mode", "lexical", "--k", "2", *store],
                ["ingest", str(next(corpus_dir.glob("004_*.txt"))), *store]]
    # The store on a 4 MB disk that a filler file has filled to the last block.
    fill = (f'mount -t tmpfs -o size=4m tmpfs "{mount}" && cp -r "{small_store}" "{mount}/store" && '
            f'{{ dd if=/dev/zero of="{mount}/filler" bs=16k 2>/dev/null; exec "$@"; }}')
    (search, ingest_result) = cli_session(commands, prefix=["unshare", "-m", "sh", "-c", fill, "fill"])
    code, answer, err = search
    assert code == 0 and "punt" in answer and "Traceback" not in err  # a full disk does not stop a read
    code, answer, err = ingest_result
    assert code == 1 and "is full" in one_line_error(err)
