"""Blocks into a meeting: the heading's facts, the sections, the items with their
fields and bilag, who attended, when the meeting ended.

What is recognised, without configuration:

- an item's heading: its number in either scheme (``2.1``, ``2.1.1``, also written
  ``- 2.1.``), its title and its category in parentheses at the end, in any order
  ("(B)", "(B + oplæg)", "(Oplæg + D)"); "Lukket punkt" in the parentheses or as the
  item's only text makes it closed;
- a section's heading: ``2. Titel`` just before the section's first item (a numbered
  line elsewhere is a list's entry);
- the field labels "Sagen kort:", "Indstilling:", "Beslutning:", "Sagsfremstilling:",
  "Videre proces:", "Baggrund:", "Bilag:" at a paragraph's start (run in, or alone on
  their line; the colon may be missing before a capital letter);
- bilag as "2.1.1 – Titel: https://…", several on one line too, and "Ingen bilag til
  punktet.";
- who attended, after "På mødet deltog:" or a group's heading: by role ("Medlemmer:",
  "Suppleanter:", "Tilforordnede:", "Baglandsrepræsentanter:", names with the
  organisation in parentheses) or by organisation ("Fra FH:", "Fra kommunerne:",
  names with a role in parentheses), and "Afbud:";
- the meeting's facts: "Tid: Torsdag den 29. september 2022 kl. 13.00–16.05",
  "Sted: …", "Mødeleder: …", a title or running header with the date, and "Mødet
  sluttede kl. 16.05".

Whatever is not placed is returned as a :class:`~rardocs.importer.lines.SetAside`,
for the report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .blocks import Block
from .lines import ABBREVIATIONS, CATEGORY, ITEM_HEADING, LABELS, SECTION_HEADING, SetAside, marker_of

MONTHS = {name: number for number, name in enumerate(
    ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november",
     "december"), start=1)}
_DATE = re.compile(r"\b(\d{1,2})\.\s*(" + "|".join(MONTHS) + r")\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_TIME = re.compile(r"\b(?:kl\.?\s*)?(\d{1,2})[.:](\d{2})\b")
_FIELD = re.compile(rf"^({'|'.join(LABELS)})(?:\s*:\s*|\s+(?=[A-ZÆØÅ0-9\"”“]))(.*)$", re.IGNORECASE | re.DOTALL)
_FACT = re.compile(r"^(Tid|Tidspunkt|Dato|Sted|Mødested|Mødeleder|Ordstyrer)\s*:\s*(.*)$", re.IGNORECASE)
_ENDED = re.compile(r"^Mødet (?:sluttede|blev afsluttet|afsluttedes|slut)\s+(?:kl\.?\s*)?(\d{1,2})[.:](\d{2})\.?\s*$",
                    re.IGNORECASE)
_ATTENDED = re.compile(r"^(?:På mødet deltog|Til stede|Deltagere|Fremmødte)\s*:?\s*$", re.IGNORECASE)
_ABSENT = re.compile(r"^(?:Afbud|Fraværende|Afbud fra)\s*:\s*(.*)$", re.IGNORECASE)
#: Role headings of an attendance list grouped by role, and the role each gives.
ROLE_HEADINGS = {"medlemmer": "medlem", "medlem": "medlem", "suppleanter": "suppleant", "suppleant": "suppleant",
                 "tilforordnede": "tilforordnet", "tilforordnet": "tilforordnet",
                 "baglandsrepræsentanter": "baglandsrepræsentant", "baglandsrepræsentant": "baglandsrepræsentant",
                 "bagland": "baglandsrepræsentant"}
_GROUP = re.compile(r"^(?:Fra\s+(?P<org>[^:]{1,60})|(?P<role>" + "|".join(ROLE_HEADINGS) + r"))\s*:\s*(?P<rest>.*)$",
                    re.IGNORECASE)
_PERSON = re.compile(r"^(?P<name>[A-ZÆØÅÉ][\w.'’-]*(?:\s+[\w.'’-]+){0,5})\s*(?:\((?P<paren>[^()]{1,40})\))?"
                     r"(?:\s*,\s*(?P<position>formand|næstformand|forperson|næstforperson))?\s*$")
#: "2.1.1 – Titel: https://…": a bilag's number (a letter O for a zero is forgiven), title, address.
_BILAG = re.compile(r"(?:^|\s)(?P<number>[0-9O]{1,2}(?:\.\d{1,2}){1,3})\.?\s*[-–—]\s+")
_NO_BILAG = re.compile(r"^(?:Ingen|Intet)\s+bilag\b.*$", re.IGNORECASE)
_URL = re.compile(r"<?(https?://[^\s<>]+|www\.[^\s<>]+)>?")


@dataclass
class Bilag:
    number: str
    title: str
    url: str = ""


@dataclass
class Item:
    number: str
    title: str
    kind: list[str]
    where: str
    closed: bool = False
    fields: dict[str, list[Block]] = field(default_factory=dict)
    bilag: list[Bilag] = field(default_factory=list)

    @property
    def section(self) -> str:
        return self.number.split(".", 1)[0]


@dataclass
class Attendee:
    name: str
    group: str  # the heading it stands under, as written ("Medlemmer", "Fra FH")
    role: str  # medlem, suppleant, …
    organisation: str
    position: str = ""
    where: str = ""


@dataclass
class Meeting:
    date: dt.date | None = None
    date_from: str = ""  # where the date was found ("linje 502")
    start: str = ""
    end: str = ""
    ended: str = ""
    place: str = ""
    chair: str = ""
    council_name: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    present: list[Attendee] = field(default_factory=list)
    absent: list[Attendee] = field(default_factory=list)
    grouping: str = "role"
    #: "same_line" when a group of one stood on its heading's line ("Fra Lederne: Lene Christensen")
    lone_member: str = ""


def recognise(blocks: list[Block], set_aside: list[SetAside]) -> Meeting:
    """The meeting in ``blocks``; what is not placed goes in ``set_aside``."""
    meeting = Meeting()
    sections = _section_headings(blocks)
    item: Item | None = None
    label: str | None = None
    attending = False
    group: tuple[str, str, str] | None = None  # (heading, role, organisation)
    for index, block in enumerate(blocks):
        if block.kind != "table":
            block = _plain_label(block)
        text = block.text.strip()
        if block.kind == "table":
            if item is None or attending:
                overview = _overview(block)
                set_aside.append(SetAside(block.where, _table_text(block), "oversigt over punkterne (hvert punkt står "
                                          "i sin fil; oversigten laves af rardocs)" if overview else
                                          "tabel uden for et punkt", placed=overview))
            else:
                item.fields.setdefault(label or "Sagsfremstilling", []).append(block)
            continue
        if index in sections:
            number, title = sections[index]
            meeting.sections[number] = title
            item, label, attending = None, None, False
            continue
        heading = _item_heading(block)
        if heading:
            item = heading
            meeting.items.append(item)
            label, attending = None, False
            continue
        if ended := _ENDED.match(text):
            hours, minutes = ended.groups()
            meeting.ended = f"{int(hours):02d}.{minutes}"
            set_aside.append(SetAside(block.where, text, "mødets oplysninger (ended i meeting.yaml)", placed=True))
            item, label = None, None  # what follows is no item's text: the attendance, if anything
            continue
        if _ATTENDED.match(text):
            attending, group = True, None
            set_aside.append(SetAside(block.where, text, "deltagerlisten begynder (i meeting.yaml)", placed=True))
            continue
        absent = _ABSENT.match(text)
        if absent:
            attending, group = True, ("Afbud", "", "")
            for name in _names(absent.group(1)):
                _person(meeting, name, group, block.where, absent=True)
            continue
        grouped = _GROUP.match(text) if (attending or item is None or _attendance_follows(blocks, index)) else None
        if grouped and not _FIELD.match(text):
            attending = True
            group = _group(grouped)
            meeting.grouping = "organisation" if grouped.group("org") else "role"
            set_aside.append(SetAside(block.where, text, "en gruppe i deltagerlisten (rådets medlemmer med rolle og "
                                      "organisation står i council.yaml)", placed=True))
            on_line = _names(grouped.group("rest"))
            if len(on_line) == 1:
                meeting.lone_member = "same_line"
            for name in on_line:
                _person(meeting, name, group, block.where)
            continue
        if attending:
            if group is not None and _person(meeting, text, group, block.where, absent=group[0] == "Afbud"):
                continue
            set_aside.append(SetAside(block.where, text, "i deltagerlisten, men ikke et navn"))
            continue
        if item is None:
            if not _fact(meeting, block, set_aside):
                set_aside.append(SetAside(block.where, text, "før første punkt, og ikke mødets tid, sted eller titel"))
            continue
        field_match = _FIELD.match(text) if block.kind in ("para", "heading") else None
        if field_match:
            label = _label(field_match.group(1))
            rest = field_match.group(2).strip()
            if label == "Bilag":
                _bilag(item, rest, block)
            elif rest:
                marker, after = marker_of(rest)
                first = Block("list", after, block.where, marker=marker) if marker else Block("para", rest, block.where)
                item.fields.setdefault(label, []).append(_as_list(first))
            else:
                item.fields.setdefault(label, [])
            continue
        if text.lower().rstrip(".") == "lukket punkt":
            item.closed = True
            continue
        if _NO_BILAG.match(text):  # "Ingen bilag til punktet." on its own: the field Bilag's
            label = "Bilag"
        if label is None:
            label = "Sagsfremstilling"
            set_aside.append(SetAside(block.where, text, f"tekst uden feltnavn i punkt {item.number}: lagt i "
                                                         "Sagsfremstilling", placed=True, guessed=True))
        if label == "Bilag":
            _bilag(item, text, block)
            continue
        item.fields.setdefault(label, []).append(_as_list(block))
    if meeting.ended and meeting.end == meeting.ended:  # a referat's "Tid:" ends when the meeting ended
        meeting.end = ""
    if not meeting.date:
        for aside in set_aside:
            found = _date(aside.text)
            if found:
                meeting.date, meeting.date_from = found, aside.where
                break
    return meeting


_EMPHASISED_START = re.compile(r"^(\*{1,2})([^*]{1,60}?:?)\1(:?)\s*")


def _plain_label(block: Block) -> Block:
    """A block whose text begins with a label in bold or italic ("**Sagen kort:** …",
    Word's way) with the label plain, as a text has it."""
    match = _EMPHASISED_START.match(block.text.strip())
    if not match or not (_FIELD.match(match.group(2)) or _FACT.match(match.group(2) + match.group(3) + " x")):
        return block  # bold that is the text's own ("**Kontaktforløbet:** …"), not a label
    rest = block.text.strip()[match.end():]
    label = match.group(2) + match.group(3)
    return Block(block.kind, f"{label} {rest}".strip(), block.where, block.level, block.marker, block.rows)


def _section_headings(blocks: list[Block]) -> dict[int, tuple[str, str]]:
    """The blocks that are sections' headings: ``N. Titel`` as the last numbered line
    before the first item of section N (or a heading block of level 1)."""
    found: dict[int, tuple[str, str]] = {}
    candidates: dict[str, int] = {}
    started: set[str] = set()
    for index, block in enumerate(blocks):
        heading = _item_heading(block)
        if heading:
            section = heading.section
            if section not in started and section in candidates:
                at = candidates[section]
                match = SECTION_HEADING.match(blocks[at].text.strip())
                found[at] = (section, match.group(2).strip())
            started.add(section)
            candidates.clear()
            continue
        match = SECTION_HEADING.match(block.text.strip()) if block.kind in ("para", "heading") else None
        if match and not CATEGORY.search(block.text) and len(block.text) < 200:
            candidates[match.group(1)] = index
    return found


def _item_heading(block: Block) -> Item | None:
    if block.kind not in ("para", "heading"):
        return None
    text = block.text.strip()
    match = ITEM_HEADING.match(text)
    category = CATEGORY.search(text)
    if not match or not category or block.kind == "heading" and block.level == 1:
        return None
    number = match.group(1)
    title = text[match.start(2):category.start()].strip()
    inside = category.group(0).strip()[1:-1]
    closed = "lukket" in inside.lower()
    kind = [part.strip() for part in re.split(r"\s*\+\s*", inside) if part.strip() and "lukket" not in part.lower()]
    return Item(number, title, kind, block.where, closed=closed)


def _label(written: str) -> str:
    for label in LABELS:
        if label.lower() == written.lower():
            return label
    return written


def _as_list(block: Block) -> Block:
    """A numbered line the structure did not take as a section's heading is a list's entry."""
    if block.kind == "para":
        match = SECTION_HEADING.match(block.text)
        if match and not _DATE.match(block.text):
            return Block("list", match.group(2), block.where, marker=f"{match.group(1)}.")
    return block


def _bilag(item: Item, text: str, block: Block) -> None:
    """The bilag in a line of the field Bilag; a line that names none is the field's text."""
    if not text:
        return
    if _NO_BILAG.match(text):
        item.fields.setdefault("Bilag", []).append(Block("para", text, block.where))
        return
    starts = list(_BILAG.finditer(" " + text))
    if not starts or starts[0].start() > 1:
        item.fields.setdefault("Bilag", []).append(Block("para", text, block.where))
        return
    padded = " " + text
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(padded)
        number = start.group("number").replace("O", "0")
        rest = padded[start.end():end].strip()
        url_match = _URL.search(rest)
        url = ""
        if url_match:
            url = url_match.group(1).rstrip(".,;)")
            if url.startswith("www."):
                url = "https://" + url
            rest = (rest[:url_match.start()] + rest[url_match.end():]).strip()
            rest = " ".join(word for word in rest.split() if _URL.fullmatch(word) is None
                            or word.strip("<>").rstrip(".,;)") != url_match.group(1).rstrip(".,;)"))
        title = rest.rstrip(" :").strip()
        if title.endswith(".") and not title.lower().endswith(ABBREVIATIONS):
            title = title[:-1]
        item.bilag.append(Bilag(number, title or f"Bilag {number}", url))


def _table_text(block: Block) -> str:
    return " | ".join(" ".join(row) for row in block.rows)


def _overview(block: Block) -> bool:
    header = " ".join(block.rows[0]).lower() if block.rows else ""
    return "punkt" in header or "nr" in header


def _attendance_follows(blocks: list[Block], index: int) -> bool:
    """Whether ``blocks[index]`` heads a list of people (the lines after it are names)."""
    after = [b.text.strip() for b in blocks[index + 1:index + 3]]
    return bool(after) and all(_PERSON.match(t) for t in after)


def _group(match: re.Match) -> tuple[str, str, str]:
    if match.group("org"):
        organisation = match.group("org").strip()
        return f"Fra {organisation}", "medlem", organisation
    heading = match.group("role").strip()
    return heading[:1].upper() + heading[1:], ROLE_HEADINGS[heading.lower()], ""


def _names(text: str) -> list[str]:
    """The names in ``text`` written on one line ("Fra LO: Anne Hansen, Bo Jensen")."""
    text = text.strip().rstrip(".")
    if not text:
        return []
    return [part.strip() for part in re.split(r",\s*(?![^()]*\))|\s+og\s+", text) if part.strip()]


def _person(meeting: Meeting, text: str, group: tuple[str, str, str], where: str, absent: bool = False) -> bool:
    match = _PERSON.match(text.strip().rstrip(".;"))
    if not match:
        return False
    heading, role, organisation = group
    paren = (match.group("paren") or "").strip()
    if heading.startswith("Fra "):
        if paren:
            role = next((r for h, r in ROLE_HEADINGS.items() if h.startswith(paren.lower()) or paren.lower() == r),
                        role)
    elif paren:
        organisation = paren
    attendee = Attendee(match.group("name").strip(), heading, role, organisation, match.group("position") or "", where)
    (meeting.absent if absent else meeting.present).append(attendee)
    return True


def _fact(meeting: Meeting, block: Block, set_aside: list[SetAside]) -> bool:
    """The meeting's time, place, chair, council or date in a block before the items."""
    text = block.text.strip()
    fact = _FACT.match(text)
    if fact:
        what, value = fact.group(1).lower(), fact.group(2).strip()
        if what in ("tid", "tidspunkt", "dato"):
            date = _date(value)
            if date:
                meeting.date, meeting.date_from = date, block.where
            times = _TIME.findall(value.split(" kl", 1)[-1] if " kl" in value else value)
            if times:
                meeting.start = f"{int(times[0][0]):02d}.{times[0][1]}"
                if len(times) > 1:
                    meeting.end = f"{int(times[1][0]):02d}.{times[1][1]}"
        elif what in ("sted", "mødested"):
            meeting.place = value
        else:
            meeting.chair = value
        set_aside.append(SetAside(block.where, text, "mødets oplysninger (i meeting.yaml)", placed=True))
        return True
    title = re.match(r"^(?:Referat|Dagsorden)\s+(?:af|for|til)\s+(?:møde\s+i\s+)?(?P<council>.+?)"
                     r"(?:s)?(?:\s+møde)?(?:\s+den\s+.*)?$", text, re.IGNORECASE)
    if title and len(text) < 160:
        date = _date(text)
        if date and not meeting.date:
            meeting.date, meeting.date_from = date, block.where
        meeting.council_name = meeting.council_name or title.group("council").strip()
        set_aside.append(SetAside(block.where, text, "dokumentets titel", placed=True))
        return True
    if re.match(r"^[BOD]\s*=\s*\w+", text):
        set_aside.append(SetAside(block.where, text, "forklaring af kategorierne (laves af rardocs)", placed=True))
        return True
    if text.lower() in ("dagsordenens punkter", "dagsorden", "indhold", "indholdsfortegnelse"):
        set_aside.append(SetAside(block.where, text, "overskrift over oversigten (laves af rardocs)", placed=True))
        return True
    return False


def _date(text: str) -> dt.date | None:
    match = _DATE.search(text)
    if not match:
        return None
    day, month, year = match.groups()
    try:
        return dt.date(int(year), MONTHS[month.lower()], int(day))
    except ValueError:
        return None
