"""The samlet PDF: a meeting document and its bilag as one PDF.

:func:`combine` takes the document (the dagsorden or referat as LibreOffice
exported it) and each bilag as PDF, and returns one PDF: the contents
("Indhold") first, then the document as it is, then every bilag's pages in item
order under a band naming the bilag ("Bilag 2.1.1 – …"). Pure: bytes in, bytes
and warnings out; converting an office bilag to PDF is the caller's job.

The contents come first because the document's first page is not a title page
(the first item starts on it): a page after it would split that item. The
contents pages are numbered i, ii …, the document and bilag 1 … N, so the
numbers the contents give, the document's own footers ("Side 3 af 6"), the bands
("Side 9 af 20") and the viewer's page box all agree.

What survives: the document's pages, links, bookmarks and structure tree
untouched; a tagged bilag's structure tree, moved into a section of its own; an
untagged bilag's pages each become one tagged paragraph (a figure with a text
alternative when the page has no text), so a screen reader does not skip them.
The samlet PDF does not claim PDF/UA (a bilag's tags are as good as the bilag);
the separate PDFs stay the accessible publication.

One module per step: :mod:`.bilag` opens, checks and appends a bilag
(:class:`Attachment` and its :class:`~.attachment.Part` in :mod:`.attachment`),
:mod:`.stamp` draws the band on its pages, :mod:`.tags` carries the structure
tree, :mod:`.contents` makes the contents pages, :mod:`.outline` the bookmarks,
links and page labels; :mod:`.fonts` measures and shows their text.
"""

from __future__ import annotations

import datetime as dt
import io
from contextlib import ExitStack

import pikepdf

from .attachment import Attachment, Part
from .bilag import append_bilag, open_bilag, read_bilag_pdf
from .contents import contents_entries, insert_contents, lay_out
from .fonts import add_fonts
from .outline import add_bookmarks, document_headings, finish, link_bilag
from .tags import Tags

__all__ = ["Attachment", "combine", "read_bilag_pdf"]


def combine(document: bytes, attachments: list[Attachment], *, title: str,
            stamp_date: dt.date) -> tuple[bytes, list[tuple[str, str]]]:
    """The samlet PDF of ``document`` (a PDF) and its ``attachments``, titled
    ``title``, with every date ``stamp_date`` at noon UTC; and the warnings, each
    ``(the bilag's source, Danish message)``, one per bilag that is left out
    or is scanned. The same input gives the same bytes. A bilag that cannot be
    read is left out with a warning; it never raises."""
    problems: list[tuple[str, str]] = []
    with ExitStack() as stack:
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(document)))
        parts = []
        for attachment in attachments:
            bilag = None
            if attachment.pdf is not None:
                bilag, found = open_bilag(attachment.pdf, attachment.source or attachment.number, stack)
                problems += found
            parts.append(Part(attachment, bilag, has_file=attachment.pdf is not None or bool(attachment.source)))
        total = len(pdf.pages)  # the pages numbered 1 … total: the document's and the bilag's
        for part in parts:
            if part.bilag is not None:
                part.first = total + 1
                total += len(part.bilag.pages)
        headings = document_headings(pdf)
        entries = contents_entries(headings, parts)
        fonts = add_fonts(pdf)
        layout = lay_out(entries, title, pdf.pages[0].mediabox)
        tags = Tags.of(pdf)
        document_pages = list(pdf.pages)
        for part in parts:
            if part.bilag is not None:
                append_bilag(pdf, part, total, fonts, tags, problems)
        link_bilag(document_pages, parts)
        insert_contents(pdf, layout, entries, fonts, tags)
        add_bookmarks(pdf, parts, headings)
        finish(pdf, title, stamp_date, len(layout))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue(), problems
