"""Incremental builds: what each output depends on, and what is already built.

Standard library only, so that ``python build.py`` on an unchanged archive
can answer "nothing to do" without importing Word, Markdown or Babel.

The archive is cut into *units*, each built as a whole:

- ``<council>/<date>``: the meeting's dagsorden and referat (and bilag files);
  depends on ``council.yaml``, the meeting folder and the templates;
- ``<council>/<date>/opfoelgningsark``: depends on ``council.yaml`` and every
  meeting folder up to that date (it carries earlier meetings' actions);
- ``<council>/presse/<name>``: a press release; depends on its file,
  ``council.yaml`` and, when it quotes an item's decision (``item:``), that
  meeting's folder.

Every unit also depends on the templates and on rardocs' own code. A unit's
fingerprint is a hash of all that; the state file in the output folder records
each unit's fingerprint and the files it wrote, so a unit is rebuilt when its
inputs changed or one of its files was changed or removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import namedtuple
from pathlib import Path

STATE_FILE = ".rardocs-state.json"
_MEETING = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PACKAGE = Path(__file__).resolve().parent
_DEFAULT_TEMPLATES = _PACKAGE.parent / "templates"


#: ``key`` "rar-oestjylland/2022-09-29" (or ".../opfoelgningsark", "rar-oestjylland/presse/<stem>"),
#: ``kind`` "meeting", "followup" or "press", ``name`` the meeting date or the press file's stem.
#: (A namedtuple, not a dataclass: importing dataclasses costs the fast path more than it does.)
Unit = namedtuple("Unit", "key council kind name fingerprint")


class _Hasher:
    """Hashes files once per run."""

    def __init__(self):
        self._files: dict[Path, bytes] = {}

    def file(self, path: Path) -> bytes:
        if path not in self._files:
            try:
                self._files[path] = hashlib.sha256(path.read_bytes()).digest()
            except OSError:
                self._files[path] = b"unreadable"
        return self._files[path]

    def tree(self, folder: Path) -> bytes:
        digest = hashlib.sha256()
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + self.file(path))
        return digest.digest()


def units(root: Path) -> list[Unit]:
    """Every unit of the archive under ``root/content`` with its fingerprint."""
    content = root / "content"
    hasher = _Hasher()
    common = hashlib.sha256()
    common.update(hasher.tree(_DEFAULT_TEMPLATES))
    for path in sorted(_PACKAGE.glob("*.py")):
        common.update(hasher.file(path))
    result = []
    if not content.is_dir():
        return result
    for council in sorted(p for p in content.iterdir() if p.is_dir() and not p.name.startswith(".")):
        base = hashlib.sha256(common.digest())
        base.update(hasher.file(council / "council.yaml"))
        base.update(hasher.tree(council / "templates"))
        meetings = sorted(p for p in council.iterdir() if p.is_dir() and _MEETING.match(p.name))
        history = hashlib.sha256(base.digest())
        trees = {}
        for folder in meetings:
            own = hashlib.sha256(base.digest())
            tree = trees[folder.name] = hasher.tree(folder)
            own.update(tree)
            history.update(folder.name.encode() + tree)
            result.append(Unit(f"{council.name}/{folder.name}", council.name, "meeting", folder.name, own.hexdigest()))
            result.append(Unit(f"{council.name}/{folder.name}/opfoelgningsark", council.name, "followup",
                               folder.name, history.hexdigest()))
        press_files = sorted((council / "presse").glob("*.md")) if (council / "presse").is_dir() else []
        press_files += [p for folder in meetings for p in sorted(folder.glob("*.md")) if p.name.lower().startswith("presse")]
        for path in press_files:
            digest = hashlib.sha256(base.digest())
            digest.update(hasher.file(path))
            digest.update(trees.get(_quoted_meeting(path), b""))
            result.append(Unit(f"{council.name}/presse/{path.stem}", council.name, "press", path.stem, digest.hexdigest()))
    return result


_ITEM_REFERENCE = re.compile(r"^item:\s*[\"']?(\d{4}-\d{2}-\d{2})/", re.M)


def _quoted_meeting(path: Path) -> str:
    """The meeting a press release quotes (``item: 2022-09-29/2.1``, or its own folder for ``item: 2.1``)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    match = _ITEM_REFERENCE.search(text)
    if match:
        return match.group(1)
    return path.parent.name if re.search(r"^item:", text, re.M) else ""


def select(all_units: list[Unit], council: str | None, meeting: str | None) -> list[Unit]:
    return [u for u in all_units
            if (council is None or u.council == council)
            and (meeting is None or (u.kind != "press" and u.name == meeting))]


class State:
    """What the last builds wrote: per unit its fingerprint and files (path, size, mtime)."""

    def __init__(self, output: Path):
        self.path = output / STATE_FILE
        self.output = output
        try:
            self.units: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))["units"]
        except (OSError, ValueError, KeyError, TypeError):
            self.units = {}

    def current(self, unit: Unit, pdf: bool = False) -> bool:
        """Whether ``unit`` was built from the same inputs and its files are untouched."""
        entry = self.units.get(unit.key)
        if not entry or entry.get("fingerprint") != unit.fingerprint or (pdf and not entry.get("pdf")):
            return False
        for relative, size, mtime in entry.get("files", []):
            try:
                stat = (self.output / relative).stat()
            except OSError:
                return False
            if stat.st_size != size or stat.st_mtime_ns != mtime:
                return False
        return True

    def files(self, key: str) -> list[str]:
        return [relative for relative, _, _ in self.units.get(key, {}).get("files", [])]

    def record(self, unit: Unit, files: list[str], pdf: bool) -> None:
        entries = []
        for relative in sorted(files):
            stat = (self.output / relative).stat()
            entries.append([relative, stat.st_size, stat.st_mtime_ns])
        self.units[unit.key] = {"fingerprint": unit.fingerprint, "files": entries, "pdf": pdf}

    def forget(self, key: str) -> None:
        self.units.pop(key, None)

    def save(self) -> None:
        self.output.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"units": self.units}, ensure_ascii=False, indent=1, sort_keys=True)
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, self.path)
