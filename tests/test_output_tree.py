"""The output tree is a function of the content: never stale, never leaking, never outside output/.

Whatever sequence of the builds the README documents a user runs (full,
``--kind``, ``--meeting``, ``--council``, ``--pdf``, after closing an item or
deleting a meeting), what is left under ``output/`` is what the content makes
now, whatever the state file remembers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, copy_example, tree
from rardocs import build
from rardocs.cli import main
from test_closed import ITEM, add_bilag_file, assert_no_secrets, edit_front, plant_closed_item, public_files

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
OUT = "output/rar-oestjylland"


def cli(root: Path, *argv: str) -> int:
    return main(["build", "--root", str(root), *argv])


@pytest.fixture
def built(tmp_path) -> Path:
    """The example archive with a file bilag on item 2.2, built once."""
    root = copy_example(tmp_path / "project")
    edit_front(root / ITEM, add_bilag_file)
    (root / ITEM).parent.joinpath("bilag").mkdir()
    (root / ITEM).parent.joinpath("bilag/hemmelig-fil.pdf").write_bytes(b"%PDF-1.4 HEMMELIG-SAGSTEKST")
    assert cli(root) == 0
    return root


def made_from_scratch(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a full build of the same content into an empty folder makes."""
    fresh = tmp_path / "fresh"
    shutil.copytree(root / "content", fresh / "content")
    build(fresh)
    return {k: v for k, v in tree(fresh / "output").items() if not k.startswith(".rardocs")}


@pytest.mark.parametrize("argv", [[], ["--kind", "referat"], ["--kind", "dagsorden", "--meeting", "2022-09-29"],
                                  ["--meeting", "2022-11-28"], ["--council", "rar-oestjylland", "--kind", "opfoelgningsark"],
                                  ["--force", "--kind", "pressemeddelelse"]])
def test_after_closing_an_item_any_build_leaves_no_closed_text_in_public(built, tmp_path, capsys, argv):
    plant_closed_item(built)
    assert cli(built, *argv) == 0
    assert_no_secrets(public_files(built / "output"))
    output = {k: v for k, v in tree(built / "output").items() if not k.startswith(".rardocs")}
    assert output == made_from_scratch(built, tmp_path)


def test_the_state_file_names_nothing_of_a_closed_item(built):
    plant_closed_item(built)
    assert cli(built) == 0
    state = (built / "output/.rardocs-state.json").read_text(encoding="utf-8")
    assert "hemmelig" not in state and "intern/" not in state
    assert (built / OUT / "intern/2022-09-29/bilag").is_dir()


@pytest.mark.parametrize("damage", ["delete", "garbage", "directory", "wrong shape", "empty units"])
def test_the_state_file_is_a_cache(built, tmp_path, capsys, damage):
    """Closing an item with the state file lost or broken still removes its public bilag."""
    state = built / "output/.rardocs-state.json"
    plant_closed_item(built)
    if damage == "delete":
        state.unlink()
    elif damage == "garbage":
        state.write_bytes(b"\x00\xff{[")
    elif damage == "directory":
        state.unlink()
        state.mkdir()
        (state / "x").write_text("x")
    elif damage == "wrong shape":
        state.write_text(json.dumps({"version": 2, "units": {"rar-oestjylland/2022-09-29": {"files": [[1, 2]]}}}))
    else:
        state.write_text(json.dumps({"version": 2, "units": {}}))
    capsys.readouterr()
    assert cli(built) == 0, capsys.readouterr().err
    assert_no_secrets(public_files(built / "output"))
    assert not list((built / OUT / "2022-09-29").glob("bilag/*hemmelig*"))
    assert json.loads(state.read_text(encoding="utf-8"))["version"] == 2


def test_a_bilag_copied_by_a_kind_build_is_removed_when_its_item_closes(tmp_path):
    root = copy_example(tmp_path / "project")
    edit_front(root / ITEM, add_bilag_file)
    (root / ITEM).parent.joinpath("bilag").mkdir()
    (root / ITEM).parent.joinpath("bilag/hemmelig-fil.pdf").write_bytes(b"%PDF-1.4 HEMMELIG-SAGSTEKST")
    assert cli(root, "--kind", "referat") == 0
    assert list((root / OUT / "2022-09-29").glob("bilag/*hemmelig*"))
    plant_closed_item(root)
    assert cli(root, "--force") == 0
    assert_no_secrets(public_files(root / "output"))


