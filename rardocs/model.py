"""The content model: what a council, a meeting and an agenda item are.

Frozen dataclasses holding data only: no file access, no Word, no formatting.
They are made by :mod:`rardocs.validate` from what :mod:`rardocs.content` read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .kinds import DAGSORDEN, DOCUMENT_KINDS, OPFOELGNINGSARK, PRESSEMEDDELELSE, REFERAT  # noqa: F401

#: The fields of an item, in the order every document shows them.
FIELD_NAMES = (
    "Sagen kort",
    "Indstilling",
    "Beslutning",
    "Sagsfremstilling",
    "Videre proces",
    "Baggrund",
    "Bilag",
)

#: Item categories: beslutning, orientering, drøftelse.
KINDS = {"B": "beslutning", "O": "orientering", "D": "drøftelse"}

def category_of(kind: tuple[str, ...]) -> str:
    """The category letter (B, O or D) among an item's ``kind`` parts, or ``""``."""
    return next((part for part in kind if part in KINDS), "")


#: Member roles, in the order the attendance list shows them, with group labels.
ROLES = {
    "medlem": "Medlemmer",
    "suppleant": "Suppleanter",
    "tilforordnet": "Tilforordnede",
    "baglandsrepræsentant": "Baglandsrepræsentanter",
}

#: The parenthesis after a name in an attendance grouped by organisation, by role ("" for none).
ROLE_LABELS = {"medlem": "", "suppleant": "suppleant", "tilforordnet": "tilforordnet",
               "baglandsrepræsentant": "baglandsrepræsentant"}

#: Where "Mødet sluttede kl. …" stands in the referat.
ENDED_POSITIONS = ("before_attendance", "after_attendance")

#: Follow-up action statuses; an action is åben until its first dated status.
STATUSES = ("åben", "i gang", "afsluttet")


@dataclass(frozen=True)
class Source:
    """Where something was written: a path as the user sees it, and a line."""

    path: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Member:
    name: str
    organisation: str
    role: str
    position: str | None = None  # formand, næstformand


@dataclass(frozen=True)
class Numbering:
    """Format patterns for item and bilag numbers.

    ``item`` uses ``{section}`` and ``{item}``; ``bilag`` also ``{n}``;
    ``lone_bilag`` (optional) numbers an item's only bilag.
    """

    item: str = "{section}.{item}"
    bilag: str = "{section}.{item}.{n}"
    lone_bilag: str | None = None


@dataclass(frozen=True)
class PressContact:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    source: Source | None = None  # where it is written (council.yaml or a press file)


@dataclass(frozen=True)
class Council:
    slug: str
    name: str
    genitive: str
    numbering: Numbering
    group_by: str  # "role" or "organisation"
    members: tuple[Member, ...]
    organisation_labels: dict[str, str] = field(default_factory=dict, hash=False)
    #: Every role's parenthesis after a name when grouped by organisation ("" for none).
    role_labels: dict[str, str] = field(default_factory=lambda: dict(ROLE_LABELS), hash=False)
    #: Every role's group heading when grouped by role, without the colon.
    role_headings: dict[str, str] = field(default_factory=lambda: dict(ROLES), hash=False)
    #: A group of one person on one line ("Fra Akademikerne: Svend Tøfting").
    lone_member_inline: bool = False
    #: One of :data:`ENDED_POSITIONS`.
    ended_position: str = "before_attendance"
    press_contact: PressContact | None = None
    about: str = ""
    followup_sheet_item: str = "Dagsorden for dagens møde"
    source: Source | None = None
    pdf: bool = False  # make a PDF of every document, always
    web: bool = True  # make the council's web site in output/<council>/web/
    site_url: str | None = None  # where the site is published, for the feeds' absolute links

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)


@dataclass(frozen=True)
class Bilag:
    number: str  # from the council's numbering, or written with ``number:``
    title: str
    url: str | None = None
    file: str | None = None  # relative to the meeting folder


@dataclass(frozen=True)
class Action:
    """A follow-up action decided on an item.

    ``id`` is the one written in the file, or else ``<meeting date>/<file
    name>#<n>``; write one to keep it when the item's actions are reordered.
    ``status`` is today's status; ``history`` the date each status began,
    oldest first (``done: D`` is ``((D, "afsluttet"),)``), and empty when no
    date is known: then ``status`` holds from the start.
    """

    id: str
    action: str
    owner: str
    due: dt.date | None
    status: str
    note: str = ""
    source: Source | None = None
    history: tuple[tuple[dt.date, str], ...] = ()

    def status_on(self, day: dt.date) -> str:
        """The status on ``day``: that of the last history entry dated ``day`` or before,
        "åben" before the first; ``status`` when there is no history."""
        if not self.history:
            return self.status
        current = STATUSES[0]
        for since, status in self.history:
            if since > day:
                break
            current = status
        return current


@dataclass(frozen=True)
class Field:
    """One ``## Heading`` of an item: its name and Markdown body."""

    name: str
    markdown: str
    source: Source


@dataclass(frozen=True)
class Item:
    number: str
    title: str
    section: str
    kind: tuple[str, ...]  # as written, category uppercased: ("B",), ("B", "oplæg"), ("Oplæg", "D")
    closed: bool
    fields: tuple[Field, ...]  # in FIELD_NAMES order
    bilag: tuple[Bilag, ...]
    actions: tuple[Action, ...]
    source: Source
    standing: bool = False

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def category(self) -> str:
        """The item's category letter, B, O or D: the one part of ``kind`` that is one."""
        return category_of(self.kind)

    @property
    def decision(self) -> Field | None:
        return self.field("Beslutning")


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Attendance:
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meeting:
    council: Council
    date: dt.date
    start: dt.time | None
    end: dt.time | None  # planned
    ended: dt.time | None  # actual, for the referat
    place: str
    chair: str
    sections: tuple[Section, ...]
    attendance: Attendance
    folder: str  # the meeting folder as the user sees it
    source: Source

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @property
    def has_decisions(self) -> bool:
        return any(item.decision for item in self.items)


@dataclass(frozen=True)
class Quote:
    text: str
    who: str
    role: str = ""


@dataclass(frozen=True)
class PressRelease:
    """A pressemeddelelse, optionally about an item's decision."""

    council: Council
    slug: str  # the file name without .md
    date: dt.date
    title: str
    lead: str
    body: str  # Markdown
    quote: Quote | None
    contact: PressContact | None
    meeting: Meeting | None  # with item: the meeting and item it is about
    item: Item | None
    source: Source
    decision: str = ""  # with decision: true, the item's decision to quote: its first paragraph as plain text


@dataclass(frozen=True)
class Archive:
    """Every council, meeting and press release under a content folder."""

    councils: tuple[Council, ...]
    meetings: tuple[Meeting, ...]  # by council, then date
    press: tuple[PressRelease, ...] = ()

    def earlier(self, meeting: Meeting) -> tuple[Meeting, ...]:
        """The council's meetings before ``meeting``, oldest first."""
        return tuple(m for m in self.meetings if m.council.slug == meeting.council.slug and m.date < meeting.date)
