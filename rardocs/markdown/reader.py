"""Reading Markdown with Python-Markdown, made forgiving and safe for content.

:func:`parse` returns Python-Markdown's element tree (placeholders resolved),
which the writers in :mod:`.word` and :mod:`.text` walk.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree

import markdown as pymarkdown
from markdown.blockprocessors import OListProcessor, UListProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

MARKER = r"(?:[*+-]|\d{1,3}[.)]|[a-zA-Z][.)])"
_ITEM_LINE = re.compile(rf"^( *)({MARKER})[ \t]+\S")
_ORDERED = re.compile(r"^([a-zA-Z]|\d{1,3})([.)])$")
_FENCE = re.compile(r"^ *(```|~~~)")
#: A soft line break inside a paragraph, which becomes a space.
SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
# Python-Markdown marks nested elements with \x02…\x03 placeholders: a URL stops there.
_BARE_URL = r"(?<![<(\[\w/])((?:https?://|www\.)[^\s<>\[\]\x02\x03]*[^\s<>\[\]\x02\x03.,;:!?)'\"”’])"
#: Tags of inline elements: the rest of an element tree is blocks.
INLINE_TAGS = {"strong", "b", "em", "i", "code", "br", "a", "img", "span"}


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


def _item_patterns(tab: int) -> tuple[re.Pattern, re.Pattern]:
    """Python-Markdown's CHILD_RE and INDENT_RE, knowing every marker rardocs reads as a list."""
    marker = r"(([a-zA-Z]|\d{1,3})[.)]|[*+-])"
    return (re.compile(r"^[ ]{0,%d}%s[ ]+(.*)" % (tab - 1, marker)),
            re.compile(r"^[ ]{%d,%d}%s[ ]+.*" % (tab, tab * 2 - 1, marker)))


class _OrderedListProcessor(OListProcessor):
    """Ordered lists with ``1.``, ``1)``, ``a.``, ``A.`` and ``A)`` markers."""

    SIBLING_TAGS = ["ol"]

    def __init__(self, parser):
        super().__init__(parser)
        self.RE = re.compile(r"^[ ]{0,%d}(?:[a-zA-Z]|\d{1,3})[.)][ ]+(.*)" % (self.tab_length - 1))
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


class _UnorderedListProcessor(UListProcessor):
    SIBLING_TAGS = ["ul"]

    def __init__(self, parser):
        super().__init__(parser)
        self.CHILD_RE, self.INDENT_RE = _item_patterns(self.tab_length)


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
