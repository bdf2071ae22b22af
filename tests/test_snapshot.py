"""A build with nothing to do answers by the stamps of what the last check looked at
(rardocs.snapshot), and any change to any of it sends the build the long way."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from rardocs import memo, snapshot, sources
from rardocs.cli import main
from rardocs.incremental import LOCK_FILE

UP_TO_DATE = "Alt er opdateret; intet at bygge.\n"
ITEM = "content/rar-test/2023-01-10/2.1-ledighed.md"


@pytest.fixture
def built(project, capsys) -> Path:
    """The minimal project, built by the command line (which leaves a snapshot)."""
    assert main(["build", "--root", str(project)]) == 0
    capsys.readouterr()
    return project


@pytest.fixture
def walks(monkeypatch) -> list:
    """The content listings made by the up-to-date check: none when the snapshot answered."""
    made = []
    real = sources.list_archive
    monkeypatch.setattr(sources, "list_archive", lambda content: made.append(content) or real(content))
    return made


def build(root: Path, capsys, *options: str) -> str:
    assert main(["build", "--root", str(root), *options]) == 0
    return capsys.readouterr().out


def taken(root: Path) -> dict:
    return memo.load(root / memo.CACHE_FOLDER, snapshot.TABLE)


def test_a_build_after_a_build_answers_by_the_snapshot(built, walks, capsys):
    assert build(built, capsys) == UP_TO_DATE
    assert walks == []
    assert build(built, capsys) == UP_TO_DATE
    assert walks == []


def test_the_snapshot_names_what_the_check_looked_at(built):
    """Every folder listed and file hashed, the state and the output files; below the
    project by relative paths (a copy of the project looks at its own files)."""
    entries = taken(built)
    files = {path for path, _, _ in entries["files"]}
    folders = {path for path, _, _ in entries["folders"]}
    content = built / "content"
    assert {p.relative_to(built).as_posix() for p in content.rglob("*") if p.is_file()} <= files
    assert {p.relative_to(built).as_posix() for p in (content, *content.rglob("*")) if p.is_dir()} <= folders
    output = built / "output"
    assert {p.relative_to(built).as_posix() for p in output.rglob("*")
            if p.is_file() and p.name != LOCK_FILE} <= files
    assert {p.relative_to(built).as_posix() for p in (output, *output.rglob("*")) if p.is_dir()} <= folders
    assert not any(path.startswith(str(built)) for path in files | folders)
    assert any(path.endswith("rardocs/cli.py") for path in files)  # the package's own files


def _append(root: Path) -> None:
    item = root / ITEM
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")


def _touch(root: Path) -> None:
    os.utime(root / ITEM)


def _same_size_same_time(root: Path) -> None:
    """The same number of bytes and the modification time put back: only the change time tells."""
    item = root / ITEM
    before = item.stat()
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("Ledighed", "LEDIGHED", 1), encoding="utf-8")
    assert item.stat().st_size == before.st_size
    os.utime(item, ns=(before.st_atime_ns, before.st_mtime_ns))


def _new_item(root: Path) -> None:
    item = root / ITEM
    item.with_name("2.2-nyt.md").write_text(item.read_text(encoding="utf-8").replace("Ledigheden i", "Nyt om"),
                                            encoding="utf-8")


def _hidden_file(root: Path) -> None:
    (root / ITEM).with_name(".DS_Store").write_bytes(b"\0")


def _output_deleted(root: Path) -> None:
    next((root / "output").rglob("*.docx")).unlink()


def _stray_output(root: Path) -> None:
    (root / "output/rar-test/efterladt.tmp").write_text("", encoding="utf-8")


def _state_garbled(root: Path) -> None:
    (root / "output/.rardocs-state.json").write_text("{}", encoding="utf-8")


#: A change, and whether the long way then builds something.
CHANGES = {_append: True, _same_size_same_time: True, _new_item: True, _output_deleted: True, _stray_output: True,
           _state_garbled: True, _touch: False, _hidden_file: False}


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_any_change_goes_the_long_way(built, walks, capsys, change):
    change(built)
    out = build(built, capsys)
    assert len(walks) == 1
    assert (out != UP_TO_DATE) == CHANGES[change], out
    # and the long way left a snapshot of its own
    assert build(built, capsys) == UP_TO_DATE
    assert len(walks) == 1


def test_another_library_version_goes_the_long_way(built, walks, capsys, monkeypatch):
    monkeypatch.setattr(snapshot, "dependency_versions", lambda: "python 9.9")
    assert build(built, capsys) == UP_TO_DATE
    assert len(walks) == 1


def test_a_file_added_to_the_package_goes_the_long_way(project, walks, capsys, monkeypatch, tmp_path):
    """A new module is in none of the files hashed: its folder's stamp tells."""
    package = tmp_path / "package"
    package.mkdir()
    monkeypatch.setattr(snapshot, "package_folders", lambda: [str(package)])
    build(project, capsys)
    assert build(project, capsys) == UP_TO_DATE and len(walks) == 1
    (package / "new.py").write_text("", encoding="utf-8")
    build(project, capsys)
    assert len(walks) == 2


def test_options_go_the_long_way(built, capsys):
    assert "Færdig" in build(built, capsys, "--force")
    assert "Færdig" in build(built, capsys, "--council", "rar-test")
    assert build(built, capsys) == UP_TO_DATE


