"""Incremental builds: only what changed is rebuilt; nothing else is touched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import copy_example, tree
from rardocs import build
from rardocs.cli import main
from rardocs.errors import ContentError


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


def _published(root: Path) -> dict[str, bytes]:
    """The output tree without the folder's own state and cache."""
    return {path: data for path, data in tree(root / "output").items() if not path.startswith(".rardocs")}


def _stamps(root: Path) -> dict[str, int]:
    return {path: (root / "output" / path).stat().st_mtime_ns for path in tree(root / "output")}


def test_changing_an_item_rebuilds_only_its_meeting(archive):
    before = _stamps(archive)
    item = archive / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    # The opfølgningsark and the press release that quotes an item depend on the meeting
    # folder, but their data does not change with an item's text: they are not made again.
    result = build(archive)
    assert result.built == ["rar-oestjylland/2022-11-28", "rar-oestjylland/web"]
    assert result.current == 6
    after = _stamps(archive)
    unchanged = {path for path in before if after.get(path) == before[path]}
    assert "rar-oestjylland/2022-11-28/2022-11-28 Opfølgningsark RAR Østjylland.docx" in unchanged
    assert "rar-oestjylland/presse/2022-09-30 Pressemeddelelse positivlisten.docx" in unchanged
    assert "rar-oestjylland/2022-11-28/2022-11-28 Referat RAR Østjylland.docx" not in unchanged


def test_the_command_line_lists_and_hashes_the_archive_once(archive, monkeypatch, capsys):
    """The up-to-date check's listing and fingerprints are the build's: an edit costs
    one walk through content/, and the build does what a build without them does."""
    from rardocs import builder, cli, incremental, sources
    from rardocs.content import archive as reading

    walks, fingerprints = [], []
    monkeypatch.setattr(sources, "list_archive", lambda *a, _real=sources.list_archive: walks.append(a) or _real(*a))
    monkeypatch.setattr(reading, "list_archive", sources.list_archive)
    monkeypatch.setattr(incremental, "units", lambda *a, _real=incremental.units: fingerprints.append(a) or _real(*a))
    monkeypatch.setattr(builder, "units", incremental.units)
    item = archive / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    twin = archive.parent / "twin"
    shutil.copytree(archive, twin)
    assert cli.main(["build", "--root", str(archive)]) == 0
    assert len(walks) == 1 and len(fingerprints) == 1
    assert "skrev output/rar-oestjylland/2022-11-28/2022-11-28 Referat RAR Østjylland.docx" in capsys.readouterr().out
    assert build(twin).built == ["rar-oestjylland/2022-11-28", "rar-oestjylland/web"]
    assert _published(twin) == _published(archive)
    assert main(["build", "--root", str(archive)]) == 0
    assert capsys.readouterr().out == "Alt er opdateret; intet at bygge.\n"


def test_changing_an_earlier_meeting_rebuilds_what_carries_its_actions(archive):
    item = archive / "content/rar-oestjylland/2022-09-29/2.1-positivlisten.md"
    item.write_text(item.read_text(encoding="utf-8").replace("status: åben", "status: afsluttet", 1), encoding="utf-8")
    # The dagsorden and referat do not show an action's status; both sheets that carry it do.
    assert build(archive).built == ["rar-oestjylland/2022-09-29/opfoelgningsark",
                                    "rar-oestjylland/2022-11-28/opfoelgningsark", "rar-oestjylland/web"]


def test_documents_made_again_are_those_a_full_build_changes(archive, tmp_path):
    """Skipping documents whose data is unchanged leaves exactly what building from scratch gives."""
    item = archive / "content/rar-oestjylland/2022-09-29/2.1-positivlisten.md"
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("status: åben", "status: afsluttet", 1).replace(
        "Justering af positivlisten", "Justering af den regionale positivliste"), encoding="utf-8")
    build(archive)
    fresh = tmp_path / "fresh"
    shutil.copytree(archive / "content", fresh / "content")
    build(fresh)
    assert _published(archive) == _published(fresh)


