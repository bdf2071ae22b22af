"""Press releases: front matter, quote, contact and the item they may quote."""

from __future__ import annotations

from pathlib import Path

from ..content import RawPress
from ..errors import Problem
from ..model import Council, Meeting, PressRelease, Quote, Source
from .checker import Checker, contact, did_you_mean
from .item import markdown_problems

PRESS_KEYS = ("title", "date", "lead", "quote", "contact", "item", "illustrative")


def validate_press(raw: RawPress, council: Council, meetings: list[Meeting], problems: list[Problem]) -> PressRelease | None:
    check = Checker(raw.front, problems)
    data = check.mapping(raw.front.data, (), PRESS_KEYS, "pressemeddelelsens oplysninger")
    title = check.text(data, "title", (), required=True)
    date = check.document_date(data, "date", ())
    if date is None and "date" not in data:
        check.error((), "mangler 'date' (pressemeddelelsens dato, ÅÅÅÅ-MM-DD)")
    quote = None
    quote_data = check.mapping(data.get("quote"), ("quote",), ("text", "who", "role"), "quote")
    if quote_data:
        text = check.text(quote_data, "text", ("quote",), required=True)
        who = check.text(quote_data, "who", ("quote",), required=True)
        if text and who:
            quote = Quote(text.strip("\"“”„ "), who, check.text(quote_data, "role", ("quote",)) or "")
    own_contact = contact(check, data.get("contact"), ("contact",))
    problems.extend(markdown_problems(raw.path, raw.body_line, raw.body))
    meeting = item = None
    reference = check.text(data, "item", ())
    if reference:
        meeting, item = _press_item(check, reference, raw, meetings)
    if title is None or date is None:
        return None
    return PressRelease(council, Path(raw.filename).stem, date, title, check.text(data, "lead", ()) or "",
                        raw.body, quote, own_contact or council.press_contact, meeting, item,
                        Source(raw.path, 1))


def _press_item(check: Checker, reference: str, raw: RawPress, meetings: list[Meeting]):
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

