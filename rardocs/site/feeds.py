"""The site's feeds: what a program reads instead of the pages.

- ``feed.atom``: the council's referater and press releases, newest first
  (Atom, made with feedgen);
- ``moeder.ics``: every meeting as a calendar event (iCalendar, made with
  icalendar);
- ``data/<date>.json``: each meeting with its agenda, shaped after OParl 1.1's
  Meeting and AgendaItem (https://oparl.org/spezifikation/), and
  ``data/moede.schema.json``, the JSON Schema every one of them validates against.

A closed item is in these files as in the public documents: its number and
title, nothing more. The files are reproducible: they are made from the
content alone (dates come from the meetings and press releases, never from the
clock), so the same archive gives the same bytes.

Links point at the site's pages (:mod:`.paths`). With ``base_url`` they are absolute; without it they are
relative to the file they stand in (``moeder/…`` in the feed at the site's
root, ``../moeder/…`` in ``data/``). An Atom reader resolves a relative
link against the feed's own address (RFC 4287 §2: xml:base, else the
document's address, RFC 3986 §5.1.3),
which is the site's root, so no ``xml:base`` is written. A calendar app has no
such address: without ``base_url`` the .ics carries no link at all.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from pathlib import PurePosixPath
from urllib.parse import quote, urljoin
from zoneinfo import ZoneInfo

from .. import formatting, memo, outputs
from ..documents import CLOSED, document_title
from ..kinds import DAGSORDEN, OPFOELGNINGSARK, REFERAT
from ..model import KINDS, STATUSES, Archive, Bilag, Council, Item, Meeting, PressRelease
from .paths import anchor, meeting_page, press_page

FEED = "feed.atom"
CALENDAR = "moeder.ics"
DATA = "data"
SCHEMA = f"{DATA}/moede.schema.json"

#: The councils meet in Denmark: every time in the content is local time there.
TIMEZONE = "Europe/Copenhagen"
_ZONE = ZoneInfo(TIMEZONE)

#: The newest entries the Atom feed holds; a reader only needs the recent ones.
FEED_LIMIT = 50

#: The date in every tag: URI (RFC 4151). Fixed, so that an id never changes.
_TAG_DATE = "2022"

_OPARL = "https://schema.oparl.org/1.1/"
#: Media types by suffix: a table of our own, since :mod:`mimetypes` reads the
#: machine's files and would make the output differ between machines.
_MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain",
    ".html": "text/html",
}





def feed_files(archive: Archive, council: Council, *, base_url: str | None,
               documents: dict[str, str], meeting_keys: dict[str, str] | None = None,
               unchanged=None, made_from: dict[str, str] | None = None, into: dict | None = None
               ) -> dict[str, bytes | None]:
    """The feeds of ``council``'s site: each file's path relative to the site's root → its bytes.

    ``base_url`` is the site's address ("https://rar-bm.dk/rar-oestjylland/"),
    or ``None`` for links relative to the site's root. ``documents`` maps every
    published file the site links to, by its path in ``output/`` as
    :mod:`rardocs.outputs` names it ("rar-oestjylland/2022-09-29/2022-09-29
    Referat RAR Østjylland.docx"), to its link relative to the site's root
    ("../2022-09-29/2022-09-29%20Referat%20RAR%20%C3%98stjylland.docx"); a file
    not in it (a PDF not made, say) is not linked. Internal files are never linked.
    ``meeting_keys``, ``unchanged`` and ``made_from`` make a meeting's JSON only when
    it changed, as :func:`~rardocs.site.site_files` does its page (``None``: keep the file);
    ``into`` as there.
    """
    from . import Kept

    kept = Kept(council, meeting_keys, documents, unchanged, made_from)
    links = _Links(base_url, documents)
    meetings = [m for m in archive.meetings if m.council.slug == council.slug]
    press = [p for p in archive.press if p.council.slug == council.slug]
    files = into if into is not None else {}
    table = f"{TABLES}/{council.slug}"
    files[FEED] = _atom(council, meetings, press, links, table)
    files[CALENDAR] = _calendar(council, meetings, links, table)
    files[SCHEMA] = _json(MEETING_SCHEMA)
    data_links = links.within(DATA)
    for meeting in meetings:
        path = _data_path(meeting)
        files[path] = kept.file(path, meeting, lambda m, _: _json(_oparl_meeting(m, data_links)), base_url or "")
    return files


class _Links:
    """Links to the site's pages and to the published files it knows, from a file in
    ``folder`` of the site ("" for its root, "data" for the JSON)."""

    def __init__(self, base_url: str | None, documents: dict[str, str], folder: str = ""):
        self.base = base_url.rstrip("/") + "/" if base_url else None
        self.documents = {path: link for path, link in documents.items() if not outputs.is_internal(path)}
        self.folder = folder

    def within(self, folder: str) -> _Links:
        links = _Links(None, {}, folder)
        links.base, links.documents = self.base, self.documents
        return links

    def _relative(self, link: str) -> str:
        return posixpath.relpath(link, self.folder) if self.folder else link

    def page(self, path: str, anchor: str = "") -> str:
        """A page's link; on a server (with ``base_url``) without the ``index.html``
        a server adds, from disk (without) with it, since a browser needs it there."""
        if self.base and (path == "index.html" or path.endswith("/index.html")):
            path = path.removesuffix("index.html")
        link = quote(path)
        link = self.base + link if self.base else self._relative(link)
        return link + (f"#{anchor}" if anchor else "")

    def absolute_page(self, path: str, anchor: str = "") -> str | None:
        return self.page(path, anchor) if self.base else None

    def document(self, path: PurePosixPath) -> str | None:
        link = self.documents.get(str(path))
        if link is None:
            return None
        return urljoin(self.base, link) if self.base else self._relative(link)


def _tag(council: Council, specific: str) -> str:
    """A stable atom:id: ``tag:rar-oestjylland.rardocs,2022:referat/2022-09-29``,
    the same wherever the site is published."""
    return f"tag:{council.slug}.rardocs,{_TAG_DATE}:{quote(specific)}"


def _local(day: dt.date, time: dt.time | None) -> dt.datetime:
    return dt.datetime.combine(day, time or dt.time(0, 0), tzinfo=_ZONE)


def _meeting_end(meeting: Meeting) -> dt.time | None:
    """When the meeting ended, as its referat says, or its planned end while it has no
    referat (as the documents show it)."""
    return meeting.ended if meeting.has_decisions and meeting.ended else meeting.end


def _public_decisions(meeting: Meeting) -> list[Item]:
    """The items whose decision the feed names: public, and not a standing item."""
    return [item for item in meeting.items if item.decision and not item.closed and not item.standing]


# --- Atom -------------------------------------------------------------------

#: The memo tables of the feeds as last made, ``feeds/<council>``: see :func:`_kept`.
TABLES = "feeds"


def _kept(table: str, inputs: tuple, make) -> bytes:
    """``make()``, kept in ``table`` (while a build's :mod:`rardocs.memo` session is
    open) by a key of ``inputs``, everything it is made from. A feed, or an event,
    whose inputs are the same is not made again: an edit of an item's text makes
    neither feed, and does not even import icalendar and feedgen."""
    store = memo.active()
    return make() if store is None else store.get(table, memo.key(*inputs), make)


def _atom(council: Council, meetings: list[Meeting], press: list[PressRelease], links: _Links,
          table: str = TABLES) -> bytes:
    entries = []
    for meeting in meetings:
        if not meeting.has_decisions:  # no referat yet
            continue
        decided = _public_decisions(meeting)
        when = " ".join(filter(None, [formatting.full_date(meeting.date),
                                      formatting.time_span(meeting.start, _meeting_end(meeting))]))
        summary = f"{council.genitive} møde {when}" + (f", {meeting.place}" if meeting.place else "") + "."
        if decided:
            summary += " Beslutninger: " + "; ".join(f"{item.number} {item.title}" for item in decided) + "."
        entries.append({
            "id": _tag(council, f"referat/{meeting.date.isoformat()}"),
            "title": document_title(REFERAT, meeting),
            "link": links.page(meeting_page(meeting)),
            "updated": _local(meeting.date, _meeting_end(meeting) or meeting.start),
            "summary": summary,
            "category": "Referat",
        })
    for release in press:
        entries.append({
            "id": _tag(council, f"presse/{outputs.press_stem(release)}"),
            "title": release.title,
            "link": links.page(press_page(release)),
            "updated": _local(release.date, None),
            "summary": release.lead,
            "category": "Pressemeddelelse",
        })
    entries.sort(key=lambda e: (e["updated"], e["id"]), reverse=True)
    entries = entries[:FEED_LIMIT]
    inputs = ("atom", council.slug, council.name, council.genitive, links.page("index.html"), links.base, entries)
    return _kept(table, inputs, lambda: _atom_text(council, links, entries))


def _atom_text(council: Council, links: _Links, entries: list[dict]) -> bytes:
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(_tag(council, "feed"))
    fg.title(f"{council.name}: referater og pressemeddelelser")
    fg.subtitle(f"Nye referater af {council.genitive} møder og rådets pressemeddelelser")
    fg.author({"name": council.name})
    fg.language("da")
    fg.link(href=links.page("index.html"), rel="alternate", type="text/html")
    if links.base:
        fg.link(href=links.base + FEED, rel="self", type="application/atom+xml")
    fg.generator("rardocs")
    # feedgen stamps the feed with the time of the build unless told: the newest entry's
    # date keeps the file the same from build to build.
    newest = entries[0]["updated"] if entries else _local(dt.date(int(_TAG_DATE), 1, 1), None)
    fg.updated(newest)
    fg.lastBuildDate(newest)
    for data in entries:
        entry = fg.add_entry(order="append")
        entry.id(data["id"])
        entry.title(data["title"])
        entry.link(href=data["link"], rel="alternate", type="text/html")
        entry.updated(data["updated"])
        entry.published(data["updated"])
        entry.summary(data["summary"])
        entry.category(term=data["category"], label=data["category"])
        entry.author({"name": council.name})
    return fg.atom_str(pretty=True)


# --- iCalendar ----------------------------------------------------------------

def _calendar(council: Council, meetings: list[Meeting], links: _Links, table: str = TABLES) -> bytes:
    """The meetings as events at their Danish local time: ``TZID=Europe/Copenhagen``
    with the zone's VTIMEZONE. Not floating time, which a calendar shows at the
    same clock time in any zone (wrong for a member abroad, and Outlook and Google
    treat it differently); not UTC, which would hide the local time from a reader
    of the file. Every major calendar app knows the IANA name, and Outlook needs
    the VTIMEZONE.

    The calendar's head and each event are written by icalendar on their own, kept
    (:func:`_kept`) while what they show is the same, and put together where icalendar
    puts them: a calendar is its properties' lines, its components' lines,
    ``END:VCALENDAR``."""
    years = [m.date.year for m in meetings] if any(m.start for m in meetings) else []
    head = _kept(table, ("calendar", council.name, min(years, default=None), max(years, default=None)),
                 lambda: _calendar_head(council, years))
    events = [_kept(table, _event_inputs(council, meeting, links), lambda m=meeting: _event(council, m, links).to_ical())
              for meeting in meetings]
    end = b"END:VCALENDAR\r\n"
    return head.removesuffix(end) + b"".join(events) + end


def _calendar_head(council: Council, years: list[int]) -> bytes:
    """The calendar without its events: its properties, and the zone's rules over
    ``years`` (of the meetings with a time) when there are any."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//rardocs//Rådsmøder//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{council.name}: rådsmøder")
    cal.add("x-wr-timezone", TIMEZONE)
    if years:
        # The zone's rules over the years of the meetings (and the next), not from 1970:
        # what the events need, and the same for the same meetings.
        cal.add_component(icalendar.Timezone.from_tzid(
            TIMEZONE, first_date=dt.date(min(years), 1, 1), last_date=dt.date(max(years) + 1, 12, 31)))
    return cal.to_ical()


