"""rardocs import of messy PDFs, through the whole command: a referat whose item has a
table split over two pages (with its header row repeated) and a page set in two
columns; the content is as a secretary would have typed it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import copy_example, docx_to_pdf

from rardocs.cli import main

pytest.importorskip("pdfminer")


def _messy_referat(path: Path) -> None:
    """A referat of one section and two items: 1.1 with a 40-row table that goes over a
    page break, 1.2 whose Sagsfremstilling is set in two columns."""
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = Document()
    document.add_paragraph("Referat af møde i RAR Testjylland", style="Title")
    document.add_paragraph("Tid: Mandag den 30. januar 2023 kl. 13.00–15.30")
    document.add_paragraph("Sted: Rådhuset, Randers")
    document.add_paragraph("1. Rådets interne forhold", style="Heading 1")
    document.add_paragraph("1.1 Kurser på positivlisten (B)", style="Heading 2")
    document.add_paragraph("Sagen kort: Rådet får en oversigt over kurserne på positivlisten. " * 6)
    document.add_paragraph("Sagsfremstilling: Kurserne er:")
    table = document.add_table(rows=41, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Nr.", "Kursus", "Varighed")):
        cell.text = text
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    for n in range(1, 41):
        cells = table.rows[n].cells
        cells[0].text, cells[1].text, cells[2].text = str(n), f"Kursus i emne {n}", f"{n % 5 + 1} dage"
    document.add_paragraph("Beslutning: Rådet godkendte kurserne.")
    document.add_paragraph("1.2 Nyt fra sekretariatet (O)", style="Heading 2")
    document.add_paragraph("Sagen kort: Sekretariatet orienterer.")
    columns = document.add_section(WD_SECTION.CONTINUOUS)
    columns._sectPr.append(parse_xml(f'<w:cols {nsdecls("w")} w:num="2" w:space="708"/>'))
    document.add_paragraph("Sagsfremstilling: Første spalte begynder her.")
    for n in range(1, 7):
        document.add_paragraph(f"Venstre spalte afsnit {n} fortæller om arbejdsmarkedet i Østjylland og dets behov.")
    document.paragraphs[-1].add_run().add_break(WD_BREAK.COLUMN)
    for n in range(1, 7):
        document.add_paragraph(f"Højre spalte afsnit {n} handler om uddannelse af unge og voksne i regionen.")
    back = document.add_section(WD_SECTION.CONTINUOUS)
    back._sectPr.append(parse_xml(f'<w:cols {nsdecls("w")} w:num="1"/>'))
    document.add_paragraph("Beslutning: Rådet tog orienteringen til efterretning.")
    document.add_paragraph("Mødet sluttede kl. 15.20.")
    document.save(path)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("messy")
    _messy_referat(folder / "referat.docx")
    docx_to_pdf(folder / "referat.docx")
    root = copy_example(folder / "project")
    assert main(["import", "--root", str(root), "--council", "rar-testby", str(folder / "referat.pdf")]) == 0
    return root / "content" / "rar-testby" / "2023-01-30"


def _field(path: Path, name: str) -> str:
    body = path.read_text(encoding="utf-8").split("---", 2)[2]
    return body.split(f"## {name}\n", 1)[1].split("\n## ", 1)[0].strip()


def test_a_table_over_two_pages_is_one_markdown_table(imported):
    item = next(imported.glob("1.1-*.md"))
    table = [line for line in _field(item, "Sagsfremstilling").splitlines() if line.startswith("|")]
    assert table[0] == "| Nr. | Kursus | Varighed |"
    assert table[1] == "|---|---|---|"
    assert table[2:] == [f"| {n} | Kursus i emne {n} | {n % 5 + 1} dage |" for n in range(1, 41)]
    assert _field(item, "Beslutning") == "Rådet godkendte kurserne."
    report = (imported / "import-rapport.txt").read_text(encoding="utf-8")
    assert "gentaget tabeloverskrift: Nr.  Kursus  Varighed" in report


def test_a_page_in_two_columns_reads_left_column_first(imported):
    item = next(imported.glob("1.2-*.md"))
    text = _field(item, "Sagsfremstilling")
    order = [f"Venstre spalte afsnit {n}" for n in range(1, 7)] + [f"Højre spalte afsnit {n}" for n in range(1, 7)]
    positions = [text.index(sentence) for sentence in order]
    assert positions == sorted(positions)
    assert _field(item, "Beslutning") == "Rådet tog orienteringen til efterretning."


def test_the_messy_referat_makes_a_new_council_that_passes_check(imported, capsys):
    meeting = yaml.safe_load((imported / "meeting.yaml").read_text(encoding="utf-8"))
    assert (meeting["date"].isoformat(), meeting["start"], meeting["ended"], meeting["place"]) == (
        "2023-01-30", "13.00", "15.20", "Rådhuset, Randers")
    assert meeting["sections"] == [{"number": 1, "title": "Rådets interne forhold"}]
    council = yaml.safe_load((imported.parent / "council.yaml").read_text(encoding="utf-8"))
    assert council["name"] == "RAR Testjylland"
    assert council["numbering"]["item"] == "{section}.{item}"
    assert main(["check", "--root", str(imported.parent.parent.parent)]) == 0
