"""Templates: a council's own template, and mistakes in one reported in Danish."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2.sandbox import ImmutableSandboxedEnvironment

from conftest import edited_template, tree
from docxdump import dump
from rardocs import build, documents, load
from rardocs import render as rendering
from rardocs.cli import main
from rardocs.documents import Markdown, Rich
from rardocs.errors import TemplateError
from rardocs.sandbox import DEFAULT_TEMPLATES


def council_template(project, kind: str, old: str, new: str):
    """Put a copy of the default template, with ``old`` replaced, in the council's templates/."""
    folder = project / "content/rar-test/templates"
    folder.mkdir(parents=True, exist_ok=True)
    return edited_template(folder, DEFAULT_TEMPLATES / f"{kind}.docx", old, new)


def test_council_template_overrides_the_default(project):
    council_template(project, "dagsorden", ">Sted:<", ">Mødested:<")
    result = build(project)
    dagsorden = next(p for p in result.written if "Dagsorden" in p.name)
    referat = next(p for p in result.written if "Referat" in p.name)
    assert "[Mødeoplysning] Mødested:\tMødelokale 1" in dump(dagsorden).splitlines()
    assert "[Mødeoplysning] Sted:\tMødelokale 1" in dump(referat).splitlines()


def test_unknown_variable_names_template_and_text(project, capsys):
    council_template(project, "referat", "{{ meeting.place }}", "{{ meeting.sted }}")
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "content/rar-test/templates/referat.docx: ukendt variabel 'sted'" in err
    assert "Sted: {{ meeting.sted }}" in err
    assert "Traceback" not in err
    assert tree(project / "output") == {}


def test_broken_jinja_names_template(project, capsys):
    council_template(project, "dagsorden", "{%p endif %}", "{%p endiff %}")
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fejl: content/rar-test/templates/dagsorden.docx: ukendt skabelonkode 'endiff' ved teksten: »")
    assert tree(project / "output") == {}


def test_a_file_that_is_not_a_word_file(project, capsys):
    folder = project / "content/rar-test/templates"
    folder.mkdir(parents=True)
    (folder / "referat.docx").write_text("ikke en Word-fil")
    assert main(["build", "--root", str(project)]) == 1
    assert "content/rar-test/templates/referat.docx: skabelonen kan ikke åbnes som Word-fil" in capsys.readouterr().err


def test_template_missing_a_style(project):
    council_template(project, "referat", "{{ title }}", "{{ title }}")
    target = project / "content/rar-test/templates/referat.docx"
    data = {}
    with zipfile.ZipFile(target) as z:
        data = {i.filename: z.read(i.filename) for i in z.infolist()}
    data["word/styles.xml"] = data["word/styles.xml"].replace(b'w:styleId="ListParagraph"', b'w:styleId="Listeafsnit"')
    with zipfile.ZipFile(target, "w") as z:
        for name, content in data.items():
            z.writestr(name, content)
    with pytest.raises(TemplateError, match="mangler typografierne ListParagraph"):
        build(project)


# --- a template prepared once per process renders what docxtpl renders ---------------------


def _example_documents(root):
    """(template, data, arguments) of the dagsorden and referat of every example meeting."""
    archive, _ = load(root)
    for meeting in archive.meetings:
        for kind in ("dagsorden", "referat"):
            yield DEFAULT_TEMPLATES / f"{kind}.docx", documents.context(kind, meeting), dict(
                shown=kind, title=documents.document_title(kind, meeting), author=meeting.council.name,
                date=meeting.date)


def _not_docxtpl(*args, **kwargs):
    raise AssertionError("rendered by docxtpl's own way")


def test_a_prepared_template_renders_the_same_bytes_as_docxtpl(example_project, monkeypatch):
    reference = rendering._render_docxtpl
    for template, data, arguments in _example_documents(example_project):
        with monkeypatch.context() as m:
            m.setattr(rendering, "_render_docxtpl", _not_docxtpl)  # the prepared way, not the way back
            prepared = rendering.render(template, data, **arguments)
        assert prepared == reference(template, data, styles=rendering.DEFAULT_STYLES, **arguments)


