"""The site's feeds: the Atom feed, the calendar and the meetings as OParl-shaped JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import xml.etree.ElementTree as ET
from urllib.parse import quote
from zoneinfo import ZoneInfo

import icalendar
import jsonschema
import pytest

from conftest import copy_example
from rardocs import load, outputs
from rardocs.kinds import DAGSORDEN, REFERAT
from rardocs.site.feeds import CALENDAR, FEED, SCHEMA, feed_files
from test_closed import SECRETS, plant_closed_item

BASE = "https://rar-bm.dk/rar-oestjylland/"
ATOM = "{http://www.w3.org/2005/Atom}"
ZONE = ZoneInfo("Europe/Copenhagen")


def documents_of(archive) -> dict[str, str]:
    """Every meeting's dagsorden and referat as the site would link them, and the file bilag."""
    links = {}
    for meeting in archive.meetings:
        for kind in (DAGSORDEN, REFERAT):
            path = outputs.document_path(kind, meeting)
            links[str(path)] = quote(f"filer/{path.name}")
            links[str(outputs.document_path(kind, meeting, internal=True))] = "filer/INTERN.docx"
        for item in meeting.items:
            for bilag in item.bilag:
                if bilag.file:
                    path = outputs.bilag_path(bilag, meeting)
                    links[str(path)] = quote(f"filer/{meeting.date}/{path.name}")
    return links


def files_of(root, base_url=BASE, change=None) -> dict[str, bytes]:
    archive, _ = load(root)
    if change:
        archive = change(archive)
    return feed_files(archive, archive.councils[0], base_url=base_url, documents=documents_of(archive))


@pytest.fixture(scope="module")
def example_root(tmp_path_factory):
    return copy_example(tmp_path_factory.mktemp("feeds") / "project")


@pytest.fixture(scope="module")
def files(example_root) -> dict[str, bytes]:
    return files_of(example_root)


def entries(feed: bytes) -> list[dict]:
    root = ET.fromstring(feed)
    assert root.tag == f"{ATOM}feed"
    return [{
        "id": e.findtext(f"{ATOM}id"),
        "title": e.findtext(f"{ATOM}title"),
        "updated": e.findtext(f"{ATOM}updated"),
        "link": e.find(f"{ATOM}link").get("href"),
        "summary": e.findtext(f"{ATOM}summary"),
    } for e in root.findall(f"{ATOM}entry")]


def test_the_files_of_the_site(files):
    assert sorted(files) == sorted([FEED, CALENDAR, SCHEMA, "data/2022-09-29.json", "data/2022-11-28.json"])


def test_atom_feed_holds_referater_and_press_releases_newest_first_with_absolute_links(files):
    root = ET.fromstring(files[FEED])
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "da"
    assert root.findtext(f"{ATOM}updated") == "2022-11-28T15:25:00+01:00"  # the newest entry, not the clock
    assert [(e["title"], e["link"], e["updated"]) for e in entries(files[FEED])] == [
        ("Referat af RAR Østjyllands møde den 28. november 2022", BASE + "moeder/2022-11-28/",
         "2022-11-28T15:25:00+01:00"),
        ("Fire nye kurser i grøn omstilling på positivlisten i Østjylland",
         BASE + "presse/2022-09-30%20Pressemeddelelse%20positivlisten/", "2022-09-30T00:00:00+02:00"),
        ("Referat af RAR Østjyllands møde den 29. september 2022", BASE + "moeder/2022-09-29/",
         "2022-09-29T16:05:00+02:00"),
        ("Stærkt samarbejde skaber ny uddannelse til lagerprocesoperatør",
         BASE + "presse/2022-09-21%20Pressemeddelelse%20lagerprocesoperatoer/", "2022-09-21T00:00:00+02:00"),
        ("Østjysk samarbejde skal sikre CNC-arbejdskraft til industrien",
         BASE + "presse/2022-09-20%20Pressemeddelelse%20cnc-arbejdskraft/", "2022-09-20T00:00:00+02:00"),
    ]
    first = entries(files[FEED])[2]
    assert first["id"] == "tag:rar-oestjylland.rardocs,2022:referat/2022-09-29"
    assert "2.1 Justering af positivlisten" in first["summary"]
    assert "Dagsorden for dagens møde" not in first["summary"]  # a standing item is no news
    self_link = [l.get("href") for l in root.findall(f"{ATOM}link") if l.get("rel") == "self"]
    assert self_link == [BASE + "feed.atom"]


