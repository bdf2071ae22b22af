"""Rendering a template with a document's data into .docx bytes.

The only module (with :mod:`rardocs.markdown`) that touches docxtpl and
python-docx. Templates render in a Jinja sandbox (a council's template is a file
anyone can e-mail), with autoescaping (so ``&`` and ``<`` in content survive) and
strict undefined variables; rich values from
:mod:`rardocs.documents` become Word content built with the template's own
styles. Output is reproducible: fixed zip timestamps, document properties from
the content. Each template is prepared once: what its renders share is done once
(see :func:`render`), and kept between builds in the cache (:mod:`rardocs.prepared`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import io
import operator
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

import jinja2
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import CT_Relationships, serialize_part_xml
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2.sandbox import SecurityError
from lxml import etree

from . import ooxml
from .documents import Labelled, LinkLine, Markdown, Rich
from .errors import TemplateError
from .markdown import Styles, WordWriter
from .prepared import Member, Place, Prepared, Slot, kept
from .sandbox import TOO_BIG, Sandbox, TooBig

DEFAULT_STYLES = Styles()


class _Xml:
    """WordprocessingML for a ``{{p … }}`` tag (not escaped again), made when the
    template shows it: a value the template does not use costs nothing and leaves no
    hyperlink or list numbering behind in the document. False when there is nothing
    to show, so ``{%p if field.body %}`` works. ``make`` returns the elements of
    ``value``, ``writing`` turns them into text."""

    def __init__(self, value, make, shows: bool, writing: _Writing):
        self._value, self._make, self._shows, self._writing, self._xml = value, make, shows, writing, None

    def __html__(self) -> str:
        if self._writing.past_bare_body():
            raise _Reference
        if self._xml is None:
            self._xml = self._writing.text(self._value, self._make)
        return self._xml

    __str__ = __html__

    def __bool__(self) -> bool:
        return self._shows


class _Writing:
    """How the rich values of one render become text in the template's XML.

    docxtpl's way is to serialize each element on its own, which declares its namespaces
    on it. The rendered body then holds a declaration for every element, and lxml, moving
    the body into the document and dropping declarations the document already has, takes
    time quadratic in their number (3.7 of the 15 s of a meeting of 1,000 items). With
    ``bare_in``, the tag and namespaces of the template's body, elements are written as
    they read inside the body, without declarations, and the document comes out byte
    for byte the same. That text is right only inside the body: once the body is
    rendered (``body_done``), showing a rich value raises :class:`_Reference`.

    Such text is also shared between renders (:data:`_KNOWN`) when making it took no
    list numbering and no hyperlink, the two things numbered in each document anew: the
    dagsorden, the referat and the opfølgningsark show many field bodies alike.
    ``writer`` and ``links`` are the render's, to see whether it did.
    """

    def __init__(self, bare_in: tuple[str, dict] | None = None, writer: WordWriter | None = None,
                 links: _Links | None = None):
        self.bare_in = bare_in
        self.body_done = False
        self._writer, self._links = writer, links

    def past_bare_body(self) -> bool:
        return self.bare_in is not None and self.body_done

    def text(self, value, make) -> str:
        """The text of rich ``value``, whose elements ``make`` makes."""
        if self.bare_in is None or self._writer is None:
            return self._text(make())
        writer = self._writer
        tag, namespaces = self.bare_in
        key = (value, writer.styles, writer.width, writer.field_indent, tag, tuple(namespaces.items()))
        text = _KNOWN.get(key)
        if text is None:
            numbered = writer.last_num_id, self._links.related
            text = self._text(make())
            if (writer.last_num_id, self._links.related) == numbered:
                if len(_KNOWN) >= MAX_KNOWN:
                    _KNOWN.clear()
                _KNOWN[key] = text
        return text

    def _text(self, elements: list) -> str:
        if not elements:  # a table cell must hold a paragraph
            elements.append(ooxml.paragraph(None, []))
        if self.bare_in is None:
            return "".join(etree.tostring(e, encoding="unicode") for e in elements)
        tag, namespaces = self.bare_in
        body = etree.Element(tag, nsmap=namespaces)
        body.extend(elements)  # lxml drops each element's declarations the body has
        text = etree.tostring(body, encoding="unicode")
        return text[text.index(">") + 1:text.rindex("<")]


#: The text of rich values, by value and all else it depends on (see :class:`_Writing`);
#: at most :data:`MAX_KNOWN`, then it starts over. What is shared is a meeting's field
#: bodies between its dagsorden and referat, a few hundred: more only holds memory
#: (at 10,000, 40 MB in a build of 200 meetings).
_KNOWN: dict[tuple, str] = {}
MAX_KNOWN = 2_000


class _Reference(Exception):
    """This render needs docxtpl's own way (see :func:`render`)."""


