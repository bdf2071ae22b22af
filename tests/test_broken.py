"""Every user mistake is reported as ``path:line: <message>``, exit 1, nothing written.

Each folder under ``tests/broken/`` is one mistake: the files that differ from
``tests/minimal/`` (same relative paths), an optional ``delete.txt`` listing
files of the minimal project to remove, and ``expected.txt`` with every problem
line (errors and warnings) ``rardocs build`` and ``rardocs check`` must print,
exactly and in order: a message too many is a failure as much as one missing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import MINIMAL, tree
from rardocs.cli import main

BROKEN = Path(__file__).resolve().parent / "broken"
META = ("expected.txt", "delete.txt")
PROBLEM_LINE = re.compile(r"^content(/[^:]+)?(:\d+)?: \S")

#: Cases whose expected.txt states the correct behaviour that rardocs does not (yet) have.
KNOWN_BUGS: dict[str, str] = {}  # case name -> reason, for a bug not fixed yet (strict xfail)

CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def _param(name: str):
    marks = [pytest.mark.xfail(reason=KNOWN_BUGS[name], strict=True)] if name in KNOWN_BUGS else []
    return pytest.param(name, marks=marks, id=name)


def apply_case(root: Path, case: Path) -> None:
    """Overlay the case's files on the project at ``root`` and apply its delete.txt."""
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case)
        if source.is_file() and relative.as_posix() not in META:
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    deletions = case / "delete.txt"
    if deletions.is_file():
        for line in deletions.read_text(encoding="utf-8").splitlines():
            if line.strip():
                target = root / line.strip()
                assert target.is_file(), f"{deletions}: {line.strip()} is not a file of the minimal project"
                target.unlink()


def broken_project(tmp_path: Path, name: str) -> Path:
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    apply_case(root, BROKEN / name)
    return root


def expected_lines(name: str) -> list[str]:
    text = (BROKEN / name / "expected.txt").read_bytes().decode("utf-8")
    return [line for line in text.splitlines() if line.strip()]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cases_are_well_formed():
    assert len(CASES) >= 30
    for name in CASES:
        case = BROKEN / name
        assert (case / "expected.txt").is_file(), f"{name} has no expected.txt"
        lines = expected_lines(name)
        assert lines, f"{name}/expected.txt is empty"
        for line in lines:
            assert PROBLEM_LINE.match(line), f"{name}/expected.txt: not a 'path:line: message' line: {line!r}"
        changed = [p for p in case.rglob("*") if p.is_file() and p.relative_to(case).as_posix() not in META]
        assert changed or (case / "delete.txt").is_file(), f"{name} changes nothing"
    assert set(KNOWN_BUGS) <= set(CASES)


def test_minimal_project_is_clean(tmp_path, capsys):
    """The cases break a project that is otherwise fine."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    status, out, err = run(capsys, "check", "--root", str(root))
    assert status == 0, err
    assert err == "", "the minimal project must give no warnings either"


@pytest.mark.parametrize("name", [_param(name) for name in CASES])
def test_broken(tmp_path, capsys, name):
    root = broken_project(tmp_path, name)
    expected = expected_lines(name)
    for command in ("build", "check"):
        status, out, err = run(capsys, command, "--root", str(root))
        assert "Traceback" not in out + err, f"{command}:\n{err}"
        printed = [line for line in err.splitlines() if PROBLEM_LINE.match(line)]
        assert printed == expected, f"{command} printed:\n{err}"
        assert status == 1, f"{command} exited {status}:\n{err}"
        assert not (root / "output").exists(), f"{command} wrote {sorted(tree(root / 'output'))}"


@pytest.mark.parametrize("name", ["unknown-kind", "yaml-syntax", "bilag-file-missing", "missing-meeting-yaml",
                                  "several-problems-at-once"])
def test_failed_build_leaves_earlier_output_alone(tmp_path, capsys, name):
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    status, out, err = run(capsys, "build", "--root", str(root))
    assert status == 0, err
    before = tree(root / "output")
    assert any(path.endswith(".docx") for path in before)

    apply_case(root, BROKEN / name)
    status, out, err = run(capsys, "build", "--root", str(root))
    assert status == 1, err
    assert expected_lines(name)[0] in err.splitlines()
    assert tree(root / "output") == before


# --- odd inputs that once crashed rardocs: each must be reported as a content problem ---

M = "content/rar-test/2023-01-10"
ITEM = f"{M}/1.1-dagsorden.md"
BILAG_ITEM = f"{M}/2.1-ledighed.md"
COUNCIL = "content/rar-test/council.yaml"


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


FORMERLY_CRASHED = {
    # A title that starts with '!' is a YAML tag; constructing it raises an uncaught ConstructorError.
    "yaml-tag": (lambda r: _edit(r, ITEM, "title: Dagsorden for dagens møde", "title: !Vigtigt punkt"),
                 f"{ITEM}:2: "),
    # A list or mapping used as a key: _walk puts it in a dict, TypeError: unhashable type: 'list'.
    "yaml-collection-key": (lambda r: _edit(r, ITEM, "section: 1\n", "section: 1\n[a, b]: x\n"),
                            f"{ITEM}:4: "),
    # A format spec the numbers cannot take passes validation and fails while numbering (ValueError).
    "numbering-bad-format-spec": (lambda r: _edit(r, COUNCIL, 'item: "{section}.{item}"', 'item: "{section}.{item:s}"'),
                                  f"{COUNCIL}:4: "),
    # A NUL in a bilag file name: Path.resolve/is_file raise ValueError: embedded null byte.
    "bilag-file-nul": (lambda r: _edit(r, BILAG_ITEM, "    url: https://example.dk/notat.pdf", '    file: "bilag/a\\0.pdf"'),
                       f"{BILAG_ITEM}:7: "),
    # A bilag file name longer than the file system allows: OSError ENAMETOOLONG from is_file().
    "bilag-file-name-too-long": (lambda r: _edit(r, BILAG_ITEM, "    url: https://example.dk/notat.pdf",
                                                 "    file: " + "a" * 300 + ".pdf"),
                                 f"{BILAG_ITEM}:7: "),
    # A file with a UTF-16 BOM whose rest is not valid UTF-16: UnicodeDecodeError is not caught.
    "utf16-truncated": (lambda r: (r / ITEM).write_bytes(b"\xff\xfe" + "---\ntitle: x\n".encode("utf-16-le") + b"x"),
                        f"{ITEM}:"),
}


@pytest.mark.parametrize("name", sorted(FORMERLY_CRASHED))
def test_mistake_is_reported_not_crashed(tmp_path, capsys, name):
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    change, prefix = FORMERLY_CRASHED[name]
    change(root)
    status, out, err = run(capsys, "build", "--root", str(root))
    assert "intern fejl" not in err, err
    assert status == 1, err
    assert any(line.startswith(prefix) and re.match(r"^[^:]+:\d+: \S", line) for line in err.splitlines()), err
    assert not (root / "output").exists()


def test_folder_named_like_an_item_is_no_crash(tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    (root / M / "3.1-mappe.md").mkdir()
    status, out, err = run(capsys, "build", "--root", str(root))
    assert status in (0, 1), err
    assert "intern fejl" not in err
    assert not (root / "output" / "rardocs-fejl.log").exists()
