"""Obligations from action tables, agentless plans in progress reports and deadlines anchored in the document."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ingest import parse_file
from nlp import extract_obligations
from nlp.actors import gazetteer
from nlp.annotate import annotate
from nlp.parties import Parties, document_abbreviations
from nlp.tables import column_roles, is_dropped, timetable_deadline
from tests.ingest.action_plans import (CULTURAL_GOODS_ROWS, DRUGS_PLAN_ROWS, MONEY_LAUNDERING_ROWS, PORT_ROADMAP_ROWS,
                                      WILDLIFE_PLAN_MEASURES, cultural_goods_plan, drugs_plan, field_plan_html,
                                      field_plan_markdown, firearms_plan, html, markdown, money_laundering_plan,
                                      port_roadmap, wildlife_plan, write_docx, write_field_plan_docx,
                                      write_field_plan_pdf, write_pdf)


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
    ("alle deelnemende LS, Europol (EC3)", ["lidstaten", "Europol"]),  # a qualifier before a known name goes
    ("andere EU-lidstaten", ["lidstaten"]),
    ("douaneautoriteiten van andere lidstaten", ["douaneautoriteiten van andere lidstaten"]),  # not past "van"
    ("NL, BE", ["NL", "BE"]),  # member states by their codes act as written
    ("COM (lead), LS", ["Commissie", "lidstaten"]),
    ("Lead: COM; Participants: LS", ["Commissie", "lidstaten"]),
    ("Ministerie van Justitie en Veiligheid, Havenbedrijf Rotterdam", ["Ministerie van Justitie en Veiligheid",
                                                                       "Havenbedrijf Rotterdam"]),  # "en" inside a name
    ("gemeenten en provincies", ["gemeenten", "provincies"]),
    ("de Europese Commissie", ["Commissie"]),
    ("n.t.b.", []),
    ("TBD", []),
    ("nog te bepalen", []),
    ("–", []),
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
    ("binnen vier maanden na de goedkeuring van dit OAP", "2026-07-12", "day", None),
    ("Q1-Q2 2027", "2027-06-30", "quarter", None),  # a range of quarters ends with its last
    ("Q2/Q3 2027", "2027-09-30", "quarter", None),
    ("2e helft 2027", "2027-12-31", "half", None),  # ordinals in figures
    ("2e kwartaal 2027", "2027-06-30", "quarter", None),
    ("per kwartaal", None, None, "P3M"),  # the plan by its short form
    ("binnen een jaar na vaststelling van dit uitvoeringsplan", "2027-03-12", "day", None),
    ("binnen twaalf maanden na aanneming", "2027-03-12", "day", None),  # nothing else adopted: the plan itself
    # Under French headers: trimestre and semestre codes, "puis" and "annuel", "fin", "mi-", "en continu"
    ("T3 2027", "2027-09-30", "quarter", None),
    ("T1-T2 2028", "2028-06-30", "quarter", None),
    ("S1 2027", "2027-06-30", "half", None),
    ("S2 2026, puis annuel", "2026-12-31", "half", "P1Y"),
    ("T4 2026, daarna jaarlijks", "2026-12-31", "quarter", "P1Y"),
    ("2e trimestre 2027", "2027-06-30", "quarter", None),
    ("fin 2027", "2027-12-31", "quarter", None),
    ("mi-2027", "2027-07-31", "quarter", None),
    ("annuel", None, None, "P1Y"),
    ("en continu", None, None, None),
    # Under German headers
    ("1. Quartal 2027", "2027-03-31", "quarter", None),
    ("III. Quartal 2027", "2027-09-30", "quarter", None),
    ("2. Halbjahr 2027", "2027-12-31", "half", None),
    ("Ende 2026", "2026-12-31", "quarter", None),
    ("Mitte 2028", "2028-07-31", "quarter", None),
    ("Q4 2027", "2027-12-31", "quarter", None),
    ("jährlich", None, None, "P1Y"),
    ("laufend", None, None, None),
    # Under English headers
    ("end of 2027", "2027-12-31", "quarter", None),
    ("first half of 2027", "2027-06-30", "half", None),
    ("annually", None, None, "P1Y"),
    # a recurring day without its year falls first in the year named for the first time
    ("jaarlijks vóór 1 oktober, voor het eerst in 2028", "2028-09-30", "day", "P1Y"),
    ("elk jaar uiterlijk 15 mei, voor het eerst in 2027", "2027-05-15", "day", "P1Y"),
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


@pytest.mark.parametrize("headers", [
    ["No.", "Action", "Action leader", "Participants", "Deadline", "Expected result"],  # "Action leader" is no action
    ["N°", "Action", "Chef de file", "Participants", "Échéance", "Résultat attendu"],
    ["Nr.", "Maßnahme", "Federführung", "Beteiligte", "Zeitrahmen", "Erwartetes Ergebnis"],
])
def test_every_column_of_parties_acts_the_lead_first(parties, headers) -> None:
    roles = column_roles(headers, [["1.1", "de samenwerking versterken", "COM", "LS", "2026", "aantal"]], parties)
    assert (roles.label, roles.action, roles.responsible_columns, roles.timetable) == (0, 1, (2, 3), 4)


@pytest.mark.parametrize("header", ["Betrokken", "Betrokken partijen", "Involved"])
def test_involved_parties_act_only_where_the_plan_says_they_answer_for_the_action(parties, header) -> None:
    row = [["1.1", "de samenwerking versterken", "COM", "LS", "2026"]]
    headers = ["Nr.", "Maatregel", "Trekker", header, "Gereed"]
    assert column_roles(headers, row, parties).responsible_columns == (2,)  # obligations.md: "X te betrekken"
    assert column_roles(headers, row, replace(parties, involved_act=True)).responsible_columns == (2, 3)


def test_a_column_of_partners_names_no_actor(parties) -> None:
    headers = ["Actie", "Ondersteunende partners", "Tijdschema", "Verantwoordelijk"]
    roles = column_roles(headers, [["de samenwerking versterken", "Eurojust", "2026", "LS"]], parties)
    assert (roles.action, roles.responsible_columns, roles.timetable) == (0, (3,), 2)


def test_columns_of_parties_found_from_the_cells_when_the_table_has_no_header(parties) -> None:
    rows = [["2.1", "een dreigingsbeeld opstellen", "LS", "Europol, Douane", "Q4 2026", "in 2028 gedeeld met 20 LS"],
            ["2.2", "een analysefaciliteit inrichten", "COM", "gemeenten, LS", "medio 2027", "in 2028 operationeel"],
            ["2.3", "een datamodel ontwikkelen", "n.t.b.", "n.t.b.", "2027", "datamodel beschikbaar in 2027"],
            ["2.4", "de teams aansluiten op SIENA", "Europol", "Havenbedrijf Rotterdam", "eind 2026", "100% aangesloten"]]
    roles = column_roles([""] * 6, rows, parties)
    # the indicator has years too: the timetable is the column of the shortest cells that read as dates
    assert (roles.label, roles.action, roles.responsible_columns, roles.timetable) == (0, 1, (2, 3), 4)


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
def test_a_plan_without_header_rows_gives_the_units_of_the_same_plan_with_them(pipeline, firearms_files, tmp_path,
                                                                               rendering) -> None:
    plan = replace(firearms_plan(), header_row=False)
    if rendering == "md":
        path = tmp_path / "plan.md"
        path.write_text(markdown(plan), encoding="utf-8")
    elif rendering == "docx":
        path = write_docx(plan, tmp_path / "plan.docx")
    else:
        path = write_pdf(plan, tmp_path / "plan.pdf", gap_before_tables=550)

    def units(document_path: Path) -> list[tuple]:
        return [(o.paragraph, o.actors, o.action, o.deadline.end if o.deadline else None, o.modality)
                for o in extract_obligations(pipeline, parse_file(document_path)) if o.paragraph]

    assert units(path) == units(firearms_files[rendering])


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


def _write(plan, folder: Path, rendering: str) -> Path:  # type: ignore[no-untyped-def]
    path = folder / f"plan.{rendering}"
    if rendering in ("md", "html"):
        path.write_text(markdown(plan) if rendering == "md" else html(plan), encoding="utf-8")
        return path
    return write_docx(plan, path) if rendering == "docx" else write_pdf(plan, path)


def _row_units(pipeline, document) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    return {o.paragraph: (o.actors, o.deadline.end if o.deadline else None, o.deadline.recurrence if o.deadline else None)
            for o in extract_obligations(pipeline, document) if o.paragraph}


@pytest.mark.parametrize("rendering", ["md", "html", "docx", "pdf"])
def test_objective_rows_merged_across_the_table_head_its_actions_and_name_no_party(pipeline, tmp_path, rendering) -> None:
    # "1 | Doel 1 – ..." merged over the columns of action, parties, dates and result: a heading, not an action whose
    # heading fills the party column. The French timetable codes are quarters and half-years.
    plan = cultural_goods_plan()
    document = parse_file(_write(plan, tmp_path, rendering))
    assert _row_units(pipeline, document) == {label: tuple(value) for label, value in CULTURAL_GOODS_ROWS.items()}
    if rendering != "md":  # Markdown merges no cells: its objective row is a row without parties
        sections = {p.paragraph: p.section_path[-1] for p in document.passages if p.table_row}
        assert sections["1.4"] == f"1 {plan.priorities[0].heading}"
        assert sections["2.1"] == f"2 {plan.priorities[1].heading}"


@pytest.mark.parametrize("rendering", ["md", "docx", "pdf"])
@pytest.mark.parametrize("header_row", [True, False])
def test_rows_labelled_by_part_under_german_headers_with_or_without_a_header_row(pipeline, tmp_path, rendering,
                                                                                  header_row) -> None:
    # Without a header row, Markdown puts the first row ("A.1 | ...") where the header goes: it is data all the same.
    plan = replace(money_laundering_plan(), header_row=header_row)
    document = parse_file(_write(plan, tmp_path, rendering))
    assert _row_units(pipeline, document) == {label: tuple(value) for label, value in MONEY_LAUNDERING_ROWS.items()}


@pytest.mark.parametrize("rendering", ["md", "html", "docx", "pdf"])
def test_measures_set_out_field_by_field_are_one_unit_each(pipeline, tmp_path, rendering) -> None:
    # "Mesure : ... / Pilote : COM / Partenaires : LS; Europol (en soutien) / Échéance : T2 2027 / Budget / Indicateur":
    # bold label lines, then two-column tables whose label column is bold. The action is the action field, the actors
    # the lead and the partners less those marked as support, the deadline the timing field only (the budget's and
    # the indicator's years are none).
    plan = wildlife_plan()
    path = tmp_path / f"plan.{rendering}"
    if rendering in ("md", "html"):
        path.write_text(field_plan_markdown(plan) if rendering == "md" else field_plan_html(plan), encoding="utf-8")
    else:
        (write_field_plan_docx if rendering == "docx" else write_field_plan_pdf)(plan, path)
    units = extract_obligations(pipeline, parse_file(path))
    found = {o.paragraph: (o.actors, o.deadline.end if o.deadline else None, o.deadline.recurrence if o.deadline else None)
             for o in units}
    assert found == {label: tuple(value) for label, value in WILDLIFE_PLAN_MEASURES.items()}
    actions = {o.paragraph: o.action for o in units}
    assert actions["Mesure 1.1"].startswith("gemeenschappelijke risicoprofielen voor zendingen")
    assert actions["Mesure 2.3"] == "verslag uitbrengen over de uitvoering van dit plan"
    assert all(o.modality == "commitment" for o in units)


@pytest.mark.parametrize("rendering", ["md", "html", "docx", "pdf"])
def test_a_roadmap_with_a_status_column_yields_its_measures_less_the_dropped_ones(pipeline, tmp_path, rendering) -> None:
    # "Ref. | Measure | Lead | Deadline | Status": the status is no part of the action and its dates ("delayed to
    # Q1 2028") are no deadline; "dropped", "withdrawn" and a measure reading "Dropped." are no units; a
    # "(continued)" line adds its words and parties to the row above.
    plan = port_roadmap()
    document = parse_file(_write(plan, tmp_path, rendering))
    assert _row_units(pipeline, document) == {label: tuple(value) for label, value in PORT_ROADMAP_ROWS.items()}
    (continued,) = [o for o in extract_obligations(pipeline, document) if o.paragraph == "2.2"]
    assert continued.action.split()[-4:] == ["de", "betrokken", "derde", "landen"]
    assert "ongoing" not in continued.action


@pytest.mark.parametrize("status, action, dropped", [
    ("vervallen (opgenomen in 1.6)", "een register opzetten", True),
    ("geschrapt", "een register opzetten", True),
    ("Niet langer van toepassing", "een register opzetten", True),
    ("withdrawn", "een register opzetten", True),
    ("supprimée", "een register opzetten", True),
    ("entfällt", "een register opzetten", True),
    ("niet meer van toepassing", "een register opzetten", True),
    ("", "Vervallen (zie 5.1).", True),
    ("uitgevoerd", "een register opzetten", False),
    ("vertraagd tot Q2 2027", "een register opzetten", False),
    ("lopend", "een register opzetten", False),
    ("", "vervallen termijnen van de lidstaten in kaart brengen en de procedure herzien", False),
])
def test_a_dropped_measure_is_said_so_by_its_status_or_by_its_whole_action_cell(status, action, dropped) -> None:
    assert is_dropped(action, status) is dropped


def test_a_party_marked_as_support_does_not_act_and_partners_do(parties) -> None:
    assert parties.of_cell("de gemeenschappen; Myria (adviserend)") == ["gemeenschappen", "Myria"][:1]
    assert parties.of_cell("DVZ; IOM (ondersteunend)") == ["DVZ"]
    assert parties.of_cell("Europol, LS\nen Frontex") == ["Europol", "lidstaten", "Frontex"]
    roles = column_roles(["Maatregel", "Trekker", "Partners", "Timing"], [], parties)
    assert (roles.action, roles.responsible_columns, roles.timetable) == (0, (1, 2), 3)


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


NATIONAL_PLAN = """# Uitvoeringsplan mensenhandel 2026-2028

