"""rardocs.importer.pdf: real PDFs (made by LibreOffice from Word documents written
here, or by pikepdf) read back into lines: columns, tables over pages, page artefacts,
the example referat, and the files it refuses."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import docx_to_pdf, need

from rardocs.importer.blocks import ImportFault, Line
from rardocs.importer.pdf import read_pdf

pytest.importorskip("pdfminer")


# --- Word documents made into PDFs ----------------------------------------------------

def _field(paragraph, instruction: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    paragraph._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _two_columns(path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    document = Document()
    sect = document.sections[0]._sectPr
    sect.append(parse_xml(f'<w:cols {nsdecls("w")} w:num="2" w:space="708"/>'))
    for n in range(1, 9):
        document.add_paragraph(f"Venstre spalte afsnit {n} fortæller om arbejdsmarkedet i Østjylland og dets behov.")
    document.paragraphs[-1].add_run().add_break(WD_BREAK.COLUMN)
    for n in range(1, 9):
        document.add_paragraph(f"Højre spalte afsnit {n} handler om uddannelse af unge og voksne i regionen.")
    document.save(path)


def _long_table(path: Path) -> None:
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    document = Document()
    document.add_paragraph("Oversigt over kurser")
    table = document.add_table(rows=61, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Nr.", "Kursus", "Varighed")):
        cell.text = text
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    for n in range(1, 61):
        cells = table.rows[n].cells
        cells[0].text = f"R{n}"
        cells[1].text = (f"Kursus nummer {n} om ledelse af bæredygtighed i produktionen, et længere forløb "
                         "med mange moduler" if n == 5 else f"Kursus nummer {n}")
        cells[2].text = f"{n} dage"
    document.add_paragraph("Tekst efter tabellen.")
    document.save(path)


def _running(path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_BREAK
    document = Document()
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.add_run("Referat af testrådets møde den 3. marts 2023\t")
    _field(header, "PAGE")
    footer = section.footer.paragraphs[0]
    footer.add_run("Side ")
    _field(footer, "PAGE")
    footer.add_run(" af ")
    _field(footer, "NUMPAGES")
    for page in range(1, 4):
        for n in range(1, 6):
            document.add_paragraph(f"Brødtekst side {page} afsnit {n} om rådets arbejde.")
        if page < 3:
            document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    document.save(path)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """The Word documents above as PDFs, converted by one LibreOffice run."""
    folder = tmp_path_factory.mktemp("pdfs")
    makers = {"spalter": _two_columns, "tabel": _long_table, "sidehoved": _running}
    for name, make in makers.items():
        make(folder / f"{name}.docx")
    docx_to_pdf(*(folder / f"{name}.docx" for name in makers))
    return {name: folder / f"{name}.pdf" for name in makers}


def _body(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.artefact is None]


def test_two_columns_read_left_then_right(made):
    lines = _body(read_pdf(made["spalter"]))
    text = [line.text for line in lines]
    joined = " ".join(text)
    order = [int(n) for side, n in re.findall(r"(Venstre|Højre) spalte afsnit (\d)", joined)]
    sides = re.findall(r"(Venstre|Højre) spalte afsnit", joined)
    assert sides == ["Venstre"] * 8 + ["Højre"] * 8
    assert order == list(range(1, 9)) * 2
    assert not any("Venstre" in t and "Højre" in t for t in text), "a line mixes the two columns"
    assert {line.page for line in lines} == {1}
    # each column has its own margin: every paragraph's first line at 0
    firsts = [line for line in lines if re.match(r"(Venstre|Højre) spalte", line.text)]
    assert len(firsts) == 16 and all(line.indent == 0 for line in firsts)
    assert all(line.gap_before for line in firsts[1:8]), "paragraph breaks in the left column"


def test_table_over_two_pages(made):
    lines = read_pdf(made["tabel"])
    rows = [line for line in lines if line.cells is not None]
    assert {line.page for line in rows} == {1, 2}, "the table spans two pages"
    headers = [line for line in rows if line.cells == ["Nr.", "Kursus", "Varighed"]]
    assert len(headers) == 2
    assert headers[0].artefact is None and headers[0].page == 1
    assert headers[1].artefact == "gentaget tabeloverskrift" and headers[1].page == 2
    data = [line for line in rows if line.artefact is None and line is not headers[0]]
    assert [line.cells[0] for line in data] == [f"R{n}" for n in range(1, 61)]
    assert all(len(line.cells) == 3 and line.cells[2] == f"{n} dage" for n, line in enumerate(data, start=1))
    assert data[4].cells[1] == ("Kursus nummer 5 om ledelse af bæredygtighed i produktionen, et længere forløb "
                                "med mange moduler"), "a wrapped cell is one cell"
    assert data[4].text == "  ".join(data[4].cells)
    # the text around the table stays plain lines, in place
    plain = [line.text for line in lines if line.cells is None and line.artefact is None]
    assert plain == ["Oversigt over kurser", "Tekst efter tabellen."]
    assert lines.index(headers[0]) == 1


def test_running_header_footer_marked(made):
    lines = read_pdf(made["sidehoved"])
    assert {line.page for line in lines} == {1, 2, 3}
    for page in (1, 2, 3):
        on_page = [line for line in lines if line.page == page]
        assert [line.number for line in on_page] == list(range(1, len(on_page) + 1))
        assert on_page[0].artefact == "sidehoved"
        assert on_page[0].text == f"Referat af testrådets møde den 3. marts 2023 {page}"
        assert on_page[-1].artefact == "sidetal" and on_page[-1].text == f"Side {page} af 3"
        body = [line for line in on_page if line.artefact is None]
        assert [line.text for line in body] == [f"Brødtekst side {page} afsnit {n} om rådets arbejde."
                                                for n in range(1, 6)]
        assert not body[0].gap_before


# --- files it refuses -------------------------------------------------------------------

def _text_pdf(path: Path, text: str | None, **save) -> Path:
    import pikepdf
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    if text is not None:
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(
            F1=pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)))
        page.Contents = pdf.make_stream(f"BT /F1 12 Tf 72 760 Td ({text}) Tj ET".encode("latin-1"))
    else:
        page.Contents = pdf.make_stream(b"0 0 1 rg 72 72 200 200 re f")
    pdf.save(path, **save)
    return path


def test_plain_pdf_from_pikepdf(tmp_path):
    lines = read_pdf(_text_pdf(tmp_path / "enkel.pdf", "Modet sluttede kl. 16.05"))
    assert [(line.page, line.number, line.text, line.indent, line.artefact) for line in lines] == [
        (1, 1, "Modet sluttede kl. 16.05", 0.0, None)]


def test_broken_file(tmp_path):
    path = tmp_path / "referat.pdf"
    path.write_bytes(os.urandom(4000))
    with pytest.raises(ImportFault, match=r"^referat\.pdf: filen kan ikke læses som PDF \(.+\)$"):
        read_pdf(path)
    truncated = tmp_path / "afbrudt.pdf"
    truncated.write_bytes(_text_pdf(tmp_path / "hel.pdf", "Tekst").read_bytes()[:300])
    with pytest.raises(ImportFault, match=r"^afbrudt\.pdf: filen kan ikke læses som PDF \(.+\)$"):
        read_pdf(truncated)


def test_encrypted_file(tmp_path):
    import pikepdf
    path = _text_pdf(tmp_path / "hemmelig.pdf", "Fortrolig tekst", encryption=pikepdf.Encryption(owner="a", user="b"))
    with pytest.raises(ImportFault) as caught:
        read_pdf(path)
    assert str(caught.value) == ("hemmelig.pdf: PDF-filen er beskyttet med adgangskode; "
                                 "gem en udgave uden adgangskode og importér den")


def test_file_without_text(tmp_path):
    path = _text_pdf(tmp_path / "scannet.pdf", None)
    with pytest.raises(ImportFault) as caught:
        read_pdf(path)
    assert str(caught.value) == "scannet.pdf: PDF-filen har ingen tekst (en scanning?); importér en tekstudgave"


# --- links: the page's link annotations -----------------------------------------------------

MIDTVEJS = "https://bm.dk/nyheder/midtvejsevaluering/"


def _linked_pdf(path: Path) -> Path:
    """A page of lines (Helvetica 12, WinAnsi) with link annotations on them: a link
    whose text goes on over the line's end (two /QuadPoints; its /Rect alone would
    take in the "Læs mere:" before it), a mail address, an internal link, an address
    broken over two lines, a link whose text has brackets, a link in a table's cell, a
    link whose text shows its address after other words."""
    import pikepdf
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
        Encoding=pikepdf.Name.WinAnsiEncoding)))
    texts = [(72, 760, "Læs mere: "), (140, 760, "Midtvejsevaluering af a-"),
             (72, 745, "kasseforsøg offentliggjort (bm.dk)"), (300, 745, "og mere tekst."),
             (72, 700, "Skriv til "), (140, 700, "sekretariat@rar.dk"),
             (72, 655, "Se punkt 2.1 nedenfor."),
             (72, 610, "https://bm.dk/media/21186/anden-"), (72, 595, "delaftale.pdf"),
             (72, 550, "Bilag: "), (140, 550, "[Bilag 2] (pdf)"),
             (77, 496, "Referat"), (207, 496, "Referat fra mødet"),
             (72, 440, "Se bilaget på internettet: https://rar-bm.dk/bilag/"), (72, 425, "analyse.pdf")]
    stream = "".join(f"BT /F1 12 Tf {x} {y} Td ({t.replace('(', chr(92) + '(').replace(')', chr(92) + ')')}) Tj ET\n"
                     for x, y, t in texts)
    stream += "0.5 w 72 490 400 20 re S 200 490 m 200 510 l S\n"  # a table of one row, two cells
    page.Contents = pdf.make_stream(stream.encode("cp1252"))

    def link(rect, action, quads=None):
        annotation = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                        Rect=pikepdf.Array(rect), A=action, Border=pikepdf.Array([0, 0, 0]))
        if quads:
            annotation.QuadPoints = pikepdf.Array(quads)
        return pdf.make_indirect(annotation)

    def uri(address):
        return pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(address))
    page.Annots = pdf.make_indirect(pikepdf.Array([
        link([70, 742, 330, 772], uri(MIDTVEJS),
             [138, 772, 330, 772, 138, 757, 330, 757, 70, 757, 290, 757, 70, 742, 290, 742]),
        link([138, 697, 260, 712], uri("mailto:sekretariat@rar.dk")),
        link([70, 652, 300, 667], pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([page.obj, pikepdf.Name.Fit]))),
        link([70, 592, 330, 622], uri("https://bm.dk/media/21186/anden-delaftale.pdf")),
        link([138, 547, 260, 562], uri("https://rar-bm.dk/bilag-2.pdf")),
        link([205, 492, 320, 508], uri("https://rar-bm.dk/referat.pdf")),
        link([70, 422, 400, 452], uri("https://rar-bm.dk/bilag/analyse.pdf")),
    ]))
    pdf.save(path)
    return path


def test_link_annotations_come_back_as_markdown_links(tmp_path):
    from rardocs.importer.lines import to_blocks
    lines = read_pdf(_linked_pdf(tmp_path / "links.pdf"))
    assert [line.text for line in lines] == [
        f"Læs mere: [Midtvejsevaluering af a-]({MIDTVEJS})",
        f"[kasseforsøg offentliggjort (bm.dk)]({MIDTVEJS}) og mere tekst.",
        "Skriv til [sekretariat@rar.dk](mailto:sekretariat@rar.dk)",
        "Se punkt 2.1 nedenfor.",  # an internal link is no address
        "https://bm.dk/media/21186/anden-",  # the address itself, broken: left bare
        "delaftale.pdf",
        r"Bilag: [\[Bilag 2\] (pdf)](https://rar-bm.dk/bilag-2.pdf)",
        "Referat  [Referat fra mødet](https://rar-bm.dk/referat.pdf)",
        # the address shown in a link's text is taken out of it, bare
        "[Se bilaget på internettet:](https://rar-bm.dk/bilag/analyse.pdf) https://rar-bm.dk/bilag/",
        "analyse.pdf",
    ]
    assert lines[-3].cells == ["Referat", "[Referat fra mødet](https://rar-bm.dk/referat.pdf)"]
    # re-flowed: the link's two parts are one link, its hyphen kept as in the text
    text = " ".join(block.text for block in to_blocks(lines)[0] if block.kind != "table")
    assert f"Læs mere: [Midtvejsevaluering af a-kasseforsøg offentliggjort (bm.dk)]({MIDTVEJS}) og mere tekst." in text
    assert "https://bm.dk/media/21186/anden-delaftale.pdf" in text
    assert "[Se bilaget på internettet:](https://rar-bm.dk/bilag/analyse.pdf) https://rar-bm.dk/bilag/analyse.pdf" in text


# --- the example archive's referat --------------------------------------------------------

@pytest.fixture(scope="module")
def referat(example_pdf_output) -> tuple[Path, list[Line]]:
    path = example_pdf_output / "rar-oestjylland" / "2022-09-29" / "2022-09-29 Referat RAR Østjylland.pdf"
    return path, read_pdf(path)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_referat_words(referat):
    from collections import Counter
    path, lines = referat
    need("pdftotext")
    expected = Counter(_words(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                                             text=True).stdout))
    # pdftotext keeps the running header and page numbers; so may we, in the artefacts
    artefacts = Counter(_words(" ".join(line.text for line in lines if line.artefact)))
    got = Counter(_words(" ".join(line.text for line in _body(lines))))
    wanted = expected - artefacts
    found = sum((wanted & got).values())
    assert found >= 0.99 * sum(wanted.values())
    assert sum(artefacts.values()) < 0.05 * sum(expected.values())
    assert sum((got - expected).values()) <= 0.01 * sum(got.values()), "words pdftotext does not see"


def test_referat_layout(referat):
    path, lines = referat
    pages = max(line.page for line in lines)
    assert pages > 5
    assert [line.text for line in lines if line.artefact == "sidetal"] == [f"Side {n} af {pages}"
                                                                         for n in range(1, pages + 1)]
    headers = [line for line in lines if line.artefact == "sidehoved"]
    assert len(headers) == pages - 1 and all(line.number == 1 for line in headers)
    assert {line.text for line in headers} == {"Referat af RAR Østjyllands møde den 29. september 2022"}
    # a field's label line at the margin, its continuation lines indented to the text column
    labelled = [index for index, line in enumerate(lines) if line.text.startswith("Sagen kort:")]
    assert len(labelled) >= 10
    for index in labelled:
        assert lines[index].indent == 0 and lines[index].cells is None
        following = lines[index + 1]
        if following.artefact is None and following.page == lines[index].page and not following.text.endswith(":") \
                and not re.match(r"(Indstilling|Beslutning):", following.text):
            assert following.indent > 0, following
    # the overview table, cell by cell
    start = next(index for index, line in enumerate(lines) if line.text == "Dagsordenens punkter")
    header = lines[start + 1]
    assert header.cells == ["Nr.", "Punkt", "Kategori"]
    rows = []
    for line in lines[start + 1:]:
        if line.cells is None:
            break
        rows.append(line.cells)
    assert ["0.1", "TEMA: De unge uden uddannelse og beskæftigelse – viden om gruppen, potentialer og indspil "
            "til RAR’s videre indsats", "(B + oplæg)"] in rows
    assert ["3.6", "Eventuelt", "(O)"] in rows
    assert ["1. RAR’s interne forhold"] in rows
    assert len([row for row in rows if len(row) == 3]) == 1 + 14
    # bullets, paragraph breaks
    bullets = [line for line in lines if line.text.startswith("•")]
    assert bullets and all(line.indent > 0 for line in bullets)
    assert any(line.gap_before for line in lines) and not any(line.gap_before for line in lines if line.number == 1)


def test_referat_links(referat):
    """The referat's links, which the PDF shows as their text only, with their addresses."""
    _, lines = referat
    texts = [line.text for line in _body(lines)]
    assert ("[Midtvejsevaluering af a-kasseforsøg offentliggjort (bm.dk)]"
            "(https://bm.dk/nyheder-presse/nyheder/2022/06/midtvejsevaluering-af-a-kasseforsoeg-offentliggjort/)") in texts
    # a link over two lines: each part a link to the address, for the re-flow to join
    cirkulaere = "(https://www.retsinformation.dk/eli/retsinfo/2022/9748)"
    assert [text for text in texts if cirkulaere in text] == [
        f"[Cirkulære om kriminalforsorgens tilsyn med prøveløsladte, betinget dømte m.v.]{cirkulaere}",
        f"[(tilsynscirkulæret) (retsinformation.dk)]{cirkulaere}"]
    # an address shown as itself stays bare, also where it breaks over lines
    assert "https://www.rm.dk/siteassets/regional-udvikling/ru/publikationer/kompetence" in texts
    assert not any("](" in text for text in texts if "rm.dk/" in text or "www.jobindsats.dk" in text)
    assert len([text for text in texts if "](" in text]) == 3
