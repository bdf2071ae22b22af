"""Shared fixtures: a minimal project to break, the example archive built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from rardocs import build

settings.register_profile("default", max_examples=50)
settings.register_profile("thorough", max_examples=1000)
settings.load_profile("default")

REPO = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).resolve().parent / "minimal"


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


@pytest.fixture(scope="session")
def example_output(tmp_path_factory) -> Path:
    """The example archive in content/, built once into a temporary output folder."""
    output = tmp_path_factory.mktemp("example-output")
    build(REPO, output)
    return output


@pytest.fixture(scope="session")
def example(example_output) -> dict[str, Path]:
    """The documents of the seed meeting, 29 September 2022, by kind ("referat", …)."""
    folder = example_output / "rar-oestjylland" / "2022-09-29"
    names = {"Dagsorden": "dagsorden", "Referat": "referat", "Opfølgningsark": "opfoelgningsark"}
    return {names[p.name.split(" ")[1]]: p for p in folder.glob("*.docx")}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative path → bytes), to compare before/after."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
