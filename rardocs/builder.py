"""Building documents: from a content folder to files under ``output/``.

Read everything, check everything, render every document in memory (and
convert PDFs), and only then write, each file atomically, through the one
writer (:class:`rardocs.writer.Output`). When anything is wrong nothing is
written and earlier output stays as it was.

What a build leaves in ``output/`` is a function of the content, not of what
earlier builds remember: :func:`plan` says which files the content makes
(by unit), and after writing, everything else in the output folder is
removed — a closed item's bilag, a deleted meeting's documents, a PDF older
than its Word file, the temporary file of a build that was killed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import json
from collections import namedtuple
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import documents, memo, outputs, prepared, press
from .content import read_archive
from .content.archive import content_folder
from .errors import BuildError, Problem, UsageError
from .incremental import State, file_digest, followup_key, meeting_key, package_digest, press_key, select, units
from .model import Archive, Meeting
from .pdf import INSTALL_HINT as PDF_HINT
from .pdf import convert as convert_to_pdf
from .pdf import normalise as normalise_pdf
from .pdf import require_pikepdf
from .pdf import soffice as pdf_soffice
from .sandbox import find_template
from .sources import Listing, list_archive
from .validate import validate
from .validate.kept import MODEL, kept_meetings
from .writer import Output

#: One output file of a unit: ``kind`` (a document kind, or "bilag"), ``make``, which
#: returns its bytes (or, for a bilag, the path of the file to copy), and for a document
#: ``date``, the date its properties (and its PDF's) carry, and ``key``, which returns a
#: hash of everything its bytes are made from (its template's data, the template, the
#: package), far cheaper than ``make``: a document whose key is unchanged is not made
#: again. ``keyed``, if given, returns both at once, its template data made once.
#: ``template``: the Word template's kind and council folder (:func:`find_template`'s
#: arguments), for a document made from one.
Planned = namedtuple("Planned", "kind make date samlet key keyed template", defaults=(None, None, None, None, None))
#: The samlet PDF of a dagsorden or referat: its ``path``, ``title`` and the ``bilag``
#: that go in it, each ``(item number, bilag, file to read or None)``, in item order.
Samlet = namedtuple("Samlet", "path title bilag")
BILAG = "bilag"


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


#: A press release's headline is its Heading 1: headings in its body start at Heading 2
#: (in a dagsorden or referat, under an item's Heading 2, at Heading 3).
PRESS_HEADINGS = ("Heading2", "Heading3", "Heading4")


@functools.cache
def _press_styles():
    from .render import DEFAULT_STYLES

    return dataclasses.replace(DEFAULT_STYLES, heading=PRESS_HEADINGS)


def _render(kind: str, data: dict, root: Path, council, *, title: str, date) -> bytes:
    """Render ``data`` with the council's template for ``kind`` (or the default one).

    Word (python-docx, docxtpl, lxml) is imported here, on the first document made, not
    with this module: a build that makes web pages only (an edit, whose two documents
    the workers make) does without it in the main process."""
    from .render import DEFAULT_STYLES, render

    template = find_template(kind, Path(root) / "content" / council.slug)
    styles = _press_styles() if kind == documents.PRESSEMEDDELELSE else DEFAULT_STYLES
    return render(template, data, shown=_shown(template, root), title=title, author=council.name, date=date,
                  styles=styles)


def _planned(kind: str, data, root: Path, council, *, title: str, date, samlet=None) -> Planned:
    """A Word document of ``kind`` made from ``data()``, its template data.

    ``data`` is called for the key and again to render (or once for both), not kept: a
    build of hundreds of documents would otherwise hold the data of every one of them
    until the end."""
    template = (kind, Path(root) / "content" / council.slug)

    def key_of(value) -> bytes:
        return memo.key(kind, file_digest(find_template(*template)), title, council.name, date.isoformat(),
                        memo.digest(value))

    def keyed() -> tuple[bytes, bytes]:
        value = data()
        return _render(kind, value, root, council, title=title, date=date), key_of(value)

    return Planned(kind, lambda: _render(kind, data(), root, council, title=title, date=date), date, samlet,
                   lambda: key_of(data()), keyed, template)


def kinds_for(meeting: Meeting) -> tuple[str, ...]:
    """The documents a meeting folder makes on its own: a referat only once it has decisions."""
    return (documents.DAGSORDEN, documents.REFERAT) if meeting.has_decisions else (documents.DAGSORDEN,)


def _versions(closed: bool) -> tuple[bool, ...]:
    """Public only, or public and internal when closed items are involved."""
    return (False, True) if closed else (False,)


def meeting_outputs(meeting: Meeting, root: Path) -> dict[str, Planned]:
    """The dagsorden and referat of ``meeting`` and its bilag files, public and internal."""
    files: dict[str, Planned] = {}
    source = Path(root) / meeting.folder
    for internal in _versions(any(item.closed for item in meeting.items)):
        # A public samlet PDF never holds a closed item's bilag.
        bilag = tuple((item.number, b, source / b.file if b.file else None)
                      for item in meeting.items if internal or not item.closed for b in item.bilag)
        for kind in kinds_for(meeting):
            path = outputs.document_path(kind, meeting, internal=internal)
            samlet = Samlet(str(outputs.combined_path(kind, meeting, internal=internal)),
                            f"{documents.document_title(kind, meeting)}, med bilag", bilag)
            files[str(path)] = _planned(kind, functools.partial(documents.context, kind, meeting, internal=internal),
                                        root, meeting.council, title=documents.document_title(kind, meeting),
                                        date=meeting.date, samlet=samlet)
        for item in meeting.items:
            if item.closed and not internal:
                continue
            for bilag in item.bilag:
                if bilag.file:
                    path = outputs.bilag_path(bilag, meeting, internal=internal)
                    files[str(path)] = Planned(BILAG, functools.partial(Path, source / bilag.file))
    return files


def followup_outputs(archive: Archive, meeting: Meeting, root: Path, closed: bool | None = None) -> dict[str, Planned]:
    """The opfølgningsark after ``meeting`` (and its internal version when ``closed``: when
    this or an earlier meeting has a closed item, found out here if not given)."""
    if not meeting.has_decisions:
        return {}
    earlier = archive.earlier(meeting)
    if closed is None:
        closed = any(item.closed for m in (*earlier, meeting) for item in m.items)
    return {str(outputs.document_path(documents.OPFOELGNINGSARK, meeting, internal=internal)):
            _planned(documents.OPFOELGNINGSARK,
                     functools.partial(documents.followup_context, meeting, earlier, internal=internal),
                     root, meeting.council, title=documents.document_title(documents.OPFOELGNINGSARK, meeting),
                     date=meeting.date)
            for internal in _versions(closed)}


def press_outputs(release, root: Path) -> dict[str, Planned]:
    """A press release as Word, plain text and HTML."""
    from .web import press_html, press_text

    data = functools.cache(lambda: press.press_context(release))
    docx = _planned(documents.PRESSEMEDDELELSE, data, root, release.council, title=release.title, date=release.date)
    makers = {
        "docx": docx,
        "txt": Planned(documents.PRESSEMEDDELELSE, lambda: press_text(data()).encode("utf-8"), release.date, None,
                       lambda: memo.key("txt", memo.digest(data()))),
        "html": Planned(documents.PRESSEMEDDELELSE, lambda: press_html(data()).encode("utf-8"), release.date, None,
                        lambda: memo.key("html", memo.digest(data()))),
    }
    return {str(path): makers[suffix] for suffix, path in outputs.press_paths(release).items()}


def plan(archive: Archive, root: Path) -> dict[str, dict[str, Planned]]:
    """Every output file the content makes (bilag copies and documents, not PDFs), by unit key."""
    result: dict[str, dict[str, Planned]] = {}
    closed_so_far: dict[int, bool] = {}  # by meeting: a closed item in it or an earlier meeting of its council
    seen: dict[str, bool] = {}
    for meeting in sorted(archive.meetings, key=lambda m: (m.council.slug, m.date)):
        seen[meeting.council.slug] = seen.get(meeting.council.slug, False) or any(i.closed for i in meeting.items)
        closed_so_far[id(meeting)] = seen[meeting.council.slug]
    for meeting in archive.meetings:
        slug, date = meeting.council.slug, meeting.date.isoformat()
        result[meeting_key(slug, date)] = meeting_outputs(meeting, root)
        result[followup_key(slug, date)] = followup_outputs(archive, meeting, root, closed_so_far[id(meeting)])
    for release in archive.press:
        relative = PurePosixPath(release.source.path).relative_to(f"content/{release.council.slug}")
        result[press_key(release.council.slug, relative.as_posix())] = press_outputs(release, root)
    return result


def _shown(template: Path, root: Path) -> str:
    """A template's path as the user sees it: from the project, else from here."""
    for base in (Path(root).resolve(), Path.cwd()):
        if template.resolve().is_relative_to(base):
            return template.resolve().relative_to(base).as_posix()
    return template.as_posix()


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)  # files whose content changed
    warnings: list[Problem] = field(default_factory=list)
    built: list[str] = field(default_factory=list)  # the units rendered
    current: int = 0  # units already up to date
    removed: list[tuple[Path, str]] = field(default_factory=list)  # files no longer made, and why (Danish)


