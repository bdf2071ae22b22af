"""Read a Word document (``.docx``) into :class:`~rardocs.importer.blocks.Block` s.

The body's paragraphs and tables are read in document order (also inside content
controls), with tracked changes as accepted (deleted text skipped, inserted kept);
headers, footers, footnotes, comments and text boxes are not body and are left out.

- A paragraph's style gives its kind: ``Title`` (or ``Titel``) is a heading of level 0,
  ``heading N`` / ``Overskrift N`` (by name, style id, a style they are based on, or an
  outline level) a heading of level N. A heading numbered by Word's list numbering gets
  its number written before its text (``2.1 Titel``), as Word shows it.
- A paragraph with list numbering (``w:numPr`` on the paragraph or its style; ``numId``
  0 is none) is a ``list`` block, ``level`` its ``ilvl`` (or deeper, when it is
  indented under the entry before it: ``List Bullet 2`` after ``List Bullet``, each a
  list of one level) and ``marker`` what its level
  definition shows, in Markdown: ``-``, ``1.``, ``1)``, ``a.``, ``a)``, ``A.``, ``A)``
  (roman numerals, which Markdown has not, as ``1.``). A level that numbers with more
  than one number (``2.1``) is no Markdown list: the paragraph is a ``para`` with the
  number written before its text.
- A paragraph in a list style (``List Paragraph``, ``List Continue``, ``Listeafsnit``…)
  without numbering, indented, right after a list entry, is the entry's further
  paragraph: a ``para`` whose ``level`` is the level of the entry it continues (by its
  indent). Every other paragraph is a ``para`` of level 0; an empty one is skipped.
- A table is a ``table`` block of rows of cell texts: a cell's paragraphs joined by a
  space (a nested table's text flattened in), a cell spanning columns (``gridSpan``)
  repeated in each column it spans, a cell continuing a vertical merge empty, rows
  padded to the same number of cells. A cell wholly bold (a header) is not marked bold.

Inline text is Markdown: a hyperlink (``w:hyperlink`` or a ``HYPERLINK`` field) is
``[text](url)``, or the bare address as shown when the text is the link's own address
(a trailing ``/``, ``https://`` or ``www.`` aside) and one Markdown makes a link of
(``https://…``, ``http://…``, ``www.…``); bold (direct or by character style, as
``Strong``, but not a paragraph style's) ``**…**`` and italic ``*…*``, never around
white space only. A paragraph or list entry that is a level of Word's numbering
a heading or a ``2.1`` has that number counted and written before its text. Tabs and line breaks are a space, runs of spaces one space, soft hyphens removed,
a non-breaking hyphen ``-``; page and column breaks, hidden text, symbols (``w:sym``,
mostly bullets drawn in a symbol font), drawings and footnote marks are left out.
Nothing is escaped. Fields: their codes are never text; the result of a page-number
field (``PAGE``, ``NUMPAGES``, ``SECTIONPAGES``, ``PAGEREF``) or of an index or table
of contents (``TOC``, ``INDEX``, ``TOA``) is left out, every other field's result kept
(a ``DATE`` or ``DOCPROPERTY`` shows text of the document).

``where`` is ``afsnit N`` (the paragraph's number among the body's paragraphs, empty
ones counted, from 1) or ``tabel K`` (the table's number in the body, from 1).

Errors are :class:`~rardocs.importer.blocks.ImportFault` with a Danish message naming the
file: not a zip package, not a Word document or damaged XML; a password-protected
document (an OLE compound file, signature ``D0 CF 11 E0 A1 B1 1A E1``, with a stream
named ``EncryptedPackage``: its UTF-16-LE name is found in the file's bytes); an old
binary ``.doc`` (an OLE compound file without that stream).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .blocks import Block, ImportFault

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_NS = b"purl.oclc.org/ooxml/wordprocessingml"

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

#: Main document parts of the Word kinds (document, macro-enabled, templates).
WORD_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
RT_NUMBERING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"

#: Fields whose result is no text of the document (page numbers, generated lists).
DROPPED_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES", "PAGEREF", "TOC", "INDEX", "TOA"}

_HEADING_NAME = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)
_TITLE_NAMES = {"title", "titel"}
_LIST_STYLE = re.compile(r"list|liste", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"%([1-9])")
_SPACES = re.compile(r" {2,}")
_FALSE = {"0", "false", "off", "none"}
#: Twips two indents may differ by and be the same (rounding by the program that wrote them).
INDENT_SLACK = 60


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _val(el, attr: str = "val") -> str | None:
    return None if el is None else el.get(w(attr))


def _on(el) -> bool | None:
    """A toggle property (``w:b``, ``w:i``, ``w:vanish``): None when absent."""
    if el is None:
        return None
    return (_val(el) or "true").lower() not in _FALSE


def _int(value: str | None, default: int = 0) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# -- opening -------------------------------------------------------------------------


def read_docx(path: Path) -> list[Block]:
    """The blocks of the Word document at ``path`` (see the module's description)."""
    path = Path(path)
    main, styles, numbering = _open(path)
    body = main.element.find(w("body")) if hasattr(main, "element") else None
    if body is None:
        raise _unreadable(path, "dokumentet har ingen brødtekst")
    return _Reader(main, _Styles(styles), _Numbering(numbering)).read(body)


def _unreadable(path: Path, reason: str) -> ImportFault:
    return ImportFault(f"{path.name}: filen kan ikke læses som et Word-dokument (.docx) ({reason})")


def _open(path: Path):
    """The main document part and the styles and numbering elements (or None)."""
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as error:
        raise _unreadable(path, f"den kan ikke åbnes: {error.strerror or error}") from None
    if head == OLE_SIGNATURE:
        data = path.read_bytes()
        if ENCRYPTED_STREAM in data:
            raise ImportFault(f"{path.name}: Word-filen er beskyttet med adgangskode; "
                              "gem en udgave uden adgangskode og importér den")
        raise ImportFault(f"{path.name}: filen er i det gamle Word-format (.doc); gem den som .docx og importér den")
    if not zipfile.is_zipfile(path):
        reason = "filen er tom" if not head else "den er ikke en zip-pakke, som en .docx er"
        raise _unreadable(path, reason)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names and STRICT_NS in archive.read("word/document.xml")[:4000]:
                raise _unreadable(path, "den er gemt som »Strict Open XML«; gem den som almindeligt Word-dokument")
    except ImportFault:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, RuntimeError, ValueError):
        raise _unreadable(path, "zip-pakken er beskadiget") from None
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        raise _unreadable(path, "pakken indeholder intet Word-dokument")

    from docx.opc.exceptions import PackageNotFoundError
    from docx.opc.package import OpcPackage
    from lxml import etree

    try:
        package = OpcPackage.open(str(path))
        main = package.main_document_part
    except etree.XMLSyntaxError:
        raise _unreadable(path, "dokumentets XML er beskadiget") from None
    except (PackageNotFoundError, zipfile.BadZipFile, zlib.error, EOFError):
        raise _unreadable(path, "zip-pakken er beskadiget") from None
    except KeyError:
        raise _unreadable(path, "en del af dokumentet mangler") from None
    except Exception:  # noqa: BLE001 - python-docx raises what it meets; a damaged file is never a traceback
        raise _unreadable(path, "filen er beskadiget") from None
    if main.content_type not in WORD_MAIN_TYPES:
        raise _unreadable(path, "pakken er ikke et Word-dokument (måske et regneark eller en præsentation)")
    try:
        main = _xml_part(main)
        styles = _related_element(main, RT_STYLES)
        numbering = _related_element(main, RT_NUMBERING)
    except etree.XMLSyntaxError:
        raise _unreadable(path, "dokumentets XML er beskadiget") from None
    except Exception:  # noqa: BLE001 - as above
        raise _unreadable(path, "filen er beskadiget") from None
    return main, styles, numbering


