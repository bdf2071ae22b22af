"""Reading a whole content folder: every council, meeting, item and press release."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ContentError, Problem
from .items import RawItem, RawPress, read_item, read_press
from .yamlfile import YamlDoc, read_yaml

MEETING_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COUNCIL_FILE = "council.yaml"
MEETING_FILE = "meeting.yaml"
PRESS_FOLDER = "presse"
#: Folders inside a council folder that are not meetings.
NOT_MEETINGS = {PRESS_FOLDER, "templates"}


@dataclass
class RawMeeting:
    folder: Path
    shown: str
    meeting: YamlDoc | None
    items: list[RawItem]


@dataclass
class RawCouncil:
    slug: str
    folder: Path
    shown: str
    council: YamlDoc | None
    meetings: list[RawMeeting]
    press: list[RawPress] = field(default_factory=list)


def is_press_file(path: Path) -> bool:
    """Press releases in a meeting folder are the files whose names start with "presse"."""
    return path.name.lower().startswith(PRESS_FOLDER)


@dataclass
class RawArchive:
    root: Path
    councils: list[RawCouncil]
    problems: list[Problem]


def natural_key(name: str) -> list:
    """Sort ``2.10-x.md`` after ``2.9-x.md``."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def shown_path(path: Path, root: Path) -> str:
    """The path as the user sees it: relative to the project root, with ``/``."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_archive(root: Path, content: Path | None = None) -> RawArchive:
    """Read every council, meeting and item file below ``content``.

    Files that cannot be read are reported as problems, not raised, so that a
    single run shows every mistake.
    """
    content = content or root / "content"
    problems: list[Problem] = []
    if not content.is_dir():
        raise ContentError([Problem(shown_path(content, root), 0, "mappen med indhold findes ikke")])

    inside = content.resolve()

    def escapes(path: Path) -> bool:
        """A symbolic link out of content/ is refused: a build reads only the content folder."""
        if path.resolve().is_relative_to(inside):
            return False
        problems.append(Problem(shown_path(path, root), 0, "peger uden for content/ (et symbolsk link) og bruges ikke"))
        return True

    def attempt(reader, path, *args):
        if escapes(path):
            return None
        try:
            result = reader(path, shown_path(path, root), *args)
        except ContentError as exc:
            problems.extend(exc.problems)
            return None
        problems.extend(result.problems)
        return result

    def markdown_files(folder: Path) -> list[Path]:
        return [p for p in sorted(folder.glob("*.md"), key=lambda p: natural_key(p.name))
                if not p.name.startswith(".") and p.is_file()]

    councils = []
    for folder in sorted(p for p in content.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if escapes(folder):
            continue
        council_file = folder / COUNCIL_FILE
        if not council_file.is_file():
            problems.append(Problem(shown_path(folder, root), 0, f"rådets mappe mangler filen {COUNCIL_FILE}"))
            council_yaml = None
        else:
            council_yaml = attempt(read_yaml, council_file)
        meetings = []
        press = [attempt(read_press, path) for path in markdown_files(folder / PRESS_FOLDER)] if (folder / PRESS_FOLDER).is_dir() else []
        for meeting_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
            if meeting_folder.name in NOT_MEETINGS or meeting_folder.name.startswith(".") or escapes(meeting_folder):
                continue
            shown = shown_path(meeting_folder, root)
            if not MEETING_FOLDER.match(meeting_folder.name):
                problems.append(Problem(shown, 0, "en mødemappe skal hedde efter mødets dato, fx 2022-09-29"))
                continue
            meeting_file = meeting_folder / MEETING_FILE
            if not meeting_file.is_file():
                problems.append(Problem(shown, 0, f"mødets mappe mangler filen {MEETING_FILE}"))
                meeting_yaml = None
            else:
                meeting_yaml = attempt(read_yaml, meeting_file)
            files = markdown_files(meeting_folder)
            items = [attempt(read_item, path) for path in files if not is_press_file(path)]
            press += [attempt(read_press, path, shown) for path in files if is_press_file(path)]
            meetings.append(RawMeeting(meeting_folder, shown, meeting_yaml, [i for i in items if i]))
        councils.append(RawCouncil(folder.name, folder, shown_path(folder, root), council_yaml, meetings,
                                   [p for p in press if p]))
    return RawArchive(root, councils, problems)