Ministerie van Justitie en Veiligheid
Datum: 3 maart 2026

## Lijst van afkortingen

- BZK: Ministerie van Binnenlandse Zaken en Koninkrijksrelaties
- COM: Europese Commissie
- LS: lidstaten
- NLA: Nederlandse Arbeidsinspectie
- UP: uitvoeringsplan
- AT, BE, DE, NL: landcodes
- n.t.b.: nog te bepalen

## 1. Inleiding

Het kabinet heeft dit UP op 3 maart 2026 vastgesteld. Het kabinet zal binnen zes maanden na vaststelling van dit plan een wetsvoorstel indienen.

De taskforce Mensenhandel zal ten minste tweemaal per jaar de voortgang bespreken. Provincies dienen uiterlijk 1 april 2027 een regionaal beeld op te stellen.

BZK zal de Tweede Kamer jaarlijks over de uitvoering informeren. NL en BE zullen in 2027 een gezamenlijke inspectiedag organiseren.

Europol (EC3) zal de deelnemende LS in 2026 ondersteunen met analyses. Alle deelnemende LS dienen uiterlijk 1 juni 2026 een contactpunt aan te wijzen. Nederland nodigt de Commissie uit om in 2027 een evaluatie uit te voeren.

Het UP zal worden bijgesteld zodra de evaluatie is afgerond.

