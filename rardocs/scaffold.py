"""``rardocs new``: the folder of the next meeting, ready to fill in.

The one place rardocs writes into ``content/``, and only a folder that does not
exist yet, created whole (written beside it, then renamed) or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import yaml

from . import formatting
from .documents import document_title
from .errors import RardocsError, UsageError
from .model import FIELD_NAMES, OPFOELGNINGSARK, Archive, Item, Meeting
from .validate.checker import year_typo


def new_meeting(root: Path, archive: Archive, council_slug: str, date: dt.date, force: bool = False) -> list[Path]:
    """Create ``content/<council>/<date>/`` from the council's previous meeting.

    The new ``meeting.yaml`` has the previous meeting's time, place, chair and
    sections, and everyone who was invited then as present; every standing item
    is copied with its texts but an empty Beslutning and without bilag and
    actions; the previous meeting's opfølgningsark becomes a bilag of the
    standing item named in ``council.yaml`` (``followup_sheet_item``).
    Returns the files written. Refuses to touch an existing meeting, and,
    unless ``force``, a date before the council's newest meeting (a typo, most likely).
    """
    council = next((c for c in archive.councils if c.slug == council_slug), None)
    if council is None:
        known = ", ".join(c.slug for c in archive.councils) or "ingen"
        raise UsageError(f"rådet '{council_slug}' findes ikke under content/ (der er: {known})")
    folder = Path(root) / "content" / council_slug / date.isoformat()
    if folder.exists():
        raise RardocsError(f"mødet findes allerede: {folder.relative_to(root).as_posix()}; intet er ændret")
    typo = year_typo(date)
    if typo:
        raise RardocsError(f"{typo}; intet er oprettet")
    newest = max((m.date for m in archive.meetings if m.council.slug == council_slug), default=None)
    if newest and date < newest and not force:
        raise RardocsError(f"datoen {date.isoformat()} er før rådets seneste møde ({newest.isoformat()}); intet er oprettet."
                           " Skriv --force for at oprette mødet alligevel")
    previous = max((m for m in archive.meetings if m.council.slug == council_slug and m.date < date),
                   key=lambda m: m.date, default=None)
    files = {"meeting.yaml": meeting_yaml(date, previous)}
    if previous is not None:
        for item in previous.items:
            if item.standing:
                sheet = None
                if previous.has_decisions and item.title == council.followup_sheet_item:
                    sheet = document_title(OPFOELGNINGSARK, previous)  # the sheet's own title
                files[Path(item.source.path).name] = standing_item(item, sheet)
    return write_folder(folder, files)


def write_folder(folder: Path, files: dict[str, str]) -> list[Path]:
    """A new folder ``folder`` holding ``files`` (name → text), made whole or not at all:
    written beside it under another name, then renamed. Returns the files' paths."""
    temp = folder.with_name(f".{folder.name}.ny")
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    try:
        for name, text in files.items():
            (temp / name).write_text(text, encoding="utf-8")
        os.rename(temp, folder)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return [folder / name for name in files]


def _scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def meeting_yaml(date: dt.date, previous: Meeting | None) -> str:
    lines = [f"# Møde {formatting.long_date(date)}, oprettet med 'rardocs new'"
             + (f" ud fra mødet {previous.date.isoformat()}." if previous else "."),
             f"date: {date.isoformat()}"]
    if previous is None:
        lines += ['start: "13.00"', 'end: "16.00"', 'place: ""', "sections:", "  - number: 1",
                  "    title: Interne forhold", "attendance:", "  present: []", "  absent: []"]
        return "\n".join(lines) + "\n"
    for key, value in (("start", previous.start), ("end", previous.end)):
        if value:
            lines.append(f'{key}: "{formatting.clock(value)}"')
    lines.append(f"place: {_scalar(previous.place)}")
    if previous.chair:
        lines.append(f"chair: {_scalar(previous.chair)}")
    lines.append("sections:")
    for section in previous.sections:
        lines += [f"  - number: {section.number}", f"    title: {_scalar(section.title)}"]
    invited = previous.attendance.present + previous.attendance.absent
    lines += ["attendance:", "  present:"] + [f"    - {_scalar(name)}" for name in invited] + ["  absent: []"]
    return "\n".join(lines) + "\n"


def standing_item(item: Item, followup_sheet: str | None) -> str:
    front = {"title": item.title, "section": _number(item.section),
             "kind": " + ".join(item.kind), "standing": True}
    if item.closed:
        front["closed"] = True  # a standing closed item stays closed
    if followup_sheet:
        front["bilag"] = [{"title": followup_sheet}]
    parts = ["---", yaml.safe_dump(front, allow_unicode=True, sort_keys=False).rstrip(), "---", ""]
    for name in FIELD_NAMES:
        field = item.field(name)
        if name == "Beslutning":
            parts += ["## Beslutning", ""]
        elif field:
            parts += [f"## {name}", "", field.markdown, ""]
    return "\n".join(parts)


def _number(section: str):
    return int(section) if section.isdigit() else section
