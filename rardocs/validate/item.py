"""Item files: front matter, fields, bilag and follow-up actions."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from ..content import RawItem, RawMeeting
from ..errors import Problem
from ..formatting import number as danish_number
from ..markdown import MAX_MARKDOWN, unsafe_links
from ..model import FIELD_NAMES, KINDS, STATUSES, Action, Council, Field, Source
from .checker import URL, Checker, did_you_mean

ITEM_KEYS = ("title", "section", "kind", "closed", "standing", "number", "bilag", "followup")
BILAG_KEYS = ("title", "url", "file")
ACTION_KEYS = ("id", "action", "owner", "due", "status", "note")
ACTION_ID = re.compile(r"^[\w.-]+$")
FILE_NUMBER = re.compile(r"^(\d+)((?:\.\d+)*)[-_ ]")  # "2.1-positivlisten.md": section 2
FENCE = ("```", "~~~")
MARKS = " \t#*_:"  # heading, bold and colon around a name


@dataclass
class PendingItem:
    """An item before numbering: everything but its number and bilag numbers."""

    title: str
    section: str
    kind: tuple[str, ...]
    closed: bool
    standing: bool
    explicit: int | None
    bilag: list[tuple[str, str | None, str | None]]
    actions: tuple[Action, ...]
    fields: tuple[Field, ...]
    source: Source
    line_of_number: int


def validate_item(raw: RawItem, council: Council, sections: dict, meeting: RawMeeting,
                  content_root: Path, problems: list[Problem]) -> PendingItem | None:
    check = Checker(raw.front, problems)
    data = check.mapping(raw.front.data, (), ITEM_KEYS, "punktets oplysninger")
    title = check.text(data, "title", (), required=True)
    section = check.text(data, "section", (), required=True)
    if section is not None and section not in sections:
        known = ", ".join(sections) or "ingen"
        check.error(("section",), f"afsnit {section} findes ikke i meeting.yaml (der er {known})")
        section = None
    if section is not None:
        _check_file_number(check, raw.filename, section)
    kind = _kind(check, data)
    closed = check.flag(data, "closed", ())
    standing = check.flag(data, "standing", ())
    number = data.get("number")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool) or number < 1):
        check.error(("number",), "'number' skal være punktets nummer i afsnittet, et helt tal (fx 3)")
        number = None

    bilag = []
    for index, entry in enumerate(check.sequence(data, "bilag", ())):
        keys = ("bilag", index)
        if isinstance(entry, str):
            entry = {"title": entry}
        entry = check.mapping(entry, keys, BILAG_KEYS, "et bilag")
        bilag_title = check.text(entry, "title", keys, required=True)
        url = check.text(entry, "url", keys)
        if url and not URL.match(url):
            check.error(keys + ("url",), f"'{url}' er ikke en webadresse (den skal begynde med https://)")
            url = None
        file = check.text(entry, "file", keys)
        if file and not _bilag_file_ok(check, keys + ("file",), file, meeting, content_root):
            file = None
        if bilag_title:
            bilag.append((bilag_title, url, file))

    actions = []
    for index, entry in enumerate(check.sequence(data, "followup", ())):
        keys = ("followup", index)
        entry = check.mapping(entry, keys, ACTION_KEYS, "en opfølgning")
        action_id = check.text(entry, "id", keys)
        if action_id and not ACTION_ID.match(action_id):
            check.error(keys + ("id",), f"ugyldigt id '{action_id}' (brug bogstaver, tal og bindestreger)")
        action_id = action_id or f"{meeting.folder.name}/{Path(raw.filename).stem}#{index + 1}"
        what = check.text(entry, "action", keys, required=True)
        owner = check.text(entry, "owner", keys, required=True)
        due = check.date(entry, "due", keys)
        status = (check.text(entry, "status", keys) or "åben").lower()
        if status not in STATUSES:
            check.error(keys + ("status",), f"ukendt status '{status}'{did_you_mean(status, STATUSES)} (brug åben, i gang eller afsluttet)")
        if what and owner:
            actions.append(Action(action_id, what, owner, due, status, check.text(entry, "note", keys) or "",
                                  Source(raw.path, raw.front.line(*keys))))

    fields = {}
    heading_lines = {}
    if raw.preamble and _looks_like_field(raw.preamble.split("\n", 1)[0]) is None:
        problems.append(Problem(raw.path, raw.preamble_line, "tekst før første felt; begynd med en overskrift som '## Sagen kort'"))
    _check_misplaced_headings(raw.path, raw.preamble, raw.preamble_line, None, problems)
    for raw_field in raw.fields:
        name = next((f for f in FIELD_NAMES if f.lower() == raw_field.heading.lower()), None)
        _check_misplaced_headings(raw.path, raw_field.body, raw_field.body_line, name, problems)
        if name is None:
            problems.append(Problem(raw.path, raw_field.line,
                                    f"ukendt felt '## {raw_field.heading}'{did_you_mean(raw_field.heading, FIELD_NAMES)}"
                                    f" (felterne er: {', '.join(FIELD_NAMES)})"))
            continue
        if name in heading_lines:
            problems.append(Problem(raw.path, raw_field.line, f"feltet '{name}' står to gange (også linje {heading_lines[name]})"))
            continue
        heading_lines[name] = raw_field.line
        if not raw_field.body.strip():
            continue  # an empty heading, such as a scaffold's "## Beslutning", is no field
        fields[name] = Field(name, raw_field.body, Source(raw.path, raw_field.body_line if raw_field.body else raw_field.line))
        problems.extend(markdown_problems(raw.path, raw_field.body_line, raw_field.body))
    if kind and kind[0] in ("B", "D") and "Indstilling" not in fields and not closed:
        check.error(("kind",), f"et {KINDS[kind[0]]}spunkt ({kind[0]}) uden '## Indstilling'", warning=True)

    if title is None or section is None or kind is None:
        return None
    return PendingItem(
        title=title, section=section, kind=kind, closed=closed, standing=standing, explicit=number, bilag=bilag,
        actions=tuple(actions), fields=tuple(fields[name] for name in FIELD_NAMES if name in fields),
        source=Source(raw.path, 1), line_of_number=raw.front.line("number"),
    )


def _check_file_number(check: Checker, filename: str, section: str) -> None:
    """Warn when a file named ``2.1-…`` (or ``2.1.1-…``) lies in another section than 2."""
    match = FILE_NUMBER.match(filename)
    if match and section.isdecimal() and int(match.group(1)) != int(section):
        check.error(("section",), f"filnavnet begynder med {match.group(1)}{match.group(2)}, men punktet står i afsnit {section}",
                    warning=True)


def _looks_like_field(line: str) -> str | None:
    """The field a line that is only a field's name looks like: ``### Beslutning``, ``**Beslutning:**``."""
    if len(line) > 80:  # no field name is that long, however marked
        return None
    core = " ".join(line.strip(MARKS).split()).lower()
    return next((name for name in FIELD_NAMES if name.lower() == core), None)