def test_a_rich_value_in_a_header_renders_as_docxtpl_renders_it(example_project, monkeypatch):
    template, data, arguments = next(_example_documents(example_project))
    data = {**data, "header": Rich((Markdown("Se **rapporten**:\n\n1. en\n2. to"),))}
    reference, calls = rendering._render_docxtpl, []
    monkeypatch.setattr(rendering, "_render_docxtpl", lambda *a, **k: calls.append(a) or reference(*a, **k))
    assert rendering.render(template, data, **arguments) == reference(
        template, data, styles=rendering.DEFAULT_STYLES, **arguments)
    assert len(calls) == 1  # the prepared way handed it over


def test_an_edited_template_is_prepared_again(example_project, tmp_path):
    template, data, arguments = next(_example_documents(example_project))
    copy = tmp_path / template.name
    copy.write_bytes(template.read_bytes())
    first = tmp_path / "first.docx"
    first.write_bytes(rendering.render(copy, data, **arguments))
    council_template(example_project, template.stem, ">Sted:<", ">Mødested:<").replace(copy)
    second = tmp_path / "second.docx"
    second.write_bytes(rendering.render(copy, data, **arguments))
    assert any(line.startswith("[Mødeoplysning] Sted:") for line in dump(first).splitlines())
    assert any(line.startswith("[Mødeoplysning] Mødested:") for line in dump(second).splitlines())


def test_zip_is_what_zipfile_writes(tmp_path):
    members = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document>" * 5000),
               ("docProps/app.xml", b"not kept"), ("tom.xml", b""), ("mappe/æøå.xml", "Æblegrød".encode())]
    stamp = dt.datetime(2022, 9, 29, 12, 0, 7)
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as z:  # the rewrite normalise_zip once did
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, rendering.APP_XML if name == "docProps/app.xml" else data)
    assert rendering.normalise_zip(written.getvalue(), stamp) == expected.getvalue()


def test_only_text_without_list_numbers_or_links_is_shared_between_documents(example_project):
    rendering._KNOWN.clear()
    for template, data, arguments in _example_documents(example_project):
        rendering.render(template, data, **arguments)
    assert rendering._KNOWN  # the field bodies without lists and links
    assert not any("w:numId" in text or "r:id=" in text for text in rendering._KNOWN.values())


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _cell(span=1, nested: str = "") -> str:
    """A cell spanning ``span`` columns (1: no gridSpan; None: a gridSpan without a value)."""
    if span == 1:
        return f"<w:tc><w:p/>{nested}</w:tc>"
    value = "" if span is None else f' w:val="{span}"'
    return f"<w:tc><w:tcPr><w:gridSpan{value}/></w:tcPr><w:p/>{nested}</w:tc>"


def _table(grid: int, rows: list[list], nested: str = "", nested_in_cell: str = "", *, before: str = "",
           after: str = "") -> str:
    """A table of ``grid`` columns; each row a list of cell spans (see :func:`_cell`),
    with ``before`` and ``after`` its cells (row properties, a bookmark);
    ``nested`` after the rows, ``nested_in_cell`` in the first row's first cell."""
    cols = "".join(f'<w:gridCol w:w="{1000 * (n + 1)}"/>' for n in range(grid))
    body = "".join("<w:tr>" + before + "".join(_cell(span, nested_in_cell if r == c == 0 else "")
                                               for c, span in enumerate(row)) + after + "</w:tr>"
                   for r, row in enumerate(rows))
    return f"<w:tbl><w:tblGrid>{cols}</w:tblGrid>{body}{nested}</w:tbl>"


_TR_PR, _BOOKMARK = "<w:trPr><w:cantSplit/></w:trPr>", '<w:bookmarkEnd w:id="0"/>'


def _sdt(xml: str) -> str:
    return f"<w:sdt><w:sdtContent>{xml}</w:sdtContent></w:sdt>"


def _fixed_as_docxtpl_fixes(tables: str, *, prefix: str = "w") -> bool:
    """Whether ``_fix_tables`` gives for a body of ``tables`` what docxtpl's ``fix_tables``
    gives (the same tree, or the same exception)."""
    from docxtpl import DocxTemplate
    from lxml import etree

    xml = f"<w:body {W_NS}>{tables}<w:p/></w:body>"
    if prefix != "w":
        xml = xml.replace("<w:", f"<{prefix}:").replace("</w:", f"</{prefix}:").replace(" w:", f" {prefix}:")
        xml = xml.replace("xmlns:w=", f"xmlns:{prefix}=")
    docxtpl = DocxTemplate.__new__(DocxTemplate)

    def outcome(fix):
        try:
            return etree.tostring(fix(xml))
        except Exception as exc:  # noqa: BLE001  (the same failure, if it fails)
            return type(exc), str(exc)
    return outcome(lambda x: rendering._fix_tables(docxtpl, x)) == outcome(docxtpl.fix_tables)


