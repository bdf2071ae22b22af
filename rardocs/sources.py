"""Which files make up the archive: the one definition the reader, the change
detection and the tests all use.

Standard library only, so that ``python build.py`` on an unchanged archive can
list and fingerprint the content without importing YAML, Word or Markdown.

:func:`list_archive` walks ``content/`` once and sorts every entry into what it
is (council.yaml, a meeting's meeting.yaml, an item, a press release, a
template, a possible bilag) or into a problem: a file named almost right
(``2.1-x.md.txt``, ``2.1-x.MD``, ``Meeting.yaml``) or a Windows copy
(``2.1-x - Kopi.md``) is an error with the fix; a file nothing reads is a
warning; a symbolic link out of ``content/``, a FIFO or device, a name that
is not UTF-8 is refused. Hidden files and what editors and operating systems
leave behind (:func:`is_ignored`) are skipped silently, everywhere alike.
"""

from __future__ import annotations

import os
import re
from collections import namedtuple
from pathlib import Path

from .kinds import DOCUMENT_KINDS
from .memo import stamp

COUNCIL_FILE = "council.yaml"
MEETING_FILE = "meeting.yaml"
PRESS_FOLDER = "presse"
TEMPLATES_FOLDER = "templates"
WEB_FOLDER = "web"  # templates/web/: a council's own web site templates
WEB_SUFFIXES = (".html", ".css", ".js")
MEETING_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: An item file's number prefix: ``2.1`` in ``2.1-positivlisten.md``.
NUMBER_PREFIX = re.compile(r"^(\d+(?:\.\d+)+)(?=[-_ ]|\.md$)")
_COPY = re.compile(r"(?i)(\s*-\s*(kopi|copy)(\s*\(\d+\))?|\s+\(\d+\)|[-_ ]kopi)$")
_EDITOR_LEFTOVERS = {"thumbs.db", "desktop.ini", "ehthumbs.db"}
#: What ``rardocs import`` says of a meeting it made, kept in the meeting's folder: not content.
IMPORT_REPORT = "import-rapport.txt"

#: ``path`` of the entry, a Danish ``message``, and whether it is only a warning.
Finding = namedtuple("Finding", "path message warning")
#: ``items``, ``press`` and ``others`` (files that may be bilag, at any depth) are sorted paths.
MeetingFiles = namedtuple("MeetingFiles", "name folder meeting_file items press others")
CouncilFiles = namedtuple("CouncilFiles", "slug folder council_file templates press meetings")
#: ``folders``: every folder listed, as text, with its :func:`~rardocs.memo.stamp` taken just before it
#: was listed and the names it held (all of them, sorted): what :mod:`rardocs.snapshot`
#: checks to know the listing would be the same.
Listing = namedtuple("Listing", "content councils findings folders")


def is_ignored(name: str) -> bool:
    """Hidden files and editor or system leftovers: never content, never reported.

    ``.udkast.md``, ``.DS_Store``, ``.#punkt.md`` (Emacs), ``~$referat.docx``
    (Word's lock file), ``punkt.md~``, ``.punkt.md.swp`` (Vim), ``#punkt.md#``,
    ``Thumbs.db``, ``desktop.ini``.
    """
    return (name.startswith((".", "~")) or name.endswith(("~", ".swp", ".swo"))
            or (name.startswith("#") and name.endswith("#")) or name.lower() in _EDITOR_LEFTOVERS)


_DIGITS = re.compile(r"([0-9]+)")
_NATURAL: dict[str, tuple] = {}  # the names of an archive repeat (meeting.yaml, the standing items)


def natural_key(name: str) -> tuple:
    """Sort ``2.10-x.md`` after ``2.9-x.md`` (ASCII digits only: ``²1`` is text)."""
    key = _NATURAL.get(name)
    if key is None:
        if len(_NATURAL) > 100_000:
            _NATURAL.clear()
        key = _NATURAL[name] = tuple(int(part) if part.isascii() and part.isdigit() else part.lower()
                                     for part in _DIGITS.split(name))
    return key


def is_meeting_date(name: str) -> bool:
    """``2022-09-29``: the form of a meeting folder's name (the date itself is checked later)."""
    return bool(MEETING_FOLDER.match(name))


