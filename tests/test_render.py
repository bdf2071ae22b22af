"""Templates: a council's own template, and mistakes in one reported in Danish."""

from __future__ import annotations

import zipfile

import pytest

from conftest import tree
from docxdump import dump
from rardocs import build
from rardocs.cli import main
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