@pytest.mark.parametrize("tables", [
    _table(3, [[1, 1, 1], [1, 1, 1]]),
    _table(3, [[3], [1, 1, 1]]),  # a group row spanning all, as the opfølgningsark has
    _table(3, [[1, 1, 1, 1]]),  # a cell more than the grid: a column is added
    _table(3, [[1, 1], [2]]),  # no row fills the grid: a column is removed
    _table(3, [[1, 1, 1], [1, 2]]),  # a row spanning fewer
    _table(2, [[1, 1], [1, 1, 1]]),  # a row too wide after a full one
    _table(2, [[2, 2], [1, 1]]),  # spanning more than the grid
    _table(2, []),  # no rows
    _table(0, []),
    _table(0, [[1]]),
    _table(2, [[1, 1]], nested=_table(4, [[1, 1]])),
    _table(2, [[1, 1]], nested_in_cell=_table(3, [[1, 1, 1]])),  # its rows are the outer table's rows too
    _table(3, [[1, 1, 1]], nested_in_cell=_table(2, [[1, 1]])),
    _table(3, [[1, 2]], nested_in_cell=_table(3, [[1, 1, 1]])),  # the full row only in the nested table
    _table(2, [[1, 1]], nested_in_cell=_table(2, [[1, 1]], nested_in_cell=_table(1, [[1]]))),
    _table(3, [[1, 1, 1]], nested_in_cell=_table(2, [[1, 1]], nested_in_cell=_table(4, [[1, 1, 1]]))),  # 3 > 2
    _table(3, [[1, 1, 1]], nested_in_cell=_sdt(_table(2, [[1, 1]], nested_in_cell=_table(4, [[1, 1, 1]])))),
    _table(3, [[1, 1, 1], [1, 1, 1]], before=_TR_PR),  # a child more than the grid's columns, not a cell
    _table(3, [[1, 1, 1], [1, 1, 1, 1]], before=_TR_PR),
    _table(3, [[1, 1, 1]], before=_TR_PR, after=_BOOKMARK),
    _table(3, [[1, 1, 1], [1, 1, 1, 1]], before=_BOOKMARK),
    _table(3, [[1, 1, 1], [1, 1]], before=_TR_PR + _BOOKMARK),
    _table(2, [[1, 1], ["x", 1]]),  # a span that is not a number
    _table(2, [[1, 1], [None, 1]]),  # a span without a value
    _table(2, [[1, 1], ["", 1]]),
    _table(2, [[1, 1], [" 1", 1]]),  # int() reads these
    _table(2, [[1, 1], ["+1", 1]]),
    _table(2, [[1, 1], ["0", 1]]),
    _table(2, [[1, 1], ["0000000001", 1]]),
    _table(2, [[1, 1], ["7" * 5000, 1]]),  # more digits than int() reads
    _table(2, [[1, 1]]) + _table(2, [[1, 1], ["x", 1]]),  # a bad span in the second table only
    _table(2, [[1, 1]]) + "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",  # the second table without a grid
    "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",  # no grid
    "<w:p><w:pPr><w:gridSpan/></w:pPr></w:p>" + _table(1, [[1]]),  # a gridSpan outside a table
    _table(2, [[1, 1]]).replace("<w:tr>", _sdt("<w:tr>"), 1).replace("</w:tr>", "</w:tr></w:sdtContent></w:sdt>", 1),
    _table(2, [[1]]).replace("</w:tblGrid>", "</w:tblGrid>" + _sdt("<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc>"
                                                                     "<w:tc><w:p/></w:tc></w:tr>")),
    _table(2, [[1, 1]]).replace("</w:tblGrid>", "</w:tblGrid>" + _sdt("<w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc>"
                                                                        "<w:tc><w:p/></w:tc></w:tr>")),
    # cells in a content control are no cells of the row to docxtpl
    _table(2, [[1, 1]]).replace("<w:tc><w:p/></w:tc></w:tr>", _sdt("<w:tc><w:p/></w:tc>") + "</w:tr>", 1),
    _table(2, [[1, 1]]).replace("<w:tc><w:p/></w:tc>", '<w:tc><w:tcPr/><w:tcPr><w:gridSpan w:val="x"/></w:tcPr>'
                                '<w:p/></w:tc>', 1),  # a second tcPr: docxtpl reads the first
])
def test_tables_are_mended_as_docxtpl_mends_them(tables):
    assert _fixed_as_docxtpl_fixes(tables)