def render(template: Path, data: dict, *, shown: str, title: str, author: str,
           date: dt.date, styles: Styles = DEFAULT_STYLES) -> bytes:
    """Render ``template`` with ``data`` and return the .docx as bytes.

    ``shown`` names the template in messages; ``title``, ``author`` and
    ``date`` become the document properties. Raises :class:`TemplateError`
    for a template that is missing, not a Word file, lacks a style rardocs
    needs, or has a mistake (Jinja, something the sandbox refuses, or an
    error while rendering such as a division by zero or endless recursion).

    A template is opened and its unchanged parts compressed once, then read back from
    the build's cache, and compiled once per process (:func:`_prepared`); a render then
    does only what depends on its data, step for step as docxtpl does, and makes the
    same bytes as docxtpl's own way (:func:`_render_docxtpl`: 57 ms a document before,
    16 after). That way still renders a template that cannot be prepared, and renders
    again a render that fails, to say why: the message quotes what docxtpl had made of
    the template when it failed.
    """
    compiled = _prepared(template)
    if compiled is None:
        return _render_docxtpl(template, data, shown=shown, title=title, author=author, date=date, styles=styles)
    try:
        return _render_prepared(compiled, data, _available(styles, compiled.prepared.styles, shown),
                                title=title, author=author, date=date)
    except _Reference:
        return _render_docxtpl(template, data, shown=shown, title=title, author=author, date=date, styles=styles)


def _available(styles: Styles, defined: dict, shown: str) -> Styles:
    """``styles`` without the optional ones the template lacks; a :class:`TemplateError`
    if it lacks one rardocs needs."""
    missing = sorted(styles.all() - defined.keys())
    if missing:
        raise TemplateError(f"{shown}: skabelonen mangler typografierne {', '.join(missing)}")
    return dataclasses.replace(styles, field_text=styles.field_text if styles.field_text in defined else None,
                               field_label=styles.field_label if styles.field_label in defined else None)


def _render_docxtpl(template: Path, data: dict, *, shown: str, title: str, author: str,
                    date: dt.date, styles: Styles) -> bytes:
    """:func:`render` by docxtpl's own way: open the template, render it, save it."""
    try:
        tpl = DocxTemplate(template)
        doc = tpl.get_docx()
    except Exception as exc:  # noqa: BLE001  (docx raises several kinds for a file that is not a .docx)
        raise TemplateError(f"{shown}: skabelonen kan ikke åbnes som Word-fil ({type(exc).__name__})") from None
    defined = {s.get(qn("w:styleId")): s for s in doc.styles.element.findall(qn("w:style"))}
    styles = _available(styles, defined, shown)
    section = doc.sections[0]
    width = int((section.page_width - section.left_margin - section.right_margin) / 635)
    writer = WordWriter(doc.part, doc.part.numbering_part.element, styles, width,
                        field_indent=_left_indent(defined.get(styles.field_text)))
    _unchecked(doc.settings.element)
    data = _to_word(data, writer, _Writing())
    env = Sandbox()
    try:
        tpl.render(data, env)
    except Exception as exc:  # noqa: BLE001  (whatever a template does wrong is the template's error)
        raise TemplateError(_template_message(shown, exc, doc, env.source)) from None
    stamp = dt.datetime.combine(date, dt.time(12, 0))
    _set_properties(doc.core_properties, title=title, author=author, stamp=stamp)
    out = io.BytesIO()
    tpl.save(out)
    return normalise_zip(out.getvalue(), stamp)


def _set_properties(props: CoreProperties, *, title: str, author: str, stamp: dt.datetime) -> None:
    # Word takes at most 255 characters in a document property.
    props.title, props.author, props.last_modified_by = _property(title), _property(author), _property(author)
    props.created = props.modified = stamp
    props.language = ooxml.LANGUAGE
    props.revision = 1
    props.comments = props.subject = props.keywords = props.category = ""


# --- a template prepared once per process ------------------------------------------


def _jinja_text(patched: str) -> str:
    """A part's XML as docxtpl hands it to Jinja."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)  # as docxtpl's render_xml_part


class _Compiled(NamedTuple):
    """A prepared template with its Jinja code, compiled in this process (the cache
    keeps no code: :mod:`rardocs.prepared`)."""

    prepared: Prepared
    body: object  # the body's code
    parts: tuple  # (relationship id, encoding, code) of each header, then each footer
    properties: tuple  # (name, code) of the document properties docxtpl renders


def _compiled(prepared: Prepared) -> _Compiled | None:
    """``prepared``'s Jinja compiled; None when it does not compile (docxtpl's way reports it)."""
    env = Sandbox()
    try:
        return _Compiled(prepared, env.compile(prepared.body),
                         tuple((rel_id, encoding, env.compile(text)) for rel_id, encoding, text in prepared.parts),
                         tuple((name, env.compile(text)) for name, text in prepared.properties))
    except Exception:  # noqa: BLE001  (docxtpl's way raises the same and says what is wrong)
        return None


#: Prepared templates by path, with the digest of the content they were prepared from
#: (an edited template is prepared again). None: docxtpl's own way renders it.
_PREPARED: dict[Path, tuple[bytes, _Compiled | None]] = {}

#: The document properties docxtpl's ``render_properties`` renders, in its order.
_RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


def prepare(template: Path) -> None:
    """Prepare ``template`` for this process and the workers it forks (see
    :func:`rardocs.prepared.look_up`)."""
    _prepared(template)


def _prepared(template: Path) -> _Compiled | None:
    """``template`` prepared and compiled, once per process while its content is the same;
    prepared from the build's cache if it was prepared before (:mod:`rardocs.prepared`)."""
    try:
        blob = template.read_bytes()
    except OSError:
        return None  # docxtpl's way says it cannot be opened
    digest = hashlib.sha256(blob).digest()
    cached = _PREPARED.get(template)
    if cached is None or cached[0] != digest:
        prepared = kept(digest, lambda: _prepare(blob))
        cached = _PREPARED[template] = (digest, prepared and _compiled(prepared))
    elif cached[1] is not None:  # prepared in this process before: kept for the next build still
        kept(digest, lambda: cached[1].prepared)
    return cached[1]


