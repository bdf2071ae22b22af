"""rardocs.importer.word: a Word document read back into blocks (issue 12).

The example archive's own referat (built from a copy, see conftest's ``example_output``)
gives styles, numbering, hyperlinks and tables as rardocs writes them; small documents
made here with python-docx give what other programs write (nested lists, tracked
changes, merged cells, fields); broken and encrypted files give Danish errors.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from rardocs.importer.blocks import Block, ImportFault
from rardocs.importer.word import read_docx

W = nsdecls("w")
WR = nsdecls("w", "r")


# -- the example referat -------------------------------------------------------------


@pytest.fixture(scope="module")
def referat(example_output) -> list[Block]:
    path = example_output / "rar-oestjylland" / "2022-09-29" / "2022-09-29 Referat RAR Østjylland.docx"
    return read_docx(path)


@pytest.fixture(scope="module")
def referat_november(example_output) -> list[Block]:
    path = example_output / "rar-oestjylland" / "2022-11-28" / "2022-11-28 Referat RAR Østjylland.docx"
    return read_docx(path)


def following(blocks: list[Block], text: str, exact: bool = False) -> list[Block]:
    """The blocks after the first whose text starts with (or is) ``text``."""
    for i, block in enumerate(blocks):
        if block.text == text or not exact and block.text.startswith(text):
            return blocks[i + 1:]
    raise AssertionError(f"no block starts with {text!r}")


def test_title_and_headings(referat):
    assert referat[0] == Block("heading", "Referat af møde i RAR Østjylland", "afsnit 1", level=0)
    headings = [(b.level, b.text) for b in referat if b.kind == "heading"]
    assert (1, "1. RAR’s interne forhold") in headings
    assert (2, "2.1 Justering af positivlisten for regional uddannelsespulje pr. 1. oktober 2022 (B)") in headings
    assert (1, "På mødet deltog:") in headings
    # every item's heading, in order
    items = [text.split()[0] for level, text in headings if level == 2]
    assert items == ["0.1", "0.2", "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]


def test_where_counts_body_paragraphs_and_tables(referat):
    assert [b.where for b in referat[:6]] == ["afsnit 1", "afsnit 2", "afsnit 3", "afsnit 4", "afsnit 5", "tabel 1"]
    paragraphs = [int(b.where.split()[1]) for b in referat if b.where.startswith("afsnit")]
    assert paragraphs == sorted(paragraphs) and len(set(paragraphs)) == len(paragraphs)


def test_lettered_indstilling_of_item_0_1(referat):
    # content/…/0.1-unge.md: "a. Drøfter …" / "b. Godkender …" under "## Indstilling",
    # which the referat writes as a list numbered lowerLetter "%1."
    after = following(referat, "**Indstilling:** Formandskabet indstiller, at Rådet:")
    assert after[:2] == [
        Block("list", "Drøfter indspil til videre handling på ungeområdet", after[0].where, level=0, marker="a."),
        Block("list", "Godkender at der arbejdes videre med de skitserede samarbejdsinitiativer", after[1].where,
              level=0, marker="a."),
    ]
    assert after[2].kind == "para" and after[2].text.startswith("**Beslutning:**")


def test_upper_letter_lists(referat):
    # 0.2's Indstilling "A. …", 1.3's Sagsfremstilling "A) …"
    after = following(referat, "**Sagen kort:** Temadrøftelsen handler om")
    assert [(b.kind, b.marker) for b in after[1:3]] == [("list", "A."), ("list", "A.")]
    after = following(referat, "**Sagsfremstilling:**", exact=True)  # 1.3: the label on its own line before a list
    assert after[0].marker == "A)" and after[0].text.startswith("Rådets repræsentation til møder med SIRI")


def test_continuation_paragraph_of_a_list_entry(referat):
    # 1.3: "A) Rådets repræsentation …" has a second paragraph (indented in Markdown)
    after = following(referat, "Rådets repræsentation til møder med SIRI")
    assert after[0].kind == "para" and after[0].level == 0
    assert after[0].text.startswith("Tidligere praksis (jævnfør")
    assert after[1].marker == "A)"


def test_bullets_and_numbers(referat):
    after = following(referat, "Analysen bidrager til:")
    bullets = after[:4]
    assert all(b.kind == "list" and b.marker == "-" and b.level == 0 for b in bullets)
    assert bullets[1].text == 'At konkretisere og "sætte ansigt" på de udfordringer, som de unge har'
    assert after[4].kind == "para"
    numbered = [b for b in referat if b.kind == "list" and b.marker == "1."]
    assert [b.text[:40] for b in numbered] == ["At understøtte virksomhedernes vækst ved",
                                               "At skabe balance på arbejdsmarkedet, og "]


def test_hyperlinks(referat):
    texts = [b.text for b in referat]
    # 1.2: "<https://rar-bm.dk/…/moeder/>" in the content, its own address in the document
    assert ("**Sagsfremstilling:** Referat af Rådets møde den 21. juni 2022 er offentliggjort på Rådets "
            "hjemmeside: https://rar-bm.dk/rar-oestjylland/om-rar-oestjylland/moeder/") in texts
    # 0.1: the address is written with non-breaking hyphens, read as "-"
    assert any(t.endswith("https://www.rar-bm.dk/rar-oestjylland/beskaeftigelsespolitik/"
                          "faelles-ambition-paa-ungeomraadet-rar-oestjylland/") for t in texts)
    # 2.3: a link with its own text
    assert ("[Midtvejsevaluering af a-kasseforsøg offentliggjort (bm.dk)](https://bm.dk/nyheder-presse/nyheder/"
            "2022/06/midtvejsevaluering-af-a-kasseforsoeg-offentliggjort/)") in texts
    # 2.2: "www.jobindsats.dk" typed bare stays as the reader saw it
    assert any("Nye målinger på www.jobindsats.dk giver" in t for t in texts)


def test_overview_table(referat):
    table = referat[5]
    assert table.kind == "table" and table.where == "tabel 1"
    assert table.rows[0] == ["Nr.", "Punkt", "Kategori"]  # a bold header cell is not marked bold
    assert table.rows[1] == ["0. TEMA"] * 3  # a section's row spans the three columns
    assert table.rows[2] == ["0.1", ("TEMA: De unge uden uddannelse og beskæftigelse – viden om gruppen, "
                                     "potentialer og indspil til RAR’s videre indsats"), "(B + oplæg)"]
    assert ["2.1", "Justering af positivlisten for regional uddannelsespulje pr. 1. oktober 2022", "(B)"] in table.rows
    assert table.rows[-1] == ["3.6", "Eventuelt", "(O)"]
    assert len(table.rows) == 1 + 4 + 14


def test_markdown_table_of_the_content(referat_november):
    # content/…/2022-11-28/2.2-indsatsark.md has a Markdown table
    tables = [b for b in referat_november if b.kind == "table"]
    assert len(tables) == 2
    assert tables[1].rows == [
        ["Indsats", "Ansvarlig", "Tidsplan"],
        ["Unge: job først og fælles ungearrangement med Region Midtjylland, KKR Midtjylland og RAR Vestjylland",
         "Formandskabet og Sekretariatet", "2023"],
        [("Opkvalificering og fastholdelse: positivlisten for den regionale uddannelsespulje og partnerskaber "
          "om opkvalificering"), "Sekretariatet", "1. april og 1. oktober 2023"],
        ["Udenlandsk arbejdskraft: dialogmøder med SIRI og STAR om positivlisten for faglært arbejdskraft",
         "Formandskabet og Sagsudvalgets formand", "Fire gange årligt"],
        ["Formidling af resultater: pressemeddelelser, nyheder og Vores Arbejdsmarked", "Sekretariatet", "Løbende"],
    ]


def test_bold_labels_and_bold_text_stay_apart(referat):
    # 3.4: the label "Sagsfremstilling:" then a bold paragraph "**Partnerskaber …**"
    assert ("**Sagsfremstilling:** **Partnerskaber for ukrainere i jobs - Status på ukrainere med ophold efter "
            "særloven i Østjylland**") in [b.text for b in referat]


def test_every_line_of_the_content_is_read(referat):
    """Each paragraph of the items' Markdown is found in the blocks (markup aside)."""
    import re

    from conftest import EXAMPLE

    def plain(text: str) -> str:
        text = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1", text)
        return " ".join(re.sub(r"[*<>]|https://", "", text).split())

    read = " ".join(plain(b.words()) for b in referat)
    for item in sorted((EXAMPLE / "content" / "rar-oestjylland" / "2022-09-29").glob("[0-9]*.md")):
        body = item.read_text(encoding="utf-8").split("---", 2)[2]
        for line in body.splitlines():
            line = plain(re.sub(r"^\s*(#+|- |[a-zA-Z0-9][.)] )", "", line))
            assert line in read, (item.name, line)


