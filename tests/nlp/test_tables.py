"""Obligations from action tables, agentless plans in progress reports and deadlines anchored in the document."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest import parse_file
from nlp import extract_obligations
from nlp.actors import gazetteer
from nlp.parties import Parties, document_abbreviations
from nlp.tables import column_roles, timetable_deadline
from tests.ingest.action_plans import DRUGS_PLAN_ROWS, drugs_plan, firearms_plan, html, markdown, write_docx, write_pdf


@pytest.fixture(scope="module")
def parties(pipeline) -> Parties:
    return Parties(gazetteer(pipeline).table, {"NFP": "nationale contactpunten voor vuurwapens", "LS": "lidstaten",
                                               "EUAA": "Asielagentschap van de Europese Unie",
                                               "EDEO": "Europese Dienst voor extern optreden"})


@pytest.mark.parametrize("cell, actors", [
    ("LS, COM, Europol", ["lidstaten", "Commissie", "Europol"]),
    ("COM (DG HOME)", ["Commissie"]),
    ("COM (DG CNECT, DG HOME), HV/EDEO", ["Commissie", "hoge vertegenwoordiger", "EDEO"]),
    ("LS, met steun van Eurojust", ["lidstaten"]),
    ("COSI (met steun van het secretariaat)", ["COSI"]),
    ("Europol en Eurojust", ["Europol", "Eurojust"]),
    ("NFP", ["nationale contactpunten voor vuurwapens"]),
    ("LS (douane en politie), EUAA", ["lidstaten", "Asielagentschap van de Europese Unie"]),
    ("LS, Interpol", ["lidstaten", "Interpol"]),
    ("alle lidstaten", ["lidstaten"]),
])
def test_a_responsible_cell_names_each_party_once_by_its_canonical_name(parties, cell, actors) -> None:
    assert parties.of_cell(cell) == actors


@pytest.mark.parametrize("cell, end, granularity, recurrence", [
    ("2026", "2026-12-31", "year", None),
    ("doorlopend", None, None, None),
    ("lopend", None, None, None),
    ("permanent", None, None, None),
    ("eind 2026", "2026-12-31", "quarter", None),
    ("tweede helft van 2026", "2026-12-31", "half", None),
    ("2026-2027", "2027-12-31", "years", None),
    ("Q3 2027", "2027-09-30", "quarter", None),
    ("jaarlijks", None, None, "P1Y"),
    ("2026, daarna jaarlijks", "2026-12-31", "year", "P1Y"),
    ("jaarlijks, te beginnen in 2027", "2027-12-31", "year", "P1Y"),
    ("uiterlijk juni 2027", "2027-06-30", "month", None),
    ("binnen zes maanden na de goedkeuring van dit actieplan", "2026-09-12", "day", None),
    ("binnen een jaar na de inwerkingtreding van de herziene verordening", None, None, None),
])
def test_a_timetable_cell_gives_the_due_date_as_written(pipeline, cell, end, granularity, recurrence) -> None:
    deadline = timetable_deadline(pipeline, cell, date(2026, 3, 12))
    if end is None and recurrence is None and granularity is None and "binnen" not in cell:
        assert deadline is None
        return
    assert deadline is not None and deadline.text == cell
    assert (deadline.end, deadline.granularity, deadline.recurrence) == (end, granularity, recurrence)


@pytest.mark.parametrize("headers", [
    ["Nr.", "Actie", "Verantwoordelijke partijen", "Tijdschema", "Indicator"],
    ["No.", "Action", "Lead", "Timeline", "Output"],
    ["N°", "Mesure", "Responsable(s)", "Calendrier", "Indicateur"],
    ["Nr.", "Maßnahme", "Zuständig", "Zeitplan", "Indikator"],
])
def test_column_roles_by_header_words_in_four_languages(parties, headers) -> None:
    roles = column_roles(headers, [["1.1", "de samenwerking versterken", "LS", "2026", "aantal"]], parties)
    assert (roles.label, roles.action, roles.responsible, roles.timetable) == (0, 1, 2, 3)


def test_column_roles_from_the_cells_when_the_table_has_no_header(parties) -> None:
    rows = [["1", "de samenwerking met derde landen versterken", "2027", "LS, COM"],
            ["2", "een studie naar de kosten uitvoeren", "eind 2026", "Commissie"],
            ["3", "de gegevens harmoniseren", "doorlopend", "Europol"]]
    roles = column_roles(["", "", "", ""], rows, parties)
    assert (roles.label, roles.action, roles.responsible, roles.timetable) == (0, 1, 3, 2)


def test_a_list_of_abbreviations_is_no_action_table(parties) -> None:
    rows = [["LS", "lidstaten"], ["COM", "Europese Commissie"], ["EDEO", "Europese Dienst voor extern optreden"]]
    assert not column_roles(["", ""], rows, parties).is_action_table
    assert not column_roles(["Afkorting", "Betekenis"], rows, parties).is_action_table


@pytest.fixture(scope="module")
def firearms_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    plan = firearms_plan()
    folder = tmp_path_factory.mktemp("plan")
    (folder / "plan.md").write_text(markdown(plan), encoding="utf-8")
    (folder / "plan.html").write_text(html(plan), encoding="utf-8")
    return {"md": folder / "plan.md", "html": folder / "plan.html", "docx": write_docx(plan, folder / "plan.docx"),
            "pdf": write_pdf(plan, folder / "plan.pdf")}


@pytest.mark.parametrize("rendering", ["md", "html", "docx", "pdf"])
def test_each_action_row_with_parties_is_one_commitment(pipeline, firearms_files, rendering) -> None:
    document = parse_file(firearms_files[rendering])
    assert document_abbreviations(document)["EDEO"] == "Europese Dienst voor extern optreden"
    found = {o.paragraph: o for o in extract_obligations(pipeline, document) if o.paragraph}
    rows = [row for priority in firearms_plan().priorities for row in priority.rows]
    assert list(found) == [row[0] for row in rows]
    expected = {
        "1.1": (["lidstaten", "Commissie", "Europol"], "2026-12-31", None),
        "1.2": (["Commissie"], "2026-12-31", None),
        "1.3": (["lidstaten"], None, "P1Y"),
        "2.1": (["hoge vertegenwoordiger", "EDEO", "Commissie"], None, None),
        "2.4": (["Commissie"], "2027-12-31", "P1Y"),
    }
    for label, (actors, end, recurrence) in expected.items():
        deadline = found[label].deadline
        assert (found[label].actors, deadline.end if deadline else None, deadline.recurrence if deadline else None) == (
            actors, end, recurrence), label
    assert {o.modality for o in found.values()} == {"commitment"}
    assert found["1.1"].action.startswith("de uitwisseling van inlichtingen") and found["1.1"].verbs == ["versterken"]
    assert found["1.1"].source_text == next(p.text for p in document.passages if p.paragraph == "1.1")


@pytest.mark.parametrize("rendering", ["md", "docx", "pdf"])
def test_a_plan_with_the_timetable_before_the_parties_under_french_headers(pipeline, tmp_path, rendering) -> None:
    plan = drugs_plan()
    if rendering == "md":
        path = tmp_path / "drugs.md"
        path.write_text(markdown(plan), encoding="utf-8")
    elif rendering == "docx":
        path = write_docx(plan, tmp_path / "drugs.docx")
    else:
        path = write_pdf(plan, tmp_path / "drugs.pdf", gap_before_tables=200)  # the first table runs over a page break
    document = parse_file(path)
    found = {o.paragraph: o for o in extract_obligations(pipeline, document) if o.paragraph}
    assert {label: (o.actors, o.deadline.end if o.deadline else None, o.deadline.recurrence if o.deadline else None)
            for label, o in found.items()} == {label: tuple(value) for label, value in DRUGS_PLAN_ROWS.items()}
    running = [o for o in extract_obligations(pipeline, document) if not o.paragraph]
    assert [(o.actors, o.modality) for o in running] == [
        (["EUDA"], "commitment"), (["lidstaten"], "obligation"), (["lidstaten"], "request"), (["Commissie"], "commitment")]
    assert running[1].deadline.end == "2026-09-03"  # three months after the plan's adoption, the document's date


PROGRESS = """Brussel, 20 november 2026