@dataclass
class _Parsed:
    """A part python-docx keeps as bytes (a macro-enabled document or a template), parsed."""

    element: object
    rels: dict


def _xml_part(part):
    if hasattr(part, "element"):
        return part
    from docx.oxml.parser import parse_xml
    return _Parsed(parse_xml(part.blob), part.rels)


def _related_element(part, reltype: str):
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            target = rel.target_part
            if hasattr(target, "element"):
                return target.element
            from docx.oxml.parser import parse_xml
            return parse_xml(target.blob)
    return None


# -- styles and numbering ------------------------------------------------------------


@dataclass
class _Style:
    kind: str
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    bold: bool | None
    italic: bool | None
    outline: int | None
    indent: int | None


class _Styles:
    def __init__(self, root) -> None:
        self.styles: dict[str, _Style] = {}
        self.default_paragraph: str | None = None
        if root is None:
            return
        for el in root.iter(w("style")):
            sid = el.get(w("styleId"))
            if not sid:
                continue
            ppr, rpr = el.find(w("pPr")), el.find(w("rPr"))
            num = ppr.find(w("numPr")) if ppr is not None else None
            ind = ppr.find(w("ind")) if ppr is not None else None
            outline = _val(ppr.find(w("outlineLvl"))) if ppr is not None else None
            kind = el.get(w("type")) or "paragraph"
            self.styles[sid] = _Style(
                kind=kind,
                name=_val(el.find(w("name"))) or sid,
                based_on=_val(el.find(w("basedOn"))),
                num_id=_val(num.find(w("numId"))) if num is not None else None,
                ilvl=_int(_val(num.find(w("ilvl"))), 0) if num is not None and num.find(w("ilvl")) is not None else None,
                bold=_on(rpr.find(w("b"))) if rpr is not None else None,
                italic=_on(rpr.find(w("i"))) if rpr is not None else None,
                outline=_int(outline, 9) if outline is not None else None,
                indent=_indent(ind),
            )
            if kind == "paragraph" and (el.get(w("default")) or "").lower() in ("1", "true", "on"):
                self.default_paragraph = sid

    def chain(self, sid: str | None):
        """The style and those it is based on, nearest first (cycles cut)."""
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            yield sid, self.styles[sid]
            sid = self.styles[sid].based_on

    def heading_level(self, sid: str | None) -> int | None:
        """0 for a title, N for heading N, None for no heading."""
        for style_id, style in self.chain(sid):
            for name in (style.name, style_id):
                key = name.strip().lower()
                if key in _TITLE_NAMES:
                    return 0
                match = _HEADING_NAME.match(key)
                if match and int(match.group(1)) >= 1:
                    return int(match.group(1))
        for _, style in self.chain(sid):
            if style.outline is not None:
                return style.outline + 1 if style.outline < 9 else None
        return None

    def is_list_style(self, sid: str | None) -> bool:
        return any(_LIST_STYLE.search(style.name) or _LIST_STYLE.search(style_id)
                   for style_id, style in self.chain(sid))

    def numbering(self, sid: str | None) -> tuple[str | None, int | None]:
        for _, style in self.chain(sid):
            if style.num_id is not None:
                return style.num_id, style.ilvl
        return None, None

    def indent(self, sid: str | None) -> int | None:
        for _, style in self.chain(sid):
            if style.indent is not None:
                return style.indent
        return None

    def run_format(self, sid: str | None) -> tuple[bool, bool]:
        bold = italic = None
        for _, style in self.chain(sid):
            if bold is None:
                bold = style.bold
            if italic is None:
                italic = style.italic
        return bool(bold), bool(italic)