def build(root: Path, output: Path | None = None, *, council: str | None = None, meeting: str | None = None,
          kinds=None, pdf: bool = False, force: bool = False, progress=None, base_url: str | None = None,
          known: tuple[Listing, list] | None = None) -> BuildResult:
    """Bring ``output`` (default ``root/output``) up to date with the content under ``root``.

    Every unit whose inputs changed is rebuilt, whatever else is asked, so
    that no published file is ever stale (a closed item's text never stays
    in a public file). ``council`` and ``meeting`` choose units to rebuild
    even if unchanged; ``kinds`` limits those to some document kinds;
    ``force`` rebuilds every chosen unit. ``pdf`` also makes a PDF of every
    document built (as ``pdf: true`` in a council.yaml does for its council).

    The output folder belongs to rardocs: afterwards it holds exactly what
    the content makes, and any other file in it is removed. Validates the
    whole archive and renders every document in memory before writing
    anything; raises :class:`~rardocs.errors.ContentError`,
    :class:`~rardocs.errors.TemplateError`, :class:`~rardocs.errors.UsageError`
    or :class:`~rardocs.errors.BuildError` having written nothing.
    ``progress`` is called with each unit's key as it is rendered. ``known`` is
    the archive's listing and its units (:func:`~rardocs.sources.list_archive`,
    :func:`~rardocs.incremental.units`) as the caller just found them, so as not to
    list and hash the archive twice (the command line's up-to-date check).
    """
    root = Path(root)
    output = Path(output) if output else root / "output"
    _check_output_folder(root, output)
    with memo.session(root / memo.CACHE_FOLDER, package_digest):
        try:
            return _build(root, output, council=council, meeting=meeting, kinds=kinds, pdf=pdf, force=force,
                          progress=progress, base_url=base_url, known=known)
        finally:
            gc.unfreeze()  # the archive, frozen once read (see _build): collectable again


