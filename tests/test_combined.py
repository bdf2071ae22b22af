"""The samlet PDF (rardocs.combined): a document, a contents page and its bilag in one PDF.

The document and one bilag are made by LibreOffice (tagged, with bookmarks from
the headings, as a build makes them); the other bilag are made here with pikepdf:
one without tags on a turned page, a scanned one, an encrypted, a broken and an
empty one. Text is read back with pdftotext, as a reader's program would.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import docx
import pikepdf
import pytest
from docx.enum.text import WD_BREAK
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pikepdf import Array, Dictionary, Name

from rardocs.combined import Attachment, combine, read_bilag_pdf

TITLE = "Dagsorden for RAR Testjyllands møde den 28. november 2022, med bilag"
DAY = dt.date(2022, 11, 28)
LONG = ("Tal og tabeller om ledigheden i de østjyske kommuner fordelt på alder, uddannelse og branche, "
        "med en lang forklaring, som ikke kan stå på én linje i båndet øverst på siden, heller ikke når siden "
        "ligger ned, for titlen bliver ved og ved")
SCANNED, NOTAT, TAL, ENCRYPTED, BROKEN, EMPTY = (f"content/rar-test/2022-11-28/bilag/{name}" for name in (
    "scannet.pdf", "notat.docx", "tal.pdf", "krypteret.pdf", "ødelagt.pdf", "tom.pdf"))
WARNINGS = [
    (SCANNED, "bilaget ser ud til at være scannet (ingen tekst) – det kan ikke læses af skærmlæsere; "
              "kør tekstgenkendelse (OCR) på det"),
    (ENCRYPTED, "bilaget er krypteret (kræver en adgangskode) og kommer ikke med i den samlede PDF; "
                "gem det uden adgangskode"),
    (BROKEN, "bilaget kan ikke læses som PDF (filen er ødelagt eller ikke en PDF) og kommer ikke med i den samlede PDF"),
    (EMPTY, "bilaget har ingen sider og kommer ikke med i den samlede PDF"),
]


def word(paragraphs) -> bytes:
    """A .docx of (style, text) paragraphs; style "break" is a page break."""
    document = docx.Document()
    for style, text in paragraphs:
        if style == "break":
            document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        else:
            document.add_paragraph(text, style=style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def office() -> dict[str, bytes]:
    """The dagsorden (two pages, bookmarks from its headings) and a tagged two-page notat, from LibreOffice."""
    from rardocs.pdf import convert, soffice

    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    dagsorden = word([("Title", "Dagsorden for møde i RAR Testjylland"), ("Heading 1", "1. RAR’s interne forhold"),
                      ("Heading 2", "1.1 Dagsorden for dagens møde (B)"), ("Normal", "Rådet godkender dagsordenen."),
                      ("Heading 2", "1.2 Referater (O)"), ("Normal", "Referatet er offentliggjort."), ("break", ""),
                      ("Heading 1", "2. Strategi"), ("Heading 2", "2.1 Overordnet strategi 2022–2026 (B)"),
                      ("Normal", "Strategien forelægges til godkendelse."), ("Heading 2", "2.2 Indsatsark 2023 (B)"),
                      ("Normal", "Udkastet forelægges.")])
    notat = word([("Heading 1", "Notat om strategien"), ("Normal", "Første side af notatet."), ("break", ""),
                  ("Normal", "Anden side af notatet.")])
    return convert({"dagsorden.docx": dagsorden, "notat.docx": notat})


def pikepdf_bytes(pdf: pikepdf.Pdf, **save) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def text_pdf(*texts: str, rotate: int = 0, link: str = "") -> bytes:
    """An untagged PDF of one page per text, each ``rotate``d; with a ``link`` (an address) on the first."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                        Encoding=Name.WinAnsiEncoding))
    for text in texts:
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 760 Td (" + text.encode("cp1252") + b") Tj ET")
        if rotate:
            page.obj.Rotate = rotate
    if link:
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 100, 272, 120]),
            A=Dictionary(S=Name.URI, URI=pikepdf.String(link))))])
    return pikepdf_bytes(pdf)


