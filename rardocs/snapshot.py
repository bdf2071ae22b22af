"""A build with nothing to do, known by ``stat`` alone.

``python build.py`` on an archive nobody touched since the last build should
answer at once. The full check (:func:`rardocs.cli._up_to_date`) lists
``content/``, fingerprints every unit by its files' hashes (kept by their stamps
in :mod:`rardocs.memo`), reads the state and looks at every output file: some
50 ms at 200 meetings, with ``hashlib`` and ``json`` to import.

A snapshot is what that check looked at when it last found nothing to do, after
a build or by itself: the :func:`~rardocs.memo.stamp` (size, times, inode) of
every folder it listed, taken before it was listed; of every file it hashed,
taken before it was hashed; of the state file, taken before it was read, and of
every output file and folder; and the versions of Python and the libraries.
When all of those are as they were, the check would look at the same things
and find nothing to do again, so :func:`unchanged` answers for it without
listing, hashing or reading anything. Anything else, an option given
(``--force``, ``--council``, …) or a snapshot missing, sends the build the long
way, which takes a new snapshot when it finds nothing to do.

As in git's index, a stamp is not enough for a thing changed within a tick of a
coarse file system clock before its stamp was taken (:func:`~rardocs.memo.racy`):
it could change again and keep its stamp. For those the snapshot holds more and
compares it afresh: a content or package file's hash, a folder's names. Output
files are compared by stamp alone, as the state's own check compares them by
size and time. Once such things are old enough, :func:`unchanged` keeps their
plain stamps.

The snapshot is a table of the project's cache (``.rardocs-cache/``), which holds
names of content files; paths in it are relative to the project's folder, so
a copied project never looks at the files of the one it was copied from.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from . import memo
from .memo import racy, stamp
from .package import dependency_versions, package_folders

#: The snapshot's table in the project's cache (:func:`rardocs.memo.load`).
TABLE = "snapshot"


class Look:
    """A check's start: when it began, and the package's folders as found then."""

    def __init__(self):
        self.since = time.time_ns()
        self.package: dict[str, tuple] = {}
        for folder in package_folders():
            try:
                self.package[folder] = (stamp(os.stat(folder)), sorted(os.listdir(folder)))
            except OSError:
                pass


def check(root: Path, look: Look, listing, every: list, pdf: bool) -> bool:
    """The output half of the up-to-date check, after the content's: whether ``output/``
    holds what each unit of ``every`` makes (:meth:`rardocs.incremental.State.untouched`
    and :meth:`~rardocs.incremental.State.current`). If so, and the stamps that ``listing``
    and the cache's session found vouch for it, they are saved as the snapshot."""
    from .incremental import State

    files: dict[str, tuple | None] = {}
    folders: dict[str, tuple] = {}
    state = State(root / "output", files, folders)
    if not (every and state.untouched(u.key for u in every) and all(state.current(u, pdf) for u in every)):
        return False
    store = memo.active()
    if store is not None and None not in store.hashed.values() and None not in files.values():
        since = look.since
        hashed = [(os.fsdecode(name), was, digest if racy(was, since) else None)
                  for name, (was, digest) in store.hashed.items()]
        outputs = [(path, was, None) for path, was in files.items()]
        listed = [(path, was, names if racy(was, since) else None)
                  for path, (was, names) in (*listing.folders.items(), *look.package.items(), *folders.items())]
        memo.dump(root / memo.CACHE_FOLDER, TABLE, {"pdf": pdf, "versions": dependency_versions(),
                                                    "files": _below(hashed + outputs, os.fspath(root)),
                                                    "folders": _below(listed, os.fspath(root))})
    return True


def unchanged(root: Path, pdf: bool) -> bool:
    """Whether everything the last snapshot (of this project's cache) looked at is as it
    was: then the full check would find nothing to do (with ``pdf``: also no PDF to make)."""
    taken = memo.load(root / memo.CACHE_FOLDER, TABLE)
    if not taken or (pdf and not taken.get("pdf")):
        return False
    top = os.fspath(root)
    now = time.time_ns()
    settled = False  # a racy entry found as it was, and old enough now to go by its stamp
    try:
        with _Finder(top) as find:
            for path, was, digest in taken["files"]:
                if find.stamp(path) != was or (digest is not None and memo.hash_file(find.path(path)) != digest):
                    return False
                settled = settled or (digest is not None and not racy(was, now))
            for path, was, names in taken["folders"]:
                if find.stamp(path) != was or (names is not None and sorted(os.listdir(find.path(path))) != names):
                    return False
                settled = settled or (names is not None and not racy(was, now))
        if taken["versions"] != dependency_versions():
            return False
    except (OSError, TypeError, ValueError, KeyError):  # gone, unreadable, or a snapshot of another shape
        return False
    if settled:
        memo.dump(root / memo.CACHE_FOLDER, TABLE, {**taken, **{part: [
            (path, was, None if more is not None and not racy(was, now) else more) for path, was, more in taken[part]]
            for part in ("files", "folders")}})
    return True


class _Finder:
    """Paths as :func:`_below` gives them, found from the project's folder: where the system
    can, relative to the folder opened once (``dir_fd``: no path to join, 4,700 times)."""

    def __init__(self, top: str):
        self.top = top
        self.folder = os.open(top, os.O_RDONLY) if os.stat in os.supports_dir_fd else None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.folder is not None:
            os.close(self.folder)

    def path(self, path: str) -> str:
        return os.path.join(self.top, path)

    def stamp(self, path: str) -> tuple:
        found = os.stat(path, dir_fd=self.folder) if self.folder is not None else os.stat(self.path(path))
        return stamp(found)


def _below(entries: list[tuple], top: str) -> list[tuple]:
    """``entries`` (path, stamp, more) as :func:`unchanged` finds them from the project's
    folder ``top``: paths below it relative, so that a copy of the project does not look
    at the original's files; the most recently changed first (the likeliest to change
    again: the check stops at the first that did)."""
    prefix = "" if top in (".", "") else top.rstrip(os.sep) + os.sep
    cut = len(prefix)
    found = [(path[cut:] if path.startswith(prefix) else _outside(path, top), was, more)
             for path, was, more in entries]
    found.sort(key=lambda entry: -max(entry[1][1], entry[1][2]))
    return found


def _outside(path: str, top: str) -> str:
    """A path not below ``top`` as :func:`os.path.join` finds it from there."""
    return path if os.path.isabs(path) else os.path.relpath(path, top)
