"""Item and press release files: YAML front matter between ``---`` lines, then Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError, Problem
from .text import TextFile, read_text
from .yamlfile import YamlDoc, load_yaml

FRONT_MATTER = "---"

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
    #: The file's key in the read cache (:mod:`rardocs.memo`: its path and its content's hash),
    #: when it was read through the cache: what is made of this item alone can be kept by it.
    key: bytes | None = None


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


def field_heading(line: str) -> str | None:
    """The name in a ``## Name`` line (closing ``#`` and a colon dropped), or ``None``.

    String methods, not a regular expression: a lazy pattern with a trailing
    ``[ \\t#]*$`` backtracks quadratically over a long run of blanks.
    """
    if not line.startswith("##") or line.startswith("###"):
        return None
    return line[2:].strip(" \t").rstrip(" \t#").strip().rstrip(":").strip()


def read_item(path: Path, shown: str) -> RawItem:
    """Read an item file: YAML front matter between ``---`` lines, then fields."""
    file, front, body, first = split_front_matter(path, shown, "punktets oplysninger (title, section, kind)")
    # Split the body at "## " headings (outside code fences).
    blocks: list[tuple[str | None, int, list[str]]] = [(None, first, [])]
    in_fence = False
    for n, line in enumerate(body, first):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        heading = None if in_fence else field_heading(line)
        if heading is not None:
            blocks.append((heading, n, []))
        else:
            blocks[-1][2].append(line)
    (_, _, preamble), *rest = blocks
    fields = [RawField(heading, line, "\n".join(lines).strip(), line + 1 + _first_text(lines))
              for heading, line, lines in rest]
    return RawItem(shown, path.name, front, fields, "\n".join(preamble).strip(), first + _first_text(preamble),
                   file.problems + front.problems)


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
                    meeting_folder, file.problems + front.problems)
