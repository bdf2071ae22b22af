"""Markdown → Word: field bodies become paragraphs, lists, tables and links.

Python-Markdown parses the text; a tree processor hands over the element tree,
which :class:`WordWriter` walks into ``w:p`` and ``w:tbl`` elements built with
the template's own style ids. Raw HTML and entities are switched off: content
is data, so ``<script>`` and ``&amp;`` appear exactly as typed.

Forgiving where people type differently from Markdown: nested lists may be
indented by 2 or 4 spaces, a list may follow a line without a blank line when
that line ends with ``:`` (bullet lists always may), and lettered or
parenthesised points (``a.``, ``A.``, ``A)``, ``1)``) are real lists.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown as pymarkdown
from markdown.blockprocessors import OListProcessor, UListProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import ooxml

MARKER = r"(?:[*+-]|\d{1,3}[.)]|[a-zA-Z][.)])"
_ITEM_LINE = re.compile(rf"^( *)({MARKER})[ \t]+\S")
_ORDERED = re.compile(r"^([a-zA-Z]|\d{1,3})([.)])$")
_FENCE = re.compile(r"^ *(```|~~~)")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
# Python-Markdown marks nested elements with \x02…\x03 placeholders: a URL stops there.
_BARE_URL = r"(?<![<(\[\w/])((?:https?://|www\.)[^\s<>\[\]\x02\x03]*[^\s<>\[\]\x02\x03.,;:!?)'\"”’])"
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
        return {self.body, self.list_paragraph, *self.heading, self.quote, self.hyperlink, self.table}


# --- Python-Markdown extension ------------------------------------------------------


def normalise_lists(lines: list[str]) -> list[str]:
    """Make lists as people type them into lists as Python-Markdown reads them.

    Re-indents nested list levels to 4 spaces per level (whatever the user
    used) and puts a blank line between a paragraph and a list that follows it.
    """
    out: list[str] = []
    stack: list[int] = []  # source indents of the open list levels
    previous = "blank"  # blank, text, item
    in_fence = False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or line.startswith("|"):
            out.append(line)
            previous = "text"
            continue
        expanded = line.expandtabs(4)
        if not expanded.strip():
            out.append("")
            previous = "blank"
            continue
        indent = len(expanded) - len(expanded.lstrip(" "))
        match = _ITEM_LINE.match(expanded)
        starts_list = match and (stack or previous == "blank" or match.group(2) in "*+-"
                                 or (out and out[-1].rstrip().endswith(":")))
        if starts_list:
            if not stack:
                stack = [indent]
            elif indent > stack[-1]:
                stack.append(indent)
            else:
                while len(stack) > 1 and indent < stack[-1]:
                    stack.pop()
            if previous == "text" and len(stack) == 1:
                out.append("")
            out.append(" " * (4 * (len(stack) - 1)) + expanded.lstrip(" "))
            previous = "item"
        elif stack and (indent > stack[0] or previous == "item"):
            level = sum(1 for s in stack if s < indent) if indent else len(stack)
            out.append(" " * (4 * max(level, 1)) + expanded.lstrip(" "))
            previous = "item"
        else:
            stack = []
            out.append(line)
            previous = "text"
    return out


class _ListPreprocessor(Preprocessor):
    def run(self, lines):
        return normalise_lists(lines)


class _OrderedListProcessor(OListProcessor):
    """Ordered lists with ``1.``, ``1)``, ``a.``, ``A.`` and ``A)`` markers."""

    SIBLING_TAGS = ["ol"]

    def __init__(self, parser):
        super().__init__(parser)
        tab = self.tab_length
        self.RE = re.compile(r"^[ ]{0,%d}(?:[a-zA-Z]|\d{1,3})[.)][ ]+(.*)" % (tab - 1))
        self.CHILD_RE = re.compile(r"^[ ]{0,%d}(([a-zA-Z]|\d{1,3})[.)]|[*+-])[ ]+(.*)" % (tab - 1))
        self.INDENT_RE = re.compile(r"^[ ]{%d,%d}(([a-zA-Z]|\d{1,3})[.)]|[*+-])[ ]+.*" % (tab, tab * 2 - 1))

    def get_items(self, block):
        first = self.CHILD_RE.match(block.split("\n", 1)[0])
        self._marker = first.group(1) if first else "1."
        items = []
        for line in block.split("\n"):
            match = self.CHILD_RE.match(line)
            if match:
                items.append(match.group(3))
            elif self.INDENT_RE.match(line) and not items[-1].startswith(" " * self.tab_length):
                items.append(line)
            else:
                items[-1] = f"{items[-1]}\n{line}"
        return items

    def run(self, parent, blocks):
        before = len(parent)
        super().run(parent, blocks)
        if len(parent) > before and parent[-1].tag == "ol":
            marker = _ORDERED.match(self._marker)
            if marker:
                value, suffix = marker.groups()
                kind = "decimal" if value.isdigit() else "lowerLetter" if value.islower() else "upperLetter"
                start = int(value) if value.isdigit() else ord(value.lower()) - ord("a") + 1
                parent[-1].set("data-kind", kind)
                parent[-1].set("data-suffix", suffix)
                parent[-1].set("data-start", str(start))


class _UnorderedListProcessor(UListProcessor):
    SIBLING_TAGS = ["ul"]

    def __init__(self, parser):
        super().__init__(parser)
        tab = self.tab_length
        self.CHILD_RE = re.compile(r"^[ ]{0,%d}(([a-zA-Z]|\d{1,3})[.)]|[*+-])[ ]+(.*)" % (tab - 1))
        self.INDENT_RE = re.compile(r"^[ ]{%d,%d}(([a-zA-Z]|\d{1,3})[.)]|[*+-])[ ]+.*" % (tab, tab * 2 - 1))


class _BareUrlProcessor(InlineProcessor):
    """``https://…`` and ``www.…`` typed without brackets become links."""

    def handleMatch(self, m, data):
        link = etree.Element("a")
        url = m.group(1)
        link.set("href", url if "://" in url else f"https://{url}")
        link.text = url
        return link, m.start(0), m.end(0)


