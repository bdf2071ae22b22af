"""Read a PDF into :class:`~rardocs.importer.blocks.Line` objects with pdfminer.six.

The lines are built from the page's characters (not pdfminer's own text boxes, which
tear apart words such as hyphenated addresses that LibreOffice draws in pieces):

- characters on one baseline make a row; a row falls into *chunks* where a gap wider
  than about a character's height (a tab, a column gutter) or a drawn table border
  separates its text;
- a table drawn with borders (``LTLine``/``LTRect``) gives one line per table row, its
  ``cells`` the text of each cell (a cell's wrapped lines joined by a space);
- a page in two columns (a vertical gutter that no line crosses) is read left column
  first, then the right one; lines that cross the gutter (a heading over both columns)
  stay where they are;
- running headers and footers (the same text, digits aside, at the same place at the
  top or bottom of at least two pages) and bare page numbers are marked as
  ``artefact``; a table header row repeated at the top of the next page too;
- a hyperlink, which a PDF shows only as its text, is the page's link annotation (a
  ``/URI`` action of an ``http``, ``https`` or ``mailto`` address; internal links aside):
  the characters whose centre lies in its rectangle (or one of its ``/QuadPoints``)
  are its text, written ``[text](address)``, or bare when the text is the address
  itself, whole or broken over lines (``lines.join`` puts a broken one together and
  ``lines.merge_links`` a link's parts on two lines).

pdfminer.six is an optional dependency (the ``import`` extra): it is imported when a
PDF is read.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from rardocs.importer.blocks import ImportFault, Line

BULLET = "\uf0b7"
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st"})
CID_AT_START = re.compile(r"^\(cid:\d+\)")
PAGE_NUMBER = re.compile(r"^(side\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(\s*(af|/)\s*\d{1,4})?$", re.IGNORECASE)

WORD_GAP = 0.13  # a gap wider than this share of the font size between two characters is a space
CHUNK_GAP = 1.0  # a gap wider than this share of the font size splits a row into chunks
EDGE_ZONE = 0.15  # headers/footers stand in this share of the page's height at its top/bottom


@dataclass
class _Char:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    link: str | None = None  # the address of the link annotation the character is in


#: A piece of a line's text and the address of the link it belongs to (or ``None``).
_Piece = tuple[str, "str | None"]


def _joined(parts: list[list[_Piece]]) -> list[_Piece]:
    """Pieces of text joined by a space, which belongs to a link when the text on both
    sides of it does."""
    out: list[_Piece] = []
    for part in parts:
        if not part:
            continue
        if out:
            out.append((" ", out[-1][1] if out[-1][1] == part[0][1] else None))
        out.extend(part)
    return out


@dataclass
class _Chunk:
    """Text of a row without a wide gap in it."""

    chars: list[_Char]

    @property
    def x0(self) -> float:
        return self.chars[0].x0

    @property
    def x1(self) -> float:
        return max(c.x1 for c in self.chars)

    @property
    def text(self) -> str:
        out = ""
        previous = None
        for char in self.chars:
            if previous is not None and char.x0 - previous.x1 > WORD_GAP * max(char.size, previous.size):
                out += " "
            out += char.text
            previous = char
        return " ".join(out.split())

    @property
    def pieces(self) -> list[_Piece]:
        """The chunk's text as :attr:`text` has it, character by character with its link."""
        out: list[_Piece] = []
        previous = None
        for char in self.chars:
            if previous is not None and char.x0 - previous.x1 > WORD_GAP * max(char.size, previous.size):
                out.append((" ", char.link if char.link == previous.link else None))
            out.append((char.text, char.link))
            previous = char
        return out


