"""Checks that a PDF the build wrote is accessible (PDF/UA-1, ISO 14289-1), as far as a
program can tell.

:func:`check` returns one :class:`Finding` per kind of defect found, each naming the
Matterhorn Protocol 1.1 failure condition where one applies. A PDF that cannot be read
is one finding; nothing here raises.

What is checked (machine-checkable conditions; Matterhorn ids in brackets):

- tagged: the catalog's ``/MarkInfo /Marked`` is true and ``/Suspects`` is not [01-007];
  there is a structure tree [01-005]; every page with tagged content has
  ``/StructParents``; every text, path, image and XObject painted on a page lies inside
  tagged content or an artifact [01-005], and the two are not nested in each other
  [01-003, 01-004]. Annotation appearances and the inside of form XObjects are not read.
- role map: custom structure types map to standard ones [02-001], without a circle
  [02-002], and no standard type is remapped [02-003]. Structure types are resolved
  through the role map for every check below.
- metadata: there is XMP metadata [06-001] naming the PDF/UA part (``pdfuaid:part`` 1)
  [06-002] and a title (``dc:title``) [06-003]; the document information has a
  ``/Title`` too; the viewer shows the title, not the file name (``/ViewerPreferences
  /DisplayDocTitle true``) [07-001, 07-002].
- language: the catalog's ``/Lang`` is Danish (``da`` or ``da-DK``) [11-001 if missing].
- headings, in reading order (depth first through the structure tree): the first
  numbered heading is H1 [14-002], no level is skipped on the way down (H1 then H3)
  [14-003], and ``H`` and ``H1``–``H6`` are not mixed [14-007].
- tables: every table has a header cell (TH) [15-001; rardocs tables always have a
  header row] and every header cell has a ``Scope`` unless the table uses ``Headers``
  [15-003].
- links: every link annotation is in a Link structure element [28-011] and has a
  ``/Contents`` description [28-012]; a page with annotations has ``/Tabs /S``, the
  name (LibreOffice 7.4 writes the string ``(S)``) [28-008, 28-009]; every Link
  structure element shows some text or has an ``/Alt``.
- figures: every Figure has alternative text (``/Alt`` or ``/ActualText``) [13-004]; an
  image that is only decoration is an artifact and has no Figure element.

What is not checked, because it needs a person or a full validator: whether the
reading order is the visual order of a complex layout [09-001], whether tags fit the
content (a heading that looks like one but is tagged P) [01-006, 14-001], whether link
text and alternative text are meaningful, colour contrast, fonts (embedding and
Unicode mapping, checkpoint 31), the parent tree's consistency, and the Lang of
individual structure elements. A clean result is no proof of PDF/UA conformance.
"""

from __future__ import annotations

import io
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

#: Structure types of ISO 32000-1 (PDF 1.7), section 14.8.4: what PDF/UA-1 builds on.
STANDARD_TYPES = frozenset("""
    Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
    P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot
    Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP
    Figure Formula Form""".split())

#: ``/Lang`` values accepted (compared without case): Danish.
LANGUAGES = ("da", "da-dk")

#: Content stream operators that paint something: each must be tagged or an artifact.
_PAINTING = frozenset({"Tj", "TJ", "'", '"', "Do", "sh", "INLINE IMAGE",
                       "S", "s", "f", "F", "f*", "B", "B*", "b", "b*"})
_TEXT = frozenset({"Tj", "TJ", "'", '"'})
_HEADING = re.compile(r"H([1-9]\d*)$")


@dataclass(frozen=True)
class Finding:
    """One kind of accessibility defect in a PDF.

    ``check`` is a short stable id (``"tagged"``, ``"headings"`` …), ``message`` says
    in Danish what is wrong and where, and ``matterhorn`` is the Matterhorn Protocol
    failure condition (``"14-003"``) or None where none applies.
    """

    check: str
    message: str
    matterhorn: str | None = None

    def __str__(self) -> str:
        return f"{self.message} (Matterhorn {self.matterhorn})" if self.matterhorn else self.message


