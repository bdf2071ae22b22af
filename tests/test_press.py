"""Press releases in three forms, with Danish dates and the council's boilerplate."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

from docxdump import dump
from rardocs import load
from rardocs.cli import main
from rardocs.press import press_context

GOLDEN = Path(__file__).resolve().parent / "golden"
STEM = "2022-09-30 Pressemeddelelse positivlisten"
OUT = "output/rar-oestjylland/presse"
POSITIVLISTEN = "content/rar-oestjylland/2022-09-29/presse-positivlisten.md"
PRESS_FILES = ("content/rar-oestjylland/2022-09-29/presse-positivlisten.md",
               "content/rar-oestjylland/presse/2022-09-20-cnc-arbejdskraft.md",
               "content/rar-oestjylland/presse/2022-09-21-lagerprocesoperatoer.md")
DECISION = ("Rådet godkendte de fire indmeldte kurser som indstillet. Derudover besluttede Rådet at følge og evaluere"
            " bæredygtighedskurser (eks. ’ledelse af grøn omstilling’).")
ATTRIBUTION = "Fra referatet af RAR Østjyllands møde den 29. september 2022, punkt 2.1"
FIX_IT = "før pressemeddelelsen sendes"


@pytest.fixture(scope="module")
def press(example_output) -> Path:
    return example_output / "rar-oestjylland" / "presse"


def warnings(err: str) -> list[str]:
    """The warnings on press files (other files of the archive may have their own)."""
    return [line for line in err.splitlines() if ": advarsel: " in line and "/presse" in line.split(":", 1)[0]]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def paragraphs(lines: list[str]) -> list[str]:
    """A Word dump's paragraph texts, without the style."""
    return [line.split("] ", 1)[1] for line in lines if line.startswith("[") and "] " in line]


def test_three_press_releases_in_three_forms(press):
    names = sorted(p.name for p in press.iterdir())
    assert names == sorted(f"{stem}.{ext}" for stem in (
        "2022-09-20 Pressemeddelelse cnc-arbejdskraft", "2022-09-21 Pressemeddelelse lagerprocesoperatoer", STEM)
        for ext in ("docx", "txt", "html"))


@pytest.mark.parametrize("ext", ["docx", "txt", "html"])
def test_golden(press, ext, update_golden):
    path = press / f"{STEM}.{ext}"
    actual = dump(path) if ext == "docx" else path.read_text(encoding="utf-8")
    golden = GOLDEN / f"pressemeddelelse-positivlisten.{ext}.txt"
    if update_golden:
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_word_document(press):
    lines = dump(press / f"{STEM}.docx").splitlines()
    start = lines.index("[Etiket] Pressemeddelelse")
    assert lines[start + 1] == "[Normal] 30. september 2022"
    assert re.fullmatch(r"\[(Title|Heading1)\] Fire nye kurser i grøn omstilling på positivlisten i Østjylland",
                        lines[start + 2])
    assert "header1: [Header] Pressemeddelelse fra RAR Østjylland" in lines
    assert any(line.startswith("[Manchet] ") for line in lines)
    texts = paragraphs(lines)
    # decision: true: the first paragraph of item 2.1's decision as a quote, with where it is from.
    assert texts[texts.index(f"»{DECISION}«") + 1] == ATTRIBUTION
    assert not any("Rådets beslutning" in text for text in texts)
    assert any(line.startswith("[Quote] »") and line.endswith("«") for line in lines)
    assert "[Normal] – Jesper Thorup, formand for RAR Østjylland" in lines
    assert "[Heading2] Yderligere oplysninger" in lines and "[Heading2] Om RAR Østjylland" in lines


# --- the decision only when asked -------------------------------------------------------