class _Capture(Treeprocessor):
    """Keeps the finished tree, with Python-Markdown's placeholders resolved."""

    def run(self, root):
        for el in root.iter():
            el.text = _unstash(el.text, self.md)
            el.tail = _unstash(el.tail, self.md)
            for name, value in el.attrib.items():
                el.set(name, _unstash(value, self.md))
        self.md.captured = root
        return None


class _Extension(pymarkdown.Extension):
    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.deregister("entity")
        md.inlinePatterns.deregister("automail")
        md.preprocessors.register(_ListPreprocessor(md), "rardocs_lists", 5)
        md.parser.blockprocessors.register(_OrderedListProcessor(md.parser), "olist", 40)
        md.parser.blockprocessors.register(_UnorderedListProcessor(md.parser), "ulist", 30)
        md.inlinePatterns.register(_BareUrlProcessor(_BARE_URL, md), "rardocs_bare_url", 95)
        md.treeprocessors.deregister("prettify")
        md.treeprocessors.register(_Capture(md), "rardocs_capture", -100)


_PARSER: pymarkdown.Markdown | None = None


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> etree.Element:
    """Parse Markdown into Python-Markdown's element tree (a ``div`` root).

    Cached: the dagsorden and the referat share most field bodies. Callers
    must not change the tree.
    """
    global _PARSER
    if _PARSER is None:
        _PARSER = new_parser()
    _PARSER.reset()
    _PARSER.convert(text)
    return _PARSER.captured


def new_parser() -> pymarkdown.Markdown:
    return pymarkdown.Markdown(extensions=["tables", _Extension()])