@dataclass
class _Item:
    """A row of text (``chunks``) or a table row (``cells``) of a page, in PDF units
    (y grows upwards)."""

    top: float
    bottom: float
    chunks: list[_Chunk] = field(default_factory=list)
    cells: list[str] | None = None
    cell_pieces: list[list[_Piece]] | None = None  # each cell's text with its links
    x0_cells: float = 0.0
    x1_cells: float = 0.0
    artefact: str | None = None
    table: int | None = None  # which drawn table of the page the row belongs to

    @property
    def x0(self) -> float:
        return self.chunks[0].x0 if self.chunks else self.x0_cells

    @property
    def x1(self) -> float:
        return self.chunks[-1].x1 if self.chunks else self.x1_cells

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def text(self) -> str:
        if self.cells is not None:
            return "  ".join(self.cells)
        return " ".join(chunk.text for chunk in self.chunks)

    @property
    def pieces(self) -> list[_Piece]:
        return _joined([chunk.pieces for chunk in self.chunks])


@dataclass
class _Page:
    number: int
    width: float
    height: float
    items: list[_Item]


def read_pdf(path: Path) -> list[Line]:
    """The lines of the PDF at ``path`` in reading order; :class:`ImportFault` (a Danish
    message) when it cannot be read, is protected by a password or has no text."""
    path = Path(path)
    raw_pages = _load(path)
    pages = [_layout(number, width, height, chars, hsegs, vsegs)
             for number, (width, height, chars, hsegs, vsegs) in enumerate(raw_pages, start=1)]
    if not any(page.items for page in pages):
        raise ImportFault(f"{path.name}: PDF-filen har ingen tekst (en scanning?); importér en tekstudgave")
    _mark_running(pages)
    _mark_repeated_headers(pages)
    return _lines(pages)


# --- reading the file ---------------------------------------------------------------

def _load(path: Path):
    """Per page: its size, its characters and its horizontal and vertical rules."""
    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.layout import (
            LAParams,
            LTChar,
            LTContainer,
            LTCurve,
            LTLine,
            LTRect,
        )
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
        from pdfminer.pdfpage import PDFPage
        from pdfminer.psparser import PSException
    except ImportError:  # pragma: no cover - depends on the installation
        raise ImportFault(f"{path.name}: PDF kan kun importeres med pdfminer.six; installér rardocs[import]") from None

    def unreadable(reason: str) -> ImportFault:
        return ImportFault(f"{path.name}: filen kan ikke læses som PDF ({reason})")

    try:
        head = path.read_bytes()[:1024]
    except OSError as error:
        raise unreadable(f"kan ikke åbne filen: {error.strerror or error}") from None
    if b"%PDF-" not in head:
        raise unreadable("den begynder ikke som en PDF-fil")

    def walk(obj, chars, hsegs, vsegs):
        for child in obj:
            if isinstance(child, LTChar):
                text = child.get_text()
                if text.strip():
                    chars.append(_Char(text.translate(LIGATURES), child.x0, child.x1, child.y0, child.y1,
                                       child.size or (child.y1 - child.y0)))
            elif isinstance(child, (LTLine, LTRect)):
                x0, y0, x1, y1 = child.bbox
                if isinstance(child, LTRect) and x1 - x0 > 2 and y1 - y0 > 2:
                    if not child.stroke:
                        continue  # a filled area (a shaded cell), no border
                    hsegs += [(x0, x1, y0), (x0, x1, y1)]
                    vsegs += [(x0, y0, y1), (x1, y0, y1)]
                elif y1 - y0 <= 2 and x1 - x0 > 2:
                    hsegs.append((x0, x1, (y0 + y1) / 2))
                elif x1 - x0 <= 2 and y1 - y0 > 2:
                    vsegs.append(((x0 + x1) / 2, y0, y1))
            elif isinstance(child, LTContainer) and not isinstance(child, LTCurve):
                walk(child, chars, hsegs, vsegs)

    pages = []
    try:
        with path.open("rb") as file:  # as pdfminer's extract_pages, with each page's annotations
            resources = PDFResourceManager(caching=True)
            device = PDFPageAggregator(resources, laparams=LAParams())
            interpreter = PDFPageInterpreter(resources, device)
            for pdf_page in PDFPage.get_pages(file):
                interpreter.process_page(pdf_page)
                page = device.get_result()
                chars, hsegs, vsegs = [], [], []
                walk(page, chars, hsegs, vsegs)
                _mark_links(chars, _links(pdf_page))
                pages.append((page.width, page.height, chars, hsegs, vsegs))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ImportFault(f"{path.name}: PDF-filen er beskyttet med adgangskode; "
                          "gem en udgave uden adgangskode og importér den") from None
    except PSException:
        raise unreadable("filen er ødelagt") from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, AssertionError,
            RecursionError, ZeroDivisionError, OverflowError, EOFError) as error:
        raise unreadable(f"filen er ødelagt: {type(error).__name__}") from None
    except Exception as error:  # pdfminer raises plain Exception subclasses of its own
        if type(error).__module__.startswith("pdfminer"):
            raise unreadable("filen er ødelagt") from None
        raise
    if not pages:
        raise unreadable("filen har ingen sider")
    return pages