def test_the_decision_is_quoted_only_when_asked(example_project):
    edit(example_project / POSITIVLISTEN, "decision: true", "decision: false")
    assert main(["build", "--root", str(example_project)]) == 0
    folder = example_project / OUT
    text = (folder / f"{STEM}.txt").read_text(encoding="utf-8")
    html = (folder / f"{STEM}.html").read_text(encoding="utf-8")
    word = "\n".join(paragraphs(dump(folder / f"{STEM}.docx").splitlines()))
    for form in (text, html, word):
        assert "Rådet godkendte" not in form and "Fra referatet" not in form and "Rådets beslutning" not in form
        assert "Jobcentrene kan få 80 procent" in form  # the release itself is all there


def test_the_template_data_has_the_item_and_the_decision_only_when_asked(example_project):
    archive, _ = load(example_project)
    release = next(r for r in archive.press if r.slug == "presse-positivlisten")
    data = press_context(release)
    assert data["decision"] == {"text": DECISION, "attribution": ATTRIBUTION}
    item = data["item"]
    assert (item["title"], item["number"], item["meeting_date"]) == (
        "Justering af positivlisten for regional uddannelsespulje pr. 1. oktober 2022", "2.1", "29. september 2022")
    edit(example_project / POSITIVLISTEN, "decision: true", "decision: false")
    archive, _ = load(example_project)
    data = press_context(next(r for r in archive.press if r.slug == "presse-positivlisten"))
    assert data["decision"] is None and data["item"]["decision"] == "" and data["item"]["number"] == "2.1"
    assert press_context(next(r for r in archive.press if r.slug != "presse-positivlisten"))["item"]["title"] == ""


def test_the_word_document_shows_the_decision_as_a_quote(press):
    """With ``decision: true``: the quote in the Quote style and where it is from."""
    lines = dump(press / f"{STEM}.docx").splitlines()
    assert lines[lines.index(f"[Quote] »{DECISION}«") + 1] == f"[Normal] {ATTRIBUTION}"


def test_the_decision_in_text_and_html(press):
    text = (press / f"{STEM}.txt").read_text(encoding="utf-8")
    assert f"\n\n»{DECISION}«\n{ATTRIBUTION}\n\n" in text
    html = (press / f"{STEM}.html").read_text(encoding="utf-8")
    assert (f'<figure class="beslutning">\n<blockquote><p>»{DECISION}«</p></blockquote>\n'
            f"<figcaption>{ATTRIBUTION}</figcaption>\n</figure>") in html


def test_decision_without_an_item_is_an_error(project, capsys):
    write(project / "content/rar-test/presse/2023-01-11-x.md",
          "---\ntitle: Ledigheden falder\ndate: 2023-01-11\ndecision: true\n---\n\nTekst.\n")
    assert main(["build", "--root", str(project)]) == 1
    assert ("content/rar-test/presse/2023-01-11-x.md:4: 'decision: true' kræver 'item:' – punktet, hvis beslutning"
            " skal citeres (fx item: 2022-09-29/2.1)") in capsys.readouterr().err.splitlines()
    assert not (project / "output").exists()


def test_a_decision_not_yet_written_is_a_warning(project, capsys):
    edit(project / "content/rar-test/2023-01-10/2.1-ledighed.md",
         "## Beslutning\n\nRådet tog orienteringen til efterretning.\n", "")
    write(project / "content/rar-test/presse/2023-01-11-x.md",
          "---\ntitle: Ledigheden falder\ndate: 2023-01-11\nitem: 2023-01-10/2.1\ndecision: true\n---\n\nTekst.\n")
    assert main(["build", "--root", str(project)]) == 0
    assert warnings(capsys.readouterr().err) == [
        "content/rar-test/presse/2023-01-11-x.md:5: advarsel: punkt 2.1 har endnu ingen beslutning at citere"
        " (decision: true); pressemeddelelsen laves uden"]
    text = (project / "output/rar-test/presse/2023-01-11 Pressemeddelelse x.txt").read_text(encoding="utf-8")
    assert "Fra referatet" not in text


