"""Word body elements from a parsed Markdown tree, with the template's styles."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .. import ooxml
from .reader import INLINE_TAGS, InlinePart, parse, soft_breaks

_NOT_IN_URL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Styles:
    """The paragraph, character and table style ids a document is built with."""

    body: str = "Normal"
    list_paragraph: str = "ListParagraph"
    heading: tuple[str, ...] = ("Heading3", "Heading3", "Heading3", "Heading4", "Heading4", "Heading4")
    quote: str = "Quote"
    hyperlink: str = "Hyperlink"
    table: str = "TableGrid"
    table_header: str = "Tabeloverskrift"

    def all(self) -> set[str]:
        return {self.body, self.list_paragraph, *self.heading, self.quote, self.hyperlink, self.table, self.table_header}


@dataclass
class _Inline:
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None


@dataclass
class WordWriter:
    """Builds Word body elements for one document being rendered.

    ``part`` is the document part hyperlinks are related from; ``numbering`` the
    numbering part's XML element, where a fresh list instance is added for every
    list so that numbering restarts; ``width`` the text width in twips.
    """

    part: object
    numbering: object
    styles: Styles = field(default_factory=Styles)
    width: int = 9638
    _abstract: dict = field(default_factory=dict)

    # -- public -----------------------------------------------------------------

    def markdown(self, text: str) -> list:
        """Word paragraphs and tables for a Markdown text."""
        return self._blocks(parse(text), list_level=0)

    def line(self, parts: list[tuple[str, str | None]], style: str | None = None) -> object:
        """One paragraph of plain text pieces, each ``(text, url or None)``."""
        runs = []
        for text, url in parts:
            if url:
                runs.append(ooxml.hyperlink(self.part, url, [ooxml.run(text, style=self.styles.hyperlink)]))
            else:
                runs.append(ooxml.run(text))
        return ooxml.paragraph(style or self.styles.body, runs)

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
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return [ooxml.paragraph(self.styles.heading[int(tag[1]) - 1], self._inline(el), keep_next=True)]
        if tag in ("ul", "ol"):
            return self._list(el, list_level)
        if tag == "table":
            return [self._table(el)]
        if tag == "blockquote":
            blocks = self._blocks(el, list_level)
            for block in blocks:
                if block.tag == ooxml.qn("w:p"):
                    block.style = self.styles.quote
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
        num_id = ooxml.add_numbering_instance(self.numbering, self._abstract[key], level, start)
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

    def _table(self, el) -> object:
        rows = []
        header = False
        for section in el:
            for tr in section:
                cells = []
                for cell in tr:
                    is_header = cell.tag == "th"
                    header = header or is_header
                    p = ooxml.paragraph(self.styles.table_header if is_header else self.styles.body,
                                        self._inline(cell, _Inline(bold=is_header)))
                    align = _alignment(cell)
                    if align:
                        p.get_or_add_pPr().append(ooxml.element("w:jc", {"w:val": align}))
                    cells.append([p])
                rows.append(cells)
        return ooxml.table(rows, self.width, style=self.styles.table, header=header)

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
            out.append(ooxml.hyperlink(self.part, href, self._inline(el, _replace(fmt, link=href))))
        else:
            out.extend(self._inline(el, fmt))

    def _text(self, text: str | None, fmt: _Inline, out: list) -> None:
        if not text:
            return
        text = soft_breaks(text)
        if text:
            out.append(ooxml.run(text, bold=fmt.bold, italic=fmt.italic, code=fmt.code,
                                 style=self.styles.hyperlink if fmt.link else None))


def _replace(fmt: _Inline, **changes) -> _Inline:
    return _Inline(**{**fmt.__dict__, **changes})


def _alignment(cell) -> str | None:
    align = cell.get("align") or (re.search(r"text-align:\s*(\w+)", cell.get("style", "")) or [None, None])[1]
    return {"left": "left", "right": "right", "center": "center"}.get(align or "")


def _set_list(p, style: str, num_id: int, level: int) -> None:
    ppr = p.get_or_add_pPr()
    ppr.style = style
    ppr.append(ooxml.element("w:numPr", None, ooxml.element("w:ilvl", {"w:val": level}),
                             ooxml.element("w:numId", {"w:val": num_id})))


def _indent_under(p, style: str, level: int) -> None:
    """A later paragraph of a list item: indented like the item's text, no number."""
    ppr = p.get_or_add_pPr()
    ppr.style = style
    ppr.append(ooxml.element("w:ind", {"w:left": 360 * (level + 1) + 360}))
