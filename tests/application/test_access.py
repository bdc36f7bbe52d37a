"""Who may see and change what, through the services and the CLI, on the sample corpus, for every backend.

alice is a reader without clearance; bob an analyst cleared for LIMITE. The progress report 15571/25
(``002_...txt``) is LIMITE: for alice no path may show it, count it or cite it, and she may change
nothing; for bob all of it works. The SQLite store runs always; OpenSearch where ``OPENSEARCH_URL`` is
set (the corpus is copied into indices of a test prefix through the store's own API).
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import asdict
from datetime import date

import pytest

from application import Conclusio, ObligationQuery
from application.cli import main
from conclusio.errors import EXIT_DENIED, AccessDenied
from conclusio.settings import Settings

HIDDEN_FILE, HIDDEN_NUMBER = "002_f829182b03f790bc.txt", "15571/25"
USERS = """
[users.alice]
role = "reader"
clearance = "none"

[users.bob]
role = "analyst"
clearance = "LIMITE"

[users.root]
role = "admin"
clearance = "TRÈS SECRET UE"
"""
OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL")


def leaks(data: object) -> list[str]:
    """The hidden document's name or number anywhere in what was shown."""
    text = data if isinstance(data, str) else json.dumps(data, default=lambda o: asdict(o) if hasattr(o, "__dataclass_fields__") else str(o))
    return [needle for needle in (HIDDEN_FILE, HIDDEN_NUMBER, "002_f829182b03f790bc") if needle in text]


def _copy_into_opensearch(source, prefix: str) -> None:
    from index.opensearch_store import OpenSearchStore

    target = OpenSearchStore(OPENSEARCH_URL, index_prefix=prefix)
    model = source.embedding_model()
    for stored in source.list_documents():
        document = source.get_document(stored.source_file)
        vectors = source.passage_vectors([p.passage_id for p in document.passages])
        target.write_document(document, vectors, source.obligations(ObligationQuery(source_files=(stored.source_file,))),
                              model[0])
    target.replace_evidence(source.evidence())
    target.close()


@pytest.fixture(params=["sqlite", pytest.param("opensearch", marks=pytest.mark.opensearch)], scope="module")
def deployment(request, tmp_path_factory, ingested_corpus):
    """Settings of a store holding the corpus, its users file, and the backend's name."""
    folder = tmp_path_factory.mktemp(f"access-{request.param}")
    users = folder / "users.toml"
    users.write_text(USERS, encoding="utf-8")
    store = folder / "store"
    shutil.copytree(ingested_corpus.settings.store_dir, store)
    settings = ingested_corpus.settings.with_(store_dir=store, users_file=users)
    if request.param == "opensearch":
        if not OPENSEARCH_URL:
            pytest.skip("no OpenSearch server: set OPENSEARCH_URL to run these tests")
        prefix = f"conclusio-test-{uuid.uuid4().hex[:10]}"
        _copy_into_opensearch(ingested_corpus.store, prefix)
        settings = settings.with_(backend="opensearch", opensearch_url=OPENSEARCH_URL, opensearch_index_prefix=prefix)
    yield settings
    if request.param == "opensearch":
        from opensearchpy import OpenSearch

        OpenSearch(OPENSEARCH_URL).indices.delete(index=f"{settings.opensearch_index_prefix}-*", ignore_unavailable=True)


@pytest.fixture(scope="module")
def alice(deployment):
    with Conclusio(deployment.with_(user="alice")) as app:
        yield app


@pytest.fixture(scope="module")
def bob(deployment):
    with Conclusio(deployment.with_(user="bob")) as app:
        yield app


def test_search_in_every_mode_and_its_facets_leave_the_limite_report_out(alice, bob):
    for mode in ("hybrid", "lexical", "semantic"):
        for query in ("EUROPOL", "samenvattend verslag drugshandel", f"doc:{HIDDEN_NUMBER}", "kind:presidency_note"):
            answer = alice.search(query, k=50, mode=mode)
            assert not leaks([h.source_file for h in answer.hits]), (mode, query)
            assert not leaks(answer.result.facets.counts) and "LIMITE" not in json.dumps(answer.result.facets.counts)
            # the query's own words come back in a notice, exactly as for a document that does not exist
            assert not leaks((answer.result.message or "").replace(f"doc:{HIDDEN_NUMBER} matches no stored document",
                                                                   ""))
        assert HIDDEN_FILE in {h.source_file for h in bob.search("samenvattend verslag drugshandel", k=50, mode=mode).hits}
    cleared = bob.search("EUROPOL", k=50).result.facets.counts
    assert HIDDEN_FILE in cleared["document"] and "LIMITE" in cleared["classification"]