def _build(root: Path, output: Path, *, council, meeting, kinds, pdf, force, progress, base_url, known) -> BuildResult:
    if pdf and pdf_soffice() is None:
        raise BuildError(PDF_HINT)
    # The archive as listed and fingerprinted before it is read (by the caller, or here):
    # a meeting whose fingerprint is one validated before is not read again (validate.kept).
    listing = known[0] if known else list_archive(content_folder(root))
    all_units = known[1] if known else units(listing)
    fingerprints = {f"content/{u.council}/{u.name}": u.fingerprint for u in all_units if u.kind == "meeting"}
    kept = kept_meetings(fingerprints)
    raw = read_archive(root, listing=listing, skip=frozenset(kept))
    archive, warnings = validate(raw, kept, fingerprints)
    del raw, kept  # the model holds what is needed; the files as read are saved and let go
    # The meetings kept validated are saved at the end, not now: pickled before the workers
    # are forked, their memory would be in every worker (2 MiB at 200 meetings).
    memo.active().release_all(but=MODEL)
    # The archive lives to the end of the build: out of the garbage collector's sight, it
    # is not walked again and again while pages and documents are made (0.1 s of an edit
    # at 200 meetings), and forked workers do not touch its pages. build() unfreezes it.
    gc.freeze()
    _check_selection(archive, council, meeting)
    if any(c.pdf for c in archive.councils) and pdf_soffice() is None:
        raise BuildError(f"{PDF_HINT}; council.yaml siger pdf: true")
    if pdf or any(c.pdf for c in archive.councils):
        require_pikepdf()  # before anything is rendered: a missing extra is a message, not a crash
    chosen = {u.key for u in select(all_units, council, meeting)} if (force or kinds or council or meeting) else set()
    councils = {c.slug: c for c in archive.councils}
    planned = plan(archive, root)
    result = BuildResult(warnings=warnings)
    with Output(output) as out:
        state = State(output)
        keep: dict[str, set[str]] = {}
        keys: dict[str, dict[str, str | None]] = {}
        jobs: dict[str, Planned] = {}
        pdf_docs: dict[str, dt.date] = {}
        sites: list = []
        for unit in all_units:
            if unit.kind == "site":
                sites.append(unit)  # after the others: it links to what they make
                continue
            files = planned.get(unit.key, {})
            unit_pdf = pdf or councils[unit.council].pdf
            current = state.current(unit, unit_pdf)
            make = _to_make(unit, files, current, unit.key in chosen, force, kinds)
            old = state.files(unit.key)
            known_keys: dict[str, str] = {}
            if not current and unit.key not in chosen:  # its inputs changed: make what that changes
                make = {p: f for p, f in make.items() if not _unchanged(state, unit.key, p, f, unit_pdf, old, known_keys)}
            # A key not known yet is the making's (made with the document's data: a document
            # made for the first time costs its data once, in the worker that makes it).
            keys[unit.key] = {p: known_keys.get(p) if p in make else state.key(unit.key, p)
                              for p, f in files.items() if f.key}
            if make:
                if progress:
                    progress(unit.key)
                result.built.append(unit.key)
            else:
                result.current += 1
            jobs.update(make)
            made = [p for p in _documents(files) if p in make]
            if unit_pdf:
                pdf_docs.update((path, files[path]) for path in made)
            # A PDF stays when it is made now, or when its document is not made again.
            keep[unit.key] = set(files) | {pdf for p in _documents(files) for pdf in _pdfs(p, files[p])
                                           if (unit_pdf and p in made) or (p not in make and pdf in old)}
        links: dict[str, str] = {}
        made_keys: dict[str, bytes | None] = {}
        # The meetings of the web sites this process will make meanwhile (a site made
        # again: one whose inputs changed; the link check below may add one, rarely).
        remade = {u.council for u in sites if councils[u.council].web and not state.current(u, pdf or councils[u.council].pdf)}
        busy = sum(1 for m in archive.meetings if m.council.slug in remade)
        # Each template prepared here (from the cache), not in every worker that uses it.
        prepared.look_up(_templates(f for files in planned.values() for f in files.values()), _templates(jobs.values()))
        with making(jobs, busy) as (made, parallel):
            # With worker processes making the documents, this one makes the web sites
            # meanwhile, and a thread stages the documents as they come.
            stager = _Stager(out, made, made_keys) if parallel else None
            try:
                for unit in sites:
                    site_council, unit_pdf = councils[unit.council], pdf or councils[unit.council].pdf
                    if not site_council.web:
                        keep[unit.key] = set()
                        continue
                    documents, links[unit.key] = _site_links(archive, site_council, set().union(*keep.values()),
                                                             base_url)
                    stale = not state.current(unit, unit_pdf) or state.links(unit.key) != links[unit.key]
                    forced = force and unit.key in chosen and not kinds
                    if stale or forced:
                        if progress:
                            progress(unit.key)
                        result.built.append(unit.key)
                        meeting_keys = {u.name: u.fingerprint for u in all_units
                                        if u.kind == "meeting" and u.council == unit.council}
                        unchanged = None if forced else functools.partial(state.unchanged, unit.key)
                        # Each file is staged as it is made (after the documents: group 1).
                        keep[unit.key] = _site(archive, site_council, root, documents, base_url, meeting_keys,
                                               unchanged, keys.setdefault(unit.key, {}),
                                               into=_Staging(out, f"{site_council.slug}/web/"))
                    else:
                        result.current += 1
                        keep[unit.key] = set(state.files(unit.key))
                        keys[unit.key] = {path: state.key(unit.key, path) for path in keep[unit.key]}
                if stager:
                    # The workers are still at it: what this build keeps for the next (the
                    # sites' tables, the meetings kept, ...) is saved meanwhile, not after them
                    # (0.3 s at the end of a full build of 200 meetings).
                    memo.active().release_all()
            finally:
                if stager:
                    stager.finish()  # the first failing document is the error, before a site's
            if not stager:
                _stage(out, made, made_keys)
        for unit_keys in keys.values():  # the keys that came with the making
            for path, key in unit_keys.items():
                if key is None and made_keys.get(path) is not None:
                    unit_keys[path] = _render_key(made_keys[path])
        memo.active().release_all()  # what is left (all of it when no worker was started): saved now
        pdfs, problems = _make_pdfs(out.read, pdf_docs, root)
        for path, data in pdfs.items():
            out.stage(path, data, group=2)
        result.warnings += problems
        out.commit()
        everything = set().union(*keep.values())
        recorded = set().union(*(state.files(key) for key in state.units))
        removed = out.prune(everything)
        result.written = out.written
        samlet = {f.samlet.path: docx for files in planned.values() for docx, f in files.items() if f.samlet}
        result.removed = [(output / path, _why_removed(path, everything, recorded, samlet)) for path in removed]
        for unit in all_units:
            has_pdf = all(_pdf(p) in keep[unit.key] for p in _documents(planned.get(unit.key, {})))
            if unit.kind == "site":
                has_pdf = pdf or councils[unit.council].pdf
            state.record(unit.key, unit.fingerprint, sorted(keep[unit.key]), has_pdf, links.get(unit.key, ""),
                         keys.get(unit.key, {}))
        for key in [k for k in state.units if k not in {u.key for u in all_units}]:
            state.forget(key)
        state.save()
    return result


