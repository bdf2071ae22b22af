"""Where a meeting's and a press release's pages lie in the site, and an item's anchor:
one definition for the pages, the search index and the feeds."""

from __future__ import annotations

from .. import outputs
from ..model import Meeting, PressRelease


def meeting_page(meeting: Meeting) -> str:
    """``moeder/2022-09-29/index.html``: the meeting's page, relative to the site's root."""
    return f"moeder/{meeting.date.isoformat()}/index.html"


def press_page(release: PressRelease) -> str:
    """``presse/2022-09-21 Pressemeddelelse lagerprocesoperatoer/index.html``: the press
    release's page, named like its documents (unique, and safe as a file name)."""
    return f"presse/{outputs.press_stem(release)}/index.html"


def anchor(number: str) -> str:
    """``punkt-2-1``: the permalink of item ``2.1`` on its meeting's page; it depends on the
    number alone, so it does not change when the item's text does."""
    return "punkt-" + number.replace(".", "-")
