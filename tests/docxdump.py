"""A readable, normalised text dump of a .docx, for golden files and assertions.

One line per paragraph, ``[StyleId] text``; list paragraphs show the
marker Word would show and their level, ``[ListParagraph/0] a. text``; hyperlinks as ``[text](url)``; fields as
``{PAGE}``; tables as ``| cell | cell |`` rows. Headers and footers come first.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"


def q(tag: str) -> str:
    prefix, name = tag.split(":")
    return "{%s}%s" % ({"w": W, "r": R}[prefix], name)


def relationships(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = part.rsplit("/", 1)
    rels = f"{folder}/_rels/{name}.rels"
    if rels not in z.namelist():
        return {}
    root = etree.fromstring(z.read(rels))
    return {r.get("Id"): r.get("Target") for r in root.findall(f"{{{PR}}}Relationship")}


def paragraph_text(p, rels: dict[str, str]) -> str:
    """The text of a paragraph: a hyperlink as ``[text](url)``, a field as ``{PAGE}``,
    a tab as a tab, a non-breaking hyphen as ``-``."""
    out = []
    in_field = False
    link_text: list[str] = []
    link_element = None
    for el in p.iter():
        if el.tag == q("w:pPr") or any(a.tag == q("w:pPr") for a in el.iterancestors()):
            continue  # tab stops are not tabs
        link = next((a for a in el.iterancestors() if a.tag == q("w:hyperlink")), None)
        if link is not link_element and link_element is not None:
            out.append(f"[{''.join(link_text)}]({rels.get(link_element.get(q('r:id')), '?MISSING')})")
            link_text = []
        link_element = link
        target = link_text if link is not None else out
        if el.tag == q("w:fldChar"):
            kind = el.get(q("w:fldCharType"))
            in_field = kind == "separate" or (in_field and kind != "end")
            continue
        if el.tag == q("w:instrText"):
            out.append("{" + (el.text or "").strip() + "}")
        elif el.tag == q("w:t") and not in_field:
            target.append(el.text or "")
        elif el.tag == q("w:noBreakHyphen"):
            target.append("-")
        elif el.tag == q("w:tab"):
            target.append("\t")
        elif el.tag == q("w:br"):
            target.append("\n" if el.get(q("w:type")) != "page" else "<sideskift>")
    if link_element is not None:
        out.append(f"[{''.join(link_text)}]({rels.get(link_element.get(q('r:id')), '?MISSING')})")
    return "".join(out)


class Numbering:
    """Computes the marker Word shows for a numbered paragraph ("a.", "2.", "•")."""

    def __init__(self, z: zipfile.ZipFile):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if "word/numbering.xml" not in z.namelist():
            return
        root = etree.fromstring(z.read("word/numbering.xml"))
        abstract = {}
        for a in root.findall(q("w:abstractNum")):
            levels = {}
            for lvl in a.findall(q("w:lvl")):
                fmt = lvl.find(q("w:numFmt")).get(q("w:val"))
                text = lvl.find(q("w:lvlText")).get(q("w:val"))
                start = lvl.find(q("w:start"))
                levels[int(lvl.get(q("w:ilvl")))] = (fmt, text, int(start.get(q("w:val"))) if start is not None else 1)
            abstract[a.get(q("w:abstractNumId"))] = levels
        for num in root.findall(q("w:num")):
            levels = dict(abstract[num.find(q("w:abstractNumId")).get(q("w:val"))])
            for override in num.findall(q("w:lvlOverride")):
                start = override.find(q("w:startOverride"))
                level = int(override.get(q("w:ilvl")))
                if start is not None and level in levels:
                    fmt, text, _ = levels[level]
                    levels[level] = (fmt, text, int(start.get(q("w:val"))))
            self.levels[num.get(q("w:numId"))] = levels

    def marker(self, num_id: str, level: int) -> str:
        levels = self.levels.get(num_id, {})
        if level not in levels:
            return "?"
        counters = self.counters.setdefault(num_id, {})
        fmt, text, start = levels[level]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == "bullet":
            return text
        for k in range(9):
            if f"%{k + 1}" in text:
                value = counters.get(k, levels.get(k, (None, None, 1))[2])
                kind = levels.get(k, (fmt,))[0]
                shown = (chr(ord("a") + value - 1) if kind == "lowerLetter" else
                         chr(ord("A") + value - 1) if kind == "upperLetter" else str(value))
                text = text.replace(f"%{k + 1}", shown)
        return text


def block_lines(parent, rels, numbering: Numbering | None = None) -> list[str]:
    lines = []
    for child in parent:
        if child.tag == q("w:p"):
            ppr = child.find(q("w:pPr"))
            style = "Normal"
            num = ""
            if ppr is not None:
                pstyle = ppr.find(q("w:pStyle"))
                if pstyle is not None:
                    style = pstyle.get(q("w:val"))
                numpr = ppr.find(q("w:numPr"))
                if numpr is not None:
                    level = int(numpr.find(q("w:ilvl")).get(q("w:val")))
                    mark = numbering.marker(numpr.find(q("w:numId")).get(q("w:val")), level) if numbering else "?"
                    num = f"/{level}"
            text = paragraph_text(child, rels)
            if num:
                text = f"{mark} {text}"
            if text or num:
                lines.append(f"[{style}{num}] {text}")
        elif child.tag == q("w:tbl"):
            for tr in child.findall(q("w:tr")):
                cells = [" / ".join(paragraph_text(p, rels) for p in tc.findall(q("w:p"))) for tc in tr.findall(q("w:tc"))]
                lines.append("| " + " | ".join(cells) + " |")
    return lines


def dump(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        lines = []
        for name in sorted(n for n in z.namelist() if n.startswith(("word/header", "word/footer")) and n.endswith(".xml")):
            root = etree.fromstring(z.read(name))
            for line in block_lines(root, relationships(z, name)):
                lines.append(f"{name.split('/')[-1].removesuffix('.xml')}: {line}")
        body = etree.fromstring(z.read("word/document.xml")).find(q("w:body"))
        lines.extend(block_lines(body, relationships(z, "word/document.xml"), Numbering(z)))
    return "\n".join(lines) + "\n"


def plain_text(path: Path) -> str:
    """All visible text of the body, headers and footers, space-joined."""
    return " ".join(line.split("] ", 1)[-1] for line in dump(path).splitlines())
