"""Safe YAML with the line of every key and list entry, and Danish messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError, Problem
from .text import read_text

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
