"""What a reader hands the importer: the input as lines or blocks, each with where it
stands in the input (for ``import-rapport.txt``).

Two shapes, by what the input knows:

- a :class:`Line` is a line of text as a PDF or its extracted text has it (``.txt``,
  ``.pdf``): the importer cleans the artefacts of the page (running headers, page
  numbers, private-use bullets, hyphenation) and re-flows the lines into blocks;
- a :class:`Block` is a paragraph, list entry, heading or table as a Word document has
  it (``.docx``), already whole.

Inline text of a block is Markdown: a hyperlink is ``[text](https://…)`` (or the bare
address when the text is the address), bold ``**…**`` and italic ``*…*``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import RardocsError


class ImportFault(RardocsError):
    """An input that cannot be imported at all (broken, encrypted, empty, unknown kind):
    its message is Danish, names the file and is printed as it is."""


@dataclass
class Line:
    """One line of an input laid out in pages.

    ``indent`` is the line's left edge in characters (``.txt``) or points (``.pdf``),
    relative to the page's text column: a bullet's continuation lines are indented, a
    new paragraph at the margin. ``cells`` is set for a row of a table found in the
    layout (the text of each cell, left to right); ``text`` is then the cells joined
    by two spaces. ``artefact`` names what of the page layout the line is, not content
    (``"sidehoved"``, ``"sidefod"``, ``"sidetal"``, ``"gentaget tabeloverskrift"``), else
    ``None``. ``page`` counts from 1 (``0``: the input has no pages, as a ``.txt``
    without form feeds). ``number`` is the line's number in the input (``.txt``) or on
    its page (``.pdf``), from 1.
    """

    text: str
    number: int
    page: int = 0
    indent: float = 0.0
    cells: list[str] | None = None
    gap_before: bool = False  # a blank line (.txt) or more than a line's space (.pdf) before it
    artefact: str | None = None

    @property
    def where(self) -> str:
        return f"side {self.page}, linje {self.number}" if self.page else f"linje {self.number}"


@dataclass
class Block:
    """One paragraph (``para``), heading (``heading``, ``level`` 1 = a section's, 2 = an
    item's), list entry (``list``, ``level`` its depth from 0, ``marker`` ``-``, ``1.``,
    ``a.``, ``A.`` or ``A)`` as it should be written in Markdown) or table (``table``,
    ``rows`` with the header row first) of the input."""

    kind: str
    text: str = ""
    where: str = ""
    level: int = 0
    marker: str = ""
    rows: list[list[str]] = field(default_factory=list)
    #: A ``para`` that is a further paragraph of the list entry before it (at ``level``),
    #: not a paragraph after the list: the list goes on after it.
    continues: bool = False

    def words(self) -> str:
        """The block's words as one text (a table's cells joined), for counting."""
        if self.kind == "table":
            return " ".join(cell for row in self.rows for cell in row)
        return self.text