# --- links ------------------------------------------------------------------------------

_ADDRESS = re.compile(r"^(?:https?://\S|mailto:\S)", re.IGNORECASE)


def _name(obj) -> str:
    """A PDF name (``/Link``) as text."""
    return str(getattr(obj, "name", obj) or "")


def _uri(value) -> str | None:
    """A link annotation's address as text (a PDF string is bytes), or None."""
    if isinstance(value, bytes):
        if value.startswith((b"\xfe\xff", b"\xff\xfe")):
            value = value.decode("utf-16", errors="replace")
        else:
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    value = value.strip().replace(" ", "%20")
    return value if _ADDRESS.match(value) else None


def _links(pdf_page) -> list[tuple[str, list[tuple[float, float, float, float]]]]:
    """The web and mail links of a page: each its address and the areas it covers
    (``x0, y0, x1, y1`` in the layout's units: the page's origin and rotation applied)."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import apply_matrix_pt

    x0, y0, x1, y1 = (float(v) for v in pdf_page.mediabox)
    rotate = pdf_page.rotate % 360
    ctm = {90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
           270: (0, 1, -1, 0, y1, -x0)}.get(rotate, (1, 0, 0, 1, -x0, -y0))

    def area(points: list[float]) -> tuple[float, float, float, float]:
        corners = [apply_matrix_pt(ctm, (points[i], points[i + 1])) for i in range(0, len(points), 2)]
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        return min(xs), min(ys), max(xs), max(ys)

    def numbers(value) -> list[float] | None:
        value = resolve1(value)
        if not isinstance(value, (list, tuple)):
            return None
        out = [resolve1(v) for v in value]
        return [float(v) for v in out] if all(isinstance(v, (int, float)) for v in out) else None

    found = []
    annotations = resolve1(pdf_page.annots)
    for annotation in annotations if isinstance(annotations, (list, tuple)) else []:
        annotation = resolve1(annotation)
        if not isinstance(annotation, dict) or _name(resolve1(annotation.get("Subtype"))) != "Link":
            continue
        action = resolve1(annotation.get("A"))
        if not isinstance(action, dict) or _name(resolve1(action.get("S"))) != "URI":
            continue  # an internal link (/Dest, /GoTo) or another action
        uri = _uri(resolve1(action.get("URI")))
        rect = numbers(annotation.get("Rect"))
        if uri is None or rect is None or len(rect) != 4:
            continue
        quads = numbers(annotation.get("QuadPoints"))
        if quads and len(quads) % 8 == 0:
            areas = [area(quads[i:i + 8]) for i in range(0, len(quads), 8)]
        else:
            areas = [area([rect[0], rect[1], rect[2], rect[3], rect[0], rect[3], rect[2], rect[1]])]
        found.append((uri, areas))
    return found


def _mark_links(chars: list[_Char], links) -> None:
    """Each character whose centre lies in a link's area belongs to that link."""
    if not links:
        return
    for char in chars:
        x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
        for uri, areas in links:
            if any(a0 - 0.5 <= x <= a1 + 0.5 and b0 - 0.5 <= y <= b1 + 0.5 for a0, b0, a1, b1 in areas):
                char.link = uri
                break


