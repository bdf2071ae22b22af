"""A Word template prepared for rendering: what every document made from it shares,
as plain data, kept from one build to the next.

Preparing a template (:func:`rardocs.render._prepare`) opens it with python-docx and
docxtpl, saves it once and deflates its unchanged parts: 25-40 ms a template, in every
process that renders it. Kept in the build's cache (:mod:`rardocs.memo`, table
:data:`TABLE`, by the file's SHA-256 under the package's salt), it is read back in a
millisecond, and only its Jinja code is compiled again (under a millisecond): there
is no code in the cache (:class:`Prepared` holds the templates' text, never compiled
code, and the cache reads back only data classes and named tuples of the package).

This module imports no Word library: the main process looks the templates up here
before it forks the workers that make the documents (:func:`look_up`), so that they
inherit them, without importing Word itself when it makes none of the documents.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import NamedTuple

from . import memo

#: The memo table of prepared templates.
TABLE = "templates"


class Member(NamedTuple):
    """A zip member, deflated as :mod:`zipfile` deflates it."""

    name: str
    crc: int
    size: int
    deflated: bytes


class Slot(NamedTuple):
    """A zip member made by each render: ``key`` says which."""

    name: str
    key: object


class Place(NamedTuple):
    """Where a rendered body goes in the XML of the document part (see
    :func:`rardocs.render._in_place`), all of it UTF-8."""

    start: bytes  # the body's start tag, as the template's body begins
    end: bytes  # its end tag
    head: bytes  # the document part's XML up to the body's content, the body's start tag as the part has it
    tail: bytes  # from the body's end tag
    index: int  # of the body among the children of the document element
    children: int  # of the document element


@dataclasses.dataclass(frozen=True)
class Prepared:
    """What a template's renders share: everything that does not depend on the data."""

    styles: dict  # style id → the left indent it gives, in twips (keeping no XML tree alive)
    width: int  # of the text, in twips
    body: str  # the document body's XML as docxtpl hands it to Jinja
    parts: tuple  # (relationship id, encoding, XML as Jinja gets it) of each header, then each footer
    properties: tuple  # (name, Jinja source) of the document properties docxtpl renders
    document: bytes  # the document part, its body still the template's
    rels: tuple  # the document part's relationships: (rId, type, target, external)
    numbering: bytes
    core: bytes
    members: tuple  # of the .docx in order: a Member ready to write, or a Slot
    bare_in: tuple | None  # see rardocs.render._Writing
    place: Place | None  # see rardocs.render._in_place


def kept(digest: bytes, prepare) -> Prepared | None:
    """The template whose content has SHA-256 ``digest`` as prepared before, or
    ``prepare()``'s result, kept for the next build (a template that cannot be prepared,
    None, is not kept)."""
    store = memo.active()
    if store is None:
        return prepare()
    return store.get(TABLE, digest, prepare, keep=lambda prepared: prepared is not None)


def look_up(every: set[Path], needed: set[Path]) -> None:
    """Keep each template of ``every`` (those of the archive's documents, made now or not)
    that the cache has for the next build, and have each of ``needed`` (those of the
    documents made now) prepared in this process, from the cache if it is there, before
    workers are forked: they inherit it instead of preparing it each. Word is imported
    here only for a template not in the cache (a new or edited one)."""
    store = memo.active()
    found = {path for path in every | needed if store is not None and store.find(TABLE, memo.file_digest(path))}
    missing = sorted(needed - found)
    if missing:
        from .render import prepare

        for path in missing:
            prepare(path)
