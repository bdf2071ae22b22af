"""Rendering a template with a document's data into .docx bytes.

The only module (with :mod:`rardocs.markdown`) that touches docxtpl and
python-docx. Templates render with autoescaping (so ``&`` and ``<`` in content
survive) and strict undefined variables; rich values from
:mod:`rardocs.documents` become Word content built with the template's own
styles. Output is reproducible: fixed zip timestamps, document properties from
the content.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import jinja2
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

from . import ooxml
from .documents import LinkLine, Markdown, Rich
from .errors import TemplateError
from .markdown import Styles, WordWriter

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_STYLES = Styles()


class _Xml:
    """Ready-made WordprocessingML for a ``{{p … }}`` tag (not escaped again)."""

    def __init__(self, xml: str):
        self.xml = xml

    def __html__(self) -> str:
        return self.xml

    __str__ = __html__


def find_template(kind: str, council_folder: Path | None) -> Path:
    """The council's own ``templates/<kind>.docx`` if it has one, else the default."""
    if council_folder is not None:
        own = council_folder / "templates" / f"{kind}.docx"
        if own.is_file():
            if not own.resolve().is_relative_to(council_folder.resolve()):
                shown = f"content/{council_folder.name}/templates/{own.name}"
                raise TemplateError(f"{shown}: skabelonen peger uden for rådets mappe (et symbolsk link) og bruges ikke")
            return own
    return DEFAULT_TEMPLATES / f"{kind}.docx"


def render(template: Path, data: dict, *, shown: str, title: str, author: str,
           date: dt.date, styles: Styles = DEFAULT_STYLES) -> bytes:
    """Render ``template`` with ``data`` and return the .docx as bytes.

    ``shown`` names the template in messages; ``title``, ``author`` and
    ``date`` become the document properties. Raises :class:`TemplateError`
    for a template that is missing, not a Word file, lacks a style rardocs
    needs, or has a Jinja mistake.
    """
    try:
        tpl = DocxTemplate(template)
        doc = tpl.get_docx()
    except Exception as exc:  # docx raises several kinds for a file that is not a .docx
        raise TemplateError(f"{shown}: skabelonen kan ikke åbnes som Word-fil ({type(exc).__name__})") from None
    defined = {s.get(qn("w:styleId")) for s in doc.styles.element.findall(qn("w:style"))}
    missing = sorted(styles.all() - defined)
    if missing:
        raise TemplateError(f"{shown}: skabelonen mangler typografierne {', '.join(missing)}")
    section = doc.sections[0]
    width = int((section.page_width - section.left_margin - section.right_margin) / 635)
    writer = WordWriter(doc.part, doc.part.numbering_part.element, styles, width)
    data = _to_word(data, writer)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        tpl.render(data, env)
    except jinja2.TemplateError as exc:
        raise TemplateError(_template_message(shown, exc, doc)) from None
    props = doc.core_properties
    stamp = dt.datetime.combine(date, dt.time(12, 0))
    props.title, props.author, props.last_modified_by = title, author, author
    props.created = props.modified = stamp
    props.language = ooxml.LANGUAGE
    props.revision = 1
    props.comments = props.subject = props.keywords = props.category = ""
    out = io.BytesIO()
    tpl.save(out)
    return normalise_zip(out.getvalue(), stamp)


def _to_word(value, writer: WordWriter):
    if isinstance(value, dict):
        return {key: _to_word(v, writer) for key, v in value.items()}
    if isinstance(value, list):
        return [_to_word(v, writer) for v in value]
    if isinstance(value, Rich):
        elements = []
        for block in value.blocks:
            if isinstance(block, Markdown):
                elements.extend(writer.markdown(block.text))
            elif isinstance(block, LinkLine):
                elements.append(writer.line(list(block.parts)))
        if not elements:  # a table cell must hold a paragraph
            elements.append(ooxml.paragraph(None, []))
        return _Xml("".join(etree.tostring(e, encoding="unicode") for e in elements))
    return value


def _template_message(shown: str, exc: jinja2.TemplateError, doc) -> str:
    """A Danish message naming the template and the text around the faulty tag."""
    what = exc.message or type(exc).__name__
    undefined = re.match(r"'(?:[^']*)' has no attribute '([^']+)'|'([^']+)' is undefined", what)
    around = " ".join(" ".join(getattr(exc, "docx_context", None) or []).split())
    if isinstance(exc, jinja2.UndefinedError) and undefined:
        name = undefined.group(1) or undefined.group(2)
        what = f"ukendt variabel '{name}'"
        # Runtime errors carry no line: find the tag in the template's text instead.
        tag = re.compile(r"\{[{%][^}]*\b" + re.escape(name) + r"\b[^}]*[}%]\}")
        around = next((t for t in _paragraph_texts(doc) if tag.search(t)), around)
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        unknown_tag = re.match(r"Encountered unknown tag '([^']+)'", what)
        what = f"ukendt skabelonkode '{unknown_tag.group(1)}'" if unknown_tag else f"fejl i skabelonkoden ({what})"
    else:
        what = f"fejl i skabelonen ({what})"
    return f"{shown}: {what}" + (f" ved teksten: »{around[:160]}«" if around else "")


def _paragraph_texts(doc):
    """The text of every paragraph of the template: body, tables, headers and footers."""
    parts = [doc.element.body] + [s.header._element for s in doc.sections] + [s.footer._element for s in doc.sections]
    for part in parts:
        for p in part.iter(qn("w:p")):
            yield "".join(t.text or "" for t in p.iter(qn("w:t")))


_ZIP_EPOCH = dt.datetime(1980, 1, 1)


def normalise_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite a .docx zip with every member dated ``stamp``: byte-reproducible output."""
    stamp = max(stamp, _ZIP_EPOCH)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
