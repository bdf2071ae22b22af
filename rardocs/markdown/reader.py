"""Reading Markdown with Python-Markdown, made forgiving and safe for content.

:func:`parse` returns Python-Markdown's element tree (placeholders resolved),
which the writers in :mod:`.word` and :mod:`.text` walk.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from html import escape as html_escape

import markdown as pymarkdown
from markdown import util
from markdown.blockprocessors import OListProcessor, UListProcessor
from markdown.extensions.tables import TableExtension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import bounded

#: Danish month names: "3. oktober 2022 holder Rådet …" starts a sentence, not a list.
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")
#: Put before a list marker: not the day of a date (``3. oktober``). A lookahead at one
#: place, a day's one or two digits, blanks and a word: it cannot backtrack far.
_NOT_DATE = rf"(?!\d{{1,2}}\.[ \t]+(?i:{'|'.join(MONTHS)})\b)"
MARKER = rf"(?:[*+-]|{_NOT_DATE}\d{{1,3}}[.)]|[a-zA-Z][.)])"
_ITEM_LINE = re.compile(rf"^( *)({MARKER})[ \t]+\S")
_ORDERED = re.compile(r"^([a-zA-Z]|\d{1,3})([.)])$")
_FENCE = re.compile(r"^ *(```|~~~)")


def soft_breaks(text: str) -> str:
    """A line break inside a paragraph becomes one space (with the blanks around it).

    Split and strip rather than a regular expression: ``[ \\t]*\\n`` backtracks
    quadratically over a long run of blanks with no line break after it.
    """
    if "\n" not in text:
        return text
    lines = text.split("\n")
    return " ".join([lines[0].rstrip(" \t"), *(line.strip(" \t") for line in lines[1:-1]), lines[-1].lstrip(" \t")])


# Python-Markdown marks nested elements with \x02…\x03 placeholders: a URL stops there.
_BARE_URL = r"(?<![<(\[\w/])((?:https?://|www\.)[^\s<>\[\]\x02\x03]*[^\s<>\[\]\x02\x03.,;:!?)'\"”’*_])"
#: How many list levels there are (as in Word).
LIST_LEVELS = 9
#: Tags of inline elements: the rest of an element tree is blocks.
INLINE_TAGS = {"strong", "b", "em", "i", "code", "br", "a", "img", "span"}


def normalise_lists(lines: list[str]) -> list[str]:
    """Make lists as people type them into lists as Python-Markdown reads them.

    Re-indents nested list levels to 4 spaces per level (whatever the user
    used; a level deeper than :data:`LIST_LEVELS` joins the deepest) and puts a
    blank line between a paragraph and a list that follows it.
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
            out.append(" " * (4 * min(len(stack) - 1, LIST_LEVELS - 1)) + expanded.lstrip(" "))
            previous = "item"
        elif stack and (indent > stack[0] or previous == "item"):
            level = sum(1 for s in stack if s < indent) if indent else len(stack)
            out.append(" " * (4 * min(max(level, 1), LIST_LEVELS)) + expanded.lstrip(" "))
            previous = "item"
        else:
            stack = []
            out.append(line)
            previous = "text"
    return out


class _ListPreprocessor(Preprocessor):
    def run(self, lines):
        return normalise_lists(lines)


def _item_patterns(tab: int) -> tuple[re.Pattern, re.Pattern]:
    """Python-Markdown's CHILD_RE and INDENT_RE, knowing every marker rardocs reads as a list."""
    marker = rf"{_NOT_DATE}(([a-zA-Z]|\d{{1,3}})[.)]|[*+-])"
    return (re.compile(rf"^[ ]{{0,{tab - 1}}}{marker}[ ]+(.*)"),
            re.compile(rf"^[ ]{{{tab},{tab * 2 - 1}}}{marker}[ ]+.*"))


class _OrderedListProcessor(bounded.Shallow, OListProcessor):
    """Ordered lists with ``1.``, ``1)``, ``a.``, ``A.`` and ``A)`` markers."""

    SIBLING_TAGS = ("ol",)

    def __init__(self, parser):
        super().__init__(parser)
        self.RE = re.compile(rf"^[ ]{{0,{self.tab_length - 1}}}{_NOT_DATE}(?:[a-zA-Z]|\d{{1,3}})[.)][ ]+(.*)")
        self.CHILD_RE, self.INDENT_RE = _item_patterns(self.tab_length)

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


class _UnorderedListProcessor(bounded.Shallow, UListProcessor):
    SIBLING_TAGS = ("ul",)

    def __init__(self, parser):
        super().__init__(parser)
        self.CHILD_RE, self.INDENT_RE = _item_patterns(self.tab_length)