def _prepare(blob: bytes) -> Prepared | None:
    """Do to the template ``blob`` what :func:`_render_docxtpl` does before it renders, and
    keep the results. None for a template that does not open (docxtpl's way reports the
    mistake) or has footnotes (docxtpl renders them once for every section, each time from
    the last result). Its Jinja is kept as text: :func:`_compiled` compiles it, and a
    mistake in it sends it docxtpl's way, which reports it."""
    try:
        tpl = DocxTemplate(io.BytesIO(blob))
        doc = tpl.get_docx()
        package = doc.part.package
        if any(part.content_type == CT.WML_FOOTNOTES for part in package.iter_parts()):
            return None
        styles = {s.get(qn("w:styleId")): _left_indent(s) for s in doc.styles.element.findall(qn("w:style"))}
        section = doc.sections[0]
        width = int((section.page_width - section.left_margin - section.right_margin) / 635)
        numbering = doc.part.numbering_part
        _unchecked(doc.settings.element)
        body = _jinja_text(tpl.patch_xml(tpl.get_xml()))
        parts = []
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for rel_id, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                encoding = tpl.get_headers_footers_encoding(xml)
                parts.append((rel_id, encoding, _jinja_text(tpl.patch_xml(xml))))
                tpl.map_headers_footers_xml(rel_id, xml.encode(encoding))  # the rendered part's place
        core = doc.core_properties  # python-docx makes one if the template has none, as in docxtpl
        properties = tuple((name, getattr(core, name)) for name in _RENDERED_PROPERTIES)
    except Exception:  # noqa: BLE001  (docxtpl's way raises the same and says what is wrong)
        return None
    core_part = package.part_related_by(RT.CORE_PROPERTIES)
    slots = {doc.part.partname.membername: "document", doc.part.partname.rels_uri.membername: "rels",
             numbering.partname.membername: "numbering", core_part.partname.membername: "core"}
    for rel_id, _, _ in parts:
        slots[doc.part.rels[rel_id].target_part.partname.membername] = ("part", rel_id)
    saved = io.BytesIO()
    doc.save(saved)
    with zipfile.ZipFile(saved) as z:
        names = [info.filename for info in z.infolist()]
        if len(set(names)) < len(names) or not slots.keys() <= set(names):
            return None
        members = tuple(Slot(name, slots[name]) if name in slots
                        else _deflate(name, APP_XML if name == "docProps/app.xml" else z.read(name)) for name in names)
    template_body = doc.element.body
    namespaces = template_body.nsmap
    redeclared = any(e.nsmap != namespaces for e in template_body.iter(etree.Element))
    return Prepared(
        styles=styles, width=width, body=body, parts=tuple(parts), properties=properties,
        document=doc.part.blob, numbering=numbering.blob, core=core_part.blob,
        rels=tuple((rel.rId, rel.reltype, rel.target_ref, rel.is_external) for rel in doc.part.rels.values()),
        members=members, bare_in=None if redeclared else (template_body.tag, namespaces),
        place=_place(doc.part.blob, body))


_W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
_TBL, _TBL_GRID, _GRID_COL, _TR, _TR_PR, _TC, _GRID_SPAN, _VAL = (
    f"{{{_W['w']}}}{name}" for name in ("tbl", "tblGrid", "gridCol", "tr", "trPr", "tc", "gridSpan", "val"))
_SPANNING = f"{{{_W['w']}}}tcPr/{_GRID_SPAN}"


def _fix_tables(docxtpl: DocxTemplate, xml: str):
    """The rendered body as a tree, as docxtpl's ``fix_tables`` gives it: parsed as it
    parses it, and mended by it only when :func:`_left_as_they_are` is unsure."""
    tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
    return tree if _left_as_they_are(tree) else docxtpl.fix_tables(xml)


