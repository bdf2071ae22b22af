"""Results kept from one build to the next: what was made of unchanged input is not made again.

A build reads the whole archive and makes a web site of every meeting, while
between two builds a secretary has changed one file. So the builder opens a
:class:`Store` in the project's ``.rardocs-cache/`` folder for the length of a
build (:func:`session`), and looks there first for what it kept last time: each
file as read, by its content's hash (a table per folder,
:func:`rardocs.content.archive.read_archive`); each file's hash, by its size,
times and inode (:meth:`Store.file_digest`); each item's text checks, by the
file's content hash (:mod:`rardocs.validate`); each meeting's search entries,
decisions and line in the lists of meetings, by the meeting's hash, in one table
a meeting (:class:`rardocs.site.Kept`); the feeds and each calendar event, by
everything they show (:mod:`rardocs.site.feeds`). A key is a hash (:func:`key`),
so changed input is simply a new key.

Rules that keep it safe:

- a store belongs to one version of everything that shapes a result (the
  ``salt``: the installed package's files and the libraries' versions); with
  another salt it is empty, so an upgrade never serves an old result;
- a build keeps only the entries it used: the store does not grow with every
  edit, and what a deleted item's text gave is gone after the next build;
- only values of the package's own classes and of Python's plain types are
  read back (:class:`_Unpickler`): a planted file cannot make the build run code;
- a store that cannot be read is an empty store, and one that cannot be written
  is not written: the cache only ever saves time, never changes an output.

The cache holds what content/ holds, closed items' text included, so it lives
beside content/ and not in ``output/``, whose every file outside ``intern/`` may
be published; it has a ``.gitignore`` of its own (``*``), so that git leaves it
out whatever the project's own ``.gitignore`` says.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import os
import pickle
import time
from pathlib import Path

CACHE_FOLDER = ".rardocs-cache"
_FORMAT = 1
#: The table of files' hashes (:meth:`Store.file_digest`): not salted by the package,
#: whose own files it hashes (nor are the tables of :func:`load` and :func:`dump`).
FILES = "files"
_UNSALTED = bytes([_FORMAT]) * 32
#: A file changed less than this before it was hashed is hashed again next time: within
#: one tick of a coarse file system clock, a second change could leave the same stamp.
RACY_NS = 2_000_000_000

_active: Store | None = None


class Store:
    """Named tables of results, read lazily from ``folder`` and saved with :meth:`save`."""

    def __init__(self, folder: Path, salt):
        """``salt``: bytes, or a function giving them, called when a table other than
        :data:`FILES` is first used."""
        self.folder = Path(folder)
        self._salt = salt
        self._old: dict[str, dict[bytes, object]] = {}
        self._used: dict[str, dict[bytes, object]] = {}
        self._seen: set[str] = set()  # every table used in this build
        self._released: dict[str, set[bytes]] = {}  # a released table → the keys it had used
        self._changed: set[str] = set()  # tables given a new value (a file's new hash: same key)
        self.hits = self.misses = 0
        #: Every file hashed in this session (named as bytes): its stamp and hash as first
        #: found, or ``None`` when a later look found it changed (:mod:`rardocs.snapshot`).
        self.hashed: dict[bytes, tuple | None] = {}

    @functools.cached_property
    def salt(self) -> bytes:
        import hashlib  # here and below, not with the module: a build with nothing to do does without

        salt = self._salt() if callable(self._salt) else self._salt
        return hashlib.sha256(salt + bytes([_FORMAT])).digest()

    def _salt_of(self, name: str) -> bytes:
        return _UNSALTED if name == FILES else self.salt

    def _table(self, name: str) -> dict[bytes, object]:
        if name not in self._used:  # first use (or first since it was released: read again)
            self._old[name] = old = _read(self.folder / f"{name}.pickle", self._salt_of(name))
            # What was used before a release is used still: saved again at the end, not dropped.
            self._used[name] = {key: old[key] for key in self._released.pop(name, ()) if key in old}
            self._seen.add(name)
        return self._old[name]

    def file_digest(self, path: Path) -> bytes:
        """SHA-256 of the file at ``path``, kept by its size, times and inode (as git's
        index keeps them): an unchanged file is not read again. A file changed just
        before it was hashed is not kept (:data:`RACY_NS`)."""
        try:
            stat = os.stat(path)
        except OSError:
            return b"unreadable"
        old, used = self._table(FILES), self._used[FILES]
        name = os.fsencode(path)
        now = stamp(stat)
        entry = used.get(name) or old.get(name)
        if entry is not None and entry[0] == now:
            used[name] = entry
        else:
            entry = (now, hash_file(path))
            if not racy(now, time.time_ns()):
                used[name] = entry
                self._changed.add(FILES)
        first = self.hashed.setdefault(name, entry)
        if first is not entry and first != entry:
            self.hashed[name] = None  # changed while the build ran: no snapshot vouches for it
        return entry[1]

    def get(self, name: str, key: bytes, compute, keep=None):
        """The result stored under ``key`` in table ``name``, else ``compute()``'s, stored
        unless ``keep`` (called with it) says no."""
        old, used = self._table(name), self._used[name]
        if key in used:
            self.hits += 1
            return used[key]
        if key in old:
            self.hits += 1
            value = old[key]
        else:
            self.misses += 1
            value = compute()
            if keep is not None and not keep(value):
                return value
            self._changed.add(name)
        used[key] = value
        return value

    def find(self, name: str, key: bytes):
        """The result stored under ``key`` in table ``name`` (used: saved again), or ``None``."""
        return self.get(name, key, lambda: None, keep=lambda value: False)

    def spare(self, name: str) -> None:
        """Keep table ``name`` from :meth:`prune` without reading it: its file holds what a
        build that did not need it leaves as it was."""
        self._seen.add(name)

    def release(self, name: str) -> None:
        """Save table ``name`` now and let go of it (its results are in use elsewhere or done with)."""
        if name in self._used:
            used = self._used.pop(name)
            self._save(name, used)
            self._released[name] = self._released.get(name, set()) | used.keys()
            del self._old[name]

    def release_all(self, but: str = "") -> None:
        """:meth:`release` every table used so far, but those under ``but/`` (saved when
        the session ends, or released later)."""
        for name in list(self._used):
            if not (but and name.startswith(but + "/")):
                self.release(name)

    def save(self) -> None:
        """Write every table used in this build, holding only the entries used."""
        for name, used in self._used.items():
            self._save(name, used)

    def prune(self, family: str) -> None:
        """Delete the tables under ``family/`` (a table's name may be ``family/…``) that
        this build did not use: for a family that every build uses whole, the tables
        of what is gone (a deleted meeting's)."""
        folder = self.folder / family
        if not folder.is_dir():
            return
        for path in folder.rglob("*.pickle"):
            if path.relative_to(self.folder).with_suffix("").as_posix() not in self._seen:
                path.unlink(missing_ok=True)

    def _save(self, name: str, used: dict) -> None:
        if name in self._changed or used.keys() != self._old[name].keys():  # else nothing new, nothing dropped
            self._changed.discard(name)
            _write(self.folder, name, self._salt_of(name), used)


def load(folder: Path, name: str) -> dict:
    """Table ``name`` of the cache in ``folder``, outside a session: one that is not salted
    by the package, and read and written whole (:mod:`rardocs.snapshot`'s)."""
    return _read(Path(folder) / f"{name}.pickle", _UNSALTED)


def dump(folder: Path, name: str, table: dict) -> None:
    """Write the table that :func:`load` reads."""
    _write(Path(folder), name, _UNSALTED, table)


def _write(folder: Path, name: str, salt: bytes, table: dict) -> None:
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True)
            (folder / ".gitignore").write_text("# rardocs' cache: made again when deleted\n*\n")
        path = folder / f"{name}.pickle"
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(temp, "wb") as handle:
            handle.write(salt)
            pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except OSError:
        pass  # a cache that cannot be written costs time next build, nothing else


def _read(path: Path, salt: bytes) -> dict[bytes, object]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not data.startswith(salt):
        return {}
    # A build reads hundreds of tables, twice as fast without the collector looking on.
    with collector_off():
        try:
            table = _Unpickler(io.BytesIO(data[len(salt):])).load()
        except Exception:  # noqa: BLE001  (a damaged or planted file is an empty table)
            return {}
    return table if isinstance(table, dict) else {}


@contextlib.contextmanager
def collector_off():
    """The garbage collector off for the ``with`` block, then as it was: reading objects
    back makes no garbage, only objects kept, which the collector would walk again and
    again (each read counting towards its next look)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Unpickler(pickle.Unpickler):
    """Reads back only the package's own classes and Python's plain data types."""

    _PLAIN = {("builtins", name) for name in ("set", "frozenset", "tuple", "list", "dict", "bytes", "str", "int",
                                             "float", "bool", "complex", "slice", "bytearray")}
    _PLAIN |= {("datetime", name) for name in ("date", "time", "datetime", "timedelta", "timezone")}
    _PLAIN |= {("collections", "OrderedDict"), ("copyreg", "_reconstructor"), ("builtins", "object"),
               ("markupsafe", "Markup"), ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"),
               ("pathlib", "PurePosixPath"), ("pathlib", "PureWindowsPath")}

    def find_class(self, module: str, name: str):
        if (module, name) in self._PLAIN:
            return super().find_class(module, name)
        if module == "rardocs" or module.startswith("rardocs."):
            # The package's data classes and named tuples only: made without their
            # __init__ and filled in, or as tuples. A function of the package (one that
            # writes a file, say) is never called.
            import dataclasses  # here, not with the module: the command line's up-to-date check does without

            found = super().find_class(module, name)
            if isinstance(found, type) and (dataclasses.is_dataclass(found) or _named_tuple(found)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not read from the cache")


def _named_tuple(cls: type) -> bool:
    """Whether ``cls`` is a named tuple as :class:`typing.NamedTuple` makes it: read back,
    it is a tuple with names (its ``__new__`` is the generated one, which only makes it)."""
    return issubclass(cls, tuple) and hasattr(cls, "_fields") and cls.__new__.__module__ == f"namedtuple_{cls.__name__}"


@contextlib.contextmanager
def session(folder: Path, salt, *, save: bool = True):
    """Use the store in ``folder`` for the ``with`` block; saved (if ``save``) when the
    block ends without error. Within a session of the same folder, the same store, saved
    as the outer session says (the command line's check and the build it runs are one
    session: the build keeps the files' hashes the check found)."""
    global _active
    if _active is not None and _active.folder == Path(folder):
        yield _active
        return
    previous, _active = _active, Store(folder, salt)
    try:
        yield _active
        if save:
            _active.save()
    finally:
        _active = previous


def active() -> Store | None:
    return _active


def stamp(found: os.stat_result) -> tuple[int, int, int, int]:
    """What tells that a file or folder changed, as git's index keeps it: size, times, inode."""
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino


def racy(stamped: tuple[int, int, int, int], when: int) -> bool:
    """Whether a thing of this :func:`stamp`, found at ``when`` (ns), may have changed
    again without its stamp changing: changed then within a tick of the coarsest clock
    a file system keeps (:data:`RACY_NS`)."""
    return max(stamped[1], stamped[2]) >= when - RACY_NS


def hash_file(path: Path) -> bytes:
    """SHA-256 of a file, read in chunks (a bilag may be gigabytes)."""
    import hashlib

    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    except OSError:
        return b"unreadable"


def file_digest(path: Path | str) -> bytes:
    """SHA-256 of a file: from the active store's record when the file is unchanged."""
    return _active.file_digest(path) if _active is not None else hash_file(path)


def key(*parts) -> bytes:
    """A key for ``parts`` (texts, bytes, numbers, tuples of them)."""
    import hashlib

    return hashlib.sha256(pickle.dumps(parts, protocol=4)).digest()


def digest(value) -> bytes:
    """A hash of ``value`` (dicts, lists, texts, dates, dataclasses: a document's template
    data), the same exactly when the values are equal however they were built: pickled
    without a memo, so objects shared or not make no difference. A value that cannot
    be pickled is an error (``PicklingError``, ``AttributeError``), never a key that
    misses part of it."""
    import hashlib

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: equal values, equal bytes (and ten times faster than walking them here)
    pickler.dump(value)
    return hashlib.sha256(buffer.getbuffer()).digest()
