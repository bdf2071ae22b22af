"""Building documents: from a content folder to files under ``output/``.

Read everything, check everything, render every document in memory, and only
then write, each file atomically. When anything is wrong nothing is written
and earlier output stays as it was.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import documents
from .content import read_archive
from .errors import BuildError, Problem, UsageError
from .incremental import State, Unit, select, units
from .model import DOCUMENT_KINDS, Archive, Meeting
from .pdf import INSTALL_HINT as PDF_HINT
from .pdf import convert as convert_to_pdf
from .pdf import soffice as pdf_soffice
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
    return _render(kind, documents.context(kind, meeting, internal=internal), root, meeting.council,
                   title=documents.document_title(kind, meeting), date=meeting.date)


def _render(kind: str, data: dict, root: Path, council, *, title: str, date) -> bytes:
    """Render ``data`` with the council's template for ``kind`` (or the default one)."""
    template = find_template(kind, Path(root) / "content" / council.slug)
    return render(template, data, shown=_shown(template, root), title=title, author=council.name, date=date)


def file_name(kind: str, meeting: Meeting, *, internal: bool = False) -> str:
    """``2022-09-29 Referat RAR Østjylland.docx``."""
    suffix = " INTERN" if internal else ""
    return f"{meeting.date.isoformat()} {DOCUMENT_KINDS[kind]} {meeting.council.name}{suffix}.docx"


def meeting_folder(meeting: Meeting, *, internal: bool = False) -> Path:
    """Where a meeting's documents go, relative to the output folder.

    Public documents go to ``<council>/<date>/``; internal ones, which carry
    closed items in full, to ``<council>/intern/<date>/``, apart from them.
    """
    base = Path(meeting.council.slug)
    return (base / INTERNAL if internal else base) / meeting.date.isoformat()


def kinds_for(meeting: Meeting) -> tuple[str, ...]:
    """The documents a meeting folder makes on its own: a referat only once it has decisions."""
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


def press_files(release, root: Path) -> dict[Path, bytes]:
    """A press release as Word, plain text and HTML (relative path → bytes)."""
    from .web import press_html, press_text

    data = documents.press_context(release)
    name = re.sub(r"^(\d{4}-\d{2}-\d{2}-?|presse-?)+", "", release.slug) or release.slug
    stem = f"{release.date.isoformat()} Pressemeddelelse {name}"
    folder = Path(release.council.slug) / "presse"
    docx = _render(documents.PRESSEMEDDELELSE, data, root, release.council, title=release.title, date=release.date)
    return {
        folder / f"{stem}.docx": docx,
        folder / f"{stem}.txt": press_text(data).encode("utf-8"),
        folder / f"{stem}.html": press_html(data).encode("utf-8"),
    }


def followup_files(archive: Archive, meeting: Meeting, root: Path) -> dict[Path, bytes]:
    """The opfølgningsark after ``meeting`` (and its internal version when closed items exist)."""
    if not meeting.has_decisions:
        return {}
    earlier = archive.earlier(meeting)
    has_closed = any(item.closed for m in (*earlier, meeting) for item in m.items)
    files = {}
    for internal in (False, True) if has_closed else (False,):
        data = documents.followup_context(meeting, earlier, internal=internal)
        path = meeting_folder(meeting, internal=internal) / file_name(documents.OPFOELGNINGSARK, meeting, internal=internal)
        files[path] = _render(documents.OPFOELGNINGSARK, data, root, meeting.council, title=data["title"], date=meeting.date)
    return files


def _shown(template: Path, root: Path) -> str:
    """A template's path as the user sees it: from the project, else from here."""
    for base in (Path(root).resolve(), Path.cwd()):
        if template.resolve().is_relative_to(base):
            return template.resolve().relative_to(base).as_posix()
    return template.as_posix()


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    built: list[str] = field(default_factory=list)  # the units rebuilt
    current: int = 0  # units already up to date
    removed: list[Path] = field(default_factory=list)  # files of earlier builds no longer made