def test_a_document_changed_by_hand_is_made_again(archive):
    """A file in output/ edited since the build is made again, though its data is unchanged."""
    sheet = archive / "output/rar-oestjylland/2022-11-28/2022-11-28 Opfølgningsark RAR Østjylland.docx"
    data = sheet.read_bytes()
    sheet.write_bytes(b"changed")
    item = archive / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    assert "rar-oestjylland/2022-11-28/opfoelgningsark" in build(archive).built
    assert sheet.read_bytes() == data


def test_a_new_version_of_rardocs_makes_every_document_again(archive, monkeypatch):
    """The hash of what a document is made from includes the package: new code, new documents."""
    import rardocs.builder
    import rardocs.incremental

    monkeypatch.setattr(rardocs.incremental, "package_digest", lambda: b"another version")
    monkeypatch.setattr(rardocs.builder, "package_digest", lambda: b"another version")
    assert len(build(archive).built) == 8


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
    assert sorted(path.name for path, _ in result.removed if "web" not in path.parts) == [
        "2.1-overordnet-strategi-2022-2026.docx", "2.2-udkast-indsatsark-2023.pdf",
        "2.3-ledighed-oestjylland-oktober-2022.xlsx", "2022-11-28 Dagsorden RAR Østjylland.docx",
        "2022-11-28 Opfølgningsark RAR Østjylland.docx", "2022-11-28 Referat RAR Østjylland.docx"]
    assert {why for _, why in result.removed} == {"laves ikke længere"}


def test_force_rebuilds_everything(archive):
    assert len(build(archive, force=True).built) == 8  # 2 meetings, 2 sheets, 3 press releases, the site


def test_a_failed_build_keeps_the_record(archive, capsys):
    item = archive / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md"
    good = item.read_text(encoding="utf-8")
    item.write_text(good.replace("kind: O", "kind: X"), encoding="utf-8")
    assert main(["build", "--root", str(archive)]) == 1
    item.write_text(good, encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--root", str(archive)]) == 0
    assert capsys.readouterr().out == "Alt er opdateret; intet at bygge.\n"


def test_the_fingerprint_covers_every_module_template_and_library(archive, monkeypatch, tmp_path):
    import rardocs.markdown.word
    from rardocs import incremental
    from rardocs.package import default_templates, dependency_versions, package_files
    from rardocs.sources import list_archive

    files = package_files()
    assert Path(rardocs.markdown.word.__file__).resolve() in files  # a module of a subpackage
    assert default_templates() / "referat.docx" in files
    assert "docxtpl " in dependency_versions() and "python " in dependency_versions()

    before = {u.key: u.fingerprint for u in incremental.units(list_archive(archive / "content"))}
    copy = tmp_path / "word.py"
    copy.write_bytes(Path(rardocs.markdown.word.__file__).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(incremental, "package_files", lambda: [copy if f.name == "word.py" else f for f in files])
    after = {u.key: u.fingerprint for u in incremental.units(list_archive(archive / "content"))}
    assert before.keys() == after.keys() and all(before[k] != after[k] for k in before)
    monkeypatch.setattr(incremental, "dependency_versions", lambda: "python 9.9")
    assert all(u.fingerprint != after[u.key] for u in incremental.units(list_archive(archive / "content")))


def test_a_huge_file_is_hashed_in_chunks(tmp_path):
    import tracemalloc

    from rardocs.incremental import file_digest

    huge = tmp_path / "stor.pdf"
    with open(huge, "wb") as handle:
        handle.truncate(1 << 30)  # 1 GiB, sparse
    tracemalloc.start()
    digest = file_digest(huge)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(digest) == 32 and peak < 16 << 20


def test_a_build_leaves_nothing_frozen_from_the_collector(archive):
    """The archive is kept from the garbage collector during a build, not after it: a
    process that builds again and again (rardocs serve) must not keep every archive."""
    import gc

    assert gc.get_freeze_count() == 0
    item = archive / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    assert build(archive).built
    assert gc.get_freeze_count() == 0
    item.write_text("---\ntitle: [\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build(archive)
    assert gc.get_freeze_count() == 0
