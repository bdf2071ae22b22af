"""Reading content files: text decoding, YAML with line numbers, item files.

Everything here turns bytes on disk into plain Python data plus the place
(file, line) each value came from, so that validation can point at it.
Nothing here decides what the data means; :mod:`rardocs.validate` does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problem

FRONT_MATTER = "---"
FIELD_HEADING = re.compile(r"^##(?!#)[ \t]*(.*?)[ \t#]*$")

# Characters that PDF and Word copy-paste leaves behind.
_PDF_BULLET = re.compile(r"^([ \t]*)[\uf0a7\uf0b7\uf0d8\uf076\uf0fc\u2022\u25cf\u25aa\u25e6][ \t]*", re.M)
_DROP = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0B, 0x0C)]
    + list(range(0x7F, 0xA0)) + [0xAD, 0xFEFF, 0xFFFE, 0xFFFF]
    + list(range(0xE000, 0xF900)),
)
_DROP.update({0x0B: " ", 0x0C: "\n"})


@dataclass
class TextFile:
    """A decoded text file: what the user sees as its path, and its text."""

    path: str
    text: str
    problems: list[Problem] = field(default_factory=list)


def read_text(path: Path, shown: str) -> TextFile:
    """Read ``path`` as the user's editor would and return its cleaned text.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such; a file that
    is not UTF-8 is read as Windows-1252 with a warning. Line endings become
    ``\\n``; control characters, soft hyphens and private-use bullets pasted
    from PDFs are cleaned (bullets at a line start become Markdown ``- ``).
    """
    data = path.read_bytes()
    problems: list[Problem] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ContentError([Problem(shown, 1, "filen er gemt som UTF-16 men er ufuldstændig; gem den som UTF-8")]) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise ContentError([Problem(shown, line, "filen er ikke gemt som UTF-8 og kan ikke læses; gem den som UTF-8")]) from None
            problems.append(Problem(shown, line, "filen er gemt som Windows-1252 (ANSI) og er læst som sådan; gem den som UTF-8", warning=True))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = clean(text)
    if cleaned != text:
        line = next((n for n, (a, b) in enumerate(zip(text.split("\n"), cleaned.split("\n")), 1) if a != b), 1)
        problems.append(Problem(shown, line, "usynlige tegn (fx fra PDF eller Word) er fjernet eller erstattet", warning=True))
    return TextFile(shown, cleaned, problems)


def clean(text: str) -> str:
    """Remove or replace characters that do not belong in a document's text."""
    text = _PDF_BULLET.sub(r"\1- ", text)
    text = unicodedata.normalize("NFC", text)
    return text.translate(_DROP)


