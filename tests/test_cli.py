"""The command line: exit status, Danish messages, nothing written on failure."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, copy_example, tree
from rardocs.cli import main


def test_build_writes_and_reports(project, capsys):
    assert main(["build", "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert "skrev output/rar-test/2023-01-10/2023-01-10 Dagsorden RAR Test.docx" in out
    files = sorted(tree(project / "output"))
    site = [f for f in files if f.startswith("rar-test/web/")]
    assert f"Færdig: {3 + len(site)} filer skrevet." in out
    assert [f for f in files if f not in site] == [".rardocs-state.json", ".rardocs.lock",
        "rar-test/2023-01-10/2023-01-10 Dagsorden RAR Test.docx",
        "rar-test/2023-01-10/2023-01-10 Opfølgningsark RAR Test.docx", "rar-test/2023-01-10/2023-01-10 Referat RAR Test.docx"]
    assert {"rar-test/web/index.html", "rar-test/web/moeder/2023-01-10/index.html", "rar-test/web/feed.atom"} <= set(site)


def test_check_writes_nothing(project, capsys):
    assert main(["check", "--root", str(project)]) == 0
    assert capsys.readouterr().out == "Indholdet er i orden: 1 møde.\n"
    assert not (project / "output").exists()


def test_selecting_a_kind_rebuilds_it_and_whatever_changed(project, capsys):
    folder = project / "output/rar-test/2023-01-10"
    assert main(["build", "--root", str(project), "--kind", "referat"]) == 0
    # Nothing was built before, so everything is out of date and built: no published file may be stale.
    assert sorted(p.name for p in folder.glob("*.docx")) == [
        "2023-01-10 Dagsorden RAR Test.docx", "2023-01-10 Opfølgningsark RAR Test.docx", "2023-01-10 Referat RAR Test.docx"]
    dagsorden = (folder / "2023-01-10 Dagsorden RAR Test.docx").stat().st_mtime_ns
    (folder / "2023-01-10 Referat RAR Test.docx").write_bytes(b"i stykker")
    capsys.readouterr()
    assert main(["build", "--root", str(project), "--kind", "referat"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["skrev output/rar-test/2023-01-10/2023-01-10 Referat RAR Test.docx",
                                "Færdig: 1 fil skrevet, 2 uændrede sprunget over."]  # the opfølgningsark and the site
    assert (folder / "2023-01-10 Dagsorden RAR Test.docx").stat().st_mtime_ns == dagsorden


def test_wrong_use_exits_2_in_danish(capsys):
    assert _exit(["build", "--kind", "brev"]) == 2
    assert "forkert brug" in capsys.readouterr().err
    assert _exit(["slet-alt"]) == 2


def test_build_does_not_touch_content(project):
    before = tree(project / "content")
    assert main(["build", "--root", str(project)]) == 0
    assert tree(project / "content") == before


def test_python_build_py_is_rardocs_build(tmp_path):
    """The README's command, as a new user runs it, in a copy of the repository."""
    root = copy_example(tmp_path / "project")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root), "--meeting", "2022-09-29",
                             "--kind", "dagsorden"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Dagsorden RAR Østjylland.docx" in result.stdout


def test_the_program_ends_with_the_commands_status_and_all_it_printed(tmp_path):
    """build.py ends its process at once (rardocs.cli.run): with main's status, and with
    every line printed, to a pipe too."""
    import re

    root = copy_example(tmp_path / "project")
    first = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)], capture_output=True,
                           text=True)
    assert first.returncode == 0, first.stderr
    written = re.fullmatch(r"(?s)(.*)Færdig: (\d+) filer skrevet\.\n", first.stdout)
    assert written and written.group(1).count("skrev ") == int(written.group(2)) > 20
    item = root / "content/rar-oestjylland/2022-09-29/1.2-referater.md"
    item.write_text(item.read_text(encoding="utf-8").replace("---", "---\nkind: [", 1), encoding="utf-8")
    broken = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root)], capture_output=True,
                            text=True)
    assert broken.returncode == 1
    assert broken.stderr.startswith("content/rar-oestjylland/2022-09-29/1.2-referater.md:4: ugyldig YAML")
    assert broken.stderr.endswith("Fandt 1 fejl. Intet er skrevet.\n")


def _exit(argv) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def test_pdf_without_libreoffice_says_so_and_writes_nothing(project, capsys, monkeypatch):
    import rardocs.builder
    monkeypatch.setattr(rardocs.builder, "pdf_soffice", lambda: None)
    assert main(["build", "--root", str(project), "--pdf"]) == 1
    assert "LibreOffice er ikke installeret" in capsys.readouterr().err
    assert not (project / "output").exists()


def test_unknown_council_or_meeting_is_wrong_use(project, capsys):
    assert main(["build", "--root", str(project), "--council", "rar-fyn"]) == 2
    assert "rådet 'rar-fyn' findes ikke under content/ (der er: rar-test)" in capsys.readouterr().err
    assert main(["build", "--root", str(project), "--meeting", "2099-01-01"]) == 2
    assert "der er intet møde den 2099-01-01 (der er: 2023-01-10)" in capsys.readouterr().err
    assert not (project / "output").exists()


def test_output_that_cannot_be_written_is_reported(project, capsys):
    (project / "output").write_text("en fil, ikke en mappe")
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fejl: kan ikke skrive i ") and "Traceback" not in err


def test_opfoelgning_into_a_closed_pipe_exits_quietly(example_project):
    """``rardocs opfølgning | head -1``: the reader goes away; no error, no log."""
    process = subprocess.Popen([sys.executable, "-m", "rardocs.cli", "opfølgning", "--root", str(example_project)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before rardocs writes a line
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err.decode()) == (0, "")
    assert not (example_project / "output").exists()


def test_exit_statuses_are_those_the_readme_gives(example_project, tmp_path, capsys, monkeypatch):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for status, means in ((0, "done"), (1, "problems in the content or a template"), (2, "wrong use of the command"),
                          (3, "an internal error")):
        assert f"| {status} | {means}" in readme
    assert main(["new", "rar-fyn", "2023-01-30", "--root", str(example_project)]) == 2
    assert main(["opfølgning", "--root", str(tmp_path)]) == 2
    monkeypatch.setattr("shutil.which", lambda name: None)
    assert main(["build", "--pdf", "--root", str(example_project)]) == 1
    assert "LibreOffice er ikke installeret" in capsys.readouterr().err