def test_a_decision_that_begins_with_a_colon_is_not_quoted(example_project, capsys):
    """Item 0.2's decision begins "… som Rådet arbejder videre ved:" and a list."""
    edit(example_project / POSITIVLISTEN, "item: 2022-09-29/2.1", "item: 2022-09-29/0.2")
    assert main(["build", "--root", str(example_project)]) == 0
    assert warnings(capsys.readouterr().err) == [
        f"{POSITIVLISTEN}:6: advarsel: beslutningen i punkt 0.2 begynder ikke med et afsnit, der kan stå alene som"
        " citat; skriv selv citatet under 'quote:', eller fjern 'decision: true'"]
    assert "Fra referatet" not in (example_project / OUT / f"{STEM}.txt").read_text(encoding="utf-8")


# --- placeholders -----------------------------------------------------------------------


def test_the_example_archive_has_no_warnings(example_project, capsys):
    assert main(["check", "--root", str(example_project)]) == 0
    out, err = capsys.readouterr()
    assert warnings(err) == [] and out.startswith("Indholdet er i orden: 2 møder, 3 pressemeddelelser")


def test_a_placeholder_press_contact_of_the_council_warns_on_every_release(example_project, capsys):
    edit(example_project / "content/rar-oestjylland/council.yaml", "    title: Arbejdsmarkedskontor Midt-Nord\n",
         '    title: Arbejdsmarkedskontor Midt-Nord\n    phone: "+45 00 00 00 00"\n    email: rar-oestjylland@example.dk\n')
    for command in ("check", "build"):
        assert main([command, "--root", str(example_project)]) == 0
        assert warnings(capsys.readouterr().err) == [
            f"{path}:1: advarsel: kontaktoplysningerne (fra content/rar-oestjylland/council.yaml:83) ligner pladsholdere:"
            f" '+45 00 00 00 00', 'rar-oestjylland@example.dk' – ret dem, {FIX_IT}" for path in sorted(PRESS_FILES)]
    # A release with its own contact does not use the council's.
    edit(example_project / POSITIVLISTEN, "illustrative: true\n",
         "illustrative: true\ncontact:\n  name: Sekretariatet\n  phone: 0\n")
    assert main(["check", "--root", str(example_project)]) == 0
    assert not any(POSITIVLISTEN in w for w in warnings(capsys.readouterr().err))


def test_one_placeholder_in_the_council_contact(project, capsys):
    edit(project / "content/rar-test/council.yaml", "members:", "press:\n  contact:\n    name: …\n    email: rar@star.dk\nmembers:")
    write(project / "content/rar-test/presse/2023-01-11-x.md", "---\ntitle: Ledigheden falder\ndate: 2023-01-11\n---\n\nTekst.\n")
    assert main(["check", "--root", str(project)]) == 0
    assert warnings(capsys.readouterr().err) == [
        "content/rar-test/presse/2023-01-11-x.md:1: advarsel: kontaktoplysningen (fra content/rar-test/council.yaml:10)"
        f" ligner en pladsholder: '…' – ret den, {FIX_IT}"]


PLACEHOLDERS = """\
---
title: TODO overskrift
date: 2023-02-01
lead: "…"
quote:
  text: "[indsæt citat fra formanden]"
  who: XX
contact:
  name: Anna Andersen
  phone: "+45 00 00 00 00"
  email: anna@example.com
---

Brødtekst med xx og TODO.

- …
- Se https://www.example.dk/side.
- Ledigheden falder … og XXL-tøj, Christian X og eksempler.dk er i orden.
"""


