"""Templates anyone may send: they cannot run code, and a mistake in one is a template error.

A council's template is a Word file e-mailed to the secretariat. It renders in a
sandbox: Python's internals are out of reach, and a template that divides by zero,
recurses or builds something huge fails quickly with a Danish message naming it.
"""

from __future__ import annotations

import resource
import time
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from conftest import tree
from docxdump import dump

from rardocs import build
from rardocs.cli import main
from rardocs.errors import TemplateError
from rardocs.markdown import Styles
from rardocs.package import default_templates

SHOWN = "content/rar-test/templates/referat.docx"


def council_referat(project, tag: str, styles=None):
    """The council's own referat template: the default one with ``tag`` in place of the place."""
    folder = project / "content/rar-test/templates"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "referat.docx"
    with zipfile.ZipFile(default_templates() / "referat.docx") as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"{{ meeting.place }}", tag.encode(), 1)
            if info.filename == "word/styles.xml" and styles:
                data = styles(data)
            out.writestr(info, data)
    return target


def refused(project, capsys, tag: str) -> str:
    """Build with ``tag`` in the council's referat; assert exit 1 and nothing written; the message."""
    council_referat(project, tag)
    started = time.monotonic()
    assert main(["build", "--root", str(project)]) == 1
    assert time.monotonic() - started < 20
    err = capsys.readouterr().err
    assert err.startswith(f"fejl: {SHOWN}: "), err
    assert "Traceback" not in err
    assert tree(project / "output") == {}
    return err


ESCAPES = {
    "globals": ("{{ cycler.__init__.__globals__.os.popen('touch MARK').read() }}", "'__init__' må ikke bruges"),
    "mro": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "'__class__' må ikke bruges"),
    "subclasses": ("{{ ().__class__.__base__.__subclasses__()[0] }}", "'__class__' må ikke bruges"),
    "template reference": ("{{ self._TemplateReference__context.cycler.__init__ }}",
                           "'_TemplateReference__context' må ikke bruges"),
    "lipsum": ("{{ lipsum.__globals__['os'].popen('touch MARK') }}", "ukendt variabel 'lipsum'"),
    "range": ("{{ range.__init__.__globals__ }}", "'__init__' må ikke bruges"),
    "namespace": ("{{ namespace.__init__.__globals__['os'] }}", "'__init__' må ikke bruges"),
    "format string": ("{{ '{0.__class__.__mro__}'.format(meeting) }}", "'__class__' må ikke bruges"),
    "format spec": ("{{ '{0.__init__.__globals__}'.format(joiner) }}", "'__init__' må ikke bruges"),
    "attr filter": ("{{ (meeting|attr('__class__')).__mro__ }}", "'__class__' må ikke bruges"),
    "bound method": ("{{ meeting.items.__self__ }}", "'__self__' må ikke bruges"),
    "changing the data": ("{% for s in sections %}{{ sections.append(s) }}{% endfor %}", "'append' må ikke bruges"),
}


@pytest.mark.parametrize("tag, message", ESCAPES.values(), ids=ESCAPES.keys())
def test_a_template_cannot_reach_python(project, capsys, monkeypatch, tag, message):
    monkeypatch.chdir(project)
    err = refused(project, capsys, tag)
    assert message in err
    assert f"ved teksten: »Sted: {tag}" in err
    assert not (project / "MARK").exists()


MISTAKES = {
    "division by zero": ("{{ 1 / 0 }}", "division med nul"),
    "undefined method": ("{{ meeting.place.nosuch() }}", "ukendt variabel 'nosuch'"),
    "wrong arguments": ("{{ meeting.place.upper(1) }}", "fejl i skabelonen (TypeError: "),
    "recursion": ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "skabelonen kalder sig selv uden ende"),
    "huge string": ("{{ 'x' * 10**10 }}", "for stor tekst, liste eller et for stort tal"),
    "huge list": ("{{ [0] * 10**9 }}", "for stor tekst, liste eller et for stort tal"),
    "huge power": ("{{ 10**10**10 }}", "for stor tekst, liste eller et for stort tal"),
    "huge power, right first": ("{{ 10 ** (10 ** 10) }}", "for stor tekst, liste eller et for stort tal"),
    "huge product": ("{{ 99999999999 * 99999999999 * 99999999999 * 99999999999 }}", "for stort tal"),
    "doubling": (("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}"
                  "{% endfor %}{{ ns.s }}"), "for stor tekst"),
    "huge range": ("{{ range(10**9)|list }}", "for stor tekst, liste eller et for stort tal"),
    "nested loops": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                     "skabelonens løkker går for mange gange rundt"),
    "nested loops in a macro": (("{% macro m() %}{% for i in range(100000) %}{% for j in range(100000) %}x"
                                 "{% endfor %}{% endfor %}{% endmacro %}{{ m() }}"), "for mange gange rundt"),
    "too much output": ("{% for i in range(1000) %}{{ 'x' * 1000000 }}{% endfor %}", "skabelonen laver for meget tekst"),
}


@pytest.mark.parametrize("tag, message", MISTAKES.values(), ids=MISTAKES.keys())
def test_a_template_mistake_is_a_template_error(project, capsys, tag, message):
    memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    err = refused(project, capsys, tag)
    assert message in err
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - memory < 500_000  # kB


def test_what_a_template_may_do_still_works(project):
    council_referat(project, "{{ '-' * 3 }}{% for i in range(3)|reverse %}{{ i }}{% endfor %}"
                             "{{ 2 ** 10 }} {{ meeting.place.upper() }} {{ '{} {}'.format(1, 2) }}")
    result = build(project)
    referat = next(p for p in result.written if "Referat" in p.name)
    assert "[Mødeoplysning] Sted:\t---2101024 MØDELOKALE 1 1 2" in dump(referat).splitlines()


def test_default_templates_define_every_style():
    for template in sorted(default_templates().glob("*.docx")):
        styles = zipfile.ZipFile(template).read("word/styles.xml").decode()
        for style in Styles().all():
            assert f'w:styleId="{style}"' in styles, f"{template.name} mangler {style}"


def test_a_template_missing_the_table_header_style(project):
    council_referat(project, "{{ meeting.place }}",
                    styles=lambda xml: xml.replace(b'w:styleId="Tabeloverskrift"', b'w:styleId="Tabelhoved"'))
    with pytest.raises(TemplateError, match=f"^{SHOWN}: skabelonen mangler typografierne Tabeloverskrift$"):
        build(project)


@given(st.lists(st.text(max_size=5), max_size=300))
def test_a_templates_output_is_joined_whole(parts):
    """The sandbox counts a template's output a batch of parts at a time: joined, it is
    every part in order, empty parts included."""
    from rardocs.sandbox import Sandbox

    assert Sandbox().concat(iter(parts)) == "".join(parts)


def test_output_up_to_the_limit_and_not_beyond(monkeypatch):
    from rardocs import sandbox

    monkeypatch.setattr(sandbox, "MAX_OUTPUT", 1000)
    parts = ["x" * 10] * 100
    assert len(sandbox.Sandbox().concat(parts)) == 1000
    with pytest.raises(sandbox.TooBig, match="skabelonen laver for meget tekst"):
        sandbox.Sandbox().concat([*parts, "y"])
