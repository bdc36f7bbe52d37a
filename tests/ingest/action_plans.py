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
    objective_rows: bool = False  # one table, each priority a row in it: its number, then its heading merged across

    def tables(self) -> list[tuple[str, list[tuple[str, ...]]]]:
        """The action tables: (the heading above it, its rows); with objective rows, one table, whose objective rows
        are (number, heading) and whose action rows come below their objective."""
        if not self.objective_rows:
            return [(priority.heading, list(priority.rows)) for priority in self.priorities]
        rows: list[tuple[str, ...]] = []
        for number, priority in enumerate(self.priorities, 1):
            rows += [(str(number), priority.heading), *priority.rows]
        return [("Maatregelen per doel", rows)]

    def cells(self, row: tuple[str, ...]) -> list[str]:
        """A row's cells in the plan's column order; an objective row is its number and its heading."""
        if len(row) == 2:
            return list(row)
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
    for heading, table in plan.tables():
        # Markdown merges no cells: an objective row is its number and heading, the other cells empty.
        rows = [plan.cells(row) + [""] * (len(plan.headers) - len(row)) for row in table]
        header = list(plan.headers) if plan.header_row else rows.pop(0)
        out += [f"## {heading}", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(plan.headers)]
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
    for heading, table in plan.tables():
        out += [f"<h2>{heading}</h2>", "<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in plan.headers) + "</tr></thead>"]
        for row in table:
            cells = [f"<td>{cell}</td>" for cell in plan.cells(row)]
            if len(cells) < len(plan.headers):  # an objective row: its heading across the other columns
                cells[-1] = cells[-1].replace("<td>", f'<td colspan="{len(plan.headers) - len(cells) + 1}">')
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
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
    for heading, table in plan.tables():
        word.add_heading(heading, 2)
        _word_table(word, plan.headers if plan.header_row else None, [plan.cells(row) for row in table], OxmlElement)
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
        if len(row) < len(table.columns):  # an objective row: its heading merged across the other columns
            table.cell(index, len(row) - 1).merge(table.cell(index, len(table.columns) - 1))


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
    for index, (heading, table) in enumerate(plan.tables()):
        story += [Spacer(1, 12 + (gap_before_tables if index == 0 else 0)), Paragraph(heading, styles["Heading2"])]
        data = [[Paragraph(h, cell_style) for h in plan.headers]] if plan.header_row else []
        spans = []
        for row in table:
            cells = plan.cells(row)
            if len(cells) < len(plan.headers):  # an objective row: its heading one cell across the other columns
                spans.append(("SPAN", (len(cells) - 1, len(data)), (-1, len(data))))
                cells += [""] * (len(plan.headers) - len(cells))
            data.append([Paragraph(c, cell_style) for c in cells])
        widths = [(30, 170, 90, 80, 100)[field] for field in plan.order]
        story.append(Table(data, colWidths=widths, repeatRows=1 if plan.header_row else 0, style=TableStyle(style + spans)))
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


def cultural_goods_plan() -> ActionPlan:
    """A Commission annex against trafficking in cultural goods: French headers over Dutch cells, one table whose
    objectives are numbered rows with their heading merged across the table, timetable cells in the French codes of
    such annexes ("T3 2027" a quarter, "S2 2026" a half-year, "puis annuel", "en continu") and a deadline counted
    from the plan's adoption without naming the plan ("binnen negen maanden na aanneming")."""
    return ActionPlan(
        title="Bijlage bij de mededeling over de bestrijding van de handel in cultuurgoederen 2026-2028",
        place_date="Brussel, 14 april 2026",
        introduction=["De Commissie heeft dit actieplan op 14 april 2026 aangenomen. De onderstaande tabel geeft per "
                      "doel de maatregelen, wie ze trekt en wanneer ze klaar moeten zijn."],
        abbreviations=[("LS", "lidstaten"), ("COM", "Europese Commissie")],
        priorities=[
            Priority("Doel 1 – Zicht op de illegale handel in cultuurgoederen", [
                ("1.1", "een gemeenschappelijke databank van gestolen cultuurgoederen opzetten", "COM, Interpol",
                 "T3 2027", "databank in gebruik in alle LS"),
                ("1.2", "de registratie van inbeslagnames van archeologische voorwerpen harmoniseren", "LS",
                 "S2 2026, puis annuel", "aantal geregistreerde inbeslagnames"),
                ("1.3", "een analyse van de verkoop van cultuurgoederen via onlineplatforms uitvoeren", "Europol",
                 "début 2027", "analyse gedeeld met de LS"),
                ("1.4", "douanepersoneel opleiden in de herkenning van geplunderde voorwerpen", "Cepol, LS",
                 "en continu", "aantal opgeleide douaniers in 2028"),
            ]),
            Priority("Doel 2 – Samenwerking met de kunstmarkt en met derde landen", [
                ("2.1", "een gedragscode voor handelaars en veilinghuizen opstellen", "COM",
                 "binnen negen maanden na aanneming", "gedragscode bekendgemaakt"),
                ("2.2", "gezamenlijke controles op kunstbeurzen organiseren", "LS, Europol", "annuel",
                 "aantal gecontroleerde beurzen"),
                ("2.3", "de uitwisseling van gegevens met de douane van derde landen verbeteren", "COM, LS",
                 "T1-T2 2028", "aantal uitgewisselde meldingen"),
                ("2.4", "de invoerregels van de Unie voor cultuurgoederen evalueren", "COM", "mi-2028",
                 "evaluatieverslag"),
            ]),
        ],
        headers=("N°", "Mesure", "Pilote", "Échéance", "Résultat attendu"),
        objective_rows=True,
    )


# What each row of ``cultural_goods_plan`` asks, written by hand: label -> (actors, deadline end, recurrence).
CULTURAL_GOODS_ROWS = {
    "1.1": (["Commissie", "Interpol"], "2027-09-30", None),
    "1.2": (["lidstaten"], "2026-12-31", "P1Y"),
    "1.3": (["Europol"], "2027-03-31", None),
    "1.4": (["Cepol", "lidstaten"], None, None),
    "2.1": (["Commissie"], "2027-01-14", None),
    "2.2": (["lidstaten", "Europol"], None, "P1Y"),
    "2.3": (["Commissie", "lidstaten"], "2028-06-30", None),
    "2.4": (["Commissie"], "2028-07-31", None),
}


def money_laundering_plan() -> ActionPlan:
    """A Council action plan against money laundering through real estate: German headers over Dutch cells, rows
    labelled by part and number ("A.1", "B.3"), timetable cells in German ("1. Quartal 2027", "2. Halbjahr 2026",
    "Ende 2027", "jährlich", "laufend")."""
    return ActionPlan(
        title="Actieplan van de Raad tegen het witwassen van geld via vastgoed 2026-2028",
        place_date="Brussel, 9 juni 2026",
        introduction=["De lidstaten en de Commissie voeren de maatregelen van de onderstaande tabellen uit; de Raad "
                      "bespreekt de voortgang elk jaar."],
        abbreviations=[("LS", "lidstaten"), ("COM", "Europese Commissie"), ("FIE", "financiële inlichtingeneenheden")],
        priorities=[
            Priority("Deel A – Inzicht in de risico's", [
                ("A.1", "een risicoanalyse van contante betalingen in de vastgoedsector opstellen", "COM",
                 "1. Quartal 2027", "analyse gedeeld met de LS"),
                ("A.2", "de meldingen van ongebruikelijke transacties door notarissen verbeteren", "LS, FIE",
                 "2. Halbjahr 2026", "aantal meldingen in 2027"),
                ("A.3", "de registers van uiteindelijk begunstigden van vastgoedvennootschappen bijwerken", "LS",
                 "laufend", "aandeel bijgewerkte inschrijvingen"),
            ]),
            Priority("Deel B – Opsporing en vervolging", [
                ("B.1", "gezamenlijke onderzoeken naar witwasnetwerken in de vastgoedsector ondersteunen",
                 "Europol, Eurojust", "jährlich", "aantal ondersteunde onderzoeken"),
                ("B.2", "een handboek voor financieel onderzoek naar vastgoed opstellen", "Cepol", "Ende 2027",
                 "handboek gepubliceerd"),
                ("B.3", "de toegang van de FIE tot de kadasters van de lidstaten uitbreiden", "COM, LS", "Mitte 2028",
                 "aantal aangesloten kadasters"),
                ("B.4", "verslag uitbrengen over de uitvoering van dit actieplan", "COM", "III. Quartal 2028",
                 "verslag aan de Raad"),
            ]),
        ],
        headers=("Lfd. Nr.", "Maßnahme", "Federführung", "Frist", "Ergebnis"),
    )


# What each row of ``money_laundering_plan`` asks, written by hand: label -> (actors, deadline end, recurrence).
MONEY_LAUNDERING_ROWS = {
    "A.1": (["Commissie"], "2027-03-31", None),
    "A.2": (["lidstaten", "financiële inlichtingeneenheden"], "2026-12-31", None),
    "A.3": (["lidstaten"], None, None),
    "B.1": (["Europol", "Eurojust"], None, "P1Y"),
    "B.2": (["Cepol"], "2027-12-31", None),
    "B.3": (["Commissie", "lidstaten"], "2028-07-31", None),
    "B.4": (["Commissie"], "2028-09-30", None),
}


@dataclass
class FieldMeasure:
    """A measure set out field by field under a heading of its own ("Mesure 1.1 – ...")."""

    number: str
    title: str
    fields: list[tuple[str, str]]  # (label, value) in the order written
    as_table: bool = False  # a two-column table, its labels in bold, instead of one paragraph per field


@dataclass
class FieldPlan:
    """An action plan whose measures are blocks of labelled fields, not rows of a table of actions."""

    title: str
    place_date: str
    introduction: list[str]
    measures: list[FieldMeasure]
    measure_word: str = "Mesure"
    label_suffix: str = " :"  # French typography puts a space before the colon


def wildlife_plan() -> FieldPlan:
    """A Brussels implementation plan against wildlife trafficking whose measures are field blocks under French labels
    (Mesure / Pilote / Partenaires / Échéance / Budget / Indicateur): the first three as bold label lines, the last
    three as two-column tables whose label column is bold and which have no header row. A partner "(en soutien)" only
    supports; the budget and indicator fields hold years and amounts that are no deadlines."""
    def fields(action: str, lead: str, partners: str, due: str, budget: str, indicator: str) -> list[tuple[str, str]]:
        return [("Mesure", action), ("Pilote", lead), ("Partenaires", partners), ("Échéance", due), ("Budget", budget),
                ("Indicateur", indicator)]

    return FieldPlan(
        title="Uitvoeringsplan tegen de illegale handel in wilde dieren en planten 2026-2028",
        place_date="Brussel, 4 mei 2026",
        introduction=["De Commissie en de lidstaten hebben dit plan op 4 mei 2026 vastgesteld. Elke maatregel vermeldt "
                      "wie haar trekt, wie meewerkt en wanneer zij klaar moet zijn."],
        measures=[
            FieldMeasure("1.1", "Gemeenschappelijke risicoprofielen", fields(
                "gemeenschappelijke risicoprofielen voor zendingen van beschermde soorten opstellen en delen met de "
                "douane", "COM", "LS; Europol (en soutien)", "T2 2027", "200 000 euro in 2026",
                "aantal gedeelde profielen in 2028")),
            FieldMeasure("1.2", "Opleiding van inspecteurs", fields(
                "inspecteurs van luchthavens en havens opleiden in de herkenning van beschermde soorten", "Cepol",
                "LS", "fin 2026", "binnen de bestaande middelen", "aantal opgeleide inspecteurs per jaar")),
            FieldMeasure("1.3", "Toezicht op onlinehandel", fields(
                "het toezicht op de verkoop van beschermde soorten via onlineplatforms versterken", "LS", "—",
                "en continu", "/", "aantal verwijderde advertenties")),
            FieldMeasure("2.1", "Financiële onderzoeken", fields(
                "parallelle financiële onderzoeken instellen in zaken van handel in wilde dieren", "LS",
                "Europol, Eurojust", "T4 2026, puis annuel", "/", "aantal financiële onderzoeken in 2027"), as_table=True),
            FieldMeasure("2.2", "Samenwerking met derde landen", fields(
                "de samenwerking met de landen van herkomst in Afrika en Azië uitbreiden", "HV/EDEO",
                "COM; Interpol (en soutien)", "2027-2028", "1,5 miljoen euro", "aantal gezamenlijke operaties"),
                as_table=True),
            FieldMeasure("2.3", "Evaluatie", fields(
                "verslag uitbrengen over de uitvoering van dit plan", "COM", "—",
                "binnen zes maanden na de goedkeuring van dit plan", "/", "verslag aan de Raad"), as_table=True),
        ],
    )


# What each measure of ``wildlife_plan`` asks, written by hand: label -> (actors, deadline end, recurrence).
WILDLIFE_PLAN_MEASURES = {
    "Mesure 1.1": (["Commissie", "lidstaten"], "2027-06-30", None),
    "Mesure 1.2": (["Cepol", "lidstaten"], "2026-12-31", None),
    "Mesure 1.3": (["lidstaten"], None, None),
    "Mesure 2.1": (["lidstaten", "Europol", "Eurojust"], "2026-12-31", "P1Y"),
    "Mesure 2.2": (["hoge vertegenwoordiger", "EDEO", "Commissie"], "2028-12-31", None),
    "Mesure 2.3": (["Commissie"], "2026-11-04", None),
}


def field_plan_markdown(plan: FieldPlan) -> str:
    """Bold label lines ending in a hard line break; a field table's first field stands where Markdown wants a header."""
    out = [f"# {plan.title}", "", plan.place_date, ""]
    for paragraph in plan.introduction:
        out += [paragraph, ""]
    for measure in plan.measures:
        out += [f"## {plan.measure_word} {measure.number} – {measure.title}", ""]
        if measure.as_table:
            (label, value), *rest = measure.fields
            out += [f"| **{label}** | {value} |", "| --- | --- |"] + [f"| **{l}** | {v} |" for l, v in rest]
        else:
            out += [f"**{label}{plan.label_suffix}** {value}  " for label, value in measure.fields]
        out.append("")
    return "\n".join(out)


def field_plan_html(plan: FieldPlan) -> str:
    out = [f"<html><head><title>{plan.title}</title></head><body>", f"<h1>{plan.title}</h1>", f"<p>{plan.place_date}</p>"]
    out += [f"<p>{paragraph}</p>" for paragraph in plan.introduction]
    for measure in plan.measures:
        out.append(f"<h2>{plan.measure_word} {measure.number} – {measure.title}</h2>")
        if measure.as_table:
            out += ["<table>"] + [f"<tr><td><b>{l}</b></td><td>{v}</td></tr>" for l, v in measure.fields] + ["</table>"]
        else:
            out += [f"<p><b>{l}{plan.label_suffix}</b> {v}</p>" for l, v in measure.fields]
    return "\n".join(out + ["</body></html>"])


def write_field_plan_docx(plan: FieldPlan, path: Path) -> Path:
    """Headings, a paragraph per field with its label in a bold run, or a two-column table without a header row."""
    import docx

    word = docx.Document()
    word.add_heading(plan.title, 1)
    word.add_paragraph(plan.place_date)
    for paragraph in plan.introduction:
        word.add_paragraph(paragraph)
    for measure in plan.measures:
        word.add_heading(f"{plan.measure_word} {measure.number} – {measure.title}", 2)
        if measure.as_table:
            table = word.add_table(rows=len(measure.fields), cols=2)
            table.style = "Table Grid"
            for index, (label, value) in enumerate(measure.fields):
                table.cell(index, 0).paragraphs[0].add_run(label).bold = True
                table.cell(index, 1).text = value
            continue
        for label, value in measure.fields:
            paragraph = word.add_paragraph()
            paragraph.add_run(f"{label}{plan.label_suffix}").bold = True
            paragraph.add_run(f" {value}")
    word.save(str(path))
    return path


def write_field_plan_pdf(plan: FieldPlan, path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    story = [Paragraph(plan.title, styles["Heading1"]), Paragraph(plan.place_date, body)]
    story += [Paragraph(paragraph, body) for paragraph in plan.introduction]
    for measure in plan.measures:
        story.append(Paragraph(f"{plan.measure_word} {measure.number} – {measure.title}", styles["Heading2"]))
        if measure.as_table:
            data = [[Paragraph(f"<b>{l}</b>", body), Paragraph(v, body)] for l, v in measure.fields]
            story += [Table(data, colWidths=[90, 360], style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                                                         ("VALIGN", (0, 0), (-1, -1), "TOP")])),
                      Spacer(1, 8)]
        else:
            story += [Paragraph(f"<b>{l}{plan.label_suffix}</b> {v}", body) for l, v in measure.fields]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def port_roadmap() -> ActionPlan:
    """A Council roadmap against criminal infiltration of inland ports: one table under English headers with a
    status column (``Ref. | Measure | Lead | Deadline | Status``) over Dutch cells. Rows marked "dropped",
    "withdrawn" or "Dropped." as the whole measure are no measures any more; "completed" and "delayed to ..." rows
    still are, and a status's date is no deadline; a "(continued)" row carries on the row above it."""
    return ActionPlan(
        title="Routekaart tegen criminele infiltratie in binnenhavens 2026-2028",
        place_date="Brussel, 22 juni 2026",
        introduction=["De Raad heeft deze routekaart op 22 juni 2026 goedgekeurd. De kolom 'Status' geeft de stand "
                      "van de uitvoering op 1 juni 2026."],
        abbreviations=[("LS", "lidstaten"), ("COM", "Europese Commissie")],
        priorities=[
            Priority("Deel 1 – Toegang tot havens", [
                ("1.1", "een gemeenschappelijke lijst van beveiligde zones in binnenhavens opstellen", "COM, LS",
                 "Q4 2026", "ongoing"),
                ("1.2", "de betrouwbaarheid van personeel met toegang tot beveiligde zones periodiek toetsen", "LS",
                 "end of 2027", "delayed to Q1 2028"),
                ("1.3", "een Europees toegangspasje voor havenpersoneel invoeren", "COM", "2027",
                 "dropped (merged into 1.2)"),
                ("1.4", "Dropped.", "", "", ""),
            ]),
            Priority("Deel 2 – Informatie en opsporing", [
                ("2.1", "een netwerk van contactpunten voor binnenhavens opzetten", "Europol", "Q1 2026", "completed"),
                ("2.2", "gezamenlijke controles uitvoeren op containerterminals langs de Rijn en de Donau,", "LS",
                 "annually", "ongoing"),
                ("(continued)", "met deelname van de douane van de betrokken derde landen", "and Frontex", "", ""),
                ("2.3", "een studie naar witwassen via havenlogistiek uitvoeren", "COM", "first half of 2027",
                 "withdrawn"),
                ("2.4", "verslag uitbrengen aan de Raad over de uitvoering van deze routekaart", "COM",
                 "second half of 2027", "not started"),
            ]),
        ],
        closing=[],
        headers=("Ref.", "Measure", "Lead", "Deadline", "Status"),
    )


# What each row of ``port_roadmap`` asks, written by hand: label -> (actors, deadline end, recurrence). Rows 1.3, 1.4
# and 2.3 were dropped; the "(continued)" line adds Frontex to 2.2.
PORT_ROADMAP_ROWS = {
    "1.1": (["Commissie", "lidstaten"], "2026-12-31", None),
    "1.2": (["lidstaten"], "2027-12-31", None),
    "2.1": (["Europol"], "2026-03-31", None),
    "2.2": (["lidstaten", "Frontex"], None, "P1Y"),
    "2.4": (["Commissie"], "2027-12-31", None),
}
