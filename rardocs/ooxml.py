"""Raw WordprocessingML: the one module that builds ``w:`` elements by hand.

python-docx has no API for hyperlinks, fields, list numbering instances or a
few document settings; the few elements rardocs needs are made here.
"""

from __future__ import annotations

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

LANGUAGE = "da-DK"


def element(tag: str, attrs: dict[str, str] | None = None, *children) -> OxmlElement:
    """``element("w:b")``; attribute names are prefixed too: ``{"w:val": "x"}``."""
    el = OxmlElement(tag)
    for name, value in (attrs or {}).items():
        el.set(qn(name), str(value))
    for child in children:
        if child is not None:
            el.append(child)
    return el


def run(text: str, *, bold: bool = False, italic: bool = False, style: str | None = None,
        code: bool = False, nobreak_hyphens: bool = False) -> OxmlElement:
    """A ``w:r`` holding ``text``; ``\\n`` becomes a line break, ``\\t`` a tab.

    ``nobreak_hyphens``: a ``-`` is a hyphen no line breaks after (for a web
    address, which must not look hyphenated where it wraps)."""
    r = element("w:r")
    props = []
    if style:
        props.append(element("w:rStyle", {"w:val": style}))
    if code:
        props.append(element("w:rFonts", {"w:ascii": "Consolas", "w:hAnsi": "Consolas", "w:cs": "Consolas"}))
    if bold:
        props.append(element("w:b"))
    if italic:
        props.append(element("w:i"))
    if props:
        r.append(element("w:rPr", None, *props))
    for index, line in enumerate(text.split("\n")):
        if index:
            r.append(element("w:br"))
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                r.append(element("w:tab"))
            pieces = part.split("-") if nobreak_hyphens else [part]
            for piece_index, piece in enumerate(pieces):
                if piece_index:
                    r.append(element("w:noBreakHyphen"))
                if piece:
                    t = element("w:t")
                    t.text = piece
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                    r.append(t)
    return r


def hyperlink(part, url: str, runs) -> OxmlElement:
    """A ``w:hyperlink`` to ``url``, related from ``part`` (body, header or footer)."""
    r_id = part.relate_to(url, RT.HYPERLINK, is_external=True)
    return element("w:hyperlink", {"r:id": r_id, "w:history": "1"}, *runs)


def paragraph(style: str | None, children, *, numbering: tuple[int, int] | None = None,
              keep_next: bool = False) -> OxmlElement:
    """A ``w:p`` with paragraph style id ``style`` and optional list numbering (numId, ilvl)."""
    props = []
    if style:
        props.append(element("w:pStyle", {"w:val": style}))
    if keep_next:
        props.append(element("w:keepNext"))
    if numbering:
        num_id, level = numbering
        props.append(element("w:numPr", None, element("w:ilvl", {"w:val": level}), element("w:numId", {"w:val": num_id})))
    p = element("w:p", None, element("w:pPr", None, *props) if props else None)
    for child in children:
        p.append(child)
    return p


#: The fill of a table's header row: light enough to print in black and white.
HEADER_FILL = "D9E2F3"


def table(rows: list[list[list[OxmlElement]]], widths: list[int], *, style: str, header: bool) -> OxmlElement:
    """A ``w:tbl`` with columns ``widths`` twips wide; cells are lists of paragraphs.

    With ``header`` the first row is a header row: shaded, repeated on every
    page. No row is split across pages.
    """
    columns = len(widths)
    tbl = element(
        "w:tbl", None,
        element("w:tblPr", None,
                element("w:tblStyle", {"w:val": style}),
                element("w:tblW", {"w:w": sum(widths), "w:type": "dxa"}),
                element("w:tblLayout", {"w:type": "fixed"}),
                element("w:tblLook", {"w:val": "04A0", "w:firstRow": int(header), "w:lastRow": 0,
                                      "w:firstColumn": 0, "w:lastColumn": 0, "w:noHBand": 0, "w:noVBand": 1})),
        element("w:tblGrid", None, *[element("w:gridCol", {"w:w": width}) for width in widths]),
    )
    for index, cells in enumerate(rows):
        head = header and index == 0
        tr = element("w:tr", None, element("w:trPr", None, element("w:cantSplit"), element("w:tblHeader") if head else None))
        for cell, width in zip(cells + [[]] * (columns - len(cells)), widths):
            shading = element("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": HEADER_FILL}) if head else None
            tc = element("w:tc", None, element("w:tcPr", None, element("w:tcW", {"w:w": width, "w:type": "dxa"}), shading))
            for p in cell or [paragraph(None, [])]:
                tc.append(p)
            tr.append(tc)
        tbl.append(tr)
    return tbl


def field(instruction: str, placeholder: str = "1") -> list[OxmlElement]:
    """The runs of a simple field such as ``PAGE`` or ``NUMPAGES``."""
    def char(kind):
        return element("w:r", None, element("w:fldChar", {"w:fldCharType": kind}))
    instr = element("w:instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return [char("begin"), element("w:r", None, instr), char("separate"), run(placeholder), char("end")]


# --- numbering ------------------------------------------------------------------

_LEVEL_INDENT = 360  # twips per list level
LIST_HANGING = 360  # the marker's room


def list_indent(level: int) -> int:
    """The left indent of a list paragraph at ``level`` (0 = top), in twips."""
    return _LEVEL_INDENT * (level + 1) + LIST_HANGING
_BULLETS = ("•", "–", "▪")


def list_formats(kind: str, suffix: str = "."):
    """Level formats for a list kind: ``bullet``, ``decimal``, ``lowerLetter``, ``upperLetter``."""
    for level in range(9):
        if kind == "bullet":
            yield "bullet", _BULLETS[level % len(_BULLETS)]
        else:
            yield kind, f"%{level + 1}{suffix}"


def add_abstract_numbering(numbering, kind: str, suffix: str) -> int:
    """Add an abstract list definition to the numbering part's XML; return its id."""
    ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(ids, default=-1) + 1
    abstract = element("w:abstractNum", {"w:abstractNumId": abstract_id},
                       element("w:multiLevelType", {"w:val": "multilevel" if kind != "bullet" else "hybridMultilevel"}))
    for level, (fmt, text) in enumerate(list_formats(kind, suffix)):
        left = list_indent(level)
        lvl = element(
            "w:lvl", {"w:ilvl": level},
            element("w:start", {"w:val": 1}),
            element("w:numFmt", {"w:val": fmt}),
            element("w:lvlText", {"w:val": text}),
            element("w:lvlJc", {"w:val": "left"}),
            element("w:pPr", None, element("w:ind", {"w:left": left, "w:hanging": LIST_HANGING})),
        )
        abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return abstract_id


def add_numbering_instance(numbering, abstract_id: int, level: int, start: int) -> int:
    """Add a ``w:num`` that restarts at ``start`` on ``level``; return its id."""
    ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    num_id = max(ids, default=0) + 1
    numbering.append(element(
        "w:num", {"w:numId": num_id},
        element("w:abstractNumId", {"w:val": abstract_id}),
        element("w:lvlOverride", {"w:ilvl": level}, element("w:startOverride", {"w:val": start})),
    ))
    return num_id