def _address_key(text: str) -> str:
    text = "".join(unquote("".join(text.split())).split()).lower()
    for prefix in ("https://", "http://", "mailto:"):
        text = text.removeprefix(prefix)
    return text.removeprefix("www.").rstrip("/")


def _is_address(text: str, uri: str) -> bool:
    """Whether a link's visible ``text`` is its address as Markdown makes a link of it
    (as the Word reader has it): the address itself, ``https://``, ``www.`` and a
    closing ``/`` aside, written from its ``https://`` or ``www.``."""
    return bool(re.match(r"^\s*(?:https?://|www\.)", text, re.IGNORECASE)) and _address_key(text) == _address_key(uri)


def _runs(pieces: list[_Piece]) -> list[tuple[str, str | None]]:
    """Pieces grouped into runs of text of one link (or of none)."""
    runs: list[tuple[str, str | None]] = []
    for text, link in pieces:
        if runs and runs[-1][1] == link:
            runs[-1] = (runs[-1][0] + text, link)
        else:
            runs.append((text, link))
    return runs


def _render(runs: list[tuple[str, str | None]], bare: set[int]) -> str:
    """Runs as Markdown: a link ``[text](address)`` (a bracket in the text escaped), or its
    text alone when its index is in ``bare`` (an address shown as it is, its line breaks'
    spaces taken out)."""
    out = []
    for index, (text, link) in enumerate(runs):
        if link is None:
            out.append(text)
        elif index in bare:
            out.append("".join(text.split()))
        else:
            label = re.sub(r"([\[\]])", r"\\\1", " ".join(text.split()))
            out.append(f"[{label}]({link})")
    return " ".join("".join(out).split())


def _address_parts(texts: list[str], link: str) -> list[list[tuple[str, str | None]]]:
    """The texts of a link's runs on consecutive lines as runs again, the link's address
    shown in them (from a word with ``https://`` or ``www.``, going on at the next line's
    start when it ends its line) taken out of the link: bare."""
    words = [text.split() for text in texts]
    bare = [[False] * len(line) for line in words]
    for k, line in enumerate(words):
        for m, word in enumerate(line):
            if not re.match(r"^(?:https?://|www\.)", word, re.IGNORECASE):
                continue
            address, spots = word, [(k, m)]
            while not _is_address(address, link):
                last_k, last_m = spots[-1]
                if last_m != len(words[last_k]) - 1 or last_k + 1 == len(words) or not words[last_k + 1]:
                    spots = []
                    break
                address += words[last_k + 1][0]
                spots.append((last_k + 1, 0))
            for spot_k, spot_m in spots:
                bare[spot_k][spot_m] = True
    out = []
    for line, flags in zip(words, bare):
        runs: list[tuple[str, str | None]] = []
        for word, flag in zip(line, flags):
            if runs and (runs[-1][1] is None) == flag:
                runs[-1] = (f"{runs[-1][0]} {word}", runs[-1][1])
            else:
                if runs:
                    runs.append((" ", None))
                runs.append((word, None if flag else link))
        out.append(runs)
    return out


