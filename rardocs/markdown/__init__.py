"""Markdown → Word (and plain text and HTML): field bodies as the documents show them.

Python-Markdown parses the text (:mod:`.reader`); :class:`WordWriter` walks the
element tree into ``w:p`` and ``w:tbl`` elements built with the template's own
style ids (:mod:`.word`); :func:`to_text` and :func:`to_html` serve press
releases on the web (:mod:`.text`). Raw HTML and entities are switched off:
content is data, so ``<script>`` and ``&amp;`` appear exactly as typed.

Forgiving where people type differently from Markdown: nested lists may be
indented by 2 or 4 spaces, a list may follow a line without a blank line when
that line ends with ``:`` (bullet lists always may), lettered or parenthesised
points (``a.``, ``A.``, ``A)``, ``1)``) are real lists, and a bare
``https://…`` is a link.

Safe for hostile text: only ``https://``, ``http://`` and ``mailto:`` targets
become links (:func:`unsafe_links` lists the others, which stay text), and work
is bounded (:mod:`.bounded`); a text longer than :data:`MAX_MARKDOWN` is shown
without Markdown.
"""

from .bounded import MAX_MARKDOWN
from .reader import is_web_link, new_parser, normalise_lists, parse, unsafe_links
from .text import to_html, to_text

__all__ = ["MAX_MARKDOWN", "Styles", "WordWriter", "is_web_link", "new_parser", "normalise_lists", "parse",
           "to_html", "to_text", "unsafe_links"]


def __getattr__(name):
    """The Word writer on first use: ``rardocs check`` reads Markdown without python-docx and lxml."""
    if name not in ("Styles", "WordWriter"):
        raise AttributeError(name)
    from . import word

    return getattr(word, name)
