"""The contents ("Indhold"): its entries (the document's headings with each item's
bilag), their layout on pages, and those pages put first, linked and tagged."""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .attachment import Part
from .fonts import show, text_width, wrap
from .outline import CONTENTS, Heading, item_index
from .tags import Tags, marked


@dataclass
class _Entry:
    """A line of the contents."""

    level: int  # 0 a section, 1 an item, 2 a bilag
    text: str
    page: int | None  # the number shown
    target: Array | int | str | None = None  # a destination, a page number or a web address
    note: str = ""


def contents_entries(headings: list[Heading], parts: list[Part]) -> list[_Entry]:
    """The lines of the contents: the document's headings with each item's bilag after
    the item (and the headings within it)."""
    entries = [_Entry(min(h.level, 1), h.title, h.page + 1, h.destination) for h in headings]
    items = item_index(headings)
    placed: dict[int, list[_Entry]] = {}
    homeless: list[_Entry] = []
    for part in parts:
        entry = _bilag_entry(part)
        index = items.get(part.attachment.item_number)
        if index is None:
            homeless.append(entry)
            continue
        last = index
        while last + 1 < len(headings) and headings[last + 1].level > headings[index].level:
            last += 1
        placed.setdefault(last, []).append(entry)
    result = []
    for index, entry in enumerate(entries):
        result.append(entry)
        result += placed.get(index, [])
    if homeless:
        result.append(_Entry(0, "Bilag", None))
        result += homeless
    return result


def _bilag_entry(part: Part) -> _Entry:
    attachment = part.attachment
    if part.bilag is not None:
        return _Entry(2, part.label, part.first, part.first)
    if attachment.url:
        return _Entry(2, part.label, None, attachment.url, note=f"på internettet: {attachment.url}")
    if part.has_file:
        return _Entry(2, part.label, None, note="kunne ikke sættes ind")
    return _Entry(2, part.label, None, note="ikke vedlagt")


@dataclass
class _Run:
    """Text drawn on a contents page: its lines, and what it belongs to in the structure."""

    font: str
    size: float
    lines: list[tuple[float, float, str]]  # x, y, text
    owner: tuple  # ("title",), ("heading",), ("entry", n, "text"|"page"), ("artifact",)
    gray: float = 0.0


@dataclass
class _Page:
    runs: list[_Run] = field(default_factory=list)
    links: list[tuple[tuple[float, float, float, float], int]] = field(default_factory=list)  # rect, entry


def lay_out(entries: list[_Entry], title: str, mediabox) -> list[_Page]:
    """The contents pages (text positions only: page numbers are known before, page objects after)."""
    left, top, bottom, column = 70.85, 70.85, 56.7, 28.0
    width, height = float(mediabox[2]) - float(mediabox[0]), float(mediabox[3]) - float(mediabox[1])
    right = width - left
    pages = [_Page()]
    y = height - top
    for line in wrap(title, "/F2", 16, right - left):
        y -= 20
        pages[0].runs.append(_Run("/F2", 16, [(left, y, line)], ("title",)))
    y -= 30
    pages[0].runs.append(_Run("/F2", 13, [(left, y, CONTENTS)], ("heading",)))
    y -= 8
    for index, entry in enumerate(entries):
        font, size = ("/F2", 10.5) if entry.level == 0 else ("/F1", 10.5 if entry.level == 1 else 10)
        indent = left + (0, 14, 34)[entry.level]
        lines = wrap(entry.text, font, size, right - column - indent)
        notes = wrap(entry.note, "/F1", 9, right - indent - 12) if entry.note else []
        need = 15 * len(lines) + 12 * len(notes) + (6 if entry.level == 0 else 0)
        if y - need < bottom:
            pages.append(_Page())
            y = height - top
        y -= 6 if entry.level == 0 else 0
        first = y - 15
        placed = [(indent, first - 15 * n, line) for n, line in enumerate(lines)]
        y = first - 15 * (len(lines) - 1)
        page = pages[-1]
        page.runs.append(_Run(font, size, placed, ("entry", index, "text")))
        if entry.page is not None:
            number = str(entry.page)
            end = indent + text_width(lines[-1], font, size) + 4
            start = right - text_width(number, font, size)
            dots = "." * max(0, int((start - 4 - end) / text_width(".", "/F1", size)))
            if dots:
                page.runs.append(_Run("/F1", size, [(start - 4 - text_width(dots, "/F1", size), y, dots)], ("artifact",), 0.5))
            page.runs.append(_Run(font, size, [(start, y, number)], ("entry", index, "page")))
        if notes:
            page.runs.append(_Run("/F1", 9, [(indent + 12, y - 12 * (n + 1), note) for n, note in enumerate(notes)],
                                  ("entry", index, "text"), 0.25))
            y -= 12 * len(notes)
        if entry.target is not None:
            page.links.append(((indent - 2, y - 4, right + 2, first + size + 2), index))
    return pages


