"""Safe YAML with the line of every key and list entry, and Danish messages.

What a file gives is kept in the cache as read (:func:`.archive.read_archive`), so the
parser (:mod:`.yamlparse`, and PyYAML with it, 9 ms) is imported only when a file is
read, not by a build that finds every file in the cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .text import read_text


@dataclass
class YamlDoc:
    """Parsed YAML and the line of every key and list entry in it."""

    path: str
    data: Any
    lines: dict[tuple, int]
    problems: list[Problem] = field(default_factory=list)  # warnings from reading and cleaning the file

    def line(self, *keys: Any) -> int:
        """The line of the value at ``keys``, or of its nearest parent."""
        keys = tuple(keys)
        while keys not in self.lines and keys:
            keys = keys[:-1]
        return self.lines.get(keys, 1)


def load_yaml(text: str, path: str, first_line: int = 1) -> YamlDoc:
    """Parse ``text`` (which starts at ``first_line`` of ``path``) safely.

    Raises :class:`~rardocs.errors.ContentError` with a Danish message and the line for
    syntax errors, tabs used for indentation, duplicate keys, explicit tags,
    anchors and aliases, and nesting too deep. Text that :func:`~.text.clean` changes
    (from escapes such as ``"\\0"``) is cleaned, with a warning in ``problems``.
    """
    from .yamlparse import parse

    return parse(text, path, first_line)


def read_yaml(path: Path, shown: str) -> YamlDoc:
    """Read a YAML file, with any warnings about its encoding."""
    file = read_text(path, shown)
    doc = load_yaml(file.text, shown)
    doc.problems = file.problems + [p for p in doc.problems if p not in file.problems]
    return doc
