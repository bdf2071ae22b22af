"""Accessible PDFs: every PDF the build writes passes :mod:`rardocs.pdfcheck`, the checker
catches each defect it is for (planted in a real PDF of the build), and a field's own
Markdown headings continue the document's outline without skipping a level."""

from __future__ import annotations

import io
import subprocess

import docx
import pytest

from docxdump import dump
from rardocs import build
from rardocs.markdown import Styles, WordWriter
from rardocs.pdf import soffice
from rardocs.pdfcheck import Finding, check
from rardocs.sandbox import DEFAULT_TEMPLATES

pikepdf = pytest.importorskip("pikepdf")


def needs_libreoffice():
    if soffice() is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")


# -- the example archive ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def example_pdfs(example_pdf_output) -> dict[str, bytes]:
    """The PDF of every document of the example archive (a .docx beside it), by file name:
    the accessible publication. Not a bilag PDF (as it came) nor a samlet PDF ("… med
    bilag …"), which holds bilag as they are (qpdf cannot merge structure trees)."""
    return {path.name: path.read_bytes() for path in sorted(example_pdf_output.rglob("*.pdf"))
            if path.with_suffix(".docx").exists()}


@pytest.fixture(scope="module")
def referat(example_pdfs) -> bytes:
    """The 29 September referat: headings, tables and links, 16 pages."""
    return example_pdfs["2022-09-29 Referat RAR Østjylland.pdf"]


@pytest.fixture(scope="module")
def press(example_pdfs) -> bytes:
    return example_pdfs["2022-09-30 Pressemeddelelse positivlisten.pdf"]


def test_every_pdf_of_the_example_passes(example_pdfs):
    kinds = {name.split(" ")[1] for name in example_pdfs}
    assert kinds == {"Dagsorden", "Referat", "Opfølgningsark", "Pressemeddelelse"}
    failing = {name: [str(f) for f in check(data)] for name, data in example_pdfs.items() if check(data)}
    assert failing == {}


# -- planted defects ---------------------------------------------------------------------------

def plant(data: bytes, edit) -> bytes:
    """``data`` with ``edit(pdf)`` applied to it."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        edit(pdf)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def structure(pdf):
    """Every structure element in reading order with its role (through the role map)."""
    roles = {str(k)[1:]: str(v)[1:] for k, v in pdf.Root.StructTreeRoot.get("/RoleMap", {}).items()}
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            name = str(node.S)[1:]
            yield node, roles.get(name, name)
            if "/K" in node:
                stack.append(node.K)


def first(pdf, role: str):
    return next(element for element, r in structure(pdf) if r == role)


def page_of(pdf, element) -> int:
    return next(n for n, page in enumerate(pdf.pages, start=1) if page.obj.objgen == element.Pg.objgen)


def where(data: bytes, role: str) -> int:
    """The page of the first ``role`` element of ``data``."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return page_of(pdf, first(pdf, role))


