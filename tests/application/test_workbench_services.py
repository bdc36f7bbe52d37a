"""What the analysts' UI asks of the services: citations, a weak-match notice, hit exports, one obligation by id."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from application import UnknownItemError, dutch_date
from application.citations import Citation, cite_passage, cite_unit, place_of
from conclusio.records import DocumentMetadata, Passage


def test_a_citation_names_document_date_point_and_page():
    meta = DocumentMetadata(title="Conclusies van de Raad", date="2024-06-13")
    point = Passage("x.txt#27:abc", "x.txt", 40, "body", "27. verzoekt ...", paragraph="27", page=11)
    assert str(cite_passage(point, meta)) == "Conclusies van de Raad, 13 juni 2024, punt 27, p. 11"
    numbered = DocumentMetadata(doc_number="15571/25", title="Samenvattend verslag", date="2025-11-21")
    action = Passage("y#a", "y.txt", 3, "body", "...", paragraph="Actie 10", page=9, page_end=10)
    cited = cite_passage(action, numbered)
    assert str(cited) == "15571/25, 21 november 2025, Actie 10, pp. 9-10"
    assert cited.title == "Samenvattend verslag" and cited.source_file == "y.txt"
    footnote = Passage("y#fn3", "y.txt", 9, "footnote", "...", footnote_label="3", page=2)
    assert str(cite_passage(footnote, numbered)) == "15571/25, 21 november 2025, voetnoot 3, p. 2"
    assert str(cite_unit("000_193f56f3ab2997d6.txt", None, "k)", None)) == "000_193f56f3ab2997d6.txt, punt k)"
    long_title = "Conclusies van de Raad over het in kaart brengen van de meest bedreigende criminele netwerken"
    assert str(cite_unit("a.txt", DocumentMetadata(title=long_title), None, 4)) == f"{long_title}, p. 4"  # not cut
    assert place_of("Bijlage I") == "Bijlage I" and place_of("2.3") == "punt 2.3"
    assert dutch_date("2024-13-01") == "2024-13-01" and dutch_date(None) == ""
    assert "\n" not in str(Citation("a\nb", None))


@pytest.fixture
def services(corpus_services):
    return corpus_services


def test_a_nonsense_query_is_said_to_match_weakly_and_a_real_one_is_not(services):
    nonsense = services.search("qwxz blorp fnord", k=5)
    assert nonsense.hits and nonsense.hits[0].score > 0.2  # relative scores: the best hit of nonsense scores high
    assert nonsense.result.keyword_matches == 0
    assert nonsense.weak_match and nonsense.result.best_similarity < services.settings.weak_similarity
    real = services.search("verslag van Europol over legale bedrijfsstructuren", k=5)
    assert real.result.keyword_matches > 0 and not real.weak_match
    assert not services.search("qwxz blorp fnord", k=5, mode="lexical").weak_match  # no hits, nothing to warn of


def test_hits_carry_citations_and_export_to_csv_excel_and_json(services, tmp_path):
    answer = services.search("Europol verslag", k=6)
    assert len(answer.hits) == 6
    cited = [str(answer.citations[h.passage_id]) for h in answer.hits]
    assert cited[0].startswith("15571/25, 21 november 2025, ")
    with_date = [c for c in cited if "2024" in c or "2025" in c or "2023" in c]
    assert len(with_date) >= 5  # every dated document cites its date

    data = services.export_hits(answer, "csv", delimiter=";")
    assert data.startswith(b"\xef\xbb\xbf")
    read = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r["passage_id"] for r in read] == [h.passage_id for h in answer.hits]
    assert [r["citation"] for r in read] == cited and read[0]["rank"] == "1"

    (tmp_path / "hits.xlsx").write_bytes(services.export_hits(answer, "xlsx"))
    sheet = load_workbook(tmp_path / "hits.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("rank", "citation", "score") and rows[1][0] == 1
    date_cell = sheet.cell(row=2, column=rows[0].index("doc_date") + 1)
    assert date_cell.is_date and date_cell.value.year == 2025

    records = json.loads(services.export_hits(answer, "json"))
    assert records[0]["query"] == "Europol verslag" and records[0]["citation"] == cited[0]
    with pytest.raises(Exception, match="unknown export format"):
        services.export_hits(answer, "ics")


def test_one_obligation_is_tracked_by_id_whatever_a_list_shows(services):
    every = services.obligations()
    chosen = every[len(every) // 2]
    row = services.tracked(chosen.obligation.id)
    assert row.obligation.id == chosen.obligation.id and row.status == chosen.status
    with pytest.raises(UnknownItemError, match="no obligation with id"):
        services.tracked("no such id")
    assert services.model().name  # the model named from its files, without loading it


def test_the_first_review_of_a_store_is_seen_by_the_same_services(ingested_corpus, tmp_path):
    """A server that read a store before its curation file existed sees the first change made through it."""
    import shutil

    from application import Conclusio
    from tracking.curation import CURATION_FILE

    shutil.copytree(ingested_corpus.settings.store_dir, tmp_path / "store")
    (tmp_path / "store" / CURATION_FILE).unlink(missing_ok=True)
    with Conclusio(ingested_corpus.settings.with_(store_dir=tmp_path / "store")) as app:
        row = next(r for r in app.obligations() if r.evidence)  # reads curation: none yet
        link = row.evidence[0]
        app.review(row.obligation.id, link.passage_id, "rejected")
        after = app.tracked(row.obligation.id)
        assert [r.passage_id for r in after.rejected_evidence] == [link.passage_id]
        app.set_status(row.obligation.id, "done", note="gezien")
        assert app.tracked(row.obligation.id).status_source == "manual"
