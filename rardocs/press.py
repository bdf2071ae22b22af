"""Template data for a press release: what its Word template, its text and its
HTML form show (:mod:`rardocs.web` makes the latter two from the same data)."""

from __future__ import annotations

from . import formatting
from .documents import LinkLine, Markdown, Rich, council_data


def press_title(release) -> str:
    return f"Pressemeddelelse fra {release.council.name}"


def press_context(release) -> dict:
    """Template data for a press release.

    - ``label`` "Pressemeddelelse", ``header`` "Pressemeddelelse fra RAR Østjylland",
      ``council`` (``name``, ``genitive``);
    - ``date`` "30. september 2022", ``weekday_date`` "fredag den 30. september
      2022", ``iso_date`` "2022-09-30";
    - ``title``, ``lead``, rich ``body``;
    - ``item``, the item the release is about (``item:``): ``title``, ``number``
      "2.1", ``meeting_date`` "29. september 2022", all empty when it is about no
      item; for templates made before ``decision:`` also ``heading`` (always
      empty) and rich ``decision`` (the decision's quote and attribution as two
      paragraphs, or empty);
    - ``decision``, only with ``decision: true``: the item's decision as a short
      quote, ``text`` (its first paragraph as one line of plain text, without
      »«) and ``attribution`` "Fra referatet af RAR Østjyllands møde den 29.
      september 2022, punkt 2.1"; else none;
    - ``quote`` (``text``, ``who``, ``role``, ``signature`` "– Jesper Thorup,
      formand …") or none;
    - ``contact`` (``name``, ``title``, ``phone``, ``email`` and the ``lines`` to
      print: "Navn, titel", "Tlf. …", "E-mail: …") or none;
    - ``about_title`` "Om RAR Østjylland" and ``about``.
    """
    item = release.item
    quote = release.quote
    contact = release.contact
    decision = None
    if item and release.decision:
        decision = {
            "text": release.decision,
            "attribution": f"Fra referatet af {release.council.genitive} møde den "
                           f"{formatting.long_date(release.meeting.date)}, punkt {item.number}",
        }
    return {
        "council": council_data(release.council),
        "label": "Pressemeddelelse",
        "header": press_title(release),
        "date": formatting.long_date(release.date),
        "weekday_date": formatting.full_date(release.date),
        "iso_date": release.date.isoformat(),
        "title": release.title,
        "lead": release.lead,
        "body": Rich((Markdown(release.body),) if release.body else ()),
        "item": {
            "title": item.title if item else "",
            "number": item.number if item else "",
            "meeting_date": formatting.long_date(release.meeting.date) if item else "",
            "heading": "",
            "decision": Rich((LinkLine(((f"»{decision['text']}«", None),)),
                              LinkLine(((decision["attribution"], None),)))) if decision else "",
        },
        "decision": decision,
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