def test_tables_in_another_prefix_are_mended_as_docxtpl_mends_them():
    assert _fixed_as_docxtpl_fixes(_table(2, [[1, 1]]), prefix="x")


_spans = st.sampled_from([1, 1, 1, 2, 3, "0", "x", "", None])


@st.composite
def _tables(draw, depth: int = 0) -> str:
    grid = draw(st.integers(0, 4))
    rows = draw(st.lists(st.lists(_spans, max_size=5), max_size=4))
    nested = draw(_tables(depth + 1)) if depth < 2 and rows and rows[0] and draw(st.booleans()) else ""
    table = _table(grid, rows, nested_in_cell=nested, before=draw(st.sampled_from(["", _TR_PR, _BOOKMARK])),
                   after=draw(st.sampled_from(["", _BOOKMARK])))
    return _sdt(table) if draw(st.booleans()) else table


@given(st.lists(_tables(), max_size=3))
def test_any_tables_are_mended_as_docxtpl_mends_them(tables):
    assert _fixed_as_docxtpl_fixes("<w:p/>".join(tables))


def test_tables_that_need_no_mending_are_not_handed_to_docxtpl(monkeypatch):
    from docxtpl import DocxTemplate
    from lxml import etree

    def mended(self, xml):
        raise AssertionError("handed to docxtpl")
    monkeypatch.setattr(DocxTemplate, "fix_tables", mended)
    tables = _table(3, [[1, 1, 1], [3], [1, 1, 1], [1, 2]], nested_in_cell=_table(2, [[1, 1]])) + _table(5, [[1] * 5])
    xml = f"<w:body {W_NS}>{tables}</w:body>"
    tree = rendering._fix_tables(DocxTemplate.__new__(DocxTemplate), xml)
    assert etree.tostring(tree).decode() == xml


# --- the sandbox: a dict's keys looked up as Jinja's sandbox looks them up -------------


class _Dict(dict):
    title = "an attribute"


_OBJECTS = [{"title": "x", "items": "key", "pop": "key", "__class__": "key", "mro": "key", "__name__": "key",
             "__dict__": "key", 1: "one"}, {}, _Dict(title="key"), ["a"], "text", 7, None]
_ATTRIBUTES = ["title", "items", "pop", "keys", "__class__", "__init__", "mro", "__name__", "__dict__",
               "__subclasshook__", "missing", "append", "real"]


def _looked_up(value):
    if isinstance(value, jinja2.Undefined):
        return type(value), value._undefined_name, value._undefined_obj, value._undefined_hint
    return value


@pytest.mark.parametrize("obj", _OBJECTS, ids=lambda o: type(o).__name__)
def test_attributes_are_what_the_sandbox_gives(obj):
    ours, jinjas = rendering.Sandbox(), ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    for attribute in _ATTRIBUTES:
        assert _looked_up(ours.getattr(obj, attribute)) == _looked_up(jinjas.getattr(obj, attribute)), attribute
    def outcome(env, attribute):
        try:
            return _looked_up(env.getattr(obj, attribute))
        except Exception as exc:  # noqa: BLE001  (the same failure, if it fails)
            return type(exc), str(exc)
    for attribute in (1, ("t",), ["t"]):  # what no template writes with a dot, but a filter might pass
        assert outcome(ours, attribute) == outcome(jinjas, attribute)


