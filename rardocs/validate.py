"""Turning what :mod:`rardocs.content` read into the model, checking everything.

Every mistake is collected, never only the first: :func:`validate` returns the
archive and the warnings, or raises :class:`ContentError` listing all problems.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .content import RawArchive, RawCouncil, RawItem, RawMeeting, RawPress, YamlDoc
from .errors import ContentError, Problem
from .model import (
    FIELD_NAMES, KINDS, ROLES, STATUSES, Action, Archive, Attendance, Bilag, Council,
    Field, Item, Meeting, Member, Numbering, PressContact, PressRelease, Quote, Section, Source,
)

ITEM_KEYS = ("title", "section", "kind", "closed", "standing", "number", "bilag", "followup")
BILAG_KEYS = ("title", "url", "file")
ACTION_KEYS = ("id", "action", "owner", "due", "status", "note")
PRESS_KEYS = ("title", "date", "lead", "quote", "contact", "item", "illustrative")
ACTION_ID = re.compile(r"^[\w.-]+$")
MEETING_KEYS = ("date", "start", "end", "ended", "place", "chair", "sections", "attendance", "illustrative")
COUNCIL_KEYS = ("name", "genitive", "numbering", "attendance", "members", "press", "about", "followup_sheet_item")
GROUP_BY = {"role": "role", "rolle": "role", "organisation": "organisation"}
TIME = re.compile(r"^(\d{1,2})[.:](\d{2})$")
URL = re.compile(r"^(https?://|mailto:)\S+$")


def did_you_mean(word: str, choices) -> str:
    """`` – mente du 'Beslutning'?`` or the empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" – mente du '{close[0]}'?" if close else ""