De minister van Justitie en Veiligheid zal in 2027 een wetsvoorstel indienen. De provincies en gemeenten dienen uiterlijk 2027 een beleidsplan op te stellen. In 2027 zal de Inspectie Justitie en Veiligheid een onderzoek uitvoeren. De Nederlandse Arbeidsinspectie en de Douane zullen in 2026 gezamenlijke controles houden. Deze maatregel zal bijdragen aan minder uitbuiting.

## 2. Maatregelen

| Nr. | Maatregel | Trekker | Betrokken partijen | Gereed | Indicator |
|---|---|---|---|---|---|
| 2.1 | Opstellen van een landelijk beeld van arbeidsuitbuiting. | NLA | BZK, gemeenten | Q4 2026 | Beeld in 2027 gedeeld met de LS. |
| 2.2 | Ontwikkelen van een signaleringskaart voor gemeenten. | n.t.b. | n.t.b. | 2027 | Kaart beschikbaar. |
"""


def test_running_text_names_bodies_the_list_and_the_text_give(pipeline, tmp_path) -> None:
    path = tmp_path / "uitvoeringsplan.md"
    path.write_text(NATIONAL_PLAN, encoding="utf-8")
    found = [(o.paragraph, o.actors, o.modality, o.deadline.end if o.deadline else None, " ".join(o.source_text.split()[:2]))
             for o in extract_obligations(pipeline, parse_file(path))]
    assert found == [
        (None, ["kabinet"], "commitment", "2026-09-03", "Het kabinet"),  # a body not on the list keeps its name
        (None, ["taskforce Mensenhandel"], "commitment", None, "De taskforce"),
        (None, ["provincies"], "obligation", "2027-04-01", "Provincies dienen"),
        (None, ["Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"], "commitment", None, "BZK zal"),  # the list
        (None, ["NL", "BE"], "commitment", "2027-12-31", "NL en"),
        (None, ["Europol"], "commitment", "2026-12-31", "Europol (EC3)"),  # the body before the brackets, not the object
        (None, ["lidstaten"], "obligation", "2026-06-01", "Alle deelnemende"),
        (None, ["Commissie"], "request", "2027-12-31", "Nederland nodigt"),  # the invited body acts
        # "Het UP zal worden bijgesteld": the plan is no body
        (None, ["minister van Justitie en Veiligheid"], "commitment", "2027-12-31", "De minister"),  # an office and its field
        (None, ["provincies", "gemeenten"], "obligation", "2027-12-31", "De provincies"),
        (None, ["Inspectie Justitie en Veiligheid"], "commitment", "2027-12-31", "In 2027"),
        (None, ["Nederlandse Arbeidsinspectie", "Douane"], "commitment", "2026-12-31", "De Nederlandse"),  # the list's name
        # "Deze maatregel zal bijdragen": a measure is no body
        # the "Betrokken partijen" do not act: the plan does not say they answer for the measure (obligations.md)
        ("2.1", ["Nederlandse Arbeidsinspectie"], "commitment", "2026-12-31", "2.1 Maatregel:"),
        # 2.2 has no party yet ("n.t.b."): no unit
    ]


def test_short_forms_of_the_documents_list_are_read_in_running_text_but_not_in_numbers_or_capitals(pipeline) -> None:
    parties = {"COM": "Commissie", "DE": "DE", "JenV": "Ministerie van Justitie en Veiligheid"}
    doc = annotate(pipeline, "In COM(2023) 641 en COM 2024/12 kondigde COM een evaluatie aan, met JenV. "
                             "RAAD VAN DE EUROPESE UNIE. OVERWEGENDE DAT DE TIJD DRINGT. DE en JenV.", document_parties=parties)
    assert [(span.text, span.label_) for span in doc.spans["actors"]] == [
        ("COM", "Commissie"), ("JenV", "Ministerie van Justitie en Veiligheid"), ("RAAD VAN DE EUROPESE UNIE", "Raad"),
        ("DE", "DE"), ("JenV", "Ministerie van Justitie en Veiligheid")]


YOUTH_PLAN = """# Actieplan Jeugd en Ondermijning 2027-2030

