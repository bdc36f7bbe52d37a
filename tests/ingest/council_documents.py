"""Builders of realistic test documents: a Council-style PDF, a Word file and a EUR-Lex-style page.

The PDF imitates a Council document as the Secretariat prints it: a running header, the footer
"10512/24  JAI.1  NL" and a page number on every page, numbered points, footnote marks in a
smaller raised font with their footnotes at the bottom of the page, and words hyphenated at
line ends. The benchmark reuses ``write_council_pdf`` for its 100-page document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

BODY_FONT, BODY_SIZE, LEADING = "Times-Roman", 11, 14
NOTE_SIZE, MARK_SIZE = 8, 7
LEFT, TOP, BOTTOM_NOTES = 72, 760, 110


@dataclass
class PdfPage:
    """One page: wrapped body lines (a "^n" token is footnote mark n) and the page's footnotes."""

    lines: list[str]
    footnotes: list[tuple[str, str]] = field(default_factory=list)


def council_pages(point_offset: int = 0, note_offset: int = 0) -> list[PdfPage]:
    """Three pages of Council conclusions with points, an addressee block, footnotes and hyphenation."""
    n = point_offset
    f = note_offset
    return [
        PdfPage([
            "LIMITE",
            "COSI 98",
            "ENFOPOL 250",
            "RESULTAAT BESPREKINGEN",
            "van: het secretariaat-generaal van de Raad",
            "d.d.: 13 juni 2024",
            "aan: de delegaties",
            "nr. vorig doc.: 9876/24",
            "Betreft: Conclusies van de Raad over de bestrijding van",
            "georganiseerde criminaliteit",
            "DE RAAD VAN DE EUROPESE UNIE,",
            f"{n + 1}. erkennend dat de EU-strategie voor de aanpak van georganiseerde criminaliteit",
            f"(2021-2025)^{f + 1} en de samenwerking tussen de rechtshandhavings-",
            "instanties van de lidstaten een centrale rol vervullen;",
            "verzoekt de Raad de lidstaten:",
            f"{n + 2}. ervoor te zorgen dat de bevoegde autoriteiten van alle EU-",
            "lidstaten informatie delen met Europol^" + str(f + 2) + " en dat de nationale",
            "contactpunten tegen eind 2025 volledig operationeel zijn;",
        ], [(str(f + 1), "Doc. 8085/21 + ADD 1."), (str(f + 2), "Verordening (EU) 2016/794.")]),
        PdfPage([
            f"{n + 3}. de verslaglegging over de uitvoering van deze conclusies jaarlijks te",
            "verbeteren, met inbegrip van:",
            "a) een overzicht van de genomen maatregelen;",
            "b) een beoordeling van de resultaten;",
            "verzoekt de Raad Europol:",
            f"{n + 4}. tegen eind 2024 een specifiek verslag^{f + 3} te publiceren over het gebruik van",
            "legale bedrijfsstructuren door de meest bedreigende criminele netwerken.",
        ], [(str(f + 3), "Doc. 14114/23.")]),
        PdfPage([
            f"{n + 5}. in nauwe samenwerking met Eurojust en de Commissie de methoden voor de",
            "inventarisatie verder te ontwikkelen en daarover te rapporteren aan het COSI.",
        ]),
    ]


