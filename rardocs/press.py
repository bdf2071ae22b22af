"""Template data for a press release: what its Word template, its text and its
HTML form show (:mod:`rardocs.web` makes the latter two from the same data)."""

from __future__ import annotations

from . import formatting
from .documents import Markdown, Rich, council_data


def press_title(release) -> str:
    return f"Pressemeddelelse fra {release.council.name}"


def press_context(release) -> dict:
    """Template data for a press release: ``label``, ``date``, ``title``, ``lead``,
    rich ``body``, ``item`` (``title``, ``number``, ``meeting_date``, ``heading``
    "Rådets beslutning den …: …", rich ``decision``; empty values when the
    release is about no item), ``quote``
    (``text``, ``who``, ``role``, ``signature`` "– Jesper Thorup, formand …")
    or none, ``contact`` (``name``, ``title``, ``phone``, ``email`` and the
    ``lines`` to print: "Navn, titel", "Tlf. …", "E-mail: …") or none,
    ``about_title`` "Om RAR Østjylland" and ``about``."""
    item = release.item
    quote = release.quote
    contact = release.contact
    return {
        "council": council_data(release.council),
        "label": "Pressemeddelelse",
        "header": press_title(release),
        "date": formatting.long_date(release.date),
        "weekday_date": formatting.full_date(release.date),
        "title": release.title,
        "lead": release.lead,
        "body": Rich((Markdown(release.body),) if release.body else ()),
        "item": {
            "title": item.title if item else "",
            "number": item.number if item else "",
            "meeting_date": formatting.long_date(release.meeting.date) if item else "",
            "heading": f"Rådets beslutning den {formatting.long_date(release.meeting.date)}: {item.title}" if item else "",
            "decision": Rich(tuple(Markdown(f.markdown) for f in [item.decision] if f) if item else ()),
        },
        "quote": {
            "text": quote.text, "who": quote.who, "role": quote.role,
            "signature": f"– {quote.who}" + (f", {quote.role}" if quote.role else ""),
        } if quote else None,
        "contact": {
            "name": contact.name, "title": contact.title, "phone": contact.phone, "email": contact.email,
            "lines": [contact.name + (f", {contact.title}" if contact.title else "")]
            + ([f"Tlf. {contact.phone}"] if contact.phone else []) + ([f"E-mail: {contact.email}"] if contact.email else []),
        } if contact else None,
        "about_title": f"Om {release.council.name}",
        "about": release.council.about,
    }
