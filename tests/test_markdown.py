"""Markdown → Word, one construct at a time, read back from a saved .docx."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
import zipfile

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docxdump import dump
from rardocs.markdown import WordWriter, normalise_lists
from rardocs.sandbox import DEFAULT_TEMPLATES


def convert(text: str, tmp_path) -> list[str]:
    """The dump lines of a document whose body is ``text`` converted."""
    document = docx.Document(DEFAULT_TEMPLATES / "referat.docx")
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    writer = WordWriter(document.part, document.part.numbering_part.element)
    sect = body[-1]
    for element in writer.markdown(text):
        sect.addprevious(element)
    path = tmp_path / "out.docx"
    document.save(path)
    return [line for line in dump(path).splitlines() if not line.startswith(("header", "footer"))]


def test_paragraphs_and_soft_breaks(tmp_path):
    lines = convert("Første linje\nfortsætter her.\n\nAndet afsnit.", tmp_path)
    assert lines == ["[Normal] Første linje fortsætter her.", "[Normal] Andet afsnit."]


def test_hard_break_is_a_line_break(tmp_path):
    assert "\n".join(convert("Linje et  \nlinje to", tmp_path)) == "[Normal] Linje et\nlinje to"
    assert _document_xml("Linje et  \nlinje to", tmp_path).count("<w:br/>") == 1


def test_bold_and_italic_are_run_properties(tmp_path):
    document_xml = _document_xml("Det er **vigtigt** og *kursivt*.", tmp_path)
    assert "<w:b/>" in document_xml and "<w:i/>" in document_xml
    assert "**" not in document_xml and "*kursivt*" not in document_xml


def test_bullet_list(tmp_path):
    assert convert("Tekst:\n\n- en\n- to", tmp_path) == [
        "[Normal] Tekst:", "[ListParagraph/0] • en", "[ListParagraph/0] • to"]


@pytest.mark.parametrize("indent", [2, 4])
def test_nested_lists_with_two_or_four_spaces(indent, tmp_path):
    pad = " " * indent
    text = f"- en\n{pad}- under en\n{pad}{pad}- dybere\n- to"
    assert convert(text, tmp_path) == [
        "[ListParagraph/0] • en", "[ListParagraph/1] – under en", "[ListParagraph/2] ▪ dybere", "[ListParagraph/0] • to"]


def test_numbered_lists_restart(tmp_path):
    lines = convert("1. a\n2. b\n\nMellem.\n\n1. c\n2. d", tmp_path)
    assert lines == ["[ListParagraph/0] 1. a", "[ListParagraph/0] 2. b", "[Normal] Mellem.",
                     "[ListParagraph/0] 1. c", "[ListParagraph/0] 2. d"]


def test_every_list_is_a_numbering_instance_of_its_own_after_the_templates():
    document = docx.Document(DEFAULT_TEMPLATES / "referat.docx")
    numbering = document.part.numbering_part.element
    q = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    before = [int(n.get(f"{q}numId")) for n in numbering.findall(f"{q}num")]
    writer = WordWriter(document.part, numbering)
    for _ in range(3):
        writer.markdown("- en\n- to\n\nTekst.\n\n1. tre\n    - fire")
    after = [int(n.get(f"{q}numId")) for n in numbering.findall(f"{q}num")]
    assert after == before + list(range(max(before, default=0) + 1, max(before, default=0) + 10))


def test_numbered_list_keeps_its_start(tmp_path):
    assert convert("3. tre\n4. fire", tmp_path) == ["[ListParagraph/0] 3. tre", "[ListParagraph/0] 4. fire"]


@pytest.mark.parametrize("markers, shown", [
    (("a.", "b."), ("a.", "b.")),
    (("A.", "B."), ("A.", "B.")),
    (("A)", "B)"), ("A)", "B)")),
    (("1)", "2)"), ("1)", "2)")),
])
def test_lettered_points_directly_after_a_colon_line(markers, shown, tmp_path):
    text = f"Formandskabet indstiller, at Rådet:\n{markers[0]} Drøfter indspil\n{markers[1]} Godkender initiativerne"
    assert convert(text, tmp_path) == [
        "[Normal] Formandskabet indstiller, at Rådet:",
        f"[ListParagraph/0] {shown[0]} Drøfter indspil",
        f"[ListParagraph/0] {shown[1]} Godkender initiativerne",
    ]


def test_a_wrapped_line_starting_with_a_number_is_not_a_list(tmp_path):
    assert convert("Rådet mødtes den\n7. september i Aarhus.", tmp_path) == [
        "[Normal] Rådet mødtes den 7. september i Aarhus."]


def test_list_item_with_several_paragraphs(tmp_path):
    text = "A) Første punkt.\n\n    Mere om første punkt.\n\nB) Andet punkt."
    assert convert(text, tmp_path) == [
        "[ListParagraph/0] A) Første punkt.", "[ListParagraph] Mere om første punkt.", "[ListParagraph/0] B) Andet punkt."]


def test_links_are_hyperlinks(tmp_path):
    lines = convert("Se [rapporten](https://example.dk/a?b=1&c=2), <https://rar-bm.dk/> og https://www.jobindsats.dk/x.", tmp_path)
    assert lines == ["[Normal] Se [rapporten](https://example.dk/a?b=1&c=2), [https://rar-bm.dk/](https://rar-bm.dk/)"
                     " og [https://www.jobindsats.dk/x](https://www.jobindsats.dk/x)."]


def test_a_bare_url_running_into_an_autolink(tmp_path):
    assert convert("https://e.dk/a_b<https://x.dk>", tmp_path) == [
        "[Normal] [https://e.dk/a_b](https://e.dk/a_b)[https://x.dk](https://x.dk)"]


def test_table_with_header_row(tmp_path):
    text = "Tabel 1\n\n| Kommune | Ledige |\n|---|--:|\n| Aarhus | 1.754 |\n| Randers | 3,9 |"
    lines = convert(text, tmp_path)
    assert lines == ["[Normal] Tabel 1", "| Kommune | Ledige |", "| Aarhus | 1.754 |", "| Randers | 3,9 |"]
    xml = _document_xml(text, tmp_path)
    assert "<w:tblHeader/>" in xml and 'w:val="TableGrid"' in xml and 'w:jc w:val="right"' in xml


def test_content_is_data(tmp_path):
    text = "{{ x }} {% if %} <script>alert(1)</script> & &amp; 5 < 6 \\*ikke kursiv\\* 😀"
    assert convert(text, tmp_path) == ["[Normal] " + text.replace("\\*", "*")]


def test_headings_inside_a_field(tmp_path):
    assert convert("### Tilbud\n\nTekst", tmp_path) == ["[Heading3] Tilbud", "[Normal] Tekst"]


def test_normalise_lists_inserts_blank_line_before_bullets():
    assert normalise_lists(["Tekst", "- en", "  - to"]) == ["Tekst", "", "- en", "    - to"]


def _document_xml(text: str, tmp_path) -> str:
    convert(text, tmp_path)
    with zipfile.ZipFile(tmp_path / "out.docx") as z:
        return z.read("word/document.xml").decode()


def test_blockquote_with_a_table_and_a_list(tmp_path):
    assert convert("> Citat\n>\n> - punkt\n>\n> | a |\n> |---|\n> | 1 |", tmp_path) == [
        "[Quote] Citat", "[Quote/0] • punkt", "| a |", "| 1 |"]


# --- a text in which no inline pattern can match is left as it is ----------------------

def test_the_inline_patterns_are_those_the_shortcut_was_written_for():
    """bounded._MAY_MATCH names what each inline pattern's regular expression needs: a
    pattern added or changed must be added to it (and here)."""
    from rardocs.markdown import bounded
    from rardocs.markdown.reader import new_parser

    patterns = new_parser().inlinePatterns
    assert sorted(item.name for item in patterns._priority) == sorted(bounded.INLINE_PATTERNS)
    assert {name: patterns[name].pattern for name in ("backtick", "escape", "autolink", "linebreak", "em_strong")} == {
        "backtick": r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", "escape": r"\\(.)",
        "autolink": r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", "linebreak": r"  \n", "em_strong": r"\*|_"}
    assert {patterns[name].pattern for name in bounded.INLINE_PATTERNS[2:8]} == {r"(?<!\!)\[", r"\!\["}


MARKDOWN_PIECES = ["a", "B", "æ", " ", "  ", "\n", "\n\n", "*", "_", "`", "\\", "[", "]", "(", ")", "!", "<", ">",
                   "#", "-", "1.", ":", "|", "&", "https://x.dk", "www.x.dk", "HTTP://Y.DK", "http:", "www", "\t"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=40).map("".join))
def test_the_shortcut_changes_nothing(text):
    assert_same_without_shortcut("_MAY_MATCH", text)  # every text tried with every pattern


def assert_same_without_shortcut(name: str, text: str) -> None:
    """``text`` converts to the same HTML and tree when the shortcut ``bounded.<name>`` (a
    regular expression that, where it finds nothing, lets Python-Markdown's work be
    skipped) finds something everywhere."""
    from rardocs.markdown import bounded, reader

    shortcut = reader.convert(text)
    saved = getattr(bounded, name)
    setattr(bounded, name, re.compile(""))
    try:
        every = reader.convert(text)
    finally:
        setattr(bounded, name, saved)
    assert shortcut[0] == every[0] and shortcut[2] == every[2]
    assert etree.tostring(shortcut[1]) == etree.tostring(every[1])


# --- a block that only the paragraph processor can take goes to it at once --------------

def test_the_block_processors_are_those_the_shortcut_was_written_for():
    """bounded._MAY_BE_BLOCK names what each block processor's test needs: a processor
    added or changed must be added to it (and here)."""
    from rardocs.markdown import bounded
    from rardocs.markdown.reader import new_parser

    processors = new_parser().parser.blockprocessors
    assert sorted(item.name for item in processors._priority) == sorted(bounded.BLOCK_PROCESSORS)
    processors._sort()
    assert processors._priority[-1].name == "paragraph" and processors["paragraph"].test(None, "x")


BLOCK_PIECES = ["Rådet", " a", "æ.", " ", "    ", "\n", "\n\n", "1. ", "12) ", "A) ", "b. ", "- ", "* ", "+ ", "# ",
                "## ", "> ", "|", "===", "---", "***", "___", "[x]: https://a.dk", "[x]", "(y)", ":", "3,9 %", "\t",
                "**", "_", "2022-09-29", "Punkt 2.1."]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(BLOCK_PIECES), max_size=40).map("".join))
def test_the_paragraph_shortcut_changes_nothing(text):
    assert_same_without_shortcut("_MAY_BE_BLOCK", text)  # every block tried by every processor