class _BareUrlProcessor(InlineProcessor):
    """``https://…`` and ``www.…`` typed without brackets become links (not inside a link)."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(self, m, data):
        link = etree.Element("a")
        url = m.group(1)
        link.set("href", url if "://" in url else f"https://{url}")
        link.text = util.AtomicString(url)
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


class _WebLinksOnly(Treeprocessor):
    """Links whose target is not a web address (:func:`is_web_link`) become their
    text, and images their alt text; ``md.unsafe_links`` lists the targets undone."""

    def run(self, root):
        self.md.unsafe_links = [a.get("href", "") for a in root.iter("a") if not is_web_link(a.get("href", ""))]
        for parent in reversed(list(root.iter())):  # children first: an image inside a link
            if any(_is_undone(child) for child in parent):
                _undo_in(parent)


def is_web_link(href: str) -> bool:
    """Whether ``href`` begins with ``https://``, ``http://`` or ``mailto:``, in any
    case, after leading blanks and control characters."""
    return _LEADING_BLANKS.sub("", href).lower().startswith(WEB_SCHEMES)


WEB_SCHEMES = ("https://", "http://", "mailto:")
_LEADING_BLANKS = re.compile(r"^[\s\x00-\x1f\x7f]+")


def _is_undone(el) -> bool:
    return el.tag == "img" or (el.tag == "a" and not is_web_link(el.get("href", "")))


def _undo_in(parent) -> None:
    """Replace each undone child of ``parent`` by its text and children (an image by its alt text)."""
    kept: list = []
    texts = [parent.text or ""]  # the text after the last kept element

    def add(text):
        if kept:
            kept[-1].tail = (kept[-1].tail or "") + text
        else:
            texts.append(text)
    for child in list(parent):
        if child.tag == "img":
            add(child.get("alt", ""))
        elif _is_undone(child):
            add(child.text or "")
            kept.extend(child)
        else:
            kept.append(child)
            continue
        add(child.tail or "")
    parent[:] = kept
    parent.text = "".join(texts)


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
        bounded.install(md)
        md.treeprocessors.deregister("prettify")
        md.treeprocessors.register(_Capture(md), "rardocs_capture", -100)
        md.treeprocessors.register(_WebLinksOnly(md), "rardocs_web_links", -110)
        bounded.install_paragraphs(md)


_PARSER: pymarkdown.Markdown | None = None


def parse(text: str) -> etree.Element:
    """Parse Markdown into Python-Markdown's element tree (a ``div`` root).

    Only web links remain links (:func:`is_web_link`); images are their alt
    text. A text longer than :data:`~.bounded.MAX_MARKDOWN` is not read as
    Markdown: its paragraphs are plain text. Cached: the dagsorden and the
    referat share most field bodies. Callers must not change the tree.
    """
    return _read(text)[0]


#: At most this many different link targets are listed for one text.
MAX_UNSAFE_LISTED = 50
#: Where a link's target begins: after ``](`` (an inline link or image) and after ``]:``
#: (a reference's definition: a reference link has no target without one in its text).
_TARGET = re.compile(r"\]([(:])\s*")
#: A target that is surely all of an inline link's target, and a web address: no blank,
#: parenthesis, quote, backslash or backtick before its ``)``, so Python-Markdown takes
#: it whole (and no title, escape or code span in it can cut it short).
_WEB_INLINE = re.compile(r"(?i:https?://|mailto:)[^\s()'\"\\`]*\)")
#: A reference's target is the first word after its ``]:``.
_WEB_DEFINED = re.compile(r"(?i:https?://|mailto:)")
#: A ``<`` that could begin an autolink ``<scheme://…>`` to no web address.
_NOT_WEB_AUTOLINK = re.compile(r"<(?!(?i:https?://))")
#: Every bare ``www.…`` address that :class:`_BareUrlProcessor` takes as typed (its target
#: then being no web address), and more: the address ends at a blank, ``<``, ``>``, ``[`` or ``]``.
_WWW_WITH_SCHEME = re.compile(r"www\.[^\s<>\[\]]*://")


def _only_web_links(text: str) -> bool:
    """Whether every link Python-Markdown can make of ``text`` surely has a web target,
    so that :func:`unsafe_links` need not parse it (most field bodies).

    A link's target is typed after ``](`` or ``]:`` (:data:`_TARGET`), or right after
    ``<`` (an autolink); a bare ``https://…`` is a web link, and so is a bare
    ``www.…`` unless ``://`` follows in it. Python-Markdown deletes its placeholder
    characters (STX and ETX) first, which can join ``]`` and ``(``, and only ever
    removes blanks and markers at the start of a line before it looks for links, so a
    target that begins with a web scheme in the text begins with it for Python-Markdown.
    """
    if "\x02" in text or "\x03" in text or _NOT_WEB_AUTOLINK.search(text) or _WWW_WITH_SCHEME.search(text):
        return False
    return all((_WEB_INLINE if m.group(1) == "(" else _WEB_DEFINED).match(text, m.end())
               for m in _TARGET.finditer(text))


def unsafe_links(text: str) -> list[tuple[int, str]]:
    """The targets of the links in Markdown ``text`` that are shown as text because
    they are not web addresses: ``(line, target as typed)``, each target once, at the
    line (counted from 0 within ``text``) where it is first typed; at most
    :data:`MAX_UNSAFE_LISTED`.
    """
    if _only_web_links(text):
        return []
    found: list[tuple[int, str]] = []
    seen: set[str] = set()
    start = 0
    for target in _read(text)[1]:
        if target in seen:
            continue
        if len(seen) == MAX_UNSAFE_LISTED:
            break
        seen.add(target)
        start, typed = _locate(text, target, start)
        found.append((text.count("\n", 0, start), typed))
    return found


def _locate(text: str, target: str, start: int) -> tuple[int, str]:
    """Where and how ``target`` (as Python-Markdown read it) was typed after ``](``,
    ``]:`` or ``<`` in ``text``, looking from ``start`` first; ``(start, target)`` if
    it cannot be found. It may be typed with escapes (``\\\\server``) or other blanks."""
    chars = "".join(r"\s+" if part.isspace() else "".join(r"\\?" + re.escape(c) for c in part)
                    for part in re.split(r"(\s+)", target) if part)
    typed = re.compile(rf"(?:\]\(\s*<?|\]:\s*<?|<)({chars})")
    for begin in (start, 0):
        if match := typed.search(text, begin):
            return match.start(1), match.group(1)
    return start, target


# A tree is ten times its text: 256 hold a meeting's texts (some 70) for its dagsorden,
# referat and web page. Their Word is kept apart (render._KNOWN), so more only held
# memory: 1,024 made the peak of a build of 200 meetings 2 MB higher, and no faster.
@functools.lru_cache(maxsize=256)
def _read(text: str) -> tuple[etree.Element, tuple[str, ...], str]:
    """The tree of ``text``, the targets of the links undone in it and its HTML
    (:func:`~.text.to_html`): one reading for the Word documents, the web page and
    the search text alike."""
    if len(text) > bounded.MAX_MARKDOWN:
        tree = _plain(text)
        return tree, (), "\n".join(f"<p>{html_escape(p.text)}</p>" for p in tree)
    html, tree, undone = convert(text)
    return tree, undone, html


def html_of(text: str) -> str:
    """Python-Markdown's HTML for ``text`` (see :func:`~.text.to_html`)."""
    return _read(text)[2]


