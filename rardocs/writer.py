"""The one writer of ``output/``: atomic files under a lock, and nothing left behind.

:class:`Output` is the only thing that writes into the output folder. It
holds a lock for as long as a build writes, so that two builds never
interleave; it stages every file in a temporary file beside its target as
soon as it is made (:meth:`Output.stage`) and renames them all into place at
the end (:meth:`Output.commit`): a reader sees the old file or the new one,
never half of one, and a build that fails changes nothing. It refuses a path
outside the folder and a second write to the same path; and
:meth:`Output.prune` removes every file the current content does not make,
including temporary files a killed build left, and folders left empty.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
from pathlib import Path

from .errors import BuildError
from .incremental import LOCK_FILE, output_files


class Output:
    """The output folder, locked while a build writes it (use as a context manager)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.written: list[Path] = []  # files whose content changed
        self._paths: set[str] = set()
        # relative path → (group, its temporary file or None when unchanged); see stage()
        self._staged: dict[str, tuple[int, Path | None]] = {}
        self._lock = None

    def __enter__(self) -> Output:
        self._created = not self.folder.exists()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._lock = open(self.folder / LOCK_FILE, "a+b")  # noqa: SIM115 (held until __exit__)
        except OSError as exc:
            raise BuildError(f"kan ikke skrive i {self.folder.as_posix()}: {exc.strerror or exc}") from None
        _lock(self._lock)
        self.root = self.folder.resolve()
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        if error_type is not None and self._staged:
            for _, temp in self._staged.values():
                if temp is not None:
                    temp.unlink(missing_ok=True)
            _remove_empty_folders(self.folder)  # those made for staged files
        _unlock(self._lock)
        self._lock.close()
        if error_type is not None and self._created and not self.written:
            # A build that failed before writing leaves no trace, not even the folder it made.
            (self.folder / LOCK_FILE).unlink(missing_ok=True)
            _remove_empty_folders(self.folder, including_top=True)

    def stage(self, relative: str, data: bytes | Path, group: int = 0) -> None:
        """Write ``data`` for ``relative`` to a temporary file beside it now, to take its
        place at :meth:`commit` (so a build holds no more than one file in memory, and
        still changes nothing when it fails before the end: the temporary files go).
        Files are put in place by ``group``, then in the order staged: two threads may
        stage files of two groups at once and the order stays the same. An unchanged
        file is left as it is. Raises :class:`BuildError` for a path outside the
        folder, a path staged twice, or a failed write."""
        target = self.target(relative)
        if relative in self._paths:
            raise BuildError(f"to dokumenter skal skrives til samme fil: {relative}")
        self._paths.add(relative)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._staged[relative] = group, None if _same(target, data) else _temporary(target, data)
        except OSError as exc:
            raise BuildError(f"kan ikke skrive {relative}: {exc.strerror or exc}") from None

    def read(self, relative: str) -> bytes:
        """The bytes staged for ``relative`` (or, when they were unchanged, the file's)."""
        return (self._staged.get(relative, (0, None))[1] or self.target(relative)).read_bytes()

    def commit(self) -> None:
        """Put every staged file in place, in the order staged."""
        order = {relative: n for n, relative in enumerate(self._staged)}
        for relative, (_, temp) in sorted(self._staged.items(), key=lambda entry: (entry[1][0], order[entry[0]])):
            if temp is None:
                continue
            target = self.target(relative)
            try:
                os.replace(temp, target)
            except OSError as exc:
                raise BuildError(f"kan ikke skrive {relative}: {exc.strerror or exc}") from None
            self.written.append(target)
        self._staged = {}

    def target(self, relative: str) -> Path:
        target = (self.folder / relative).resolve()
        if not target.is_relative_to(self.root) or target == self.root:
            raise BuildError(f"nægter at skrive uden for {self.folder.as_posix()}: {relative}")
        return target

    def prune(self, keep: set[str]) -> list[str]:
        """Remove every file not in ``keep`` (and not the folder's own), then empty folders.

        Returns the relative paths removed.
        """
        removed = []
        for relative in output_files(self.folder):
            if relative not in keep:
                path = self.folder / relative
                try:
                    path.unlink()
                except IsADirectoryError:
                    shutil.rmtree(path)
                except FileNotFoundError:
                    continue
                removed.append(relative)
        _remove_empty_folders(self.folder)
        return removed


def _temporary(target: Path, data: bytes | Path) -> Path:
    """``data`` in a new temporary file beside ``target`` (named as :meth:`Output.prune` knows)."""
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, Path):
                with open(data, "rb") as source:
                    shutil.copyfileobj(source, handle, 1 << 20)
            else:
                handle.write(data)
        os.chmod(temp, 0o644)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def _remove_empty_folders(top: Path, including_top: bool = False) -> None:
    for folder, _, _ in os.walk(top, topdown=False):
        path = Path(folder)
        if (path != top or including_top) and not any(path.iterdir()):
            path.rmdir()


def _same(target: Path, data: bytes | Path) -> bool:
    """Whether ``target`` already holds ``data``."""
    try:
        if isinstance(data, Path):
            return target.stat().st_size == data.stat().st_size and filecmp.cmp(target, data, shallow=False)
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


def _lock(handle) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt
        handle.seek(0)
        while True:
            try:
                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                return
            except OSError:  # LK_LOCK gives up after ten seconds: keep waiting
                continue
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def _unlock(handle) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