def list_archive(content: Path) -> Listing:
    """Every council, meeting and file under ``content``, and what is wrong with the names."""
    walk = _Walk(Path(content))
    councils = [walk.council(path) for path in walk.entries(walk.content, dirs_only=True)]
    return Listing(walk.content, [c for c in councils if c], walk.findings, walk.folders)


class _Walk:
    """One pass over ``content/``, collecting findings."""

    def __init__(self, content: Path):
        self.content = content
        self.inside = content.resolve()
        self.findings: list[Finding] = []
        self.dirs: set[str] = set()  # the folders among the entries listed (asked again and again), as text
        self.folders: dict[str, tuple] = {}

    def is_dir(self, path: Path) -> bool:
        return str(path) in self.dirs  # a text's hash is kept, a path's is computed each time

    def problem(self, path: Path, message: str, warning: bool = False) -> None:
        self.findings.append(Finding(path, message, warning))

    def entries(self, folder: Path, dirs_only: bool = False) -> list[Path]:
        """The usable entries of ``folder``, sorted: files and folders, links inside content/ followed."""
        result = []
        try:
            before = stamp(os.stat(folder))  # before the listing: a change while it is listed shows
            # scandir: the kind of most entries comes with the listing, without a stat each
            with os.scandir(folder) as listing:
                found = sorted(listing, key=lambda entry: natural_key(entry.name))
        except OSError as exc:
            self.problem(folder, f"mappen kan ikke læses ({exc.strerror or exc})")
            return []
        self.folders[str(folder)] = (before, sorted(entry.name for entry in found))
        for entry in found:
            name = entry.name
            if is_ignored(name):
                continue
            path = _child(folder, name)
            if not _utf8(name):
                shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                self.problem(folder / shown, "navnet er ikke gyldig UTF-8 og bruges ikke; omdøb det")
                continue
            kind = self.kind(path, entry)
            if kind == "dir":
                self.dirs.add(str(path))
            if kind == "dir" or (kind == "file" and not dirs_only):
                result.append(path)
            elif kind == "file" and folder == self.content:
                self.problem(path, "bruges ikke: content/ skal kun have en mappe for hvert råd", warning=True)
        return result

    def kind(self, path: Path, entry: os.DirEntry) -> str | None:
        """``"file"``, ``"dir"`` or ``None`` for what is refused (and reported)."""
        try:
            if not entry.is_symlink():
                if entry.is_dir(follow_symlinks=False):
                    return "dir"
                if entry.is_file(follow_symlinks=False):
                    return "file"
            elif path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    self.problem(path, "et symbolsk link, der ikke peger på noget, der findes; slet det")
                    return None
                if not target.is_relative_to(self.inside):
                    self.problem(path, "peger uden for content/ (et symbolsk link) og bruges ikke")
                    return None
            if path.is_dir():
                return "dir"
            if path.is_file():
                return "file"
        except OSError as exc:
            self.problem(path, f"kan ikke læses ({exc.strerror or exc})")
            return None
        self.problem(path, "er ikke en almindelig fil (fx en FIFO eller en enhed) og læses ikke")
        return None

    def council(self, folder: Path) -> CouncilFiles | None:
        council_file = None
        templates: list[Path] = []
        press: list[Path] = []
        meetings: list[MeetingFiles] = []
        for path in self.entries(folder):
            name = path.name
            if self.is_dir(path):
                if name == PRESS_FOLDER:
                    press = self.press_folder(path)
                elif name == TEMPLATES_FOLDER:
                    templates = self.templates(path)
                elif is_meeting_date(name):
                    meetings.append(self.meeting(path))
                else:
                    self.problem(path, "en mødemappe skal hedde efter mødets dato, fx 2022-09-29")
            elif name == COUNCIL_FILE:
                council_file = path
            elif not self.misnamed(path, COUNCIL_FILE):
                self.problem(path, f"bruges ikke: i rådets mappe læses kun {COUNCIL_FILE}, mapperne "
                                   f"{PRESS_FOLDER}/ og {TEMPLATES_FOLDER}/ og mødernes mapper", warning=True)
        if council_file is None:
            self.problem(folder, f"rådets mappe mangler filen {COUNCIL_FILE}")
        return CouncilFiles(folder.name, folder, council_file, templates, press, meetings)

    def meeting(self, folder: Path) -> MeetingFiles:
        meeting_file = None
        items: list[Path] = []
        press: list[Path] = []
        others: list[Path] = []
        for path in self.entries(folder):
            name = path.name
            if self.is_dir(path):
                others += self.all_files(path)
            elif name == MEETING_FILE:
                meeting_file = path
            elif name == IMPORT_REPORT:
                continue
            elif name.endswith(".md"):
                (press if name.lower().startswith(PRESS_FOLDER) else items).append(path)
            elif not (self.misnamed(path, MEETING_FILE) or self.misnamed(path, ".md")):
                others.append(path)
        if meeting_file is None:
            self.problem(folder, f"mødets mappe mangler filen {MEETING_FILE}")
        self.copies(items)
        return MeetingFiles(folder.name, folder, meeting_file, items, press, others)

    def press_folder(self, folder: Path) -> list[Path]:
        press = []
        for path in self.entries(folder):
            if not self.is_dir(path) and path.name.endswith(".md"):
                press.append(path)
            elif self.is_dir(path) or not self.misnamed(path, ".md"):
                for unused in self.all_files(path) if self.is_dir(path) else [path]:
                    self.problem(unused, f"bruges ikke: i {PRESS_FOLDER}/ læses kun pressemeddelelser (.md-filer)", warning=True)
        return press

    def templates(self, folder: Path) -> list[Path]:
        """The council's own Word templates, and its web templates in ``templates/web/``."""
        templates = []
        names = [f"{kind}.docx" for kind in DOCUMENT_KINDS]
        for path in self.entries(folder):
            if not self.is_dir(path) and path.name in names:
                templates.append(path)
            elif self.is_dir(path) and path.name == WEB_FOLDER:
                for web in self.entries(path):
                    if not self.is_dir(web) and web.suffix in WEB_SUFFIXES:
                        templates.append(web)
                    else:
                        self.problem(web, f"bruges ikke: webskabelonerne er {', '.join(WEB_SUFFIXES)}-filer", warning=True)
            else:
                self.problem(path, f"bruges ikke: skabelonerne hedder {', '.join(names)} (og {WEB_FOLDER}/ til"
                                   " hjemmesiden)", warning=True)
        return templates

    def all_files(self, folder: Path) -> list[Path]:
        files = []
        for path in self.entries(folder):
            files += self.all_files(path) if self.is_dir(path) else [path]
        return files

    def misnamed(self, path: Path, wanted: str) -> bool:
        """Report a file named almost as ``wanted`` (a file name, or a suffix such as ``.md``)."""
        name = path.name
        lower = name.lower()
        if wanted.startswith("."):
            stem, why = name, ""
            if lower.endswith(".txt"):
                stem, why = name[:-4], " (Notesblok har tilføjet .txt)"
            for suffix in (wanted, ".markdown"):
                if stem.lower().endswith(suffix) and len(stem) > len(suffix):
                    right = stem[: -len(suffix)] + wanted
                    if right != name:
                        self.problem(path, f"filen læses ikke: omdøb den til '{right}'{why}")
                        return True
            return False
        stem = wanted.rsplit(".", 1)[0]
        if name != wanted and lower in (wanted, wanted + ".txt", stem + ".yml", stem + ".yml.txt"):
            self.problem(path, f"filen læses ikke: omdøb den til '{wanted}'")
            return True
        return False

    def copies(self, items: list[Path]) -> None:
        """A Windows copy (``2.1-x - Kopi.md``) or two items with one number is an error."""
        by_number: dict[str, Path] = {}
        for path in items:
            stem = path.name[:-3]
            # (a copy's name ends in ")" or in kopi/copy: the search only then, it is slow)
            if (stem.endswith(")") or stem[-4:].lower() in ("kopi", "copy")) and _COPY.search(stem):
                original = _COPY.sub("", stem) + ".md"
                self.problem(path, f"ligner en kopi af '{original}'; slet den, eller giv den sit eget nummer og navn")
                continue
            prefix = NUMBER_PREFIX.match(path.name)
            if prefix:
                number = prefix.group(1)
                if number in by_number:
                    self.problem(path, f"begynder med samme nummer ({number}) som '{by_number[number].name}'; "
                                       "giv hvert punkt sit eget nummer")
                by_number.setdefault(number, path)


def _child(folder: Path, name: str) -> Path:
    """``folder / name`` for a name just listed, without parsing it again (pathlib's own
    shortcut for walking folders, where this Python has it: a third of the listing's time)."""
    shortcut = getattr(folder, "_make_child_relpath", None)
    return shortcut(name) if shortcut else folder / name


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False