def _to_make(unit, files: dict[str, Planned], current: bool, chosen: bool, force: bool, kinds) -> dict[str, Planned]:
    """What of a unit's files to make: all when its inputs changed (or ``force``), the chosen kinds when chosen."""
    if not current or (force and chosen and not kinds):
        return files
    if chosen:
        return {p: f for p, f in files.items() if not kinds or f.kind in kinds}
    return {}


#: Fewer documents than this are made in this process. Starting the workers costs some
#: 10 ms, a document 10-25 ms, and the web site is made meanwhile: from two documents on
#: it pays (the example archive with --force 0.57 -> 0.54 s; a meeting of 1,000 items,
#: three documents, 5.7 -> 3.4 s: benchmarks/scale.py).
PARALLEL_FROM = 2
#: When this process makes a web site of this many meetings or more while the workers
#: make the documents, it has a core's work of its own: a few documents (this many or
#: fewer) are made by one worker fewer than the cores, which imports Word once instead
#: of in each worker (an edit at 200 meetings, two documents: 1.15-1.19 -> 1.08-1.09 s
#: on two cores). A few documents of a small archive, or many, still get every core.
BUSY_FROM = 50
FEW_DOCUMENTS = 3
_JOBS: list[Planned] = []


@contextlib.contextmanager
def making(jobs: dict[str, Planned], beside: int = 0):
    """``(made, parallel)``: ``made`` yields each job's path, file (its bytes, or for a
    bilag the path to copy) and key (:data:`Planned`; ``None`` for a bilag), in order;
    ``parallel`` says whether worker processes make them, started here (so: in the
    thread that calls, never in another).

    With enough documents to make and more than one core, the documents are made
    in worker processes, one per core, forked from this one (so the jobs, closures
    and all, need no pickling); the result is the same bytes as made here, and an
    error is the one the first failing document in ``jobs``' order gives.
    ``RARDOCS_PROCESSES=1`` makes everything here. ``beside``: the meetings of the web
    site this process makes meanwhile (see :data:`BUSY_FROM`).
    """
    documents = [path for path, planned in jobs.items() if planned.kind != BILAG]
    processes = _workers(len(documents), beside)
    if not processes:
        yield ((path, *_make(planned)) for path, planned in jobs.items()), False
        return
    import multiprocessing

    _JOBS[:] = [jobs[path] for path in documents]
    # One document a task, to whichever worker is free. (A meeting's documents as one
    # task shares their text's Word in one worker, but makes a meeting of 1,000 items
    # in one process: 4.0 -> 5.8 s; 200 meetings gained nothing measurable.)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            results = zip(documents, pool.imap(_make_job, range(len(documents))))
            yield (((path, *next(results)[1]) if planned.kind != BILAG else (path, *_make(planned)))
                   for path, planned in jobs.items()), True
    finally:
        _JOBS.clear()