Utrecht, 3 maart 2027. De ministerraad heeft dit plan op 3 maart 2027 vastgesteld.

## Afkortingen

| Afkorting | Betekenis |
| --- | --- |
| JenV | (minister van) Justitie en Veiligheid |
| RvdK | Raad voor de Kinderbescherming |
| HALT | Bureau Halt |

## 1. Acties in de tekst

**Actie 1:** De minister van Onderwijs zal uiterlijk in het derde kwartaal van 2028 een lesprogramma over ronselen door criminelen laten ontwikkelen.

**Actie 2:** De RvdK zal in de loop van 2028 een landelijk meldpunt voor ronselpraktijken inrichten. Het meldpunt moet in 2029 geëvalueerd zijn.

### Actie 3: Een netwerk van jongerenwerkers

Gemeenten zullen in 2029 een netwerk van jongerenwerkers opzetten.

## Bijlage. Uitvoeringstabel

De kolom Trekker noemt wie de actie uitvoert; de partijen onder Betrokken denken mee zonder verantwoordelijk te zijn voor het resultaat.

| Nr. | Actie | Trekker | Betrokken | Gereed |
| --- | --- | --- | --- | --- |
| **Thema A – Voorkomen** | | | | |
| 4 | Een training voor wijkagenten over signalen van ronselen ontwikkelen | politie | HALT, RvdK | Q1 2028 |
| 5 | De training aanbieden in alle basisteams |  | gemeenten¹ | eind 2028 |
| **Thema B – Ingrijpen** | | | | |
| 6 | Een wetsvoorstel voorbereiden over strafverzwaring bij het ronselen van minderjarigen | JenV en minister van Onderwijs | OM | 2029² |
| **Thema C – Volgen** | | | | |
| 7 | Een monitor van ronselzaken bijhouden |  | — | jaarlijks |

