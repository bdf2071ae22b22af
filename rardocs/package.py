"""Where the installed rardocs is, and what its output depends on.

Standard library only, with its imports inside the functions, so that the
no-change fast path of ``python build.py`` can fingerprint rardocs without
importing Word, Markdown or Babel.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
#: The distributions whose versions can change a rendered document.
DEPENDENCIES = ("jinja2", "docxtpl", "python-docx", "markdown", "babel", "PyYAML", "lxml", "feedgen", "icalendar", "pikepdf")


def default_templates() -> Path:
    """The folder holding the default ``<kind>.docx`` templates.

    A wheel ships them as the package ``rardocs.templates`` (``pyproject.toml``
    maps it to the repository's ``templates/``). A source checkout, or an editable
    install of one, has them in ``templates/`` beside the package. Both are found
    from this file, not through the import system, so that the templates always
    belong to the rardocs that is running (an editable install of another
    checkout would otherwise answer for ``rardocs.templates``).
    """
    shipped = _PACKAGE / "templates"
    return shipped if shipped.is_dir() else _PACKAGE.parent / "templates"


def package_files() -> list[Path]:
    """Every file of rardocs that changes output: its modules and default templates, sorted."""
    modules = (p for p in _PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)
    return sorted({*modules, *default_templates().glob("*.docx"), *default_templates().glob("web/*")})


def package_folders() -> list[str]:
    """The folders :func:`package_files` lists, as text (a file added to one changes the
    folder's time): the package's own but ``__pycache__``, and the default templates'."""
    found, pending = [], [os.fspath(_PACKAGE)]
    while pending:
        folder = pending.pop()
        found.append(folder)
        with os.scandir(folder) as entries:
            pending += [e.path for e in entries if e.name != "__pycache__" and e.is_dir()]
    templates = default_templates()
    found += [os.fspath(f) for f in (templates, templates / "web") if f.is_dir() and _PACKAGE not in f.parents]
    return found


def dependency_versions() -> str:
    """Python's version and those of the libraries rardocs renders with, one per line.

    Read from the names of the installed distributions' metadata folders
    (``python_docx-1.2.0.dist-info``): a directory listing, much faster than
    ``importlib.metadata`` on the no-change path.
    """
    wanted = {_normal(name): name for name in DEPENDENCIES}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            stem, dot, suffix = entry.rpartition(".")
            if suffix in ("dist-info", "egg-info") and "-" in stem:
                name, _, version = stem.partition("-")
                found.setdefault(_normal(name), version.partition("-")[0])
    lines = [f"python {sys.version.split()[0]}"]
    lines += [f"{name} {found.get(key, '-')}" for key, name in wanted.items()]
    return "\n".join(lines)


def _normal(name: str) -> str:
    """A distribution name as packaging normalises it: ``python-docx``, ``python_docx`` → ``python_docx``."""
    return re.sub(r"[-_.]+", "_", name).lower()
