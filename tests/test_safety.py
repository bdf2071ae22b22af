"""Nothing lost, nothing written where it should not be, no traceback for anyone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, copy_example, tree
from docxdump import dump
from rardocs import build
from rardocs.cli import main

MEETING = "content/rar-test/2023-01-10"


def everything_but_output(root: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree(root).items() if not k.startswith(("output/", ".rardocs-cache/"))}


def test_a_build_writes_only_under_output(project):
    """And in its cache beside content/ (rardocs.memo), which git is told to leave out."""
    before = everything_but_output(project)
    assert main(["build", "--root", str(project)]) == 0
    assert everything_but_output(project) == before
    assert (project / ".rardocs-cache/.gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


@pytest.mark.parametrize("what", ["item", "meeting", "council"])
def test_symbolic_links_out_of_content_are_refused(project, tmp_path, capsys, what):
    outside = tmp_path / "outside"
    shutil.copytree(project / "content/rar-test", outside)
    link = {"item": project / MEETING / "9.9-link.md", "meeting": project / "content/rar-test/2023-02-01",
            "council": project / "content/rar-link"}[what]
    target = {"item": outside / "2023-01-10/1.1-dagsorden.md", "meeting": outside / "2023-01-10", "council": outside}[what]
    link.symlink_to(target)
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    shown = link.relative_to(project).as_posix()
    assert f"{shown}: peger uden for content/ (et symbolsk link) og bruges ikke" in err
    assert not (project / "output").exists()


def test_a_bilag_symlink_out_of_the_meeting_is_refused(project, tmp_path, capsys):
    secret = tmp_path / "hemmelig.pdf"
    secret.write_bytes(b"%PDF")
    (project / MEETING / "bilag").mkdir()
    (project / MEETING / "bilag/notat.pdf").symlink_to(secret)
    item = project / MEETING / "2.1-ledighed.md"
    item.write_text(item.read_text(encoding="utf-8").replace("    url: https://example.dk/notat.pdf", "    file: bilag/notat.pdf"),
                    encoding="utf-8")
    assert main(["build", "--root", str(project)]) == 1
    assert f"{MEETING}/2.1-ledighed.md:7: bilagsfilen 'bilag/notat.pdf' ligger uden for mødets mappe" in capsys.readouterr().err


def test_a_template_symlink_out_of_the_council_is_refused(project, tmp_path, capsys):
    (project / "content/rar-test/templates").mkdir()
    (project / "content/rar-test/templates/referat.docx").symlink_to(REPO / "templates/referat.docx")
    assert main(["build", "--root", str(project)]) == 1
    assert "content/rar-test/templates/referat.docx: peger uden for content/ (et symbolsk link) og bruges ikke" in capsys.readouterr().err
    assert not (project / "output").exists()


def test_bilag_files_are_copied_and_linked(project):
    (project / MEETING / "bilag").mkdir()
    (project / MEETING / "bilag/notat.pdf").write_bytes(b"%PDF-1.4 notat")
    item = project / MEETING / "2.1-ledighed.md"
    item.write_text(item.read_text(encoding="utf-8").replace("    url: https://example.dk/notat.pdf", "    file: bilag/notat.pdf"),
                    encoding="utf-8")
    build(project)
    folder = project / "output/rar-test/2023-01-10"
    assert (folder / "bilag/2.1-notat.pdf").read_bytes() == b"%PDF-1.4 notat"
    assert "[Felttekst] Bilag:\t2.1 – [Notat om ledighed](bilag/2.1-notat.pdf)" in dump(folder / "2023-01-10 Dagsorden RAR Test.docx")


def test_an_internal_error_is_short_danish_and_logged(project, capsys, monkeypatch):
    import rardocs.render

    def broken(*args, **kwargs):
        raise RuntimeError("simuleret fejl")

    monkeypatch.setattr(rardocs.render, "render", broken)
    assert main(["build", "--root", str(project)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("rardocs stødte på en intern fejl. Intet er ødelagt; detaljerne er gemt i ")
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert "RuntimeError: simuleret fejl" in (project / "output/rardocs-fejl.log").read_text(encoding="utf-8")


def _build_command(root: Path) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "--root", str(root), "--force"]


def test_two_builds_at_once_leave_only_whole_files(tmp_path):
    root = tmp_path / "project"
    copy_example(root)
    processes = [subprocess.Popen(_build_command(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()
    files = [p for p in (root / "output").rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.endswith(".tmp")]
    for path in files:
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                assert z.testzip() is None


@pytest.mark.parametrize("pdf", [False, True], ids=["docx", "pdf"])
def test_builds_at_different_times_and_places_are_identical(tmp_path, pdf):
    if pdf and shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    outputs = []
    for name, tz in (("a", "UTC"), ("b", "America/Godthab")):
        root = tmp_path / name
        copy_example(root)
        env = {**os.environ, "TZ": tz}
        env.pop("SOURCE_DATE_EPOCH", None)
        subprocess.run(_build_command(root) + (["--pdf"] if pdf else []), check=True, capture_output=True, env=env)
        outputs.append({k: v for k, v in tree(root / "output").items() if not k.endswith(".json")})
        time.sleep(2.1)  # zip timestamps have a resolution of two seconds
    assert outputs[0].keys() == outputs[1].keys() and len(outputs[0]) >= 15
    assert pdf == any(k.endswith(".pdf") and "/bilag/" not in k for k in outputs[0])
    assert [k for k in outputs[0] if outputs[0][k] != outputs[1][k]] == []


def test_hostile_text_appears_literally_in_a_valid_document(project):
    hostile = "{{ meeting.place }} {% if x %} <script>alert('x')</script> & &amp; \"citat\" ’ 😀 \u200b æøå"
    item = project / MEETING / "2.1-ledighed.md"
    item.write_text(
        "---\ntitle: '" + hostile.replace("'", "''") + "'\nsection: 2\nkind: O\n---\n\n## Sagen kort\n\n" + hostile + "\n",
        encoding="utf-8")
    result = build(project)
    dagsorden = next(p for p in result.written if "Dagsorden" in p.name)
    lines = dump(dagsorden).splitlines()
    assert f"[Heading2] 2.1 {hostile} (O)" in lines
    assert f"[Felttekst] Sagen kort:\t{hostile}" in lines
    validator = pytest.importorskip("openxml_audit").OpenXmlValidator()
    assert [str(e) for e in validator.validate(str(dagsorden)).errors] == []