class _Staging(dict):
    """The files of a web site, each staged in ``out`` (after the documents) as it is
    put in: only its name is kept."""

    def __init__(self, out: Output, prefix: str):
        super().__init__()
        self.out, self.prefix = out, prefix

    def __setitem__(self, path: str, data) -> None:
        if data is not None:  # None: the file made last time is made from the same
            self.out.stage(self.prefix + path, data, group=1)
        super().__setitem__(path, None)


class _Stager:
    """A thread staging files (``(path, data, key)`` from ``made``) into ``out`` as they
    come, and their keys into ``keys``."""

    def __init__(self, out: Output, made, keys: dict[str, bytes | None]):
        import threading

        self.out, self.made, self.keys, self.error = out, made, keys, None
        self.thread = threading.Thread(target=self._run, name="rardocs-stager")
        self.thread.start()

    def _run(self) -> None:
        try:
            _stage(self.out, self.made, self.keys)
        except BaseException as exc:  # noqa: BLE001  (raised again by finish, in the building thread)
            self.error = exc

    def finish(self) -> None:
        """Wait for every file; raise the error that stopped the staging, if any."""
        self.thread.join()
        if self.error is not None:
            raise self.error


def _templates(files) -> set[Path]:
    """The Word templates the planned ``files`` are made from."""
    return {find_template(*template) for template in {f.template for f in files} if template}