def scanned_pdf() -> bytes:
    """A page that is only a picture, as a scanner makes it."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=(595, 842))
    image = pdf.make_stream(b"\x80", Type=Name.XObject, Subtype=Name.Image, Width=1, Height=1,
                            ColorSpace=Name.DeviceGray, BitsPerComponent=8)
    page.obj.Resources = Dictionary(XObject=Dictionary(Im0=image))
    page.obj.Contents = pdf.make_stream(b"q 500 0 0 700 40 60 cm /Im0 Do Q")
    return pikepdf_bytes(pdf)


def encrypted_pdf() -> bytes:
    pdf = pikepdf.open(io.BytesIO(text_pdf("Hemmeligt")))
    return pikepdf_bytes(pdf, encryption=pikepdf.Encryption(user="hemmelig", owner="hemmelig"))


def attachments(office) -> list[Attachment]:
    return [
        Attachment("1.1", "Opfølgningsark efter Rådsmødet den 29. september 2022", "1.1", scanned_pdf(), source=SCANNED),
        Attachment("1.2", "Referat af formandskabsmødet", "1.2", None, url="https://rar-bm.dk/rar-oestjylland/"),
        Attachment("2.1.1", "Notat om strategien", "2.1", office["notat.docx"], source=NOTAT),
        Attachment("2.1.2", LONG, "2.1", text_pdf("Tabel side et", "Tabel side to", rotate=90, link="https://example.dk"), source=TAL),
        Attachment("2.2.1", "Udkast til Indsatsark 2023", "2.2", encrypted_pdf(), source=ENCRYPTED),
        Attachment("2.2.2", "Høringssvar", "2.2", b"%PDF-1.4 HEMMELIG-SAGSTEKST", source=BROKEN),
        Attachment("2.2.3", "Tom fil", "2.2", pikepdf_bytes(pikepdf.new()), source=EMPTY),
        Attachment("2.2.4", "Årshjul 2022-2023", "2.2", None),
    ]


@pytest.fixture(scope="module")
def samlet(office) -> tuple[bytes, list[str]]:
    return combine(office["dagsorden.docx"], attachments(office), title=TITLE, stamp_date=DAY)


def pdftotext(data: bytes, page: int | None = None) -> str:
    """The text of a PDF (or of its page number ``page``), as pdftotext reads it; pages end with a form feed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    only = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *only, "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")


@pytest.fixture(scope="module")
def pages(samlet) -> list[str]:
    """The text of each page of the samlet PDF."""
    return pdftotext(samlet[0]).split("\f")[:-1]


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def document_pages(office) -> int:
    return len(open_pdf(office["dagsorden.docx"]).pages)


def test_the_samlet_pdf_is_contents_then_document_then_each_bilag(office, samlet, pages):
    n = document_pages(office)
    assert n == 2
    # contents + document + scanned (1) + notat (2) + tal (2); the encrypted, broken and empty are left out
    assert len(open_pdf(samlet[0]).pages) == len(pages) == 1 + n + 1 + 2 + 2
    assert " ".join(pages[0].split()).startswith(f"{TITLE} Indhold 1. RAR’s interne forhold")
    for index in range(n):
        assert pages[1 + index] == pdftotext(office["dagsorden.docx"], index + 1).split("\f")[0]
    assert "Første side af notatet." in pages[1 + n + 1] and "Anden side af notatet." in pages[1 + n + 2]
    assert "Tabel side et" in pages[1 + n + 3] and "Tabel side to" in pages[1 + n + 4]


def contents_lines(page: str) -> dict[str, str]:
    """The contents page's entries: text → page number ("" for an entry without one). A
    title wrapped over lines is joined, and a note line (an address, "kunne ikke sættes
    ind") stands for the number."""
    lines: dict[str, str] = {}
    last = None
    for line in page.splitlines()[3:]:  # after the title and "Indhold"
        match = re.match(r"^\s*(.+?)\s*(?:\.{2,}\s*(\d+))?\s*$", line)
        if not match:
            continue
        text, number = match.groups()
        if last and (text.startswith("på internettet") or text in ("kunne ikke sættes ind", "ikke vedlagt")):
            lines[last] = text
        elif last and not lines[last] and not re.match(r"^(Bilag|\d)", text):  # the rest of a wrapped title
            lines[f"{last} {text}"] = number or ""
            del lines[last]
            last = f"{last} {text}"
        else:
            lines[text] = number or ""
            last = text
    return lines


