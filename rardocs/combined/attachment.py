"""A bilag as the caller gives it (:class:`Attachment`) and on its way into the samlet
PDF (:class:`Part`), and what reading a bilag PDF can throw (:data:`BROKEN`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf

#: What a bilag PDF can throw at us besides pikepdf's own errors (a damaged file parses into odd objects).
BROKEN = (pikepdf.PdfError, ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError)


@dataclass(frozen=True)
class Attachment:
    """One bilag of the document, in item order.

    ``pdf`` is the bilag as PDF (a PDF bilag as it is, an office bilag converted
    by the caller), or None: a bilag with only a ``url`` or a title, or a file
    that could not be converted. ``source`` names the file for messages
    (``content/<council>/<date>/bilag/x.pdf``); empty for a bilag without a file.
    ``link`` is the document's link to the bilag file (``bilag/2.1.1-notat.pdf``):
    in the samlet PDF it leads to the bilag's first page instead.
    """

    number: str
    title: str
    item_number: str
    pdf: bytes | None
    url: str | None = None
    source: str = ""
    link: str = ""


@dataclass
class Part:
    """A bilag on its way into the samlet PDF: its PDF (None: not going in) and, once in, its pages."""

    attachment: Attachment
    bilag: pikepdf.Pdf | None
    has_file: bool
    first: int = 0  # the number of its first page in the samlet PDF
    pages: list = field(default_factory=list)  # its pages there

    @property
    def label(self) -> str:
        return f"Bilag {self.attachment.number} – {self.attachment.title}"