def test_similar_never_offers_hidden_wording(alice, bob):
    document = bob.document(HIDDEN_FILE)
    draft = next(p.text for p in document.passages if len(p.text) > 200)
    assert HIDDEN_FILE in {h.source_file for h in bob.similar(draft, k=5)}
    assert not leaks([asdict(h) for h in alice.similar(draft, k=10)])


def test_obligations_evidence_history_and_changes_show_only_readable_documents(alice, bob):
    today = date.today()
    mine = alice.obligations(as_of=today)
    assert mine and not leaks([(r.obligation.id, r.obligation.source_file) for r in mine])
    assert not leaks([link.source_file for r in mine for link in r.evidence])
    theirs = bob.obligations(as_of=today)
    assert any(r.obligation.source_file == HIDDEN_FILE for r in theirs)
    reported = [r for r in theirs if any(link.source_file == HIDDEN_FILE for link in r.evidence)]
    assert reported, "the LIMITE report is evidence for the roadmap's actions"
    for row in reported:
        assert not leaks([asdict(p) for p in alice.history(row.obligation.id, until=today)])
    assert any(leaks([asdict(p) for p in bob.history(row.obligation.id, until=today)]) for row in reported)
    assert not leaks([(c.after.obligation.id, c.after.evidence) for c in alice.changes(since=date(2023, 1, 1))])
    with pytest.raises(Exception, match="no obligation"):
        alice.history(next(r.obligation.id for r in theirs if r.obligation.source_file == HIDDEN_FILE))


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "ics", "xlsx"])
def test_exports_list_none_of_its_units(alice, fmt):
    data = alice.export(alice.obligations(as_of=date.today()), fmt)
    if fmt == "xlsx":
        import io

        from openpyxl import load_workbook

        data = json.dumps([[c.value for c in row] for ws in load_workbook(io.BytesIO(data)) for row in ws.iter_rows()],
                          default=str)
    assert not leaks(data if isinstance(data, str) else data.decode("utf-8", "replace"))


def test_documents_show_and_status_keep_it_out(alice, bob):
    assert not leaks([d.source_file for d in alice.documents()]) and len(alice.documents()) == 4
    for name in (HIDDEN_FILE, HIDDEN_NUMBER):
        with pytest.raises(Exception, match="no such document, or one above the clearance of alice") as refused:
            alice.document(name)
        assert "Samenvattend" not in str(refused.value) and HIDDEN_FILE not in str(refused.value).split("read:")[1]
        assert bob.document(name).source_file == HIDDEN_FILE
    assert alice.status().stats.documents == 4 and bob.status().stats.documents == 5


def test_a_reader_may_change_nothing_and_an_analyst_is_recorded_by_name(deployment, alice, bob):
    from tracking import open_curation

    row = next(r for r in bob.obligations(as_of=date.today()) if any(l.source_file == HIDDEN_FILE for l in r.evidence))
    link = next(link for link in row.evidence if link.source_file == HIDDEN_FILE)
    hidden_obligation = next(r.obligation.id for r in bob.obligations() if r.obligation.source_file == HIDDEN_FILE)
    before = len(bob.audit())
    with pytest.raises(AccessDenied, match="alice \\(reader\\) may not review evidence or set statuses"):
        alice.set_status(row.obligation.id, "done")
    with pytest.raises(AccessDenied):
        alice.review(row.obligation.id, link.passage_id, "confirmed")
    with pytest.raises(AccessDenied, match="not 'mallory'"):
        bob.set_status(row.obligation.id, "done", "mallory")
    assert len(bob.audit()) == before
    bob.review(row.obligation.id, link.passage_id, "confirmed", note="read the report")
    bob.set_status(hidden_obligation, "in progress", bob.user)
    curation = open_curation(deployment, read_only=True)
    try:
        newest = curation.audit_trail()[-2:]
    finally:
        curation.close()
    assert [e.who for e in newest] == ["bob", "bob"]
    assert not leaks([asdict(e) for e in alice.audit()]) and leaks([asdict(e) for e in bob.audit()])
    assert not leaks([asdict(e) for e in alice.audit(row.obligation.id)])


