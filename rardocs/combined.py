"""The samlet PDF: a meeting document and its bilag as one PDF.

:func:`combine` takes the document (the dagsorden or referat as LibreOffice
exported it) and each bilag as PDF, and returns one PDF: the contents
("Indhold") first, then the document as it is, then every bilag's pages in item
order under a band naming the bilag ("Bilag 2.1.1 – …"). Pure: bytes in, bytes
and warnings out; converting an office bilag to PDF is the caller's job.

The contents come first because the document's first page is not a title page
(the first item starts on it): a page after it would split that item. The
contents pages are numbered i, ii …, the document and bilag 1 … N, so the
numbers the contents give, the document's own footers ("Side 3 af 6"), the bands
("Side 9 af 20") and the viewer's page box all agree.

What survives: the document's pages, links, bookmarks and structure tree
untouched; a tagged bilag's structure tree, moved into a section of its own; an
untagged bilag's pages each become one tagged paragraph (a figure with a text
alternative when the page has no text), so a screen reader does not skip them.
The samlet PDF does not claim PDF/UA (a bilag's tags are as good as the bilag);
the separate PDFs stay the accessible publication.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, String

CONTENTS = "Indhold"
#: The band at the top of every bilag page: its height, and the size of its text (points).
BAND = 28.0
BAND_TEXT = 8.5
#: What a bilag PDF can throw at us besides pikepdf's own errors (a damaged file parses into odd objects).
_BROKEN = (pikepdf.PdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError)
_TEXT_OPERATORS = "Tj TJ ' \""
_BALANCE_OPERATORS = "q Q BMC BDC EMC"

# Advance widths (1/1000 em) of Helvetica and Helvetica-Bold in WinAnsiEncoding, codes 32–255,
# from Adobe's core font metrics (AFM); 0 where the code has no character.
_HELVETICA = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
)
_HELVETICA_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
)
_FONTS = {"/F1": _HELVETICA, "/F2": _HELVETICA_BOLD}  # the contents pages' font names
_PLAIN = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "\u00ad": "", "\u200b": "", "\u2060": "",
          "\ufeff": "", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u2032": "’"}


@dataclass(frozen=True)
class Attachment:
    """One bilag of the document, in item order.

    ``pdf`` is the bilag as PDF (a PDF bilag as it is, an office bilag converted
    by the caller), or None: a bilag with only a ``url`` or a title, or a file
    that could not be converted. ``source`` names the file for messages
    (``content/<council>/<date>/bilag/x.pdf``); empty for a bilag without a file.
    ``link`` is the document's link to the bilag file (``bilag/2.1.1-notat.pdf``):
    in the samlet PDF it leads to the bilag's first page instead.
    """

    number: str
    title: str
    item_number: str
    pdf: bytes | None
    url: str | None = None
    source: str = ""
    link: str = ""


def read_bilag_pdf(data: bytes, source: str) -> tuple[bytes | None, list[tuple[str, str]]]:
    """The bilag PDF ``data`` if it can go into a samlet PDF (else None), with the
    warnings, each ``(source, Danish message)``: encrypted, broken, without pages
    (left out), or scanned (kept). :func:`combine` checks every bilag itself; this is
    for a caller that wants to know first."""
    with ExitStack() as stack:
        pdf, problems = _open(data, source, stack)
        return (data if pdf is not None else None), problems


def combine(document: bytes, attachments: list[Attachment], *, title: str,
            stamp_date: dt.date) -> tuple[bytes, list[tuple[str, str]]]:
    """The samlet PDF of ``document`` (a PDF) and its ``attachments``, titled
    ``title``, with every date ``stamp_date`` at noon UTC; and the warnings, each
    ``(the bilag's source, Danish message)``, one per bilag that is left out
    or is scanned. The same input gives the same bytes. A bilag that cannot be
    read is left out with a warning; it never raises."""
    problems: list[tuple[str, str]] = []
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(document)))
        parts = []
        for attachment in attachments:
            bilag = None
            if attachment.pdf is not None:
                bilag, found = _open(attachment.pdf, attachment.source or attachment.number, stack)
                problems += found
            parts.append(_Part(attachment, bilag, has_file=attachment.pdf is not None or bool(attachment.source)))
        total = len(pdf.pages)  # the pages numbered 1 … total: the document's and the bilag's
        for part in parts:
            if part.bilag is not None:
                part.first = total + 1
                total += len(part.bilag.pages)
        headings = _headings(pdf)
        entries = _entries(headings, parts)
        fonts = _fonts(pdf)
        layout = _lay_out(entries, title, pdf.pages[0].mediabox)
        tags = _Tags.of(pdf)
        document_pages = list(pdf.pages)
        for part in parts:
            if part.bilag is not None:
                _append(pdf, part, total, fonts, tags, problems)
        _link_bilag(document_pages, parts)
        _insert_contents(pdf, layout, entries, fonts, tags)
        _bookmarks(pdf, parts, headings)
        _finish(pdf, title, stamp_date, len(layout))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue(), problems


@dataclass
class _Part:
    """A bilag on its way into the samlet PDF: its PDF (None: not going in) and, once in, its pages."""

    attachment: Attachment
    bilag: pikepdf.Pdf | None
    has_file: bool
    first: int = 0  # the number of its first page in the samlet PDF
    pages: list = field(default_factory=list)  # its pages there

    @property
    def label(self) -> str:
        return f"Bilag {self.attachment.number} – {self.attachment.title}"


def _open(data: bytes, source: str, stack: ExitStack) -> tuple[pikepdf.Pdf | None, list[tuple[str, str]]]:
    def warn(message: str) -> list[tuple[str, str]]:
        return [(source, f"bilaget {message}")]

    try:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(data)))
    except pikepdf.PasswordError:
        return None, warn("er krypteret (kræver en adgangskode) og kommer ikke med i den samlede PDF; "
                          "gem det uden adgangskode")
    except _BROKEN:
        return None, warn("kan ikke læses som PDF (filen er ødelagt eller ikke en PDF) "
                          "og kommer ikke med i den samlede PDF")
    try:
        if not len(pdf.pages):
            return None, warn("har ingen sider og kommer ikke med i den samlede PDF")
        texts = _rehearse(pdf)
    except _BROKEN:
        return None, warn("kan ikke læses som PDF (filen er ødelagt) og kommer ikke med i den samlede PDF")
    if not any(texts):
        return pdf, warn("ser ud til at være scannet (ingen tekst) – det kan ikke læses af skærmlæsere; "
                         "kør tekstgenkendelse (OCR) på det")
    return pdf, []


def _rehearse(bilag: pikepdf.Pdf) -> list[bool]:
    """Whether each page shows text, found while merging the bilag into a scratch PDF:
    a damaged page fails here, before the samlet PDF counts its pages, never halfway."""
    texts = [_has_text(page.obj, page.resources, 0) for page in bilag.pages]
    with pikepdf.new() as scratch:
        scratch.pages.extend(bilag.pages)
        font = _fonts(scratch)["/F1"]
        for page in scratch.pages:
            _stamp(page, "Bilag", "Side 1 af 1", font, ("/P", Dictionary(MCID=0)))
        scratch.save(io.BytesIO())
    return texts


def _has_text(content, resources, depth: int) -> bool:
    """Whether a page or form XObject shows text, itself or through the forms it draws."""
    if pikepdf.parse_content_stream(content, _TEXT_OPERATORS):
        return True
    if depth > 8 or not isinstance(resources, Dictionary):
        return False
    forms = resources.get("/XObject", Dictionary())
    return any(isinstance(form, pikepdf.Stream) and form.get("/Subtype") == Name.Form
               and _has_text(form, form.get("/Resources"), depth + 1) for form in forms.values())


# The contents ---------------------------------------------------------------------------


@dataclass
class _Heading:
    """An entry of the document's outline: a section or an item."""

    level: int
    title: str
    page: int  # index in the document
    destination: Array


@dataclass
class _Entry:
    """A line of the contents."""

    level: int  # 0 a section, 1 an item, 2 a bilag
    text: str
    page: int | None  # the number shown
    target: Array | int | str | None = None  # a destination, a page number or a web address
    note: str = ""


def _headings(pdf: pikepdf.Pdf) -> list[_Heading]:
    try:
        with pdf.open_outline(strict=False) as outline:
            return [_Heading(level, item.title, page, destination)
                    for level, item, destination, page in _walk(pdf, outline.root)]
    except _BROKEN:
        return []


def _walk(pdf: pikepdf.Pdf, items, pages: dict | None = None, level: int = 0):
    """(level, item, destination, page index) of each bookmark that leads to a page, in order."""
    if pages is None:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    for item in items:
        destination = _destination(pdf, item)
        if destination is not None and destination[0].objgen in pages:
            yield level, item, destination, pages[destination[0].objgen]
        yield from _walk(pdf, item.children, pages, level + 1)


def _destination(pdf: pikepdf.Pdf, item: pikepdf.OutlineItem) -> Array | None:
    destination = item.destination
    if destination is None and item.action is not None and item.action.get("/S") == Name.GoTo:
        destination = item.action.get("/D")
    if isinstance(destination, (String, Name)) and "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        destination = pikepdf.NameTree(pdf.Root.Names.Dests).get(str(destination))
    if isinstance(destination, Dictionary):
        destination = destination.get("/D")
    if isinstance(destination, Array) and len(destination) and isinstance(destination[0], Dictionary):
        return destination
    return None


def _item_number(title: str) -> str:
    return title.split(maxsplit=1)[0] if title.strip() else ""


def _entries(headings: list[_Heading], parts: list[_Part]) -> list[_Entry]:
    """The lines of the contents: the document's headings with each item's bilag after
    the item (and the headings within it)."""
    entries = [_Entry(min(h.level, 1), h.title, h.page + 1, h.destination) for h in headings]
    items = _items(headings)
    placed: dict[int, list[_Entry]] = {}
    homeless: list[_Entry] = []
    for part in parts:
        entry = _bilag_entry(part)
        index = items.get(part.attachment.item_number)
        if index is None:
            homeless.append(entry)
            continue
        last = index
        while last + 1 < len(headings) and headings[last + 1].level > headings[index].level:
            last += 1
        placed.setdefault(last, []).append(entry)
    result = []
    for index, entry in enumerate(entries):
        result.append(entry)
        result += placed.get(index, [])
    if homeless:
        result.append(_Entry(0, "Bilag", None))
        result += homeless
    return result


def _items(headings: list[_Heading]) -> dict[str, int]:
    """Item number → index of its heading: ``2.1 Titel`` is item 2.1; ``2. Afsnit`` only when no heading is exactly it."""
    items: dict[str, int] = {}
    for index, heading in enumerate(headings):
        items.setdefault(_item_number(heading.title), index)
    for index, heading in enumerate(headings):
        items.setdefault(_item_number(heading.title).rstrip("."), index)
    return items


def _bilag_entry(part: _Part) -> _Entry:
    attachment = part.attachment
    if part.bilag is not None:
        return _Entry(2, part.label, part.first, part.first)
    if attachment.url:
        return _Entry(2, part.label, None, attachment.url, note=f"på internettet: {attachment.url}")
    if part.has_file:
        return _Entry(2, part.label, None, note="kunne ikke sættes ind")
    return _Entry(2, part.label, None, note="ikke vedlagt")


@dataclass
class _Run:
    """Text drawn on a contents page: its lines, and what it belongs to in the structure."""

    font: str
    size: float
    lines: list[tuple[float, float, str]]  # x, y, text
    owner: tuple  # ("title",), ("heading",), ("entry", n, "text"|"page"), ("artifact",)
    gray: float = 0.0


@dataclass
class _Page:
    runs: list[_Run] = field(default_factory=list)
    links: list[tuple[tuple[float, float, float, float], int]] = field(default_factory=list)  # rect, entry


def _lay_out(entries: list[_Entry], title: str, mediabox) -> list[_Page]:
    """The contents pages (text positions only: page numbers are known before, page objects after)."""
    left, top, bottom, column = 70.85, 70.85, 56.7, 28.0
    width, height = float(mediabox[2]) - float(mediabox[0]), float(mediabox[3]) - float(mediabox[1])
    right = width - left
    pages = [_Page()]
    y = height - top
    for line in _wrap(title, "/F2", 16, right - left):
        y -= 20
        pages[0].runs.append(_Run("/F2", 16, [(left, y, line)], ("title",)))
    y -= 30
    pages[0].runs.append(_Run("/F2", 13, [(left, y, CONTENTS)], ("heading",)))
    y -= 8
    for index, entry in enumerate(entries):
        font, size = ("/F2", 10.5) if entry.level == 0 else ("/F1", 10.5 if entry.level == 1 else 10)
        indent = left + (0, 14, 34)[entry.level]
        lines = _wrap(entry.text, font, size, right - column - indent)
        notes = _wrap(entry.note, "/F1", 9, right - indent - 12) if entry.note else []
        need = 15 * len(lines) + 12 * len(notes) + (6 if entry.level == 0 else 0)
        if y - need < bottom:
            pages.append(_Page())
            y = height - top
        y -= 6 if entry.level == 0 else 0
        first = y - 15
        placed = [(indent, first - 15 * n, line) for n, line in enumerate(lines)]
        y = first - 15 * (len(lines) - 1)
        page = pages[-1]
        page.runs.append(_Run(font, size, placed, ("entry", index, "text")))
        if entry.page is not None:
            number = str(entry.page)
            end = indent + _width(lines[-1], font, size) + 4
            start = right - _width(number, font, size)
            dots = "." * max(0, int((start - 4 - end) / _width(".", "/F1", size)))
            if dots:
                page.runs.append(_Run("/F1", size, [(start - 4 - _width(dots, "/F1", size), y, dots)], ("artifact",), 0.5))
            page.runs.append(_Run(font, size, [(start, y, number)], ("entry", index, "page")))
        if notes:
            page.runs.append(_Run("/F1", 9, [(indent + 12, y - 12 * (n + 1), note) for n, note in enumerate(notes)],
                                  ("entry", index, "text"), 0.25))
            y -= 12 * len(notes)
        if entry.target is not None:
            page.links.append(((indent - 2, y - 4, right + 2, first + size + 2), index))
    return pages


def _winansi(text: str) -> bytes:
    """``text`` in WinAnsiEncoding: what cp1252 lacks becomes its plain form (a letter
    without its accent: ő is o), or "?"."""
    out = bytearray()
    for char in text:
        char = _PLAIN.get(char, char)
        for c in char:
            try:
                out += c.encode("cp1252")
            except UnicodeEncodeError:
                plain = unicodedata.normalize("NFKD", c).encode("cp1252", "ignore")
                letter = unicodedata.category(c).startswith("L") and plain.isalpha()
                out += plain if letter else b"?"
    return bytes(max(b, 32) for b in out)


def _width(text: str, font: str, size: float) -> float:
    widths = _FONTS[font]
    return sum(widths[b - 32] for b in _winansi(text)) * size / 1000


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text``, shortened with "…" to fit ``width``."""
    if _width(text, font, size) <= width:
        return text
    while text and _width(text.rstrip() + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if _width(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
        while _width(line, font, size) > width and len(line) > 1:  # a word longer than the line
            cut = len(line)
            while cut > 1 and _width(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
    return [*lines, line] if line or not lines else lines


# Drawing -----------------------------------------------------------------------------------


def _fonts(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    def font(name: str):
        return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name(name),
                                            Encoding=Name.WinAnsiEncoding))

    return {"/F1": font("/Helvetica"), "/F2": font("/Helvetica-Bold")}


def _show(font, size: float, lines, gray: float = 0.0) -> list:
    ops = [([], Operator("BT")), ([font, size], Operator("Tf")), ([gray], Operator("g"))]
    x0 = y0 = 0.0
    for x, y, text in lines:
        ops.append(([round(x - x0, 2), round(y - y0, 2)], Operator("Td")))
        ops.append(([String(_winansi(text))], Operator("Tj")))
        x0, y0 = x, y
    return [*ops, ([], Operator("ET"))]


def _marked(tag: str, properties: Dictionary | None, body: list) -> list:
    start = ([Name(tag), properties], Operator("BDC")) if properties is not None else ([Name(tag)], Operator("BMC"))
    return [start, *body, ([], Operator("EMC"))]


def _artifact(body: list) -> list:
    return _marked("/Artifact", Dictionary(Type=Name.Pagination, Subtype=Name.Header), body)


def _box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    box = page.cropbox if "/CropBox" in page.obj else page.mediabox
    x0, y0, x1, y1 = (float(v) for v in box)
    if x1 - x0 < 1 or y1 - y0 < 1:
        raise ValueError("page box")
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _stamp(page: pikepdf.Page, label: str, number: str, font, wrap: tuple | None) -> None:
    """Scale the page's content into the part under the band and write ``label`` and ``number`` in the band.

    The band is at the top as the page is shown (``/Rotate`` included); ``wrap``, a
    (tag, properties) pair, puts the page's own content in one marked-content sequence.
    """
    x0, y0, x1, y1 = _box(page)
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    # shown (u, v) → page (x, y), as [a b c d e f]: x = a·u + c·v + e, y = b·u + d·v + f
    shown = {0: (1, 0, 0, 1, x0, y0), 90: (0, 1, -1, 0, x1, y0),
             180: (-1, 0, 0, -1, x1, y1), 270: (0, -1, 1, 0, x0, y1)}.get(rotate, (1, 0, 0, 1, x0, y0))
    wide, high = (x1 - x0, y1 - y0) if rotate in (0, 180) else (y1 - y0, x1 - x0)
    band = min(BAND, 0.08 * high)
    scale = (high - band) / high
    a, b, _, _, e, f = shown
    px, py = a * wide / 2 + e, b * wide / 2 + f  # the middle of the bottom edge stays where it is
    content = (scale, 0, 0, scale, round((1 - scale) * px, 3), round((1 - scale) * py, 3))
    balance = pikepdf.parse_content_stream(page, _BALANCE_OPERATORS)
    saves = sum(1 if op == Operator("q") else -1 if op == Operator("Q") else 0 for _, op in balance)
    marks = sum(1 if op in (Operator("BMC"), Operator("BDC")) else -1 if op == Operator("EMC") else 0
                for _, op in balance)
    before = [([*map(_number, content)], Operator("cm"))]
    after = [([], Operator("EMC"))] * max(0, marks)
    if wrap is not None:
        before.append(([Name(wrap[0]), wrap[1]], Operator("BDC")))
        after.append(([], Operator("EMC")))
    after += [([], Operator("Q"))] * (max(0, saves) + 1)
    page.contents_add(pikepdf.unparse_content_stream([([], Operator("q")), *before]), prepend=True)
    name = _font_name(page, font)
    size = min(BAND_TEXT, band * 0.35)
    margin = min(42.5, 0.07 * wide)
    base = high - band / 2 - size * 0.35
    number_width = _width(number, "/F1", size)
    text = _fit(label, "/F1", size, wide - 2 * margin - number_width - 12)
    band_ops = [([], Operator("q")), ([*map(_number, shown)], Operator("cm")),
                ([0.6], Operator("G")), ([0.4], Operator("w")),
                ([round(margin, 2), round(high - band + 3, 2)], Operator("m")),
                ([round(wide - margin, 2), round(high - band + 3, 2)], Operator("l")), ([], Operator("S")),
                *_show(name, size, [(margin, base, text)]),
                *_show(name, size, [(wide - margin - number_width, base, number)]), ([], Operator("Q"))]
    page.contents_add(pikepdf.unparse_content_stream([*after, *_artifact(band_ops)]))
    for annotation in page.obj.get("/Annots", Array()):
        if isinstance(annotation, Dictionary):
            _scale_annotation(annotation, content)


def _font_name(page: pikepdf.Page, font) -> Name:
    """``font`` in the page's resources under a name of its own (a fixed one: the same bytes every time)."""
    fonts = page.resources.get("/Font", Dictionary())
    for n in range(1, 1000):
        name = Name(f"/RardocsBand{n}")
        if name not in fonts or fonts[name].objgen == font.objgen:
            break
    return page.add_resource(font, Name.Font, name=name)


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(float(value), 5)


def _scale_annotation(annotation: Dictionary, matrix: tuple) -> None:
    scale, _, _, _, dx, dy = matrix
    for key in ("/Rect", "/QuadPoints"):
        values = annotation.get(key)
        if isinstance(values, Array) and all(isinstance(v, (int, Decimal)) for v in values):
            annotation[key] = Array([round(float(v) * scale + (dx if n % 2 == 0 else dy), 3)
                                     for n, v in enumerate(values)])


# Merging -----------------------------------------------------------------------------------


@dataclass
class _Tags:
    """The document's structure tree, to which the contents and the bilag are added (None: untagged)."""

    root: Dictionary
    parent: Dictionary  # the element new sections go under (the /Document element, else the root)
    tree: pikepdf.NumberTree
    next_key: int

    @classmethod
    def of(cls, pdf: pikepdf.Pdf) -> _Tags | None:
        root = pdf.Root.get("/StructTreeRoot")
        if not isinstance(root, Dictionary) or "/K" not in root:
            return None
        kids = _kids(root)
        parent = kids[0] if len(kids) == 1 and isinstance(kids[0], Dictionary) and kids[0].is_indirect else root
        _set_kids(parent, _kids(parent))
        if "/ParentTree" not in root:
            root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array()))
        tree = pikepdf.NumberTree(root.ParentTree)
        keys = [int(k) for k in tree]
        next_key = max([int(root.get("/ParentTreeNextKey", 0)), *(k + 1 for k in keys)])
        return cls(root, parent, tree, next_key)

    def key(self, value) -> int:
        key = self.next_key
        self.tree[key] = value
        self.next_key += 1
        self.root.ParentTreeNextKey = self.next_key
        return key

    def element(self, pdf: pikepdf.Pdf, role: str, parent: Dictionary, kids=None, **entries) -> Dictionary:
        """A new structure element, the last kid of ``parent`` (whose /K is an array)."""
        element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name(role), P=parent,
                                               K=Array() if kids is None else kids, **entries))
        parent.K.append(element)
        return element