def write_council_pdf(path: Path, pages: list[PdfPage], *, footer: str = "10512/24   JAI.1   NL",
                      header: str = "Raad van de Europese Unie") -> Path:
    """A PDF with the given pages, a running header, a footer and page numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number, page in enumerate(pages, 1):
        pdf.setFont(BODY_FONT, 9)
        pdf.drawString(LEFT, 800, header)
        y = TOP
        for line in page.lines:
            _draw_line_with_marks(pdf, line, LEFT, y)
            y -= LEADING
        if page.footnotes:
            pdf.line(LEFT, BOTTOM_NOTES + 14, LEFT + 150, BOTTOM_NOTES + 14)
        note_y = BOTTOM_NOTES
        for label, text in page.footnotes:
            pdf.setFont(BODY_FONT, MARK_SIZE)
            pdf.drawString(LEFT, note_y + 3, label)
            pdf.setFont(BODY_FONT, NOTE_SIZE)
            pdf.drawString(LEFT + 8, note_y, text)
            note_y -= NOTE_SIZE + 3
        pdf.setFont(BODY_FONT, 9)
        pdf.drawString(LEFT, 50, footer)
        pdf.drawRightString(523, 50, str(number))
        pdf.showPage()
    pdf.save()
    return path


def _draw_line_with_marks(pdf, line: str, x: float, y: float) -> None:  # type: ignore[no-untyped-def]
    """Draw a body line; "word^3" draws mark 3 raised in a smaller font after "word"."""
    for index, piece in enumerate(line.split("^")):
        text = piece
        if index > 0:
            label, _, text = piece.partition(" ") if " " in piece else (piece, "", "")
            label_digits = "".join(ch for ch in label if ch.isdigit())
            rest = label[len(label_digits):]
            pdf.setFont(BODY_FONT, MARK_SIZE)
            pdf.drawString(x, y + 4, label_digits)
            x += pdf.stringWidth(label_digits, BODY_FONT, MARK_SIZE)
            text = rest + (" " + text if text else "")
        pdf.setFont(BODY_FONT, BODY_SIZE)
        pdf.drawString(x, y, text)
        x += pdf.stringWidth(text, BODY_FONT, BODY_SIZE)


def write_council_docx(path: Path) -> Path:
    """A Word file with headings, automatic and literal numbered points, a lettered list and a footnote."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("Brussel, 4 december 2023")
    document.add_paragraph("Betreft: Conclusies van de Raad over criminaliteitspreventie")
    document.add_heading("Conclusies van de Raad over criminaliteitspreventie", level=1)
    document.add_heading("Inleiding", level=2)
    document.add_paragraph("VERZOEKT DE LIDSTATEN OM:")
    first = document.add_paragraph("optimaal gebruik te maken van het Europees netwerk inzake criminaliteitspreventie",
                                   style="List Number")
    second = document.add_paragraph("specifieke werkzaamheden uit te voeren, teneinde:", style="List Number")
    document.add_paragraph("a) toezicht te houden op de uitvoering van strategieën;")
    document.add_paragraph("b) activiteiten te ondersteunen;")
    document.add_paragraph("VERZOEKT DE EUROPESE COMMISSIE OM:")
    document.add_paragraph("3. tegen eind 2025 een verslag in te dienen over de vooruitgang.")
    document.add_heading("Slotbepalingen", level=2)
    document.add_paragraph("De Raad zal de uitvoering van deze conclusies in 2026 evalueren.")

    notes_xml = (
        f'<w:footnotes xmlns:w="{_W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">Besluit 2009/902/JBZ van de Raad.</w:t></w:r></w:p></w:footnote>'
        '</w:footnotes>'
    )
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                notes_xml.encode(), document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
    reference = parse_xml(f'<w:r xmlns:w="{_W}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                          '<w:footnoteReference w:id="1"/></w:r>')
    first._p.append(reference)
    assert second._p.find(qn("w:pPr")) is not None
    document.save(str(path))
    return path


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

EURLEX_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Conclusies van de Raad over drugshandel</title></head>
<body>
<p class="oj-doc-ti">Conclusies van de Raad over de bestrijding van drugshandel</p>
<p class="oj-normal">Brussel, 21 november 2025</p>
<p class="oj-ti-grseq-1">Inleiding</p>
<p class="oj-normal">De drugshandel vormt een grote bedreiging<a id="ntc1" href="#ntr1">(<span class="oj-super">1</span>)</a>
voor de veiligheid van de Unie.</p>
<p class="oj-normal">verzoekt de Raad de lidstaten:</p>
<table><tbody>
<tr><td><p class="oj-normal">1.</p></td><td><p class="oj-normal">de samenwerking met Europol te versterken
overeenkomstig Verordening (EU) 2016/794<a id="ntc2" href="#ntr2">(<span class="oj-super">2</span>)</a>;</p></td></tr>
<tr><td><p class="oj-normal">2.</p></td><td><p class="oj-normal">tegen eind 2026 verslag uit te brengen, met inbegrip van:</p></td></tr>
<tr><td><p class="oj-normal">(a)</p></td><td><p class="oj-normal">de genomen maatregelen;</p></td></tr>
</tbody></table>
<p class="oj-ti-grseq-1">Slotbepaling</p>
<p class="oj-normal">De Commissie zal in 2027 de resultaten beoordelen.</p>
<hr class="oj-note">
<p class="oj-note"><a id="ntr1" href="#ntc1">(<span class="oj-super">1</span>)</a> Doc. 14114/23.</p>
<p class="oj-note"><a id="ntr2" href="#ntc2">(<span class="oj-super">2</span>)</a> PB L 135 van 24.5.2016, blz. 53.</p>
</body></html>
"""
