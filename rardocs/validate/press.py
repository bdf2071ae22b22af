"""Press releases: front matter, quote, contact, the item they may quote, and placeholders.

A press release is sent to journalists: text that is obviously a placeholder
("TODO", "XX", "[indsæt citat]", "+45 00 00 00 00", an address at example.dk)
is a warning naming its file and line, so that it is never published silently.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..content import RawPress
from ..errors import Problem
from ..markdown import parse, to_text
from ..model import Council, Item, Meeting, PressContact, PressRelease, Quote, Source
from .checker import Checker, contact, did_you_mean
from .item import markdown_problems

PRESS_KEYS = ("title", "date", "lead", "quote", "contact", "item", "decision", "illustrative")

_EXAMPLE_DOMAIN = r"(?:example\.(?:dk|com|org|net)|eksempel\.dk)"
#: Placeholders anywhere in a text. Bounded and anchored at word starts, so that no
#: line of hostile text makes the search slow.
PLACEHOLDER = re.compile(
    r"(?<!\w)TODO(?!\w)"
    r"|(?<!\w)X{2,}(?!\w)"
    r"|\[[ \t]*(?:indsæt|udfyld)(?!\w)[^\]\n]{0,200}\]"
    rf"|(?<![\w.@/-])(?:[\w.+-]{{1,200}}@|https?://|www\.)?(?:[\w-]{{1,63}}\.){{0,10}}{_EXAMPLE_DOMAIN}(?![\w-])"
    r"(?:/[^\s)\]>]{0,200})?",
    re.IGNORECASE,
)
ELLIPSES = ("…", "...")
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)]|[a-zA-Z][.)])[ \t]+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_FIX = "før pressemeddelelsen sendes"


def validate_press(raw: RawPress, council: Council, meetings: list[Meeting], problems: list[Problem]) -> PressRelease | None:
    check = Checker(raw.front, problems)
    data = check.mapping(raw.front.data, (), PRESS_KEYS, "pressemeddelelsens oplysninger")
    title = check.text(data, "title", (), required=True)
    date = check.document_date(data, "date", ())
    if date is None and "date" not in data:
        check.error((), "mangler 'date' (pressemeddelelsens dato, ÅÅÅÅ-MM-DD)")
    lead = check.text(data, "lead", ()) or ""
    quote = None
    quote_data = check.mapping(data.get("quote"), ("quote",), ("text", "who", "role"), "quote")
    if quote_data:
        text = check.text(quote_data, "text", ("quote",), required=True)
        who = check.text(quote_data, "who", ("quote",), required=True)
        if text and who:
            quote = Quote(text.strip("\"“”„ "), who, check.text(quote_data, "role", ("quote",)) or "")
    own_contact = contact(check, data.get("contact"), ("contact",))
    problems.extend(markdown_problems(raw.path, raw.body_line, raw.body))
    asks_decision = check.flag(data, "decision", ())
    meeting = item = None
    reference = check.text(data, "item", ())
    if reference:
        meeting, item = _press_item(check, reference, raw, meetings)
    elif asks_decision:
        check.error(("decision",), "'decision: true' kræver 'item:' – punktet, hvis beslutning skal citeres (fx item: 2022-09-29/2.1)")
    decision = _decision_quote(check, item) if asks_decision and item else ""
    _text_placeholders(check, raw, {("title",): title, ("lead",): lead, ("decision",): decision,
                                    **{("quote", key): quote_data.get(key) for key in ("text", "who", "role")}},
                       item)
    release_contact = own_contact or council.press_contact
    if release_contact:
        _contact_placeholders(check, release_contact, own_contact is not None, council)
    if title is None or date is None:
        return None
    return PressRelease(council, Path(raw.filename).stem, date, title, lead, raw.body, quote, release_contact,
                        meeting, item, Source(raw.path, 1), decision)


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


def _decision_quote(check: Checker, item: Item) -> str:
    """The first paragraph of the item's decision as one line of plain text, or ``""``
    (with a warning) when there is no decision yet or it does not begin with a
    paragraph that can stand alone."""
    field = item.decision
    markdown = field.markdown.strip() if field else ""
    if not markdown:
        check.error(("decision",), f"punkt {item.number} har endnu ingen beslutning at citere (decision: true);"
                                   " pressemeddelelsen laves uden", warning=True)
        return ""
    first = _PARAGRAPH_BREAK.split(markdown, maxsplit=1)[0]
    blocks = list(parse(first))
    text = " ".join(to_text(first).split())
    if len(blocks) != 1 or blocks[0].tag != "p" or text.endswith(":"):
        check.error(("decision",), f"beslutningen i punkt {item.number} begynder ikke med et afsnit, der kan stå alene"
                                   " som citat; skriv selv citatet under 'quote:', eller fjern 'decision: true'",
                    warning=True)
        return ""
    return text


# --- placeholders -----------------------------------------------------------------------


def placeholders(text: str) -> list[str]:
    """The placeholders in ``text``, each once, in order: ``TODO``, ``XX``,
    ``[indsæt …]``, an address at example.dk, or the whole text "…"."""
    if text.strip() in ELLIPSES:
        return [text.strip()]
    found = []
    for match in PLACEHOLDER.finditer(text):
        shown = match.group(0).rstrip(".,;:!?")
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        if shown not in found:
            found.append(shown)
    return found


def is_placeholder_contact(value: str) -> bool:
    """Whether a contact value is obviously not real: a placeholder, an ellipsis in it,
    or a phone number whose digits (after a country code) are all zeros."""
    if placeholders(value) or any(e in value for e in ELLIPSES):
        return True
    national = re.sub(r"^\s*(?:\+|00)(?:45|\d{1,3}(?=[\s.-]))", "", value)
    digits = re.sub(r"\D", "", national)
    return len(digits) >= 4 and set(digits) == {"0"}


_TEXT_FIELDS = {"title": "overskriften (title)", "lead": "manchetten (lead)", "quote": "citatet (quote)"}


def _text_placeholders(check: Checker, raw: RawPress, values: dict[tuple, str | None], item: Item | None) -> None:
    for keys, value in values.items():
        found = placeholders(value) if isinstance(value, str) and value else []
        if found:
            what = f"beslutningen i punkt {item.number}" if keys == ("decision",) else _TEXT_FIELDS[keys[0]]
            check.error(keys, _message(what, found), warning=True)
    for n, line in enumerate(raw.body.split("\n")):
        found = placeholders(_LIST_MARKER.sub("", line, count=1)) if line.strip() else []
        if found:
            check.problems.append(Problem(raw.path, raw.body_line + n, _message("brødteksten", found), warning=True))


def _message(what: str, found: list[str]) -> str:
    shown = ", ".join(f"'{f}'" for f in found)
    if len(found) == 1:
        return f"{what} indeholder en pladsholder: {shown} – ret den, {_FIX}"
    return f"{what} indeholder pladsholdere: {shown} – ret dem, {_FIX}"


def _contact_placeholders(check: Checker, person: PressContact, own: bool, council: Council) -> None:
    """A warning on the press file for the placeholders in the contact it ends up with:
    at the line of the first one when the contact is its own, else naming council.yaml."""
    keys = ("name", "title", "phone", "email")
    bad = [key for key in keys if is_placeholder_contact(getattr(person, key))]
    if not bad:
        return
    shown = ", ".join(f"'{getattr(person, key)}'" for key in bad)
    origin = "" if own else f" (fra {person.source or 'council.yaml'})"
    if len(bad) == 1:
        message = f"kontaktoplysningen{origin} ligner en pladsholder: {shown} – ret den, {_FIX}"
    else:
        message = f"kontaktoplysningerne{origin} ligner pladsholdere: {shown} – ret dem, {_FIX}"
    if own:
        check.error(("contact", bad[0]), message, warning=True)
    else:
        check.problems.append(Problem(check.doc.path, 1, message, warning=True))
