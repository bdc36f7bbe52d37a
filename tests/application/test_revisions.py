"""Revised documents re-ingested: every manual status and review stays on its own unit (issue 14).

The sample corpus store is copied, curated, and then two documents are revised the ways documents are:
a point inserted near the top (every later point renumbered), a point reworded, a point removed; a
committing sentence inserted inside an "Actie" section, a report paragraph reworded. Real parser,
extractor, model and SQLite stores.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from application.cli import main
from application.commands.ingest import format_summary
from application.pipeline import ingest_paths
from conclusio.records import Obligation
from index import open_store
from index.store import ObligationQuery
from tracking import open_curation

NEW_POINT = ("1. erkennend dat de georganiseerde criminaliteit zich snel aanpast aan nieuwe technologieën en "
             "dat de rechtshandhaving daarmee gelijke tred moet houden;\n\n")
NEW_COMMITMENT = ("De Commissie zal in het eerste kwartaal van 2026 een evaluatie van deze actie aan de Raad "
                  "voorleggen.\n\n")


def revise_conclusions(text: str) -> str:
    """000: a point inserted above point 1 (every point renumbered), point 28 reworded, the last point (29) removed."""
    text = text[: text.index("\n29. te blijven werken")] + "\n"
    text = text.replace("28. tegen eind 2024 een specifiek verslag te publiceren dat meer inzicht biedt",
                        "28. uiterlijk medio 2025 een specifiek verslag te publiceren dat meer inzicht biedt")

    def renumber(match: re.Match) -> str:
        return f"{match.group(1)}{int(match.group(2)) + 1}. "

    head, body = text.split("1. Opnieuw bevestigend", 1)
    body = re.sub(r"(^|\n\s?)(\d{1,2})\. ", renumber, "1. Opnieuw bevestigend" + body)
    return head + NEW_POINT + body


def revise_report(text: str) -> str:
    """002: a committing sentence inserted inside Actie 4, and a reported fact reworded."""
    anchor = "Op 18 maart 2025 publiceerde Europol"
    assert anchor in text
    text = text.replace(anchor, NEW_COMMITMENT + anchor, 1)
    return text.replace("Een tussentijdse evaluatie is gepland in 2027.", "Een tussentijdse evaluatie volgt in 2027.")


def by_text(obligations: list[Obligation], *fragments: str) -> Obligation:
    [found] = [o for o in obligations if all(f in " ".join(o.source_text.split()) for f in fragments)]
    return found


@pytest.fixture(scope="module")
def revised(tmp_path_factory, ingested_corpus, corpus_dir: Path, embedder, nlp_pipeline):
    """The corpus store copied, curated, then two documents revised and ingested again."""
    folder = tmp_path_factory.mktemp("revisions")
    store_dir = folder / "store"
    shutil.copytree(ingested_corpus.settings.store_dir, store_dir)
    settings = ingested_corpus.settings.with_(store_dir=store_dir)
    store = open_store(settings)
    curation = open_curation(settings)
    before = store.obligations(ObligationQuery())
    conclusions = next(corpus_dir.glob("000_*.txt")).name
    report_file = next(corpus_dir.glob("002_*.txt")).name
    ours = [o for o in before if o.source_file == conclusions]
    curated = {
        "renumbered_27": by_text(ours, "legale bedrijfsstructuren"),
        "reworded_28": by_text(ours, "tegen eind 2024 een specifiek verslag te publiceren dat meer inzicht"),
        "removed_29": by_text(ours, "te blijven werken aan de bestrijding van zware"),
        "renumbered_10": by_text(ours, "samenwerken met Europol met het oog"),
        "actie_4": by_text([o for o in before if o.source_file == report_file], "Deze inventarisatie zal"),
    }
    roadmap_actie_4 = next(o for o in before if o.source_file.startswith("001_") and o.paragraph == "Actie 4")
    report = store.get_document(report_file)
    europol_report = next(p for p in report.passages if "In het verslag van Europol over het misbruik" in p.text)
    socta = next(p for p in report.passages if "Een tussentijdse evaluatie is gepland in 2027." in p.text)
    curation.set_status(curated["renumbered_27"].id, "done", "anna", "verslag ontvangen")
    curation.set_status(curated["reworded_28"].id, "overdue", "anna")
    curation.set_status(curated["removed_29"].id, "open", "bram", "nog niet besproken")
    curation.set_status(curated["renumbered_10"].id, "no deadline", "bram")
    curation.set_status(curated["actie_4"].id, "due soon", "anna")
    curation.review_link(curated["renumbered_27"].id, europol_report.passage_id, "confirmed", "anna")
    curation.review_link(roadmap_actie_4.id, socta.passage_id, "rejected", "bram", "alleen een planning")

    files = folder / "revised"
    files.mkdir()
    for name, revise in ((conclusions, revise_conclusions), (report_file, revise_report)):
        text = (corpus_dir / name).read_text(encoding="utf-8")
        (files / name).write_text(revise(text), encoding="utf-8")
    result = ingest_paths([files], settings=settings, store=store, embedder=lambda: embedder,
                          pipeline=lambda: nlp_pipeline, curation=curation)
    after = store.obligations(ObligationQuery())
    yield {
        "settings": settings, "report": result, "before": before, "after": after, "curated": curated,
        "curation": curation, "store": store, "europol_report": europol_report, "socta": socta,
        "roadmap_actie_4": roadmap_actie_4, "report_file": report_file, "conclusions": conclusions,
    }  # fmt: skip
    curation.close()
    store.close()


def test_the_revised_documents_were_ingested(revised):
    assert revised["report"].counts == {"ingested": 2, "unchanged": 0, "failed": 0}
    assert revised["report"].evidence_refreshed, revised["report"].evidence_error


def test_renumbered_points_keep_their_statuses(revised):
    overrides = revised["curation"].status_overrides()
    for key, label, status in (("renumbered_27", "28", "done"), ("renumbered_10", "11", "no deadline")):
        old = revised["curated"][key]
        [new] = [o for o in revised["after"] if o.source_text == old.source_text and o.source_file == old.source_file]
        assert new.paragraph == label and new.id != old.id
        assert overrides[new.id].status == status and old.id not in overrides


def test_a_reworded_point_keeps_its_status_and_a_removed_one_is_orphaned(revised):
    overrides = revised["curation"].status_overrides()
    reworded = by_text(revised["after"], "uiterlijk medio 2025 een specifiek verslag")
    assert reworded.paragraph == "29" and overrides[reworded.id].status == "overdue"
    removed = revised["curated"]["removed_29"]
    assert overrides[removed.id].status == "open"  # kept under its old id ...
    assert removed.id not in {o.id for o in revised["after"]}  # ... which no unit has any more
    assert not any(o.status == "open" and o.who == "bram" for k, o in overrides.items() if k != removed.id)


def test_an_inserted_commitment_gets_nothing_and_its_neighbour_keeps_its_own(revised):
    overrides = revised["curation"].status_overrides()
    kept = revised["curated"]["actie_4"]
    assert kept.id in {o.id for o in revised["after"]} and overrides[kept.id].status == "due soon"
    new = by_text(revised["after"], "De Commissie zal in het eerste kwartaal van 2026 een evaluatie")
    assert new.paragraph == "Actie 4" and new.id not in overrides
    assert not [c for c in revised["report"].curation if kept.id in c.old_key]


def test_reviews_follow_both_the_obligation_and_the_reworded_passage(revised):
    reviews = revised["curation"].link_reviews()
    moved_obligation = by_text(revised["after"], "legale bedrijfsstructuren")
    assert reviews[(moved_obligation.id, revised["europol_report"].passage_id)] == "confirmed"
    document = revised["store"].get_document(revised["report_file"])
    [socta] = [p for p in document.passages if "Een tussentijdse evaluatie volgt in 2027." in p.text]
    assert socta.passage_id != revised["socta"].passage_id
    assert reviews[(revised["roadmap_actie_4"].id, socta.passage_id)] == "rejected"
    assert len(reviews) == 2


def test_the_summary_and_the_audit_trail_name_what_moved_and_what_was_orphaned(revised):
    changes = revised["report"].curation
    assert sorted((c.outcome, c.item) for c in changes) == [
        ("moved", "link"), ("moved", "link"), ("moved", "status"), ("moved", "status"), ("moved", "status"),
        ("orphaned", "status"),
    ]
    summary = format_summary(revised["report"], revised["settings"])
    removed = revised["curated"]["removed_29"].id
    assert f"orphaned  status of {removed} (no unit of the new version of {revised['conclusions']}" in summary
    assert "conclusio audit --orphans" in summary
    reworded = by_text(revised["after"], "uiterlijk medio 2025")
    assert f"-> {reworded.id} (similar text (0." in summary
    trail = revised["curation"].audit_trail(reworded.id)  # with what was recorded under its former id
    assert [e.field for e in trail] == ["status", "moved:status"]
    assert trail[0].obligation_id == revised["curated"]["reworded_28"].id


def test_audit_orphans_lists_the_orphan_and_an_old_id_says_where_it_went(revised, capsys):
    store = str(revised["settings"].store_dir)
    assert main(["audit", "--orphans", "--store", store]) == 0
    out = capsys.readouterr().out
    removed = revised["curated"]["removed_29"].id
    assert removed in out and "status open by bram" in out and len(out.strip().splitlines()) == 1
    old = revised["curated"]["renumbered_27"].id
    assert main(["set-status", old, "done", "--user", "tester", "--store", store]) == 1
    err = capsys.readouterr().err
    new = by_text(revised["after"], "legale bedrijfsstructuren").id
    assert f"moved it to {new!r}" in err and len(err.strip().splitlines()) == 1