class _Checker:
    """Collects problems for one file; helpers return ``None`` on a mistake."""

    def __init__(self, doc: YamlDoc, problems: list[Problem]):
        self.doc = doc
        self.problems = problems

    def error(self, keys: tuple, message: str, warning: bool = False) -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line(*keys), message, warning))

    def mapping(self, value: Any, keys: tuple, allowed, what: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(keys, f"{what} skal være nøgler med værdier (nøgle: værdi)")
            return {}
        for key in value:
            if key not in allowed:
                self.error(keys + (key,), f"ukendt nøgle '{key}'{did_you_mean(str(key), allowed)}")
        return value

    def text(self, data: dict, key: str, keys: tuple, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.error(keys, f"mangler '{key}'")
            return None
        if isinstance(value, (dict, list)):
            self.error(keys + (key,), f"'{key}' skal være en tekst")
            return None
        return str(value).strip()

    def sequence(self, data: dict, key: str, keys: tuple) -> list:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(keys + (key,), f"'{key}' skal være en liste (linjer der begynder med '- ')")
            return []
        return value

    def date(self, data: dict, key: str, keys: tuple) -> dt.date | None:
        value = self.text(data, key, keys)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(keys + (key,), f"ugyldig dato '{value}' (skriv ÅÅÅÅ-MM-DD, fx 2022-09-29)")
            return None

    def time(self, data: dict, key: str, keys: tuple) -> dt.time | None:
        value = self.text(data, key, keys)
        if value is None:
            return None
        match = TIME.match(value)
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return dt.time(int(match.group(1)), int(match.group(2)))
        self.error(keys + (key,), f"ugyldigt klokkeslæt '{value}' (skriv fx \"13.00\")")
        return None

    def flag(self, data: dict, key: str, keys: tuple) -> bool:
        value = data.get(key, False)
        if isinstance(value, str) and value.strip().lower() in ("ja", "nej"):
            return value.strip().lower() == "ja"
        if not isinstance(value, bool):
            self.error(keys + (key,), f"'{key}' skal være true eller false")
            return False
        return value


# --- council -------------------------------------------------------------------


def validate_council(raw: RawCouncil, problems: list[Problem]) -> Council | None:
    doc = raw.council
    if doc is None:
        return None
    check = _Checker(doc, problems)
    data = check.mapping(doc.data, (), COUNCIL_KEYS, "council.yaml")
    name = check.text(data, "name", (), required=True) or raw.slug
    numbering = _numbering(check, check.mapping(data.get("numbering"), ("numbering",), ("item", "bilag", "lone_bilag"), "numbering"))
    attendance = check.mapping(data.get("attendance"), ("attendance",), ("group_by", "labels"), "attendance")
    group_by = GROUP_BY.get(str(attendance.get("group_by", "role")).strip().lower())
    if group_by is None:
        check.error(("attendance", "group_by"), "'group_by' skal være role eller organisation")
        group_by = "role"
    labels = attendance.get("labels") or {}
    if not isinstance(labels, dict):
        check.error(("attendance", "labels"), "'labels' skal være organisation: betegnelse, fx kommune: kommunerne")
        labels = {}
    members = []
    for index, entry in enumerate(check.sequence(data, "members", ())):
        keys = ("members", index)
        entry = check.mapping(entry, keys, ("name", "organisation", "role", "position"), "et medlem")
        member_name = check.text(entry, "name", keys, required=True)
        role = (check.text(entry, "role", keys) or "medlem").lower()
        if role not in ROLES:
            check.error(keys + ("role",), f"ukendt rolle '{role}'{did_you_mean(role, ROLES)} (brug {', '.join(ROLES)})")
        if member_name:
            members.append(Member(member_name, check.text(entry, "organisation", keys) or "", role,
                                  check.text(entry, "position", keys)))
    seen: set[str] = set()
    for index, member in enumerate(members):
        if member.name in seen:
            check.error(("members", index), f"'{member.name}' står to gange blandt medlemmerne")
        seen.add(member.name)
    press = check.mapping(data.get("press"), ("press",), ("contact",), "press")
    contact = check.mapping(press.get("contact"), ("press", "contact"), ("name", "title", "phone", "email"), "contact")
    press_contact = None
    if contact:
        keys = ("press", "contact")
        press_contact = PressContact(check.text(contact, "name", keys, required=True) or "",
                                     check.text(contact, "title", keys) or "",
                                     check.text(contact, "phone", keys) or "",
                                     check.text(contact, "email", keys) or "")
    return Council(
        slug=raw.slug, name=name, genitive=check.text(data, "genitive", ()) or f"{name}s",
        numbering=numbering, group_by=group_by, members=tuple(members),
        organisation_labels={str(k): str(v) for k, v in labels.items()},
        press_contact=press_contact, about=check.text(data, "about", ()) or "",
        followup_sheet_item=check.text(data, "followup_sheet_item", ()) or "Dagsorden for dagens møde",
        source=Source(doc.path, 1),
    )


def _numbering(check: _Checker, data: dict) -> Numbering:
    result = Numbering()
    fields = {"item": {"section", "item"}, "bilag": {"section", "item", "n"}, "lone_bilag": {"section", "item"}}
    values = {}
    for key, allowed in fields.items():
        pattern = check.text(data, key, ("numbering",))
        if pattern is None:
            continue
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
            pattern.format(section="1", item=2, n=3)
        except (ValueError, KeyError, IndexError, AttributeError):
            names = {"?"}
        if not names <= allowed or "item" not in names and key != "bilag":
            check.error(("numbering", key), f"ugyldigt nummerformat '{pattern}' (brug {', '.join('{' + a + '}' for a in sorted(allowed))})")
            continue
        values[key] = pattern
    return Numbering(**{**result.__dict__, **values})


# --- meeting -------------------------------------------------------------------------


def validate_meeting(raw: RawMeeting, council: Council, content_root: Path, problems: list[Problem]) -> Meeting | None:
    doc = raw.meeting
    if doc is None:
        return None
    check = _Checker(doc, problems)
    data = check.mapping(doc.data, (), MEETING_KEYS, "meeting.yaml")
    folder_date = dt.date.fromisoformat(raw.folder.name) if _iso(raw.folder.name) else None
    if folder_date is None:
        problems.append(Problem(raw.shown, 0, f"mappenavnet '{raw.folder.name}' er ikke en gyldig dato"))
    date = check.date(data, "date", ()) or folder_date
    if date and folder_date and date != folder_date:
        check.error(("date",), f"datoen {date.isoformat()} passer ikke med mappens navn {raw.folder.name}")
    chair = check.text(data, "chair", ())
    if chair:
        _check_member(check, council, chair, ("chair",))

    sections_raw = {}
    for index, entry in enumerate(check.sequence(data, "sections", ())):
        keys = ("sections", index)
        entry = check.mapping(entry, keys, ("number", "title"), "et afsnit")
        number = check.text(entry, "number", keys, required=True)
        title = check.text(entry, "title", keys, required=True)
        if number is None:
            continue
        if number in sections_raw:
            check.error(keys, f"afsnit {number} står to gange")
        sections_raw[number] = (title or "", [])
    if not sections_raw:
        check.error(("sections",), "mødet har ingen afsnit (sections)")

    attendance = check.mapping(data.get("attendance"), ("attendance",), ("present", "absent", "guests"), "attendance")
    people = {}
    for key in ("present", "absent"):
        names = []
        for index, name in enumerate(check.sequence(attendance, key, ("attendance",))):
            name = str(name).strip()
            if _check_member(check, council, name, ("attendance", key, index)):
                names.append(name)
        people[key] = tuple(names)
    guests = tuple(str(g).strip() for g in check.sequence(attendance, "guests", ("attendance",)))

    items = [item for item in (validate_item(raw_item, council, sections_raw, raw, content_root, problems)
                               for raw_item in raw.items) if item]
    sections = _number_items(items, sections_raw, council, problems)
    meeting = Meeting(
        council=council, date=date or dt.date(1970, 1, 1),
        start=check.time(data, "start", ()), end=check.time(data, "end", ()), ended=check.time(data, "ended", ()),
        place=check.text(data, "place", ()) or "", chair=chair or "", sections=sections,
        attendance=Attendance(people["present"], people["absent"], guests),
        folder=raw.shown, source=Source(doc.path, 1),
    )
    _warn(meeting, problems)
    return meeting


def _iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _check_member(check: _Checker, council: Council, name: str, keys: tuple) -> bool:
    if council.member(name):
        return True
    check.error(keys, f"'{name}' findes ikke blandt rådets medlemmer i council.yaml{did_you_mean(name, [m.name for m in council.members])}")
    return False


# --- items -----------------------------------------------------------------------------


@dataclass
class _PendingItem:
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
                  content_root: Path, problems: list[Problem]) -> _PendingItem | None:
    check = _Checker(raw.front, problems)
    data = check.mapping(raw.front.data, (), ITEM_KEYS, "punktets oplysninger")
    title = check.text(data, "title", (), required=True)
    section = check.text(data, "section", (), required=True)
    if section is not None and section not in sections:
        known = ", ".join(sections) or "ingen"
        check.error(("section",), f"afsnit {section} findes ikke i meeting.yaml (der er {known})")
        section = None
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
        if file and not _bilag_file_ok(check, keys + ("file",), file, meeting.folder, content_root):
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
    if raw.preamble:
        problems.append(Problem(raw.path, raw.preamble_line, "tekst før første felt; begynd med en overskrift som '## Sagen kort'"))
    for raw_field in raw.fields:
        name = next((f for f in FIELD_NAMES if f.lower() == raw_field.heading.lower()), None)
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
    if kind and kind[0] in ("B", "D") and "Indstilling" not in fields and not closed:
        check.error(("kind",), f"et {KINDS[kind[0]]}spunkt ({kind[0]}) uden '## Indstilling'", warning=True)

    if title is None or section is None or kind is None:
        return None
    return _PendingItem(
        title=title, section=section, kind=kind, closed=closed, standing=standing, explicit=number, bilag=bilag,
        actions=tuple(actions), fields=tuple(fields[name] for name in FIELD_NAMES if name in fields),
        source=Source(raw.path, 1), line_of_number=raw.front.line("number"),
    )


def _kind(check: _Checker, data: dict) -> tuple[str, ...] | None:
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


def _bilag_file_ok(check: _Checker, keys: tuple, file: str, folder: Path, content_root: Path) -> bool:
    path = Path(file)
    if path.is_absolute() or file.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", file):
        check.error(keys, f"bilagsfilen '{file}' skal angives i forhold til mødets mappe, fx bilag/notat.pdf")
        return False
    target = folder / path
    try:
        resolved = target.resolve()
        exists = target.is_file()
    except (OSError, ValueError):
        check.error(keys, f"ugyldigt filnavn for bilag: '{file[:60]}'")
        return False
    if not resolved.is_relative_to(folder.resolve()) or not resolved.is_relative_to(content_root.resolve()):
        check.error(keys, f"bilagsfilen '{file}' ligger uden for mødets mappe")
        return False
    if not exists:
        check.error(keys, f"bilagsfilen '{file}' findes ikke")
        return False
    return True


def _number_items(items: list[_PendingItem], sections: dict, council: Council, problems: list[Problem]) -> tuple[Section, ...]:
    numbering = council.numbering
    by_number: dict[str, _PendingItem] = {}
    for section_number, (_, members) in sections.items():
        members.extend(item for item in items if item.section == section_number)
    result = []
    for section_number, (title, members) in sections.items():
        position = 0
        numbered = []
        for pending in members:
            position = pending.explicit or position + 1
            values = {"section": section_number, "item": position}
            number = numbering.item.format(**values)
            if number in by_number:
                problems.append(Problem(pending.source.path, pending.line_of_number,
                                        f"punkt {number} findes to gange (også {by_number[number].source.path})"))
            by_number[number] = pending
            lone = len(pending.bilag) == 1 and numbering.lone_bilag
            bilag = tuple(
                Bilag((numbering.lone_bilag if lone else numbering.bilag).format(n=n, **values), title_, url, file)
                for n, (title_, url, file) in enumerate(pending.bilag, 1)
            )
            numbered.append(Item(number, pending.title, section_number, pending.kind, pending.closed,
                                 pending.fields, bilag, pending.actions, pending.source, pending.standing))
        result.append(Section(section_number, title, tuple(numbered)))
    return tuple(result)


def _warn(meeting: Meeting, problems: list[Problem]) -> None:
    if not meeting.has_decisions:
        return
    for item in meeting.items:
        proposal = item.field("Indstilling")
        if proposal and not item.decision and not item.closed:
            problems.append(Problem(item.source.path, proposal.source.line, f"punkt {item.number} har en Indstilling men ingen Beslutning i referatet", warning=True))


# --- press releases ----------------------------------------------------------------------


def validate_press(raw: RawPress, council: Council, meetings: list[Meeting], problems: list[Problem]) -> PressRelease | None:
    check = _Checker(raw.front, problems)
    data = check.mapping(raw.front.data, (), PRESS_KEYS, "pressemeddelelsens oplysninger")
    title = check.text(data, "title", (), required=True)
    date = check.date(data, "date", ())
    if date is None and "date" not in data:
        check.error((), "mangler 'date' (pressemeddelelsens dato, ÅÅÅÅ-MM-DD)")
    quote = None
    quote_data = check.mapping(data.get("quote"), ("quote",), ("text", "who", "role"), "quote")
    if quote_data:
        text = check.text(quote_data, "text", ("quote",), required=True)
        who = check.text(quote_data, "who", ("quote",), required=True)
        if text and who:
            quote = Quote(text.strip("\"“”„ "), who, check.text(quote_data, "role", ("quote",)) or "")
    contact = council.press_contact
    contact_data = check.mapping(data.get("contact"), ("contact",), ("name", "title", "phone", "email"), "contact")
    if contact_data:
        keys = ("contact",)
        contact = PressContact(check.text(contact_data, "name", keys, required=True) or "",
                               check.text(contact_data, "title", keys) or "",
                               check.text(contact_data, "phone", keys) or "",
                               check.text(contact_data, "email", keys) or "")
    meeting = item = None
    reference = check.text(data, "item", ())
    if reference:
        meeting, item = _press_item(check, reference, raw, meetings)
    if title is None or date is None:
        return None
    return PressRelease(council, Path(raw.filename).stem, date, title, check.text(data, "lead", ()) or "",
                        raw.body, quote, contact, meeting, item, Source(raw.path, 1))


def _press_item(check: _Checker, reference: str, raw: RawPress, meetings: list[Meeting]):
    """Find ``2022-09-29/2.1`` (or ``2.1`` for a press release in a meeting folder)."""
    date, _, number = reference.rpartition("/")
    if not date and raw.meeting_folder:
        date = raw.meeting_folder.rsplit("/", 1)[-1]
    meeting = next((m for m in meetings if m.date.isoformat() == date), None)
    if meeting is None:
        check.error(("item",), f"'item: {reference}' – mødet {date or '?'} findes ikke (skriv fx 2022-09-29/2.1)")
        return None, None
    item = next((i for i in meeting.items if i.number == number), None)
    if item is None:
        check.error(("item",), f"punkt {number} findes ikke i mødet {date}{did_you_mean(number, [i.number for i in meeting.items])}")
        return None, None
    if item.closed:
        check.error(("item",), f"punkt {number} er et lukket punkt og kan ikke bruges i en pressemeddelelse")
        return None, None
    return meeting, item


def _check_action_ids(meetings: list[Meeting], problems: list[Problem]) -> None:
    seen: dict[str, Action] = {}
    for meeting in meetings:
        for item in meeting.items:
            for action in item.actions:
                if action.id in seen:
                    problems.append(Problem(action.source.path, action.source.line,
                                            f"opfølgningens id '{action.id}' bruges også i {seen[action.id].source}"))
                seen.setdefault(action.id, action)


# --- the archive ------------------------------------------------------------------------


def validate(raw: RawArchive) -> tuple[Archive, list[Problem]]:
    """Check everything read; return the archive and its warnings.

    Raises :class:`ContentError` listing every problem (warnings included)
    when anything is wrong.
    """
    problems = list(raw.problems)
    councils, meetings, press = [], [], []
    content_root = raw.root / "content"
    for raw_council in raw.councils:
        council = validate_council(raw_council, problems)
        if council is None:
            continue
        councils.append(council)
        own = [m for m in (validate_meeting(r, council, content_root, problems) for r in raw_council.meetings) if m]
        own.sort(key=lambda m: m.date)
        _check_action_ids(own, problems)
        meetings.extend(own)
        press.extend(p for p in (validate_press(r, council, own, problems) for r in raw_council.press) if p)
    if any(not p.warning for p in problems):
        raise ContentError(problems)
    return Archive(tuple(councils), tuple(meetings), tuple(press)), sorted(problems)
