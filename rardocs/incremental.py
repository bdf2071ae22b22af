"""Incremental builds: what each output depends on, and what is already built.

Standard library only, so that ``python build.py`` on an unchanged archive
can answer "nothing to do" without importing Word, Markdown or Babel.

The archive is cut into *units*, each built as a whole, from the files
:func:`rardocs.sources.list_archive` says make up the archive:

- ``<council>/<date>``: the meeting's dagsorden and referat (and bilag files);
  depends on ``council.yaml``, the council's templates and the meeting folder;
- ``<council>/<date>/opfoelgningsark``: depends on ``council.yaml`` and every
  meeting folder up to that date (it carries earlier meetings' actions);
- ``<council>/<path of the press file>``: a press release; depends on its file,
  ``council.yaml`` and, when it quotes an item (``item:``), every meeting folder;
- ``<council>/web``: the council's web site; depends on everything of the council.

Every unit also depends on the whole installed package (modules and shipped
templates) and the versions of Python and the libraries that shape the
output. A unit's fingerprint is a hash of all that.

:class:`State` is a cache of what earlier builds made (per unit: fingerprint
and the files written, with size and time), kept in ``output/``. It is never
the only memory of what is public: the builder derives the output tree from
the content and removes what the content does not make. A state file that is
missing, garbled or of the wrong shape is simply rebuilt. It names no file of
a council's ``intern/`` folder: those are kept as hashes, so that a closed
item's bilag names never appear outside ``intern/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections import namedtuple
from pathlib import Path

from .memo import file_digest, stamp
from .package import dependency_versions, package_files
from .sources import Listing

STATE_FILE = ".rardocs-state.json"
LOCK_FILE = ".rardocs.lock"
LOG_FILE = "rardocs-fejl.log"
#: Files of the output folder's own, never built, never removed.
OWN_FILES = {STATE_FILE, LOCK_FILE, LOG_FILE}
INTERNAL = "intern"

#: ``key`` "rar-oestjylland/2022-09-29" (or ".../opfoelgningsark", "rar-oestjylland/presse/<stem>"),
#: ``kind`` "meeting", "followup" or "press", ``name`` the meeting date or the press file's key.
#: (A namedtuple, not a dataclass: importing dataclasses costs the fast path more than it does.)
Unit = namedtuple("Unit", "key council kind name fingerprint")


def meeting_key(council: str, date: str) -> str:
    return f"{council}/{date}"


def followup_key(council: str, date: str) -> str:
    return f"{council}/{date}/opfoelgningsark"


def site_key(council: str) -> str:
    return f"{council}/web"


def press_key(council: str, relative: str) -> str:
    """``relative``: the press file's path in its council folder, such as ``presse/2022-09-21-x.md``."""
    return f"{council}/{relative.removesuffix('.md')}"


def _files_digest(files, folder: Path) -> bytes:
    digest = hashlib.sha256()
    top = os.fspath(folder)
    for path in files:
        whole = os.fspath(path)  # once, as text: the path is asked for three times
        digest.update(_relative(path, folder, whole, top).encode("utf-8", "surrogateescape") + b"\0"
                      + file_digest(whole))
    return digest.digest()


def _relative(path: Path, folder: Path, whole: str | None = None, top: str | None = None) -> str:
    """``path.relative_to(folder).as_posix()`` for a path listed below ``folder``, as text
    (pathlib's own takes half the time of fingerprinting an unchanged archive); ``whole``
    and ``top``: the two as text, when the caller has them."""
    whole, top = whole or os.fspath(path), top or os.fspath(folder)
    if whole != top and not whole.startswith(top.rstrip(os.sep) + os.sep):
        return path.relative_to(folder).as_posix()
    return _relative_text(whole, top)


def _relative_text(whole: str, top: str) -> str:
    """The part of ``whole`` below the folder ``top`` (which it is in or is), with ``/``:
    ``""`` for ``top`` itself."""
    return whole[len(top.rstrip(os.sep)) + 1:].replace(os.sep, "/") if whole != top else ""


def package_digest() -> bytes:
    """A hash of the installed package's files and the versions of what shapes the output."""
    digest = hashlib.sha256(dependency_versions().encode())
    for path in package_files():
        digest.update(path.name.encode() + b"\0" + file_digest(path))
    return digest.digest()


_ITEM_KEY = re.compile(rb"^\s*item\s*:", re.MULTILINE)


def _quotes_an_item(path: Path) -> bool:
    """Whether a press file's front matter may say ``item:`` (over-approximated: any such line)."""
    try:
        with open(path, "rb") as handle:
            return bool(_ITEM_KEY.search(handle.read(1 << 20)))
    except OSError:
        return True


