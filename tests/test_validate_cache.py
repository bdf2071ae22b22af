"""What validation keeps from one build to the next (rardocs.memo): an item's text checked
once per content, and a validation from the cache always the validation without it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import MINIMAL
from rardocs import memo
from rardocs.content import read_archive
from rardocs.errors import ContentError
from rardocs.validate import item as item_module
from rardocs.validate import validate
from test_broken import CASES, broken_project

SALT = b"test"
MEETING = "content/rar-test/2023-01-10"


def outcome(root: Path):
    """The archive and its warnings, or ``None`` and every problem."""
    try:
        return validate(read_archive(root))
    except ContentError as exc:
        return None, exc.problems


def cached(root: Path):
    """:func:`outcome` with the project's cache, saved even when the content is wrong."""
    with memo.session(root / memo.CACHE_FOLDER, SALT, save=False) as store:
        try:
            return outcome(root)
        finally:
            store.save()


def same_as_live(root: Path):
    """The outcome from the cache, checked against the outcome without it."""
    result = cached(root)
    assert result == outcome(root)
    return result


@pytest.fixture
def checked_texts(monkeypatch) -> list[str]:
    """The items whose text is checked (not taken from the cache), by path."""
    paths = []
    check = item_module.item_text

    def counting(raw):
        paths.append(raw.path)
        return check(raw)

    monkeypatch.setattr(item_module, "item_text", counting)
    return paths


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_item_is_not_checked_again(project, checked_texts):
    first = same_as_live(project)
    assert first[0] is not None
    checked_texts.clear()
    assert cached(project) == first
    assert checked_texts == []
    assert (project / memo.CACHE_FOLDER / "validate/rar-test/2023-01-10.pickle").is_file()


def test_an_edited_item_is_checked_again_and_the_old_result_dropped(project, checked_texts):
    same_as_live(project)
    edit(project / MEETING / "2.1-ledighed.md", "## Beslutning\n", "## Beslutning\n\nSe [notatet](notat.pdf).\n")
    checked_texts.clear()
    model, warnings = cached(project)
    assert checked_texts == [f"{MEETING}/2.1-ledighed.md"]
    assert model is not None and [(p.path, p.line, p.message) for p in warnings] == [
        (f"{MEETING}/2.1-ledighed.md", 20, ("linket 'notat.pdf' er ikke en webadresse og vises som tekst"
                                            " (brug https://, http:// eller mailto:)"))]
    checked_texts.clear()
    assert cached(project) == (model, warnings)  # the warning kept, its line and all
    assert checked_texts == []
    assert outcome(project) == (model, warnings)
    with memo.session(project / memo.CACHE_FOLDER, SALT) as store:
        assert len(store._table(f"validate/{MEETING.removeprefix('content/')}")) == 2  # one entry an item


def test_a_text_with_a_mistake_is_checked_every_time(project, checked_texts):
    edit(project / MEETING / "2.1-ledighed.md", "## Beslutning\n", "## Beslutning\n\n**Indstilling**\n")
    first = same_as_live(project)
    assert first[0] is None and [(p.line, p.message) for p in first[1]] == [
        (20, "'**Indstilling**' ligner feltet Indstilling; skriv '## Indstilling'")]
    checked_texts.clear()
    assert cached(project) == first
    assert checked_texts == [f"{MEETING}/2.1-ledighed.md"]  # not kept: checked afresh, the other item not


def test_an_item_that_changed_while_read_is_checked_afresh(project, checked_texts, monkeypatch):
    same_as_live(project)
    monkeypatch.setattr(memo, "hash_file", lambda path: b"changed while read")
    (project / memo.CACHE_FOLDER / "read").rename(project / "read-kept")  # read again, and then not kept
    checked_texts.clear()
    assert cached(project) == outcome(project)
    assert sorted(checked_texts) == [f"{MEETING}/1.1-dagsorden.md", f"{MEETING}/1.1-dagsorden.md",
                                     f"{MEETING}/2.1-ledighed.md", f"{MEETING}/2.1-ledighed.md"]  # live both times


def test_without_a_session_nothing_is_kept(project):
    raw = read_archive(project)
    assert all(item.key is None for council in raw.councils for meeting in council.meetings for item in meeting.items)
    assert validate(raw)[0].meetings
    assert not (project / memo.CACHE_FOLDER).exists()


# --- what an item's validation reads besides its file: each change shows ------------------
# (checked live today, the text alone being kept; these hold any cache of more to that)


def test_a_bilag_file_removed_and_added_again(project):
    item = project / MEETING / "2.1-ledighed.md"
    edit(item, "    url: https://example.dk/notat.pdf", "    file: bilag/notat.pdf")
    (project / MEETING / "bilag").mkdir()
    (project / MEETING / "bilag/notat.pdf").write_bytes(b"%PDF-1.4\n")
    assert same_as_live(project)[0] is not None
    (project / MEETING / "bilag/notat.pdf").unlink()
    assert "bilagsfilen 'bilag/notat.pdf' findes ikke" in str(same_as_live(project)[1])
    (project / MEETING / "bilag/notat.pdf").write_bytes(b"%PDF-1.4\n")
    model, _ = same_as_live(project)
    assert model.meetings[0].items[1].bilag[0].file == "bilag/notat.pdf"


def test_a_council_member_renamed(project):
    same_as_live(project)
    edit(project / "content/rar-test/council.yaml", "name: Bo Berg", "name: Bo Bergholt")
    model, problems = same_as_live(project)
    assert model is None and "'Bo Berg' findes ikke blandt rådets medlemmer" in str(problems)


def test_a_section_removed(project):
    same_as_live(project)
    edit(project / MEETING / "meeting.yaml", "  - number: 2\n    title: Beskæftigelse\n", "")
    model, problems = same_as_live(project)
    assert model is None and "afsnit 2 findes ikke i meeting.yaml (der er 1)" in str(problems)


def test_the_meeting_date_changed(project):
    edit(project / MEETING / "2.1-ledighed.md", "---\n\n", "followup:\n  - action: Notat\n    owner: Sekretariatet\n"
                                                         "    done: 2023-01-12\n---\n\n")
    assert same_as_live(project)[0] is not None
    edit(project / MEETING / "meeting.yaml", "date: 2023-01-10", "date: 2023-01-13")
    _, problems = same_as_live(project)
    assert "datoen 2023-01-12 er før mødet den 2023-01-13" in str(problems)


def test_a_section_title_renamed_and_an_item_moved(project):
    same_as_live(project)
    edit(project / MEETING / "meeting.yaml", "title: Beskæftigelse", "title: Arbejdsmarkedet")
    edit(project / MEETING / "1.1-dagsorden.md", "section: 1", "section: 2")
    model, _ = same_as_live(project)
    assert [s.title for s in model.meetings[0].sections] == ["Interne forhold", "Arbejdsmarkedet"]
    assert [i.number for i in model.meetings[0].sections[1].items] == ["2.1", "2.2"]


@pytest.mark.parametrize("name", CASES)
def test_every_broken_case_reads_the_same_from_the_cache(tmp_path, name):
    root = broken_project(tmp_path, name)
    first = same_as_live(root)
    assert same_as_live(root) == first