def test_the_contents_give_the_page_where_each_item_and_bilag_starts(office, samlet, pages):
    lines = contents_lines(pages[0])
    pdf = open_pdf(samlet[0])
    labels = [page.label for page in pdf.pages]
    n = document_pages(office)
    assert labels == ["i", *map(str, range(1, n + 6))]
    starts = {"Bilag 1.1 – Opfølgningsark efter Rådsmødet den 29. september 2022": n + 1,
              "Bilag 2.1.1 – Notat om strategien": n + 2}
    for text, index in starts.items():
        assert lines[text] == labels[index]
        assert pages[index].lstrip().startswith(text)  # the band of the bilag's first page
    tal = next(text for text in lines if text.startswith("Bilag 2.1.2 – Tal og tabeller"))
    assert lines[tal] == labels[n + 4] == str(n + 4)
    assert lines["1.1 Dagsorden for dagens møde (B)"] == "1"
    assert lines["2.1 Overordnet strategi 2022–2026 (B)"] == lines["2.2 Indsatsark 2023 (B)"] == "2"
    assert lines["Bilag 1.2 – Referat af formandskabsmødet"] == "på internettet: https://rar-bm.dk/rar-oestjylland/"
    for left_out in ("Bilag 2.2.1 – Udkast til Indsatsark 2023", "Bilag 2.2.2 – Høringssvar", "Bilag 2.2.3 – Tom fil"):
        assert lines[left_out] == "kunne ikke sættes ind"
    assert lines["Bilag 2.2.4 – Årshjul 2022-2023"] == "ikke vedlagt"
    order = list(lines)
    assert order.index("1.1 Dagsorden for dagens møde (B)") < order.index(
        "Bilag 1.1 – Opfølgningsark efter Rådsmødet den 29. september 2022") < order.index("1.2 Referater (O)")


def test_the_contents_link_to_the_pages_they_name(office, samlet):
    pdf = open_pdf(samlet[0])
    index = {page.objgen: n for n, page in enumerate(pdf.pages)}
    links = {str(a.Contents): a for a in pdf.pages[0].obj.Annots}
    n = document_pages(office)
    assert index[links["Gå til side 4: Bilag 2.1.1 – Notat om strategien"].Dest[0].objgen] == n + 2
    assert index[links["Gå til side 2: 2.2 Indsatsark 2023 (B)"].Dest[0].objgen] == 2
    assert str(links["Bilag 1.2 – Referat af formandskabsmødet på internettet: https://rar-bm.dk/rar-oestjylland/"]
               .A.URI) == "https://rar-bm.dk/rar-oestjylland/"


def outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark, in order."""
    index = {page.objgen: n for n, page in enumerate(pdf.pages)}
    found = []

    def walk(items, depth):
        for item in items:
            found.append((depth, item.title, index[item.destination[0].objgen]))
            walk(item.children, depth + 1)

    with pdf.open_outline() as root:
        walk(root.root, 0)
    return found


def test_bookmarks_nest_each_bilag_under_its_item_and_land_on_its_first_page(office, samlet):
    n = document_pages(office)
    assert outline(open_pdf(samlet[0])) == [
        (0, "Indhold", 0),
        (0, "1. RAR’s interne forhold", 1),
        (1, "1.1 Dagsorden for dagens møde (B)", 1),
        (2, "Bilag 1.1 – Opfølgningsark efter Rådsmødet den 29. september 2022", n + 1),
        (1, "1.2 Referater (O)", 1),
        (0, "2. Strategi", 2),
        (1, "2.1 Overordnet strategi 2022–2026 (B)", 2),
        (2, "Bilag 2.1.1 – Notat om strategien", n + 2),
        (2, f"Bilag 2.1.2 – {LONG}", n + 4),
        (1, "2.2 Indsatsark 2023 (B)", 2),
    ]


def test_every_bilag_page_is_stamped_and_no_document_page_is(office, samlet, pages):
    n = document_pages(office)
    total = n + 5
    for page in pages[1:1 + n]:
        assert "Bilag" not in page
    stamps = {n + 1: "Bilag 1.1 – Opfølgningsark efter Rådsmødet den 29. september 2022",
              n + 2: "Bilag 2.1.1 – Notat om strategien", n + 3: "Bilag 2.1.1 – Notat om strategien"}
    for index, stamp in stamps.items():
        first = pages[index].strip().splitlines()[0]
        assert first.startswith(stamp) and first.endswith(f"Side {index} af {total}")
    for index in (n + 4, n + 5):  # a turned page is stamped at the top as it is shown; a long title is shortened
        first = pages[index].strip().splitlines()[0]
        assert re.match(r"^Bilag 2\.1\.2 – Tal og tabeller .*…\s+Side \d+ af \d+$", first), first
        assert first.endswith(f"Side {index} af {total}")


def test_a_bilag_page_is_scaled_under_the_band_as_an_artifact(office, samlet):
    pdf = open_pdf(samlet[0])
    n = document_pages(office)
    page = pdf.pages[n + 2]  # the notat's first page
    operations = pikepdf.parse_content_stream(page)
    assert operations[0].operator == pikepdf.Operator("q") and operations[1].operator == pikepdf.Operator("cm")
    scale = float(operations[1].operands[0])
    assert 0.94 <= scale < 1 and float(operations[1].operands[3]) == scale
    band = [n for n, op in enumerate(operations) if op.operator == pikepdf.Operator("BDC")
            and op.operands[0] == Name.Artifact]
    assert band and operations[band[-1] + 1:][-1].operator == pikepdf.Operator("EMC")
    link = pdf.pages[n + 4].obj.Annots[0]  # the turned page's link moved with its content
    assert [round(float(v)) for v in link.Rect] != [72, 100, 272, 120]


def test_a_broken_encrypted_scanned_or_empty_bilag_gives_its_warning_and_the_others_still_go_in(samlet, pages):
    assert samlet[1] == WARNINGS
    assert "Hemmeligt" not in "".join(pages) and "HEMMELIG" not in "".join(pages)


def test_read_bilag_pdf_checks_a_bilag_on_its_own(office):
    assert read_bilag_pdf(office["notat.docx"], NOTAT) == (office["notat.docx"], [])
    assert read_bilag_pdf(scanned_pdf(), SCANNED) == (scanned_pdf(), WARNINGS[:1])
    assert read_bilag_pdf(encrypted_pdf(), ENCRYPTED) == (None, WARNINGS[1:2])
    assert read_bilag_pdf(b"%PDF-1.4 HEMMELIG-SAGSTEKST", BROKEN) == (None, WARNINGS[2:3])
    assert read_bilag_pdf(b"", BROKEN) == (None, WARNINGS[2:3])


def structure(pdf: pikepdf.Pdf) -> list[tuple[int, str, str]]:
    """(depth, role, title or alternative text) of the structure elements, depth-first."""
    found = []

    def walk(element, depth):
        if not isinstance(element, Dictionary) or "/S" not in element:
            return
        found.append((depth, str(element.S), str(element.get("/T", element.get("/Alt", "")))))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, Array) else [kids]:
            walk(kid, depth + 1)

    top = pdf.Root.StructTreeRoot.K
    for element in top if isinstance(top, Array) else [top]:
        walk(element, 0)
    return found


def test_tags_of_the_document_are_kept_and_the_bilag_get_sections(office, samlet):
    pdf, document = open_pdf(samlet[0]), open_pdf(office["dagsorden.docx"])
    assert pdf.Root.MarkInfo.Marked and str(pdf.Root.Lang) == "da-DK"
    for n, page in enumerate(document.pages):  # the document's pages as LibreOffice made them
        assert pdf.pages[1 + n].obj.Contents.read_bytes() == page.obj.Contents.read_bytes()
        assert pdf.pages[1 + n].obj.StructParents == page.obj.StructParents
    tags = structure(pdf)
    before = structure(document)
    top = [(role, text) for depth, role, text in tags if depth == 1]
    assert top[0] == ("/Sect", "Indhold") and top[-3:] == [
        ("/Sect", "Bilag 1.1 – Opfølgningsark efter Rådsmødet den 29. september 2022"),
        ("/Sect", "Bilag 2.1.1 – Notat om strategien"), ("/Sect", f"Bilag 2.1.2 – {LONG}")]
    sections = [n for n, t in enumerate(tags) if t[0] == 1]
    assert tags[0] == before[0] and tags[sections[1]:sections[-3]] == before[1:]  # the document's own, in place
    scanned, notat, tal = (tags[a + 1:b] for a, b in zip(sections[-3:], sections[-2:] + [len(tags)]))
    assert scanned == [(2, "/Figure", ("Side 1 af bilag 1.1: Opfølgningsark efter Rådsmødet den 29. september 2022 "
                                       "(scannet, uden tekst)"))]
    assert (2, "/H1", "") in notat  # the notat's own tags, moved
    assert tal == [(2, "/P", ""), (2, "/P", "")]
    contents = tags[2:sections[1]]
    assert [r for _, r, _ in contents[:4]] == ["/H1", "/H2", "/TOC", "/TOCI"]


def test_every_marked_content_belongs_to_its_structure_element(samlet):
    pdf = open_pdf(samlet[0])
    tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) > max(int(k) for k in tree)
    for page in pdf.pages:
        mcids = [int(op.operands[1].MCID) for op in pikepdf.parse_content_stream(page, "BDC")
                 if isinstance(op.operands[1], Dictionary) and "/MCID" in op.operands[1]]
        assert mcids, "every page has tagged content"
        parents = tree[int(page.obj.StructParents)]
        for mcid in mcids:
            element = parents[mcid]
            kids = element.K if isinstance(element.K, Array) else [element.K]
            assert any(kid == mcid for kid in kids if isinstance(kid, int)) and element.Pg.objgen == page.objgen
            for kid in kids:  # a kid that is an element points back to its parent
                if isinstance(kid, Dictionary) and "/S" in kid:
                    assert kid.P.objgen == element.objgen
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                owner = tree[int(annotation.StructParent)]
                assert any(isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR and k.Obj.objgen == annotation.objgen
                           for k in owner.K)


def test_title_language_and_dates_come_from_the_arguments_and_the_bytes_repeat(office, samlet):
    pdf = open_pdf(samlet[0])
    assert str(pdf.docinfo.Title) == TITLE and pdf.Root.ViewerPreferences.DisplayDocTitle
    assert str(pdf.docinfo.CreationDate) == str(pdf.docinfo.ModDate) == "D:20221128120000Z"
    with pdf.open_metadata() as xmp:
        assert xmp["dc:title"] == TITLE and xmp["xmp:CreateDate"] == "2022-11-28T12:00:00Z"
        assert "{http://www.aiim.org/pdfua/ns/id/}part" not in xmp  # the samlet PDF does not claim PDF/UA
    again = combine(office["dagsorden.docx"], attachments(office), title=TITLE, stamp_date=DAY)
    assert again == samlet
    later = combine(office["dagsorden.docx"], attachments(office), title=TITLE, stamp_date=dt.date(2022, 11, 29))
    assert later[0] != samlet[0]


def test_a_document_without_bookmarks_or_tags_gets_its_bilag_listed_and_bookmarked_by_themselves():
    document = text_pdf("Dagsorden uden overskrifter")
    bilag = [Attachment("1.1", "Notat", "1.1", text_pdf("Notatets tekst"), source="bilag/notat.pdf"),
             Attachment("1.2", "Hjemmeside", "1.2", None, url="https://example.dk")]
    data, warnings = combine(document, bilag, title="Uden overskrifter", stamp_date=DAY)
    assert warnings == []
    pdf = open_pdf(data)
    assert "/StructTreeRoot" not in pdf.Root
    assert outline(pdf) == [(0, "Indhold", 0), (0, "Bilag 1.1 – Notat", 2)]
    lines = contents_lines(pdftotext(data, 1))
    assert lines["Bilag"] == "" and lines["Bilag 1.1 – Notat"] == "2"
    assert lines["Bilag 1.2 – Hjemmeside"] == "på internettet: https://example.dk"


def test_long_contents_run_over_pages_numbered_i_ii_and_odd_characters_are_shown_plainly():
    bilag = [Attachment(f"{n}", f"Bilag nummer {n}", "9", text_pdf(f"Side af bilag {n}"), source=f"bilag/{n}.pdf")
             for n in range(1, 61)]
    bilag.append(Attachment("61", "Ærø – «Øst» ’s ≠ ő", "9", text_pdf("Sidste"), source="bilag/61.pdf"))
    data, warnings = combine(text_pdf("Dagsorden"), bilag, title="Mange bilag", stamp_date=DAY)
    assert warnings == []
    pdf = open_pdf(data)
    assert [page.label for page in pdf.pages[:3]] == ["i", "ii", "1"] and pdf.pages[-1].label == "62"
    text = pdftotext(data).split("\f")
    lines = contents_lines(text[0]) | contents_lines("\n\n\n" + text[1])
    assert all(lines[f"Bilag {n} – Bilag nummer {n}"] == str(n + 1) for n in range(1, 61))
    assert lines["Bilag 61 – Ærø – «Øst» ’s ? o"] == "62"
    assert text[63].strip().startswith("Bilag 61 – Ærø – «Øst» ’s ? o")


def test_the_documents_links_to_bilag_files_lead_to_their_pages():
    document = text_pdf("Dagsorden", link="bilag/2.1.1-notat%20om%20%C3%B8konomi.pdf")
    pdf = open_pdf(document)
    pdf.pages[0].obj.Annots.append(pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 200, 272, 220]),
        A=Dictionary(S=Name.URI, URI=pikepdf.String("bilag/2.1.2-skema.pdf")))))
    bilag = [Attachment("2.1.1", "Notat om økonomi", "2.1", text_pdf("Notat"), link="bilag/2.1.1-notat om økonomi.pdf"),
             Attachment("2.1.2", "Skema", "2.1", b"ikke en PDF", source="bilag/skema.pdf", link="bilag/2.1.2-skema.pdf")]
    data, _ = combine(pikepdf_bytes(pdf), bilag, title="Links", stamp_date=DAY)
    samlet = open_pdf(data)
    to_notat, to_skema = samlet.pages[1].obj.Annots
    assert "/A" not in to_notat and to_notat.Dest[0].objgen == samlet.pages[2].objgen
    assert str(to_skema.A.URI) == "bilag/2.1.2-skema.pdf"  # not in the samlet PDF: the file beside it


SEEDS = [text_pdf("Første side", "Anden side", rotate=90, link="bilag/x.pdf"), scanned_pdf()]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.sampled_from(SEEDS), edits=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.binary(max_size=8),
                                                               st.integers(0, 40)), min_size=1, max_size=12))
def test_a_damaged_bilag_never_stops_the_samlet_pdf(seed, edits):
    data = bytearray(seed)
    for where, insert, cut in edits:
        at = int(where * len(data))
        data[at:at + cut] = insert
    samlet, warnings = combine(text_pdf("Dagsorden"), [Attachment("1.1", "Bilag", "1.1", bytes(data), source="b.pdf"),
                                                       Attachment("1.2", "Andet", "1.2", text_pdf("Andet"), source="c.pdf")],
                               title="Skadet", stamp_date=DAY)
    pdf = open_pdf(samlet)
    assert len(warnings) <= 1 and all(source == "b.pdf" and message.startswith("bilaget ") for source, message in warnings)
    assert len(pdf.pages) >= 3 and pdf.pages[-1].label == str(len(pdf.pages) - 1)  # the good bilag is always in


# -- the example archive, built with --pdf ----------------------------------------------------

EXAMPLE_SAMLET = "rar-oestjylland/2022-11-28/2022-11-28 Dagsorden med bilag RAR Østjylland.pdf"
EXAMPLE_BILAG = [("2.1", "Overordnet strategi 2022–2026"), ("2.2", "Udkast til Indsatsark 2023"),
                 ("2.3", "Ledighed i de østjyske kommuner, oktober 2022")]


def test_the_example_meeting_has_its_dagsorden_with_every_file_bilag_in_one_pdf(example_pdf_output):
    """Built by ``rardocs build --pdf``: contents, the dagsorden's pages, then the .docx, .pdf and .xlsx
    bilag converted and stamped; bookmarks and contents numbers point where each bilag starts."""
    samlet = (example_pdf_output / EXAMPLE_SAMLET).read_bytes()
    dagsorden = open_pdf((example_pdf_output / EXAMPLE_SAMLET.replace(" med bilag", "")).read_bytes())
    pdf = open_pdf(samlet)
    text = pdftotext(samlet).split("\f")[:-1]
    n = len(dagsorden.pages)
    assert " ".join(text[0].split()).startswith("Dagsorden for RAR Østjyllands møde den 28. november 2022, med bilag Indhold")
    assert " ".join(text[1].split()).startswith("Dagsorden for møde i RAR Østjylland")
    # Each bilag's first page: its stamp, and the page the contents and the bookmark give for it.
    bookmarks = {title: page for _, title, page in outline(pdf)}
    contents = " ".join(text[0].split())
    bilag_pages = range(1 + n, len(pdf.pages))
    assert len(bilag_pages) >= len(EXAMPLE_BILAG)
    for number, title in EXAMPLE_BILAG:
        stamp = f"Bilag {number} – {title}"
        first = next(i for i in bilag_pages if stamp in " ".join(text[i].split()))
        assert bookmarks[stamp] == first
        shown = pdf.pages[first].label  # the number a reader sees, as the contents give it
        assert re.search(re.escape(stamp) + r"[ .]*" + re.escape(shown) + r"\b", contents), (stamp, shown, contents)
    for i in bilag_pages:
        assert " ".join(text[i].split()).startswith("Bilag 2."), f"page {i + 1} has no stamp"
    for i in range(1, 1 + n):
        assert "Bilag 2.1 – Overordnet" not in text[i].split("\n")[0]  # the dagsorden's pages are not stamped
