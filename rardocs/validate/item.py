"""Item files: front matter, fields, bilag and follow-up actions."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from .. import memo
from ..content import RawItem, RawMeeting
from ..errors import Problem
from ..formatting import number as danish_number
from ..markdown import MAX_MARKDOWN, unsafe_links
from ..model import FIELD_NAMES, KINDS, STATUSES, Action, Council, Field, Source, category_of
from .checker import URL, Checker, did_you_mean, year_typo

ITEM_KEYS = ("title", "section", "kind", "closed", "standing", "number", "bilag", "followup")
BILAG_KEYS = ("title", "url", "file", "number")
ACTION_KEYS = ("id", "action", "owner", "due", "status", "done", "history", "note")
MAX_BILAG_NUMBER = 20  # characters: a bilag number becomes part of its file's name
ACTION_ID = re.compile(r"^[\w.-]+$")
FILE_NUMBER = re.compile(r"^(\d+)((?:\.\d+)*)[-_ ]")  # "2.1-positivlisten.md": section 2
FENCE = ("```", "~~~")
MARKS = " \t#*_:"  # heading, bold and colon around a name
#: A field's name by its name in lower case (every line of every body is looked up).
_FIELD_BY_LOWER = {name.lower(): name for name in FIELD_NAMES}
#: The family of :mod:`rardocs.memo` tables of checked texts, one a meeting folder (as the files as read).
TEXTS = "validate"


@dataclass(frozen=True)
class PendingBilag:
    """A bilag before numbering: ``number`` only when written by hand, at ``line``."""

    title: str
    url: str | None
    file: str | None
    number: str | None
    line: int


@dataclass
class PendingItem:
    """An item before numbering: everything but its number and bilag numbers."""

    title: str
    section: str
    kind: tuple[str, ...]
    closed: bool
    standing: bool
    explicit: int | None
    bilag: list[PendingBilag]
    actions: tuple[Action, ...]
    fields: tuple[Field, ...]
    source: Source
    line_of_number: int


def validate_item(raw: RawItem, council: Council, sections: dict, meeting: RawMeeting,
                  content_root: Path, problems: list[Problem], meeting_date: dt.date | None = None) -> PendingItem | None:
    """Check an item file; ``meeting_date`` (when known) is the earliest date its
    actions' ``done`` and ``history`` may give."""
    check = Checker(raw.front, problems)
    data = check.mapping(raw.front.data, (), ITEM_KEYS, "punktets oplysninger")
    title = check.text(data, "title", (), required=True)
    section = check.text(data, "section", (), required=True)
    if section is not None and section not in sections:
        known = ", ".join(sections) or "ingen"
        check.error(("section",), f"afsnit {section} findes ikke i meeting.yaml (der er {known})")
        section = None
    if section is not None:
        _check_file_number(check, raw.filename, section)
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
        if file and not _bilag_file_ok(check, keys + ("file",), file, meeting, content_root):
            file = None
        bilag_number = _bilag_number(check, entry, keys)
        if bilag_title:
            bilag.append(PendingBilag(bilag_title, url, file, bilag_number, raw.front.line(*keys, "number")))

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
        status, history = _action_status(check, entry, keys, meeting_date)
        if what and owner:
            actions.append(Action(action_id, what, owner, due, status, check.text(entry, "note", keys) or "",
                                  Source(raw.path, raw.front.line(*keys)), history))

    names, text_problems = kept_text(raw)
    problems.extend(text_problems)
    fields = {name: Field(name, raw.fields[index].body, Source(raw.path, raw.fields[index].body_line))
              for name, index in names}
    category = category_of(kind or ())
    if category in ("B", "D") and "Indstilling" not in fields and not closed:
        check.error(("kind",), f"et {KINDS[category]}spunkt ({category}) uden '## Indstilling'", warning=True)

    if title is None or section is None or kind is None:
        return None
    return PendingItem(
        title=title, section=section, kind=kind, closed=closed, standing=standing, explicit=number, bilag=bilag,
        actions=tuple(actions), fields=tuple(fields[name] for name in FIELD_NAMES if name in fields),
        source=Source(raw.path, 1), line_of_number=raw.front.line("number"),
    )