def _left_as_they_are(tree) -> bool:
    """Whether docxtpl's ``fix_tables`` leaves every table of the body ``tree`` as it is.

    That mends a table whose grid has fewer columns than a row has cells, or more
    than its widest row spans (after ``{%tc %}`` loops), looking at every row of every
    table in Python: a third of the time of an opfoelgningsark of 700 rows. It leaves
    a table as it is when none of its rows (nested tables' rows too, as it counts them)
    has more cells than the grid has columns and one has exactly that many, none
    spanning two, and ``int`` reads every span. That is what is looked for here, going
    over the tree's elements once (4.5 ms in an opfoelgningsark of 2,400 rows): each row
    is held to the fewest columns of the tables it is in, its cells counted only when it
    has more children than that; the first full row of each table is found in Python.
    False also when it fails (no grid, a span not a number): it says why as it says it."""
    if tree.nsmap.get("w") != _W["w"]:
        return False
    tables, fewest = [], {}  # fewest: the fewest columns of a table and the tables it is in
    for element in tree.iter(_TBL, _TR, _GRID_SPAN):
        tag = element.tag
        if tag == _TR:
            bound = fewest.get(element.getparent())  # a row's parent is its table, most often
            if bound is None:
                bound = _fewest(element, fewest)
            if bound is not None and len(element) > bound and _wider(element, bound):
                return False
        elif tag == _TBL:
            grid = element.find(_TBL_GRID)
            if grid is None:
                return False
            columns, around = len(grid.findall(_GRID_COL)), _fewest(element, fewest)
            fewest[element] = columns if around is None else min(columns, around)
            tables.append((element, columns))
        elif not _number(element.get(_VAL)):
            return False
    return all(_full_row(table, columns) for table, columns in tables)


def _fewest(element, fewest: dict) -> int | None:
    """The fewest columns of the tables ``element`` is in (None: in none)."""
    table = next(element.iterancestors(_TBL), None)
    return None if table is None else fewest[table]


def _wider(row, columns: int) -> bool:
    """Whether ``row``, of more than ``columns`` children, has more than ``columns``
    cells: counted only when it has more children than that besides the ``trPr`` that
    is most often its first."""
    if len(row) == columns + 1 and row[0].tag == _TR_PR:
        return False
    return len(row.findall(_TC)) > columns


def _full_row(table, columns: int) -> bool:
    """Whether a row of ``table`` or a table in it has ``columns`` cells, none spanning."""
    for row in table.iter(_TR):
        cells = row.findall(_TC)
        if len(cells) == columns and all(cell.find(_SPANNING) is None for cell in cells):
            return True
    return False


def _render_prepared(compiled: _Compiled, data: dict, styles: Styles, *, title: str, author: str,
                     date: dt.date) -> bytes:
    """What :func:`_render_docxtpl` makes, from a prepared template. Raises :class:`_Reference`
    when the template fails (or shows a rich value outside the body)."""
    prepared = compiled.prepared
    numbering = parse_xml(prepared.numbering)
    links = _Links(prepared.rels)
    writer = WordWriter(links, numbering, styles, prepared.width,
                        field_indent=prepared.styles.get(styles.field_text, 0))
    writing = _Writing(prepared.bare_in, writer, links)
    context = _to_word(data, writer, writing)
    env = Sandbox()
    docxtpl = DocxTemplate(None)  # for docxtpl's steps after Jinja, on a state of this render's own
    docxtpl.docx_ids_index = 1000  # as its render_init sets it
    core = parse_xml(prepared.core)
    props = CoreProperties(core)
    made = {}
    try:  # DocxTemplate.render, step for step
        document = _render_body(compiled, context, env, docxtpl)
        writing.body_done = True
        for rel_id, encoding, code in compiled.parts:
            xml = _render_part(code, context, env, docxtpl).encode(encoding)
            made[("part", rel_id)] = serialize_part_xml(parse_xml(xml))
        for name, code in compiled.properties:
            setattr(props, name, _template(env, code).render(context))
    except Exception:  # noqa: BLE001  (the template's mistake: docxtpl's way words it)
        raise _Reference from None
    stamp = dt.datetime.combine(date, dt.time(12, 0))
    _set_properties(props, title=title, author=author, stamp=stamp)
    made.update(document=document, rels=links.xml(), numbering=serialize_part_xml(numbering),
                core=serialize_part_xml(core))
    return _zip([_deflate(m.name, made[m.key]) if isinstance(m, Slot) else m for m in prepared.members], stamp)


def _render_body(compiled: _Compiled, context: dict, env: Sandbox, docxtpl: DocxTemplate):
    """The document part's tree with the template's body rendered in it, as docxtpl's
    ``render`` makes it, or that tree's XML as lxml writes it (:func:`_written_in_place`,
    for a body of many table rows). The rendered text (2.7 million characters in an
    opfoelgningsark of 700 rows, two bytes each when one of them is beyond Latin-1) is let
    go as soon as what comes of it exists: it is parsed from UTF-8, half its size, and
    only the tree is kept."""
    prepared = compiled.prepared
    xml = _render_part(compiled.body, context, env, docxtpl)
    numbered = "docPr" in xml  # docxtpl numbers every wp:docPr of the document, looking at every element
    body = _utf8(xml) if prepared.place is not None else None
    if body is not None:
        del xml
        if not numbered and (written := _written_in_place(prepared.place, body)) is not None:
            return written
        document, tree = _in_place(prepared.place, body)
        if document is not None and _left_as_they_are(tree):
            if numbered:
                docxtpl.fix_docpr_ids(tree)
            return document
        xml = body.decode("utf-8")
        del body, document, tree
    document, tree = parse_xml(prepared.document), _fix_tables(docxtpl, xml)
    if numbered:
        docxtpl.fix_docpr_ids(tree)
    document.replace(document.body, tree)
    return document


