"""Python-Markdown doing bounded work on hostile text.

Python-Markdown takes quadratic time or worse on some shapes of text: a
megabyte of ``[`` runs for hours, and a long block of headings or escaped
characters for minutes. :func:`install` replaces the parts that do with ones
that read ordinary text as upstream does and bound the work on the rest:

- link, image and reference processors look at most :data:`LINK_REACH`
  characters ahead, and a link's text nests ``[…]`` at most 3 deep;
- inline text longer than :data:`INLINE_PIECE` is processed a piece at a time;
- block processors that take a line or two off a block and then search, test
  or split the whole rest remember where the next match lies
  (:class:`_Remembered`) or look only at the lines they take;
- lists and quotes nest at most :data:`MAX_NESTING` parser states deep.

What remains grows faster than the text only by copying the rest of a long
block or paragraph (memcpy speed), so text longer than :data:`MAX_MARKDOWN`
is not given to Python-Markdown at all.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import inlinepatterns, treeprocessors, util
from markdown.blockprocessors import (
    BlockQuoteProcessor,
    CodeBlockProcessor,
    ListIndentProcessor,
    SetextHeaderProcessor,
)
from markdown.extensions.tables import TableProcessor

#: The longest text read as Markdown; validation refuses a longer field.
MAX_MARKDOWN = 100_000
#: How far ahead a link's ``[text]`` or ``(target)`` may reach; a longer one stays text.
LINK_REACH = 4000
#: Longer inline text is handed to Python-Markdown in pieces of about this size.
INLINE_PIECE = 20_000
#: How deep lists and quotes nest, in parser states (one or two a level); deeper is text.
MAX_NESTING = 24


def install(md) -> None:
    """Replace the processors of ``md`` that do unbounded work (call after the ``tables`` extension)."""
    for name, cls, pattern, priority in _LINK_PROCESSORS:
        md.inlinePatterns.register(type(cls.__name__, (_Reaching, cls), {})(pattern, md), name, priority)
    md.treeprocessors.register(_InlineInPieces(md), "inline", 20)
    blocks = md.parser.blockprocessors
    blocks.register(_Table(md.parser, blocks["table"].config), "table", 75)
    blocks.register(_CodeBlock(md.parser), "code", 80)
    blocks.register(_Setext(md.parser), "setextheader", 60)
    blocks.register(_BlockQuote(md.parser), "quote", 20)
    blocks.register(_ListIndent(md.parser), "indent", 90)
    for name, attribute in (("hashheader", "RE"), ("hr", "SEARCH_RE"), ("quote", "RE"), ("reference", "RE")):
        setattr(blocks[name], attribute, _Remembered(getattr(blocks[name], attribute)))


def install_paragraphs(md) -> None:
    """Give a block that only the paragraph processor can take to it at once (call when
    every block processor is registered): see :data:`_MAY_BE_BLOCK`."""
    parser, paragraph = md.parser, md.parser.blockprocessors["paragraph"]
    processors = parser.blockprocessors

    def parse_blocks(parent, blocks):  # BlockParser.parseBlocks, with the short way first
        while blocks:
            if blocks[0] and not _MAY_BE_BLOCK.search(blocks[0]):
                paragraph.run(parent, blocks)  # what the loop below comes to: every other test is false
                continue
            for processor in processors:
                if processor.test(parent, blocks[0]):
                    if processor.run(parent, blocks) is not False:
                        break

    parser.parseBlocks = parse_blocks


#: The block processors :func:`rardocs.markdown.reader.new_parser` registers (their
#: names), and a block that none of them but the paragraph's (the last, whose test is
#: always true) can take: not empty, and with none of what each one's test needs: a line
#: break or four blanks first (empty; indented and code), a ``|`` (a table), a line that
#: begins, after at most three blanks, with ``#`` (a heading), ``=`` or ``-`` (an underlined
#: heading, a rule, a list), ``*``, ``_`` or ``+`` (a rule, a list), ``>`` (a quote) or ``[`` (a
#: reference), and a first line that begins with a list's number or letter and ``.`` or ``)``.
#: Most blocks of a field are such paragraphs; trying the others on each was a quarter of
#: the time of reading Markdown.
BLOCK_PROCESSORS = ("empty", "indent", "code", "table", "hashheader", "setextheader", "hr", "olist", "ulist", "quote",
                    "reference", "paragraph")
_MAY_BE_BLOCK = re.compile(r"\A(?:\n| {4}|\t|[ ]{0,3}(?:[a-zA-Z]|\d{1,3})[.)])|\||(?m:^[ \t]{0,3}[#>*+\-=_\[])")


# -- links ----------------------------------------------------------------------------

def _balanced(depth: int) -> str:
    """A regex for text holding ``[…]`` nested at most ``depth`` deep; possessive, so it never backtracks."""
    inner = r"[^\[\]]*+"
    for _ in range(depth):
        inner = rf"[^\[\]]*+(?:\[{inner}\][^\[\]]*+)*+"
    return inner


_LINK_TEXT = re.compile(_balanced(3) + r"\]")
_LINK_TARGET_END = re.compile(r"(?:[^()'\"]*+[()'\"]){8}")  # a target holds at most 8 parentheses or quotes


class _Reaching:
    """Mixed into Python-Markdown's link, image and reference processors: they look at
    most :data:`LINK_REACH` characters ahead (upstream scans to the end for every ``[``)."""

    def getText(self, data, index):
        match = _LINK_TEXT.match(data, index, index + LINK_REACH)
        if match is None:
            return "", index, False
        return data[index:match.end() - 1], match.end(), True

    def getLink(self, data, index):
        end = _LINK_TARGET_END.match(data, index, index + LINK_REACH)
        href, title, length, handled = super().getLink(data[index:end.end() if end else index + LINK_REACH], 0)
        return href, title, index + length, handled and length > 0

    def evalId(self, data, index, text):
        ref, length, handled = super().evalId(data[index:index + LINK_REACH], 0, text)
        return ref, index + length, handled


_LINK_PROCESSORS = (  # name, class, pattern and priority as Python-Markdown registers them
    ("reference", inlinepatterns.ReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, 170),
    ("link", inlinepatterns.LinkInlineProcessor, inlinepatterns.LINK_RE, 160),
    ("image_link", inlinepatterns.ImageInlineProcessor, inlinepatterns.IMAGE_LINK_RE, 150),
    ("image_reference", inlinepatterns.ImageReferenceInlineProcessor, inlinepatterns.IMAGE_REFERENCE_RE, 140),
    ("short_reference", inlinepatterns.ShortReferenceInlineProcessor, inlinepatterns.REFERENCE_RE, 130),
    ("short_image_ref", inlinepatterns.ShortImageReferenceInlineProcessor, inlinepatterns.IMAGE_REFERENCE_RE, 125),
)


# -- inline text ----------------------------------------------------------------------

class _InlineInPieces(treeprocessors.InlineProcessor):
    """Python-Markdown's inline processing in about linear time.

    Upstream rebuilds the whole text after every match: a text longer than
    :data:`INLINE_PIECE` is processed a piece at a time, cut after a line break
    (else a space). Stashed strings (escaped characters) go back into the text at
    once rather than being appended to it one at a time.
    """

    def _InlineProcessor__handleInline(self, data, patternIndex=0):  # upstream's private method
        if isinstance(data, util.AtomicString):
            return data
        if _MAY_MATCH.search(data):
            handle = super()._InlineProcessor__handleInline
            data = "".join(handle(piece, patternIndex) for piece in _pieces(data, INLINE_PIECE))
        if util.STX not in data:
            return data
        stash = self.stashed_nodes
        return util.INLINE_PLACEHOLDER_RE.sub(
            lambda m: node if isinstance(node := stash.get(m.group(1)), str) else m.group(0), data)


#: The inline patterns :func:`rardocs.markdown.reader.new_parser` registers (their names),
#: and a text in which none of them can match: one with none of the characters (or the
#: line break, or the beginning of a bare web address) that each one's regular expression
#: needs. Such a text (most of a field's prose) is left as it is without trying each of them
#: on it, which is what Python-Markdown does when none matches: two fifths of the time of
#: turning Markdown into a tree.
INLINE_PATTERNS = ("backtick", "escape", "reference", "link", "image_link", "image_reference", "short_reference",
                   "short_image_ref", "autolink", "linebreak", "rardocs_bare_url", "em_strong")
_MAY_MATCH = re.compile(r"[`\\\[<*_]|  \n|https?://|www\.", re.IGNORECASE)


def _pieces(text: str, size: int) -> list[str]:
    """``text`` cut about every ``size`` characters: after a line break or a space
    where there is one, never inside a ``\\x02…\\x03`` placeholder."""
    pieces, start = [], 0
    while len(text) - start > size:
        end = start + size
        cut = max(text.rfind("\n", start + size // 2, end), text.rfind(" ", start + size // 2, end)) + 1
        if not cut:
            cut = end
            if text.rfind(util.STX, start, cut) > text.rfind(util.ETX, start, cut):
                cut = text.find(util.ETX, cut) + 1 or len(text)
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


# -- blocks ---------------------------------------------------------------------------

#: A text this short is searched again (a few microseconds), not looked for among the
#: texts :class:`_Remembered` searched: most blocks are, and looking costs more.
SEARCHED_ANEW = 2_000


class _Remembered:
    """A compiled regex whose :meth:`search` need not search again a text that ends
    one it searched recently.

    Python-Markdown's heading, rule, quote and reference processors search the
    whole block, take a line or two off it and search the rest again. The rest
    is the end of the text searched before, so where its first match lies is known.
    A short text (:data:`SEARCHED_ANEW`) is simply searched.
    """

    def __init__(self, regex: re.Pattern, keep: int = 8):
        self.regex = regex
        self.keep = keep
        self.recent: list[tuple[str, int | None]] = []  # a text, the distance of its first match from its end

    def __getattr__(self, name):
        return getattr(self.regex, name)

    def search(self, text: str, pos: int = 0):
        if pos or len(text) <= SEARCHED_ANEW:
            return self.regex.search(text, pos)
        for index, (seen, distance) in enumerate(self.recent):
            if len(text) <= len(seen) and seen.endswith(text):
                self.recent.insert(0, self.recent.pop(index))
                # Only at position 0 does the regex see other text before it than in ``seen``.
                first = self.regex.match(text)
                if first or distance is None:
                    return first
                if distance < len(text):
                    return self.regex.search(text, len(text) - distance)
                break  # the first match in ``seen`` lay before this text
        match = self.regex.search(text)
        self.recent = [(text, len(text) - match.start() if match else None), *self.recent[:self.keep - 1]]
        return match


class _Table(TableProcessor):
    """Python-Markdown's tables, told by their first rows (upstream splits every line of
    every block it is shown: quadratic in a long block)."""

    def test(self, parent, block):
        rows = block.split("\n", 2)
        if len(rows) < 2 or "|" not in rows[0] or not super().test(parent, "\n".join(rows[:2])):
            return False
        if len(self.separator) > 1 or len(rows) == 2:
            return True
        # One column: as upstream, every row needs a pipe at its start or end.
        return all(row.startswith("|") or self.RE_END_BORDER.search(row)
                   for row in (m.group().strip(" ") for m in re.finditer(r"^.*$", rows[2], re.MULTILINE)))


class _CodeBlock(CodeBlockProcessor):
    """Python-Markdown's indented code, splitting off only the lines it takes."""

    def detab(self, text, length=None):
        indent = " " * (length or self.tab_length)
        lines, start = [], 0
        while True:
            end = text.find("\n", start)
            line = text[start:] if end < 0 else text[start:end]
            if line.startswith(indent):
                lines.append(line[len(indent):])
            elif not line.strip():
                lines.append("")
            else:
                return "\n".join(lines), text[start:]
            if end < 0:
                return "\n".join(lines), ""
            start = end + 1


class _Setext(SetextHeaderProcessor):
    """Python-Markdown's underlined headings, splitting off only the two lines they take."""

    def run(self, parent, blocks):
        lines = blocks.pop(0).split("\n", 2)
        heading = etree.SubElement(parent, "h1" if lines[1].startswith("=") else "h2")
        heading.text = lines[0].strip()
        if len(lines) > 2:
            blocks.insert(0, lines[2])


class Shallow:
    """Mixed into block processors that nest (lists, quotes): past :data:`MAX_NESTING`
    parser states a block is not theirs, so nesting and recursion stay bounded."""

    def test(self, parent, block):
        return len(self.parser.state) < MAX_NESTING and super().test(parent, block)


class _BlockQuote(Shallow, BlockQuoteProcessor):
    pass


class _ListIndent(Shallow, ListIndentProcessor):
    pass