def units(listing: Listing) -> list[Unit]:
    """Every unit of the archive in ``listing`` with its fingerprint."""
    common = package_digest()
    result = []
    for council in listing.councils:
        base = hashlib.sha256(common)
        base.update(_files_digest([p for p in (council.council_file, *council.templates) if p], council.folder))
        history = hashlib.sha256(base.digest())
        for meeting in council.meetings:
            files = [p for p in (meeting.meeting_file, *meeting.items, *meeting.press, *meeting.others) if p]
            tree = _files_digest(files, meeting.folder)
            history.update(meeting.name.encode() + tree)
            own = hashlib.sha256(base.digest() + tree).hexdigest()
            result.append(Unit(meeting_key(council.slug, meeting.name), council.slug, "meeting", meeting.name, own))
            result.append(Unit(followup_key(council.slug, meeting.name), council.slug, "followup", meeting.name,
                               history.hexdigest()))
        every_meeting = history.digest()
        press_files = council.press + [p for meeting in council.meetings for p in meeting.press]
        site = hashlib.sha256(every_meeting)
        for path in press_files:
            relative = _relative(path, council.folder)
            digest = hashlib.sha256(base.digest() + file_digest(path))
            site.update(relative.encode("utf-8", "surrogateescape") + digest.digest())
            if _quotes_an_item(path):
                digest.update(every_meeting)
            result.append(Unit(press_key(council.slug, relative), council.slug, "press", relative, digest.hexdigest()))
        result.append(Unit(site_key(council.slug), council.slug, "site", "web", site.hexdigest()))
    return result


def select(all_units: list[Unit], council: str | None, meeting: str | None) -> list[Unit]:
    """The units ``--council`` and ``--meeting`` choose (a meeting: its documents and opfølgningsark)."""
    return [u for u in all_units
            if (council is None or u.council == council)
            and (meeting is None or (u.kind in ("meeting", "followup") and u.name == meeting))]


