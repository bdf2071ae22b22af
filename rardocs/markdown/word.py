"""Word body elements from a parsed Markdown tree, with the template's styles."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .. import ooxml
from .reader import INLINE_TAGS, InlinePart, parse, soft_breaks

_NOT_IN_URL = re.compile(r"[\x00-\x1f\x7f]")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass(frozen=True)
class Styles:
    """The paragraph, character and table style ids a document is built with."""

    body: str = "Normal"
    list_paragraph: str = "ListParagraph"
    #: The styles of a Markdown text's headings: its shallowest heading level takes the
    #: first, each level deeper the next, the last any deeper still (see :func:`heading_styles`).
    heading: tuple[str, ...] = ("Heading3", "Heading4")
    quote: str = "Quote"
    hyperlink: str = "Hyperlink"
    table: str = "TableGrid"
    table_header: str = "Tabeloverskrift"
    #: Optional: a field's text (its left indent is the hanging indent of run-in
    #: labels) and the character style of a run-in label; without them a label is
    #: bold and the text starts at the margin.
    field_text: str | None = "Felttekst"
    field_label: str | None = "Feltetiket"

    def all(self) -> set[str]:
        """The styles a template must have."""
        return {self.body, self.list_paragraph, *self.heading, self.quote, self.hyperlink, self.table, self.table_header}


@dataclass
class _Inline:
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None
    address: bool = False  # the text is the link's own address


#: Twips per character of 11 pt body text (an average), and a cell's side margins:
#: what a table column needs for its text.
CHAR_WIDTH = 110
CELL_PADDING = 240
#: A table cell of only a number (1.754, 3,9 %, -12) is right-aligned with its column.
_NUMBER = re.compile(r"^[-−+]?\d[\d.,]*(?: ?%)?$")


@dataclass
class WordWriter:
    """Builds Word body elements for one document being rendered.

    ``part`` is the document part hyperlinks are related from; ``numbering`` the
    numbering part's XML element, where a fresh list instance is added for every
    list so that numbering restarts (the writer numbers them itself, counting from the
    highest there is when it adds its first: a scan for every list made a meeting of
    1,000 items quadratic); ``width`` the text width in twips.
    """

    part: object
    numbering: object
    styles: Styles = field(default_factory=Styles)
    width: int = 9638
    #: The left indent of field text (the template's ``Felttekst`` style), in twips.
    field_indent: int = 0
    _abstract: dict = field(default_factory=dict)
    _indent: int = 0
    _headings: dict = field(default_factory=dict)  # heading element → style, for the text being written
    #: The id of the last list instance this writer added (None before its first).
    last_num_id: int | None = None

    # -- public -----------------------------------------------------------------

    def markdown(self, text: str, indent: int = 0) -> list:
        """Word paragraphs and tables for a Markdown text, ``indent`` twips from the margin."""
        self._indent = indent
        tree = parse(text)
        self._headings = heading_styles(tree, self.styles.heading)
        try:
            return self._shift(self._blocks(tree, list_level=0), indent)
        finally:
            self._indent = 0
            self._headings = {}

    def line(self, parts: list[tuple[str, str | None]], style: str | None = None, indent: int = 0) -> object:
        """One paragraph of plain text pieces, each ``(text, url or None)``."""
        runs = []
        for text, url in parts:
            if url:
                runs.append(ooxml.hyperlink(self.part, url, [ooxml.run(text, style=self.styles.hyperlink,
                                                                       nobreak_hyphens=text == url)]))
            else:
                runs.append(ooxml.run(text))
        return self._shift([ooxml.paragraph(style or self.styles.body, runs)], indent)[0]

    def run_in(self, label: str, blocks: list) -> list:
        """``blocks`` (made with ``indent=self.field_indent``) with ``label`` run in at the
        start of the first paragraph, which hangs out to the margin; a label before a
        list or a table gets a paragraph of its own."""
        indent = self.field_indent
        label_style = self.styles.field_label
        label_run = ooxml.run(label, style=label_style, bold=label_style is None)
        after = ooxml.run("\t") if indent else ooxml.run(" ")
        first = blocks[0] if blocks else None
        if first is None or first.tag != ooxml.qn("w:p") or first.find(f".//{ooxml.qn('w:numPr')}") is not None \
                or ooxml.paragraph_style(first) not in (self.styles.body, self.styles.field_text):
            first = ooxml.paragraph(self.styles.field_text or self.styles.body, [], keep_next=True)
            blocks = [first, *blocks]
        ppr = ooxml.paragraph_properties(first)
        ppr.addnext(after)
        ppr.addnext(label_run)
        if indent:
            ind = ooxml.paragraph_property(ppr, "w:ind")
            ind.set(ooxml.qn("w:left"), str(indent))
            ind.set(ooxml.qn("w:hanging"), str(indent))
            tabs = ooxml.paragraph_property(ppr, "w:tabs")
            tabs.append(ooxml.element("w:tab", {"w:val": "left", "w:pos": indent}))
        return blocks

    def _shift(self, blocks: list, indent: int) -> list:
        """Move ``blocks`` ``indent`` twips right: body text takes the field style (which is
        indented that much), lists and quotes are indented, tables are moved in."""
        if not indent:
            return blocks
        for block in blocks:
            if block.tag == ooxml.qn("w:tbl"):
                tbl_w = block.find(f"{ooxml.qn('w:tblPr')}/{ooxml.qn('w:tblW')}")
                tbl_w.addnext(ooxml.element("w:tblInd", {"w:w": indent, "w:type": "dxa"}))
                continue
            ppr = ooxml.paragraph_properties(block)
            if ooxml.paragraph_style(block) == self.styles.body and self.styles.field_text \
                    and indent == self.field_indent:
                ooxml.set_paragraph_style(block, self.styles.field_text)
                continue
            num = ppr.find(ooxml.qn("w:numPr"))
            ind = ooxml.paragraph_property(ppr, "w:ind")
            if num is not None:
                level = int(num.find(ooxml.qn("w:ilvl")).get(ooxml.qn("w:val")))
                ind.set(ooxml.qn("w:left"), str(ooxml.list_indent(level) + indent))
                ind.set(ooxml.qn("w:hanging"), str(ooxml.LIST_HANGING))
            else:
                ind.set(ooxml.qn("w:left"), str(int(ind.get(ooxml.qn("w:left")) or 0) + indent))
        return blocks

    # -- blocks -----------------------------------------------------------------

    def _blocks(self, parent, list_level: int) -> list:
        out = []
        for child in parent:
            out.extend(self._block(child, list_level))
        return out

    def _block(self, el, list_level: int) -> list:
        tag = el.tag
        if tag == "p":
            return [ooxml.paragraph(self.styles.body, self._inline(el))]
        if tag in HEADINGS:
            style = self._headings.get(el, self.styles.heading[0])
            return [ooxml.paragraph(style, self._inline(el), keep_next=True)]
        if tag in ("ul", "ol"):
            return self._list(el, list_level)
        if tag == "table":
            return self._table(el)
        if tag == "blockquote":
            blocks = self._blocks(el, list_level)
            for block in blocks:
                if block.tag == ooxml.qn("w:p"):
                    ooxml.set_paragraph_style(block, self.styles.quote)
            return blocks
        if tag == "pre":
            code = "".join(el.itertext()).rstrip("\n")
            return [ooxml.paragraph(self.styles.body, [ooxml.run(code, code=True)])]
        if tag == "hr":
            return []
        return [ooxml.paragraph(self.styles.body, self._inline(el))]

    def _list(self, el, level: int) -> list:
        if el.tag == "ul":
            kind, suffix, start = "bullet", "", 1
        else:
            kind = el.get("data-kind", "decimal")
            suffix = el.get("data-suffix", ".")
            start = int(el.get("data-start", el.get("start", "1")))
        key = (kind, suffix)
        if key not in self._abstract:
            self._abstract[key] = ooxml.add_abstract_numbering(self.numbering, kind, suffix)
        level = min(level, 8)
        num_id = ooxml.add_numbering_instance(self.numbering, self._abstract[key], level, start, self._next_num_id())
        out = []
        for li in el:
            first = True
            # Text and inline elements directly in the li form its first paragraph.
            text_parts = InlinePart(li)
            if text_parts.has_text():
                out.append(ooxml.paragraph(self.styles.list_paragraph, self._inline(text_parts), numbering=(num_id, level)))
                first = False
            for child in li:
                if child.tag in ("ul", "ol"):
                    out.extend(self._list(child, level + 1))
                elif child.tag in INLINE_TAGS:
                    continue
                else:
                    for p in self._block(child, level + 1):
                        if first and p.tag.endswith("}p"):
                            _set_list(p, self.styles.list_paragraph, num_id, level)
                            first = False
                        elif p.tag.endswith("}p"):
                            _indent_under(p, self.styles.list_paragraph, level)
                        out.append(p)
        return out

    def _next_num_id(self) -> int:
        if self.last_num_id is None:
            self.last_num_id = ooxml.highest_numbering_instance(self.numbering)
        self.last_num_id += 1
        return self.last_num_id

    def _table(self, el) -> list:
        """A Markdown table, columns as wide as their text needs (within the text width),
        numbers right-aligned, and a little space after it."""
        rows, texts, header = [], [], False
        for section in el:
            for tr in section:
                cells, row_texts = [], []
                for cell in tr:
                    is_header = cell.tag == "th"
                    header = header or is_header
                    p = ooxml.paragraph(self.styles.table_header if is_header else self.styles.body,
                                        self._inline(cell, _Inline(bold=is_header)))
                    ppr = ooxml.paragraph_properties(p)
                    ooxml.paragraph_property(ppr, "w:spacing").set(ooxml.qn("w:after"), "40")  # rows are not paragraphs apart
                    align = _alignment(cell)
                    if align:
                        ppr.append(ooxml.element("w:jc", {"w:val": align}))
                    cells.append([p])
                    row_texts.append((is_header, " ".join("".join(cell.itertext()).split())))
                rows.append(cells)
                texts.append(row_texts)
        columns = max(len(row) for row in rows)
        for column in range(columns):
            body = [row[column][1] for row in texts if column < len(row) and not row[column][0] and row[column][1]]
            if body and all(_NUMBER.match(text) for text in body):
                for row in rows:
                    if column < len(row):
                        ppr = ooxml.paragraph_properties(row[column][0])
                        if ppr.find(ooxml.qn("w:jc")) is None:
                            ppr.append(ooxml.element("w:jc", {"w:val": "right"}))
        widths = column_widths([[text for _, text in row] for row in texts], self.width - self._indent)
        spacer = ooxml.paragraph(self.styles.body, [])
        ooxml.paragraph_properties(spacer).append(ooxml.element("w:spacing", {"w:before": 0, "w:after": 0, "w:line": 120, "w:lineRule": "exact"}))
        return [ooxml.table(rows, widths, style=self.styles.table, header=header), spacer]

    # -- inline -------------------------------------------------------------------

    def _inline(self, el, fmt: _Inline | None = None) -> list:
        fmt = fmt or _Inline()
        out: list = []
        self._text(el.text, fmt, out)
        for child in el:
            if child.tag in ("ul", "ol", "p", "table", "blockquote", "pre"):
                continue  # block children are handled by the caller
            self._inline_element(child, fmt, out)
            self._text(child.tail, fmt, out)
        return out

    def _inline_element(self, el, fmt: _Inline, out: list) -> None:
        tag = el.tag
        if tag in ("strong", "b"):
            out.extend(self._inline(el, _replace(fmt, bold=True)))
        elif tag in ("em", "i"):
            out.extend(self._inline(el, _replace(fmt, italic=True)))
        elif tag == "code":
            self._text(html.unescape(el.text or ""), _replace(fmt, code=True), out)
        elif tag == "br":
            out.append(ooxml.run("\n"))
        elif tag == "a" and not fmt.link:  # a web link: parse() leaves no other
            href = _NOT_IN_URL.sub("", el.get("href", ""))
            address = len(el) == 0 and (el.text or "").strip() in (href, href.removeprefix("mailto:"))
            out.append(ooxml.hyperlink(self.part, href, self._inline(el, _replace(fmt, link=href, address=address))))
        else:
            out.extend(self._inline(el, fmt))

    def _text(self, text: str | None, fmt: _Inline, out: list) -> None:
        if not text:
            return
        text = soft_breaks(text)
        if text:
            out.append(ooxml.run(text, bold=fmt.bold, italic=fmt.italic, code=fmt.code,
                                 style=self.styles.hyperlink if fmt.link else None, nobreak_hyphens=fmt.address))


def heading_styles(tree, styles: tuple[str, ...]) -> dict:
    """The style of each heading in a parsed Markdown text (heading element → style id).

    The text's shallowest heading level takes ``styles[0]`` whatever it is (a field of
    only ``#### x`` starts at the first style, right under the item's heading), each
    level deeper the next style, and no heading is more than one level deeper than the
    heading before it (``# a`` then ``### b`` are a heading and its subheading, not a
    skipped level: a screen reader's outline must not jump); levels beyond the last
    style take the last.
    """
    found = [el for el in tree.iter() if el.tag in HEADINGS]
    if not found:
        return {}
    top = min(int(el.tag[1]) for el in found)
    out, previous = {}, -1
    for el in found:
        depth = min(int(el.tag[1]) - top, previous + 1)
        out[el] = styles[min(depth, len(styles) - 1)]
        previous = depth
    return out


def column_widths(rows: list[list[str]], available: int) -> list[int]:
    """Widths in twips for columns holding ``rows`` of texts: each as wide as its longest
    text when that fits in ``available``; otherwise each at least as wide as its longest
    word and the rest shared by how much text a column has."""
    columns = max(len(row) for row in rows)
    cells = [[row[c] if c < len(row) else "" for row in rows] for c in range(columns)]
    need = [max(len(text) for text in column) * CHAR_WIDTH + CELL_PADDING for column in cells]
    if sum(need) <= available:
        return need
    least = [max((len(word) for text in column for word in text.split()), default=1) * CHAR_WIDTH + CELL_PADDING
             for column in cells]
    if sum(least) >= available:
        return [available * w // sum(least) for w in least]
    room = available - sum(least)
    more = [n - m for n, m in zip(need, least)]
    widths = [m + room * extra // sum(more) for m, extra in zip(least, more)]
    widths[-1] += available - sum(widths)
    return widths


def _replace(fmt: _Inline, **changes) -> _Inline:
    return _Inline(**{**fmt.__dict__, **changes})


def _alignment(cell) -> str | None:
    align = cell.get("align") or (re.search(r"text-align:\s*(\w+)", cell.get("style", "")) or [None, None])[1]
    return {"left": "left", "right": "right", "center": "center"}.get(align or "")


def _set_list(p, style: str, num_id: int, level: int) -> None:
    ooxml.set_paragraph_style(p, style)
    ooxml.paragraph_properties(p).append(ooxml.element("w:numPr", None, ooxml.element("w:ilvl", {"w:val": level}),
                                                       ooxml.element("w:numId", {"w:val": num_id})))


def _indent_under(p, style: str, level: int) -> None:
    """A later paragraph of a list item: indented like the item's text, no number."""
    ooxml.set_paragraph_style(p, style)
    ind = ooxml.paragraph_property(ooxml.paragraph_properties(p), "w:ind")
    ind.set(ooxml.qn("w:left"), str(ooxml.list_indent(level)))
