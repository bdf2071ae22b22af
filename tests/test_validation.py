"""Validation rules beyond single broken files: every field-heading slip, file numbers, year typos.

The exact messages of single cases are in ``tests/broken/``; these tests run a
rule over many variants, or check warnings (which ``tests/broken/`` cannot, as a
warning alone does not fail a build).
"""

from __future__ import annotations

import datetime as dt

import pytest

from rardocs.cli import main
from rardocs.model import FIELD_NAMES
from rardocs.validate.checker import year_typo

M = "content/rar-test/2023-01-10"
ITEM = f"{M}/1.1-dagsorden.md"


def run(capsys, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(list(argv))
    return status, capsys.readouterr().err


def problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("content/")]


def write_item(root, body: str, field: str = "Sagen kort") -> None:
    """Item 1.1 (kind O, so that it needs no Indstilling) with ``body`` under ``## field``, from line 9."""
    front = "---\ntitle: Dagsorden for dagens møde\nsection: 1\nkind: O\n---\n"
    (root / ITEM).write_text(f"{front}\n## {field}\n\n{body}\n", encoding="utf-8")


# --- a field heading written at the wrong level --------------------------------------------

SLIPS = ["# {}", "### {}", "#### {}:", "{}:", "{}", "{} :", "**{}**", "**{}:**", "**{}**:", "__{}__", "*{}*",
         "### **{}**", "{}:   ", "  {}"]


@pytest.mark.parametrize("slip", SLIPS)
@pytest.mark.parametrize("name", FIELD_NAMES)
@pytest.mark.parametrize("case", [str, str.lower, str.upper])
def test_field_name_alone_on_a_line_is_an_error(project, capsys, slip, name, case):
    line = slip.format(case(name))
    host = "Sagsfremstilling" if name == "Sagen kort" else "Sagen kort"
    write_item(project, f"Tekst.\n\n{line}\n\nMere tekst.", host)
    status, err = run(capsys, "check", "--root", str(project))
    assert status == 1, err
    assert problem_lines(err) == [f"{ITEM}:11: '{line.strip()}' ligner feltet {name}; skriv '## {name}'"]


def test_field_slip_in_the_text_before_the_first_field(project, capsys):
    (project / ITEM).write_text("---\ntitle: Dagsorden\nsection: 1\nkind: O\n---\n\nBeslutning:\nGodkendt.\n",
                                encoding="utf-8")
    status, err = run(capsys, "check", "--root", str(project))
    assert status == 1
    assert problem_lines(err) == [f"{ITEM}:7: 'Beslutning:' ligner feltet Beslutning; skriv '## Beslutning'"]


@pytest.mark.parametrize("text", [
    "Beslutning: Rådet godkendte dagsordenen.",    # a sentence, not a heading
    "Rådets beslutning:",
    "- Bilag",                                     # a list item
    "| Bilag | Side |\n|---|---|\n| Notat | 2 |",  # a table
    "```\n## Beslutning\nBeslutning:\n**Bilag**\n```",  # code
    "~~~\n### Indstilling\n~~~",
    "Sagen kort er, at …",
    "**Sagen kort:** ledigheden falder.",
])
def test_field_names_in_running_text_are_fine(project, capsys, text):
    write_item(project, f"Tekst.\n\n{text}\n\nMere tekst.")
    status, err = run(capsys, "check", "--root", str(project))
    assert status == 0, err
    assert err == ""


def test_own_field_name_inside_the_field_is_fine(project, capsys):
    """``**Beslutning:**`` under ``## Beslutning`` puts nothing in the wrong field."""
    write_item(project, "**Beslutning:**\n\nGodkendt.", "Beslutning")
    status, err = run(capsys, "check", "--root", str(project))
    assert status == 0, err


def test_example_archive_has_no_field_slips(example_project, capsys):
    status, err = run(capsys, "check", "--root", str(example_project))
    assert status == 0, err
    assert "ligner feltet" not in err and "filnavnet" not in err


# --- item file numbers ----------------------------------------------------------------------


def test_file_number_and_section_disagree_is_a_warning(project, capsys):
    (project / M / "2.1-ledighed.md").rename(project / M / "3.1-ledighed.md")
    status, err = run(capsys, "check", "--root", str(project))
    assert status == 0, err
    assert problem_lines(err) == [f"{M}/3.1-ledighed.md:3: advarsel: filnavnet begynder med 3.1, men punktet står i afsnit 2"]


@pytest.mark.parametrize("filename, warned", [("2.1.1-ledighed.md", False), ("1.1.1-ledighed.md", True),
                                              ("ledighed.md", False), ("02.1-ledighed.md", False)])
def test_file_number_with_three_part_numbers(project, capsys, filename, warned):
    """With items numbered ``{section}.{item}.1`` the file name's first number is still the section."""
    council = project / "content/rar-test/council.yaml"
    council.write_text(council.read_text(encoding="utf-8").replace('item: "{section}.{item}"', 'item: "{section}.{item}.1"'),
                       encoding="utf-8")
    (project / M / "2.1-ledighed.md").rename(project / M / filename)
    status, err = run(capsys, "check", "--root", str(project))
    assert status == 0, err
    expected = [f"{M}/{filename}:3: advarsel: filnavnet begynder med 1.1.1, men punktet står i afsnit 2"] if warned else []
    assert problem_lines(err) == expected


# --- dates that are typos -------------------------------------------------------------------


@pytest.mark.parametrize("year, typo", [(1979, True), (1980, False), (2023, False), (2107, False), (2108, True),
                                        (2202, True), (9999, True)])
def test_year_range(year, typo):
    message = year_typo(dt.date(year, 1, 1))
    assert (message == f"årstallet {year} ligner en tastefejl (datoen skal ligge mellem 1980 og 2107)") is typo
    assert (message is None) is not typo


def test_meeting_folder_year_typo_is_an_error_not_a_crash(project, capsys):
    (project / M).rename(project / "content/rar-test/9999-12-31")
    meeting = project / "content/rar-test/9999-12-31/meeting.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("date: 2023-01-10", "date: 9999-12-31"), encoding="utf-8")
    for command in ("build", "check"):
        status, err = run(capsys, command, "--root", str(project))
        assert status == 1, err
        assert "intern fejl" not in err and "Traceback" not in err
        assert any(line.startswith("content/rar-test/9999-12-31") and "årstallet 9999 ligner en tastefejl" in line
                   for line in err.splitlines()), err
    assert not (project / "output").exists()
