"""Regenerate the default Word templates in this folder.

    python templates/make_templates.py

The .docx files are what rardocs uses and what a secretary opens and restyles
in Word; this script is how a change to them is made reviewable. It writes
``dagsorden.docx``, ``referat.docx``, ``opfoelgningsark.docx`` (landscape) and
``pressemeddelelse.docx`` (A4, Danish, named styles with outline
levels, header with the document title, footer "Side X af Y") with docxtpl tags
for the data described in ``rardocs/documents.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Cm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from rardocs import ooxml
from rardocs.render import normalise_zip

HERE = Path(__file__).resolve().parent
KINDS = ("dagsorden", "referat", "opfoelgningsark", "pressemeddelelse")
# Elements that follow w:themeFontLang in w:settings (ECMA-376 sequence order).
SETTINGS_AFTER_LANG = ("clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
                       "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
                       "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
BLUE = RGBColor(0x1F, 0x3A, 0x5F)


def base_document() -> Document:
    doc = Document()
    package = doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[r_id]
    props = doc.core_properties
    props.author = props.last_modified_by = "rardocs"
    props.comments = props.title = props.subject = props.keywords = ""
    props.created = props.modified = dt.datetime(2022, 1, 1)
    props.revision = 1
    props.language = ooxml.LANGUAGE

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)

    styles = doc.styles
    rpr = styles.element.find(ooxml.qn("w:docDefaults")).find(ooxml.qn("w:rPrDefault")).find(ooxml.qn("w:rPr"))
    for old in rpr.findall(ooxml.qn("w:lang")):
        rpr.remove(old)
    rpr.append(ooxml.element("w:lang", {"w:val": ooxml.LANGUAGE, "w:eastAsia": "en-US", "w:bidi": "ar-SA"}))
    settings = doc.settings.element
    for old in settings.findall(ooxml.qn("w:themeFontLang")):
        settings.remove(old)
    lang = ooxml.element("w:themeFontLang", {"w:val": ooxml.LANGUAGE})
    later = next((el for el in settings if el.tag in {ooxml.qn(f"w:{t}") for t in SETTINGS_AFTER_LANG}), None)
    if later is not None:
        later.addprevious(lang)
    else:
        settings.append(lang)
    # Word 2010's stylesWithEffects copy would disagree with the styles set here.
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[r_id]

    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, before in (("Heading 1", 15, 18), ("Heading 2", 12.5, 14), ("Heading 3", 11, 8), ("Heading 4", 11, 6)):
        style = styles[name]
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = BLUE
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    styles["Title"].font.color.rgb = BLUE
    styles["Title"].font.name = "Calibri"

    label = styles.add_style("Feltnavn", WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = normal
    label.font.bold = True
    label.font.color.rgb = BLUE
    label.paragraph_format.space_before = Pt(8)
    label.paragraph_format.space_after = Pt(2)
    label.paragraph_format.keep_with_next = True
    header_cell = styles.add_style("Tabeloverskrift", WD_STYLE_TYPE.PARAGRAPH)
    header_cell.base_style = normal
    header_cell.font.bold = True
    header_cell.paragraph_format.space_after = Pt(0)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True
    styles["List Paragraph"].paragraph_format.space_after = Pt(3)
    return doc


def header_and_footer(doc: Document) -> None:
    section = doc.sections[0]
    head = section.header.paragraphs[0]
    head.text = "{{ header }}"
    head.style = doc.styles["Header"]
    foot = section.footer.paragraphs[0]
    foot.style = doc.styles["Footer"]
    foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p = foot._p
    p.append(ooxml.run("Side "))
    for r in ooxml.field("PAGE"):
        p.append(r)
    p.append(ooxml.run(" af "))
    for r in ooxml.field("NUMPAGES"):
        p.append(r)


def front_page(doc: Document, *, overview: bool) -> None:
    doc.add_paragraph("{{ council.name }}", style="Title")
    doc.add_paragraph("{{ title }}", style="Subtitle")
    doc.add_paragraph("{{ meeting.weekday_date }} {{ meeting.time }}")
    doc.add_paragraph("{%p if meeting.place %}")
    doc.add_paragraph("Sted: {{ meeting.place }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if meeting.chair %}")
    doc.add_paragraph("Mødeleder: {{ meeting.chair }}")
    doc.add_paragraph("{%p endif %}")
    if overview:
        doc.add_paragraph("Dagsordenens punkter", style="Feltnavn")
        table = doc.add_table(rows=3, cols=3)
        table.style = doc.styles["Table Grid"]
        widths = (Cm(1.6), Cm(12.6), Cm(1.8))
        rows = (("{%tr for item in punkter %}", "", ""),
                ("{{ item.number }}", "{{ item.title }}", "{{ item.kind }}"),
                ("{%tr endfor %}", "", ""))
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = width
        for row, texts in zip(table.rows, rows):
            for cell, text, width in zip(row.cells, texts, widths):
                cell.width = width
                cell.paragraphs[0].text = text
                cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def items(doc: Document) -> None:
    for text, style in (
        ("{%p for section in sections %}", None),
        ("{{ section.heading }}", "Heading 1"),
        ("{%p for item in section.punkter %}", None),
        ("{{ item.number }} {{ item.title }} {{ item.kind }}", "Heading 2"),
        ("{%p if item.closed and not item.fields %}", None),
        ("Lukket punkt", None),
        ("{%p endif %}", None),
        ("{%p for field in item.fields %}", None),
        ("{{ field.label }}", "Feltnavn"),
        ("{{p field.body }}", None),
        ("{%p endfor %}", None),
        ("{%p endfor %}", None),
        ("{%p endfor %}", None),
    ):
        doc.add_paragraph(text, style=style)


def attendance(doc: Document) -> None:
    for text, style in (
        ("På mødet deltog:", "Heading 1"),
        ("{%p for group in attendance %}", None),
        ("{{ group.label }}", "Feltnavn"),
        ("{%p for name in group.names %}", None),
        ("{{ name }}", None),
        ("{%p endfor %}", None),
        ("{%p endfor %}", None),
        ("{%p if meeting.ended %}", None),
        ("Mødet sluttede {{ meeting.ended }}.", None),
        ("{%p endif %}", None),
    ):
        p = doc.add_paragraph(text, style=style)
        if text == "{{ name }}":
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.left_indent = Cm(0.6)


def table(doc: Document, headings, cells, widths) -> None:
    """A table with a repeated header row and one docxtpl row loop."""
    t = doc.add_table(rows=4, cols=len(headings))
    t.style = doc.styles["Table Grid"]
    t.autofit = False
    for column, width in zip(t.columns, widths):
        column.width = Cm(width)
    rows = [headings, [cells[0]] + [""] * (len(headings) - 1), cells[1], ["{%tr endfor %}"] + [""] * (len(headings) - 1)]
    for row, texts in zip(t.rows, rows):
        for cell, text, width in zip(row.cells, texts, widths):
            cell.width = Cm(width)
            p = cell.paragraphs[0]
            p.text = text
            p.paragraph_format.space_after = Pt(0)
            if row is t.rows[0]:
                p.style = doc.styles["Tabeloverskrift"]
    t.rows[0]._tr.get_or_add_trPr().append(ooxml.element("w:tblHeader"))


def followup_sheet(doc: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("{{ council.name }} · {{ meeting.weekday_date }}")
    table_section(doc, "Punkter fra mødet", "rows", "Mødet havde ingen beslutningspunkter.",
                  ["Punkt", "Emne", "Beslutning", "Videre proces / opfølgning", "Ansvarlig", "Frist", "Status"],
                  ["{{ row.number }}", "{{ row.title }}", "{{p row.decision }}", "{{p row.process }}",
                   "{{p row.owners }}", "{{p row.dues }}", "{{p row.statuses }}"],
                  [1.4, 4.0, 6.3, 6.3, 2.8, 2.4, 2.5])
    table_section(doc, "Tidligere punkter under opfølgning", "earlier", "Der er ingen åbne punkter fra tidligere møder.",
                  ["Møde", "Punkt", "Emne", "Opfølgning", "Ansvarlig", "Frist", "Status"],
                  ["{{ row.meeting }}", "{{ row.number }}", "{{ row.title }}", "{{ row.action }}",
                   "{{ row.owner }}", "{{ row.due }}", "{{ row.status }}"],
                  [2.2, 1.4, 5.5, 7.6, 3.0, 2.4, 3.6])


def table_section(doc: Document, heading: str, rows: str, empty: str, headings, cells, widths) -> None:
    """A heading, then a table with a row per entry of ``rows``, or ``empty`` when there are none."""
    doc.add_paragraph(heading, style="Heading 1")
    doc.add_paragraph(f"{{%p if {rows} %}}")
    table(doc, headings, [f"{{%tr for row in {rows} %}}", cells], widths)
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph(empty)
    doc.add_paragraph("{%p endif %}")


def press_release(doc: Document) -> None:
    label = doc.styles.add_style("Etiket", WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = doc.styles["Normal"]
    label.font.bold = True
    label.font.all_caps = True
    label.font.color.rgb = BLUE
    lead = doc.styles.add_style("Manchet", WD_STYLE_TYPE.PARAGRAPH)
    lead.base_style = doc.styles["Normal"]
    lead.font.bold = True
    lead.font.size = Pt(12)
    for text, style in (
        ("{{ label }}", "Etiket"),
        ("{{ date }}", None),
        ("{{ title }}", "Title"),
        ("{{ lead }}", "Manchet"),
        ("{{p body }}", None),
        ("{%p if item.title %}", None),
        ("{{ item.heading }}", "Feltnavn"),
        ("{{p item.decision }}", None),
        ("{%p endif %}", None),
        ("{%p if quote %}", None),
        ("»{{ quote.text }}«", "Quote"),
        ("{{ quote.signature }}", None),
        ("{%p endif %}", None),
        ("{%p if contact %}", None),
        ("Yderligere oplysninger", "Heading 2"),
        ("{%p for line in contact.lines %}", None),
        ("{{ line }}", None),
        ("{%p endfor %}", None),
        ("{%p endif %}", None),
        ("{%p if about %}", None),
        ("{{ about_title }}", "Heading 2"),
        ("{{ about }}", None),
        ("{%p endif %}", None),
    ):
        doc.add_paragraph(text, style=style)


def make(kind: str) -> bytes:
    doc = base_document()
    header_and_footer(doc)
    if kind == "opfoelgningsark":
        followup_sheet(doc)
    elif kind == "pressemeddelelse":
        press_release(doc)
    else:
        front_page(doc, overview=kind == "dagsorden")
        items(doc)
    if kind == "referat":
        attendance(doc)
    # python-docx starts every document with an empty paragraph: drop it.
    body = doc.element.body
    first = body[0]
    if first.tag == ooxml.qn("w:p") and not "".join(first.itertext()):
        body.remove(first)
    import io
    out = io.BytesIO()
    doc.save(out)
    return normalise_zip(out.getvalue(), dt.datetime(2022, 1, 1))


if __name__ == "__main__":
    for kind in KINDS:
        (HERE / f"{kind}.docx").write_bytes(make(kind))
        print(f"skrev templates/{kind}.docx")
