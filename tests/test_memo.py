"""What one build keeps for the next (rardocs.memo), and documents made in two processes:
faster, never different."""

from __future__ import annotations

import datetime as dt
import gc
import pickle
import shutil
from pathlib import Path

import pytest

from conftest import copy_example, edited_template, tree
from docxdump import dump
from rardocs import build, memo
from rardocs.builder import PARALLEL_FROM, making, plan
from rardocs.cli import main
from rardocs.documents import Markdown, Rich
from rardocs.errors import ContentError, Problem, TemplateError
from rardocs.sandbox import DEFAULT_TEMPLATES

CACHE = memo.CACHE_FOLDER


def published(root: Path) -> dict[str, bytes]:
    return {path: data for path, data in tree(root / "output").items() if not path.startswith(".rardocs")}


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    copy_example(root)
    return root


def test_a_build_from_the_cache_is_the_build_without_it(project, tmp_path):
    build(project)
    assert sorted(p.relative_to(project / CACHE).as_posix() for p in (project / CACHE).rglob("*.pickle")) == [
        "feeds/rar-oestjylland.pickle", "files.pickle",
        "model/rar-oestjylland/2022-09-29.pickle", "model/rar-oestjylland/2022-11-28.pickle",
        "read/rar-oestjylland.pickle",
        "read/rar-oestjylland/2022-09-29.pickle", "read/rar-oestjylland/2022-11-28.pickle",
        "read/rar-oestjylland/presse.pickle", "site/rar-oestjylland/2022-09-29.pickle",
        "site/rar-oestjylland/2022-11-28.pickle", "site/rar-oestjylland/search.pickle", "templates.pickle",
        "validate/rar-oestjylland/2022-09-29.pickle", "validate/rar-oestjylland/2022-11-28.pickle"]
    first = published(project)
    assert build(project, force=True).built  # every document and page made again, from the cache
    assert published(project) == first
    shutil.rmtree(project / CACHE)
    build(project, force=True)
    assert published(project) == first


def test_the_cache_keeps_only_what_the_last_build_used(project):
    build(project)
    item = project / "content/rar-oestjylland/2022-09-29/2.1-positivlisten.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    shutil.rmtree(project / "content/rar-oestjylland/2022-11-28")
    build(project)
    left = {p.relative_to(project / CACHE).as_posix() for p in (project / CACHE).rglob("*.pickle")}
    assert not [name for name in left if "2022-11-28" in name]
    with memo.session(project / CACHE, memo_salt()) as store:
        table = store._table("read/rar-oestjylland/2022-09-29")
    folder = project / "content/rar-oestjylland/2022-09-29"
    assert len(table) == len([*folder.glob("*.md"), *folder.glob("*.yaml")])  # each file as it is now, only
    assert sum(b"Et nyt afsnit" in pickle.dumps(value) for value in table.values()) == 1


def test_a_table_let_go_and_used_again_keeps_what_it_had_used(tmp_path):
    with memo.session(tmp_path, b"salt") as store:
        store.get("t", b"a", lambda: 1)
        store.release("t")  # saved, let go
        store.get("t", b"b", lambda: 2)
    with memo.session(tmp_path, b"salt") as store:
        assert store._table("t") == {b"a": 1, b"b": 2}


def test_after_a_build_no_file_of_the_archive_is_hashed_again(project, monkeypatch, capsys):
    """Each file's hash is kept by its stamp: after an edit and its build, the next
    up-to-date check reads no file, neither the edited one (a new hash under the same
    name) nor a bilag (which only the check hashes, and the build does not read)."""
    monkeypatch.setattr(memo, "RACY_NS", 0)
    assert main(["build", "--root", str(project)]) == 0
    item = project / "content/rar-oestjylland/2022-09-29/2.1-positivlisten.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    assert main(["build", "--root", str(project)]) == 0
    hashed = []
    monkeypatch.setattr(memo, "hash_file", lambda path, _real=memo.hash_file: hashed.append(path) or _real(path))
    assert main(["build", "--root", str(project)]) == 0
    assert capsys.readouterr().out.endswith("Alt er opdateret; intet at bygge.\n")
    assert [path.name for path in hashed] == []


def test_a_meeting_page_is_made_again_only_when_its_meeting_changed(project):
    build(project)
    web = project / "output/rar-oestjylland/web"
    stamps = {path: path.stat().st_mtime_ns for path in web.rglob("*") if path.is_file()}
    item = project / "content/rar-oestjylland/2022-09-29/2.1-positivlisten.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    (web / "data/2022-11-28.json").unlink()  # a file deleted by hand is made again
    build(project)
    changed = {path.relative_to(web).as_posix() for path in web.rglob("*")
               if path.is_file() and stamps.get(path) != path.stat().st_mtime_ns}
    assert changed == {"moeder/2022-09-29/index.html", "data/2022-09-29.json", "search-index.js",
                       "data/2022-11-28.json"}
    assert "Et nyt afsnit" in (web / "moeder/2022-09-29/index.html").read_text(encoding="utf-8")


def memo_salt() -> bytes:
    from rardocs.incremental import package_digest
    return package_digest()


