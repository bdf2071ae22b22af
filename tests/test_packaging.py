"""rardocs installs as a wheel: the package and its default templates, nothing from the repository."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import REPO, copy_example

from rardocs import package

# Top-level folders a wheel is not built from (besides hidden ones). The rest is copied to a
# scratch folder, so that building writes no build/ or egg-info into the repository.
NOT_BUILT_FROM = {"output", "build", "dist", "tests", "content", "benchmarks"}


def _can_build_wheels() -> str:
    """Why a wheel cannot be built here without build isolation, or "" when it can."""
    try:
        setuptools = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return "setuptools is not installed"
    major, minor = (int(n) for n in setuptools.split(".")[:2])
    if (major, minor) < (70, 1) and importlib.util.find_spec("wheel") is None:
        return f"setuptools {setuptools} builds wheels only with the wheel package (or setuptools>=70.1)"
    return ""


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A wheel built from the repository, installed into a folder of its own; that folder."""
    why_not = _can_build_wheels()
    if why_not:
        pytest.skip(f"cannot build a wheel here: {why_not} (pip install -e '.[test]' installs what is needed)")
    scratch = tmp_path_factory.mktemp("packaging")
    source = scratch / "source"
    shutil.copytree(REPO, source, ignore=lambda folder, names: {
        n for n in names if n == "__pycache__" or n.endswith(".egg-info") or n.startswith(".")
        or (Path(folder) == REPO and n in NOT_BUILT_FROM)})
    _pip("wheel", "--no-deps", "--no-build-isolation", "-w", scratch / "dist", source)
    (wheel,) = (scratch / "dist").glob("rardocs-*.whl")
    target = scratch / "target"
    _pip("install", "--no-deps", "--target", target, wheel)
    return target


def _pip(*args):
    run = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, f"pip {args[0]} failed:\n{run.stdout}{run.stderr}"


def test_the_wheel_holds_every_module_and_template(installed):
    shipped = {p.relative_to(installed).as_posix() for p in (installed / "rardocs").rglob("*") if p.is_file()}
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "rardocs").rglob("*.py")}
    templates = {f"rardocs/templates/{p.name}" for p in (REPO / "templates").glob("*.docx")}
    assert len(templates) == 4
    assert modules | templates <= shipped


def test_the_installed_command_is_the_command_line(installed):
    """``rardocs`` runs rardocs.cli.run (main, then the process ends at once: see run)."""
    (entry_points,) = installed.glob("rardocs-*.dist-info/entry_points.txt")
    assert "rardocs = rardocs.cli:run" in entry_points.read_text(encoding="utf-8").splitlines()
    script = installed / "bin" / "rardocs"
    run = subprocess.run([sys.executable, str(script), "check", "--root", str(REPO)], capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(installed)}, check=False)
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    assert run.stdout.strip()


def test_the_installed_wheel_builds_the_example(installed, tmp_path, example_output):
    """Run from outside the repository, with neither the editable install nor the repository on the path."""
    project = copy_example(tmp_path / "project")
    paths = sysconfig.get_paths()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(installed), paths["purelib"], paths["platlib"]])}
    script = ("import sys, rardocs, rardocs.package as p; from rardocs.cli import main;"
              "print(rardocs.__file__); print(p.default_templates()); sys.exit(main(['build', '--root', '.']))")
    run = subprocess.run([sys.executable, "-S", "-c", script], cwd=project, env=env,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    module, templates = run.stdout.splitlines()[:2]
    assert Path(module).is_relative_to(installed)
    assert Path(templates) == installed / "rardocs" / "templates"
    built = {p.relative_to(project / "output").as_posix(): p.read_bytes() for p in (project / "output").rglob("*.docx")}
    expected = {p.relative_to(example_output).as_posix(): p.read_bytes() for p in example_output.rglob("*.docx")}
    assert "rar-oestjylland/2022-09-29/2022-09-29 Referat RAR Østjylland.docx" in built
    assert built == expected  # the same templates, byte for byte the same documents


def test_package_files_are_the_modules_and_templates():
    files = package.package_files()
    assert files == sorted(files)
    assert Path(package.__file__).resolve() in files
    assert {p.name for p in files if p.suffix == ".docx"} == {
        "dagsorden.docx", "referat.docx", "opfoelgningsark.docx", "pressemeddelelse.docx"}
    assert {p.name for p in files if p.parent.name == "web"} >= {"base.html", "moede.html", "style.css", "search.js"}
    assert all(p.suffix in (".py", ".docx", ".html", ".css", ".js") and "__pycache__" not in p.parts for p in files)


def test_dependency_versions_name_python_and_each_library():
    lines = package.dependency_versions().splitlines()
    assert lines[0] == f"python {sys.version.split()[0]}"
    assert [line.split()[0] for line in lines[1:]] == list(package.DEPENDENCIES)
    assert lines[1:] == [f"{name} {importlib.metadata.version(name)}" for name in package.DEPENDENCIES]