def _stage(out: Output, made, keys: dict[str, bytes | None]) -> None:
    for path, data, key in made:
        out.stage(path, data)
        keys[path] = key


def _make(planned: Planned) -> tuple[bytes | Path, bytes | None]:
    """What ``planned`` makes, and its key if it has one (both from one making of its data)."""
    if planned.keyed is not None:
        return planned.keyed()
    return planned.make(), planned.key() if planned.key else None


def _make_job(index: int) -> tuple[bytes, bytes | None]:
    return _make(_JOBS[index])


def _workers(documents: int, beside: int = 0) -> int:
    """How many worker processes make ``documents`` documents: 0 for none (this process
    makes them). ``beside``: as for :func:`making`."""
    import os
    import threading

    try:
        wanted = int(os.environ.get("RARDOCS_PROCESSES", "0"))
    except ValueError:
        wanted = 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    processes = wanted if wanted > 0 else cores
    forkable = hasattr(os, "fork") and threading.active_count() == 1  # forking a threaded process may hang
    if not forkable or documents < PARALLEL_FROM or processes <= 1:
        return 0
    if not wanted and beside >= BUSY_FROM and documents <= FEW_DOCUMENTS:
        return max(1, min(documents, cores - 1))
    return min(processes, documents)


def _render_key(key: bytes) -> str:
    """A document's key (:data:`Planned`) with the package's hash (:mod:`rardocs.memo`'s
    salt): new code makes every document anew."""
    return hashlib.sha256(memo.active().salt + key).hexdigest()