# -- documents made here -------------------------------------------------------------


def save(document, tmp_path: Path, name: str = "test.docx") -> Path:
    path = tmp_path / name
    document.save(path)
    return path


def add_numbering(document, levels: list[tuple[str, str]]) -> int:
    """A list definition with ``levels`` of (numFmt, lvlText); returns its numId."""
    numbering = document.part.numbering_part.element
    abstract_id = 90 + len(numbering.findall(qn("w:abstractNum")))
    num_id = 90 + len(numbering.findall(qn("w:num")))
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(levels))
    abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    numbering.insert(len(numbering.findall(qn("w:abstractNum"))), abstract)  # abstractNums before nums
    numbering.append(parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def numbered(document, text: str, num_id: int, ilvl: int, style: str = "List Paragraph"):
    p = document.add_paragraph(text, style=style)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def test_nested_lists_by_level(tmp_path):
    document = docx.Document()
    bullets = add_numbering(document, [("bullet", "\u2022"), ("bullet", "o")])
    letters = add_numbering(document, [("lowerLetter", "%1)"), ("decimal", "%2)"), ("upperLetter", "%3.")])
    document.add_paragraph("Før listen")
    numbered(document, "Første", bullets, 0)
    numbered(document, "Under første", bullets, 1)
    numbered(document, "Andet", bullets, 0)
    document.add_paragraph("")
    numbered(document, "Bogstav", letters, 0)
    numbered(document, "Tal", letters, 1)
    numbered(document, "Stort bogstav", letters, 2)
    blocks = read_docx(save(document, tmp_path))
    assert [(b.kind, b.text, b.level, b.marker) for b in blocks] == [
        ("para", "Før listen", 0, ""),
        ("list", "Første", 0, "-"), ("list", "Under første", 1, "-"), ("list", "Andet", 0, "-"),
        ("list", "Bogstav", 0, "a)"), ("list", "Tal", 1, "1)"), ("list", "Stort bogstav", 2, "A."),
    ]
    assert [b.where for b in blocks] == ["afsnit 1", "afsnit 2", "afsnit 3", "afsnit 4", "afsnit 6", "afsnit 7",
                                         "afsnit 8"]


def test_nested_lists_by_style(tmp_path):
    """Word's own "List Bullet" and "List Bullet 2" are lists of one level each,
    numbered through the style: the second, indented further, is nested."""
    document = docx.Document()
    document.add_paragraph("Et", style="List Bullet")
    document.add_paragraph("Under et", style="List Bullet 2")
    document.add_paragraph("To", style="List Bullet")
    document.add_paragraph("Første", style="List Number")
    blocks = read_docx(save(document, tmp_path))
    assert [(b.text, b.level, b.marker) for b in blocks] == [
        ("Et", 0, "-"), ("Under et", 1, "-"), ("To", 0, "-"), ("Første", 0, "1.")]


def test_numbering_off_and_continuation(tmp_path):
    document = docx.Document()
    bullets = add_numbering(document, [("bullet", "\u2022"), ("bullet", "o")])
    numbered(document, "Punkt", bullets, 0)
    numbered(document, "Underpunkt", bullets, 1)
    further = document.add_paragraph("Mere om underpunktet", style="List Paragraph")
    further.paragraph_format.left_indent = docx.shared.Twips(1440)
    numbered(document, "Ikke nummereret", 0, 0)  # numId 0: numbering off
    blocks = read_docx(save(document, tmp_path))
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        ("list", "Punkt", 0), ("list", "Underpunkt", 1), ("para", "Mere om underpunktet", 1),
        ("para", "Ikke nummereret", 0)]


