"""Raw WordprocessingML: the one module that builds ``w:`` elements by hand.

python-docx has no API for hyperlinks, fields, list numbering instances or a
few document settings; the few elements rardocs needs are made here.

Elements are python-docx's own classes (a ``w:p`` is its ``CT_P``), made
straight from its parser with qualified names worked out once, children made in
place: python-docx's ``OxmlElement`` parses the prefix of every tag it makes, and
its ``get_or_add_…`` looks for each of some thirty possible later siblings in turn
(with them, a referat took 24 ms to render, without 16). :func:`paragraph_properties`,
:func:`paragraph_property` and :func:`set_paragraph_style` put a child exactly
where python-docx's methods put it.
"""

from __future__ import annotations

import copy
import functools

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap
from docx.oxml.ns import qn as _qn
from docx.oxml.parser import oxml_parser
from lxml import etree

LANGUAGE = "da-DK"

#: ``qn("w:b")`` is ``"{…/wordprocessingml/2006/main}b"``.
qn = functools.cache(_qn)

_make = oxml_parser.makeelement
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_T, _PRESERVE = qn("w:t"), {_XML_SPACE: "preserve"}


@functools.cache
def _tag(tag: str) -> tuple[str, dict[str, str]]:
    """The qualified name of ``tag`` and the declaration of its prefix, as ``OxmlElement`` makes them."""
    prefix = tag.partition(":")[0]
    return qn(tag), {prefix: nsmap[prefix]}


def element(tag: str, attrs: dict[str, str] | None = None, *children) -> etree._Element:
    """``element("w:b")``; attribute names are prefixed too: ``{"w:val": "x"}``."""
    name, declared = _tag(tag)
    el = _make(name, {qn(k): str(v) for k, v in attrs.items()} if attrs else None, declared)
    for child in children:
        if child is not None:
            el.append(child)
    return el


def _child(parent, tag: str, attrs: dict[str, str] | None = None) -> etree._Element:
    """A new last child of ``parent``: :func:`element` appended, in less time."""
    return etree.SubElement(parent, qn(tag), {qn(k): str(v) for k, v in attrs.items()} if attrs else None)


def run(text: str, *, bold: bool = False, italic: bool = False, style: str | None = None,
        code: bool = False, nobreak_hyphens: bool = False) -> etree._Element:
    """A ``w:r`` holding ``text``; ``\\n`` becomes a line break, ``\\t`` a tab.

    ``nobreak_hyphens``: a ``-`` is a hyphen no line breaks after (for a web
    address, which must not look hyphenated where it wraps)."""
    r = element("w:r")
    if style or code or bold or italic:
        props = _child(r, "w:rPr")
        if style:
            _child(props, "w:rStyle", {"w:val": style})
        if code:
            _child(props, "w:rFonts", {"w:ascii": "Consolas", "w:hAnsi": "Consolas", "w:cs": "Consolas"})
        if bold:
            _child(props, "w:b")
        if italic:
            _child(props, "w:i")
    for index, line in enumerate(text.split("\n")):
        if index:
            _child(r, "w:br")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                _child(r, "w:tab")
            pieces = part.split("-") if nobreak_hyphens else [part]
            for piece_index, piece in enumerate(pieces):
                if piece_index:
                    _child(r, "w:noBreakHyphen")
                if piece:
                    etree.SubElement(r, _T, _PRESERVE).text = piece
    return r


def hyperlink(part, url: str, runs) -> etree._Element:
    """A ``w:hyperlink`` to ``url``, related from ``part`` (body, header or footer)."""
    r_id = part.relate_to(url, RT.HYPERLINK, is_external=True)
    return element("w:hyperlink", {"r:id": r_id, "w:history": "1"}, *runs)


def paragraph(style: str | None, children, *, numbering: tuple[int, int] | None = None,
              keep_next: bool = False) -> etree._Element:
    """A ``w:p`` with paragraph style id ``style`` and optional list numbering (numId, ilvl)."""
    p = element("w:p")
    if style or keep_next or numbering:
        props = _child(p, "w:pPr")
        if style:
            _child(props, "w:pStyle", {"w:val": style})
        if keep_next:
            _child(props, "w:keepNext")
        if numbering:
            num_id, level = numbering
            num = _child(props, "w:numPr")
            _child(num, "w:ilvl", {"w:val": level})
            _child(num, "w:numId", {"w:val": num_id})
    for child in children:
        p.append(child)
    return p