def _unchanged(state: State, unit: str, path: str, planned: Planned, pdf: bool, old: set[str],
               keys: dict[str, str]) -> bool:
    """Whether the file at ``path`` was made from the very same data and is untouched
    (and has its PDFs when they are asked for): then it is not made again. The key
    found for it, if any, goes in ``keys``."""
    if (planned.key is None or state.key(unit, path) is None
            or (pdf and planned.kind != BILAG and not all(p in old for p in _pdfs(path, planned)))):
        return False
    keys[path] = _render_key(planned.key())
    return state.unchanged(unit, path, keys[path])


def _documents(files: dict[str, Planned]) -> list[str]:
    """The Word documents among a unit's files (which get PDFs), not bilag."""
    return [path for path, planned in files.items() if planned.kind != BILAG and path.endswith(".docx")]


def _pdf(path: str) -> str:
    return path.removesuffix(".docx") + ".pdf"


def _site_links(archive: Archive, council, made: set[str], base_url: str | None) -> tuple[dict[str, str], str]:
    """The output files in ``made`` that ``council``'s web site links to, and a digest of
    them and of the feeds' address (the site is stale when either changes: a PDF made or
    dropped, say)."""
    from .site import documents_for

    documents = documents_for(council, archive, made)
    key = json.dumps([documents, base_url or council.site_url], sort_keys=True)
    return documents, hashlib.sha256(key.encode()).hexdigest()


def _site(archive: Archive, council, root: Path, documents: dict[str, str], base_url: str | None,
          meeting_keys: dict[str, str], unchanged, made_from: dict[str, str], into: dict) -> set[str]:
    """The files of ``council``'s web site (``<council>/web/…``: pages, search, feeds),
    each put in ``into`` as it is made, by its path in the site; returns their paths in
    ``output/``. ``meeting_keys``, ``unchanged(path, key)`` and ``made_from`` (filled):
    see :func:`~rardocs.site.site_files`, here with paths in ``output/``."""
    from .site import site_files
    from .site.feeds import feed_files

    prefix = f"{council.slug}/web/"
    inside = (lambda path, key: unchanged(prefix + path, key)) if unchanged else None
    kept: dict[str, str] = {}
    folder = Path(root) / "content" / council.slug / "templates" / "web"
    site_files(archive, council, documents=documents, template_folder=folder if folder.is_dir() else None,
               meeting_keys=meeting_keys, unchanged=inside, made_from=kept, into=into)
    feed_files(archive, council, base_url=base_url or council.site_url, documents=documents,
               meeting_keys=meeting_keys, unchanged=inside, made_from=kept, into=into)
    made_from.update((prefix + path, key) for path, key in kept.items())
    return {prefix + path for path in into}


def _pdfs(path: str, planned: Planned) -> list[str]:
    """The PDFs made of the document at ``path``: its own and, for a dagsorden or
    referat, the samlet PDF with its bilag."""
    return [_pdf(path)] + ([planned.samlet.path] if planned.samlet else [])


