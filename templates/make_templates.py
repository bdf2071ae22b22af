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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
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
GREY = RGBColor(0x59, 0x59, 0x59)
#: The hanging indent of a field's run-in label ("Sagsfremstilling:" fits) and of the meeting facts.
FIELD_INDENT = Cm(3.3)
FACT_INDENT = Cm(2.6)
#: Light fills for header rows and group rows of tables (readable in black and white).
HEADER_FILL = ooxml.HEADER_FILL
GROUP_FILL = "F2F2F2"


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
    # Danish separators, and no "spelling already checked" mark: Word must check the text.
    for proof in settings.findall(ooxml.qn("w:proofState")):
        settings.remove(proof)
    settings.find(ooxml.qn("w:decimalSymbol")).set(ooxml.qn("w:val"), ",")
    settings.find(ooxml.qn("w:listSeparator")).set(ooxml.qn("w:val"), ";")
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
    styles["Title"].font.size = Pt(22)
    styles["Title"].font.name = "Calibri"

    field_text = styles.add_style("Felttekst", WD_STYLE_TYPE.PARAGRAPH)
    field_text.base_style = normal
    field_text.paragraph_format.left_indent = FIELD_INDENT
    field_label = styles.add_style("Feltetiket", WD_STYLE_TYPE.CHARACTER)
    field_label.font.bold = True
    field_label.font.color.rgb = BLUE
    facts = styles.add_style("Mødeoplysning", WD_STYLE_TYPE.PARAGRAPH)
    facts.base_style = normal
    facts.paragraph_format.left_indent = FACT_INDENT
    facts.paragraph_format.first_line_indent = -FACT_INDENT
    facts.paragraph_format.tab_stops.add_tab_stop(FACT_INDENT)
    facts.paragraph_format.space_after = Pt(2)
    key = styles.add_style("Forklaring", WD_STYLE_TYPE.PARAGRAPH)
    key.base_style = normal
    key.font.size = Pt(9)
    key.font.color.rgb = GREY
    key.paragraph_format.space_before = Pt(3)
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
    for name in ("List Paragraph", "List Bullet"):
        # No space between the items of a list (contextual spacing), a line's worth after it.
        styles[name].paragraph_format.space_after = Pt(6)
    return doc


def header_and_footer(doc: Document, marking: bool) -> None:
    """The running header (not on the first page, which has the title; there only
    ``marking``, an internal version's mark) and "Side X af Y"."""
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    for name in ("Header", "Footer"):
        tabs = doc.styles[name].paragraph_format.tab_stops
        for stop in list(tabs):
            tabs._pPr.tabs.remove(stop._tab)
        tabs.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
        tabs.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    section.different_first_page_header_footer = True
    head = section.header.paragraphs[0]
    head.text = "{{ header }}"
    head.style = doc.styles["Header"]
    first = section.first_page_header.paragraphs[0]
    first.style = doc.styles["Header"]
    if marking:
        first.text = "{{ marking }}"
    for footer in (section.footer, section.first_page_footer):
        foot = footer.paragraphs[0]
        foot.style = doc.styles["Footer"]
        foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p = foot._p
        p.append(ooxml.run("Side "))
        for r in ooxml.field("PAGE"):
            p.append(r)
        p.append(ooxml.run(" af "))
        for r in ooxml.field("NUMPAGES"):
            p.append(r)


def fact(doc: Document, label: str, value: str) -> None:
    """A line of the meeting block: "Tid:" and its value at the tab."""
    p = doc.add_paragraph(style="Mødeoplysning")
    p.add_run(label, style="Feltetiket")
    p.add_run("\t" + value)


