"""YAML that could crash or hang rardocs is refused at its line, or cleaned with a warning.

The plain-text cases are folders in ``tests/broken/`` (``yaml-anchor``,
``yaml-billion-laughs``, ``yaml-explicit-tags``, ``yaml-nested-too-deep``, …);
here are those built in Python, timed, or checked inside the documents they make.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from docxdump import plain_text
from rardocs.cli import main
from rardocs.content import yamlparse
from rardocs.content.text import clean
from rardocs.content.yamlfile import load_yaml
from rardocs.errors import ContentError

M = "content/rar-test/2023-01-10"
ITEM = f"{M}/1.1-dagsorden.md"
BILAG_ITEM = f"{M}/2.1-ledighed.md"
MEETING = f"{M}/meeting.yaml"
COUNCIL = "content/rar-test/council.yaml"
OUTPUT = "output/rar-test/2023-01-10"

REFERENCE = "YAML-henvisninger med & og * bruges ikke; skriv værdien ud, eller sæt teksten i anførselstegn"
TOO_DEEP = "YAML'en er indlejret for dybt"
CLEANED = "advarsel: usynlige tegn (fx fra PDF eller Word) er fjernet eller erstattet"
UNREADABLE = "tegn, som YAML ikke kan læse; fjern eller ret det"


def tag_message(tag: str) -> str:
    return f"'{tag}' i starten af en værdi; sæt teksten i anførselstegn"


def laughs(levels: int) -> str:
    """The "billion laughs": each line refers nine times to the line above."""
    lines = ["l0: &l0 [ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(root: Path, capsys, command: str = "build") -> tuple[int, str]:
    capsys.readouterr()
    status = main([command, "--root", str(root)])
    return status, capsys.readouterr().err


# --- refused: exit 1, the message at its line, nothing written ---------------------------

REFUSED = {
    "billion-laughs-in-front-matter": (
        lambda r: edit(r, ITEM, "kind: B\n", "kind: B\n" + laughs(12)), f"{ITEM}:5: {REFERENCE}"),
    "alias-of-a-member": (
        lambda r: edit(r, COUNCIL, "  - name: Bo Berg\n    organisation: FH\n    role: medlem\n",
                       "  - &bo\n    name: Bo Berg\n    organisation: FH\n    role: medlem\n  - *bo\n"),
        f"{COUNCIL}:14: {REFERENCE}"),
    "alias-of-itself": (lambda r: edit(r, MEETING, "place: Mødelokale 1", "place: &p [*p]"), f"{MEETING}:5: {REFERENCE}"),
    "undefined-alias": (lambda r: edit(r, MEETING, "place: Mødelokale 1", "place: *Lokale 1"),
                        f"{MEETING}:5: ugyldig YAML: '*' i starten af en værdi; sæt teksten i anførselstegn"),
    "integer-of-5000-digits-as-text": (
        lambda r: edit(r, MEETING, 'start: "10.00"', "start: 1" + "0" * 5000), f"{MEETING}:2: "),
    "explicit-int-of-5000-digits": (
        lambda r: edit(r, ITEM, "kind: B\n", "kind: B\nnumber: !!int 1" + "0" * 5000 + "\n"),
        f"{ITEM}:5: {tag_message('!!int')}"),
    "python-tag": (
        lambda r: edit(r, BILAG_ITEM, "  - title: Notat om ledighed",
                       '  - title: !!python/object/apply:os.system ["touch pwned"]'),
        f"{BILAG_ITEM}:6: {tag_message('!!python/object/apply:os.system')}"),
    "timestamp-that-is-no-date": (
        lambda r: edit(r, MEETING, "date: 2023-01-10", "date: !!timestamp 2022-02-30"),
        f"{MEETING}:1: {tag_message('!!timestamp')}"),
    "own-tag-on-a-key": (lambda r: edit(r, MEETING, "place:", "!sted place:"), f"{MEETING}:5: {tag_message('!sted')}"),
    "flow-sequences-10000-deep": (
        lambda r: edit(r, ITEM, "section: 1", "section: " + "[" * 10_000 + "]" * 10_000), f"{ITEM}:3: {TOO_DEEP}"),
    "flow-mappings-10000-deep": (
        lambda r: edit(r, ITEM, "section: 1", "section: " + "{a: " * 10_000 + "}" * 10_000), f"{ITEM}:3: {TOO_DEEP}"),
    "block-sequences-10000-deep": (
        lambda r: edit(r, COUNCIL, "attendance:\n", "deep:\n  " + "- " * 10_000 + "x\nattendance:\n"),
        f"{COUNCIL}:8: {TOO_DEEP}"),
    "unclosed-flow-sequences-10000-deep": (
        lambda r: edit(r, MEETING, "place: Mødelokale 1", "place: " + "[" * 10_000), f"{MEETING}:5: {TOO_DEEP}"),
    "escape-beyond-unicode": (lambda r: edit(r, MEETING, "place: Mødelokale 1", 'place: "\\U00110000"'),
                              f"{MEETING}:5: {UNREADABLE}"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_at_its_line(project, capsys, name):
    change, expected = REFUSED[name]
    change(project)
    started = time.monotonic()
    for command in ("build", "check"):
        status, err = run(project, capsys, command)
        assert "Traceback" not in err and "intern fejl" not in err, err
        assert status == 1, err
        assert any(line.startswith(expected) for line in err.splitlines()), err
    assert time.monotonic() - started < 3
    assert not (project / "output").exists()
    assert not (project / "pwned").exists() and not Path("pwned").exists()


def test_billion_laughs_is_refused_at_once():
    started = time.monotonic()
    with pytest.raises(ContentError) as caught:
        load_yaml(laughs(30), "f.yaml")
    assert time.monotonic() - started < 0.5
    assert [str(p) for p in caught.value.problems] == [f"f.yaml:1: {REFERENCE}"]


def test_only_short_integers_are_numbers():
    doc = load_yaml("a: 123456789012345678\nb: 1234567890123456789\nc: -0\nd: 1" + "0" * 5000 + "\n", "f.yaml")
    assert doc.data == {"a": 123456789012345678, "b": "1234567890123456789", "c": 0, "d": "1" + "0" * 5000}


def test_tags_the_loader_gives_itself_are_allowed():
    doc = load_yaml("a: !!str 12\nb: !!int 12\nc: !!bool yes\nd: !!null ~\ne: !!seq [x]\nf: !!map {x: y}\n"
                    "<<: x\n'=': =\n", "f.yaml")
    assert doc.data == {"a": "12", "b": 12, "c": True, "d": None, "e": ["x"], "f": {"x": "y"}, "<<": "x", "=": "="}


def test_every_refused_tag_is_reported():
    text = "a: !!float 1.5\nb: !!binary aGVq\nc: !!set {x}\nd: !!omap [x: 1]\ne: !!seq {x: 1}\nf: !!str ok\n"
    with pytest.raises(ContentError) as caught:
        load_yaml(text, "f.yaml", first_line=2)
    assert [str(p) for p in caught.value.problems] == [
        f"f.yaml:{n}: {tag_message(tag)}" for n, tag in enumerate(("!!float", "!!binary", "!!set", "!!omap", "!!seq"), 2)]


def test_a_second_document_is_refused():
    with pytest.raises(ContentError) as caught:
        load_yaml("a: b\n---\nc: d\n", "f.yaml")
    assert [str(p) for p in caught.value.problems] == ["f.yaml:2: ugyldig YAML: en linje '---' deler filen i to; fjern den"]


def test_an_error_while_constructing_names_the_line(monkeypatch):
    """Defence in depth: whatever a constructor raises becomes a problem at the value's line."""
    def failing(loader, node):
        raise ValueError("no")
    monkeypatch.setitem(yamlparse._Loader.yaml_constructors, "tag:yaml.org,2002:bool", failing)
    with pytest.raises(ContentError) as caught:
        load_yaml("a: x\nb: yes\n", "f.yaml", first_line=10)
    assert [str(p) for p in caught.value.problems] == ["f.yaml:11: ugyldig YAML-værdi; sæt teksten i anførselstegn"]