def _make_pdfs(read, documents_made: dict[str, Planned], root: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """The PDFs of the documents made, and their samlet PDFs, with the warnings found
    making them (a bilag that cannot go in, a PDF that fails an accessibility check).

    ``read`` gives a document's .docx bytes by its path. Every document and every
    office bilag is converted in one LibreOffice run per application; each PDF is
    dated like its document (reproducible)."""
    if not documents_made:
        return {}, []
    from . import combined, pdfcheck
    from .pdf import CONVERTIBLE

    office = {}
    for planned in documents_made.values():
        for _, _, source in planned.samlet.bilag if planned.samlet else ():
            if source is not None and source.suffix.lower() in CONVERTIBLE:
                office[str(source)] = source.read_bytes()
    converted = convert_to_pdf({path: read(path) for path in documents_made} | office, strict=False)
    missing = [path for path in documents_made if path not in converted]
    if missing:
        raise BuildError(f"LibreOffice kunne ikke lave PDF af {PurePosixPath(missing[0]).name}")
    result, problems = {}, []
    for path, planned in documents_made.items():
        stamp = dt.datetime.combine(planned.date, dt.time(12, 0))
        result[_pdf(path)] = normalise_pdf(converted[path], stamp)
        if planned.samlet:
            attachments = []
            for item_number, bilag, source in planned.samlet.bilag:
                shown = _shown(source, root) if source else ""
                data, note = _bilag_pdf(source, converted) if source else (None, "")
                if note:
                    problems.append(Problem(shown, 0, note, warning=True))
                attachments.append(combined.Attachment(bilag.number, bilag.title, item_number, data, bilag.url, shown,
                                                       link=outputs.bilag_link(bilag) if bilag.file else ""))
            data, notes = combined.combine(result[_pdf(path)], attachments, title=planned.samlet.title,
                                           stamp_date=planned.date)
            result[planned.samlet.path] = data
            problems += [Problem(source, 0, note, warning=True) for source, note in notes]
    for path in documents_made:  # the accessible publication; a samlet PDF holds others' bilag as they are
        problems += [Problem(f"output/{_pdf(path)}", 0, f"PDF'en er ikke tilgængelig: {finding}", warning=True)
                     for finding in pdfcheck.check(result[_pdf(path)])]
    return result, list(dict.fromkeys(problems))  # a bilag in several samlet PDFs is one warning


def _bilag_pdf(source: Path, converted: dict[str, bytes]) -> tuple[bytes | None, str]:
    """A file bilag as PDF for a samlet PDF, or none and why not (Danish)."""
    from .pdf import CONVERTIBLE

    suffix = source.suffix.lower()
    if suffix == ".pdf":
        return source.read_bytes(), ""  # combine() checks it can be read
    if suffix in CONVERTIBLE:
        data = converted.get(str(source))
        return (data, "") if data else (None, "LibreOffice kunne ikke lave bilaget om til PDF; det kommer ikke med"
                                                " i den samlede PDF")
    return None, (f"en {suffix or 'fil uden endelse'}-fil kan ikke sættes ind i den samlede PDF (kun PDF og"
                  f" Office-filer som .docx, .xlsx og .pptx); den er nævnt i indholdsfortegnelsen")


def _why_removed(path: str, kept: set[str], recorded: set[str], samlet: dict[str, str]) -> str:
    """Why ``path`` is removed (Danish); ``samlet`` gives each samlet PDF's document."""
    name = PurePosixPath(path).name
    if name.startswith(".") and name.endswith(".tmp"):
        return "en ufærdig fil fra en afbrudt kørsel"
    if path.endswith(".pdf") and samlet.get(path, path.removesuffix(".pdf") + ".docx") in kept:
        return "Word-filen er lavet om, og PDF laves kun med --pdf eller pdf: true i council.yaml"
    if path in recorded:
        return "laves ikke længere"
    return "ikke lavet ud fra content/; output/ indeholder kun det, som indholdet giver"


def _check_output_folder(root: Path, output: Path) -> None:
    content = (root / "content").resolve()
    folder = output.resolve()
    if content.is_relative_to(folder) or folder.is_relative_to(content):
        raise UsageError(f"output-mappen {output.as_posix()} må ikke være eller ligge i content/ eller indeholde den")


def _check_selection(archive: Archive, council: str | None, meeting: str | None) -> None:
    councils = sorted(c.slug for c in archive.councils)
    if council is not None and council not in councils:
        raise UsageError(f"rådet '{council}' findes ikke under content/ (der er: {', '.join(councils) or 'ingen'})")
    dates = sorted({m.date.isoformat() for m in archive.meetings if council is None or m.council.slug == council})
    if meeting is not None and meeting not in dates:
        raise UsageError(f"der er intet møde den {meeting} (der er: {', '.join(dates) or 'ingen'})")