def hidden_name(relative: str) -> str:
    """How the state file names an output path: internal ones only as a hash."""
    parts = relative.split("/")
    if len(parts) > 1 and parts[1] == INTERNAL:
        return "#" + hashlib.sha256(relative.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return relative


def output_files(output: Path, stamps: dict | None = None) -> list[str]:
    """Every file below ``output`` except its own (state, lock, log), as relative POSIX paths
    (as :func:`os.walk` finds them: a link to a folder is neither listed nor followed).

    ``stamps``, if given, gets each folder's :func:`~rardocs.memo.stamp`, taken before it
    is listed, and the names it held, by its path as text."""
    found: list[str] = []
    top = os.fspath(output)
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            before = stamp(os.stat(folder)) if stamps is not None else None
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            continue
        if stamps is not None:
            stamps[folder] = (before, sorted(entry.name for entry in entries))
        relative_folder = _relative_text(folder, top)
        for entry in entries:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if not entry.is_symlink():
                    folders.append(entry.path)
                continue
            relative = f"{relative_folder}/{entry.name}" if relative_folder else entry.name
            if relative not in OWN_FILES:
                found.append(relative)
    return sorted(found)


class State:
    """What the last builds wrote: per unit its fingerprint and files (name, size, mtime)."""

    def __init__(self, output: Path, stamps: dict | None = None, folders: dict | None = None):
        """``stamps`` and ``folders``, if given, get what the state's answers are from (for
        :mod:`rardocs.snapshot`): ``stamps`` each file's :func:`~rardocs.memo.stamp` by its
        path as text, the state file's taken before it is read; ``folders`` each folder's
        stamp and names (:func:`output_files`)."""
        self.path = output / STATE_FILE
        self.output = output
        self.stamps, self.folders = stamps, folders
        if stamps is not None:
            try:
                stamps[os.fspath(self.path)] = stamp(os.stat(self.path))
            except OSError:
                stamps[os.fspath(self.path)] = None
        self.units: dict[str, dict] = _read_state(self.path)
        self._names: dict[str, str] | None = None
        self._by_name: dict[str, dict[str, list]] = {}

    def _real(self, name: str) -> str | None:
        """The output path behind a name in the state (resolving hashed internal names)."""
        if not name.startswith("#"):
            return name
        if self._names is None:
            self._names = {hidden_name(r): r for r in output_files(self.output) if "/intern/" in f"/{r}"}
        return self._names.get(name)

    def current(self, unit: Unit, pdf: bool = False) -> bool:
        """Whether ``unit`` was built from the same inputs and its files are untouched."""
        entry = self.units.get(unit.key)
        if not entry or entry["fingerprint"] != unit.fingerprint or (pdf and not entry["pdf"]):
            return False
        top = os.fspath(self.output)
        for name, size, mtime in entry["files"]:
            real = self._real(name)
            try:
                stat = os.stat(f"{top}/{real}") if real else None
            except OSError:
                return False
            if stat is None or stat.st_size != size or stat.st_mtime_ns != mtime:
                return False
            if self.stamps is not None:
                self.stamps[f"{top}/{real}"] = stamp(stat)
        return True

    def files(self, key: str) -> set[str]:
        """The output paths recorded for unit ``key`` (those that still exist, for hashed ones)."""
        return {real for real in (self._real(name) for name, _, _ in self.units.get(key, {}).get("files", [])) if real}

    def record(self, key: str, fingerprint: str, files: list[str], pdf: bool, links: str = "",
               made_from: dict[str, str | None] | None = None) -> None:
        """``links``: for the web site, a digest of the output files it links to;
        ``made_from``: for some of ``files``, a hash of what each was made from (see
        :meth:`unchanged`)."""
        entries = []
        for relative in sorted(files):
            stat = (self.output / relative).stat()
            entries.append([hidden_name(relative), stat.st_size, stat.st_mtime_ns])
        self.units[key] = {"fingerprint": fingerprint, "files": entries, "pdf": pdf}
        if links:
            self.units[key]["links"] = links
        made_from = {hidden_name(path): digest for path, digest in (made_from or {}).items()
                     if digest and path in files}
        if made_from:
            self.units[key]["made_from"] = made_from
        self._names = None
        self._by_name.pop(key, None)

    def key(self, unit: str, path: str) -> str | None:
        """What :meth:`record` was told ``path`` of ``unit`` was made from, if anything."""
        entry = self.units.get(unit)
        return entry.get("made_from", {}).get(hidden_name(path)) if entry else None

    def unchanged(self, unit: str, path: str, made_from: str) -> bool:
        """Whether ``path`` of ``unit`` was made from ``made_from`` and is untouched since."""
        entry = self.units.get(unit)
        if not entry or entry.get("made_from", {}).get(hidden_name(path)) != made_from:
            return False
        recorded = self._recorded(unit).get(hidden_name(path))
        try:
            stat = (self.output / path).stat()
        except OSError:
            return False
        return recorded is not None and stat.st_size == recorded[1] and stat.st_mtime_ns == recorded[2]

    def _recorded(self, unit: str) -> dict[str, list]:
        """The files recorded for ``unit`` by name (asked for each of a site's pages)."""
        if unit not in self._by_name:
            self._by_name[unit] = {f[0]: f for f in self.units.get(unit, {}).get("files", [])}
        return self._by_name[unit]

    def links(self, key: str) -> str:
        """The digest :meth:`record` was given for ``key`` (empty if none)."""
        entry = self.units.get(key)
        return entry.get("links", "") if isinstance(entry, dict) else ""

    def forget(self, key: str) -> None:
        self.units.pop(key, None)
        self._by_name.pop(key, None)

    def untouched(self, unit_keys) -> bool:
        """Whether the output holds exactly what the state records for ``unit_keys``: no unit
        recorded that is gone from the content, no file that no unit made (such as a
        temporary file left by a build that was killed)."""
        if set(self.units) != set(unit_keys):
            return False
        recorded = {name for entry in self.units.values() for name, _, _ in entry["files"]}
        return {hidden_name(r) for r in output_files(self.output, self.folders)} == recorded

    def save(self) -> None:
        self.output.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": 2, "units": self.units}, ensure_ascii=False, indent=1, sort_keys=True)
        if self.path.is_dir() and not self.path.is_symlink():
            shutil.rmtree(self.path)
        try:
            if self.path.read_text(encoding="utf-8") == text:
                return
        except (OSError, UnicodeError):
            pass
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, self.path)


def _read_state(path: Path) -> dict[str, dict]:
    """The units of a state file; whatever is not of the expected shape is left out."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeError, RecursionError):
        return {}
    units = data.get("units") if isinstance(data, dict) and data.get("version") == 2 else None
    if not isinstance(units, dict):
        return {}
    good = {}
    for key, entry in units.items():
        if (isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str) and isinstance(entry.get("pdf"), bool)
                and isinstance(entry.get("files"), list)
                and all(isinstance(f, list) and len(f) == 3 and isinstance(f[0], str) and ".." not in f[0].split("/")
                        and not f[0].startswith("/") and isinstance(f[1], int) and isinstance(f[2], int)
                        for f in entry["files"])):
            made_from = entry.get("made_from", {})
            if not (isinstance(made_from, dict) and all(isinstance(v, str) for v in made_from.values())):
                entry.pop("made_from")
            good[key] = entry
    return good
