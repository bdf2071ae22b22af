"""Rendering a template with a document's data into .docx bytes.

The only module (with :mod:`rardocs.markdown`) that touches docxtpl and
python-docx. Templates render in a Jinja sandbox (a council's template is a file
anyone can e-mail), with autoescaping (so ``&`` and ``<`` in content survive) and
strict undefined variables; rich values from
:mod:`rardocs.documents` become Word content built with the template's own
styles. Output is reproducible: fixed zip timestamps, document properties from
the content.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import re
import zipfile
from pathlib import Path

import jinja2
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, safe_range
from lxml import etree

from . import ooxml
from .documents import Labelled, LinkLine, Markdown, Rich
from .errors import TemplateError
from .markdown import Styles, WordWriter
from .package import default_templates

DEFAULT_TEMPLATES = default_templates()
DEFAULT_STYLES = Styles()

#: What one render may build: characters or items of a string or list made with
#: ``*`` or ``+``, bits of an integer made with ``*`` or ``**`` (no document needs
#: a number of 39 digits), loop rounds over ``range``, characters of output.
MAX_SIZE = 1_000_000
MAX_BITS = 128
MAX_ROUNDS = 1_000_000
MAX_OUTPUT = 50_000_000
_TOO_BIG = "skabelonen laver en for stor tekst, liste eller et for stort tal"


class _Xml:
    """WordprocessingML for a ``{{p … }}`` tag (not escaped again), made when the
    template shows it: a value the template does not use costs nothing and leaves no
    hyperlink or list numbering behind in the document. False when there is nothing
    to show, so ``{%p if field.body %}`` works."""

    def __init__(self, make, shows: bool):
        self._make, self._shows, self._xml = make, shows, None

    def __html__(self) -> str:
        if self._xml is None:
            self._xml = self._make()
        return self._xml

    __str__ = __html__

    def __bool__(self) -> bool:
        return self._shows


class _TooBig(SecurityError):
    """A template tried to build something too big; the message is in Danish."""


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja for templates anyone may send: no access to Python's internals or to
    methods that change the data (the sandbox; a list appended to while looping
    over it never ends), and no string, list, number, loop or output too big to finish."""

    intercepted_binops = frozenset({"*", "**", "+"})

    def __init__(self):
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self.globals["range"] = lambda *args: _Range(self, safe_range(*args))
        del self.globals["lipsum"]  # lorem ipsum of any length: no use in a document
        self.rounds = 0
        self.source = ""

    def from_string(self, source, *args, **kwargs):
        self.source = source  # docxtpl renders each part right after compiling it
        return super().from_string(source, *args, **kwargs)

    def call_binop(self, context, operator, left, right):
        if _too_big(operator, left, right):
            raise _TooBig(_TOO_BIG)
        return super().call_binop(context, operator, left, right)

    def count(self, items):
        """``items``, each counted as a round of a loop; too many in one render is an error."""
        for item in items:
            self.rounds += 1
            if self.rounds > MAX_ROUNDS:
                raise _TooBig("skabelonens løkker går for mange gange rundt")
            yield item

    def concat(self, parts) -> str:
        """Join a template's output (Jinja's hook), stopping once it is too long."""
        out, size = [], 0
        for part in parts:
            size += len(part)
            if size > MAX_OUTPUT:
                raise _TooBig("skabelonen laver for meget tekst")
            out.append(part)
        return "".join(out)


class _Range:
    """``range`` in a template: every round of a loop over it is counted."""

    def __init__(self, env: Sandbox, items: range):
        self._env, self._items = env, items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        item = self._items[index]
        return _Range(self._env, item) if isinstance(item, range) else item

    def __iter__(self):
        return self._env.count(self._items)

    def __reversed__(self):
        return self._env.count(reversed(self._items))


def _too_big(operator: str, left, right) -> bool:
    """Whether ``left <operator> right`` would be over :data:`MAX_SIZE` or :data:`MAX_BITS`."""
    sequences = (str, list, tuple)
    if isinstance(left, int) and isinstance(right, int):
        if operator == "**":
            return abs(left) > 1 and right * left.bit_length() > MAX_BITS
        return operator == "*" and left.bit_length() + right.bit_length() > MAX_BITS
    if operator == "*":
        times, sequence = (right, left) if isinstance(right, int) else (left, right)
        return isinstance(times, int) and isinstance(sequence, sequences) and len(sequence) * times > MAX_SIZE
    if operator == "+":
        return isinstance(left, sequences) and isinstance(right, sequences) and len(left) + len(right) > MAX_SIZE
    return False


def find_template(kind: str, council_folder: Path | None) -> Path:
    """The council's own ``templates/<kind>.docx`` if it has one, else the default."""
    name = f"{kind}.docx"
    own = (own_template(council_folder / "templates", name, f"content/{council_folder.name}/templates/{name}")
           if council_folder is not None else None)
    return own or DEFAULT_TEMPLATES / name