def insert_contents(pdf: pikepdf.Pdf, layout: list[_Page], entries: list[_Entry], fonts, tags: Tags | None) -> None:
    """Put the contents pages first; a numbered page n is then ``pdf.pages[len(layout) + n - 1]``."""
    first = len(layout)
    media = Array([float(v) for v in pdf.pages[0].mediabox])
    owners: dict[tuple, Dictionary] = {}
    toc = None
    if tags is not None:
        section = tags.element(pdf, "/Sect", tags.parent, T=String(CONTENTS))
        tags.parent.K.insert(0, tags.parent.K.pop())  # the contents come first in reading order too
        owners[("title",)] = tags.element(pdf, "/H1", section)
        owners[("heading",)] = tags.element(pdf, "/H2", section)
        toc = tags.element(pdf, "/TOC", section)
    for number, draft in enumerate(layout):
        page = pikepdf.Page(pdf.make_indirect(Dictionary(
            Type=Name.Page, MediaBox=media, Resources=Dictionary(Font=Dictionary(F1=fonts["/F1"], F2=fonts["/F2"])))))
        pdf.pages.insert(number, page)
        page = pdf.pages[number]
        ops, parents = [], []
        for run in draft.runs:
            body = show(Name(run.font), run.size, run.lines, run.gray)
            if tags is None:
                ops += body
            elif run.owner == ("artifact",):
                ops += marked("/Artifact", None, body)
            else:
                owner = _owner(pdf, tags, owners, toc, run.owner, entries)
                owner.K.append(len(parents))
                owner.Pg = page.obj
                ops += marked(str(owner.S), Dictionary(MCID=len(parents)), body)
                parents.append(owner)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        annotations = Array()
        for rect, index in draft.links:
            target = entries[index].target
            link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([round(v, 2) for v in rect]),
                              Border=Array([0, 0, 0]), F=4, Contents=String(_link_text(entries[index])))
            if isinstance(target, str):
                link.A = Dictionary(S=Name.URI, URI=String(target))
            else:
                link.Dest = target if isinstance(target, Array) else Array([pdf.pages[first + target - 1].obj, Name.Fit])
            link = pdf.make_indirect(link)
            annotations.append(link)
            if tags is not None:
                owner = _owner(pdf, tags, owners, toc, ("entry", index), entries)
                owner.K.append(Dictionary(Type=Name.OBJR, Obj=link, Pg=page.obj))
                link.StructParent = tags.key(owner)
        if annotations:
            page.obj.Annots = annotations
            page.obj.Tabs = Name.S
        if tags is not None:
            page.obj.StructParents = tags.key(Array(parents))


def _owner(pdf, tags: Tags, owners: dict, toc, owner: tuple, entries: list[_Entry]) -> Dictionary:
    """The structure element a run of the contents belongs to: a TOCI with a Link (or a P) per entry."""
    if owner[0] != "entry":
        return owners[owner]
    index = owner[1]
    if ("entry", index) not in owners:
        item = tags.element(pdf, "/TOCI", toc)
        role = "/Link" if entries[index].target is not None else "/P"
        owners[("entry", index)] = tags.element(pdf, role, item)
    return owners[("entry", index)]


def _link_text(entry: _Entry) -> str:
    if isinstance(entry.target, str):
        return f"{entry.text} på internettet: {entry.target}"
    return f"Gå til side {entry.page}: {entry.text}"
