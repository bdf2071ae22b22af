"""YAML read safely, with the line of every key and list entry, and Danish messages:
the parser behind :func:`.yamlfile.load_yaml`, imported only when a file is read (a
build whose files are all in the cache does without PyYAML)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import ContentError, Problem
from .text import CLEANED, clean
from .yamlfile import YamlDoc

_STR, _INT, _BOOL, _NULL, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "int", "bool", "null", "seq", "map"))
#: Deeper than this, a list or mapping is refused (real files nest three or four levels).
MAX_DEPTH = 50
_REFERENCE = "YAML-henvisninger med & og * bruges ikke; skriv værdien ud, eller sæt teksten i anførselstegn"
_TOO_DEEP = "YAML'en er indlejret for dybt"
#: Whether PyYAML has libyaml, whose parser and composer :func:`parse` uses when it can.
FAST = yaml.__with_libyaml__


class _Refused(yaml.MarkedYAMLError):
    """YAML that parses but that rardocs does not take; ``problem`` is the Danish message."""


class _Values(yaml.constructor.SafeConstructor):
    """How both loaders turn a node into a value: mapping keys are the text written,
    and a constructor's error carries the line of its node."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # noqa: BLE001  (a constructor's ValueError and the like: give it the node's line)
            raise yaml.constructor.ConstructorError(problem=str(exc), problem_mark=node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        return {
            key_node.value if isinstance(key_node, yaml.ScalarNode) else self.construct_object(key_node, deep):
            self.construct_object(value_node, deep=deep)
            for key_node, value_node in node.value
        }


class _Types(yaml.resolver.Resolver):
    """Which plain scalars are not text: only YAML 1.1's booleans and nulls, and whole
    numbers of at most 18 digits (see :class:`_Loader`)."""


_Types.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag in (_BOOL, _NULL)]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Types.add_implicit_resolver(_INT, re.compile(r"^[-+]?(0|[1-9][0-9_]{0,17})$"), list("-+0123456789"))


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _Values, _Types):
    """Safe YAML without YAML 1.1's surprises.

    ``13:00`` stays a string (not the sexagesimal 780), ``10.00`` stays
    "10.00" (not the float 10.0), dates, ``<<`` and ``=`` stay strings, and
    so does a number of more than 18 digits, so that validation sees what the
    user typed and can report it with its line. Mapping keys are always the
    text written. Anchors (``&``), and so aliases (``*``), are refused, and so
    is nesting deeper than :data:`MAX_DEPTH`: neither can blow up a tree.

    Pure Python: the reference, and what finds the line and words of a mistake
    (:class:`_FastLoader` reads the same files about ten times faster).
    """

    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Values.__init__(self)
        _Types.__init__(self)
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if event.anchor is not None and not isinstance(event, yaml.AliasEvent):
            raise _Refused(problem=_REFERENCE, problem_mark=event.start_mark)
        if self.depth >= MAX_DEPTH:
            raise _Refused(problem=_TOO_DEEP, problem_mark=event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


if FAST:
    class _FastLoader(yaml.cyaml.CParser, _Values, _Types):
        """:class:`_Loader`'s nodes and values from libyaml's parser and composer.

        Used only on text :func:`_fast_compose` has found plain (one document,
        no anchor, alias or directive, nesting well under :data:`MAX_DEPTH`):
        there, libyaml gives the nodes, tags and lines the pure loader gives
        (the tests compare the two on every file of the example archives and on
        tricky snippets). Anything else, a mistake above all, goes the pure way,
        which words the message.
        """

        def __init__(self, stream):
            yaml.cyaml.CParser.__init__(self, stream)
            _Values.__init__(self)
            _Types.__init__(self)


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
    ("but found another document", "en linje '---' deler filen i to; fjern den"),
    ("found character that cannot start any token", "et tegn som '@' eller '`' kan ikke stå først i en værdi; sæt teksten i anførselstegn"),
)


def parse(text: str, path: str, first_line: int = 1) -> YamlDoc:
    """:func:`.yamlfile.load_yaml`: ``text`` read, or a :class:`ContentError` saying why not."""
    for n, line in enumerate(text.split("\n")):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            raise ContentError([Problem(path, first_line + n, "tabulatortegn i YAML-indrykning; brug mellemrum")])
    loader, node = _compose(text, path, first_line)
    try:
        if node is None:
            return YamlDoc(path, None, {})
        lines, problems = _check(node, loader, path, first_line)
        if any(not p.warning for p in problems):
            raise ContentError(problems)
        try:
            data = loader.construct_document(node)
        except Exception as exc:  # noqa: BLE001  (construct_object gives any error the line of its node)
            mark = getattr(exc, "problem_mark", None)
            line = first_line + (mark.line if mark else 0)
            raise ContentError([Problem(path, line, "ugyldig YAML-værdi; sæt teksten i anførselstegn")]) from None
    finally:
        loader.dispose()
    return YamlDoc(path, data, lines, problems)