@pytest.mark.parametrize("source", [
    "{{ d.title }}", "{{ d.items is callable }}", "{{ d.items()|list|length }}", "{{ d.pop }}", "{{ d.missing }}",
    "{{ d.__class__ }}", "{{ d.title.__class__ }}", "{{ d.nested.title }}", "{{ d.update({'a': 1}) }}",
])
def test_templates_see_a_dict_as_the_sandbox_shows_it(source):
    data = {"d": {"title": "Titel", "items": "nøgle", "pop": "nøgle", "__class__": "nøgle", "nested": {"title": "T"}}}

    def outcome(env):
        try:
            return env.from_string(source).render(data)
        except Exception as exc:  # noqa: BLE001  (the same failure, if it fails)
            return type(exc), str(exc)
    ours = outcome(rendering.Sandbox())
    assert ours == outcome(ImmutableSandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined))


# --- a rendered body parsed in place of the template's --------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_DOCUMENT = f'<w:document xmlns:w="{W}" xmlns:wp="{WP}"><w:body><w:p/></w:body></w:document>'.encode()
_START = f'<w:body xmlns:w="{W}" xmlns:wp="{WP}">'


def _moved(document: bytes, xml: str) -> bytes:
    """The document part with the body ``xml`` as docxtpl's way puts it there."""
    from docx.oxml.parser import parse_xml
    from lxml import etree

    tree = parse_xml(document)
    tree.replace(tree.body, etree.fromstring(xml, parser=etree.XMLParser(recover=True)))
    return etree.tostring(tree, encoding="UTF-8", standalone=True)


@pytest.mark.parametrize("document, body", [
    (_DOCUMENT.replace(b"<w:body>", b'<w:background xmlns:a="urn:a" a:x="1"/><w:body a="1">'), _START + "</w:body>"),
    (_DOCUMENT.replace(b"<w:body><w:p/></w:body>", b"<w:body/><w:p/>"), _START + "<w:p/></w:body>"),
    (_DOCUMENT, f'<w:body xmlns:w="{W}" xmlns:wp="{WP}" xmlns:x="urn:x" w:rsid="1"><w:p/></w:body>'),
])
def test_a_body_is_placed_where_docxtpl_puts_it(document, body):
    from lxml import etree

    place = rendering._place(document, body)
    assert place is not None
    tree, _ = rendering._in_place(place, body.encode())
    assert etree.tostring(tree, encoding="UTF-8", standalone=True) == _moved(document, body)


@pytest.mark.parametrize("document, body", [
    (_DOCUMENT, f'<w:body xmlns:w="{W}"><w:p/></w:body>'),  # wp undeclared in the body: it must stay so
    (_DOCUMENT, f'<w:body xmlns:w="{W}" xmlns:wp="urn:other"><w:p/></w:body>'),
    (_DOCUMENT.replace(b"<w:document ", f'<w:document xmlns:w2="{W}" '.encode()),
     f'<w:body xmlns:w2="{W}" xmlns:w="{W}" xmlns:wp="{WP}"><w:p/></w:body>'),  # one namespace, two prefixes
    (_DOCUMENT.replace(b"<w:body>", b"<w:background><wp:docPr/></w:background><w:body>"), _START + "</w:body>"),
    (_DOCUMENT, "{{ body }}"),
    (_DOCUMENT.replace(b"<w:body><w:p/></w:body>", b""), _START + "</w:body>"),  # no body
])
def test_a_body_is_not_placed_where_it_might_come_out_otherwise(document, body):
    assert rendering._place(document, body) is None


_BODIES = [
    "<w:p/>",
    "<w:p><w:r><w:t>Tekst med xmlns i</w:t></w:r></w:p>",
    '<w:p xmlns:x="urn:x" x:a="1"/>',  # a namespace declared inside
    f'<w:p xmlns:w="{W}"/>',  # one declared again inside
    '<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1"/></wp:inline></w:drawing></w:r></w:p>',
    "<x:p/>",  # a prefix declared nowhere
    "<w:p>",  # not closed
    "</w:p>",
    "</w:body><w:body>",  # two bodies
    "</w:body><w:p/><w:body>",
    "</w:body></w:document><w:document><w:body>",
    "<!-- en kommentar --><?pi ?><![CDATA[<w:p/>]]>",
    "&amp;&#10;&nbsp;",  # an entity XML does not know
    '<w:p w:a="1" w:a="2"/>',
    "<w:p/>" * 3 + "\n  ",
]