def test_headings(tmp_path):
    document = docx.Document()
    document.add_heading("Titlen", level=0)
    document.add_heading("Afsnit", level=1)
    document.add_heading("Punkt", level=2)
    document.add_heading("Dybere", level=4)
    styles = document.styles.element
    styles.append(parse_xml(f'<w:style {W} w:type="paragraph" w:styleId="Overskrift1"><w:name w:val="Overskrift 1"/>'
                            f'<w:basedOn w:val="Normal"/></w:style>'))
    styles.append(parse_xml(f'<w:style {W} w:type="paragraph" w:styleId="Punktoverskrift">'
                            f'<w:name w:val="Punktoverskrift"/><w:basedOn w:val="Heading2"/></w:style>'))
    document.add_paragraph("Dansk", style="Overskrift 1")
    document.add_paragraph("Afledt", style="Punktoverskrift")
    blocks = read_docx(save(document, tmp_path))
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        ("heading", "Titlen", 0), ("heading", "Afsnit", 1), ("heading", "Punkt", 2), ("heading", "Dybere", 4),
        ("heading", "Dansk", 1), ("heading", "Afledt", 2)]


def test_numbered_headings_get_their_number(tmp_path):
    document = docx.Document()
    outline = add_numbering(document, [("decimal", "%1."), ("decimal", "%1.%2")])
    numbered(document, "Interne forhold", outline, 0, style="Heading 1")
    numbered(document, "Dagsorden", outline, 1, style="Heading 2")
    numbered(document, "Referater", outline, 1, style="Heading 2")
    numbered(document, "Orientering", outline, 0, style="Heading 1")
    numbered(document, "Formandskabet", outline, 1, style="Heading 2")
    numbered(document, "Som tal i teksten", outline, 1, style="Normal")  # 2.2: no Markdown list
    blocks = read_docx(save(document, tmp_path))
    assert [(b.kind, b.text, b.level) for b in blocks] == [
        ("heading", "1. Interne forhold", 1), ("heading", "1.1 Dagsorden", 2), ("heading", "1.2 Referater", 2),
        ("heading", "2. Orientering", 1), ("heading", "2.1 Formandskabet", 2), ("para", "2.2 Som tal i teksten", 0)]


