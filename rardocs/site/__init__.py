"""A council's static web site: its meetings, decisions, follow-up and press releases
as HTML pages with search, made in memory from the same model as the documents.

The site lives in ``output/<council>/web/`` and works from ``file://``: every link
is relative and names ``index.html``, nothing is fetched from elsewhere, and the
search index is a script (``search-index.js``), not JSON a browser would refuse to
load from disk. Pages (under the site root):

- ``index.html``: the council, the newest meeting (»Næste møde« when it has no
  referat yet, else »Seneste møde«: the build date plays no part, so the same
  content gives the same site), the latest meetings and press releases;
- ``moeder/index.html``: every meeting by year, newest first, with its documents;
- ``moeder/<date>/index.html``: the referat (once the meeting has decisions, else
  the dagsorden) as HTML, each item at ``#punkt-2-1``;
- ``beslutninger/index.html``: every decision, filterable by year and category;
- ``opfoelgning/index.html``: the open follow-up actions as of the newest meeting;
- ``presse/index.html`` and ``presse/<date>-<name>/index.html``: the press releases;
- ``soeg/index.html``: search (:mod:`.search`);
- ``style.css``, ``search.js``, ``beslutninger.js``, ``search-index.js``.

A closed item is its number, title and "Lukket punkt" on its meeting page and
nowhere else: not in the decisions, the follow-up, the search index or a file name.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import quote

from .. import memo, outputs
from ..model import Archive, Council
from . import pages, search
from .search import compact, prepared, rank, words
from .templates import STATIC
from .templates import templates as kept_templates

__all__ = ["documents_for", "rank", "search_index", "site_files", "words"]

#: How many meetings and press releases the front page lists.
RECENT = 5

NAV = (("index.html", "Forside"), ("moeder/index.html", "Møder"), ("beslutninger/index.html", "Beslutninger"),
       ("opfoelgning/index.html", "Opfølgning"), ("presse/index.html", "Presse"), ("soeg/index.html", "Søg"))


def site_files(archive: Archive, council: Council, *, documents: dict[str, str],
               template_folder: Path | None, meeting_keys: dict[str, str] | None = None,
               unchanged=None, made_from: dict[str, str] | None = None, into: dict | None = None
               ) -> dict[str, bytes | None]:
    """Every file of ``council``'s site: relative POSIX path under the site root → bytes.

    ``documents`` names the published files the site may link, as the feeds
    (:func:`rardocs.site.feeds.feed_files`) take them: each file's path in
    ``output/`` as :mod:`rardocs.outputs` names it → its link relative to the
    site's root, for example ``{"rar-oestjylland/2022-09-29/2022-09-29 Referat RAR
    Østjylland.docx": "../2022-09-29/2022-09-29%20Referat%20RAR%20%C3%98stjylland.docx"}``.
    The site links the Word files, the PDFs beside them, the samlet PDFs
    (:func:`~rardocs.outputs.combined_path`), the copied bilag files
    (:func:`~rardocs.outputs.bilag_path`) and the press releases' .docx, .pdf and
    .txt that it holds, and nothing else; :func:`documents_for` makes it from a
    list of the files in ``output/``. ``template_folder`` is the council's own
    ``content/<council>/templates/web/`` (its files override the defaults by name), or
    ``None``.

    What is made of one meeting is not made again when nothing it is made from
    changed. ``meeting_keys`` gives, by date (``"2022-09-29"``), a hash of everything
    a meeting's part of the site is made from except ``documents`` (the builder's
    fingerprint of its unit). With it, a meeting's search entries and decisions are
    kept between builds (:mod:`rardocs.memo`), and its page is made only when
    ``unchanged(path, key)`` says the file in ``output/`` was not made from ``key``:
    else its value is ``None`` (keep the file). ``made_from``, if given, receives
    each such page's ``key``. ``into``, if given, is the mapping the files are put
    in as they are made (one that writes each away at once keeps memory flat) and
    the result. Writes nothing itself; raises :class:`~rardocs.errors.TemplateError`
    for a template with a mistake.
    """
    templates = kept_templates(template_folder)
    meetings = [m for m in archive.meetings if m.council.slug == council.slug]
    releases = sorted((r for r in archive.press if r.council.slug == council.slug),
                      key=lambda r: (r.date, r.slug), reverse=True)
    newest_first = sorted(meetings, key=lambda m: m.date, reverse=True)
    files: dict[str, bytes | None] = into if into is not None else {}
    kept = Kept(council, meeting_keys, documents, unchanged, made_from, template_folder)

    def render(path: str, template: str, title: str, /, **data) -> bytes:
        base = {"root": pages.depth(path)}
        nav = [{"href": base["root"] + href, "text": text, "current": href == path or
                (href != "index.html" and path.startswith(href.split("/")[0] + "/"))} for href, text in NAV]
        return templates.render(template, {
            "council": {"name": council.name, "genitive": council.genitive, "about": council.about},
            "page_title": title, "nav": nav, **base, **data})

    def page(path: str, template: str, title: str, /, **data) -> None:
        # A page over all meetings (the lists, the decisions, the follow-up) is made
        # again only when what it shows changed: an edit of an item's text does not.
        key = kept.page_key(path, template, title, data)
        if key is not None and kept.unchanged is not None and kept.unchanged(path, key):
            files[path] = None
            return
        files[path] = render(path, template, title, **data)

    def meeting_page(meeting) -> bytes:
        data = pages.meeting_data(meeting, documents)
        return render(pages.meeting_page(meeting), "moede.html", data.pop("heading"),
                      **{k: v for k, v in data.items() if k not in ("root", "council")})

    def summary(meeting, page: str) -> dict:  # of the meeting and its folder's documents (Kept's key)
        return kept("summary", meeting, lambda m, p: pages.meeting_summary(m, documents, p), page)

    newest = newest_first[0] if newest_first else None
    page("index.html", "forside.html", council.name,
         newest=summary(newest, "index.html") if newest else None,
         newest_label="Seneste møde" if newest is None or newest.has_decisions else "Næste møde",
         meetings=[summary(m, "index.html") for m in newest_first[:RECENT]],
         press=[pages.press_summary(r, documents, "index.html") for r in releases[:RECENT]])
    years: dict[int, list] = {}
    for meeting in newest_first:
        years.setdefault(meeting.date.year, []).append(summary(meeting, "moeder/index.html"))
    page("moeder/index.html", "moeder.html", "Møder", years=[{"year": y, "meetings": ms} for y, ms in years.items()])
    # All that is made of a meeting's texts is made together: its page, decisions and search
    # entries read the same Markdown, kept read for a few meetings (markdown.reader._read),
    # not for all (made one kind at a time for every meeting, each text was read twice).
    decided, searched = {}, {}
    for meeting in meetings:
        path = pages.meeting_page(meeting)
        files[path] = kept.file(path, meeting, meeting_page)
        decided[meeting.date] = kept("decisions", meeting, pages.meeting_decisions, "beslutninger/index.html")
        searched[meeting.date] = kept("search", meeting, _search_part)
    decisions = [row for meeting in newest_first for row in decided[meeting.date]]
    page("beslutninger/index.html", "beslutninger.html", "Beslutninger", decisions=decisions,
         years=sorted({d["year"] for d in decisions}, reverse=True),
         categories=[{"letter": k, "name": n} for k, n in pages.KINDS.items()
                     if any(d["category"] == k for d in decisions)])
    page("opfoelgning/index.html", "opfoelgning.html", "Opfølgning",
         **pages.followup_rows(archive, council, meetings, "opfoelgning/index.html"))
    page("presse/index.html", "presse.html", "Presse",
         releases=[pages.press_summary(r, documents, "presse/index.html") for r in releases])
    for release in releases:
        data = pages.press_data(release, documents)
        path = pages.press_page(release)
        page(path, "pressemeddelelse.html", release.title,
             release={k: v for k, v in data.items() if k not in ("root", "council")})
    page("soeg/index.html", "soeg.html", "Søg")
    files["search-index.js"] = search.script([*kept.search_parts(newest_first, searched),
                                              search.part(prepared(entry) for entry in map(pages.press_entry, releases))])
    for name in STATIC:
        files[name] = templates.static(name)
    kept.prune()
    return files


def search_index(meetings, releases) -> dict:
    """The search index (:mod:`.search`) of the meetings' public items and the press
    releases, newest meeting first, as :func:`.search.rank` reads it. The site writes the
    same as ``search-index.js``, joined from each meeting's part (:meth:`Kept.search_parts`)."""
    entries = [found for meeting in sorted(meetings, key=lambda m: m.date, reverse=True)
               for found in _searched(meeting)]
    entries += [prepared(entry) for entry in map(pages.press_entry, releases)]
    return compact(entries)


