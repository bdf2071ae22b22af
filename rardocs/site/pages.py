"""The data of every page of a council's site, from the same contexts as the documents.

A meeting page shows what the public document shows (:func:`rardocs.documents.context`,
``internal=False``): the referat once the meeting has decisions, else the dagsorden, so
a closed item is its number, title and "Lukket punkt" and nothing else. Links are
relative: ``root`` leads from a page to the site root, and a document's link (a value
of ``documents``, relative to the site root) follows it.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

from .. import formatting, outputs
from ..documents import (
    CLOSED,
    DAGSORDEN,
    OPFOELGNINGSARK,
    REFERAT,
    context,
    document_title,
    open_actions,
)
from ..model import DOCUMENT_KINDS, KINDS, Archive, Council, Meeting, PressRelease
from ..press import press_context
from . import html
from .paths import anchor, meeting_page, press_page

#: The documents of a meeting the site links, in this order: kind, key suffix, label.
MEETING_DOCUMENTS = [
    (kind, suffix, label)
    for kind in (DAGSORDEN, REFERAT, OPFOELGNINGSARK)
    for suffix, label in ((".docx", "Word"), (".pdf", "PDF"), ("-med-bilag.pdf", "PDF med alle bilag"))
]
PRESS_DOCUMENTS = ((".docx", "Word"), (".pdf", "PDF"), (".txt", "tekst"))





def href(root: str, page: str, anchor_: str = "") -> str:
    """The link from a page at ``root`` to the site's ``page`` (and ``#anchor_``)."""
    return root + quote(page) + (f"#{anchor_}" if anchor_ else "")


def depth(page: str) -> str:
    """The way from ``page`` back to the site root: ``""``, ``"../"``, ``"../../"``."""
    return "../" * (len(PurePosixPath(page).parts) - 1)


def meeting_document_paths(meeting: Meeting) -> list[tuple[str, PurePosixPath, str]]:
    """``(kind, path in output/, label)`` of every public document a meeting may have."""
    found = []
    for kind, suffix, label in MEETING_DOCUMENTS:
        docx = outputs.document_path(kind, meeting)
        path = outputs.combined_path(kind, meeting) if suffix == "-med-bilag.pdf" else docx.with_suffix(suffix)
        found.append((kind, path, label))
    return found


def shown_kind(meeting: Meeting) -> str:
    return REFERAT if meeting.has_decisions else DAGSORDEN


def meeting_summary(meeting: Meeting, documents: dict[str, str], page: str) -> dict:
    """A meeting in a list: ``date``, ``weekday_date``, ``iso``, ``time``, ``place``,
    ``href`` (its page), ``status`` ("Referat" or "Dagsorden") and ``documents``
    (``text``, ``href``) that exist."""
    root = depth(page)
    day = formatting.long_date(meeting.date)
    docs = [{"text": f"{DOCUMENT_KINDS[kind]} {day} ({label})", "href": root + documents[str(path)]}
            for kind, path, label in meeting_document_paths(meeting) if str(path) in documents]
    weekday_date = formatting.full_date(meeting.date)
    return {
        "date": day,
        "weekday_date": weekday_date[:1].upper() + weekday_date[1:],
        "iso": meeting.date.isoformat(),
        "year": meeting.date.year,
        "time": formatting.time_span(meeting.start, meeting.end),
        "place": meeting.place,
        "href": href(root, meeting_page(meeting)),
        "status": DOCUMENT_KINDS[shown_kind(meeting)],
        "documents": docs,
    }


def meeting_data(meeting: Meeting, documents: dict[str, str]) -> dict:
    """The meeting page: the public document's context plus ``heading`` (its title),
    ``summary`` (:func:`meeting_summary`) and, per item, ``anchor``, ``category``
    (the letter), ``fields`` (``label``, ``html``) and ``actions``."""
    page = meeting_page(meeting)
    kind = shown_kind(meeting)
    data = context(kind, meeting, internal=False)
    root = depth(page)
    folder = outputs.meeting_folder(meeting)

    def bilag_href(link: str) -> str | None:
        path = f"{folder}/{unquote(link)}"
        return root + documents[path] if path in documents else None

    by_number = {item.number: item for item in meeting.items}
    for item_data in data["punkter"]:
        item = by_number[item_data["number"]]
        hidden = item.closed
        item_data["anchor"] = anchor(item.number)
        item_data["category"] = "" if hidden else item.category
        item_data["closed_text"] = CLOSED if hidden else ""
        item_data["fields"] = [{"label": f["label"].rstrip(":"), "html": html.rich(f["body"], bilag_href)}
                               for f in item_data["fields"]]
        item_data["actions"] = [] if hidden else [_action(a) for a in item.actions]
    data["root"] = root
    data["heading"] = document_title(kind, meeting)
    data["kind"] = DOCUMENT_KINDS[kind]
    data["summary"] = meeting_summary(meeting, documents, page)
    data.setdefault("attendance", [])
    data.setdefault("absent", None)
    return data


def _action(action) -> dict:
    return {"action": action.action, "owner": action.owner, "note": action.note, "status": action.status,
            "due": formatting.short_date(action.due) if action.due else ""}


