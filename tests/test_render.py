"""Templates: a council's own template, and mistakes in one reported in Danish."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from conftest import tree
from docxdump import dump
from rardocs import build, documents, load
from rardocs import render as rendering
from rardocs.cli import main
from rardocs.documents import Markdown, Rich
from rardocs.errors import TemplateError
from rardocs.render import DEFAULT_TEMPLATES


def council_template(project, kind: str, old: str, new: str):
    """Put a copy of the default template, with ``old`` replaced, in the council's templates/."""
    folder = project / "content/rar-test/templates"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{kind}.docx"
    with zipfile.ZipFile(DEFAULT_TEMPLATES / f"{kind}.docx") as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            out.writestr(info, data)
    return target


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


def _table(grid: int, rows: list[list[int]], nested: str = "") -> str:
    """A table of ``grid`` columns; each row a list of cell spans (1: no gridSpan)."""
    cols = "".join(f'<w:gridCol w:w="{1000 * (n + 1)}"/>' for n in range(grid))
    body = "".join("<w:tr>" + "".join(
        f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p/></w:tc>' if span != 1 else "<w:tc><w:p/></w:tc>"
        for span in row) + "</w:tr>" for row in rows)
    return f"<w:tbl><w:tblGrid>{cols}</w:tblGrid>{body}{nested}</w:tbl>"


@pytest.mark.parametrize("tables", [
    _table(3, [[1, 1, 1], [1, 1, 1]]),
    _table(3, [[3], [1, 1, 1]]),  # a group row spanning all, as the opfølgningsark has
    _table(3, [[1, 1, 1, 1]]),  # a cell more than the grid: a column is added
    _table(3, [[1, 1], [2]]),  # no row fills the grid: a column is removed
    _table(2, []),  # no rows
    _table(2, [[1, 1]], nested=_table(4, [[1, 1]])),
    _table(2, [[1, 1], ["x", 1]]),  # a span that is not a number
    "<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>",  # no grid
])
def test_tables_are_mended_as_docxtpl_mends_them(tables):
    from docxtpl import DocxTemplate
    from lxml import etree

    from rardocs.render import _fix_tables

    xml = f"<w:body {W_NS}>{tables}<w:p/></w:body>"
    docxtpl = DocxTemplate.__new__(DocxTemplate)

    def outcome(fix):
        try:
            return etree.tostring(fix(xml))
        except Exception as exc:  # noqa: BLE001  (the same failure, if it fails)
            return type(exc)
    assert outcome(lambda x: _fix_tables(docxtpl, x)) == outcome(docxtpl.fix_tables)
