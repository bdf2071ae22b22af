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