def test_bold_italic_and_spaces(tmp_path):
    document = docx.Document()
    p = document.add_paragraph("Rådet ")
    p.add_run("godkendte").bold = True
    p.add_run(" ")
    p.add_run("begge").bold = True
    p.add_run(" forslag ")
    p.add_run("uden ").italic = True  # a space inside the italic run goes outside the marker
    p.add_run("ændringer").italic = True
    run = p.add_run(" og ")
    run.bold = True
    p.add_run("meget").bold = True
    run = p.add_run(" vigtigt")
    run.bold = run.italic = True
    p.add_run(".")
    blank = document.add_paragraph("før")
    blank.add_run("   ").bold = True  # white space only: no markers
    blank.add_run("\tefter")
    strong = document.add_paragraph("Et ")
    strong.add_run("stærkt", style="Strong")
    strong.add_run(" ord")
    blocks = read_docx(save(document, tmp_path))
    assert [b.text for b in blocks] == [
        "Rådet **godkendte** **begge** forslag *uden ændringer* **og meget *vigtigt***.",
        "før efter",
        "Et **stærkt** ord",
    ]


def test_inline_characters(tmp_path):
    document = docx.Document()
    p = document.add_paragraph()
    p._p.append(parse_xml(
        f'<w:r {W}><w:t xml:space="preserve">Arbejds\u00admarked</w:t><w:tab/><w:t>RAR</w:t><w:noBreakHyphen/>'
        f'<w:t>BM</w:t><w:br/><w:t>ny linje</w:t><w:br w:type="page"/><w:softHyphen/><w:t xml:space="preserve">'
        f' slut</w:t><w:footnoteReference w:id="1"/></w:r>'))
    hidden = p.add_run(" skjult")
    hidden.font.hidden = True
    blocks = read_docx(save(document, tmp_path))
    assert [b.text for b in blocks] == ["Arbejdsmarked RAR-BM ny linje slut"]