def _link_texts(lines: list[Line], pieces: list[list[_Piece] | list[list[_Piece]] | None]) -> None:
    """The lines' texts (and cells') with their links written as Markdown.

    A link's text that goes on at the start of the next line (not an artefact, not a
    table row) belongs with it: the address itself in it, whole or broken over lines, is
    left bare (for :func:`~rardocs.importer.lines.join` to put together), the rest of
    its text is the link's."""
    runs = {}  # the index of a line: its runs (a plain line), or each cell's (a table row)
    for index, (line, found) in enumerate(zip(lines, pieces)):
        if found is None:
            continue
        if line.cells is None:
            runs[index] = _runs(found)
        else:
            runs[index] = [_runs(cell) for cell in found]
    # a link's runs over line breaks of the running text, each chain as (line, run) pairs
    body = [index for index, line in enumerate(lines) if line.artefact is None]
    following = dict(itertools.pairwise(body))
    chains: list[list[tuple[int, int]]] = []
    for index, line in enumerate(lines):
        if line.cells is not None or line.artefact is not None or index not in runs:
            continue
        for position, (_, link) in enumerate(runs[index]):
            if link is None:
                continue
            if position == 0 and chains:
                last, last_position = chains[-1][-1]
                if (following.get(last) == index and last_position == len(runs[last]) - 1
                        and runs[last][last_position][1] == link):
                    chains[-1].append((index, position))
                    continue
            chains.append([(index, position)])
    for chain in chains:
        link = runs[chain[0][0]][chain[0][1]][1]
        parts = _address_parts([runs[i][p][0] for i, p in chain], link)
        for (i, p), split in zip(chain, parts):
            runs[i][p] = split
    for index in list(runs):
        if lines[index].cells is None:  # the runs split at an address put back in line
            runs[index] = [piece for run in runs[index]
                           for piece in (run if isinstance(run, list) else [run])]
    for index, line in enumerate(lines):
        if index not in runs:
            continue
        if line.cells is None:
            if any(link for _, link in runs[index]):
                line.text = CID_AT_START.sub(BULLET, _render(runs[index], set()))
            continue
        cells = []
        for cell_runs in runs[index]:
            cells.append(_render(cell_runs, {p for p, (text, link) in enumerate(cell_runs)
                                             if link and _is_address(text, link)}))
        if any(link for cell_runs in runs[index] for _, link in cell_runs):
            line.cells = [CID_AT_START.sub(BULLET, cell) for cell in cells]
            line.text = "  ".join(line.cells)


# --- one page ---------------------------------------------------------------------------