def test_a_planted_cache_file_runs_nothing(project, tmp_path, capsys):
    build(project)
    marker = tmp_path / "ran"

    class Planted:
        def __reduce__(self):
            return (Path.touch, (marker,))

    salt = memo.Store(project / CACHE, memo_salt()).salt
    for path in (project / CACHE).rglob("*.pickle"):
        path.write_bytes((salt if path.name != "files.pickle" else bytes([1]) * 32) + pickle.dumps({b"k": Planted()}))
    item = project / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md"
    item.write_text(item.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    assert main(["build", "--root", str(project)]) == 0
    assert not marker.exists()
    assert gc.isenabled()  # the collector, off while a table is read, is on again after a refused one


def test_a_planted_cache_file_calls_no_function_of_rardocs_either(project, tmp_path):
    """Only rardocs' data classes are read back: a function of the package (here one that
    writes a file) named in a planted file is refused, not called."""
    from rardocs import importer

    build(project)
    target = tmp_path / "written"

    class Planted:
        def __reduce__(self):
            return (importer._replace, (target, "planted"))

    salt = memo.Store(project / CACHE, memo_salt()).salt
    for path in (project / CACHE).rglob("*.pickle"):
        path.write_bytes((salt if path.name != "files.pickle" else bytes([1]) * 32) + pickle.dumps({b"k": Planted()}))
    first = published(project)
    build(project, force=True)
    assert not target.exists()
    assert published(project) == first


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\x80\x04K\x01."])
def test_a_damaged_cache_is_an_empty_one(project, damage):
    build(project)
    first = published(project)
    for path in (project / CACHE).rglob("*.pickle"):
        path.write_bytes(damage)
    build(project, force=True)
    assert published(project) == first


def test_a_cache_of_another_version_is_not_used(project, monkeypatch):
    build(project)
    store = memo.Store(project / CACHE, b"another version")
    assert store.get("read", b"key", lambda: "made") == "made" and store.misses == 1


def test_a_failed_build_leaves_no_cache(project, capsys):
    item = project / "content/rar-oestjylland/2022-11-28/2.3-udvalgsmoede.md"
    item.write_text(item.read_text(encoding="utf-8").replace("kind: O", "kind: X"), encoding="utf-8")
    assert main(["build", "--root", str(project)]) == 1
    assert not (project / CACHE).exists()


def test_a_cache_that_cannot_be_written_costs_only_time(project, capsys):
    (project / CACHE).write_text("a file where the folder should be")
    assert main(["build", "--root", str(project)]) == 0
    assert (project / "output/rar-oestjylland/2022-09-29").is_dir()


def test_the_digest_sees_every_part_of_a_value_and_nothing_else():
    text = "".join(["Sagen", " kort"])  # another object than the literal
    assert memo.digest({"a": [Rich((Markdown(text),))]}) == memo.digest({"a": [Rich((Markdown("Sagen kort"),))]})
    assert memo.digest({"a": [1, 2]}) != memo.digest({"a": [1, 2, None]})
    assert memo.digest(["ab", "c"]) != memo.digest(["a", "bc"])
    assert memo.digest((1,)) != memo.digest([1])
    assert memo.digest(dt.date(2022, 9, 29)) != memo.digest("2022-09-29")
    shared = Markdown("Sagen kort")
    assert memo.digest([shared, shared]) == memo.digest([Markdown("Sagen kort"), Markdown("Sagen " + "kort")])
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):  # never a partial key
        memo.digest({"a": lambda: None})


# --- two processes ----------------------------------------------------------

@pytest.mark.parametrize("processes", ["1", "2"])
def test_a_template_is_prepared_once_and_kept_for_the_next_build(project, monkeypatch, processes):
    """The prepared templates come from the cache, in this process and in the workers
    (which inherit them): none is opened with Word again, and the documents are the same."""
    from rardocs import prepared, render

    monkeypatch.setenv("RARDOCS_PROCESSES", processes)
    monkeypatch.setattr("rardocs.builder.PARALLEL_FROM", 2)
    build(project)
    first = published(project)
    with memo.session(project / CACHE, memo_salt(), save=False) as store:
        table = store._table(prepared.TABLE)
    assert sorted(table) == sorted(memo.hash_file(path) for path in DEFAULT_TEMPLATES.glob("*.docx"))
    assert all(isinstance(value, prepared.Prepared) for value in table.values())
    monkeypatch.setattr(render, "_PREPARED", {})  # a new process: nothing prepared in it yet

    def opened(blob):
        raise AssertionError("a template opened with Word again")

    monkeypatch.setattr(render, "_prepare", opened)
    assert build(project, force=True).built
    assert published(project) == first


def test_an_edited_template_is_prepared_again_and_the_old_one_let_go(project):
    from rardocs import prepared

    build(project)
    folder = project / "content/rar-oestjylland/templates"
    folder.mkdir(parents=True)
    own = edited_template(folder, DEFAULT_TEMPLATES / "referat.docx", ">Sted:<", ">Mødested:<")
    build(project)
    with memo.session(project / CACHE, memo_salt(), save=False) as store:
        table = store._table(prepared.TABLE)
    assert memo.hash_file(own) in table
    assert len(table) == 4  # the council's referat and the default dagsorden, opfølgningsark, pressemeddelelse
    referat = project / "output/rar-oestjylland/2022-09-29/2022-09-29 Referat RAR Østjylland.docx"
    assert "[Mødeoplysning] Mødested:" in dump(referat)


