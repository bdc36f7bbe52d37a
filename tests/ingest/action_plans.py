"""Builders of an action plan with action tables, the same plan as Markdown, Word, HTML and PDF.

The plan is written the way EU and national action plans are: an introduction, a list of
abbreviations, and per priority a table ``Nr. | Actie | Verantwoordelijke partijen | Tijdschema |
Indicator`` whose rows are numbered ("1.1"), whose action cells are infinitive phrases, whose
responsible cells hold abbreviations ("LS, COM", "HV/EDEO", "COM (DG HOME)") and whose timetable
cells say "2026", "doorlopend", "tweede helft van 2026", "2026-2027" or "jaarlijks". The PDF sets
the tables with ruling lines (or without, on request) and lets the long table run over a page
break, its header repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

HEADERS = ("Nr.", "Actie", "Verantwoordelijke partijen", "Tijdschema", "Indicator")


@dataclass
class Priority:
    heading: str
    rows: list[tuple[str, str, str, str, str]]


@dataclass
class ActionPlan:
    title: str
    place_date: str
    introduction: list[str]
    abbreviations: list[tuple[str, str]]
    priorities: list[Priority]
    closing: list[str] = field(default_factory=list)
    headers: tuple[str, ...] = HEADERS  # written in this order; rows are (label, action, parties, timetable, indicator)
    order: tuple[int, ...] = (0, 1, 2, 3, 4)  # which row field each column shows
    abbreviations_first: bool = False  # the list before the introduction, as a table
    header_row: bool = True  # False: the action tables have no header row (Markdown puts the first row in its place)

    def cells(self, row: tuple[str, ...]) -> list[str]:
        """A row's cells in the plan's column order."""
        return [row[field] for field in self.order]


def firearms_plan() -> ActionPlan:
    """An action plan against firearms trafficking, 2026-2029."""
    return ActionPlan(
        title="EU-actieplan tegen de illegale handel in vuurwapens 2026-2029",
        place_date="Brussel, 12 maart 2026",
        introduction=[
            "Dit actieplan bouwt voort op de evaluatie van het vorige plan. De Raad heeft het plan op "
            "12 maart 2026 goedgekeurd.",
            "De Commissie zal binnen zes maanden na de goedkeuring van dit actieplan een eerste stand van "
            "zaken opmaken.",
        ],
        abbreviations=[
            ("LS", "lidstaten"),
            ("COM", "Europese Commissie"),
            ("HV", "hoge vertegenwoordiger"),
            ("EDEO", "Europese Dienst voor extern optreden"),
            ("DG HOME", "directoraat-generaal Migratie en Binnenlandse Zaken"),
        ],
        priorities=[
            Priority("Prioriteit 1: Een beter inlichtingenbeeld", [
                ("1.1", "de uitwisseling van inlichtingen over illegale vuurwapens tussen de nationale "
                        "contactpunten voor vuurwapens versterken", "LS, COM, Europol", "2026",
                 "aantal uitgewisselde berichten in 2027"),
                ("1.2", "een gemeenschappelijk risicoprofiel voor postpakketten met wapenonderdelen opstellen",
                 "COM (DG HOME)", "tweede helft van 2026", "profiel vastgesteld"),
                ("1.3", "de gegevens over inbeslagnames jaarlijks aan Europol meedelen", "LS", "jaarlijks",
                 "aantal meldingen"),
                ("1.4", "een analyse van de handel via het darkweb uitvoeren en de resultaten delen met de "
                        "lidstaten", "Europol", "eind 2026", "analyse gedeeld"),
            ]),
            Priority("Prioriteit 2: Samenwerking met derde landen", [
                ("2.1", "de dialoog over vuurwapens met de partners in de Westelijke Balkan voortzetten",
                 "HV/EDEO, COM", "doorlopend", "aantal dialoogbijeenkomsten"),
                ("2.2", "gezamenlijke actiedagen tegen wapenhandel organiseren", "Europol, LS", "2026-2027",
                 "aantal actiedagen"),
                ("2.3", "een opleidingsprogramma voor grenswachters in de buurlanden opzetten", "Frontex, Cepol",
                 "Q3 2027", "aantal opgeleide grenswachters"),
                ("2.4", "de regels voor de uitvoer van vuurwapens evalueren", "COM", "2027, daarna jaarlijks",
                 "evaluatieverslag"),
                ("2.5", "de nationale wetgeving over alarmwapens aan de nieuwe EU-normen aanpassen", "LS",
                 "uiterlijk juni 2027", "aantal aangepaste wetten"),
            ]),
        ],
        closing=["De Commissie zal in 2028 verslag uitbrengen over de uitvoering van dit actieplan."],
    )


def markdown(plan: ActionPlan) -> str:
    """The plan as Markdown with pipe tables."""
    out = [f"# {plan.title}", "", plan.place_date, ""]
    abbreviations = ["## Lijst van afkortingen", "", "| Afkorting | Betekenis |", "| --- | --- |"]
    abbreviations += [f"| {short} | {meaning} |" for short, meaning in plan.abbreviations] + [""]
    if plan.abbreviations_first:
        out += abbreviations
    for paragraph in plan.introduction:
        out += [paragraph, ""]
    if not plan.abbreviations_first:
        out += abbreviations
    for priority in plan.priorities:
        rows = [plan.cells(row) for row in priority.rows]
        header = list(plan.headers) if plan.header_row else rows.pop(0)
        out += [f"## {priority.heading}", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(plan.headers)]
        out += ["| " + " | ".join(row) + " |" for row in rows] + [""]
    for paragraph in plan.closing:
        out += [paragraph, ""]
    return "\n".join(out)


def html(plan: ActionPlan) -> str:
    """The plan as an HTML page with <table> elements."""
    out = [f"<html><head><title>{plan.title}</title></head><body>", f"<h1>{plan.title}</h1>", f"<p>{plan.place_date}</p>"]
    out += [f"<p>{paragraph}</p>" for paragraph in plan.introduction]
    out += ["<h2>Lijst van afkortingen</h2>", "<table><tr><th>Afkorting</th><th>Betekenis</th></tr>"]
    out += [f"<tr><td>{short}</td><td>{meaning}</td></tr>" for short, meaning in plan.abbreviations] + ["</table>"]
    for priority in plan.priorities:
        out += [f"<h2>{priority.heading}</h2>", "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in plan.headers) + "</tr></thead>"]
        out += ["<tr>" + "".join(f"<td>{cell}</td>" for cell in plan.cells(row)) + "</tr>" for row in priority.rows] + ["</table>"]
    out += [f"<p>{paragraph}</p>" for paragraph in plan.closing] + ["</body></html>"]
    return "\n".join(out)


def write_docx(plan: ActionPlan, path: Path) -> Path:
    """The plan as a Word file: heading styles, tables with a repeated header row."""
    import docx
    from docx.oxml import OxmlElement

    word = docx.Document()
    word.add_heading(plan.title, 1)
    word.add_paragraph(plan.place_date)
    if plan.abbreviations_first:
        word.add_heading("Lijst van afkortingen", 2)
        _word_table(word, ("Afkorting", "Betekenis"), plan.abbreviations, OxmlElement)
    for paragraph in plan.introduction:
        word.add_paragraph(paragraph)
    if not plan.abbreviations_first:
        word.add_heading("Lijst van afkortingen", 2)
        _word_table(word, ("Afkorting", "Betekenis"), plan.abbreviations, OxmlElement)
    for priority in plan.priorities:
        word.add_heading(priority.heading, 2)
        _word_table(word, plan.headers if plan.header_row else None, [plan.cells(row) for row in priority.rows], OxmlElement)
    for paragraph in plan.closing:
        word.add_paragraph(paragraph)
    word.save(str(path))
    return path


def _word_table(word, headers, rows, element) -> None:  # type: ignore[no-untyped-def]
    top = 1 if headers else 0
    table = word.add_table(rows=top + len(rows), cols=len(headers or rows[0]))
    table.style = "Table Grid"
    if headers:
        for column, header in enumerate(headers):
            table.cell(0, column).text = header
        table.rows[0]._tr.get_or_add_trPr().append(element("w:tblHeader"))
    for index, row in enumerate(rows, top):
        for column, cell in enumerate(row):
            table.cell(index, column).text = cell


def write_pdf(plan: ActionPlan, path: Path, *, ruled: bool = True, gap_before_tables: float = 0) -> Path:
    """The plan as a PDF set with reportlab: a running footer, tables whose header repeats over a page break.

    ``gap_before_tables`` (points) pushes the action tables down the page, so that another one runs over a
    page break.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body, cell_style = styles["BodyText"], styles["BodyText"].clone("cell", fontSize=9, leading=11)
    story = [Paragraph(plan.title, styles["Heading1"]), Paragraph(plan.place_date, body)]
    style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    abbreviations = [Paragraph("Lijst van afkortingen", styles["Heading2"]),
                     Table([[Paragraph(c, cell_style) for c in ("Afkorting", "Betekenis")]]
                           + [[Paragraph(c, cell_style) for c in row] for row in plan.abbreviations],
                           colWidths=[80, 300], style=TableStyle(style), hAlign="LEFT")]
    introduction = [Paragraph(paragraph, body) for paragraph in plan.introduction]
    story += abbreviations + introduction if plan.abbreviations_first else introduction + abbreviations
    for index, priority in enumerate(plan.priorities):
        story += [Spacer(1, 12 + (gap_before_tables if index == 0 else 0)), Paragraph(priority.heading, styles["Heading2"])]
        data = [[Paragraph(h, cell_style) for h in plan.headers]] if plan.header_row else []
        data += [[Paragraph(c, cell_style) for c in plan.cells(row)] for row in priority.rows]
        widths = [(30, 170, 90, 80, 100)[field] for field in plan.order]
        story.append(Table(data, colWidths=widths, repeatRows=1 if plan.header_row else 0, style=TableStyle(style)))
    story += [Spacer(1, 12)] + [Paragraph(paragraph, body) for paragraph in plan.closing]

    def footer(canvas, _doc) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, 30, "7412/26   JAI.1   NL")
        canvas.drawRightString(523, 30, str(canvas.getPageNumber()))

    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=footer, onLaterPages=footer)
    return path