def _utf8(text: str) -> bytes | None:
    """``text`` in UTF-8, or None for text that has none (a lone surrogate)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _template(env: Sandbox, code) -> jinja2.Template:
    """A template of ``env`` from compiled code: ``env.from_string`` without compiling."""
    return env.template_class.from_code(env, code, env.make_globals(None), None)


_HOLE = "<!--rardocs-body-->"


def _place(document: bytes, body: str) -> Place | None:
    """Where the template's ``body`` (its Jinja source) goes in its ``document`` part, or
    None when parsing a rendered body in place might not give what docxtpl's way gives.

    docxtpl parses the rendered body alone and moves it into the document, whose
    namespaces the body declares again: lxml then drops each such declaration and points
    every element that used it at the document's, walking every element (about 20 ms of
    an opfoelgningsark of 700 rows). Parsed in place, with the body's start tag as it is
    after that move, it comes out the same when the document declares each of its
    namespaces once and the body declares them too with the same prefixes (a prefix the
    body leaves undeclared must stay so), and the rest of the document holds no
    ``docPr`` (docxtpl numbers every one in the document of the body it is given). That
    is checked here, and the template's own empty body must come out the same both ways."""
    start = body[:body.find(">") + 1]
    name = re.match(r"<([^\s/>?!]+)", start)
    if name is None:
        return None
    end = f"</{name.group(1)}>"
    parser = etree.XMLParser(recover=True)
    try:
        alone = etree.fromstring(start + _HOLE + end, parser)
        document = parse_xml(document)
    except (etree.LxmlError, ValueError):  # not XML, or text lxml refuses: then docxtpl's way it is
        return None
    declared = document.nsmap
    old = document.body
    if (alone is None or parser.error_log or old is None or len(set(declared.values())) < len(declared)
            or any(alone.nsmap.get(prefix) != uri for prefix, uri in declared.items())):
        return None
    index = document.index(old)
    document.replace(old, alone)
    text = etree.tostring(document, encoding="unicode")
    head, hole, tail = text.partition(_HOLE)
    place = Place(start.encode(), end.encode(), head.encode(), tail.encode(), index, len(document))
    again, _ = _in_place(place, (start + _HOLE + end).encode())
    if (not hole or _HOLE in tail or "docPr" in head + tail or again is None
            or etree.tostring(again) != etree.tostring(document)):
        return None
    return place


def _in_place(place: Place, body: bytes):
    """The document part's tree with the rendered ``body`` (UTF-8) parsed in place (see
    :func:`_place`), and the body; (None, None) when the body is not as :func:`_place` expects
    it: its start and end tags the template's, no namespace declared inside it, no error
    parsing it. The parser is fed the body a piece at a time, never a copy of it whole."""
    start, end = len(place.start), len(body) - len(place.end)
    if not (body.startswith(place.start) and body.endswith(place.end)) or body.find(b"xmlns", start) >= 0:
        return None, None
    parser = etree.XMLParser(recover=True)
    try:
        parser.feed(place.head)
        for at in range(start, end, _PIECE):
            parser.feed(body[at:min(at + _PIECE, end)])
        parser.feed(place.tail)
        document = parser.close()
    except (etree.LxmlError, ValueError):
        return None, None
    if parser.feed_error_log or document is None or len(document) != place.children:
        return None, None
    return document, document[place.index]


_PIECE = 1 << 14


def _written_in_place(place: Place, body: bytes) -> bytes | None:
    """The XML that writing :func:`_in_place`'s tree of ``body`` gives (as ``_deflate``
    writes it), when its tables are left as they are; made without parsing most of it,
    for a body of many table rows: None when that cannot be made sure of.

    Parsing the 2,400 rows of an opfoelgningsark (2.7 MB), checking its tables and
    writing the tree again takes 80 ms of its 140; this takes 30. Where the body's text holds
    nothing lxml writes otherwise (no ``<``, ``>``, ``&``, control characters), it is
    put as ``x`` in a *shape* of the body. Each row of the shape (``<w:tr>``, no table
    inside) is parsed alone, in place, once a build for every row of that shape: when
    lxml writes it back as it is, the row is a whole element that comes out as it
    went in, wherever it stands. Each such row is then put as a row with its cells
    alone (their count and whether they span, all that the table check looks at), and
    what is left, a few rows and what is around the tables, is parsed in place: when it
    too comes out as it went in and its tables need no mending, so does the whole body,
    and the body is the XML. What lxml writes otherwise and Jinja makes, ``&#34;`` and
    ``&#39;`` for quotes and ``<w:t></w:t>`` for a blank value, is written as lxml
    writes it first (then with no comment or instruction in the body, which keep
    their text as it is)."""
    start, end = len(place.start), len(body) - len(place.end)
    if (not (body.startswith(place.start) and body.endswith(place.end)) or body.find(b"xmlns", start) >= 0
            or body.count(b"</w:tr>", start, end) < _MANY_ROWS):
        return None
    inner = body[start:end]
    # U+FFFE and U+FFFF are no XML characters; an xml:id is checked against all others
    if b"\xef\xbf\xbe" in inner or b"\xef\xbf\xbf" in inner or b"xml:id" in inner:
        return None
    if b"&#" in inner or b"></w:t>" in inner:
        if b"<!" in inner or b"<?" in inner:
            return None
        inner = (inner.replace(b"&#34;", b'"').replace(b"&#39;", b"'")
                 .replace(b'<w:t xml:space="preserve"></w:t>', b'<w:t xml:space="preserve"/>')
                 .replace(b"<w:t></w:t>", b"<w:t/>"))
    shape = _PLAIN_TEXT.sub(b">x<", inner)
    rows = [m.start() for m in _ROW_START.finditer(shape)]
    pieces, done = [], 0
    for n, row in enumerate(rows):
        row_end = shape.find(b"</w:tr>", row) + len(b"</w:tr>")
        if row < done or row_end < len(b"</w:tr>") or (n + 1 < len(rows) and rows[n + 1] < row_end):
            continue  # a table inside: the row is parsed with the rest
        cells = _cells_alone(place, shape[row:row_end])
        if cells is not None:
            pieces += (shape[done:row], cells)
            done = row_end
    pieces.append(shape[done:])
    rest = b"".join(pieces)
    if len(rest) * 2 > len(shape):
        return None
    document = _written_back(place, rest)
    if document is None or not _left_as_they_are(document[place.index]):
        return None
    return _DECLARATION + place.head + inner + place.tail