def kept_text(raw: RawItem) -> tuple[tuple[tuple[str, int], ...], list[Problem]]:
    """:func:`item_text`, or what it gave for the same file in an earlier build (:mod:`rardocs.memo`):
    it reads nothing but the file, so the file's key in the read cache is its key. A text with
    a mistake is checked afresh every time (its message made anew)."""
    store = memo.active()
    if store is None or raw.key is None:
        return item_text(raw)
    table = f"{TEXTS}/" + raw.path.removeprefix("content/").rpartition("/")[0]
    return store.get(table, raw.key, lambda: item_text(raw), keep=lambda kept: all(p.warning for p in kept[1]))


def item_text(raw: RawItem) -> tuple[tuple[tuple[str, int], ...], list[Problem]]:
    """The fields of an item's text (each field's name and its place in ``raw.fields``, empty
    headings left out) and what is wrong with the text: headings, field names, Markdown."""
    problems: list[Problem] = []
    names: dict[str, int] = {}
    heading_lines: dict[str, int] = {}
    if raw.preamble and _looks_like_field(raw.preamble.split("\n", 1)[0]) is None:
        problems.append(Problem(raw.path, raw.preamble_line, "tekst før første felt; begynd med en overskrift som '## Sagen kort'"))
    _check_misplaced_headings(raw.path, raw.preamble, raw.preamble_line, None, problems)
    for index, raw_field in enumerate(raw.fields):
        name = _FIELD_BY_LOWER.get(raw_field.heading.lower())
        _check_misplaced_headings(raw.path, raw_field.body, raw_field.body_line, name, problems)
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
        names[name] = index
        problems.extend(markdown_problems(raw.path, raw_field.body_line, raw_field.body))
    return tuple(names.items()), problems


def _bilag_number(check: Checker, entry: dict, keys: tuple) -> str | None:
    """A bilag's ``number:``, written by hand when the published numbering skips one."""
    value = entry.get("number")
    if value is None or value == "":
        return None
    if isinstance(value, (bool, dict, list)):
        check.error(keys + ("number",), "'number' skal være bilagets nummer, fx number: 2.1.2")
        return None
    number = " ".join(str(value).split())
    if len(number) > MAX_BILAG_NUMBER:
        check.error(keys + ("number",), f"bilagsnummeret '{number[:MAX_BILAG_NUMBER]}…' er for langt (højst {MAX_BILAG_NUMBER} tegn)")
        return None
    return number


def _action_status(check: Checker, entry: dict, keys: tuple,
                   meeting_date: dt.date | None) -> tuple[str, tuple[tuple[dt.date, str], ...]]:
    """An action's status today and its dated history (``done:`` or ``history:``).

    ``done: D`` is a history of one entry, afsluttet from D; the last history
    entry gives the status, and a ``status`` written beside it must agree.
    """
    written = check.text(entry, "status", keys)
    status = written.lower() if written else None
    if status is not None and status not in STATUSES:
        check.error(keys + ("status",), f"ukendt status '{status}'{did_you_mean(status, STATUSES)} (brug åben, i gang eller afsluttet)")
        return status, ()
    done = _action_date(check, entry.get("done"), keys + ("done",), meeting_date) if "done" in entry else None
    history = _history(check, entry.get("history"), keys + ("history",), meeting_date) if "history" in entry else ()
    if done and history:
        check.error(keys + ("done",), "skriv enten 'done' eller 'history', ikke begge (done: ÅÅÅÅ-MM-DD er det samme"
                                      " som en sidste linje 'ÅÅÅÅ-MM-DD: afsluttet' i history)")
        return status or STATUSES[0], ()
    if done:
        if status not in (None, "afsluttet"):
            check.error(keys + ("done",), f"'done' er datoen, handlingen blev afsluttet, men status er '{status}'"
                                          " (skriv status: afsluttet, eller fjern done)")
        return "afsluttet", ((done, "afsluttet"),)
    if history:
        since, last = history[-1]
        if status not in (None, last):
            check.error(keys + ("status",), f"status er '{status}', men ifølge history er den '{last}' fra"
                                            f" {since.isoformat()} (ret den ene, eller udelad status)")
        return last, history
    if status == "afsluttet" and "done" not in entry and "history" not in entry:
        check.error(keys + ("status",), "'afsluttet' uden dato: også opfølgningsark fra før handlingen blev afsluttet"
                                        " viser den som afsluttet; skriv hvornår med done: ÅÅÅÅ-MM-DD", warning=True)
    return status or STATUSES[0], ()