def _rows(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped by baseline, top row first, each sorted left to right."""
    rows: list[list[_Char]] = []
    centre: list[float] = []
    for char in sorted(chars, key=lambda c: -(c.y0 + c.y1) / 2):
        middle = (char.y0 + char.y1) / 2
        for index in range(len(rows) - 1, max(-1, len(rows) - 3), -1):
            if abs(centre[index] - middle) < 0.35 * char.size:
                rows[index].append(char)
                break
        else:
            rows.append([char])
            centre.append(middle)
    return [sorted(row, key=lambda c: c.x0) for row in rows]


def _chunks(row: list[_Char], vsegs) -> list[_Chunk]:
    """A row cut at wide gaps and at vertical rules between its characters."""
    y0 = min(c.y0 for c in row)
    y1 = max(c.y1 for c in row)
    rules = sorted(x for x, s0, s1 in vsegs if s0 <= (y0 + y1) / 2 <= s1)
    chunks = [_Chunk([row[0]])]
    for char in row[1:]:
        last = chunks[-1].chars[-1]
        gap = char.x0 - max(c.x1 for c in chunks[-1].chars)
        ruled = any(last.x1 - 1 <= x <= char.x0 + 1 or (last.x0 < x < char.x0) for x in rules)
        if gap > CHUNK_GAP * max(char.size, last.size) or ruled:
            chunks.append(_Chunk([char]))
        else:
            chunks[-1].chars.append(char)
    return chunks


def _layout(number: int, width: float, height: float, chars, hsegs, vsegs) -> _Page:
    items = []
    for row in _rows(chars):
        chunks = _chunks(row, vsegs)
        items.append(_Item(top=max(c.y1 for c in row), bottom=min(c.y0 for c in row), chunks=chunks))
    items = _tables(items, hsegs, vsegs)
    items.sort(key=lambda item: -item.top)
    return _Page(number, width, height, items)


def _tables(items: list[_Item], hsegs, vsegs) -> list[_Item]:
    """Rows of text inside drawn table rows merged into one table-row item each.

    A table row is the band between two horizontal rules that vertical rules close at
    both ends; its cells are the spans between the vertical rules that cross it (a
    merged cell has fewer)."""
    if not hsegs or not vsegs:
        return items
    rules = sorted({round(y, 1) for _, _, y in hsegs}, reverse=True)
    bands = []
    for upper, lower in zip(rules, rules[1:]):
        if upper - lower < 3:
            continue
        middle = (upper + lower) / 2
        crossing = sorted({round(x, 1) for x, s0, s1 in vsegs if s0 - 1 <= lower and s1 + 1 >= upper})
        crossing = [x for x in crossing if any(a - 1 <= x <= b + 1 for a, b, y in hsegs if abs(y - upper) < 1)]
        if len(crossing) < 2:
            continue
        bands.append((upper, lower, middle, crossing))
    if not bands:
        return items

    table_of_band = []
    table = 0
    for index, (upper, lower, _, crossing) in enumerate(bands):
        if index and (abs(bands[index - 1][1] - upper) > 1.5
                      or abs(bands[index - 1][3][0] - crossing[0]) > 2 or abs(bands[index - 1][3][-1] - crossing[-1]) > 2):
            table += 1
        table_of_band.append(table)

    rest = []
    members: dict[int, list[_Item]] = {}
    for item in items:
        middle = (item.top + item.bottom) / 2
        for index, (upper, lower, _, crossing) in enumerate(bands):
            if lower <= middle <= upper and crossing[0] - 2 <= item.x0 and item.x1 <= crossing[-1] + 2:
                members.setdefault(index, []).append(item)
                break
        else:
            rest.append(item)
    for index, rows in members.items():
        upper, lower, _, crossing = bands[index]
        cells: list[list[str]] = [[] for _ in crossing[:-1]]
        pieces: list[list[list[_Piece]]] = [[] for _ in crossing[:-1]]
        for row in sorted(rows, key=lambda r: -r.top):
            for chunk in row.chunks:
                centre = (chunk.x0 + chunk.x1) / 2
                column = max(0, min(len(cells) - 1, sum(1 for x in crossing[1:-1] if x <= centre)))
                cells[column].append(chunk.text)
                pieces[column].append(chunk.pieces)
        rest.append(_Item(top=max(r.top for r in rows), bottom=min(r.bottom for r in rows),
                          cells=[" ".join(parts) for parts in cells],
                          cell_pieces=[_joined(parts) for parts in pieces],
                          x0_cells=min(r.x0 for r in rows), x1_cells=max(r.x1 for r in rows),
                          table=table_of_band[index]))
    return rest


# --- across pages: running headers and footers -----------------------------------------

def _key(text: str) -> str:
    return " ".join(re.sub(r"\d+", "", text).lower().split())


def _usual_space(pages: list[_Page]) -> float:
    """The usual space between two lines of a paragraph (bottom of one to top of the next)."""
    spaces = [above.bottom - below.top for page in pages for above, below in zip(page.items, page.items[1:])
              if above.cells is None and below.cells is None and above.bottom - below.top > -2]
    return max(0.0, statistics.median(spaces)) if spaces else 0.0


def _edge_items(page: _Page, usual: float):
    """The rows at the top or bottom of a page (table rows aside) that may be a running
    header or footer: in the top or bottom zone of the page, one or two rows set apart
    from the body by more than a line's space; with ``top`` True for the top ones."""
    rows = [item for item in page.items if item.cells is None]

    def apart(upper: _Item, lower: _Item) -> bool:
        return upper.bottom - lower.top > usual + 0.5 * min(upper.height, lower.height)

    found = []
    for count in (1, 2):
        head = rows[:count]
        if len(head) == count and all(item.bottom >= page.height * (1 - EDGE_ZONE) for item in head) \
                and (len(rows) == count or apart(head[-1], rows[count])):
            found = [(item, True) for item in head]
    for count in (1, 2):
        tail = rows[-count:] if len(rows) >= count else []
        if len(tail) == count and all(item.top <= page.height * EDGE_ZONE for item in tail) \
                and (len(rows) == count or apart(rows[-count - 1], tail[0])) \
                and not any(item is other for other, _ in found for item in tail):
            found = [pair for pair in found if pair[1]] + [(item, False) for item in tail]
    return found


def _mark_running(pages: list[_Page]) -> None:
    usual = _usual_space(pages)
    edges = {page.number: _edge_items(page, usual) for page in pages}
    seen: dict[tuple[str, bool], list[tuple[int, float]]] = {}
    for page in pages:
        for item, top in edges[page.number]:
            key = _key(item.text)
            if key:
                seen.setdefault((key, top), []).append((page.number, item.top))
    for page in pages:
        for item, top in edges[page.number]:
            text = item.text.strip()
            if PAGE_NUMBER.match(text):
                item.artefact = "sidetal"
                continue
            others = [y for number, y in seen.get((_key(text), top), []) if number != page.number]
            if _key(text) and any(abs(y - item.top) < 3 for y in others):
                item.artefact = "sidehoved" if top else "sidefod"


def _mark_repeated_headers(pages: list[_Page]) -> None:
    """The first row of a table that opens a page, equal to the first row of the table
    that closed the page before, is a repeated header row."""
    for before, page in zip(pages, pages[1:]):
        body_before = [item for item in before.items if item.artefact is None]
        body = [item for item in page.items if item.artefact is None]
        # only lines in the page's top zone (a header the reader did not recognise) may
        # stand before the table's continuation
        while body and body[0].cells is None and body[0].bottom >= page.height * (1 - EDGE_ZONE):
            body = body[1:]
        if not body_before or not body or body_before[-1].cells is None or body[0].cells is None:
            continue
        last_table = body_before[-1].table
        first_row = next(item for item in body_before if item.cells is not None and item.table == last_table)
        if first_row is not body_before[-1] and body[0].cells == first_row.cells:
            body[0].artefact = "gentaget tabeloverskrift"


# --- columns, indents, gaps ---------------------------------------------------------------

def _gutter(items: list[_Item]) -> float | None:
    """The x of a vertical gutter between two columns of text, or None."""
    rows = [item for item in items if item.cells is None and item.artefact is None]
    if len(rows) < 6:
        return None
    left = min(item.x0 for item in rows)
    right = max(item.x1 for item in rows)
    width = right - left
    if width <= 0:
        return None
    counts = {}
    for x in range(int(left + 0.25 * width), int(left + 0.75 * width) + 1):
        counts[x] = sum(1 for item in rows if any(chunk.x0 < x < chunk.x1 for chunk in item.chunks))
    fewest = min(counts.values())
    if fewest > 0.3 * len(rows):
        return None
    best, run, start = (0, 0), 0, None
    for x in sorted(counts):
        if counts[x] == fewest:
            start = x if run == 0 else start
            run += 1
            if run > best[0]:
                best = (run, start)
        else:
            run = 0
    if best[0] < 6:
        return None
    gutter = best[1] + best[0] / 2
    lefts = [chunk for item in rows for chunk in item.chunks if chunk.x1 <= gutter]
    rights = [chunk for item in rows for chunk in item.chunks if chunk.x0 >= gutter]
    if len(lefts) < 3 or len(rights) < 3:
        return None
    # columns of running text reach towards the gutter; labels or short cells do not
    if statistics.median(chunk.x1 for chunk in lefts) < left + 0.6 * (gutter - left):
        return None
    return gutter


def _split(item: _Item, gutter: float) -> tuple[_Item | None, _Item | None]:
    left = [chunk for chunk in item.chunks if chunk.x1 <= gutter]
    right = [chunk for chunk in item.chunks if chunk.x0 >= gutter]

    def part(chunks):
        if not chunks:
            return None
        chars = [c for chunk in chunks for c in chunk.chars]
        return _Item(top=max(c.y1 for c in chars), bottom=min(c.y0 for c in chars), chunks=chunks)
    return part(left), part(right)


def _columns(page: _Page) -> list[list[_Item]]:
    """The page's items as runs to read in order, each run one column's (or full width)
    lines from top to bottom."""
    gutter = _gutter(page.items)
    if gutter is None:
        return [page.items]
    runs: list[list[_Item]] = []
    lefts: list[_Item] = []
    rights: list[_Item] = []

    def flush():
        if lefts:
            runs.append(list(lefts))
        if rights:
            runs.append(list(rights))
        lefts.clear()
        rights.clear()
    for item in page.items:
        crosses = item.cells is not None or item.artefact is not None or any(
            chunk.x0 < gutter < chunk.x1 for chunk in item.chunks)
        if crosses:
            flush()
            runs.append([item])
            continue
        left, right = _split(item, gutter)
        if left:
            lefts.append(left)
        if right:
            rights.append(right)
    flush()
    # consecutive full-width runs belong together (one margin, gaps between them)
    merged: list[list[_Item]] = []
    for run in runs:
        if merged and len(run) == 1 and len(merged[-1]) >= 1 and _full(merged[-1][-1], gutter) and _full(run[0], gutter):
            merged[-1].append(run[0])
        else:
            merged.append(run)
    return merged


def _full(item: _Item, gutter: float) -> bool:
    return item.cells is not None or item.artefact is not None or any(chunk.x0 < gutter < chunk.x1 for chunk in item.chunks)


def _lines(pages: list[_Page]) -> list[Line]:
    laid_out = [(page, _columns(page)) for page in pages]
    spaces = []
    for page, runs in laid_out:
        for run in runs:
            for above, below in zip(run, run[1:]):
                if above.artefact is None and below.artefact is None and above.cells is None and below.cells is None:
                    spaces.append(above.bottom - below.top)
    usual = statistics.median(s for s in spaces if s > -2) if any(s > -2 for s in spaces) else 0.0
    usual = max(0.0, usual)
    # the text column's margin: one for all single-column runs of the document, each
    # column of a two-column region its own
    singles = [item.x0 for page, runs in laid_out if len(runs) == 1 for item in runs[0] if item.artefact is None]
    single_margin = min(singles) if singles else None

    lines: list[Line] = []
    pieces: list = []  # each line's text (a table row's: each cell's) with its links
    for page, runs in laid_out:
        number = 0
        previous: _Item | None = None
        body_margin = min((item.x0 for run in runs if len(run) > 1 or len(runs) == 1
                           for item in run if item.artefact is None), default=0.0)
        for run in runs:
            column = [item for item in run if item.artefact is None]
            if len(runs) == 1:
                margin = single_margin if single_margin is not None else body_margin
            elif len(run) == 1:
                margin = min(body_margin, single_margin) if single_margin is not None else body_margin
            else:
                margin = min((item.x0 for item in column), default=body_margin)
            column_start = len(run) > 1 and len(runs) > 1
            for index, item in enumerate(run):
                number += 1
                gap = False
                if previous is not None and not (column_start and index == 0):
                    gap = previous.bottom - item.top > usual + 0.5 * item.height
                text = item.text
                if item.cells is None:
                    text = CID_AT_START.sub(BULLET, text)
                    cells = None
                else:
                    cells = [CID_AT_START.sub(BULLET, cell) for cell in item.cells]
                    text = "  ".join(cells)
                lines.append(Line(text=text, number=number, page=page.number,
                                  indent=round(max(0.0, item.x0 - margin), 1), cells=cells,
                                  gap_before=gap, artefact=item.artefact))
                pieces.append(item.pieces if item.cells is None else item.cell_pieces)
                if item.artefact is None:
                    previous = item
    _link_texts(lines, pieces)
    return lines
