"""Reading a whole content folder: every council, meeting, item and press release."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import memo
from ..errors import ContentError, Problem, UsageError
from ..sources import Listing, list_archive
from .items import RawItem, RawPress, read_item, read_press
from .yamlfile import YamlDoc, read_yaml


@dataclass
class RawMeeting:
    folder: Path
    shown: str
    meeting: YamlDoc | None
    items: list[RawItem]
    others: list[str] = field(default_factory=list)  # other files, relative to the folder: possible bilag
    problems: list[Problem] = field(default_factory=list)  # those of reading its meeting.yaml and items


@dataclass
class RawCouncil:
    slug: str
    folder: Path
    shown: str
    council: YamlDoc | None
    meetings: list[RawMeeting]
    press: list[RawPress] = field(default_factory=list)


@dataclass
class RawArchive:
    root: Path
    councils: list[RawCouncil]
    problems: list[Problem]
    listing: Listing | None = None  # the files read: what the change detection fingerprints


def shown_path(path: Path, root: Path) -> str:
    """The path as the user sees it: relative to the project root, with ``/``."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def content_folder(root: Path, content: Path | None = None) -> Path:
    """``content`` (default ``root/content``), which must be a folder: else a
    :class:`UsageError` saying where to run the command."""
    content = content or root / "content"
    if not content.is_dir():
        raise UsageError(f"der er ingen mappe {shown_path(content, root)}/ i {root.as_posix()}; kør kommandoen i "
                         "projektets mappe (den med content/), eller angiv den med --root")
    return content


def read_archive(root: Path, content: Path | None = None, listing: Listing | None = None,
                 skip: frozenset[str] = frozenset()) -> RawArchive:
    """Read every council, meeting, item and press file below ``content``.

    Which files those are is :func:`rardocs.sources.list_archive`'s answer;
    its findings (misnamed, copied or unused files, links out of content/)
    become problems (``listing``, if given, is that answer, just found). Files that
    cannot be read are reported as problems, not raised, so that a single run shows
    every mistake. The meetings whose folders (as shown: ``content/<council>/<date>``)
    are in ``skip`` are not read, but for their press releases: their model is known
    (:mod:`rardocs.validate.kept`).
    """
    content = content_folder(root, content)
    listing = listing or list_archive(content)
    problems = [Problem(shown_path(f.path, root), 0, f.message, f.warning) for f in listing.findings]

    def attempt(reader, path, *args, into=None):
        found = []
        try:
            result = _read(reader, path, shown_path(path, root), *args)
        except ContentError as exc:
            found, result = exc.problems, None
        except OSError as exc:
            found, result = [Problem(shown_path(path, root), 0, f"kan ikke læses ({exc.strerror or exc})")], None
        else:
            found = result.problems
        problems.extend(found)
        if into is not None:
            into.extend(found)
        return result

    councils = []
    for council in listing.councils:
        council_yaml = attempt(read_yaml, council.council_file) if council.council_file else None
        press = [attempt(read_press, path) for path in council.press]
        meetings = []
        for meeting in council.meetings:
            shown = shown_path(meeting.folder, root)
            press += [attempt(read_press, path, shown) for path in meeting.press]
            if shown in skip:
                if memo.active() is not None:
                    memo.active().spare("read/" + shown.removeprefix("content/"))
                continue
            own: list[Problem] = []
            meeting_yaml = attempt(read_yaml, meeting.meeting_file, into=own) if meeting.meeting_file else None
            items = [attempt(read_item, path, into=own) for path in meeting.items]
            others = [path.relative_to(meeting.folder).as_posix() for path in meeting.others]
            meetings.append(RawMeeting(meeting.folder, shown, meeting_yaml, [i for i in items if i], others, own))
        councils.append(RawCouncil(council.slug, council.folder, shown_path(council.folder, root), council_yaml,
                                   meetings, [p for p in press if p]))
    if memo.active() is not None:
        memo.active().prune("read")  # every file was read: what is left over is of files gone
    return RawArchive(root, councils, problems, listing)


def _read(reader, path: Path, shown: str, *args):
    """``reader(path, shown, *args)``, or what it gave for the same bytes in an earlier
    build (:mod:`rardocs.memo`): an edit re-reads one file, not the archive. A result is
    kept only when the file did not change while it was read; a file with a mistake is
    read again every time (its message is built afresh). An item kept so carries its
    key (:attr:`RawItem.key`), for the caches of what is made of it."""
    if memo.active() is None:
        return reader(path, shown, *args)
    before = memo.file_digest(path)
    key = memo.key(reader.__name__, shown, args, before)
    # A table per folder (content/<council>/<date>/…): an edit saves one folder's table again.
    table = "read/" + shown.removeprefix("content/").rpartition("/")[0]
    kept = True

    def unchanged(_) -> bool:
        nonlocal kept
        kept = memo.hash_file(path) == before
        return kept

    result = memo.active().get(table, key, lambda: reader(path, shown, *args), keep=unchanged)
    if kept and isinstance(result, RawItem):
        result.key = key
    return result