def _action_date(check: Checker, value, keys: tuple, meeting_date: dt.date | None) -> dt.date | None:
    """A date an action's status began: a date, on or after the meeting that decided it."""
    text = "" if value is None or isinstance(value, (dict, list)) else str(value).strip()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        check.error(keys, f"ugyldig dato '{text}' (skriv ÅÅÅÅ-MM-DD, fx 2022-10-03)")
        return None
    if typo := year_typo(day):
        check.error(keys, typo)
        return None
    if meeting_date and day < meeting_date:
        check.error(keys, f"datoen {day.isoformat()} er før mødet den {meeting_date.isoformat()}, hvor handlingen blev"
                          " besluttet; en tastefejl?")
        return None
    return day


def _history(check: Checker, value, keys: tuple, meeting_date: dt.date | None) -> tuple[tuple[dt.date, str], ...]:
    """``history:`` as (date, status) pairs, oldest first; empty after a mistake."""
    if value is None or value == {}:
        return ()
    if not isinstance(value, dict):
        check.error(keys, "'history' skal være datoer, hver med den status, handlingen fik den dag, fx 2022-10-05: i gang")
        return ()
    entries = []
    ok = True
    for key, status in value.items():
        day = _action_date(check, key, keys + (key,), meeting_date)
        text = status.strip().lower() if isinstance(status, str) else ""
        if day is None:
            ok = False
        elif text not in STATUSES:
            shown = f"ukendt status '{text}' i history{did_you_mean(text, STATUSES)}" if text else "mangler status i history"
            check.error(keys + (key,), f"{shown} (brug åben, i gang eller afsluttet)")
            ok = False
        entries.append((day, text))
    return tuple(sorted(entries)) if ok else ()


def _check_file_number(check: Checker, filename: str, section: str) -> None:
    """Warn when a file named ``2.1-…`` (or ``2.1.1-…``) lies in another section than 2."""
    match = FILE_NUMBER.match(filename)
    if match and section.isdecimal() and int(match.group(1)) != int(section):
        check.error(("section",), f"filnavnet begynder med {match.group(1)}{match.group(2)}, men punktet står i afsnit {section}",
                    warning=True)


def _looks_like_field(line: str) -> str | None:
    """The field a line that is only a field's name looks like: ``### Beslutning``, ``**Beslutning:**``."""
    if len(line) > 80:  # no field name is that long, however marked
        return None
    return _FIELD_BY_LOWER.get(" ".join(line.strip(MARKS).split()).lower())


def _check_misplaced_headings(path: str, text: str, first_line: int, field: str | None, problems: list[Problem]) -> None:
    """A field name alone on a line of ``text`` (outside code) is a field heading written wrongly.

    Left as it is, it and the text after it would silently belong to the field
    above it (a decision could land in the public dagsorden).
    """
    in_fence = False
    for n, line in enumerate(text.split("\n"), first_line):
        if line.lstrip().startswith(FENCE):
            in_fence = not in_fence
            continue
        name = None if in_fence else _looks_like_field(line)
        if name and name != field:
            problems.append(Problem(path, n, f"'{line.strip()}' ligner feltet {name}; skriv '## {name}'"))