#: How many table rows a body has for :func:`_written_in_place` to be tried.
_MANY_ROWS = 32
_ROW_START = re.compile(rb"<w:tr[ >]")
_PLAIN_TEXT = re.compile(rb">[^<>&\x00-\x08\x0b\x0c\x0e-\x1f\r]+<")
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"


def _written_back(place: Place, content: bytes):
    """The document of ``content`` as the body's content (:func:`_in_place`), when
    writing it (:func:`_write`) gives it as it is; else None."""
    document, _ = _in_place(place, place.start + content + place.end)
    if document is None:
        return None
    sink = io.BytesIO()
    _write(document, sink)
    return document if sink.getvalue() == _DECLARATION + place.head + content + place.tail else None


def _cells_alone(place: Place, row: bytes) -> bytes | None:
    """For a row of the shape of a body (see :func:`_written_in_place`): a row of its cells
    alone, each spanning as it does, when the row is a whole ``w:tr`` that lxml writes
    as it is, with no table inside and every span a number; else None. Known rows
    are kept (:data:`_ROWS`)."""
    key = (place, row)
    known = _ROWS.get(key, _ROWS)
    if known is not _ROWS:
        return known
    cells = None
    document = _written_back(place, row)
    found = document[place.index] if document is not None else ()
    if (len(found) == 1 and found[0].tag == _TR and next(found[0].iter(_TBL), None) is None
            and all(_number(span.get(_VAL)) for span in found[0].iter(_GRID_SPAN))):
        cells = b"<w:tr>" + b"".join(_SPANNING_CELL if cell.find(_SPANNING) is not None else b"<w:tc/>"
                                     for cell in found[0].findall(_TC)) + b"</w:tr>"
    if len(_ROWS) >= MAX_ROWS:
        _ROWS.clear()
    _ROWS[key] = cells
    return cells


def _number(text: str | None) -> bool:
    """Whether ``int`` reads ``text`` (as docxtpl reads a span)."""
    try:
        int(text)
    except (TypeError, ValueError):
        return False
    return True


_SPANNING_CELL = b'<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr></w:tc>'
#: The rows :func:`_cells_alone` knew, by template and shape (an opfoelgningsark has a
#: handful of shapes; a body whose text has an ``&`` in every row, a shape a row).
_ROWS: dict[tuple[Place, bytes], bytes | None] = {}
MAX_ROWS = 1_000


#: docxtpl's ``re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)``: the same matches, each replaced
#: without a call into Python (12 ms of an opfoelgningsark of 700 rows, now 4).
_NEWLINE_BEFORE_P = re.compile("\n(?=<w:p[ >])")


def _render_part(code, context: dict, env: Sandbox, docxtpl: DocxTemplate) -> str:
    """A part rendered from its compiled ``code``: what docxtpl's ``render_xml_part`` returns."""
    xml = _template(env, code).render(context)
    xml = _NEWLINE_BEFORE_P.sub("", xml)
    if "_" in xml:  # one scan instead of four when no escaped tag can be in it
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    # resolve_listing makes Word's tabs and breaks of these characters in text and changes
    # nothing else; scanning for them first saves its regular expressions over the whole
    # part (3 ms of a 50 ms document).
    if any(c in xml for c in "\t\n\a\f"):
        xml = docxtpl.resolve_listing(xml)
    return xml