def test_a_racy_file_is_compared_by_its_hash(built, walks, capsys, monkeypatch):
    """A file changed just before its stamp was taken could change again within the same
    tick of a coarse clock and keep its stamp: its hash is compared too."""
    _append(built)
    build(built, capsys)  # the item was changed a moment ago: racy
    racy = [entry for entry in taken(built)["files"] if entry[0] == ITEM]
    assert racy and racy[0][2] == memo.hash_file(built / ITEM)
    hash_file = memo.hash_file
    monkeypatch.setattr(memo, "hash_file", lambda path: b"changed" if str(path).endswith(ITEM) else hash_file(path))
    walks.clear()
    build(built, capsys)
    assert len(walks) == 1


def test_racy_entries_settle_once_old_enough(built, walks, capsys, monkeypatch):
    _append(built)
    build(built, capsys)
    assert any(digest for _, _, digest in taken(built)["files"])
    assert any(names for _, _, names in taken(built)["folders"])
    monkeypatch.setattr(time, "time_ns", lambda real=time.time_ns: real() + 10 * memo.RACY_NS)
    walks.clear()
    assert build(built, capsys) == UP_TO_DATE and walks == []
    entries = taken(built)
    assert not any(more for _, _, more in entries["files"] + entries["folders"])
    assert build(built, capsys) == UP_TO_DATE and walks == []


def test_a_file_changed_while_the_build_reads_it_is_looked_at_again(built, walks, capsys, monkeypatch):
    """The check hashed the item, then it changed as the build read it: the snapshot holds
    the stamp the check found, so the next build goes the long way."""
    from rardocs.content import archive

    _append(built)
    read = archive.read_item

    def edited_while_read(path, *args):
        if str(path).endswith(ITEM):
            path.write_text(path.read_text(encoding="utf-8") + "\nEndnu et afsnit.\n", encoding="utf-8")
        return read(path, *args)

    monkeypatch.setattr(archive, "read_item", edited_while_read)
    build(built, capsys)
    monkeypatch.setattr(archive, "read_item", read)
    walks.clear()
    build(built, capsys)
    assert len(walks) == 1


def test_a_file_hashed_twice_with_two_stamps_leaves_no_snapshot(built, capsys, monkeypatch):
    """A file the build found changed since the check hashed it: no snapshot vouches for
    what the build made."""
    from rardocs import builder

    _append(built)
    read = builder.read_archive
    monkeypatch.setattr(builder, "read_archive", lambda *args, **kwargs: _append(built) or read(*args, **kwargs))
    (built / memo.CACHE_FOLDER / f"{snapshot.TABLE}.pickle").unlink()
    assert "skrev" in build(built, capsys)
    assert taken(built) == {}


def test_a_copied_project_looks_at_its_own_files(built, capsys, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    _append(copy)
    assert "skrev output/rar-test/2023-01-10/" in build(copy, capsys)
    assert build(built, capsys) == UP_TO_DATE


def test_a_snapshot_of_another_shape_is_no_snapshot(built, walks, capsys):
    memo.dump(built / memo.CACHE_FOLDER, snapshot.TABLE, {"pdf": False, "versions": "", "files": [("x",)], "folders": []})
    assert build(built, capsys) == UP_TO_DATE
    assert len(walks) == 1


def test_a_racy_folder_is_compared_by_its_names(built, walks, capsys):
    """A folder changed just before its stamp was taken: the names it held are compared
    (here the snapshot is made to remember one name more than the folder has)."""
    entries = taken(built)
    racy = [i for i, (path, _, names) in enumerate(entries["folders"]) if path == "output/rar-test" and names]
    assert racy
    path, was, names = entries["folders"][racy[0]]
    entries["folders"][racy[0]] = (path, was, sorted([*names, "slettet.docx"]))
    memo.dump(built / memo.CACHE_FOLDER, snapshot.TABLE, entries)
    build(built, capsys)
    assert len(walks) == 1


def test_output_files_are_those_os_walk_finds(tmp_path):
    """The output's listing, which now stamps each folder before it lists it, finds what
    os.walk finds: a link to a folder neither listed nor followed, the own files left out."""
    from rardocs.incremental import STATE_FILE, output_files

    output = tmp_path / "output"
    (output / "rar/2023-01-10/intern").mkdir(parents=True)
    for name in ("rar/a.docx", "rar/2023-01-10/b.pdf", "rar/2023-01-10/intern/c.pdf", ".skjult", STATE_FILE, LOCK_FILE):
        (output / name).write_bytes(b"x")
    (output / "rar/link-to-folder").symlink_to(output / "rar/2023-01-10", target_is_directory=True)
    (output / "rar/link-to-file").symlink_to(output / "rar/a.docx")
    (output / "rar/dangling").symlink_to(output / "gone")
    walked = sorted(Path(folder, name).relative_to(output).as_posix()
                    for folder, _, files in os.walk(output) for name in files)
    folders: dict = {}
    assert output_files(output, folders) == [p for p in walked if p not in (STATE_FILE, LOCK_FILE)]
    assert sorted(folders) == sorted(folder for folder, _, _ in os.walk(output))
    assert folders[str(output / "rar")][1] == sorted(os.listdir(output / "rar"))