def convert(text: str) -> tuple[str, etree.Element, tuple[str, ...]]:
    """Python-Markdown's HTML for ``text``, its tree (as :func:`parse` gives it) and the
    targets of the links undone in it, from the one parser of the process.

    Making a parser (registering the extensions, :func:`bounded.install`) costs more
    than reading a field, so one is kept: reset before each text, and made anew after
    an error, which may leave its block parser's state half-way. Not for two threads at
    once (a build runs in one). A blank text is an empty tree: Python-Markdown returns
    before its tree processors run, and must not leave the last text's tree behind.
    """
    global _PARSER
    if not text.strip():
        return "", etree.Element("div"), ()
    if _PARSER is None:
        _PARSER = new_parser()
    _PARSER.reset()
    try:
        html = _PARSER.convert(text)
    except BaseException:
        _PARSER = None
        raise
    return html, _PARSER.captured, tuple(_PARSER.unsafe_links)


def _plain(text: str) -> etree.Element:
    """A tree of ``text``'s paragraphs as they are typed, without Markdown."""
    root = etree.Element("div")
    for block in re.split(r"\n[ \t]*\n", text):
        if block.strip():
            etree.SubElement(root, "p").text = block.strip()
    return root


def new_parser() -> pymarkdown.Markdown:
    """A Python-Markdown parser as rardocs reads Markdown (costly to make: :func:`convert`
    keeps one). The tables extension is given as a class, not by name: a name sends
    Python-Markdown through the entry points of every installed package (importlib.metadata)."""
    return pymarkdown.Markdown(extensions=[TableExtension(), _Extension()])


class InlinePart:
    """The inline part of a list item: its text and inline children, not its blocks."""

    def __init__(self, li):
        self.text = li.text
        self._children = [c for c in li if c.tag in INLINE_TAGS]

    def __iter__(self):
        return iter(self._children)

    def has_text(self) -> bool:
        return bool((self.text or "").strip()) or bool(self._children)


_PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")
# Python-Markdown 3.11 cuts a placeholder in two on "*[a](b)**[a](b)*[a](b)": drop the pieces.
_BROKEN_PLACEHOLDER = re.compile("\x02klzzwxh:\\d*\x03?|klzzwxh:\\d*\x03|[\x02\x03]")


def _unstash(text: str | None, md) -> str | None:
    """Resolve Python-Markdown's placeholders (escaped characters and stashed text); drop broken ones."""
    if not text or ("\x02" not in text and "\x03" not in text):
        return text

    def repl(m):
        index = int(m.group(1))
        stash = md.htmlStash.rawHtmlBlocks
        return str(stash[index]) if index < len(stash) else ""
    text = _PLACEHOLDER.sub(repl, text)
    text = re.sub("\x02(\\d+)\x03", lambda m: chr(int(m.group(1))), text)
    return _BROKEN_PLACEHOLDER.sub("", text)