def _check_misplaced_headings(path: str, text: str, first_line: int, field: str | None, problems: list[Problem]) -> None:
    """A field name alone on a line of ``text`` (outside code) is a field heading written wrongly.

    Left as it is, it and the text after it would silently belong to the field
    above it (a decision could land in the public dagsorden).
    """
    in_fence = False
    for n, line in enumerate(text.split("\n"), first_line):
        if line.lstrip().startswith(FENCE):
            in_fence = not in_fence
            continue
        name = None if in_fence else _looks_like_field(line)
        if name and name != field:
            problems.append(Problem(path, n, f"'{line.strip()}' ligner feltet {name}; skriv '## {name}'"))


def _kind(check: Checker, data: dict) -> tuple[str, ...] | None:
    value = data.get("kind")
    if value is None or value == "":
        check.error((), "mangler 'kind' (B, O eller D)")
        return None
    parts = value if isinstance(value, list) else str(value).split("+")
    parts = [str(p).strip() for p in parts if str(p).strip()]
    if not parts or parts[0].upper() not in KINDS:
        shown = parts[0] if parts else value
        check.error(("kind",), f"ukendt kategori '{shown}' (brug B, O eller D)")
        return None
    return (parts[0].upper(), *parts[1:])


def _bilag_file_ok(check: Checker, keys: tuple, file: str, meeting: RawMeeting, content_root: Path) -> bool:
    """A bilag file lies in the meeting folder and is none of the archive's own files (an item, say)."""
    folder = meeting.folder
    path = Path(file)
    if path.is_absolute() or file.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", file):
        check.error(keys, f"bilagsfilen '{file}' skal angives i forhold til mødets mappe, fx bilag/notat.pdf")
        return False
    target = folder / path
    try:
        resolved = target.resolve()
        exists = target.is_file()
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symbolic link loop
        check.error(keys, f"ugyldigt filnavn for bilag: '{file[:60]}'")
        return False
    if not resolved.is_relative_to(folder.resolve()) or not resolved.is_relative_to(content_root.resolve()):
        check.error(keys, f"bilagsfilen '{file}' ligger uden for mødets mappe")
        return False
    if not exists:
        check.error(keys, f"bilagsfilen '{file}' findes ikke")
        return False
    if bilag_key(file) not in meeting.others:
        check.error(keys, f"bilagsfilen '{file}' er ikke et bilag, men en af indholdets egne filer "
                          "(et punkt, meeting.yaml, en pressemeddelelse eller en skjult fil)")
        return False
    return True


def bilag_key(file: str) -> str:
    """A bilag's ``file:`` as the path the archive listing gives it: ``bilag/./a.pdf`` is ``bilag/a.pdf``."""
    return posixpath.normpath(file.replace("\\", "/"))


def markdown_problems(path: str, first_line: int, text: str) -> list[Problem]:
    """What is wrong with a Markdown body whose first line is ``first_line``: too long to
    read as Markdown (an error), links that are not web links (a warning per target)."""
    if len(text) > MAX_MARKDOWN:
        return [Problem(path, first_line, f"teksten er for lang: {danish_number(len(text))} tegn (højst"
                                          f" {danish_number(MAX_MARKDOWN)}); forkort den, eller læg den i et bilag")]
    problems = []
    for line, target in unsafe_links(text):
        shown = " ".join(target.split())
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        problems.append(Problem(path, first_line + line, f"linket '{shown}' er ikke en webadresse og vises som tekst"
                                                         " (brug https://, http:// eller mailto:)", warning=True))
    return problems
