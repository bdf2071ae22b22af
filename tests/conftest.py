"""Shared fixtures: a minimal project to break, the example archive built once.

The tests never read or write the live ``content/`` and ``output/`` of the
repository (a user's own meetings must not change what the tests see): the
example archive they build is ``tests/example/``, a copy of the one in
``content/`` that ``.ci/run`` keeps identical to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import settings

from rardocs import build

settings.register_profile("default", max_examples=50)
settings.register_profile("thorough", max_examples=1000)
settings.load_profile("default")

REPO = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
MINIMAL = TESTS / "minimal"
EXAMPLE = TESTS / "example"
SEED = TESTS / "seed" / "referat-rar-oestjylland-2022-09-29.txt"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.txt from the current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of tests/minimal (one council, one meeting, two items) to modify."""
    root = tmp_path / "project"
    shutil.copytree(MINIMAL, root)
    return root


def copy_example(target: Path) -> Path:
    """A project at ``target`` holding a copy of the example archive; returns ``target``."""
    shutil.copytree(EXAMPLE / "content", target / "content")
    return target


@pytest.fixture
def example_project(tmp_path) -> Path:
    """A copy of the example archive to modify and build."""
    return copy_example(tmp_path / "project")


@pytest.fixture(scope="session")
def example_output(tmp_path_factory) -> Path:
    """The example archive, built once (from a copy) into a temporary output folder."""
    root = copy_example(tmp_path_factory.mktemp("example") / "project")
    build(root)
    return root / "output"


@pytest.fixture(scope="session")
def example_pdf_output(tmp_path_factory) -> Path:
    """The example archive built once with ``--pdf`` (LibreOffice), from a copy."""
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler-utils are needed for PDFs")
    root = copy_example(tmp_path_factory.mktemp("example-pdf") / "project")
    build(root, pdf=True)
    return root / "output"


@pytest.fixture(scope="session")
def example(example_output) -> dict[str, Path]:
    """The documents of the seed meeting, 29 September 2022, by kind ("referat", …)."""
    folder = example_output / "rar-oestjylland" / "2022-09-29"
    names = {"Dagsorden": "dagsorden", "Referat": "referat", "Opfølgningsark": "opfoelgningsark"}
    return {names[p.name.split(" ")[1]]: p for p in folder.glob("*.docx")}


def need(program: str) -> None:
    """Skip the test when ``program`` is not installed (a failure in CI: see below)."""
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed")


def docx_to_pdf(*documents: Path) -> list[Path]:
    """The PDFs LibreOffice makes of ``documents`` (beside them, with a profile of their own)."""
    need("soffice")
    folder = documents[0].parent
    profile = folder / "soffice-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, documents)], check=True, capture_output=True, timeout=180)
    return [document.with_suffix(".pdf") for document in documents]


def edited_template(folder: Path, template: Path, old: str, new: str) -> Path:
    """A copy of the Word ``template`` in ``folder`` with ``old`` replaced in its document part."""
    target = folder / template.name
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode(), 1)
            out.writestr(info, data)
    return target


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative path → bytes), to compare before/after."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (``CI=true``) a skipped test is a failure: a missing LibreOffice, poppler or
    validator must not pass silently there. Locally such tests skip."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI", "").lower() == "true" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"skipped in CI, where every test must run: {reason}"


@pytest.fixture(scope="session", autouse=True)
def live_output_untouched():
    """No test writes the repository's own output/ (they build from copies)."""
    def listing():
        folder = REPO / "output"
        return sorted((p.as_posix(), p.stat().st_mtime_ns) for p in folder.rglob("*")) if folder.exists() else None
    before = listing()
    yield
    assert listing() == before, "a test wrote into the repository's output/"