def _event_inputs(council: Council, meeting: Meeting, links: _Links) -> tuple:
    """Everything :func:`_event` reads of ``meeting``."""
    return ("event", council.slug, council.name, meeting.date, meeting.start, _meeting_end(meeting), meeting.place,
            meeting.chair, meeting.has_decisions, links.absolute_page(meeting_page(meeting)),
            tuple((item.number, item.title, item.closed) for item in meeting.items))


def _event(council: Council, meeting: Meeting, links: _Links):
    """The meeting as an ``icalendar.Event``."""
    import icalendar

    event = icalendar.Event()
    event.add("uid", f"{meeting.date.isoformat()}@{council.slug}.rardocs")
    # DTSTAMP is when the event was made; the meeting's date (midnight UTC) is a
    # fixed stand-in, so the file is the same on every build.
    event.add("dtstamp", dt.datetime.combine(meeting.date, dt.time(0, 0), tzinfo=dt.UTC))
    event.add("summary", f"{council.name}: rådsmøde")
    if meeting.start:
        event.add("dtstart", _local(meeting.date, meeting.start))
        end = _meeting_end(meeting)
        if end:
            event.add("dtend", _local(meeting.date, end))
    else:  # a day without a time: an all-day event
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + dt.timedelta(days=1))
    if meeting.place:
        event.add("location", meeting.place)
    url = links.absolute_page(meeting_page(meeting))
    lines = []
    if url:
        event.add("url", url)
        documents = "dagsorden og referat" if meeting.has_decisions else "dagsorden"
        lines += [f"Mødets side med {documents}: {url}", ""]
    if meeting.chair:
        lines.append(f"Mødeleder: {meeting.chair}")
    lines.append("Dagsorden:")
    lines += [f"{item.number} {item.title}" + (f" ({CLOSED})" if item.closed else "") for item in meeting.items]
    event.add("description", "\n".join(lines))
    return event