def item_entries(meeting: Meeting) -> list[list[str]]:
    """Search entries of the meeting's public items: the decision's text first."""
    data = context(shown_kind(meeting), meeting, internal=False)
    by_number = {item.number: item for item in meeting.items}
    entries = []
    for item_data in data["punkter"]:
        if by_number[item_data["number"]].closed:
            continue
        fields = sorted(item_data["fields"], key=lambda f: f["label"] != "Beslutning:")
        text = " ".join(html.plain(f["body"]) for f in fields)
        url = href("", meeting_page(meeting), anchor(item_data["number"]))
        entries.append(["Punkt", f"{item_data['number']} {item_data['title']}", text, url, meeting.date.isoformat()])
    return entries


def decisions(meetings: list[Meeting], page: str) -> list[dict]:
    """Every public decision, newest meeting first: ``date``, ``iso``, ``year``,
    ``number``, ``title``, ``category`` (letter), ``category_name``, ``html``, ``text`` (plain,
    for ``rardocs beslutninger``), ``href``."""
    return [row for meeting in sorted(meetings, key=lambda m: m.date, reverse=True)
            for row in meeting_decisions(meeting, page)]


def meeting_decisions(meeting: Meeting, page: str) -> list[dict]:
    """The rows of :func:`decisions` of one meeting."""
    rows = []
    if meeting.has_decisions:
        data = context(REFERAT, meeting, internal=False)
        by_number = {item.number: item for item in meeting.items}
        for item_data in data["punkter"]:
            item = by_number[item_data["number"]]
            decision = next((f for f in item_data["fields"] if f["label"] == "Beslutning:"), None)
            if item.closed or decision is None:
                continue
            rows.append({
                "date": formatting.long_date(meeting.date),
                "iso": meeting.date.isoformat(),
                "year": meeting.date.year,
                "number": item.number,
                "title": item.title,
                "category": item.category,
                "category_name": KINDS.get(item.category, ""),
                "html": html.rich(decision["body"], lambda link: None),
                "text": html.plain(decision["body"]),
                "href": href(depth(page), meeting_page(meeting), anchor(item.number)),
            })
    return rows


def followup_rows(archive: Archive, council: Council, meetings: list[Meeting], page: str) -> dict:
    """The open actions of the council's public items, as :func:`open_actions` orders
    them on the day of the newest meeting (``status_date``): each ``due``, ``status``,
    ``owner``, ``action``, ``note``, ``where`` (``text``, ``href``), ``overdue``,
    ``overdue_text``."""
    if not meetings:
        return {"status_date": "", "rows": []}
    day = max(m.date for m in meetings)
    public = {action.id: (meeting, item, action)
              for meeting in meetings for item in meeting.items if not item.closed for action in item.actions}
    rows = []
    for row in open_actions(archive, day, council.slug):
        if row["id"] not in public:
            continue  # a closed item's action
        meeting, item, action = public[row["id"]]
        rows.append({
            "due": row["due"], "status": row["status"], "owner": row["owner"],
            "action": action.action, "note": action.note,
            "where": {"text": f"Punkt {item.number}, mødet {formatting.long_date(meeting.date)}",
                      "href": href(depth(page), meeting_page(meeting), anchor(item.number))},
            "overdue": row["overdue"],
            "overdue_text": "Frist overskredet" if row["overdue"] else "",
        })
    return {"status_date": formatting.long_date(day), "rows": rows}


def press_summary(release: PressRelease, documents: dict[str, str], page: str) -> dict:
    """A press release in a list: ``title``, ``lead``, ``date``, ``iso``, ``href`` and
    its ``documents`` (``text``, ``href``) that exist."""
    root = depth(page)
    docx = outputs.press_paths(release)["docx"]
    docs = [{"text": f"Pressemeddelelsen »{release.title}« ({label})", "href": root + documents[key]}
            for suffix, label in PRESS_DOCUMENTS if (key := str(docx.with_suffix(suffix))) in documents]
    return {"title": release.title, "lead": release.lead, "date": formatting.long_date(release.date),
            "iso": release.date.isoformat(), "href": href(root, press_page(release)), "documents": docs}


def press_data(release: PressRelease, documents: dict[str, str]) -> dict:
    """A press release's page: :func:`rardocs.press.press_context` with ``body_html``,
    ``summary``, ``about_paragraphs`` and, when it is about an item, ``item_href``."""
    page = press_page(release)
    data = press_context(release)
    data["root"] = depth(page)
    data["body_html"] = html.fragment(release.body) if release.body else ""
    data["summary"] = press_summary(release, documents, page)
    data["about_paragraphs"] = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", data["about"]) if p.strip()]
    data["item_href"] = (href(depth(page), meeting_page(release.meeting), anchor(release.item.number))
                         if release.item is not None and not release.item.closed else "")
    return data


def press_entry(release: PressRelease) -> list[str]:
    text = " ".join(filter(None, [release.lead, html.plain_markdown(release.body),
                                  release.quote.text if release.quote else "", release.decision]))
    return ["Pressemeddelelse", release.title, " ".join(text.split()), href("", press_page(release)),
            release.date.isoformat()]
