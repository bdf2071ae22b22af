"""Template data for each document kind: what a template can show, in Danish.

One context builder per document kind. Contexts hold plain strings (Danish
formatting already applied) and, for rich text, :class:`Markdown` and
:class:`LinkLine` values that :mod:`rardocs.render` turns into Word content.
No Word here and no files.

Template variables (all documents): ``council`` (``name``, ``genitive``),
``meeting`` (``date`` "29. september 2022", ``weekday_date`` "torsdag den 29.
september 2022", ``when`` "Torsdag den 29. september 2022 kl. 13.00–16.00",
``time`` "kl. 13.00–16.00", ``place``, ``chair``, ``ended`` "kl. 16.05" or
empty), ``title``, ``header`` (the running header), ``marking`` ("INTERNT, …"
on an internal version, else empty), ``punkter`` (every item, for an
overview), ``sections`` (each with ``number``, ``title``, ``heading``,
``punkter``; each item with ``number``, ``title``, ``kind`` "(B)", ``closed``,
``fields`` (each ``label``, rich ``body`` and ``text``: the body with the label
run in)), ``key`` (what B, O and D mean), ``layout`` (the council's choices:
``ended``, ``lone_member``). The referat also has ``attendance``: groups with
``label`` ("Medlemmer:"), ``names`` and ``inline``; and ``absent`` (``label``
"Afbud:", ``names``) or none.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import formatting, outputs
from .model import (  # noqa: F401  (the kinds are part of this module's interface)
    DAGSORDEN, DOCUMENT_KINDS, FIELD_NAMES, KINDS, OPFOELGNINGSARK, PRESSEMEDDELELSE, REFERAT, ROLES, Item, Meeting,
)

CLOSED = "Lukket punkt"
#: On every page of an internal version (in the header; on the first page, which has
#: no running header, alone).
INTERNAL_MARK = "INTERNT, indeholder lukkede punkter"


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


@dataclass(frozen=True)
class Labelled:
    """A field with its label run in: "**Sagen kort:** Rådet …", the text in a hanging
    indent as wide as the template's ``Felttekst`` style is indented."""

    label: str
    body: Rich


def document_title(kind: str, meeting: Meeting) -> str:
    """``Referat af RAR Østjyllands møde den 29. september 2022``."""
    word = {DAGSORDEN: "Dagsorden for", REFERAT: "Referat af", OPFOELGNINGSARK: "Opfølgningsark efter"}[kind]
    return f"{word} {meeting.council.genitive} møde den {formatting.long_date(meeting.date)}"


def _meeting_data(meeting: Meeting, end) -> dict:
    weekday_date = formatting.full_date(meeting.date)
    time = formatting.time_span(meeting.start, end)
    return {
        "date": formatting.long_date(meeting.date),
        "weekday_date": weekday_date,
        "when": " ".join(filter(None, [weekday_date[:1].upper() + weekday_date[1:], time])),
        "time": time,
        "place": meeting.place,
        "chair": meeting.chair,
        "ended": f"kl. {formatting.clock(meeting.ended)}" if meeting.ended else "",
    }


def council_data(council) -> dict:
    return {"name": council.name, "genitive": council.genitive}


#: The one-line key under the item overview.
KIND_KEY = " · ".join(f"{letter} = {name}" for letter, name in KINDS.items())


def context(kind: str, meeting: Meeting, *, internal: bool = False) -> dict:
    """The template data for document ``kind`` of ``meeting``.

    Public documents (``internal=False``) show a closed item only as its
    number, title and "Lukket punkt".
    """
    referat = kind == REFERAT
    fields = [f for f in FIELD_NAMES if referat or f != "Beslutning"]
    header = document_title(kind, meeting)
    if internal:
        header += f" – {INTERNAL_MARK}"
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
        "marking": INTERNAL_MARK if internal else "",
        "sections": sections,
        "punkter": [item for section in sections for item in section["punkter"]],
        "key": KIND_KEY,
        "layout": _layout(meeting.council),
    }
    if referat:
        data["attendance"] = attendance(meeting)
        data["absent"] = absent(meeting)
    return data