def test_only_the_packages_own_named_tuples_are_read_back_as_such():
    from rardocs.prepared import Member, Place

    class Sneaky(tuple):
        _fields = ("a",)

        def __new__(cls, *args):
            raise AssertionError("called")

    assert memo._named_tuple(Member) and memo._named_tuple(Place)
    assert not memo._named_tuple(Sneaky) and not memo._named_tuple(tuple)


def test_the_cache_is_saved_while_the_workers_still_make_documents(project, monkeypatch):
    """With workers making the documents, this process saves what it keeps for the next
    build (here: a meeting kept validated) once its sites are made, not after the workers."""
    import time

    from rardocs import builder

    monkeypatch.setenv("RARDOCS_PROCESSES", "2")
    table = project / CACHE / "model/rar-oestjylland/2022-11-28.pickle"
    make = builder._make

    def waiting(planned):  # in a worker: the last referat waits for the table to be saved
        if planned.kind == "referat" and planned.date == dt.date(2022, 11, 28):
            deadline = time.monotonic() + 60
            while not table.exists():
                if time.monotonic() > deadline:
                    raise AssertionError("the cache was not saved while the documents were made")
                time.sleep(0.01)
        return make(planned)

    monkeypatch.setattr(builder, "_make", waiting)
    assert builder.build(project).built
    assert table.exists()


def test_documents_made_in_two_processes_are_the_same_bytes(project, tmp_path, monkeypatch):
    monkeypatch.setenv("RARDOCS_PROCESSES", "1")
    build(project)
    serial = published(project)
    other = tmp_path / "other"
    shutil.copytree(project / "content", other / "content")
    monkeypatch.setenv("RARDOCS_PROCESSES", "2")
    monkeypatch.setattr("rardocs.builder.PARALLEL_FROM", 2)
    build(other)
    assert published(other) == serial


def test_the_first_failing_document_in_order_is_the_error(project, monkeypatch):
    from rardocs.builder import Planned, load

    archive, _ = load(project)
    jobs = {path: planned for files in plan(archive, project).values() for path, planned in files.items()
            if planned.kind != "bilag"}
    assert len(jobs) >= PARALLEL_FROM
    paths = list(jobs)

    def failing(message):
        def make():
            raise TemplateError(message)
        return make

    jobs[paths[3]] = Planned("referat", failing("den fjerde"), None)
    jobs[paths[6]] = Planned("referat", failing("den syvende"), None)
    monkeypatch.setenv("RARDOCS_PROCESSES", "2")
    with pytest.raises(TemplateError, match="den fjerde"):
        with making(jobs) as (made, parallel):
            assert parallel
            list(made)

    def content_error():
        raise ContentError([Problem("content/x.md", 3, "en fejl")])

    jobs[paths[3]] = Planned("referat", content_error, None)
    with pytest.raises(ContentError) as caught:
        with making(jobs) as (made, parallel):
            assert parallel
            list(made)
    assert caught.value.problems == [Problem("content/x.md", 3, "en fejl")]


def test_few_documents_are_made_in_this_process(monkeypatch):
    from rardocs.builder import _workers

    monkeypatch.setenv("RARDOCS_PROCESSES", "2")
    assert _workers(PARALLEL_FROM - 1) == 0
    assert _workers(PARALLEL_FROM) == 2
    monkeypatch.setenv("RARDOCS_PROCESSES", "1")
    assert _workers(1000) == 0


def test_a_few_documents_beside_a_big_web_site_leave_this_process_a_core(monkeypatch):
    from rardocs.builder import BUSY_FROM, FEW_DOCUMENTS, _workers

    monkeypatch.delenv("RARDOCS_PROCESSES", raising=False)
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2})
    assert _workers(3, beside=BUSY_FROM) == 2  # one worker fewer than the cores
    assert _workers(3, beside=BUSY_FROM - 1) == 3  # a small site: every core
    assert _workers(FEW_DOCUMENTS + 1, beside=BUSY_FROM) == 3  # many documents: every core
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1})
    assert _workers(2, beside=1000) == 1  # still a worker: this process makes the site meanwhile
    monkeypatch.setenv("RARDOCS_PROCESSES", "2")
    assert _workers(2, beside=1000) == 2  # asked for: as asked


def test_release_all_but_a_family_keeps_that_family_to_the_end(tmp_path):
    with memo.session(tmp_path, b"salt") as store:
        store.get("model/a", b"k", lambda: 1)
        store.get("read/a", b"k", lambda: 2)
        store.release_all(but="model")
        assert (tmp_path / "read/a.pickle").is_file() and not (tmp_path / "model/a.pickle").exists()
    assert (tmp_path / "model/a.pickle").is_file()  # saved when the session ended