def _unit_files(unit: Unit, archive: Archive, root: Path, kinds) -> dict[Path, bytes]:
    if unit.kind == "press":
        if kinds and documents.PRESSEMEDDELELSE not in kinds:
            return {}
        release = next(r for r in archive.press if r.council.slug == unit.council and r.slug == unit.name)
        return press_files(release, root)
    meeting = next(m for m in archive.meetings if m.council.slug == unit.council and m.date.isoformat() == unit.name)
    if unit.kind == "followup":
        return followup_files(archive, meeting, root) if not kinds or documents.OPFOELGNINGSARK in kinds else {}
    return render_meeting(meeting, root, kinds)


def build(root: Path, output: Path | None = None, *, council: str | None = None, meeting: str | None = None,
          kinds=None, pdf: bool = False, force: bool = False, progress=None) -> BuildResult:
    """Build what changed (or everything with ``force``) under ``root`` into ``output``.

    Validates the whole archive and renders every document in memory before
    writing anything; raises :class:`~rardocs.errors.ContentError`,
    :class:`~rardocs.errors.TemplateError` or :class:`~rardocs.errors.BuildError`
    (with ``pdf`` and no LibreOffice) having written nothing. ``kinds``
    builds only those document kinds, always, and leaves the record of what
    is up to date alone. ``progress`` is called with each unit's key as it is
    rendered.
    """
    root = Path(root)
    output = Path(output) if output else root / "output"
    if pdf and pdf_soffice() is None:
        raise BuildError(PDF_HINT)
    archive, warnings = load(root)
    _check_selection(archive, council, meeting)
    state = State(output)
    chosen = select(units(root), council, meeting)
    result = BuildResult(warnings=warnings)
    rendered: dict[Unit, dict[Path, bytes]] = {}
    for unit in chosen:
        if not (force or kinds) and state.current(unit, pdf):
            result.current += 1
            continue
        if progress:
            progress(unit.key)
        rendered[unit] = _unit_files(unit, archive, root, kinds)

    for unit, files in rendered.items():
        try:
            written = [write_atomic(output, relative, data) for relative, data in files.items()]
        except OSError as exc:
            raise BuildError(f"kan ikke skrive i {output.as_posix()}: {exc.strerror or exc}") from None
        if pdf:
            written += convert_to_pdf([path for path in written if path.suffix == ".docx"])
        result.written.extend(written)
        result.built.append(unit.key)
        if kinds:
            continue
        made = {path.relative_to(output.resolve()).as_posix() for path in written}
        result.removed += _remove(output, [f for f in state.files(unit.key) if f not in made])
        state.record(unit, sorted(made), pdf)
    if not kinds and council is None and meeting is None:
        existing = {unit.key for unit in chosen}
        for key in [k for k in state.units if k not in existing]:
            result.removed += _remove(output, state.files(key))
            state.forget(key)
    if not kinds and (rendered or result.removed):
        state.save()
    return result


def _check_selection(archive: Archive, council: str | None, meeting: str | None) -> None:
    councils = sorted(c.slug for c in archive.councils)
    if council is not None and council not in councils:
        raise UsageError(f"rådet '{council}' findes ikke under content/ (der er: {', '.join(councils) or 'ingen'})")
    dates = sorted({m.date.isoformat() for m in archive.meetings if council is None or m.council.slug == council})
    if meeting is not None and meeting not in dates:
        raise UsageError(f"der er intet møde den {meeting} (der er: {', '.join(dates) or 'ingen'})")


def _remove(output: Path, relatives: list[str]) -> list[Path]:
    """Delete files an earlier build made that are no longer made (such as a closed item's bilag)."""
    removed = []
    for relative in relatives:
        path = (output / relative).resolve()
        if path.is_relative_to(output.resolve()) and path.is_file():
            path.unlink()
            removed.append(path)
    return removed


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