def test_recursion_error_is_a_problem_too(monkeypatch):
    """Without the depth limit, Python's own recursion limit is reported the same way."""
    monkeypatch.setattr(yamlparse, "MAX_DEPTH", 10**9)
    with pytest.raises(ContentError) as caught:
        load_yaml("a: " + "[" * 10_000 + "]" * 10_000 + "\n", "f.yaml")
    assert [str(p) for p in caught.value.problems] == [f"f.yaml:1: {TOO_DEEP}"]


# --- cleaned: escapes that make invisible characters are removed, with a warning ---------

def test_clean_drops_lone_surrogates_and_joins_pairs():
    assert clean("a\ud800b\udc00c") == "abc"
    assert clean("\ud83d\ude00") == "\U0001f600"
    assert clean("x\x00\x07\x85\ufffe\uffff\U0001f600y") == "x\U0001f600y"


def test_escaped_control_characters_are_cleaned_with_a_warning():
    doc = load_yaml('a: "x\\0y\\x07z\\ud800w\\uFFFE\\x9f"\n"k\\0": v\nc: ok\n', "f.yaml", first_line=3)
    assert doc.data == {"a": "xyzw", "k": "v", "c": "ok"}
    assert [str(p) for p in doc.problems] == [f"f.yaml:3: {CLEANED}", f"f.yaml:4: {CLEANED}"]


