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

#: Member roles, in the order the attendance list shows them, with group labels.
ROLES = {
    "medlem": "Medlemmer",
    "suppleant": "Suppleanter",
    "tilforordnet": "Tilforordnede",
    "baglandsrepræsentant": "Baglandsrepræsentanter",
}

#: Follow-up action statuses.
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


@dataclass(frozen=True)
class Council:
    slug: str
    name: str
    genitive: str
    numbering: Numbering
    group_by: str  # "role" or "organisation"
    members: tuple[Member, ...]
    organisation_labels: dict[str, str] = field(default_factory=dict, hash=False)
    press_contact: PressContact | None = None
    about: str = ""
    followup_sheet_item: str = "Dagsorden for dagens møde"
    source: Source | None = None
    pdf: bool = False  # make a PDF of every document, always

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)


@dataclass(frozen=True)
class Bilag:
    number: str
    title: str
    url: str | None = None
    file: str | None = None  # relative to the meeting folder


@dataclass(frozen=True)
class Action:
    """A follow-up action decided on an item.

    ``id`` is the one written in the file, or else ``<meeting date>/<file
    name>#<n>``; write one to keep it when the item's actions are reordered.
    """

    id: str
    action: str
    owner: str
    due: dt.date | None
    status: str
    note: str = ""
    source: Source | None = None


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
    kind: tuple[str, ...]  # ("B",) or ("B", "oplæg")
    closed: bool
    fields: tuple[Field, ...]  # in FIELD_NAMES order
    bilag: tuple[Bilag, ...]
    actions: tuple[Action, ...]
    source: Source
    standing: bool = False

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

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


@dataclass(frozen=True)
class Archive:
    """Every council, meeting and press release under a content folder."""

    councils: tuple[Council, ...]
    meetings: tuple[Meeting, ...]  # by council, then date
    press: tuple[PressRelease, ...] = ()

    def earlier(self, meeting: Meeting) -> tuple[Meeting, ...]:
        """The council's meetings before ``meeting``, oldest first."""
        return tuple(m for m in self.meetings if m.council.slug == meeting.council.slug and m.date < meeting.date)