@pytest.mark.parametrize("inside", _BODIES)
def test_a_body_placed_is_the_body_docxtpl_puts_there(inside):
    from lxml import etree

    place = rendering._place(_DOCUMENT, _START + "</w:body>")
    xml = _START + inside + "</w:body>"
    tree, _ = rendering._in_place(place, xml.encode())
    if tree is not None:
        assert etree.tostring(tree, encoding="UTF-8", standalone=True) == _moved(_DOCUMENT, xml)


def test_a_long_body_is_placed_as_docxtpl_puts_it():
    """The parser is fed a body a piece at a time: characters of several bytes are cut in two."""
    from lxml import etree

    place = rendering._place(_DOCUMENT, _START + "</w:body>")
    xml = _START + "".join(f"<w:p><w:r><w:t>{i} ’æ–ø</w:t></w:r></w:p>" for i in range(3000)) + "</w:body>"
    assert len(xml.encode()) > 3 * rendering._PIECE
    tree, _ = rendering._in_place(place, xml.encode())
    assert etree.tostring(tree, encoding="UTF-8", standalone=True) == _moved(_DOCUMENT, xml)


@given(st.lists(st.sampled_from(_BODIES + ["<w:tbl>", "</w:tbl>", "<w:tc>", "</w:tc>", "x", "]]>"]), max_size=6))
def test_any_body_placed_is_the_body_docxtpl_puts_there(parts):
    test_a_body_placed_is_the_body_docxtpl_puts_there("".join(parts))


@pytest.mark.parametrize("kind", ["dagsorden", "referat", "opfoelgningsark", "pressemeddelelse"])
def test_the_default_templates_have_their_bodies_placed(kind):
    assert rendering._prepared(DEFAULT_TEMPLATES / f"{kind}.docx").prepared.place is not None


@pytest.mark.parametrize("old, new, placed", [
    ("<w:body>", "<w:body>", True),
    ("<w:body>", '<w:body><w:p xmlns:x="urn:x" x:a="1"/>', False),  # a declaration inside the body
    ("<w:body>", '<w:body xmlns:w2="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w2:p/>',
     False),  # a second prefix for a namespace the document declares
    ("<w:body>", "<w:body><w:p><w:r><w:t>xmlns</w:t></w:r></w:p>", False),
    ("{{ meeting.place }}", "{{ meeting.place }} (xmlns)", False),  # only text, but the same word
])
def test_a_template_renders_the_same_bytes_whether_its_body_is_placed_or_not(
        example_project, tmp_path, monkeypatch, old, new, placed):
    template, data, arguments = next(_example_documents(example_project))
    template = edited_template(tmp_path, template, old, new)
    reference, in_place, found = rendering._render_docxtpl, rendering._in_place, []
    monkeypatch.setattr(rendering, "_render_docxtpl", _not_docxtpl)
    monkeypatch.setattr(rendering, "_in_place", lambda *a: found.append(in_place(*a)[0] is not None) or in_place(*a))
    assert rendering.render(template, data, **arguments) == reference(
        template, data, styles=rendering.DEFAULT_STYLES, **arguments)
    assert found[-1] == placed  # the render's, after the one preparing the template


# --- a body of many rows written without parsing all of it ----------------------------------


def _row(texts, *, first: str = "<w:trPr><w:cantSplit/></w:trPr>", cell: str = "") -> str:
    """A table row of a cell for each text (escaped as Jinja escapes it), ``first`` before
    its cells and ``cell`` inside its first cell."""
    from markupsafe import escape

    cells = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="907"/></w:tcPr>{cell if n == 0 else ""}<w:p><w:r><w:rPr/>'
             f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>' for n, text in enumerate(texts)]
    return "<w:tr>" + first + "".join(cells) + "</w:tr>"


def _many_rows(rows: list[str], columns: int = 3, around: str = "", heading: bool = True) -> str:
    """A table of ``columns`` columns and ``rows`` (after a full heading row), ``around`` before it."""
    grid = "".join('<w:gridCol w:w="907"/>' for _ in range(columns))
    return (f"<w:p><w:r><w:t>Handlinger</w:t></w:r></w:p>{around}<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>"
            + (_row(["Møde", "Punkt", "Status"][:columns] + ["x"] * (columns - 3), first="") if heading else "")
            + "".join(rows) + "</w:tbl><w:p/>")