#: The children of a ``w:pPr`` in the order the schema gives them (python-docx's
#: ``CT_PPr``): a new child goes before the present one that comes next in it.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
_PPR_RANK = {qn(tag): rank for rank, tag in enumerate(_PPR_ORDER)}


def _first(parent, tag: str) -> etree._Element | None:
    """The first child ``tag`` of ``parent``: ``parent.find(tag)`` without ElementPath's overhead."""
    return next(parent.iterchildren(qn(tag)), None)


def paragraph_properties(p) -> etree._Element:
    """The ``w:pPr`` of paragraph ``p``, added as its first child if it has none
    (python-docx's ``get_or_add_pPr``)."""
    props = _first(p, "w:pPr")
    if props is None:
        props = element("w:pPr")
        p.insert(0, props)
    return props


def paragraph_property(props, tag: str) -> etree._Element:
    """The child ``tag`` (``"w:ind"``) of the ``w:pPr`` ``props``, added if it has none where
    python-docx's ``get_or_add_ind`` and the like add it: before the first present child of
    the earliest kind that comes after ``tag`` in the schema's order, or else last."""
    child = _first(props, tag)
    if child is None:
        child = element(tag)
        rank = _PPR_RANK[qn(tag)]
        later = [c for c in props if _PPR_RANK.get(c.tag, -1) > rank]
        if later:
            min(later, key=lambda c: _PPR_RANK[c.tag]).addprevious(child)
        else:
            props.append(child)
    return child


def paragraph_style(p) -> str | None:
    """The style id of paragraph ``p``, or None."""
    props = _first(p, "w:pPr")
    style = None if props is None else _first(props, "w:pStyle")
    return None if style is None else style.get(qn("w:val"))


def set_paragraph_style(p, style: str) -> None:
    """Give paragraph ``p`` the style id ``style`` (python-docx's ``CT_P.style = style``)."""
    paragraph_property(paragraph_properties(p), "w:pStyle").set(qn("w:val"), style)


#: The fill of a table's header row: light enough to print in black and white.
HEADER_FILL = "D9E2F3"


def table(rows: list[list[list[etree._Element]]], widths: list[int], *, style: str, header: bool) -> etree._Element:
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


def field(instruction: str, placeholder: str = "1") -> list[etree._Element]:
    """The runs of a simple field such as ``PAGE`` or ``NUMPAGES``."""
    def char(kind):
        return element("w:r", None, element("w:fldChar", {"w:fldCharType": kind}))
    instr = element("w:instrText")
    instr.text = f" {instruction} "
    instr.set(_XML_SPACE, "preserve")
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
    abstract = copy.deepcopy(_abstract_numbering(kind, suffix))
    abstract.set(qn("w:abstractNumId"), str(abstract_id))
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return abstract_id


@functools.cache
def _abstract_numbering(kind: str, suffix: str) -> etree._Element:
    """The ``w:abstractNum`` of a list kind, made once and copied for every document: its
    nine levels are some sixty elements (1 ms of a referat, which has five list kinds)."""
    abstract = element("w:abstractNum", {"w:abstractNumId": 0},
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
    return abstract


def add_numbering_instance(numbering, abstract_id: int, level: int, start: int, num_id: int | None = None) -> int:
    """Add a ``w:num`` that restarts at ``start`` on ``level``; return its id: ``num_id``, or
    one more than the highest there is (a scan of them all: give ``num_id`` when adding many,
    see :func:`highest_numbering_instance`)."""
    if num_id is None:
        num_id = highest_numbering_instance(numbering) + 1
    numbering.append(element(
        "w:num", {"w:numId": num_id},
        element("w:abstractNumId", {"w:val": abstract_id}),
        element("w:lvlOverride", {"w:ilvl": level}, element("w:startOverride", {"w:val": start})),
    ))
    return num_id


def highest_numbering_instance(numbering) -> int:
    """The highest ``w:num`` id in the numbering part's XML (0 for none)."""
    return max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0)