def loop_table(doc: Document, headings, widths, rows) -> None:
    """A table with a header row (bold, shaded, repeated on each page) and docxtpl rows.

    ``rows``: each a list of cell texts (a cell's lines become paragraphs; a
    ``(text, style)`` pair styles one) or ``("group", texts)``: a row of
    bold texts on a light fill, its last text spanning the remaining columns,
    kept with the row after it. No row splits across pages; columns whose width
    is given as ``(width, True)`` never wrap (dates, categories).
    """
    widths = [w if isinstance(w, tuple) else (w, False) for w in widths]
    table = doc.add_table(rows=1 + len(rows), cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    for column, (width, _) in zip(table.columns, widths):
        column.width = Cm(width)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(ooxml.element("w:cantSplit"))
        for cell, (width, nowrap) in zip(row.cells, widths):
            cell.width = Cm(width)
            if nowrap:
                _cell_property(cell, ooxml.element("w:noWrap"))
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(ooxml.element("w:tblHeader"))
    for cell, text in zip(header.cells, headings):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = doc.styles["Tabeloverskrift"]
        _fill(cell, HEADER_FILL)
    for row, texts in zip(table.rows[1:], rows):
        group = texts[0] == "group"
        if group:
            texts = texts[1]
            cells = row.cells
            if len(texts) < len(cells):
                cells[len(texts) - 1].merge(cells[-1])
            for cell in _distinct(row.cells):
                _fill(cell, GROUP_FILL)
        for cell, text in zip(_distinct(row.cells), texts):
            lines = text if isinstance(text, list) else [text]
            for index, line in enumerate(lines):
                line, style = line if isinstance(line, tuple) else (line, None)
                p = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                run = p.add_run(line, style=style)
                run.bold = True if group else None
                p.paragraph_format.space_after = Pt(2)
                p.paragraph_format.keep_with_next = group or None


def _fill(cell, fill: str) -> None:
    _cell_property(cell, ooxml.element("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill}))


#: The order of a cell's properties (ECMA-376 CT_TcPr).
TC_PR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
               "textDirection", "tcFitText", "vAlign", "hideMark")


def _cell_property(cell, new) -> None:
    """Add ``new`` to the cell's properties where the schema puts it."""
    tc_pr = cell._tc.get_or_add_tcPr()
    rank = TC_PR_ORDER.index(new.tag.split("}")[1])
    later = next((el for el in tc_pr if TC_PR_ORDER.index(el.tag.split("}")[1]) > rank), None)
    if later is not None:
        later.addprevious(new)
    else:
        tc_pr.append(new)


def _distinct(cells):
    """A row's cells with a merged cell once (python-docx repeats it per grid column)."""
    seen = []
    for cell in cells:
        if not any(cell._tc is other._tc for other in seen):
            seen.append(cell)
    return seen


def front_page(doc: Document) -> None:
    """The title, the meeting block and the item overview grouped by section."""
    doc.add_paragraph("{{ title }}", style="Title")
    fact(doc, "Tid:", "{{ meeting.when }}")
    doc.add_paragraph("{%p if meeting.place %}")
    fact(doc, "Sted:", "{{ meeting.place }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if meeting.chair %}")
    fact(doc, "Mødeleder:", "{{ meeting.chair }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("Dagsordenens punkter", style="Heading 1")
    loop_table(doc, ["Nr.", "Punkt", "Kategori"], [1.5, 11.8, (2.7, True)], [
        ["{%tr for section in sections %}"],
        ("group", ["{{ section.heading }}"]),
        ["{%tr for item in section.punkter %}"],
        ["{{ item.number }}", "{{ item.title }}", "{{ item.kind }}"],
        ["{%tr endfor %}"],
        ["{%tr endfor %}"],
    ])
    doc.add_paragraph("{{ key }}", style="Forklaring")


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
        ("{{p field.text }}", None),
        ("{%p endfor %}", None),
        ("{%p endfor %}", None),
        ("{%p endfor %}", None),
    ):
        doc.add_paragraph(text, style=style)


def attendance(doc: Document) -> None:
    """"Mødet sluttede" where the council puts it, who attended, and who sent apologies."""
    def ended(position: str) -> None:
        doc.add_paragraph(f'{{%p if meeting.ended and layout.ended == "{position}" %}}')
        doc.add_paragraph("Mødet sluttede {{ meeting.ended }}.").paragraph_format.space_before = Pt(12)
        doc.add_paragraph("{%p endif %}")

    ended("before_attendance")
    doc.add_paragraph("På mødet deltog:", style="Heading 1")
    doc.add_paragraph("{%p for group in attendance %}")
    doc.add_paragraph("{%p if group.inline %}")
    p = doc.add_paragraph(style="Feltnavn")
    p.add_run("{{ group.label }}")
    p.add_run(" {{ group.names[0] }}").bold = False
    p.runs[1].font.color.rgb = RGBColor(0, 0, 0)
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("{{ group.label }}", style="Feltnavn")
    doc.add_paragraph("{%p for name in group.names %}")
    doc.add_paragraph("{{ name }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if absent %}")
    doc.add_paragraph("{{ absent.label }}", style="Heading 1")
    doc.add_paragraph("{%p for name in absent.names %}")
    doc.add_paragraph("{{ name }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    ended("after_attendance")


def landscape(doc: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)


def followup_sheet(doc: Document) -> None:
    """One row per action, grouped under its item; then the earlier meetings' open actions."""
    doc.add_paragraph("{{ title }}", style="Title")
    doc.add_paragraph("Status pr. {{ status_date }}.")
    action = [["{{ action.action }}", "{%p if action.note %}", ("{{ action.note }}", "Emphasis"), "{%p endif %}"],
              "{{ action.owner }}", "{{ action.due }}",
              ["{{ action.status }}", "{%p if action.overdue %}", ("{{ action.overdue_text }}", "Strong"), "{%p endif %}"]]
    doc.add_paragraph("Handlinger fra mødet", style="Heading 1")
    doc.add_paragraph("{%p if items %}")
    loop_table(doc, ["Punkt", "Handling", "Ansvarlig", "Frist", "Status"], [1.6, 13.4, 4.4, (2.4, True), 3.9], [
        ["{%tr for item in items %}"],
        ("group", ["{{ item.number }}", "{{ item.title }}"]),
        ["{%tr for action in item.actions %}"],
        ["", *action],
        ["{%tr endfor %}"],
        ["{%tr endfor %}"],
    ])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Mødet satte ingen handlinger i gang.")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("Handlinger fra tidligere møder, som ikke er afsluttet", style="Heading 1")
    doc.add_paragraph("{%p if carried %}")
    loop_table(doc, ["Møde", "Punkt", "Handling", "Ansvarlig", "Frist", "Status"],
               [(2.4, True), 1.6, 11.0, 4.4, (2.4, True), 3.9], [
        ["{%tr for item in carried %}"],
        ("group", ["{{ item.meeting }}", "{{ item.number }}", "{{ item.title }}"]),
        ["{%tr for action in item.actions %}"],
        ["", "", *action],
        ["{%tr endfor %}"],
        ["{%tr endfor %}"],
    ])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Ingen handlinger fra tidligere møder er åbne.")
    doc.add_paragraph("{%p endif %}")


def press_release(doc: Document) -> None:
    headline = doc.styles["Heading 1"]  # the headline: the document's one Heading 1
    headline.font.size = Pt(20)
    headline.paragraph_format.space_before = Pt(12)
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
        ("{{ title }}", "Heading 1"),
        ("{{ lead }}", "Manchet"),
        ("{{p body }}", None),
        ("{%p if decision %}", None),
        ("»{{ decision.text }}«", "Quote"),
        ("{{ decision.attribution }}", None),
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
    if kind == "opfoelgningsark":
        landscape(doc)
    header_and_footer(doc, marking=kind != "pressemeddelelse")
    if kind == "opfoelgningsark":
        followup_sheet(doc)
    elif kind == "pressemeddelelse":
        press_release(doc)
    else:
        front_page(doc)
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