KIND_FORMS = "skriv B, O eller D, evt. med et tillæg som 'B + oplæg' eller 'Oplæg + D'"


def _kind(check: Checker, data: dict) -> tuple[str, ...] | None:
    """The parts of ``kind`` in the author's order: one category letter (uppercased)
    and any free words (``Oplæg + D``, ``[D, oplæg]``)."""
    value = data.get("kind")
    if value is None or value == "":
        check.error((), "mangler 'kind' (B, O eller D)")
        return None
    if isinstance(value, dict):
        check.error(("kind",), f"'kind' skal være en tekst ({KIND_FORMS})")
        return None
    parts = value if isinstance(value, list) else str(value).split("+")
    parts = [str(p).strip() for p in parts if str(p).strip()]
    letters = [p for p in parts if p.upper() in KINDS]
    if len(letters) == 1:
        return tuple(p.upper() if p in letters else p for p in parts)
    written = " + ".join(parts) or str(value)
    if letters:
        check.error(("kind",), f"'{written}' har mere end én kategori ({KIND_FORMS})")
    else:
        words = {name: letter for letter, name in KINDS.items()}
        hint = next((f" – mente du '{words[p.lower()]}'?" for p in parts if p.lower() in words), "")
        check.error(("kind",), f"ukendt kategori '{written}'{hint} ({KIND_FORMS})")
    return None


def _bilag_file_ok(check: Checker, keys: tuple, file: str, meeting: RawMeeting, content_root: Path) -> bool:
    """A bilag file lies in the meeting folder and is none of the archive's own files (an item, say)."""
    folder = meeting.folder
    path = Path(file)
    if path.is_absolute() or file.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", file):
        check.error(keys, f"bilagsfilen '{file}' skal angives i forhold til mødets mappe, fx bilag/notat.pdf")
        return False
    target = folder / path
    try:
        resolved = target.resolve()
        exists = target.is_file()
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a symbolic link loop
        check.error(keys, f"ugyldigt filnavn for bilag: '{file[:60]}'")
        return False
    if not resolved.is_relative_to(folder.resolve()) or not resolved.is_relative_to(content_root.resolve()):
        check.error(keys, f"bilagsfilen '{file}' ligger uden for mødets mappe")
        return False
    if not exists:
        check.error(keys, f"bilagsfilen '{file}' findes ikke")
        return False
    if bilag_key(file) not in meeting.others:
        check.error(keys, f"bilagsfilen '{file}' er ikke et bilag, men en af indholdets egne filer "
                          "(et punkt, meeting.yaml, en pressemeddelelse eller en skjult fil)")
        return False
    return True


def bilag_key(file: str) -> str:
    """A bilag's ``file:`` as the path the archive listing gives it: ``bilag/./a.pdf`` is ``bilag/a.pdf``."""
    return posixpath.normpath(file.replace("\\", "/"))


def markdown_problems(path: str, first_line: int, text: str) -> list[Problem]:
    """What is wrong with a Markdown body whose first line is ``first_line``: too long to
    read as Markdown (an error), links that are not web links (a warning per target)."""
    if len(text) > MAX_MARKDOWN:
        return [Problem(path, first_line, f"teksten er for lang: {danish_number(len(text))} tegn (højst"
                                          f" {danish_number(MAX_MARKDOWN)}); forkort den, eller læg den i et bilag")]
    problems = []
    for line, target in unsafe_links(text):
        shown = " ".join(target.split())
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        problems.append(Problem(path, first_line + line, f"linket '{shown}' er ikke en webadresse og vises som tekst"
                                                         " (brug https://, http:// eller mailto:)", warning=True))
    return problems