def test_without_base_url_links_are_relative_and_ids_the_same(example_root, files):
    relative = files_of(example_root, base_url=None)
    feed = entries(relative[FEED])
    assert feed[0]["link"] == "moeder/2022-11-28/index.html"
    assert [e["id"] for e in feed] == [e["id"] for e in entries(files[FEED])]
    assert not any(link.get("rel") == "self" for link in ET.fromstring(relative[FEED]).findall(f"{ATOM}link"))
    event = icalendar.Calendar.from_ical(relative[CALENDAR]).walk("VEVENT")[0]
    assert "URL" not in event and "moeder/" not in str(event["DESCRIPTION"])
    data = json.loads(relative["data/2022-09-29.json"])
    assert data["id"] == "2022-09-29.json"  # relative to data/, where the file lies
    assert data["web"] == "../moeder/2022-09-29/index.html"
    assert data["agendaItem"][5]["web"] == "../moeder/2022-09-29/index.html#punkt-2-1"
    assert data["resultsProtocol"]["accessUrl"] == "../filer/2022-09-29%20Referat%20RAR%20%C3%98stjylland.docx"


def test_a_meeting_without_decisions_has_no_referat_entry(example_root):
    def undecided(archive):
        def strip(meeting):
            if meeting.date != dt.date(2022, 11, 28):
                return meeting
            sections = tuple(dataclasses.replace(s, items=tuple(
                dataclasses.replace(i, fields=tuple(f for f in i.fields if f.name != "Beslutning")) for i in s.items))
                for s in meeting.sections)
            return dataclasses.replace(meeting, sections=sections)
        return dataclasses.replace(archive, meetings=tuple(strip(m) for m in archive.meetings))

    files = files_of(example_root, change=undecided)
    titles = [e["title"] for e in entries(files[FEED])]
    assert "Referat af RAR Østjyllands møde den 28. november 2022" not in titles
    assert "Referat af RAR Østjyllands møde den 29. september 2022" in titles
    data = json.loads(files["data/2022-11-28.json"])
    assert data["meetingState"] == "dagsorden" and "resultsProtocol" not in data
    assert not any("resolutionText" in item for item in data["agendaItem"])
    event = next(e for e in icalendar.Calendar.from_ical(files[CALENDAR]).walk("VEVENT")
                 if e["UID"] == "2022-11-28@rar-oestjylland.rardocs")
    assert event.decoded("DTEND") == dt.datetime(2022, 11, 28, 15, 30, tzinfo=ZONE)  # the planned end


def test_calendar_holds_every_meeting_in_local_time_with_the_link_in_the_description(files):
    calendar = icalendar.Calendar.from_ical(files[CALENDAR])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert sorted(events) == ["2022-09-29@rar-oestjylland.rardocs", "2022-11-28@rar-oestjylland.rardocs"]
    september = events["2022-09-29@rar-oestjylland.rardocs"]
    assert september.decoded("DTSTART") == dt.datetime(2022, 9, 29, 13, 0, tzinfo=ZONE)
    assert september.decoded("DTEND") == dt.datetime(2022, 9, 29, 16, 5, tzinfo=ZONE)
    assert september["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert september.decoded("DTSTART").utcoffset() == dt.timedelta(hours=2)  # summer time
    november = events["2022-11-28@rar-oestjylland.rardocs"]
    assert november.decoded("DTSTART") == dt.datetime(2022, 11, 28, 13, 0, tzinfo=ZONE)
    assert november.decoded("DTEND") == dt.datetime(2022, 11, 28, 15, 25, tzinfo=ZONE)
    assert november.decoded("DTSTART").utcoffset() == dt.timedelta(hours=1)
    assert str(september["SUMMARY"]) == "RAR Østjylland: rådsmøde"
    assert str(september["LOCATION"]) == "Arbejdsmarkedskontor Midt-Nord, Aarhus"
    assert str(september["URL"]) == BASE + "moeder/2022-09-29/"
    assert BASE + "moeder/2022-09-29/" in str(september["DESCRIPTION"])
    assert "2.1 Justering af positivlisten" in str(september["DESCRIPTION"])
    assert september.decoded("DTSTAMP") == dt.datetime(2022, 9, 29, tzinfo=dt.UTC)


def test_every_meeting_json_validates_against_the_schema(files):
    schema = json.loads(files[SCHEMA])
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    meetings = [name for name in files if name.startswith("data/") and name != SCHEMA]
    assert meetings
    for name in meetings:
        validator.validate(json.loads(files[name]))


def test_meeting_json_is_shaped_after_oparl(files):
    data = json.loads(files["data/2022-09-29.json"])
    assert data["type"] == "https://schema.oparl.org/1.1/Meeting"
    assert data["id"] == BASE + "data/2022-09-29.json"
    assert (data["start"], data["end"]) == ("2022-09-29T13:00:00+02:00", "2022-09-29T16:05:00+02:00")
    assert data["location"]["description"] == "Arbejdsmarkedskontor Midt-Nord, Aarhus"
    assert data["resultsProtocol"]["accessUrl"] == BASE + "filer/2022-09-29%20Referat%20RAR%20%C3%98stjylland.docx"
    assert data["invitation"]["name"] == "Dagsorden for RAR Østjyllands møde den 29. september 2022"
    item = next(i for i in data["agendaItem"] if i["number"] == "2.1")
    assert item["name"] == "Justering af positivlisten for regional uddannelsespulje pr. 1. oktober 2022"
    assert item["public"] is True
    assert item["web"] == BASE + "moeder/2022-09-29/#punkt-2-1"
    assert item["resolutionText"].startswith("Rådet")
    assert item["keyword"] == ["beslutning"]
    assert item["auxiliaryFile"] and all(f["type"] == "https://schema.oparl.org/1.1/File" for f in item["auxiliaryFile"])
    assert "INTERN" not in files["data/2022-09-29.json"].decode()


def test_a_closed_items_words_are_in_no_feed(tmp_path):
    root = copy_example(tmp_path / "project")
    plant_closed_item(root)
    files = files_of(root)
    for name, content in files.items():
        text = content.decode("utf-8")
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked into {name}"
    # The calendar folds long lines: unfolded, the secrets are not there either.
    description = "".join(str(e["DESCRIPTION"]) for e in icalendar.Calendar.from_ical(files[CALENDAR]).walk("VEVENT"))
    assert not any(secret in description for secret in SECRETS)
    assert "2.2 Indsats vedrørende overvågning af jobordrer og virksomhedsservice (Lukket punkt)" in description
    item = next(i for i in json.loads(files["data/2022-09-29.json"])["agendaItem"] if i["number"] == "2.2")
    assert item["public"] is False
    assert set(item) <= {"type", "id", "web", "order", "number", "name", "public", "rardocs:section"}
    feed = entries(files[FEED])
    assert not any("overvågning af jobordrer" in e["summary"] for e in feed)


def test_the_schema_refuses_a_closed_item_with_content(files):
    schema = json.loads(files[SCHEMA])
    data = json.loads(files["data/2022-09-29.json"])
    data["agendaItem"][6]["public"] = False  # 2.2, with its decision and bilag
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)


