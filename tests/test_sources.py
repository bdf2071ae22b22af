"""Which files make up the archive: one rule, used by the reader, the change detection and these tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rardocs.cli import main
from rardocs.incremental import _relative, units
from rardocs.sources import is_ignored, list_archive

M = "content/rar-test/2023-01-10"
ITEM = f"{M}/2.1-ledighed.md"

LEFTOVERS = [".udkast.md", "~$referat.docx", ".#2.1-ledighed.md", ".2.1-ledighed.md.swp", "2.1-ledighed.md~",
             "#2.1-ledighed.md#", ".DS_Store", "Thumbs.db", "desktop.ini"]


def run(capsys, *argv) -> tuple[int, list[str]]:
    capsys.readouterr()
    status = main([*argv])
    return status, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("name", LEFTOVERS)
def test_editor_leftovers_are_skipped_by_one_rule(project, capsys, name):
    assert is_ignored(name)
    for folder in (M, "content/rar-test/presse", "content/rar-test"):
        (project / folder).mkdir(exist_ok=True)
        (project / folder / name).write_text("---\ntitle: [ikke gyldig\n", encoding="utf-8")
    status, err = run(capsys, "build", "--root", str(project))
    assert (status, err) == (0, [])
    listing = list_archive(project / "content")
    every = [p for c in listing.councils for p in (*c.press, *(f for m in c.meetings for f in (*m.items, *m.others)))]
    assert not [p for p in every if p.name == name] and listing.findings == []
    assert not [u for u in units(listing) if name in u.key]


def test_a_draft_in_the_press_folder_is_no_crash(project, capsys):
    (project / "content/rar-test/presse").mkdir()
    (project / "content/rar-test/presse/.udkast.md").write_text("---\ntitle: Udkast\n---\n", encoding="utf-8")
    assert run(capsys, "build", "--root", str(project)) == (0, [])
    assert run(capsys, "build", "--root", str(project)) == (0, [])


@pytest.mark.parametrize("name, message", [
    ("2.1-ledighed.md.txt", "filen læses ikke: omdøb den til '2.1-ledighed.md' (Notesblok har tilføjet .txt)"),
    ("2.1-ledighed.MD", "filen læses ikke: omdøb den til '2.1-ledighed.md'"),
    ("2.1-ledighed.Md.txt", "filen læses ikke: omdøb den til '2.1-ledighed.md' (Notesblok har tilføjet .txt)"),
    ("2.1-ledighed - Kopi.md", "ligner en kopi af '2.1-ledighed.md'; slet den, eller giv den sit eget nummer og navn"),
    ("2.1-ledighed - Kopi (2).md", "ligner en kopi af '2.1-ledighed.md'; slet den, eller giv den sit eget nummer og navn"),
    ("2.1-ledighed - Copy.md", "ligner en kopi af '2.1-ledighed.md'; slet den, eller giv den sit eget nummer og navn"),
    ("2.1-andet.md", "begynder med samme nummer (2.1) som '2.1-andet.md'; giv hvert punkt sit eget nummer"),
    ("Meeting.yaml", "filen læses ikke: omdøb den til 'meeting.yaml'"),
    ("meeting.yml", "filen læses ikke: omdøb den til 'meeting.yaml'"),
])
def test_files_named_almost_right_are_errors_with_the_fix(project, capsys, name, message):
    shutil.copyfile(project / ITEM, project / M / name)
    status, err = run(capsys, "build", "--root", str(project))
    # Two items numbered alike: the later file in sort order is the one reported.
    shown = f"{M}/2.1-ledighed.md" if name == "2.1-andet.md" else f"{M}/{name}"
    assert status == 1
    assert f"{shown}: {message}" in err
    assert not (project / "output").exists()


def test_a_file_nothing_reads_is_a_warning_naming_it(project, capsys):
    (project / M / "2.1-ledighed.docx").write_bytes(b"PK")
    (project / "content/rar-test/noter.txt").write_text("x", encoding="utf-8")
    (project / "content/rar-test/presse").mkdir()
    (project / "content/rar-test/presse/billede.png").write_bytes(b"\x89PNG")
    status, err = run(capsys, "build", "--root", str(project))
    assert status == 0
    assert err == [
        "content/rar-test/2023-01-10/2.1-ledighed.docx: advarsel: bruges ikke: filen er hverken et punkt (.md), "
        "meeting.yaml eller et bilag, som et punkt henviser til med file:",
        "content/rar-test/noter.txt: advarsel: bruges ikke: i rådets mappe læses kun council.yaml, mapperne presse/ "
        "og templates/ og mødernes mapper",
        "content/rar-test/presse/billede.png: advarsel: bruges ikke: i presse/ læses kun pressemeddelelser (.md-filer)",
    ]


def test_a_meeting_folder_not_named_as_a_date_is_an_error_also_when_up_to_date(project, capsys):
    assert run(capsys, "build", "--root", str(project))[0] == 0
    shutil.copytree(project / M, project / "content/rar-test/2023-1-30")
    status, err = run(capsys, "build", "--root", str(project))
    assert status == 1
    assert err[0] == "content/rar-test/2023-1-30: en mødemappe skal hedde efter mødets dato, fx 2022-09-29"


def test_a_fifo_is_refused_not_read_forever(project, capsys):
    os.mkfifo(project / M / "3.1-fifo.md")
    status, err = run(capsys, "build", "--root", str(project))
    assert status == 1
    assert err[0] == f"{M}/3.1-fifo.md: er ikke en almindelig fil (fx en FIFO eller en enhed) og læses ikke"


def test_a_symlink_loop_is_refused(project, capsys):
    (project / M / "bilag").mkdir()
    (project / M / "bilag/loop.pdf").symlink_to(project / M / "bilag/loop.pdf")
    status, err = run(capsys, "build", "--root", str(project))
    assert status == 1
    assert err[0] == f"{M}/bilag/loop.pdf: et symbolsk link, der ikke peger på noget, der findes; slet det"


def test_a_file_name_that_is_not_utf8_is_refused(project, capsys):
    name = os.fsdecode(b"3.1-\xe6bler.md")
    (project / M / name).write_bytes((project / ITEM).read_bytes())
    status, err = run(capsys, "build", "--root", str(project))
    assert status == 1
    assert err[0] == f"{M}/3.1-\ufffdbler.md: navnet er ikke gyldig UTF-8 og bruges ikke; omdøb det"


def test_an_item_name_with_other_digits_sorts_without_crashing(project, capsys):
    (project / M / "²1-x.md").write_bytes((project / ITEM).read_bytes().replace(b"section: 2", b"section: 1"))
    status, err = run(capsys, "check", "--root", str(project))
    assert status == 0, err


def test_a_folder_without_content_is_wrong_use(tmp_path, capsys):
    status, err = run(capsys, "build", "--root", str(tmp_path))
    assert status == 2
    assert err == [f"rardocs: forkert brug: der er ingen mappe content/ i {tmp_path.as_posix()}; kør kommandoen i "
                   "projektets mappe (den med content/), eller angiv den med --root"]


@pytest.mark.parametrize("file", ["1.1-dagsorden.md", "meeting.yaml", "./1.1-dagsorden.md", "./meeting.yaml",
                                  ".skjult.pdf"])
def test_a_bilag_cannot_be_one_of_the_archives_own_files(project, capsys, file):
    (project / M / ".skjult.pdf").write_bytes(b"%PDF")
    item = project / ITEM
    item.write_text(item.read_text(encoding="utf-8").replace("    url: https://example.dk/notat.pdf", f"    file: {file}"),
                    encoding="utf-8")
    status, err = run(capsys, "build", "--root", str(project))
    assert status == 1
    assert err[0] == (f"{ITEM}:7: bilagsfilen '{file}' er ikke et bilag, men en af indholdets egne filer "
                      "(et punkt, meeting.yaml, en pressemeddelelse eller en skjult fil)")
    assert not (project / "output").exists()


def test_listed_paths_are_paths_like_any_other(project):
    """The listing makes its paths by a shortcut; they must equal, hash and print as ``Path`` does."""
    listing = list_archive(project / "content")
    paths = [council.folder for council in listing.councils]
    for council in listing.councils:
        paths += [council.council_file, *council.templates, *council.press]
        for meeting in council.meetings:
            paths += [meeting.folder, meeting.meeting_file, *meeting.items, *meeting.press, *meeting.others]
    assert len(paths) >= 5
    for path in paths:
        again = Path(str(path))
        assert path == again and hash(path) == hash(again) and path.parts == again.parts
        assert path.relative_to(project).as_posix() == again.relative_to(project).as_posix()


def test_paths_are_shortened_as_pathlib_shortens_them(project):
    """``units`` cuts a listed path to its folder as text; it must say what ``relative_to`` says."""
    listing = list_archive(project / "content")
    for council in listing.councils:
        for meeting in council.meetings:
            for path in meeting.items + [meeting.meeting_file]:
                assert _relative(path, meeting.folder) == path.relative_to(meeting.folder).as_posix()
                assert _relative(path, council.folder) == path.relative_to(council.folder).as_posix()
    # Not below the folder by its text (a folder written with "..") -> pathlib's answer, here its error.
    with pytest.raises(ValueError):
        _relative(project / "content" / "x.md", project / "content" / "sub" / "..")