def test_deleting_a_meeting_removes_its_outputs(built, capsys):
    shutil.rmtree(built / "content/rar-oestjylland/2022-11-28")
    capsys.readouterr()
    assert cli(built) == 0
    out = capsys.readouterr().out
    assert "fjernede output/rar-oestjylland/2022-11-28/2022-11-28 Dagsorden RAR Østjylland.docx (laves ikke længere)" in out
    assert not (built / OUT / "2022-11-28").exists()
    capsys.readouterr()
    assert cli(built) == 0
    assert capsys.readouterr().out == "Alt er opdateret; intet at bygge.\n"


def test_files_nobody_made_and_killed_builds_temporaries_are_removed(built, capsys):
    leftovers = [built / OUT / "2022-09-29/.2022-09-29 Referat.docxabc.tmp", built / OUT / "2022-09-29/bilag/.x.tmp",
                 built / "output/..rardocs-state.json.4242.tmp", built / OUT / "fremmed.txt"]
    for path in leftovers:
        path.write_bytes(b"x" * 10)
    capsys.readouterr()
    assert cli(built) == 0
    out = capsys.readouterr().out
    assert not [p for p in leftovers if p.exists()]
    assert "fjernede output/rar-oestjylland/2022-09-29/bilag/.x.tmp (en ufærdig fil fra en afbrudt kørsel)" in out
    assert ("fjernede output/rar-oestjylland/fremmed.txt (ikke lavet ud fra content/; output/ indeholder kun det, "
            "som indholdet giver)") in out


def test_reopening_an_item_removes_its_empty_internal_folders(built):
    plant_closed_item(built)
    assert cli(built) == 0
    assert (built / OUT / "intern/2022-09-29").is_dir()
    edit_front(built / ITEM, lambda data: data.update(closed=False))
    assert cli(built) == 0
    assert not (built / OUT / "intern").exists()


def test_two_bilag_of_one_name_from_two_folders_stay_two_files(project):
    meeting = project / "content/rar-test/2023-01-10"
    for folder, text in (("a", b"%PDF A"), ("b", b"%PDF B")):
        (meeting / "bilag" / folder).mkdir(parents=True)
        (meeting / "bilag" / folder / "notat.pdf").write_bytes(text)
    item = meeting / "2.1-ledighed.md"
    item.write_text(item.read_text(encoding="utf-8").replace(
        "  - title: Notat om ledighed\n    url: https://example.dk/notat.pdf",
        "  - title: Notat A\n    file: bilag/a/notat.pdf\n  - title: Notat B\n    file: bilag/b/notat.pdf"), encoding="utf-8")
    build(project)
    folder = project / "output/rar-test/2023-01-10/bilag"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == {"2.1.1-notat.pdf": b"%PDF A", "2.1.2-notat.pdf": b"%PDF B"}


@pytest.mark.parametrize("name, shown", [("RAR Øst/Midt", "RAR Øst-Midt"), ("..", None), ("RAR\\..\\..\\x", "RAR-..-..-x"),
                                          ("CON", None), ("nul.txt", None), ("RAR \u0007Test", "RAR Test")])
def test_a_council_name_never_makes_a_path_outside_its_folder(project, capsys, name, shown):
    council = project / "content/rar-test/council.yaml"
    council.write_text(council.read_text(encoding="utf-8").replace("name: RAR Test", f"name: {json.dumps(name)}"),
                       encoding="utf-8")
    status = cli(project)
    err = capsys.readouterr().err
    if shown is None:
        assert status == 1
        assert (f"content/rar-test/council.yaml:1: navnet '{name}' kan ikke bruges i et filnavn (dokumenterne hedder "
                "fx '2022-09-29 Referat <navn>.docx'); skriv rådets navn") in err
        assert not (project / "output").exists()
    else:
        assert status == 0, err
        files = [p.relative_to(project / "output").as_posix() for p in (project / "output").rglob("*.docx")]
        assert f"rar-test/2023-01-10/2023-01-10 Dagsorden {shown}.docx" in files
        assert all(f.startswith("rar-test/2023-01-10/") for f in files)