def hyperlink(paragraph, url: str, text: str) -> None:
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    paragraph._p.append(parse_xml(
        f'<w:hyperlink {WR} r:id="{rid}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
        f'<w:t xml:space="preserve">{text}</w:t></w:r></w:hyperlink>'))


def test_hyperlinks_made_here(tmp_path):
    document = docx.Document()
    p = document.add_paragraph("Se ")
    hyperlink(p, "https://bm.dk/nyheder/", "nyheden hos BM")
    p.add_run(" og ")
    hyperlink(p, "https://www.rar-bm.dk/", "www.rar-bm.dk")  # its own address, without https:// and /
    p.add_run(" og ")
    hyperlink(p, "https://star.dk", "https://star.dk/")
    p.add_run(".")
    bold_link = document.add_paragraph()
    hyperlink(bold_link, "https://example.org/a", "Et ")
    run = bold_link._p.findall(qn("w:hyperlink"))[0]
    run.append(parse_xml(f'<w:r {W}><w:rPr><w:b/></w:rPr><w:t>vigtigt</w:t></w:r>'))
    run.append(parse_xml(f'<w:r {W}><w:t xml:space="preserve"> link </w:t></w:r>'))
    anchor = document.add_paragraph()
    anchor._p.append(parse_xml(f'<w:hyperlink {W} w:anchor="punkt1"><w:r><w:t>punkt 1</w:t></w:r></w:hyperlink>'))
    blocks = read_docx(save(document, tmp_path))
    assert [b.text for b in blocks] == [
        "Se [nyheden hos BM](https://bm.dk/nyheder/) og www.rar-bm.dk og https://star.dk/.",
        "[Et **vigtigt** link](https://example.org/a)",
        "punkt 1",  # a link inside the document: its text
    ]


