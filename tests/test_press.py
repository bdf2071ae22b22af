"""Press releases in three forms, with Danish dates and the council's boilerplate."""

from __future__ import annotations

from pathlib import Path

import pytest

from docxdump import dump
from rardocs.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden"
STEM = "2022-09-30 Pressemeddelelse positivlisten"


@pytest.fixture(scope="module")
def press(example_output) -> Path:
    return example_output / "rar-oestjylland" / "presse"


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
    assert lines[2:5] == ["[Etiket] Pressemeddelelse", "[Normal] 30. september 2022",
                          "[Title] Fire nye kurser i grøn omstilling på positivlisten i Østjylland"]
    assert "header1: [Header] Pressemeddelelse fra RAR Østjylland" in lines
    assert any(line.startswith("[Manchet] ") for line in lines)
    # The decision of item 2.1 is pulled from the meeting.
    assert ("[Feltnavn] Rådets beslutning den 29. september 2022: Justering af positivlisten for regional"
            " uddannelsespulje pr. 1. oktober 2022") in lines
    assert any(line.startswith("[Normal] Rådet godkendte de fire indmeldte kurser som indstillet.") for line in lines)
    assert any(line.startswith("[Quote] »") and line.endswith("«") for line in lines)
    assert "[Normal] – Jesper Thorup, formand for RAR Østjylland" in lines
    assert "[Heading2] Yderligere oplysninger" in lines and "[Heading2] Om RAR Østjylland" in lines


def test_html_is_a_danish_page(press):
    html = (press / f"{STEM}.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"da\">")
    assert "<time>30. september 2022</time>" in html
    assert "<li>Ledelse af bæredygtighed, akademimodul, 5 ECTS</li>" in html


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
    assert "Yderligere oplysninger" not in text  # the test council has no press contact
    assert "»Citat«\n– Anna Andersen" in text
    assert "[Title] {{ x }} & <b>" in dump(folder / "2023-02-01 Pressemeddelelse data.docx")


def test_a_title_longer_than_a_word_property_builds(project, capsys):
    """Word takes 255 characters in a document property (found by benchmarks/fuzz.py)."""
    folder = project / "content/rar-test/presse"
    folder.mkdir()
    title = "Lang overskrift " * 40
    (folder / "2023-01-11-lang.md").write_text(f"---\ntitle: {title}\ndate: 2023-01-11\n---\n\nTekst.\n", encoding="utf-8")
    assert main(["build", "--root", str(project)]) == 0, capsys.readouterr().err
    docx = project / "output/rar-test/presse/2023-01-11 Pressemeddelelse lang.docx"
    assert title.strip() in dump(docx)