def test_placeholders_in_a_release_are_warnings_at_their_lines(project, capsys):
    path = "content/rar-test/presse/2023-02-01-pladsholdere.md"
    write(project / path, PLACEHOLDERS)
    expected = [
        f"{path}:2: advarsel: overskriften (title) indeholder en pladsholder: 'TODO' – ret den, {FIX_IT}",
        f"{path}:4: advarsel: manchetten (lead) indeholder en pladsholder: '…' – ret den, {FIX_IT}",
        f"{path}:6: advarsel: citatet (quote) indeholder en pladsholder: '[indsæt citat fra formanden]' – ret den, {FIX_IT}",
        f"{path}:7: advarsel: citatet (quote) indeholder en pladsholder: 'XX' – ret den, {FIX_IT}",
        f"{path}:10: advarsel: kontaktoplysningerne ligner pladsholdere: '+45 00 00 00 00', 'anna@example.com'"
        f" – ret dem, {FIX_IT}",
        f"{path}:14: advarsel: brødteksten indeholder pladsholdere: 'xx', 'TODO' – ret dem, {FIX_IT}",
        f"{path}:16: advarsel: brødteksten indeholder en pladsholder: '…' – ret den, {FIX_IT}",
        f"{path}:17: advarsel: brødteksten indeholder en pladsholder: 'https://www.example.dk/side' – ret den, {FIX_IT}",
    ]
    assert main(["check", "--root", str(project)]) == 0
    assert warnings(capsys.readouterr().err) == expected
    # The build prints the same warnings, and makes the release: a warning never stops a build.
    assert main(["build", "--root", str(project)]) == 0
    assert warnings(capsys.readouterr().err) == expected
    assert (project / "output/rar-test/presse/2023-02-01 Pressemeddelelse pladsholdere.txt").exists()


@pytest.mark.parametrize("phone", ["00000000", "0045 00 00 00 00", "+45 XX XX XX XX", "+45 …", "+45 12 34 …"])
def test_placeholder_phone_numbers(project, capsys, phone):
    write(project / "content/rar-test/presse/2023-01-11-x.md",
          f'---\ntitle: Ledigheden falder\ndate: 2023-01-11\ncontact:\n  name: Anna Andersen\n  phone: "{phone}"\n---\n')
    assert main(["check", "--root", str(project)]) == 0
    assert warnings(capsys.readouterr().err) == [
        f"content/rar-test/presse/2023-01-11-x.md:6: advarsel: kontaktoplysningen ligner en pladsholder: '{phone}'"
        f" – ret den, {FIX_IT}"]


@pytest.mark.parametrize("phone", ["+45 12 34 56 78", "+45 70 10 00 00", "112"])
def test_real_phone_numbers_are_no_placeholders(project, capsys, phone):
    write(project / "content/rar-test/presse/2023-01-11-x.md",
          f'---\ntitle: Ledigheden falder\ndate: 2023-01-11\ncontact:\n  name: Anna Andersen\n  phone: "{phone}"\n---\n')
    assert main(["check", "--root", str(project)]) == 0
    assert warnings(capsys.readouterr().err) == []


# --- the HTML page ----------------------------------------------------------------------