#: Characters that must not reach a document: C0 but tab and newline, C1, surrogates, U+FFFE, U+FFFF.
BANNED = {*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), *map(chr, range(0xD800, 0xE000)), "\ufffe", "\uffff"} - {"\t", "\n"}


def _escape_everywhere(root: Path) -> None:
    edit(root, COUNCIL, "name: RAR Test", '"name\\0": "RAR \\0Te\\x07st\\x85\\ud800\\uFFFE"')
    edit(root, MEETING, "place: Mødelokale 1", 'place: "Møde\\x00lokale\\u009f 1\\udfff"')
    edit(root, ITEM, "title: Dagsorden for dagens møde", 'title: "Dagsorden\\x00 for dagens\\a møde\\ud800"')
    edit(root, ITEM, "kind: B\n", 'kind: B\nfollowup:\n  - action: "Send\\0 notat\\x9f til \\ud83d\\ude00 Bo\\uFFFF"\n'
                                  '    owner: "Sekre\\u00adtariatet\\e"\n')
    edit(root, BILAG_ITEM, "  - title: Notat om ledighed", '  - title: "Notat om\\x1f ledighed\\uFFFF"')


def test_escapes_build_valid_documents_with_the_clean_text(project, capsys):
    _escape_everywhere(project)
    status, err = run(project, capsys)
    assert status == 0, err
    assert "Traceback" not in err and "intern fejl" not in err
    assert f"{COUNCIL}:1: {CLEANED}" in err.splitlines()
    assert f"{MEETING}:5: {CLEANED}" in err.splitlines()
    documents = sorted((project / OUTPUT).glob("*.docx"))
    assert any(p.name == "2023-01-10 Referat RAR Test.docx" for p in documents), documents
    for document in documents:
        with zipfile.ZipFile(document) as z:
            for name in z.namelist():
                if name.endswith((".xml", ".rels")):
                    text = z.read(name).decode("utf-8")
                    etree.fromstring(text.encode("utf-8"))  # well-formed
                    assert not BANNED & set(text), f"{document.name}/{name}"
    referat = plain_text(project / OUTPUT / "2023-01-10 Referat RAR Test.docx")
    for expected in ("RAR Test", "Mødelokale 1", "Dagsorden for dagens møde", "Notat om ledighed"):
        assert expected in referat
    everything = " ".join(plain_text(p) for p in documents)
    assert "Send notat til \U0001f600 Bo" in everything


def test_escapes_in_front_matter_are_warned(project, capsys):
    _escape_everywhere(project)
    status, err = run(project, capsys, "check")
    assert status == 0, err
    assert f"{ITEM}:2: {CLEANED}" in err.splitlines()
    assert f"{BILAG_ITEM}:6: {CLEANED}" in err.splitlines()
