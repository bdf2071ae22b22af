"""Building documents: from a content folder to files under ``output/``.

Read everything, check everything, render every document in memory, and only
then write, each file atomically. When anything is wrong nothing is written
and earlier output stays as it was.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import documents
from .content import read_archive
from .errors import BuildError, Problem
from .model import Archive, Meeting
from .render import find_template, render
from .validate import validate

INTERNAL = "intern"


def load(root: Path) -> tuple[Archive, list[Problem]]:
    """Read and validate the content of the project at ``root``.

    Returns the archive and its warnings; raises
    :class:`~rardocs.errors.ContentError` listing every problem.
    """
    return validate(read_archive(Path(root)))


def build_document(meeting: Meeting, kind: str, root: Path, *, internal: bool = False) -> bytes:
    """One document (``"dagsorden"`` or ``"referat"``) of ``meeting`` as .docx bytes."""
    council_folder = Path(root) / "content" / meeting.council.slug
    template = find_template(kind, council_folder)
    shown = template.relative_to(root).as_posix() if template.is_relative_to(root) else template.name
    title = documents.document_title(kind, meeting)
    return render(template, documents.context(kind, meeting, internal=internal), shown=shown,
                  title=title, author=meeting.council.name, date=meeting.date)


def file_name(kind: str, meeting: Meeting, *, internal: bool = False) -> str:
    """``2022-09-29 Referat RAR Østjylland.docx``."""
    suffix = " INTERN" if internal else ""
    return f"{meeting.date.isoformat()} {kind.capitalize()} {meeting.council.name}{suffix}.docx"


def meeting_folder(meeting: Meeting, *, internal: bool = False) -> Path:
    """Where a meeting's documents go, relative to the output folder.

    Public documents go to ``<council>/<date>/``; internal ones, which carry
    closed items in full, to ``<council>/intern/<date>/``, apart from them.
    """
    base = Path(meeting.council.slug)
    return (base / INTERNAL if internal else base) / meeting.date.isoformat()


def kinds_for(meeting: Meeting) -> tuple[str, ...]:
    """The documents a meeting has: a referat only once it has decisions."""
    return (documents.DAGSORDEN, documents.REFERAT) if meeting.has_decisions else (documents.DAGSORDEN,)


def render_meeting(meeting: Meeting, root: Path, kinds=None) -> dict[Path, bytes]:
    """Every output file of ``meeting`` (relative path → bytes), in memory."""
    files: dict[Path, bytes] = {}
    wanted = [k for k in kinds_for(meeting) if kinds is None or k in kinds]
    has_closed = any(item.closed for item in meeting.items)
    for internal in (False, True) if has_closed else (False,):
        folder = meeting_folder(meeting, internal=internal)
        for kind in wanted:
            files[folder / file_name(kind, meeting, internal=internal)] = build_document(meeting, kind, root, internal=internal)
        source = Path(root) / meeting.folder
        for item in meeting.items:
            if item.closed and not internal:
                continue
            for bilag in item.bilag:
                if bilag.file:
                    files[folder / documents.bilag_link(bilag.file)] = (source / bilag.file).read_bytes()
    return files


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def build(root: Path, output: Path | None = None, *, council: str | None = None,
          meeting: str | None = None, kinds=None) -> BuildResult:
    """Build the documents of every meeting (or those selected) under ``root``.

    Raises :class:`~rardocs.errors.ContentError` or
    :class:`~rardocs.errors.TemplateError` before writing anything.
    """
    root = Path(root)
    output = Path(output) if output else root / "output"
    archive, warnings = load(root)
    selected = [m for m in archive.meetings
                if (council is None or m.council.slug == council)
                and (meeting is None or m.date.isoformat() == meeting)]
    files: dict[Path, bytes] = {}
    for m in selected:
        files.update(render_meeting(m, root, kinds))
    result = BuildResult(warnings=warnings)
    for relative, data in files.items():
        result.written.append(write_atomic(output, relative, data))
    return result


def write_atomic(output: Path, relative: Path, data: bytes) -> Path:
    """Write ``data`` to ``output/relative`` via a temporary file and a rename.

    A reader (or a second build) sees the old file or the new one, never half
    of one. Refuses any path that would land outside ``output``.
    """
    target = (output / relative).resolve()
    if not target.is_relative_to(output.resolve()):
        raise BuildError(f"nægter at skrive uden for {output}: {relative}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file() and target.read_bytes() == data:
        return target
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target
