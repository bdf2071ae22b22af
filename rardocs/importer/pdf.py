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
  ``artefact``; a table header row repeated at the top of the next page too.

pdfminer.six is an optional dependency (the ``import`` extra): it is imported when a
PDF is read.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass
class _Item:
    """A row of text (``chunks``) or a table row (``cells``) of a page, in PDF units
    (y grows upwards)."""

    top: float
    bottom: float
    chunks: list[_Chunk] = field(default_factory=list)
    cells: list[str] | None = None
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
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LTChar, LTContainer, LTCurve, LTLine, LTRect
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
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
        for page in extract_pages(str(path), laparams=None):
            chars, hsegs, vsegs = [], [], []
            walk(page, chars, hsegs, vsegs)
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
        for row in sorted(rows, key=lambda r: -r.top):
            for chunk in row.chunks:
                centre = (chunk.x0 + chunk.x1) / 2
                column = max(0, min(len(cells) - 1, sum(1 for x in crossing[1:-1] if x <= centre)))
                cells[column].append(chunk.text)
        rest.append(_Item(top=max(r.top for r in rows), bottom=min(r.bottom for r in rows),
                          cells=[" ".join(parts) for parts in cells],
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
                if item.artefact is None:
                    previous = item
    return lines