**NOTA**

van: het voorzitterschap
aan: de delegaties
Betreft: Uitvoering van het actieplan – tweede voortgangsverslag

## Actie 2 – Opleiding van grenswachters (Frontex, Cepol)

In 2026 zijn twaalf opleidingen gegeven. De evaluatie van het programma zal in het voorjaar van 2027 worden gepubliceerd.

## Actie 4 – Gegevensuitwisseling (LS)

In 2026 werden nieuwe regels vastgesteld. Het nieuwe systeem zal in 2027 worden ingevoerd. De kosten zullen naar verwachting stijgen.

## Actie 5 – Verslaglegging

Het verslag zal in 2027 worden opgesteld.

## Conclusies

De Commissie heeft een studie gelanceerd en de resultaten zullen eind 2027 worden gepresenteerd. De Raad nodigt Europol uit om de analyse te actualiseren. Eurojust wil in 2027 een seminar organiseren. Het is van groot belang dat de lidstaten de richtlijn tijdig omzetten. De acties zullen worden gefinancierd uit het Fonds voor interne veiligheid.
"""


def test_agentless_plans_take_their_actor_from_the_context_or_are_no_unit(pipeline, tmp_path) -> None:
    path = tmp_path / "voortgang.md"
    path.write_text(PROGRESS, encoding="utf-8")
    found = [(o.paragraph, o.actors, o.modality, o.deadline.end if o.deadline else None, o.source_text.split()[:3])
             for o in extract_obligations(pipeline, parse_file(path))]
    assert found == [
        ("Actie 2", ["Frontex", "Cepol"], "commitment", "2027-05-31", ["De", "evaluatie", "van"]),  # the section's owners
        ("Actie 4", ["lidstaten"], "commitment", "2027-12-31", ["Het", "nieuwe", "systeem"]),
        # Actie 5 names no owner and no body: no unit. "De kosten zullen naar verwachting stijgen" is a forecast.
        (None, ["Commissie"], "commitment", "2027-12-31", ["De", "Commissie", "heeft"]),  # the coordinated clause's body
        (None, ["Europol"], "request", None, ["De", "Raad", "nodigt"]),
        (None, ["Eurojust"], "commitment", "2027-12-31", ["Eurojust", "wil", "in"]),
        (None, ["lidstaten"], "request", None, ["Het", "is", "van"]),  # a request to the Member States
    ]


def test_an_entry_into_force_the_document_dates_anchors_a_relative_deadline(pipeline, tmp_path) -> None:
    path = tmp_path / "verordening.md"
    path.write_text(
        "# Actieplan\n\nBrussel, 2 februari 2026\n\nDe nieuwe verordening treedt op 1 januari 2027 in werking.\n\n"
        "De lidstaten moeten binnen zes maanden na de inwerkingtreding van de verordening een contactpunt aanwijzen.\n",
        encoding="utf-8")
    (unit,) = extract_obligations(pipeline, parse_file(path))
    assert unit.deadline.text == "binnen zes maanden na de inwerkingtreding van de verordening"
    assert unit.deadline.end == "2027-07-01"


def test_a_list_of_abbreviations_before_the_numbered_sections_covers_only_itself(pipeline, tmp_path) -> None:
    # An unnumbered heading before numbered ones stays their ancestor in the section path.
    path = tmp_path / "plan.md"
    path.write_text(
        "# Actieplan\n\nBrussel, 2 februari 2026\n\n## Afkortingen\n\n- NCC: nationale coördinatiecentra\n- LS: lidstaten\n"
        "- COM: Europese Commissie\n\n## 1. Inleiding\n\nDit plan loopt tot 2030.\n\n## 2. Acties\n\n"
        "| Nr. | Actie | Verantwoordelijk | Termijn |\n| --- | --- | --- | --- |\n"
        "| 1.1 | de gegevensuitwisseling verbeteren | NCC, COM | 2027 |\n", encoding="utf-8")
    document = parse_file(path)
    assert document_abbreviations(document) == {"NCC": "nationale coördinatiecentra", "LS": "lidstaten",
                                                "COM": "Europese Commissie"}
    (unit,) = extract_obligations(pipeline, document)
    assert (unit.paragraph, unit.actors) == ("1.1", ["nationale coördinatiecentra", "Commissie"])
