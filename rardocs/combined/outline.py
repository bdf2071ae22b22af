"""Navigation: the document's headings read from its bookmarks; the samlet PDF's
bookmarks, its links to bilag, page labels and document information."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .attachment import BROKEN, Part

#: The contents' heading, and its bookmark.
CONTENTS = "Indhold"


@dataclass
class Heading:
    """An entry of the document's outline: a section or an item."""

    level: int
    title: str
    page: int  # index in the document
    destination: Array


def document_headings(pdf: pikepdf.Pdf) -> list[Heading]:
    """The headings of the document's bookmarks that lead to a page (none when they cannot be read)."""
    try:
        with pdf.open_outline(strict=False) as outline:
            return [Heading(level, item.title, page, destination)
                    for level, item, destination, page in walk(pdf, outline.root)]
    except BROKEN:
        return []


def walk(pdf: pikepdf.Pdf, items, pages: dict | None = None, level: int = 0):
    """(level, item, destination, page index) of each bookmark that leads to a page, in order."""
    if pages is None:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    for item in items:
        destination = _destination(pdf, item)
        if destination is not None and destination[0].objgen in pages:
            yield level, item, destination, pages[destination[0].objgen]
        yield from walk(pdf, item.children, pages, level + 1)


def _destination(pdf: pikepdf.Pdf, item: pikepdf.OutlineItem) -> Array | None:
    destination = item.destination
    if destination is None and item.action is not None and item.action.get("/S") == Name.GoTo:
        destination = item.action.get("/D")
    if isinstance(destination, (String, Name)) and "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        destination = pikepdf.NameTree(pdf.Root.Names.Dests).get(str(destination))
    if isinstance(destination, Dictionary):
        destination = destination.get("/D")
    if isinstance(destination, Array) and len(destination) and isinstance(destination[0], Dictionary):
        return destination
    return None


def _item_number(title: str) -> str:
    return title.split(maxsplit=1)[0] if title.strip() else ""


def item_index(headings: list[Heading]) -> dict[str, int]:
    """Item number → index of its heading: ``2.1 Titel`` is item 2.1; ``2. Afsnit`` only when no heading is exactly it."""
    items: dict[str, int] = {}
    for index, heading in enumerate(headings):
        items.setdefault(_item_number(heading.title), index)
    for index, heading in enumerate(headings):
        items.setdefault(_item_number(heading.title).rstrip("."), index)
    return items


def link_bilag(pages: list[pikepdf.Page], parts: list[Part]) -> None:
    """The document's links to bilag files lead to the bilag's first page instead."""
    first = {unquote(part.attachment.link): part.pages[0] for part in parts if part.attachment.link and part.pages}
    for page in pages:
        for annotation in page.obj.get("/Annots", Array()):
            action = annotation.get("/A") if isinstance(annotation, Dictionary) else None
            if isinstance(action, Dictionary) and action.get("/S") == Name.URI:
                target = first.get(unquote(str(action.get("/URI", ""))))
                if target is not None:
                    del annotation["/A"]
                    annotation.Dest = Array([target.obj, Name.Fit])


def add_bookmarks(pdf: pikepdf.Pdf, parts: list[Part], headings: list[Heading]) -> None:
    """The document's bookmarks, with "Indhold" first and each bilag's under its item."""
    items = item_index(headings)
    with pdf.open_outline(strict=False) as outline:
        found = [item for _, item, _, _ in walk(pdf, outline.root)] if headings else []
        homeless = []
        for part in parts:
            if part.bilag is None:
                continue
            mark = pikepdf.OutlineItem(part.label, Array([part.pages[0].obj, Name.Fit]))
            index = items.get(part.attachment.item_number)
            (found[index].children if index is not None else homeless).append(mark)
        outline.root.insert(0, pikepdf.OutlineItem(CONTENTS, Array([pdf.pages[0].obj, Name.Fit])))
        outline.root.extend(homeless)


def finish(pdf: pikepdf.Pdf, title: str, stamp_date: dt.date, contents_pages: int) -> None:
    """Page labels, title shown, language, and every date from ``stamp_date``: the same bytes every time."""
    pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.r), contents_pages, Dictionary(S=Name.D)]))
    preferences = pdf.Root.get("/ViewerPreferences")
    if not isinstance(preferences, Dictionary):
        pdf.Root.ViewerPreferences = preferences = Dictionary()
    preferences.DisplayDocTitle = True
    pdf.Root.Lang = String("da-DK")
    pdf.Root.PageMode = Name.UseOutlines
    pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.XYZ, None, None, 0])
    when = dt.datetime.combine(stamp_date, dt.time(12, 0))
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:title"] = title
        xmp["xmp:CreateDate"] = xmp["xmp:ModifyDate"] = xmp["xmp:MetadataDate"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        xmp["xmp:CreatorTool"] = "rardocs"
        for key in ("xmpMM:DocumentID", "xmpMM:InstanceID", "{http://www.aiim.org/pdfua/ns/id/}part"):
            if key in xmp:
                del xmp[key]
    pdf.docinfo["/Title"] = String(title)
    pdf.docinfo["/CreationDate"] = pdf.docinfo["/ModDate"] = String(when.strftime("D:%Y%m%d%H%M%SZ"))
    pdf.docinfo["/Creator"] = String("rardocs")
    for varies in ("/ID", "/DocChecksum"):
        if varies in pdf.trailer:
            del pdf.trailer[varies]