def _searched(meeting) -> list[tuple[list[str], tuple[str, ...], bytes | tuple[int, ...]]]:
    """A meeting's search entries as the index keeps them (:func:`.search.prepared`)."""
    return [prepared(entry) for entry in pages.item_entries(meeting)]


def _search_part(meeting) -> search.Part:
    """A meeting's part of the search index (:func:`.search.part`)."""
    return search.part(_searched(meeting))


#: How many meetings' parts of the search index are joined and kept as one
#: (:meth:`Kept.search_parts`).
SEARCH_CHUNK = 16


#: The memo tables of what is kept of each meeting: ``site/<council>/<date>``.
TABLES = "site"


class Kept:
    """What is made of one meeting, not made again while the meeting's hash
    (``meeting_keys``) and the documents of its folder stay the same; made anew
    without a hash. See :func:`site_files`."""

    def __init__(self, council: Council, meeting_keys: dict[str, str] | None, documents: dict[str, str],
                 unchanged=None, made_from: dict[str, str] | None = None, template_folder: Path | None = None):
        self.council = council
        self.template_folder = template_folder
        self.meeting_keys = meeting_keys or {}
        self.unchanged = unchanged
        self.made_from = made_from if made_from is not None else {}
        self.by_folder: dict[str, list] = {}
        for path, link in documents.items():
            self.by_folder.setdefault("/".join(path.split("/")[:2]), []).append((path, link))

    def key(self, meeting, *arguments) -> bytes | None:
        fingerprint = self.meeting_keys.get(meeting.date.isoformat())
        if fingerprint is None:
            return None
        own = tuple(self.by_folder.get(f"{meeting.council.slug}/{meeting.date.isoformat()}", ()))
        return memo.key(fingerprint, own, *arguments)

    def __call__(self, name: str, meeting, make, *arguments):
        """``make(meeting, *arguments)``, kept under ``name`` in the meeting's table
        (``arguments`` are part of the key): one small file a meeting for all that is
        kept of it (search entries, decisions, its line in the lists of meetings), so that
        an edit saves one again and a build reads one a meeting.
        ``make`` may use of ``documents`` only those in the meeting's folder."""
        key = self.key(meeting, name, *arguments)
        if key is None or memo.active() is None:
            return make(meeting, *arguments)
        return memo.active().get(f"{TABLES}/{self.council.slug}/{meeting.date.isoformat()}", key,
                                 lambda: make(meeting, *arguments))

    def file(self, path: str, meeting, make, *arguments) -> bytes | None:
        """The file at ``path``, ``make(meeting, *arguments)``; ``None`` when the file
        made last time was made from the same."""
        key = self.key(meeting, path, *arguments)
        if key is None:
            return make(meeting, *arguments)
        self.made_from[path] = key = key.hex()
        if self.unchanged is not None and self.unchanged(path, key):
            return None
        return make(meeting, *arguments)

    @functools.cached_property
    def own_templates(self) -> tuple[tuple[str, bytes], ...]:
        """The council's own web templates by name and content (looked at once a site)."""
        folder = self.template_folder
        if folder is None or not folder.is_dir():
            return ()
        return tuple((p.name, memo.file_digest(p)) for p in sorted(folder.iterdir()) if p.is_file())

    def page_key(self, path: str, template: str, title: str, data: dict) -> str | None:
        """The key of a page made from ``data`` with ``template``: everything it shows
        (the data, the council's name and about text), the web templates (the council's
        own, by content; the defaults with rardocs, in the cache's salt) and the page's
        place. ``None`` without a cache (a page is then always made). Recorded in
        ``made_from``."""
        if not self.meeting_keys or memo.active() is None:
            return None
        council = (self.council.name, self.council.genitive, self.council.about)
        key = memo.key("page", path, template, title, council, self.own_templates, memo.active().salt,
                       memo.digest(data)).hex()
        self.made_from[path] = key
        return key

    def search_parts(self, newest_first: list, parts: dict) -> list[search.Part]:
        """The meetings' parts of the search index (``parts``, by date), joined
        :data:`SEARCH_CHUNK` meetings at a time and kept by those meetings' keys, newest
        first. The chunks are counted from the oldest meeting, so that a new meeting
        changes the newest chunk only: an edit joins one chunk's meetings again and then
        the chunks, a few thousand words each, not every entry's words."""
        oldest_first = newest_first[::-1]
        chunks = [oldest_first[n:n + SEARCH_CHUNK][::-1] for n in range(0, len(oldest_first), SEARCH_CHUNK)]
        result = []
        for chunk in reversed(chunks):
            own = [parts[meeting.date] for meeting in chunk]
            keys = [self.key(meeting, "search") for meeting in chunk]
            if memo.active() is None or None in keys:
                result.append(search.joined(own))
            else:
                result.append(memo.active().get(f"{TABLES}/{self.council.slug}/search", memo.key("search", *keys),
                                                lambda own=own: search.joined(own)))
        return result

    def prune(self) -> None:
        """Drop the kept tables of meetings that are gone (every meeting's were just used)."""
        if memo.active() is not None and self.meeting_keys:
            memo.active().prune(f"{TABLES}/{self.council.slug}")


def documents_for(council: Council, archive: Archive, paths) -> dict[str, str]:
    """The ``documents`` of :func:`site_files` (and of the feeds) for ``council``:
    those of ``paths`` (files in ``output/``, relative POSIX paths, that exist or
    will) in the council's folder, each → its link from the site's root
    (``output/<council>/web/``). Internal files, and a closed item's bilag should
    one be among ``paths``, are left out."""
    closed = {str(outputs.bilag_path(bilag, meeting)) for meeting in archive.meetings
              if meeting.council.slug == council.slug for item in meeting.items if item.closed
              for bilag in item.bilag if bilag.file}
    found = {}
    for path in map(str, paths):
        slug, _, inside = path.partition("/")
        if slug == council.slug and inside and not outputs.is_internal(path) and path not in closed:
            found[path] = "../" + quote(inside)
    return dict(sorted(found.items()))
