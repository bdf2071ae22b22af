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

from . import formatting, outputs
from .model import (  # noqa: F401  (the kinds are part of this module's interface)
    DAGSORDEN, DOCUMENT_KINDS, FIELD_NAMES, OPFOELGNINGSARK, PRESSEMEDDELELSE, REFERAT, ROLES, Item, Meeting,
)

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


def document_title(kind: str, meeting: Meeting) -> str:
    """``Referat af RAR Østjyllands møde den 29. september 2022``."""
    word = {DAGSORDEN: "Dagsorden for", REFERAT: "Referat af", OPFOELGNINGSARK: "Opfølgningsark efter"}[kind]
    return f"{word} {meeting.council.genitive} møde den {formatting.long_date(meeting.date)}"


def _meeting_data(meeting: Meeting, end) -> dict:
    return {
        "date": formatting.long_date(meeting.date),
        "weekday_date": formatting.full_date(meeting.date),
        "time": formatting.time_span(meeting.start, end),
        "place": meeting.place,
        "chair": meeting.chair,
        "ended": f"kl. {formatting.clock(meeting.ended)}" if meeting.ended else "",
    }


def council_data(council) -> dict:
    return {"name": council.name, "genitive": council.genitive}


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
        "council": council_data(meeting.council),
        "meeting": _meeting_data(meeting, end),
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
        parts.append((bilag.title, outputs.bilag_link(bilag)))
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
            shown = member.name if member.role == "medlem" else f"{member.name} ({member.role})"
            groups.setdefault(f"Fra {label}:", []).append(_with_position(shown, member))
    else:
        for role, label in ROLES.items():
            names = [_with_position(_with_organisation(m), m) for m in present if m.role == role]
            if names:
                groups[f"{label}:"] = names
    result = [{"label": label, "names": names} for label, names in groups.items()]
    if meeting.attendance.guests:
        result.append({"label": "Gæster:", "names": list(meeting.attendance.guests)})
    if meeting.attendance.absent:
        result.append({"label": "Afbud:", "names": [_with_organisation(council.member(n)) for n in meeting.attendance.absent]})
    return result


def _with_organisation(member) -> str:
    """``Finn D. Pedersen (DA)``."""
    return f"{member.name} ({member.organisation})" if member.organisation else member.name


def _with_position(text: str, member) -> str:
    return f"{text}, {member.position}" if member.position else text


def _organisation_label(organisation: str) -> str:
    return "kommunerne" if organisation.lower() == "kommune" else organisation


# --- opfølgningsark ---------------------------------------------------------------------

OVERDUE = "overskredet"


def followup_context(meeting: Meeting, earlier: tuple[Meeting, ...], *, internal: bool = False) -> dict:
    """Template data for the opfølgningsark after ``meeting``.

    ``rows``: the meeting's decision items (B and D; O items only when they
    carry actions), each with ``number``, ``title`` and rich ``decision``,
    ``process`` (Videre proces and the actions), ``owners``, ``dues`` and
    ``statuses`` (one line per action). ``earlier``: every action of the
    earlier meetings that is not afsluttet, oldest first, with ``meeting``,
    ``number``, ``title``, ``action``, ``owner``, ``due``, ``status`` and
    ``overdue`` (its due date was before this meeting). Closed items are left
    out unless ``internal``.
    """
    rows = []
    for item in meeting.items:
        if item.closed and not internal:
            continue
        if item.kind[0] not in ("B", "D") and not item.actions:
            continue
        process = [Markdown(f.markdown) for f in [item.field("Videre proces")] if f]
        process += [LinkLine(((f"• {a.action}", None),)) for a in item.actions]
        rows.append({
            "number": item.number,
            "title": item.title,
            "decision": Rich(tuple(Markdown(f.markdown) for f in [item.decision] if f)),
            "process": Rich(tuple(process)),
            "owners": _lines(a.owner for a in item.actions),
            "dues": _lines(formatting.short_date(a.due) if a.due else "" for a in item.actions),
            "statuses": _lines(_status(a, meeting) for a in item.actions),
        })
    open_actions = []
    for before in earlier:
        for item in before.items:
            if item.closed and not internal:
                continue
            for action in item.actions:
                if action.status != "afsluttet":
                    open_actions.append((before.date, action.due or before.date, before, item, action))
    open_actions.sort(key=lambda entry: entry[:2])
    return {
        "council": council_data(meeting.council),
        "meeting": _meeting_data(meeting, meeting.ended or meeting.end),
        "title": f"Opfølgningsark efter Rådsmødet den {formatting.long_date(meeting.date)}",
        "header": document_title(OPFOELGNINGSARK, meeting) + (" – INTERNT" if internal else ""),
        "rows": rows,
        "earlier": [{
            "meeting": formatting.short_date(before.date),
            "number": item.number,
            "title": item.title,
            "action": action.action,
            "owner": action.owner,
            "due": formatting.short_date(action.due) if action.due else "",
            "status": _status(action, meeting),
            "overdue": _overdue(action, meeting),
        } for _, _, before, item, action in open_actions],
    }


def _overdue(action, meeting: Meeting) -> bool:
    return action.status != "afsluttet" and action.due is not None and action.due < meeting.date


def _status(action, meeting: Meeting) -> str:
    return f"{action.status} ({OVERDUE})" if _overdue(action, meeting) else action.status


def _lines(texts) -> Rich:
    return Rich(tuple(LinkLine(((text, None),)) for text in texts))


# --- open actions across the archive -------------------------------------------------------


def open_actions(archive, today, council: str | None = None) -> list[dict]:
    """Every action not afsluttet, overdue ones first, then by due date.

    Each: ``due``, ``status``, ``owner``, ``where`` ("rar-oestjylland 29.09.2022
    pkt. 2.2"), ``action``, ``id``, ``overdue``, ``closed`` (of a closed item).
    """
    rows = []
    for meeting in archive.meetings:
        if council and meeting.council.slug != council:
            continue
        for item in meeting.items:
            for action in item.actions:
                if action.status == "afsluttet":
                    continue
                overdue = action.due is not None and action.due < today
                rows.append({
                    "sort": (not overdue, action.due or meeting.date, meeting.date),
                    "due": formatting.short_date(action.due) if action.due else "",
                    "status": action.status,
                    "owner": action.owner,
                    "where": f"{meeting.council.name} {formatting.short_date(meeting.date)} pkt. {item.number}",
                    "action": action.action + (" (lukket punkt)" if item.closed else ""),
                    "id": action.id,
                    "overdue": overdue,
                })
    rows.sort(key=lambda row: row["sort"])
    return rows
