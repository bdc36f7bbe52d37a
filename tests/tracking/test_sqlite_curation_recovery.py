"""A writer killed in the middle of a curation write leaves a hot rollback journal; the next reader,
even a read-only one (`conclusio check`, search, the UI), must see the file as it was before that write."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tracking.sqlite_curation import SQLiteCurationStore


def test_a_read_only_view_after_a_writer_was_killed_mid_transaction_reads_the_state_before_it(tmp_path):
    path = tmp_path / "curation.sqlite"
    store = SQLiteCurationStore(path)
    store.set_status("doc#1#abc123", "done", "anna", "before the crash")
    store.close()
    killed = textwrap.dedent(f"""
        import os, sqlite3
        db = sqlite3.connect({str(path)!r}, isolation_level=None)
        db.execute("PRAGMA cache_size=1")  # spill to the file at once, so that the journal is hot
        db.execute("BEGIN IMMEDIATE")
        db.execute("CREATE TABLE scratch (x TEXT)")
        db.executemany("INSERT INTO scratch VALUES (?)", [("x" * 500,)] * 5000)
        os._exit(9)  # as kill -9: no rollback, no unlock
    """)
    subprocess.run([sys.executable, "-c", killed], check=False)
    assert path.with_name(path.name + "-journal").exists()

    reader = SQLiteCurationStore(path, read_only=True)
    trail = reader.audit_trail()
    reader.close()
    assert [(e.obligation_id, e.new_value) for e in trail] == [("doc#1#abc123", "done")]
    assert not path.with_name(path.name + "-journal").exists()
