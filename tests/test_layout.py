"""Layout a secretary sends unchanged: the opfølgningsark's action table, the front page
with the item overview, run-in field labels, lists, tables, links and Word details.

Structure is checked in the .docx (rows, ``w:tblHeader``, ``w:cantSplit``, styles);
what only shows on paper (pages, what lands on page 1, rows that never straddle a
page) is checked in the PDF LibreOffice makes.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from docxdump import dump, q
from rardocs import build
from rardocs.markdown import Styles, WordWriter

COUNCIL = "rar-oestjylland"
SHEET = "{date}/{date} Opfølgningsark RAR Østjylland.{suffix}"


def _xml(path: Path, part: str = "word/document.xml"):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(q("w:t")))


def _cell(tc) -> str:
    """A cell's paragraphs, a space between them."""
    return " ".join(" ".join(_text(p).split()) for p in tc.findall(q("w:p")) if _text(p).strip())


@pytest.fixture(scope="module")
def pdf_output(example_pdf_output) -> Path:
    return example_pdf_output / COUNCIL


def pages(pdf: Path) -> list[str]:
    """The text of each page, words joined by single spaces."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


# --- opfølgningsark ---------------------------------------------------------------------


def _tables(path: Path):
    return _xml(path).findall(f".//{q('w:tbl')}")


def _rows(table) -> list[list[str]]:
    return [[_text(tc) for tc in tr.findall(q("w:tc"))] for tr in table.findall(q("w:tr"))]


def test_sheet_has_one_row_per_action_grouped_by_item(example_output):
    sheet = example_output / COUNCIL / SHEET.format(date="2022-11-28", suffix="docx")
    own, carried = _tables(sheet)
    rows = _rows(own)
    assert rows[0] == ["Punkt", "Handling", "Ansvarlig", "Frist", "Status"]
    # A group row (number, then the title across the other columns), then its actions.
    assert rows[1] == ["2.1", "Overordnet strategi 2022–2026 – endelig godkendelse"]
    assert rows[2][0] == "" and len(rows[2]) == 5
    assert rows[2][1:4] == ["Den godkendte overordnede strategi 2022–2026 offentliggøres på Rådets hjemmeside",
                            "Sekretariatet", "15.12.2022"]
    groups = [row[0] for row in rows[1:] if row[0]]
    assert groups == ["2.1", "2.2"]  # only items that set actions going
    # The decision is not repeated: the referat has it.
    assert "Rådet godkendte" not in " ".join(" ".join(row) for row in rows)
    carried_rows = _rows(carried)
    assert carried_rows[0] == ["Møde", "Punkt", "Handling", "Ansvarlig", "Frist", "Status"]
    assert carried_rows[1][:2] == ["29.09.2022", "0.1"]


def test_sheet_tables_have_a_repeated_shaded_header_and_rows_that_never_split(example_output):
    sheet = example_output / COUNCIL / SHEET.format(date="2022-09-29", suffix="docx")
    for table in _tables(sheet):
        rows = table.findall(q("w:tr"))
        header = rows[0]
        assert header.find(f"{q('w:trPr')}/{q('w:tblHeader')}") is not None
        assert all(tc.find(f"{q('w:tcPr')}/{q('w:shd')}") is not None for tc in header.findall(q("w:tc")))
        assert all(r.find(q("w:b")) is not None or r.find(q("w:rStyle")) is not None
                   for r in header.iter(q("w:rPr"))) or header.find(f".//{q('w:pStyle')}").get(q("w:val")) == "Tabeloverskrift"
        assert all(tr.find(f"{q('w:trPr')}/{q('w:cantSplit')}") is not None for tr in rows)
        # Dates never wrap.
        frist = [_text(tc) for tc in header.findall(q("w:tc"))].index("Frist")
        for tr in rows[1:]:
            cells = tr.findall(q("w:tc"))
            if len(cells) == len(header.findall(q("w:tc"))):
                assert cells[frist].find(f"{q('w:tcPr')}/{q('w:noWrap')}") is not None


def test_seed_sheet_fits_two_landscape_pages_and_no_row_straddles_a_page(pdf_output):
    pdf = pdf_output / SHEET.format(date="2022-09-29", suffix="pdf")
    text = pages(pdf)
    assert len(text) <= 2
    docx = pdf_output / SHEET.format(date="2022-09-29", suffix="docx")
    for table in _tables(docx):
        for tr in table.findall(q("w:tr"))[1:]:
            paragraphs = [" ".join(_text(p).split()) for p in tr.iter(q("w:p"))]
            on = [{n for n, page in enumerate(text) if paragraph in page} for paragraph in paragraphs if len(paragraph) > 12]
            assert set.intersection(*on), f"row {paragraphs!r} is split across pages"


def test_overdue_is_marked_in_words_not_colour(example_output):
    lines = dump(example_output / COUNCIL / SHEET.format(date="2022-11-28", suffix="docx")).splitlines()
    overdue = [line for line in lines if "Frist overskredet" in line]
    assert overdue, lines
    row = next(line for line in lines if "Sekretariatet laver opsamling på Rådets drøftelser" in line)
    assert row.endswith("Frist overskredet |") and "20.10.2022" in row
    # Bold (the Strong character style), which survives printing in black and white.
    xml = _xml(example_output / COUNCIL / SHEET.format(date="2022-11-28", suffix="docx"))
    run = next(r for r in xml.iter(q("w:r")) if _text(r) == "Frist overskredet")
    assert run.find(f"{q('w:rPr')}/{q('w:rStyle')}").get(q("w:val")) == "Strong"


def test_a_meeting_without_actions_says_so_in_one_line(project):
    assert "followup:" not in "".join(p.read_text(encoding="utf-8") for p in project.rglob("*.md"))
    result = build(project)
    sheet = next(p for p in result.written if "Opfølgningsark" in p.name)
    lines = dump(sheet).splitlines()
    assert "[Normal] Mødet satte ingen handlinger i gang." in lines
    assert "[Normal] Ingen handlinger fra tidligere møder er åbne." in lines
    assert not [line for line in lines if line.startswith("| ")]


# --- front page and item body --------------------------------------------------------------


def test_referat_first_page_carries_the_meeting_and_the_whole_overview(pdf_output):
    first = pages(pdf_output / "2022-09-29/2022-09-29 Referat RAR Østjylland.pdf")[0]
    assert first.startswith("Referat af møde i RAR Østjylland Tid: Torsdag den 29. september 2022 kl. 13.00–16.05")
    assert "Sted: Arbejdsmarkedskontor Midt-Nord, Aarhus Mødeleder: Jesper Thorup Dagsordenens punkter" in first
    for text in ("Nr.", "Kategori", "0. TEMA", "3. Gensidig orientering", "3.6 Eventuelt (O)"):
        assert text in first
    key = first.index("B = beslutning · O = orientering · D = drøftelse")
    assert first.index("Sagen kort:") > key  # the items follow on the same page: no forced page break
    assert first.count("RAR Østjylland") == 1


def test_overview_category_never_wraps(example):
    table = _tables(example["dagsorden"])[0]
    for tr in table.findall(q("w:tr")):
        cells = tr.findall(q("w:tc"))
        if len(cells) == 3:
            assert cells[2].find(f"{q('w:tcPr')}/{q('w:noWrap')}") is not None


def test_field_labels_run_in_with_a_hanging_indent(example):
    xml = _xml(example["referat"])
    styles = _xml(example["referat"], "word/styles.xml")
    indent = next(s for s in styles.iter(q("w:style")) if s.get(q("w:styleId")) == "Felttekst") \
        .find(f"{q('w:pPr')}/{q('w:ind')}").get(q("w:left"))
    paragraph = next(p for p in xml.iter(q("w:p")) if _text(p).startswith("Sagen kort:Rådet udpegede"))
    runs = paragraph.findall(q("w:r"))
    assert _text(runs[0]) == "Sagen kort:" and runs[0].find(f"{q('w:rPr')}/{q('w:rStyle')}").get(q("w:val")) == "Feltetiket"
    assert runs[1].find(q("w:tab")) is not None
    ind = paragraph.find(f"{q('w:pPr')}/{q('w:ind')}")
    assert ind.get(q("w:left")) == ind.get(q("w:hanging")) == indent
    # The field's later paragraphs and lists sit at the same indent.
    follows = paragraph.getnext()
    while follows is not None and not _text(follows).startswith("Indstilling:"):
        follows = follows.getnext()
    lettered = follows.getnext()
    assert lettered.find(f".//{q('w:numPr')}") is not None
    assert int(lettered.find(f"{q('w:pPr')}/{q('w:ind')}").get(q("w:left"))) > int(indent)


def test_lists_have_space_after_them_and_none_between_items(example):
    styles = _xml(example["referat"], "word/styles.xml")
    for name in ("ListParagraph", "ListBullet"):
        style = next(s for s in styles.iter(q("w:style")) if s.get(q("w:styleId")) == name)
        ppr = style.find(q("w:pPr"))
        assert ppr.find(q("w:contextualSpacing")) is not None
        assert int(ppr.find(q("w:spacing")).get(q("w:after"))) >= 120


def test_a_paragraph_continuing_a_list_item_is_indented_with_it():
    from docx import Document
    doc = Document()
    writer = WordWriter(doc.part, doc.part.numbering_part.element, Styles(field_text=None, field_label=None))
    blocks = writer.markdown("- Første punkt\n\n    fortsætter her\n\n- Andet punkt", indent=600)
    first, more = blocks[0], blocks[1]
    left = first.find(f"{q('w:pPr')}/{q('w:ind')}").get(q("w:left"))
    assert more.find(f"{q('w:pPr')}/{q('w:numPr')}") is None
    assert more.find(f"{q('w:pPr')}/{q('w:ind')}").get(q("w:left")) == left


def test_web_addresses_do_not_break_at_their_hyphens(example):
    xml = _xml(example["referat"])
    link = next(h for h in xml.iter(q("w:hyperlink")) if "rar-bm.dk/rar-oestjylland/nyheder" in "".join(
        t.text or "-" for t in h.iter(q("w:t"), q("w:noBreakHyphen"))))
    assert link.find(f".//{q('w:noBreakHyphen')}") is not None
    assert "-" not in _text(link)


def test_markdown_tables_are_sized_to_content_with_numbers_right():
    from docx import Document
    doc = Document()
    writer = WordWriter(doc.part, doc.part.numbering_part.element, Styles(field_text=None, field_label=None), width=9000)
    table, spacer = writer.markdown("| Kommune | Ledige |\n|---|---|\n| Aarhus | 1.754 |\n| Randers | 812 |")
    header = table.find(q("w:tr"))
    assert header.find(f"{q('w:trPr')}/{q('w:tblHeader')}") is not None
    assert all(tc.find(f"{q('w:tcPr')}/{q('w:shd')}") is not None for tc in header.findall(q("w:tc")))
    widths = [int(c.get(q("w:w"))) for c in table.find(q("w:tblGrid"))]
    assert sum(widths) < 9000  # as wide as the text, not the page
    numbers = [tr.findall(q("w:tc"))[1] for tr in table.findall(q("w:tr"))]
    assert all(tc.find(f".//{q('w:jc')}").get(q("w:val")) == "right" for tc in numbers)
    names = [tr.findall(q("w:tc"))[0] for tr in table.findall(q("w:tr"))]
    assert all(tc.find(f".//{q('w:jc')}") is None for tc in names)
    assert spacer.tag == q("w:p") and not _text(spacer)  # a little space after the table


# --- Word details ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["2022-09-29/2022-09-29 Dagsorden RAR Østjylland.docx",
                                  "2022-09-29/2022-09-29 Referat RAR Østjylland.docx",
                                  "2022-11-28/2022-11-28 Opfølgningsark RAR Østjylland.docx",
                                  "presse/2022-09-30 Pressemeddelelse positivlisten.docx"])
def test_word_details(example_output, name):
    path = example_output / COUNCIL / name
    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode()
        settings = etree.fromstring(z.read("word/settings.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
        document = etree.fromstring(z.read("word/document.xml"))
    assert "<Application>rardocs</Application>" in app and "Microsoft" not in app
    # Word must underline typos: the text is not marked as already checked.
    assert settings.find(q("w:proofState")) is None
    assert settings.find(q("w:decimalSymbol")).get(q("w:val")) == ","
    assert settings.find(q("w:listSeparator")).get(q("w:val")) == ";"
    # No US Letter tab stops: every tab stop of the header and footer lies within the text width.
    section = document.find(f"{q('w:body')}/{q('w:sectPr')}")
    size, margins = section.find(q("w:pgSz")), section.find(q("w:pgMar"))
    width = int(size.get(q("w:w"))) - int(margins.get(q("w:left"))) - int(margins.get(q("w:right")))
    for style in styles.iter(q("w:style")):
        if style.get(q("w:styleId")) in ("Header", "Footer"):
            positions = [int(t.get(q("w:pos"))) for t in style.iter(q("w:tab"))]
            assert positions and max(positions) == width, (style.get(q("w:styleId")), positions, width)
    names = {s.get(q("w:styleId")): s.find(q("w:name")).get(q("w:val")) for s in styles.iter(q("w:style"))}
    assert names["Heading1"] == "heading 1" and names["ListParagraph"] == "List Paragraph"


def test_press_release_headline_is_a_heading_1(example_output):
    lines = dump(example_output / COUNCIL / "presse/2022-09-30 Pressemeddelelse positivlisten.docx").splitlines()
    body = [line for line in lines if line.startswith("[")]
    headings = [line for line in body if line.startswith("[Heading")]
    assert headings[0].startswith("[Heading1] ")
    assert not any(line.startswith("[Title]") for line in body)


@pytest.mark.parametrize("name", ["2022-09-29/2022-09-29 Dagsorden RAR Østjylland.docx",
                                  "2022-11-28/2022-11-28 Referat RAR Østjylland.docx",
                                  "2022-11-28/2022-11-28 Opfølgningsark RAR Østjylland.docx",
                                  "presse/2022-09-30 Pressemeddelelse positivlisten.docx"])
def test_openxml_validator_finds_no_errors(example_output, name):
    validator = pytest.importorskip("openxml_audit").OpenXmlValidator()
    result = validator.validate(str(example_output / COUNCIL / name))
    assert [str(e) for e in result.errors] == []