def _layout(council) -> dict:
    """The council's layout choices a template can follow: ``ended`` (where "Mødet
    sluttede" stands: ``before_attendance`` or ``after_attendance``) and
    ``lone_member`` (``same_line`` or ``own_line``)."""
    return {
        "ended": council.ended_position,
        "lone_member": "same_line" if council.lone_member_inline else "own_line",
    }


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
    """Each field with content: ``label`` "Sagen kort:", rich ``body``, and ``text``:
    the body with the label run in (what the default templates show)."""
    out = []
    for name in names:
        blocks: list[Markdown | LinkLine] = []
        if name == "Bilag":
            blocks.extend(_bilag_line(b) for b in item.bilag)
        field = item.field(name)
        if field and field.markdown.strip():
            blocks.append(Markdown(field.markdown))
        if blocks:
            body = Rich(tuple(blocks))
            out.append({"label": f"{name}:", "body": body, "text": Labelled(f"{name}:", body)})
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
    """Who attended, in groups by role or by organisation as the council says:
    each group a ``label`` ("Medlemmer:", "Fra FH:"), its ``names`` and ``inline``
    (one name, and the council prints a lone name on the label's line). Guests
    are a last group, "Gæster:"."""
    council = meeting.council
    present = [council.member(name) for name in meeting.attendance.present]
    groups: dict[str, list[str]] = {}
    if council.group_by == "organisation":
        for member in present:
            label = council.organisation_labels.get(member.organisation) or _organisation_label(member.organisation)
            role = council.role_labels.get(member.role, member.role)
            shown = f"{member.name} ({role})" if role else member.name
            groups.setdefault(f"Fra {label}:", []).append(_with_position(shown, member))
    else:
        for role in ROLES:
            names = [_with_position(_with_organisation(m), m) for m in present if m.role == role]
            if names:
                groups[f"{council.role_headings.get(role, ROLES[role])}:"] = names
    if meeting.attendance.guests:
        groups["Gæster:"] = list(meeting.attendance.guests)
    inline = council.lone_member_inline
    return [{"label": label, "names": names, "inline": inline and len(names) == 1} for label, names in groups.items()]


def absent(meeting: Meeting) -> dict | None:
    """Who sent apologies: ``label`` "Afbud:" and ``names``, or none. A block of its
    own, never inside "På mødet deltog"."""
    names = [_with_organisation(meeting.council.member(n)) for n in meeting.attendance.absent]
    return {"label": "Afbud:", "names": names} if names else None


def _with_organisation(member) -> str:
    """``Finn D. Pedersen (DA)``."""
    return f"{member.name} ({member.organisation})" if member.organisation else member.name


def _with_position(text: str, member) -> str:
    return f"{text}, {member.position}" if member.position else text


def _organisation_label(organisation: str) -> str:
    return "kommunerne" if organisation.lower() == "kommune" else organisation


# --- opfølgningsark ---------------------------------------------------------------------

OVERDUE = "Frist overskredet"
DONE = "afsluttet"


def followup_context(meeting: Meeting, earlier: tuple[Meeting, ...], *, internal: bool = False) -> dict:
    """Template data for the opfølgningsark after ``meeting``: its follow-up actions,
    then those of earlier meetings still open, each with its status **as it stood
    on the meeting's date** (``done:``/``history`` in the item), so rebuilding an
    old sheet gives the sheet that was sent.

    ``items``: the meeting's items that set actions going (items without actions
    are left out), each with ``number``, ``title`` and ``actions``. ``carried``:
    the earlier meetings' items with actions not afsluttet on this meeting's
    date, oldest meeting first, each also with ``meeting`` "29.09.2022". An
    action: ``action``, ``note``, ``owner``, ``due`` "01.10.2022" or empty,
    ``status``, ``overdue`` (not afsluttet and due before this meeting) and
    ``overdue_text`` "Frist overskredet" or empty. Closed items are left out
    unless ``internal``. ``status_date``: "29. september 2022".
    """
    day = meeting.date
    items = [_action_group(item, [(a, a.status_on(day)) for a in item.actions], day)
             for item in meeting.items if item.actions and (internal or not item.closed)]
    carried = []
    for before in earlier:
        held = None  # the meeting's date as the sheet shows it, made once for all its items
        for item in before.items:
            if not item.actions or (item.closed and not internal):
                continue
            actions = [(a, status) for a in item.actions if (status := a.status_on(day)) != DONE]
            if actions:
                held = held or formatting.short_date(before.date)
                carried.append({"meeting": held, **_action_group(item, actions, day)})
    return {
        "council": council_data(meeting.council),
        "meeting": _meeting_data(meeting, meeting.ended or meeting.end),
        "title": document_title(OPFOELGNINGSARK, meeting),
        "header": document_title(OPFOELGNINGSARK, meeting) + (f" – {INTERNAL_MARK}" if internal else ""),
        "marking": INTERNAL_MARK if internal else "",
        "status_date": formatting.long_date(day),
        "items": items,
        "carried": carried,
    }


def _action_group(item: Item, actions: list, day) -> dict:
    """``actions``: each with its status on ``day``."""
    return {
        "number": item.number,
        "title": item.title,
        "actions": [_action(action, status, day) for action, status in actions],
    }


def _action(action, status: str, day) -> dict:
    overdue = status != DONE and action.due is not None and action.due < day
    return {
        "action": action.action,
        "note": action.note,
        "owner": action.owner,
        "due": formatting.short_date(action.due) if action.due else "",
        "status": status,
        "overdue": overdue,
        "overdue_text": OVERDUE if overdue else "",
    }


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