def _indent(ind) -> int | None:
    if ind is None:
        return None
    value = ind.get(w("left")) or ind.get(w("start"))
    return _int(value, 0) if value is not None else None


@dataclass
class _Level:
    fmt: str
    text: str
    start: int
    indent: int | None
    style: str | None
    restart: int | None  # lvlRestart: 0 never


class _Numbering:
    def __init__(self, root) -> None:
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.style_links: dict[str, str] = {}
        self.nums: dict[str, tuple[str, dict[int, tuple[int | None, _Level | None]]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.used: set[str] = set()
        if root is None:
            return
        for el in root.findall(w("abstractNum")):
            aid = el.get(w("abstractNumId"))
            self.abstracts[aid] = {_int(lvl.get(w("ilvl"))): _level(lvl) for lvl in el.findall(w("lvl"))}
            link = _val(el.find(w("numStyleLink")))
            if link:
                self.style_links[aid] = link
        for el in root.findall(w("num")):
            overrides = {}
            for override in el.findall(w("lvlOverride")):
                start = _val(override.find(w("startOverride")))
                lvl = override.find(w("lvl"))
                overrides[_int(override.get(w("ilvl")))] = (
                    _int(start) if start is not None else None, _level(lvl) if lvl is not None else None)
            self.nums[el.get(w("numId"))] = (_val(el.find(w("abstractNumId"))), overrides)

    def abstract_of(self, num_id: str, styles: _Styles, depth: int = 0) -> str | None:
        if num_id not in self.nums:
            return None
        aid = self.nums[num_id][0]
        link = self.style_links.get(aid)
        if link and depth < 4:  # the list is defined by a numbering style
            linked, _ = styles.numbering(link)
            if linked and linked != num_id and linked != "0":
                return self.abstract_of(linked, styles, depth + 1) or aid
        return aid

    def level(self, num_id: str, ilvl: int, styles: _Styles) -> _Level | None:
        if num_id not in self.nums:
            return None
        override = self.nums[num_id][1].get(ilvl)
        if override and override[1] is not None:
            return override[1]
        aid = self.abstract_of(num_id, styles)
        return self.abstracts.get(aid, {}).get(ilvl)

    def level_for_style(self, num_id: str, sid: str, styles: _Styles) -> int | None:
        """The level whose definition names paragraph style ``sid`` (a numbered style
        without an ``ilvl`` of its own)."""
        aid = self.abstract_of(num_id, styles)
        for ilvl, lvl in self.abstracts.get(aid, {}).items():
            if lvl.style == sid:
                return ilvl
        return None

    def count(self, num_id: str, ilvl: int, styles: _Styles) -> str:
        """Count a paragraph numbered at ``ilvl`` of list ``num_id``; the number Word
        shows for it (``2.1.``), as its level's text has it."""
        aid = self.abstract_of(num_id, styles) or f"num{num_id}"
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.used:  # a list instance restarting its levels
            self.used.add(num_id)
            for level, (start, _) in self.nums.get(num_id, ("", {}))[1].items():
                if start is not None:
                    counters[level] = start - 1
        lvl = self.level(num_id, ilvl, styles)
        start = lvl.start if lvl else 1
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [level for level in counters if level > ilvl]:
            deeper_lvl = self.level(num_id, deeper, styles)
            if deeper_lvl is None or deeper_lvl.restart != 0:
                del counters[deeper]
        if lvl is None:
            return ""

        def number(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            defined = self.level(num_id, level, styles)
            value = counters.get(level, defined.start if defined else 1)
            return _format_number(value, defined.fmt if defined else "decimal")
        return _PLACEHOLDER.sub(number, lvl.text)


def _level(el) -> _Level:
    restart = _val(el.find(w("lvlRestart")))
    ppr = el.find(w("pPr"))
    return _Level(
        fmt=_val(el.find(w("numFmt"))) or "decimal",
        text=_val(el.find(w("lvlText"))) or "",
        start=_int(_val(el.find(w("start"))), 1),
        indent=_indent(ppr.find(w("ind"))) if ppr is not None else None,
        style=_val(el.find(w("pStyle"))),
        restart=_int(restart) if restart is not None else None,
    )


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        n = max(value, 1)
        letters = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # z, aa, bb as Word counts
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += numeral
            value -= number
    return out or str(value)


def _marker(lvl: _Level) -> str | None:
    """The Markdown marker of a list level (None: no Markdown list, as ``2.1`` or none)."""
    if lvl.fmt == "bullet":
        return "-"
    if lvl.fmt == "none" or len(_PLACEHOLDER.findall(lvl.text)) != 1:
        return None
    suffix = ")" if lvl.text.rstrip().endswith(")") else "."
    if lvl.fmt == "lowerLetter":
        return "a" + suffix
    if lvl.fmt == "upperLetter":
        return "A" + suffix
    return "1" + suffix


# -- inline text ---------------------------------------------------------------------


@dataclass
class _Piece:
    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    link_key: object = None  # the hyperlink it is part of (adjacent links apart)


@dataclass
class _Field:
    instr: str = ""
    in_result: bool = False
    dropped: bool = False
    link: str | None = None


_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+(?:\\[a-zA-Z]\s+(?:"[^"]*"\s+)?)*"?([^"\s]+)"?(.*)$', re.DOTALL)


def _field_kind(field: _Field) -> None:
    instr = field.instr.strip()
    name = instr.split(None, 1)[0].upper() if instr else ""
    field.dropped = name in DROPPED_FIELDS
    if name == "HYPERLINK":
        match = _HYPERLINK_FIELD.match(instr)
        if match and "\\l" not in instr.split('"', 1)[0]:
            field.link = match.group(1)


def render_inline(pieces: list[_Piece], plain_if_uniform: bool = False) -> str:
    """Markdown of a paragraph's pieces of text."""
    pieces = [p for p in pieces if p.text]
    if not pieces:
        return ""
    if plain_if_uniform:  # a cell all bold (a header row) or all italic: the look of the cell
        words = [p for p in pieces if p.text.strip()]
        if words and all(p.bold for p in words):
            for p in pieces:
                p.bold = False
        if words and all(p.italic for p in words):
            for p in pieces:
                p.italic = False
    out, i = [], 0
    while i < len(pieces):
        j = i
        while j + 1 < len(pieces) and pieces[j + 1].link_key is pieces[i].link_key:
            j += 1
        group = pieces[i:j + 1]
        link = group[0].link
        if link:
            visible = " ".join("".join(p.text for p in group).split())
            if _same_address(visible, link) and visible.lower().startswith(("https://", "http://", "www.")):
                out.append(visible)  # an address Markdown makes a link of, as the reader saw it
            else:
                out.append(f"[{_formatted(group).strip()}]({link})")
        else:
            out.append(_formatted(group))
        i = j + 1
    text = "".join(out)
    return _SPACES.sub(" ", text).strip()


def _same_address(text: str, url: str) -> bool:
    def bare(s: str) -> str:
        s = s.strip().lower()
        for prefix in ("https://", "http://", "mailto:"):
            s = s.removeprefix(prefix)
        return s.removeprefix("www.").rstrip("/")
    return bool(text) and bare(text) == bare(url)


def _formatted(pieces: list[_Piece]) -> str:
    """Bold and italic as Markdown markers: white space keeps a format only when all of
    it and the text on both sides have it, so a marker never stands next to a space
    inside (and a label's plain tab parts it from bold text after it: ``**Bilag:**
    **Nyt**``); a format lasting longer is the outer one (``**og meget *vigtigt***``)."""
    chars: list[tuple[str, bool, bool]] = []
    for p in pieces:
        chars.extend((c, p.bold, p.italic) for c in p.text)
    n = len(chars)
    fmt = [(b, i) for _, b, i in chars]
    k = 0
    while k < n:
        if not chars[k][0].isspace():
            k += 1
            continue
        end = k
        while end < n and chars[end][0].isspace():
            end += 1
        before = fmt[k - 1] if k > 0 else (False, False)
        after = fmt[end] if end < n else (False, False)
        bold = before[0] and after[0] and all(fmt[m][0] for m in range(k, end))
        italic = before[1] and after[1] and all(fmt[m][1] for m in range(k, end))
        fmt[k:end] = [(bold, italic)] * (end - k)
        k = end
    segments: list[tuple[str, dict[str, bool]]] = []
    k = 0
    while k < n:
        end = k
        while end < n and fmt[end] == fmt[k]:
            end += 1
        segments.append(("".join(c for c, _, _ in chars[k:end]), {"**": fmt[k][0], "*": fmt[k][1]}))
        k = end

    def lasting(index: int, marker: str) -> int:
        length = 0
        for text, want in segments[index:]:
            if not want[marker]:
                break
            length += len(text)
        return length

    out: list[str] = []
    opened: list[str] = []
    for index, (text, want) in enumerate(segments):
        while any(not want[marker] for marker in opened):
            out.append(opened.pop())  # closed inside out; a format still wanted is opened again
        missing = [marker for marker in ("**", "*") if want[marker] and marker not in opened]
        for marker in sorted(missing, key=lambda m: -lasting(index, m)):
            opened.append(marker)
            out.append(marker)
        out.append(text)
    out.extend(reversed(opened))
    return "".join(out)


# -- the body ------------------------------------------------------------------------


@dataclass
class _ListState:
    """The list entries just read: each level's text indent, for further paragraphs."""

    indents: dict[int, int | None] = field(default_factory=dict)
    last_level: int = 0
    active: bool = False
    #: The text indents of the entries the last one is nested in, outermost first.
    stack: list[int] = field(default_factory=list)


class _Reader:
    def __init__(self, part, styles: _Styles, numbering: _Numbering) -> None:
        self.part = part
        self.styles = styles
        self.numbering = numbering
        self.fields: list[_Field] = []
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0
        self.list = _ListState()
        self._links: dict[str, str | None] = {}

    def read(self, body) -> list[Block]:
        for el in _block_children(body):
            if el.tag == w("p"):
                self.paragraphs += 1
                self._paragraph(el)
            elif el.tag == w("tbl"):
                self.tables += 1
                rows = self._table(el)
                if any(cell for row in rows for cell in row):
                    self.blocks.append(Block("table", where=f"tabel {self.tables}", rows=rows))
                self.list.active = False
        return self.blocks

    # -- paragraphs

    def _paragraph(self, p) -> None:
        where = f"afsnit {self.paragraphs}"
        ppr = p.find(w("pPr"))
        sid = _val(ppr.find(w("pStyle"))) if ppr is not None else None
        sid = sid or self.styles.default_paragraph
        pieces = self._pieces(p)
        text = render_inline(pieces)
        num_id, ilvl, lvl = self._numbering(ppr, sid)
        number = self.numbering.count(num_id, ilvl, self.styles) if lvl is not None else ""
        if not text:
            return
        heading = self.styles.heading_level(sid)
        if ppr is not None and heading is None:
            outline = _val(ppr.find(w("outlineLvl")))
            if outline is not None and _int(outline, 9) < 9:
                heading = _int(outline) + 1
        if heading is not None:
            if number.strip() and lvl.fmt != "bullet":
                text = f"{number.strip()} {text}"
            self.blocks.append(Block("heading", text, where, level=heading))
            self.list.active = False
            return
        if lvl is not None:
            marker = _marker(lvl)
            if marker:
                indent = self._indent(ppr, sid, lvl)
                level = max(ilvl, self._depth(indent))
                self.blocks.append(Block("list", text, where, level=level, marker=marker))
                self.list.indents = {k: v for k, v in self.list.indents.items() if k < level}
                self.list.indents[level] = indent
                self.list.last_level = level
                self.list.active = True
                return
            if number.strip():  # 2.1 and the like: no Markdown list
                text = f"{number.strip()} {text}"
        elif self.list.active and self.styles.is_list_style(sid):
            indent = self._indent(ppr, sid, None)
            if indent:
                self.blocks.append(Block("para", text, where, level=self._continued_level(indent), continues=True))
                return
        self.blocks.append(Block("para", text, where))
        self.list.active = False

    def _numbering(self, ppr, sid):
        """The paragraph's list (numId, ilvl, level definition), or (None, 0, None)."""
        num_id = ilvl = None
        num = ppr.find(w("numPr")) if ppr is not None else None
        if num is not None:
            num_id = _val(num.find(w("numId")))
            if num.find(w("ilvl")) is not None:
                ilvl = _int(_val(num.find(w("ilvl"))))
        if num_id is None:
            style_num, style_ilvl = self.styles.numbering(sid)
            num_id = style_num
            if ilvl is None:
                ilvl = style_ilvl
        if ilvl is None and num_id is not None and sid:
            ilvl = self.numbering.level_for_style(num_id, sid, self.styles)
        ilvl = max(0, min(ilvl or 0, 8))
        if num_id is None or num_id == "0":
            return None, 0, None
        lvl = self.numbering.level(num_id, ilvl, self.styles)
        return (num_id, ilvl, lvl) if lvl is not None else (None, 0, None)

    def _indent(self, ppr, sid, lvl: _Level | None) -> int | None:
        direct = _indent(ppr.find(w("ind"))) if ppr is not None else None
        if direct is not None:
            return direct
        if lvl is not None and lvl.indent is not None:
            return lvl.indent
        return self.styles.indent(sid)

    def _depth(self, indent: int | None) -> int:
        """How deep a list entry at ``indent`` stands among the entries just before it:
        a list indented under another (as ``List Bullet 2`` after ``List Bullet``, each
        a list of one level) is nested in it though its own level is 0."""
        if indent is None:
            return 0
        stack = self.list.stack if self.list.active else []
        while stack and stack[-1] > indent + INDENT_SLACK:
            stack.pop()
        if not stack or stack[-1] < indent - INDENT_SLACK:
            stack.append(indent)
        self.list.stack = stack
        return len(stack) - 1

    def _continued_level(self, indent: int) -> int:
        """The level of the list entry a further paragraph at ``indent`` belongs to: the
        deepest whose text starts at or left of it (slack for rounding)."""
        known = {level: value for level, value in self.list.indents.items() if value is not None}
        fitting = [level for level, value in known.items() if value <= indent + INDENT_SLACK]
        if fitting:
            return max(fitting)
        return min(known) if known else self.list.last_level

    # -- runs

    def _pieces(self, parent) -> list[_Piece]:
        out: list[_Piece] = []
        self._inline(parent, out, None, None)
        # Field codes spanning paragraphs are instructions only within one paragraph.
        self.fields = [f for f in self.fields if f.in_result]
        return out

    def _inline(self, parent, out: list[_Piece], link: str | None, link_key) -> None:
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str):
                continue  # comments, processing instructions
            if tag == w("r"):
                self._run(child, out, link, link_key)
            elif tag == w("hyperlink"):
                url = self._relationship(child.get(f"{{{R_NS}}}id"))
                self._inline(child, out, url or link, child if url else link_key)
            elif tag in (w("ins"), w("moveTo"), w("smartTag"), w("customXml"), w("dir"), w("bdo")):
                self._inline(child, out, link, link_key)
            elif tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    self._inline(content, out, link, link_key)
            elif tag == w("fldSimple"):
                simple = _Field(instr=child.get(w("instr")) or "", in_result=True)
                _field_kind(simple)
                if not simple.dropped and self._visible():
                    self._inline(child, out, simple.link or link, child if simple.link else link_key)
            elif tag.endswith(("}oMath", "}oMathPara")):  # a formula: its text
                text = "".join(child.itertext())
                if text and self._visible():
                    out.append(_Piece(text, link=link, link_key=link_key))
            # w:del, w:moveFrom, w:pPr, bookmarks, proofing marks, mc:AlternateContent
            # (drawings, shapes): no body text

    def _visible(self) -> bool:
        return all(f.in_result and not f.dropped for f in self.fields)

    def _field_link(self) -> tuple[str | None, object]:
        for f in reversed(self.fields):
            if f.link:
                return f.link, f
        return None, None

    def _run(self, r, out: list[_Piece], link: str | None, link_key) -> None:
        rpr = r.find(w("rPr"))
        bold, italic = self.styles.run_format(_val(rpr.find(w("rStyle"))) if rpr is not None else None)
        hidden = False
        if rpr is not None:
            direct_bold, direct_italic = _on(rpr.find(w("b"))), _on(rpr.find(w("i")))
            bold = bold if direct_bold is None else direct_bold
            italic = italic if direct_italic is None else direct_italic
            hidden = bool(_on(rpr.find(w("vanish"))))
        for child in r:
            tag = child.tag
            if tag == w("fldChar"):
                kind = _val(child, "fldCharType")
                if kind == "begin":
                    self.fields.append(_Field())
                elif kind == "separate" and self.fields:
                    self.fields[-1].in_result = True
                    _field_kind(self.fields[-1])
                elif kind == "end" and self.fields:
                    top = self.fields.pop()
                    if not top.in_result:
                        _field_kind(top)  # a field without result: nothing to show
                continue
            if tag == w("instrText"):
                if self.fields and not self.fields[-1].in_result:
                    self.fields[-1].instr += child.text or ""
                continue
            if hidden or not self._visible():
                continue
            text = None
            if tag == w("t"):
                text = (child.text or "").replace("\u00ad", "")
            elif tag in (w("tab"), w("ptab"), w("cr")):
                text = " "
            elif tag == w("br"):
                text = "" if _val(child, "type") in ("page", "column") else " "
            elif tag == w("noBreakHyphen"):
                text = "-"
            if text:
                text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
                piece_link, piece_key = link, link_key
                if not piece_link:
                    piece_link, piece_key = self._field_link()
                out.append(_Piece(text, bold, italic, piece_link, piece_key))

    def _relationship(self, rid: str | None) -> str | None:
        if not rid:
            return None
        if rid not in self._links:
            rel = self.part.rels.get(rid)
            self._links[rid] = rel.target_ref if rel is not None and rel.is_external else None
        return self._links[rid]

    # -- tables

    def _table(self, tbl) -> list[list[str]]:
        rows: list[list[str]] = []
        for tr in _children(tbl, "tr"):
            trpr = tr.find(w("trPr"))
            row = [""] * (_int(_val(trpr.find(w("gridBefore")))) if trpr is not None else 0)
            for tc in _children(tr, "tc"):
                tcpr = tc.find(w("tcPr"))
                span = max(1, _int(_val(tcpr.find(w("gridSpan"))), 1)) if tcpr is not None else 1
                merge = tcpr.find(w("vMerge")) if tcpr is not None else None
                text = self._cell(tc)
                if merge is not None and (_val(merge) or "continue") == "continue":
                    text = ""
                row.extend([text] * span)
            rows.append(row)
        width = max((len(row) for row in rows), default=0)
        return [row + [""] * (width - len(row)) for row in rows]

    def _cell(self, tc) -> str:
        texts = []
        for el in _block_children(tc):
            if el.tag == w("p"):
                pieces = self._pieces(el)
                texts.append(render_inline(pieces, plain_if_uniform=True))
            elif el.tag == w("tbl"):
                texts.extend(cell for row in self._table(el) for cell in row)
        return " ".join(t for t in texts if t)


def _block_children(parent):
    """The paragraphs and tables of a body or cell, content controls and custom XML
    unwrapped (tracked-deleted paragraphs have their text in ``w:del``, skipped)."""
    for child in parent:
        tag = child.tag
        if tag in (w("p"), w("tbl")):
            yield child
        elif tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from _block_children(content)
        elif tag in (w("customXml"), w("ins"), w("moveTo")):
            yield from _block_children(child)


def _children(parent, name: str):
    """``w:tr`` of a table or ``w:tc`` of a row, content controls unwrapped."""
    for child in parent:
        if child.tag == w(name):
            yield child
        elif child.tag in (w("sdt"), w("customXml")):
            inner = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if inner is not None:
                yield from _children(inner, name)