def test_two_press_releases_with_one_output_name_are_an_error(example_project, capsys):
    council = example_project / "content/rar-oestjylland"
    shutil.copyfile(council / "presse/2022-09-21-lagerprocesoperatoer.md", council / "2022-09-29/presse-lagerprocesoperatoer.md")
    assert cli(example_project) == 1
    err = capsys.readouterr().err
    assert ("content/rar-oestjylland/2022-09-29/presse-lagerprocesoperatoer.md: giver samme filer (2022-09-21 "
            "Pressemeddelelse lagerprocesoperatoer) som content/rar-oestjylland/presse/2022-09-21-lagerprocesoperatoer.md; "
            "giv en af dem et andet filnavn eller en anden dato") in err


@pytest.mark.parametrize("spelling", ["item: 2022-09-29/2.1", "item: '2022-09-29/2.1'", 'item:   "2022-09-29/2.1"  # x',
                                      "item: >-\n  2022-09-29/2.1", "item: 2.1"])
def test_a_press_release_is_rebuilt_when_the_item_it_quotes_changes(example_project, spelling):
    press = example_project / "content/rar-oestjylland/2022-09-29/presse-positivlisten.md"
    text = press.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("item:"))
    press.write_text(text.replace(line, spelling), encoding="utf-8")
    build(example_project)
    item = example_project / "content/rar-oestjylland/2022-09-29/2.1-positivlisten.md"
    item.write_text(item.read_text(encoding="utf-8").replace("## Beslutning\n\n", "## Beslutning\n\nNY-BESLUTNING. ", 1),
                    encoding="utf-8")
    build(example_project)
    html = next((example_project / OUT / "presse").glob("*positivlisten.html")).read_text(encoding="utf-8")
    assert "NY-BESLUTNING" in html


def test_two_builds_of_different_meetings_at_once_keep_both_records(tmp_path):
    root = copy_example(tmp_path / "project")
    commands = [[sys.executable, str(REPO / "build.py"), "--root", str(root), "--meeting", date]
                for date in ("2022-09-29", "2022-11-28")]
    processes = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in commands]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    units = json.loads((root / "output/.rardocs-state.json").read_text(encoding="utf-8"))["units"]
    assert {"rar-oestjylland/2022-09-29", "rar-oestjylland/2022-11-28"} <= set(units)
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)], capture_output=True, text=True)
    assert result.stdout == "Alt er opdateret; intet at bygge.\n", result.stdout + result.stderr