¹ Gemeenten zijn betrokken als opdrachtgever van het jongerenwerk.

² Onder voorbehoud van de behandeling in de ministerraad.
"""


def test_a_plan_with_run_in_actions_and_a_table_with_merged_responsible_cells(pipeline, tmp_path) -> None:
    path = tmp_path / "jeugd.md"
    path.write_text(YOUTH_PLAN, encoding="utf-8")
    found = {o.paragraph: (o.actors, o.modality, o.deadline.end if o.deadline else None)
             for o in extract_obligations(pipeline, parse_file(path))}
    assert found["Actie 1"] == (["minister van Onderwijs"], "commitment", "2028-09-30")  # an action in running text
    assert found["Actie 2"][0] == ["Raad voor de Kinderbescherming"]
    assert "Actie 3" in found  # under an action's title, the text is read as before
    assert found["4"] == (["politie"], "commitment", "2028-03-31")  # "Betrokken" parties do not act
    assert found["5"] == (["politie"], "commitment", "2028-12-31")  # the merged cell of the row above; "¹" is a mark
    assert found["6"] == (["minister van Justitie en Veiligheid", "minister van Onderwijs"], "commitment", "2029-12-31")
    # row 7 follows a heading row: no cell above it in its block, and its action names no one
    assert "7" not in found


def test_the_plans_reading_guide_makes_its_involved_parties_act(pipeline, tmp_path) -> None:
    path = tmp_path / "jeugd.md"
    path.write_text(YOUTH_PLAN.replace(
        "de partijen onder Betrokken denken mee zonder verantwoordelijk te zijn voor het resultaat",
        "zowel de trekker als de betrokken partijen zijn verantwoordelijk voor de uitvoering"), encoding="utf-8")
    found = {o.paragraph: o.actors for o in extract_obligations(pipeline, parse_file(path))}
    assert found["4"] == ["politie", "Bureau Halt", "Raad voor de Kinderbescherming"]


@pytest.mark.parametrize("cell, actors", [
    ("minister van Financiën en minister van Justitie en Veiligheid",
     ["minister van Financiën", "minister van Justitie en Veiligheid"]),  # the head noun repeats
    ("LS en minister van Defensie", ["lidstaten", "minister van Defensie"]),  # a whole name, then a body of its own
    ("Ministerie van Justitie en Veiligheid", ["Ministerie van Justitie en Veiligheid"]),
])
def test_a_conjunction_parts_two_bodies_named_by_their_field(parties, cell, actors) -> None:
    assert parties.of_cell(cell) == actors


# Measures written as one paragraph each, their fields labelled inline after the action (a plan of our own).
INLINE_MEASURES = [
    ("Maatregel 3.1", "Registratie van jachthavens",
     "Een landelijk register van jachthavens en hun beheerders opzetten en openbaar maken.",
     [("Trekker", "Rijkswaterstaat"), ("Partners", "Kustwacht"), ("Termijn", "Q3 2027"), ("Voortgang", "gestart in 2026")]),
    ("Maatregel 3.2", "Controles op zee",
     "Het aantal gezamenlijke controles op zee verdubbelen ten opzichte van 2025.",
     [("Trekker", "Kustwacht"), ("Betrokken", "Douane"), ("Termijn", "doorlopend")]),
    ("Maatregel 3.3", "Meldplicht",
     "Een meldplicht invoeren voor de aankomst van pleziervaartuigen uit derde landen.",
     [("Trekker", "minister van Infrastructuur en Waterstaat"), ("Termijn", "binnen zes maanden na vaststelling van dit plan")]),
]


def _inline_plan_paragraphs() -> list[tuple[list[tuple[str, bool]], str]]:
    paragraphs = []
    for number, title, action, fields in INLINE_MEASURES:
        runs = [(f"{number} – {title}.", True), (f" {action}", False)]
        for label, value in fields:
            runs += [(f" {label}:", True), (f" {value}.", False)]
        paragraphs.append(runs)
    return paragraphs


@pytest.mark.parametrize("rendering", ["md", "docx"])
def test_measures_with_their_fields_labelled_inline_are_one_unit_each(pipeline, tmp_path, rendering) -> None:
    intro = ["# Actieplan Veilige Jachthavens 2027-2029", "Den Helder, 2 februari 2027. Dit plan is vastgesteld door de "
             "minister van Infrastructuur en Waterstaat.", "## 3. Toezicht",
             "Elke maatregel noemt een trekker. Onder Betrokken staan diensten die bijdragen maar niet verantwoordelijk zijn."]
    if rendering == "md":
        body = ["".join(f"**{text.strip()}**" if bold else text for text, bold in runs).replace("**", " **").strip()
                for runs in _inline_plan_paragraphs()]
        path = tmp_path / "jachthavens.md"
        path.write_text("\n\n".join(intro + body) + "\n", encoding="utf-8")
    else:
        import docx

        word = docx.Document()
        word.add_heading(intro[0].lstrip("# "), 1)
        word.add_paragraph(intro[1])
        word.add_heading(intro[2].lstrip("# "), 2)
        word.add_paragraph(intro[3])
        for runs in _inline_plan_paragraphs():
            paragraph = word.add_paragraph()
            for text, bold in runs:
                paragraph.add_run(text).bold = bold
        path = tmp_path / "jachthavens.docx"
        word.save(str(path))
    found = {o.paragraph: (o.actors, o.deadline.end if o.deadline else None, o.action)
             for o in extract_obligations(pipeline, parse_file(path))}
    assert found == {
        "Maatregel 3.1": (["Rijkswaterstaat", "Kustwacht"], "2027-09-30",  # Partners act; progress is no deadline
                          "Een landelijk register van jachthavens en hun beheerders opzetten en openbaar maken."),
        "Maatregel 3.2": (["Kustwacht"], None,
                          "Het aantal gezamenlijke controles op zee verdubbelen ten opzichte van 2025."),
        "Maatregel 3.3": (["minister van Infrastructuur en Waterstaat"], "2027-08-02",
                          "Een meldplicht invoeren voor de aankomst van pleziervaartuigen uit derde landen."),
    }


@pytest.mark.parametrize("action, co_actors", [
    ("Samen met de Reclassering een nazorgprogramma opzetten", ["Reclassering"]),
    ("een register opzetten samen met Europol en de lidstaten", ["Europol"]),
    ("samen met gemeenten een aanpak ontwikkelen", ["gemeenten"]),
    ("in samenwerking met de Reclassering een nazorgprogramma opzetten", []),  # a partner, no actor
    ("de samenwerking met Europol versterken", []),
])
def test_an_action_cell_that_acts_together_with_a_party_makes_it_a_co_actor(parties, action, co_actors) -> None:
    assert parties.co_actors(action) == co_actors