def _compose(text: str, path: str, first_line: int) -> tuple[_Loader, yaml.Node | None]:
    """A loader and the tree of ``text``; raises :class:`ContentError` for YAML it cannot take."""
    if FAST and (fast := _fast_compose(text)) is not None:
        return fast
    try:
        loader = _Loader(text)
        return loader, loader.get_single_node()
    except _Refused as exc:
        raise ContentError([Problem(path, first_line + exc.problem_mark.line, exc.problem)]) from None
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
    except RecursionError:  # only when called deep already: MAX_DEPTH stops nesting long before
        raise ContentError([Problem(path, first_line + loader.line, _TOO_DEEP)]) from None
    except (ValueError, OverflowError):  # an escape such as "\\U00110000" beyond Unicode
        raise ContentError([Problem(path, first_line + loader.line, "tegn, som YAML ikke kan læse; fjern eller ret det")]) from None


#: Characters outside what libyaml and the pure loader surely read alike: tabs (the pure
#: scanner refuses them in places libyaml takes them), control characters, the BOM, lone
#: surrogates and YAML's other line breaks (\r, NEL, LS, PS).
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
#: Deeper text goes the pure way, whatever :data:`MAX_DEPTH` is: libyaml's composer recurses in C.
_FAST_DEPTH = 40
#: The header of a block scalar (``|``, ``>-``, ``|2+``) as the pure scanner takes it.
_BLOCK_HEADER = re.compile(r"[|>](?:[-+][1-9]?|[1-9][-+]?)?(?: |$)")


def _fast_compose(text: str) -> tuple[_FastLoader, yaml.Node | None] | None:
    """What :class:`_Loader` would give for ``text``, from libyaml; ``None`` when only the
    pure loader may answer: unusual characters (:data:`_UNUSUAL`), an anchor, an alias, an
    explicit tag, a directive, a second document, nesting near :data:`MAX_DEPTH` (or
    :data:`_FAST_DEPTH`), or any
    mistake (whose message it words).

    The events are read first, in C, to see the text is plain: libyaml's composer has no
    depth limit and keeps no trace of anchors in the nodes it makes.
    """
    if _UNUSUAL.search(text):
        return None
    try:
        events = yaml.cyaml.CParser(text)
        depth = documents = 0
        lines = None
        while (event := events.get_event()) is not None:
            if isinstance(event, _OPEN):
                depth += 1
                if depth >= min(MAX_DEPTH - 1, _FAST_DEPTH) or (event.flow_style and "?" in text):
                    return None  # in [ ] and { }, libyaml reads "a?b" as text where the pure scanner stops
            elif isinstance(event, _CLOSE):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent) and event.style in ("|", ">"):
                lines = lines or text.split("\n")
                if not _BLOCK_HEADER.match(lines[event.start_mark.line], event.start_mark.column):
                    return None  # libyaml takes a header such as "|-#note" that the pure scanner refuses
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1 or event.version or event.tags:
                    return None
            if getattr(event, "anchor", None) is not None or getattr(event, "tag", None) is not None:
                return None  # an anchor, an alias (AliasEvent.anchor) or a tag
        loader = _FastLoader(text)
        node = loader.get_single_node()
    except Exception:  # noqa: BLE001  (not swallowed: the pure loader reads the text again and reports it)
        return None
    if node is None or isinstance(node, yaml.ScalarNode):
        return None  # libyaml puts the end of a text without a last line break on a line of its own
    return loader, node


def _check(node: yaml.Node, loader: _Loader, path: str, first_line: int) -> tuple[dict[tuple, int], list[Problem]]:
    """Check the tree at ``node`` and clean its text in place.

    Returns the line of every key and list entry, and the problems: an error
    for each explicit tag, key that is no text and duplicate key, and a
    warning for each line whose text :func:`clean` changed.
    """
    lines: dict[tuple, int] = {}
    problems: list[Problem] = []
    cleaned: set[int] = set()

    def line_of(node: yaml.Node) -> int:
        return first_line + node.start_mark.line

    def accepted(node: yaml.Node) -> bool:
        if isinstance(node, yaml.ScalarNode):
            text = clean(node.value)
            if text != node.value:
                node.value = text
                cleaned.add(line_of(node))
        if _tag_ok(loader, node):
            return True
        tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
        problems.append(Problem(path, line_of(node), f"'{tag}' i starten af en værdi; sæt teksten i anførselstegn"))
        return False

    def walk(node: yaml.Node, keys: tuple) -> None:
        lines[keys] = line_of(node)
        if not accepted(node):
            return
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                line = line_of(key_node)
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(Problem(path, line, "en nøgle skal være en tekst, ikke en liste eller en gruppe"))
                    continue
                if not accepted(key_node):
                    continue
                key = key_node.value
                if key in seen:
                    problems.append(Problem(path, line, f"nøglen '{key}' står to gange (også linje {seen[key]})"))
                seen[key] = line
                walk(value_node, keys + (key,))
                lines[keys + (key,)] = line
        elif isinstance(node, yaml.SequenceNode):
            for index, child in enumerate(node.value):
                walk(child, keys + (index,))

    walk(node, ())
    problems += [Problem(path, line, CLEANED, warning=True) for line in sorted(cleaned)]
    return lines, problems


def _tag_ok(loader: _Loader, node: yaml.Node) -> bool:
    """Only the tags the loader gives by itself: ``!!str``, but no other ``!!type`` or ``!name``."""
    if isinstance(node, yaml.MappingNode):
        return node.tag == _MAP
    if isinstance(node, yaml.SequenceNode):
        return node.tag == _SEQ
    return node.tag == _STR or node.tag == loader.resolve(yaml.ScalarNode, node.value, (True, False))