# --- YAML -----------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML without YAML 1.1's surprises.

    ``13:00`` stays a string (not the sexagesimal 780), ``10.00`` stays
    "10.00" (not the float 10.0) and dates stay strings, so that validation
    sees what the user typed and can report it with its line. Mapping keys
    are always the text written.
    """

    def construct_mapping(self, node, deep=False):
        return {
            key_node.value if isinstance(key_node, yaml.ScalarNode) else self.construct_object(key_node, deep):
            self.construct_object(value_node, deep=deep)
            for key_node, value_node in node.value
        }


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (
        "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(0|[1-9][0-9_]*)$"), list("-+0123456789"))

_YAML_HINTS = (
    ("mapping values are not allowed", "et kolon står et sted, hvor YAML ikke venter det; sæt teksten i anførselstegn"),
    ("could not find expected ':'", "en linje mangler et kolon efter nøglen"),
    ("while scanning a quoted scalar", "et anførselstegn er ikke lukket"),
    ("found unexpected end of stream", "et anførselstegn er ikke lukket"),
    ("did not find expected key", "indrykningen passer ikke med linjerne over"),
    ("expected <block end>", "indrykningen passer ikke med linjerne over"),
    ("did not find expected '-' indicator", "indrykningen af listen passer ikke"),
    ("found undefined alias", "'*' i starten af en værdi; sæt teksten i anførselstegn"),
    ("expected alphabetic or numeric character", "'*' eller '&' i starten af en værdi; sæt teksten i anførselstegn"),
    ("found character that cannot start any token", "et tegn som '@' eller '`' kan ikke stå først i en værdi; sæt teksten i anførselstegn"),
)


@dataclass
class YamlDoc:
    """Parsed YAML and the line of every key and list entry in it."""

    path: str
    data: Any
    lines: dict[tuple, int]
    problems: list[Problem] = field(default_factory=list)  # warnings from reading the file

    def line(self, *keys: Any) -> int:
        """The line of the value at ``keys``, or of its nearest parent."""
        keys = tuple(keys)
        while keys not in self.lines and keys:
            keys = keys[:-1]
        return self.lines.get(keys, 1)


def load_yaml(text: str, path: str, first_line: int = 1) -> YamlDoc:
    """Parse ``text`` (which starts at ``first_line`` of ``path``) safely.

    Raises :class:`ContentError` with a Danish message and the line for
    syntax errors, tabs used for indentation and duplicate keys.
    """
    for n, line in enumerate(text.split("\n")):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            raise ContentError([Problem(path, first_line + n, "tabulatortegn i YAML-indrykning; brug mellemrum")])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or ""
        # For an unclosed quote the problem is at the end of the file; the quote opened at the context mark.
        unclosed = exc.context and "quoted scalar" in exc.context
        mark = (exc.context_mark if unclosed else None) or exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        hint = next((h for key, h in _YAML_HINTS if key in problem), None)
        if "'\\t'" in problem:
            hint = "tabulatortegn i YAML; brug mellemrum"
        raise ContentError([Problem(path, line, f"ugyldig YAML: {hint or problem}")]) from None
    except yaml.YAMLError as exc:  # a ReaderError: a character YAML does not accept
        position = getattr(exc, "position", 0) or 0
        line = first_line + text[:position].count("\n")
        raise ContentError([Problem(path, line, "tegn, som YAML ikke kan læse; fjern eller ret det")]) from None
    if node is None:
        return YamlDoc(path, None, {})
    lines: dict[tuple, int] = {}
    problems: list[Problem] = []
    _walk(node, (), lines, problems, path, first_line)
    if problems:
        raise ContentError(problems)
    loader = _Loader("")
    try:
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError([Problem(path, first_line + (mark.line if mark else 0), "ugyldig YAML-værdi; sæt teksten i anførselstegn")]) from None
    finally:
        loader.dispose()
    return YamlDoc(path, data, lines)


def _walk(node, keys, lines, problems, path, first_line):
    lines[keys] = first_line + node.start_mark.line
    if not node.tag.startswith("tag:yaml.org,2002:"):
        problems.append(Problem(path, lines[keys], f"'{node.tag}' i starten af en værdi; sæt teksten i anførselstegn"))
        return
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = first_line + key_node.start_mark.line
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(path, line, "en nøgle skal være en tekst, ikke en liste eller en gruppe"))
                continue
            key = key_node.value
            if key in seen:
                problems.append(Problem(path, line, f"nøglen '{key}' står to gange (også linje {seen[key]})"))
            seen[key] = line
            _walk(value_node, keys + (key,), lines, problems, path, first_line)
            lines[keys + (key,)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _walk(child, keys + (index,), lines, problems, path, first_line)


def read_yaml(path: Path, shown: str) -> YamlDoc:
    """Read a YAML file, with any warnings about its encoding."""
    file = read_text(path, shown)
    doc = load_yaml(file.text, shown)
    doc.problems = file.problems
    return doc


# --- item files -------------------------------------------------------------


@dataclass
class RawField:
    heading: str
    line: int  # of the heading
    body: str
    body_line: int


@dataclass
class RawItem:
    """An item file split into front matter and ``##`` fields."""

    path: str
    filename: str
    front: YamlDoc
    fields: list[RawField]
    preamble: str  # text between the front matter and the first heading
    preamble_line: int
    problems: list[Problem]


def split_front_matter(path: Path, shown: str, what: str) -> tuple[TextFile, YamlDoc, list[str], int]:
    """Read a file that starts with YAML between ``---`` lines.

    Returns the file, the front matter, the lines after it and the
    (1-based) number of the first of those lines.
    """
    file = read_text(path, shown)
    lines = file.text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER:
        raise ContentError([Problem(shown, 1, f"filen skal begynde med '---' og {what}")])
    end = next((n for n in range(1, len(lines)) if lines[n].strip() == FRONT_MATTER), None)
    if end is None:
        raise ContentError([Problem(shown, 1, "oplysningerne øverst er ikke afsluttet med en linje '---'")])
    front = load_yaml("\n".join(lines[1:end]), shown, first_line=2)
    return file, front, lines[end + 1:], end + 2


def _first_text(lines: list[str]) -> int:
    return next((k for k, text in enumerate(lines) if text.strip()), 0)


def read_item(path: Path, shown: str) -> RawItem:
    """Read an item file: YAML front matter between ``---`` lines, then fields."""
    file, front, body, first = split_front_matter(path, shown, "punktets oplysninger (title, section, kind)")
    # Split the body at "## " headings (outside code fences).
    blocks: list[tuple[str | None, int, list[str]]] = [(None, first, [])]
    in_fence = False
    for n, line in enumerate(body, first):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else FIELD_HEADING.match(line)
        if match:
            blocks.append((match.group(1).strip().rstrip(":").strip(), n, []))
        else:
            blocks[-1][2].append(line)
    (_, _, preamble), *rest = blocks
    fields = [RawField(heading, line, "\n".join(lines).strip(), line + 1 + _first_text(lines))
              for heading, line, lines in rest]
    return RawItem(shown, path.name, front, fields, "\n".join(preamble).strip(), first + _first_text(preamble), file.problems)


@dataclass
class RawPress:
    """A press release file: front matter and a Markdown body."""

    path: str
    filename: str
    front: YamlDoc
    body: str
    body_line: int
    meeting_folder: str | None  # the meeting folder it lies in, if any
    problems: list[Problem]


def read_press(path: Path, shown: str, meeting_folder: str | None = None) -> RawPress:
    file, front, body, first = split_front_matter(path, shown, "pressemeddelelsens oplysninger (title, date)")
    return RawPress(shown, path.name, front, "\n".join(body).strip(), first + _first_text(body),
                    meeting_folder, file.problems)


# --- the archive --------------------------------------------------------------

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