def _kids(element: Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _set_kids(element: Dictionary, kids: list) -> None:
    element.K = Array(kids)


def _append(pdf: pikepdf.Pdf, part: _Part, total: int, fonts, tags: _Tags | None, problems: list[tuple[str, str]]) -> None:
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
    adopted = section is not None and _adopt_tags(pdf, part, section, tags, problems)
    for offset, page in enumerate(part.pages):
        wrap = None
        if not adopted:
            _untag(page)
        if section is not None and not adopted:
            has_text = _has_text(page.obj, page.resources, 0)
            element = tags.element(pdf, "/P" if has_text else "/Figure", section, 0, Pg=page.obj)
            if not has_text:
                element.Alt = String(f"Side {offset + 1} af bilag {part.attachment.number}: "
                                     f"{part.attachment.title} (scannet, uden tekst)")
            page.obj.StructParents = tags.key(Array([element]))
            wrap = (str(element.S), Dictionary(MCID=0))
        _stamp(page, part.label, f"Side {part.first + offset} af {total}", fonts["/F1"], wrap)


def _link_bilag(pages: list[pikepdf.Page], parts: list[_Part]) -> None:
    """The document's links to bilag files lead to the bilag's first page instead."""
    first = {unquote(part.attachment.link): part.pages[0] for part in parts if part.attachment.link and part.pages}
    for page in pages:
        for annotation in page.obj.get("/Annots", Array()):
            action = annotation.get("/A") if isinstance(annotation, Dictionary) else None
            if isinstance(action, Dictionary) and action.get("/S") == Name.URI:
                target = first.get(unquote(str(action.get("/URI", ""))))
                if target is not None:
                    del annotation["/A"]
                    annotation.Dest = Array([target.obj, Name.Fit])


def _untag(page: pikepdf.Page) -> None:
    """Drop a page's references into a structure tree it no longer has."""
    if "/StructParents" in page.obj:
        del page.obj["/StructParents"]
    for annotation in page.obj.get("/Annots", Array()):
        if isinstance(annotation, Dictionary) and "/StructParent" in annotation:
            del annotation["/StructParent"]


def _adopt_tags(pdf: pikepdf.Pdf, part: _Part, section: Dictionary, tags: _Tags, problems: list[tuple[str, str]]) -> bool:
    """Move a tagged bilag's structure tree under ``section``; False when it has none (or a broken one)."""
    source = part.bilag.Root.get("/StructTreeRoot")
    if not isinstance(source, Dictionary) or "/K" not in source:
        return False
    try:
        roles = source.get("/RoleMap", Dictionary())
        tops = _kids(source)
        if len(tops) == 1 and isinstance(tops[0], Dictionary) and _role(tops[0], roles) == "/Document":
            tops = _kids(tops[0])
        kids = [_adopt(pdf, kid) for kid in tops]
        entries = {}
        if "/ParentTree" in source:
            entries = {int(key): _adopt(pdf, value) for key, value in pikepdf.NumberTree(source.ParentTree).items()}
        for name in ("/RoleMap", "/ClassMap"):
            if isinstance(source.get(name), Dictionary):
                mine = tags.root.get(name)
                if not isinstance(mine, Dictionary):
                    tags.root[name] = mine = Dictionary()
                for key, value in source[name].items():
                    if key not in mine:
                        mine[key] = _adopt(pdf, value)
    except _BROKEN:
        problems.append((part.attachment.source or part.attachment.number,
                         "bilaget kommer med i den samlede PDF uden sin opmærkning for skærmlæsere (tags),"
                         " som ikke kunne læses"))
        return False
    for kid in kids:
        if isinstance(kid, Dictionary) and "/S" in kid:
            kid.P = section
    _set_kids(section, kids)
    offset = tags.next_key
    for key, value in sorted(entries.items()):
        tags.tree[key + offset] = value
    tags.next_key = offset + max(entries, default=-1) + 1
    tags.root.ParentTreeNextKey = tags.next_key
    for page in part.pages:
        if isinstance(page.obj.get("/StructParents"), int):
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", Array()):
            if isinstance(annotation, Dictionary) and isinstance(annotation.get("/StructParent"), int):
                annotation.StructParent = int(annotation.StructParent) + offset
    return True


def _role(element: Dictionary, roles: Dictionary) -> str:
    role = element.get("/S")
    for _ in range(10):
        if not isinstance(role, Name) or role not in roles:
            break
        role = roles[role]
    return str(role)


def _adopt(pdf: pikepdf.Pdf, obj):
    """A bilag's object as ours: indirect objects through qpdf's copy (which maps the bilag's
    pages to their copies, already made), direct containers rebuilt around them."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return pdf.copy_foreign(obj)
    if isinstance(obj, Dictionary):
        return Dictionary({key: _adopt(pdf, value) for key, value in obj.items()})
    if isinstance(obj, Array):
        return Array([_adopt(pdf, value) for value in obj])
    return obj


def _insert_contents(pdf: pikepdf.Pdf, layout: list[_Page], entries: list[_Entry], fonts, tags: _Tags | None) -> None:
    """Put the contents pages first; a numbered page n is then ``pdf.pages[len(layout) + n - 1]``."""
    first = len(layout)
    media = Array([float(v) for v in pdf.pages[0].mediabox])
    owners: dict[tuple, Dictionary] = {}
    toc = None
    if tags is not None:
        section = tags.element(pdf, "/Sect", tags.parent, T=String(CONTENTS))
        tags.parent.K.insert(0, tags.parent.K.pop())  # the contents come first in reading order too
        owners[("title",)] = tags.element(pdf, "/H1", section)
        owners[("heading",)] = tags.element(pdf, "/H2", section)
        toc = tags.element(pdf, "/TOC", section)
    for number, draft in enumerate(layout):
        page = pikepdf.Page(pdf.make_indirect(Dictionary(
            Type=Name.Page, MediaBox=media, Resources=Dictionary(Font=Dictionary(F1=fonts["/F1"], F2=fonts["/F2"])))))
        pdf.pages.insert(number, page)
        page = pdf.pages[number]
        ops, parents = [], []
        for run in draft.runs:
            body = _show(Name(run.font), run.size, run.lines, run.gray)
            if tags is None:
                ops += body
            elif run.owner == ("artifact",):
                ops += _marked("/Artifact", None, body)
            else:
                owner = _owner(pdf, tags, owners, toc, run.owner, entries)
                owner.K.append(len(parents))
                owner.Pg = page.obj
                ops += _marked(str(owner.S), Dictionary(MCID=len(parents)), body)
                parents.append(owner)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        annotations = Array()
        for rect, index in draft.links:
            target = entries[index].target
            link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([round(v, 2) for v in rect]),
                              Border=Array([0, 0, 0]), F=4, Contents=String(_link_text(entries[index])))
            if isinstance(target, str):
                link.A = Dictionary(S=Name.URI, URI=String(target))
            else:
                link.Dest = target if isinstance(target, Array) else Array([pdf.pages[first + target - 1].obj, Name.Fit])
            link = pdf.make_indirect(link)
            annotations.append(link)
            if tags is not None:
                owner = _owner(pdf, tags, owners, toc, ("entry", index), entries)
                owner.K.append(Dictionary(Type=Name.OBJR, Obj=link, Pg=page.obj))
                link.StructParent = tags.key(owner)
        if annotations:
            page.obj.Annots = annotations
            page.obj.Tabs = Name.S
        if tags is not None:
            page.obj.StructParents = tags.key(Array(parents))


def _owner(pdf, tags: _Tags, owners: dict, toc, owner: tuple, entries: list[_Entry]) -> Dictionary:
    """The structure element a run of the contents belongs to: a TOCI with a Link (or a P) per entry."""
    if owner[0] != "entry":
        return owners[owner]
    index = owner[1]
    if ("entry", index) not in owners:
        item = tags.element(pdf, "/TOCI", toc)
        role = "/Link" if entries[index].target is not None else "/P"
        owners[("entry", index)] = tags.element(pdf, role, item)
    return owners[("entry", index)]


def _link_text(entry: _Entry) -> str:
    if isinstance(entry.target, str):
        return f"{entry.text} på internettet: {entry.target}"
    return f"Gå til side {entry.page}: {entry.text}"


def _bookmarks(pdf: pikepdf.Pdf, parts: list[_Part], headings: list[_Heading]) -> None:
    """The document's bookmarks, with "Indhold" first and each bilag's under its item."""
    items = _items(headings)
    with pdf.open_outline(strict=False) as outline:
        found = [item for _, item, _, _ in _walk(pdf, outline.root)] if headings else []
        homeless = []
        for part in parts:
            if part.bilag is None:
                continue
            mark = pikepdf.OutlineItem(part.label, Array([part.pages[0].obj, Name.Fit]))
            index = items.get(part.attachment.item_number)
            (found[index].children if index is not None else homeless).append(mark)
        outline.root.insert(0, pikepdf.OutlineItem(CONTENTS, Array([pdf.pages[0].obj, Name.Fit])))
        outline.root.extend(homeless)


def _finish(pdf: pikepdf.Pdf, title: str, stamp_date: dt.date, contents_pages: int) -> None:
    """Page labels, title shown, language, and every date from ``stamp_date``: the same bytes every time."""
    pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.r), contents_pages, Dictionary(S=Name.D)]))
    preferences = pdf.Root.get("/ViewerPreferences")
    if not isinstance(preferences, Dictionary):
        pdf.Root.ViewerPreferences = preferences = Dictionary()
    preferences.DisplayDocTitle = True
    pdf.Root.Lang = String("da-DK")
    pdf.Root.PageMode = Name.UseOutlines
    pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.XYZ, None, None, 0])
    when = dt.datetime.combine(stamp_date, dt.time(12, 0))
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = title
        xmp["xmp:CreateDate"] = xmp["xmp:ModifyDate"] = xmp["xmp:MetadataDate"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        xmp["xmp:CreatorTool"] = "rardocs"
        for key in ("xmpMM:DocumentID", "xmpMM:InstanceID", "{http://www.aiim.org/pdfua/ns/id/}part"):
            if key in xmp:
                del xmp[key]
    pdf.docinfo["/Title"] = String(title)
    pdf.docinfo["/CreationDate"] = pdf.docinfo["/ModDate"] = String(when.strftime("D:%Y%m%d%H%M%SZ"))
    pdf.docinfo["/Creator"] = String("rardocs")
    for varies in ("/ID", "/DocChecksum"):
        if varies in pdf.trailer:
            del pdf.trailer[varies]
