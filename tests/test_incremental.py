"""Incremental builds: only what changed is rebuilt; nothing else is touched."""

from __future__ import annotations

import shutil

import pytest

from conftest import copy_example, tree
from rardocs import build
from rardocs.cli import main


@pytest.fixture
def archive(tmp_path):
    root = tmp_path / "project"
    copy_example(root)
    build(root)
    return root


def test_second_build_rebuilds_nothing(archive, capsys):
    before = {path: (data, (archive / "output" / path).stat().st_mtime_ns) for path, data in tree(archive / "output").items()}
    assert build(archive).built == []
    assert main(["build", "--root", str(archive)]) == 0
    assert capsys.readouterr().out == "Alt er opdateret; intet at bygge.\n"
    after = {path: (data, (archive / "output" / path).stat().st_mtime_ns) for path, data in tree(archive / "output").items()}
    assert after == before


def test_changing_an_item_rebuilds_only_its_meeting(archive):
    item = archive / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    # The press release quotes an item, so it depends on every meeting (however 'item:' is written).
    assert build(archive).built == ["rar-oestjylland/2022-11-28", "rar-oestjylland/2022-11-28/opfoelgningsark",
                                    "rar-oestjylland/2022-09-29/presse-positivlisten"]


def test_changing_an_earlier_meeting_rebuilds_what_carries_its_actions(archive):
    item = archive / "content/rar-oestjylland/2022-09-29/2.1-positivlisten.md"
    item.write_text(item.read_text(encoding="utf-8").replace("status: åben", "status: afsluttet", 1), encoding="utf-8")
    assert build(archive).built == [
        "rar-oestjylland/2022-09-29", "rar-oestjylland/2022-09-29/opfoelgningsark",
        "rar-oestjylland/2022-11-28/opfoelgningsark", "rar-oestjylland/2022-09-29/presse-positivlisten"]


def test_a_deleted_output_file_is_made_again(archive):
    target = archive / "output/rar-oestjylland/2022-09-29/2022-09-29 Referat RAR Østjylland.docx"
    data = target.read_bytes()
    target.unlink()
    assert build(archive).built == ["rar-oestjylland/2022-09-29"]
    assert target.read_bytes() == data


def test_files_no_longer_made_are_removed(archive):
    shutil.rmtree(archive / "content/rar-oestjylland/2022-11-28")
    result = build(archive)
    assert not (archive / "output/rar-oestjylland/2022-11-28").exists() or not any(
        (archive / "output/rar-oestjylland/2022-11-28").iterdir())
    assert len(result.removed) == 3


def test_force_rebuilds_everything(archive):
    assert len(build(archive, force=True).built) == 7


def test_a_failed_build_keeps_the_record(archive, capsys):
    item = archive / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md"
    good = item.read_text(encoding="utf-8")
    item.write_text(good.replace("kind: O", "kind: X"), encoding="utf-8")
    assert main(["build", "--root", str(archive)]) == 1
    item.write_text(good, encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--root", str(archive)]) == 0
    assert capsys.readouterr().out == "Alt er opdateret; intet at bygge.\n"