# --- OParl JSON -----------------------------------------------------------------

def _data_path(meeting: Meeting) -> str:
    return f"{DATA}/{meeting.date.isoformat()}.json"


def _json(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _file(name: str, link: str | None, suffix: str) -> dict:
    """An OParl File: ``name`` and, when the file can be reached, ``accessUrl``."""
    data = {"type": _OPARL + "File", "name": name}
    if link:
        data["accessUrl"] = link
        if suffix in _MEDIA_TYPES:
            data["mimeType"] = _MEDIA_TYPES[suffix]
    return data


def _documents(meeting: Meeting, links: _Links) -> dict[str, list[dict]]:
    """The meeting's published documents that ``documents`` holds, by kind: Word, PDF, samlet PDF."""
    found: dict[str, list[dict]] = {}
    for kind in (DAGSORDEN, REFERAT, OPFOELGNINGSARK):
        word = outputs.document_path(kind, meeting)
        title = document_title(kind, meeting)
        candidates = [(word, title), (word.with_suffix(".pdf"), f"{title} (PDF)")]
        if kind != OPFOELGNINGSARK:
            candidates.append((outputs.combined_path(kind, meeting), f"{title} med bilag (PDF)"))
        found[kind] = [_file(name, link, path.suffix) for path, name in candidates
                       if (link := links.document(path))]
    return found


def _bilag_file(bilag: Bilag, meeting: Meeting, links: _Links) -> dict:
    link = bilag.url or (links.document(outputs.bilag_path(bilag, meeting)) if bilag.file else None)
    suffix = PurePosixPath(bilag.file).suffix.lower() if bilag.file else ""
    return {**_file(bilag.title, link, suffix), "rardocs:number": bilag.number}


def _oparl_meeting(meeting: Meeting, links: _Links) -> dict:
    documents = _documents(meeting, links)
    data: dict = {
        "type": _OPARL + "Meeting",
        "id": links.page(_data_path(meeting)),
        "name": f"{meeting.council.name}: rådsmøde {formatting.long_date(meeting.date)}",
        "meetingState": "referat" if meeting.has_decisions else "dagsorden",
        "start": _local(meeting.date, meeting.start).isoformat() if meeting.start else meeting.date.isoformat(),
    }
    end = _meeting_end(meeting)
    if meeting.start and end:
        data["end"] = _local(meeting.date, end).isoformat()
    if meeting.place:
        data["location"] = {"type": _OPARL + "Location", "description": meeting.place}
    data["web"] = links.page(meeting_page(meeting))
    if documents[DAGSORDEN]:
        data["invitation"] = documents[DAGSORDEN][0]
    if meeting.has_decisions and documents[REFERAT]:
        data["resultsProtocol"] = documents[REFERAT][0]
    extra = documents[DAGSORDEN][1:] + (documents[REFERAT][1:] if meeting.has_decisions else []) \
        + documents[OPFOELGNINGSARK]
    if extra:
        data["auxiliaryFile"] = extra
    data["rardocs:council"] = {"slug": meeting.council.slug, "name": meeting.council.name}
    if meeting.chair:
        data["rardocs:chair"] = meeting.chair
    data["agendaItem"] = [_agenda_item(meeting, section, item, order, links)
                          for order, (section, item) in enumerate(
                              ((s, i) for s in meeting.sections for i in s.items), start=1)]
    return data


def _agenda_item(meeting: Meeting, section, item: Item, order: int, links: _Links) -> dict:
    data = {
        "type": _OPARL + "AgendaItem",
        "id": links.page(_data_path(meeting), anchor(item.number)),
        "web": links.page(meeting_page(meeting), anchor(item.number)),
        "order": order,
        "number": item.number,
        "name": item.title,
        "public": not item.closed,
        "rardocs:section": {"number": section.number, "title": section.title},
    }
    if item.closed:  # number and title, as in the public documents: nothing of its content
        return data
    if item.kind:
        data["rardocs:kind"] = formatting.kind_label(item.kind)
    if item.category:
        data["keyword"] = [KINDS[item.category]]
    if item.standing:
        data["rardocs:standing"] = True
    fields = [{"name": f.name, "text": f.markdown.strip()} for f in item.fields
              if f.name != "Beslutning" and f.markdown.strip()]
    if fields:
        data["rardocs:field"] = fields
    if item.decision and item.decision.markdown.strip():
        data["resolutionText"] = item.decision.markdown.strip()
    if item.bilag:
        data["auxiliaryFile"] = [_bilag_file(b, meeting, links) for b in item.bilag]
    if item.actions:
        data["rardocs:followup"] = [
            {"action": a.action, "owner": a.owner, **({"due": a.due.isoformat()} if a.due else {}),
             "status": a.status}
            for a in item.actions]
    return data


_STRING = {"type": "string"}
_LINK = {"type": "string", "format": "uri-reference"}

_FILE = {
    "type": "object",
    "required": ["type", "name"],
    "additionalProperties": False,
    "properties": {
        "type": {"const": _OPARL + "File"},
        "name": _STRING,
        "accessUrl": _LINK,
        "mimeType": _STRING,
        "rardocs:number": _STRING,
    },
}

#: What a closed item may hold: nothing of its content.
_CLOSED_ITEM_PROPERTIES = ["type", "id", "web", "order", "number", "name", "public", "rardocs:section"]

#: The JSON Schema of ``data/<date>.json``: OParl 1.1's Meeting and AgendaItem with the
#: properties rardocs fills, and its own prefixed ``rardocs:``.
MEETING_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "moede.schema.json",
    "title": "Et rådsmøde med dagsorden (efter OParl 1.1 Meeting og AgendaItem)",
    "type": "object",
    "required": ["type", "id", "name", "start", "web", "agendaItem", "rardocs:council"],
    "additionalProperties": False,
    "properties": {
        "type": {"const": _OPARL + "Meeting"},
        "id": _LINK,
        "name": _STRING,
        "meetingState": {"enum": ["dagsorden", "referat"]},
        "start": {"type": "string", "anyOf": [{"format": "date-time"}, {"format": "date"}]},
        "end": {"type": "string", "format": "date-time"},
        "location": {
            "type": "object",
            "required": ["type", "description"],
            "additionalProperties": False,
            "properties": {"type": {"const": _OPARL + "Location"}, "description": _STRING},
        },
        "web": _LINK,
        "invitation": {"$ref": "#/$defs/File"},
        "resultsProtocol": {"$ref": "#/$defs/File"},
        "auxiliaryFile": {"type": "array", "items": {"$ref": "#/$defs/File"}},
        "rardocs:council": {
            "type": "object",
            "required": ["slug", "name"],
            "additionalProperties": False,
            "properties": {"slug": _STRING, "name": _STRING},
        },
        "rardocs:chair": _STRING,
        "agendaItem": {"type": "array", "items": {"$ref": "#/$defs/AgendaItem"}},
    },
    "$defs": {
        "File": _FILE,
        "AgendaItem": {
            "type": "object",
            "required": ["type", "id", "web", "order", "number", "name", "public"],
            "additionalProperties": False,
            "properties": {
                "type": {"const": _OPARL + "AgendaItem"},
                "id": _LINK,
                "web": _LINK,
                "order": {"type": "integer", "minimum": 1},
                "number": _STRING,
                "name": _STRING,
                "public": {"type": "boolean"},
                "rardocs:section": {
                    "type": "object",
                    "required": ["number", "title"],
                    "additionalProperties": False,
                    "properties": {"number": _STRING, "title": _STRING},
                },
                "rardocs:kind": _STRING,
                "keyword": {"type": "array", "items": {"enum": list(KINDS.values())}},
                "rardocs:standing": {"const": True},
                "rardocs:field": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "text"],
                        "additionalProperties": False,
                        "properties": {"name": _STRING, "text": _STRING},
                    },
                },
                "resolutionText": _STRING,
                "auxiliaryFile": {"type": "array", "items": {"$ref": "#/$defs/File"}},
                "rardocs:followup": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["action", "owner", "status"],
                        "additionalProperties": False,
                        "properties": {
                            "action": _STRING,
                            "owner": _STRING,
                            "due": {"type": "string", "format": "date"},
                            "status": {"enum": list(STATUSES)},
                        },
                    },
                },
            },
            # A closed item (public: false) holds its number and title only.
            "if": {"properties": {"public": {"const": False}}, "required": ["public"]},
            "then": {"propertyNames": {"enum": _CLOSED_ITEM_PROPERTIES}},
        },
    },
}