def test_an_unknown_user_is_refused_and_the_local_user_is_admin_without_a_users_file(deployment):
    with pytest.raises(AccessDenied, match="'mallory' is not in the users file"):
        Conclusio(deployment.with_(user="mallory")).search("europol")
    local = Conclusio(deployment.with_(users_file=None, user="anyone"))
    assert (local.user.role, local.user.clearance.full) == ("admin", True)
    local.close()


# ---- the command line, as the people use it ----------------------------------------------


@pytest.fixture
def as_user(monkeypatch, deployment):
    def run(user: str, capsys, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setenv("CONCLUSIO_USERS", str(deployment.users_file))
        monkeypatch.setenv("CONCLUSIO_USER", user)
        monkeypatch.setenv("CONCLUSIO_BACKEND", deployment.backend)
        if deployment.backend == "opensearch":
            monkeypatch.setenv("OPENSEARCH_URL", deployment.opensearch_url)
        code = main([*argv, "--store", str(deployment.store_dir), "--model", deployment.embed_model])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_the_cli_as_alice_and_as_bob(as_user, capsys, deployment):
    if deployment.backend == "opensearch":
        pytest.skip("the CLI builds OpenSearch settings from the environment's index prefix; the services cover it")
    code, out, err = as_user("alice", capsys, "search", "EUROPOL", "--format", "json")
    assert code == 0 and json.loads(out) and not leaks(out)
    code, out, _ = as_user("alice", capsys, "search", "EUROPOL")
    assert code == 0 and "classification: none" in out and not leaks(out)
    code, out, _ = as_user("bob", capsys, "search", "samenvattend verslag drugshandel", "--format", "json")
    assert code == 0 and leaks(out)
    code, out, _ = as_user("alice", capsys, "obligations", "--format", "csv")
    assert code == 0 and out.count("\n") > 10 and not leaks(out)
    code, out, _ = as_user("bob", capsys, "obligations", "--format", "csv")
    assert leaks(out)
    code, out, err = as_user("alice", capsys, "show", HIDDEN_NUMBER)
    assert code == 1 and out == "" and "above the clearance of alice" in err and "Samenvattend" not in err
    code, out, _ = as_user("bob", capsys, "show", HIDDEN_NUMBER)
    assert code == 0 and "Samenvattend verslag" in out
    obligation = json.loads(as_user("bob", capsys, "obligations")[1])[0]["id"]
    code, out, err = as_user("alice", capsys, "set-status", obligation, "done")
    assert code == EXIT_DENIED and "alice (reader) may not" in err and "nothing was changed" in err
    assert not [e for e in json.loads(as_user("bob", capsys, "audit", obligation, "--format", "json")[1])
                if e["who"] == "alice"]
    code, out, err = as_user("mallory", capsys, "search", "EUROPOL")
    assert code == EXIT_DENIED and "not in the users file" in err
    code, out, _ = as_user("alice", capsys, "whoami")
    assert out.startswith("alice: reader, clearance none")


def test_audit_verify_passes_untouched_and_fails_edited_by_hand(as_user, capsys, deployment):
    if deployment.backend == "opensearch":
        pytest.skip("the hand edit is of the SQLite file; the curation contract edits OpenSearch's records")
    import sqlite3

    obligation = json.loads(as_user("bob", capsys, "obligations")[1])[1]["id"]
    assert as_user("bob", capsys, "set-status", obligation, "overdue", "--note", "checked")[0] == 0
    assert as_user("bob", capsys, "set-status", obligation, "done")[0] == 0
    code, out, err = as_user("bob", capsys, "audit", "--verify")
    assert code == EXIT_DENIED  # the whole trail covers what others may not read: administrators only
    code, out, _ = as_user("root", capsys, "audit", "--verify")
    assert code == 0 and out.startswith("the audit trail is intact")
    with sqlite3.connect(deployment.store_dir / "curation.sqlite3") as db:
        db.execute("DROP TRIGGER audit_chained_never_changed")
        db.execute("UPDATE audit SET new_value = 'rejected' WHERE note = 'checked'")
    code, out, _ = as_user("root", capsys, "audit", "--verify")
    assert code == 1 and "broken at entry" in out and "changed after it was written" in out