def own_template(folder: Path, name: str, shown: str) -> Path | None:
    """A council's own template ``folder/name``, or none; ``shown`` names it in messages.
    A file that leads out of the folder (a symbolic link) is refused: a template is
    something anyone may send, and must come from the council's own folder."""
    path = folder / name
    if not path.is_file():
        return None
    if not path.resolve().is_relative_to(folder.resolve()):
        raise TemplateError(f"{shown}: skabelonen peger uden for rådets mappe (et symbolsk link) og bruges ikke")
    return path


def render(template: Path, data: dict, *, shown: str, title: str, author: str,
           date: dt.date, styles: Styles = DEFAULT_STYLES) -> bytes:
    """Render ``template`` with ``data`` and return the .docx as bytes.

    ``shown`` names the template in messages; ``title``, ``author`` and
    ``date`` become the document properties. Raises :class:`TemplateError`
    for a template that is missing, not a Word file, lacks a style rardocs
    needs, or has a mistake (Jinja, something the sandbox refuses, or an
    error while rendering such as a division by zero or endless recursion).
    """
    try:
        tpl = DocxTemplate(template)
        doc = tpl.get_docx()
    except Exception as exc:  # noqa: BLE001  (docx raises several kinds for a file that is not a .docx)
        raise TemplateError(f"{shown}: skabelonen kan ikke åbnes som Word-fil ({type(exc).__name__})") from None
    defined = {s.get(qn("w:styleId")): s for s in doc.styles.element.findall(qn("w:style"))}
    missing = sorted(styles.all() - defined.keys())
    if missing:
        raise TemplateError(f"{shown}: skabelonen mangler typografierne {', '.join(missing)}")
    styles = dataclasses.replace(styles, field_text=styles.field_text if styles.field_text in defined else None,
                                 field_label=styles.field_label if styles.field_label in defined else None)
    section = doc.sections[0]
    width = int((section.page_width - section.left_margin - section.right_margin) / 635)
    writer = WordWriter(doc.part, doc.part.numbering_part.element, styles, width,
                        field_indent=_left_indent(defined.get(styles.field_text)))
    _unchecked(doc.settings.element)
    data = _to_word(data, writer)
    env = Sandbox()
    try:
        tpl.render(data, env)
    except Exception as exc:  # noqa: BLE001  (whatever a template does wrong is the template's error)
        raise TemplateError(_template_message(shown, exc, doc, env.source)) from None
    props = doc.core_properties
    stamp = dt.datetime.combine(date, dt.time(12, 0))
    # Word takes at most 255 characters in a document property.
    props.title, props.author, props.last_modified_by = _property(title), _property(author), _property(author)
    props.created = props.modified = stamp
    props.language = ooxml.LANGUAGE
    props.revision = 1
    props.comments = props.subject = props.keywords = props.category = ""
    out = io.BytesIO()
    tpl.save(out)
    return normalise_zip(out.getvalue(), stamp)


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


def _to_word(value, writer: WordWriter):
    if isinstance(value, dict):
        return {key: _to_word(v, writer) for key, v in value.items()}
    if isinstance(value, list):
        return [_to_word(v, writer) for v in value]
    if isinstance(value, Labelled):
        return _Xml(lambda: _xml(writer.run_in(value.label, _elements(value.body, writer, writer.field_indent))), True)
    if isinstance(value, Rich):
        return _Xml(lambda: _xml(_elements(value, writer, 0)), bool(value.blocks))
    return value


def _elements(rich: Rich, writer: WordWriter, indent: int) -> list:
    elements = []
    for block in rich.blocks:
        if isinstance(block, Markdown):
            elements.extend(writer.markdown(block.text, indent))
        elif isinstance(block, LinkLine):
            elements.append(writer.line(list(block.parts), indent=indent))
    return elements


def _xml(elements: list) -> str:
    if not elements:  # a table cell must hold a paragraph
        elements.append(ooxml.paragraph(None, []))
    return "".join(etree.tostring(e, encoding="unicode") for e in elements)


def _template_message(shown: str, exc: Exception, doc, source: str) -> str:
    """A Danish message naming the template and the text around the faulty tag."""
    what = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    undefined = re.match(r"'(?:[^']*)' has no attribute '([^']+)'|'([^']+)' is undefined", what)
    unsafe = re.match(r"access to attribute '([^']+)' of '[^']+' object is unsafe", what)
    around = " ".join(" ".join(getattr(exc, "docx_context", None) or []).split()) or _failed_line(exc, source)
    if isinstance(exc, _TooBig):
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
        what = _TOO_BIG
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
    stamp = max(stamp, _ZIP_EPOCH)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = APP_XML if info.filename == "docProps/app.xml" else source.read(info.filename)
            target.writestr(fixed, data)
    return out.getvalue()