def test_the_same_input_gives_the_same_bytes(example_root, files, tmp_path):
    assert files_of(example_root) == files
    assert files_of(copy_example(tmp_path / "again")) == files


def test_the_calendar_is_what_icalendar_writes_of_it_whole(example_root, files, tmp_path):
    """The calendar's head and events are written one by one (and kept between builds);
    the calendar must be the bytes icalendar writes of the whole calendar, events and
    time zone and all, and what is kept from the last build the same as what is made now."""
    from rardocs import memo
    from rardocs.site.feeds import _calendar, _Links

    archive, _ = load(example_root)
    council = archive.councils[0]
    links = _Links(BASE, documents_of(archive))
    whole = icalendar.Calendar.from_ical(files[CALENDAR])
    assert len(whole.walk("VEVENT")) == len(archive.meetings) and whole.walk("VTIMEZONE")
    assert files[CALENDAR] == whole.to_ical()
    for _ in range(2):  # made, then kept
        with memo.session(tmp_path / "cache", b"salt"):
            assert _calendar(council, list(archive.meetings), links) == files[CALENDAR]
            assert memo.active().hits == (0 if _ == 0 else 1 + len(archive.meetings))


def test_a_feed_is_made_again_when_what_it_shows_changes_and_only_then(example_root, tmp_path, monkeypatch):
    """The feeds are kept by everything they show: the same inputs are not written again
    (nor icalendar and feedgen imported), and any change of what they show is."""
    import sys

    from rardocs import memo

    archive, _ = load(example_root)

    def made(change=lambda archive: archive) -> tuple[dict[str, bytes], int]:
        changed = change(archive)
        with memo.session(tmp_path / "cache", b"salt") as store:
            result = feed_files(changed, changed.councils[0], base_url=BASE, documents=documents_of(changed))
        return result, store.misses

    first, misses = made()
    assert misses == 1 + 1 + 2  # the atom feed, the calendar's head, two events
    monkeypatch.setitem(sys.modules, "icalendar", None)  # imported now, it would fail
    monkeypatch.setitem(sys.modules, "feedgen.feed", None)
    assert made() == (first, 0)

    def new_chair(archive):
        meeting = dataclasses.replace(archive.meetings[0], chair="Et nyt navn")
        return dataclasses.replace(archive, meetings=(meeting, *archive.meetings[1:]))

    monkeypatch.undo()
    changed, misses = made(new_chair)  # the chair is in the meeting's event, not in the atom feed
    assert misses == 1 and b"Et nyt navn" in changed[CALENDAR] and changed[FEED] == first[FEED]
    assert icalendar.Calendar.from_ical(changed[CALENDAR]).to_ical() == changed[CALENDAR]