def strict_parse(page: str):
    """The page parsed by html5lib's strict parser, which raises on any parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


def test_html_is_a_valid_danish_page(press):
    for path in press.glob("*.html"):
        page = path.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>\n<html lang=\"da\">\n")
        root = strict_parse(page)
        assert root.get("lang") == "da"
        head = root.find("head")
        assert head.find("meta[@charset='utf-8']") is not None
        assert head.find("meta[@name='viewport']").get("content") == "width=device-width, initial-scale=1"
        assert head.find("title").text.endswith(" – RAR Østjylland")
        style = head.find("style").text
        assert "max-width: 40em" in style and "line-height: 1.5" in style and "system-ui" in style
        assert len(root.findall(".//h1")) == 1
        article = root.find("body/main/article")
        assert article is not None and article.find("header/h1") is not None
        # Nothing is fetched from elsewhere: no scripts, stylesheets, images or frames.
        assert not root.findall(".//script") and not root.findall(".//link") and not root.findall(".//img")
        assert "url(" not in style and "@import" not in style
        quote = article.find("figure[@class='citat']")
        assert quote.find("blockquote/p").text.startswith("»") and quote.find("figcaption").text.startswith("– ")
        assert article.find("section[@class='kontakt']/address") is not None
    root = strict_parse((press / f"{STEM}.html").read_text(encoding="utf-8"))
    time = root.find(".//header/p/time")
    assert (time.get("datetime"), time.text) == ("2022-09-30", "30. september 2022")
    assert root.find("head/title").text == "Fire nye kurser i grøn omstilling på positivlisten i Østjylland – RAR Østjylland"
    assert [li.text for li in root.findall(".//article/ul/li")][0] == "Ledelse af bæredygtighed, akademimodul, 5 ECTS"


def test_html_with_every_kind_of_content_is_valid(project):
    """Contact links, a table, lists, links and characters HTML gives a meaning."""
    edit(project / "content/rar-test/council.yaml", "members:", "about: |\n  Første afsnit\n  om rådet.\n\n  Andet afsnit.\nmembers:")
    write(project / "content/rar-test/presse/2023-02-01-alt.md", (
        "---\ntitle: \"Ledighed < 4 % & \\\"faldende\\\"\"\ndate: 2023-02-01\nlead: Manchet & mere.\n"
        "quote:\n  text: Citat <i>\n  who: Anna Andersen\n  role: formand\n"
        "contact:\n  name: Anna Andersen\n  title: formand\n  phone: +45 12 34 56 78\n  email: anna@star.dk\n---\n\n"
        "Se [STAR](https://star.dk) & https://bm.dk.\n\n| Kommune | Ledige |\n|---|--:|\n| Aarhus | 1.754 |\n\n"
        "a. første\nb. anden\n\n1. et\n   - under\n"))
    assert main(["build", "--root", str(project)]) == 0
    page = (project / "output/rar-test/presse/2023-02-01 Pressemeddelelse alt.html").read_text(encoding="utf-8")
    root = strict_parse(page)
    assert root.find(".//h1").text == 'Ledighed < 4 % & "faldende"'
    assert root.find("head/title").text == 'Ledighed < 4 % & "faldende" – RAR Test'
    address = root.find(".//section[@class='kontakt']/address")
    assert [(a.get("href"), a.text) for a in address.findall("a")] == [
        ("tel:+4512345678", "+45 12 34 56 78"), ("mailto:anna@star.dk", "anna@star.dk")]
    assert [p.text for p in root.findall(".//section[@class='om']/p")] == ["Første afsnit om rådet.", "Andet afsnit."]
    assert root.find(".//article/table") is not None and root.find(".//figure[@class='citat']/blockquote/p").text == "»Citat <i>«"


# --- the text form ----------------------------------------------------------------------


def test_text_keeps_every_paragraph_on_one_line(project):
    edit(project / "content/rar-test/council.yaml", "members:", "about: |\n  Første afsnit\n  om rådet.\n\n  Andet afsnit.\nmembers:")
    write(project / "content/rar-test/presse/2023-02-01-linjer.md", (
        "---\ntitle: Ledigheden\n  falder\ndate: 2023-02-01\nlead: |\n  Første linje af manchetten\n  og anden linje.\n"
        "quote:\n  text: >\n    Et citat over\n    to linjer.\n  who: Anna Andersen\n  role: formand\n"
        "contact:\n  name: Anna Andersen\n  title: formand\n  email: anna@star.dk\n---\n\n"
        "Et afsnit, der er\nbrudt over tre\nlinjer.\n\nPunkter:\n\n- et punkt, der fortsætter\n  på næste linje\n"
        "- andet punkt\n    1. underpunkt\n\nSidste afsnit med et [link](https://star.dk).\n"))
    assert main(["build", "--root", str(project)]) == 0
    text = (project / "output/rar-test/presse/2023-02-01 Pressemeddelelse linjer.txt").read_text(encoding="utf-8")
    assert text == (
        "PRESSEMEDDELELSE\n\n1. februar 2023\n\nLedigheden falder\n\nFørste linje af manchetten og anden linje.\n\n"
        "Et afsnit, der er brudt over tre linjer.\n\nPunkter:\n\n"
        "- et punkt, der fortsætter på næste linje\n- andet punkt\n   1. underpunkt\n\n"
        "Sidste afsnit med et link (https://star.dk).\n\n"
        "»Et citat over to linjer.«\n– Anna Andersen, formand\n\n"
        "Yderligere oplysninger\nAnna Andersen, formand\nE-mail: anna@star.dk\n\n"
        "Om RAR Test\nFørste afsnit om rådet.\n\nAndet afsnit.\n")


def test_text_keeps_a_loose_list_one_item_a_line(project):
    write(project / "content/rar-test/presse/2023-02-01-liste.md",
          "---\ntitle: Liste\ndate: 2023-02-01\n---\n\n- første\n\n- anden\n")
    assert main(["build", "--root", str(project)]) == 0
    text = (project / "output/rar-test/presse/2023-02-01 Pressemeddelelse liste.txt").read_text(encoding="utf-8")
    assert "\n\n- første\n- anden\n" in text


def test_text_of_the_example_has_no_hard_wraps(press):
    for path in press.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n") and not text.endswith("\n\n") and "\n\n\n" not in text
        for block in text.rstrip("\n").split("\n\n"):
            lines = block.split("\n")
            # A block of several lines is a list, a quote and who said it, or a heading and its lines.
            assert (len(lines) == 1 or all(line.startswith("- ") for line in lines)
                    or lines[0].startswith("»") and len(lines) == 2
                    or lines[0] in ("Yderligere oplysninger", "Om RAR Østjylland")), block


# --- as before --------------------------------------------------------------------------


def test_release_about_a_closed_item_is_refused(project, capsys):
    item = project / "content/rar-test/2023-01-10/2.1-ledighed.md"
    item.write_text(item.read_text(encoding="utf-8").replace("kind: O\n", "kind: O\nclosed: true\n"), encoding="utf-8")
    (project / "content/rar-test/presse").mkdir()
    (project / "content/rar-test/presse/2023-01-11-ledighed.md").write_text(
        "---\ntitle: Ledigheden falder\ndate: 2023-01-11\nitem: 2023-01-10/2.1\n---\n\nTekst.\n", encoding="utf-8")
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert ("content/rar-test/presse/2023-01-11-ledighed.md:4: punkt 2.1 er et lukket punkt og kan ikke bruges"
            " i en pressemeddelelse") in err
    assert not (project / "output").exists()


def test_contact_defaults_to_the_council_and_text_is_data(project):
    (project / "content/rar-test/presse").mkdir()
    (project / "content/rar-test/presse/2023-02-01-data.md").write_text(
        "---\ntitle: \"{{ x }} & <b>\"\ndate: 2023-02-01\nquote:\n  text: Citat\n  who: Anna Andersen\n---\n\n"
        "<script>alert(1)</script> & {% if %}\n", encoding="utf-8")
    assert main(["build", "--root", str(project)]) == 0
    folder = project / "output/rar-test/presse"
    text = (folder / "2023-02-01 Pressemeddelelse data.txt").read_text(encoding="utf-8")
    html = (folder / "2023-02-01 Pressemeddelelse data.html").read_text(encoding="utf-8")
    assert "{{ x }} & <b>" in text and "<script>alert(1)</script> & {% if %}" in text
    assert "<h1>{{ x }} &amp; &lt;b&gt;</h1>" in html and "&lt;script&gt;" in html and "<script>" not in html
    strict_parse(html)
    assert "Yderligere oplysninger" not in text  # the test council has no press contact
    assert "»Citat«\n– Anna Andersen" in text
    assert "{{ x }} & <b>" in paragraphs(dump(folder / "2023-02-01 Pressemeddelelse data.docx").splitlines())


def test_a_title_longer_than_a_word_property_builds(project, capsys):
    """Word takes 255 characters in a document property (found by benchmarks/fuzz.py)."""
    folder = project / "content/rar-test/presse"
    folder.mkdir()
    title = "Lang overskrift " * 40
    (folder / "2023-01-11-lang.md").write_text(f"---\ntitle: {title}\ndate: 2023-01-11\n---\n\nTekst.\n", encoding="utf-8")
    assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err
    docx = project / "output/rar-test/presse/2023-01-11 Pressemeddelelse lang.docx"
    assert title.strip() in dump(docx)