# --- element tree → Word ------------------------------------------------------------


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
            return [self._restyle(p, self.styles.quote) for p in self._blocks(el, list_level)]
        if tag == "pre":
            code = "".join(el.itertext()).rstrip("\n")
            return [ooxml.paragraph(self.styles.body, [ooxml.run(code, code=True)])]
        if tag == "hr":
            return []
        return [ooxml.paragraph(self.styles.body, self._inline(el))]

    def _restyle(self, p, style):
        p.style = style
        return p

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
            text_parts = _Detached(li)
            if text_parts.has_text():
                out.append(ooxml.paragraph(self.styles.list_paragraph, self._inline(text_parts), numbering=(num_id, level)))
                first = False
            for child in li:
                if child.tag in ("ul", "ol"):
                    out.extend(self._list(child, level + 1))
                elif child.tag in _INLINE_TAGS:
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
        elif tag == "a" and not fmt.link:
            href = _NOT_IN_URL.sub("", el.get("href", ""))
            runs = self._inline(el, _replace(fmt, link=href))
            if href and not href.startswith("#"):
                out.append(ooxml.hyperlink(self.part, href, runs))
            else:
                out.extend(runs)
        elif tag == "img":
            self._text(el.get("alt", ""), fmt, out)
        else:
            out.extend(self._inline(el, fmt))

    def _text(self, text: str | None, fmt: _Inline, out: list) -> None:
        if not text:
            return
        text = _SOFT_BREAK.sub(" ", text)
        if text:
            out.append(ooxml.run(text, bold=fmt.bold, italic=fmt.italic, code=fmt.code,
                                 style=self.styles.hyperlink if fmt.link else None))


_INLINE_TAGS = {"strong", "b", "em", "i", "code", "br", "a", "img", "span"}


class _Detached:
    """The inline part of a list item: its text and inline children, not its blocks."""

    def __init__(self, li):
        self.text = li.text
        self._children = [c for c in li if c.tag in _INLINE_TAGS]

    def __iter__(self):
        return iter(self._children)

    def has_text(self) -> bool:
        return bool((self.text or "").strip()) or bool(self._children)


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


_PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")


def _unstash(text: str | None, md) -> str | None:
    """Resolve Python-Markdown's placeholders (escaped characters and stashed text)."""
    if not text or "\x02" not in text:
        return text
    def repl(m):
        index = int(m.group(1))
        stash = md.htmlStash.rawHtmlBlocks
        return str(stash[index]) if index < len(stash) else ""
    text = _PLACEHOLDER.sub(repl, text)
    return re.sub("\x02(\\d+)\x03", lambda m: chr(int(m.group(1))), text)


# --- element tree → plain text and HTML (for the web and LinkedIn) -------------------


def to_html(text: str) -> str:
    """The Markdown as an HTML fragment; raw HTML in it is shown, not run."""
    parser = new_parser()
    return parser.convert(text)


def to_text(text: str) -> str:
    """The Markdown as plain text: paragraphs apart, ``- `` bullets, ``text (url)`` links."""
    return "\n\n".join(_text_blocks(parse(text), "")).strip()


def _text_blocks(parent, indent: str) -> list[str]:
    out = []
    for el in parent:
        if el.tag in ("ul", "ol"):
            lines = []
            for number, li in enumerate(el, int(el.get("data-start", el.get("start", "1")))):
                marker = "-" if el.tag == "ul" else _marker(el, number)
                lines.append(f"{indent}{marker} {_inline_text(_Detached(li))}".rstrip())
                nested = [c for c in li if c.tag not in _INLINE_TAGS]
                if nested:
                    lines.extend(_text_blocks(nested, indent + "   "))
            out.append("\n".join(lines))
        elif el.tag == "table":
            out.append("\n".join(" | ".join(_inline_text(cell) for cell in tr) for section in el for tr in section))
        elif el.tag == "pre":
            out.append("".join(el.itertext()).rstrip("\n"))
        elif el.tag == "hr":
            continue
        else:
            out.append(indent + _inline_text(el))
    return out


def _marker(ol, number: int) -> str:
    kind = ol.get("data-kind", "decimal")
    value = str(number) if kind == "decimal" else chr(ord("a" if kind == "lowerLetter" else "A") + number - 1)
    return value + ol.get("data-suffix", ".")


def _inline_text(el) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag in ("ul", "ol", "p", "table", "pre", "blockquote"):
            continue
        if child.tag == "br":
            parts.append("\n")
        elif child.tag == "a":
            label = _inline_text(child)
            href = child.get("href", "")
            parts.append(label if href in (label, f"https://{label}") or not href else f"{label} ({href})")
        elif child.tag == "img":
            parts.append(child.get("alt", ""))
        else:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return _SOFT_BREAK.sub(" ", "".join(parts)).strip()
