"""meeting.yaml and its items: time, place, sections, attendance, numbering."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..content import RawMeeting
from ..errors import Problem
from ..model import Attendance, Bilag, Council, Item, Meeting, Numbering, Section, Source
from .checker import Checker, did_you_mean, year_typo
from .item import PendingItem, bilag_key, validate_item

MEETING_KEYS = ("date", "start", "end", "ended", "place", "chair", "sections", "attendance", "illustrative")


def validate_meeting(raw: RawMeeting, council: Council, content_root: Path, problems: list[Problem]) -> Meeting | None:
    doc = raw.meeting
    if doc is None:
        return None
    check = Checker(doc, problems)
    data = check.mapping(doc.data, (), MEETING_KEYS, "meeting.yaml")
    folder_date = dt.date.fromisoformat(raw.folder.name) if _iso(raw.folder.name) else None
    if folder_date is None:
        problems.append(Problem(raw.shown, 0, f"mappenavnet '{raw.folder.name}' er ikke en gyldig dato"))
    elif typo := year_typo(folder_date):
        problems.append(Problem(raw.shown, 0, typo))
    written = check.date(data, "date", ())
    if written and (typo := year_typo(written)):
        check.error(("date",), typo)
    elif written and folder_date and written != folder_date:
        check.error(("date",), f"datoen {written.isoformat()} passer ikke med mappens navn {raw.folder.name}")
    date = written or folder_date
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
    listed: dict[str, tuple[str, int]] = {}  # name -> the list and line it first stands in
    for key in ("present", "absent"):
        names = []
        for index, name in enumerate(check.sequence(attendance, key, ("attendance",))):
            name = str(name).strip()
            keys = ("attendance", key, index)
            if name in listed:
                first_key, first_line = listed[name]
                where = f"to gange under '{key}'" if first_key == key else "både under 'present' og 'absent'"
                check.error(keys, f"'{name}' står {where} (også linje {first_line})")
                continue
            listed[name] = (key, doc.line(*keys))
            if _check_member(check, council, name, keys):
                names.append(name)
        people[key] = tuple(names)
    guests = tuple(str(g).strip() for g in check.sequence(attendance, "guests", ("attendance",)))
    if chair in listed and listed[chair][0] == "absent":
        check.error(("chair",), f"mødelederen '{chair}' står under 'absent' (linje {listed[chair][1]})")
    start, end, ended = (check.time(data, key, ()) for key in ("start", "end", "ended"))
    for key, value in (("end", end), ("ended", ended)):
        if start and value and value < start:
            check.error((key,), f"'{key}' ({value:%H.%M}) er før 'start' ({start:%H.%M})")

    items = [item for item in (validate_item(raw_item, council, sections_raw, raw, content_root, problems, date)
                               for raw_item in raw.items) if item]
    sections = _number_items(items, sections_raw, council, problems)
    used = {bilag_key(bilag.file) for item in items for bilag in item.bilag if bilag.file}
    for other in raw.others:
        if other not in used:
            problems.append(Problem(f"{raw.shown}/{other}", 0, "bruges ikke: filen er hverken et punkt (.md), "
                                    "meeting.yaml eller et bilag, som et punkt henviser til med file:", warning=True))
    meeting = Meeting(
        council=council, date=date or dt.date(1970, 1, 1),
        start=start, end=end, ended=ended,
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


def _check_member(check: Checker, council: Council, name: str, keys: tuple) -> bool:
    if council.member(name):
        return True
    check.error(keys, f"'{name}' findes ikke blandt rådets medlemmer i council.yaml{did_you_mean(name, [m.name for m in council.members])}")
    return False


def _number_items(items: list[PendingItem], sections: dict, council: Council, problems: list[Problem]) -> tuple[Section, ...]:
    numbering = council.numbering
    by_number: dict[str, PendingItem] = {}
    made: list[tuple[Item, PendingItem]] = []
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
            bilag = _number_bilag(pending, numbering, values, problems)
            numbered.append(Item(number, pending.title, section_number, pending.kind, pending.closed,
                                 pending.fields, bilag, pending.actions, pending.source, pending.standing))
            made.append((numbered[-1], pending))
        result.append(Section(section_number, title, tuple(numbered)))
    if "{item}" in numbering.bilag:  # then bilag numbers are the meeting's, one bilag each
        _check_hand_numbers(made, problems)
    return tuple(result)


def _check_hand_numbers(made: list[tuple[Item, PendingItem]], problems: list[Problem]) -> None:
    """A bilag number written by hand must not be another item's bilag's number."""
    owners: dict[str, list[Item]] = {}
    for item, _ in made:
        for bilag in item.bilag:
            owners.setdefault(bilag.number, []).append(item)
    for item, pending in made:
        for entry in pending.bilag:
            others = [other for other in owners.get(entry.number or "", []) if other is not item]
            if entry.number is not None and others:
                problems.append(Problem(item.source.path, entry.line, f"bilag {entry.number} er også nummeret på et"
                                                                      f" bilag til punkt {others[0].number}; ret 'number'"))


def _number_bilag(pending: PendingItem, numbering: Numbering, values: dict, problems: list[Problem]) -> tuple[Bilag, ...]:
    """Number an item's bilag with the council's patterns, or as written with ``number:``.

    A bilag after one numbered by hand continues from it: its number is the one
    before with the last number in it counted up (after 2.1.2 comes 2.1.3, after
    "B3" comes "B4"), whatever the council's pattern. The pattern's own count
    (``{n}``) applies only before the first number written by hand.
    """
    lone = len(pending.bilag) == 1 and numbering.lone_bilag
    result: list[Bilag] = []
    lines: dict[str, int] = {}
    previous: str | None = None  # the number before, once one is written by hand
    for n, entry in enumerate(pending.bilag, 1):
        if entry.number is not None:
            number = entry.number
        elif previous is not None:
            number = _count_up(previous)
            if number is None:
                problems.append(Problem(pending.source.path, entry.line,
                                        f"bilaget efter bilag {previous} kan ikke nummereres ud fra det, for {previous}"
                                        " ender ikke med et tal; skriv også dette bilags nummer med number:"))
                number = f"{previous}+"
        else:
            number = (numbering.lone_bilag if lone else numbering.bilag).format(n=n, **values)
        if entry.number is not None or previous is not None:
            previous = number
        if number in lines:
            problems.append(Problem(pending.source.path, entry.line,
                                    f"bilag {number} står to gange i punktet (også linje {lines[number]}); ret 'number'"))
        lines.setdefault(number, entry.line)
        result.append(Bilag(number, entry.title, entry.url, entry.file))
    return tuple(result)


def _count_up(number: str) -> str | None:
    """``2.1.3`` after ``2.1.2``, ``2.1.10`` after ``2.1.9``, ``B04`` after ``B03``; ``None``
    when ``number`` does not end with a digit. String methods, not a regex that backtracks."""
    head = number.rstrip("0123456789")
    digits = number[len(head):]
    if not digits:
        return None
    return head + str(int(digits) + 1).zfill(len(digits))


def _warn(meeting: Meeting, problems: list[Problem]) -> None:
    if not meeting.has_decisions:
        return
    for item in meeting.items:
        proposal = item.field("Indstilling")
        if proposal and not item.decision and not item.closed:
            problems.append(Problem(item.source.path, proposal.source.line, f"punkt {item.number} har en Indstilling men ingen Beslutning i referatet", warning=True))

