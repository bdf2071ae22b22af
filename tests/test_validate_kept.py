"""Meetings kept validated between builds (rardocs.validate.kept): an edit reads and
validates the meeting it touched only, the warnings of the others are reported still,
and what is built is what a build without the cache builds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import copy_example, tree
from rardocs import build, memo
from rardocs.errors import ContentError
from rardocs.content import archive as archive_module
from rardocs.validate import kept as kept_module
from rardocs.validate import validate_meeting as original_validate_meeting

COUNCIL = "content/rar-oestjylland"
SEPTEMBER, NOVEMBER = f"{COUNCIL}/2022-09-29", f"{COUNCIL}/2022-11-28"


@pytest.fixture
def watched(monkeypatch) -> dict[str, list[str]]:
    """The item files read and the meetings validated by each build, by path as shown."""
    seen: dict[str, list[str]] = {"read": [], "validated": []}
    read_item = archive_module.read_item

    def reading(path, shown, *args):
        seen["read"].append(shown)
        return read_item(path, shown, *args)

    def validating(raw, *args):
        seen["validated"].append(raw.shown)
        return original_validate_meeting(raw, *args)

    reading.__name__ = read_item.__name__  # the cache of files as read is kept by the reader's name
    monkeypatch.setattr(archive_module, "read_item", reading)
    monkeypatch.setattr("rardocs.validate.validate_meeting", validating)
    return seen


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def without_cache(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a build of ``root``'s content without any cache writes."""
    fresh = tmp_path / "fresh"
    shutil.copytree(root / "content", fresh / "content")
    build(fresh)
    return {k: v for k, v in tree(fresh / "output").items() if not k.startswith(".rardocs")}


def test_an_edit_reads_and_validates_its_meeting_only(tmp_path, watched):
    root = copy_example(tmp_path / "project")
    build(root)
    assert set(watched["validated"]) == {SEPTEMBER, NOVEMBER}
    assert (root / memo.CACHE_FOLDER / f"{kept_module.MODEL}/rar-oestjylland/2022-11-28.pickle").is_file()
    watched["read"].clear(), watched["validated"].clear()
    edit(root / SEPTEMBER / "1.2-referater.md", "Rådet tog referaterne til efterretning.", "Rådet godkendte dem.")
    build(root)
    assert watched["validated"] == [SEPTEMBER]
    assert watched["read"] and all(path.startswith(SEPTEMBER + "/") for path in watched["read"])
    built = {k: v for k, v in tree(root / "output").items() if not k.startswith(".rardocs")}
    assert built == without_cache(root, tmp_path)


def test_the_warnings_of_a_meeting_not_read_are_reported_still(tmp_path, watched):
    root = copy_example(tmp_path / "project")
    item = root / NOVEMBER / "1.1-dagsorden.md"
    text = item.read_text(encoding="utf-8")
    start = text.index("## Indstilling")
    item.write_text(text[:start] + text[text.index("## ", start + 3):], encoding="utf-8")  # a B item without it
    first = build(root).warnings
    wanted = [p for p in first if p.path == f"{NOVEMBER}/1.1-dagsorden.md"]
    assert [p.message for p in wanted] == ["et beslutningspunkt (B) uden '## Indstilling'"]
    watched["validated"].clear()
    edit(root / SEPTEMBER / "1.2-referater.md", "Rådet tog referaterne til efterretning.", "Rådet godkendte dem.")
    assert build(root).warnings == first
    assert watched["validated"] == [SEPTEMBER]


def test_a_change_to_the_council_reads_every_meeting_again(tmp_path, watched):
    root = copy_example(tmp_path / "project")
    build(root)
    watched["validated"].clear()
    edit(root / COUNCIL / "council.yaml", "name: RAR Østjylland", "name: RAR Østjylland og omegn")
    build(root)
    assert set(watched["validated"]) == {SEPTEMBER, NOVEMBER}
    referat = root / "output" / "rar-oestjylland" / "2022-11-28" / "2022-11-28 Referat RAR Østjylland og omegn.docx"
    assert referat.is_file()


def test_a_meeting_with_a_mistake_is_not_kept(tmp_path, watched):
    root = copy_example(tmp_path / "project")
    edit(root / NOVEMBER / "meeting.yaml", "date: 2022-11-28", "date: 2022-11-29")
    with pytest.raises(ContentError, match="passer ikke med mappens navn"):
        build(root)
    assert not (root / memo.CACHE_FOLDER / f"{kept_module.MODEL}/rar-oestjylland/2022-11-28.pickle").exists()
    watched["validated"].clear()
    with pytest.raises(ContentError, match="passer ikke med mappens navn"):
        build(root)
    assert NOVEMBER in watched["validated"]  # its message is made afresh


def test_the_meetings_kept_are_read_back_with_the_collector_off_and_it_is_on_again(tmp_path, monkeypatch):
    import gc

    root = copy_example(tmp_path / "project")
    build(root)
    collecting = []
    find = memo.Store.find

    def finding(self, name, key):
        if name.startswith(kept_module.MODEL + "/"):
            collecting.append(gc.isenabled())
        return find(self, name, key)

    monkeypatch.setattr(memo.Store, "find", finding)
    build(root, force=True)
    assert collecting == [False, False]
    assert gc.isenabled()

    def failing(self, name, key):
        raise OSError("the disk went away")

    monkeypatch.setattr(memo.Store, "find", failing)
    with pytest.raises(OSError):
        build(root, force=True)
    assert gc.isenabled()