def test_an_untagged_pdf(example_output, tmp_path):
    """LibreOffice's plain export (no filter options) of one of our documents."""
    source = example_output / "rar-oestjylland" / "2022-09-29" / "2022-09-29 Referat RAR Østjylland.docx"
    command = [soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
               "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)]
    made = tmp_path / f"{source.stem}.pdf"
    for _ in range(3):  # a fresh profile's first run may exit early having converted nothing
        subprocess.run(command, check=False, capture_output=True, timeout=300)
        if made.exists():
            break
    findings = check(made.read_bytes())
    assert Finding("tagged", "PDF-filen er ikke tagget (/MarkInfo /Marked er ikke true), så en skærmlæser kan ikke "
                             "læse dens struktur") in findings
    assert Finding("tagged", "PDF-filen har intet strukturtræ (/StructTreeRoot), så intet indhold er tagget",
                   "01-005") in findings


def test_suspect_tags(referat):
    def suspects(pdf):
        pdf.Root.MarkInfo.Suspects = True
    assert Finding("tagged", "PDF-filens tags er markeret som upålidelige (/MarkInfo /Suspects er true)",
                   "01-007") in check(plant(referat, suspects))


def test_content_neither_tagged_nor_an_artifact(press):
    def line(pdf):
        pdf.pages[0].contents_add(pikepdf.Stream(pdf, b"q 1 w 70 70 m 500 70 l S Q"), prepend=False)
    finding = Finding("tagged", "indhold er hverken tagget eller markeret som artefakt (fx en streg eller ramme) – side 1",
                      "01-005")
    assert finding not in check(press)
    assert finding in check(plant(press, line))

    def artifact(pdf):
        pdf.pages[0].contents_add(pikepdf.Stream(pdf, b"/Artifact BMC q 1 w 70 70 m 500 70 l S Q EMC"), prepend=False)
    assert finding not in check(plant(press, artifact))


@pytest.mark.parametrize("lang, expected", [
    (None, Finding("lang", "dokumentets sprog er ikke angivet (/Lang mangler; skal være da-DK)", "11-001")),
    ("en-US", Finding("lang", "dokumentets sprog er 'en-US', ikke dansk (/Lang skal være da-DK)")),
    ("da", None),
])
def test_language(referat, lang, expected):
    def edit(pdf):
        if lang is None:
            del pdf.Root["/Lang"]
        else:
            pdf.Root.Lang = pikepdf.String(lang)
    findings = [f for f in check(plant(referat, edit)) if f.check == "lang"]
    assert findings == ([expected] if expected else [])


@pytest.mark.parametrize("value, expected", [
    (False, Finding("display-title", "PDF-læseren viser filnavnet i stedet for titlen "
                                     "(/ViewerPreferences /DisplayDocTitle er false)", "07-002")),
    (None, Finding("display-title", "PDF-læseren viser filnavnet i stedet for titlen "
                                    "(/ViewerPreferences /DisplayDocTitle mangler)", "07-001")),
])
def test_title_not_displayed(referat, value, expected):
    def edit(pdf):
        if value is None:
            del pdf.Root.ViewerPreferences["/DisplayDocTitle"]
        else:
            pdf.Root.ViewerPreferences.DisplayDocTitle = value
    assert [f for f in check(plant(referat, edit)) if f.check == "display-title"] == [expected]


def test_title_and_pdfua_identification(referat):
    def docinfo(pdf):
        del pdf.docinfo["/Title"]
    assert Finding("title", "dokumentet har ingen titel i dokumentegenskaberne (/Title)") in check(plant(referat, docinfo))

    def xmp(pdf):
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            del meta["dc:title"]
            del meta["pdfuaid:part"]
    findings = check(plant(referat, xmp))
    assert Finding("title", "dokumentet har ingen titel i XMP-metadata (dc:title)", "06-003") in findings
    assert Finding("pdfua", "PDF-filen er ikke markeret som PDF/UA (pdfuaid:part = 1 mangler i XMP-metadata)",
                   "06-002") in findings


def headings(data: bytes) -> list[Finding]:
    return [f for f in check(data) if f.check == "headings"]


def test_a_skipped_heading_level(referat):
    """H1 then H3: the first H2 (an item) made an H3."""
    def skip(pdf):
        first(pdf, "H2").S = pikepdf.Name.H3
    assert headings(referat) == []
    assert headings(plant(referat, skip)) == [Finding(
        "headings", f"overskrifterne springer et niveau over: H1 efterfølges af H3 – side {where(referat, 'H2')}",
        "14-003")]


def test_headings_are_resolved_through_the_role_map(referat):
    """A custom structure type is the standard type the role map maps it to."""
    def custom(pdf):
        first(pdf, "H2").S = pikepdf.Name("/Underoverskrift")
        pdf.Root.StructTreeRoot.RoleMap.Underoverskrift = pikepdf.Name.H3
    assert headings(plant(referat, custom)) == [Finding(
        "headings", f"overskrifterne springer et niveau over: H1 efterfølges af H3 – side {where(referat, 'H2')}",
        "14-003")]


def test_the_first_heading_is_not_h1(referat):
    def demote(pdf):
        first(pdf, "H1").S = pikepdf.Name.H2
    assert Finding("headings", f"den første overskrift er H2, ikke H1 – side {where(referat, 'H1')}", "14-002") \
        in headings(plant(referat, demote))


def test_h_and_numbered_headings_mixed(referat):
    def mix(pdf):
        first(pdf, "H2").S = pikepdf.Name.H
    assert headings(plant(referat, mix)) == [Finding("headings", "overskrifterne blander H og H1–H6", "14-007")]


def test_a_standard_type_remapped(referat):
    def remap(pdf):
        pdf.Root.StructTreeRoot.RoleMap.Note = pikepdf.Name.P
    assert Finding("role-map", "standardtypen 'Note' er omdøbt til 'P' i rollekortet (/RoleMap)", "02-003") \
        in check(plant(referat, remap))


def test_a_table_without_header_cells(referat):
    def no_th(pdf):
        table = first(pdf, "Table")
        for element, role in list(structure(pdf)):
            if role == "TH" and element.P.P.objgen == table.objgen:
                element.S = pikepdf.Name.TD
    page = where(referat, "Table")
    assert Finding("table-header", f"en tabel har ingen overskriftsrække (ingen TH-celler) – side {page}", "15-001") \
        in check(plant(referat, no_th))


def test_a_header_cell_without_scope(referat):
    def no_scope(pdf):
        cell = first(pdf, "TH")
        cell.A = pikepdf.Array([a for a in cell.A if str(a.get("/O")) != "/Table"])
    page = where(referat, "Table")
    assert Finding("table-header", f"en overskriftscelle (TH) mangler Scope – side {page}", "15-003") \
        in check(plant(referat, no_scope))


def test_a_figure_without_alternative_text(referat):
    """The example has no images: a paragraph is made a Figure."""
    def figure(pdf, alt=None):
        element = first(pdf, "P")
        element.S = pikepdf.Name.Figure
        if alt:
            element.Alt = pikepdf.String(alt)
    finding = Finding("figure-alt", f"et billede (Figure) har ingen alternativ tekst (/Alt) – side {where(referat, 'P')}",
                      "13-004")
    assert finding in check(plant(referat, figure))
    assert [f for f in check(plant(referat, lambda pdf: figure(pdf, "Rådets logo"))) if f.check == "figure-alt"] == []


def test_a_link_without_text(referat):
    """The link's marked content taken away: only its annotation is left."""
    def empty(pdf):
        link = first(pdf, "Link")
        link.K = pikepdf.Array([k for k in link.K if isinstance(k, pikepdf.Dictionary)])
    assert Finding("link-text", f"et link har ingen tekst – side {where(referat, 'Link')}") in check(plant(referat, empty))


def test_link_annotations(referat):
    with pikepdf.open(io.BytesIO(referat)) as pdf:
        page = next(n for n, p in enumerate(pdf.pages, start=1) if len(p.obj.get("/Annots", [])))

    def no_contents(pdf):
        del pdf.pages[page - 1].obj.Annots[0]["/Contents"]
    assert Finding("links", f"et link mangler en beskrivelse (/Contents) – side {page}", "28-012") \
        in check(plant(referat, no_contents))

    def untagged(pdf):
        pdf.pages[page - 1].obj.Annots.append(pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], Contents=pikepdf.String("x"),
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.dk/")))))
    assert Finding("links", f"et link er ikke tagget som Link i strukturen – side {page}", "28-011") \
        in check(plant(referat, untagged))

    def no_tabs(pdf):
        del pdf.pages[page - 1].obj["/Tabs"]
    assert Finding("tab-order", f"en side med links har ingen tabulatorrækkefølge efter strukturen (/Tabs /S mangler) "
                                f"– side {page}", "28-008") in check(plant(referat, no_tabs))


@pytest.mark.parametrize("data", [b"", b"ikke en pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<"])
def test_a_pdf_that_cannot_be_read_is_one_finding(data):
    findings = check(data)
    assert [f.check for f in findings] == ["open"] and findings[0].message.startswith("PDF-filen kan ikke læses (")


def test_a_damaged_pdf_never_raises(referat):
    for cut in (len(referat) // 3, len(referat) // 2, len(referat) - 200):
        assert all(isinstance(f, Finding) for f in check(referat[:cut]))

    def loop(pdf):  # a structure element that contains the tree's root element: a cycle
        document = pdf.Root.StructTreeRoot.K
        document = document[0] if isinstance(document, pikepdf.Array) else document
        first(pdf, "H1").K = pikepdf.Array([document])
    assert all(isinstance(f, Finding) for f in check(plant(referat, loop)))


# -- a field's headings in the outline ----------------------------------------------------------

def word_headings(text: str, tmp_path, styles: Styles | None = None) -> list[str]:
    """The heading lines (``[style] text``) of a document whose body is ``text`` converted."""
    document = docx.Document(DEFAULT_TEMPLATES / "referat.docx")
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    writer = WordWriter(document.part, document.part.numbering_part.element, styles or Styles())
    for element in writer.markdown(text):
        body[-1].addprevious(element)
    document.save(tmp_path / "out.docx")
    return [line for line in dump(tmp_path / "out.docx").splitlines() if line.startswith("[Heading")]


@pytest.mark.parametrize("text, expected", [
    ("#### Overskrift\n\nTekst.", ["[Heading3] Overskrift"]),
    ("# a\n\n### b", ["[Heading3] a", "[Heading4] b"]),
    ("### a\n\n#### b\n\n##### c\n\n### d", ["[Heading3] a", "[Heading4] b", "[Heading4] c", "[Heading3] d"]),
    ("### a\n\n# b", ["[Heading3] a", "[Heading3] b"]),
    ("Tekst uden overskrifter.", []),
])
def test_a_fields_headings_start_under_the_item_and_never_skip(text, expected, tmp_path):
    assert word_headings(text, tmp_path) == expected


def test_headings_with_more_styles_start_at_the_first(tmp_path):
    """A document whose body headings start at Heading 2 (a press release)."""
    press = Styles(heading=("Heading2", "Heading3", "Heading4"))
    assert word_headings("# a\n\n### b\n\n#### c", tmp_path, press) == ["[Heading2] a", "[Heading3] b", "[Heading4] c"]


def test_a_field_of_only_a_level_4_heading_gives_a_correct_outline(project):
    """Built to PDF: ``#### Overskrift`` in an item's field is H3 under the item's H2, and
    ``# a`` then ``### b`` are H3 and H4."""
    needs_libreoffice()
    items = project / "content" / "rar-test" / "2023-01-10"
    first_item = items / "1.1-dagsorden.md"
    first_item.write_text(first_item.read_text(encoding="utf-8").replace(
        "## Sagen kort\n\n", "## Sagen kort\n\n#### Overskrift\n\n"), encoding="utf-8")
    second = items / "2.1-ledighed.md"
    second.write_text(second.read_text(encoding="utf-8").replace(
        "## Indstilling\n\n", "## Indstilling\n\n# Forløbet\n\nTekst.\n\n### Detaljer\n\nMere tekst.\n\n"),
        encoding="utf-8")
    build(project, pdf=True)
    pdfs = sorted((project / "output").rglob("*.pdf"))
    assert {p.name.split(" ")[1] for p in pdfs} >= {"Dagsorden", "Referat"}
    for path in pdfs:
        data = path.read_bytes()
        assert headings(data) == [], path.name
        if "Opfølgningsark" in path.name:
            continue
        with pikepdf.open(io.BytesIO(data)) as pdf:
            levels = [role for _, role in structure(pdf) if role.startswith("H")]
        assert levels[levels.index("H3") - 1] == "H2", path.name  # the first H3 is item 1.1's "Overskrift"
        assert ["H3", "H4"] in [levels[i:i + 2] for i in range(len(levels))], path.name