def _written_as_lxml_writes(inside: str) -> bytes | None:
    """What :func:`_written_in_place` makes of the body ``inside``, after checking it
    against the way it stands for: parsing the body in place, checking its tables and
    writing the tree. None when it was not made."""
    from lxml import etree

    place = rendering._place(_DOCUMENT, _START + "</w:body>")
    try:
        body = (_START + inside + "</w:body>").encode("utf-8")
    except UnicodeEncodeError:
        return None
    written = rendering._written_in_place(place, body)
    document, tree = rendering._in_place(place, body)
    if document is None or not rendering._left_as_they_are(tree):
        assert written is None
    elif written is not None:
        sink = io.BytesIO()
        etree.ElementTree(document).write(sink, encoding="UTF-8", standalone=True)
        assert written == sink.getvalue()
    return written


_TEXTS = ["Sekretariatet", "", "Peter's \"notat\"", "A & B <c> d>e", "æøå – ’’ „x“", "a\tb\nc", "a\rb",
          "ctl \x0b", "\ufffe", "&#34;", "<!-- -->", "]]>", "  "]


@pytest.mark.parametrize("text", _TEXTS)
def test_rows_of_any_text_are_written_as_lxml_writes_them(text):
    rows = [_row(["1", text, "åben"]) for _ in range(40)]
    written = _written_as_lxml_writes(_many_rows(rows))
    if text not in ("ctl \x0b", "\ufffe", "a\rb"):  # no XML, or lxml writes \r as &#13;: the slow way then
        assert written is not None