def drugs_plan() -> ActionPlan:
    """An action plan on drugs whose tables put the timetable before the parties, under French headers, with
    its list of abbreviations (a table) before the introduction and long tables that run over page breaks."""
    return ActionPlan(
        title="Actieplan van de EU inzake drugs 2026-2030",
        place_date="Brussel, 3.6.2026",
        introduction=[
            "Dit actieplan zet de EU-drugsstrategie om in concrete maatregelen. Het EUDA zal in 2027 een "
            "tussentijdse beoordeling van de drugssituatie publiceren.",
            "De lidstaten moeten binnen drie maanden na de vaststelling van dit actieplan een nationaal "
            "aanspreekpunt aanwijzen. Het is van essentieel belang dat de lidstaten hun gegevens over "
            "drugsgerelateerde sterfgevallen jaarlijks aan het EUDA meedelen.",
        ],
        abbreviations=[
            ("LS", "lidstaten"),
            ("COM", "Europese Commissie"),
            ("EUDA", "Drugsagentschap van de Europese Unie"),
            ("NBA", "nationale bureaus voor de ontneming van vermogensbestanddelen"),
            ("DG SANTE", "directoraat-generaal Gezondheid en Voedselveiligheid"),
            ("MAOC-N", "Maritiem Analyse- en Operatiecentrum – Verdovende middelen"),
        ],
        priorities=[
            Priority("Prioriteit 1 – Aanbodbeperking", [
                ("1.1", "de samenwerking tussen havens bij de controle van containers met cocaïne uitbreiden",
                 "LS, Europol", "Q1 2027", "aantal gecontroleerde containers in 2027"),
                ("1.2", "een risicoanalyse van nieuwe synthetische opioïden uitvoeren en de resultaten aan de "
                        "lidstaten meedelen", "EUDA, Europol", "uiterlijk 31.12.2026", "analyse gepubliceerd"),
                ("1.3", "de inbeslagname van criminele vermogens in drugszaken opvoeren", "LS (NBA)",
                 "doorlopend", "waarde van de inbeslagnames in 2028 ten opzichte van 2025"),
                ("1.4", "maritieme operaties tegen drugssmokkel op de Atlantische route coördineren",
                 "MAOC-N, LS", "2026-2028", "aantal gecoördineerde operaties"),
                ("1.5", "een voorstel tot wijziging van de regels voor drugsprecursoren indienen", "COM",
                 "binnen zes maanden na de vaststelling van dit actieplan", "voorstel ingediend"),
                ("1.6", "de opleiding van douanepersoneel in de herkenning van precursoren verbeteren",
                 "Cepol, LS", "2027, daarna jaarlijks", "aantal opgeleide douaniers"),
            ]),
            Priority("Prioriteit 2 – Vraagbeperking en schadebeperking", [
                ("2.1", "de kwaliteitsnormen voor preventieprogramma's actualiseren", "COM (DG SANTE), EUDA",
                 "tweede helft van 2027", "geactualiseerde normen"),
                ("2.2", "de beschikbaarheid van naloxon in alle lidstaten waarborgen", "LS",
                 "eind 2027", "aantal lidstaten met ruime beschikbaarheid van naloxon"),
                ("2.3", "een Europees systeem voor vroegtijdige waarschuwing voor drugsgebruik in gevangenissen "
                        "opzetten", "EUDA, met steun van de Commissie", "halfjaarlijks",
                 "aantal waarschuwingen"),
                ("2.4", "de monitoring van afvalwater uitbreiden tot alle hoofdsteden van de Unie", "EUDA/LS",
                 "2028", "aantal deelnemende steden in 2028"),
                ("2.5", "ervoor zorgen dat behandelcentra toegang hebben tot de Europese richtsnoeren",
                 "LS", "permanent", "aantal behandelcentra"),
            ]),
        ],
        closing=["De Commissie wil in 2029 de uitvoering van dit actieplan evalueren."],
        headers=("N°", "Mesure", "Calendrier", "Responsable(s)", "Indicateur"),
        order=(0, 1, 3, 2, 4),
        abbreviations_first=True,
    )


# What each row of ``drugs_plan`` asks, written by hand: label -> (actors, deadline end, recurrence).
DRUGS_PLAN_ROWS = {
    "1.1": (["lidstaten", "Europol"], "2027-03-31", None),
    "1.2": (["EUDA", "Europol"], "2026-12-31", None),
    "1.3": (["lidstaten"], None, None),
    "1.4": (["MAOC-N", "lidstaten"], "2028-12-31", None),
    "1.5": (["Commissie"], "2026-12-03", None),
    "1.6": (["Cepol", "lidstaten"], "2027-12-31", "P1Y"),
    "2.1": (["Commissie", "EUDA"], "2027-12-31", None),
    "2.2": (["lidstaten"], "2027-12-31", None),
    "2.3": (["EUDA"], None, "P6M"),
    "2.4": (["EUDA", "lidstaten"], "2028-12-31", None),
    "2.5": (["lidstaten"], None, None),
}
