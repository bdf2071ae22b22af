"""Template data for each document kind: what a template can show, in Danish.

One context builder per document kind. Contexts hold plain strings (Danish
formatting already applied) and, for rich text, :class:`Markdown` and
:class:`LinkLine` values that :mod:`rardocs.render` turns into Word content.
No Word here and no files.

Template variables (all documents): ``council`` (``name``, ``genitive``),
``meeting`` (``date`` "29. september 2022", ``weekday_date`` "torsdag den 29.
september 2022", ``time`` "kl. 13.00–16.00", ``place``, ``chair``, ``ended``
"kl. 16.05" or empty), ``title``, ``header``, ``punkter`` (every item, for an
overview), ``sections`` (each with ``number``, ``title``, ``heading``,
``punkter``; each item with ``number``, ``title``, ``kind`` "(B)", ``closed``,
``fields`` (each ``label`` and rich ``body``)). The referat also has
``attendance``: groups with ``label`` ("Medlemmer:") and ``names``.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import formatting
from .model import FIELD_NAMES, ROLES, Item, Meeting

DAGSORDEN = "dagsorden"
REFERAT = "referat"
KINDS = (DAGSORDEN, REFERAT)
CLOSED = "Lukket punkt"


@dataclass(frozen=True)
class Markdown:
    """A field body in Markdown, to become Word paragraphs, lists and tables."""

    text: str


@dataclass(frozen=True)
class LinkLine:
    """One paragraph of plain pieces ``(text, url or None)``: a bilag line."""

    parts: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Rich:
    """Rich content for a ``{{p … }}`` tag: a sequence of Markdown and link lines."""

    blocks: tuple[Markdown | LinkLine, ...]


def bilag_link(file: str) -> str:
    """Where a bilag file is put beside the documents, and linked to from them."""
    return "bilag/" + file.rsplit("/", 1)[-1]


def document_title(kind: str, meeting: Meeting) -> str:
    """``Referat af RAR Østjyllands møde den 29. september 2022``."""
    word = {DAGSORDEN: "Dagsorden for", REFERAT: "Referat af"}[kind]
    return f"{word} {meeting.council.genitive} møde den {formatting.long_date(meeting.date)}"


def context(kind: str, meeting: Meeting, *, internal: bool = False) -> dict:
    """The template data for document ``kind`` of ``meeting``.

    Public documents (``internal=False``) show a closed item only as its
    number, title and "Lukket punkt".
    """
    referat = kind == REFERAT
    fields = [f for f in FIELD_NAMES if referat or f != "Beslutning"]
    header = document_title(kind, meeting)
    if internal:
        header += " – INTERNT, indeholder lukkede punkter"
    sections = []
    for section in meeting.sections:
        items = [_item(item, fields, internal) for item in section.items]
        sections.append({
            "number": section.number,
            "title": section.title,
            "heading": f"{section.number}. {section.title}",
            "punkter": items,
        })
    end = meeting.ended if referat and meeting.ended else meeting.end
    data = {
        "council": {"name": meeting.council.name, "genitive": meeting.council.genitive},
        "meeting": {
            "date": formatting.long_date(meeting.date),
            "weekday_date": formatting.full_date(meeting.date),
            "time": formatting.time_span(meeting.start, end),
            "place": meeting.place,
            "chair": meeting.chair,
            "ended": f"kl. {formatting.clock(meeting.ended)}" if meeting.ended else "",
        },
        "title": {DAGSORDEN: "Dagsorden for møde i ", REFERAT: "Referat af møde i "}[kind] + meeting.council.name,
        "header": header,
        "sections": sections,
        "punkter": [item for section in sections for item in section["punkter"]],
    }
    if referat:
        data["attendance"] = attendance(meeting)
    return data


def _item(item: Item, fields: list[str], internal: bool) -> dict:
    hidden = item.closed and not internal
    return {
        "number": item.number,
        "title": item.title,
        "kind": f"({CLOSED})" if hidden else formatting.kind_label(item.kind),
        "closed": item.closed,
        "fields": [] if hidden else _fields(item, fields),
    }


def _fields(item: Item, names: list[str]) -> list[dict]:
    out = []
    for name in names:
        blocks: list[Markdown | LinkLine] = []
        if name == "Bilag":
            blocks.extend(_bilag_line(b) for b in item.bilag)
        field = item.field(name)
        if field and field.markdown.strip():
            blocks.append(Markdown(field.markdown))
        if blocks:
            out.append({"label": f"{name}:", "body": Rich(tuple(blocks))})
    return out


def _bilag_line(bilag) -> LinkLine:
    parts: list[tuple[str, str | None]] = [(f"{bilag.number} – ", None)]
    if bilag.url:
        parts += [(f"{bilag.title}: ", None), (bilag.url, bilag.url)]
    elif bilag.file:
        parts.append((bilag.title, bilag_link(bilag.file)))
    else:
        parts.append((bilag.title, None))
    return LinkLine(tuple(parts))


def attendance(meeting: Meeting) -> list[dict]:
    """The "På mødet deltog" groups, by role or by organisation as the council says."""
    council = meeting.council
    present = [council.member(name) for name in meeting.attendance.present]
    groups: dict[str, list[str]] = {}
    if council.group_by == "organisation":
        for member in present:
            label = council.organisation_labels.get(member.organisation) or _organisation_label(member.organisation)
            groups.setdefault(f"Fra {label}:", []).append(_with_position(member.name, member))
    else:
        for role, label in ROLES.items():
            names = [_with_position(f"{m.name} ({m.organisation})" if m.organisation else m.name, m)
                     for m in present if m.role == role]
            if names:
                groups[f"{label}:"] = names
    result = [{"label": label, "names": names} for label, names in groups.items()]
    if meeting.attendance.guests:
        result.append({"label": "Gæster:", "names": list(meeting.attendance.guests)})
    if meeting.attendance.absent:
        result.append({"label": "Afbud:", "names": [_shown(council.member(n)) for n in meeting.attendance.absent]})
    return result


def _shown(member) -> str:
    return f"{member.name} ({member.organisation})" if member.organisation else member.name


def _with_position(text: str, member) -> str:
    return f"{text}, {member.position}" if member.position else text


def _organisation_label(organisation: str) -> str:
    return "kommunerne" if organisation.lower() == "kommune" else organisation