def check(data: bytes) -> list[Finding]:
    """Every accessibility defect found in the PDF ``data``; an empty list when none."""
    try:
        import pikepdf
    except ImportError:
        return [Finding("open", "PDF-filen kan ikke kontrolleres: Python-pakken pikepdf er ikke installeret")]
    log = logging.getLogger("pikepdf")  # a damaged file's details are in the findings, not on the terminal
    quiet = logging.NullHandler()
    log.addHandler(quiet)
    try:
        try:
            pdf = pikepdf.open(io.BytesIO(data))
        except Exception as exc:  # noqa: BLE001  (whatever pikepdf cannot read is one finding)
            return [Finding("open", f"PDF-filen kan ikke læses ({_short(exc)})")]
        with pdf:
            findings: list[Finding] = []
            for step in (_catalog, _metadata, _structure):
                try:
                    findings.extend(step(pdf, pikepdf))
                except Exception as exc:  # noqa: BLE001  (a damaged object is a finding, not a crash)
                    findings.append(Finding("open", f"PDF-filen kan ikke læses helt ({_short(exc)})"))
            return findings
    finally:
        log.removeHandler(quiet)


def _short(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"


# -- the catalog: tagged, language, title shown -------------------------------------------

def _catalog(pdf, pikepdf) -> list[Finding]:
    root = pdf.Root
    out = []
    mark_info = root.get("/MarkInfo")
    if not isinstance(mark_info, pikepdf.Dictionary) or mark_info.get("/Marked") is not True:
        out.append(Finding("tagged", "PDF-filen er ikke tagget (/MarkInfo /Marked er ikke true), "
                                     "så en skærmlæser kan ikke læse dens struktur"))
    elif mark_info.get("/Suspects") is True:
        out.append(Finding("tagged", "PDF-filens tags er markeret som upålidelige (/MarkInfo /Suspects er true)", "01-007"))
    lang = root.get("/Lang")
    if lang is None or not str(lang).strip():
        out.append(Finding("lang", "dokumentets sprog er ikke angivet (/Lang mangler; skal være da-DK)", "11-001"))
    elif str(lang).strip().lower() not in LANGUAGES:
        out.append(Finding("lang", f"dokumentets sprog er '{lang}', ikke dansk (/Lang skal være da-DK)"))
    prefs = root.get("/ViewerPreferences")
    shown = prefs.get("/DisplayDocTitle") if isinstance(prefs, pikepdf.Dictionary) else None
    if shown is None:
        out.append(Finding("display-title", "PDF-læseren viser filnavnet i stedet for titlen "
                                             "(/ViewerPreferences /DisplayDocTitle mangler)", "07-001"))
    elif shown is not True:
        out.append(Finding("display-title", "PDF-læseren viser filnavnet i stedet for titlen "
                                             "(/ViewerPreferences /DisplayDocTitle er false)", "07-002"))
    return out


# -- metadata: title, PDF/UA identification ----------------------------------------------

def _metadata(pdf, pikepdf) -> list[Finding]:
    out = []
    if not str(pdf.docinfo.get("/Title", "")).strip():
        out.append(Finding("title", "dokumentet har ingen titel i dokumentegenskaberne (/Title)"))
    if not isinstance(pdf.Root.get("/Metadata"), pikepdf.Stream):
        out.append(Finding("metadata", "dokumentet har ingen XMP-metadata", "06-001"))
        return out
    xmp = pdf.open_metadata()
    if not str(xmp.get("dc:title", "") or "").strip():
        out.append(Finding("title", "dokumentet har ingen titel i XMP-metadata (dc:title)", "06-003"))
    if str(xmp.get("pdfuaid:part", "")).strip() != "1":
        out.append(Finding("pdfua", "PDF-filen er ikke markeret som PDF/UA (pdfuaid:part = 1 mangler i XMP-metadata)", "06-002"))
    return out


# -- the structure tree and the pages ------------------------------------------------------

class _Counted:
    """Defects of one kind, reported once: the first place and how many more."""

    def __init__(self):
        self.places: dict[tuple, list[str]] = defaultdict(list)

    def add(self, check: str, what: str, matterhorn: str | None, where: str | None) -> None:
        self.places[(check, what, matterhorn)].append(where or "")

    def findings(self) -> list[Finding]:
        out = []
        for (check_id, what, matterhorn), places in self.places.items():
            first = next((p for p in places if p), "")
            more = len(places) - 1
            text = what + (f" – {first}" if first else "") + (f" og {more} sted{'er' if more > 1 else ''} mere" if more else "")
            out.append(Finding(check_id, text, matterhorn))
        return out


def _structure(pdf, pikepdf) -> list[Finding]:
    found = _Counted()
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    tree = pdf.Root.get("/StructTreeRoot")
    if not isinstance(tree, pikepdf.Dictionary):
        found.add("tagged", "PDF-filen har intet strukturtræ (/StructTreeRoot), så intet indhold er tagget", "01-005", None)
        return found.findings()
    role_map = tree.get("/RoleMap")
    roles = _roles(role_map if isinstance(role_map, pikepdf.Dictionary) else {}, found)
    links: dict[tuple, tuple] = {}  # Link element → its marked content ((page, MCID)s) and place
    link_objects = set()  # annotations a Link element holds
    headings = []  # (level or 0 for H, where)
    for element, page, role in _elements(tree, pages, roles, pikepdf, found):
        where = f"side {page}" if page else None
        level = _HEADING.match(role)
        if role == "H" or level:
            headings.append((int(level.group(1)) if level else 0, where))
        elif role == "Table":
            _table(element, roles, pikepdf, found, where)
        elif role == "Figure":
            if not (_text_of(element.get("/Alt")) or _text_of(element.get("/ActualText"))):
                found.add("figure-alt", "et billede (Figure) har ingen alternativ tekst (/Alt)", "13-004", where)
        elif role == "Link":
            marks, objects = _leaves(element, pages, pikepdf)
            link_objects.update(objects)
            if not (_text_of(element.get("/Alt")) or _text_of(element.get("/ActualText"))):
                links[element.objgen] = (marks, where)
    _headings(headings, found)
    shown = _content(pdf, pikepdf, pages, {mark for marks, _ in links.values() for mark in marks}, found)
    for marks, where in links.values():
        if not any(shown.get(mark) for mark in marks):
            found.add("link-text", "et link har ingen tekst", None, where)
    _annotations(pdf, pikepdf, link_objects, found)
    return found.findings()


def _roles(role_map, found: _Counted) -> dict[str, str]:
    """Each custom structure type → the standard type it maps to (through the role map)."""
    mapping = {str(key)[1:]: str(value)[1:] for key, value in role_map.items()}
    resolved = {}
    for name, target in mapping.items():
        if name in STANDARD_TYPES:
            found.add("role-map", f"standardtypen '{name}' er omdøbt til '{target}' i rollekortet (/RoleMap)",
                      "02-003", None)
            continue
        seen, current = [name], target
        while current not in STANDARD_TYPES and current in mapping and current not in seen:
            seen.append(current)
            current = mapping[current]
        if current in seen:
            found.add("role-map", f"rollekortet (/RoleMap) går i ring: {' → '.join([*seen, current])}", "02-002", None)
        elif current not in STANDARD_TYPES:
            found.add("role-map", f"strukturtypen '{name}' svarer ikke til nogen standardtype (/RoleMap)", "02-001", None)
        else:
            resolved[name] = current
    return resolved


def _role(element, roles: dict[str, str]) -> str:
    name = str(element.get("/S", ""))[1:]
    return name if name in STANDARD_TYPES else roles.get(name, name)


def _elements(tree, pages, roles, pikepdf, found: _Counted):
    """Every structure element below ``tree`` in reading order (depth first), with its
    page number (or None) and its role: ``(element, page, role)``."""
    stack = [(tree.get("/K"), None)]
    seen = set()
    unknown = set()
    while stack:
        node, page = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend((child, page) for child in reversed(list(node)))
            continue
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            continue  # an MCID, a marked-content or object reference: content, not structure
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        page = pages.get(node.Pg.objgen, page) if isinstance(node.get("/Pg"), pikepdf.Dictionary) else page
        role = _role(node, roles)
        if role not in STANDARD_TYPES and role not in unknown:
            unknown.add(role)
            found.add("role-map", f"strukturtypen '{role}' svarer ikke til nogen standardtype (/RoleMap)", "02-001", None)
        yield node, page, role
        if "/K" in node:
            stack.append((node.K, page))


def _leaves(element, pages, pikepdf) -> tuple[set, set]:
    """The marked content ``(page number, MCID)`` and the objects (annotations) below
    ``element``, its own and its descendants'."""
    marks, objects = set(), set()
    page = pages.get(element.Pg.objgen) if isinstance(element.get("/Pg"), pikepdf.Dictionary) else None
    stack = [(element.get("/K"), page)]
    seen = set()
    while stack:
        node, page = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend((child, page) for child in node)
        elif isinstance(node, int):
            marks.add((page, node))
        elif isinstance(node, pikepdf.Dictionary):
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            here = pages.get(node.Pg.objgen, page) if isinstance(node.get("/Pg"), pikepdf.Dictionary) else page
            kind = node.get("/Type")
            if str(kind) == "/MCR":
                marks.add((here, int(node.get("/MCID", -1))))
            elif str(kind) == "/OBJR":
                if isinstance(node.get("/Obj"), pikepdf.Dictionary):
                    objects.add(node.Obj.objgen)
            elif "/K" in node:
                stack.append((node.K, here))
    return marks, objects


def _headings(headings: list[tuple[int, str | None]], found: _Counted) -> None:
    numbered = [(level, where) for level, where in headings if level]
    if numbered and len(numbered) < len(headings):
        found.add("headings", "overskrifterne blander H og H1–H6", "14-007", None)
    if not numbered:
        return
    first, where = numbered[0]
    if first != 1:
        found.add("headings", f"den første overskrift er H{first}, ikke H1", "14-002", where)
    for (before, _), (level, where) in pairwise(numbered):
        if level > before + 1:
            found.add("headings", f"overskrifterne springer et niveau over: H{before} efterfølges af H{level}",
                      "14-003", where)


def _table(table, roles, pikepdf, found: _Counted, where: str | None) -> None:
    """A table without header cells, or with header cells whose scope is not given."""
    header_cells, uses_headers = [], False
    stack = [table.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            continue
        role = _role(node, roles)
        if role == "Table":
            continue  # a table in a cell is checked on its own
        if role == "TH":
            header_cells.append(node)
        uses_headers = uses_headers or any("/Headers" in a for a in _attributes(node, pikepdf))
        if "/K" in node:
            stack.append(node.K)
    if not header_cells:
        found.add("table-header", "en tabel har ingen overskriftsrække (ingen TH-celler)", "15-001", where)
    elif not uses_headers:
        for cell in header_cells:
            if not any(str(a.get("/O")) == "/Table" and "/Scope" in a for a in _attributes(cell, pikepdf)):
                found.add("table-header", "en overskriftscelle (TH) mangler Scope", "15-003", where)
                break


def _attributes(element, pikepdf) -> list:
    value = element.get("/A")
    items = list(value) if isinstance(value, pikepdf.Array) else [value]
    return [item for item in items if isinstance(item, pikepdf.Dictionary)]


def _text_of(value) -> str:
    return str(value).strip() if value is not None else ""


def _content(pdf, pikepdf, pages, wanted: set, found: _Counted) -> dict[tuple, int]:
    """Read every page's content: painting outside tagged content or an artifact is a
    finding. Returns the number of bytes of text shown in each marked content in
    ``wanted`` (``(page number, MCID)``)."""
    shown: dict[tuple, int] = defaultdict(int)
    for number, page in enumerate(pdf.pages, start=1):
        properties = page.obj.get("/Resources", {}).get("/Properties", {})
        stack: list = []  # per open marked content: "artifact", an MCID, or None
        tagged = outside = False
        try:
            instructions = pikepdf.parse_content_stream(page)
        except Exception as exc:  # noqa: BLE001  (one page that cannot be read is a finding)
            found.add("open", f"sidens indhold kan ikke læses ({_short(exc)})", None, f"side {number}")
            continue
        for operands, operator in instructions:
            op = str(operator)
            if op in ("BMC", "BDC"):
                tag = str(operands[0]) if operands else ""
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                if isinstance(props, pikepdf.Name):
                    props = properties.get(str(props))
                mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                if tag == "/Artifact":
                    if any(isinstance(m, int) for m in stack):
                        found.add("tagged", "et artefakt ligger inde i tagget indhold", "01-003", f"side {number}")
                    stack.append("artifact")
                elif isinstance(mcid, int):
                    if "artifact" in stack:
                        found.add("tagged", "tagget indhold ligger inde i et artefakt", "01-004", f"side {number}")
                    stack.append(int(mcid))
                    tagged = True
                else:
                    stack.append(None)
            elif op == "EMC":
                if stack:
                    stack.pop()
            elif op in _PAINTING:
                if all(m is None for m in stack):
                    outside = True
                elif op in _TEXT and wanted:
                    innermost = next((m for m in reversed(stack) if isinstance(m, int)), None)
                    if innermost is not None and (number, innermost) in wanted:
                        shown[(number, innermost)] += _text_bytes(operands, pikepdf)
        if outside:
            found.add("tagged", "indhold er hverken tagget eller markeret som artefakt (fx en streg eller ramme)",
                      "01-005", f"side {number}")
        if tagged and "/StructParents" not in page.obj:
            found.add("tagged", "en side med tagget indhold mangler /StructParents", None, f"side {number}")
    return shown


def _text_bytes(operands, pikepdf) -> int:
    total = 0
    for operand in operands:
        if isinstance(operand, pikepdf.Array):
            total += sum(len(bytes(x)) for x in operand if isinstance(x, pikepdf.String))
        elif isinstance(operand, pikepdf.String):
            total += len(bytes(operand))
    return total


def _annotations(pdf, pikepdf, link_objects: set, found: _Counted) -> None:
    """Pages with annotations: their tab order; link annotations: tagged and described."""
    for number, page in enumerate(pdf.pages, start=1):
        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, pikepdf.Array) or not len(annotations):
            continue
        tabs = page.obj.get("/Tabs")
        if tabs is None:
            found.add("tab-order", "en side med links har ingen tabulatorrækkefølge efter strukturen (/Tabs /S mangler)",
                      "28-008", f"side {number}")
        elif isinstance(tabs, pikepdf.String):
            found.add("tab-order", f"en side med links angiver tabulatorrækkefølgen forkert (/Tabs er teksten ({tabs}), "
                                   "ikke navnet /S)", "28-009", f"side {number}")
        elif str(tabs) != "/S":
            found.add("tab-order", f"en side med links har tabulatorrækkefølgen {tabs}, ikke efter strukturen (/Tabs /S)",
                      "28-009", f"side {number}")
        for annotation in annotations:
            if not isinstance(annotation, pikepdf.Dictionary) or str(annotation.get("/Subtype")) != "/Link":
                continue
            if annotation.objgen not in link_objects:
                found.add("links", "et link er ikke tagget som Link i strukturen", "28-011", f"side {number}")
            if not _text_of(annotation.get("/Contents")):
                found.add("links", "et link mangler en beskrivelse (/Contents)", "28-012", f"side {number}")
