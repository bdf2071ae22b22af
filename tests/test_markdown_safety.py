"""Hostile Markdown: adversarial text converts in seconds, and only web links become links."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docxdump import dump, plain_text

from rardocs.cli import main
from rardocs.markdown import (
    MAX_MARKDOWN,
    WordWriter,
    is_web_link,
    parse,
    to_html,
    to_text,
    unsafe_links,
)
from rardocs.sandbox import DEFAULT_TEMPLATES

ITEM = "content/rar-test/2023-01-10/2.1-ledighed.md"
MEETING_OUT = "output/rar-test/2023-01-10"
SECONDS = 10  # a hang detector, not a benchmark: each step takes well under a second or two

#: Repeated, each of these took Python-Markdown quadratic time or worse (from 10 s for
#: 10,000 "[" to hours), or crashed the build.
SHAPES = {
    "[": "[", "![": "![", "[x](": "[x](", "[x](()": "[x](()", "[a][": "[a][", "[]": "[]",
    "backslash": "\\", "escapes": "\\*", "list": "\n- ", "deep list": None, "quote": ">", "quote lines": "> q\n",
    "stars": "*_", "strong": "**a** ", "code": "`a` ", "backticks": "`", "<": "<", "&": "&",
    "table": None, "pipes": "|", "headings": "\n# a", "underlined": "a\n=\n", "rules": "---\n",
    "paragraph, heading": "p\n# h\n", "code, heading": "    c\n# h\n", "line breaks": "a  \n",
    "long line": "word ", "links": "[a](https://b.dk) ", "not web links": "[a](b) ", "bare urls": "https://a.dk ",
    "placeholder bug": "*[a](b)**[a](b)*[a](b)",
    # Found by benchmarks/fuzz.py: a long run of blanks inside a line made two regular
    # expressions backtrack quadratically (soft line breaks; a field name's marks).
    "blanks": None, "tabs": None, "marks": None,
}


def adversarial(shape: str, size: int) -> str:
    """``size`` characters of the shape named ``shape``."""
    if shape == "deep list":
        text, depth = "", 0
        while len(text) < size:
            text += " " * (2 * depth) + "- a\n"
            depth += 1
        return text[:size]
    if shape in ("blanks", "tabs", "marks"):
        unit = {"blanks": " ", "tabs": "\t", "marks": "#*_: "}[shape]
        return "a" + unit * ((size - 2) // len(unit)) + "b"
    if shape == "table":
        return ("| a | b |\n|---|---|\n" + "| x | y |\n" * (size // 10))[:size]
    unit = SHAPES[shape]
    return (unit * (size // len(unit) + 1))[:size]


def timed(step, *args) -> float:
    start = time.perf_counter()
    step(*args)
    return time.perf_counter() - start


def to_word(text: str) -> list:
    document = docx.Document(DEFAULT_TEMPLATES / "referat.docx")
    return WordWriter(document.part, document.part.numbering_part.element).markdown(text)


@pytest.mark.parametrize("size", [MAX_MARKDOWN, 1_000_000], ids=["longest-markdown", "1MB"])
@pytest.mark.parametrize("shape", SHAPES)
def test_adversarial_text_converts_in_seconds(shape, size):
    text = adversarial(shape, size)
    for step in (parse, to_word, to_html, to_text):
        assert timed(step, text) < SECONDS, step.__name__
    if size > MAX_MARKDOWN:  # shown as typed, without Markdown
        assert re.sub(r"\s", "", "".join(p.text for p in parse(text))) == re.sub(r"\s", "", text)


@pytest.mark.parametrize("shape", ["[", "![", "[x](", "backslash", "list", "blanks", "tabs", "marks"])
def test_a_field_of_the_longest_markdown_builds_in_seconds(project, shape, capsys):
    item = project / ITEM
    body = adversarial(shape, MAX_MARKDOWN - 10).strip()
    item.write_text(item.read_text(encoding="utf-8").replace("Ledigheden er faldet til **3,9 %**.", body), encoding="utf-8")
    assert timed(main, ["build", "--root", str(project)]) < 2 * SECONDS
    assert (project / MEETING_OUT / "2023-01-10 Referat RAR Test.docx").exists(), capsys.readouterr().err


def test_a_longer_field_is_refused_at_once(project, capsys):
    item = project / ITEM
    item.write_text(item.read_text(encoding="utf-8").replace("Ledigheden er faldet til **3,9 %**.", "[" * 1_000_000),
                    encoding="utf-8")
    start = time.perf_counter()
    assert main(["build", "--root", str(project)]) == 1
    assert time.perf_counter() - start < SECONDS
    assert (f"{ITEM}:12: teksten er for lang: 1.000.000 tegn (højst 100.000); forkort den, eller læg den i et bilag"
            in capsys.readouterr().err.splitlines())
    assert not (project / "output").exists()


# -- links ------------------------------------------------------------------------------

@pytest.mark.parametrize("href", ["https://star.dk", "HTTP://bm.dk", "mailto:rar@star.dk", "  https://star.dk"])
def test_web_links(href):
    assert is_web_link(href)


@pytest.mark.parametrize("href", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", " \x01javascript:alert(1)",
    "data:text/html,<script>", "vbscript:msgbox", "file:///C:/x.pdf", "\\\\server\\share", "bilag/notat.pdf",
    "//evil.example", "#top", "", "ht tps://star.dk", "https:star.dk",
])
def test_not_web_links(href):
    assert not is_web_link(href)


FIELD = """Se [notatet](javascript:alert(1)) og [mappen](\\\\server\\share).
Også [data](data:text/html;base64,PHNjcmlwdD4=), [filen](file:///C:/x.pdf) og [vb](vbscript:msgbox).
Relativt: [bilaget](bilag/notat.pdf), [tab](java\tscript:alert(2)) og [store](JaVaScRiPt:alert(3)).
Men [STAR](https://star.dk), [BM](http://bm.dk) og [skriv](mailto:rar@star.dk) er links, og ![logo](javascript:x) et billede."""

WARNED = {  # line in the item file: target as typed
    12: ["javascript:alert(1)", "\\\\server\\share"],
    13: ["data:text/html;base64,PHNjcmlwdD4=", "file:///C:/x.pdf", "vbscript:msgbox"],
    14: ["bilag/notat.pdf", "java script:alert(2)", "JaVaScRiPt:alert(3)"],
}


def link_warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if "er ikke en webadresse" in line]


def expected_warnings(path: str, first_line: int) -> list[str]:
    return sorted(f"{path}:{line + first_line - 12}: advarsel: linket '{target}' er ikke en webadresse og vises som tekst"
                  " (brug https://, http:// eller mailto:)" for line, targets in WARNED.items() for target in targets)


def hyperlinks(docx_path: Path) -> set[str]:
    with zipfile.ZipFile(docx_path) as z:
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
    return set(re.findall(r'Target="([^"]*)"[^>]*TargetMode="External"', rels))


def test_links_that_are_not_web_links_are_text_with_a_warning(project, capsys):
    item = project / ITEM
    item.write_text(item.read_text(encoding="utf-8").replace("Ledigheden er faldet til **3,9 %**.", FIELD), encoding="utf-8")
    assert main(["build", "--root", str(project)]) == 0
    assert link_warnings(capsys.readouterr().err) == expected_warnings(ITEM, 12)
    for kind in ("Dagsorden", "Referat"):
        path = project / MEETING_OUT / f"2023-01-10 {kind} RAR Test.docx"
        assert hyperlinks(path) == {"https://star.dk", "http://bm.dk", "mailto:rar@star.dk", "https://example.dk/notat.pdf"}
        text = dump(path)
        assert ("[Felttekst] Sagen kort:\tSe notatet og mappen. Også data, filen og vb. Relativt: bilaget, tab og store. Men"
                " [STAR](https://star.dk), [BM](http://bm.dk) og [skriv](mailto:rar@star.dk) er links, og logo et billede."
                ) in text.splitlines()
        assert "javascript" not in text.lower() and "server" not in text


def test_press_release_html_and_text_have_only_web_links(project, capsys):
    (project / "content/rar-test/presse").mkdir()
    (project / "content/rar-test/presse/2023-01-11-links.md").write_text(
        f"---\ntitle: Links\ndate: 2023-01-11\n---\n\n{FIELD}\n", encoding="utf-8")
    assert main(["build", "--root", str(project)]) == 0
    press = "content/rar-test/presse/2023-01-11-links.md"
    assert link_warnings(capsys.readouterr().err) == expected_warnings(press, 6)
    folder = project / "output/rar-test/presse"
    html = (folder / "2023-01-11 Pressemeddelelse links.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', html)
    assert all(is_web_link(h) for h in hrefs) and "<img" not in html and 'href="javascript:' not in html.lower()
    assert '<a href="https://star.dk">STAR</a>' in html and '<a href="mailto:rar@star.dk">skriv</a>' in html
    assert "Se notatet og mappen." in html
    text = (folder / "2023-01-11 Pressemeddelelse links.txt").read_text(encoding="utf-8")
    assert "Se notatet og mappen. Også data, filen og vb." in text and "STAR (https://star.dk)" in text
    assert "javascript" not in text.lower()
    assert hyperlinks(folder / "2023-01-11 Pressemeddelelse links.docx") >= {"https://star.dk", "http://bm.dk"}
    assert not any(not is_web_link(h) for h in hyperlinks(folder / "2023-01-11 Pressemeddelelse links.docx"))


def test_unsafe_links_are_listed_once_at_the_line_they_are_typed():
    text = "Tekst.\n\n[a][r] og [b][r]\n<javascript://x> og [c](\\\\server\\share)\n\n[r]: bilag/x.pdf"
    assert unsafe_links(text) == [(5, "bilag/x.pdf"), (3, "javascript://x"), (3, "\\\\server\\share")]
    assert unsafe_links("[a](https://star.dk) [b](mailto:x@y.dk) https://bm.dk www.star.dk") == []


def test_a_bare_address_is_one_link_even_inside_a_link_or_bold():
    assert to_html("[https://star.dk](https://star.dk) **www.star.dk**") == (
        '<p><a href="https://star.dk">https://star.dk</a> <strong><a href="https://www.star.dk">www.star.dk</a></strong></p>')


def test_a_quote_is_in_the_text_form():
    assert to_text("> Citat\n\nEfter") == "Citat\n\nEfter"


def test_a_heading_with_a_long_run_of_blanks_is_read_at_once(project, capsys):
    """``##`` then 100,000 blanks then the field's name (found by benchmarks/fuzz.py: a hang)."""
    item = project / ITEM
    text = item.read_text(encoding="utf-8").replace("## Beslutning", "##" + " " * 100_000 + "Beslutning  ##")
    item.write_text(text, encoding="utf-8")
    assert timed(main, ["build", "--root", str(project)]) < SECONDS
    assert "Rådet tog orienteringen til efterretning." in plain_text(project / MEETING_OUT / "2023-01-10 Referat RAR Test.docx")