@pytest.mark.parametrize("rows, around, made", [
    ([_row(["1", "a", "b"])] * 40, "", True),
    ([_row(["1", "a", "b"])] * 30, "", False),  # 31 with the heading row: too few to be worth it
    ([_row(["1", "a", "b"])] * 40 + [_row(["1", "a", "b", "c"])], "", False),  # a row too wide: mended
    ([_row(["1", "a"])] * 40, "", True),  # narrower rows beside the full heading row: left as they are
    ([_row(["1", "a", "b"], first="")] * 40, "", True),
    ([_row(["1", "a", "b"], first='<w:trPr/><w:bookmarkEnd w:id="0"/>')] * 40, "", True),
    ([_row(["1", "a", "b"]).replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="2"/>', 1)] * 40, "", True),
    ([_row(["1", "a", "b"]).replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="x"/>', 1)] * 40, "", False),
    ([_row(["1", "a", "b"], cell=_many_rows([_row(["1", "a", "b"])] * 2))] * 40, "", True),  # nested tables
    ([_row(["1", "a", "b"], cell=_many_rows([_row(["1", "a", "b", "c"])] * 2))] * 40, "", False),
    ([_row(["1", "a", "b"], cell="<w:tbl><w:tblPr/></w:tbl>")] * 40, "", False),  # a table without rows or grid
    ([_row(["1", "a\"", "b"])] * 40, "<!-- &#34; -->", False),  # quotes written again: not in a comment
    ([_row(["1", "a", "b"])] * 40, "<!-- -->", True),
    ([_row(["1", "", "b"])] * 40, "<?pi <w:t></w:t>?>", False),
    ([_row(["1", "a", "b"]).replace("<w:tr>", '<w:tr w:rsidR="00A1">')] * 40, "", True),
    ([_row(["1", "a", "b"]).replace("<w:tr>", "<w:tr  w:rsidR='00A1'>")] * 40, "", False),  # lxml writes it otherwise
    ([_row(["1", "a", "b"]).replace("<w:p>", "<w:p></w:p><w:p>", 1)] * 40, "", False),
    ([_row(["1", "a", "b"]).replace("<w:rPr/>", '<w:rPr><w:lang w:val="&quot;"/></w:rPr>', 1)] * 40, "", True),
    ([_row(["1", "a", "b"]).replace("<w:rPr/>", '<w:rPr><w:lang w:val="a>b"/></w:rPr>', 1)] * 40, "", False),
    ([_row(["1", "a", "b"]).replace("<w:rPr/>", "<w:rPr><w:lang w:val=\"&#34;\"/></w:rPr>", 1)] * 40, "", False),
    ([_row(["1", "a", "b"]).replace("<w:rPr/>", "<x:rPr/>", 1)] * 40, "", False),  # a prefix declared nowhere
    ([_row(["1", "a", "b"]).replace("<w:tr>", '<w:tr xml:id="r1">')] * 40, "", False),  # one id in every row
    ([_row(["1", "a", "b"]).replace("</w:tr>", "")] * 40, "", False),
    ([_row(["1", "a", "b"]).replace("</w:tr>", "</w:tr></w:tr>")] * 40, "", False),
    ([_row(["1", "a", "b"]).replace("<w:p>", "<w:p><![CDATA[x]]>")] * 40, "", False),
    ([_row(["1", "a", "b"])] * 40, "<w:p><w:r><w:t>&quot;&apos;</w:t></w:r></w:p>", False),  # written as quotes
    ([_row(["1", "a", "b"])] * 40, "<w:p><w:r><w:t>a>b</w:t></w:r></w:p>", False),  # written as &gt;
    ([_row(["1", "a", "b"])] * 40, "<w:p><w:r><w:t>&amp;&lt;&gt;</w:t></w:r></w:p>", True),
    ([_row(["1", "a", "b"])] * 40, '<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1"/></wp:inline></w:drawing></w:r></w:p>',
     True),  # the caller numbers docPr the slow way
])
def test_a_body_of_many_rows_is_written_as_lxml_writes_it_or_not_at_all(rows, around, made):
    assert (_written_as_lxml_writes(_many_rows(rows, around=around)) is not None) == made


def test_rows_that_span_are_no_full_rows_when_written_without_parsing():
    spanning = _row(["1", "a", "b"]).replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="2"/>', 1)
    assert _written_as_lxml_writes(_many_rows([spanning] * 40, heading=False)) is None  # mended: no full row
    assert _written_as_lxml_writes(_many_rows([spanning] * 40 + [_row(["1", "a", "b"])], heading=False)) is not None


_cell_texts = st.one_of(st.sampled_from(_TEXTS), st.text(max_size=12))
_row_shapes = st.builds(lambda texts, first, inner, span: _row(texts, first=first, cell=inner).replace(
                            "<w:tcPr>", f'<w:tcPr><w:gridSpan w:val="{span}"/>', 1) if span else
                        _row(texts, first=first, cell=inner),
                        st.lists(_cell_texts, min_size=2, max_size=4),
                        st.sampled_from(["", "<w:trPr><w:cantSplit/></w:trPr>", "<w:trPr/><w:trPr/>"]),
                        st.sampled_from(["", "<w:p/>", _many_rows([_row(["1", "a", "b"])])]),
                        st.sampled_from([None, None, "2", "x"]))


@given(st.lists(_row_shapes, min_size=1, max_size=4), st.lists(st.integers(0, 3), min_size=32, max_size=60),
       st.sampled_from(["", "<!-- x -->", "<w:p><w:r><w:t>&#39;</w:t></w:r></w:p>", "<w:p></w:p>"]))
def test_any_body_of_many_rows_is_written_as_lxml_writes_it_or_not_at_all(shapes, picks, around):
    _written_as_lxml_writes(_many_rows([shapes[n % len(shapes)] for n in picks], around=around))


def test_an_opfoelgningsark_of_many_rows_renders_the_same_bytes_as_docxtpl(example_project, monkeypatch):
    archive, _ = load(example_project)
    meeting = archive.meetings[-1]
    data = documents.followup_context(meeting, archive.earlier(meeting))
    action = {"action": "Peter's \"notat\" & <bilag>", "note": "", "owner": "Sekretariatet", "due": "",
              "status": "åben", "overdue": True, "overdue_text": "Frist overskredet"}
    data["carried"] = [{"meeting": "29.09.2022", "number": f"2.{n}", "title": f"Punkt {n} – „x“",
                        "actions": [action, {**action, "note": f"Note {n}", "overdue": False}]} for n in range(40)]
    template = DEFAULT_TEMPLATES / "opfoelgningsark.docx"
    arguments = dict(shown="opfoelgningsark", title="Opfølgningsark", author=meeting.council.name, date=meeting.date)
    reference, written, made = rendering._render_docxtpl, rendering._written_in_place, []
    monkeypatch.setattr(rendering, "_render_docxtpl", _not_docxtpl)
    monkeypatch.setattr(rendering, "_written_in_place", lambda *a: made.append(written(*a)) or made[-1])
    assert rendering.render(template, data, **arguments) == reference(
        template, data, styles=rendering.DEFAULT_STYLES, **arguments)
    assert made[-1] is not None