def test_a_reader_never_sees_half_a_file(project):
    """While a build writes a large bilag, a reader polling it sees no file or the whole file.

    (Writing in place instead of through a temporary file and a rename makes this fail.)
    """
    meeting = project / "content/rar-test/2023-01-10"
    (meeting / "bilag").mkdir()
    data = bytes(range(256)) * (120 * 4096)  # 120 MiB
    (meeting / "bilag/stor.pdf").write_bytes(data)
    item = meeting / "2.1-ledighed.md"
    item.write_text(item.read_text(encoding="utf-8").replace("    url: https://example.dk/notat.pdf", "    file: bilag/stor.pdf"),
                    encoding="utf-8")
    target = project / "output/rar-test/2023-01-10/bilag/2.1-stor.pdf"
    seen: set[int] = set()
    done = threading.Event()

    def poll():
        while not done.is_set():
            try:
                seen.add(target.stat().st_size)
            except FileNotFoundError:
                seen.add(-1)

    reader = threading.Thread(target=poll)
    reader.start()
    try:
        build(project)
    finally:
        done.set()
        reader.join()
    assert seen <= {-1, len(data)}
    assert target.stat().st_size == len(data)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(project, monkeypatch):
    build(project)
    target = project / "output/rar-test/2023-01-10/2023-01-10 Dagsorden RAR Test.docx"
    before = target.read_bytes()
    item = project / "content/rar-test/2023-01-10/2.1-ledighed.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    import rardocs.writer

    real = rardocs.writer.os.fdopen

    def half_then_fail(fd, mode):
        handle = real(fd, mode)
        original = handle.write

        def write(data):
            original(data[: len(data) // 2])
            raise OSError(28, "No space left on device")
        handle.write = write
        return handle

    monkeypatch.setattr(rardocs.writer.os, "fdopen", half_then_fail)
    assert main(["build", "--root", str(project)]) == 1
    assert target.read_bytes() == before
    assert not [p for p in (project / "output").rglob("*.tmp")]


def test_output_inside_content_is_refused(project, capsys):
    with pytest.raises(Exception, match="må ikke være eller ligge i content/"):
        build(project, project / "content" / "output")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_pdfs_are_never_older_than_their_documents_and_can_be_kept(project, capsys):
    folder = project / "output/rar-test/2023-01-10"
    assert cli(project, "--pdf") == 0
    assert len(list(folder.glob("*.pdf"))) == 5  # three documents, and the dagsorden and referat with bilag
    item = project / "content/rar-test/2023-01-10/2.1-ledighed.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    capsys.readouterr()
    assert cli(project) == 0
    out = capsys.readouterr().out
    for name in ("Referat", "Referat med bilag"):
        assert (f"fjernede output/rar-test/2023-01-10/2023-01-10 {name} RAR Test.pdf (Word-filen er lavet om, og PDF "
                "laves kun med --pdf eller pdf: true i council.yaml)") in out
    # The new paragraph is in a field only the referat shows: the dagsorden and the
    # opfølgningsark are not made again, and their PDFs stay.
    assert sorted(p.name for p in folder.glob("*.pdf")) == [
        "2023-01-10 Dagsorden RAR Test.pdf", "2023-01-10 Dagsorden med bilag RAR Test.pdf",
        "2023-01-10 Opfølgningsark RAR Test.pdf"]

    council = project / "content/rar-test/council.yaml"
    council.write_text(council.read_text(encoding="utf-8") + "pdf: true\n", encoding="utf-8")
    assert cli(project) == 0
    assert len(list(folder.glob("*.pdf"))) == 5
    item.write_text(item.read_text(encoding="utf-8") + "\nEndnu et afsnit.\n", encoding="utf-8")
    assert cli(project) == 0
    pdfs = sorted(folder.glob("*.pdf"))
    assert len(pdfs) == 5
    docx = sorted(folder.glob("*.docx"))
    assert all(p.stat().st_mtime_ns >= min(d.stat().st_mtime_ns for d in docx) for p in pdfs)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_public_and_internal_documents_are_converted_apart(built):
    """A public bilag named like an internal document never receives its PDF."""
    plant_closed_item(built)
    assert cli(built, "--pdf", "--meeting", "2022-09-29") == 0
    for pdf in (built / OUT / "2022-09-29").rglob("*.pdf"):
        assert "INTERN" not in pdf.name
    public_bilag = [p for p in (built / OUT).rglob("bilag/*") if "intern" not in p.parts]
    assert all(p.suffix != ".pdf" or p.read_bytes().startswith(b"%PDF") for p in public_bilag)
    assert_no_secrets(public_files(built / "output"))
    with zipfile.ZipFile(next((built / OUT / "intern/2022-09-29").glob("*Referat*INTERN.docx"))) as z:
        assert "HEMMELIG-SAGSTEKST" in z.read("word/document.xml").decode()


def test_staged_files_take_their_place_only_at_the_end(tmp_path):
    """A build holds one file in memory at a time: each is staged on disk as it is made,
    and put in place when everything is made; a failure before that changes nothing."""
    from rardocs.writer import Output

    folder = tmp_path / "output"
    (folder / "a").mkdir(parents=True)
    (folder / "a/old.txt").write_bytes(b"old")
    with pytest.raises(RuntimeError), Output(folder) as out:
        out.stage("a/old.txt", b"new")
        out.stage("b/new.txt", b"new")
        assert out.read("a/old.txt") == b"new" and (folder / "a/old.txt").read_bytes() == b"old"
        raise RuntimeError("a template fails after two files are made")
    assert tree(folder) == {"a/old.txt": b"old", ".rardocs.lock": b""} and not (folder / "b").exists()
    with Output(folder) as out:
        out.stage("a/old.txt", b"old")  # unchanged: not staged, not written
        out.stage("b/new.txt", b"new")
        out.commit()
    assert out.written == [(folder / "b/new.txt").resolve()]
    assert {p: d for p, d in tree(folder).items() if not p.startswith(".")} == {"a/old.txt": b"old",
                                                                                  "b/new.txt": b"new"}