def test_fields(tmp_path):
    document = docx.Document()
    p = document.add_paragraph("Side ")

    def field(paragraph, instr: str, result: str) -> None:
        for xml in (f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
                    f'<w:r {W}><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>',
                    f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
                    f'<w:r {W}><w:t>{result}</w:t></w:r>',
                    f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'):
            paragraph._p.append(parse_xml(xml))

    field(p, "PAGE", "3")
    p.add_run(" af referatet. Læs ")
    field(p, 'HYPERLINK "https://bm.dk/aftale.pdf" \\o "Aftalen"', "aftalen")
    p.add_run(" og ")
    field(p, 'HYPERLINK "https://bm.dk/"', "https://bm.dk")
    p.add_run(" fra ")
    field(p, 'DATE \\@ "d. MMMM yyyy"', "29. september 2022")
    q = document.add_paragraph("Enkelt felt: ")
    q._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" NUMPAGES "><w:r><w:t>12</w:t></w:r></w:fldSimple>'))
    q._p.append(parse_xml(f'<w:fldSimple {W} w:instr=\' HYPERLINK "https://star.dk/" \'><w:r><w:t>STAR</w:t></w:r>'
                          f'</w:fldSimple>'))
    blocks = read_docx(save(document, tmp_path))
    assert [b.text for b in blocks] == [
        "Side af referatet. Læs [aftalen](https://bm.dk/aftale.pdf) og https://bm.dk fra 29. september 2022",
        "Enkelt felt: [STAR](https://star.dk/)",
    ]


def test_table_with_merged_cells(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    for r, row in enumerate([["Nr.", "Punkt", "Kategori"], ["1.", "", ""], ["1.1", "Dagsorden", "(B)"],
                             ["", "Referater", "(O)"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for r in range(3):
        for c in range(3):
            if r == 0:
                table.cell(r, c).paragraphs[0].runs[0].bold = True
    table.cell(1, 0).merge(table.cell(1, 2)).text = "1. RAR’s interne forhold"
    table.cell(2, 0).merge(table.cell(3, 0))
    cell = table.cell(2, 1)
    cell.add_paragraph("med ").add_run("ændringer").italic = True  # a second paragraph in the cell
    inner = cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "indre", "tabel"
    document.add_paragraph("Efter tabellen")
    blocks = read_docx(save(document, tmp_path))
    assert blocks[0].kind == "table" and blocks[0].where == "tabel 1"
    assert blocks[0].rows == [
        ["Nr.", "Punkt", "Kategori"],
        ["1. RAR’s interne forhold"] * 3,
        ["1.1", "Dagsorden med *ændringer* indre tabel", "(B)"],
        ["", "Referater", "(O)"],
    ]
    assert blocks[1] == Block("para", "Efter tabellen", "afsnit 1")


def test_tracked_changes(tmp_path):
    document = docx.Document()
    p = document.add_paragraph("Rådet ")
    p._p.append(parse_xml(f'<w:del {W} w:id="1" w:author="A" w:date="2022-09-29T10:00:00Z"><w:r>'
                          f'<w:delText xml:space="preserve">afviste </w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {W} w:id="2" w:author="A" w:date="2022-09-29T10:00:00Z"><w:r>'
                          f'<w:t xml:space="preserve">godkendte </w:t></w:r></w:ins>'))
    p.add_run("forslaget.")
    gone = document.add_paragraph()
    gone._p.append(parse_xml(f'<w:del {W} w:id="3" w:author="A" w:date="2022-09-29T10:00:00Z"><w:r>'
                             f'<w:delText>Et slettet afsnit</w:delText></w:r></w:del>'))
    moved = document.add_paragraph()
    moved._p.append(parse_xml(f'<w:moveFrom {W} w:id="4" w:author="A" w:date="2022-09-29T10:00:00Z"><w:r>'
                              f'<w:t>flyttet herfra</w:t></w:r></w:moveFrom>'))
    moved._p.append(parse_xml(f'<w:moveTo {W} w:id="5" w:author="A" w:date="2022-09-29T10:00:00Z"><w:r>'
                              f'<w:t>flyttet hertil</w:t></w:r></w:moveTo>'))
    blocks = read_docx(save(document, tmp_path))
    assert [(b.text, b.where) for b in blocks] == [("Rådet godkendte forslaget.", "afsnit 1"),
                                                   ("flyttet hertil", "afsnit 3")]


def test_content_controls_and_not_body(tmp_path):
    document = docx.Document()
    document.add_paragraph("Før")
    body = document.element.body
    control = parse_xml(
        f'<w:sdt {W}><w:sdtPr><w:alias w:val="Punkt"/></w:sdtPr><w:sdtContent>'
        f'<w:p><w:r><w:t>I en indholdskontrol</w:t></w:r></w:p>'
        f'<w:p><w:sdt><w:sdtContent><w:r><w:t>og inde i afsnittet</w:t></w:r></w:sdtContent></w:sdt></w:p>'
        f'</w:sdtContent></w:sdt>')
    body.insert(len(body) - 1, control)  # before the section properties
    document.add_paragraph("Efter")
    document.sections[0].header.paragraphs[0].text = "Sidehoved: Referat af RAR Østjylland"
    document.sections[0].footer.paragraphs[0].text = "Sidefod 1"
    blocks = read_docx(save(document, tmp_path))
    assert [(b.text, b.where) for b in blocks] == [
        ("Før", "afsnit 1"), ("I en indholdskontrol", "afsnit 2"), ("og inde i afsnittet", "afsnit 3"),
        ("Efter", "afsnit 4")]


def test_macro_enabled_document_is_read(tmp_path):
    """A .docm (or a template) is Word too: its main part has another content type."""
    path = save(docx.Document(), tmp_path)
    document = docx.Document(path)
    document.add_paragraph("Makro")
    document.save(path)
    target = tmp_path / "makro.docm"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
                                    ).replace(b"application/vnd.openxmlformats-officedocument.ms-word",
                                              b"application/vnd.ms-word")
            out.writestr(item, data)
    assert [b.text for b in read_docx(target)] == ["Makro"]


# -- errors --------------------------------------------------------------------------


NOT_WORD = "{name}: filen kan ikke læses som et Word-dokument (.docx) ({reason})"


def fault(path: Path) -> str:
    with pytest.raises(ImportFault) as error:
        read_docx(path)
    return str(error.value)


def test_random_bytes(tmp_path):
    path = tmp_path / "referat.docx"
    path.write_bytes(os.urandom(2000).replace(b"PK", b"pk"))
    assert fault(path) == NOT_WORD.format(name="referat.docx", reason="den er ikke en zip-pakke, som en .docx er")
    path.write_bytes(b"")
    assert fault(path) == NOT_WORD.format(name="referat.docx", reason="filen er tom")


def test_zip_without_a_word_document(tmp_path):
    path = tmp_path / "pakke.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hej.txt", "ikke Word")
    assert fault(path) == NOT_WORD.format(name="pakke.docx", reason="pakken indeholder intet Word-dokument")


def test_zip_of_another_office_kind(tmp_path):
    source = save(docx.Document(), tmp_path)
    path = tmp_path / "regneark.docx"
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(path, "w") as out:
        for item in archive.infolist():
            data = archive.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"spreadsheetml.sheet.main+xml")
            out.writestr(item, data)
    assert fault(path) == NOT_WORD.format(
        name="regneark.docx", reason="pakken er ikke et Word-dokument (måske et regneark eller en præsentation)")


def test_damaged_xml(tmp_path):
    source = save(docx.Document(), tmp_path)
    path = tmp_path / "skadet.docx"
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(path, "w") as out:
        for item in archive.infolist():
            data = archive.read(item)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            out.writestr(item, data)
    assert fault(path) == NOT_WORD.format(name="skadet.docx", reason="dokumentets XML er beskadiget")


def test_damaged_zip(tmp_path):
    data = save(docx.Document(), tmp_path).read_bytes()
    path = tmp_path / "afkortet.docx"
    path.write_bytes(data[: len(data) // 2])
    assert fault(path).startswith("afkortet.docx: filen kan ikke læses som et Word-dokument (.docx) (")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_password_protected(tmp_path):
    """An encrypted .docx is an OLE compound file (the 8-byte signature) holding a stream
    named "EncryptedPackage"; the reader finds that name (UTF-16-LE, as the compound
    file's directory stores names) in its bytes. A minimal fake is enough."""
    path = tmp_path / "hemmelig.docx"
    path.write_bytes(OLE + bytes(504) + "EncryptedInfo".encode("utf-16-le") + bytes(20)
                     + "EncryptedPackage".encode("utf-16-le") + bytes(100))
    assert fault(path) == ("hemmelig.docx: Word-filen er beskyttet med adgangskode; "
                           "gem en udgave uden adgangskode og importér den")


def test_old_word_format(tmp_path):
    path = tmp_path / "gammel.docx"
    path.write_bytes(OLE + bytes(504) + "WordDocument".encode("utf-16-le") + bytes(200))
    assert fault(path) == "gammel.docx: filen er i det gamle Word-format (.doc); gem den som .docx og importér den"
    named_doc = tmp_path / "gammel.doc"
    named_doc.write_bytes(path.read_bytes())
    assert fault(named_doc).startswith("gammel.doc: filen er i det gamle Word-format (.doc)")


def test_missing_file(tmp_path):
    message = fault(tmp_path / "findes-ikke.docx")
    assert message.startswith("findes-ikke.docx: filen kan ikke læses som et Word-dokument (.docx) (den kan ikke åbnes")

