"""A bilag PDF going into the samlet PDF: opened and rehearsed first (encrypted,
broken, without pages or scanned: warnings), then its pages appended, stamped and
tagged."""

from __future__ import annotations

import io
from contextlib import ExitStack

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .attachment import BROKEN, Part
from .fonts import add_fonts
from .stamp import stamp
from .tags import Tags, adopt_tags, untag

_TEXT_OPERATORS = "Tj TJ ' \""


def read_bilag_pdf(data: bytes, source: str) -> tuple[bytes | None, list[tuple[str, str]]]:
    """The bilag PDF ``data`` if it can go into a samlet PDF (else None), with the
    warnings, each ``(source, Danish message)``: encrypted, broken, without pages
    (left out), or scanned (kept). :func:`combine` checks every bilag itself; this is
    for a caller that wants to know first."""
    with ExitStack() as stack:
        pdf, problems = open_bilag(data, source, stack)
        return (data if pdf is not None else None), problems


def open_bilag(data: bytes, source: str, stack: ExitStack) -> tuple[pikepdf.Pdf | None, list[tuple[str, str]]]:
    """The bilag opened (kept open by ``stack``), or None when it cannot go in; and the
    warnings, as :func:`read_bilag_pdf` gives them."""

    def warn(message: str) -> list[tuple[str, str]]:
        return [(source, f"bilaget {message}")]

    try:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(data)))
    except pikepdf.PasswordError:
        return None, warn("er krypteret (kræver en adgangskode) og kommer ikke med i den samlede PDF; "
                          "gem det uden adgangskode")
    except BROKEN:
        return None, warn("kan ikke læses som PDF (filen er ødelagt eller ikke en PDF) "
                          "og kommer ikke med i den samlede PDF")
    try:
        if not len(pdf.pages):
            return None, warn("har ingen sider og kommer ikke med i den samlede PDF")
        texts = _rehearse(pdf)
    except BROKEN:
        return None, warn("kan ikke læses som PDF (filen er ødelagt) og kommer ikke med i den samlede PDF")
    if not any(texts):
        return pdf, warn("ser ud til at være scannet (ingen tekst) – det kan ikke læses af skærmlæsere; "
                         "kør tekstgenkendelse (OCR) på det")
    return pdf, []


def _rehearse(bilag: pikepdf.Pdf) -> list[bool]:
    """Whether each page shows text, found while merging the bilag into a scratch PDF:
    a damaged page fails here, before the samlet PDF counts its pages, never halfway."""
    texts = [shows_text(page.obj, page.resources, 0) for page in bilag.pages]
    with pikepdf.new() as scratch:
        scratch.pages.extend(bilag.pages)
        font = add_fonts(scratch)["/F1"]
        for page in scratch.pages:
            stamp(page, "Bilag", "Side 1 af 1", font, ("/P", Dictionary(MCID=0)))
        scratch.save(io.BytesIO())
    return texts


def shows_text(content, resources, depth: int) -> bool:
    """Whether a page or form XObject shows text, itself or through the forms it draws."""
    if pikepdf.parse_content_stream(content, _TEXT_OPERATORS):
        return True
    if depth > 8 or not isinstance(resources, Dictionary):
        return False
    forms = resources.get("/XObject", Dictionary())
    return any(isinstance(form, pikepdf.Stream) and form.get("/Subtype") == Name.Form
               and shows_text(form, form.get("/Resources"), depth + 1) for form in forms.values())


def append_bilag(pdf: pikepdf.Pdf, part: Part, total: int, fonts, tags: Tags | None, problems: list[tuple[str, str]]) -> None:
    """Add a bilag's pages at the end, stamped, with its tags under a section of their own."""
    start = len(pdf.pages)
    pdf.pages.extend(part.bilag.pages)
    part.pages = list(pdf.pages[start:])
    section = None
    if tags is not None:
        section = tags.element(pdf, "/Sect", tags.parent, T=String(part.label))
        language = part.bilag.Root.get("/Lang")
        if isinstance(language, String) and str(language) != str(pdf.Root.get("/Lang", "")):
            section.Lang = String(str(language))
    adopted = section is not None and adopt_tags(pdf, part, section, tags, problems)
    for offset, page in enumerate(part.pages):
        wrap = None
        if not adopted:
            untag(page)
        if section is not None and not adopted:
            has_text = shows_text(page.obj, page.resources, 0)
            element = tags.element(pdf, "/P" if has_text else "/Figure", section, 0, Pg=page.obj)
            if not has_text:
                element.Alt = String(f"Side {offset + 1} af bilag {part.attachment.number}: "
                                     f"{part.attachment.title} (scannet, uden tekst)")
            page.obj.StructParents = tags.key(Array([element]))
            wrap = (str(element.S), Dictionary(MCID=0))
        stamp(page, part.label, f"Side {part.first + offset} af {total}", fonts["/F1"], wrap)