class _Links:
    """The document part's relationships while it renders, to which hyperlinks are added:
    python-docx's ``relate_to`` for an external target (an existing relationship to it, or
    a new one with the lowest free ``rId<n>``), without its scan of every relationship for
    each link (quadratic: a meeting of 1,000 items has 1,141 links)."""

    def __init__(self, rels: tuple):
        self._rels = list(rels)
        self._ids = {rel[0] for rel in rels}
        self._external = {}
        for r_id, reltype, target, external in rels:
            if external:
                self._external.setdefault((reltype, target), r_id)
        self._next = 1
        self.related = 0  # calls of relate_to

    def relate_to(self, target: str, reltype: str, is_external: bool = False) -> str:
        if not is_external:
            raise ValueError("only a link to outside the document is related while rendering")
        self.related += 1
        key = (reltype, target)
        if key not in self._external:
            while f"rId{self._next}" in self._ids:
                self._next += 1
            r_id = f"rId{self._next}"
            self._ids.add(r_id)
            self._rels.append((r_id, reltype, target, True))
            self._external[key] = r_id
        return self._external[key]

    def xml(self) -> bytes:
        """The relationships part, as python-docx writes it."""
        rels = CT_Relationships.new()
        for r_id, reltype, target, external in self._rels:
            rels.add_rel(r_id, reltype, target, external)
        return rels.xml


def _left_indent(style) -> int:
    """The left indent a paragraph style gives, in twips (0 for none)."""
    ind = style.find(f"{qn('w:pPr')}/{qn('w:ind')}") if style is not None else None
    value = ind.get(qn("w:left")) or ind.get(qn("w:start")) if ind is not None else None
    try:
        return max(0, int(value)) if value else 0
    except ValueError:
        return 0


def _unchecked(settings) -> None:
    """Word must check the new text's spelling: drop a template's "already checked" mark."""
    for proof in settings.findall(qn("w:proofState")):
        settings.remove(proof)


def _property(text: str) -> str:
    return text if len(text) <= 255 else text[:254] + "…"


#: Values :func:`_to_word` leaves as they are, known without a call.
_PLAIN = frozenset({str, bool, int, type(None)})


def _to_word(value, writer: WordWriter, writing: _Writing):
    """``value`` with its rich values made Word content; a dict or list holding none is
    ``value`` itself, not a copy (an opfoelgningsark of 700 rows holds none in its 2,400)."""
    if isinstance(value, str):  # most values: tested first
        return value
    if isinstance(value, dict):
        made = {key: new for key, v in value.items()
                if type(v) not in _PLAIN and (new := _to_word(v, writer, writing)) is not v}
        return {**value, **made} if made or type(value) is not dict else value
    if isinstance(value, list):
        made = [v if type(v) in _PLAIN else _to_word(v, writer, writing) for v in value]
        return made if type(value) is not list or any(map(operator.is_not, made, value)) else value
    if isinstance(value, Labelled):
        return _Xml(value, lambda: writer.run_in(value.label, _elements(value.body, writer, writer.field_indent)),
                    True, writing)
    if isinstance(value, Rich):
        return _Xml(value, lambda: _elements(value, writer, 0), bool(value.blocks), writing)
    return value


def _elements(rich: Rich, writer: WordWriter, indent: int) -> list:
    elements = []
    for block in rich.blocks:
        if isinstance(block, Markdown):
            elements.extend(writer.markdown(block.text, indent))
        elif isinstance(block, LinkLine):
            elements.append(writer.line(list(block.parts), indent=indent))
    return elements


def _template_message(shown: str, exc: Exception, doc, source: str) -> str:
    """A Danish message naming the template and the text around the faulty tag."""
    what = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    undefined = re.match(r"'(?:[^']*)' has no attribute '([^']+)'|'([^']+)' is undefined", what)
    unsafe = re.match(r"access to attribute '([^']+)' of '[^']+' object is unsafe", what)
    around = " ".join(" ".join(getattr(exc, "docx_context", None) or []).split()) or _failed_line(exc, source)
    if isinstance(exc, TooBig):
        what = str(exc)
    elif isinstance(exc, SecurityError):
        what = f"'{unsafe.group(1)}' må ikke bruges i en skabelon" if unsafe else f"ikke tilladt i en skabelon ({what})"
    elif isinstance(exc, jinja2.UndefinedError) and undefined:
        name = undefined.group(1) or undefined.group(2)
        what = f"ukendt variabel '{name}'"
        # Runtime errors carry no line: find the tag in the template's text instead.
        tag = re.compile(r"\{[{%][^}]*\b" + re.escape(name) + r"\b[^}]*[}%]\}")
        around = next((t for t in _paragraph_texts(doc) if tag.search(t)), around)
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        unknown_tag = re.match(r"Encountered unknown tag '([^']+)'", what)
        what = f"ukendt skabelonkode '{unknown_tag.group(1)}'" if unknown_tag else f"fejl i skabelonkoden ({what})"
    elif isinstance(exc, ZeroDivisionError):
        what = "division med nul"
    elif isinstance(exc, RecursionError):
        what = "skabelonen kalder sig selv uden ende (en makro, der kalder sig selv?)"
    elif isinstance(exc, (MemoryError, OverflowError)):
        what = TOO_BIG
    elif isinstance(exc, jinja2.TemplateError):
        what = f"fejl i skabelonen ({what})"
    else:
        what = f"fejl i skabelonen ({type(exc).__name__}: {what})"
    return f"{shown}: {what}" + (f" ved teksten: »{around[:160]}«" if around else "")


