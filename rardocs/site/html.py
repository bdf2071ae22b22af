"""Field bodies as HTML fragments for the web pages, and as plain text for search.

Markdown becomes HTML through :func:`rardocs.markdown.to_html` (raw HTML in
content is shown, never run); headings inside a body become bold paragraphs, so
that every page keeps one ``h1`` and no skipped heading level, and table headers
get ``scope="col"``. A bilag line links its file only when the site's documents
hold the copied file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from markupsafe import Markup

from ..documents import LinkLine, Markdown, Rich
from ..markdown import is_web_link, to_html, to_text

_HEADING = re.compile(r"<(/?)h[1-6]\b[^>]*>")
_TH = re.compile(r"<th(?=[\s>])(?![^>]*\bscope=)")


def fragment(markdown: str) -> Markup:
    """Markdown as an HTML fragment fit for a page's own heading levels."""
    return Markup(_fragment(markdown))


def _fragment(markdown: str) -> str:
    text = to_html(markdown)
    text = _HEADING.sub(lambda m: "</strong></p>" if m.group(1) else '<p class="mellemrubrik"><strong>', text)
    return _TH.sub('<th scope="col"', text)


_text = to_text


def rich(body: Rich, bilag_href: Callable[[str], str | None]) -> Markup:
    """A field body: its Markdown, and its bilag lines with ``bilag_href`` turning a
    bilag's link (relative to the meeting folder) into the page's link, or ``None``."""
    out = []
    for block in body.blocks:
        if isinstance(block, Markdown):
            out.append(fragment(block.text))
        elif isinstance(block, LinkLine):
            out.append(Markup(f'<p class="bilag">{_line(block, bilag_href)}</p>'))
    return Markup("\n").join(out)


def _line(line: LinkLine, bilag_href) -> str:
    parts = []
    for text, url in line.parts:
        href = url if url and is_web_link(url) else bilag_href(url) if url else None
        parts.append(f'<a href="{escape(href)}">{escape(text)}</a>' if href else escape(text))
    return "".join(parts)


def plain(body: Rich) -> str:
    """A field body as one line of plain text."""
    texts = []
    for block in body.blocks:
        if isinstance(block, Markdown):
            texts.append(_text(block.text))
        elif isinstance(block, LinkLine):
            texts.append("".join(text for text, _ in block.parts))
    return " ".join(" ".join(texts).split())


def plain_markdown(text: str) -> str:
    """Markdown as one line of plain text."""
    return " ".join(_text(text).split()) if text.strip() else ""