def _failed_line(exc: Exception, source: str) -> str:
    """The text of the template line being rendered when ``exc`` was raised, if known."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    lines = source.splitlines()
    if line is None or not 0 < line <= len(lines):
        return ""
    text = re.sub(r"<w:tab/>", " ", lines[line - 1])
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _paragraph_texts(doc):
    """The text of every paragraph of the template: body, tables, headers and footers."""
    parts = [doc.element.body] + [s.header._element for s in doc.sections] + [s.footer._element for s in doc.sections]
    for part in parts:
        for p in part.iter(qn("w:p")):
            yield "".join(t.text or "" if t.tag == qn("w:t") else " " for r in p.iter(qn("w:r"))
                          for t in r.iter(qn("w:t"), qn("w:tab")))


_ZIP_EPOCH = dt.datetime(1980, 1, 1)

#: The extended properties of every document: made by rardocs (not "Microsoft
#: Macintosh Word", which python-docx's own template says); Word counts pages and
#: words itself when it opens the file.
APP_XML = (b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           b"<Application>rardocs</Application><DocSecurity>0</DocSecurity></Properties>")


def normalise_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite a .docx zip with every member dated ``stamp``: byte-reproducible output
    (and :data:`APP_XML` as its extended properties)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return _zip([_deflate(info.filename, APP_XML if info.filename == "docProps/app.xml" else source.read(info))
                     for info in source.infolist()], stamp)


def _deflate(name: str, data) -> Member:
    """Member ``name`` of a zip, its ``data`` bytes, text (as UTF-8) or the XML tree of a
    part (as python-docx's ``serialize_part_xml`` writes it; deflated as it is written,
    never held whole)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # zipfile's for ZIP_DEFLATED
    if isinstance(data, etree._Element):
        if not _written_alone(data):
            return _deflate(name, serialize_part_xml(data))
        sink = _Deflating(compressor)
        _write(data, sink)
        return Member(name, sink.crc, sink.size, b"".join(sink.deflated) + compressor.flush())
    if isinstance(data, str):
        data = data.encode("utf-8")
    return Member(name, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def _write(root, file) -> None:
    """Write the document of ``root`` to ``file`` as a part of the zip: what
    ``serialize_part_xml`` makes of it when it is alone (:func:`_written_alone`)."""
    etree.ElementTree(root).write(file, encoding="UTF-8", standalone=True)


def _written_alone(element) -> bool:
    """Whether writing the document of ``element`` writes what ``serialize_part_xml`` makes of
    it: ``element`` is the root, with no comment, instruction or DOCTYPE beside it."""
    return (element.getparent() is None and element.getprevious() is None and element.getnext() is None
            and not element.getroottree().docinfo.doctype)


class _Deflating:
    """A file that deflates what is written to it, keeping its CRC and size."""

    def __init__(self, compressor):
        self._compressor = compressor
        self.crc, self.size, self.deflated = 0, 0, []

    def write(self, data: bytes) -> None:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self.deflated.append(self._compressor.compress(data))


def _zip(members: list[Member], stamp: dt.datetime) -> bytes:
    """A zip of ``members``, each dated ``stamp`` and mode 644: byte for byte what
    :mod:`zipfile` writes for them (ZIP_DEFLATED at its default level), but from data
    deflated beforehand, so that a template's unchanged parts are deflated once per process
    (the 351 kB of styles alone took 3 ms of every document). No document comes near the
    4 GiB that would need ZIP64: a render makes at most :data:`~rardocs.sandbox.MAX_OUTPUT` characters."""
    date_time = max(stamp, _ZIP_EPOCH).timetuple()[:6]
    year, month, day, hour, minute, second = date_time
    dos_date, dos_time = (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2
    out = io.BytesIO()
    infos = []
    for member in members:
        info = zipfile.ZipInfo(member.name, date_time=date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.CRC, info.file_size, info.compress_size = member.crc, member.size, len(member.deflated)
        info.header_offset = out.tell()
        out.write(info.FileHeader(zip64=False))
        out.write(member.deflated)
        infos.append(info)
    start = out.tell()
    for info in infos:  # the central directory, as ZipFile.close writes it
        try:
            name, flags = info.filename.encode("ascii"), info.flag_bits
        except UnicodeEncodeError:
            name, flags = info.filename.encode("utf-8"), info.flag_bits | 0x800
        out.write(struct.pack(zipfile.structCentralDir, zipfile.stringCentralDir, info.create_version,
                              info.create_system, info.extract_version, info.reserved, flags, info.compress_type,
                              dos_time, dos_date, info.CRC, info.compress_size, info.file_size, len(name), 0, 0, 0,
                              info.internal_attr, info.external_attr, info.header_offset))
        out.write(name)
    end = out.tell()
    out.write(struct.pack(zipfile.structEndArchive, zipfile.stringEndArchive, 0, 0, len(infos), len(infos),
                          end - start, start, 0))
    return out.getvalue()
